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
 * harvest starts it.  At most max_harvests run at once.  With --once every
 * source is due at start, whatever its interval says.
 *
 * The loop wakes at least every WatchdogSec/2 (sd_watchdog_enabled) to send
 * WATCHDOG=1, and every few seconds while a harvest runs to refresh STATUS=
 * and to look for stuck runs: a run whose page counters have not moved for
 * stuck_after is cancelled at its last checkpoint and counted as failed,
 * so the backoff retries it later.
 *
 * Time windows: a source with a `window` starts runs only inside it.  A
 * run due outside it is moved to the window's next opening (plus a jitter
 * of at most half the window), so `next_run` in status is the truth.  A
 * run still going when its window closes is cancelled like a stuck one,
 * stops after the page in hand with its checkpoint committed, and is
 * reported, once its thread has ended, as stopped rather than failed (no
 * backoff, no failure counted): the next opening resumes from the
 * checkpoint.  A run an operator asks for (the harvest op, next_run 0) and
 * --once runs ignore the window.  Windows are read in UTC with the test
 * hook FD_TEST_WINDOW_OFFSET added to the clock.
 *
 * Reload swaps the configuration snapshot: the old one is retired, not
 * freed, because harvest and query threads may still read it; source slots
 * are a fixed array, so a reader never sees it move, and a removed source
 * keeps its slot (marked removed) until the process ends.
 */
#include <errno.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
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

/* How the run of a source meets its time window (fd_source_state.window_run,
 * main thread only). */
enum {
        WINDOW_RUN_NONE,        /* started inside its window, or it has none */
        WINDOW_RUN_ASKED,       /* asked by an operator: goes whatever the window says */
        WINDOW_RUN_CLOSED,      /* cancelled as its window closed; reported once it ends */
};

/* Test hook: FD_TEST_WINDOW_OFFSET (seconds, read at start) is added to the
 * clock whenever a window is looked at, so that a test can stand seconds
 * before a window closes without waiting for the minute. */
static int64_t window_offset;

static bool window_open(const struct fd_source_config *c, int64_t t) {
        return fd_window_open(&c->window, t + window_offset);
}

/* The jitter added to a run's start: 2% of the interval, at most 5 min. */
static int64_t jitter_span(unsigned interval) {
        unsigned span = interval / 100 * FD_JITTER_PERCENT;
        return span > FD_JITTER_MAX ? FD_JITTER_MAX : span;
}

static int64_t jitter(int64_t span) {
        return span > 0 ? (int64_t)((unsigned long)random() % (unsigned long)(span + 1)) : 0;
}

/* When a run that is due at t, outside c's window, starts: at the next
 * opening plus the usual jitter, but at most half the window, so sources
 * sharing a window spread out and still start well inside it. */
static int64_t window_start(const struct fd_source_config *c, int64_t t) {
        int64_t open = fd_window_next_open(&c->window, t + window_offset) - window_offset;
        int64_t span = jitter_span(c->interval), half = fd_window_length(&c->window) / 2;

        return open + jitter(span < half ? span : half);
}

/* s->next_run moved into its window when it falls outside (s->lock held or
 * s not shared yet).  0 (asked for) stays. */
