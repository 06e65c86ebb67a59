/* fair.cc: FAIR outcomes as index terms, and the per-source FAIR report
 * computed over the index.
 *
 * Writing.  fd_index_fair_terms() adds to a record's document one boolean
 * term per indicator outcome ("XF:R1.1-license:fail") and one per points
 * earned ("XF:R1.1-license:1"), the rubric version ("XFV0.2") and, for
 * licences that do not resolve to SPDX, the string as written
 * ("XFL:CC-BY-3.0-FR").  Terms rather than values because a search filters
 * on them ("records failing the licence indicator") and because counting
 * them per source is a posting-list intersection, not a scan.  The prefix
 * follows Xapian's convention (':' before a value starting with a capital)
 * so the query parser builds the same terms.
 *
 * Reading.  fd_index_fair_report() streams over the source's posting list
 * once, reading the score value slots (2–6) through value streams in docid
 * order: the memory it needs is a few counters and the `worst` lowest
 * records, whatever the size of the source.  Indicator outcomes and points
 * come from intersecting the source's posting list with each XF term (an
 * Enquire with check_at_least = doccount, so the count is exact), or from
 * term frequencies when the report covers every source.  The answer is a
 * struct fd_fair_report in its own arena (daemon/json_fair.c writes the
 * protocol's JSON); a worst record carries its stored JSON, whose "fair"
 * block names what to fix.
 *
 * It opens its own read-only view of every shard rather than borrowing a
 * shim handle: struct fd_index is private to shim.cc, and a fresh handle
 * sees the latest commit, which is what a report on demand wants.
 */
#include <algorithm>
#include <iterator>
#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include <xapian.h>

#include "index-private.hh"

#define PREFIX_OUTCOME "XF"
#define PREFIX_RUBRIC "XFV"
#define PREFIX_LICENSE "XFL"
/* How many distinct unrecognised licence strings a report examines and
 * lists: free text can be anything, the bound keeps the report cheap. */
#define LICENSE_TERMS_MAX 5000
#define LICENSES_LISTED 20
#define RUBRICS_MAX 32

static std::string fair_term(const char *prefix, const std::string &value) {
        std::string term = prefix;

        if (!value.empty() && ((value[0] >= 'A' && value[0] <= 'Z') || value[0] == ':'))
                term += ':';
        term += value;
        if (term.size() > FD_TERM_MAX)
                return std::string();
        return term;
}

static const char *outcome_word(enum fd_fair_outcome o) {
        /* fd_fair_outcome_name() says "n/a", which a term should not. */
        return o == FD_FAIR_NA ? "na" : fd_fair_outcome_name(o);
}

Xapian::Document fd_index_fair_terms(Xapian::Document doc, const struct fd_record *r,
                                     const struct fd_fair_assessment *fair) {
        size_t n = 0;
        const struct fd_fair_indicator *ind = fd_fair_indicators(&n);

        if (!fair)
                return doc;
        doc.add_boolean_term(PREFIX_RUBRIC FD_FAIR_RUBRIC_VERSION);
        for (size_t i = 0; i < n && i < fair->n; i++) {
                const std::string id = ind[i].id;
                const struct fd_fair_result *res = &fair->results[i];
                std::string t = fair_term(PREFIX_OUTCOME, id + ":" + outcome_word(res->outcome));

                if (!t.empty())
                        doc.add_boolean_term(t);
                if (res->outcome == FD_FAIR_NA)
                        continue;
                t = fair_term(PREFIX_OUTCOME, id + ":" + std::to_string(res->points));
                if (!t.empty())
                        doc.add_boolean_term(t);
        }
        for (size_t i = 0; r && i < r->licenses.n; i++) {
                const struct fd_license *l = &r->licenses.v[i];
                const char *raw = l->url && *l->url ? l->url : l->text;
                if (l->spdx && *l->spdx)
                        continue;
                if (raw && *raw) {
                        const std::string t = fair_term(PREFIX_LICENSE, raw);
                        if (!t.empty())
                                doc.add_boolean_term(t);
                }
        }
        return doc;
}

