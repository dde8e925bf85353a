/* config.h - settings of a running server, fixed after start-up. */
#ifndef JINZAI_CONFIG_H
#define JINZAI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

typedef struct Config {
    const char *db_path;     /* --db, default jinzai.db */
    const char *listen_host; /* --listen host part, default 127.0.0.1 */
    int port;                /* default 8080 */
    int threads;             /* worker threads (one DB connection each) */
    bool behind_https_proxy; /* --https-proxy: cookies get Secure */
    size_t max_body;         /* bytes; larger bodies get 413 */
    /* Caps on open connections, counted by libmicrohttpd per peer address
     * when a connection is accepted, before any header is read. Behind a
     * trusted proxy every client shares the proxy's address, so the per-peer
     * cap is lifted for it: there the server counts the requests in flight
     * of each client that X-Forwarded-For names (max_client_requests; 0 for
     * no such cap), and
     * the proxy can limit connections too (docs/operations.md). */
    unsigned max_conns, max_conns_per_ip, max_client_requests;
    const char *trusted_proxy; /* --trusted-proxy CIDR[,CIDR]; installed by proxy_configure */
} Config;

#endif
