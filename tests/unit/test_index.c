/* test_index.c: the Xapian shim through its C interface only.
 *
 * Each test builds its own database in a fresh directory under /tmp and
 * removes it afterwards.  Records are filled in directly in an arena (not
 * through the record adders) and their stored JSON is written here, so
 * these tests exercise the index alone: schema, transactions, and the
 * exception boundary on locked, corrupt, missing and mismatched databases.
 */
#include <check.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>

#include "fd_test.h"
#include "fd_index.h"

/* ---- helpers ---------------------------------------------------------- */

static char tmpdir[256];
static char dbpath[512];

static void setup(void) {
        snprintf(tmpdir, sizeof tmpdir, "/tmp/fd-test-index-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(tmpdir));
        snprintf(dbpath, sizeof dbpath, "%s/db", tmpdir);
}

static void teardown(void) {
        fd_test_rmtree(tmpdir);
}

static struct fd_index *open_ok(const char *path, bool writable) {
        struct fd_error err = {0};
        struct fd_index *idx = NULL;
        enum fd_status st = fd_index_open(path, writable, &idx, &err);

        ck_assert_msg(st == FD_OK, "open '%s' (%s): %s: %s", path, writable ? "rw" : "ro", fd_status_name(st),
                      err.msg);
        ck_assert_ptr_nonnull(idx);
        return idx;
}

struct rec_spec {
        const char *id, *source, *title, *title_lang, *description, *creator, *subject, *doi, *type, *lang,
                *spdx, *issued, *award;
        enum fd_access access;
};

/* A record in a, with its JSON text (malloc'ed) in *ret_json. */
static struct fd_record *make_record(struct fd_arena *a, const struct rec_spec *s, char **ret_json) {
        struct fd_record *r = fd_record_new_in(a);
        json_t *obj, *titles, *t;

        ck_assert_ptr_nonnull(r);
        r->id = s->id;
        r->source = s->source;
        r->datestamp = "2024-01-02T03:04:05Z";
        if (s->title) {
                struct fd_text *x = FD_PUSH(a, r->titles);
                ck_assert_ptr_nonnull(x);
                x->value = s->title;
                x->lang = s->title_lang;
        }
        if (s->description) {
                struct fd_text *x = FD_PUSH(a, r->descriptions);
                ck_assert_ptr_nonnull(x);
                x->value = s->description;
        }
        if (s->creator) {
                struct fd_agent *x = FD_PUSH(a, r->creators);
                ck_assert_ptr_nonnull(x);
                x->name = s->creator;
        }
        if (s->subject) {
                struct fd_subject *x = FD_PUSH(a, r->subjects);
                ck_assert_ptr_nonnull(x);
                x->value = s->subject;
        }
        if (s->doi) {
                struct fd_identifier *x = FD_PUSH(a, r->identifiers);
                ck_assert_ptr_nonnull(x);
                x->value = s->doi;
                x->scheme = FD_PID_DOI;
                r->doi = s->doi;
        }
        if (s->lang) {
                const char **x = FD_PUSH(a, r->languages);
                ck_assert_ptr_nonnull(x);
                *x = s->lang;
        }
        if (s->spdx) {
                struct fd_license *x = FD_PUSH(a, r->licenses);
                ck_assert_ptr_nonnull(x);
                x->spdx = s->spdx;
        }
        if (s->issued) {
                struct fd_date *x = FD_PUSH(a, r->dates);
                ck_assert_ptr_nonnull(x);
                x->value = s->issued;
                x->type = "issued";
                x->precision = FD_DATE_DAY;
        }
        r->resource_type = s->type;
        r->access = s->access;
        if (s->award)
                ck_assert_int_eq(fd_record_add_funding(r, a, "European Commission", NULL, s->award, NULL), FD_OK);

        obj = json_object();
        json_object_set_new(obj, "id", json_string(s->id));
        json_object_set_new(obj, "source", json_string(s->source));
        titles = json_array();
        if (s->title) {
                t = json_object();
                json_object_set_new(t, "value", json_string(s->title));
                if (s->title_lang)
                        json_object_set_new(t, "lang", json_string(s->title_lang));
                json_array_append_new(titles, t);
        }
        json_object_set_new(obj, "titles", titles);
        if (s->doi)
                json_object_set_new(obj, "doi", json_string(s->doi));
        *ret_json = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS);
        json_decref(obj);
        ck_assert_ptr_nonnull(*ret_json);
        return r;
}

static void put_ok(struct fd_index *idx, struct fd_arena *a, const struct rec_spec *s) {
        struct fd_fair_assessment fair = {0};
        struct fd_error err = {0};
        _fd_free_ char *json = NULL;
        struct fd_record *r = make_record(a, s, &json);
        enum fd_status st;

        fair.overall = 60;
        fair.score[FD_FAIR_F] = 80;
        st = fd_index_put(idx, r, &fair, json, &err);
        ck_assert_msg(st == FD_OK, "put '%s': %s", s->id, err.msg);
}

static void commit_ok(struct fd_index *idx) {
        struct fd_error err = {0};
        enum fd_status st = fd_index_commit(idx, &err);

        ck_assert_msg(st == FD_OK, "commit: %s", err.msg);
}

static uint64_t count_of(struct fd_index *idx) {
        struct fd_error err = {0};
        uint64_t n = 0;
        enum fd_status st = fd_index_count(idx, &n, &err);

        ck_assert_msg(st == FD_OK, "count: %s", err.msg);
        return n;
}

/* Runs q and returns the result (caller decrefs); fails the test on error. */
static struct fd_search_result *search_ok(struct fd_index *idx, const char *q, unsigned offset, unsigned limit) {
        struct fd_search_request opts = { .q = q, .offset = offset, .limit = limit };
        struct fd_error err = {0};
        struct fd_search_result *res = NULL;
        enum fd_status st = fd_index_search(idx, &opts, &res, &err);

        ck_assert_msg(st == FD_OK, "search '%s': %s: %s", q ? q : "(null)", fd_status_name(st), err.msg);
        ck_assert_ptr_nonnull(res);
        ck_assert(res->n_hits == 0 || res->hits);
        return res;
}

/* Runs opts and returns the result (caller decrefs); fails on error. */
static struct fd_search_result *search_opts_ok(struct fd_index *idx, const struct fd_search_request *opts) {
        struct fd_error err = {0};
        struct fd_search_result *res = NULL;
        enum fd_status st = fd_index_search(idx, opts, &res, &err);

        ck_assert_msg(st == FD_OK, "search '%s': %s: %s", opts->q ? opts->q : "(null)", fd_status_name(st), err.msg);
        return res;
}

static long long total_of(struct fd_index *idx, const char *q) {
        struct fd_search_result *res = search_ok(idx, q, 0, 0);
        long long n = (long long)res->total;

        fd_search_result_free(res);
        return n;
}

/* The id of the only hit of q. */
static void assert_only_hit(struct fd_index *idx, const char *q, const char *id) {
        struct fd_search_result *res = search_ok(idx, q, 0, 0);
        ck_assert_msg((long long)res->total == 1 && res->n_hits == 1,
                      "query '%s': expected one hit, got total %lld", q,
                      (long long)(long long)res->total);
        ck_assert_str_eq(res->hits[0].id, id);
        fd_search_result_free(res);
}

static const struct rec_spec ocean = {
        .id = "zenodo:oai:zenodo.org:1", .source = "zenodo", .title = "Ocean temperatures in the North Sea",
        .title_lang = NULL, .description = "Buoy measurements of water temperature, 2010 to 2019",
        .creator = "Müller, Anna", .subject = "Oceanography", .doi = "10.5281/zenodo.1", .type = "Dataset",
        .lang = "en", .spdx = "CC-BY-4.0", .issued = "2019-03-14", .access = FD_ACCESS_OPEN,
};
static const struct rec_spec forest = {
        .id = "zenodo:oai:zenodo.org:2", .source = "zenodo", .title = "Forest soil carbon",
        .title_lang = "en", .description = "Carbon stocks sampled in Bavarian forests",
        .creator = "Smith, John", .subject = "Soil science", .doi = "10.5281/zenodo.2", .type = "Text",
        .lang = "de", .spdx = "CC0-1.0", .issued = "2015-06-01", .access = FD_ACCESS_RESTRICTED,
};
static const struct rec_spec glacier = {
        .id = "pangaea:oai:pangaea.de:doi:10.1594/PANGAEA.3", .source = "pangaea",
        .title = "Glacier retreat photographs", .description = "Repeat photography of alpine glaciers",
        .creator = "Rossi, Marco", .subject = "Glaciology", .type = "Image", .lang = "it",
        .issued = "2021-09-30", .access = FD_ACCESS_OPEN,
};

/* A writable index at dbpath holding the three records, committed. */
static struct fd_index *three_records(struct fd_arena **ret_arena) {
        struct fd_arena *a = fd_arena_new(1 << 20);
        struct fd_index *idx;

        ck_assert_ptr_nonnull(a);
        idx = open_ok(dbpath, true);
        put_ok(idx, a, &ocean);
        put_ok(idx, a, &forest);
        put_ok(idx, a, &glacier);
        commit_ok(idx);
        *ret_arena = a;
        return idx;
}

/* ---- tests ------------------------------------------------------------ */

START_TEST(test_put_count_get) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = NULL;
        _fd_cleanup_(fd_index_freep) struct fd_index *idx = three_records(&a);
        _fd_free_ char *json = NULL, *expected = NULL;
        struct fd_error err = {0};
        uint64_t n = 99;

        ck_assert_uint_eq(count_of(idx), 3);
        ck_assert_int_eq(fd_index_get(idx, ocean.id, &json, &err), FD_OK);
        make_record(a, &ocean, &expected);
        ck_assert_str_eq(json, expected);

        ck_assert_int_eq(fd_index_count_source(idx, "zenodo", &n, &err), FD_OK);
        ck_assert_uint_eq(n, 2);
        ck_assert_int_eq(fd_index_count_source(idx, "pangaea", &n, &err), FD_OK);
        ck_assert_uint_eq(n, 1);
        ck_assert_int_eq(fd_index_count_source(idx, "nowhere", &n, &err), FD_OK);
        ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(test_get_missing) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = NULL;
        _fd_cleanup_(fd_index_freep) struct fd_index *idx = three_records(&a);
        struct fd_error err = {0};
        char *json = (char *)"untouched";

        ck_assert_int_eq(fd_index_get(idx, "zenodo:nope", &json, &err), FD_E_NOTFOUND);
        ck_assert_str_eq(json, "untouched");
        ck_assert_ptr_nonnull(strstr(err.msg, "'zenodo:nope'"));
        ck_assert_int_eq(fd_index_get(idx, "", &json, &err), FD_E_INVALID);
}
END_TEST

START_TEST(test_search_text) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = NULL;
        _fd_cleanup_(fd_index_freep) struct fd_index *idx = three_records(&a);

        assert_only_hit(idx, "ocean", ocean.id);
        assert_only_hit(idx, "Ocean", ocean.id);
        /* stemming: "temperature" in the query, "temperatures" in the title */
        assert_only_hit(idx, "temperature sea", ocean.id);
        assert_only_hit(idx, "title:ocean", ocean.id);
        /* "buoy" is only in the description */
        assert_only_hit(idx, "buoy", ocean.id);
        ck_assert_int_eq(total_of(idx, "title:buoy"), 0);
        assert_only_hit(idx, "description:buoy", ocean.id);
        /* description: takes words as written (its prefixed copy has no
         * stems), in any case, with wildcards */
        assert_only_hit(idx, "description:Buoy", ocean.id);
        assert_only_hit(idx, "description:buo*", ocean.id);
        assert_only_hit(idx, "description:glaciers", glacier.id);
        ck_assert_int_eq(total_of(idx, "description:glacier"), 0);
        ck_assert_int_eq(total_of(idx, "description:buoys"), 0);
        assert_only_hit(idx, "creator:rossi", glacier.id);
        assert_only_hit(idx, "subject:glaciology", glacier.id);
        assert_only_hit(idx, "\"soil carbon\"", forest.id);
        ck_assert_int_eq(total_of(idx, "\"carbon soil\""), 0);
        assert_only_hit(idx, "glaci*", glacier.id);
        ck_assert_int_eq(total_of(idx, "ocean OR forest"), 2);
        ck_assert_int_eq(total_of(idx, "ocean forest"), 0);
        assert_only_hit(idx, "carbon +soil -glacier", forest.id);
        ck_assert_int_eq(total_of(idx, "carbon -bavarian"), 0);
        ck_assert_int_eq(total_of(idx, "nonexistentword"), 0);
}
END_TEST

