/* test_dcat.c: the DCAT driver, the three RDF readers and the mapping.
 *
 * Real catalogues from other projects are harvested in place from
 * $FD_SOURCE_ROOT/../shared/fixtures/dcat (not run, saying so, when
 * absent) through file:// and through a local HTTP server; our own small
 * fixtures in tests/fixtures/dcat cover each quirk so the suite stands
 * alone.  The HTTP server is a thread on 127.0.0.1 answering files of a
 * directory by path (and the Hydra pages of a catalogue kept in memory,
 * which a test edits between runs to see a dataset disappear).
 */
#include <ctype.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/resource.h>

#include <check.h>

#include "fd_test.h"
#include "fd_test_http.h"
#include "fd_test_shared.h"

#include "fd_harvesters.h"
#include "harvesters-private.h"

static char *path_of(const char *rel) {
        const char *root = getenv("FD_SOURCE_ROOT");
        char *p = NULL;
        ck_assert_int_ge(asprintf(&p, "%s/%s", root ? root : ".", rel), 0);
        return p;
}

/* ---- a collecting sink -------------------------------------------------------- */

struct got {
        struct fd_page *pages[64];
        size_t n_pages;
        size_t n_records, n_deleted, n_skipped;
        char warn[8192];
        struct fd_checkpoint cp;
};

static bool got_page(void *ud, struct fd_page *p) {
        struct got *g = ud;
        for (size_t i = 0; i < p->records.n; i++) {
                if (p->records.v[i]->deleted)
                        g->n_deleted++;
                else
                        g->n_records++;
        }
        g->n_skipped += p->n_skipped;
        fd_checkpoint_release(&g->cp);
        fd_checkpoint_copy(&g->cp, &p->checkpoint);
        if (g->n_pages < FD_ELEMENTSOF(g->pages))
                g->pages[g->n_pages++] = p;
        else
                fd_page_free(p);
        return true;
}

static void got_warn(void *ud, const char *msg) {
        struct got *g = ud;
        size_t n = strlen(g->warn);
        snprintf(g->warn + n, sizeof g->warn - n, "%s\n", msg);
}

static void got_release(struct got *g) {
        for (size_t i = 0; i < g->n_pages; i++)
                fd_page_free(g->pages[i]);
        fd_checkpoint_release(&g->cp);
        memset(g, 0, sizeof *g);
}

static const struct fd_record *find(struct got *g, const char *local_id) {
        for (size_t i = 0; i < g->n_pages; i++)
                for (size_t k = 0; k < g->pages[i]->records.n; k++) {
                        const struct fd_record *r = g->pages[i]->records.v[k];
                        if (!r->deleted && strcmp(r->local_id, local_id) == 0)
                                return r;
                }
        return NULL;
}

static const struct fd_record *first_record(struct got *g) {
        for (size_t i = 0; i < g->n_pages; i++)
                if (g->pages[i]->records.n)
                        return g->pages[i]->records.v[0];
        return NULL;
}

/* The memory budget of the harvests (0: the default); 1 (the smallest)
 * makes every fixture go to disk in runs of a few triples. */
static size_t budget;

static enum fd_status harvest(const char *url, const char *state, const struct fd_checkpoint *resume, struct got *g,
                              struct fd_error *err) {
        struct fd_harvest_opts o = {.source = "t", .url = url, .user_agent = "fairdex-test", .resume = resume,
                                    .max_retries = 1};
        struct fd_dcat_opts d = {.state_file = state, .memory_budget = budget};
        struct fd_harvest_sink s = {.page = got_page, .warn = got_warn, .userdata = g};
        return fd_dcat_harvest(&o, &d, &s, err);
}

static bool has_text(const struct fd_texts *t, const char *needle, const char *lang) {
        for (size_t i = 0; i < t->n; i++)
                if (strstr(t->v[i].value, needle) && (!lang || (t->v[i].lang && strcmp(t->v[i].lang, lang) == 0)))
                        return true;
        return false;
}

static bool has_str(const struct fd_strs *s, const char *needle) {
        for (size_t i = 0; i < s->n; i++)
                if (strstr(s->v[i], needle))
                        return true;
        return false;
}

static bool has_subject(const struct fd_record *r, const char *value, const char *uri_part) {
        for (size_t i = 0; i < r->subjects.n; i++)
                if ((!value || strcmp(r->subjects.v[i].value, value) == 0) &&
                    (!uri_part || (r->subjects.v[i].uri && strstr(r->subjects.v[i].uri, uri_part))))
                        return true;
        return false;
}

static bool has_license(const struct fd_record *r, const char *spdx_or_url) {
        for (size_t i = 0; i < r->licenses.n; i++)
                if ((r->licenses.v[i].spdx && strcmp(r->licenses.v[i].spdx, spdx_or_url) == 0) ||
                    (r->licenses.v[i].url && strstr(r->licenses.v[i].url, spdx_or_url)))
                        return true;
        return false;
}

static void dump(struct got *g) {
        if (!getenv("FD_TEST_DUMP"))
                return;
        for (size_t i = 0; i < g->n_pages; i++)
                for (size_t k = 0; k < g->pages[i]->records.n; k++) {
                        json_t *j = fd_record_to_json(g->pages[i]->records.v[k]);
                        char *s = json_dumps(j, JSON_INDENT(1));
                        fprintf(stderr, "%s\n", s);
                        free(s);
                        json_decref(j);
                }
        fprintf(stderr, "warnings:\n%s\n", g->warn);
}

/* ---- the shared fixtures, through file:// and HTTP --------------------------------- */

struct expect {
        const char *file;
        enum fd_status status;     /* of the run */
        size_t datasets;
        const char *error_part;    /* in the error message when status is not FD_OK */
        void (*check)(struct got *g);
};

static void check_gob_es(struct got *g) {
        const struct fd_record *r = first_record(g);
        ck_assert_ptr_nonnull(r);
        ck_assert(r->titles.n >= 1);
        ck_assert_str_eq(r->titles.v[0].lang, "es");
        ck_assert(r->descriptions.n >= 1);
        ck_assert(r->subjects.n >= 1);
        ck_assert_str_eq(r->format, "dcat");
}

static void check_deri(struct got *g) {
        const struct fd_record *r = first_record(g);
        ck_assert_ptr_nonnull(r);
        ck_assert(r->titles.n >= 1);
        /* "06/05/2009": day first, as European sources write it */
        bool issued = false;
        for (size_t i = 0; i < r->dates.n; i++)
                if (r->dates.v[i].type && strcmp(r->dates.v[i].type, "issued") == 0)
                        issued = strcmp(r->dates.v[i].value, "2009-05-06") == 0;
        ck_assert(issued);
        ck_assert(has_subject(r, "Greater London", NULL));
}

static void check_sweden(struct got *g) {
        const struct fd_record *r = first_record(g);
        ck_assert_ptr_nonnull(r);
        ck_assert(has_text(&r->titles, "Linked Nobel prizes", "en"));
        /* contact point through adms:contactPoint */
        bool contact = false;
        for (size_t i = 0; i < r->contributors.n; i++)
                contact |= r->contributors.v[i].role && strcmp(r->contributors.v[i].role, "ContactPerson") == 0;
        ck_assert(contact);
        ck_assert(r->formats.n >= 1);
}

static void check_evian(struct got *g) {
        const struct fd_record *r = first_record(g);
        ck_assert_ptr_nonnull(r);
        ck_assert(r->titles.n >= 1);
        ck_assert(r->urls.n + r->download_urls.n >= 1);
}

static void check_series(struct got *g) {
        const struct fd_record *r = first_record(g);
        ck_assert_ptr_nonnull(r);
        ck_assert(has_text(&r->titles, "DCE – Bassin Artois-Picardie - Etat global", "fr"));
}

static void check_datara(struct got *g) {
        const struct fd_record *r = first_record(g);
        ck_assert_ptr_nonnull(r);
        ck_assert(r->titles.n >= 1);
        ck_assert(r->descriptions.n >= 1);
}

static void check_csiro(struct got *g) {
        const struct fd_record *r = first_record(g);
        ck_assert_ptr_nonnull(r);
        ck_assert(r->titles.n >= 1);
}

static const struct expect shared[] = {
        {"ckanext-dcat_datos_gob_es_dataset.ttl", FD_OK, 1, NULL, check_gob_es},
        {"ckanext-dcat_london_deri_mojibake_nonisodates.ttl", FD_OK, 1, NULL, check_deri},
        {"ckanext-dcat_nobelprize_sweden_nodeid.rdf", FD_OK, 1, NULL, check_sweden},
        {"piveau_dqv_metrics_trig_block_in_ttl.ttl", FD_OK, 1, NULL, NULL},
        {"udata_arcgis_hub_evian_dcatus_html_fields.json", FD_OK, 8, NULL, check_evian},
        {"udata_datara_geonetwork_geodcatap_record.rdf", FD_OK, 1, NULL, check_datara},
        {"udata_sextant_ifremer_dcatap3_dataset_series.xml", FD_OK, 1, NULL, check_series},
        {"w3c_dxwg_csiro_dap_graph_context_last.jsonld", FD_OK, 9, NULL, check_csiro},
};

