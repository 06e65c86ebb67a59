/* util.c: statuses, errors, the arena, the bounded buffer, time helpers.
 *
 * The arena is a chain of blocks; allocations bump a pointer in the newest
 * block and a block too small for a request starts a new one (at least as
 * large as the request).  The cap counts block bytes, so a page that would
 * outgrow it fails with NULL (FD_E_LIMIT for the caller), never with OOM.
 */
#include <errno.h>
#include <pthread.h>

#include "fd_util.h"

static const char *const status_names[FD_STATUS_COUNT] = {
        [FD_OK] = "ok",
        [FD_E_NOMEM] = "nomem",
        [FD_E_INVALID] = "invalid",
        [FD_E_PARSE] = "parse",
        [FD_E_LIMIT] = "limit",
        [FD_E_IO] = "io",
        [FD_E_HTTP] = "http",
        [FD_E_PROTOCOL] = "protocol",
        [FD_E_NOTFOUND] = "not_found",
        [FD_E_INDEX] = "index",
        [FD_E_LOCKED] = "locked",
        [FD_E_CORRUPT] = "corrupt",
        [FD_E_UNSUPPORTED] = "unsupported",
        [FD_E_CANCELLED] = "cancelled",
        [FD_E_INTERNAL] = "internal",
};

const char *fd_status_name(enum fd_status s) {
        if ((unsigned)s >= FD_STATUS_COUNT)
                return "internal";
        return status_names[s];
}

enum fd_status fd_error_set(struct fd_error *err, enum fd_status status, const char *fmt, ...) {
        if (err) {
                va_list ap;
                va_start(ap, fmt);
                vsnprintf(err->msg, sizeof err->msg, fmt, ap);
                va_end(ap);
                err->status = status;
        }
        return status;
}

void fd_error_prefix(struct fd_error *err, const char *fmt, ...) {
        char old[FD_ERROR_MAX];
        va_list ap;
        int n;

        if (!err)
                return;
        memcpy(old, err->msg, sizeof old);
        va_start(ap, fmt);
        n = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n + 2 < sizeof err->msg) {
                memcpy(err->msg + n, ": ", 3);
                size_t room = sizeof err->msg - (size_t)n - 2;
                size_t len = strnlen(old, room - 1);
                memcpy(err->msg + n + 2, old, len);
                err->msg[(size_t)n + 2 + len] = '\0';
        }
}

void fd_error_clear(struct fd_error *err) {
        if (err) {
                err->status = FD_OK;
                err->msg[0] = '\0';
        }
}

char *fd_snippet(const char *s, size_t len, char *out, size_t outsz) {
        size_t i, n = 0;

        if (outsz == 0)
                return out;
        for (i = 0; s && i < len && n + 1 < outsz; i++) {
                unsigned char c = (unsigned char)s[i];
                out[n++] = (c >= 0x20 && c < 0x7f) ? (char)c : '.';
        }
        out[n] = '\0';
        return out;
}

/* ---- arena ------------------------------------------------------------ */

#define ARENA_BLOCK 65536
#define ARENA_ALIGN 16

struct arena_block {
        struct arena_block *prev;
        size_t size, used;
        _Alignas(ARENA_ALIGN) unsigned char data[];
};

struct fd_arena {
        struct arena_block *head;  /* newest block */
        size_t cap, total, handed;
};

static struct arena_block *block_new(size_t size) {
        struct arena_block *b = malloc(sizeof *b + size);
        if (!b)
                return NULL;
        b->prev = NULL;
        b->size = size;
        b->used = 0;
        return b;
}

struct fd_arena *fd_arena_new(size_t cap) {
        struct fd_arena *a = calloc(1, sizeof *a);
        if (!a)
                return NULL;
        a->cap = cap;
        a->head = block_new(ARENA_BLOCK < cap ? ARENA_BLOCK : cap);
        if (!a->head) {
                free(a);
                return NULL;
        }
        a->total = a->head->size;
        return a;
}

void fd_arena_free(struct fd_arena *a) {
        if (!a)
                return;
        for (struct arena_block *b = a->head, *p; b; b = p) {
                p = b->prev;
                free(b);
        }
        free(a);
}

void fd_arena_reset(struct fd_arena *a) {
        struct arena_block *b = a->head;
        while (b->prev) {
                struct arena_block *p = b->prev;
                free(b);
                b = p;
        }
        b->used = 0;
        a->head = b;
        a->total = b->size;
        a->handed = 0;
}

void *fd_arena_alloc(struct fd_arena *a, size_t size) {
        struct arena_block *b = a->head;
        size_t need = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);

        if (need < size)
                return NULL;
        if (b->size - b->used < need) {
                size_t bs = need > ARENA_BLOCK ? need : ARENA_BLOCK;
                if (a->total + bs > a->cap || a->total + bs < a->total)
                        return NULL;
                b = block_new(bs);
                if (!b)
                        return NULL;
                b->prev = a->head;
                a->head = b;
                a->total += bs;
        }
        void *p = b->data + b->used;
        b->used += need;
        a->handed += need;
        memset(p, 0, size);
        return p;
}

char *fd_arena_strndup(struct fd_arena *a, const char *s, size_t n) {
        if (!s)
                return NULL;
        char *p = fd_arena_alloc(a, n + 1);
        if (!p)
                return NULL;
        memcpy(p, s, n);
        p[n] = '\0';
        return p;
}