START_TEST(test_search_filters) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = NULL;
        _fd_cleanup_(fd_index_freep) struct fd_index *idx = three_records(&a);

        ck_assert_int_eq(total_of(idx, "source:zenodo"), 2);
        assert_only_hit(idx, "source:pangaea", glacier.id);
        assert_only_hit(idx, "source:zenodo soil", forest.id);
        ck_assert_int_eq(total_of(idx, "source:pangaea soil"), 0);
        /* capitalized values behind multi-letter prefixes get Xapian's ':' */
        assert_only_hit(idx, "type:Dataset", ocean.id);
        ck_assert_int_eq(total_of(idx, "type:Dataset OR type:Image"), 2);
        ck_assert_int_eq(total_of(idx, "type:Dataset type:Image"), 2);
        assert_only_hit(idx, "lang:de", forest.id);
        assert_only_hit(idx, "license:CC0-1.0", forest.id);
        assert_only_hit(idx, "access:restricted", forest.id);
        ck_assert_int_eq(total_of(idx, "access:open"), 2);
        assert_only_hit(idx, "year:2021", glacier.id);
        assert_only_hit(idx, "doi:10.5281/zenodo.2", forest.id);
        assert_only_hit(idx, "doi:10.5281/ZENODO.2", forest.id);
        assert_only_hit(idx, "doi:https://doi.org/10.5281/zenodo.1", ocean.id);
        assert_only_hit(idx, "identifier:10.5281/zenodo.1", ocean.id);
        assert_only_hit(idx, "id:zenodo:oai:zenodo.org:2", forest.id);
        assert_only_hit(idx, "id:pangaea:oai:pangaea.de:doi:10.1594/PANGAEA.3", glacier.id);
}
END_TEST

START_TEST(test_search_hits) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = NULL;
        _fd_cleanup_(fd_index_freep) struct fd_index *idx = three_records(&a);
        struct fd_search_result *res = search_ok(idx, "ocean", 0, 0);
        const struct fd_search_hit *hit;

        hit = &res->hits[0];
        ck_assert_str_eq(hit->id, ocean.id);
        ck_assert_str_eq(hit->source, "zenodo");
        ck_assert_str_eq(hit->title, ocean.title);
        ck_assert_str_eq(hit->doi, ocean.doi);
        ck_assert_int_eq(hit->year, 2019);
        ck_assert_int_gt(hit->score, 0);
        ck_assert_int_le(hit->score, 100);
        fd_search_result_free(res);

        /* no DOI: no "doi" member */
        res = search_ok(idx, "glacier", 0, 0);
        hit = &res->hits[0];
        ck_assert_ptr_null(hit->doi);
        ck_assert_int_eq(hit->year, 2021);
        fd_search_result_free(res);

        /* empty and NULL queries match everything */
        ck_assert_int_eq(total_of(idx, ""), 3);
        ck_assert_int_eq(total_of(idx, NULL), 3);
        ck_assert_int_eq(total_of(idx, "  "), 3);
}
END_TEST

START_TEST(test_search_paging) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = fd_arena_new(1 << 20);
        _fd_cleanup_(fd_index_freep) struct fd_index *idx = open_ok(dbpath, true);
        struct fd_search_result *res;

        for (int i = 0; i < 120; i++) {
                struct rec_spec s = { .source = "bulk", .title = "Common title", .access = FD_ACCESS_OPEN };
                s.id = fd_arena_printf(a, "bulk:%d", i);
                put_ok(idx, a, &s);
        }
        commit_ok(idx);

        res = search_ok(idx, "common", 0, 0);
        ck_assert_int_eq((long long)res->total, 120);
        ck_assert_uint_eq(res->n_hits, 10);
        fd_search_result_free(res);

        res = search_ok(idx, "common", 0, 1000);
        ck_assert_int_eq((long long)res->total, 120);
        ck_assert_uint_eq(res->n_hits, FD_INDEX_MAX_LIMIT);
        fd_search_result_free(res);

        res = search_ok(idx, "source:bulk", 115, 10);
        ck_assert_int_eq((long long)res->total, 120);
        ck_assert_uint_eq(res->n_hits, 5);
        fd_search_result_free(res);

        res = search_ok(idx, "common", 500, 10);
        ck_assert_uint_eq(res->n_hits, 0);
        fd_search_result_free(res);

        /* by relevance cursor, on an index where no DOI is shared (no
         * collapsing): every record once, the total exact on cursor pages */
        struct fd_search_request o = { .q = "common", .limit = 25 };
        _fd_free_ char *cursor = NULL;
        char seen[120] = {0};
        int hits = 0;
        for (int pages = 0;; pages++) {
                const struct fd_search_hit *h;
                const char *next;
                size_t i;
                o.cursor = cursor;
                res = search_opts_ok(idx, &o);
                if (cursor)
                        ck_assert(res->total_exact);
                ck_assert_int_eq((long long)res->total, 120);
                for (i = 0; i < res->n_hits && (h = &res->hits[i]); i++) {
                        int k = (int)strtol(h->id + strlen("bulk:"), NULL, 10);
                        ck_assert_msg(k >= 0 && k < 120 && !seen[k], "bulk:%d twice", k);
                        seen[k] = 1;
                        hits++;
                }
                next = res->next_cursor;
                free(cursor);
                cursor = next ? strdup(next) : NULL;
                fd_search_result_free(res);
                if (!cursor)
                        break;
                ck_assert_int_lt(pages, 5);
        }
        ck_assert_int_eq(hits, 120);
}
END_TEST

START_TEST(test_replace_and_delete) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = NULL;
        _fd_cleanup_(fd_index_freep) struct fd_index *idx = three_records(&a);
        struct rec_spec changed = ocean;
        struct fd_error err = {0};
        _fd_free_ char *text = NULL;
        struct fd_record *rec;
        char *json = NULL;

        changed.title = "Lake temperatures";
        changed.doi = "10.5281/zenodo.99";
        /* without a FAIR assessment */
        rec = make_record(a, &changed, &text);
        ck_assert_int_eq(fd_index_put(idx, rec, NULL, text, &err), FD_OK);
        commit_ok(idx);
        ck_assert_uint_eq(count_of(idx), 3);
        ck_assert_int_eq(total_of(idx, "title:ocean"), 0);
        assert_only_hit(idx, "title:lake", ocean.id);
        ck_assert_int_eq(total_of(idx, "doi:10.5281/zenodo.1"), 0);
        assert_only_hit(idx, "doi:10.5281/zenodo.99", ocean.id);

        ck_assert_int_eq(fd_index_delete(idx, forest.id, &err), FD_OK);
        commit_ok(idx);
        ck_assert_uint_eq(count_of(idx), 2);
        ck_assert_int_eq(fd_index_get(idx, forest.id, &json, &err), FD_E_NOTFOUND);
        ck_assert_int_eq(total_of(idx, "soil"), 0);
        /* deleting what is not there is fine */
        ck_assert_int_eq(fd_index_delete(idx, forest.id, &err), FD_OK);
        ck_assert_int_eq(fd_index_delete(idx, "never:was", &err), FD_OK);
        commit_ok(idx);
        ck_assert_uint_eq(count_of(idx), 2);
}
END_TEST

/* The metadata as harvested rides beside the record, bytes as given (a
 * NUL among them), and goes with the record it belongs to. */
START_TEST(test_raw_beside_record) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = NULL;
        _fd_cleanup_(fd_index_freep) struct fd_index *idx = three_records(&a);
        static const char bytes[] = {'x', '\0', 'y', 'z'};
        struct rec_spec changed = ocean;
        struct fd_error err = {0};
        _fd_free_ char *text = NULL;
        void *raw = NULL;
        size_t len = 0;

        ck_assert_int_eq(fd_index_get_raw(idx, ocean.id, &raw, &len, &err), FD_E_NOTFOUND);
        struct fd_record *rec = make_record(a, &changed, &text);
        rec->raw = bytes;
        rec->raw_len = sizeof bytes;
        ck_assert_int_eq(fd_index_put(idx, rec, NULL, text, &err), FD_OK);
        commit_ok(idx);
        ck_assert_int_eq(fd_index_get_raw(idx, ocean.id, &raw, &len, &err), FD_OK);
        ck_assert_uint_eq(len, sizeof bytes);
        ck_assert_mem_eq(raw, bytes, sizeof bytes);
        free(raw);
        ck_assert_int_eq(fd_index_get_raw(idx, forest.id, &raw, &len, &err), FD_E_NOTFOUND);
        ck_assert_int_eq(fd_index_delete(idx, ocean.id, &err), FD_OK);
        commit_ok(idx);
        ck_assert_int_eq(fd_index_get_raw(idx, ocean.id, &raw, &len, &err), FD_E_NOTFOUND);
}
END_TEST

static struct fd_change_list *changes_ok(struct fd_index *idx, const struct fd_change_request *req) {
        struct fd_change_list *l = NULL;
        struct fd_error err = {0};
        ck_assert_msg(fd_index_changes(idx, req, &l, &err) == FD_OK, "%s", err.msg);
        return l;
}

/* The listing in change order: paging by (datestamp, id) with the next of
 * each page, sets, tombstones that nothing else sees, a record put again
 * losing its tombstone. */
START_TEST(test_changes_and_tombstones) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = NULL;
        _fd_cleanup_(fd_index_freep) struct fd_index *idx = three_records(&a);
        struct fd_change_request req = {.limit = 2, .total = true, .record_json = true};
        struct fd_error err = {0};
        _fd_free_ char *json = NULL;

        struct fd_change_list *l = changes_ok(idx, &req);
        ck_assert_uint_eq(l->n, 2);
        ck_assert_uint_eq(l->total, 3);
        ck_assert_ptr_nonnull(l->next);
        ck_assert_int_eq(strlen(l->v[0].changed), 20);
        ck_assert(strcmp(l->v[0].changed, l->v[1].changed) < 0 ||
                  (strcmp(l->v[0].changed, l->v[1].changed) == 0 && strcmp(l->v[0].id, l->v[1].id) < 0));
        ck_assert_ptr_nonnull(l->v[0].record_json);
        char *next = strdup(l->next);
        fd_change_list_free(l);
        req.after = next;
        l = changes_ok(idx, &req);
        ck_assert_uint_eq(l->n, 1);
        ck_assert_ptr_null(l->next);
        fd_change_list_free(l);
        free(next);

        req = (struct fd_change_request){.set = "source:pangaea", .total = true};
        l = changes_ok(idx, &req);
        ck_assert_uint_eq(l->n, 1);
        ck_assert_str_eq(l->v[0].id, glacier.id);
        ck_assert_int_eq(strncmp(l->v[0].sets, "source:pangaea type:Image fair:", 31), 0);
        fd_change_list_free(l);
        req.set = "type:Dataset";
        l = changes_ok(idx, &req);
        ck_assert_uint_eq(l->n, 1);
        ck_assert_str_eq(l->v[0].id, ocean.id);
        fd_change_list_free(l);
        req.set = "nosuch:x";
        ck_assert_int_eq(fd_index_changes(idx, &req, &l, &err), FD_E_INVALID);

        ck_assert_int_eq(fd_index_delete(idx, ocean.id, &err), FD_OK);
        commit_ok(idx);
        ck_assert_uint_eq(count_of(idx), 2);
        ck_assert_int_eq(fd_index_get(idx, ocean.id, &json, &err), FD_E_NOTFOUND);
        ck_assert_int_eq(total_of(idx, "ocean"), 0);
        req = (struct fd_change_request){.total = true, .record_json = true};
        l = changes_ok(idx, &req);
        ck_assert_uint_eq(l->n, 3);
        ck_assert_uint_eq(l->total, 3);
        for (size_t i = 0; i < l->n; i++) {
                ck_assert(l->v[i].deleted == (strcmp(l->v[i].id, ocean.id) == 0));
                ck_assert(l->v[i].deleted == !l->v[i].record_json);
        }
        fd_change_list_free(l);
        req.set = "type:Dataset";
        l = changes_ok(idx, &req);
        ck_assert_uint_eq(l->n, 1);
        ck_assert(l->v[0].deleted);
        fd_change_list_free(l);
        ck_assert_int_eq(fd_index_change(idx, ocean.id, &l, &err), FD_OK);
        ck_assert(l->v[0].deleted);
        fd_change_list_free(l);
        ck_assert_int_eq(fd_index_change(idx, "zenodo:nothing", &l, &err), FD_E_NOTFOUND);

        /* Put again: live, no tombstone left. */
        put_ok(idx, a, &ocean);
        commit_ok(idx);
        req = (struct fd_change_request){.total = true};
        l = changes_ok(idx, &req);
        ck_assert_uint_eq(l->n, 3);
        for (size_t i = 0; i < l->n; i++)
                ck_assert(!l->v[i].deleted);
        fd_change_list_free(l);
        ck_assert_int_eq(fd_index_change(idx, ocean.id, &l, &err), FD_OK);
        ck_assert(!l->v[0].deleted);
        ck_assert_ptr_nonnull(l->v[0].record_json);
        fd_change_list_free(l);

        /* from/until are inclusive and bound the datestamp. */
        req = (struct fd_change_request){0};
        l = changes_ok(idx, &req);
        ck_assert_uint_eq(l->n, 3);
        char *first = strdup(l->v[0].changed), *last = strdup(l->v[2].changed);
        fd_change_list_free(l);
        req = (struct fd_change_request){.from = last};
        l = changes_ok(idx, &req);
        ck_assert_uint_ge(l->n, 1);
        ck_assert_str_eq(l->v[l->n - 1].changed, last);
        fd_change_list_free(l);
        req = (struct fd_change_request){.until = first};
        l = changes_ok(idx, &req);
        ck_assert_uint_ge(l->n, 1);
        ck_assert_str_eq(l->v[0].changed, first);
        fd_change_list_free(l);
        free(first);
        free(last);
        req = (struct fd_change_request){.from = "2999-01-01T00:00:00Z"};
        l = changes_ok(idx, &req);
        ck_assert_uint_eq(l->n, 0);
        fd_change_list_free(l);
        req = (struct fd_change_request){.until = "2000-01-01T00:00:00Z"};
        l = changes_ok(idx, &req);
        ck_assert_uint_eq(l->n, 0);
        fd_change_list_free(l);
}
END_TEST

