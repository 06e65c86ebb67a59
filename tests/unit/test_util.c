/* test_util.c: the bottom layer: statuses and errors, snippets, the arena
 * and FD_PUSH, the bounded buffer, the queue across threads, ISO time and
 * the logger's levels and line format.
 */
#include <check.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>

#include "fd_test.h"
#include "fd_util.h"

/* ---- statuses and errors ------------------------------------------------ */

START_TEST(test_status_names) {
        ck_assert_str_eq(fd_status_name(FD_OK), "ok");
        ck_assert_str_eq(fd_status_name(FD_E_NOMEM), "nomem");
        ck_assert_str_eq(fd_status_name(FD_E_INVALID), "invalid");
        ck_assert_str_eq(fd_status_name(FD_E_LIMIT), "limit");
        ck_assert_str_eq(fd_status_name(FD_E_NOTFOUND), "not_found");
        ck_assert_str_eq(fd_status_name(FD_E_INTERNAL), "internal");
        ck_assert_str_eq(fd_status_name(FD_STATUS_COUNT), "internal");
        ck_assert_str_eq(fd_status_name((enum fd_status)-1), "internal");
        /* every status has its own name */
        for (int a = 0; a < FD_STATUS_COUNT; a++)
                for (int b = a + 1; b < FD_STATUS_COUNT; b++)
                        ck_assert_str_ne(fd_status_name((enum fd_status)a), fd_status_name((enum fd_status)b));
}
END_TEST

START_TEST(test_error_set_prefix) {
        struct fd_error err;

        fd_error_clear(&err);
        ck_assert_int_eq(err.status, FD_OK);
        ck_assert_str_eq(err.msg, "");
        ck_assert_int_eq(fd_error_set(&err, FD_E_PARSE, "invalid char 0x%02x at line %d", 0x1b, 12), FD_E_PARSE);
        ck_assert_int_eq(err.status, FD_E_PARSE);
        ck_assert_str_eq(err.msg, "invalid char 0x1b at line 12");
        fd_error_prefix(&err, "page %d", 37);
        fd_error_prefix(&err, "source '%s'", "zenodo");
        ck_assert_str_eq(err.msg, "source 'zenodo': page 37: invalid char 0x1b at line 12");
        ck_assert_int_eq(err.status, FD_E_PARSE);
        fd_error_clear(&err);
        ck_assert_int_eq(err.status, FD_OK);
        ck_assert_str_eq(err.msg, "");

        /* NULL err: the status still comes back, nothing else happens */
        ck_assert_int_eq(fd_error_set(NULL, FD_E_IO, "x"), FD_E_IO);
        fd_error_prefix(NULL, "ctx");
        fd_error_clear(NULL);
}
END_TEST

START_TEST(test_error_bounds) {
        struct fd_error err;
        char big[2 * FD_ERROR_MAX];

        memset(big, 'm', sizeof big - 1);
        big[sizeof big - 1] = '\0';
        fd_error_set(&err, FD_E_LIMIT, "%s", big);
        ck_assert_uint_eq(strlen(err.msg), FD_ERROR_MAX - 1);

        /* a prefix on a full message: the prefix first, the rest cut */
        fd_error_prefix(&err, "source '%s'", "x");
        ck_assert_uint_eq(strlen(err.msg), FD_ERROR_MAX - 1);
        ck_assert(strncmp(err.msg, "source 'x': mmm", 15) == 0);

        /* a prefix longer than the message buffer: cut, terminated */
        fd_error_set(&err, FD_E_LIMIT, "old");
        fd_error_prefix(&err, "%s", big);
        ck_assert_uint_eq(strlen(err.msg), FD_ERROR_MAX - 1);
        ck_assert_int_eq(err.status, FD_E_LIMIT);

        /* a prefix that leaves just room for ": " and a little */
        memset(big, 'p', FD_ERROR_MAX - 6);
        big[FD_ERROR_MAX - 6] = '\0';
        fd_error_set(&err, FD_E_LIMIT, "tail of message");
        fd_error_prefix(&err, "%s", big);
        ck_assert_uint_eq(strlen(err.msg), FD_ERROR_MAX - 1);
        ck_assert_str_eq(err.msg + FD_ERROR_MAX - 6, ": tai");
}
END_TEST

