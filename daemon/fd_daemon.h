/* fd_daemon.h: the daemon's internals, shared by its files and main.c.
 *
 * Threads (each file says which it runs):
 *   main      signals, sd_notify, the scheduler (daemon.c)
 *   harvest/N one per running source: HTTP handle, parser, page arenas (harvest.c)
 *   index     the only owner of the writable Xapian database (indexer.c)
 *   accept    the query socket and its connections; hands request lines to
 *             the query workers through a bounded queue (server.c)
 *   query/M   2 to 4 workers, each with its own read-only database reopened
 *             when the commit generation moves (server.c, protocol.c)
 * Pages move harvest -> index through a bounded queue.  What else is shared
 * is the immutable config, atomics, and per-source state under its mutex.
 */
#ifndef FD_DAEMON_H
#define FD_DAEMON_H

#include <pthread.h>
#include <stdatomic.h>

#include "fd_config.h"
#include "fd_fair.h"
#include "fd_harvesters.h"
#include "fd_index.h"

/* Pages waiting for the indexer: bounds memory to a few pages. */
#define FD_DAEMON_QUEUE_PAGES 4
/* Source slots: a reload may add sources up to this many, counting the
 * removed ones this process still remembers. */
#define FD_DAEMON_MAX_SOURCES 1024
/* A failed run is retried after 5 min, doubling per failure up to the
 * source's interval and at most FD_BACKOFF_MAX. */
#define FD_BACKOFF_MIN 300
#define FD_BACKOFF_MAX (6 * 3600)
/* A run's start is delayed by up to 2% of the interval, at most 5 min. */
#define FD_JITTER_PERCENT 2
#define FD_JITTER_MAX 300

enum fd_run_state { FD_RUN_IDLE, FD_RUN_RUNNING, FD_RUN_OK, FD_RUN_FAILED };

/* What one run did to the index, counted by the indexer as it commits the
 * run's pages.  records = added + updated + unchanged (the records it
 * committed); deleted: records the index held and removed (a deleted header
 * of a record it never held is not counted); errors: the run's warnings
 * (the lines of the `errors` op). */
struct fd_run_counts {
        uint64_t records, added, updated, unchanged, deleted, skipped, errors;
};

/* A run that ended: kept while the next one runs, and read back from the
 * errors file after a restart (fd_harvest_restore_last_run). */
struct fd_run_summary {
        int64_t start, end;         /* epoch seconds; end 0: none known */
        char status[16];            /* fd_status_name() of how it ended */
        struct fd_run_counts counts;
};

/* What the daemon knows of one source.  Fields under lock unless atomic. */
struct fd_source_state {
        const struct fd_source_config *_Atomic config;  /* in the daemon's config (a reload swaps it) */
        pthread_mutex_t lock;
        enum fd_run_state state;
        int64_t last_start, last_end;            /* epoch seconds, 0: never */
        int64_t next_run;
        char last_error[FD_ERROR_MAX];           /* "" when the last run succeeded */
        struct fd_checkpoint checkpoint;         /* the last committed one */
        struct fd_run_counts run;                /* of the current or last run, so far */
        struct fd_run_summary last_run;          /* the last run that ended */
        atomic_bool last_run_restored;           /* the errors file was looked at */
        struct fd_http_counts http;              /* requests of its runs by status, since start */
        pthread_t thread;
        bool thread_live;                        /* thread not yet joined */
        atomic_bool abort;                       /* the indexer failed: stop this run */
        atomic_bool cancel;                      /* stop after the page in hand (stop, stuck, removed) */
        atomic_uint_fast64_t ticks;              /* moves with every page or identifier the run sees */
        bool removed;                            /* no longer configured (a reload dropped it) */
        bool full_restart;                       /* URL changed: drop the checkpoint at the next start
                                                  * (the checkpoint's url says so durably too) */
        bool stuck;                              /* the run was cancelled as stuck */
        int window_run;                          /* main thread: the run and its time window (daemon.c) */
        unsigned failures;                       /* consecutive failed runs */
        uint64_t runs_total, failures_total;     /* runs ended / failed since start */
        int64_t failing_since;                   /* end of the first of them, 0: not failing */
        uint64_t progress_seen;                  /* pages pushed + done at the last look (main thread) */
        int64_t progress_at;                     /* when that count last moved (main thread) */
        pthread_cond_t committed;                /* signalled after each of its pages */
        uint64_t pages_pushed, pages_done;       /* queued / committed or dropped */
        char index_error[FD_ERROR_MAX];          /* why the indexer refused its page */
        char host[256];                          /* of its URL, lowercase; "" for file: */
        bool waiting_host;                       /* due, but its host is busy (logged once) */
        int64_t last_reconciled;                 /* epoch seconds, 0: never */
        long progress_total;                     /* completeListSize of the list in hand, -1: none */
        uint64_t progress_done;                  /* records of the run committed so far */
        const struct fd_page *reconcile_page;    /* the page that commits reconcile_stamp */
        int64_t reconcile_stamp;
};

