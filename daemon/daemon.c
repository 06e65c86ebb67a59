/* daemon.c: the engine — lifecycle, signals, sd_notify, reload, and the
 * interface the ops reach it through.
 *
 * The daemon is an engine and its operations, split the way redis splits
 * server.c/networking.c from its command table: the engine (this file,
 * scheduler.c, harvest.c, indexer.c, server.c, and the leaves state.c,
 * source.c, runhooks.c, metrics.c, testhooks.c) harvests, indexes,
 * schedules and serves; the ops (ops/) answer requests and
 * reach the engine only through struct fd_engine (engine.h), whose vtable
 * is implemented at the end of this file.  Ops read copied snapshots of a
 * source, never its lock; harvest and indexer threads build no protocol
 * JSON and call nothing of the ops; what happens around a run (metrics,
 * FAIR history) is a hook (runhooks.c).  HACKING.md draws
 * the tree of who calls whom.
 *
 * Signals are blocked in every thread and taken here with sigtimedwait, so
 * no handler runs in async-signal context.  The main thread sleeps until the
 * next source is due or a signal arrives; a harvest thread that ends sends
 * SIGUSR1 to wake it (fd_daemon_wake).  SIGTERM/SIGINT set `stopping`: the
 * harvesters stop after the page in hand, the indexer commits what is
 * queued, and the process exits 0.
 *
 * The loop wakes at least every WatchdogSec/2 (sd_watchdog_enabled) to send
 * WATCHDOG=1, and every few seconds while a harvest runs to refresh STATUS=
 * and to look for stuck runs (scheduler.c).
 *
 * Reload swaps the configuration snapshot: the old one is retired, not
 * freed, because harvest and query threads may still read it; source slots
 * are a fixed array, so a reader never sees it move, and a removed source
 * keeps its slot (marked removed) until the process ends.  The reload op
 * takes a ticket, sends the main thread SIGHUP and waits on reload_cond
 * until a reload that started after its ticket has ended; several waiting
 * ops share one reload; SIGHUP from outside is answered by nobody.
 */
#include <errno.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <systemd/sd-daemon.h>

#include "daemon-private.h"

/* How long the reload op waits for the main thread. */
#define RELOAD_WAIT_S 30

static const struct fd_engine_vtable engine_vtable;

_Static_assert(sizeof ((struct fd_daemon *)0)->purging > FD_ENGINE_PURGE_NAME_MAX, "purging holds any name purge takes");

/* sd_notify without blocking: libsystemd's send blocks when the receiver's
 * queue is full, and the main loop must never wait on whoever listens
 * (a stalled manager, a test that stopped reading).  A message that does
 * not fit is dropped; the next one says the same or newer. */
static void notify(const char *fmt, ...) _fd_printf_(1, 2);
static void notify(const char *fmt, ...) {
        static int fd = -1;
        const char *path = getenv("NOTIFY_SOCKET");
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        char msg[512];
        va_list ap;

        if (!path || (path[0] != '/' && path[0] != '@') || strlen(path) >= sizeof sa.sun_path)
                return;
        if (fd < 0 && (fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) < 0)
                return;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        size_t n = strlen(path);
        memcpy(sa.sun_path, path, n);
        if (path[0] == '@')
                sa.sun_path[0] = '\0';
        (void)sendto(fd, msg, strlen(msg), MSG_DONTWAIT | MSG_NOSIGNAL, (struct sockaddr *)&sa,
                     (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n));
}

enum fd_status fd_daemon_init(struct fd_daemon *d, struct fd_config *config_take, bool once, struct fd_error *err) {
        enum fd_status st;
        uint64_t usec = 0;

        memset(d, 0, sizeof *d);
        d->config = config_take;
        d->once = once;
        d->main_thread = pthread_self();
        atomic_init(&d->stopping, false);
        atomic_init(&d->indexer_failed, false);
        atomic_init(&d->generation, 0);
        atomic_init(&d->records_indexed, 0);
        pthread_mutex_init(&d->reload_lock, NULL);
        pthread_cond_init(&d->reload_cond, NULL);
        if (sd_watchdog_enabled(0, &usec) > 0)
                d->watchdog_usec = (int64_t)usec;
        fd_test_hooks_read(&d->test);
        d->hooks = fd_run_hooks_default;
        srandom((unsigned)(fd_time_mono_ms() ^ (int64_t)getpid()));

