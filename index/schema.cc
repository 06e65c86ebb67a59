/* schema.cc: how a record becomes a Xapian document, in one table.
 *
 * Every term prefix and query-parser field name is in `schema` below (as
 * notmuch keeps them in lib/prefix.cc), so the indexer and the query
 * parser cannot drift apart.  Free text is indexed twice, with its prefix
 * for fielded search and without for plain queries; filters are boolean
 * terms built the way Xapian's query parser builds them, so "type:Dataset"
 * finds what was indexed from "Dataset".  Value slots hold what searches
 * sort, collapse or facet on.  The schema version lives in the database
 * metadata (FD_SCHEMA_KEY) and shim.cc refuses an index of another one.
 */
#include <cinttypes>
#include <cstdio>
#include <algorithm>
#include <atomic>
#include <cstring>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <xapian.h>

#include "index-private.hh"

/* Indexed by enum schema_field. */
static constexpr struct schema_entry schema[FIELD_COUNT] = {
        { FIELD_ID, "id", "Q", KIND_UNIQUE },
        { FIELD_TITLE, "title", "S", KIND_TEXT },
        { FIELD_DESCRIPTION, "description", "XD", KIND_TEXT },
        { FIELD_CREATOR, "creator", "A", KIND_TEXT },
        { FIELD_SUBJECT, "subject", "K", KIND_TEXT },
        { FIELD_PUBLISHER, "publisher", "XP", KIND_TEXT },
        { FIELD_SOURCE, "source", "XS", KIND_BOOLEAN },
        { FIELD_TYPE, "type", "XT", KIND_BOOLEAN },
        { FIELD_LANG, "lang", "L", KIND_BOOLEAN },
        { FIELD_LICENSE, "license", "XL", KIND_BOOLEAN },
        { FIELD_ACCESS, "access", "XA", KIND_BOOLEAN },
        { FIELD_DOI, "doi", "XDOI", KIND_BOOLEAN },
        { FIELD_YEAR, "year", "Y", KIND_BOOLEAN },
        { FIELD_IDENTIFIER, "identifier", "XI", KIND_BOOLEAN },
        /* Written by fd_index_fair_terms (fair.cc: "XF:R1.1-license:fail"),
         * searched here: "indicator:R1.1-license:fail". */
        { FIELD_INDICATOR, "indicator", "XF:", KIND_BOOLEAN },
        { FIELD_ORCID, "orcid", "XORCID", KIND_BOOLEAN },
        { FIELD_ROR, "ror", "XROR", KIND_BOOLEAN },
        { FIELD_FUNDER, "funder", "XFUNDER", KIND_BOOLEAN },
        { FIELD_AWARD, "award", "XAWARD", KIND_BOOLEAN },
        { FIELD_RELATED, "related", "XREL", KIND_BOOLEAN },
        { FIELD_DISCIPLINE, "discipline", "XFOS", KIND_BOOLEAN },
};

/* How much of an over-long record id its unique term keeps. */
#define ID_TERM_KEEP 200
/* The most terms one wildcard expands to (the most frequent ones). */
#define WILDCARD_MAX 1000
/* A list slot keeps at most this many values of at most this many bytes. */
#define FACET_LIST_MAX 32
#define FACET_VALUE_MAX 200
/* Longer words get no completion term. */
#define COMPLETION_WORD_MAX 64
/* A record's relations kept in SLOT_RELATED (the `related` op's out
 * links, versions, related:PID's other direction). */
#define RELATED_MAX 512
/* related:PID reads the relations of at most this many records holding PID. */
#define RELATED_HOLDERS_MAX 64

static constexpr bool schema_in_order() {
        for (int f = 0; f < FIELD_COUNT; f++)
                if (schema[f].field != f)
                        return false;
        return true;
}
static_assert(schema_in_order(), "schema[] must list the fields in enum order");

std::string schema_term(enum schema_field f, const std::string &value) {
        const std::string prefix = schema[f].prefix;
        std::string term = prefix;

        /* Xapian 1.4's query parser tests the first byte, ASCII only, and
         * adds no ':' after a prefix that ends with one. */
        if (prefix.size() > 1 && prefix.back() != ':' && !value.empty() &&
            ((value[0] >= 'A' && value[0] <= 'Z') || value[0] == ':'))
                term += ':';
        term += value;
        if (term.size() > FD_TERM_MAX)
                return std::string();
        return term;
}

std::string schema_doi_term(const std::string &doi) {
        return doi.empty() ? doi : schema_term(FIELD_DOI, doi);
}

