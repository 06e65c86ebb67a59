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
#include <strings.h>

#include "../xmlmap.h"

/* Whether an element named relation (OLAC-DcmiTerms relation, isReferencedBy…)
 * under n points at the proxy id with its ref attribute. */
static bool referenced_as_relation(const struct fd_xnode *n, const char *id) {
        for (const struct fd_xnode *c = n->child; c; c = c->next) {
                const char *ref = fd_xnode_attr(c, NULL, "ref");
                if (ref && strcmp(ref, id) == 0 && c->child == NULL && strcasestr(c->name, "relation"))
                        return true;
                if (referenced_as_relation(c, id))
                        return true;
        }
        return false;
}

/* A ResourceProxy's ResourceRef: a landing page, or the resource itself.  A
 * landing page that the components name as a relation (IDS Mannheim's
 * OLAC relation ref="…" to the article a corpus accompanies) is that
 * related resource, not the record's own identifier. */
static enum fd_status cmdi_proxy(struct fd_xwalk *w, const struct fd_xnode *n, char *v) {
        const char *type = NULL, *id = fd_xnode_attr(n->parent, NULL, "id");

        for (const struct fd_xnode *c = n->parent->child; c; c = c->next)
                if (strcmp(c->name, "ResourceType") == 0)
                        type = c->text;
        if (type && strstr(type, "LandingPage") && id) {
                for (const struct fd_xnode *c = w->root->child; c; c = c->next)
                        if (!strcmp(c->name, "Components") && referenced_as_relation(c, id))
                                return fd_record_add_related(w->r, w->a, v, FD_PID_NONE, "References");
        }
        if (type && strstr(type, "LandingPage"))
                return fd_xmap_add_pid(w, v, NULL);
        if (type && strstr(type, "Resource") && !strstr(type, "Metadata"))
                return fd_record_add_url(w->r, w->a, v, true);
        return FD_OK;
}

/* A code the element says is ISO 639-3 (LexicalResourceProfile's
 * iso-639-3-code), or an IMDI "ISO639-3:xxx" */
static enum fd_status cmdi_iso639_3(struct fd_xwalk *w, const struct fd_xnode *n, char *v) {
        (void)n;
        if (strncasecmp(v, "ISO639-3:", 9) == 0)
                return fd_record_add_language(w->r, w->a, v);
        return fd_record_add_language(w->r, w->a, fd_arena_printf(w->scratch, "ISO639-3:%s", v));
}

/* An IMDI/lat-session Actor: its Role says whether it made the resource
 * (collector, researcher, recorder, author) or took part in it. */
static enum fd_status cmdi_actor(struct fd_xwalk *w, const struct fd_xnode *n, char *v) {
        const char *role = NULL;
        static const char *const makers[] = {"collector", "researcher", "recorder", "author", "annotator", NULL};
        bool maker = false;

        for (const struct fd_xnode *c = n->parent->child; c; c = c->next)
                if (!strcmp(c->name, "Role"))
                        role = c->text;
        for (size_t i = 0; role && makers[i]; i++)
                maker |= strcasestr(role, makers[i]) != NULL;
        return fd_xmap_add_agent(w, !maker, v, NULL, "Other");
}

/* META-SHARE's resourceType */
static const char *const types[] = {
        "corpus", "Dataset", "lexicalConceptualResource", "Dataset", "languageDescription", "Dataset",
        "toolService", "Software", "lexicon", "Dataset", NULL,
};

/* META-SHARE's personInfo (surname, givenName) and organizationInfo */
static const struct fd_xrule ms_person[] = {
        {"surname", FD_S_FAMILY},
        {"givenName", FD_S_GIVEN},
        {"organizationName", FD_S_ORG},
        {NULL},
};

static const struct fd_xrule cmdi_rules[] = {
        {"Header/MdSelfLink", FD_X_PID},
        {"Resources/ResourceProxyList/ResourceProxy/ResourceRef", FD_X_CALL, .call = cmdi_proxy},
        {"Components//title", FD_X_TITLE},
        {"Components//Title", FD_X_TITLE},
        {"Components//resourceName", FD_X_TITLE},
        {"Components//ResourceTitle", FD_X_TITLE},
        {"Components//ResourceName", FD_X_TITLE},
        {"Components//description", FD_X_DESCRIPTION},
        {"Components//Description", FD_X_DESCRIPTION},
        {"Components//creator", FD_X_CREATOR},
        {"Components//resourceCreator/personInfo", FD_X_CREATOR, .sub = ms_person},
        {"Components//resourceCreator/organizationInfo", FD_X_CREATOR, .sub = ms_person},
        {"Components//resourceCreatorPerson/personInfo", FD_X_CREATOR, .sub = ms_person},
        {"Components//resourceCreatorOrganization/organizationInfo", FD_X_CREATOR, .sub = ms_person},
        {"Components//Creators/Creator/Contact/Person", FD_X_CREATOR},
        {"Components//Actors/Actor/Name", FD_X_CALL, .call = cmdi_actor},
        {"Components//contributor", FD_X_CONTRIBUTOR},
        {"Components//publisher", FD_X_PUBLISHER},
        {"Components//identifier", FD_X_PID},
        {"Components//language", FD_X_LANGUAGE},
        {"Components//languageId", FD_X_LANGUAGE},
        {"Components//ISO639/iso-639-3-code", FD_X_CALL, .call = cmdi_iso639_3},
        {"Components//Language/Id", FD_X_LANGUAGE},
        {"Components//Content_Language/Id", FD_X_LANGUAGE},
        {"Components//subject", FD_X_SUBJECT},
        {"Components//keyword", FD_X_SUBJECT},
        {"Components//date", FD_X_DATE},
        {"Components//created", FD_X_DATE, "created"},
        {"Components//issued", FD_X_DATE, "issued"},
        {"Components//Date", FD_X_DATE},
        {"Components//GeneralInfo/PublicationDate", FD_X_DATE, "issued"},
        {"Components//licence", FD_X_RIGHTS},
        {"Components//Licence", FD_X_RIGHTS},
        {"Components//Licence/@src", FD_X_RIGHTS},
        {"Components//license", FD_X_RIGHTS},
        {"Components//rights", FD_X_RIGHTS},
        {"Components//availability", FD_X_RIGHTS},
        {"Components//type", FD_X_TYPE, .map = types},
        {"Components//resourceType", FD_X_TYPE, .map = types},
        {"Components//ResourceClass", FD_X_TYPE, .map = types},
        {"Components//format", FD_X_FORMAT},
        {NULL},
};

const struct fd_xformat fd_xformat_cmdi = {.name = "cmdi", .version = 2, .rules = cmdi_rules};
