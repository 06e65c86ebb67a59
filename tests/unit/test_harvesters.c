/* test_harvesters.c: the OAI-PMH parser, the oai_dc mapper, checkpoints,
 * HTTP and the harvest driver.
 *
 * Real responses from other projects are parsed in place from
 * $FD_SOURCE_ROOT/../shared/fixtures/oai (skipped, saying so, when absent);
 * our own small fixtures in tests/fixtures/oai cover each quirk so the
 * suite stands alone.  The driver runs against a real HTTP server: a thread
 * on 127.0.0.1 (ephemeral port) answering canned pages by request target,
 * with scripted failures (503 + Retry-After, 500, HTML with 200).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>

#include <check.h>

#include "fd_harvesters.h"
#include "private.h"

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

static char *slurp(const char *path, size_t *ret_len) {
        FILE *f = fopen(path, "rb");
        if (!f)
                return NULL;
        size_t cap = 4096, len = 0;
        char *buf = malloc(cap + 1);
        size_t n;
        while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
                len += n;
                if (len == cap) {
                        cap *= 2;
                        buf = realloc(buf, cap + 1);
                }
        }
        fclose(f);
        buf[len] = '\0';
        *ret_len = len;
        return buf;
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
        _fd_free_ char *data = slurp(path, &len);
        if (!data) {
                *skip = true;
                return FD_OK;
        }
        *skip = false;
        return fd_oai_parse_page("src", data, len, collect_warn, w, ret, err);
}

#define SHARED_OR_SKIP(name, page, st, err, w)                                                       \
        struct fd_page *page = NULL;                                                                 \
        struct fd_error err = {0};                                                                   \
        struct warns w = {0};                                                                        \
        bool skip_##page;                                                                            \
        _fd_free_ char *path_##page = shared_fixture(name);                                          \
        enum fd_status st = parse_path(path_##page, &w, &page, &err, &skip_##page);                  \
        if (skip_##page) {                                                                           \
                printf("skip: %s absent (shared fixtures not available)\n", path_##page);            \
                return;                                                                              \
        }

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

static bool has_str(const struct fd_strs *l, const char *s) {
        for (size_t i = 0; i < l->n; i++)
                if (strcmp(l->v[i], s) == 0)
                        return true;
        return false;
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
        SHARED_OR_SKIP("meresco_tudelft_listrecords_p1_token_cursor_completelistsize.xml", p, st, err, w);
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
        SHARED_OR_SKIP("meresco_utwente_listrecords_oaidc_prefix_date_only_datestamp.xml", p, st, err, w);
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
        SHARED_OR_SKIP("pyoai_dspace_eur_listrecords_252k_81records_2deleted.xml", p, st, err, w);
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
        SHARED_OR_SKIP("b2find_dara_gesis_oai_dc_multilang_de_en.xml", p, st, err, w);
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
        SHARED_OR_SKIP("xoai_ojs_getrecord_multiple_cdata.xml", p, st, err, w);
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
        SHARED_OR_SKIP("vufindharvest_subjectsplus_listrecords_tz_offset_bad_baseurl.xml", p, st, err, w);
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
        SHARED_OR_SKIP("b2find_ist_oai_dc_html_in_source.xml", p, st, err, w);
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
        SHARED_OR_SKIP("cessda_error_body_not_xml.xml", p, st, err, w);
        ck_assert_int_eq(st, FD_E_PROTOCOL);
        ck_assert_ptr_null(p);
        ck_assert_msg(strstr(err.msg, "not an OAI-PMH response: not XML"), "%s", err.msg);
        ck_assert_msg(strstr(err.msg, "Whatever this file is"), "%s", err.msg);
}
END_TEST

START_TEST(real_pyoai_undefined_entity)
{
        SHARED_OR_SKIP("pyoai_malformed_undefined_entity.xml", p, st, err, w);
        ck_assert_int_eq(st, FD_E_PARSE);
        ck_assert_ptr_null(p);
        ck_assert_msg(strstr(err.msg, "at line 1, col "), "%s", err.msg);
        ck_assert_msg(strstr(err.msg, "bogus"), "%s", err.msg);
}
END_TEST

START_TEST(real_norecordsmatch)
{
        SHARED_OR_SKIP("meresco_utwente_error_norecordsmatch.xml", p, st, err, w);
        ck_assert_msg(st == FD_OK, "%s", err.msg);
        ck_assert_str_eq(p->error_code, "noRecordsMatch");
        ck_assert_str_eq(p->error_message, "The combination of the values of arguments results in an empty set");
        ck_assert_uint_eq(p->records.n, 0);
        fd_page_free(p);
}
END_TEST

START_TEST(real_arxiv_badresumptiontoken)
{
        SHARED_OR_SKIP("arxiv_error_badresumptiontoken.xml", p, st, err, w);
        ck_assert_msg(st == FD_OK, "%s", err.msg);
        ck_assert_str_eq(p->error_code, "badResumptionToken");
        ck_assert_uint_eq(p->records.n, 0);
        ck_assert_ptr_null(p->token);
        fd_page_free(p);
}
END_TEST

/* Today an invalid UTF-8 byte fails the whole response with the position;
 * repairing it is a later change. */