START_TEST(test_metadata) {
        _fd_cleanup_(fd_index_freep) struct fd_index *idx = open_ok(dbpath, true);
        struct fd_error err = {0};
        char *value = NULL;

        ck_assert_int_eq(fd_index_set_meta(idx, "checkpoint:zenodo", "{\"token\":\"abc\"}", &err), FD_OK);
        commit_ok(idx);
        ck_assert_int_eq(fd_index_get_meta(idx, "checkpoint:zenodo", &value, &err), FD_OK);
        ck_assert_str_eq(value, "{\"token\":\"abc\"}");
        free(value);
        value = NULL;

        ck_assert_int_eq(fd_index_get_meta(idx, "checkpoint:other", &value, &err), FD_E_NOTFOUND);
        ck_assert_ptr_null(value);
        ck_assert_ptr_nonnull(strstr(err.msg, "'checkpoint:other'"));

        /* "" removes */
        ck_assert_int_eq(fd_index_set_meta(idx, "checkpoint:zenodo", "", &err), FD_OK);
        commit_ok(idx);
        ck_assert_int_eq(fd_index_get_meta(idx, "checkpoint:zenodo", &value, &err), FD_E_NOTFOUND);

        ck_assert_int_eq(fd_index_set_meta(idx, "", "x", &err), FD_E_INVALID);
        ck_assert_int_eq(fd_index_get_meta(idx, NULL, &value, &err), FD_E_INVALID);

        /* the schema version is there from the start */
        ck_assert_int_eq(fd_index_get_meta(idx, "fairdex:schema", &value, &err), FD_OK);
        ck_assert_str_eq(value, "7");
        free(value);
}
END_TEST

/* A page's documents and its checkpoint appear together or not at all. */
START_TEST(test_uncommitted_invisible) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = NULL;
        struct fd_index *w = three_records(&a);
        struct fd_index *r, *r2;
        struct fd_error err = {0};
        char *value = NULL, *json = NULL;
        struct rec_spec extra = glacier;

        extra.id = "pangaea:4";
        extra.title = "Permafrost cores";

        /* cancel */
        put_ok(w, a, &extra);
        ck_assert_int_eq(fd_index_set_meta(w, "checkpoint:pangaea", "page 2", &err), FD_OK);
        ck_assert_uint_eq(count_of(w), 4);  /* the writer sees its page */
        r = open_ok(dbpath, false);
        ck_assert_uint_eq(count_of(r), 3);
        ck_assert_int_eq(fd_index_cancel(w, &err), FD_OK);
        ck_assert_uint_eq(count_of(w), 3);
        ck_assert_int_eq(fd_index_get(w, "pangaea:4", &json, &err), FD_E_NOTFOUND);
        ck_assert_int_eq(fd_index_get_meta(w, "checkpoint:pangaea", &value, &err), FD_E_NOTFOUND);
        fd_index_free(r);
        r = open_ok(dbpath, false);
        ck_assert_uint_eq(count_of(r), 3);
        ck_assert_int_eq(fd_index_get_meta(r, "checkpoint:pangaea", &value, &err), FD_E_NOTFOUND);
        fd_index_free(r);

        /* close without commit */
        put_ok(w, a, &extra);
        ck_assert_int_eq(fd_index_set_meta(w, "checkpoint:pangaea", "page 2", &err), FD_OK);
        fd_index_free(w);
        r = open_ok(dbpath, false);
        ck_assert_uint_eq(count_of(r), 3);
        ck_assert_int_eq(fd_index_get(r, "pangaea:4", &json, &err), FD_E_NOTFOUND);
        ck_assert_int_eq(fd_index_get_meta(r, "checkpoint:pangaea", &value, &err), FD_E_NOTFOUND);

        /* commit: an older reader sees it after reopen, a new one at once */
        w = open_ok(dbpath, true);
        put_ok(w, a, &extra);
        ck_assert_int_eq(fd_index_set_meta(w, "checkpoint:pangaea", "page 2", &err), FD_OK);
        commit_ok(w);
        ck_assert_uint_eq(count_of(r), 3);
        ck_assert_int_eq(fd_index_reopen(r, &err), FD_OK);
        ck_assert_uint_eq(count_of(r), 4);
        ck_assert_int_eq(fd_index_get_meta(r, "checkpoint:pangaea", &value, &err), FD_OK);
        ck_assert_str_eq(value, "page 2");
        free(value);
        ck_assert_int_eq(fd_index_get(r, "pangaea:4", &json, &err), FD_OK);
        free(json);
        assert_only_hit(r, "permafrost", "pangaea:4");
        r2 = open_ok(dbpath, false);
        ck_assert_uint_eq(count_of(r2), 4);
        fd_index_free(r2);
        fd_index_free(r);

        /* after a commit the handle keeps working transactionally */
        put_ok(w, a, &ocean);
        ck_assert_int_eq(fd_index_delete(w, "pangaea:4", &err), FD_OK);
        ck_assert_int_eq(fd_index_cancel(w, &err), FD_OK);
        ck_assert_uint_eq(count_of(w), 4);
        fd_index_free(w);
}
END_TEST

/* A reader that does not reopen while the writer rewrites everything over
 * several commits reads blocks Xapian has since discarded: the shim must
 * reopen and retry (DatabaseModifiedError) rather than fail.  Xapian 1.4.22
 * raises it here when the hits' documents are read, so the answer comes from
 * the newest revision ("lake"); a Xapian that could still serve the old
 * revision would answer "sea", which is fine too. */
static void put_bulk(struct fd_index *w, const char *word, int n) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *page = fd_arena_new(1 << 22);

        ck_assert_ptr_nonnull(page);
        for (int i = 0; i < n; i++) {
                struct rec_spec s = ocean;
                s.id = fd_arena_printf(page, "bulk:%d", i);
                s.title = fd_arena_printf(page, "Ocean %s number %d", word, i);
                s.doi = fd_arena_printf(page, "10.5281/bulk.%d", i);  /* one object each */
                put_ok(w, page, &s);
        }
        commit_ok(w);
}

START_TEST(test_reader_survives_commits) {
        _fd_cleanup_(fd_index_freep) struct fd_index *w = open_ok(dbpath, true);
        _fd_cleanup_(fd_index_freep) struct fd_index *r = NULL;
        struct fd_error err = {0};
        struct fd_search_result *res = NULL;
        struct fd_search_request opts = { .q = "ocean" };
        const char *title;

        put_bulk(w, "sea", 1000);
        r = open_ok(dbpath, false);
        put_bulk(w, "river", 1000);
        put_bulk(w, "pond", 1000);
        put_bulk(w, "lake", 1000);
        ck_assert_int_eq(fd_index_search(r, &opts, &res, &err), FD_OK);
        ck_assert_int_eq((long long)res->total, 1000);
        title = res->hits[0].title;
        ck_assert_ptr_nonnull(title);
        ck_assert_msg(strstr(title, "lake") || strstr(title, "sea"), "title '%s'", title);
        fd_search_result_free(res);
        ck_assert_int_eq(fd_index_reopen(r, &err), FD_OK);
        ck_assert_int_eq(total_of(r, "lake"), 1000);
        ck_assert_int_eq(total_of(r, "sea"), 0);
        ck_assert_uint_eq(count_of(r), 1000);
}
END_TEST

struct id_list {
        char *v[4];
        int n;
};

static bool collect_id(void *userdata, const char *id) {
        struct id_list *l = userdata;

        ck_assert_int_lt(l->n, 4);
        l->v[l->n++] = strdup(id);
        return true;
}

START_TEST(test_long_id) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = fd_arena_new(1 << 20);
        _fd_cleanup_(fd_index_freep) struct fd_index *idx = open_ok(dbpath, true);
        struct rec_spec s = forest, t = forest;
        struct fd_error err = {0};
        char *json = NULL, *q;
        char longid[400];

        memset(longid, 'x', sizeof longid - 1);
        memcpy(longid, "dcat:https://example.org/", 25);
        longid[sizeof longid - 1] = '\0';
        s.id = longid;
        put_ok(idx, a, &s);
        /* same 200-byte head, different tail: a different document */
        t.id = fd_arena_strdup(a, longid);
        ((char *)t.id)[380] = 'y';
        put_ok(idx, a, &t);
        commit_ok(idx);
        ck_assert_uint_eq(count_of(idx), 2);
        ck_assert_int_eq(fd_index_get(idx, longid, &json, &err), FD_OK);
        ck_assert_ptr_nonnull(strstr(json, longid));
        free(json);
        q = fd_arena_printf(a, "id:%s", longid);
        assert_only_hit(idx, q, longid);
        /* the walk over a source's ids gives the whole ids, not their terms */
        struct id_list ids = { 0 };
        const char *const locs[] = { dbpath };
        const struct fd_index_shards one = { locs, locs, 1 };
        ck_assert_int_eq(fd_index_ids(&one, "dcat", NULL, collect_id, &ids, &err), FD_OK);
        ck_assert_int_eq(ids.n, 2);
        ck_assert_str_eq(ids.v[0], longid);
        ck_assert_str_eq(ids.v[1], t.id);
        free(ids.v[0]);
        free(ids.v[1]);
        ck_assert_int_eq(fd_index_delete(idx, longid, &err), FD_OK);
        commit_ok(idx);
        ck_assert_uint_eq(count_of(idx), 1);
}
END_TEST

START_TEST(test_read_only_refuses_writes) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = NULL;
        _fd_cleanup_(fd_index_freep) struct fd_index *w = three_records(&a);
        _fd_cleanup_(fd_index_freep) struct fd_index *r = open_ok(dbpath, false);
        _fd_free_ char *json = NULL;
        struct fd_record *rec = make_record(a, &ocean, &json);
        struct fd_error err = {0};

        ck_assert_int_eq(fd_index_put(r, rec, NULL, json, &err), FD_E_INVALID);
        ck_assert_ptr_nonnull(strstr(err.msg, dbpath));
        ck_assert_int_eq(fd_index_delete(r, ocean.id, &err), FD_E_INVALID);
        ck_assert_int_eq(fd_index_set_meta(r, "k", "v", &err), FD_E_INVALID);
        ck_assert_int_eq(fd_index_commit(r, &err), FD_E_INVALID);
        ck_assert_int_eq(fd_index_cancel(r, &err), FD_E_INVALID);
        ck_assert_int_eq(fd_index_put(w, NULL, NULL, json, &err), FD_E_INVALID);
        rec->id = NULL;
        ck_assert_int_eq(fd_index_put(w, rec, NULL, json, &err), FD_E_INVALID);
}
END_TEST

START_TEST(test_locked) {
        _fd_cleanup_(fd_index_freep) struct fd_index *w = open_ok(dbpath, true);
        struct fd_index *w2 = NULL;
        struct fd_error err = {0};

        ck_assert_int_eq(fd_index_open(dbpath, true, &w2, &err), FD_E_LOCKED);
        ck_assert_ptr_null(w2);
        ck_assert_int_eq(err.status, FD_E_LOCKED);
        ck_assert_msg(strstr(err.msg, dbpath) && strstr(err.msg, "DatabaseLockError"), "message: %s", err.msg);
        /* readers are not blocked by the writer */
        fd_index_free(open_ok(dbpath, false));
}
END_TEST

static void write_junk(const char *dir, const char *name, size_t n) {
        char path[600];
        unsigned char buf[8192];
        FILE *f;

        snprintf(path, sizeof path, "%s/%s", dir, name);
        for (size_t i = 0; i < sizeof buf; i++)
                buf[i] = (unsigned char)(i * 7919u + 13u);
        f = fopen(path, "wb");
        ck_assert_ptr_nonnull(f);
        ck_assert_uint_eq(fwrite(buf, 1, n < sizeof buf ? n : sizeof buf, f), n < sizeof buf ? n : sizeof buf);
        fclose(f);
}

