/* json_index.h: the protocol's JSON for the index's typed requests and
 * answers (daemon/json_search.c, daemon/json_fair.c).
 *
 * The index speaks C types (fd_index.h); docs/protocol.md is written here
 * and only here: a request's lists are checked and read into an
 * fd_search_request, and a search, suggest or FAIR answer is turned into
 * the objects the protocol shows, member for member in the order it
 * shows them.  Nothing here touches the index or a lock, so the ops call
 * these and the unit tests call them on answers built by hand.
 */
#ifndef FD_JSON_INDEX_H
#define FD_JSON_INDEX_H

#include <jansson.h>

#include "fd_index.h"

/* Request bounds of docs/protocol.md. */
#define FD_JSON_FIELDS_MAX 32
#define FD_JSON_FIELD_NAME_MAX 64

/* A search request and the storage its lists point into.  Filled in
 * place; do not copy it once its lists are read. */
struct fd_json_search {
        struct fd_search_request req;
        struct fd_search_filter filters[FD_FIELD_COUNT];
        const char *values[FD_FIELD_COUNT * FD_INDEX_FILTER_VALUES_MAX];
        enum fd_search_field facets[FD_INDEX_FACETS_MAX];
        /* "fields": the record members each hit copies (borrowed from the
         * request), NULL when absent. */
        json_t *fields;
};

/* Reads the request's "filters" (NULL: none) into s->req: FD_E_INVALID
 * naming what is wrong (an unknown filter, a value of the wrong shape).
 * Strings stay borrowed from filters. */
enum fd_status fd_json_search_filters(json_t *filters, struct fd_json_search *s, struct fd_error *err);

/* Reads "filters", "facets" and "fields" of req the same way. */
enum fd_status fd_json_search_lists(json_t *req, struct fd_json_search *s, struct fd_error *err);

/* The protocol name of a facet or filter field ("type", "source", …). */
const char *fd_json_field_name(enum fd_search_field f);

/* The answer of `search` and `similar`: {"total","total_exact","hits":[…],
 * "next_cursor"?,"facets"?,"did_you_mean"?}; each hit copies the record
 * members named in fields (NULL: none) from its record_json.  NULL on out
 * of memory. */
json_t *fd_json_search_result(const struct fd_search_result *res, json_t *fields);

/* Adds "partial":true and "missing_shards":[names…] to the answer o when
 * partial (an answer made without some shards); false on out of memory. */
bool fd_json_partial(json_t *o, bool partial, const char *const *missing, size_t n);

/* [{"value","count"}…]: facet values, suggestions, licences; NULL on out
 * of memory. */
json_t *fd_json_counts(const struct fd_index_count *v, size_t n);

/* The answer of `related`: {"id","links":[{"relation","direction","identifier",
 * "records":[{"id","source","title"?}…]}…]}; NULL on out of memory. */
json_t *fd_json_related_result(const struct fd_related_result *res);

/* The answer of `suggest`: {"suggestions":[{"value","count"}…]}. */
json_t *fd_json_suggest_result(const struct fd_search_result *res);

/* The answer of `fair` before the daemon adds "history" or "sources":
 * {"source","rubric","records","scored","scores":{…}} and, unless a
 * summary, "indicators", "worst", "unrecognised_licenses" and "rubrics". */
json_t *fd_json_fair_report(const struct fd_fair_report *rep);

/* fd_index_fair_report over the index's shards, answered as
 * fd_json_fair_report's object in *ret (caller owns); the index's
 * statuses, FD_E_NOMEM. */
enum fd_status fd_json_fair_report_at(const struct fd_index_shards *shards, const struct fd_fair_report_opts *opts,
                                      json_t **ret, struct fd_error *err);

/* The data.europa.eu MQA over the DCAT records of source: the "mqa" block
 * stored with each record (daemon/indexer.c) read back through the reader
 * idx for every id fd_index_ids lists in shards, summed
 * (fd_mqa_totals_to_json's object in *ret, caller owns; null when the
 * source has no DCAT record).  The index's statuses, FD_E_NOMEM. */
enum fd_status fd_json_mqa_source(const struct fd_index_shards *shards, struct fd_index *idx, const char *source,
                                  json_t **ret, struct fd_error *err);

#endif
