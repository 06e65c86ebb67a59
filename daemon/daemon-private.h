/* daemon-private.h: the engine's internals, shared by its files and main.c.
 *
 * Threads (each file says which it runs; HACKING.md):
 *   main      signals, sd_notify, reload (daemon.c), the scheduler (scheduler.c)
 *   harvest/N one per running source: HTTP handle, parser, page arenas (harvest.c)
 *   index     splits pages by shard and commits them, checkpoints last (indexer.c)
 *   shard/K   one per shard of the index, sole owner of its writable
 *             database; writes and commits its part of each page (shards.c)
 *   accept    the query socket and its connections; hands request lines to
 *             the query workers through a bounded queue (server.c)
 *   query/M   2 to 4 workers, each with its own read-only database, running
 *             the ops (ops/) against the engine's interface (engine.h)
 * Pages move harvest -> index through a bounded queue.  What else is shared
 * is the immutable config, atomics, and per-source state under its mutex;
 * the ops see the latter only as snapshots (fd_source_snapshot).
 *
 * Calls form a tree: main -> daemon -> {scheduler, server, indexer, state,
 * source, runhooks, metrics, testhooks}; scheduler -> {harvest, source,
 * state}; harvest -> {source, state} and the run hooks it is given;
 * indexer -> source; server -> ops (through fd_protocol_handle) -> the
 * engine's vtable (implemented in daemon.c), state, metrics.  Nothing below
 * calls back up except through a function pointer the caller supplied.
 */
#ifndef FD_DAEMON_H
#define FD_DAEMON_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>

#include "engine.h"
#include "fd_config.h"
#include "fd_fair.h"
#include "fd_harvesters.h"
#include "fd_index.h"
#include "ops/ops.h"
#include "state.h"

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
/* The query queue's capacity (server.c), the most FAIRDEX_TEST_QUEUE asks. */
#define FD_TEST_QUEUE_MAX 32

/* The test hooks, read from the environment once (testhooks.c). */
struct fd_test_hooks {
        int64_t window_offset;          /* FD_TEST_WINDOW_OFFSET, 0: none */
        int queue;                      /* FAIRDEX_TEST_QUEUE, -1: none */
        char rubric[32];                /* FD_TEST_RUBRIC_VERSION, "": none */
        char mapper_old[32];            /* FD_TEST_MAPPER_OLD, "": none */
};
void fd_test_hooks_read(struct fd_test_hooks *t);

/* What the scheduler alone uses (main thread, no lock). */
struct fd_sched {
        char host[256];                 /* of the source's URL, lowercase; "" for file: */
        bool waiting_host;              /* due, but its host is busy (logged once) */
        int window_run;                 /* the run and its time window (scheduler.c) */
        uint64_t progress_seen;         /* pages pushed + done at the last look */
        int64_t progress_at;            /* when that count last moved */
        pthread_t thread;               /* the harvest thread of the run */
        bool thread_live;               /* started, not yet joined */
        bool full_restart;              /* URL changed: drop the checkpoint at the next start
                                         * (the checkpoint's url says so durably too) */
};

/* How a run ended, from its harvest thread to the scheduler, which makes
 * it visible (state, last_end, backoff) when it joins the thread. */
struct fd_run_outcome {
        bool ended;                     /* the harvest thread is about to return */
        enum fd_status status;
        char error[FD_ERROR_MAX];
        int64_t end;                    /* epoch seconds */
        double seconds;                 /* how long it ran */
};

/* What the daemon knows of one source.  Fields under lock unless atomic
 * or in sched. */
struct fd_source_state {
        const struct fd_source_config *_Atomic config;  /* in the daemon's config (a reload swaps it) */
        pthread_mutex_t lock;
        /* What status shows: copied whole by fd_source_snapshot. */
        enum fd_run_state state;
        int64_t last_start, last_end;            /* epoch seconds, 0: never */
        int64_t next_run;                        /* written by the main thread and the harvest op */
        char last_error[FD_ERROR_MAX];           /* "" when the last run succeeded */
        struct fd_run_counts run;                /* of the current or last run, so far */
        struct fd_run_summary last_run;          /* the last run that ended */
        atomic_bool last_run_restored;           /* the errors file was looked at */
        unsigned failures;                       /* consecutive failed runs (main thread writes) */
        int64_t failing_since;                   /* end of the first of them, 0: not failing */
        uint64_t runs_total, failures_total;     /* runs ended / failed since start */
        bool removed;                            /* no longer configured (a reload dropped it) */
        bool stuck;                              /* the run was cancelled as stuck */
        int64_t last_reconciled;                 /* epoch seconds, 0: never */
        long progress_total;                     /* completeListSize of the list in hand, -1: none */
        uint64_t progress_done;                  /* records of the run committed so far */
        struct fd_http_counts http;              /* requests of its runs by status, since start */
        /* The run, between its harvest thread and the indexer. */
        struct fd_checkpoint checkpoint;         /* the last committed one */
        atomic_bool abort;                       /* the indexer failed: stop this run */
        atomic_bool cancel;                      /* stop after the page in hand (stop, stuck, removed) */
        atomic_uint_fast64_t ticks;              /* moves with every page or identifier the run sees */
        pthread_cond_t committed;                /* signalled after each of its pages */
        uint64_t pages_pushed, pages_done;       /* queued / committed or dropped */
        char index_error[FD_ERROR_MAX];          /* why the indexer refused its page */
        const struct fd_page *reconcile_page;    /* the page that commits reconcile_stamp */
        int64_t reconcile_stamp;
        struct fd_run_outcome outcome;           /* harvest thread -> scheduler */
        struct fd_sched sched;                   /* the scheduler's own */
};