START_TEST(real_citebase_invalid_chars)
{
        SHARED_OR_SKIP("httpoai_citebase_getrecord_invalid_control_chars.xml", p, st, err, w);
        ck_assert_int_eq(st, FD_E_PARSE);
        ck_assert_ptr_null(p);
        ck_assert_msg(strstr(err.msg, "at line 4, col "), "%s", err.msg);
        ck_assert_msg(strstr(err.msg, "UTF-8"), "%s", err.msg);
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
        struct fd_error err = {0};
        ck_assert_int_eq(parse_own_fail("invalid_utf8_control_chars.xml", &err), FD_E_PARSE);
        ck_assert_msg(strstr(err.msg, "at line 3, col 1"), "%s", err.msg);
        ck_assert_msg(strstr(err.msg, "UTF-8"), "%s", err.msg);
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
        "<m:mods xmlns:m='http://www.loc.gov/mods/v3'><m:title>t</m:title></m:mods></metadata></record>"
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
        ck_assert_msg(strstr(w.msg[0], "record 'x0' skipped: metadata format {http://www.loc.gov/mods/v3}mods is "
                                       "not supported"), "%s", w.msg[0]);
        fd_page_free(p);
        fd_buf_release(&b);
}
END_TEST

START_TEST(truncated_is_parse_error)
{
        size_t len;
        _fd_free_ char *path = own_fixture("listrecords_nasty_token.xml");
        _fd_free_ char *data = slurp(path, &len);
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
                _fd_free_ char *data = slurp(path, &len);
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

        struct fd_checkpoint copy;
        ck_assert_int_eq(fd_checkpoint_copy(&copy, &back), FD_OK);
        ck_assert_ptr_ne(copy.token, back.token);
        ck_assert_str_eq(copy.token, back.token);
        fd_checkpoint_release(&back);
        ck_assert_ptr_null(back.token);
        ck_assert_str_eq(copy.from, "2024-01-01T00:00:00Z");
        fd_checkpoint_release(&copy);
        fd_checkpoint_release(&copy);

        /* an empty checkpoint, unknown keys ignored */
        ck_assert_int_eq(fd_checkpoint_from_json("{\"future\":[1,2]}", &back, &err), FD_OK);
        ck_assert_ptr_null(back.token);
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

/* ---- a tiny HTTP server -------------------------------------------------------------- */

struct route {
        const char *target;       /* path and query, exactly as received */
        int status;
        const char *headers;      /* extra header lines ("Name: v\r\n"), or NULL */
        const char *fixture;      /* own fixture served as body, or NULL */
        const char *body;         /* else this body */
        size_t body_len;          /* 0: strlen(body) */
        int fail_times;           /* the first hits answer fail_status instead */
        int fail_status;
        const char *fail_headers;
        int hits;
};

struct server {
        int fd;
        int port;
        pthread_t thread;
        atomic_bool stop;
        pthread_mutex_t lock;
        struct route *routes;
        size_t n_routes;
        char targets[64][2048];
        size_t n_targets;
        char user_agent[256];
};

static void write_all(int fd, const char *p, size_t n) {
        while (n > 0) {
                ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
                if (k <= 0)
                        return;
                p += k;
                n -= (size_t)k;
        }
}

static void serve_one(struct server *s, int c) {
        char req[16384];
        size_t n = 0;
        while (n < sizeof req - 1) {
                ssize_t k = recv(c, req + n, sizeof req - 1 - n, 0);
                if (k <= 0)
                        break;
                n += (size_t)k;
                req[n] = '\0';
                if (strstr(req, "\r\n\r\n"))
                        break;
        }
        req[n] = '\0';
        char target[2048] = "";
        sscanf(req, "GET %2047s", target);
        const char *ua = strcasestr(req, "\r\nUser-Agent: ");

        pthread_mutex_lock(&s->lock);
        if (s->n_targets < 64)
                snprintf(s->targets[s->n_targets++], sizeof s->targets[0], "%s", target);
        if (ua) {
                ua += 14;
                size_t l = strcspn(ua, "\r");
                snprintf(s->user_agent, sizeof s->user_agent, "%.*s", (int)l, ua);
        }
        struct route *r = NULL;
        for (size_t i = 0; i < s->n_routes; i++)
                if (strcmp(s->routes[i].target, target) == 0) {
                        r = &s->routes[i];
                        break;
                }
        int status = 404;
        const char *headers = "", *body = "not found";
        size_t body_len = 9;
        _fd_free_ char *file = NULL;
        if (r) {
                bool failing = r->hits < r->fail_times;
                r->hits++;
                if (failing) {
                        status = r->fail_status;
                        headers = r->fail_headers ? r->fail_headers : "";
                        body = "<html><body>busy</body></html>";
                        body_len = strlen(body);
                } else {
                        status = r->status;
                        headers = r->headers ? r->headers : "";
                        if (r->fixture) {
                                _fd_free_ char *path = own_fixture(r->fixture);
                                file = slurp(path, &body_len);
                                body = file ? file : "";
                        } else {
                                body = r->body;
                                body_len = r->body_len ? r->body_len : strlen(r->body);
                        }
                }
        }
        pthread_mutex_unlock(&s->lock);

        char head[1024];
        int hl = snprintf(head, sizeof head,
                          "HTTP/1.1 %d Status\r\nContent-Type: text/xml; charset=utf-8\r\n"
                          "Content-Length: %zu\r\nConnection: close\r\n%s\r\n",
                          status, body_len, headers);
        write_all(c, head, (size_t)hl);
        write_all(c, body, body_len);
}

static void *server_main(void *arg) {
        struct server *s = arg;
        while (!atomic_load(&s->stop)) {
                struct pollfd pfd = {.fd = s->fd, .events = POLLIN};
                if (poll(&pfd, 1, 50) <= 0)
                        continue;
                int c = accept(s->fd, NULL, NULL);
                if (c < 0)
                        continue;
                serve_one(s, c);
                shutdown(c, SHUT_WR);
                close(c);
        }
        return NULL;
}

static void server_start(struct server *s, struct route *routes, size_t n) {
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
        socklen_t al = sizeof a;

        memset(s, 0, sizeof *s);
        s->routes = routes;
        s->n_routes = n;
        pthread_mutex_init(&s->lock, NULL);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        s->fd = socket(AF_INET, SOCK_STREAM, 0);
        ck_assert_int_ge(s->fd, 0);
        ck_assert_int_eq(bind(s->fd, (struct sockaddr *)&a, sizeof a), 0);
        ck_assert_int_eq(listen(s->fd, 16), 0);
        ck_assert_int_eq(getsockname(s->fd, (struct sockaddr *)&a, &al), 0);
        s->port = ntohs(a.sin_port);
        ck_assert_int_eq(pthread_create(&s->thread, NULL, server_main, s), 0);
}

static void server_stop(struct server *s) {
        atomic_store(&s->stop, true);
        pthread_join(s->thread, NULL);
        close(s->fd);
        pthread_mutex_destroy(&s->lock);
}

static bool server_got(struct server *s, const char *target) {
        bool found = false;
        pthread_mutex_lock(&s->lock);
        for (size_t i = 0; i < s->n_targets; i++)
                if (strcmp(s->targets[i], target) == 0)
                        found = true;
        pthread_mutex_unlock(&s->lock);
        return found;
}

static char *base_url(struct server *s, const char *path) {
        char *u = NULL;
        ck_assert_int_ge(asprintf(&u, "http://127.0.0.1:%d%s", s->port, path), 0);
        return u;
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
        struct route routes[] = {
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
        struct server s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));

        struct fd_http *h = NULL;
        struct fd_error err = {0};
        struct fd_http_opts o = {.user_agent = "fairdex/test (+mailto:test@example.org)", .max_body = 4096};
        ck_assert_int_eq(fd_http_new(&o, &h, &err), FD_OK);
        struct sink_buf sb;
        fd_buf_init(&sb.b, 1 << 20);
        long code = -1;

        _fd_free_ char *u1 = base_url(&s, "/hello");
        ck_assert_msg(fd_http_get(h, u1, to_buf, &sb, &code, &err) == FD_OK, "%s", err.msg);
        ck_assert_int_eq(code, 200);
        ck_assert_str_eq(sb.b.data, "hello");
        ck_assert_str_eq(s.user_agent, "fairdex/test (+mailto:test@example.org)");
        ck_assert_int_eq(fd_http_retry_after(h), -1);

        fd_buf_reset(&sb.b);
        _fd_free_ char *u2 = base_url(&s, "/big");
        ck_assert_int_eq(fd_http_get(h, u2, to_buf, &sb, &code, &err), FD_E_LIMIT);
        ck_assert_msg(strstr(err.msg, "exceeds 4096 bytes"), "%s", err.msg);

        fd_buf_reset(&sb.b);
        _fd_free_ char *u3 = base_url(&s, "/gz");
        ck_assert_msg(fd_http_get(h, u3, to_buf, &sb, &code, &err) == FD_OK, "%s", err.msg);
        ck_assert_str_eq(sb.b.data, "hello, gzip\n");

        fd_buf_reset(&sb.b);
        _fd_free_ char *u4 = base_url(&s, "/to-file");
        ck_assert_int_eq(fd_http_get(h, u4, to_buf, &sb, &code, &err), FD_E_HTTP);
        ck_assert(!strstr(sb.b.data ? sb.b.data : "", "root:"));

        fd_buf_reset(&sb.b);
        _fd_free_ char *u5 = base_url(&s, "/redirect");
        ck_assert_msg(fd_http_get(h, u5, to_buf, &sb, &code, &err) == FD_OK, "%s", err.msg);
        ck_assert_str_eq(sb.b.data, "hello");

        fd_buf_reset(&sb.b);
        _fd_free_ char *u6 = base_url(&s, "/busy");
        ck_assert_int_eq(fd_http_get(h, u6, to_buf, &sb, &code, &err), FD_E_HTTP);
        ck_assert_int_eq(code, 503);
        ck_assert_int_eq(fd_http_retry_after(h), 7);
        ck_assert_str_eq(sb.b.data, "busy");
        ck_assert_msg(strstr(err.msg, "HTTP status 503 from '"), "%s", err.msg);

        _fd_free_ char *u7 = base_url(&s, "/busy-date");
        ck_assert_int_eq(fd_http_get(h, u7, NULL, NULL, &code, &err), FD_E_HTTP);
        ck_assert_int_eq(fd_http_retry_after(h), 0);  /* a date in the past */

        fd_buf_reset(&sb.b);
        _fd_free_ char *u8 = base_url(&s, "/gone");
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
        server_stop(&s);

        struct fd_http_opts bad = {0};
        ck_assert_int_eq(fd_http_new(&bad, &h, &err), FD_E_INVALID);
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

START_TEST(harvest_tokens_and_503)
{
        struct route routes[] = {
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_dc", .status = 200,
                 .fixture = "listrecords_nasty_token.xml"},
                {.target = "/oai?verb=ListRecords&resumptionToken=a%2Bb%2Fc%3Dd%3Ae", .status = 200,
                 .fixture = "listrecords_last_page_empty_token.xml", .fail_times = 1, .fail_status = 503,
                 .fail_headers = "Retry-After: 1\r\n"},
        };
        struct server s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = base_url(&s, "/oai");
        struct collect c = {0};
        struct fd_error err = {0};
        struct fd_harvest_opts o = {.url = url};

        int64_t t0 = fd_time_mono_ms();
        ck_assert_msg(run_harvest(&o, &c, &err) == FD_OK, "%s", err.msg);
        int64_t ms = fd_time_mono_ms() - t0;
        ck_assert_msg(ms >= 900, "Retry-After not honoured (%lld ms)", (long long)ms);

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

        ck_assert(server_got(&s, "/oai?verb=ListRecords&resumptionToken=a%2Bb%2Fc%3Dd%3Ae"));
        ck_assert_uint_eq(c.w.n, 1);
        ck_assert_msg(warned(&c.w, "HTTP 503, retrying in 1 s (attempt 2/4)"), "%s", c.w.msg[0]);
        ck_assert_msg(strstr(c.w.msg[0], "page 'http://127.0.0.1:"), "%s", c.w.msg[0]);
        ck_assert_str_eq(s.user_agent, "fairdex/test");
        collect_free(&c);
        server_stop(&s);
}
END_TEST

