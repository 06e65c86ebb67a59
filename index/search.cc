/* search.cc: queries, filters, facets, collapsing and hits.
 *
 * One function builds the Xapian query of a request (the user's query
 * parsed in its language, structured filters as boolean terms and value
 * ranges beside it), one runs it with collapsing on SLOT_COLLAPSE (the DOI,
 * or the record id for records without one, so those never fold together)
 * and the facet spies, and one turns each MSet item into a hit.
 *
 * Latency (bench/query.py): on glass every value read is a B-tree lookup,
 * and those dominated a search.  So a hit is built from one slot
 * (SLOT_HIT, all it shows), the stored JSON is parsed only for snippets
 * and fields, and collapsing, which reads a value per candidate, is left
 * out while the index says no DOI is shared (FD_DOI_SHARED_KEY).  A hit
 * looks up its object's other sources (a posting list) only when its
 * record carries a collapse key, which only records of a shared DOI do.
 * Facets are
 * counted by FacetSpy, a MatchSpy over the value slots schema.cc fills
 * (plain values, lists joined by FD_FACET_SEP, the year and the FAIR
 * score); spies see every record the matcher checks, so with check_at_least
 * = the database size (bounded by FD_INDEX_FACET_SCAN) they count the whole
 * match, before collapsing.  Everything a request can grow is bounded:
 * filter values, facet names, distinct values per facet, sources per hit.
 * Errors in the request throw invalid_request; shim.cc maps it.
 *
 * Deep paging: a page ends with an opaque cursor (base64url of a version
 * byte, the sort, a hash of the query, the last hit's position and the
 * score scale of the first page).  Every sort is a total order with ties
 * by docid, ascending (Xapian's default): date and FAIR by (value, docid),
 * relevance by (weight descending, docid).  A date or FAIR page keeps,
 * through AfterCursor (a MatchDecider on a second match sorted by value),
 * the records after the cursor's (value, docid).  A relevance page cannot:
 * a decider sees no weight and Xapian cannot start a match below a
 * weight.  So AfterWeight, a MatchSpy, sees (record, weight) for the whole
 * match (check_at_least above the database size, as for facets) and keeps
 * a bounded heap of the best limit + 1 records after the cursor's (weight,
 * docid); a second match, the query filtered to those records' unique
 * terms, gives the MSet that hits are built from.  Its cost is one pass
 * over the whole match per page, its memory O(limit) plus a bounded cache;
 * that pass runs without collapsing (Xapian's collapser keeps an entry per
 * object it sees) unless facets already need one over the whole match.
 * A record whose DOI another record shares stands for its object only as
 * the first matching record of its DOI group in the page order (found by
 * a get_mset(0, 1) of the query filtered to the DOI), as collapsing chose
 * on the first page, so each object comes once: AfterWeight checks that
 * for each record that would enter its heap, AfterCursor skips groups
 * whose first came at or before the cursor.  Scores on a cursor page use
 * the first page's percent scale, kept in the cursor, not the best weight
 * of the page's own match, so that they stay comparable across pages.
 */
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <jansson.h>
#include <xapian.h>

#include "private.hh"

#define DEFAULT_LIMIT 10
#define DEFAULT_FACET_LIMIT 20
/* Request bounds. */
#define FILTER_VALUES_MAX 64
#define FILTER_VALUE_MAX 200
#define FACETS_MAX 16
#define FIELDS_MAX 32
/* A facet counts at most this many distinct values; later ones are not
 * counted (subjects are free text and could otherwise grow without end). */
#define FACET_DISTINCT_MAX 10000
/* The sources listed on one hit. */
#define HIT_SOURCES_MAX 64
/* Fewer hits than this and the answer carries a spelling suggestion. */
#define SPELLING_HITS 3
#define SNIPPET_LENGTH 200
/* suggest scans at most this many completion terms. */
#define SUGGEST_SCAN 5000
/* similar: terms taken from the record. */
#define SIMILAR_TERMS 24

struct json_deleter {
        void operator()(json_t *j) const noexcept {
                json_decref(j);
        }
};
typedef std::unique_ptr<json_t, json_deleter> json_ptr;

/* jansson reports allocation failure as NULL or -1; turn it into the
 * exception the mapper sorts. */
static json_t *need(json_t *j) {
        if (!j)
                throw std::bad_alloc();
        return j;
}

static void set_new(json_t *obj, const char *key, json_t *value) {
        if (!value || json_object_set_new(obj, key, value) < 0)
                throw std::bad_alloc();
}

static void append_new(json_t *arr, json_t *value) {
        if (!value || json_array_append_new(arr, value) < 0)
                throw std::bad_alloc();
}

static bool blank(const char *q) {
        for (; q && *q; q++)
                if (*q != ' ' && *q != '\t' && *q != '\n' && *q != '\r')
                        return false;
        return true;
}

/* ---- the query ---------------------------------------------------------- */

struct filter_def {
        const char *name;
        enum schema_field field;
        unsigned slot;      /* ranges: the value slot; lists: unused */
        bool range;
};

static const struct filter_def filter_defs[] = {
        { "type", FIELD_TYPE, 0, false },    { "source", FIELD_SOURCE, 0, false },
        { "lang", FIELD_LANG, 0, false },    { "license", FIELD_LICENSE, 0, false },
        { "access", FIELD_ACCESS, 0, false }, { "year", FIELD_YEAR, SLOT_YEAR, true },
        { "fair", FIELD_YEAR, SLOT_FAIR, true },
        { "indicator", FIELD_INDICATOR, 0, false },
};

static std::string filter_names() {
        std::string s;
        for (const auto &f : filter_defs)
                s += std::string(s.empty() ? "" : ", ") + f.name;
        return s;
}