static void run_shared(size_t i, bool http) {
        const struct expect *e = &shared[i];
        struct got g = {0};
        struct fd_error err = {0};
        char *dir = path_of("../shared/fixtures/dcat");
        struct fd_test_http srv = {.dir = dir};
        char url[4096];

        if (http) {
                fd_test_http_start(&srv);
                snprintf(url, sizeof url, "http://127.0.0.1:%d/%s", srv.port, e->file);
        } else
                snprintf(url, sizeof url, "file://%s/%s", dir, e->file);
        enum fd_status st = harvest(url, NULL, NULL, &g, &err);
        if (getenv("FD_TEST_DUMP"))
                fprintf(stderr, "%s: %s (%s) %zu records\n", e->file, fd_status_name(st), err.msg, g.n_records);
        dump(&g);
        ck_assert_msg(st == e->status, "%s: %s: %s", e->file, fd_status_name(st), err.msg);
        if (st) {
                ck_assert_msg(strstr(err.msg, e->error_part), "%s: %s", e->file, err.msg);
                ck_assert_msg(strstr(err.msg, e->file), "error does not name the URL: %s", err.msg);
        }
        if (e->datasets)
                ck_assert_msg(g.n_records == e->datasets, "%s: %zu datasets", e->file, g.n_records);
        if (e->check)
                e->check(&g);
        got_release(&g);
        if (http)
                fd_test_http_stop(&srv);
        free(dir);
}

START_TEST(test_shared_file) {
        run_shared((size_t)_i, false);
}
END_TEST

START_TEST(test_shared_http) {
        run_shared((size_t)_i, true);
}
END_TEST

/* ---- own fixtures ---------------------------------------------------------------- */

static enum fd_status harvest_own(const char *name, struct got *g, struct fd_error *err) {
        char *dir = path_of("tests/fixtures/dcat");
        char url[4096];
        snprintf(url, sizeof url, "file://%s/%s", dir, name);
        free(dir);
        enum fd_status st = harvest(url, NULL, NULL, g, err);
        dump(g);
        return st;
}

START_TEST(test_turtle_mapping) {
        struct got g = {0};
        struct fd_error err = {0};
        ck_assert_int_eq(harvest_own("dcatap_full.ttl", &g, &err), FD_OK);
        ck_assert_int_eq(g.n_records, 2);
        const struct fd_record *r = find(&g, "https://data.example.org/dataset/air-quality");
        ck_assert_ptr_nonnull(r);
        ck_assert_str_eq(r->id, "t:https://data.example.org/dataset/air-quality");
        ck_assert(has_text(&r->titles, "Air quality", "en"));
        ck_assert(has_text(&r->titles, "Luftqualität", "de"));
        ck_assert(has_text(&r->descriptions, "Hourly", "en"));
        ck_assert_str_eq(r->publisher, "Environment Agency");
        ck_assert(has_subject(r, "air", NULL));
        ck_assert(has_subject(r, "ENVI", "data-theme/ENVI"));
        ck_assert(has_license(r, "CC-BY-4.0"));
        ck_assert_int_eq(r->access, FD_ACCESS_OPEN);
        ck_assert(has_str(&r->formats, "text/csv"));
        ck_assert(has_str(&r->formats, "CSV"));
        ck_assert(has_str(&r->download_urls, "https://data.example.org/files/air.csv"));
        ck_assert(has_str(&r->urls, "https://data.example.org/air"));
        ck_assert_ptr_nonnull(r->doi);
        ck_assert_str_eq(r->doi, "10.1234/air");
        ck_assert_str_eq(r->datestamp, "2024-03-01");
        ck_assert(has_subject(r, "Vienna", NULL));
        bool start = false;
        for (size_t i = 0; i < r->dates.n; i++)
                start |= r->dates.v[i].type && strcmp(r->dates.v[i].type, "coverage-start") == 0 &&
                         strcmp(r->dates.v[i].value, "2020-01-01") == 0;
        ck_assert(start);
        bool contact = false;
        for (size_t i = 0; i < r->contributors.n; i++)
                contact |= strcmp(r->contributors.v[i].name, "Data Desk") == 0;
        ck_assert(contact);
        ck_assert(r->languages.n == 1 && strcmp(r->languages.v[0], "en") == 0);
        /* the bad media type is dropped with a warning, the bad language tag too */
        ck_assert_ptr_nonnull(strstr(g.warn, "media type 'not a type'"));
        ck_assert_ptr_nonnull(strstr(g.warn, "language tag"));
        /* relative IRIs resolve against the document's URL */
        const struct fd_record *b = NULL;
        for (size_t i = 0; i < g.pages[0]->records.n; i++)
                if (strstr(g.pages[0]->records.v[i]->local_id, "relative-dataset"))
                        b = g.pages[0]->records.v[i];
        ck_assert_ptr_nonnull(b);
        ck_assert_msg(strncmp(b->local_id, "file://", 7) == 0, "%s", b->local_id);
        got_release(&g);
}
END_TEST

START_TEST(test_variants) {
        struct got g = {0};
        struct fd_error err = {0};
        ck_assert_int_eq(harvest_own("namespace_variants.ttl", &g, &err), FD_OK);
        ck_assert_int_eq(g.n_records, 2);
        const struct fd_record *r = find(&g, "http://example.org/ds/1");
        ck_assert_ptr_nonnull(r);
        /* dcterms: on the DC terms namespace, dct:keyword, license as a literal IRI */
        ck_assert(has_text(&r->titles, "Variant dataset", NULL));
        ck_assert(has_subject(r, "kw-dct", NULL));
        ck_assert(has_license(r, "CC0-1.0"));
        /* https://schema.org/ Dataset */
        r = find(&g, "http://example.org/ds/2");
        ck_assert_ptr_nonnull(r);
        ck_assert(has_text(&r->titles, "Schema dataset", NULL));
        ck_assert(has_str(&r->download_urls, "http://example.org/ds/2.csv"));
        got_release(&g);
}
END_TEST

START_TEST(test_blank_datasets) {
        struct got g = {0}, g2 = {0};
        struct fd_error err = {0};
        ck_assert_int_eq(harvest_own("blank_datasets.rdf", &g, &err), FD_OK);
        ck_assert_int_eq(g.n_records, 2);
        ck_assert_ptr_nonnull(find(&g, "ds-with-identifier"));
        const struct fd_record *h = NULL;
        for (size_t i = 0; i < g.pages[0]->records.n; i++)
                if (strncmp(g.pages[0]->records.v[i]->local_id, "hash:", 5) == 0)
                        h = g.pages[0]->records.v[i];
        ck_assert_ptr_nonnull(h);
        /* the hash id is stable across reads */
        ck_assert_int_eq(harvest_own("blank_datasets.rdf", &g2, &err), FD_OK);
        ck_assert_ptr_nonnull(find(&g2, h->local_id));
        got_release(&g);
        got_release(&g2);
}
END_TEST

START_TEST(test_jsonld_catalogue) {
        struct got g = {0};
        struct fd_error err = {0};
        ck_assert_int_eq(harvest_own("catalogue.jsonld", &g, &err), FD_OK);
        ck_assert_int_eq(g.n_records, 2);
        const struct fd_record *r = find(&g, "https://example.org/ds/a");
        ck_assert_ptr_nonnull(r);
        ck_assert(has_text(&r->titles, "Ocean colour", "en"));
        ck_assert(has_text(&r->titles, "Couleur de l'océan", "fr"));
        ck_assert(has_str(&r->formats, "application/netcdf"));
        ck_assert(has_license(r, "CC-BY-4.0"));
        got_release(&g);
}
END_TEST

/* A catalogue naming SEMIC's DCAT-AP 3.0.1 context: the bundled context
 * maps its class names and type-scoped property terms. */
START_TEST(test_dcatap_context) {
        struct got g = {0};
        struct fd_error err = {0};
        ck_assert_msg(harvest_own("dcatap3_context.jsonld", &g, &err) == FD_OK, "%s", err.msg);
        ck_assert_int_eq(g.n_records, 1);
        const struct fd_record *r = find(&g, "https://data.example.org/dataset/bees");
        ck_assert_ptr_nonnull(r);
        ck_assert(has_text(&r->titles, "Bee population", "en"));
        ck_assert(has_text(&r->descriptions, "bee colonies", NULL));
        ck_assert(has_subject(r, "pollinators", NULL));
        ck_assert(has_subject(r, "AGRI", "data-theme/AGRI"));
        ck_assert(has_license(r, "CC-BY-4.0"));
        ck_assert(has_str(&r->formats, "text/csv"));
        ck_assert(has_str(&r->formats, "CSV"));
        ck_assert(has_str(&r->download_urls, "https://data.example.org/files/bees.csv"));
        ck_assert_str_eq(r->datestamp, "2023-05-01");
        /* every bundled DCAT-AP context is JSON without duplicate terms */
        static const char *const urls[] = {
                "https://semiceu.github.io/DCAT-AP/releases/3.0.0/context/dcat-ap.jsonld",
                "https://semiceu.github.io/DCAT-AP/releases/3.0.1/context/dcat-ap.jsonld",
                "https://semiceu.github.io/DCAT-AP/releases/2.0.1/dcat-ap_2.0.1.jsonld",
        };
        for (size_t i = 0; i < FD_ELEMENTSOF(urls); i++) {
                const char *text = fd_jsonld_bundled(urls[i]);
                ck_assert_ptr_nonnull(text);
                json_t *doc = NULL;
                ck_assert_msg(fd_json_parse(text, strlen(text), urls[i], &doc, &err) == FD_OK, "%s", err.msg);
                json_decref(doc);
        }
        got_release(&g);
}
END_TEST