/* ---- the report -------------------------------------------------------- */

namespace {

/* The five scores: overall then F, A, I, R, in slot order. */
#define SCORES (1 + FD_FAIR_PRINCIPLES)

struct score_stats {
        double sum = 0;
        uint64_t bands[4] = { 0, 0, 0, 0 };
        uint64_t histogram[10] = { 0 };

        void add(int v) {
                int b = v < 25 ? 0 : v < 50 ? 1 : v < 75 ? 2 : 3;
                int h = v >= 100 ? 9 : v < 0 ? 0 : v / 10;
                sum += v;
                bands[b]++;
                histogram[h]++;
        }

        struct fd_fair_score_stats result(uint64_t count) const {
                struct fd_fair_score_stats out = {};

                out.mean = count ? (double)((long long)(sum * 10.0 / (double)count + 0.5)) / 10.0 : 0.0;
                std::copy(std::begin(bands), std::end(bands), out.bands);
                std::copy(std::begin(histogram), std::end(histogram), out.histogram);
                return out;
        }
};

/* Ties by record id, which is the same wherever the record is stored
 * (docids differ between one database and shards). */
struct worst_entry {
        int overall;
        Xapian::docid did;
        std::string id;
        bool operator<(const worst_entry &o) const {
                return overall != o.overall ? overall < o.overall : id < o.id;
        }
};

/* Counts the documents of filter (the source's posting list; empty: every
 * document) that also index term. */
uint64_t count_with(Xapian::Database &db, const std::string &filter, const std::string &term) {
        if (term.empty())
                return 0;
        if (filter.empty())
                return db.get_termfreq(term);
        if (db.get_termfreq(term) == 0)
                return 0;
        Xapian::Enquire enquire(db);
        enquire.set_query(Xapian::Query(Xapian::Query::OP_AND, Xapian::Query(filter), Xapian::Query(term)));
        enquire.set_weighting_scheme(Xapian::BoolWeight());
        return enquire.get_mset(0, 0, db.get_doccount()).get_matches_estimated();
}

int slot_int(const std::string &v) {
        if (v.empty())
                return -1;
        return (int)Xapian::sortable_unserialise(v);
}

double one_decimal(double x) {
        return (double)(long long)(x * 10.0 + (x < 0 ? -0.5 : 0.5)) / 10.0;
}

double share(uint64_t part, uint64_t whole) {
        return whole ? (double)(long long)((double)part * 1000.0 / (double)whole + 0.5) / 1000.0 : 0.0;
}

/* Indicators: outcome and points counts from the XF terms, most points
 * lost first. */
void report_indicators(Xapian::Database &db, const std::string &filter, struct fd_fair_report *rep,
                       answer_arena &out) {
        size_t n_ind = 0;
        const struct fd_fair_indicator *ind = fd_fair_indicators(&n_ind);
        const uint64_t count = rep->records;
        int total_max = 0;

        for (size_t i = 0; i < n_ind; i++)
                total_max += ind[i].max_points;
        struct row {
                size_t i;
                uint64_t n[4];
                uint64_t lost;
        };
        std::vector<row> rows;
        for (size_t i = 0; i < n_ind; i++) {
                row r = { i, { 0, 0, 0, 0 }, 0 };
                const std::string id = ind[i].id;
                for (int o = FD_FAIR_FAIL; o <= FD_FAIR_NA; o++)
                        r.n[o] = count_with(db, filter, fair_term(PREFIX_OUTCOME, id + ":" +
                                                                          outcome_word((enum fd_fair_outcome)o)));
                r.lost = r.n[FD_FAIR_FAIL] * (uint64_t)ind[i].max_points;
                if (r.n[FD_FAIR_PARTIAL] > 0) {
                        /* The points partial records earned, from the points terms. */
                        for (int pts = 1; pts < ind[i].max_points; pts++)
                                r.lost += count_with(db, filter, fair_term(PREFIX_OUTCOME, id + ":" + std::to_string(pts))) *
                                          (uint64_t)(ind[i].max_points - pts);
                }
                rows.push_back(r);
        }
        std::stable_sort(rows.begin(), rows.end(), [](const row &a, const row &b) { return a.lost > b.lost; });
        std::vector<struct fd_fair_indicator_stats> list;
        for (const row &r : rows) {
                struct fd_fair_indicator_stats st = {};
                st.indicator = &ind[r.i];
                st.pass = r.n[FD_FAIR_PASS];
                st.partial = r.n[FD_FAIR_PARTIAL];
                st.fail = r.n[FD_FAIR_FAIL];
                st.na = r.n[FD_FAIR_NA];
                st.fail_share = share(r.n[FD_FAIR_FAIL], count);
                st.partial_share = share(r.n[FD_FAIR_PARTIAL], count);
                /* The mean overall score gained if every record passed it
                 * (over the rubric's full maximum: n/a indicators shrink a
                 * record's maximum, so this is a close estimate). */
                st.lift = count && total_max ? one_decimal(100.0 * (double)r.lost / ((double)count * total_max)) : 0.0;
                list.push_back(st);
        }
        rep->indicators = out.array(list);
        rep->n_indicators = list.size();
}

/* The lowest records, lowest first. */
void report_worst(Xapian::Database &db, std::vector<worst_entry> &worst, struct fd_fair_report *rep,
                  answer_arena &out) {
        std::vector<struct fd_fair_worst> list;

        std::sort(worst.begin(), worst.end());
        for (const worst_entry &e : worst) {
                const Xapian::Document doc = db.get_document(e.did);
                struct fd_fair_worst w = {};
                w.id = out.str_or_null(doc.get_value(SLOT_ID));
                w.title = out.str_or_null(doc.get_value(SLOT_TITLE));
                w.overall = e.overall;
                for (int k = 1; k < SCORES; k++)
                        w.score[k - 1] = slot_int(doc.get_value(SLOT_FAIR + k));
                w.record_json = out.str(doc.get_data());
                list.push_back(w);
        }
        rep->worst = out.array(list);
        rep->n_worst = list.size();
}

/* Licence strings that do not resolve to SPDX, most frequent first, and
 * the records per rubric version. */
void report_terms(Xapian::Database &db, const std::string &filter, struct fd_fair_report *rep, answer_arena &out) {
        std::vector<std::pair<uint64_t, std::string>> lic;
        unsigned examined = 0;
        for (Xapian::TermIterator t = db.allterms_begin(PREFIX_LICENSE); t != db.allterms_end(PREFIX_LICENSE); ++t) {
                if (++examined > LICENSE_TERMS_MAX) {
                        rep->licenses_truncated = true;
                        break;
                }
                const std::string term = *t;
                const uint64_t c = count_with(db, filter, term);
                if (c == 0)
                        continue;
                std::string value = term.substr(strlen(PREFIX_LICENSE));
                if (!value.empty() && value[0] == ':')
                        value.erase(0, 1);
                lic.emplace_back(c, value);
        }
        std::stable_sort(lic.begin(), lic.end(),
                         [](const std::pair<uint64_t, std::string> &a, const std::pair<uint64_t, std::string> &b) {
                                 return a.first > b.first;
                         });
        std::vector<struct fd_index_count> list;
        for (size_t i = 0; i < lic.size() && i < LICENSES_LISTED; i++)
                list.push_back({ out.str(lic[i].second), lic[i].first, nullptr });
        rep->licenses = out.array(list);
        rep->n_licenses = list.size();

        /* Records per rubric version: scores of an older rubric await a rescore. */
        list.clear();
        unsigned nr = 0;
        for (Xapian::TermIterator t = db.allterms_begin(PREFIX_RUBRIC); t != db.allterms_end(PREFIX_RUBRIC) && nr < RUBRICS_MAX;
             ++t, ++nr) {
                const std::string term = *t;
                const uint64_t c = count_with(db, filter, term);
                if (c)
                        list.push_back({ out.str(term.substr(strlen(PREFIX_RUBRIC))), c, nullptr });
        }
        rep->rubrics = out.array(list);
        rep->n_rubrics = list.size();
}

struct fd_fair_report *report(Xapian::Database &db, const struct fd_fair_report_opts *opts, answer_arena &out) {
        const bool all = !opts->source || !*opts->source;
        const std::string filter = all ? std::string() : schema_term(FIELD_SOURCE, opts->source);
        const unsigned want_worst = std::min(opts->worst, (unsigned)FD_INDEX_FAIR_WORST_MAX);
        struct fd_fair_report *rep = out.make<struct fd_fair_report>();
        score_stats stats[SCORES];
        std::vector<worst_entry> worst;
        uint64_t count = 0, scored = 0;

