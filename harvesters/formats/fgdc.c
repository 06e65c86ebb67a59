/* fgdc.c: FGDC's Content Standard for Digital Geospatial Metadata (CSDGM,
 * FGDC-STD-001-1998), in no namespace: USGS, older GeoNetwork and CSW
 * catalogues.
 *
 * idinfo/citation/citeinfo (title, origin: the creators, pubdate as
 * YYYY[MM[DD]] or text, publish, edition, onlink: URLs, DOIs written as
 * text among them, geoform), idinfo/descript (abstract, purpose),
 * keywords/theme/themekey and place/placekey, accconst and useconst
 * (prose: access and licence), spdom/bounding (westbc…), distinfo's
 * network addresses.  A CSDGM record describes a dataset.  fgdcgov/sdi
 * docs/source/data/geospatialmetadata.rst.
 */
#include "../xmlmap.h"

/* "20140203", "201402", "2014", "Unknown" */
static enum fd_status fgdc_date(struct fd_xwalk *w, const struct fd_xnode *n, char *v) {
        size_t k = strspn(v, "0123456789");
        char iso[16];
        (void)n;

        if (k == 8 && !v[8])
                snprintf(iso, sizeof iso, "%.4s-%.2s-%.2s", v, v + 4, v + 6);
        else if (k == 6 && !v[6])
                snprintf(iso, sizeof iso, "%.4s-%.2s", v, v + 4);
        else
                return fd_xmap_add_date(w, v, "issued");
        return fd_xmap_add_date(w, iso, "issued");
}

/* onlink: "http://dx.doi.org/10.3133/ds817 and http://…": each URL */
static enum fd_status fgdc_links(struct fd_xwalk *w, const struct fd_xnode *n, char *v) {
        enum fd_status st;
        (void)n;

        for (char *p = v, *sp; p && *p; p = sp) {
                if ((sp = strchr(p, ' ')))
                        *sp++ = '\0';
                if ((!strncmp(p, "http://", 7) || !strncmp(p, "https://", 8)) && (st = fd_xmap_add_pid(w, p, NULL)))
                        return st;
        }
        return FD_OK;
}

static const struct fd_xrule box[] = {
        {"westbc", FD_S_WEST},
        {"eastbc", FD_S_EAST},
        {"southbc", FD_S_SOUTH},
        {"northbc", FD_S_NORTH},
        {NULL},
};

#define CITE "idinfo/citation/citeinfo/"

static const struct fd_xrule fgdc_rules[] = {
        {CITE "title", FD_X_TITLE},
        {CITE "origin", FD_X_CREATOR},
        {CITE "pubdate", FD_X_CALL, .call = fgdc_date},
        {CITE "pubinfo/publish", FD_X_PUBLISHER},
        {CITE "publish", FD_X_PUBLISHER},
        {CITE "edition", FD_X_VERSION},
        {CITE "onlink", FD_X_CALL, .call = fgdc_links},
        {"idinfo/descript/abstract", FD_X_DESCRIPTION, "Abstract"},
        {"idinfo/descript/purpose", FD_X_DESCRIPTION, "Other"},
        {"idinfo/keywords/theme/themekey", FD_X_SUBJECT},
        {"idinfo/keywords/place/placekey", FD_X_GEO},
        {"idinfo/accconst", FD_X_RIGHTS},
        {"idinfo/useconst", FD_X_RIGHTS},
        {"idinfo/spdom/bounding", FD_X_GEO, .sub = box},
        {"distinfo//networka/networkr", FD_X_URL},
        {"distinfo//digtinfo/formname", FD_X_FORMAT},
        {NULL},
};

const struct fd_xformat fd_xformat_fgdc = {.name = "fgdc", .rules = fgdc_rules, .default_type = "Dataset"};
