/* flight.h - single flight: while one thread rebuilds a summary, the other
 * threads that want the same one wait for that rebuild and then read what it
 * stored, instead of each rebuilding it (docs/performance.md).
 *
 *     if (!flight_begin(key)) { read the stored copy again; if found, done }
 *     compute and store;
 *     flight_end(key);   -- only after flight_begin returned true
 *
 * A key names one summary at one data version. A waiter waits at most
 * FLIGHT_WAIT_SECONDS, then computes itself. */
#ifndef JINZAI_FLIGHT_H
#define JINZAI_FLIGHT_H

#include <stdbool.h>

#define FLIGHT_WAIT_SECONDS 60

/* true: the caller leads (computes, stores, then calls flight_end); false:
 * another thread led the same key and has ended (or the wait timed out). */
bool flight_begin(const char *key);
void flight_end(const char *key);
/* How many flight_begin calls waited for another thread (for tests). */
long flight_waits(void);

#endif