START_TEST(harvest_norecordsmatch)
{
        struct route routes[] = {
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_dc&set=empty", .status = 200,
                 .fixture = "error_norecordsmatch.xml"},
        };
        struct server s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = base_url(&s, "/oai");
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
        server_stop(&s);
}
END_TEST

START_TEST(harvest_resume_expired_token)
{
        struct route routes[] = {
                {.target = "/oai?verb=ListRecords&resumptionToken=expired", .status = 200,
                 .fixture = "error_badresumptiontoken.xml"},
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_dc&from=2020-01-01", .status = 200,
                 .fixture = "listrecords_last_page_empty_token.xml"},
        };
        struct server s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = base_url(&s, "/oai");
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
        server_stop(&s);
}
END_TEST

START_TEST(harvest_resume_token)
{
        struct route routes[] = {
                {.target = "/oai?verb=ListRecords&resumptionToken=a%2Bb%2Fc%3Dd%3Ae", .status = 200,
                 .fixture = "listrecords_last_page_empty_token.xml"},
        };
        struct server s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = base_url(&s, "/oai");
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
        server_stop(&s);
}
END_TEST

static const char repeat_page[] =
        "<OAI-PMH xmlns='http://www.openarchives.org/OAI/2.0/'><responseDate>2026-11-23T10:00:00Z</responseDate>"
        "<ListRecords><resumptionToken>same</resumptionToken></ListRecords></OAI-PMH>";

