/* json_read.c: a record back from its JSON object (the inverse of json.c).
 *
 * The index stores every record as fd_record_to_json's text; reading it
 * back lets the daemon reassess stored records (a new FAIR rubric) without
 * asking the sources again.  The reader takes the values as json.c wrote
 * them, already normalized, and copies them into the arena as they are:
 * running them through the adders again could change a record whose
 * normalizers changed since, and the point is to rebuild what was stored.
 * Unknown members (the stored "fair" block) are ignored; a member of the
 * wrong type is FD_E_PARSE naming it, so a damaged document is told, not
 * half read.  Every string and list lives in the caller's arena.
 */
#include "record-private.h"

struct reader {
        struct fd_arena *a;
        struct fd_error *err;
        const char *id;   /* for messages */
};

static enum fd_status bad(struct reader *rd, const char *key, const char *want) {
        return fd_error_set(rd->err, FD_E_PARSE, "member '%s' of stored record '%s' is not %s", key, rd->id, want);
}

static enum fd_status nomem(struct reader *rd) {
        return fd_error_set(rd->err, FD_E_LIMIT, "arena full reading stored record '%s'", rd->id);
}

/* *ret = copy of member key of o, NULL when absent. */
static enum fd_status get_str(struct reader *rd, json_t *o, const char *key, const char **ret) {
        json_t *v = json_object_get(o, key);
        if (!v) {
                *ret = NULL;
                return FD_OK;
        }
        if (!json_is_string(v))
                return bad(rd, key, "a string");
        char *s = fd_arena_strndup(rd->a, json_string_value(v), json_string_length(v));
        if (!s)
                return nomem(rd);
        *ret = s;
        return FD_OK;
}

/* The array member key of o (NULL when absent), FD_E_PARSE when not one. */
static enum fd_status get_array(struct reader *rd, json_t *o, const char *key, json_t **ret) {
        json_t *v = json_object_get(o, key);
        if (v && !json_is_array(v))
                return bad(rd, key, "an array");
        *ret = v;
        return FD_OK;
}

static enum fd_status element(struct reader *rd, json_t *arr, size_t i, const char *key, json_t **ret) {
        json_t *e = json_array_get(arr, i);
        if (!json_is_object(e))
                return bad(rd, key, "an array of objects");
        *ret = e;
        return FD_OK;
}

static enum fd_status scheme_of(struct reader *rd, json_t *o, const char *key, enum fd_pid_scheme *ret) {
        const char *name = json_string_value(json_object_get(o, "scheme"));
        *ret = FD_PID_NONE;
        if (!name)
                return json_object_get(o, "scheme") ? bad(rd, key, "an array with string schemes") : FD_OK;
        for (int s = 0; s < FD_PID_SCHEME_COUNT; s++)
                if (strcmp(fd_pid_scheme_name((enum fd_pid_scheme)s), name) == 0) {
                        *ret = (enum fd_pid_scheme)s;
                        return FD_OK;
                }
        return bad(rd, key, "an array with known schemes");
}

static enum fd_status texts(struct reader *rd, json_t *o, const char *key, struct fd_texts *l) {
        json_t *arr = NULL, *e = NULL;
        enum fd_status st = get_array(rd, o, key, &arr);
        for (size_t i = 0; !st && i < json_array_size(arr); i++) {
                struct fd_text *t;
                if ((st = element(rd, arr, i, key, &e)))
                        break;
                if (!(t = FD_PUSH(rd->a, *l)))
                        return nomem(rd);
                st = get_str(rd, e, "value", &t->value) ?: get_str(rd, e, "lang", &t->lang) ?:
                     get_str(rd, e, "type", &t->type);
        }
        return st;
}

static enum fd_status agents(struct reader *rd, json_t *o, const char *key, struct fd_agents *l) {
        json_t *arr = NULL, *e = NULL;
        enum fd_status st = get_array(rd, o, key, &arr);
        for (size_t i = 0; !st && i < json_array_size(arr); i++) {
                struct fd_agent *g;
                if ((st = element(rd, arr, i, key, &e)))
                        break;
                if (!(g = FD_PUSH(rd->a, *l)))
                        return nomem(rd);
                st = get_str(rd, e, "name", &g->name) ?: get_str(rd, e, "orcid", &g->orcid) ?:
                     get_str(rd, e, "affiliation", &g->affiliation) ?: get_str(rd, e, "ror", &g->ror) ?:
                     get_str(rd, e, "role", &g->role);
        }
        return st;
}

