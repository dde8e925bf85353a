/* proxy.c - see proxy.h. */
#include "proxy.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"

typedef struct Net {
    unsigned char addr[16];
    int family; /* AF_INET (addr[0..3]) or AF_INET6 */
    int bits;
} Net;

#define MAX_NETS 32
static Net nets[MAX_NETS];
static int nnets;

/* Parses an address (IPv4, IPv6, an IPv4-mapped IPv6 as IPv4) of n bytes. */
static bool parse_addr(const char *s, size_t n, Net *out)
{
    char tmp[INET6_ADDRSTRLEN + 8];
    if (n == 0 || n >= sizeof tmp) return false;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    memset(out, 0, sizeof *out);
    if (inet_pton(AF_INET, tmp, out->addr) == 1) {
        out->family = AF_INET;
        out->bits = 32;
        return true;
    }
    if (inet_pton(AF_INET6, tmp, out->addr) != 1) return false;
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (memcmp(out->addr, mapped, 12) == 0) {
        memmove(out->addr, out->addr + 12, 4);
        memset(out->addr + 4, 0, 12);
        out->family = AF_INET;
        out->bits = 32;
        return true;
    }
    out->family = AF_INET6;
    out->bits = 128;
    return true;
}

static bool in_net(const Net *net, const Net *a)
{
    if (net->family != a->family) return false;
    int full = net->bits / 8, rest = net->bits % 8;
    if (memcmp(net->addr, a->addr, (size_t)full) != 0) return false;
    if (!rest) return true;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return (net->addr[full] & mask) == (a->addr[full] & mask);
}

static bool trusted(const Net *a)
{
    for (int i = 0; i < nnets; i++)
        if (in_net(&nets[i], a)) return true;
    return false;
}

int proxy_configure(const char *list)
{
    Net parsed[MAX_NETS];
    int n = 0;
    const char *p = list ? list : "";
    while (*p) {
        p += strspn(p, " ,");
        if (!*p) break;
        size_t len = strcspn(p, " ,");
        const char *slash = memchr(p, '/', len);
        size_t alen = slash ? (size_t)(slash - p) : len;
        Net net;
        if (n == MAX_NETS || !parse_addr(p, alen, &net)) return -1;
        if (slash) {
            char bits[8];
            size_t blen = len - alen - 1;
            if (blen == 0 || blen >= sizeof bits) return -1;
            memcpy(bits, slash + 1, blen);
            bits[blen] = '\0';
            char *end;
            long b = strtol(bits, &end, 10);
            int max = net.family == AF_INET ? 32 : 128;
            if (*end || b < 0 || b > max) return -1;
            net.bits = (int)b;
        }
        parsed[n++] = net;
        p += len;
    }
    memcpy(nets, parsed, sizeof parsed[0] * (size_t)n);
    nnets = n;
    return 0;
}

bool proxy_any(void) { return nnets > 0; }

bool proxy_trusted(const char *ip)
{
    Net a;
    return ip && parse_addr(ip, strlen(ip), &a) && trusted(&a);
}

/* One X-Forwarded-For hop without spaces, brackets or an IPv4 port. */
static bool parse_hop(const char *s, size_t n, Net *out)
{
    while (n && (*s == ' ' || *s == '\t')) s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    if (n && s[0] == '[') {
        const char *close = memchr(s, ']', n);
        if (!close) return false;
        return parse_addr(s + 1, (size_t)(close - s - 1), out);
    }
    const char *colon = memchr(s, ':', n);
    if (colon && !memchr(colon + 1, ':', n - (size_t)(colon - s) - 1)) n = (size_t)(colon - s); /* a.b.c.d:port */
    return parse_addr(s, n, out);
}

static const char *text_of(Arena *a, const Net *x)
{
    char out[INET6_ADDRSTRLEN];
    if (!inet_ntop(x->family, x->addr, out, sizeof out)) return "";
    return arena_strdup(a, out);
}

const char *proxy_client_ip(Arena *a, const char *peer, const char *xff)
{
    Net hop;
    if (!nnets || !xff || !peer || !parse_addr(peer, strlen(peer), &hop) || !trusted(&hop)) return peer;
    /* From the right: each trusted hop passes the request on; the first
     * untrusted one is the client. */
    size_t end = strlen(xff);
    const char *client = peer;
    while (end > 0) {
        size_t start = end;
        while (start > 0 && xff[start - 1] != ',') start--;
        if (!parse_hop(xff + start, end - start, &hop)) break;
        client = text_of(a, &hop);
        if (!trusted(&hop)) break;
        end = start ? start - 1 : 0;
    }
    return client;
}

/* ---- requests in flight per client ----
 * An open-addressing table of client addresses with their count of requests
 * being answered, under one mutex: a few hundred entries at most (the
 * connection cap bounds them), so a linear probe is cheap. */
#define SLOTS 1024
static struct {
    char ip[64];
    unsigned n;
} slots[SLOTS];
static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;

static unsigned slot_hash(const char *ip)
{
    unsigned h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)ip; *p; p++) h = (h ^ *p) * 16777619u;
    return h % SLOTS;
}

/* The slot holding ip, or a free one for it (claim), or -1. */
static int slot_of(const char *ip, bool claim)
{
    unsigned start = slot_hash(ip);
    for (unsigned k = 0; k < SLOTS; k++) {
        unsigned i = (start + k) % SLOTS;
        if (slots[i].n && strcmp(slots[i].ip, ip) == 0) return (int)i;
        if (!slots[i].n && claim) {
            snprintf(slots[i].ip, sizeof slots[i].ip, "%s", ip);
            return (int)i;
        }
    }
    return -1;
}

bool proxy_client_enter(const char *ip, unsigned cap)
{
    if (!ip || strlen(ip) >= sizeof slots[0].ip) return true;
    pthread_mutex_lock(&slots_lock);
    int i = slot_of(ip, false);
    if (i < 0) i = slot_of(ip, true);
    bool ok = i >= 0 && slots[i].n < cap;
    if (ok) slots[i].n++;
    pthread_mutex_unlock(&slots_lock);
    return ok || i < 0; /* a full table never refuses anyone */
}

void proxy_client_leave(const char *ip)
{
    if (!ip || strlen(ip) >= sizeof slots[0].ip) return;
    pthread_mutex_lock(&slots_lock);
    int i = slot_of(ip, false);
    if (i >= 0 && slots[i].n) slots[i].n--;
    pthread_mutex_unlock(&slots_lock);
}

unsigned proxy_client_in_flight(const char *ip)
{
    pthread_mutex_lock(&slots_lock);
    int i = ip ? slot_of(ip, false) : -1;
    unsigned n = i >= 0 ? slots[i].n : 0;
    pthread_mutex_unlock(&slots_lock);
    return n;
}
