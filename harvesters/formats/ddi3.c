/* ddi3.c: the study-level part of DDI-Lifecycle 3.x (ddi:instance:3_2,
 * StudyUnit), as GESIS and other CESSDA archives export it.
 *
 * StudyUnit/r:Citation: Title, AlternateTitle, Creator (a CreatorName, or
 * a CreatorReference to an a:Individual or a:Organization elsewhere in the
 * instance, resolved by its r:ID), Publisher (name or reference),
 * Contributor with its role, PublicationDate/SimpleDate,
 * InternationalIdentifier (IdentifierContent with its ManagingAgency),
 * Language, Copyright; r:Abstract; r:Coverage/r:TopicalCoverage's Subject
 * and Keyword with their code list.  The instance's own Citation (the
 * documentation's) is not the study's.  ddialliance/DDI-Lifecycle-Technical-
 * Guide, "Citation and Coverage".
 */
#include "../xmlmap.h"

static const struct fd_xnode *child_named(const struct fd_xnode *n, const char *name) {
        for (const struct fd_xnode *c = n->child; c; c = c->next)
                if (strcmp(c->name, name) == 0)
                        return c;
        return NULL;
}

/* The first element named name at or below n (depth first). */
static const struct fd_xnode *find_named(const struct fd_xnode *n, const char *name) {
        if (strcmp(n->name, name) == 0)
                return n;
        for (const struct fd_xnode *c = n->child; c; c = c->next) {
                const struct fd_xnode *f = find_named(c, name);
                if (f)
                        return f;
        }
        return NULL;
}

/* Whether raw text is v with white space around it. */
static bool text_is(const char *raw, const char *v) {
        size_t n = strlen(v);

        raw += strspn(raw, " \t\r\n");
        return strncmp(raw, v, n) == 0 && raw[n + strspn(raw + n, " \t\r\n")] == '\0';
}

/* The Individual or Organization whose r:ID is id. */
static const struct fd_xnode *find_maintainable(const struct fd_xnode *n, const char *id) {
        if (!strcmp(n->name, "Individual") || !strcmp(n->name, "Organization")) {
                const struct fd_xnode *i = child_named(n, "ID");
                return i && i->text && text_is(i->text, id) ? n : NULL;
        }
        for (const struct fd_xnode *c = n->child; c; c = c->next) {
                const struct fd_xnode *f = find_maintainable(c, id);
                if (f)
                        return f;
        }
        return NULL;
}

/* The name of the party a reference's r:ID points to, or NULL. */
static const char *referenced_name(struct fd_xwalk *w, const char *id) {
        const struct fd_xnode *party = find_maintainable(w->root, id);
        const struct fd_xnode *name = NULL, *s;

        if (party)
                name = !strcmp(party->name, "Individual") ? find_named(party, "FullName")
                                                           : find_named(party, "OrganizationName");
        if (!name && party)
                name = find_named(party, "IndividualName");
        s = name ? find_named(name, "String") : NULL;
        return s && s->text ? s->text : NULL;
}

static enum fd_status ddi3_creator_ref(struct fd_xwalk *w, const struct fd_xnode *n, char *id) {
        const char *name = referenced_name(w, id);
        (void)n;
        return name ? fd_record_add_agent(w->r, w->a, false, name, NULL, NULL, NULL, NULL) : FD_OK;
}

static enum fd_status ddi3_publisher_ref(struct fd_xwalk *w, const struct fd_xnode *n, char *id) {
        const char *name = referenced_name(w, id);
        (void)n;
        if (name && !w->r->publisher && !(w->r->publisher = fd_text_clean_in(w->a, name)))
                return FD_E_LIMIT;
        return FD_OK;
}

static const struct fd_xrule contributor[] = {
        {"ContributorName/String", FD_S_NAME},
        {"ContributorRole", FD_S_ROLE},
        {NULL},
};

static const struct fd_xrule identifier[] = {
        {"IdentifierContent", FD_S_VALUE},
        {"ManagingAgency", FD_S_TYPE},
        {NULL},
};

static const struct fd_xrule study[] = {
        {"Citation/Title/String", FD_X_TITLE},
        {"Citation/AlternateTitle/String", FD_X_TITLE, "AlternativeTitle"},
        {"Citation/Creator/CreatorName/String", FD_X_CREATOR},
        {"Citation/Creator/CreatorReference/ID", FD_X_CALL, .call = ddi3_creator_ref},
        {"Citation/Publisher/PublisherName/String", FD_X_PUBLISHER},
        {"Citation/Publisher/PublisherReference/ID", FD_X_CALL, .call = ddi3_publisher_ref},
        {"Citation/Contributor", FD_X_CONTRIBUTOR, .sub = contributor},
        {"Citation/PublicationDate/SimpleDate", FD_X_DATE, "issued"},
        {"Citation/InternationalIdentifier", FD_X_PID, .sub = identifier},
        {"Citation/Language", FD_X_LANGUAGE},
        {"Citation/Copyright/String", FD_X_RIGHTS},
        {"Abstract/Content", FD_X_DESCRIPTION, "Abstract"},
        {"//Coverage/TopicalCoverage/Subject", FD_X_SUBJECT, "@codeListName"},
        {"//Coverage/TopicalCoverage/Keyword", FD_X_SUBJECT, "@codeListName"},
        {NULL},
};

static const struct fd_xrule ddi3_rules[] = {
        {"//StudyUnit", FD_X_GROUP, .sub = study},
        {NULL},
};

const struct fd_xformat fd_xformat_ddi3 = {.name = "ddi3", .rules = ddi3_rules, .default_type = "Dataset"};
