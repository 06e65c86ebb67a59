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
 * term frequencies when the report covers every source.
 *
 * It opens its own read-only Database by path rather than borrowing a
 * shim handle: struct fd_index is private to shim.cc, and a fresh handle
 * sees the latest commit, which is what a report on demand wants.
 */
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include <jansson.h>
#include <xapian.h>

#include "private.hh"

#define PREFIX_OUTCOME "XF"
#define PREFIX_RUBRIC "XFV"
#define PREFIX_LICENSE "XFL"
/* The glass backend's term length limit. */
#define TERM_MAX 245
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
        if (term.size() > TERM_MAX)
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

struct json_deleter {
        void operator()(json_t *j) const noexcept {
                json_decref(j);
        }
};
typedef std::unique_ptr<json_t, json_deleter> json_ptr;

json_t *need(json_t *j) {
        if (!j)
                throw std::bad_alloc();
        return j;
}

void set(json_t *o, const char *key, json_t *v) {
        if (!v || json_object_set_new(o, key, v) < 0)
                throw std::bad_alloc();
}

void append(json_t *a, json_t *v) {
        if (!v || json_array_append_new(a, v) < 0)
                throw std::bad_alloc();
}

/* The five scores: overall then F, A, I, R, in slot order. */
#define SCORES (1 + FD_FAIR_PRINCIPLES)
const char *const score_names[SCORES] = { "overall", "F", "A", "I", "R" };

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
};

