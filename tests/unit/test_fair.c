/* test_fair.c: the FAIR rubric on records built field by field.
 *
 * Records are assembled directly in an arena (no mapper, and no adders but
 * in test_through_adders, which checks that the rubric reads what the
 * adders normalize) so each test states exactly which fields a record has.
 * The expected scores of the poor and rich records are exact on purpose:
 * changing an indicator changes them, and that is when
 * FD_FAIR_RUBRIC_VERSION and docs/fair.md must change too.
 */
#include <check.h>

#include "fd_test.h"
#include "fd_fair.h"

static struct fd_arena *arena;

static void setup(void) {
        arena = fd_arena_new(1 << 20);
        ck_assert_ptr_nonnull(arena);
}

static void teardown(void) {
        fd_arena_free(arena);
        arena = NULL;
}

/* ---- building records -------------------------------------------------- */

static struct fd_record *rec(const char *format) {
        struct fd_record *r = fd_record_new_in(arena);

        ck_assert_ptr_nonnull(r);
        r->id = "test:1";
        r->source = "test";
        r->local_id = "oai:example.org:1";
        r->format = format;
        return r;
}

#define PUSH(list)                                                           \
        ({                                                                   \
                __typeof__((list).v) _e = FD_PUSH(arena, list);              \
                ck_assert_ptr_nonnull(_e);                                   \
                _e;                                                          \
        })

static void add_str(struct fd_strs *l, const char *v) {
        *PUSH(*l) = v;
}

static void add_title(struct fd_record *r, const char *v) {
        PUSH(r->titles)->value = v;
}

static void add_description(struct fd_record *r, const char *v) {
        PUSH(r->descriptions)->value = v;
}

static void add_agent(struct fd_agents *l, const char *name, const char *orcid, const char *ror) {
        struct fd_agent *a = PUSH(*l);

        a->name = name;
        a->orcid = orcid;
        a->ror = ror;
        a->affiliation = ror ? "Some University" : NULL;
}

static void add_subject(struct fd_record *r, const char *v, const char *scheme, const char *uri) {
        struct fd_subject *s = PUSH(r->subjects);

        s->value = v;
        s->scheme = scheme;
        s->uri = uri;
}

static void add_date(struct fd_record *r, const char *v, const char *type) {
        struct fd_date *d = PUSH(r->dates);

        d->value = v;
        d->type = type;
        d->precision = FD_DATE_DAY;
}

static void add_id(struct fd_record *r, const char *v, enum fd_pid_scheme scheme) {
        struct fd_identifier *i = PUSH(r->identifiers);

        i->value = v;
        i->scheme = scheme;
        if (scheme == FD_PID_DOI && !r->doi)
                r->doi = v;
}

static void add_license(struct fd_record *r, const char *url, const char *spdx, const char *text) {
        struct fd_license *l = PUSH(r->licenses);

        l->url = url;
        l->spdx = spdx;
        l->text = text;
}

static void add_related(struct fd_record *r, const char *v, enum fd_pid_scheme scheme, const char *relation) {
        struct fd_related *x = PUSH(r->related);

        x->value = v;
        x->scheme = scheme;
        x->relation = relation;
}

static void add_funding(struct fd_record *r, const char *funder, const char *funder_id) {
        struct fd_funding *f = PUSH(r->funding);

        f->funder = funder;
        f->funder_id = funder_id;
        f->award = "101000001";
}

/* The poor record: an oai_dc record with a title and nothing else. */
static struct fd_record *poor(void) {
        struct fd_record *r = rec("oai_dc");

        add_title(r, "Soil samples");
        return r;
}

/* The rich record: what a careful DataCite deposit looks like. */
static struct fd_record *rich(void) {
        struct fd_record *r = rec("oai_datacite");

        add_title(r, "Soil moisture measurements, Lower Saxony, 2019");
        add_description(r, "Hourly soil moisture at 12 sites.");
        add_agent(&r->creators, "Doe, Jane", "0000-0002-1825-0097", NULL);
        add_agent(&r->creators, "Roe, Richard", NULL, NULL);
        add_subject(r, "Soil science", "FOS", NULL);
        add_subject(r, "soil moisture", NULL, NULL);
        add_date(r, "2019-03-14", "issued");
        add_id(r, "10.5281/zenodo.1234", FD_PID_DOI);
        r->publisher = "Zenodo";
        r->resource_type = "Dataset";
        r->resource_type_raw = "Dataset";
        add_license(r, "https://creativecommons.org/licenses/by/4.0/legalcode", "CC-BY-4.0", NULL);
        r->access = FD_ACCESS_OPEN;
        add_str(&r->languages, "en");
        add_str(&r->formats, "text/csv");
        add_str(&r->urls, "https://zenodo.org/records/1234");
        add_related(r, "10.1234/article.5", FD_PID_DOI, "IsSupplementTo");
        add_funding(r, "European Commission", "https://doi.org/10.13039/501100000780");
        r->version = "1.0";
        add_str(&r->sizes, "6 MB");
        return r;
}

/* ---- reading an assessment --------------------------------------------- */

static size_t index_of(const char *id) {
        size_t i = fd_fair_indicator_index(id);
        ck_assert_msg(i != SIZE_MAX, "no indicator '%s'", id);
        return i;
}

static const struct fd_fair_result *result(const struct fd_fair_assessment *a, const char *id) {
        return &a->results[index_of(id)];
}

/* Checks one indicator's outcome and points on r; returns its hint. */
static const char *expect_on(const struct fd_record *r, const char *id, enum fd_fair_outcome outcome, int points) {
        struct fd_fair_assessment a;
        const struct fd_fair_result *res;

        fd_fair_assess(r, &a);
        res = result(&a, id);
        ck_assert_msg(res->outcome == outcome, "%s: outcome %s, expected %s", id, fd_fair_outcome_name(res->outcome),
                      fd_fair_outcome_name(outcome));
        ck_assert_msg(res->points == points, "%s: %d points, expected %d", id, res->points, points);
        if (outcome == FD_FAIR_PASS || outcome == FD_FAIR_NA)
                ck_assert_ptr_null(res->hint);
        else
                ck_assert_ptr_nonnull(res->hint);
        return res->hint;
}

