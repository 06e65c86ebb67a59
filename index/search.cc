/* search.cc: queries, filters, facets, collapsing and hits.
 *
 * One function builds the Xapian query of a request (the user's query
 * parsed in its language, structured filters as boolean terms and value
 * ranges beside it), one runs it with collapsing on SLOT_COLLAPSE ("d" +
 * the DOI, on every record with a DOI; an empty key never folds) or
 * SLOT_WORK, and the facet spies, and one turns each MSet item into a hit.
 *
 * The answer is typed (fd_index.h): hits, facet counts, a cursor, built
 * in the arena of one struct fd_search_result; the daemon writes the
 * protocol's JSON.  The request comes checked for shape by the daemon;
 * what only the index can judge (a query that does not parse, a cursor of
 * another search, a field that is no facet) throws invalid_request.
 *
 * Shards (issue 18).  The database may be several shards as one
 * (shards.cc), local or remote, and an answer must be what one database
 * holding the same records gives, but for relevance ties.  add_database
 * interleaves docids, so the date, FAIR and near orders break ties by
 * record id (their keys end with it: the sort reads a value per candidate
 * anyway), DOI groups are found by term, and date and FAIR cursors name
 * the last hit by its sort key.  Relevance breaks ties by docid, Xapian's
 * own order: by id every candidate's value would be read and Xapian could
 * not stop early (a blank query read every record: 4 ms instead of 21 us
 * at 57,000 records), so records of equal weight come in index order,
 * the same on every call to one layout but not between one database and
 * shards (docs/protocol.md, "What differs").  Over
 * remote shards (index_view::builtins_only) xapian-tcpsrv runs only
 * Xapian's built-in spies and posting sources, no KeyMaker (in 1.4) and no
 * MatchDecider: the date and FAIR orders are plain value sorts on slots
 * holding (value, id) keys, their cursors value ranges on those keys,
 * facets come from ValueCountMatchSpy, and what needs code of ours (near,
 * bbox) is refused there (docs/protocol.md says what differs).  A remote
 * document is a round trip of its own, so a weighted relevance match there
 * breaks ties by SLOT_HIT and takes each hit's fields from the MSet's sort
 * keys (hit_keys).
 *
 * Latency (bench/query.py): on glass every value read is a B-tree lookup,
 * and those dominated a search.  So a hit is built from one slot
 * (SLOT_HIT, all it shows) with its strings copied into the answer's
 * arena, the stored record is read only for snippets (through record/,
 * which picks the title and description) and handed over only when the
 * request wants it, and collapsing, which reads a value per candidate, is
 * left out while no DOI can be shared (index_view::collapse_doi).  A hit
 * looks up its object's other sources (a posting list) only when another
 * record holds its DOI.  Facets are counted by FacetSpy, a MatchSpy over
 * the value slots schema.cc fills (plain values, lists joined by
 * FD_FACET_SEP, the year and the FAIR score), each record's value counted
 * whole and split once per distinct value; spies see every record the
 * matcher checks, so with check_at_least = the database size (bounded by
 * FD_INDEX_FACET_SCAN) they count the whole match, before collapsing.
 * Locally, the facets of one value per record (source, type, access,
 * year, the FAIR band) are counted from columns instead (ColumnSpy): a
 * value number per docid, built once per database revision and shared by
 * the query threads, so that counting costs an array read per matching
 * record, not a pass over the slot's whole stream or the facet's whole
 * posting lists per search.  With collapsing, the
 * facets and the total come from a boolean pass without collapsing (one
 * per shard over local shards), which counts objects itself (ObjectsSpy),
 * and the main match stops early (split).
 * Everything a request can grow is bounded: filter values, facet names,
 * distinct values per facet, sources per hit.
 *
 * Deep paging: a page ends with an opaque cursor (base64url of a version
 * byte, the sort, a hash of the query, the last hit's id or sort key, its
 * position and the score scale of the first page).  Every sort is a total
 * order: date and FAIR by their (value, id) keys, relevance by (weight
 * descending, docid).  A date or FAIR page is a second match restricted by
 * a value range to the keys after the cursor's.  A relevance page cannot
 * be: Xapian cannot start a match below a weight.  So on one local
 * database AfterWeight, a MatchSpy, sees (docid, weight) for
 * the whole match (check_at_least above the database size, as for facets)
 * and keeps a bounded heap of the best limit + 1 records after the
 * cursor's (weight, docid); a second match, the query filtered to those
 * records' unique terms, gives the MSet that hits are built from.  Its
 * cost is one pass over the whole match per page, its memory O(limit)
 * plus a bounded cache; that pass runs without collapsing (Xapian's
 * collapser keeps an entry per object it sees) unless facets already need
 * one over the whole match.  Over shards (a spy there sees each shard's
 * own docids, and remote ones run no spy of ours) the page starts at the
 * cursor's position instead.  A record whose DOI another record shares
 * stands for its object only as the first matching record of its DOI
 * group in the page order (found by a get_mset(0, 1) of the query filtered
 * to the DOI), as collapsing chose on the first page, so each object comes
 * once: AfterWeight checks that for each record that would enter its heap,
 * after_key_page skips groups whose first came at or before the cursor.
 * Scores on a cursor page use the first page's percent scale, kept in the
 * cursor, not the best weight of the page's own match, so that they stay
 * comparable across pages.
 */
#include <algorithm>
#include <array>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <strings.h>
#include <unordered_map>
#include <vector>

#include <xapian.h>

#include "index-private.hh"

#define DEFAULT_LIMIT 10
#define DEFAULT_FACET_LIMIT 20
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
/* A range filter's bound. */
#define RANGE_MAX 1000000
/* The versions of one work a hit looks at. */
#define VERSIONS_MAX 256

static bool blank(const char *q) {
        for (; q && *q; q++)
                if (*q != ' ' && *q != '\t' && *q != '\n' && *q != '\r')
                        return false;
        return true;
}

/* ---- the query ---------------------------------------------------------- */

/* How each field of the request is searched and counted. */
enum facet_kind {
        FACET_NONE,
        FACET_LIST,
        FACET_YEAR,
        FACET_FAIR_BAND,
        /* a list of "<id>" FD_LABEL_SEP "<name>": counted by id, labelled
         * with the name most of the records give it */
        FACET_LABELLED,
};

struct field_def {
        enum schema_field field;  /* the filter terms (lists) */
        unsigned slot;            /* ranges and facets: the value slot */
        bool range;
        enum facet_kind facet;
};

static const struct field_def field_defs[FD_FIELD_COUNT] = {
        [FD_FIELD_TYPE] = { FIELD_TYPE, SLOT_TYPE, false, FACET_LIST },
        [FD_FIELD_SOURCE] = { FIELD_SOURCE, SLOT_SOURCE, false, FACET_LIST },
        [FD_FIELD_LANG] = { FIELD_LANG, SLOT_LANG, false, FACET_LIST },
        [FD_FIELD_LICENSE] = { FIELD_LICENSE, SLOT_LICENSE, false, FACET_LIST },
        [FD_FIELD_ACCESS] = { FIELD_ACCESS, SLOT_ACCESS, false, FACET_LIST },
        [FD_FIELD_YEAR] = { FIELD_YEAR, SLOT_YEAR, true, FACET_YEAR },
        [FD_FIELD_FAIR] = { FIELD_YEAR, SLOT_FAIR, true, FACET_FAIR_BAND },
        [FD_FIELD_INDICATOR] = { FIELD_INDICATOR, 0, false, FACET_NONE },
        [FD_FIELD_SUBJECT] = { FIELD_SUBJECT, SLOT_SUBJECT, false, FACET_LIST },
        [FD_FIELD_AFFILIATION] = { FIELD_ROR, SLOT_AFFILIATION, false, FACET_LABELLED },
        [FD_FIELD_FUNDER] = { FIELD_FUNDER, SLOT_FUNDER, false, FACET_LABELLED },
        [FD_FIELD_BBOX] = { FIELD_ID, SLOT_GEO, false, FACET_NONE },
        [FD_FIELD_DURING] = { FIELD_ID, SLOT_TIME_FROM, true, FACET_NONE },
        [FD_FIELD_DISCIPLINE] = { FIELD_DISCIPLINE, SLOT_DISCIPLINE, false, FACET_LABELLED },
};

static const struct field_def &field_def(enum fd_search_field f) {
        if ((unsigned)f >= FD_FIELD_COUNT)
                throw invalid_request("no search field " + std::to_string((unsigned)f));
        return field_defs[f];
}

static Xapian::Query range_filter(const struct field_def &def, const struct fd_search_filter &f) {
        const std::string lo = f.has_from ? Xapian::sortable_serialise((double)f.from) : "";
        const std::string hi = f.has_to ? Xapian::sortable_serialise((double)f.to) : "";

        if ((f.has_from && (f.from < -RANGE_MAX || f.from > RANGE_MAX)) ||
            (f.has_to && (f.to < -RANGE_MAX || f.to > RANGE_MAX)))
                throw invalid_request("range filter bound out of -1000000 to 1000000");
        if (f.has_from && f.has_to)
                return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, def.slot, lo, hi);
        if (f.has_from)
                return Xapian::Query(Xapian::Query::OP_VALUE_GE, def.slot, lo);
        if (f.has_to)
                return Xapian::Query(Xapian::Query::OP_VALUE_LE, def.slot, hi);
        return index_match_all();
}

