/* record.c: the record, its adders and resource type mapping.
 *
 * Every mapper (oai_dc, DataCite, OpenAIRE, DCAT) goes through these
 * adders, so the rules live here once: values are trimmed and their inner
 * white space (control characters and no-break spaces included) collapsed
 * to one space; empty values and DataCite's standard values for unknown
 * information (":unac" ":unal" ":unap" ":unas" ":unav" ":unkn" ":none"
 * ":null" ":tba" ":etal", bare or in parentheses, any case) are skipped,
 * and so are values without a single letter or digit ("-" as a
 * dc:identifier, "..." as a title); exact duplicates (every field of the
 * element equal after normalization) are skipped too.  Strings are
 * copied into the page's arena; an element is pushed only once all its
 * strings are copied, so a cap leaves the record consistent and the adder
 * returns FD_E_LIMIT.
 *
 * Choices the header leaves open:
 * - an agent without a usable name is dropped, an invalid ORCID is
 *   dropped from an agent that is kept, an affiliation id is kept only
 *   when it is a ROR id;
 * - a title or description language that does not normalize is dropped
 *   (the text is kept), an unrecognized record language is dropped;
 * - a date "info:eu-repo/date/embargoEnd/YYYY-MM-DD" (OpenAIRE) sets
 *   r->embargo_end instead of adding a date; date types are lowercased;
 * - rights: an access right (URI or text) sets r->access when it is still
 *   unknown (the first one wins) and is never a license; a license whose
 *   SPDX id is already on the record completes that license (its missing
 *   url or text) instead of adding a second one; a value that looks like a
 *   URL goes to url, other text to text;
 * - funder ids that are persistent identifiers are stored as their
 *   resolver URL ("https://doi.org/10.13039/501100000780"), others as given;
 * - urls and download_urls keep only http(s) and ftp URLs;
 * - resource types: the first value that maps sets resource_type and
 *   resource_type_raw; a later one replaces it only when more specific
 *   ("Other" < "Text" < anything else), so the oai_dc list
 *   "info:eu-repo/semantics/other", "text", ".../c_ddb1" gives Dataset.
 *   info:eu-repo "workingPaper" maps to Preprint (a paper before peer
 *   review), "review" and "lecture" to Text (a review article or a book
 *   review is a text, not a DataCite PeerReview report).  A value that
 *   maps to nothing is kept as resource_type_raw while no type is known.
 */
#include "record-private.h"

/* Room for a normalized identifier (pid.c reads at most 2048 bytes). */
#define PID_BUF 2112

/* ---- cleaning ------------------------------------------------------------ */

static bool is_space_at(const unsigned char *p, size_t *ret_len) {
        if (*p <= 0x20 || *p == 0x7f) {
                *ret_len = 1;
                return true;
        }
        if (p[0] == 0xC2 && p[1] == 0xA0) {
                *ret_len = 2;
                return true;
        }
        return false;
}

/* Cleans s into a (see the top of the file): *ret is NULL when nothing is
 * left.  False on arena cap. */
static bool clean(struct fd_arena *a, const char *s, const char **ret) {
        size_t len = 0, k;
        bool gap = false;
        const unsigned char *p;
        char *out, *o;

        *ret = NULL;
        if (!s)
                return true;
        /* Most values are already clean: one tight scan, then one copy. */
        for (p = (const unsigned char *)s; *p > 0x20 && *p != 0x7f && *p != 0xC2; p++) {
                if (p[1] == ' ' && p[2] > 0x20 && p[2] != 0x7f && p[2] != 0xC2)
                        p++;
        }
        if (*p == '\0') {
                if (p == (const unsigned char *)s)
                        return true;
                return (*ret = fd_arena_strndup(a, s, (size_t)(p - (const unsigned char *)s))) != NULL;
        }
        for (p = (const unsigned char *)s; *p;) {
                if (is_space_at(p, &k)) {
                        gap = len > 0;
                        p += k;
                        continue;
                }
                len += gap ? 2 : 1;
                gap = false;
                p++;
        }
        if (len == 0)
                return true;
        if (!(out = fd_arena_alloc(a, len + 1)))
                return false;
        o = out;
        gap = false;
        for (p = (const unsigned char *)s; *p;) {
                if (is_space_at(p, &k)) {
                        gap = o > out;
                        p += k;
                        continue;
                }
                if (gap)
                        *o++ = ' ';
                gap = false;
                *o++ = (char)*p++;
        }
        *o = '\0';
        *ret = out;
        return true;
}

