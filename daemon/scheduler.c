/* scheduler.c: the main thread's scheduler — when each source runs.
 *
 * It owns the fields only it uses (struct fd_sched: the host, the window
 * state of a run, the stuck watch, the harvest thread) and is the only
 * writer of what status shows of a source's schedule: next_run, failures,
 * failing_since, and how a run ended.  A harvest thread does not report
 * its own end: it leaves its outcome in the source (fd_run_outcome) and
 * wakes the main thread, which joins it (fd_sched_reap) and only then
 * publishes state, last_end, last_error, the backoff and the next run, all
 * under one lock, so status never shows a run ended without its next run.
 *
 * Politeness: a due source whose URL host is being harvested by another
 * source waits until that harvest (reconciliation included) ends, so one
 * host never sees two of our requests at once; the wake-up of the ending
 * harvest starts it.  At most max_harvests run at once.  With --once every
 * source is due at start, whatever its interval says.
 *
 * A run whose page counters have not moved for stuck_after is cancelled
 * at its last checkpoint and counted as failed, so the backoff retries it
 * later.  A failed run is retried after FD_BACKOFF_MIN, doubling per
 * failure up to the interval and FD_BACKOFF_MAX; the backoff is saved in
 * the state directory (state.c) and read back at start (fd_sched_load),
 * so a restart does not retry a failing source at once.  A success
 * forgets it.
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
 * hook FD_TEST_WINDOW_OFFSET (d->test.window_offset) added to the clock.
 */
#include "daemon-private.h"

/* How the run of a source meets its time window (fd_sched.window_run,
 * main thread only). */
enum {
        WINDOW_RUN_NONE,        /* started inside its window, or it has none */
        WINDOW_RUN_ASKED,       /* asked by an operator: goes whatever the window says */
        WINDOW_RUN_CLOSED,      /* cancelled as its window closed; reported once it ends */
};

