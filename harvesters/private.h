/* private.h: what the files of harvesters/ share and nobody else sees.
 *
 * xml.c turns an OAI-PMH response (or a Static Repository) into records
 * while it streams: a libxml2 SAX2 push parser recognizes the OAI-PMH
 * envelope by namespace, and builds a small element tree (struct fd_xnode)
 * only for the <metadata> of the record in hand, in a scratch arena that is
 * reset at every record.  The mapper of the metadata format turns that tree
 * into a struct fd_record living in the page's arena.  oai.c drives the
 * requests; formats.c chooses the mapper by what the metadata is;
 * oai_datacite.c maps DataCite by hand, xmlmap.c walks the tables of the
 * other formats (oai_dc.c, formats/); http.c wraps libcurl.
 */
#ifndef FD_HARVESTERS_PRIVATE_H
#define FD_HARVESTERS_PRIVATE_H

#include "fd_harvesters.h"

#define FD_NS_OAI "http://www.openarchives.org/OAI/2.0/"
#define FD_NS_STATIC "http://www.openarchives.org/OAI/2.0/static-repository"
#define FD_NS_OAI_DC "http://www.openarchives.org/OAI/2.0/oai_dc/"
#define FD_NS_DC "http://purl.org/dc/elements/1.1/"
#define FD_NS_DCTERMS "http://purl.org/dc/terms/"
#define FD_NS_XML "http://www.w3.org/XML/1998/namespace"
#define FD_NS_OAI_DATACITE "http://schema.datacite.org/oai/oai-1.0/"
#define FD_NS_OAI_DATACITE11 "http://schema.datacite.org/oai/oai-1.1/"
#define FD_NS_DATACITE3 "http://datacite.org/schema/kernel-3"
#define FD_NS_DATACITE4 "http://datacite.org/schema/kernel-4"
#define FD_NS_OAIRE "http://namespace.openaire.eu/schema/oaire/"

/* Bounds of one record's metadata tree: beyond them the record is skipped. */
#define FD_RECORD_MAX_TEXT (4u << 20)
#define FD_RECORD_MAX_NODES 10000u

/* ---- the per-record element tree ----------------------------------------- */

struct fd_xattr {
        const char *ns;     /* namespace URI or NULL */
        const char *name;   /* local name */
        const char *value;
};

/* Names and namespaces are libxml2 dictionary strings (they live as long as
 * the parser); attribute values and text live in the scratch arena. */
struct fd_xnode {
        const char *ns;     /* namespace URI or NULL */
        const char *name;   /* local name */
        struct fd_xattr *attrs;
        size_t n_attrs;
        const char *text;   /* the element's own character data (CDATA included,
                             * pieces around children concatenated), raw; NULL
                             * when there is none or it is all white space */
        struct fd_xnode *child, *next, *parent;
};

/* True when n is {ns}name (ns NULL: no namespace). */
bool fd_xnode_is(const struct fd_xnode *n, const char *ns, const char *name);
/* The value of attribute {ns}name of n, or NULL. */
const char *fd_xnode_attr(const struct fd_xnode *n, const char *ns, const char *name);
/* xml:lang of n or of its nearest ancestor that has one, or NULL. */
const char *fd_xnode_lang(const struct fd_xnode *n);

/* ---- metadata mappers ---------------------------------------------------- */

/* Maps the tree under root to r.  Strings of r go to a (the page's arena);
 * scratch dies after the record.  A failure (typically FD_E_LIMIT, the page
 * arena is full) skips the record with err's message. */
typedef enum fd_status (*fd_mapper_fn)(struct fd_record *r, struct fd_arena *a, struct fd_arena *scratch,
                                       const struct fd_xnode *root, struct fd_error *err);

struct fd_xformat;

/* A metadata format fairdex reads: chosen by what the metadata is (its root
 * element's namespace and name, or a look at its children), never by the
 * prefix it was harvested under (formats.c). */
struct fd_mapper {
        const char *prefix;  /* the usual metadataPrefix, also r->format */
        const char *ns;      /* namespace of the metadata root element ("": none) */
        const char *root;    /* its local name; NULL: any */
        fd_mapper_fn map;    /* a hand-written mapper, or NULL and: */
        const struct fd_xformat *xmap;  /* a walker table (xmlmap.h) */
        int rank;            /* richness, to choose among the formats a source offers */
        const char *schema;  /* a piece of its XML Schema's URL, or NULL */
};

/* The mapper that reads the metadata tree under root, or NULL. */
const struct fd_mapper *fd_mapper_detect(const struct fd_xnode *root);
/* The mapper for a format ListMetadataFormats announces (its
 * metadataNamespace, else its schema URL, else its usual prefix name),
 * or NULL; any argument may be NULL. */
const struct fd_mapper *fd_mapper_for_format(const char *prefix, const char *ns, const char *schema);
/* The mapper for a metadataPrefix by its usual name, or NULL. */
const struct fd_mapper *fd_mapper_by_prefix(const char *prefix);
/* Maps with m (see fd_mapper_fn). */
enum fd_status fd_mapper_map(const struct fd_mapper *m, struct fd_record *r, struct fd_arena *a,
                             struct fd_arena *scratch, const struct fd_xnode *root, struct fd_error *err);
