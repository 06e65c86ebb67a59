/* index-private.hh: what the files of index/ share, never seen by C code.
 *
 * schema.cc owns the record -> document mapping: the one table of term
 * prefixes, the value slots, the stemmer choice, the query parser set-up
 * and the schema version kept in the database metadata.  shim.cc owns the
 * handles, the transactions and the exception boundary.  Functions here
 * may throw; only shim.cc's exported functions catch.
 */
#ifndef FD_INDEX_PRIVATE_HH
#define FD_INDEX_PRIVATE_HH

#include <array>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include <xapian.h>

/* The definitions of fd_index.h's functions are noexcept, so their
 * declarations have to say so too (C sees no such word). */
#define FD_INDEX_NOEXCEPT noexcept
#include "fd_index.h"

/* The database metadata key holding the schema version, and the version
 * this fairdex writes and reads.  Bump it whenever a prefix, a slot or the
 * way a field is indexed changes: an index built by another version has to
 * be rebuilt rather than half understood. */
#define FD_SCHEMA_KEY "fairdex:schema"
#define FD_SCHEMA_VERSION "7"
/* "1" once two records of the database have shared a DOI, "0" in a
 * database created without any (set at creation, never reset): searches
 * of one database skip collapsing by DOI while it is "0" (over shards, see
 * struct index_view). */
#define FD_DOI_SHARED_KEY "fairdex:doi-shared"

enum schema_field {
        FIELD_ID,
        FIELD_TITLE,
        FIELD_DESCRIPTION,
        FIELD_CREATOR,
        FIELD_SUBJECT,
        FIELD_PUBLISHER,
        FIELD_SOURCE,
        FIELD_TYPE,
        FIELD_LANG,
        FIELD_LICENSE,
        FIELD_ACCESS,
        FIELD_DOI,
        FIELD_YEAR,
        FIELD_IDENTIFIER,
        FIELD_INDICATOR,  /* FAIR outcomes "<indicator>:<outcome>", terms from fair.cc */
        /* Schema 5 (issue 16): people, organisations, funding, relations;
         * values normalized by schema_link_value(). */
        FIELD_ORCID,      /* creators' and contributors' ORCID iDs */
        FIELD_ROR,        /* affiliations' and the publisher's ROR ids */
        FIELD_FUNDER,     /* funder ids (Crossref Funder ID as its DOI, ROR) and lowercased names */
        FIELD_AWARD,      /* award numbers, lowercased */
        FIELD_RELATED,    /* related identifiers (normal form) */
        FIELD_DISCIPLINE, /* OECD FOS 2007 ids (fd_record_disciplines), and their major field */
        FIELD_COUNT
};

enum schema_kind {
        KIND_UNIQUE,   /* one per document, the replace_document key */
        KIND_TEXT,     /* free text: positions, stemmed, also unprefixed */
        KIND_BOOLEAN,  /* exact filter term, no wdf, no positions */
};

struct schema_entry {
        enum schema_field field;
        const char *name;    /* the query-parser field name ("title:") */
        const char *prefix;  /* the term prefix */
        enum schema_kind kind;
};

