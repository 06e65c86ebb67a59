/* harvesters-private.h: what the files of harvesters/ share and nobody else sees.
 *
 * xml.c turns an OAI-PMH response (or a Static Repository) into records
 * while it streams: a libxml2 SAX2 push parser recognizes the OAI-PMH
 * envelope by namespace, and builds a small element tree (struct fd_xnode)
 * only for the <metadata> of the record in hand, in a scratch arena that is
 * reset at every record.  The mapper of the metadata format turns that tree
 * into a struct fd_record living in the page's arena.  oai.c drives the
 * requests; oai_dc.c is the oai_dc mapper; http.c wraps libcurl; fetch.c
 * is the one fetch policy every driver asks through; page.c owns pages.
 *
 * The RDF layer (rdf.c, jsonld.c) knows no vocabulary: a graph is told by
 * its creator which IRIs to read as others and which triples to keep
 * aside (struct fd_rdf_vocab).  DCAT sits on top of it (dcat_map.c: the
 * vocabulary, which nodes are datasets and how they map; dcat_json.c:
 * plain JSON catalogues; dcat.c: the driver) and is the only caller that
 * names DCAT, Hydra or schema.org; rdf.c calls nothing of dcat*.c.
 */
#ifndef FD_HARVESTERS_PRIVATE_H
#define FD_HARVESTERS_PRIVATE_H

#include <stdio.h>

#include <jansson.h>

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
/* m's version (>= 1), which every record it reads keeps: a change to a
 * mapper or its table that reads some record otherwise bumps it, and
 * `remap` re-reads the records of an older one (HACKING.md). */
int fd_mapper_version(const struct fd_mapper *m);

/* ---- the metadata as harvested (raw.c) -------------------------------------- */

/* The largest metadata kept (and inflated again): the parser's own bound
 * on a record's text and elements, with room for markup. */
#define FD_RAW_MAX ((size_t)FD_RECORD_MAX_TEXT * 4 + (size_t)FD_RECORD_MAX_NODES * 64)

/* Keeps the tree under root as r->raw, compressed, in a (tmp: a buffer to
 * write it in).  Metadata larger than tmp, or than what a still holds, is
 * not kept (FD_OK: the record goes on without); FD_E_NOMEM. */
enum fd_status fd_raw_keep(struct fd_record *r, struct fd_arena *a, const struct fd_xnode *root, bool children,
                           struct fd_buf *tmp);

struct fd_rdf_graph;
struct fd_rdf_term;
/* Keeps the statements of DCAT dataset ds in g (its concise bounded
 * description, as N-Triples) as r->raw, compressed, in a; as fd_raw_keep. */
enum fd_status fd_raw_keep_rdf(struct fd_record *r, struct fd_arena *a, const struct fd_rdf_graph *g,
                               const struct fd_rdf_term *ds);

/* DataCite kernel 2.x-4.x (bare or in the oai_datacite envelope) and
 * OpenAIRE v4 (oai_datacite.c). */
/* oai_datacite.c's version (fd_mapper_version): bump on a change of what it reads. */
#define FD_DATACITE_MAPPER_VERSION 1
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

/* ---- handing pages over (page.c) ----------------------------------------- */

/* Counts page into the run's checkpoint cp (pages, records, deleted,
 * skipped; last: last_complete = run_start), gives the page a copy of cp
 * whose token is token (NULL: no list open) and hands it to sink, which
 * takes it in every case.  FD_E_NOMEM, or FD_E_CANCELLED when the sink
 * says stop. */
enum fd_status fd_page_hand_over(struct fd_page *page, struct fd_checkpoint *cp, const char *token, bool last,
                                 const struct fd_harvest_sink *sink, struct fd_error *err);

/* ---- the fetch policy and what the drivers share (fetch.c) -------------- */

/* One run's requests to one source (embedded in the driver's run). */
struct fd_fetch {
        struct fd_http *http;                /* borrowed */
        const struct fd_harvest_sink *sink;  /* retries are told to its warn */
        atomic_bool *cancel;
        const char *what;                    /* names a request in warnings: "page", "document" */
        unsigned max_retries, max_run_retries, run_retries;
        unsigned min_delay_ms;
        int64_t last_request_ms;             /* when the last request ended (monotonic), 0: none yet */
        long last_code;                      /* HTTP status of the last failed attempt, 0: none */
        uint64_t rng;                        /* the jitter's generator */
};

