/* fd_harvesters.h: fetching over HTTP (libcurl), pages, and the OAI-PMH
 * and DCAT/CKAN drivers that map metadata to struct fd_record.
 *
 * A harvest produces pages.  A page owns an arena holding its records and
 * the checkpoint to commit with them; the driver hands each page to the
 * sink, which then owns it (fd_page_free), typically by pushing it onto the
 * indexer's bounded queue.  Memory stays bounded by the pages in flight.
 * Nothing here logs: problems that are not fatal go to sink->warn.
 */
#ifndef FD_HARVESTERS_H
#define FD_HARVESTERS_H

#include <stdatomic.h>

#include "fd_record.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- HTTP ------------------------------------------------------------- */

struct fd_http_opts {
        const char *user_agent;    /* required */
        long connect_timeout_s;    /* 0: 30 s */
        long timeout_s;            /* whole transfer; 0: 300 s */
        size_t max_body;           /* bytes; 0: 256 MiB */
};

/* One libcurl easy handle (keep-alive across requests); owned by one thread. */
struct fd_http;

enum fd_status fd_http_new(const struct fd_http_opts *opts, struct fd_http **ret_http, struct fd_error *err);
void fd_http_free(struct fd_http *h);
FD_DEFINE_FREEP(http, struct fd_http, fd_http_free)

/* Called with each chunk of the body; a non-FD_OK return aborts the transfer
 * with that status (the callback fills its own error). */
typedef enum fd_status (*fd_http_body_fn)(void *userdata, const char *data, size_t len);

/* GETs url (http, https or file) and streams the body to cb.  *ret_code is
 * the HTTP status (0 for file://).  A transfer failure is FD_E_HTTP with
 * curl's reason and the URL; a status >= 400 is FD_E_HTTP after the body was
 * streamed (so callers can read error documents), and then *ret_code is set
 * too; cb's status is returned as is; a body over max_body is FD_E_LIMIT. */
enum fd_status fd_http_get(struct fd_http *h, const char *url, fd_http_body_fn cb, void *userdata,
                           long *ret_code, struct fd_error *err);

/* The Retry-After of the last response in seconds (an HTTP date is turned
 * into the seconds from now, 0 when past), or -1 when it had none. */
long fd_http_retry_after(const struct fd_http *h);

/* Whether requests send "Accept-Encoding: gzip, deflate" (off by default:
 * the OAI driver turns it on when Identify offers compression).  A gzip
 * body is decompressed either way, announced or not. */
void fd_http_set_compression(struct fd_http *h, bool on);
/* True when the last body was gzip the server did not announce
 * (no Content-Encoding), detected by its magic bytes and decompressed. */
bool fd_http_unannounced_gzip(const struct fd_http *h);

/* The Content-Type of the last response (as sent, parameters included),
 * or NULL (file://, or none sent).  Valid until the next request. */
const char *fd_http_content_type(const struct fd_http *h);
/* The Accept header of the requests that follow (NULL: none, curl's
 * default); the handle keeps its own copy. */
enum fd_status fd_http_set_accept(struct fd_http *h, const char *accept, struct fd_error *err);

/* Requests by outcome, for the daemon's metrics.  Each status code seen
 * takes one of FD_HTTP_COUNT_CODES slots (first come, first served; later
 * codes go to other), so the label set stays bounded; failed counts the
 * requests that got no status at all (connection refused, timeout, TLS,
 * reset before the headers).  A request is one fd_http_get: each retry
 * counts, a redirect followed inside it does not.  file:// reads are not
 * counted.  Atomic: the thread that counts and any reader may run at once. */
#define FD_HTTP_COUNT_CODES 16
struct fd_http_counts {
        _Atomic long code[FD_HTTP_COUNT_CODES];       /* 0: slot unused */
        atomic_uint_fast64_t n[FD_HTTP_COUNT_CODES];
        atomic_uint_fast64_t other;                  /* codes beyond the slots */
        atomic_uint_fast64_t failed;                 /* no status */
};

/* Counts every request fd_http_get makes from the calling thread into c
 * from now on, whichever handle makes it (NULL: stop counting).  A harvest
 * thread sets it before it runs a driver, so that the drivers' own handles
 * count without knowing; the pointer must outlive the counting. */
void fd_http_count_thread(struct fd_http_counts *c);
/* Adds one request with status code (0: none, counted as failed) to c. */
void fd_http_counts_add(struct fd_http_counts *c, long code);

