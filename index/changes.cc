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
 *
 * Listing by SLOT_CHANGED makes Xapian read the slot of every document and
 * sort what is left after the page's key, for every page: a whole listing
 * costs the square of the index's size.  So a live record also has a
 * metadata key, FD_LIVE_KEY "<when>\x1f<id>" -> its set specs, kept with
 * SLOT_CHANGED, and a page is a walk of the two sorted key ranges, live
 * and tombstones, from the page's key: its own size, whatever the index's.
 * Indexes created before those keys existed (no FD_LIVE_FLAG) keep the
 * sort by SLOT_CHANGED.
 *
 * fd_index_put also stores each record's OAI-PMH payloads, rendered by
 * record/export_xml.c, in SLOT_PAYLOAD + format, so that serving a page
 * reads them instead of parsing and rendering every record's JSON; a
 * rescore or remap writes the record again through fd_index_put, and with
 * it the payloads.  A record without them (an older index, or a payload
 * over FD_PAYLOAD_MAX) is served from its JSON.
 */
#include <algorithm>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include <xapian.h>

#include "index-private.hh"

#define FD_TOMB_ID_MAX 200
#define FD_PAYLOAD_MAX (256u << 10)
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

void changes_mark_new(Xapian::WritableDatabase &db) {
        db.set_metadata(FD_LIVE_FLAG, "1");
}

/* The key in (datestamp, id) order of a stored document, "" if none. */
static std::string live_key(const Xapian::Database &db, Xapian::docid d) {
        return d ? db.get_document(d).get_value(SLOT_CHANGED) : std::string();
}

/* Stores r's OAI-PMH payloads in doc (a format it cannot render, or too
 * large, is left out: served from the JSON). */
static void put_payloads(Xapian::Document &doc, const struct fd_record *r) {
        struct fd_buf b;
        fd_buf_init(&b, FD_PAYLOAD_MAX);
        for (int f = 0; f < FD_XML_COUNT; f++) {
                fd_buf_reset(&b);
                if (fd_record_export_xml(r, (enum fd_xml_format)f, &b) == FD_OK)
                        doc.add_value(SLOT_PAYLOAD + f, std::string(b.data ? b.data : "", b.len));
                else
                        doc.remove_value(SLOT_PAYLOAD + f);
        }
        fd_buf_release(&b);
}

void changes_put(Xapian::WritableDatabase &db, Xapian::Document &doc, Xapian::docid self, const struct fd_record *r) {
        const std::string id = r->id, key = now_iso() + SEP + id;
        doc.add_value(SLOT_CHANGED, key);
        put_payloads(doc, r);
        bool live = db.get_metadata(FD_LIVE_FLAG) == "1";
        if (live && id.size() > FD_TOMB_ID_MAX) {
                db.set_metadata(FD_LIVE_FLAG, "0");  /* no key can hold it: back to the sort for good */
                live = false;
        }
        if (live) {
                const std::string old = live_key(db, self);
                if (!old.empty() && old != key)
                        db.set_metadata(FD_LIVE_KEY + old, "");
                db.set_metadata(FD_LIVE_KEY + key, doc_sets(doc));
        }
        if (id.size() > FD_TOMB_ID_MAX)
                return;
        const std::string old = db.get_metadata(FD_TOMB_ID_KEY + id);
        if (old.empty())
                return;
        db.set_metadata(FD_TOMB_KEY + old.substr(0, old.find(SEP)) + SEP + id, "");
        db.set_metadata(FD_TOMB_ID_KEY + id, "");
}