char *fd_text_clean_in(struct fd_arena *a, const char *s) {
        const char *r;
        if (!a || !clean(a, s, &r))
                return NULL;
        return (char *)r;
}

static bool placeholder(const char *s) {
        static const char *const codes[] = {
                ":unac", ":unal", ":unap", ":unas", ":unav", ":unkn", ":none", ":null", ":tba", ":etal",
        };
        size_t n = strlen(s);

        if (n >= 2 && s[0] == '(' && s[n - 1] == ')') {
                s++;
                n -= 2;
        }
        for (size_t i = 0; i < FD_ELEMENTSOF(codes); i++)
                if (strlen(codes[i]) == n && fd_prefix_ci(s, codes[i]) == n)
                        return true;
        return false;
}

/* True when s has a letter or a digit (any non-ASCII byte counts). */
static bool has_content(const char *s) {
        for (; *s; s++)
                if (fd_ascii_alnum(*s) || (unsigned char)*s >= 0x80)
                        return true;
        return false;
}

/* Cleans s and drops placeholders and values without any letter or digit
 * ("-", "..."): false only on arena cap. */
static bool usable(struct fd_arena *a, const char *s, const char **ret) {
        if (!clean(a, s, ret))
                return false;
        if (*ret && (placeholder(*ret) || !has_content(*ret)))
                *ret = NULL;
        return true;
}

static bool same(const char *x, const char *y) {
        if (!x || !y)
                return x == y;
        return strcmp(x, y) == 0;
}

static bool dup_in(struct fd_arena *a, const char *s, const char **ret) {
        *ret = NULL;
        return !s || (*ret = fd_arena_strdup(a, s)) != NULL;
}

static bool looks_url(const char *s) {
        return fd_prefix_ci(s, "http://") || fd_prefix_ci(s, "https://") || fd_prefix_ci(s, "ftp://") ||
               fd_prefix_ci(s, "ftps://");
}

/* ---- the record -------------------------------------------------------- */

struct fd_record *fd_record_new_in(struct fd_arena *a) {
        return a ? fd_arena_alloc(a, sizeof(struct fd_record)) : NULL;
}

static enum fd_status add_text(struct fd_texts *list, struct fd_arena *a, const char *value, const char *lang) {
        const char *v, *l = NULL;
        char code[64];
        struct fd_text *t;

        if (!usable(a, value, &v))
                return FD_E_LIMIT;
        if (!v)
                return FD_OK;
        if (lang && fd_lang_normalize(lang, code, sizeof code))
                l = code;
        for (size_t i = 0; i < list->n; i++)
                if (strcmp(list->v[i].value, v) == 0 && same(list->v[i].lang, l))
                        return FD_OK;
        if (!dup_in(a, l, &l) || !(t = FD_PUSH(a, *list)))
                return FD_E_LIMIT;
        t->value = v;
        t->lang = l;
        return FD_OK;
}

enum fd_status fd_record_add_title(struct fd_record *r, struct fd_arena *a, const char *value, const char *lang) {
        return add_text(&r->titles, a, value, lang);
}

enum fd_status fd_record_add_description(struct fd_record *r, struct fd_arena *a, const char *value,
                                         const char *lang) {
        return add_text(&r->descriptions, a, value, lang);
}

