/* test_formats.c: the metadata formats beyond oai_dc and DataCite, read
 * through the same parser and walker as a harvest.
 *
 * Own fixtures (tests/fixtures/formats, one OAI-PMH response per format and
 * quirk, under unusual prefix names) are checked field by field.  The real
 * files of other projects in $FD_SOURCE_ROOT/../shared/fixtures/formats are
 * checked against a table of expected values written from reading them
 * (title, DOI, creators and their ORCID, year, resource type, language,
 * licence); those checks are not added at all when ../shared is absent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <zlib.h>

#include "fd_test.h"
#include "fd_test_http.h"
#include "fd_test_record.h"
#include "fd_test_shared.h"

#include "fd_harvesters.h"
#include "xmlmap.h"

/* ---- helpers ------------------------------------------------------------------ */

static char *path_of(const char *dir, const char *name) {
        const char *root = getenv("FD_SOURCE_ROOT");
        char *p = NULL;
        ck_assert_int_ge(asprintf(&p, "%s/%s/%s", root ? root : ".", dir, name), 0);
        return p;
}

static struct fd_page *parse(const char *dir, const char *name, bool bare) {
        _fd_free_ char *path = path_of(dir, name);
        size_t len;
        _fd_free_ char *data = fd_test_slurp(path, &len);
        ck_assert_msg(data != NULL, "fixture %s missing", path);
        _fd_free_ char *wrapped = bare ? fd_test_wrap_bare(data, len, &len) : NULL;
        struct fd_page *p = NULL;
        struct fd_error err = {0};
        ck_assert_msg(fd_oai_parse_page("src", wrapped ? wrapped : data, len, NULL, NULL, &p, &err) == FD_OK,
                      "%s: %s", name, err.msg);
        return p;
}

static struct fd_page *own(const char *name) { return parse("tests/fixtures/formats", name, false); }

static const struct fd_record *rec(const struct fd_page *p, const char *local_id) {
        for (size_t i = 0; i < p->records.n; i++)
                if (strcmp(p->records.v[i]->local_id, local_id) == 0)
                        return p->records.v[i];
        ck_abort_msg("no record '%s'", local_id);
        return NULL;
}

static bool has_id(const struct fd_record *r, enum fd_pid_scheme s, const char *v) {
        for (size_t i = 0; i < r->identifiers.n; i++)
                if (r->identifiers.v[i].scheme == s && strcmp(r->identifiers.v[i].value, v) == 0)
                        return true;
        return false;
}

static const char *spdx(const struct fd_record *r) {
        for (size_t i = 0; i < r->licenses.n; i++)
                if (r->licenses.v[i].spdx)
                        return r->licenses.v[i].spdx;
        return NULL;
}

static bool has_subject(const struct fd_record *r, const char *v, const char *scheme) {
        for (size_t i = 0; i < r->subjects.n; i++)
                if (strcmp(r->subjects.v[i].value, v) == 0 &&
                    (!scheme || (r->subjects.v[i].scheme && strcmp(r->subjects.v[i].scheme, scheme) == 0)))
                        return true;
        return false;
}

#define STR_EQ(a, b) ck_assert_msg((a) && strcmp((a), (b)) == 0, "%s: got '%s', want '%s'", #a, (a) ? (a) : "(null)", (b))

/* ---- own fixtures ---------------------------------------------------------------- */

START_TEST(own_marc21)
{
        struct fd_page *p = own("marc21_marcxml.xml");
        const struct fd_record *r = rec(p, "oai:lib.example.org:991000001");
        STR_EQ(r->format, "marc21");
        /* ISBD punctuation gone, $a and $b joined, $c (responsibility) left out */
        STR_EQ(fd_record_title(r), "Strahlbetrieb supraleitender Beschleuniger : Messungen und Auslegung");
        STR_EQ(r->doi, "10.1234/thesis.2023.42");
        ck_assert(has_id(r, FD_PID_URN, "urn:nbn:de:hebis:30:3-123456"));
        ck_assert_uint_eq(r->creators.n, 1);
        STR_EQ(r->creators.v[0].name, "Muster, Erika");
        STR_EQ(r->creators.v[0].orcid, "0000-0002-1825-0097");
        STR_EQ(r->creators.v[0].affiliation, "Goethe-Universität Frankfurt");
        ck_assert_uint_eq(r->contributors.n, 1);
        STR_EQ(r->contributors.v[0].role, "Supervisor");
        STR_EQ(r->publisher, "Universitätsbibliothek");
        ck_assert_int_eq(fd_record_year(r), 2023);
        STR_EQ(r->resource_type, "Dissertation");
        ck_assert(has_str(&r->languages, "de") && has_str(&r->languages, "en"));
        STR_EQ(spdx(r), "CC-BY-4.0");
        ck_assert(has_subject(r, "Particle accelerators.", "LCSH"));
        ck_assert(has_str(&r->urls, "https://publikationen.example.org/frontdoor/index/index/docId/4711"));
        ck_assert_uint_eq(r->descriptions.n, 1);
        fd_page_free(p);
}
END_TEST

START_TEST(own_mods)
{
        struct fd_page *p = own("mods_unusual_prefix.xml");
        const struct fd_record *r = rec(p, "oai:repo.example.org:mods-7");
        STR_EQ(r->format, "mods");
        STR_EQ(fd_record_title(r), "Moss flora of Java");
        ck_assert_uint_eq(r->titles.n, 2);  /* the host's title is not the record's */
        STR_EQ(r->titles.v[1].type, "TranslatedTitle");
        STR_EQ(r->titles.v[1].lang, "de");
        STR_EQ(r->doi, "10.5962/bhl.title.44870");
        ck_assert(!has_id(r, FD_PID_DOI, "10.9999/host"));
        ck_assert(has_id(r, FD_PID_HANDLE, "20.500.12345/678"));
        ck_assert_uint_eq(r->creators.n, 1);
        STR_EQ(r->creators.v[0].name, "Fleischer, Max");
        STR_EQ(r->creators.v[0].orcid, "0000-0001-5109-3700");
        STR_EQ(r->creators.v[0].affiliation, "Buitenzorg Botanic Garden");
        ck_assert_uint_eq(r->contributors.n, 1);
        STR_EQ(r->contributors.v[0].name, "Brill, E.J.");
        STR_EQ(r->contributors.v[0].role, "Editor");
        STR_EQ(r->publisher, "E.J. Brill");
        ck_assert_int_eq(fd_record_year(r), 1904);
        STR_EQ(r->resource_type, "Book");
        STR_EQ(r->languages.v[0], "nl");
        STR_EQ(spdx(r), "CC-BY-NC-3.0");
        ck_assert(has_subject(r, "Mosses", "lcsh"));
        ck_assert(has_str(&r->formats, "application/pdf"));
        ck_assert(has_str(&r->sizes, "4 v."));
        ck_assert_uint_eq(r->geo_locations.n, 1);
        STR_EQ(r->geo_locations.v[0].place, "Java (Indonesia)");
        fd_page_free(p);
}
END_TEST

