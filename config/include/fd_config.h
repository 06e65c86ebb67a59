/* fd_config.h: the daemon's YAML configuration (libyaml), loaded and
 * validated into one immutable struct.
 *
 *   state_dir: /var/lib/fairdex      # the index lives in <state_dir>/index
 *   socket: /run/fairdex/fairdex.sock
 *   socket_mode: "0660"              # optional: the socket's permissions (octal)
 *   log_level: info                  # err | warning | notice | info | debug
 *   contact: ops@example.org         # named in the HTTP User-Agent
 *   max_harvests: 4                  # optional: harvests running at once, 1..64
 *   stuck_after: 30m                 # optional: no committed page for this long
 *                                    # cancels the run (off: never)
 *   contexts_dir: contexts           # optional: JSON-LD contexts beyond the bundled
 *                                    # ones, named in <contexts_dir>/index.tsv
 *   http:                            # optional: the read-only HTTP listener (off without it)
 *     listen: "127.0.0.1:8080"       # host:port (IPv6 as [::1]:8080); a socket named
 *                                    # "http" handed over by systemd takes its place
 *     base_url: https://fairdex.example.org   # optional: the public URL (default http://<listen>)
 *     repository_name: "fairdex"     # optional: OAI-PMH Identify's repositoryName
 *     admin_email: ops@example.org   # optional: Identify's adminEmail (default: contact)
 *   index:                           # optional: shards (docs/configuration.md); without
 *     route: hash                    # it one database in <state_dir>/index
 *     readonly: false                # true: serve searches only, harvest nothing
 *     shards:                        # hash (of the record id, default) | source
 *       - path: /var/lib/fairdex/shard0   # a local database directory
 *       - remote: tcp://10.0.0.2:7001     # a xapian-tcpsrv --writable (the writer)
 *         search: tcp://10.0.0.2:7101     # optional: a read-only xapian-tcpsrv on
 *                                         # the same database (searches)
 *   sources:
 *     - name: zenodo                 # [A-Za-z0-9_.-]{1,64}, unique
 *       type: oai-pmh                # oai-pmh | dcat | ckan | csw
 *       url: https://zenodo.org/oai2d
 *       metadata_prefix: oai_dc      # optional
 *       sets: [user-eosc]            # optional, a list of setSpecs
 *       interval: 6h                 # optional: N (seconds) or Ns, Nm, Nh, Nd, Nw
 *       delay: 500ms                 # optional: least time between two requests
 *       reconcile: 7d                # optional: deletion reconciliation period, or off
 *       formats: [oai_datacite, oai_dc]  # optional: metadataPrefixes, most wanted first
 *       window: "22:00-06:00"        # optional: runs start and go only in this daily
 *                                    # UTC window (end before start: across midnight)
 *
 * Relative paths (state_dir, socket, contexts_dir) and relative file: URLs are resolved
 * against the directory of the file, with "." and ".." dropped, so the
 * struct below holds only absolute paths and file:///absolute URLs.
 *
 * Every error names the file, line and column ("fairdex.yaml:7:5: unknown
 * key 'nmae' in source") and the daemon refuses to start with it.
 */
#ifndef FD_CONFIG_H
#define FD_CONFIG_H

#include "fd_util.h"