std::string schema_id_term(const std::string &id) {
        std::string term = schema[FIELD_ID].prefix;
        char hash[24];

        if (term.size() + id.size() <= FD_TERM_MAX)
                return term + id;
        snprintf(hash, sizeof hash, "#%016" PRIx64, fd_hash(id.data(), id.size()));
        return term + id.substr(0, ID_TERM_KEEP) + hash;
}

Xapian::docid schema_find(const Xapian::Database &db, const std::string &id_term) {
        Xapian::PostingIterator p = db.postlist_begin(id_term);

        return p == db.postlist_end(id_term) ? 0 : *p;
}

/* The Snowball stemmers of the languages of the European research area
 * that Xapian 1.4 ships (no Greek, Polish, Czech or Estonian there: text in
 * those is indexed unstemmed only).  Keyed by ISO 639-1 code. */
static const char *const stem_languages[][2] = {
        { "ca", "catalan" },   { "da", "danish" },     { "de", "german" },  { "en", "english" },
        { "es", "spanish" },   { "eu", "basque" },     { "fi", "finnish" }, { "fr", "french" },
        { "ga", "irish" },     { "hu", "hungarian" },  { "it", "italian" }, { "lt", "lithuanian" },
        { "nb", "norwegian" }, { "nl", "dutch" },      { "nn", "norwegian" }, { "no", "norwegian" },
        { "pt", "portuguese" }, { "ro", "romanian" },  { "sv", "swedish" },
};

const char *schema_stem_language(const char *lang) {
        char primary[4];
        size_t n = 0;

        if (!lang || !*lang)
                return nullptr;
        for (; lang[n] && lang[n] != '-' && lang[n] != '_'; n++) {
                if (n >= 3)
                        return nullptr;
                primary[n] = (char)(lang[n] >= 'A' && lang[n] <= 'Z' ? lang[n] - 'A' + 'a' : lang[n]);
        }
        primary[n] = '\0';
        for (const auto &l : stem_languages)
                if (strcmp(l[0], primary) == 0)
                        return l[1];
        return nullptr;
}

Xapian::Stem schema_stemmer(const char *lang) {
        const char *name = schema_stem_language(lang);

        if (!lang || !*lang)
                return Xapian::Stem("english");
        if (!name)
                return Xapian::Stem();
        return Xapian::Stem(name);
}

/* A stemmer that remembers its answers: a record's text goes through the
 * stemmer twice (the prefixed and the plain copy), and a corpus repeats
 * its words.  Each indexing thread has its own stemmers and one table of
 * answers for all of them (keyed by the stemmer's tag byte and the word),
 * so nothing is shared and the memory is bounded per thread whatever the
 * number of languages: the table forgets everything when full. */
#define STEM_CACHE_MAX 50000

static thread_local std::unordered_map<std::string, std::string> stems_known;

class CachedStem : public Xapian::StemImplementation {
public:
        CachedStem(const Xapian::Stem &s, char tag) : stem(s), tag(tag) {}

        std::string operator()(const std::string &word) override {
                std::string key(1, tag);
                key += word;
                auto it = stems_known.find(key);
                if (it != stems_known.end())
                        return it->second;
                if (stems_known.size() >= STEM_CACHE_MAX)
                        stems_known.clear();
                return stems_known.emplace(std::move(key), stem(word)).first->second;
        }
        std::string get_description() const override {
                return stem.get_description();
        }

private:
        Xapian::Stem stem;
        char tag;
};

/* schema_stemmer(lang) with a cache, this thread's. */
static Xapian::Stem indexing_stemmer(const char *lang) {
        thread_local std::unordered_map<std::string, Xapian::Stem> stemmers;
        const char *name = lang && *lang ? schema_stem_language(lang) : "english";
        const std::string key = name ? name : "";
        auto it = stemmers.find(key);

        if (it == stemmers.end()) {
                const Xapian::Stem plain = schema_stemmer(lang);
                const char tag = (char)stemmers.size(); /* Xapian has fewer than 256 stemmers */
                it = stemmers.emplace(key, name ? Xapian::Stem(new CachedStem(plain, tag)) : plain).first;
        }
        return it->second;
}

static std::string ascii_lower(const char *s) {
        std::string out = s;

        for (char &c : out)
                if (c >= 'A' && c <= 'Z')
                        c = (char)(c - 'A' + 'a');
        return out;
}

static bool present(const char *s) {
        return s && *s;
}

static std::string pid_of(const char *value, enum fd_pid_scheme hint, enum fd_pid_scheme want) {
        char norm[1024];

        if (fd_pid_normalize(value, hint, norm, sizeof norm) == want)
                return norm;
        return std::string();
}

