/* json.c: a record as a JSON object (jansson).
 *
 * The query server, the CLI and the index's stored document all use this
 * one encoding, so it follows the struct exactly: member names are the
 * struct's, snake_case; a NULL string or an empty list is left out, never
 * written as null or []; "deleted" and "access" are always present;
 * enums are written by their stable names.  Strings that are not valid
 * UTF-8 (a source can send anything) are written with U+FFFD in place of
 * each bad byte rather than dropped.  NULL is returned only on OOM.
 *
 * The shape (every member optional unless marked "always"):
 *
 * {
 *   "id": "zenodo:oai:zenodo.org:123",       string
 *   "source": "zenodo",                      string
 *   "local_id": "oai:zenodo.org:123",        string
 *   "format": "oai_datacite",                string
 *   "datestamp": "2024-01-02T03:04:05Z",     string
 *   "mapper_version": 2,                     integer, the mapper's (absent: none)
 *   "deleted": false,                        bool, always
 *   "titles": [{"value": "…", "lang": "en"}],
 *   "descriptions": [{"value": "…", "lang": "de"}],
 *   "creators": [{"name": "Family, Given", "orcid": "0000-0002-1825-0097",
 *                 "affiliation": "…", "ror": "05dxps055", "role": "…"}],
 *   "contributors": [same as creators; "role" is the contributorType],
 *   "subjects": [{"value": "…", "scheme": "ddc", "uri": "…"}],
 *   "dates": [{"value": "2019-03-14", "type": "issued",
 *              "precision": "year" | "month" | "day" | "second"}],
 *   "identifiers": [{"value": "10.1234/abc",
 *                    "scheme": "doi" | "handle" | "ark" | "urn" | "orcid" |
 *                              "ror" | "url" | "none"}],
 *   "doi": "10.1234/abc",                    string
 *   "publisher": "…",                        string
 *   "resource_type": "Dataset",              DataCite resourceTypeGeneral
 *   "resource_type_raw": "…",                string, as the source wrote it
 *   "licenses": [{"url": "…", "spdx": "CC-BY-4.0", "text": "…"}],
 *   "access": "unknown" | "open" | "embargoed" | "restricted" | "closed",
 *                                            always
 *   "embargo_end": "2025-01-01",             string
 *   "languages": ["en", "de"],               BCP 47 strings
 *   "formats": ["application/pdf"],          strings
 *   "sets": ["openaire_data"],               strings
 *   "urls": ["https://…"],                   strings
 *   "download_urls": ["https://…"],          strings
 *   "related": [{"value": "…", "scheme": (as identifiers),
 *                "relation": "IsSupplementTo"}],
 *   "funding": [{"funder": "…", "funder_id": "https://doi.org/10.13039/…",
 *                "award": "…", "award_title": "…"}],
 *   "version": "1.0",                        string
 *   "publisher_id": "05dxps055",             string (ROR normalized, else as given)
 *   "geo_locations": [{"place": "…", "point": {"lat": 52.5, "lon": 13.4},
 *                      "box": {"west": …, "east": …, "south": …, "north": …}}],
 *   "sizes": ["15 pages"],                   strings
 *   "checksums": ["sha256:9f86…"],           strings, "<algorithm>:<value>"
 *   "frequency": "ANNUAL",                   string
 *   "legislation": ["http://data.europa.eu/eli/reg_impl/2023/138/oj"]  strings
 * }
 * Titles and descriptions may carry "type" (titleType, descriptionType),
 * subjects "code" (classificationCode), funding "funder_id_type".
 *
 * Inside list elements, NULL members are left out the same way; the lists
 * keep the order in which the mappers added their elements.
 */
#include "record-private.h"

static const char *const precision_names[] = {
        [FD_DATE_NONE] = NULL,
        [FD_DATE_YEAR] = "year",
        [FD_DATE_MONTH] = "month",
        [FD_DATE_DAY] = "day",
        [FD_DATE_SECOND] = "second",
};

/* Length of the valid UTF-8 sequence at s, or 0 if it is not one. */
static size_t utf8_len(const unsigned char *s) {
        unsigned c = s[0];
        size_t n;
        unsigned cp;

        if (c < 0x80)
                return 1;
        if (c >= 0xC2 && c <= 0xDF)
                n = 2, cp = c & 0x1F;
        else if (c >= 0xE0 && c <= 0xEF)
                n = 3, cp = c & 0x0F;
        else if (c >= 0xF0 && c <= 0xF4)
                n = 4, cp = c & 0x07;
        else
                return 0;
        for (size_t i = 1; i < n; i++) {
                if ((s[i] & 0xC0) != 0x80)
                        return 0;
                cp = (cp << 6) | (s[i] & 0x3F);
        }
        if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
                return 0;
        return n;
}