struct worst_entry {
        int overall;
        Xapian::docid did;
        bool operator<(const worst_entry &o) const {
                return overall != o.overall ? overall < o.overall : did < o.did;
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

json_t *score_json(const score_stats &s, uint64_t count) {
        json_ptr o(need(json_object()));
        json_t *bands = need(json_array());
        json_t *hist;

        set(o.get(), "mean", json_real(count ? (double)((long long)(s.sum * 10.0 / (double)count + 0.5)) / 10.0 : 0.0));
        set(o.get(), "bands", bands);
        for (uint64_t b : s.bands)
                append(bands, json_integer((json_int_t)b));
        hist = need(json_array());
        set(o.get(), "histogram", hist);
        for (uint64_t h : s.histogram)
                append(hist, json_integer((json_int_t)h));
        return o.release();
}

double one_decimal(double x) {
        return (double)(long long)(x * 10.0 + (x < 0 ? -0.5 : 0.5)) / 10.0;
}

double share(uint64_t part, uint64_t whole) {
        return whole ? (double)(long long)((double)part * 1000.0 / (double)whole + 0.5) / 1000.0 : 0.0;
}

/* The stored assessment's indicator that loses the most points, as
 * {"id","hint"}: what to fix first in this record; null when nothing. */
json_t *first_fix(json_t *indicators) {
        json_t *best = nullptr, *ind;
        json_int_t best_lost = 0;
        size_t i;

        json_array_foreach(indicators, i, ind) {
                json_int_t lost = json_integer_value(json_object_get(ind, "max_points")) -
                                  json_integer_value(json_object_get(ind, "points"));
                const char *outcome = json_string_value(json_object_get(ind, "outcome"));
                if (!outcome || strcmp(outcome, "n/a") == 0 || !json_is_string(json_object_get(ind, "hint")))
                        continue;
                if (lost > best_lost) {
                        best = ind;
                        best_lost = lost;
                }
        }
        if (!best)
                return json_null();
        return json_pack("{s:O,s:O}", "id", json_object_get(best, "id"), "hint", json_object_get(best, "hint"));
}

json_t *report(Xapian::Database &db, const struct fd_fair_report_opts *opts) {
        const bool all = !opts->source || !*opts->source;
        const std::string filter = all ? std::string() : schema_term(FIELD_SOURCE, opts->source);
        const unsigned want_worst = std::min(opts->worst, (unsigned)FD_INDEX_FAIR_WORST_MAX);
        size_t n_ind = 0;
        const struct fd_fair_indicator *ind = fd_fair_indicators(&n_ind);
        json_ptr out(need(json_object()));
        score_stats stats[SCORES];
        std::vector<worst_entry> worst;
        uint64_t count = 0, scored = 0;
        int total_max = 0;

        set(out.get(), "source", all ? json_null() : json_string(opts->source));
        set(out.get(), "rubric", json_string(FD_FAIR_RUBRIC_VERSION));

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
                        const worst_entry e = { v[0], did };
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
        set(out.get(), "records", json_integer((json_int_t)count));
        set(out.get(), "scored", json_integer((json_int_t)scored));
        json_t *scores = need(json_object());
        set(out.get(), "scores", scores);
        for (int k = 0; k < SCORES; k++)
                set(scores, score_names[k], score_json(stats[k], scored));
        if (opts->summary)
                return out.release();

        /* Indicators: outcome and points counts from the XF terms. */
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
        json_t *inds = need(json_array());
        set(out.get(), "indicators", inds);
        for (const row &r : rows) {
                const struct fd_fair_indicator *d = &ind[r.i];
                json_ptr o(need(json_object()));
                set(o.get(), "id", json_string(d->id));
                set(o.get(), "principle", json_string(fd_fair_principle_name(d->principle)));
                set(o.get(), "title", json_string(d->title));
                set(o.get(), "fuji", json_string(d->fuji));
                set(o.get(), "rda", json_string(d->rda));
                set(o.get(), "max_points", json_integer(d->max_points));
                set(o.get(), "pass", json_integer((json_int_t)r.n[FD_FAIR_PASS]));
                set(o.get(), "partial", json_integer((json_int_t)r.n[FD_FAIR_PARTIAL]));
                set(o.get(), "fail", json_integer((json_int_t)r.n[FD_FAIR_FAIL]));
                set(o.get(), "na", json_integer((json_int_t)r.n[FD_FAIR_NA]));
                set(o.get(), "fail_share", json_real(share(r.n[FD_FAIR_FAIL], count)));
                set(o.get(), "partial_share", json_real(share(r.n[FD_FAIR_PARTIAL], count)));
                /* The mean overall score gained if every record passed it
                 * (over the rubric's full maximum: n/a indicators shrink a
                 * record's maximum, so this is a close estimate). */
                set(o.get(), "lift",
                    json_real(count && total_max ? one_decimal(100.0 * (double)r.lost / ((double)count * total_max))
                                                 : 0.0));
                append(inds, o.release());
        }

        /* The lowest records, lowest first. */
        std::sort(worst.begin(), worst.end());
        json_t *wl = need(json_array());
        set(out.get(), "worst", wl);
        for (const worst_entry &e : worst) {
                const Xapian::Document doc = db.get_document(e.did);
                const std::string data = doc.get_data();
                json_ptr rec(json_loadb(data.data(), data.size(), 0, nullptr));
                json_ptr o(need(json_object()));
                json_t *id = json_object_get(rec.get(), "id");
                json_t *titles = json_object_get(rec.get(), "titles");
                json_t *title = json_object_get(json_array_get(titles, 0), "value");

                set(o.get(), "id", json_is_string(id) ? json_copy(id) : json_null());
                set(o.get(), "title", json_is_string(title) ? json_copy(title) : json_null());
                set(o.get(), "overall", json_integer(e.overall));
                for (int k = 1; k < SCORES; k++)
                        set(o.get(), score_names[k], json_integer(slot_int(doc.get_value(SLOT_FAIR + k))));
                set(o.get(), "fix", first_fix(json_object_get(json_object_get(rec.get(), "fair"), "indicators")));
                append(wl, o.release());
        }

        /* Licence strings that do not resolve to SPDX, most frequent first. */
        std::vector<std::pair<uint64_t, std::string>> lic;
        unsigned examined = 0;
        bool truncated = false;
        for (Xapian::TermIterator t = db.allterms_begin(PREFIX_LICENSE); t != db.allterms_end(PREFIX_LICENSE); ++t) {
                if (++examined > LICENSE_TERMS_MAX) {
                        truncated = true;
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
        json_t *ll = need(json_array());
        set(out.get(), "unrecognised_licenses", ll);
        for (size_t i = 0; i < lic.size() && i < LICENSES_LISTED; i++)
                append(ll, json_pack("{s:s%,s:I}", "value", lic[i].second.data(), lic[i].second.size(), "count",
                                     (json_int_t)lic[i].first));
        if (truncated)
                set(out.get(), "unrecognised_licenses_truncated", json_true());

        /* Records per rubric version: scores of an older rubric await a rescore. */
        json_t *rv = need(json_object());
        set(out.get(), "rubrics", rv);
        unsigned nr = 0;
        for (Xapian::TermIterator t = db.allterms_begin(PREFIX_RUBRIC); t != db.allterms_end(PREFIX_RUBRIC) && nr < RUBRICS_MAX;
             ++t, ++nr) {
                const std::string term = *t;
                const uint64_t c = count_with(db, filter, term);
                if (c)
                        set(rv, term.substr(strlen(PREFIX_RUBRIC)).c_str(), json_integer((json_int_t)c));
        }
        return out.release();
}

} /* namespace */

enum fd_status fd_index_fair_report(const char *path, const struct fd_fair_report_opts *opts, json_t **ret_report,
                                    struct fd_error *err) noexcept {
        if (!path || !*path || !opts)
                return fd_error_set(err, FD_E_INVALID, "fair report: no index path or options");
        try {
                json_t *out = nullptr;
                Xapian::Database db(path);
                try {
                        out = report(db, opts);
                } catch (const Xapian::DatabaseModifiedError &) {
                        /* The writer committed twice while we read: once more
                         * on the latest revision. */
                        db.reopen();
                        out = report(db, opts);
                }
                *ret_report = out;
                return FD_OK;
        } catch (...) {
                return index_error(path, err, FD_E_NOTFOUND);
        }
}
