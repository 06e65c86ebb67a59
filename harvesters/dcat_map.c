/* dcat_map.c: DCAT-AP 2/3 (and schema.org Dataset) from a graph to a record.
 *
 * A dataset is its concise bounded description: the triples about its node
 * and, following objects, about the blank nodes and the non-dataset nodes
 * it points to (distributions, agents, periods, locations), depth-bounded
 * and cycle-safe.  The mapping reads properties by meaning: the graph has
 * already folded namespace variants (fd_dcat_vocab, below, which the RDF
 * layer applies as it reads), and here an IRI given as a
 * literal is read as the IRI, a node where a literal was expected gives
 * its label.  A value that cannot be read (bad language tag, unknown media
 * type) is dropped with a warning; only running out of the page's arena
 * fails a dataset.
 */
#include <ctype.h>
#include <strings.h>

#include "harvesters-private.h"

#define MAX_DEPTH 6
#define MAX_VISIT 4096

#define RDF_TYPE FD_NS_RDF "type"
#define RDFS_LABEL "http://www.w3.org/2000/01/rdf-schema#label"

static const char *const dataset_types[] = {
        FD_NS_DCAT "Dataset",
        FD_NS_DCAT "DatasetSeries",
        FD_NS_DCAT "DataService",
        FD_NS_SCHEMA "Dataset",
};

static const struct fd_rdf_rename vocab_iris[] = {
        {FD_NS_DCT "keyword", FD_NS_DCAT "keyword"},
        {"http://purl.org/dc/elements/1.1/keyword", FD_NS_DCAT "keyword"},
};
static const struct fd_rdf_rename vocab_prefixes[] = {
        {"https://schema.org/", FD_NS_SCHEMA},
        {"http://www.schema.org/", FD_NS_SCHEMA},
        {"https://purl.org/dc/terms/", FD_NS_DCT},
        {"http://purl.org/dc/elements/1.1/", FD_NS_DCT},
        {"https://www.w3.org/ns/dcat#", FD_NS_DCAT},
        {"https://www.w3.org/ns/hydra/core#", FD_NS_HYDRA},
        {"http://www.w3.org/ns/hydra/core/", FD_NS_HYDRA},
};
/* which nodes are listed datasets or access services is seen from the object's side */
static const char *const vocab_reversed[] = {FD_NS_DCAT "dataset", FD_NS_SCHEMA "dataset", FD_NS_DCAT "accessService"};
/* the Hydra paging triples, for fd_dcat_hydra_next once the rest went to disk */
static const char *const vocab_aside[] = {FD_NS_HYDRA "next", FD_NS_HYDRA "nextPage"};
static const char *const vocab_aside_types[] = {FD_NS_HYDRA};

const struct fd_rdf_vocab fd_dcat_vocab = {
        .iris = vocab_iris,
        .n_iris = FD_ELEMENTSOF(vocab_iris),
        .prefixes = vocab_prefixes,
        .n_prefixes = FD_ELEMENTSOF(vocab_prefixes),
        .reversed = vocab_reversed,
        .n_reversed = FD_ELEMENTSOF(vocab_reversed),
        .aside = vocab_aside,
        .n_aside = FD_ELEMENTSOF(vocab_aside),
        .aside_types = vocab_aside_types,
        .n_aside_types = FD_ELEMENTSOF(vocab_aside_types),
};

/* True for the types that make a node a dataset. */
static bool is_dataset_type(const char *iri) {
        for (size_t i = 0; i < FD_ELEMENTSOF(dataset_types); i++)
                if (strcmp(iri, dataset_types[i]) == 0)
                        return true;
        return false;
}

bool fd_dcat_is_dataset(const struct fd_rdf_graph *g, const struct fd_rdf_term *t) {
        size_t n, i = fd_rdf_graph_about(g, t, &n);
        for (size_t k = 0; k < n; k++) {
                const struct fd_rdf_triple *x = &g->v[i + k];
                if (x->o.kind == FD_RDF_IRI && strcmp(x->p.value, RDF_TYPE) == 0 && is_dataset_type(x->o.value))
                        return true;
        }
        return false;
}

/* True when node is typed only dcat:DataService among the dataset types, is
 * some distribution's dcat:accessService and says of no dataset that it
 * serves it (a service described in its own right is a record). */
static bool only_access_service(const struct fd_rdf_graph *g, const struct fd_rdf_term *node) {
        if (fd_rdf_graph_has_type(g, node, FD_NS_DCAT "Dataset") ||
            fd_rdf_graph_has_type(g, node, FD_NS_DCAT "DatasetSeries") ||
            fd_rdf_graph_object(g, node, FD_NS_DCAT "servesDataset"))
                return false;
        for (size_t i = 0; i < g->n; i++)
                if (strcmp(g->v[i].p.value, FD_NS_DCAT "accessService") == 0 && fd_rdf_term_eq(&g->v[i].o, node))
                        return true;
        return false;
}

static int term_qcmp(const void *x, const void *y) {
        const struct fd_rdf_term *a = x, *b = y;
        if (a->kind != b->kind)
                return a->kind < b->kind ? -1 : 1;
        return strcmp(a->value, b->value);
}

/* The dataset nodes of the in-memory graph g (typed as one, or untyped
 * objects of dcat:dataset described here; not a distribution's access
 * service) in node order, written to *ret (malloc'ed array of terms
 * pointing into g). */
static enum fd_status datasets(const struct fd_rdf_graph *g, struct fd_rdf_term **ret, size_t *ret_n,
                               struct fd_error *err) {
        size_t n = 0, cap = 16;
        struct fd_rdf_term *v = malloc(cap * sizeof *v);

        if (!v)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        for (size_t i = 0; i < g->n; i++) {
                const struct fd_rdf_triple *t = &g->v[i];
                bool hit = (t->o.kind == FD_RDF_IRI && strcmp(t->p.value, RDF_TYPE) == 0 &&
                            is_dataset_type(t->o.value));
                const struct fd_rdf_term *node = &t->s;
                if (!hit && (t->o.kind == FD_RDF_IRI || t->o.kind == FD_RDF_BLANK) &&
                    (strcmp(t->p.value, FD_NS_DCAT "dataset") == 0 ||
                     strcmp(t->p.value, FD_NS_SCHEMA "dataset") == 0)) {
                        size_t m;
                        fd_rdf_graph_about(g, &t->o, &m);
                        hit = m > 0;  /* an untyped dataset described here */
                        node = &t->o;
                }
                if (!hit || (t->s.kind != FD_RDF_IRI && t->s.kind != FD_RDF_BLANK))
                        continue;
                if (hit && strcmp(t->p.value, RDF_TYPE) == 0 && strcmp(t->o.value, FD_NS_DCAT "DataService") == 0 &&
                    only_access_service(g, node))
                        continue;  /* a distribution's access service, not a catalogued one */
                if (n == cap) {
                        struct fd_rdf_term *nv = realloc(v, 2 * cap * sizeof *v);
                        if (!nv) {
                                free(v);
                                return fd_error_set(err, FD_E_NOMEM, "out of memory");
                        }
                        v = nv;
                        cap *= 2;
                }
                v[n++] = *node;
        }
        if (n > 1) {
                qsort(v, n, sizeof *v, term_qcmp);
                size_t w = 1;
                for (size_t i = 1; i < n; i++)
                        if (term_qcmp(&v[i], &v[w - 1]) != 0)
                                v[w++] = v[i];
                n = w;
        }
        *ret = v;
        *ret_n = n;
        return FD_OK;
}

