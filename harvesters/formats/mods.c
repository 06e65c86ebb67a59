/* mods.c: MODS 3.x (http://www.loc.gov/standards/mods/), and the
 * containers that carry it or Dublin Core: NL-DIDL (urn:mpeg:mpeg21:2002:02-DIDL-NS)
 * and METS (dmdSec/mdWrap/xmlData).
 *
 * MODS: titleInfo/title, name (namePart typed family/given or not,
 * nameIdentifier, affiliation, role/roleTerm as MARC relator code or text),
 * identifier@type, originInfo (dateIssued, dateCreated, publisher,
 * edition), typeOfResource and genre, language/languageTerm, abstract,
 * subject/topic@authority, classification, accessCondition (text or
 * xlink:href), location/url, physicalDescription.  Only the record's own
 * elements: relatedItem (the host journal, a series) is not the record.
 */
#include "../xmlmap.h"

static const struct fd_xns mods_ns[] = {
        {"m", "http://www.loc.gov/mods/v3"},
        {"m", ""},
        {"didl", "urn:mpeg:mpeg21:2002:02-DIDL-NS"},
        {"dii", "urn:mpeg:mpeg21:2002:01-DII-NS"},
        {"mets", "http://www.loc.gov/METS/"},
        {"dv", "http://dfg-viewer.de/"},
        {"epdcx", "http://purl.org/eprint/epdcx/2006-11-16/"},
        {NULL, NULL},
};

static const char *const relators[] = {
        "aut", "Creator", "author", "Creator", "cre", "Creator", "creator", "Creator", "edt", "Editor",
        "editor", "Editor", "ths", "Supervisor", "thesis advisor", "Supervisor", "dgs", "Supervisor",
        "degree supervisor", "Supervisor", "advisor", "Supervisor", "ctb", "Other", "contributor", "Other",
        "pbl", "Publisher", "publisher", "Publisher", "fnd", "Sponsor", "funder", "Sponsor", "dgg",
        "HostingInstitution", "degree grantor", "HostingInstitution", "his", "HostingInstitution", "ill",
        "Other", "trl", "Other", "prt", "Other", "own", "Other", "dtm", "DataManager", "rth", "ProjectLeader",
        NULL,
};

static const char *const resource_types[] = {
        "cartographic", "Image", "notated music", "Text", "sound recording", "Sound",
        "sound recording-musical", "Sound", "sound recording-nonmusical", "Sound", "software, multimedia",
        "Software", "three dimensional object", "PhysicalObject", "mixed material", "Collection", NULL,
};

static const struct fd_xrule name[] = {
        {"m:namePart[@type=family]", FD_S_FAMILY},
        {"m:namePart[@type=given]", FD_S_GIVEN},
        {"m:namePart[!@type]", FD_S_VALUE},
        {"m:displayForm", FD_S_NAME},
        {"m:nameIdentifier", FD_S_ID},
        {"m:affiliation", FD_S_AFFILIATION},
        {"m:role/m:roleTerm", FD_S_ROLE},
        {NULL},
};

static const struct fd_xrule rights[] = {
        {"@xlink:href", FD_S_URI},
        {NULL},
};

const struct fd_xrule fd_xrules_mods[] = {
        {"m:titleInfo[!@type]/m:title", FD_X_TITLE},
        {"m:titleInfo[@type=alternative|uniform|abbreviated]/m:title", FD_X_TITLE, "AlternativeTitle"},
        {"m:titleInfo[@type=translated]/m:title", FD_X_TITLE, "TranslatedTitle"},
        {"m:name", FD_X_AGENT, .sub = name, .map = relators},
        {"m:identifier", FD_X_PID, "@type"},
        {"m:originInfo/m:dateIssued", FD_X_DATE, "issued"},
        {"m:originInfo/m:dateCreated", FD_X_DATE, "created"},
        {"m:originInfo/m:dateModified", FD_X_DATE, "updated"},
        {"m:originInfo/m:copyrightDate", FD_X_DATE, "copyrighted"},
        {"m:originInfo/m:publisher", FD_X_PUBLISHER},
        {"m:originInfo/m:edition", FD_X_VERSION},
        {"m:typeOfResource", FD_X_TYPE, .map = resource_types},
        {"m:genre", FD_X_TYPE},
        {"m:language/m:languageTerm", FD_X_LANGUAGE},
        {"m:abstract", FD_X_DESCRIPTION, "Abstract"},
        {"m:tableOfContents", FD_X_DESCRIPTION, "TableOfContents"},
        {"m:subject/m:topic", FD_X_SUBJECT, "@authority"},
        {"m:subject/m:geographic", FD_X_GEO},
        {"m:classification", FD_X_SUBJECT, "@authority"},
        {"m:accessCondition", FD_X_RIGHTS, .sub = rights},
        {"m:location/m:url[@access=raw object]", FD_X_DOWNLOAD},
        {"m:location/m:url", FD_X_PID},
        {"m:physicalDescription/m:extent", FD_X_SIZE},
        {"m:physicalDescription/m:internetMediaType", FD_X_FORMAT},
        {NULL},
};