/* A JSON string of s, repairing invalid UTF-8; NULL on OOM. */
static json_t *str(const char *s) {
        json_t *j = json_string(s);
        if (j)
                return j;

        size_t n = strlen(s);
        _fd_free_ char *buf = malloc(n * 3 + 1);
        size_t o = 0;
        if (!buf)
                return NULL;
        for (const unsigned char *p = (const unsigned char *)s; *p;) {
                size_t k = utf8_len(p);
                if (k == 0) {
                        memcpy(buf + o, "\xEF\xBF\xBD", 3);
                        o += 3;
                        p++;
                } else {
                        memcpy(buf + o, p, k);
                        o += k;
                        p += k;
                }
        }
        buf[o] = '\0';
        return json_string(buf);
}

/* Sets key to the string s when s is not NULL; false on OOM. */
static bool set_str(json_t *o, const char *key, const char *s) {
        if (!s)
                return true;
        json_t *j = str(s);
        return j && json_object_set_new(o, key, j) == 0;
}

/* Sets key to v, or leaves v out and frees it when it is an empty array. */
static bool set_list(json_t *o, const char *key, json_t *v) {
        if (!v)
                return false;
        if (json_array_size(v) == 0) {
                json_decref(v);
                return true;
        }
        return json_object_set_new(o, key, v) == 0;
}

static bool append(json_t *arr, json_t *v) {
        return v && json_array_append_new(arr, v) == 0;
}

/* A new object appended to arr (arr owns it), or NULL on OOM. */
static json_t *element(json_t *arr) {
        json_t *o = json_object();
        return append(arr, o) ? o : NULL;
}

static json_t *texts(const struct fd_texts *l) {
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < l->n; i++) {
                json_t *o = element(arr);
                if (!o || !set_str(o, "value", l->v[i].value) || !set_str(o, "lang", l->v[i].lang) ||
                    !set_str(o, "type", l->v[i].type)) {
                        json_decref(arr);
                        return NULL;
                }
        }
        return arr;
}

static json_t *agents(const struct fd_agents *l) {
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < l->n; i++) {
                const struct fd_agent *g = &l->v[i];
                json_t *o = element(arr);
                if (!o || !set_str(o, "name", g->name) || !set_str(o, "orcid", g->orcid) ||
                    !set_str(o, "affiliation", g->affiliation) || !set_str(o, "ror", g->ror) ||
                    !set_str(o, "role", g->role)) {
                        json_decref(arr);
                        return NULL;
                }
        }
        return arr;
}

static json_t *subjects(const struct fd_subjects *l) {
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < l->n; i++) {
                const struct fd_subject *s = &l->v[i];
                json_t *o = element(arr);
                if (!o || !set_str(o, "value", s->value) || !set_str(o, "scheme", s->scheme) ||
                    !set_str(o, "uri", s->uri) || !set_str(o, "code", s->code)) {
                        json_decref(arr);
                        return NULL;
                }
        }
        return arr;
}

static json_t *dates(const struct fd_dates *l) {
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < l->n; i++) {
                const struct fd_date *d = &l->v[i];
                const char *p = (unsigned)d->precision < FD_ELEMENTSOF(precision_names) ?
                                        precision_names[d->precision] :
                                        NULL;
                json_t *o = element(arr);
                if (!o || !set_str(o, "value", d->value) || !set_str(o, "type", d->type) ||
                    !set_str(o, "precision", p)) {
                        json_decref(arr);
                        return NULL;
                }
        }
        return arr;
}

static json_t *identifiers(const struct fd_identifiers *l) {
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < l->n; i++) {
                json_t *o = element(arr);
                if (!o || !set_str(o, "value", l->v[i].value) ||
                    !set_str(o, "scheme", fd_pid_scheme_name(l->v[i].scheme))) {
                        json_decref(arr);
                        return NULL;
                }
        }
        return arr;
}

static json_t *licenses(const struct fd_licenses *l) {
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < l->n; i++) {
                const struct fd_license *x = &l->v[i];
                json_t *o = element(arr);
                if (!o || !set_str(o, "url", x->url) || !set_str(o, "spdx", x->spdx) ||
                    !set_str(o, "text", x->text)) {
                        json_decref(arr);
                        return NULL;
                }
        }
        return arr;
}

