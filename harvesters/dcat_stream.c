/* dcat_stream.c: JSON catalogues read as a stream (yajl).
 *
 * A JSON catalogue is a long array inside a small frame: the items of a
 * top-level array (JSON-LD, schema.org aggregations), of "@graph"
 * (JSON-LD), of "dataset" (DCAT-US data.json) or of "result"."results"
 * (CKAN).  yajl's event parser builds jansson values for everything but
 * the items of such an array, which it builds one at a time and hands to
 * the caller as each one closes; the caller reads it into the graph (and
 * drops it) or asks to keep it in the frame, which then ends as the whole
 * document (what a caller does when the frame does not tell it how to read
 * the items, e.g. a @context after its @graph).  So memory is the frame
 * plus one item, whatever the document's size.
 *
 * Duplicate keys: the last wins, as in browsers and Python, each one told
 * as a warning naming the key and its line.  The file is fed to yajl a
 * line at a time (in pieces of at most 64 KiB), which is how a callback
 * knows its line.  Numbers keep jansson's reading: an integer when it fits
 * 64 bits, else a real.
 */
#include <errno.h>
#include <yajl/yajl_parse.h>

#include "harvesters-private.h"

#define MAX_DEPTH 512
#define CHUNK ((size_t)64 << 10)

struct frame {
        json_t *v;
        char *key;      /* an object's pending key */
        char *name;     /* the key this value sits under in its parent object, or NULL */
        bool items;     /* an array whose elements are streamed */
};

struct jstream {
        const struct fd_json_stream_opts *o;
        struct frame stack[MAX_DEPTH];
        size_t depth;
        json_t *root;
        bool streaming;
        unsigned long line;
        enum fd_status st;
        struct fd_error *err;
};

static int stop(struct jstream *s, enum fd_status st, const char *msg) {
        if (!s->st) {
                s->st = st;
                fd_error_set(s->err, st, "'%s' line %lu: %s", s->o->where, s->line, msg);
        }
        return 0;
}

/* True when an array opening now at the top of the stack is a catalogue's list of items. */
static bool is_item_array(struct jstream *s) {
        if (s->streaming)
                return false;
        if (s->depth == 0)
                return true; /* the root array */
        const struct frame *p = &s->stack[s->depth - 1];
        if (!json_is_object(p->v) || !p->key)
                return false;
        if (s->depth == 1)
                return strcmp(p->key, "@graph") == 0 || strcmp(p->key, "dataset") == 0;
        return s->depth == 2 && strcmp(p->key, "results") == 0 && p->name && strcmp(p->name, "result") == 0;
}

/* A complete value v (owned) into its place. */
static int place(struct jstream *s, json_t *v) {
        if (!v)
                return stop(s, FD_E_NOMEM, "out of memory");
        if (s->depth == 0) {
                s->root = v;
                return 1;
        }
        struct frame *p = &s->stack[s->depth - 1];
        if (json_is_array(p->v)) {
                if (p->items) {
                        /* an item done: the caller reads it, or keeps it in the frame */
                        bool keep = false;
                        enum fd_status st = s->o->item(s->o->ud, s->stack[0].v, p->name, v, &keep, s->err);
                        if (st) {
                                json_decref(v);
                                s->st = st;
                                return 0;
                        }
                        if (!keep) {
                                json_decref(v);
                                return 1;
                        }
                }
                return json_array_append_new(p->v, v) == 0 ? 1 : stop(s, FD_E_NOMEM, "out of memory");
        }
        if (json_object_get(p->v, p->key) && s->o->warn) {
                char msg[FD_ERROR_MAX];
                snprintf(msg, sizeof msg, "'%s' line %lu: duplicate key '%.200s', the last one kept", s->o->where,
                         s->line, p->key);
                s->o->warn(s->o->ud, msg);
        }
        int ok = json_object_set_new(p->v, p->key, v) == 0;
        free(p->key);
        p->key = NULL;
        return ok ? 1 : stop(s, FD_E_NOMEM, "out of memory");
}

static int push(struct jstream *s, json_t *v) {
        if (!v)
                return stop(s, FD_E_NOMEM, "out of memory");
        if (s->depth == MAX_DEPTH) {
                json_decref(v);
                return stop(s, FD_E_LIMIT, "JSON nested too deep");
        }
        bool items = json_is_array(v) && is_item_array(s);
        const struct frame *p = s->depth ? &s->stack[s->depth - 1] : NULL;
        char *name = p && json_is_object(p->v) && p->key ? strdup(p->key) : NULL;
        if (p && json_is_object(p->v) && p->key && !name) {
                json_decref(v);
                return stop(s, FD_E_NOMEM, "out of memory");
        }
        /* the container goes into its parent now (the frame holds it), an item when it closes */
        if (p && !p->items) {
                if (!place(s, json_incref(v))) {
                        free(name);
                        json_decref(v);
                        return 0;
                }
        }
        s->stack[s->depth++] = (struct frame){.v = v, .name = name, .items = items};
        if (items)
                s->streaming = true;
        return 1;
}