static bool all_digits(const std::string &s) {
        return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

/* value trimmed, inner white space collapsed, lowercased (ASCII). */
static std::string folded(const char *value) {
        std::string out;

        for (const char *p = value; *p; p++) {
                const bool space = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';
                if (space && (out.empty() || out.back() == ' '))
                        continue;
                out += space ? ' ' : (*p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p);
        }
        if (!out.empty() && out.back() == ' ')
                out.pop_back();
        return out;
}

std::string schema_link_value(enum schema_field f, const char *value) {
        char norm[1024];
        enum fd_pid_scheme s;

        if (!present(value))
                return std::string();
        switch (f) {
        case FIELD_ORCID:
                return pid_of(value, FD_PID_ORCID, FD_PID_ORCID);
        case FIELD_ROR:
                return pid_of(value, FD_PID_ROR, FD_PID_ROR);
        case FIELD_FUNDER: {
                const std::string v = folded(value);
                if (all_digits(v))
                        return "10.13039/" + v;
                s = fd_pid_normalize(value, FD_PID_NONE, norm, sizeof norm);
                if (s == FD_PID_DOI || s == FD_PID_ROR)
                        return norm;
                const std::string ror = pid_of(value, FD_PID_ROR, FD_PID_ROR);
                return ror.empty() ? v : ror;
        }
        case FIELD_AWARD:
                return folded(value);
        case FIELD_DISCIPLINE: {
                const char *id = fd_fos_id(value);
                return id ? id : "";
        }
        case FIELD_RELATED:
                s = fd_pid_normalize(value, FD_PID_NONE, norm, sizeof norm);
                return s != FD_PID_NONE ? std::string(norm) : std::string(value);
        default:
                return value;
        }
}

static void add_filter(Xapian::Document &doc, enum schema_field f, const char *value) {
        std::string term;

        if (!present(value))
                return;
        term = schema_term(f, value);
        if (!term.empty())
                doc.add_boolean_term(term);
}

/* Free text with the stemmer of its language: STEM_SOME indexes every
 * word unstemmed and, Z-prefixed, stemmed, so a query in any language
 * still finds the exact word.  Descriptions are most of the text (their
 * two copies were 37 % of a record's terms, and indexing costs by the
 * term): their prefixed copy has the words as written only, without
 * stems or positions.  So description: takes words, matched as typed
 * (user_query always asks for them so), and phrases match descriptions
 * through the unprefixed terms. */
static void add_text(Xapian::TermGenerator &tg, enum schema_field f, const char *value, const char *lang) {
        if (!present(value))
                return;
        tg.set_stemmer(indexing_stemmer(lang));
        if (f == FIELD_DESCRIPTION) {
                tg.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
                tg.index_text_without_positions(value, 1, schema[f].prefix);
                tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
        } else {
                tg.index_text(value, 1, schema[f].prefix);
        }
        tg.increase_termpos();
        tg.index_text(value);
        tg.increase_termpos();
}

/* A facet slot holding a list: values joined by FD_FACET_SEP, bounded. */
class ValueList {
public:
        explicit ValueList(size_t max_values = FACET_LIST_MAX) : max(max_values) {}

        void add(const char *v) {
                if (!present(v) || n >= max || strchr(v, FD_FACET_SEP))
                        return;
                std::string s = v;
                if (s.size() > FACET_VALUE_MAX)
                        return;
                if (!seen.insert(s).second)
                        return;
                if (n++)
                        text += FD_FACET_SEP;
                text += s;
        }
        void store(Xapian::Document &doc, unsigned slot) const {
                if (n)
                        doc.add_value(slot, text);
        }

private:
        size_t max;
        std::string text;
        std::set<std::string> seen;
        size_t n = 0;
};

/* Completion terms for suggest: each word of v, lowercased (ASCII), under
 * the XC prefix; bounded in length like every term. */
static void add_completions(Xapian::Document &doc, const char *v) {
        if (!present(v))
                return;
        for (Xapian::Utf8Iterator it(v), end; it != end;) {
                std::string word;
                while (it != end && !Xapian::Unicode::is_wordchar(*it))
                        ++it;
                while (it != end && Xapian::Unicode::is_wordchar(*it)) {
                        Xapian::Unicode::append_utf8(word, Xapian::Unicode::tolower(*it));
                        ++it;
                }
                if (word.size() >= 2 && word.size() <= COMPLETION_WORD_MAX)
                        doc.add_boolean_term(std::string(FD_COMPLETION_PREFIX) + word);
        }
}

/* The language a record's text is stemmed in when the text has no tag of
 * its own: the record's first language, else English (NULL). */
static const char *text_lang(const char *tag, const struct fd_record *r) {
        if (present(tag))
                return tag;
        if (r->languages.n && present(r->languages.v[0]))
                return r->languages.v[0];
        return nullptr;
}

static void add_link(Xapian::Document &doc, enum schema_field f, const std::string &value) {
        if (!value.empty())
                add_filter(doc, f, value.c_str());
}

/* "<id>" FD_LABEL_SEP "<label>" into list (no id: nothing). */
static void add_labelled(ValueList &list, const std::string &id, const char *label) {
        if (id.empty())
                return;
        std::string v = id;
        v += FD_LABEL_SEP;
        if (present(label) && !strchr(label, FD_LABEL_SEP))
                v += label;
        list.add(v.c_str());
}

/* Schema 5 (issue 16): who (ORCID), where from (ROR), who paid (funder, award) and
 * what it relates to, as filter terms and the facet and relation slots. */
static void add_links(Xapian::Document &doc, const struct fd_record *r) {
        ValueList affiliations, funders, related(RELATED_MAX);
        const struct fd_agents *lists[] = { &r->creators, &r->contributors };

        for (const struct fd_agents *l : lists)
                for (size_t i = 0; i < l->n; i++) {
                        add_link(doc, FIELD_ORCID, schema_link_value(FIELD_ORCID, l->v[i].orcid));
                        const std::string ror = schema_link_value(FIELD_ROR, l->v[i].ror);
                        add_link(doc, FIELD_ROR, ror);
                        add_labelled(affiliations, ror, l->v[i].affiliation);
                }
        const std::string pub = schema_link_value(FIELD_ROR, r->publisher_id);
        add_link(doc, FIELD_ROR, pub);
        add_labelled(affiliations, pub, r->publisher);
        for (size_t i = 0; i < r->funding.n; i++) {
                const struct fd_funding &fu = r->funding.v[i];
                const std::string id = schema_link_value(FIELD_FUNDER, fu.funder_id);
                add_link(doc, FIELD_FUNDER, id);
                add_link(doc, FIELD_FUNDER, schema_link_value(FIELD_FUNDER, fu.funder));
                add_link(doc, FIELD_AWARD, schema_link_value(FIELD_AWARD, fu.award));
                if (present(fu.funder_id))
                        add_labelled(funders, id, fu.funder);
        }
        for (size_t i = 0; i < r->related.n; i++) {
                const std::string v = schema_link_value(FIELD_RELATED, r->related.v[i].value);
                add_link(doc, FIELD_RELATED, v);
                std::string entry = present(r->related.v[i].relation) ? r->related.v[i].relation : "";
                entry += FD_LABEL_SEP;
                related.add((entry + v).c_str());
        }
        const char *fos[FACET_LIST_MAX];
        ValueList disciplines;
        const size_t n_fos = fd_record_disciplines(r, fos, FACET_LIST_MAX);
        for (size_t i = 0; i < n_fos; i++) {
                add_filter(doc, FIELD_DISCIPLINE, fos[i]);
                const std::string major = std::string(fos[i]).substr(0, std::string(fos[i]).find('.'));
                add_filter(doc, FIELD_DISCIPLINE, major.c_str());
                add_labelled(disciplines, fos[i], fd_fos_label(fos[i]));
        }
        disciplines.store(doc, SLOT_DISCIPLINE);
        affiliations.store(doc, SLOT_AFFILIATION);
        funders.store(doc, SLOT_FUNDER);
        related.store(doc, SLOT_RELATED);
}

static void put_double(std::string &out, double d) {
        uint64_t bits;
        memcpy(&bits, &d, sizeof bits);
        for (int k = 7; k >= 0; k--)
                out += (char)(bits >> (8 * k) & 0xff);
}

std::vector<std::array<double, 4>> schema_geo_boxes(const std::string &v) {
        std::vector<std::array<double, 4>> out;

        for (size_t at = 0; at + 32 <= v.size(); at += 32) {
                std::array<double, 4> b;
                for (int i = 0; i < 4; i++) {
                        uint64_t bits = 0;
                        for (int k = 0; k < 8; k++)
                                bits = bits << 8 | (unsigned char)v[at + 8 * (size_t)i + (size_t)k];
                        memcpy(&b[(size_t)i], &bits, sizeof bits);
                }
                out.push_back(b);
        }
        return out;
}

/* A box's longitudes as one or two intervals (two when it crosses). */
static size_t lon_spans(const std::array<double, 4> &b, double ret[2][2]) {
        if (b[0] <= b[2]) {
                ret[0][0] = b[0];
                ret[0][1] = b[2];
                return 1;
        }
        ret[0][0] = b[0];
        ret[0][1] = 180;
        ret[1][0] = -180;
        ret[1][1] = b[2];
        return 2;
}

bool schema_boxes_meet(const std::array<double, 4> &a, const std::array<double, 4> &b) {
        double sa[2][2], sb[2][2];

        if (a[1] > b[3] || b[1] > a[3])
                return false;
        const size_t na = lon_spans(a, sa), nb = lon_spans(b, sb);
        for (size_t i = 0; i < na; i++)
                for (size_t j = 0; j < nb; j++)
                        if (sa[i][0] <= sb[j][1] && sb[j][0] <= sa[i][1])
                                return true;
        return false;
}

/* Schema 5 (issue 16): where (geo locations' boxes and points) and when (the
 * coverage dates: "coverage-start"/"coverage-end" as DCAT's dct:temporal
 * and DataCite's Collected or Coverage ranges are mapped, else single
 * Collected or Coverage dates) a record is about. */
static void add_extent(Xapian::Document &doc, const struct fd_record *r) {
        std::string boxes;
        Xapian::LatLongCoords points;
        size_t n = 0;

        for (size_t i = 0; i < r->geo_locations.n && n < FACET_LIST_MAX; i++) {
                const struct fd_geo &g = r->geo_locations.v[i];
                if (g.has_box) {
                        const double b[4] = { g.west, g.south, g.east, g.north };
                        for (double x : b)
                                put_double(boxes, x);
                        double lon = (g.west + g.east) / 2;
                        if (g.west > g.east)
                                lon = lon > 0 ? lon - 180 : lon + 180;
                        points.append(Xapian::LatLongCoord((g.south + g.north) / 2, lon));
                        n++;
                }
                if (g.has_point) {
                        const double b[4] = { g.lon, g.lat, g.lon, g.lat };
                        for (double x : b)
                                put_double(boxes, x);
                        points.append(Xapian::LatLongCoord(g.lat, g.lon));
                        n++;
                }
        }
        if (n) {
                doc.add_value(SLOT_GEO, boxes);
                doc.add_value(SLOT_GEO_POINTS, points.serialise());
        }

        /* the explicit ends if there are any, else the single dates */
        bool ends = false;
        for (size_t i = 0; i < r->dates.n; i++) {
                const char *t = r->dates.v[i].type;
                ends = ends || (t && (strcmp(t, "coverage-start") == 0 || strcmp(t, "coverage-end") == 0));
        }
        int from = -1, to = -1;
        for (size_t i = 0; i < r->dates.n; i++) {
                const char *t = r->dates.v[i].type;
                if (!t)
                        continue;
                const bool one = !ends && (strcmp(t, "collected") == 0 || strcmp(t, "coverage") == 0);
                const int lo = fd_date_day(r->dates.v[i].value, false), hi = fd_date_day(r->dates.v[i].value, true);
                if (lo < 0)
                        continue;
                if (one || (ends && strcmp(t, "coverage-start") == 0))
                        from = from < 0 ? lo : std::min(from, lo);
                if (one || (ends && strcmp(t, "coverage-end") == 0))
                        to = to < 0 ? hi : std::max(to, hi);
        }
        if (from < 0 && to < 0)
                return;
        /* an explicit start without an end (or the reverse) is open */
        doc.add_value(SLOT_TIME_FROM, Xapian::sortable_serialise(from < 0 ? FD_TIME_OPEN_START : from));
        doc.add_value(SLOT_TIME_TO, Xapian::sortable_serialise(to < 0 ? FD_TIME_OPEN_END : to));
}

/* fd_index_test_without_facet_pairs() was called. */
static std::atomic<bool> without_pairs{ false };

void fd_index_test_without_facet_pairs(void) noexcept {
        without_pairs.store(true);
}

Xapian::Document schema_document(const struct fd_record *r, const struct fd_fair_assessment *fair,
                                 const char *json) {
        Xapian::Document doc;
        Xapian::TermGenerator tg;
        ValueList licenses, langs, subjects;
        int year;

        add_links(doc, r);
        add_extent(doc, r);

        doc.set_data(json);
        if (r->raw && r->raw_len)
                doc.add_value(SLOT_RAW, std::string(static_cast<const char *>(r->raw), r->raw_len));
        doc.add_boolean_term(schema_id_term(r->id));
        doc.add_value(SLOT_ID, r->id);
        if (present(fd_record_title(r)))
                doc.add_value(SLOT_TITLE, fd_record_title(r));

        tg.set_document(doc);
        tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
        for (size_t i = 0; i < r->titles.n; i++) {
                add_text(tg, FIELD_TITLE, r->titles.v[i].value, text_lang(r->titles.v[i].lang, r));
                add_completions(doc, r->titles.v[i].value);
        }
        for (size_t i = 0; i < r->descriptions.n; i++)
                add_text(tg, FIELD_DESCRIPTION, r->descriptions.v[i].value, text_lang(r->descriptions.v[i].lang, r));
        for (size_t i = 0; i < r->creators.n; i++) {
                add_text(tg, FIELD_CREATOR, r->creators.v[i].name, NULL);
                add_completions(doc, r->creators.v[i].name);
        }
        for (size_t i = 0; i < r->subjects.n; i++) {
                add_text(tg, FIELD_SUBJECT, r->subjects.v[i].value, text_lang(NULL, r));
                add_completions(doc, r->subjects.v[i].value);
                subjects.add(r->subjects.v[i].value);
        }
        add_text(tg, FIELD_PUBLISHER, r->publisher, NULL);

        add_filter(doc, FIELD_SOURCE, r->source);
        if (present(r->source))
                doc.add_value(SLOT_SOURCE, r->source);
        add_filter(doc, FIELD_TYPE, r->resource_type);
        if (present(r->resource_type))
                doc.add_value(SLOT_TYPE, r->resource_type);
        for (size_t i = 0; i < r->languages.n; i++) {
                add_filter(doc, FIELD_LANG, r->languages.v[i]);
                langs.add(r->languages.v[i]);
        }
        for (size_t i = 0; i < r->licenses.n; i++) {
                add_filter(doc, FIELD_LICENSE, r->licenses.v[i].spdx);
                licenses.add(r->licenses.v[i].spdx);
        }
        add_filter(doc, FIELD_ACCESS, fd_access_name(r->access));
        if (present(fd_access_name(r->access)))
                doc.add_value(SLOT_ACCESS, fd_access_name(r->access));
        licenses.store(doc, SLOT_LICENSE);
        langs.store(doc, SLOT_LANG);
        subjects.store(doc, SLOT_SUBJECT);
        for (size_t i = 0; i < r->identifiers.n; i++)
                add_filter(doc, FIELD_IDENTIFIER, r->identifiers.v[i].value);
        if (present(r->doi)) {
                std::string doi = ascii_lower(r->doi);
                add_filter(doc, FIELD_DOI, doi.c_str());
                doc.add_value(SLOT_DOI, doi);
                /* Every record of a DOI carries the collapse key, whether or
                 * not its own database holds another: over shards, the other
                 * may be anywhere. */
                if (!schema_doi_term(doi).empty())
                        doc.add_value(SLOT_COLLAPSE, "d" + doi);
        }

        year = fd_record_year(r);
        if (year > 0 && year <= 9999) {
                char y[8];
                snprintf(y, sizeof y, "%04d", year);
                add_filter(doc, FIELD_YEAR, y);
                doc.add_value(SLOT_YEAR, Xapian::sortable_serialise(year));
        }
        if (present(r->datestamp))
                doc.add_value(SLOT_DATESTAMP, r->datestamp);
        if (fair) {
                doc.add_value(SLOT_FAIR, Xapian::sortable_serialise(fair->overall));
                for (int p = 0; p < FD_FAIR_PRINCIPLES; p++)
                        doc.add_value(SLOT_FAIR_F + p, Xapian::sortable_serialise(fair->score[p]));
        }
        if (!without_pairs.load(std::memory_order_relaxed))
                for (unsigned slot : { SLOT_PAIR_SOURCE_TYPE, SLOT_PAIR_FAIR_YEAR })
                        doc.add_value(slot, schema_pair_pack(slot, doc, fair));
        doc.add_value(SLOT_HIT, schema_hit_pack(doc));
        static const unsigned sorted[][3] = { { SLOT_YEAR, SLOT_SORT_YEAR_ASC, SLOT_SORT_YEAR_DESC },
                                              { SLOT_FAIR, SLOT_SORT_FAIR_ASC, SLOT_SORT_FAIR_DESC } };
        for (const auto &s : sorted) {
                doc.add_value(s[1], schema_sort_key(doc.get_value(s[0]), r->id, false));
                doc.add_value(s[2], schema_sort_key(doc.get_value(s[0]), r->id, true));
        }
        return doc;
}

std::string schema_sort_key(const std::string &value, const std::string &id, bool for_reverse) {
        std::string key;

        /* A forward value that is not the last: '\0' as "\0\xff", then
         * "\0\0", so that a shorter value sorts first. */
        for (char ch : value) {
                key += ch;
                if (ch == '\0')
                        key += '\xff';
        }
        key.append("\0\0", 2);
        if (!for_reverse)
                return key + id;
        /* A reversed one: each byte from 0xff ('\0' as "\xff\0"), then
         * "\xff\xff". */
        for (char ch : id) {
                key += (char)(255 - (unsigned char)ch);
                if (ch == '\0')
                        key += '\0';
        }
        key.append("\xff\xff", 2);
        return key;
}

/* SLOT_HIT: six fields, each a 4-byte big-endian length and its bytes. */
static const unsigned hit_slots[] = { SLOT_ID, SLOT_SOURCE, SLOT_TITLE, SLOT_DOI, SLOT_YEAR, SLOT_FAIR };

std::string schema_pair_pack(unsigned slot, const Xapian::Document &doc, const struct fd_fair_assessment *fair) {
        if (slot == SLOT_PAIR_SOURCE_TYPE)
                return doc.get_value(SLOT_SOURCE) + '\0' + doc.get_value(SLOT_TYPE);
        const char band = fair ? (char)('0' + index_fair_band_no(fair->overall)) : '-';
        return band + doc.get_value(SLOT_YEAR);
}

void schema_pair_unpack(unsigned slot, const std::string &v, std::string *first, std::string *second) {
        first->clear();
        second->clear();
        if (slot == SLOT_PAIR_SOURCE_TYPE) {
                const size_t nul = v.find('\0');
                *first = v.substr(0, nul);
                if (nul != std::string::npos)
                        *second = v.substr(nul + 1);
        } else if (!v.empty()) {
                if (v[0] >= '0' && v[0] < '0' + INDEX_FAIR_BANDS)
                        *first = index_fair_bands[v[0] - '0'];
                *second = v.substr(1);
        }
}

std::string schema_hit_pack(const Xapian::Document &doc) {
        std::string out;

        for (unsigned slot : hit_slots) {
                const std::string v = doc.get_value(slot);
                const uint32_t n = (uint32_t)v.size();
                for (int k = 3; k >= 0; k--)
                        out += (char)(n >> (8 * k) & 0xff);
                out += v;
        }
        return out;
}

bool schema_hit_unpack(const std::string &v, struct schema_hit *ret) {
        std::string *fields[] = { &ret->id, &ret->source, &ret->title, &ret->doi, &ret->year, &ret->fair };
        size_t at = 0;

        for (std::string *f : fields) {
                if (v.size() - at < 4)
                        return false;
                uint32_t n = 0;
                for (int k = 0; k < 4; k++)
                        n = n << 8 | (unsigned char)v[at + k];
                at += 4;
                if (v.size() - at < n)
                        return false;
                f->assign(v, at, n);
                at += n;
        }
        return at == v.size();
}

/* Words with a digit ("5500", "2019a", "v2") stay out of the spelling
 * table: no one misspells a number, and catalogues that number their
 * titles ("Observations 105396 of ...") put hundreds of thousands of such
 * words in it, which makes its n-gram entries lists of thousands of words,
 * rewritten at every commit.  With Xapian 1.4.22 (glass) rewriting such
 * large compressed entries corrupted the table on disk ("Too few chunks of
 * compressed data", the 150,000-dataset DCAT catalogue after 5,500
 * records; tests/unit/test_index.c test_spelling_numbered_titles). */
static bool spelling_word(const std::string &w) {
        return w.find_first_of("0123456789") == std::string::npos;
}

void schema_spelling(Xapian::WritableDatabase &db, const struct fd_record *r) {
        Xapian::TermGenerator tg;
        Xapian::Document scratch;

        tg.set_document(scratch);
        for (size_t i = 0; i < r->titles.n; i++)
                if (present(r->titles.v[i].value))
                        tg.index_text_without_positions(r->titles.v[i].value);
        for (Xapian::TermIterator t = scratch.termlist_begin(); t != scratch.termlist_end(); ++t)
                if (spelling_word(*t))
                        db.add_spelling(*t, t.get_wdf());
}

/* "doi:" and "identifier:" take identifiers as people paste them
 * ("https://doi.org/10.1/ABC", "doi:10.1/abc") and look up the normal form
 * the record adders stored; what does not normalize is looked up as typed
 * (DOIs lowercased, as they are case-insensitive). */
class IdentifierProcessor : public Xapian::FieldProcessor {
public:
        explicit IdentifierProcessor(enum schema_field f) : field(f) {}

        Xapian::Query operator()(const std::string &str) override {
                enum fd_pid_scheme hint = field == FIELD_DOI ? FD_PID_DOI : FD_PID_NONE;
                char norm[1024];
                std::string value;
                enum fd_pid_scheme scheme;

                scheme = fd_pid_normalize(str.c_str(), hint, norm, sizeof norm);
                if (field == FIELD_DOI)
                        value = scheme == FD_PID_DOI ? norm : ascii_lower(str.c_str());
                else
                        value = scheme != FD_PID_NONE ? norm : str;
                std::string term = schema_term(field, value);
                if (term.empty())
                        return Xapian::Query::MatchNothing;
                return Xapian::Query(term);
        }

private:
        enum schema_field field;
};

/* "id:" goes through schema_id_term so that over-long ids match too; an
 * id that reads as a DOI ("id:https://doi.org/10.1/X") also finds the
 * records carrying that DOI. */
class IdProcessor : public Xapian::FieldProcessor {
public:
        Xapian::Query operator()(const std::string &str) override {
                Xapian::Query q(schema_id_term(str));
                char norm[1024];

                if (fd_pid_normalize(str.c_str(), FD_PID_NONE, norm, sizeof norm) == FD_PID_DOI) {
                        std::string term = schema_term(FIELD_DOI, ascii_lower(norm));
                        if (!term.empty())
                                q = Xapian::Query(Xapian::Query::OP_OR, q, Xapian::Query(term));
                }
                return q;
        }
};

/* "orcid:", "ror:", "funder:", "award:", "discipline:" take an
 * identifier in any spelling (schema_link_value); an ORCID or ROR that is
 * none, or a discipline that is no FOS id or label, matches nothing: no
 * name is guessed into an identifier. */
class LinkProcessor : public Xapian::FieldProcessor {
public:
        explicit LinkProcessor(enum schema_field f) : field(f) {}

        Xapian::Query operator()(const std::string &str) override {
                const std::string value = schema_link_value(field, str.c_str());
                const std::string term = value.empty() ? value : schema_term(field, value);
                if (term.empty())
                        return Xapian::Query::MatchNothing;
                return Xapian::Query(term);
        }

private:
        enum schema_field field;
};

/* "related:PID": the records stating a relation to PID, and the records
 * that the records holding PID (as DOI or identifier) relate to: both
 * directions of every link PID takes part in. */
class RelatedProcessor : public Xapian::FieldProcessor {
public:
        explicit RelatedProcessor(const Xapian::Database &d) : db(d) {}

        Xapian::Query operator()(const std::string &str) override {
                const std::string pid = schema_link_value(FIELD_RELATED, str.c_str());
                const std::string out_term = schema_term(FIELD_RELATED, pid);
                const std::string holder = schema_term(FIELD_IDENTIFIER, pid);
                std::vector<Xapian::Query> parts;

                if (out_term.empty())
                        return Xapian::Query::MatchNothing;
                parts.emplace_back(out_term);
                size_t n = 0;
                for (Xapian::PostingIterator p = db.postlist_begin(holder);
                     !holder.empty() && p != db.postlist_end(holder) && n < RELATED_HOLDERS_MAX; ++p, n++) {
                        const std::string v = db.get_document(*p, Xapian::DOC_ASSUME_VALID).get_value(SLOT_RELATED);
                        schema_related_each(v, [&](const std::string &, const std::string &pid) {
                                const std::string t = schema_term(FIELD_IDENTIFIER, pid);
                                if (!t.empty())
                                        parts.emplace_back(t);
                        });
                }
                return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
        }

private:
        Xapian::Database db;
};

void schema_query_parser(Xapian::QueryParser &qp, const Xapian::Database &db, const Xapian::Stem &stem,
                         bool stemming) {
        qp.set_database(db);
        qp.set_stemmer(stem);
        qp.set_stemming_strategy(stemming ? Xapian::QueryParser::STEM_SOME : Xapian::QueryParser::STEM_NONE);
        /* "year:2015..2020", "fair:60.."; "year:2019" stays a filter term. */
        qp.add_rangeprocessor((new Xapian::NumberRangeProcessor(SLOT_YEAR, "year:"))->release());
        qp.add_rangeprocessor((new Xapian::NumberRangeProcessor(SLOT_FAIR, "fair:"))->release());
        qp.set_default_op(Xapian::Query::OP_AND);
        /* "a*" on a large index would otherwise expand to every term. */
        qp.set_max_expansion(WILDCARD_MAX, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
        for (const struct schema_entry &e : schema) {
                switch (e.kind) {
                case KIND_UNIQUE:
                        qp.add_boolean_prefix(e.name, (new IdProcessor)->release());
                        break;
                case KIND_TEXT:
                        qp.add_prefix(e.name, e.prefix);
                        break;
                case KIND_BOOLEAN:
                        if (e.field == FIELD_DOI || e.field == FIELD_IDENTIFIER)
                                qp.add_boolean_prefix(e.name, (new IdentifierProcessor(e.field))->release());
                        else if (e.field == FIELD_RELATED)
                                qp.add_boolean_prefix(e.name, (new RelatedProcessor(db))->release());
                        else if (e.field >= FIELD_ORCID)
                                qp.add_boolean_prefix(e.name, (new LinkProcessor(e.field))->release());
                        else
                                qp.add_boolean_prefix(e.name, e.prefix);
                        break;
                }
        }
}

unsigned schema_query_flags(void) {
        return Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_PHRASE |
               Xapian::QueryParser::FLAG_BOOLEAN | Xapian::QueryParser::FLAG_LOVEHATE |
               Xapian::QueryParser::FLAG_WILDCARD;
}
