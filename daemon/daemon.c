/* daemon.c: the main thread — lifecycle, signals, sd_notify, the scheduler.
 *
 * Signals are blocked in every thread and taken here with sigtimedwait, so
 * no handler runs in async-signal context.  The main thread sleeps until the
 * next source is due or a signal arrives; a harvest thread that ends sends
 * SIGUSR1 to wake it (fd_daemon_wake).  SIGTERM/SIGINT set `stopping`: the
 * harvesters stop after the page in hand, the indexer commits what is
 * queued, and the process exits 0.
 *
 * Politeness: a due source whose URL host is being harvested by another
 * source waits until that harvest (reconciliation included) ends, so one
 * host never sees two of our requests at once; the wake-up of the ending
 * harvest starts it.  With --once every source is due at start, whatever
 * its interval says.
 */
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>

#include "fd_daemon.h"

const char *fd_run_state_name(enum fd_run_state s) {
        switch (s) {
        case FD_RUN_IDLE: return "idle";
        case FD_RUN_RUNNING: return "running";
        case FD_RUN_OK: return "ok";
        case FD_RUN_FAILED: return "failed";
        }
        return "idle";
}

struct fd_source_state *fd_daemon_source(struct fd_daemon *d, const char *name) {
        for (size_t i = 0; i < d->n_sources; i++)
                if (strcmp(d->sources[i].config->name, name) == 0)
                        return &d->sources[i];
        return NULL;
}

void fd_daemon_wake(struct fd_daemon *d) { pthread_kill(d->main_thread, SIGUSR1); }

/* The host of an http(s) URL, lowercase, into out ("" for file: URLs). */
static void url_host(const char *url, char *out, size_t outsz) {
        const char *p = strstr(url, "://"), *end;
        size_t n = 0;

        out[0] = '\0';
        if (!p || strncasecmp(url, "file:", 5) == 0)
                return;
        p += 3;
        end = p + strcspn(p, "/?#");
        const char *at = memchr(p, '@', (size_t)(end - p));
        if (at)
                p = at + 1;
        if (*p == '[') {
                const char *close = memchr(p, ']', (size_t)(end - p));
                if (close)
                        end = close + 1;
        } else {
                const char *colon = memchr(p, ':', (size_t)(end - p));
                if (colon)
                        end = colon;
        }
        for (; p < end && n + 1 < outsz; p++)
                out[n++] = (char)((*p >= 'A' && *p <= 'Z') ? *p - 'A' + 'a' : *p);
        out[n] = '\0';
}

/* mkdir -p, for the state directory and the socket's directory. */
static enum fd_status make_dirs(const char *path, struct fd_error *err) {
        char buf[4096];
        size_t n = strlen(path);

        if (n == 0 || n >= sizeof buf)
                return fd_error_set(err, FD_E_INVALID, "path '%s' is empty or too long", path);
        memcpy(buf, path, n + 1);
        for (size_t i = 1; i <= n; i++) {
                if (buf[i] != '/' && buf[i] != '\0')
                        continue;
                char c = buf[i];
                buf[i] = '\0';
                if (mkdir(buf, 0755) < 0 && errno != EEXIST)
                        return fd_error_set(err, FD_E_IO, "cannot create directory '%s': %s", buf, strerror(errno));
                buf[i] = c;
        }
        return FD_OK;
}

enum fd_status fd_daemon_init(struct fd_daemon *d, struct fd_config *config_take, bool once, struct fd_error *err) {
        enum fd_status st;

        memset(d, 0, sizeof *d);
        d->config = config_take;
        d->once = once;
        d->main_thread = pthread_self();
        atomic_init(&d->stopping, false);
        atomic_init(&d->indexer_failed, false);
        atomic_init(&d->generation, 0);
        atomic_init(&d->records_indexed, 0);

        st = make_dirs(d->config->state_dir, err);
        if (st)
                return st;
        if (asprintf(&d->index_path, "%s/index", d->config->state_dir) < 0)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");

