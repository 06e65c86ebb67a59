/* test_config.c: Check suite for config/.
 *
 * Valid files must read back field by field; every invalid one must fail
 * with the right status and a message that starts with the exact
 * "file:line:column: " and names the key at fault, so an operator can go
 * straight to the line.  Most inputs are inline strings parsed under the
 * name "t.yaml"; fixtures in tests/fixtures/config/ cover fd_config_load.
 * Run under the asan build, the error cases double as leak tests.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "fd_test.h"
#include "fd_util.h"
#include "fd_config.h"

static const char *source_root(void) {
        const char *r = getenv("FD_SOURCE_ROOT");
        return r && *r ? r : NULL;
}

static void fixture(const char *name, char *out, size_t outsz) {
        const char *root = source_root();
        snprintf(out, outsz, "%s/tests/fixtures/config/%s", root ? root : ".", name);
}

static struct fd_config *parse_ok(const char *text) {
        struct fd_config *c = NULL;
        struct fd_error err = {0};
        enum fd_status s = fd_config_parse("t.yaml", text, strlen(text), &c, &err);

        ck_assert_msg(s == FD_OK, "unexpected error %s: %s", fd_status_name(s), err.msg);
        ck_assert_ptr_nonnull(c);
        return c;
}

/* Parses text (of len bytes) and checks the status, the location prefix
 * ("t.yaml:L:C: ") and that each of up to two needles is in the message. */
static void expect_err_len(const char *text, size_t len, enum fd_status status, const char *loc, const char *needle1,
                           const char *needle2) {
        struct fd_config *sentinel = (struct fd_config *)&sentinel, *c = sentinel;
        struct fd_error err = {0};
        char prefix[64];
        enum fd_status s = fd_config_parse("t.yaml", text, len, &c, &err);

        ck_assert_msg(s == status, "status %s, wanted %s (%s) for:\n%s", fd_status_name(s), fd_status_name(status),
                      err.msg, text);
        ck_assert_int_eq(err.status, status);
        ck_assert_msg(c == sentinel, "ret_config written on failure");
        if (loc) {
                snprintf(prefix, sizeof prefix, "t.yaml:%s: ", loc);
                ck_assert_msg(strncmp(err.msg, prefix, strlen(prefix)) == 0, "message '%s' does not start with '%s'",
                              err.msg, prefix);
        }
        if (needle1)
                ck_assert_msg(strstr(err.msg, needle1), "message '%s' lacks '%s'", err.msg, needle1);
        if (needle2)
                ck_assert_msg(strstr(err.msg, needle2), "message '%s' lacks '%s'", err.msg, needle2);
}

static void expect_err(const char *text, enum fd_status status, const char *loc, const char *needle1,
                       const char *needle2) {
        expect_err_len(text, strlen(text), status, loc, needle1, needle2);
}

#define HEAD "state_dir: /s\nsocket: /r.sock\n"
/* One source whose next key lands on line 7, column 3. */
#define SOURCE_A HEAD "sources:\n- name: a\n  type: dcat\n  url: file:///c\n"

/* ---- valid files ------------------------------------------------------- */

START_TEST(test_full) {
        _fd_cleanup_(fd_config_freep) struct fd_config *c = NULL;
        struct fd_error err = {0};
        char path[4096];
        const struct fd_source_config *s;

        fixture("full.yaml", path, sizeof path);
        ck_assert_msg(fd_config_load(path, &c, &err) == FD_OK, "%s", err.msg);
        ck_assert_str_eq(c->path, path);
        ck_assert_str_eq(c->state_dir, "/var/lib/fairdex");
        ck_assert_str_eq(c->socket, "/run/fairdex/fairdex.sock");
        ck_assert_int_eq(c->log_level, FD_LOG_DEBUG);
        ck_assert_str_eq(c->contact, "ops@example.org");
        ck_assert_uint_eq(c->n_sources, 3);

        s = &c->sources[0];
        ck_assert_str_eq(s->name, "zenodo");
        ck_assert_int_eq(s->type, FD_SOURCE_OAI_PMH);
        ck_assert_str_eq(s->url, "https://zenodo.org/oai2d");
        ck_assert_str_eq(s->metadata_prefix, "oai_datacite");
        ck_assert_uint_eq(s->n_sets, 2);
        ck_assert_str_eq(s->sets[0], "user-eosc");
        ck_assert_str_eq(s->sets[1], "openaire");
        ck_assert_uint_eq(s->interval, 6 * 3600);
        ck_assert_uint_eq(s->delay_ms, 2000);
        ck_assert_uint_eq(s->reconcile, 86400);
        ck_assert_uint_eq(s->n_formats, 3);
        ck_assert_str_eq(s->formats[0], "oai_datacite");
        ck_assert_str_eq(s->formats[2], "oai_dc");

        s = &c->sources[1];
        ck_assert_str_eq(s->name, "2024");
        ck_assert_int_eq(s->type, FD_SOURCE_DCAT);
        ck_assert_str_eq(s->url, "http://data.europa.eu/api/hub/search/catalogues/example");
        ck_assert_ptr_null(s->metadata_prefix);
        ck_assert_uint_eq(s->n_sets, 0);
        ck_assert_uint_eq(s->interval, 3600);
        ck_assert_uint_eq(s->delay_ms, FD_CONFIG_DEFAULT_DELAY_MS);
        ck_assert_uint_eq(s->reconcile, FD_CONFIG_DEFAULT_RECONCILE);
        ck_assert_uint_eq(s->n_formats, 0);
        ck_assert_ptr_null(s->formats);

        s = &c->sources[2];
        ck_assert_str_eq(s->name, "local.sample_1");
        ck_assert_str_eq(s->url, "file:///usr/share/fairdex/sample/oai-static.xml");
        ck_assert_uint_eq(s->n_sets, 1);
        ck_assert_str_eq(s->sets[0], "driver");
        ck_assert_uint_eq(s->interval, 14 * 86400);
        ck_assert_uint_eq(s->delay_ms, 0);  /* file: sources wait for nobody */

        ck_assert_ptr_eq(fd_config_source(c, "2024"), &c->sources[1]);
        ck_assert_ptr_eq(fd_config_source(c, "zenodo"), &c->sources[0]);
        ck_assert_ptr_null(fd_config_source(c, "zenod"));
        ck_assert_ptr_null(fd_config_source(c, NULL));
        ck_assert_ptr_null(fd_config_source(NULL, "zenodo"));
        ck_assert_str_eq(fd_source_type_name(c->sources[0].type), "oai-pmh");
        ck_assert_str_eq(fd_source_type_name(c->sources[1].type), "dcat");
}
END_TEST

/* type: ckan (issue 7) */
START_TEST(test_source_type_ckan) {
        _fd_cleanup_(fd_config_freep) struct fd_config *c =
                parse_ok("state_dir: /s\nsocket: /s/f.sock\nsources:\n"
                         "  - name: b2find\n    type: ckan\n    url: https://b2find.eudat.eu\n");
        ck_assert_int_eq(c->sources[0].type, FD_SOURCE_CKAN);
        ck_assert_str_eq(fd_source_type_name(c->sources[0].type), "ckan");
        ck_assert_str_eq(fd_source_type_name(FD_SOURCE_DCAT), "dcat");
}
END_TEST

/* type: csw (issue 15) */
START_TEST(test_source_type_csw) {
        _fd_cleanup_(fd_config_freep) struct fd_config *c =
                parse_ok("state_dir: /s\nsocket: /s/f.sock\nsources:\n"
                         "  - name: inspire\n    type: csw\n    url: https://inspire-geoportal.ec.europa.eu/csw\n");
        ck_assert_int_eq(c->sources[0].type, FD_SOURCE_CSW);
        ck_assert_str_eq(fd_source_type_name(c->sources[0].type), "csw");
}
END_TEST

START_TEST(test_minimal) {
        _fd_cleanup_(fd_config_freep) struct fd_config *c = NULL;
        struct fd_error err = {0};
        char path[4096], want[4200];

        fixture("minimal.yaml", path, sizeof path);
        ck_assert_msg(fd_config_load(path, &c, &err) == FD_OK, "%s", err.msg);
        /* Relative paths are taken from the file's own directory. */
        *strrchr(path, '/') = '\0';
        snprintf(want, sizeof want, "%s/state", path);
        ck_assert_str_eq(c->state_dir, want);
        snprintf(want, sizeof want, "%s/fairdex.sock", path);
        ck_assert_str_eq(c->socket, want);
        ck_assert_int_eq(c->log_level, FD_LOG_INFO);
        ck_assert_ptr_null(c->contact);
        ck_assert_uint_eq(c->n_sources, 0);
        ck_assert_ptr_null(fd_config_source(c, "x"));
}
END_TEST

