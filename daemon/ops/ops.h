/* ops.h: the protocol's operations (docs/protocol.md), one table of them.
 *
 * Each op is a row {name, handler, flags} of fd_ops (table.c), in the
 * order "unknown op" lists them; a handler lives in the file of its family
 * (records.c, sources.c, admin.c, fair.c, metrics.c, export.c; re3data.c
 * holds what related and status know of re3data descriptions; the JSON
 * of the index's typed answers is ../json_search.c and ../json_fair.c).
 * fd_protocol_handle parses a request line, finds the row, refuses
 * an FD_OP_ADMIN op to anyone but root and the daemon's own user (the one
 * place that checks it), calls the handler and echoes the request's tag.
 * Handlers reach the engine only through ctx->engine (engine.h) and read
 * the index through their worker's read-only handle (fd_protocol_reader).
 */
#ifndef FD_OPS_H
#define FD_OPS_H

#include <jansson.h>

#include "engine.h"
#include "fd_index.h"

/* One query worker's context: its engine, its own read-only index handle
 * and whether the peer may run admin ops. */
struct fd_query_ctx {
        struct fd_engine *engine;
        struct fd_index *reader;          /* NULL until the index exists */
        uint64_t generation;              /* of reader */
        bool admin;                       /* the peer is root or the daemon's uid (SO_PEERCRED) */
};

#define FD_PROTOCOL_MAX_REQUEST (64 * 1024)

/* An op's flags. */
enum {
        FD_OP_ADMIN = 1 << 0,             /* only for root and the daemon's own user */
};

/* One row of the table.  A handler answers one request (a JSON object with
 * an "op" string) as a new JSON text (malloc'ed, without newline; NULL:
 * out of memory). */
struct fd_op {
        const char *name;
        char *(*handler)(struct fd_query_ctx *ctx, json_t *req);
        unsigned flags;
};
extern const struct fd_op fd_ops[];
extern const size_t fd_n_ops;

/* Answers one request line (without its newline) as a new JSON text
 * (malloc'ed, without newline).  Never fails: errors become error objects. */
char *fd_protocol_handle(struct fd_query_ctx *ctx, const char *line, size_t len);
/* An error response (malloc'ed JSON text) with code fd_status_name(code). */
char *fd_protocol_error(enum fd_status code, const char *fmt, ...) _fd_printf_(2, 3);
/* The same from an fd_error. */
char *fd_protocol_fail(const struct fd_error *err);
/* Adds "ok":true to a result object and serializes it; takes obj (NULL: an
 * out-of-memory error). */
char *fd_protocol_ok(json_t *obj);
/* This worker's read-only index, opened on first use and reopened when the
 * engine has committed since. */
enum fd_status fd_protocol_reader(struct fd_query_ctx *ctx, struct fd_index **ret, struct fd_error *err);
/* Reads the optional integer field name of req, 0..max, into *io (left
 * alone when absent); FD_E_INVALID naming the field otherwise. */
enum fd_status fd_protocol_uint(json_t *req, const char *name, unsigned max, unsigned *io, struct fd_error *err);
/* A time as ISO 8601 JSON, or null for 0. */
json_t *fd_protocol_time(int64_t t);
/* s, a datestamp YYYY-MM-DDThh:mm:ssZ or a day YYYY-MM-DD, as a datestamp
 * (a day from its first second) into ret; false when it is neither.  The
 * dump's since and OAI-PMH's from and until are read with it. */
bool fd_protocol_datestamp(const char *s, char ret[32]);

/* records.c: search, suggest, similar, related, get. */
char *fd_op_search(struct fd_query_ctx *ctx, json_t *req);
char *fd_op_suggest(struct fd_query_ctx *ctx, json_t *req);
char *fd_op_similar(struct fd_query_ctx *ctx, json_t *req);
char *fd_op_related(struct fd_query_ctx *ctx, json_t *req);
char *fd_op_get(struct fd_query_ctx *ctx, json_t *req);
/* re3data.c: appends to links (a `related` answer's array) the links
 * between record id and re3data descriptions of configured sources: to
 * the description of its source, and, for a Service record, to the
 * sources it describes. */
enum fd_status fd_re3data_links(struct fd_query_ctx *ctx, struct fd_index *idx, const char *id, json_t *links,
                                struct fd_error *err);
/* The re3data description of source c as status shows it, a new
 * {"id","identifier","title"} object, or JSON null when there is none (or
 * no index, or the lookup fails). */
json_t *fd_re3data_description(struct fd_query_ctx *ctx, struct fd_index *idx, const struct fd_source_config *c);
/* sources.c: status, sources, errors. */
char *fd_op_status(struct fd_query_ctx *ctx, json_t *req);
char *fd_op_sources(struct fd_query_ctx *ctx, json_t *req);
char *fd_op_errors(struct fd_query_ctx *ctx, json_t *req);
/* admin.c: harvest, reload, purge, rescore, remap (FD_OP_ADMIN). */
char *fd_op_harvest(struct fd_query_ctx *ctx, json_t *req);
char *fd_op_reload(struct fd_query_ctx *ctx, json_t *req);
char *fd_op_purge(struct fd_query_ctx *ctx, json_t *req);
char *fd_op_rescore(struct fd_query_ctx *ctx, json_t *req);
char *fd_op_remap(struct fd_query_ctx *ctx, json_t *req);
/* fair.c: the per-source FAIR report. */
char *fd_op_fair(struct fd_query_ctx *ctx, json_t *req);
/* metrics.c: Prometheus text in "text". */
char *fd_op_metrics(struct fd_query_ctx *ctx, json_t *req);
/* The same text (malloc'ed, *ret_len its length when not NULL), for
 * HTTP's /metrics; NULL: out of memory. */
char *fd_metrics_text(struct fd_query_ctx *ctx, size_t *ret_len);
/* export.c: a record or a search's hits as BibTeX, RIS, DataCite JSON
 * or schema.org JSON-LD. */
char *fd_op_export(struct fd_query_ctx *ctx, json_t *req);

/* dump.c: the AI-ready export (docs/federation.md). */
char *fd_op_dump(struct fd_query_ctx *ctx, json_t *req);
/* Whether SPDX licence id allows reuse, training included (NULL: no). */
bool fd_dump_reusable(const char *spdx);
/* One line of the dump as a new object: a record's normalized fields with
 * license, reusable, provenance and fair, or a tombstone; NULL when the
 * stored record does not read back or, with reusable_only, is not
 * reusable (tombstones then too).  a is scratch space, reset here. */
json_t *fd_dump_line(const struct fd_config *cfg, const struct fd_change *c, struct fd_arena *a,
                     bool reusable_only);
/* The Croissant 1.0 descriptor of a dump at content_url (url: the
 * dataset's page, NULL: none), a new object. */
json_t *fd_croissant(const char *url, const char *content_url);

#endif
