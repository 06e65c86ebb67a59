/* re3data.c: re3data.org repository descriptions (schema 2.2 and 3.0,
 * doi:10.2312/re3.006), indexed as records of type Service so that the
 * infrastructures are found in the same search as their data.
 *
 * repositoryName and additionalName, the re3data identifier (3.0:
 * identifiers/re3data and identifiers/doi), repositoryURL, description,
 * institution names (the creators), subject@subjectScheme and keyword,
 * repositoryLanguage, startDate, size, dataLicense (name, URL), the
 * database and data access types, and the API endpoints (2.2 api, 3.0
 * api/apiUrl) as identifiers of type url, so that a configured source
 * whose base URL is one of them is linked to the description (the
 * `related` op, daemon/ops/re3data.c).  https://www.re3data.org/schema/2-2.
 */
#include "../xmlmap.h"

static enum fd_status r3d_service(struct fd_xwalk *w) { return fd_xmap_consider_type(w, "Service"); }

static const char *const access_types[] = {
        "open", "info:eu-repo/semantics/openAccess", "restricted", "info:eu-repo/semantics/restrictedAccess",
        "closed", "info:eu-repo/semantics/closedAccess", "embargoed", "info:eu-repo/semantics/embargoedAccess",
        NULL,
};

static const struct fd_xrule licence[] = {
        {"dataLicenseName", FD_S_VALUE},
        {"dataLicenseURL", FD_S_URI},
        {NULL},
};

static const struct fd_xrule institution[] = {
        {"institutionName", FD_S_NAME},
        {NULL},
};

#define R "repository/"

static const struct fd_xrule re3data_rules[] = {
        {R "repositoryName", FD_X_TITLE},
        {R "additionalName", FD_X_TITLE, "AlternativeTitle"},
        {R "re3data.orgIdentifier", FD_X_PID, "re3data"},
        {R "identifiers/re3data", FD_X_PID, "re3data"},
        {R "identifiers/doi", FD_X_PID, "doi"},
        {R "repositoryURL", FD_X_URL},
        {R "api", FD_X_PID, "url"},
        {R "api/apiUrl", FD_X_PID, "url"},
        {R "description", FD_X_DESCRIPTION, "Abstract"},
        {R "institution", FD_X_CREATOR, .sub = institution},
        {R "subject", FD_X_SUBJECT, "@subjectScheme"},
        {R "keyword", FD_X_SUBJECT},
        {R "repositoryLanguage", FD_X_LANGUAGE},
        {R "startDate", FD_X_DATE, "created"},
        {R "size", FD_X_SIZE},
        {R "dataLicense", FD_X_RIGHTS, .sub = licence},
        {R "databaseAccess/databaseAccessType", FD_X_RIGHTS, .map = access_types},
        {NULL},
};

const struct fd_xformat fd_xformat_re3data = {.name = "re3data", .version = 2, .rules = re3data_rules,
                                              .finish = r3d_service};
