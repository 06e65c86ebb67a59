/* jsonld.c: JSON-LD 1.1 expansion and toRdf, as far as catalogues use them.
 *
 * Debian has no C JSON-LD library, so this is our own, over jansson: the
 * expansion algorithm produces expanded JSON (jansson values), and the
 * RDF conversion walks it directly, emitting each node's triples as it
 * meets the node (the flattening node map is not needed to produce the
 * same set of quads; blank node labels are relabelled consistently).
 * Active contexts are jansson objects: "terms" maps a term to its
 * processed definition ({"@id", "@type", "@container": [..],
 * "@language", "@reverse", "prefix"}), plus "@base", "@vocab" and
 * "@language".  Remote contexts come only from the bundled table; what is
 * not supported is listed in docs/dcat.md.  Depth and context nesting are
 * bounded so a hostile document cannot recurse without end.
 */
#include <ctype.h>
#include <math.h>
#include <strings.h>

#include "rdf.h"

#define MAX_DEPTH 64
#define MAX_CONTEXTS 32

struct jl {
        const struct fd_jsonld_opts *o;
        fd_jsonld_quad_fn fn;
        void *ud;
        struct fd_error *err;
        enum fd_status st;
        json_t *labels;       /* document blank label -> our label */
        unsigned long n_blank;
        int n_remote;
};

static enum fd_status fail(struct jl *j, enum fd_status st, const char *code, const char *detail) {
        if (!j->st) {
                j->st = st;
                fd_error_set(j->err, st, "'%s': JSON-LD %s%s%.200s", j->o->where ? j->o->where : "document", code,
                             detail ? ": " : "", detail ? detail : "");
        }
        return j->st;
}

static bool is_keyword(const char *s) {
        static const char *const kw[] = {"@base", "@container", "@context", "@direction", "@graph", "@id",
                                         "@import", "@included", "@index", "@json", "@language", "@list",
                                         "@nest", "@none", "@prefix", "@propagate", "@protected", "@reverse",
                                         "@set", "@type", "@value", "@version", "@vocab"};
        for (size_t i = 0; i < FD_ELEMENTSOF(kw); i++)
                if (strcmp(s, kw[i]) == 0)
                        return true;
        return false;
}

static bool keyword_like(const char *s) {
        if (s[0] != '@' || !s[1])
                return false;
        for (const char *p = s + 1; *p; p++)
                if (!isalpha((unsigned char)*p))
                        return false;
        return true;
}

static bool is_absolute(const char *s) {
        const char *c = strchr(s, ':');
        if (!c || c == s || !isalpha((unsigned char)s[0]))
                return false;
        for (const char *p = s; p < c; p++)
                if (!isalnum((unsigned char)*p) && *p != '+' && *p != '-' && *p != '.')
                        return false;
        return true;
}

/* ---- IRI resolution (RFC 3986 section 5.2) --------------------------------------- */

static void pop_segment(char *out, size_t *n) {
        while (*n > 0 && out[*n - 1] != '/')
                (*n)--;
        if (*n > 0)
                (*n)--;
}

/* RFC 3986 5.2.4, in place. */
static void remove_dots(char *path) {
        char *copy = strdup(path);
        const char *in = copy;
        size_t n = 0;

        if (!copy)
                return;
        while (*in) {
                if (strncmp(in, "../", 3) == 0)
                        in += 3;
                else if (strncmp(in, "./", 2) == 0)
                        in += 2;
                else if (strncmp(in, "/./", 3) == 0)
                        in += 2;
                else if (strcmp(in, "/.") == 0)
                        in = "/";
                else if (strncmp(in, "/../", 4) == 0) {
                        in += 3;
                        pop_segment(path, &n);
                } else if (strcmp(in, "/..") == 0) {
                        in = "/";
                        pop_segment(path, &n);
                } else if (strcmp(in, ".") == 0 || strcmp(in, "..") == 0)
                        in += strlen(in);
                else {
                        if (*in == '/')
                                path[n++] = *in++;
                        while (*in && *in != '/')
                                path[n++] = *in++;
                }
        }
        path[n] = '\0';
        free(copy);
}

/* Splits an IRI into scheme, authority, path, query, fragment (pointers into a copy). */
struct iri {
        char *scheme, *auth, *path, *query, *frag;
        char *mem;
};

static bool iri_split(const char *s, struct iri *r) {
        memset(r, 0, sizeof *r);
        if (!(r->mem = strdup(s)))
                return false;
        char *p = r->mem, *h;
        if ((h = strchr(p, '#'))) {
                *h = '\0';
                r->frag = h + 1;
        }
        if ((h = strchr(p, '?'))) {
                *h = '\0';
                r->query = h + 1;
        }
        if (is_absolute(p)) {
                h = strchr(p, ':');
                *h = '\0';
                r->scheme = p;
                p = h + 1;
        }
        if (p[0] == '/' && p[1] == '/') {
                p += 2;
                h = strchr(p, '/');
                size_t n = h ? (size_t)(h - p) : strlen(p);
                r->auth = strndup(p, n);
                p += n;
        }
        r->path = p;
        return true;
}

static void iri_free(struct iri *r) {
        free(r->auth);
        free(r->mem);
}

