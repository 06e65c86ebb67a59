/* fair.c: the `fair` operation.
 *
 * The report itself is computed over the index (fd_index_fair_report in
 * index/fair.cc, bounded memory); this file checks the request, adds the
 * per-source summaries or the source's history (written after each
 * successful run by the run hook in runhooks.c, read from the state
 * directory) and, for one source, the data.europa.eu MQA over its DCAT
 * records (json_fair.c), and answers.
 */
#include "ops.h"
#include "../json_index.h"
#include "state.h"

#define DEFAULT_WORST 10

/* Whether source is configured or still has records in the index. */
static bool source_known(struct fd_query_ctx *ctx, const char *source) {
        struct fd_index *idx = NULL;
        uint64_t n = 0;
        size_t slot;

        if (fd_engine_find(ctx->engine, source, &slot))
                return true;
        if (fd_protocol_reader(ctx, &idx, NULL) != FD_OK)
                return false;
        return fd_index_count_source(idx, source, &n, NULL) == FD_OK && n > 0;
}

/* Every configured source's record count and mean scores. */
static json_t *sources_summary(struct fd_query_ctx *ctx, struct fd_error *err) {
        struct fd_engine *e = ctx->engine;
        struct fd_source_snapshot s;
        json_t *list = json_array();

        for (size_t i = 0, n = fd_engine_n_sources(e); list && i < n; i++) {
                fd_engine_snapshot(e, i, &s);
                const char *name = s.config->name;
                struct fd_fair_report_opts opts = {.source = name, .summary = true};
                json_t *rep = NULL, *scores, *o;

                if (fd_json_fair_report_at(e->shards, &opts, &rep, err) != FD_OK) {
                        json_decref(list);
                        return NULL;
                }
                scores = json_object_get(rep, "scores");
                o = json_pack("{s:s,s:O}", "name", name, "records", json_object_get(rep, "records"));
                if (o) {
                        json_object_set(o, "mean", json_object_get(json_object_get(scores, "overall"), "mean"));
                        for (int p = 0; p < FD_FAIR_PRINCIPLES; p++) {
                                const char *pn = fd_fair_principle_name(p);
                                json_object_set(o, pn, json_object_get(json_object_get(scores, pn), "mean"));
                        }
                }
                json_decref(rep);
                if (!o || json_array_append_new(list, o) < 0) {
                        json_decref(list);
                        list = NULL;
                }
        }
        if (!list)
                fd_error_set(err, FD_E_NOMEM, "out of memory");
        return list;
}

char *fd_op_fair(struct fd_query_ctx *ctx, json_t *req) {
        struct fd_fair_report_opts opts = {.worst = DEFAULT_WORST};
        struct fd_error err = {0};
        json_t *source = json_object_get(req, "source"), *rep = NULL, *extra;

        if (source && !json_is_null(source) && (!json_is_string(source) || json_string_length(source) == 0))
                return fd_protocol_error(FD_E_INVALID, "'source' must be a non-empty string");
        if (fd_protocol_uint(req, "worst", FD_INDEX_FAIR_WORST_MAX, &opts.worst, &err))
                return fd_protocol_fail(&err);
        opts.source = json_string_value(source);
        if (opts.source && !source_known(ctx, opts.source)) {
                char snip[129];
                return fd_protocol_error(FD_E_NOTFOUND, "no source '%s' in the configuration or the index",
                                         fd_snippet(opts.source, strlen(opts.source), snip, sizeof snip));
        }
        if (fd_json_fair_report_at(ctx->engine->shards, &opts, &rep, &err) != FD_OK)
                return fd_protocol_fail(&err);
        if (opts.source) {
                struct fd_index *idx = NULL;
                json_t *mqa = NULL;
                if (fd_protocol_reader(ctx, &idx, &err) != FD_OK ||
                    fd_json_mqa_source(ctx->engine->shards, idx, opts.source, &mqa, &err) != FD_OK) {
                        json_decref(rep);
                        return fd_protocol_fail(&err);
                }
                if (json_object_set_new(rep, "mqa", mqa) < 0) {
                        json_decref(rep);
                        return fd_protocol_error(FD_E_NOMEM, "out of memory");
                }
                extra = fd_state_fair_history(ctx->engine->state_dir, opts.source, NULL);
                if (!extra || json_object_set_new(rep, "history", extra) < 0) {
                        json_decref(rep);
                        return fd_protocol_error(FD_E_NOMEM, "out of memory");
                }
        } else {
                extra = sources_summary(ctx, &err);
                if (!extra || json_object_set_new(rep, "sources", extra) < 0) {
                        json_decref(rep);
                        if (err.status == FD_OK)
                                fd_error_set(&err, FD_E_NOMEM, "out of memory");
                        return fd_protocol_fail(&err);
                }
        }
        return fd_protocol_ok(rep);
}