        d->n_sources = d->config->n_sources;
        d->sources = calloc(d->n_sources ? d->n_sources : 1, sizeof *d->sources);
        d->pages = fd_queue_new(FD_DAEMON_QUEUE_PAGES);
        if (!d->sources || !d->pages)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        for (size_t i = 0; i < d->n_sources; i++) {
                struct fd_source_state *s = &d->sources[i];
                s->config = &d->config->sources[i];
                url_host(s->config->url, s->host, sizeof s->host);
                s->progress_total = -1;
                pthread_mutex_init(&s->lock, NULL);
                pthread_cond_init(&s->committed, NULL);
                atomic_init(&s->abort, false);
        }

        st = fd_index_open(d->index_path, true, &d->writer, err);
        if (st)
                return st;

        /* The committed checkpoints say where each source stands. */
        int64_t now = fd_time_now();
        for (size_t i = 0; i < d->n_sources; i++) {
                struct fd_source_state *s = &d->sources[i];
                _fd_free_ char *key = NULL, *text = NULL;
                struct fd_error e = {0};
                int64_t t;

                s->next_run = now;
                if (asprintf(&key, FD_META_RECONCILED "%s", s->config->name) < 0)
                        return fd_error_set(err, FD_E_NOMEM, "out of memory");
                if (fd_index_get_meta(d->writer, key, &text, NULL) == FD_OK && !fd_time_parse_iso(text, &t))
                        fd_log(FD_LOG_WARNING, "source '%s': unreadable reconciliation time '%.32s', reconciling "
                               "after the next run", s->config->name, text);
                else if (text)
                        s->last_reconciled = t;
                free(key);
                free(text);
                key = text = NULL;
                if (asprintf(&key, FD_META_CHECKPOINT "%s", s->config->name) < 0)
                        return fd_error_set(err, FD_E_NOMEM, "out of memory");
                st = fd_index_get_meta(d->writer, key, &text, &e);
                if (st == FD_E_NOTFOUND)
                        continue;
                if (st == FD_OK)
                        st = fd_checkpoint_from_json(text, &s->checkpoint, &e);
                if (st) {
                        fd_log(FD_LOG_WARNING, "source '%s': checkpoint unreadable, harvesting in full: %s",
                               s->config->name, e.msg);
                        continue;
                }
                if (!once && !s->checkpoint.token && s->checkpoint.last_complete &&
                    fd_time_parse_iso(s->checkpoint.last_complete, &t) && t + s->config->interval > now)
                        s->next_run = t + s->config->interval;
        }
        return FD_OK;
}

void fd_daemon_release(struct fd_daemon *d) {
        fd_index_free(d->writer);
        for (size_t i = 0; i < d->n_sources; i++) {
                fd_checkpoint_release(&d->sources[i].checkpoint);
                pthread_mutex_destroy(&d->sources[i].lock);
                pthread_cond_destroy(&d->sources[i].committed);
        }
        free(d->sources);
        fd_queue_free(d->pages);
        free(d->index_path);
        fd_config_free(d->config);
        memset(d, 0, sizeof *d);
}

/* True when another source with s's host is harvesting (s->host is set). */
static bool host_busy(struct fd_daemon *d, const struct fd_source_state *s, const char **ret_by) {
        for (size_t i = 0; i < d->n_sources; i++) {
                struct fd_source_state *t = &d->sources[i];
                if (t == s || strcmp(t->host, s->host) != 0)
                        continue;
                pthread_mutex_lock(&t->lock);
                bool busy = t->state == FD_RUN_RUNNING || t->thread_live;
                pthread_mutex_unlock(&t->lock);
                if (busy) {
                        *ret_by = t->config->name;
                        return true;
                }
        }
        return false;
}

/* Starts every due source that is not running and whose host is free;
 * returns the seconds until the next one is due (at most 60). */