/* A query matching every record.  Never Xapian::Query::MatchAll: that is
 * one static object whose reference count is not atomic, so query workers
 * copying it at once corrupt it (query.h says so), which crashed fairdexd
 * in the soak after a few million searches. */
static Xapian::Query match_all() {
        return Xapian::Query(std::string());
}

static Xapian::Query range_filter(const char *name, unsigned slot, json_t *v) {
        json_t *from, *to;
        const char *key;
        json_t *x;

        if (!json_is_object(v))
                throw invalid_request(std::string("filter '") + name + "' must be an object {\"from\":N,\"to\":N}");
        json_object_foreach(v, key, x) {
                if (strcmp(key, "from") != 0 && strcmp(key, "to") != 0)
                        throw invalid_request(std::string("filter '") + name + "' has no field '" +
                                              std::string(key).substr(0, 64) + "' (from, to)");
                if (!json_is_integer(x) || json_integer_value(x) < -1000000 || json_integer_value(x) > 1000000)
                        throw invalid_request(std::string("filter '") + name + "." + key +
                                              "' must be an integer from -1000000 to 1000000");
        }
        from = json_object_get(v, "from");
        to = json_object_get(v, "to");
        const std::string lo = from ? Xapian::sortable_serialise((double)json_integer_value(from)) : "";
        const std::string hi = to ? Xapian::sortable_serialise((double)json_integer_value(to)) : "";
        if (from && to)
                return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, lo, hi);
        if (from)
                return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, lo);
        if (to)
                return Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, hi);
        return match_all();
}

static Xapian::Query term_filter(const char *name, enum schema_field field, json_t *v) {
        std::vector<Xapian::Query> terms;
        json_t *x;
        size_t i;

        if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > FILTER_VALUES_MAX)
                throw invalid_request(std::string("filter '") + name + "' must be a list of 1 to " +
                                      std::to_string(FILTER_VALUES_MAX) + " strings");
        json_array_foreach(v, i, x) {
                if (!json_is_string(x) || json_string_length(x) == 0 || json_string_length(x) > FILTER_VALUE_MAX)
                        throw invalid_request(std::string("filter '") + name + "' must hold non-empty strings of at most " +
                                              std::to_string(FILTER_VALUE_MAX) + " bytes");
                const std::string term = schema_term(field, json_string_value(x));
                terms.push_back(term.empty() ? Xapian::Query::MatchNothing : Xapian::Query(term));
        }
        return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

/* The filters object as one boolean query (OR within a filter, AND across). */
static Xapian::Query filters_query(json_t *filters, bool *ret_any) {
        std::vector<Xapian::Query> parts;
        const char *key;
        json_t *v;

        *ret_any = false;
        if (!filters)
                return match_all();
        if (!json_is_object(filters))
                throw invalid_request("'filters' must be an object");
        json_object_foreach(filters, key, v) {
                const struct filter_def *def = nullptr;
                for (const auto &f : filter_defs)
                        if (strcmp(f.name, key) == 0)
                                def = &f;
                if (!def)
                        throw invalid_request("unknown filter '" + std::string(key).substr(0, 64) +
                                              "' (known: " + filter_names() + ")");
                parts.push_back(def->range ? range_filter(def->name, def->slot, v)
                                           : term_filter(def->name, def->field, v));
        }
        if (parts.empty())
                return match_all();
        *ret_any = true;
        return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
}

static Xapian::Query parse(Xapian::Database &db, const char *q, const Xapian::Stem &stem, bool stemming,
                           unsigned extra_flags, std::string *ret_corrected) {
        Xapian::QueryParser qp;

        schema_query_parser(qp, db, stem, stemming);
        Xapian::Query query = qp.parse_query(q, schema_query_flags() | extra_flags);
        if (ret_corrected)
                *ret_corrected = qp.get_corrected_query_string();
        return query;
}

/* The user's query: in its language when it names one; else matching the
 * words as typed or their English stems, whichever a record has. */
static Xapian::Query user_query(Xapian::Database &db, const struct fd_search_opts *opts, Xapian::Stem *ret_stem) {
        if (blank(opts->q)) {
                *ret_stem = Xapian::Stem("english");
                return match_all();
        }
        if (opts->lang && *opts->lang) {
                *ret_stem = schema_stemmer(opts->lang);
                return parse(db, opts->q, *ret_stem, true, 0, nullptr);
        }
        *ret_stem = Xapian::Stem("english");
        Xapian::Query stemmed = parse(db, opts->q, *ret_stem, true, 0, nullptr);
        Xapian::Query plain = parse(db, opts->q, Xapian::Stem(), false, 0, nullptr);
        if (plain.serialise() == stemmed.serialise())
                return stemmed;
        return Xapian::Query(Xapian::Query::OP_OR, plain, stemmed);
}

/* ---- facets ------------------------------------------------------------- */

enum facet_kind { FACET_LIST, FACET_YEAR, FACET_FAIR_BAND };

struct facet_def {
        const char *name;
        unsigned slot;
        enum facet_kind kind;
};

static const struct facet_def facet_defs[] = {
        { "source", SLOT_SOURCE, FACET_LIST }, { "type", SLOT_TYPE, FACET_LIST },
        { "license", SLOT_LICENSE, FACET_LIST }, { "access", SLOT_ACCESS, FACET_LIST },
        { "lang", SLOT_LANG, FACET_LIST },     { "year", SLOT_YEAR, FACET_YEAR },
        { "fair", SLOT_FAIR, FACET_FAIR_BAND }, { "subject", SLOT_SUBJECT, FACET_LIST },
};

