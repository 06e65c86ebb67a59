/* doaj.c: DOAJ articles (oai_doaj at https://doaj.org/oai.article, and the
 * doajArticles XML that publishers upload), elements in no namespace or in
 * http://doaj.org/features/oai_doaj/1.0/.
 *
 * title@language, abstract, authors/author (name, orcid_id), doi, issn,
 * eissn, publisher, publicationDate, fullTextUrl, keywords/keyword,
 * language, documentType, journalTitle (the journal the article is part
 * of).  DOAJ/doaj cms/pages/docs/xml.md.
 */
#include "../xmlmap.h"

static const struct fd_xrule author[] = {
        {"name", FD_S_NAME},
        {"orcid_id", FD_S_ID},
        {"orcidId", FD_S_ID},
        {NULL},
};

static const struct fd_xrule doaj_rules[] = {
        {"//title", FD_X_TITLE},
        {"//abstract", FD_X_DESCRIPTION, "Abstract"},
        {"//authors/author", FD_X_CREATOR, .sub = author},
        {"//doi", FD_X_PID, "doi"},
        {"//identifier[@type=doi]", FD_X_PID, "doi"},
        {"//issn", FD_X_PID, "issn"},
        {"//eissn", FD_X_PID, "issn"},
        {"//publisher", FD_X_PUBLISHER},
        {"//publicationDate", FD_X_DATE, "issued"},
        {"//fullTextUrl", FD_X_URL},
        {"//keywords/keyword", FD_X_SUBJECT},
        {"//keywords", FD_X_SUBJECT},
        {"//language", FD_X_LANGUAGE},
        {"//documentType", FD_X_TYPE},
        {"//journalTitle", FD_X_RELATED, "IsPartOf"},
        {"//license", FD_X_RIGHTS},
        {NULL},
};

const struct fd_xformat fd_xformat_doaj = {.name = "oai_doaj", .rules = doaj_rules};
