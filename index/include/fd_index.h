/* fd_index.h: the Xapian index behind a plain C interface.
 *
 * index/ is the only C++ in fairdex.  Every function here is
 * noexcept: Xapian exceptions are caught at this boundary and come back as
 * a status (FD_E_LOCKED, FD_E_CORRUPT, FD_E_INDEX, FD_E_NOMEM, …) and a
 * message naming the database path.
 *
 * One writer (the indexer thread) opens the database writable; each reader
 * thread opens its own read-only handle and reopens it after commits.  A
 * handle is used by one thread at a time.
 *
 * Requests and answers are C types: the index knows no JSON and no
 * protocol (daemon/json_search.c and json_fair.c write it).  An answer
 * (struct fd_search_result, struct fd_fair_report) and everything it
 * points to lives in one arena, freed with the answer by its _free
 * function; the stored record JSON is an opaque string here.
 */
#ifndef FD_INDEX_H
#define FD_INDEX_H

#include "fd_fair.h"
#include "fd_record.h"

#ifndef FD_INDEX_NOEXCEPT
#define FD_INDEX_NOEXCEPT
#endif

#ifdef __cplusplus
extern "C" {
#endif

struct fd_index;

/* Where an index lives: one database or several shards searched as one.
 * locs[i] is a directory path or "tcp://host:port" (a xapian-tcpsrv);
 * names[i] is how the configuration names shard i (its path or its
 * remote URL), used in messages and in "missing_shards".  Shard 0 is the
 * home shard: the daemon's metadata (checkpoints) lives there. */
struct fd_index_shards {
        const char *const *locs;
        const char *const *names;
        size_t n;
};

/* Whether loc names a remote database ("tcp://host:port"). */
bool fd_index_loc_remote(const char *loc) FD_INDEX_NOEXCEPT;

/* Opens (creating when missing, for writable) the database at loc: a
 * directory path, or "tcp://host:port" served by xapian-tcpsrv (writable:
 * a `--writable` one; connecting and each call time out after
 * FD_INDEX_REMOTE_TIMEOUT_MS, and the call fails with FD_E_IO).  A second
 * writer gets FD_E_LOCKED.  A database of another schema version gets
 * FD_E_INVALID. */
enum fd_status fd_index_open(const char *loc, bool writable, struct fd_index **ret_index,
                             struct fd_error *err) FD_INDEX_NOEXCEPT;
#define FD_INDEX_REMOTE_TIMEOUT_MS 10000
#define FD_INDEX_REMOTE_CONNECT_MS 2000

/* A read-only handle over every shard as one database.  With one shard it
 * is fd_index_open(locs[0], false).  With more, shards that do not open
 * (or fail in the middle of a call) are left out instead of failing the
 * call, and the answers made without them say so (partial); every read
 * call and fd_index_reopen try the missing ones again (at most once a
 * second).  With every shard missing, opening and calls fail (FD_E_IO
 * naming them).  A shard of another schema version is FD_E_INVALID.
 * shards is copied: it need not outlive the handle. */
enum fd_status fd_index_open_shards(const struct fd_index_shards *shards, struct fd_index **ret_index,
                                    struct fd_error *err) FD_INDEX_NOEXCEPT;

/* The names of the shards the last call on idx had to leave out (n 0:
 * none); valid until the next call on idx. */
void fd_index_missing(struct fd_index *idx, const char *const **ret_names, size_t *ret_n) FD_INDEX_NOEXCEPT;

/* Closes idx; a writable handle's uncommitted changes are discarded. */
void fd_index_free(struct fd_index *idx) FD_INDEX_NOEXCEPT;
FD_DEFINE_FREEP(index, struct fd_index, fd_index_free)

/* Readers: makes the latest commit visible. */
enum fd_status fd_index_reopen(struct fd_index *idx, struct fd_error *err) FD_INDEX_NOEXCEPT;

/* ---- writing (writable handles only) ---------------------------------- */

/* Test hook (FD_TEST_NO_FACET_PAIRS, daemon/testhooks.c): documents
 * written from now on lack the facet pairs, as records written before the
 * pairs existed do. */
void fd_index_test_without_facet_pairs(void) FD_INDEX_NOEXCEPT;

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
 * absent.  Over shards, the home shard's (shard 0), FD_E_IO while it is
 * missing. */
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

/* The metadata as harvested of record id (r->raw when it was put: bytes,
 * malloc'ed, caller frees), FD_E_NOTFOUND when there is no such record or
 * it was kept without. */
enum fd_status fd_index_get_raw(struct fd_index *idx, const char *id, void **ret_raw, size_t *ret_len,
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
/* The deepest offset a caller should accept (the daemon refuses more;
 * the index itself takes any, at the cost of ranking offset + limit
 * records).  Cursors page without a bound under every sort; a relevance
 * cursor page costs one pass over the whole match, memory O(limit). */
#define FD_INDEX_MAX_OFFSET 10000
/* Request bounds the caller checks (docs/protocol.md): values of one
 * filter, bytes of one filter value, distinct facets. */
#define FD_INDEX_FILTER_VALUES_MAX 64
#define FD_INDEX_FILTER_VALUE_MAX 200
#define FD_INDEX_FACETS_MAX 16

enum fd_search_sort { FD_SORT_RELEVANCE, FD_SORT_DATE, FD_SORT_FAIR, FD_SORT_NEAR };

/* What one hit stands for: an object (records sharing a DOI) or a work
 * (its versions, linked by version relations or a concept DOI). */
enum fd_search_collapse { FD_COLLAPSE_DOI, FD_COLLAPSE_VERSION };

/* What a filter restricts: a list field (any of its values) or a range. */
enum fd_search_field {
        FD_FIELD_TYPE,      /* resourceTypeGeneral */
        FD_FIELD_SOURCE,
        FD_FIELD_LANG,
        FD_FIELD_LICENSE,   /* SPDX id */
        FD_FIELD_ACCESS,
        FD_FIELD_YEAR,      /* range */
        FD_FIELD_FAIR,      /* range: the overall FAIR score */
        FD_FIELD_INDICATOR, /* a FAIR outcome "<indicator>:<outcome or points>" */
        FD_FIELD_SUBJECT,   /* facets only */
        FD_FIELD_AFFILIATION, /* facets only: ROR ids of affiliations and publishers, labelled */
        FD_FIELD_FUNDER,      /* facets only: funder ids, labelled */
        FD_FIELD_BBOX,        /* filter only: box, the spatial extent intersects it */
        FD_FIELD_DURING,      /* filter only: from/to as YYYYMMDD, the temporal coverage overlaps */
        FD_FIELD_DISCIPLINE,  /* facets only: OECD FOS 2007 ids, labelled */
        FD_FIELD_COUNT
};

/* One filter: values (n_values >= 1) for a list field, from/to for a
 * range.  Filters AND together; a list filter's values OR together. */
struct fd_search_filter {
        enum fd_search_field field;
        const char *const *values;
        size_t n_values;
        bool has_from, has_to;
        int from, to;
        /* FD_FIELD_BBOX: west, south, east, north (WGS 84 degrees; west >
         * east crosses the antimeridian). */
        double box[4];
};

/* A search request; every pointer is borrowed for the call. */
struct fd_search_request {
        const char *q;       /* Xapian query-parser syntax; "" or NULL matches everything */
        unsigned offset;
        unsigned limit;      /* 0: 10; at most FD_INDEX_MAX_LIMIT */
        /* The query's language (BCP 47): its stemmer.  NULL: the query
         * matches unstemmed words and English stems. */
        const char *lang;
        const struct fd_search_filter *filters;
        size_t n_filters;
        /* The fields to count values of (FD_FIELD_YEAR by year, FD_FIELD_FAIR
         * by band "0-25" … "75-100"; FD_FIELD_INDICATOR is not a facet);
         * a field named twice is counted once. */
        const enum fd_search_field *facets;
        size_t n_facets;
        unsigned facet_limit;      /* values per facet, 0: 20 */
        enum fd_search_sort sort;
        bool ascending;            /* date and fair sorts: oldest/lowest first */
        bool snippets;             /* hits get snippets with <b>…</b> marks */
        bool record_json;          /* hits carry their stored record JSON */
        /* NULL, or the next_cursor of the previous page of the same
         * search (q, lang, filters, sort and order): continues after its
         * last hit, at any depth; scores keep the scale of the page the
         * walk began with.  With a cursor, offset must be 0.  A cursor
         * that does not decode, comes from another search or from an
         * older fairdex, is FD_E_INVALID. */
        const char *cursor;
        /* FD_COLLAPSE_VERSION: one hit per work, its newest matching
         * version, total counting works; no cursor (FD_E_INVALID). */
        enum fd_search_collapse collapse;
        /* FD_SORT_NEAR: the point hits are sorted by distance from (the
         * nearest point of a record's extent: a box counts by its centre). */
        double near_lat, near_lon;
};

/* A value and how many records have it (facets, suggestions, licences). */
struct fd_index_count {
        const char *value;
        uint64_t count;
        /* Labelled facets (affiliation, funder): the name most records
         * give the identifier value (ties: the smallest), NULL when none. */
        const char *label;
};

/* One hit: a record standing for its object (records sharing a DOI are
 * one hit).  Strings are NULL when the record has none. */
struct fd_search_hit {
        const char *id, *source, *title, *doi;
        /* Every source holding the object, sorted, the hit's own included. */
        const char *const *sources;
        size_t n_sources;
        int score;          /* 0–100 */
        int year;           /* 0: none */
        int fair;           /* overall FAIR score, -1: not scored */
        /* With snippets: the title and description picked by
         * fd_record_title() and fd_record_description(), marked up; NULL
         * when the record has no such text. */
        const char *snippet_title, *snippet_description;
        /* With record_json: the stored record JSON (NULL if none). */
        const char *record_json;
        /* FD_COLLAPSE_VERSION: the ids of the work's other versions in the
         * index (records of the hit's own DOI are its sources, not
         * versions), newest first. */
        const char *const *versions;
        size_t n_versions;
};

/* The counts of one facet, most frequent first (ties by value). */
struct fd_search_facet {
        enum fd_search_field field;
        const struct fd_index_count *v;
        size_t n;
};

/* A search's answer; everything lives in one arena freed by
 * fd_search_result_free (the notmuch way: one object owns its answers). */
struct fd_search_result {
        uint64_t total;
        bool total_exact;
        bool snippets;      /* the hits carry snippets (asked for, with a query) */
        bool versions;      /* "collapse":"version": the hits are works with versions */
        const struct fd_search_hit *hits;
        size_t n_hits;
        const struct fd_search_facet *facets;   /* in the order asked */
        size_t n_facets;
        const char *did_you_mean;   /* NULL: none */
        const char *next_cursor;    /* NULL: last page */
        /* suggest: the completions, most frequent first. */
        const struct fd_index_count *suggestions;
        size_t n_suggestions;
        /* Over shards: the answer was made without some of them (their
         * names, as struct fd_index_shards names them). */
        bool partial;
        const char *const *missing_shards;
        size_t n_missing_shards;
        struct fd_arena *arena;     /* owns this result and all it points to */
};

void fd_search_result_free(struct fd_search_result *r) FD_INDEX_NOEXCEPT;
FD_DEFINE_FREEP(search_result, struct fd_search_result, fd_search_result_free)

/* Runs a search (docs/protocol.md, `search`): *ret_result is new, the
 * caller frees it.  A query that does not parse, a cursor that does not
 * fit, a field that is no facet, is FD_E_INVALID with a message. */
enum fd_status fd_index_search(struct fd_index *idx, const struct fd_search_request *req,
                               struct fd_search_result **ret_result, struct fd_error *err) FD_INDEX_NOEXCEPT;

/* Completes prefix (its last word) from the words of titles, creators and
 * subjects: (*ret_result)->suggestions, most frequent first, at most limit
 * (1..FD_INDEX_MAX_SUGGEST). */
enum fd_status fd_index_suggest(struct fd_index *idx, const char *prefix, unsigned limit,
                                struct fd_search_result **ret_result, struct fd_error *err) FD_INDEX_NOEXCEPT;

/* Records like record id (relevance feedback from its terms): hits as
 * fd_index_search's, without the record itself; FD_E_NOTFOUND. */
enum fd_status fd_index_similar(struct fd_index *idx, const char *id, unsigned limit,
                                struct fd_search_result **ret_result, struct fd_error *err) FD_INDEX_NOEXCEPT;

/* ---- relations (index/related.cc) ------------------------------------ */

/* The most links, and records per link, one answer lists. */
#define FD_INDEX_RELATED_LINKS_MAX 200
#define FD_INDEX_RELATED_RECORDS_MAX 20

/* A record of the index, as a link lists it. */
struct fd_related_record {
        const char *id, *source, *title;   /* title NULL when none */
};

/* One relation of a record: stated by it ("out") or by another record
 * about one of its identifiers ("in", the relation then named from this
 * record's side with fd_relation_inverse, or as stated when it has no
 * inverse). */
struct fd_related_link {
        const char *relation;     /* "" when the source gave none */
        bool in;
        /* out: the identifier the record relates to; in: the identifier
         * of the record stating it (its DOI, else its id). */
        const char *identifier;
        const struct fd_related_record *records;   /* in the index holding identifier */
        size_t n_records;
};

struct fd_related_result {
        const char *id;
        const struct fd_related_link *links;   /* out first, in the record's order; then in */
        size_t n_links;
        /* as in struct fd_search_result */
        bool partial;
        const char *const *missing_shards;
        size_t n_missing_shards;
        struct fd_arena *arena;
};

void fd_related_result_free(struct fd_related_result *r) FD_INDEX_NOEXCEPT;
FD_DEFINE_FREEP(related_result, struct fd_related_result, fd_related_result_free)

/* The links of record id (docs/protocol.md, `related`): its identifiers
 * are its DOI and the identifiers of every record of its DOI group.
 * FD_E_NOTFOUND when there is no such record. */
enum fd_status fd_index_related(struct fd_index *idx, const char *id, struct fd_related_result **ret_result,
                                struct fd_error *err) FD_INDEX_NOEXCEPT;

/* ---- record ids of a source (index/ids.cc) ---------------------------- */

/* Called with each id; returns false to stop the walk. */
typedef bool (*fd_index_id_fn)(void *userdata, const char *id);

/* Calls fn with the id of every record of source ("source:identifier") in
 * the index (every shard) as last committed, in the order of their unique
 * terms, starting after the id after (NULL: from the first).  With a shard
 * missing it fails (FD_E_IO naming it): a caller reconciling deletions
 * must see every id.  Opens its own
 * read-only view, so any thread may call it while the writer commits; when
 * that view had to be reopened mid-walk, fn may see an id twice.  Statuses:
 * FD_OK (walked to the end or fn stopped it), FD_E_NOTFOUND (no database at
 * the only shard's path), FD_E_INVALID, FD_E_CORRUPT, FD_E_IO, FD_E_INDEX,
 * FD_E_NOMEM. */
enum fd_status fd_index_ids(const struct fd_index_shards *shards, const char *source, const char *after, fd_index_id_fn fn,
                            void *userdata, struct fd_error *err) FD_INDEX_NOEXCEPT;

/* ---- changes (index/changes.cc): records by when they last changed ------ */

/* A listing of records and tombstones in (datestamp, id) order, where the
 * datestamp is when fairdex last wrote the record (or deleted it), UTC to
 * the second: what OAI-PMH serves.  Tombstones are not documents: no
 * search, count, facet, report or get sees them. */
struct fd_change_request {
        /* The next of the previous page (fd_change_list.next), NULL: from
         * the start.  Stays exact across commits. */
        const char *after;
        /* Datestamps "YYYY-MM-DDThh:mm:ssZ", inclusive; NULL: open. */
        const char *from, *until;
        /* "source:NAME", "type:TYPE" (resourceTypeGeneral) or "fair:BAND"
         * (0-25, 25-50, 50-75, 75-100, the overall FAIR score); NULL: all.
         * Any other is FD_E_INVALID. */
        const char *set;
        unsigned limit;          /* 0: 100 */
        bool total;              /* count the whole list into total (costs a pass) */
        bool record_json;        /* live entries carry their stored JSON */
        bool live_only;          /* leave tombstones out */
        /* 1 + enum fd_xml_format: live entries carry that OAI-PMH payload
         * as stored at fd_index_put (payload), or where the record has
         * none stored, its JSON (record_json); 0: none. */
        int payload;
};

struct fd_change {
        const char *id;
        const char *changed;     /* "YYYY-MM-DDThh:mm:ssZ" */
        bool deleted;            /* a tombstone: no record_json */
        const char *sets;        /* its set specs, space-separated */
        const char *record_json; /* NULL unless asked for (and never for tombstones) */
        const char *payload;     /* the payload asked for, NULL if not stored */
};

struct fd_change_list {
        const struct fd_change *v;
        size_t n;
        const char *next;        /* NULL: the last page; else the after of the next */
        uint64_t total;          /* with total: entries in the whole list */
        /* as in struct fd_search_result */
        bool partial;
        const char *const *missing_shards;
        size_t n_missing_shards;
        struct fd_arena *arena;
};

void fd_change_list_free(struct fd_change_list *l) FD_INDEX_NOEXCEPT;
FD_DEFINE_FREEP(change_list, struct fd_change_list, fd_change_list_free)

/* One page of the listing (new in *ret, caller frees). */
enum fd_status fd_index_changes(struct fd_index *idx, const struct fd_change_request *req,
                                struct fd_change_list **ret, struct fd_error *err) FD_INDEX_NOEXCEPT;
/* Record id, live or a tombstone, as a list of one; FD_E_NOTFOUND. */
enum fd_status fd_index_change(struct fd_index *idx, const char *id, struct fd_change_list **ret,
                               struct fd_error *err) FD_INDEX_NOEXCEPT;

/* ---- FAIR (index/fair.cc) ---------------------------------------------- */

#define FD_INDEX_FAIR_WORST_MAX 100

struct fd_fair_report_opts {
        const char *source;   /* NULL or "": every source */
        unsigned worst;       /* how many lowest-scoring records to list, at most FD_INDEX_FAIR_WORST_MAX */
        bool summary;         /* only records, scored and scores (no indicators, worst, licences) */
};

/* The distribution of one score over the scored records. */
struct fd_fair_score_stats {
        double mean;             /* rounded to one decimal */
        uint64_t bands[4];       /* 0-25, 25-50, 50-75, 75-100 */
        uint64_t histogram[10];  /* by tens, 100 in the last */
};

/* One indicator's outcomes over the records. */
struct fd_fair_indicator_stats {
        const struct fd_fair_indicator *indicator;
        uint64_t pass, partial, fail, na;
        double fail_share, partial_share;   /* of the records, rounded to 0.001 */
        /* The mean overall score gained if every record passed it (over the
         * rubric's full maximum), rounded to one decimal. */
        double lift;
};

/* One of the lowest-scoring records. */
struct fd_fair_worst {
        const char *id;
        const char *title;        /* fd_record_title(), NULL when none */
        int overall;
        int score[FD_FAIR_PRINCIPLES];
        const char *record_json;  /* the stored record (its "fair" names the fixes) */
};

/* The FAIR report (docs/protocol.md, `fair`); lives in its arena. */
struct fd_fair_report {
        const char *source;       /* NULL: every source */
        uint64_t records, scored;
        struct fd_fair_score_stats overall, principle[FD_FAIR_PRINCIPLES];
        bool summary;             /* only the above is filled in */
        /* Most points lost first. */
        const struct fd_fair_indicator_stats *indicators;
        size_t n_indicators;
        const struct fd_fair_worst *worst;   /* lowest first */
        size_t n_worst;
        /* Licences that do not resolve to SPDX, as written, most frequent
         * first; truncated when there were too many to examine. */
        const struct fd_index_count *licenses;
        size_t n_licenses;
        bool licenses_truncated;
        /* Records per rubric version. */
        const struct fd_index_count *rubrics;
        size_t n_rubrics;
        /* as in struct fd_search_result */
        bool partial;
        const char *const *missing_shards;
        size_t n_missing_shards;
        struct fd_arena *arena;   /* owns this report and all it points to */
};

void fd_fair_report_free(struct fd_fair_report *r) FD_INDEX_NOEXCEPT;
FD_DEFINE_FREEP(fair_report, struct fd_fair_report, fd_fair_report_free)

/* The FAIR report over the index (every shard, opened read-only here, at
 * its latest commit; shards that do not answer are left out and the
 * report says so), new in *ret_report (caller frees).  Memory is bounded
 * by opts->worst, not by the number of records.  FD_E_NOTFOUND when there
 * is no index yet, FD_E_INVALID for a source name too long to be a term,
 * else the index statuses. */
enum fd_status fd_index_fair_report(const struct fd_index_shards *shards, const struct fd_fair_report_opts *opts,
                                    struct fd_fair_report **ret_report, struct fd_error *err) FD_INDEX_NOEXCEPT;

/* The datestamp stored with record id (malloc'ed, caller frees); on the
 * writable handle it includes uncommitted changes.  FD_E_NOTFOUND when
 * there is no such record or it was stored without a datestamp. */
enum fd_status fd_index_get_datestamp(struct fd_index *idx, const char *id, char **ret,
                                      struct fd_error *err) FD_INDEX_NOEXCEPT;

/* The shard (0..n_dst-1) a record goes to, given its source and id. */
typedef size_t (*fd_index_route_fn)(void *userdata, const char *source, const char *id);

/* Rewrites the index whose shards are src (paths or tcp://host:port, read
 * at their last commit) as the new databases dst (paths; the caller makes
 * sure nothing is there): every document copied as stored into the
 * destination route names, tombstones with their record, the index's own
 * metadata to every destination, the rest of src[0]'s metadata (the
 * daemon's checkpoints) to dst[0].  Into one destination from local
 * sources, by compaction (the same database, faster).  *ret_docs counts
 * the documents. */
enum fd_status fd_index_reshard(const char *const *src, size_t n_src, const char *const *dst, size_t n_dst,
                                fd_index_route_fn route, void *userdata, uint64_t *ret_docs,
                                struct fd_error *err) FD_INDEX_NOEXCEPT;

#ifdef __cplusplus
}
#endif

#endif
