/* formats.c: which mapper reads a record, and which format to harvest.
 *
 * A mapper is chosen by what the metadata is: the namespace and local name
 * of the metadata's root element, then (for containers whose root says
 * little: rdf:RDF, an unknown wrapper around Dublin Core, DC with no wrapper
 * at all) a look at its children.  The prefix a record was harvested under
 * only names r->format when it names the same format, so `oai_datacite3`,
 * `datacite4`, `dc` or `qdc` all work.  ListMetadataFormats' namespaces (or
 * schema URLs) go through the same table, whose rank says which of the
 * formats a source offers is the richest.
 */
#include <strings.h>

#include "xmlmap.h"

#define NS_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_EDM "http://www.europeana.eu/schemas/edm/"
#define NS_ORE "http://www.openarchives.org/ore/terms/"

/* Several entries per format: its namespaces and roots.  The first entry
 * of a prefix is what fd_mapper_by_prefix finds.  A DataCite <resource>
 * comes in every kernel's namespace, in OpenAIRE's, and (B2FIND's HZB
 * records) in none but the OAI-PMH one it inherited from <record>. */
static const struct fd_mapper mappers[] = {
        {"oai_datacite", FD_NS_OAI_DATACITE, "oai_datacite", fd_datacite_map, NULL, 100, "oai_datacite"},
        {"oai_datacite", FD_NS_OAI_DATACITE11, "oai_datacite", fd_datacite_map, NULL, 100, "oai_datacite"},
        /* Zenodo's legacy oai_datacite3: the envelope in the OAI-PMH default namespace */
        {"oai_datacite", FD_NS_OAI, "oai_datacite", fd_datacite_map, NULL, 0, NULL},
        {"datacite", FD_NS_DATACITE4, "resource", fd_datacite_map, NULL, 95, "kernel-4"},
        {"oai_openaire", FD_NS_OAIRE, "resource", fd_datacite_map, NULL, 90, "openaire"},
        {"datacite", FD_NS_DATACITE3, "resource", fd_datacite_map, NULL, 94, "kernel-3"},
        {"datacite", "http://datacite.org/schema/kernel-2.2", "resource", fd_datacite_map, NULL, 93, NULL},
        {"datacite", "http://datacite.org/schema/kernel-2.1", "resource", fd_datacite_map, NULL, 93, NULL},
        {"datacite", FD_NS_OAI, "resource", fd_datacite_map, NULL, 0, NULL},
        {"ddi", "ddi:codebook:2_5", "codeBook", NULL, &fd_xformat_ddi, 85, "codebook"},
        {"ddi", "http://www.icpsr.umich.edu/DDI", "codeBook", NULL, &fd_xformat_ddi, 85, NULL},
        {"ddi", "", "codeBook", NULL, &fd_xformat_ddi, 0, NULL},
        {"ddi3", "ddi:instance:3_2", "DDIInstance", NULL, &fd_xformat_ddi3, 80, "ddi:instance"},
        {"ddi3", "ddi:instance:3_1", "DDIInstance", NULL, &fd_xformat_ddi3, 80, NULL},
        {"ddi3", "ddi:instance:3_3", "DDIInstance", NULL, &fd_xformat_ddi3, 80, NULL},
        {"eml", "eml://ecoinformatics.org/eml-2.1.1", "eml", NULL, &fd_xformat_eml, 85, "eml"},
        {"eml", "eml://ecoinformatics.org/eml-2.1.0", "eml", NULL, &fd_xformat_eml, 85, NULL},
        {"eml", "eml://ecoinformatics.org/eml-2.0.1", "eml", NULL, &fd_xformat_eml, 85, NULL},
        {"eml", "https://eml.ecoinformatics.org/eml-2.2.0", "eml", NULL, &fd_xformat_eml, 85, NULL},
        {"iso19139", "http://www.isotc211.org/2005/gmd", "MD_Metadata", NULL, &fd_xformat_iso19139, 85, "gmd"},
        {"iso19139", "http://www.isotc211.org/2005/gmi", "MI_Metadata", NULL, &fd_xformat_iso19139, 85, NULL},
        {"iso19139", "http://www.geocat.ch/2008/che", "CHE_MD_Metadata", NULL, &fd_xformat_iso19139, 85, NULL},
        {"iso19115-3", "http://standards.iso.org/iso/19115/-3/mdb/2.0", "MD_Metadata", NULL, &fd_xformat_iso19115_3,
         85, "19115/-3"},
        {"iso19115-3", "http://standards.iso.org/iso/19115/-3/mdb/1.0", "MD_Metadata", NULL, &fd_xformat_iso19115_3,
         85, NULL},
#define NS_CERIF "https://www.openaire.eu/cerif-profile/1.1/"
        {"oai_cerif_openaire", NS_CERIF, "Publication", NULL, &fd_xformat_cerif, 80, "cerif"},
        {"oai_cerif_openaire", NS_CERIF, "Product", NULL, &fd_xformat_cerif, 80, NULL},
        {"oai_cerif_openaire", NS_CERIF, "Patent", NULL, &fd_xformat_cerif, 80, NULL},
        {"oai_cerif_openaire", NS_CERIF, "Equipment", NULL, &fd_xformat_cerif, 80, NULL},
        {"mods", "http://www.loc.gov/mods/v3", "mods", NULL, &fd_xformat_mods, 75, "mods"},
        {"mods", "http://www.loc.gov/mods/v3", "modsCollection", NULL, &fd_xformat_mods, 75, NULL},
        {"marc21", "http://www.loc.gov/MARC21/slim", "record", NULL, &fd_xformat_marc21, 70, "marc"},
        {"marc21", "http://www.loc.gov/MARC21/slim", "collection", NULL, &fd_xformat_marc21, 70, NULL},
        {"didl", "urn:mpeg:mpeg21:2002:02-DIDL-NS", "DIDL", NULL, &fd_xformat_didl, 65, "didl"},
        {"mets", "http://www.loc.gov/METS/", "mets", NULL, &fd_xformat_mets, 65, "mets"},
        {"cmdi", "http://www.clarin.eu/cmd/", "CMD", NULL, &fd_xformat_cmdi, 60, "clarin"},
        {"cmdi", "http://www.clarin.eu/cmd/1", "CMD", NULL, &fd_xformat_cmdi, 60, NULL},
        {"edm", NS_EDM, NULL, NULL, &fd_xformat_edm, 60, "edm"},
        {"ese", "http://www.europeana.eu/schemas/ese/", "record", NULL, &fd_xformat_ese, 55, "ese"},
        {"fgdc", "http://www.fgdc.gov/metadata/csdgm", "metadata", NULL, &fd_xformat_fgdc, 60, "fgdc"},
        {"re3data", "http://www.re3data.org/schema/2-2", "re3data", NULL, &fd_xformat_re3data, 60, "re3data"},
        {"re3data", "http://www.re3data.org/schema/3-0", "re3data", NULL, &fd_xformat_re3data, 60, NULL},
        {"re3data", "http://www.re3data.org/schema/3-0/", "re3data", NULL, &fd_xformat_re3data, 60, NULL},
        {"re3data", "http://www.re3data.org/schema/3.0", "re3data", NULL, &fd_xformat_re3data, 60, NULL},
        {"oai_doaj", "http://doaj.org/features/oai_doaj/1.0/", NULL, NULL, &fd_xformat_doaj, 50, "doaj"},
        {"rioxx", "http://www.rioxx.net/schema/v3.0/rioxx/", NULL, NULL, &fd_xformat_dc, 55, "rioxx"},
        {"rioxx", "", "rioxx", NULL, &fd_xformat_dc, 0, NULL},
        {"qdc", "http://worldcat.org/xmlschemas/qdc-1.0/", NULL, NULL, &fd_xformat_dc, 50, "qdc"},
        {"qdc", "http://purl.org/dc/terms/", NULL, NULL, &fd_xformat_dc, 50, "dcterms"},
        {"nsdl_dc", "http://ns.nsdl.org/nsdl_dc_v1.02/", NULL, NULL, &fd_xformat_dc, 45, "nsdl"},
        {"oai_dc", FD_NS_OAI_DC, "dc", fd_oai_dc_map, NULL, 10, "oai_dc"},
};

