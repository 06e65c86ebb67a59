/* test_fair_real.c: the FAIR rubric on real harvested records.
 *
 * Pages are parsed with fd_oai_parse_page, so the records are what the
 * harvester really gives the rubric (which is why this suite links the
 * harvesters; test_fair.c, on records built field by field, links only
 * fair/).  Our own fixtures in tests/fixtures/fair/ always run; the real
 * files of ../shared/fixtures/oai run when that directory exists and are
 * not run, saying so, when it does not.  Assertions name facts a steward
 * can check in the XML (a handle, an http:// link, oai_dc), not the
 * mappers' details.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fd_test.h"
#include "fd_test_shared.h"

#include "fd_fair.h"
#include "fd_harvesters.h"

static char *slurp(const char *path, size_t *ret_len) {
        FILE *f = fopen(path, "rb");
        char *data;
        long n;

        if (!f)
                return NULL;
        if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
                fclose(f);
                return NULL;
        }
        data = malloc((size_t)n + 1);
        if (data && fread(data, 1, (size_t)n, f) != (size_t)n) {
                free(data);
                data = NULL;
        }
        fclose(f);
        if (data) {
                data[n] = '\0';
                *ret_len = (size_t)n;
        }
        return data;
}

static const char *root(void) {
        const char *r = getenv("FD_SOURCE_ROOT");
        return r && *r ? r : ".";
}

/* The page of file (a path under the source root's parent when shared). */
static struct fd_page *page_of(const char *file, bool shared) {
        char path[4096];
        struct fd_page *page = NULL;
        struct fd_error err = {0};
        size_t len = 0;
        char *data;

        if (shared)
                snprintf(path, sizeof path, "%s/../shared/fixtures/oai/%s", root(), file);
        else
                snprintf(path, sizeof path, "%s/tests/fixtures/fair/%s", root(), file);
        data = slurp(path, &len);
        ck_assert_msg(data != NULL, "cannot read '%s'", path);
        ck_assert_msg(fd_oai_parse_page("real", data, len, NULL, NULL, &page, &err) == FD_OK, "%s: %s", path,
                      err.msg);
        free(data);
        return page;
}

static size_t index_of(const char *id) {
        size_t i = fd_fair_indicator_index(id);
        ck_assert_msg(i != SIZE_MAX, "no indicator '%s'", id);
        return i;
}

static const struct fd_fair_result *res(const struct fd_fair_assessment *a, const char *id) {
        return &a->results[index_of(id)];
}

static void expect(const struct fd_fair_assessment *a, const char *id, enum fd_fair_outcome o) {
        const struct fd_fair_result *r = res(a, id);

        ck_assert_msg(r->outcome == o, "%s: %s, expected %s (%s)", id, fd_fair_outcome_name(r->outcome),
                      fd_fair_outcome_name(o), r->hint ? r->hint : "");
}

/* Outcomes agree with points and hints on every record of the page, and
 * the JSON carries them; returns the first live record's assessment. */
static void assess_page(const struct fd_page *page, struct fd_fair_assessment *ret_first, size_t *ret_live) {
        size_t n, live = 0;
        const struct fd_fair_indicator *ind = fd_fair_indicators(&n);

        for (size_t k = 0; k < page->records.n; k++) {
                const struct fd_record *r = page->records.v[k];
                struct fd_fair_assessment a;
                json_t *j;

                if (r->deleted)
                        continue;
                fd_fair_assess(r, &a);
                for (size_t i = 0; i < n; i++) {
                        const struct fd_fair_result *x = &a.results[i];
                        ck_assert(x->points >= 0 && x->points <= ind[i].max_points);
                        ck_assert((x->outcome == FD_FAIR_PASS) == (x->points == ind[i].max_points && x->outcome != FD_FAIR_NA));
                        ck_assert((x->hint != NULL) == (x->outcome == FD_FAIR_FAIL || x->outcome == FD_FAIR_PARTIAL));
                }
                ck_assert(a.overall >= 0 && a.overall <= 100);
                j = fd_fair_to_json(&a);
                ck_assert_ptr_nonnull(j);
                ck_assert_uint_eq(json_array_size(json_object_get(j, "indicators")), n);
                json_decref(j);
                if (live++ == 0)
                        *ret_first = a;
        }
        *ret_live = live;
}

/* A DCAT record: the first record of a harvested fixture of tests/fixtures/dcat. */
static bool dcat_page(void *ud, struct fd_page *p) {
        struct fd_page **keep = ud;
        if (!*keep && p->records.n) {
                *keep = p;
                return true;
        }
        fd_page_free(p);
        return true;
}