/* The reference resolved against base into a new string (NULL on OOM). */
static char *resolve_iri(const char *base, const char *ref) {
        struct iri b, r;
        char *out = NULL, *path = NULL;
        const char *scheme, *auth, *query, *frag;

        if (!base || !base[0] || is_absolute(ref))
                return strdup(ref);
        if (!iri_split(base, &b))
                return NULL;
        if (!iri_split(ref, &r)) {
                iri_free(&b);
                return NULL;
        }
        scheme = b.scheme;
        frag = r.frag;
        if (r.auth) {
                auth = r.auth;
                path = strdup(r.path);
                query = r.query;
        } else {
                auth = b.auth;
                if (!r.path[0]) {
                        path = strdup(b.path);
                        query = r.query ? r.query : b.query;
                } else {
                        if (r.path[0] == '/')
                                path = strdup(r.path);
                        else {
                                const char *slash = strrchr(b.path, '/');
                                size_t n = slash ? (size_t)(slash - b.path) + 1 : 0;
                                if (b.auth && !b.path[0])
                                        asprintf(&path, "/%s", r.path) < 0 ? (void)(path = NULL) : (void)0;
                                else
                                        asprintf(&path, "%.*s%s", (int)n, b.path, r.path) < 0 ? (void)(path = NULL)
                                                                                              : (void)0;
                        }
                        query = r.query;
                }
        }
        if (path) {
                remove_dots(path);
                if (asprintf(&out, "%s%s%s%s%s%s%s%s%s", scheme ? scheme : "", scheme ? ":" : "", auth ? "//" : "",
                             auth ? auth : "", path, query ? "?" : "", query ? query : "", frag ? "#" : "",
                             frag ? frag : "") < 0)
                        out = NULL;
        }
        free(path);
        iri_free(&b);
        iri_free(&r);
        return out;
}

/* ---- contexts -------------------------------------------------------------------- */

static json_t *new_context(const char *base) {
        json_t *c = json_object();
        json_object_set_new(c, "terms", json_object());
        if (base)
                json_object_set_new(c, "@base", json_string(base));
        return c;
}

static json_t *term_def(json_t *ctx, const char *term) {
        return json_object_get(json_object_get(ctx, "terms"), term);
}

static bool has_container(json_t *def, const char *c) {
        json_t *cs = json_object_get(def, "@container"), *x;
        size_t i;
        json_array_foreach(cs, i, x) if (strcmp(json_string_value(x), c) == 0) return true;
        return false;
}

static enum fd_status define_term(struct jl *j, json_t *active, json_t *local, const char *term, json_t *defined,
                                  int depth);

/* IRI expansion; local/defined are given while a context is processed.
 * Returns a new string, or NULL (null mapping). */
static char *expand_iri(struct jl *j, json_t *active, const char *value, bool docrel, bool vocab, json_t *local,
                        json_t *defined, int depth) {
        if (is_keyword(value))
                return strdup(value);
        if (keyword_like(value))
                return NULL;
        if (local && json_object_get(local, value) && !json_is_true(json_object_get(defined, value)))
                define_term(j, active, local, value, defined, depth + 1);
        json_t *def = term_def(active, value);
        if (vocab && def) {
                const char *id = json_string_value(json_object_get(def, "@id"));
                return id ? strdup(id) : NULL;
        }
        const char *colon = strchr(value, ':');
        if (colon && colon != value) {
                size_t n = (size_t)(colon - value);
                char prefix[256];
                const char *suffix = colon + 1;
                if (n < sizeof prefix) {
                        memcpy(prefix, value, n);
                        prefix[n] = '\0';
                        if (strcmp(prefix, "_") == 0 || (suffix[0] == '/' && suffix[1] == '/'))
                                return strdup(value);
                        if (local && json_object_get(local, prefix) && !json_is_true(json_object_get(defined, prefix)))
                                define_term(j, active, local, prefix, defined, depth + 1);
                        json_t *pd = term_def(active, prefix);
                        const char *pid = json_string_value(json_object_get(pd, "@id"));
                        if (pd && pid && json_is_true(json_object_get(pd, "prefix"))) {
                                char *out = NULL;
                                return asprintf(&out, "%s%s", pid, suffix) < 0 ? NULL : out;
                        }
                }
                if (is_absolute(value))
                        return strdup(value);
        }
        const char *v = json_string_value(json_object_get(active, "@vocab"));
        if (vocab && v) {
                char *out = NULL;
                return asprintf(&out, "%s%s", v, value) < 0 ? NULL : out;
        }
        if (docrel) {
                json_t *b = json_object_get(active, "@base");
                if (json_is_null(b))
                        return strdup(value);
                return resolve_iri(json_string_value(b), value);
        }
        return strdup(value);
}

static bool gen_delim_end(const char *iri) {
        size_t n = strlen(iri);
        return n && strchr(":/?#[]@", iri[n - 1]);
}

