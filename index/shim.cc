/* shim.cc: the C boundary of the Xapian index.
 *
 * Exceptions.  Every exported function is noexcept and wraps its body in
 * try/catch(...); every handler calls index_error(), which rethrows and
 * sorts the exception into a status and a message naming the database
 * (notmuch's _notmuch_xapian_error_private, mu's xapian_try_result).
 * Reads on a read-only handle that meet DatabaseModifiedError (the writer
 * committed twice since the handle's last reopen) reopen and run again, a
 * few times (read_retry, shard_set::run); then the failure is FD_E_INDEX.
 *
 * Transactions.  A writable handle is always inside a flushed Xapian
 * transaction: open begins one, commit is commit_transaction() followed by
 * a new begin_transaction(true), cancel is cancel_transaction() followed by
 * a new one.  This, and not commit()/close, is what makes a page's
 * documents and its checkpoint metadata visible together or not at all:
 *  - outside a transaction Xapian commits on its own every
 *    XAPIAN_FLUSH_THRESHOLD changes, which could publish half a page;
 *  - outside a transaction there is no way to drop pending changes, and
 *    closing or destroying a WritableDatabase commits them.
 * Inside one, nothing is committed before commit_transaction(), and
 * cancel_transaction() (also what close() does to an open transaction)
 * drops it all.  A commit that fails leaves Xapian outside the transaction
 * with the page possibly still pending, so the failure path discards it
 * with an unflushed begin_transaction(false) + cancel_transaction(), which
 * Xapian documents as dropping the changes made before it too, and starts
 * a fresh transaction: the caller re-sends the page from its last
 * committed checkpoint.  Freeing a handle discards in the same way.
 *
 * A writable handle reads its own uncommitted changes (count, get, search
 * see the page in progress); read-only handles see the last commit they
 * reopened to.
 */
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <utility>

#include <xapian.h>

#include "index-private.hh"

#define SNIPPET_MAX 128

struct fd_index {
        std::string path;         /* for messages: the location, or the shards' names */
        bool writable = false;
        bool in_txn = false;      /* wdb is inside our transaction */
        Xapian::WritableDatabase wdb;
        /* Readers: every shard as one database (shards.cc). */
        std::unique_ptr<shard_set> set;
        /* fd_index_missing's answer. */
        std::vector<const char *> missing;

        explicit fd_index(const std::string &p) : path(p) {}
        fd_index(const fd_index &) = delete;
        fd_index &operator=(const fd_index &) = delete;
        ~fd_index();

        Xapian::Database &db() {
                if (writable)
                        return wdb;
                return set->all;
        }
};

/* Drops every uncommitted change, inside our transaction or not, and
 * leaves wdb outside any transaction. */
static void discard_pending(struct fd_index *idx) {
        if (idx->in_txn) {
                idx->in_txn = false;
                idx->wdb.cancel_transaction();
        } else {
                idx->wdb.begin_transaction(false);
                idx->wdb.cancel_transaction();
        }
}

static void begin_txn(struct fd_index *idx) {
        idx->wdb.begin_transaction(true);
        idx->in_txn = true;
}

/* Before a write: a transaction that could not be begun after the last
 * commit or cancel is begun now, dropping whatever a failure left. */
static void ensure_txn(struct fd_index *idx) {
        if (idx->in_txn)
                return;
        discard_pending(idx);
        begin_txn(idx);
}

fd_index::~fd_index() {
        if (writable) {
                try {
                        discard_pending(this);
                } catch (...) {
                }
        }
        try {
                if (writable)
                        wdb.close();
        } catch (...) {
        }
}

static const char *snippet(const char *s, char *buf, size_t bufsz) {
        if (!s)
                return "";
        return fd_snippet(s, strlen(s), buf, bufsz);
}

static enum fd_status xapian_error(struct fd_error *err, enum fd_status status, const char *path,
                                   const Xapian::Error &e) {
        return fd_error_set(err, status, "index '%s': %s: %s", path, e.get_type(), e.get_msg().c_str());
}

