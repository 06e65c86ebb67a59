/* europeana.c: Europeana's EDM (rdf:RDF of edm:ProvidedCHO, ore:Aggregation,
 * ore:Proxy, edm:WebResource and contextual entities) and its predecessor
 * ESE (a flat europeana:record).
 *
 * The descriptive properties are Dublin Core and DC terms on the CHO (or
 * its proxies): the Dublin Core table reads them.  Besides: edm:type
 * (TEXT, IMAGE, SOUND, VIDEO, 3D), edm:rights and the aggregation's
 * edm:isShownAt (landing page) and edm:isShownBy (the object itself) as
 * rdf:resource, edm:dataProvider; ESE's europeana:type, rights, isShownAt,
 * isShownBy, dataProvider as text.  europeana/metis-schema edm.owl; ESE
 * v3.4 XSD.
 */
#include "../xmlmap.h"

static const struct fd_xns edm_ns[] = {
        {"edm", "http://www.europeana.eu/schemas/edm/"},
        {"ore", "http://www.openarchives.org/ore/terms/"},
        {"ese", "http://www.europeana.eu/schemas/ese/"},
        {NULL, NULL},
};

static const char *const types[] = {
        "TEXT", "Text", "IMAGE", "Image", "SOUND", "Sound", "VIDEO", "Audiovisual", "3D", "Model", NULL,
};

/* The descriptive properties of the CHO and its proxies, not of the web
 * resources (whose dcterms:created is the date of a scan). */
static const struct fd_xrule edm_rules[] = {
        {"edm:ProvidedCHO", FD_X_GROUP, .sub = fd_xrules_dc},
        {"ore:Proxy", FD_X_GROUP, .sub = fd_xrules_dc},
        {"//edm:type", FD_X_TYPE, .map = types},
        {"ore:Aggregation/edm:rights/@rdf:resource", FD_X_RIGHTS},
        {"edm:ProvidedCHO/edm:rights/@rdf:resource", FD_X_RIGHTS},
        {"ore:Aggregation/edm:isShownAt/@rdf:resource", FD_X_URL},
        {"ore:Aggregation/edm:isShownBy/@rdf:resource", FD_X_DOWNLOAD},
        {"ore:Aggregation/edm:dataProvider", FD_X_PUBLISHER},
        {NULL},
};

const struct fd_xformat fd_xformat_edm = {.name = "edm", .version = 2, .ns = edm_ns, .rules = edm_rules};

static const struct fd_xrule ese_rules[] = {
        {".", FD_X_GROUP, .sub = fd_xrules_dc},
        {"ese:type", FD_X_TYPE, .map = types},
        {"ese:rights", FD_X_RIGHTS},
        {"ese:isShownAt", FD_X_URL},
        {"ese:isShownBy", FD_X_DOWNLOAD},
        {"ese:dataProvider", FD_X_PUBLISHER},
        {NULL},
};

const struct fd_xformat fd_xformat_ese = {.name = "ese", .version = 2, .ns = edm_ns, .rules = ese_rules};
