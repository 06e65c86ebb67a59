/* dcat_geo.c: a geometry literal as a point or a bounding box.
 *
 * DCAT-AP and GeoDCAT-AP give a location's locn:geometry, dcat:bbox and
 * dcat:centroid as literals in one of three syntaxes, told apart by the
 * datatype or, lacking one, by the first character: WKT (GeoSPARQL
 * wktLiteral, "POINT(4.35 50.85)", optionally after a CRS IRI in angle
 * brackets), GeoJSON ("{"type": "Polygon", "coordinates": …}", read with
 * jansson) and GML ("<gml:Envelope …><gml:lowerCorner>…", its element
 * text).  Nothing here draws shapes: every coordinate pair of the geometry
 * counts, one pair is a point, more are the box that holds them (what the
 * record keeps, as DataCite polygons are kept).  Axis order: WKT and
 * GeoJSON are longitude first (CRS84), unless a WKT literal names EPSG
 * 4326; GML follows its srsName (EPSG 4326 is latitude first, CRS84
 * longitude first; none: latitude first, as GML's own default CRS);
 * schema.org boxes and polygons are "latitude longitude" pairs.
 */
#include <ctype.h>
#include <math.h>
#include <strings.h>

#include "harvesters-private.h"

#define MAX_TEXT ((size_t)1 << 20)  /* a geometry literal read at all */

struct pairs {
        double lat_min, lat_max, lon_min, lon_max, lat, lon;
        size_t n;
        bool lat_first;
        double pending;   /* the first number of a pair */
        bool have_pending;
};

static void pair_add(struct pairs *p, double a, double b) {
        double lat = p->lat_first ? a : b, lon = p->lat_first ? b : a;
        if (!isfinite(lat) || !isfinite(lon))
                return;
        if (p->n == 0) {
                p->lat_min = p->lat_max = p->lat = lat;
                p->lon_min = p->lon_max = p->lon = lon;
        } else {
                p->lat_min = lat < p->lat_min ? lat : p->lat_min;
                p->lat_max = lat > p->lat_max ? lat : p->lat_max;
                p->lon_min = lon < p->lon_min ? lon : p->lon_min;
                p->lon_max = lon > p->lon_max ? lon : p->lon_max;
        }
        p->n++;
}

static void number(struct pairs *p, double x) {
        if (p->have_pending) {
                pair_add(p, p->pending, x);
                p->have_pending = false;
        } else {
                p->pending = x;
                p->have_pending = true;
        }
}

/* The numbers of text in order, two by two; markup (<…>) and a WKT's
 * leading CRS are skipped.  A WKT pair separator (',') ends a pair that
 * has a third coordinate (Z, M). */
static void numbers(struct pairs *p, const char *s, bool wkt) {
        while (*s) {
                if (*s == '<') {
                        const char *e = strchr(s, '>');
                        if (!e)
                                return;
                        s = e + 1;
                        continue;
                }
                if (wkt && (*s == ',' || *s == '(' || *s == ')')) {
                        p->have_pending = false;
                        s++;
                        continue;
                }
                if (isdigit((unsigned char)*s) || ((*s == '-' || *s == '+' || *s == '.') &&
                                                   isdigit((unsigned char)s[1]))) {
                        char *end;
                        double x = strtod(s, &end);
                        if (end == s)
                                end = (char *)s + 1;
                        number(p, x);
                        s = end;
                        if (wkt) {
                                /* a third or fourth coordinate (Z, M) before the next ',' or ')' */
                                while (*s == ' ' || *s == '\t')
                                        s++;
                                if (!p->have_pending) {
                                        while (*s && *s != ',' && *s != ')' && *s != '(')
                                                s++;
                                }
                        }
                        continue;
                }
                s++;
        }
}

static void json_coords(struct pairs *p, json_t *c, int depth) {
        if (depth > 8 || !json_is_array(c))
                return;
        if (json_array_size(c) >= 2 && json_is_number(json_array_get(c, 0)) && json_is_number(json_array_get(c, 1))) {
                pair_add(p, json_number_value(json_array_get(c, 0)), json_number_value(json_array_get(c, 1)));
                return;
        }
        size_t i;
        json_t *x;
        json_array_foreach(c, i, x) json_coords(p, x, depth + 1);
}