enum schema_slot {
        SLOT_DATESTAMP = 0,  /* the source's datestamp, ISO 8601 string */
        SLOT_YEAR = 1,       /* sortable_serialise(year) */
        SLOT_FAIR = 2,       /* sortable_serialise(overall FAIR score) */
        SLOT_FAIR_F = 3,     /* ... then A, I and R in slots 4, 5, 6 */
        SLOT_DOI = 7,        /* the normalized DOI (lowercase) */
        SLOT_SOURCE = 8,     /* the source name (facet) */
        SLOT_TYPE = 9,       /* resourceTypeGeneral (facet) */
        SLOT_ACCESS = 10,    /* access right name (facet) */
        SLOT_LICENSE = 11,   /* SPDX ids, a list joined by FD_FACET_SEP (facet) */
        SLOT_LANG = 12,      /* languages, a list (facet) */
        SLOT_SUBJECT = 13,   /* subjects, a list (facet) */
        /* "d" + DOI on every record with a DOI (schema 7; before, only on
         * records whose DOI another shared, which a shard cannot know of
         * records in other shards); empty: never collapsed */
        SLOT_COLLAPSE = 14,
        SLOT_ID = 15,        /* the record id: hits are built from slots, */
        SLOT_TITLE = 16,     /* fd_record_title(): without parsing the JSON */
        /* What a hit shows (id, source, title, DOI, year, FAIR), packed by
         * schema_hit_pack: one value read per hit instead of six. */
        SLOT_HIT = 17,
        /* Schema 5 (issue 16): lists of "<id>" FD_LABEL_SEP "<name>" (facets with a
         * label) and of "<relation>" FD_LABEL_SEP "<identifier>". */
        SLOT_AFFILIATION = 18,
        SLOT_FUNDER = 19,
        SLOT_RELATED = 20,
        /* the key of the record's work (versions.cc), empty when alone */
        SLOT_WORK = 21,
        /* the spatial extent: boxes (west, south, east, north), each four
         * IEEE doubles big-endian; a point is a box of no size */
        SLOT_GEO = 22,
        /* the same as Xapian::LatLongCoords (points, boxes' centres) */
        SLOT_GEO_POINTS = 23,
        /* the temporal coverage's span: sortable_serialise(YYYYMMDD) of
         * its earliest start and latest end (open: 0, 99999999) */
        SLOT_TIME_FROM = 24,
        SLOT_TIME_TO = 25,
        /* FOS ids with their labels, a labelled list */
        SLOT_DISCIPLINE = 26,
        /* Schema 7: the sort keys of the date and FAIR orders, ties by
         * record id (schema_sort_key), so that a plain sort by value (all
         * xapian-tcpsrv can do: it runs no KeyMaker) gives one total order
         * wherever the records are stored: ascending, and for a reversed
         * sort (descending, ids still ascending). */
        SLOT_SORT_YEAR_ASC = 27,
        SLOT_SORT_YEAR_DESC = 28,
        SLOT_SORT_FAIR_ASC = 29,
        SLOT_SORT_FAIR_DESC = 30,
        /* Two facets in one slot, for searches over remote shards, where
         * each facet counted is a built-in ValueCountMatchSpy reading a
         * slot per record (search.cc, builtin_facets): SLOT_SOURCE, '\0'
         * and SLOT_TYPE; the FAIR band's number ('0' + index_fair_band_no,
         * '-' without a score) and SLOT_YEAR, never empty.  Records
         * written before the pairs have neither (builtin_facets::whole). */
        SLOT_PAIR_SOURCE_TYPE = 31,
        SLOT_PAIR_FAIR_YEAR = 32,
        /* The metadata as harvested, zlib-compressed (r->raw): stored, never
         * searched; far above the other slots so that new ones do not meet it. */
        SLOT_RAW = 63,
        /* "<when fairdex last wrote it>\x1f<id>" (changes.cc): the
         * (datestamp, id) order of OAI-PMH listings.  Numbered apart from
         * the rest so that slots added beside them do not meet it. */
        SLOT_CHANGED = 40,
        /* The OAI-PMH payloads, SLOT_PAYLOAD + enum fd_xml_format (50, 51,
         * 52: oai_dc, oai_datacite, oai_openaire), rendered by fd_index_put
         * (changes.cc). */
        SLOT_PAYLOAD = 50,
};
#define FD_TIME_OPEN_START 0
#define FD_TIME_OPEN_END 99999999

/* The sort key of value (a slot's, "" for none) with ties by id, as
 * Xapian::MultiValueKeyMaker builds it: sorted forwards it orders by
 * (value, id), empty values first; for_reverse, sorted in reverse it
 * orders by (value descending, id ascending), empty values last. */
std::string schema_sort_key(const std::string &value, const std::string &id, bool for_reverse);

/* The four doubles of each box of a SLOT_GEO value. */
std::vector<std::array<double, 4>> schema_geo_boxes(const std::string &v);
/* Whether boxes a and b (west, south, east, north; west > east crosses
 * the antimeridian) intersect. */
bool schema_boxes_meet(const std::array<double, 4> &a, const std::array<double, 4> &b);

/* The glass backend refuses terms longer than this many bytes. */
#define FD_TERM_MAX 245