struct fd_daemon {
        /* The current configuration, an immutable snapshot swapped by a
         * reload; replaced ones stay alive in retired until release, since
         * harvest and query threads may still read them. */
        struct fd_config *_Atomic config;
        struct fd_config **retired;
        size_t n_retired;
        char *index_path;
        bool once;

        struct fd_index *writer;        /* the indexer thread's, once started */
        struct fd_queue *pages;
        pthread_t indexer_thread;
        struct fd_error indexer_error;  /* set when the indexer gave up */
        atomic_bool indexer_failed;

        struct fd_server *server;

        /* FD_DAEMON_MAX_SOURCES slots, never moved: a reload fills a new
         * one completely before it increments n_sources. */
        struct fd_source_state *sources;
        _Atomic size_t n_sources;

        /* The reload op asks the main thread and waits (reload_cond). */
        pthread_mutex_t reload_lock;
        pthread_cond_t reload_cond;
        uint64_t reload_asked, reload_done;
        struct fd_error reload_error;     /* of the last reload, status FD_OK when it worked */
        char purging[128];                /* the source a purge is deleting, "" if none (reload_lock) */
        int64_t watchdog_usec;            /* sd_watchdog_enabled(), 0: no watchdog */
        char status_line[256];            /* the last STATUS= sent (main thread) */

        pthread_t main_thread;
        atomic_bool stopping;
        atomic_uint_fast64_t generation;  /* commits so far; readers reopen when it moves */
        atomic_uint_fast64_t records_indexed;
};

/* daemon.c */
enum fd_status fd_daemon_init(struct fd_daemon *d, struct fd_config *config_take, bool once, struct fd_error *err);
int fd_daemon_run(struct fd_daemon *d);
void fd_daemon_release(struct fd_daemon *d);
/* Wakes the main thread (a harvest ended). */
void fd_daemon_wake(struct fd_daemon *d);
/* Makes source due now and wakes the main thread (the admin op harvest).
 * FD_E_NOTFOUND when there is no such source. */
enum fd_status fd_daemon_request_harvest(struct fd_daemon *d, const char *source, struct fd_error *err);
/* The source named name, or NULL. */
struct fd_source_state *fd_daemon_source(struct fd_daemon *d, const char *name);
const char *fd_run_state_name(enum fd_run_state s);
/* Sets s->next_run after a run that ended at now: interval plus jitter
 * after a success, the backoff after a failure (counting it in failures
 * and failing_since).  s->lock must be held. */
void fd_daemon_schedule_next(struct fd_source_state *s, bool ok, int64_t now);
/* Rereads the configuration file (main thread only): added sources start on
 * schedule, removed ones stop after their page in hand, a changed URL
 * restarts its source in full.  An invalid file changes nothing and err
 * says why. */
enum fd_status fd_daemon_reload(struct fd_daemon *d, struct fd_error *err);

/* indexer.c */
enum fd_status fd_indexer_start(struct fd_daemon *d, struct fd_error *err);
/* Closes the queue, lets the indexer commit what is queued, joins it. */
void fd_indexer_stop(struct fd_daemon *d);
/* The key of a source's checkpoint in the index metadata. */
#define FD_META_CHECKPOINT "checkpoint:"
/* The key of the time (ISO 8601) of a source's last completed deletion
 * reconciliation. */
#define FD_META_RECONCILED "reconciled:"
/* The admin op `rescore` (docs/protocol.md): queues a reassessment of every
 * record scored with another rubric for the indexer and answers at once. */
struct fd_query_ctx;
char *fd_op_rescore(struct fd_query_ctx *ctx, json_t *req);

/* harvest.c */
/* Starts a harvest thread for s (s->state must not be RUNNING). */
enum fd_status fd_harvest_start(struct fd_daemon *d, struct fd_source_state *s, struct fd_error *err);
/* Joins harvest threads that have ended; with wait, all of them. */
void fd_harvest_reap(struct fd_daemon *d, bool wait);
/* Adds the harvest fields of s ("run", "last_run", "progress",
 * "last_reconciled", "failing_since", "failures", "removed", "stuck") to
 * its status object o; s->lock must be held. */
