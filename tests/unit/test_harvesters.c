/* test_harvesters.c: the OAI-PMH parser, the oai_dc mapper, checkpoints,
 * HTTP and the harvest driver.
 *
 * Real responses from other projects are parsed in place from
 * $FD_SOURCE_ROOT/../shared/fixtures/oai (not run, saying so, when absent);
 * our own small fixtures in tests/fixtures/oai cover each quirk so the
 * suite stands alone.  The driver runs against a real HTTP server: a thread
 * on 127.0.0.1 (ephemeral port) answering canned pages by request target,
 * with scripted failures (503 + Retry-After, 500, HTML with 200).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <unistd.h>

#include <check.h>
#include <zlib.h>

#include "fd_test.h"
#include "fd_test_record.h"
#include "fd_test_http.h"
#include "fd_test_shared.h"

#include "fd_harvesters.h"
#include "harvesters-private.h"

/* ---- helpers ------------------------------------------------------------------ */

static char *path_of(const char *rel) {
        const char *root = getenv("FD_SOURCE_ROOT");
        char *p = NULL;
        ck_assert_int_ge(asprintf(&p, "%s/%s", root ? root : ".", rel), 0);
        return p;
}

static char *own_fixture(const char *name) {
        char rel[512];
        snprintf(rel, sizeof rel, "tests/fixtures/oai/%s", name);
        return path_of(rel);
}

static char *shared_fixture(const char *name) {
        char rel[512];
        snprintf(rel, sizeof rel, "../shared/fixtures/oai/%s", name);
        return path_of(rel);
}

struct warns {
        char msg[64][FD_ERROR_MAX];
        size_t n;
};

static void collect_warn(void *ud, const char *msg) {
        struct warns *w = ud;
        if (w->n < 64)
                snprintf(w->msg[w->n++], FD_ERROR_MAX, "%s", msg);
}

static bool warned(const struct warns *w, const char *needle) {
        for (size_t i = 0; i < w->n; i++)
                if (strstr(w->msg[i], needle))
                        return true;
        return false;
}

/* Parses a file with fd_oai_parse_page; NULL page (and *skip) when absent. */
static enum fd_status parse_path(const char *path, struct warns *w, struct fd_page **ret, struct fd_error *err,
                                 bool *skip) {
        size_t len;
        _fd_free_ char *data = fd_test_slurp(path, &len);
        if (!data) {
                *skip = true;
                return FD_OK;
        }
        *skip = false;
        return fd_oai_parse_page("src", data, len, collect_warn, w, ret, err);
}

/* The checks of shared fixtures run only when ../shared/fixtures/oai is
 * there (see the suite), so a file missing from it is a failure. */
