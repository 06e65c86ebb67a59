/* oai_dc.c: Dublin Core in all its shapes, as one walker table.
 *
 * oai_dc, qualified DC (oai_qdc, oai_dcq, dcterms), DC inside rdf:Description
 * or csw:Record, DC with no wrapper, and RIOXX v3 (DC plus rioxxterms) are one
 * format: DC elements are matched by namespace (DC 1.1, and the same names
 * in DC terms, which providers mix), at any depth, never by prefix or root.
 *
 * Simple Dublin Core says little about each value, so its transforms read
 * shapes: an identifier that is an http(s) URL but no PID is also the
 * landing page, the DRIVER/OpenAIRE "info:eu-repo/semantics/altIdentifier/…"
 * relation is the record's own identifier, "info:eu-repo/grantAgreement/…"
 * is funding, a rights value that is a URI goes in as a URI.  Among several
 * dc:type values the most specific recognized one wins (generic "Text" and
 * "Other" only when nothing better is there: the walker's type ranking).
 */
#include <strings.h>

#include "xmlmap.h"

static bool has_prefix(const char *s, const char *p) { return strncasecmp(s, p, strlen(p)) == 0; }

/* "application/pdf, http://…" (a MIME type and a file URL glued together). */
static enum fd_status dc_format(struct fd_xwalk *w, const struct fd_xnode *n, char *v) {
        const char *slash = strchr(v, '/');
        char *http = strstr(v, "http://");
        (void)n;
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
                        enum fd_status st = fd_record_add_url(w->r, w->a, http, true);
                        if (st)
                                return st;
                        *end = '\0';
                }
        }
        return fd_record_add_format(w->r, w->a, v);
}

/* info:eu-repo/grantAgreement/<funder>/<programme>/<award>/… */
static enum fd_status add_grant(struct fd_xwalk *w, const char *v) {
        char *parts[4] = {0};
        char *s = fd_arena_strdup(w->scratch, v + strlen("info:eu-repo/grantAgreement/"));
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
                return fd_record_add_related(w->r, w->a, v, FD_PID_NONE, NULL);
        return fd_record_add_funding(w->r, w->a, parts[0], NULL, parts[2], NULL);
}

static enum fd_status dc_relation(struct fd_xwalk *w, const struct fd_xnode *n, char *v) {
        static const char alt[] = "info:eu-repo/semantics/altIdentifier/";
        (void)n;

        if (has_prefix(v, alt)) {
                const char *rest = v + strlen(alt);
                const char *slash = strchr(rest, '/');
                if (slash && slash[1]) {
                        size_t k = (size_t)(slash - rest);
                        enum fd_pid_scheme hint = FD_PID_NONE;
                        if (k == 3 && has_prefix(rest, "doi"))
                                return fd_record_add_identifier(w->r, w->a, v, FD_PID_DOI);
                        if ((k == 3 && has_prefix(rest, "hdl")) || (k == 6 && has_prefix(rest, "handle")))
                                hint = FD_PID_HANDLE;
                        else if (k == 3 && has_prefix(rest, "urn"))
                                hint = FD_PID_URN;
                        else if (k == 3 && has_prefix(rest, "ark"))
                                hint = FD_PID_ARK;
                        else if (k == 3 && has_prefix(rest, "url"))
                                hint = FD_PID_URL;
                        if (hint != FD_PID_NONE)
                                return fd_record_add_identifier(w->r, w->a, slash + 1, hint);
                        /* isbn, pmid, issn…: kept as "scheme:value" */
                        char *raw = fd_arena_printf(w->scratch, "%.*s:%s", (int)k, rest, slash + 1);
                        return raw ? fd_record_add_identifier(w->r, w->a, raw, FD_PID_NONE) : FD_E_LIMIT;
                }
        }
        if (has_prefix(v, "info:eu-repo/grantAgreement/"))
                return add_grant(w, v);
        return fd_record_add_related(w->r, w->a, v, FD_PID_NONE, NULL);
}

/* dc:source is often a citation; only a PID is worth a relation. */
static enum fd_status dc_source(struct fd_xwalk *w, const struct fd_xnode *n, char *v) {
        char norm[1024];
        (void)n;

        if (strpbrk(v, " \t\n") && !fd_is_http(v))
                return FD_OK;
        if (fd_pid_normalize(v, FD_PID_NONE, norm, sizeof norm) == FD_PID_NONE)
                return FD_OK;
        return fd_record_add_related(w->r, w->a, v, FD_PID_NONE, "IsDerivedFrom");
}

