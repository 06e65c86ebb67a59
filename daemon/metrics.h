/* metrics.h: the latency histograms (metrics.c), lock-free atomics that
 * the query workers and harvest threads feed and the metrics op prints. */
#ifndef FD_METRICS_H
#define FD_METRICS_H

#include <stdint.h>
#include <stdio.h>

/* One request answered in us microseconds. */
void fd_metrics_query(int64_t us);
/* One page of a harvest, us microseconds after the run's previous one. */
void fd_metrics_page(int64_t us);
/* Prints both histograms in the Prometheus text format. */
void fd_metrics_print_histograms(FILE *f);
/* Monotonic microseconds. */
int64_t fd_metrics_now_us(void);

#endif