#define SHARED_PAGE(name, page, st, err, w)                                                          \
        struct fd_page *page = NULL;                                                                 \
        struct fd_error err = {0};                                                                   \
        struct warns w = {0};                                                                        \
        bool skip_##page;                                                                            \
        _fd_free_ char *path_##page = shared_fixture(name);                                          \
        enum fd_status st = parse_path(path_##page, &w, &page, &err, &skip_##page);                  \
        ck_assert_msg(!skip_##page, "shared fixture %s missing", path_##page);

static struct fd_page *parse_own(const char *name, struct warns *w) {
        struct fd_page *page = NULL;
        struct fd_error err = {0};
        bool skip;
        _fd_free_ char *path = own_fixture(name);
        enum fd_status st = parse_path(path, w, &page, &err, &skip);
        ck_assert_msg(!skip, "own fixture %s missing", path);
        ck_assert_msg(st == FD_OK, "%s: %s", name, err.msg);
        return page;
}

static enum fd_status parse_own_fail(const char *name, struct fd_error *err) {
        struct fd_page *page = NULL;
        struct warns w = {0};
        bool skip;
        _fd_free_ char *path = own_fixture(name);
        enum fd_status st = parse_path(path, &w, &page, err, &skip);
        ck_assert_msg(!skip, "own fixture %s missing", path);
        ck_assert_msg(st != FD_OK, "%s parsed", name);
        ck_assert_ptr_null(page);
        return st;
}

static const struct fd_record *find_rec(const struct fd_page *p, const char *local_id) {
        for (size_t i = 0; i < p->records.n; i++)
                if (p->records.v[i]->local_id && strcmp(p->records.v[i]->local_id, local_id) == 0)
                        return p->records.v[i];
        return NULL;
}

static const struct fd_text *title_lang(const struct fd_record *r, const char *lang) {
        for (size_t i = 0; i < r->titles.n; i++)
                if (r->titles.v[i].lang && strcmp(r->titles.v[i].lang, lang) == 0)
                        return &r->titles.v[i];
        return NULL;
}

static bool has_identifier(const struct fd_record *r, const char *v) {
        for (size_t i = 0; i < r->identifiers.n; i++)
                if (strcmp(r->identifiers.v[i].value, v) == 0)
                        return true;
        return false;
}

static size_t count_deleted(const struct fd_page *p) {
        size_t n = 0;
        for (size_t i = 0; i < p->records.n; i++)
                n += p->records.v[i]->deleted;
        return n;
}

/* ---- real fixtures --------------------------------------------------------------- */

START_TEST(real_tudelft_token)
{
        SHARED_PAGE("meresco_tudelft_listrecords_p1_token_cursor_completelistsize.xml", p, st, err, w);
        ck_assert_msg(st == FD_OK, "%s", err.msg);
        ck_assert_uint_eq(p->records.n, 3);
        ck_assert_str_eq(p->token, "TestToken");
        ck_assert_int_eq(p->complete_list_size, 113);
        ck_assert_str_eq(p->response_date, "2004-12-29T13:19:27Z");
        ck_assert_ptr_null(p->error_code);
        const struct fd_record *r = p->records.v[0];
        ck_assert_str_eq(r->id, "src:oai:tudelft.nl:007087");
        ck_assert_str_eq(r->local_id, "oai:tudelft.nl:007087");
        ck_assert_str_eq(r->source, "src");
        ck_assert_str_eq(r->format, "oai_dc");
        ck_assert_str_eq(r->datestamp, "2003-12-19T12:45:41Z");
        ck_assert(!r->deleted);
        ck_assert_str_eq(fd_record_title(r),
                         "Semi-analytical long-arc satellite orbit computation and the estimation of time-varying "
                         "gravity parameters");
        ck_assert_uint_eq(r->creators.n, 1);
        ck_assert_uint_eq(r->contributors.n, 1);
        ck_assert_uint_eq(r->subjects.n, 3);
        ck_assert_str_eq(r->publisher, "Delft University Press");
        /* &amp; in the URL came back as & */
        ck_assert(has_str(&r->urls, "http://content.library.tudelft.nl/intradoc-cgi/nph-idc_cgi.exe/"
                                    "ae_bruinsma_20030121.pdf?IdcService=GET_FILE&dID=8802&dDocName=007087"));
        ck_assert_uint_eq(p->n_skipped, 0);
        fd_page_free(p);
}
END_TEST

START_TEST(real_utwente_oaidc_prefix)
{
        SHARED_PAGE("meresco_utwente_listrecords_oaidc_prefix_date_only_datestamp.xml", p, st, err, w);
        ck_assert_msg(st == FD_OK, "%s", err.msg);
        ck_assert_uint_eq(p->records.n, 1);
        const struct fd_record *r = p->records.v[0];
        ck_assert_str_eq(r->local_id, "oai:so:41383");
        ck_assert_str_eq(fd_record_title(r), "Service discovery at home");
        ck_assert_uint_eq(r->creators.n, 4);
        ck_assert_str_eq(r->datestamp, "2004-12-09");
        ck_assert_uint_eq(r->sets.n, 1);
        ck_assert_str_eq(r->sets.v[0], "withfulltext:yes");
        ck_assert_uint_eq(r->dates.n, 0);
        ck_assert_ptr_null(p->token);
        fd_page_free(p);
}
END_TEST

START_TEST(real_pyoai_81_records)
{
        SHARED_PAGE("pyoai_dspace_eur_listrecords_252k_81records_2deleted.xml", p, st, err, w);
        ck_assert_msg(st == FD_OK, "%s", err.msg);
        ck_assert_uint_eq(p->records.n, 81);
        ck_assert_uint_eq(count_deleted(p), 2);
        ck_assert_uint_eq(p->n_skipped, 0);
        ck_assert_ptr_null(p->token);
        for (size_t i = 0; i < p->records.n; i++) {
                const struct fd_record *r = p->records.v[i];
                ck_assert_ptr_nonnull(r->local_id);
                ck_assert(strncmp(r->local_id, "hdl:1765/", 9) == 0);
                if (r->deleted) {
                        /* the header repeats <setSpec>1:1</setSpec> */
                        ck_assert_uint_eq(r->sets.n, 1);
                        ck_assert_uint_eq(r->titles.n, 0);
                        ck_assert_str_eq(r->format, "oai_dc");
                } else
                        ck_assert_ptr_nonnull(fd_record_title(r));
        }
        ck_assert_str_eq(p->records.v[0]->local_id, "hdl:1765/9");
        fd_page_free(p);
}
END_TEST

START_TEST(real_dara_multilang)
{
        SHARED_PAGE("b2find_dara_gesis_oai_dc_multilang_de_en.xml", p, st, err, w);
        ck_assert_msg(st == FD_OK, "%s", err.msg);
        ck_assert_uint_eq(p->records.n, 1);
        const struct fd_record *r = p->records.v[0];
        ck_assert_str_eq(r->id, "src:oai:oai.da-ra.de:9367");
        const struct fd_text *de = title_lang(r, "de"), *en = title_lang(r, "en");
        ck_assert_ptr_nonnull(de);
        ck_assert_ptr_nonnull(en);
        ck_assert_str_eq(de->value,
                         "Entwicklung der Gesundheitsverh\xc3\xa4ltnisse in Deutschland seit der Industrialisierung, "
                         "1850 bis 1975");
        ck_assert(has_str(&r->languages, "de"));
        ck_assert_ptr_nonnull(r->doi);
        ck_assert_str_eq(r->doi, "10.4232/1.11727");
        ck_assert_uint_eq(r->descriptions.n, 2);
        ck_assert_str_eq(r->resource_type, "Dataset");
        fd_page_free(p);
}
END_TEST

START_TEST(real_ojs_cdata)
{
        SHARED_PAGE("xoai_ojs_getrecord_multiple_cdata.xml", p, st, err, w);
        ck_assert_msg(st == FD_OK, "%s", err.msg);
        ck_assert_uint_eq(p->records.n, 1);
        const struct fd_record *r = p->records.v[0];
        ck_assert_str_eq(fd_record_title(r), "Article Title-additional CDATA");
        ck_assert_uint_eq(r->sets.n, 2);
        ck_assert_str_eq(r->sets.v[0], "spmfr:EDI");
        fd_page_free(p);
}
END_TEST

START_TEST(real_subjectsplus_tz_offset)
{
        SHARED_PAGE("vufindharvest_subjectsplus_listrecords_tz_offset_bad_baseurl.xml", p, st, err, w);
        ck_assert_msg(st == FD_OK, "%s", err.msg);
        ck_assert_uint_eq(p->records.n, 1);
        const struct fd_record *r = p->records.v[0];
        ck_assert_str_eq(r->id, "src:1");
        ck_assert_str_eq(r->datestamp, "2023-03-30");
        ck_assert_str_eq(fd_record_title(r), "General");
        ck_assert_uint_eq(r->descriptions.n, 0);
        ck_assert_str_eq(p->response_date, "2023-03-30T16:02:12+05:45");
        ck_assert(has_str(&r->languages, "en"));
        fd_page_free(p);
}
END_TEST

START_TEST(real_ist_altidentifier)
{
        SHARED_PAGE("b2find_ist_oai_dc_html_in_source.xml", p, st, err, w);
        ck_assert_msg(st == FD_OK, "%s", err.msg);
        ck_assert_uint_eq(p->records.n, 1);
        const struct fd_record *r = p->records.v[0];
        ck_assert_ptr_nonnull(r->doi);
        ck_assert_str_eq(r->doi, "10.15479/at:ista:92");
        ck_assert_str_eq(r->resource_type, "Dataset");
        ck_assert_int_eq(r->access, FD_ACCESS_OPEN);
        ck_assert(has_str(&r->urls, "https://research-explorer.app.ist.ac.at/record/5580"));
        ck_assert_uint_eq(r->sets.n, 5);
        fd_page_free(p);
}
END_TEST

/* A body that is not XML at all is FD_E_PROTOCOL, not FD_E_PARSE: no root
 * element was ever seen, so this is a peer that answered something other
 * than OAI-PMH (a proxy, a crashed endpoint), not a damaged OAI-PMH document
 * worth retrying as is. */
START_TEST(real_cessda_not_xml)
{
        SHARED_PAGE("cessda_error_body_not_xml.xml", p, st, err, w);
        ck_assert_int_eq(st, FD_E_PROTOCOL);
        ck_assert_ptr_null(p);
        ck_assert_msg(strstr(err.msg, "not an OAI-PMH response: not XML"), "%s", err.msg);
        ck_assert_msg(strstr(err.msg, "Whatever this file is"), "%s", err.msg);
}
END_TEST

START_TEST(real_pyoai_undefined_entity)
{
        SHARED_PAGE("pyoai_malformed_undefined_entity.xml", p, st, err, w);
        ck_assert_int_eq(st, FD_E_PARSE);
        ck_assert_ptr_null(p);
        ck_assert_msg(strstr(err.msg, "at line 1, col "), "%s", err.msg);
        ck_assert_msg(strstr(err.msg, "bogus"), "%s", err.msg);
}
END_TEST

START_TEST(real_norecordsmatch)
{
        SHARED_PAGE("meresco_utwente_error_norecordsmatch.xml", p, st, err, w);
        ck_assert_msg(st == FD_OK, "%s", err.msg);
        ck_assert_str_eq(p->error_code, "noRecordsMatch");
        ck_assert_str_eq(p->error_message, "The combination of the values of arguments results in an empty set");
        ck_assert_uint_eq(p->records.n, 0);
        fd_page_free(p);
}
END_TEST

START_TEST(real_arxiv_badresumptiontoken)
{
        SHARED_PAGE("arxiv_error_badresumptiontoken.xml", p, st, err, w);
        ck_assert_msg(st == FD_OK, "%s", err.msg);
        ck_assert_str_eq(p->error_code, "badResumptionToken");
        ck_assert_uint_eq(p->records.n, 0);
        ck_assert_ptr_null(p->token);
        fd_page_free(p);
}
END_TEST

/* Stray 0xC2 lead bytes and a raw 0x06 in dc:description: the filter
 * replaces them before parsing, the record survives, the warning names it. */
START_TEST(real_citebase_invalid_chars)
{
        SHARED_PAGE("httpoai_citebase_getrecord_invalid_control_chars.xml", p, st, err, w);
        ck_assert_msg(st == FD_OK, "%s", err.msg);
        ck_assert_uint_eq(p->records.n, 1);
        const struct fd_record *r = p->records.v[0];
        ck_assert_uint_ge(r->descriptions.n, 1);
        ck_assert_msg(strstr(r->descriptions.v[0].value, "\xEF\xBF\xBD"), "%s", r->descriptions.v[0].value);
        ck_assert_msg(warned(&w, "record 'oai:arXiv.org:hep-th/0001001' repaired"), "%s", w.n ? w.msg[0] : "none");
        ck_assert_msg(warned(&w, "byte offset "), "%s", w.msg[0]);
        fd_page_free(p);
}
END_TEST

/* ---- every shared fixture: what it must give ------------------------------------------ */

struct fixture_case {
        const char *file;
        enum fd_status status;  /* what fd_oai_parse_page gives */
        long records;           /* mapped records (-1: not checked) */
        long skipped;
        bool bare;              /* a metadata document: wrapped, then mapped */
        const char *format;     /* r->format of the first record, or NULL */
};

static const struct fixture_case fixture_cases[] = {
        {"arxiv_error_badargument_no_request_attrs.xml", FD_OK, 0, 0, false, NULL},
        {"arxiv_error_badresumptiontoken.xml", FD_OK, 0, 0, false, NULL},
        {"arxiv_error_norecordsmatch_unknown_set.xml", FD_OK, 0, 0, false, NULL},
        {"b2find_dara_gesis_oai_dc_multilang_de_en.xml", FD_OK, 1, 0, false, "oai_dc"},
        {"b2find_ess_openaire_mixed_namespaces.xml", FD_OK, 1, 0, false, "datacite"},
        {"b2find_gfz_fidgeo_oai_datacite_kernel3_default_prefix.xml", FD_OK, 1, 0, false, "oai_datacite"},
        {"b2find_hzb_datacite45_missing_namespace.xml", FD_OK, 1, 0, false, "datacite"},
        {"b2find_inrae_dataverse_getrecord_oai_datacite_kernel41.xml", FD_OK, 1, 0, false, "datacite"},
        {"b2find_ist_oai_dc_html_in_source.xml", FD_OK, 1, 0, false, "oai_dc"},
        {"b2find_tudatalib_dspace_oai_datacite_no_payload_leaked_ns.xml", FD_OK, 1, 0, false, "oai_datacite"},
        {"bepress_error_iddoesnotexist.xml", FD_OK, 0, 0, false, NULL},
        /* not XML at all: a protocol failure, never a parse of garbage */
        {"cessda_error_body_not_xml.xml", FD_E_PROTOCOL, -1, -1, false, NULL},
        {"datacite_kernel43_datapaper_utf8_bom.xml", FD_OK, 1, 0, true, "datacite"},
        {"datacite_kernel4_full_example_all_properties.xml", FD_OK, 1, 0, true, "datacite"},
        {"datacite_kernel4_geolocation_utf8_bom.xml", FD_OK, 1, 0, true, "datacite"},
        {"dataverse_datacite45_unav_placeholder_title.xml", FD_OK, 1, 0, true, "datacite"},
        {"httpoai_citebase_eprints_identify_day_granularity_year0001.xml", FD_OK, 0, 0, false, NULL},
        {"httpoai_citebase_getrecord_invalid_control_chars.xml", FD_OK, 1, 0, false, "oai_dc"},
        /* the arXiv format is not one we map: each record skipped, the page kept */
        {"invenio_arxiv_getrecord_no_namespace.xml", FD_OK, 0, 1, false, NULL},
        {"invenio_arxiv_listrecords_physics_310k_150records.xml", FD_OK, 0, 150, false, NULL},
        {"meresco_tudelft_listrecords_p1_token_cursor_completelistsize.xml", FD_OK, 3, 0, false, "oai_dc"},
        {"meresco_utwente_error_norecordsmatch.xml", FD_OK, 0, 0, false, NULL},
        {"meresco_utwente_listrecords_oaidc_prefix_date_only_datestamp.xml", FD_OK, 1, 0, false, "oai_dc"},
        {"openaire_lit_v4_journalarticle_sample.xml", FD_OK, 1, 0, true, "oai_openaire"},
        {"phpoaipmh_nsdl_listidentifiers_p1_token_expiration_cursor.xml", FD_OK, 200, 0, false, NULL},
        {"phpoaipmh_nsdl_listidentifiers_p4_final_empty_token_with_attrs.xml", FD_OK, 133, 0, false, NULL},
        {"pyoai_dspace_eur_listrecords_252k_81records_2deleted.xml", FD_OK, 81, 0, false, "oai_dc"},
        {"pyoai_dspace_eur_listsets_hierarchical_setspec.xml", FD_OK, 0, 0, false, NULL},
        /* an undefined entity is not something to repair: the page fails */
        {"pyoai_malformed_undefined_entity.xml", FD_E_PARSE, -1, -1, false, NULL},
        {"pyoai_oaicat_eur_identify_seconds_compression.xml", FD_OK, 0, 0, false, NULL},
        {"sickle_error_nosethierarchy_spec_example.xml", FD_OK, 0, 0, false, NULL},
        {"sickle_listidentifiers_deleted_token_no_expiration.xml", FD_OK, 2, 0, false, NULL},
        {"sickle_listmetadataformats_epicur_xmetadissplus_mods.xml", FD_OK, 0, 0, false, NULL},
        {"ukds_error_cannotdisseminateformat_stylesheet_pi.xml", FD_OK, 0, 0, false, NULL},
        {"ukds_getrecord_deleted_numeric_identifier.xml", FD_OK, 1, 0, false, NULL},
        {"vufindharvest_error_nonstandard_code.xml", FD_OK, 0, 0, false, NULL},
        {"vufindharvest_subjectsplus_listrecords_tz_offset_bad_baseurl.xml", FD_OK, 1, 0, false, "oai_dc"},
        {"xoai_ojs_getrecord_multiple_cdata.xml", FD_OK, 1, 0, false, "oai_dc"},
        {"xoai_scielo_listsets_cdata_setspec.xml", FD_OK, 0, 0, false, NULL},
};

/* One iteration per shared fixture (the loop index picks it). */
START_TEST(real_fixture_outcome)
{
        const struct fixture_case *fc = &fixture_cases[_i];
        _fd_free_ char *path = shared_fixture(fc->file);
        size_t len;
        _fd_free_ char *data = fd_test_slurp(path, &len);
        ck_assert_msg(data != NULL, "shared fixture %s missing", path);
        _fd_free_ char *wrapped = NULL;
        if (fc->bare) {
                wrapped = fd_test_wrap_bare(data, len, &len);
        }
        struct fd_page *p = NULL;
        struct fd_error err = {0};
        struct warns w = {0};
        enum fd_status st = fd_oai_parse_page("src", wrapped ? wrapped : data, len, collect_warn, &w, &p, &err);
        ck_assert_msg(st == fc->status, "%s: status %d, want %d: %s", fc->file, st, fc->status, err.msg);
        if (st != FD_OK) {
                ck_assert_ptr_null(p);
                ck_assert_msg(strstr(err.msg, "'response'"), "%s: error names no place: %s", fc->file, err.msg);
                return;
        }
        if (fc->records >= 0)
                ck_assert_msg(p->records.n == (size_t)fc->records, "%s: %zu records, want %ld", fc->file,
                              p->records.n, fc->records);
        if (fc->skipped >= 0)
                ck_assert_msg(p->n_skipped == (size_t)fc->skipped, "%s: %zu skipped, want %ld", fc->file,
                              p->n_skipped, fc->skipped);
        if (fc->format && p->records.n)
                ck_assert_str_eq(p->records.v[0]->format, fc->format);
        for (size_t i = 0; i < p->records.n; i++) {
                json_t *j = fd_record_to_json(p->records.v[i]);
                ck_assert_ptr_nonnull(j);
                json_decref(j);
        }
        fd_page_free(p);
}
END_TEST

static struct fd_page *parse_shared_bare(const char *name, struct warns *w) {
        _fd_free_ char *path = shared_fixture(name);
        size_t len;
        _fd_free_ char *data = fd_test_slurp(path, &len);
        ck_assert_msg(data != NULL, "shared fixture %s missing", path);
        _fd_free_ char *wrapped = fd_test_wrap_bare(data, len, &len);
        struct fd_page *p = NULL;
        struct fd_error err = {0};
        ck_assert_msg(fd_oai_parse_page("src", wrapped, len, collect_warn, w, &p, &err) == FD_OK, "%s", err.msg);
        ck_assert_uint_eq(p->records.n, 1);
        return p;
}

static const struct fd_related *related_to(const struct fd_record *r, const char *v) {
        for (size_t i = 0; i < r->related.n; i++)
                if (strcmp(r->related.v[i].value, v) == 0)
                        return &r->related.v[i];
        return NULL;
}

START_TEST(real_datacite_full_example)
{
        struct warns w = {0};
        struct fd_page *p = parse_shared_bare("datacite_kernel4_full_example_all_properties.xml", &w);
        const struct fd_record *r = p->records.v[0];
        ck_assert_str_eq(r->doi, "10.82433/b09z-4k37");
        ck_assert_str_eq(r->resource_type, "Dataset");
        ck_assert_str_eq(r->resource_type_raw, "Example ResourceType");
        /* nameIdentifier " https://orcid.org/…" with a leading space */
        const struct fd_agent *c = &r->creators.v[0];
        ck_assert_str_eq(c->orcid, "0000-0001-5727-2427");
        ck_assert_str_eq(c->ror, "04wxnsj81");
        ck_assert_str_eq(c->affiliation, "ExampleAffiliation");
        ck_assert_ptr_nonnull(agent_named(&r->contributors, "ExampleOrganization"));
        ck_assert_str_eq(r->publisher, "Example Publisher");
        ck_assert_str_eq(r->publisher_id, "04z8jg394");
        const struct fd_text *tt = title_lang(r, "fr");
        ck_assert_ptr_nonnull(tt);
        ck_assert_str_eq(tt->type, "TranslatedTitle");
        ck_assert_str_eq(r->descriptions.v[0].type, "Abstract");
        bool coded = false;
        for (size_t i = 0; i < r->subjects.n; i++)
                if (r->subjects.v[i].code && strcmp(r->subjects.v[i].code, "461001") == 0)
                        coded = true;
        ck_assert(coded);
        ck_assert_ptr_nonnull(date_typed(r, "withdrawn"));
        ck_assert_str_eq(r->licenses.v[0].spdx, "CC-BY-4.0");
        ck_assert_uint_eq(r->funding.n, 1);
        ck_assert_str_eq(r->funding.v[0].funder_id, "https://doi.org/10.13039/501100000780");
        ck_assert_str_eq(r->funding.v[0].funder_id_type, "Crossref Funder ID");
        ck_assert_str_eq(r->funding.v[0].award, "12345");
        ck_assert_uint_eq(r->geo_locations.n, 1);
        ck_assert(r->geo_locations.v[0].has_point && r->geo_locations.v[0].has_box);
        ck_assert(r->geo_locations.v[0].lat > 49.28 && r->geo_locations.v[0].lat < 49.29);
        ck_assert(has_str(&r->sizes, "90 pages"));
        ck_assert(has_str(&r->formats, "application/xml"));
        ck_assert_str_eq(r->version, "1");
        ck_assert(has_str(&r->languages, "en"));
        const struct fd_related *rel = related_to(r, "10.1016/j.epsl.2011.11.037");
        ck_assert_ptr_nonnull(rel);
        ck_assert_str_eq(rel->relation, "IsContinuedBy");
        /* relatedItems describe other works: their titles are not this record's */
        for (size_t i = 0; i < r->titles.n; i++)
                ck_assert_msg(!strstr(r->titles.v[i].value, "RelatedItem"), "%s", r->titles.v[i].value);
        ck_assert_uint_eq(w.n, 0);
        fd_page_free(p);
}
END_TEST

START_TEST(real_datacite_geolocation_bom)
{
        struct warns w = {0};
        struct fd_page *p = parse_shared_bare("datacite_kernel4_geolocation_utf8_bom.xml", &w);
        const struct fd_record *r = p->records.v[0];
        ck_assert_uint_eq(r->geo_locations.n, 1);
        ck_assert_str_eq(r->geo_locations.v[0].place, "Disko Bay");
        ck_assert(r->geo_locations.v[0].has_point);
        ck_assert(r->geo_locations.v[0].lat == 69.0 && r->geo_locations.v[0].lon == -52.0);
        ck_assert_str_eq(r->subjects.v[0].code, "551");
        fd_page_free(p);
}
END_TEST

START_TEST(real_dataverse_unav)
{
        struct warns w = {0};
        struct fd_page *p = parse_shared_bare("dataverse_datacite45_unav_placeholder_title.xml", &w);
        const struct fd_record *r = p->records.v[0];
        ck_assert_uint_eq(r->titles.n, 0);
        ck_assert_ptr_null(fd_record_title(r));
        ck_assert_str_eq(r->resource_type, "Dataset");
        ck_assert_int_eq(r->access, FD_ACCESS_OPEN);
        fd_page_free(p);
}
END_TEST

START_TEST(real_openaire_v4_sample)
{
        struct warns w = {0};
        struct fd_page *p = parse_shared_bare("openaire_lit_v4_journalarticle_sample.xml", &w);
        const struct fd_record *r = p->records.v[0];
        ck_assert_str_eq(r->format, "oai_openaire");
        ck_assert_str_eq(r->doi, "10.1002/chem.201701589");
        ck_assert_str_eq(r->resource_type, "JournalArticle");
        ck_assert_int_eq(r->access, FD_ACCESS_OPEN);
        ck_assert_str_eq(r->licenses.v[0].spdx, "CC-BY-NC-4.0");
        ck_assert_uint_eq(r->funding.n, 1);
        ck_assert_str_eq(r->funding.v[0].award, "660668");
        ck_assert_ptr_null(r->funding.v[0].funder_id);  /* empty funderIdentifier */
        ck_assert_str_eq(agent_named(&r->creators, "Wallentin, Carl\xE2\x80\x90Johan")->orcid, "0000-0003-1983-9378");
        ck_assert_ptr_nonnull(title_lang(r, "en"));
        ck_assert(has_str(&r->languages, "en"));
        ck_assert(has_str(&r->download_urls, "http://europepmc.org/articles/PMC5574022?pdf=render"));
        ck_assert(has_identifier(r, "PMID:PMC5574022"));
        ck_assert_str_eq(r->publisher, "John Wiley and Sons Inc.");
        ck_assert_str_eq(r->version, "SMUR");
        fd_page_free(p);
}
END_TEST

START_TEST(real_b2find_datacite_quirks)
{
        SHARED_PAGE("b2find_gfz_fidgeo_oai_datacite_kernel3_default_prefix.xml", p, st, err, w);
        ck_assert_msg(st == FD_OK, "%s", err.msg);
        const struct fd_record *r = p->records.v[0];
        ck_assert_str_eq(r->doi, "10.5880/fidgeo.2017.006");
        ck_assert_str_eq(r->creators.v[0].orcid, "0000-0002-6763-7204");
        ck_assert(r->geo_locations.n == 1 && r->geo_locations.v[0].has_box);
        ck_assert(r->geo_locations.v[0].west == 67.5 && r->geo_locations.v[0].north == 45.0);
        fd_page_free(p);

        struct fd_error e2 = {0};
        struct warns w2 = {0};
        struct fd_page *q = NULL;
        bool skip;
        _fd_free_ char *path = shared_fixture("b2find_hzb_datacite45_missing_namespace.xml");
        ck_assert_int_eq(parse_path(path, &w2, &q, &e2, &skip), FD_OK);
        r = q->records.v[0];
        ck_assert_str_eq(fd_record_title(r), "Change of magnetic order by non-magnetic dilution in the quasicrystal "
                                             "approximant TbCd6 and icosahedral quasicrystal i-Tb-Cd");
        ck_assert_int_eq(r->identifiers.v[0].scheme, FD_PID_HANDLE);
        ck_assert_str_eq(related_to(r, "10.5442/ni000001")->relation, "IsCollectedBy");
        ck_assert_str_eq(r->contributors.v[0].name, "Kreyßig, Andreas");
        fd_page_free(q);

        q = NULL;
        _fd_free_ char *path2 = shared_fixture("b2find_tudatalib_dspace_oai_datacite_no_payload_leaked_ns.xml");
        ck_assert_int_eq(parse_path(path2, &w2, &q, &e2, &skip), FD_OK);
        r = q->records.v[0];
        ck_assert_str_eq(r->doi, "10.25534/tudatalib-306");
        ck_assert_str_eq(related_to(r, "10.1002/admt.202000160")->relation, "IsSupplementTo");
        ck_assert(has_str(&r->urls, "https://tudatalib.ulb.tu-darmstadt.de/handle/tudatalib/2460"));
        fd_page_free(q);

        q = NULL;
        _fd_free_ char *path3 = shared_fixture("b2find_ess_openaire_mixed_namespaces.xml");
        ck_assert_int_eq(parse_path(path3, &w2, &q, &e2, &skip), FD_OK);
        r = q->records.v[0];
        ck_assert_str_eq(fd_record_title(r), "Sample Data from V20");
        ck_assert_str_eq(r->creators.v[0].name, "Tobias Richter");
        ck_assert_str_eq(r->doi, "10.17199/brightness/v200111");
        fd_page_free(q);
}
END_TEST

/* ---- own DataCite / OpenAIRE fixtures ---------------------------------------------- */

START_TEST(own_datacite_kernel3_default_prefix)
{
        struct warns w = {0};
        struct fd_page *p = parse_own("datacite_kernel3_default_prefix.xml", &w);
        ck_assert_uint_eq(p->records.n, 1);
        const struct fd_record *r = p->records.v[0];
        ck_assert_str_eq(r->format, "oai_datacite");
        ck_assert_str_eq(r->doi, "10.5880/fidgeo.2017.006");
        ck_assert_str_eq(r->creators.v[0].orcid, "0000-0002-6763-7204");
        ck_assert_str_eq(r->creators.v[0].affiliation, "Universitat Potsdam");
        ck_assert_str_eq(fd_record_title(r), "Snowmelt parameters");
        ck_assert_str_eq(r->subjects.v[0].scheme, "GCMD");
        ck_assert_str_eq(date_typed(r, "created")->value, "2017-06-29");
        ck_assert_str_eq(date_typed(r, "issued")->value, "2017");  /* from publicationYear */
        ck_assert_str_eq(r->resource_type, "Dataset");
        ck_assert(has_str(&r->sizes, "794638 Bytes"));
        ck_assert(has_str(&r->formats, "application/x-zip-compressed"));
        ck_assert_str_eq(r->version, "1.0");
        ck_assert_str_eq(r->licenses.v[0].spdx, "CC-BY-4.0");
        ck_assert_uint_eq(r->geo_locations.n, 1);
        const struct fd_geo *g = &r->geo_locations.v[0];
        ck_assert_str_eq(g->place, "High Mountain Asia");
        ck_assert(g->has_box && g->south == 25.0 && g->west == 67.5 && g->north == 45.0 && g->east == 95.0);
        ck_assert(g->has_point && g->lat == 31.5 && g->lon == 80.25);
        ck_assert(has_str(&r->sets, "DOIDB.FID"));
        fd_page_free(p);
}
END_TEST

START_TEST(own_datacite_no_namespace)
{
        struct warns w = {0};
        struct fd_page *p = parse_own("datacite_resource_no_namespace.xml", &w);
        ck_assert_uint_eq(p->records.n, 1);
        const struct fd_record *r = p->records.v[0];
        ck_assert_str_eq(r->format, "datacite");
        ck_assert_str_eq(fd_record_title(r), "Change of magnetic order");
        ck_assert_uint_eq(r->titles.n, 1);  /* not the relatedItem's */
        ck_assert_str_eq(r->identifiers.v[0].value, "21.11151/74ix-jvpa");
        ck_assert_int_eq(r->identifiers.v[0].scheme, FD_PID_HANDLE);
        ck_assert_ptr_null(r->doi);
        ck_assert_str_eq(related_to(r, "10.5442/ni000001")->relation, "IsCollectedBy");
        ck_assert_str_eq(r->publisher, "Helmholtz-Zentrum Berlin");
        ck_assert_str_eq(r->contributors.v[0].name, "Kreyssig, Andreas");
        ck_assert_str_eq(r->contributors.v[0].role, "Other");
        ck_assert_str_eq(date_typed(r, "collected")->value, "2016-06-14T06:00:00Z");
        ck_assert_str_eq(r->resource_type, "Other");
        ck_assert_str_eq(r->resource_type_raw, "Investigation");
        ck_assert_uint_eq(r->geo_locations.n, 0);  /* the empty one is dropped */
        fd_page_free(p);
}
END_TEST

START_TEST(own_datacite_no_payload)
{
        struct warns w = {0};
        struct fd_page *p = parse_own("datacite_no_payload_leaked_ns.xml", &w);
        ck_assert_uint_eq(p->records.n, 1);
        const struct fd_record *r = p->records.v[0];
        ck_assert_str_eq(r->format, "oai_datacite");
        ck_assert_str_eq(r->doi, "10.25534/tudatalib-306");
        ck_assert(has_str(&r->urls, "https://tudatalib.example.org/handle/tudatalib/2460"));
        ck_assert_str_eq(r->creators.v[0].orcid, "0000-0002-8134-5144");
        ck_assert_str_eq(r->creators.v[0].ror, "05n911h24");
        ck_assert_str_eq(related_to(r, "10.1002/admt.202000160")->relation, "IsSupplementTo");
        ck_assert_int_eq(r->access, FD_ACCESS_OPEN);
        bool odc = false;
        for (size_t i = 0; i < r->licenses.n; i++)
                odc |= r->licenses.v[i].spdx && strcmp(r->licenses.v[i].spdx, "ODC-By-1.0") == 0;
        ck_assert(odc);
        ck_assert_str_eq(r->resource_type, "Software");
        fd_page_free(p);
}
END_TEST

START_TEST(own_openaire_mixed_namespaces)
{
        struct warns w = {0};
        struct fd_page *p = parse_own("openaire_mixed_namespaces.xml", &w);
        ck_assert_uint_eq(p->records.n, 1);
        const struct fd_record *r = p->records.v[0];
        ck_assert_str_eq(r->local_id, "10.17199/BRIGHTNESS/V200111");
        ck_assert_str_eq(r->datestamp, "2020-01-01");
        ck_assert(has_str(&r->sets, "openaire_data"));
        ck_assert_str_eq(fd_record_title(r), "Sample Data from V20");
        ck_assert_str_eq(r->creators.v[0].name, "Tobias Richter");
        ck_assert_str_eq(r->creators.v[0].affiliation, "ESS");
        ck_assert_str_eq(r->doi, "10.17199/brightness/v200111");
        /* Issued wins over publicationYear */
        ck_assert_str_eq(date_typed(r, "issued")->value, "2020-01-01");
        ck_assert_uint_eq(r->dates.n, 1);
        ck_assert_int_eq(r->access, FD_ACCESS_OPEN);
        fd_page_free(p);
}
END_TEST

START_TEST(own_openaire_v4)
{
        struct warns w = {0};
        struct fd_page *p = parse_own("openaire_v4_record.xml", &w);
        ck_assert_uint_eq(p->records.n, 1);
        const struct fd_record *r = p->records.v[0];
        ck_assert_str_eq(r->format, "oai_openaire");
        ck_assert_str_eq(r->creators.v[0].orcid, "0000-0003-1983-9378");
        ck_assert_str_eq(r->funding.v[0].funder, "European Commission");
        ck_assert_str_eq(r->funding.v[0].funder_id, "https://doi.org/10.13039/501100000780");
        ck_assert_str_eq(r->funding.v[0].funder_id_type, "Crossref Funder ID");
        ck_assert_str_eq(r->funding.v[0].award_title, "ACT against AMR");
        ck_assert_str_eq(r->doi, "10.1002/chem.201701589");
        ck_assert(has_identifier(r, "PMID:PMC5574022"));
        ck_assert_str_eq(related_to(r, "0947-6539")->relation, "IsPartOf");
        ck_assert_ptr_nonnull(title_lang(r, "en"));
        ck_assert_str_eq(r->descriptions.v[0].value, "Visible-light photoredox catalysis.");
        ck_assert(has_str(&r->languages, "en"));
        ck_assert_str_eq(r->resource_type, "JournalArticle");
        ck_assert_str_eq(r->resource_type_raw, "journal article");
        ck_assert_str_eq(r->publisher, "John Wiley and Sons Inc.");
        ck_assert_str_eq(r->version, "SMUR");
        ck_assert_int_eq(r->access, FD_ACCESS_OPEN);
        ck_assert_str_eq(r->licenses.v[0].spdx, "CC-BY-NC-4.0");
        ck_assert_str_eq(r->subjects.v[0].code, "540");
        ck_assert(has_str(&r->download_urls, "http://europepmc.org/articles/PMC5574022?pdf=render"));
        ck_assert(has_str(&r->formats, "application/pdf"));
        fd_page_free(p);
}
END_TEST

START_TEST(own_datacite_unav)
{
        struct warns w = {0};
        struct fd_page *p = parse_own("datacite_unav_title.xml", &w);
        ck_assert_uint_eq(p->records.n, 1);
        const struct fd_record *r = p->records.v[0];
        ck_assert_uint_eq(r->titles.n, 0);
        ck_assert_uint_eq(r->creators.n, 0);
        ck_assert_str_eq(r->publisher_id, "04z8jg394");
        ck_assert_str_eq(r->resource_type, "Dataset");
        json_t *j = fd_record_to_json(r);
        ck_assert_str_eq(json_string_value(json_object_get(j, "publisher_id")), "04z8jg394");
        json_decref(j);
        fd_page_free(p);
}
END_TEST

START_TEST(own_bom_and_geo)
{
        struct warns w = {0};
        struct fd_page *p = parse_own("bom_utf8_record.xml", &w);
        ck_assert_uint_eq(p->records.n, 1);
        const struct fd_record *r = p->records.v[0];
        ck_assert_str_eq(fd_record_title(r), "Grönland");
        ck_assert_msg(warned(&w, "'response' starts with a UTF-8 byte-order mark (byte offset 0)"), "%s",
                      w.n ? w.msg[0] : "none");
        ck_assert_uint_eq(r->geo_locations.n, 2);
        ck_assert(r->geo_locations.v[0].has_point && r->geo_locations.v[0].lat == 69.0);
        const struct fd_geo *poly = &r->geo_locations.v[1];
        ck_assert(poly->has_box && poly->west == -10 && poly->east == 5 && poly->south == 40 && poly->north == 50);
        json_t *j = fd_record_to_json(r);
        json_t *geo = json_object_get(j, "geo_locations");
        ck_assert_uint_eq(json_array_size(geo), 2);
        ck_assert(json_real_value(json_object_get(json_object_get(json_array_get(geo, 0), "point"), "lat")) == 69.0);
        ck_assert(json_real_value(json_object_get(json_object_get(json_array_get(geo, 1), "box"), "west")) == -10.0);
        json_decref(j);
        fd_page_free(p);
}
END_TEST

START_TEST(own_latin1_declared)
{
        struct warns w = {0};
        struct fd_page *p = parse_own("latin1_declared.xml", &w);
        ck_assert_str_eq(fd_record_title(p->records.v[0]), "Café crème");
        ck_assert_uint_eq(w.n, 0);
        fd_page_free(p);

        struct warns w2 = {0};
        p = parse_own("latin1_declared_but_utf8.xml", &w2);
        ck_assert_str_eq(fd_record_title(p->records.v[0]), "Café crème");
        ck_assert_msg(warned(&w2, "'response' declares encoding 'ISO-8859-1' but holds UTF-8 (byte offset "), "%s",
                      w2.n ? w2.msg[0] : "none");
        fd_page_free(p);
}
END_TEST

START_TEST(own_invalid_char_references)
{
        struct warns w = {0};
        struct fd_page *p = parse_own("invalid_char_references.xml", &w);
        ck_assert_uint_eq(p->records.n, 2);
        ck_assert_str_eq(fd_record_title(p->records.v[0]),
                         "Math \xEF\xBF\xBD and \xEF\xBF\xBD and \xEF\xBF\xBD end");
        ck_assert_str_eq(fd_record_title(p->records.v[1]),
                         "Clean \xC3\xA9 \xF0\x9D\x90\x80 \xF0\x9D\x90\x80 r\xC3\xA9sum\xC3\xA9");
        ck_assert_uint_eq(w.n, 1);
        ck_assert_msg(warned(&w, "record 'oai:x:1' repaired: a reference to a character XML forbids replaced by "
                                 "U+FFFD at byte offset "), "%s", w.msg[0]);
        fd_page_free(p);
}
END_TEST

/* The filter's result does not depend on where chunks are cut. */
START_TEST(repair_any_chunking)
{
        _fd_free_ char *path = own_fixture("invalid_char_references.xml");
        size_t len;
        _fd_free_ char *data = fd_test_slurp(path, &len);
        ck_assert_ptr_nonnull(data);
        static const size_t sizes[] = {1, 2, 3, 5, 7, 13, 97, 4096};
        for (size_t k = 0; k < FD_ELEMENTSOF(sizes); k++) {
                struct fd_page *page = NULL;
                struct fd_oai_parser *ps = NULL;
                struct fd_error err = {0};
                struct warns w = {0};
                struct fd_oai_parser_opts o = {.source = "src", .warn = collect_warn, .ud = &w};
                ck_assert_int_eq(fd_page_new("src", NULL, 0, &page, &err), FD_OK);
                ck_assert_int_eq(fd_oai_parser_new(&o, page, &ps, &err), FD_OK);
                for (size_t off = 0; off < len; off += sizes[k]) {
                        size_t n = len - off < sizes[k] ? len - off : sizes[k];
                        ck_assert_msg(fd_oai_parser_feed(ps, data + off, n, &err) == FD_OK, "%zu: %s", sizes[k],
                                      err.msg);
                }
                ck_assert_msg(fd_oai_parser_finish(ps, &err) == FD_OK, "%s", err.msg);
                ck_assert_uint_eq(page->records.n, 2);
                ck_assert_str_eq(fd_record_title(page->records.v[0]),
                                 "Math \xEF\xBF\xBD and \xEF\xBF\xBD and \xEF\xBF\xBD end");
                ck_assert_str_eq(fd_record_title(page->records.v[1]),
                                 "Clean \xC3\xA9 \xF0\x9D\x90\x80 \xF0\x9D\x90\x80 r\xC3\xA9sum\xC3\xA9");
                ck_assert_msg(warned(&w, "record 'oai:x:1' repaired"), "chunk %zu", sizes[k]);
                fd_oai_parser_free(ps);
                fd_page_free(page);
        }
}
END_TEST

/* Identify, ListMetadataFormats and ListSets elements reach opts.field. */
struct fields {
        char v[32][96];
        size_t n;
};

static void collect_field(void *ud, const char *name, const char *value) {
        struct fields *f = ud;
        if (f->n < 32)
                snprintf(f->v[f->n++], sizeof f->v[0], "%s=%s", name, value);
}

static bool has_field(const struct fields *f, const char *s) {
        for (size_t i = 0; i < f->n; i++)
                if (strcmp(f->v[i], s) == 0)
                        return true;
        return false;
}

static void parse_fields(const char *path, struct fields *f) {
        size_t len;
        _fd_free_ char *data = fd_test_slurp(path, &len);
        ck_assert_ptr_nonnull(data);
        struct fd_page *page = NULL;
        struct fd_oai_parser *ps = NULL;
        struct fd_error err = {0};
        struct fd_oai_parser_opts o = {.source = "src", .field = collect_field, .ud = f};
        ck_assert_int_eq(fd_page_new("src", NULL, 0, &page, &err), FD_OK);
        ck_assert_int_eq(fd_oai_parser_new(&o, page, &ps, &err), FD_OK);
        ck_assert_msg(fd_oai_parser_feed(ps, data, len, &err) == FD_OK && fd_oai_parser_finish(ps, &err) == FD_OK,
                      "%s", err.msg);
        fd_oai_parser_free(ps);
        fd_page_free(page);
}

START_TEST(real_identify_and_lists_fields)
{
        _fd_free_ char *p1 = shared_fixture("pyoai_oaicat_eur_identify_seconds_compression.xml");
        struct fields f = {0};
        parse_fields(p1, &f);
        ck_assert(has_field(&f, "granularity=YYYY-MM-DDThh:mm:ssZ"));
        ck_assert(has_field(&f, "deletedRecord=no"));
        ck_assert(has_field(&f, "compression=gzip"));
        ck_assert(has_field(&f, "compression=deflate"));

        struct fields f2 = {0};
        _fd_free_ char *p2 = shared_fixture("httpoai_citebase_eprints_identify_day_granularity_year0001.xml");
        parse_fields(p2, &f2);
        ck_assert(has_field(&f2, "granularity=YYYY-MM-DD"));
        ck_assert(has_field(&f2, "deletedRecord=transient"));
        ck_assert(has_field(&f2, "earliestDatestamp=0001-01-01"));

        struct fields f3 = {0};
        _fd_free_ char *p3 = shared_fixture("sickle_listmetadataformats_epicur_xmetadissplus_mods.xml");
        parse_fields(p3, &f3);
        ck_assert(has_field(&f3, "metadataPrefix=oai_dc"));
        ck_assert(has_field(&f3, "metadataPrefix=mods"));

        struct fields f4 = {0};
        _fd_free_ char *p4 = shared_fixture("pyoai_dspace_eur_listsets_hierarchical_setspec.xml");
        parse_fields(p4, &f4);
        ck_assert(has_field(&f4, "setSpec=3:5"));

        struct fields f5 = {0};
        _fd_free_ char *p5 = shared_fixture("xoai_scielo_listsets_cdata_setspec.xml");
        parse_fields(p5, &f5);
        ck_assert_uint_gt(f5.n, 0);
}
END_TEST

/* ---- own fixtures ------------------------------------------------------------------ */

START_TEST(own_xxe_not_resolved)
{
        struct fd_page *p = NULL;
        struct fd_error err = {0};
        struct warns w = {0};
        bool skip;
        _fd_free_ char *path = own_fixture("xxe_external_entity.xml");
        enum fd_status st = parse_path(path, &w, &p, &err, &skip);
        ck_assert(!skip);
        if (st == FD_OK) {
                for (size_t i = 0; i < p->records.n; i++)
                        for (size_t j = 0; j < p->records.v[i]->titles.n; j++)
                                ck_assert(!strstr(p->records.v[i]->titles.v[j].value, "root:"));
                fd_page_free(p);
        } else {
                ck_assert_int_eq(st, FD_E_PARSE);
                ck_assert_msg(strstr(err.msg, "xxe"), "%s", err.msg);
                ck_assert(!strstr(err.msg, "root:"));
        }
}
END_TEST

START_TEST(own_billion_laughs_bounded)
{
        struct fd_page *p = NULL;
        struct fd_error err = {0};
        struct warns w = {0};
        bool skip;
        _fd_free_ char *path = own_fixture("billion_laughs.xml");
        int64_t t0 = fd_time_mono_ms();
        enum fd_status st = parse_path(path, &w, &p, &err, &skip);
        int64_t ms = fd_time_mono_ms() - t0;
        ck_assert(!skip);
        ck_assert_msg(ms < 5000, "took %lld ms", (long long)ms);
        if (st == FD_OK) {
                /* bounded: the record is skipped as oversized or its title stayed small */
                for (size_t i = 0; i < p->records.n; i++)
                        for (size_t j = 0; j < p->records.v[i]->titles.n; j++)
                                ck_assert_uint_le(strlen(p->records.v[i]->titles.v[j].value), FD_RECORD_MAX_TEXT);
                fd_page_free(p);
        } else
                ck_assert_int_eq(st, FD_E_PARSE);
}
END_TEST

START_TEST(own_html_200)
{
        struct fd_error err = {0};
        ck_assert_int_eq(parse_own_fail("html_error_page_200.html", &err), FD_E_PROTOCOL);
        ck_assert_msg(strstr(err.msg, "'response' is not an OAI-PMH response (root element 'html')"), "%s",
                      err.msg);
}
END_TEST

START_TEST(own_not_xml)
{
        struct fd_error err = {0};
        ck_assert_int_eq(parse_own_fail("not_xml_body.txt", &err), FD_E_PROTOCOL);
        ck_assert_msg(strstr(err.msg, "not XML"), "%s", err.msg);

        struct fd_page *p = NULL;
        ck_assert_int_eq(fd_oai_parse_page("src", "  \n", 3, NULL, NULL, &p, &err), FD_E_PROTOCOL);
        ck_assert_msg(strstr(err.msg, "empty body"), "%s", err.msg);
        ck_assert_int_eq(fd_oai_parse_page("src", "", 0, NULL, NULL, &p, &err), FD_E_PROTOCOL);
        ck_assert_ptr_null(p);
}
END_TEST

START_TEST(own_static_repository)
{
        struct warns w = {0};
        struct fd_page *p = parse_own("static_repository.xml", &w);
        /* the list of the other prefix is ignored, not skipped */
        ck_assert_uint_eq(p->records.n, 5);
        ck_assert_uint_eq(p->n_skipped, 0);
        ck_assert_ptr_null(find_rec(p, "oai:static.example.org:other-1"));
        const struct fd_record *r = find_rec(p, "oai:static.example.org:1");
        ck_assert_ptr_nonnull(r);
        ck_assert_str_eq(r->doi, "10.1234/soil.2021");
        ck_assert_str_eq(r->sets.v[0], "data");
        ck_assert_str_eq(r->resource_type, "Dataset");
        ck_assert_uint_ge(r->licenses.n, 1);
        ck_assert_str_eq(r->licenses.v[0].spdx, "CC-BY-4.0");
        r = find_rec(p, "oai:static.example.org:3");
        ck_assert_ptr_nonnull(r);
        ck_assert(r->deleted);
        ck_assert_ptr_null(p->response_date);
        fd_page_free(p);
}
END_TEST

START_TEST(own_nasty_token_trimmed)
{
        struct warns w = {0};
        struct fd_page *p = parse_own("listrecords_nasty_token.xml", &w);
        ck_assert_uint_eq(p->records.n, 2);
        ck_assert_str_eq(p->token, "a+b/c=d:e");
        ck_assert_int_eq(p->complete_list_size, 4);
        fd_page_free(p);
}
END_TEST

START_TEST(own_last_page_empty_token)
{
        struct warns w = {0};
        struct fd_page *p = parse_own("listrecords_last_page_empty_token.xml", &w);
        ck_assert_uint_eq(p->records.n, 2);
        ck_assert_ptr_null(p->token);
        ck_assert_int_eq(p->complete_list_size, 4);
        const struct fd_record *r = find_rec(p, "oai:repo.example.org:4");
        ck_assert(r->deleted);
        ck_assert_uint_eq(r->sets.n, 1);
        ck_assert_str_eq(r->id, "src:oai:repo.example.org:4");
        ck_assert_str_eq(r->datestamp, "2026-01-05T03:04:05Z");
        fd_page_free(p);
}
END_TEST

START_TEST(own_oaidc_prefix_and_format)
{
        struct warns w = {0};
        struct fd_page *p = parse_own("listrecords_oaidc_prefix.xml", &w);
        ck_assert_uint_eq(p->records.n, 1);
        const struct fd_record *r = p->records.v[0];
        ck_assert_str_eq(fd_record_title(r), "Service discovery at home");
        ck_assert_uint_eq(r->creators.n, 1);
        ck_assert(has_str(&r->formats, "application/pdf"));
        ck_assert_uint_eq(r->formats.n, 1);
        ck_assert(has_str(&r->download_urls, "http://purl.example.org/fid/1140"));
        fd_page_free(p);
}
END_TEST

START_TEST(own_cdata)
{
        struct warns w = {0};
        struct fd_page *p = parse_own("getrecord_multiple_cdata.xml", &w);
        ck_assert_uint_eq(p->records.n, 1);
        const struct fd_record *r = p->records.v[0];
        ck_assert_str_eq(fd_record_title(r), "Article Title-additional CDATA");
        ck_assert_uint_eq(r->descriptions.n, 1);
        ck_assert_str_eq(r->descriptions.v[0].value, "Mixed <b>CDATA</b> & text");
        fd_page_free(p);
}
END_TEST

START_TEST(own_multilang)
{
        struct warns w = {0};
        struct fd_page *p = parse_own("record_multilang_de_en.xml", &w);
        ck_assert_uint_eq(p->records.n, 1);
        const struct fd_record *r = p->records.v[0];
        ck_assert_uint_eq(r->titles.n, 2);
        ck_assert_ptr_nonnull(title_lang(r, "de"));
        ck_assert_str_eq(title_lang(r, "en")->value, "The development of health conditions in Germany");
        ck_assert(has_str(&r->languages, "de"));
        ck_assert(has_identifier(r, "10.4232/1.11727"));
        ck_assert_str_eq(r->doi, "10.4232/1.11727");
        ck_assert_uint_eq(r->dates.n, 1);
        ck_assert_str_eq(r->dates.v[0].type, "issued");
        ck_assert_str_eq(r->dates.v[0].value, "2013-07-09");
        ck_assert_str_eq(r->sets.v[0], "1");
        fd_page_free(p);
}
END_TEST

START_TEST(own_altidentifier_types)
{
        struct warns w = {0};
        struct fd_page *p = parse_own("record_altidentifier_types.xml", &w);
        ck_assert_uint_eq(p->records.n, 1);
        const struct fd_record *r = p->records.v[0];
        ck_assert_str_eq(r->doi, "10.15479/at:ista:92");
        ck_assert_str_eq(r->resource_type, "Dataset");
        ck_assert_int_eq(r->access, FD_ACCESS_OPEN);
        ck_assert(has_str(&r->urls, "https://research.example.org/record/5580"));
        ck_assert_uint_eq(r->funding.n, 1);
        ck_assert_str_eq(r->funding.v[0].award, "654321");
        /* the citation in dc:source is not a PID: no relation from it */
        for (size_t i = 0; i < r->related.n; i++)
                ck_assert(!strstr(r->related.v[i].value, "<i>"));
        fd_page_free(p);
}
END_TEST

START_TEST(own_undefined_entity)
{
        struct fd_error err = {0};
        ck_assert_int_eq(parse_own_fail("undefined_entity.xml", &err), FD_E_PARSE);
        ck_assert_msg(strstr(err.msg, "malformed XML in 'response' at line 1, col "), "%s", err.msg);
        ck_assert_msg(strstr(err.msg, "'bogus' not defined"), "%s", err.msg);
}
END_TEST

START_TEST(own_invalid_utf8)
{
        struct warns w = {0};
        struct fd_page *p = parse_own("invalid_utf8_control_chars.xml", &w);
        ck_assert_uint_eq(p->records.n, 1);
        const struct fd_record *r = p->records.v[0];
        ck_assert_str_eq(fd_record_title(r), "Broken");
        ck_assert_uint_eq(r->descriptions.n, 1);
        /* 0xC2 then a newline: one U+FFFD; the 0x06: another */
        ck_assert_msg(strstr(r->descriptions.v[0].value, "\xEF\xBF\xBD and a control \xEF\xBF\xBD byte"), "%s",
                      r->descriptions.v[0].value);
        ck_assert_msg(warned(&w, "record 'oai:repo.example.org:x' repaired: invalid UTF-8 replaced by U+FFFD at "
                                 "byte offset "), "%s", w.n ? w.msg[0] : "none");
        ck_assert_msg(warned(&w, "(and more in the record)"), "%s", w.msg[0]);
        fd_page_free(p);
}
END_TEST

START_TEST(own_tz_offset_no_identifier)
{
        struct warns w = {0};
        struct fd_page *p = parse_own("listrecords_tz_offset_no_identifier.xml", &w);
        ck_assert_uint_eq(p->records.n, 1);
        ck_assert_uint_eq(p->n_skipped, 1);
        ck_assert_msg(warned(&w, "record at line 20 skipped: its header has no identifier"), "%s", w.msg[0]);
        const struct fd_record *r = p->records.v[0];
        ck_assert_str_eq(r->id, "src:1");
        ck_assert_str_eq(fd_record_title(r), "General");
        ck_assert_uint_eq(r->descriptions.n, 0);
        ck_assert_uint_eq(r->urls.n, 0);
        fd_page_free(p);
}
END_TEST

/* A page with a record of 10,001 elements, one of 4 MiB of text, and a good one. */
static char *oversized_page(size_t *ret_len) {
        struct fd_buf b;
        fd_buf_init(&b, 64u << 20);
        ck_assert_int_eq(fd_buf_printf(&b, "<OAI-PMH xmlns='" FD_NS_OAI "'><responseDate>2026-11-23T10:00:00Z"
                                           "</responseDate><ListRecords>"), FD_OK);
        const char *md = "<metadata><oai_dc:dc xmlns:oai_dc='" FD_NS_OAI_DC "' xmlns:dc='" FD_NS_DC "'>";
        ck_assert_int_eq(fd_buf_printf(&b, "<record><header><identifier>big-nodes</identifier></header>%s", md),
                         FD_OK);
        for (int i = 0; i < 10001; i++)
                ck_assert_int_eq(fd_buf_printf(&b, "<dc:subject>s%d</dc:subject>", i), FD_OK);
        ck_assert_int_eq(fd_buf_printf(&b, "</oai_dc:dc></metadata></record>"), FD_OK);
        ck_assert_int_eq(fd_buf_printf(&b, "<record><header><identifier>big-text</identifier></header>%s"
                                           "<dc:description>", md), FD_OK);
        for (int i = 0; i < (4 << 20) / 64 + 1; i++)
                ck_assert_int_eq(fd_buf_printf(&b, "%s", "0123456789abcdef0123456789abcdef0123456789abcdef"
                                                         "0123456789abcde "), FD_OK);
        ck_assert_int_eq(fd_buf_printf(&b, "</dc:description></oai_dc:dc></metadata></record>"), FD_OK);
        ck_assert_int_eq(fd_buf_printf(&b, "<record><header><identifier>small</identifier></header>%s"
                                           "<dc:title>ok</dc:title></oai_dc:dc></metadata></record>"
                                           "</ListRecords></OAI-PMH>", md), FD_OK);
        *ret_len = b.len;
        return b.data;
}

START_TEST(oversized_records_skipped)
{
        size_t len;
        _fd_free_ char *data = oversized_page(&len);
        struct warns w = {0};
        struct fd_page *p = NULL;
        struct fd_error err = {0};
        ck_assert_msg(fd_oai_parse_page("src", data, len, collect_warn, &w, &p, &err) == FD_OK, "%s", err.msg);
        ck_assert_uint_eq(p->records.n, 1);
        ck_assert_str_eq(p->records.v[0]->local_id, "small");
        ck_assert_uint_eq(p->n_skipped, 2);
        ck_assert(warned(&w, "record 'big-nodes' skipped: its metadata exceeds"));
        ck_assert(warned(&w, "record 'big-text' skipped: its metadata exceeds"));
        fd_page_free(p);
}
END_TEST

START_TEST(unsupported_format_told_once)
{
#define MODS_RECORD                                                                               \
        "<record><header><identifier>x%d</identifier></header><metadata>"                         \
        "<m:thing xmlns:m='urn:example:unknown'><m:title>t</m:title></m:thing></metadata></record>"
        struct fd_buf b;
        fd_buf_init(&b, 1 << 16);
        ck_assert_int_eq(fd_buf_printf(&b, "<OAI-PMH xmlns='" FD_NS_OAI "'><ListRecords>"), FD_OK);
        for (int i = 0; i < 3; i++)
                ck_assert_int_eq(fd_buf_printf(&b, MODS_RECORD, i), FD_OK);
        ck_assert_int_eq(fd_buf_printf(&b, "</ListRecords></OAI-PMH>"), FD_OK);
        struct warns w = {0};
        struct fd_page *p = NULL;
        struct fd_error err = {0};
        ck_assert_msg(fd_oai_parse_page("src", b.data, b.len, collect_warn, &w, &p, &err) == FD_OK, "%s", err.msg);
        ck_assert_uint_eq(p->records.n, 0);
        ck_assert_uint_eq(p->n_skipped, 3);
        ck_assert_uint_eq(w.n, 1);
        ck_assert_msg(strstr(w.msg[0], "record 'x0' skipped: metadata format {urn:example:unknown}thing is "
                                       "not supported"), "%s", w.msg[0]);
        fd_page_free(p);
        fd_buf_release(&b);
}
END_TEST

START_TEST(truncated_is_parse_error)
{
        size_t len;
        _fd_free_ char *path = own_fixture("listrecords_nasty_token.xml");
        _fd_free_ char *data = fd_test_slurp(path, &len);
        ck_assert_ptr_nonnull(data);
        struct fd_page *p = NULL;
        struct fd_error err = {0};
        ck_assert_int_eq(fd_oai_parse_page("src", data, len / 2, NULL, NULL, &p, &err), FD_E_PARSE);
        ck_assert_msg(strstr(err.msg, "malformed XML in 'response' at line"), "%s", err.msg);
}
END_TEST

/* The push parser gives the same page whatever the chunking, down to one
 * byte at a time (CDATA, entities and the encoding sniff split). */
START_TEST(byte_by_byte_feed)
{
        const char *names[] = {"getrecord_multiple_cdata.xml", "listrecords_nasty_token.xml",
                               "record_multilang_de_en.xml"};
        for (size_t k = 0; k < FD_ELEMENTSOF(names); k++) {
                size_t len;
                _fd_free_ char *path = own_fixture(names[k]);
                _fd_free_ char *data = fd_test_slurp(path, &len);
                struct fd_page *page = NULL;
                struct fd_oai_parser *parser = NULL;
                struct fd_error err = {0};
                struct fd_oai_parser_opts o = {.source = "src"};
                ck_assert_int_eq(fd_page_new("src", NULL, 0, &page, &err), FD_OK);
                ck_assert_int_eq(fd_oai_parser_new(&o, page, &parser, &err), FD_OK);
                for (size_t i = 0; i < len; i++)
                        ck_assert_msg(fd_oai_parser_feed(parser, data + i, 1, &err) == FD_OK, "%s", err.msg);
                ck_assert_msg(fd_oai_parser_finish(parser, &err) == FD_OK, "%s", err.msg);
                ck_assert(fd_oai_parser_recognized(parser));

                struct warns w = {0};
                struct fd_page *whole = parse_own(names[k], &w);
                ck_assert_uint_eq(page->records.n, whole->records.n);
                for (size_t i = 0; i < page->records.n; i++) {
                        ck_assert_str_eq(page->records.v[i]->id, whole->records.v[i]->id);
                        ck_assert_str_eq(fd_record_title(page->records.v[i]), fd_record_title(whole->records.v[i]));
                }
                if (whole->token)
                        ck_assert_str_eq(page->token, whole->token);
                fd_page_free(whole);
                fd_oai_parser_free(parser);
                fd_page_free(page);
        }
}
END_TEST

/* ---- checkpoints -------------------------------------------------------------------- */

START_TEST(checkpoint_json_roundtrip)
{
        struct fd_checkpoint c = {
                .token = "a+b/c=d:e \"quoted\"",
                .from = "2024-01-01T00:00:00Z",
                .run_start = "2026-11-23T10:00:00Z",
                .last_complete = NULL,
                .pages = 3,
                .records = 1234567890123ULL,
                .deleted = 5,
                .skipped = 7,
                .set = 2,
                .url = "http://repo.example.org/oai",
        };
        _fd_free_ char *json = fd_checkpoint_to_json(&c);
        ck_assert_ptr_nonnull(json);
        struct fd_checkpoint back = {0};
        struct fd_error err = {0};
        ck_assert_msg(fd_checkpoint_from_json(json, &back, &err) == FD_OK, "%s", err.msg);
        ck_assert_str_eq(back.token, c.token);
        ck_assert_str_eq(back.from, c.from);
        ck_assert_str_eq(back.run_start, c.run_start);
        ck_assert_ptr_null(back.last_complete);
        ck_assert_uint_eq(back.pages, 3);
        ck_assert_uint_eq(back.records, 1234567890123ULL);
        ck_assert_uint_eq(back.deleted, 5);
        ck_assert_uint_eq(back.skipped, 7);
        ck_assert_uint_eq(back.set, 2);
        ck_assert_str_eq(back.url, "http://repo.example.org/oai");

        struct fd_checkpoint copy;
        ck_assert_int_eq(fd_checkpoint_copy(&copy, &back), FD_OK);
        ck_assert_ptr_ne(copy.token, back.token);
        ck_assert_str_eq(copy.token, back.token);
        ck_assert_ptr_ne(copy.url, back.url);
        fd_checkpoint_release(&back);
        ck_assert_ptr_null(back.token);
        ck_assert_ptr_null(back.url);
        ck_assert_str_eq(copy.from, "2024-01-01T00:00:00Z");
        ck_assert_str_eq(copy.url, "http://repo.example.org/oai");
        fd_checkpoint_release(&copy);
        fd_checkpoint_release(&copy);

        /* an empty checkpoint, unknown keys ignored */
        ck_assert_int_eq(fd_checkpoint_from_json("{\"future\":[1,2]}", &back, &err), FD_OK);
        ck_assert_ptr_null(back.token);
        ck_assert_ptr_null(back.url);   /* written before checkpoints named their URL */
        ck_assert_uint_eq(back.pages, 0);
        fd_checkpoint_release(&back);
}
END_TEST

START_TEST(checkpoint_json_errors)
{
        struct fd_checkpoint c = {0};
        struct fd_error err = {0};
        ck_assert_int_eq(fd_checkpoint_from_json("{\"token\":", &c, &err), FD_E_PARSE);
        ck_assert_msg(strstr(err.msg, "malformed checkpoint at line 1"), "%s", err.msg);
        ck_assert_int_eq(fd_checkpoint_from_json("[1]", &c, &err), FD_E_PARSE);
        ck_assert_int_eq(fd_checkpoint_from_json("{\"token\":3}", &c, &err), FD_E_PARSE);
        ck_assert_msg(strstr(err.msg, "'token'"), "%s", err.msg);
        ck_assert_int_eq(fd_checkpoint_from_json("{\"token\":\"t\",\"pages\":-1}", &c, &err), FD_E_PARSE);
        ck_assert_msg(strstr(err.msg, "'pages'"), "%s", err.msg);
        ck_assert_ptr_null(c.token);
}
END_TEST

/* ---- the HTTP server (fd_test_http.c) ------------------------------------------------ */

/* Answers to the requests a harvest makes before its lists, when a test
 * has no route of its own for them. */
static const char default_identify[] =
        "<OAI-PMH xmlns='http://www.openarchives.org/OAI/2.0/'><responseDate>2026-11-23T08:00:00Z</responseDate>"
        "<request verb='Identify'>http://x/oai</request><Identify><repositoryName>t</repositoryName>"
        "<baseURL>http://x/oai</baseURL><protocolVersion>2.0</protocolVersion><adminEmail>a@b.c</adminEmail>"
        "<earliestDatestamp>2000-01-01T00:00:00Z</earliestDatestamp><deletedRecord>persistent</deletedRecord>"
        "<granularity>YYYY-MM-DDThh:mm:ssZ</granularity></Identify></OAI-PMH>";
static const char default_formats[] =
        "<OAI-PMH xmlns='http://www.openarchives.org/OAI/2.0/'><responseDate>2026-11-23T08:00:00Z</responseDate>"
        "<request verb='ListMetadataFormats'>http://x/oai</request><ListMetadataFormats><metadataFormat>"
        "<metadataPrefix>oai_dc</metadataPrefix><schema>http://www.openarchives.org/OAI/2.0/oai_dc.xsd</schema>"
        "<metadataNamespace>http://www.openarchives.org/OAI/2.0/oai_dc/</metadataNamespace></metadataFormat>"
        "</ListMetadataFormats></OAI-PMH>";
static const char default_sets[] =
        "<OAI-PMH xmlns='http://www.openarchives.org/OAI/2.0/'><responseDate>2026-11-23T08:00:00Z</responseDate>"
        "<request verb='ListSets'>http://x/oai</request><ListSets><set><setSpec>a</setSpec><setName>A</setName>"
        "</set><set><setSpec>a:b</setSpec><setName>B</setName></set><set><setSpec>c</setSpec><setName>C"
        "</setName></set></ListSets></OAI-PMH>";

static const char *default_body(const char *target) {
        const char *q = strchr(target, '?');
        if (!q)
                return NULL;
        if (strcmp(q, "?verb=Identify") == 0)
                return default_identify;
        if (strcmp(q, "?verb=ListMetadataFormats") == 0)
                return default_formats;
        if (strcmp(q, "?verb=ListSets") == 0)
                return default_sets;
        return NULL;
}

/* Serves routes (fixtures from tests/fixtures/oai), and the defaults above. */
static void server_start(struct fd_test_http *s, struct fd_test_route *routes, size_t n) {
        static char fixtures[4096];
        _fd_free_ char *dir = path_of("tests/fixtures/oai");

        snprintf(fixtures, sizeof fixtures, "%s", dir);
        *s = (struct fd_test_http){.routes = routes, .n_routes = n, .fixtures = fixtures, .fallback = default_body};
        fd_test_http_start(s);
}

/* ---- HTTP -------------------------------------------------------------------------- */

START_TEST(url_encode)
{
        struct fd_buf b;
        fd_buf_init(&b, 64);
        ck_assert_int_eq(fd_url_encode(&b, "a+b/c=d:e"), FD_OK);
        ck_assert_str_eq(b.data, "a%2Bb%2Fc%3Dd%3Ae");
        fd_buf_reset(&b);
        ck_assert_int_eq(fd_url_encode(&b, "Az09-._~ %\xc3\xa9"), FD_OK);
        ck_assert_str_eq(b.data, "Az09-._~%20%25%C3%A9");
        fd_buf_release(&b);
        fd_buf_init(&b, 4);
        ck_assert_int_eq(fd_buf_append(&b, "x", 1), FD_OK);
        ck_assert_int_eq(fd_url_encode(&b, "//"), FD_E_LIMIT);
        ck_assert_str_eq(b.data, "x");
        fd_buf_release(&b);
}
END_TEST

struct sink_buf {
        struct fd_buf b;
};

static enum fd_status to_buf(void *ud, const char *data, size_t len) {
        struct sink_buf *s = ud;
        return fd_buf_append(&s->b, data, len);
}

/* "hello, gzip\n" gzip-compressed */
static const unsigned char gz_body[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xff, 0xcb, 0x48,
                                        0xcd, 0xc9, 0xc9, 0xd7, 0x51, 0x48, 0xaf, 0xca, 0x2c, 0xe0, 0x02, 0x00,
                                        0x86, 0x1f, 0x82, 0xa4, 0x0c, 0x00, 0x00, 0x00};

START_TEST(http_get_basics)
{
        static char big[5000];
        memset(big, 'x', sizeof big - 1);
        struct fd_test_route routes[] = {
                {.target = "/hello", .status = 200, .body = "hello"},
                {.target = "/big", .status = 200, .body = big},
                {.target = "/gz", .status = 200, .headers = "Content-Encoding: gzip\r\n",
                 .body = (const char *)gz_body, .body_len = sizeof gz_body},
                {.target = "/to-file", .status = 302, .headers = "Location: file:///etc/passwd\r\n", .body = "x"},
                {.target = "/redirect", .status = 301, .headers = "Location: /hello\r\n", .body = "x"},
                {.target = "/busy", .status = 503, .headers = "Retry-After: 7\r\n", .body = "busy"},
                {.target = "/busy-date", .status = 503, .headers = "Retry-After: Wed, 21 Oct 2015 07:28:00 GMT\r\n",
                 .body = "busy"},
                {.target = "/gone", .status = 404, .body = "no such page"},
        };
        struct fd_test_http s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));

        struct fd_http *h = NULL;
        struct fd_error err = {0};
        struct fd_http_opts o = {.user_agent = "fairdex/test (+mailto:test@example.org)", .max_body = 4096};
        ck_assert_int_eq(fd_http_new(&o, &h, &err), FD_OK);
        struct sink_buf sb;
        fd_buf_init(&sb.b, 1 << 20);
        long code = -1;

        _fd_free_ char *u1 = fd_test_http_url(&s, "/hello");
        ck_assert_msg(fd_http_get(h, u1, to_buf, &sb, &code, &err) == FD_OK, "%s", err.msg);
        ck_assert_int_eq(code, 200);
        ck_assert_str_eq(sb.b.data, "hello");
        ck_assert_str_eq(s.user_agent, "fairdex/test (+mailto:test@example.org)");
        ck_assert_int_eq(fd_http_retry_after(h), -1);

        fd_buf_reset(&sb.b);
        _fd_free_ char *u2 = fd_test_http_url(&s, "/big");
        ck_assert_int_eq(fd_http_get(h, u2, to_buf, &sb, &code, &err), FD_E_LIMIT);
        ck_assert_msg(strstr(err.msg, "exceeds 4096 bytes"), "%s", err.msg);

        fd_buf_reset(&sb.b);
        _fd_free_ char *u3 = fd_test_http_url(&s, "/gz");
        ck_assert_msg(fd_http_get(h, u3, to_buf, &sb, &code, &err) == FD_OK, "%s", err.msg);
        ck_assert_str_eq(sb.b.data, "hello, gzip\n");

        fd_buf_reset(&sb.b);
        _fd_free_ char *u4 = fd_test_http_url(&s, "/to-file");
        ck_assert_int_eq(fd_http_get(h, u4, to_buf, &sb, &code, &err), FD_E_HTTP);
        ck_assert(!strstr(sb.b.data ? sb.b.data : "", "root:"));

        fd_buf_reset(&sb.b);
        _fd_free_ char *u5 = fd_test_http_url(&s, "/redirect");
        ck_assert_msg(fd_http_get(h, u5, to_buf, &sb, &code, &err) == FD_OK, "%s", err.msg);
        ck_assert_str_eq(sb.b.data, "hello");

        fd_buf_reset(&sb.b);
        _fd_free_ char *u6 = fd_test_http_url(&s, "/busy");
        ck_assert_int_eq(fd_http_get(h, u6, to_buf, &sb, &code, &err), FD_E_HTTP);
        ck_assert_int_eq(code, 503);
        ck_assert_int_eq(fd_http_retry_after(h), 7);
        ck_assert_str_eq(sb.b.data, "busy");
        ck_assert_msg(strstr(err.msg, "HTTP status 503 from '"), "%s", err.msg);

        _fd_free_ char *u7 = fd_test_http_url(&s, "/busy-date");
        ck_assert_int_eq(fd_http_get(h, u7, NULL, NULL, &code, &err), FD_E_HTTP);
        ck_assert_int_eq(fd_http_retry_after(h), 0);  /* a date in the past */

        fd_buf_reset(&sb.b);
        _fd_free_ char *u8 = fd_test_http_url(&s, "/gone");
        ck_assert_int_eq(fd_http_get(h, u8, to_buf, &sb, &code, &err), FD_E_HTTP);
        ck_assert_int_eq(code, 404);
        ck_assert_str_eq(sb.b.data, "no such page");

        /* file:// works directly, a missing file is FD_E_HTTP naming it */
        fd_buf_reset(&sb.b);
        _fd_free_ char *fx = own_fixture("not_xml_body.txt");
        _fd_free_ char *fu = NULL;
        ck_assert_int_ge(asprintf(&fu, "file://%s", fx), 0);
        ck_assert_msg(fd_http_get(h, fu, to_buf, &sb, &code, &err) == FD_OK, "%s", err.msg);
        ck_assert_int_eq(code, 0);
        ck_assert(strstr(sb.b.data, "isn't XML"));
        ck_assert_int_eq(fd_http_get(h, "file:///nonexistent/fairdex.xml", to_buf, &sb, &code, &err), FD_E_HTTP);
        ck_assert_msg(strstr(err.msg, "'file:///nonexistent/fairdex.xml'"), "%s", err.msg);
        ck_assert_int_eq(fd_http_get(h, "gopher://127.0.0.1/", to_buf, &sb, &code, &err), FD_E_HTTP);

        fd_buf_release(&sb.b);
        fd_http_free(h);
        fd_test_http_stop(&s);

        struct fd_http_opts bad = {0};
        ck_assert_int_eq(fd_http_new(&bad, &h, &err), FD_E_INVALID);
}
END_TEST