/* Sets f up for a run with opts' max_retries (0: 3), max_run_retries (0:
 * 50), min_delay_ms and cancel; http and sink are borrowed. */
void fd_fetch_init(struct fd_fetch *f, struct fd_http *http, const struct fd_harvest_opts *opts,
                   const struct fd_harvest_sink *sink, const char *what);

/* What one attempt does with the body. */
struct fd_fetch_body {
        /* Before each attempt: a fresh place for the body (NULL: none). */
        enum fd_status (*start)(void *ud, struct fd_error *err);
        fd_http_body_fn chunk;
        /* After the transfer: the attempt's outcome from fd_http_get's status
         * st, the HTTP code and its error herr, filling err on failure (NULL:
         * st and herr as they are). */
        enum fd_status (*finish)(void *ud, enum fd_status st, long code, const struct fd_error *herr,
                                 struct fd_error *err);
        bool retry_bad_body;  /* a body that does not parse (FD_E_PARSE, FD_E_PROTOCOL) may pass */
        void *ud;
};

/* GETs url under f's policy: waits out min_delay_ms since the run's last
 * request, then asks again what may pass (5xx, 429, transport failures,
 * and with retry_bad_body a body that does not parse) at most max_retries
 * times and while the run's budget of max_run_retries lasts, after 1 s <<
 * attempt with jitter or Retry-After (at most 60 s), each retry told to
 * the sink.  Statuses: FD_OK, FD_E_CANCELLED (cancel set while waiting),
 * start's failure, or the last attempt's failure (its message says when
 * the attempts or the run's budget are spent); f->last_code is then its
 * HTTP status. */
enum fd_status fd_fetch_get(struct fd_fetch *f, const char *url, const struct fd_fetch_body *b,
                            struct fd_error *err);

/* A one-line warning to sink->warn (none: nothing). */
void fd_harvest_warnf(const struct fd_harvest_sink *sink, const char *fmt, ...) _fd_printf_(2, 3);
/* A warn callback whose userdata is the struct fd_harvest_sink to forward to. */
void fd_harvest_forward_warn(void *sink, const char *msg);
/* *dst = a copy of src (NULL: NULL), the old value freed; false on OOM
 * (*dst left as it was). */
bool fd_harvest_set_str(char **dst, const char *src);
/* Whether s (may be NULL) starts with "http://" or "https://", in any case. */
bool fd_is_http(const char *s);

/* ---- the RDF layer (rdf.c): graphs, their spill to disk, the readers ---- */

/* One document (one catalogue page) is read into one struct fd_rdf_graph:
 * triples whose strings live in the graph's arena, sorted by subject once
 * the document is read so that a node's description is a binary search
 * away.  A streamed graph (fd_rdf_graph_new_streamed) holds at most its
 * memory budget: past it, the triples in hand are sorted and written to a
 * temporary file as a run, and fd_rdf_graph_finish merges the runs into one
 * file sorted by subject with an index of where each subject starts;
 * fd_rdf_graph_each_subject then walks it subject by subject and
 * fd_rdf_graph_describe reads back what a subject reaches.  Readers:
 * Turtle, N-Triples, N-Quads and TriG through serd, RDF/XML through
 * raptor2, JSON-LD through our own reader (jsonld.c).  The graph is bounded
 * by a triple count and its arena's cap: a document beyond them fails with
 * FD_E_LIMIT.  The layer knows RDF's own vocabulary (rdf:type) and no
 * other: what a caller's vocabulary needs is given as a struct
 * fd_rdf_vocab. */

#define FD_NS_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define FD_NS_XSD "http://www.w3.org/2001/XMLSchema#"

enum fd_rdf_kind {
        FD_RDF_NONE = 0,
        FD_RDF_IRI,
        FD_RDF_BLANK,
        FD_RDF_LITERAL,
};

struct fd_rdf_term {
        enum fd_rdf_kind kind;
        const char *value;     /* IRI, blank node label (without "_:") or lexical form */
        const char *lang;      /* literal language tag or NULL */
        const char *datatype;  /* literal datatype IRI or NULL */
};