class FacetSpy : public Xapian::MatchSpy {
public:
        explicit FacetSpy(const struct facet_def &d) : def(d) {}

        void operator()(const Xapian::Document &doc, double) override {
                const std::string v = doc.get_value(def.slot);
                double x;

                if (v.empty())
                        return;
                switch (def.kind) {
                case FACET_LIST:
                        for (size_t start = 0;;) {
                                size_t end = v.find(FD_FACET_SEP, start);
                                count(v.substr(start, end == std::string::npos ? std::string::npos : end - start));
                                if (end == std::string::npos)
                                        break;
                                start = end + 1;
                        }
                        break;
                case FACET_YEAR:
                        count(std::to_string((long)Xapian::sortable_unserialise(v)));
                        break;
                case FACET_FAIR_BAND:
                        x = Xapian::sortable_unserialise(v);
                        count(x < 25 ? "0-25" : x < 50 ? "25-50" : x < 75 ? "50-75" : "75-100");
                        break;
                }
        }

        std::string name() const override {
                return "fairdex.FacetSpy";
        }

        json_t *result(unsigned limit) const {
                std::vector<std::pair<std::string, Xapian::doccount>> v(counts.begin(), counts.end());
                json_ptr arr(need(json_array()));

                std::sort(v.begin(), v.end(), [](const auto &a, const auto &b) {
                        return a.second != b.second ? a.second > b.second : a.first < b.first;
                });
                for (size_t i = 0; i < v.size() && i < limit; i++)
                        append_new(arr.get(), json_pack("{s:s%,s:I}", "value", v[i].first.data(), v[i].first.size(),
                                                        "count", (json_int_t)v[i].second));
                return arr.release();
        }

        const struct facet_def &def;

private:
        void count(const std::string &value) {
                auto it = counts.find(value);
                if (it != counts.end())
                        it->second++;
                else if (counts.size() < FACET_DISTINCT_MAX)
                        counts.emplace(value, 1);
        }

        std::unordered_map<std::string, Xapian::doccount> counts;
};

/* Counts the records the matcher looked at: fewer than check_at_least
 * means it looked at all of them, and then the collapsed lower bound is the
 * exact number of objects (Xapian 1.4 widens the upper bound of an OR with
 * collapsing even when it saw every match). */
class SeenSpy : public Xapian::MatchSpy {
public:
        void operator()(const Xapian::Document &, double) override {
                seen++;
        }
        std::string name() const override {
                return "fairdex.SeenSpy";
        }
        Xapian::doccount seen = 0;
};

static std::vector<std::unique_ptr<FacetSpy>> facet_spies(json_t *facets) {
        std::vector<std::unique_ptr<FacetSpy>> spies;
        std::set<std::string> seen;
        json_t *x;
        size_t i;

        if (!facets)
                return spies;
        if (!json_is_array(facets) || json_array_size(facets) > FACETS_MAX)
                throw invalid_request("'facets' must be a list of at most " + std::to_string(FACETS_MAX) + " names");
        json_array_foreach(facets, i, x) {
                const struct facet_def *def = nullptr;
                if (!json_is_string(x))
                        throw invalid_request("'facets' must hold facet names (strings)");
                for (const auto &f : facet_defs)
                        if (strcmp(f.name, json_string_value(x)) == 0)
                                def = &f;
                if (!def) {
                        std::string known;
                        for (const auto &f : facet_defs)
                                known += std::string(known.empty() ? "" : ", ") + f.name;
                        throw invalid_request("unknown facet '" + std::string(json_string_value(x)).substr(0, 64) +
                                              "' (known: " + known + ")");
                }
                if (seen.insert(def->name).second)
                        spies.emplace_back(new FacetSpy(*def));
        }
        return spies;
}

/* ---- hits --------------------------------------------------------------- */

/* The title fd_record_title() would pick: the first without a language
 * tag, else the first. */
static json_t *pick_text(json_t *record, const char *key) {
        json_t *texts = json_object_get(record, key);
        json_t *first = nullptr, *t;
        size_t i;

        json_array_foreach(texts, i, t) {
                json_t *value = json_object_get(t, "value");
                json_t *lang = json_object_get(t, "lang");
                if (!json_is_string(value))
                        continue;
                if (!lang || json_is_null(lang))
                        return value;
                if (!first)
                        first = value;
        }
        return first;
}

/* Every source holding the object doi (bounded), own (the source of
 * record self) included. */
static json_t *sources_of(Xapian::Database &db, const std::string &doi, const std::string &own,
                          Xapian::docid self) {
        std::set<std::string> names;
        json_ptr arr(need(json_array()));

        if (!own.empty())
                names.insert(own);
        const std::string term = schema_term(FIELD_DOI, doi);
        if (!doi.empty() && !term.empty()) {
                size_t n = 0;
                for (Xapian::PostingIterator p = db.postlist_begin(term); p != db.postlist_end(term) &&
                                                                           n < HIT_SOURCES_MAX;
                     ++p, n++) {
                        if (*p == self)
                                continue;
                        const std::string s = db.get_document(*p, Xapian::DOC_ASSUME_VALID).get_value(SLOT_SOURCE);
                        if (!s.empty())
                                names.insert(s);
                }
        }
        for (const std::string &s : names)
                append_new(arr.get(), json_stringn(s.data(), s.size()));
        return arr.release();
}

struct hit_ctx {
        Xapian::Database &db;
        const Xapian::MSet &mset;
        const Xapian::Stem &stem;
        json_t *fields;
        bool snippets;
        /* Cursor pages: scores from the weight on the first page's scale
         * (percent_of), not Xapian's percent, which is relative to the best
         * weight of the page's own match. */
        bool rescale;
        double scale;
        /* Some DOI is shared in the index (FD_DOI_SHARED_KEY): only then
         * can a hit's object have other sources to look up. */
        bool shared;
};