static void check_consistent(const struct fd_fair_assessment *a) {
        size_t n;
        const struct fd_fair_indicator *ind = fd_fair_indicators(&n);

        ck_assert_uint_eq(a->n, n);
        for (size_t i = 0; i < n; i++) {
                const struct fd_fair_result *res = &a->results[i];
                switch (res->outcome) {
                case FD_FAIR_PASS:
                        ck_assert_int_eq(res->points, ind[i].max_points);
                        ck_assert_ptr_null(res->hint);
                        break;
                case FD_FAIR_PARTIAL:
                        ck_assert_int_gt(res->points, 0);
                        ck_assert_int_lt(res->points, ind[i].max_points);
                        ck_assert_ptr_nonnull(res->hint);
                        break;
                case FD_FAIR_FAIL:
                        ck_assert_int_eq(res->points, 0);
                        ck_assert_ptr_nonnull(res->hint);
                        break;
                case FD_FAIR_NA:
                        ck_assert_int_eq(res->points, 0);
                        ck_assert_ptr_null(res->hint);
                        break;
                default:
                        ck_abort_msg("%s: bad outcome %d", ind[i].id, (int)res->outcome);
                }
        }
        for (int p = 0; p < FD_FAIR_PRINCIPLES; p++) {
                ck_assert_int_ge(a->score[p], 0);
                ck_assert_int_le(a->score[p], 100);
        }
        ck_assert_int_ge(a->overall, 0);
        ck_assert_int_le(a->overall, 100);
}

/* ---- the table --------------------------------------------------------- */

START_TEST(test_indicator_table) {
        static const char *const ids[] = {
                "F1-unique",   "F1-persistent", "F2-core",         "F3-data-id",     "A1-access-url",
                "A1-access-level", "I1-standard", "I2-vocab",      "I3-links",       "R1-content",
                "R1.1-license", "R1.2-provenance", "R1.3-community", "R1.3-formats",
        };
        size_t n = 0;
        const struct fd_fair_indicator *ind = fd_fair_indicators(&n);

        ck_assert_ptr_nonnull(ind);
        ck_assert_ptr_eq(fd_fair_indicators(NULL), ind);
        ck_assert_uint_eq(n, FD_ELEMENTSOF(ids));
        ck_assert_uint_le(n, FD_FAIR_MAX_INDICATORS);
        ck_assert_str_eq(FD_FAIR_RUBRIC_VERSION, "0.3");
        for (size_t i = 0; i < n; i++) {
                ck_assert_str_eq(ind[i].id, ids[i]);
                /* the id starts with its principle's letter */
                ck_assert_int_eq(ind[i].id[0], fd_fair_principle_name(ind[i].principle)[0]);
                if (i > 0)
                        ck_assert_int_le(ind[i - 1].principle, ind[i].principle);
                ck_assert_msg(strncmp(ind[i].fuji, "FsF-", 4) == 0, "%s: fuji '%s'", ind[i].id, ind[i].fuji);
                ck_assert_msg(strncmp(ind[i].rda, "RDA-", 4) == 0, "%s: rda '%s'", ind[i].id, ind[i].rda);
                /* F-UJI and RDA ids name the same principle as ours */
                ck_assert_int_eq(ind[i].fuji[4], ind[i].id[0]);
                ck_assert_int_eq(ind[i].rda[4], ind[i].id[0]);
                ck_assert_ptr_nonnull(ind[i].title);
                ck_assert_int_gt((int)strlen(ind[i].title), 0);
                ck_assert_int_ge(ind[i].max_points, 1);
                ck_assert_int_le(ind[i].max_points, 5);
        }
}
END_TEST

START_TEST(test_names) {
        ck_assert_str_eq(fd_fair_principle_name(FD_FAIR_F), "F");
        ck_assert_str_eq(fd_fair_principle_name(FD_FAIR_A), "A");
        ck_assert_str_eq(fd_fair_principle_name(FD_FAIR_I), "I");
        ck_assert_str_eq(fd_fair_principle_name(FD_FAIR_R), "R");
        ck_assert_str_eq(fd_fair_principle_name(FD_FAIR_PRINCIPLES), "unknown");
        ck_assert_str_eq(fd_fair_outcome_name(FD_FAIR_PASS), "pass");
        ck_assert_str_eq(fd_fair_outcome_name(FD_FAIR_PARTIAL), "partial");
        ck_assert_str_eq(fd_fair_outcome_name(FD_FAIR_FAIL), "fail");
        ck_assert_str_eq(fd_fair_outcome_name(FD_FAIR_NA), "n/a");
        ck_assert_str_eq(fd_fair_outcome_name((enum fd_fair_outcome)42), "unknown");
}
END_TEST

/* ---- whole records ----------------------------------------------------- */

START_TEST(test_poor_record) {
        struct fd_fair_assessment a;
        const struct fd_record *r = poor();

        fd_fair_assess(r, &a);
        check_consistent(&a);

        ck_assert_ptr_nonnull(strstr(expect_on(r, "F1-unique", FD_FAIR_FAIL, 0), "dc:identifier"));
        ck_assert_ptr_nonnull(strstr(expect_on(r, "F1-persistent", FD_FAIR_FAIL, 0), "DOI"));
        /* a title is one field of seven: partial, and the hint asks for the next one */
        ck_assert_ptr_nonnull(strstr(expect_on(r, "F2-core", FD_FAIR_PARTIAL, 1), "creator"));
        expect_on(r, "F3-data-id", FD_FAIR_FAIL, 0);
        expect_on(r, "A1-access-url", FD_FAIR_FAIL, 0);
        ck_assert_ptr_nonnull(strstr(expect_on(r, "A1-access-level", FD_FAIR_FAIL, 0), "access right"));
        ck_assert_ptr_nonnull(strstr(expect_on(r, "I1-standard", FD_FAIR_PARTIAL, 1), "oai_datacite"));
        ck_assert_ptr_nonnull(strstr(expect_on(r, "I2-vocab", FD_FAIR_FAIL, 0), "subject"));
        ck_assert_ptr_nonnull(strstr(expect_on(r, "I3-links", FD_FAIR_FAIL, 0), "relatedIdentifier"));
        ck_assert_ptr_nonnull(strstr(expect_on(r, "R1-content", FD_FAIR_FAIL, 0), "resource type"));
        ck_assert_ptr_nonnull(strstr(expect_on(r, "R1.1-license", FD_FAIR_FAIL, 0), "licence"));
        ck_assert_ptr_nonnull(strstr(expect_on(r, "R1.2-provenance", FD_FAIR_FAIL, 0), "ORCID"));
        ck_assert_ptr_nonnull(strstr(expect_on(r, "R1.3-community", FD_FAIR_PARTIAL, 1), "DataCite"));
        expect_on(r, "R1.3-formats", FD_FAIR_NA, 0);

        /* F 1/8, A 0/4, I 1/10, R 1/12 (formats n/a), overall 3/34 */
        ck_assert_int_eq(a.score[FD_FAIR_F], 13);
        ck_assert_int_eq(a.score[FD_FAIR_A], 0);
        ck_assert_int_eq(a.score[FD_FAIR_I], 10);
        ck_assert_int_eq(a.score[FD_FAIR_R], 8);
        ck_assert_int_eq(a.overall, 9);
}
END_TEST

