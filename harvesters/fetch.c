/* fetch.c: the one fetch policy every harvest driver asks through, and
 * what the drivers share around it.
 *
 * A run's requests to a source go through one struct fd_fetch: at least
 * min_delay_ms between two requests (retries included), then the failures
 * that may pass when asked again (5xx, 429, transport failures; with
 * retry_bad_body also a body that does not parse) asked again up to
 * max_retries times per request and max_run_retries times per run, each
 * told to the sink.  The wait is exponential backoff with jitter (half to
 * all of 1 s << attempt, so that many sources failing together do not come
 * back together), or what the server's Retry-After says on 503 and 429,
 * never beyond a cap: a source cannot park a harvest thread.  Every wait
 * polls the cancel flag.  The jitter's generator is the run's own
 * (xorshift64*), so that rand()'s global state is left alone.
 */
#include <errno.h>
#include <strings.h>

#include "harvesters-private.h"

#define DEFAULT_RETRIES 3
#define DEFAULT_RUN_RETRIES 50
#define MAX_WAIT_MS 60000

void fd_harvest_warnf(const struct fd_harvest_sink *sink, const char *fmt, ...) {
        char msg[FD_ERROR_MAX];
        va_list ap;

        if (!sink || !sink->warn)
                return;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        sink->warn(sink->userdata, msg);
}

void fd_harvest_forward_warn(void *sink, const char *msg) {
        const struct fd_harvest_sink *s = sink;
        if (s && s->warn)
                s->warn(s->userdata, msg);
}

bool fd_harvest_set_str(char **dst, const char *src) {
        char *c = src ? strdup(src) : NULL;
        if (src && !c)
                return false;
        free(*dst);
        *dst = c;
        return true;
}

bool fd_is_http(const char *s) {
        return s && (strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0);
}

/* Sleeps ms milliseconds, waking every 100 ms to look at cancel (may be
 * NULL); false when cancelled. */
static bool sleep_cancellable(atomic_bool *cancel, int64_t ms) {
        int64_t end = fd_time_mono_ms() + ms;

        for (;;) {
                if (cancel && atomic_load(cancel))
                        return false;
                int64_t left = end - fd_time_mono_ms();
                if (left <= 0)
                        return true;
                if (left > 100)
                        left = 100;
                struct timespec ts = {.tv_sec = 0, .tv_nsec = (long)left * 1000000L};
                while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
                        ;
        }
}

/* The wait before asking again after attempt (0-based) failed with HTTP
 * code (0: transport): 1 s << attempt (at most 64 s), with jitter from
 * *rng (half to all of it), or retry_after seconds on 503 and 429 when it
 * is >= 0; never more than max_ms. */
static int64_t retry_wait_ms(unsigned attempt, long code, long retry_after, uint64_t *rng, int64_t max_ms) {
        int64_t wait_ms = (int64_t)1000 << (attempt < 6 ? attempt : 6);

        *rng ^= *rng >> 12;
        *rng ^= *rng << 25;
        *rng ^= *rng >> 27;
        wait_ms = wait_ms / 2 + (int64_t)((*rng * 2685821657736338717ULL) % (uint64_t)(wait_ms / 2 + 1));
        if ((code == 503 || code == 429) && retry_after >= 0)
                wait_ms = (int64_t)retry_after * 1000;
        return wait_ms > max_ms ? max_ms : wait_ms;
}

void fd_fetch_init(struct fd_fetch *f, struct fd_http *http, const struct fd_harvest_opts *o,
                   const struct fd_harvest_sink *sink, const char *what) {
        *f = (struct fd_fetch){
                .http = http,
                .sink = sink,
                .cancel = o->cancel,
                .what = what,
                .max_retries = o->max_retries ? o->max_retries : DEFAULT_RETRIES,
                .max_run_retries = o->max_run_retries ? o->max_run_retries : DEFAULT_RUN_RETRIES,
                .min_delay_ms = o->min_delay_ms,
        };
        f->rng = ((uint64_t)fd_time_mono_ms() << 20) ^ (uint64_t)(uintptr_t)f ^ 0x9E3779B97F4A7C15ULL;
        if (!f->rng)
                f->rng = 1;
}

static bool cancelled(const struct fd_fetch *f) { return f->cancel && atomic_load(f->cancel); }

/* Waits out min_delay_ms since the previous request; false when cancelled. */
static bool polite_wait(struct fd_fetch *f) {
        if (!f->min_delay_ms || !f->last_request_ms)
                return true;
        int64_t due = f->last_request_ms + f->min_delay_ms - fd_time_mono_ms();
        return due <= 0 || sleep_cancellable(f->cancel, due);
}

static bool retryable(const struct fd_fetch_body *b, enum fd_status st, long code) {
        if (st == FD_E_PARSE || st == FD_E_PROTOCOL)
                return b->retry_bad_body;
        return st == FD_E_HTTP && (code == 0 || code >= 500 || code == 429);
}

/* Tells the sink that url is asked again in wait_ms. */
static void warn_retry(const struct fd_fetch *f, const char *url, long code, const struct fd_error *e,
                       unsigned attempt, int64_t wait_ms) {
        char reason[FD_ERROR_MAX], secs[32];

        if (code >= 400)
                snprintf(reason, sizeof reason, "HTTP %ld", code);
        else
                snprintf(reason, sizeof reason, "%s", e->msg);
        if (wait_ms % 1000 == 0)
                snprintf(secs, sizeof secs, "%lld", (long long)(wait_ms / 1000));
        else
                snprintf(secs, sizeof secs, "%.1f", (double)wait_ms / 1000.0);
        fd_harvest_warnf(f->sink, "%s '%s': %s, retrying in %s s (attempt %u/%u)", f->what, url, reason, secs,
                         attempt + 2, f->max_retries + 1);
}

enum fd_status fd_fetch_get(struct fd_fetch *f, const char *url, const struct fd_fetch_body *b,
                            struct fd_error *err) {
        f->last_code = 0;
        for (unsigned attempt = 0;; attempt++) {
                struct fd_error e = {0}, herr = {0};
                enum fd_status st;
                long code = 0;

                if (cancelled(f) || !polite_wait(f))
                        return fd_error_set(err, FD_E_CANCELLED, "harvest cancelled");
                if (b->start && (st = b->start(b->ud, err)))
                        return st;
                st = fd_http_get(f->http, url, b->chunk, b->ud, &code, &herr);
                f->last_request_ms = fd_time_mono_ms();
                if (b->finish)
                        st = b->finish(b->ud, st, code, &herr, &e);
                else if (st)
                        e = herr;
                if (st == FD_OK)
                        return FD_OK;
                f->last_code = code;
                if (!retryable(b, st, code))
                        return fd_error_set(err, st, "%s", e.msg);
                if (attempt >= f->max_retries)
                        return fd_error_set(err, st, "%s (%u attempts)", e.msg, attempt + 1);
                if (f->run_retries >= f->max_run_retries)
                        return fd_error_set(err, st, "giving up after %u retries in this run: %s", f->run_retries,
                                            e.msg);
                f->run_retries++;
                int64_t wait_ms = retry_wait_ms(attempt, code, fd_http_retry_after(f->http), &f->rng,
                                                           MAX_WAIT_MS);
                warn_retry(f, url, code, &e, attempt, wait_ms);
                if (!sleep_cancellable(f->cancel, wait_ms))
                        return fd_error_set(err, FD_E_CANCELLED, "harvest cancelled");
        }
}