        st = fd_state_init(d->config->state_dir, err);
        if (st)
                return st;
        d->state_dir = strdup(d->config->state_dir);
        d->index_path = fd_state_path(d->config->state_dir, FD_STATE_INDEX, NULL);
        if (!d->state_dir || !d->index_path)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        d->engine = (struct fd_engine){
                .vt = &engine_vtable, .index_path = d->index_path, .shards = &d->shards, .state_dir = d->state_dir};
        if (d->config->n_sources > FD_DAEMON_MAX_SOURCES)
                return fd_error_set(err, FD_E_LIMIT, "%zu sources in '%s': at most %d", d->config->n_sources,
                                    d->config->path, FD_DAEMON_MAX_SOURCES);
        d->sources = calloc(FD_DAEMON_MAX_SOURCES, sizeof *d->sources);
        d->pages = fd_queue_new(FD_DAEMON_QUEUE_PAGES);
        if (!d->sources || !d->pages)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        for (size_t i = 0; i < d->config->n_sources; i++)
                fd_source_init(&d->sources[i], &d->config->sources[i]);
        d->n_sources = d->config->n_sources;

        if (once && d->config->index.readonly)
                return fd_error_set(err, FD_E_INVALID, "'%s': --once harvests, but the index is read-only "
                                    "('readonly: true' in 'index')", d->config->path);
        st = fd_shards_open(d, err);
        if (st)
                return st;

        /* The committed checkpoints (in the home shard) say where each
         * source stands. */
        int64_t now = fd_time_now();
        for (size_t i = 0; i < d->n_sources; i++) {
                st = fd_sched_load(d, d->shard[0].writer, &d->sources[i], now, err);
                if (st)
                        return st;
                fd_sched_fit_window(d, &d->sources[i]);
        }
        return FD_OK;
}

void fd_daemon_release(struct fd_daemon *d) {
        fd_shards_release(d);
        for (size_t i = 0; i < d->n_sources; i++)
                fd_source_release(&d->sources[i]);
        free(d->sources);
        fd_queue_free(d->pages);
        free(d->index_path);
        free(d->state_dir);
        fd_config_free(d->config);
        for (size_t i = 0; i < d->n_retired; i++)
                fd_config_free(d->retired[i]);
        free(d->retired);
        pthread_mutex_destroy(&d->reload_lock);
        pthread_cond_destroy(&d->reload_cond);
        memset(d, 0, sizeof *d);
}

/* STATUS= for systemctl status: what runs, or what is next. */
static void notify_status(struct fd_daemon *d) {
        char line[sizeof d->status_line];

        fd_sched_status_line(d, line, sizeof line);
        if (strcmp(line, d->status_line) == 0)
                return;
        snprintf(d->status_line, sizeof d->status_line, "%s", line);
        notify("STATUS=%s", line);
}

/* Answers the reload op's waiters with the outcome of a reload. */
static void reload_now(struct fd_daemon *d) {
        struct fd_error err = {0};

        pthread_mutex_lock(&d->reload_lock);
        uint64_t asked = d->reload_asked;
        pthread_mutex_unlock(&d->reload_lock);
        notify("RELOADING=1\nSTATUS=reloading the configuration");
        if (fd_daemon_reload(d, &err) != FD_OK)
                fd_log(FD_LOG_ERR, "reload refused, the running configuration stays: %s", err.msg);
        notify("READY=1");
        d->status_line[0] = '\0';
        pthread_mutex_lock(&d->reload_lock);
        d->reload_error = err;
        d->reload_done = asked;
        pthread_cond_broadcast(&d->reload_cond);
        pthread_mutex_unlock(&d->reload_lock);
}