/* What must happen around a run, called by the harvest thread: after each
 * page (latency since the previous one) and after a run that succeeded,
 * once its pages are committed (the FAIR history).  runhooks.c has the
 * daemon's; fd_daemon_init installs them. */
struct fd_run_hooks {
        void (*page)(int64_t us);
        void (*run_ok)(const struct fd_index_shards *shards, const char *state_dir, const char *source);
};

struct fd_shard;

/* A piece of work for one shard's thread (shards.c): fn runs with the
 * shard's handle (sh->writer, open); with retry, a shard that does not
 * answer is waited for and fn run again on a new handle, each try moving
 * *ticks (may be NULL). */
struct fd_shard_work {
        enum fd_status (*fn)(struct fd_shard *sh, void *arg, struct fd_error *err);
        void *arg;
        bool retry;
        atomic_uint_fast64_t *ticks;
        enum fd_status status;          /* out */
        struct fd_error err;            /* out */
};

/* One shard of the index.  writer, opened: the shard thread's own (and
 * fd_shards_open's before it starts); the rest under lock. */
struct fd_shard {
        struct fd_daemon *d;
        size_t i;
        const char *name;               /* as the configuration names it */
        const char *loc;                /* where the writer opens it: path or tcp:// */
        const char *search;             /* where searches (and a readonly daemon) open it */
        bool remote;
        bool initialized, thread_live;
        struct fd_index *writer;        /* NULL while down; read-only in readonly mode */
        uint64_t opened;                /* handles dropped so far: changes on reopen */
        pthread_t thread;
        pthread_mutex_t lock;
        pthread_cond_t cond;
        struct fd_shard_work *work;     /* posted, NULL when done */
        atomic_bool quit;               /* set under lock */
        bool up;
        int64_t down_since;             /* epoch seconds, 0: up */
        char last_error[FD_ERROR_MAX];
        atomic_uint_fast64_t documents;
};

struct fd_daemon {
        struct fd_engine engine;        /* what the ops see (daemon.c's vtable) */
        /* The current configuration, an immutable snapshot swapped by a
         * reload; replaced ones stay alive in retired until release, since
         * harvest and query threads may still read them. */
        struct fd_config *_Atomic config;
        struct fd_config **retired;
        size_t n_retired;
        char *index_path;
        char *state_dir;
        bool once;
        struct fd_test_hooks test;
        struct fd_run_hooks hooks;

        /* The shards (one: the database at index_path when the
         * configuration has no index: shards); shard 0 is the home shard,
         * holding the checkpoints. */
        struct fd_shard *shard;
        size_t n_shards;
        enum fd_index_route route;
        bool readonly;                  /* index: readonly: serves searches, harvests nothing */
        const char **shard_locs, **shard_names;
        struct fd_index_shards shards;  /* where readers open them (engine.shards) */
        struct fd_queue *pages;
        pthread_t indexer_thread;
        struct fd_error indexer_error;  /* set when the indexer gave up */
        atomic_bool indexer_failed;

