/* metrics.c: the latency histograms behind the `metrics` op.
 *
 * Counters that move on hot paths (a query answered, a page received) are
 * lock-free atomics in fixed histograms, fed by the query workers
 * (server.c) and by the run hook every harvest thread calls after a page
 * (runhooks.c); ops/metrics.c prints them with the rest.  A leaf: it calls
 * nothing of the daemon.
 */
#include <stdatomic.h>
#include <time.h>

#include "metrics.h"

#define N_BOUNDS 10
static const double bounds[N_BOUNDS] = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 60};

struct histogram {
        atomic_uint_fast64_t le[N_BOUNDS];   /* observations <= bounds[i], not cumulative */
        atomic_uint_fast64_t count;
        atomic_uint_fast64_t sum_us;
};

static struct histogram queries, pages;

int64_t fd_metrics_now_us(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void observe(struct histogram *h, int64_t us) {
        double s = (double)us / 1e6;

        if (us < 0)
                us = 0;
        for (size_t i = 0; i < N_BOUNDS; i++)
                if (s <= bounds[i]) {
                        atomic_fetch_add(&h->le[i], 1);
                        break;
                }
        atomic_fetch_add(&h->count, 1);
        atomic_fetch_add(&h->sum_us, (uint64_t)us);
}

static void print_histogram(FILE *f, const char *name, const char *help, struct histogram *h) {
        uint64_t cum = 0;

        fprintf(f, "# HELP %s %s\n# TYPE %s histogram\n", name, help, name);
        for (size_t i = 0; i < N_BOUNDS; i++) {
                cum += atomic_load(&h->le[i]);
                fprintf(f, "%s_bucket{le=\"%g\"} %llu\n", name, bounds[i], (unsigned long long)cum);
        }
        fprintf(f, "%s_bucket{le=\"+Inf\"} %llu\n%s_sum %.6f\n%s_count %llu\n", name,
                (unsigned long long)atomic_load(&h->count), name, (double)atomic_load(&h->sum_us) / 1e6, name,
                (unsigned long long)atomic_load(&h->count));
}

void fd_metrics_query(int64_t us) { observe(&queries, us); }

void fd_metrics_page(int64_t us) { observe(&pages, us); }

void fd_metrics_print_histograms(FILE *f) {
        print_histogram(f, "fairdex_page_seconds", "Time between two pages of a harvest.", &pages);
        print_histogram(f, "fairdex_query_seconds", "Time to answer one request.", &queries);
}
