/* fd_index.h: the Xapian index behind a plain C interface.
 *
 * index/shim.cc is the only C++ in fairdex.  Every function here is
 * noexcept: Xapian exceptions are caught at this boundary and come back as
 * a status (FD_E_LOCKED, FD_E_CORRUPT, FD_E_INDEX, FD_E_NOMEM, …) and a
 * message naming the database path.
 *
 * One writer (the indexer thread) opens the database writable; each reader
 * thread opens its own read-only handle and reopens it after commits.  A
 * handle is used by one thread at a time.
 */
#ifndef FD_INDEX_H
#define FD_INDEX_H

#include "fd_fair.h"
#include "fd_record.h"

#ifdef __cplusplus
extern "C" {
/* The C++ definitions are noexcept, so the declarations have to say so. */
#define FD_INDEX_NOEXCEPT noexcept
#else
#define FD_INDEX_NOEXCEPT
#endif

struct fd_index;

/* Opens (creating when missing, for writable) the database directory path.
 * A second writer gets FD_E_LOCKED.  A database of another schema version
 * gets FD_E_INVALID. */
enum fd_status fd_index_open(const char *path, bool writable, struct fd_index **ret_index,
                             struct fd_error *err) FD_INDEX_NOEXCEPT;
/* Closes idx; a writable handle's uncommitted changes are discarded. */
void fd_index_free(struct fd_index *idx) FD_INDEX_NOEXCEPT;
FD_DEFINE_FREEP(index, struct fd_index, fd_index_free)

/* Readers: makes the latest commit visible. */
enum fd_status fd_index_reopen(struct fd_index *idx, struct fd_error *err) FD_INDEX_NOEXCEPT;

/* ---- writing (writable handles only) ---------------------------------- */

/* Adds or replaces the document of r (unique term from r->id); json is the
 * record's JSON text stored as the document data; fair may be NULL. */
enum fd_status fd_index_put(struct fd_index *idx, const struct fd_record *r, const struct fd_fair_assessment *fair,
                            const char *json, struct fd_error *err) FD_INDEX_NOEXCEPT;
/* Removes the document with this record id (absent: FD_OK). */
enum fd_status fd_index_delete(struct fd_index *idx, const char *id, struct fd_error *err) FD_INDEX_NOEXCEPT;
/* Sets a metadata entry (committed with the next commit); value "" removes it. */
enum fd_status fd_index_set_meta(struct fd_index *idx, const char *key, const char *value,
                                 struct fd_error *err) FD_INDEX_NOEXCEPT;
/* Makes every change since the last commit durable and visible, atomically. */
enum fd_status fd_index_commit(struct fd_index *idx, struct fd_error *err) FD_INDEX_NOEXCEPT;
/* Discards every change since the last commit. */
enum fd_status fd_index_cancel(struct fd_index *idx, struct fd_error *err) FD_INDEX_NOEXCEPT;

/* ---- reading ---------------------------------------------------------- */

/* A metadata entry as a malloc'ed string (caller frees), FD_E_NOTFOUND when
 * absent. */
enum fd_status fd_index_get_meta(struct fd_index *idx, const char *key, char **ret_value,
                                 struct fd_error *err) FD_INDEX_NOEXCEPT;
/* Number of documents. */
enum fd_status fd_index_count(struct fd_index *idx, uint64_t *ret_count, struct fd_error *err) FD_INDEX_NOEXCEPT;
/* Number of documents of one source. */
enum fd_status fd_index_count_source(struct fd_index *idx, const char *source, uint64_t *ret_count,
                                     struct fd_error *err) FD_INDEX_NOEXCEPT;

/* The stored JSON text of record id (malloc'ed, caller frees), FD_E_NOTFOUND. */
enum fd_status fd_index_get(struct fd_index *idx, const char *id, char **ret_json,
                            struct fd_error *err) FD_INDEX_NOEXCEPT;

#define FD_INDEX_MAX_LIMIT 100
/* The most values a facet answer lists (facet_limit). */
#define FD_INDEX_MAX_FACET_LIMIT 1000
/* Totals are exact when the match holds fewer than this many records (or when
 * facets are asked for, up to FD_INDEX_FACET_SCAN records); beyond, they
 * are Xapian's estimate and the answer says "total_exact":false. */
#define FD_INDEX_EXACT_TOTAL 100
/* Facets are counted over the whole match up to this many records. */
#define FD_INDEX_FACET_SCAN 1000000
/* The most hits suggest and similar return. */
#define FD_INDEX_MAX_SUGGEST 50

enum fd_search_sort { FD_SORT_RELEVANCE, FD_SORT_DATE, FD_SORT_FAIR };

struct fd_search_opts {
        const char *q;       /* Xapian query-parser syntax; "" or NULL matches everything */
        unsigned offset;
        unsigned limit;      /* at most FD_INDEX_MAX_LIMIT */
        /* The query's language (BCP 47): its stemmer.  NULL: the query
         * matches unstemmed words and English stems. */
        const char *lang;
        /* Borrowed JSON, NULL when absent; the index checks their shape and
         * answers FD_E_INVALID naming what is wrong (docs/protocol.md):
         * filters {"type":[...],...,"year":{"from":..,"to":..}}, facets a
         * list of facet names, fields a list of record field names. */
        json_t *filters;
        json_t *facets;
        json_t *fields;
        unsigned facet_limit;      /* values per facet, 0: 20 */
        enum fd_search_sort sort;
        bool ascending;            /* date and fair sorts: oldest/lowest first */
        bool snippets;             /* hits get "snippets" with <b>…</b> marks */
        /* NULL, or the "next_cursor" of the previous page of the same
         * search (q, lang, filters, sort and order): continues after its
         * last hit, at any depth; scores keep the scale of the page the
         * walk began with.  With a cursor, offset must be 0.  A cursor
         * that does not decode, comes from another search or from an
         * older fairdex, is FD_E_INVALID. */
        const char *cursor;
};

/* The deepest offset a caller should accept (the daemon refuses more;
 * the index itself takes any, at the cost of ranking offset + limit
 * records).  Cursors page without a bound under every sort; a relevance
 * cursor page costs one pass over the whole match, memory O(limit). */
#define FD_INDEX_MAX_OFFSET 10000

/* Runs a search.  *ret_result is a new JSON object {"total":N,
 * "total_exact":B,"hits":[{"id","source","sources","title","score",
 * "doi","year"...},...],"facets":{...},"did_you_mean":..,"next_cursor":..} (caller
 * owns; docs/protocol.md).  Records sharing a DOI are one hit.  A query
 * that does not parse, or filters/facets/fields of the wrong shape, is
 * FD_E_INVALID. */
enum fd_status fd_index_search(struct fd_index *idx, const struct fd_search_opts *opts, json_t **ret_result,
                               struct fd_error *err) FD_INDEX_NOEXCEPT;

/* Completes prefix (its last word) from the words of titles, creators and
 * subjects: *ret_result is {"suggestions":[{"value":..,"count":..},...]},
 * most frequent first, at most limit (1..FD_INDEX_MAX_SUGGEST). */
enum fd_status fd_index_suggest(struct fd_index *idx, const char *prefix, unsigned limit, json_t **ret_result,
                                struct fd_error *err) FD_INDEX_NOEXCEPT;

/* Records like record id (relevance feedback from its terms): *ret_result
 * as fd_index_search's, without the record itself; FD_E_NOTFOUND. */
enum fd_status fd_index_similar(struct fd_index *idx, const char *id, unsigned limit, json_t **ret_result,
                                struct fd_error *err) FD_INDEX_NOEXCEPT;

/* ---- record ids of a source (index/ids.cc) ---------------------------- */

/* Called with each id; returns false to stop the walk. */
typedef bool (*fd_index_id_fn)(void *userdata, const char *id);

/* Calls fn with the id of every record of source ("source:identifier") in
 * the database at path as last committed, in the order of their unique
 * terms, starting after the id after (NULL: from the first).  Opens its own
 * read-only view, so any thread may call it while the writer commits; when
 * that view had to be reopened mid-walk, fn may see an id twice.  Statuses:
 * FD_OK (walked to the end or fn stopped it), FD_E_NOTFOUND (no database at
 * path), FD_E_INVALID, FD_E_CORRUPT, FD_E_IO, FD_E_INDEX, FD_E_NOMEM. */
enum fd_status fd_index_ids(const char *path, const char *source, const char *after, fd_index_id_fn fn,
                            void *userdata, struct fd_error *err) FD_INDEX_NOEXCEPT;

#ifdef __cplusplus
}
#endif