START_TEST(test_snippet) {
        char out[16];

        ck_assert_str_eq(fd_snippet("abc", 3, out, sizeof out), "abc");
        ck_assert_ptr_eq(fd_snippet("abc", 3, out, sizeof out), out);
        ck_assert_str_eq(fd_snippet("a\x01\nb\x7f\xc3\xa9", 7, out, sizeof out), "a..b...");
        ck_assert_str_eq(fd_snippet("abcdef", 3, out, sizeof out), "abc");
        /* out bounds the copy */
        ck_assert_str_eq(fd_snippet("0123456789abcdefghij", 20, out, sizeof out), "0123456789abcde");
        ck_assert_str_eq(fd_snippet("abc", 3, out, 1), "");
        /* embedded NUL bytes are bytes like any other */
        ck_assert_str_eq(fd_snippet("a\0b", 3, out, sizeof out), "a.b");
        ck_assert_str_eq(fd_snippet(NULL, 10, out, sizeof out), "");
        out[0] = 'z';
        fd_snippet("abc", 3, out, 0);
        ck_assert_int_eq(out[0], 'z');
}
END_TEST

/* ---- arena ------------------------------------------------------------------ */

START_TEST(test_arena_basics) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = fd_arena_new(1 << 20);
        ck_assert_ptr_nonnull(a);
        ck_assert_uint_eq(fd_arena_used(a), 0);

        unsigned char *p = fd_arena_alloc(a, 100);
        ck_assert_ptr_nonnull(p);
        ck_assert_uint_eq((uintptr_t)p % 16, 0);
        for (int i = 0; i < 100; i++)
                ck_assert_int_eq(p[i], 0);
        memset(p, 0xAB, 100);
        void *q = fd_arena_alloc(a, 1);
        ck_assert_uint_eq((uintptr_t)q % 16, 0);
        ck_assert_ptr_ne(q, p);
        ck_assert_uint_ge((size_t)((unsigned char *)q - p), 100);
        ck_assert_uint_eq(fd_arena_used(a), 112 + 16);

        /* larger than a block: a block of its own */
        unsigned char *big = fd_arena_alloc(a, 200000);
        ck_assert_ptr_nonnull(big);
        big[199999] = 1;
        for (int i = 0; i < 100; i++)
                ck_assert_int_eq(p[i], 0xAB);

        ck_assert_str_eq(fd_arena_strdup(a, "hello"), "hello");
        ck_assert_str_eq(fd_arena_strndup(a, "hello world", 5), "hello");
        ck_assert_str_eq(fd_arena_strndup(a, "hi\0there", 8), "hi");
        ck_assert_ptr_null(fd_arena_strdup(a, NULL));
        ck_assert_ptr_null(fd_arena_strndup(a, NULL, 3));
        ck_assert_str_eq(fd_arena_printf(a, "%s-%d", "page", 37), "page-37");
        ck_assert_str_eq(fd_arena_printf(a, "%s", ""), "");
}
END_TEST

START_TEST(test_arena_cap) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = fd_arena_new(1024);
        ck_assert_ptr_nonnull(a);

        ck_assert_ptr_nonnull(fd_arena_alloc(a, 600));
        ck_assert_ptr_null(fd_arena_alloc(a, 600));
        ck_assert_ptr_nonnull(fd_arena_alloc(a, 400));
        ck_assert_ptr_nonnull(fd_arena_alloc(a, 16)); /* exactly full */
        ck_assert_uint_eq(fd_arena_used(a), 1024);
        ck_assert_ptr_null(fd_arena_alloc(a, 1));
        ck_assert_ptr_null(fd_arena_strdup(a, "x"));
        ck_assert_ptr_null(fd_arena_printf(a, "%d", 1));
        ck_assert_uint_le(fd_arena_used(a), 1024);
        /* sizes that overflow when rounded up */
        ck_assert_ptr_null(fd_arena_alloc(a, SIZE_MAX));
        ck_assert_ptr_null(fd_arena_alloc(a, SIZE_MAX - 8));

        /* a bigger cap: what is handed out never exceeds it */
        _fd_cleanup_(fd_arena_freep) struct fd_arena *b = fd_arena_new(300000);
        size_t got = 0;
        while (fd_arena_alloc(b, 1000))
                got += 1008;
        ck_assert_uint_gt(got, 100000);
        ck_assert_uint_le(fd_arena_used(b), 300000);
        ck_assert_ptr_null(fd_arena_alloc(b, 1 << 20));
}
END_TEST