static Xapian::Query term_filter(const struct field_def &def, const struct fd_search_filter &f) {
        std::vector<Xapian::Query> terms;

        if (f.n_values == 0 || !f.values)
                throw invalid_request("a list filter needs at least one value");
        for (size_t i = 0; i < f.n_values; i++) {
                const std::string term = f.values[i] ? schema_term(def.field, f.values[i]) : std::string();
                terms.push_back(term.empty() ? Xapian::Query::MatchNothing : Xapian::Query(term));
        }
        return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

/* The records with a box of SLOT_GEO meeting the filter's box: a walk
 * over the slot's value stream (only records with an extent have one),
 * testing each record's boxes (schema_boxes_meet, antimeridian-aware). */
class BoxSource : public Xapian::ValuePostingSource {
public:
        explicit BoxSource(const std::array<double, 4> &b) : Xapian::ValuePostingSource(SLOT_GEO), box(b) {}

        void init(const Xapian::Database &db_) override {
                Xapian::ValuePostingSource::init(db_);
                set_termfreq_min(0);
        }
        void next(double min_wt) override {
                Xapian::ValuePostingSource::next(min_wt);
                settle();
        }
        void skip_to(Xapian::docid did, double min_wt) override {
                Xapian::ValuePostingSource::skip_to(did, min_wt);
                settle();
        }
        bool check(Xapian::docid did, double min_wt) override {
                skip_to(did, min_wt);
                return true;
        }
        BoxSource *clone() const override {
                return new BoxSource(box);
        }
        std::string name() const override {
                return "fairdex.BoxSource";
        }
        /* Only for the cursor's query hash. */
        std::string serialise() const override {
                std::string out;
                for (double x : box)
                        out += Xapian::sortable_serialise(x);
                return out;
        }

private:
        void settle() {
                while (!at_end() && !meets(get_value()))
                        Xapian::ValuePostingSource::next(0);
        }
        bool meets(const std::string &v) const {
                for (const auto &b : schema_geo_boxes(v))
                        if (schema_boxes_meet(b, box))
                                return true;
                return false;
        }

        std::array<double, 4> box;
};

static Xapian::Query bbox_filter(const struct fd_search_filter &f, bool builtins_only) {
        const std::array<double, 4> b = { f.box[0], f.box[1], f.box[2], f.box[3] };

        if (!(b[0] >= -180 && b[0] <= 180 && b[2] >= -180 && b[2] <= 180 && b[1] >= -90 && b[3] <= 90 &&
              b[1] <= b[3]))
                throw invalid_request("a bbox is west, south, east, north in degrees, south not above north");
        /* BoxSource is ours: xapian-tcpsrv cannot run it. */
        if (builtins_only)
                throw invalid_request("a bbox filter cannot be answered over remote shards (docs/protocol.md)");
        return Xapian::Query((new BoxSource(b))->release());
}

/* Coverage overlapping [from, to]: it starts before the period ends and
 * ends after it starts; an open end of the period asks nothing of it. */
static Xapian::Query during_filter(const struct fd_search_filter &f) {
        if ((f.has_from && f.from < 0) || (f.has_to && f.to < 0))
                throw invalid_request("a period's bounds are YYYYMMDD numbers");
        const Xapian::Query starts(Xapian::Query::OP_VALUE_LE, SLOT_TIME_FROM,
                                   Xapian::sortable_serialise(f.has_to ? f.to : FD_TIME_OPEN_END));
        const Xapian::Query ends(Xapian::Query::OP_VALUE_GE, SLOT_TIME_TO,
                                 Xapian::sortable_serialise(f.has_from ? f.from : FD_TIME_OPEN_START));
        return Xapian::Query(Xapian::Query::OP_AND, starts, ends);
}

/* The filters as one boolean query (OR within a filter, AND across). */
static Xapian::Query filters_query(const struct fd_search_request *req, bool builtins_only, bool *ret_any) {
        std::vector<Xapian::Query> parts;

        *ret_any = false;
        for (size_t i = 0; i < req->n_filters; i++) {
                const struct fd_search_filter &f = req->filters[i];
                const struct field_def &def = field_def(f.field);
                if (f.field == FD_FIELD_BBOX)
                        parts.push_back(bbox_filter(f, builtins_only));
                else if (f.field == FD_FIELD_DURING)
                        parts.push_back(during_filter(f));
                else
                        parts.push_back(def.range ? range_filter(def, f) : term_filter(def, f));
        }
        if (parts.empty())
                return index_match_all();
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

/* The user's query: matching the words as typed or their stems in its
 * language (English when it names none), whichever a record has.  The
 * words of description: match as typed only (schema.cc, add_text). */
static Xapian::Query user_query(Xapian::Database &db, const struct fd_search_request *opts, Xapian::Stem *ret_stem) {
        if (blank(opts->q)) {
                *ret_stem = Xapian::Stem("english");
                return index_match_all();
        }
        *ret_stem = opts->lang && *opts->lang ? schema_stemmer(opts->lang) : Xapian::Stem("english");
        Xapian::Query stemmed = parse(db, opts->q, *ret_stem, true, 0, nullptr);
        Xapian::Query plain = parse(db, opts->q, Xapian::Stem(), false, 0, nullptr);
        if (plain.serialise() == stemmed.serialise())
                return stemmed;
        return Xapian::Query(Xapian::Query::OP_OR, plain, stemmed);
}

/* ---- facets ------------------------------------------------------------- */

class FacetSpy : public Xapian::MatchSpy {
public:
        FacetSpy(enum fd_search_field f, const struct field_def &d) : field(f), def(d) {}

        /* A record's value is counted whole (one hash lookup, most values
         * repeat: a year, a source), and split into the facet's values
         * once per distinct value at the end (flush); beyond RAW_MAX
         * distinct ones it is split at once. */
        void operator()(const Xapian::Document &doc, double) override {
                const std::string v = value_of(doc);
                if (v.empty())
                        return;
                auto it = raw.find(v);
                if (it != raw.end())
                        it->second++;
                else if (raw.size() < RAW_MAX)
                        raw.emplace(v, 1);
                else
                        add(v, 1);
        }

        /* Reads values from the slot's value stream of db (one database:
         * the matcher hands records over in docid order), each chunk once,
         * instead of looking each value up (a B-tree descent per record
         * and slot, which made facets cost several times the search). */
        void stream(const Xapian::Database &db) {
                values = db.valuestream_begin(def.slot);
                streaming = true;
        }

        /* Splits the whole values counted into the facet's. */
        void flush() {
                for (const auto &r : raw)
                        add(r.first, r.second);
                raw.clear();
        }

        /* Counts n records whose slot holds v. */
        void add(const std::string &v, Xapian::doccount n) {
                if (v.empty())
                        return;
                switch (def.facet) {
                case FACET_NONE:
                        break;
                case FACET_LIST:
                case FACET_LABELLED:
                        for (size_t start = 0;;) {
                                size_t end = v.find(FD_FACET_SEP, start);
                                const std::string item =
                                        v.substr(start, end == std::string::npos ? std::string::npos : end - start);
                                if (def.facet == FACET_LIST)
                                        count(item, n);
                                else
                                        count_labelled(item, n);
                                if (end == std::string::npos)
                                        break;
                                start = end + 1;
                        }
                        break;
                case FACET_YEAR:
                        count(std::to_string((long)Xapian::sortable_unserialise(v)), n);
                        break;
                case FACET_FAIR_BAND:
                        count(index_fair_band(Xapian::sortable_unserialise(v)), n);
                        break;
                }
        }

        std::string name() const override {
                return "fairdex.FacetSpy";
        }

        unsigned slot() const {
                return def.slot;
        }

        /* Counts n records whose facet value is value (ColumnSpy::add_to). */
        void add_value(const std::string &value, Xapian::doccount n) {
                count(value, n);
        }

        /* The counts, most frequent first, at most limit of them. */
        struct fd_search_facet result(unsigned limit, answer_arena &out) const {
                std::vector<std::pair<std::string, Xapian::doccount>> v(counts.begin(), counts.end());
                std::vector<struct fd_index_count> list;

                std::sort(v.begin(), v.end(), [](const auto &a, const auto &b) {
                        return a.second != b.second ? a.second > b.second : a.first < b.first;
                });
                for (size_t i = 0; i < v.size() && i < limit; i++)
                        list.push_back({ out.str(v[i].first), v[i].second, label_of(v[i].first, out) });
                return { field, out.array(list), list.size() };
        }

        const enum fd_search_field field;

private:
        /* false when value is new and there is no room for it. */
        bool count(const std::string &value, Xapian::doccount n) {
                auto it = counts.find(value);
                if (it != counts.end())
                        it->second += n;
                else if (counts.size() < FACET_DISTINCT_MAX)
                        counts.emplace(value, n);
                else
                        return false;
                return true;
        }

        void count_labelled(const std::string &item, Xapian::doccount n) {
                const size_t sep = item.find(FD_LABEL_SEP);
                const std::string id = item.substr(0, sep);
                if (!count(id, n) || sep == std::string::npos || sep + 1 == item.size())
                        return;
                labels[id][item.substr(sep + 1)] += n;
        }

        /* The most frequent name of id (ties: the smallest), NULL if none. */
        const char *label_of(const std::string &id, answer_arena &out) const {
                auto it = labels.find(id);
                const std::string *best = nullptr;
                Xapian::doccount most = 0;
                if (it == labels.end())
                        return nullptr;
                for (const auto &n : it->second)
                        if (n.second > most) {
                                most = n.second;
                                best = &n.first;
                        }
                return best ? out.str(*best) : nullptr;
        }

        std::unordered_map<std::string, std::map<std::string, Xapian::doccount>> labels;
        /* doc's value of the slot: from the stream while records come in
         * docid order, else looked up. */
        std::string value_of(const Xapian::Document &doc) {
                const Xapian::docid did = doc.get_docid();
                if (!streaming || did < last)
                        return doc.get_value(def.slot);
                last = did;
                if (values != Xapian::ValueIterator() && values.get_docid() < did)
                        values.skip_to(did);
                if (values == Xapian::ValueIterator() || values.get_docid() != did)
                        return std::string();
                return *values;
        }

        bool streaming = false;
        Xapian::docid last = 0;
        Xapian::ValueIterator values;
        /* Whole values seen, not yet split (operator()). */
        static const size_t RAW_MAX = 4096;
        std::unordered_map<std::string, Xapian::doccount> raw;

        const struct field_def &def;
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

/* ---- facet columns ------------------------------------------------------ */

/* A facet of one value per record (source, type, access, year: each
 * record has one of the facet's terms; the FAIR band: from SLOT_FAIR) as
 * a column: each docid's value as a number.  Counting a match is then one
 * array read per record and facet (ColumnSpy), whatever the database's
 * size.  Posting lists counted against the match's docids, and value
 * streams, read the whole database's list or stream for every search: at
 * 95,000 records that made each facet cost about the search itself, and
 * the cost grows with the database, not with the match.  A column is
 * built once per database and revision (a pass over the facet's posting
 * lists, or SLOT_FAIR's stream) and shared by the query threads
 * (column_cache); 2 bytes a docid. */
struct facet_column {
        std::vector<uint16_t> of;        /* by docid: 1 + the value's number, 0: none */
        std::vector<std::string> values; /* the facet's values, as FacetSpy counts them */
};

/* A column holds at most this many docids (a facet column 64 MB, a key
 * column 256 MB and its sorted hashes), a facet column this many distinct
 * values; beyond, FacetSpy counts the facet and ObjectsSpy reads the keys. */
#define COLUMN_DOCS_MAX 32000000u
#define COLUMN_VALUES_MAX 65535u
/* The databases (UUIDs) whose columns are kept, most recently used first. */
#define COLUMN_DATABASES 8

/* The filter terms that name the facet value of f, "" if none. */
static std::string facet_prefix(const struct field_def &def, enum fd_search_field f) {
        if (f != FD_FIELD_SOURCE && f != FD_FIELD_TYPE && f != FD_FIELD_ACCESS && f != FD_FIELD_YEAR)
                return std::string();
        return schema_term(def.field, std::string());
}

/* The facet value a term of prefix names (schema_term's inverse). */
static std::string facet_value_of(const std::string &term, const std::string &prefix, enum facet_kind kind) {
        std::string v = term.substr(prefix.size());
        if (prefix.size() > 1 && !v.empty() && v[0] == ':')
                v.erase(0, 1);
        if (kind == FACET_YEAR)
                v = std::to_string(strtol(v.c_str(), nullptr, 10));
        return v;
}

/* f's column in db, or null when f has none: not a facet of one value per
 * record, a record with two of its terms or a value without one, too many
 * docids or values. */
static std::shared_ptr<const facet_column> column_build(const Xapian::Database &db, enum fd_search_field f) {
        const struct field_def &def = field_def(f);
        const std::string prefix = facet_prefix(def, f);
        const Xapian::docid last = db.get_lastdocid();
        if ((prefix.empty() && f != FD_FIELD_FAIR) || last > COLUMN_DOCS_MAX)
                return nullptr;
        auto c = std::make_shared<facet_column>();
        c->of.assign((size_t)last + 1, 0);
        if (f == FD_FIELD_FAIR) {
                c->values.assign(index_fair_bands, index_fair_bands + INDEX_FAIR_BANDS);
                for (Xapian::ValueIterator v = db.valuestream_begin(SLOT_FAIR); v != db.valuestream_end(SLOT_FAIR);
                     ++v)
                        if (v.get_docid() <= last)
                                c->of[v.get_docid()] =
                                        (uint16_t)(1 + index_fair_band_no(Xapian::sortable_unserialise(*v)));
                return c;
        }
        Xapian::doccount n = 0;
        for (Xapian::TermIterator t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
                const std::string term = *t;
                /* A capital after a prefix of two or more letters starts a
                 * longer prefix ("XA" access, "XAWARD" awards): schema_term
                 * puts ':' before a value's capital. */
                if (prefix.size() > 1 && term.size() > prefix.size() && term[prefix.size()] >= 'A' &&
                    term[prefix.size()] <= 'Z')
                        continue;
                if (c->values.size() == COLUMN_VALUES_MAX)
                        return nullptr;
                c->values.push_back(facet_value_of(term, prefix, def.facet));
                const uint16_t code = (uint16_t)c->values.size();
                for (Xapian::PostingIterator p = db.postlist_begin(term); p != db.postlist_end(term); ++p, n++) {
                        if (*p > last || c->of[*p])
                                return nullptr;
                        c->of[*p] = code;
                }
        }
        return n == db.get_value_freq(def.slot) ? c : nullptr;
}

/* The collapse keys of a database as a column: each docid's key
 * (SLOT_COLLAPSE) as its 64-bit hash, 0 for none (ObjectsSpy). */
struct key_column {
        std::vector<uint64_t> of;
        std::vector<uint64_t> sorted;   /* the distinct hashes, ascending */
        std::vector<uint64_t> repeated; /* those two or more records hold */
};

static uint64_t key_hash(const std::string &key) {
        return fd_hash(key.data(), key.size()) | 1;
}

/* db's key column, or null when it has too many docids. */
static std::shared_ptr<const key_column> keys_build(const Xapian::Database &db) {
        const Xapian::docid last = db.get_lastdocid();
        if (last > COLUMN_DOCS_MAX)
                return nullptr;
        auto c = std::make_shared<key_column>();
        c->of.assign((size_t)last + 1, 0);
        for (Xapian::ValueIterator v = db.valuestream_begin(SLOT_COLLAPSE); v != db.valuestream_end(SLOT_COLLAPSE);
             ++v)
                if (v.get_docid() <= last)
                        c->of[v.get_docid()] = key_hash(*v);
        for (uint64_t h : c->of)
                if (h)
                        c->sorted.push_back(h);
        std::sort(c->sorted.begin(), c->sorted.end());
        size_t kept = 0;
        for (size_t i = 0; i < c->sorted.size(); i++) {
                if (kept && c->sorted[kept - 1] == c->sorted[i]) {
                        if (c->repeated.empty() || c->repeated.back() != c->sorted[i])
                                c->repeated.push_back(c->sorted[i]);
                        continue;
                }
                c->sorted[kept++] = c->sorted[i];
        }
        c->sorted.resize(kept);
        c->sorted.shrink_to_fit();
        return c;
}

/* The key hashes that more than one record of the parts holds, ascending:
 * a part's own repeats and the hashes two parts share. */
static std::vector<uint64_t> shared_build(const std::vector<std::shared_ptr<const key_column>> &cols) {
        std::vector<uint64_t> out;
        for (size_t i = 0; i < cols.size(); i++) {
                out.insert(out.end(), cols[i]->repeated.begin(), cols[i]->repeated.end());
                for (size_t j = i + 1; j < cols.size(); j++)
                        std::set_intersection(cols[i]->sorted.begin(), cols[i]->sorted.end(), cols[j]->sorted.begin(),
                                              cols[j]->sorted.end(), std::back_inserter(out));
        }
        std::sort(out.begin(), out.end());
        out.erase(std::unique(out.begin(), out.end()), out.end());
        return out;
}

/* The columns of the databases that readers search, shared by the query
 * threads: a database is known by its UUID, what it holds by its revision
 * (a reader's handle stays at one until it reopens).  A column is built
 * when a search first needs it, outside the lock (two threads may build
 * the same one; either is right), and a failed build is remembered too.
 * A part of a view that is not as committed (a writable handle's, whose
 * uncommitted records no revision names) gets its column built for the
 * search, never kept. */
class column_cache {
public:
        std::shared_ptr<const facet_column> facet(const struct index_view &view, const Xapian::Database &db,
                                                  enum fd_search_field f) {
                return std::static_pointer_cast<const facet_column>(
                        get(view, db, f, [&] { return std::shared_ptr<const void>(column_build(db, f)); }));
        }

        std::shared_ptr<const key_column> keys(const struct index_view &view, const Xapian::Database &db) {
                return std::static_pointer_cast<const key_column>(
                        get(view, db, KEYS, [&] { return std::shared_ptr<const void>(keys_build(db)); }));
        }

private:
        /* A database's columns: one per search field, then its keys. */
        enum { KEYS = FD_FIELD_COUNT, COLUMNS };

        template <typename Build>
        std::shared_ptr<const void> get(const struct index_view &view, const Xapian::Database &db, size_t which,
                                        Build build) {
                if (!view.committed)
                        return build();
                const std::string uuid = db.get_uuid();
                const Xapian::rev rev = db.get_revision();
                {
                        std::lock_guard<std::mutex> hold(lock);
                        for (auto it = kept.begin(); it != kept.end(); ++it)
                                if (it->uuid == uuid && it->rev == rev && it->tried[which]) {
                                        kept.splice(kept.begin(), kept, it);
                                        return kept.front().col[which];
                                }
                }
                std::shared_ptr<const void> c = build();
                std::lock_guard<std::mutex> hold(lock);
                auto it = kept.begin();
                while (it != kept.end() && it->uuid != uuid)
                        ++it;
                if (it == kept.end()) {
                        kept.emplace_front();
                        kept.front().uuid = uuid;
                        if (kept.size() > COLUMN_DATABASES)
                                kept.pop_back();
                } else {
                        kept.splice(kept.begin(), kept, it);
                }
                struct entry &e = kept.front();
                if (e.rev != rev) {
                        /* a newer revision: the old columns go (searches
                         * still counting with them hold their own) */
                        e = entry();
                        e.uuid = uuid;
                        e.rev = rev;
                }
                e.col[which] = c;
                e.tried[which] = true;
                return c;
        }

        struct entry {
                std::string uuid;
                Xapian::rev rev = 0;
                std::shared_ptr<const void> col[COLUMNS];
                bool tried[COLUMNS] = {};
        };
        std::mutex lock;
        std::list<entry> kept;
};

static column_cache columns_kept;

/* shared_build of the parts of the view searched last (by their UUIDs and
 * revisions), kept for the next search over the same view. */
static std::mutex shared_lock;
static std::string shared_view;
static std::shared_ptr<const std::vector<uint64_t>> shared_kept;

static std::shared_ptr<const std::vector<uint64_t>> shared_keys(const struct index_view &view,
                                                               const std::vector<std::shared_ptr<const key_column>> &cols) {
        if (!view.committed)
                return std::make_shared<const std::vector<uint64_t>>(shared_build(cols));
        std::string id;
        for (const Xapian::Database &part : view.parts)
                id += part.get_uuid() + "/" + std::to_string(part.get_revision()) + ";";
        {
                std::lock_guard<std::mutex> hold(shared_lock);
                if (id == shared_view)
                        return shared_kept;
        }
        auto v = std::make_shared<const std::vector<uint64_t>>(shared_build(cols));
        std::lock_guard<std::mutex> hold(shared_lock);
        shared_view = id;
        shared_kept = v;
        return v;
}

/* f's column in every part of view, or none when some part has none. */
static std::vector<std::shared_ptr<const facet_column>> columns_of(const struct index_view &view,
                                                                   enum fd_search_field f) {
        std::vector<std::shared_ptr<const facet_column>> cols;
        for (const Xapian::Database &part : view.parts) {
                std::shared_ptr<const facet_column> c = columns_kept.facet(view, part, f);
                if (!c)
                        return {};
                cols.push_back(std::move(c));
        }
        return cols;
}

/* Counts, over the records the matcher looks at in part i of a view, the
 * facets of the spies that have columns (cols: by spy, then by part).  A
 * spy sees a part's own docids, also over several parts as one database
 * (Xapian 1.4's Document::get_docid), so it runs on one part's match. */
class ColumnSpy : public Xapian::MatchSpy {
public:
        ColumnSpy(const std::vector<std::vector<std::shared_ptr<const facet_column>>> &cols, size_t i) {
                for (size_t k = 0; k < cols.size(); k++)
                        if (!cols[k].empty())
                                used.push_back({ k, cols[k][i].get(),
                                                 std::vector<Xapian::doccount>(cols[k][i]->values.size() + 1) });
        }

        void operator()(const Xapian::Document &doc, double) override {
                const Xapian::docid d = doc.get_docid();
                for (struct counted &u : used)
                        if (d < u.col->of.size())
                                u.counts[u.col->of[d]]++;
        }

        std::string name() const override {
                return "fairdex.ColumnSpy";
        }

        /* Adds the counts to the spies' (FacetSpy::add_value). */
        void add_to(std::vector<std::unique_ptr<FacetSpy>> &spies) const {
                for (const struct counted &u : used)
                        for (size_t code = 1; code < u.counts.size(); code++)
                                if (u.counts[code])
                                        spies[u.k]->add_value(u.col->values[code - 1], u.counts[code]);
        }

private:
        struct counted {
                size_t k; /* the spy */
                const facet_column *col;
                std::vector<Xapian::doccount> counts; /* by code */
        };
        std::vector<struct counted> used;
};

/* The objects among the records the matcher looks at: records without a
 * collapse key, and distinct keys (what collapsing on SLOT_COLLAPSE
 * leaves), for a facet pass without collapsing, over one part of a view
 * after another (part()).  With the parts' key columns a record whose key
 * no other record of the view holds (its hash is not among shared_keys)
 * is an object by itself, at the cost of an array read; the others, and
 * every record without the columns, go through a table of the hashes
 * seen, and two records of equal hashes are compared by their keys (read
 * then), so that the count stays exact. */
class ObjectsSpy : public Xapian::MatchSpy {
public:
        explicit ObjectsSpy(const struct index_view &v) : view(v) {}

        /* The records to come are part i's. */
        void part(size_t i) {
                if (cols.empty()) {
                        for (const Xapian::Database &db : view.parts) {
                                cols.push_back(columns_kept.keys(view, db));
                                if (!cols.back()) {
                                        cols.assign(view.parts.size(), nullptr);
                                        break;
                                }
                        }
                        if (cols[0])
                                shared = shared_keys(view, cols);
                }
                at = i;
        }

        void operator()(const Xapian::Document &doc, double) override {
                const Xapian::docid d = doc.get_docid();
                const key_column *keys = cols[at].get();
                uint64_t h = 0;
                std::string key;
                if (keys) {
                        h = d < keys->of.size() ? keys->of[d] : 0;
                        if (h && !std::binary_search(shared->begin(), shared->end(), h)) {
                                alone++;
                                return;
                        }
                } else {
                        key = doc.get_value(SLOT_COLLAPSE);
                        h = key.empty() ? 0 : key_hash(key);
                }
                if (!h) {
                        alone++;
                        return;
                }
                if ((n + 1) * 2 > table.size())
                        grow();
                for (size_t i = h & (table.size() - 1);; i = (i + 1) & (table.size() - 1)) {
                        struct entry &e = table[i];
                        if (!e.hash) {
                                e = { h, at, d };
                                n++;
                                return;
                        }
                        if (e.hash != h)
                                continue;
                        if (key.empty())
                                key = doc.get_value(SLOT_COLLAPSE);
                        if (view.parts[e.part].get_document(e.docid).get_value(SLOT_COLLAPSE) == key)
                                return;
                        /* another key of the same hash */
                        if (collided.insert(key).second)
                                n++;
                        return;
                }
        }
        std::string name() const override {
                return "fairdex.ObjectsSpy";
        }
        Xapian::doccount objects() const {
                return alone + (Xapian::doccount)n;
        }

private:
        /* The distinct keys: an open-addressing table of (hash, the first
         * record seen with it); keys that share a hash with another, whole. */
        struct entry {
                uint64_t hash; /* 0: empty */
                size_t part;
                Xapian::docid docid;
        };

        void grow() {
                std::vector<struct entry> old(std::max<size_t>(1024, table.size() * 2));
                old.swap(table);
                for (const struct entry &e : old) {
                        if (!e.hash)
                                continue;
                        size_t i = e.hash & (table.size() - 1);
                        while (table[i].hash)
                                i = (i + 1) & (table.size() - 1);
                        table[i] = e;
                }
        }

        const struct index_view &view;
        /* records without a key or with one no other record holds */
        Xapian::doccount alone = 0;
        size_t n = 0;
        std::vector<struct entry> table;
        std::set<std::string> collided;
        std::vector<std::shared_ptr<const key_column>> cols; /* by part: all, or none */
        std::shared_ptr<const std::vector<uint64_t>> shared;
        size_t at = 0;
};

/* What a pass that must see the whole match of db asks Xapian to check. */
static Xapian::doccount check_whole(const Xapian::Database &db) {
        return std::min(db.get_doccount(), (Xapian::doccount)FD_INDEX_FACET_SCAN) + 1;
}

static std::vector<std::unique_ptr<FacetSpy>> facet_spies(const struct fd_search_request *req) {
        std::vector<std::unique_ptr<FacetSpy>> spies;
        bool seen[FD_FIELD_COUNT] = {};

        for (size_t i = 0; i < req->n_facets; i++) {
                const enum fd_search_field f = req->facets[i];
                const struct field_def &def = field_def(f);
                if (def.facet == FACET_NONE)
                        throw invalid_request("search field " + std::to_string((unsigned)f) + " is no facet");
                if (!seen[f])
                        spies.emplace_back(new FacetSpy(f, def));
                seen[f] = true;
        }
        return spies;
}

/* ---- hits --------------------------------------------------------------- */

/* Every source holding the object doi (bounded), own (the source of
 * record self) included, sorted; in out. */
static void sources_of(Xapian::Database &db, const std::string &doi, const std::string &own, Xapian::docid self,
                       answer_arena &out, struct fd_search_hit *hit) {
        const std::string term = schema_doi_term(doi);

        if (term.empty()) {
                /* The usual hit: its own source only, no set to build. */
                if (own.empty())
                        return;
                const char **v = static_cast<const char **>(out.alloc(sizeof *v));
                v[0] = out.str(own);
                hit->sources = v;
                hit->n_sources = 1;
                return;
        }
        std::set<std::string> names;
        if (!own.empty())
                names.insert(own);
        size_t n = 0;
        for (Xapian::PostingIterator p = db.postlist_begin(term); p != db.postlist_end(term) && n < HIT_SOURCES_MAX;
             ++p, n++) {
                if (*p == self)
                        continue;
                const std::string s = db.get_document(*p, Xapian::DOC_ASSUME_VALID).get_value(SLOT_SOURCE);
                if (!s.empty())
                        names.insert(s);
        }
        const char **v = static_cast<const char **>(out.alloc(sizeof *v * (names.size() + 1)));
        size_t i = 0;
        for (const std::string &s : names)
                v[i++] = out.str(s);
        hit->sources = v;
        hit->n_sources = i;
}

struct hit_ctx {
        Xapian::Database &db;
        const Xapian::MSet &mset;
        const Xapian::Stem &stem;
        answer_arena &out;
        bool record_json;
        bool snippets;
        /* Cursor pages: scores from the weight on the first page's scale
         * (percent_of), not Xapian's percent, which is relative to the best
         * weight of the page's own match. */
        bool rescale;
        double scale;
        /* Some DOI is shared in the index (FD_DOI_SHARED_KEY): only then
         * can a hit's object have other sources to look up. */
        bool shared;
        /* Snippets: where the stored record is read, reset per hit. */
        struct fd_arena *scratch;
        /* "collapse":"version": hits are works, shown by their newest
         * version matching query. */
        bool versions;
        const Xapian::Query &query;
        /* The MSet's sort keys are the hits' SLOT_HIT values (remote
         * relevance, page_order): no document to fetch for a hit. */
        bool hit_keys;
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

static const char *snippet_of(const struct hit_ctx &hc, const char *text) {
        if (!text)
                return nullptr;
        return hc.out.str(hc.mset.snippet(text, SNIPPET_LENGTH, hc.stem,
                                          Xapian::MSet::SNIPPET_BACKGROUND_MODEL | Xapian::MSet::SNIPPET_EXHAUSTIVE,
                                          "<b>", "</b>", "…"));
}

/* The hit's snippets of the title and description record/ picks; a
 * stored record that does not read has none. */
static void snippets_of(const struct hit_ctx &hc, const std::string &data, struct fd_search_hit *hit) {
        struct fd_record *r = nullptr;

        fd_arena_reset(hc.scratch);
        if (fd_record_from_json_text(data.data(), data.size(), hc.scratch, &r, nullptr) != FD_OK)
                return;
        hit->snippet_title = snippet_of(hc, fd_record_title(r));
        hit->snippet_description = snippet_of(hc, fd_record_description(r));
}

/* A hit from the value slots; the stored JSON is read only when the
 * request wants snippets or the record (it is most of a search's cost). */
/* A work's version, as versions_of ranks them. */
struct version {
        Xapian::docid docid;
        std::string id, doi, changed;
        double year;
        bool superseded, matches;
};

/* The records of work key (bounded), newest first: a version no other
 * states IsNewVersionOf (or that states IsPreviousVersionOf none) before
 * one that is superseded, then by publication year, then the later
 * written (SLOT_CHANGED); matches says which the query matches. */
static std::vector<struct version> versions_of(const struct hit_ctx &hc, const std::string &key) {
        const std::string term = WORK_PREFIX + key;
        std::vector<struct version> v;
        std::set<std::string> older;
        std::set<Xapian::docid> matching;

        Xapian::Enquire e(hc.db);
        e.set_query(Xapian::Query(Xapian::Query::OP_FILTER, hc.query, Xapian::Query(term)));
        e.set_weighting_scheme(Xapian::BoolWeight());
        const Xapian::MSet m = e.get_mset(0, VERSIONS_MAX);
        for (Xapian::MSetIterator i = m.begin(); i != m.end(); ++i)
                matching.insert(*i);
        for (Xapian::PostingIterator p = hc.db.postlist_begin(term);
             p != hc.db.postlist_end(term) && v.size() < VERSIONS_MAX; ++p) {
                const Xapian::Document d = hc.db.get_document(*p, Xapian::DOC_ASSUME_VALID);
                const std::string y = d.get_value(SLOT_YEAR);
                struct version x = { *p, d.get_value(SLOT_ID), d.get_value(SLOT_DOI), d.get_value(SLOT_CHANGED),
                                     y.empty() ? 0 : Xapian::sortable_unserialise(y), false, matching.count(*p) > 0 };
                schema_related_each(d.get_value(SLOT_RELATED), [&](const std::string &rel, const std::string &t) {
                        if (strcasecmp(rel.c_str(), "IsNewVersionOf") == 0)
                                older.insert(t);
                        else if (strcasecmp(rel.c_str(), "IsPreviousVersionOf") == 0)
                                x.superseded = true;
                });
                v.push_back(x);
        }
        for (struct version &x : v)
                x.superseded = x.superseded || (!x.doi.empty() && older.count(x.doi));
        std::sort(v.begin(), v.end(), [](const struct version &a, const struct version &b) {
                if (a.superseded != b.superseded)
                        return !a.superseded;
                if (a.year != b.year)
                        return a.year > b.year;
                /* the later written ((when, id): the same in every shard) */
                return a.changed > b.changed;
        });
        return v;
}

/* The record a work's hit shows (its newest matching version, else self)
 * and the ids of its other versions into hit. */
static Xapian::docid work_hit(const struct hit_ctx &hc, const Xapian::Document &doc, Xapian::docid self,
                              struct fd_search_hit *hit) {
        const std::string key = doc.get_value(SLOT_WORK);
        if (key.empty())
                return self;
        const std::vector<struct version> v = versions_of(hc, key);
        const struct version *best = nullptr;
        for (const struct version &x : v)
                if (x.matches) {
                        best = &x;
                        break;
                }
        if (!best)
                return self;
        std::vector<const char *> ids;
        for (const struct version &x : v)
                if (&x != best && (x.doi.empty() || x.doi != best->doi))
                        ids.push_back(hc.out.str(x.id));
        hit->versions = hc.out.array(ids);
        hit->n_versions = ids.size();
        return best->docid;
}

static struct fd_search_hit make_hit(const struct hit_ctx &hc, const Xapian::MSetIterator &m) {
        struct fd_search_hit hit = {};
        Xapian::docid at = *m;
        if (hc.versions)
                at = work_hit(hc, m.get_document(), *m, &hit);
        /* Over remote shards a document is a round trip: read only when
         * the hit needs more than SLOT_HIT, or the MSet does not carry it. */
        const bool keyed = hc.hit_keys && at == *m;
        Xapian::Document doc;
        if (!keyed || hc.snippets || hc.record_json)
                doc = at == *m ? m.get_document() : hc.db.get_document(at);
        struct schema_hit h;

        if (!schema_hit_unpack(keyed ? m.get_sort_key() : doc.get_value(SLOT_HIT), &h))
                throw Xapian::DatabaseCorruptError("a document without its hit value");
        hit.id = hc.out.str_or_null(h.id);
        hit.source = hc.out.str_or_null(h.source);
        /* Some DOI is shared, and this one by another record (its term's
         * frequency over every shard). */
        const bool shared = hc.shared && !h.doi.empty() && hc.db.get_termfreq(schema_doi_term(h.doi)) > 1;
        sources_of(hc.db, shared ? h.doi : std::string(), h.source, at, hc.out, &hit);
        hit.title = hc.out.str_or_null(h.title);
        hit.score = hc.rescale ? percent_of(m.get_weight(), hc.scale) : m.get_percent();
        hit.doi = hc.out.str_or_null(h.doi);
        hit.year = h.year.empty() ? 0 : (int)Xapian::sortable_unserialise(h.year);
        hit.fair = h.fair.empty() ? -1 : (int)Xapian::sortable_unserialise(h.fair);
        if (hc.snippets || hc.record_json) {
                const std::string data = doc.get_data();
                if (hc.snippets)
                        snippets_of(hc, data, &hit);
                if (hc.record_json)
                        hit.record_json = hc.out.str(data);
        }
        return hit;
}

/* ---- cursors ------------------------------------------------------------ */

/* 2: relevance cursors hold (weight, docid) instead of an offset, and
 * every cursor the score scale; 3: the check is the low half of the 64-bit
 * FNV-1a; 4: the last hit is named by what it carries wherever it is
 * stored and the cursor carries its position; 5: relevance ties are
 * broken by docid again (by record id every candidate's value had to be
 * read, and Xapian could not stop early), so a relevance cursor holds the
 * last hit's weight and docid (on one local database) beside its
 * position (on shards); an older cursor is malformed. */
#define CURSOR_VERSION 5
/* Bounds of a cursor's sort key and its text.  Its bytes: version, sort
 * code, query hash (4), the score scale (8), the position after the last
 * hit (4), then, relevance: the last hit's docid (4) and weight (8); date
 * and fair: its sort key (schema_sort_key, which ends with the id); then a
 * check (4); integers big-endian, doubles as their IEEE 754 bits,
 * big-endian.  A last hit whose key is longer than the bound ends the walk
 * without a cursor (its text would pass the protocol's 512 bytes). */
#define CURSOR_VALUE_MAX 300
#define CURSOR_TEXT_MAX 512
/* The bytes before the sort's own. */
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

/* The low 32 bits of FNV-1a.  Of the serialised query: a cursor from
 * another search is refused rather than continuing somewhere arbitrary; of
 * the cursor's bytes: a cursor altered by hand is refused. */
static uint32_t hash32(const std::string &s) {
        return (uint32_t)fd_hash(s.data(), s.size());
}

static uint32_t query_hash(const Xapian::Query &q) {
        return hash32(q.serialise());
}

struct cursor {
        unsigned char sort;     /* enum fd_search_sort * 2 + ascending */
        uint32_t hash;
        uint32_t position;      /* hits before the next page */
        double scale;           /* scale_of() the first page */
        Xapian::docid docid;    /* relevance: the last hit's docid */
        double weight;          /* relevance: its weight */
        std::string value;      /* date, fair: its sort value */
};

static unsigned char sort_code(const struct fd_search_request *opts) {
        return (unsigned char)(opts->sort * 2 + (opts->sort != FD_SORT_RELEVANCE && opts->ascending));
}

static std::string cursor_encode(const struct cursor &c) {
        std::string raw(1, (char)CURSOR_VERSION);

        raw += (char)c.sort;
        put_u32(raw, c.hash);
        put_double(raw, c.scale);
        put_u32(raw, c.position);
        if (c.sort / 2 == FD_SORT_RELEVANCE) {
                put_u32(raw, c.docid);
                put_double(raw, c.weight);
        } else
                raw += c.value;
        put_u32(raw, hash32(raw));
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
            get_u32(raw, raw.size() - 4) != hash32(raw.substr(0, raw.size() - 4)))
                throw invalid_request(malformed);
        raw.resize(raw.size() - 4);
        c.sort = (unsigned char)raw[1];
        c.hash = get_u32(raw, 2);
        if (c.sort != sort || c.hash != hash)
                throw invalid_request(bad);
        c.scale = get_double(raw, 6);
        c.position = get_u32(raw, 14);
        if (!std::isfinite(c.scale) || c.scale < 0)
                throw invalid_request(malformed);
        const size_t rest = CURSOR_HEAD;
        if (sort / 2 == FD_SORT_RELEVANCE) {
                if (raw.size() != rest + 12)
                        throw invalid_request(malformed);
                c.docid = get_u32(raw, rest);
                c.weight = get_double(raw, rest + 4);
                if (!std::isfinite(c.weight))
                        throw invalid_request(malformed);
        } else {
                c.value = raw.substr(rest);
                if (c.value.size() > CURSOR_VALUE_MAX)
                        throw invalid_request(malformed);
        }
        return c;
}

/* ---- the page order ------------------------------------------------------ */

/* Every order is total.  Relevance is (weight descending, docid), Xapian's
 * own, which reads no value and lets Xapian stop early; its ties differ
 * between one database and shards (add_database interleaves docids).
 * Date and FAIR sort by value on slots holding (value, id) keys
 * (schema_sort_key); near is (distance, id) through NearKey, a KeyMaker,
 * which xapian-tcpsrv cannot run (no KeyMaker at all in Xapian 1.4): near
 * over remote shards is refused (docs/protocol.md). */
class NearKey : public Xapian::KeyMaker {
public:
        NearKey(const Xapian::LatLongCoord &c) : near(SLOT_GEO_POINTS, c, Xapian::GreatCircleMetric(), 1e12) {}

        /* The distance key escaped as in schema_sort_key, then the id. */
        std::string operator()(const Xapian::Document &doc) const override {
                return schema_sort_key(near(doc), doc.get_value(SLOT_ID), false);
        }

private:
        Xapian::LatLongDistanceKeyMaker near;
};

struct page_order {
        enum fd_search_sort sort;
        unsigned slot;          /* date, fair: the sort key slot */
        bool descending;

        page_order(const struct fd_search_request *opts) : sort(opts->sort), slot(0), descending(!opts->ascending) {
                if (sort == FD_SORT_DATE)
                        slot = descending ? SLOT_SORT_YEAR_DESC : SLOT_SORT_YEAR_ASC;
                else if (sort == FD_SORT_FAIR)
                        slot = descending ? SLOT_SORT_FAIR_DESC : SLOT_SORT_FAIR_ASC;
        }

        /* Sets e up for this order (near: by key, which the caller owns);
         * hit_keys: relevance ties by SLOT_HIT instead, so that the MSet
         * carries each hit's SLOT_HIT as its sort key. */
        void apply(Xapian::Enquire &e, Xapian::KeyMaker *near, bool hit_keys = false) {
                if (sort == FD_SORT_NEAR)
                        e.set_sort_by_key(near, false);
                else if (slot)
                        e.set_sort_by_value(slot, descending);
                else if (hit_keys)
                        e.set_sort_by_relevance_then_value(SLOT_HIT, false);
                else
                        e.set_sort_by_relevance();
        }
};

/* The records after the cursor's sort key in slot's order: beyond it, in
 * built-in value ranges (keys are unique: they end with the id). */
static Xapian::Query after_value(unsigned slot, bool descending, const struct cursor &c) {
        if (!descending)
                return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, c.value + std::string(1, '\0'));
        return Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, c.value),
                             Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, c.value));
}