START_TEST(test_rich_record) {
        struct fd_fair_assessment a;
        size_t n;
        const struct fd_fair_indicator *ind = fd_fair_indicators(&n);
        const struct fd_record *r = rich();

        fd_fair_assess(r, &a);
        check_consistent(&a);
        for (size_t i = 0; i < n; i++) {
                if (strcmp(ind[i].id, "I3-links") == 0)
                        continue;
                ck_assert_msg(a.results[i].outcome == FD_FAIR_PASS, "%s: %s (%s)", ind[i].id,
                              fd_fair_outcome_name(a.results[i].outcome),
                              a.results[i].hint ? a.results[i].hint : "");
        }
        /* no ROR for the affiliation: the one thing missing */
        ck_assert_ptr_nonnull(strstr(expect_on(r, "I3-links", FD_FAIR_PARTIAL, 3), "ROR"));
        ck_assert_int_eq(a.score[FD_FAIR_F], 100);
        ck_assert_int_eq(a.score[FD_FAIR_A], 100);
        ck_assert_int_eq(a.score[FD_FAIR_I], 90);
        ck_assert_int_eq(a.score[FD_FAIR_R], 100);
        ck_assert_int_ge(a.overall, 85);
        ck_assert_int_eq(a.overall, 97);
}
END_TEST

START_TEST(test_null_record) {
        struct fd_fair_assessment a, b;

        memset(&a, 0xff, sizeof a);
        fd_fair_assess(NULL, &a);
        check_consistent(&a);
        ck_assert_int_eq(a.overall, 0);

        /* a zeroed record is the same as no record */
        fd_fair_assess(rec(NULL), &b);
        ck_assert_int_eq(b.overall, 0);
        for (size_t i = 0; i < a.n; i++) {
                ck_assert_int_eq(a.results[i].outcome, b.results[i].outcome);
                ck_assert_int_eq(a.results[i].outcome == FD_FAIR_FAIL || a.results[i].outcome == FD_FAIR_NA, 1);
        }
        fd_fair_assess(rich(), NULL);
}
END_TEST

START_TEST(test_pure) {
        struct fd_fair_assessment a, b;
        struct fd_record *r = rich(), copy = *r;

        fd_fair_assess(r, &a);
        fd_fair_assess(r, &b);
        ck_assert_int_eq(memcmp(&a, &b, sizeof a), 0);
        ck_assert_int_eq(memcmp(r, &copy, sizeof copy), 0);
}
END_TEST

/* ---- F ----------------------------------------------------------------- */

START_TEST(test_f1_unique) {
        struct fd_record *r = rec("oai_dc");

        add_id(r, "ISBN 978-3-16-148410-0", FD_PID_NONE);
        expect_on(r, "F1-unique", FD_FAIR_FAIL, 0);
        add_str(&r->urls, "http://repo.example.org/record/1");
        expect_on(r, "F1-unique", FD_FAIR_PASS, 1);

        r = rec("oai_dc");
        add_id(r, "https://repo.example.org/record/1", FD_PID_URL);
        expect_on(r, "F1-unique", FD_FAIR_PASS, 1);

        /* a DCAT dataset is identified by its IRI */
        r = rec("dcat");
        r->local_id = "http://data.europa.eu/88u/dataset/abc";
        expect_on(r, "F1-unique", FD_FAIR_PASS, 1);

        r = rec("oai_dc");
        add_id(r, "20.500.12345/678", FD_PID_HANDLE);
        expect_on(r, "F1-unique", FD_FAIR_PASS, 1);
}
END_TEST

START_TEST(test_f1_persistent) {
        static const enum fd_pid_scheme pids[] = { FD_PID_DOI, FD_PID_HANDLE, FD_PID_ARK, FD_PID_URN };
        static const char *const values[] = { "10.1/x", "20.500.1/2", "ark:/12345/x7", "urn:nbn:de:0001-1" };
        struct fd_record *r = rec("oai_dc");
        const char *url_hint, *none_hint;

        none_hint = expect_on(r, "F1-persistent", FD_FAIR_FAIL, 0);
        add_id(r, "https://repo.example.org/record/1", FD_PID_URL);
        url_hint = expect_on(r, "F1-persistent", FD_FAIR_FAIL, 0);
        ck_assert_ptr_nonnull(strstr(url_hint, "URL"));
        ck_assert_str_ne(url_hint, none_hint);

        for (size_t i = 0; i < FD_ELEMENTSOF(pids); i++) {
                r = rec("oai_dc");
                add_id(r, values[i], pids[i]);
                expect_on(r, "F1-persistent", FD_FAIR_PASS, 2);
        }
        /* r->doi alone is enough */
        r = rec("oai_dc");
        r->doi = "10.1/x";
        expect_on(r, "F1-persistent", FD_FAIR_PASS, 2);
        /* an ORCID is a person's identifier, not the data's */
        r = rec("oai_dc");
        add_id(r, "0000-0002-1825-0097", FD_PID_ORCID);
        expect_on(r, "F1-persistent", FD_FAIR_FAIL, 0);
}
END_TEST

