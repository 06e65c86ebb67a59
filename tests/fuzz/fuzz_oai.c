/* fuzz_oai.c: the OAI-PMH stream parser and every metadata mapper behind
 * it (the hand-written ones and the walker's tables), for libFuzzer and
 * AFL, and a replay of the fixtures as a meson test.
 *
 * LLVMFuzzerTestOneInput parses one input as one OAI-PMH response with
 * fd_oai_parse_page; whatever the input, it must return a status, and on
 * FD_OK a page whose records all have an id.  Built without
 * -fsanitize=fuzzer (FD_LIBFUZZER undefined) it has a main that feeds it
 * every file of the directories named on the command line, whole and cut
 * at 16 places (so that records end where a mapper never expected), as
 * the meson test does with tests/fixtures/oai and tests/fixtures/formats
 * under the sanitizers.  For libFuzzer, link as fuzz_request.c says.
 */
#include <dirent.h>
#include <stdint.h>

#include "fd_harvesters.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct fd_page *p = NULL;
        struct fd_error err = {0};

        if (fd_oai_parse_page("fuzz", (const char *)data, size, NULL, NULL, &p, &err) == FD_OK) {
                for (size_t i = 0; i < p->records.n; i++)
                        if (!p->records.v[i]->id)
                                abort();
                fd_page_free(p);
        }
        return 0;
}

#ifndef FD_LIBFUZZER
static int replay(const char *path) {
        FILE *f = fopen(path, "rb");
        static char buf[8 << 20];
        size_t n;

        if (!f) {
                fprintf(stderr, "fuzz_oai: cannot open '%s'\n", path);
                return 1;
        }
        n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        LLVMFuzzerTestOneInput((const uint8_t *)buf, n);
        for (size_t k = 1; k < 17; k++)
                LLVMFuzzerTestOneInput((const uint8_t *)buf, n * k / 17);
        return 0;
}

int main(int argc, char **argv) {
        int failed = 0, files = 0;

        for (int i = 1; i < argc; i++) {
                DIR *d = opendir(argv[i]);
                struct dirent *e;
                if (!d) {
                        failed |= replay(argv[i]);
                        files++;
                        continue;
                }
                while ((e = readdir(d))) {
                        char path[4096];
                        if (e->d_name[0] == '.' || !strstr(e->d_name, ".xml"))
                                continue;
                        snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
                        failed |= replay(path);
                        files++;
                }
                closedir(d);
        }
        printf("fuzz_oai: replayed %d inputs\n", files);
        return failed || files == 0;
}
#endif