/* Whether sort key v sorts at or before the cursor's. */
static bool at_or_before(const std::string &v, bool descending, const struct cursor &c) {
        return descending ? v >= c.value : v <= c.value;
}

/* The record of a DOI group that stands for its object: the first of its
 * matching records in the page order (doi_term's records of query, the
 * query sorted as the enquire e is set up). */
static bool group_first(Xapian::Enquire &e, const Xapian::Query &query, const std::string &doi_term,
                        Xapian::Document *ret) {
        e.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(doi_term)));
        const Xapian::MSet m = e.get_mset(0, 1);
        if (m.empty())
                return false;
        *ret = m.begin().get_document();
        return true;
}

/* The DOI term of doc when its DOI is shared by another record (then
 * collapsing may hide doc), else "". */
static std::string shared_doi_term(Xapian::Database &db, const Xapian::Document &doc) {
        const std::string term = schema_doi_term(doc.get_value(SLOT_DOI));
        if (term.empty() || db.get_termfreq(term) < 2)
                return "";
        return term;
}

/* The DOI groups whose first record a relevance page looked up; cleared
 * when full (the answers are only recomputed). */
#define GROUP_CACHE_MAX 4096

/* A record's place in the relevance order of one database: weight
 * descending, then docid ascending (Xapian's own order, which reads no
 * value). */
