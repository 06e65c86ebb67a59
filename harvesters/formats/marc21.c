/* marc21.c: MARC 21 bibliographic records in MARCXML (MARC21slim), as
 * libraries, Alma, Koha, Invenio (CDS, INSPIRE) and the DNB serve them.
 *
 * Fields by tag and subfield code (https://www.loc.gov/marc/bibliographic/):
 * 245 $a$b$n$p title, 246 variant title, 100/110/700/710 names ($0
 * authority id, $u affiliation, $4/$e relator), 020/022 ISBN/ISSN, 024 7_
 * other identifiers with their scheme in $2 (DOI, URN, Handle), 041
 * language, 260/264 publisher and date, 269 date (CDS), 300 extent, 502
 * dissertation note, 520 abstract, 506/540 access and licence, 536
 * funding, 650/651/653 subjects (LCSH when ind2 is 0, MeSH when 2, else
 * $2), 084 classification, 856 electronic location.  The leader's type of
 * record and 008's date and language need code of their own.
 */
#include "../xmlmap.h"

/* Leader/06 type of record (from the raw text: blanks are positions). */
static enum fd_status marc_leader(struct fd_xwalk *w, const struct fd_xnode *n, char *v) {
        static const char types[] = "aText\0tText\0cText\0dText\0eImage\0fImage\0gAudiovisual\0iSound\0"
                                    "jSound\0kImage\0mSoftware\0rPhysicalObject\0";
        const char *raw = n->text;
        (void)v;

        /* 24 positions; blanks are positions (GPO's leader starts with five),
         * only white space beyond them is layout */
        while (raw && strlen(raw) > 24 && (*raw == ' ' || *raw == '\n' || *raw == '\t' || *raw == '\r'))
                raw++;
        if (!raw || strlen(raw) < 8)
                return FD_OK;
        for (const char *t = types; *t; t += strlen(t) + 1)
                if (t[0] == raw[6])
                        return fd_xmap_consider_type(w, t + 1);
        return FD_OK;
}

/* 008/07-10 the first date, 008/35-37 the language. */
static enum fd_status marc_008(struct fd_xwalk *w, const struct fd_xnode *n, char *v) {
        const char *raw = n->text;
        enum fd_status st;
        (void)v;

        if (!raw || strlen(raw) < 38)
                return FD_OK;
        char year[5] = {raw[7], raw[8], raw[9], raw[10], 0};
        char lang[4] = {raw[35], raw[36], raw[37], 0};
        if (year[0] >= '1' && year[0] <= '2' && strspn(year, "0123456789") == 4 &&
            (st = fd_record_add_date(w->r, w->a, year, "created")))
                return st;
        if (strspn(lang, "abcdefghijklmnopqrstuvwxyz") == 3 && strcmp(lang, "und") != 0 &&
            strcmp(lang, "zxx") != 0)
                return fd_record_add_language(w->r, w->a, lang);
        return FD_OK;
}

/* "c2015.", "[2015]", "2015-03-01": the date, else the first year in it. */
static enum fd_status marc_date(struct fd_xwalk *w, const struct fd_xnode *n, char *v) {
        char out[64];
        (void)n;

        if (fd_date_normalize(v, out, sizeof out) != FD_DATE_NONE)
                return fd_xmap_add_date(w, v, "issued");
        for (const char *p = v; *p; p++) {
                if ((p[0] == '1' || p[0] == '2') && strspn(p, "0123456789") == 4) {
                        char year[5];
                        memcpy(year, p, 4);
                        year[4] = '\0';
                        return fd_xmap_add_date(w, year, "issued");
                }
        }
        return FD_OK;
}

static enum fd_status marc_thesis(struct fd_xwalk *w, const struct fd_xnode *n, char *v) {
        (void)n;
        (void)v;
        return fd_xmap_consider_type(w, "Dissertation");
}

static const struct fd_xns marc_ns[] = {
        {"marc", "http://www.loc.gov/MARC21/slim"},
        {"marc", ""},
        {NULL, NULL},
};

#define DF(tag) "marc:datafield[@tag=" tag "]"
#define SF(codes) "marc:subfield[@code=" codes "]"

static const struct fd_xrule title[] = {
        {SF("a|b|n|p"), FD_S_VALUE},
        {NULL},
};