static enum fd_status define_term(struct jl *j, json_t *active, json_t *local, const char *term, json_t *defined,
                                  int depth) {
        json_t *state = json_object_get(defined, term);
        if (json_is_true(state))
                return FD_OK;
        if (state)
                return fail(j, FD_E_PARSE, "cyclic IRI mapping", term);
        if (depth > MAX_DEPTH)
                return fail(j, FD_E_LIMIT, "context too deep", term);
        json_object_set_new(defined, term, json_false());
        json_t *value = json_object_get(local, term);
        json_t *terms = json_object_get(active, "terms");

        if (is_keyword(term) || (keyword_like(term) && term[0] == '@')) {
                json_object_set_new(defined, term, json_true());
                return FD_OK;
        }
        json_object_del(terms, term);
        json_t *def = json_object();
        bool simple = false;
        if (json_is_null(value)) {
                json_object_set_new(def, "@id", json_null());
                json_object_set_new(terms, term, def);
                json_object_set_new(defined, term, json_true());
                return FD_OK;
        }
        if (json_is_string(value)) {
                json_t *o = json_pack("{s:O}", "@id", value);
                value = o;
                simple = true;
        } else if (json_is_object(value))
                json_incref(value);
        else {
                json_decref(def);
                return fail(j, FD_E_PARSE, "invalid term definition", term);
        }

        json_t *rev = json_object_get(value, "@reverse");
        json_t *id = json_object_get(value, "@id");
        char *iri = NULL;
        if (rev) {
                if (!json_is_string(rev)) {
                        json_decref(value);
                        json_decref(def);
                        return fail(j, FD_E_PARSE, "invalid IRI mapping", term);
                }
                iri = expand_iri(j, active, json_string_value(rev), false, true, local, defined, depth);
                json_object_set_new(def, "@reverse", json_true());
        } else if (id && !(json_is_string(id) && strcmp(json_string_value(id), term) == 0)) {
                if (json_is_null(id))
                        iri = NULL;
                else if (!json_is_string(id)) {
                        json_decref(value);
                        json_decref(def);
                        return fail(j, FD_E_PARSE, "invalid IRI mapping", term);
                } else if (keyword_like(json_string_value(id)) && !is_keyword(json_string_value(id))) {
                        iri = NULL;
                } else {
                        iri = expand_iri(j, active, json_string_value(id), false, true, local, defined, depth);
                        if (iri && strcmp(iri, "@context") == 0) {
                                free(iri);
                                json_decref(value);
                                json_decref(def);
                                return fail(j, FD_E_PARSE, "invalid keyword alias", term);
                        }
                }
                if (iri && simple && !strchr(term, ':') && gen_delim_end(iri))
                        json_object_set_new(def, "prefix", json_true());
        } else if (strchr(term + 1, ':')) {
                const char *colon = strchr(term + 1, ':');
                char prefix[256];
                size_t n = (size_t)(colon - term);
                if (n < sizeof prefix && !(colon[1] == '/' && colon[2] == '/')) {
                        memcpy(prefix, term, n);
                        prefix[n] = '\0';
                        if (json_object_get(local, prefix))
                                define_term(j, active, local, prefix, defined, depth + 1);
                }
                iri = expand_iri(j, active, term, false, true, NULL, NULL, depth);
        } else if (json_string_value(json_object_get(active, "@vocab"))) {
                if (asprintf(&iri, "%s%s", json_string_value(json_object_get(active, "@vocab")), term) < 0)
                        iri = NULL;
        } else {
                iri = NULL;  /* no IRI: the term is ignored */
        }
        json_object_set_new(def, "@id", iri ? json_string(iri) : json_null());
        free(iri);
        json_t *pfx = json_object_get(value, "@prefix");
        if (json_is_boolean(pfx))
                json_object_set_new(def, "prefix", json_boolean(json_is_true(pfx)));

        json_t *type = json_object_get(value, "@type");
        if (type) {
                if (!json_is_string(type)) {
                        json_decref(value);
                        json_decref(def);
                        return fail(j, FD_E_PARSE, "invalid type mapping", term);
                }
                char *t = expand_iri(j, active, json_string_value(type), false, true, local, defined, depth);
                if (t)
                        json_object_set_new(def, "@type", json_string(t));
                free(t);
        }
        json_t *cont = json_object_get(value, "@container");
        if (cont) {
                json_t *arr = json_array();
                if (json_is_string(cont))
                        json_array_append(arr, cont);
                else if (json_is_array(cont))
                        json_array_extend(arr, cont);
                json_object_set_new(def, "@container", arr);
        }
        if (json_object_get(value, "@language")) {
                json_t *l = json_object_get(value, "@language");
                if (json_is_string(l)) {
                        char *low = strdup(json_string_value(l));
                        for (char *p = low; p && *p; p++)
                                *p = (char)tolower((unsigned char)*p);
                        json_object_set_new(def, "@language", json_string(low ? low : ""));
                        free(low);
                } else
                        json_object_set_new(def, "@language", json_null());
        }
        if (json_object_get(value, "@context"))
                json_object_set(def, "@context", json_object_get(value, "@context"));
        json_decref(value);
        json_object_set_new(terms, term, def);
        json_object_set_new(defined, term, json_true());
        return j->st;
}