struct ranked {
        double weight;
        Xapian::docid docid;
};

/* Whether a comes before b in the relevance order. */
static bool ranks_before(const struct ranked &a, const struct ranked &b) {
        return a.weight != b.weight ? a.weight > b.weight : a.docid < b.docid;
}

/* Sees the whole match under relevance and keeps the first want records
 * after the cursor that stand for their object (see the top of this file):
 * a heap of at most want records, worst on top, and a group cache.  A
 * MatchSpy of our own over one local database, whose docids are the
 * matcher's (over several shards a spy sees each shard's own docids, and
 * over remote ones xapian-tcpsrv runs only its built-in spies: pages there
 * start at the cursor's position). */
class AfterWeight : public Xapian::MatchSpy {
public:
        AfterWeight(Xapian::Database &d, const Xapian::Query &q, const struct cursor &c, size_t n)
                : db(d), query(q), group(d), after{ c.weight, c.docid }, want(n) {
        }

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
                        Xapian::Document f;
                        it = first.emplace(term, group_first(group, query, term, &f) ? f.get_docid() : 0).first;
                }
                return it->second == doc.get_docid();
        }

        Xapian::Database &db;
        const Xapian::Query &query;
        Xapian::Enquire group;
        struct ranked after;
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
                ids.emplace_back(schema_id_term(db.get_document(r.docid, Xapian::DOC_ASSUME_VALID).get_value(SLOT_ID)));
        Xapian::Enquire e(db);
        e.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query,
                                  Xapian::Query(Xapian::Query::OP_OR, ids.begin(), ids.end())));
        return e.get_mset(0, (Xapian::doccount)picked.size());
}