static int schedule(struct fd_daemon *d) {
        int64_t now = fd_time_now(), wait = 60;

        for (size_t i = 0; i < d->n_sources; i++) {
                struct fd_source_state *s = &d->sources[i];
                struct fd_error err = {0};
                const char *by = NULL;

                pthread_mutex_lock(&s->lock);
                bool due = s->state != FD_RUN_RUNNING && !s->thread_live && s->next_run <= now &&
                           !(d->once && s->last_start);
                int64_t next = s->next_run;
                pthread_mutex_unlock(&s->lock);
                if (due && s->host[0] && host_busy(d, s, &by)) {
                        /* The end of that harvest wakes us. */
                        if (!s->waiting_host)
                                fd_log(FD_LOG_INFO, "source '%s': due, waiting for source '%s' on host '%s'",
                                       s->config->name, by, s->host);
                        s->waiting_host = true;
                        continue;
                }
                s->waiting_host = false;
                if (due && fd_harvest_start(d, s, &err) != FD_OK) {
                        fd_log(FD_LOG_ERR, "source '%s': cannot start harvest: %s", s->config->name, err.msg);
                        pthread_mutex_lock(&s->lock);
                        s->state = FD_RUN_FAILED;
                        s->last_start = s->last_end = now;
                        snprintf(s->last_error, sizeof s->last_error, "%s", err.msg);
                        s->next_run = now + s->config->interval;
                        pthread_mutex_unlock(&s->lock);
                } else if (!due && next > now && next - now < wait)
                        wait = next - now;
        }
        return (int)wait;
}

/* --once: true when every source has run and ended. */
static bool all_done(struct fd_daemon *d) {
        bool done = true;
        for (size_t i = 0; i < d->n_sources; i++) {
                struct fd_source_state *s = &d->sources[i];
                pthread_mutex_lock(&s->lock);
                done = done && s->last_start && s->state != FD_RUN_RUNNING;
                pthread_mutex_unlock(&s->lock);
        }
        return done;
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
                if (fd_server_start(d, &d->server, &err) != FD_OK) {
                        fd_log(FD_LOG_ERR, "%s", err.msg);
                        fd_indexer_stop(d);
                        return 1;
                }
                fd_log(FD_LOG_NOTICE, "fairdexd %s ready: %zu sources, index '%s', socket '%s'", FD_VERSION,
                       d->n_sources, d->index_path, d->config->socket);
                sd_notifyf(0, "READY=1\nSTATUS=serving %zu sources", d->n_sources);
        }

        while (!atomic_load(&d->stopping)) {
                fd_harvest_reap(d, false);
                if (d->once && all_done(d))
                        break;
                int wait = schedule(d);
                struct timespec ts = {.tv_sec = wait};
                int sig = sigtimedwait(&set, NULL, &ts);
                switch (sig) {
                case SIGTERM:
                case SIGINT:
                        fd_log(FD_LOG_NOTICE, "%s received, finishing the pages in hand",
                               sig == SIGTERM ? "SIGTERM" : "SIGINT");
                        atomic_store(&d->stopping, true);
                        break;
                case SIGHUP:
                        fd_log(FD_LOG_WARNING, "SIGHUP received: configuration reload is not supported by "
                                               "this version, ignoring");
                        break;
                default:
                        break;
                }
        }

        sd_notify(0, "STOPPING=1\nSTATUS=stopping");
        fd_harvest_reap(d, true);
        if (d->server) {
                fd_server_stop(d->server);
                d->server = NULL;
        }
        fd_indexer_stop(d);

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

enum fd_status fd_daemon_request_harvest(struct fd_daemon *d, const char *source, struct fd_error *err) {
        struct fd_source_state *s = fd_daemon_source(d, source);

        if (!s)
                return fd_error_set(err, FD_E_NOTFOUND, "no source '%s' in the configuration", source);
        pthread_mutex_lock(&s->lock);
        s->next_run = 0;
        pthread_mutex_unlock(&s->lock);
        fd_daemon_wake(d);
        return FD_OK;
}