/* The count of status code in c (0 when it has no slot). */
static uint64_t count_of(struct fd_http_counts *c, long code) {
        for (size_t i = 0; i < FD_HTTP_COUNT_CODES; i++)
                if (atomic_load(&c->code[i]) == code)
                        return atomic_load(&c->n[i]);
        return 0;
}

static void *get_unnamed(void *url) {
        struct fd_http *h = NULL;
        struct fd_http_opts o = {.user_agent = "fairdex/test"};
        long code = 0;
        if (fd_http_new(&o, &h, NULL) == FD_OK)
                fd_http_get(h, url, NULL, NULL, &code, NULL);
        fd_http_free(h);
        return NULL;
}

START_TEST(http_counts_by_status)
{
        struct fd_test_route routes[] = {
                {.target = "/hello", .status = 200, .body = "hello"},
                {.target = "/redirect", .status = 301, .headers = "Location: /hello\r\n", .body = "x"},
                {.target = "/busy", .status = 503, .headers = "Retry-After: 7\r\n", .body = "busy"},
                {.target = "/gone", .status = 404, .body = "no such page"},
                {.target = "/big", .status = 200, .body = "more than the sixteen bytes allowed"},
        };
        struct fd_test_http s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        static struct fd_http_counts counts;
        struct fd_http *h = NULL;
        struct fd_error err = {0};
        struct fd_http_opts o = {.user_agent = "fairdex/test", .max_body = 16};
        long code;

        ck_assert_int_eq(fd_http_new(&o, &h, &err), FD_OK);
        _fd_free_ char *hello = fd_test_http_url(&s, "/hello"), *redirect = fd_test_http_url(&s, "/redirect"),
                       *busy = fd_test_http_url(&s, "/busy"), *gone = fd_test_http_url(&s, "/gone"), *big = fd_test_http_url(&s, "/big");
        _fd_free_ char *refused = NULL, *fx = own_fixture("not_xml_body.txt"), *file = NULL;
        ck_assert_int_ge(asprintf(&refused, "http://127.0.0.1:%u/oai", fd_test_free_port()), 0);
        ck_assert_int_ge(asprintf(&file, "file://%s", fx), 0);

        /* not counted before the thread names its counters */
        ck_assert_int_eq(fd_http_get(h, hello, NULL, NULL, &code, &err), FD_OK);
        fd_http_count_thread(&counts);
        ck_assert_int_eq(fd_http_get(h, hello, NULL, NULL, &code, &err), FD_OK);
        ck_assert_int_eq(fd_http_get(h, redirect, NULL, NULL, &code, &err), FD_OK);   /* one request, 200 */
        ck_assert_int_eq(fd_http_get(h, busy, NULL, NULL, &code, &err), FD_E_HTTP);
        ck_assert_int_eq(fd_http_get(h, busy, NULL, NULL, &code, &err), FD_E_HTTP);   /* a retry counts */
        ck_assert_int_eq(fd_http_get(h, gone, NULL, NULL, &code, &err), FD_E_HTTP);
        ck_assert_int_eq(fd_http_get(h, big, NULL, NULL, &code, &err), FD_E_LIMIT);   /* answered 200 */
        /* no status at all, right after a request that had one */
        ck_assert_int_eq(fd_http_get(h, refused, NULL, NULL, &code, &err), FD_E_HTTP);
        struct fd_http *h2 = NULL;
        struct fd_http_opts o2 = {.user_agent = "fairdex/test"};
        ck_assert_int_eq(fd_http_new(&o2, &h2, &err), FD_OK);
        ck_assert_msg(fd_http_get(h2, file, NULL, NULL, &code, &err) == FD_OK, "%s", err.msg);  /* not HTTP */
        fd_http_free(h2);
        /* another thread without counters of its own counts nowhere */
        pthread_t t;
        ck_assert_int_eq(pthread_create(&t, NULL, get_unnamed, hello), 0);
        pthread_join(t, NULL);
        fd_http_count_thread(NULL);
        ck_assert_int_eq(fd_http_get(h, hello, NULL, NULL, &code, &err), FD_OK);

        ck_assert_uint_eq(count_of(&counts, 200), 3);
        ck_assert_uint_eq(count_of(&counts, 301), 0);
        ck_assert_uint_eq(count_of(&counts, 503), 2);
        ck_assert_uint_eq(count_of(&counts, 404), 1);
        ck_assert_uint_eq(atomic_load(&counts.failed), 1);
        ck_assert_uint_eq(atomic_load(&counts.other), 0);
        fd_http_free(h);
        fd_test_http_stop(&s);

        /* the label set is bounded: codes beyond the slots go to other */
        struct fd_http_counts many;
        memset(&many, 0, sizeof many);
        for (long c = 200; c < 200 + FD_HTTP_COUNT_CODES + 3; c++)
                fd_http_counts_add(&many, c);
        fd_http_counts_add(&many, 200);
        fd_http_counts_add(&many, 0);
        ck_assert_uint_eq(count_of(&many, 200), 2);
        ck_assert_uint_eq(count_of(&many, 200 + FD_HTTP_COUNT_CODES - 1), 1);
        ck_assert_uint_eq(count_of(&many, 200 + FD_HTTP_COUNT_CODES), 0);
        ck_assert_uint_eq(atomic_load(&many.other), 3);
        ck_assert_uint_eq(atomic_load(&many.failed), 1);
}
END_TEST


