/* dcat.c: the catalogue as DCAT-AP 3 at /dcat (docs/federation.md).
 *
 * One page (FD_DCAT_PAGE records, in the (datestamp, id) order of
 * fd_index_changes, tombstones left out) is collected as triples, then
 * written by raptor2 (Turtle, RDF/XML) or as expanded JSON-LD (jansson:
 * raptor2 writes no JSON-LD).  The format comes from ?format= (ttl,
 * turtle, rdf, rdfxml, xml, jsonld, json-ld), else from Accept, else
 * Turtle.  Paging is Hydra's: the catalogue has a hydra:view, a
 * hydra:PartialCollectionView with hydra:first and hydra:next; ?after=
 * continues after a key the way OAI-PMH's tokens do, exact across commits.
 *
 * Each record is a dcat:Dataset (dcat:DataService for the resource type
 * Service) at <base_url/dcat/record/ID> with its normalized metadata, the
 * source as dct:source (its record at the source) and prov:wasDerivedFrom
 * (the source's endpoint), and its FAIR scores as DQV quality
 * measurements of the metrics <base_url/dcat#fair-overall>, …-F, -A, -I, -R.
 */
#include <jansson.h>
#include <raptor2.h>
#include <stdlib.h>
#include <string.h>

#include "../http.h"
#include "../ops/ops.h"
#include "fd_index.h"

#define FD_DCAT_PAGE 100

#define RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define DCAT "http://www.w3.org/ns/dcat#"
#define DCT "http://purl.org/dc/terms/"
#define FOAF "http://xmlns.com/foaf/0.1/"
#define PROV "http://www.w3.org/ns/prov#"
#define DQV "http://www.w3.org/ns/dqv#"
#define HYDRA "http://www.w3.org/ns/hydra/core#"
#define XSD "http://www.w3.org/2001/XMLSchema#"

enum node_kind { N_IRI, N_BLANK, N_LITERAL };

struct triple {
        const char *s, *p, *o;
        bool s_blank;
        enum node_kind kind;
        const char *lang, *datatype;  /* literals */
};

struct graph {
        struct fd_arena *a;
        struct triple *v;
        size_t n, cap;
        unsigned blanks;
        bool failed;
};

static void add(struct graph *g, const char *s, bool s_blank, const char *p, enum node_kind kind, const char *o,
                const char *lang, const char *datatype) {
        if (!s || !o || !*o || g->failed)
                return;
        struct triple *t = fd_arena_push(g->a, (void **)&g->v, &g->n, &g->cap, sizeof *t);
        if (!t) {
                g->failed = true;
                return;
        }
        *t = (struct triple){s, p, o, s_blank, kind, lang, datatype};
}

static void iri(struct graph *g, const char *s, const char *p, const char *o) { add(g, s, false, p, N_IRI, o, NULL, NULL); }

static void lit(struct graph *g, const char *s, bool s_blank, const char *p, const char *o, const char *lang,
                const char *dt) {
        add(g, s, s_blank, p, N_LITERAL, o, lang, dt);
}

static const char *blank(struct graph *g) {
        return fd_arena_printf(g->a, "b%u", ++g->blanks);
}

/* id percent-encoded for a path segment. */
static const char *record_iri(struct graph *g, const char *base, const char *id) {
        size_t n = strlen(id);
        size_t cap = strlen(base) + 14 + 3 * n + 1;
        char *out = fd_arena_alloc(g->a, cap);
        if (!out)
                return NULL;
        char *p = out + snprintf(out, cap, "%s/dcat/record/", base);
        for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char)id[i];
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("-._~:", c)) {
                        *p++ = (char)c;
                } else {
                        static const char hex[] = "0123456789ABCDEF";
                        *p++ = '%';
                        *p++ = hex[c >> 4];
                        *p++ = hex[c & 15];
                }
        }
        *p = '\0';
        return out;
}

static bool is_http(const char *s) {
        return s && (strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0);
}

