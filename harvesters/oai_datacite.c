/* oai_datacite.c: the DataCite (kernel 2.x, 3, 4.x, with or without the
 * oai_datacite envelope) and OpenAIRE (Guidelines for Literature
 * Repositories v4, oai_openaire) mapper.
 *
 * One mapper for both because OpenAIRE v4 is DataCite's vocabulary spread
 * over three namespaces (datacite:, oaire:, dc:), and because the records
 * harvested in the wild mix them anyway: a DataCite <resource> without any
 * namespace inheriting the OAI-PMH one from <record>, kernel 3 written with
 * a "default:" prefix, a datacite:resource whose default namespace is
 * OpenAIRE's, a relatedIdentifier without its wrapper, an envelope without
 * <payload>.  So elements are matched by local name when their namespace is
 * one of those that can carry DataCite properties (any kernel version,
 * OpenAIRE, DC, the OAI-PMH one, none), never by prefix, and wrappers are
 * walked rather than required.  Namespaces that leak in from elsewhere are
 * ignored, and <relatedItems> is never entered: its titles and creators are
 * another work's.  Empty values and ":unav" placeholders are dropped by the
 * record adders.
 */
#include <ctype.h>
#include <math.h>
#include <strings.h>

#include "harvesters-private.h"

struct dcm {
        struct fd_record *r;
        struct fd_arena *a, *scratch;
        const char *publication_year;
};

static enum fd_status full(struct fd_error *err) {
        return fd_error_set(err, FD_E_LIMIT, "the page arena is full");
}

/* A namespace that may carry DataCite or OpenAIRE properties. */
static bool ns_ok(const char *ns) {
        if (!ns)
                return true;
        if (strncmp(ns, "http://datacite.org/schema/kernel-", 34) == 0)
                return true;
        return strcmp(ns, FD_NS_OAIRE) == 0 || strcmp(ns, FD_NS_DC) == 0 || strcmp(ns, FD_NS_OAI) == 0 ||
               strcmp(ns, FD_NS_OAI_DATACITE) == 0 || strcmp(ns, FD_NS_OAI_DATACITE11) == 0 ||
               strcmp(ns, "https://datacite.org/schema/kernel-4") == 0;
}

static bool is(const struct fd_xnode *n, const char *name) { return strcmp(n->name, name) == 0; }

/* An attribute in no namespace (DataCite's are all unqualified). */
static const char *attr(const struct fd_xnode *n, const char *name) { return fd_xnode_attr(n, NULL, name); }

/* The cleaned text of n in scratch, or NULL. */
static char *text_of(struct dcm *d, const struct fd_xnode *n) {
        return n && n->text ? fd_text_clean_in(d->scratch, n->text) : NULL;
}

static const struct fd_xnode *child(const struct fd_xnode *n, const char *name) {
        for (const struct fd_xnode *c = n->child; c; c = c->next)
                if (ns_ok(c->ns) && is(c, name))
                        return c;
        return NULL;
}

static const char *lang_of(struct dcm *d, const struct fd_xnode *n) {
        const char *l = fd_xnode_lang(n);
        char out[64];

        if (!l || !fd_lang_normalize(l, out, sizeof out))
                return NULL;
        return fd_arena_strdup(d->scratch, out);
}

static bool contains_ci(const char *s, const char *needle) { return s && strcasestr(s, needle) != NULL; }

/* DataCite identifierType / relatedIdentifierType to a scheme hint. */
static enum fd_pid_scheme hint_of(const char *type) {
        if (!type)
                return FD_PID_NONE;
        if (!strcasecmp(type, "DOI"))
                return FD_PID_DOI;
        if (!strcasecmp(type, "Handle") || !strcasecmp(type, "hdl"))
                return FD_PID_HANDLE;
        if (!strcasecmp(type, "ARK"))
                return FD_PID_ARK;
        if (!strcasecmp(type, "URN"))
                return FD_PID_URN;
        if (!strcasecmp(type, "URL") || !strcasecmp(type, "PURL"))
                return FD_PID_URL;
        return FD_PID_NONE;
}

/* An identifier of the resource itself; a URL one is also its landing page.
 * Types we have no scheme for (PMID, ISBN, …) are kept as "type:value". */