/* ---- reconciliation: ListIdentifiers ------------------------------------------------- */

static const char ids_page1[] =
        "<OAI-PMH xmlns='http://www.openarchives.org/OAI/2.0/'><responseDate>2026-11-23T10:00:00Z</responseDate>"
        "<ListIdentifiers><header><identifier>oai:x:1</identifier><datestamp>2026-01-02</datestamp>"
        "<setSpec>a</setSpec></header><header status='deleted'><identifier>oai:x:2</identifier>"
        "<datestamp>2026-01-03T04:05:06Z</datestamp></header>"
        "<resumptionToken completeListSize='3'>t+1</resumptionToken></ListIdentifiers></OAI-PMH>";
static const char ids_page2[] =
        "<OAI-PMH xmlns='http://www.openarchives.org/OAI/2.0/'><responseDate>2026-11-23T10:00:01Z</responseDate>"
        "<ListIdentifiers><header><identifier>oai:x:3</identifier><datestamp>2026-01-04</datestamp></header>"
        "<resumptionToken completeListSize='3'/></ListIdentifiers></OAI-PMH>";

struct idlist {
        char ids[16][64];
        char ds[16][32];
        bool del[16];
        size_t n;
        size_t stop_at;  /* fail on this call (1-based), 0: never */
};

static enum fd_status collect_id(void *ud, const char *id, const char *ds, bool deleted) {
        struct idlist *l = ud;
        ck_assert_uint_lt(l->n, 16);
        snprintf(l->ids[l->n], sizeof l->ids[0], "%s", id);
        snprintf(l->ds[l->n], sizeof l->ds[0], "%s", ds ? ds : "");
        l->del[l->n] = deleted;
        l->n++;
        return l->stop_at && l->n == l->stop_at ? FD_E_INTERNAL : FD_OK;
}