static enum fd_status dc_subject(struct fd_xwalk *w, const struct fd_xnode *n, char *v) {
        (void)n;
        /* "ddc:020" as DRIVER repositories write Dewey classes */
        if (has_prefix(v, "ddc:") && v[4] >= '0' && v[4] <= '9')
                return fd_record_add_subject(w->r, w->a, v + 4, "ddc", NULL);
        return fd_record_add_subject(w->r, w->a, v, NULL, NULL);
}

/* ';'-joined values (CONTENTdm's "English; Czech", "Sound ; Text") are several. */
static enum fd_status split_each(struct fd_xwalk *w, const struct fd_xnode *n, char *v,
                                 enum fd_status (*one)(struct fd_xwalk *, const struct fd_xnode *, char *)) {
        enum fd_status st;

        for (char *p = v, *semi; p; p = semi) {
                if ((semi = strchr(p, ';')))
                        *semi++ = '\0';
                while (*p == ' ')
                        p++;
                size_t k = strlen(p);
                while (k && p[k - 1] == ' ')
                        p[--k] = '\0';
                if (*p && (st = one(w, n, p)))
                        return st;
        }
        return FD_OK;
}

/* DCMI's encodings of a place or a period in one value, parts "key=value"
 * separated by ";": DCMI Point ("name=Venice; east=12.33; north=45.43"),
 * DCMI Box ("northlimit=46; southlimit=40; westlimit=12; eastlimit=20"),
 * DCMI Period ("start=1990; end=2000-06; scheme=W3C-DTF").  The value of
 * key, trimmed, in scratch; NULL when absent. */
static const char *dcmi_part(struct fd_xwalk *w, const char *v, const char *key) {
        const size_t k = strlen(key);

        for (const char *p = v; p && *p; p = strchr(p, ';') ? strchr(p, ';') + 1 : NULL) {
                while (*p == ' ' || *p == '\t' || *p == '\n')
                        p++;
                if (strncasecmp(p, key, k) != 0)
                        continue;
                const char *q = p + k;
                while (*q == ' ')
                        q++;
                if (*q != '=')
                        continue;
                q++;
                const char *end = strchr(q, ';');
                size_t n = end ? (size_t)(end - q) : strlen(q);
                while (*q == ' ' && n) {
                        q++;
                        n--;
                }
                while (n && (q[n - 1] == ' ' || q[n - 1] == '\t' || q[n - 1] == '\n'))
                        n--;
                return n ? fd_arena_strndup(w->scratch, q, n) : NULL;
        }
        return NULL;
}

static bool dcmi_number(struct fd_xwalk *w, const char *v, const char *key, double *ret) {
        const char *s = dcmi_part(w, v, key);
        char *end;

        if (!s)
                return false;
        *ret = strtod(s, &end);
        return end != s && *end == '\0';
}

/* A DCMI Box or Point as a geo location; false when v is neither. */
static bool dcmi_place(struct fd_xwalk *w, const char *v, enum fd_status *ret) {
        struct fd_geo g = {.place = dcmi_part(w, v, "name")};

        g.has_box = dcmi_number(w, v, "westlimit", &g.west) && dcmi_number(w, v, "eastlimit", &g.east) &&
                    dcmi_number(w, v, "southlimit", &g.south) && dcmi_number(w, v, "northlimit", &g.north);
        g.has_point = !g.has_box && dcmi_number(w, v, "east", &g.lon) && dcmi_number(w, v, "north", &g.lat);
        if (!g.has_box && !g.has_point)
                return false;
        *ret = fd_record_add_geo(w->r, w->a, &g);
        return true;
}

/* dc:coverage, dcterms:temporal: a DCMI Box or Point, a DCMI Period, or
 * an ISO 8601 interval ("1990/2000-06", "2015/", "/1985") becomes a geo
 * location or coverage-start/-end dates; other text (a place name, a
 * period's name) is not mapped. */
static enum fd_status dc_coverage(struct fd_xwalk *w, const struct fd_xnode *n, char *v) {
        const char *start = dcmi_part(w, v, "start"), *end = dcmi_part(w, v, "end");
        char norm[64];
        enum fd_status st = FD_OK;
        (void)n;

        if (dcmi_place(w, v, &st))
                return st;
        if (!start && !end && !strpbrk(v, " \t\n;=")) {
                char *slash = strchr(v, '/');
                if (!slash || strchr(slash + 1, '/'))
                        return FD_OK;
                *slash = '\0';
                start = *v ? v : NULL;
                end = slash[1] ? slash + 1 : NULL;
                /* both ends must be dates, or it was no interval */
                if ((start && fd_date_normalize(start, norm, sizeof norm) == FD_DATE_NONE) ||
                    (end && fd_date_normalize(end, norm, sizeof norm) == FD_DATE_NONE))
                        return FD_OK;
        }
        if (start && (st = fd_record_add_date(w->r, w->a, start, "coverage-start")) != FD_OK)
                return st;
        if (end)
                st = fd_record_add_date(w->r, w->a, end, "coverage-end");
        return st;
}

