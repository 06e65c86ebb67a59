/* cerif.c: the OpenAIRE Guidelines for CRIS Managers (CERIF-XML,
 * oai_cerif_openaire, https://www.openaire.eu/cerif-profile/1.1/):
 * Publication, Product and Patent records.
 *
 * Type (a COAR URI, in a vocabulary namespace the element is rebound to),
 * Title and Subtitle, PublicationDate, DOI, Handle, URN, ISBN, ISSN, URL,
 * Authors/Author and Creators/Creator (DisplayName, Person/PersonName,
 * Person/ORCID, Affiliation/OrgUnit/Name), Editors, Publishers/Publisher,
 * Keyword, Subject@scheme, Abstract, Language, License, Access (COAR
 * access rights), Version, OriginatesFrom/Funding.  Steps are free of
 * namespace: DSpace-CRIS rebinds the prefix to vocabulary namespaces
 * element by element.  openaire/guidelines-cris-managers
 * docs/cris_elements_openaire.rst.
 */
#include "../xmlmap.h"

static const struct fd_xrule person[] = {
        {"DisplayName", FD_S_NAME},
        {"Person/PersonName/FamilyNames", FD_S_FAMILY},
        {"Person/PersonName/FirstNames", FD_S_GIVEN},
        {"Person/ORCID", FD_S_ID},
        {"Person/ResearcherID", FD_S_ID},
        {"Person/ISNI", FD_S_ID},
        {"OrgUnit/Name", FD_S_ORG},
        {"Affiliation/OrgUnit/Name", FD_S_AFFILIATION},
        {"Affiliation/OrgUnit/RORID", FD_S_AFFILIATION_ID},
        {NULL},
};

static const struct fd_xrule publisher[] = {
        {"DisplayName", FD_S_NAME},
        {"OrgUnit/Name", FD_S_ORG},
        {NULL},
};

static const struct fd_xrule funding[] = {
        {"Funding/Funder/OrgUnit/Name", FD_S_FUNDER},
        {"Funding/Identifier", FD_S_AWARD},
        {"Funding/Name", FD_S_AWARD_TITLE},
        {"Funding/Funder/OrgUnit/Identifier", FD_S_ID},
        {NULL},
};

static const struct fd_xrule cerif_rules[] = {
        {"Type", FD_X_TYPE},
        {"Title", FD_X_TITLE},
        {"Name", FD_X_TITLE},
        {"Subtitle", FD_X_TITLE, "Subtitle"},
        {"PublicationDate", FD_X_DATE, "issued"},
        {"RegistrationDate", FD_X_DATE, "submitted"},
        {"ApprovalDate", FD_X_DATE, "issued"},
        {"DOI", FD_X_PID, "doi"},
        {"Handle", FD_X_PID, "handle"},
        {"URN", FD_X_PID, "urn"},
        {"ARK", FD_X_PID, "ark"},
        {"ISBN", FD_X_PID, "isbn"},
        {"ISSN", FD_X_PID, "issn"},
        {"PatentNumber", FD_X_PID},
        {"URL", FD_X_URL},
        {"Authors/Author", FD_X_CREATOR, .sub = person},
        {"Creators/Creator", FD_X_CREATOR, .sub = person},
        {"Inventors/Inventor", FD_X_CREATOR, .sub = person},
        {"Editors/Editor", FD_X_CONTRIBUTOR, "Editor", .sub = person},
        {"Publishers/Publisher", FD_X_PUBLISHER, .sub = publisher},
        {"Issuer", FD_X_PUBLISHER, .sub = publisher},
        {"Keyword", FD_X_SUBJECT},
        {"Subject", FD_X_SUBJECT, "@scheme"},
        {"Abstract", FD_X_DESCRIPTION, "Abstract"},
        {"Description", FD_X_DESCRIPTION},
        {"Language", FD_X_LANGUAGE},
        {"License", FD_X_RIGHTS},
        {"Access", FD_X_RIGHTS},
        {"Version", FD_X_VERSION},
        {"VersionInfo", FD_X_VERSION},
        {"OriginatesFrom", FD_X_FUNDING, .sub = funding},
        {NULL},
};

const struct fd_xformat fd_xformat_cerif = {.name = "oai_cerif_openaire", .version = 2, .rules = cerif_rules};
