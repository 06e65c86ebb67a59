/* testhooks.c: the test hooks read from the environment, read once here.
 *
 * Integration tests steer a real fairdexd through a few environment
 * variables; each is read once, at start (fd_daemon_init), checked, logged
 * as a warning when set (a production daemon should never see one), and
 * kept in struct fd_test_hooks, which the engine hands to whoever needs
 * it.  No other file reads the environment for a test:
 *
 *   FD_TEST_WINDOW_OFFSET   seconds added to the clock wherever a time
 *                           window is looked at (scheduler.c)
 *   FAIRDEX_TEST_QUEUE      the query queue's capacity, 0..FD_SERVER_QUEUE
 *                           (server.c: 0 answers every request `busy`)
 *   FD_TEST_RUBRIC_VERSION  the rubric version written into new scores
 *                           (indexer.c, docs/fair.md)
 *   FD_TEST_MAPPER_OLD      a format whose harvested records are written as
 *                           an older mapper read them: one mapper version
 *                           back, without subjects (indexer.c), for `remap`
 *   FD_TEST_NO_FACET_PAIRS  records are written without the facet pairs,
 *                           as before they existed (index/schema.cc)
 */
#include <errno.h>
#include <stdlib.h>

#include "daemon-private.h"

/* The integer of environment variable name, within [min, max]; false when
 * unset or empty, and (with a warning) when it is no such integer. */
static bool env_int(const char *name, long long min, long long max, long long *ret) {
        const char *v = getenv(name);
        char *end;

        if (!v || !*v)
                return false;
        errno = 0;
        long long n = strtoll(v, &end, 10);
        if (errno || *end || n < min || n > max) {
                fd_log(FD_LOG_WARNING, "test hook %s '%.32s' is not an integer from %lld to %lld, ignored", name, v,
                       min, max);
                return false;
        }
        *ret = n;
        return true;
}

void fd_test_hooks_read(struct fd_test_hooks *t) {
        long long n;
        const char *rubric = getenv("FD_TEST_RUBRIC_VERSION");
        const char *mapper = getenv("FD_TEST_MAPPER_OLD");

        *t = (struct fd_test_hooks){.queue = -1};
        if (env_int("FD_TEST_WINDOW_OFFSET", -86400 * 7, 86400 * 7, &n)) {
                t->window_offset = n;
                fd_log(FD_LOG_WARNING, "test hook FD_TEST_WINDOW_OFFSET: time windows are read %lld s off the clock",
                       n);
        }
        if (env_int("FAIRDEX_TEST_QUEUE", 0, FD_TEST_QUEUE_MAX, &n)) {
                t->queue = (int)n;
                fd_log(FD_LOG_WARNING, "test hook: query queue of %lld (FAIRDEX_TEST_QUEUE)", n);
        }
        if (rubric && *rubric) {
                snprintf(t->rubric, sizeof t->rubric, "%s", rubric);
                fd_log(FD_LOG_WARNING, "test hook FD_TEST_RUBRIC_VERSION: new scores say rubric '%s'", t->rubric);
        }
        if (getenv("FD_TEST_NO_FACET_PAIRS")) {
                fd_index_test_without_facet_pairs();
                fd_log(FD_LOG_WARNING, "test hook FD_TEST_NO_FACET_PAIRS: records are written without facet pairs");
        }
        if (mapper && *mapper) {
                snprintf(t->mapper_old, sizeof t->mapper_old, "%s", mapper);
                fd_log(FD_LOG_WARNING, "test hook FD_TEST_MAPPER_OLD: records of format '%s' are written as an "
                       "older mapper read them", t->mapper_old);
        }
}