enum fd_status fd_record_add_agent(struct fd_record *r, struct fd_arena *a, bool contributor, const char *name,
                                   const char *orcid, const char *affiliation, const char *affiliation_id,
                                   const char *role) {
        struct fd_agents *list = contributor ? &r->contributors : &r->creators;
        const char *n, *o = NULL, *af, *ror = NULL, *ro;
        char buf[PID_BUF];
        struct fd_agent *g;

        if (!usable(a, name, &n))
                return FD_E_LIMIT;
        if (!n)
                return FD_OK;
        if (!usable(a, affiliation, &af) || !usable(a, role, &ro))
                return FD_E_LIMIT;
        if (orcid && fd_pid_normalize(orcid, FD_PID_ORCID, buf, sizeof buf) == FD_PID_ORCID &&
            !(o = fd_arena_strdup(a, buf)))
                return FD_E_LIMIT;
        if (affiliation_id && fd_pid_normalize(affiliation_id, FD_PID_ROR, buf, sizeof buf) == FD_PID_ROR &&
            !(ror = fd_arena_strdup(a, buf)))
                return FD_E_LIMIT;
        for (size_t i = 0; i < list->n; i++) {
                const struct fd_agent *e = &list->v[i];
                if (strcmp(e->name, n) == 0 && same(e->orcid, o) && same(e->affiliation, af) && same(e->ror, ror) &&
                    same(e->role, ro))
                        return FD_OK;
        }
        if (!(g = FD_PUSH(a, *list)))
                return FD_E_LIMIT;
        g->name = n;
        g->orcid = o;
        g->affiliation = af;
        g->ror = ror;
        g->role = ro;
        return FD_OK;
}

enum fd_status fd_record_add_subject(struct fd_record *r, struct fd_arena *a, const char *value, const char *scheme,
                                     const char *uri) {
        const char *v, *sc, *u;
        struct fd_subject *s;

        if (!usable(a, value, &v))
                return FD_E_LIMIT;
        if (!v)
                return FD_OK;
        if (!usable(a, scheme, &sc) || !usable(a, uri, &u))
                return FD_E_LIMIT;
        for (size_t i = 0; i < r->subjects.n; i++) {
                const struct fd_subject *e = &r->subjects.v[i];
                if (strcmp(e->value, v) == 0 && same(e->scheme, sc) && same(e->uri, u))
                        return FD_OK;
        }
        if (!(s = FD_PUSH(a, r->subjects)))
                return FD_E_LIMIT;
        s->value = v;
        s->scheme = sc;
        s->uri = u;
        return FD_OK;
}

enum fd_status fd_record_add_date(struct fd_record *r, struct fd_arena *a, const char *value, const char *type) {
        char buf[32];
        const char *v, *t = NULL;
        enum fd_date_precision p;
        struct fd_date *d;
        size_t k;

        if (!value)
                return FD_OK;
        while (fd_ascii_space(*value))
                value++;
        if ((k = fd_prefix_ci(value, "info:eu-repo/date/embargoend/"))) {
                if (!r->embargo_end && fd_date_normalize(value + k, buf, sizeof buf) != FD_DATE_NONE &&
                    !(r->embargo_end = fd_arena_strdup(a, buf)))
                        return FD_E_LIMIT;
                return FD_OK;
        }
        if ((p = fd_date_normalize(value, buf, sizeof buf)) == FD_DATE_NONE)
                return FD_OK;
        if (!usable(a, type, &t))
                return FD_E_LIMIT;
        if (t)
                for (char *c = (char *)t; *c; c++)
                        *c = fd_ascii_lower(*c);
        for (size_t i = 0; i < r->dates.n; i++)
                if (strcmp(r->dates.v[i].value, buf) == 0 && same(r->dates.v[i].type, t))
                        return FD_OK;
        if (!(v = fd_arena_strdup(a, buf)) || !(d = FD_PUSH(a, r->dates)))
                return FD_E_LIMIT;
        d->value = v;
        d->type = t;
        d->precision = p;
        return FD_OK;
}

/* Cleans and normalizes an identifier: *ret_value the normal form (or the
 * cleaned raw value), NULL when there is nothing usable. */
