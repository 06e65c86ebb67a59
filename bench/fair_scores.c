/* fair_scores.c: the FAIR score of every record of OAI-PMH ListRecords
 * files, and what assessing them costs.
 *
 * bench/fair_auc.py builds this against a build directory's static
 * libraries and feeds it the pages gen_corpus.py writes.  Parsing is timed
 * apart from fd_fair_assess, which runs REPEAT times per record so that a
 * few microseconds are measurable; stdout gets one line per live record
 * ("local_id<TAB>overall<TAB>F<TAB>A<TAB>I<TAB>R"), stderr the timings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "fd_fair.h"
#include "fd_harvesters.h"

#define REPEAT 20

static double now_s(void) {
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *ret_len) {
        FILE *f = fopen(path, "rb");
        char *data = NULL;
        long n;

        if (!f)
                return NULL;
        if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
                data = malloc((size_t)n + 1);
                if (data && fread(data, 1, (size_t)n, f) == (size_t)n) {
                        data[n] = '\0';
                        *ret_len = (size_t)n;
                } else {
                        free(data);
                        data = NULL;
                }
        }
        fclose(f);
        return data;
}

int main(int argc, char **argv) {
        double parse_s = 0, assess_s = 0;
        unsigned long records = 0;

        for (int i = 1; i < argc; i++) {
                struct fd_error err = {0};
                struct fd_page *page = NULL;
                size_t len = 0;
                char *data = slurp(argv[i], &len);
                double t0;

                if (!data) {
                        fprintf(stderr, "fair_scores: cannot read '%s'\n", argv[i]);
                        return 1;
                }
                t0 = now_s();
                if (fd_oai_parse_page("bench", data, len, NULL, NULL, &page, &err) != FD_OK) {
                        fprintf(stderr, "fair_scores: %s: %s\n", argv[i], err.msg);
                        free(data);
                        return 1;
                }
                parse_s += now_s() - t0;
                for (size_t k = 0; k < page->records.n; k++) {
                        const struct fd_record *r = page->records.v[k];
                        struct fd_fair_assessment a;

                        if (r->deleted)
                                continue;
                        t0 = now_s();
                        for (int rep = 0; rep < REPEAT; rep++)
                                fd_fair_assess(r, &a);
                        assess_s += (now_s() - t0) / REPEAT;
                        records++;
                        printf("%s\t%d\t%d\t%d\t%d\t%d\n", r->local_id, a.overall, a.score[FD_FAIR_F],
                               a.score[FD_FAIR_A], a.score[FD_FAIR_I], a.score[FD_FAIR_R]);
                }
                fd_page_free(page);
                free(data);
        }
        fprintf(stderr, "records %lu parse_s %.6f assess_s %.6f assess_us_per_record %.3f\n", records, parse_s,
                assess_s, records ? assess_s * 1e6 / (double)records : 0.0);
        return 0;
}
