/* xmlmap.c: the table-driven walker (see xmlmap.h for the table form).
 *
 * Paths are compiled once per process (pthread_once) into steps whose
 * namespaces are resolved to URI lists, so matching an element is a few
 * string compares from the element up its parents: the walker visits each
 * element of the record once and tries the rules of the table in hand
 * (those of the metadata root, or of the group it is in), cheapest test
 * first (the local name).  Values go through the record's adders, which
 * normalize them (PIDs, dates, languages, licences, types); the named
 * transforms here only say which adder and with what type, scheme or role.
 * Formats with shapes no table says (a MARC leader, "ddc:020") hand a value
 * to an FD_X_CALL function of their own.
 */
#include <assert.h>
#include <pthread.h>
#include <strings.h>

#include "xmlmap.h"

#define MAX_STEPS 8
#define MAX_URIS 6
#define MAX_IDS 6

struct pred {
        const char *attr, *ns;  /* NULL: no predicate */
        const char **vals;      /* the values ('|'-separated in the path); NULL: present */
        size_t *lens, n_vals;
        bool absent;            /* "[!@x]": the attribute is not there */
};

struct cstep {
        bool gap;                      /* "//" before it: any elements in between */
        const char *name;              /* NULL: any element */
        const char *uris[MAX_URIS];
        size_t n_uris;                 /* 0: any namespace */
        struct pred pred[2];
};

struct crule {
        const struct fd_xrule *src;
        struct cstep steps[MAX_STEPS];
        size_t n;
        const char *attr, *attr_ns;    /* the value is this attribute */
        const char *arg_attr;          /* arg "@x": the attribute holding the arg */
        struct crules *sub;
};

struct crules {
        struct crule *v;
        size_t n;
        /* by the first byte of the element name a rule's last step wants: the
         * rules to try, in table order (those for any element in every list) */
        uint16_t *by_char[256];
        uint16_t n_by_char[256];
};

/* Compiled once per process and never freed: every harvest thread reads them. */
struct compiled {
        const struct fd_xformat *f;
        struct crules *rules;
};

static const struct fd_xformat *const formats[] = {
        &fd_xformat_dc,       &fd_xformat_marc21,     &fd_xformat_mods, &fd_xformat_ddi,
        &fd_xformat_iso19139, &fd_xformat_iso19115_3, &fd_xformat_eml,  &fd_xformat_cerif,
        &fd_xformat_edm,      &fd_xformat_doaj,       &fd_xformat_cmdi, &fd_xformat_didl,
        &fd_xformat_mets,     &fd_xformat_ese,        &fd_xformat_fgdc, &fd_xformat_re3data,
        &fd_xformat_ddi3,
};
static struct compiled compiled[FD_ELEMENTSOF(formats)];
static pthread_once_t compile_once = PTHREAD_ONCE_INIT;

/* ---- compiling paths -------------------------------------------------------------- */

static void *xalloc(size_t n) {
        void *p = calloc(1, n);
        assert(p);  /* at start-up, a handful of small tables */
        return p;
}

static char *xstrndup(const char *s, size_t n) {
        char *p = xalloc(n + 1);
        memcpy(p, s, n);
        return p;
}

/* Prefixes every table may use without declaring them. */
static const struct fd_xns common_ns[] = {
        {"dc", FD_NS_DC},
        {"dc", FD_NS_DCTERMS},
        {"dcterms", FD_NS_DCTERMS},
        {"rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"},
        {"xlink", "http://www.w3.org/1999/xlink"},
        {"xml", FD_NS_XML},
        {"mods", "http://www.loc.gov/mods/v3"},
        {"oai_dc", FD_NS_OAI_DC},
        {"rioxx", "http://docs.rioxx.net/schema/v3.0/rioxxterms/"},
        {"rioxx", "http://www.rioxx.net/schema/v3.0/rioxxterms/"},
        {"rioxx", "http://docs.rioxx.net/schema/v2.0/rioxxterms/"},
        {"ali", "http://www.niso.org/schemas/ali/1.0/"},
        {NULL, NULL},
};

/* Resolves prefix (n bytes) in f's table (else the common one) into uris;
 * false when undeclared. */
static bool resolve(const struct fd_xformat *f, const char *prefix, size_t n, const char **uris, size_t *ret_n) {
        size_t k = 0;

        for (const struct fd_xns *x = f->ns; x && x->prefix; x++)
                if (strlen(x->prefix) == n && memcmp(x->prefix, prefix, n) == 0 && k < MAX_URIS)
                        uris[k++] = x->uri;
        if (k == 0)
                for (const struct fd_xns *x = common_ns; x->prefix; x++)
                        if (strlen(x->prefix) == n && memcmp(x->prefix, prefix, n) == 0 && k < MAX_URIS)
                                uris[k++] = x->uri;
        *ret_n = k;
        return k > 0;
}

