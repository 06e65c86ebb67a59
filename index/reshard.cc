/* reshard.cc: an index of M shards rewritten as N (fairdex reshard).
 *
 * Offline: the daemon is stopped, the sources are read at their last
 * commit and the destinations are new databases nobody else opens.  Every
 * document is copied as it is stored (data, values, terms with their wdf
 * and positions), under its id term, into the destination its route
 * names: read into a new document first (copy_document), since handing
 * replace_document the source's own document made Xapian fetch it piece by
 * piece while writing, which was slower.  The metadata follows what it belongs
 * to: a tombstone (changes.cc's "fairdex:tomb:<when>\x1f<id>" and
 * "fairdex:tombid:<id>") and a listing key ("fairdex:live:<when>\x1f<id>")
 * go with their record id, and the listing keys' flag keeps the smallest
 * value any source holds (keys are whole only where all kept them); the index's own entries
 * ("fairdex:" and anything else index/ keeps, such as the schema version)
 * go to every destination, the greatest value any source holds, except the
 * DOI-shared flag, which each destination computes from its own records
 * (doi_shared); the daemon's entries
 * (checkpoints, reconciliation times) are in the home shard, source 0,
 * and go to destination 0.  Destinations are committed every
 * RESHARD_BATCH documents, so memory stays bounded whatever the index's
 * size (and Xapian's pending changes small: adding to them slows as they
 * grow); a reshard that fails leaves half-written destinations, which the
 * caller refuses to reuse.
 *
 * Into one destination from local sources nothing needs routing, and
 * Xapian's compactor (Database::compact over all the sources) writes the
 * same database many times faster than the copy: documents in the order
 * the copy gives them (source 0's, then source 1's, each in docid order),
 * spellings summed as one database holding every record keeps them, the
 * metadata merged by the same rules (meta_merge); the DOI-shared flag is
 * then computed over the whole.
 */
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <xapian.h>

#include "index-private.hh"

#define RESHARD_BATCH 500
#define OWN_PREFIX "fairdex:"

/* The DOI-shared flag of a destination (FD_DOI_SHARED_KEY, as fd_index_put
 * keeps it): "1" when two of its records hold one DOI.  Computed, not
 * taken from the sources: records that shared a DOI across two sources
 * (each "0") may now share it in one destination. */
static std::string doi_shared(Xapian::WritableDatabase &db) {
        const std::string prefix = schema_term(FIELD_DOI, std::string());

        for (Xapian::TermIterator t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t)
                if (t.get_termfreq() > 1)
                        return "1";
        return "0";
}

/* The record id a tombstone or listing key is about, "" when the key is not one. */
static std::string record_of_key(const std::string &key) {
        if (key.compare(0, strlen(FD_TOMB_ID_KEY), FD_TOMB_ID_KEY) == 0)
                return key.substr(strlen(FD_TOMB_ID_KEY));
        for (const char *pre : {FD_TOMB_KEY, FD_LIVE_KEY})
                if (key.compare(0, strlen(pre), pre) == 0) {
                        size_t sep = key.find('\x1f', strlen(pre));
                        return sep == std::string::npos ? std::string() : key.substr(sep + 1);
                }
        return std::string();
}

/* A copy of src made of its parts (data, values, terms with their wdf
 * and positions), detached from its database. */
static Xapian::Document copy_document(const Xapian::Document &src) {
        Xapian::Document doc;

        doc.set_data(src.get_data());
        for (Xapian::ValueIterator v = src.values_begin(); v != src.values_end(); ++v)
                doc.add_value(v.get_valueno(), *v);
        for (Xapian::TermIterator t = src.termlist_begin(); t != src.termlist_end(); ++t) {
                const std::string term = *t;
                for (Xapian::PositionIterator p = t.positionlist_begin(); p != t.positionlist_end(); ++p)
                        doc.add_posting(term, *p, 0);
                doc.add_term(term, t.get_wdf());
        }
        return doc;
}

/* A key two sources hold, merged as the copy merges it: the listing keys'
 * flag the smallest, the index's own entries the greatest; a record's keys
 * and the daemon's are in one source only (its route's, the home shard). */
class meta_merge : public Xapian::Compactor {
        std::string resolve_duplicate_metadata(const std::string &key, size_t n,
                                               const std::string tags[]) override {
                std::string v = tags[0];
                for (size_t i = 1; i < n; i++)
                        if (key == FD_LIVE_FLAG ? tags[i] < v
                                                : key.compare(0, strlen(OWN_PREFIX), OWN_PREFIX) == 0 && v < tags[i])
                                v = tags[i];
                return v;
        }
};

