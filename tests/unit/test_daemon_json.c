/* test_daemon_json.c: the protocol's JSON for the index's typed requests
 * and answers (daemon/json_search.c, daemon/json_fair.c), on requests and
 * answers built by hand: no index, no daemon. */
#include <check.h>
#include <stdlib.h>

#include "fd_test.h"
#include "json_index.h"

static json_t *parse(const char *text) {
        json_error_t jerr;
        json_t *j = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);

        ck_assert_msg(j != NULL, "%s: %s", text, jerr.text);
        return j;
}

/* The compact text of j (members in their order), consuming j. */
static char *text_of(json_t *j) {
        char *t;

        ck_assert_ptr_nonnull(j);
        t = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(j);
        ck_assert_ptr_nonnull(t);
        return t;
}

START_TEST(test_search_lists) {
        json_t *req = parse("{\"filters\":{\"type\":[\"Dataset\",\"Image\"],\"year\":{\"from\":2015,\"to\":2019},"
                            "\"fair\":{\"to\":50},\"indicator\":[\"R1.1-license:fail\"]},"
                            "\"facets\":[\"source\",\"year\",\"source\"],\"fields\":[\"titles\"]}");
        struct fd_json_search s = {0};
        struct fd_error err = {0};

        ck_assert_int_eq(fd_json_search_lists(req, &s, &err), FD_OK);
        ck_assert_uint_eq(s.req.n_filters, 4);
        ck_assert_int_eq(s.req.filters[0].field, FD_FIELD_TYPE);
        ck_assert_uint_eq(s.req.filters[0].n_values, 2);
        ck_assert_str_eq(s.req.filters[0].values[1], "Image");
        ck_assert_int_eq(s.req.filters[1].field, FD_FIELD_YEAR);
        ck_assert(s.req.filters[1].has_from && s.req.filters[1].has_to);
        ck_assert_int_eq(s.req.filters[1].from, 2015);
        ck_assert_int_eq(s.req.filters[1].to, 2019);
        ck_assert_int_eq(s.req.filters[2].field, FD_FIELD_FAIR);
        ck_assert(!s.req.filters[2].has_from && s.req.filters[2].has_to);
        ck_assert_int_eq(s.req.filters[3].field, FD_FIELD_INDICATOR);
        ck_assert_str_eq(s.req.filters[3].values[0], "R1.1-license:fail");
        /* facets as asked (the index counts a field once) */
        ck_assert_uint_eq(s.req.n_facets, 3);
        ck_assert_int_eq(s.req.facets[1], FD_FIELD_YEAR);
        ck_assert(s.req.record_json);
        ck_assert_ptr_eq(s.fields, json_object_get(req, "fields"));
        json_decref(req);

        /* nothing asked: nothing read, no stored record wanted */
        req = parse("{\"fields\":[]}");
        s = (struct fd_json_search){0};
        ck_assert_int_eq(fd_json_search_lists(req, &s, &err), FD_OK);
        ck_assert_uint_eq(s.req.n_filters + s.req.n_facets, 0);
        ck_assert(!s.req.record_json);
        json_decref(req);
}
END_TEST

/* Each wrong shape is refused naming what is wrong, in the words
 * search.cc used when the index checked them. */
START_TEST(test_search_lists_refused) {
        static const struct {
                const char *req, *msg;
        } bad[] = {
                { "{\"filters\":{\"colour\":[\"red\"]}}",
                  "unknown filter 'colour' (known: type, source, lang, license, access, year, fair, indicator, bbox, during)" },
                { "{\"filters\":{\"type\":\"Dataset\"}}", "filter 'type' must be a list of 1 to 64 strings" },
                { "{\"filters\":{\"type\":[]}}", "filter 'type' must be a list of 1 to 64 strings" },
                { "{\"filters\":{\"lang\":[\"\"]}}", "filter 'lang' must hold non-empty strings of at most 200 bytes" },
                { "{\"filters\":{\"year\":{\"from\":\"2015\"}}}",
                  "filter 'year.from' must be an integer from -1000000 to 1000000" },
                { "{\"filters\":{\"fair\":{\"to\":1000001}}}",
                  "filter 'fair.to' must be an integer from -1000000 to 1000000" },
                { "{\"filters\":{\"year\":{\"since\":1}}}", "filter 'year' has no field 'since' (from, to)" },
                { "{\"filters\":{\"fair\":5}}", "filter 'fair' must be an object {\"from\":N,\"to\":N}" },
                { "{\"filters\":[]}", "'filters' must be an object" },
                { "{\"filters\":null}", "'filters' must be an object" },
                { "{\"facets\":[\"colour\"]}",
                  "unknown facet 'colour' (known: source, type, license, access, lang, year, fair, subject, affiliation, funder, discipline)" },
                { "{\"facets\":[\"indicator\"]}",
                  "unknown facet 'indicator' (known: source, type, license, access, lang, year, fair, subject, affiliation, funder, discipline)" },
                { "{\"facets\":{}}", "'facets' must be a list of at most 16 names" },
                { "{\"facets\":[1]}", "'facets' must hold facet names (strings)" },
                { "{\"fields\":\"titles\"}", "'fields' must be a list of at most 32 record field names" },
                { "{\"fields\":[\"\"]}", "'fields' must hold record field names (strings)" },
        };

        for (size_t i = 0; i < FD_ELEMENTSOF(bad); i++) {
                json_t *req = parse(bad[i].req);
                struct fd_json_search s = {0};
                struct fd_error err = {0};

                ck_assert_msg(fd_json_search_lists(req, &s, &err) == FD_E_INVALID, "%s accepted", bad[i].req);
                ck_assert_str_eq(err.msg, bad[i].msg);
                json_decref(req);
        }
}
END_TEST