int fd_daemon_run(struct fd_daemon *d) {
        struct fd_error err = {0};
        sigset_t set;
        int rc = 0;

        sigemptyset(&set);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGHUP);
        sigaddset(&set, SIGUSR1);

        if (fd_indexer_start(d, &err) != FD_OK) {
                fd_log(FD_LOG_ERR, "%s", err.msg);
                return 1;
        }
        if (!d->once) {
                /* HTTP first: it reads systemd's sockets without consuming
                 * them; the query server takes the rest. */
                if (fd_http_start(d, &d->http, &err) != FD_OK) {
                        fd_log(FD_LOG_ERR, "%s", err.msg);
                        fd_indexer_stop(d);
                        return 1;
                }
                if (fd_server_start(d, &d->server, &err) != FD_OK) {
                        fd_log(FD_LOG_ERR, "%s", err.msg);
                        fd_http_stop(d->http);
                        d->http = NULL;
                        fd_indexer_stop(d);
                        return 1;
                }
                if (d->config->index.n_shards)
                        fd_log(FD_LOG_NOTICE, "fairdexd %s ready: %zu sources, %zu shards%s (route %s), socket '%s'",
                               FD_VERSION, (size_t)d->n_sources, d->n_shards, d->readonly ? " read-only" : "",
                               fd_index_route_name(d->route), d->config->socket);
                else
                        fd_log(FD_LOG_NOTICE, "fairdexd %s ready: %zu sources, index '%s'%s, socket '%s'", FD_VERSION,
                               (size_t)d->n_sources, d->index_path, d->readonly ? " read-only" : "",
                               d->config->socket);
                notify("READY=1\nSTATUS=serving %zu sources", (size_t)d->n_sources);
        }

        while (!atomic_load(&d->stopping)) {
                fd_sched_reap(d, false);
                if (d->once && fd_sched_all_done(d))
                        break;
                bool harvesting;
                int64_t wait_ms = fd_sched_step(d, &harvesting);
                if (!d->once) {
                        if (d->watchdog_usec)
                                notify("WATCHDOG=1");
                        notify_status(d);
                }
                if (d->watchdog_usec && wait_ms > d->watchdog_usec / 2000)
                        wait_ms = d->watchdog_usec / 2000;
                if (wait_ms < 1)
                        wait_ms = 1;
                struct timespec ts = {.tv_sec = wait_ms / 1000, .tv_nsec = (wait_ms % 1000) * 1000000};
                int sig = sigtimedwait(&set, NULL, &ts);
                switch (sig) {
                case SIGTERM:
                case SIGINT:
                        fd_log(FD_LOG_NOTICE, "%s received, finishing the pages in hand",
                               sig == SIGTERM ? "SIGTERM" : "SIGINT");
                        atomic_store(&d->stopping, true);
                        fd_shards_wake(d);
                        for (size_t i = 0; i < d->n_sources; i++)
                                atomic_store(&d->sources[i].cancel, true);
                        break;
                case SIGHUP:
                        reload_now(d);
                        break;
                default:
                        break;
                }
        }

        notify("STOPPING=1\nSTATUS=stopping");
        fd_sched_reap(d, true);
        if (d->server) {
                fd_server_stop(d->server);
                d->server = NULL;
        }
        fd_http_stop(d->http);
        d->http = NULL;
        fd_indexer_stop(d);
        /* Wake reload waiters that would otherwise wait for their timeout. */
        pthread_mutex_lock(&d->reload_lock);
        pthread_cond_broadcast(&d->reload_cond);
        pthread_mutex_unlock(&d->reload_lock);

        if (atomic_load(&d->indexer_failed))
                rc = 1;
        for (size_t i = 0; i < d->n_sources; i++)
                if (d->once && d->sources[i].state == FD_RUN_FAILED)
                        rc = 1;
        fd_log(FD_LOG_NOTICE, "fairdexd stopped: %llu records in the index after %llu commits",
               (unsigned long long)atomic_load(&d->records_indexed),
               (unsigned long long)atomic_load(&d->generation));
        return rc;
}

/* ---- reload ------------------------------------------------------------ */

static bool same_string(const char *a, const char *b) { return a == b || (a && b && strcmp(a, b) == 0); }

/* Whether two index: maps say the same (a reload cannot change it). */
static bool same_index(const struct fd_index_config *a, const struct fd_index_config *b) {
        if (a->configured != b->configured || a->route != b->route || a->readonly != b->readonly ||
            a->n_shards != b->n_shards)
                return false;
        for (size_t i = 0; i < a->n_shards; i++)
                if (!same_string(a->shards[i].path, b->shards[i].path) ||
                    !same_string(a->shards[i].remote, b->shards[i].remote) ||
                    !same_string(a->shards[i].search, b->shards[i].search))
                        return false;
        return true;
}