/* ---- hashing ------------------------------------------------------------------ */

/* FNV-1a of s (NULL: empty) and a 0xff that ends it. */
static uint64_t fnv(uint64_t h, const char *s) {
        if (s)
                h = fd_hash_more(h, s, strlen(s));
        return fd_hash_more(h, "\xff", 1);
}

static uint64_t mix(uint64_t h) {
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdULL;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53ULL;
        h ^= h >> 33;
        return h;
}

static uint64_t node_hash(const struct fd_rdf_graph *g, const struct fd_rdf_term *t, int depth, size_t *visits) {
        uint64_t h = FD_HASH_INIT, sum = 0;
        size_t n, i;

        if (t->kind == FD_RDF_LITERAL) {
                h = fnv(h, "L");
                h = fnv(h, t->value);
                h = fnv(h, t->lang);
                return fnv(h, t->datatype);
        }
        h = fnv(h, t->kind == FD_RDF_IRI ? "I" : "B");
        if (t->kind == FD_RDF_IRI)
                h = fnv(h, t->value);
        if (depth >= MAX_DEPTH || ++*visits > MAX_VISIT || (depth > 0 && fd_dcat_is_dataset(g, t)))
                return h;
        i = fd_rdf_graph_about(g, t, &n);
        /* order-free: a sum of the mixed hashes of the (predicate, object) pairs */
        for (size_t k = 0; k < n; k++) {
                const struct fd_rdf_triple *x = &g->v[i + k];
                uint64_t e = fnv(FD_HASH_INIT, x->p.value);
                e ^= node_hash(g, &x->o, depth + 1, visits) * 31;
                sum += mix(e);
        }
        return mix(h ^ sum);
}

uint64_t fd_dcat_hash(const struct fd_rdf_graph *g, const struct fd_rdf_term *ds) {
        size_t visits = 0;
        return node_hash(g, ds, 0, &visits);
}

/* ---- reading values -------------------------------------------------------------- */

struct map {
        const struct fd_rdf_graph *g;
        struct fd_record *r;
        struct fd_arena *a;
        void (*warn)(void *ud, const char *msg);
        void *ud;
        const char *id;
        enum fd_status st;
};

static void warnf(struct map *m, const char *fmt, ...) _fd_printf_(2, 3);

static void warnf(struct map *m, const char *fmt, ...) {
        char msg[FD_ERROR_MAX];
        va_list ap;

        if (!m->warn)
                return;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        m->warn(m->ud, msg);
}

static void keep(struct map *m, enum fd_status st) {
        if (st && !m->st)
                m->st = st;
}

static bool looks_iri(const char *s) {
        return strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0 ||
               strncasecmp(s, "urn:", 4) == 0 || strncasecmp(s, "mailto:", 7) == 0;
}

/* The IRI a term stands for: an IRI, or a literal written as one. */
static const char *iri_of(const struct fd_rdf_term *t) {
        if (t->kind == FD_RDF_IRI)
                return t->value;
        if (t->kind == FD_RDF_LITERAL) {
                const char *s = t->value;
                while (isspace((unsigned char)*s))
                        s++;
                if (looks_iri(s))
                        return s;
        }
        return NULL;
}

static const char *const label_props[] = {
        FD_NS_SKOS "prefLabel", FD_NS_FOAF "name", FD_NS_VCARD "fn", FD_NS_VCARD "organization-name",
        FD_NS_SCHEMA "name", RDFS_LABEL, FD_NS_DCT "title", FD_NS_LOCN "geographicName", FD_NS_SKOS "notation",
};

/* The label of a node described in the graph (NULL when it has none). */
static const char *label_of(const struct fd_rdf_graph *g, const struct fd_rdf_term *t) {
        if (t->kind == FD_RDF_LITERAL)
                return t->value;
        for (size_t i = 0; i < FD_ELEMENTSOF(label_props); i++) {
                const struct fd_rdf_term *o = fd_rdf_graph_object(g, t, label_props[i]);
                if (o && o->kind == FD_RDF_LITERAL)
                        return o->value;
        }
        return NULL;
}

/* The last segment of an IRI ("…/file-type/CSV" -> "CSV"). */
static const char *last_segment(const char *iri) {
        size_t n = strlen(iri);
        while (n && (iri[n - 1] == '/' || iri[n - 1] == '#'))
                n--;
        const char *p = iri + n;
        while (p > iri && p[-1] != '/' && p[-1] != '#')
                p--;
        return p;
}

/* A language tag we can keep, or NULL (dropped with a warning). */
static const char *lang_of(struct map *m, const struct fd_rdf_term *t) {
        char buf[64];
        if (!t->lang)
                return NULL;
        if (fd_lang_normalize(t->lang, buf, sizeof buf))
                return t->lang;
        warnf(m, "dataset '%s': language tag '%.40s' not understood, value kept without it", m->id, t->lang);
        return NULL;
}

typedef void (*each_fn)(struct map *m, const struct fd_rdf_term *o, const void *arg);

static void each(struct map *m, const struct fd_rdf_term *s, const char *p, each_fn fn, const void *arg) {
        size_t n, i = fd_rdf_graph_about(m->g, s, &n);
        for (size_t k = 0; k < n && !m->st; k++)
                if (strcmp(m->g->v[i + k].p.value, p) == 0)
                        fn(m, &m->g->v[i + k].o, arg);
}

static void on_title(struct map *m, const struct fd_rdf_term *o, const void *arg) {
        if (o->kind == FD_RDF_LITERAL)
                keep(m, fd_record_add_title(m->r, m->a, o->value, lang_of(m, o)));
}

static void on_description(struct map *m, const struct fd_rdf_term *o, const void *arg) {
        if (o->kind == FD_RDF_LITERAL)
                keep(m, fd_record_add_description(m->r, m->a, o->value, lang_of(m, o)));
}

static void on_publisher(struct map *m, const struct fd_rdf_term *o, const void *arg) {
        const char *name = label_of(m->g, o);
        if (!name && o->kind == FD_RDF_IRI)
                name = o->value;
        if (name && !m->r->publisher && !(m->r->publisher = fd_text_clean_in(m->a, name)) && name[0] &&
            !isspace((unsigned char)name[0]))
                keep(m, FD_E_LIMIT);
}

/* ---- agents: DCAT (foaf, vcard, prov) and schema.org ------------------------------ */

static bool has_ci(const char *s, const char *needle) {
        return s && strcasestr(s, needle) != NULL;
}

/* A bare ORCID iD ("0000-0002-1825-0097", last character a digit or X). */
static bool bare_orcid(const char *s) {
        static const char shape[] = "dddd-dddd-dddd-dddx";
        while (isspace((unsigned char)*s))
                s++;
        for (size_t i = 0; i < sizeof shape - 1; i++) {
                char c = s[i];
                if (shape[i] == '-' ? c != '-'
                                    : !(isdigit((unsigned char)c) || (shape[i] == 'x' && (c == 'X' || c == 'x'))))
                        return false;
        }
        return true;
}