static bool pid_in(struct fd_arena *a, const char *value, enum fd_pid_scheme hint, const char **ret_value,
                   enum fd_pid_scheme *ret_scheme) {
        char buf[PID_BUF];
        const char *v;

        *ret_value = NULL;
        *ret_scheme = FD_PID_NONE;
        if (!usable(a, value, &v))
                return false;
        if (!v)
                return true;
        *ret_scheme = fd_pid_normalize(v, hint, buf, sizeof buf);
        if (*ret_scheme == FD_PID_NONE) {
                *ret_value = v;
                return true;
        }
        if (strcmp(buf, v) == 0) {
                *ret_value = v;
                return true;
        }
        return (*ret_value = fd_arena_strdup(a, buf)) != NULL;
}

enum fd_status fd_record_add_identifier(struct fd_record *r, struct fd_arena *a, const char *value,
                                        enum fd_pid_scheme hint) {
        const char *v;
        enum fd_pid_scheme s;
        struct fd_identifier *id;

        if (!pid_in(a, value, hint, &v, &s))
                return FD_E_LIMIT;
        if (!v)
                return FD_OK;
        for (size_t i = 0; i < r->identifiers.n; i++)
                if (r->identifiers.v[i].scheme == s && strcmp(r->identifiers.v[i].value, v) == 0)
                        return FD_OK;
        if (!(id = FD_PUSH(a, r->identifiers)))
                return FD_E_LIMIT;
        id->value = v;
        id->scheme = s;
        if (s == FD_PID_DOI && !r->doi)
                r->doi = v;
        return FD_OK;
}

enum fd_status fd_record_add_rights(struct fd_record *r, struct fd_arena *a, const char *text, const char *uri) {
        const char *t, *u, *url = NULL, *txt = NULL, *spdx = NULL;
        enum fd_access at, au;
        struct fd_license *l;

        if (!usable(a, text, &t) || !usable(a, uri, &u))
                return FD_E_LIMIT;
        at = t ? fd_access_parse(t) : FD_ACCESS_UNKNOWN;
        au = u ? fd_access_parse(u) : FD_ACCESS_UNKNOWN;
        if (r->access == FD_ACCESS_UNKNOWN)
                r->access = au != FD_ACCESS_UNKNOWN ? au : at;
        if (au != FD_ACCESS_UNKNOWN)
                u = NULL;
        if (at != FD_ACCESS_UNKNOWN)
                t = NULL;
        if (!t && !u)
                return FD_OK;

        if (u)
                spdx = fd_license_spdx(u);
        if (!spdx && t)
                spdx = fd_license_spdx(t);
        if (u && looks_url(u))
                url = u;
        if (t && !url && looks_url(t))
                url = t;
        if (t && url != t)
                txt = t;
        else if (u && url != u)
                txt = u;

        for (size_t i = 0; i < r->licenses.n; i++) {
                l = &r->licenses.v[i];
                if (spdx && same(l->spdx, spdx)) {
                        if (!l->url)
                                l->url = url;
                        if (!l->text)
                                l->text = txt;
                        return FD_OK;
                }
                if (same(l->url, url) && same(l->spdx, spdx) && same(l->text, txt))
                        return FD_OK;
        }
        if (!(l = FD_PUSH(a, r->licenses)))
                return FD_E_LIMIT;
        l->url = url;
        l->spdx = spdx;
        l->text = txt;
        return FD_OK;
}

static enum fd_status add_str(struct fd_strs *list, struct fd_arena *a, const char *v) {
        const char **slot;
        for (size_t i = 0; i < list->n; i++)
                if (strcmp(list->v[i], v) == 0)
                        return FD_OK;
        if (!(slot = FD_PUSH(a, *list)))
                return FD_E_LIMIT;
        *slot = v;
        return FD_OK;
}

/* value cleaned (usable()) into list: the adders of plain string lists. */
static enum fd_status add_usable(struct fd_strs *list, struct fd_arena *a, const char *value) {
        const char *v;
        if (!usable(a, value, &v))
                return FD_E_LIMIT;
        return v ? add_str(list, a, v) : FD_OK;
}