/* A date or FAIR page after the cursor: the query restricted to the
 * records after it (after_value, built-in value ranges), collapsed, less
 * the objects whose first record came at or before the cursor (they were
 * shown on an earlier page): those are skipped here, fetching more until
 * want records remain or the match ends.  Fills items from page. */
static void after_key_page(Xapian::Database &db, const Xapian::Query &query, page_order &order, bool collapse,
                           const struct cursor &cur, unsigned want, Xapian::MSet *page,
                           std::vector<Xapian::MSetIterator> *items) {
        Xapian::Enquire next(db);
        next.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query, after_value(order.slot, order.descending, cur)));
        if (collapse)
                next.set_collapse_key(SLOT_COLLAPSE);
        order.apply(next, nullptr);
        Xapian::Enquire group(db);
        group.set_weighting_scheme(Xapian::BoolWeight());
        order.apply(group, nullptr);
        std::map<std::string, bool> shown;

        for (unsigned ask = want + 4;; ask *= 2) {
                *page = next.get_mset(0, ask);
                items->clear();
                for (Xapian::MSetIterator m = page->begin(); m != page->end() && items->size() < want; ++m) {
                        const Xapian::Document doc = m.get_document();
                        const std::string term = collapse ? shared_doi_term(db, doc) : std::string();
                        if (!term.empty()) {
                                auto it = shown.find(term);
                                if (it == shown.end()) {
                                        Xapian::Document f;
                                        const bool first = group_first(group, query, term, &f);
                                        it = shown.emplace(term, first && at_or_before(f.get_value(order.slot),
                                                                                      order.descending, cur))
                                                     .first;
                                }
                                if (it->second)
                                        continue;
                        }
                        items->push_back(m);
                }
                if (items->size() >= want || page->size() < ask)
                        return;
        }
}

