/* jsonld.c: JSON-LD 1.1 expansion and toRdf, for documents that need no
 * network.
 *
 * Debian has no C JSON-LD library, so this is our own, over jansson,
 * written step by step after the JSON-LD 1.1 Processing Algorithms and API
 * (W3C Recommendation, 16 July 2020): Context Processing (4.1), Create Term
 * Definition (4.2), IRI Expansion (5.2), Value Expansion (5.3), Expansion
 * (13) and Deserialize JSON-LD to RDF (8.1 and 8.2); the step numbers in the
 * comments are the spec's.  fd_jsonld_expand gives the expanded document;
 * fd_jsonld_to_rdf walks it and emits each node's quads as it meets the node
 * (the flattening node map is not needed for the same set of quads; blank
 * node labels are relabelled consistently), expanding a top-level array or
 * a catalogue's top-level @graph an item at a time so that only one item's
 * expanded copy is held.
 *
 * An active context is a jansson object: "terms" maps a term to its
 * definition ({"id", "reverse", "type", "container": [..], "language",
 * "direction", "index", "context", "baseurl", "nest", "prefix",
 * "protected"}; a definition is never changed once made, so contexts share
 * them), plus "base", "obase" (the original base URL), "vocab", "lang",
 * "dir" and "prev" (the context a non-propagated one reverts to).
 *
 * Remote contexts are never fetched: the operator's (contexts_dir, struct
 * fd_jsonld_contexts) and the bundled ones (jsonld_contexts.c) are all
 * there is; any other fails the document naming its URL.  Processed
 * contexts are remembered by (active context, local context, base) in a
 * small fixed table, so a document that names the same context in each of
 * thousands of top-level objects resolves it once.  Depth, remote context
 * chains and term definition recursion are bounded so a hostile document
 * cannot recurse without end.
 */
#include <ctype.h>
#include <math.h>
#include <strings.h>

#include "harvesters-private.h"

#define MAX_DEPTH 256     /* nesting of the document */
#define MAX_REMOTE 32     /* remote contexts in one chain: "context overflow" beyond */
#define MAX_TERM_DEPTH 64 /* term definitions that depend on each other */
#define MEMO 32           /* processed contexts remembered */
#define I18N "https://www.w3.org/ns/i18n#"

struct memo {
        json_t *active, *local, *result;
        char *base;
        unsigned flags;
};

struct jl {
        const struct fd_jsonld_opts *o;
        fd_jsonld_quad_fn fn;
        void *ud;
        struct fd_error *err;
        enum fd_status st;
        bool v10;             /* processing mode json-ld-1.0 */
        json_t *docs;         /* URL -> remote context document (parsed once) */
        struct memo memo[MEMO];
        size_t memo_next;
        json_t *labels;       /* document blank label -> our label */
        json_t *generated;    /* the labels node_term made up for the item in hand */
        unsigned long n_blank;
};

static enum fd_status fail(struct jl *j, enum fd_status st, const char *code, const char *detail) {
        if (!j->st) {
                j->st = st;
                fd_error_set(j->err, st, "'%s': JSON-LD %s%s%.200s", j->o->where ? j->o->where : "document", code,
                             detail ? ": " : "", detail ? detail : "");
        }
        return j->st;
}

static enum fd_status invalid(struct jl *j, const char *code, const char *detail) {
        return fail(j, FD_E_PARSE, code, detail);
}

static bool in_list(const char *s, const char *const *list, size_t n);

static bool is_keyword(const char *s) {
        static const char *const kw[] = {"@base", "@container", "@context", "@direction", "@graph", "@id",
                                         "@import", "@included", "@index", "@json", "@language", "@list",
                                         "@nest", "@none", "@prefix", "@propagate", "@protected", "@reverse",
                                         "@set", "@type", "@value", "@version", "@vocab"};
        return s[0] == '@' && in_list(s, kw, FD_ELEMENTSOF(kw));
}

/* "@" followed by one or more ALPHA: reserved, ignored with a warning by the spec */
static bool keyword_like(const char *s) {
        if (s[0] != '@' || !s[1])
                return false;
        for (const char *p = s + 1; *p; p++)
                if (!isalpha((unsigned char)*p))
                        return false;
        return true;
}