static const struct fd_xrule mods_rules[] = {
        {".", FD_X_GROUP, .sub = fd_xrules_mods},
        /* a modsCollection: its records */
        {"m:mods", FD_X_GROUP, .sub = fd_xrules_mods},
        {NULL},
};

const struct fd_xformat fd_xformat_mods = {.name = "mods", .version = 2, .ns = mods_ns, .rules = mods_rules};

/* NL-DIDL: the top Item's URN:NBN and date, the MODS (or DC) of its
 * descriptive Item, the files of its objectFile Items with their access. */
static const struct fd_xrule didl_rules[] = {
        {"didl:Item/didl:Descriptor/didl:Statement/dii:Identifier", FD_X_PID},
        {"//m:mods", FD_X_GROUP, .sub = fd_xrules_mods},
        {"//oai_dc:dc", FD_X_GROUP, .sub = fd_xrules_dc},
        {"//didl:Item/didl:Descriptor/didl:Statement/dcterms:accessRights", FD_X_RIGHTS},
        {"//didl:Item/didl:Component/didl:Resource[@mimeType]/@ref", FD_X_DOWNLOAD},
        {NULL},
};

const struct fd_xformat fd_xformat_didl = {.name = "didl", .version = 2, .ns = mods_ns, .rules = didl_rules};

/* The Scholarly Works Application Profile's DC statements (epdcx, in
 * DSpace's SWORD packages): the property is an attribute, the value a
 * child or another attribute. */
#define EPDCX(prop) "//epdcx:statement[@epdcx:propertyURI=" prop "]"
#define DC11 "http://purl.org/dc/elements/1.1/"

static const char *const eprint_types[] = {
        "http://purl.org/eprint/type/JournalArticle", "JournalArticle", "http://purl.org/eprint/type/Book", "Book",
        "http://purl.org/eprint/type/BookItem", "BookChapter", "http://purl.org/eprint/type/Thesis", "Dissertation",
        "http://purl.org/eprint/type/ConferencePaper", "ConferencePaper", "http://purl.org/eprint/type/Report",
        "Report", "http://purl.org/eprint/type/WorkingPaper", "Preprint", NULL,
};

/* METS: the descriptive sections (MODS, DC, epdcx), the DFG viewer's
 * licence and links (amdSec/rightsMD, digiprovMD). */
static const struct fd_xrule mets_rules[] = {
        {EPDCX(DC11 "title") "/epdcx:valueString", FD_X_TITLE},
        {EPDCX("http://purl.org/dc/terms/abstract") "/epdcx:valueString", FD_X_DESCRIPTION, "Abstract"},
        {EPDCX(DC11 "creator") "/epdcx:valueString", FD_X_CREATOR},
        {EPDCX(DC11 "identifier") "/epdcx:valueString", FD_X_PID},
        {EPDCX(DC11 "language") "/epdcx:valueString", FD_X_LANGUAGE},
        {EPDCX(DC11 "type") "[@epdcx:vesURI=http://purl.org/eprint/terms/Type]/@epdcx:valueURI", FD_X_TYPE,
         .map = eprint_types},
        {EPDCX("http://purl.org/dc/terms/available") "/epdcx:valueString", FD_X_DATE, "available"},
        {"mets:dmdSec//m:mods", FD_X_GROUP, .sub = fd_xrules_mods},
        {"mets:dmdSec//oai_dc:dc", FD_X_GROUP, .sub = fd_xrules_dc},
        {"//dv:rights/dv:license", FD_X_RIGHTS},
        {"//dv:links/dv:presentation", FD_X_URL},
        {NULL},
};

const struct fd_xformat fd_xformat_mets = {.name = "mets", .version = 2, .ns = mods_ns, .rules = mets_rules};
