/* fd_test_shared.h: the checks that need real files next to the source tree.
 *
 * Real files from other projects live in $FD_SOURCE_ROOT/../shared and are
 * never copied into the repository.  Where that directory is absent (as on
 * CI) the checks that read it are not added at all, rather than returning
 * early and counting as passed: a skipped check is not a passing one.  A
 * struct shared_case gathers them in a TCase of their own, counting every
 * check offered; shared_case_finish() then adds the TCase to the suite, or
 * prints one line saying how many checks of which suite were left out and
 * why.  scripts/test sums those lines.  The TCase is only created when the
 * directory is there, so nothing is left to free when it is not.
 */
#ifndef FD_TEST_SHARED_H
#define FD_TEST_SHARED_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <check.h>

struct shared_case {
        Suite *suite;
        const char *suite_name;
        const char *rel;        /* the directory needed, relative to the source root */
        TCase *tc;              /* NULL when that directory is absent */
        int n_checks;           /* offered so far, added or not */
};

/* Whether $FD_SOURCE_ROOT/rel is a directory. */
static inline bool shared_dir_present(const char *rel) {
        const char *root = getenv("FD_SOURCE_ROOT");
        char path[4096];
        struct stat st;

        snprintf(path, sizeof path, "%s/%s", root && *root ? root : ".", rel);
        return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A gatherer for the checks of suite s that need the directory rel; the
 * TCase (named tc_name) exists only when rel does. */
static inline struct shared_case shared_case_new(Suite *s, const char *suite_name, const char *tc_name,
                                                 const char *rel) {
        struct shared_case sc = {.suite = s, .suite_name = suite_name, .rel = rel};

        if (shared_dir_present(rel))
                sc.tc = tcase_create(tc_name);
        return sc;
}

/* Offer the looping check tf over [start, end) (end - start checks). */
#define shared_case_add_loop_test(sc, tf, start, end)                                   \
        do {                                                                            \
                if ((sc)->tc)                                                           \
                        tcase_add_loop_test((sc)->tc, tf, (start), (end));              \
                (sc)->n_checks += (int)(end) - (int)(start);                            \
        } while (0)

#define shared_case_add_test(sc, tf) shared_case_add_loop_test(sc, tf, 0, 1)

/* Adds the TCase to the suite, or says on one line what was left out.  The
 * line is flushed before the runner forks, so no child repeats it. */
static inline void shared_case_finish(struct shared_case *sc) {
        if (sc->tc) {
                suite_add_tcase(sc->suite, sc->tc);
                return;
        }
        printf("skipped: %d check%s of %s: %s is absent\n", sc->n_checks, sc->n_checks == 1 ? "" : "s",
               sc->suite_name, sc->rel);
        fflush(stdout);
}

#endif
