/* page_static.c - health check and embedded assets. */
#include <string.h>

#include "../core/embed.h"
#include "pages.h"

void page_healthz(Req *r, Resp *w)
{
    (void)r;
    resp_text(w, 200, "ok");
}

static const char *mime(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot) return "application/octet-stream";
    if (strcmp(dot, ".css") == 0) return "text/css; charset=utf-8";
    if (strcmp(dot, ".js") == 0) return "text/javascript; charset=utf-8";
    if (strcmp(dot, ".svg") == 0) return "image/svg+xml";
    if (strcmp(dot, ".png") == 0) return "image/png";
    if (strcmp(dot, ".ico") == 0) return "image/x-icon";
    return "application/octet-stream";
}

/* /assets/NAME.HASH.EXT: served with a year-long cache when the hash is the
 * current one; /assets/NAME.EXT (no hash) is served uncached. */
void page_asset(Req *r, Resp *w)
{
    const char *req = r->params[0];
    for (size_t i = 0; i < embedded_assets_count; i++) {
        const EmbeddedFile *f = &embedded_assets[i];
        const char *dot = strrchr(f->name, '.');
        size_t stem = dot ? (size_t)(dot - f->name) : strlen(f->name);
        bool plain = strcmp(req, f->name) == 0;
        bool hashed = !plain && strncmp(req, f->name, stem) == 0 && req[stem] == '.' &&
                      strncmp(req + stem + 1, f->hash, strlen(f->hash)) == 0 &&
                      strcmp(req + stem + 1 + strlen(f->hash), dot ? dot : "") == 0;
        if (!plain && !hashed) continue;
        w->status = 200;
        w->content_type = mime(f->name);
        w->static_body = f->data;
        w->static_len = f->len;
        w->cache = hashed ? "public, max-age=31536000, immutable" : "no-cache";
        return;
    }
    resp_text(w, 404, "not found\n");
}
