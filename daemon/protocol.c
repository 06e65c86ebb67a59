/* protocol.c: the query protocol, one JSON object per line each way.
 *
 * docs/protocol.md is the contract.  Every response has "ok"; a failure is
 * {"ok":false,"error":{"code":<fd_status_name>,"message":...}} and leaves
 * the connection usable.  Requests are checked field by field before the
 * index is touched, so a malformed request costs no Xapian work.
 */
#include "fd_daemon.h"
#include "json_index.h"


char *fd_protocol_error(enum fd_status code, const char *fmt, ...) {
        char msg[FD_ERROR_MAX];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        json_t *o = json_pack("{s:b,s:{s:s,s:s}}", "ok", 0, "error", "code", fd_status_name(code), "message", msg);
        char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
        return text;
}

char *fd_protocol_fail(const struct fd_error *err) { return fd_protocol_error(err->status, "%s", err->msg); }

char *fd_protocol_ok(json_t *obj) {
        char *text = NULL;
        if (obj && json_object_set_new(obj, "ok", json_true()) == 0)
                text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(obj);
        return text ? text : fd_protocol_error(FD_E_NOMEM, "out of memory");
}

enum fd_status fd_protocol_reader(struct fd_query_ctx *ctx, struct fd_index **ret, struct fd_error *err) {
        uint64_t gen = atomic_load(&ctx->daemon->generation);
        enum fd_status st;

        if (!ctx->reader) {
                st = fd_index_open(ctx->daemon->index_path, false, &ctx->reader, err);
                if (st)
                        return st;
                ctx->generation = gen;
        } else if (gen != ctx->generation) {
                st = fd_index_reopen(ctx->reader, err);
                if (st)
                        return st;
                ctx->generation = gen;
        }
        *ret = ctx->reader;
        return FD_OK;
}

enum fd_status fd_protocol_uint(json_t *req, const char *name, unsigned max, unsigned *io, struct fd_error *err) {
        json_t *v = json_object_get(req, name);
        if (!v)
                return FD_OK;
        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > (json_int_t)max)
                return fd_error_set(err, FD_E_INVALID, "'%s' must be an integer from 0 to %u", name, max);
        *io = (unsigned)json_integer_value(v);
        return FD_OK;
}

/* Reads the optional string field name of req (at most max bytes) into
 * *io; FD_E_INVALID naming the field otherwise. */
static enum fd_status opt_string(json_t *req, const char *name, size_t max, const char **io, struct fd_error *err) {
        json_t *v = json_object_get(req, name);
        if (!v)
                return FD_OK;
        if (!json_is_string(v) || json_string_length(v) > max)
                return fd_error_set(err, FD_E_INVALID, "'%s' must be a string of at most %zu bytes", name, max);
        *io = json_string_value(v);
        return FD_OK;
}

static enum fd_status opt_bool(json_t *req, const char *name, bool *io, struct fd_error *err) {
        json_t *v = json_object_get(req, name);
        if (!v)
                return FD_OK;
        if (!json_is_boolean(v))
                return fd_error_set(err, FD_E_INVALID, "'%s' must be true or false", name);
        *io = json_is_true(v);
        return FD_OK;
}

/* The search request's fields into s (strings borrowed from req). */
static enum fd_status search_opts(json_t *req, struct fd_json_search *s, struct fd_error *err) {
        struct fd_search_request *opts = &s->req;
        const char *sort = "relevance", *order = NULL;

        if (opt_string(req, "q", FD_PROTOCOL_MAX_REQUEST, &opts->q, err) ||
            opt_string(req, "lang", 35, &opts->lang, err) || opt_string(req, "sort", 16, &sort, err) ||
            opt_string(req, "order", 8, &order, err) || opt_string(req, "cursor", 128, &opts->cursor, err) ||
            fd_protocol_uint(req, "offset", FD_INDEX_MAX_OFFSET, &opts->offset, err) ||
            fd_protocol_uint(req, "limit", FD_INDEX_MAX_LIMIT, &opts->limit, err) ||
            fd_protocol_uint(req, "facet_limit", FD_INDEX_MAX_FACET_LIMIT, &opts->facet_limit, err) ||
            opt_bool(req, "snippets", &opts->snippets, err))
                return err->status;
        if (strcmp(sort, "relevance") == 0)
                opts->sort = FD_SORT_RELEVANCE;
        else if (strcmp(sort, "date") == 0)
                opts->sort = FD_SORT_DATE;
        else if (strcmp(sort, "fair") == 0)
                opts->sort = FD_SORT_FAIR;
        else
                return fd_error_set(err, FD_E_INVALID, "'sort' must be \"relevance\", \"date\" or \"fair\"");
        if (order && strcmp(order, "asc") != 0 && strcmp(order, "desc") != 0)
                return fd_error_set(err, FD_E_INVALID, "'order' must be \"asc\" or \"desc\"");
        opts->ascending = order && strcmp(order, "asc") == 0;
        return fd_json_search_lists(req, s, err);
}