/* The usual prefix names of the formats above, for a configured or
 * remembered prefix when ListMetadataFormats says nothing. */
static const struct {
        const char *prefix, *format;
} aliases[] = {
        {"oai_datacite3", "datacite"}, {"oai_datacite4", "datacite"}, {"datacite3", "datacite"},
        {"datacite4", "datacite"},     {"marcxml", "marc21"},         {"MARC21slim", "marc21"},
        {"marc21slim", "marc21"},      {"oai_marc21", "marc21"},      {"oai_ddi25", "ddi"},
        {"oai_ddi", "ddi"},            {"ddi25", "ddi"},              {"ddi_c", "ddi"},
        {"oai_mods", "mods"},          {"oai_qdc", "qdc"},            {"dcterms", "qdc"},
        {"oai_dcterms", "qdc"},        {"dc", "oai_dc"},              {"oai_eml", "eml"},
        {"iso19115", "iso19139"},      {"gmd", "iso19139"},           {"oai_edm", "edm"},
        {"oai_ese", "ese"},            {"rioxx3", "rioxx"},
};

static bool has_ns(const struct fd_xnode *n, const char *ns) { return n->ns && strcmp(n->ns, ns) == 0; }

static bool is_dc(const struct fd_xnode *n) { return has_ns(n, FD_NS_DC) || has_ns(n, FD_NS_DCTERMS); }

static bool is_dc_title(const struct fd_xnode *n) { return is_dc(n) && strcmp(n->name, "title") == 0; }

/* A Dublin Core title among n's children or grandchildren (rdf:Description,
 * csw:Record, a provider's own wrapper); a DC element or two inside another
 * format (DDI-Lifecycle's dc:hasVersion) does not make it Dublin Core. */
static bool carries_dc(const struct fd_xnode *n) {
        for (const struct fd_xnode *c = n->child; c; c = c->next) {
                if (is_dc_title(c))
                        return true;
                for (const struct fd_xnode *g = c->child; g; g = g->next)
                        if (is_dc_title(g))
                                return true;
        }
        return false;
}