/* The size the R1-content hint asks for is satisfied by a distribution's
 * dcat:byteSize, which the DCAT mapping now reads. */
START_TEST(test_own_dcat_byte_size) {
        char url[4096];
        struct fd_page *page = NULL;
        struct fd_error err = {0};
        struct fd_fair_assessment a;

        snprintf(url, sizeof url, "file://%s/tests/fixtures/dcat/dcatap3_whole.ttl", root());
        struct fd_harvest_opts o = {.source = "t", .url = url, .user_agent = "t"};
        struct fd_harvest_sink s = {.page = dcat_page, .userdata = &page};
        ck_assert_msg(fd_dcat_harvest(&o, NULL, &s, &err) == FD_OK, "%s", err.msg);
        ck_assert_ptr_nonnull(page);
        const struct fd_record *r = NULL;
        for (size_t i = 0; i < page->records.n; i++)
                if (strcmp(page->records.v[i]->local_id, "https://data.example.eu/dataset/air") == 0)
                        r = page->records.v[i];
        ck_assert_ptr_nonnull(r);
        fd_fair_assess(r, &a);
        expect(&a, "R1-content", FD_FAIR_PASS);

        /* the MQA view of the same record: what the fixture states earns its points */
        struct fd_mqa_assessment m;
        fd_mqa_assess(r, &m);
        ck_assert_int_eq(m.max_points, 405 - 50 - 30 - 5);
        ck_assert_int_eq(m.points, 20 + 20 + 20 + 20 + 10 + 10 + 20 + 20 + 30 + 10 + 5);
        ck_assert_str_eq(m.rating, "good");
        ck_assert_int_eq(m.dcat_ap_mandatory_missing, 0);
        ck_assert(m.dcat_ap_recommended_missing & FD_MQA_REC_KEYWORD);
        ck_assert(!(m.dcat_ap_recommended_missing & FD_MQA_REC_SPATIAL));
        json_t *j = fd_mqa_to_json(&m);
        ck_assert_ptr_nonnull(j);
        _fd_free_ char *text = json_dumps(j, JSON_COMPACT);
        ck_assert_ptr_nonnull(strstr(text, "\"id\":\"keyword\",\"dimension\":\"findability\",\"points\":0,"
                                           "\"max_points\":30,\"hint\":\"Add keywords (dcat:keyword).\""));
        ck_assert_ptr_nonnull(strstr(text, "\"not_assessed\":[\"access-url-status\",\"download-url-status\""));
        ck_assert_ptr_nonnull(strstr(text, "\"mandatory_missing\":[]"));
        json_decref(j);

        /* without a description, DCAT-AP compliance fails and says why */
        struct fd_record bare = *r;
        bare.descriptions.n = 0;
        fd_mqa_assess(&bare, &m);
        ck_assert_int_eq(m.dcat_ap_mandatory_missing, 2);
        size_t n, k;
        const struct fd_mqa_indicator *ind = fd_mqa_indicators(&n);
        for (k = 0; k < n && strcmp(ind[k].id, "dcat-ap-compliance") != 0; k++)
                ;
        ck_assert(k < n && m.results[k].points == 0 && strstr(m.results[k].hint, "dct:description"));

        /* read back from its JSON (as stored), the assessment is the same */
        struct fd_mqa_assessment back, full;
        fd_mqa_assess(r, &full);
        json_t *stored = fd_mqa_to_json(&m);
        ck_assert(fd_mqa_from_json(stored, &back));
        ck_assert_int_eq(back.points, m.points);
        ck_assert_int_eq(back.max_points, m.max_points);
        ck_assert_str_eq(back.rating, m.rating);
        ck_assert_uint_eq(back.dcat_ap_mandatory_missing, 2);
        ck_assert_uint_eq(back.dcat_ap_recommended_missing, m.dcat_ap_recommended_missing);
        for (size_t i = 0; i < n; i++) {
                ck_assert_int_eq(back.results[i].assessed, m.results[i].assessed);
                ck_assert_int_eq(back.results[i].points, m.results[i].points);
                ck_assert((back.results[i].hint == NULL) == (m.results[i].hint == NULL));
        }
        json_decref(stored);
        json_t *empty = json_object();
        ck_assert(!fd_mqa_from_json(empty, &back));
        json_decref(empty);

        /* over a source: the record with and the record without a description */
        struct fd_mqa_totals t = {0};
        ck_assert(json_is_null(j = fd_mqa_totals_to_json(&t)));
        json_decref(j);
        fd_mqa_totals_add(&t, &full);
        fd_mqa_totals_add(&t, &m);
        j = fd_mqa_totals_to_json(&t);
        ck_assert_ptr_nonnull(j);
        ck_assert_int_eq(json_integer_value(json_object_get(j, "records")), 2);
        ck_assert_double_eq_tol(json_real_value(json_object_get(j, "points")), (full.points + m.points) / 2.0, 0.05);
        ck_assert_int_eq(json_integer_value(json_object_get(j, "max_points")), 320);
        json_t *first = json_array_get(json_object_get(j, "indicators"), 0);
        /* keyword fails in both (30 points lost a record): what to fix first */
        ck_assert_str_eq(json_string_value(json_object_get(first, "id")), "keyword");
        ck_assert_int_eq(json_integer_value(json_object_get(first, "pass")), 0);
        ck_assert_ptr_nonnull(json_object_get(first, "hint"));
        json_t *e;
        size_t i;
        json_array_foreach(json_object_get(j, "indicators"), i, e) {
                if (strcmp(json_string_value(json_object_get(e, "id")), "dcat-ap-compliance") == 0) {
                        ck_assert_int_eq(json_integer_value(json_object_get(e, "pass")), 1);
                        ck_assert_double_eq_tol(json_real_value(json_object_get(e, "pass_share")), 0.5, 1e-9);
                        ck_assert_double_eq_tol(json_real_value(json_object_get(e, "points")), 15.0, 1e-9);
                }
                /* a hint says what to fix where some record fails */
                ck_assert((json_object_get(e, "hint") != NULL) == (json_integer_value(json_object_get(e, "pass")) < 2));
        }
        json_t *dcat_ap = json_object_get(j, "dcat_ap");
        ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(dcat_ap, "mandatory_missing"),
                                                            "dct:description")), 1);
        ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(dcat_ap, "recommended_missing"),
                                                            "dcat:keyword")), 2);
        json_decref(j);
        fd_page_free(page);
}
END_TEST