START_TEST(harvest_repeated_token)
{
        struct route routes[] = {
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_dc", .status = 200, .body = repeat_page},
                {.target = "/oai?verb=ListRecords&resumptionToken=same", .status = 200, .body = repeat_page},
        };
        struct server s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = base_url(&s, "/oai");
        struct collect c = {0};
        struct fd_error err = {0};
        struct fd_harvest_opts o = {.url = url};
        ck_assert_int_eq(run_harvest(&o, &c, &err), FD_E_PROTOCOL);
        ck_assert_msg(strstr(err.msg, "resumption token repeated"), "%s", err.msg);
        ck_assert_uint_eq(c.n, 1);
        ck_assert_str_eq(c.pages[0]->checkpoint.token, "same");
        collect_free(&c);
        server_stop(&s);
}
END_TEST

START_TEST(harvest_html_200_not_retried)
{
        struct route routes[] = {
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_dc", .status = 200,
                 .fixture = "html_error_page_200.html"},
        };
        struct server s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = base_url(&s, "/oai");
        struct collect c = {0};
        struct fd_error err = {0};
        struct fd_harvest_opts o = {.url = url};
        ck_assert_int_eq(run_harvest(&o, &c, &err), FD_E_PROTOCOL);
        ck_assert_msg(strstr(err.msg, "is not an OAI-PMH response (root element 'html')"), "%s", err.msg);
        ck_assert_msg(strstr(err.msg, url), "%s", err.msg);
        ck_assert_uint_eq(c.n, 0);
        ck_assert_uint_eq(c.w.n, 0);
        pthread_mutex_lock(&s.lock);
        ck_assert_int_eq(routes[0].hits, 1);
        pthread_mutex_unlock(&s.lock);
        server_stop(&s);
}
END_TEST