struct fd_rdf_triple {
        struct fd_rdf_term s, p, o;
        const char *graph;     /* named graph IRI or blank label, NULL: default graph */
};

/* An IRI (or the start of one) read as another. */
struct fd_rdf_rename {
        const char *from, *to;
};

/* What a graph does with the triples it is given, in its creator's
 * vocabulary (every string and array borrowed: they outlive the graph). */
struct fd_rdf_vocab {
        /* Predicates and the objects of rdf:type are read as what they mean:
         * an IRI equal to an iris[].from becomes its to, else one starting
         * with a prefixes[].from has that start replaced by its to (first
         * match wins). */
        const struct fd_rdf_rename *iris;
        size_t n_iris;
        const struct fd_rdf_rename *prefixes;
        size_t n_prefixes;
        /* Streamed graphs: a triple whose predicate is one of reversed and
         * whose object is a node is also kept reversed, (o, p, s), in a
         * streamed graph of its own (g->rev) walked in step with g. */
        const char *const *reversed;
        size_t n_reversed;
        /* Streamed graphs: a triple whose predicate is one of aside, or an
         * rdf:type whose object starts with one of aside_types, is also kept
         * in memory (g->aside, at most 4096 triples: the rest are not). */
        const char *const *aside;
        size_t n_aside;
        const char *const *aside_types;
        size_t n_aside_types;
};

struct fd_rdf_spill;

/* Remote contexts an operator supplies (contexts_dir): URL -> document,
 * read once and then only looked up (jsonld_contexts.c). */
struct fd_jsonld_contexts;

struct fd_rdf_graph {
        struct fd_arena *arena;
        struct fd_rdf_triple *v;
        size_t n, cap, max;
        bool sorted;
        unsigned long doc;     /* blank labels are prefixed with it: distinct per document */
        const struct fd_rdf_vocab *vocab;  /* NULL: IRIs kept as they are, nothing kept aside */
        /* streamed graphs only (NULL otherwise) */
        struct fd_rdf_spill *spill;  /* the runs on disk, then the merged file */
        struct fd_rdf_graph *rev;    /* the vocab's reversed triples, streamed too */
        struct fd_rdf_graph *aside;  /* the vocab's triples kept in memory (bounded) */
        size_t total;                /* triples added, spilled ones included */
        const struct fd_jsonld_contexts *contexts; /* for JSON-LD documents; may be NULL */
        /* statements the readers skipped for syntax errors, and where the
         * first FD_RDF_SKIPS_NAMED of them were ("line L column C: why; ...") */
        unsigned long skipped;
        unsigned skipped_named;
        char skipped_at[1024];
};
#define FD_RDF_SKIPS_NAMED 5

/* A graph of at most max_triples (0: 4 million) with an arena of arena_cap
 * bytes (0: 512 MiB), reading IRIs through vocab (may be NULL; borrowed). */
enum fd_status fd_rdf_graph_new(size_t max_triples, size_t arena_cap, const struct fd_rdf_vocab *vocab,
                                struct fd_rdf_graph **ret, struct fd_error *err);
void fd_rdf_graph_free(struct fd_rdf_graph *g);
FD_DEFINE_FREEP(rdf_graph, struct fd_rdf_graph, fd_rdf_graph_free)

/* A graph that holds at most budget bytes in memory (0: 32 MiB) and spools
 * the rest to temporary files; at most max_triples in all (0: 100 million).
 * Read it with fd_rdf_graph_finish then fd_rdf_graph_each_subject: the
 * triples are in g->v only when the document fit the budget (nothing was
 * spilled). */
enum fd_status fd_rdf_graph_new_streamed(size_t max_triples, size_t budget, const struct fd_rdf_vocab *vocab,
                                         struct fd_rdf_graph **ret, struct fd_error *err);
/* A new temporary file in $TMPDIR (else /tmp), already unlinked; NULL
 * with errno on failure. */
FILE *fd_rdf_temp_file(void);
/* Ends reading: sorts an in-memory graph, merges a spilled one. */
enum fd_status fd_rdf_graph_finish(struct fd_rdf_graph *g, struct fd_error *err);
/* True when g went to disk. */
bool fd_rdf_graph_spilled(const struct fd_rdf_graph *g);