START_TEST(test_source_defaults) {
        _fd_cleanup_(fd_config_freep) struct fd_config *c =
                parse_ok(HEAD "contact: ~\nlog_level:\nsources:\n"
                              "- {name: a, type: dcat, url: 'HTTPS://x.org/c.ttl', sets: ~, interval: null}\n");

        ck_assert_ptr_null(c->contact);
        ck_assert_int_eq(c->log_level, FD_LOG_INFO);
        ck_assert_uint_eq(c->n_sources, 1);
        ck_assert_str_eq(c->sources[0].url, "HTTPS://x.org/c.ttl");
        ck_assert_ptr_null(c->sources[0].metadata_prefix);
        ck_assert_ptr_null(c->sources[0].sets);
        ck_assert_uint_eq(c->sources[0].n_sets, 0);
        ck_assert_uint_eq(c->sources[0].interval, FD_CONFIG_DEFAULT_INTERVAL);
}
END_TEST

START_TEST(test_log_levels) {
        static const struct {
                const char *name;
                enum fd_log_level level;
        } cases[] = {{"err", FD_LOG_ERR},   {"warning", FD_LOG_WARNING}, {"notice", FD_LOG_NOTICE},
                     {"info", FD_LOG_INFO}, {"debug", FD_LOG_DEBUG},     {"\"debug\"", FD_LOG_DEBUG}};
        char text[256];

        for (size_t i = 0; i < FD_ELEMENTSOF(cases); i++) {
                snprintf(text, sizeof text, HEAD "log_level: %s\nsources: []\n", cases[i].name);
                _fd_cleanup_(fd_config_freep) struct fd_config *c = parse_ok(text);
                ck_assert_int_eq(c->log_level, cases[i].level);
        }
}
END_TEST

START_TEST(test_interval_forms) {
        static const struct {
                const char *text;
                unsigned secs;
        } cases[] = {
                {"3600", 3600},         {"60", 60},           {"90s", 90},         {"15m", 900},
                {"6h", 6 * 3600},       {"1d", 86400},        {"2w", 14 * 86400},  {"'7200'", 7200},
                {"\"45m\"", 2700},      {"!!int 120", 120},   {"+300", 300},       {"0x3c", 60},
                {"365d", 365 * 86400},  {"52w", 364 * 86400}, {"31536000", 31536000},
        };
        char text[256];

        for (size_t i = 0; i < FD_ELEMENTSOF(cases); i++) {
                snprintf(text, sizeof text, SOURCE_A "  interval: %s\n", cases[i].text);
                _fd_cleanup_(fd_config_freep) struct fd_config *c = parse_ok(text);
                ck_assert_msg(c->sources[0].interval == cases[i].secs, "'%s' gave %u, wanted %u", cases[i].text,
                              c->sources[0].interval, cases[i].secs);
        }
}
END_TEST

START_TEST(test_operations_keys) {
        struct fd_config *c = parse_ok(HEAD "sources: []\n");
        ck_assert_uint_eq(c->max_harvests, FD_CONFIG_DEFAULT_MAX_HARVESTS);
        ck_assert_uint_eq(c->stuck_after, FD_CONFIG_DEFAULT_STUCK_AFTER);
        fd_config_free(c);
        c = parse_ok(HEAD "max_harvests: 2\nstuck_after: 90s\nsources: []\n");
        ck_assert_uint_eq(c->max_harvests, 2);
        ck_assert_uint_eq(c->stuck_after, 90);
        fd_config_free(c);
        c = parse_ok(HEAD "stuck_after: off\nsources: []\n");
        ck_assert_uint_eq(c->stuck_after, 0);
        fd_config_free(c);
        expect_err_len(HEAD "max_harvests: 0\nsources: []\n", strlen(HEAD "max_harvests: 0\nsources: []\n"),
                       FD_E_INVALID, "3:15", "'max_harvests' must be an integer from 1 to 64", "'0'");
        expect_err_len(HEAD "max_harvests: many\nsources: []\n",
                       strlen(HEAD "max_harvests: many\nsources: []\n"), FD_E_INVALID, "3:15", "'many'", NULL);
        expect_err_len(HEAD "stuck_after: 5x\nsources: []\n", strlen(HEAD "stuck_after: 5x\nsources: []\n"),
                       FD_E_INVALID, "3:14", "'stuck_after'", "'5x'");
}
END_TEST

START_TEST(test_socket_mode) {
        static const struct {
                const char *text;
                unsigned mode;
        } ok[] = {{"\"0660\"", 0660}, {"0600", 0600}, {"'666'", 0666}, {"0777", 0777}};
        static const char *const bad[] = {"\"0680\"", "rw", "\"01777\"", "\"60\"", "[1]", "\"4660\""};
        char text[256];

        struct fd_config *c = parse_ok(HEAD "sources: []\n");
        ck_assert_uint_eq(c->socket_mode, 0660);
        fd_config_free(c);
        for (size_t i = 0; i < FD_ELEMENTSOF(ok); i++) {
                snprintf(text, sizeof text, HEAD "socket_mode: %s\nsources: []\n", ok[i].text);
                c = parse_ok(text);
                ck_assert_msg(c->socket_mode == ok[i].mode, "'%s' gave %o", ok[i].text, c->socket_mode);
                fd_config_free(c);
        }
        for (size_t i = 0; i < FD_ELEMENTSOF(bad); i++) {
                snprintf(text, sizeof text, HEAD "socket_mode: %s\nsources: []\n", bad[i]);
                expect_err_len(text, strlen(text), FD_E_INVALID, "3:14", "'socket_mode'", NULL);
        }
}
END_TEST

START_TEST(test_http) {
        static const char *const bad[][2] = {
                {"http: 8080\n", "'http' must be a mapping"},
                {"http:\n  base_url: http://x\n", "'http' has no 'listen'"},
                {"http:\n  listen: \"8080\"\n", "must be host:port"},
                {"http:\n  listen: \"localhost:99999\"\n", "must be host:port"},
                {"http:\n  listen: \"[::1:80\"\n", "must be host:port"},
                {"http:\n  listen: \"h:80\"\n  base_url: ftp://x\n", "http:// or https://"},
                {"http:\n  listen: \"h:80\"\n  admin_email: nobody\n", "e-mail address"},
                {"http:\n  listen: \"h:80\"\n  lsten: x\n", "unknown key 'lsten'"},
        };
        char text[512];

        struct fd_config *c = parse_ok(HEAD "sources: []\n");
        ck_assert(!c->http.enabled);
        fd_config_free(c);
        c = parse_ok(HEAD "contact: a@b.org\nhttp:\n  listen: \"127.0.0.1:8080\"\nsources: []\n");
        ck_assert(c->http.enabled);
        ck_assert_str_eq(c->http.host, "127.0.0.1");
        ck_assert_uint_eq(c->http.port, 8080);
        ck_assert_str_eq(c->http.base_url, "http://127.0.0.1:8080");
        ck_assert_str_eq(c->http.repository_name, "fairdex");
        ck_assert_str_eq(c->http.admin_email, "a@b.org");
        fd_config_free(c);
        c = parse_ok(HEAD "http:\n  listen: \"[::1]:80\"\n  base_url: https://f.example.org/x//\n"
                          "  repository_name: \"F\"\n  admin_email: o@f.org\nsources: []\n");
        ck_assert_str_eq(c->http.host, "::1");
        ck_assert_uint_eq(c->http.port, 80);
        ck_assert_str_eq(c->http.base_url, "https://f.example.org/x");
        ck_assert_str_eq(c->http.repository_name, "F");
        ck_assert_str_eq(c->http.admin_email, "o@f.org");
        fd_config_free(c);
        for (size_t i = 0; i < FD_ELEMENTSOF(bad); i++) {
                snprintf(text, sizeof text, HEAD "%ssources: []\n", bad[i][0]);
                expect_err_len(text, strlen(text), FD_E_INVALID, NULL, bad[i][1], NULL);
        }
}
END_TEST

