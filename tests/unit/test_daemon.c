/* test_daemon.c: the daemon's ops and its state directory, without threads.
 *
 * The ops run against the fake engine (fake_engine.c) through the same
 * entry point the query workers use (fd_protocol_handle), so these checks
 * see what a client sees: the table's admin flag enforced before any
 * handler runs, status built from the engine's snapshots, the shape of
 * every error, the engine's refusals answered as they are.  The state
 * directory's files (state.c) are checked on a temporary directory, and
 * the scheduler's reading of a saved backoff on a daemon that runs no
 * thread.
 */
#include <check.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "fd_test.h"
#include "fake_engine.h"
#include "daemon-private.h"

static const char *const two_sources[] = {"alpha", "beta", NULL};
static struct fake_engine f;
static struct fd_query_ctx ctx;

static void setup(void) {
        fake_engine_init(&f, two_sources);
        ctx = (struct fd_query_ctx){.engine = &f.engine};
}

static void teardown(void) {
        fd_index_free(ctx.reader);
        fake_engine_release(&f);
}

/* The answer to line from a peer that is (or not) admin, parsed. */
static json_t *ask(const char *line, bool admin) {
        ctx.admin = admin;
        char *text = fd_protocol_handle(&ctx, line, strlen(line));
        ck_assert_ptr_nonnull(text);
        json_t *o = json_loads(text, 0, NULL);
        ck_assert_msg(json_is_object(o) && json_is_boolean(json_object_get(o, "ok")), "bad answer '%s'", text);
        free(text);
        return o;
}

static void assert_error(json_t *o, const char *code, const char *needle) {
        const char *c = json_string_value(json_object_get(json_object_get(o, "error"), "code"));
        const char *m = json_string_value(json_object_get(json_object_get(o, "error"), "message"));
        ck_assert(json_is_false(json_object_get(o, "ok")));
        ck_assert_str_eq(c, code);
        ck_assert_msg(m && strstr(m, needle), "message '%s' lacks '%s'", m ? m : "(none)", needle);
}

START_TEST(test_table_names_each_op_once) {
        static const char *const admin[] = {"harvest", "reload", "purge", "rescore", "remap"};

        for (size_t i = 0; i < fd_n_ops; i++) {
                bool want = false;
                for (size_t j = 0; j < FD_ELEMENTSOF(admin); j++)
                        want |= strcmp(fd_ops[i].name, admin[j]) == 0;
                ck_assert_msg(((fd_ops[i].flags & FD_OP_ADMIN) != 0) == want, "'%s' admin flag", fd_ops[i].name);
                ck_assert_ptr_nonnull(fd_ops[i].handler);
                for (size_t j = 0; j < i; j++)
                        ck_assert_str_ne(fd_ops[i].name, fd_ops[j].name);
        }
        ck_assert_uint_eq(fd_n_ops, 17);
}
END_TEST

/* Every admin row refuses a peer that is not admin before its handler runs:
 * the engine is never called, whatever the request holds. */
START_TEST(test_admin_flag_checked_once) {
        for (size_t i = 0; i < fd_n_ops; i++) {
                if (!(fd_ops[i].flags & FD_OP_ADMIN))
                        continue;
                char line[128], msg[128];
                snprintf(line, sizeof line, "{\"op\":\"%s\",\"source\":\"alpha\",\"tag\":7}", fd_ops[i].name);
                snprintf(msg, sizeof msg, "'%s' is only for root and the daemon's own user", fd_ops[i].name);
                json_t *o = ask(line, false);
                assert_error(o, "forbidden", msg);
                ck_assert_int_eq(json_integer_value(json_object_get(o, "tag")), 7);
                json_decref(o);
        }
        ck_assert_uint_eq(f.harvests + f.reloads + f.purges + f.rescores + f.remaps, 0);

        json_t *o = ask("{\"op\":\"harvest\",\"source\":\"alpha\"}", true);
        ck_assert(json_is_true(json_object_get(o, "ok")));
        ck_assert_str_eq(json_string_value(json_object_get(o, "source")), "alpha");
        ck_assert_uint_eq(f.harvests, 1);
        ck_assert_str_eq(f.last_source, "alpha");
        json_decref(o);
        o = ask("{\"op\":\"rescore\"}", true);
        ck_assert_str_eq(json_string_value(json_object_get(o, "rubric")), "fake-rubric");
        ck_assert(json_is_true(json_object_get(o, "queued")));
        json_decref(o);
        o = ask("{\"op\":\"remap\",\"source\":\"beta\"}", true);
        ck_assert(json_is_true(json_object_get(o, "queued")));
        ck_assert_str_eq(json_string_value(json_object_get(o, "source")), "beta");
        ck_assert_uint_eq(f.remaps, 1);
        ck_assert_str_eq(f.last_source, "beta");
        json_decref(o);
}
END_TEST