START_TEST(own_ddi)
{
        struct fd_page *p = own("ddi25.xml");
        const struct fd_record *r = rec(p, "oai:archive.example.org:ZA2800");
        STR_EQ(r->format, "ddi");
        /* the study's title, not the document description's */
        STR_EQ(fd_record_title(r), "German General Social Survey 1996");
        STR_EQ(r->doi, "10.4232/1.11888");
        ck_assert_uint_eq(r->creators.n, 2);  /* one person per language is one person */
        STR_EQ(r->creators.v[0].name, "Allerbeck, Klaus R.");
        STR_EQ(r->creators.v[0].affiliation, "Universität Frankfurt");
        STR_EQ(r->publisher, "GESIS Data Archive");
        STR_EQ(date_typed(r, "issued")->value, "2014-04-14");
        ck_assert_int_eq(fd_record_year(r), 2014);
        STR_EQ(r->resource_type, "Dataset");
        STR_EQ(r->version, "1.1.0");
        ck_assert(has_subject(r, "SOCIAL ATTITUDES", "ELSST"));
        ck_assert_uint_eq(r->licenses.n, 1);
        ck_assert_uint_eq(r->funding.n, 1);
        STR_EQ(r->funding.v[0].funder, "Deutsche Forschungsgemeinschaft");
        ck_assert_uint_eq(r->geo_locations.n, 2);
        ck_assert(r->geo_locations.v[1].has_box);
        ck_assert(has_str(&r->urls, "https://search.gesis.org/research_data/ZA2800"));
        fd_page_free(p);
}
END_TEST

START_TEST(own_ddi_lifecycle)
{
        struct fd_page *p = own("ddi32_lifecycle.xml");
        const struct fd_record *r = rec(p, "oai:archive.example.org:ZA2800-L");
        STR_EQ(r->format, "ddi3");
        STR_EQ(fd_record_title(r), "German General Social Survey 1996");
        ck_assert_uint_eq(r->titles.n, 1);  /* not the instance's own citation */
        STR_EQ(r->doi, "10.4232/1.11888");
        ck_assert_uint_eq(r->creators.n, 2);
        STR_EQ(r->creators.v[0].name, "Allerbeck, Klaus R.");  /* a reference, resolved */
        STR_EQ(r->publisher, "GESIS Data Archive");
        ck_assert_int_eq(fd_record_year(r), 2014);
        STR_EQ(r->resource_type, "Dataset");
        STR_EQ(r->languages.v[0], "en");
        ck_assert(has_subject(r, "Migration", "CESSDA Topic Classification"));
        fd_page_free(p);
}
END_TEST

START_TEST(own_iso19139)
{
        struct fd_page *p = own("iso19139.xml");
        const struct fd_record *r = rec(p, "oai:geo.example.org:955c3e47");
        STR_EQ(r->format, "iso19139");
        STR_EQ(fd_record_title(r), "Cadastre 2018 en Bretagne");
        STR_EQ(r->doi, "10.5072/cadastre-2018");
        ck_assert_uint_eq(r->creators.n, 1);
        STR_EQ(r->creators.v[0].name, "Dupont, Marie");
        STR_EQ(r->creators.v[0].affiliation, "Région Bretagne");
        STR_EQ(r->publisher, "GéoBretagne");
        ck_assert_uint_eq(r->contributors.n, 1);
        STR_EQ(r->contributors.v[0].role, "ContactPerson");
        STR_EQ(date_typed(r, "issued")->value, "2018-09-01");
        STR_EQ(r->resource_type, "Dataset");
        STR_EQ(r->languages.v[0], "fr");
        /* the Anchor's URI and the URL inside useLimitation's text */
        ck_assert_uint_eq(r->licenses.n, 2);
        ck_assert(has_subject(r, "Parcelles cadastrales", NULL));
        ck_assert(has_subject(r, "planningCadastre", "ISO 19115 topic category"));
        ck_assert_uint_eq(r->geo_locations.n, 1);
        ck_assert(r->geo_locations.v[0].has_box && r->geo_locations.v[0].west < -5.0);
        /* the temporal extent: a start, and an end that is "now" (open) */
        STR_EQ(date_typed(r, "coverage-start")->value, "2018-01-01");
        ck_assert_ptr_null(date_typed(r, "coverage-end"));
        fd_page_free(p);
}
END_TEST

START_TEST(own_eml)
{
        struct fd_page *p = own("eml.xml");
        const struct fd_record *r = rec(p, "oai:ipt.example.org:test-dataset");
        STR_EQ(r->format, "eml");
        STR_EQ(fd_record_title(r), "Amphibians of the Faroe Islands");
        STR_EQ(r->doi, "10.5072/fk22zu2ds");
        ck_assert_uint_eq(r->creators.n, 2);
        STR_EQ(r->creators.v[0].name, "Laine, Sanna");
        STR_EQ(r->creators.v[0].orcid, "0000-0002-1825-0097");
        STR_EQ(r->creators.v[0].affiliation, "Finnish Museum of Natural History");
        STR_EQ(r->creators.v[1].name, "GBIF Secretariat");
        ck_assert_uint_eq(r->contributors.n, 2);
        STR_EQ(r->contributors.v[0].role, "DataCurator");
        ck_assert_int_eq(fd_record_year(r), 2015);
        STR_EQ(r->resource_type, "Dataset");
        STR_EQ(r->languages.v[0], "en");
        STR_EQ(spdx(r), "CC0-1.0");
        STR_EQ(r->descriptions.v[0].value, "Occurrences of amphibians collected 1950 to 2010.");
        ck_assert_uint_eq(r->geo_locations.n, 1);
        STR_EQ(r->geo_locations.v[0].place, "Faroe Islands");
        ck_assert(r->geo_locations.v[0].has_box);
        fd_page_free(p);
}
END_TEST

START_TEST(own_cerif)
{
        struct fd_page *p = own("cerif.xml");
        const struct fd_record *r = rec(p, "oai:cris.example.org:Publications/7");
        STR_EQ(r->format, "oai_cerif_openaire");
        STR_EQ(fd_record_title(r), "Metadata quality in CRIS");
        STR_EQ(r->doi, "10.1007/978-3-642-35233-1_18");
        ck_assert(has_id(r, FD_PID_HANDLE, "123456789/7"));
        ck_assert_uint_eq(r->creators.n, 2);
        STR_EQ(r->creators.v[0].name, "Manghi, Paolo");
        STR_EQ(r->creators.v[0].affiliation, "ISTI CNR");
        STR_EQ(r->creators.v[1].name, "Houssos, Nikos");
        STR_EQ(r->creators.v[1].orcid, "0000-0002-3748-8359");
        STR_EQ(r->publisher, "Springer");
        ck_assert_int_eq(fd_record_year(r), 2012);
        STR_EQ(r->resource_type, "ConferencePaper");
        STR_EQ(r->languages.v[0], "en");
        STR_EQ(spdx(r), "CC-BY-4.0");
        ck_assert_int_eq(r->access, FD_ACCESS_OPEN);
        fd_page_free(p);
}
END_TEST

START_TEST(own_edm)
{
        struct fd_page *p = own("edm.xml");
        const struct fd_record *r = rec(p, "oai:aggregator.example.org:RM0001.COLLECT.12801");
        STR_EQ(r->format, "edm");
        ck_assert_uint_eq(r->titles.n, 2);
        ck_assert(has_id(r, FD_PID_HANDLE, "10934/RM0001.COLLECT.12801"));
        ck_assert_uint_eq(r->creators.n, 1);  /* a dc:creator that is only a reference names nobody */
        STR_EQ(r->publisher, "Rijksmuseum");
        ck_assert_int_eq(fd_record_year(r), 1800);
        STR_EQ(r->resource_type, "Image");
        STR_EQ(r->languages.v[0], "nl");
        STR_EQ(spdx(r), "CC-PDM-1.0");
        ck_assert(has_str(&r->urls, "https://www.rijksmuseum.nl/nl/collectie/BK-1978-399"));
        ck_assert(has_str(&r->download_urls, "https://lh3.example.com/BK-1978-399.jpg"));
        fd_page_free(p);
}
END_TEST