/* The counts of the spies, from Xapian's built-in ValueCountMatchSpy, for
 * matches over remote shards: one per facet, over the facet's slot (lists
 * counted by the whole list and split here), or one per pair of facets
 * asked for together, over their pair's slot (SLOT_PAIR_*), split here.
 * A spy costs the shard servers a slot read and a count per record
 * matched, the most of a faceted search there: a pair halves it for its
 * two facets.  Records written before the pairs lack them: when a pair
 * spy counted fewer values than records (whole), the pass runs again
 * with a spy per facet, and the shards are remembered as lacking them
 * (pairs_key), so that later searches count with a spy per facet at once
 * instead of running two passes (lacking_pairs). */
struct builtin_facets {
        /* A spy over slot, counting for facet a, or for a and b (a pair). */
        struct counter {
                std::unique_ptr<Xapian::ValueCountMatchSpy> spy;
                FacetSpy *a, *b;
                unsigned slot;
        };
        std::vector<counter> spies;

        void add(Xapian::Enquire &e, const std::vector<std::unique_ptr<FacetSpy>> &facets, bool pairs) {
                static const struct {
                        unsigned slot;
                        enum fd_search_field a, b;
                } pair_slots[] = { { SLOT_PAIR_SOURCE_TYPE, FD_FIELD_SOURCE, FD_FIELD_TYPE },
                                   { SLOT_PAIR_FAIR_YEAR, FD_FIELD_FAIR, FD_FIELD_YEAR } };
                std::vector<bool> paired(facets.size(), false);
                for (const auto &p : pair_slots) {
                        size_t ka = facets.size(), kb = facets.size();
                        for (size_t k = 0; k < facets.size() && pairs; k++) {
                                ka = facets[k]->field == p.a ? k : ka;
                                kb = facets[k]->field == p.b ? k : kb;
                        }
                        if (ka == facets.size() || kb == facets.size())
                                continue;
                        paired[ka] = paired[kb] = true;
                        spies.push_back({ nullptr, facets[ka].get(), facets[kb].get(), p.slot });
                }
                for (size_t k = 0; k < facets.size(); k++)
                        if (!paired[k])
                                spies.push_back({ nullptr, facets[k].get(), nullptr, facets[k]->slot() });
                for (counter &c : spies) {
                        c.spy.reset(new Xapian::ValueCountMatchSpy(c.slot));
                        e.add_matchspy(c.spy.get());
                }
        }

