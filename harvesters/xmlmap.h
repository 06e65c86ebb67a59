/* xmlmap.h: mappings as data.  A metadata format is a table of rules, each
 * an element path (with namespace prefixes the format declares) and a named
 * transform that puts the value it finds into struct fd_record; one walker
 * (xmlmap.c) reads any table over the per-record tree xml.c builds.
 *
 * A path is relative to the record's metadata root (or, inside a group, to
 * the group's element):
 *
 *     "mods:titleInfo/mods:title"            child steps
 *     "//gmd:keyword/gco:CharacterString"     "//" first: at any depth
 *     "marc:datafield[@tag=100|700]"          an attribute predicate (values
 *                                             separated by '|'; "[@x]": present)
 *     "mods:identifier/@type", "@vocabURI"    the value is that attribute
 *     "*"                                     any element
 *
 * A step without a prefix matches any namespace.  A prefix may be declared
 * several times (one format, several namespace URIs; "" is no namespace).
 * A rule with sub-rules opens a group at each element it matches: the
 * sub-rules fill the group's slots (a person's name parts, identifiers and
 * affiliation; a subject's scheme and URI; a date's type…) and the group is
 * added when its element ends.  Every rule that matches an element applies;
 * the walker does not descend into a group's element with the outer rules,
 * except for FD_X_GROUP, which is only a context for its sub-rules' paths.
 */
#ifndef FD_HARVESTERS_XMLMAP_H
#define FD_HARVESTERS_XMLMAP_H

#include "harvesters-private.h"

enum fd_xop {
        /* record fields (a plain rule or a group) */
        FD_X_TITLE,        /* arg: title type ("AlternativeTitle", …) or NULL */
        FD_X_DESCRIPTION,  /* arg: description type or NULL */
        FD_X_CREATOR,      /* a person or organization (group: name parts, ids, affiliation) */
        FD_X_CONTRIBUTOR,  /* arg: contributor type when the source gives none */
        FD_X_AGENT,        /* creator or contributor by role: map role -> "Creator",
                            * "Publisher" or a contributorType; no role: arg's role,
                            * else creator */
        FD_X_SUBJECT,      /* arg: scheme, or "@attr" holding it */
        FD_X_DATE,         /* arg: date type, "@attr" holding it, or NULL: "issued" for
                            * the first undated-typed date when none is issued yet */
        FD_X_PID,          /* an identifier; arg: scheme hint ("doi", "handle", "urn",
                            * "@type"…); an http(s) URL that is no PID is also a URL */
        FD_X_URL,
        FD_X_DOWNLOAD,     /* a file's URL */
        FD_X_PUBLISHER,
        FD_X_TYPE,         /* resource type; map first; the most specific of several wins */
        FD_X_RIGHTS,       /* licence or access right, as text or URI (a URL inside text too) */
        FD_X_LANGUAGE,
        FD_X_FORMAT,
        FD_X_SIZE,
        FD_X_VERSION,
        FD_X_RELATED,      /* arg: relationType, or "@attr" holding it */
        FD_X_FUNDING,      /* group: funder, funder id, award, award title */
        FD_X_GEO,          /* group: place and a bounding box */
        FD_X_CALL,         /* call(w, node, value) */
        FD_X_GROUP,        /* a plain group: only its sub-rules apply (context for paths) */
        /* slots of a group */
        FD_S_VALUE,        /* the value (appended with a space when several) */
        FD_S_NAME,         /* a person's or organization's full name */
        FD_S_GIVEN,
        FD_S_FAMILY,
        FD_S_ORG,          /* organization: the name when there is no person, else the affiliation */
        FD_S_ID,           /* an identifier of the person (ORCID, ISNI…), funder or thing */
        FD_S_AFFILIATION,
        FD_S_AFFILIATION_ID,
        FD_S_ROLE,
        FD_S_TYPE,         /* date type, relation type, identifier scheme… */
        FD_S_SCHEME,
        FD_S_URI,
        FD_S_LANG,
        FD_S_FUNDER,
        FD_S_AWARD,
        FD_S_AWARD_TITLE,
        FD_S_WEST,
        FD_S_EAST,
        FD_S_SOUTH,
        FD_S_NORTH,
        FD_X_OP_COUNT
};

struct fd_xwalk;

/* A format's own transform: value is the cleaned text (or attribute) of
 * node; FD_E_LIMIT when the arena is full. */
typedef enum fd_status (*fd_xcall_fn)(struct fd_xwalk *w, const struct fd_xnode *node, char *value);

struct fd_xrule {
        const char *path;
        enum fd_xop op;
        const char *arg;
        const struct fd_xrule *sub;    /* a group's rules, ended by an entry with path NULL */
        const char *const *map;        /* value -> replacement pairs (case-insensitive), NULL-ended;
                                        * a value not in the map stays as is */
        fd_xcall_fn call;
};

struct fd_xns {
        const char *prefix;
        const char *uri;  /* "": no namespace */
};

/* One format: what fd_mapper points to. */
struct fd_xformat {
        const char *name;                 /* r->format */
        int version;                      /* fd_mapper_version (0 reads as 1): bump it
                                           * when a change reads some record otherwise */
        const struct fd_xns *ns;          /* ended by {NULL, NULL}; NULL: only xmlmap.c's common ones */
        const struct fd_xrule *rules;     /* ended by an entry with path NULL */
        const char *default_type;         /* the resource type of a record that gives none, or NULL */
        /* after the walk (may be NULL) */
        enum fd_status (*finish)(struct fd_xwalk *w);
};

/* The walker's state, handed to FD_X_CALL transforms and finish. */
struct fd_xwalk {
        struct fd_record *r;
        struct fd_arena *a, *scratch;
        const struct fd_xnode *root;
        bool have_issued;
        const char *first_type, *best_type;
        int best_rank;
};

/* Maps the tree under root with format f (see fd_mapper_fn). */
enum fd_status fd_xmap_run(const struct fd_xformat *f, struct fd_record *r, struct fd_arena *a,
                           struct fd_arena *scratch, const struct fd_xnode *root, struct fd_error *err);

/* The transforms plain rules use, for FD_X_CALL functions to reuse. */
enum fd_status fd_xmap_add_pid(struct fd_xwalk *w, const char *value, const char *scheme);
enum fd_status fd_xmap_add_date(struct fd_xwalk *w, const char *value, const char *type);
enum fd_status fd_xmap_add_rights(struct fd_xwalk *w, const char *value);
enum fd_status fd_xmap_consider_type(struct fd_xwalk *w, const char *value);
/* A creator or (contributor, with role) named name, its trailing
 * punctuation ("Smith, J.,") dropped. */
enum fd_status fd_xmap_add_agent(struct fd_xwalk *w, bool contributor, const char *name, const char *affiliation,
                                 const char *role);

/* The formats (oai_dc.c, formats/ *.c), and the rule tables that
 * containers (METS, DIDL, EDM) reuse. */
extern const struct fd_xformat fd_xformat_dc, fd_xformat_marc21, fd_xformat_mods, fd_xformat_ddi,
        fd_xformat_iso19139, fd_xformat_iso19115_3, fd_xformat_eml, fd_xformat_cerif, fd_xformat_edm,
        fd_xformat_doaj, fd_xformat_cmdi, fd_xformat_didl, fd_xformat_mets, fd_xformat_ese, fd_xformat_fgdc, fd_xformat_re3data, fd_xformat_ddi3;
extern const struct fd_xrule fd_xrules_dc[], fd_xrules_mods[];

#endif