START_TEST(test_corrupt) {
        struct fd_index *idx = NULL;
        struct fd_error err = {0};
        enum fd_status st;

        ck_assert_int_eq(mkdir(dbpath, 0755), 0);
        write_junk(dbpath, "iamglass", 4096);
        st = fd_index_open(dbpath, false, &idx, &err);
        ck_assert_msg(st == FD_E_CORRUPT, "read-only junk: %s: %s", fd_status_name(st), err.msg);
        ck_assert_ptr_null(idx);
        ck_assert_ptr_nonnull(strstr(err.msg, dbpath));

        write_junk(dbpath, "postlist.glass", 8192);
        write_junk(dbpath, "termlist.glass", 8192);
        st = fd_index_open(dbpath, true, &idx, &err);
        ck_assert_msg(st == FD_E_CORRUPT, "writable junk: %s: %s", fd_status_name(st), err.msg);
        ck_assert_ptr_null(idx);
        st = fd_index_open(dbpath, false, &idx, &err);
        ck_assert_msg(st == FD_E_CORRUPT, "read-only junk: %s: %s", fd_status_name(st), err.msg);
        ck_assert_ptr_null(idx);
}
END_TEST

START_TEST(test_missing_and_nested) {
        struct fd_index *idx = NULL;
        struct fd_error err = {0};
        char nested[600];

        ck_assert_int_eq(fd_index_open(dbpath, false, &idx, &err), FD_E_NOTFOUND);
        ck_assert_ptr_null(idx);
        ck_assert_ptr_nonnull(strstr(err.msg, dbpath));
        ck_assert_int_eq(fd_index_open("", true, &idx, &err), FD_E_INVALID);

        /* a writer creates missing parent directories */
        snprintf(nested, sizeof nested, "%s/a/b/index", tmpdir);
        idx = open_ok(nested, true);
        fd_index_free(idx);
        idx = open_ok(nested, false);
        ck_assert_uint_eq(count_of(idx), 0);
        fd_index_free(idx);
        idx = NULL;

        /* a parent that is a file */
        write_junk(tmpdir, "file", 10);
        snprintf(nested, sizeof nested, "%s/file/index", tmpdir);
        ck_assert_int_ne(fd_index_open(nested, true, &idx, &err), FD_OK);
        ck_assert_ptr_null(idx);
}
END_TEST

START_TEST(test_bad_query) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = NULL;
        _fd_cleanup_(fd_index_freep) struct fd_index *idx = three_records(&a);
        static const char *const lenient[] = { "title:(", "\"unclosed", "(", ")", "-", "*", "title:", "doi:",
                                               "id:", "year:abc", "\"\"", "ocean NEAR", "((((ocean" };
        struct fd_search_request opts = { .q = "ocean AND" };
        struct fd_error err = {0};
        struct fd_search_result *res = NULL;

        /* Xapian rejects a dangling operator */
        ck_assert_int_eq(fd_index_search(idx, &opts, &res, &err), FD_E_INVALID);
        ck_assert_ptr_null(res);
        ck_assert_msg(strncmp(err.msg, "query 'ocean AND': ", 19) == 0, "message: %s", err.msg);
        opts.q = "NOT";
        ck_assert_int_eq(fd_index_search(idx, &opts, &res, &err), FD_E_INVALID);

        /* ... and parses these leniently; either way, never a crash */
        for (size_t i = 0; i < FD_ELEMENTSOF(lenient); i++) {
                enum fd_status st;
                opts.q = lenient[i];
                res = NULL;
                st = fd_index_search(idx, &opts, &res, &err);
                ck_assert_msg(st == FD_OK || st == FD_E_INVALID, "'%s': %s", lenient[i], err.msg);
                fd_search_result_free(res);
        }
        ck_assert_int_eq(fd_index_search(idx, NULL, &res, &err), FD_E_INVALID);
}
END_TEST

START_TEST(test_schema_mismatch) {
        struct fd_index *idx = open_ok(dbpath, true);
        struct fd_error err = {0};

        ck_assert_int_eq(fd_index_set_meta(idx, "fairdex:schema", "999", &err), FD_OK);
        commit_ok(idx);
        fd_index_free(idx);
        idx = NULL;

        ck_assert_int_eq(fd_index_open(dbpath, true, &idx, &err), FD_E_INVALID);
        ck_assert_ptr_null(idx);
        ck_assert_msg(strstr(err.msg, "has schema version 999, this fairdex needs 7") && strstr(err.msg, dbpath),
                      "message: %s", err.msg);
        ck_assert_int_eq(fd_index_open(dbpath, false, &idx, &err), FD_E_INVALID);
        ck_assert_ptr_null(idx);
        /* the failed open left the database unlocked */
        ck_assert_int_eq(fd_index_open(dbpath, true, &idx, &err), FD_E_INVALID);
}
END_TEST

START_TEST(test_schema_missing_version) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = NULL;
        struct fd_index *idx = three_records(&a);
        struct fd_error err = {0};

        /* an index with documents but no version is not ours */
        ck_assert_int_eq(fd_index_set_meta(idx, "fairdex:schema", "", &err), FD_OK);
        commit_ok(idx);
        fd_index_free(idx);
        idx = NULL;
        ck_assert_int_eq(fd_index_open(dbpath, true, &idx, &err), FD_E_INVALID);
        ck_assert_ptr_nonnull(strstr(err.msg, "(none)"));
}
END_TEST


/* ---- search: languages, filters, facets, collapsing (issue 5) ---------- */

/* A list filter on field with the given values. */
#define LIST_FILTER(f, ...)                                                               \
        {                                                                                 \
                .field = (f), .values = (const char *const[]){ __VA_ARGS__ },             \
                .n_values = sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(char *) \
        }
/* Request o filters by the array list. */
#define FILTERS(o, list) ((o).filters = (list), (o).n_filters = FD_ELEMENTSOF(list))

static long long total_opts(struct fd_index *idx, const struct fd_search_request *opts) {
        struct fd_search_result *res = search_opts_ok(idx, opts);
        long long n = (long long)res->total;

        fd_search_result_free(res);
        return n;
}

static enum fd_status search_status(struct fd_index *idx, const struct fd_search_request *opts, struct fd_error *err) {
        struct fd_search_result *res = NULL;
        enum fd_status st = fd_index_search(idx, opts, &res, err);

        fd_search_result_free(res);
        return st;
}

static const struct rec_spec haus = {
        .id = "dnb:1", .source = "dnb", .title = "Die alten häuser der stadt", .title_lang = "de",
        .description = "Fotografien", .lang = "de", .type = "Image", .issued = "2010-01-01",
        .access = FD_ACCESS_OPEN,
};

START_TEST(test_search_languages) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = NULL;
        _fd_cleanup_(fd_index_freep) struct fd_index *idx = three_records(&a);
        struct fd_search_request o = { .q = "haus" };

        put_ok(idx, a, &haus);
        commit_ok(idx);
        /* German stems at index time: "häuser" -> "haus" */
        o.lang = "de";
        ck_assert_int_eq(total_opts(idx, &o), 1);
        o.lang = "de-AT";
        ck_assert_int_eq(total_opts(idx, &o), 1);
        o.q = "häusern";
        o.lang = "de";
        ck_assert_int_eq(total_opts(idx, &o), 1);
        /* without a language: the word as typed or its English stem */
        o.lang = NULL;
        ck_assert_int_eq(total_opts(idx, &o), 0);
        o.q = "häuser";
        ck_assert_int_eq(total_opts(idx, &o), 1);
        /* English text still stems in English by default */
        o.q = "temperature";
        ck_assert_int_eq(total_opts(idx, &o), 1);
}
END_TEST

START_TEST(test_search_structured_filters) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = NULL;
        _fd_cleanup_(fd_index_freep) struct fd_index *idx = three_records(&a);
        struct fd_search_request o = { .q = "" };
        struct fd_error err = {0};

        const struct fd_search_filter types[] = { LIST_FILTER(FD_FIELD_TYPE, "Dataset", "Image") };
        FILTERS(o, types);
        ck_assert_int_eq(total_opts(idx, &o), 2);

        const struct fd_search_filter since[] = { LIST_FILTER(FD_FIELD_SOURCE, "zenodo"),
                                                  { .field = FD_FIELD_YEAR, .has_from = true, .from = 2016 } };
        FILTERS(o, since);
        ck_assert_int_eq(total_opts(idx, &o), 1);

        const struct fd_search_filter between[] = {
                { .field = FD_FIELD_YEAR, .has_from = true, .from = 2015, .has_to = true, .to = 2019 },
                LIST_FILTER(FD_FIELD_ACCESS, "open") };
        FILTERS(o, between);
        ck_assert_int_eq(total_opts(idx, &o), 1);

        struct fd_search_filter fair[] = { { .field = FD_FIELD_FAIR, .has_from = true, .from = 60 } };
        FILTERS(o, fair);
        ck_assert_int_eq(total_opts(idx, &o), 3);
        fair[0].from = 61;
        ck_assert_int_eq(total_opts(idx, &o), 0);

        const struct fd_search_filter lang[] = { LIST_FILTER(FD_FIELD_LANG, "de"),
                                                 LIST_FILTER(FD_FIELD_LICENSE, "CC0-1.0") };
        FILTERS(o, lang);
        o.q = "carbon";
        ck_assert_int_eq(total_opts(idx, &o), 1);

        /* values the index cannot serve are refused (the shape of a
         * request's filters is the daemon's to check: test_daemon_json) */
        o.q = "";
        const struct fd_search_filter empty[] = { { .field = FD_FIELD_TYPE } };
        FILTERS(o, empty);
        ck_assert_int_eq(search_status(idx, &o, &err), FD_E_INVALID);
        struct fd_search_filter range[] = { { .field = FD_FIELD_YEAR, .has_from = true, .from = 2000000 } };
        FILTERS(o, range);
        ck_assert_int_eq(search_status(idx, &o, &err), FD_E_INVALID);
        range[0].field = FD_FIELD_COUNT;
        ck_assert_int_eq(search_status(idx, &o, &err), FD_E_INVALID);
}
END_TEST

START_TEST(test_search_ranges) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = NULL;
        _fd_cleanup_(fd_index_freep) struct fd_index *idx = three_records(&a);

        ck_assert_int_eq(total_of(idx, "year:2015..2019"), 2);
        ck_assert_int_eq(total_of(idx, "year:2020.."), 1);
        ck_assert_int_eq(total_of(idx, "year:..2015"), 1);
        ck_assert_int_eq(total_of(idx, "fair:60.."), 3);
        ck_assert_int_eq(total_of(idx, "fair:61.."), 0);
        ck_assert_int_eq(total_of(idx, "carbon year:2010..2016"), 1);
        /* a single year is still the filter term */
        assert_only_hit(idx, "year:2019", ocean.id);
}
END_TEST

/* The counts of facet field in res. */
static const struct fd_search_facet *facet_of(const struct fd_search_result *res, enum fd_search_field field) {
        for (size_t i = 0; i < res->n_facets; i++)
                if (res->facets[i].field == field)
                        return &res->facets[i];
        ck_abort_msg("no facet %d", (int)field);
        return NULL;
}

/* The count of value in facet field of res, -1 when absent. */
static long long facet_count(const struct fd_search_result *res, enum fd_search_field field, const char *value) {
        const struct fd_search_facet *f = facet_of(res, field);

        for (size_t i = 0; i < f->n; i++)
                if (strcmp(f->v[i].value, value) == 0)
                        return (long long)f->v[i].count;
        return -1;
}

START_TEST(test_search_facets) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = NULL;
        _fd_cleanup_(fd_index_freep) struct fd_index *idx = three_records(&a);
        struct fd_search_request o = { .q = "", .limit = 1 };
        struct fd_error err = {0};
        static const enum fd_search_field facets[] = { FD_FIELD_SOURCE, FD_FIELD_TYPE, FD_FIELD_LICENSE,
                                                       FD_FIELD_ACCESS, FD_FIELD_LANG,   FD_FIELD_YEAR,
                                                       FD_FIELD_FAIR,   FD_FIELD_SUBJECT, FD_FIELD_SOURCE };
        struct fd_search_result *res;

        o.facets = facets;
        o.n_facets = FD_ELEMENTSOF(facets);
        res = search_opts_ok(idx, &o);
        /* over the whole match, not the page of one; a facet named twice
         * is counted once */
        ck_assert_uint_eq(res->n_hits, 1);
        ck_assert_uint_eq(res->n_facets, 8);
        ck_assert_str_eq(facet_of(res, FD_FIELD_SOURCE)->v[0].value, "zenodo");
        ck_assert_int_eq(facet_count(res, FD_FIELD_SOURCE, "zenodo"), 2);
        ck_assert_int_eq(facet_count(res, FD_FIELD_SOURCE, "pangaea"), 1);
        ck_assert_int_eq(facet_count(res, FD_FIELD_TYPE, "Image"), 1);
        ck_assert_int_eq(facet_count(res, FD_FIELD_LICENSE, "CC0-1.0"), 1);
        ck_assert_int_eq(facet_count(res, FD_FIELD_ACCESS, "open"), 2);
        ck_assert_int_eq(facet_count(res, FD_FIELD_LANG, "it"), 1);
        ck_assert_int_eq(facet_count(res, FD_FIELD_YEAR, "2019"), 1);
        ck_assert_int_eq(facet_count(res, FD_FIELD_FAIR, "50-75"), 3);
        ck_assert_int_eq(facet_count(res, FD_FIELD_SUBJECT, "Glaciology"), 1);
        ck_assert(res->total_exact);
        fd_search_result_free(res);

        /* facets follow the query and the filters */
        o.q = "source:zenodo";
        o.facet_limit = 1;
        res = search_opts_ok(idx, &o);
        ck_assert_int_eq(facet_count(res, FD_FIELD_SOURCE, "pangaea"), -1);
        ck_assert_uint_eq(facet_of(res, FD_FIELD_TYPE)->n, 1);
        fd_search_result_free(res);

        /* a field that is no facet is refused */
        static const enum fd_search_field nofacet[] = { FD_FIELD_INDICATOR };
        o.facets = nofacet;
        o.n_facets = 1;
        ck_assert_int_eq(search_status(idx, &o, &err), FD_E_INVALID);
}
END_TEST