/* A value naming scheme ("orcid", "ror"): its resolver's host in it, or
 * for ORCID its bare form. */
static bool value_is(const char *v, const char *scheme) {
        if (!v)
                return false;
        if (strcmp(scheme, "orcid") == 0)
                return has_ci(v, "orcid.org/") || bare_orcid(v);
        return has_ci(v, "ror.org/");
}

static const char *const ident_props[] = {FD_NS_SCHEMA "identifier", FD_NS_SCHEMA "sameAs", FD_NS_DCT "identifier",
                                          FD_NS_ADMS "identifier", FD_NS_OWL "sameAs"};

/* The node's identifier in scheme, in every shape schema.org and DCAT give
 * it: the node's own IRI, an identifier or sameAs that is a URL, a bare
 * value or an IRI, a PropertyValue with that propertyID (its value or
 * url), an adms:Identifier (its notation). */
static const char *identifier_in(const struct fd_rdf_graph *g, const struct fd_rdf_term *node, const char *scheme) {
        if (node->kind == FD_RDF_IRI && value_is(node->value, scheme))
                return node->value;
        if (node->kind == FD_RDF_LITERAL)
                return value_is(node->value, scheme) ? node->value : NULL;
        for (size_t p = 0; p < FD_ELEMENTSOF(ident_props); p++) {
                size_t n, i = fd_rdf_graph_about(g, node, &n);
                for (size_t k = 0; k < n; k++) {
                        const struct fd_rdf_triple *t = &g->v[i + k];
                        if (strcmp(t->p.value, ident_props[p]) != 0)
                                continue;
                        if (t->o.kind != FD_RDF_BLANK && value_is(t->o.value, scheme))
                                return t->o.value;
                        const struct fd_rdf_term *pid = fd_rdf_graph_object(g, &t->o, FD_NS_SCHEMA "propertyID");
                        const struct fd_rdf_term *v = fd_rdf_graph_object(g, &t->o, FD_NS_SCHEMA "value");
                        const struct fd_rdf_term *u = fd_rdf_graph_object(g, &t->o, FD_NS_SCHEMA "url");
                        const struct fd_rdf_term *nt = fd_rdf_graph_object(g, &t->o, FD_NS_SKOS "notation");
                        if (pid && has_ci(pid->value, scheme) && v && v->kind != FD_RDF_BLANK)
                                return v->value;
                        if (pid && has_ci(pid->value, scheme) && u && u->kind != FD_RDF_BLANK)
                                return u->value;
                        if (v && v->kind != FD_RDF_BLANK && value_is(v->value, scheme))
                                return v->value;
                        if (nt && nt->kind != FD_RDF_BLANK && value_is(nt->value, scheme))
                                return nt->value;
                        if (t->o.kind == FD_RDF_IRI && u && value_is(u->value, scheme))
                                return u->value;
                }
        }
        return NULL;
}

/* A person's name: a label, else "Family, Given" from its parts. */
static const char *agent_name(struct map *m, const struct fd_rdf_term *o) {
        const char *name = label_of(m->g, o);
        if (name || o->kind == FD_RDF_LITERAL)
                return name;
        static const char *const family[] = {FD_NS_SCHEMA "familyName", FD_NS_FOAF "familyName",
                                             FD_NS_FOAF "lastName", FD_NS_VCARD "family-name"};
        static const char *const given[] = {FD_NS_SCHEMA "givenName", FD_NS_FOAF "givenName",
                                            FD_NS_FOAF "firstName", FD_NS_VCARD "given-name"};
        const struct fd_rdf_term *f = NULL, *gv = NULL;
        for (size_t i = 0; i < FD_ELEMENTSOF(family) && !f; i++)
                f = fd_rdf_graph_object(m->g, o, family[i]);
        for (size_t i = 0; i < FD_ELEMENTSOF(given) && !gv; i++)
                gv = fd_rdf_graph_object(m->g, o, given[i]);
        if (f && f->kind == FD_RDF_LITERAL)
                return gv && gv->kind == FD_RDF_LITERAL ? fd_arena_printf(m->a, "%s, %s", f->value, gv->value)
                                                        : f->value;
        return NULL;
}

static const char *const agent_props[] = {FD_NS_SCHEMA "creator", FD_NS_SCHEMA "author", FD_NS_SCHEMA "contributor",
                                          FD_NS_SCHEMA "publisher", FD_NS_DCT "creator", FD_NS_DCT "contributor"};

/* One agent: a name (or a contact's e-mail, or its IRI), its ORCID, its
 * affiliation as text or as an organisation with its ROR.  The schema:Role
 * pattern (creator -> Role with roleName -> creator -> Person) is
 * followed once. */
static void add_agent(struct map *m, const struct fd_rdf_term *o, bool contributor, const char *role, int depth) {
        if (o->kind != FD_RDF_LITERAL && depth == 0 && fd_rdf_graph_has_type(m->g, o, FD_NS_SCHEMA "Role")) {
                const struct fd_rdf_term *rn = fd_rdf_graph_object(m->g, o, FD_NS_SCHEMA "roleName");
                const char *r = role ? role : rn ? (iri_of(rn) ? last_segment(iri_of(rn)) : label_of(m->g, rn)) : NULL;
                for (size_t i = 0; i < FD_ELEMENTSOF(agent_props); i++) {
                        size_t n, k = fd_rdf_graph_about(m->g, o, &n);
                        for (size_t j = 0; j < n && !m->st; j++)
                                if (strcmp(m->g->v[k + j].p.value, agent_props[i]) == 0)
                                        add_agent(m, &m->g->v[k + j].o, contributor, r, depth + 1);
                }
                return;
        }
        const char *name = agent_name(m, o);
        const char *orcid = identifier_in(m->g, o, "orcid");
        const char *affiliation = NULL, *ror = NULL;

        if (!name && o->kind != FD_RDF_LITERAL) {
                /* a contact known only by its e-mail */
                const struct fd_rdf_term *mail = fd_rdf_graph_object(m->g, o, FD_NS_VCARD "hasEmail");
                if (!mail)
                        mail = fd_rdf_graph_object(m->g, o, FD_NS_SCHEMA "email");
                if (mail)
                        name = iri_of(mail) ? iri_of(mail) : mail->value;
        }
        if (!name && o->kind == FD_RDF_IRI && !orcid)
                name = o->value;
        if (!name && orcid)
                name = orcid;
        if (o->kind != FD_RDF_LITERAL) {
                const struct fd_rdf_term *aff = fd_rdf_graph_object(m->g, o, FD_NS_SCHEMA "affiliation");
                if (!aff)
                        aff = fd_rdf_graph_object(m->g, o, FD_NS_VCARD "organization-name");
                if (aff) {
                        affiliation = label_of(m->g, aff);
                        ror = identifier_in(m->g, aff, "ror");
                        if (!affiliation && aff->kind == FD_RDF_IRI && !ror)
                                affiliation = aff->value;
                }
        }
        if (name)
                keep(m, fd_record_add_agent(m->r, m->a, contributor, name, orcid, affiliation, ror, role));
}

