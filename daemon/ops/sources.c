/* sources.c: the ops that show the sources: status, sources, errors.
 *
 * A source's fields come from a snapshot the engine copies under the
 * source's lock (fd_engine_snapshot), its record count from the worker's
 * read-only index, and a run's warnings from the state directory's errors
 * file (fd_state_errors_read), so no op here waits on a harvest.
 */
#include "ops.h"
#include "state.h"

static const char *run_state_name(enum fd_run_state s) {
        switch (s) {
        case FD_RUN_IDLE: return "idle";
        case FD_RUN_RUNNING: return "running";
        case FD_RUN_OK: return "ok";
        case FD_RUN_FAILED: return "failed";
        }
        return "idle";
}

static json_t *counts_json(const struct fd_run_counts *n) {
        json_t *o = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "records", (json_int_t)n->records, "deleted",
                         (json_int_t)n->deleted, "skipped", (json_int_t)n->skipped, "added", (json_int_t)n->added,
                         "updated", (json_int_t)n->updated, "unchanged", (json_int_t)n->unchanged, "errors",
                         (json_int_t)n->errors);
        if (o && n->n_skipped_formats && json_object_set_new(o, "skipped_formats", fd_run_skips_json(n)) < 0) {
                json_decref(o);
                return NULL;
        }
        return o;
}

static json_t *last_run_json(const struct fd_run_summary *r) {
        char t0[32], t1[32];
        json_t *o;

        if (!r->end)
                return json_null();
        o = json_pack("{s:s,s:s,s:s}", "start", r->start ? fd_time_iso(r->start, t0, sizeof t0) : "", "end",
                      fd_time_iso(r->end, t1, sizeof t1), "status", r->status);
        json_t *n = counts_json(&r->counts);
        if (!o || !n || json_object_update(o, n) < 0) {
                json_decref(o);
                o = NULL;
        }
        json_decref(n);
        return o;
}

/* One source's entry of status and sources. */
static json_t *source_status(const struct fd_source_snapshot *s, struct fd_index *idx) {
        uint64_t count = 0;

        if (idx)
                fd_index_count_source(idx, s->config->name, &count, NULL);
        json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:I,s:o,s:o,s:o,s:o,s:o}",
                              "name", s->config->name,
                              "type", fd_source_type_name(s->config->type),
                              "url", s->config->url,
                              "state", run_state_name(s->state),
                              "records", (json_int_t)count,
                              "last_start", fd_protocol_time(s->last_start),
                              "last_end", fd_protocol_time(s->last_end),
                              "next_run", fd_protocol_time(s->next_run),
                              "last_error", s->last_error[0] ? json_string(s->last_error) : json_null(),
                              "last_complete", s->last_complete[0] ? json_string(s->last_complete) : json_null());
        if (!o)
                return NULL;
        json_object_set_new(o, "run", counts_json(&s->run));
        json_object_set_new(o, "last_run", last_run_json(&s->last_run));
        if (s->state == FD_RUN_RUNNING && s->progress_total >= 0) {
                uint64_t total = (uint64_t)s->progress_total;
                json_object_set_new(o, "progress",
                                    json_pack("{s:I,s:I}", "done",
                                              (json_int_t)(s->progress_done < total ? s->progress_done : total),
                                              "total", (json_int_t)total));
        }
        json_object_set_new(o, "last_reconciled", fd_protocol_time(s->last_reconciled));
        json_object_set_new(o, "failing_since", fd_protocol_time(s->failing_since));
        json_object_set_new(o, "failures", json_integer(s->failures));
        json_object_set_new(o, "removed", json_boolean(s->removed));
        json_object_set_new(o, "stuck", json_boolean(s->stuck));
        return o;
}

/* Every source's entry, a new array (NULL: out of memory). */
static json_t *sources_json(struct fd_engine *e, struct fd_index *idx) {
        json_t *sources = json_array();
        struct fd_source_snapshot s;

        for (size_t i = 0, n = fd_engine_n_sources(e); sources && i < n; i++) {
                fd_engine_snapshot(e, i, &s);
                json_array_append_new(sources, source_status(&s, idx));
        }
        return sources;
}

/* Each shard's state, a new array (index: configured). */
static json_t *shards_json(struct fd_engine *e) {
        json_t *shards = json_array();
        struct fd_shard_snapshot s;

        for (size_t i = 0, n = fd_engine_n_shards(e); shards && i < n; i++) {
                fd_engine_shard(e, i, &s);
                json_array_append_new(shards, json_pack("{s:s,s:s,s:b,s:I,s:o,s:o}", "name", s.name, "state",
                                                        s.up ? "up" : "down", "home", i == 0, "documents",
                                                        (json_int_t)s.documents, "down_since",
                                                        fd_protocol_time(s.down_since), "last_error",
                                                        s.last_error[0] ? json_string(s.last_error) : json_null()));
        }
        return shards;
}

char *fd_op_sources(struct fd_query_ctx *ctx, json_t *req) {
        struct fd_error err = {0};
        struct fd_index *idx = NULL;

        (void)req;
        /* Without an index yet, the counts are 0 and the rest still holds. */
        if (fd_protocol_reader(ctx, &idx, &err))
                idx = NULL;
        json_t *sources = sources_json(ctx->engine, idx);
        return fd_protocol_ok(sources ? json_pack("{s:o}", "sources", sources) : NULL);
}

char *fd_op_status(struct fd_query_ctx *ctx, json_t *req) {
        struct fd_error err = {0};
        struct fd_index *idx = NULL;
        uint64_t count = 0;

        (void)req;
        if (fd_protocol_reader(ctx, &idx, &err) || fd_index_count(idx, &count, &err))
                return fd_protocol_fail(&err);
        json_t *sources = sources_json(ctx->engine, idx);
        json_t *o = json_pack("{s:s,s:I,s:I,s:o}", "version", FD_VERSION, "records", (json_int_t)count,
                              "generation", (json_int_t)fd_engine_generation(ctx->engine), "sources", sources);
        if (o && fd_engine_n_shards(ctx->engine)) {
                json_object_set_new(o, "readonly", json_boolean(fd_engine_config(ctx->engine)->index.readonly));
                json_object_set_new(o, "shards", shards_json(ctx->engine));
        }
        return fd_protocol_ok(o);
}

char *fd_op_errors(struct fd_query_ctx *ctx, json_t *req) {
        struct fd_error err = {0};
        json_t *source = json_object_get(req, "source"), *runs = NULL;
        size_t slot;

        if (!json_is_string(source) || json_string_length(source) == 0)
                return fd_protocol_error(FD_E_INVALID, "'errors' needs a 'source' string");
        const char *name = json_string_value(source);
        if (!fd_engine_find(ctx->engine, name, &slot))
                return fd_protocol_error(FD_E_NOTFOUND, "no source '%s'", name);
        if (fd_state_errors_read(ctx->engine->state_dir, name, &runs, &err))
                return fd_protocol_fail(&err);
        return fd_protocol_ok(json_pack("{s:s,s:o}", "source", name, "runs", runs));
}
