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
#include <stdint.h>

#include "fd_harvesters.h"
#include "fuzz_main.h"

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

/* One file whole, then cut at 16 places. */
static void feed(const uint8_t *data, size_t size) {
        LLVMFuzzerTestOneInput(data, size);
        for (size_t k = 1; k < 17; k++)
                LLVMFuzzerTestOneInput(data, size * k / 17);
}

const struct fd_fuzz_replay fd_fuzz_replay = {.name = "fuzz_oai", .suffix = ".xml", .max = 8 << 20, .feed = feed};