START_TEST(test_arena_reset) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = fd_arena_new(200000);

        for (int round = 0; round < 5; round++) {
                int n = 0;
                while (fd_arena_alloc(a, 10000))
                        n++;
                ck_assert_int_gt(n, 5);
                fd_arena_reset(a);
                ck_assert_uint_eq(fd_arena_used(a), 0);
                /* after a reset the whole cap is there again */
                unsigned char *p = fd_arena_alloc(a, 100);
                ck_assert_ptr_nonnull(p);
                for (int i = 0; i < 100; i++)
                        ck_assert_int_eq(p[i], 0);
                memset(p, 0xFF, 100);
                ck_assert_ptr_nonnull(fd_arena_alloc(a, 120000));
                fd_arena_reset(a);
        }
        fd_arena_free(NULL);
}
END_TEST

START_TEST(test_push) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = fd_arena_new(1 << 20);
        struct {
                int *v;
                size_t n, cap;
        } list = {0};

        for (int i = 0; i < 1000; i++) {
                int *slot = FD_PUSH(a, list);
                ck_assert_ptr_nonnull(slot);
                ck_assert_int_eq(*slot, 0);
                *slot = i * 3;
                ck_assert_uint_eq(list.n, (size_t)i + 1);
                ck_assert_uint_ge(list.cap, list.n);
                /* doubling from 4 */
                ck_assert_uint_eq(list.cap & (list.cap - 1), 0);
        }
        ck_assert_uint_eq(list.cap, 1024);
        for (int i = 0; i < 1000; i++)
                ck_assert_int_eq(list.v[i], i * 3);

        /* growth that hits the cap: NULL, the list unchanged */
        _fd_cleanup_(fd_arena_freep) struct fd_arena *small = fd_arena_new(4096);
        struct {
                uint64_t *v;
                size_t n, cap;
        } l2 = {0};
        uint64_t *slot;
        while ((slot = FD_PUSH(small, l2)))
                *slot = l2.n;
        size_t n = l2.n, cap = l2.cap;
        ck_assert_uint_gt(n, 0);
        ck_assert_uint_eq(n, cap);
        ck_assert_ptr_null(FD_PUSH(small, l2));
        ck_assert_uint_eq(l2.n, n);
        ck_assert_uint_eq(l2.cap, cap);
        for (size_t i = 0; i < n; i++)
                ck_assert_uint_eq(l2.v[i], i + 1);
}
END_TEST

/* ---- bounded buffer --------------------------------------------------- */