/* The boolean term of a work key, on each of its records. */
#define WORK_PREFIX "XW"


/* Separates an identifier from its label (or a relation from its
 * identifier) inside one value of a list slot. */
#define FD_LABEL_SEP '\x1e'

/* The normal form of a value of FIELD_ORCID, FIELD_ROR, FIELD_FUNDER,
 * FIELD_AWARD or FIELD_RELATED as both the indexer and the query parser
 * use it: ORCID and ROR ids through fd_pid_normalize (any spelling; ""
 * when the value is none), a funder's Crossref Funder ID as its DOI
 * ("501100000780" and "https://doi.org/10.13039/501100000780" alike), its
 * ROR id, else its name lowercased; an award lowercased; a related
 * identifier in its normal form, else as written. */
std::string schema_link_value(enum schema_field f, const char *value);

/* The fields of SLOT_HIT, as the slots SLOT_ID, SLOT_SOURCE, SLOT_TITLE,
 * SLOT_DOI, SLOT_YEAR and SLOT_FAIR hold them. */
struct schema_hit {
        std::string id, source, title, doi, year, fair;
};

/* SLOT_HIT's value from doc's other slots (doc built by schema_document). */
std::string schema_hit_pack(const Xapian::Document &doc);
/* Unpacks a SLOT_HIT value; false when it is absent or malformed. */
bool schema_hit_unpack(const std::string &v, struct schema_hit *ret);

/* A facet pair's value (SLOT_PAIR_*) from doc's slots and fair, and back:
 * *first the first facet's value as counted (a source name; a FAIR band's
 * name, "" without a score), *second the second facet's slot value (as
 * SLOT_TYPE, SLOT_YEAR hold it). */
std::string schema_pair_pack(unsigned slot, const Xapian::Document &doc, const struct fd_fair_assessment *fair);
void schema_pair_unpack(unsigned slot, const std::string &v, std::string *first, std::string *second);

/* A query matching every record.  Never Xapian::Query::MatchAll: that is
 * one static object whose reference count is not atomic, so query workers
 * copying it at once corrupt it (query.h says so), which crashed fairdexd
 * in the soak after a few million searches. */
inline Xapian::Query index_match_all() {
        return Xapian::Query(std::string());
}

/* The bands of an overall FAIR score as the fair facet and the fair: sets
 * name them, and the band of a score. */
#define INDEX_FAIR_BANDS 4
inline const char *const index_fair_bands[INDEX_FAIR_BANDS] = { "0-25", "25-50", "50-75", "75-100" };
inline unsigned index_fair_band_no(double score) {
        return score < 25 ? 0 : score < 50 ? 1 : score < 75 ? 2 : 3;
}
inline const char *index_fair_band(double score) {
        return index_fair_bands[index_fair_band_no(score)];
}

/* Separates the values of a list slot; a value containing it is not kept. */
#define FD_FACET_SEP '\x1f'
/* The prefix of the completion terms suggest reads (lowercased words of
 * titles, creators and subjects). */
#define FD_COMPLETION_PREFIX "XC"

/* A request the index refuses (an unknown facet, a filter of the wrong
 * shape): index_error() turns it into FD_E_INVALID with this message. */
struct invalid_request : std::runtime_error {
        using std::runtime_error::runtime_error;
};

/* The one exception mapper of index/; call it only from a catch handler
 * (it rethrows and sorts): invalid_request and query-parser errors are
 * FD_E_INVALID, Xapian's lock, corruption, opening and other errors
 * FD_E_LOCKED, FD_E_CORRUPT, FD_E_IO and FD_E_INDEX naming path, bad_alloc
 * FD_E_NOMEM, anything else FD_E_INTERNAL.  missing is the status of a
 * database that does not exist (FD_E_NOTFOUND for a reader that may run
 * before the first commit); query the text being parsed, if any. */
enum fd_status index_error(const char *path, struct fd_error *err, enum fd_status missing = FD_E_IO,
                           const char *query = nullptr) noexcept;

