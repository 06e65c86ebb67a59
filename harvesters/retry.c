/* retry.c: what the harvest drivers (oai.c, dcat.c) share around their
 * requests: one-line warnings to the sink, the wait before a request is
 * asked again, and a sleep that a cancel cuts short.
 *
 * The wait is exponential backoff with jitter (half to all of 1 s << attempt,
 * so that many sources failing together do not come back together), or what
 * the server's Retry-After says on 503 and 429, never beyond a cap: a source
 * cannot park a harvest thread.  The jitter's generator is the caller's
 * (xorshift64*), so that rand()'s global state is left alone.
 */
#include <errno.h>

#include "private.h"

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

bool fd_harvest_sleep(atomic_bool *cancel, int64_t ms) {
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

int64_t fd_harvest_retry_wait_ms(unsigned attempt, long code, long retry_after, uint64_t *rng, int64_t max_ms) {
        int64_t wait_ms = (int64_t)1000 << (attempt < 6 ? attempt : 6);

        if (rng) {
                if (!*rng)
                        *rng = 0x9e3779b97f4a7c15ULL;
                *rng ^= *rng >> 12;
                *rng ^= *rng << 25;
                *rng ^= *rng >> 27;
                wait_ms = wait_ms / 2 + (int64_t)((*rng * 2685821657736338717ULL) % (uint64_t)(wait_ms / 2 + 1));
        }
        if ((code == 503 || code == 429) && retry_after >= 0)
                wait_ms = (int64_t)retry_after * 1000;
        return wait_ms > max_ms ? max_ms : wait_ms;
}