/* A weight as a percent on a scale taken from an earlier page: what
 * Xapian's MSet::convert_to_percent does with that page's factor (0: the
 * page had no weights, every score is 100). */
static int percent_of(double weight, double scale) {
        if (scale == 0)
                return 100;
        const double v = weight * scale + 100.0 * DBL_EPSILON;
        if (!(v < 100))
                return 100;
        if (v < 1)
                return weight > 0 ? 1 : 0;
        return (int)v;
}

/* The factor behind m's percents: Xapian scales weights so that the best
 * record of the whole match, which need not be on the page, gets the share
 * of the query's terms it matches; its percent over its weight is that
 * factor (truncated to a percent, as the percents are).  The arithmetic
 * follows Xapian's own for the usual case of the best record matching
 * every term, so that the factor is then the same double. */
static double scale_of(const Xapian::MSet &m) {
        const double w = m.get_max_attained();

        if (m.empty() || !(w > 0))
                return 0;
        return m.convert_to_percent(w) / 100.0 / w * 100.0;
}

static json_t *snippet_of(const struct hit_ctx &hc, json_t *text) {
        const char *s = json_string_value(text);
        return need(json_string(hc.mset.snippet(s, SNIPPET_LENGTH, hc.stem,
                                                Xapian::MSet::SNIPPET_BACKGROUND_MODEL |
                                                        Xapian::MSet::SNIPPET_EXHAUSTIVE,
                                                "<b>", "</b>", "…")
                                        .c_str()));
}

static void set_slot_string(json_t *hit, const char *key, const std::string &v) {
        if (!v.empty())
                set_new(hit, key, json_stringn(v.data(), v.size()));
}

/* A hit from the value slots; the stored JSON is parsed only when the
 * request wants snippets or fields (it is most of a search's cost). */
static json_t *make_hit(const struct hit_ctx &hc, const Xapian::MSetIterator &m) {
        const Xapian::Document doc = m.get_document();
        struct schema_hit h;
        if (!schema_hit_unpack(doc.get_value(SLOT_HIT), &h))
                h = { doc.get_value(SLOT_ID),  doc.get_value(SLOT_SOURCE), doc.get_value(SLOT_TITLE),
                      doc.get_value(SLOT_DOI), doc.get_value(SLOT_YEAR),   doc.get_value(SLOT_FAIR) };
        const std::string &year = h.year, &fair = h.fair, &doi = h.doi, &source = h.source;
        json_ptr hit(need(json_object()));
        json_ptr record;
        json_t *x;
        size_t i;

        if (hc.snippets || json_array_size(hc.fields)) {
                const std::string data = doc.get_data();
                record.reset(json_loadb(data.data(), data.size(), 0, nullptr));
        }
        set_slot_string(hit.get(), "id", h.id);
        set_slot_string(hit.get(), "source", source);
        /* Only records of a shared DOI carry a collapse key (shim.cc), and
         * that sparse slot is far cheaper to read than a posting list. */
        const bool shared = hc.shared && !doi.empty() && !doc.get_value(SLOT_COLLAPSE).empty();
        set_new(hit.get(), "sources", sources_of(hc.db, shared ? doi : std::string(), source, *m));
        set_slot_string(hit.get(), "title", h.title);
        set_new(hit.get(), "score",
                json_integer(hc.rescale ? percent_of(m.get_weight(), hc.scale) : m.get_percent()));
        set_slot_string(hit.get(), "doi", doi);
        if (!year.empty())
                set_new(hit.get(), "year", json_integer((json_int_t)Xapian::sortable_unserialise(year)));
        if (!fair.empty())
                set_new(hit.get(), "fair", json_integer((json_int_t)Xapian::sortable_unserialise(fair)));
        if (hc.snippets) {
                json_ptr sn(need(json_object()));
                json_t *t = pick_text(record.get(), "titles"), *d = pick_text(record.get(), "descriptions");
                if (t)
                        set_new(sn.get(), "title", snippet_of(hc, t));
                if (d)
                        set_new(sn.get(), "description", snippet_of(hc, d));
                set_new(hit.get(), "snippets", sn.release());
        }
        json_array_foreach(hc.fields, i, x) {
                const char *name = json_string_value(x);
                json_t *v = json_object_get(record.get(), name);
                if (v && !json_object_get(hit.get(), name) && json_object_set(hit.get(), name, v) < 0)
                        throw std::bad_alloc();
        }
        return hit.release();
}

static void check_fields(json_t *fields) {
        json_t *x;
        size_t i;

        if (!fields)
                return;
        if (!json_is_array(fields) || json_array_size(fields) > FIELDS_MAX)
                throw invalid_request("'fields' must be a list of at most " + std::to_string(FIELDS_MAX) +
                                      " record field names");
        json_array_foreach(fields, i, x) {
                if (!json_is_string(x) || json_string_length(x) == 0 || json_string_length(x) > 64)
                        throw invalid_request("'fields' must hold record field names (strings)");
        }
}

/* ---- cursors ------------------------------------------------------------ */

/* 2: relevance cursors hold (weight, docid) instead of an offset, and
 * every cursor the score scale; a version 1 cursor is malformed. */
#define CURSOR_VERSION 2
/* A cursor's sort value (sortable_serialise: at most 9 bytes) and text.
 * Its bytes: version, sort code, query hash (4), the last hit's docid (4),
 * the score scale (8), then the last hit's weight (8, relevance) or sort
 * value (date, fair), then a check (4); integers big-endian, doubles as
 * their IEEE 754 bits, big-endian.  At most 54 bytes: 72 characters. */