START_TEST(harvest_500_gives_up)
{
        struct route routes[] = {
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_dc", .status = 500, .body = "<html>oops</html>"},
        };
        struct server s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = base_url(&s, "/oai");
        struct collect c = {0};
        struct fd_error err = {0};
        struct fd_harvest_opts o = {.url = url, .max_retries = 1};
        ck_assert_int_eq(run_harvest(&o, &c, &err), FD_E_HTTP);
        ck_assert_msg(strstr(err.msg, "HTTP status 500"), "%s", err.msg);
        ck_assert_uint_eq(c.w.n, 1);
        ck_assert_msg(warned(&c.w, "HTTP 500, retrying in 1 s (attempt 2/2)"), "%s", c.w.msg[0]);
        pthread_mutex_lock(&s.lock);
        ck_assert_int_eq(routes[0].hits, 2);
        pthread_mutex_unlock(&s.lock);
        server_stop(&s);
}
END_TEST

START_TEST(harvest_oai_error_with_http_400)
{
        struct route routes[] = {
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_dc", .status = 400,
                 .fixture = "error_badargument.xml"},
        };
        struct server s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = base_url(&s, "/oai");
        struct collect c = {0};
        struct fd_error err = {0};
        struct fd_harvest_opts o = {.url = url};
        ck_assert_int_eq(run_harvest(&o, &c, &err), FD_E_PROTOCOL);
        ck_assert_msg(strstr(err.msg, "OAI-PMH error 'badArgument' from '"), "%s", err.msg);
        ck_assert_msg(strstr(err.msg, "Illegal granularity"), "%s", err.msg);
        ck_assert_uint_eq(c.n, 0);
        server_stop(&s);
}
END_TEST