/* A new active context: active updated with local (a context value). */
static json_t *process_context(struct jl *j, json_t *active, json_t *local, int depth, bool remote) {
        json_t *result = json_deep_copy(active);
        json_t *list = json_is_array(local) ? json_incref(local) : json_pack("[O]", local);

        if (depth > MAX_CONTEXTS) {
                fail(j, FD_E_LIMIT, "context overflow", NULL);
                goto out;
        }
        size_t i;
        json_t *c;
        json_array_foreach(list, i, c) {
                if (j->st)
                        break;
                if (json_is_null(c)) {
                        json_t *b = json_object_get(result, "@base");
                        json_t *fresh = new_context(NULL);
                        json_t *ob = json_object_get(active, "@base");
                        (void)b;
                        if (ob)
                                json_object_set(fresh, "@base", ob);
                        json_decref(result);
                        result = fresh;
                        continue;
                }
                if (json_is_string(c)) {
                        const char *url = json_string_value(c);
                        _fd_free_ char *abs = NULL;
                        const char *b = json_string_value(json_object_get(result, "@base"));
                        abs = resolve_iri(b ? b : j->o->base, url);
                        const char *text = fd_jsonld_bundled(abs ? abs : url);
                        if (!text) {
                                fail(j, FD_E_UNSUPPORTED, "remote context not bundled (never fetched)", url);
                                break;
                        }
                        if (++j->n_remote > MAX_CONTEXTS * 8) {
                                fail(j, FD_E_LIMIT, "context overflow", url);
                                break;
                        }
                        json_t *doc = json_loads(text, 0, NULL);
                        json_t *inner = json_object_get(doc, "@context");
                        if (!inner) {
                                json_decref(doc);
                                fail(j, FD_E_PARSE, "invalid remote context", url);
                                break;
                        }
                        json_t *next = process_context(j, result, inner, depth + 1, true);
                        json_decref(doc);
                        json_decref(result);
                        result = next;
                        continue;
                }
                if (!json_is_object(c)) {
                        fail(j, FD_E_PARSE, "invalid local context", NULL);
                        break;
                }
                if (json_object_get(c, "@import")) {
                        fail(j, FD_E_UNSUPPORTED, "@import is not supported", NULL);
                        break;
                }
                json_t *v = json_object_get(c, "@version");
                if (v && !(json_is_number(v) && json_number_value(v) == 1.1)) {
                        fail(j, FD_E_PARSE, "invalid @version value", NULL);
                        break;
                }
                if (v && j->o->json_1_0) {
                        fail(j, FD_E_PARSE, "processing mode conflict", NULL);
                        break;
                }
                json_t *base = json_object_get(c, "@base");
                if (base && !remote) {
                        if (json_is_null(base))
                                json_object_set_new(result, "@base", json_null());
                        else if (json_is_string(base)) {
                                const char *cur = json_string_value(json_object_get(result, "@base"));
                                char *nb = resolve_iri(cur, json_string_value(base));
                                json_object_set_new(result, "@base", json_string(nb ? nb : ""));
                                free(nb);
                        } else {
                                fail(j, FD_E_PARSE, "invalid base IRI", NULL);
                                break;
                        }
                }
                json_t *vocab = json_object_get(c, "@vocab");
                if (vocab) {
                        if (json_is_null(vocab))
                                json_object_del(result, "@vocab");
                        else if (json_is_string(vocab)) {
                                char *e = expand_iri(j, result, json_string_value(vocab), true, true, NULL, NULL,
                                                     depth);
                                if (e)
                                        json_object_set_new(result, "@vocab", json_string(e));
                                free(e);
                        } else {
                                fail(j, FD_E_PARSE, "invalid vocab mapping", NULL);
                                break;
                        }
                }
                json_t *lang = json_object_get(c, "@language");
                if (lang) {
                        if (json_is_null(lang))
                                json_object_del(result, "@language");
                        else if (json_is_string(lang)) {
                                char *low = strdup(json_string_value(lang));
                                for (char *p = low; p && *p; p++)
                                        *p = (char)tolower((unsigned char)*p);
                                json_object_set_new(result, "@language", json_string(low ? low : ""));
                                free(low);
                        } else {
                                fail(j, FD_E_PARSE, "invalid default language", NULL);
                                break;
                        }
                }
                json_t *defined = json_object();
                const char *key;
                json_t *val;
                json_object_foreach(c, key, val) {
                        if (strcmp(key, "@base") == 0 || strcmp(key, "@vocab") == 0 ||
                            strcmp(key, "@language") == 0 || strcmp(key, "@version") == 0 ||
                            strcmp(key, "@protected") == 0 || strcmp(key, "@propagate") == 0 ||
                            strcmp(key, "@direction") == 0)
                                continue;
                        if (define_term(j, result, c, key, defined, depth))
                                break;
                }
                json_decref(defined);
        }
out:
        json_decref(list);
        return result;
}

/* ---- expansion ----------------------------------------------------------------------- */

static json_t *expand(struct jl *j, json_t *ctx, const char *prop, json_t *el, int depth);

static json_t *lower_lang(const char *l) {
        char *low = strdup(l);
        for (char *p = low; p && *p; p++)
                *p = (char)tolower((unsigned char)*p);
        json_t *r = json_string(low ? low : "");
        free(low);
        return r;
}

static json_t *expand_value(struct jl *j, json_t *ctx, const char *prop, json_t *value) {
        json_t *def = prop ? term_def(ctx, prop) : NULL;
        const char *type = json_string_value(json_object_get(def, "@type"));

        if (type && json_is_string(value) && (strcmp(type, "@id") == 0 || strcmp(type, "@vocab") == 0)) {
                char *iri = expand_iri(j, ctx, json_string_value(value), true, strcmp(type, "@vocab") == 0, NULL,
                                       NULL, 0);
                json_t *r = json_pack("{s:s?}", "@id", iri);
                free(iri);
                return r;
        }
        json_t *r = json_pack("{s:O}", "@value", value);
        if (type && strcmp(type, "@id") != 0 && strcmp(type, "@vocab") != 0 && strcmp(type, "@none") != 0)
                json_object_set_new(r, "@type", json_string(type));
        else if (json_is_string(value)) {
                json_t *l = def ? json_object_get(def, "@language") : NULL;
                if (!l)
                        l = json_object_get(ctx, "@language");
                if (json_is_string(l))
                        json_object_set(r, "@language", l);
        }
        return r;
}

static void append_values(json_t *obj, const char *key, json_t *v) {
        json_t *arr = json_object_get(obj, key);
        if (!arr) {
                arr = json_array();
                json_object_set_new(obj, key, arr);
        }
        if (json_is_array(v))
                json_array_extend(arr, v);
        else
                json_array_append(arr, v);
}

static json_t *as_array(json_t *v) {
        if (json_is_array(v))
                return json_incref(v);
        return json_pack("[O]", v);
}

static void expand_keys(struct jl *j, json_t *ctx, json_t *el, json_t *result, int depth);

