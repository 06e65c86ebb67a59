/* private.hh: what shim.cc and schema.cc share, never seen by C code.
 *
 * schema.cc owns the record -> document mapping: the one table of term
 * prefixes, the value slots, the stemmer choice, the query parser set-up
 * and the schema version kept in the database metadata.  shim.cc owns the
 * handles, the transactions and the exception boundary.  Functions here
 * may throw; only shim.cc's exported functions catch.
 */
#ifndef FD_INDEX_PRIVATE_HH
#define FD_INDEX_PRIVATE_HH

#include <string>

#include <xapian.h>

#include "fd_index.h"

/* The database metadata key holding the schema version, and the version
 * this fairdex writes and reads.  Bump it whenever a prefix, a slot or the
 * way a field is indexed changes: an index built by another version has to
 * be rebuilt rather than half understood. */
#define FD_SCHEMA_KEY "fairdex:schema"
#define FD_SCHEMA_VERSION "1"

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
        SLOT_DOI = 7,        /* the normalized DOI, for collapsing */
};

/* The filter term for value in field f, with Xapian's convention of a ':'
 * between a multi-letter prefix and a value starting with a capital (the
 * query parser builds its terms the same way).  "" when the term would be
 * longer than the backend accepts: such a value cannot be filtered on. */
std::string schema_term(enum schema_field f, const std::string &value);

/* The unique term of a record id.  Ids too long for one term keep a
 * prefix of the id and add a hash of the whole id, like notmuch does for
 * long message ids. */
std::string schema_id_term(const std::string &id);

/* The stemmer for text in language tag lang (BCP 47, may be NULL). */
Xapian::Stem schema_stemmer(const char *lang);

/* The document of r: data json, terms and values as the table says. */
Xapian::Document schema_document(const struct fd_record *r, const struct fd_fair_assessment *fair,
                                 const char *json);

/* Sets up qp for user queries on db: stemming, default operator and every
 * field name of the table. */
void schema_query_parser(Xapian::QueryParser &qp, const Xapian::Database &db);

/* The flags fd_index_search parses with. */
unsigned schema_query_flags(void);

#endif