START_TEST(test_search_answer) {
        static const char *const two[] = { "a", "b" }, *const one[] = { "b" };
        static const struct fd_index_count sources[] = { { "a", 2 }, { "b", 1 } };
        const struct fd_search_hit hits[] = {
                { .id = "a:1", .source = "a", .title = "T", .doi = "10.1/x", .sources = two, .n_sources = 2,
                  .score = 87, .year = 2019, .fair = 60, .snippet_title = "<b>T</b>",
                  .record_json = "{\"id\":\"other\",\"titles\":[{\"value\":\"T\"}],\"x\":1}" },
                { .id = "b:2", .source = "b", .sources = one, .n_sources = 1, .score = 5, .fair = -1 },
        };
        const struct fd_search_facet facets[] = { { FD_FIELD_SOURCE, sources, 2 } };
        struct fd_search_result res = { .total = 2, .total_exact = true, .snippets = true, .hits = hits, .n_hits = 2,
                                        .facets = facets, .n_facets = 1, .next_cursor = "CUR",
                                        .did_you_mean = "tee" };
        json_t *fields = parse("[\"titles\",\"id\",\"nosuch\"]");
        char *t = text_of(fd_json_search_result(&res, fields));

        /* members in the protocol's order; fields last, never replacing */
        ck_assert_str_eq(t, "{\"total\":2,\"total_exact\":true,\"hits\":[{\"id\":\"a:1\",\"source\":\"a\","
                            "\"sources\":[\"a\",\"b\"],\"title\":\"T\",\"score\":87,\"doi\":\"10.1/x\","
                            "\"year\":2019,\"fair\":60,\"snippets\":{\"title\":\"<b>T</b>\"},"
                            "\"titles\":[{\"value\":\"T\"}]},{\"id\":\"b:2\",\"source\":\"b\",\"sources\":[\"b\"],"
                            "\"score\":5,\"snippets\":{}}],\"next_cursor\":\"CUR\",\"facets\":{\"source\":"
                            "[{\"value\":\"a\",\"count\":2},{\"value\":\"b\",\"count\":1}]},\"did_you_mean\":\"tee\"}");
        free(t);
        json_decref(fields);

        /* the last page of a search without snippets or facets */
        res = (struct fd_search_result){ .total = 1, .hits = hits + 1, .n_hits = 1 };
        t = text_of(fd_json_search_result(&res, NULL));
        ck_assert_str_eq(t, "{\"total\":1,\"total_exact\":false,\"hits\":[{\"id\":\"b:2\",\"source\":\"b\","
                            "\"sources\":[\"b\"],\"score\":5}]}");
        free(t);

        res = (struct fd_search_result){ .suggestions = sources, .n_suggestions = 1 };
        t = text_of(fd_json_suggest_result(&res));
        ck_assert_str_eq(t, "{\"suggestions\":[{\"value\":\"a\",\"count\":2}]}");
        free(t);
        res = (struct fd_search_result){ 0 };
        t = text_of(fd_json_suggest_result(&res));
        ck_assert_str_eq(t, "{\"suggestions\":[]}");
        free(t);
}
END_TEST

/* Issue 16's request members and answers: bbox and during read into the
 * typed filters, labelled facets, versions, and `related`. */