START_TEST(harvest_cancel)
{
        struct route routes[] = {
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_dc", .status = 200,
                 .fixture = "listrecords_nasty_token.xml"},
                {.target = "/oai?verb=ListRecords&resumptionToken=a%2Bb%2Fc%3Dd%3Ae", .status = 200,
                 .fixture = "listrecords_last_page_empty_token.xml"},
        };
        struct server s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = base_url(&s, "/oai");
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
        ck_assert(!server_got(&s, "/oai?verb=ListRecords&resumptionToken=a%2Bb%2Fc%3Dd%3Ae"));
        collect_free(&c2);

        /* raised before the start: nothing is requested */
        struct collect c3 = {0};
        ck_assert_int_eq(run_harvest(&o2, &c3, &err), FD_E_CANCELLED);
        ck_assert_uint_eq(c3.n, 0);
        server_stop(&s);
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
        struct route routes[] = {
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_dc", .status = 503,
                 .headers = "Retry-After: 30\r\n", .body = "busy"},
        };
        struct server s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = base_url(&s, "/oai");
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
        server_stop(&s);
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
        struct route routes[] = {
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_dc&set=a%3Ab&from=2026-01-01T00%3A00%3A00Z",
                 .status = 200, .body = set_a},
                {.target = "/oai?verb=ListRecords&resumptionToken=t1", .status = 200,
                 .fixture = "listrecords_last_page_empty_token.xml"},
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_dc&set=c&from=2026-01-01T00%3A00%3A00Z",
                 .status = 200, .fixture = "error_norecordsmatch.xml"},
        };
        struct server s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = base_url(&s, "/oai");
        struct fd_error err = {0};
        char *sets[] = {"a:b", "c"};
        struct fd_checkpoint resume = {.last_complete = "2026-01-01T00:00:00Z"};

        struct collect c = {0};
        struct fd_harvest_opts o = {.url = url, .sets = sets, .n_sets = 2, .resume = &resume};
        ck_assert_msg(run_harvest(&o, &c, &err) == FD_OK, "%s", err.msg);
        ck_assert_uint_eq(c.n, 3);
        ck_assert_str_eq(c.pages[0]->checkpoint.token, "t1");
        ck_assert_uint_eq(c.pages[0]->checkpoint.set, 0);
        ck_assert_str_eq(c.pages[0]->checkpoint.from, "2026-01-01T00:00:00Z");
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
        server_stop(&s);
}
END_TEST