START_TEST(test_buf) {
        struct fd_buf b;

        fd_buf_init(&b, 10);
        ck_assert_ptr_null(b.data);
        ck_assert_int_eq(fd_buf_append(&b, "hello", 5), FD_OK);
        ck_assert_str_eq(b.data, "hello");
        ck_assert_uint_eq(b.len, 5);
        /* past the maximum: FD_E_LIMIT, b unchanged */
        ck_assert_int_eq(fd_buf_append(&b, "world!", 6), FD_E_LIMIT);
        ck_assert_str_eq(b.data, "hello");
        ck_assert_uint_eq(b.len, 5);
        ck_assert_int_eq(fd_buf_printf(&b, "%s", "123456"), FD_E_LIMIT);
        ck_assert_str_eq(b.data, "hello");
        /* exactly the maximum fits */
        ck_assert_int_eq(fd_buf_printf(&b, "%d", 12345), FD_OK);
        ck_assert_str_eq(b.data, "hello12345");
        ck_assert_uint_eq(b.len, 10);
        ck_assert_uint_le(b.cap, 11);
        ck_assert_int_eq(fd_buf_append(&b, "x", 1), FD_E_LIMIT);
        ck_assert_int_eq(fd_buf_append(&b, "", 0), FD_OK);
        ck_assert_int_eq(fd_buf_append(&b, NULL, SIZE_MAX), FD_E_LIMIT);
        ck_assert_str_eq(b.data, "hello12345");

        fd_buf_reset(&b);
        ck_assert_uint_eq(b.len, 0);
        ck_assert_str_eq(b.data, "");
        ck_assert_int_eq(fd_buf_append(&b, "abc", 3), FD_OK);
        ck_assert_str_eq(b.data, "abc");
        fd_buf_release(&b);
        ck_assert_ptr_null(b.data);
        ck_assert_uint_eq(b.max, 10);
        ck_assert_int_eq(fd_buf_printf(&b, "%s", ""), FD_OK);
        ck_assert_str_eq(b.data, "");
        fd_buf_release(&b);

        /* growth across many appends keeps the content */
        fd_buf_init(&b, 100000);
        for (int i = 0; i < 10000; i++)
                ck_assert_int_eq(fd_buf_printf(&b, "%d,", i % 10), FD_OK);
        ck_assert_uint_eq(b.len, 20000);
        ck_assert_uint_eq(strlen(b.data), 20000);
        ck_assert(strncmp(b.data, "0,1,2,3,", 8) == 0);
        ck_assert(strcmp(b.data + 19996, "8,9,") == 0);
        fd_buf_release(&b);

        fd_buf_init(&b, 8);
        fd_buf_reset(&b);
        fd_buf_release(&b);
}
END_TEST

/* ---- queue -------------------------------------------------------------- */

#define ITEMS 20000

struct consumer {
        struct fd_queue *q;
        size_t count;
        bool in_order;
        int64_t waited_ms;
};

static void *consume(void *arg) {
        struct consumer *c = arg;
        void *item;
        uintptr_t expect = 1;

        c->in_order = true;
        while (fd_queue_pop(c->q, &item)) {
                if ((uintptr_t)item != expect++)
                        c->in_order = false;
                c->count++;
        }
        return NULL;
}

START_TEST(test_queue_threads) {
        struct fd_queue *q = fd_queue_new(4);
        struct consumer c = {.q = q};
        pthread_t t;

        ck_assert_ptr_nonnull(q);
        ck_assert_int_eq(pthread_create(&t, NULL, consume, &c), 0);
        for (uintptr_t i = 1; i <= ITEMS; i++) {
                ck_assert(fd_queue_push(q, (void *)i));
                ck_assert_uint_le(fd_queue_length(q), 4);
        }
        fd_queue_close(q);
        ck_assert_int_eq(pthread_join(t, NULL), 0);
        ck_assert_uint_eq(c.count, ITEMS);
        ck_assert(c.in_order);
        /* closed: push refused, pop says so */
        ck_assert(!fd_queue_push(q, (void *)1));
        void *item = (void *)7;
        ck_assert(!fd_queue_pop(q, &item));
        ck_assert_ptr_eq(item, (void *)7);
        fd_queue_free(q);
        fd_queue_free(NULL);
}
END_TEST

static void *pop_one(void *arg) {
        struct consumer *c = arg;
        void *item;
        int64_t t0 = fd_time_mono_ms();
        while (fd_queue_pop(c->q, &item))
                c->count++;
        c->waited_ms = fd_time_mono_ms() - t0;
        return NULL;
}

START_TEST(test_queue_close_wakes) {
        struct fd_queue *q = fd_queue_new(2);
        struct consumer c = {.q = q};
        pthread_t t;

        /* items pushed before the close are still delivered */
        ck_assert(fd_queue_push(q, (void *)1));
        ck_assert(fd_queue_push(q, (void *)2));
        ck_assert_uint_eq(fd_queue_length(q), 2);
        ck_assert_int_eq(pthread_create(&t, NULL, pop_one, &c), 0);
        /* the consumer drains and then blocks on the empty queue */
        while (fd_queue_length(q) > 0)
                sched_yield();
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
        fd_queue_close(q);
        ck_assert_int_eq(pthread_join(t, NULL), 0);
        ck_assert_uint_eq(c.count, 2);
        ck_assert_int_ge(c.waited_ms, 40);
        fd_queue_free(q);
}
END_TEST