START_TEST(test_own_http_only_malformed_doi) {
        struct fd_page *page = page_of("oai_dc_http_only_malformed_doi.xml", false);
        struct fd_fair_assessment a;
        size_t live = 0;

        assess_page(page, &a, &live);
        ck_assert_uint_eq(live, 1);
        expect(&a, "F1-unique", FD_FAIR_PASS);
        expect(&a, "F1-persistent", FD_FAIR_FAIL);
        ck_assert_ptr_nonnull(strstr(res(&a, "F1-persistent")->hint, "Correct"));
        expect(&a, "A1-access-url", FD_FAIR_PARTIAL);
        ck_assert_ptr_nonnull(strstr(res(&a, "A1-access-url")->hint, "https"));
        expect(&a, "R1.1-license", FD_FAIR_PARTIAL);
        expect(&a, "R1.3-formats", FD_FAIR_FAIL);
        expect(&a, "I1-standard", FD_FAIR_PARTIAL);
        fd_page_free(page);
}
END_TEST

START_TEST(test_own_complete_oai_dc) {
        struct fd_page *page = page_of("oai_dc_complete.xml", false);
        struct fd_page *poor = page_of("oai_dc_http_only_malformed_doi.xml", false);
        struct fd_fair_assessment a, b;
        size_t live = 0;

        assess_page(page, &a, &live);
        ck_assert_uint_eq(live, 1);
        expect(&a, "F1-persistent", FD_FAIR_PASS);
        expect(&a, "F2-core", FD_FAIR_PASS);
        expect(&a, "A1-access-url", FD_FAIR_PASS);
        expect(&a, "A1-access-level", FD_FAIR_PASS);
        expect(&a, "R1.1-license", FD_FAIR_PASS);
        expect(&a, "R1.3-formats", FD_FAIR_PASS);
        /* what oai_dc cannot say stays partial or failed */
        expect(&a, "I1-standard", FD_FAIR_PARTIAL);
        expect(&a, "R1.3-community", FD_FAIR_PARTIAL);
        expect(&a, "I3-links", FD_FAIR_FAIL);
        assess_page(poor, &b, &live);
        ck_assert_int_gt(a.overall, b.overall + 20);
        fd_page_free(page);
        fd_page_free(poor);
}
END_TEST

/* The whole DSpace page (81 records, two deleted): every live record has
 * a handle, every one is bare oai_dc. */
START_TEST(test_real_dspace_handles) {
        struct fd_page *page = page_of("pyoai_dspace_eur_listrecords_252k_81records_2deleted.xml", true);
        size_t live = 0;
        struct fd_fair_assessment first;

        assess_page(page, &first, &live);
        ck_assert_uint_eq(live, 79);
        for (size_t k = 0; k < page->records.n; k++) {
                struct fd_fair_assessment a;
                if (page->records.v[k]->deleted)
                        continue;
                fd_fair_assess(page->records.v[k], &a);
                expect(&a, "F1-persistent", FD_FAIR_PASS);
                expect(&a, "I1-standard", FD_FAIR_PARTIAL);
                expect(&a, "R1.3-community", FD_FAIR_PARTIAL);
        }
        fd_page_free(page);
}
END_TEST

