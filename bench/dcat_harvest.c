/* dcat_harvest.c: fairdex's DCAT harvester on one catalogue document,
 * timed: fetch (file://), parse, sort, cut out and map every dataset.
 *
 * bench/dcat_bench.sh builds this against a build directory's static
 * libraries.  The sink counts records and frees each page at once, so what
 * is measured is the harvester, not an index.  Prints one line:
 * "datasets seconds peak_rss_kib".
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "fd_harvesters.h"

static double now_s(void) {
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool on_page(void *ud, struct fd_page *p) {
        size_t *n = ud;
        for (size_t i = 0; i < p->records.n; i++)
                *n += !p->records.v[i]->deleted;
        fd_page_free(p);
        return true;
}

int main(int argc, char **argv) {
        struct fd_error err = {0};
        struct rusage ru;
        size_t n = 0;

        if (argc < 2) {
                fprintf(stderr, "usage: dcat_harvest URL [MEMORY_BUDGET_BYTES [STATE_FILE]]\n");
                return 2;
        }
        struct fd_harvest_opts o = {.source = "bench", .url = argv[1], .user_agent = "fairdex-bench"};
        struct fd_dcat_opts d = {.memory_budget = argc > 2 ? strtoull(argv[2], NULL, 10) : 0,
                                 .state_file = argc > 3 ? argv[3] : NULL};
        struct fd_harvest_sink s = {.page = on_page, .userdata = &n};
        double t0 = now_s();
        if (fd_dcat_harvest(&o, &d, &s, &err) != FD_OK) {
                fprintf(stderr, "dcat_harvest: %s\n", err.msg);
                return 1;
        }
        double t = now_s() - t0;
        getrusage(RUSAGE_SELF, &ru);
        printf("%zu %.3f %ld\n", n, t, ru.ru_maxrss);
        return 0;
}
