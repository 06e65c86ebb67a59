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
#include <string>

#include <xapian.h>

#include "private.hh"

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
};

/* The glass backend refuses terms longer than this many bytes. */
#define TERM_MAX 245
/* How much of an over-long record id its unique term keeps. */
#define ID_TERM_KEEP 200
/* The most terms one wildcard expands to (the most frequent ones). */
#define WILDCARD_MAX 1000

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

        /* Xapian 1.4's query parser tests the first byte, ASCII only. */
        if (prefix.size() > 1 && !value.empty() && ((value[0] >= 'A' && value[0] <= 'Z') || value[0] == ':'))
                term += ':';
        term += value;
        if (term.size() > TERM_MAX)
                return std::string();
        return term;
}

/* FNV-1a, 64 bits: stable across builds and platforms, which a unique term
 * has to be. */
static uint64_t fnv1a(const std::string &s) {
        uint64_t h = UINT64_C(14695981039346656037);

        for (unsigned char c : s) {
                h ^= c;
                h *= UINT64_C(1099511628211);
        }
        return h;
}

std::string schema_id_term(const std::string &id) {
        std::string term = schema[FIELD_ID].prefix;
        char hash[24];

        if (term.size() + id.size() <= TERM_MAX)
                return term + id;
        snprintf(hash, sizeof hash, "#%016" PRIx64, fnv1a(id));
        return term + id.substr(0, ID_TERM_KEEP) + hash;
}

Xapian::Stem schema_stemmer(const char *lang) {
        /* Every language is stemmed as English for now, at index and at
         * query time alike; per-language stemming changes only this
         * function (and the query side, which passes NULL). */
        (void)lang;
        return Xapian::Stem("en");
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

static void add_filter(Xapian::Document &doc, enum schema_field f, const char *value) {
        std::string term;

        if (!present(value))
                return;
        term = schema_term(f, value);
        if (!term.empty())
                doc.add_boolean_term(term);
}

static void add_text(Xapian::TermGenerator &tg, enum schema_field f, const char *value, const char *lang) {
        if (!present(value))
                return;
        tg.set_stemmer(schema_stemmer(lang));
        tg.index_text(value, 1, schema[f].prefix);
        tg.increase_termpos();
        tg.index_text(value);
        tg.increase_termpos();
}

Xapian::Document schema_document(const struct fd_record *r, const struct fd_fair_assessment *fair,
                                 const char *json) {
        Xapian::Document doc;
        Xapian::TermGenerator tg;
        int year;

        doc.set_data(json);
        doc.add_boolean_term(schema_id_term(r->id));

        tg.set_document(doc);
        tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
        for (size_t i = 0; i < r->titles.n; i++)
                add_text(tg, FIELD_TITLE, r->titles.v[i].value, r->titles.v[i].lang);
        for (size_t i = 0; i < r->descriptions.n; i++)
                add_text(tg, FIELD_DESCRIPTION, r->descriptions.v[i].value, r->descriptions.v[i].lang);
        for (size_t i = 0; i < r->creators.n; i++)
                add_text(tg, FIELD_CREATOR, r->creators.v[i].name, NULL);
        for (size_t i = 0; i < r->subjects.n; i++)
                add_text(tg, FIELD_SUBJECT, r->subjects.v[i].value, NULL);
        add_text(tg, FIELD_PUBLISHER, r->publisher, NULL);

        add_filter(doc, FIELD_SOURCE, r->source);
        add_filter(doc, FIELD_TYPE, r->resource_type);
        for (size_t i = 0; i < r->languages.n; i++)
                add_filter(doc, FIELD_LANG, r->languages.v[i]);
        for (size_t i = 0; i < r->licenses.n; i++)
                add_filter(doc, FIELD_LICENSE, r->licenses.v[i].spdx);
        add_filter(doc, FIELD_ACCESS, fd_access_name(r->access));
        for (size_t i = 0; i < r->identifiers.n; i++)
                add_filter(doc, FIELD_IDENTIFIER, r->identifiers.v[i].value);
        if (present(r->doi)) {
                std::string doi = ascii_lower(r->doi);
                add_filter(doc, FIELD_DOI, doi.c_str());
                doc.add_value(SLOT_DOI, doi);
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
        return doc;
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

/* "id:" goes through schema_id_term so that over-long ids match too. */
class IdProcessor : public Xapian::FieldProcessor {
public:
        Xapian::Query operator()(const std::string &str) override {
                return Xapian::Query(schema_id_term(str));
        }
};

void schema_query_parser(Xapian::QueryParser &qp, const Xapian::Database &db) {
        qp.set_database(db);
        qp.set_stemmer(schema_stemmer(NULL));
        qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
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