/* dcterms:spatial: a DCMI Box or Point, else a place's name. */
static enum fd_status dc_spatial(struct fd_xwalk *w, const struct fd_xnode *n, char *v) {
        enum fd_status st = FD_OK;
        (void)n;

        if (dcmi_place(w, v, &st))
                return st;
        struct fd_geo g = {.place = v};
        return fd_record_add_geo(w->r, w->a, &g);
}

static enum fd_status one_language(struct fd_xwalk *w, const struct fd_xnode *n, char *v) {
        (void)n;
        return fd_record_add_language(w->r, w->a, v);
}

static enum fd_status one_type(struct fd_xwalk *w, const struct fd_xnode *n, char *v) {
        (void)n;
        return fd_xmap_consider_type(w, v);
}

static enum fd_status dc_language(struct fd_xwalk *w, const struct fd_xnode *n, char *v) {
        return strchr(v, ';') ? split_each(w, n, v, one_language) : one_language(w, n, v);
}

static enum fd_status dc_type(struct fd_xwalk *w, const struct fd_xnode *n, char *v) {
        return strchr(v, ';') ? split_each(w, n, v, one_type) : one_type(w, n, v);
}

static enum fd_status dc_subjects(struct fd_xwalk *w, const struct fd_xnode *n, char *v) {
        return strchr(v, ';') ? split_each(w, n, v, dc_subject) : dc_subject(w, n, v);
}

static enum fd_status one_creator(struct fd_xwalk *w, const struct fd_xnode *n, char *v) {
        (void)n;
        return fd_xmap_add_agent(w, false, v, NULL, NULL);
}

/* "Joaquim Bellvert, Christian Jofre-Čekalović, Ana Pelechá, Mercè Mata,"
 * (MDPI): three or more names joined by commas, each of words written
 * given name first.  "Dougherty, Dennis J. (Dennis Joseph), 1865-1951."
 * and "Smith, J., Jones, K." are not that: a part of one word (or with a
 * digit) is a family name or a date. */
static bool comma_joined(const char *v) {
        size_t parts = 0;

        for (const char *p = v; *p;) {
                size_t k = strcspn(p, ",");
                const char *s = p, *e = p + k;
                while (s < e && *s == ' ')
                        s++;
                while (e > s && e[-1] == ' ')
                        e--;
                if (e > s) {
                        if (!memchr(s, ' ', (size_t)(e - s)))
                                return false;
                        for (const char *q = s; q < e; q++)
                                if (*q >= '0' && *q <= '9')
                                        return false;
                        parts++;
                }
                p += k + (p[k] == ',');
        }
        return parts >= 3;
}

/* dc:creator: ';'-joined names (CONTENTdm's "Sallie; Ron; Sterling") are
 * several creators, and so are comma-joined given-name-first ones. */
static enum fd_status dc_creator(struct fd_xwalk *w, const struct fd_xnode *n, char *v) {
        enum fd_status st;

        if (strchr(v, ';'))
                return split_each(w, n, v, dc_creator);
        if (!comma_joined(v))
                return one_creator(w, n, v);
        for (char *p = v, *comma; p; p = comma) {
                if ((comma = strchr(p, ',')))
                        *comma++ = '\0';
                while (*p == ' ')
                        p++;
                if (*p && (st = one_creator(w, n, p)))
                        return st;
        }
        return FD_OK;
}

static const struct fd_xrule rioxx_agent[] = {
        {"rioxx:name", FD_S_NAME},
        {"rioxx:id", FD_S_ID},
        {NULL},
};

static const struct fd_xrule rioxx_name[] = {
        {"rioxx:name", FD_S_VALUE},
        {NULL},
};

static const struct fd_xrule rioxx_grant[] = {
        {"@funder_name", FD_S_FUNDER},
        {"@funder_id", FD_S_ID},
        {".", FD_S_AWARD},
        {NULL},
};

/* COAR version "VoR": the publisher's version, the record's own DOI. */
#define RIOXX_VOR "rioxx:ext_relation[@coar_version=https://purl.org/coar/version/c_970fb48d4fbd8a85]"

/* No namespace table of its own: rioxx and ali are among the prefixes every
 * table may use (xmlmap.c), since containers (EDM, METS, DIDL) reuse these
 * rules. */
