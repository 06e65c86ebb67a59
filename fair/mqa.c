/* mqa.c: the data.europa.eu Metadata Quality Assessment, offline.
 *
 * data.europa.eu judges a DCAT dataset by its MQA: indicators in five
 * dimensions (findability, accessibility, interoperability, reusability,
 * contextuality), each worth fixed points, 405 in all, rated Excellent
 * (351-405), Good (221-350), Sufficient (121-220) or Bad.  This is the
 * same table judged from the record alone, a pure function like the FAIR
 * rubric: the indicators that need the network (the HTTP status of access
 * and download URLs) are kept in the table, marked not assessed and worth
 * nothing, so the points are out of what could be assessed and the rating
 * is read on that scale (points * 405 / assessable).  "DCAT-AP compliance"
 * is DCAT-AP 3's mandatory dataset properties (title, description); its
 * recommended ones are listed as missing without costing points, as the
 * MQA's SHACL validation reports them as warnings.  Formats are judged by
 * the lists the MQA uses (machine-readable, non-proprietary), written
 * here as EU file-type codes and media types.  Each failing indicator
 * carries a hint naming the DCAT property to add, like the FAIR ones.
 */
#include <ctype.h>
#include <strings.h>

#include "fd_fair.h"

#define MQA_TOTAL 405

static const struct fd_mqa_indicator table[] = {
        {"keyword", FD_MQA_FINDABILITY, 30, true},
        {"category", FD_MQA_FINDABILITY, 30, true},
        {"spatial", FD_MQA_FINDABILITY, 20, true},
        {"temporal", FD_MQA_FINDABILITY, 20, true},
        {"access-url-status", FD_MQA_ACCESSIBILITY, 50, false},
        {"download-url", FD_MQA_ACCESSIBILITY, 20, true},
        {"download-url-status", FD_MQA_ACCESSIBILITY, 30, false},
        {"format", FD_MQA_INTEROPERABILITY, 20, true},
        {"media-type", FD_MQA_INTEROPERABILITY, 10, true},
        {"format-vocabulary", FD_MQA_INTEROPERABILITY, 10, true},
        {"non-proprietary", FD_MQA_INTEROPERABILITY, 20, true},
        {"machine-readable", FD_MQA_INTEROPERABILITY, 20, true},
        {"dcat-ap-compliance", FD_MQA_INTEROPERABILITY, 30, true},
        {"license", FD_MQA_REUSABILITY, 20, true},
        {"license-vocabulary", FD_MQA_REUSABILITY, 10, true},
        {"access-rights", FD_MQA_REUSABILITY, 10, true},
        {"access-rights-vocabulary", FD_MQA_REUSABILITY, 5, false},
        {"contact-point", FD_MQA_REUSABILITY, 20, true},
        {"publisher", FD_MQA_REUSABILITY, 10, true},
        {"rights", FD_MQA_CONTEXTUALITY, 5, true},
        {"byte-size", FD_MQA_CONTEXTUALITY, 5, true},
        {"issued", FD_MQA_CONTEXTUALITY, 5, true},
        {"modified", FD_MQA_CONTEXTUALITY, 5, true},
};

_Static_assert(FD_ELEMENTSOF(table) <= FD_MQA_MAX_INDICATORS, "too many MQA indicators");