enum fd_status fd_daemon_reload(struct fd_daemon *d, struct fd_error *err) {
        struct fd_config *old = d->config;
        _fd_cleanup_(fd_config_freep) struct fd_config *nc = NULL;
        size_t added = 0;
        enum fd_status st;

        st = fd_config_load(old->path, &nc, err);
        if (st)
                return st;
        if (strcmp(nc->state_dir, old->state_dir) != 0 || strcmp(nc->socket, old->socket) != 0)
                return fd_error_set(err, FD_E_INVALID, "'%s': 'state_dir' and 'socket' cannot change without a "
                                    "restart", nc->path);
        if (!same_index(&nc->index, &old->index))
                return fd_error_set(err, FD_E_INVALID, "'%s': 'index' cannot change without a restart (and "
                                    "another number of shards or route needs 'fairdex reshard')", nc->path);
        for (size_t i = 0; i < nc->n_sources; i++)
                added += fd_source_find(d, nc->sources[i].name) == NULL;
        if (d->n_sources + added > FD_DAEMON_MAX_SOURCES)
                return fd_error_set(err, FD_E_LIMIT, "'%s': more than %d sources, counting removed ones: restart "
                                    "fairdexd to forget those", nc->path, FD_DAEMON_MAX_SOURCES);
        pthread_mutex_lock(&d->reload_lock);
        bool purging = d->purging[0] && fd_config_source(nc, d->purging);
        pthread_mutex_unlock(&d->reload_lock);
        if (purging)
                return fd_error_set(err, FD_E_INVALID, "'%s': source '%s' is being purged: reload after the purge",
                                    nc->path, d->purging);
        struct fd_config **retired = realloc(d->retired, (d->n_retired + 1) * sizeof *retired);
        if (!retired)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        d->retired = retired;

        /* Sources the new configuration has, read from a read-only view:
         * the writer belongs to the indexer thread. */
        _fd_cleanup_(fd_index_freep) struct fd_index *view = NULL;
        if (added && fd_index_open(d->shard[0].search, false, &view, NULL) != FD_OK)
                view = NULL;

        int64_t now = fd_time_now();
        size_t kept = 0, removed = 0, changed = 0;
        for (size_t i = 0; i < d->n_sources; i++) {
                struct fd_source_state *s = &d->sources[i];
                const struct fd_source_config *nsrc = fd_config_source(nc, s->config->name);

                if (!nsrc) {
                        pthread_mutex_lock(&s->lock);
                        bool was = s->removed;
                        s->removed = true;
                        pthread_mutex_unlock(&s->lock);
                        if (!was) {
                                atomic_store(&s->cancel, true);
                                removed++;
                                fd_log(FD_LOG_NOTICE, "source '%s': removed from the configuration, stopping after "
                                       "its page in hand; its records stay until 'fairdex purge %s'",
                                       s->config->name, s->config->name);
                        }
                        continue;
                }
                pthread_mutex_lock(&s->lock);
                bool moved = strcmp(s->config->url, nsrc->url) != 0 || s->config->type != nsrc->type;
                bool readded = s->removed, running = s->state == FD_RUN_RUNNING;
                bool rewindowed = s->config->window.start != nsrc->window.start ||
                                  s->config->window.end != nsrc->window.end;
                s->config = nsrc;
                s->removed = false;
                if (moved) {
                        fd_url_host(nsrc->url, s->sched.host, sizeof s->sched.host);
                        s->sched.full_restart = true;
                        s->next_run = now;
                } else if (readded)
                        s->next_run = now;
                else if (!running && s->last_end && s->last_end + nsrc->interval < s->next_run &&
                         !s->failures)
                        s->next_run = s->last_end + nsrc->interval;
                if (!running && !moved && !readded && rewindowed && s->next_run > 0) {
                        /* The old window may have held the run back: start
                         * over from what the interval (or the stopped run)
                         * says, then fit the new window. */
                        if (s->state == FD_RUN_OK && s->last_end)
                                s->next_run = s->last_end + nsrc->interval;
                        else if (s->state == FD_RUN_IDLE && s->last_error[0])
                                s->next_run = now;
                        if (s->next_run < now)
                                s->next_run = now;
                }
                if (!running)
                        fd_sched_fit_window(d, s);
                pthread_mutex_unlock(&s->lock);
                if (moved && running)
                        atomic_store(&s->cancel, true);
                if (moved) {
                        changed++;
                        fd_log(FD_LOG_NOTICE, "source '%s': URL now '%s', harvesting it in full%s", nsrc->name,
                               nsrc->url, running ? " once the page in hand is committed" : "");
                } else
                        kept++;
                if (readded)
                        fd_log(FD_LOG_NOTICE, "source '%s': back in the configuration", nsrc->name);
        }
        for (size_t i = 0; i < nc->n_sources; i++) {
                const struct fd_source_config *nsrc = &nc->sources[i];
                if (fd_source_find(d, nsrc->name))
                        continue;
                struct fd_source_state *s = &d->sources[d->n_sources];
                fd_source_init(s, nsrc);
                fd_sched_load(d, view, s, now, NULL);
                fd_sched_fit_window(d, s);
                d->n_sources = d->n_sources + 1;
                fd_log(FD_LOG_NOTICE, "source '%s': added, harvest due at once", nsrc->name);
        }
        fd_log_set_level(nc->log_level);
        d->retired[d->n_retired++] = old;
        d->config = FD_TAKE_PTR(nc);
        fd_log(FD_LOG_NOTICE, "configuration reloaded from '%s': %zu sources added, %zu removed, %zu moved, "
               "%zu unchanged", d->config->path, added, removed, changed, kept);
        fd_daemon_wake(d);
        return FD_OK;
}

