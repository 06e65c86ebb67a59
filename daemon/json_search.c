/* json_search.c: search requests from JSON, search answers to JSON.
 *
 * The request side checks the shape of "filters", "facets" and "fields"
 * (docs/protocol.md) before the index is touched and reads them into the
 * typed request; the messages name the member at fault.  Strings stay
 * borrowed from the request, which outlives the search.
 *
 * The answer side writes the hits as the protocol shows them: members a
 * record lacks are left out, "sources" is always there, and the members
 * named in "fields" come last, from the stored record, never replacing a
 * member the hit already has.  The stored record is parsed only when
 * fields are asked for.
 */
#include "json_index.h"

/* Protocol names, in the order the "known:" lists give them. */
static const enum fd_search_field filter_fields[] = {
        FD_FIELD_TYPE, FD_FIELD_SOURCE, FD_FIELD_LANG, FD_FIELD_LICENSE,
        FD_FIELD_ACCESS, FD_FIELD_YEAR, FD_FIELD_FAIR, FD_FIELD_INDICATOR,
        FD_FIELD_BBOX, FD_FIELD_DURING,
};
static const enum fd_search_field facet_fields[] = {
        FD_FIELD_SOURCE, FD_FIELD_TYPE, FD_FIELD_LICENSE, FD_FIELD_ACCESS,
        FD_FIELD_LANG, FD_FIELD_YEAR, FD_FIELD_FAIR, FD_FIELD_SUBJECT,
        FD_FIELD_AFFILIATION, FD_FIELD_FUNDER, FD_FIELD_DISCIPLINE,
};

static const char *const field_names[FD_FIELD_COUNT] = {
        [FD_FIELD_TYPE] = "type",       [FD_FIELD_SOURCE] = "source", [FD_FIELD_LANG] = "lang",
        [FD_FIELD_LICENSE] = "license", [FD_FIELD_ACCESS] = "access", [FD_FIELD_YEAR] = "year",
        [FD_FIELD_FAIR] = "fair",       [FD_FIELD_INDICATOR] = "indicator", [FD_FIELD_SUBJECT] = "subject",
        [FD_FIELD_AFFILIATION] = "affiliation", [FD_FIELD_FUNDER] = "funder",
        [FD_FIELD_BBOX] = "bbox", [FD_FIELD_DURING] = "during", [FD_FIELD_DISCIPLINE] = "discipline",
};

#define RANGE_MAX 1000000
/* How much of an unknown name a message repeats. */
#define NAME_SHOWN 64

const char *fd_json_field_name(enum fd_search_field f) {
        return (unsigned)f < FD_FIELD_COUNT ? field_names[f] : "?";
}

/* name among the fields of list, or -1. */
static int field_of(const char *name, const enum fd_search_field *list, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (strcmp(field_names[list[i]], name) == 0)
                        return (int)list[i];
        return -1;
}

static enum fd_status unknown(const char *what, const char *name, const enum fd_search_field *list, size_t n,
                              struct fd_error *err) {
        char known[256] = "";
        size_t at = 0;

        for (size_t i = 0; i < n && at < sizeof known; i++)
                at += (size_t)snprintf(known + at, sizeof known - at, "%s%s", i ? ", " : "", field_names[list[i]]);
        return fd_error_set(err, FD_E_INVALID, "unknown %s '%.*s' (known: %s)", what, NAME_SHOWN, name, known);
}

static enum fd_status range_filter(const char *name, json_t *v, struct fd_search_filter *f, struct fd_error *err) {
        const char *key;
        json_t *x;

        if (!json_is_object(v))
                return fd_error_set(err, FD_E_INVALID, "filter '%s' must be an object {\"from\":N,\"to\":N}", name);
        json_object_foreach(v, key, x) {
                const bool from = strcmp(key, "from") == 0;
                if (!from && strcmp(key, "to") != 0)
                        return fd_error_set(err, FD_E_INVALID, "filter '%s' has no field '%.*s' (from, to)", name,
                                            NAME_SHOWN, key);
                if (!json_is_integer(x) || json_integer_value(x) < -RANGE_MAX || json_integer_value(x) > RANGE_MAX)
                        return fd_error_set(err, FD_E_INVALID,
                                            "filter '%s.%s' must be an integer from -1000000 to 1000000", name, key);
                *(from ? &f->has_from : &f->has_to) = true;
                *(from ? &f->from : &f->to) = (int)json_integer_value(x);
        }
        return FD_OK;
}