static void on_agent(struct map *m, const struct fd_rdf_term *o, const void *arg) {
        add_agent(m, o, arg != NULL, arg, 0);
}

/* prov:qualifiedAttribution: an agent (prov:agent) with its dcat:hadRole */
static void on_attribution(struct map *m, const struct fd_rdf_term *o, const void *arg) {
        const struct fd_rdf_term *agent = fd_rdf_graph_object(m->g, o, FD_NS_PROV "agent");
        const struct fd_rdf_term *role = fd_rdf_graph_object(m->g, o, FD_NS_DCAT "hadRole");
        const char *r = role ? (iri_of(role) ? last_segment(iri_of(role)) : label_of(m->g, role)) : NULL;
        if (agent)
                add_agent(m, agent, true, r ? r : "Other", 0);
}

static void on_keyword(struct map *m, const struct fd_rdf_term *o, const void *arg) {
        if (o->kind != FD_RDF_LITERAL)
                return;
        if (arg) {
                /* schema:keywords is often one comma-separated string */
                char *copy = fd_arena_strdup(m->a, o->value);
                if (!copy) {
                        keep(m, FD_E_LIMIT);
                        return;
                }
                for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
                        keep(m, fd_record_add_subject(m->r, m->a, tok, NULL, NULL));
                return;
        }
        keep(m, fd_record_add_subject(m->r, m->a, o->value, NULL, NULL));
}

static void on_theme(struct map *m, const struct fd_rdf_term *o, const void *arg) {
        const char *scheme = arg;
        const char *iri = iri_of(o);
        const char *label = label_of(m->g, o);

        if (iri && (!label || label == o->value))
                label = last_segment(iri);
        if (iri && strstr(iri, "publications.europa.eu/resource/authority/data-theme/"))
                scheme = "eu-data-theme";
        if (label)
                keep(m, fd_record_add_subject(m->r, m->a, label, scheme, iri));
}

/* x's box and point into geo where geo has none yet: the first of each wins. */
static void geo_merge(struct fd_geo *geo, const struct fd_geo *x) {
        if (x->has_box && !geo->has_box) {
                geo->has_box = true;
                geo->west = x->west, geo->east = x->east, geo->south = x->south, geo->north = x->north;
        }
        if (x->has_point && !geo->has_point) {
                geo->has_point = true;
                geo->lat = x->lat, geo->lon = x->lon;
        }
}

/* A geometry given as a literal, or as a node carrying one (GeoSPARQL
 * asWKT / asGeoJSON / asGML), into geo: the first box and the first point
 * win.  true when it gave either. */
static bool geometry_of(const struct fd_rdf_graph *g, const struct fd_rdf_term *o, struct fd_geo *geo) {
        static const char *const serials[] = {FD_NS_GSP "asWKT", FD_NS_GSP "asGeoJSON", FD_NS_GSP "asGML",
                                              FD_NS_LOCN "geometry"};
        struct fd_geo x = {0};

        if (o->kind != FD_RDF_LITERAL) {
                for (size_t i = 0; i < FD_ELEMENTSOF(serials); i++) {
                        const struct fd_rdf_term *l = fd_rdf_graph_object(g, o, serials[i]);
                        if (l && l->kind == FD_RDF_LITERAL && geometry_of(g, l, geo))
                                return true;
                }
                return false;
        }
        if (!fd_dcat_geometry(o->value, o->datatype, &x))
                return false;
        geo_merge(geo, &x);
        return true;
}

/* schema:geo: GeoCoordinates (latitude, longitude) or GeoShape (box, polygon, line). */
static bool schema_geo(const struct fd_rdf_graph *g, const struct fd_rdf_term *o, struct fd_geo *geo) {
        const struct fd_rdf_term *lat = fd_rdf_graph_object(g, o, FD_NS_SCHEMA "latitude");
        const struct fd_rdf_term *lon = fd_rdf_graph_object(g, o, FD_NS_SCHEMA "longitude");
        char *e1 = NULL, *e2 = NULL;
        if (lat && lon && lat->kind == FD_RDF_LITERAL && lon->kind == FD_RDF_LITERAL && !geo->has_point) {
                double a = strtod(lat->value, &e1), b = strtod(lon->value, &e2);
                if (e1 != lat->value && e2 != lon->value) {
                        geo->has_point = true;
                        geo->lat = a, geo->lon = b;
                        return true;
                }
        }
        static const char *const shapes[] = {FD_NS_SCHEMA "box", FD_NS_SCHEMA "polygon", FD_NS_SCHEMA "line"};
        for (size_t i = 0; i < FD_ELEMENTSOF(shapes); i++) {
                const struct fd_rdf_term *t = fd_rdf_graph_object(g, o, shapes[i]);
                struct fd_geo x = {0};
                if (t && t->kind == FD_RDF_LITERAL && fd_dcat_latlon_text(t->value, &x)) {
                        geo_merge(geo, &x);
                        return true;
                }
        }
        return false;
}

/* dct:spatial / schema:spatialCoverage: a place name as a subject, and the
 * location's geometry (locn:geometry, dcat:bbox, dcat:centroid, schema:geo)
 * as a geo location. */
static void on_spatial(struct map *m, const struct fd_rdf_term *o, const void *arg) {
        const char *iri = iri_of(o);
        const char *label = label_of(m->g, o);
        if (label == o->value && iri)
                label = NULL;
        if (!label && iri)
                label = last_segment(iri);
        if (label && strlen(label) < 256)
                keep(m, fd_record_add_subject(m->r, m->a, label, "spatial", iri));
        if (o->kind == FD_RDF_LITERAL)
                return;

        static const char *const geoms[] = {FD_NS_DCAT "bbox", FD_NS_LOCN "geometry", FD_NS_DCAT "centroid",
                                            FD_NS_SCHEMA "geo"};
        struct fd_geo geo = {.place = label_of(m->g, o)};
        bool any = false;
        size_t n, first = fd_rdf_graph_about(m->g, o, &n);
        for (size_t i = 0; i < FD_ELEMENTSOF(geoms); i++)
                for (size_t k = 0; k < n; k++) {
                        const struct fd_rdf_triple *t = &m->g->v[first + k];
                        if (strcmp(t->p.value, geoms[i]) != 0)
                                continue;
                        bool got = i == 3 ? schema_geo(m->g, &t->o, &geo) : geometry_of(m->g, &t->o, &geo);
                        if (!got && t->o.kind == FD_RDF_LITERAL)
                                warnf(m, "dataset '%s': geometry '%.60s' not understood, dropped", m->id,
                                      t->o.value);
                        any |= got;
                }
        if (any)
                keep(m, fd_record_add_geo(m->r, m->a, &geo));
}

static void on_date(struct map *m, const struct fd_rdf_term *o, const void *arg) {
        if (o->kind == FD_RDF_LITERAL)
                keep(m, fd_record_add_date(m->r, m->a, o->value, arg));
}

static const char *const start_props[] = {FD_NS_DCAT "startDate", FD_NS_SCHEMA "startDate"};
static const char *const end_props[] = {FD_NS_DCAT "endDate", FD_NS_SCHEMA "endDate"};

