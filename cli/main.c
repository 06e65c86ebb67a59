/* main.c: the fairdex client.
 *
 *   fairdex [-s SOCKET] [--json] search [--offset N] [--limit N] QUERY...
 *   fairdex [-s SOCKET] [--json] get ID
 *   fairdex [-s SOCKET] [--json] status
 *
 * Readable text by default, the daemon's JSON response with --json.
 * Exit status: 0 success, 1 the daemon answered with an error (e.g. no such
 * record), 2 usage error, 3 the daemon could not be reached.
 */
#include <getopt.h>

#include "fd_cli.h"

#define DEFAULT_SOCKET "/run/fairdex/fairdex.sock"
#define MAX_RESPONSE (64 * 1024 * 1024)

static void usage(FILE *f) {
        fprintf(f, "usage: fairdex [-s SOCKET] [--json] COMMAND [ARGS]\n"
                   "commands:\n"
                   "  search [--offset N] [--limit N] QUERY...  full-text search\n"
                   "  get ID                                    one record, with its FAIR assessment\n"
                   "  status                                    records and sources\n"
                   "options:\n"
                   "  -s, --socket PATH  the daemon's socket (default $FAIRDEX_SOCKET or " DEFAULT_SOCKET ")\n"
                   "  -j, --json         print the daemon's JSON response\n");
}

static const char *str(json_t *o, const char *key) {
        const char *s = json_string_value(json_object_get(o, key));
        return s ? s : "";
}

static void print_search(json_t *resp, const char *q) {
        json_t *hits = json_object_get(resp, "hits"), *h;
        json_int_t total = json_integer_value(json_object_get(resp, "total"));
        size_t i;

        printf("%lld record%s match '%s'\n", (long long)total, total == 1 ? "" : "s", q);
        json_array_foreach(hits, i, h) {
                printf("%3zu. %s\n     %s", i + 1, str(h, "title"), str(h, "id"));
                if (*str(h, "doi"))
                        printf("  doi:%s", str(h, "doi"));
                if (json_integer_value(json_object_get(h, "year")))
                        printf("  %lld", (long long)json_integer_value(json_object_get(h, "year")));
                printf("\n");
        }
}

static void print_values(const char *label, json_t *arr, const char *key) {
        json_t *v;
        size_t i;
        json_array_foreach(arr, i, v) {
                const char *s = key ? str(v, key) : json_string_value(v);
                if (s && *s)
                        printf("%-14s %s\n", i == 0 ? label : "", s);
        }
}

static void print_record(json_t *resp) {
        json_t *r = json_object_get(resp, "record"), *fair = json_object_get(r, "fair"), *ind;
        size_t i;

        printf("%-14s %s\n", "id", str(r, "id"));
        printf("%-14s %s\n", "source", str(r, "source"));
        print_values("title", json_object_get(r, "titles"), "value");
        print_values("creator", json_object_get(r, "creators"), "name");
        if (*str(r, "doi"))
                printf("%-14s %s\n", "doi", str(r, "doi"));
        if (*str(r, "resource_type"))
                printf("%-14s %s\n", "type", str(r, "resource_type"));
        print_values("license", json_object_get(r, "licenses"), "spdx");
        if (*str(r, "access"))
                printf("%-14s %s\n", "access", str(r, "access"));
        print_values("language", json_object_get(r, "languages"), NULL);
        print_values("url", json_object_get(r, "urls"), NULL);
        if (fair) {
                printf("%-14s %lld/100 (F %lld, A %lld, I %lld, R %lld)\n", "fair",
                       (long long)json_integer_value(json_object_get(fair, "overall")),
                       (long long)json_integer_value(json_object_get(fair, "F")),
                       (long long)json_integer_value(json_object_get(fair, "A")),
                       (long long)json_integer_value(json_object_get(fair, "I")),
                       (long long)json_integer_value(json_object_get(fair, "R")));
                json_array_foreach(json_object_get(fair, "indicators"), i, ind) {
                        if (strcmp(str(ind, "outcome"), "pass") != 0 && *str(ind, "hint"))
                                printf("%-14s %s: %s\n", "  to improve", str(ind, "id"), str(ind, "hint"));
                }
        }
}

