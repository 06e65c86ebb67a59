/* table.c: the ops table and the request dispatcher.
 *
 * docs/protocol.md is the contract.  Every response has "ok"; a failure is
 * {"ok":false,"error":{"code":<fd_status_name>,"message":...}} and leaves
 * the connection usable.  Requests are checked field by field before the
 * index is touched, so a malformed request costs no Xapian work.
 *
 * The table is the one list of ops, as redis's commands.def: a new op is a
 * handler in its family's file and a row here.  The admin flag is checked
 * here, once, before any handler runs.
 */
#include "ops.h"

const struct fd_op fd_ops[] = {
        {"search", fd_op_search, 0},
        {"get", fd_op_get, 0},
        {"status", fd_op_status, 0},
        {"sources", fd_op_sources, 0},
        {"suggest", fd_op_suggest, 0},
        {"similar", fd_op_similar, 0},
        {"related", fd_op_related, 0},
        {"harvest", fd_op_harvest, FD_OP_ADMIN},
        {"reload", fd_op_reload, FD_OP_ADMIN},
        {"purge", fd_op_purge, FD_OP_ADMIN},
        {"errors", fd_op_errors, 0},
        {"metrics", fd_op_metrics, 0},
        {"export", fd_op_export, 0},
        {"fair", fd_op_fair, 0},
        {"rescore", fd_op_rescore, FD_OP_ADMIN},
        {"remap", fd_op_remap, FD_OP_ADMIN},
        {"dump", fd_op_dump, 0},
};
const size_t fd_n_ops = FD_ELEMENTSOF(fd_ops);

/* {"ok":false,"error":{"code":code,"message":msg}} as JSON text. */
static char *error_reply(const char *code, const char *msg) {
        json_t *o = json_pack("{s:b,s:{s:s,s:s}}", "ok", 0, "error", "code", code, "message", msg);
        char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
        return text;
}

char *fd_protocol_error(enum fd_status code, const char *fmt, ...) {
        char msg[FD_ERROR_MAX];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        return error_reply(fd_status_name(code), msg);
}

char *fd_protocol_fail(const struct fd_error *err) { return fd_protocol_error(err->status, "%s", err->msg); }

char *fd_protocol_ok(json_t *obj) {
        char *text = NULL;
        if (obj && json_object_set_new(obj, "ok", json_true()) == 0)
                text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(obj);
        return text ? text : fd_protocol_error(FD_E_NOMEM, "out of memory");
}

/* "forbidden" is a protocol code, not an fd_status: no lower layer has it. */
static char *forbidden(const char *op) {
        char msg[128];
        snprintf(msg, sizeof msg, "'%s' is only for root and the daemon's own user", op);
        return error_reply("forbidden", msg);
}

enum fd_status fd_protocol_reader(struct fd_query_ctx *ctx, struct fd_index **ret, struct fd_error *err) {
        uint64_t gen = fd_engine_generation(ctx->engine);
        enum fd_status st;

        if (!ctx->reader) {
                st = fd_index_open_shards(ctx->engine->shards, &ctx->reader, err);
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

json_t *fd_protocol_time(int64_t t) {
        char buf[32];
        return t ? json_string(fd_time_iso(t, buf, sizeof buf)) : json_null();
}

bool fd_protocol_datestamp(const char *s, char ret[32]) {
        struct tm tm = {0};
        const char *end;
        size_t n = strlen(s);

        if (!((n == 20 && (end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm)) && !*end) ||
              (n == 10 && (end = strptime(s, "%Y-%m-%d", &tm)) && !*end)))
                return false;
        snprintf(ret, 32, "%s%s", s, n == 10 ? "T00:00:00Z" : "");
        return true;
}

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

/* The answer to a request object: its op's, after the admin check. */
static char *dispatch(struct fd_query_ctx *ctx, json_t *req) {
        char snip[129], known[256] = "";
        json_t *op = json_object_get(req, "op");
        size_t n = 0;

        if (!json_is_object(req))
                return fd_protocol_error(FD_E_INVALID, "request must be a JSON object");
        if (!json_is_string(op))
                return fd_protocol_error(FD_E_INVALID, "request has no 'op' string");
        for (size_t i = 0; i < fd_n_ops; i++) {
                if (strcmp(json_string_value(op), fd_ops[i].name) != 0)
                        continue;
                if ((fd_ops[i].flags & FD_OP_ADMIN) && !ctx->admin)
                        return forbidden(fd_ops[i].name);
                return fd_ops[i].handler(ctx, req);
        }
        for (size_t i = 0; i < fd_n_ops && n < sizeof known; i++)
                n += (size_t)snprintf(known + n, sizeof known - n, "%s%s", i ? ", " : "", fd_ops[i].name);
        return fd_protocol_error(FD_E_UNSUPPORTED, "unknown op '%s' (known: %s)",
                                 fd_snippet(json_string_value(op), json_string_length(op), snip, sizeof snip),
                                 known);
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
        char *reply = echo_tag(dispatch(ctx, req), json_object_get(req, "tag"));
        json_decref(req);
        return reply;
}