/* The one exception mapper (index-private.hh), for shim.cc, fair.cc and ids.cc. */
enum fd_status index_error(const char *path, struct fd_error *err, enum fd_status missing,
                           const char *query) noexcept {
        try {
                throw;
        } catch (const Xapian::QueryParserError &e) {
                char buf[SNIPPET_MAX];
                return fd_error_set(err, FD_E_INVALID, "query '%s': %s", snippet(query, buf, sizeof buf),
                                    e.get_msg().c_str());
        } catch (const invalid_request &e) {
                return fd_error_set(err, FD_E_INVALID, "%s", e.what());
        } catch (const schema_mismatch &e) {
                return fd_error_set(err, FD_E_INVALID, "%s", e.what());
        } catch (const shards_down &e) {
                return fd_error_set(err, FD_E_IO, "%s", e.what());
        } catch (const Xapian::DatabaseLockError &e) {
                return xapian_error(err, FD_E_LOCKED, path, e);
        } catch (const Xapian::DatabaseModifiedError &e) {
                /* Only reaches here when read_retry's reopen did not help. */
                return xapian_error(err, FD_E_INDEX, path, e);
        } catch (const Xapian::DatabaseCorruptError &e) {
                return xapian_error(err, FD_E_CORRUPT, path, e);
        } catch (const Xapian::DatabaseNotFoundError &e) {
                return xapian_error(err, missing, path, e);
        } catch (const Xapian::DatabaseOpeningError &e) {
                return xapian_error(err, FD_E_IO, path, e);
        } catch (const Xapian::NetworkError &e) {
                /* a remote shard that does not answer: the writer waits for it */
                return xapian_error(err, FD_E_IO, path, e);
        } catch (const Xapian::Error &e) {
                return xapian_error(err, FD_E_INDEX, path, e);
        } catch (const std::bad_alloc &) {
                return fd_error_set(err, FD_E_NOMEM, "index '%s': out of memory", path);
        } catch (const std::exception &e) {
                return fd_error_set(err, FD_E_INTERNAL, "index '%s': %s", path, e.what());
        } catch (...) {
                return fd_error_set(err, FD_E_INTERNAL, "index '%s': unknown exception", path);
        }
}

/* Runs read; on a reader, first tries missing shards again, then runs it
 * through shard_set::run (a DatabaseModifiedError reopens the handle and
 * runs it again, a shard whose connection breaks is left out).  read
 * must only write its results at its end, as it may run more than once. */
template <typename Read>
static void read_retry(struct fd_index *idx, Read read) {
        if (idx->writable) {
                read();
                return;
        }
        idx->set->refresh();
        idx->set->run([&](Xapian::Database &) { read(); });
}

static char *dup_string(const std::string &s) {
        char *p = static_cast<char *>(malloc(s.size() + 1));

        if (!p)
                throw std::bad_alloc();
        memcpy(p, s.data(), s.size());
        p[s.size()] = '\0';
        return p;
}

static enum fd_status bad_handle(struct fd_error *err) {
        return fd_error_set(err, FD_E_INVALID, "no index handle");
}

static enum fd_status no_record(const struct fd_index *idx, const char *id, struct fd_error *err) {
        char buf[SNIPPET_MAX];

        return fd_error_set(err, FD_E_NOTFOUND, "no record '%s' in index '%s'", snippet(id, buf, sizeof buf),
                            idx->path.c_str());
}

/* idx is a handle (not NULL) open for writing. */
static enum fd_status need_writable(const struct fd_index *idx, struct fd_error *err) {
        if (!idx)
                return bad_handle(err);
        if (!idx->writable)
                return fd_error_set(err, FD_E_INVALID, "index '%s' is open read-only", idx->path.c_str());
        return FD_OK;
}

static enum fd_status need_key(const struct fd_index *idx, const char *key, struct fd_error *err) {
        if (!key || !*key)
                return fd_error_set(err, FD_E_INVALID, "index '%s': empty metadata key", idx->path.c_str());
        return FD_OK;
}

/* A read-only handle over shards (one: strict, as fd_index_open's). */
static enum fd_status open_set(const struct fd_index_shards *shards, struct fd_index **ret_index,
                               struct fd_error *err) {
        std::unique_ptr<shard_set> set(new shard_set(shards, false));
        std::unique_ptr<fd_index> idx(new fd_index(set->label()));

        try {
                set->open_all();
        } catch (...) {
                return index_error(idx->path.c_str(), err, FD_E_NOTFOUND);
        }
        idx->set = std::move(set);
        *ret_index = idx.release();
        return FD_OK;
}