START_TEST(test_index) {
        struct fd_config *c = parse_ok(HEAD "sources: []\n");
        ck_assert(!c->index.configured);
        ck_assert_uint_eq(c->index.n_shards, 0);
        fd_config_free(c);

        c = parse_ok(HEAD "index:\n  shards:\n    - path: shard0\n    - remote: tcp://10.0.0.2:7001\n"
                          "      search: tcp://10.0.0.2:7101\n    - remote: \"tcp://[::1]:7002\"\n"
                          "sources: []\n");
        ck_assert(c->index.configured);
        ck_assert(!c->index.readonly);
        ck_assert_int_eq(c->index.route, FD_ROUTE_HASH);
        ck_assert_uint_eq(c->index.n_shards, 3);
        ck_assert(c->index.shards[0].path[0] == '/');
        ck_assert(strstr(c->index.shards[0].path, "/shard0"));
        ck_assert_ptr_null(c->index.shards[0].remote);
        ck_assert_str_eq(c->index.shards[0].name, c->index.shards[0].path);
        ck_assert_str_eq(c->index.shards[0].search, c->index.shards[0].path);
        ck_assert_ptr_null(c->index.shards[1].path);
        ck_assert_str_eq(c->index.shards[1].remote, "tcp://10.0.0.2:7001");
        ck_assert_str_eq(c->index.shards[1].name, "tcp://10.0.0.2:7001");
        ck_assert_str_eq(c->index.shards[1].search, "tcp://10.0.0.2:7101");
        ck_assert_str_eq(c->index.shards[2].search, "tcp://[::1]:7002");
        fd_config_free(c);

        c = parse_ok(HEAD "index:\n  route: source\n  readonly: true\n  shards:\n    - path: /a\nsources: []\n");
        ck_assert_int_eq(c->index.route, FD_ROUTE_SOURCE);
        ck_assert(c->index.readonly);
        ck_assert_str_eq(c->index.shards[0].path, "/a");
        ck_assert_str_eq(fd_index_route_name(c->index.route), "source");
        fd_config_free(c);

        /* without shards: the one database under state_dir, read-only */
        c = parse_ok(HEAD "index: {readonly: true}\nsources: []\n");
        ck_assert(c->index.configured && c->index.readonly);
        ck_assert_uint_eq(c->index.n_shards, 0);
        fd_config_free(c);
}
END_TEST

START_TEST(test_index_errors) {
        static const char *const bad[][3] = {
                {"index: [a]\n", "4:8", "'index' must be a mapping"},
                {"index:\n  shard: []\n", "5:3", "unknown key 'shard' in 'index'"},
                {"index:\n  route: random\n", "5:10", "'route' in 'index' must be hash or source, not 'random'"},
                {"index:\n  readonly: yes\n", "5:13", "'readonly' in 'index' must be true or false"},
                {"index:\n  shards: []\n", "5:11", "lists no shard"},
                {"index:\n  shards: /a\n", "5:11", "'shards' in 'index' must be a sequence"},
                {"index:\n  shards:\n  - /a\n", "6:5", "shard 1 of 'index' must be a mapping"},
                {"index:\n  shards:\n  - search: tcp://h:1\n", "6:5", "must have either 'path' or 'remote'"},
                {"index:\n  shards:\n  - {path: /a, remote: \"tcp://h:1\"}\n", "6:5", "not both"},
                {"index:\n  shards:\n  - path: /a\n    size: 3\n", "7:5", "unknown key 'size' in shard 1 of 'index'"},
                {"index:\n  shards:\n  - remote: http://h:1\n", "6:13", "must be tcp://host:port"},
                {"index:\n  shards:\n  - remote: tcp://h\n", "6:13", "must be tcp://host:port"},
                {"index:\n  shards:\n  - remote: tcp://:7\n", "6:13", "must be tcp://host:port"},
                {"index:\n  shards:\n  - remote: tcp://h:70000\n", "6:13", "must be tcp://host:port"},
                {"index:\n  shards:\n  - remote: tcp://h:7/x\n", "6:13", "must be tcp://host:port"},
                {"index:\n  shards:\n  - remote: tcp://h:7\n    search: h:8\n", "7:13",
                 "'search' in shard 1 of 'index' must be tcp://host:port"},
                {"index:\n  shards:\n  - path: /a\n    search: tcp://h:8\n", "7:5", "is for remote shards"},
                {"index:\n  shards:\n  - path: /a\n  - remote: tcp://h:7\n  - path: /a\n", "8:5",
                 "shard 3 of 'index' repeats shard 1 ('/a')"},
        };
        char text[512];

        for (size_t i = 0; i < FD_ELEMENTSOF(bad); i++) {
                snprintf(text, sizeof text, HEAD "sources: []\n%s", bad[i][0]);
                expect_err(text, FD_E_INVALID, bad[i][1], bad[i][2], NULL);
        }
}
END_TEST

START_TEST(test_index_route) {
        size_t seen[3] = {0};

        ck_assert_uint_eq(fd_index_route_shard(FD_ROUTE_HASH, 1, "s", "x"), 0);
        ck_assert_uint_eq(fd_index_route_shard(FD_ROUTE_HASH, 0, "s", "x"), 0);
        /* stable: FNV-1a 64 of the id modulo n, the same on every machine */
        ck_assert_uint_eq(fd_index_route_shard(FD_ROUTE_HASH, 3, "s", "oai:x:1"),
                          (size_t)(fd_hash_str("oai:x:1") % 3));
        ck_assert_uint_eq(fd_index_route_shard(FD_ROUTE_SOURCE, 3, "zenodo", "oai:x:1"),
                          (size_t)(fd_hash_str("zenodo") % 3));
        for (int i = 0; i < 300; i++) {
                char id[32];
                snprintf(id, sizeof id, "oai:example.org:%d", i);
                size_t k = fd_index_route_shard(FD_ROUTE_HASH, 3, "s", id);
                ck_assert_uint_lt(k, 3);
                seen[k]++;
                /* route source keeps a source's records together */
                ck_assert_uint_eq(fd_index_route_shard(FD_ROUTE_SOURCE, 3, "s", id),
                                  fd_index_route_shard(FD_ROUTE_SOURCE, 3, "s", "other"));
        }
        for (int k = 0; k < 3; k++)
                ck_assert_msg(seen[k] > 60, "shard %d got %zu of 300 ids", k, seen[k]);
}
END_TEST

START_TEST(test_interval_errors) {
        static const struct {
                const char *text;
                const char *needle;
        } cases[] = {
                {"30s", "at least 60 seconds, not '30s'"},
                {"59", "at least 60 seconds"},
                {"0", "positive"},
                {"-5", "must be positive, not '-5'"},
                {"366d", "at most 365 days"},
                {"53w", "at most 365 days"},
                {"31536001", "at most 365 days"},
                {"99999999999999999999999", "out of range"},
                {"'99999999999999999999999s'", "at most 365 days"},
                {"'99999999999999999999999999999s'", "30s, 15m"},
                {"1.5", "not a number"},
                {"6 hours", "not '6 hours'"},
                {"h", "not 'h'"},
                {"6y", "not '6y'"},
                {"''", "not ''"},
                {"[1]", "not a sequence"},
                {"{h: 6}", "not a mapping"},
                {"true", "not a boolean"},
        };
        char text[256];

        for (size_t i = 0; i < FD_ELEMENTSOF(cases); i++) {
                snprintf(text, sizeof text, SOURCE_A "  interval: %s\n", cases[i].text);
                expect_err(text, FD_E_INVALID, "7:13", "'interval' in source 'a'", cases[i].needle);
        }
}
END_TEST

START_TEST(test_sets_forms) {
        _fd_cleanup_(fd_config_freep) struct fd_config *c =
                parse_ok(HEAD "sources:\n"
                              "- {name: one, type: oai-pmh, url: 'file:///a', sets: driver}\n"
                              "- {name: list, type: oai-pmh, url: 'file:///a', sets: [a, 'b:c', \"d\"]}\n"
                              "- {name: block, type: oai-pmh, url: 'file:///a', sets: []}\n"
                              "- name: nested\n  type: oai-pmh\n  url: file:///a\n  sets:\n    - x\n    - y\n");

        ck_assert_uint_eq(c->n_sources, 4);
        ck_assert_uint_eq(c->sources[0].n_sets, 1);
        ck_assert_str_eq(c->sources[0].sets[0], "driver");
        ck_assert_uint_eq(c->sources[1].n_sets, 3);
        ck_assert_str_eq(c->sources[1].sets[0], "a");
        ck_assert_str_eq(c->sources[1].sets[1], "b:c");
        ck_assert_str_eq(c->sources[1].sets[2], "d");
        ck_assert_uint_eq(c->sources[2].n_sets, 0);
        ck_assert_ptr_null(c->sources[2].sets);
        ck_assert_uint_eq(c->sources[3].n_sets, 2);
        ck_assert_str_eq(c->sources[3].sets[1], "y");
}
END_TEST

