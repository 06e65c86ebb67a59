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

enum fd_run_state { FD_RUN_IDLE, FD_RUN_RUNNING, FD_RUN_OK, FD_RUN_FAILED };

/* What the daemon knows of one source.  Fields under lock unless atomic. */
struct fd_source_state {
        const struct fd_source_config *config;   /* in the daemon's config */
        pthread_mutex_t lock;
        enum fd_run_state state;
        int64_t last_start, last_end;            /* epoch seconds, 0: never */
        int64_t next_run;
        char last_error[FD_ERROR_MAX];           /* "" when the last run succeeded */
        struct fd_checkpoint checkpoint;         /* the last committed one */
        uint64_t run_records, run_deleted, run_skipped;  /* committed in the current/last run */
        pthread_t thread;
        bool thread_live;                        /* thread not yet joined */
        atomic_bool abort;                       /* the indexer failed: stop this run */
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
        struct fd_config *config;
        char *index_path;
        bool once;

        struct fd_index *writer;        /* the indexer thread's, once started */
        struct fd_queue *pages;
        pthread_t indexer_thread;
        struct fd_error indexer_error;  /* set when the indexer gave up */
        atomic_bool indexer_failed;

        struct fd_server *server;

        struct fd_source_state *sources;
        size_t n_sources;

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

/* indexer.c */
enum fd_status fd_indexer_start(struct fd_daemon *d, struct fd_error *err);
/* Closes the queue, lets the indexer commit what is queued, joins it. */
void fd_indexer_stop(struct fd_daemon *d);
/* The key of a source's checkpoint in the index metadata. */
#define FD_META_CHECKPOINT "checkpoint:"
/* The key of the time (ISO 8601) of a source's last completed deletion
 * reconciliation. */
#define FD_META_RECONCILED "reconciled:"

/* harvest.c */
/* Starts a harvest thread for s (s->state must not be RUNNING). */
enum fd_status fd_harvest_start(struct fd_daemon *d, struct fd_source_state *s, struct fd_error *err);
/* Joins harvest threads that have ended; with wait, all of them. */
void fd_harvest_reap(struct fd_daemon *d, bool wait);
/* Adds the harvest fields of s ("progress", "last_reconciled") to its
 * status object o; s->lock must be held. */
void fd_harvest_status(const struct fd_source_state *s, json_t *o);

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

#endif