/* One record's triples. */
static void record_triples(struct graph *g, const struct fd_http_request *req, const char *catalog,
                           const struct fd_change *c) {
        struct fd_record *r = NULL;
        struct fd_error err = {0};
        const char *base = req->config->http.base_url;
        const char *s = record_iri(g, base, c->id);
        char url[512];

        /* Parsed once: the record reads from it, and so do the FAIR scores below. */
        json_t *obj = s ? json_loads(c->record_json, 0, NULL) : NULL;
        if (!obj || fd_record_from_json(obj, g->a, &r, &err) != FD_OK) {
                json_decref(obj);
                return;
        }
        iri(g, catalog, DCAT "dataset", s);
        iri(g, s, RDF "type", r->resource_type && strcmp(r->resource_type, "Service") == 0 ? DCAT "DataService"
                                                                                           : DCAT "Dataset");
        lit(g, s, false, DCT "identifier", r->id, NULL, NULL);
        for (size_t i = 0; i < r->titles.n; i++)
                lit(g, s, false, DCT "title", r->titles.v[i].value, r->titles.v[i].lang, NULL);
        for (size_t i = 0; i < r->descriptions.n; i++)
                lit(g, s, false, DCT "description", r->descriptions.v[i].value, r->descriptions.v[i].lang, NULL);
        for (size_t i = 0; i < r->subjects.n; i++)
                lit(g, s, false, DCAT "keyword", r->subjects.v[i].value, NULL, NULL);
        for (size_t i = 0; i < r->languages.n; i++)
                lit(g, s, false, DCT "language", r->languages.v[i], NULL, NULL);
        for (size_t i = 0; i < r->creators.n; i++) {
                const char *b = blank(g);
                add(g, s, false, DCT "creator", N_BLANK, b, NULL, NULL);
                add(g, b, true, RDF "type", N_IRI, FOAF "Agent", NULL, NULL);
                lit(g, b, true, FOAF "name", r->creators.v[i].name, NULL, NULL);
        }
        if (r->publisher) {
                const char *b = blank(g);
                add(g, s, false, DCT "publisher", N_BLANK, b, NULL, NULL);
                add(g, b, true, RDF "type", N_IRI, FOAF "Agent", NULL, NULL);
                lit(g, b, true, FOAF "name", r->publisher, NULL, NULL);
        }
        for (size_t i = 0; i < r->dates.n; i++)
                if (r->dates.v[i].type && strcmp(r->dates.v[i].type, "issued") == 0)
                        lit(g, s, false, DCT "issued", r->dates.v[i].value, NULL, NULL);
        lit(g, s, false, DCT "modified", c->changed, NULL, XSD "dateTime");
        if (r->doi && fd_pid_url(FD_PID_DOI, r->doi, url, sizeof url))
                iri(g, s, "http://www.w3.org/2002/07/owl#sameAs", fd_arena_strdup(g->a, url));
        for (size_t i = 0; i < r->urls.n; i++)
                if (is_http(r->urls.v[i]))
                        iri(g, s, DCAT "landingPage", r->urls.v[i]);
        for (size_t i = 0; i < r->licenses.n; i++) {
                const struct fd_license *l = &r->licenses.v[i];
                const char *u = is_http(l->url) ? l->url
                                : l->spdx     ? fd_arena_printf(g->a, "http://spdx.org/licenses/%s", l->spdx)
                                              : NULL;
                if (u)
                        iri(g, s, DCT "license", u);
        }
        /* Provenance: the record at its source, and the source itself. */
        const struct fd_source_config *src = fd_config_source(req->config, r->source);
        if (is_http(r->local_id))
                iri(g, s, DCT "source", r->local_id);
        else
                lit(g, s, false, DCT "source", r->local_id, NULL, NULL);
        if (src && is_http(src->url))
                iri(g, s, PROV "wasDerivedFrom", src->url);

        /* FAIR scores as DQV measurements. */
        json_t *fair = json_object_get(obj, "fair");
        static const char *const keys[] = {"overall", "F", "A", "I", "R"};
        for (size_t i = 0; fair && i < FD_ELEMENTSOF(keys); i++) {
                json_t *v = json_object_get(fair, keys[i]);
                if (!json_is_integer(v))
                        continue;
                const char *m = blank(g);
                add(g, s, false, DQV "hasQualityMeasurement", N_BLANK, m, NULL, NULL);
                add(g, m, true, RDF "type", N_IRI, DQV "QualityMeasurement", NULL, NULL);
                add(g, m, true, DQV "isMeasurementOf", N_IRI, fd_arena_printf(g->a, "%s/dcat#fair-%s", base, keys[i]),
                    NULL, NULL);
                lit(g, m, true, DQV "value", fd_arena_printf(g->a, "%lld", (long long)json_integer_value(v)), NULL,
                    XSD "integer");
        }
        json_decref(obj);
}

/* ---- writers ------------------------------------------------------------ */

static raptor_term *term(raptor_world *w, const char *v, enum node_kind kind, const char *lang, const char *dt) {
        if (kind == N_IRI)
                return raptor_new_term_from_uri_string(w, (const unsigned char *)v);
        if (kind == N_BLANK)
                return raptor_new_term_from_blank(w, (const unsigned char *)v);
        raptor_uri *d = dt ? raptor_new_uri(w, (const unsigned char *)dt) : NULL;
        raptor_term *t = raptor_new_term_from_literal(w, (const unsigned char *)v, d,
                                                      (const unsigned char *)(dt ? NULL : lang));
        if (d)
                raptor_free_uri(d);
        return t;
}

