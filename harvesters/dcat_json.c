/* dcat_json.c: plain JSON catalogues read as DCAT.
 *
 * DCAT-US / Project Open Data data.json (its keys are DCAT terms without a
 * usable @context) and CKAN's action API answers (package_search,
 * package_show) are turned into the triples a DCAT-AP catalogue would have
 * said, so that one mapper (dcat_map.c), one hash and one id rule serve
 * every form.  Keys we do not know are ignored.
 */
#include <strings.h>

#include "harvesters-private.h"

struct jctx {
        struct fd_rdf_graph *g;
        struct fd_error *err;
        enum fd_status st;
        unsigned long blank;
};

static struct fd_rdf_term iri_term(const char *v) { return (struct fd_rdf_term){.kind = FD_RDF_IRI, .value = v}; }

static struct fd_rdf_term new_blank(struct jctx *c, char *buf, size_t n) {
        snprintf(buf, n, "j%lu", ++c->blank);
        return (struct fd_rdf_term){.kind = FD_RDF_BLANK, .value = buf};
}

static void add(struct jctx *c, const struct fd_rdf_term *s, const char *p, const struct fd_rdf_term *o) {
        struct fd_rdf_term pt = iri_term(p);
        if (!c->st)
                c->st = fd_rdf_graph_add(c->g, s, &pt, o, NULL, c->err);
}

static void add_lit(struct jctx *c, const struct fd_rdf_term *s, const char *p, json_t *v) {
        char num[64];
        const char *text = NULL;

        if (json_is_string(v))
                text = json_string_value(v);
        else if (json_is_integer(v)) {
                snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
                text = num;
        } else if (json_is_array(v)) {
                size_t i;
                json_t *x;
                json_array_foreach(v, i, x) add_lit(c, s, p, x);
                return;
        }
        if (!text || !text[0])
                return;
        struct fd_rdf_term o = {.kind = FD_RDF_LITERAL, .value = text};
        add(c, s, p, &o);
}

/* An IRI-valued property: strings that look like IRIs become IRIs. */
static void add_ref(struct jctx *c, const struct fd_rdf_term *s, const char *p, json_t *v) {
        if (json_is_array(v)) {
                size_t i;
                json_t *x;
                json_array_foreach(v, i, x) add_ref(c, s, p, x);
                return;
        }
        if (!json_is_string(v))
                return;
        const char *text = json_string_value(v);
        if (fd_is_http(text)) {
                struct fd_rdf_term o = iri_term(text);
                add(c, s, p, &o);
        } else
                add_lit(c, s, p, v);
}

/* A node {"name": …} (publisher, organization) or a plain name. */
static void add_named(struct jctx *c, const struct fd_rdf_term *s, const char *p, json_t *v, const char *key,
                      const char *mail_key) {
        char b[32];
        if (json_is_string(v)) {
                add_lit(c, s, p, v);
                return;
        }
        if (!json_is_object(v))
                return;
        struct fd_rdf_term n = new_blank(c, b, sizeof b);
        add(c, s, p, &n);
        add_lit(c, &n, FD_NS_FOAF "name", json_object_get(v, key));
        if (mail_key)
                add_ref(c, &n, FD_NS_VCARD "hasEmail", json_object_get(v, mail_key));
}

/* ---- DCAT-US 1.1 ------------------------------------------------------------- */

static const char *access_level_iri(const char *level) {
        if (!level)
                return NULL;
        if (strcasecmp(level, "public") == 0)
                return "http://publications.europa.eu/resource/authority/access-right/PUBLIC";
        if (strcasecmp(level, "restricted public") == 0)
                return "http://publications.europa.eu/resource/authority/access-right/RESTRICTED";
        if (strcasecmp(level, "non-public") == 0)
                return "http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC";
        return NULL;
}