/* Facets of one value per record are counted from columns that readers
 * keep per database revision (search.cc): a reader counts what its
 * revision holds until it reopens, a reopened or new one the records
 * committed since, and the award terms ("XAWARD", a longer prefix than
 * access's "XA") are no access values.  That last check holds however the
 * access facet is counted: a column that met an award term would fail its
 * coverage check and FacetSpy would count instead, so it guards the
 * answer, not which way it was counted. */
START_TEST(test_facet_columns_follow_commits) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = NULL;
        _fd_cleanup_(fd_index_freep) struct fd_index *w = three_records(&a);
        _fd_cleanup_(fd_index_freep) struct fd_index *r = open_ok(dbpath, false);
        _fd_cleanup_(fd_index_freep) struct fd_index *fresh = NULL;
        static const enum fd_search_field facets[] = { FD_FIELD_SOURCE, FD_FIELD_TYPE, FD_FIELD_ACCESS,
                                                       FD_FIELD_YEAR, FD_FIELD_FAIR };
        struct fd_search_request o = { .q = "", .facets = facets, .n_facets = FD_ELEMENTSOF(facets) };
        struct rec_spec ocean_text = ocean, lake = forest;
        struct fd_error err = {0};
        struct fd_search_result *res = search_opts_ok(r, &o);

        ck_assert_int_eq(facet_count(res, FD_FIELD_TYPE, "Dataset"), 1);
        ck_assert_int_eq(facet_count(res, FD_FIELD_SOURCE, "zenodo"), 2);
        ck_assert_int_eq(facet_count(res, FD_FIELD_ACCESS, "open"), 2);
        fd_search_result_free(res);

        ocean_text.type = "Text";
        ocean_text.award = "101003536";
        lake.id = "zenodo:oai:zenodo.org:4";
        lake.issued = "2023-05-05";
        lake.award = "Award-7";
        lake.doi = NULL;
        put_ok(w, a, &ocean_text);
        put_ok(w, a, &lake);
        commit_ok(w);
        /* the reader's revision: the same counts */
        res = search_opts_ok(r, &o);
        ck_assert_int_eq(facet_count(res, FD_FIELD_TYPE, "Dataset"), 1);
        ck_assert_int_eq(facet_count(res, FD_FIELD_SOURCE, "zenodo"), 2);
        fd_search_result_free(res);

        ck_assert_int_eq(fd_index_reopen(r, &err), FD_OK);
        fresh = open_ok(dbpath, false);
        for (int i = 0; i < 2; i++) {
                res = search_opts_ok(i ? fresh : r, &o);
                ck_assert_uint_eq(res->total, 4);
                ck_assert_int_eq(facet_count(res, FD_FIELD_TYPE, "Dataset"), -1);
                ck_assert_int_eq(facet_count(res, FD_FIELD_TYPE, "Text"), 3);
                ck_assert_int_eq(facet_count(res, FD_FIELD_SOURCE, "zenodo"), 3);
                ck_assert_int_eq(facet_count(res, FD_FIELD_YEAR, "2023"), 1);
                ck_assert_int_eq(facet_count(res, FD_FIELD_YEAR, "2019"), 1);
                uint64_t scored = 0;
                for (size_t k = 0; k < facet_of(res, FD_FIELD_FAIR)->n; k++)
                        scored += facet_of(res, FD_FIELD_FAIR)->v[k].count;
                ck_assert_uint_eq(scored, 4);
                ck_assert_int_eq(facet_count(res, FD_FIELD_ACCESS, "open"), 2);
                ck_assert_int_eq(facet_count(res, FD_FIELD_ACCESS, "restricted"), 2);
                ck_assert_uint_eq(facet_of(res, FD_FIELD_ACCESS)->n, 2);
                fd_search_result_free(res);
        }
}
END_TEST

START_TEST(test_search_collapse) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = NULL;
        _fd_cleanup_(fd_index_freep) struct fd_index *idx = three_records(&a);
        /* the same object as ocean, harvested from a national portal */
        struct rec_spec copy = ocean;
        struct rec_spec nodoi1 = glacier, nodoi2 = glacier;
        struct fd_search_request o = { .q = "ocean" };
        static const enum fd_search_field facets[] = { FD_FIELD_SOURCE };
        struct fd_search_result *res;
        const struct fd_search_hit *hit;

        struct fd_error err = {0};
        char *flag = NULL;
        /* no DOI shared yet: searches skip collapsing */
        ck_assert_int_eq(fd_index_get_meta(idx, "fairdex:doi-shared", &flag, &err), FD_OK);
        ck_assert_str_eq(flag, "0");
        free(flag);
        copy.id = "dcat:https://data.example.eu/ds/1";
        copy.source = "portal";
        put_ok(idx, a, &copy);
        nodoi1.id = "pangaea:x1";
        nodoi2.id = "pangaea:x2";
        put_ok(idx, a, &nodoi1);
        put_ok(idx, a, &nodoi2);
        commit_ok(idx);
        ck_assert_int_eq(fd_index_get_meta(idx, "fairdex:doi-shared", &flag, &err), FD_OK);
        ck_assert_str_eq(flag, "1");
        free(flag);

        o.facets = facets;
        o.n_facets = 1;
        res = search_opts_ok(idx, &o);
        ck_assert_int_eq((long long)res->total, 1);
        ck_assert_uint_eq(res->n_hits, 1);
        hit = &res->hits[0];
        ck_assert_uint_eq(hit->n_sources, 2);
        ck_assert_str_eq(hit->sources[0], "portal");
        ck_assert_str_eq(hit->sources[1], "zenodo");
        /* facets count records: each source holds the object once */
        ck_assert_int_eq(facet_count(res, FD_FIELD_SOURCE, "portal"), 1);
        ck_assert_int_eq(facet_count(res, FD_FIELD_SOURCE, "zenodo"), 1);
        /* exact although the query is an OR (stemmed or not) of "ocean" */
        ck_assert(res->total_exact);
        fd_search_result_free(res);
        o.n_facets = 0;
        res = search_opts_ok(idx, &o);
        ck_assert_int_eq((long long)res->total, 1);
        ck_assert(res->total_exact);
        fd_search_result_free(res);

        /* records without a DOI never collapse together */
        ck_assert_int_eq(total_of(idx, "glacier"), 3);
        /* everything: ocean twice is one object */
        ck_assert_int_eq(total_of(idx, ""), 5);
        res = search_ok(idx, "glacier", 0, 0);
        hit = &res->hits[0];
        ck_assert_uint_eq(hit->n_sources, 1);
        fd_search_result_free(res);

        /* The collapse key is only on records of a shared DOI, given to
         * the first when the second came: rewriting either, adding a third
         * and deleting one keep the object one hit. */
        struct rec_spec third = ocean;
        third.id = "b2share:o1";
        third.source = "b2share";
        put_ok(idx, a, &ocean);
        put_ok(idx, a, &copy);
        commit_ok(idx);
        ck_assert_int_eq(total_of(idx, "ocean"), 1);
        put_ok(idx, a, &third);
        commit_ok(idx);
        ck_assert_int_eq(total_of(idx, "ocean"), 1);
        ck_assert_int_eq(fd_index_delete(idx, copy.id, &err), FD_OK);
        commit_ok(idx);
        ck_assert_int_eq(total_of(idx, "ocean"), 1);
        res = search_ok(idx, "ocean", 0, 0);
        hit = &res->hits[0];
        ck_assert_uint_eq(hit->n_sources, 2);
        fd_search_result_free(res);
}
END_TEST

/* The ids of the hits of opts, comma-separated, in a (static) buffer. */
static const char *hit_ids(struct fd_index *idx, const struct fd_search_request *opts) {
        static char buf[1024];
        struct fd_search_result *res = search_opts_ok(idx, opts);
        const struct fd_search_hit *h;
        size_t i, n = 0;

        buf[0] = '\0';
        for (i = 0; i < res->n_hits && (h = &res->hits[i]); i++) {
                n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", i ? "," : "",
                                      h->id);
        }
        fd_search_result_free(res);
        return buf;
}

/* Query workers search at once, each on its own read-only handle.  Every
 * search without q or filters matches all records; built from Xapian's
 * static MatchAll, whose reference count is not atomic, such searches in
 * parallel corrupted it and crashed a worker (found by bench/soak.sh). */
struct searcher {
        unsigned n, failed;
};

static void *search_loop(void *arg) {
        struct searcher *w = arg;
        struct fd_error err = {0};
        struct fd_index *idx = NULL;
        struct fd_search_request o = { .q = "", .limit = 1 };

        if (fd_index_open(dbpath, false, &idx, &err) != FD_OK) {
                w->failed = w->n;
                return NULL;
        }
        for (unsigned i = 0; i < w->n; i++) {
                struct fd_search_result *res = NULL;
                if (fd_index_search(idx, &o, &res, &err) != FD_OK ||
                    res->total != 3)
                        w->failed++;
                fd_search_result_free(res);
        }
        fd_index_free(idx);
        return NULL;
}

/* Versions linked only by IsNewVersionOf, written newest first and the
 * middle one last: one work whatever the order (versions.cc re-keys). */
START_TEST(test_search_versions_any_order) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = fd_arena_new(1 << 20);
        _fd_cleanup_(fd_index_freep) struct fd_index *idx = open_ok(dbpath, true);
        static const char *const v[][3] = {
                { "z:v3", "10.5072/v.3", "10.5072/v.2" },
                { "z:v1", "10.5072/v.1", NULL },
                { "z:v2", "10.5072/v.2", "10.5072/v.1" },
        };
        struct fd_search_request o = { .q = "toolkit", .collapse = FD_COLLAPSE_VERSION };
        struct fd_search_result *res;

        for (size_t i = 0; i < FD_ELEMENTSOF(v); i++) {
                struct rec_spec s = { .id = v[i][0], .source = "z", .title = "A toolkit", .doi = v[i][1],
                                      .issued = i == 0 ? "2023-01-01" : i == 1 ? "2021-01-01" : "2022-01-01" };
                struct fd_error err = {0};
                _fd_free_ char *json = NULL;
                struct fd_record *r = make_record(a, &s, &json);
                if (v[i][2])
                        ck_assert_int_eq(fd_record_add_related(r, a, v[i][2], FD_PID_DOI, "IsNewVersionOf"), FD_OK);
                ck_assert_int_eq(fd_index_put(idx, r, NULL, json, &err), FD_OK);
        }
        commit_ok(idx);
        res = search_opts_ok(idx, &o);
        ck_assert_int_eq((long long)res->total, 1);
        ck_assert_uint_eq(res->n_hits, 1);
        ck_assert_str_eq(res->hits[0].id, "z:v3");
        ck_assert_uint_eq(res->hits[0].n_versions, 2);
        ck_assert_str_eq(res->hits[0].versions[0], "z:v2");
        ck_assert_str_eq(res->hits[0].versions[1], "z:v1");
        fd_search_result_free(res);
        o.collapse = FD_COLLAPSE_DOI;
        res = search_opts_ok(idx, &o);
        ck_assert_int_eq((long long)res->total, 3);
        fd_search_result_free(res);
}
END_TEST

/* A record with many relations keeps them all (up to the slot's bound):
 * `related` lists each, and the other end sees the 40th. */