static void expand_property(struct jl *j, json_t *ctx, json_t *result, const char *key, const char *iri,
                            json_t *value, int depth) {
        json_t *def = term_def(ctx, key);
        json_t *ev = NULL;

        if (def && json_object_get(def, "@context")) {
                json_t *scoped = process_context(j, ctx, json_object_get(def, "@context"), 0, false);
                json_t *d2 = term_def(scoped, key);
                if (!d2)
                        json_object_set(json_object_get(scoped, "terms"), key, def);
                ev = expand(j, scoped, key, value, depth + 1);
                json_decref(scoped);
        } else if (has_container(def, "@language") && json_is_object(value)) {
                ev = json_array();
                const char *lk;
                json_t *lv;
                json_object_foreach(value, lk, lv) {
                        json_t *items = as_array(lv), *x;
                        size_t i;
                        json_array_foreach(items, i, x) {
                                if (json_is_null(x))
                                        continue;
                                if (!json_is_string(x)) {
                                        fail(j, FD_E_PARSE, "invalid language map value", key);
                                        break;
                                }
                                json_t *v = json_pack("{s:O}", "@value", x);
                                char *e = expand_iri(j, ctx, lk, false, true, NULL, NULL, 0);
                                if (strcmp(lk, "@none") != 0 && !(e && strcmp(e, "@none") == 0))
                                        json_object_set_new(v, "@language", lower_lang(lk));
                                free(e);
                                json_array_append_new(ev, v);
                        }
                        json_decref(items);
                }
        } else if ((has_container(def, "@index") || has_container(def, "@id") || has_container(def, "@type")) &&
                   json_is_object(value)) {
                ev = json_array();
                const char *ik;
                json_t *iv;
                bool idmap = has_container(def, "@id"), typemap = has_container(def, "@type");
                json_object_foreach(value, ik, iv) {
                        json_t *x = expand(j, ctx, key, iv, depth + 1);
                        json_t *items = x ? as_array(x) : json_array(), *it;
                        size_t i;
                        json_decref(x);
                        json_array_foreach(items, i, it) {
                                if (idmap && strcmp(ik, "@none") != 0 && !json_object_get(it, "@id")) {
                                        char *e = expand_iri(j, ctx, ik, true, false, NULL, NULL, 0);
                                        json_object_set_new(it, "@id", json_string(e ? e : ik));
                                        free(e);
                                } else if (typemap && strcmp(ik, "@none") != 0) {
                                        char *e = expand_iri(j, ctx, ik, true, true, NULL, NULL, 0);
                                        json_t *types = json_object_get(it, "@type");
                                        json_t *nt = json_pack("[s]", e ? e : ik);
                                        if (types)
                                                json_array_extend(nt, types);
                                        json_object_set_new(it, "@type", nt);
                                        free(e);
                                }
                                json_array_append(ev, it);
                        }
                        json_decref(items);
                }
        } else
                ev = expand(j, ctx, key, value, depth + 1);

        if (!ev || json_is_null(ev)) {
                json_decref(ev);
                return;
        }
        if (has_container(def, "@list") && !(json_is_object(ev) && json_object_get(ev, "@list"))) {
                json_t *l = json_pack("{s:o}", "@list", as_array(ev));
                json_decref(ev);
                ev = l;
        }
        if (json_is_true(json_object_get(def, "@reverse"))) {
                json_t *rmap = json_object_get(result, "@reverse");
                if (!rmap) {
                        rmap = json_object();
                        json_object_set_new(result, "@reverse", rmap);
                }
                append_values(rmap, iri, ev);
        } else
                append_values(result, iri, ev);
        json_decref(ev);
}

static void expand_keys(struct jl *j, json_t *ctx, json_t *el, json_t *result, int depth) {
        const char *key;
        json_t *value;

        json_object_foreach(el, key, value) {
                if (j->st)
                        return;
                if (strcmp(key, "@context") == 0)
                        continue;
                char *iri = expand_iri(j, ctx, key, false, true, NULL, NULL, 0);
                if (!iri || (!strchr(iri, ':') && !is_keyword(iri))) {
                        free(iri);
                        continue;
                }
                if (!is_keyword(iri)) {
                        expand_property(j, ctx, result, key, iri, value, depth);
                        free(iri);
                        continue;
                }
                if (strcmp(iri, "@reverse") != 0 && strcmp(iri, "@nest") != 0 && strcmp(iri, "@type") != 0 &&
                    strcmp(iri, "@included") != 0 && json_object_get(result, iri)) {
                        free(iri);
                        fail(j, FD_E_PARSE, "colliding keywords", key);
                        return;
                }
                if (strcmp(iri, "@id") == 0) {
                        if (!json_is_string(value)) {
                                fail(j, FD_E_PARSE, "invalid @id value", key);
                        } else {
                                char *e = expand_iri(j, ctx, json_string_value(value), true, false, NULL, NULL, 0);
                                json_object_set_new(result, "@id", e ? json_string(e) : json_null());
                                free(e);
                        }
                } else if (strcmp(iri, "@type") == 0) {
                        json_t *arr = json_object_get(result, "@type");
                        if (!arr) {
                                arr = json_array();
                                json_object_set_new(result, "@type", arr);
                        }
                        json_t *items = as_array(value), *t;
                        size_t i;
                        json_array_foreach(items, i, t) {
                                if (!json_is_string(t)) {
                                        fail(j, FD_E_PARSE, "invalid type value", key);
                                        break;
                                }
                                char *e = expand_iri(j, ctx, json_string_value(t), true, true, NULL, NULL, 0);
                                if (e)
                                        json_array_append_new(arr, json_string(e));
                                free(e);
                        }
                        json_decref(items);
                } else if (strcmp(iri, "@graph") == 0) {
                        json_t *g = expand(j, ctx, "@graph", value, depth + 1);
                        json_object_set_new(result, "@graph", g ? as_array(g) : json_array());
                        json_decref(g);
                } else if (strcmp(iri, "@value") == 0) {
                        if (json_is_object(value) || json_is_array(value))
                                fail(j, FD_E_PARSE, "invalid value object value", key);
                        else
                                json_object_set(result, "@value", value);
                } else if (strcmp(iri, "@language") == 0) {
                        if (!json_is_string(value))
                                fail(j, FD_E_PARSE, "invalid language-tagged string", key);
                        else
                                json_object_set_new(result, "@language", lower_lang(json_string_value(value)));
                } else if (strcmp(iri, "@index") == 0) {
                        if (!json_is_string(value))
                                fail(j, FD_E_PARSE, "invalid @index value", key);
                        else
                                json_object_set(result, "@index", value);
                } else if (strcmp(iri, "@list") == 0) {
                        json_t *l = expand(j, ctx, NULL, value, depth + 1);
                        json_object_set_new(result, "@list", l ? as_array(l) : json_array());
                        json_decref(l);
                } else if (strcmp(iri, "@set") == 0) {
                        json_t *s = expand(j, ctx, NULL, value, depth + 1);
                        json_object_set_new(result, "@set", s ? as_array(s) : json_array());
                        json_decref(s);
                } else if (strcmp(iri, "@reverse") == 0) {
                        if (!json_is_object(value)) {
                                fail(j, FD_E_PARSE, "invalid @reverse value", key);
                        } else {
                                json_t *rv = expand(j, ctx, "@reverse", value, depth + 1);
                                const char *rk;
                                json_t *rvv;
                                json_t *rmap = json_object_get(result, "@reverse");
                                if (!rmap) {
                                        rmap = json_object();
                                        json_object_set_new(result, "@reverse", rmap);
                                }
                                json_object_foreach(rv, rk, rvv) {
                                        if (strcmp(rk, "@reverse") == 0) {
                                                const char *k2;
                                                json_t *v2;
                                                json_object_foreach(rvv, k2, v2) append_values(result, k2, v2);
                                        } else
                                                append_values(rmap, rk, rvv);
                                }
                                json_decref(rv);
                        }
                } else if (strcmp(iri, "@nest") == 0) {
                        json_t *items = as_array(value), *n;
                        size_t i;
                        json_array_foreach(items, i, n) if (json_is_object(n)) expand_keys(j, ctx, n, result, depth + 1);
                        json_decref(items);
                } else if (strcmp(iri, "@included") == 0) {
                        json_t *inc = expand(j, ctx, NULL, value, depth + 1);
                        if (inc)
                                append_values(result, "@included", inc);
                        json_decref(inc);
                }
                free(iri);
        }
}