static const struct fd_rdf_term *instant(const struct fd_rdf_graph *g, const struct fd_rdf_term *period,
                                         const char *const *props, size_t n_props, const char *time_prop) {
        for (size_t i = 0; i < n_props; i++) {
                const struct fd_rdf_term *o = fd_rdf_graph_object(g, period, props[i]);
                if (o && o->kind == FD_RDF_LITERAL)
                        return o;
        }
        const struct fd_rdf_term *node = fd_rdf_graph_object(g, period, time_prop);
        if (!node)
                return NULL;
        static const char *const inst[] = {FD_NS_TIME "inXSDDateTime", FD_NS_TIME "inXSDDate",
                                           FD_NS_TIME "inXSDDateTimeStamp"};
        for (size_t i = 0; i < FD_ELEMENTSOF(inst); i++) {
                const struct fd_rdf_term *o = fd_rdf_graph_object(g, node, inst[i]);
                if (o && o->kind == FD_RDF_LITERAL)
                        return o;
        }
        return NULL;
}

static void on_temporal(struct map *m, const struct fd_rdf_term *o, const void *arg) {
        if (o->kind == FD_RDF_LITERAL) {
                /* "2010-01-01/2012-12-31" (schema:temporalCoverage, data.json) */
                const char *slash = strchr(o->value, '/');
                char *first = slash ? fd_arena_strndup(m->a, o->value, (size_t)(slash - o->value)) : NULL;
                keep(m, fd_record_add_date(m->r, m->a, first ? first : o->value, "coverage-start"));
                if (slash)
                        keep(m, fd_record_add_date(m->r, m->a, slash + 1, "coverage-end"));
                return;
        }
        const struct fd_rdf_term *s = instant(m->g, o, start_props, FD_ELEMENTSOF(start_props),
                                              FD_NS_TIME "hasBeginning");
        const struct fd_rdf_term *e = instant(m->g, o, end_props, FD_ELEMENTSOF(end_props), FD_NS_TIME "hasEnd");
        if (s)
                keep(m, fd_record_add_date(m->r, m->a, s->value, "coverage-start"));
        if (e)
                keep(m, fd_record_add_date(m->r, m->a, e->value, "coverage-end"));
}

static void on_identifier(struct map *m, const struct fd_rdf_term *o, const void *arg) {
        if (o->kind == FD_RDF_LITERAL || o->kind == FD_RDF_IRI) {
                keep(m, fd_record_add_identifier(m->r, m->a, o->value, FD_PID_NONE));
                return;
        }
        /* adms:Identifier or schema:PropertyValue */
        static const char *const props[] = {FD_NS_SKOS "notation", FD_NS_SCHEMA "value", RDFS_LABEL};
        for (size_t i = 0; i < FD_ELEMENTSOF(props); i++) {
                const struct fd_rdf_term *v = fd_rdf_graph_object(m->g, o, props[i]);
                if (v && v->kind != FD_RDF_BLANK) {
                        keep(m, fd_record_add_identifier(m->r, m->a, v->value, FD_PID_NONE));
                        return;
                }
        }
}

static void on_url(struct map *m, const struct fd_rdf_term *o, const void *arg) {
        const char *iri = iri_of(o);
        if (!iri && o->kind != FD_RDF_LITERAL) {
                /* foaf:Document / schema:URL node */
                const struct fd_rdf_term *u = fd_rdf_graph_object(m->g, o, FD_NS_SCHEMA "url");
                iri = u ? iri_of(u) : NULL;
        }
        if (iri)
                keep(m, fd_record_add_url(m->r, m->a, iri, arg != NULL));
}

static void on_rights(struct map *m, const struct fd_rdf_term *o, const void *arg) {
        const char *iri = iri_of(o);
        const char *label = o->kind != FD_RDF_LITERAL ? label_of(m->g, o) : NULL;

        if (o->kind == FD_RDF_LITERAL && !iri) {
                /* free text, possibly HTML with the licence's URL inside */
                const char *u = strstr(o->value, "http");
                if (u) {
                        size_t n = strcspn(u, " \t\r\n\"'<>");
                        char *url = fd_arena_strndup(m->a, u, n);
                        if (url && fd_license_spdx(url)) {
                                keep(m, fd_record_add_rights(m->r, m->a, NULL, url));
                                return;
                        }
                }
                if (strlen(o->value) < 512)
                        keep(m, fd_record_add_rights(m->r, m->a, o->value, NULL));
                return;
        }
        if (!iri && o->kind == FD_RDF_BLANK) {
                /* a dct:LicenseDocument node: its label or its dct:identifier */
                const struct fd_rdf_term *id = fd_rdf_graph_object(m->g, o, FD_NS_DCT "identifier");
                iri = id ? iri_of(id) : NULL;
        }
        keep(m, fd_record_add_rights(m->r, m->a, label, iri));
}

/* IANA media types: type/subtype with a registered top-level type. */
static bool media_type_ok(const char *s) {
        static const char *const tops[] = {"application", "audio", "font", "image", "message", "model",
                                           "multipart", "text", "video", "chemical", "example"};
        const char *slash = strchr(s, '/');
        if (!slash || slash == s || !slash[1] || strchr(slash + 1, '/') || strchr(s, ' '))
                return false;
        for (size_t i = 0; i < FD_ELEMENTSOF(tops); i++)
                if ((size_t)(slash - s) == strlen(tops[i]) && strncasecmp(s, tops[i], (size_t)(slash - s)) == 0)
                        return true;
        return false;
}

static void on_media_type(struct map *m, const struct fd_rdf_term *o, const void *arg) {
        const char *v = iri_of(o);
        const char *iana = "iana.org/assignments/media-types/";
        const char *p;

        if (v && (p = strstr(v, iana)))
                v = p + strlen(iana);
        else if (!v && o->kind == FD_RDF_LITERAL)
                v = o->value;
        else if (!v)
                v = label_of(m->g, o);
        if (!v)
                return;
        while (isspace((unsigned char)*v))
                v++;
        if (!media_type_ok(v)) {
                warnf(m, "dataset '%s': media type '%.80s' not understood, dropped", m->id, v);
                return;
        }
        keep(m, fd_record_add_format(m->r, m->a, v));
}

static void on_format(struct map *m, const struct fd_rdf_term *o, const void *arg) {
        const char *iri = iri_of(o);
        const char *iana = "iana.org/assignments/media-types/";
        const char *v;

        if (iri && strstr(iri, iana)) {
                on_media_type(m, o, arg);
                return;
        }
        if (iri)
                v = last_segment(iri);  /* EU file-type authority: …/file-type/CSV */
        else if (o->kind == FD_RDF_LITERAL)
                v = o->value;
        else
                v = label_of(m->g, o);
        if (v && strlen(v) < 128)
                keep(m, fd_record_add_format(m->r, m->a, v));
}

static void on_language(struct map *m, const struct fd_rdf_term *o, const void *arg) {
        const char *v = iri_of(o) ? last_segment(iri_of(o)) : o->kind == FD_RDF_LITERAL ? o->value : label_of(m->g, o);
        char buf[64];
        if (!v)
                return;
        if (!fd_lang_normalize(v, buf, sizeof buf)) {
                warnf(m, "dataset '%s': language '%.40s' not understood, dropped", m->id, v);
                return;
        }
        keep(m, fd_record_add_language(m->r, m->a, v));
}

