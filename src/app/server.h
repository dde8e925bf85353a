/* server.h - the HTTP server: libmicrohttpd with an internal epoll thread pool. */
#ifndef JINZAI_SERVER_H
#define JINZAI_SERVER_H

#include "../core/config.h"

/* Serves until SIGTERM or SIGINT, then stops accepting, lets requests in
 * flight finish (up to 10 s) and closes every database connection.
 * Returns a process exit code. */
int server_run(const Config *cfg);

#endif
