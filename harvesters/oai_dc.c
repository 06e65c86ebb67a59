/* oai_dc.c: the oai_dc mapper.
 *
 * Simple Dublin Core says little about each value, so the mapper reads
 * shapes: an identifier that is an http(s) URL but no PID is also the
 * landing page, the DRIVER/OpenAIRE "info:eu-repo/semantics/altIdentifier/…"
 * relation is the record's own identifier, "info:eu-repo/grantAgreement/…"
 * is funding, a rights value that is a URI goes in as a URI.  Among several
 * dc:type values the most specific recognized one wins (generic "Text" and
 * "Other" only when nothing better is there).  Elements are matched by
 * namespace (DC 1.1, and the same names in DC terms, which some providers
 * mix in), never by prefix.  Short values are cleaned into the scratch arena
 * for the mapper's own tests; long free text goes to the adders as is, since
 * they clean what they keep into the page's arena anyway.
 */
#include <strings.h>

#include "harvesters-private.h"

struct dc {
        struct fd_record *r;
        struct fd_arena *a, *scratch;
        bool have_issued;
        const char *first_type;
        const char *best_type;
        int best_rank;
};

static enum fd_status full(struct fd_error *err) {
        return fd_error_set(err, FD_E_LIMIT, "the page arena is full");
}

static bool has_prefix(const char *s, const char *p) { return strncasecmp(s, p, strlen(p)) == 0; }

static bool is_http(const char *s) { return has_prefix(s, "http://") || has_prefix(s, "https://"); }

/* A value that reads as a URI (no white space, a scheme we know). */
static bool looks_uri(const char *s) {
        if (strpbrk(s, " \t\n"))
                return false;
        return is_http(s) || has_prefix(s, "info:") || has_prefix(s, "urn:") || has_prefix(s, "ftp://");
}

static const char *lang_of(struct dc *d, const struct fd_xnode *n) {
        const char *l = fd_xnode_lang(n);
        char out[64];

        if (!l || !fd_lang_normalize(l, out, sizeof out))
                return NULL;
        return fd_arena_strdup(d->scratch, out);
}

static enum fd_status add_date(struct dc *d, const char *v, const char *type) {
        size_t before = d->r->dates.n;
        enum fd_status st;

        if (!type && !d->have_issued)
                type = "issued";
        st = fd_record_add_date(d->r, d->a, v, type);
        if (st == FD_OK && d->r->dates.n > before && type && strcmp(type, "issued") == 0)
                d->have_issued = true;
        return st;
}

/* "application/pdf, http://…" (a MIME type and a file URL glued together). */
static enum fd_status add_format(struct dc *d, char *v) {
        const char *slash = strchr(v, '/');
        char *http = strstr(v, "http://");
        if (!http)
                http = strstr(v, "https://");

        /* extents such as "15728635 bytes" are not formats */
        if (v[0] >= '0' && v[0] <= '9' && strstr(v, "bytes"))
                return FD_OK;
        if (http && http != v && slash && slash < http) {
                char *end = http;
                while (end > v && (end[-1] == ' ' || end[-1] == ',' || end[-1] == ';'))
                        end--;
                if (end > v && !memchr(v, ' ', (size_t)(end - v))) {
                        enum fd_status st = fd_record_add_url(d->r, d->a, http, true);
                        if (st)
                                return st;
                        *end = '\0';
                }
        }
        return fd_record_add_format(d->r, d->a, v);
}

static enum fd_status add_identifier(struct dc *d, const char *v) {
        char norm[1024];
        enum fd_status st = fd_record_add_identifier(d->r, d->a, v, FD_PID_NONE);

        if (st || !is_http(v))
                return st;
        enum fd_pid_scheme s = fd_pid_normalize(v, FD_PID_NONE, norm, sizeof norm);
        if (s == FD_PID_URL || s == FD_PID_NONE)
                return fd_record_add_url(d->r, d->a, v, false);
        return FD_OK;
}

/* info:eu-repo/grantAgreement/<funder>/<programme>/<award>/… */
static enum fd_status add_grant(struct dc *d, const char *v) {
        char *parts[4] = {0};
        char *s = fd_arena_strdup(d->scratch, v + strlen("info:eu-repo/grantAgreement/"));
        size_t n = 0;

        if (!s)
                return FD_E_LIMIT;
        for (char *p = s; n < 4; n++) {
                parts[n] = p;
                char *slash = strchr(p, '/');
                if (!slash) {
                        n++;
                        break;
                }
                *slash = '\0';
                p = slash + 1;
        }
        if (n < 3 || !parts[0][0] || !parts[2][0])
                return fd_record_add_related(d->r, d->a, v, FD_PID_NONE, NULL);
        return fd_record_add_funding(d->r, d->a, parts[0], NULL, parts[2], NULL);
}

static enum fd_status add_relation(struct dc *d, const char *v) {
        static const char alt[] = "info:eu-repo/semantics/altIdentifier/";