static void print_status(json_t *resp) {
        json_t *s;
        size_t i;

        printf("fairdexd %s: %lld records\n\n", str(resp, "version"),
               (long long)json_integer_value(json_object_get(resp, "records")));
        printf("%-20s %-8s %-8s %9s  %-20s %s\n", "SOURCE", "TYPE", "STATE", "RECORDS", "LAST END", "LAST ERROR");
        json_array_foreach(json_object_get(resp, "sources"), i, s) {
                printf("%-20s %-8s %-8s %9lld  %-20s %s\n", str(s, "name"), str(s, "type"), str(s, "state"),
                       (long long)json_integer_value(json_object_get(s, "records")),
                       *str(s, "last_end") ? str(s, "last_end") : "-", str(s, "last_error"));
        }
}

int main(int argc, char **argv) {
        static const struct option longopts[] = {
                {"socket", required_argument, NULL, 's'}, {"json", no_argument, NULL, 'j'},
                {"offset", required_argument, NULL, 'o'}, {"limit", required_argument, NULL, 'l'},
                {"help", no_argument, NULL, 'h'},         {0},
        };
        const char *socket_path = getenv("FAIRDEX_SOCKET");
        bool as_json = false;
        long offset = 0, limit = 10;
        int c;

        while ((c = getopt_long(argc, argv, "+s:jh", longopts, NULL)) != -1) {
                switch (c) {
                case 's': socket_path = optarg; break;
                case 'j': as_json = true; break;
                case 'h': usage(stdout); return 0;
                default: usage(stderr); return 2;
                }
        }
        if (optind >= argc) {
                usage(stderr);
                return 2;
        }
        const char *cmd = argv[optind];
        optind++;
        /* command options after the command name */
        while ((c = getopt_long(argc, argv, "+jl:o:", longopts, NULL)) != -1) {
                char *end;
                switch (c) {
                case 'j': as_json = true; break;
                case 'o':
                case 'l': {
                        long v = strtol(optarg, &end, 10);
                        if (*end || v < 0) {
                                fprintf(stderr, "fairdex: '%s' is not a number\n", optarg);
                                return 2;
                        }
                        *(c == 'o' ? &offset : &limit) = v;
                        break;
                }
                default: usage(stderr); return 2;
                }
        }

        json_t *req = NULL;
        struct fd_buf q;
        fd_buf_init(&q, 60 * 1024);
        if (strcmp(cmd, "search") == 0) {
                for (int i = optind; i < argc; i++)
                        if (fd_buf_printf(&q, "%s%s", i > optind ? " " : "", argv[i]) != FD_OK) {
                                fprintf(stderr, "fairdex: query too long\n");
                                return 2;
                        }
                req = json_pack("{s:s,s:s,s:I,s:I}", "op", "search", "q", q.data ? q.data : "", "offset",
                                (json_int_t)offset, "limit", (json_int_t)limit);
        } else if (strcmp(cmd, "get") == 0 && optind + 1 == argc) {
                req = json_pack("{s:s,s:s}", "op", "get", "id", argv[optind]);
        } else if (strcmp(cmd, "status") == 0 && optind == argc) {
                req = json_pack("{s:s}", "op", "status");
        } else {
                usage(stderr);
                return 2;
        }

        struct fd_error err = {0};
        _fd_cleanup_(fd_client_freep) struct fd_client *client = NULL;
        json_t *resp = NULL;
        if (fd_client_connect(socket_path ? socket_path : DEFAULT_SOCKET, &client, &err) != FD_OK ||
            fd_client_call(client, req, MAX_RESPONSE, &resp, &err) != FD_OK) {
                fprintf(stderr, "fairdex: %s\n", err.msg);
                json_decref(req);
                fd_buf_release(&q);
                return 3;
        }
        json_decref(req);

        int rc = 0;
        if (as_json) {
                char *text = json_dumps(resp, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
                if (text)
                        puts(text);
                free(text);
                rc = json_is_true(json_object_get(resp, "ok")) ? 0 : 1;
        } else if (!json_is_true(json_object_get(resp, "ok"))) {
                json_t *e = json_object_get(resp, "error");
                fprintf(stderr, "fairdex: %s (%s)\n", str(e, "message"), str(e, "code"));
                rc = 1;
        } else if (strcmp(cmd, "search") == 0)
                print_search(resp, q.data ? q.data : "");
        else if (strcmp(cmd, "get") == 0)
                print_record(resp);
        else
                print_status(resp);
        json_decref(resp);
        fd_buf_release(&q);
        return rc;
}
