/* ddi.c: DDI-Codebook 2.x (ddi:codebook:2_5, http://www.icpsr.umich.edu/DDI),
 * the study description as CESSDA archives and Dataverse serve it.
 *
 * stdyDscr/citation: titlStmt (titl, parTitl, IDNo@agency), rspStmt/AuthEnty
 * (@affiliation), prodStmt (producer, prodDate, fundAg, grantNo@agency),
 * distStmt (distrbtr, distDate@date), verStmt/version, holdings@URI;
 * stdyInfo: subject/keyword and topcClas (@vocab, @vocabURI), abstract,
 * sumDscr (geogCover, nation, geoBndBox); dataAccs: useStmt (restrctn,
 * conditions, confDec, specPerm) and setAvail/avlStatus.  docDscr (the
 * description of the document itself) is not the study.  The paths are
 * the CESSDA Data Catalogue profile's (cdc_25_profile).
 */
#include <strings.h>

#include "../xmlmap.h"

static const struct fd_xrule agent[] = {
        {".", FD_S_NAME},
        {"@affiliation", FD_S_AFFILIATION},
        {NULL},
};

static const struct fd_xrule dated[] = {
        {"@date", FD_S_VALUE},
        {NULL},
};

static const struct fd_xrule keyword[] = {
        {"@vocab", FD_S_SCHEME},
        {"@vocabURI", FD_S_URI},
        {NULL},
};

static const struct fd_xrule grant[] = {
        {"@agency", FD_S_FUNDER},
        {".", FD_S_AWARD},
        {NULL},
};

static const struct fd_xrule box[] = {
        {"westBL", FD_S_WEST},
        {"eastBL", FD_S_EAST},
        {"southBL", FD_S_SOUTH},
        {"northBL", FD_S_NORTH},
        {NULL},
};

/* An AuthEnty: the authors written once per language (FSD's Finnish and
 * English names of one office) are one author each; those in another
 * language than the first AuthEnty's are its translations. */
static enum fd_status ddi_author(struct fd_xwalk *w, const struct fd_xnode *n, char *v) {
        const char *lang = fd_xnode_lang(n), *first = NULL;

        for (const struct fd_xnode *c = n->parent->child; c; c = c->next)
                if (!strcmp(c->name, "AuthEnty")) {
                        first = fd_xnode_lang(c);
                        break;
                }
        if (first && lang && strcasecmp(first, lang) != 0)
                return FD_OK;
        return fd_xmap_add_agent(w, false, v, fd_xnode_attr(n, NULL, "affiliation"), NULL);
}

#define CIT "stdyDscr/citation/"

static const struct fd_xrule ddi_rules[] = {
        {CIT "titlStmt/titl", FD_X_TITLE},
        {CIT "titlStmt/parTitl", FD_X_TITLE, "TranslatedTitle"},
        {CIT "titlStmt/altTitl", FD_X_TITLE, "AlternativeTitle"},
        {CIT "titlStmt/IDNo", FD_X_PID, "@agency"},
        {CIT "rspStmt/AuthEnty", FD_X_CALL, .call = ddi_author},
        {CIT "prodStmt/producer", FD_X_CONTRIBUTOR, "Producer", .sub = agent},
        {CIT "prodStmt/prodDate", FD_X_DATE, "created", .sub = dated},
        {CIT "prodStmt/fundAg", FD_X_FUNDING},
        {CIT "prodStmt/grantNo", FD_X_FUNDING, .sub = grant},
        {CIT "distStmt/distrbtr", FD_X_PUBLISHER},
        {CIT "distStmt/distDate", FD_X_DATE, "issued", .sub = dated},
        {CIT "distStmt/contact", FD_X_CONTRIBUTOR, "ContactPerson", .sub = agent},
        {CIT "verStmt/version", FD_X_VERSION},
        {CIT "holdings/@URI", FD_X_PID},
        {"stdyDscr/stdyInfo/subject/keyword", FD_X_SUBJECT, .sub = keyword},
        {"stdyDscr/stdyInfo/subject/topcClas", FD_X_SUBJECT, .sub = keyword},
        {"stdyDscr/stdyInfo/abstract", FD_X_DESCRIPTION, "Abstract"},
        {"stdyDscr/stdyInfo/sumDscr/geogCover", FD_X_GEO},
        {"stdyDscr/stdyInfo/sumDscr/nation", FD_X_GEO},
        {"stdyDscr/stdyInfo/sumDscr/geoBndBox", FD_X_GEO, .sub = box},
        {"stdyDscr/dataAccs/useStmt/restrctn", FD_X_RIGHTS},
        {"stdyDscr/dataAccs/useStmt/conditions", FD_X_RIGHTS},
        {"stdyDscr/dataAccs/useStmt/confDec", FD_X_RIGHTS},
        {"stdyDscr/dataAccs/setAvail/avlStatus", FD_X_RIGHTS},
        {"stdyDscr/dataAccs/typeOfAccess", FD_X_RIGHTS},
        {"fileDscr/fileTxt/fileType", FD_X_FORMAT},
        {NULL},
};

const struct fd_xformat fd_xformat_ddi = {.name = "ddi", .version = 2, .rules = ddi_rules, .default_type = "Dataset"};