/* "p:name" or "name" (n bytes) into name and namespaces. */
static void compile_qname(const struct fd_xformat *f, const char *s, size_t n, const char **ret_name,
                          const char **uris, size_t *ret_n) {
        const char *colon = memchr(s, ':', n);

        *ret_n = 0;
        if (colon) {
                bool ok = resolve(f, s, (size_t)(colon - s), uris, ret_n);
                assert(ok && "undeclared namespace prefix in a mapping table");
                (void)ok;
                n -= (size_t)(colon + 1 - s);
                s = colon + 1;
        }
        *ret_name = n == 1 && s[0] == '*' ? NULL : xstrndup(s, n);
}

static void compile_attr(const struct fd_xformat *f, const char *s, size_t n, const char **ret_name,
                         const char **ret_ns) {
        const char *uris[MAX_URIS];
        size_t k;

        compile_qname(f, s, n, ret_name, uris, &k);
        *ret_ns = k ? uris[0] : NULL;
}

/* "a|b|c" (n bytes) into pr's values and their lengths. */
static void compile_vals(struct pred *pr, const char *s, size_t n) {
        size_t k = 1;

        for (size_t i = 0; i < n; i++)
                k += s[i] == '|';
        pr->vals = xalloc(k * sizeof *pr->vals);
        pr->lens = xalloc(k * sizeof *pr->lens);
        for (const char *p = s, *end = s + n; pr->n_vals < k; p++) {
                const char *bar = memchr(p, '|', (size_t)(end - p));
                size_t len = (size_t)((bar ? bar : end) - p);
                pr->lens[pr->n_vals] = len;
                pr->vals[pr->n_vals++] = xstrndup(p, len);
                p += len;
        }
}

static struct crules *compile_rules(const struct fd_xformat *f, const struct fd_xrule *rules);

static void compile_rule(const struct fd_xformat *f, const struct fd_xrule *src, struct crule *c) {
        const char *p = src->path;
        bool gap = false;

        c->src = src;
        while (*p) {
                if (p[0] == '/') {
                        gap = true;
                        p++;
                        continue;
                }
                size_t len = strcspn(p, "/[");
                if (p[0] == '@') {
                        compile_attr(f, p + 1, len - 1, &c->attr, &c->attr_ns);
                        p += len;
                } else if (len == 1 && p[0] == '.') {
                        p += 1;
                } else {
                        assert(c->n < MAX_STEPS);
                        struct cstep *s = &c->steps[c->n++];
                        s->gap = gap;
                        gap = false;
                        compile_qname(f, p, len, &s->name, s->uris, &s->n_uris);
                        p += len;
                        for (size_t k = 0; *p == '['; k++) {
                                const char *end = strchr(p, ']');
                                struct pred *pr = &s->pred[k];
                                assert(end && k < FD_ELEMENTSOF(s->pred));
                                p++;
                                if (*p == '!') {
                                        pr->absent = true;
                                        p++;
                                }
                                assert(*p == '@');
                                const char *eq = memchr(p, '=', (size_t)(end - p));
                                const char *aend = eq ? eq : end;
                                compile_attr(f, p + 1, (size_t)(aend - p - 1), &pr->attr, &pr->ns);
                                if (eq)
                                        compile_vals(pr, eq + 1, (size_t)(end - eq - 1));
                                p = end + 1;
                        }
                }
                if (*p == '/')
                        p++;
        }
        assert(!gap || c->n == 0);
        if (src->arg && src->arg[0] == '@')
                c->arg_attr = src->arg + 1;
        if (src->sub)
                c->sub = compile_rules(f, src->sub);
}

static struct crules *compile_rules(const struct fd_xformat *f, const struct fd_xrule *rules) {
        struct crules *l = xalloc(sizeof *l);

        while (rules[l->n].path)
                l->n++;
        l->v = xalloc((l->n ? l->n : 1) * sizeof *l->v);
        for (size_t i = 0; i < l->n; i++)
                compile_rule(f, &rules[i], &l->v[i]);
        for (unsigned ch = 0; ch < 256; ch++) {
                for (size_t i = 0; i < l->n; i++) {
                        const struct crule *c = &l->v[i];
                        const char *name = c->n ? c->steps[c->n - 1].name : "";
                        if (c->n == 0 || (name && (unsigned char)name[0] != ch))
                                continue;
                        if (!l->by_char[ch])
                                l->by_char[ch] = xalloc(l->n * sizeof *l->by_char[ch]);
                        l->by_char[ch][l->n_by_char[ch]++] = (uint16_t)i;
                }
        }
        return l;
}

static void compile_all(void) {
        for (size_t i = 0; i < FD_ELEMENTSOF(formats); i++) {
                compiled[i].f = formats[i];
                compiled[i].rules = compile_rules(formats[i], formats[i]->rules);
        }
}

