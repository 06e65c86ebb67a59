/* rdf.h: the RDF graph the DCAT driver maps from, and the readers that
 * fill it (private to harvesters/).
 *
 * One document (one catalogue page) is read into one struct fd_rdf_graph:
 * triples whose strings live in the graph's arena, sorted by subject once
 * the document is read so that a node's description is a binary search
 * away.  A streamed graph (fd_rdf_graph_new_streamed) holds at most its
 * memory budget: past it, the triples in hand are sorted and written to a
 * temporary file as a run, and fd_rdf_graph_finish merges the runs into one
 * file sorted by subject with an index of where each subject starts;
 * fd_dcat_each then hands each dataset over in a small graph of its own
 * (its concise bounded description), read back from the file.  Readers:
 * Turtle, N-Triples and N-Quads through serd, RDF/XML through raptor2,
 * JSON-LD through our own reader (jsonld.c), plain JSON (DCAT-US
 * data.json, CKAN package_search) through dcat_json.c.  The graph is
 * bounded by a triple count and its arena's cap: a document beyond them
 * fails with FD_E_LIMIT.
 */
#ifndef FD_HARVESTERS_RDF_H
#define FD_HARVESTERS_RDF_H

#include <stdio.h>

#include <jansson.h>

#include "private.h"

#define FD_NS_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define FD_NS_XSD "http://www.w3.org/2001/XMLSchema#"
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
        /* streamed graphs only (NULL otherwise) */
        struct fd_rdf_spill *spill;  /* the runs on disk, then the merged file */
        struct fd_rdf_graph *rev;    /* (object, predicate, subject) of dcat:dataset,
                                      * schema:dataset and dcat:accessService: streamed too */
        struct fd_rdf_graph *aside;  /* Hydra paging triples, kept in memory (bounded) */
        size_t total;                /* triples added, spilled ones included */
        const struct fd_jsonld_contexts *contexts; /* for JSON-LD documents (fd_rdf_read); may be NULL */
};

/* A graph of at most max_triples (0: 4 million) with an arena of arena_cap
 * bytes (0: 512 MiB). */
enum fd_status fd_rdf_graph_new(size_t max_triples, size_t arena_cap, struct fd_rdf_graph **ret,
                                struct fd_error *err);
void fd_rdf_graph_free(struct fd_rdf_graph *g);
FD_DEFINE_FREEP(rdf_graph, struct fd_rdf_graph, fd_rdf_graph_free)

/* A graph that holds at most budget bytes in memory (0: 32 MiB) and spools
 * the rest to temporary files; at most max_triples in all (0: 100 million).
 * Read it with fd_rdf_graph_finish then fd_dcat_each and
 * fd_dcat_hydra_next: the triples are in g->v only when the document fit
 * the budget (nothing was spilled). */
enum fd_status fd_rdf_graph_new_streamed(size_t max_triples, size_t budget, struct fd_rdf_graph **ret,
                                         struct fd_error *err);
/* A new temporary file in $TMPDIR (else /tmp), already unlinked; NULL
 * with errno on failure. */
FILE *fd_rdf_temp_file(void);
/* Ends reading: sorts an in-memory graph, merges a spilled one. */
enum fd_status fd_rdf_graph_finish(struct fd_rdf_graph *g, struct fd_error *err);
/* True when g went to disk. */
bool fd_rdf_graph_spilled(const struct fd_rdf_graph *g);

/* Adds a triple, copying the strings.  Predicates and rdf:type objects are
 * read as what they mean: https://schema.org/ as http://schema.org/,
 * DC elements 1.1 as DC terms, dct:keyword as dcat:keyword.  FD_E_LIMIT
 * past the bounds. */
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

/* ---- readers ----------------------------------------------------------- */

enum fd_rdf_syntax {
        FD_RDF_UNKNOWN = 0,
        FD_RDF_TURTLE,
        FD_RDF_NTRIPLES,
        FD_RDF_NQUADS,
        FD_RDF_TRIG,
        FD_RDF_RDFXML,
        FD_RDF_JSONLD,   /* JSON with an @context, or anything JSON that is not plain catalogue JSON */
        FD_RDF_JSON,     /* plain JSON: DCAT-US data.json or CKAN package_search (dcat_json.c) */
};

const char *fd_rdf_syntax_name(enum fd_rdf_syntax s);

/* The syntax of a document from its Content-Type (may be NULL), else the
 * extension of its URL, else its first bytes. */