START_TEST(test_schema_org) {
        struct got g = {0};
        struct fd_error err = {0};
        ck_assert_int_eq(harvest_own("schema_org_dataset.jsonld", &g, &err), FD_OK);
        ck_assert_int_eq(g.n_records, 1);
        const struct fd_record *r = first_record(&g);
        ck_assert(has_text(&r->titles, "Soil moisture", NULL));
        ck_assert_ptr_nonnull(r->doi);
        ck_assert(has_license(r, "CC-BY-4.0"));
        ck_assert(has_subject(r, "soil", NULL));
        got_release(&g);
}
END_TEST

START_TEST(test_unknown_context) {
        struct got g = {0};
        struct fd_error err = {0};
        ck_assert_int_eq(harvest_own("unknown_context.jsonld", &g, &err), FD_E_UNSUPPORTED);
        ck_assert_ptr_nonnull(strstr(err.msg, "https://example.org/never-fetched.jsonld"));
        got_release(&g);
}
END_TEST

static bool has_related(const struct fd_record *r, const char *value, const char *relation) {
        for (size_t i = 0; i < r->related.n; i++)
                if (strcmp(r->related.v[i].value, value) == 0 && r->related.v[i].relation &&
                    strcmp(r->related.v[i].relation, relation) == 0)
                        return true;
        return false;
}

static const struct fd_agent *agent_named(const struct fd_agents *l, const char *name) {
        for (size_t i = 0; i < l->n; i++)
                if (strcmp(l->v[i].name, name) == 0)
                        return &l->v[i];
        return NULL;
}