#define CURSOR_VALUE_MAX 32
#define CURSOR_TEXT_MAX 128
/* The bytes before the weight or the sort value. */
#define CURSOR_HEAD 18

static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static std::string b64_encode(const std::string &in) {
        std::string out;
        size_t i;

        for (i = 0; i + 2 < in.size(); i += 3) {
                uint32_t v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
                out += b64url[v >> 18 & 63];
                out += b64url[v >> 12 & 63];
                out += b64url[v >> 6 & 63];
                out += b64url[v & 63];
        }
        if (i < in.size()) {
                uint32_t v = (unsigned char)in[i] << 16 | (i + 1 < in.size() ? (unsigned char)in[i + 1] << 8 : 0);
                out += b64url[v >> 18 & 63];
                out += b64url[v >> 12 & 63];
                if (i + 1 < in.size())
                        out += b64url[v >> 6 & 63];
        }
        return out;
}

/* false when in is not unpadded base64url (trailing bits must be 0). */
static bool b64_decode(const std::string &in, std::string *ret_out) {
        std::string out;
        uint32_t acc = 0;
        int bits = 0;

        if (in.size() % 4 == 1)
                return false;
        for (char c : in) {
                const char *p = c ? strchr(b64url, c) : nullptr;
                if (!p)
                        return false;
                acc = acc << 6 | (uint32_t)(p - b64url);
                bits += 6;
                if (bits >= 8) {
                        bits -= 8;
                        out += (char)(acc >> bits & 0xff);
                }
        }
        if (acc & ((1u << bits) - 1))
                return false;
        *ret_out = out;
        return true;
}

static void put_u32(std::string &s, uint32_t v) {
        for (int k = 3; k >= 0; k--)
                s += (char)(v >> (8 * k) & 0xff);
}

static uint32_t get_u32(const std::string &s, size_t at) {
        uint32_t v = 0;

        for (size_t k = 0; k < 4; k++)
                v = v << 8 | (unsigned char)s[at + k];
        return v;
}

static void put_double(std::string &s, double d) {
        uint64_t v;

        static_assert(sizeof v == sizeof d, "a double is 64 bits");
        memcpy(&v, &d, sizeof v);
        put_u32(s, (uint32_t)(v >> 32));
        put_u32(s, (uint32_t)v);
}

static double get_double(const std::string &s, size_t at) {
        uint64_t v = (uint64_t)get_u32(s, at) << 32 | get_u32(s, at + 4);
        double d;

        memcpy(&d, &v, sizeof d);
        return d;
}

/* FNV-1a, 32 bits.  Of the serialised query: a cursor from another search
 * is refused rather than continuing somewhere arbitrary; of the cursor's
 * bytes: a cursor altered by hand is refused. */
static uint32_t fnv32(const std::string &s) {
        uint32_t h = 2166136261u;

        for (unsigned char c : s) {
                h ^= c;
                h *= 16777619u;
        }
        return h;
}

static uint32_t query_hash(const Xapian::Query &q) {
        return fnv32(q.serialise());
}

struct cursor {
        unsigned char sort;     /* enum fd_search_sort * 2 + ascending */
        uint32_t hash;
        Xapian::docid docid;    /* the last hit */
        double scale;           /* scale_of() the first page */
        double weight;          /* relevance: the last hit's weight */
        std::string value;      /* date, fair: its sort value */
};

static unsigned char sort_code(const struct fd_search_opts *opts) {
        return (unsigned char)(opts->sort * 2 + (opts->sort != FD_SORT_RELEVANCE && opts->ascending));
}

static std::string cursor_encode(const struct cursor &c) {
        std::string raw(1, (char)CURSOR_VERSION);

        raw += (char)c.sort;
        put_u32(raw, c.hash);
        put_u32(raw, c.docid);
        put_double(raw, c.scale);
        if (c.sort / 2 == FD_SORT_RELEVANCE)
                put_double(raw, c.weight);
        else
                raw += c.value;
        put_u32(raw, fnv32(raw));
        return b64_encode(raw);
}

static struct cursor cursor_decode(const char *text, unsigned char sort, uint32_t hash) {
        static const char bad[] = "'cursor' is not a cursor of this search (q, lang, filters, sort and order "
                                  "must stay the same)";
        static const char malformed[] = "'cursor' is malformed (pass a next_cursor unchanged)";
        std::string raw;
        struct cursor c = {};

        if (strlen(text) > CURSOR_TEXT_MAX || !b64_decode(text, &raw) || raw.size() < CURSOR_HEAD + 4 ||
            (unsigned char)raw[0] != CURSOR_VERSION ||
            get_u32(raw, raw.size() - 4) != fnv32(raw.substr(0, raw.size() - 4)))
                throw invalid_request(malformed);
        raw.resize(raw.size() - 4);
        c.sort = (unsigned char)raw[1];
        c.hash = get_u32(raw, 2);
        if (c.sort != sort || c.hash != hash)
                throw invalid_request(bad);
        c.docid = get_u32(raw, 6);
        c.scale = get_double(raw, 10);
        if (c.docid == 0 || !std::isfinite(c.scale) || c.scale < 0)
                throw invalid_request(malformed);
        if (sort / 2 == FD_SORT_RELEVANCE) {
                if (raw.size() != CURSOR_HEAD + 8)
                        throw invalid_request(malformed);
                c.weight = get_double(raw, CURSOR_HEAD);
                if (!std::isfinite(c.weight))
                        throw invalid_request(malformed);
        } else {
                c.value = raw.substr(CURSOR_HEAD);
                if (c.value.size() > CURSOR_VALUE_MAX)
                        throw invalid_request(malformed);
        }
        return c;
}