        rep->source = all ? nullptr : out.str(opts->source);
        rep->summary = opts->summary;

        /* One pass over the source's documents, values read in docid order. */
        if (!all && filter.empty())
                throw invalid_request("fair report: source name too long");
        {
                Xapian::ValueIterator vs[SCORES];
                Xapian::ValueIterator vend = db.valuestream_end(SLOT_FAIR);
                const std::string pl = all ? std::string() : filter;
                for (int k = 0; k < SCORES; k++)
                        vs[k] = db.valuestream_begin(SLOT_FAIR + k);
                worst.reserve(want_worst + 1);
                for (Xapian::PostingIterator p = db.postlist_begin(pl); p != db.postlist_end(pl); ++p) {
                        const Xapian::docid did = *p;
                        int v[SCORES];
                        bool have = true;

                        count++;
                        for (int k = 0; k < SCORES; k++) {
                                if (vs[k] != vend && vs[k].get_docid() < did)
                                        vs[k].skip_to(did);
                                v[k] = (vs[k] != vend && vs[k].get_docid() == did) ? slot_int(*vs[k]) : -1;
                                have = have && v[k] >= 0;
                        }
                        if (!have)
                                continue;
                        scored++;
                        for (int k = 0; k < SCORES; k++)
                                stats[k].add(v[k]);
                        if (want_worst == 0)
                                continue;
                        /* The id is read only for a record that may enter. */
                        if (worst.size() >= want_worst && v[0] > worst.front().overall)
                                continue;
                        const worst_entry e = { v[0], did, db.get_document(did).get_value(SLOT_ID) };
                        if (worst.size() < want_worst) {
                                worst.push_back(e);
                                std::push_heap(worst.begin(), worst.end());
                        } else if (e < worst.front()) {
                                std::pop_heap(worst.begin(), worst.end());
                                worst.back() = e;
                                std::push_heap(worst.begin(), worst.end());
                        }
                }
        }
        rep->records = count;
        rep->scored = scored;
        rep->overall = stats[0].result(scored);
        for (int p = 0; p < FD_FAIR_PRINCIPLES; p++)
                rep->principle[p] = stats[1 + p].result(scored);
        if (opts->summary)
                return rep;
        report_indicators(db, filter, rep, out);
        report_worst(db, worst, rep, out);
        report_terms(db, filter, rep, out);
        return rep;
}

} /* namespace */

void fd_fair_report_free(struct fd_fair_report *r) noexcept {
        if (r)
                fd_arena_free(r->arena);
}

enum fd_status fd_index_fair_report(const struct fd_index_shards *shards, const struct fd_fair_report_opts *opts,
                                    struct fd_fair_report **ret_report, struct fd_error *err) noexcept {
        if (!shards || shards->n == 0 || !shards->locs || !opts)
                return fd_error_set(err, FD_E_INVALID, "fair report: no index or options");
        std::string label;
        try {
                std::unique_ptr<answer_arena> out;
                struct fd_fair_report *rep = nullptr;
                shard_set set(shards, false);

                label = set.label();
                set.open_all();
                set.run([&](Xapian::Database &db) {
                        /* A fresh arena each time it runs (reopened after
                         * two commits, or without a shard that broke). */
                        out.reset(new answer_arena());
                        rep = report(db, opts, *out);
                });
                index_mark_partial(set.missing, *out, rep);
                rep->arena = out->release();
                *ret_report = rep;
                return FD_OK;
        } catch (...) {
                return index_error(label.c_str(), err, FD_E_NOTFOUND);
        }
}
