/* metrics.c: the `metrics` op, Prometheus text exposition format 0.0.4.
 *
 * Read when the op is asked: the sources' counters from their snapshots,
 * the record counts from the worker's read-only index, the index
 * directory's size on disk, and the latency histograms (../metrics.c).
 * Memory is fixed: no label set grows with traffic, only with the
 * configured sources.  The HTTP listener's /metrics (../http.c) serves
 * the same text (fd_metrics_text).
 *
 * HTTP requests by status are counted where they are made (harvesters/
 * http.c, into each source's fd_http_counts, which its harvest thread
 * names); here they are only read.  Their label set is bounded twice: by
 * the configured sources and by FD_HTTP_COUNT_CODES codes per source (the
 * rest under code="other"); requests that got no status at all are
 * code="error".
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "metrics.h"
#include "ops.h"

/* Bytes of the regular files directly in dir (a Xapian database is flat). */
static uint64_t dir_bytes(const char *dir) {
        DIR *d = opendir(dir);
        struct dirent *e;
        uint64_t n = 0;

        if (!d)
                return 0;
        while ((e = readdir(d))) {
                struct stat st;
                if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
                        n += (uint64_t)st.st_size;
        }
        closedir(d);
        return n;
}

static int cmp_code(const void *a, const void *b) {
        long x = ((const long *)a)[0], y = ((const long *)b)[0];
        return x < y ? -1 : x > y;
}

/* fairdex_http_requests_total{source,code}: the codes of each source in
 * numeric order, then "other" and "error" when they counted any. */
static void print_http(FILE *f, const struct fd_source_snapshot *snaps, size_t n) {
        static const char name[] = "fairdex_http_requests_total";

        fprintf(f, "# HELP %s HTTP requests of harvests by status code (\"error\": no status).\n"
                   "# TYPE %s counter\n", name, name);
        for (size_t i = 0; i < n; i++) {
                const struct fd_http_counts *c = snaps[i].http;
                long seen[FD_HTTP_COUNT_CODES][2];
                size_t k = 0;
                for (size_t j = 0; j < FD_HTTP_COUNT_CODES; j++) {
                        long code = atomic_load(&c->code[j]);
                        if (code > 0) {
                                seen[k][0] = code;
                                seen[k++][1] = (long)j;
                        }
                }
                qsort(seen, k, sizeof seen[0], cmp_code);
                const char *source = snaps[i].config->name;
                for (size_t j = 0; j < k; j++)
                        fprintf(f, "%s{source=\"%s\",code=\"%ld\"} %llu\n", name, source, seen[j][0],
                                (unsigned long long)atomic_load(&c->n[seen[j][1]]));
                uint64_t other = atomic_load(&c->other), failed = atomic_load(&c->failed);
                if (other)
                        fprintf(f, "%s{source=\"%s\",code=\"other\"} %llu\n", name, source,
                                (unsigned long long)other);
                if (failed)
                        fprintf(f, "%s{source=\"%s\",code=\"error\"} %llu\n", name, source,
                                (unsigned long long)failed);
        }
}

/* The bytes of every local shard (a remote one's disk is not ours to see). */
static uint64_t index_bytes(struct fd_engine *e) {
        uint64_t n = 0;
        for (size_t i = 0; i < e->shards->n; i++)
                if (!fd_index_loc_remote(e->shards->locs[i]))
                        n += dir_bytes(e->shards->locs[i]);
        return n;
}

/* Each shard's state and documents (index: configured). */
static void print_shards(FILE *f, struct fd_engine *e) {
        size_t n = fd_engine_n_shards(e);
        struct fd_shard_snapshot s;

        if (!n)
                return;
        fprintf(f, "# HELP fairdex_shard_up 1 when the shard answers, 0 while it does not.\n"
                   "# TYPE fairdex_shard_up gauge\n");
        for (size_t i = 0; i < n; i++) {
                fd_engine_shard(e, i, &s);
                fprintf(f, "fairdex_shard_up{shard=\"%s\"} %d\n", s.name, s.up ? 1 : 0);
        }
        fprintf(f, "# HELP fairdex_shard_documents Documents in the shard, as last counted.\n"
                   "# TYPE fairdex_shard_documents gauge\n");
        for (size_t i = 0; i < n; i++) {
                fd_engine_shard(e, i, &s);
                fprintf(f, "fairdex_shard_documents{shard=\"%s\"} %llu\n", s.name, (unsigned long long)s.documents);
        }
}