char *fd_arena_strdup(struct fd_arena *a, const char *s) {
        return s ? fd_arena_strndup(a, s, strlen(s)) : NULL;
}

char *fd_arena_printf(struct fd_arena *a, const char *fmt, ...) {
        va_list ap, ap2;
        va_start(ap, fmt);
        va_copy(ap2, ap);
        int n = vsnprintf(NULL, 0, fmt, ap);
        va_end(ap);
        char *p = n < 0 ? NULL : fd_arena_alloc(a, (size_t)n + 1);
        if (p)
                vsnprintf(p, (size_t)n + 1, fmt, ap2);
        va_end(ap2);
        return p;
}

size_t fd_arena_used(const struct fd_arena *a) { return a->handed; }

void *fd_arena_push(struct fd_arena *a, void **items, size_t *n, size_t *cap, size_t size) {
        if (*n == *cap) {
                size_t ncap = *cap ? *cap * 2 : 4;
                void *nv = fd_arena_alloc(a, ncap * size);
                if (!nv)
                        return NULL;
                if (*n)
                        memcpy(nv, *items, *n * size);
                *items = nv;
                *cap = ncap;
        }
        void *slot = (char *)*items + (*n)++ * size;
        memset(slot, 0, size);
        return slot;
}

/* ---- bounded buffer --------------------------------------------------- */

void fd_buf_init(struct fd_buf *b, size_t max) {
        b->data = NULL;
        b->len = b->cap = 0;
        b->max = max;
}

void fd_buf_release(struct fd_buf *b) {
        free(b->data);
        fd_buf_init(b, b->max);
}

void fd_buf_reset(struct fd_buf *b) {
        b->len = 0;
        if (b->data)
                b->data[0] = '\0';
}

static enum fd_status buf_reserve(struct fd_buf *b, size_t n) {
        if (n > b->max || b->len + n > b->max)
                return FD_E_LIMIT;
        if (b->len + n + 1 > b->cap) {
                size_t ncap = b->cap ? b->cap : 256;
                while (ncap < b->len + n + 1)
                        ncap *= 2;
                if (ncap > b->max + 1)
                        ncap = b->max + 1;
                char *nd = realloc(b->data, ncap);
                if (!nd)
                        return FD_E_NOMEM;
                b->data = nd;
                b->cap = ncap;
        }
        return FD_OK;
}

enum fd_status fd_buf_append(struct fd_buf *b, const void *data, size_t n) {
        enum fd_status s = buf_reserve(b, n);
        if (s)
                return s;
        if (n)
                memcpy(b->data + b->len, data, n);
        b->len += n;
        b->data[b->len] = '\0';
        return FD_OK;
}

enum fd_status fd_buf_printf(struct fd_buf *b, const char *fmt, ...) {
        va_list ap, ap2;
        va_start(ap, fmt);
        va_copy(ap2, ap);
        int n = vsnprintf(NULL, 0, fmt, ap);
        va_end(ap);
        enum fd_status s = n < 0 ? FD_E_INVALID : buf_reserve(b, (size_t)n);
        if (s == FD_OK) {
                vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
                b->len += (size_t)n;
        }
        va_end(ap2);
        return s;
}

/* ---- time ------------------------------------------------------------- */

char *fd_time_iso(int64_t t, char *out, size_t outsz) {
        struct tm tm;
        time_t tt = (time_t)t;
        if (!gmtime_r(&tt, &tm) || strftime(out, outsz, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
                if (outsz)
                        out[0] = '\0';
        }
        return out;
}

/* Reads n digits at s into *ret; false unless all n are digits (sscanf's
 * %d would also take signs and leading spaces). */
static bool fixed_digits(const char *s, int n, int *ret) {
        int v = 0;
        for (int i = 0; i < n; i++) {
                if (s[i] < '0' || s[i] > '9')
                        return false;
                v = v * 10 + (s[i] - '0');
        }
        *ret = v;
        return true;
}

bool fd_time_parse_iso(const char *s, int64_t *ret_t) {
        static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        struct tm tm = {0};
        int y, mon, mday;

        if (!fixed_digits(s, 4, &y) || s[4] != '-' || !fixed_digits(s + 5, 2, &mon) || s[7] != '-' ||
            !fixed_digits(s + 8, 2, &mday))
                return false;
        if (s[10] == 'T') {
                if (!fixed_digits(s + 11, 2, &tm.tm_hour) || s[13] != ':' || !fixed_digits(s + 14, 2, &tm.tm_min) ||
                    s[16] != ':' || !fixed_digits(s + 17, 2, &tm.tm_sec) || s[19] != 'Z' || s[20] != '\0')
                        return false;
        } else if (s[10] != '\0')
                return false;
        if (mon < 1 || mon > 12 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
                return false;
        /* timegm would quietly turn 2019-02-31 into 2019-03-03 */
        bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        if (mday < 1 || mday > mdays[mon - 1] + (mon == 2 && leap))
                return false;
        tm.tm_year = y - 1900;
        tm.tm_mon = mon - 1;
        tm.tm_mday = mday;
        *ret_t = (int64_t)timegm(&tm);
        return true;
}

int64_t fd_time_now(void) { return (int64_t)time(NULL); }

int64_t fd_time_mono_ms(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