/* "bbox": [west, south, east, north], degrees; west > east crosses the
 * antimeridian. */
static enum fd_status bbox_filter(json_t *v, struct fd_search_filter *f, struct fd_error *err) {
        static const double lo[4] = {-180, -90, -180, -90}, hi[4] = {180, 90, 180, 90};
        json_t *x;
        size_t i;

        if (!json_is_array(v) || json_array_size(v) != 4)
                return fd_error_set(err, FD_E_INVALID, "filter 'bbox' must be [west, south, east, north] in degrees");
        json_array_foreach(v, i, x) {
                if (!json_is_number(x) || json_number_value(x) < lo[i] || json_number_value(x) > hi[i])
                        return fd_error_set(err, FD_E_INVALID,
                                            "filter 'bbox' must be [west, south, east, north] in degrees "
                                            "(longitudes -180 to 180, latitudes -90 to 90)");
                f->box[i] = json_number_value(x);
        }
        if (f->box[1] > f->box[3])
                return fd_error_set(err, FD_E_INVALID, "filter 'bbox' has its south above its north");
        return FD_OK;
}

/* "during": {"from":DATE,"to":DATE}, either may be left out (open). */
static enum fd_status during_filter(json_t *v, struct fd_search_filter *f, struct fd_error *err) {
        const char *key;
        json_t *x;

        if (!json_is_object(v))
                return fd_error_set(err, FD_E_INVALID, "filter 'during' must be an object {\"from\":DATE,\"to\":DATE}");
        json_object_foreach(v, key, x) {
                const bool from = strcmp(key, "from") == 0;
                char norm[40];
                if (!from && strcmp(key, "to") != 0)
                        return fd_error_set(err, FD_E_INVALID, "filter 'during' has no field '%.*s' (from, to)",
                                            NAME_SHOWN, key);
                if (!json_is_string(x) || json_string_length(x) > 32 ||
                    fd_date_normalize(json_string_value(x), norm, sizeof norm) == FD_DATE_NONE ||
                    fd_date_day(norm, !from) < 0)
                        return fd_error_set(err, FD_E_INVALID,
                                            "filter 'during.%s' must be a date (\"1990\", \"2000-06\", \"2000-06-14\")",
                                            key);
                *(from ? &f->has_from : &f->has_to) = true;
                *(from ? &f->from : &f->to) = fd_date_day(norm, !from);
        }
        if (f->has_from && f->has_to && f->from > f->to)
                return fd_error_set(err, FD_E_INVALID, "filter 'during' ends before it starts");
        return FD_OK;
}

static enum fd_status term_filter(const char *name, json_t *v, struct fd_json_search *s, size_t *io_used,
                                  struct fd_search_filter *f, struct fd_error *err) {
        json_t *x;
        size_t i;

        if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > FD_INDEX_FILTER_VALUES_MAX)
                return fd_error_set(err, FD_E_INVALID, "filter '%s' must be a list of 1 to %d strings", name,
                                    FD_INDEX_FILTER_VALUES_MAX);
        f->values = &s->values[*io_used];
        json_array_foreach(v, i, x) {
                if (!json_is_string(x) || json_string_length(x) == 0 ||
                    json_string_length(x) > FD_INDEX_FILTER_VALUE_MAX)
                        return fd_error_set(err, FD_E_INVALID,
                                            "filter '%s' must hold non-empty strings of at most %d bytes", name,
                                            FD_INDEX_FILTER_VALUE_MAX);
                s->values[(*io_used)++] = json_string_value(x);
        }
        f->n_values = i;
        return FD_OK;
}

enum fd_status fd_json_search_filters(json_t *filters, struct fd_json_search *s, struct fd_error *err) {
        size_t used = 0, n = 0;
        const char *key;
        json_t *v;

        s->req.filters = s->filters;
        s->req.n_filters = 0;
        if (!filters)
                return FD_OK;
        if (!json_is_object(filters))
                return fd_error_set(err, FD_E_INVALID, "'filters' must be an object");
        json_object_foreach(filters, key, v) {
                const int field = field_of(key, filter_fields, FD_ELEMENTSOF(filter_fields));
                struct fd_search_filter *f;
                enum fd_status st;

                if (field < 0)
                        return unknown("filter", key, filter_fields, FD_ELEMENTSOF(filter_fields), err);
                /* Each key once (the parser rejects duplicates), so a
                 * filter per field at most. */
                f = &s->filters[n++];
                *f = (struct fd_search_filter){.field = (enum fd_search_field)field};
                if (field == FD_FIELD_BBOX)
                        st = bbox_filter(v, f, err);
                else if (field == FD_FIELD_DURING)
                        st = during_filter(v, f, err);
                else if (field == FD_FIELD_YEAR || field == FD_FIELD_FAIR)
                        st = range_filter(key, v, f, err);
                else
                        st = term_filter(key, v, s, &used, f, err);
                if (st)
                        return st;
        }
        s->req.n_filters = n;
        return FD_OK;
}

