/* fd_harvesters.h: fetching over HTTP (libcurl), the OAI-PMH driver and the
 * mappers from metadata formats to struct fd_record.
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
};

void fd_checkpoint_release(struct fd_checkpoint *c);
/* Deep copy of src into dst (dst is overwritten, not released). */
enum fd_status fd_checkpoint_copy(struct fd_checkpoint *dst, const struct fd_checkpoint *src);
/* JSON text (malloc'ed) of c, and back.  from_json: FD_E_PARSE on bad text. */
char *fd_checkpoint_to_json(const struct fd_checkpoint *c);
enum fd_status fd_checkpoint_from_json(const char *text, struct fd_checkpoint *ret, struct fd_error *err);

FD_LIST(fd_record_ptrs, struct fd_record *);

struct fd_page {
        struct fd_arena *arena;      /* owns every string and record below */
        const char *source;
        const char *url;             /* the request that produced it */
        const char *response_date;   /* OAI responseDate, or NULL */
        const char *error_code;      /* OAI-PMH <error code>, or NULL */
        const char *error_message;
        struct fd_record_ptrs records;   /* deleted ones have r->deleted set */
        size_t n_skipped;            /* records that failed to map (reported to warn) */
        const char *token;           /* resumptionToken text; NULL or "" on the last page */
        long complete_list_size;     /* -1 when not given */
        struct fd_checkpoint checkpoint; /* the source's state once this page is committed */
        bool last;                   /* the final page of a run that completed */
};

void fd_page_free(struct fd_page *p);
FD_DEFINE_FREEP(page, struct fd_page, fd_page_free)

/* Parses one complete OAI-PMH response (or a Static Repository) in memory
 * into a new page (records mapped from oai_dc).  XML that does not parse is
 * FD_E_PARSE with line and column; a body that is not OAI-PMH at all (HTML,
 * other XML) is FD_E_PROTOCOL.  An OAI-PMH <error> is not a failure: the page
 * carries error_code.  Records that fail to map are counted in n_skipped and
 * reported through warn (may be NULL). */
enum fd_status fd_oai_parse_page(const char *source, const char *data, size_t len,
                                 void (*warn)(void *ud, const char *msg), void *ud,
                                 struct fd_page **ret_page, struct fd_error *err);

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
        const char *metadata_prefix;  /* NULL: oai_dc */
        char *const *sets;            /* n_sets setSpecs; none: the whole repository */
        size_t n_sets;
        const char *user_agent;
        size_t page_arena_cap;        /* bytes per page; 0: 64 MiB */
        size_t static_page_records;   /* records per page from a Static Repository; 0: 500 */
        unsigned max_retries;         /* per request, for 5xx/transport/parse failures; 0: 3 */
        const struct fd_checkpoint *resume;  /* the committed checkpoint, or NULL: a full harvest */
        atomic_bool *cancel;          /* set to stop after the page in hand, or NULL */
};

/* Runs one harvest of a source: continues an open list from resume->token,
 * else starts ListRecords (with from = resume->last_complete when set),
 * follows resumption tokens (URL-encoded) and hands each page to the sink
 * with its checkpoint.  Several sets are listed one after the other in one
 * run (checkpoint.set says which list is open or next).  The final page has
 * last set and its checkpoint's last_complete = run_start.  A file:// URL is read as one OAI-PMH Static
 * Repository, streamed and cut into pages of static_page_records.
 * noRecordsMatch is a successful empty run.  Statuses: FD_OK, FD_E_CANCELLED,
 * FD_E_HTTP, FD_E_PARSE, FD_E_PROTOCOL (with the URL in the message). */
enum fd_status fd_oai_harvest(const struct fd_harvest_opts *opts, const struct fd_harvest_sink *sink,
                              struct fd_error *err);

#ifdef __cplusplus
}
#endif

#endif
