/* test_index_shards.c: an index split into shards answers as one database.
 *
 * The same generated records are put into one database and into 2 or 3
 * shards (split by a hash of the record id, as the daemon routes them),
 * locally and behind real xapian-tcpsrv processes on 127.0.0.1; a spread
 * of requests (facets, sorts, cursors over several pages, DOI collapse
 * with DOI groups spread over the shards, versions, bbox, near) must give
 * the same hits in the same order, the same scores, totals and facet
 * counts.  A shard that is missing, or whose server dies, leaves a partial
 * answer naming it.
 */
#include <check.h>
#include <errno.h>
#include <ftw.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fd_test.h"
#include "fd_index.h"

#define N_RECORDS 240
#define MAX_SHARDS 3

static char tmpdir[256];
static char one_path[512];
static char shard_path[MAX_SHARDS][512];
static const char *shard_locs[MAX_SHARDS];

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
        (void)st;
        (void)flag;
        (void)ftw;
        return remove(path);
}

static void setup(void) {
        snprintf(tmpdir, sizeof tmpdir, "/tmp/fd-test-shards-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(tmpdir));
        snprintf(one_path, sizeof one_path, "%s/one", tmpdir);
        for (int i = 0; i < MAX_SHARDS; i++) {
                snprintf(shard_path[i], sizeof shard_path[i], "%s/shard%d", tmpdir, i);
                shard_locs[i] = shard_path[i];
        }
}

static void teardown(void) {
        nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- records ------------------------------------------------------------ */

static const char *const words[] = { "ocean", "glacier", "forest", "soil", "carbon", "river", "climate", "ice" };
static const char *const subjects[] = { "Oceanography", "Glaciology", "Soil science", "Ecology", "Hydrology" };
static const char *const types[] = { "Dataset", "Text", "Image", "Software" };
static const char *const langs[] = { "en", "de", "fr" };
static const char *const rights[] = { "https://creativecommons.org/licenses/by/4.0/",
                                      "https://creativecommons.org/publicdomain/zero/1.0/",
                                      "info:eu-repo/semantics/closedAccess" };
static const char *const rors[] = { "https://ror.org/02nr0ka47", "https://ror.org/05f950310" };

#define CHECK_OK(call)                                                                  \
        do {                                                                            \
                enum fd_status st_ = (call);                                            \
                ck_assert_msg(st_ == FD_OK, "%s: %s", #call, fd_status_name(st_));      \
        } while (0)

/* Record i: few distinct titles and years, so that relevance and sort
 * ties are common; every fourth pair shares a DOI (one object from two
 * sources), some records are versions of another, some have a place. */
static struct fd_record *gen_record(struct fd_arena *a, unsigned i) {
        struct fd_record *r = fd_record_new_in(a);
        const char *source = i % 3 == 0 ? "alpha" : i % 3 == 1 ? "beta" : "gamma";

        ck_assert_ptr_nonnull(r);
        r->source = source;
        r->id = fd_arena_printf(a, "%s:rec%03u", source, i);
        r->datestamp = "2024-01-02T03:04:05Z";
        CHECK_OK(fd_record_add_title(r, a,
                                     fd_arena_printf(a, "%s %s data", words[i % 8], words[(i / 8) % 8]), NULL));
        if (i % 2)
                CHECK_OK(fd_record_add_description(
                        r, a, fd_arena_printf(a, "Measurements of %s near the %s", words[(i * 7) % 8], words[i % 5]),
                        NULL));
        CHECK_OK(fd_record_add_agent(r, a, false, i % 4 ? "Müller, Anna" : "Rossi, Marco", NULL,
                                     i % 5 ? "Some Institute" : NULL, i % 5 ? rors[i % 2] : NULL, NULL));
        for (unsigned k = 0; k < i % 4; k++)
                CHECK_OK(fd_record_add_subject(r, a, subjects[(i + k) % 5], NULL, NULL));
        if (i % 7)
                CHECK_OK(fd_record_add_date(r, a, fd_arena_printf(a, "%u-03-14", 2010 + i % 6), "issued"));
        CHECK_OK(fd_record_set_type(r, a, types[i % 4]));
        CHECK_OK(fd_record_add_language(r, a, langs[i % 3]));
        if (i % 5 != 4)
                CHECK_OK(fd_record_add_rights(r, a, NULL, rights[i % 3]));
        if (i % 6 == 0)
                CHECK_OK(fd_record_add_funding(r, a, "European Commission", "10.13039/501100000780",
                                               fd_arena_printf(a, "%u", 100 + i % 3), NULL));
        /* DOIs: records 8k and 8k+1 share one (spread by the id hash);
         * record 8k+2 is a new version of 8k's DOI. */
        if (i % 8 == 0 || i % 8 == 1)
                CHECK_OK(fd_record_add_identifier(r, a, fd_arena_printf(a, "10.1234/obj.%u", i / 8), FD_PID_DOI));
        else if (i % 8 == 2) {
                CHECK_OK(fd_record_add_identifier(r, a, fd_arena_printf(a, "10.1234/v2.%u", i / 8), FD_PID_DOI));
                CHECK_OK(fd_record_add_related(r, a, fd_arena_printf(a, "10.1234/obj.%u", i / 8), FD_PID_DOI,
                                               "IsNewVersionOf"));
        } else if (i % 8 == 3)
                CHECK_OK(fd_record_add_identifier(r, a, fd_arena_printf(a, "10.1234/solo.%u", i), FD_PID_DOI));
        if (i % 5 == 1) {
                struct fd_geo g = { .has_box = true, .west = -10.0 + i % 20, .east = 0.0 + i % 20,
                                    .south = 40.0 + i % 10, .north = 50.0 + i % 10 };
                CHECK_OK(fd_record_add_geo(r, a, &g));
        } else if (i % 5 == 2) {
                struct fd_geo g = { .has_point = true, .lat = 45.0 + i % 7, .lon = 5.0 + i % 11 };
                CHECK_OK(fd_record_add_geo(r, a, &g));
        }
        return r;
}

static void put_record(struct fd_index *idx, struct fd_arena *a, const struct fd_record *r) {
        struct fd_fair_assessment fair;
        struct fd_error err = { 0 };
        json_t *j = fd_record_to_json(r);
        char *json = j ? json_dumps(j, JSON_COMPACT) : NULL;
        enum fd_status st;

        (void)a;
        ck_assert_ptr_nonnull(json);
        fd_fair_assess(r, &fair);
        st = fd_index_put(idx, r, &fair, json, &err);
        ck_assert_msg(st == FD_OK, "put '%s': %s", r->id, err.msg);
        free(json);
        json_decref(j);
}

static struct fd_index *open_writer(const char *loc) {
        struct fd_error err = { 0 };
        struct fd_index *idx = NULL;
        enum fd_status st = fd_index_open(loc, true, &idx, &err);

        ck_assert_msg(st == FD_OK, "open '%s': %s", loc, err.msg);
        return idx;
}

static void commit_free(struct fd_index *idx) {
        struct fd_error err = { 0 };

        ck_assert_msg(fd_index_commit(idx, &err) == FD_OK, "commit: %s", err.msg);
        fd_index_free(idx);
}

/* The shard of record id among n: how the daemon routes by default. */
static unsigned shard_of(const char *id, unsigned n) {
        return (unsigned)(fd_hash_str(id) % n);
}

/* Puts the records into one database at one_path and into n shards at
 * locs (writers open on them: paths or tcp:// of writable servers). */
static void build(const char *const *locs, unsigned n) {
        struct fd_arena *a = fd_arena_new(1 << 22);
        struct fd_index *one = open_writer(one_path), *w[MAX_SHARDS];

        ck_assert_ptr_nonnull(a);
        for (unsigned s = 0; s < n; s++)
                w[s] = open_writer(locs[s]);
        for (unsigned i = 0; i < N_RECORDS; i++) {
                struct fd_record *r = gen_record(a, i);
                put_record(one, a, r);
                put_record(w[shard_of(r->id, n)], a, r);
                fd_arena_reset(a);
        }
        commit_free(one);
        for (unsigned s = 0; s < n; s++)
                commit_free(w[s]);
        fd_arena_free(a);
}

static struct fd_index *open_reader(const char *path) {
        struct fd_error err = { 0 };
        struct fd_index *idx = NULL;

        ck_assert_msg(fd_index_open(path, false, &idx, &err) == FD_OK, "open '%s': %s", path, err.msg);
        return idx;
}

static struct fd_index *open_set(const char *const *locs, const char *const *names, unsigned n) {
        const struct fd_index_shards s = { locs, names, n };
        struct fd_error err = { 0 };
        struct fd_index *idx = NULL;

        ck_assert_msg(fd_index_open_shards(&s, &idx, &err) == FD_OK, "open shards: %s", err.msg);
        return idx;
}

static struct fd_search_result *search(struct fd_index *idx, const struct fd_search_request *req) {
        struct fd_error err = { 0 };
        struct fd_search_result *res = NULL;
        enum fd_status st = fd_index_search(idx, req, &res, &err);

        ck_assert_msg(st == FD_OK, "search '%s': %s", req->q ? req->q : "", err.msg);
        return res;
}

/* ---- step 1: the set of shards, missing ones ------------------------- */

START_TEST(test_open_shards_local) {
        build(shard_locs, 2);
        struct fd_index *one = open_reader(one_path), *set = open_set(shard_locs, shard_locs, 2);
        struct fd_error err = { 0 };
        uint64_t n1 = 0, n2 = 0;
        const char *const *missing;
        size_t n_missing;

        CHECK_OK(fd_index_count(one, &n1, &err));
        CHECK_OK(fd_index_count(set, &n2, &err));
        ck_assert_uint_eq(n1, N_RECORDS);
        ck_assert_uint_eq(n2, N_RECORDS);
        fd_index_missing(set, &missing, &n_missing);
        ck_assert_uint_eq(n_missing, 0);
        struct fd_search_request req = { .q = "glacier" };
        struct fd_search_result *r1 = search(one, &req), *r2 = search(set, &req);
        ck_assert(r2->total > 0);
        ck_assert(!r2->partial);
        fd_search_result_free(r1);
        fd_search_result_free(r2);
        fd_index_free(one);
        fd_index_free(set);
}
END_TEST

START_TEST(test_missing_local_shard) {
        const char *locs[3] = { shard_locs[0], shard_locs[1], NULL };
        const char *names[3] = { "first", "second", "third" };
        char gone[600];

        build(shard_locs, 2);
        snprintf(gone, sizeof gone, "%s/never", tmpdir);
        locs[2] = gone;
        struct fd_index *set = open_set(locs, names, 3);
        struct fd_search_request req = { .q = "" };
        struct fd_search_result *res = search(set, &req);
        ck_assert(res->partial);
        ck_assert_uint_eq(res->n_missing_shards, 1);
        ck_assert_str_eq(res->missing_shards[0], "third");
        ck_assert(res->total > 0);
        fd_search_result_free(res);
        /* It appears: the next read, a second later, finds it. */
        fd_index_free(open_writer(gone));
        struct fd_index *w = open_writer(gone);
        commit_free(w);
        sleep(1);
        res = search(set, &req);
        ck_assert(!res->partial);
        fd_search_result_free(res);
        fd_index_free(set);

        /* Every shard missing: the call fails, naming them. */
        const char *none[2] = { gone, gone };
        snprintf(gone, sizeof gone, "%s/nothing", tmpdir);
        const struct fd_index_shards s = { none, none, 2 };
        struct fd_error err = { 0 };
        struct fd_index *idx = NULL;
        ck_assert_int_eq(fd_index_open_shards(&s, &idx, &err), FD_E_IO);
        ck_assert_ptr_nonnull(strstr(err.msg, "nothing"));
}
END_TEST

static bool count_id(void *userdata, const char *id) {
        (void)id;
        (*(unsigned *)userdata)++;
        return true;
}

START_TEST(test_ids_over_shards) {
        build(shard_locs, 3);
        const struct fd_index_shards s = { shard_locs, shard_locs, 3 };
        struct fd_error err = { 0 };
        unsigned n = 0;

        CHECK_OK(fd_index_ids(&s, "beta", NULL, count_id, &n, &err));
        ck_assert_uint_eq(n, N_RECORDS / 3);
}
END_TEST

static Suite *suite(void) {
        Suite *s = suite_create("index_shards");
        TCase *tc = tcase_create("local");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_set_timeout(tc, 120);
        tcase_add_test(tc, test_open_shards_local);
        tcase_add_test(tc, test_missing_local_shard);
        tcase_add_test(tc, test_ids_over_shards);
        suite_add_tcase(s, tc);
        return s;
}

FD_TEST_MAIN(suite)