START_TEST(test_sets_errors) {
        expect_err(HEAD "sources:\n- name: a\n  type: oai-pmh\n  url: file:///c\n  sets: [x, 42, y]\n", FD_E_INVALID,
                   "7:13", "item 2 of 'sets' in source 'a' must be a string, not an integer", "quote it");
        expect_err(HEAD "sources:\n- name: a\n  type: oai-pmh\n  url: file:///c\n  sets: [x, [y]]\n", FD_E_INVALID,
                   "7:13", "item 2 of 'sets'", "not a sequence");
        expect_err(HEAD "sources:\n- name: a\n  type: oai-pmh\n  url: file:///c\n  sets: {a: b}\n", FD_E_INVALID,
                   "7:9", "'sets' in source 'a'", "not a mapping");
        expect_err(HEAD "sources:\n- name: a\n  type: oai-pmh\n  url: file:///c\n  sets: 7\n", FD_E_INVALID, "7:9",
                   "'sets' in source 'a'", "not an integer");
        /* Partly copied sets are freed on the error path (asan). */
        expect_err(HEAD "sources:\n- name: a\n  type: oai-pmh\n  url: file:///c\n  sets: [x, y, '']\n", FD_E_INVALID,
                   "7:16", "item 3 of 'sets'", "must not be empty");
}
END_TEST

START_TEST(test_politeness_forms) {
        static const struct {
                const char *text;
                unsigned ms;
        } delays[] = {
                {"0", 0},         {"1", 1000},    {"250ms", 250},   {"0ms", 0},     {"2s", 2000},
                {"1m", 60000},    {"'3'", 3000},  {"600s", 600000}, {"10m", 600000},
        };
        static const struct {
                const char *text;
                unsigned secs;
        } reconciles[] = {
                {"1", 1}, {"1s", 1}, {"60s", 60}, {"7d", 7 * 86400}, {"2w", 14 * 86400}, {"off", 0}, {"never", 0},
        };
        char text[256];

        for (size_t i = 0; i < FD_ELEMENTSOF(delays); i++) {
                snprintf(text, sizeof text, SOURCE_A "  delay: %s\n", delays[i].text);
                _fd_cleanup_(fd_config_freep) struct fd_config *c = parse_ok(text);
                ck_assert_msg(c->sources[0].delay_ms == delays[i].ms, "delay '%s' gave %u ms, wanted %u",
                              delays[i].text, c->sources[0].delay_ms, delays[i].ms);
        }
        for (size_t i = 0; i < FD_ELEMENTSOF(reconciles); i++) {
                snprintf(text, sizeof text, SOURCE_A "  reconcile: %s\n", reconciles[i].text);
                _fd_cleanup_(fd_config_freep) struct fd_config *c = parse_ok(text);
                ck_assert_msg(c->sources[0].reconcile == reconciles[i].secs, "reconcile '%s' gave %u, wanted %u",
                              reconciles[i].text, c->sources[0].reconcile, reconciles[i].secs);
        }

        /* Defaults: http(s) sources are paced, file: ones are not; weekly reconciliation. */
        _fd_cleanup_(fd_config_freep) struct fd_config *c =
                parse_ok(HEAD "sources:\n- {name: h, type: oai-pmh, url: 'https://x.org/oai', delay: ~}\n"
                              "- {name: f, type: oai-pmh, url: 'file:///x.xml', formats: oai_dc}\n"
                              "- {name: l, type: oai-pmh, url: 'file:///x.xml', formats: [datacite, \"oai_dc\"]}\n");
        ck_assert_uint_eq(c->sources[0].delay_ms, FD_CONFIG_DEFAULT_DELAY_MS);
        ck_assert_uint_eq(c->sources[0].reconcile, 7 * 86400);
        ck_assert_uint_eq(c->sources[0].n_formats, 0);
        ck_assert_uint_eq(c->sources[1].delay_ms, 0);
        ck_assert_uint_eq(c->sources[1].n_formats, 1);
        ck_assert_str_eq(c->sources[1].formats[0], "oai_dc");
        ck_assert_uint_eq(c->sources[2].n_formats, 2);
        ck_assert_str_eq(c->sources[2].formats[0], "datacite");
        ck_assert_str_eq(c->sources[2].formats[1], "oai_dc");
}
END_TEST

START_TEST(test_politeness_errors) {
        static const struct {
                const char *key, *text, *loc, *needle;
        } cases[] = {
                {"delay", "-1", "7:10", "not '-1'"},
                {"delay", "1.5", "7:10", "not a number"},
                {"delay", "2h", "7:10", "like 250ms, 2s, 1m, not '2h'"},
                {"delay", "ms", "7:10", "not 'ms'"},
                {"delay", "11m", "7:10", "at most 600 seconds"},
                {"delay", "601", "7:10", "at most 600 seconds"},
                {"delay", "99999999999999999999999ms", "7:10", "at most 600 seconds"},
                {"delay", "[1]", "7:10", "not a sequence"},
                {"reconcile", "0", "7:14", "positive"},
                {"reconcile", "366d", "7:14", "at most 365 days"},
                {"reconcile", "weekly", "7:14", "or off, not 'weekly'"},
                {"reconcile", "true", "7:14", "not a boolean"},
                {"formats", "7", "7:12", "list of metadataPrefixs or one metadataPrefix, not an integer"},
                {"formats", "[oai_dc, 'oai dc']", "7:21", "item 2 of 'formats' in source 'a' is not a valid"},
                {"formats", "[oai_dc, oai_dc]", "7:21", "repeats 'oai_dc'"},
                {"formats", "[oai_dc, '']", "7:21", "must not be empty"},
                {"formats", "{a: b}", "7:12", "not a mapping"},
        };
        char text[256], where[64];

        for (size_t i = 0; i < FD_ELEMENTSOF(cases); i++) {
                snprintf(text, sizeof text, SOURCE_A "  %s: %s\n", cases[i].key, cases[i].text);
                snprintf(where, sizeof where, " in source 'a'");
                expect_err(text, FD_E_INVALID, cases[i].loc, where, cases[i].needle);
        }
}
END_TEST

/* ---- time windows ------------------------------------------------------ */

/* 2025-11-23T00:00:00Z: a UTC midnight, for readable window arithmetic. */
#define DAY0 ((int64_t)20415 * 86400)
#define H(h) ((int64_t)(h) * 3600)

START_TEST(test_window_forms) {
        static const struct {
                const char *text;
                unsigned start, end;
                const char *shown;
        } cases[] = {
                {"22:00-06:00", 22 * 60, 6 * 60, "22:00-06:00"},
                {"'09:30-17:00'", 9 * 60 + 30, 17 * 60, "09:30-17:00"},
                {"\"9:05-9:06\"", 9 * 60 + 5, 9 * 60 + 6, "09:05-09:06"},
                {"22:00 - 24:00", 22 * 60, 0, "22:00-00:00"},
                {"00:00-23:59", 0, 23 * 60 + 59, "00:00-23:59"},
                {"23:59-00:00", 23 * 60 + 59, 0, "23:59-00:00"},
        };
        char text[256], shown[FD_WINDOW_TEXT];

        for (size_t i = 0; i < FD_ELEMENTSOF(cases); i++) {
                snprintf(text, sizeof text, SOURCE_A "  window: %s\n", cases[i].text);
                _fd_cleanup_(fd_config_freep) struct fd_config *c = parse_ok(text);
                const struct fd_window *w = &c->sources[0].window;
                ck_assert_msg(w->start == cases[i].start && w->end == cases[i].end, "window %s gave %u-%u",
                              cases[i].text, w->start, w->end);
                ck_assert(fd_window_set(w));
                ck_assert_str_eq(fd_window_format(w, shown, sizeof shown), cases[i].shown);
        }

        /* Absent or empty: no window, open at any time. */
        _fd_cleanup_(fd_config_freep) struct fd_config *c =
                parse_ok(HEAD "sources:\n- {name: a, type: dcat, url: 'file:///c'}\n"
                              "- {name: b, type: dcat, url: 'file:///c', window: ~}\n");
        for (size_t i = 0; i < 2; i++) {
                const struct fd_window *w = &c->sources[i].window;
                ck_assert(!fd_window_set(w));
                ck_assert(fd_window_open(w, DAY0 + H(3)));
                ck_assert_int_eq(fd_window_next_open(w, DAY0 + 17), DAY0 + 17);
                ck_assert_int_eq(fd_window_close(w, DAY0), INT64_MAX);
                ck_assert_int_eq(fd_window_length(w), 86400);
                ck_assert_str_eq(fd_window_format(w, shown, sizeof shown), "");
        }
}
END_TEST