/* ---- FAIR (index/fair.cc) ---------------------------------------------- */

#ifdef __cplusplus
namespace Xapian {
class Document;
}
/* Adds r's FAIR outcomes to doc as boolean terms and returns it: per
 * indicator "XF:<id>:<outcome>" (pass, partial, fail, na) and, unless n/a,
 * "XF:<id>:<points>"; "XFV<rubric version>"; "XFL:<licence as written>" for
 * each licence that does not resolve to SPDX.  fair NULL: doc unchanged.
 * May throw (called inside fd_index_put's try). */
Xapian::Document fd_index_fair_terms(Xapian::Document doc, const struct fd_record *r,
                                     const struct fd_fair_assessment *fair);
extern "C" {
#endif

#define FD_INDEX_FAIR_WORST_MAX 100

struct fd_fair_report_opts {
        const char *source;   /* NULL or "": every source */
        unsigned worst;       /* how many lowest-scoring records to list, at most FD_INDEX_FAIR_WORST_MAX */
        bool summary;         /* only records, scored and scores (no indicators, worst, licences) */
};

/* The FAIR report over the index at path (opened read-only here, at its
 * latest commit), as a new JSON object (caller owns):
 * {"source","rubric","records","scored","scores":{"overall"|"F"|"A"|"I"|"R":
 * {"mean","bands":[4],"histogram":[10]}},"indicators":[{"id","principle",
 * "title","fuji","rda","max_points","pass","partial","fail","na",
 * "fail_share","partial_share","lift"}…],"worst":[{"id","title","overall",
 * "F","A","I","R","fix":{"id","hint"}|null}…],"unrecognised_licenses":[{"value","count"}…],
 * "rubrics":{"<version>":count}} (docs/protocol.md, `fair`).  Memory is
 * bounded by opts->worst, not by the number of records.  FD_E_NOTFOUND
 * when there is no index yet, FD_E_INVALID for a source name too long to
 * be a term, else the index statuses. */
enum fd_status fd_index_fair_report(const char *path, const struct fd_fair_report_opts *opts, json_t **ret_report,
                                    struct fd_error *err) FD_INDEX_NOEXCEPT;

/* The datestamp stored with record id (malloc'ed, caller frees); on the
 * writable handle it includes uncommitted changes.  FD_E_NOTFOUND when
 * there is no such record or it was stored without a datestamp. */
enum fd_status fd_index_get_datestamp(struct fd_index *idx, const char *id, char **ret,
                                      struct fd_error *err) FD_INDEX_NOEXCEPT;

#ifdef __cplusplus
}
#endif

#endif
