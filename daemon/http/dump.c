/* dump.c: the AI-ready export at /dump and its Croissant descriptor at
 * /croissant.json (docs/federation.md).
 *
 * /dump streams every record as one JSON object per line, gzip-compressed
 * as it goes (zlib): a page of FD_DUMP_PAGE records is read from
 * fd_index_changes, turned into lines and deflated into libmicrohttpd's
 * buffer, then the next, so memory is one page whatever the corpus
 * size.  A line holds the record's normalized fields (fd_record_to_json),
 * "license" (the first SPDX id, null when none), "reusable" (that licence
 * allows reuse, training included: fd_dump_reusable), "provenance"
 * (source name and URL, the identifier at the source, its datestamp there,
 * when fairdex last wrote it, the FAIR rubric) and "fair" (overall and
 * per principle): fd_dump_line (../ops/dump.c), which the socket's `dump`
 * op writes too.  ?since=DATESTAMP gives the records changed since then
 * and a tombstone line {"id","deleted":true,"changed"} per deletion, so a
 * mirror can be kept current; ?source=NAME and ?reusable=1 narrow it.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <microhttpd.h>
#include <zlib.h>

#include "../http.h"
#include "../ops/ops.h"
#include "fd_fair.h"
#include "fd_index.h"

#define FD_DUMP_PAGE 200

struct dump {
        struct fd_query_ctx *ctx;
        const struct fd_config *cfg;
        struct fd_arena *arena;
        z_stream z;
        bool z_ok, finished, failed;
        char *after;               /* key of the last record read, NULL: none yet */
        char since[32], set[80];
        bool has_since, has_set, reusable_only, listed_all;
        struct fd_buf lines;       /* a page's lines not yet deflated */
        size_t lines_off;
};

static void dump_free(void *cls) {
        struct dump *d = cls;
        if (d->z_ok)
                deflateEnd(&d->z);
        fd_arena_free(d->arena);
        fd_buf_release(&d->lines);
        free(d->after);
        free(d);
}

/* Reads the next page into d->lines; sets listed_all after the last. */
static bool next_page(struct dump *d) {
        _fd_cleanup_(fd_change_list_freep) struct fd_change_list *l = NULL;
        struct fd_index *idx = NULL;
        struct fd_error err = {0};
        struct fd_change_request cr = {.after = d->after, .from = d->has_since ? d->since : NULL,
                                       .set = d->has_set ? d->set : NULL, .limit = FD_DUMP_PAGE,
                                       .record_json = true, .live_only = !d->has_since};

        fd_buf_reset(&d->lines);
        d->lines_off = 0;
        enum fd_status st = fd_protocol_reader(d->ctx, &idx, &err);
        if (st == FD_E_NOTFOUND) {
                d->listed_all = true;
                return true;
        }
        if (st || (st = fd_index_changes(idx, &cr, &l, &err)) != FD_OK)
                return st == FD_E_INVALID ? (d->listed_all = true) : false;
        for (size_t i = 0; i < l->n; i++) {
                json_t *o = fd_dump_line(d->cfg, &l->v[i], d->arena, d->reusable_only);
                char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
                json_decref(o);
                if (text && (fd_buf_append(&d->lines, text, strlen(text)) || fd_buf_append(&d->lines, "\n", 1))) {
                        free(text);
                        return false;
                }
                free(text);
        }
        free(d->after);
        d->after = l->next ? strdup(l->next) : NULL;
        if (!l->next)
                d->listed_all = true;
        return !l->next || d->after;
}

static ssize_t dump_read(void *cls, uint64_t pos, char *buf, size_t max) {
        struct dump *d = cls;

        (void)pos;
        if (d->failed)
                return MHD_CONTENT_READER_END_WITH_ERROR;
        if (d->finished)
                return MHD_CONTENT_READER_END_OF_STREAM;
        d->z.next_out = (unsigned char *)buf;
        d->z.avail_out = (uInt)(max > (1u << 30) ? 1u << 30 : max);
        while (d->z.avail_out > 0 && !d->finished && !d->failed) {
                if (d->lines_off == d->lines.len && !d->listed_all) {
                        d->failed = !next_page(d);
                        continue;
                }
                d->z.next_in = (unsigned char *)d->lines.data + d->lines_off;
                d->z.avail_in = (uInt)(d->lines.len - d->lines_off);
                int r = deflate(&d->z, d->listed_all ? Z_FINISH : Z_NO_FLUSH);
                d->lines_off = d->lines.len - d->z.avail_in;
                if (r == Z_STREAM_END)
                        d->finished = true;
                else if (r != Z_OK && r != Z_BUF_ERROR)
                        d->failed = true;
        }
        size_t n = (size_t)((char *)d->z.next_out - buf);
        if (n == 0)
                return d->failed ? MHD_CONTENT_READER_END_WITH_ERROR : MHD_CONTENT_READER_END_OF_STREAM;
        return (ssize_t)n;
}

enum fd_status fd_http_dump(const struct fd_http_request *req, struct fd_http_answer *a) {
        const char *since = fd_http_arg(req, "since"), *source = fd_http_arg(req, "source");
        const char *reusable = fd_http_arg(req, "reusable");
        struct dump *d = calloc(1, sizeof *d);

        if (!d)
                return FD_E_NOMEM;
        d->ctx = req->ctx;
        d->cfg = req->config;
        fd_buf_init(&d->lines, 256u << 20);
        d->arena = fd_arena_new(64u << 20);
        d->z_ok = deflateInit2(&d->z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
        if (!d->arena || !d->z_ok) {
                dump_free(d);
                return FD_E_NOMEM;
        }
        if (since && !fd_protocol_datestamp(since, d->since)) {
                dump_free(d);
                return fd_http_answer_text(a, 400, "text/plain; charset=utf-8",
                                           "since is a datestamp YYYY-MM-DDThh:mm:ssZ or a day YYYY-MM-DD\n");
        }
        d->has_since = since != NULL;
        if (source) {
                if (strlen(source) > 64) {
                        dump_free(d);
                        return fd_http_answer_text(a, 400, "text/plain; charset=utf-8", "no such source\n");
                }
                snprintf(d->set, sizeof d->set, "source:%s", source);
                d->has_set = true;
        }
        d->reusable_only = reusable && strcmp(reusable, "0") != 0 && strcmp(reusable, "false") != 0;
        a->status = 200;
        a->content_type = "application/gzip";
        a->stream = dump_read;
        a->stream_free = dump_free;
        a->stream_state = d;
        return FD_OK;
}

/* ---- Croissant ---------------------------------------------------------- */

enum fd_status fd_http_croissant(const struct fd_http_request *req, struct fd_http_answer *a) {
        char *url = NULL;

        if (asprintf(&url, "%s/dump", req->config->http.base_url) < 0)
                return FD_E_NOMEM;
        json_t *o = fd_croissant(req->config->http.base_url, url);
        free(url);
        char *text = o ? json_dumps(o, JSON_INDENT(2)) : NULL;
        json_decref(o);
        if (!text)
                return FD_E_NOMEM;
        a->status = 200;
        a->content_type = "application/ld+json";
        a->body = text;
        a->len = strlen(text);
        return FD_OK;
}