START_TEST(list_identifiers_pages)
{
        struct fd_test_route routes[] = {
                {.target = "/oai?verb=ListIdentifiers&metadataPrefix=oai_datacite", .status = 200,
                 .body = ids_page1, .fail_times = 1, .fail_status = 503, .fail_headers = "Retry-After: 0\r\n"},
                {.target = "/oai?verb=ListIdentifiers&resumptionToken=t%2B1", .status = 200, .body = ids_page2},
        };
        struct fd_test_http s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = fd_test_http_url(&s, "/oai");
        struct fd_error err = {0};
        struct idlist l = {0};
        struct fd_checkpoint resume = {.metadata_prefix = "oai_datacite", .last_complete = "2026-11-01T00:00:00Z"};
        struct fd_harvest_opts o = {.source = "t", .url = url, .user_agent = "fairdex/test", .resume = &resume};

        ck_assert_msg(fd_oai_list_identifiers(&o, collect_id, &l, &err) == FD_OK, "%s", err.msg);
        ck_assert_uint_eq(l.n, 3);
        ck_assert_str_eq(l.ids[0], "oai:x:1");
        ck_assert_str_eq(l.ds[0], "2026-01-02");
        ck_assert(!l.del[0]);
        ck_assert_str_eq(l.ids[1], "oai:x:2");
        ck_assert_str_eq(l.ds[1], "2026-01-03T04:05:06Z");
        ck_assert(l.del[1]);
        ck_assert_str_eq(l.ids[2], "oai:x:3");
        /* never incremental: no from */
        ck_assert(!fd_test_http_got(&s, "/oai?verb=ListIdentifiers&metadataPrefix=oai_datacite&from=2026-10-31T23%3A59%3A59Z"));

        /* the callback's status stops the listing and is returned */
        struct idlist l2 = {.stop_at = 1};
        ck_assert_int_eq(fd_oai_list_identifiers(&o, collect_id, &l2, &err), FD_E_INTERNAL);
        ck_assert_uint_eq(l2.n, 1);

        /* a list that does not complete is not FD_OK */
        routes[1].status = 500;
        routes[1].body = "oops";
        struct idlist l3 = {0};
        struct fd_harvest_opts o3 = o;
        o3.max_retries = 1;
        ck_assert_int_eq(fd_oai_list_identifiers(&o3, collect_id, &l3, &err), FD_E_HTTP);
        ck_assert_uint_eq(l3.n, 2);
        fd_test_http_stop(&s);
}
END_TEST

/* ---- the harvest driver ----------------------------------------------------------------- */

struct collect {
        struct fd_page *pages[64];
        size_t n;
        struct warns w;
        size_t refuse_at;          /* return false on this page (1-based), 0: never */
        atomic_bool *cancel_at_first;
};