/* URL-encodes s (RFC 3986 unreserved kept) appended to b. */
enum fd_status fd_url_encode(struct fd_buf *b, const char *s);

/* ---- checkpoints and pages -------------------------------------------- */

/* Where a source's harvest stands, committed with each page's records.
 * Strings are malloc'ed and owned by the struct (fd_checkpoint_release). */
struct fd_checkpoint {
        char *token;          /* resumption token to continue the list; NULL when no list is open */
        char *from;           /* the 'from' the open list was started with; NULL for a full list */
        char *run_start;      /* responseDate of the open run's first page */
        char *last_complete;  /* run_start of the last run that completed: the next run's 'from' */
        uint64_t pages, records, deleted, skipped;  /* counters of the open (or last) run */
        size_t set;           /* with several sets: index of the set whose list is open or
                               * comes next; 0 when no run is open */
        /* what Identify and ListMetadataFormats said (NULL: not known yet) */
        char *granularity;     /* "YYYY-MM-DD" or "YYYY-MM-DDThh:mm:ssZ" */
        char *deleted_record;  /* "no", "transient" or "persistent" */
        char *metadata_prefix; /* the format chosen for this source */
        /* the source URL the checkpoint belongs to, set by the caller (the
         * drivers leave it NULL); a checkpoint of another URL is not resumed
         * (NULL: written before fairdex kept it, taken as the current URL) */
        char *url;
};

void fd_checkpoint_release(struct fd_checkpoint *c);
/* Whether c belongs to another source URL than url (then it is not resumed). */
bool fd_checkpoint_moved(const struct fd_checkpoint *c, const char *url);
/* Deep copy of src into dst (dst is overwritten, not released). */
enum fd_status fd_checkpoint_copy(struct fd_checkpoint *dst, const struct fd_checkpoint *src);
/* JSON text (malloc'ed) of c, and back.  from_json: FD_E_PARSE on bad text. */
char *fd_checkpoint_to_json(const struct fd_checkpoint *c);
enum fd_status fd_checkpoint_from_json(const char *text, struct fd_checkpoint *ret, struct fd_error *err);

FD_LIST(fd_record_ptrs, struct fd_record *);

/* Records of a page skipped, by the format they were in: a mapper's name
 * ("mods": it could not read them), "{namespace}root" for metadata no
 * mapper reads, or the harvested prefix when the record failed before its
 * metadata was looked at. */
struct fd_format_skip {
        const char *format;
        uint64_t n;
};
FD_LIST(fd_format_skips, struct fd_format_skip);

struct fd_page {
        struct fd_arena *arena;      /* owns every string and record below */
        const char *source;
        const char *url;             /* the request that produced it */
        const char *response_date;   /* OAI responseDate, or NULL */
        const char *error_code;      /* OAI-PMH <error code>, or NULL */
        const char *error_message;
        struct fd_record_ptrs records;   /* deleted ones have r->deleted set */
        size_t n_skipped;            /* records that failed to map (reported to warn) */
        struct fd_format_skips skipped_formats; /* n_skipped of OAI-PMH pages, by format */
        const char *token;           /* resumptionToken text; NULL or "" on the last page */
        long complete_list_size;     /* -1 when not given */
        struct fd_checkpoint checkpoint; /* the source's state once this page is committed */
        bool last;                   /* the final page of a run that completed */
};

/* A new empty page of source (copied; NULL: "") made by the request url
 * (copied, may be NULL), with an arena of cap bytes (0: 64 MiB) that owns
 * what goes on it; complete_list_size is -1, the checkpoint empty.  The
 * caller owns it (fd_page_free).  FD_E_NOMEM, or FD_E_LIMIT when cap does
 * not hold the strings. */
enum fd_status fd_page_new(const char *source, const char *url, size_t cap, struct fd_page **ret_page,
                           struct fd_error *err);
/* Frees p, its arena and its checkpoint (NULL: nothing). */
void fd_page_free(struct fd_page *p);
FD_DEFINE_FREEP(page, struct fd_page, fd_page_free)

/* Parses one complete OAI-PMH response (or a Static Repository) in memory
 * into a new page (each record mapped by what its metadata is).  XML that does not parse is
 * FD_E_PARSE with line and column; a body that is not OAI-PMH at all (HTML,
 * other XML) is FD_E_PROTOCOL.  An OAI-PMH <error> is not a failure: the page
 * carries error_code.  Records that fail to map are counted in n_skipped and
 * reported through warn (may be NULL). */