static enum fd_status facets_of(json_t *facets, struct fd_json_search *s, struct fd_error *err) {
        json_t *x;
        size_t i;

        s->req.facets = s->facets;
        s->req.n_facets = 0;
        if (!facets)
                return FD_OK;
        if (!json_is_array(facets) || json_array_size(facets) > FD_INDEX_FACETS_MAX)
                return fd_error_set(err, FD_E_INVALID, "'facets' must be a list of at most %d names",
                                    FD_INDEX_FACETS_MAX);
        json_array_foreach(facets, i, x) {
                if (!json_is_string(x))
                        return fd_error_set(err, FD_E_INVALID, "'facets' must hold facet names (strings)");
                const int field = field_of(json_string_value(x), facet_fields, FD_ELEMENTSOF(facet_fields));
                if (field < 0)
                        return unknown("facet", json_string_value(x), facet_fields, FD_ELEMENTSOF(facet_fields), err);
                s->facets[s->req.n_facets++] = (enum fd_search_field)field;
        }
        return FD_OK;
}

static enum fd_status fields_of(json_t *fields, struct fd_json_search *s, struct fd_error *err) {
        json_t *x;
        size_t i;

        s->fields = fields;
        s->req.record_json = false;
        if (!fields)
                return FD_OK;
        if (!json_is_array(fields) || json_array_size(fields) > FD_JSON_FIELDS_MAX)
                return fd_error_set(err, FD_E_INVALID, "'fields' must be a list of at most %d record field names",
                                    FD_JSON_FIELDS_MAX);
        json_array_foreach(fields, i, x) {
                if (!json_is_string(x) || json_string_length(x) == 0 ||
                    json_string_length(x) > FD_JSON_FIELD_NAME_MAX)
                        return fd_error_set(err, FD_E_INVALID, "'fields' must hold record field names (strings)");
        }
        s->req.record_json = json_array_size(fields) > 0;
        return FD_OK;
}

enum fd_status fd_json_search_lists(json_t *req, struct fd_json_search *s, struct fd_error *err) {
        enum fd_status st = fd_json_search_filters(json_object_get(req, "filters"), s, err);

        if (!st)
                st = facets_of(json_object_get(req, "facets"), s, err);
        if (!st)
                st = fields_of(json_object_get(req, "fields"), s, err);
        return st;
}

/* ---- answers ------------------------------------------------------------ */

/* Sets key to v (a new reference); false when v is NULL or on OOM. */
static bool set(json_t *o, const char *key, json_t *v) {
        return v && json_object_set_new(o, key, v) == 0;
}

/* Sets key to s unless s is NULL. */
static bool set_str(json_t *o, const char *key, const char *s) {
        return !s || set(o, key, json_string(s));
}

static bool append(json_t *a, json_t *v) {
        return v && json_array_append_new(a, v) == 0;
}

json_t *fd_json_counts(const struct fd_index_count *v, size_t n) {
        json_t *a = json_array();

        for (size_t i = 0; a && i < n; i++)
                if (!append(a, v[i].label ? json_pack("{s:s,s:I,s:s}", "value", v[i].value, "count",
                                                      (json_int_t)v[i].count, "label", v[i].label)
                                          : json_pack("{s:s,s:I}", "value", v[i].value, "count",
                                                      (json_int_t)v[i].count))) {
                        json_decref(a);
                        return NULL;
                }
        return a;
}

static json_t *strings(const char *const *v, size_t n) {
        json_t *a = json_array();

        for (size_t i = 0; a && i < n; i++)
                if (!append(a, json_string(v[i]))) {
                        json_decref(a);
                        return NULL;
                }
        return a;
}

/* The record members named in fields, copied from the stored record. */
static bool copy_fields(json_t *hit, const char *record_json, json_t *fields) {
        json_t *record, *x;
        size_t i;
        bool ok = true;

        if (!record_json || json_array_size(fields) == 0)
                return true;
        record = json_loads(record_json, 0, NULL);
        json_array_foreach(fields, i, x) {
                const char *name = json_string_value(x);
                json_t *v = json_object_get(record, name);
                if (ok && v && !json_object_get(hit, name))
                        ok = json_object_set(hit, name, v) == 0;
        }
        json_decref(record);
        return ok;
}