/* Twente (Meresco) in oai_dc: only an http:// link, no PID, rights as
 * free text. */
START_TEST(test_real_http_only) {
        struct fd_page *page = page_of("meresco_utwente_listrecords_oaidc_prefix_date_only_datestamp.xml", true);
        struct fd_fair_assessment a;
        size_t live = 0;

        assess_page(page, &a, &live);
        ck_assert_uint_eq(live, 1);
        expect(&a, "F1-unique", FD_FAIR_PASS);
        expect(&a, "F1-persistent", FD_FAIR_FAIL);
        expect(&a, "A1-access-url", FD_FAIR_PARTIAL);
        expect(&a, "I1-standard", FD_FAIR_PARTIAL);
        fd_page_free(page);
}
END_TEST

/* da|ra (GESIS) in oai_dc: a DOI and the whole descriptive core, but bare
 * Dublin Core. */
START_TEST(test_real_dara_oai_dc) {
        struct fd_page *page = page_of("b2find_dara_gesis_oai_dc_multilang_de_en.xml", true);
        struct fd_fair_assessment a;
        size_t live = 0;

        assess_page(page, &a, &live);
        ck_assert_uint_eq(live, 1);
        expect(&a, "F1-persistent", FD_FAIR_PASS);
        expect(&a, "F2-core", FD_FAIR_PASS);
        expect(&a, "A1-access-url", FD_FAIR_PASS);
        expect(&a, "I1-standard", FD_FAIR_PARTIAL);
        fd_page_free(page);
}
END_TEST

/* A ListIdentifiers page has headers only: the rubric finds nothing to
 * credit but the format. */
START_TEST(test_real_headers_only) {
        struct fd_page *page = page_of("phpoaipmh_nsdl_listidentifiers_p1_token_expiration_cursor.xml", true);
        struct fd_fair_assessment a;
        size_t live = 0;

        assess_page(page, &a, &live);
        /* the parser makes a record of each of the 200 headers */
        ck_assert_uint_eq(live, 200);
        expect(&a, "F2-core", FD_FAIR_FAIL);
        ck_assert_int_lt(a.overall, 15);
        fd_page_free(page);
}
END_TEST

/* Every real page that parses: assessments stay consistent. */
START_TEST(test_real_all_pages_consistent) {
        static const char *const files[] = {
                "b2find_ess_openaire_mixed_namespaces.xml",
                "b2find_gfz_fidgeo_oai_datacite_kernel3_default_prefix.xml",
                "b2find_hzb_datacite45_missing_namespace.xml",
                "b2find_inrae_dataverse_getrecord_oai_datacite_kernel41.xml",
                "b2find_ist_oai_dc_html_in_source.xml",
                "b2find_tudatalib_dspace_oai_datacite_no_payload_leaked_ns.xml",
                "meresco_tudelft_listrecords_p1_token_cursor_completelistsize.xml",
                "meresco_utwente_listrecords_oaidc_prefix_date_only_datestamp.xml",
                "vufindharvest_subjectsplus_listrecords_tz_offset_bad_baseurl.xml",
                "xoai_ojs_getrecord_multiple_cdata.xml",
                "invenio_arxiv_listrecords_physics_310k_150records.xml",
        };
        for (size_t i = 0; i < FD_ELEMENTSOF(files); i++) {
                struct fd_page *page = page_of(files[i], true);
                struct fd_fair_assessment a;
                size_t live = 0;
                assess_page(page, &a, &live);
                fd_page_free(page);
        }
}
END_TEST

static Suite *fair_real_suite(void) {
        Suite *s = suite_create("fair_real");
        TCase *tc = tcase_create("records");
        struct shared_case sh = shared_case_new(s, "fair_real", "shared", "../shared/fixtures/oai");

        tcase_add_test(tc, test_own_http_only_malformed_doi);
        tcase_add_test(tc, test_own_dcat_byte_size);
        tcase_add_test(tc, test_own_complete_oai_dc);
        suite_add_tcase(s, tc);
        shared_case_add_test(&sh, test_real_dspace_handles);
        shared_case_add_test(&sh, test_real_http_only);
        shared_case_add_test(&sh, test_real_dara_oai_dc);
        shared_case_add_test(&sh, test_real_headers_only);
        shared_case_add_test(&sh, test_real_all_pages_consistent);
        shared_case_finish(&sh);
        return s;
}

FD_TEST_MAIN(fair_real_suite)