char *fd_metrics_text(struct fd_query_ctx *ctx, size_t *ret_len) {
        struct fd_engine *e = ctx->engine;
        struct fd_index *idx = NULL;
        struct fd_error err = {0};
        char *text = NULL;
        size_t size = 0, n = fd_engine_n_sources(e);
        _fd_free_ struct fd_source_snapshot *snaps = calloc(n ? n : 1, sizeof *snaps);
        FILE *f = snaps ? open_memstream(&text, &size) : NULL;

        if (!f)
                return NULL;
        for (size_t i = 0; i < n; i++)
                fd_engine_snapshot(e, i, &snaps[i]);
        if (fd_protocol_reader(ctx, &idx, &err))
                idx = NULL;
        fprintf(f, "# HELP fairdex_records Records of a source in the index.\n# TYPE fairdex_records gauge\n");
        for (size_t i = 0; i < n; i++) {
                uint64_t count = 0;
                if (idx)
                        fd_index_count_source(idx, snaps[i].config->name, &count, NULL);
                fprintf(f, "fairdex_records{source=\"%s\"} %llu\n", snaps[i].config->name,
                        (unsigned long long)count);
        }
        static const char *const names[] = {"fairdex_harvest_runs_total", "fairdex_harvest_failures_total",
                                            "fairdex_pages_total", "fairdex_source_failing",
                                            "fairdex_source_running"};
        static const char *const helps[] = {"Harvest runs ended since start.", "Harvest runs failed since start.",
                                            "Pages committed (or refused) since start.",
                                            "1 when the last run of the source failed.",
                                            "1 while the source is harvested."};
        static const char *const types[] = {"counter", "counter", "counter", "gauge", "gauge"};
        for (size_t m = 0; m < FD_ELEMENTSOF(names); m++) {
                fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", names[m], helps[m], names[m], types[m]);
                for (size_t i = 0; i < n; i++) {
                        const struct fd_source_snapshot *s = &snaps[i];
                        uint64_t v = m == 0 ? s->runs_total : m == 1 ? s->failures_total : m == 2 ? s->pages_done
                                   : m == 3 ? s->failures > 0 : s->state == FD_RUN_RUNNING;
                        fprintf(f, "%s{source=\"%s\"} %llu\n", names[m], s->config->name, (unsigned long long)v);
                }
        }
        print_http(f, snaps, n);
        print_shards(f, e);
        fd_metrics_print_histograms(f);
        fprintf(f, "# HELP fairdex_index_bytes Size of the index on disk.\n# TYPE fairdex_index_bytes gauge\n"
                   "fairdex_index_bytes %llu\n",
                (unsigned long long)index_bytes(e));
        fprintf(f, "# HELP fairdex_index_commits_total Commits since start.\n"
                   "# TYPE fairdex_index_commits_total counter\nfairdex_index_commits_total %llu\n",
                (unsigned long long)fd_engine_generation(e));
        if (fclose(f) != 0 || !text) {
                free(text);
                return NULL;
        }
        if (ret_len)
                *ret_len = size;
        return text;
}

char *fd_op_metrics(struct fd_query_ctx *ctx, json_t *req) {
        char *text = fd_metrics_text(ctx, NULL);

        (void)req;
        if (!text)
                return fd_protocol_error(FD_E_NOMEM, "out of memory");
        json_t *o = json_pack("{s:s}", "text", text);
        free(text);
        return fd_protocol_ok(o);
}
