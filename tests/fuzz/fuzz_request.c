/* fuzz_request.c: the request parser and every op behind it, for libFuzzer
 * and AFL, and a replay of the saved corpus as a meson test.
 *
 * LLVMFuzzerTestOneInput hands one input, as one request line, to
 * fd_protocol_handle with a query context on the fake engine of the unit
 * tests (tests/unit/fake_engine.c: two sources, no threads) whose index
 * (made once, in a temporary directory, with two records sharing a DOI)
 * is real, so searches, facets, suggest, similar and get all run.  The
 * peer counts as admin, so every admin op is reached too (the fake engine
 * answers them as fairdexd's would, without harvesting); the production
 * ops need no guard for it.  Every
 * answer must be a JSON object with a boolean "ok": anything else aborts,
 * which is what a fuzzer reports.
 *
 * Built for meson, fuzz_main.c is its main: it feeds it every file of the directories named on the command line:
 *   ./fuzz_request tests/fuzz/request          # meson test: replay
 * For libFuzzer, build the tree with clang and coverage, then link:
 *   CC=clang CXX=clang++ CFLAGS=-fsanitize=fuzzer-no-link,address \
 *     CXXFLAGS=-fsanitize=fuzzer-no-link,address meson setup build-fuzz
 *   clang -fsanitize=fuzzer,address -DFD_LIBFUZZER fuzz_request.c \
 *     (the libfd_*.a of build-fuzz and their pkg-config libraries)
 *   ./a.out -max_len=65536 tests/fuzz/request
 */
#include <stdint.h>
#include <sys/stat.h>

#include "fake_engine.h"
#include "fuzz_main.h"

static struct fake_engine engine;
static struct fd_query_ctx ctx;

static void cleanup(void) {
        fd_index_free(ctx.reader);
        ctx.reader = NULL;
        fake_engine_release(&engine);
}

static void put(struct fd_index *idx, struct fd_arena *a, const char *id, const char *source, const char *title,
                const char *doi) {
        struct fd_record *r = fd_record_new_in(a);
        struct fd_text *t = r ? FD_PUSH(a, r->titles) : NULL;
        struct fd_fair_assessment fair = {.overall = 55};
        struct fd_error err = {0};

        if (!t) {
                fprintf(stderr, "fuzz_request: out of memory\n");
                exit(2);
        }
        r->id = id;
        r->source = source;
        r->doi = doi;
        r->resource_type = "Dataset";
        t->value = title;
        json_t *j = json_pack("{s:s,s:s,s:[{s:s}],s:s?}", "id", id, "source", source, "titles", "value", title,
                              "doi", doi);
        char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
        if (!text || fd_index_put(idx, r, &fair, text, &err) != FD_OK) {
                fprintf(stderr, "fuzz_request: cannot index '%s': %s\n", id, err.msg);
                exit(2);
        }
        free(text);
        json_decref(j);
}

static void init(void) {
        struct fd_index *idx = NULL;
        struct fd_error err = {0};
        struct fd_arena *a = fd_arena_new(1 << 16);
        static const char *const sources[] = {"zenodo", "portal", NULL};

        if (!a) {
                fprintf(stderr, "fuzz_request: out of memory\n");
                exit(2);
        }
        fake_engine_init(&engine, sources);
        atexit(cleanup);
        if (fd_index_open(engine.index_path, true, &idx, &err) != FD_OK) {
                fprintf(stderr, "fuzz_request: %s\n", err.msg);
                exit(2);
        }
        put(idx, a, "zenodo:1", "zenodo", "Glacier mass balance in the Alps", "10.5281/zenodo.1");
        put(idx, a, "portal:1", "portal", "Glacier mass balance (copy)", "10.5281/zenodo.1");
        put(idx, a, "zenodo:2", "zenodo", "Ocean temperatures", NULL);
        if (fd_index_commit(idx, &err) != FD_OK) {
                fprintf(stderr, "fuzz_request: %s\n", err.msg);
                exit(2);
        }
        fd_index_free(idx);
        fd_arena_free(a);
        ctx.engine = &engine.engine;
        ctx.admin = true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        if (!ctx.engine)
                init();
        char *reply = fd_protocol_handle(&ctx, (const char *)data, size);
        json_t *r = reply ? json_loads(reply, 0, NULL) : NULL;
        if (!json_is_object(r) || !json_is_boolean(json_object_get(r, "ok"))) {
                fprintf(stderr, "fuzz_request: bad answer '%s'\n", reply ? reply : "(null)");
                abort();
        }
        json_decref(r);
        free(reply);
        return 0;
}

/* One file as one input, and each of its lines as one more. */
static void feed(const uint8_t *data, size_t size) {
        LLVMFuzzerTestOneInput(data, size);
        for (size_t start = 0, i = 0; i <= size; i++) {
                if (i == size || data[i] == '\n') {
                        if (i > start)
                                LLVMFuzzerTestOneInput(data + start, i - start);
                        start = i + 1;
                }
        }
}

const struct fd_fuzz_replay fd_fuzz_replay = {
        .name = "fuzz_request", .max = FD_PROTOCOL_MAX_REQUEST + 2, .feed = feed};