START_TEST(test_related_many) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = fd_arena_new(1 << 20);
        _fd_cleanup_(fd_index_freep) struct fd_index *idx = open_ok(dbpath, true);
        _fd_cleanup_(fd_related_result_freep) struct fd_related_result *res = NULL;
        struct rec_spec s = { .id = "z:paper", .source = "z", .title = "A paper", .doi = "10.5072/paper" };
        struct rec_spec t = { .id = "z:data40", .source = "z", .title = "Data 40", .doi = "10.5072/ref.40" };
        struct fd_error err = {0};
        _fd_free_ char *json = NULL, *json2 = NULL;
        struct fd_record *r = make_record(a, &s, &json);
        char doi[32];

        for (int i = 1; i <= 40; i++) {
                snprintf(doi, sizeof doi, "10.5072/ref.%d", i);
                ck_assert_int_eq(fd_record_add_related(r, a, doi, FD_PID_DOI, "References"), FD_OK);
        }
        ck_assert_int_eq(fd_index_put(idx, r, NULL, json, &err), FD_OK);
        struct fd_record *target = make_record(a, &t, &json2);
        ck_assert_int_eq(fd_index_put(idx, target, NULL, json2, &err), FD_OK);
        commit_ok(idx);
        ck_assert_int_eq(fd_index_related(idx, "z:paper", &res, &err), FD_OK);
        ck_assert_uint_eq(res->n_links, 40);
        ck_assert_str_eq(res->links[39].identifier, "10.5072/ref.40");
        ck_assert_uint_eq(res->links[39].n_records, 1);
        ck_assert_str_eq(res->links[39].records[0].id, "z:data40");
        fd_related_result_free(res);
        res = NULL;
        ck_assert_int_eq(fd_index_related(idx, "z:data40", &res, &err), FD_OK);
        ck_assert_uint_eq(res->n_links, 1);
        ck_assert_str_eq(res->links[0].relation, "IsReferencedBy");
        ck_assert(res->links[0].in);
        ck_assert_str_eq(res->links[0].identifier, "10.5072/paper");
        fd_related_result_free(res);
        res = NULL;
        ck_assert_int_eq(fd_index_related(idx, "z:nothing", &res, &err), FD_E_NOTFOUND);
}
END_TEST

START_TEST(test_search_threads) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = NULL;
        _fd_cleanup_(fd_index_freep) struct fd_index *idx = three_records(&a);
        struct searcher w[4];
        pthread_t t[4];

        for (size_t i = 0; i < 4; i++) {
                w[i] = (struct searcher){ .n = 20000 };
                ck_assert_int_eq(pthread_create(&t[i], NULL, search_loop, &w[i]), 0);
        }
        for (size_t i = 0; i < 4; i++) {
                pthread_join(t[i], NULL);
                ck_assert_uint_eq(w[i].failed, 0);
        }
}
END_TEST

START_TEST(test_search_sort_fields_snippets) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = NULL;
        _fd_cleanup_(fd_index_freep) struct fd_index *idx = three_records(&a);
        struct fd_search_request o = { .q = "", .sort = FD_SORT_DATE };
        struct fd_search_result *res;
        const struct fd_search_hit *hit;

        ck_assert_str_eq(hit_ids(idx, &o), "pangaea:oai:pangaea.de:doi:10.1594/PANGAEA.3,zenodo:oai:zenodo.org:1,"
                                            "zenodo:oai:zenodo.org:2");
        o.ascending = true;
        ck_assert_str_eq(hit_ids(idx, &o), "zenodo:oai:zenodo.org:2,zenodo:oai:zenodo.org:1,"
                                            "pangaea:oai:pangaea.de:doi:10.1594/PANGAEA.3");

        o = (struct fd_search_request){ .q = "ocean", .record_json = true, .snippets = true };
        res = search_opts_ok(idx, &o);
        ck_assert(res->snippets);
        hit = &res->hits[0];
        ck_assert_ptr_nonnull(hit->record_json);
        ck_assert_ptr_nonnull(strstr(hit->record_json, "\"titles\":[{"));
        ck_assert_int_eq(hit->fair, 60);
        ck_assert_msg(hit->snippet_title && strstr(hit->snippet_title, "<b>Ocean</b>"), "snippet: %s",
                      hit->snippet_title);
        /* the stored record of this test has no description */
        ck_assert_ptr_null(hit->snippet_description);
        fd_search_result_free(res);
        /* without them, neither */
        o = (struct fd_search_request){ .q = "ocean" };
        res = search_opts_ok(idx, &o);
        ck_assert(!res->snippets);
        ck_assert_ptr_null(res->hits[0].record_json);
        ck_assert_ptr_null(res->hits[0].snippet_title);
        fd_search_result_free(res);
}
END_TEST

START_TEST(test_search_spelling) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = NULL;
        _fd_cleanup_(fd_index_freep) struct fd_index *idx = three_records(&a);
        struct fd_search_request o = { .q = "glaciar retreat" };
        struct fd_search_result *res = search_opts_ok(idx, &o);

        ck_assert_int_eq((long long)res->total, 0);
        ck_assert_str_eq(res->did_you_mean, "glacier retreat");
        fd_search_result_free(res);
        o.q = "glacier";
        res = search_opts_ok(idx, &o);
        ck_assert_ptr_null(res->did_you_mean);
        fd_search_result_free(res);
}
END_TEST

START_TEST(test_suggest_similar) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = NULL;
        _fd_cleanup_(fd_index_freep) struct fd_index *idx = three_records(&a);
        struct rec_spec more = ocean;
        struct fd_error err = {0};
        struct fd_search_result *res = NULL;

        more.id = "zenodo:9";
        more.doi = NULL;
        more.title = "Ocean temperature anomalies";
        put_ok(idx, a, &more);
        commit_ok(idx);

        ck_assert_int_eq(fd_index_suggest(idx, "Glac", 10, &res, &err), FD_OK);
        ck_assert_uint_ge(res->n_suggestions, 2);  /* glacier, glaciers, glaciology */
        ck_assert_ptr_nonnull(strstr(res->suggestions[0].value, "glac"));
        fd_search_result_free(res);
        ck_assert_int_eq(fd_index_suggest(idx, "north te", 10, &res, &err), FD_OK);
        ck_assert_uint_eq(res->n_suggestions, 2);  /* temperature, temperatures */
        ck_assert_str_eq(res->suggestions[0].value, "north temperature");
        ck_assert_uint_ge(res->suggestions[0].count, res->suggestions[1].count);
        fd_search_result_free(res);
        ck_assert_int_eq(fd_index_suggest(idx, "", 10, &res, &err), FD_OK);
        ck_assert_uint_eq(res->n_suggestions, 0);
        fd_search_result_free(res);
        ck_assert_int_eq(fd_index_suggest(idx, "x", 0, &res, &err), FD_E_INVALID);

        ck_assert_int_eq(fd_index_similar(idx, ocean.id, 10, &res, &err), FD_OK);
        ck_assert_uint_ge(res->n_hits, 1);
        ck_assert_str_eq(res->hits[0].id, "zenodo:9");
        for (size_t i = 0; i < res->n_hits; i++)
                ck_assert_str_ne(res->hits[i].id, ocean.id);
        ck_assert_ptr_null(res->next_cursor);
        fd_search_result_free(res);
        ck_assert_int_eq(fd_index_similar(idx, "nope:1", 10, &res, &err), FD_E_NOTFOUND);
}
END_TEST

/* A set whose term every record holds (one source), listed in change
 * order after deletions: with Xapian 1.4.22 a term that indexes every
 * document and needs no wdf (BoolWeight) is read from the document length
 * list under the term's name, which fails at the list's second chunk
 * ("Unexpected end of posting list for 'XSzenodo'"), and only a list with
 * gaps (deletions) is read in chunks; the sort by SLOT_CHANGED makes the
 * match read all of it.  Sets filter on value slots (changes.cc). */
START_TEST(test_changes_set_after_deletions) {
        enum { RECORDS = 3000 };
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = fd_arena_new(1 << 22);
        _fd_cleanup_(fd_index_freep) struct fd_index *w = NULL, *r = NULL;
        struct fd_change_request req = {.set = "source:zenodo", .limit = 10, .total = true, .live_only = true};
        struct fd_error err = {0};
        struct fd_change_list *l;

        ck_assert_ptr_nonnull(a);
        w = open_ok(dbpath, true);
        for (int i = 0; i < RECORDS; i++) {
                struct rec_spec s = ocean;
                s.id = fd_arena_printf(a, "zenodo:%d", i);
                s.doi = NULL;
                put_ok(w, a, &s);
        }
        commit_ok(w);
        for (int i = 0; i < RECORDS; i += 100)
                ck_assert_int_eq(fd_index_delete(w, fd_arena_printf(a, "zenodo:%d", i), &err), FD_OK);
        commit_ok(w);
        r = open_ok(dbpath, false);
        l = changes_ok(r, &req);
        ck_assert_uint_eq(l->n, 10);
        ck_assert_uint_eq(l->total, RECORDS - RECORDS / 100);
        fd_change_list_free(l);
}
END_TEST

/* One listing, paged by limit, as "id changed deleted sets" lines. */
static char *listing(struct fd_index *idx, struct fd_change_request req) {
        struct fd_buf b;
        _fd_free_ char *after = NULL;

        fd_buf_init(&b, 1 << 24);
        do {
                struct fd_change_list *l = NULL;
                req.after = after;
                l = changes_ok(idx, &req);
                for (size_t i = 0; i < l->n; i++)
                        ck_assert_int_eq(fd_buf_printf(&b, "%s %s %d %s\n", l->v[i].id, l->v[i].changed,
                                                       l->v[i].deleted, l->v[i].sets), FD_OK);
                free(after);
                after = l->next ? strdup(l->next) : NULL;
                fd_change_list_free(l);
        } while (after);
        ck_assert_int_eq(fd_buf_append(&b, "", 1), FD_OK);
        return b.data;
}

/* The walk of the sorted keys lists what the sort by SLOT_CHANGED lists
 * (records of two sources put, put again, deleted, put back), page by
 * page, by set, from and until; and the payloads stored at fd_index_put
 * are what rendering the stored JSON writes. */
START_TEST(test_changes_keys_match_sort) {
        enum { RECORDS = 240 };
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = fd_arena_new(1 << 22);
        _fd_cleanup_(fd_index_freep) struct fd_index *w = NULL;
        struct fd_error err = {0};

        ck_assert_ptr_nonnull(a);
        w = open_ok(dbpath, true);
        for (int round = 0; round < 3; round++) {
                for (int i = round * 40; i < RECORDS; i += round + 1) {
                        struct rec_spec s = i % 3 ? ocean : glacier;
                        s.id = fd_arena_printf(a, "%s:%d", s.source, i);
                        s.type = i % 4 ? "Dataset" : "Image";
                        s.doi = NULL;
                        struct fd_fair_assessment fair = {.overall = (double)(i % 100)};
                        _fd_free_ char *own = NULL;
                        struct fd_record *r = make_record(a, &s, &own);
                        json_t *o = fd_record_to_json(r);
                        _fd_free_ char *text = json_dumps(o, JSON_COMPACT);
                        json_decref(o);
                        ck_assert_int_eq(fd_index_put(w, r, &fair, text, &err), FD_OK);
                }
                for (int i = round; i < RECORDS; i += 7 + round)
                        ck_assert_int_eq(fd_index_delete(w, fd_arena_printf(a, "%s:%d", i % 3 ? ocean.source
                                                                                      : glacier.source, i),
                                                         &err),
                                         FD_OK);
                commit_ok(w);
                if (round < 2)
                        sleep(1); /* datestamps of another second */
        }
        static const char *const sets[] = {NULL, "source:pangaea", "type:Image", "fair:25-50", "fair:75-100"};
        struct fd_change_list *l = changes_ok(w, &(struct fd_change_request){.limit = 1});
        char mid[32];
        snprintf(mid, sizeof mid, "%s", l->v[0].changed);
        fd_change_list_free(l);
        for (size_t i = 0; i < FD_ELEMENTSOF(sets); i++)
                for (int limit = 1; limit <= 100; limit += 33) {
                        struct fd_change_request req = {.set = sets[i], .limit = (unsigned)limit};
                        if (limit == 34)
                                req.from = mid;
                        if (limit == 67)
                                req.until = mid;
                        _fd_free_ char *keyed = listing(w, req);
                        ck_assert_int_eq(fd_index_set_meta(w, "fairdex:live-keys", "0", &err), FD_OK);
                        commit_ok(w);
                        _fd_free_ char *sorted = listing(w, req);
                        ck_assert_int_eq(fd_index_set_meta(w, "fairdex:live-keys", "1", &err), FD_OK);
                        commit_ok(w);
                        ck_assert_str_eq(keyed, sorted);
                        ck_assert(strlen(keyed) > 0 || limit == 67);
                }

        /* The payloads served are those written from the stored JSON. */
        for (int f = 0; f < FD_XML_COUNT; f++) {
                struct fd_change_request req = {.limit = 1000, .payload = 1 + f};
                l = changes_ok(w, &req);
                ck_assert_uint_gt(l->n, 100);
                for (size_t i = 0; i < l->n; i++) {
                        _fd_free_ char *json = NULL;
                        struct fd_record *r = NULL;
                        struct fd_buf b;
                        if (l->v[i].deleted) {
                                ck_assert_ptr_null(l->v[i].payload);
                                continue;
                        }
                        ck_assert_ptr_nonnull(l->v[i].payload);
                        ck_assert_ptr_null(l->v[i].record_json);
                        ck_assert_int_eq(fd_index_get(w, l->v[i].id, &json, &err), FD_OK);
                        ck_assert_int_eq(fd_record_from_json_text(json, strlen(json), a, &r, &err), FD_OK);
                        fd_buf_init(&b, 1 << 20);
                        ck_assert_int_eq(fd_record_export_xml(r, (enum fd_xml_format)f, &b), FD_OK);
                        ck_assert_int_eq(fd_buf_append(&b, "", 1), FD_OK);
                        ck_assert_str_eq(l->v[i].payload, b.data);
                        fd_buf_release(&b);
                }
                fd_change_list_free(l);
        }
}
END_TEST