START_TEST(test_window_errors) {
        static const struct {
                const char *text, *needle;
        } cases[] = {
                {"25:00-06:00", "'25:00-06:00' is not HH:MM-HH:MM (UTC, like 22:00-06:00)"},
                {"24:00-06:00", "'24:00-06:00' is not HH:MM"},
                {"22:00-24:01", "is not HH:MM"},
                {"22:00-06:60", "is not HH:MM"},
                {"22:00", "'22:00' is not HH:MM"},
                {"22-06", "is not HH:MM"},
                {"2200-0600", "is not HH:MM"},
                {"22:0-06:00", "is not HH:MM"},
                {"022:00-06:00", "is not HH:MM"},
                {"22:00-06:00 UTC", "is not HH:MM"},
                {"22:00--06:00", "is not HH:MM"},
                {"-06:00", "is not HH:MM"},
                {"06:00-06:00", "'06:00-06:00' opens and closes at the same time"},
                {"00:00-24:00", "opens and closes at the same time"},
                {"1200", "must be a string, not an integer (quote it)"},
                {"true", "not a boolean"},
                {"''", "must not be empty"},
                {"[22:00, 06:00]", "not a sequence"},
                {"{from: 22:00}", "not a mapping"},
        };
        char text[256];

        for (size_t i = 0; i < FD_ELEMENTSOF(cases); i++) {
                snprintf(text, sizeof text, SOURCE_A "  window: %s\n", cases[i].text);
                expect_err(text, FD_E_INVALID, "7:11", "'window' in source 'a'", cases[i].needle);
        }
        /* A window error is reported where it is written, in its own source. */
        expect_err(HEAD "sources:\n- {name: a, type: dcat, url: 'file:///c', window: '08:00-09:00'}\n"
                        "- {name: b, type: dcat, url: 'file:///c', window: '8h-9h'}\n",
                   FD_E_INVALID, "5:51", "'window' in source 'b'", "'8h-9h'");
}
END_TEST

START_TEST(test_window_parse) {
        struct fd_window w = {1, 2}, sentinel = {1, 2};
        struct fd_error err = {0};

        ck_assert_int_eq(fd_window_parse("7:00-8:15", &w, &err), FD_OK);
        ck_assert_uint_eq(w.start, 420);
        ck_assert_uint_eq(w.end, 495);
        w = sentinel;
        ck_assert_int_eq(fd_window_parse("07:00-07:00", &w, &err), FD_E_INVALID);
        ck_assert_msg(w.start == 1 && w.end == 2, "ret written on failure");
        ck_assert_msg(strstr(err.msg, "same time"), "%s", err.msg);
        ck_assert_int_eq(fd_window_parse("", &w, &err), FD_E_INVALID);
        ck_assert_int_eq(fd_window_parse("07:00-", &w, &err), FD_E_INVALID);
        ck_assert_int_eq(fd_window_parse("07:00-8", &w, &err), FD_E_INVALID);
        ck_assert_int_eq(fd_window_parse(":00-08:00", &w, &err), FD_E_INVALID);
        ck_assert_msg(w.start == 1 && w.end == 2, "ret written on failure");
}
END_TEST

START_TEST(test_window_arithmetic) {
        const struct fd_window night = {22 * 60, 6 * 60}, day = {9 * 60, 17 * 60}, minute = {10 * 60, 10 * 60 + 1};
        const struct fd_window last = {23 * 60 + 59, 0};

        /* Across midnight: [22:00, 06:00). */
        ck_assert(fd_window_open(&night, DAY0 + H(22)));
        ck_assert(fd_window_open(&night, DAY0 + H(24) - 1));
        ck_assert(fd_window_open(&night, DAY0));
        ck_assert(fd_window_open(&night, DAY0 + H(6) - 1));
        ck_assert(!fd_window_open(&night, DAY0 + H(6)));
        ck_assert(!fd_window_open(&night, DAY0 + H(12)));
        ck_assert(!fd_window_open(&night, DAY0 + H(22) - 1));
        ck_assert_int_eq(fd_window_next_open(&night, DAY0 + H(12)), DAY0 + H(22));
        ck_assert_int_eq(fd_window_next_open(&night, DAY0 + H(6)), DAY0 + H(22));
        ck_assert_int_eq(fd_window_next_open(&night, DAY0 + H(23)), DAY0 + H(23));
        ck_assert_int_eq(fd_window_next_open(&night, DAY0 + H(22) - 1), DAY0 + H(22));
        ck_assert_int_eq(fd_window_close(&night, DAY0 + H(23)), DAY0 + H(30));
        ck_assert_int_eq(fd_window_close(&night, DAY0 + H(1)), DAY0 + H(6));
        ck_assert_int_eq(fd_window_close(&night, DAY0 + H(12)), DAY0 + H(30));
        ck_assert_int_eq(fd_window_length(&night), H(8));

        /* Within a day: [09:00, 17:00). */
        ck_assert(fd_window_open(&day, DAY0 + H(9)));
        ck_assert(!fd_window_open(&day, DAY0 + H(17)));
        ck_assert(!fd_window_open(&day, DAY0 + H(3)));
        ck_assert_int_eq(fd_window_next_open(&day, DAY0 + H(3)), DAY0 + H(9));
        ck_assert_int_eq(fd_window_next_open(&day, DAY0 + H(17)), DAY0 + H(33));
        ck_assert_int_eq(fd_window_close(&day, DAY0 + H(9)), DAY0 + H(17));
        ck_assert_int_eq(fd_window_close(&day, DAY0 + H(20)), DAY0 + H(41));
        ck_assert_int_eq(fd_window_length(&day), H(8));

        /* One minute, and the last minute of the day. */
        ck_assert_int_eq(fd_window_length(&minute), 60);
        ck_assert_int_eq(fd_window_next_open(&minute, DAY0 + H(10) + 60), DAY0 + H(34));
        ck_assert_int_eq(fd_window_close(&minute, DAY0 + H(10) + 59), DAY0 + H(10) + 60);
        ck_assert(fd_window_open(&last, DAY0 - 1));
        ck_assert(!fd_window_open(&last, DAY0));
        ck_assert_int_eq(fd_window_close(&last, DAY0 - 30), DAY0);
        ck_assert_int_eq(fd_window_next_open(&last, DAY0), DAY0 + H(24) - 60);

        /* Before the epoch too (the modulo is floored). */
        ck_assert(fd_window_open(&last, -30));
        ck_assert_int_eq(fd_window_next_open(&last, -H(1)), -60);
        ck_assert_int_eq(fd_window_close(&night, -H(1)), H(6));
}
END_TEST

/* Over two days in 7 s steps: next_open is the first open second at or
 * after t, and close the first closed second after an open t. */
START_TEST(test_window_properties) {
        const struct fd_window windows[] = {
                {22 * 60, 6 * 60}, {9 * 60, 17 * 60}, {0, 1}, {1439, 0}, {1, 0}, {12 * 60, 12 * 60 - 1},
        };

        for (size_t i = 0; i < FD_ELEMENTSOF(windows); i++) {
                const struct fd_window *w = &windows[i];
                for (int64_t t = DAY0 - H(24); t < DAY0 + H(24); t += 7) {
                        int64_t o = fd_window_next_open(w, t), c = fd_window_close(w, t);
                        ck_assert_msg(o >= t && o - t < 86400, "window %zu at %lld: next open %lld", i, (long long)t,
                                      (long long)o);
                        ck_assert_msg(fd_window_open(w, o), "window %zu: closed at its next opening", i);
                        ck_assert_msg(o == t || !fd_window_open(w, o - 1), "window %zu at %lld: open before %lld", i,
                                      (long long)t, (long long)o);
                        ck_assert_msg(c > o && c - o <= fd_window_length(w), "window %zu at %lld: close %lld", i,
                                      (long long)t, (long long)c);
                        ck_assert_msg(fd_window_open(w, c - 1) && !fd_window_open(w, c),
                                      "window %zu at %lld: close %lld is not the end", i, (long long)t, (long long)c);
                        ck_assert_msg(o == t || c - o == fd_window_length(w), "window %zu: opening shorter than its "
                                      "length", i);
                }
        }
}
END_TEST

static struct fd_config *parse_named(const char *name, const char *text) {
        struct fd_config *c = NULL;
        struct fd_error err = {0};

        ck_assert_msg(fd_config_parse(name, text, strlen(text), &c, &err) == FD_OK, "%s", err.msg);
        ck_assert_str_eq(c->path, name);
        return c;
}