static enum fd_status subjects(struct reader *rd, json_t *o, struct fd_subjects *l) {
        json_t *arr = NULL, *e = NULL;
        enum fd_status st = get_array(rd, o, "subjects", &arr);
        for (size_t i = 0; !st && i < json_array_size(arr); i++) {
                struct fd_subject *s;
                if ((st = element(rd, arr, i, "subjects", &e)))
                        break;
                if (!(s = FD_PUSH(rd->a, *l)))
                        return nomem(rd);
                st = get_str(rd, e, "value", &s->value) ?: get_str(rd, e, "scheme", &s->scheme) ?:
                     get_str(rd, e, "uri", &s->uri) ?: get_str(rd, e, "code", &s->code);
        }
        return st;
}

static const char *const precision_names[] = {
        [FD_DATE_YEAR] = "year",
        [FD_DATE_MONTH] = "month",
        [FD_DATE_DAY] = "day",
        [FD_DATE_SECOND] = "second",
};

static enum fd_status dates(struct reader *rd, json_t *o, struct fd_dates *l) {
        json_t *arr = NULL, *e = NULL;
        enum fd_status st = get_array(rd, o, "dates", &arr);
        for (size_t i = 0; !st && i < json_array_size(arr); i++) {
                struct fd_date *d;
                const char *p;
                if ((st = element(rd, arr, i, "dates", &e)))
                        break;
                if (!(d = FD_PUSH(rd->a, *l)))
                        return nomem(rd);
                st = get_str(rd, e, "value", &d->value) ?: get_str(rd, e, "type", &d->type);
                p = json_string_value(json_object_get(e, "precision"));
                d->precision = FD_DATE_NONE;
                for (size_t k = 0; !st && p && k < FD_ELEMENTSOF(precision_names); k++)
                        if (precision_names[k] && strcmp(precision_names[k], p) == 0)
                                d->precision = (enum fd_date_precision)k;
                if (!st && json_object_get(e, "precision") && d->precision == FD_DATE_NONE)
                        st = bad(rd, "dates", "an array with known precisions");
        }
        return st;
}

static enum fd_status identifiers(struct reader *rd, json_t *o, struct fd_identifiers *l) {
        json_t *arr = NULL, *e = NULL;
        enum fd_status st = get_array(rd, o, "identifiers", &arr);
        for (size_t i = 0; !st && i < json_array_size(arr); i++) {
                struct fd_identifier *x;
                if ((st = element(rd, arr, i, "identifiers", &e)))
                        break;
                if (!(x = FD_PUSH(rd->a, *l)))
                        return nomem(rd);
                st = get_str(rd, e, "value", &x->value) ?: scheme_of(rd, e, "identifiers", &x->scheme);
        }
        return st;
}

static enum fd_status licenses(struct reader *rd, json_t *o, struct fd_licenses *l) {
        json_t *arr = NULL, *e = NULL;
        enum fd_status st = get_array(rd, o, "licenses", &arr);
        for (size_t i = 0; !st && i < json_array_size(arr); i++) {
                struct fd_license *x;
                const char *spdx;
                if ((st = element(rd, arr, i, "licenses", &e)))
                        break;
                if (!(x = FD_PUSH(rd->a, *l)))
                        return nomem(rd);
                st = get_str(rd, e, "url", &x->url) ?: get_str(rd, e, "spdx", &spdx) ?:
                     get_str(rd, e, "text", &x->text);
                /* SPDX ids are static strings elsewhere; keep the table's when it knows the id */
                if (!st && spdx) {
                        const char *known = fd_license_spdx(spdx);
                        x->spdx = known && strcmp(known, spdx) == 0 ? known : spdx;
                }
        }
        return st;
}