/* The DOI an OAI identifier carries ("oai:pangaea.de:doi:10.1594/…",
 * DataCite's "doi:10.5072/…"), added to r when its metadata gave none. */
enum fd_status fd_mapper_header_pid(struct fd_record *r, struct fd_arena *a, const char *identifier);
/* r->format of a record m read when it was harvested as prefix: the
 * prefix's usual name when it names the same format (a bare DataCite
 * resource harvested as oai_datacite is oai_datacite), else m's. */
const char *fd_mapper_format(const struct fd_mapper *m, const char *prefix);

/* DataCite kernel 2.x-4.x (bare or in the oai_datacite envelope) and
 * OpenAIRE v4 (oai_datacite.c). */
enum fd_status fd_datacite_map(struct fd_record *r, struct fd_arena *a, struct fd_arena *scratch,
                               const struct fd_xnode *root, struct fd_error *err);
enum fd_status fd_oai_dc_map(struct fd_record *r, struct fd_arena *a, struct fd_arena *scratch,
                             const struct fd_xnode *root, struct fd_error *err);

/* ---- the OAI-PMH stream parser (xml.c) ----------------------------------- */

struct fd_oai_parser;

struct fd_oai_parser_opts {
        const char *source;   /* record ids are "<source>:<identifier>" */
        const char *where;    /* the URL (or "response") named in errors */
        const char *prefix;   /* metadataPrefix: Static Repository lists of another
                               * prefix are ignored; r->format of deleted records */
        void (*warn)(void *ud, const char *msg);
        void *ud;
        /* When set, called before a record is started on a page that already
         * holds cut_records records: it takes the page and installs a new one
         * with fd_oai_parser_set_page.  A non-FD_OK status stops the parse. */
        enum fd_status (*cut)(void *ud, struct fd_oai_parser *p, struct fd_error *err);
        size_t cut_records;
        /* Called with the text of each Identify, ListMetadataFormats and ListSets
         * element it names ("granularity", "deletedRecord", "earliestDatestamp",
         * "compression", "metadataPrefix", "setSpec"), or NULL. */
        void (*field)(void *ud, const char *name, const char *value);
        /* A Static Repository without prefix_fixed reads the list of the first
         * of prefs it offers (prefix when none). */
        const char *const *prefs;
        size_t n_prefs;
        bool prefix_fixed;
};

/* A parser filling page (borrowed: the caller owns it). */
enum fd_status fd_oai_parser_new(const struct fd_oai_parser_opts *opts, struct fd_page *page,
                                 struct fd_oai_parser **ret_p, struct fd_error *err);
void fd_oai_parser_free(struct fd_oai_parser *p);
FD_DEFINE_FREEP(oai_parser, struct fd_oai_parser, fd_oai_parser_free)

/* The page being filled (borrowed), and its replacement (from cut). */
struct fd_page *fd_oai_parser_page(struct fd_oai_parser *p);
void fd_oai_parser_set_page(struct fd_oai_parser *p, struct fd_page *page);

/* Feeds a chunk; finish ends the document.  FD_E_PARSE (XML not well
 * formed, with line and column), FD_E_PROTOCOL (not OAI-PMH), FD_E_LIMIT,
 * or the cut callback's status.  After a failure every call fails the same. */
enum fd_status fd_oai_parser_feed(struct fd_oai_parser *p, const char *data, size_t len, struct fd_error *err);
enum fd_status fd_oai_parser_finish(struct fd_oai_parser *p, struct fd_error *err);

/* The metadataPrefix of the records read (a Static Repository's choice). */
const char *fd_oai_parser_prefix(const struct fd_oai_parser *p);

/* True once the root element was recognized as OAI-PMH (or a Static Repository). */
bool fd_oai_parser_recognized(const struct fd_oai_parser *p);

/* A new empty page for source, with an arena of cap bytes. */
enum fd_status fd_page_new(const char *source, const char *url, size_t cap, struct fd_page **ret_page,
                           struct fd_error *err);

/* ---- what the drivers share (retry.c) ----------------------------------- */

/* A one-line warning to sink->warn (none: nothing). */
void fd_harvest_warnf(const struct fd_harvest_sink *sink, const char *fmt, ...) _fd_printf_(2, 3);
/* A warn callback whose userdata is the struct fd_harvest_sink to forward to. */
void fd_harvest_forward_warn(void *sink, const char *msg);
/* *dst = a copy of src (NULL: NULL), the old value freed; false on OOM
 * (*dst left as it was). */
bool fd_harvest_set_str(char **dst, const char *src);
/* Sleeps ms milliseconds, waking every 100 ms to look at cancel (may be
 * NULL); false when cancelled. */
bool fd_harvest_sleep(atomic_bool *cancel, int64_t ms);
/* The wait before asking again after attempt (0-based) failed with HTTP
 * code (0: transport): 1 s << attempt (at most 64 s), with jitter from
 * *rng (half to all of it; NULL: none), or retry_after seconds on 503 and
 * 429 when it is >= 0; never more than max_ms. */
int64_t fd_harvest_retry_wait_ms(unsigned attempt, long code, long retry_after, uint64_t *rng, int64_t max_ms);

#endif