/* DCAT-AP 3 read whole (issue 19). */
START_TEST(test_dcatap3_whole) {
        struct got g = {0};
        struct fd_error err = {0};
        ck_assert_msg(harvest_own("dcatap3_whole.ttl", &g, &err) == FD_OK, "%s", err.msg);
        ck_assert_int_eq(g.n_records, 2);
        const struct fd_record *r = find(&g, "https://data.example.eu/dataset/air");
        ck_assert_ptr_nonnull(r);
        ck_assert(has_str(&r->sizes, "52428800 bytes"));
        ck_assert_int_eq(r->checksums.n, 1);
        ck_assert_str_eq(r->checksums.v[0], "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
        ck_assert_str_eq(r->frequency, "HOURLY");
        ck_assert_int_eq(r->legislation.n, 1);
        ck_assert_str_eq(r->legislation.v[0], "http://data.europa.eu/eli/reg_impl/2023/138/oj");
        bool hvd = false;
        for (size_t i = 0; i < r->subjects.n; i++)
                hvd |= r->subjects.v[i].scheme && strcmp(r->subjects.v[i].scheme, "hvd-category") == 0 &&
                       strstr(r->subjects.v[i].uri, "c_dd313021");
        ck_assert(hvd);
        ck_assert(has_related(r, "http://www.opengis.net/def/crs/EPSG/0/4326", "ConformsTo"));
        ck_assert(has_related(r, "https://cordis.europa.eu/project/id/101000001", "WasGeneratedBy"));
        ck_assert(has_related(r, "https://data.example.eu/service/air-api", "HasAccessService"));
        const struct fd_agent *ana = agent_named(&r->contributors, "Ana Silva");
        ck_assert_ptr_nonnull(ana);
        ck_assert_str_eq(ana->role, "custodian");
        ck_assert_int_eq(r->creators.n, 1);
        ck_assert_str_eq(r->creators.v[0].orcid, "0000-0002-1825-0097");
        ck_assert_int_eq(r->funding.n, 1);
        ck_assert_str_eq(r->funding.v[0].funder, "European Commission");
        ck_assert_str_eq(r->funding.v[0].award, "101000001");
        ck_assert_str_eq(r->funding.v[0].award_title, "Clean Air Horizon");
        ck_assert_ptr_nonnull(strstr(r->funding.v[0].funder_id, "00k4n6c32"));
        ck_assert_int_eq(r->geo_locations.n, 1);
        const struct fd_geo *geo = &r->geo_locations.v[0];
        ck_assert(geo->has_box && geo->has_point);
        ck_assert_str_eq(geo->place, "Brussels region");
        ck_assert(geo->west == 4.0 && geo->east == 5.0 && geo->south == 50.5 && geo->north == 51.0);
        ck_assert(geo->lat == 50.75 && geo->lon == 4.5);
        bool coverage = false;
        for (size_t i = 0; i < r->dates.n; i++)
                coverage |= r->dates.v[i].type && strcmp(r->dates.v[i].type, "coverage-end") == 0 &&
                            strcmp(r->dates.v[i].value, "2024-12-31") == 0;
        ck_assert(coverage);

        /* the service links back to the dataset it serves; its GML box is CRS84 */
        const struct fd_record *svc = find(&g, "https://data.example.eu/service/air-api");
        ck_assert_ptr_nonnull(svc);
        ck_assert(has_related(svc, "https://data.example.eu/dataset/air", "ServesDataset"));
        ck_assert_int_eq(svc->geo_locations.n, 1);
        geo = &svc->geo_locations.v[0];
        ck_assert(geo->has_box && geo->west == 2.5 && geo->south == 49.5 && geo->east == 6.4 && geo->north == 51.5);
        got_release(&g);
}
END_TEST

/* schema.org people in every shape: ORCID as a URL, a PropertyValue and an
 * @id; affiliation as text and as an Organization with its ROR; the Role
 * pattern; funding; a GeoShape box. */
START_TEST(test_schema_org_people) {
        struct got g = {0};
        struct fd_error err = {0};
        ck_assert_msg(harvest_own("schema_people.jsonld", &g, &err) == FD_OK, "%s", err.msg);
        ck_assert_int_eq(g.n_records, 1);
        const struct fd_record *r = first_record(&g);
        const struct fd_agent *a = agent_named(&r->creators, "Ada Reef");
        ck_assert(a && a->orcid && strcmp(a->orcid, "0000-0001-5109-3700") == 0);
        ck_assert(a->ror && strcmp(a->ror, "03yrm5c26") == 0);
        ck_assert_str_eq(a->affiliation, "Ocean Institute");
        a = agent_named(&r->creators, "Kelp, Ben");
        ck_assert(a && a->orcid && strcmp(a->orcid, "0000-0002-1694-233X") == 0);
        ck_assert_str_eq(a->affiliation, "University of the Sea");
        a = agent_named(&r->creators, "Cleo Tide");
        ck_assert(a && a->orcid && strcmp(a->orcid, "0000-0003-1419-2405") == 0);
        a = agent_named(&r->creators, "Dan Shoal");
        ck_assert(a && a->orcid && strcmp(a->orcid, "0000-0002-9079-593X") == 0);
        ck_assert(a->ror && strcmp(a->ror, "05dxps055") == 0);
        ck_assert_str_eq(a->role, "Principal Investigator");
        ck_assert_int_eq(r->creators.n, 4);
        ck_assert_int_eq(r->funding.n, 1);
        ck_assert_str_eq(r->funding.v[0].funder, "National Science Foundation");
        ck_assert_str_eq(r->funding.v[0].award, "OCE-1234567");
        ck_assert(has_str(&r->sizes, "12 MB"));
        ck_assert_int_eq(r->geo_locations.n, 1);
        const struct fd_geo *geo = &r->geo_locations.v[0];
        ck_assert(geo->has_box && geo->south == -20.5 && geo->west == 145.0 && geo->north == -10.0 &&
                  geo->east == 155.5);
        got_release(&g);
}
END_TEST

START_TEST(test_geometry_literals) {
        static const struct {
                const char *value, *datatype;
                bool point;
                double a, b, c, d;  /* point: lat, lon; box: west, east, south, north */
        } cases[] = {
                {"POINT(4.35 50.85)", NULL, true, 50.85, 4.35, 0, 0},
                {"<http://www.opengis.net/def/crs/OGC/1.3/CRS84> POINT (4.35 50.85)", FD_NS_GSP "wktLiteral", true,
                 50.85, 4.35, 0, 0},
                {"<http://www.opengis.net/def/crs/EPSG/0/4326> POINT(50.85 4.35)", NULL, true, 50.85, 4.35, 0, 0},
                {"POLYGON Z((1 2 100, 3 2 100, 3 4 100, 1 2 100))", NULL, false, 1, 3, 2, 4},
                {"MULTIPOLYGON(((1 2, 3 2, 3 4, 1 2)), ((-5 -6, -4 -6, -4 -5, -5 -6)))", NULL, false, -5, 3, -6, 4},
                {"{\"type\": \"Polygon\", \"coordinates\": [[[1, 2], [3, 2], [3, 4], [1, 2]]]}", NULL, false, 1, 3, 2,
                 4},
                {"{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [13.4, 52.5]}}",
                 FD_NS_RDF "JSON", true, 52.5, 13.4, 0, 0},
                {"<gml:Point srsName=\"http://www.opengis.net/def/crs/EPSG/0/4326\"><gml:pos>52.5 13.4</gml:pos>"
                 "</gml:Point>", FD_NS_GSP "gmlLiteral", true, 52.5, 13.4, 0, 0},
                {"<gml:Envelope srsName=\"http://www.opengis.net/def/crs/OGC/1.3/CRS84\"><gml:lowerCorner>-10.58 51.42"
                 "</gml:lowerCorner><gml:upperCorner>34.59 69.06</gml:upperCorner></gml:Envelope>", NULL, false,
                 -10.58, 34.59, 51.42, 69.06},
        };
        for (size_t i = 0; i < FD_ELEMENTSOF(cases); i++) {
                struct fd_geo geo = {0};
                ck_assert_msg(fd_dcat_geometry(cases[i].value, cases[i].datatype, &geo), "%s", cases[i].value);
                if (cases[i].point)
                        ck_assert_msg(geo.has_point && !geo.has_box && geo.lat == cases[i].a && geo.lon == cases[i].b,
                                      "%s: %g %g", cases[i].value, geo.lat, geo.lon);
                else
                        ck_assert_msg(geo.has_box && !geo.has_point && geo.west == cases[i].a &&
                                              geo.east == cases[i].b && geo.south == cases[i].c &&
                                              geo.north == cases[i].d,
                                      "%s: %g %g %g %g", cases[i].value, geo.west, geo.east, geo.south, geo.north);
        }
        struct fd_geo geo = {0};
        ck_assert(!fd_dcat_geometry("somewhere nice", NULL, &geo));
        ck_assert(!fd_dcat_geometry("{\"type\": \"Point\"}", NULL, &geo));
        ck_assert(!fd_dcat_geometry("{broken", NULL, &geo));
        ck_assert(fd_dcat_latlon_text("52.5 13.4", &geo) && geo.has_point && geo.lat == 52.5 && geo.lon == 13.4);
}
END_TEST

/* Syntax errors lose as little as the syntax allows: the statements at
 * them are skipped, counted and placed in one warning, the rest is read. */
START_TEST(test_syntax_errors_skipped) {
        static const struct {
                const char *file;
                size_t records;
                const char *const *ids;
                const char *where, *count;
        } cases[] = {
                {"resync.ttl", 6, NULL, "line 5 column", "4 statements skipped"},
                {"resync.nt", 3, NULL, "line 4 column", "1 statement skipped"},
                {"resync.rdf", 3, NULL, "line 6 column", "1 statement skipped"},
                {"no_prefix.ttl", 0, NULL, "line 3 column 26: undefined prefix in 'dcat:Dataset'", "1 statement"},
                {"truncated.ttl", 1, NULL, "line 4 column", "1 statement skipped"},
        };
        for (size_t i = 0; i < FD_ELEMENTSOF(cases); i++) {
                struct got g = {0};
                struct fd_error err = {0};
                ck_assert_msg(harvest_own(cases[i].file, &g, &err) == FD_OK, "%s: %s", cases[i].file, err.msg);
                ck_assert_msg(g.n_records == cases[i].records, "%s: %zu records", cases[i].file, g.n_records);
                ck_assert_msg(strstr(g.warn, cases[i].file) && strstr(g.warn, cases[i].where) &&
                                      strstr(g.warn, cases[i].count),
                              "%s: %s", cases[i].file, g.warn);
                got_release(&g);
        }
        /* JSON: a duplicate key keeps the last value, with a warning naming it and its line */
        {
                struct got d = {0};
                struct fd_error e = {0};
                ck_assert_msg(harvest_own("duplicate_keys.jsonld", &d, &e) == FD_OK, "%s", e.msg);
                ck_assert_int_eq(d.n_records, 1);
                ck_assert(has_text(&first_record(&d)->titles, "b", NULL) &&
                          !has_text(&first_record(&d)->titles, "a", NULL));
                ck_assert_msg(strstr(d.warn, "line 6: duplicate key 'dct:title', the last one kept"), "%s", d.warn);
                got_release(&d);
        }
        /* what is read around the errors is whole */
        struct got g = {0};
        struct fd_error err = {0};
        ck_assert_int_eq(harvest_own("resync.ttl", &g, &err), FD_OK);
        const struct fd_record *r = find(&g, "http://example.org/ds/6");
        ck_assert(r && has_text(&r->titles, "Sixth", NULL));
        r = find(&g, "http://example.org/ds/3");
        ck_assert(r && has_text(&r->titles, "Third", NULL));
        r = find(&g, "http://example.org/ds/5");
        ck_assert(r && has_text(&r->titles, "Fifth", NULL));
        got_release(&g);
}
END_TEST

/* One IRIREF of the N-Triples grammar at *c ('<' ([^#x00-#x20<>"{}|^`\] |
 * UCHAR)* '>'), *c moved past it. */
static bool nt_iriref(const char **c) {
        if (*(*c)++ != '<')
                return false;
        for (; **c != '>'; (*c)++) {
                unsigned char ch = (unsigned char)**c;
                if (ch == '\\') {
                        size_t hex = (*c)[1] == 'u' ? 4 : (*c)[1] == 'U' ? 8 : 0;
                        if (!hex)
                                return false;
                        for (size_t i = 0; i < hex; i++)
                                if (!isxdigit((unsigned char)(*c)[2 + i]))
                                        return false;
                        *c += 1 + hex;
                } else if (ch <= 0x20 || strchr("<\"{}|^`", ch)) {
                        return false;
                }
        }
        (*c)++;
        return true;
}

/* Whether line is one N-Triples statement whose IRIs are IRIREFs (the
 * literal only skipped over, its escapes whole). */
static bool nt_statement_ok(const char *c) {
        for (int term = 0; term < 3; term++) {
                if (*c == '<') {
                        if (!nt_iriref(&c))
                                return false;
                } else if (c[0] == '_' && c[1] == ':') {
                        c += strcspn(c, " ");
                } else if (term == 2 && *c == '"') {
                        for (c++; *c != '"'; c++)
                                if (!*c || *c == '\n' || *c == '\r' || (*c == '\\' && !*++c))
                                        return false;
                        c++;
                        if (*c == '@')
                                c += strcspn(c, " ");
                        else if (c[0] == '^' && c[1] == '^' && !(c += 2, nt_iriref(&c)))
                                return false;
                } else {
                        return false;
                }
                if (*c++ != ' ')
                        return false;
        }
        return strcmp(c, ".") == 0;
}

/* A data.json's IRIs with what IRIREF forbids (a space, <>, ", {|}^`\, a
 * control character) are kept as N-Triples that escape them as UCHARs
 * (\uXXXX), so that every line is a statement of the grammar
 * (tests/integration/test_formats.py has rdflib read them too). */
START_TEST(test_raw_escapes_iris) {
        struct got g = {0};
        struct fd_error err = {0};
        ck_assert_msg(harvest_own("odd_iris.json", &g, &err) == FD_OK, "%s", err.msg);
        ck_assert_int_eq(g.n_records, 1);
        const struct fd_record *r = first_record(&g);
        ck_assert(r->raw && r->raw_len > 0);
        _fd_free_ char *text = NULL;
        size_t len = 0, lines = 0;
        ck_assert_int_eq(fd_raw_inflate(r->raw, r->raw_len, &text, &len, &err), FD_OK);
        ck_assert_msg(strstr(text, "<https://data.example.gov/id/odd\\u0020iris> "), "%s", text);
        ck_assert_msg(strstr(text, "<https://data.example.gov/files/a\\u0020b\\u003Ec\\u0001d.csv>"), "%s", text);
        ck_assert_msg(strstr(text, "<https://data.example.gov/page?q=\\u007Ba\\u007Cb\\u007D\\u005E\\u0060\\u005Cx>"),
                      "%s", text);
        ck_assert_msg(strstr(text, "<https://data.example.gov/api/\\u0022quoted\\u0022\\u0020\\u003Cx\\u003E>"), "%s",
                      text);
        ck_assert_msg(strstr(text, "\"tab\\there\""), "%s", text);
        for (char *line = text, *end; *line; line = end + 1, lines++) {
                ck_assert((end = strchr(line, '\n')));
                *end = '\0';
                ck_assert_msg(nt_statement_ok(line), "not an N-Triples statement: %s", line);
        }
        ck_assert_int_ge(lines, 14);
        got_release(&g);
}
END_TEST

START_TEST(test_bad_documents) {
        static const struct {
                const char *file, *part;
        } bad[] = {
                {"unreadable.ttl", "nothing of it could be read"},
                {"broken.rdf", "line"},
                {"truncated.jsonld", "line 5"},
        };
        for (size_t i = 0; i < FD_ELEMENTSOF(bad); i++) {
                struct got g = {0};
                struct fd_error err = {0};
                ck_assert_int_eq(harvest_own(bad[i].file, &g, &err), FD_E_PARSE);
                ck_assert_msg(strstr(err.msg, bad[i].part) && strstr(err.msg, bad[i].file), "%s", err.msg);
                ck_assert_msg(strstr(err.msg, "column"), "%s", err.msg);
                got_release(&g);
        }
}
END_TEST

START_TEST(test_sniff) {
        ck_assert_int_eq(fd_rdf_sniff("text/turtle; charset=utf-8", "x.rdf", "", 0), FD_RDF_TURTLE);
        ck_assert_int_eq(fd_rdf_sniff("application/rdf+xml", NULL, "", 0), FD_RDF_RDFXML);
        ck_assert_int_eq(fd_rdf_sniff("application/octet-stream", "http://x/c.ttl?page=2", "", 0), FD_RDF_TURTLE);
        ck_assert_int_eq(fd_rdf_sniff(NULL, "http://x/catalog", "<?xml version='1.0'?><rdf:RDF/>", 30), FD_RDF_RDFXML);
        ck_assert_int_eq(fd_rdf_sniff(NULL, "http://x/catalog", "<rdf:RDF xmlns:rdf='x'>", 23), FD_RDF_RDFXML);
        ck_assert_int_eq(fd_rdf_sniff(NULL, NULL, "<http://a> <http://b> \"c\" .", 27), FD_RDF_TURTLE);
        ck_assert_int_eq(fd_rdf_sniff("application/json", NULL, " {\"a\":1}", 8), FD_RDF_JSON);
        ck_assert_int_eq(fd_rdf_sniff(NULL, NULL, "@prefix x: <y> .", 16), FD_RDF_TURTLE);
}
END_TEST

/* ---- paging, deletions, unchanged datasets -------------------------------------- */

static char *page_doc(unsigned port, int page, const char *const *ids, size_t n, bool legacy, bool literal_next) {
        char *s = NULL, *body = strdup("");
        for (size_t i = 0; i < n; i++) {
                char *t = NULL;
                ck_assert_int_ge(asprintf(&t, "%s<https://ex.org/ds/%s> a dcat:Dataset ; dct:title \"Dataset %s\"@en .\n",
                                          body, ids[i], ids[i]), 0);
                free(body);
                body = t;
        }
        char next[256] = "";
        if (page < 3)
                snprintf(next, sizeof next, literal_next ? "\"http://127.0.0.1:%u/cat?page=%d\"" : "<?page=%d>",
                         literal_next ? port : (unsigned)(page + 1), page + 1);
        ck_assert_int_ge(asprintf(&s,
                                  "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n"
                                  "@prefix dct: <http://purl.org/dc/terms/> .\n"
                                  "@prefix hydra: <http://www.w3.org/ns/hydra/core#> .\n"
                                  "<http://127.0.0.1:%u/cat> a dcat:Catalog .\n%s"
                                  "<http://127.0.0.1:%u/cat?page=%d> a hydra:%s %s%s%s .\n",
                                  port, body, port, page, legacy ? "PagedCollection" : "PartialCollectionView",
                                  next[0] ? (legacy ? "; hydra:nextPage " : "; hydra:next ") : "", next, ""),
                         0);
        free(body);
        return s;
}

START_TEST(test_paging_and_deletions) {
        budget = _i ? 1 : 0;  /* loop 1: the documents spill to disk */
        struct fd_test_route routes[] = {
                {.target = "/cat", .content_type = "text/turtle"},
                {.target = "/cat?page=2", .content_type = "text/turtle"},
                {.target = "/cat?page=3", .content_type = "text/turtle"},
        };
        struct fd_test_http srv = {.routes = routes, .n_routes = FD_ELEMENTSOF(routes)};
        char dir[] = "/tmp/fd-dcat-XXXXXX";
        ck_assert_ptr_nonnull(mkdtemp(dir));
        char state[256], url[256];
        snprintf(state, sizeof state, "%s/state", dir);
        fd_test_http_start(&srv);
        snprintf(url, sizeof url, "http://127.0.0.1:%d/cat", srv.port);

        static const char *const p1[] = {"a", "b"}, *const p2[] = {"c", "b", "d"}, *const p3[] = {"e"};
        char *d1 = page_doc(srv.port, 1, p1, 2, false, false), *d2 = page_doc(srv.port, 2, p2, 3, true, true),
             *d3 = page_doc(srv.port, 3, p3, 1, false, false);
        pthread_mutex_lock(&srv.lock);
        routes[0].body = d1;
        routes[1].body = d2;
        routes[2].body = d3;
        pthread_mutex_unlock(&srv.lock);

        struct got g = {0};
        struct fd_error err = {0};
        ck_assert_msg(harvest(url, state, NULL, &g, &err) == FD_OK, "%s", err.msg);
        /* the request asks for what we read best */
        pthread_mutex_lock(&srv.lock);
        ck_assert_str_eq(srv.accept, "text/turtle;q=1.0, application/n-triples;q=0.9, application/rdf+xml;q=0.8, "
                                     "application/ld+json;q=0.7, application/json;q=0.5, */*;q=0.1");
        pthread_mutex_unlock(&srv.lock);
        /* five datasets, "b" on two pages indexed once */
        ck_assert_int_eq(g.n_records, 5);
        ck_assert_int_eq(g.n_deleted, 0);
        ck_assert(g.pages[g.n_pages - 1]->last);
        ck_assert_ptr_nonnull(g.cp.last_complete);
        /* the state file: the run's start, then one "hash<TAB>id" line a dataset */
        size_t sf_len;
        char *sf = fd_test_slurp(state, &sf_len);
        ck_assert_ptr_nonnull(sf);
        ck_assert(strncmp(sf, "run\t", 4) == 0);
        size_t lines = 0;
        for (const char *c = sf; *c; c++)
                lines += *c == '\n';
        ck_assert_uint_eq(lines, 6);
        const char *b_line = strstr(sf, "\thttps://ex.org/ds/b\n");
        ck_assert_ptr_nonnull(b_line);
        ck_assert_ptr_null(strstr(b_line + 1, "\thttps://ex.org/ds/b\n"));
        free(sf);

        /* second run, nothing changed: every dataset skipped as unchanged */
        struct fd_checkpoint cp = {0};
        fd_checkpoint_copy(&cp, &g.cp);
        got_release(&g);
        ck_assert_msg(harvest(url, state, &cp, &g, &err) == FD_OK, "%s", err.msg);
        ck_assert_int_eq(g.n_records, 0);
        ck_assert_int_eq(g.n_skipped, 5);

        /* "d" leaves page 2 and "c" changes: d is deleted, c rewritten */
        static const char *const p2b[] = {"c2", "b"};
        char *d2b = page_doc(srv.port, 2, p2b, 2, true, true);
        char *fix = strstr(d2b, "ds/c2");
        memmove(fix + 4, fix + 5, strlen(fix + 5) + 1);  /* id "c", title "Dataset c2" */
        pthread_mutex_lock(&srv.lock);
        routes[1].body = d2b;
        pthread_mutex_unlock(&srv.lock);
        fd_checkpoint_release(&cp);
        fd_checkpoint_copy(&cp, &g.cp);
        got_release(&g);
        ck_assert_msg(harvest(url, state, &cp, &g, &err) == FD_OK, "%s", err.msg);
        ck_assert_int_eq(g.n_records, 1);
        ck_assert_int_eq(g.n_deleted, 1);
        ck_assert_int_eq(g.n_skipped, 3);
        const struct fd_page *lastp = g.pages[g.n_pages - 1];
        bool d_deleted = false;
        for (size_t i = 0; i < lastp->records.n; i++)
                d_deleted |= lastp->records.v[i]->deleted &&
                             strcmp(lastp->records.v[i]->id, "t:https://ex.org/ds/d") == 0;
        ck_assert(d_deleted);

        /* a page 3 with a syntax error: the run goes on, but deletes nothing */
        pthread_mutex_lock(&srv.lock);
        routes[2].body = "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n<x> a dcat:Dataset ;";
        pthread_mutex_unlock(&srv.lock);
        fd_checkpoint_release(&cp);
        fd_checkpoint_copy(&cp, &g.cp);
        got_release(&g);
        ck_assert_msg(harvest(url, state, &cp, &g, &err) == FD_OK, "%s", err.msg);
        ck_assert_ptr_nonnull(strstr(g.warn, "1 statement skipped for syntax errors: line 2"));
        ck_assert_int_eq(g.n_deleted, 0);

        /* a failing page 3: nothing deleted, the run fails */
        pthread_mutex_lock(&srv.lock);
        routes[2].body = "@prefix dcat: <http://www.w3.org/ns/dcat#> .\nnot turtle";
        pthread_mutex_unlock(&srv.lock);
        fd_checkpoint_release(&cp);
        fd_checkpoint_copy(&cp, &g.cp);
        got_release(&g);
        size_t before_len, after_len;
        char *before = fd_test_slurp(state, &before_len);
        ck_assert_int_eq(harvest(url, state, &cp, &g, &err), FD_E_PARSE);
        ck_assert_int_eq(g.n_deleted, 0);
        /* the state file of the failed run was dropped: the last one stays */
        char *after = fd_test_slurp(state, &after_len);
        ck_assert_ptr_nonnull(before);
        ck_assert_ptr_nonnull(after);
        ck_assert_str_eq(after, before);
        free(before);
        free(after);

        /* a loop in the paging is stopped */
        char *loop = page_doc(srv.port, 1, p1, 2, false, false);
        pthread_mutex_lock(&srv.lock);
        routes[0].body = loop;
        routes[1].body = d1;  /* page 2 points to page 2 again via ?page=2 -> itself */
        pthread_mutex_unlock(&srv.lock);
        got_release(&g);
        ck_assert_int_eq(harvest(url, NULL, NULL, &g, &err), FD_E_PROTOCOL);
        ck_assert_ptr_nonnull(strstr(err.msg, "loops"));

        got_release(&g);
        fd_checkpoint_release(&cp);
        fd_test_http_stop(&srv);
        free(d1);
        free(d2);
        free(d3);
        free(d2b);
        free(loop);
        unlink(state);
        rmdir(dir);
}
END_TEST

START_TEST(test_ckan) {
        struct fd_test_route routes[4] = {0};
        struct fd_test_http srv = {.routes = routes};
        char dir[] = "/tmp/fd-ckan-XXXXXX";
        ck_assert_ptr_nonnull(mkdtemp(dir));
        fd_test_http_start(&srv);
        char url[256], p0[256], p1[256];
        snprintf(url, sizeof url, "http://127.0.0.1:%d", srv.port);
        snprintf(p0, sizeof p0, "/api/3/action/package_search?rows=100&start=0&sort=metadata_modified%%20asc");
        snprintf(p1, sizeof p1, "/api/3/action/package_search?rows=100&start=100&sort=metadata_modified%%20asc");
        pthread_mutex_lock(&srv.lock);
        srv.n_routes = 2;
        routes[0].target = p0, routes[0].content_type = "application/json",
        routes[0].body = "{\"success\": true, \"result\": {\"count\": 2, \"results\": ["
                        "{\"id\": \"u1\", \"name\": \"rain\", \"title\": \"Rainfall\", \"notes\": \"Daily rain\","
                        " \"license_id\": \"CC-BY-4.0\", \"metadata_modified\": \"2024-01-02T10:00:00.123456\","
                        " \"tags\": [{\"name\": \"weather\"}], \"organization\": {\"title\": \"Met Office\"},"
                        " \"resources\": [{\"url\": \"http://x/rain.csv\", \"format\": \"CSV\", \"mimetype\": \"text/csv\"}]},"
                        "{\"id\": \"u2\", \"name\": \"wind\", \"title\": \"Wind\"}]}}";
        routes[1].target = p1, routes[1].content_type = "application/json",
        routes[1].body = "{\"success\": true, \"result\": {\"count\": 2, \"results\": []}}";
        pthread_mutex_unlock(&srv.lock);

        struct got g = {0};
        struct fd_error err = {0};
        struct fd_harvest_opts o = {.source = "c", .url = url, .user_agent = "t", .max_retries = 1};
        struct fd_dcat_opts d = {.ckan = true};
        struct fd_harvest_sink s = {.page = got_page, .warn = got_warn, .userdata = &g};
        ck_assert_msg(fd_dcat_harvest(&o, &d, &s, &err) == FD_OK, "%s", err.msg);
        ck_assert_int_eq(g.n_records, 2);
        char id[512];
        snprintf(id, sizeof id, "%s/dataset/rain", url);
        const struct fd_record *r = find(&g, id);
        ck_assert_ptr_nonnull(r);
        ck_assert(has_text(&r->titles, "Rainfall", NULL));
        ck_assert(has_license(r, "CC-BY-4.0"));
        ck_assert(has_str(&r->formats, "text/csv"));
        ck_assert_str_eq(r->publisher, "Met Office");
        pthread_mutex_lock(&srv.lock);
        ck_assert_str_eq(srv.accept, "application/json");
        pthread_mutex_unlock(&srv.lock);

        /* the second run asks only for what changed since the first one started */
        struct fd_checkpoint cp = {0};
        ck_assert_ptr_nonnull(g.cp.last_complete);
        fd_checkpoint_copy(&cp, &g.cp);
        got_release(&g);
        char q0[512], q1[512], enc[128] = "";
        for (const char *p = cp.last_complete, *hex = "0123456789ABCDEF"; *p; p++) {
                size_t n = strlen(enc);
                if (isalnum((unsigned char)*p) || strchr("-._~", *p))
                        snprintf(enc + n, sizeof enc - n, "%c", *p);
                else
                        snprintf(enc + n, sizeof enc - n, "%%%c%c", hex[(unsigned char)*p >> 4], hex[*p & 15]);
        }
        snprintf(q0, sizeof q0, "%s&fq=metadata_modified%%3A%%5B%s%%20TO%%20%%2A%%5D", p0, enc);
        snprintf(q1, sizeof q1, "%s&fq=metadata_modified%%3A%%5B%s%%20TO%%20%%2A%%5D", p1, enc);
        pthread_mutex_lock(&srv.lock);
        srv.n_routes = 4;
        routes[2].target = q0, routes[2].content_type = "application/json",
        routes[2].body = "{\"success\": true, \"result\": {\"count\": 1, \"results\": ["
                        "{\"id\": \"u2\", \"name\": \"wind\", \"title\": \"Wind, revised\","
                        " \"metadata_modified\": \"2030-01-01T00:00:00\"}]}}";
        routes[3].target = q1, routes[3].content_type = "application/json", routes[3].body = routes[1].body;
        srv.n_targets = 0;
        pthread_mutex_unlock(&srv.lock);
        o.resume = &cp;
        ck_assert_msg(fd_dcat_harvest(&o, &d, &s, &err) == FD_OK, "%s", err.msg);
        pthread_mutex_lock(&srv.lock);
        ck_assert_uint_ge(srv.n_targets, 1);
        ck_assert_str_eq(srv.targets[0], q0);
        pthread_mutex_unlock(&srv.lock);
        /* only the changed dataset, and an incremental listing deletes nothing */
        ck_assert_int_eq(g.n_records, 1);
        ck_assert_int_eq(g.n_deleted, 0);
        snprintf(id, sizeof id, "%s/dataset/wind", url);
        ck_assert_ptr_nonnull((r = find(&g, id)));
        ck_assert(has_text(&r->titles, "Wind, revised", NULL));
        ck_assert_ptr_nonnull(g.cp.last_complete);
        fd_checkpoint_release(&cp);
        got_release(&g);
        fd_test_http_stop(&srv);
        rmdir(dir);
}
END_TEST

/* ---- the fetch policy: the DCAT driver asks like the OAI-PMH one ------------------- */

/* A three-page Hydra catalogue whose first page answers 429 once (its
 * Retry-After long past) and whose second page answers 503 fail2 times. */
struct paged {
        struct fd_test_route routes[3];
        struct fd_test_http srv;
        char *docs[3];
        char url[256];
};

static void paged_start(struct paged *p, int fail2) {
        static const char *const p1[] = {"a", "b"}, *const p2[] = {"c"}, *const p3[] = {"d"};

        memset(p, 0, sizeof *p);
        p->routes[0] = (struct fd_test_route){.target = "/cat", .content_type = "text/turtle", .fail_times = 1,
                                              .fail_status = 429,
                                              .fail_headers = "Retry-After: Wed, 21 Oct 2015 07:28:00 GMT\r\n"};
        p->routes[1] = (struct fd_test_route){.target = "/cat?page=2", .content_type = "text/turtle",
                                              .fail_times = fail2, .fail_status = 503,
                                              .fail_headers = "Retry-After: 0\r\n"};
        p->routes[2] = (struct fd_test_route){.target = "/cat?page=3", .content_type = "text/turtle"};
        p->srv = (struct fd_test_http){.routes = p->routes, .n_routes = 3};
        fd_test_http_start(&p->srv);
        unsigned port = (unsigned)p->srv.port;
        p->docs[0] = page_doc(port, 1, p1, 2, false, false);
        p->docs[1] = page_doc(port, 2, p2, 1, false, false);
        p->docs[2] = page_doc(port, 3, p3, 1, false, false);
        pthread_mutex_lock(&p->srv.lock);
        for (int i = 0; i < 3; i++)
                p->routes[i].body = p->docs[i];
        pthread_mutex_unlock(&p->srv.lock);
        snprintf(p->url, sizeof p->url, "http://127.0.0.1:%u/cat", port);
}

/* Harvests p's catalogue with o (source, URL and user agent filled in). */
static enum fd_status paged_harvest(struct paged *p, struct fd_harvest_opts *o, struct got *g, struct fd_error *err) {
        struct fd_harvest_sink s = {.page = got_page, .warn = got_warn, .userdata = g};

        o->source = "t";
        o->url = p->url;
        o->user_agent = "t";
        return fd_dcat_harvest(o, NULL, &s, err);
}

static void paged_stop(struct paged *p) {
        fd_test_http_stop(&p->srv);
        for (int i = 0; i < 3; i++)
                free(p->docs[i]);
}

START_TEST(test_fetch_delay) {
        struct paged p;
        struct got g = {0};
        struct fd_error err = {0};

        paged_start(&p, 1);
        struct fd_harvest_opts o = {.min_delay_ms = 300};
        ck_assert_msg(paged_harvest(&p, &o, &g, &err) == FD_OK, "%s", err.msg);
        ck_assert_int_eq(g.n_records, 4);
        /* the retries are told as the OAI-PMH driver tells them */
        ck_assert_msg(strstr(g.warn, "document '") && strstr(g.warn, "': HTTP 429, retrying in 0 s (attempt 2/4)"),
                      "%s", g.warn);
        ck_assert_msg(strstr(g.warn, "HTTP 503, retrying in 0 s (attempt 2/4)"), "%s", g.warn);
        /* every request, retries included, at least the delay after the one before */
        pthread_mutex_lock(&p.srv.lock);
        ck_assert_uint_eq(p.srv.n_targets, 5);
        for (size_t i = 1; i < p.srv.n_targets; i++)
                ck_assert_msg(p.srv.at_ms[i] - p.srv.at_ms[i - 1] >= 290, "requests %zu and %zu %lld ms apart", i - 1,
                              i, (long long)(p.srv.at_ms[i] - p.srv.at_ms[i - 1]));
        pthread_mutex_unlock(&p.srv.lock);
        got_release(&g);
        paged_stop(&p);
}
END_TEST

START_TEST(test_fetch_run_budget) {
        struct paged p;
        struct got g = {0};
        struct fd_error err = {0};

        /* one retry on page 1 and one on page 2 spend a budget of two:
         * page 2's next failure ends the run, whatever max_retries allows */
        paged_start(&p, 100);
        struct fd_harvest_opts o = {.max_retries = 10, .max_run_retries = 2};
        ck_assert_int_eq(paged_harvest(&p, &o, &g, &err), FD_E_HTTP);
        ck_assert_msg(strstr(err.msg, "giving up after 2 retries in this run"), "%s", err.msg);
        ck_assert_msg(strstr(err.msg, "cat?page=2"), "%s", err.msg);
        pthread_mutex_lock(&p.srv.lock);
        ck_assert_int_eq(p.routes[0].hits, 2);
        ck_assert_int_eq(p.routes[1].hits, 2);
        ck_assert_int_eq(p.routes[2].hits, 0);
        pthread_mutex_unlock(&p.srv.lock);
        /* what was read before stays: page 1's datasets were handed over */
        ck_assert_int_eq(g.n_records, 2);
        ck_assert_int_eq(g.n_deleted, 0);
        got_release(&g);
        paged_stop(&p);
}
END_TEST

START_TEST(test_fetch_cancel) {
        struct paged p;
        struct got g = {0};
        struct fd_error err = {0};
        atomic_bool cancel = true;

        paged_start(&p, 0);
        struct fd_harvest_opts o = {.cancel = &cancel};
        ck_assert_int_eq(paged_harvest(&p, &o, &g, &err), FD_E_CANCELLED);
        pthread_mutex_lock(&p.srv.lock);
        ck_assert_uint_eq(p.srv.n_targets, 0);
        pthread_mutex_unlock(&p.srv.lock);
        got_release(&g);
        paged_stop(&p);
}
END_TEST

static int strcmp_ptr(const char *const *a, const char *const *b) { return strcmp(*a, *b); }

/* ---- streamed documents ------------------------------------------------------------- */

/* The records of g as sorted JSON lines. */
static char *records_text(struct got *g) {
        char **lines = NULL;
        size_t n = 0;
        for (size_t i = 0; i < g->n_pages; i++)
                for (size_t k = 0; k < g->pages[i]->records.n; k++) {
                        json_t *j = fd_record_to_json(g->pages[i]->records.v[k]);
                        lines = realloc(lines, (n + 1) * sizeof *lines);
                        lines[n++] = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
                        json_decref(j);
                }
        qsort(lines, n, sizeof *lines, (int (*)(const void *, const void *))strcmp_ptr);
        size_t len = 1;
        for (size_t i = 0; i < n; i++)
                len += strlen(lines[i]) + 1;
        char *out = calloc(1, len), *p = out;
        for (size_t i = 0; i < n; i++) {
                p += snprintf(p, len - (size_t)(p - out), "%s\n", lines[i]);
                free(lines[i]);
        }
        free(lines);
        return out;
}

/* Every fixture of ours gives the same records whether its graph stays in
 * memory or is sorted on disk in runs of a few triples. */
START_TEST(test_streamed_same) {
        static const char *const files[] = {"dcatap_full.ttl", "namespace_variants.ttl", "blank_datasets.rdf",
                                            "catalogue.jsonld", "schema_org_dataset.jsonld",
                                            "dcatap3_context.jsonld"};
        for (size_t i = 0; i < FD_ELEMENTSOF(files); i++) {
                struct got a = {0}, b = {0};
                struct fd_error err = {0};
                budget = 0;
                ck_assert_msg(harvest_own(files[i], &a, &err) == FD_OK, "%s", err.msg);
                budget = 1;
                ck_assert_msg(harvest_own(files[i], &b, &err) == FD_OK, "%s", err.msg);
                budget = 0;
                ck_assert_int_gt(a.n_records, 0);
                ck_assert_int_eq(a.n_records, b.n_records);
                char *ta = records_text(&a), *tb = records_text(&b);
                ck_assert_msg(strcmp(ta, tb) == 0, "%s:\n%s\n---\n%s", files[i], ta, tb);
                free(ta);
                free(tb);
                got_release(&a);
                got_release(&b);
        }
}
END_TEST

/* A sink that keeps nothing: counts, and looks at one record. */
struct count {
        size_t records, pages, distributions_seen;
        bool sample_ok;
        const char *sample;
};

static bool count_page(void *ud, struct fd_page *p) {
        struct count *c = ud;
        c->pages++;
        for (size_t i = 0; i < p->records.n; i++) {
                const struct fd_record *r = p->records.v[i];
                if (r->deleted)
                        continue;
                c->records++;
                if (c->sample && strcmp(r->local_id, c->sample) == 0)
                        c->sample_ok = has_text(&r->titles, "Dataset 777", "en") &&
                                       has_text(&r->titles, "Datensatz 777", "de") &&
                                       strcmp(r->publisher, "Agency 77") == 0 && has_license(r, "CC-BY-4.0") &&
                                       has_str(&r->formats, "text/csv") &&
                                       has_str(&r->download_urls, "https://example.org/files/777-1.csv");
                if (c->sample && strcmp(r->local_id, c->sample) == 0 && getenv("FD_TEST_DUMP")) {
                        json_t *j = fd_record_to_json(r);
                        char *t = json_dumps(j, JSON_INDENT(1));
                        fprintf(stderr, "%s\n", t);
                        free(t);
                        json_decref(j);
                }
                c->distributions_seen += r->download_urls.n;
        }
        fd_page_free(p);
        return true;
}

static long peak_rss_kib(void) {
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        return ru.ru_maxrss;
}

/* ASan's shadow memory and quarantine make RSS meaningless, and it is
 * slower: a smaller catalogue, no bound. */
#if defined(__SANITIZE_ADDRESS__)
#define BIG_DATASETS 10000
#define BIG_RSS_KIB 0L
#else
#define BIG_DATASETS 50000
#define BIG_RSS_KIB (96L << 10)
#endif

/* 50,000 DCAT-AP datasets in one Turtle document (42 MB, 1.1 million
 * triples: held whole as a graph, as before streaming, the harvest peaked
 * at 262 MiB; streamed with the default 32 MiB budget, at 31 MiB) whose
 * distributions and publishers are described at the end, far from their
 * datasets, harvested within a fixed peak RSS; the document pages on to a
 * second one through Hydra. */
/* A cancel set while one document is being cut into pages stops the run
 * within a dataset, not at the document's end (a 1 GB catalogue is one
 * document of millions); for data.json, within an item of the stream. */
struct cancel_sink {
        atomic_bool cancel;
        size_t pages;
};

static bool cancel_page(void *ud, struct fd_page *p) {
        struct cancel_sink *c = ud;
        c->pages++;
        atomic_store(&c->cancel, true);  /* as SIGTERM would, after the first page */
        fd_page_free(p);
        return true;
}

START_TEST(test_cancel_within_document) {
        char dir[] = "/tmp/fd-cancel-XXXXXX", path[2][64], url[200];
        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(path[0], sizeof path[0], "%s/cat.ttl", dir);
        snprintf(path[1], sizeof path[1], "%s/data.json", dir);
        FILE *f = fopen(path[0], "w"), *j = fopen(path[1], "w");
        ck_assert(f && j);
        fprintf(f, "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n");
        fprintf(j, "{\"dataset\": [");
        for (int i = 0; i < 2000; i++) {
                fprintf(f, "<https://example.org/ds%d> a dcat:Dataset ; dct:title \"Dataset %d\" .\n", i, i);
                fprintf(j, "%s{\"identifier\": \"https://example.org/ds%d\", \"title\": \"Dataset %d\"}", i ? "," : "", i,
                        i);
        }
        fprintf(j, "]}\n");
        ck_assert_int_eq(fclose(f), 0);
        ck_assert_int_eq(fclose(j), 0);
        for (int k = 0; k < 2; k++) {
                struct cancel_sink c = {0};
                snprintf(url, sizeof url, "file://%s", path[k]);
                struct fd_harvest_opts o = {.source = "t", .url = url, .user_agent = "fairdex-test",
                                            .static_page_records = 10, .cancel = &c.cancel};
                struct fd_harvest_sink s = {.page = cancel_page, .userdata = &c};
                struct fd_error err = {0};
                ck_assert_int_eq(fd_dcat_harvest(&o, NULL, &s, &err), FD_E_CANCELLED);
                ck_assert_msg(c.pages == 1, "%s: %zu pages after the cancel", path[k], c.pages);
                remove(path[k]);
        }
        rmdir(dir);
}
END_TEST

START_TEST(test_big_catalogue) {
        char dir[] = "/tmp/fd-big-XXXXXX", path[256], path2[256], url[300];
        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(path, sizeof path, "%s/big.ttl", dir);
        snprintf(path2, sizeof path2, "%s/next.ttl", dir);
        FILE *f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fprintf(f, "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n"
                   "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .\n"
                   "@prefix hydra: <http://www.w3.org/ns/hydra/core#> .\n@prefix ex: <https://example.org/> .\n"
                   "<> a hydra:PartialCollectionView ; hydra:next <next.ttl> .\n"
                   "ex:catalog a dcat:Catalog ; dct:title \"Big\"@en .\n");
        for (int i = 0; i < BIG_DATASETS; i++)
                fprintf(f,
                        "ex:catalog dcat:dataset ex:ds%d .\n"
                        "ex:ds%d a dcat:Dataset ; dct:title \"Dataset %d\"@en, \"Datensatz %d\"@de ;\n"
                        "  dct:description \"Measurements number %d of a long series of observations\"@en ;\n"
                        "  dct:publisher ex:agency%d ; dcat:keyword \"k%d\", \"series\" ;\n"
                        "  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ENVI> ;\n"
                        "  dct:issued \"2024-01-%02d\" ; dct:license <https://creativecommons.org/licenses/by/4.0/> ;\n"
                        "  dcat:contactPoint [ a vcard:Kind ; vcard:fn \"Desk %d\" ;"
                        " vcard:hasEmail <mailto:d%d@example.org> ] ;\n"
                        "  dcat:distribution ex:dist%d-1, ex:dist%d-2 .\n",
                        i, i, i, i, i, i % 100, i, i % 28 + 1, i, i, i, i);
        for (int i = 0; i < BIG_DATASETS; i++)
                fprintf(f,
                        "ex:dist%d-1 a dcat:Distribution ; dcat:downloadURL <https://example.org/files/%d-1.csv> ;"
                        " dcat:mediaType <https://www.iana.org/assignments/media-types/text/csv> .\n"
                        "ex:dist%d-2 a dcat:Distribution ; dcat:accessURL <https://example.org/api/%d> .\n",
                        i, i, i, i);
        for (int i = 0; i < 100; i++)
                fprintf(f, "ex:agency%d a foaf:Agent ; foaf:name \"Agency %d\" .\n", i, i);
        ck_assert_int_eq(fclose(f), 0);
        f = fopen(path2, "w");
        ck_assert_ptr_nonnull(f);
        fprintf(f, "<https://example.org/last> a <http://www.w3.org/ns/dcat#Dataset> ;"
                   " <http://purl.org/dc/terms/title> \"Last\" .\n");
        ck_assert_int_eq(fclose(f), 0);

        snprintf(url, sizeof url, "file://%s", path);
        struct count c = {.sample = "https://example.org/ds777"};
        struct fd_error err = {0};
        struct fd_harvest_opts o = {.source = "big", .url = url, .user_agent = "t", .max_retries = 1};
        struct fd_dcat_opts d = {0};
        struct fd_harvest_sink s = {.page = count_page, .userdata = &c};
        long before = peak_rss_kib();
        int64_t t0 = fd_time_mono_ms();
        ck_assert_msg(fd_dcat_harvest(&o, &d, &s, &err) == FD_OK, "%s", err.msg);
        long peak = peak_rss_kib();
        printf("big catalogue: %d datasets in %lld ms, peak RSS %ld KiB (before %ld KiB)\n", BIG_DATASETS,
               (long long)(fd_time_mono_ms() - t0), peak, before);
        ck_assert_int_eq(c.records, BIG_DATASETS + 1);
        ck_assert(c.sample_ok);
        ck_assert_int_eq(c.distributions_seen, BIG_DATASETS);
        if (BIG_RSS_KIB)
                ck_assert_msg(peak < BIG_RSS_KIB, "peak RSS %ld KiB", peak);
        else
                printf("big catalogue: RSS not checked under AddressSanitizer\n");
        unlink(path);
        unlink(path2);
        rmdir(dir);
}
END_TEST

/* One dataset with 10,000 distributions, on disk in small runs: every
 * distribution reaches the record. */
START_TEST(test_many_distributions) {
        char path[] = "/tmp/fd-dist-XXXXXX", url[300];
        int fd = mkstemp(path);
        ck_assert_int_ge(fd, 0);
        FILE *f = fdopen(fd, "w");
        fprintf(f, "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n"
                   "<https://example.org/one> a dcat:Dataset ; dct:title \"One\"@en .\n");
        for (int i = 0; i < 10000; i++)
                fprintf(f, "<https://example.org/one> dcat:distribution [ dcat:downloadURL <https://example.org/f/%d> ;"
                           " dcat:mediaType \"text/csv\" ] .\n", i);
        ck_assert_int_eq(fclose(f), 0);
        snprintf(url, sizeof url, "file://%s", path);
        struct count c = {0};
        struct fd_error err = {0};
        struct fd_harvest_opts o = {.source = "d", .url = url, .user_agent = "t", .max_retries = 1};
        struct fd_dcat_opts d = {.memory_budget = (size_t)256 << 10};
        struct fd_harvest_sink s = {.page = count_page, .userdata = &c};
        ck_assert_msg(fd_dcat_harvest(&o, &d, &s, &err) == FD_OK, "%s", err.msg);
        ck_assert_int_eq(c.records, 1);
        ck_assert_int_eq(c.distributions_seen, 10000);
        unlink(path);
}
END_TEST

static Suite *dcat_suite(void) {
        Suite *s = suite_create("dcat");
        TCase *tc = tcase_create("dcat");
        struct shared_case sh = shared_case_new(s, "dcat", "shared", "../shared/fixtures/dcat");
        tcase_set_timeout(tc, 60);
        if (sh.tc)
                tcase_set_timeout(sh.tc, 60);
        shared_case_add_loop_test(&sh, test_shared_file, 0, (int)FD_ELEMENTSOF(shared));
        shared_case_add_loop_test(&sh, test_shared_http, 0, (int)FD_ELEMENTSOF(shared));
        shared_case_finish(&sh);
        tcase_add_test(tc, test_turtle_mapping);
        tcase_add_test(tc, test_variants);
        tcase_add_test(tc, test_blank_datasets);
        tcase_add_test(tc, test_jsonld_catalogue);
        tcase_add_test(tc, test_schema_org);
        tcase_add_test(tc, test_dcatap_context);
        tcase_add_test(tc, test_unknown_context);
        tcase_add_test(tc, test_bad_documents);
        tcase_add_test(tc, test_sniff);
        tcase_add_loop_test(tc, test_paging_and_deletions, 0, 2);
        tcase_add_test(tc, test_ckan);
        tcase_add_test(tc, test_syntax_errors_skipped);
        tcase_add_test(tc, test_raw_escapes_iris);
        tcase_add_test(tc, test_dcatap3_whole);
        tcase_add_test(tc, test_schema_org_people);
        tcase_add_test(tc, test_geometry_literals);
        tcase_add_test(tc, test_fetch_delay);
        tcase_add_test(tc, test_fetch_run_budget);
        tcase_add_test(tc, test_fetch_cancel);
        tcase_add_test(tc, test_streamed_same);
        tcase_add_test(tc, test_big_catalogue);
        tcase_add_test(tc, test_cancel_within_document);
        tcase_add_test(tc, test_many_distributions);
        suite_add_tcase(s, tc);
        return s;
}

FD_TEST_MAIN(dcat_suite)
