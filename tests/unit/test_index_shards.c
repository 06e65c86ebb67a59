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
#include <fcntl.h>
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

static void setup(void) {
        snprintf(tmpdir, sizeof tmpdir, "/tmp/fd-test-shards-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(tmpdir));
        snprintf(one_path, sizeof one_path, "%s/one", tmpdir);
        for (int i = 0; i < MAX_SHARDS; i++) {
                snprintf(shard_path[i], sizeof shard_path[i], "%s/shard%d", tmpdir, i);
                shard_locs[i] = shard_path[i];
        }
}

/* ---- xapian-tcpsrv ----------------------------------------------------- */

#define MAX_SERVERS 8

static pid_t servers[MAX_SERVERS];

static void stop_server(pid_t pid) {
        if (pid <= 0)
                return;
        /* xapian-tcpsrv forks a child per connection: its whole group */
        kill(-pid, SIGKILL);
        waitpid(pid, NULL, 0);
        for (int i = 0; i < MAX_SERVERS; i++)
                if (servers[i] == pid)
                        servers[i] = 0;
}

static void stop_servers(void) {
        for (int i = 0; i < MAX_SERVERS; i++)
                stop_server(servers[i]);
}

static void teardown(void) {
        stop_servers();
        fd_test_rmtree(tmpdir);
}

static bool accepts(unsigned port) {
        struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                                  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        bool ok = fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;

        if (fd >= 0)
                close(fd);
        return ok;
}

/* Starts xapian-tcpsrv on 127.0.0.1:port serving dir (writable: the one
 * writer's) and waits until it accepts connections. */
static pid_t start_server(const char *dir, unsigned port, bool writable) {
        char port_s[16];
        pid_t pid;
        int slot = -1;

        static bool registered;
        /* a failed check exits the test's process without teardown */
        if (!registered)
                registered = atexit(stop_servers) == 0;
        for (int i = 0; i < MAX_SERVERS && slot < 0; i++)
                if (servers[i] == 0)
                        slot = i;
        ck_assert_int_ge(slot, 0);
        mkdir(dir, 0755);
        snprintf(port_s, sizeof port_s, "%u", port);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                setpgid(0, 0);
                /* quiet: its complaints about the probes' connections */
                int null = open("/dev/null", O_WRONLY);
                if (null >= 0) {
                        dup2(null, 1);
                        dup2(null, 2);
                }
                const char *argv[] = { "xapian-tcpsrv", "--quiet", "--interface", "127.0.0.1", "--port", port_s,
                                       writable ? "--writable" : dir, writable ? dir : NULL, NULL };
                execvp(argv[0], (char *const *)argv);
                _exit(127);
        }
        servers[slot] = pid;
        for (int i = 0; i < 500 && !accepts(port); i++)
                usleep(10000);
        ck_assert_msg(accepts(port), "xapian-tcpsrv on port %u does not answer", port);
        return pid;
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
 * locs (writers open on them: paths or tcp:// of writable servers), by
 * the hash of their id or, by_work, of the first record of their work
 * (versions are linked only within a shard: docs/protocol.md). */
static void build_routed(const char *const *locs, unsigned n, bool by_work) {
        struct fd_arena *a = fd_arena_new(1 << 22);
        struct fd_index *one = open_writer(one_path), *w[MAX_SHARDS];

        ck_assert_ptr_nonnull(a);
        for (unsigned s = 0; s < n; s++)
                w[s] = open_writer(locs[s]);
        for (unsigned i = 0; i < N_RECORDS; i++) {
                struct fd_record *r = gen_record(a, i);
                put_record(one, a, r);
                const char *key = r->id;
                if (by_work && i % 8 < 3)
                        key = fd_arena_printf(a, "work%u", i / 8);
                put_record(w[shard_of(key, n)], a, r);
                fd_arena_reset(a);
        }
        /* Some deleted: tombstones in several shards. */
        struct fd_error err = { 0 };
        for (unsigned i = 5; i < N_RECORDS; i += 17) {
                const char *id = gen_record(a, i)->id;
                const char *key = by_work && i % 8 < 3 ? fd_arena_printf(a, "work%u", i / 8) : id;
                CHECK_OK(fd_index_delete(one, id, &err));
                CHECK_OK(fd_index_delete(w[shard_of(key, n)], id, &err));
        }
        commit_free(one);
        for (unsigned s = 0; s < n; s++)
                commit_free(w[s]);
        fd_arena_free(a);
}

static void build(const char *const *locs, unsigned n) {
        build_routed(locs, n, false);
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

#define N_DELETED 14

START_TEST(test_open_shards_local) {
        build(shard_locs, 2);
        struct fd_index *one = open_reader(one_path), *set = open_set(shard_locs, shard_locs, 2);
        struct fd_error err = { 0 };
        uint64_t n1 = 0, n2 = 0;
        const char *const *missing;
        size_t n_missing;

        CHECK_OK(fd_index_count(one, &n1, &err));
        CHECK_OK(fd_index_count(set, &n2, &err));
        ck_assert_uint_eq(n1, N_RECORDS - N_DELETED);
        ck_assert_uint_eq(n2, N_RECORDS - N_DELETED);
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
        /* metadata is the home shard's */
        char *value = NULL;
        struct fd_error merr = { 0 };
        CHECK_OK(fd_index_get_meta(set, "fairdex:schema", &value, &merr));
        free(value);
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
        ck_assert_uint_eq(n, N_RECORDS / 3 - 5);
}
END_TEST

/* ---- comparing answers ------------------------------------------------ */

static int cmp_str(const void *a, const void *b) {
        return strcmp(*(char *const *)a, *(char *const *)b);
}

static void same_str(const char *what, const char *a, const char *b) {
        ck_assert_msg((!a && !b) || (a && b && strcmp(a, b) == 0), "%s: '%s' != '%s'", what, a ? a : "(null)",
                      b ? b : "(null)");
}

static void same_strs(const char *what, const char *const *a, size_t na, const char *const *b, size_t nb) {
        ck_assert_msg(na == nb, "%s: %zu != %zu values", what, na, nb);
        for (size_t i = 0; i < na; i++)
                same_str(what, a[i], b[i]);
}

/* v joined by commas (a new string). */
static char *join_strs(const char *const *v, size_t n) {
        size_t len = 1, at = 0;
        for (size_t i = 0; i < n; i++)
                len += strlen(v[i]) + 1;
        char *out = calloc(1, len);
        for (size_t i = 0; i < n; i++) {
                const size_t k = strlen(v[i]);
                if (i)
                        out[at++] = ',';
                memcpy(out + at, v[i], k);
                at += k;
        }
        return out;
}

/* The hits of a walk as lines, with their scores: relevance ties come in
 * index order, which differs between one database and shards
 * (docs/protocol.md, "What differs"), so relevance hits are compared as
 * sets within each run of equal scores (same_runs).  The object of a
 * shared DOI is its DOI and sources (the record that stands for it may
 * differ on a tie), any other hit everything it shows. */
struct hit_lines {
        char **v;
        int *score;
        size_t n;
};

static void hit_lines_add(struct hit_lines *l, const struct fd_search_result *r) {
        l->v = realloc(l->v, sizeof *l->v * (l->n + r->n_hits + 1));
        l->score = realloc(l->score, sizeof *l->score * (l->n + r->n_hits + 1));
        for (size_t i = 0; i < r->n_hits; i++) {
                const struct fd_search_hit *h = &r->hits[i];
                char *sources = join_strs(h->sources, h->n_sources), *versions = join_strs(h->versions,
                                                                                                 h->n_versions);
                if (h->n_sources > 1)
                        ck_assert(asprintf(&l->v[l->n], "doi %s %s", h->doi, sources) > 0);
                else
                        ck_assert(asprintf(&l->v[l->n], "id %s|%s|%s|%s|%s|%s|%d|%d", h->id, h->title ? h->title : "",
                                           h->doi ? h->doi : "", h->source ? h->source : "", sources, versions,
                                           h->year, h->fair) > 0);
                l->score[l->n++] = h->score;
                free(sources);
                free(versions);
        }
}

static void hit_lines_free(struct hit_lines *l) {
        for (size_t i = 0; i < l->n; i++)
                free(l->v[i]);
        free(l->v);
        free(l->score);
        *l = (struct hit_lines){ 0 };
}

/* a and b: the same scores in the same order, and each run of equal
 * scores the same hits, but a first run cut by an offset and a last run
 * cut by the page's end, whose members may differ. */
static void same_runs(const char *what, struct hit_lines *a, struct hit_lines *b, bool cut_start, bool cut_end) {
        ck_assert_msg(a->n == b->n, "%s: %zu != %zu hits", what, a->n, b->n);
        for (size_t i = 0; i < a->n; i++)
                ck_assert_msg(a->score[i] == b->score[i], "%s: hit %zu: score %d != %d", what, i, a->score[i],
                              b->score[i]);
        for (size_t i = 0, j; i < a->n; i = j) {
                for (j = i + 1; j < a->n && a->score[j] == a->score[i]; j++)
                        ;
                if ((i == 0 && cut_start) || (j == a->n && cut_end))
                        continue;
                qsort(a->v + i, j - i, sizeof *a->v, cmp_str);
                qsort(b->v + i, j - i, sizeof *b->v, cmp_str);
                for (size_t k = i; k < j; k++)
                        same_str(what, a->v[k], b->v[k]);
        }
}

/* Everything two answers show agrees (relevance hits: into ha and hb, for
 * same_runs). */
static void same_result_but_hits(const char *what, const struct fd_search_result *a, const struct fd_search_result *b,
                                 struct hit_lines *ha, struct hit_lines *hb) {
        /* An estimate (total_exact false) is Xapian's, from how the
         * records lie, and one database stops a large boolean match early
         * where shards see all of it: only totals both call exact must
         * agree. */
        ck_assert_msg(!a->total_exact || !b->total_exact || a->total == b->total, "%s: total %llu != %llu", what,
                      (unsigned long long)a->total, (unsigned long long)b->total);
        if (a->n_hits != b->n_hits) {
                for (size_t i = 0; i < a->n_hits; i++)
                        fprintf(stderr, "a %s\n", a->hits[i].id);
                for (size_t i = 0; i < b->n_hits; i++)
                        fprintf(stderr, "b %s\n", b->hits[i].id);
        }
        ck_assert_msg(a->n_hits == b->n_hits, "%s: %zu != %zu hits", what, a->n_hits, b->n_hits);
        if (ha) {
                hit_lines_add(ha, a);
                hit_lines_add(hb, b);
        }
        for (size_t i = 0; i < a->n_hits && !ha; i++) {
                const struct fd_search_hit *x = &a->hits[i], *y = &b->hits[i];
                same_str(what, x->id, y->id);
                same_str(what, x->title, y->title);
                same_str(what, x->doi, y->doi);
                same_str(what, x->source, y->source);
                same_strs(what, x->sources, x->n_sources, y->sources, y->n_sources);
                same_strs(what, x->versions, x->n_versions, y->versions, y->n_versions);
                ck_assert_msg(x->score == y->score && x->year == y->year && x->fair == y->fair,
                              "%s: hit '%s': score %d/%d year %d/%d fair %d/%d", what, x->id, x->score, y->score,
                              x->year, y->year, x->fair, y->fair);
        }
        ck_assert_msg(a->n_facets == b->n_facets, "%s: facets differ", what);
        for (size_t f = 0; f < a->n_facets; f++) {
                const struct fd_search_facet *x = &a->facets[f], *y = &b->facets[f];
                ck_assert_msg(x->field == y->field && x->n == y->n, "%s: facet %zu: %zu != %zu values", what, f,
                              x->n, y->n);
                for (size_t i = 0; i < x->n; i++) {
                        same_str(what, x->v[i].value, y->v[i].value);
                        same_str(what, x->v[i].label, y->v[i].label);
                        ck_assert_msg(x->v[i].count == y->v[i].count, "%s: facet value '%s': %llu != %llu", what,
                                      x->v[i].value, (unsigned long long)x->v[i].count,
                                      (unsigned long long)y->v[i].count);
                }
        }
        /* a relevance cursor holds a docid */
        ck_assert_msg(!a->next_cursor == !b->next_cursor, "%s: next_cursor differs", what);
        same_str(what, a->did_you_mean, b->did_you_mean);
        ck_assert_msg(!b->partial, "%s: partial", what);
}

/* One answer of a limit of hits. */
static void same_result(const char *what, const struct fd_search_result *a, const struct fd_search_result *b,
                        unsigned limit) {
        struct hit_lines ha = { 0 }, hb = { 0 };

        same_result_but_hits(what, a, b, &ha, &hb);
        same_runs(what, &ha, &hb, false, a->n_hits >= limit);
        hit_lines_free(&ha);
        hit_lines_free(&hb);
}

static const char *const dataset[] = { "Dataset" };
static const enum fd_search_field all_facets[] = { FD_FIELD_TYPE,    FD_FIELD_SOURCE,      FD_FIELD_LANG,
                                                   FD_FIELD_LICENSE, FD_FIELD_ACCESS,      FD_FIELD_YEAR,
                                                   FD_FIELD_FAIR,    FD_FIELD_SUBJECT,     FD_FIELD_AFFILIATION,
                                                   FD_FIELD_FUNDER,  FD_FIELD_DISCIPLINE };

/* Runs req on a and b and walks every page of both by cursor (or by
 * offset when there is none), comparing each; the walk shows each object
 * once. */
static void same_walk(const char *what, struct fd_index *a, struct fd_index *b, struct fd_search_request req) {
        char *cursor = NULL;
        size_t seen = 0;
        uint64_t total = 0;
        bool exact = false;
        const bool relevance = req.sort == FD_SORT_RELEVANCE;
        const bool cut_start = req.offset > 0;
        bool cut_end = false;
        struct hit_lines ha = { 0 }, hb = { 0 };

        for (int page = 0; page < 200; page++) {
                struct fd_search_result *x = search(a, &req), *y = search(b, &req);
                char label[160];
                snprintf(label, sizeof label, "%s, page %d", what, page);
                same_result_but_hits(label, x, y, relevance ? &ha : NULL, relevance ? &hb : NULL);
                if (page == 0) {
                        total = x->total;
                        exact = x->total_exact;
                }
                seen += x->n_hits;
                /* a walk without cursors ("collapse":"version") stops at a full page */
                cut_end = !x->next_cursor && x->n_hits >= req.limit;
                free(cursor);
                cursor = x->next_cursor ? strdup(x->next_cursor) : NULL;
                const bool by_offset = !cursor && x->n_hits > 0 && req.sort == FD_SORT_NEAR;
                fd_search_result_free(x);
                fd_search_result_free(y);
                if (cursor) {
                        /* facets too: a cursor page counts them as the first */
                        req.cursor = cursor;
                } else if (by_offset) {
                        req.offset += req.limit;
                } else {
                        break;
                }
        }
        free(cursor);
        same_runs(what, &ha, &hb, cut_start, cut_end);
        hit_lines_free(&ha);
        hit_lines_free(&hb);
        ck_assert_msg(req.sort == FD_SORT_NEAR || req.offset || !exact || seen == total, "%s: walked %zu of %llu",
                      what, seen, (unsigned long long)total);
}

/* The whole change listing of idx, pages of 7: "id deleted sets" lines
 * sorted by id (when each was written differs between the two builds by
 * a second at most, so only the set of entries is compared). */
static char *listing(struct fd_index *idx) {
        struct fd_change_request req = { .limit = 7 };
        struct fd_error err = { 0 };
        char **lines = NULL, *next = NULL, *text;
        size_t n = 0, len = 1;

        for (;;) {
                struct fd_change_list *l = NULL;
                CHECK_OK(fd_index_changes(idx, &req, &l, &err));
                lines = realloc(lines, sizeof *lines * (n + l->n + 1));
                for (size_t i = 0; i < l->n; i++) {
                        ck_assert(asprintf(&lines[n], "%s %d %s\n", l->v[i].id, l->v[i].deleted, l->v[i].sets) > 0);
                        len += strlen(lines[n++]);
                }
                free(next);
                next = l->next ? strdup(l->next) : NULL;
                fd_change_list_free(l);
                if (!next)
                        break;
                req.after = next;
        }
        qsort(lines, n, sizeof *lines, cmp_str);
        text = calloc(1, len);
        for (size_t i = 0, at = 0; i < n; i++) {
                const size_t k = strlen(lines[i]);
                memcpy(text + at, lines[i], k);
                at += k;
                free(lines[i]);
        }
        free(lines);
        return text;
}

/* The change listings of a and b agree. */
static void same_listing(struct fd_index *a, struct fd_index *b) {
        char *x = listing(a), *y = listing(b);
        ck_assert_str_eq(x, y);
        ck_assert_ptr_nonnull(strstr(x, "alpha:rec039 1 "));
        free(x);
        free(y);
}

/* The spread of requests every pair of indexes must answer alike. */
static void same_answers(struct fd_index *a, struct fd_index *b, bool remote) {
        const struct fd_search_filter type_filter = { .field = FD_FIELD_TYPE, .values = dataset, .n_values = 1 };
        const struct fd_search_filter years = { .field = FD_FIELD_YEAR, .has_from = true, .from = 2012,
                                                .has_to = true, .to = 2014 };
        const struct fd_search_filter box = { .field = FD_FIELD_BBOX, .box = { -5, 42, 5, 52 } };
        struct fd_search_request req;

        req = (struct fd_search_request){ .q = "", .limit = 9 };
        same_walk("everything", a, b, req);
        req = (struct fd_search_request){ .q = "glacier", .limit = 4, .facets = all_facets, .n_facets = 11,
                                          .facet_limit = 50 };
        same_walk("glacier with facets", a, b, req);
        req = (struct fd_search_request){ .q = "", .limit = 25, .facets = all_facets, .n_facets = 11 };
        same_walk("facets of everything", a, b, req);
        req = (struct fd_search_request){ .q = "ocean OR ice", .limit = 6, .snippets = true };
        same_walk("ocean OR ice", a, b, req);
        req = (struct fd_search_request){ .q = "data", .limit = 8, .sort = FD_SORT_DATE };
        same_walk("by date", a, b, req);
        req = (struct fd_search_request){ .q = "", .limit = 11, .sort = FD_SORT_DATE, .ascending = true };
        same_walk("by date, oldest first", a, b, req);
        req = (struct fd_search_request){ .q = "carbon", .limit = 5, .sort = FD_SORT_FAIR, .filters = &years,
                                          .n_filters = 1 };
        same_walk("by fair, 2012-2014", a, b, req);
        req = (struct fd_search_request){ .q = "", .limit = 10, .sort = FD_SORT_FAIR, .ascending = true,
                                          .filters = &type_filter, .n_filters = 1 };
        same_walk("datasets by fair, lowest first", a, b, req);
        req = (struct fd_search_request){ .q = "", .limit = 10, .sort = FD_SORT_NEAR, .near_lat = 47,
                                          .near_lon = 8 };
        if (!remote)
                same_walk("near", a, b, req);
        req = (struct fd_search_request){ .q = "", .limit = 10, .filters = &box, .n_filters = 1 };
        if (!remote)
                same_walk("bbox", a, b, req);

        struct fd_error err = { 0 };
        struct fd_search_result *x = NULL, *y = NULL;
        CHECK_OK(fd_index_suggest(a, "gl", 5, &x, &err));
        CHECK_OK(fd_index_suggest(b, "gl", 5, &y, &err));
        ck_assert_uint_eq(x->n_suggestions, y->n_suggestions);
        for (size_t i = 0; i < x->n_suggestions; i++) {
                same_str("suggest", x->suggestions[i].value, y->suggestions[i].value);
                ck_assert_uint_eq(x->suggestions[i].count, y->suggestions[i].count);
        }
        fd_search_result_free(x);
        fd_search_result_free(y);
        CHECK_OK(fd_index_similar(a, "alpha:rec009", 10, &x, &err));
        CHECK_OK(fd_index_similar(b, "alpha:rec009", 10, &y, &err));
        same_result("similar", x, y, 10);
        fd_search_result_free(x);
        fd_search_result_free(y);
        /* rec016 and rec017 share a DOI; rec018 is a new version of it */
        for (const char *const *id = (const char *const[]){ "alpha:rec018", "beta:rec016", NULL }; *id; id++) {
                struct fd_related_result *p = NULL, *q = NULL;
                CHECK_OK(fd_index_related(a, *id, &p, &err));
                CHECK_OK(fd_index_related(b, *id, &q, &err));
                ck_assert_uint_eq(p->n_links, q->n_links);
                ck_assert_uint_gt(p->n_links, 0);
                for (size_t i = 0; i < p->n_links; i++) {
                        same_str("related", p->links[i].relation, q->links[i].relation);
                        same_str("related", p->links[i].identifier, q->links[i].identifier);
                        ck_assert_uint_eq(p->links[i].n_records, q->links[i].n_records);
                        for (size_t k = 0; k < p->links[i].n_records; k++)
                                same_str("related", p->links[i].records[k].id, q->links[i].records[k].id);
                }
                fd_related_result_free(p);
                fd_related_result_free(q);
        }
        same_listing(a, b);
}

/* "collapse":"version", where each work's records share a shard. */
static void same_versions(struct fd_index *a, struct fd_index *b) {
        struct fd_search_request req = { .q = "", .limit = 10, .collapse = FD_COLLAPSE_VERSION };

        same_walk("versions", a, b, req);
        req.offset = 20;
        same_walk("versions from 20", a, b, req);
        req = (struct fd_search_request){ .q = "glacier OR ocean", .limit = 10, .collapse = FD_COLLAPSE_VERSION };
        same_walk("versions of glacier OR ocean", a, b, req);
}

/* The FAIR reports over the shards and over one database agree. */
static void same_fair(const struct fd_index_shards *a, const struct fd_index_shards *b, const char *source) {
        const struct fd_fair_report_opts opts = { .source = source, .worst = 12 };
        struct fd_fair_report *x = NULL, *y = NULL;
        struct fd_error err = { 0 };

        CHECK_OK(fd_index_fair_report(a, &opts, &x, &err));
        CHECK_OK(fd_index_fair_report(b, &opts, &y, &err));
        ck_assert_uint_eq(x->records, y->records);
        ck_assert_uint_eq(x->scored, y->scored);
        ck_assert(x->overall.mean == y->overall.mean);
        ck_assert_int_eq(memcmp(x->overall.histogram, y->overall.histogram, sizeof x->overall.histogram), 0);
        ck_assert_uint_eq(x->n_indicators, y->n_indicators);
        for (size_t i = 0; i < x->n_indicators; i++) {
                ck_assert_ptr_eq(x->indicators[i].indicator, y->indicators[i].indicator);
                ck_assert_uint_eq(x->indicators[i].fail, y->indicators[i].fail);
                ck_assert_uint_eq(x->indicators[i].pass, y->indicators[i].pass);
        }
        ck_assert_uint_eq(x->n_worst, y->n_worst);
        for (size_t i = 0; i < x->n_worst; i++)
                same_str("worst", x->worst[i].id, y->worst[i].id);
        ck_assert_uint_eq(x->n_licenses, y->n_licenses);
        ck_assert_uint_eq(x->n_rubrics, y->n_rubrics);
        ck_assert(!y->partial);
        fd_fair_report_free(x);
        fd_fair_report_free(y);
}

START_TEST(test_local_shards_answer_as_one) {
        for (unsigned n = 2; n <= 3; n++) {
                teardown();
                setup();
                build(shard_locs, n);
                struct fd_index *one = open_reader(one_path), *set = open_set(shard_locs, shard_locs, n);
                same_answers(one, set, false);
                fd_index_free(one);
                fd_index_free(set);
                const char *const one_loc[] = { one_path };
                const struct fd_index_shards single = { one_loc, one_loc, 1 }, split = { shard_locs, shard_locs, n };
                same_fair(&single, &split, NULL);
                same_fair(&single, &split, "gamma");
        }
        teardown();
        setup();
        build_routed(shard_locs, 3, true);
        struct fd_index *one = open_reader(one_path), *set = open_set(shard_locs, shard_locs, 3);
        same_versions(one, set);
        fd_index_free(one);
        fd_index_free(set);
}
END_TEST

static size_t route_all_to_0(void *userdata, const char *source, const char *id) {
        (void)userdata;
        (void)source;
        (void)id;
        return 0;
}

/* Two records of one DOI, each alone in its shard (so each shard's
 * DOI-shared flag is "0"), resharded into one database: the merged
 * database collapses them into one hit, as one database built from the
 * same records does. */
START_TEST(test_reshard_doi_shared_across_shards) {
        struct fd_arena *a = fd_arena_new(1 << 20);
        struct fd_index *w[2] = { open_writer(shard_locs[0]), open_writer(shard_locs[1]) };
        struct fd_error err = { 0 };
        uint64_t docs = 0;

        ck_assert_ptr_nonnull(a);
        for (unsigned i = 0; i < 2; i++) /* records 0 and 1 share 10.1234/obj.0 */
                put_record(w[i], a, gen_record(a, i));
        commit_free(w[0]);
        commit_free(w[1]);
        const char *const dst[] = { one_path };
        CHECK_OK(fd_index_reshard(shard_locs, 2, dst, 1, route_all_to_0, NULL, &docs, &err));
        ck_assert_uint_eq(docs, 2);
        struct fd_index *merged = open_reader(one_path);
        struct fd_search_request req = { .q = "", .limit = 10, .collapse = FD_COLLAPSE_DOI };
        struct fd_search_result *res = search(merged, &req);
        ck_assert_uint_eq(res->total, 1);
        fd_search_result_free(res);
        fd_index_free(merged);
        fd_arena_free(a);
}
END_TEST

/* The same, over two xapian-tcpsrv shards on 127.0.0.1, written through
 * writable servers and searched through read-only ones. */
START_TEST(test_remote_shards_answer_as_one) {
        char wloc[2][64], rloc[2][64];
        const char *wlocs[2] = { wloc[0], wloc[1] }, *rlocs[2] = { rloc[0], rloc[1] };
        pid_t writers[2];

        for (int i = 0; i < 2; i++) {
                const unsigned port = fd_test_free_port();
                snprintf(wloc[i], sizeof wloc[i], "tcp://127.0.0.1:%u", port);
                writers[i] = start_server(shard_path[i], port, true);
        }
        build(wlocs, 2);
        for (int i = 0; i < 2; i++) {
                const unsigned port = fd_test_free_port();
                stop_server(writers[i]);
                snprintf(rloc[i], sizeof rloc[i], "tcp://127.0.0.1:%u", port);
                start_server(shard_path[i], port, false);
        }
        struct fd_index *one = open_reader(one_path), *set = open_set(rlocs, rlocs, 2);
        same_answers(one, set, true);
        const char *const one_loc[] = { one_path };
        const struct fd_index_shards single = { one_loc, one_loc, 1 }, split = { rlocs, rlocs, 2 };
        same_fair(&single, &split, NULL);
        same_fair(&single, &split, "beta");

        /* What remote shards cannot run is refused, not answered wrong. */
        const struct fd_search_filter box = { .field = FD_FIELD_BBOX, .box = { -5, 42, 5, 52 } };
        const struct fd_search_request req = { .q = "", .filters = &box, .n_filters = 1 };
        struct fd_search_result *res = NULL;
        struct fd_error err = { 0 };
        ck_assert_int_eq(fd_index_search(set, &req, &res, &err), FD_E_INVALID);
        fd_index_free(one);
        fd_index_free(set);
}
END_TEST

/* A shard server killed between calls: the next answer comes from the
 * other, partial and naming it; restarted, it is searched again. */
START_TEST(test_remote_shard_dies) {
        char rloc[2][64];
        const char *rlocs[2] = { rloc[0], rloc[1] };
        const char *names[2] = { "tcp://first", "tcp://second" };
        unsigned ports[2];
        pid_t pids[2];

        build(shard_locs, 2);
        for (int i = 0; i < 2; i++) {
                ports[i] = fd_test_free_port();
                snprintf(rloc[i], sizeof rloc[i], "tcp://127.0.0.1:%u", ports[i]);
                pids[i] = start_server(shard_path[i], ports[i], false);
        }
        struct fd_index *set = open_set(rlocs, names, 2);
        const struct fd_search_request req = { .q = "", .limit = 5, .facets = all_facets, .n_facets = 3 };
        struct fd_search_result *res = search(set, &req);
        ck_assert(!res->partial);
        const uint64_t whole = res->total;
        fd_search_result_free(res);

        stop_server(pids[1]);
        res = search(set, &req);
        ck_assert(res->partial);
        ck_assert_uint_eq(res->n_missing_shards, 1);
        ck_assert_str_eq(res->missing_shards[0], "tcp://second");
        ck_assert(res->total > 0 && res->total < whole);
        fd_search_result_free(res);
        /* the home shard is there: its metadata is */
        char *value = NULL;
        struct fd_error merr = { 0 };
        CHECK_OK(fd_index_get_meta(set, "fairdex:schema", &value, &merr));
        free(value);
        const char *const *missing;
        size_t n_missing;
        fd_index_missing(set, &missing, &n_missing);
        ck_assert_uint_eq(n_missing, 1);

        /* Back: found again within a second or so. */
        pids[1] = start_server(shard_path[1], ports[1], false);
        bool whole_again = false;
        for (int i = 0; i < 30 && !whole_again; i++) {
                usleep(100000);
                res = search(set, &req);
                whole_again = !res->partial && res->total == whole;
                fd_search_result_free(res);
        }
        ck_assert(whole_again);

        /* The home shard gone: its metadata is not read from another. */
        stop_server(pids[0]);
        res = search(set, &req);
        ck_assert(res->partial);
        fd_search_result_free(res);
        value = NULL;
        ck_assert_int_eq(fd_index_get_meta(set, "fairdex:schema", &value, &merr), FD_E_IO);
        ck_assert_ptr_nonnull(strstr(merr.msg, "home shard 'tcp://first'"));

        /* Both gone: the call fails, naming them. */
        stop_server(pids[1]);
        struct fd_error err = { 0 };
        res = NULL;
        ck_assert_int_eq(fd_index_search(set, &req, &res, &err), FD_E_IO);
        ck_assert_ptr_nonnull(strstr(err.msg, "tcp://second"));
        fd_index_free(set);
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
        tcase_add_test(tc, test_local_shards_answer_as_one);
        tcase_add_test(tc, test_reshard_doi_shared_across_shards);
        suite_add_tcase(s, tc);

        tc = tcase_create("remote");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_set_timeout(tc, 120);
        tcase_add_test(tc, test_remote_shards_answer_as_one);
        tcase_add_test(tc, test_remote_shard_dies);
        suite_add_tcase(s, tc);
        return s;
}

FD_TEST_MAIN(suite)