void fd_harvest_status(const struct fd_source_state *s, json_t *o);
/* Once per source and process, before its first status: when no run of s
 * has ended since start, reads its last run from the errors file (the runs
 * of an earlier fairdexd).  Takes s->lock itself; never fails (a file that
 * cannot be read leaves last_run unknown). */
void fd_harvest_restore_last_run(struct fd_daemon *d, struct fd_source_state *s);
/* Each run's warnings kept in <state_dir>/errors/<source>.jsonl: at most
 * FD_ERRORS_PER_RUN per run (then one "… N more" line), the last
 * FD_ERRORS_RUNS runs. */
#define FD_ERRORS_PER_RUN 2000
#define FD_ERRORS_RUNS 10
/* The kept runs of source, oldest first, as a new JSON array (empty when
 * none ran).  FD_E_IO when the file cannot be read. */
enum fd_status fd_harvest_errors(struct fd_daemon *d, const char *source, json_t **ret_runs, struct fd_error *err);
/* Deletes every record of source from the index: pages of deleted
 * records through the indexer, waiting for their commit when s (the
 * source's slot, if it has one) is given.  *ret_deleted counts them. */
enum fd_status fd_harvest_purge(struct fd_daemon *d, const char *source, struct fd_source_state *s,
                                uint64_t *ret_deleted, struct fd_error *err);

/* server.c */
struct fd_server;
enum fd_status fd_server_start(struct fd_daemon *d, struct fd_server **ret, struct fd_error *err);
void fd_server_stop(struct fd_server *s);

/* protocol.c: the NDJSON protocol, see docs/protocol.md. */
struct fd_query_ctx {
        struct fd_daemon *daemon;
        struct fd_index *reader;          /* NULL until the index exists */
        uint64_t generation;              /* of reader */
        bool admin;                       /* the peer is root or the daemon's uid (SO_PEERCRED) */
};
#define FD_PROTOCOL_MAX_REQUEST (64 * 1024)
/* Answers one request line (without its newline) as a new JSON text
 * (malloc'ed, without newline).  Never fails: errors become error objects. */
char *fd_protocol_handle(struct fd_query_ctx *ctx, const char *line, size_t len);
/* An error response (malloc'ed JSON text) with code fd_status_name(code). */
char *fd_protocol_error(enum fd_status code, const char *fmt, ...) _fd_printf_(2, 3);
/* The same from an fd_error. */
char *fd_protocol_fail(const struct fd_error *err);
/* The "forbidden" answer to an admin op from anyone but root and the
 * daemon's own user. */
char *fd_protocol_forbidden(const char *op);
/* Adds "ok":true to a result object and serializes it; takes obj (NULL: an
 * out-of-memory error). */
char *fd_protocol_ok(json_t *obj);
/* This thread's read-only index, opened on first use and reopened when the
 * indexer has committed since. */
enum fd_status fd_protocol_reader(struct fd_query_ctx *ctx, struct fd_index **ret, struct fd_error *err);
/* Reads the optional integer field name of req, 0..max, into *io (left
 * alone when absent); FD_E_INVALID naming the field otherwise. */
enum fd_status fd_protocol_uint(json_t *req, const char *name, unsigned max, unsigned *io, struct fd_error *err);

/* export.c: the export op (a record or a search's hits as BibTeX, RIS,
 * DataCite JSON or schema.org JSON-LD). */
char *fd_op_export(struct fd_query_ctx *ctx, json_t *req);

/* op_fair.c: the `fair` op, and the FAIR history each successful run adds
 * to <state_dir>/fair-history/<source>.json (waits for the run's pages to
 * be committed first; logs, never fails the run). */
#define FD_FAIR_HISTORY_MAX 100
char *fd_op_fair(struct fd_query_ctx *ctx, json_t *req);
void fd_fair_history_add(struct fd_daemon *d, struct fd_source_state *s);

/* op_ops.c: the admin ops `reload` (asks the main thread to reread the
 * configuration, answers its outcome) and `purge` (deletes every record of
 * a source that is no longer configured, as pages of deleted records). */
char *fd_op_reload(struct fd_query_ctx *ctx, json_t *req);
char *fd_op_purge(struct fd_query_ctx *ctx, json_t *req);
/* metrics.c: the `metrics` op (Prometheus text in "text"); the query
 * latency wrapper the server calls instead of fd_protocol_handle; one
 * page's latency (time since the run's previous page), from harvest.c. */
char *fd_op_metrics(struct fd_query_ctx *ctx, json_t *req);
char *fd_metrics_handle(struct fd_query_ctx *ctx, const char *line, size_t len);
void fd_metrics_page(int64_t us);
/* The `errors` op: a source's kept runs with every warning of each. */
char *fd_op_errors(struct fd_query_ctx *ctx, json_t *req);

#endif
