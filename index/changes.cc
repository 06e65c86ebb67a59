/* changes.cc: records in the order they last changed, tombstones included
 * (the listing behind OAI-PMH, docs/federation.md).
 *
 * Every document carries SLOT_CHANGED, "<when>\x1f<id>": when fd_index_put
 * last wrote it (UTC, seconds, ISO 8601) and its id, so that sorting by
 * the value orders by (datestamp, id), a total order a harvester can page
 * through with the last key of a page, exact across commits.  A record
 * fd_index_delete removes leaves a tombstone in the database metadata,
 * not a document, so that searches, counts, facets, FAIR reports and
 * `get` never see it: FD_TOMB_KEY "<when>\x1f<id>" -> its set specs, and
 * FD_TOMB_ID_KEY "<id>" -> "<when>\x1f<set specs>" to find it by id.  A
 * record put again drops its tombstone.  Metadata is committed with the
 * documents, so a listing never sees half a page.  An id too long for a
 * metadata key (over FD_TOMB_ID_MAX bytes) leaves no tombstone.
 */
#include <algorithm>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include <xapian.h>

#include "index-private.hh"

#define FD_TOMB_KEY "fairdex:tomb:"
#define FD_TOMB_ID_KEY "fairdex:tombid:"
#define FD_TOMB_ID_MAX 200
#define SEP '\x1f'

static std::string now_iso() {
        char buf[32];
        time_t t = time(nullptr);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
        return buf;
}

/* The set specs of a stored document, space-separated. */
static std::string doc_sets(const Xapian::Document &doc) {
        std::string sets = "source:" + doc.get_value(SLOT_SOURCE);
        const std::string type = doc.get_value(SLOT_TYPE), fair = doc.get_value(SLOT_FAIR);
        if (!type.empty())
                sets += " type:" + type;
        if (!fair.empty())
                sets += std::string(" fair:") + index_fair_band(Xapian::sortable_unserialise(fair));
        return sets;
}

void changes_put(Xapian::WritableDatabase &db, Xapian::Document &doc, const std::string &id) {
        doc.add_value(SLOT_CHANGED, now_iso() + SEP + id);
        if (id.size() > FD_TOMB_ID_MAX)
                return;
        const std::string old = db.get_metadata(FD_TOMB_ID_KEY + id);
        if (old.empty())
                return;
        db.set_metadata(FD_TOMB_KEY + old.substr(0, old.find(SEP)) + SEP + id, "");
        db.set_metadata(FD_TOMB_ID_KEY + id, "");
}

void changes_delete(Xapian::WritableDatabase &db, const std::string &id_term, const std::string &id) {
        const Xapian::docid d = schema_find(db, id_term);
        if (!d || id.size() > FD_TOMB_ID_MAX)
                return;
        const std::string sets = doc_sets(db.get_document(d)), when = now_iso();
        const std::string old = db.get_metadata(FD_TOMB_ID_KEY + id);
        if (!old.empty())
                db.set_metadata(FD_TOMB_KEY + old.substr(0, old.find(SEP)) + SEP + id, "");
        db.set_metadata(FD_TOMB_KEY + when + SEP + id, sets);
        db.set_metadata(FD_TOMB_ID_KEY + id, when + SEP + sets);
}

/* ---- listing ------------------------------------------------------------ */

/* An entry of the merged listing; a live one keeps its document (read
 * lazily: its sets and JSON only if it makes the page). */
struct item {
        std::string key;      /* "<when>\x1f<id>" */
        std::string sets;     /* tombstones */
        Xapian::Document doc; /* live records */
        bool deleted;
};

/* Whether a space-separated list of set specs holds set. */
static bool has_set(const std::string &sets, const std::string &set) {
        size_t p = 0;
        while ((p = sets.find(set, p)) != std::string::npos) {
                size_t e = p + set.size();
                if ((p == 0 || sets[p - 1] == ' ') && (e == sets.size() || sets[e] == ' '))
                        return true;
                p = e;
        }
        return false;
}

/* The query of set (NULL: every record); throws invalid_request for a set
 * that is none of source:NAME, type:TYPE, fair:BAND. */
static Xapian::Query set_query(const char *set) {
        if (!set || !*set)
                return index_match_all();
        /* By the value slots, not the filter terms: Xapian 1.4.22 reads a
         * term that indexes every document (one source) and needs no wdf
         * (BoolWeight) from the document length list under the term's
         * name, which raises DatabaseCorruptError ("Unexpected end of
         * posting list") at the list's second chunk; the list is read in
         * chunks only when deletions left gaps, and the sort by
         * SLOT_CHANGED reads it all.  A search (BM25) on the term does not
         * take that path.  Test: test_changes_set_after_deletions. */
        if (strncmp(set, "source:", 7) == 0 && set[7])
                return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, SLOT_SOURCE, set + 7, set + 7);
        if (strncmp(set, "type:", 5) == 0 && set[5])
                return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, SLOT_TYPE, set + 5, set + 5);
        static const struct {
                const char *band;
                double lo, hi;
        } bands[] = {{"fair:0-25", 0, 24.999}, {"fair:25-50", 25, 49.999}, {"fair:50-75", 50, 74.999},
                     {"fair:75-100", 75, 100}};
        for (const auto &b : bands)
                if (strcmp(set, b.band) == 0)
                        return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, SLOT_FAIR, Xapian::sortable_serialise(b.lo),
                                             Xapian::sortable_serialise(b.hi));
        throw invalid_request(std::string("no such set '") + set + "'");
}