START_TEST(own_dc_unwrapped)
{
        struct fd_page *p = own("dc_unwrapped.xml");
        const struct fd_record *r = rec(p, "oai:cdm.example.org:p17006coll17/0");
        STR_EQ(r->format, "qdc");
        STR_EQ(fd_record_title(r), "Shad E. Graham papers Film Reel 1");
        ck_assert_uint_eq(r->creators.n, 1);
        /* a DOI behind a resolver other than doi.org */
        STR_EQ(r->doi, "10.1594/pangaea.904099");
        ck_assert_int_eq(fd_record_year(r), 1952);
        STR_EQ(r->resource_type, "Audiovisual");
        ck_assert(has_str(&r->languages, "en") && has_str(&r->languages, "es"));
        /* a licence URL inside free text */
        STR_EQ(spdx(r), "CC-BY-NC-4.0");
        fd_page_free(p);
}
END_TEST

START_TEST(own_qdc_rioxx_doaj)
{
        struct fd_page *p = own("qdc_rioxx_doaj.xml");
        ck_assert_uint_eq(p->records.n, 3);
        const struct fd_record *q = rec(p, "oai:hub.example.org:herbarium-22274");
        STR_EQ(q->format, "qdc");
        ck_assert_uint_eq(q->titles.n, 2);
        STR_EQ(q->titles.v[1].type, "AlternativeTitle");
        STR_EQ(date_typed(q, "created")->value, "1881");
        ck_assert(has_str(&q->languages, "en") && has_str(&q->languages, "cs"));
        ck_assert_int_eq(q->access, FD_ACCESS_OPEN);
        ck_assert(has_str(&q->sizes, "1 photograph : color"));
        ck_assert_uint_eq(q->related.n, 1);
        STR_EQ(q->related.v[0].relation, "IsPartOf");

        const struct fd_record *x = rec(p, "oai:strathprints.example.org:70117");
        STR_EQ(x->format, "rioxx");
        STR_EQ(x->doi, "10.5194/os-15-1615-2019");
        ck_assert_uint_eq(x->creators.n, 2);
        STR_EQ(x->creators.v[1].orcid, "0000-0001-6602-3107");
        STR_EQ(x->publisher, "European Geosciences Union");
        STR_EQ(x->resource_type, "JournalArticle");
        STR_EQ(spdx(x), "CC-BY-NC-ND-4.0");
        ck_assert_int_eq(x->access, FD_ACCESS_OPEN);
        ck_assert_uint_eq(x->funding.n, 1);
        STR_EQ(x->funding.v[0].funder, "Australian Research Council");
        STR_EQ(x->funding.v[0].award, "DP190101507");
        ck_assert(has_str(&x->download_urls, "https://strathprints.example.org/70117/7/paper.pdf"));
        ck_assert_int_eq(fd_record_year(x), 2019);

        const struct fd_record *d = rec(p, "oai:doaj.org/article:0a1b2c");
        STR_EQ(d->format, "oai_doaj");
        STR_EQ(d->doi, "10.5072/testing");
        ck_assert_uint_eq(d->creators.n, 2);
        STR_EQ(d->creators.v[0].orcid, "0000-0002-1825-0097");
        STR_EQ(d->resource_type, "JournalArticle");
        STR_EQ(d->languages.v[0], "fr");
        STR_EQ(d->titles.v[0].lang, "fr");
        fd_page_free(p);
}
END_TEST

START_TEST(own_datacite_under_zenodo_prefix)
{
        struct fd_page *p = own("datacite_zenodo_prefix.xml");
        const struct fd_record *r = rec(p, "oai:zenodo.org:18729");
        STR_EQ(r->format, "oai_datacite");
        STR_EQ(r->doi, "10.5281/zenodo.18729");
        STR_EQ(r->resource_type, "Software");
        STR_EQ(spdx(r), "CC-BY-4.0");
        fd_page_free(p);
}
END_TEST

/* ---- detection ----------------------------------------------------------------------- */

START_TEST(detection_by_namespace)
{
        const struct fd_mapper *m = fd_mapper_for_format("oai_datacite3", "http://schema.datacite.org/oai/oai-1.0/", NULL);
        ck_assert_ptr_nonnull(m);
        STR_EQ(m->prefix, "oai_datacite");
        m = fd_mapper_for_format("lib_marc", "http://www.loc.gov/MARC21/slim", NULL);
        STR_EQ(m->prefix, "marc21");
        m = fd_mapper_for_format("x", NULL, "http://www.loc.gov/standards/mods/v3/mods-3-7.xsd");
        STR_EQ(m->prefix, "mods");
        m = fd_mapper_for_format("oai_ddi25", "", "");
        STR_EQ(m->prefix, "ddi");
        ck_assert_ptr_null(fd_mapper_for_format("my_own", "urn:example:nothing", NULL));
        /* richness: DataCite over the community standards over Dublin Core */
        ck_assert_int_gt(fd_mapper_by_prefix("oai_datacite")->rank, fd_mapper_by_prefix("ddi")->rank);
        ck_assert_int_gt(fd_mapper_by_prefix("marc21")->rank, fd_mapper_by_prefix("qdc")->rank);
        ck_assert_int_gt(fd_mapper_by_prefix("qdc")->rank, fd_mapper_by_prefix("oai_dc")->rank);
        /* the usual names a prefix goes by */
        STR_EQ(fd_mapper_by_prefix("MARC21slim")->prefix, "marc21");
        STR_EQ(fd_mapper_by_prefix("datacite4")->prefix, "datacite");
}
END_TEST

/* The same metadata under any prefix name maps the same; the prefix only
 * names the format when it names the same one. */
START_TEST(detection_ignores_prefix_name)
{
        static const char page[] =
                "<OAI-PMH xmlns='http://www.openarchives.org/OAI/2.0/'><ListRecords>"
                "<record><header><identifier>a</identifier></header><metadata>"
                "<m:record xmlns:m='http://www.loc.gov/MARC21/slim'><m:datafield tag='245'>"
                "<m:subfield code='a'>A title /</m:subfield></m:datafield></m:record></metadata></record>"
                "<record><header><identifier>b</identifier></header><metadata>"
                "<dc:title xmlns:dc='http://purl.org/dc/elements/1.1/'>Bare DC</dc:title>"
                "<dc:creator xmlns:dc='http://purl.org/dc/elements/1.1/'>Someone</dc:creator></metadata></record>"
                "<record><header><identifier>oai:pangaea.de:doi:10.1594/PANGAEA.904099</identifier></header>"
                "<metadata><oai_dc:dc xmlns:oai_dc='http://www.openarchives.org/OAI/2.0/oai_dc/' "
                "xmlns:dc='http://purl.org/dc/elements/1.1/'><dc:title>DOI in the header</dc:title></oai_dc:dc>"
                "</metadata></record>"
                "<record><header><identifier>c</identifier></header><metadata>"
                "<thing xmlns='urn:example:unknown'><title>t</title></thing></metadata></record>"
                "<record><header><identifier>d</identifier></header><metadata>"
                "<oai_dc:dc xmlns:oai_dc='http://www.openarchives.org/OAI/2.0/oai_dc/' "
                "xmlns:dc='http://purl.org/dc/elements/1.1/'><dc:title>Plain</dc:title></oai_dc:dc></metadata></record>"
                "</ListRecords></OAI-PMH>";
        struct fd_page *p = NULL;
        struct fd_error err = {0};
        ck_assert_int_eq(fd_oai_parse_page("src", page, sizeof page - 1, NULL, NULL, &p, &err), FD_OK);
        /* the record no mapper reads is skipped; the page goes on */
        ck_assert_uint_eq(p->records.n, 4);
        ck_assert_uint_eq(p->n_skipped, 1);
        /* the DOI the OAI identifier carries */
        STR_EQ(rec(p, "oai:pangaea.de:doi:10.1594/PANGAEA.904099")->doi, "10.1594/pangaea.904099");
        STR_EQ(rec(p, "a")->format, "marc21");
        STR_EQ(fd_record_title(rec(p, "a")), "A title");
        STR_EQ(rec(p, "b")->format, "qdc");
        ck_assert_uint_eq(rec(p, "b")->creators.n, 1);
        STR_EQ(rec(p, "d")->format, "oai_dc");
        fd_page_free(p);
}
END_TEST