static json_t *hit_json(const struct fd_search_hit *h, bool snippets, bool versions, json_t *fields) {
        json_t *o = json_object(), *sn;
        bool ok = o && set_str(o, "id", h->id) && set_str(o, "source", h->source) &&
                  set(o, "sources", strings(h->sources, h->n_sources)) && set_str(o, "title", h->title) &&
                  set(o, "score", json_integer(h->score)) && set_str(o, "doi", h->doi) &&
                  (h->year == 0 || set(o, "year", json_integer(h->year))) &&
                  (h->fair < 0 || set(o, "fair", json_integer(h->fair))) &&
                  (!versions || set(o, "versions", strings(h->versions, h->n_versions)));

        if (ok && snippets) {
                ok = set(o, "snippets", sn = json_object()) && set_str(sn, "title", h->snippet_title) &&
                     set_str(sn, "description", h->snippet_description);
        }
        if (ok)
                ok = copy_fields(o, h->record_json, fields);
        if (!ok) {
                json_decref(o);
                return NULL;
        }
        return o;
}

bool fd_json_partial(json_t *o, bool partial, const char *const *missing, size_t n) {
        if (!partial)
                return true;
        return set(o, "partial", json_true()) && set(o, "missing_shards", strings(missing, n));
}

/* o with the partial fields (fd_json_partial) when ok so far; else, or
 * when they cannot be added, frees o and returns NULL. */
static json_t *with_partial(json_t *o, bool ok, bool partial, const char *const *missing, size_t n) {
        if (ok)
                ok = fd_json_partial(o, partial, missing, n);
        if (!ok) {
                json_decref(o);
                return NULL;
        }
        return o;
}

json_t *fd_json_search_result(const struct fd_search_result *res, json_t *fields) {
        json_t *o = json_object(), *hits = json_array(), *facets = NULL;
        bool ok = o && set(o, "total", json_integer((json_int_t)res->total)) &&
                  set(o, "total_exact", json_boolean(res->total_exact)) && set(o, "hits", hits);

        if (!ok)
                json_decref(hits);
        for (size_t i = 0; ok && i < res->n_hits; i++)
                ok = append(hits, hit_json(&res->hits[i], res->snippets, res->versions, fields));
        if (ok)
                ok = set_str(o, "next_cursor", res->next_cursor);
        if (ok && res->n_facets)
                ok = set(o, "facets", facets = json_object());
        for (size_t i = 0; ok && i < res->n_facets; i++)
                ok = set(facets, fd_json_field_name(res->facets[i].field), fd_json_counts(res->facets[i].v, res->facets[i].n));
        if (ok)
                ok = set_str(o, "did_you_mean", res->did_you_mean);
        return with_partial(o, ok, res->partial, res->missing_shards, res->n_missing_shards);
}

json_t *fd_json_suggest_result(const struct fd_search_result *res) {
        json_t *list = fd_json_counts(res->suggestions, res->n_suggestions);
        json_t *o = list ? json_pack("{s:o}", "suggestions", list) : NULL;

        return with_partial(o, o != NULL, res->partial, res->missing_shards, res->n_missing_shards);
}

/* ---- related ------------------------------------------------------------ */

static json_t *related_records(const struct fd_related_record *v, size_t n) {
        json_t *a = json_array();

        for (size_t i = 0; a && i < n; i++) {
                json_t *o = json_object();
                if (!append(a, o) || !set_str(o, "id", v[i].id) || !set_str(o, "source", v[i].source) ||
                    !set_str(o, "title", v[i].title)) {
                        json_decref(a);
                        return NULL;
                }
        }
        return a;
}

json_t *fd_json_related_result(const struct fd_related_result *res) {
        json_t *o = json_object(), *links = json_array();
        bool ok = o && set_str(o, "id", res->id) && set(o, "links", links);

        if (!ok)
                json_decref(links);
        for (size_t i = 0; ok && i < res->n_links; i++) {
                const struct fd_related_link *l = &res->links[i];
                ok = append(links, json_pack("{s:s,s:s,s:s,s:o*}", "relation", l->relation, "direction",
                                             l->in ? "in" : "out", "identifier", l->identifier, "records",
                                             related_records(l->records, l->n_records)));
        }
        return with_partial(o, ok, res->partial, res->missing_shards, res->n_missing_shards);
}
