/* versions.cc: versions of one work (issue 16, "collapse":"version").
 *
 * A work is a connected set of records: linked by IsVersionOf/HasVersion
 * or IsNewVersionOf/IsPreviousVersionOf (either record may state it),
 * sharing a concept DOI (every version IsVersionOf it, as Zenodo writes),
 * or sharing a DOI (one object from two sources).  Its key, "w" + the
 * smallest identifier in the set (a concept DOI, a version's DOI), is
 * stored in SLOT_WORK and as a WORK_PREFIX term on every member of a set
 * larger than one record and on every record with a DOI (so that records
 * sharing a DOI on different shards get the same key, issue 18); a record
 * with neither has none (an empty key is never collapsed).  versions_put walks the set of a
 * record being written through posting lists (FIELD_IDENTIFIER and
 * FIELD_RELATED terms; a DOI is one of a record's identifiers) and
 * re-keys the members whose key changes, so the key does not depend on
 * the order records arrive in.
 * A deleted record does not split its work: the keys stay until a member
 * is written again.  Searches collapse on SLOT_WORK (search.cc) and show
 * for each work its newest matching version (versions_of, work_hit),
 * listing the others.
 */
#include <cstring>
#include <deque>
#include <set>
#include <string>
#include <strings.h>
#include <vector>

#include <xapian.h>

#include "index-private.hh"

/* The most records one walk visits. */
#define WORK_MAX 256

/* Whether a relation joins the versions of one work (IsVersionOf,
 * HasVersion, IsNewVersionOf, IsPreviousVersionOf; any case). */
static bool versions_relation(const std::string &rel) {
        static const char *const names[] = { "IsVersionOf", "HasVersion", "IsNewVersionOf", "IsPreviousVersionOf" };
        for (const char *n : names)
                if (strcasecmp(rel.c_str(), n) == 0)
                        return true;
        return false;
}

namespace {

struct walk {
        Xapian::Database &db;
        Xapian::docid skip;        /* the stored copy of the record being written */
        std::set<Xapian::docid> members;
        std::set<std::string> pids;
        std::deque<std::string> todo;

        void pid(const std::string &p) {
                if (!p.empty() && pids.insert(p).second)
                        todo.push_back(p);
        }

        /* d's DOI and the targets of its version relations. */
        void from_values(const std::string &doi, const std::string &related) {
                pid(doi);
                schema_related_each(related, [&](const std::string &rel, const std::string &target) {
                        if (versions_relation(rel))
                                pid(target);
                });
        }

        void member(Xapian::docid d) {
                if (d == skip || members.size() >= WORK_MAX || !members.insert(d).second)
                        return;
                const Xapian::Document doc = db.get_document(d, Xapian::DOC_ASSUME_VALID);
                from_values(doc.get_value(SLOT_DOI), doc.get_value(SLOT_RELATED));
        }

        void postings(const std::string &term, bool by_version) {
                if (term.empty())
                        return;
                for (Xapian::PostingIterator p = db.postlist_begin(term);
                     p != db.postlist_end(term) && members.size() < WORK_MAX; ++p) {
                        if (by_version) {
                                /* only a version relation joins a work */
                                bool joins = false;
                                const std::string v = db.get_document(*p, Xapian::DOC_ASSUME_VALID)
                                                              .get_value(SLOT_RELATED);
                                schema_related_each(v, [&](const std::string &rel, const std::string &) {
                                        joins = joins || versions_relation(rel);
                                });
                                if (!joins)
                                        continue;
                        }
                        member(*p);
                }
        }

        void run() {
                while (!todo.empty() && members.size() < WORK_MAX) {
                        const std::string p = todo.front();
                        todo.pop_front();
                        postings(schema_term(FIELD_IDENTIFIER, p), false);
                        postings(schema_term(FIELD_RELATED, p), true);
                }
        }
};

} // namespace

void versions_put(Xapian::WritableDatabase &db, Xapian::Document &doc, Xapian::docid self) {
        walk w{ db, self, {}, {}, {} };

        w.from_values(doc.get_value(SLOT_DOI), doc.get_value(SLOT_RELATED));
        w.run();
        /* A record with a DOI has a key even alone ("w" + its DOI, unless a
         * version relation names a smaller identifier): a record holding the
         * same DOI in another shard, whose writer does not see this one,
         * computes the same key, so they collapse as in one database. */
        if (w.pids.empty())
                return;
        const std::string key = "w" + *w.pids.begin();
        const std::string term = WORK_PREFIX + key;
        if (term.size() > FD_TERM_MAX)
                return;
        doc.add_value(SLOT_WORK, key);
        doc.add_boolean_term(term);
        for (Xapian::docid d : w.members) {
                Xapian::Document m = db.get_document(d);
                const std::string old = m.get_value(SLOT_WORK);
                if (old == key)
                        continue;
                if (!old.empty())
                        m.remove_term(WORK_PREFIX + old);
                m.add_value(SLOT_WORK, key);
                m.add_boolean_term(term);
                db.replace_document(d, m);
        }
}