enum fd_status fd_oai_parse_page(const char *source, const char *data, size_t len,
                                 void (*warn)(void *ud, const char *msg), void *ud,
                                 struct fd_page **ret_page, struct fd_error *err);

/* ---- the metadata as harvested (raw.c) ------------------------------- */

/* r->raw (the metadata as harvested, compressed) inflated to its XML text,
 * malloc'ed and NUL-terminated (caller frees).  FD_E_CORRUPT when it does
 * not inflate. */
enum fd_status fd_raw_inflate(const void *data, size_t len, char **ret_text, size_t *ret_len, struct fd_error *err);
/* The version of the mapper that reads format (a record's "format") today,
 * 0 when no mapper reads it (DCAT). */
int fd_mapper_current_version(const char *format);
/* Maps xml (the inflated raw of stored) again with today's mappers, with
 * stored's header (source, identifier, datestamp, sets, format), into a new
 * page holding the one record (caller frees).  FD_E_PARSE when it maps to
 * no record (the reason in err). */
enum fd_status fd_oai_remap(const struct fd_record *stored, const char *xml, size_t len, struct fd_page **ret_page,
                            struct fd_error *err);

/* ---- the OAI-PMH driver ----------------------------------------------- */

struct fd_harvest_sink {
        /* Takes the page (always).  Returns false to stop the harvest
         * (FD_E_CANCELLED). */
        bool (*page)(void *userdata, struct fd_page *page);
        /* A record skipped or a request retried: a one-line message. */
        void (*warn)(void *userdata, const char *msg);
        void *userdata;
};

struct fd_harvest_opts {
        const char *source;           /* the source's name, prefix of record ids */
        const char *url;              /* base URL (http/https) or file:// Static Repository */
        const char *metadata_prefix;  /* any name (never refused for it); NULL: the
                                       * richest the source offers */
        const char *const *format_preference;  /* n_format_preference metadataPrefixes, best
                                                * first; none: every offered format a mapper
                                                * reads (by its ListMetadataFormats namespace),
                                                * richest first */
        size_t n_format_preference;
        char *const *sets;            /* n_sets setSpecs; none: the whole repository */
        size_t n_sets;
        const char *user_agent;
        size_t page_arena_cap;        /* bytes per page; 0: 64 MiB */
        size_t static_page_records;   /* records per page from a Static Repository; 0: 500 */
        unsigned max_retries;         /* per request, for 5xx/transport/parse failures; 0: 3 */
        unsigned max_run_retries;     /* retries in one run, all requests together; 0: 50 */
        unsigned long max_pages;      /* pages of one list in one run; 0: 1,000,000 */
        unsigned min_delay_ms;        /* at least this long between two requests; 0: none */
        const struct fd_checkpoint *resume;  /* the committed checkpoint, or NULL: a full harvest */
        atomic_bool *cancel;          /* set to stop after the page in hand, or NULL */
};

/* Runs one harvest of a source: asks Identify (and, for a new run without
 * a configured or remembered prefix, ListMetadataFormats: see
 * docs/oai-pmh.md; configured sets are checked with ListSets, a missing
 * one told through warn), then continues an open list from resume->token,
 * else starts ListRecords (with from = resume->last_complete less one
 * granule, at the source's granularity, when set), follows resumption
 * tokens (URL-encoded) and hands each page to the sink with its
 * checkpoint (which carries granularity, deleted_record and
 * metadata_prefix).  Several sets are listed one after the other in one
 * run (checkpoint.set says which list is open or next).  The final page
 * has last set and its checkpoint's last_complete = run_start.  A file://
 * URL is read as one OAI-PMH Static Repository, streamed and cut into
 * pages of static_page_records.  noRecordsMatch is a successful empty run.
 * Statuses: FD_OK, FD_E_CANCELLED, FD_E_HTTP, FD_E_PARSE, FD_E_PROTOCOL
 * (a list that does not end included), FD_E_LIMIT, with the URL in the
 * message. */
enum fd_status fd_oai_harvest(const struct fd_harvest_opts *opts, const struct fd_harvest_sink *sink,
                              struct fd_error *err);