/* Written as a PID but not one by syntax (the adders keep it raw, scheme
 * NONE): the hint says to correct it, not to add one. */
START_TEST(test_f1_persistent_malformed) {
        static const char *const bad[] = {
                "doi:10.abc", "10.12/", " hdl:foo", "https://doi.org/not-a-doi", "urn:nbn:", "ARK:/x",
        };
        struct fd_record *r;
        const char *hint;

        for (size_t i = 0; i < FD_ELEMENTSOF(bad); i++) {
                r = rec("oai_dc");
                add_id(r, bad[i], FD_PID_NONE);
                hint = expect_on(r, "F1-persistent", FD_FAIR_FAIL, 0);
                ck_assert_msg(strstr(hint, "Correct") != NULL, "%s: %s", bad[i], hint);
        }
        /* a local id is not a malformed PID */
        r = rec("oai_dc");
        add_id(r, "record-42", FD_PID_NONE);
        ck_assert_ptr_null(strstr(expect_on(r, "F1-persistent", FD_FAIR_FAIL, 0), "Correct"));
        /* a valid PID beside a malformed one passes */
        r = rec("oai_dc");
        add_id(r, "doi:10.abc", FD_PID_NONE);
        add_id(r, "10.1/x", FD_PID_DOI);
        expect_on(r, "F1-persistent", FD_FAIR_PASS, 2);
        /* the adders are what decide: a real malformed DOI through them */
        r = rec("oai_dc");
        ck_assert_int_eq(fd_record_add_identifier(r, arena, "doi:10.abc", FD_PID_NONE), FD_OK);
        ck_assert_uint_eq(r->identifiers.n, 1);
        ck_assert_int_eq(r->identifiers.v[0].scheme, FD_PID_NONE);
        ck_assert_ptr_nonnull(strstr(expect_on(r, "F1-persistent", FD_FAIR_FAIL, 0), "Correct"));
}
END_TEST

START_TEST(test_f2_core) {
        struct fd_record *r = rec("oai_dc");
        const char *hint;

        expect_on(r, "F2-core", FD_FAIR_FAIL, 0);
        ck_assert_ptr_nonnull(strstr(expect_on(r, "F2-core", FD_FAIR_FAIL, 0), "title"));

        /* empty values do not count */
        add_title(r, "");
        add_date(r, NULL, "issued");
        expect_on(r, "F2-core", FD_FAIR_FAIL, 0);

        add_title(r, "A title");
        add_agent(&r->creators, "Doe, Jane", NULL, NULL);
        expect_on(r, "F2-core", FD_FAIR_PARTIAL, 1); /* 2/7 */
        add_date(r, "2020", NULL);
        expect_on(r, "F2-core", FD_FAIR_PARTIAL, 1); /* 3/7 */
        add_description(r, "Some words.");
        hint = expect_on(r, "F2-core", FD_FAIR_PARTIAL, 2); /* 4/7 */
        ck_assert_ptr_nonnull(strstr(hint, "publisher"));
        add_subject(r, "soil", NULL, NULL);
        r->resource_type_raw = "Text"; /* the raw type counts for F2 */
        hint = expect_on(r, "F2-core", FD_FAIR_PARTIAL, 2); /* 6/7: never full points */
        ck_assert_ptr_nonnull(strstr(hint, "dc:publisher"));
        r->publisher = "Some Press";
        expect_on(r, "F2-core", FD_FAIR_PASS, 3);
}
END_TEST

START_TEST(test_f3_data_id) {
        struct fd_record *r = rec("oai_dc");

        expect_on(r, "F3-data-id", FD_FAIR_FAIL, 0);
        add_id(r, "local-42", FD_PID_NONE);
        expect_on(r, "F3-data-id", FD_FAIR_PARTIAL, 1);
        add_id(r, "http://repo.example.org/1", FD_PID_URL);
        expect_on(r, "F3-data-id", FD_FAIR_PASS, 2);

        r = rec("dcat");
        add_str(&r->download_urls, "ftp://ftp.example.org/data.csv");
        expect_on(r, "F3-data-id", FD_FAIR_PASS, 2);

        r = rec("oai_dc");
        add_id(r, "10.1/x", FD_PID_DOI);
        expect_on(r, "F3-data-id", FD_FAIR_PASS, 2);
}
END_TEST

/* ---- A ----------------------------------------------------------------- */

START_TEST(test_a1_access_url) {
        struct fd_record *r = rec("oai_dc");

        ck_assert_ptr_nonnull(strstr(expect_on(r, "A1-access-url", FD_FAIR_FAIL, 0), "URL"));
        add_id(r, "http://repo.example.org/1", FD_PID_URL);
        ck_assert_ptr_nonnull(strstr(expect_on(r, "A1-access-url", FD_FAIR_PARTIAL, 1), "https"));
        add_str(&r->download_urls, "HTTPS://repo.example.org/1/data.csv");
        expect_on(r, "A1-access-url", FD_FAIR_PASS, 2);

        r = rec("oai_dc");
        add_str(&r->download_urls, "ftp://ftp.example.org/data.csv");
        expect_on(r, "A1-access-url", FD_FAIR_PARTIAL, 1);
        add_str(&r->urls, "https://repo.example.org/1");
        expect_on(r, "A1-access-url", FD_FAIR_PASS, 2);

        /* a PID with a resolver is a link over https */
        r = rec("oai_dc");
        add_id(r, "urn:nbn:de:0001-1", FD_PID_URN);
        expect_on(r, "A1-access-url", FD_FAIR_PASS, 2);

        /* an unrecognized identifier is no link */
        r = rec("oai_dc");
        add_id(r, "local-42", FD_PID_NONE);
        expect_on(r, "A1-access-url", FD_FAIR_FAIL, 0);
}
END_TEST