static json_t *expand(struct jl *j, json_t *ctx, const char *prop, json_t *el, int depth) {
        if (j->st || json_is_null(el))
                return NULL;
        if (depth > MAX_DEPTH * 4) {
                fail(j, FD_E_LIMIT, "document nested too deeply", NULL);
                return NULL;
        }
        if (json_is_array(el)) {
                json_t *out = json_array(), *x;
                size_t i;
                json_t *def = prop ? term_def(ctx, prop) : NULL;
                json_array_foreach(el, i, x) {
                        json_t *e = expand(j, ctx, prop, x, depth + 1);
                        if (!e)
                                continue;
                        if (has_container(def, "@list") && json_is_array(e)) {
                                json_t *l = json_pack("{s:O}", "@list", e);
                                json_decref(e);
                                e = l;
                        }
                        if (json_is_array(e))
                                json_array_extend(out, e);
                        else
                                json_array_append(out, e);
                        json_decref(e);
                }
                return out;
        }
        if (!json_is_object(el)) {
                if (!prop || strcmp(prop, "@graph") == 0)
                        return NULL;
                return expand_value(j, ctx, prop, el);
        }
        json_t *local = json_object_get(el, "@context");
        json_t *active = local ? process_context(j, ctx, local, 0, false) : json_incref(ctx);
        json_t *result = json_object();
        expand_keys(j, active, el, result, depth);
        json_decref(active);
        if (j->st) {
                json_decref(result);
                return NULL;
        }
        json_t *v = json_object_get(result, "@value");
        if (json_object_get(result, "@value") || (json_object_get(result, "@language") &&
                                                  json_object_size(result) <= 2 && json_object_get(result, "@index"))) {
                if (!v || json_is_null(v)) {
                        json_decref(result);
                        return NULL;
                }
                if (json_object_get(result, "@language") && !json_is_string(v)) {
                        fail(j, FD_E_PARSE, "invalid language-tagged value", NULL);
                        json_decref(result);
                        return NULL;
                }
                json_t *t = json_object_get(result, "@type");
                if (t) {
                        if (json_array_size(t) != 1) {
                                fail(j, FD_E_PARSE, "invalid typed value", NULL);
                                json_decref(result);
                                return NULL;
                        }
                        json_object_set(result, "@type", json_array_get(t, 0));
                }
                return result;
        }
        json_t *set = json_object_get(result, "@set");
        if (set) {
                json_t *r = json_incref(set);
                json_decref(result);
                return r;
        }
        if (json_object_get(result, "@language") && json_object_size(result) == 1) {
                json_decref(result);
                return NULL;
        }
        if (!prop || strcmp(prop, "@graph") == 0) {
                size_t n = json_object_size(result);
                if (n == 0 || json_object_get(result, "@list") ||
                    (n == 1 && json_object_get(result, "@id"))) {
                        json_decref(result);
                        return NULL;
                }
        }
        return result;
}

/* ---- toRdf -------------------------------------------------------------------------- */

static const char *blank_label(struct jl *j, const char *doc_label, char *buf, size_t n) {
        if (doc_label) {
                json_t *have = json_object_get(j->labels, doc_label);
                if (have)
                        return json_string_value(have);
        }
        snprintf(buf, n, "b%lu", j->n_blank++);
        if (doc_label)
                json_object_set_new(j->labels, doc_label, json_string(buf));
        return buf;
}