START_TEST(test_relative_paths) {
        struct fd_config *c;
        struct fd_error err = {0};
        char cwd[4096], want[4200], name[200];

        c = parse_named("/etc/fairdex/fairdex.yaml",
                        "state_dir: ../var/lib\nsocket: ./run/f.sock\nsources:\n"
                        "- {name: rel, type: oai-pmh, url: 'file:../data/x.xml'}\n"
                        "- {name: abs, type: oai-pmh, url: 'file:/srv/x.xml'}\n"
                        "- {name: full, type: oai-pmh, url: 'file:///srv/y.xml'}\n"
                        "- {name: upper, type: dcat, url: 'FILE:c.ttl'}\n"
                        "- {name: web, type: dcat, url: 'https://x.org/c.ttl'}\n");
        ck_assert_str_eq(c->state_dir, "/etc/var/lib");
        ck_assert_str_eq(c->socket, "/etc/fairdex/run/f.sock");
        ck_assert_str_eq(c->sources[0].url, "file:///etc/data/x.xml");
        ck_assert_str_eq(c->sources[1].url, "file:///srv/x.xml");
        ck_assert_str_eq(c->sources[2].url, "file:///srv/y.xml");
        ck_assert_str_eq(c->sources[3].url, "file:///etc/fairdex/c.ttl");
        ck_assert_str_eq(c->sources[4].url, "https://x.org/c.ttl");
        fd_config_free(c);

        /* Absolute paths are left alone; a file in / has / as its base and
         * ".." stops there. */
        c = parse_named("/fairdex.yaml", "state_dir: /a/../b/./\nsocket: ../../s\nsources:\n"
                                         "- {name: a, type: dcat, url: 'file:./x//./y/../../..'}\n");
        ck_assert_str_eq(c->state_dir, "/a/../b/./");
        ck_assert_str_eq(c->socket, "/s");
        ck_assert_str_eq(c->sources[0].url, "file:///");
        fd_config_free(c);

        /* The base is percent-encoded in a URL, not in a path. */
        c = parse_named("/my dir/f.yaml", "state_dir: s\nsocket: /r\nsources:\n"
                                          "- {name: a, type: dcat, url: 'file:c%C3%A9.ttl'}\n");
        ck_assert_str_eq(c->state_dir, "/my dir/s");
        ck_assert_str_eq(c->sources[0].url, "file:///my%20dir/c%C3%A9.ttl");
        fd_config_free(c);

        /* A relative file name is taken from the working directory. */
        ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
        c = parse_named("sub/t.yaml", "state_dir: state\nsocket: /r\nsources: []\n");
        snprintf(want, sizeof want, "%s/sub/state", strcmp(cwd, "/") ? cwd : "");
        ck_assert_str_eq(c->state_dir, want);
        fd_config_free(c);

        /* The socket limit applies to the resolved path. */
        snprintf(name, sizeof name, "/%0100d/f.yaml", 0);
        c = NULL;
        ck_assert_int_eq(fd_config_parse(name, "state_dir: /s\nsocket: f.sock\nsources: []\n", 41, &c, &err),
                         FD_E_INVALID);
        ck_assert_ptr_null(c);
        ck_assert_ptr_nonnull(strstr(err.msg, ":2:9: 'socket' is longer than 107 bytes"));
}
END_TEST

/* contexts_dir: relative to the file like the other paths, and refused at
 * load when its index is not there (named with its line and column). */
START_TEST(test_contexts_dir) {
        struct fd_config *c;
        char dir[] = "/tmp/fd_test_config_ctx_XXXXXX", index[200], text[400], name[300];
        int fd;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        c = parse_ok(HEAD "sources: []\n");
        ck_assert_ptr_null(c->contexts_dir);
        fd_config_free(c);

        expect_err_len(HEAD "contexts_dir: /nonexistent/ctx\nsources: []\n",
                       strlen(HEAD "contexts_dir: /nonexistent/ctx\nsources: []\n"), FD_E_INVALID, "3:15",
                       "'contexts_dir' has no readable index '/nonexistent/ctx/index.tsv'", NULL);

        snprintf(index, sizeof index, "%s/ctx/index.tsv", dir);
        snprintf(name, sizeof name, "%s/ctx", dir);
        ck_assert_int_eq(mkdir(name, 0755), 0);
        ck_assert_int_ge(fd = open(index, O_WRONLY | O_CREAT | O_TRUNC, 0644), 0);
        close(fd);
        snprintf(name, sizeof name, "%s/fairdex.yaml", dir);
        snprintf(text, sizeof text, HEAD "contexts_dir: ctx\nsources: []\n");
        c = parse_named(name, text);
        snprintf(name, sizeof name, "%s/ctx", dir);
        ck_assert_str_eq(c->contexts_dir, name);
        fd_config_free(c);
        unlink(index);
        rmdir(name);
        rmdir(dir);
}
END_TEST

START_TEST(test_tagged_scalars) {
        _fd_cleanup_(fd_config_freep) struct fd_config *c =
                parse_ok("state_dir: !!str /123\nsocket: ! /456\nsources:\n"
                         "- {name: '123', type: dcat, url: file:///c}\n"
                         "- {name: !!str 0x10, type: dcat, url: file:///c}\n");

        ck_assert_str_eq(c->state_dir, "/123");
        ck_assert_str_eq(c->socket, "/456");
        ck_assert_str_eq(c->sources[0].name, "123");
        ck_assert_str_eq(c->sources[1].name, "0x10");

        expect_err(HEAD "sources:\n- {name: 123, type: dcat, url: file:///c}\n", FD_E_INVALID, "4:10",
                   "'name' in source 1 must be a string, not an integer", "quote it");
        expect_err(HEAD "sources:\n- {name: 1.5e3, type: dcat, url: file:///c}\n", FD_E_INVALID, "4:10", "'name'",
                   "not a number");
        expect_err(HEAD "sources:\n- {name: true, type: dcat, url: file:///c}\n", FD_E_INVALID, "4:10", "'name'",
                   "not a boolean");
        expect_err(HEAD "log_level: 5\nsources: []\n", FD_E_INVALID, "3:12",
                   "'log_level' must be one of err, warning, notice, info, debug", "not an integer");
        expect_err(HEAD "log_level: !!int debug\nsources: []\n", FD_E_INVALID, "3:12", "'debug'", "!!int");
        expect_err(HEAD "log_level: !custom debug\nsources: []\n", FD_E_INVALID, "3:12", "unsupported tag",
                   "!custom");
        expect_err(HEAD "sources: !!set []\n", FD_E_INVALID, "3:10", "unsupported tag", "set");
}
END_TEST

/* ---- errors ------------------------------------------------------------ */

START_TEST(test_unknown_key) {
        char path[4096], prefix[4200];
        struct fd_config *c = NULL;
        struct fd_error err = {0};

        expect_err(HEAD "sources:\n- name: zenodo\n  type: oai-pmh\n  url: file:///x\n"
                        "- nmae: dans\n  type: oai-pmh\n  url: file:///y\n",
                   FD_E_INVALID, "7:3", "unknown key 'nmae' in source 2", "expected name, type, url");
        expect_err(HEAD "sources:\n- name: zenodo\n  type: oai-pmh\n  url: file:///x\n  intervall: 6h\n",
                   FD_E_INVALID, "7:3", "unknown key 'intervall' in source 'zenodo'", NULL);
        expect_err(HEAD "sourcse: []\n", FD_E_INVALID, "3:1", "unknown key 'sourcse' at the top level", NULL);
        expect_err(HEAD "[a]: 1\nsources: []\n", FD_E_INVALID, "3:1", "a sequence as a key at the top level", NULL);

        /* The same through fd_config_load, which names the real file. */
        fixture("unknown-key.yaml", path, sizeof path);
        ck_assert_int_eq(fd_config_load(path, &c, &err), FD_E_INVALID);
        ck_assert_ptr_null(c);
        snprintf(prefix, sizeof prefix, "%s:7:5: unknown key 'nmae' in source 2", path);
        ck_assert_msg(strncmp(err.msg, prefix, strlen(prefix)) == 0, "'%s' vs '%s'", err.msg, prefix);
}
END_TEST

