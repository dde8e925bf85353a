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
    unsigned max_conns, max_conns_per_ip;
} Config;

#endif