START_TEST(test_a1_access_level) {
        struct fd_record *r = rec("oai_dc");

        expect_on(r, "A1-access-level", FD_FAIR_FAIL, 0);
        r->access = FD_ACCESS_OPEN;
        expect_on(r, "A1-access-level", FD_FAIR_PASS, 2);
        r->access = FD_ACCESS_RESTRICTED;
        expect_on(r, "A1-access-level", FD_FAIR_PASS, 2);
        r->access = FD_ACCESS_CLOSED;
        expect_on(r, "A1-access-level", FD_FAIR_PASS, 2);
        r->access = FD_ACCESS_EMBARGOED;
        ck_assert_ptr_nonnull(strstr(expect_on(r, "A1-access-level", FD_FAIR_PARTIAL, 1), "embargo"));
        r->embargo_end = "2030-01-01";
        expect_on(r, "A1-access-level", FD_FAIR_PASS, 2);
}
END_TEST

/* ---- I ----------------------------------------------------------------- */

START_TEST(test_i1_standard) {
        static const char *const rich_formats[] = { "oai_datacite", "OAI_DATACITE", "datacite", "oai_openaire",
                                                    "dcat",         "oai_ddi25",    "ddi",      "ddi3",
                                                    "iso19139",     "iso19115-3",   "eml",      "cmdi",
                                                    "oai_cerif_openaire", "mods" };
        static const char *const dc_formats[] = { "oai_dc", "OAI_DC", "oai_qdc", "marcxml" };

        for (size_t i = 0; i < FD_ELEMENTSOF(rich_formats); i++) {
                expect_on(rec(rich_formats[i]), "I1-standard", FD_FAIR_PASS, 2);
                expect_on(rec(rich_formats[i]), "R1.3-community", FD_FAIR_PASS, 2);
        }
        for (size_t i = 0; i < FD_ELEMENTSOF(dc_formats); i++) {
                expect_on(rec(dc_formats[i]), "I1-standard", FD_FAIR_PARTIAL, 1);
                expect_on(rec(dc_formats[i]), "R1.3-community", FD_FAIR_PARTIAL, 1);
        }
        expect_on(rec(NULL), "I1-standard", FD_FAIR_FAIL, 0);
        expect_on(rec(""), "I1-standard", FD_FAIR_FAIL, 0);
        expect_on(rec(NULL), "R1.3-community", FD_FAIR_FAIL, 0);
}
END_TEST

/* The hints of a record in a community format name that format's own
 * element; other formats keep the generic ones. */
START_TEST(test_format_hints) {
        static const struct {
                const char *format, *license, *access, *pid;
        } want[] = {
                { "iso19139", "gmd:useLimitation", "gmd:accessConstraints", "gmd:MD_Identifier" },
                { "iso19115-3", "mco:useLimitation", "mco:accessConstraints", "mcc:MD_Identifier" },
                { "ddi", "useStmt/conditions", "useStmt/restrctn", "IDNo" },
                { "ddi3", "useStmt/conditions", "useStmt/restrctn", "IDNo" },
                { "eml", "dataset/licensed", "eml:access", "packageId" },
                { "cmdi", "Licence", "AccessInfo", "MdSelfLink" },
                { "oai_cerif_openaire", "cerif:License", "ar:Access", "cerif:DOI" },
                { "mods", "mods:accessCondition", "restriction on access", "mods:identifier" },
                { "marc21", "540", "506", "024" },
                { "oai_dc", "dc:rights", "dc:rights", "dc:identifier" },
        };

        for (size_t i = 0; i < FD_ELEMENTSOF(want); i++) {
                struct fd_record *r = rec(want[i].format);
                const char *h = expect_on(r, "R1.1-license", FD_FAIR_FAIL, 0);
                ck_assert_msg(strstr(h, want[i].license), "%s licence hint: %s", want[i].format, h);
                h = expect_on(r, "A1-access-level", FD_FAIR_FAIL, 0);
                ck_assert_msg(strstr(h, want[i].access), "%s access hint: %s", want[i].format, h);
                h = expect_on(r, "F1-persistent", FD_FAIR_FAIL, 0);
                ck_assert_msg(strstr(h, want[i].pid), "%s identifier hint: %s", want[i].format, h);
        }
}
END_TEST

START_TEST(test_i2_vocab) {
        struct fd_record *r = rec("oai_dc");
        const char *hint;

        /* free keywords, a raw type, a language name and a format name: none controlled */
        add_subject(r, "soil", NULL, NULL);
        r->resource_type_raw = "Measurements";
        add_str(&r->languages, "English");
        add_str(&r->languages, "english");
        add_str(&r->languages, "en_GB");
        add_str(&r->formats, "CSV");
        add_str(&r->formats, "/csv");
        add_str(&r->formats, "text/");
        hint = expect_on(r, "I2-vocab", FD_FAIR_FAIL, 0);
        ck_assert_ptr_nonnull(strstr(hint, "subjectScheme"));

        add_subject(r, "Soil science", NULL, "http://www.wikidata.org/entity/Q12104");
        hint = expect_on(r, "I2-vocab", FD_FAIR_PARTIAL, 1);
        ck_assert_ptr_nonnull(strstr(hint, "resourceTypeGeneral"));
        r->resource_type = "Dataset";
        hint = expect_on(r, "I2-vocab", FD_FAIR_PARTIAL, 2);
        ck_assert_ptr_nonnull(strstr(hint, "dc:language"));
        add_str(&r->languages, "en-GB");
        hint = expect_on(r, "I2-vocab", FD_FAIR_PARTIAL, 3);
        ck_assert_ptr_nonnull(strstr(hint, "media type"));
        add_str(&r->formats, "not a/media/type");
        expect_on(r, "I2-vocab", FD_FAIR_PARTIAL, 3);
        add_str(&r->formats, "application/x-netcdf");
        expect_on(r, "I2-vocab", FD_FAIR_PASS, 4);

        /* an EU file-type IRI (DCAT-AP dct:format) is a controlled format too */
        r = rec("dcat");
        add_str(&r->formats, "http://publications.europa.eu/resource/authority/file-type/CSV");
        expect_on(r, "I2-vocab", FD_FAIR_PARTIAL, 1);
        expect_on(r, "R1.3-formats", FD_FAIR_PASS, 1);
        r = rec("dcat");
        add_str(&r->formats, "http://publications.europa.eu/resource/authority/file-type/XLS");
        expect_on(r, "I2-vocab", FD_FAIR_PARTIAL, 1);
        expect_on(r, "R1.3-formats", FD_FAIR_FAIL, 0);

        /* a scheme alone counts */
        r = rec("oai_dc");
        add_subject(r, "550", "ddc", NULL);
        expect_on(r, "I2-vocab", FD_FAIR_PARTIAL, 1);
}
END_TEST