/* The sources compacted into the one new database dst. */
static uint64_t compact_into(const char *const *src, size_t n_src, const char *dst) {
        Xapian::Database all;
        meta_merge merge;

        for (size_t i = 0; i < n_src; i++)
                all.add_database(Xapian::Database(src[i]));
        all.compact(dst, 0, 0, merge);
        Xapian::WritableDatabase out(dst, Xapian::DB_OPEN);
        out.set_metadata(FD_DOI_SHARED_KEY, doi_shared(out));
        out.commit();
        return all.get_doccount();
}

/* "<source>:<local id>": the source is what comes before the first ':'. */
static size_t route_of(const std::string &id, fd_index_route_fn route, void *userdata) {
        size_t colon = id.find(':');
        std::string source = id.substr(0, colon == std::string::npos ? 0 : colon);
        return route(userdata, source.c_str(), id.c_str());
}

enum fd_status fd_index_reshard(const char *const *src, size_t n_src, const char *const *dst, size_t n_dst,
                                fd_index_route_fn route, void *userdata, uint64_t *ret_docs,
                                struct fd_error *err) noexcept {
        const char *at = n_src ? src[0] : "";
        if (!n_src || !n_dst)
                return fd_error_set(err, FD_E_INVALID, "reshard needs at least one source and one destination");
        try {
                bool local = true;
                for (size_t i = 0; i < n_src; i++)
                        local = local && !fd_index_loc_remote(src[i]);
                if (n_dst == 1 && local) {
                        at = dst[0];
                        uint64_t docs = compact_into(src, n_src, dst[0]);
                        if (ret_docs)
                                *ret_docs = docs;
                        return FD_OK;
                }
                std::vector<Xapian::WritableDatabase> out;
                std::vector<size_t> pending(n_dst, 0);
                std::map<std::string, std::string> own;
                uint64_t docs = 0;

                for (size_t k = 0; k < n_dst; k++) {
                        /* fd_index_open gives a new database its schema */
                        struct fd_index *idx = nullptr;
                        at = dst[k];
                        enum fd_status st = fd_index_open(dst[k], true, &idx, err);
                        fd_index_free(idx);
                        if (st != FD_OK)
                                return st;
                        out.emplace_back(dst[k], Xapian::DB_OPEN);
                }
                for (size_t i = 0; i < n_src; i++) {
                        at = src[i];
                        Xapian::Database db = shard_open(src[i]);
                        for (Xapian::PostingIterator p = db.postlist_begin(std::string());
                             p != db.postlist_end(std::string()); ++p) {
                                Xapian::Document doc = db.get_document(*p);
                                std::string id = doc.get_value(SLOT_ID);
                                size_t k = route_of(id, route, userdata);
                                if (id.empty() || k >= n_dst)
                                        return fd_error_set(err, FD_E_CORRUPT, "index '%s': document %u has no "
                                                            "record id", src[i], (unsigned)*p);
                                out[k].replace_document(schema_id_term(id), copy_document(doc));
                                docs++;
                                if (++pending[k] >= RESHARD_BATCH) {
                                        at = dst[k];
                                        out[k].commit();
                                        pending[k] = 0;
                                        at = src[i];
                                }
                        }
                        for (Xapian::TermIterator t = db.metadata_keys_begin(); t != db.metadata_keys_end(); ++t) {
                                const std::string key = *t, value = db.get_metadata(key);
                                const std::string id = record_of_key(key);
                                if (!id.empty()) {
                                        size_t k = route_of(id, route, userdata);
                                        if (k < n_dst)
                                                out[k].set_metadata(key, value);
                                } else if (key == FD_LIVE_FLAG) {
                                        /* the listing keys are whole only where every source kept them */
                                        if (!own.count(key) || value < own[key])
                                                own[key] = value;
                                } else if (key.compare(0, strlen(OWN_PREFIX), OWN_PREFIX) == 0) {
                                        if (own[key] < value)
                                                own[key] = value;
                                } else if (i == 0)
                                        out[0].set_metadata(key, value);
                        }
                }
                for (size_t k = 0; k < n_dst; k++) {
                        at = dst[k];
                        for (const auto &kv : own)
                                out[k].set_metadata(kv.first, kv.second);
                        out[k].set_metadata(FD_DOI_SHARED_KEY, doi_shared(out[k]));
                        out[k].commit();
                }
                if (ret_docs)
                        *ret_docs = docs;
                return FD_OK;
        } catch (...) {
                return index_error(at, err);
        }
}