START_TEST(test_request_errors) {
        json_t *o = ask("not json", false);
        assert_error(o, "parse", "request is not JSON");
        json_decref(o);
        o = ask("[1]", false);
        assert_error(o, "invalid", "request must be a JSON object");
        json_decref(o);
        o = ask("{\"tag\":\"t\"}", false);
        assert_error(o, "invalid", "request has no 'op' string");
        json_decref(o);
        o = ask("{\"op\":\"frobnicate\",\"tag\":\"t1\"}", false);
        assert_error(o, "unsupported", "unknown op 'frobnicate' (known: search, get, status");
        ck_assert_str_eq(json_string_value(json_object_get(o, "tag")), "t1");
        json_decref(o);

        /* the tag comes first, byte for byte */
        ctx.admin = false;
        const char *line = "{\"op\":\"nope\",\"tag\":[1,2]}";
        char *text = fd_protocol_handle(&ctx, line, strlen(line));
        ck_assert_msg(strncmp(text, "{\"tag\":[1,2],\"ok\":false,", 24) == 0, "%s", text);
        free(text);

        o = ask("{\"op\":\"harvest\"}", true);
        assert_error(o, "invalid", "'harvest' needs a 'source' string");
        json_decref(o);
        o = ask("{\"op\":\"harvest\",\"source\":\"gamma\"}", true);
        assert_error(o, "not_found", "no source 'gamma' in the configuration");
        json_decref(o);
        o = ask("{\"op\":\"purge\",\"source\":\"" "0123456789012345678901234567890123456789012345678901234567890123"
                "456789012345678901234567890123456789012345678901234567890123456789\"}", true);
        assert_error(o, "invalid", "'purge' needs a 'source' string of at most 127 bytes");
        json_decref(o);
        ck_assert_uint_eq(f.purges, 0);
        o = ask("{\"op\":\"errors\",\"source\":\"gamma\"}", false);
        assert_error(o, "not_found", "no source 'gamma'");
        json_decref(o);
        o = ask("{\"op\":\"fair\",\"source\":\"gamma\"}", false);
        assert_error(o, "not_found", "no source 'gamma' in the configuration or the index");
        json_decref(o);
}
END_TEST

/* The engine's refusals are answered with their own status and message. */
START_TEST(test_engine_refusals_answered_as_they_are) {
        f.answer = FD_E_LIMIT;
        snprintf(f.answer_msg, sizeof f.answer_msg, "another purge is running: try again when it ends");
        json_t *o = ask("{\"op\":\"purge\",\"source\":\"old\"}", true);
        assert_error(o, "limit", "another purge is running");
        ck_assert_str_eq(f.last_source, "old");
        json_decref(o);
        f.answer = FD_E_INVALID;
        snprintf(f.answer_msg, sizeof f.answer_msg, "'x.yaml': bad");
        o = ask("{\"op\":\"reload\"}", true);
        assert_error(o, "invalid", "'x.yaml': bad");
        json_decref(o);

        f.answer = FD_OK;
        f.purge_deleted = 42;
        o = ask("{\"op\":\"purge\",\"source\":\"old\"}", true);
        ck_assert_int_eq(json_integer_value(json_object_get(o, "deleted")), 42);
        json_decref(o);
}
END_TEST

/* reload answers the configuration and the sources not removed, from snapshots. */
START_TEST(test_reload_counts_active_sources) {
        f.snaps[1].removed = true;
        json_t *o = ask("{\"op\":\"reload\"}", true);
        ck_assert(json_is_true(json_object_get(o, "ok")));
        ck_assert_int_eq(json_integer_value(json_object_get(o, "sources")), 1);
        ck_assert_str_eq(json_string_value(json_object_get(o, "config")), "fake.yaml");
        ck_assert_uint_eq(f.reloads, 1);
        json_decref(o);
}
END_TEST