static enum fd_status add_identifier(struct dcm *d, const char *v, const char *type) {
        enum fd_pid_scheme hint = hint_of(type);
        char norm[1024];
        enum fd_status st;

        if (hint == FD_PID_NONE && type && type[0] && !fd_is_http(v) && !strchr(v, ':')) {
                const char *raw = fd_arena_printf(d->scratch, "%s:%s", type, v);
                if (!raw)
                        return FD_E_LIMIT;
                return fd_record_add_identifier(d->r, d->a, raw, FD_PID_NONE);
        }
        if ((st = fd_record_add_identifier(d->r, d->a, v, hint)))
                return st;
        if (fd_is_http(v)) {
                enum fd_pid_scheme s = fd_pid_normalize(v, FD_PID_NONE, norm, sizeof norm);
                if (s == FD_PID_URL || s == FD_PID_NONE)
                        return fd_record_add_url(d->r, d->a, v, false);
        }
        return FD_OK;
}

/* creator / contributor: name, ORCID among the nameIdentifiers, the first
 * affiliation with its ROR. */
static enum fd_status add_agent(struct dcm *d, const struct fd_xnode *n, bool contributor) {
        const char *name = NULL, *given = NULL, *family = NULL, *orcid = NULL, *aff = NULL, *ror = NULL;

        for (const struct fd_xnode *c = n->child; c; c = c->next) {
                if (!ns_ok(c->ns))
                        continue;
                if (is(c, "creatorName") || is(c, "contributorName")) {
                        if (!name)
                                name = text_of(d, c);
                } else if (is(c, "givenName")) {
                        given = text_of(d, c);
                } else if (is(c, "familyName")) {
                        family = text_of(d, c);
                } else if (is(c, "nameIdentifier")) {
                        const char *scheme = attr(c, "nameIdentifierScheme"), *uri = attr(c, "schemeURI");
                        const char *v = text_of(d, c);
                        if (!orcid && v &&
                            (contains_ci(scheme, "orcid") || contains_ci(uri, "orcid.org") || contains_ci(v, "orcid.org")))
                                orcid = v;
                } else if (is(c, "affiliation")) {
                        const char *id = attr(c, "affiliationIdentifier");
                        const char *scheme = attr(c, "affiliationIdentifierScheme");
                        const char *v = text_of(d, c);
                        if (!aff && v)
                                aff = v;
                        if (!ror && id && (contains_ci(scheme, "ror") || contains_ci(id, "ror.org")))
                                ror = id;
                }
        }
        if (!name && family) {
                name = given ? fd_arena_printf(d->scratch, "%s, %s", family, given) : family;
                if (!name)
                        return FD_E_LIMIT;
        }
        if (!name)
                return FD_OK;
        return fd_record_add_agent(d->r, d->a, contributor, name, orcid, aff, ror,
                                   contributor ? attr(n, "contributorType") : NULL);
}

static enum fd_status add_text(struct dcm *d, const struct fd_xnode *n, bool title) {
        struct fd_texts *l = title ? &d->r->titles : &d->r->descriptions;
        size_t before = l->n;
        const char *type = attr(n, title ? "titleType" : "descriptionType");
        enum fd_status st;

        if (!n->text)
                return FD_OK;
        st = title ? fd_record_add_title(d->r, d->a, n->text, lang_of(d, n))
                   : fd_record_add_description(d->r, d->a, n->text, lang_of(d, n));
        if (st == FD_OK && type && l->n > before && !(l->v[l->n - 1].type = fd_arena_strdup(d->a, type)))
                return FD_E_LIMIT;
        return st;
}

static enum fd_status add_subject(struct dcm *d, const struct fd_xnode *n) {
        const char *v = text_of(d, n), *code = attr(n, "classificationCode");
        size_t before = d->r->subjects.n;
        enum fd_status st;

        if (!v)
                return FD_OK;
        st = fd_record_add_subject(d->r, d->a, v, attr(n, "subjectScheme"), attr(n, "valueURI"));
        if (st == FD_OK && code && d->r->subjects.n > before &&
            !(d->r->subjects.v[d->r->subjects.n - 1].code = fd_arena_strdup(d->a, code)))
                return FD_E_LIMIT;
        return st;
}