/* Runs one harvest of an OGC CSW 2.0.2 catalogue (csw.c; docs/csw.md):
 * GetRecords with outputSchema ISO 19139, resultType=results, paged by
 * startPosition / nextRecord; each response a page of records (identifier:
 * the ISO fileIdentifier, datestamp: its dateStamp) mapped by what they
 * are, its next startPosition the checkpoint's token, so that a stopped run
 * goes on (opts: source, url, user_agent, page_arena_cap, max_retries,
 * max_run_retries, min_delay_ms, resume, cancel).  Statuses as
 * fd_oai_harvest's; an ows:ExceptionReport is FD_E_PROTOCOL with its text. */
enum fd_status fd_csw_harvest(const struct fd_harvest_opts *opts, const struct fd_harvest_sink *sink,
                              struct fd_error *err);

/* ---- reconciliation ---------------------------------------------------- */

typedef enum fd_status (*fd_identifier_fn)(void *userdata, const char *identifier, const char *datestamp,
                                           bool deleted);
/* Lists every identifier the source has for the harvest's format and sets
 * (ListIdentifiers, following tokens, with the same retries), calling fn for
 * each header (identifier is the OAI identifier, datestamp normalized or
 * NULL).  The format is opts->metadata_prefix, else opts->resume's
 * metadata_prefix, else oai_dc.  FD_OK only when the whole list completed;
 * fn's non-OK status stops it and is returned.  A file:// source lists the
 * headers of its records. */
enum fd_status fd_oai_list_identifiers(const struct fd_harvest_opts *opts, fd_identifier_fn fn, void *userdata,
                                       struct fd_error *err);

/* ---- DCAT and CKAN (dcat.c; docs/dcat.md) ------------------------------ */

struct fd_dcat_opts {
        const char *state_file;   /* what the last complete run saw (hashes, ids);
                                   * NULL: nothing is skipped or deleted */
        bool ckan;                /* opts->url is a CKAN site: package_search */
        unsigned long max_pages;  /* documents in one run; 0: 100,000 */
        size_t max_document;      /* bytes of one document, spooled to disk; 0: 16 GiB
                                   * (JSON, parsed whole, at most 256 MiB) */
        size_t max_triples;       /* triples of one document; 0: 100 million */
        size_t memory_budget;     /* bytes of a document's graph held in memory, the
                                   * rest sorted on disk; 0: 32 MiB */
        const char *contexts_dir; /* JSON-LD contexts beyond the bundled ones, named
                                   * in <contexts_dir>/index.tsv (read at the start
                                   * of each run); NULL: the bundled ones only */
};

/* Lists every dataset of the CKAN site opts->url (package_list, or where
 * the site refuses it package_search with only names, trusted only when its
 * count held still while it paged) as <site>/dataset/<name>, the ids the
 * harvest gives them, calling fn for each (datestamp NULL, deleted false),
 * with fd_oai_list_identifiers' fetch policy.  FD_OK only when the whole
 * list came; fn's non-OK status stops it and is returned. */
enum fd_status fd_ckan_list_identifiers(const struct fd_harvest_opts *opts, fd_identifier_fn fn, void *userdata,
                                        struct fd_error *err);

/* Runs one harvest of a DCAT catalogue (RDF/XML, Turtle, N-Triples,
 * JSON-LD, DCAT-US data.json, schema.org Dataset) following Hydra paging,
 * or of a CKAN site (dopts->ckan), handing pages of dataset records to the
 * sink (opts: source, url, user_agent, page_arena_cap, static_page_records
 * as records per page, max_retries, max_run_retries, min_delay_ms, resume,
 * cancel; dopts may be NULL).  Requests are fetched as fd_oai_harvest's
 * are (delay, retries, Retry-After, the run's budget), but a body that
 * does not parse is not asked again.
 * Datasets unchanged since the last complete run are counted in
 * n_skipped, not rewritten; after a complete run the datasets the source no
 * longer lists come as deleted records in the last page.  A document that
 * is not well-formed ends the run with FD_E_PARSE naming URL, line and
 * column after what was read before it was handed over; nothing is
 * deleted then. */
enum fd_status fd_dcat_harvest(const struct fd_harvest_opts *opts, const struct fd_dcat_opts *dopts,
                               const struct fd_harvest_sink *sink, struct fd_error *err);

#ifdef __cplusplus
}
#endif

#endif
