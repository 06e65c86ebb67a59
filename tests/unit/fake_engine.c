/* fake_engine.c: the fake engine of fake_engine.h.
 *
 * Every function of the engine's vtable answers from the struct the test
 * fills: snapshots as set, calls counted.  harvest refuses a source the
 * configuration lacks, as the real engine does, so that the fuzzer's
 * harvests of made-up names end where they would in fairdexd.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "fake_engine.h"
#include "fd_test.h"

static struct fake_engine *of(struct fd_engine *e) { return (struct fake_engine *)e; }

static const struct fd_config *fake_config(struct fd_engine *e) { return of(e)->config; }

static uint64_t fake_generation(struct fd_engine *e) { return of(e)->generation; }

static size_t fake_n_sources(struct fd_engine *e) { return of(e)->n; }

static bool fake_find(struct fd_engine *e, const char *name, size_t *ret_i) {
        for (size_t i = 0; i < of(e)->n; i++)
                if (strcmp(of(e)->snaps[i].config->name, name) == 0) {
                        *ret_i = i;
                        return true;
                }
        return false;
}

static void fake_snapshot(struct fd_engine *e, size_t i, struct fd_source_snapshot *ret) {
        of(e)->snapshots++;
        *ret = of(e)->snaps[i];
}

/* Counts the call and answers as the test asked. */
static enum fd_status called(struct fake_engine *f, unsigned *counter, const char *source, struct fd_error *err) {
        (*counter)++;
        snprintf(f->last_source, sizeof f->last_source, "%s", source ? source : "");
        if (f->answer != FD_OK)
                return fd_error_set(err, f->answer, "%s", f->answer_msg);
        return FD_OK;
}

static enum fd_status fake_harvest(struct fd_engine *e, const char *source, struct fd_error *err) {
        size_t i;
        if (!fake_find(e, source, &i))
                return fd_error_set(err, FD_E_NOTFOUND, "no source '%s' in the configuration", source);
        return called(of(e), &of(e)->harvests, source, err);
}

static enum fd_status fake_reload(struct fd_engine *e, struct fd_error *err) {
        return called(of(e), &of(e)->reloads, NULL, err);
}

static enum fd_status fake_purge(struct fd_engine *e, const char *source, uint64_t *ret_deleted,
                                 struct fd_error *err) {
        enum fd_status st = called(of(e), &of(e)->purges, source, err);
        if (st == FD_OK)
                *ret_deleted = of(e)->purge_deleted;
        return st;
}

static enum fd_status fake_rescore(struct fd_engine *e, const char **ret_rubric, struct fd_error *err) {
        enum fd_status st = called(of(e), &of(e)->rescores, NULL, err);
        if (st == FD_OK)
                *ret_rubric = "fake-rubric";
        return st;
}

static enum fd_status fake_remap(struct fd_engine *e, const char *source, struct fd_error *err) {
        return called(of(e), &of(e)->remaps, source, err);
}

static const struct fd_engine_vtable fake_vtable = {
        .config = fake_config,
        .generation = fake_generation,
        .n_sources = fake_n_sources,
        .find = fake_find,
        .snapshot = fake_snapshot,
        .harvest = fake_harvest,
        .reload = fake_reload,
        .purge = fake_purge,
        .rescore = fake_rescore,
        .remap = fake_remap,
};

static void die(const char *what, const struct fd_error *err) {
        fprintf(stderr, "fake_engine: %s%s%s\n", what, err ? ": " : "", err ? err->msg : "");
        exit(2);
}

void fake_engine_init(struct fake_engine *f, const char *const *names) {
        struct fd_error err = {0};
        struct fd_index *idx = NULL;
        struct fd_buf yaml;

        memset(f, 0, sizeof *f);
        snprintf(f->dir, sizeof f->dir, "/tmp/fd-fake-engine-XXXXXX");
        if (!mkdtemp(f->dir))
                die("cannot create a temporary directory", NULL);
        snprintf(f->index_path, sizeof f->index_path, "%s/index", f->dir);
        fd_buf_init(&yaml, 1 << 16);
        fd_buf_printf(&yaml, "state_dir: %s\nsocket: %s/fairdex.sock\nsources:%s\n", f->dir, f->dir,
                      names && names[0] ? "" : " []");
        for (size_t i = 0; names && names[i]; i++)
                fd_buf_printf(&yaml, "  - name: %s\n    type: oai-pmh\n    url: http://example.org/%s\n", names[i],
                              names[i]);
        if (fd_config_parse("fake.yaml", yaml.data, yaml.len, &f->config, &err) != FD_OK)
                die("cannot parse its configuration", &err);
        fd_buf_release(&yaml);
        if (f->config->n_sources > FAKE_MAX_SOURCES)
                die("too many sources", NULL);
        for (size_t i = 0; i < f->config->n_sources; i++)
                f->snaps[i] = (struct fd_source_snapshot){
                        .config = &f->config->sources[i], .progress_total = -1, .http = &f->http,
                };
        f->n = f->config->n_sources;
        if (fd_index_open(f->index_path, true, &idx, &err) != FD_OK || fd_index_commit(idx, &err) != FD_OK)
                die("cannot create its index", &err);
        fd_index_free(idx);
        f->index_locs[0] = f->index_path;
        f->shards = (struct fd_index_shards){.locs = f->index_locs, .names = f->index_locs, .n = 1};
        f->engine = (struct fd_engine){
                .vt = &fake_vtable, .index_path = f->index_path, .shards = &f->shards, .state_dir = f->dir};
}

void fake_engine_release(struct fake_engine *f) {
        fd_config_free(f->config);
        if (f->dir[0])
                fd_test_rmtree(f->dir);
        memset(f, 0, sizeof *f);
}