/* DCMI Box, Point and Period in dc:coverage, dcterms:spatial and
 * dcterms:temporal, and ISO 8601 intervals; other coverage text maps to
 * nothing (issue 16: places and times to filter on). */
START_TEST(dc_coverage_encodings)
{
        static const char page[] =
                "<OAI-PMH xmlns='http://www.openarchives.org/OAI/2.0/'><ListRecords>"
                "<record><header><identifier>a</identifier></header><metadata>"
                "<oai_dc:dc xmlns:oai_dc='http://www.openarchives.org/OAI/2.0/oai_dc/' "
                "xmlns:dc='http://purl.org/dc/elements/1.1/' xmlns:dcterms='http://purl.org/dc/terms/'>"
                "<dc:title>Lagoon</dc:title>"
                "<dc:coverage>name=Venice lagoon; northlimit=45.6; southlimit=45.1; westlimit=12.1; eastlimit=12.6</dc:coverage>"
                "<dcterms:spatial>east=12.33; north=45.43; name=Venezia</dcterms:spatial>"
                "<dcterms:spatial>Adriatic Sea</dcterms:spatial>"
                "<dcterms:temporal>start=1990; end=2000-06; scheme=W3C-DTF</dcterms:temporal>"
                "</oai_dc:dc></metadata></record>"
                "<record><header><identifier>b</identifier></header><metadata>"
                "<oai_dc:dc xmlns:oai_dc='http://www.openarchives.org/OAI/2.0/oai_dc/' "
                "xmlns:dc='http://purl.org/dc/elements/1.1/'><dc:title>Open</dc:title>"
                "<dc:coverage>2015-03/</dc:coverage><dc:coverage>1850 - 1975</dc:coverage>"
                "<dc:coverage>Europe</dc:coverage><dc:coverage>a/b</dc:coverage></oai_dc:dc></metadata></record>"
                "</ListRecords></OAI-PMH>";
        struct fd_page *p = NULL;
        struct fd_error err = {0};
        ck_assert_int_eq(fd_oai_parse_page("src", page, sizeof page - 1, NULL, NULL, &p, &err), FD_OK);
        const struct fd_record *a = rec(p, "a"), *b = rec(p, "b");
        ck_assert_uint_eq(a->geo_locations.n, 3);
        ck_assert(a->geo_locations.v[0].has_box && a->geo_locations.v[0].west == 12.1 &&
                  a->geo_locations.v[0].north == 45.6);
        STR_EQ(a->geo_locations.v[0].place, "Venice lagoon");
        ck_assert(a->geo_locations.v[1].has_point && a->geo_locations.v[1].lat == 45.43);
        STR_EQ(a->geo_locations.v[2].place, "Adriatic Sea");
        ck_assert(!a->geo_locations.v[2].has_box && !a->geo_locations.v[2].has_point);
        STR_EQ(date_typed(a, "coverage-start")->value, "1990");
        STR_EQ(date_typed(a, "coverage-end")->value, "2000-06");
        STR_EQ(date_typed(b, "coverage-start")->value, "2015-03");
        ck_assert_ptr_null(date_typed(b, "coverage-end"));
        ck_assert_uint_eq(b->geo_locations.n, 0);
        fd_page_free(p);
}
END_TEST

/* ---- the walker's path forms, on a table of the test's own ------------------------------- */

static const struct fd_xns walk_ns[] = {
        {"t", "urn:example:t"},
        {"t", ""},
        {NULL, NULL},
};

static const struct fd_xrule walk_person[] = {
        {"t:n[@part=family]", FD_S_FAMILY},
        {"t:n[@part=given]", FD_S_GIVEN},
        {"t:n[!@part]", FD_S_VALUE},
        {"t:id", FD_S_ID},
        {"@role", FD_S_ROLE},
        {NULL},
};

static const char *const walk_roles[] = {"aut", "Creator", "edt", "Editor", NULL};

static const struct fd_xrule walk_rules[] = {
        {"t:head/t:title", FD_X_TITLE},
        {"t:body//t:note[@kind=abstract][@lang]", FD_X_DESCRIPTION, "Abstract"},
        {"t:who", FD_X_AGENT, .sub = walk_person, .map = walk_roles},
        {"*/t:link/@href", FD_X_PID},
        {"//t:kw", FD_X_SUBJECT, "@scheme"},
        {NULL},
};

static const struct fd_xformat walk_format = {.name = "walktest", .ns = walk_ns, .rules = walk_rules};

/* The walker's path forms: child steps, "//" in the middle and first, "*",
 * attribute values, predicates (two at once), absence, groups with slots
 * and an attribute of their own element, a role map, an arg read from the
 * parent, a prefix declared for two namespaces (one of them none). */
START_TEST(walker_paths)
{
        struct fd_error err = {0};
        /* a tree as xml.c builds it (names and namespaces, attributes, raw text) */
        struct fd_xnode root = {.ns = "urn:example:t", .name = "r"};
        struct fd_xnode head = {.ns = "urn:example:t", .name = "head", .parent = &root};
        struct fd_xnode htitle = {.ns = "urn:example:t", .name = "title", .text = "Head title /", .parent = &head};
        struct fd_xnode title2 = {.ns = "urn:example:t", .name = "title", .text = "not a head title", .parent = &root};
        struct fd_xnode body = {.ns = "urn:example:t", .name = "body", .parent = &root};
        struct fd_xnode div = {.ns = "urn:example:t", .name = "div", .parent = &body};
        struct fd_xattr na[] = {{NULL, "kind", "abstract"}, {NULL, "lang", "en"}};
        struct fd_xnode note = {.ns = "urn:example:t", .name = "note", .attrs = na, .n_attrs = 2,
                                .text = "The abstract", .parent = &div};
        struct fd_xnode note2 = {.ns = "urn:example:t", .name = "note", .attrs = na, .n_attrs = 1,
                                 .text = "no language: not matched", .parent = &div};
        struct fd_xattr aut[] = {{NULL, "role", "aut"}}, edt[] = {{NULL, "role", "edt"}};
        struct fd_xattr fam[] = {{NULL, "part", "family"}}, giv[] = {{NULL, "part", "given"}};
        struct fd_xnode who1 = {.ns = "urn:example:t", .name = "who", .attrs = aut, .n_attrs = 1, .parent = &root};
        struct fd_xnode n1 = {.ns = "urn:example:t", .name = "n", .attrs = fam, .n_attrs = 1, .text = "Muster", .parent = &who1};
        struct fd_xnode n2 = {.ns = "urn:example:t", .name = "n", .attrs = giv, .n_attrs = 1, .text = "Erika", .parent = &who1};
        struct fd_xnode id1 = {.ns = "urn:example:t", .name = "id", .text = "https://orcid.org/0000-0002-1825-0097",
                               .parent = &who1};
        struct fd_xnode who2 = {.ns = "urn:example:t", .name = "who", .attrs = edt, .n_attrs = 1, .parent = &root};
        struct fd_xnode n3 = {.name = "n", .text = "Brill, E.J.", .parent = &who2};  /* no namespace: "" */
        struct fd_xnode x = {.ns = "urn:example:t", .name = "x", .parent = &root};
        struct fd_xattr href[] = {{NULL, "href", "https://doi.org/10.1234/ABC"}};
        struct fd_xnode link = {.ns = "urn:example:t", .name = "link", .attrs = href, .n_attrs = 1, .parent = &x};
        struct fd_xattr sch[] = {{NULL, "scheme", "lcsh"}};
        struct fd_xnode subjects = {.ns = "urn:example:t", .name = "subjects", .attrs = sch, .n_attrs = 1,
                                    .parent = &root};
        struct fd_xnode kw = {.ns = "urn:example:t", .name = "kw", .text = "Mosses", .parent = &subjects};
        root.child = &head;
        head.child = &htitle;
        head.next = &title2;
        title2.next = &body;
        body.child = &div;
        div.child = &note;
        note.next = &note2;
        body.next = &who1;
        who1.child = &n1;
        n1.next = &n2;
        n2.next = &id1;
        who1.next = &who2;
        who2.child = &n3;
        who2.next = &x;
        x.child = &link;
        x.next = &subjects;
        subjects.child = &kw;

        struct fd_arena *a = fd_arena_new(1 << 20), *scratch = fd_arena_new(1 << 20);
        struct fd_record *w = fd_record_new_in(a);
        ck_assert_int_eq(fd_xmap_run(&walk_format, w, a, scratch, &root, &err), FD_OK);
        ck_assert_uint_eq(w->titles.n, 1);
        STR_EQ(w->titles.v[0].value, "Head title");
        ck_assert_uint_eq(w->descriptions.n, 1);
        STR_EQ(w->descriptions.v[0].type, "Abstract");
        STR_EQ(w->descriptions.v[0].lang, "en");
        ck_assert_uint_eq(w->creators.n, 1);
        STR_EQ(w->creators.v[0].name, "Muster, Erika");
        STR_EQ(w->creators.v[0].orcid, "0000-0002-1825-0097");
        ck_assert_uint_eq(w->contributors.n, 1);
        STR_EQ(w->contributors.v[0].name, "Brill, E.J.");
        STR_EQ(w->contributors.v[0].role, "Editor");
        STR_EQ(w->doi, "10.1234/abc");
        ck_assert(has_subject(w, "Mosses", "lcsh"));
        fd_arena_free(scratch);
        fd_arena_free(a);
}
END_TEST