#ifdef __cplusplus
extern "C" {
#endif

enum fd_source_type {
        FD_SOURCE_OAI_PMH,
        FD_SOURCE_DCAT,
        FD_SOURCE_CKAN,   /* a CKAN site read through its action API (issue 7) */
        FD_SOURCE_CSW,    /* an OGC CSW 2.0.2 catalogue, GetRecords in ISO 19139 (issue 15) */
};

/* "oai-pmh", "dcat", "ckan" or "csw". */
const char *fd_source_type_name(enum fd_source_type t);

#define FD_CONFIG_DEFAULT_INTERVAL (24 * 3600)
/* Between two requests to an http(s) source (file: sources have none). */
#define FD_CONFIG_DEFAULT_DELAY_MS 500
#define FD_CONFIG_MAX_DELAY_MS (600 * 1000)
#define FD_CONFIG_DEFAULT_RECONCILE (7 * 86400)
#define FD_CONFIG_DEFAULT_MAX_HARVESTS 4
#define FD_CONFIG_MAX_HARVESTS 64
#define FD_CONFIG_DEFAULT_STUCK_AFTER (30 * 60)
/* The query socket's mode when the configuration names none. */
#define FD_CONFIG_DEFAULT_SOCKET_MODE 0660

/* A daily time window in UTC with minute resolution: [start, end), an end
 * before the start crossing midnight.  start == end means no window (open
 * at any time), so a zeroed struct is "no window". */
struct fd_window {
        unsigned short start, end;  /* minutes after 00:00 UTC, 0..1439 */
};

/* "HH:MM-HH:MM" plus its NUL. */
#define FD_WINDOW_TEXT 12

struct fd_source_config {
        char *name;
        enum fd_source_type type;
        char *url;                /* http://, https:// or file:// (file:rel made absolute) */
        char *metadata_prefix;    /* NULL: the driver chooses */
        char **sets;              /* n_sets setSpecs */
        size_t n_sets;
        unsigned interval;        /* seconds between runs, > 0 */
        unsigned delay_ms;        /* least time between two requests to the source */
        unsigned reconcile;       /* seconds between deletion reconciliations; 0: never */
        char **formats;           /* n_formats metadataPrefixes, most wanted first; */
        size_t n_formats;         /* none: the harvester's own order */
        struct fd_window window;  /* when runs may start and go; none: any time */
};

/* The HTTP listener (docs/federation.md); enabled when the configuration
 * has an http: mapping. */
struct fd_http_config {
        bool enabled;
        char *host;               /* of listen: a name or address ("" never) */
        unsigned port;            /* 1..65535 */
        char *base_url;           /* without a trailing slash */
        char *repository_name;    /* default "fairdex" */
        char *admin_email;        /* default: contact, else "nobody@localhost" */
};

/* How pages are split over shards: by a stable hash of the record id, or
 * by one of the source name (every record of a source in one shard). */
enum fd_index_route { FD_ROUTE_HASH, FD_ROUTE_SOURCE };

/* "hash" or "source". */
const char *fd_index_route_name(enum fd_index_route r);

/* At most this many shards. */
#define FD_CONFIG_MAX_SHARDS 256

/* One shard of the index: a local directory or a remote xapian-tcpsrv. */
struct fd_shard_config {
        char *path;               /* absolute directory, or NULL for a remote */
        char *remote;             /* "tcp://host:port", or NULL for a path */
        char *search;             /* where searches read it: "tcp://host:port" given
                                     as 'search', else path or remote */
        const char *name;         /* how messages name it: path or remote */
};

/* The index: map.  Without one (configured false) the index is one
 * database in <state_dir>/index and n_shards is 0. */
struct fd_index_config {
        bool configured;
        enum fd_index_route route;       /* default FD_ROUTE_HASH */
        bool readonly;                   /* serve searches only (replicas) */
        struct fd_shard_config *shards;  /* n_shards >= 1 when configured */
        size_t n_shards;
};

/* The shard (0..n-1) a record goes to: route hash takes the record id,
 * route source the source name.  Stable across versions and machines
 * (FNV-1a 64 modulo n): a shard's records never move unless resharded. */
size_t fd_index_route_shard(enum fd_index_route route, size_t n, const char *source, const char *id);

/* The home shard's metadata key recording how the index is laid out,
 * "<route> <shards>" ("hash 2"): written by fairdexd and fairdex reshard,
 * checked by fairdexd at start. */
#define FD_INDEX_LAYOUT_KEY "shards:layout"

struct fd_config {
        char *path;               /* the file it was loaded from */
        char *state_dir;          /* required; absolute */
        char *socket;             /* required; absolute */
        unsigned socket_mode;     /* permission bits of the socket fairdexd creates,
                                     default FD_CONFIG_DEFAULT_SOCKET_MODE */
        enum fd_log_level log_level;  /* default info */
        char *contact;            /* default NULL: User-Agent without contact */
        struct fd_source_config *sources;
        size_t n_sources;
        unsigned max_harvests;    /* harvests running at once, default 4 */
        unsigned stuck_after;     /* seconds without a committed page before a run
                                     is cancelled; 0: never; default 30 min */
        char *contexts_dir;       /* absolute; JSON-LD contexts beyond the bundled
                                     ones (<contexts_dir>/index.tsv); NULL: none */
        struct fd_http_config http;
        struct fd_index_config index;
};

/* Loads and validates the file at path.  On success *ret_config is a new
 * config the caller frees with fd_config_free.  Errors: FD_E_IO (cannot
 * read), FD_E_PARSE (not YAML), FD_E_INVALID (unknown key, wrong type,
 * missing required key, duplicate source name, bad value); the message
 * starts with "path:line:column: ". */
enum fd_status fd_config_load(const char *path, struct fd_config **ret_config, struct fd_error *err);

/* As fd_config_load, from a buffer; name is used in messages and as path. */
enum fd_status fd_config_parse(const char *name, const char *text, size_t len, struct fd_config **ret_config,
                               struct fd_error *err);

void fd_config_free(struct fd_config *c);
FD_DEFINE_FREEP(config, struct fd_config, fd_config_free)

/* The source named name, or NULL. */
const struct fd_source_config *fd_config_source(const struct fd_config *c, const char *name);

/* Time windows.  Times are epoch seconds; a UTC day is 86400 of them (POSIX
 * time has no leap seconds), so the arithmetic is exact and needs no zone. */

/* Parses "HH:MM-HH:MM" (hours 0..23, minutes 00..59, one or two hour digits,
 * blanks around the dash allowed, 24:00 allowed as the end) into *ret.
 * FD_E_INVALID for anything else and for start == end; the message quotes
 * the text. */
enum fd_status fd_window_parse(const char *text, struct fd_window *ret, struct fd_error *err);

/* Whether w is a window at all (start != end). */
bool fd_window_set(const struct fd_window *w);

/* Whether t is inside w (always true without a window). */
bool fd_window_open(const struct fd_window *w, int64_t t);

/* The least time >= t inside w: t itself when w is open at t. */
int64_t fd_window_next_open(const struct fd_window *w, int64_t t);

/* The first time > t outside w, for a t inside it (the close of the window
 * in hand); for a t outside it, the close of the next opening.  INT64_MAX
 * without a window. */
int64_t fd_window_close(const struct fd_window *w, int64_t t);

/* The length of one opening in seconds (86400 without a window). */
int64_t fd_window_length(const struct fd_window *w);

/* w as "HH:MM-HH:MM" into out (FD_WINDOW_TEXT bytes suffice; "" without a
 * window); returns out. */
char *fd_window_format(const struct fd_window *w, char *out, size_t outsz);

#ifdef __cplusplus
}
#endif

#endif