static void on_related(struct map *m, const struct fd_rdf_term *o, const void *arg) {
        const char *iri = iri_of(o);
        const char *v = iri ? iri : o->kind == FD_RDF_LITERAL ? o->value : label_of(m->g, o);
        if (v)
                keep(m, fd_record_add_related(m->r, m->a, v, FD_PID_NONE, arg));
}

/* dct:provenance: a dct:ProvenanceStatement node with a label, or text */
static void on_provenance(struct map *m, const struct fd_rdf_term *o, const void *arg) {
        const char *text = label_of(m->g, o);
        if (text)
                keep(m, fd_record_add_description(m->r, m->a, text, o->kind == FD_RDF_LITERAL ? lang_of(m, o) : NULL));
}

static void on_version(struct map *m, const struct fd_rdf_term *o, const void *arg) {
        if (o->kind == FD_RDF_LITERAL && !m->r->version && !(m->r->version = fd_text_clean_in(m->a, o->value)) &&
            o->value[0] && !isspace((unsigned char)o->value[0]))
                keep(m, FD_E_LIMIT);
}

/* ---- DCAT-AP 3: sizes, checksums, frequency, legislation, services, funding --------- */

/* dcat:byteSize: a number of bytes (xsd:nonNegativeInteger, or decimal) */
static void on_byte_size(struct map *m, const struct fd_rdf_term *o, const void *arg) {
        char *end, buf[64];
        if (o->kind != FD_RDF_LITERAL)
                return;
        double v = strtod(o->value, &end);
        while (isspace((unsigned char)*end))
                end++;
        if (end == o->value || *end || !(v >= 0) || v > 1e18) {
                warnf(m, "dataset '%s': byte size '%.40s' is not a number of bytes, dropped", m->id, o->value);
                return;
        }
        snprintf(buf, sizeof buf, "%.0f bytes", v);
        keep(m, fd_record_add_size(m->r, m->a, buf));
}

/* schema:contentSize: as written ("6 MB") */
static void on_content_size(struct map *m, const struct fd_rdf_term *o, const void *arg) {
        if (o->kind == FD_RDF_LITERAL && strlen(o->value) < 128)
                keep(m, fd_record_add_size(m->r, m->a, o->value));
}

/* spdx:checksum: spdx:algorithm (spdx:checksumAlgorithm_sha256) and spdx:checksumValue */
static void on_checksum(struct map *m, const struct fd_rdf_term *o, const void *arg) {
        const struct fd_rdf_term *alg = fd_rdf_graph_object(m->g, o, FD_NS_SPDX "algorithm");
        const struct fd_rdf_term *val = fd_rdf_graph_object(m->g, o, FD_NS_SPDX "checksumValue");
        const char *name = alg ? (iri_of(alg) ? last_segment(iri_of(alg)) : label_of(m->g, alg)) : NULL;
        if (!val || val->kind != FD_RDF_LITERAL)
                return;
        if (name && strncmp(name, "checksumAlgorithm_", 18) == 0)
                name += 18;
        keep(m, fd_record_add_checksum(m->r, m->a, name ? name : "unknown", val->value));
}

/* dct:accrualPeriodicity: the EU frequency authority's code (…/frequency/ANNUAL), else as written */
static void on_frequency(struct map *m, const struct fd_rdf_term *o, const void *arg) {
        const char *iri = iri_of(o);
        const char *v = iri ? last_segment(iri) : label_of(m->g, o);
        if (v && !m->r->frequency && strlen(v) < 128 && !(m->r->frequency = fd_text_clean_in(m->a, v)) && v[0] &&
            !isspace((unsigned char)v[0]))
                keep(m, FD_E_LIMIT);
}

/* dcatap:applicableLegislation: the legal act's IRI (ELI) */
static void on_legislation(struct map *m, const struct fd_rdf_term *o, const void *arg) {
        const char *v = iri_of(o) ? iri_of(o) : label_of(m->g, o);
        if (v && strlen(v) < 1024)
                keep(m, fd_record_add_legislation(m->r, m->a, v));
}

/* A data service a dataset is served by (a distribution's dcat:accessService)
 * or a dataset a service serves (dcat:servesDataset): its IRI, else its
 * endpoint URL, else its label, as a related identifier. */
static void on_service(struct map *m, const struct fd_rdf_term *o, const void *arg) {
        const char *v = iri_of(o);
        if (!v && o->kind == FD_RDF_BLANK) {
                const struct fd_rdf_term *e = fd_rdf_graph_object(m->g, o, FD_NS_DCAT "endpointURL");
                v = e ? iri_of(e) : NULL;
        }
        if (!v)
                v = label_of(m->g, o);
        if (v)
                keep(m, fd_record_add_related(m->r, m->a, v, FD_PID_NONE, arg));
}

/* A funder (schema:funder, foaf:fundedBy): its name and identifier (ROR,
 * Crossref Funder ID as a DOI, or its IRI). */
static void funder_of(const struct fd_rdf_graph *g, const struct fd_rdf_term *f, const char **name, const char **id) {
        *name = label_of(g, f);
        *id = identifier_in(g, f, "ror");
        if (!*id && f->kind == FD_RDF_IRI)
                *id = f->value;
        if (!*id && f->kind == FD_RDF_BLANK) {
                const struct fd_rdf_term *x = fd_rdf_graph_object(g, f, FD_NS_SCHEMA "identifier");
                if (x && x->kind != FD_RDF_BLANK)
                        *id = x->value;
        }
        if (*name == f->value && f->kind != FD_RDF_LITERAL)
                *name = NULL;
}

static void on_funder(struct map *m, const struct fd_rdf_term *o, const void *arg) {
        const char *name, *id;
        funder_of(m->g, o, &name, &id);
        if (name || id)
                keep(m, fd_record_add_funding(m->r, m->a, name, id, NULL, NULL));
}

/* schema:funding: a MonetaryGrant (Grant) with its name, identifier and funder */
static void on_grant(struct map *m, const struct fd_rdf_term *o, const void *arg) {
        const char *name = NULL, *id = NULL, *award = NULL, *title = NULL;
        if (o->kind == FD_RDF_LITERAL) {
                keep(m, fd_record_add_funding(m->r, m->a, NULL, NULL, NULL, o->value));
                return;
        }
        const struct fd_rdf_term *f = fd_rdf_graph_object(m->g, o, FD_NS_SCHEMA "funder");
        if (f)
                funder_of(m->g, f, &name, &id);
        const struct fd_rdf_term *x = fd_rdf_graph_object(m->g, o, FD_NS_SCHEMA "identifier");
        if (x && x->kind == FD_RDF_BLANK)
                x = fd_rdf_graph_object(m->g, x, FD_NS_SCHEMA "value");
        award = x && x->kind != FD_RDF_BLANK ? x->value : o->kind == FD_RDF_IRI ? o->value : NULL;
        const struct fd_rdf_term *t = fd_rdf_graph_object(m->g, o, FD_NS_SCHEMA "name");
        title = t && t->kind == FD_RDF_LITERAL ? t->value : NULL;
        if (name || id || award || title)
                keep(m, fd_record_add_funding(m->r, m->a, name, id, award, title));
}