START_TEST(test_i3_links) {
        struct fd_record *r = rec("oai_datacite");

        add_related(r, "10.1/x", FD_PID_DOI, NULL); /* unqualified: no credit */
        add_agent(&r->creators, "Doe, Jane", NULL, NULL);
        add_funding(r, "Some Foundation", NULL);
        ck_assert_ptr_nonnull(strstr(expect_on(r, "I3-links", FD_FAIR_FAIL, 0), "relationType"));

        r = rec("oai_datacite");
        add_related(r, "10.1/x", FD_PID_DOI, "IsCitedBy");
        ck_assert_ptr_nonnull(strstr(expect_on(r, "I3-links", FD_FAIR_PARTIAL, 1), "ORCID"));
        add_agent(&r->contributors, "Roe, Richard", "0000-0002-1825-0097", NULL);
        ck_assert_ptr_nonnull(strstr(expect_on(r, "I3-links", FD_FAIR_PARTIAL, 2), "ROR"));
        add_agent(&r->contributors, "Poe, Edgar", NULL, "05dxps055");
        ck_assert_ptr_nonnull(strstr(expect_on(r, "I3-links", FD_FAIR_PARTIAL, 3), "funder"));
        add_funding(r, "European Commission", "10.13039/501100000780");
        expect_on(r, "I3-links", FD_FAIR_PASS, 4);
}
END_TEST

/* ---- R ----------------------------------------------------------------- */

START_TEST(test_r1_content) {
        struct fd_record *r = rec("oai_dc");

        expect_on(r, "R1-content", FD_FAIR_FAIL, 0);
        r->resource_type_raw = "Measurements";
        ck_assert_ptr_nonnull(strstr(expect_on(r, "R1-content", FD_FAIR_PARTIAL, 1), "format"));
        add_str(&r->formats, "45 pages");
        ck_assert_ptr_nonnull(strstr(expect_on(r, "R1-content", FD_FAIR_PARTIAL, 2), "size"));
        add_str(&r->sizes, "6 MB");
        expect_on(r, "R1-content", FD_FAIR_PASS, 3);

        r = rec("oai_dc");
        add_str(&r->formats, "text/csv");
        ck_assert_ptr_nonnull(strstr(expect_on(r, "R1-content", FD_FAIR_PARTIAL, 1), "resource type"));
        r = rec("oai_datacite");
        add_str(&r->sizes, "1200 records");
        expect_on(r, "R1-content", FD_FAIR_PARTIAL, 1);
}
END_TEST

START_TEST(test_r1_1_license) {
        struct fd_record *r = rec("oai_dc");

        ck_assert_ptr_nonnull(strstr(expect_on(r, "R1.1-license", FD_FAIR_FAIL, 0), "dc:rights"));
        add_license(r, NULL, NULL, "All rights reserved by the authors");
        ck_assert_ptr_nonnull(strstr(expect_on(r, "R1.1-license", FD_FAIR_PARTIAL, 1), "SPDX"));
        add_license(r, "https://example.org/our-licence", NULL, NULL);
        expect_on(r, "R1.1-license", FD_FAIR_PARTIAL, 1);
        add_license(r, "http://creativecommons.org/publicdomain/zero/1.0/", "CC0-1.0", NULL);
        expect_on(r, "R1.1-license", FD_FAIR_PASS, 2);

        r = rec("oai_dc");
        add_license(r, NULL, NULL, NULL); /* an empty entry is no licence */
        expect_on(r, "R1.1-license", FD_FAIR_FAIL, 0);
}
END_TEST

START_TEST(test_r1_2_provenance) {
        struct fd_record *r = rec("oai_dc");

        add_agent(&r->creators, "Doe, Jane", NULL, NULL);
        add_date(r, "2020-01-01", NULL);
        ck_assert_ptr_nonnull(strstr(expect_on(r, "R1.2-provenance", FD_FAIR_FAIL, 0), "ORCID"));
        add_agent(&r->creators, "Roe, Richard", "0000-0002-1825-0097", NULL);
        ck_assert_ptr_nonnull(strstr(expect_on(r, "R1.2-provenance", FD_FAIR_PARTIAL, 1), "dateType"));
        add_date(r, "2020-01-01", "created");
        ck_assert_ptr_nonnull(strstr(expect_on(r, "R1.2-provenance", FD_FAIR_PARTIAL, 2), "publisher"));
        r->publisher = "Some Press";
        ck_assert_ptr_nonnull(strstr(expect_on(r, "R1.2-provenance", FD_FAIR_PARTIAL, 3), "funder"));
        add_funding(r, "Some Foundation", NULL); /* a named funder is provenance, id or not */
        ck_assert_ptr_nonnull(strstr(expect_on(r, "R1.2-provenance", FD_FAIR_PARTIAL, 4), "version"));
        r->version = "2.1";
        expect_on(r, "R1.2-provenance", FD_FAIR_PASS, 5);

        /* an ORCID on a contributor is not a creator's */
        r = rec("oai_dc");
        add_agent(&r->contributors, "Roe, Richard", "0000-0002-1825-0097", NULL);
        expect_on(r, "R1.2-provenance", FD_FAIR_FAIL, 0);
}
END_TEST