enum fd_status fd_index_open(const char *loc, bool writable, struct fd_index **ret_index,
                             struct fd_error *err) noexcept {
        if (!loc || !*loc)
                return fd_error_set(err, FD_E_INVALID, "empty index path");
        try {
                if (!writable) {
                        const struct fd_index_shards one = { &loc, &loc, 1 };
                        return open_set(&one, ret_index, err);
                }
                std::unique_ptr<fd_index> idx(new fd_index(loc));
                idx->wdb = shard_open_writable(loc);
                idx->writable = true;
                /* A new database gets our version; anything else has to
                 * carry it already.  An empty database without a version is
                 * new: one whose creation crashed before the first commit. */
                if (shard_schema_new(idx->wdb, loc)) {
                        idx->wdb.set_metadata(FD_SCHEMA_KEY, FD_SCHEMA_VERSION);
                        idx->wdb.set_metadata(FD_DOI_SHARED_KEY, "0");
                        changes_mark_new(idx->wdb);
                        idx->wdb.commit();
                }
                begin_txn(idx.get());
                *ret_index = idx.release();
                return FD_OK;
        } catch (...) {
                return index_error(loc, err, writable ? FD_E_IO : FD_E_NOTFOUND);
        }
}

enum fd_status fd_index_open_shards(const struct fd_index_shards *shards, struct fd_index **ret_index,
                                    struct fd_error *err) noexcept {
        if (!shards || shards->n == 0 || !shards->locs)
                return fd_error_set(err, FD_E_INVALID, "an index of no shards");
        for (size_t i = 0; i < shards->n; i++)
                if (!shards->locs[i] || !*shards->locs[i])
                        return fd_error_set(err, FD_E_INVALID, "shard %zu of the index has an empty path", i);
        try {
                return open_set(shards, ret_index, err);
        } catch (...) {
                return index_error("shards", err);
        }
}

void fd_index_missing(struct fd_index *idx, const char *const **ret_names, size_t *ret_n) noexcept {
        *ret_names = nullptr;
        *ret_n = 0;
        if (!idx || idx->writable)
                return;
        try {
                idx->missing.clear();
                for (const std::string &m : idx->set->missing)
                        idx->missing.push_back(m.c_str());
                *ret_names = idx->missing.data();
                *ret_n = idx->missing.size();
        } catch (...) {
        }
}

void fd_index_free(struct fd_index *idx) noexcept {
        delete idx;
}

enum fd_status fd_index_reopen(struct fd_index *idx, struct fd_error *err) noexcept {
        if (!idx)
                return bad_handle(err);
        try {
                if (!idx->writable)
                        idx->set->reopen();
                return FD_OK;
        } catch (...) {
                return index_error(idx->path.c_str(), err);
        }
}

/* Whether a record other than self (the stored copy of the record about to
 * be written, 0 if none) holds doi_term: then that record shares its DOI.
 * Looks at the postings only when the DOI's one posting may be self. */
static bool shares_doi(Xapian::WritableDatabase &db, const std::string &doi_term, Xapian::docid self) {
        const Xapian::doccount tf = db.get_termfreq(doi_term);

        if (tf != 1)
                return tf > 1;
        return self == 0 || *db.postlist_begin(doi_term) != self;
}


enum fd_status fd_index_put(struct fd_index *idx, const struct fd_record *r, const struct fd_fair_assessment *fair,
                            const char *json, struct fd_error *err) noexcept {
        enum fd_status st;

        st = need_writable(idx, err);
        if (st != FD_OK)
                return st;
        if (!r || !r->id || !*r->id || !json)
                return fd_error_set(err, FD_E_INVALID, "index '%s': record without id or json", idx->path.c_str());
        try {
                Xapian::Document doc = fd_index_fair_terms(schema_document(r, fair, json), r, fair);
                const std::string id_term = schema_id_term(r->id);
                const std::string doi = doc.get_value(SLOT_DOI);
                const std::string doi_term = schema_doi_term(doi);
                ensure_txn(idx);
                const Xapian::docid self = schema_find(idx->wdb, id_term);
                /* Every record of a DOI has its collapse key (schema.cc);
                 * collapsing is turned on for searches of this database once
                 * two of its records share one (FD_DOI_SHARED_KEY). */
                if (!doi_term.empty() && shares_doi(idx->wdb, doi_term, self) &&
                    idx->wdb.get_metadata(FD_DOI_SHARED_KEY) != "1")
                        idx->wdb.set_metadata(FD_DOI_SHARED_KEY, "1");
                versions_put(idx->wdb, doc, self);
                changes_put(idx->wdb, doc, self, r);
                idx->wdb.replace_document(id_term, doc);
                schema_spelling(idx->wdb, r);
                return FD_OK;
        } catch (...) {
                char buf[SNIPPET_MAX];
                st = index_error(idx->path.c_str(), err);
                fd_error_prefix(err, "record '%s'", snippet(r->id, buf, sizeof buf));
                return st;
        }
}