/* Adds a triple, copying the strings (IRIs read through g's vocab).
 * FD_E_LIMIT past the bounds. */
enum fd_status fd_rdf_graph_add(struct fd_rdf_graph *g, const struct fd_rdf_term *s, const struct fd_rdf_term *p,
                                const struct fd_rdf_term *o, const char *graph, struct fd_error *err);

/* Sorts by subject (once; adding afterwards unsorts). */
void fd_rdf_graph_sort(struct fd_rdf_graph *g);
/* The triples whose subject is t: *ret_n of them from the returned index
 * (sorted graph). */
size_t fd_rdf_graph_about(const struct fd_rdf_graph *g, const struct fd_rdf_term *t, size_t *ret_n);
/* The first object of (s, p), or NULL. */
const struct fd_rdf_term *fd_rdf_graph_object(const struct fd_rdf_graph *g, const struct fd_rdf_term *s,
                                              const char *p);
bool fd_rdf_term_eq(const struct fd_rdf_term *a, const struct fd_rdf_term *b);
/* True when s has rdf:type type. */
bool fd_rdf_graph_has_type(const struct fd_rdf_graph *g, const struct fd_rdf_term *s, const char *type);

/* Called with each subject of a finished, spilled graph: sub holds the
 * subject's own triples (sub->v[0].s is the subject), in the predicates
 * of the reversed triples about it (each once, at most 16).  sub is the
 * walk's, emptied for the next subject: fn may add to it
 * (fd_rdf_graph_describe) and sort it. */
typedef enum fd_status (*fd_rdf_subject_fn)(void *ud, struct fd_rdf_graph *sub, const char *const *in, size_t n_in,
                                            struct fd_error *err);
/* Walks the finished, spilled graph g subject by subject in sorted order,
 * the reversed triples in step.  sub is bounded to 1 million triples and
 * 128 MiB: a subject beyond is reported to skip (may be NULL) and left
 * out.  fn's non-OK status stops the walk and is returned. */
enum fd_status fd_rdf_graph_each_subject(struct fd_rdf_graph *g, fd_rdf_subject_fn fn,
                                         void (*skip)(void *ud, const char *msg), void *ud, struct fd_error *err);
/* Completes sub (a subject's own triples, from the walk of g) with what
 * the subject reaches in g: breadth first, to a depth of 6, the triples of
 * each node it points to except through rdf:type; a node that has an
 * rdf:type for which stop returns true is left out (it stands for itself).
 * FD_E_LIMIT past sub's bounds, FD_E_NOMEM. */
enum fd_status fd_rdf_graph_describe(struct fd_rdf_graph *g, struct fd_rdf_graph *sub, bool (*stop)(const char *type),
                                     struct fd_error *err);

enum fd_rdf_syntax {
        FD_RDF_UNKNOWN = 0,
        FD_RDF_TURTLE,
        FD_RDF_NTRIPLES,
        FD_RDF_NQUADS,
        FD_RDF_TRIG,
        FD_RDF_RDFXML,
        FD_RDF_JSONLD,   /* JSON with an @context */
        FD_RDF_JSON,     /* JSON: JSON-LD or not, decided on the parsed value by the caller */
};

/* The syntax of a document from its Content-Type (may be NULL), else the
 * extension of its URL, else its first bytes. */
enum fd_rdf_syntax fd_rdf_sniff(const char *content_type, const char *url, const char *data, size_t len);

/* Reads the document from f (read from its current position, statement
 * by statement: serd and raptor2 never hold more than a buffer of it) into
 * g, resolving relative IRIs against base: Turtle, N-Triples, N-Quads,
 * TriG and RDF/XML (JSON is parsed first: fd_json_load_file, then
 * fd_rdf_read_jsonld).  A syntax error loses as little as the syntax
 * allows: serd's lax mode skips to the end of the line (the statement of
 * N-Triples, the rest of a Turtle statement's line) and raptor2 skips the
 * RDF/XML construct it rejects, each counted in g->skipped with its place
 * in g->skipped_at.  An XML well-formedness error ends an RDF/XML document
 * (libxml2 cannot resynchronise), and so does an error in a document of
 * which nothing was read: FD_E_PARSE "'<where>' line L column C: reason". */
enum fd_status fd_rdf_read(struct fd_rdf_graph *g, enum fd_rdf_syntax syntax, FILE *f, const char *base,
                           const char *where, struct fd_error *err);