/* Tables that are not among formats[] (a test's own) are compiled on first
 * use, a few at most. */
#define MAX_OTHER 8
static struct compiled other[MAX_OTHER];
static size_t n_other;
static pthread_mutex_t other_lock = PTHREAD_MUTEX_INITIALIZER;

static const struct crules *rules_of(const struct fd_xformat *f) {
        const struct crules *r = NULL;

        pthread_once(&compile_once, compile_all);
        for (size_t i = 0; i < FD_ELEMENTSOF(formats); i++)
                if (compiled[i].f == f)
                        return compiled[i].rules;
        pthread_mutex_lock(&other_lock);
        for (size_t i = 0; i < n_other && !r; i++)
                if (other[i].f == f)
                        r = other[i].rules;
        if (!r && n_other < MAX_OTHER) {
                other[n_other].f = f;
                r = other[n_other++].rules = compile_rules(f, f->rules);
        }
        pthread_mutex_unlock(&other_lock);
        return r;
}

/* ---- matching ------------------------------------------------------------------------ */

/* Whether a string of the tree (a name or namespace URI: libxml2 dictionary
 * strings, one pointer per distinct string while the parser lives) equals
 * one of the compiled tables (static for the process), remembered for the
 * walk in hand by the pair of pointers: a record compares the same few
 * names and long namespace URIs against the same rules again and again.
 * The memo is the thread's (harvests run in threads of their own) and a
 * walk's entries are told from older ones by its generation, so no pointer
 * of a freed tree is ever trusted. */
#define MEMO_SLOTS 512

struct memo_slot {
        const char *tree, *table;
        uint64_t gen;
        bool eq;
};

static _Thread_local struct memo_slot memo[MEMO_SLOTS];
static _Thread_local uint64_t memo_gen;

static bool same(const char *tree, const char *table) {
        size_t h = (((uintptr_t)tree >> 3) * 0x9e3779b1u ^ ((uintptr_t)table >> 3)) & (MEMO_SLOTS - 1);
        struct memo_slot *m = &memo[h];

        if (m->gen != memo_gen || m->tree != tree || m->table != table)
                *m = (struct memo_slot){tree, table, memo_gen, strcmp(tree, table) == 0};
        return m->eq;
}

/* Attribute {ns}name of n; ns NULL: in any namespace, or (strict) in none. */
static const char *attr_in(const struct fd_xnode *n, const char *ns, const char *name, bool strict) {
        for (size_t i = 0; i < n->n_attrs; i++) {
                const struct fd_xattr *at = &n->attrs[i];
                if (at->name[0] != name[0] || !same(at->name, name))
                        continue;
                if (ns ? at->ns && same(at->ns, ns) : !strict || !at->ns)
                        return at->value;
        }
        return NULL;
}

static const char *attr_of(const struct fd_xnode *n, const char *ns, const char *name) {
        return attr_in(n, ns, name, false);
}

static bool value_in(const char *v, const struct pred *pr) {
        size_t n = strlen(v);

        for (size_t i = 0; i < pr->n_vals; i++)
                if (pr->lens[i] == n && strncasecmp(pr->vals[i], v, n) == 0)
                        return true;
        return false;
}

static bool step_match(const struct cstep *s, const struct fd_xnode *n) {
        if (s->name && (s->name[0] != n->name[0] || !same(n->name, s->name)))
                return false;
        if (s->n_uris) {
                const char *ns = n->ns ? n->ns : "";
                size_t i = 0;
                while (i < s->n_uris && !same(ns, s->uris[i]))
                        i++;
                if (i == s->n_uris)
                        return false;
        }
        for (size_t k = 0; k < FD_ELEMENTSOF(s->pred) && s->pred[k].attr; k++) {
                const struct pred *pr = &s->pred[k];
                /* an unprefixed attribute is in no namespace: MODS
                 * <titleInfo xlink:type="simple"> has no @type */
                const char *v = attr_in(n, pr->ns, pr->attr, true);
                if (pr->absent ? v != NULL : (!v || (pr->vals && !value_in(v, pr))))
                        return false;
        }
        return true;
}

/* Whether step k of c matches n and the steps before it n's ancestors
 * up to ctx ("//": with any elements in between). */
static bool match_at(const struct crule *c, size_t k, const struct fd_xnode *n, const struct fd_xnode *ctx) {
        const struct cstep *s = &c->steps[k];

        if (!n || n == ctx || !step_match(s, n))
                return false;
        const struct fd_xnode *p = n->parent;
        if (k == 0)
                return s->gap || p == ctx;
        if (!s->gap)
                return match_at(c, k - 1, p, ctx);
        for (; p && p != ctx; p = p->parent)
                if (match_at(c, k - 1, p, ctx))
                        return true;
        return false;
}

