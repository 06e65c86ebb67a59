/* iso.c: ISO 19115 geographic metadata, in ISO 19139 XML (gmd:MD_Metadata,
 * gmi:MI_Metadata, INSPIRE, GeoNetwork) and ISO 19115-3 (mdb:MD_Metadata).
 *
 * The two encodings share their element names where it matters here
 * (identificationInfo/ * /citation/CI_Citation/title, abstract,
 * descriptiveKeywords/MD_Keywords/keyword, resourceConstraints/
 * MD_LegalConstraints/otherConstraints and useLimitation, extent's
 * EX_GeographicBoundingBox, CI_Date with its CI_DateTypeCode), so one table
 * with namespace-free steps reads both; where they differ both paths are
 * listed: 19139's fileIdentifier, CI_ResponsibleParty (individualName,
 * organisationName, role) and hierarchyLevel against 19115-3's
 * metadataIdentifier, CI_Responsibility (party/CI_Individual|CI_Organisation,
 * partyIdentifier) and metadataScope.  Values sit in gco:CharacterString
 * or gmx:Anchor (whose xlink:href is a URI worth keeping), translations in
 * PT_FreeText/ * /LocalisedCharacterString@locale.
 */
#include "../xmlmap.h"

static const char *const date_types[] = {
        "publication", "issued", "creation", "created", "revision", "updated", "lastUpdate", "updated",
        "released", "available", NULL,
};

static const char *const roles[] = {
        "author", "Creator", "originator", "Creator", "principalInvestigator", "Creator", "coAuthor", "Creator",
        "publisher", "Publisher", "custodian", "DataCurator", "distributor", "Distributor", "pointOfContact",
        "ContactPerson", "resourceProvider", "Distributor", "owner", "RightsHolder", "rightsHolder",
        "RightsHolder", "processor", "DataCollector", "editor", "Editor", "funder", "Sponsor", "sponsor",
        "Sponsor", "collaborator", "Other", "contributor", "Other", "user", "Other", "stakeholder", "Other",
        NULL,
};

static const char *const scopes[] = {
        "dataset", "Dataset", "series", "Collection", "service", "Service", "software", "Software",
        "nonGeographicDataset", "Dataset", "model", "Model", "collectionSession", "Collection", "document",
        "Text", NULL,
};

static const struct fd_xrule date[] = {
        {"date/Date", FD_S_VALUE},
        {"date/DateTime", FD_S_VALUE},
        {"dateType/CI_DateTypeCode/@codeListValue", FD_S_TYPE},
        {NULL},
};

#define STR(path) path "/CharacterString"
#define ANCHOR(path) path "/Anchor"

static const struct fd_xrule party[] = {
        {STR("individualName"), FD_S_NAME},
        {ANCHOR("individualName"), FD_S_NAME},
        {ANCHOR("individualName") "/@xlink:href", FD_S_ID},
        {STR("organisationName"), FD_S_ORG},
        {ANCHOR("organisationName"), FD_S_ORG},
        {"role/CI_RoleCode/@codeListValue", FD_S_ROLE},
        {STR("party/CI_Individual/name"), FD_S_NAME},
        {STR("party/CI_Organisation/individual/CI_Individual/name"), FD_S_NAME},
        {STR("party/CI_Organisation/name"), FD_S_ORG},
        {STR("//partyIdentifier/MD_Identifier/code"), FD_S_ID},
        {NULL},
};

static const struct fd_xrule keyword[] = {
        {"CharacterString", FD_S_VALUE},
        {"Anchor", FD_S_VALUE},
        {"Anchor/@xlink:href", FD_S_URI},
        {NULL},
};

static const struct fd_xrule anchored[] = {
        {"CharacterString", FD_S_VALUE},
        {"Anchor", FD_S_VALUE},
        {"Anchor/@xlink:href", FD_S_URI},
        /* a licence written as a code ("CC-By 4.0", data.marine.ie) */
        {"MD_ClassificationCode", FD_S_VALUE},
        {NULL},
};

static const struct fd_xrule box[] = {
        {"westBoundLongitude/Decimal", FD_S_WEST},
        {"eastBoundLongitude/Decimal", FD_S_EAST},
        {"southBoundLatitude/Decimal", FD_S_SOUTH},
        {"northBoundLatitude/Decimal", FD_S_NORTH},
        {NULL},
};

#define ID "identificationInfo/*/"
#define CIT ID "citation/CI_Citation/"

