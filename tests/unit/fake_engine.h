/* fake_engine.h: an engine for the ops without threads, harvests or
 * scheduler (engine.h), for the daemon's unit tests and the request
 * fuzzer.
 *
 * It holds a real configuration (parsed from the sources given), a real
 * state directory and index in a temporary directory (the index empty,
 * for the caller to fill), and one snapshot per source that a test sets
 * as it likes.  Each call of the engine is counted, with the source it
 * named; harvest, reload, purge, rescore and remap answer `answer` (FD_OK by
 * default, otherwise that status with answer_msg).
 */
#ifndef FAKE_ENGINE_H
#define FAKE_ENGINE_H

#include "ops/ops.h"

#define FAKE_MAX_SOURCES 8

struct fake_engine {
        struct fd_engine engine;
        struct fd_config *config;
        struct fd_source_snapshot snaps[FAKE_MAX_SOURCES];
        size_t n;
        struct fd_http_counts http;
        uint64_t generation;
        unsigned harvests, reloads, purges, rescores, remaps, snapshots;
        char last_source[128];
        enum fd_status answer;
        char answer_msg[128];
        uint64_t purge_deleted;
        char dir[64], index_path[96];
        const char *index_locs[1];
        struct fd_index_shards shards;
};

/* Makes f with sources named in names (NULL-terminated; each an oai-pmh
 * source at http://example.org/<name>), a state directory and an empty
 * index.  Exits on failure (a test that cannot start is a broken test). */
void fake_engine_init(struct fake_engine *f, const char *const *names);
/* Frees f and removes its directory. */
void fake_engine_release(struct fake_engine *f);

#endif