static enum fd_status write_raptor(const struct graph *g, const char *syntax, char **ret, size_t *ret_len) {
        static const char *const ns[][2] = {{"dcat", DCAT}, {"dct", DCT}, {"foaf", FOAF}, {"prov", PROV},
                                            {"dqv", DQV}, {"hydra", HYDRA}, {"xsd", XSD}};
        raptor_world *w = raptor_new_world();
        raptor_serializer *ser = NULL;
        unsigned char *out = NULL;
        size_t len = 0;
        enum fd_status st = FD_E_NOMEM;

        if (!w || raptor_world_open(w) != 0 || !(ser = raptor_new_serializer(w, syntax)))
                goto done;
        for (size_t i = 0; i < FD_ELEMENTSOF(ns); i++) {
                raptor_uri *u = raptor_new_uri(w, (const unsigned char *)ns[i][1]);
                raptor_serializer_set_namespace(ser, u, (const unsigned char *)ns[i][0]);
                raptor_free_uri(u);
        }
        if (raptor_serializer_start_to_string(ser, NULL, (void **)&out, &len) != 0)
                goto done;
        for (size_t i = 0; i < g->n; i++) {
                const struct triple *t = &g->v[i];
                raptor_statement *s = raptor_new_statement_from_nodes(
                        w, term(w, t->s, t->s_blank ? N_BLANK : N_IRI, NULL, NULL), term(w, t->p, N_IRI, NULL, NULL),
                        term(w, t->o, t->kind, t->lang, t->datatype), NULL);
                if (!s)
                        goto done;
                raptor_serializer_serialize_statement(ser, s);
                raptor_free_statement(s);
        }
        if (raptor_serializer_serialize_end(ser) != 0)
                goto done;
        raptor_free_serializer(ser);
        ser = NULL;
        if (out) {
                *ret = malloc(len + 1);
                if (*ret) {
                        memcpy(*ret, out, len + 1);
                        *ret_len = len;
                        st = FD_OK;
                }
        }
done:
        if (ser)
                raptor_free_serializer(ser);
        if (out)
                raptor_free_memory(out);
        if (w)
                raptor_free_world(w);
        return st;
}

/* Expanded JSON-LD: one node object per subject, in first-seen order. */
static enum fd_status write_jsonld(const struct graph *g, char **ret, size_t *ret_len) {
        json_t *nodes = json_object(), *order = json_array();
        enum fd_status st = FD_E_NOMEM;

        for (size_t i = 0; nodes && order && i < g->n; i++) {
                const struct triple *t = &g->v[i];
                const char *id = t->s_blank ? fd_arena_printf(g->a, "_:%s", t->s) : t->s;
                json_t *node = json_object_get(nodes, id);
                if (!node) {
                        node = json_pack("{s:s}", "@id", id);
                        json_object_set_new(nodes, id, node);
                        json_array_append_new(order, json_string(id));
                }
                bool type = strcmp(t->p, RDF "type") == 0 && t->kind == N_IRI;
                const char *key = type ? "@type" : t->p;
                json_t *list = json_object_get(node, key);
                if (!list) {
                        list = json_array();
                        json_object_set_new(node, key, list);
                }
                json_t *v;
                if (type)
                        v = json_string(t->o);
                else if (t->kind == N_IRI)
                        v = json_pack("{s:s}", "@id", t->o);
                else if (t->kind == N_BLANK)
                        v = json_pack("{s:s+}", "@id", "_:", t->o);
                else if (t->datatype)
                        v = json_pack("{s:s,s:s}", "@value", t->o, "@type", t->datatype);
                else if (t->lang)
                        v = json_pack("{s:s,s:s}", "@value", t->o, "@language", t->lang);
                else
                        v = json_pack("{s:s}", "@value", t->o);
                json_array_append_new(list, v);
        }
        json_t *out = json_array();
        size_t i;
        json_t *id;
        json_array_foreach(order, i, id) json_array_append(out, json_object_get(nodes, json_string_value(id)));
        char *text = out ? json_dumps(out, JSON_COMPACT) : NULL;
        if (text) {
                *ret = text;
                *ret_len = strlen(text);
                st = FD_OK;
        }
        json_decref(out);
        json_decref(order);
        json_decref(nodes);
        return st;
}

/* ---- route -------------------------------------------------------------- */

enum syntax { S_TURTLE, S_RDFXML, S_JSONLD };