static void on_distribution(struct map *m, const struct fd_rdf_term *o, const void *arg) {
        if (o->kind == FD_RDF_LITERAL) {
                on_url(m, o, NULL);
                return;
        }
        each(m, o, FD_NS_DCAT "accessURL", on_url, NULL);
        each(m, o, FD_NS_DCAT "downloadURL", on_url, "download");
        each(m, o, FD_NS_DCAT "byteSize", on_byte_size, NULL);
        each(m, o, FD_NS_SCHEMA "contentSize", on_content_size, NULL);
        each(m, o, FD_NS_SPDX "checksum", on_checksum, NULL);
        each(m, o, FD_NS_DCAT "accessService", on_service, "HasAccessService");
        each(m, o, FD_NS_DCT "conformsTo", on_related, "ConformsTo");
        each(m, o, FD_NS_SCHEMA "contentUrl", on_url, "download");
        each(m, o, FD_NS_SCHEMA "url", on_url, NULL);
        each(m, o, FD_NS_DCAT "mediaType", on_media_type, NULL);
        each(m, o, FD_NS_SCHEMA "encodingFormat", on_format, NULL);
        each(m, o, FD_NS_DCT "format", on_format, NULL);
        each(m, o, FD_NS_DCT "license", on_rights, NULL);
        each(m, o, FD_NS_DCT "rights", on_rights, NULL);
        each(m, o, FD_NS_DCT "accessRights", on_rights, NULL);
}

/* ---- ids and the mapping ------------------------------------------------------------ */

const char *fd_dcat_local_id(const struct fd_rdf_graph *g, const struct fd_rdf_term *ds, struct fd_arena *a) {
        if (ds->kind == FD_RDF_IRI)
                return fd_arena_strdup(a, ds->value);
        const struct fd_rdf_term *id = fd_rdf_graph_object(g, ds, FD_NS_DCT "identifier");
        if (!id)
                id = fd_rdf_graph_object(g, ds, FD_NS_SCHEMA "identifier");
        if (id && id->kind != FD_RDF_BLANK && id->value[0])
                return fd_text_clean_in(a, id->value);
        return fd_arena_printf(a, "hash:%016llx", (unsigned long long)fd_dcat_hash(g, ds));
}

struct prop {
        const char *iri;
        each_fn fn;
        const void *arg;
};

static const struct prop props[] = {
        {FD_NS_DCT "title", on_title, NULL},
        {FD_NS_SCHEMA "name", on_title, NULL},
        {FD_NS_DCT "description", on_description, NULL},
        {FD_NS_SCHEMA "description", on_description, NULL},
        {FD_NS_DCT "publisher", on_publisher, NULL},
        {FD_NS_SCHEMA "publisher", on_publisher, NULL},
        {FD_NS_DCT "creator", on_agent, NULL},
        {FD_NS_SCHEMA "creator", on_agent, NULL},
        {FD_NS_SCHEMA "author", on_agent, NULL},
        {FD_NS_DCAT "contactPoint", on_agent, "ContactPerson"},
        {FD_NS_ADMS "contactPoint", on_agent, "ContactPerson"},
        {FD_NS_SCHEMA "contactPoint", on_agent, "ContactPerson"},
        {FD_NS_DCT "contributor", on_agent, "Other"},
        {FD_NS_SCHEMA "contributor", on_agent, "Other"},
        {FD_NS_PROV "qualifiedAttribution", on_attribution, NULL},
        {FD_NS_DCAT "byteSize", on_byte_size, NULL},
        {FD_NS_SCHEMA "contentSize", on_content_size, NULL},
        {FD_NS_DCT "accrualPeriodicity", on_frequency, NULL},
        {FD_NS_DCATAP "applicableLegislation", on_legislation, NULL},
        {FD_NS_DCATAP "hvdCategory", on_theme, "hvd-category"},
        {FD_NS_PROV "wasGeneratedBy", on_related, "WasGeneratedBy"},
        {FD_NS_DCAT "servesDataset", on_service, "ServesDataset"},
        {FD_NS_SCHEMA "funding", on_grant, NULL},
        {FD_NS_SCHEMA "funder", on_funder, NULL},
        {FD_NS_FOAF "fundedBy", on_funder, NULL},
        {FD_NS_DCAT "keyword", on_keyword, NULL},
        {FD_NS_SCHEMA "keywords", on_keyword, "split"},
        {FD_NS_DCAT "theme", on_theme, NULL},
        {FD_NS_DCT "subject", on_theme, NULL},
        {FD_NS_SCHEMA "about", on_theme, NULL},
        {FD_NS_DCT "spatial", on_spatial, NULL},
        {FD_NS_SCHEMA "spatialCoverage", on_spatial, NULL},
        {FD_NS_DCT "temporal", on_temporal, NULL},
        {FD_NS_SCHEMA "temporalCoverage", on_temporal, NULL},
        {FD_NS_DCT "issued", on_date, "issued"},
        {FD_NS_SCHEMA "datePublished", on_date, "issued"},
        {FD_NS_DCT "modified", on_date, "modified"},
        {FD_NS_SCHEMA "dateModified", on_date, "modified"},
        {FD_NS_DCT "created", on_date, "created"},
        {FD_NS_SCHEMA "dateCreated", on_date, "created"},
        {FD_NS_DCT "identifier", on_identifier, NULL},
        {FD_NS_ADMS "identifier", on_identifier, NULL},
        {FD_NS_SCHEMA "identifier", on_identifier, NULL},
        {FD_NS_SCHEMA "sameAs", on_identifier, NULL},
        {FD_NS_DCAT "landingPage", on_url, NULL},
        {FD_NS_SCHEMA "url", on_url, NULL},
        {FD_NS_FOAF "page", on_url, NULL},
        {FD_NS_DCAT "distribution", on_distribution, NULL},
        {FD_NS_SCHEMA "distribution", on_distribution, NULL},
        {FD_NS_DCAT "endpointURL", on_url, NULL},
        {FD_NS_DCAT "endpointDescription", on_url, NULL},
        {FD_NS_DCT "license", on_rights, NULL},
        {FD_NS_SCHEMA "license", on_rights, NULL},
        {FD_NS_DCT "rights", on_rights, NULL},
        {FD_NS_DCT "accessRights", on_rights, NULL},
        {FD_NS_DCT "language", on_language, NULL},
        {FD_NS_SCHEMA "inLanguage", on_language, NULL},
        {FD_NS_DCT "conformsTo", on_related, "ConformsTo"},
        {FD_NS_DCT "provenance", on_provenance, NULL},
        {FD_NS_DCT "isVersionOf", on_related, "IsVersionOf"},
        {FD_NS_DCT "hasVersion", on_related, "HasVersion"},
        {FD_NS_DCT "source", on_related, "IsDerivedFrom"},
        {FD_NS_DCT "relation", on_related, "References"},
        {FD_NS_DCT "isPartOf", on_related, "IsPartOf"},
        {FD_NS_DCAT "inSeries", on_related, "IsPartOf"},
        {FD_NS_OWL "versionInfo", on_version, NULL},
        {FD_NS_DCAT "version", on_version, NULL},
        {FD_NS_SCHEMA "version", on_version, NULL},
};