/* The filter term for value in field f, with Xapian's convention of a ':'
 * between a multi-letter prefix and a value starting with a capital (the
 * query parser builds its terms the same way).  "" when the term would be
 * longer than the backend accepts: such a value cannot be filtered on. */
std::string schema_term(enum schema_field f, const std::string &value);

/* The FIELD_DOI term of doi (a SLOT_DOI value), whose posting list is the
 * record's DOI group; "" when doi is "" or too long to be a term. */
std::string schema_doi_term(const std::string &doi);

/* The unique term of a record id.  Ids too long for one term keep a
 * prefix of the id and add a hash of the whole id, like notmuch does for
 * long message ids. */
std::string schema_id_term(const std::string &id);

/* The document holding unique term id_term (schema_id_term) in db, 0 when
 * there is none. */
Xapian::docid schema_find(const Xapian::Database &db, const std::string &id_term);

/* The Snowball name of the stemmer for language tag lang (BCP 47), or NULL
 * when the language has none among those fairdex stems. */
const char *schema_stem_language(const char *lang);

/* The stemmer for text in language tag lang: English when lang is NULL or
 * empty, none (unstemmed) for a language without a Snowball stemmer. */
Xapian::Stem schema_stemmer(const char *lang);

/* The document of r: data json, terms and values as the table says. */
Xapian::Document schema_document(const struct fd_record *r, const struct fd_fair_assessment *fair,
                                 const char *json);

/* Adds r's title words to db's spelling table (for "did you mean"). */
void schema_spelling(Xapian::WritableDatabase &db, const struct fd_record *r);

/* Sets up qp for user queries on db: the stemmer (STEM_SOME when stemming,
 * else none), default operator AND, every field name of the table and the
 * year:/fair: range processors. */
void schema_query_parser(Xapian::QueryParser &qp, const Xapian::Database &db, const Xapian::Stem &stem,
                         bool stemming);

/* The flags fd_index_search parses with. */
unsigned schema_query_flags(void);

/* ---- fair.cc ----------------------------------------------------------- */

/* Adds r's FAIR outcomes to doc as boolean terms and returns it: per
 * indicator "XF:<id>:<outcome>" (pass, partial, fail, na) and, unless n/a,
 * "XF:<id>:<points>"; "XFV<rubric version>"; "XFL:<licence as written>" for
 * each licence that does not resolve to SPDX.  fair NULL: doc unchanged.
 * May throw (called inside fd_index_put's try). */
Xapian::Document fd_index_fair_terms(Xapian::Document doc, const struct fd_record *r,
                                     const struct fd_fair_assessment *fair);

/* ---- answers: results living in an fd_arena ----------------------------- */

/* The most an answer (a page of hits with their records, a report) may
 * take, and a hit's scratch space for reading its stored record. */
#define FD_INDEX_ANSWER_MAX ((size_t)1 << 30)
#define FD_INDEX_SCRATCH_MAX ((size_t)64 << 20)

/* Grows the answer of one call in its arena; throws std::bad_alloc when
 * the arena cannot.  T is a C struct of the public header. */
struct answer_arena {
        struct fd_arena *arena;

        answer_arena();
        ~answer_arena();
        answer_arena(const answer_arena &) = delete;
        answer_arena &operator=(const answer_arena &) = delete;

        void *alloc(size_t size);
        /* A NUL-terminated copy of s. */
        const char *str(const std::string &s);
        /* NULL for "", else a copy. */
        const char *str_or_null(const std::string &s);
        template <typename T> T *make() {
                return static_cast<T *>(alloc(sizeof(T)));
        }
        /* v's elements copied into the arena (NULL when v is empty). */
        template <typename T> const T *array(const std::vector<T> &v) {
                if (v.empty())
                        return nullptr;
                T *out = static_cast<T *>(alloc(sizeof(T) * v.size()));
                for (size_t i = 0; i < v.size(); i++)
                        out[i] = v[i];
                return out;
        }
        /* Hands the arena over to the answer built in it. */
        struct fd_arena *release() {
                struct fd_arena *a = arena;
                arena = nullptr;
                return a;
        }
};

/* ---- changes.cc: the listing in change order, tombstones ---------------- */

/* Metadata keys of the listing (changes.cc has the layout; reshard.cc
 * routes them by the record id they name). */