START_TEST(test_linked_json) {
        json_t *req = parse("{\"filters\":{\"bbox\":[175,-30.5,-175,0],\"during\":{\"from\":\"1990\",\"to\":\"2000-06\"}},"
                            "\"facets\":[\"affiliation\",\"discipline\"]}");
        struct fd_json_search s = {0};
        struct fd_error err = {0};

        ck_assert_int_eq(fd_json_search_lists(req, &s, &err), FD_OK);
        ck_assert_uint_eq(s.req.n_filters, 2);
        ck_assert_int_eq(s.req.filters[0].field, FD_FIELD_BBOX);
        ck_assert(s.req.filters[0].box[0] == 175 && s.req.filters[0].box[1] == -30.5 &&
                  s.req.filters[0].box[2] == -175 && s.req.filters[0].box[3] == 0);
        ck_assert_int_eq(s.req.filters[1].field, FD_FIELD_DURING);
        ck_assert_int_eq(s.req.filters[1].from, 19900101);
        ck_assert_int_eq(s.req.filters[1].to, 20000631);
        ck_assert_int_eq(s.req.facets[1], FD_FIELD_DISCIPLINE);
        json_decref(req);

        static const char *const bad[] = {
                "{\"filters\":{\"bbox\":[0,0,1]}}",           "{\"filters\":{\"bbox\":[0,91,1,92]}}",
                "{\"filters\":{\"bbox\":[0,5,1,4]}}",         "{\"filters\":{\"during\":{\"from\":\"x\"}}}",
                "{\"filters\":{\"during\":{\"to\":1990}}}",   "{\"filters\":{\"during\":{\"from\":\"2001\",\"to\":\"2000\"}}}",
                "{\"filters\":{\"during\":[\"1990\"]}}",
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                req = parse(bad[i]);
                s = (struct fd_json_search){0};
                ck_assert_msg(fd_json_search_lists(req, &s, &err) == FD_E_INVALID, "%s accepted", bad[i]);
                json_decref(req);
        }

        static const struct fd_index_count aff[] = { { "02jx3x895", 5, "University College London" }, { "0abc", 1, NULL } };
        static const char *const vers[] = { "a:2", "a:1" };
        const struct fd_search_hit hits[] = {
                { .id = "a:3", .source = "a", .fair = -1, .versions = vers, .n_versions = 2 },
                { .id = "b:1", .source = "b", .fair = -1 },
        };
        const struct fd_search_facet facets[] = { { FD_FIELD_AFFILIATION, aff, 2 } };
        struct fd_search_result res = { .total = 2, .total_exact = true, .versions = true, .hits = hits, .n_hits = 2,
                                        .facets = facets, .n_facets = 1 };
        char *t = text_of(fd_json_search_result(&res, NULL));
        ck_assert_str_eq(t, "{\"total\":2,\"total_exact\":true,\"hits\":[{\"id\":\"a:3\",\"source\":\"a\",\"sources\":[],"
                            "\"score\":0,\"versions\":[\"a:2\",\"a:1\"]},{\"id\":\"b:1\",\"source\":\"b\",\"sources\":[],"
                            "\"score\":0,\"versions\":[]}],\"facets\":{\"affiliation\":[{\"value\":\"02jx3x895\",\"count\":5,"
                            "\"label\":\"University College London\"},{\"value\":\"0abc\",\"count\":1}]}}");
        free(t);

        const struct fd_related_record recs[] = { { "b:1", "b", "Article" }, { "c:1", "c", NULL } };
        const struct fd_related_link links[] = {
                { "IsSupplementTo", false, "10.1/art", recs, 2 },
                { "", true, "a:9", NULL, 0 },
        };
        const struct fd_related_result rel = { "a:1", links, 2, NULL };
        t = text_of(fd_json_related_result(&rel));
        ck_assert_str_eq(t, "{\"id\":\"a:1\",\"links\":[{\"relation\":\"IsSupplementTo\",\"direction\":\"out\","
                            "\"identifier\":\"10.1/art\",\"records\":[{\"id\":\"b:1\",\"source\":\"b\",\"title\":\"Article\"},"
                            "{\"id\":\"c:1\",\"source\":\"c\"}]},{\"relation\":\"\",\"direction\":\"in\",\"identifier\":\"a:9\","
                            "\"records\":[]}]}");
        free(t);
}
END_TEST