enum fd_status fd_record_add_language(struct fd_record *r, struct fd_arena *a, const char *value) {
        char code[64];
        const char *v;

        if (!value || !fd_lang_normalize(value, code, sizeof code))
                return FD_OK;
        for (size_t i = 0; i < r->languages.n; i++)
                if (strcmp(r->languages.v[i], code) == 0)
                        return FD_OK;
        if (!(v = fd_arena_strdup(a, code)))
                return FD_E_LIMIT;
        return add_str(&r->languages, a, v);
}

enum fd_status fd_record_add_format(struct fd_record *r, struct fd_arena *a, const char *value) {
        return add_usable(&r->formats, a, value);
}

enum fd_status fd_record_add_url(struct fd_record *r, struct fd_arena *a, const char *value, bool download) {
        const char *v;
        if (!usable(a, value, &v))
                return FD_E_LIMIT;
        if (!v || !looks_url(v) || strchr(v, ' '))
                return FD_OK;
        return add_str(download ? &r->download_urls : &r->urls, a, v);
}

enum fd_status fd_record_add_related(struct fd_record *r, struct fd_arena *a, const char *value,
                                     enum fd_pid_scheme hint, const char *relation) {
        const char *v, *rel;
        enum fd_pid_scheme s;
        struct fd_related *x;

        if (!pid_in(a, value, hint, &v, &s))
                return FD_E_LIMIT;
        if (!v)
                return FD_OK;
        if (!usable(a, relation, &rel))
                return FD_E_LIMIT;
        for (size_t i = 0; i < r->related.n; i++) {
                const struct fd_related *e = &r->related.v[i];
                if (e->scheme == s && strcmp(e->value, v) == 0 && same(e->relation, rel))
                        return FD_OK;
        }
        if (!(x = FD_PUSH(a, r->related)))
                return FD_E_LIMIT;
        x->value = v;
        x->scheme = s;
        x->relation = rel;
        return FD_OK;
}

enum fd_status fd_record_add_size(struct fd_record *r, struct fd_arena *a, const char *value) {
        return add_usable(&r->sizes, a, value);
}

enum fd_status fd_record_add_checksum(struct fd_record *r, struct fd_arena *a, const char *algorithm,
                                      const char *value) {
        const char *alg, *v;
        if (!usable(a, algorithm, &alg) || !usable(a, value, &v))
                return FD_E_LIMIT;
        if (!alg || !v)
                return FD_OK;
        char *both = fd_arena_printf(a, "%s:%s", alg, v);
        if (!both)
                return FD_E_LIMIT;
        for (char *p = both; *p != ':'; p++)
                *p = fd_ascii_lower(*p);
        return add_str(&r->checksums, a, both);
}

enum fd_status fd_record_add_legislation(struct fd_record *r, struct fd_arena *a, const char *iri) {
        return add_usable(&r->legislation, a, iri);
}

enum fd_status fd_record_add_geo(struct fd_record *r, struct fd_arena *a, const struct fd_geo *geo) {
        struct fd_geo g = *geo, *slot;

        if (!usable(a, geo->place, &g.place))
                return FD_E_LIMIT;
        if (g.has_point && !(g.lat >= -90 && g.lat <= 90 && g.lon >= -180 && g.lon <= 180))
                g.has_point = false;
        if (g.has_box && !(g.south >= -90 && g.north <= 90 && g.south <= g.north && g.west >= -180 &&
                           g.east <= 180))
                g.has_box = false;
        if (!g.place && !g.has_point && !g.has_box)
                return FD_OK;
        for (size_t i = 0; i < r->geo_locations.n; i++) {
                const struct fd_geo *e = &r->geo_locations.v[i];
                if (same(e->place, g.place) && e->has_point == g.has_point && e->has_box == g.has_box &&
                    (!g.has_point || (e->lat == g.lat && e->lon == g.lon)) &&
                    (!g.has_box || (e->west == g.west && e->east == g.east && e->south == g.south &&
                                    e->north == g.north)))
                        return FD_OK;
        }
        if (!(slot = FD_PUSH(a, r->geo_locations)))
                return FD_E_LIMIT;
        *slot = g;
        return FD_OK;
}