static enum fd_status relateds(struct reader *rd, json_t *o, struct fd_relateds *l) {
        json_t *arr = NULL, *e = NULL;
        enum fd_status st = get_array(rd, o, "related", &arr);
        for (size_t i = 0; !st && i < json_array_size(arr); i++) {
                struct fd_related *x;
                if ((st = element(rd, arr, i, "related", &e)))
                        break;
                if (!(x = FD_PUSH(rd->a, *l)))
                        return nomem(rd);
                st = get_str(rd, e, "value", &x->value) ?: scheme_of(rd, e, "related", &x->scheme) ?:
                     get_str(rd, e, "relation", &x->relation);
        }
        return st;
}

static enum fd_status fundings(struct reader *rd, json_t *o, struct fd_fundings *l) {
        json_t *arr = NULL, *e = NULL;
        enum fd_status st = get_array(rd, o, "funding", &arr);
        for (size_t i = 0; !st && i < json_array_size(arr); i++) {
                struct fd_funding *f;
                if ((st = element(rd, arr, i, "funding", &e)))
                        break;
                if (!(f = FD_PUSH(rd->a, *l)))
                        return nomem(rd);
                st = get_str(rd, e, "funder", &f->funder) ?: get_str(rd, e, "funder_id", &f->funder_id) ?:
                     get_str(rd, e, "award", &f->award) ?: get_str(rd, e, "award_title", &f->award_title) ?:
                     get_str(rd, e, "funder_id_type", &f->funder_id_type);
        }
        return st;
}

/* Reads the number members of o named by keys into out; all or none. */
static bool numbers(json_t *o, const char *const *keys, double *const *out, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (!json_is_number(json_object_get(o, keys[i])))
                        return false;
        for (size_t i = 0; i < n; i++)
                *out[i] = json_number_value(json_object_get(o, keys[i]));
        return true;
}

static enum fd_status geos(struct reader *rd, json_t *o, struct fd_geos *l) {
        static const char *const pt_keys[] = {"lat", "lon"};
        static const char *const box_keys[] = {"west", "east", "south", "north"};
        json_t *arr = NULL, *e = NULL;
        enum fd_status st = get_array(rd, o, "geo_locations", &arr);
        for (size_t i = 0; !st && i < json_array_size(arr); i++) {
                struct fd_geo *g;
                json_t *pt, *box;
                if ((st = element(rd, arr, i, "geo_locations", &e)))
                        break;
                if (!(g = FD_PUSH(rd->a, *l)))
                        return nomem(rd);
                if ((st = get_str(rd, e, "place", &g->place)))
                        break;
                pt = json_object_get(e, "point");
                box = json_object_get(e, "box");
                if (pt) {
                        double *const out[] = {&g->lat, &g->lon};
                        if (!numbers(pt, pt_keys, out, 2))
                                return bad(rd, "geo_locations", "an array with numeric points");
                        g->has_point = true;
                }
                if (box) {
                        double *const out[] = {&g->west, &g->east, &g->south, &g->north};
                        if (!numbers(box, box_keys, out, 4))
                                return bad(rd, "geo_locations", "an array with numeric boxes");
                        g->has_box = true;
                }
        }
        return st;
}

static enum fd_status strs(struct reader *rd, json_t *o, const char *key, struct fd_strs *l) {
        json_t *arr = NULL;
        enum fd_status st = get_array(rd, o, key, &arr);
        for (size_t i = 0; !st && i < json_array_size(arr); i++) {
                json_t *v = json_array_get(arr, i);
                const char **slot;
                if (!json_is_string(v))
                        return bad(rd, key, "an array of strings");
                if (!(slot = FD_PUSH(rd->a, *l)) ||
                    !(*slot = fd_arena_strndup(rd->a, json_string_value(v), json_string_length(v))))
                        return nomem(rd);
        }
        return st;
}