/* The RDF of the JSON-LD document doc (jsonld.c) into g. */
struct fd_jsonld_stream;
/* A JSON-LD stream (fd_jsonld_stream_new) whose quads go to g. */
enum fd_status fd_rdf_jsonld_stream(struct fd_rdf_graph *g, bool graph, json_t *context, const char *base,
                                    const char *where, struct fd_error *err, struct fd_jsonld_stream **ret);
enum fd_status fd_rdf_read_jsonld(struct fd_rdf_graph *g, json_t *doc, const char *base, const char *where,
                                  struct fd_error *err);

/* Parses JSON text refusing duplicate keys: FD_E_PARSE "'<where>' line L
 * column C: reason". */
enum fd_status fd_json_parse(const char *data, size_t len, const char *where, json_t **ret, struct fd_error *err);
/* The same from f's current position to its end, at most max bytes (0:
 * 256 MiB; beyond: FD_E_LIMIT): jansson holds the whole value. */
enum fd_status fd_json_load_file(FILE *f, size_t max, const char *where, json_t **ret, struct fd_error *err);

/* ---- JSON as a stream (dcat_stream.c) ------------------------------------- */

/* One item of a catalogue's array (the root array, "@graph", "dataset",
 * "result"."results": key names it, NULL for the root array) as it
 * closes; root is the frame read so far (that array empty of the items
 * not kept).  item is borrowed; *ret_keep puts it into the frame instead. */
typedef enum fd_status (*fd_json_item_fn)(void *ud, json_t *root, const char *key, json_t *item, bool *ret_keep,
                                          struct fd_error *err);
struct fd_json_stream_opts {
        fd_json_item_fn item;
        void (*warn)(void *ud, const char *msg);  /* duplicate keys; may be NULL */
        void *ud;
        const char *where;                        /* named in errors and warnings */
};
/* Reads the JSON document of f (from its position to its end) with yajl,
 * handing the items of its catalogue array to o->item; *ret is the rest
 * (the frame).  Errors: FD_E_PARSE "'<where>' line L column C: reason",
 * an item's own status. */
enum fd_status fd_json_stream_file(FILE *f, const struct fd_json_stream_opts *o, json_t **ret,
                                   struct fd_error *err);

/* ---- JSON-LD (jsonld.c): quads to a sink --------------------------------- */

typedef enum fd_status (*fd_jsonld_quad_fn)(void *ud, const struct fd_rdf_term *s, const struct fd_rdf_term *p,
                                            const struct fd_rdf_term *o, const struct fd_rdf_term *graph,
                                            struct fd_error *err);

struct fd_jsonld_opts {
        const char *base;        /* document URL, or NULL */
        const char *where;       /* named in errors */
        bool produce_generalized; /* keep blank-node predicates (off: dropped, as toRdf does) */
        bool json_1_0;           /* processingMode json-ld-1.0 */
        const struct fd_jsonld_contexts *contexts; /* looked up before the bundled ones; may be NULL */
        json_t *expand_context;  /* the expandContext option: a context applied first, or NULL */
        const char *rdf_direction; /* "i18n-datatype", "compound-literal" or NULL (direction dropped) */
};

/* JSON-LD 1.1 expansion and toRdf of doc (a parsed jansson value): each
 * quad goes to fn.  Remote contexts are never fetched: opts->contexts and
 * the bundled ones (fd_jsonld_bundled) are used, any other is
 * FD_E_UNSUPPORTED naming it.  Invalid documents are FD_E_PARSE with the
 * JSON-LD error code ("'<where>': JSON-LD <code>: <detail>"); bounds
 * (nesting, remote context chains) are FD_E_LIMIT. */
enum fd_status fd_jsonld_to_rdf(json_t *doc, const struct fd_jsonld_opts *opts, fd_jsonld_quad_fn fn, void *ud,
                                struct fd_error *err);
/* A document read top-level item by top-level item (the items of a
 * top-level array, or of the @graph of {"@context": c, "@graph": [...]}),
 * as fd_jsonld_to_rdf reads such a document, without holding it whole:
 * the context is processed once, each item expanded and its quads sent to
 * fn.  opts is copied (its strings borrowed); fn's ud and err are
 * borrowed until fd_jsonld_stream_free. */