enum fd_status fd_record_add_funding(struct fd_record *r, struct fd_arena *a, const char *funder,
                                     const char *funder_id, const char *award, const char *award_title) {
        const char *fn, *fi, *aw, *at;
        char buf[PID_BUF], url[PID_BUF + 64];
        enum fd_pid_scheme s;
        struct fd_funding *f;

        if (!usable(a, funder, &fn) || !usable(a, funder_id, &fi) || !usable(a, award, &aw) ||
            !usable(a, award_title, &at))
                return FD_E_LIMIT;
        if (!fn && !fi && !aw && !at)
                return FD_OK;
        if (fi && (s = fd_pid_normalize(fi, FD_PID_NONE, buf, sizeof buf)) != FD_PID_NONE &&
            fd_pid_url(s, buf, url, sizeof url) && strcmp(url, fi) != 0 && !(fi = fd_arena_strdup(a, url)))
                return FD_E_LIMIT;
        for (size_t i = 0; i < r->funding.n; i++) {
                const struct fd_funding *e = &r->funding.v[i];
                if (same(e->funder, fn) && same(e->funder_id, fi) && same(e->award, aw) && same(e->award_title, at))
                        return FD_OK;
        }
        if (!(f = FD_PUSH(a, r->funding)))
                return FD_E_LIMIT;
        f->funder = fn;
        f->funder_id = fi;
        f->award = aw;
        f->award_title = at;
        return FD_OK;
}

/* ---- resource types ------------------------------------------------------ */

/* Keys: the value without its vocabulary prefix, lowercased, letters and
 * digits only ("c_6501" -> "c6501", "Journal article" -> "journalarticle").
 * DataCite 4.6 resourceTypeGeneral, DCMI Type, info:eu-repo/semantics,
 * DINI doc-type, COAR resource types and common English phrases.  Sorted
 * by strcmp. */