/* ---- the engine's interface (engine.h) --------------------------------- */

static struct fd_daemon *of(struct fd_engine *e) { return (struct fd_daemon *)((char *)e - offsetof(struct fd_daemon, engine)); }

static const struct fd_config *engine_config(struct fd_engine *e) { return of(e)->config; }

static uint64_t engine_generation(struct fd_engine *e) { return atomic_load(&of(e)->generation); }

static size_t engine_n_sources(struct fd_engine *e) { return of(e)->n_sources; }

static bool engine_find(struct fd_engine *e, const char *name, size_t *ret_i) {
        struct fd_daemon *d = of(e);
        struct fd_source_state *s = fd_source_find(d, name);

        if (s)
                *ret_i = (size_t)(s - d->sources);
        return s != NULL;
}

/* Once per source and process, before its first snapshot: when no run has
 * ended since start, its last run is read from the errors file (the runs
 * of an earlier fairdexd).  Lazily, so that a start with many sources
 * reads no errors files. */
static void engine_snapshot(struct fd_engine *e, size_t i, struct fd_source_snapshot *ret) {
        struct fd_daemon *d = of(e);
        struct fd_source_state *s = &d->sources[i];
        struct fd_run_summary last;

        if (!atomic_exchange(&s->last_run_restored, true) && fd_state_last_run(d->state_dir, s->config->name, &last)) {
                pthread_mutex_lock(&s->lock);
                if (!s->last_run.end)
                        s->last_run = last;
                pthread_mutex_unlock(&s->lock);
        }
        fd_source_snapshot(s, ret);
}

/* The admin ops that write refuse on a read-only daemon. */
static enum fd_status refuse_readonly(struct fd_daemon *d, const char *what, struct fd_error *err) {
        return fd_error_set(err, FD_E_UNSUPPORTED, "%s refused: the index is read-only ('readonly: true' in 'index' "
                            "of '%s'), this daemon only serves searches", what, d->config->path);
}

static enum fd_status engine_harvest(struct fd_engine *e, const char *source, struct fd_error *err) {
        struct fd_daemon *d = of(e);
        struct fd_source_state *s = fd_source_find(d, source);
        bool removed = false;

        if (d->readonly)
                return refuse_readonly(d, "harvest", err);
        if (s) {
                pthread_mutex_lock(&s->lock);
                removed = s->removed;
                if (!removed)
                        s->next_run = 0;
                pthread_mutex_unlock(&s->lock);
        }
        if (!s || removed)
                return fd_error_set(err, FD_E_NOTFOUND, "no source '%s' in the configuration", source);
        fd_daemon_wake(d);
        return FD_OK;
}

/* Only the main thread changes the configuration (it owns the scheduler's
 * view of the sources): ask it and wait for the outcome. */