static const struct fd_mapper *by_name(const char *prefix) {
        for (size_t i = 0; i < FD_ELEMENTSOF(mappers); i++)
                if (strcmp(mappers[i].prefix, prefix) == 0)
                        return &mappers[i];
        return NULL;
}

const struct fd_mapper *fd_mapper_detect(const struct fd_xnode *root) {
        const char *ns = root->ns ? root->ns : "";

        for (int pass = 0; pass < 2; pass++) {
                for (size_t i = 0; i < FD_ELEMENTSOF(mappers); i++) {
                        const struct fd_mapper *m = &mappers[i];
                        if (strcmp(m->ns, ns) == 0 && (!m->root || strcmp(m->root, root->name) == 0))
                                return m;
                }
                /* metadata in no namespace under an OAI-PMH default namespace inherits it */
                if (strcmp(ns, FD_NS_OAI) != 0)
                        break;
                ns = "";
        }
        if (has_ns(root, NS_RDF)) {
                for (const struct fd_xnode *c = root->child; c; c = c->next)
                        if (has_ns(c, NS_EDM) || has_ns(c, NS_ORE))
                                return by_name("edm");
        }
        /* FGDC CSDGM: <metadata><idinfo> in no namespace (or the OAI-PMH
         * default one it inherits; not the made-up wrapper of xml.c, which
         * holds no idinfo) */
        if (!strcmp(root->name, "metadata") && (!root->ns || has_ns(root, FD_NS_OAI)))
                for (const struct fd_xnode *c = root->child; c; c = c->next)
                        if (!strcmp(c->name, "idinfo"))
                                return by_name("fgdc");
        /* DOAJ's own export: <records><record> in no namespace (or in the
         * OAI-PMH one it inherits as a default namespace) */
        if ((!root->ns || has_ns(root, FD_NS_OAI)) && (!strcmp(root->name, "records") || !strcmp(root->name, "doajArticles")))
                return by_name("oai_doaj");
        /* one article of it, the way a record of a list holds it */
        if ((!root->ns || has_ns(root, FD_NS_OAI)) && !strcmp(root->name, "record"))
                for (const struct fd_xnode *c = root->child; c; c = c->next)
                        if (!strcmp(c->name, "journalTitle") || !strcmp(c->name, "authors"))
                                return by_name("oai_doaj");
        if (is_dc_title(root) || carries_dc(root))
                return by_name("qdc");
        return NULL;
}

const struct fd_mapper *fd_mapper_by_prefix(const char *prefix) {
        const struct fd_mapper *m = by_name(prefix);

        for (size_t i = 0; !m && i < FD_ELEMENTSOF(aliases); i++)
                if (strcasecmp(aliases[i].prefix, prefix) == 0)
                        m = by_name(aliases[i].format);
        return m;
}

const struct fd_mapper *fd_mapper_for_format(const char *prefix, const char *ns, const char *schema) {
        for (size_t i = 0; ns && *ns && i < FD_ELEMENTSOF(mappers); i++)
                if (mappers[i].rank > 0 && strcmp(mappers[i].ns, ns) == 0)
                        return &mappers[i];
        for (size_t i = 0; schema && *schema && i < FD_ELEMENTSOF(mappers); i++)
                if (mappers[i].schema && strcasestr(schema, mappers[i].schema))
                        return &mappers[i];
        return prefix ? fd_mapper_by_prefix(prefix) : NULL;
}

enum fd_status fd_mapper_map(const struct fd_mapper *m, struct fd_record *r, struct fd_arena *a,
                             struct fd_arena *scratch, const struct fd_xnode *root, struct fd_error *err) {
        if (m->map)
                return m->map(r, a, scratch, root, err);
        return fd_xmap_run(m->xmap, r, a, scratch, root, err);
}

enum fd_status fd_mapper_header_pid(struct fd_record *r, struct fd_arena *a, const char *identifier) {
        const char *d = identifier ? strcasestr(identifier, "doi:10.") : NULL;

        if (r->doi || !d || (d != identifier && d[-1] != ':'))
                return FD_OK;
        return fd_record_add_identifier(r, a, d, FD_PID_DOI);
}

int fd_mapper_version(const struct fd_mapper *m) {
        if (m->xmap)
                return m->xmap->version > 0 ? m->xmap->version : 1;
        if (m->map == fd_oai_dc_map)
                return fd_xformat_dc.version > 0 ? fd_xformat_dc.version : 1;
        return FD_DATACITE_MAPPER_VERSION;
}

int fd_mapper_current_version(const char *format) {
        const struct fd_mapper *m = format ? fd_mapper_by_prefix(format) : NULL;
        return m ? fd_mapper_version(m) : 0;
}

const char *fd_mapper_format(const struct fd_mapper *m, const char *prefix) {
        const struct fd_mapper *want = prefix ? by_name(prefix) : NULL;

        if (want && (want == m || (want->map && want->map == m->map) || (want->xmap && want->xmap == m->xmap)))
                return want->prefix;
        return m->prefix;
}