/* A node's subject term; false when its @id is not usable (relative IRI). */
static bool node_term(struct jl *j, json_t *node, struct fd_rdf_term *t, char *buf, size_t n) {
        json_t *id = json_object_get(node, "@id");
        const char *s = json_string_value(id);
        memset(t, 0, sizeof *t);
        if (id && !s)
                return false;
        if (!s) {
                /* name the node in place so that every visit sees the same label */
                char gen[64];
                snprintf(gen, sizeof gen, "_:fd-gen-%lu", j->n_blank++);
                json_object_set_new(node, "@id", json_string(gen));
                s = json_string_value(json_object_get(node, "@id"));
        }
        if (strncmp(s, "_:", 2) == 0) {
                t->kind = FD_RDF_BLANK;
                t->value = blank_label(j, s, buf, n);
                return true;
        }
        if (!is_absolute(s))
                return false;
        t->kind = FD_RDF_IRI;
        t->value = s;
        return true;
}

static void emit_quad(struct jl *j, const struct fd_rdf_term *s, const struct fd_rdf_term *p,
                      const struct fd_rdf_term *o, const struct fd_rdf_term *g) {
        if (j->st)
                return;
        if (p->kind == FD_RDF_BLANK && !j->o->produce_generalized)
                return;
        j->st = j->fn(j->ud, s, p, o, g, j->err);
}

static bool object_term(struct jl *j, json_t *item, const struct fd_rdf_term *g, struct fd_rdf_term *o, char *buf,
                        size_t n, char *lex, size_t lexn, int depth);
static void node_to_rdf(struct jl *j, json_t *node, const struct fd_rdf_term *g, int depth);

static void list_to_rdf(struct jl *j, json_t *items, const struct fd_rdf_term *g, struct fd_rdf_term *head, char *hbuf,
                        size_t hn, int depth) {
        static const struct fd_rdf_term first = {FD_RDF_IRI, FD_NS_RDF "first", NULL, NULL},
                                        rest = {FD_RDF_IRI, FD_NS_RDF "rest", NULL, NULL},
                                        nil = {FD_RDF_IRI, FD_NS_RDF "nil", NULL, NULL};
        size_t count = json_array_size(items);
        if (count == 0) {
                *head = nil;
                return;
        }
        char cur[64], nxt[64];
        struct fd_rdf_term c = {.kind = FD_RDF_BLANK};
        snprintf(cur, sizeof cur, "%s", blank_label(j, NULL, hbuf, hn));
        snprintf(hbuf, hn, "%s", cur);
        head->kind = FD_RDF_BLANK;
        head->value = hbuf;
        for (size_t i = 0; i < count && !j->st; i++) {
                struct fd_rdf_term o;
                char ob[64], lex[64];
                c.value = cur;
                if (object_term(j, json_array_get(items, i), g, &o, ob, sizeof ob, lex, sizeof lex, depth + 1))
                        emit_quad(j, &c, &first, &o, g);
                if (i + 1 < count) {
                        char tmp[64];
                        snprintf(nxt, sizeof nxt, "%s", blank_label(j, NULL, tmp, sizeof tmp));
                        struct fd_rdf_term r = {.kind = FD_RDF_BLANK, .value = nxt};
                        emit_quad(j, &c, &rest, &r, g);
                        snprintf(cur, sizeof cur, "%s", nxt);
                } else
                        emit_quad(j, &c, &rest, &nil, g);
        }
}

static void canonical_double(double d, char *out, size_t n) {
        char buf[64];
        snprintf(buf, sizeof buf, "%.15E", d);
        char *e = strchr(buf, 'E');
        if (!e) {
                snprintf(out, n, "%s", buf);
                return;
        }
        *e = '\0';
        int exp = (int)strtol(e + 1, NULL, 10);
        size_t m = strlen(buf);
        while (m > 0 && buf[m - 1] == '0')
                m--;
        if (m > 0 && buf[m - 1] == '.')
                m++;
        buf[m] = '\0';
        snprintf(out, n, "%sE%d", buf, exp);
}

static bool object_term(struct jl *j, json_t *item, const struct fd_rdf_term *g, struct fd_rdf_term *o, char *buf,
                        size_t n, char *lex, size_t lexn, int depth) {
        memset(o, 0, sizeof *o);
        if (!json_is_object(item))
                return false;
        if (json_object_get(item, "@list")) {
                list_to_rdf(j, json_object_get(item, "@list"), g, o, buf, n, depth);
                return true;
        }
        json_t *v = json_object_get(item, "@value");
        if (!v) {
                if (!node_term(j, item, o, buf, n))
                        return false;
                node_to_rdf(j, item, g, depth + 1);
                return true;
        }
        const char *type = json_string_value(json_object_get(item, "@type"));
        const char *lang = json_string_value(json_object_get(item, "@language"));
        if (type && (strcmp(type, "@json") == 0 || !is_absolute(type)))
                return false;
        o->kind = FD_RDF_LITERAL;
        if (json_is_boolean(v)) {
                o->value = json_is_true(v) ? "true" : "false";
                o->datatype = type ? type : FD_NS_XSD "boolean";
        } else if (json_is_number(v)) {
                double d = json_number_value(v);
                bool integral = json_is_integer(v) || (d == floor(d) && fabs(d) < 1e21);
                if (!integral || (type && strcmp(type, FD_NS_XSD "double") == 0)) {
                        canonical_double(d, lex, lexn);
                        o->datatype = type ? type : FD_NS_XSD "double";
                } else {
                        if (json_is_integer(v))
                                snprintf(lex, lexn, "%lld", (long long)json_integer_value(v));
                        else
                                snprintf(lex, lexn, "%.0f", d);
                        o->datatype = type ? type : FD_NS_XSD "integer";
                }
                o->value = lex;
        } else if (json_is_string(v)) {
                o->value = json_string_value(v);
                if (type)
                        o->datatype = type;
                else if (lang) {
                        o->lang = lang;
                        o->datatype = FD_NS_RDF "langString";
                } else
                        o->datatype = FD_NS_XSD "string";
        } else
                return false;
        return true;
}