static const char *const hints[] = {
        "Add keywords (dcat:keyword).",
        "Add a theme from the EU data-theme vocabulary (dcat:theme).",
        "Give the spatial coverage (dct:spatial, with a geometry or a Geonames IRI).",
        "Give the temporal coverage (dct:temporal with dcat:startDate / dcat:endDate).",
        NULL,
        "Give the distributions a download URL (dcat:downloadURL).",
        NULL,
        "State the distributions' format (dct:format, an EU file-type IRI).",
        "State the distributions' media type (dcat:mediaType, an IANA media type).",
        "Give formats from the EU file-type vocabulary or IANA media types.",
        "Offer a non-proprietary format (e.g. CSV, JSON, XML, RDF, GeoJSON, ODS).",
        "Offer a machine-readable format (e.g. CSV, JSON, XML, RDF, XLSX, GeoJSON).",
        "Give the mandatory DCAT-AP 3 dataset properties: dct:title and dct:description.",
        "Add a licence (dct:license) to the distributions.",
        "Give the licence from a vocabulary (an SPDX or Creative Commons IRI, or the EU licence authority).",
        "State the access rights (dct:accessRights: PUBLIC, RESTRICTED or NON_PUBLIC).",
        NULL,
        "Add a contact point (dcat:contactPoint, a vcard:Kind with an e-mail).",
        "Name the publisher (dct:publisher).",
        "State the rights (dct:rights) or a licence.",
        "Give the distributions' size (dcat:byteSize).",
        "Give the date of issue (dct:issued).",
        "Give the date of the last modification (dct:modified).",
};

_Static_assert(FD_ELEMENTSOF(hints) == FD_ELEMENTSOF(table), "one hint per MQA indicator");

const struct fd_mqa_indicator *fd_mqa_indicators(size_t *ret_n) {
        *ret_n = FD_ELEMENTSOF(table);
        return table;
}

const char *fd_mqa_dimension_name(enum fd_mqa_dimension d) {
        static const char *const names[] = {"findability", "accessibility", "interoperability", "reusability",
                                            "contextuality"};
        return (unsigned)d < FD_MQA_DIMENSIONS ? names[d] : NULL;
}

/* ---- reading the record ------------------------------------------------ */

static bool nonempty(const char *s) {
        return s && *s;
}

static bool has_date(const struct fd_record *r, const char *type) {
        for (size_t i = 0; i < r->dates.n; i++)
                if (r->dates.v[i].type && strcasecmp(r->dates.v[i].type, type) == 0)
                        return true;
        return false;
}

static bool has_subject_scheme(const struct fd_record *r, const char *scheme) {
        for (size_t i = 0; i < r->subjects.n; i++) {
                const char *s = r->subjects.v[i].scheme;
                if (scheme ? s && strcmp(s, scheme) == 0 : !s)
                        return true;
        }
        return false;
}

/* A theme: a subject from a vocabulary that is not a place or an HVD category. */
static bool has_theme(const struct fd_record *r) {
        for (size_t i = 0; i < r->subjects.n; i++) {
                const struct fd_subject *s = &r->subjects.v[i];
                if (nonempty(s->uri) && !(s->scheme && (strcmp(s->scheme, "spatial") == 0 ||
                                                        strcmp(s->scheme, "hvd-category") == 0)))
                        return true;
        }
        return false;
}

static bool is_media_type(const char *f) {
        const char *slash = strchr(f, '/');
        return slash && slash > f && slash[1] && !strchr(f, ' ');
}

