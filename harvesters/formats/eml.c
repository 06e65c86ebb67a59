/* eml.c: Ecological Metadata Language 2.x (eml://ecoinformatics.org/eml-2.1.1,
 * https://eml.ecoinformatics.org/eml-2.2.0), as GBIF's IPT and the LTER and
 * DataONE repositories serve it.
 *
 * @packageId and dataset/alternateIdentifier (DOIs), dataset/title (with
 * 2.2's i18n value children), creator and associatedParty (individualName
 * givenName/surName, organizationName, userId@directory for ORCID, role),
 * pubDate, language, abstract/para, keywordSet/keyword, intellectualRights
 * (para, ulink@url) and 2.2's licensed (licenseName, url, identifier),
 * coverage/geographicCoverage, publisher, distribution/online/url, the
 * data entities' files and formats, and project funding / 2.2's award.
 * NCEAS docs/eml-220info.md and eml-dublinCore.html.
 */
#include "../xmlmap.h"

static const struct fd_xrule party[] = {
        {"individualName/givenName", FD_S_GIVEN},
        {"individualName/surName", FD_S_FAMILY},
        {"organizationName", FD_S_ORG},
        {"positionName", FD_S_ORG},
        {"userId", FD_S_ID},
        {"role", FD_S_ROLE},
        {NULL},
};

static const struct fd_xrule paras[] = {
        {".", FD_S_VALUE},
        {"//para", FD_S_VALUE},
        {"//ulink/@url", FD_S_URI},
        {NULL},
};

static const struct fd_xrule licensed[] = {
        {"url", FD_S_URI},
        {"identifier", FD_S_URI},
        {"licenseName", FD_S_VALUE},
        {NULL},
};

static const struct fd_xrule geo[] = {
        {"geographicDescription", FD_S_VALUE},
        {"boundingCoordinates/westBoundingCoordinate", FD_S_WEST},
        {"boundingCoordinates/eastBoundingCoordinate", FD_S_EAST},
        {"boundingCoordinates/southBoundingCoordinate", FD_S_SOUTH},
        {"boundingCoordinates/northBoundingCoordinate", FD_S_NORTH},
        {NULL},
};

static const struct fd_xrule award[] = {
        {"funderName", FD_S_FUNDER},
        {"funderIdentifier", FD_S_ID},
        {"awardNumber", FD_S_AWARD},
        {"title", FD_S_AWARD_TITLE},
        {NULL},
};

static const struct fd_xrule publisher[] = {
        {"organizationName", FD_S_ORG},
        {"individualName/surName", FD_S_NAME},
        {NULL},
};

static const char *const roles[] = {
        "principalInvestigator", "ProjectLeader", "custodianSteward", "DataCurator", "author", "Creator",
        "editor", "Editor", "contentProvider", "DataCollector", "pointOfContact", "ContactPerson", NULL,
};

static const struct fd_xrule eml_rules[] = {
        {"@packageId", FD_X_PID},
        {"dataset/alternateIdentifier", FD_X_PID},
        {"dataset/title", FD_X_TITLE},
        {"dataset/title/value", FD_X_TITLE},
        {"dataset/creator", FD_X_CREATOR, .sub = party},
        {"dataset/associatedParty", FD_X_AGENT, .sub = party, .map = roles},
        {"dataset/contact", FD_X_CONTRIBUTOR, "ContactPerson", .sub = party},
        {"dataset/pubDate", FD_X_DATE, "issued"},
        {"dataset/language", FD_X_LANGUAGE},
        {"dataset/abstract", FD_X_DESCRIPTION, "Abstract", .sub = paras},
        {"dataset/keywordSet/keyword", FD_X_SUBJECT},
        {"dataset/intellectualRights", FD_X_RIGHTS, .sub = paras},
        {"dataset/licensed", FD_X_RIGHTS, .sub = licensed},
        {"dataset/coverage/geographicCoverage", FD_X_GEO, .sub = geo},
        {"dataset/publisher", FD_X_PUBLISHER, .sub = publisher},
        {"dataset/distribution/online/url", FD_X_URL},
        {"dataset/*/physical/distribution/online/url", FD_X_DOWNLOAD},
        {"dataset/*/physical/dataFormat/externallyDefinedFormat/formatName", FD_X_FORMAT},
        {"dataset/project/award", FD_X_FUNDING, .sub = award},
        {"dataset/project/funding/para", FD_X_FUNDING},
        {NULL},
};

const struct fd_xformat fd_xformat_eml = {.name = "eml", .rules = eml_rules, .default_type = "Dataset"};
