/* ids.cc: the record ids of one source, for deletion reconciliation.
 *
 * The unique terms "Q<source>:<identifier>" of one source are adjacent in
 * Xapian's sorted term list, so walking them from allterms_begin(prefix) is
 * the cheapest way to see every id of a source without touching a
 * document.  Only an id too long for one term (schema_id_term keeps a
 * prefix and a hash) needs its document, whose SLOT_ID holds the whole id.
 *
 * The walk opens its own read-only view of every shard rather than taking
 * a handle (one missing shard fails it: reconciliation must see every id): the caller (a harvest thread) reads in short
 * batches, each from a fresh view of the last commit, while the indexer
 * thread commits the deletions of the previous batch.  A batch resumes from
 * the term of the last id it saw, which stays correct whatever was deleted
 * in between.  Exceptions stop here, like everywhere in index/.
 */
#include <cstring>
#include <new>
#include <string>

#include <xapian.h>

#include "index-private.hh"

/* Ids up to this long are their own term; longer ones may be hashed. */
#define PLAIN_ID_MAX 200

/* The record id a unique term stands for: the term without its prefix, or
 * for a possibly hashed one the id its document's SLOT_ID holds. */
static std::string term_id(const Xapian::Database &db, const std::string &term, size_t prefix_len) {
        if (term.size() - prefix_len <= PLAIN_ID_MAX)
                return term.substr(prefix_len);
        const Xapian::docid d = schema_find(db, term);
        if (!d)
                return term.substr(prefix_len);
        const std::string id = db.get_document(d).get_value(SLOT_ID);
        return id.empty() ? term.substr(prefix_len) : id;
}

/* One walk over a fresh view of every shard (their terms merged in
 * order); fn may see an id again when the view had to be reopened, which
 * the caller's batches tolerate. */
static void walk(shard_set &set, const std::string &prefix, const std::string &start, fd_index_id_fn fn,
                 void *userdata) {
        const size_t id_prefix_len = schema_id_term("").size();

        set.open_all();
        set.run([&](Xapian::Database &db) {
                Xapian::TermIterator t = db.allterms_begin(prefix);
                const Xapian::TermIterator end = db.allterms_end(prefix);
                if (!start.empty()) {
                        t.skip_to(start);
                        if (t != end && *t == start)
                                ++t;
                }
                for (; t != end; ++t) {
                        const std::string id = term_id(db, *t, id_prefix_len);
                        if (!fn(userdata, id.c_str()))
                                return;
                }
        });
}

enum fd_status fd_index_ids(const struct fd_index_shards *shards, const char *source, const char *after,
                            fd_index_id_fn fn, void *userdata, struct fd_error *err) noexcept {
        if (!shards || shards->n == 0 || !shards->locs || !source || !*source || !fn)
                return fd_error_set(err, FD_E_INVALID, "fd_index_ids: no index, source or callback");
        std::string label;
        try {
                const std::string prefix = schema_id_term(std::string(source) + ":");
                const std::string start = after ? schema_id_term(after) : std::string();
                /* Strict: a deletion reconciled without a shard's ids would
                 * take its records for gone. */
                shard_set set(shards, true);

                label = set.label();
                walk(set, prefix, start, fn, userdata);
                return FD_OK;
        } catch (...) {
                return index_error(label.c_str(), err, FD_E_NOTFOUND);
        }
}