START_TEST(harvest_day_granularity_from)
{
        struct route routes[] = {
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_dc&from=2026-01-01T10%3A00%3A00Z",
                 .status = 200, .fixture = "error_badargument.xml"},
                {.target = "/oai?verb=ListRecords&metadataPrefix=oai_dc&from=2026-01-01", .status = 200,
                 .fixture = "listrecords_last_page_empty_token.xml"},
        };
        struct server s;
        server_start(&s, routes, FD_ELEMENTSOF(routes));
        _fd_free_ char *url = base_url(&s, "/oai");
        struct collect c = {0};
        struct fd_error err = {0};
        struct fd_checkpoint resume = {.last_complete = "2026-01-01T10:00:00Z"};
        struct fd_harvest_opts o = {.url = url, .resume = &resume};
        ck_assert_msg(run_harvest(&o, &c, &err) == FD_OK, "%s", err.msg);
        ck_assert_uint_eq(c.n, 1);
        ck_assert_str_eq(c.pages[0]->checkpoint.from, "2026-01-01");
        ck_assert_str_eq(c.pages[0]->checkpoint.last_complete, "2026-11-23T10:00:07Z");
        ck_assert(warned(&c.w, "day granularity"));
        collect_free(&c);
        server_stop(&s);
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
        struct fd_harvest_opts o = {.url = "http://127.0.0.1:1/oai", .metadata_prefix = "marc21"};
        ck_assert_int_eq(run_harvest(&o, &c, &err), FD_E_UNSUPPORTED);
        ck_assert_msg(strstr(err.msg, "'marc21'"), "%s", err.msg);
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
        TCase *t = tcase_create("real");
        tcase_add_test(t, real_tudelft_token);
        tcase_add_test(t, real_utwente_oaidc_prefix);
        tcase_add_test(t, real_pyoai_81_records);
        tcase_add_test(t, real_dara_multilang);
        tcase_add_test(t, real_ojs_cdata);
        tcase_add_test(t, real_subjectsplus_tz_offset);
        tcase_add_test(t, real_ist_altidentifier);
        tcase_add_test(t, real_cessda_not_xml);
        tcase_add_test(t, real_pyoai_undefined_entity);
        tcase_add_test(t, real_norecordsmatch);
        tcase_add_test(t, real_arxiv_badresumptiontoken);
        tcase_add_test(t, real_citebase_invalid_chars);
        suite_add_tcase(s, t);

        t = tcase_create("parser");
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
        suite_add_tcase(s, t);

        t = tcase_create("checkpoint");
        tcase_add_test(t, checkpoint_json_roundtrip);
        tcase_add_test(t, checkpoint_json_errors);
        suite_add_tcase(s, t);

        t = tcase_create("http");
        tcase_add_test(t, url_encode);
        tcase_add_test(t, http_get_basics);
        suite_add_tcase(s, t);

        t = tcase_create("harvest");
        tcase_add_test(t, harvest_tokens_and_503);
        tcase_add_test(t, harvest_norecordsmatch);
        tcase_add_test(t, harvest_resume_expired_token);
        tcase_add_test(t, harvest_resume_token);
        tcase_add_test(t, harvest_repeated_token);
        tcase_add_test(t, harvest_html_200_not_retried);
        tcase_add_test(t, harvest_500_gives_up);
        tcase_add_test(t, harvest_oai_error_with_http_400);
        tcase_add_test(t, harvest_cancel);
        tcase_add_test(t, harvest_cancel_during_wait);
        tcase_add_test(t, harvest_sets_in_turn);
        tcase_add_test(t, harvest_day_granularity_from);
        tcase_add_test(t, harvest_static_file_pages);
        tcase_add_test(t, harvest_static_arena_cap);
        tcase_add_test(t, harvest_bad_options);
        suite_add_tcase(s, t);
        return s;
}

int main(void) {
        SRunner *sr = srunner_create(harvesters_suite());
        srunner_run_all(sr, CK_NORMAL);
        int failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