struct fd_change_list *changes_list(const struct index_view &view, const struct fd_change_request *req,
                                    answer_arena &out) {
        Xapian::Database db = view.db;
        const unsigned limit = req->limit ? req->limit : 100;
        std::string lo, hi = "\xff";
        if (req->from && *req->from)
                lo = req->from;
        if (req->after && *req->after && std::string(req->after) + '\0' > lo)
                lo = std::string(req->after) + '\0';
        if (req->until && *req->until)
                hi = std::string(req->until) + SEP + "\xff";
        const std::string set = req->set ? req->set : "";
        std::vector<item> items;
        uint64_t total = 0;

        /* The live records, by SLOT_CHANGED. */
        Xapian::Enquire enq(db);
        enq.set_query(Xapian::Query(Xapian::Query::OP_FILTER, set_query(req->set),
                                    Xapian::Query(Xapian::Query::OP_VALUE_RANGE, SLOT_CHANGED, lo, hi)));
        enq.set_sort_by_value(SLOT_CHANGED, false);
        enq.set_weighting_scheme(Xapian::BoolWeight());
        Xapian::MSet ms = enq.get_mset(0, limit + 1, req->total ? db.get_doccount() : 0);
        total += ms.get_matches_estimated();
        for (Xapian::MSetIterator m = ms.begin(); m != ms.end(); ++m) {
                Xapian::Document doc = m.get_document();
                items.push_back({doc.get_value(SLOT_CHANGED), "", doc, false});
        }

        /* The tombstones in the same range, merged in: metadata, which each
         * shard keeps for the records routed to it (Xapian reads the
         * metadata of the first database only of several). */
        const std::string first = FD_TOMB_KEY + lo, last = FD_TOMB_KEY + hi;
        for (const Xapian::Database &part : view.parts) {
                size_t tombs = 0;
                Xapian::TermIterator k = part.metadata_keys_begin(FD_TOMB_KEY);
                const Xapian::TermIterator end = part.metadata_keys_end(FD_TOMB_KEY);
                if (!lo.empty())
                        k.skip_to(first);
                if (req->live_only)
                        k = end;
                for (; k != end && *k <= last; ++k) {
                        const std::string sets = part.get_metadata(*k);
                        if (!set.empty() && !has_set(sets, set))
                                continue;
                        total++;
                        if (tombs <= limit) {
                                items.push_back({(*k).substr(strlen(FD_TOMB_KEY)), sets, Xapian::Document(), true});
                                tombs++;
                        } else if (!req->total) {
                                break;
                        }
                }
        }
        std::sort(items.begin(), items.end(), [](const item &a, const item &b) { return a.key < b.key; });

        auto *res = out.make<struct fd_change_list>();
        std::vector<struct fd_change> v;
        for (size_t i = 0; i < items.size() && i < limit; i++) {
                const item &it = items[i];
                size_t sep = it.key.find(SEP);
                struct fd_change c = {};
                c.changed = out.str(it.key.substr(0, sep));
                c.id = out.str(sep == std::string::npos ? std::string() : it.key.substr(sep + 1));
                c.deleted = it.deleted;
                c.sets = out.str(it.deleted ? it.sets : doc_sets(it.doc));
                c.record_json = it.deleted || !req->record_json ? nullptr : out.str(it.doc.get_data());
                v.push_back(c);
        }
        res->v = out.array(v);
        res->n = v.size();
        res->next = items.size() > limit ? out.str(items[limit - 1].key) : nullptr;
        res->total = total;
        return res;
}

struct fd_change_list *changes_one(const struct index_view &view, const char *id, answer_arena &out) {
        Xapian::Database db = view.db;
        auto *res = out.make<struct fd_change_list>();
        struct fd_change c = {};
        if (const Xapian::docid d = schema_find(db, schema_id_term(id))) {
                Xapian::Document doc = db.get_document(d);
                const std::string key = doc.get_value(SLOT_CHANGED);
                c.changed = out.str(key.substr(0, key.find(SEP)));
                c.sets = out.str(doc_sets(doc));
                c.record_json = out.str(doc.get_data());
        } else {
                std::string t;
                for (size_t i = 0; i < view.parts.size() && t.empty() && strlen(id) <= FD_TOMB_ID_MAX; i++)
                        t = view.parts[i].get_metadata(FD_TOMB_ID_KEY + std::string(id));
                if (t.empty())
                        return nullptr;
                size_t sep = t.find(SEP);
                c.changed = out.str(t.substr(0, sep));
                c.sets = out.str(sep == std::string::npos ? std::string() : t.substr(sep + 1));
                c.deleted = true;
        }
        c.id = out.str(id);
        res->v = out.array(std::vector<struct fd_change>{c});
        res->n = 1;
        return res;
}