static bool collect_page(void *ud, struct fd_page *p) {
        struct collect *c = ud;
        ck_assert_uint_lt(c->n, 64);
        c->pages[c->n++] = p;
        if (c->cancel_at_first)
                atomic_store(c->cancel_at_first, true);
        return !(c->refuse_at && c->n == c->refuse_at);
}

static void collect_warn2(void *ud, const char *msg) {
        struct collect *c = ud;
        collect_warn(&c->w, msg);
}

static void collect_free(struct collect *c) {
        for (size_t i = 0; i < c->n; i++)
                fd_page_free(c->pages[i]);
        c->n = 0;
}

static enum fd_status run_harvest(struct fd_harvest_opts *o, struct collect *c, struct fd_error *err) {
        struct fd_harvest_sink sink = {.page = collect_page, .warn = collect_warn2, .userdata = c};
        if (!o->source)
                o->source = "test";
        if (!o->user_agent)
                o->user_agent = "fairdex/test";
        return fd_oai_harvest(o, &sink, err);
}

/* ---- Identify, formats, sets, granularity, loops, bounds ------------------------------- */

static const char identify_day_gzip[] =
        "<OAI-PMH xmlns='http://www.openarchives.org/OAI/2.0/'><responseDate>2026-11-23T08:00:00Z</responseDate>"
        "<Identify><repositoryName>t</repositoryName><baseURL>http://x/oai</baseURL><protocolVersion>2.0"
        "</protocolVersion><adminEmail>a@b.c</adminEmail><earliestDatestamp>2000-01-01</earliestDatestamp>"
        "<deletedRecord>transient</deletedRecord><granularity>YYYY-MM-DD</granularity>"
        "<compression>gzip</compression><compression>deflate</compression></Identify></OAI-PMH>";
static const char formats_rich[] =
        "<OAI-PMH xmlns='http://www.openarchives.org/OAI/2.0/'><responseDate>2026-11-23T08:00:00Z</responseDate>"
        "<ListMetadataFormats><metadataFormat><metadataPrefix>oai_dc</metadataPrefix></metadataFormat>"
        "<metadataFormat><metadataPrefix>mods</metadataPrefix></metadataFormat>"
        "<metadataFormat><metadataPrefix>oai_openaire</metadataPrefix></metadataFormat>"
        "<metadataFormat><metadataPrefix>oai_datacite</metadataPrefix></metadataFormat>"
        "</ListMetadataFormats></OAI-PMH>";
static const char datacite_page[] =
        "<OAI-PMH xmlns='http://www.openarchives.org/OAI/2.0/'><responseDate>2026-11-23T10:00:00Z</responseDate>"
        "<ListRecords><record><header><identifier>oai:x:dc1</identifier><datestamp>2026-11-01</datestamp></header>"
        "<metadata><oai_datacite xmlns='http://schema.datacite.org/oai/oai-1.0/'><payload><resource "
        "xmlns='http://datacite.org/schema/kernel-4'><identifier identifierType='DOI'>10.1234/abc</identifier>"
        "<titles><title>DataCite one</title></titles></resource></payload></oai_datacite></metadata></record>"
        "<record><header><identifier>oai:x:dc2</identifier></header><metadata><nonsense xmlns='urn:x'/>"
        "</metadata></record></ListRecords></OAI-PMH>";
static const char cannot_disseminate[] =
        "<OAI-PMH xmlns='http://www.openarchives.org/OAI/2.0/'><responseDate>2026-11-23T10:00:00Z</responseDate>"
        "<error code='cannotDisseminateFormat'>no</error></OAI-PMH>";

START_TEST(harvest_identify_and_format_choice)
{
        struct fd_test_route routes[] = {
                {.target = "/oai?verb=Identify", .status = 200, .body = identify_day_gzip},
                {.target = "/oai?verb=ListMetadataFormats", .status = 200, .body = formats_rich},
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_datacite&from=2026-11-21", .status = 200,
                 .body = datacite_page},
        };
        struct fd_test_http s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = fd_test_http_url(&s, "/oai");
        struct collect c = {0};
        struct fd_error err = {0};
        /* day granularity: one day of overlap, date only */
        struct fd_checkpoint resume = {.last_complete = "2026-11-22T10:11:12Z"};
        struct fd_harvest_opts o = {.url = url, .resume = &resume};
        ck_assert_msg(run_harvest(&o, &c, &err) == FD_OK, "%s", err.msg);
        ck_assert_uint_eq(c.n, 1);
        const struct fd_page *pg = c.pages[0];
        ck_assert(pg->last);
        ck_assert_str_eq(pg->checkpoint.granularity, "YYYY-MM-DD");
        ck_assert_str_eq(pg->checkpoint.deleted_record, "transient");
        ck_assert_str_eq(pg->checkpoint.metadata_prefix, "oai_datacite");
        ck_assert_str_eq(pg->checkpoint.from, "2026-11-21");
        /* the record that maps is kept, the other skipped and told, the page still comes */
        ck_assert_uint_eq(pg->records.n, 1);
        ck_assert_str_eq(pg->records.v[0]->format, "oai_datacite");
        ck_assert_str_eq(pg->records.v[0]->doi, "10.1234/abc");
        ck_assert_uint_eq(pg->n_skipped, 1);
        ck_assert_uint_eq(pg->checkpoint.skipped, 1);
        ck_assert(warned(&c.w, "record 'oai:x:dc2' skipped"));
        /* compression offered: asked for after Identify, not before */
        pthread_mutex_lock(&s.lock);
        /* Identify, ListMetadataFormats, ListIdentifiers oai_dc (its size unknown here: 404), ListRecords */
        ck_assert_uint_eq(s.n_targets, 4);
        ck_assert_str_eq(s.accept_encoding[0], "");
        ck_assert_str_eq(s.accept_encoding[3], "gzip, deflate");
        pthread_mutex_unlock(&s.lock);

        /* the checkpoint keeps them across the JSON round trip */
        _fd_free_ char *json = fd_checkpoint_to_json(&pg->checkpoint);
        struct fd_checkpoint back = {0};
        ck_assert_int_eq(fd_checkpoint_from_json(json, &back, &err), FD_OK);
        ck_assert_str_eq(back.granularity, "YYYY-MM-DD");
        ck_assert_str_eq(back.deleted_record, "transient");
        ck_assert_str_eq(back.metadata_prefix, "oai_datacite");
        fd_checkpoint_release(&back);
        collect_free(&c);
        fd_test_http_stop(&s);
}
END_TEST

START_TEST(harvest_format_fallback_and_configured)
{
        struct fd_test_route routes[] = {
                {.target = "/oai?verb=ListMetadataFormats", .status = 200, .body = formats_rich},
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_datacite", .status = 200,
                 .body = cannot_disseminate},
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_openaire", .status = 200,
                 .fixture = "listrecords_last_page_empty_token.xml"},
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_dc", .status = 200,
                 .fixture = "listrecords_last_page_empty_token.xml"},
        };
        struct fd_test_http s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = fd_test_http_url(&s, "/oai");
        struct collect c = {0};
        struct fd_error err = {0};
        struct fd_harvest_opts o = {.url = url};
        ck_assert_msg(run_harvest(&o, &c, &err) == FD_OK, "%s", err.msg);
        ck_assert_uint_eq(c.n, 1);
        ck_assert_str_eq(c.pages[0]->checkpoint.metadata_prefix, "oai_openaire");
        ck_assert_msg(warned(&c.w, "format 'oai_datacite' refused (cannotDisseminateFormat), trying 'oai_openaire'"),
                      "%s", c.w.n ? c.w.msg[0] : "none");
        collect_free(&c);

        /* a configured prefix wins: no ListMetadataFormats, no fallback */
        pthread_mutex_lock(&s.lock);
        routes[0].hits = 0;
        pthread_mutex_unlock(&s.lock);
        struct fd_harvest_opts o2 = {.url = url, .metadata_prefix = "oai_dc"};
        ck_assert_msg(run_harvest(&o2, &c, &err) == FD_OK, "%s", err.msg);
        ck_assert_str_eq(c.pages[0]->checkpoint.metadata_prefix, "oai_dc");
        pthread_mutex_lock(&s.lock);
        ck_assert_int_eq(routes[0].hits, 0);
        pthread_mutex_unlock(&s.lock);
        collect_free(&c);

        struct fd_harvest_opts o3 = {.url = url, .metadata_prefix = "oai_datacite"};
        ck_assert_int_eq(run_harvest(&o3, &c, &err), FD_E_PROTOCOL);
        ck_assert_msg(strstr(err.msg, "cannotDisseminateFormat"), "%s", err.msg);
        collect_free(&c);

        /* a preference order of our own */
        static const char *const prefs[] = {"oai_dc", "oai_datacite"};
        struct fd_harvest_opts o4 = {.url = url, .format_preference = prefs, .n_format_preference = 2};
        ck_assert_msg(run_harvest(&o4, &c, &err) == FD_OK, "%s", err.msg);
        ck_assert_str_eq(c.pages[0]->checkpoint.metadata_prefix, "oai_dc");
        collect_free(&c);
        fd_test_http_stop(&s);
}
END_TEST

static const char ids_size_page[] =
        "<OAI-PMH xmlns='http://www.openarchives.org/OAI/2.0/'><responseDate>2026-11-23T10:00:00Z</responseDate>"
        "<ListIdentifiers><header><identifier>oai:x:1</identifier></header>"
        "<resumptionToken completeListSize='%d'>tok</resumptionToken></ListIdentifiers></OAI-PMH>";

/* oai_datacite for the items with a DOI only (as DSpace does): not chosen,
 * the next format that lists as many records as oai_dc is. */
START_TEST(harvest_format_must_cover)
{
        char n100[512], n40[512];
        snprintf(n100, sizeof n100, ids_size_page, 100);
        snprintf(n40, sizeof n40, ids_size_page, 40);
        struct fd_test_route routes[] = {
                {.target = "/oai?verb=ListMetadataFormats", .status = 200, .body = formats_rich},
                {.target = "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc", .status = 200, .body = n100},
                {.target = "/oai?verb=ListIdentifiers&metadataPrefix=oai_datacite", .status = 200, .body = n40},
                {.target = "/oai?verb=ListIdentifiers&metadataPrefix=oai_openaire", .status = 200, .body = n100},
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_openaire", .status = 200,
                 .fixture = "listrecords_last_page_empty_token.xml"},
        };
        struct fd_test_http s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = fd_test_http_url(&s, "/oai");
        struct collect c = {0};
        struct fd_error err = {0};
        struct fd_harvest_opts o = {.url = url};
        ck_assert_msg(run_harvest(&o, &c, &err) == FD_OK, "%s", err.msg);
        ck_assert_uint_eq(c.n, 1);
        ck_assert_str_eq(c.pages[0]->checkpoint.metadata_prefix, "oai_openaire");
        ck_assert_msg(warned(&c.w, "lists 40 records in 'oai_datacite' but 100 in 'oai_dc'"), "%s",
                      c.w.n ? c.w.msg[0] : "none");

        /* the next run keeps the checkpoint's choice without asking again */
        struct fd_checkpoint next = {0};
        ck_assert_int_eq(fd_checkpoint_copy(&next, &c.pages[0]->checkpoint), FD_OK);
        collect_free(&c);
        pthread_mutex_lock(&s.lock);
        routes[0].hits = routes[1].hits = 0;
        pthread_mutex_unlock(&s.lock);
        routes[4].target = "/oai?verb=ListRecords&metadataPrefix=oai_openaire&from=2026-11-23T10%3A00%3A06Z";
        struct fd_harvest_opts o2 = {.url = url, .resume = &next};
        ck_assert_msg(run_harvest(&o2, &c, &err) == FD_OK, "%s", err.msg);
        ck_assert_str_eq(c.pages[0]->checkpoint.metadata_prefix, "oai_openaire");
        pthread_mutex_lock(&s.lock);
        ck_assert_int_eq(routes[0].hits, 0);
        ck_assert_int_eq(routes[1].hits, 0);
        pthread_mutex_unlock(&s.lock);
        fd_checkpoint_release(&next);
        collect_free(&c);
        fd_test_http_stop(&s);
}
END_TEST

START_TEST(harvest_unknown_set_warned)
{
        struct fd_test_route routes[] = {
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_dc&set=nope", .status = 200,
                 .fixture = "error_norecordsmatch.xml"},
        };
        struct fd_test_http s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = fd_test_http_url(&s, "/oai");
        struct collect c = {0};
        struct fd_error err = {0};
        char *sets[] = {"nope"};
        struct fd_harvest_opts o = {.url = url, .sets = sets, .n_sets = 1};
        ck_assert_msg(run_harvest(&o, &c, &err) == FD_OK, "%s", err.msg);
        ck_assert_uint_eq(c.n, 1);
        ck_assert(c.pages[0]->last);
        ck_assert_msg(warned(&c.w, "set 'nope' is not among the sets"), "%s", c.w.n ? c.w.msg[0] : "none");
        collect_free(&c);
        fd_test_http_stop(&s);
}
END_TEST

/* A repository that refuses the seconds granularity it declared, as
 * badArgument or (Zenodo) HTTP 422, is asked again at day granularity. */
static const struct {
        long status;
        const char *body, *fixture, *warning;
} day_granularity_cases[] = {
        {200, NULL, "error_badargument.xml", "'from' refused (badArgument), trying day granularity"},
        {422, "<html>Unprocessable</html>", NULL, "'from' refused (HTTP 422), trying day granularity"},
};

START_TEST(harvest_day_granularity_from)
{
        struct fd_test_route routes[] = {
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_dc&from=2026-01-01T09%3A59%3A59Z",
                 .status = (int)day_granularity_cases[_i].status, .body = day_granularity_cases[_i].body,
                 .fixture = day_granularity_cases[_i].fixture},
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_dc&from=2026-01-01", .status = 200,
                 .fixture = "listrecords_last_page_empty_token.xml"},
        };
        struct fd_test_http s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = fd_test_http_url(&s, "/oai");
        struct collect c = {0};
        struct fd_error err = {0};
        struct fd_checkpoint resume = {.last_complete = "2026-01-01T10:00:00Z"};
        struct fd_harvest_opts o = {.url = url, .resume = &resume};
        ck_assert_msg(run_harvest(&o, &c, &err) == FD_OK, "%s", err.msg);
        ck_assert_uint_eq(c.n, 1);
        ck_assert_str_eq(c.pages[0]->checkpoint.from, "2026-01-01");
        ck_assert_str_eq(c.pages[0]->checkpoint.granularity, "YYYY-MM-DD");
        ck_assert_str_eq(c.pages[0]->checkpoint.last_complete, "2026-11-23T10:00:07Z");
        ck_assert_msg(warned(&c.w, day_granularity_cases[_i].warning), "%s", c.w.n ? c.w.msg[0] : "none");
        collect_free(&c);
        fd_test_http_stop(&s);
}
END_TEST

static const char empty_token_page[] =
        "<OAI-PMH xmlns='http://www.openarchives.org/OAI/2.0/'><responseDate>2026-11-23T10:00:00Z</responseDate>"
        "<ListRecords><resumptionToken>%s</resumptionToken></ListRecords></OAI-PMH>";

START_TEST(harvest_empty_pages_with_tokens_stop)
{
        char b1[512], b2[512];
        snprintf(b1, sizeof b1, empty_token_page, "t1");
        snprintf(b2, sizeof b2, empty_token_page, "t2");
        struct fd_test_route routes[] = {
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_dc", .status = 200, .body = b1},
                {.target = "/oai?verb=ListRecords&resumptionToken=t1", .status = 200, .body = b2},
        };
        struct fd_test_http s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = fd_test_http_url(&s, "/oai");
        struct collect c = {0};
        struct fd_error err = {0};
        struct fd_harvest_opts o = {.url = url};
        ck_assert_int_eq(run_harvest(&o, &c, &err), FD_E_PROTOCOL);
        ck_assert_msg(strstr(err.msg, "two pages in a row without records"), "%s", err.msg);
        ck_assert_uint_eq(c.n, 1);  /* the first empty page was still committed */
        collect_free(&c);
        fd_test_http_stop(&s);
}
END_TEST

START_TEST(harvest_max_pages)
{
        static const char p1[] =
                "<OAI-PMH xmlns='http://www.openarchives.org/OAI/2.0/'><responseDate>2026-11-23T10:00:00Z"
                "</responseDate><ListRecords><record><header><identifier>a</identifier></header><metadata>"
                "<dc xmlns='http://www.openarchives.org/OAI/2.0/oai_dc/'/></metadata></record>"
                "<resumptionToken>n1</resumptionToken></ListRecords></OAI-PMH>";
        static const char p2[] =
                "<OAI-PMH xmlns='http://www.openarchives.org/OAI/2.0/'><responseDate>2026-11-23T10:00:00Z"
                "</responseDate><ListRecords><record><header><identifier>b</identifier></header><metadata>"
                "<dc xmlns='http://www.openarchives.org/OAI/2.0/oai_dc/'/></metadata></record>"
                "<resumptionToken>n2</resumptionToken></ListRecords></OAI-PMH>";
        struct fd_test_route routes[] = {
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_dc", .status = 200, .body = p1},
                {.target = "/oai?verb=ListRecords&resumptionToken=n1", .status = 200, .body = p2},
                {.target = "/oai?verb=ListRecords&resumptionToken=n2", .status = 200, .body = p1},
        };
        struct fd_test_http s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = fd_test_http_url(&s, "/oai");
        struct collect c = {0};
        struct fd_error err = {0};
        struct fd_harvest_opts o = {.url = url, .max_pages = 5};
        ck_assert_int_eq(run_harvest(&o, &c, &err), FD_E_PROTOCOL);
        ck_assert_msg(strstr(err.msg, "still open after 5 pages"), "%s", err.msg);
        ck_assert_uint_eq(c.n, 5);
        collect_free(&c);
        fd_test_http_stop(&s);
}
END_TEST