static const struct fd_xrule iso_rules[] = {
        {STR("fileIdentifier"), FD_X_PID},
        {STR("metadataIdentifier/MD_Identifier/code"), FD_X_PID},
        {"hierarchyLevel/MD_ScopeCode/@codeListValue", FD_X_TYPE, .map = scopes},
        {"metadataScope/MD_MetadataScope/resourceScope/MD_ScopeCode/@codeListValue", FD_X_TYPE, .map = scopes},
        {STR(CIT "title"), FD_X_TITLE},
        {ANCHOR(CIT "title"), FD_X_TITLE},
        {CIT "title/PT_FreeText/textGroup/LocalisedCharacterString", FD_X_TITLE},
        {STR(CIT "alternateTitle"), FD_X_TITLE, "AlternativeTitle"},
        /* a CI_Date without its (mandatory) dateType says nothing of what
         * the date is: "other", never the publication date */
        {CIT "date/CI_Date", FD_X_DATE, "other", .sub = date, .map = date_types},
        {STR(CIT "identifier/*/code"), FD_X_PID},
        {ANCHOR(CIT "identifier/*/code"), FD_X_PID},
        {STR(CIT "edition"), FD_X_VERSION},
        {CIT "citedResponsibleParty/*", FD_X_AGENT, "Other", .sub = party, .map = roles},
        {ID "pointOfContact/*", FD_X_AGENT, "ContactPerson", .sub = party, .map = roles},
        {STR(ID "abstract"), FD_X_DESCRIPTION, "Abstract"},
        {ID "abstract/PT_FreeText/textGroup/LocalisedCharacterString", FD_X_DESCRIPTION, "Abstract"},
        {ID "descriptiveKeywords/MD_Keywords/keyword", FD_X_SUBJECT, .sub = keyword},
        {ID "topicCategory/MD_TopicCategoryCode", FD_X_SUBJECT, "ISO 19115 topic category"},
        {ID "language/LanguageCode/@codeListValue", FD_X_LANGUAGE},
        {STR(ID "language"), FD_X_LANGUAGE},
        {ID "defaultLocale/PT_Locale/language/LanguageCode/@codeListValue", FD_X_LANGUAGE},
        {ID "resourceConstraints/*/useLimitation", FD_X_RIGHTS, .sub = anchored},
        {ID "resourceConstraints/*/otherConstraints", FD_X_RIGHTS, .sub = anchored},
        {ID "resourceConstraints/*/reference/CI_Citation/title", FD_X_RIGHTS, .sub = anchored},
        {ID "extent//EX_GeographicBoundingBox", FD_X_GEO, .sub = box},
        /* the temporal extent as coverage dates (an end without a date,
         * indeterminatePosition="now", is left open) */
        {ID "extent//EX_TemporalExtent/extent/TimePeriod/beginPosition", FD_X_DATE, "coverage-start"},
        {ID "extent//EX_TemporalExtent/extent/TimePeriod/endPosition", FD_X_DATE, "coverage-end"},
        {ID "extent/EX_Extent/description/CharacterString", FD_X_GEO},
        {"distributionInfo//distributionFormat/MD_Format/formatSpecificationCitation/CI_Citation/title/CharacterString",
         FD_X_FORMAT},
        {STR("distributionInfo//distributionFormat/MD_Format/name"), FD_X_FORMAT},
        {"distributionInfo//onLine/CI_OnlineResource/linkage/URL", FD_X_URL},
        {STR("distributionInfo//onLine/CI_OnlineResource/linkage"), FD_X_URL},
        {NULL},
};

/* The metadata's own language (19139 MD_Metadata/language, 19115-3
 * MD_Metadata/defaultLocale) stands for the resource's when the resource
 * gives none, as services (SV_ServiceIdentification has no language) do. */
static enum fd_status metadata_language(struct fd_xwalk *w) {
        if (w->r->languages.n)
                return FD_OK;
        for (const struct fd_xnode *c = w->root->child; c; c = c->next) {
                const struct fd_xnode *code = NULL;
                if (!strcmp(c->name, "language"))
                        code = c->child;
                else if (!strcmp(c->name, "defaultLocale") && c->child && c->child->child)
                        for (const struct fd_xnode *l = c->child->child; l; l = l->next)
                                if (!strcmp(l->name, "language"))
                                        code = l->child;
                if (!code)
                        continue;
                const char *v = fd_xnode_attr(code, NULL, "codeListValue");
                enum fd_status st = fd_record_add_language(w->r, w->a, v && *v ? v : code->text);
                if (st != FD_OK || w->r->languages.n)
                        return st;
        }
        return FD_OK;
}

/* A record without hierarchyLevel (19139) or metadataScope (19115-3)
 * describes a dataset, the standards' default scope. */
const struct fd_xformat fd_xformat_iso19139 = {.name = "iso19139", .version = 2, .rules = iso_rules,
                                               .default_type = "Dataset", .finish = metadata_language};
const struct fd_xformat fd_xformat_iso19115_3 = {.name = "iso19115-3", .version = 2, .rules = iso_rules,
                                                 .default_type = "Dataset", .finish = metadata_language};