        void collect() const {
                std::string first, second;
                for (const counter &c : spies)
                        for (Xapian::TermIterator t = c.spy->values_begin(); t != c.spy->values_end(); ++t) {
                                const Xapian::doccount n = t.get_termfreq();
                                if (!c.b) {
                                        c.a->add(*t, n);
                                        continue;
                                }
                                schema_pair_unpack(c.slot, *t, &first, &second);
                                if (!first.empty())
                                        c.a->add_value(first, n);
                                c.b->add(second, n);
                        }
        }

        /* The records the matcher looked at (each spy sees them all). */
        Xapian::doccount seen() const {
                return spies.empty() ? 0 : spies[0].spy->get_total();
        }

        /* Whether every record seen had the pairs counted (a pair value
         * is never empty, and the spy counts only values). */
        bool whole() const {
                for (const counter &c : spies) {
                        if (!c.b)
                                continue;
                        Xapian::doccount n = 0;
                        for (Xapian::TermIterator t = c.spy->values_begin(); t != c.spy->values_end(); ++t)
                                n += t.get_termfreq();
                        if (n != c.spy->get_total())
                                return false;
                }
                return true;
        }
};

/* What remote shards hold, as far as their connections tell without a
 * round trip (the remote backend gives no revision): each one's UUID,
 * document count and last docid.  A rewrite in place changes none of
 * them, so a key can outlive what it named; pairs_lacking is therefore a
 * hint, which a pass that tries the pairs checks (whole). */
static std::string pairs_key(const struct index_view &view) {
        std::string id;
        for (const Xapian::Database &part : view.parts)
                id += part.get_uuid() + "/" + std::to_string(part.get_doccount()) + "/" +
                      std::to_string(part.get_lastdocid()) + ";";
        return id;
}

/* The last remote shards (pairs_key) whose records lacked the facet
 * pairs: an index written before them. */
static std::mutex pairs_lock;
static std::string pairs_lacking;

static bool lacking_pairs(const std::string &key) {
        std::lock_guard<std::mutex> hold(pairs_lock);
        return key == pairs_lacking;
}

static void lacks_pairs(const std::string &key) {
        std::lock_guard<std::mutex> hold(pairs_lock);
        pairs_lacking = key;
}

/* Runs query with the request's filters, sort, facets and page. */
static struct fd_search_result *run(const struct index_view &view, const Xapian::Query &user, const Xapian::Stem &stem,
                                    const struct fd_search_request *opts, bool spelling, bool paging,
                                    answer_arena &out) {
        Xapian::Database db = view.db;
        unsigned limit = opts->limit == 0 ? DEFAULT_LIMIT : std::min(opts->limit, (unsigned)FD_INDEX_MAX_LIMIT);
        unsigned facet_limit = opts->facet_limit == 0 ? DEFAULT_FACET_LIMIT
                                                      : std::min(opts->facet_limit, (unsigned)FD_INDEX_MAX_FACET_LIMIT);
        bool any_filter;
        Xapian::Query filter = filters_query(opts, view.builtins_only, &any_filter);
        std::vector<std::unique_ptr<FacetSpy>> spies = facet_spies(opts);
        /* One local database: its docids are the matcher's (over several,
         * a spy sees each shard's own). */
        const bool one_local = view.parts.size() == 1 && !view.builtins_only;
        /* Locally, the facets with a column in every shard are counted
         * from the columns (ColumnSpy), the others by their spies. */
        std::vector<std::vector<std::shared_ptr<const facet_column>>> cols(spies.size());
        std::vector<bool> by_column(spies.size(), false);
        bool any_by_column = false;
        for (size_t k = 0; k < spies.size() && !view.builtins_only; k++) {
                cols[k] = columns_of(view, spies[k]->field);
                by_column[k] = !cols[k].empty();
                any_by_column = any_by_column || by_column[k];
        }
        if (one_local)
                for (size_t k = 0; k < spies.size(); k++)
                        if (!by_column[k])
                                spies[k]->stream(view.db);
        Xapian::Query query = user;
        Xapian::doccount check;
        unsigned offset = opts->offset;
        struct cursor cur = {};

        if (any_filter)
                query = Xapian::Query(Xapian::Query::OP_FILTER, user, filter);
        const unsigned char code = sort_code(opts);
        const uint32_t hash = paging ? query_hash(query) : 0;
        if (opts->collapse == FD_COLLAPSE_VERSION && opts->cursor)
                throw invalid_request("'cursor' and \"collapse\":\"version\" cannot be used together");
        if (opts->sort == FD_SORT_NEAR && opts->cursor)
                throw invalid_request("'cursor' and \"sort\":\"near\" cannot be used together");
        if (opts->cursor) {
                if (opts->offset)
                        throw invalid_request("'cursor' and 'offset' cannot be used together");
                cur = cursor_decode(opts->cursor, code, hash);
        }
        /* A cursor page: a date or fair one comes from a second match, a
         * relevance one on one local database from AfterWeight over the
         * whole match (docids are the matcher's there), over shards from
         * its position. */
        const bool by_key = opts->cursor && opts->sort != FD_SORT_RELEVANCE;
        const bool by_weight = opts->cursor && opts->sort == FD_SORT_RELEVANCE && one_local;
        const bool by_position = opts->cursor && opts->sort == FD_SORT_RELEVANCE && !one_local;

        /* Collapsing reads a value per candidate; while no two records share
         * a DOI it changes nothing (index_view::collapse_doi). */
        const bool versions = opts->collapse == FD_COLLAPSE_VERSION;
        const bool collapse = !versions && view.collapse_doi;
        Xapian::Enquire enquire(db);
        enquire.set_query(query);
        if (collapse)
                enquire.set_collapse_key(SLOT_COLLAPSE);
        else if (versions)
                enquire.set_collapse_key(SLOT_WORK);
        page_order order(opts);
        /* Nearest first, records without a place last; Xapian's great
         * circle distance to the nearest of a record's points. */
        const Xapian::LatLongCoord centre(opts->near_lat, opts->near_lon);
        NearKey near_id(centre);
        if (opts->sort == FD_SORT_NEAR && view.builtins_only)
                throw invalid_request("\"sort\":\"near\" cannot be answered over remote shards (docs/protocol.md)");
        /* Over remote shards each hit's document is a round trip of its
         * own (Xapian 1.4 fetches them one by one, some 10 kB each), which
         * a loaded machine makes milliseconds: a weighted relevance match
         * there breaks ties by SLOT_HIT, and its MSet hands each hit's
         * SLOT_HIT over as the sort key.  The shard servers then read that
         * value for each candidate above the weight that enters the page
         * (what ties by id cost); a blank query keeps Xapian's order, which
         * lets each server stop early. */
        const bool hit_keys = view.builtins_only && opts->sort == FD_SORT_RELEVANCE &&
                              user.serialise() != index_match_all().serialise();
        order.apply(enquire, &near_id, hit_keys);
        SeenSpy seen;
        builtin_facets counted;
        ObjectsSpy objects(view);
        ColumnSpy columns(cols, 0);
        /* With facets, locally with collapsing and over remote shards, the
         * facets come from a pass of their own (split): boolean (no
         * weights) and not collapsed, while the main match collapses only
         * what it needs for the page and stops early.  Collapsing the
         * whole match (Xapian keeps every key it meets, with its best
         * records) cost more than the facets: over 2 remote shards of
         * 949,707 records a search with four facets took 6.6 times one
         * without, 2.4 times split.  Locally the pass counts the objects
         * too (ObjectsSpy), so the total stays exact; over remote shards,
         * where no spy of ours runs, a collapsed total is the main
         * match's, exact or estimated as without facets. */
        const bool split = !spies.empty() && (collapse || view.builtins_only);
        Xapian::Enquire facet_pass(db);
        Xapian::Enquire &spied = split ? facet_pass : enquire;
        if (split) {
                facet_pass.set_query(query);
                facet_pass.set_weighting_scheme(Xapian::BoolWeight());
        }
        const std::string remote_key = view.builtins_only && split ? pairs_key(view) : std::string();
        if (view.builtins_only) {
                counted.add(facet_pass, spies, !lacking_pairs(remote_key));
        } else {
                if (split) {
                        facet_pass.add_matchspy(&objects);
                        objects.part(0);
                }
                spied.add_matchspy(&seen);
                for (size_t k = 0; k < spies.size(); k++)
                        if (!by_column[k])
                                spied.add_matchspy(spies[k].get());
                if (any_by_column && one_local)
                        spied.add_matchspy(&columns);
        }
        /* One hit more than the page tells whether there is a next one. */
        const unsigned want = limit + (paging ? 1 : 0);
        const Xapian::doccount check_all = check_whole(db);
        check = spies.empty() || split ? std::max((Xapian::doccount)FD_INDEX_EXACT_TOTAL, offset + want)
                                       : check_all;
        /* AfterWeight rides on the main match when that has to see every
         * record anyway and keeps no collapse table beyond facets' bound;
         * else it gets a pass of its own without collapsing. */
        std::unique_ptr<AfterWeight> after;
        const Xapian::doccount everything = db.get_doccount() + 1;
        const bool after_alone = split || (collapse && (spies.empty() || everything > FD_INDEX_FACET_SCAN + 1));
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
        /* Over local shards the split pass is one per shard (below). */
        const bool per_part = split && !view.builtins_only && view.parts.size() > 1;
        Xapian::MSet counted_mset = split && !per_part ? facet_pass.get_mset(0, 0, check_all) : mset;
        if (view.builtins_only && !counted.whole()) {
                lacks_pairs(remote_key);
                facet_pass.clear_matchspies();
                counted = builtin_facets();
                counted.add(facet_pass, spies, false);
                counted_mset = facet_pass.get_mset(0, 0, check_all);
        }
        Xapian::doccount counted_upper = counted_mset.get_uncollapsed_matches_upper_bound();
        /* The built-in spies' counts, from the facet pass: Xapian adds what
         * the remote shards counted to what they hold. */
        if (view.builtins_only)
                counted.collect();
        if (any_by_column && one_local) {
                columns.add_to(spies);
        } else if (any_by_column || per_part) {
                /* Over local shards a spy sees each shard's own docids:
                 * a boolean pass over each shard (no weights: only which
                 * records match) counts its columns, and when split,
                 * carries the other spies too. */
                if (per_part)
                        counted_upper = 0;
                for (size_t i = 0; i < view.parts.size(); i++) {
                        const Xapian::Database &part = view.parts[i];
                        Xapian::Enquire pass(part);
                        ColumnSpy part_columns(cols, i);
                        pass.set_query(query);
                        pass.set_weighting_scheme(Xapian::BoolWeight());
                        if (any_by_column)
                                pass.add_matchspy(&part_columns);
                        if (per_part) {
                                objects.part(i);
                                pass.add_matchspy(&seen);
                                pass.add_matchspy(&objects);
                                for (size_t k = 0; k < spies.size(); k++)
                                        if (!by_column[k])
                                                pass.add_matchspy(spies[k].get());
                        }
                        const Xapian::MSet m = pass.get_mset(0, 0, check_whole(part));
                        if (per_part)
                                counted_upper += m.get_uncollapsed_matches_upper_bound();
                        part_columns.add_to(spies);
                }
        }
        const Xapian::doccount n_seen = view.builtins_only ? counted.seen() : seen.seen;
        Xapian::MSet page = mset;
        std::vector<Xapian::MSetIterator> items;
        std::vector<struct ranked> picked;
        if (by_key) {
                after_key_page(db, query, order, collapse, cur, want, &page, &items);
        } else if (by_position) {
                /* The total and facets as on the first page, the hits from
                 * the cursor's position. */
                enquire.clear_matchspies();
                page = enquire.get_mset(cur.position, want);
                for (Xapian::MSetIterator m = page.begin(); m != page.end(); ++m)
                        items.push_back(m);
        } else if (by_weight) {
                if (after_alone) {
                        Xapian::Enquire pass(db);
                        pass.set_query(query);
                        pass.add_matchspy(after.get());
                        pass.get_mset(0, 0, everything);
                }
                picked = after->sorted();
                page = picked_mset(db, query, picked);
                /* In AfterWeight's order: the MSet has the same records, and
                 * the same order unless weights differ in their last bit. */
                std::unordered_map<Xapian::docid, Xapian::doccount> at;
                for (Xapian::MSetIterator m = page.begin(); m != page.end(); ++m)
                        at.emplace(*m, m.get_rank());
                for (const struct ranked &r : picked) {
                        auto it = at.find(r.docid);
                        if (it != at.end())
                                items.push_back(page[it->second]);
                }
        } else {
                for (Xapian::MSetIterator m = page.begin(); m != page.end(); ++m)
                        items.push_back(m);
        }

        struct fd_search_result *res = out.make<struct fd_search_result>();
        /* The total.  Over remote shards a collapsed one (by DOI or
         * version), and any without facets, is the main match's: every
         * shard saw all it holds when the whole match is smaller than what
         * each was asked to check.  Else the spies saw every record that
         * could match when they saw fewer than they were asked to check,
         * or as many as could match at all (over shards Xapian does not
         * stop a boolean match early), and counted it (records, or objects
         * when split). */
        const bool main_total = view.builtins_only && (spies.empty() || collapse || versions);
        const bool all_seen = main_total ? mset.get_uncollapsed_matches_upper_bound() < check
                                         : n_seen < (split ? check_all : check) || n_seen >= counted_upper;
        Xapian::doccount seen_total = mset.get_matches_lower_bound();
        if (main_total && collapse && all_seen) {
                /* Each remote shard collapses what it holds; the objects of
                 * the whole (small) match are counted here. */
                seen_total = enquire.get_mset(0, check).size();
        } else if (split && !main_total) {
                seen_total = view.builtins_only ? n_seen : objects.objects();
        }
        res->total = all_seen ? seen_total : mset.get_matches_estimated();
        res->total_exact = all_seen || mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
        res->snippets = opts->snippets && !blank(opts->q);
        res->versions = versions;
        std::unique_ptr<struct fd_arena, void (*)(struct fd_arena *)> scratch(
                res->snippets ? fd_arena_new(FD_INDEX_SCRATCH_MAX) : nullptr, fd_arena_free);
        if (res->snippets && !scratch)
                throw std::bad_alloc();
        const struct hit_ctx hc = { db, page, stem, out, opts->record_json, res->snippets, opts->cursor != nullptr,
                                    cur.scale, collapse || versions, scratch.get(), versions, query, hit_keys };
        struct fd_search_hit *hits = static_cast<struct fd_search_hit *>(out.alloc(sizeof *hits * limit));
        size_t n_hits = 0;
        for (; n_hits < items.size() && n_hits < limit; n_hits++)
                hits[n_hits] = make_hit(hc, items[n_hits]);
        const bool more = by_weight ? picked.size() > limit : items.size() > limit;
        res->hits = hits;
        res->n_hits = n_hits;
        if (paging && more && n_hits > 0 && !versions && opts->sort != FD_SORT_NEAR) {
                const Xapian::MSetIterator &last = items[n_hits - 1];
                struct cursor next = {};
                next.sort = code;
                next.hash = hash;
                next.weight = by_weight ? picked[n_hits - 1].weight : last.get_weight();
                next.docid = *last;
                next.position = (opts->cursor ? cur.position : offset) + (uint32_t)n_hits;
                if (order.slot)
                        next.value = last.get_sort_key();
                next.scale = opts->cursor ? cur.scale : scale_of(page);
                if (next.value.size() <= CURSOR_VALUE_MAX)
                        res->next_cursor = out.str(cursor_encode(next));
        }
        if (!spies.empty()) {
                std::vector<struct fd_search_facet> facets;
                for (auto &spy : spies) {
                        spy->flush();
                        facets.push_back(spy->result(facet_limit, out));
                }
                res->facets = out.array(facets);
                res->n_facets = facets.size();
        }
        if (spelling && res->total < SPELLING_HITS) {
                std::string corrected;
                parse(db, opts->q, stem, true, Xapian::QueryParser::FLAG_SPELLING_CORRECTION, &corrected);
                if (!corrected.empty() && corrected != opts->q)
                        res->did_you_mean = out.str(corrected);
        }
        return res;
}