START_TEST(test_r1_3_formats) {
        static const char *const open[] = {
                "text/csv", "text/csv; charset=utf-8", "application/x-netcdf", "NetCDF", ".csv", "image/svg+xml",
                "application/ld+json", "image/tiff", "application/vnd.oasis.opendocument.spreadsheet", "PDF",
        };
        static const char *const closed[] = {
                "application/vnd.ms-excel", "application/msword", "application/x-spss-sav", "Excel", "45 pages",
        };
        struct fd_record *r = rec("oai_dc");

        expect_on(r, "R1.3-formats", FD_FAIR_NA, 0);
        for (size_t i = 0; i < FD_ELEMENTSOF(open); i++) {
                r = rec("oai_dc");
                add_str(&r->formats, open[i]);
                expect_on(r, "R1.3-formats", FD_FAIR_PASS, 1);
        }
        for (size_t i = 0; i < FD_ELEMENTSOF(closed); i++) {
                r = rec("oai_dc");
                add_str(&r->formats, closed[i]);
                ck_assert_ptr_nonnull(strstr(expect_on(r, "R1.3-formats", FD_FAIR_FAIL, 0), "open file format"));
        }
        /* one open format among others is enough */
        add_str(&r->formats, "text/plain");
        expect_on(r, "R1.3-formats", FD_FAIR_PASS, 1);
}
END_TEST

/* ---- scores ------------------------------------------------------------ */

START_TEST(test_na_excluded) {
        struct fd_fair_assessment a;
        struct fd_record *r = rec("oai_datacite");

        /* R: content 1/3 (no formats, no size), licence 2/2, provenance
         * 5/5, community 2/2, formats n/a: 10/12, not 10/13 */
        r->resource_type = "Dataset";
        add_license(r, NULL, "CC-BY-4.0", NULL);
        add_agent(&r->creators, "Doe, Jane", "0000-0002-1825-0097", NULL);
        add_date(r, "2020", "issued");
        r->publisher = "Zenodo";
        add_funding(r, "European Commission", NULL);
        r->version = "1";
        fd_fair_assess(r, &a);
        check_consistent(&a);
        ck_assert_int_eq(result(&a, "R1.3-formats")->outcome, FD_FAIR_NA);
        ck_assert_int_eq(a.score[FD_FAIR_R], 83);

        /* a closed format makes the indicator apply, and fail */
        add_str(&r->formats, "application/vnd.ms-excel");
        fd_fair_assess(r, &a);
        ck_assert_int_eq(result(&a, "R1.3-formats")->outcome, FD_FAIR_FAIL);
        ck_assert_int_eq(a.score[FD_FAIR_R], 85); /* 11/13 */
}
END_TEST

/* Every combination of twelve features: scores stay within 0..100,
 * outcomes agree with points and hints, and principle scores agree with the
 * points of their indicators. */
START_TEST(test_scores_in_range) {
        size_t n;
        const struct fd_fair_indicator *ind = fd_fair_indicators(&n);
        int lowest = 100, highest = 0;

        for (unsigned mask = 0; mask < (1u << 12); mask++) {
                struct fd_fair_assessment a;
                struct fd_record *r;
                int earned[FD_FAIR_PRINCIPLES] = { 0 }, max[FD_FAIR_PRINCIPLES] = { 0 };

                fd_arena_reset(arena);
                r = rec((mask & 1) ? "oai_datacite" : "oai_dc");
                if (mask & 2)
                        add_title(r, "T");
                if (mask & 4)
                        add_agent(&r->creators, "C", (mask & 8) ? "0000-0002-1825-0097" : NULL, NULL);
                if (mask & 16)
                        add_id(r, "10.1/x", FD_PID_DOI);
                else if (mask & 8)
                        add_id(r, "http://example.org/1", FD_PID_URL);
                if (mask & 32)
                        add_license(r, NULL, (mask & 64) ? "MIT" : NULL, "MIT licence");
                if (mask & 64)
                        r->access = (mask & 128) ? FD_ACCESS_EMBARGOED : FD_ACCESS_OPEN;
                if (mask & 128)
                        add_str(&r->formats, (mask & 256) ? "text/csv" : "application/vnd.ms-excel");
                if (mask & 256)
                        add_subject(r, "S", "FOS", NULL);
                if (mask & 512)
                        add_date(r, "2020", (mask & 1024) ? "issued" : NULL);
                if (mask & 1024)
                        add_related(r, "10.1/y", FD_PID_DOI, "References");
                if (mask & 2048) {
                        r->publisher = "P";
                        r->resource_type = "Dataset";
                        add_funding(r, "F", "10.13039/1");
                }

                fd_fair_assess(r, &a);
                check_consistent(&a);
                for (size_t i = 0; i < n; i++) {
                        if (a.results[i].outcome == FD_FAIR_NA)
                                continue;
                        earned[ind[i].principle] += a.results[i].points;
                        max[ind[i].principle] += ind[i].max_points;
                }
                for (int p = 0; p < FD_FAIR_PRINCIPLES; p++) {
                        ck_assert_int_gt(max[p], 0);
                        /* within rounding of 100 * earned / max */
                        ck_assert_int_le(abs(a.score[p] * max[p] - 100 * earned[p]), max[p]);
                }
                if (a.overall < lowest)
                        lowest = a.overall;
                if (a.overall > highest)
                        highest = a.overall;
        }
        ck_assert_int_lt(lowest, 20);
        ck_assert_int_gt(highest, 80);
}
END_TEST

/* ---- through the adders ------------------------------------------------ */

/* The same fields as a mapper sets them, through record/'s adders: the
 * rubric reads what the adders normalize (a DOI URL to r->doi, rights to
 * access and SPDX, embargo dates to embargo_end, "eng" to "en"). */