enum fd_status fd_index_delete(struct fd_index *idx, const char *id, struct fd_error *err) noexcept {
        enum fd_status st;

        st = need_writable(idx, err);
        if (st != FD_OK)
                return st;
        if (!id || !*id)
                return fd_error_set(err, FD_E_INVALID, "index '%s': empty record id", idx->path.c_str());
        try {
                ensure_txn(idx);
                const Xapian::docid d = schema_find(idx->wdb, schema_id_term(id));
                changes_delete(idx->wdb, d, id);
                if (d)
                        idx->wdb.delete_document(d);
                return FD_OK;
        } catch (...) {
                return index_error(idx->path.c_str(), err);
        }
}

enum fd_status fd_index_set_meta(struct fd_index *idx, const char *key, const char *value,
                                 struct fd_error *err) noexcept {
        enum fd_status st;

        st = need_writable(idx, err);
        if (st == FD_OK)
                st = need_key(idx, key, err);
        if (st != FD_OK)
                return st;
        try {
                ensure_txn(idx);
                idx->wdb.set_metadata(key, value ? value : "");
                return FD_OK;
        } catch (...) {
                return index_error(idx->path.c_str(), err);
        }
}

enum fd_status fd_index_commit(struct fd_index *idx, struct fd_error *err) noexcept {
        enum fd_status st;

        st = need_writable(idx, err);
        if (st != FD_OK)
                return st;
        try {
                ensure_txn(idx);
                idx->in_txn = false;
                idx->wdb.commit_transaction();
        } catch (...) {
                st = index_error(idx->path.c_str(), err);
                try {
                        discard_pending(idx);
                        begin_txn(idx);
                } catch (...) {
                        /* ensure_txn tries again before the next write. */
                }
                return st;
        }
        try {
                begin_txn(idx);
        } catch (...) {
                /* The commit stands; ensure_txn tries again before the next
                 * write and reports the error then. */
        }
        return FD_OK;
}

enum fd_status fd_index_cancel(struct fd_index *idx, struct fd_error *err) noexcept {
        enum fd_status st;

        st = need_writable(idx, err);
        if (st != FD_OK)
                return st;
        try {
                discard_pending(idx);
                begin_txn(idx);
                return FD_OK;
        } catch (...) {
                return index_error(idx->path.c_str(), err);
        }
}

enum fd_status fd_index_get_meta(struct fd_index *idx, const char *key, char **ret_value,
                                 struct fd_error *err) noexcept {
        enum fd_status st;

        if (!idx)
                return bad_handle(err);
        st = need_key(idx, key, err);
        if (st != FD_OK)
                return st;
        try {
                std::string value;
                /* A reader's metadata is the home shard's (shard 0: Xapian
                 * reads the first database's of several, which would be
                 * another shard's while the home shard is missing). */
                read_retry(idx, [&] {
                        value = idx->writable ? idx->wdb.get_metadata(key) : idx->set->home().get_metadata(key);
                });
                if (value.empty()) {
                        char buf[SNIPPET_MAX];
                        return fd_error_set(err, FD_E_NOTFOUND, "no metadata '%s' in index '%s'",
                                            snippet(key, buf, sizeof buf), idx->path.c_str());
                }
                *ret_value = dup_string(value);
                return FD_OK;
        } catch (...) {
                return index_error(idx->path.c_str(), err);
        }
}

enum fd_status fd_index_count(struct fd_index *idx, uint64_t *ret_count, struct fd_error *err) noexcept {
        if (!idx)
                return bad_handle(err);
        try {
                uint64_t n = 0;
                read_retry(idx, [&] { n = idx->db().get_doccount(); });
                *ret_count = n;
                return FD_OK;
        } catch (...) {
                return index_error(idx->path.c_str(), err);
        }
}