#define FD_TOMB_KEY "fairdex:tomb:"
#define FD_TOMB_ID_KEY "fairdex:tombid:"
#define FD_LIVE_KEY "fairdex:live:"
#define FD_LIVE_FLAG "fairdex:live-keys"

/* Sets doc's SLOT_CHANGED to now, its live key and its OAI-PMH payloads,
 * and drops r's tombstone (fd_index_put); self is r's document now in db,
 * 0: none. */
void changes_put(Xapian::WritableDatabase &db, Xapian::Document &doc, Xapian::docid self, const struct fd_record *r);
/* Marks a new database as one whose live records have keys in change
 * order (check_schema, before its first commit). */
void changes_mark_new(Xapian::WritableDatabase &db);
/* Leaves a tombstone of record id, whose document is d (0: none, and no
 * tombstone), before fd_index_delete removes it. */
void changes_delete(Xapian::WritableDatabase &db, Xapian::docid d, const std::string &id);
/* fd_index_changes and fd_index_change on view (NULL: no such record);
 * tombstones are metadata, read from every shard (view.parts). */
struct fd_change_list *changes_list(const struct index_view &view, const struct fd_change_request *req,
                                    answer_arena &out);
struct fd_change_list *changes_one(const struct index_view &view, const char *id, answer_arena &out);

/* ---- shards.cc: a read-only view over every shard ---------------------- */

/* The database a reader answers from, and what it needs to know of its
 * shards. */
struct index_view {
        Xapian::Database db;                 /* every shard as one */
        std::vector<Xapian::Database> parts; /* each shard: metadata is per shard */
        /* Searches collapse by DOI: two records of some shard share a DOI
         * (FD_DOI_SHARED_KEY), or, over more than one shard, some record
         * has a DOI (its partner may sit in another shard). */
        bool collapse_doi = false;
        /* Some shard is remote: only xapian-tcpsrv's built-in match spies,
         * key makers and posting sources, and no match decider. */
        bool builtins_only = false;
        /* Every part is as committed (a reader's): what a part holds is
         * known by its UUID and revision (search.cc caches by them). */
        bool committed = true;
};


/* A request the shards cannot answer at all (every one is missing, or a
 * caller that needs them all met a missing one): FD_E_IO with this
 * message (index_error). */
struct shards_down : std::runtime_error {
        using std::runtime_error::runtime_error;
};

/* A database of another schema version (index_error: FD_E_INVALID). */
struct schema_mismatch : std::runtime_error {
        using std::runtime_error::runtime_error;
};

/* Opens the database at loc read-only: a path, or "tcp://host:port"
 * through Xapian::Remote::open with fd_index.h's timeouts. */
Xapian::Database shard_open(const std::string &loc);
/* Opens loc writable (creating a local one, with its directories). */
Xapian::WritableDatabase shard_open_writable(const std::string &loc);
/* Throws schema_mismatch when db (named name) is neither empty without a
 * version nor of FD_SCHEMA_VERSION; true when it is new (no version). */
bool shard_schema_new(const Xapian::Database &db, const std::string &name);

/* Every shard of an index as one Xapian::Database (add_database).  strict
 * (one shard, or a caller that needs them all): a shard that does not open
 * throws.  Else a shard that does not open, or whose connection fails in
 * the middle of a call (Xapian::NetworkError), is left out and listed in
 * missing; run() answers from the others and refresh() tries the missing
 * ones again. */
struct shard_set {
        struct shard {
                std::string loc, name;
                bool remote = false;
                bool open = false;
                Xapian::Database db;
                /* As of its last (re)open: FD_DOI_SHARED_KEY, and whether
                 * some record has a DOI (SLOT_COLLAPSE). */
                bool doi_shared = false, doi_any = false;
        };

        std::vector<shard> shards;
        Xapian::Database all;
        /* The names of the shards left out of all. */
        std::vector<std::string> missing;
        bool strict;