/* Whether n (below ctx) is at the end of c's path from ctx. */
static bool rule_match(const struct crule *c, const struct fd_xnode *n, const struct fd_xnode *ctx) {
        return c->n > 0 && match_at(c, c->n - 1, n, ctx);
}

/* ---- values ------------------------------------------------------------------------------ */

static bool has_prefix(const char *s, const char *p) { return strncasecmp(s, p, strlen(p)) == 0; }

static const char *mapped(const char *const *map, const char *v) {
        for (size_t i = 0; map && v && map[i]; i += 2)
                if (strcasecmp(map[i], v) == 0)
                        return map[i + 1];
        return v;
}

static const char *lang_of(struct fd_xwalk *w, const struct fd_xnode *n, const char *given) {
        const char *l = given ? given : fd_xnode_lang(n);
        char out[64];

        if (!l)
                l = attr_of(n, NULL, "lang");
        if (!l && n->parent)
                l = attr_of(n->parent, NULL, "lang");  /* MODS: <titleInfo lang="ger"><title> */
        if (!l)
                l = attr_of(n, NULL, "language");
        if (!l && (l = attr_of(n, NULL, "locale"))) {
                /* ISO 19139 PT_FreeText: "#FR", "#locale-fre" */
                l += *l == '#';
                if (strncasecmp(l, "locale-", 7) == 0 || strncasecmp(l, "locale_", 7) == 0)
                        l += 7;
        }
        if (!l || !fd_lang_normalize(l, out, sizeof out))
                return NULL;
        return fd_arena_strdup(w->scratch, out);
}

static enum fd_pid_scheme scheme_hint(const char *s) {
        static const struct {
                const char *name;
                enum fd_pid_scheme scheme;
        } hints[] = {
                {"doi", FD_PID_DOI},       {"hdl", FD_PID_HANDLE}, {"handle", FD_PID_HANDLE},
                {"urn", FD_PID_URN},       {"urn:nbn", FD_PID_URN}, {"ark", FD_PID_ARK},
                {"orcid", FD_PID_ORCID},   {"ror", FD_PID_ROR},
        };
        for (size_t i = 0; s && i < FD_ELEMENTSOF(hints); i++)
                if (strcasecmp(s, hints[i].name) == 0)
                        return hints[i].scheme;
        return FD_PID_NONE;
}

/* Identifier schemes that are no PID but worth keeping as "scheme:value". */
static bool named_scheme(const char *s) {
        static const char *const names[] = {"isbn", "issn", "eissn", "pissn", "pmid", "pmcid", "arxiv", "lccn", "oclc", "re3data"};
        for (size_t i = 0; s && i < FD_ELEMENTSOF(names); i++)
                if (strcasecmp(s, names[i]) == 0)
                        return true;
        return false;
}

enum fd_status fd_xmap_add_pid(struct fd_xwalk *w, const char *v, const char *scheme) {
        char norm[1024];
        enum fd_pid_scheme hint = scheme_hint(scheme);
        enum fd_status st;

        if (hint == FD_PID_NONE && named_scheme(scheme) && !strchr(v, ':')) {
                char *raw = fd_arena_printf(w->scratch, "%s:%s", scheme, v);
                return raw ? fd_record_add_identifier(w->r, w->a, raw, FD_PID_NONE) : FD_E_LIMIT;
        }
        enum fd_pid_scheme s = fd_pid_normalize(v, hint, norm, sizeof norm);
        if (s == FD_PID_URL && fd_is_http(v)) {
                /* a DOI behind a resolver other than doi.org (doi.pangaea.de/10.1594/…) */
                const char *d = strstr(v, "/10.");
                if (d && fd_pid_normalize(d + 1, FD_PID_DOI, norm, sizeof norm) == FD_PID_DOI &&
                    (st = fd_record_add_identifier(w->r, w->a, d + 1, FD_PID_DOI)))
                        return st;
        }
        if ((st = fd_record_add_identifier(w->r, w->a, v, s != FD_PID_NONE ? s : hint)))
                return st;
        if (fd_is_http(v) && (s == FD_PID_URL || s == FD_PID_NONE))
                return fd_record_add_url(w->r, w->a, v, false);
        return FD_OK;
}

/* A date written with words around it that the date parser does not
 * read: "c. 1921", "ca. 1880", "circa 1400", "[1875?]" lose the words, and
 * "1881; 1882" (a list of dates in one element) gives its first.  NULL:
 * nothing to try. */
static const char *date_candidate(struct fd_xwalk *w, const char *v) {
        static const char *const circa[] = {"circa ", "circa", "ca. ", "ca.", "c. ", "c.", "approximately ", "approx. "};
        char buf[64];
        char *ds = NULL;
        const char *s = v;

        while (*s == ' ' || *s == '[')
                s++;
        for (size_t i = 0; i < FD_ELEMENTSOF(circa); i++)
                if (strncasecmp(s, circa[i], strlen(circa[i])) == 0) {
                        s += strlen(circa[i]);
                        break;
                }
        size_t n = strcspn(s, ";]?");
        while (n && s[n - 1] == ' ')
                n--;
        if (n == 0 || (s == v && s[n] == '\0') || !(ds = fd_arena_strndup(w->scratch, s, n)))
                return NULL;
        return fd_date_normalize(ds, buf, sizeof buf) != FD_DATE_NONE ? ds : NULL;
}