static int pop(struct jstream *s) {
        struct frame f = s->stack[--s->depth];
        free(f.key);
        free(f.name);
        if (f.items)
                s->streaming = false;
        if (s->depth == 0) {
                s->root = f.v;
                return 1;
        }
        if (s->stack[s->depth - 1].items)
                return place(s, f.v);
        json_decref(f.v);  /* its parent holds it */
        return 1;
}

static int on_null(void *ctx) { return place(ctx, json_null()); }
static int on_boolean(void *ctx, int b) { return place(ctx, json_boolean(b)); }

static int on_number(void *ctx, const char *n, size_t len) {
        char buf[128];
        char *end;
        if (len >= sizeof buf)
                return place(ctx, json_real(strtod(n, NULL)));
        memcpy(buf, n, len);
        buf[len] = '\0';
        if (!strpbrk(buf, ".eE")) {
                errno = 0;
                long long v = strtoll(buf, &end, 10);
                if (!errno && !*end)
                        return place(ctx, json_integer(v));
        }
        return place(ctx, json_real(strtod(buf, NULL)));
}

static int on_string(void *ctx, const unsigned char *v, size_t len) {
        return place(ctx, json_stringn_nocheck((const char *)v, len));
}

static int on_start_map(void *ctx) { return push(ctx, json_object()); }
static int on_end_map(void *ctx) { return pop(ctx); }
static int on_start_array(void *ctx) { return push(ctx, json_array()); }
static int on_end_array(void *ctx) { return pop(ctx); }

static int on_key(void *ctx, const unsigned char *k, size_t len) {
        struct jstream *s = ctx;
        struct frame *p = &s->stack[s->depth - 1];
        free(p->key);
        if (memchr(k, '\0', len))
                len = strlen((const char *)k);  /* jansson keys end at NUL */
        if (!(p->key = strndup((const char *)k, len)))
                return stop(s, FD_E_NOMEM, "out of memory");
        return 1;
}

static const yajl_callbacks callbacks = {
        .yajl_null = on_null,
        .yajl_boolean = on_boolean,
        .yajl_number = on_number,
        .yajl_string = on_string,
        .yajl_start_map = on_start_map,
        .yajl_map_key = on_key,
        .yajl_end_map = on_end_map,
        .yajl_start_array = on_start_array,
        .yajl_end_array = on_end_array,
};

/* yajl's complaint about the last chunk, its first line only, with the column. */
static enum fd_status parse_error(struct jstream *s, yajl_handle h, const unsigned char *chunk, size_t n,
                                  size_t col0) {
        unsigned char *m = yajl_get_error(h, 0, chunk, n);
        char msg[256];
        snprintf(msg, sizeof msg, "%s", m ? (const char *)m : "JSON syntax error");
        if (m)
                yajl_free_error(h, m);
        msg[strcspn(msg, "\n")] = '\0';
        size_t at = yajl_get_bytes_consumed(h);
        return fd_error_set(s->err, FD_E_PARSE, "'%s' line %lu column %zu: %s", s->o->where, s->line,
                            col0 + at + 1, msg);
}

enum fd_status fd_json_stream_file(FILE *f, const struct fd_json_stream_opts *o, json_t **ret,
                                   struct fd_error *err) {
        _fd_free_ unsigned char *buf = malloc(CHUNK);
        struct jstream s = {.o = o, .line = 1, .err = err};
        yajl_handle h = buf ? yajl_alloc(&callbacks, NULL, &s) : NULL;
        enum fd_status st = FD_OK;
        size_t col = 0;  /* bytes of the current line fed before this piece */

        if (!h)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        size_t n;
        while (!st && (n = fread(buf, 1, CHUNK, f)) > 0) {
                /* a line at a time, so that a callback knows its line */
                for (size_t at = 0; at < n && !st;) {
                        const unsigned char *nl = memchr(buf + at, '\n', n - at);
                        size_t len = nl ? (size_t)(nl - (buf + at)) + 1 : n - at;
                        if (yajl_parse(h, buf + at, len) != yajl_status_ok)
                                st = s.st ? s.st : parse_error(&s, h, buf + at, len, col);
                        at += len;
                        if (nl) {
                                s.line++;
                                col = 0;
                        } else
                                col += len;
                }
        }
        if (!st && ferror(f))
                st = fd_error_set(err, FD_E_IO, "cannot read '%s': %s", o->where, strerror(errno));
        if (!st && yajl_complete_parse(h) != yajl_status_ok)
                st = s.st ? s.st : parse_error(&s, h, (const unsigned char *)"", 0, col);
        yajl_free(h);
        /* a failure leaves containers open: the frame holds every one of them */
        for (size_t i = 0; i < s.depth; i++) {
                free(s.stack[i].key);
                free(s.stack[i].name);
                if (i > 0)
                        json_decref(s.stack[i].v);  /* its parent's reference, if any, stays with the root */
        }
        if (st || !s.root) {
                json_decref(s.depth ? s.stack[0].v : s.root);
                return st ? st : fd_error_set(err, FD_E_PARSE, "'%s': no JSON value", o->where);
        }
        *ret = s.root;
        return FD_OK;
}