enum fd_status fd_index_count_source(struct fd_index *idx, const char *source, uint64_t *ret_count,
                                     struct fd_error *err) noexcept {
        if (!idx)
                return bad_handle(err);
        if (!source || !*source)
                return fd_error_set(err, FD_E_INVALID, "index '%s': empty source name", idx->path.c_str());
        try {
                const std::string term = schema_term(FIELD_SOURCE, source);
                uint64_t n = 0;
                if (!term.empty())
                        read_retry(idx, [&] { n = idx->db().get_termfreq(term); });
                *ret_count = n;
                return FD_OK;
        } catch (...) {
                return index_error(idx->path.c_str(), err);
        }
}

/* Reads one string of record id's document (its data, or a value slot when
 * slot >= 0) into a malloc'ed *ret (NUL-terminated, its length in *ret_len
 * when not NULL); FD_E_NOTFOUND when there is no such record or the slot is
 * empty. */
static enum fd_status read_record(struct fd_index *idx, const char *id, int slot, char **ret, size_t *ret_len,
                                  struct fd_error *err) noexcept {
        if (!idx)
                return bad_handle(err);
        if (!id || !*id)
                return fd_error_set(err, FD_E_INVALID, "index '%s': empty record id", idx->path.c_str());
        try {
                const std::string term = schema_id_term(id);
                std::string out;
                bool found = false;

                read_retry(idx, [&] {
                        Xapian::Database &db = idx->db();
                        const Xapian::docid d = schema_find(db, term);
                        found = d != 0;
                        if (found) {
                                Xapian::Document doc = db.get_document(d);
                                out = slot < 0 ? doc.get_data() : doc.get_value((Xapian::valueno)slot);
                        }
                });
                if (!found || (slot >= 0 && out.empty()))
                        return no_record(idx, id, err);
                *ret = dup_string(out);
                if (ret_len)
                        *ret_len = out.size();
                return FD_OK;
        } catch (...) {
                return index_error(idx->path.c_str(), err);
        }
}

enum fd_status fd_index_get(struct fd_index *idx, const char *id, char **ret_json, struct fd_error *err) noexcept {
        return read_record(idx, id, -1, ret_json, NULL, err);
}

enum fd_status fd_index_get_raw(struct fd_index *idx, const char *id, void **ret_raw, size_t *ret_len,
                                struct fd_error *err) noexcept {
        char *raw = NULL;
        enum fd_status st = read_record(idx, id, SLOT_RAW, &raw, ret_len, err);
        if (st == FD_OK)
                *ret_raw = raw;
        return st;
}

/* ---- answers ---------------------------------------------------------- */

answer_arena::answer_arena() : arena(fd_arena_new(FD_INDEX_ANSWER_MAX)) {
        if (!arena)
                throw std::bad_alloc();
}

answer_arena::~answer_arena() {
        fd_arena_free(arena);
}

void *answer_arena::alloc(size_t size) {
        void *p = fd_arena_alloc(arena, size ? size : 1);
        if (!p)
                throw std::bad_alloc();
        return p;
}

const char *answer_arena::str(const std::string &s) {
        char *p = static_cast<char *>(alloc(s.size() + 1));
        memcpy(p, s.data(), s.size());
        return p;
}

const char *answer_arena::str_or_null(const std::string &s) {
        return s.empty() ? nullptr : str(s);
}

void fd_search_result_free(struct fd_search_result *r) noexcept {
        if (r)
                fd_arena_free(r->arena);
}

void fd_change_list_free(struct fd_change_list *l) noexcept {
        if (l)
                fd_arena_free(l->arena);
}

/* ---- search ----------------------------------------------------------- */

/* Runs search (db, a fresh arena -> an answer living in it, or NULL)
 * through read_retry; a second run's answer replaces the first's. */
/* What search.cc and changes.cc are told of idx's database(s). */
static struct index_view view_of(struct fd_index *idx) {
        if (!idx->writable)
                return idx->set->view();
        struct index_view v;
        v.db = idx->wdb;
        v.parts.push_back(idx->wdb);
        v.committed = false;
        v.collapse_doi = idx->wdb.get_metadata(FD_DOI_SHARED_KEY) != "0";
        return v;
}

template <typename Search>
static auto read_answer(struct fd_index *idx, Search search) {
        decltype(search(std::declval<const struct index_view &>(), std::declval<answer_arena &>())) result = nullptr;
        std::unique_ptr<answer_arena> kept;

        read_retry(idx, [&] {
                std::unique_ptr<answer_arena> out(new answer_arena());
                auto r = search(view_of(idx), *out);
                kept = std::move(out);
                result = r;
        });
        if (result) {
                if (!idx->writable)
                        index_mark_partial(idx->set->missing, *kept, result);
                result->arena = kept->release();
        }
        return result;
}

