/* cert.h - 修了証: one certificate per completion, with a serial number that
 * anyone logged in can verify.
 *
 * The serial reads "R8-SEC-01-000123": the 年度 of the session in 令和, the
 * course code in capitals, and a six-digit sequence within that 年度 and
 * course. It is issued once: asking again for the same completion returns
 * the serial already issued. */
#ifndef JINZAI_CERT_H
#define JINZAI_CERT_H

#include <stdbool.h>
#include <stdint.h>

#include "../db/audit.h"
#include "../core/errors.h"
#include "../db/db.h"

#define CERT_SERIAL_MAX 80

typedef struct Certificate {
    const char *serial, *issued_at; /* issued_at "YYYY-MM-DDTHH:MM:SS"; serial NULL: not issued */
    int64_t completion_id, staff_id, course_id;
    const char *staff_no, *staff_name, *course_code, *course_title, *completed_on; /* completed_on: the session's last day, or the day recorded when earlier */
    int nendo, minutes;
    bool valid; /* the completion still stands (completed = 1) */
} Certificate;

/* The staff id of a completion (0: none). */
int64_t cert_completion_owner(Db *db, int64_t completion_id);
/* Issues the certificate of a completed completion, or returns the one
 * already issued. serial gets the number. Audited when new; 0, or -1 with e
 * filled (no such completion, not completed). */
int cert_issue(Db *db, const Actor *who, int64_t completion_id, char serial[CERT_SERIAL_MAX], Errors *e);
/* The certificate with this serial; false when there is none. */
bool cert_find(Db *db, Arena *a, const char *serial, Certificate *out);
/* The completed completions of a person, newest first, with their
 * certificate's serial when one was issued. */
int cert_list_staff(Db *db, Arena *a, int64_t staff_id, Certificate **out);

#endif