struct fd_jsonld_stream;
/* graph: the items are a @graph's, with context (the @context beside it,
 * or NULL); else a top-level array's (context NULL). */
enum fd_status fd_jsonld_stream_new(const struct fd_jsonld_opts *opts, bool graph, json_t *context,
                                    fd_jsonld_quad_fn fn, void *ud, struct fd_error *err,
                                    struct fd_jsonld_stream **ret);
enum fd_status fd_jsonld_stream_item(struct fd_jsonld_stream *s, json_t *item);
void fd_jsonld_stream_free(struct fd_jsonld_stream *s);
FD_DEFINE_FREEP(jsonld_stream, struct fd_jsonld_stream, fd_jsonld_stream_free)
/* The expanded form of doc (JSON-LD 1.1 expand()): a new array in *ret.
 * Statuses as fd_jsonld_to_rdf. */
enum fd_status fd_jsonld_expand(json_t *doc, const struct fd_jsonld_opts *opts, json_t **ret, struct fd_error *err);
/* The text of a bundled remote context by URL, or NULL. */
const char *fd_jsonld_bundled(const char *url);

/* An empty set of operator contexts. */
enum fd_status fd_jsonld_contexts_new(struct fd_jsonld_contexts **ret, struct fd_error *err);
/* Reads the JSON document at path as the document of url (a later add of
 * the same URL replaces it).  FD_E_IO, FD_E_PARSE (not JSON), FD_E_LIMIT
 * (over 8 MiB, 64 MiB or 4096 contexts in all). */
enum fd_status fd_jsonld_contexts_add(struct fd_jsonld_contexts *c, const char *url, const char *path,
                                      struct fd_error *err);
/* The contexts that dir/index.tsv names: lines "URL<TAB>file" (file
 * relative to dir), blank lines and lines starting with '#' ignored.  An
 * unreadable index or file, a malformed line or a file that is not a JSON
 * object with "@context" is an error naming it. */
enum fd_status fd_jsonld_contexts_load(const char *dir, struct fd_jsonld_contexts **ret, struct fd_error *err);
void fd_jsonld_contexts_free(struct fd_jsonld_contexts *c);
FD_DEFINE_FREEP(jsonld_contexts, struct fd_jsonld_contexts, fd_jsonld_contexts_free)
/* The document for url (borrowed, lives as long as c), or NULL. */
json_t *fd_jsonld_contexts_get(const struct fd_jsonld_contexts *c, const char *url);

/* ---- DCAT on top of the RDF layer (dcat_map.c, dcat_json.c) -------------- */

#define FD_NS_DCAT "http://www.w3.org/ns/dcat#"
#define FD_NS_DCT "http://purl.org/dc/terms/"
#define FD_NS_FOAF "http://xmlns.com/foaf/0.1/"
#define FD_NS_VCARD "http://www.w3.org/2006/vcard/ns#"
#define FD_NS_ADMS "http://www.w3.org/ns/adms#"
#define FD_NS_SKOS "http://www.w3.org/2004/02/skos/core#"
#define FD_NS_SCHEMA "http://schema.org/"
#define FD_NS_HYDRA "http://www.w3.org/ns/hydra/core#"
#define FD_NS_OWL "http://www.w3.org/2002/07/owl#"
#define FD_NS_TIME "http://www.w3.org/2006/time#"
#define FD_NS_LOCN "http://www.w3.org/ns/locn#"
#define FD_NS_PROV "http://www.w3.org/ns/prov#"
#define FD_NS_SPDX "http://spdx.org/rdf/terms#"
#define FD_NS_DCATAP "http://data.europa.eu/r5r/"
#define FD_NS_GSP "http://www.opengis.net/ont/geosparql#"

/* How a catalogue's graph reads its triples: https://schema.org/ as
 * http://schema.org/, DC elements 1.1 as DC terms, dct:keyword as
 * dcat:keyword; dcat:dataset, schema:dataset and dcat:accessService kept
 * reversed; the Hydra paging triples kept aside. */
extern const struct fd_rdf_vocab fd_dcat_vocab;

/* True when doc is a DCAT-US / Project Open Data catalogue (an object with
 * a "dataset" array and no usable @context) or a CKAN action API answer. */