/* The record of a DOI group that stands for its object: the first of its
 * matching records in the page order (doi_term's records of query, the
 * query sorted as the enquire e is set up). */
static Xapian::docid group_first(Xapian::Enquire &e, const Xapian::Query &query, const std::string &doi_term) {
        e.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(doi_term)));
        const Xapian::MSet m = e.get_mset(0, 1);
        return m.empty() ? 0 : *m.begin();
}

/* The DOI term of doc when its DOI is shared by another record (then
 * collapsing may hide doc), else "". */
static std::string shared_doi_term(Xapian::Database &db, const Xapian::Document &doc) {
        const std::string doi = doc.get_value(SLOT_DOI);
        if (doi.empty())
                return "";
        const std::string term = schema_term(FIELD_DOI, doi);
        if (term.empty() || db.get_termfreq(term) < 2)
                return "";
        return term;
}

/* The DOI groups whose first record a relevance page looked up; cleared
 * when full (the answers are only recomputed). */
#define GROUP_CACHE_MAX 4096

/* A record's place in the relevance order. */
struct ranked {
        double weight;
        Xapian::docid docid;
};

/* Whether a comes before b: weight descending, then docid ascending, as
 * Xapian's MSet orders under relevance. */
static bool ranks_before(const struct ranked &a, const struct ranked &b) {
        return a.weight != b.weight ? a.weight > b.weight : a.docid < b.docid;
}

/* Sees the whole match under relevance and keeps the first want records
 * after the cursor that stand for their object (see the top of this file):
 * a heap of at most want records, worst on top, and a group cache. */
class AfterWeight : public Xapian::MatchSpy {
public:
        AfterWeight(Xapian::Database &d, const Xapian::Query &q, const struct cursor &c, size_t n)
                : db(d), query(q), group(d), after{ c.weight, c.docid }, want(n) {}

        void operator()(const Xapian::Document &doc, double wt) override {
                const struct ranked r = { wt, doc.get_docid() };

                if (!ranks_before(after, r))
                        return;
                if (heap.size() >= want && !ranks_before(r, heap.front()))
                        return;
                if (!stands(doc))
                        return;
                heap.push_back(r);
                std::push_heap(heap.begin(), heap.end(), ranks_before);
                if (heap.size() > want) {
                        std::pop_heap(heap.begin(), heap.end(), ranks_before);
                        heap.pop_back();
                }
        }

        std::string name() const override {
                return "fairdex.AfterWeight";
        }

        /* The records kept, best first. */
        std::vector<struct ranked> sorted() const {
                std::vector<struct ranked> v = heap;
                std::sort(v.begin(), v.end(), ranks_before);
                return v;
        }

private:
        bool stands(const Xapian::Document &doc) {
                const std::string term = shared_doi_term(db, doc);
                if (term.empty())
                        return true;
                auto it = first.find(term);
                if (it == first.end()) {
                        if (first.size() >= GROUP_CACHE_MAX)
                                first.clear();
                        it = first.emplace(term, group_first(group, query, term)).first;
                }
                return it->second == doc.get_docid();
        }

        Xapian::Database &db;
        const Xapian::Query &query;
        Xapian::Enquire group;
        const struct ranked after;
        const size_t want;
        std::vector<struct ranked> heap;
        std::unordered_map<std::string, Xapian::docid> first;
};

/* The MSet of exactly the records picked (any order), from query filtered
 * to their unique terms: what make_hit needs for snippets and fields. */
static Xapian::MSet picked_mset(Xapian::Database &db, const Xapian::Query &query,
                                const std::vector<struct ranked> &picked) {
        std::vector<Xapian::Query> ids;

        if (picked.empty())
                return Xapian::MSet();
        for (const struct ranked &r : picked)
                ids.emplace_back(schema_id_term(db.get_document(r.docid).get_value(SLOT_ID)));
        Xapian::Enquire e(db);
        e.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query,
                                  Xapian::Query(Xapian::Query::OP_OR, ids.begin(), ids.end())));
        return e.get_mset(0, (Xapian::doccount)picked.size());
}

/* Keeps the records after the cursor in the value-then-docid order whose
 * object was not shown before it (see the top of this file). */
class AfterCursor : public Xapian::MatchDecider {
public:
        AfterCursor(Xapian::Database &d, const Xapian::Query &q, unsigned s, bool desc, const struct cursor &c)
                : db(d), query(q), slot(s), descending(desc), cur(c) {}

        bool operator()(const Xapian::Document &doc) const override {
                if (at_or_before(doc.get_value(slot), doc.get_docid()))
                        return false;
                const std::string term = shared_doi_term(db, doc);
                if (term.empty())
                        return true;
                auto it = shown.find(term);
                if (it == shown.end())
                        it = shown.emplace(term, group_shown(term)).first;
                return !it->second;
        }

private:
        /* Does (value, docid) sort at or before the cursor?  Ties by docid,
         * ascending in both directions (Xapian's default docid order). */
        bool at_or_before(const std::string &v, Xapian::docid id) const {
                if (v != cur.value)
                        return descending ? v > cur.value : v < cur.value;
                return id <= cur.docid;
        }

        /* Whether the first matching record of a DOI group sorts at or
         * before the cursor: then its object was on an earlier page. */
        bool group_shown(const std::string &term) const {
                Xapian::Enquire e(db);
                e.set_sort_by_value(slot, descending);
                e.set_weighting_scheme(Xapian::BoolWeight());
                const Xapian::docid first = group_first(e, query, term);
                return first && at_or_before(db.get_document(first).get_value(slot), first);
        }

