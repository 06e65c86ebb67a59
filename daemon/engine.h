/* engine.h: what the ops see of the engine (HACKING.md).
 *
 * The engine (daemon.c and the threads it runs) harvests, indexes and
 * schedules; the ops (ops/) answer requests.  Ops never touch the engine's
 * structs or locks: they reach it through this small interface, a table of
 * functions behind struct fd_engine, the way redis commands reach the
 * server through a client.  A source's state comes as a copied snapshot,
 * taken under the source's lock by the engine and read without it by the
 * op.  Unit tests and the request fuzzer drive the ops through a fake
 * engine (tests/unit/fake_engine.c) that implements the same table.
 */
#ifndef FD_ENGINE_H
#define FD_ENGINE_H

#include <stdatomic.h>

#include <jansson.h>

#include "fd_config.h"
#include "fd_harvesters.h"

enum fd_run_state { FD_RUN_IDLE, FD_RUN_RUNNING, FD_RUN_OK, FD_RUN_FAILED };

/* What one run did to the index, counted by the indexer as it commits the
 * run's pages.  records = added + updated + unchanged (the records it
 * committed); deleted: records the index held and removed (a deleted header
 * of a record it never held is not counted); errors: the run's warnings
 * (the lines of the `errors` op). */
/* The formats a run's skipped records are counted by; beyond, "other". */
#define FD_RUN_SKIP_FORMATS 8

struct fd_run_counts {
        uint64_t records, added, updated, unchanged, deleted, skipped, errors;
        /* skipped, by the format the records were in (struct fd_format_skip) */
        struct {
                char format[96];
                uint64_t n;
        } skipped_formats[FD_RUN_SKIP_FORMATS];
        size_t n_skipped_formats;
};

/* Adds n records skipped in format to c (state.c). */
void fd_run_count_skip(struct fd_run_counts *c, const char *format, uint64_t n);
/* c's skipped records by format as a JSON object {format: n} (state.c). */
json_t *fd_run_skips_json(const struct fd_run_counts *c);

/* A run that ended: kept while the next one runs, and read back from the
 * errors file after a restart (fd_state_last_run). */
struct fd_run_summary {
        int64_t start, end;         /* epoch seconds; end 0: none known */
        char status[16];            /* fd_status_name() of how it ended */
        struct fd_run_counts counts;
};

/* A copy of one source's state, as `status`, `sources` and `metrics`
 * show it.  Times are epoch seconds, 0: never / none. */
struct fd_source_snapshot {
        const struct fd_source_config *config;  /* borrowed: configurations live as long as the engine */
        enum fd_run_state state;
        int64_t last_start, last_end, next_run;
        int64_t last_reconciled, failing_since;
        char last_error[FD_ERROR_MAX];          /* "" when the last run succeeded */
        char last_complete[40];                 /* the checkpoint's, "" when none */
        struct fd_run_counts run;               /* of the current or last run, so far */
        struct fd_run_summary last_run;         /* the last run that ended (end 0: unknown) */
        long progress_total;                    /* completeListSize of the list in hand, -1: none */
        uint64_t progress_done;                 /* records of the run committed so far */
        unsigned failures;                      /* consecutive failed runs */
        bool removed, stuck;
        uint64_t runs_total, failures_total;    /* since start */
        uint64_t pages_done;                    /* committed (or refused) since start */
        const struct fd_http_counts *http;      /* atomics, borrowed like config */
};

/* A copy of one shard's state, as `status` and `metrics` show it. */
struct fd_shard_snapshot {
        const char *name;                       /* borrowed: as the configuration names it */
        bool remote, up;
        int64_t down_since;                     /* epoch seconds, 0: up */
        uint64_t documents;                     /* as last counted */
        char last_error[FD_ERROR_MAX];          /* "" when it never failed */
};

/* The longest source name purge takes (names in the configuration are
 * at most 64 bytes; a purged one may come from an older configuration). */
#define FD_ENGINE_PURGE_NAME_MAX 127

struct fd_engine;

/* The engine's side of the interface.  Every function may be called from
 * any query worker at any time; none keeps the caller waiting longer than
 * the work it asks for. */
struct fd_engine_vtable {
        /* The current configuration, immutable and alive as long as the
         * engine (a reload retires it, it is not freed). */
        const struct fd_config *(*config)(struct fd_engine *e);
        /* Commits so far: a reader reopens when it moves. */
        uint64_t (*generation)(struct fd_engine *e);
        /* Source slots (configured, and removed ones the engine remembers). */
        size_t (*n_sources)(struct fd_engine *e);
        /* The slot of source name (configured or removed), or false. */
        bool (*find)(struct fd_engine *e, const char *name, size_t *ret_i);
        /* Copies slot i (< n_sources) into *ret. */
        void (*snapshot)(struct fd_engine *e, size_t i, struct fd_source_snapshot *ret);
        /* Makes source due now (the harvest op).  FD_E_NOTFOUND when it is
         * not configured. */
        enum fd_status (*harvest)(struct fd_engine *e, const char *source, struct fd_error *err);
        /* Rereads the configuration and waits for the outcome (the reload
         * op): err says why it was refused. */
        enum fd_status (*reload)(struct fd_engine *e, struct fd_error *err);
        /* Deletes every record of a source that is no longer configured,
         * waiting for their commit; *ret_deleted counts them. */
        enum fd_status (*purge)(struct fd_engine *e, const char *source, uint64_t *ret_deleted,
                                struct fd_error *err);
        /* Queues a reassessment of every record scored with another rubric;
         * *ret_rubric is the rubric they get (static). */
        enum fd_status (*rescore)(struct fd_engine *e, const char **ret_rubric, struct fd_error *err);
        /* Queues a remap of the records of source (NULL: every source) whose
         * mapper has another version today; FD_E_NOTFOUND: no such source. */
        enum fd_status (*remap)(struct fd_engine *e, const char *source, struct fd_error *err);
        /* The shards of the index: 0 when the configuration has no
         * index: shards (one database under state_dir). */
        size_t (*n_shards)(struct fd_engine *e);
        /* Copies shard i (< n_shards) into *ret. */
        void (*shard)(struct fd_engine *e, size_t i, struct fd_shard_snapshot *ret);
};

struct fd_engine {
        const struct fd_engine_vtable *vt;
        const char *index_path;         /* <state_dir>/index, fixed for the engine's life */
        /* Where the index lives (fd_index_open_shards): today the one
         * database at index_path; fixed for the engine's life too. */
        const struct fd_index_shards *shards;
        const char *state_dir;          /* fixed too: a reload cannot change it */
};

static inline const struct fd_config *fd_engine_config(struct fd_engine *e) { return e->vt->config(e); }
static inline uint64_t fd_engine_generation(struct fd_engine *e) { return e->vt->generation(e); }
static inline size_t fd_engine_n_sources(struct fd_engine *e) { return e->vt->n_sources(e); }
static inline void fd_engine_snapshot(struct fd_engine *e, size_t i, struct fd_source_snapshot *ret) {
        e->vt->snapshot(e, i, ret);
}
static inline size_t fd_engine_n_shards(struct fd_engine *e) { return e->vt->n_shards ? e->vt->n_shards(e) : 0; }
static inline void fd_engine_shard(struct fd_engine *e, size_t i, struct fd_shard_snapshot *ret) {
        e->vt->shard(e, i, ret);
}
static inline bool fd_engine_find(struct fd_engine *e, const char *name, size_t *ret_i) {
        return e->vt->find(e, name, ret_i);
}

#endif