bool fd_dcat_json_is_plain(json_t *doc);
/* Adds the DCAT reading of a data.json catalogue or of a CKAN
 * package_search / package_show answer to g.  site is the CKAN site URL
 * (dataset IRIs are <site>/dataset/<name>). */
enum fd_status fd_dcat_json_read(struct fd_rdf_graph *g, json_t *doc, const char *base, const char *site,
                                 struct fd_error *err);
/* Geometry literals (dcat_geo.c): locn:geometry, dcat:bbox, dcat:centroid.
 * The point (one coordinate pair) or bounding box (more) of a geometry
 * literal into ret's has_point/lat/lon or has_box/west/east/south/north;
 * false when it holds no coordinates.  ret's place is left alone. */
bool fd_dcat_geometry(const char *value, const char *datatype, struct fd_geo *ret);
/* The same for schema.org's "latitude longitude ..." texts (GeoShape box,
 * polygon, line). */
bool fd_dcat_latlon_text(const char *value, struct fd_geo *ret);

/* One item of a data.json "dataset" array or of a CKAN answer's results
 * (ckan) into g, as fd_dcat_json_read reads it; *blank numbers the blank
 * nodes of the document across its items (start at 0). */
enum fd_status fd_dcat_json_item(struct fd_rdf_graph *g, json_t *item, bool ckan, const char *base, const char *site,
                                 unsigned long *blank, struct fd_error *err);
/* The IRI of CKAN dataset name on site, <site>/dataset/<name>, into buf
 * (cut to size): the dataset's id in the index. */
void fd_ckan_dataset_iri(const char *site, const char *name, char *buf, size_t size);

/* True when t has an rdf:type that makes it a dataset of its own
 * (dcat:Dataset, DatasetSeries, DataService, schema:Dataset). */
bool fd_dcat_is_dataset(const struct fd_rdf_graph *g, const struct fd_rdf_term *t);
/* A canonical 64-bit hash of the dataset's description: its triples and,
 * recursively, those of the nodes it points to that are not datasets
 * themselves (blank node labels do not enter it). */
uint64_t fd_dcat_hash(const struct fd_rdf_graph *g, const struct fd_rdf_term *ds);
/* The stable local id of a dataset: its IRI, else its dct:identifier,
 * else "hash:<hex>" of its description. Copied into a. */
const char *fd_dcat_local_id(const struct fd_rdf_graph *g, const struct fd_rdf_term *ds, struct fd_arena *a);
/* Maps the dataset node ds of g to a new record in a.  warn gets values
 * that are lost (bad language tag, unknown media type). */
enum fd_status fd_dcat_map(const struct fd_rdf_graph *g, const struct fd_rdf_term *ds, const char *source,
                           struct fd_arena *a, void (*warn)(void *ud, const char *msg), void *ud,
                           struct fd_record **ret, struct fd_error *err);

/* Calls fn with each dataset node of the finished graph g (read with
 * fd_dcat_vocab; in node order): nodes typed dcat:Dataset,
 * dcat:DatasetSeries, dcat:DataService (unless only a distribution's
 * dcat:accessService) or schema:Dataset, and untyped objects of
 * dcat:dataset described in the document, and a graph holding its description: g
 * itself when it is in memory, else a graph of the dataset's own (its
 * triples and those of the nodes it points to that are not datasets, read
 * back from the sorted file), bounded to 1 million triples and 128 MiB: a
 * dataset beyond is reported to skip (may be NULL) and left out.  *ret_n
 * counts the datasets. */
typedef enum fd_status (*fd_dcat_dataset_fn)(void *ud, const struct fd_rdf_graph *g, const struct fd_rdf_term *ds,
                                             struct fd_error *err);
enum fd_status fd_dcat_each(struct fd_rdf_graph *g, fd_dcat_dataset_fn fn, void (*skip)(void *ud, const char *msg),
                            void *ud, size_t *ret_n, struct fd_error *err);

/* The next page of a Hydra-paged document, or NULL: the object of
 * hydra:next / hydra:nextPage of a node typed hydra:PartialCollectionView
 * or hydra:PagedCollection (else of any node), IRI or literal. */
const char *fd_dcat_hydra_next(const struct fd_rdf_graph *g);

#endif