START_TEST(test_through_adders) {
        struct fd_record *r = rec("oai_dc");

        ck_assert_int_eq(fd_record_add_title(r, arena, "  Soil   samples ", NULL), FD_OK);
        ck_assert_int_eq(fd_record_add_agent(r, arena, false, "Doe, Jane", "https://orcid.org/0000-0002-1825-0097",
                                             "Some University", "https://ror.org/05dxps055", NULL),
                         FD_OK);
        ck_assert_int_eq(fd_record_add_identifier(r, arena, "https://doi.org/10.5281/ZENODO.1234", FD_PID_NONE), FD_OK);
        ck_assert_int_eq(fd_record_add_rights(r, arena, "info:eu-repo/semantics/embargoedAccess", NULL), FD_OK);
        ck_assert_int_eq(fd_record_add_rights(r, arena, "All rights reserved", NULL), FD_OK);
        ck_assert_int_eq(fd_record_add_language(r, arena, "eng"), FD_OK);
        ck_assert_int_eq(fd_record_add_format(r, arena, "text/csv"), FD_OK);

        expect_on(r, "F1-persistent", FD_FAIR_PASS, 2);
        expect_on(r, "A1-access-url", FD_FAIR_PASS, 2);
        expect_on(r, "A1-access-level", FD_FAIR_PARTIAL, 1);
        expect_on(r, "R1.1-license", FD_FAIR_PARTIAL, 1);
        expect_on(r, "I2-vocab", FD_FAIR_PARTIAL, 2);  /* language and media type */
        expect_on(r, "I3-links", FD_FAIR_PARTIAL, 2);  /* ORCID and ROR */
        expect_on(r, "R1.3-formats", FD_FAIR_PASS, 1);

        ck_assert_int_eq(fd_record_add_date(r, arena, "info:eu-repo/date/embargoEnd/2030-01-01", NULL), FD_OK);
        ck_assert_int_eq(fd_record_add_rights(r, arena, "CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
                         FD_OK);
        expect_on(r, "A1-access-level", FD_FAIR_PASS, 2);
        expect_on(r, "R1.1-license", FD_FAIR_PASS, 2);
}
END_TEST

/* ---- JSON -------------------------------------------------------------- */

static void check_json(const struct fd_fair_assessment *a) {
        json_t *o = fd_fair_to_json(a);
        json_t *list;
        size_t n;
        const struct fd_fair_indicator *ind = fd_fair_indicators(&n);

        ck_assert_ptr_nonnull(o);
        ck_assert(json_is_object(o));
        ck_assert_uint_eq(json_object_size(o), 7);
        ck_assert_str_eq(json_string_value(json_object_get(o, "rubric")), FD_FAIR_RUBRIC_VERSION);
        ck_assert(json_is_integer(json_object_get(o, "overall")));
        ck_assert_int_eq(json_integer_value(json_object_get(o, "overall")), a->overall);
        for (int p = 0; p < FD_FAIR_PRINCIPLES; p++) {
                json_t *v = json_object_get(o, fd_fair_principle_name(p));
                ck_assert(json_is_integer(v));
                ck_assert_int_eq(json_integer_value(v), a->score[p]);
        }
        list = json_object_get(o, "indicators");
        ck_assert(json_is_array(list));
        ck_assert_uint_eq(json_array_size(list), n);
        for (size_t i = 0; i < n; i++) {
                json_t *e = json_array_get(list, i), *hint;
                ck_assert(json_is_object(e));
                ck_assert_uint_eq(json_object_size(e), 6);
                ck_assert_str_eq(json_string_value(json_object_get(e, "id")), ind[i].id);
                ck_assert_str_eq(json_string_value(json_object_get(e, "principle")),
                                 fd_fair_principle_name(ind[i].principle));
                ck_assert_str_eq(json_string_value(json_object_get(e, "outcome")),
                                 fd_fair_outcome_name(a->results[i].outcome));
                ck_assert(json_is_integer(json_object_get(e, "points")));
                ck_assert_int_eq(json_integer_value(json_object_get(e, "points")), a->results[i].points);
                ck_assert_int_eq(json_integer_value(json_object_get(e, "max_points")), ind[i].max_points);
                hint = json_object_get(e, "hint");
                ck_assert_ptr_nonnull(hint);
                if (a->results[i].hint)
                        ck_assert_str_eq(json_string_value(hint), a->results[i].hint);
                else
                        ck_assert(json_is_null(hint));
        }
        json_decref(o);
}

START_TEST(test_json) {
        struct fd_fair_assessment a;
        json_t *o;
        char *text;

        fd_fair_assess(poor(), &a);
        check_json(&a);
        fd_fair_assess(rich(), &a);
        check_json(&a);

        /* it serializes, and a passed indicator's hint is null */
        o = fd_fair_to_json(&a);
        text = json_dumps(o, JSON_COMPACT);
        ck_assert_ptr_nonnull(text);
        ck_assert_ptr_nonnull(strstr(text, "\"rubric\":\"0.3\""));
        ck_assert_ptr_nonnull(strstr(text, "{\"id\":\"F1-unique\",\"principle\":\"F\",\"outcome\":\"pass\","
                                           "\"points\":1,\"max_points\":1,\"hint\":null}"));
        free(text);
        json_decref(o);

        ck_assert_ptr_null(fd_fair_to_json(NULL));
}
END_TEST

static Suite *fair_suite(void) {
        Suite *s = suite_create("fair");
        TCase *tc = tcase_create("rubric");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_indicator_table);
        tcase_add_test(tc, test_names);
        tcase_add_test(tc, test_poor_record);
        tcase_add_test(tc, test_rich_record);
        tcase_add_test(tc, test_null_record);
        tcase_add_test(tc, test_pure);
        tcase_add_test(tc, test_f1_unique);
        tcase_add_test(tc, test_f1_persistent);
        tcase_add_test(tc, test_f1_persistent_malformed);
        tcase_add_test(tc, test_f2_core);
        tcase_add_test(tc, test_f3_data_id);
        tcase_add_test(tc, test_a1_access_url);
        tcase_add_test(tc, test_a1_access_level);
        tcase_add_test(tc, test_i1_standard);
        tcase_add_test(tc, test_i2_vocab);
        tcase_add_test(tc, test_i3_links);
        tcase_add_test(tc, test_r1_content);
        tcase_add_test(tc, test_r1_1_license);
        tcase_add_test(tc, test_r1_2_provenance);
        tcase_add_test(tc, test_r1_3_formats);
        tcase_add_test(tc, test_na_excluded);
        tcase_add_test(tc, test_scores_in_range);
        tcase_add_test(tc, test_through_adders);
        tcase_add_test(tc, test_json);
        tcase_add_test(tc, test_format_hints);
        suite_add_tcase(s, tc);
        return s;
}

FD_TEST_MAIN(fair_suite)