static const struct {
        const char *key, *general;
} type_map[] = {
        {"2h0mx761", "Dataset"}, {"63ngb465", "Dataset"}, {"a8f1npv9", "Dataset"},
        {"acf78yt9", "Dataset"}, {"am6w6qaw", "Dataset"}, {"annotation", "Text"},
        {"article", "JournalArticle"}, {"audio", "Sound"}, {"audiovisual", "Audiovisual"},
        {"award", "Award"}, {"bachelorthesis", "Dissertation"}, {"book", "Book"},
        {"bookchapter", "BookChapter"}, {"bookpart", "BookChapter"}, {"c0640", "Journal"}, {"c0857", "Text"},
        {"c1162", "Text"}, {"c12cc", "Image"}, {"c12cd", "Image"}, {"c12ce", "Audiovisual"},
        {"c15cd", "Text"}, {"c1843", "Other"}, {"c186u", "Report"}, {"c18cc", "Sound"},
        {"c18cd", "Other"}, {"c18cf", "Text"}, {"c18co", "Text"}, {"c18cp", "ConferencePaper"},
        {"c18cw", "Text"}, {"c18gh", "Report"}, {"c18hj", "Report"}, {"c18op", "Report"},
        {"c18wq", "Report"}, {"c18ws", "Report"}, {"c18ww", "Report"}, {"c18wz", "Report"},
        {"c2df8fbb1", "JournalArticle"}, {"c2f33", "Book"}, {"c3248", "BookChapter"},
        {"c393c", "Workflow"}, {"c3e5a", "Text"}, {"c46ec", "Dissertation"}, {"c545b", "Text"},
        {"c5794", "ConferencePaper"}, {"c5ce6", "Software"}, {"c6501", "JournalArticle"},
        {"c6670", "Text"}, {"c71bd", "Text"}, {"c7a1f", "Dissertation"},
        {"c7ad9", "InteractiveResource"}, {"c8042", "Preprint"}, {"c816b", "Preprint"},
        {"c8544", "Text"}, {"c86bc", "Text"}, {"c8a7e", "Audiovisual"}, {"c93fc", "Report"},
        {"cab20", "OutputManagementPlan"}, {"cb239", "Text"}, {"cba08", "Text"},
        {"cba1f", "Report"}, {"cbaaf", "Text"}, {"cbdcc", "Dissertation"}, {"cbeb9", "DataPaper"},
        {"cc513", "Image"}, {"cc94f", "ConferencePaper"}, {"cc950", "Software"},
        {"ccb28", "Dataset"}, {"cdb06", "Dissertation"}, {"cdcae04bc", "JournalArticle"},
        {"cddb1", "Dataset"}, {"ce9a0", "InteractiveResource"}, {"cecc8", "Image"},
        {"cefa0", "Text"}, {"cf744", "ConferenceProceeding"}, {"chapter", "BookChapter"},
        {"collection", "Collection"}, {"computationalnotebook", "ComputationalNotebook"},
        {"conferenceobject", "ConferencePaper"}, {"conferencepaper", "ConferencePaper"},
        {"conferenceposter", "Text"}, {"conferenceproceeding", "ConferenceProceeding"},
        {"conferenceproceedings", "ConferenceProceeding"}, {"contributiontoperiodical", "Text"},
        {"coursematerial", "Text"}, {"cqmr7k63", "Dataset"}, {"data", "Dataset"},
        {"datamanagementplan", "OutputManagementPlan"}, {"datapaper", "DataPaper"},
        {"dataset", "Dataset"}, {"dd58gfsx", "Dataset"}, {"dissertation", "Dissertation"},
        {"doctoralthesis", "Dissertation"}, {"document", "Text"}, {"equipment", "Instrument"}, {"event", "Event"}, {"ff4c28rk", "Dataset"},
        {"film", "Audiovisual"}, {"fxf3d3g7", "Dataset"}, {"h41yfw7b", "Dataset"},
        {"habilitation", "Dissertation"}, {"image", "Image"}, {"instrument", "Instrument"},
        {"interactiveresource", "InteractiveResource"}, {"journal", "Journal"},
        {"journalarticle", "JournalArticle"}, {"lecture", "Text"}, {"literature", "Text"},
        {"manuscript", "Text"}, {"map", "Image"}, {"mastersthesis", "Dissertation"},
        {"masterthesis", "Dissertation"}, {"mixedmaterial", "Collection"}, {"model", "Model"}, {"movingimage", "Audiovisual"},
        {"musicalnotation", "Text"}, {"other", "Other"},
        {"outputmanagementplan", "OutputManagementPlan"}, {"patent", "Text"},
        {"peerreview", "PeerReview"}, {"periodical", "Journal"}, {"periodicalpart", "Text"},
        {"phdthesis", "Dissertation"}, {"photograph", "Image"},
        {"physicalobject", "PhysicalObject"}, {"poster", "Text"}, {"preprint", "Preprint"},
        {"presentation", "Text"}, {"proceedings", "ConferenceProceeding"}, {"project", "Project"},
        {"publication", "Text"}, {"report", "Report"}, {"researcharticle", "JournalArticle"},
        {"researchdata", "Dataset"}, {"researchreport", "Report"}, {"researchsoftware", "Software"},
        {"review", "Text"}, {"reviewarticle", "JournalArticle"}, {"service", "Service"},
        {"software", "Software"}, {"sound", "Sound"}, {"sourcecode", "Software"},
        {"standard", "Standard"}, {"stillimage", "Image"},
        {"studyregistration", "StudyRegistration"}, {"studythesis", "Text"},
        {"technicalreport", "Report"}, {"text", "Text"}, {"thesis", "Dissertation"},
        {"video", "Audiovisual"}, {"w2xt7017", "Dataset"}, {"website", "InteractiveResource"},
        {"workflow", "Workflow"}, {"workingpaper", "Preprint"},
};