/* status shows each source as its snapshot says, in the protocol's order. */
START_TEST(test_status_from_snapshots) {
        struct fd_source_snapshot *s = &f.snaps[0];
        s->state = FD_RUN_FAILED;
        s->last_start = 1700000000;
        s->last_end = 1700000060;
        s->next_run = 1700000360;
        s->failures = 1;
        s->failing_since = 1700000060;
        snprintf(s->last_error, sizeof s->last_error, "HTTP 503 from 'http://example.org/alpha'");
        s->last_run = (struct fd_run_summary){.start = 1700000000, .end = 1700000060, .counts = {.records = 5}};
        snprintf(s->last_run.status, sizeof s->last_run.status, "io");
        f.snaps[1].state = FD_RUN_RUNNING;
        f.snaps[1].progress_total = 100;
        f.snaps[1].progress_done = 150;
        f.generation = 3;

        json_t *o = ask("{\"op\":\"status\"}", false);
        ck_assert(json_is_true(json_object_get(o, "ok")));
        ck_assert_int_eq(json_integer_value(json_object_get(o, "generation")), 3);
        json_t *a = json_array_get(json_object_get(o, "sources"), 0);
        json_t *b = json_array_get(json_object_get(o, "sources"), 1);
        ck_assert_str_eq(json_string_value(json_object_get(a, "name")), "alpha");
        ck_assert_str_eq(json_string_value(json_object_get(a, "state")), "failed");
        ck_assert_str_eq(json_string_value(json_object_get(a, "next_run")), "2023-11-14T22:19:20Z");
        ck_assert_str_eq(json_string_value(json_object_get(a, "failing_since")), "2023-11-14T22:14:20Z");
        ck_assert_str_eq(json_string_value(json_object_get(a, "last_error")),
                         "HTTP 503 from 'http://example.org/alpha'");
        ck_assert_int_eq(json_integer_value(json_object_get(a, "failures")), 1);
        ck_assert_str_eq(json_string_value(json_object_get(json_object_get(a, "last_run"), "status")), "io");
        ck_assert(json_is_null(json_object_get(a, "last_complete")));
        ck_assert_ptr_null(json_object_get(a, "progress"));
        ck_assert_str_eq(json_string_value(json_object_get(b, "state")), "running");
        ck_assert(json_is_null(json_object_get(b, "last_run")));
        /* progress never says more done than the list holds */
        ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(b, "progress"), "done")), 100);
        json_decref(o);

        /* the protocol's key order, as docs/protocol.md shows it */
        ctx.admin = false;
        char *text = fd_protocol_handle(&ctx, "{\"op\":\"sources\"}", 16);
        ck_assert_msg(strstr(text, "{\"name\":\"alpha\",\"type\":\"oai-pmh\",\"url\":\"http://example.org/alpha\","
                                   "\"state\":\"failed\",\"records\":0,\"last_start\":"),
                      "%s", text);
        free(text);
        ck_assert_uint_ge(f.snapshots, 4);
}
END_TEST

START_TEST(test_metrics_from_snapshots) {
        f.snaps[0].runs_total = 4;
        f.snaps[0].failures_total = 1;
        f.snaps[0].failures = 1;
        f.snaps[1].state = FD_RUN_RUNNING;
        json_t *o = ask("{\"op\":\"metrics\"}", false);
        const char *t = json_string_value(json_object_get(o, "text"));
        ck_assert_ptr_nonnull(t);
        ck_assert_ptr_nonnull(strstr(t, "fairdex_harvest_runs_total{source=\"alpha\"} 4\n"));
        ck_assert_ptr_nonnull(strstr(t, "fairdex_harvest_failures_total{source=\"alpha\"} 1\n"));
        ck_assert_ptr_nonnull(strstr(t, "fairdex_source_failing{source=\"alpha\"} 1\n"));
        ck_assert_ptr_nonnull(strstr(t, "fairdex_source_running{source=\"beta\"} 1\n"));
        ck_assert_ptr_nonnull(strstr(t, "fairdex_query_seconds_count "));
        json_decref(o);
}
END_TEST