enum fd_status fd_dcat_map(const struct fd_rdf_graph *g, const struct fd_rdf_term *ds, const char *source,
                           struct fd_arena *a, void (*warn)(void *ud, const char *msg), void *ud,
                           struct fd_record **ret, struct fd_error *err) {
        struct map m = {.g = g, .a = a, .warn = warn, .ud = ud};
        struct fd_record *r = fd_record_new_in(a);
        const char *local = fd_dcat_local_id(g, ds, a);
        size_t n, first;

        if (!r || !local)
                return fd_error_set(err, FD_E_LIMIT, "page arena full");
        m.r = r;
        m.id = local;
        r->local_id = local;
        r->source = fd_arena_strdup(a, source);
        r->id = fd_arena_printf(a, "%s:%s", source, local);
        r->format = "dcat";
        if (!r->source || !r->id)
                return fd_error_set(err, FD_E_LIMIT, "page arena full");

        const char *type = "Dataset";
        if (fd_rdf_graph_has_type(g, ds, FD_NS_DCAT "DataService") &&
            !fd_rdf_graph_has_type(g, ds, FD_NS_DCAT "Dataset"))
                type = "Service";
        keep(&m, fd_record_set_type(r, a, type));

        first = fd_rdf_graph_about(g, ds, &n);
        for (size_t k = 0; k < n && !m.st; k++) {
                const struct fd_rdf_triple *t = &g->v[first + k];
                for (size_t i = 0; i < FD_ELEMENTSOF(props); i++)
                        if (strcmp(t->p.value, props[i].iri) == 0) {
                                props[i].fn(&m, &t->o, props[i].arg);
                                break;
                        }
        }
        if (ds->kind == FD_RDF_IRI)
                keep(&m, fd_record_add_identifier(r, a, ds->value, FD_PID_NONE));
        if (m.st)
                return fd_error_set(err, m.st, "dataset '%s' does not fit in the page arena", local);

        /* the source's last change: modified, else issued */
        for (size_t i = 0; i < r->dates.n; i++)
                if (r->dates.v[i].type && strcmp(r->dates.v[i].type, "modified") == 0)
                        r->datestamp = r->dates.v[i].value;
        for (size_t i = 0; i < r->dates.n && !r->datestamp; i++)
                if (r->dates.v[i].type && strcmp(r->dates.v[i].type, "issued") == 0)
                        r->datestamp = r->dates.v[i].value;
        /* the metadata as harvested: the dataset's statements (raw.c) */
        enum fd_status st = fd_raw_keep_rdf(r, a, g, ds);
        if (st)
                return fd_error_set(err, st, "out of memory keeping the statements of dataset '%s'", local);
        *ret = r;
        return FD_OK;
}

const char *fd_dcat_hydra_next(const struct fd_rdf_graph *g) {
        static const char *const views[] = {FD_NS_HYDRA "PartialCollectionView", FD_NS_HYDRA "PagedCollection"};
        static const char *const nexts[] = {FD_NS_HYDRA "next", FD_NS_HYDRA "nextPage"};
        const char *any = NULL;

        if (fd_rdf_graph_spilled(g) && g->aside)
                g = g->aside;  /* what was kept of the paging triples */
        for (size_t i = 0; i < g->n; i++) {
                const struct fd_rdf_triple *t = &g->v[i];
                for (size_t k = 0; k < FD_ELEMENTSOF(nexts); k++) {
                        if (strcmp(t->p.value, nexts[k]) != 0)
                                continue;
                        const char *iri = iri_of(&t->o);
                        if (!iri)
                                continue;
                        for (size_t v = 0; v < FD_ELEMENTSOF(views); v++)
                                if (fd_rdf_graph_has_type(g, &t->s, views[v]))
                                        return iri;
                        if (!any)
                                any = iri;
                }
        }
        return any;
}

/* ---- the datasets of a graph, one by one ----------------------------------------- */

struct each {
        struct fd_rdf_graph *g;
        fd_dcat_dataset_fn fn;
        void (*skip)(void *ud, const char *msg);
        void *ud;
        size_t n;
};

static void on_skip(void *ud, const char *msg) {
        struct each *c = ud;
        if (c->skip)
                c->skip(c->ud, msg);
}

/* One subject of a spilled graph: a dataset when it is typed as one, is
 * listed by a catalogue, or is a DataService that no distribution names as
 * its access service or that says which datasets it serves; then
 * described and handed over. */
static enum fd_status on_subject(void *ud, struct fd_rdf_graph *sub, const char *const *in, size_t n_in,
                                 struct fd_error *err) {
        struct each *c = ud;
        bool typed = false, service = false, listed = false, access = false, serves = false;
        enum fd_status st;

        for (size_t i = 0; i < sub->n; i++) {
                if (sub->v[i].o.kind == FD_RDF_IRI && strcmp(sub->v[i].p.value, RDF_TYPE) == 0) {
                        const char *ty = sub->v[i].o.value;
                        if (strcmp(ty, FD_NS_DCAT "DataService") == 0)
                                service = true;
                        else if (is_dataset_type(ty))
                                typed = true;
                }
                if (strcmp(sub->v[i].p.value, FD_NS_DCAT "servesDataset") == 0)
                        serves = true;
        }
        for (size_t i = 0; i < n_in; i++) {
                if (strcmp(in[i], FD_NS_DCAT "accessService") == 0)
                        access = true;
                else
                        listed = true;
        }
        const struct fd_rdf_term ds = sub->v[0].s;
        if ((!typed && !listed && !(service && (!access || serves))) || (ds.kind != FD_RDF_IRI && ds.kind != FD_RDF_BLANK))
                return FD_OK;
        struct fd_error e = {0};
        st = fd_rdf_graph_describe(c->g, sub, is_dataset_type, &e);
        if (st == FD_E_NOMEM)
                return fd_error_set(err, st, "%s", e.msg);
        if (st) {
                on_skip(c, e.msg);
                return FD_OK;
        }
        fd_rdf_graph_sort(sub);
        c->n++;
        return c->fn(c->ud, sub, &ds, err);
}

enum fd_status fd_dcat_each(struct fd_rdf_graph *g, fd_dcat_dataset_fn fn, void (*skip)(void *ud, const char *msg),
                            void *ud, size_t *ret_n, struct fd_error *err) {
        _fd_free_ struct fd_rdf_term *ds = NULL;
        size_t n = 0;
        enum fd_status st;

        if (fd_rdf_graph_spilled(g)) {
                struct each c = {.g = g, .fn = fn, .skip = skip, .ud = ud};
                if ((st = fd_rdf_graph_each_subject(g, on_subject, on_skip, &c, err)))
                        return st;
                *ret_n = c.n;
                return FD_OK;
        }
        fd_rdf_graph_sort(g);
        if ((st = datasets(g, &ds, &n, err)))
                return st;
        for (size_t i = 0; i < n; i++)
                if ((st = fn(ud, g, &ds[i], err)))
                        return st;
        *ret_n = n;
        return FD_OK;
}
