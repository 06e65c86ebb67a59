/* fd_util.h: the bottom layer of fairdex.
 *
 * Statuses and errors, cleanup helpers, a bounded arena for per-page
 * allocation, a bounded growable buffer, a bounded blocking queue and the
 * stderr logger that only daemon/ and cli/ call.  Nothing here knows about
 * records, HTTP or Xapian.
 */
#ifndef FD_UTIL_H
#define FD_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fd_banned.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- cleanup ---------------------------------------------------------- */

#define _fd_cleanup_(fn) __attribute__((cleanup(fn)))
#define _fd_printf_(a, b) __attribute__((format(printf, a, b)))
#define _fd_unused_ __attribute__((unused))

/* Defines fd_<name>_freep(T **p) calling fn(*p) when *p is not NULL. */
#define FD_DEFINE_FREEP(name, type, fn)                                      \
        static inline void fd_##name##_freep(type **p) {                    \
                if (*p)                                                      \
                        fn(*p);                                              \
        }

/* Hands the pointer over: evaluates to p and sets p to NULL. */
#define FD_TAKE_PTR(p)                                                       \
        ({                                                                   \
                __typeof__(p) _fd_tmp = (p);                                 \
                (p) = NULL;                                                  \
                _fd_tmp;                                                     \
        })

/* The same for a file descriptor: evaluates to fd and sets it to -1. */
#define FD_TAKE_FD(fd)                                                       \
        ({                                                                   \
                int _fd_tmp = (fd);                                          \
                (fd) = -1;                                                   \
                _fd_tmp;                                                     \
        })

#define FD_ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))

static inline void fd_freep(void *p) { free(*(void **)p); }
#define _fd_free_ _fd_cleanup_(fd_freep)

static inline void fd_closep(int *fd) {
        if (*fd >= 0)
                close(*fd);
}
#define _fd_close_ _fd_cleanup_(fd_closep)

FD_DEFINE_FREEP(file, FILE, fclose)

/* ---- status and errors ------------------------------------------------ */

enum fd_status {
        FD_OK = 0,
        FD_E_NOMEM,     /* allocation failed */
        FD_E_INVALID,   /* bad argument or bad input (config, request) */
        FD_E_PARSE,     /* input that does not parse (XML, JSON, YAML) */
        FD_E_LIMIT,     /* a bound was reached (arena, buffer, queue, size) */
        FD_E_IO,        /* file or socket I/O */
        FD_E_HTTP,      /* transport or HTTP status failure */
        FD_E_PROTOCOL,  /* the peer broke its protocol (OAI-PMH error, HTML page) */
        FD_E_NOTFOUND,  /* no such record, key or file */
        FD_E_INDEX,     /* Xapian failure */
        FD_E_LOCKED,    /* the index is locked by another writer */
        FD_E_CORRUPT,   /* the index is corrupt */
        FD_E_UNSUPPORTED, /* a feature this build does not have */
        FD_E_CANCELLED, /* stopped on request (shutdown) */
        FD_E_INTERNAL,  /* our own bug */
        FD_STATUS_COUNT
};

/* Stable lowercase name of a status ("ok", "invalid", ...): the protocol's
 * error codes. */
const char *fd_status_name(enum fd_status s);

#define FD_ERROR_MAX 512

/* An error: a status and a one-line message ready to log as is. */
struct fd_error {
        enum fd_status status;
        char msg[FD_ERROR_MAX];
};

/* Fills err (when not NULL) and returns status, so that callers can write
 * `return fd_error_set(err, FD_E_PARSE, "bad thing '%s'", x);`. */
enum fd_status fd_error_set(struct fd_error *err, enum fd_status status, const char *fmt, ...)
        _fd_printf_(3, 4);

/* Prepends "<context>: " to err's message (no-op when err is NULL). */
void fd_error_prefix(struct fd_error *err, const char *fmt, ...) _fd_printf_(2, 3);

/* Resets err to FD_OK and an empty message. */
void fd_error_clear(struct fd_error *err);

/* Copies at most max bytes of s into out (size outsz, NUL-terminated),
 * non-printable bytes as '.', for quoting bad input in messages.  Returns out. */
char *fd_snippet(const char *s, size_t len, char *out, size_t outsz);

/* ---- arena ------------------------------------------------------------ */

/* A bump allocator with a byte cap.  Everything a page produces lives in its
 * arena and is freed in one go.  Not thread-safe; owned by one thread at a
 * time (ownership moves with the page). */
struct fd_arena;

/* New arena that refuses to grow beyond cap bytes.  NULL on OOM. */
struct fd_arena *fd_arena_new(size_t cap);
void fd_arena_free(struct fd_arena *a);
FD_DEFINE_FREEP(arena, struct fd_arena, fd_arena_free)

/* Frees everything but the first block. */
void fd_arena_reset(struct fd_arena *a);