struct producer {
        struct fd_queue *q;
        bool refused;
};

static void *push_blocked(void *arg) {
        struct producer *p = arg;
        p->refused = !fd_queue_push(p->q, (void *)3);
        return NULL;
}

START_TEST(test_queue_close_wakes_producer) {
        struct fd_queue *q = fd_queue_new(1);
        struct producer p = {.q = q};
        pthread_t t;
        void *item;

        ck_assert(fd_queue_push(q, (void *)1));
        ck_assert_int_eq(pthread_create(&t, NULL, push_blocked, &p), 0);
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
        fd_queue_close(q);
        ck_assert_int_eq(pthread_join(t, NULL), 0);
        ck_assert(p.refused);
        ck_assert(fd_queue_pop(q, &item));
        ck_assert_ptr_eq(item, (void *)1);
        ck_assert(!fd_queue_pop(q, &item));
        fd_queue_free(q);
}
END_TEST

/* ---- time ----------------------------------------------------------------- */

START_TEST(test_time_iso) {
        char out[32];
        int64_t t;

        ck_assert_str_eq(fd_time_iso(0, out, sizeof out), "1970-01-01T00:00:00Z");
        ck_assert_str_eq(fd_time_iso(1552558830, out, sizeof out), "2019-03-14T10:20:30Z");
        ck_assert_str_eq(fd_time_iso(951782400, out, sizeof out), "2000-02-29T00:00:00Z");
        ck_assert_str_eq(fd_time_iso(0, out, 10), "");

        ck_assert(fd_time_parse_iso("2019-03-14T10:20:30Z", &t));
        ck_assert_int_eq(t, 1552558830);
        ck_assert(fd_time_parse_iso("2019-03-14", &t));
        ck_assert_int_eq(t, 1552521600);
        ck_assert(fd_time_parse_iso("1970-01-01T00:00:00Z", &t));
        ck_assert_int_eq(t, 0);
        ck_assert(fd_time_parse_iso("2000-02-29", &t));
        ck_assert_int_eq(t, 951782400);
        /* OAI-PMH earliestDatestamp of year 1 (citebase) */
        ck_assert(fd_time_parse_iso("0001-01-01", &t));
        ck_assert_int_eq(t, -62135596800);

        /* round trips */
        static const int64_t samples[] = {0, 1, 86399, 86400, 951782399, 1552558830, 1700000000, 4102444800};
        for (size_t i = 0; i < FD_ELEMENTSOF(samples); i++) {
                ck_assert(fd_time_parse_iso(fd_time_iso(samples[i], out, sizeof out), &t));
                ck_assert_int_eq(t, samples[i]);
        }
        static const char *const texts[] = {"2024-12-31T23:59:59Z", "2012-01-01T00:00:00Z", "1999-12-31T12:00:00Z"};
        for (size_t i = 0; i < FD_ELEMENTSOF(texts); i++) {
                ck_assert(fd_time_parse_iso(texts[i], &t));
                ck_assert_str_eq(fd_time_iso(t, out, sizeof out), texts[i]);
        }

        /* neither form: false, *ret_t untouched */
        static const char *const bad[] = {
                "2019-03-14T10:20:30",   "2019-03-14 10:20:30Z", "2019-03-14T10:20:30+01:00",
                "2019-3-14",             "2019-03-14x",          "2019-13-01",
                "2019-00-01",            "2019-03-00",           "2019-03-32",
                "2019-02-29",            "2019-02-31",           "1900-02-29",
                "2019-04-31",            "2019-03-14T24:00:00Z", "2019-03-14T10:60:00Z",
                "2019-03-14T10:20:61Z",  "+019-03-14",           "2019-+3-14",
                " 2019-03-14",           "2019-03-14T1:20:30Z",  "2019",
                "",                      "2019-03-14T10:20:30.5Z",
        };
        for (size_t i = 0; i < FD_ELEMENTSOF(bad); i++) {
                t = 42;
                ck_assert_msg(!fd_time_parse_iso(bad[i], &t), "'%s' parsed", bad[i]);
                ck_assert_int_eq(t, 42);
        }
        ck_assert_int_gt(fd_time_now(), 1700000000);
        int64_t m0 = fd_time_mono_ms();
        ck_assert_int_ge(fd_time_mono_ms(), m0);
}
END_TEST

