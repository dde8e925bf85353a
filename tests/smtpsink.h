/* smtpsink.h - an SMTP sink for the mail tests: a Python aiosmtpd script of
 * the test's own, on a free loopback port, that writes what it receives into
 * a temporary directory (dir) and says "ready" there. */
#ifndef JINZAI_TEST_SMTPSINK_H
#define JINZAI_TEST_SMTPSINK_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[128];
static pid_t sink;
static int port;

static __attribute__((unused)) int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t n = sizeof a;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || getsockname(fd, (struct sockaddr *)&a, &n) != 0) return -1;
    close(fd);
    return ntohs(a.sin_port);
}

/* Starts the sink running py (Python source; argv: directory, port) in a new
 * directory /tmp/jinzai-smtp-PID, on a free loopback port. */
static void start_sink(const char *py_source)
{
    snprintf(dir, sizeof dir, "/tmp/jinzai-smtp-%d", (int)getpid());
    mkdir(dir, 0700);
    char py[200];
    snprintf(py, sizeof py, "%s/sink.py", dir);
    FILE *f = fopen(py, "w");
    assert_non_null(f);
    fputs(py_source, f);
    fclose(f);
    port = free_port();
    assert_true(port > 0);
    char ports[16];
    snprintf(ports, sizeof ports, "%d", port);
    sink = fork();
    if (sink == 0) {
        execl("/usr/bin/python3", "python3", py, dir, ports, (char *)NULL);
        _exit(127);
    }
    char ready[200];
    snprintf(ready, sizeof ready, "%s/ready", dir);
    for (int i = 0; i < 200 && access(ready, F_OK) != 0; i++) usleep(50000);
    assert_int_equal(access(ready, F_OK), 0);
}

static void stop_sink(void)
{
    if (sink > 0) {
        kill(sink, SIGTERM);
        waitpid(sink, NULL, 0);
        sink = 0;
    }
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    FILE *p = popen(cmd, "r");
    if (p) pclose(p);
}

#endif