static enum fd_status engine_reload(struct fd_engine *e, struct fd_error *err) {
        struct fd_daemon *d = of(e);
        struct fd_error outcome = {0};
        struct timespec until;
        bool done;

        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += RELOAD_WAIT_S;
        pthread_mutex_lock(&d->reload_lock);
        uint64_t ticket = ++d->reload_asked;
        pthread_kill(d->main_thread, SIGHUP);
        while (d->reload_done < ticket && !atomic_load(&d->stopping))
                if (pthread_cond_timedwait(&d->reload_cond, &d->reload_lock, &until) == ETIMEDOUT)
                        break;
        done = d->reload_done >= ticket;
        if (done)
                outcome = d->reload_error;
        pthread_mutex_unlock(&d->reload_lock);
        if (!done)
                return fd_error_set(err, FD_E_CANCELLED, "the daemon did not reload within %d s (stopping?)",
                                    RELOAD_WAIT_S);
        if (outcome.status != FD_OK) {
                if (err)
                        *err = outcome;
                return outcome.status;
        }
        return FD_OK;
}

/* Runs in the query worker that took the request, since it only reads ids
 * and pushes pages onto the bounded page queue (it waits while that queue
 * is full, as a harvest does).  The source must not be in the running
 * configuration nor still stopping; d->purging keeps a reload from
 * bringing it back while its records are being deleted. */
static enum fd_status engine_purge(struct fd_engine *e, const char *name, uint64_t *ret_deleted,
                                   struct fd_error *err) {
        struct fd_daemon *d = of(e);
        uint64_t deleted = 0;

        if (d->readonly)
                return refuse_readonly(d, "purge", err);
        pthread_mutex_lock(&d->reload_lock);
        bool configured = fd_config_source(d->config, name) != NULL, busy = d->purging[0] != '\0';
        struct fd_source_state *s = fd_source_find(d, name);
        bool live = false;
        if (s) {
                pthread_mutex_lock(&s->lock);
                live = s->state == FD_RUN_RUNNING;
                pthread_mutex_unlock(&s->lock);
        }
        if (!configured && !busy && !live)
                snprintf(d->purging, sizeof d->purging, "%s", name);
        pthread_mutex_unlock(&d->reload_lock);
        if (configured)
                return fd_error_set(err, FD_E_INVALID, "source '%s' is in the configuration: remove it and reload "
                                    "before purging its records", name);
        if (busy)
                return fd_error_set(err, FD_E_LIMIT, "another purge is running: try again when it ends");
        if (live)
                return fd_error_set(err, FD_E_INVALID, "source '%s' is still stopping its last run: try again "
                                    "in a moment", name);

        enum fd_status st = fd_harvest_purge(d, name, s, &deleted, err);
        pthread_mutex_lock(&d->reload_lock);
        d->purging[0] = '\0';
        pthread_mutex_unlock(&d->reload_lock);
        if (st)
                return st;
        fd_log(FD_LOG_NOTICE, "source '%s': purged, %llu records deleted", name, (unsigned long long)deleted);
        *ret_deleted = deleted;
        return FD_OK;
}

static enum fd_status engine_rescore(struct fd_engine *e, const char **ret_rubric, struct fd_error *err) {
        if (of(e)->readonly)
                return refuse_readonly(of(e), "rescore", err);
        return fd_indexer_rescore(of(e), ret_rubric, err);
}

static enum fd_status engine_remap(struct fd_engine *e, const char *source, struct fd_error *err) {
        if (of(e)->readonly)
                return refuse_readonly(of(e), "remap", err);
        return fd_indexer_remap(of(e), source, err);
}

static size_t engine_n_shards(struct fd_engine *e) {
        struct fd_daemon *d = of(e);
        return d->config->index.configured ? d->n_shards : 0;
}

static void engine_shard(struct fd_engine *e, size_t i, struct fd_shard_snapshot *ret) {
        fd_shards_snapshot(of(e), i, ret);
}

static const struct fd_engine_vtable engine_vtable = {
        .config = engine_config,
        .generation = engine_generation,
        .n_sources = engine_n_sources,
        .find = engine_find,
        .snapshot = engine_snapshot,
        .harvest = engine_harvest,
        .reload = engine_reload,
        .purge = engine_purge,
        .rescore = engine_rescore,
        .remap = engine_remap,
        .n_shards = engine_n_shards,
        .shard = engine_shard,
};