static void graph_to_rdf(struct jl *j, json_t *nodes, const struct fd_rdf_term *g, int depth) {
        json_t *x;
        size_t i;
        json_array_foreach(nodes, i, x) if (json_is_object(x) && !json_object_get(x, "@value") &&
                                            !json_object_get(x, "@list")) node_to_rdf(j, x, g, depth + 1);
}

static void node_to_rdf(struct jl *j, json_t *node, const struct fd_rdf_term *g, int depth) {
        static const struct fd_rdf_term rdf_type = {FD_RDF_IRI, FD_NS_RDF "type", NULL, NULL};
        struct fd_rdf_term s;
        char sbuf[64];
        const char *key;
        json_t *val;

        if (j->st || depth > MAX_DEPTH * 4)
                return;
        bool ok = node_term(j, node, &s, sbuf, sizeof sbuf);
        char skeep[64];
        if (ok && s.kind == FD_RDF_BLANK) {
                snprintf(skeep, sizeof skeep, "%s", s.value);
                s.value = skeep;
        }
        json_object_foreach(node, key, val) {
                if (j->st)
                        return;
                if (strcmp(key, "@graph") == 0) {
                        if (ok)
                                graph_to_rdf(j, val, &s, depth);
                        continue;
                }
                if (strcmp(key, "@included") == 0) {
                        graph_to_rdf(j, val, g, depth);
                        continue;
                }
                if (strcmp(key, "@type") == 0) {
                        json_t *t;
                        size_t i;
                        json_array_foreach(val, i, t) {
                                const char *tv = json_string_value(t);
                                struct fd_rdf_term o = {.kind = FD_RDF_IRI, .value = tv};
                                char tb[64];
                                if (!tv)
                                        continue;
                                if (strncmp(tv, "_:", 2) == 0) {
                                        o.kind = FD_RDF_BLANK;
                                        o.value = blank_label(j, tv, tb, sizeof tb);
                                } else if (!is_absolute(tv))
                                        continue;
                                if (ok)
                                        emit_quad(j, &s, &rdf_type, &o, g);
                        }
                        continue;
                }
                if (strcmp(key, "@reverse") == 0) {
                        const char *rk;
                        json_t *rv;
                        json_object_foreach(val, rk, rv) {
                                struct fd_rdf_term p = {.kind = FD_RDF_IRI, .value = rk};
                                char pb[64];
                                if (strncmp(rk, "_:", 2) == 0) {
                                        p.kind = FD_RDF_BLANK;
                                        p.value = blank_label(j, rk, pb, sizeof pb);
                                } else if (!is_absolute(rk))
                                        continue;
                                json_t *x;
                                size_t i;
                                json_array_foreach(rv, i, x) {
                                        struct fd_rdf_term o;
                                        char ob[64];
                                        if (!json_is_object(x) || json_object_get(x, "@value") ||
                                            json_object_get(x, "@list") || !node_term(j, x, &o, ob, sizeof ob))
                                                continue;
                                        char okeep[64];
                                        if (o.kind == FD_RDF_BLANK) {
                                                snprintf(okeep, sizeof okeep, "%s", o.value);
                                                o.value = okeep;
                                        }
                                        node_to_rdf(j, x, g, depth + 1);
                                        if (ok)
                                                emit_quad(j, &o, &p, &s, g);
                                }
                        }
                        continue;
                }
                if (key[0] == '@')
                        continue;
                struct fd_rdf_term p = {.kind = FD_RDF_IRI, .value = key};
                char pb[64];
                if (strncmp(key, "_:", 2) == 0) {
                        p.kind = FD_RDF_BLANK;
                        p.value = blank_label(j, key, pb, sizeof pb);
                } else if (!is_absolute(key))
                        continue;
                json_t *x;
                size_t i;
                json_array_foreach(val, i, x) {
                        struct fd_rdf_term o;
                        char ob[64], lex[64];
                        if (object_term(j, x, g, &o, ob, sizeof ob, lex, sizeof lex, depth) && ok)
                                emit_quad(j, &s, &p, &o, g);
                }
        }
}

enum fd_status fd_jsonld_to_rdf(json_t *doc, const struct fd_jsonld_opts *opts, fd_jsonld_quad_fn fn, void *ud,
                                struct fd_error *err) {
        struct jl j = {.o = opts, .fn = fn, .ud = ud, .err = err};
        json_t *ctx = new_context(opts->base);
        json_t *ex;

        j.labels = json_object();
        ex = expand(&j, ctx, NULL, doc, 0);
        json_decref(ctx);
        if (!j.st && ex) {
                json_t *nodes = as_array(ex);
                /* a top-level object with only @graph is the default graph */
                if (json_array_size(nodes) == 1 && json_object_size(json_array_get(nodes, 0)) == 1 &&
                    json_object_get(json_array_get(nodes, 0), "@graph")) {
                        json_t *inner = json_incref(json_object_get(json_array_get(nodes, 0), "@graph"));
                        json_decref(nodes);
                        nodes = inner;
                }
                graph_to_rdf(&j, nodes, NULL, 0);
                json_decref(nodes);
        }
        json_decref(ex);
        json_decref(j.labels);
        return j.st;
}
