/* proxy.h - the client's address behind trusted reverse proxies.
 *
 * `serve --trusted-proxy CIDR[,CIDR]` names the proxies (IPv4 or IPv6
 * networks). X-Forwarded-For is read only when the connection's peer is one
 * of them, and then from the right: each hop a trusted proxy appended is
 * skipped, and the first address that is not trusted is the client. A
 * header from an untrusted peer is ignored, so nobody can pick the address
 * that their failed logins, audit rows and throttling are charged to.
 *
 * The list is set once at start-up, before any worker thread runs, and only
 * read afterwards. */
#ifndef JINZAI_PROXY_H
#define JINZAI_PROXY_H

#include <stdbool.h>

#include "../core/buf.h"

/* Parses and installs "CIDR[,CIDR]" (a bare address is a /32 or /128).
 * NULL or "" trusts nobody. 0, or -1 when any entry is malformed (nothing
 * is installed then). */
int proxy_configure(const char *list);
/* True when some trusted proxy is configured. */
bool proxy_any(void);
/* True when the textual address ip lies in a trusted network. */
bool proxy_trusted(const char *ip);
/* The client's address: peer itself unless peer is trusted and xff (the
 * X-Forwarded-For value, may be NULL) names an untrusted hop. A malformed
 * hop ends the walk there (the last good address, or peer, is used).
 * Returns peer or a string allocated in a. */
const char *proxy_client_ip(Arena *a, const char *peer, const char *xff);

/* Requests in flight per client address, for the per-client cap behind a
 * trusted proxy: libmicrohttpd caps connections per peer when it accepts
 * them, and behind a proxy every client shares the proxy's address, so the
 * server counts each request against the client that X-Forwarded-For names.
 * enter is false (and counts nothing) when ip already has cap requests in
 * flight; every true enter is paired with one leave. Thread-safe. */
bool proxy_client_enter(const char *ip, unsigned cap);
void proxy_client_leave(const char *ip);
unsigned proxy_client_in_flight(const char *ip);

#endif