START_TEST(test_wrong_type) {
        expect_err(HEAD "sources:\n- name: a\n  type: dcat\n  url: file:///c\n  interval: [1, 2]\n", FD_E_INVALID,
                   "7:13", "'interval' in source 'a' must be", "not a sequence");
        expect_err("state_dir: {a: b}\nsocket: /r\nsources: []\n", FD_E_INVALID, "1:12",
                   "'state_dir' must be a string, not a mapping", NULL);
        expect_err("state_dir:\nsocket: /r\nsources: []\n", FD_E_INVALID, NULL, "'state_dir' must be a string",
                   "not empty");
        expect_err(HEAD "contact: 42\nsources: []\n", FD_E_INVALID, "3:10", "'contact' must be a string", NULL);
        expect_err(HEAD "sources: {name: a}\n", FD_E_INVALID, "3:10", "'sources' must be a sequence",
                   "not a mapping");
        expect_err(HEAD "sources:\n", FD_E_INVALID, NULL, "'sources' must be a sequence", "[]");
        expect_err(HEAD "sources:\n- zenodo\n", FD_E_INVALID, "4:3", "source 1 must be a mapping", "not a string");
        expect_err(HEAD "sources:\n- {name: a, type: dcat, url: [x]}\n", FD_E_INVALID, "4:30",
                   "'url' in source 'a' must be a string", "not a sequence");
}
END_TEST

START_TEST(test_missing_key) {
        expect_err(HEAD "sources:\n  - name: zenodo\n    type: oai-pmh\n", FD_E_INVALID, "4:5",
                   "source 'zenodo' has no 'url'", NULL);
        expect_err(HEAD "sources:\n- type: oai-pmh\n  url: file:///x\n", FD_E_INVALID, "4:3",
                   "source 1 has no 'name'", NULL);
        expect_err(HEAD "sources:\n- {name: z, url: file:///x}\n", FD_E_INVALID, "4:3", "source 'z' has no 'type'",
                   NULL);
        expect_err("state_dir: /s\nsources: []\n", FD_E_INVALID, "1:1", "the configuration has no 'socket'", NULL);
        expect_err("socket: /s\nsources: []\n", FD_E_INVALID, "1:1", "has no 'state_dir'", NULL);
        expect_err(HEAD, FD_E_INVALID, "1:1", "has no 'sources'", NULL);
}
END_TEST

START_TEST(test_duplicate_source) {
        /* Earlier sources were fully copied: the error path frees them. */
        expect_err(HEAD "sources:\n"
                        "- name: zenodo\n  type: oai-pmh\n  url: file:///x\n  sets: [a, b]\n"
                        "- name: dans\n  type: oai-pmh\n  url: file:///y\n"
                        "- type: dcat\n  name: zenodo\n  url: file:///z\n",
                   FD_E_INVALID, "12:9", "duplicate source name 'zenodo'", "first at line 4");
}
END_TEST

START_TEST(test_duplicate_key) {
        expect_err(HEAD "sources:\n- name: a\n  type: dcat\n  url: file:///x\n  url: file:///y\n", FD_E_INVALID,
                   "7:3", "duplicate key 'url' in source 'a'", "first at line 6");
        expect_err(HEAD "socket: /again\nsources: []\n", FD_E_INVALID, "3:1",
                   "duplicate key 'socket' at the top level", "first at line 2");
}
END_TEST

START_TEST(test_bad_values) {
        char name[80], text[256];

        expect_err(HEAD "sources:\n- name: z\n  type: oai\n  url: file:///x\n", FD_E_INVALID, "5:9",
                   "'type' in source 'z' must be oai-pmh, dcat, ckan or csw", "not 'oai'");
        expect_err(HEAD "log_level: verbose\nsources: []\n", FD_E_INVALID, "3:12",
                   "'log_level' must be one of err, warning, notice, info, debug", "not 'verbose'");
        expect_err(HEAD "sources:\n- {name: z, type: dcat, url: 'ftp://x.org/'}\n", FD_E_INVALID, "4:30",
                   "'url' in source 'z' must start with http://, https://, file:// or file:",
                   "not 'ftp://x.org/'");
        expect_err(HEAD "sources:\n- {name: z, type: dcat, url: 'zenodo.org'}\n", FD_E_INVALID, "4:30", "'url'",
                   "must start with");
        expect_err(HEAD "sources:\n- {name: z, type: dcat, url: 'file://'}\n", FD_E_INVALID, "4:30", "'url'",
                   "nothing after");
        expect_err(HEAD "sources:\n- {name: z, type: dcat, url: 'http://a b'}\n", FD_E_INVALID, "4:30", "'url'",
                   "spaces");
        expect_err(HEAD "sources:\n- {name: 'zen odo', type: dcat, url: 'file:///x'}\n", FD_E_INVALID, "4:10",
                   "'name' in source 1", "not 'zen odo'");
        expect_err(HEAD "sources:\n- {name: '', type: dcat, url: 'file:///x'}\n", FD_E_INVALID, "4:10",
                   "'name' in source 1", "must not be empty");
        expect_err(HEAD "contact: \"ops\\r\\nX-Evil: 1\"\nsources: []\n", FD_E_INVALID, "3:10", "'contact'",
                   "control characters");
        expect_err(HEAD "contact: \"a\\0b\"\nsources: []\n", FD_E_INVALID, "3:10", "'contact'",
                   "control characters");
        expect_err("state_dir: /s\nsocket: /run/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.sock\nsources: []\n",
                   FD_E_INVALID, "2:9", "'socket' is longer than 107 bytes", NULL);

        /* 64 characters is the longest name, 65 is one too many. */
        memset(name, 'n', 64);
        name[64] = '\0';
        snprintf(text, sizeof text, HEAD "sources:\n- {name: %s, type: dcat, url: 'file:///x'}\n", name);
        fd_config_free(parse_ok(text));
        memset(name, 'n', 65);
        name[65] = '\0';
        snprintf(text, sizeof text, HEAD "sources:\n- {name: %s, type: dcat, url: 'file:///x'}\n", name);
        expect_err(text, FD_E_INVALID, "4:10", "'name' in source 1 must be 1 to 64 characters", NULL);
}
END_TEST

START_TEST(test_empty_and_top_level) {
        expect_err("", FD_E_INVALID, "1:1", "empty configuration", NULL);
        expect_err("# only a comment\n\n", FD_E_INVALID, "1:1", "empty configuration", NULL);
        expect_err("---\n", FD_E_INVALID, NULL, "empty configuration", NULL);
        expect_err("- state_dir: /s\n", FD_E_INVALID, "1:1", "the top level must be a mapping", "not a sequence");
        expect_err("\n\nhello\n", FD_E_INVALID, "3:1", "the top level must be a mapping", "not a string");
        expect_err(HEAD "sources: []\n---\n" HEAD "sources: []\n", FD_E_INVALID, "4:1", "more than one YAML document",
                   NULL);
        ck_assert_int_eq(fd_config_parse("t.yaml", NULL, 0, &(struct fd_config *){NULL}, NULL), FD_E_INVALID);
}
END_TEST

START_TEST(test_aliases) {
        expect_err(HEAD "sources:\n- name: a\n  type: dcat\n  url: &u file:///x\n"
                        "- name: b\n  type: dcat\n  url: *u\n",
                   FD_E_INVALID, "9:8", "alias '*u' not allowed", NULL);
        /* Billion laughs stops at the first alias. */
        expect_err("a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", FD_E_INVALID, "2:8", "alias '*a'", NULL);
        /* An anchor alone is harmless. */
        fd_config_free(parse_ok(HEAD "sources: &s []\n"));
}
END_TEST

START_TEST(test_syntax_errors) {
        char deep[256];
        size_t off;

        expect_err(HEAD "sources: [a\n", FD_E_PARSE, "4:1", "did not find expected", NULL);
        expect_err("state_dir: /s\n  socket: x: y\n", FD_E_PARSE, "2:9", "mapping values are not allowed", NULL);
        expect_err("state_dir: \"/s\nsocket: /x\n", FD_E_PARSE, "3:1", "unexpected end of stream", NULL);
        expect_err(HEAD "sources:\n\t- a\n", FD_E_PARSE, "4:1", "a tab", "spaces");
        /* Reader errors carry a byte offset, turned into a position too. */
        expect_err("state_dir: /s\nsocket: a\x01z\n", FD_E_PARSE, "2:10", "control characters", "#x01");
        expect_err_len("state_dir: /s\nsocket: a\0b\n", 26, FD_E_PARSE, "2:10", "control characters", "#x00");
        expect_err("state_dir: /s\nsocket: a\xff\n", FD_E_PARSE, "2:10", "invalid", NULL);
        /* Past 32 levels: the root mapping is level 1, so the 32nd '['
         * (column 10 + 31) opens level 33. */
        memcpy(deep, HEAD "sources: ", strlen(HEAD "sources: "));
        off = strlen(HEAD "sources: ");
        memset(deep + off, '[', 40);
        memset(deep + off + 40, ']', 40);
        memcpy(deep + off + 80, "\n", 2);
        expect_err(deep, FD_E_LIMIT, "3:41", "nested deeper than 32 levels", NULL);
}
END_TEST