        Xapian::Database &db;
        const Xapian::Query &query;
        unsigned slot;
        bool descending;
        const struct cursor &cur;
        mutable std::map<std::string, bool> shown;
};

/* Runs query with the request's filters, sort, facets and page. */
static json_t *run(Xapian::Database &db, const Xapian::Query &user, const Xapian::Stem &stem,
                   const struct fd_search_opts *opts, std::string *ret_corrected_for, bool paging) {
        unsigned limit = opts->limit == 0 ? DEFAULT_LIMIT : std::min(opts->limit, (unsigned)FD_INDEX_MAX_LIMIT);
        unsigned facet_limit = opts->facet_limit == 0 ? DEFAULT_FACET_LIMIT
                                                      : std::min(opts->facet_limit, (unsigned)FD_INDEX_MAX_FACET_LIMIT);
        bool any_filter;
        Xapian::Query filter = filters_query(opts->filters, &any_filter);
        std::vector<std::unique_ptr<FacetSpy>> spies = facet_spies(opts->facets);
        Xapian::Query query = user;
        Xapian::doccount check;
        unsigned offset = opts->offset, slot = 0;
        const bool descending = !opts->ascending;
        struct cursor cur = {};

        check_fields(opts->fields);
        if (any_filter)
                query = Xapian::Query(Xapian::Query::OP_FILTER, user, filter);
        const unsigned char code = sort_code(opts);
        const uint32_t hash = paging ? query_hash(query) : 0;
        if (opts->cursor) {
                if (opts->offset)
                        throw invalid_request("'cursor' and 'offset' cannot be used together");
                cur = cursor_decode(opts->cursor, code, hash);
        }
        /* A cursor page: a date or fair one comes from a second match, a
         * relevance one from AfterWeight over the whole match. */
        const bool by_key = opts->cursor && opts->sort != FD_SORT_RELEVANCE;
        const bool by_weight = opts->cursor && opts->sort == FD_SORT_RELEVANCE;

        /* Collapsing reads a value per candidate; while no two records share
         * a DOI it changes nothing (FD_DOI_SHARED_KEY). */
        const bool collapse = db.get_metadata(FD_DOI_SHARED_KEY) != "0";
        Xapian::Enquire enquire(db);
        enquire.set_query(query);
        if (collapse)
                enquire.set_collapse_key(SLOT_COLLAPSE);
        switch (opts->sort) {
        case FD_SORT_RELEVANCE:
                break;
        case FD_SORT_DATE:
                slot = SLOT_YEAR;
                break;
        case FD_SORT_FAIR:
                slot = SLOT_FAIR;
                break;
        }
        /* Ties by docid: a total order, which cursors need. */
        if (opts->sort != FD_SORT_RELEVANCE)
                enquire.set_sort_by_value(slot, descending);
        SeenSpy seen;
        enquire.add_matchspy(&seen);
        for (auto &spy : spies)
                enquire.add_matchspy(spy.get());
        /* One hit more than the page tells whether there is a next one. */
        const unsigned want = limit + (paging ? 1 : 0);
        check = spies.empty() ? std::max((Xapian::doccount)FD_INDEX_EXACT_TOTAL, offset + want)
                              : std::min(db.get_doccount(), (Xapian::doccount)FD_INDEX_FACET_SCAN) + 1;
        /* AfterWeight rides on the main match when that has to see every
         * record anyway and keeps no collapse table beyond facets' bound;
         * else it gets a pass of its own without collapsing. */
        std::unique_ptr<AfterWeight> after;
        const Xapian::doccount everything = db.get_doccount() + 1;
        const bool after_alone = collapse && (spies.empty() || everything > FD_INDEX_FACET_SCAN + 1);
        if (by_weight) {
                after.reset(new AfterWeight(db, query, cur, want));
                if (!after_alone) {
                        enquire.add_matchspy(after.get());
                        check = everything;
                }
        }
        /* On a cursor page too the main match asks for want records, not
         * 0: with 0, Xapian never raises its minimum weight, so it would
         * look at (and collapse) every record just for the total. */
        const Xapian::MSet mset = enquire.get_mset(offset, want, check);
        Xapian::MSet page = mset;
        std::vector<struct ranked> picked;
        if (by_key) {
                AfterCursor after_key(db, query, slot, descending, cur);
                Xapian::Enquire next(db);
                next.set_query(query);
                if (collapse)
                        next.set_collapse_key(SLOT_COLLAPSE);
                next.set_sort_by_value(slot, descending);
                page = next.get_mset(0, want, 0, nullptr, &after_key);
        } else if (by_weight) {
                if (after_alone) {
                        Xapian::Enquire pass(db);
                        pass.set_query(query);
                        pass.add_matchspy(after.get());
                        pass.get_mset(0, 0, everything);
                }
                picked = after->sorted();
                page = picked_mset(db, query, picked);
        }

        json_ptr res(need(json_object()));
        json_t *hits = need(json_array());
        const bool all_seen = seen.seen < check;
        const Xapian::doccount total = all_seen ? mset.get_matches_lower_bound() : mset.get_matches_estimated();
        set_new(res.get(), "total", json_integer((json_int_t)total));
        set_new(res.get(), "total_exact",
                json_boolean(all_seen || mset.get_matches_lower_bound() == mset.get_matches_upper_bound()));
        set_new(res.get(), "hits", hits);
        const struct hit_ctx hc = { db, page, stem, opts->fields, opts->snippets && !blank(opts->q),
                                    opts->cursor != nullptr, cur.scale, collapse };
        struct cursor next = {};
        bool more;
        if (by_weight) {
                /* In AfterWeight's order: the MSet has the same records, and
                 * the same order unless weights differ in their last bit. */
                std::unordered_map<Xapian::docid, Xapian::doccount> at;
                for (Xapian::MSetIterator m = page.begin(); m != page.end(); ++m)
                        at.emplace(*m, m.get_rank());
                unsigned n = 0;
                for (; n < picked.size() && n < limit; n++) {
                        auto it = at.find(picked[n].docid);
                        if (it != at.end())
                                append_new(hits, make_hit(hc, page[it->second]));
                }
                more = picked.size() > limit;
                if (more) {
                        next.docid = picked[n - 1].docid;
                        next.weight = picked[n - 1].weight;
                }
        } else {
                Xapian::MSetIterator m = page.begin();
                for (unsigned n = 0; m != page.end() && n < limit; ++m, n++)
                        append_new(hits, make_hit(hc, m));
                more = m != page.end();
                if (more) {
                        --m;
                        next.docid = *m;
                        next.weight = m.get_weight();
                        if (opts->sort != FD_SORT_RELEVANCE)
                                next.value = m.get_document().get_value(slot);
                }
        }
        if (paging && more && next.value.size() <= CURSOR_VALUE_MAX) {
                next.sort = code;
                next.hash = hash;
                next.scale = opts->cursor ? cur.scale : scale_of(page);
                const std::string text = cursor_encode(next);
                set_new(res.get(), "next_cursor", json_stringn(text.data(), text.size()));
        }
        if (!spies.empty()) {
                json_t *facets = need(json_object());
                set_new(res.get(), "facets", facets);
                for (auto &spy : spies)
                        set_new(facets, spy->def.name, spy->result(facet_limit));
        }
        if (ret_corrected_for && total < SPELLING_HITS) {
                std::string corrected;
                parse(db, opts->q, stem, true, Xapian::QueryParser::FLAG_SPELLING_CORRECTION, &corrected);
                if (!corrected.empty() && corrected != opts->q)
                        set_new(res.get(), "did_you_mean", json_stringn(corrected.data(), corrected.size()));
        }
        return res.release();
}