/* The walker remembers a walk's name comparisons by pointer (xmlmap.c's
 * memo), for that walk alone: the same memory holding another name in the
 * next tree is read afresh. */
START_TEST(walker_memo_per_walk)
{
        struct fd_error err = {0};
        char name[8] = "head";
        struct fd_xnode root = {.ns = "urn:example:t", .name = "r"};
        struct fd_xnode head = {.ns = "urn:example:t", .name = name, .parent = &root};
        struct fd_xnode title = {.ns = "urn:example:t", .name = "title", .text = "A title", .parent = &head};
        root.child = &head;
        head.child = &title;

        struct fd_arena *a = fd_arena_new(1 << 20), *scratch = fd_arena_new(1 << 20);
        struct fd_record *r1 = fd_record_new_in(a);
        ck_assert_int_eq(fd_xmap_run(&walk_format, r1, a, scratch, &root, &err), FD_OK);
        ck_assert_uint_eq(r1->titles.n, 1);
        memcpy(name, "hexd", 5);  /* t:head/t:title no longer: same first letter, same pointer */
        struct fd_record *r2 = fd_record_new_in(a);
        ck_assert_int_eq(fd_xmap_run(&walk_format, r2, a, scratch, &root, &err), FD_OK);
        ck_assert_uint_eq(r2->titles.n, 0);
        memcpy(name, "head", 5);
        struct fd_record *r3 = fd_record_new_in(a);
        ck_assert_int_eq(fd_xmap_run(&walk_format, r3, a, scratch, &root, &err), FD_OK);
        ck_assert_uint_eq(r3->titles.n, 1);
        fd_arena_free(scratch);
        fd_arena_free(a);
}
END_TEST

/* What a record says, wherever it says it: a DOI inside another resolver's
 * URL, a licence URL inside free text, language names, a coverage date that
 * is no publication year, comments and processing instructions inside
 * values (dropped, not truncating them). */
START_TEST(own_wherever) {
        _fd_cleanup_(fd_page_freep) struct fd_page *p = own("dc_wherever.xml");
        const struct fd_record *r = rec(p, "oai:pangaea.de:904099");

        STR_EQ(r->doi, "10.1594/pangaea.904099");
        STR_EQ(spdx(r), "CC-BY-4.0");
        ck_assert(has_str(&r->languages, "es"));
        STR_EQ(r->titles.v[0].value, "Ocean heat content of the Weddell Sea");
        STR_EQ(r->creators.v[0].name, "Rodríguez, Ana");
        for (size_t i = 0; i < r->dates.n; i++)
                ck_assert_msg(!r->dates.v[i].type || strcmp(r->dates.v[i].type, "issued") != 0,
                              "a coverage date became the issued date: %s", r->dates.v[i].value);

        r = rec(p, "oai:example.org:de");
        STR_EQ(r->doi, "10.5880/gfz.1.4.2016.001");
        ck_assert(has_str(&r->languages, "de"));
        const struct fd_date *issued = date_typed(r, "issued");
        ck_assert_ptr_nonnull(issued);
        ck_assert_msg(strncmp(issued->value, "2017", 4) == 0, "issued %s, not the coverage", issued->value);
}
END_TEST

/* ---- real files of other projects ------------------------------------------------------- */

struct want {
        const char *file;
        bool bare;              /* a metadata document, wrapped as one record */
        size_t records;         /* records mapped, deleted ones not counted */
        const char *local_id;   /* the first live record's */
        const char *format;
        const char *title;      /* the start of its first title */
        const char *doi;
        size_t creators;
        const char *orcid;      /* the first ORCID among its creators */
        int year;
        const char *type;
        const char *lang;       /* its first language */
        const char *spdx;       /* its first licence's SPDX id */
};