static char *op_search(struct fd_query_ctx *ctx, json_t *req) {
        struct fd_json_search s = {.req = {.q = "", .offset = 0, .limit = 10}};
        _fd_cleanup_(fd_search_result_freep) struct fd_search_result *res = NULL;
        struct fd_error err = {0};
        struct fd_index *idx;

        if (search_opts(req, &s, &err))
                return fd_protocol_fail(&err);
        if (fd_protocol_reader(ctx, &idx, &err) || fd_index_search(idx, &s.req, &res, &err))
                return fd_protocol_fail(&err);
        return fd_protocol_ok(fd_json_search_result(res, s.fields));
}

static char *op_suggest(struct fd_query_ctx *ctx, json_t *req) {
        struct fd_error err = {0};
        struct fd_index *idx;
        const char *q = NULL;
        unsigned limit = 10;
        _fd_cleanup_(fd_search_result_freep) struct fd_search_result *res = NULL;

        if (opt_string(req, "q", 256, &q, &err) || fd_protocol_uint(req, "limit", FD_INDEX_MAX_SUGGEST, &limit, &err))
                return fd_protocol_fail(&err);
        if (!q)
                return fd_protocol_error(FD_E_INVALID, "'suggest' needs a 'q' string (the typed prefix)");
        if (limit == 0)
                limit = 10;
        if (fd_protocol_reader(ctx, &idx, &err) || fd_index_suggest(idx, q, limit, &res, &err))
                return fd_protocol_fail(&err);
        return fd_protocol_ok(fd_json_suggest_result(res));
}

static char *op_similar(struct fd_query_ctx *ctx, json_t *req) {
        struct fd_error err = {0};
        struct fd_index *idx;
        unsigned limit = 10;
        _fd_cleanup_(fd_search_result_freep) struct fd_search_result *res = NULL;
        json_t *id = json_object_get(req, "id");

        if (!json_is_string(id) || json_string_length(id) == 0)
                return fd_protocol_error(FD_E_INVALID, "'similar' needs an 'id' string");
        if (fd_protocol_uint(req, "limit", FD_INDEX_MAX_LIMIT, &limit, &err))
                return fd_protocol_fail(&err);
        if (fd_protocol_reader(ctx, &idx, &err) || fd_index_similar(idx, json_string_value(id), limit, &res, &err))
                return fd_protocol_fail(&err);
        return fd_protocol_ok(fd_json_search_result(res, NULL));
}

static char *op_get(struct fd_query_ctx *ctx, json_t *req) {
        struct fd_error err = {0};
        struct fd_index *idx;
        _fd_free_ char *text = NULL;
        json_t *id = json_object_get(req, "id");

        if (!json_is_string(id) || json_string_length(id) == 0)
                return fd_protocol_error(FD_E_INVALID, "'get' needs an 'id' string");
        if (fd_protocol_reader(ctx, &idx, &err) || fd_index_get(idx, json_string_value(id), &text, &err))
                return fd_protocol_fail(&err);
        json_t *record = json_loads(text, 0, NULL);
        if (!record)
                return fd_protocol_error(FD_E_CORRUPT, "stored record '%s' is not JSON", json_string_value(id));
        return fd_protocol_ok(json_pack("{s:o}", "record", record));
}

static json_t *time_or_null(int64_t t) {
        char buf[32];
        return t ? json_string(fd_time_iso(t, buf, sizeof buf)) : json_null();
}

static json_t *source_status(struct fd_daemon *d, struct fd_source_state *s, struct fd_index *idx) {
        uint64_t count = 0;
        if (idx)
                fd_index_count_source(idx, s->config->name, &count, NULL);
        fd_harvest_restore_last_run(d, s);

        pthread_mutex_lock(&s->lock);
        json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:I,s:o,s:o,s:o,s:o,s:o}",
                              "name", s->config->name,
                              "type", fd_source_type_name(s->config->type),
                              "url", s->config->url,
                              "state", fd_run_state_name(s->state),
                              "records", (json_int_t)count,
                              "last_start", time_or_null(s->last_start),
                              "last_end", time_or_null(s->last_end),
                              "next_run", time_or_null(s->next_run),
                              "last_error", s->last_error[0] ? json_string(s->last_error) : json_null(),
                              "last_complete", s->checkpoint.last_complete ? json_string(s->checkpoint.last_complete)
                                                                          : json_null());
        if (o)
                fd_harvest_status(s, o);
        pthread_mutex_unlock(&s->lock);
        return o;
}

static char *op_sources(struct fd_query_ctx *ctx, json_t *req) {
        struct fd_daemon *d = ctx->daemon;
        struct fd_error err = {0};
        struct fd_index *idx = NULL;

        /* Without an index yet, the counts are 0 and the rest still holds. */
        if (fd_protocol_reader(ctx, &idx, &err))
                idx = NULL;
        json_t *sources = json_array();
        for (size_t i = 0; sources && i < d->n_sources; i++)
                json_array_append_new(sources, source_status(d, &d->sources[i], idx));
        return fd_protocol_ok(sources ? json_pack("{s:o}", "sources", sources) : NULL);
}

