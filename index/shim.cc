/* shim.cc: the C boundary of the Xapian index.
 *
 * Exceptions.  Every exported function is noexcept and wraps its body in
 * try/catch(...); every handler calls index_error(), which rethrows and
 * sorts the exception into a status and a message naming the database
 * (notmuch's _notmuch_xapian_error_private, mu's xapian_try_result).
 * Reads on a read-only handle that meet DatabaseModifiedError (the writer
 * committed twice since the handle's last reopen) reopen and run once more
 * (read_retry); a second failure is FD_E_INDEX.
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
        std::string path;
        bool writable = false;
        bool in_txn = false;      /* wdb is inside our transaction */
        Xapian::Database rdb;
        Xapian::WritableDatabase wdb;

        explicit fd_index(const char *p) : path(p) {}
        fd_index(const fd_index &) = delete;
        fd_index &operator=(const fd_index &) = delete;
        ~fd_index();

        Xapian::Database &db() {
                if (writable)
                        return wdb;
                return rdb;
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
                db().close();
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

/* Runs read; on a reader, a DatabaseModifiedError reopens the handle and
 * runs it once more.  read must only write its results at its end, as it
 * may run twice. */
template <typename Read>
static void read_retry(struct fd_index *idx, Read read) {
        if (idx->writable) {
                read();
                return;
        }
        try {
                read();
        } catch (const Xapian::DatabaseModifiedError &) {
                idx->rdb.reopen();
                read();
        }
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

/* A new database gets our version; anything else has to carry it already.
 * An empty database without a version is new: one whose creation crashed
 * before the first commit, or a reader's view of it. */
static enum fd_status check_schema(struct fd_index *idx, struct fd_error *err) {
        Xapian::Database &db = idx->db();
        const std::string version = db.get_metadata(FD_SCHEMA_KEY);

        if (version.empty() && db.get_doccount() == 0) {
                if (idx->writable) {
                        idx->wdb.set_metadata(FD_SCHEMA_KEY, FD_SCHEMA_VERSION);
                        idx->wdb.set_metadata(FD_DOI_SHARED_KEY, "0");
                        changes_mark_new(idx->wdb);
                        idx->wdb.commit();
                }
                return FD_OK;
        }
        if (version != FD_SCHEMA_VERSION) {
                char buf[64];
                return fd_error_set(err, FD_E_INVALID, "index '%s' has schema version %s, this fairdex needs %s",
                                    idx->path.c_str(),
                                    version.empty() ? "(none)"
                                                    : fd_snippet(version.data(), version.size(), buf, sizeof buf),
                                    FD_SCHEMA_VERSION);
        }
        return FD_OK;
}

enum fd_status fd_index_open(const char *path, bool writable, struct fd_index **ret_index,
                             struct fd_error *err) noexcept {
        if (!path || !*path)
                return fd_error_set(err, FD_E_INVALID, "empty index path");
        try {
                std::unique_ptr<fd_index> idx(new fd_index(path));
                enum fd_status st;

                if (writable) {
                        /* Xapian creates only the last directory itself. */
                        st = fd_mkdir_p(path, err);
                        if (st != FD_OK)
                                return st;
                        idx->wdb = Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN);
                        idx->writable = true;
                } else {
                        idx->rdb = Xapian::Database(path);
                }
                st = check_schema(idx.get(), err);
                if (st != FD_OK)
                        return st;
                if (writable)
                        begin_txn(idx.get());
                *ret_index = idx.release();
                return FD_OK;
        } catch (...) {
                return index_error(path, err, writable ? FD_E_IO : FD_E_NOTFOUND);
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
                        idx->rdb.reopen();
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

/* Records of a shared DOI carry the collapse key, so that searches fold
 * them into one hit; records whose DOI nobody shares carry none, which
 * keeps the collapse slot sparse and collapsing cheap (Xapian reads the
 * slot of every candidate; a stream of few values is read in few blocks).
 * Gives the key to a group's record written before it was shared, and
 * turns collapsing on for searches (FD_DOI_SHARED_KEY). */
static void mark_group(Xapian::WritableDatabase &db, const std::string &doi_term, const std::string &key) {
        for (Xapian::PostingIterator p = db.postlist_begin(doi_term); p != db.postlist_end(doi_term); ++p) {
                Xapian::Document member = db.get_document(*p);
                if (member.get_value(SLOT_COLLAPSE) != key) {
                        member.add_value(SLOT_COLLAPSE, key);
                        db.replace_document(*p, member);
                }
        }
        if (db.get_metadata(FD_DOI_SHARED_KEY) != "1")
                db.set_metadata(FD_DOI_SHARED_KEY, "1");
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
                if (!doi_term.empty() && shares_doi(idx->wdb, doi_term, self))
                        doc.add_value(SLOT_COLLAPSE, "d" + doi);
                versions_put(idx->wdb, doc, self);
                changes_put(idx->wdb, doc, r);
                idx->wdb.replace_document(id_term, doc);
                schema_spelling(idx->wdb, r);
                /* Keys are never taken away, so only a group that has just
                 * become two has a record without one. */
                if (!doc.get_value(SLOT_COLLAPSE).empty() && idx->wdb.get_termfreq(doi_term) == 2)
                        mark_group(idx->wdb, doi_term, "d" + doi);
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
                const std::string id_term = schema_id_term(id);
                changes_delete(idx->wdb, id_term, id);
                idx->wdb.delete_document(id_term);
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
                read_retry(idx, [&] { value = idx->db().get_metadata(key); });
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
template <typename Search>
static auto read_answer(struct fd_index *idx, Search search) {
        decltype(search(idx->db(), std::declval<answer_arena &>())) result = nullptr;
        std::unique_ptr<answer_arena> kept;

        read_retry(idx, [&] {
                std::unique_ptr<answer_arena> out(new answer_arena());
                auto r = search(idx->db(), *out);
                kept = std::move(out);
                result = r;
        });
        if (result)
                result->arena = kept->release();
        return result;
}

enum fd_status fd_index_search(struct fd_index *idx, const struct fd_search_request *req,
                               struct fd_search_result **ret_result, struct fd_error *err) noexcept {
        if (!idx)
                return bad_handle(err);
        if (!req)
                return fd_error_set(err, FD_E_INVALID, "index '%s': no search request", idx->path.c_str());
        try {
                *ret_result = read_answer(idx, [&](Xapian::Database &db, answer_arena &out) {
                        return search_run(db, req, out);
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
                *ret_result = read_answer(idx, [&](Xapian::Database &db, answer_arena &out) {
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
        return record_answer(idx, id, ret_result, err, [&](Xapian::Database &db, answer_arena &out) {
                return search_similar(db, id, limit, out);
        });
}

void fd_related_result_free(struct fd_related_result *r) noexcept {
        if (r)
                fd_arena_free(r->arena);
}

enum fd_status fd_index_related(struct fd_index *idx, const char *id, struct fd_related_result **ret_result,
                                struct fd_error *err) noexcept {
        return record_answer(idx, id, ret_result, err, [&](Xapian::Database &db, answer_arena &out) {
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
                *ret = read_answer(idx, [&](Xapian::Database &db, answer_arena &out) {
                        return changes_list(db, req, out);
                });
                return FD_OK;
        } catch (...) {
                return index_error(idx->path.c_str(), err);
        }
}

enum fd_status fd_index_change(struct fd_index *idx, const char *id, struct fd_change_list **ret,
                               struct fd_error *err) noexcept {
        return record_answer(idx, id, ret, err, [&](Xapian::Database &db, answer_arena &out) {
                return changes_one(db, id, out);
        });
}

/* The datestamp stored with record id (value slot SLOT_DATESTAMP), read on
 * whatever handle idx is (the writer sees its own uncommitted puts). */
enum fd_status fd_index_get_datestamp(struct fd_index *idx, const char *id, char **ret,
                                      struct fd_error *err) noexcept {
        return read_record(idx, id, SLOT_DATESTAMP, ret, NULL, err);
}