static void pod_dataset(struct jctx *c, json_t *d, const char *base) {
        char b[32], db[32];
        struct fd_rdf_term s, type = iri_term(FD_NS_DCAT "Dataset");
        const char *ident = json_string_value(json_object_get(d, "identifier"));
        const char *iri = json_string_value(json_object_get(d, "@id"));

        if (!iri && ident && (strncmp(ident, "http://", 7) == 0 || strncmp(ident, "https://", 8) == 0))
                iri = ident;
        s = iri ? iri_term(iri) : new_blank(c, b, sizeof b);
        add(c, &s, FD_NS_RDF "type", &type);
        add_lit(c, &s, FD_NS_DCT "title", json_object_get(d, "title"));
        add_lit(c, &s, FD_NS_DCT "description", json_object_get(d, "description"));
        add_lit(c, &s, FD_NS_DCAT "keyword", json_object_get(d, "keyword"));
        add_lit(c, &s, FD_NS_DCT "modified", json_object_get(d, "modified"));
        add_lit(c, &s, FD_NS_DCT "issued", json_object_get(d, "issued"));
        add_lit(c, &s, FD_NS_DCT "identifier", json_object_get(d, "identifier"));
        add_named(c, &s, FD_NS_DCT "publisher", json_object_get(d, "publisher"), "name", NULL);
        add_named(c, &s, FD_NS_DCAT "contactPoint", json_object_get(d, "contactPoint"), "fn", "hasEmail");
        add_ref(c, &s, FD_NS_DCT "license", json_object_get(d, "license"));
        add_lit(c, &s, FD_NS_DCT "rights", json_object_get(d, "rights"));
        const char *al = access_level_iri(json_string_value(json_object_get(d, "accessLevel")));
        if (al) {
                struct fd_rdf_term o = iri_term(al);
                add(c, &s, FD_NS_DCT "accessRights", &o);
        }
        add_lit(c, &s, FD_NS_DCT "spatial", json_object_get(d, "spatial"));
        add_lit(c, &s, FD_NS_DCT "temporal", json_object_get(d, "temporal"));
        add_ref(c, &s, FD_NS_DCAT "landingPage", json_object_get(d, "landingPage"));
        add_lit(c, &s, FD_NS_DCAT "theme", json_object_get(d, "theme"));
        add_lit(c, &s, FD_NS_DCT "language", json_object_get(d, "language"));
        add_ref(c, &s, FD_NS_DCT "conformsTo", json_object_get(d, "conformsTo"));
        add_ref(c, &s, FD_NS_DCT "relation", json_object_get(d, "references"));
        add_ref(c, &s, FD_NS_DCT "isPartOf", json_object_get(d, "isPartOf"));

        json_t *dists = json_object_get(d, "distribution"), *x;
        size_t i;
        if (json_is_object(dists))
                dists = json_pack("[O]", dists);
        else
                json_incref(dists);
        json_array_foreach(dists, i, x) {
                if (!json_is_object(x))
                        continue;
                struct fd_rdf_term dn = new_blank(c, db, sizeof db), dt = iri_term(FD_NS_DCAT "Distribution");
                add(c, &s, FD_NS_DCAT "distribution", &dn);
                add(c, &dn, FD_NS_RDF "type", &dt);
                add_ref(c, &dn, FD_NS_DCAT "downloadURL", json_object_get(x, "downloadURL"));
                add_ref(c, &dn, FD_NS_DCAT "accessURL", json_object_get(x, "accessURL"));
                add_lit(c, &dn, FD_NS_DCAT "mediaType", json_object_get(x, "mediaType"));
                add_lit(c, &dn, FD_NS_DCT "format", json_object_get(x, "format"));
                add_lit(c, &dn, FD_NS_DCT "title", json_object_get(x, "title"));
                add_ref(c, &dn, FD_NS_DCT "conformsTo", json_object_get(x, "conformsTo"));
        }
        json_decref(dists);
}

/* ---- CKAN -------------------------------------------------------------------- */

void fd_ckan_dataset_iri(const char *site, const char *name, char *buf, size_t size) {
        size_t n = strlen(site);
        while (n && site[n - 1] == '/')
                n--;
        snprintf(buf, size, "%.*s/dataset/%s", (int)n, site, name);
}