static void json_geometry(struct pairs *p, json_t *g, int depth) {
        if (depth > 4 || !json_is_object(g))
                return;
        json_coords(p, json_object_get(g, "coordinates"), 0);
        size_t i;
        json_t *x;
        json_array_foreach(json_object_get(g, "geometries"), i, x) json_geometry(p, x, depth + 1);
        json_array_foreach(json_object_get(g, "features"), i, x) json_geometry(p, json_object_get(x, "geometry"),
                                                                               depth + 1);
        json_geometry(p, json_object_get(g, "geometry"), depth + 1);
}

static bool ends_with(const char *s, const char *suffix) {
        size_t n = strlen(s), k = strlen(suffix);
        return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

static bool names_epsg4326(const char *s) {
        const char *e = strcasestr(s, "EPSG");
        return e && strstr(e, "4326") && !strcasestr(s, "CRS84");
}

enum geo_syntax {
        GEO_NONE,
        GEO_WKT,      /* GeoSPARQL wktLiteral, optionally after "<crs IRI> " */
        GEO_GEOJSON,  /* a GeoJSON geometry, feature or collection */
        GEO_GML,      /* a GML geometry element */
};

/* The syntax of a geometry literal from its datatype, else its first character. */
static enum geo_syntax geo_syntax_of(const char *value, const char *datatype) {
        if (datatype && (ends_with(datatype, "wktLiteral")))
                return GEO_WKT;
        if (datatype && (ends_with(datatype, "geoJSONLiteral") || ends_with(datatype, "geojson")))
                return GEO_GEOJSON;
        if (datatype && ends_with(datatype, "gmlLiteral"))
                return GEO_GML;
        while (value && isspace((unsigned char)*value))
                value++;
        if (!value || !*value)
                return GEO_NONE;
        if (*value == '{')
                return GEO_GEOJSON;
        if (*value == '<' && strncasecmp(value, "<http", 5) != 0)
                return GEO_GML;
        return GEO_WKT;
}

static bool finish(struct pairs *p, struct fd_geo *ret) {
        if (p->n == 0)
                return false;
        if (p->n == 1 || (p->lat_min == p->lat_max && p->lon_min == p->lon_max)) {
                ret->has_point = true;
                ret->lat = p->lat;
                ret->lon = p->lon;
        } else {
                ret->has_box = true;
                ret->west = p->lon_min;
                ret->east = p->lon_max;
                ret->south = p->lat_min;
                ret->north = p->lat_max;
        }
        return true;
}

bool fd_dcat_geometry(const char *value, const char *datatype, struct fd_geo *ret) {
        struct pairs p = {0};
        enum geo_syntax syn = geo_syntax_of(value, datatype);

        if (syn == GEO_NONE || strlen(value) > MAX_TEXT)
                return false;
        switch (syn) {
        case GEO_GEOJSON: {
                json_t *j = json_loads(value, 0, NULL);
                if (!j)
                        return false;
                json_geometry(&p, j, 0);
                json_decref(j);
                break;
        }
        case GEO_GML: {
                const char *srs = strcasestr(value, "srsName");
                /* GML's axis order is the CRS's: latitude first unless it says CRS84 */
                p.lat_first = !(srs && strcasestr(srs, "CRS84"));
                numbers(&p, value, false);
                break;
        }
        default: {
                const char *s = value;
                while (isspace((unsigned char)*s))
                        s++;
                if (*s == '<') {
                        /* the CRS IRI before the shape: EPSG 4326 puts latitude first */
                        const char *e = strchr(s, '>');
                        _fd_free_ char *crs = e ? strndup(s, (size_t)(e - s)) : NULL;
                        p.lat_first = crs && names_epsg4326(crs);
                }
                /* only what follows the shape's name: "POINT (4 50)", "POLYGON ((…))" */
                const char *open = strchr(s, '(');
                if (!open)
                        return false;
                numbers(&p, open, true);
                break;
        }
        }
        return finish(&p, ret);
}

bool fd_dcat_latlon_text(const char *value, struct fd_geo *ret) {
        struct pairs p = {.lat_first = true};
        if (!value || strlen(value) > MAX_TEXT)
                return false;
        numbers(&p, value, false);
        return finish(&p, ret);
}