        struct fd_server *server;
        struct fd_http *http;           /* NULL: no http: configured */

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

/* Wakes the main thread (a harvest ended, a run was asked for). */
static inline void fd_daemon_wake(struct fd_daemon *d) { pthread_kill(d->main_thread, SIGUSR1); }

/* daemon.c: the engine's lifecycle and its interface for the ops. */
enum fd_status fd_daemon_init(struct fd_daemon *d, struct fd_config *config_take, bool once, struct fd_error *err);
int fd_daemon_run(struct fd_daemon *d);
void fd_daemon_release(struct fd_daemon *d);
/* Rereads the configuration file (main thread only): added sources start on
 * schedule, removed ones stop after their page in hand, a changed URL
 * restarts its source in full.  An invalid file changes nothing and err
 * says why. */
enum fd_status fd_daemon_reload(struct fd_daemon *d, struct fd_error *err);

/* source.c: source slots. */
/* A fresh slot for source c. */
void fd_source_init(struct fd_source_state *s, const struct fd_source_config *c);
void fd_source_release(struct fd_source_state *s);
/* The slot of the source named name (configured or removed), or NULL. */
struct fd_source_state *fd_source_find(struct fd_daemon *d, const char *name);
/* Copies what status shows of s, taking its lock. */
void fd_source_snapshot(struct fd_source_state *s, struct fd_source_snapshot *ret);
/* The host of an http(s) URL, lowercase, into out ("" for file: URLs). */
void fd_url_host(const char *url, char *out, size_t outsz);

/* shards.c: the shard threads. */
/* Sets up the shards of the configuration and opens their handles; the
 * home shard must answer (unless readonly), others may come later. */
enum fd_status fd_shards_open(struct fd_daemon *d, struct fd_error *err);
enum fd_status fd_shards_start(struct fd_daemon *d, struct fd_error *err);
/* Wakes shard threads waiting for a shard that does not answer, once
 * d->stopping is set: they give up at once. */
void fd_shards_wake(struct fd_daemon *d);
/* Stops and joins the shard threads (the work in hand ends first). */
void fd_shards_stop(struct fd_daemon *d);
void fd_shards_release(struct fd_daemon *d);
/* Runs works[i] (NULL: nothing) on each shard i at once, waits for all. */
void fd_shards_run(struct fd_daemon *d, struct fd_shard_work *const *works);
/* Hands w to shard i once its work in hand is done, without waiting for
 * w; fd_shards_wait waits until shard i has none. */
void fd_shards_post(struct fd_daemon *d, size_t i, struct fd_shard_work *w);
void fd_shards_wait(struct fd_daemon *d, size_t i);
/* Runs w on shard i alone; its status. */
enum fd_status fd_shards_run_one(struct fd_daemon *d, size_t i, struct fd_shard_work *w);
/* Closes shard sh's handle, from its own thread (its work): the next
 * work opens a new one.  What it held uncommitted is gone. */
void fd_shard_drop(struct fd_shard *sh);
/* The documents of every shard, as last counted. */
uint64_t fd_shards_documents(struct fd_daemon *d);
void fd_shards_snapshot(struct fd_daemon *d, size_t i, struct fd_shard_snapshot *ret);

/* scheduler.c: the main thread's scheduling (see its design comment). */
/* Reads a source's committed checkpoint and reconciliation time from idx
 * (NULL: none yet) and its saved backoff; sets when it runs next. */
enum fd_status fd_sched_load(struct fd_daemon *d, struct fd_index *idx, struct fd_source_state *s, int64_t now,
                             struct fd_error *err);
/* s->next_run moved into its window when it falls outside (s->lock held or
 * s not shared yet).  0 (asked for) stays. */
void fd_sched_fit_window(struct fd_daemon *d, struct fd_source_state *s);
/* Joins harvest threads that have ended (with wait, all of them) and
 * publishes how their runs ended. */
void fd_sched_reap(struct fd_daemon *d, bool wait);
/* One pass of the scheduler: starts what is due, cancels stuck runs and
 * runs whose window closed; returns the milliseconds it may sleep and
 * whether any harvest runs. */
int64_t fd_sched_step(struct fd_daemon *d, bool *ret_harvesting);
/* --once: true when every source has run and ended. */
bool fd_sched_all_done(struct fd_daemon *d);
/* The STATUS= line for systemctl status into out. */
void fd_sched_status_line(struct fd_daemon *d, char *out, size_t outsz);

/* indexer.c */
enum fd_status fd_indexer_start(struct fd_daemon *d, struct fd_error *err);
/* Closes the queue, lets the indexer commit what is queued, joins it. */
void fd_indexer_stop(struct fd_daemon *d);
/* Queues a reassessment of every record scored with another rubric (joins
 * one already queued); *ret_rubric is the rubric they get. */
enum fd_status fd_indexer_rescore(struct fd_daemon *d, const char **ret_rubric, struct fd_error *err);
/* Queues a remap of the records of source (NULL or "": every source) read
 * by another version of today's mapper (joins one already queued);
 * FD_E_NOTFOUND for an unknown source. */
enum fd_status fd_indexer_remap(struct fd_daemon *d, const char *source, struct fd_error *err);
/* The key of a source's checkpoint in the index metadata. */
#define FD_META_CHECKPOINT "checkpoint:"
/* The key of the time (ISO 8601) of a source's last completed deletion
 * reconciliation. */
#define FD_META_RECONCILED "reconciled:"

/* harvest.c */
/* Starts a harvest thread for s (s->state must not be RUNNING); the
 * thread fills s->outcome and wakes the main thread when it ends. */
enum fd_status fd_harvest_start(struct fd_daemon *d, struct fd_source_state *s, struct fd_error *err);
/* Deletes every record of source from the index: pages of deleted
 * records through the indexer, waiting for their commit when s (the
 * source's slot, if it has one) is given.  *ret_deleted counts them. */
enum fd_status fd_harvest_purge(struct fd_daemon *d, const char *source, struct fd_source_state *s,
                                uint64_t *ret_deleted, struct fd_error *err);

/* server.c */
struct fd_server;
enum fd_status fd_server_start(struct fd_daemon *d, struct fd_server **ret, struct fd_error *err);
void fd_server_stop(struct fd_server *s);

/* http.c: the read-only HTTP listener; *ret stays NULL when the
 * configuration has no http: (docs/federation.md). */
struct fd_http;
enum fd_status fd_http_start(struct fd_daemon *d, struct fd_http **ret, struct fd_error *err);
void fd_http_stop(struct fd_http *h);

/* runhooks.c: the daemon's run hooks. */
extern const struct fd_run_hooks fd_run_hooks_default;

#endif
