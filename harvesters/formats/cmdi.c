/* cmdi.c: CLARIN's Component Metadata (CMDI 1.1, http://www.clarin.eu/cmd/,
 * and 1.2, http://www.clarin.eu/cmd/1, with the payload in a profile
 * namespace).
 *
 * The envelope is fixed: Header/MdSelfLink (the record's PID) and
 * Resources/ResourceProxyList/ResourceProxy (ResourceType LandingPage or
 * Resource, ResourceRef a handle or URL).  Everything else lives in
 * profile-specific Components; the elements that the Virtual Language
 * Observatory's facets read across the common profiles (OLAC-DcmiTerms,
 * META-SHARE, LAT session, lexical resources) are matched by local name
 * at any depth.  clarin-eric/awesome-cmdi; cmdi-toolkit wiki.
 */
#include "../xmlmap.h"

/* A ResourceProxy's ResourceRef: a landing page, or the resource itself. */
static enum fd_status cmdi_proxy(struct fd_xwalk *w, const struct fd_xnode *n, char *v) {
        const char *type = NULL;

        for (const struct fd_xnode *c = n->parent->child; c; c = c->next)
                if (strcmp(c->name, "ResourceType") == 0)
                        type = c->text;
        if (type && strstr(type, "LandingPage"))
                return fd_xmap_add_pid(w, v, NULL);
        if (type && strstr(type, "Resource") && !strstr(type, "Metadata"))
                return fd_record_add_url(w->r, w->a, v, true);
        return FD_OK;
}

/* META-SHARE's resourceType */
static const char *const types[] = {
        "corpus", "Dataset", "lexicalConceptualResource", "Dataset", "languageDescription", "Dataset",
        "toolService", "Software", "lexicon", "Dataset", NULL,
};

static const struct fd_xrule cmdi_rules[] = {
        {"Header/MdSelfLink", FD_X_PID},
        {"Resources/ResourceProxyList/ResourceProxy/ResourceRef", FD_X_CALL, .call = cmdi_proxy},
        {"Components//title", FD_X_TITLE},
        {"Components//Title", FD_X_TITLE},
        {"Components//resourceName", FD_X_TITLE},
        {"Components//ResourceName", FD_X_TITLE},
        {"Components//description", FD_X_DESCRIPTION},
        {"Components//Description", FD_X_DESCRIPTION},
        {"Components//creator", FD_X_CREATOR},
        {"Components//contributor", FD_X_CONTRIBUTOR},
        {"Components//publisher", FD_X_PUBLISHER},
        {"Components//identifier", FD_X_PID},
        {"Components//language", FD_X_LANGUAGE},
        {"Components//languageId", FD_X_LANGUAGE},
        {"Components//ISO639/iso-639-3-code", FD_X_LANGUAGE},
        {"Components//Language/Id", FD_X_LANGUAGE},
        {"Components//subject", FD_X_SUBJECT},
        {"Components//keyword", FD_X_SUBJECT},
        {"Components//date", FD_X_DATE},
        {"Components//created", FD_X_DATE, "created"},
        {"Components//issued", FD_X_DATE, "issued"},
        {"Components//Date", FD_X_DATE},
        {"Components//licence", FD_X_RIGHTS},
        {"Components//license", FD_X_RIGHTS},
        {"Components//rights", FD_X_RIGHTS},
        {"Components//availability", FD_X_RIGHTS},
        {"Components//type", FD_X_TYPE, .map = types},
        {"Components//resourceType", FD_X_TYPE, .map = types},
        {"Components//format", FD_X_FORMAT},
        {NULL},
};

const struct fd_xformat fd_xformat_cmdi = {.name = "cmdi", .rules = cmdi_rules};