        if (has_prefix(v, alt)) {
                const char *rest = v + strlen(alt);
                const char *slash = strchr(rest, '/');
                if (slash && slash[1]) {
                        size_t k = (size_t)(slash - rest);
                        enum fd_pid_scheme hint = FD_PID_NONE;
                        if (k == 3 && has_prefix(rest, "doi"))
                                return fd_record_add_identifier(d->r, d->a, v, FD_PID_DOI);
                        if ((k == 3 && has_prefix(rest, "hdl")) || (k == 6 && has_prefix(rest, "handle")))
                                hint = FD_PID_HANDLE;
                        else if (k == 3 && has_prefix(rest, "urn"))
                                hint = FD_PID_URN;
                        else if (k == 3 && has_prefix(rest, "ark"))
                                hint = FD_PID_ARK;
                        else if (k == 3 && has_prefix(rest, "url"))
                                hint = FD_PID_URL;
                        if (hint != FD_PID_NONE)
                                return fd_record_add_identifier(d->r, d->a, slash + 1, hint);
                        /* isbn, pmid, issn…: kept as "scheme:value" */
                        char *raw = fd_arena_printf(d->scratch, "%.*s:%s", (int)k, rest, slash + 1);
                        return raw ? fd_record_add_identifier(d->r, d->a, raw, FD_PID_NONE) : FD_E_LIMIT;
                }
        }
        if (has_prefix(v, "info:eu-repo/grantAgreement/"))
                return add_grant(d, v);
        return fd_record_add_related(d->r, d->a, v, FD_PID_NONE, NULL);
}

/* dc:source is often a citation; only a PID is worth a relation. */
static enum fd_status add_source(struct dc *d, const char *v) {
        char norm[1024];

        if (strpbrk(v, " \t\n") && !is_http(v))
                return FD_OK;
        if (fd_pid_normalize(v, FD_PID_NONE, norm, sizeof norm) == FD_PID_NONE)
                return FD_OK;
        return fd_record_add_related(d->r, d->a, v, FD_PID_NONE, "IsDerivedFrom");
}

static enum fd_status add_subject(struct dc *d, const char *v) {
        /* "ddc:020" as DRIVER repositories write Dewey classes */
        if (has_prefix(v, "ddc:") && v[4] >= '0' && v[4] <= '9')
                return fd_record_add_subject(d->r, d->a, v + 4, "ddc", NULL);
        return fd_record_add_subject(d->r, d->a, v, NULL, NULL);
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

/* Tries a dc:type; the best ranked is set again at the end. */
static enum fd_status consider_type(struct dc *d, const char *v) {
        enum fd_status st = fd_record_set_type(d->r, d->a, v);
        if (st)
                return st;
        int rank = type_rank(d->r->resource_type);
        if (!d->first_type)
                d->first_type = v;
        if (rank > d->best_rank) {
                d->best_rank = rank;
                d->best_type = v;
        }
        return FD_OK;
}

static enum fd_status add_rights(struct dc *d, const char *v) {
        if (looks_uri(v))
                return fd_record_add_rights(d->r, d->a, NULL, v);
        return fd_record_add_rights(d->r, d->a, v, NULL);
}

static enum fd_status map_element(struct dc *d, const struct fd_xnode *n, const char *name, char *v) {
        struct fd_record *r = d->r;

        if (!strcmp(name, "creator"))
                return fd_record_add_agent(r, d->a, false, v, NULL, NULL, NULL, NULL);
        if (!strcmp(name, "contributor"))
                return fd_record_add_agent(r, d->a, true, v, NULL, NULL, NULL, NULL);
        if (!strcmp(name, "subject"))
                return add_subject(d, v);
        if (!strcmp(name, "publisher")) {
                if (!r->publisher && !(r->publisher = fd_arena_strdup(d->a, v)))
                        return FD_E_LIMIT;
                return FD_OK;
        }
        if (!strcmp(name, "date"))
                return add_date(d, v, NULL);
        if (!strcmp(name, "issued") || !strcmp(name, "created") || !strcmp(name, "modified") ||
            !strcmp(name, "available"))
                return add_date(d, v, name);
        if (!strcmp(name, "type"))
                return consider_type(d, v);
        if (!strcmp(name, "format"))
                return add_format(d, v);
        if (!strcmp(name, "identifier"))
                return add_identifier(d, v);
        if (!strcmp(name, "source"))
                return add_source(d, v);
        if (!strcmp(name, "language"))
                return fd_record_add_language(r, d->a, v);
        if (!strcmp(name, "relation"))
                return add_relation(d, v);
        if (!strcmp(name, "rights") || !strcmp(name, "license") || !strcmp(name, "accessRights"))
                return add_rights(d, v);
        return FD_OK;  /* coverage and anything else */
}

enum fd_status fd_oai_dc_map(struct fd_record *r, struct fd_arena *a, struct fd_arena *scratch,
                             const struct fd_xnode *root, struct fd_error *err) {
        struct dc d = {.r = r, .a = a, .scratch = scratch};
        enum fd_status st;

        for (const struct fd_xnode *n = root->child; n; n = n->next) {
                if (!n->ns || !n->text)
                        continue;
                if (strcmp(n->ns, FD_NS_DC) != 0 && strcmp(n->ns, FD_NS_DCTERMS) != 0)
                        continue;
                if (!strcmp(n->name, "title") || !strcmp(n->name, "description") ||
                    !strcmp(n->name, "abstract")) {
                        /* long free text: the adders clean it, once */
                        const char *lang = lang_of(&d, n);
                        st = n->name[0] == 't' ? fd_record_add_title(r, a, n->text, lang)
                                               : fd_record_add_description(r, a, n->text, lang);
                } else {
                        char *v = fd_text_clean_in(scratch, n->text);
                        if (!v)
                                continue;
                        st = map_element(&d, n, n->name, v);
                }
                if (st == FD_E_LIMIT)
                        return full(err);
                if (st)
                        return fd_error_set(err, st, "cannot map dc:%s", n->name);
        }
        /* the most specific type wins, else the first one as written */
        const char *t = d.best_type ? d.best_type : d.first_type;
        if (t) {
                st = fd_record_set_type(r, a, t);
                if (st)
                        return st == FD_E_LIMIT ? full(err) : fd_error_set(err, st, "cannot map dc:type");
        }
        return FD_OK;
}