static enum fd_status access_of(struct reader *rd, json_t *o, enum fd_access *ret) {
        json_t *v = json_object_get(o, "access");
        *ret = FD_ACCESS_UNKNOWN;
        if (!v)
                return FD_OK;
        for (int a = 0; json_is_string(v) && a < FD_ACCESS_COUNT; a++)
                if (strcmp(fd_access_name((enum fd_access)a), json_string_value(v)) == 0) {
                        *ret = (enum fd_access)a;
                        return FD_OK;
                }
        return bad(rd, "access", "a known access right");
}

enum fd_status fd_record_from_json(json_t *obj, struct fd_arena *a, struct fd_record **ret, struct fd_error *err) {
        const char *id = json_string_value(json_object_get(obj, "id"));
        struct reader rd = {a, err, id ? id : "(no id)"};
        json_t *del = json_object_get(obj, "deleted");
        struct fd_record *r;
        enum fd_status st;

        if (!json_is_object(obj))
                return fd_error_set(err, FD_E_PARSE, "stored record is not a JSON object");
        if (!id || !*id)
                return fd_error_set(err, FD_E_PARSE, "stored record has no 'id' string");
        if (del && !json_is_boolean(del))
                return bad(&rd, "deleted", "a boolean");
        if (!(r = fd_record_new_in(a)))
                return nomem(&rd);
        r->deleted = json_is_true(del);
        json_t *mv = json_object_get(obj, "mapper_version");
        if (mv && !json_is_integer(mv))
                return bad(&rd, "mapper_version", "an integer");
        r->mapper_version = mv ? (int)json_integer_value(mv) : 0;
        st = get_str(&rd, obj, "id", &r->id) ?: get_str(&rd, obj, "source", &r->source) ?:
             get_str(&rd, obj, "local_id", &r->local_id) ?: get_str(&rd, obj, "format", &r->format) ?:
             get_str(&rd, obj, "datestamp", &r->datestamp) ?: texts(&rd, obj, "titles", &r->titles) ?:
             texts(&rd, obj, "descriptions", &r->descriptions) ?: agents(&rd, obj, "creators", &r->creators) ?:
             agents(&rd, obj, "contributors", &r->contributors) ?: subjects(&rd, obj, &r->subjects) ?:
             dates(&rd, obj, &r->dates) ?: identifiers(&rd, obj, &r->identifiers) ?:
             get_str(&rd, obj, "doi", &r->doi) ?: get_str(&rd, obj, "publisher", &r->publisher) ?:
             get_str(&rd, obj, "resource_type", &r->resource_type) ?:
             get_str(&rd, obj, "resource_type_raw", &r->resource_type_raw) ?: licenses(&rd, obj, &r->licenses) ?:
             access_of(&rd, obj, &r->access) ?: get_str(&rd, obj, "embargo_end", &r->embargo_end) ?:
             strs(&rd, obj, "languages", &r->languages) ?: strs(&rd, obj, "formats", &r->formats) ?:
             strs(&rd, obj, "sets", &r->sets) ?: strs(&rd, obj, "urls", &r->urls) ?:
             strs(&rd, obj, "download_urls", &r->download_urls) ?: relateds(&rd, obj, &r->related) ?:
             fundings(&rd, obj, &r->funding) ?: get_str(&rd, obj, "version", &r->version) ?:
             get_str(&rd, obj, "publisher_id", &r->publisher_id) ?: geos(&rd, obj, &r->geo_locations) ?:
             strs(&rd, obj, "sizes", &r->sizes) ?: strs(&rd, obj, "checksums", &r->checksums) ?:
             get_str(&rd, obj, "frequency", &r->frequency) ?: strs(&rd, obj, "legislation", &r->legislation);
        if (st == FD_OK)
                *ret = r;
        return st;
}

enum fd_status fd_record_from_json_text(const char *text, size_t n, struct fd_arena *a, struct fd_record **ret,
                                        struct fd_error *err) {
        json_error_t jerr;
        json_t *obj = json_loadb(text, n, 0, &jerr);
        enum fd_status st;

        if (!obj)
                return fd_error_set(err, FD_E_PARSE, "stored record is not JSON: %s at column %d", jerr.text,
                                    jerr.column);
        st = fd_record_from_json(obj, a, ret, err);
        json_decref(obj);
        return st;
}