struct fd_search_result *search_run(const struct index_view &view, const struct fd_search_request *req,
                                    answer_arena &out) {
        Xapian::Database db = view.db;
        Xapian::Stem stem;
        Xapian::Query user = user_query(db, req, &stem);

        return run(view, user, stem, req, !blank(req->q), true, out);
}

/* ---- suggest and similar ------------------------------------------------ */

static std::string utf8_lower(const std::string &s) {
        std::string out;

        for (Xapian::Utf8Iterator it(s), end; it != end; ++it)
                Xapian::Unicode::append_utf8(out, Xapian::Unicode::tolower(*it));
        return out;
}

struct fd_search_result *search_suggest(Xapian::Database &db, const char *prefix, unsigned limit,
                                        answer_arena &out) {
        const std::string input = prefix ? prefix : "";
        size_t cut = input.find_last_of(" \t");
        const std::string head = cut == std::string::npos ? "" : input.substr(0, cut + 1);
        const std::string word = utf8_lower(cut == std::string::npos ? input : input.substr(cut + 1));
        std::vector<std::pair<Xapian::doccount, std::string>> found;
        std::vector<struct fd_index_count> list;
        struct fd_search_result *res = out.make<struct fd_search_result>();

        if (word.empty())
                return res;
        const std::string tprefix = FD_COMPLETION_PREFIX + word;
        size_t n = 0;
        for (Xapian::TermIterator t = db.allterms_begin(tprefix); t != db.allterms_end(tprefix) && n < SUGGEST_SCAN;
             ++t, n++)
                found.emplace_back(t.get_termfreq(), (*t).substr(strlen(FD_COMPLETION_PREFIX)));
        std::sort(found.begin(), found.end(), [](const auto &a, const auto &b) {
                return a.first != b.first ? a.first > b.first : a.second < b.second;
        });
        for (size_t i = 0; i < found.size() && i < limit; i++)
                list.push_back({ out.str(head + found[i].second), found[i].first, nullptr });
        res->suggestions = out.array(list);
        res->n_suggestions = list.size();
        return res;
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

struct fd_search_result *search_similar(const struct index_view &view, const char *id, unsigned limit,
                                        answer_arena &out) {
        Xapian::Database db = view.db;
        const std::string idterm = schema_id_term(id);
        const Xapian::docid d = schema_find(db, idterm);
        struct fd_search_request req = {};
        TextTerms decider;

        if (!d)
                return nullptr;
        Xapian::RSet rset;
        rset.add_document(d);
        Xapian::Enquire enquire(db);
        /* Exact term frequencies: over shards Xapian otherwise scales the
         * frequency in the record's own shard, and picks other terms than
         * one database would. */
        const Xapian::ESet eset = enquire.get_eset(SIMILAR_TERMS, rset, Xapian::Enquire::USE_EXACT_TERMFREQ, &decider);
        Xapian::Query like(Xapian::Query::OP_OR, eset.begin(), eset.end());
        /* The record itself, and the other records of its object, are not
         * "similar records". */
        Xapian::Query self(idterm);
        const std::string doi_term = schema_doi_term(db.get_document(d).get_value(SLOT_DOI));
        if (!doi_term.empty())
                self = Xapian::Query(Xapian::Query::OP_OR, self, Xapian::Query(doi_term));
        req.limit = limit;
        return run(view, Xapian::Query(Xapian::Query::OP_AND_NOT, like, self), Xapian::Stem("english"), &req, false,
                   false, out);
}