START_TEST(harvest_run_retry_bound)
{
        struct fd_test_route routes[] = {
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_dc", .status = 200,
                 .fixture = "listrecords_last_page_empty_token.xml", .fail_times = 100, .fail_status = 503,
                 .fail_headers = "Retry-After: 0\r\n"},
        };
        struct fd_test_http s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = fd_test_http_url(&s, "/oai");
        struct collect c = {0};
        struct fd_error err = {0};
        struct fd_harvest_opts o = {.url = url, .max_retries = 10, .max_run_retries = 2};
        ck_assert_int_eq(run_harvest(&o, &c, &err), FD_E_HTTP);
        ck_assert_msg(strstr(err.msg, "giving up after 2 retries in this run"), "%s", err.msg);
        ck_assert_msg(strstr(err.msg, "HTTP status 503"), "%s", err.msg);
        pthread_mutex_lock(&s.lock);
        ck_assert_int_eq(routes[0].hits, 3);
        pthread_mutex_unlock(&s.lock);
        collect_free(&c);
        fd_test_http_stop(&s);
}
END_TEST

START_TEST(harvest_429_http_date_and_min_delay)
{
        /* a Retry-After date in the past: retry at once */
        struct fd_test_route routes[] = {
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_dc", .status = 200,
                 .fixture = "listrecords_nasty_token.xml", .fail_times = 1, .fail_status = 429,
                 .fail_headers = "Retry-After: Wed, 21 Oct 2015 07:28:00 GMT\r\n"},
                {.target = "/oai?verb=ListRecords&resumptionToken=a%2Bb%2Fc%3Dd%3Ae", .status = 200,
                 .fixture = "listrecords_last_page_empty_token.xml"},
        };
        struct fd_test_http s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = fd_test_http_url(&s, "/oai");
        struct collect c = {0};
        struct fd_error err = {0};
        struct fd_harvest_opts o = {.url = url, .min_delay_ms = 300};
        ck_assert_msg(run_harvest(&o, &c, &err) == FD_OK, "%s", err.msg);
        ck_assert_uint_eq(c.n, 2);
        ck_assert(warned(&c.w, "HTTP 429, retrying in 0 s"));
        pthread_mutex_lock(&s.lock);
        ck_assert_uint_ge(s.n_targets, 5);
        for (size_t i = 1; i < s.n_targets; i++)
                ck_assert_msg(s.at_ms[i] - s.at_ms[i - 1] >= 290, "requests %zu and %zu %lld ms apart", i - 1, i,
                              (long long)(s.at_ms[i] - s.at_ms[i - 1]));
        pthread_mutex_unlock(&s.lock);
        collect_free(&c);
        fd_test_http_stop(&s);
}
END_TEST

static unsigned char *gzip_of(const char *text, size_t *ret_len) {
        z_stream z = {0};
        size_t cap = strlen(text) + 256;
        unsigned char *out = malloc(cap);
        ck_assert_ptr_nonnull(out);
        ck_assert_int_eq(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
        z.next_in = (unsigned char *)text;
        z.avail_in = (uInt)strlen(text);
        z.next_out = out;
        z.avail_out = (uInt)cap;
        ck_assert_int_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
        *ret_len = z.total_out;
        deflateEnd(&z);
        return out;
}

START_TEST(harvest_unannounced_gzip)
{
        size_t gl;
        _fd_free_ unsigned char *gz = gzip_of(datacite_page, &gl);
        struct fd_test_route routes[] = {
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_datacite", .status = 200, .body = (char *)gz,
                 .body_len = gl},
        };
        struct fd_test_http s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = fd_test_http_url(&s, "/oai");
        struct collect c = {0};
        struct fd_error err = {0};
        struct fd_harvest_opts o = {.url = url, .metadata_prefix = "oai_datacite"};
        ck_assert_msg(run_harvest(&o, &c, &err) == FD_OK, "%s", err.msg);
        ck_assert_uint_eq(c.n, 1);
        ck_assert_uint_eq(c.pages[0]->records.n, 1);
        ck_assert_msg(warned(&c.w, "gzip body without Content-Encoding, decompressed"), "%s",
                      c.w.n ? c.w.msg[0] : "none");
        collect_free(&c);
        fd_test_http_stop(&s);
}
END_TEST

START_TEST(harvest_truncated_body_retried_then_stops)
{
        static const char cut[] =
                "<OAI-PMH xmlns='http://www.openarchives.org/OAI/2.0/'><responseDate>2026-11-23T10:00:00Z"
                "</responseDate><ListRecords><record><header><identifier>a</identifier>";
        struct fd_test_route routes[] = {
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_dc", .status = 200, .body = cut},
        };
        struct fd_test_http s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = fd_test_http_url(&s, "/oai");
        struct collect c = {0};
        struct fd_error err = {0};
        struct fd_harvest_opts o = {.url = url, .max_retries = 1};
        ck_assert_int_eq(run_harvest(&o, &c, &err), FD_E_PARSE);
        ck_assert_msg(strstr(err.msg, "malformed XML in 'http://127.0.0.1:") && strstr(err.msg, "at line 1, col "),
                      "%s", err.msg);
        ck_assert_uint_eq(c.n, 0);
        pthread_mutex_lock(&s.lock);
        ck_assert_int_eq(routes[0].hits, 2);
        pthread_mutex_unlock(&s.lock);
        fd_test_http_stop(&s);
}
END_TEST

START_TEST(harvest_static_chooses_format)
{
        _fd_free_ char *path = own_fixture("static_repository_datacite.xml");
        _fd_free_ char *url = NULL;
        ck_assert_int_ge(asprintf(&url, "file://%s", path), 0);
        struct collect c = {0};
        struct fd_error err = {0};
        struct fd_harvest_opts o = {.url = url};
        ck_assert_msg(run_harvest(&o, &c, &err) == FD_OK, "%s", err.msg);
        ck_assert_uint_eq(c.n, 1);
        const struct fd_page *pg = c.pages[0];
        ck_assert_str_eq(pg->checkpoint.metadata_prefix, "oai_datacite");
        ck_assert_str_eq(pg->checkpoint.granularity, "YYYY-MM-DD");
        ck_assert_str_eq(pg->checkpoint.deleted_record, "no");
        ck_assert_uint_eq(pg->records.n, 1);
        ck_assert_str_eq(pg->records.v[0]->doi, "10.1234/static");
        collect_free(&c);

        /* and the reconciliation lists its headers */
        struct idlist l = {0};
        struct fd_harvest_opts o2 = {.source = "t", .url = url, .user_agent = "fairdex/test"};
        ck_assert_msg(fd_oai_list_identifiers(&o2, collect_id, &l, &err) == FD_OK, "%s", err.msg);
        ck_assert_uint_eq(l.n, 1);
        ck_assert_str_eq(l.ids[0], "oai:static.example.org:dc-1");
}
END_TEST


START_TEST(harvest_tokens_and_503)
{
        struct fd_test_route routes[] = {
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_dc", .status = 200,
                 .fixture = "listrecords_nasty_token.xml"},
                {.target = "/oai?verb=ListRecords&resumptionToken=a%2Bb%2Fc%3Dd%3Ae", .status = 200,
                 .fixture = "listrecords_last_page_empty_token.xml", .fail_times = 1, .fail_status = 503,
                 .fail_headers = "Retry-After: 1\r\n"},
        };
        struct fd_test_http s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = fd_test_http_url(&s, "/oai");
        struct collect c = {0};
        struct fd_error err = {0};
        struct fd_harvest_opts o = {.url = url};
        static struct fd_http_counts counts;

        int64_t t0 = fd_time_mono_ms();
        fd_http_count_thread(&counts);
        ck_assert_msg(run_harvest(&o, &c, &err) == FD_OK, "%s", err.msg);
        fd_http_count_thread(NULL);
        int64_t ms = fd_time_mono_ms() - t0;
        ck_assert_msg(ms >= 900, "Retry-After not honoured (%lld ms)", (long long)ms);
        /* the driver's own handle counted: the 503 and its retry's 200 each */
        ck_assert_uint_eq(count_of(&counts, 503), 1);
        ck_assert_uint_ge(count_of(&counts, 200), 2);

        ck_assert_uint_eq(c.n, 2);
        struct fd_page *p1 = c.pages[0], *p2 = c.pages[1];
        ck_assert_uint_eq(p1->records.n, 2);
        ck_assert(!p1->last);
        ck_assert_str_eq(p1->checkpoint.token, "a+b/c=d:e");
        ck_assert_str_eq(p1->checkpoint.run_start, "2026-11-23T10:00:00Z");
        ck_assert_ptr_null(p1->checkpoint.last_complete);
        ck_assert_ptr_null(p1->checkpoint.from);
        ck_assert_uint_eq(p1->checkpoint.pages, 1);
        ck_assert_uint_eq(p1->checkpoint.records, 2);
        ck_assert_str_eq(p1->records.v[0]->id, "test:oai:repo.example.org:1");
        ck_assert_str_eq(p1->source, "test");

        ck_assert_uint_eq(p2->records.n, 2);
        ck_assert(p2->last);
        ck_assert_ptr_null(p2->checkpoint.token);
        ck_assert_str_eq(p2->checkpoint.run_start, "2026-11-23T10:00:00Z");
        ck_assert_str_eq(p2->checkpoint.last_complete, "2026-11-23T10:00:00Z");
        ck_assert_uint_eq(p2->checkpoint.pages, 2);
        ck_assert_uint_eq(p2->checkpoint.records, 3);
        ck_assert_uint_eq(p2->checkpoint.deleted, 1);
        ck_assert_uint_eq(p2->checkpoint.set, 0);
        ck_assert(strstr(p2->url, "resumptionToken=a%2Bb%2Fc%3Dd%3Ae"));

        ck_assert(fd_test_http_got(&s, "/oai?verb=ListRecords&resumptionToken=a%2Bb%2Fc%3Dd%3Ae"));
        ck_assert_uint_eq(c.w.n, 1);
        ck_assert_msg(warned(&c.w, "HTTP 503, retrying in 1 s (attempt 2/4)"), "%s", c.w.msg[0]);
        ck_assert_msg(strstr(c.w.msg[0], "page 'http://127.0.0.1:"), "%s", c.w.msg[0]);
        ck_assert_str_eq(s.user_agent, "fairdex/test");
        collect_free(&c);
        fd_test_http_stop(&s);
}
END_TEST

START_TEST(harvest_norecordsmatch)
{
        struct fd_test_route routes[] = {
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_dc&set=empty", .status = 200,
                 .fixture = "error_norecordsmatch.xml"},
        };
        struct fd_test_http s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = fd_test_http_url(&s, "/oai");
        struct collect c = {0};
        struct fd_error err = {0};
        char *sets[] = {"empty"};
        struct fd_harvest_opts o = {.url = url, .sets = sets, .n_sets = 1};
        ck_assert_msg(run_harvest(&o, &c, &err) == FD_OK, "%s", err.msg);
        ck_assert_uint_eq(c.n, 1);
        ck_assert_uint_eq(c.pages[0]->records.n, 0);
        ck_assert(c.pages[0]->last);
        ck_assert_str_eq(c.pages[0]->error_code, "noRecordsMatch");
        ck_assert_str_eq(c.pages[0]->checkpoint.last_complete, "2026-11-23T11:00:00Z");
        ck_assert_ptr_null(c.pages[0]->checkpoint.token);
        collect_free(&c);
        fd_test_http_stop(&s);
}
END_TEST

START_TEST(harvest_resume_expired_token)
{
        struct fd_test_route routes[] = {
                {.target = "/oai?verb=ListRecords&resumptionToken=expired", .status = 200,
                 .fixture = "error_badresumptiontoken.xml"},
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_dc&from=2020-01-01", .status = 200,
                 .fixture = "listrecords_last_page_empty_token.xml"},
        };
        struct fd_test_http s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = fd_test_http_url(&s, "/oai");
        struct collect c = {0};
        struct fd_error err = {0};
        struct fd_checkpoint resume = {
                .token = "expired",
                .from = "2020-01-01",
                .run_start = "2026-11-20T00:00:00Z",
                .last_complete = "2020-01-01",
                .pages = 3,
                .records = 10,
        };
        struct fd_harvest_opts o = {.url = url, .resume = &resume};
        ck_assert_msg(run_harvest(&o, &c, &err) == FD_OK, "%s", err.msg);
        ck_assert_uint_eq(c.n, 1);
        struct fd_page *p = c.pages[0];
        ck_assert(p->last);
        ck_assert_str_eq(p->checkpoint.run_start, "2026-11-20T00:00:00Z");
        ck_assert_str_eq(p->checkpoint.last_complete, "2026-11-20T00:00:00Z");
        ck_assert_str_eq(p->checkpoint.from, "2020-01-01");
        ck_assert_uint_eq(p->checkpoint.pages, 4);
        ck_assert_uint_eq(p->checkpoint.records, 11);
        ck_assert_msg(warned(&c.w, "badResumptionToken"), "%zu warnings", c.w.n);
        collect_free(&c);
        fd_test_http_stop(&s);
}
END_TEST

START_TEST(harvest_resume_token)
{
        struct fd_test_route routes[] = {
                {.target = "/oai?verb=ListRecords&resumptionToken=a%2Bb%2Fc%3Dd%3Ae", .status = 200,
                 .fixture = "listrecords_last_page_empty_token.xml"},
        };
        struct fd_test_http s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = fd_test_http_url(&s, "/oai");
        struct collect c = {0};
        struct fd_error err = {0};
        struct fd_checkpoint resume = {.token = "a+b/c=d:e", .run_start = "2026-11-23T10:00:00Z", .pages = 1,
                                       .records = 2};
        struct fd_harvest_opts o = {.url = url, .resume = &resume};
        ck_assert_msg(run_harvest(&o, &c, &err) == FD_OK, "%s", err.msg);
        ck_assert_uint_eq(c.n, 1);
        ck_assert(c.pages[0]->last);
        ck_assert_uint_eq(c.pages[0]->checkpoint.pages, 2);
        ck_assert_uint_eq(c.pages[0]->checkpoint.records, 3);
        ck_assert_str_eq(c.pages[0]->checkpoint.last_complete, "2026-11-23T10:00:00Z");
        ck_assert_uint_eq(c.w.n, 0);
        collect_free(&c);
        fd_test_http_stop(&s);
}
END_TEST

static const char repeat_page[] =
        "<OAI-PMH xmlns='http://www.openarchives.org/OAI/2.0/'><responseDate>2026-11-23T10:00:00Z</responseDate>"
        "<ListRecords><resumptionToken>same</resumptionToken></ListRecords></OAI-PMH>";

START_TEST(harvest_repeated_token)
{
        struct fd_test_route routes[] = {
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_dc", .status = 200, .body = repeat_page},
                {.target = "/oai?verb=ListRecords&resumptionToken=same", .status = 200, .body = repeat_page},
        };
        struct fd_test_http s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = fd_test_http_url(&s, "/oai");
        struct collect c = {0};
        struct fd_error err = {0};
        struct fd_harvest_opts o = {.url = url};
        ck_assert_int_eq(run_harvest(&o, &c, &err), FD_E_PROTOCOL);
        ck_assert_msg(strstr(err.msg, "resumption token repeated"), "%s", err.msg);
        ck_assert_uint_eq(c.n, 1);
        ck_assert_str_eq(c.pages[0]->checkpoint.token, "same");
        collect_free(&c);
        fd_test_http_stop(&s);
}
END_TEST

START_TEST(harvest_html_200_retried_then_stops)
{
        struct fd_test_route routes[] = {
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_dc", .status = 200,
                 .fixture = "html_error_page_200.html"},
        };
        struct fd_test_http s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = fd_test_http_url(&s, "/oai");
        struct collect c = {0};
        struct fd_error err = {0};
        struct fd_harvest_opts o = {.url = url, .max_retries = 1};
        ck_assert_int_eq(run_harvest(&o, &c, &err), FD_E_PROTOCOL);
        ck_assert_msg(strstr(err.msg, "is not an OAI-PMH response (root element 'html')"), "%s", err.msg);
        ck_assert_msg(strstr(err.msg, url), "%s", err.msg);
        ck_assert_uint_eq(c.n, 0);
        ck_assert_uint_eq(c.w.n, 1);
        ck_assert_msg(warned(&c.w, "root element 'html'"), "%s", c.w.msg[0]);
        pthread_mutex_lock(&s.lock);
        ck_assert_int_eq(routes[0].hits, 2);
        pthread_mutex_unlock(&s.lock);
        fd_test_http_stop(&s);
}
END_TEST

START_TEST(harvest_500_gives_up)
{
        struct fd_test_route routes[] = {
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_dc", .status = 500, .body = "<html>oops</html>"},
        };
        struct fd_test_http s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = fd_test_http_url(&s, "/oai");
        struct collect c = {0};
        struct fd_error err = {0};
        struct fd_harvest_opts o = {.url = url, .max_retries = 1};
        ck_assert_int_eq(run_harvest(&o, &c, &err), FD_E_HTTP);
        ck_assert_msg(strstr(err.msg, "HTTP status 500"), "%s", err.msg);
        ck_assert_msg(strstr(err.msg, "(2 attempts)"), "%s", err.msg);
        ck_assert_uint_eq(c.w.n, 1);
        /* backoff of 1 s with jitter: between half and all of it */
        ck_assert_msg(warned(&c.w, "HTTP 500, retrying in 0.") || warned(&c.w, "HTTP 500, retrying in 1"), "%s",
                      c.w.msg[0]);
        ck_assert_msg(warned(&c.w, "(attempt 2/2)"), "%s", c.w.msg[0]);
        pthread_mutex_lock(&s.lock);
        ck_assert_int_eq(routes[0].hits, 2);
        pthread_mutex_unlock(&s.lock);
        fd_test_http_stop(&s);
}
END_TEST