static const char *const relators[] = {
        "aut", "Creator", "author", "Creator", "cre", "Creator", "creator", "Creator", "VerfasserIn", "Creator",
        "edt", "Editor", "editor", "Editor", "HerausgeberIn", "Editor", "ths", "Supervisor", "thesis advisor",
        "Supervisor", "dgs", "Supervisor", "ctb", "Other", "contributor", "Other", "pbl", "Publisher", "publisher",
        "Publisher", "fnd", "Sponsor", "funder", "Sponsor", "dtm", "DataManager", "prg", "Other", "ill", "Other",
        "trl", "Other", "translator", "Other", "dgg", "HostingInstitution", "prf", "Creator", "performer", "Creator",
        "cmp", "Creator", "composer", "Creator", NULL,
};

static const struct fd_xrule name[] = {
        {SF("a"), FD_S_NAME},
        {SF("0"), FD_S_ID},
        {SF("u"), FD_S_AFFILIATION},
        {SF("4"), FD_S_ROLE},
        {SF("e"), FD_S_ROLE},
        {NULL},
};

static const struct fd_xrule other_id[] = {
        {SF("a"), FD_S_VALUE},
        {SF("2"), FD_S_TYPE},
        {NULL},
};

static const struct fd_xrule subject[] = {
        {SF("a"), FD_S_VALUE},
        {SF("x|y|z"), FD_S_VALUE},
        {SF("2"), FD_S_SCHEME},
        {SF("0"), FD_S_URI},
        {NULL},
};

static const struct fd_xrule rights[] = {
        {SF("a|f"), FD_S_VALUE},
        {SF("u"), FD_S_URI},
        {NULL},
};

static const struct fd_xrule funding[] = {
        {SF("a"), FD_S_FUNDER},
        {SF("c|f"), FD_S_AWARD},
        {NULL},
};

static const struct fd_xrule marc_record[] = {
        {"marc:leader", FD_X_CALL, .call = marc_leader},
        {"marc:controlfield[@tag=008]", FD_X_CALL, .call = marc_008},
        {DF("245"), FD_X_TITLE, .sub = title},
        {DF("246") "/" SF("a"), FD_X_TITLE, "AlternativeTitle"},
        {DF("100|110|111|700"), FD_X_AGENT, .sub = name, .map = relators},
        /* a corporate or meeting added entry without a relator is an issuing
         * body or sponsor, not an author (GPO's 710 next to 100 and 700s) */
        {DF("710|711"), FD_X_AGENT, "Other", .sub = name, .map = relators},
        {DF("020") "/" SF("a"), FD_X_PID, "isbn"},
        {DF("022") "/" SF("a"), FD_X_PID, "issn"},
        {DF("024") "[@ind1=7]", FD_X_PID, .sub = other_id},
        {DF("041") "/" SF("a"), FD_X_LANGUAGE},
        {DF("260|264") "/" SF("b"), FD_X_PUBLISHER},
        {DF("260|264") "/" SF("c"), FD_X_CALL, .call = marc_date},
        {DF("269") "/" SF("c"), FD_X_CALL, .call = marc_date},
        {DF("250") "/" SF("a"), FD_X_VERSION},
        {DF("300") "/" SF("a"), FD_X_SIZE},
        {DF("502") "/" SF("a|b"), FD_X_CALL, .call = marc_thesis},
        {DF("520") "/" SF("a"), FD_X_DESCRIPTION, "Abstract"},
        {DF("506|540"), FD_X_RIGHTS, .sub = rights},
        {DF("536"), FD_X_FUNDING, .sub = funding},
        {DF("650|651") "[@ind2=0]", FD_X_SUBJECT, "LCSH", .sub = subject},
        {DF("650|651") "[@ind2=2]", FD_X_SUBJECT, "MeSH", .sub = subject},
        {DF("650|651") "[@ind2=7]", FD_X_SUBJECT, .sub = subject},
        {DF("650|651") "[@ind2= |1|3|4|5|6]", FD_X_SUBJECT, .sub = subject},
        {DF("653") "/" SF("a"), FD_X_SUBJECT},
        {DF("084|082"), FD_X_SUBJECT, .sub = subject},
        {DF("856") "/" SF("u"), FD_X_PID},
        {DF("980") "/" SF("a"), FD_X_TYPE},
        {NULL},
};

static const struct fd_xrule marc_rules[] = {
        {".", FD_X_GROUP, .sub = marc_record},
        /* a <collection> of records: the first one is the record */
        {"marc:record", FD_X_GROUP, .sub = marc_record},
        {NULL},
};

const struct fd_xformat fd_xformat_marc21 = {.name = "marc21", .version = 2, .ns = marc_ns, .rules = marc_rules};