        shard_set(const struct fd_index_shards *s, bool strict);
        /* The message-friendly name of the set: its one shard's name, else
         * the names joined. */
        std::string label() const;
        /* Opens every shard (strict: or throws); throws shards_down when none
         * opens. */
        void open_all();
        /* Makes the latest commit of every open shard visible, and tries the
         * missing ones again. */
        void reopen();
        /* Tries the missing shards again, at most once a second. */
        void refresh();
        /* Whether some open shard is remote (xapian-tcpsrv runs only its
         * built-in spies, key makers, posting sources and no decider). */
        bool any_remote() const;
        /* The home shard (shard 0, the daemon's metadata); shards_down
         * when it is missing. */
        const Xapian::Database &home() const;
        /* What search.cc and changes.cc need to know of the open shards. */
        struct index_view view();
        /* Runs read(all): a DatabaseModifiedError (the writer committed
         * twice while it read: glass keeps the last two revisions) reopens
         * and runs it again, up to MODIFIED_RETRIES times, since a long
         * read (a reconciliation's walk of a source's ids, a search that
         * builds its columns) can meet it again while pages are committed;
         * a NetworkError (not strict) drops the shards that no longer
         * answer and runs it again on the others.  read must only write its
         * results at its end, as it may run more than once. */
        static const unsigned MODIFIED_RETRIES = 5;
        template <typename Read> void run(Read read) {
                unsigned modified = 0;
                for (size_t failures = 0;;) {
                        try {
                                read(all);
                                return;
                        } catch (const Xapian::DatabaseModifiedError &) {
                                if (++modified > MODIFIED_RETRIES)
                                        throw;
                                all.reopen();
                        } catch (const Xapian::NetworkError &) {
                                if (strict || ++failures > shards.size())
                                        throw;
                                failover();
                        }
                }
        }

private:
        /* Reconnects every remote shard (a failed match can leave the
         * others' connections mid-message); those that do not answer are
         * missing. */
        void failover();
        /* Opens shard i; false (and it is missing) when it does not. */
        bool try_open(shard &s);
        /* Reads s's doi_shared and doi_any. */
        static void stats(shard &s);
        void rebuild();
        double last_retry = 0;
};

/* Marks res (a search, related, change or FAIR answer in out) as made
 * without the shards named in missing, when there are any. */
template <typename Result>
void index_mark_partial(const std::vector<std::string> &missing, answer_arena &out, Result *res) {
        if (missing.empty())
                return;
        std::vector<const char *> names;
        for (const std::string &m : missing)
                names.push_back(out.str(m));
        res->partial = true;
        res->missing_shards = out.array(names);
        res->n_missing_shards = names.size();
}

/* ---- search.cc: what shim.cc's exported readers run (may throw) -------- */

/* fd_index_search on view, the answer built in out. */
struct fd_search_result *search_run(const struct index_view &view, const struct fd_search_request *req,
                                    answer_arena &out);
/* fd_index_suggest on db. */
struct fd_search_result *search_suggest(Xapian::Database &db, const char *prefix, unsigned limit,
                                        answer_arena &out);
/* fd_index_similar on view; NULL when id is not in it. */
struct fd_search_result *search_similar(const struct index_view &view, const char *id, unsigned limit,
                                        answer_arena &out);


/* ---- versions.cc --------------------------------------------------------- */

/* Gives doc (about to replace document self, 0 for a new record) the key
 * of its work, and re-keys the work's other records in db when it changed. */
void versions_put(Xapian::WritableDatabase &db, Xapian::Document &doc, Xapian::docid self);

/* ---- related.cc --------------------------------------------------------- */

/* fd_index_related on db; NULL when id is not in db. */
struct fd_related_result *related_run(Xapian::Database &db, const char *id, answer_arena &out);

/* Calls fn(relation, identifier) for each entry of a SLOT_RELATED value. */
template <typename Fn> void schema_related_each(const std::string &v, Fn fn) {
        for (size_t start = 0; start < v.size();) {
                size_t end = v.find(FD_FACET_SEP, start);
                if (end == std::string::npos)
                        end = v.size();
                const size_t sep = v.find(FD_LABEL_SEP, start);
                if (sep != std::string::npos && sep < end)
                        fn(v.substr(start, sep - start), v.substr(sep + 1, end - sep - 1));
                start = end + 1;
        }
}

#endif