/* "forbidden" is a protocol code, not an fd_status: no lower layer has it. */
char *fd_protocol_forbidden(const char *op) {
        char msg[128];
        snprintf(msg, sizeof msg, "'%s' is only for root and the daemon's own user", op);
        json_t *o = json_pack("{s:b,s:{s:s,s:s}}", "ok", 0, "error", "code", "forbidden", "message", msg);
        char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
        return text;
}

static char *op_harvest(struct fd_query_ctx *ctx, json_t *req) {
        struct fd_error err = {0};
        json_t *source = json_object_get(req, "source");

        if (!ctx->admin)
                return fd_protocol_forbidden("harvest");
        if (!json_is_string(source) || json_string_length(source) == 0)
                return fd_protocol_error(FD_E_INVALID, "'harvest' needs a 'source' string");
        if (fd_daemon_request_harvest(ctx->daemon, json_string_value(source), &err))
                return fd_protocol_fail(&err);
        return fd_protocol_ok(json_pack("{s:s}", "source", json_string_value(source)));
}

static char *op_status(struct fd_query_ctx *ctx, json_t *req) {
        struct fd_daemon *d = ctx->daemon;
        struct fd_error err = {0};
        struct fd_index *idx = NULL;
        uint64_t count = 0;

        if (fd_protocol_reader(ctx, &idx, &err) || fd_index_count(idx, &count, &err))
                return fd_protocol_fail(&err);
        json_t *sources = json_array();
        for (size_t i = 0; sources && i < d->n_sources; i++)
                json_array_append_new(sources, source_status(d, &d->sources[i], idx));
        return fd_protocol_ok(json_pack("{s:s,s:I,s:I,s:o}", "version", FD_VERSION, "records", (json_int_t)count,
                                  "generation", (json_int_t)atomic_load(&d->generation), "sources", sources));
}

/* Every operation: one line each, the function may live in its own file. */
static const struct {
        const char *name;
        char *(*fn)(struct fd_query_ctx *ctx, json_t *req);
} ops[] = {
        {"search", op_search},
        {"get", op_get},
        {"status", op_status},
        {"sources", op_sources},
        {"suggest", op_suggest},
        {"similar", op_similar},
        {"harvest", op_harvest},
        {"reload", fd_op_reload},
        {"purge", fd_op_purge},
        {"errors", fd_op_errors},
        {"metrics", fd_op_metrics},
        {"export", fd_op_export},
        {"fair", fd_op_fair},
        {"rescore", fd_op_rescore},
};

/* Puts the request's "tag" first in its reply.  Replies are objects that
 * always hold "ok", so the text after '{' is never empty. */
static char *echo_tag(char *reply, json_t *tag) {
        if (!reply || !tag)
                return reply;
        char *t = json_dumps(tag, JSON_COMPACT | JSON_ENCODE_ANY);
        size_t rn = strlen(reply), tn = t ? strlen(t) : 0;
        char *out = t ? malloc(rn + tn + 8) : NULL;
        if (!out) {
                free(t);
                free(reply);
                return fd_protocol_error(FD_E_NOMEM, "out of memory");
        }
        memcpy(out, "{\"tag\":", 7);
        memcpy(out + 7, t, tn);
        out[7 + tn] = ',';
        memcpy(out + 8 + tn, reply + 1, rn);
        free(t);
        free(reply);
        return out;
}

char *fd_protocol_handle(struct fd_query_ctx *ctx, const char *line, size_t len) {
        json_error_t jerr;
        char snip[129];

        if (len > FD_PROTOCOL_MAX_REQUEST)
                return fd_protocol_error(FD_E_LIMIT, "request longer than %d bytes", FD_PROTOCOL_MAX_REQUEST);
        json_t *req = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
        if (!req)
                return fd_protocol_error(FD_E_PARSE, "request is not JSON: %s at column %d: '%s'", jerr.text,
                                         jerr.column, fd_snippet(line, len, snip, sizeof snip));
        char *reply = NULL;
        json_t *op = json_object_get(req, "op");
        if (!json_is_object(req))
                reply = fd_protocol_error(FD_E_INVALID, "request must be a JSON object");
        else if (!json_is_string(op))
                reply = fd_protocol_error(FD_E_INVALID, "request has no 'op' string");
        for (size_t i = 0; !reply && i < FD_ELEMENTSOF(ops); i++)
                if (strcmp(json_string_value(op), ops[i].name) == 0)
                        reply = ops[i].fn(ctx, req);
        if (!reply) {
                char known[256] = "";
                size_t n = 0;
                for (size_t i = 0; i < FD_ELEMENTSOF(ops) && n < sizeof known; i++)
                        n += (size_t)snprintf(known + n, sizeof known - n, "%s%s", i ? ", " : "", ops[i].name);
                reply = fd_protocol_error(FD_E_UNSUPPORTED, "unknown op '%s' (known: %s)",
                                          fd_snippet(json_string_value(op), json_string_length(op), snip,
                                                     sizeof snip),
                                          known);
        }
        reply = echo_tag(reply, json_object_get(req, "tag"));
        json_decref(req);
        return reply;
}