/* ---- log ------------------------------------------------------------------ */

START_TEST(test_log_levels) {
        enum fd_log_level l = FD_LOG_INFO;

        static const struct {
                const char *name;
                enum fd_log_level level;
        } levels[] = {
                {"err", FD_LOG_ERR},   {"warning", FD_LOG_WARNING}, {"notice", FD_LOG_NOTICE},
                {"info", FD_LOG_INFO}, {"debug", FD_LOG_DEBUG},
        };
        for (size_t i = 0; i < FD_ELEMENTSOF(levels); i++) {
                ck_assert(fd_log_level_parse(levels[i].name, &l));
                ck_assert_int_eq(l, levels[i].level);
                ck_assert_str_eq(fd_log_level_name(levels[i].level), levels[i].name);
        }
        l = FD_LOG_DEBUG;
        ck_assert(!fd_log_level_parse("error", &l));
        ck_assert(!fd_log_level_parse("warn", &l));
        ck_assert(!fd_log_level_parse("", &l));
        ck_assert(!fd_log_level_parse("infos", &l));
        ck_assert_int_eq(l, FD_LOG_DEBUG);
        ck_assert_str_eq(fd_log_level_name((enum fd_log_level)0), "info");
        ck_assert_str_eq(fd_log_level_name((enum fd_log_level)8), "info");

        fd_log_set_level(FD_LOG_WARNING);
        ck_assert_int_eq(fd_log_get_level(), FD_LOG_WARNING);
        fd_log_set_level(FD_LOG_INFO);
        ck_assert_int_eq(fd_log_get_level(), FD_LOG_INFO);
}
END_TEST

START_TEST(test_log_lines) {
        int fds[2];
        char buf[4096];

        /* stderr goes to a pipe for the test and comes back after it */
        int saved = dup(STDERR_FILENO);
        ck_assert_int_ge(saved, 0);
        ck_assert_int_eq(pipe(fds), 0);
        ck_assert_int_ge(dup2(fds[1], STDERR_FILENO), 0);
        close(fds[1]);
        fd_log_set_level(FD_LOG_NOTICE);
        fd_log(FD_LOG_ERR, "source '%s': gave up", "zenodo");
        fd_log(FD_LOG_INFO, "dropped: above the level");
        fd_log(FD_LOG_WARNING, "two\nlines\r");
        fd_log(FD_LOG_NOTICE, "%s", "");
        char longmsg[5000];
        memset(longmsg, 'x', sizeof longmsg - 1);
        longmsg[sizeof longmsg - 1] = '\0';
        fd_log(FD_LOG_ERR, "%s", longmsg);
        ck_assert_int_ge(dup2(saved, STDERR_FILENO), 0);
        close(saved);
        fd_log_set_level(FD_LOG_INFO);

        size_t n = 0;
        ssize_t k;
        while (n < sizeof buf - 1 && (k = read(fds[0], buf + n, sizeof buf - 1 - n)) > 0)
                n += (size_t)k;
        buf[n] = '\0';
        close(fds[0]);
        const char *want = "<3>source 'zenodo': gave up\n<4>two lines \n<5>\n<3>";
        ck_assert(strncmp(buf, want, strlen(want)) == 0);
        /* the long message is cut to one line of the logger's buffer */
        const char *last = buf + strlen(want) - 3;
        ck_assert_uint_eq(strlen(last), 2047);
        ck_assert_int_eq(last[2046], '\n');
        ck_assert_ptr_null(memchr(last, '\n', 2046));
}
END_TEST

/* ---- files and hashing ---------------------------------------------------- */

START_TEST(test_hash) {
        /* FNV-1a's published test vectors */
        ck_assert_uint_eq(fd_hash("", 0), UINT64_C(0xcbf29ce484222325));
        ck_assert_uint_eq(fd_hash_str("a"), UINT64_C(0xaf63dc4c8601ec8c));
        ck_assert_uint_eq(fd_hash_str("foobar"), UINT64_C(0x85944171f73967e8));
        ck_assert_uint_eq(fd_hash_more(fd_hash_str("foo"), "bar", 3), fd_hash_str("foobar"));
}
END_TEST