static json_t *relateds(const struct fd_relateds *l) {
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < l->n; i++) {
                const struct fd_related *x = &l->v[i];
                json_t *o = element(arr);
                if (!o || !set_str(o, "value", x->value) || !set_str(o, "scheme", fd_pid_scheme_name(x->scheme)) ||
                    !set_str(o, "relation", x->relation)) {
                        json_decref(arr);
                        return NULL;
                }
        }
        return arr;
}

static json_t *fundings(const struct fd_fundings *l) {
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < l->n; i++) {
                const struct fd_funding *f = &l->v[i];
                json_t *o = element(arr);
                if (!o || !set_str(o, "funder", f->funder) || !set_str(o, "funder_id", f->funder_id) ||
                    !set_str(o, "award", f->award) || !set_str(o, "award_title", f->award_title) ||
                    !set_str(o, "funder_id_type", f->funder_id_type)) {
                        json_decref(arr);
                        return NULL;
                }
        }
        return arr;
}

static bool set_real(json_t *o, const char *key, double v) {
        return json_object_set_new(o, key, json_real(v)) == 0;
}

static json_t *geos(const struct fd_geos *l) {
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < l->n; i++) {
                const struct fd_geo *g = &l->v[i];
                json_t *o = element(arr), *pt = NULL, *box = NULL;
                bool ok = o && set_str(o, "place", g->place);
                if (ok && g->has_point) {
                        ok = (pt = json_object()) && json_object_set_new(o, "point", pt) == 0 &&
                             set_real(pt, "lat", g->lat) && set_real(pt, "lon", g->lon);
                }
                if (ok && g->has_box) {
                        ok = (box = json_object()) && json_object_set_new(o, "box", box) == 0 &&
                             set_real(box, "west", g->west) && set_real(box, "east", g->east) &&
                             set_real(box, "south", g->south) && set_real(box, "north", g->north);
                }
                if (!ok) {
                        json_decref(arr);
                        return NULL;
                }
        }
        return arr;
}

static json_t *strs(const struct fd_strs *l) {
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < l->n; i++)
                if (l->v[i] && !append(arr, str(l->v[i]))) {
                        json_decref(arr);
                        return NULL;
                }
        return arr;
}

json_t *fd_record_to_json(const struct fd_record *r) {
        _fd_cleanup_(fd_json_freep) json_t *o = json_object();

        if (!o || !r)
                return NULL;
        if (!set_str(o, "id", r->id) || !set_str(o, "source", r->source) || !set_str(o, "local_id", r->local_id) ||
            !set_str(o, "format", r->format) || !set_str(o, "datestamp", r->datestamp) ||
            (r->mapper_version > 0 && json_object_set_new(o, "mapper_version", json_integer(r->mapper_version))) ||
            json_object_set_new(o, "deleted", json_boolean(r->deleted)) != 0 ||
            !set_list(o, "titles", texts(&r->titles)) || !set_list(o, "descriptions", texts(&r->descriptions)) ||
            !set_list(o, "creators", agents(&r->creators)) ||
            !set_list(o, "contributors", agents(&r->contributors)) ||
            !set_list(o, "subjects", subjects(&r->subjects)) || !set_list(o, "dates", dates(&r->dates)) ||
            !set_list(o, "identifiers", identifiers(&r->identifiers)) || !set_str(o, "doi", r->doi) ||
            !set_str(o, "publisher", r->publisher) || !set_str(o, "resource_type", r->resource_type) ||
            !set_str(o, "resource_type_raw", r->resource_type_raw) ||
            !set_list(o, "licenses", licenses(&r->licenses)) ||
            !set_str(o, "access", fd_access_name(r->access)) || !set_str(o, "embargo_end", r->embargo_end) ||
            !set_list(o, "languages", strs(&r->languages)) || !set_list(o, "formats", strs(&r->formats)) ||
            !set_list(o, "sets", strs(&r->sets)) || !set_list(o, "urls", strs(&r->urls)) ||
            !set_list(o, "download_urls", strs(&r->download_urls)) ||
            !set_list(o, "related", relateds(&r->related)) || !set_list(o, "funding", fundings(&r->funding)) ||
            !set_str(o, "version", r->version) || !set_str(o, "publisher_id", r->publisher_id) ||
            !set_list(o, "geo_locations", geos(&r->geo_locations)) || !set_list(o, "sizes", strs(&r->sizes)) ||
            !set_list(o, "checksums", strs(&r->checksums)) || !set_str(o, "frequency", r->frequency) ||
            !set_list(o, "legislation", strs(&r->legislation)))
                return NULL;
        return FD_TAKE_PTR(o);
}