enum fd_rdf_syntax fd_rdf_sniff(const char *content_type, const char *url, const char *data, size_t len);

/* Reads the document from f (read from its current position, statement
 * by statement: serd and raptor2 never hold more than a buffer of it) into
 * g, resolving relative IRIs against base.  JSON is parsed whole by
 * jansson: at most max_json bytes of it (0: 256 MiB), else FD_E_LIMIT.  A
 * document that is not well-formed is FD_E_PARSE "'<where>' line L column
 * C: reason". */
enum fd_status fd_rdf_read(struct fd_rdf_graph *g, enum fd_rdf_syntax syntax, FILE *f, size_t max_json,
                           const char *base, const char *where, struct fd_error *err);

/* ---- JSON-LD (jsonld.c) ------------------------------------------------ */

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
/* The expanded form of doc (JSON-LD 1.1 expand()): a new array in *ret.
 * Statuses as fd_jsonld_to_rdf. */
enum fd_status fd_jsonld_expand(json_t *doc, const struct fd_jsonld_opts *opts, json_t **ret, struct fd_error *err);
/* The text of a bundled remote context by URL, or NULL. */
const char *fd_jsonld_bundled(const char *url);

/* An empty set of operator contexts. */
enum fd_status fd_jsonld_contexts_new(struct fd_jsonld_contexts **ret, struct fd_error *err);
/* Reads the JSON document at path as the document of url (a later add of
 * the same URL replaces it).  FD_E_IO, FD_E_PARSE (not JSON), FD_E_LIMIT (over 8 MiB, 64 MiB or 4096 contexts in
 * all). */
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

/* Parses JSON text refusing duplicate keys: FD_E_PARSE "'<where>' line L
 * column C: reason". */
enum fd_status fd_json_parse(const char *data, size_t len, const char *where, json_t **ret, struct fd_error *err);
/* The same from f's current position to its end, at most max bytes (0:
 * 256 MiB; beyond: FD_E_LIMIT): jansson holds the whole value. */
enum fd_status fd_json_load_file(FILE *f, size_t max, const char *where, json_t **ret, struct fd_error *err);

/* ---- plain JSON catalogues (dcat_json.c) ------------------------------- */

/* True when doc is a DCAT-US / Project Open Data catalogue (an object with
 * a "dataset" array and no usable @context) or a CKAN action API answer. */
bool fd_dcat_json_is_plain(json_t *doc);
/* Adds the DCAT reading of a data.json catalogue or of a CKAN
 * package_search / package_show answer to g.  site is the CKAN site URL
 * (dataset IRIs are <site>/dataset/<name>). */
enum fd_status fd_dcat_json_read(struct fd_rdf_graph *g, json_t *doc, const char *base, const char *site,
                                 struct fd_error *err);

/* ---- the DCAT mapping (dcat_map.c) -------------------------------------- */

/* The dataset nodes of g (dcat:Dataset, dcat:DatasetSeries,
 * dcat:DataService, schema:Dataset) in document order, written to *ret
 * (malloc'ed array of terms pointing into g). */
enum fd_status fd_dcat_datasets(const struct fd_rdf_graph *g, struct fd_rdf_term **ret, size_t *ret_n,
                                struct fd_error *err);
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

/* True for the types that make a node a dataset (dcat:Dataset,
 * dcat:DatasetSeries, dcat:DataService, schema:Dataset). */
bool fd_dcat_is_dataset_type(const char *iri);

/* Calls fn with each dataset node of the finished graph g (in node order)
 * and a graph holding its description: g itself when it is in memory, else
 * a graph of the dataset's own (its triples and those of the nodes it
 * points to that are not datasets, read back from the sorted file),
 * bounded to 1 million triples and 128 MiB: a dataset beyond is reported
 * to skip (may be NULL) and left out.  *ret_n counts the datasets. */
typedef enum fd_status (*fd_dcat_dataset_fn)(void *ud, const struct fd_rdf_graph *g, const struct fd_rdf_term *ds,
                                             struct fd_error *err);
enum fd_status fd_dcat_each(struct fd_rdf_graph *g, fd_dcat_dataset_fn fn, void (*skip)(void *ud, const char *msg),
                            void *ud, size_t *ret_n, struct fd_error *err);

/* The next page of a Hydra-paged document, or NULL: the object of
 * hydra:next / hydra:nextPage of a node typed hydra:PartialCollectionView
 * or hydra:PagedCollection (else of any node), IRI or literal. */
const char *fd_dcat_hydra_next(const struct fd_rdf_graph *g);

#endif