/* The errors op reads what the harvest thread wrote through state.c. */
START_TEST(test_errors_file) {
        char *warnings[] = {"page 2 retried", "record 'x' skipped"};
        struct fd_error err = {0};

        for (int i = 0; i < FD_ERRORS_RUNS + 2; i++) {
                struct fd_run_report r = {
                        .start = 1700000000 + i * 100, .end = 1700000050 + i * 100, .status = FD_OK,
                        .counts = {.records = (uint64_t)i, .added = 1}, .warnings = warnings, .n_warnings = 2,
                        .more_warnings = (uint64_t)i,
                };
                ck_assert_int_eq(fd_state_errors_append(f.dir, "alpha", &r, &err), FD_OK);
        }
        json_t *o = ask("{\"op\":\"errors\",\"source\":\"alpha\"}", false);
        json_t *runs = json_object_get(o, "runs");
        ck_assert_uint_eq(json_array_size(runs), FD_ERRORS_RUNS);
        json_t *last = json_array_get(runs, FD_ERRORS_RUNS - 1);
        ck_assert_int_eq(json_integer_value(json_object_get(last, "records")), FD_ERRORS_RUNS + 1);
        ck_assert_int_eq(json_integer_value(json_object_get(last, "count")), 2 + FD_ERRORS_RUNS + 1);
        ck_assert_str_eq(json_string_value(json_array_get(json_object_get(last, "errors"), 2)), "… 11 more");
        json_decref(o);

        struct fd_run_summary s;
        ck_assert(fd_state_last_run(f.dir, "alpha", &s));
        ck_assert_int_eq(s.end, 1700000050 + (FD_ERRORS_RUNS + 1) * 100);
        ck_assert_uint_eq(s.counts.errors, 13);
        ck_assert(!fd_state_last_run(f.dir, "beta", &s));
        o = ask("{\"op\":\"errors\",\"source\":\"beta\"}", false);
        ck_assert_uint_eq(json_array_size(json_object_get(o, "runs")), 0);
        json_decref(o);
}
END_TEST

START_TEST(test_state_paths) {
        static const struct {
                enum fd_state_file kind;
                const char *want;
        } cases[] = {
                {FD_STATE_INDEX, "/s/index"},
                {FD_STATE_ERRORS, "/s/errors/x.jsonl"},
                {FD_STATE_FAIR_HISTORY, "/s/fair-history/x.json"},
                {FD_STATE_BACKOFF, "/s/backoff/x.json"},
                {FD_STATE_DCAT, "/s/dcat-x.state"},
        };
        for (size_t i = 0; i < FD_ELEMENTSOF(cases); i++) {
                char *p = fd_state_path("/s", cases[i].kind, "x");
                ck_assert_str_eq(p, cases[i].want);
                free(p);
        }
}
END_TEST

/* A failing source's backoff survives (state.c's half of it): saved,
 * read back only for the same URL, forgotten on success. */
START_TEST(test_backoff_saved) {
        struct fd_backoff b = {.failures = 3, .failing_since = 1700000000, .next_run = 1700001200}, got;
        struct fd_error err = {0};

        ck_assert(!fd_state_backoff_load(f.dir, "alpha", "http://example.org/alpha", &got));
        ck_assert_int_eq(fd_state_backoff_save(f.dir, "alpha", "http://example.org/alpha", &b, &err), FD_OK);
        ck_assert(fd_state_backoff_load(f.dir, "alpha", "http://example.org/alpha", &got));
        ck_assert_uint_eq(got.failures, 3);
        ck_assert_int_eq(got.failing_since, 1700000000);
        ck_assert_int_eq(got.next_run, 1700001200);
        ck_assert(!fd_state_backoff_load(f.dir, "alpha", "http://example.org/moved", &got));
        ck_assert(!fd_state_backoff_load(f.dir, "beta", "http://example.org/alpha", &got));
        ck_assert_int_eq(fd_state_backoff_save(f.dir, "alpha", "http://example.org/alpha", NULL, &err), FD_OK);
        ck_assert(!fd_state_backoff_load(f.dir, "alpha", "http://example.org/alpha", &got));
        ck_assert_int_eq(fd_state_backoff_save(f.dir, "alpha", "http://example.org/alpha", NULL, &err), FD_OK);
}
END_TEST

/* The fair op answers the source's history as the run hook left it,
 * capped at FD_FAIR_HISTORY_MAX entries. */