enum fd_status fd_index_search(struct fd_index *idx, const struct fd_search_request *req,
                               struct fd_search_result **ret_result, struct fd_error *err) noexcept {
        if (!idx)
                return bad_handle(err);
        if (!req)
                return fd_error_set(err, FD_E_INVALID, "index '%s': no search request", idx->path.c_str());
        try {
                *ret_result = read_answer(idx, [&](const struct index_view &v, answer_arena &out) {
                        return search_run(v, req, out);
                });
                return FD_OK;
        } catch (...) {
                return index_error(idx->path.c_str(), err, FD_E_IO, req->q);
        }
}

enum fd_status fd_index_suggest(struct fd_index *idx, const char *prefix, unsigned limit,
                                struct fd_search_result **ret_result, struct fd_error *err) noexcept {
        if (!idx)
                return bad_handle(err);
        if (limit == 0 || limit > FD_INDEX_MAX_SUGGEST)
                return fd_error_set(err, FD_E_INVALID, "suggest limit %u is not within 1 to %d", limit,
                                    FD_INDEX_MAX_SUGGEST);
        try {
                *ret_result = read_answer(idx, [&](const struct index_view &v, answer_arena &out) {
                        Xapian::Database db = v.db;
                        return search_suggest(db, prefix, limit, out);
                });
                return FD_OK;
        } catch (...) {
                return index_error(idx->path.c_str(), err);
        }
}

/* An answer about record id, built by run(db, out) through read_answer;
 * run's NULL is FD_E_NOTFOUND. */
template <typename Result, typename Run>
static enum fd_status record_answer(struct fd_index *idx, const char *id, Result **ret_result, struct fd_error *err,
                                    Run run) noexcept {
        if (!idx)
                return bad_handle(err);
        if (!id || !*id)
                return fd_error_set(err, FD_E_INVALID, "index '%s': empty record id", idx->path.c_str());
        try {
                Result *result = read_answer(idx, run);
                if (!result)
                        return no_record(idx, id, err);
                *ret_result = result;
                return FD_OK;
        } catch (...) {
                return index_error(idx->path.c_str(), err);
        }
}

enum fd_status fd_index_similar(struct fd_index *idx, const char *id, unsigned limit,
                                struct fd_search_result **ret_result, struct fd_error *err) noexcept {
        return record_answer(idx, id, ret_result, err, [&](const struct index_view &v, answer_arena &out) {
                return search_similar(v, id, limit, out);
        });
}

void fd_related_result_free(struct fd_related_result *r) noexcept {
        if (r)
                fd_arena_free(r->arena);
}

enum fd_status fd_index_related(struct fd_index *idx, const char *id, struct fd_related_result **ret_result,
                                struct fd_error *err) noexcept {
        return record_answer(idx, id, ret_result, err, [&](const struct index_view &v, answer_arena &out) {
                Xapian::Database db = v.db;
                return related_run(db, id, out);
        });
}

enum fd_status fd_index_changes(struct fd_index *idx, const struct fd_change_request *req,
                                struct fd_change_list **ret, struct fd_error *err) noexcept {
        if (!idx)
                return bad_handle(err);
        if (!req)
                return fd_error_set(err, FD_E_INVALID, "index '%s': no change request", idx->path.c_str());
        try {
                *ret = read_answer(idx, [&](const struct index_view &v, answer_arena &out) {
                        return changes_list(v, req, out);
                });
                return FD_OK;
        } catch (...) {
                return index_error(idx->path.c_str(), err);
        }
}

enum fd_status fd_index_change(struct fd_index *idx, const char *id, struct fd_change_list **ret,
                               struct fd_error *err) noexcept {
        return record_answer(idx, id, ret, err, [&](const struct index_view &v, answer_arena &out) {
                return changes_one(v, id, out);
        });
}

/* The datestamp stored with record id (value slot SLOT_DATESTAMP), read on
 * whatever handle idx is (the writer sees its own uncommitted puts). */
enum fd_status fd_index_get_datestamp(struct fd_index *idx, const char *id, char **ret,
                                      struct fd_error *err) noexcept {
        return read_record(idx, id, SLOT_DATESTAMP, ret, NULL, err);
}