static enum fd_status add_date(struct dcm *d, const struct fd_xnode *n) {
        const char *v = text_of(d, n), *type = attr(n, "dateType");
        char lower[64];

        if (!v)
                return FD_OK;
        if (type) {
                size_t i = 0;
                for (; type[i] && i + 1 < sizeof lower; i++)
                        lower[i] = (char)tolower((unsigned char)type[i]);
                lower[i] = '\0';
                type = lower;
        }
        /* A Collected or Coverage range ("1990/2000", open "2015-03/",
         * "/1985", "..") is temporal coverage: its ends become
         * coverage-start and coverage-end dates, as DCAT's dct:temporal. */
        const char *slash = strchr(v, '/');
        if (slash && type && (strcmp(type, "collected") == 0 || strcmp(type, "coverage") == 0)) {
                char *start = fd_arena_strndup(d->scratch, v, (size_t)(slash - v));
                enum fd_status st;
                if (!start)
                        return FD_E_LIMIT;
                if (*start && strcmp(start, "..") != 0 &&
                    (st = fd_record_add_date(d->r, d->a, start, "coverage-start")) != FD_OK)
                        return st;
                if (slash[1] && strcmp(slash + 1, "..") != 0 &&
                    (st = fd_record_add_date(d->r, d->a, slash + 1, "coverage-end")) != FD_OK)
                        return st;
        }
        return fd_record_add_date(d->r, d->a, v, type);
}

static enum fd_status add_rights(struct dcm *d, const struct fd_xnode *n, const char *uri_attr) {
        const char *v = text_of(d, n), *uri = attr(n, uri_attr), *spdx = attr(n, "rightsIdentifier");
        enum fd_status st = FD_OK;

        if (spdx && (st = fd_record_add_rights(d->r, d->a, spdx, NULL)))
                return st;
        if (uri || (v && !spdx))
                st = fd_record_add_rights(d->r, d->a, uri ? NULL : v, uri);
        return st;
}

static enum fd_status add_resource_type(struct dcm *d, const struct fd_xnode *n) {
        const char *general = attr(n, "resourceTypeGeneral"), *uri = attr(n, "uri"), *v = text_of(d, n);
        enum fd_status st = FD_OK;

        /* OpenAIRE: a COAR URI, and "literature"/"dataset" as the general type */
        if (uri && (st = fd_record_set_type(d->r, d->a, uri)))
                return st;
        if (!d->r->resource_type && general && (st = fd_record_set_type(d->r, d->a, general)))
                return st;
        if (!d->r->resource_type && v && (st = fd_record_set_type(d->r, d->a, v)))
                return st;
        if (v && d->r->resource_type && !(d->r->resource_type_raw = fd_arena_strdup(d->a, v)))
                return FD_E_LIMIT;
        return FD_OK;
}

static bool number(const char *s, double *ret) {
        char *end;
        if (!s)
                return false;
        double v = strtod(s, &end);
        while (*end && isspace((unsigned char)*end))
                end++;
        if (end == s || *end || !isfinite(v))
                return false;
        *ret = v;
        return true;
}

static bool child_number(struct dcm *d, const struct fd_xnode *n, const char *name, double *ret) {
        return number(text_of(d, child(n, name)), ret);
}

/* geoLocation: kernel 4 points and boxes are elements, kernel 3 writes them
 * as text ("lat lon", "south west north east"); a polygon becomes its box. */
static enum fd_status add_geo(struct dcm *d, const struct fd_xnode *n) {
        struct fd_geo g = {0};