enum fd_status fd_xmap_add_date(struct fd_xwalk *w, const char *v, const char *type) {
        size_t before = w->r->dates.n;
        char buf[64];
        enum fd_status st;

        if (!type && !w->have_issued)
                type = "issued";
        /* the adder reads the date; a value it did not add (one it cannot
         * read, or one it has) is read here again, for words around it */
        st = fd_record_add_date(w->r, w->a, v, type);
        if (st == FD_OK && v && w->r->dates.n == before && fd_date_normalize(v, buf, sizeof buf) == FD_DATE_NONE) {
                const char *c = date_candidate(w, v);
                if (c)
                        st = fd_record_add_date(w->r, w->a, c, type);
        }
        if (st == FD_OK && w->r->dates.n > before && type && strcmp(type, "issued") == 0)
                w->have_issued = true;
        return st;
}

/* A value that reads as a URI (no white space, a scheme we know). */
static bool looks_uri(const char *s) {
        if (strpbrk(s, " \t\n"))
                return false;
        return fd_is_http(s) || has_prefix(s, "info:") || has_prefix(s, "urn:") || has_prefix(s, "ftp://");
}

enum fd_status fd_xmap_add_rights(struct fd_xwalk *w, const char *v) {
        if (looks_uri(v))
                return fd_record_add_rights(w->r, w->a, NULL, v);
        /* a licence URL inside free text ("… under https://creativecommons.org/licenses/by/4.0/ …") */
        const char *h = strstr(v, "http");
        if (h && fd_is_http(h)) {
                size_t n = strcspn(h, " \t\n\"'<>()[],;");
                while (n && h[n - 1] == '.')
                        n--;
                char *url = fd_arena_strndup(w->scratch, h, n);
                if (!url)
                        return FD_E_LIMIT;
                if (fd_license_spdx(url))
                        return fd_record_add_rights(w->r, w->a, v, url);
        }
        return fd_record_add_rights(w->r, w->a, v, NULL);
}

static int type_rank(const char *general) {
        if (!general)
                return 0;
        if (strcmp(general, "Other") == 0)
                return 1;
        if (strcmp(general, "Text") == 0)
                return 2;
        return 3;
}

/* Tries a type; the best ranked is set again at the end of the walk. */
enum fd_status fd_xmap_consider_type(struct fd_xwalk *w, const char *v) {
        enum fd_status st = fd_record_set_type(w->r, w->a, v);
        if (st)
                return st;
        int rank = type_rank(w->r->resource_type);
        if (!w->first_type)
                w->first_type = v;
        if (rank > w->best_rank) {
                w->best_rank = rank;
                w->best_type = v;
        }
        return FD_OK;
}

/* ---- groups ------------------------------------------------------------------------------- */

#define SLOT(op) ((op) - FD_S_VALUE)
#define N_SLOTS (FD_X_OP_COUNT - FD_S_VALUE)

struct group {
        const char *slot[N_SLOTS];
        const char *ids[MAX_IDS];
        size_t n_ids;
};

static enum fd_status fill_slot(struct fd_xwalk *w, struct group *g, enum fd_xop op, const char *v) {
        const char **s = &g->slot[SLOT(op)];

        if (op == FD_S_ID) {
                if (g->n_ids < MAX_IDS)
                        g->ids[g->n_ids++] = v;
                return FD_OK;
        }
        if (op == FD_S_VALUE && *s) {
                /* parts of one value ("Title" and "subtitle"; "Family" and "Given") */
                return (*s = fd_arena_printf(w->scratch, "%s %s", *s, v)) ? FD_OK : FD_E_LIMIT;
        }
        if (!*s)
                *s = v;
        return FD_OK;
}

static const char *gslot(const struct group *g, enum fd_xop op) { return g->slot[SLOT(op)]; }

/* The ORCID among a person's identifiers. */
static const char *orcid_of(const struct group *g) {
        char norm[64];

        for (size_t i = 0; i < g->n_ids; i++) {
                const char *id = g->ids[i];
                /* MARC $0 "(orcid)0000-…": the source in parentheses first */
                if (id[0] == '(' && strchr(id, ')'))
                        id = strchr(id, ')') + 1;
                if (fd_pid_normalize(id, FD_PID_NONE, norm, sizeof norm) == FD_PID_ORCID)
                        return id;
        }
        return NULL;
}