static int cmp_str(const void *a, const void *b) {
        return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The failure of the 150,000-dataset DCAT catalogue after 5,500 records:
 * titles numbered 0 to 149,999, harvested in the order of their subjects
 * (0, 1, 10, 100, 1000, 10000, 100000, 100001, ...), 500 a commit.  With
 * the numbers in the spelling table, Xapian 1.4.22 wrote a spelling table
 * that could not be read back, and the twelfth commit failed with
 * DatabaseCorruptError ("Too few chunks of compressed data").  Words with
 * a digit stay out of it (schema.cc, spelling_word). */
START_TEST(test_spelling_numbered_titles) {
        enum { N = 150000, RECORDS = 6000, PAGE = 500 };
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = fd_arena_new(1 << 22);
        _fd_cleanup_(fd_index_freep) struct fd_index *w = NULL, *r = NULL;
        char **nums = calloc(N, sizeof *nums);
        struct fd_search_request o = { .q = "observatons" };
        struct fd_search_result *res;

        ck_assert_ptr_nonnull(a);
        ck_assert_ptr_nonnull(nums);
        for (int i = 0; i < N; i++)
                nums[i] = fd_arena_printf(a, "%d", i);
        qsort(nums, N, sizeof *nums, cmp_str);
        w = open_ok(dbpath, true);
        for (int i = 0; i < RECORDS; i++) {
                _fd_cleanup_(fd_arena_freep) struct fd_arena *one = fd_arena_new(1 << 14);
                struct rec_spec s = ocean;
                s.id = fd_arena_printf(one, "bench:ds/%s", nums[i]);
                s.title = fd_arena_printf(one, "Observations %s of the monitoring network", nums[i]);
                s.doi = NULL;
                put_ok(w, one, &s);
                if ((i + 1) % PAGE == 0)
                        commit_ok(w);
        }
        free(nums);
        ck_assert_uint_eq(count_of(w), RECORDS);

        /* A reader opened now sees a readable spelling table without numbers. */
        r = open_ok(dbpath, false);
        res = search_opts_ok(r, &o);
        ck_assert_ptr_nonnull(res->did_you_mean);
        ck_assert_str_eq(res->did_you_mean, "observations");
        fd_search_result_free(res);
        o.q = "1053960";  /* one digit more than a title's number */
        res = search_opts_ok(r, &o);
        ck_assert_int_eq((long long)res->total, 0);
        ck_assert_ptr_null(res->did_you_mean);
        fd_search_result_free(res);
        o.q = "105396";
        res = search_opts_ok(r, &o);
        ck_assert_int_eq((long long)res->total, 1);
        fd_search_result_free(res);
}
END_TEST

/* 250 objects over seven years (many ties), 25 of them also held by a
 * second source with another year, so that their two records sit on
 * different pages of a date sort. */
static struct fd_index *many_records(struct fd_arena **ret_arena) {
        struct fd_arena *a = fd_arena_new(1 << 22);
        struct fd_index *idx;

        ck_assert_ptr_nonnull(a);
        idx = open_ok(dbpath, true);
        for (int i = 0; i < 250; i++) {
                struct rec_spec s = ocean;
                char *id = fd_arena_printf(a, "zenodo:oai:zenodo.org:%d", i);
                char *doi = fd_arena_printf(a, "10.5281/zenodo.%d", 1000 + i);
                char *issued = fd_arena_printf(a, "%d-01-01", 2000 + i % 7);
                ck_assert(id && doi && issued);
                s.id = id;
                s.doi = doi;
                s.issued = issued;
                put_ok(idx, a, &s);
                if (i % 10 == 0) {
                        char *copy = fd_arena_printf(a, "portal:ds-%d", i);
                        char *year = fd_arena_printf(a, "%d-06-01", 2010 - i % 7);
                        ck_assert(copy && year);
                        s.id = copy;
                        s.source = "portal";
                        s.issued = year;
                        put_ok(idx, a, &s);
                }
        }
        commit_ok(idx);
        *ret_arena = a;
        return idx;
}

/* Pages through o by cursor, limit 100: every object exactly once. */
static void page_all(struct fd_index *idx, struct fd_search_request o, int want_pages) {
        char seen[250] = {0};
        _fd_free_ char *cursor = NULL;
        int pages = 0, hits = 0;

        o.limit = 100;
        for (;;) {
                o.cursor = cursor;
                struct fd_search_result *res = search_opts_ok(idx, &o);
                const struct fd_search_hit *h;
                size_t i;
                /* an estimate unless facets make the count exact */
                if (o.n_facets)
                        ck_assert(res->total_exact);
                if (res->total_exact)
                        ck_assert_int_eq((long long)res->total, 250);
                for (i = 0; i < res->n_hits && (h = &res->hits[i]); i++) {
                        const char *doi = h->doi;
                        int k = (int)strtol(doi + strlen("10.5281/zenodo."), NULL, 10) - 1000;
                        ck_assert_msg(k >= 0 && k < 250 && !seen[k], "object %s twice (page %d)", doi, pages);
                        seen[k] = 1;
                        hits++;
                        ck_assert_uint_eq(h->n_sources, k % 10 == 0 ? 2 : 1);
                }
                pages++;
                const char *next = res->next_cursor;
                free(cursor);
                cursor = next ? strdup(next) : NULL;
                fd_search_result_free(res);
                if (!cursor)
                        break;
                ck_assert_int_lt(pages, 10);
        }
        ck_assert_int_eq(hits, 250);
        ck_assert_int_eq(pages, want_pages);
}

START_TEST(test_search_cursor) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = NULL;
        _fd_cleanup_(fd_index_freep) struct fd_index *idx = many_records(&a);
        struct fd_search_request o = { .q = "", .sort = FD_SORT_DATE };
        struct fd_error err = {0};
        struct fd_search_result *res;
        static const enum fd_search_field facets[] = { FD_FIELD_SOURCE };

        page_all(idx, o, 3);
        o.ascending = true;
        page_all(idx, o, 3);
        /* with a facet the total is exact, on every page */
        o.facets = facets;
        o.n_facets = 1;
        page_all(idx, o, 3);
        o = (struct fd_search_request){ .q = "ocean", .sort = FD_SORT_FAIR };
        page_all(idx, o, 3);
        o = (struct fd_search_request){ .q = "ocean", .sort = FD_SORT_RELEVANCE };
        page_all(idx, o, 3);

        /* A date-sorted page in the order of its years, newest first. */
        o = (struct fd_search_request){ .q = "", .sort = FD_SORT_DATE, .limit = 100 };
        res = search_opts_ok(idx, &o);
        ck_assert(res->next_cursor);
        long long prev = 9999;
        size_t i;
        const struct fd_search_hit *h;
        for (i = 0; i < res->n_hits && (h = &res->hits[i]); i++) {
                long long y = h->year;
                ck_assert_int_le(y, prev);
                prev = y;
        }
        /* a cursor of another sort, order or query is refused */
        char *text = strdup(res->next_cursor);
        fd_search_result_free(res);
        o.cursor = text;
        o.ascending = true;
        ck_assert_int_eq(search_status(idx, &o, &err), FD_E_INVALID);
        ck_assert_msg(strstr(err.msg, "cursor"), "%s", err.msg);
        o.ascending = false;
        o.q = "ocean";
        ck_assert_int_eq(search_status(idx, &o, &err), FD_E_INVALID);
        o.q = "";
        o.offset = 100;
        ck_assert_int_eq(search_status(idx, &o, &err), FD_E_INVALID);
        o.offset = 0;
        ck_assert_int_eq(search_status(idx, &o, &err), FD_OK);
        free(text);
        /* malformed cursors */
        static const char *const bad[] = { "", "!!!!", "AQ", "x", "AAAAAAAAAAAAAAAA", "AQIAAAAAAAAAAA%" };
        for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
                o.cursor = bad[k];
                err = (struct fd_error){0};
                ck_assert_msg(search_status(idx, &o, &err) == FD_E_INVALID, "cursor '%s' accepted", bad[k]);
        }
        /* the last page has no next_cursor */
        o = (struct fd_search_request){ .q = "", .limit = 100, .offset = 200 };
        res = search_opts_ok(idx, &o);
        ck_assert_ptr_null(res->next_cursor);
        fd_search_result_free(res);
}
END_TEST

/* 300 objects whose weights for "ocean" repeat in 55 patterns (many ties,
 * broken by docid); objects i % 9 == 0 have no DOI; objects i % 10 == 3
 * are also held by "portal" under the DOI in capitals, with another weight,
 * so that the object's better record is sometimes the copy. */
#define RANKED 300
static struct fd_index *ranked_records(struct fd_arena **ret_arena) {
        struct fd_arena *a = fd_arena_new(1 << 22);
        struct fd_index *idx;

        ck_assert_ptr_nonnull(a);
        idx = open_ok(dbpath, true);
        for (int i = 0; i < RANKED; i++) {
                struct rec_spec s = { .source = "zenodo", .type = "Dataset", .access = FD_ACCESS_OPEN };
                char words[256] = "";
                size_t n = 0;
                for (int k = 0; k < i % 11; k++)
                        n += (size_t)snprintf(words + n, sizeof words - n, "ocean ");
                for (int k = 0; k < i % 5; k++)
                        n += (size_t)snprintf(words + n, sizeof words - n, "data ");
                s.id = fd_arena_printf(a, "zenodo:r:%d", i);
                s.title = fd_arena_printf(a, "Ocean record %d", 1000 + i);
                s.description = fd_arena_strdup(a, words);
                s.doi = i % 9 == 0 ? NULL : fd_arena_printf(a, "10.5281/zenodo.%d", 5000 + i);
                put_ok(idx, a, &s);
                if (s.doi && i % 10 == 3) {
                        n = 0;
                        for (int k = 0; k < (i + 4) % 11; k++)
                                n += (size_t)snprintf(words + n, sizeof words - n, "ocean ");
                        s.id = fd_arena_printf(a, "portal:r:%d", i);
                        s.source = "portal";
                        s.description = fd_arena_strdup(a, words);
                        s.doi = fd_arena_printf(a, "10.5281/ZENODO.%d", 5000 + i);
                        put_ok(idx, a, &s);
                }
        }
        commit_ok(idx);
        *ret_arena = a;
        return idx;
}

struct ranked_hit {
        char id[64];
        long long score;
        size_t sources;
};

/* Appends the hits of res to list (at *n, at most max). */
static void collect_hits(const struct fd_search_result *res, struct ranked_hit *list, size_t *n, size_t max) {
        const struct fd_search_hit *h;
        size_t i;

        for (i = 0; i < res->n_hits && (h = &res->hits[i]); i++) {
                ck_assert_uint_lt(*n, max);
                snprintf(list[*n].id, sizeof list[*n].id, "%s", h->id);
                list[*n].score = h->score;
                list[*n].sources = h->n_sources;
                (*n)++;
        }
}

/* Walks the search o by cursor into list; returns the number of hits.  The
 * first page is an offset one. */
static size_t walk_cursor(struct fd_index *idx, struct fd_search_request o, struct ranked_hit *list, size_t max) {
        _fd_free_ char *cursor = NULL;
        const unsigned limit = o.limit;
        const size_t facets = o.n_facets;
        size_t n = 0;

        for (int pages = 0;; pages++) {
                o.cursor = cursor;
                struct fd_search_result *res = search_opts_ok(idx, &o);
                size_t before = n;
                /* exact on cursor pages with facets: they see every record */
                if (res->total_exact)
                        ck_assert_int_eq((long long)res->total, RANKED);
                else
                        ck_assert(!facets);
                collect_hits(res, list, &n, max);
                const char *next = res->next_cursor;
                free(cursor);
                cursor = next ? strdup(next) : NULL;
                if (cursor)
                        ck_assert_uint_eq(n - before, limit);
                fd_search_result_free(res);
                if (!cursor)
                        break;
                ck_assert_int_lt(pages, RANKED);
        }
        return n;
}

/* The hits of q in sort by offset, 100 a page (Xapian's own order and
 * collapsing). */