static const struct want wants[] = {
        {"cerif/dspace_cris_listrecords_oai_cerif_openaire_prefix_rebound_to_vocab_ns.xml", false, 3, "oai:test-harvest:Publications/c3ae30ae-ddc4-4c25-b0b8-c87a3f850bca", "oai_cerif_openaire",
         "The International Journal of Digital Cur", NULL, 0, NULL, 2020, "Journal", NULL, NULL},
        {"cerif/dspace_cris_listrecords_oai_cerif_openaire_slash_token.xml", false, 2, "oai:test-harvest:Publications/1", "oai_cerif_openaire",
         "First Publication", NULL, 0, NULL, 2020, "Journal", NULL, NULL},
        {"cmdi/ids_mannheim_cmdi12_olac_dcmiterms_envelope.xml", true, 1, "bare", "cmdi",
         "Zusatzmaterialien der Dissertation \"Auto", NULL, 1, NULL, 0, "Collection", "de", NULL},
        {"cmdi/kielipankki_listrecords_cmdi0571_metashare_8records.xml", false, 8, "oai:kielipankki.fi:sh03de30", "cmdi",
         "Finnish TreeBank 1", NULL, 0, NULL, 2015, "Dataset", "fi", NULL},
        {"cmdi/tla_flat_cmdi11_lat_session_no_xml_decl.cmdi", true, 1, "bare", "cmdi",
         "000-036 Pg Goh/Pak Baleh", NULL, 1, NULL, 1979, NULL, "lnh", NULL},
        {"datacite-prefixes/viringo_getrecord_oai_datacite_oai11_schemaversion4_double_stylesheet_pi.xml", false, 1, "doi:10.5072/not-a-real-doi", "oai_datacite",
         "This is a fake DOI with fake metadata.", "10.5072/not-a-real-doi", 2, "0000-0003-1419-2405", 2018, "Text", NULL, NULL},
        {"datacite-prefixes/viringo_getrecord_prefix_datacite_bare_kernel4_request_echo_oai_dc.xml", false, 1, "doi:10.5072/not-a-real-doi", "datacite",
         "This is a fake DOI with fake metadata.", "10.5072/not-a-real-doi", 2, "0000-0003-1419-2405", 2018, "Text", NULL, NULL},
        {"datacite-prefixes/zenodo_legacy_listrecords_oai_datacite3_lisa7_10records_2015.xml", false, 10, "oai:zenodo.org:10165", "oai_datacite",
         "Adapting educational materials in data m", "10.5281/zenodo.10165", 1, NULL, 2014, "Text", NULL, "CC-BY-4.0"},
        {"dc-unwrapped/compusult_csw_record_dc_dct_iso8859_1.xml", true, 1, "bare", "qdc",
         "ALLSPECIES", NULL, 1, NULL, 2009, "Dataset", "en", NULL},
        {"dc-unwrapped/mdpi_dc_in_rdf_description_licence_free_text_joined_creators.xml", true, 1, "bare", "qdc",
         "Feasibility of Using the Two-Source Ener", "10.3390/rs12142299", 5, NULL, 0, "Text", NULL, NULL},
        {"ddi-codebook/cessda_cdc_listrecords_oai_ddi25_deleted_html_token_none.xml", false, 3, "53b3946ddb431037aa99e4fccd86fe280a18b25e8ff9612e0f963ba0f2691e4e", "ddi",
         "Global Risks and Uncertainty. Interviews", "10.20366/unimib/unidata/sn258-1.0", 1, NULL, 2024, "Dataset", NULL, "CC-BY-4.0"},
        {"ddi-codebook/fsd_getrecord_ddi_c_fi_en_empty_doc_title.xml", false, 1, "oai:fsd.uta.fi:FSD3307", "ddi",
         "Child Barometer 2018", NULL, 1, NULL, 2020, "Dataset", NULL, NULL},
        {"ddi-codebook/gesis_za2800_codebook_doi_in_idno_trailing_spaces.xml", true, 1, "bare", "ddi",
         "ALLBUS/GGSS 1996 (Allgemeine Bevölkerung", "10.4232/1.11888", 7, NULL, 2014, "Dataset", NULL, NULL},
        {"ddi-codebook/ukds_7481_codebook_sql_timestamps_hasset.xml", true, 1, "bare", "ddi",
         "Integrated Census Microdata (I-CeM), 185", "10.5255/ukda-sn-7481-1", 1, NULL, 2014, "Dataset", NULL, NULL},
        {"ddi-lifecycle/gesis_za2800_ddi32_instance.xml", true, 1, "bare", "ddi3",
         "ALLBUS/GGSS 1996 (Allgemeine Bevölkerung", "10.4232/1.11888", 7, NULL, 2014, "Dataset", NULL, NULL},
        {"ddi-lifecycle/gesis_za5100_ddi32_instance_multilang.xml", true, 1, "bare", "ddi3",
         "Politbarometer - Overall Cumulation", "10.4232/1.13299", 1, NULL, 2019, "Dataset", NULL, NULL},
        {"didl/differ_uu_getrecord_nl_didl_mods30_dai_extension.xml", false, 1, "oai:www.differ.nl:160", "didl",
         "Anomalous plasma heating induced by modu", NULL, 1, NULL, 1985, "Report", NULL, NULL},
        {"didl/pure_eur_getrecord_nl_didl_mods38_embargo_taverne.xml", false, 1, "oai:pure.eur.nl:publications/ab6f70ae-397a-4930-aea2-4ae4464f94ad", "didl",
         "Richtlijn recht op reparatie: revolution", "10.5553/contr/156608932024026004004", 1, "0009-0004-4114-3312", 2025, "JournalArticle", "nl", NULL},
        {"didl/uu_dspace_getrecord_nl_didl_mods32_thesis_cr_entities.xml", false, 1, "oai:dspace.library.uu.nl:1874/3054", "didl",
         "3D Rotational X-Ray guidance for surgica", NULL, 1, NULL, 2005, "Dissertation", "en", NULL},
        {"doaj/doaj_articles_upload_doi_orcid_id_multi_affiliation.xml", true, 1, "bare", "oai_doaj",
         "Success!", "10.1234/100", 1, NULL, 2013, "JournalArticle", "fr", NULL},
        {"doaj/doaj_articles_upload_temps_zero_no_namespace_empty_elements.xml", true, 1, "bare", "oai_doaj",
         "Imaginaires autochtones contemporains. I", "10.1234/testing", 5, NULL, 2013, "JournalArticle", "fr", NULL},
        {"edm/carare_skara_brae_edm_bc_timespan_conflicting_rights.xml", true, 1, "bare", "edm",
         "Panorama Movie of link path 1-5, Skara B", NULL, 0, NULL, 0, "Audiovisual", "en", NULL},
        {"edm/dlib_si_edm_external_urn_nbn_pdf_webresource.xml", true, 1, "bare", "edm",
         "Molitve in premishlovanja per objiskovan", NULL, 1, NULL, 1826, "Text", "sl", "CC-PDM-1.0"},
        {"edm/europeana_api_rijksmuseum_edm_internal_empty_place_about_per_element_ns.xml", true, 1, "bare", "edm",
         "Beurs van beschilderd creme-wit fluweel,", NULL, 0, NULL, 1835, "Image", "nl", "CC-PDM-1.0"},
        {"edm/malopolska_mbc_edm_relative_cho_about_zxx_timespan.xml", true, 1, "bare", "edm",
         "Czas. 1923, nr 251 (10 XI)", NULL, 0, NULL, 1923, "Text", "pl", NULL},
        {"eml/gbif_ipt_danbif_amphibians_eml211_v10_2.xml", true, 1, "bare", "eml",
         "Amphibians and Reptiles collection at th", NULL, 1, NULL, 2017, "Dataset", "en", "CC-BY-NC-4.0"},
        {"eml/gbif_ipt_test_dataset_v5_doi_alternateidentifiers_orcid_userid.xml", true, 1, "bare", "eml",
         "Test Dataset Please Ignore", "10.5072/fk22zu2ds", 2, "0000-0002-1825-0097", 2015, "Dataset", "en", "CC0-1.0"},
        {"eml/gbif_ipt_wii_herbarium_eml211_gbif_profile_lang_est.xml", true, 1, "bare", "eml",
         "WII Herbarium Dataset", NULL, 1, NULL, 2011, "Dataset", "nl", "CC0-1.0"},
        {"eml/nceas_arcticdata_eml220_datapaper_doi_packageid.xml", true, 1, "bare", "eml",
         "Polaris Project 2017: Permafrost carbon ", "10.18739/a2kk3f", 6, "0000-0002-2873-479X", 2018, "Dataset", NULL, "CC-BY-4.0"},
        {"eml/nceas_knb_lter_cdr_eml211_stylesheet_pi_newline_title.xml", true, 1, "bare", "eml",
         "Effect of N addition on vegetation with ", NULL, 2, NULL, 1988, "Dataset", NULL, NULL},
        {"eml/nceas_sbc_lter_eml220_i18n_value_elements.xml", true, 1, "bare", "eml",
         "Histórico Cocinera base de datos para el", NULL, 2, NULL, 2007, "Dataset", NULL, NULL},
        {"ese/esbirky_mmp_listrecords_ese34_last_page_unpadded_dates_xmlns_empty.xml", false, 8, "oai:esbirky.cz:MMP~publikacePredmetu~HK000644", "ese",
         "Divadelní cedule Zpovědník", NULL, 0, NULL, 1901, "Image", NULL, NULL},
        {"ese/esbirky_nm_hm_listrecords_ese34_page1_single_line_records.xml", false, 100, "ndf", "ese",
         "Korálky", NULL, 1, NULL, 2015, "Image", NULL, "CC-BY-4.0"},
        {"fgdc/compusult_eman_csw_fgdc_iso8859_1_java_ns.xml", true, 1, "bare", "fgdc",
         "ALLSPECIES", NULL, 1, NULL, 2009, "Dataset", NULL, NULL},
        {"fgdc/usgs_asc_polar_bear_dens_csdgm_antimeridian_bbox_bdp.xml", true, 1, "bare", "fgdc",
         "Catalogue of Polar Bear (Ursus maritimus", NULL, 1, NULL, 2010, "Dataset", NULL, NULL},
        {"fgdc/usgs_wind_turbines_csdgm_utf8_bom_doi_in_onlink_text.xml", true, 1, "bare", "fgdc",
         "Onshore Industrial Wind Turbine Location", "10.3133/ds817", 5, NULL, 2014, "Dataset", NULL, NULL},
        {"iso19115-3/auscope_geonetwork_3d_model_mdb.xml", true, 1, "bare", "iso19115-3",
         "3D geological model of the Otway and Tor", NULL, 2, NULL, 2010, "Dataset", "en", "CC-BY-4.0"},
        {"iso19115-3/esri_arcgis_pro_toolkit_sample_mdb.xml", true, 1, "bare", "iso19115-3",
         "Overview > Item Description > Title + Ov", NULL, 1, NULL, 1994, "Service", "en", NULL},
        {"iso19115-3/metawal_wallonie_catchments_mdb_geonetwork_fr.xml", true, 1, "bare", "iso19115-3",
         "Protection des captages - Série", NULL, 0, NULL, 2022, "Collection", "fr", NULL},
        {"iso19115-3/metawal_wallonie_service_srv_mdb.xml", true, 1, "bare", "iso19115-3",
         "INSPIRE - Santé et sécurité des personne", NULL, 0, NULL, 2018, "Service", "fr", NULL},
        {"iso19139/alkis_wfs_service_metadata_srv_de.xml", true, 1, "bare", "iso19139",
         "ALKIS®-vereinfacht ohne Eigentümer - Web", NULL, 0, NULL, 2019, "Service", "de", NULL},
        {"iso19139/geobretagne_geonetwork_cadastre_fr_language_charstring.xml", true, 1, "bare", "iso19139",
         "Cadastre 2018 en Bretagne", NULL, 0, NULL, 2018, "Dataset", "fr", NULL},
        {"iso19139/geocat_ch_che_profile_root_pt_freetext.xml", true, 1, "bare", "iso19139",
         "Gewässerschutzkarte", NULL, 0, NULL, 2017, "Dataset", "de", NULL},
        {"iso19139/marine_ie_ce0911_gmx_anchor_keywords_jsonld_in_charstring.xml", true, 1, "bare", "iso19139",
         "CE0911 Climate Change Survey", NULL, 1, NULL, 2017, "Dataset", "en", "CC-BY-4.0"},
        {"iso19139/pacioos_thredds_nciso_gmi_mi_metadata_19115-2.xml", true, 1, "bare", "iso19139",
         "PacIOOS Nearshore Sensor 06: Pohnpei, Mi", NULL, 1, NULL, 2011, "Dataset", "en", NULL},
        {"marc21/cern_cds_listrecords_marcxml_doi_in_0247_stylesheet_pi.xml", false, 2, "oai:cds.cern.ch:329074", "marc21",
         "Lectures on Heterotic-Type I Duality", "10.1016/s0920-5632(98)00114-5", 3, NULL, 1998, "JournalArticle", "en", NULL},
        {"marc21/dnb_listrecords_marc21_xml_slim_prefix_urn_gnd.xml", false, 1, "oai:dnb.de/dnb-all:online:dissertations:sg530/1079912991", "marc21",
         "Auslegung und Messungen einer supraleite", NULL, 1, NULL, 2015, "Dissertation", "de", NULL},
        {"marc21/gpo_catalog_oai_record_marc21_bare_record_blank_leader.xml", false, 1, "oai:catalog.gpo.gov:GPO01-000003356", "marc21",
         "Physiological, subjective, and performan", NULL, 3, NULL, 1975, "Text", "en", NULL},
        {"marc21/loc_pymarc_batch_collection_xmlspy_comment.xml", true, 1, "bare", "marc21",
         "The Great Ray Charles", NULL, 1, NULL, 1957, "Sound", "en", NULL},
        {"mets/dspace_sword_sip_mets_epdcx_dc_statements_wrapped_title.xml", true, 1, "bare", "mets",
         "Attempts to detect retrotransposition an", NULL, 3, NULL, 2001, "JournalArticle", "en", NULL},
        {"mets/slub_kitodo_av_example_mets_mods_videomd_gnd.xml", true, 1, "bare", "mets",
         "Odol-Mundwasser, 3 Werbespots", NULL, 0, NULL, 2019, "Audiovisual", "de", "CC-PDM-1.0"},
        {"mets/zvdd_paderborn_getrecord_mets_mods_dv_vls.xml", false, 1, "oai:www.zvdd.de:urn:nbn:de:hbz:466:1-43488", "mets",
         "Ausstellung München 1908", NULL, 0, NULL, 1908, "Book", "de", NULL},
        {"mods/bhl_oai_record_mods33_doi_identifier_date_range.xml", false, 1, "oai:biodiversitylibrary.org:item/7", "mods",
         "Die Musci der Flora von Buitenzorg : zug", "10.5962/bhl.title.44870", 2, NULL, 1900, "Book", "nl", NULL},
        {"mods/harvard_librarycloud_listrecords_mods_datestamp_yyyymmdd_token.xml", false, 10, "arn00007c00001", "mods",
         "Plate 1. Clematis cylindrica", NULL, 0, NULL, 2021, NULL, NULL, NULL},
        {"mods/montana_repox_getrecord_mods_oai_provenance.xml", false, 1, "oai:the.european.library.UMr8:oai:scholarworks.umt.edu:goedicke-1008", "mods",
         "Reading notes for 2nd Wind 2001", NULL, 1, NULL, 2001, "Text", NULL, NULL},
        {"mods/shareok_okhub_record_mods35_rightsstatements_href_empty.xml", false, 1, "oai:okhub:OKCES:oai:shareok.org:11244/50280", "mods",
         "Home Fruit Planting Guide", NULL, 2, NULL, 2007, "Text", "en-US", NULL},
        {"mods/stanford_purl_parker_ms367_mods_approx_date_ranges.xml", true, 1, "bare", "mods",
         "Cambridge, Corpus Christi College, MS 36", NULL, 0, NULL, 1400, "Collection", "la", "CC-BY-NC-3.0"},
        {"qdc/contentdm_indiana_hub_record_oai_qdc_provenance_padded_lists.xml", false, 1, "oai:dpla.library.in.gov:PALNI_herbarium4:oai:digital.library.in.gov:PALNI_herbarium4-22274", "qdc",
         "Heuchera villosa", NULL, 4, NULL, 1881, "Sound", "en", NULL},
        {"qdc/contentdm_widener_listrecords_oai_qdc_underscore_date_padded_url.xml", false, 1, "oai:digitalwolfgram.widener.edu:p16069coll7/0", "qdc",
         "08. Historical and Biographical Sketches", NULL, 1, NULL, 1921, "Text", NULL, NULL},
        {"qdc/omeka_chrc_listrecords_oai_dcq_bl_namespace_html_in_rights.xml", false, 1, "oai:omeka.chrc-phila.org:7391", "qdc",
         "Dougherty notice in CS&T", NULL, 1, NULL, 1935, "Text", "en", NULL},
        {"qdc/omeka_moravian_listrecords_oai_dcterms_xsi_type_uri_prefix_mismatch.xml", false, 1, "oai:moravianhistoricalsociety.reclaim.hosting:126", "qdc",
         "History of the school from the Synod fro", NULL, 0, NULL, 2022, "Text", "en", NULL},
        {"re3data/re3data_api_r3d100011274_deakin_html_entity_apos.xml", true, 1, "bare", "re3data",
         "Deakin Research Online", NULL, 1, NULL, 0, "Service", "en", "CC-BY-NC-SA-3.0"},
        {"re3data/re3data_api_r3d100011778_soho_2016_unpadded_startdate.xml", true, 1, "bare", "re3data",
         "Solar and Heliospheric Observatory", NULL, 4, NULL, 1995, "Service", "en", NULL},
        {"re3data/re3data_schema22_official_example_inline_comments.xml", true, 1, "bare", "re3data",
         "Global Research Data Repository", "10.2315/r3d100000001", 1, NULL, 2011, "Service", "en", NULL},
        {"re3data/re3data_schema30_draft_example_ns_trailing_slash.xml", true, 1, "bare", "re3data",
         "Global Research Data Repository", "10.17616/r34s33", 1, NULL, 2011, "Service", "en", "CC-BY-4.0"},
        {"rioxx/dspace_rioxx3_strathprints_record_missing_dc_identifier.xml", true, 1, "bare", "rioxx",
         "Increasing turbidity in the North Sea du", "10.1007/s11229-020-02724-x", 2, "0000-0002-0592-366X", 2019, "JournalArticle", "en", "CC-BY-NC-ND-4.0"},
        {"rioxx/dspace_rioxx3_strathprints_record_no_root_ns_access_rights_underscore.xml", true, 1, "bare", "rioxx",
         "Increasing turbidity in the North Sea du", "10.1007/s11229-020-02724-x", 2, "0000-0002-0592-366X", 2019, "JournalArticle", "en", "CC-BY-NC-ND-4.0"},
};

