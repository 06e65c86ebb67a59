/* related.cc: a record's links, both ways (docs/protocol.md, `related`).
 *
 * A record's relations are in SLOT_RELATED ("<relation>" FD_LABEL_SEP
 * "<identifier>", schema.cc) and as FIELD_RELATED terms.  Its own links
 * ("out") are read from its slot; the identifiers each points to are looked
 * up as FIELD_IDENTIFIER terms (a DOI is one of a record's identifiers).
 * The links other records state about it ("in") are the posting lists of
 * FIELD_RELATED terms of its identifiers: its DOI and the identifiers of
 * every record of its DOI group, the same object harvested elsewhere.
 * The relation of an "in" link is named from this record's side with
 * DataCite's inverse pairs (fd_relation_inverse).  Everything read is a
 * posting list or a value of a few documents, bounded by the limits of
 * fd_index.h: no stored record is parsed.
 */
#include <algorithm>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <xapian.h>

#include "index-private.hh"

/* The most records of one DOI group whose identifiers are looked up. */
#define GROUP_MAX 64
/* The most records stating relations to one identifier that are read. */
#define INBOUND_MAX 1000

namespace {

struct builder {
        Xapian::Database &db;
        answer_arena &out;
        std::vector<struct fd_related_link> links;

        struct fd_related_record record_of(Xapian::docid d) {
                struct schema_hit h;
                if (!schema_hit_unpack(db.get_document(d, Xapian::DOC_ASSUME_VALID).get_value(SLOT_HIT), &h))
                        throw Xapian::DatabaseCorruptError("a document without its hit value");
                return { out.str(h.id), out.str_or_null(h.source), out.str_or_null(h.title) };
        }

        /* The records holding pid as an identifier (the first in index
         * order), sorted by id. */
        void holders(const std::string &pid, std::vector<struct fd_related_record> *ret) {
                const std::string term = schema_term(FIELD_IDENTIFIER, pid);
                size_t n = 0;
                if (term.empty())
                        return;
                for (Xapian::PostingIterator p = db.postlist_begin(term);
                     p != db.postlist_end(term) && n < FD_INDEX_RELATED_RECORDS_MAX; ++p, n++)
                        ret->push_back(record_of(*p));
                std::sort(ret->begin(), ret->end(), [](const struct fd_related_record &a,
                                                       const struct fd_related_record &b) {
                        return strcmp(a.id, b.id) < 0;
                });
        }

        void add(const std::string &relation, bool in, const std::string &identifier,
                 const std::vector<struct fd_related_record> &records) {
                if (links.size() >= FD_INDEX_RELATED_LINKS_MAX)
                        return;
                links.push_back({ out.str(relation), in, out.str(identifier), out.array(records), records.size() });
        }
};

/* The identifier values (FIELD_IDENTIFIER terms without their prefix) of
 * document d into ids. */
void identifiers_of(Xapian::Database &db, Xapian::docid d, std::set<std::string> *ids) {
        const std::string prefix = schema_term(FIELD_IDENTIFIER, "");
        Xapian::TermIterator t = db.termlist_begin(d);

        for (t.skip_to(prefix); t != db.termlist_end(d) && (*t).compare(0, prefix.size(), prefix) == 0; ++t) {
                std::string v = (*t).substr(prefix.size());
                /* schema_term's ':' before a capital or a ':' */
                if (v.size() > 1 && v[0] == ':' && ((v[1] >= 'A' && v[1] <= 'Z') || v[1] == ':'))
                        v.erase(0, 1);
                ids->insert(v);
        }
}

} // namespace

struct fd_related_result *related_run(Xapian::Database &db, const char *id, answer_arena &out) {
        const Xapian::docid self = schema_find(db, schema_id_term(id));
        builder b{ db, out, {} };

        if (!self)
                return nullptr;
        const Xapian::Document doc = db.get_document(self);

        /* Out: the record's own statements, in its order. */
        schema_related_each(doc.get_value(SLOT_RELATED), [&](const std::string &rel, const std::string &pid) {
                std::vector<struct fd_related_record> records;
                b.holders(pid, &records);
                b.add(rel, false, pid, records);
        });

        /* Its identifiers: its own and its DOI group's. */
        std::set<Xapian::docid> group{ self };
        std::set<std::string> ids;
        const std::string doi = doc.get_value(SLOT_DOI);
        const std::string doi_term = schema_doi_term(doi);
        if (!doi.empty())
                ids.insert(doi);
        if (!doi_term.empty())
                for (Xapian::PostingIterator g = db.postlist_begin(doi_term);
                     g != db.postlist_end(doi_term) && group.size() < GROUP_MAX; ++g)
                        group.insert(*g);
        for (Xapian::docid d : group)
                identifiers_of(db, d, &ids);

        /* In: what other records state about any of them, one link per
         * (relation, stating object), in identifier order. */
        std::set<std::pair<std::string, std::string>> seen;
        for (const std::string &pid : ids) {
                const std::string term = schema_term(FIELD_RELATED, pid);
                size_t n = 0;
                if (term.empty())
                        continue;
                for (Xapian::PostingIterator r = db.postlist_begin(term);
                     r != db.postlist_end(term) && n < INBOUND_MAX; ++r, n++) {
                        if (group.count(*r))
                                continue;
                        const Xapian::Document other = db.get_document(*r, Xapian::DOC_ASSUME_VALID);
                        const std::string other_doi = other.get_value(SLOT_DOI);
                        const std::string who = other_doi.empty() ? other.get_value(SLOT_ID) : other_doi;
                        schema_related_each(other.get_value(SLOT_RELATED), [&](const std::string &rel,
                                                                               const std::string &target) {
                                if (target != pid)
                                        return;
                                const char *inv = fd_relation_inverse(rel.c_str());
                                const std::string named = inv ? inv : rel;
                                if (!seen.emplace(named, who).second)
                                        return;
                                std::vector<struct fd_related_record> records;
                                if (other_doi.empty())
                                        records.push_back(b.record_of(*r));
                                else
                                        b.holders(other_doi, &records);
                                b.add(named, true, who, records);
                        });
                }
        }

        struct fd_related_result *res = out.make<struct fd_related_result>();
        res->id = out.str(id);
        res->links = out.array(b.links);
        res->n_links = b.links.size();
        return res;
}
