/* admin.c: the operator's ops: harvest, reload, purge, rescore, remap.
 *
 * All four are FD_OP_ADMIN rows of the table, so none checks the peer
 * itself.  Each checks its request and hands the work to the engine
 * (engine.h): the main thread makes a source due or rereads the
 * configuration, the query worker itself feeds a purge's pages to the
 * indexer, the indexer rescores.  The engine's refusals come back as an
 * fd_error and are answered as they are.
 */
#include "ops.h"

char *fd_op_harvest(struct fd_query_ctx *ctx, json_t *req) {
        struct fd_error err = {0};
        json_t *source = json_object_get(req, "source");

        if (!json_is_string(source) || json_string_length(source) == 0)
                return fd_protocol_error(FD_E_INVALID, "'harvest' needs a 'source' string");
        if (ctx->engine->vt->harvest(ctx->engine, json_string_value(source), &err))
                return fd_protocol_fail(&err);
        return fd_protocol_ok(json_pack("{s:s}", "source", json_string_value(source)));
}

char *fd_op_reload(struct fd_query_ctx *ctx, json_t *req) {
        struct fd_engine *e = ctx->engine;
        struct fd_error err = {0};
        struct fd_source_snapshot s;
        size_t active = 0;

        (void)req;
        if (e->vt->reload(e, &err))
                return fd_protocol_fail(&err);
        for (size_t i = 0, n = fd_engine_n_sources(e); i < n; i++) {
                fd_engine_snapshot(e, i, &s);
                active += !s.removed;
        }
        return fd_protocol_ok(json_pack("{s:s,s:I}", "config", fd_engine_config(e)->path, "sources",
                                        (json_int_t)active));
}

char *fd_op_purge(struct fd_query_ctx *ctx, json_t *req) {
        struct fd_error err = {0};
        json_t *source = json_object_get(req, "source");
        uint64_t deleted = 0;

        if (!json_is_string(source) || json_string_length(source) == 0 ||
            json_string_length(source) > FD_ENGINE_PURGE_NAME_MAX)
                return fd_protocol_error(FD_E_INVALID, "'purge' needs a 'source' string of at most %d bytes",
                                         FD_ENGINE_PURGE_NAME_MAX);
        const char *name = json_string_value(source);
        if (ctx->engine->vt->purge(ctx->engine, name, &deleted, &err))
                return fd_protocol_fail(&err);
        return fd_protocol_ok(json_pack("{s:s,s:I}", "source", name, "deleted", (json_int_t)deleted));
}

char *fd_op_rescore(struct fd_query_ctx *ctx, json_t *req) {
        struct fd_error err = {0};
        const char *rubric = NULL;

        (void)req;
        if (ctx->engine->vt->rescore(ctx->engine, &rubric, &err))
                return fd_protocol_fail(&err);
        return fd_protocol_ok(json_pack("{s:b,s:s}", "queued", 1, "rubric", rubric));
}

char *fd_op_remap(struct fd_query_ctx *ctx, json_t *req) {
        struct fd_error err = {0};
        json_t *source = json_object_get(req, "source");

        if (source && (!json_is_string(source) || json_string_length(source) == 0 ||
                       json_string_length(source) > FD_ENGINE_PURGE_NAME_MAX))
                return fd_protocol_error(FD_E_INVALID, "'remap' takes a 'source' string of at most %d bytes",
                                         FD_ENGINE_PURGE_NAME_MAX);
        if (ctx->engine->vt->remap(ctx->engine, source ? json_string_value(source) : NULL, &err))
                return fd_protocol_fail(&err);
        return fd_protocol_ok(source ? json_pack("{s:b,s:O}", "queued", 1, "source", source)
                                     : json_pack("{s:b}", "queued", 1));
}