/* Cuts what cataloguing punctuation leaves at the end of a value: ISBD's
 * " /", " :", " ;", " =" before the next subfield, a comma, and the period
 * closing a name ("Bailey, J. Powell.") but not an initial's ("Taylor, T.R."). */
static const char *trim_tail(struct fd_xwalk *w, const char *v) {
        size_t n = strlen(v), k = n;

        while (k > 0) {
                char c = v[k - 1];
                if (c == ' ' || c == ',' || ((c == '/' || c == ':' || c == ';' || c == '=') && k >= 2 && v[k - 2] == ' '))
                        k--;
                else if (c == '.' && k >= 3 && v[k - 2] >= 'a' && v[k - 2] <= 'z' && v[k - 3] >= 'a' && v[k - 3] <= 'z')
                        k--;
                else
                        break;
        }
        return k == n ? v : fd_arena_strndup(w->scratch, v, k);
}

enum fd_status fd_xmap_add_agent(struct fd_xwalk *w, bool contributor, const char *name, const char *affiliation,
                                 const char *role) {
        if (!name || !(name = trim_tail(w, name)))
                return name ? FD_E_LIMIT : FD_OK;
        return fd_record_add_agent(w->r, w->a, contributor, name, NULL, affiliation, NULL, contributor ? role : NULL);
}

static enum fd_status emit_agent(struct fd_xwalk *w, const struct crule *c, const struct group *g,
                                 const char *text) {
        const char *org = gslot(g, FD_S_ORG), *given = gslot(g, FD_S_GIVEN), *family = gslot(g, FD_S_FAMILY);
        const char *name = gslot(g, FD_S_NAME), *aff = gslot(g, FD_S_AFFILIATION);
        const char *role = mapped(c->src->map, gslot(g, FD_S_ROLE));
        bool contributor = c->src->op == FD_X_CONTRIBUTOR;

        if (!name && family)
                name = given ? fd_arena_printf(w->scratch, "%s, %s", family, given) : family;
        if (!name && given)
                name = given;
        if (!name && !org)
                name = gslot(g, FD_S_VALUE) ? gslot(g, FD_S_VALUE) : text;
        if (!name) {
                name = org;
        } else if (!aff)
                aff = org;
        if (!name || !(name = trim_tail(w, name)))
                return name ? FD_E_LIMIT : FD_OK;
        if (c->src->op == FD_X_AGENT) {
                if (!role)
                        role = c->src->arg;  /* the rule's role for a name that gives none */
                if (role && strcmp(role, "Publisher") == 0) {
                        if (!w->r->publisher && !(w->r->publisher = fd_text_clean_in(w->a, name)))
                                return FD_E_LIMIT;
                        return FD_OK;
                }
                contributor = role && strcmp(role, "Creator") != 0;
        }
        if (!contributor)
                role = NULL;
        else if (!role)
                role = c->src->arg;
        return fd_record_add_agent(w->r, w->a, contributor, name, orcid_of(g), aff, gslot(g, FD_S_AFFILIATION_ID),
                                   role);
}

static bool parse_deg(const char *s, double *ret) {
        char *end;

        if (!s)
                return false;
        *ret = strtod(s, &end);
        return end != s;
}

static enum fd_status apply(struct fd_xwalk *w, const struct crule *c, const struct fd_xnode *n, const char *raw,
                            const struct group *g);

/* Walks the children of ctx with rules (the outer ones, or a group's). */
static enum fd_status walk(struct fd_xwalk *w, const struct fd_xnode *ctx, const struct fd_xnode *at,
                           const struct crules *rules, struct group *g);

static enum fd_status run_group(struct fd_xwalk *w, const struct crule *c, const struct fd_xnode *n) {
        struct group g = {0};
        enum fd_status st;

        /* rules on the group's own element ("@attr", ".") first */
        for (size_t i = 0; i < c->sub->n; i++) {
                const struct crule *s = &c->sub->v[i];
                if (s->n == 0 && (st = apply(w, s, n, s->attr ? attr_of(n, s->attr_ns, s->attr) : n->text, &g)))
                        return st;
        }
        if ((st = walk(w, n, n, c->sub, &g)))
                return st;
        const char *text = n->text ? fd_text_clean_in(w->scratch, n->text) : NULL;
        const char *v = gslot(&g, FD_S_VALUE);
        if (!v)
                v = gslot(&g, FD_S_NAME) ? gslot(&g, FD_S_NAME) : gslot(&g, FD_S_ORG) ? gslot(&g, FD_S_ORG) : text;
        const char *type = mapped(c->src->map, gslot(&g, FD_S_TYPE));