static size_t walk_offset(struct fd_index *idx, const char *q, enum fd_search_sort sort, struct ranked_hit *list,
                          size_t max) {
        size_t n = 0;

        for (unsigned off = 0;; off += FD_INDEX_MAX_LIMIT) {
                struct fd_search_request o = { .q = q, .offset = off, .limit = FD_INDEX_MAX_LIMIT, .sort = sort };
                size_t before = n;
                struct fd_search_result *res = search_opts_ok(idx, &o);
                collect_hits(res, list, &n, max);
                fd_search_result_free(res);
                if (n - before < FD_INDEX_MAX_LIMIT)
                        return n;
        }
}

/* A relevance walk by cursor gives the objects of a single offset-based
 * ranking, each once, in its order (weight descending, then docid), with
 * scores on the first page's scale; so does a date walk (ties: no record
 * has a date, the order is the docid's). */
START_TEST(test_search_cursor_relevance) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = NULL;
        _fd_cleanup_(fd_index_freep) struct fd_index *idx = ranked_records(&a);
        static struct ranked_hit want[RANKED + 1], got[RANKED + 1];
        /* "ocean": the best record matches every term, so percents are
         * exact; with a term no record has, they are the best record's
         * share of the terms, the scale is truncated to a percent and a
         * score may be one lower than Xapian's own */
        static const char *const queries[] = { "ocean", "ocean OR data", "ocean OR nosuchword", "ocean", "ocean" };
        static const unsigned limits[] = { 7, 13, 100, 11, 9 };
        /* the fourth walk has facets: AfterWeight rides on the main match;
         * the fifth sorts by date */
        static const enum fd_search_field facets[] = { FD_FIELD_SOURCE };

        for (size_t qi = 0; qi < sizeof queries / sizeof *queries; qi++) {
                const enum fd_search_sort sort = qi == 4 ? FD_SORT_DATE : FD_SORT_RELEVANCE;
                size_t nwant = walk_offset(idx, queries[qi], sort, want, RANKED + 1);
                ck_assert_uint_eq(nwant, RANKED);
                for (size_t i = 0; i < nwant; i++)
                        for (size_t j = 0; j < i; j++)
                                ck_assert_msg(strcmp(want[i].id, want[j].id) != 0, "offset pages repeat %s", want[i].id);
                struct fd_search_request o = { .q = queries[qi], .limit = limits[qi], .sort = sort,
                                            .facets = facets, .n_facets = qi == 3 };
                size_t ngot = walk_cursor(idx, o, got, RANKED + 1);
                ck_assert_uint_eq(ngot, nwant);
                size_t shared = 0;
                for (size_t i = 0; i < ngot; i++) {
                        ck_assert_msg(strcmp(got[i].id, want[i].id) == 0, "'%s' hit %zu: %s, by offset %s",
                                      queries[qi], i, got[i].id, want[i].id);
                        ck_assert_uint_eq(got[i].sources, want[i].sources);
                        shared += got[i].sources == 2;
                        if (qi == 1 || qi == 2)
                                ck_assert_int_le(labs((long)(got[i].score - want[i].score)), 1);
                        else
                                ck_assert_int_eq(got[i].score, want[i].score);
                        if (sort == FD_SORT_RELEVANCE) {
                                ck_assert_int_le(got[i].score, got[0].score);
                                if (i)
                                        ck_assert_int_le(got[i].score, got[i - 1].score);
                        }
                }
                /* i % 10 == 3 and i % 9 != 0: 27 objects in two sources */
                ck_assert_uint_eq(shared, 27);
                if (qi == 2)
                        ck_assert_int_lt(got[0].score, 100);
        }
}
END_TEST

/* The n bytes of in as unpadded base64url text in out (4 * n / 3 + 2 bytes). */
static void b64url(const unsigned char *in, size_t n, char *out) {
        static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        size_t o = 0;

        for (size_t i = 0; i < n; i += 3) {
                uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0) |
                             (i + 2 < n ? in[i + 2] : 0);
                out[o++] = abc[v >> 18 & 63];
                out[o++] = abc[v >> 12 & 63];
                if (i + 1 < n)
                        out[o++] = abc[v >> 6 & 63];
                if (i + 2 < n)
                        out[o++] = abc[v & 63];
        }
        out[o] = '\0';
}

/* Cursors of another search are refused, and so is a well-formed cursor of
 * the old layout (version 1: a relevance offset). */
START_TEST(test_search_cursor_relevance_refused) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = NULL;
        _fd_cleanup_(fd_index_freep) struct fd_index *idx = ranked_records(&a);
        struct fd_search_request o = { .q = "ocean", .limit = 5 };
        struct fd_error err = {0};
        struct fd_search_result *res = search_opts_ok(idx, &o);
        _fd_free_ char *text = strdup(res->next_cursor);

        fd_search_result_free(res);
        o.cursor = text;
        ck_assert_int_eq(search_status(idx, &o, &err), FD_OK);
        o.q = "data";
        ck_assert_int_eq(search_status(idx, &o, &err), FD_E_INVALID);
        ck_assert_msg(strstr(err.msg, "not a cursor of this search"), "%s", err.msg);
        o.q = "ocean";
        o.sort = FD_SORT_FAIR;
        ck_assert_int_eq(search_status(idx, &o, &err), FD_E_INVALID);

        unsigned char raw[14] = { 1, 0, 0, 0, 0, 0, 0, 0, 0, 100 };
        uint32_t h = (uint32_t)fd_hash(raw, 10);
        char old[32];
        for (int k = 0; k < 4; k++)
                raw[10 + k] = (unsigned char)(h >> (24 - 8 * k));
        b64url(raw, sizeof raw, old);
        o = (struct fd_search_request){ .q = "ocean", .limit = 5, .cursor = old };
        err = (struct fd_error){0};
        ck_assert_int_eq(search_status(idx, &o, &err), FD_E_INVALID);
        ck_assert_msg(strstr(err.msg, "malformed"), "%s", err.msg);
}
END_TEST

/* More records than the offset cap: a relevance search goes on by cursor
 * from a page at the deepest offset, in the order deeper offsets give (the
 * index takes any offset; the daemon caps it). */
START_TEST(test_search_cursor_deep) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = fd_arena_new(1 << 22);
        _fd_cleanup_(fd_index_freep) struct fd_index *idx = open_ok(dbpath, true);
        const int n = FD_INDEX_MAX_OFFSET + 250;
        static struct ranked_hit want[300], got[300];
        size_t nwant = 0, ngot = 0;

        ck_assert_ptr_nonnull(a);
        for (int i = 0; i < n; i++) {
                struct rec_spec s = { .source = "bulk", .access = FD_ACCESS_OPEN };
                if (i % 1000 == 0)
                        fd_arena_reset(a);
                s.id = fd_arena_printf(a, "bulk:%d", i);
                s.title = i % 3 ? "Deep ocean survey" : i % 2 ? "Deep ocean ocean survey" : "Ocean";
                put_ok(idx, a, &s);
        }
        commit_ok(idx);

        for (unsigned off = FD_INDEX_MAX_OFFSET; off < (unsigned)n; off += 100) {
                struct fd_search_result *res = search_ok(idx, "ocean", off, 100);
                collect_hits(res, want, &nwant, 300);
                fd_search_result_free(res);
        }
        ck_assert_uint_eq(nwant, 250);

        struct fd_search_request o = { .q = "ocean", .offset = FD_INDEX_MAX_OFFSET, .limit = 100 };
        _fd_free_ char *cursor = NULL;
        int pages = 0;
        for (;; pages++) {
                struct fd_search_result *res = search_opts_ok(idx, &o);
                const char *next = res->next_cursor;
                collect_hits(res, got, &ngot, 300);
                free(cursor);
                cursor = next ? strdup(next) : NULL;
                fd_search_result_free(res);
                if (!cursor)
                        break;
                o.offset = 0;
                o.cursor = cursor;
        }
        ck_assert_int_eq(pages, 2);
        ck_assert_uint_eq(ngot, nwant);
        for (size_t i = 0; i < ngot; i++)
                ck_assert_msg(strcmp(got[i].id, want[i].id) == 0, "hit %zu past the cap: %s, by offset %s", i,
                              got[i].id, want[i].id);
}
END_TEST

/* Records failing R1.1-license are found by indicator:, as a query prefix
 * and as a filter. */
START_TEST(test_search_indicator) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = fd_arena_new(1 << 20);
        _fd_cleanup_(fd_index_freep) struct fd_index *idx = open_ok(dbpath, true);
        const struct rec_spec *specs[] = { &ocean, &forest, &glacier };
        size_t n_ind = 0, lic = fd_fair_indicator_index("R1.1-license");
        const struct fd_fair_indicator *ind = fd_fair_indicators(&n_ind);
        struct fd_search_request o = { .q = "" };

        ck_assert_uint_ne(lic, SIZE_MAX);
        for (size_t k = 0; k < 3; k++) {
                struct fd_fair_assessment fair = {.n = n_ind, .overall = 50};
                struct fd_error err = {0};
                _fd_free_ char *json = NULL;
                struct fd_record *r = make_record(a, specs[k], &json);
                for (size_t i = 0; i < n_ind; i++)
                        fair.results[i] = (struct fd_fair_result){.outcome = FD_FAIR_PASS, .points = ind[i].max_points};
                if (specs[k] == &glacier)
                        fair.results[lic] = (struct fd_fair_result){.outcome = FD_FAIR_FAIL, .points = 0};
                ck_assert_int_eq(fd_index_put(idx, r, &fair, json, &err), FD_OK);
        }
        commit_ok(idx);

        assert_only_hit(idx, "indicator:R1.1-license:fail", glacier.id);
        ck_assert_int_eq(total_of(idx, "indicator:R1.1-license:pass"), 2);
        ck_assert_int_eq(total_of(idx, "glacier indicator:R1.1-license:pass"), 0);
        ck_assert_int_eq(total_of(idx, "indicator:F1-nosuch:fail"), 0);
        const struct fd_search_filter fail[] = { LIST_FILTER(FD_FIELD_INDICATOR, "R1.1-license:fail") };
        FILTERS(o, fail);
        ck_assert_int_eq(total_opts(idx, &o), 1);
        const struct fd_search_filter either[] = {
                LIST_FILTER(FD_FIELD_INDICATOR, "R1.1-license:fail", "R1.1-license:pass") };
        FILTERS(o, either);
        ck_assert_int_eq(total_opts(idx, &o), 3);
}
END_TEST

static Suite *index_suite(void) {
        Suite *s = suite_create("index");
        TCase *tc = tcase_create("index");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_put_count_get);
        tcase_add_test(tc, test_get_missing);
        tcase_add_test(tc, test_raw_beside_record);
        tcase_add_test(tc, test_search_text);
        tcase_add_test(tc, test_search_filters);
        tcase_add_test(tc, test_search_hits);
        tcase_add_test(tc, test_search_paging);
        tcase_add_test(tc, test_replace_and_delete);
        tcase_add_test(tc, test_changes_and_tombstones);
        tcase_add_test(tc, test_metadata);
        tcase_add_test(tc, test_uncommitted_invisible);
        tcase_add_test(tc, test_reader_survives_commits);
        tcase_add_test(tc, test_long_id);
        tcase_add_test(tc, test_read_only_refuses_writes);
        tcase_add_test(tc, test_locked);
        tcase_add_test(tc, test_corrupt);
        tcase_add_test(tc, test_missing_and_nested);
        tcase_add_test(tc, test_bad_query);
        tcase_add_test(tc, test_schema_mismatch);
        tcase_add_test(tc, test_schema_missing_version);
        suite_add_tcase(s, tc);

        tc = tcase_create("search");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_search_languages);
        tcase_add_test(tc, test_search_structured_filters);
        tcase_add_test(tc, test_search_ranges);
        tcase_add_test(tc, test_search_facets);
        tcase_add_test(tc, test_facet_columns_follow_commits);
        tcase_add_test(tc, test_search_collapse);
        tcase_add_test(tc, test_search_threads);
        tcase_add_test(tc, test_search_sort_fields_snippets);
        tcase_add_test(tc, test_search_spelling);
        tcase_add_test(tc, test_suggest_similar);
        tcase_add_test(tc, test_search_cursor);
        tcase_add_test(tc, test_search_cursor_relevance);
        tcase_add_test(tc, test_search_cursor_relevance_refused);
        tcase_add_test(tc, test_search_indicator);
        tcase_add_test(tc, test_search_versions_any_order);
        tcase_add_test(tc, test_related_many);
        suite_add_tcase(s, tc);

        /* 10,250 and 6,000 records */
        tc = tcase_create("deep");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_set_timeout(tc, 60);
        tcase_add_test(tc, test_search_cursor_deep);
        tcase_add_test(tc, test_spelling_numbered_titles);
        tcase_add_test(tc, test_changes_set_after_deletions);
        tcase_add_test(tc, test_changes_keys_match_sort);
        suite_add_tcase(s, tc);
        return s;
}

FD_TEST_MAIN(index_suite)