/* The metadata as harvested: kept as one LZ4 block behind "FDz4" and its
 * length, read back whole; the zlib streams of earlier indexes still read. */
START_TEST(raw_lz4_and_zlib)
{
        struct fd_page *p = own("marc21_marcxml.xml");
        const struct fd_record *r = p->records.v[0];
        struct fd_error err = {0};
        char *text = NULL;
        size_t len = 0;

        ck_assert_ptr_nonnull(r->raw);
        ck_assert(r->raw_len > 8 && memcmp(r->raw, "FDz4", 4) == 0);
        ck_assert_int_eq(fd_raw_inflate(r->raw, r->raw_len, &text, &len, &err), FD_OK);
        ck_assert_uint_eq(strlen(text), len);
        ck_assert(strstr(text, "<record xmlns=\"http://www.loc.gov/MARC21/slim\"") == text);
        ck_assert(strstr(text, "Strahlbetrieb supraleitender Beschleuniger"));

        /* a zlib stream, as fairdex 0.4 kept it */
        uLongf zlen = compressBound((uLong)len);
        Bytef *z = malloc(zlen);
        ck_assert_int_eq(compress2(z, &zlen, (const Bytef *)text, (uLong)len, Z_BEST_SPEED), Z_OK);
        char *again = NULL;
        size_t again_len = 0;
        ck_assert_int_eq(fd_raw_inflate(z, zlen, &again, &again_len, &err), FD_OK);
        ck_assert_uint_eq(again_len, len);
        ck_assert(memcmp(again, text, len) == 0);

        /* a block cut short, or claiming more than it holds, is corrupt */
        ck_assert_int_eq(fd_raw_inflate(r->raw, r->raw_len - 3, &again, &again_len, &err) == FD_OK ? 0 : 1, 1);
        free(again);
        free(z);
        free(text);
        fd_page_free(p);
}
END_TEST