        for (const struct fd_xnode *c = n->child; c; c = c->next) {
                if (!ns_ok(c->ns))
                        continue;
                if (is(c, "geoLocationPlace")) {
                        if (!g.place)
                                g.place = text_of(d, c);
                } else if (is(c, "geoLocationPoint") && !g.has_point) {
                        const char *t = text_of(d, c);
                        if (c->child)
                                g.has_point = child_number(d, c, "pointLatitude", &g.lat) &&
                                              child_number(d, c, "pointLongitude", &g.lon);
                        else if (t)
                                g.has_point = sscanf(t, "%lf %lf", &g.lat, &g.lon) == 2;
                } else if (is(c, "geoLocationBox") && !g.has_box) {
                        const char *t = text_of(d, c);
                        if (c->child)
                                g.has_box = child_number(d, c, "westBoundLongitude", &g.west) &&
                                            child_number(d, c, "eastBoundLongitude", &g.east) &&
                                            child_number(d, c, "southBoundLatitude", &g.south) &&
                                            child_number(d, c, "northBoundLatitude", &g.north);
                        else if (t)
                                g.has_box = sscanf(t, "%lf %lf %lf %lf", &g.south, &g.west, &g.north, &g.east) == 4;
                } else if (is(c, "geoLocationPolygon") && !g.has_box) {
                        size_t k = 0;
                        for (const struct fd_xnode *p = c->child; p; p = p->next) {
                                double lat, lon;
                                if (!ns_ok(p->ns) || !is(p, "polygonPoint") ||
                                    !child_number(d, p, "pointLatitude", &lat) ||
                                    !child_number(d, p, "pointLongitude", &lon))
                                        continue;
                                if (k++ == 0) {
                                        g.south = g.north = lat;
                                        g.west = g.east = lon;
                                } else {
                                        g.south = lat < g.south ? lat : g.south;
                                        g.north = lat > g.north ? lat : g.north;
                                        g.west = lon < g.west ? lon : g.west;
                                        g.east = lon > g.east ? lon : g.east;
                                }
                        }
                        g.has_box = k >= 3;
                }
        }
        return fd_record_add_geo(d->r, d->a, &g);
}

static enum fd_status add_funding(struct dcm *d, const struct fd_xnode *n) {
        const struct fd_xnode *fid = child(n, "funderIdentifier");
        const char *type = fid ? attr(fid, "funderIdentifierType") : NULL;
        size_t before = d->r->funding.n;
        enum fd_status st;

        st = fd_record_add_funding(d->r, d->a, text_of(d, child(n, "funderName")), text_of(d, fid),
                                   text_of(d, child(n, "awardNumber")), text_of(d, child(n, "awardTitle")));
        if (st == FD_OK && type && d->r->funding.n > before && d->r->funding.v[d->r->funding.n - 1].funder_id &&
            !(d->r->funding.v[d->r->funding.n - 1].funder_id_type = fd_arena_strdup(d->a, type)))
                return FD_E_LIMIT;
        return st;
}

static enum fd_status set_once(struct dcm *d, const char **field, const struct fd_xnode *n) {
        const char *v;
        if (*field || !(v = text_of(d, n)))
                return FD_OK;
        return (*field = fd_arena_strdup(d->a, v)) ? FD_OK : FD_E_LIMIT;
}

static enum fd_status add_publisher(struct dcm *d, const struct fd_xnode *n) {
        const char *id = attr(n, "publisherIdentifier");
        enum fd_status st = set_once(d, &d->r->publisher, n);
        char norm[256];

        if (st || !id || d->r->publisher_id)
                return st;
        if (fd_pid_normalize(id, FD_PID_NONE, norm, sizeof norm) == FD_PID_ROR)
                id = norm;
        return (d->r->publisher_id = fd_arena_strdup(d->a, id)) ? FD_OK : FD_E_LIMIT;
}

/* OpenAIRE's <file>: a download URL with its media type. */
static enum fd_status add_file(struct dcm *d, const struct fd_xnode *n) {
        const char *v = text_of(d, n), *mime = attr(n, "mimeType");
        enum fd_status st = FD_OK;

        if (v && fd_is_http(v) && (st = fd_record_add_url(d->r, d->a, v, true)))
                return st;
        return mime ? fd_record_add_format(d->r, d->a, mime) : FD_OK;
}

static enum fd_status walk(struct dcm *d, const struct fd_xnode *n, int depth);

static enum fd_status map_node(struct dcm *d, const struct fd_xnode *c, int depth) {
        const char *name = c->name;
        char *v;