START_TEST(test_fair_history) {
        struct fd_error err = {0};

        for (int i = 0; i < FD_FAIR_HISTORY_MAX + 5; i++)
                ck_assert_int_eq(fd_state_fair_history_add(f.dir, "alpha", json_pack("{s:i}", "n", i), &err), FD_OK);
        json_t *h = fd_state_fair_history(f.dir, "alpha", NULL);
        ck_assert_uint_eq(json_array_size(h), FD_FAIR_HISTORY_MAX);
        ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(h, 0), "n")), 5);
        json_decref(h);

        json_t *o = ask("{\"op\":\"fair\",\"source\":\"alpha\"}", false);
        ck_assert_msg(json_is_true(json_object_get(o, "ok")), "%s", json_dumps(o, 0));
        ck_assert_uint_eq(json_array_size(json_object_get(o, "history")), FD_FAIR_HISTORY_MAX);
        json_decref(o);

        /* a file that is not an array reads as none */
        char *path = fd_state_path(f.dir, FD_STATE_FAIR_HISTORY, "beta");
        bool broken = false;
        ck_assert_int_eq(fd_file_replace(path, "{}", 2, &err), FD_OK);
        free(path);
        h = fd_state_fair_history(f.dir, "beta", &broken);
        ck_assert_uint_eq(json_array_size(h), 0);
        ck_assert(broken);
        json_decref(h);
}
END_TEST

/* The scheduler's half of a backoff kept across restarts: a source whose
 * backoff was saved starts where it left off, unless it moved or --once
 * asks for every source now. */
START_TEST(test_sched_restores_backoff) {
        const struct fd_source_config *c = &f.config->sources[0];
        struct fd_daemon d = {.config = f.config, .state_dir = f.dir};
        struct fd_source_state s;
        struct fd_error err = {0};
        int64_t now = 1700000000;
        struct fd_backoff b = {.failures = 2, .failing_since = now - 900, .next_run = now + 500};

        ck_assert_int_eq(fd_state_backoff_save(f.dir, c->name, c->url, &b, &err), FD_OK);
        fd_source_init(&s, c);
        ck_assert_int_eq(fd_sched_load(&d, NULL, &s, now, &err), FD_OK);
        ck_assert_int_eq(s.next_run, now + 500);
        ck_assert_uint_eq(s.failures, 2);
        ck_assert_int_eq(s.failing_since, now - 900);
        fd_source_release(&s);

        /* a backoff already over: due now, still failing */
        b.next_run = now - 10;
        ck_assert_int_eq(fd_state_backoff_save(f.dir, c->name, c->url, &b, &err), FD_OK);
        fd_source_init(&s, c);
        ck_assert_int_eq(fd_sched_load(&d, NULL, &s, now, &err), FD_OK);
        ck_assert_int_eq(s.next_run, now);
        ck_assert_uint_eq(s.failures, 2);
        fd_source_release(&s);

        d.once = true;
        fd_source_init(&s, c);
        ck_assert_int_eq(fd_sched_load(&d, NULL, &s, now, &err), FD_OK);
        ck_assert_int_eq(s.next_run, now);
        ck_assert_uint_eq(s.failures, 0);
        fd_source_release(&s);

        d.once = false;
        ck_assert_int_eq(fd_state_backoff_save(f.dir, c->name, "http://example.org/old", &b, &err), FD_OK);
        fd_source_init(&s, c);
        ck_assert_int_eq(fd_sched_load(&d, NULL, &s, now, &err), FD_OK);
        ck_assert_uint_eq(s.failures, 0);
        fd_source_release(&s);
}
END_TEST

static Suite *daemon_suite(void) {
        Suite *s = suite_create("daemon");
        TCase *tc = tcase_create("ops");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_table_names_each_op_once);
        tcase_add_test(tc, test_admin_flag_checked_once);
        tcase_add_test(tc, test_request_errors);
        tcase_add_test(tc, test_engine_refusals_answered_as_they_are);
        tcase_add_test(tc, test_reload_counts_active_sources);
        tcase_add_test(tc, test_status_from_snapshots);
        tcase_add_test(tc, test_metrics_from_snapshots);
        suite_add_tcase(s, tc);

        tc = tcase_create("state");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_errors_file);
        tcase_add_test(tc, test_state_paths);
        tcase_add_test(tc, test_backoff_saved);
        tcase_add_test(tc, test_fair_history);
        tcase_add_test(tc, test_sched_restores_backoff);
        suite_add_tcase(s, tc);
        return s;
}

FD_TEST_MAIN(daemon_suite)
