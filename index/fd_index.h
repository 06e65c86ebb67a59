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

struct fd_search_opts {
        const char *q;       /* Xapian query-parser syntax; "" or NULL matches everything */
        unsigned offset;
        unsigned limit;      /* at most FD_INDEX_MAX_LIMIT */
};

/* Runs a search.  *ret_result is a new JSON object {"total":N,"hits":[{"id",
 * "source","title","score"...},...]} (caller owns).  A query that does not
 * parse is FD_E_INVALID with Xapian's reason. */
enum fd_status fd_index_search(struct fd_index *idx, const struct fd_search_opts *opts, json_t **ret_result,
                               struct fd_error *err) FD_INDEX_NOEXCEPT;

#ifdef __cplusplus
}
#endif

#endif