START_TEST(test_fair_answer) {
        size_t n_ind = 0;
        const struct fd_fair_indicator *ind = fd_fair_indicators(&n_ind);
        const struct fd_fair_indicator_stats stats[] = {
                { .indicator = &ind[0], .pass = 1, .partial = 0, .fail = 2, .na = 0, .fail_share = 0.667,
                  .lift = 12.5 },
        };
        const struct fd_fair_worst worst[] = {
                { .id = "z:1", .title = "Low", .overall = 10, .score = { 20, 10, 5, 0 },
                  .record_json = "{\"fair\":{\"indicators\":["
                                 "{\"id\":\"A\",\"outcome\":\"partial\",\"points\":1,\"max_points\":2,\"hint\":\"a\"},"
                                 "{\"id\":\"B\",\"outcome\":\"fail\",\"points\":0,\"max_points\":3,\"hint\":\"b\"},"
                                 "{\"id\":\"C\",\"outcome\":\"n/a\",\"points\":0,\"max_points\":9,\"hint\":\"c\"}]}}" },
                { .id = "z:2", .overall = 30, .score = { 30, 30, 30, 30 }, .record_json = "{}" },
        };
        static const struct fd_index_count licenses[] = { { "CC-BY-3.0-FR", 2 } }, rubrics[] = { { "0.2", 3 } };
        struct fd_fair_report rep = {
                .source = "zenodo", .records = 3, .scored = 2,
                .overall = { .mean = 20.0, .bands = { 2, 0, 0, 0 }, .histogram = { 0, 1, 0, 1 } },
                .indicators = stats, .n_indicators = 1, .worst = worst, .n_worst = 2,
                .licenses = licenses, .n_licenses = 1, .licenses_truncated = true,
                .rubrics = rubrics, .n_rubrics = 1,
        };
        json_t *o = fd_json_fair_report(&rep), *w, *i0;
        const char *key;
        json_t *v;
        char keys[512] = "";
        size_t n = 0;

        ck_assert_ptr_nonnull(o);
        json_object_foreach(o, key, v)
                n += (size_t)snprintf(keys + n, sizeof keys - n, "%s ", key);
        ck_assert_str_eq(keys, "source rubric records scored scores indicators worst unrecognised_licenses "
                               "unrecognised_licenses_truncated rubrics ");
        ck_assert_str_eq(json_string_value(json_object_get(o, "rubric")), FD_FAIR_RUBRIC_VERSION);
        ck_assert(json_is_real(json_object_get(json_object_get(json_object_get(o, "scores"), "overall"), "mean")));
        ck_assert_uint_eq(json_array_size(json_object_get(json_object_get(json_object_get(o, "scores"), "R"),
                                                          "histogram")), 10);
        i0 = json_array_get(json_object_get(o, "indicators"), 0);
        ck_assert_str_eq(json_string_value(json_object_get(i0, "id")), ind[0].id);
        ck_assert_int_eq(json_integer_value(json_object_get(i0, "fail")), 2);
        ck_assert(json_real_value(json_object_get(i0, "lift")) == 12.5);
        /* the fix: the indicator losing the most points, n/a aside */
        w = json_array_get(json_object_get(o, "worst"), 0);
        ck_assert_str_eq(json_string_value(json_object_get(json_object_get(w, "fix"), "id")), "B");
        ck_assert_str_eq(json_string_value(json_object_get(json_object_get(w, "fix"), "hint")), "b");
        ck_assert_int_eq(json_integer_value(json_object_get(w, "F")), 20);
        w = json_array_get(json_object_get(o, "worst"), 1);
        ck_assert(json_is_null(json_object_get(w, "title")));
        ck_assert(json_is_null(json_object_get(w, "fix")));
        ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(o, "rubrics"), "0.2")), 3);
        json_decref(o);

        /* a summary of every source */
        rep = (struct fd_fair_report){ .records = 3, .summary = true };
        char *t = text_of(fd_json_fair_report(&rep));
        ck_assert_ptr_nonnull(strstr(t, "{\"source\":null,\"rubric\":\"" FD_FAIR_RUBRIC_VERSION "\",\"records\":3,"
                                        "\"scored\":0,\"scores\":{\"overall\":{\"mean\":0.0,\"bands\":[0,0,0,0],"));
        ck_assert_ptr_null(strstr(t, "indicators"));
        free(t);
}
END_TEST

static Suite *json_suite(void) {
        Suite *s = suite_create("daemon_json");
        TCase *tc = tcase_create("json");

        tcase_add_test(tc, test_search_lists);
        tcase_add_test(tc, test_search_lists_refused);
        tcase_add_test(tc, test_search_answer);
        tcase_add_test(tc, test_fair_answer);
        tcase_add_test(tc, test_linked_json);
        suite_add_tcase(s, tc);
        return s;
}

FD_TEST_MAIN(json_suite)