static void fit_window(struct fd_daemon *d, struct fd_source_state *s) {
        if (!d->once && s->next_run > 0 && !window_open(s->config, s->next_run))
                s->next_run = window_start(s->config, s->next_run);
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

/* Reads a source's committed checkpoint and reconciliation time from the
 * index idx into s; s->next_run is now unless the last complete run, from
 * the same URL, is younger than the interval. */
static enum fd_status load_source(struct fd_daemon *d, struct fd_index *idx, struct fd_source_state *s, int64_t now,
                                  struct fd_error *err) {
        _fd_free_ char *key = NULL, *text = NULL;
        struct fd_error e = {0};
        enum fd_status st;
        int64_t t;

        s->next_run = now;
        if (!idx)
                return FD_OK;
        if (asprintf(&key, FD_META_RECONCILED "%s", s->config->name) < 0)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        if (fd_index_get_meta(idx, key, &text, NULL) == FD_OK && !fd_time_parse_iso(text, &t))
                fd_log(FD_LOG_WARNING, "source '%s': unreadable reconciliation time '%.32s', reconciling "
                       "after the next run", s->config->name, text);
        else if (text)
                s->last_reconciled = t;
        free(key);
        free(text);
        key = text = NULL;
        if (asprintf(&key, FD_META_CHECKPOINT "%s", s->config->name) < 0)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        st = fd_index_get_meta(idx, key, &text, &e);
        if (st == FD_E_NOTFOUND)
                return FD_OK;
        if (st == FD_OK)
                st = fd_checkpoint_from_json(text, &s->checkpoint, &e);
        if (st) {
                fd_log(FD_LOG_WARNING, "source '%s': checkpoint unreadable, harvesting in full: %s",
                       s->config->name, e.msg);
                return FD_OK;
        }
        /* A checkpoint of another URL (the source moved while the daemon
         * was down) is dropped by the run, which is then a full one: due now. */
        bool moved = fd_checkpoint_moved(&s->checkpoint, s->config->url);
        if (!d->once && !moved && !s->checkpoint.token && s->checkpoint.last_complete &&
            fd_time_parse_iso(s->checkpoint.last_complete, &t) && t + s->config->interval > now)
                s->next_run = t + s->config->interval;
        return FD_OK;
}

static void init_slot(struct fd_source_state *s, const struct fd_source_config *c) {
        memset(s, 0, sizeof *s);
        s->config = c;
        url_host(c->url, s->host, sizeof s->host);
        s->progress_total = -1;
        pthread_mutex_init(&s->lock, NULL);
        pthread_cond_init(&s->committed, NULL);
        atomic_init(&s->abort, false);
        atomic_init(&s->cancel, false);
        atomic_init(&s->ticks, 0);
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
        const char *offset = getenv("FD_TEST_WINDOW_OFFSET");
        window_offset = 0;
        if (offset && *offset) {
                char *end;
                errno = 0;
                long long v = strtoll(offset, &end, 10);
                if (errno || *end || v < -86400 * 7 || v > 86400 * 7)
                        fd_log(FD_LOG_WARNING, "FD_TEST_WINDOW_OFFSET '%.32s' is not a number of seconds within a "
                               "week, ignored", offset);
                else {
                        window_offset = v;
                        fd_log(FD_LOG_WARNING, "test hook FD_TEST_WINDOW_OFFSET: time windows are read %lld s "
                               "off the clock", v);
                }
        }
        srandom((unsigned)(fd_time_mono_ms() ^ (int64_t)getpid()));

        st = make_dirs(d->config->state_dir, err);
        if (st)
                return st;
        if (asprintf(&d->index_path, "%s/index", d->config->state_dir) < 0)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        if (d->config->n_sources > FD_DAEMON_MAX_SOURCES)
                return fd_error_set(err, FD_E_LIMIT, "%zu sources in '%s': at most %d", d->config->n_sources,
                                    d->config->path, FD_DAEMON_MAX_SOURCES);
        d->sources = calloc(FD_DAEMON_MAX_SOURCES, sizeof *d->sources);
        d->pages = fd_queue_new(FD_DAEMON_QUEUE_PAGES);
        if (!d->sources || !d->pages)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        for (size_t i = 0; i < d->config->n_sources; i++)
                init_slot(&d->sources[i], &d->config->sources[i]);
        d->n_sources = d->config->n_sources;

        st = fd_index_open(d->index_path, true, &d->writer, err);
        if (st)
                return st;

        /* The committed checkpoints say where each source stands. */
        int64_t now = fd_time_now();
        for (size_t i = 0; i < d->n_sources; i++) {
                st = load_source(d, d->writer, &d->sources[i], now, err);
                if (st)
                        return st;
                fit_window(d, &d->sources[i]);
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
        for (size_t i = 0; i < d->n_retired; i++)
                fd_config_free(d->retired[i]);
        free(d->retired);
        pthread_mutex_destroy(&d->reload_lock);
        pthread_cond_destroy(&d->reload_cond);
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

/* Harvest threads not yet joined. */
static size_t running_count(struct fd_daemon *d) {
        size_t n = 0;
        for (size_t i = 0; i < d->n_sources; i++) {
                struct fd_source_state *s = &d->sources[i];
                pthread_mutex_lock(&s->lock);
                n += s->state == FD_RUN_RUNNING || s->thread_live;
                pthread_mutex_unlock(&s->lock);
        }
        return n;
}

void fd_daemon_schedule_next(struct fd_source_state *s, bool ok, int64_t now) {
        const struct fd_source_config *c = s->config;
        unsigned interval = c->interval;

        if (ok) {
                s->failures = 0;
                s->failing_since = 0;
                s->next_run = now + interval + jitter(jitter_span(interval));
        } else {
                int64_t cap = interval < FD_BACKOFF_MAX ? interval : FD_BACKOFF_MAX, backoff = FD_BACKOFF_MIN;
                if (cap < FD_BACKOFF_MIN)
                        cap = FD_BACKOFF_MIN;
                if (s->failures < 32)
                        s->failures++;
                if (!s->failing_since)
                        s->failing_since = now;
                for (unsigned i = 1; i < s->failures && backoff < cap; i++)
                        backoff *= 2;
                s->next_run = now + (backoff < cap ? backoff : cap);
        }
        /* Harvest threads call this too: --once never looks at next_run
         * again, so the window applies whatever the mode. */
        if (!window_open(c, s->next_run))
                s->next_run = window_start(c, s->next_run);
}

/* A run cancelled as its window closed has ended (s->lock held): the
 * harvest thread reported it as cancelled, without error or backoff; say
 * what happened, and that the next opening resumes it.  A run that ended
 * otherwise meanwhile (it completed, or failed) keeps its own report. */
static void window_stopped(struct fd_source_state *s) {
        char win[FD_WINDOW_TEXT], when[32];

        s->window_run = WINDOW_RUN_NONE;
        if (s->state == FD_RUN_OK || s->last_error[0] || s->stuck || s->removed)
                return;
        s->state = FD_RUN_IDLE;
        snprintf(s->last_error, sizeof s->last_error,
                 "stopped at the end of its window %s at its last committed page; resumes from there at %s",
                 fd_window_format(&s->config->window, win, sizeof win), fd_time_iso(s->next_run, when, sizeof when));
}

/* Cancels runs whose window has closed, after their page in hand; returns
 * the seconds until the next window of a running source closes (60 when
 * none does sooner). */
static int64_t check_windows(struct fd_daemon *d, int64_t now) {
        int64_t wait = 60;

        if (d->once)
                return wait;
        for (size_t i = 0; i < d->n_sources; i++) {
                struct fd_source_state *s = &d->sources[i];
                const struct fd_source_config *c = s->config;
                char win[FD_WINDOW_TEXT], when[32];

                if (!fd_window_set(&c->window))
                        continue;
                pthread_mutex_lock(&s->lock);
                bool watch = s->state == FD_RUN_RUNNING && s->window_run == WINDOW_RUN_NONE;
                bool closing = watch && !window_open(c, now);
                if (closing) {
                        s->window_run = WINDOW_RUN_CLOSED;
                        s->next_run = window_start(c, now);
                }
                int64_t next = s->next_run;
                pthread_mutex_unlock(&s->lock);
                if (closing) {
                        atomic_store(&s->cancel, true);
                        fd_log(FD_LOG_NOTICE, "source '%s': window %s closed, stopping after the page in hand; "
                               "the run resumes from its checkpoint at %s", c->name,
                               fd_window_format(&c->window, win, sizeof win), fd_time_iso(next, when, sizeof when));
                } else if (watch) {
                        int64_t left = fd_window_close(&c->window, now + window_offset) - window_offset - now;
                        if (left < wait)
                                wait = left;
                }
        }
        return wait;
}

/* Starts every due source that is not running and whose host is free,
 * while fewer than max_harvests run; returns the seconds until the next
 * one is due (at most 60). */
static int schedule(struct fd_daemon *d) {
        int64_t now = fd_time_now(), wait = 60;
        size_t running = running_count(d), max = d->config->max_harvests;

        for (size_t i = 0; i < d->n_sources; i++) {
                struct fd_source_state *s = &d->sources[i];
                struct fd_error err = {0};
                const char *by = NULL;

                pthread_mutex_lock(&s->lock);
                if (s->window_run == WINDOW_RUN_CLOSED && s->state != FD_RUN_RUNNING)
                        window_stopped(s);
                bool due = !s->removed && s->state != FD_RUN_RUNNING && !s->thread_live && s->next_run <= now &&
                           !(d->once && s->last_start);
                /* next_run 0: the harvest op asked for this run, which
                 * ignores the window. */
                bool asked = s->next_run == 0, deferred = false;
                if (due && !asked && !d->once && !window_open(s->config, now)) {
                        s->next_run = window_start(s->config, now);
                        due = false;
                        deferred = true;
                }
                if (due)
                        s->window_run = asked ? WINDOW_RUN_ASKED : WINDOW_RUN_NONE;
                int64_t next = s->next_run;
                pthread_mutex_unlock(&s->lock);
                if (deferred) {
                        char win[FD_WINDOW_TEXT], when[32];
                        fd_log(FD_LOG_INFO, "source '%s': due outside its window %s, starting at %s",
                               s->config->name, fd_window_format(&s->config->window, win, sizeof win),
                               fd_time_iso(next, when, sizeof when));
                }
                if (due && s->host[0] && host_busy(d, s, &by)) {
                        /* The end of that harvest wakes us. */
                        if (!s->waiting_host)
                                fd_log(FD_LOG_INFO, "source '%s': due, waiting for source '%s' on host '%s'",
                                       s->config->name, by, s->host);
                        s->waiting_host = true;
                        continue;
                }
                s->waiting_host = false;
                if (due && running >= max)
                        continue;       /* the end of a harvest wakes us */
                if (due && fd_harvest_start(d, s, &err) != FD_OK) {
                        fd_log(FD_LOG_ERR, "source '%s': cannot start harvest: %s", s->config->name, err.msg);
                        pthread_mutex_lock(&s->lock);
                        s->state = FD_RUN_FAILED;
                        s->last_start = s->last_end = now;
                        snprintf(s->last_error, sizeof s->last_error, "%s", err.msg);
                        fd_daemon_schedule_next(s, false, now);
                        pthread_mutex_unlock(&s->lock);
                } else if (due)
                        running++;
                else if (next > now && next - now < wait)
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

/* Cancels runs whose counters have not moved for stuck_after; returns
 * whether any run is going. */
static bool check_stuck(struct fd_daemon *d, int64_t now) {
        unsigned after = d->config->stuck_after;
        bool any = false;

        for (size_t i = 0; i < d->n_sources; i++) {
                struct fd_source_state *s = &d->sources[i];
                pthread_mutex_lock(&s->lock);
                bool running = s->state == FD_RUN_RUNNING;
                uint64_t seen = s->pages_done + atomic_load(&s->ticks);
                pthread_mutex_unlock(&s->lock);
                if (!running)
                        continue;
                any = true;
                if (seen != s->progress_seen || s->progress_at == 0) {
                        s->progress_seen = seen;
                        s->progress_at = now;
                } else if (after && now - s->progress_at >= (int64_t)after && !atomic_load(&s->cancel)) {
                        fd_log(FD_LOG_ERR, "source '%s': stuck, no progress for %lld s: cancelling the run at its "
                               "last checkpoint", s->config->name, (long long)(now - s->progress_at));
                        pthread_mutex_lock(&s->lock);
                        s->stuck = true;
                        pthread_mutex_unlock(&s->lock);
                        atomic_store(&s->cancel, true);
                }
        }
        return any;
}

/* n with thousands separators ("41,200"). */
static const char *thousands(uint64_t n, char *out, size_t outsz) {
        char digits[32];
        int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
        size_t o = 0;

        for (int i = 0; i < len && o + 2 < outsz; i++) {
                if (i > 0 && (len - i) % 3 == 0)
                        out[o++] = ',';
                out[o++] = digits[i];
        }
        out[o] = '\0';
        return out;
}

/* STATUS= for systemctl status: what runs, or what is next. */
static void notify_status(struct fd_daemon *d) {
        char line[sizeof d->status_line], num[40], when[32];
        const struct fd_source_config *next_src = NULL;
        int64_t next = 0;
        size_t running = 0;

        line[0] = '\0';
        for (size_t i = 0; i < d->n_sources; i++) {
                struct fd_source_state *s = &d->sources[i];
                pthread_mutex_lock(&s->lock);
                if (s->state == FD_RUN_RUNNING) {
                        if (running++ == 0)
                                snprintf(line, sizeof line, "harvesting %s: page %llu, %s records", s->config->name,
                                         (unsigned long long)s->checkpoint.pages,
                                         thousands(s->progress_done, num, sizeof num));
                } else if (!s->removed && (!next_src || s->next_run < next)) {
                        next_src = s->config;
                        next = s->next_run;
                }
                pthread_mutex_unlock(&s->lock);
        }
        if (running > 1) {
                size_t n = strlen(line);
                snprintf(line + n, sizeof line - n, " (and %zu more)", running - 1);
        } else if (running == 0 && next_src) {
                char win[FD_WINDOW_TEXT];
                snprintf(line, sizeof line, "idle, next run %s at %s%s%s%s", next_src->name,
                         fd_time_iso(next, when, sizeof when), fd_window_set(&next_src->window) ? " (window " : "",
                         fd_window_format(&next_src->window, win, sizeof win),
                         fd_window_set(&next_src->window) ? " UTC)" : "");
        } else if (running == 0)
                snprintf(line, sizeof line, "idle, no sources");
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
                if (fd_server_start(d, &d->server, &err) != FD_OK) {
                        fd_log(FD_LOG_ERR, "%s", err.msg);
                        fd_indexer_stop(d);
                        return 1;
                }
                fd_log(FD_LOG_NOTICE, "fairdexd %s ready: %zu sources, index '%s', socket '%s'", FD_VERSION,
                       (size_t)d->n_sources, d->index_path, d->config->socket);
                notify("READY=1\nSTATUS=serving %zu sources", (size_t)d->n_sources);
        }

        while (!atomic_load(&d->stopping)) {
                fd_harvest_reap(d, false);
                if (d->once && all_done(d))
                        break;
                int64_t wait_ms = (int64_t)schedule(d) * 1000;
                bool harvesting = check_stuck(d, fd_time_now());
                int64_t closes = check_windows(d, fd_time_now());
                if (!d->once) {
                        if (d->watchdog_usec)
                                notify("WATCHDOG=1");
                        notify_status(d);
                }
                if (d->watchdog_usec && wait_ms > d->watchdog_usec / 2000)
                        wait_ms = d->watchdog_usec / 2000;
                if (harvesting && wait_ms > 5000)
                        wait_ms = 5000;
                if (harvesting && d->config->stuck_after && d->config->stuck_after < 20 && wait_ms > 1000)
                        wait_ms = 1000;
                if (wait_ms > closes * 1000)
                        wait_ms = closes * 1000;
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
        fd_harvest_reap(d, true);
        if (d->server) {
                fd_server_stop(d->server);
                d->server = NULL;
        }
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

enum fd_status fd_daemon_request_harvest(struct fd_daemon *d, const char *source, struct fd_error *err) {
        struct fd_source_state *s = fd_daemon_source(d, source);

        bool removed = false;

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

/* ---- reload ------------------------------------------------------------ */

/* The source named name in c, or NULL. */
static const struct fd_source_config *find_config(const struct fd_config *c, const char *name) {
        for (size_t i = 0; i < c->n_sources; i++)
                if (strcmp(c->sources[i].name, name) == 0)
                        return &c->sources[i];
        return NULL;
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
        for (size_t i = 0; i < nc->n_sources; i++)
                added += fd_daemon_source(d, nc->sources[i].name) == NULL;
        if (d->n_sources + added > FD_DAEMON_MAX_SOURCES)
                return fd_error_set(err, FD_E_LIMIT, "'%s': more than %d sources, counting removed ones: restart "
                                    "fairdexd to forget those", nc->path, FD_DAEMON_MAX_SOURCES);
        pthread_mutex_lock(&d->reload_lock);
        bool purging = d->purging[0] && find_config(nc, d->purging);
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
        if (added && fd_index_open(d->index_path, false, &view, NULL) != FD_OK)
                view = NULL;

        int64_t now = fd_time_now();
        size_t kept = 0, removed = 0, changed = 0;
        for (size_t i = 0; i < d->n_sources; i++) {
                struct fd_source_state *s = &d->sources[i];
                const struct fd_source_config *nsrc = find_config(nc, s->config->name);

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
                        url_host(nsrc->url, s->host, sizeof s->host);
                        s->full_restart = true;
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
                        fit_window(d, s);
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
                if (fd_daemon_source(d, nsrc->name))
                        continue;
                struct fd_source_state *s = &d->sources[d->n_sources];
                init_slot(s, nsrc);
                load_source(d, view, s, now, NULL);
                fit_window(d, s);
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