/* An EU file-type code (CSV, GEOJSON, XLSX): letters, digits, '_' and '-', upper case. */
static bool is_file_type_code(const char *f) {
        bool upper = false;
        for (const char *p = f; *p; p++) {
                if (!(isupper((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_' || *p == '-'))
                        return false;
                upper |= isupper((unsigned char)*p) != 0;
        }
        return upper;
}

/* A format from a vocabulary: a media type or an EU file-type code. */
static bool is_vocabulary_format(const char *f) {
        return is_media_type(f) || is_file_type_code(f);
}

static bool any_format(const struct fd_record *r, bool (*pred)(const char *)) {
        for (size_t i = 0; i < r->formats.n; i++)
                if (pred(r->formats.v[i]))
                        return true;
        return false;
}

/* The format's name in upper case without a media type's "application/" part. */
static void format_key(const char *f, char *out, size_t n) {
        const char *slash = strchr(f, '/');
        const char *s = slash ? slash + 1 : f;
        size_t k = 0;
        if (slash && strncasecmp(s, "vnd.", 4) == 0)
                s += 4;
        for (; *s && *s != ';' && k + 1 < n; s++)
                out[k++] = (char)toupper((unsigned char)*s);
        out[k] = '\0';
}

static bool format_in(const struct fd_record *r, const char *const *list, size_t n) {
        char key[64];
        for (size_t i = 0; i < r->formats.n; i++) {
                format_key(r->formats.v[i], key, sizeof key);
                for (size_t k = 0; k < n; k++)
                        if (strcmp(key, list[k]) == 0)
                                return true;
        }
        return false;
}

static const char *const machine_readable[] = {
        "CSV",  "JSON", "XML",     "RDF",  "RDF+XML", "TURTLE", "N-TRIPLES", "JSON-LD", "LD+JSON", "GEOJSON",
        "XLS",  "XLSX", "ODS",     "TSV",  "TAB-SEPARATED-VALUES", "NETCDF", "GML", "KML", "SHP", "ZIP+SHP",
        "SPARQLQ", "OWL", "GEO+JSON", "MS-EXCEL", "SPREADSHEETML.SHEET", "OPENXMLFORMATS-OFFICEDOCUMENT.SPREADSHEETML.SHEET",
        "OASIS.OPENDOCUMENT.SPREADSHEET", "PARQUET", "HDF5", "GRIB", "GPKG", "GEOPACKAGE+SQLITE3", "YAML",
};
static const char *const non_proprietary[] = {
        "CSV",  "JSON", "XML", "RDF", "RDF+XML", "TURTLE", "N-TRIPLES", "JSON-LD", "LD+JSON", "GEOJSON", "GEO+JSON",
        "ODS",  "TSV",  "TAB-SEPARATED-VALUES", "NETCDF", "GML", "KML", "TXT", "PLAIN", "HTML", "PDF", "PNG",
        "OASIS.OPENDOCUMENT.SPREADSHEET", "PARQUET", "HDF5", "GPKG", "GEOPACKAGE+SQLITE3", "YAML", "OWL",
};

static bool has_contact(const struct fd_record *r) {
        for (size_t i = 0; i < r->contributors.n; i++)
                if (r->contributors.v[i].role && strcmp(r->contributors.v[i].role, "ContactPerson") == 0)
                        return true;
        return false;
}

static bool license_from_vocabulary(const struct fd_record *r) {
        for (size_t i = 0; i < r->licenses.n; i++)
                if (nonempty(r->licenses.v[i].spdx) ||
                    (r->licenses.v[i].url && strstr(r->licenses.v[i].url, "publications.europa.eu/resource/authority/licence")))
                        return true;
        return false;
}

static bool has_spatial(const struct fd_record *r) {
        return has_subject_scheme(r, "spatial") || r->geo_locations.n > 0;
}

static bool has_temporal(const struct fd_record *r) {
        return has_date(r, "coverage-start") || has_date(r, "coverage-end");
}

static bool has_title(const struct fd_record *r) {
        return r->titles.n > 0;
}

static bool has_description(const struct fd_record *r) {
        return r->descriptions.n > 0;
}

/* ---- the assessment ----------------------------------------------------- */

/* The MQA's band of points out of max, read on its 405-point scale. */
static const char *rating(double points, int max) {
        double scaled = max ? points * MQA_TOTAL / max : 0;
        return scaled > 350 ? "excellent" : scaled > 220 ? "good" : scaled > 120 ? "sufficient" : "bad";
}

void fd_mqa_assess(const struct fd_record *r, struct fd_mqa_assessment *ret) {
        bool met[FD_ELEMENTSOF(table)] = {
                has_subject_scheme(r, NULL),
                has_theme(r),
                has_spatial(r),
                has_temporal(r),
                false,
                r->download_urls.n > 0,
                false,
                r->formats.n > 0,
                any_format(r, is_media_type),
                any_format(r, is_vocabulary_format),
                format_in(r, non_proprietary, FD_ELEMENTSOF(non_proprietary)),
                format_in(r, machine_readable, FD_ELEMENTSOF(machine_readable)),
                has_title(r) && has_description(r),
                r->licenses.n > 0,
                license_from_vocabulary(r),
                r->access != FD_ACCESS_UNKNOWN,
                false,
                has_contact(r),
                nonempty(r->publisher),
                r->licenses.n > 0,
                r->sizes.n > 0,
                has_date(r, "issued"),
                has_date(r, "modified"),
        };

        memset(ret, 0, sizeof *ret);
        ret->n = FD_ELEMENTSOF(table);
        for (size_t i = 0; i < ret->n; i++) {
                struct fd_mqa_result *x = &ret->results[i];
                x->assessed = table[i].assessed;
                if (!x->assessed)
                        continue;
                ret->max_points += table[i].max_points;
                if (met[i]) {
                        x->points = table[i].max_points;
                        ret->points += x->points;
                } else
                        x->hint = hints[i];
        }
        ret->dcat_ap_mandatory_missing = (has_title(r) ? 0 : 1) | (has_description(r) ? 0 : 2);
        ret->dcat_ap_recommended_missing = (has_contact(r) ? 0 : FD_MQA_REC_CONTACT_POINT) |
                                           (r->urls.n || r->download_urls.n ? 0 : FD_MQA_REC_DISTRIBUTION) |
                                           (has_subject_scheme(r, NULL) ? 0 : FD_MQA_REC_KEYWORD) |
                                           (nonempty(r->publisher) ? 0 : FD_MQA_REC_PUBLISHER) |
                                           (has_spatial(r) ? 0 : FD_MQA_REC_SPATIAL) |
                                           (has_temporal(r) ? 0 : FD_MQA_REC_TEMPORAL) |
                                           (has_theme(r) ? 0 : FD_MQA_REC_THEME);
        ret->rating = rating(ret->points, ret->max_points);
}

static const char *const mandatory_names[] = {"dct:title", "dct:description"};
static const char *const recommended_names[] = {"dcat:contactPoint", "dcat:distribution", "dcat:keyword",
                                                "dct:publisher", "dct:spatial", "dct:temporal", "dcat:theme"};

json_t *fd_mqa_to_json(const struct fd_mqa_assessment *a) {
        json_t *o = json_object(), *arr = json_array(), *na = json_array(), *mand = json_array(),
               *rec = json_array();
        bool ok = o && arr && na && mand && rec;

        for (size_t i = 0; ok && i < a->n; i++) {
                const struct fd_mqa_result *x = &a->results[i];
                if (!x->assessed) {
                        ok = json_array_append_new(na, json_string(table[i].id)) == 0;
                        continue;
                }
                json_t *e = json_pack("{s:s,s:s,s:i,s:i}", "id", table[i].id, "dimension",
                                      fd_mqa_dimension_name(table[i].dimension), "points", x->points, "max_points",
                                      table[i].max_points);
                if (e && x->hint)
                        json_object_set_new(e, "hint", json_string(x->hint));
                ok = e && json_array_append_new(arr, e) == 0;
        }
        for (size_t i = 0; ok && i < FD_ELEMENTSOF(mandatory_names); i++)
                if (a->dcat_ap_mandatory_missing & (1u << i))
                        ok = json_array_append_new(mand, json_string(mandatory_names[i])) == 0;
        for (size_t i = 0; ok && i < FD_ELEMENTSOF(recommended_names); i++)
                if (a->dcat_ap_recommended_missing & (1u << i))
                        ok = json_array_append_new(rec, json_string(recommended_names[i])) == 0;
        json_t *dims = ok ? json_object() : NULL;
        for (int d = 0; dims && d < FD_MQA_DIMENSIONS; d++) {
                int p = 0, m = 0;
                for (size_t i = 0; i < a->n; i++)
                        if (table[i].dimension == (enum fd_mqa_dimension)d && a->results[i].assessed) {
                                p += a->results[i].points;
                                m += table[i].max_points;
                        }
                json_object_set_new(dims, fd_mqa_dimension_name((enum fd_mqa_dimension)d),
                                    json_pack("{s:i,s:i}", "points", p, "max_points", m));
        }
        ok = ok && dims &&
             json_object_set_new(o, "points", json_integer(a->points)) == 0 &&
             json_object_set_new(o, "max_points", json_integer(a->max_points)) == 0 &&
             json_object_set_new(o, "rating", json_string(a->rating)) == 0 &&
             json_object_set_new(o, "dimensions", dims) == 0 && json_object_set(o, "indicators", arr) == 0 &&
             json_object_set(o, "not_assessed", na) == 0 &&
             json_object_set_new(o, "dcat_ap", json_pack("{s:O,s:O}", "mandatory_missing", mand,
                                                         "recommended_missing", rec)) == 0;
        json_decref(arr);
        json_decref(na);
        json_decref(mand);
        json_decref(rec);
        if (!ok) {
                json_decref(o);
                return NULL;
        }
        return o;
}

/* ---- over many records (a source) ----------------------------------------- */

static size_t indicator_index(const char *id) {
        for (size_t i = 0; id && i < FD_ELEMENTSOF(table); i++)
                if (strcmp(table[i].id, id) == 0)
                        return i;
        return SIZE_MAX;
}

static unsigned name_bits(json_t *names, const char *const *list, size_t n) {
        unsigned bits = 0;
        size_t i;
        json_t *v;

        json_array_foreach(names, i, v) {
                for (size_t k = 0; json_is_string(v) && k < n; k++)
                        if (strcmp(json_string_value(v), list[k]) == 0)
                                bits |= 1u << k;
        }
        return bits;
}

bool fd_mqa_from_json(json_t *mqa, struct fd_mqa_assessment *ret) {
        json_t *inds = json_object_get(mqa, "indicators"), *dcat_ap = json_object_get(mqa, "dcat_ap"), *x;
        size_t i;

        if (!json_is_array(inds) || !json_is_object(dcat_ap))
                return false;
        memset(ret, 0, sizeof *ret);
        ret->n = FD_ELEMENTSOF(table);
        json_array_foreach(inds, i, x) {
                size_t k = indicator_index(json_string_value(json_object_get(x, "id")));
                if (k == SIZE_MAX)
                        continue;  /* an indicator this build does not have */
                struct fd_mqa_result *res = &ret->results[k];
                int p = (int)json_integer_value(json_object_get(x, "points"));
                res->assessed = true;
                res->points = p < 0 ? 0 : p > table[k].max_points ? table[k].max_points : p;
                res->hint = res->points < table[k].max_points ? hints[k] : NULL;
                ret->points += res->points;
                ret->max_points += table[k].max_points;
        }
        ret->rating = rating(ret->points, ret->max_points);
        ret->dcat_ap_mandatory_missing = name_bits(json_object_get(dcat_ap, "mandatory_missing"), mandatory_names,
                                                   FD_ELEMENTSOF(mandatory_names));
        ret->dcat_ap_recommended_missing = name_bits(json_object_get(dcat_ap, "recommended_missing"),
                                                     recommended_names, FD_ELEMENTSOF(recommended_names));
        return true;
}

void fd_mqa_totals_add(struct fd_mqa_totals *t, const struct fd_mqa_assessment *a) {
        t->records++;
        t->points += (uint64_t)a->points;
        for (size_t i = 0; i < a->n && i < FD_ELEMENTSOF(table); i++) {
                if (!a->results[i].assessed)
                        continue;
                t->indicator_points[i] += (uint64_t)a->results[i].points;
                if (a->results[i].points == table[i].max_points)
                        t->pass[i]++;
        }
        for (size_t k = 0; k < FD_ELEMENTSOF(mandatory_names); k++)
                t->mandatory_missing[k] += (a->dcat_ap_mandatory_missing >> k) & 1;
        for (size_t k = 0; k < FD_ELEMENTSOF(recommended_names); k++)
                t->recommended_missing[k] += (a->dcat_ap_recommended_missing >> k) & 1;
}

/* v rounded to 1/per (per: 10 for one decimal), as the nearest double. */
static double round_to(double v, double per) {
        return (double)(long long)(v * per + 0.5) / per;
}

struct lost {
        size_t i;
        double lost;  /* mean points lost a record */
};

static int lost_cmp(const void *a, const void *b) {
        const struct lost *x = a, *y = b;
        return x->lost < y->lost ? 1 : x->lost > y->lost ? -1 : (x->i > y->i) - (x->i < y->i);
}

static json_t *missing_counts(const uint64_t *counts, const char *const *names, size_t n) {
        json_t *o = json_object();
        for (size_t k = 0; o && k < n; k++)
                if (json_object_set_new(o, names[k], json_integer((json_int_t)counts[k])) < 0) {
                        json_decref(o);
                        return NULL;
                }
        return o;
}

json_t *fd_mqa_totals_to_json(const struct fd_mqa_totals *t) {
        const double n = (double)t->records;
        struct lost order[FD_ELEMENTSOF(table)];
        size_t n_order = 0;
        int max = 0;

        if (!t->records)
                return json_null();
        for (size_t i = 0; i < FD_ELEMENTSOF(table); i++)
                if (table[i].assessed) {
                        max += table[i].max_points;
                        order[n_order++] = (struct lost){i, table[i].max_points - t->indicator_points[i] / n};
                }
        qsort(order, n_order, sizeof *order, lost_cmp);

        double mean = round_to((double)t->points / n, 10);
        json_t *o = json_pack("{s:I,s:f,s:i,s:s}", "records", (json_int_t)t->records, "points", mean, "max_points",
                              max, "rating", rating(mean, max));
        json_t *dims = json_object(), *inds = json_array(), *na = json_array();
        bool ok = o && dims && inds && na;

        for (int d = 0; ok && d < FD_MQA_DIMENSIONS; d++) {
                double p = 0;
                int m = 0;
                for (size_t i = 0; i < FD_ELEMENTSOF(table); i++)
                        if (table[i].dimension == (enum fd_mqa_dimension)d && table[i].assessed) {
                                p += t->indicator_points[i] / n;
                                m += table[i].max_points;
                        }
                ok = json_object_set_new(dims, fd_mqa_dimension_name((enum fd_mqa_dimension)d),
                                         json_pack("{s:f,s:i}", "points", round_to(p, 10), "max_points", m)) == 0;
        }
        for (size_t k = 0; ok && k < n_order; k++) {
                size_t i = order[k].i;
                json_t *e = json_pack("{s:s,s:s,s:f,s:i,s:I,s:f}", "id", table[i].id, "dimension",
                                      fd_mqa_dimension_name(table[i].dimension), "points",
                                      round_to(t->indicator_points[i] / n, 10), "max_points", table[i].max_points,
                                      "pass", (json_int_t)t->pass[i], "pass_share",
                                      round_to(t->pass[i] / n, 1000));
                if (e && t->pass[i] < t->records)
                        json_object_set_new(e, "hint", json_string(hints[i]));
                ok = e && json_array_append_new(inds, e) == 0;
        }
        for (size_t i = 0; ok && i < FD_ELEMENTSOF(table); i++)
                if (!table[i].assessed)
                        ok = json_array_append_new(na, json_string(table[i].id)) == 0;
        ok = ok && json_object_set_new(o, "dimensions", dims) == 0;
        dims = NULL;
        ok = ok && json_object_set_new(o, "indicators", inds) == 0;
        inds = NULL;
        ok = ok && json_object_set_new(o, "not_assessed", na) == 0;
        na = NULL;
        json_t *mand = ok ? missing_counts(t->mandatory_missing, mandatory_names, FD_ELEMENTSOF(mandatory_names))
                          : NULL;
        json_t *rec = ok ? missing_counts(t->recommended_missing, recommended_names,
                                          FD_ELEMENTSOF(recommended_names))
                         : NULL;
        ok = ok && mand && rec &&
             json_object_set_new(o, "dcat_ap", json_pack("{s:o,s:o}", "mandatory_missing", mand,
                                                         "recommended_missing", rec)) == 0;
        if (!ok) {
                json_decref(dims);
                json_decref(inds);
                json_decref(na);
                json_decref(o);
                return NULL;
        }
        return o;
}