static const char *const type_prefixes[] = {
        "info:eu-repo/semantics/",
        "doc-type:",
        "http://purl.org/dc/dcmitype/",
        "https://purl.org/dc/dcmitype/",
        "dcmitype:",
        "dctype:",
        "http://purl.org/coar/resource_type/",
        "https://purl.org/coar/resource_type/",
        "http://schema.datacite.org/meta/kernel-4/include/datacite-resourcetype-v4#",
};

static int type_cmp(const void *k, const void *e) {
        return strcmp(k, *(const char *const *)e);
}

static const char *type_general(const char *v) {
        char key[48];
        size_t o = 0, n;

        for (size_t i = 0; i < FD_ELEMENTSOF(type_prefixes); i++) {
                size_t k = fd_prefix_ci(v, type_prefixes[i]);
                if (k) {
                        v += k;
                        break;
                }
        }
        n = strlen(v);
        while (n && v[n - 1] == '/')
                n--;
        for (size_t i = 0; i < n; i++) {
                if (!fd_ascii_alnum(v[i]))
                        continue;
                if (o + 1 >= sizeof key)
                        return NULL;
                key[o++] = fd_ascii_lower(v[i]);
        }
        key[o] = '\0';
        if (o == 0)
                return NULL;
        const void *hit = bsearch(key, type_map, FD_ELEMENTSOF(type_map), sizeof type_map[0], type_cmp);
        return hit ? ((const __typeof__(type_map[0]) *)hit)->general : NULL;
}

static int type_rank(const char *general) {
        if (strcmp(general, "Other") == 0)
                return 0;
        if (strcmp(general, "Text") == 0)
                return 1;
        return 2;
}

enum fd_status fd_record_set_type(struct fd_record *r, struct fd_arena *a, const char *value) {
        const char *v, *general;

        if (!usable(a, value, &v))
                return FD_E_LIMIT;
        if (!v)
                return FD_OK;
        general = type_general(v);
        if (!general) {
                if (!r->resource_type && !r->resource_type_raw)
                        r->resource_type_raw = v;
                return FD_OK;
        }
        if (!r->resource_type || type_rank(general) > type_rank(r->resource_type)) {
                r->resource_type = general;
                r->resource_type_raw = v;
        }
        return FD_OK;
}

/* ---- reading --------------------------------------------------------------- */

/* The one choice of a text among several: the first without a language
 * tag, else the first (texts without a value do not count). */
static const char *pick_text(const struct fd_texts *l) {
        const char *first = NULL;

        for (size_t i = 0; i < l->n; i++) {
                if (!l->v[i].value)
                        continue;
                if (!l->v[i].lang)
                        return l->v[i].value;
                if (!first)
                        first = l->v[i].value;
        }
        return first;
}

const char *fd_record_title(const struct fd_record *r) {
        return pick_text(&r->titles);
}

const char *fd_record_description(const struct fd_record *r) {
        return pick_text(&r->descriptions);
}

static int year_of(const char *s) {
        int y = 0;
        if (!s)
                return 0;
        for (int i = 0; i < 4; i++) {
                if (!fd_ascii_digit(s[i]))
                        return 0;
                y = y * 10 + (s[i] - '0');
        }
        return y;
}

int fd_record_year(const struct fd_record *r) {
        for (size_t i = 0; i < r->dates.n; i++)
                if (r->dates.v[i].type && strcmp(r->dates.v[i].type, "issued") == 0)
                        return year_of(r->dates.v[i].value);
        if (r->dates.n)
                return year_of(r->dates.v[0].value);
        return year_of(r->datestamp);
}

bool fd_record_tables_ok(void) {
        for (size_t i = 1; i < FD_ELEMENTSOF(type_map); i++)
                if (strcmp(type_map[i - 1].key, type_map[i].key) >= 0)
                        return false;
        return true;
}