json_t *search_run(Xapian::Database &db, const struct fd_search_opts *opts) {
        Xapian::Stem stem;
        Xapian::Query user = user_query(db, opts, &stem);
        std::string corrected;

        return run(db, user, stem, opts, blank(opts->q) ? nullptr : &corrected, true);
}

/* ---- suggest and similar ------------------------------------------------ */

static std::string utf8_lower(const std::string &s) {
        std::string out;

        for (Xapian::Utf8Iterator it(s), end; it != end; ++it)
                Xapian::Unicode::append_utf8(out, Xapian::Unicode::tolower(*it));
        return out;
}

json_t *search_suggest(Xapian::Database &db, const char *prefix, unsigned limit) {
        const std::string input = prefix ? prefix : "";
        size_t cut = input.find_last_of(" \t");
        const std::string head = cut == std::string::npos ? "" : input.substr(0, cut + 1);
        const std::string word = utf8_lower(cut == std::string::npos ? input : input.substr(cut + 1));
        std::vector<std::pair<Xapian::doccount, std::string>> found;
        json_ptr res(need(json_object()));
        json_t *arr = need(json_array());

        set_new(res.get(), "suggestions", arr);
        if (word.empty())
                return res.release();
        const std::string tprefix = FD_COMPLETION_PREFIX + word;
        size_t n = 0;
        for (Xapian::TermIterator t = db.allterms_begin(tprefix); t != db.allterms_end(tprefix) && n < SUGGEST_SCAN;
             ++t, n++)
                found.emplace_back(t.get_termfreq(), (*t).substr(strlen(FD_COMPLETION_PREFIX)));
        std::sort(found.begin(), found.end(), [](const auto &a, const auto &b) {
                return a.first != b.first ? a.first > b.first : a.second < b.second;
        });
        for (size_t i = 0; i < found.size() && i < limit; i++) {
                const std::string value = head + found[i].second;
                append_new(arr, json_pack("{s:s%,s:I}", "value", value.data(), value.size(), "count",
                                          (json_int_t)found[i].first));
        }
        return res.release();
}

/* Keeps the free-text terms of a record: unprefixed words and their
 * Z-prefixed stems, not the prefixed field and filter terms. */
class TextTerms : public Xapian::ExpandDecider {
public:
        bool operator()(const std::string &term) const override {
                unsigned char c = term.empty() ? 'A' : (unsigned char)term[0];
                return !(c >= 'A' && c <= 'Y') && term.size() > 2;
        }
};

json_t *search_similar(Xapian::Database &db, const char *id, unsigned limit) {
        const std::string idterm = schema_id_term(id);
        Xapian::PostingIterator p = db.postlist_begin(idterm);
        struct fd_search_opts opts = {};
        TextTerms decider;

        if (p == db.postlist_end(idterm))
                return nullptr;
        Xapian::RSet rset;
        rset.add_document(*p);
        Xapian::Enquire enquire(db);
        const Xapian::ESet eset = enquire.get_eset(SIMILAR_TERMS, rset, &decider);
        Xapian::Query like(Xapian::Query::OP_OR, eset.begin(), eset.end());
        /* The record itself, and the other records of its object, are not
         * "similar records". */
        Xapian::Query self(idterm);
        const std::string doi = db.get_document(*p).get_value(SLOT_DOI);
        if (!doi.empty() && !schema_term(FIELD_DOI, doi).empty())
                self = Xapian::Query(Xapian::Query::OP_OR, self, Xapian::Query(schema_term(FIELD_DOI, doi)));
        opts.limit = limit;
        return run(db, Xapian::Query(Xapian::Query::OP_AND_NOT, like, self), Xapian::Stem("english"), &opts,
                   nullptr, false);
}