START_TEST(harvest_oai_error_with_http_400)
{
        struct fd_test_route routes[] = {
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_dc", .status = 400,
                 .fixture = "error_badargument.xml"},
        };
        struct fd_test_http s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = fd_test_http_url(&s, "/oai");
        struct collect c = {0};
        struct fd_error err = {0};
        struct fd_harvest_opts o = {.url = url};
        ck_assert_int_eq(run_harvest(&o, &c, &err), FD_E_PROTOCOL);
        ck_assert_msg(strstr(err.msg, "OAI-PMH error 'badArgument' from '"), "%s", err.msg);
        ck_assert_msg(strstr(err.msg, "Illegal granularity"), "%s", err.msg);
        ck_assert_uint_eq(c.n, 0);
        fd_test_http_stop(&s);
}
END_TEST

START_TEST(harvest_cancel)
{
        struct fd_test_route routes[] = {
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_dc", .status = 200,
                 .fixture = "listrecords_nasty_token.xml"},
                {.target = "/oai?verb=ListRecords&resumptionToken=a%2Bb%2Fc%3Dd%3Ae", .status = 200,
                 .fixture = "listrecords_last_page_empty_token.xml"},
        };
        struct fd_test_http s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = fd_test_http_url(&s, "/oai");
        struct fd_error err = {0};

        /* the sink refuses */
        struct collect c = {.refuse_at = 1};
        struct fd_harvest_opts o = {.url = url};
        ck_assert_int_eq(run_harvest(&o, &c, &err), FD_E_CANCELLED);
        ck_assert_uint_eq(c.n, 1);
        collect_free(&c);

        /* the flag is raised during the first page */
        atomic_bool cancel = false;
        struct collect c2 = {.cancel_at_first = &cancel};
        struct fd_harvest_opts o2 = {.url = url, .cancel = &cancel};
        ck_assert_int_eq(run_harvest(&o2, &c2, &err), FD_E_CANCELLED);
        ck_assert_uint_eq(c2.n, 1);
        ck_assert(!fd_test_http_got(&s, "/oai?verb=ListRecords&resumptionToken=a%2Bb%2Fc%3Dd%3Ae"));
        collect_free(&c2);

        /* raised before the start: nothing is requested */
        struct collect c3 = {0};
        ck_assert_int_eq(run_harvest(&o2, &c3, &err), FD_E_CANCELLED);
        ck_assert_uint_eq(c3.n, 0);
        fd_test_http_stop(&s);
}
END_TEST

/* Waiting out a long Retry-After still stops promptly when cancelled. */
static void *raise_later(void *arg) {
        struct timespec ts = {.tv_sec = 0, .tv_nsec = 300 * 1000000L};
        nanosleep(&ts, NULL);
        atomic_store((atomic_bool *)arg, true);
        return NULL;
}

START_TEST(harvest_cancel_during_wait)
{
        struct fd_test_route routes[] = {
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_dc", .status = 503,
                 .headers = "Retry-After: 30\r\n", .body = "busy"},
        };
        struct fd_test_http s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = fd_test_http_url(&s, "/oai");
        struct collect c = {0};
        struct fd_error err = {0};
        atomic_bool cancel = false;
        struct fd_harvest_opts o = {.url = url, .cancel = &cancel};
        pthread_t t;
        pthread_create(&t, NULL, raise_later, &cancel);
        int64_t t0 = fd_time_mono_ms();
        ck_assert_int_eq(run_harvest(&o, &c, &err), FD_E_CANCELLED);
        ck_assert_int_lt(fd_time_mono_ms() - t0, 3000);
        ck_assert(warned(&c.w, "HTTP 503, retrying in 30 s"));
        pthread_join(t, NULL);
        fd_test_http_stop(&s);
}
END_TEST

START_TEST(harvest_sets_in_turn)
{
        static const char set_a[] =
                "<OAI-PMH xmlns='http://www.openarchives.org/OAI/2.0/'><responseDate>2026-11-23T09:00:00Z"
                "</responseDate><ListRecords><record><header><identifier>a1</identifier></header><metadata>"
                "<dc xmlns='http://www.openarchives.org/OAI/2.0/oai_dc/'><title xmlns='http://purl.org/dc/"
                "elements/1.1/'>A one</title></dc></metadata></record><resumptionToken>t1</resumptionToken>"
                "</ListRecords></OAI-PMH>";
        struct fd_test_route routes[] = {
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_dc&set=a%3Ab&from=2025-12-31T23%3A59%3A59Z",
                 .status = 200, .body = set_a},
                {.target = "/oai?verb=ListRecords&resumptionToken=t1", .status = 200,
                 .fixture = "listrecords_last_page_empty_token.xml"},
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_dc&set=c&from=2025-12-31T23%3A59%3A59Z",
                 .status = 200, .fixture = "error_norecordsmatch.xml"},
        };
        struct fd_test_http s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = fd_test_http_url(&s, "/oai");
        struct fd_error err = {0};
        char *sets[] = {"a:b", "c"};
        struct fd_checkpoint resume = {.last_complete = "2026-01-01T00:00:00Z"};

        struct collect c = {0};
        struct fd_harvest_opts o = {.url = url, .sets = sets, .n_sets = 2, .resume = &resume};
        ck_assert_msg(run_harvest(&o, &c, &err) == FD_OK, "%s", err.msg);
        ck_assert_uint_eq(c.n, 3);
        ck_assert_str_eq(c.pages[0]->checkpoint.token, "t1");
        ck_assert_uint_eq(c.pages[0]->checkpoint.set, 0);
        ck_assert_str_eq(c.pages[0]->checkpoint.from, "2025-12-31T23:59:59Z");
        ck_assert_str_eq(c.pages[0]->checkpoint.last_complete, "2026-01-01T00:00:00Z");
        ck_assert_ptr_null(c.pages[1]->checkpoint.token);
        ck_assert_uint_eq(c.pages[1]->checkpoint.set, 1);
        ck_assert(!c.pages[1]->last);
        ck_assert(c.pages[2]->last);
        ck_assert_uint_eq(c.pages[2]->checkpoint.set, 0);
        ck_assert_str_eq(c.pages[2]->checkpoint.last_complete, "2026-11-23T09:00:00Z");
        ck_assert_uint_eq(c.pages[2]->checkpoint.records, 2);
        ck_assert_uint_eq(c.pages[2]->checkpoint.deleted, 1);

        /* resuming between the two lists asks only for the second */
        struct fd_checkpoint mid = {0};
        ck_assert_int_eq(fd_checkpoint_copy(&mid, &c.pages[1]->checkpoint), FD_OK);
        collect_free(&c);
        pthread_mutex_lock(&s.lock);
        routes[2].hits = 0;
        routes[0].hits = 0;
        pthread_mutex_unlock(&s.lock);
        struct fd_harvest_opts o2 = {.url = url, .sets = sets, .n_sets = 2, .resume = &mid};
        ck_assert_msg(run_harvest(&o2, &c, &err) == FD_OK, "%s", err.msg);
        ck_assert_uint_eq(c.n, 1);
        ck_assert(c.pages[0]->last);
        ck_assert_str_eq(c.pages[0]->checkpoint.last_complete, "2026-11-23T09:00:00Z");
        ck_assert_uint_eq(c.pages[0]->checkpoint.pages, 3);
        pthread_mutex_lock(&s.lock);
        ck_assert_int_eq(routes[0].hits, 0);
        ck_assert_int_eq(routes[2].hits, 1);
        pthread_mutex_unlock(&s.lock);
        fd_checkpoint_release(&mid);
        collect_free(&c);
        fd_test_http_stop(&s);
}
END_TEST

START_TEST(harvest_static_file_pages)
{
        _fd_free_ char *path = own_fixture("static_repository.xml");
        _fd_free_ char *url = NULL;
        ck_assert_int_ge(asprintf(&url, "file://%s", path), 0);
        struct collect c = {0};
        struct fd_error err = {0};
        struct fd_checkpoint resume = {.last_complete = "2020-01-01T00:00:00Z", .token = "ignored"};
        struct fd_harvest_opts o = {.url = url, .static_page_records = 2, .resume = &resume};
        int64_t before = fd_time_now();
        ck_assert_msg(run_harvest(&o, &c, &err) == FD_OK, "%s", err.msg);
        ck_assert_uint_eq(c.n, 3);
        ck_assert_uint_eq(c.pages[0]->records.n, 2);
        ck_assert_uint_eq(c.pages[1]->records.n, 2);
        ck_assert_uint_eq(c.pages[2]->records.n, 1);
        ck_assert(!c.pages[0]->last);
        ck_assert(!c.pages[1]->last);
        ck_assert(c.pages[2]->last);
        for (size_t i = 0; i < c.n; i++) {
                ck_assert_ptr_null(c.pages[i]->checkpoint.token);
                ck_assert_str_eq(c.pages[i]->url, url);
        }
        ck_assert_str_eq(c.pages[0]->checkpoint.last_complete, "2020-01-01T00:00:00Z");
        const struct fd_checkpoint *cp = &c.pages[2]->checkpoint;
        ck_assert_str_eq(cp->last_complete, cp->run_start);
        int64_t rs;
        ck_assert(fd_time_parse_iso(cp->run_start, &rs));
        ck_assert_int_ge(rs, before - 1);
        ck_assert_uint_eq(cp->pages, 3);
        ck_assert_uint_eq(cp->records, 4);
        ck_assert_uint_eq(cp->deleted, 1);
        ck_assert_str_eq(c.pages[2]->records.v[0]->local_id, "oai:static.example.org:5");
        collect_free(&c);

        /* a saved noRecordsMatch answer through file:// is an empty run */
        _fd_free_ char *p2 = own_fixture("error_norecordsmatch.xml");
        _fd_free_ char *u2 = NULL;
        ck_assert_int_ge(asprintf(&u2, "file://%s", p2), 0);
        struct fd_harvest_opts o2 = {.url = u2};
        ck_assert_msg(run_harvest(&o2, &c, &err) == FD_OK, "%s", err.msg);
        ck_assert_uint_eq(c.n, 1);
        ck_assert(c.pages[0]->last);
        ck_assert_str_eq(c.pages[0]->checkpoint.run_start, "2026-11-23T11:00:00Z");
        collect_free(&c);
}
END_TEST

START_TEST(harvest_static_arena_cap)
{
        _fd_free_ char *path = own_fixture("static_repository.xml");
        _fd_free_ char *url = NULL;
        ck_assert_int_ge(asprintf(&url, "file://%s", path), 0);
        struct collect c = {0};
        struct fd_error err = {0};
        struct fd_harvest_opts o = {.url = url, .page_arena_cap = 2048};
        ck_assert_msg(run_harvest(&o, &c, &err) == FD_OK, "%s", err.msg);
        ck_assert_uint_eq(c.n, 1);
        ck_assert_uint_gt(c.pages[0]->n_skipped, 0);
        ck_assert_uint_eq(c.pages[0]->records.n + c.pages[0]->n_skipped, 5);
        ck_assert(warned(&c.w, "skipped: the page arena is full"));
        ck_assert_uint_eq(c.w.n, 1);  /* the reason repeats: told once per page */
        collect_free(&c);
}
END_TEST

START_TEST(harvest_bad_options)
{
        struct collect c = {0};
        struct fd_error err = {0};
        /* a configured prefix is never refused for its name: the run goes on (and here finds no server) */
        struct fd_harvest_opts o = {.url = "http://127.0.0.1:1/oai", .metadata_prefix = "my_own_marc", .max_retries = 1};
        ck_assert_int_eq(run_harvest(&o, &c, &err), FD_E_HTTP);
        c.w.n = 0;
        struct fd_harvest_opts o2 = {.url = "ftp://example.org/oai"};
        ck_assert_int_eq(run_harvest(&o2, &c, &err), FD_E_INVALID);
        struct fd_harvest_opts o3 = {.url = "file:///nonexistent/fairdex/static.xml"};
        ck_assert_int_eq(run_harvest(&o3, &c, &err), FD_E_HTTP);
        ck_assert_msg(strstr(err.msg, "file:///nonexistent/fairdex/static.xml"), "%s", err.msg);
        ck_assert_uint_eq(c.n, 0);
        /* connection refused: retried, then FD_E_HTTP */
        struct fd_harvest_opts o4 = {.url = "http://127.0.0.1:1/oai", .max_retries = 1};
        ck_assert_int_eq(run_harvest(&o4, &c, &err), FD_E_HTTP);
        ck_assert_uint_eq(c.w.n, 1);
}
END_TEST

static Suite *harvesters_suite(void) {
        Suite *s = suite_create("harvesters");
        struct shared_case sh = shared_case_new(s, "harvesters", "real", "../shared/fixtures/oai");
        shared_case_add_test(&sh, real_tudelft_token);
        shared_case_add_test(&sh, real_utwente_oaidc_prefix);
        shared_case_add_test(&sh, real_pyoai_81_records);
        shared_case_add_test(&sh, real_dara_multilang);
        shared_case_add_test(&sh, real_ojs_cdata);
        shared_case_add_test(&sh, real_subjectsplus_tz_offset);
        shared_case_add_test(&sh, real_ist_altidentifier);
        shared_case_add_test(&sh, real_cessda_not_xml);
        shared_case_add_test(&sh, real_pyoai_undefined_entity);
        shared_case_add_test(&sh, real_norecordsmatch);
        shared_case_add_test(&sh, real_arxiv_badresumptiontoken);
        shared_case_add_test(&sh, real_citebase_invalid_chars);
        shared_case_add_loop_test(&sh, real_fixture_outcome, 0, (int)FD_ELEMENTSOF(fixture_cases));
        shared_case_add_test(&sh, real_datacite_full_example);
        shared_case_add_test(&sh, real_datacite_geolocation_bom);
        shared_case_add_test(&sh, real_dataverse_unav);
        shared_case_add_test(&sh, real_openaire_v4_sample);
        shared_case_add_test(&sh, real_b2find_datacite_quirks);
        shared_case_add_test(&sh, real_identify_and_lists_fields);
        shared_case_finish(&sh);

        TCase *t = tcase_create("parser");
        tcase_add_test(t, own_xxe_not_resolved);
        tcase_add_test(t, own_billion_laughs_bounded);
        tcase_add_test(t, own_html_200);
        tcase_add_test(t, own_not_xml);
        tcase_add_test(t, own_static_repository);
        tcase_add_test(t, own_nasty_token_trimmed);
        tcase_add_test(t, own_last_page_empty_token);
        tcase_add_test(t, own_oaidc_prefix_and_format);
        tcase_add_test(t, own_cdata);
        tcase_add_test(t, own_multilang);
        tcase_add_test(t, own_altidentifier_types);
        tcase_add_test(t, own_undefined_entity);
        tcase_add_test(t, own_invalid_utf8);
        tcase_add_test(t, own_tz_offset_no_identifier);
        tcase_add_test(t, oversized_records_skipped);
        tcase_add_test(t, unsupported_format_told_once);
        tcase_add_test(t, truncated_is_parse_error);
        tcase_add_test(t, byte_by_byte_feed);
        tcase_add_test(t, own_datacite_kernel3_default_prefix);
        tcase_add_test(t, own_datacite_no_namespace);
        tcase_add_test(t, own_datacite_no_payload);
        tcase_add_test(t, own_openaire_mixed_namespaces);
        tcase_add_test(t, own_openaire_v4);
        tcase_add_test(t, own_datacite_unav);
        tcase_add_test(t, own_bom_and_geo);
        tcase_add_test(t, own_latin1_declared);
        tcase_add_test(t, own_invalid_char_references);
        tcase_add_test(t, repair_any_chunking);
        suite_add_tcase(s, t);

        t = tcase_create("checkpoint");
        tcase_add_test(t, checkpoint_json_roundtrip);
        tcase_add_test(t, checkpoint_json_errors);
        suite_add_tcase(s, t);

        t = tcase_create("http");
        tcase_add_test(t, url_encode);
        tcase_add_test(t, http_get_basics);
        tcase_add_test(t, http_counts_by_status);
        suite_add_tcase(s, t);

        t = tcase_create("harvest");
        tcase_add_test(t, harvest_tokens_and_503);
        tcase_add_test(t, list_identifiers_pages);
        tcase_add_test(t, harvest_identify_and_format_choice);
        tcase_add_test(t, harvest_format_fallback_and_configured);
        tcase_add_test(t, harvest_format_must_cover);
        tcase_add_test(t, harvest_unknown_set_warned);
        tcase_add_loop_test(t, harvest_day_granularity_from, 0, (int)FD_ELEMENTSOF(day_granularity_cases));
        tcase_add_test(t, harvest_empty_pages_with_tokens_stop);
        tcase_add_test(t, harvest_max_pages);
        tcase_add_test(t, harvest_run_retry_bound);
        tcase_add_test(t, harvest_429_http_date_and_min_delay);
        tcase_add_test(t, harvest_unannounced_gzip);
        tcase_add_test(t, harvest_truncated_body_retried_then_stops);
        tcase_add_test(t, harvest_static_chooses_format);
        tcase_add_test(t, harvest_norecordsmatch);
        tcase_add_test(t, harvest_resume_expired_token);
        tcase_add_test(t, harvest_resume_token);
        tcase_add_test(t, harvest_repeated_token);
        tcase_add_test(t, harvest_html_200_retried_then_stops);
        tcase_add_test(t, harvest_500_gives_up);
        tcase_add_test(t, harvest_oai_error_with_http_400);
        tcase_add_test(t, harvest_cancel);
        tcase_add_test(t, harvest_cancel_during_wait);
        tcase_add_test(t, harvest_sets_in_turn);
        tcase_add_test(t, harvest_static_file_pages);
        tcase_add_test(t, harvest_static_arena_cap);
        tcase_add_test(t, harvest_bad_options);
        suite_add_tcase(s, t);
        return s;
}

FD_TEST_MAIN(harvesters_suite)