static bool streq(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }
static const char *jstr(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static bool jis(json_t *v, const char *s) { return json_is_string(v) && strcmp(json_string_value(v), s) == 0; }

static char *concat(const char *a, const char *b) {
        char *out = NULL;
        return asprintf(&out, "%s%s", a, b) < 0 ? NULL : out;
}

static char *lower_dup(const char *s) {
        char *low = strdup(s);
        for (char *p = low; p && *p; p++)
                *p = (char)tolower((unsigned char)*p);
        return low;
}

static json_t *lower_json(const char *s) {
        char *low = lower_dup(s);
        json_t *r = json_string(low ? low : "");
        free(low);
        return r;
}

/* v as a new array reference ([] for NULL) */
static json_t *as_array(json_t *v) {
        if (json_is_array(v))
                return json_incref(v);
        return v ? json_pack("[O]", v) : json_array();
}

/* Appends v (its items when an array) to obj[key], an array made on demand. */
static void push(json_t *obj, const char *key, json_t *v) {
        json_t *arr = json_object_get(obj, key);
        if (!json_is_array(arr)) {
                json_t *n = as_array(arr);
                json_object_set_new(obj, key, n);
                arr = n;
        }
        if (json_is_array(v))
                json_array_extend(arr, v);
        else
                json_array_append(arr, v);
}

/* obj[key] = v ++ obj[key] (the existing value after the new one, 13.4.4.5 and 13.4.6.4) */
static json_t *prepend_existing(json_t *obj, const char *key, json_t *v) {
        json_t *have = json_object_get(obj, key);
        if (!have)
                return v;
        json_t *r = as_array(have);
        json_t *x = as_array(v);
        json_array_extend(r, x);
        json_decref(x);
        json_decref(v);
        return r;
}

static bool in_list(const char *s, const char *const *list, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (strcmp(s, list[i]) == 0)
                        return true;
        return false;
}

/* The first key of obj that is not in list, or NULL. */
static const char *key_not_in(json_t *obj, const char *const *list, size_t n) {
        const char *k;
        json_t *v;
        json_object_foreach(obj, k, v) if (!in_list(k, list, n)) return k;
        return NULL;
}

static int cmp_key(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* The keys of obj, sorted (the spec's "ordered lexicographically"); free the array only. */
static const char **sorted_keys(json_t *obj, size_t *ret_n) {
        size_t n = json_object_size(obj), i = 0;
        const char **keys = calloc(n + 1, sizeof *keys);
        const char *k;
        json_t *v;
        if (!keys) {
                *ret_n = 0;
                return NULL;
        }
        json_object_foreach(obj, k, v) keys[i++] = k;
        qsort(keys, n, sizeof *keys, cmp_key);
        *ret_n = n;
        return keys;
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
        bool keep_dots = false;

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
                        keep_dots = true; /* RFC 3986 5.2.2: T.path = Base.path, as it is */
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
                if (!keep_dots)
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

/* ---- active contexts ------------------------------------------------------------- */

static json_t *ctx_new(json_t *base_iri) {
        json_t *c = json_object();
        json_object_set_new(c, "terms", json_object());
        json_object_set(c, "base", base_iri ? base_iri : json_null());
        json_object_set(c, "obase", base_iri ? base_iri : json_null());
        return c;
}

/* a copy whose term table can change; the definitions are shared */
static json_t *ctx_clone(json_t *ac) {
        json_t *c = json_copy(ac);
        json_object_set_new(c, "terms", json_copy(json_object_get(ac, "terms")));
        return c;
}

static json_t *tdef(json_t *ac, const char *term) {
        return term ? json_object_get(json_object_get(ac, "terms"), term) : NULL;
}

static bool has_container(json_t *def, const char *c) {
        json_t *cs = json_object_get(def, "container"), *x;
        size_t i;
        json_array_foreach(cs, i, x) if (jis(x, c)) return true;
        return false;
}

static bool has_protected(json_t *ac) {
        const char *k;
        json_t *d;
        json_object_foreach(json_object_get(ac, "terms"), k, d) if (json_is_true(json_object_get(d, "protected")))
                return true;
        return false;
}

/* The document of a remote context (borrowed, cached for the run), or NULL. */
static json_t *remote_doc(struct jl *j, const char *url) {
        json_t *doc = json_object_get(j->docs, url);
        if (doc)
                return doc;
        doc = j->o->contexts ? fd_jsonld_contexts_get(j->o->contexts, url) : NULL;
        if (doc)
                json_incref(doc);
        else {
                const char *text = fd_jsonld_bundled(url);
                if (!text)
                        return NULL;
                doc = json_loads(text, 0, NULL);
                if (!doc)
                        return NULL;
        }
        json_object_set_new(j->docs, url, doc);
        return doc;
}

/* Everything Create Term Definition needs from the Context Processing call
 * that runs it. */
struct defctx {
        json_t *local, *defined, *remote;
        const char *base_url;
        bool protect, override;
        int depth;
};

static enum fd_status define_term(struct jl *j, json_t *ac, struct defctx *dc, const char *term);
static json_t *process_context(struct jl *j, json_t *ac, json_t *local, const char *base_url, json_t *remote,
                               bool override, bool propagate, bool validate);

/* IRI Expansion (5.2): a new string, or NULL for a null mapping. */
static char *expand_iri(struct jl *j, json_t *ac, const char *v, bool docrel, bool vocab, struct defctx *dc) {
        if (is_keyword(v))
                return strdup(v);
        if (keyword_like(v))
                return NULL;
        /* 3 */
        if (dc && json_object_get(dc->local, v) && !json_is_true(json_object_get(dc->defined, v)) &&
            define_term(j, ac, dc, v))
                return NULL;
        json_t *def = tdef(ac, v);
        const char *id = jstr(def, "id");
        if (def && id && is_keyword(id))
                return strdup(id);
        if (vocab && def)
                return id ? strdup(id) : NULL;
        const char *colon = v[0] ? strchr(v + 1, ':') : NULL;
        if (colon) {
                char *prefix = strndup(v, (size_t)(colon - v));
                const char *suffix = colon + 1;
                if (!prefix)
                        return NULL;
                if (strcmp(prefix, "_") == 0 || (suffix[0] == '/' && suffix[1] == '/')) {
                        free(prefix);
                        return strdup(v);
                }
                if (dc && json_object_get(dc->local, prefix) && !json_is_true(json_object_get(dc->defined, prefix)) &&
                    define_term(j, ac, dc, prefix)) {
                        free(prefix);
                        return NULL;
                }
                json_t *pd = tdef(ac, prefix);
                free(prefix);
                const char *pid = jstr(pd, "id");
                if (pid && json_is_true(json_object_get(pd, "prefix")))
                        return concat(pid, suffix);
                if (is_absolute(v))
                        return strdup(v);
        }
        const char *vm = jstr(ac, "vocab");
        if (vocab && vm)
                return concat(vm, v);
        if (docrel) {
                const char *bi = jstr(ac, "base");
                return bi ? resolve_iri(bi, v) : strdup(v);
        }
        return strdup(v);
}

static bool gen_delim_end(const char *iri) {
        size_t n = strlen(iri);
        return n && strchr(":/?#[]@", iri[n - 1]);
}

/* the @container values 4.2 step 20.1 allows */
static bool container_ok(json_t *c, bool v10) {
        static const char *const names[] = {"@graph", "@id", "@index", "@language", "@list", "@set", "@type"};
        unsigned have = 0;
        json_t *x;
        size_t i;
        if (json_is_string(c) && v10)
                return jis(c, "@list") || jis(c, "@set") || jis(c, "@index") || jis(c, "@language");
        if (v10 || !(json_is_string(c) || (json_is_array(c) && json_array_size(c) > 0)))
                return false;
        json_t *arr = as_array(c);
        json_array_foreach(arr, i, x) {
                size_t k = 0;
                while (k < FD_ELEMENTSOF(names) && !jis(x, names[k]))
                        k++;
                if (k == FD_ELEMENTSOF(names) || (have & (1u << k))) {
                        json_decref(arr);
                        return false;
                }
                have |= 1u << k;
        }
        size_t n = json_array_size(arr);
        json_decref(arr);
        enum { G = 1, ID = 2, IX = 4, LANG = 8, LIST = 16, SET = 32, TYPE = 64 };
        if (n == 1)
                return true;
        if (have & LIST)
                return false;
        if (have & G)
                return (have & ~(G | ID | IX | SET)) == 0 && !((have & ID) && (have & IX));
        /* @set with one of @index, @id, @type, @language */
        return (have & SET) && n == 2;
}

static bool def_equal(json_t *d1, json_t *d2) {
        json_t *x = json_copy(d1), *y = json_copy(d2);
        json_object_del(x, "protected");
        json_object_del(y, "protected");
        bool eq = json_equal(x, y);
        json_decref(x);
        json_decref(y);
        return eq;
}

/* Create Term Definition (4.2) */
static enum fd_status define_term(struct jl *j, json_t *ac, struct defctx *dc, const char *term) {
        json_t *state = json_object_get(dc->defined, term), *terms = json_object_get(ac, "terms");
        json_t *value, *v = NULL, *def = NULL, *prev = NULL, *x;
        bool simple = false;
        char *e = NULL;

        if (json_is_true(state))
                return FD_OK;
        if (state)
                return invalid(j, "cyclic IRI mapping", term);
        if (!term[0])
                return invalid(j, "invalid term definition", "empty term");
        if (dc->depth > MAX_TERM_DEPTH)
                return fail(j, FD_E_LIMIT, "context overflow", term);
        json_object_set_new(dc->defined, term, json_false());
        value = json_object_get(dc->local, term);
        if (strcmp(term, "@type") == 0) {
                const char *k;
                if (j->v10 || !json_is_object(value) || json_object_size(value) == 0)
                        return invalid(j, "keyword redefinition", term);
                json_object_foreach(value, k, x) {
                        if (!(strcmp(k, "@container") == 0 && jis(x, "@set")) && strcmp(k, "@protected") != 0)
                                return invalid(j, "keyword redefinition", term);
                }
        } else if (is_keyword(term))
                return invalid(j, "keyword redefinition", term);
        else if (keyword_like(term)) {
                json_object_set_new(dc->defined, term, json_true());
                return FD_OK;
        }
        prev = json_incref(json_object_get(terms, term));
        json_object_del(terms, term);
        if (json_is_null(value))
                v = json_pack("{s:n}", "@id");
        else if (json_is_string(value)) {
                v = json_pack("{s:O}", "@id", value);
                simple = true;
        } else if (json_is_object(value))
                v = json_incref(value);
        else {
                invalid(j, "invalid term definition", term);
                goto out;
        }
        def = json_object();
        dc->depth++;

        /* 11 */
        if ((x = json_object_get(v, "@protected"))) {
                if (j->v10) {
                        invalid(j, "invalid term definition", term);
                        goto out;
                }
                if (!json_is_boolean(x)) {
                        invalid(j, "invalid @protected value", term);
                        goto out;
                }
                json_object_set(def, "protected", x);
        } else if (dc->protect)
                json_object_set_new(def, "protected", json_true());
        /* 12 */
        if ((x = json_object_get(v, "@type"))) {
                if (!json_is_string(x)) {
                        invalid(j, "invalid type mapping", term);
                        goto out;
                }
                e = expand_iri(j, ac, json_string_value(x), false, true, dc);
                if (j->st)
                        goto out;
                if (!e || ((streq(e, "@json") || streq(e, "@none")) && j->v10) ||
                    !(streq(e, "@id") || streq(e, "@json") || streq(e, "@none") || streq(e, "@vocab") ||
                      is_absolute(e))) {
                        invalid(j, "invalid type mapping", term);
                        goto out;
                }
                json_object_set_new(def, "type", json_string(e));
                free(e);
                e = NULL;
        }
        /* 13 */
        if ((x = json_object_get(v, "@reverse"))) {
                if (json_object_get(v, "@id") || json_object_get(v, "@nest")) {
                        invalid(j, "invalid reverse property", term);
                        goto out;
                }
                if (!json_is_string(x)) {
                        invalid(j, "invalid IRI mapping", term);
                        goto out;
                }
                if (keyword_like(json_string_value(x))) {
                        json_object_set_new(dc->defined, term, json_true());
                        goto out;
                }
                e = expand_iri(j, ac, json_string_value(x), false, true, dc);
                if (j->st)
                        goto out;
                if (!e || !strchr(e, ':')) {
                        invalid(j, "invalid IRI mapping", term);
                        goto out;
                }
                json_object_set_new(def, "id", json_string(e));
                if ((x = json_object_get(v, "@container"))) {
                        if (!(json_is_null(x) || jis(x, "@set") || jis(x, "@index"))) {
                                invalid(j, "invalid reverse property", term);
                                goto out;
                        }
                        if (!json_is_null(x))
                                json_object_set_new(def, "container", as_array(x));
                }
                if ((x = json_object_get(v, "@index"))) {
                        if (j->v10 || !has_container(def, "@index") || !json_is_string(x)) {
                                invalid(j, "invalid term definition", term);
                                goto out;
                        }
                        json_object_set(def, "index", x);
                }
                json_object_set_new(def, "reverse", json_true());
                json_object_set(terms, term, def);
                json_object_set_new(dc->defined, term, json_true());
                goto out;
        }
        /* 15 - 19 */
        x = json_object_get(v, "@id");
        const char *colon = strchr(term + 1, ':');
        if (x && !jis(x, term)) {
                if (json_is_null(x))
                        json_object_set_new(def, "id", json_null());
                else {
                        if (!json_is_string(x)) {
                                invalid(j, "invalid IRI mapping", term);
                                goto out;
                        }
                        const char *s = json_string_value(x);
                        if (!is_keyword(s) && keyword_like(s)) {
                                json_object_set_new(dc->defined, term, json_true());
                                goto out;
                        }
                        e = expand_iri(j, ac, s, false, true, dc);
                        if (j->st)
                                goto out;
                        if (!e || (!is_keyword(e) && !strchr(e, ':'))) {
                                invalid(j, "invalid IRI mapping", term);
                                goto out;
                        }
                        if (streq(e, "@context")) {
                                invalid(j, "invalid keyword alias", term);
                                goto out;
                        }
                        size_t tl = strlen(term);
                        const char *c2 = tl > 2 ? memchr(term + 1, ':', tl - 2) : NULL;
                        if (c2 || strchr(term, '/')) {
                                json_object_set_new(dc->defined, term, json_true());
                                char *e2 = expand_iri(j, ac, term, false, true, dc);
                                bool same = streq(e, e2);
                                free(e2);
                                if (!same) {
                                        invalid(j, "invalid IRI mapping", term);
                                        goto out;
                                }
                        }
                        if (!strchr(term, ':') && !strchr(term, '/') && simple &&
                            (gen_delim_end(e) || strncmp(e, "_:", 2) == 0))
                                json_object_set_new(def, "prefix", json_true());
                        json_object_set_new(def, "id", json_string(e));
                        free(e);
                        e = NULL;
                }
        } else if (colon) {
                char *prefix = strndup(term, (size_t)(colon - term));
                bool compact = prefix && strcmp(prefix, "_") != 0 && !(colon[1] == '/' && colon[2] == '/');
                if (compact && json_object_get(dc->local, prefix) && define_term(j, ac, dc, prefix)) {
                        free(prefix);
                        goto out;
                }
                const char *pid = compact ? jstr(tdef(ac, prefix), "id") : NULL;
                free(prefix);
                if (pid)
                        json_object_set_new(def, "id", json_string((e = concat(pid, colon + 1)) ? e : ""));
                else
                        json_object_set_new(def, "id", json_string(term));
        } else if (strchr(term, '/')) {
                e = expand_iri(j, ac, term, false, true, NULL);
                if (!e || !strchr(e, ':')) {
                        invalid(j, "invalid IRI mapping", term);
                        goto out;
                }
                json_object_set_new(def, "id", json_string(e));
        } else if (strcmp(term, "@type") == 0)
                json_object_set_new(def, "id", json_string("@type"));
        else if (jstr(ac, "vocab"))
                json_object_set_new(def, "id", json_string((e = concat(jstr(ac, "vocab"), term)) ? e : ""));
        else {
                invalid(j, "invalid IRI mapping", term);
                goto out;
        }
        free(e);
        e = NULL;
        /* 20 */
        if ((x = json_object_get(v, "@container"))) {
                if (!container_ok(x, j->v10)) {
                        invalid(j, "invalid container mapping", term);
                        goto out;
                }
                json_object_set_new(def, "container", as_array(x));
                if (has_container(def, "@type")) {
                        const char *t = jstr(def, "type");
                        if (!t)
                                json_object_set_new(def, "type", json_string("@id"));
                        else if (!streq(t, "@id") && !streq(t, "@vocab")) {
                                invalid(j, "invalid type mapping", term);
                                goto out;
                        }
                }
        }
        /* 21 */
        if ((x = json_object_get(v, "@index"))) {
                if (j->v10 || !has_container(def, "@index") || !json_is_string(x)) {
                        invalid(j, "invalid term definition", term);
                        goto out;
                }
                e = expand_iri(j, ac, json_string_value(x), false, true, dc);
                if (!e || is_keyword(e) || !strchr(e, ':')) {
                        invalid(j, "invalid term definition", term);
                        goto out;
                }
                json_object_set(def, "index", x);
        }
        /* 22 */
        if ((x = json_object_get(v, "@context"))) {
                if (j->v10) {
                        invalid(j, "invalid term definition", term);
                        goto out;
                }
                json_t *scoped = process_context(j, ac, x, dc->base_url, dc->remote, true, true, false);
                json_decref(scoped);
                if (j->st) {
                        char inner[sizeof j->err->msg];
                        enum fd_status st = j->st;
                        snprintf(inner, sizeof inner, "%s", j->err ? j->err->msg : "");
                        j->st = FD_OK;
                        fail(j, st, "invalid scoped context", inner);
                        goto out;
                }
                json_object_set(def, "context", x);
                json_object_set_new(def, "baseurl", dc->base_url ? json_string(dc->base_url) : json_null());
        }
        /* 23, 24 */
        if ((x = json_object_get(v, "@language")) && !json_object_get(v, "@type")) {
                if (!json_is_null(x) && !json_is_string(x)) {
                        invalid(j, "invalid language mapping", term);
                        goto out;
                }
                json_object_set_new(def, "language", json_is_null(x) ? json_null() : lower_json(json_string_value(x)));
        }
        if ((x = json_object_get(v, "@direction")) && !json_object_get(v, "@type")) {
                if (!json_is_null(x) && !jis(x, "ltr") && !jis(x, "rtl")) {
                        invalid(j, "invalid base direction", term);
                        goto out;
                }
                json_object_set(def, "direction", x);
        }
        /* 25 */
        if ((x = json_object_get(v, "@nest"))) {
                if (j->v10) {
                        invalid(j, "invalid term definition", term);
                        goto out;
                }
                if (!json_is_string(x) || (is_keyword(json_string_value(x)) && !jis(x, "@nest"))) {
                        invalid(j, "invalid @nest value", term);
                        goto out;
                }
                json_object_set(def, "nest", x);
        }
        /* 26 */
        if ((x = json_object_get(v, "@prefix"))) {
                if (j->v10 || strchr(term, ':') || strchr(term, '/')) {
                        invalid(j, "invalid term definition", term);
                        goto out;
                }
                if (!json_is_boolean(x)) {
                        invalid(j, "invalid @prefix value", term);
                        goto out;
                }
                json_object_set(def, "prefix", x);
                if (json_is_true(x) && jstr(def, "id") && is_keyword(jstr(def, "id"))) {
                        invalid(j, "invalid term definition", term);
                        goto out;
                }
        }
        /* 27 */
        {
                static const char *const allowed[] = {"@id", "@reverse", "@container", "@context", "@direction",
                                                      "@index", "@language", "@nest", "@prefix", "@protected",
                                                      "@type"};
                if (key_not_in(v, allowed, FD_ELEMENTSOF(allowed))) {
                        invalid(j, "invalid term definition", term);
                        goto out;
                }
        }
        /* 28 */
        if (!dc->override && prev && json_is_true(json_object_get(prev, "protected"))) {
                if (!def_equal(def, prev)) {
                        invalid(j, "protected term redefinition", term);
                        goto out;
                }
                json_decref(def);
                def = json_incref(prev);
        }
        json_object_set(terms, term, def);
        json_object_set_new(dc->defined, term, json_true());
out:
        if (v && def)
                dc->depth--;
        free(e);
        json_decref(v);
        json_decref(def);
        json_decref(prev);
        return j->st;
}

static bool memo_match(const struct memo *m, json_t *ac, json_t *local, const char *base_url, unsigned flags) {
        if (!m->active || m->active != ac || m->flags != flags)
                return false;
        if (!(m->base ? base_url && strcmp(m->base, base_url) == 0 : !base_url))
                return false;
        return m->local == local || (json_is_string(local) && json_equal(m->local, local));
}

/* Context Processing (4.1): a new active context, NULL on error. */
static json_t *process_context(struct jl *j, json_t *ac, json_t *local, const char *base_url, json_t *remote,
                               bool override, bool propagate, bool validate) {
        json_t *result, *list, *ctx, *x;
        size_t i;
        unsigned flags = (unsigned)override | (unsigned)propagate << 1 | (unsigned)validate << 2;
        bool top = json_array_size(remote) == 0;

        if (j->st)
                return NULL;
        if (top)
                for (i = 0; i < MEMO; i++)
                        if (memo_match(&j->memo[i], ac, local, base_url, flags))
                                return json_incref(j->memo[i].result);
        result = ctx_clone(ac);
        /* 2, 3 */
        if (json_is_object(local) && (x = json_object_get(local, "@propagate"))) {
                if (!json_is_boolean(x)) {
                        invalid(j, "invalid @propagate value", NULL);
                        json_decref(result);
                        return NULL;
                }
                propagate = json_is_true(x);
        }
        if (!propagate && !json_object_get(result, "prev"))
                json_object_set(result, "prev", ac);
        list = as_array(local);
        json_array_foreach(list, i, ctx) {
                if (j->st)
                        break;
                /* 5.1 */
                if (json_is_null(ctx)) {
                        if (!override && has_protected(result)) {
                                invalid(j, "invalid context nullification", NULL);
                                break;
                        }
                        json_t *fresh = ctx_new(json_object_get(ac, "obase"));
                        if (!propagate)
                                json_object_set(fresh, "prev", result);
                        json_decref(result);
                        result = fresh;
                        continue;
                }
                /* 5.2 */
                if (json_is_string(ctx)) {
                        const char *name = json_string_value(ctx);
                        char *url = base_url ? resolve_iri(base_url, name) : strdup(name);
                        json_t *doc, *inner;
                        if (!url || !is_absolute(url)) {
                                fail(j, FD_E_UNSUPPORTED, "loading document failed", name);
                                free(url);
                                break;
                        }
                        bool seen = false;
                        size_t k;
                        json_array_foreach(remote, k, x) seen |= jis(x, url);
                        if (!validate && seen) {
                                free(url);
                                continue;
                        }
                        if (json_array_size(remote) >= MAX_REMOTE) {
                                fail(j, FD_E_LIMIT, "context overflow", url);
                                free(url);
                                break;
                        }
                        if (!(doc = remote_doc(j, url))) {
                                fail(j, FD_E_UNSUPPORTED,
                                     "loading remote context failed: not bundled and not in contexts_dir (contexts "
                                     "are never fetched)",
                                     url);
                                free(url);
                                break;
                        }
                        inner = json_object_get(doc, "@context");
                        if (!json_is_object(doc) || !inner) {
                                invalid(j, "invalid remote context", url);
                                free(url);
                                break;
                        }
                        json_t *chain = remote ? json_copy(remote) : json_array();
                        json_array_append_new(chain, json_string(url));
                        json_t *next = process_context(j, result, inner, url, chain, false, true, validate);
                        json_decref(chain);
                        free(url);
                        json_decref(result);
                        result = next;
                        if (!result)
                                break;
                        continue;
                }
                /* 5.3 */
                if (!json_is_object(ctx)) {
                        invalid(j, "invalid local context", NULL);
                        break;
                }
                json_incref(ctx);
                /* 5.5 */
                if ((x = json_object_get(ctx, "@version"))) {
                        if (!(json_is_number(x) && json_number_value(x) == 1.1))
                                invalid(j, "invalid @version value", NULL);
                        else if (j->v10)
                                invalid(j, "processing mode conflict", NULL);
                }
                /* 5.6 */
                if (!j->st && (x = json_object_get(ctx, "@import"))) {
                        json_t *doc, *inner;
                        char *url = NULL;
                        if (j->v10)
                                invalid(j, "invalid context entry", "@import");
                        else if (!json_is_string(x))
                                invalid(j, "invalid @import value", NULL);
                        else if (!(url = base_url ? resolve_iri(base_url, json_string_value(x))
                                                  : strdup(json_string_value(x))) ||
                                 !(doc = remote_doc(j, url)))
                                fail(j, FD_E_UNSUPPORTED,
                                     "loading remote context failed: not bundled and not in contexts_dir (contexts "
                                     "are never fetched)",
                                     url ? url : json_string_value(x));
                        else if (!json_is_object(inner = json_object_get(doc, "@context")))
                                invalid(j, "invalid remote context", url);
                        else if (json_object_get(inner, "@import"))
                                invalid(j, "invalid context entry", url);
                        else {
                                json_t *merged = json_copy(inner);
                                json_object_update(merged, ctx);
                                json_decref(ctx);
                                ctx = merged;
                        }
                        free(url);
                }
                /* 5.7 */
                if (!j->st && (x = json_object_get(ctx, "@base")) && top) {
                        const char *cur = jstr(result, "base");
                        if (json_is_null(x))
                                json_object_set_new(result, "base", json_null());
                        else if (json_is_string(x) && is_absolute(json_string_value(x)))
                                json_object_set(result, "base", x);
                        else if (json_is_string(x) && cur) {
                                char *nb = resolve_iri(cur, json_string_value(x));
                                json_object_set_new(result, "base", json_string(nb ? nb : ""));
                                free(nb);
                        } else
                                invalid(j, "invalid base IRI", NULL);
                }
                /* 5.8 */
                if (!j->st && (x = json_object_get(ctx, "@vocab"))) {
                        if (json_is_null(x))
                                json_object_del(result, "vocab");
                        else if (json_is_string(x)) {
                                const char *s = json_string_value(x);
                                char *e = NULL;
                                if (j->v10 && !is_absolute(s) && strncmp(s, "_:", 2) != 0)
                                        invalid(j, "invalid vocab mapping", s);
                                else if (!(e = expand_iri(j, result, s, true, true, NULL)) ||
                                         (!strchr(e, ':') && strncmp(e, "_:", 2) != 0))
                                        invalid(j, "invalid vocab mapping", s);
                                else
                                        json_object_set_new(result, "vocab", json_string(e));
                                free(e);
                        } else
                                invalid(j, "invalid vocab mapping", NULL);
                }
                /* 5.9 */
                if (!j->st && (x = json_object_get(ctx, "@language"))) {
                        if (json_is_null(x))
                                json_object_del(result, "lang");
                        else if (json_is_string(x))
                                json_object_set_new(result, "lang", lower_json(json_string_value(x)));
                        else
                                invalid(j, "invalid default language", NULL);
                }
                /* 5.10 */
                if (!j->st && (x = json_object_get(ctx, "@direction"))) {
                        if (j->v10)
                                invalid(j, "invalid context entry", "@direction");
                        else if (json_is_null(x))
                                json_object_del(result, "dir");
                        else if (jis(x, "ltr") || jis(x, "rtl"))
                                json_object_set(result, "dir", x);
                        else
                                invalid(j, "invalid base direction", NULL);
                }
                /* 5.11 */
                if (!j->st && (x = json_object_get(ctx, "@propagate"))) {
                        if (j->v10)
                                invalid(j, "invalid context entry", "@propagate");
                        else if (!json_is_boolean(x))
                                invalid(j, "invalid @propagate value", NULL);
                }
                if (!j->st && (x = json_object_get(ctx, "@protected")) && !json_is_boolean(x))
                        invalid(j, "invalid @protected value", NULL);
                /* 5.12, 5.13 */
                struct defctx dc = {.local = ctx,
                                    .defined = json_object(),
                                    .remote = remote,
                                    .base_url = base_url,
                                    .protect = json_is_true(json_object_get(ctx, "@protected")),
                                    .override = override};
                const char *key;
                json_object_foreach(ctx, key, x) {
                        static const char *const skip[] = {"@base",     "@direction", "@import",  "@language",
                                                           "@propagate", "@protected", "@version", "@vocab"};
                        if (j->st)
                                break;
                        if (!in_list(key, skip, FD_ELEMENTSOF(skip)))
                                define_term(j, result, &dc, key);
                }
                json_decref(dc.defined);
                json_decref(ctx);
        }
        json_decref(list);
        if (j->st) {
                json_decref(result);
                return NULL;
        }
        if (top) {
                struct memo *m = &j->memo[j->memo_next++ % MEMO];
                json_decref(m->active);
                json_decref(m->local);
                json_decref(m->result);
                free(m->base);
                m->active = json_incref(ac);
                m->local = json_incref(local);
                m->result = json_incref(result);
                m->base = base_url ? strdup(base_url) : NULL;
                m->flags = flags;
        }
        return result;
}

/* well-formed for RDF: absolute, nothing N-Quads cannot write, one fragment at most */
static bool iri_ok(const char *s) {
        if (!s || !is_absolute(s))
                return false;
        const char *hash = strchr(s, '#');
        if (hash && strchr(hash + 1, '#'))
                return false;
        for (; *s; s++)
                if ((unsigned char)*s <= 0x20 || strchr("<>\"{}|^`\\", *s))
                        return false;
        return true;
}

/* ---- expansion ----------------------------------------------------------------------- */

static json_t *expand(struct jl *j, json_t *ac, const char *prop, json_t *el, const char *base_url, bool from_map,
                      int depth);

static bool is_scalar(json_t *v) { return json_is_string(v) || json_is_number(v) || json_is_boolean(v); }

static bool is_node(json_t *v) {
        return json_is_object(v) && !json_object_get(v, "@value") && !json_object_get(v, "@list") &&
               !json_object_get(v, "@set");
}

static bool is_graph_object(json_t *v) {
        static const char *const keys[] = {"@graph", "@id", "@index", "@context"};
        return json_object_get(v, "@graph") && !key_not_in(v, keys, FD_ELEMENTSOF(keys));
}

/* Value Expansion (5.3) */
static json_t *expand_value(struct jl *j, json_t *ac, const char *prop, json_t *value) {
        json_t *def = tdef(ac, prop), *x;
        const char *type = jstr(def, "type");

        if (json_is_string(value) && (streq(type, "@id") || streq(type, "@vocab"))) {
                char *iri = expand_iri(j, ac, json_string_value(value), true, streq(type, "@vocab"), NULL);
                json_t *ref = iri ? json_pack("{s:s}", "@id", iri) : json_object();
                free(iri);
                return ref;
        }
        json_t *r = json_pack("{s:O}", "@value", value);
        if (type && !streq(type, "@id") && !streq(type, "@vocab") && !streq(type, "@none"))
                json_object_set_new(r, "@type", json_string(type));
        else if (json_is_string(value)) {
                x = json_object_get(def, "language");
                if (!x)
                        x = json_object_get(ac, "lang");
                if (json_is_string(x))
                        json_object_set(r, "@language", x);
                x = json_object_get(def, "direction");
                if (!x)
                        x = json_object_get(ac, "dir");
                if (json_is_string(x))
                        json_object_set(r, "@direction", x);
        }
        return r;
}

/* a new context reference: ac updated with a scoped context (or ac itself) */
static json_t *apply_scoped(struct jl *j, json_t *ac, json_t *def, bool override, bool propagate) {
        json_t *lc = json_object_get(def, "context");
        if (!lc)
                return json_incref(ac);
        return process_context(j, ac, lc, jstr(def, "baseurl"), NULL, override, propagate, true);
}

/* Appends the items (node objects) to result's @reverse map under prop
 * (13.4.13.4, 13.13). */
static void push_reverse(struct jl *j, json_t *result, const char *prop, json_t *items) {
        json_t *rmap = json_object_get(result, "@reverse"), *all = as_array(items), *item;
        size_t i;
        if (!rmap)
                json_object_set_new(result, "@reverse", rmap = json_object());
        json_array_foreach(all, i, item) {
                if (json_object_get(item, "@value") || json_object_get(item, "@list")) {
                        invalid(j, "invalid reverse property value", prop);
                        break;
                }
                push(rmap, prop, item);
        }
        json_decref(all);
}

static void expand_entries(struct jl *j, json_t *ac, json_t *tsc, const char *prop, json_t *el, json_t *result,
                           const char *input_type, const char *base_url, int depth);

/* 13.4: a keyword entry */
static void expand_keyword(struct jl *j, json_t *ac, json_t *tsc, const char *prop, const char *key, const char *kw,
                           json_t *value, json_t *result, json_t *nests, const char *input_type,
                           const char *base_url, int depth) {
        json_t *ev = NULL, *x;
        size_t i;

        if (streq(prop, "@reverse")) {
                invalid(j, "invalid reverse property map", key);
                return;
        }
        if (json_object_get(result, kw) && strcmp(kw, "@included") != 0 && (strcmp(kw, "@type") != 0 || j->v10)) {
                invalid(j, "colliding keywords", kw);
                return;
        }
        if (strcmp(kw, "@id") == 0) {
                if (!json_is_string(value)) {
                        invalid(j, "invalid @id value", key);
                        return;
                }
                char *e = expand_iri(j, ac, json_string_value(value), true, false, NULL);
                ev = e ? json_string(e) : json_null(); /* kept as null: the node is not named */
                free(e);
        } else if (strcmp(kw, "@type") == 0) {
                bool ok = json_is_string(value) || json_is_array(value);
                json_array_foreach(value, i, x) ok &= json_is_string(x);
                if (!ok) {
                        invalid(j, "invalid type value", key);
                        return;
                }
                if (json_is_string(value)) {
                        char *e = expand_iri(j, tsc, json_string_value(value), true, true, NULL);
                        ev = e ? json_string(e) : NULL;
                        free(e);
                } else {
                        ev = json_array();
                        json_array_foreach(value, i, x) {
                                char *e = expand_iri(j, tsc, json_string_value(x), true, true, NULL);
                                if (e)
                                        json_array_append_new(ev, json_string(e));
                                free(e);
                        }
                }
                if (ev)
                        ev = prepend_existing(result, "@type", ev);
        } else if (strcmp(kw, "@graph") == 0) {
                x = expand(j, ac, "@graph", value, base_url, false, depth + 1);
                ev = as_array(x);
                json_decref(x);
        } else if (strcmp(kw, "@included") == 0) {
                if (j->v10)
                        return;
                /* "@included" as the active property keeps what would be free-floating, to reject it */
                x = expand(j, ac, "@included", value, base_url, false, depth + 1);
                ev = as_array(x);
                json_decref(x);
                json_array_foreach(ev, i, x) if (!is_node(x)) {
                        invalid(j, "invalid @included value", key);
                        json_decref(ev);
                        return;
                }
                ev = prepend_existing(result, "@included", ev);
        } else if (strcmp(kw, "@value") == 0) {
                if (streq(input_type, "@json")) {
                        if (j->v10) {
                                invalid(j, "invalid value object value", key);
                                return;
                        }
                        ev = json_incref(value);
                } else if (!json_is_null(value) && !is_scalar(value)) {
                        invalid(j, "invalid value object value", key);
                        return;
                } else
                        ev = json_incref(value);
        } else if (strcmp(kw, "@language") == 0) {
                if (!json_is_string(value)) {
                        invalid(j, "invalid language-tagged string", key);
                        return;
                }
                ev = lower_json(json_string_value(value));
        } else if (strcmp(kw, "@direction") == 0) {
                if (j->v10)
                        return;
                if (!jis(value, "ltr") && !jis(value, "rtl")) {
                        invalid(j, "invalid base direction", key);
                        return;
                }
                ev = json_incref(value);
        } else if (strcmp(kw, "@index") == 0) {
                if (!json_is_string(value)) {
                        invalid(j, "invalid @index value", key);
                        return;
                }
                ev = json_incref(value);
        } else if (strcmp(kw, "@list") == 0) {
                if (!prop || strcmp(prop, "@graph") == 0)
                        return;
                x = expand(j, ac, prop, value, base_url, false, depth + 1);
                ev = as_array(x);
                json_decref(x);
        } else if (strcmp(kw, "@set") == 0) {
                ev = expand(j, ac, prop, value, base_url, false, depth + 1);
        } else if (strcmp(kw, "@reverse") == 0) {
                if (!json_is_object(value)) {
                        invalid(j, "invalid @reverse value", key);
                        return;
                }
                ev = expand(j, ac, "@reverse", value, base_url, false, depth + 1);
                const char *rk;
                json_t *rv;
                json_object_foreach(json_object_get(ev, "@reverse"), rk, rv) push(result, rk, rv);
                json_object_foreach(ev, rk, rv) if (strcmp(rk, "@reverse") != 0) push_reverse(j, result, rk, rv);
                json_decref(ev);
                return;
        } else if (strcmp(kw, "@nest") == 0) {
                json_object_set_new(nests, key, json_true());
                return;
        } else
                return;
        if (j->st) {
                json_decref(ev);
                return;
        }
        if (strcmp(kw, "@value") == 0 && json_is_null(ev))
                json_object_set(result, "@value", json_null());
        else if (ev)
                json_object_set(result, kw, ev);
        json_decref(ev);
}

/* 13.7: a language map */
static json_t *expand_language_map(struct jl *j, json_t *ac, json_t *def, const char *key, json_t *value) {
        json_t *ev = json_array(), *dir = json_object_get(def, "direction");
        size_t n, i;
        const char **langs = sorted_keys(value, &n);
        if (!dir)
                dir = json_object_get(ac, "dir");
        for (size_t l = 0; l < n && !j->st; l++) {
                json_t *items = as_array(json_object_get(value, langs[l])), *item;
                char *le = expand_iri(j, ac, langs[l], false, true, NULL);
                json_array_foreach(items, i, item) {
                        if (json_is_null(item))
                                continue;
                        if (!json_is_string(item)) {
                                invalid(j, "invalid language map value", key);
                                break;
                        }
                        json_t *v = json_pack("{s:O}", "@value", item);
                        if (strcmp(langs[l], "@none") != 0 && !streq(le, "@none"))
                                json_object_set_new(v, "@language", lower_json(langs[l]));
                        if (json_is_string(dir))
                                json_object_set(v, "@direction", dir);
                        json_array_append_new(ev, v);
                }
                free(le);
                json_decref(items);
        }
        free(langs);
        return ev;
}

/* 13.8: an index, id or type map */
static json_t *expand_index_map(struct jl *j, json_t *ac, json_t *def, const char *key, json_t *value,
                                const char *base_url, int depth) {
        json_t *ev = json_array(), *item;
        const char *index_key = jstr(def, "index") ? jstr(def, "index") : "@index";
        bool idmap = has_container(def, "@id"), typemap = has_container(def, "@type"),
             indexmap = has_container(def, "@index"), graph = has_container(def, "@graph");
        size_t n, i;
        const char **idx = sorted_keys(value, &n);

        for (size_t k = 0; k < n && !j->st; k++) {
                json_t *mctx = ac;
                if (idmap || typemap)
                        mctx = json_object_get(ac, "prev") ? json_object_get(ac, "prev") : ac;
                mctx = typemap ? apply_scoped(j, mctx, tdef(mctx, idx[k]), false, true) : json_incref(mctx);
                if (!mctx)
                        break;
                char *eidx = expand_iri(j, ac, idx[k], false, true, NULL);
                bool none = streq(eidx, "@none");
                json_t *iv = as_array(json_object_get(value, idx[k]));
                json_t *items = expand(j, mctx, key, iv, base_url, true, depth + 1);
                json_decref(iv);
                json_decref(mctx);
                json_array_foreach(items, i, item) {
                        if (j->st)
                                break;
                        if (graph && !is_graph_object(item)) {
                                item = json_pack("{s:o}", "@graph", as_array(item));
                                json_array_set_new(items, i, item);
                        }
                        if (indexmap && strcmp(index_key, "@index") != 0 && !none) {
                                json_t *s = json_string(idx[k]);
                                json_t *re = expand_value(j, ac, index_key, s);
                                char *eik = expand_iri(j, ac, index_key, false, true, NULL);
                                json_decref(s);
                                if (eik) {
                                        json_t *vals = json_pack("[o]", re);
                                        json_t *have = json_object_get(item, eik);
                                        if (have) {
                                                json_t *h = as_array(have);
                                                json_array_extend(vals, h);
                                                json_decref(h);
                                        }
                                        json_object_set_new(item, eik, vals);
                                        if (json_object_get(item, "@value"))
                                                invalid(j, "invalid value object", key);
                                } else
                                        json_decref(re);
                                free(eik);
                        } else if (indexmap && !json_object_get(item, "@index") && !none)
                                json_object_set_new(item, "@index", json_string(idx[k]));
                        else if (idmap && !json_object_get(item, "@id") && !none) {
                                char *e = expand_iri(j, ac, idx[k], true, false, NULL);
                                if (e)
                                        json_object_set_new(item, "@id", json_string(e));
                                free(e);
                        } else if (typemap && !none && eidx) {
                                json_t *types = json_pack("[s]", eidx);
                                json_t *have = json_object_get(item, "@type");
                                if (have) {
                                        json_t *h = as_array(have);
                                        json_array_extend(types, h);
                                        json_decref(h);
                                }
                                json_object_set_new(item, "@type", types);
                        }
                }
                if (items)
                        json_array_extend(ev, items);
                json_decref(items);
                free(eidx);
        }
        free(idx);
        return ev;
}

/* 13.5 - 13.14: an entry whose key expands to an IRI */
static void expand_property(struct jl *j, json_t *ac, const char *key, const char *iri, json_t *value,
                            json_t *result, const char *base_url, int depth) {
        json_t *def = tdef(ac, key), *ev, *x;
        size_t i;

        if (streq(jstr(def, "type"), "@json"))
                ev = json_pack("{s:O,s:s}", "@value", value, "@type", "@json");
        else if (has_container(def, "@language") && json_is_object(value))
                ev = expand_language_map(j, ac, def, key, value);
        else if ((has_container(def, "@index") || has_container(def, "@type") || has_container(def, "@id")) &&
                 json_is_object(value))
                ev = expand_index_map(j, ac, def, key, value, base_url, depth);
        else
                ev = expand(j, ac, key, value, base_url, false, depth + 1);
        if (!ev || j->st) {
                json_decref(ev);
                return;
        }
        if (has_container(def, "@list") && !(json_is_object(ev) && json_object_get(ev, "@list"))) {
                x = json_pack("{s:o}", "@list", as_array(ev));
                json_decref(ev);
                ev = x;
        }
        if (has_container(def, "@graph") && !has_container(def, "@id") && !has_container(def, "@index")) {
                json_t *items = as_array(ev), *item;
                json_decref(ev);
                ev = json_array();
                json_array_foreach(items, i, item) json_array_append_new(ev, json_pack("{s:o}", "@graph", as_array(item)));
                json_decref(items);
        }
        if (json_is_true(json_object_get(def, "reverse")))
                push_reverse(j, result, iri, ev);
        else
                push(result, iri, ev);
        json_decref(ev);
}

/* steps 13 and 14 over el's entries */
static void expand_entries(struct jl *j, json_t *ac, json_t *tsc, const char *prop, json_t *el, json_t *result,
                           const char *input_type, const char *base_url, int depth) {
        json_t *nests = json_object();
        size_t n, i;
        const char **keys = sorted_keys(el, &n);

        if (depth > MAX_DEPTH)
                fail(j, FD_E_LIMIT, "document nested too deeply", NULL);
        for (size_t k = 0; k < n && !j->st; k++) {
                const char *key = keys[k];
                json_t *value = json_object_get(el, key);
                if (strcmp(key, "@context") == 0)
                        continue;
                char *iri = expand_iri(j, ac, key, false, true, NULL);
                if (iri && is_keyword(iri))
                        expand_keyword(j, ac, tsc, prop, key, iri, value, result, nests, input_type, base_url, depth);
                else if (iri && strchr(iri, ':'))
                        expand_property(j, ac, key, iri, value, result, base_url, depth);
                free(iri);
        }
        free(keys);
        keys = sorted_keys(nests, &n);
        for (size_t k = 0; k < n && !j->st; k++) {
                json_t *nvs = as_array(json_object_get(el, keys[k])), *nv;
                json_array_foreach(nvs, i, nv) {
                        const char *nk;
                        json_t *x;
                        bool ok = json_is_object(nv);
                        json_object_foreach(nv, nk, x) {
                                char *e = expand_iri(j, ac, nk, false, true, NULL);
                                ok &= !streq(e, "@value");
                                free(e);
                        }
                        if (!ok) {
                                invalid(j, "invalid @nest value", keys[k]);
                                break;
                        }
                        /* a nesting term's own scoped context applies to what it nests */
                        json_t *nac = apply_scoped(j, ac, tdef(ac, keys[k]), true, true);
                        if (nac)
                                expand_entries(j, nac, tsc, prop, nv, result, input_type, base_url, depth + 1);
                        json_decref(nac);
                }
                json_decref(nvs);
        }
        free(keys);
        json_decref(nests);
}

/* 15 - 19: the checks on an expanded map; returns result, another value or NULL */
static json_t *finish_map(struct jl *j, json_t *result, const char *prop) {
        json_t *v = json_object_get(result, "@value"), *t = json_object_get(result, "@type");
        size_t n = json_object_size(result);

        if (v) {
                static const char *const keys[] = {"@direction", "@index", "@language", "@type", "@value"};
                const char *bad = key_not_in(result, keys, FD_ELEMENTSOF(keys));
                if (bad) {
                        invalid(j, "invalid value object", bad);
                        goto drop;
                }
                if (t && (json_object_get(result, "@language") || json_object_get(result, "@direction"))) {
                        invalid(j, "invalid value object", "@type with @language or @direction");
                        goto drop;
                }
                if (jis(t, "@json"))
                        return result;
                if (json_is_null(v) || (json_is_array(v) && json_array_size(v) == 0))
                        goto drop;
                if (!json_is_string(v) && json_object_get(result, "@language")) {
                        invalid(j, "invalid language-tagged value", NULL);
                        goto drop;
                }
                if (t && !(json_is_string(t) && iri_ok(json_string_value(t)))) {
                        invalid(j, "invalid typed value", json_string_value(t));
                        goto drop;
                }
        } else if (t && !json_is_array(t))
                json_object_set_new(result, "@type", json_pack("[O]", t));
        else if (json_object_get(result, "@set") || json_object_get(result, "@list")) {
                if (n > 2 || (n == 2 && !json_object_get(result, "@index"))) {
                        invalid(j, "invalid set or list object", NULL);
                        goto drop;
                }
                json_t *set = json_object_get(result, "@set");
                if (set) {
                        json_incref(set);
                        json_decref(result);
                        result = set;
                }
        }
        if (json_is_object(result) && json_object_size(result) == 1 && json_object_get(result, "@language"))
                goto drop;
        if ((!prop || strcmp(prop, "@graph") == 0) && json_is_object(result)) {
                n = json_object_size(result);
                if (n == 0 || json_object_get(result, "@value") || json_object_get(result, "@list") ||
                    (n == 1 && json_object_get(result, "@id")))
                        goto drop;
        }
        return result;
drop:
        json_decref(result);
        return NULL;
}

/* The Expansion Algorithm (13): a new reference, or NULL (null, or an error in j->st). */
static json_t *expand(struct jl *j, json_t *ac, const char *prop, json_t *el, const char *base_url, bool from_map,
                      int depth) {
        json_t *pdef, *x, *result = NULL, *tsc = NULL;
        char *input_type = NULL;
        size_t i, n;

        if (j->st || !el || json_is_null(el))
                return NULL;
        if (depth > MAX_DEPTH) {
                fail(j, FD_E_LIMIT, "document nested too deeply", NULL);
                return NULL;
        }
        pdef = tdef(ac, prop);
        /* 4 */
        if (!json_is_array(el) && !json_is_object(el)) {
                if (!prop || strcmp(prop, "@graph") == 0)
                        return NULL;
                json_t *c = apply_scoped(j, ac, pdef, true, true);
                result = c ? expand_value(j, c, prop, el) : NULL;
                json_decref(c);
                return result;
        }
        /* 5 */
        if (json_is_array(el)) {
                result = json_array();
                json_array_foreach(el, i, x) {
                        json_t *e = expand(j, ac, prop, x, base_url, from_map, depth + 1);
                        if (j->st) {
                                json_decref(e);
                                break;
                        }
                        if (has_container(pdef, "@list") && json_is_array(e)) {
                                json_t *l = json_pack("{s:o}", "@list", e);
                                e = l;
                        }
                        if (json_is_array(e))
                                json_array_extend(result, e);
                        else if (e)
                                json_array_append(result, e);
                        json_decref(e);
                }
                return result;
        }
        /* 7 */
        ac = json_incref(ac);
        if (json_object_get(ac, "prev") && !from_map) {
                bool keep = false;
                const char *k;
                json_object_foreach(el, k, x) {
                        char *e = expand_iri(j, ac, k, false, true, NULL);
                        keep |= streq(e, "@value") || (json_object_size(el) == 1 && streq(e, "@id"));
                        free(e);
                }
                if (!keep) {
                        x = json_incref(json_object_get(ac, "prev"));
                        json_decref(ac);
                        ac = x;
                }
        }
        /* 8 */
        if (json_object_get(pdef, "context")) {
                x = apply_scoped(j, ac, pdef, true, true);
                json_decref(ac);
                if (!(ac = x))
                        return NULL;
        }
        /* 9 */
        if ((x = json_object_get(el, "@context"))) {
                x = process_context(j, ac, x, base_url, NULL, false, true, true);
                json_decref(ac);
                if (!(ac = x))
                        return NULL;
        }
        /* 10, 11 */
        tsc = json_incref(ac);
        const char **keys = sorted_keys(el, &n);
        bool first = true;
        for (size_t k = 0; k < n && !j->st; k++) {
                char *e = expand_iri(j, ac, keys[k], false, true, NULL);
                bool is_type = streq(e, "@type");
                free(e);
                if (!is_type)
                        continue;
                json_t *vals = as_array(json_object_get(el, keys[k]));
                size_t nt = json_array_size(vals), m = 0;
                const char **terms = calloc(nt + 1, sizeof *terms);
                json_array_foreach(vals, i, x) if (json_is_string(x) && terms) terms[m++] = json_string_value(x);
                if (terms)
                        qsort(terms, m, sizeof *terms, cmp_key);
                for (size_t t = 0; t < m && !j->st; t++) {
                        json_t *d = tdef(tsc, terms[t]);
                        if (!json_object_get(d, "context"))
                                continue;
                        json_t *c = apply_scoped(j, ac, d, false, false);
                        json_decref(ac);
                        ac = c;
                        if (!ac)
                                break;
                }
                /* 12: the input type, from the first entry expanding to @type */
                if (first && m && ac) {
                        input_type = expand_iri(j, ac, terms[m - 1], true, true, NULL);
                        first = false;
                }
                free(terms);
                json_decref(vals);
                if (!ac)
                        break;
        }
        free(keys);
        if (ac && !j->st) {
                result = json_object();
                expand_entries(j, ac, tsc, prop, el, result, input_type, base_url, depth);
        }
        free(input_type);
        json_decref(tsc);
        json_decref(ac);
        if (j->st) {
                json_decref(result);
                return NULL;
        }
        return finish_map(j, result, prop);
}

static void jl_init(struct jl *j, const struct fd_jsonld_opts *opts, struct fd_error *err) {
        memset(j, 0, sizeof *j);
        j->o = opts;
        j->err = err;
        j->v10 = opts->json_1_0;
        j->docs = json_object();
        j->labels = json_object();
        j->generated = json_array();
}

static void jl_release(struct jl *j) {
        for (size_t i = 0; i < MEMO; i++) {
                json_decref(j->memo[i].active);
                json_decref(j->memo[i].local);
                json_decref(j->memo[i].result);
                free(j->memo[i].base);
        }
        json_decref(j->docs);
        json_decref(j->labels);
        json_decref(j->generated);
}

/* The initial active context (with the expandContext option), NULL on error. */
static json_t *initial_context(struct jl *j) {
        json_t *base = j->o->base ? json_string(j->o->base) : NULL;
        json_t *ac = ctx_new(base);
        json_decref(base);
        if (j->o->expand_context) {
                json_t *lc = json_object_get(j->o->expand_context, "@context");
                json_t *c = process_context(j, ac, lc ? lc : j->o->expand_context, j->o->base, NULL, false, true, true);
                json_decref(ac);
                ac = c;
        }
        return ac;
}

/* The expand() API entry: the expanded document as an array, NULL on error. */
static json_t *expand_document(struct jl *j, json_t *doc) {
        json_t *ac = initial_context(j), *ex;
        if (!ac)
                return NULL;
        ex = expand(j, ac, NULL, doc, j->o->base, false, 0);
        json_decref(ac);
        if (j->st) {
                json_decref(ex);
                return NULL;
        }
        if (json_is_object(ex) && json_object_size(ex) == 1 && json_object_get(ex, "@graph")) {
                json_t *g = json_incref(json_object_get(ex, "@graph"));
                json_decref(ex);
                ex = g;
        }
        json_t *r = as_array(ex);
        json_decref(ex);
        return r;
}

/* For a document that is {"@context": .., "@graph": [..]} and nothing else
 * (a catalogue, most often): the context its @graph items expand in, and the
 * items in *ret_items; NULL otherwise (or on error). */
static json_t *graph_only(struct jl *j, json_t *ac, json_t *doc, json_t **ret_items) {
        json_t *c, *items = NULL, *lc = json_object_get(doc, "@context");
        const char *k;
        json_t *v;
        if (!json_is_object(doc) || json_object_size(doc) != (lc ? 2u : 1u))
                return NULL;
        c = lc ? process_context(j, ac, lc, j->o->base, NULL, false, true, true) : json_incref(ac);
        if (!c)
                return NULL;
        json_object_foreach(doc, k, v) {
                char *e = strcmp(k, "@context") != 0 ? expand_iri(j, c, k, false, true, NULL) : NULL;
                if (streq(e, "@graph") && json_is_array(v))
                        items = v;
                free(e);
        }
        if (!items) {
                json_decref(c);
                return NULL;
        }
        *ret_items = items;
        return c;
}

enum fd_status fd_jsonld_expand(json_t *doc, const struct fd_jsonld_opts *opts, json_t **ret, struct fd_error *err) {
        struct jl j;
        jl_init(&j, opts, err);
        json_t *ex = expand_document(&j, doc);
        enum fd_status st = j.st;
        jl_release(&j);
        if (!st)
                *ret = ex;
        return st;
}

/* ---- canonical JSON (RFC 8785) for rdf:JSON literals --------------------------------- */

/* ECMAScript's Number::toString: the shortest digits that read back as d */
static void es_number(double d, char *out, size_t n) {
        char buf[40], digits[40], tmp[80];
        size_t k = 0, w = 0;
        int p, e;
        if (d == 0 || !isfinite(d)) {
                snprintf(out, n, "%s", d == 0 ? "0" : "null");
                return;
        }
        if (d == floor(d) && fabs(d) < 1e21) {
                snprintf(out, n, "%.0f", d);
                return;
        }
        for (p = 1; p < 17; p++) {
                snprintf(buf, sizeof buf, "%.*e", p - 1, d);
                if (strtod(buf, NULL) == d)
                        break;
        }
        snprintf(buf, sizeof buf, "%.*e", p - 1, d);
        const char *s = buf, *x = strchr(buf, 'e');
        if (d < 0) {
                tmp[w++] = '-';
                s++;
        }
        for (; s < x; s++)
                if (isdigit((unsigned char)*s))
                        digits[k++] = *s;
        while (k > 1 && digits[k - 1] == '0')
                k--;
        digits[k] = '\0';
        e = (int)strtol(x + 1, NULL, 10) + 1; /* the spec's n: d = 0.digits * 10^e */
        if ((int)k <= e && e <= 21) {
                w += (size_t)snprintf(tmp + w, sizeof tmp - w, "%s", digits);
                for (int z = 0; z < e - (int)k; z++)
                        tmp[w++] = '0';
        } else if (0 < e && e <= 21)
                w += (size_t)snprintf(tmp + w, sizeof tmp - w, "%.*s.%s", e, digits, digits + e);
        else if (-6 < e && e <= 0) {
                tmp[w++] = '0';
                tmp[w++] = '.';
                for (int z = 0; z < -e; z++)
                        tmp[w++] = '0';
                w += (size_t)snprintf(tmp + w, sizeof tmp - w, "%s", digits);
        } else
                w += (size_t)snprintf(tmp + w, sizeof tmp - w, "%c%s%se%c%d", digits[0], k > 1 ? "." : "",
                                      digits + 1, e - 1 >= 0 ? '+' : '-', abs(e - 1));
        tmp[w] = '\0';
        snprintf(out, n, "%s", tmp);
}

static void canon_string(FILE *f, const char *s) {
        fputc('"', f);
        for (; *s; s++) {
                unsigned char c = (unsigned char)*s;
                switch (c) {
                case '"': fputs("\\\"", f); break;
                case '\\': fputs("\\\\", f); break;
                case '\b': fputs("\\b", f); break;
                case '\f': fputs("\\f", f); break;
                case '\n': fputs("\\n", f); break;
                case '\r': fputs("\\r", f); break;
                case '\t': fputs("\\t", f); break;
                default:
                        if (c < 0x20)
                                fprintf(f, "\\u%04x", c);
                        else
                                fputc(c, f);
                }
        }
        fputc('"', f);
}

static void canon_json(FILE *f, json_t *v, int depth) {
        char num[64];
        size_t i, n;
        json_t *x;
        if (depth > MAX_DEPTH)
                return;
        switch (json_typeof(v)) {
        case JSON_OBJECT: {
                const char **keys = sorted_keys(v, &n);
                fputc('{', f);
                for (i = 0; i < n; i++) {
                        if (i)
                                fputc(',', f);
                        canon_string(f, keys[i]);
                        fputc(':', f);
                        canon_json(f, json_object_get(v, keys[i]), depth + 1);
                }
                fputc('}', f);
                free(keys);
                break;
        }
        case JSON_ARRAY:
                fputc('[', f);
                json_array_foreach(v, i, x) {
                        if (i)
                                fputc(',', f);
                        canon_json(f, x, depth + 1);
                }
                fputc(']', f);
                break;
        case JSON_STRING: canon_string(f, json_string_value(v)); break;
        case JSON_INTEGER: fprintf(f, "%lld", (long long)json_integer_value(v)); break;
        case JSON_REAL:
                es_number(json_real_value(v), num, sizeof num);
                fputs(num, f);
                break;
        case JSON_TRUE: fputs("true", f); break;
        case JSON_FALSE: fputs("false", f); break;
        default: fputs("null", f);
        }
}

/* ---- toRdf -------------------------------------------------------------------------- */

/* BCP 47's shape: 1-8 letters, then -subtags of 1-8 letters or digits */
static bool lang_ok(const char *s) {
        size_t n = 0;
        bool first = true;
        for (; *s; s++) {
                if (*s == '-') {
                        if (!n)
                                return false;
                        n = 0;
                        first = false;
                } else if (isalpha((unsigned char)*s) || (!first && isdigit((unsigned char)*s))) {
                        if (++n > 8)
                                return false;
                } else
                        return false;
        }
        return n > 0;
}

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

/* An IRI or blank node term of s; false when s is neither (a relative IRI). */
static bool iri_term(struct jl *j, const char *s, struct fd_rdf_term *t, char *buf, size_t n) {
        memset(t, 0, sizeof *t);
        if (!s)
                return false;
        if (strncmp(s, "_:", 2) == 0) {
                t->kind = FD_RDF_BLANK;
                const char *l = blank_label(j, s, buf, n);
                if (l != buf)
                        snprintf(buf, n, "%s", l);
                t->value = buf;
                return true;
        }
        if (!iri_ok(s))
                return false;
        t->kind = FD_RDF_IRI;
        t->value = s;
        return true;
}

/* A node's subject term; false when its @id is not usable. */
static bool node_term(struct jl *j, json_t *node, struct fd_rdf_term *t, char *buf, size_t n) {
        json_t *id = json_object_get(node, "@id");
        if (!id) {
                /* name the node in place so that every visit sees the same label */
                char gen[64];
                snprintf(gen, sizeof gen, "_:fd-gen-%lu", j->n_blank++);
                json_object_set_new(node, "@id", json_string(gen));
                json_array_append_new(j->generated, json_string(gen));
                id = json_object_get(node, "@id");
        }
        return iri_term(j, json_string_value(id), t, buf, n);
}

static void emit_quad(struct jl *j, const struct fd_rdf_term *s, const struct fd_rdf_term *p,
                      const struct fd_rdf_term *o, const struct fd_rdf_term *g) {
        if (j->st)
                return;
        if (p->kind == FD_RDF_BLANK && !j->o->produce_generalized)
                return;
        j->st = j->fn(j->ud, s, p, o, g, j->err);
}

static const struct fd_rdf_term rdf_first = {FD_RDF_IRI, FD_NS_RDF "first", NULL, NULL},
                                rdf_rest = {FD_RDF_IRI, FD_NS_RDF "rest", NULL, NULL},
                                rdf_nil = {FD_RDF_IRI, FD_NS_RDF "nil", NULL, NULL},
                                rdf_type = {FD_RDF_IRI, FD_NS_RDF "type", NULL, NULL},
                                rdf_value = {FD_RDF_IRI, FD_NS_RDF "value", NULL, NULL},
                                rdf_language = {FD_RDF_IRI, FD_NS_RDF "language", NULL, NULL},
                                rdf_direction = {FD_RDF_IRI, FD_NS_RDF "direction", NULL, NULL};

/* The term of an object; lex (lexn bytes) holds a built lexical form, buf a blank label. */
struct obj {
        struct fd_rdf_term t;
        char buf[64], lex[64], dt[256];
        char *json; /* a canonical JSON literal */
};

static bool object_term(struct jl *j, json_t *item, const struct fd_rdf_term *g, struct obj *o, int depth);
static void node_to_rdf(struct jl *j, json_t *node, const struct fd_rdf_term *g, int depth);

/* 8.2 List Conversion */
static void list_to_rdf(struct jl *j, json_t *items, const struct fd_rdf_term *g, struct obj *head, int depth) {
        size_t count = json_array_size(items);
        char cur[64], nxt[64], tmp[64];
        if (count == 0) {
                head->t = rdf_nil;
                return;
        }
        snprintf(cur, sizeof cur, "%s", blank_label(j, NULL, tmp, sizeof tmp));
        snprintf(head->buf, sizeof head->buf, "%s", cur);
        head->t.kind = FD_RDF_BLANK;
        head->t.value = head->buf;
        for (size_t i = 0; i < count && !j->st; i++) {
                struct fd_rdf_term c = {.kind = FD_RDF_BLANK, .value = cur};
                struct obj o = {0};
                if (object_term(j, json_array_get(items, i), g, &o, depth + 1))
                        emit_quad(j, &c, &rdf_first, &o.t, g);
                free(o.json);
                if (i + 1 < count) {
                        snprintf(nxt, sizeof nxt, "%s", blank_label(j, NULL, tmp, sizeof tmp));
                        struct fd_rdf_term r = {.kind = FD_RDF_BLANK, .value = nxt};
                        emit_quad(j, &c, &rdf_rest, &r, g);
                        snprintf(cur, sizeof cur, "%s", nxt);
                } else
                        emit_quad(j, &c, &rdf_rest, &rdf_nil, g);
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

/* 8.1 Object to RDF Conversion */
static bool object_term(struct jl *j, json_t *item, const struct fd_rdf_term *g, struct obj *o, int depth) {
        memset(&o->t, 0, sizeof o->t);
        if (!json_is_object(item) || depth > MAX_DEPTH * 4)
                return false;
        if (json_object_get(item, "@list")) {
                list_to_rdf(j, json_object_get(item, "@list"), g, o, depth);
                return true;
        }
        json_t *v = json_object_get(item, "@value");
        if (!v) {
                if (!node_term(j, item, &o->t, o->buf, sizeof o->buf))
                        return false;
                node_to_rdf(j, item, g, depth + 1);
                return true;
        }
        const char *type = jstr(item, "@type"), *lang = jstr(item, "@language"), *dir = jstr(item, "@direction");
        if (type && !streq(type, "@json") && !iri_ok(type))
                return false;
        if (lang && !lang_ok(lang))
                return false;
        o->t.kind = FD_RDF_LITERAL;
        if (streq(type, "@json")) {
                size_t len = 0;
                FILE *f = open_memstream(&o->json, &len);
                if (!f)
                        return false;
                canon_json(f, v, 0);
                fclose(f);
                o->t.value = o->json;
                o->t.datatype = FD_NS_RDF "JSON";
        } else if (json_is_boolean(v)) {
                o->t.value = json_is_true(v) ? "true" : "false";
                o->t.datatype = type ? type : FD_NS_XSD "boolean";
        } else if (json_is_number(v)) {
                double d = json_number_value(v);
                bool integral = json_is_integer(v) || (d == floor(d) && fabs(d) < 1e21);
                if (!integral || streq(type, FD_NS_XSD "double")) {
                        canonical_double(d, o->lex, sizeof o->lex);
                        o->t.datatype = type ? type : FD_NS_XSD "double";
                } else {
                        if (json_is_integer(v))
                                snprintf(o->lex, sizeof o->lex, "%lld", (long long)json_integer_value(v));
                        else
                                snprintf(o->lex, sizeof o->lex, "%.0f", d == 0 ? 0.0 : d); /* not "-0" */
                        o->t.datatype = type ? type : FD_NS_XSD "integer";
                }
                o->t.value = o->lex;
        } else if (json_is_string(v)) {
                const char *mode = j->o->rdf_direction;
                o->t.value = json_string_value(v);
                if (type)
                        o->t.datatype = type;
                else if (dir && streq(mode, "i18n-datatype")) {
                        char *low = lang ? lower_dup(lang) : NULL;
                        snprintf(o->dt, sizeof o->dt, I18N "%s_%s", low ? low : "", dir);
                        free(low);
                        o->t.datatype = o->dt;
                } else if (dir && streq(mode, "compound-literal")) {
                        struct fd_rdf_term b = {.kind = FD_RDF_BLANK};
                        struct fd_rdf_term lit = {.kind = FD_RDF_LITERAL, .datatype = FD_NS_XSD "string"};
                        b.value = blank_label(j, NULL, o->buf, sizeof o->buf);
                        lit.value = json_string_value(v);
                        emit_quad(j, &b, &rdf_value, &lit, g);
                        if (lang) {
                                lit.value = lang;
                                emit_quad(j, &b, &rdf_language, &lit, g);
                        }
                        lit.value = dir;
                        emit_quad(j, &b, &rdf_direction, &lit, g);
                        o->t = b;
                } else if (lang) {
                        o->t.lang = lang;
                        o->t.datatype = FD_NS_RDF "langString";
                } else
                        o->t.datatype = FD_NS_XSD "string";
        } else
                return false;
        return true;
}

static void graph_to_rdf(struct jl *j, json_t *nodes, const struct fd_rdf_term *g, int depth) {
        json_t *x;
        size_t i;
        json_array_foreach(nodes, i, x) if (is_node(x)) node_to_rdf(j, x, g, depth + 1);
}

/* the quads of one node object, and of the nodes it embeds */
static void node_to_rdf(struct jl *j, json_t *node, const struct fd_rdf_term *g, int depth) {
        struct fd_rdf_term s;
        char sbuf[64];
        const char *key;
        json_t *val, *x;
        size_t i;

        if (j->st || depth > MAX_DEPTH * 4)
                return;
        bool ok = node_term(j, node, &s, sbuf, sizeof sbuf);
        json_object_foreach(node, key, val) {
                if (j->st)
                        return;
                if (strcmp(key, "@graph") == 0) {
                        if (ok)
                                graph_to_rdf(j, val, &s, depth);
                } else if (strcmp(key, "@included") == 0)
                        graph_to_rdf(j, val, g, depth);
                else if (strcmp(key, "@type") == 0) {
                        json_array_foreach(val, i, x) {
                                struct fd_rdf_term o;
                                char tb[64];
                                if (ok && iri_term(j, json_string_value(x), &o, tb, sizeof tb))
                                        emit_quad(j, &s, &rdf_type, &o, g);
                        }
                } else if (strcmp(key, "@reverse") == 0) {
                        const char *rk;
                        json_t *rv;
                        json_object_foreach(val, rk, rv) {
                                struct fd_rdf_term p;
                                char pb[64];
                                bool pok = iri_term(j, rk, &p, pb, sizeof pb);
                                json_array_foreach(rv, i, x) {
                                        struct fd_rdf_term o;
                                        char ob[64];
                                        if (!is_node(x) || !node_term(j, x, &o, ob, sizeof ob))
                                                continue;
                                        node_to_rdf(j, x, g, depth + 1);
                                        if (ok && pok)
                                                emit_quad(j, &o, &p, &s, g);
                                }
                        }
                } else if (key[0] != '@') {
                        struct fd_rdf_term p;
                        char pb[64];
                        bool pok = iri_term(j, key, &p, pb, sizeof pb);
                        json_array_foreach(val, i, x) {
                                struct obj o = {0};
                                if (object_term(j, x, g, &o, depth) && ok && pok)
                                        emit_quad(j, &s, &p, &o.t, g);
                                free(o.json);
                        }
                }
        }
}

/* A top-level array, or the @graph of a document that is only that, is
 * expanded and converted an item at a time: the expanded copy held is one
 * item's, not the document's (the quads are the same: blank node labels
 * and remembered contexts live in j for the whole document). */
/* One top-level item: expanded in ac (an array's) or gac (a @graph's), its quads sent. */
static void item_to_rdf(struct jl *j, json_t *ac, json_t *gac, json_t *x) {
        json_t *ex = expand(j, gac ? gac : ac, gac ? "@graph" : NULL, x, j->o->base, false, 1);
        json_t *nodes = j->st ? NULL : as_array(ex);
        json_decref(ex);
        graph_to_rdf(j, nodes, NULL, 0);
        json_decref(nodes);
        /* the names made up for this item's unnamed nodes appear in no other
         * item: forgetting them keeps a long document's memory flat */
        size_t i;
        json_t *g;
        json_array_foreach(j->generated, i, g) json_object_del(j->labels, json_string_value(g));
        json_array_clear(j->generated);
}

struct fd_jsonld_stream {
        struct fd_jsonld_opts opts;
        struct jl j;
        json_t *ac, *gac;
};

enum fd_status fd_jsonld_stream_new(const struct fd_jsonld_opts *opts, bool graph, json_t *context,
                                    fd_jsonld_quad_fn fn, void *ud, struct fd_error *err,
                                    struct fd_jsonld_stream **ret) {
        struct fd_jsonld_stream *s = calloc(1, sizeof *s);

        if (!s)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        s->opts = *opts;
        jl_init(&s->j, &s->opts, err);
        s->j.fn = fn;
        s->j.ud = ud;
        if ((s->ac = initial_context(&s->j)) && graph)
                s->gac = context ? process_context(&s->j, s->ac, context, opts->base, NULL, false, true, true)
                                 : json_incref(s->ac);
        enum fd_status st = s->j.st;
        if (!st && (!s->ac || (graph && !s->gac)))
                st = fd_error_set(err, FD_E_NOMEM, "out of memory");
        if (st) {
                fd_jsonld_stream_free(s);
                return st;
        }
        *ret = s;
        return FD_OK;
}

enum fd_status fd_jsonld_stream_item(struct fd_jsonld_stream *s, json_t *item) {
        if (!s->j.st)
                item_to_rdf(&s->j, s->ac, s->gac, item);
        return s->j.st;
}

void fd_jsonld_stream_free(struct fd_jsonld_stream *s) {
        if (!s)
                return;
        json_decref(s->gac);
        json_decref(s->ac);
        jl_release(&s->j);
        free(s);
}

enum fd_status fd_jsonld_to_rdf(json_t *doc, const struct fd_jsonld_opts *opts, fd_jsonld_quad_fn fn, void *ud,
                                struct fd_error *err) {
        struct jl j;
        json_t *ac, *gac = NULL, *items = NULL, *x;
        size_t i;

        jl_init(&j, opts, err);
        j.fn = fn;
        j.ud = ud;
        if ((ac = initial_context(&j))) {
                if (json_is_array(doc))
                        items = doc;
                else
                        gac = graph_only(&j, ac, doc, &items);
        }
        if (items) {
                json_array_foreach(items, i, x) {
                        item_to_rdf(&j, ac, gac, x);
                        if (j.st)
                                break;
                }
        } else if (ac && !j.st) {
                json_t *nodes = expand_document(&j, doc);
                graph_to_rdf(&j, nodes, NULL, 0);
                json_decref(nodes);
        }
        json_decref(gac);
        json_decref(ac);
        enum fd_status st = j.st;
        jl_release(&j);
        return st;
}