/* Whether t is inside c's window, read with the test hook's offset. */
static bool window_open(const struct fd_daemon *d, const struct fd_source_config *c, int64_t t) {
        return fd_window_open(&c->window, t + d->test.window_offset);
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
static int64_t window_start(const struct fd_daemon *d, const struct fd_source_config *c, int64_t t) {
        int64_t off = d->test.window_offset;
        int64_t open = fd_window_next_open(&c->window, t + off) - off;
        int64_t span = jitter_span(c->interval), half = fd_window_length(&c->window) / 2;

        return open + jitter(span < half ? span : half);
}

void fd_sched_fit_window(struct fd_daemon *d, struct fd_source_state *s) {
        if (!d->once && s->next_run > 0 && !window_open(d, s->config, s->next_run))
                s->next_run = window_start(d, s->config, s->next_run);
}

/* Reads a source's committed checkpoint and reconciliation time from the
 * index idx into s; s->next_run is now unless the last complete run, from
 * the same URL, is younger than the interval. */
static enum fd_status load_checkpoint(struct fd_daemon *d, struct fd_index *idx, struct fd_source_state *s,
                                      int64_t now, struct fd_error *err) {
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

enum fd_status fd_sched_load(struct fd_daemon *d, struct fd_index *idx, struct fd_source_state *s, int64_t now,
                             struct fd_error *err) {
        const struct fd_source_config *c = s->config;
        struct fd_backoff b;
        char since[32], when[32];
        enum fd_status st = load_checkpoint(d, idx, s, now, err);

        if (d->readonly) {
                s->next_run = 0;  /* never: status shows null */
                return st;
        }
        /* A source that was failing when fairdexd stopped keeps its
         * backoff, unless it moved (the saved one names its old URL). */
        if (st || d->once || !fd_state_backoff_load(d->state_dir, c->name, c->url, &b))
                return st;
        s->failures = b.failures;
        s->failing_since = b.failing_since;
        if (b.next_run > s->next_run)
                s->next_run = b.next_run;
        fd_log(FD_LOG_NOTICE, "source '%s': failing since %s (%u failed runs), retrying at %s", c->name,
               fd_time_iso(b.failing_since, since, sizeof since), b.failures,
               fd_time_iso(s->next_run, when, sizeof when));
        return FD_OK;
}

/* True when another source with s's host is harvesting (its host is set). */
static bool host_busy(struct fd_daemon *d, const struct fd_source_state *s, const char **ret_by) {
        for (size_t i = 0; i < d->n_sources; i++) {
                struct fd_source_state *t = &d->sources[i];
                if (t == s || strcmp(t->sched.host, s->sched.host) != 0)
                        continue;
                pthread_mutex_lock(&t->lock);
                bool busy = t->state == FD_RUN_RUNNING || t->sched.thread_live;
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
                n += s->state == FD_RUN_RUNNING || s->sched.thread_live;
                pthread_mutex_unlock(&s->lock);
        }
        return n;
}

/* Sets s->next_run after a run that ended at now: interval plus jitter
 * after a success, the backoff after a failure (counting it in failures
 * and failing_since).  s->lock held. */
static void schedule_next(struct fd_daemon *d, struct fd_source_state *s, bool ok, int64_t now) {
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
        /* --once never looks at next_run again, so the window applies
         * whatever the mode. */
        if (!window_open(d, c, s->next_run))
                s->next_run = window_start(d, c, s->next_run);
}

/* Saves the source's backoff while it fails, forgets it once it
 * succeeds (main thread, after schedule_next, without s->lock). */
static void save_backoff(struct fd_daemon *d, struct fd_source_state *s) {
        struct fd_error err = {0};

        pthread_mutex_lock(&s->lock);
        struct fd_backoff b = {.failures = s->failures, .failing_since = s->failing_since, .next_run = s->next_run};
        pthread_mutex_unlock(&s->lock);
        if (fd_state_backoff_save(d->state_dir, s->config->name, s->config->url, b.failures ? &b : NULL, &err))
                fd_log(FD_LOG_WARNING, "source '%s': cannot save its backoff, a restart retries it at once: %s",
                       s->config->name, err.msg);
}

/* A run cancelled as its window closed has ended (s->lock held): the
 * harvest thread reported it as cancelled, without error or backoff; say
 * what happened, and that the next opening resumes it.  A run that ended
 * otherwise meanwhile (it completed, or failed) keeps its own report. */
static void window_stopped(struct fd_source_state *s) {
        char win[FD_WINDOW_TEXT], when[32];

        s->sched.window_run = WINDOW_RUN_NONE;
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
                bool watch = s->state == FD_RUN_RUNNING && s->sched.window_run == WINDOW_RUN_NONE;
                bool closing = watch && !window_open(d, c, now);
                if (closing) {
                        s->sched.window_run = WINDOW_RUN_CLOSED;
                        s->next_run = window_start(d, c, now);
                }
                int64_t next = s->next_run;
                pthread_mutex_unlock(&s->lock);
                if (closing) {
                        atomic_store(&s->cancel, true);
                        fd_log(FD_LOG_NOTICE, "source '%s': window %s closed, stopping after the page in hand; "
                               "the run resumes from its checkpoint at %s", c->name,
                               fd_window_format(&c->window, win, sizeof win), fd_time_iso(next, when, sizeof when));
                } else if (watch) {
                        int64_t off = d->test.window_offset;
                        int64_t left = fd_window_close(&c->window, now + off) - off - now;
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

        if (d->readonly)
                return (int)wait;  /* a replica's daemon harvests nothing */

        for (size_t i = 0; i < d->n_sources; i++) {
                struct fd_source_state *s = &d->sources[i];
                struct fd_error err = {0};
                const char *by = NULL;

                pthread_mutex_lock(&s->lock);
                if (s->sched.window_run == WINDOW_RUN_CLOSED && s->state != FD_RUN_RUNNING)
                        window_stopped(s);
                bool due = !s->removed && s->state != FD_RUN_RUNNING && !s->sched.thread_live &&
                           s->next_run <= now && !(d->once && s->last_start);
                /* next_run 0: the harvest op asked for this run, which
                 * ignores the window. */
                bool asked = s->next_run == 0, deferred = false;
                if (due && !asked && !d->once && !window_open(d, s->config, now)) {
                        s->next_run = window_start(d, s->config, now);
                        due = false;
                        deferred = true;
                }
                if (due)
                        s->sched.window_run = asked ? WINDOW_RUN_ASKED : WINDOW_RUN_NONE;
                int64_t next = s->next_run;
                pthread_mutex_unlock(&s->lock);
                if (deferred) {
                        char win[FD_WINDOW_TEXT], when[32];
                        fd_log(FD_LOG_INFO, "source '%s': due outside its window %s, starting at %s",
                               s->config->name, fd_window_format(&s->config->window, win, sizeof win),
                               fd_time_iso(next, when, sizeof when));
                }
                if (due && s->sched.host[0] && host_busy(d, s, &by)) {
                        /* The end of that harvest wakes us. */
                        if (!s->sched.waiting_host)
                                fd_log(FD_LOG_INFO, "source '%s': due, waiting for source '%s' on host '%s'",
                                       s->config->name, by, s->sched.host);
                        s->sched.waiting_host = true;
                        continue;
                }
                s->sched.waiting_host = false;
                if (due && running >= max)
                        continue;       /* the end of a harvest wakes us */
                if (due && fd_harvest_start(d, s, &err) != FD_OK) {
                        fd_log(FD_LOG_ERR, "source '%s': cannot start harvest: %s", s->config->name, err.msg);
                        pthread_mutex_lock(&s->lock);
                        s->state = FD_RUN_FAILED;
                        s->last_start = s->last_end = now;
                        snprintf(s->last_error, sizeof s->last_error, "%s", err.msg);
                        schedule_next(d, s, false, now);
                        pthread_mutex_unlock(&s->lock);
                        save_backoff(d, s);
                } else if (due)
                        running++;
                else if (next > now && next - now < wait)
                        wait = next - now;
        }
        return (int)wait;
}

bool fd_sched_all_done(struct fd_daemon *d) {
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
                if (seen != s->sched.progress_seen || s->sched.progress_at == 0) {
                        s->sched.progress_seen = seen;
                        s->sched.progress_at = now;
                } else if (after && now - s->sched.progress_at >= (int64_t)after && !atomic_load(&s->cancel)) {
                        fd_log(FD_LOG_ERR, "source '%s': stuck, no progress for %lld s: cancelling the run at its "
                               "last checkpoint", s->config->name, (long long)(now - s->sched.progress_at));
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

void fd_sched_status_line(struct fd_daemon *d, char *line, size_t outsz) {
        char num[40], when[32];
        const struct fd_source_config *next_src = NULL;
        int64_t next = 0;
        size_t running = 0;

        line[0] = '\0';
        if (d->readonly) {
                size_t down = 0;
                for (size_t i = 0; i < d->n_shards; i++) {
                        struct fd_shard_snapshot sh;
                        fd_shards_snapshot(d, i, &sh);
                        down += !sh.up;
                }
                snprintf(line, outsz, "read-only, serving %zu shards%s%s", d->n_shards, down ? ", some down: " : "",
                         down ? thousands(down, num, sizeof num) : "");
                return;
        }
        for (size_t i = 0; i < d->n_sources; i++) {
                struct fd_source_state *s = &d->sources[i];
                pthread_mutex_lock(&s->lock);
                if (s->state == FD_RUN_RUNNING) {
                        if (running++ == 0)
                                snprintf(line, outsz, "harvesting %s: page %llu, %s records", s->config->name,
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
                snprintf(line + n, outsz - n, " (and %zu more)", running - 1);
        } else if (running == 0 && next_src) {
                char win[FD_WINDOW_TEXT];
                snprintf(line, outsz, "idle, next run %s at %s%s%s%s", next_src->name,
                         fd_time_iso(next, when, sizeof when), fd_window_set(&next_src->window) ? " (window " : "",
                         fd_window_format(&next_src->window, win, sizeof win),
                         fd_window_set(&next_src->window) ? " UTC)" : "");
        } else if (running == 0)
                snprintf(line, outsz, "idle, no sources");
}

/* Publishes how the run of s ended (its thread joined): state, last_end,
 * last_error, the last run's summary, and when it runs next. */
static void run_ended(struct fd_daemon *d, struct fd_source_state *s) {
        char when[32];

        pthread_mutex_lock(&s->lock);
        const struct fd_run_outcome o = s->outcome;
        enum fd_status st = o.status;
        bool stuck = st == FD_E_CANCELLED && s->stuck, was_failing = s->failures > 0;
        s->outcome = (struct fd_run_outcome){0};
        s->last_end = o.end;
        /* Stopped (shutdown, removal, the end of its window) is no failure:
         * idle until the next run, which resumes from the checkpoint. */
        s->state = st == FD_OK ? FD_RUN_OK : st == FD_E_CANCELLED && !stuck ? FD_RUN_IDLE : FD_RUN_FAILED;
        s->runs_total++;
        s->failures_total += st != FD_OK && (st != FD_E_CANCELLED || stuck);
        if (st == FD_OK || (st == FD_E_CANCELLED && !stuck)) {
                s->last_error[0] = '\0';
                if (st == FD_OK)
                        schedule_next(d, s, true, o.end);
                else if (!s->sched.full_restart && s->next_run <= o.end)
                        s->next_run = o.end + s->config->interval;
        } else {
                snprintf(s->last_error, sizeof s->last_error, "%s", o.error);
                schedule_next(d, s, false, o.end);
        }
        int64_t next_run = s->next_run;
        s->last_run = (struct fd_run_summary){.start = s->last_start, .end = o.end, .counts = s->run};
        snprintf(s->last_run.status, sizeof s->last_run.status, "%s", fd_status_name(st));
        bool failed = s->state == FD_RUN_FAILED;
        pthread_mutex_unlock(&s->lock);

        if (failed)
                fd_log(FD_LOG_ERR, "source '%s': harvest failed after %.1f s: %s; retrying at %s", s->config->name,
                       o.seconds, o.error, fd_time_iso(next_run, when, sizeof when));
        if (failed || (st == FD_OK && was_failing))
                save_backoff(d, s);
}

void fd_sched_reap(struct fd_daemon *d, bool wait) {
        for (size_t i = 0; i < d->n_sources; i++) {
                struct fd_source_state *s = &d->sources[i];
                if (!s->sched.thread_live)
                        continue;
                pthread_mutex_lock(&s->lock);
                bool ended = s->outcome.ended;
                pthread_mutex_unlock(&s->lock);
                if (!ended && !wait)
                        continue;
                pthread_join(s->sched.thread, NULL);
                s->sched.thread_live = false;
                run_ended(d, s);
        }
}

int64_t fd_sched_step(struct fd_daemon *d, bool *ret_harvesting) {
        int64_t wait_ms = (int64_t)schedule(d) * 1000;
        bool harvesting = check_stuck(d, fd_time_now());
        int64_t closes = check_windows(d, fd_time_now());

        if (harvesting && wait_ms > 5000)
                wait_ms = 5000;
        if (harvesting && d->config->stuck_after && d->config->stuck_after < 20 && wait_ms > 1000)
                wait_ms = 1000;
        if (wait_ms > closes * 1000)
                wait_ms = closes * 1000;
        *ret_harvesting = harvesting;
        return wait_ms;
}