static void ckan_package(struct jctx *c, json_t *p, const char *site) {
        char b[32], db[32], iribuf[2048];
        struct fd_rdf_term s, type = iri_term(FD_NS_DCAT "Dataset");
        const char *name = json_string_value(json_object_get(p, "name"));
        const char *id = json_string_value(json_object_get(p, "id"));

        if (site && (name || id)) {
                fd_ckan_dataset_iri(site, name ? name : id, iribuf, sizeof iribuf);
                s = iri_term(iribuf);
        } else
                s = new_blank(c, b, sizeof b);
        add(c, &s, FD_NS_RDF "type", &type);
        add_lit(c, &s, FD_NS_DCT "title", json_object_get(p, "title"));
        add_lit(c, &s, FD_NS_DCT "description", json_object_get(p, "notes"));
        add_lit(c, &s, FD_NS_DCT "identifier", json_object_get(p, "id"));
        add_lit(c, &s, FD_NS_DCT "modified", json_object_get(p, "metadata_modified"));
        add_lit(c, &s, FD_NS_DCT "issued", json_object_get(p, "metadata_created"));
        add_lit(c, &s, FD_NS_OWL "versionInfo", json_object_get(p, "version"));
        add_ref(c, &s, FD_NS_DCAT "landingPage", json_object_get(p, "url"));
        json_t *lic = json_object_get(p, "license_url");
        if (!json_is_string(lic) || !json_string_value(lic)[0])
                lic = json_object_get(p, "license_id");
        add_ref(c, &s, FD_NS_DCT "license", lic);
        add_named(c, &s, FD_NS_DCT "publisher", json_object_get(p, "organization"), "title", NULL);
        add_lit(c, &s, FD_NS_DCT "creator", json_object_get(p, "author"));
        add_lit(c, &s, FD_NS_DCAT "contactPoint", json_object_get(p, "maintainer"));

        json_t *arr, *x;
        size_t i;
        arr = json_object_get(p, "tags");
        json_array_foreach(arr, i, x) add_lit(c, &s, FD_NS_DCAT "keyword",
                                              json_is_object(x) ? json_object_get(x, "name") : x);
        arr = json_object_get(p, "groups");
        json_array_foreach(arr, i, x) if (json_is_object(x))
                add_lit(c, &s, FD_NS_DCAT "theme", json_object_get(x, "title"));
        arr = json_object_get(p, "resources");
        json_array_foreach(arr, i, x) {
                if (!json_is_object(x))
                        continue;
                struct fd_rdf_term dn = new_blank(c, db, sizeof db), dt = iri_term(FD_NS_DCAT "Distribution");
                add(c, &s, FD_NS_DCAT "distribution", &dn);
                add(c, &dn, FD_NS_RDF "type", &dt);
                add_ref(c, &dn, FD_NS_DCAT "accessURL", json_object_get(x, "url"));
                add_lit(c, &dn, FD_NS_DCAT "mediaType", json_object_get(x, "mimetype"));
                add_lit(c, &dn, FD_NS_DCT "format", json_object_get(x, "format"));
        }
        /* extras the ckanext-dcat profile writes */
        arr = json_object_get(p, "extras");
        json_array_foreach(arr, i, x) {
                const char *k = json_string_value(json_object_get(x, "key"));
                if (k && strcmp(k, "identifier") == 0)
                        add_lit(c, &s, FD_NS_DCT "identifier", json_object_get(x, "value"));
                else if (k && strcmp(k, "spatial_text") == 0)
                        add_lit(c, &s, FD_NS_DCT "spatial", json_object_get(x, "value"));
        }
}

static bool is_ckan(json_t *doc) {
        return json_is_object(doc) && json_object_get(doc, "success") && json_is_object(json_object_get(doc, "result"));
}

bool fd_dcat_json_is_plain(json_t *doc) {
        if (is_ckan(doc))
                return true;
        if (!json_is_object(doc) || !json_is_array(json_object_get(doc, "dataset")))
                return false;
        json_t *ctx = json_object_get(doc, "@context");
        /* DCAT-US data.json names the Project Open Data context, which does not
         * give its keys the DCAT meaning they have: read them by name */
        return !ctx || (json_is_string(ctx) && strstr(json_string_value(ctx), "project-open-data"));
}

enum fd_status fd_dcat_json_item(struct fd_rdf_graph *g, json_t *item, bool ckan, const char *base, const char *site,
                                 unsigned long *blank, struct fd_error *err) {
        struct jctx c = {.g = g, .err = err, .blank = *blank};
        if (json_is_object(item)) {
                if (ckan)
                        ckan_package(&c, item, site);
                else
                        pod_dataset(&c, item, base);
        }
        *blank = c.blank;
        return c.st;
}

enum fd_status fd_dcat_json_read(struct fd_rdf_graph *g, json_t *doc, const char *base, const char *site,
                                 struct fd_error *err) {
        struct jctx c = {.g = g, .err = err};
        json_t *x;
        size_t i;

        if (is_ckan(doc)) {
                json_t *res = json_object_get(doc, "result");
                json_t *list = json_object_get(res, "results");
                if (json_is_array(list)) {
                        json_array_foreach(list, i, x) if (json_is_object(x) && !c.st) ckan_package(&c, x, site);
                } else
                        ckan_package(&c, res, site);
                return c.st;
        }
        json_array_foreach(json_object_get(doc, "dataset"), i, x) if (json_is_object(x) && !c.st)
                pod_dataset(&c, x, base);
        return c.st;
}