        switch (c->src->op) {
        case FD_X_CREATOR:
        case FD_X_CONTRIBUTOR:
        case FD_X_AGENT:
                return emit_agent(w, c, &g, text);
        case FD_X_SUBJECT:
                if (!v)
                        return FD_OK;
                return fd_record_add_subject(w->r, w->a, v, gslot(&g, FD_S_SCHEME) ? gslot(&g, FD_S_SCHEME)
                                                                                    : c->src->arg,
                                             gslot(&g, FD_S_URI));
        case FD_X_DATE:
                return v ? fd_xmap_add_date(w, v, type ? type : c->src->arg) : FD_OK;
        case FD_X_PID:
                return v ? fd_xmap_add_pid(w, v, type ? type : c->src->arg) : FD_OK;
        case FD_X_RELATED:
                if (!v)
                        return FD_OK;
                return fd_record_add_related(w->r, w->a, v, scheme_hint(gslot(&g, FD_S_SCHEME)),
                                             type ? type : c->src->arg);
        case FD_X_FUNDING: {
                const char *funder = gslot(&g, FD_S_FUNDER) ? gslot(&g, FD_S_FUNDER) : gslot(&g, FD_S_NAME);
                const char *award = gslot(&g, FD_S_AWARD), *title = gslot(&g, FD_S_AWARD_TITLE);
                if (!funder && !award && !title)
                        return FD_OK;
                return fd_record_add_funding(w->r, w->a, funder ? funder : "", g.n_ids ? g.ids[0] : NULL, award,
                                             title);
        }
        case FD_X_GEO: {
                struct fd_geo geo = {.place = gslot(&g, FD_S_VALUE)};
                geo.has_box = parse_deg(gslot(&g, FD_S_WEST), &geo.west) && parse_deg(gslot(&g, FD_S_EAST), &geo.east) &&
                              parse_deg(gslot(&g, FD_S_SOUTH), &geo.south) &&
                              parse_deg(gslot(&g, FD_S_NORTH), &geo.north);
                if (geo.has_box && geo.west == geo.east && geo.south == geo.north) {
                        geo.has_box = false;
                        geo.has_point = true;
                        geo.lat = geo.south;
                        geo.lon = geo.west;
                }
                return fd_record_add_geo(w->r, w->a, &geo);
        }
        case FD_X_RIGHTS:
                if (gslot(&g, FD_S_URI))
                        return fd_record_add_rights(w->r, w->a, v, gslot(&g, FD_S_URI));
                return v ? fd_xmap_add_rights(w, v) : FD_OK;
        case FD_X_GROUP:
                return FD_OK;
        default: {
                /* a plain transform over the gathered value */
                struct crule plain = *c;
                plain.sub = NULL;
                plain.arg_attr = NULL;
                if (v && c->src->op == FD_X_TITLE && !(v = trim_tail(w, v)))
                        return FD_E_LIMIT;
                return v ? apply(w, &plain, n, v, NULL) : FD_OK;
        }
        }
}

/* Applies c's transform to the value raw of n (g: the group in hand). */
static enum fd_status apply(struct fd_xwalk *w, const struct crule *c, const struct fd_xnode *n, const char *raw,
                            const struct group *gc) {
        struct group *g = (struct group *)gc;
        enum fd_xop op = c->src->op;
        /* "@x": the element's attribute, else its parent's (MODS <subject authority="lcsh"><topic>) */
        const char *arg = c->arg_attr ? attr_of(n, NULL, c->arg_attr) : c->src->arg;
        if (c->arg_attr && !arg && n->parent)
                arg = attr_of(n->parent, NULL, c->arg_attr);
        struct fd_record *r = w->r;
        char *v;

        if (c->sub)
                return run_group(w, c, n);
        if (!raw)
                return FD_OK;
        if (op == FD_X_TITLE || op == FD_X_DESCRIPTION) {
                /* long free text: the adders clean it, once */
                const char *lang = lang_of(w, n, g ? gslot(g, FD_S_LANG) : NULL);
                size_t k = strlen(raw);
                while (k && strchr(" \t\r\n", raw[k - 1]))
                        k--;
                if (op == FD_X_TITLE && k && strchr("/:;=,", raw[k - 1])) {
                        /* ISBD punctuation from a catalogue ("Title : subtitle /") */
                        const char *clean = fd_text_clean_in(w->scratch, raw);
                        if (clean && !(raw = trim_tail(w, clean)))
                                return FD_E_LIMIT;
                }
                struct fd_texts *l = op == FD_X_TITLE ? &r->titles : &r->descriptions;
                size_t before = l->n;
                enum fd_status st = op == FD_X_TITLE ? fd_record_add_title(r, w->a, raw, lang)
                                                     : fd_record_add_description(r, w->a, raw, lang);
                if (!st && arg && l->n > before)
                        l->v[before].type = arg;
                return st;
        }
        if (!(v = fd_text_clean_in(w->scratch, raw)))
                return FD_OK;
        if (op >= FD_S_VALUE)
                return g ? fill_slot(w, g, op, mapped(c->src->map, v)) : FD_OK;
        switch (op) {
        case FD_X_CREATOR:
        case FD_X_CONTRIBUTOR:
        case FD_X_AGENT: {
                struct group one = {0};
                one.slot[SLOT(FD_S_NAME)] = v;
                if (op == FD_X_AGENT)
                        one.slot[SLOT(FD_S_ROLE)] = arg;
                return emit_agent(w, c, &one, v);
        }
        case FD_X_SUBJECT:
                return fd_record_add_subject(r, w->a, v, arg, NULL);
        case FD_X_DATE:
                return fd_xmap_add_date(w, v, mapped(c->src->map, arg));
        case FD_X_PID:
                return fd_xmap_add_pid(w, v, arg);
        case FD_X_URL:
        case FD_X_DOWNLOAD:
                return fd_is_http(v) ? fd_record_add_url(r, w->a, v, op == FD_X_DOWNLOAD) : FD_OK;
        case FD_X_PUBLISHER: {
                const char *pv = r->publisher ? NULL : trim_tail(w, v);
                if (!r->publisher && (!pv || !(r->publisher = fd_arena_strdup(w->a, pv))))
                        return FD_E_LIMIT;
                return FD_OK;
        }
        case FD_X_TYPE:
                return fd_xmap_consider_type(w, mapped(c->src->map, v));
        case FD_X_RIGHTS:
                return fd_xmap_add_rights(w, v);
        case FD_X_LANGUAGE:
                return fd_record_add_language(r, w->a, v);
        case FD_X_FORMAT:
                return fd_record_add_format(r, w->a, v);
        case FD_X_SIZE:
                return fd_record_add_size(r, w->a, v);
        case FD_X_VERSION:
                if (!r->version && !(r->version = fd_arena_strdup(w->a, v)))
                        return FD_E_LIMIT;
                return FD_OK;
        case FD_X_RELATED:
                return fd_record_add_related(r, w->a, v, FD_PID_NONE, mapped(c->src->map, arg));
        case FD_X_GEO: {
                struct fd_geo geo = {.place = v};
                return fd_record_add_geo(r, w->a, &geo);
        }
        case FD_X_FUNDING:
                return fd_record_add_funding(r, w->a, v, NULL, NULL, NULL);
        case FD_X_CALL:
                return c->src->call(w, n, v);
        default:
                return FD_OK;
        }
}

