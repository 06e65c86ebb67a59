/* harvest_map.c: harvest + map alone, over the harvester library.
 *
 *   harvest_map URL [PREFIX]
 *
 * Runs fd_oai_harvest against URL (no index, no FAIR) with the daemon's
 * own options but no politeness delay, and counts the mapped records of
 * each page before freeing it, so the figure is the harvester's: HTTP,
 * streamed SAX parsing, mapping into struct fd_record and keeping the
 * metadata as harvested.  Prints "records=N deleted=N pages=N seconds=S
 * records_per_s=R cpu_seconds=C" (C: user + system time of the process,
 * which a shared machine's load disturbs less than the wall clock S).
 */
#include <sys/resource.h>

#include "fd_harvesters.h"

struct count {
        uint64_t records, deleted, pages;
};

static bool on_page(void *userdata, struct fd_page *page) {
        struct count *c = userdata;

        for (size_t i = 0; i < page->records.n; i++)
                c->deleted += page->records.v[i]->deleted;
        c->records += page->records.n;
        c->pages++;
        fd_page_free(page);
        return true;
}

static double cpu_seconds(void) {
        struct rusage ru;

        if (getrusage(RUSAGE_SELF, &ru) != 0)
                return 0.0;
        return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
               (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static void on_warn(void *userdata, const char *msg) {
        (void)userdata;
        fprintf(stderr, "warning: %s\n", msg);
}

int main(int argc, char **argv) {
        struct count c = {0};
        struct fd_error err = {0};

        if (argc < 2 || argc > 3) {
                fprintf(stderr, "usage: harvest_map URL [PREFIX]\n");
                return 2;
        }
        struct fd_harvest_opts opts = {
                .source = "bench",
                .url = argv[1],
                .metadata_prefix = argc > 2 ? argv[2] : "oai_dc",
                .user_agent = "fairdex-bench/" FD_VERSION,
        };
        struct fd_harvest_sink sink = {.page = on_page, .warn = on_warn, .userdata = &c};
        int64_t t0 = fd_time_mono_ms();
        double c0 = cpu_seconds();
        enum fd_status st = fd_oai_harvest(&opts, &sink, &err);
        double secs = (double)(fd_time_mono_ms() - t0) / 1000.0, cpu = cpu_seconds() - c0;

        if (st != FD_OK) {
                fprintf(stderr, "harvest_map: %s\n", err.msg);
                return 1;
        }
        printf("records=%llu deleted=%llu pages=%llu seconds=%.2f records_per_s=%.0f cpu_seconds=%.3f\n",
               (unsigned long long)c.records, (unsigned long long)c.deleted, (unsigned long long)c.pages, secs,
               secs > 0 ? (double)c.records / secs : 0.0, cpu);
        return 0;
}