const struct fd_xrule fd_xrules_dc[] = {
        {"//dc:title", FD_X_TITLE},
        {"//dcterms:alternative", FD_X_TITLE, "AlternativeTitle"},
        {"//dc:description", FD_X_DESCRIPTION},
        {"//dcterms:abstract", FD_X_DESCRIPTION, "Abstract"},
        {"//dcterms:tableOfContents", FD_X_DESCRIPTION, "TableOfContents"},
        {"//dc:creator", FD_X_CALL, .call = dc_creator},
        {"//dc:contributor", FD_X_CONTRIBUTOR},
        {"//dc:subject", FD_X_CALL, .call = dc_subjects},
        {"//dc:publisher", FD_X_PUBLISHER},
        {"//dc:date", FD_X_DATE},
        {"//dc:issued", FD_X_DATE, "issued"},
        {"//dc:created", FD_X_DATE, "created"},
        {"//dc:modified", FD_X_DATE, "modified"},
        {"//dc:available", FD_X_DATE, "available"},
        {"//dcterms:dateAccepted", FD_X_DATE, "accepted"},
        {"//dcterms:dateSubmitted", FD_X_DATE, "submitted"},
        {"//dcterms:dateCopyrighted", FD_X_DATE, "copyrighted"},
        {"//dc:type", FD_X_CALL, .call = dc_type},
        {"//dc:format", FD_X_CALL, .call = dc_format},
        {"//dcterms:extent", FD_X_SIZE},
        {"//dc:identifier", FD_X_PID},
        {"//dc:source", FD_X_CALL, .call = dc_source},
        {"//dc:language", FD_X_CALL, .call = dc_language},
        {"//dc:relation", FD_X_CALL, .call = dc_relation},
        {"//dcterms:isPartOf", FD_X_RELATED, "IsPartOf"},
        {"//dcterms:hasPart", FD_X_RELATED, "HasPart"},
        {"//dcterms:isVersionOf", FD_X_RELATED, "IsVersionOf"},
        {"//dcterms:hasVersion", FD_X_RELATED, "HasVersion"},
        {"//dcterms:isReferencedBy", FD_X_RELATED, "IsReferencedBy"},
        {"//dcterms:references", FD_X_RELATED, "References"},
        {"//dcterms:isReplacedBy", FD_X_RELATED, "IsPreviousVersionOf"},
        {"//dcterms:replaces", FD_X_RELATED, "IsNewVersionOf"},
        {"//dcterms:requires", FD_X_RELATED, "Requires"},
        {"//dc:rights", FD_X_RIGHTS},
        {"//dc:license", FD_X_RIGHTS},
        {"//dc:accessRights", FD_X_RIGHTS},
        {"//dcterms:spatial", FD_X_CALL, .call = dc_spatial},
        {"//dc:coverage", FD_X_CALL, .call = dc_coverage},
        {"//dcterms:temporal", FD_X_CALL, .call = dc_coverage},
        /* RIOXX v3 */
        {"//rioxx:creator", FD_X_CREATOR, .sub = rioxx_agent},
        {"//rioxx:contributor", FD_X_CONTRIBUTOR, .sub = rioxx_agent},
        {"//rioxx:publisher", FD_X_PUBLISHER, .sub = rioxx_name},
        {"//rioxx:publication_date", FD_X_DATE, "issued"},
        {"//rioxx:grant", FD_X_FUNDING, .sub = rioxx_grant},
        {"//rioxx:project", FD_X_FUNDING, .sub = rioxx_grant},
        {"//rioxx:version", FD_X_VERSION},
        {"//" RIOXX_VOR, FD_X_PID},
        {"//rioxx:ext_relation", FD_X_RELATED, "@rel", .map = (const char *const[]){"cite-as", "IsVersionOf", NULL}},
        {"//dc:relation/@license_ref", FD_X_RIGHTS},
        {"//ali:license_ref", FD_X_RIGHTS},
        {"//dc:relation/@access_rights", FD_X_RIGHTS},
        {"//dc:relation/@access_rights_", FD_X_RIGHTS},
        {"//dc:relation[@rel=item]", FD_X_DOWNLOAD},
        {NULL},
};

/* version 2: dates with words around them ("c. 1921", "1881; 1882") read;
 * 3: ';'- and comma-joined creators are several */
const struct fd_xformat fd_xformat_dc = {.name = "oai_dc", .version = 3, .rules = fd_xrules_dc};

enum fd_status fd_oai_dc_map(struct fd_record *r, struct fd_arena *a, struct fd_arena *scratch,
                             const struct fd_xnode *root, struct fd_error *err) {
        return fd_xmap_run(&fd_xformat_dc, r, a, scratch, root, err);
}