static enum fd_status walk(struct fd_xwalk *w, const struct fd_xnode *ctx, const struct fd_xnode *at,
                           const struct crules *rules, struct group *g) {
        enum fd_status st;

        for (const struct fd_xnode *n = at->child; n; n = n->next) {
                bool grouped = false;
                unsigned char ch = (unsigned char)n->name[0];
                for (size_t k = 0; k < rules->n_by_char[ch]; k++) {
                        const struct crule *c = &rules->v[rules->by_char[ch][k]];
                        if (!rule_match(c, n, ctx))
                                continue;
                        const char *raw = c->attr ? attr_of(n, c->attr_ns, c->attr) : n->text;
                        if ((st = apply(w, c, n, raw, g)))
                                return st;
                        /* a plain group is only a context: the outer rules still look inside */
                        grouped |= c->sub != NULL && c->src->op != FD_X_GROUP;
                }
                if (!grouped && n->child && (st = walk(w, ctx, n, rules, g)))
                        return st;
        }
        return FD_OK;
}

enum fd_status fd_xmap_run(const struct fd_xformat *f, struct fd_record *r, struct fd_arena *a,
                           struct fd_arena *scratch, const struct fd_xnode *root, struct fd_error *err) {
        struct fd_xwalk w = {.r = r, .a = a, .scratch = scratch, .root = root};
        const struct crules *rules = rules_of(f);
        enum fd_status st;

        memo_gen++;  /* the tree's strings are new: forget the last walk's */

        if (!rules)
                return fd_error_set(err, FD_E_INVALID, "no mapping table for format '%s'", f->name);
        /* rules on the root itself ("@attr", ".") */
        for (size_t i = 0; i < rules->n; i++) {
                const struct crule *c = &rules->v[i];
                if (c->n == 0 &&
                    (st = apply(&w, c, root, c->attr ? attr_of(root, c->attr_ns, c->attr) : root->text, NULL)))
                        goto fail;
        }
        if ((st = walk(&w, root, root, rules, NULL)))
                goto fail;
        if (f->default_type && !r->resource_type && (st = fd_xmap_consider_type(&w, f->default_type)))
                goto fail;
        if (f->finish && (st = f->finish(&w)))
                goto fail;
        /* the most specific type wins, else the first one as written */
        const char *t = w.best_type ? w.best_type : w.first_type;
        if (t && (st = fd_record_set_type(r, a, t)))
                goto fail;
        return FD_OK;
fail:
        if (st == FD_E_LIMIT)
                return fd_error_set(err, FD_E_LIMIT, "the page arena is full");
        return fd_error_set(err, st, "cannot map a %s record", f->name);
}