static char *slurp(const char *path) {
        FILE *f = fopen(path, "r");
        static char buf[256];
        size_t n;

        if (!f)
                return NULL;
        n = fread(buf, 1, sizeof buf - 1, f);
        buf[n] = '\0';
        fclose(f);
        return buf;
}

START_TEST(test_mkdir_replace) {
        char root[] = "/tmp/fd-util-XXXXXX", path[400], file[200];
        struct fd_error err = {0};
        struct fd_replace r;

        ck_assert_ptr_nonnull(mkdtemp(root));
        snprintf(path, sizeof path, "%s/a/b/c", root);
        ck_assert_int_eq(fd_mkdir_p(path, &err), FD_OK);
        ck_assert_int_eq(fd_mkdir_p(path, &err), FD_OK); /* again: nothing to do */
        ck_assert_int_eq(access(path, W_OK), 0);

        snprintf(file, sizeof file, "%s/a/b/c/state.json", root);
        ck_assert_int_eq(fd_file_replace(file, "old\n", 4, &err), FD_OK);
        ck_assert_str_eq(slurp(file), "old\n");

        /* an aborted replace leaves the old content and no temporary file */
        ck_assert_int_eq(fd_replace_open(&r, file, &err), FD_OK);
        fputs("half", r.f);
        fd_replace_abort(&r);
        ck_assert_str_eq(slurp(file), "old\n");
        snprintf(path, sizeof path, "%s.tmp", file);
        ck_assert_int_ne(access(path, F_OK), 0);

        ck_assert_int_eq(fd_replace_open(&r, file, &err), FD_OK);
        fputs("new\n", r.f);
        ck_assert_int_eq(fd_replace_commit(&r, &err), FD_OK);
        ck_assert_str_eq(slurp(file), "new\n");
        ck_assert_ptr_null(r.f);

        /* a file where a directory should be: FD_E_IO naming it */
        snprintf(path, sizeof path, "%s/x", file);
        ck_assert_int_eq(fd_mkdir_p(path, &err), FD_E_IO);
        ck_assert_ptr_nonnull(strstr(err.msg, "state.json"));
        ck_assert_int_eq(fd_file_replace(path, "x", 1, &err), FD_E_IO);
        ck_assert_int_eq(fd_mkdir_p("", &err), FD_E_INVALID);

        snprintf(path, sizeof path, "rm -rf '%s'", root);
        ck_assert_int_eq(system(path), 0);
}
END_TEST

static Suite *util_suite(void) {
        Suite *s = suite_create("util");
        TCase *t;

        t = tcase_create("error");
        tcase_add_test(t, test_status_names);
        tcase_add_test(t, test_error_set_prefix);
        tcase_add_test(t, test_error_bounds);
        tcase_add_test(t, test_snippet);
        suite_add_tcase(s, t);

        t = tcase_create("arena");
        tcase_add_test(t, test_arena_basics);
        tcase_add_test(t, test_arena_cap);
        tcase_add_test(t, test_arena_reset);
        tcase_add_test(t, test_push);
        suite_add_tcase(s, t);

        t = tcase_create("buf");
        tcase_add_test(t, test_buf);
        suite_add_tcase(s, t);

        t = tcase_create("queue");
        tcase_add_test(t, test_queue_threads);
        tcase_add_test(t, test_queue_close_wakes);
        tcase_add_test(t, test_queue_close_wakes_producer);
        suite_add_tcase(s, t);

        t = tcase_create("time");
        tcase_add_test(t, test_time_iso);
        suite_add_tcase(s, t);

        t = tcase_create("file");
        tcase_add_test(t, test_hash);
        tcase_add_test(t, test_mkdir_replace);
        suite_add_tcase(s, t);

        t = tcase_create("log");
        tcase_add_test(t, test_log_levels);
        tcase_add_test(t, test_log_lines);
        suite_add_tcase(s, t);
        return s;
}

FD_TEST_MAIN(util_suite)