void changes_delete(Xapian::WritableDatabase &db, Xapian::docid d, const std::string &id) {
        if (d && db.get_metadata(FD_LIVE_FLAG) == "1")
                db.set_metadata(FD_LIVE_KEY + live_key(db, d), "");
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
        std::string sets;     /* tombstones and live keys (sorted documents: from doc) */
        Xapian::Document doc; /* live records */
        bool deleted;
        bool has_doc;         /* doc is read (else a live key: found by id) */
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

/* The page of items (sorted, up to limit + 1) as the answer. */
static struct fd_change_list *page(Xapian::Database &db, const struct fd_change_request *req, std::vector<item> &items,
                                   unsigned limit, uint64_t total, answer_arena &out) {
        auto *res = out.make<struct fd_change_list>();
        std::vector<struct fd_change> v;
        for (size_t i = 0; i < items.size() && i < limit; i++) {
                item &it = items[i];
                size_t sep = it.key.find(SEP);
                struct fd_change c = {};
                c.changed = out.str(it.key.substr(0, sep));
                c.id = out.str(sep == std::string::npos ? std::string() : it.key.substr(sep + 1));
                c.deleted = it.deleted;
                if (!it.deleted && (req->record_json || req->payload)) {
                        if (!it.has_doc) {
                                /* A live key: its document, found by id. */
                                const Xapian::docid d = schema_find(db, schema_id_term(c.id));
                                if (!d)
                                        continue;
                                it.doc = db.get_document(d);
                        }
                        if (req->payload > 0 && req->payload <= FD_XML_COUNT) {
                                const std::string p = it.doc.get_value(SLOT_PAYLOAD + req->payload - 1);
                                if (!p.empty())
                                        c.payload = out.str(p);
                        }
                        if (req->record_json || !c.payload)
                                c.record_json = out.str(it.doc.get_data());
                }
                /* A live key holds its sets; a sorted document has them in its slots. */
                if (!it.deleted && it.sets.empty())
                        it.sets = doc_sets(it.doc);
                c.sets = out.str(it.sets);
                v.push_back(c);
        }
        res->v = out.array(v);
        res->n = v.size();
        res->next = items.size() > limit ? out.str(items[limit - 1].key) : nullptr;
        res->total = total;
        return res;
}

/* The listing by walking the live and tombstone keys together from lo. */
static struct fd_change_list *keyed_list(Xapian::Database &db, const struct fd_change_request *req, unsigned limit,
                                         const std::string &lo, const std::string &hi, answer_arena &out) {
        const std::string set = req->set ? req->set : "";
        const size_t live_pre = strlen(FD_LIVE_KEY), tomb_pre = strlen(FD_TOMB_KEY);
        Xapian::TermIterator l = db.metadata_keys_begin(FD_LIVE_KEY), t = db.metadata_keys_begin(FD_TOMB_KEY);
        const Xapian::TermIterator l_end = db.metadata_keys_end(FD_LIVE_KEY), t_end = db.metadata_keys_end(FD_TOMB_KEY);
        std::vector<item> items;
        uint64_t total = 0;

        if (req->set)
                set_query(req->set); /* throws for a set that does not exist */
        if (!lo.empty()) {
                l.skip_to(FD_LIVE_KEY + lo);
                t.skip_to(FD_TOMB_KEY + lo);
        }
        if (req->live_only)
                t = t_end;
        std::string lk = l != l_end ? (*l).substr(live_pre) : std::string();
        std::string tk = t != t_end ? (*t).substr(tomb_pre) : std::string();
        while (items.size() <= limit || req->total) {
                const bool have_l = l != l_end && lk <= hi, have_t = t != t_end && tk <= hi;
                if (!have_l && !have_t)
                        break;
                const bool live = have_l && (!have_t || lk < tk);
                const std::string full = live ? *l : *t;
                const bool wanted = items.size() <= limit;
                /* Counting the rest of an unfiltered list needs no values. */
                const std::string sets = wanted || !set.empty() ? db.get_metadata(full) : std::string();
                if (live) {
                        ++l;
                        lk = l != l_end ? (*l).substr(live_pre) : std::string();
                } else {
                        ++t;
                        tk = t != t_end ? (*t).substr(tomb_pre) : std::string();
                }
                if (!set.empty() && !has_set(sets, set))
                        continue;
                total++;
                if (wanted)
                        items.push_back({full.substr(live ? live_pre : tomb_pre), sets, Xapian::Document(), !live, false});
        }
        return page(db, req, items, limit, total, out);
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
        /* The keys are each shard's own (Xapian reads the metadata of the
         * first database only of several): over shards, the sort. */
        if (view.parts.size() == 1 && db.get_metadata(FD_LIVE_FLAG) == "1")
                return keyed_list(db, req, limit, lo, hi, out);
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
                items.push_back({doc.get_value(SLOT_CHANGED), "", doc, false, true});
        }

        /* The tombstones in the same range, merged in: metadata, which each
         * shard keeps for the records routed to it. */
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
                                items.push_back({(*k).substr(strlen(FD_TOMB_KEY)), sets, Xapian::Document(), true, false});
                                tombs++;
                        } else if (!req->total) {
                                break;
                        }
                }
        }
        std::sort(items.begin(), items.end(), [](const item &a, const item &b) { return a.key < b.key; });
        return page(db, req, items, limit, total, out);
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