        switch (name[0]) {
        case 'a':
                if (is(c, "alternateIdentifier"))
                        return (v = text_of(d, c)) ? add_identifier(d, v, attr(c, "alternateIdentifierType")) : FD_OK;
                if (is(c, "alternateIdentifiers"))
                        return walk(d, c, depth + 1);
                break;
        case 'c':
                if (is(c, "creator"))
                        return add_agent(d, c, false);
                if (is(c, "contributor"))
                        return add_agent(d, c, true);
                if (is(c, "creators") || is(c, "contributors"))
                        return walk(d, c, depth + 1);
                break;
        case 'd':
                if (is(c, "date"))
                        return add_date(d, c);
                if (is(c, "description"))
                        return add_text(d, c, false);
                if (is(c, "dates") || is(c, "descriptions"))
                        return walk(d, c, depth + 1);
                break;
        case 'f':
                if (is(c, "format"))
                        return (v = text_of(d, c)) ? fd_record_add_format(d->r, d->a, v) : FD_OK;
                if (is(c, "fundingReference"))
                        return add_funding(d, c);
                if (is(c, "file"))
                        return add_file(d, c);
                if (is(c, "formats") || is(c, "fundingReferences"))
                        return walk(d, c, depth + 1);
                break;
        case 'g':
                if (is(c, "geoLocation"))
                        return add_geo(d, c);
                if (is(c, "geoLocations"))
                        return walk(d, c, depth + 1);
                break;
        case 'i':
                if (is(c, "identifier"))
                        return (v = text_of(d, c)) ? add_identifier(d, v, attr(c, "identifierType")) : FD_OK;
                break;
        case 'l':
                if (is(c, "language"))
                        return (v = text_of(d, c)) ? fd_record_add_language(d->r, d->a, v) : FD_OK;
                if (is(c, "licenseCondition"))
                        return add_rights(d, c, "uri");
                break;
        case 'p':
                if (is(c, "publisher"))
                        return add_publisher(d, c);
                if (is(c, "publicationYear")) {
                        if (!d->publication_year)
                                d->publication_year = text_of(d, c);
                        return FD_OK;
                }
                if (is(c, "payload"))
                        return walk(d, c, depth + 1);
                break;
        case 'r':
                if (is(c, "relatedIdentifier"))
                        return (v = text_of(d, c)) ? fd_record_add_related(d->r, d->a, v,
                                                                          hint_of(attr(c, "relatedIdentifierType")),
                                                                          attr(c, "relationType"))
                                                   : FD_OK;
                if (is(c, "rights"))
                        return add_rights(d, c, "rightsURI");
                if (is(c, "resourceType"))
                        return add_resource_type(d, c);
                if (is(c, "relatedIdentifiers") || is(c, "rightsList") || is(c, "resource"))
                        return walk(d, c, depth + 1);
                break;  /* relatedItems: another work's properties */
        case 's':
                if (is(c, "subject"))
                        return add_subject(d, c);
                if (is(c, "size"))
                        return (v = text_of(d, c)) ? fd_record_add_size(d->r, d->a, v) : FD_OK;
                if (is(c, "subjects") || is(c, "sizes"))
                        return walk(d, c, depth + 1);
                break;
        case 't':
                if (is(c, "title"))
                        return add_text(d, c, true);
                if (is(c, "titles"))
                        return walk(d, c, depth + 1);
                break;
        case 'v':
                if (is(c, "version"))
                        return set_once(d, &d->r->version, c);
                break;
        default:
                break;
        }
        return FD_OK;
}

static enum fd_status walk(struct dcm *d, const struct fd_xnode *n, int depth) {
        if (depth > 8)
                return FD_OK;
        for (const struct fd_xnode *c = n->child; c; c = c->next) {
                if (!ns_ok(c->ns))
                        continue;
                enum fd_status st = map_node(d, c, depth);
                if (st)
                        return st;
        }
        return FD_OK;
}

enum fd_status fd_datacite_map(struct fd_record *r, struct fd_arena *a, struct fd_arena *scratch,
                               const struct fd_xnode *root, struct fd_error *err) {
        struct dcm d = {.r = r, .a = a, .scratch = scratch};
        enum fd_status st;

        st = walk(&d, root, 0);
        if (st == FD_OK && d.publication_year) {
                bool issued = false;
                for (size_t i = 0; i < r->dates.n; i++)
                        if (r->dates.v[i].type && strcmp(r->dates.v[i].type, "issued") == 0)
                                issued = true;
                if (!issued)
                        st = fd_record_add_date(r, a, d.publication_year, "issued");
        }
        if (st == FD_E_LIMIT)
                return full(err);
        if (st)
                return fd_error_set(err, st, "cannot map the DataCite resource");
        return FD_OK;
}