START_TEST(test_size_limit) {
        size_t n = 1024 * 1024 + 1;
        _fd_free_ char *big = malloc(n);
        char path[] = "/tmp/fd_test_config_XXXXXX";
        struct fd_config *c = NULL;
        struct fd_error err = {0};
        int fd;

        ck_assert_ptr_nonnull(big);
        memset(big, '#', n);
        memcpy(big, HEAD "sources: []\n", strlen(HEAD "sources: []\n"));
        big[strlen(HEAD "sources: []\n")] = '\n';
        ck_assert_int_eq(fd_config_parse("t.yaml", big, n, &c, &err), FD_E_LIMIT);
        ck_assert_ptr_null(c);
        ck_assert_ptr_nonnull(strstr(err.msg, "t.yaml"));
        ck_assert_int_eq(fd_config_parse("t.yaml", big, n - 1, &c, &err), FD_OK);
        fd_config_free(FD_TAKE_PTR(c));

        fd = mkstemp(path);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(write(fd, big, n), (ssize_t)n);
        close(fd);
        ck_assert_int_eq(fd_config_load(path, &c, &err), FD_E_LIMIT);
        ck_assert_ptr_null(c);
        ck_assert_ptr_nonnull(strstr(err.msg, path));
        unlink(path);
}
END_TEST

START_TEST(test_node_limit) {
        /* 140000 one-letter items fit in 1 MiB but exceed the node cap. */
        size_t items = 140000, off = strlen(HEAD "sources: [");
        _fd_free_ char *text = malloc(off + items * 2 + 2);
        char prefix[32];
        struct fd_config *c = NULL;
        struct fd_error err = {0};

        ck_assert_ptr_nonnull(text);
        memcpy(text, HEAD "sources: [", off);
        for (size_t i = 0; i < items; i++) {
                text[off++] = 'a';
                text[off++] = i + 1 < items ? ',' : ']';
        }
        text[off++] = '\n';
        text[off] = '\0';
        ck_assert_int_eq(fd_config_parse("t.yaml", text, off, &c, &err), FD_E_LIMIT);
        ck_assert_ptr_null(c);
        snprintf(prefix, sizeof prefix, "t.yaml:3:");
        ck_assert_msg(strncmp(err.msg, prefix, strlen(prefix)) == 0, "%s", err.msg);
        ck_assert_ptr_nonnull(strstr(err.msg, "more than 131072 YAML nodes"));
}
END_TEST

START_TEST(test_unreadable) {
        struct fd_config *c = NULL;
        struct fd_error err = {0};
        char dir[] = "/tmp/fd_test_config_dir_XXXXXX";

        ck_assert_int_eq(fd_config_load("/nonexistent/fairdex.yaml", &c, &err), FD_E_IO);
        ck_assert_ptr_null(c);
        ck_assert_int_eq(err.status, FD_E_IO);
        ck_assert_ptr_nonnull(strstr(err.msg, "'/nonexistent/fairdex.yaml'"));
        ck_assert_ptr_nonnull(strstr(err.msg, strerror(ENOENT)));

        ck_assert_ptr_nonnull(mkdtemp(dir));
        ck_assert_int_eq(fd_config_load(dir, &c, &err), FD_E_IO);
        ck_assert_ptr_null(c);
        ck_assert_ptr_nonnull(strstr(err.msg, dir));
        ck_assert_ptr_nonnull(strstr(err.msg, strerror(EISDIR)));
        rmdir(dir);

        /* A NULL err is allowed. */
        ck_assert_int_eq(fd_config_load("/nonexistent/fairdex.yaml", &c, NULL), FD_E_IO);
}
END_TEST

START_TEST(test_free_null) {
        fd_config_free(NULL);
        ck_assert_str_eq(fd_source_type_name(FD_SOURCE_OAI_PMH), "oai-pmh");
        ck_assert_str_eq(fd_source_type_name(FD_SOURCE_DCAT), "dcat");
}
END_TEST

START_TEST(test_bundled_default) {
        _fd_cleanup_(fd_config_freep) struct fd_config *c = NULL;
        struct fd_error err = {0};
        char path[4096];

        ck_assert_msg(source_root() != NULL, "FD_SOURCE_ROOT is not set");
        snprintf(path, sizeof path, "%s/etc/fairdex.yaml", source_root());
        ck_assert_msg(fd_config_load(path, &c, &err) == FD_OK, "%s", err.msg);
        ck_assert_ptr_nonnull(c->state_dir);
        ck_assert_ptr_nonnull(c->socket);
        ck_assert_uint_eq(c->n_sources, 1);
        ck_assert_str_eq(c->sources[0].name, "sample");
        ck_assert_msg(strncmp(c->sources[0].url, "file:///", 8) == 0 &&
                              strstr(c->sources[0].url, "/data/sample/repository.xml"),
                      "%s", c->sources[0].url);
}
END_TEST

/* The example for real endpoints that operators copy must stay valid. */
START_TEST(test_bundled_examples) {
        _fd_cleanup_(fd_config_freep) struct fd_config *c = NULL;
        struct fd_error err = {0};
        char path[4096];

        ck_assert_msg(source_root() != NULL, "FD_SOURCE_ROOT is not set");
        snprintf(path, sizeof path, "%s/etc/examples/european-endpoints.yaml", source_root());
        ck_assert_msg(fd_config_load(path, &c, &err) == FD_OK, "%s", err.msg);
        ck_assert_uint_eq(c->n_sources, 4);
        ck_assert_ptr_nonnull(fd_config_source(c, "zenodo"));
        ck_assert_int_eq(fd_config_source(c, "data-europa-eu")->type, FD_SOURCE_DCAT);
        ck_assert_uint_eq(fd_config_source(c, "hu-edoc")->window.start, 23 * 60);
        ck_assert_uint_eq(fd_config_source(c, "hu-edoc")->window.end, 5 * 60);
        ck_assert(!fd_window_set(&fd_config_source(c, "zenodo")->window));
}
END_TEST

static Suite *config_suite(void) {
        Suite *s = suite_create("config");
        TCase *valid = tcase_create("valid");
        TCase *errors = tcase_create("errors");
        TCase *files = tcase_create("files");

        tcase_add_test(valid, test_minimal);
        tcase_add_test(valid, test_source_type_ckan);
        tcase_add_test(valid, test_source_type_csw);
        tcase_add_test(valid, test_full);
        tcase_add_test(valid, test_source_defaults);
        tcase_add_test(valid, test_log_levels);
        tcase_add_test(valid, test_interval_forms);
        tcase_add_test(valid, test_sets_forms);
        tcase_add_test(valid, test_politeness_forms);
        tcase_add_test(valid, test_window_forms);
        tcase_add_test(valid, test_window_parse);
        tcase_add_test(valid, test_window_arithmetic);
        tcase_add_test(valid, test_window_properties);
        tcase_add_test(valid, test_tagged_scalars);
        tcase_add_test(valid, test_relative_paths);
        tcase_add_test(valid, test_contexts_dir);
        tcase_add_test(valid, test_free_null);
        suite_add_tcase(s, valid);

        tcase_add_test(errors, test_interval_errors);
        tcase_add_test(errors, test_operations_keys);
        tcase_add_test(errors, test_socket_mode);
        tcase_add_test(errors, test_http);
        tcase_add_test(valid, test_index);
        tcase_add_test(valid, test_index_route);
        tcase_add_test(errors, test_index_errors);
        tcase_add_test(errors, test_sets_errors);
        tcase_add_test(errors, test_politeness_errors);
        tcase_add_test(errors, test_window_errors);
        tcase_add_test(errors, test_unknown_key);
        tcase_add_test(errors, test_wrong_type);
        tcase_add_test(errors, test_missing_key);
        tcase_add_test(errors, test_duplicate_source);
        tcase_add_test(errors, test_duplicate_key);
        tcase_add_test(errors, test_bad_values);
        tcase_add_test(errors, test_empty_and_top_level);
        tcase_add_test(errors, test_aliases);
        tcase_add_test(errors, test_syntax_errors);
        suite_add_tcase(s, errors);

        tcase_add_test(files, test_size_limit);
        tcase_add_test(files, test_node_limit);
        tcase_add_test(files, test_unreadable);
        tcase_add_test(files, test_bundled_default);
        tcase_add_test(files, test_bundled_examples);
        suite_add_tcase(s, files);
        return s;
}

FD_TEST_MAIN(config_suite)