static bool same(const char *a, const char *b) { return a == b || (a && b && strcmp(a, b) == 0); }

START_TEST(real_format_fields)
{
        const struct want *w = &wants[_i];
        char dir[256];
        snprintf(dir, sizeof dir, "../shared/fixtures/formats");
        struct fd_page *p = parse(dir, w->file, w->bare);
        const struct fd_record *r = NULL;
        size_t live = 0;
        for (size_t i = 0; i < p->records.n; i++) {
                if (p->records.v[i]->deleted)
                        continue;
                if (!r)
                        r = p->records.v[i];
                live++;
        }
        ck_assert_msg(live == w->records, "%s: %zu records, want %zu", w->file, live, w->records);
        const char *title = fd_record_title(r);
        const char *orcid = NULL;
        for (size_t i = 0; i < r->creators.n && !orcid; i++)
                orcid = r->creators.v[i].orcid;
        ck_assert_msg(same(r->local_id, w->local_id), "%s: id %s", w->file, r->local_id);
        ck_assert_msg(same(r->format, w->format), "%s: format %s", w->file, r->format);
        ck_assert_msg(w->title ? title && strncmp(title, w->title, strlen(w->title)) == 0 : !title, "%s: title %s",
                      w->file, title ? title : "(none)");
        ck_assert_msg(same(r->doi, w->doi), "%s: doi %s", w->file, r->doi ? r->doi : "(none)");
        ck_assert_msg(r->creators.n == w->creators, "%s: %zu creators", w->file, r->creators.n);
        ck_assert_msg(same(orcid, w->orcid), "%s: orcid %s", w->file, orcid ? orcid : "(none)");
        ck_assert_msg(fd_record_year(r) == w->year, "%s: year %d", w->file, fd_record_year(r));
        ck_assert_msg(same(r->resource_type, w->type), "%s: type %s", w->file,
                      r->resource_type ? r->resource_type : "(none)");
        ck_assert_msg(same(r->languages.n ? r->languages.v[0] : NULL, w->lang), "%s: language", w->file);
        ck_assert_msg(same(spdx(r), w->spdx), "%s: licence %s", w->file, spdx(r) ? spdx(r) : "(none)");
        fd_page_free(p);
}
END_TEST

static Suite *formats_suite(void) {
        Suite *s = suite_create("formats");
        TCase *t = tcase_create("own");
        tcase_add_test(t, own_marc21);
        tcase_add_test(t, own_wherever);
        tcase_add_test(t, own_mods);
        tcase_add_test(t, own_ddi);
        tcase_add_test(t, own_ddi_lifecycle);
        tcase_add_test(t, own_iso19139);
        tcase_add_test(t, dc_coverage_encodings);
        tcase_add_test(t, own_eml);
        tcase_add_test(t, own_cerif);
        tcase_add_test(t, own_edm);
        tcase_add_test(t, own_dc_unwrapped);
        tcase_add_test(t, own_qdc_rioxx_doaj);
        tcase_add_test(t, own_datacite_under_zenodo_prefix);
        tcase_add_test(t, detection_by_namespace);
        tcase_add_test(t, detection_ignores_prefix_name);
        tcase_add_test(t, walker_paths);
        tcase_add_test(t, walker_memo_per_walk);
        tcase_add_test(t, raw_lz4_and_zlib);
        suite_add_tcase(s, t);

        struct shared_case sh = shared_case_new(s, "formats", "real", "../shared/fixtures/formats");
        shared_case_add_loop_test(&sh, real_format_fields, 0, (int)FD_ELEMENTSOF(wants));
        shared_case_finish(&sh);
        return s;
}

FD_TEST_MAIN(formats_suite)