static bool pick(const struct fd_http_request *req, enum syntax *ret) {
        const char *f = fd_http_arg(req, "format"), *accept = fd_http_header(req, "Accept");

        if (f) {
                if (!strcmp(f, "ttl") || !strcmp(f, "turtle"))
                        *ret = S_TURTLE;
                else if (!strcmp(f, "rdf") || !strcmp(f, "rdfxml") || !strcmp(f, "xml"))
                        *ret = S_RDFXML;
                else if (!strcmp(f, "jsonld") || !strcmp(f, "json-ld"))
                        *ret = S_JSONLD;
                else
                        return false;
                return true;
        }
        *ret = S_TURTLE;
        if (accept && strstr(accept, "application/ld+json"))
                *ret = S_JSONLD;
        else if (accept && strstr(accept, "application/rdf+xml"))
                *ret = S_RDFXML;
        return true;
}

enum fd_status fd_http_dcat(const struct fd_http_request *req, struct fd_http_answer *a) {
        static const char *const types[] = {"text/turtle; charset=utf-8", "application/rdf+xml",
                                            "application/ld+json"};
        static const char *const names[] = {"ttl", "rdfxml", "jsonld"};
        _fd_cleanup_(fd_arena_freep) struct fd_arena *arena = fd_arena_new(256u << 20);
        _fd_cleanup_(fd_change_list_freep) struct fd_change_list *l = NULL;
        const char *base = req->config->http.base_url, *after = fd_http_arg(req, "after");
        struct fd_index *idx = NULL;
        struct fd_error err = {0};
        enum syntax syn;
        enum fd_status st;

        if (!arena)
                return FD_E_NOMEM;
        if (!pick(req, &syn))
                return fd_http_answer_text(a, 406, "text/plain; charset=utf-8",
                                           "format is one of ttl, rdfxml, jsonld\n");
        _fd_free_ char *key = after ? fd_http_unhex(after, 4096) : NULL;
        if (after && !key)
                return fd_http_answer_text(a, 400, "text/plain; charset=utf-8", "after is not a page key\n");
        struct fd_change_request cr = {.after = key, .limit = FD_DCAT_PAGE, .total = true, .record_json = true,
                                       .live_only = true};
        struct graph g = {.a = arena};
        const char *catalog = fd_arena_printf(arena, "%s/dcat", base);
        const char *page = after ? fd_arena_printf(arena, "%s/dcat?format=%s&after=%s", base, names[syn], after)
                                 : fd_arena_printf(arena, "%s/dcat?format=%s", base, names[syn]);
        iri(&g, catalog, RDF "type", DCAT "Catalog");
        iri(&g, catalog, RDF "type", HYDRA "Collection");
        lit(&g, catalog, false, DCT "title", req->config->http.repository_name, NULL, NULL);
        iri(&g, catalog, HYDRA "view", page);
        iri(&g, page, RDF "type", HYDRA "PartialCollectionView");
        iri(&g, page, HYDRA "first", fd_arena_printf(arena, "%s/dcat?format=%s", base, names[syn]));
        st = fd_protocol_reader(req->ctx, &idx, &err);
        if (st == FD_OK)
                st = fd_index_changes(idx, &cr, &l, &err);
        uint64_t total = l ? l->total : 0;
        if (st == FD_OK && key) {
                /* The count above is of the rest of the list: the collection's is from its start. */
                _fd_cleanup_(fd_change_list_freep) struct fd_change_list *all = NULL;
                struct fd_change_request whole = {.limit = 1, .total = true, .live_only = true};
                st = fd_index_changes(idx, &whole, &all, &err);
                total = all ? all->total : 0;
        }
        if (st == FD_OK) {
                lit(&g, catalog, false, HYDRA "totalItems", fd_arena_printf(arena, "%llu", (unsigned long long)total),
                    NULL, XSD "integer");
                for (size_t i = 0; i < l->n; i++)
                        record_triples(&g, req, catalog, &l->v[i]);
                if (l->next) {
                        _fd_free_ char *next = fd_http_hex(l->next);
                        if (!next)
                                return FD_E_NOMEM;
                        iri(&g, page, HYDRA "next",
                            fd_arena_printf(arena, "%s/dcat?format=%s&after=%s", base, names[syn], next));
                }
        } else if (st != FD_E_NOTFOUND) {
                return st;
        }
        if (g.failed)
                return FD_E_NOMEM;
        st = syn == S_JSONLD ? write_jsonld(&g, &a->body, &a->len)
                             : write_raptor(&g, syn == S_TURTLE ? "turtle" : "rdfxml-abbrev", &a->body, &a->len);
        if (st)
                return st;
        a->status = 200;
        a->content_type = types[syn];
        return FD_OK;
}