/* Zeroed, 16-byte aligned memory living in a; NULL when the cap is hit. */
void *fd_arena_alloc(struct fd_arena *a, size_t size);
/* Copies of s (or its first n bytes) living in a; NULL on cap (or s NULL). */
char *fd_arena_strdup(struct fd_arena *a, const char *s);
char *fd_arena_strndup(struct fd_arena *a, const char *s, size_t n);
char *fd_arena_printf(struct fd_arena *a, const char *fmt, ...) _fd_printf_(2, 3);
/* Bytes handed out so far. */
size_t fd_arena_used(const struct fd_arena *a);

/* Appends one zeroed element to an arena-backed array (*items, *n, *cap),
 * doubling it when full.  Returns the new element or NULL on cap. */
void *fd_arena_push(struct fd_arena *a, void **items, size_t *n, size_t *cap, size_t size);
#define FD_PUSH(arena, list)                                                 \
        ((__typeof__((list).v))fd_arena_push((arena), (void **)&(list).v,    \
                                             &(list).n, &(list).cap,         \
                                             sizeof *(list).v))

/* ---- bounded buffer --------------------------------------------------- */

/* A growable byte buffer with a maximum, always NUL-terminated. */
struct fd_buf {
        char *data;
        size_t len, cap, max;
};

void fd_buf_init(struct fd_buf *b, size_t max);
void fd_buf_release(struct fd_buf *b);
void fd_buf_reset(struct fd_buf *b);
/* FD_E_LIMIT when len would exceed max, FD_E_NOMEM on OOM; b unchanged then. */
enum fd_status fd_buf_append(struct fd_buf *b, const void *data, size_t n);
enum fd_status fd_buf_printf(struct fd_buf *b, const char *fmt, ...) _fd_printf_(2, 3);

/* ---- bounded blocking queue ------------------------------------------- */

/* A fixed-capacity FIFO of pointers between threads.  Push blocks while full,
 * pop blocks while empty; after fd_queue_close both return false once the
 * queue is drained. */
struct fd_queue;

struct fd_queue *fd_queue_new(size_t capacity);
void fd_queue_free(struct fd_queue *q);
/* Takes item; false (item not taken) when the queue is closed. */
bool fd_queue_push(struct fd_queue *q, void *item);
/* Waits for an item; false when closed and empty. */
bool fd_queue_pop(struct fd_queue *q, void **ret_item);
void fd_queue_close(struct fd_queue *q);
size_t fd_queue_length(struct fd_queue *q);

/* ---- time ------------------------------------------------------------- */

/* Seconds since the epoch as "YYYY-MM-DDThh:mm:ssZ" into out (>= 21 bytes). */
char *fd_time_iso(int64_t t, char *out, size_t outsz);
/* Parses "YYYY-MM-DD" or "YYYY-MM-DDThh:mm:ssZ"; false if it is neither. */
bool fd_time_parse_iso(const char *s, int64_t *ret_t);
int64_t fd_time_now(void);
/* Monotonic milliseconds. */
int64_t fd_time_mono_ms(void);

/* ---- files and hashing (file.c) --------------------------------------- */

/* 64-bit FNV-1a of n bytes; fd_hash_more continues a hash (start from
 * FD_HASH_INIT).  Stable across builds: fit for state files and terms. */
#define FD_HASH_INIT UINT64_C(14695981039346656037)
uint64_t fd_hash(const void *data, size_t n);
uint64_t fd_hash_more(uint64_t h, const void *data, size_t n);
static inline uint64_t fd_hash_str(const char *s) { return fd_hash(s, strlen(s)); }

/* mkdir -p (mode 0755): creates path and its missing parents.  FD_E_IO
 * names the directory that could not be made. */
enum fd_status fd_mkdir_p(const char *path, struct fd_error *err);

/* A durable replace of a file: write to r->f, then commit (fsync, rename
 * over path, fsync of the directory) or abort (the temporary file goes,
 * path is untouched).  Readers see the old content or the new, whole. */
struct fd_replace {
        FILE *f;
        char *path, *tmp;
};
enum fd_status fd_replace_open(struct fd_replace *r, const char *path, struct fd_error *err);
/* Releases r whatever its state; commit and abort both leave it released. */
enum fd_status fd_replace_commit(struct fd_replace *r, struct fd_error *err);
void fd_replace_abort(struct fd_replace *r);
/* The whole replace for content in memory. */
enum fd_status fd_file_replace(const char *path, const void *data, size_t n, struct fd_error *err);

/* ---- logging (daemon/ and cli/ only) ---------------------------------- */

/* syslog priorities, as journald reads them from a "<N>" prefix. */
enum fd_log_level {
        FD_LOG_ERR = 3,
        FD_LOG_WARNING = 4,
        FD_LOG_NOTICE = 5,
        FD_LOG_INFO = 6,
        FD_LOG_DEBUG = 7,
};

/* Parses "err", "warning", "notice", "info", "debug". */
bool fd_log_level_parse(const char *s, enum fd_log_level *ret);
const char *fd_log_level_name(enum fd_log_level l);
void fd_log_set_level(enum fd_log_level l);
enum fd_log_level fd_log_get_level(void);
/* One line to stderr: "<N>message\n"; dropped above the set level. */
void fd_log(enum fd_log_level l, const char *fmt, ...) _fd_printf_(2, 3);

#ifdef __cplusplus
}
#endif

#endif
