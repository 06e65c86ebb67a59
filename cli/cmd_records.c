/* cmd_records.c: search, get and status — reading records and the
 * daemon's state.  Each command parses its own options, builds one request
 * and prints the answer readably (or as JSON with --json, in fd_cli_call). */
#include <getopt.h>

#include "fd_cli.h"

static int usage_error(const char *cmd, const char *args) {
        fprintf(stderr, "usage: fairdex %s %s\n", cmd, args);
        return FD_CLI_USAGE;
}

static bool parse_count(const char *s, long *ret) {
        char *end;
        long v = strtol(s, &end, 10);
        if (*s == '\0' || *end || v < 0) {
                fprintf(stderr, "fairdex: '%s' is not a number\n", s);
                return false;
        }
        *ret = v;
        return true;
}

int fd_cli_search(struct fd_cli *cli, int argc, char **argv) {
        static const struct option longopts[] = {
                {"offset", required_argument, NULL, 'o'},
                {"limit", required_argument, NULL, 'l'},
                {"json", no_argument, NULL, 'j'},
                {0},
        };
        long offset = 0, limit = 10;
        struct fd_buf q;
        int c;

        while ((c = getopt_long(argc, argv, "o:l:j", longopts, NULL)) != -1) {
                switch (c) {
                case 'o': if (!parse_count(optarg, &offset)) return FD_CLI_USAGE; break;
                case 'l': if (!parse_count(optarg, &limit)) return FD_CLI_USAGE; break;
                case 'j': cli->json = true; break;
                default: return usage_error("search", "[--offset N] [--limit N] QUERY...");
                }
        }
        fd_buf_init(&q, 60 * 1024);
        for (int i = optind; i < argc; i++)
                if (fd_buf_printf(&q, "%s%s", i > optind ? " " : "", argv[i]) != FD_OK) {
                        fd_buf_release(&q);
                        fprintf(stderr, "fairdex: query too long\n");
                        return FD_CLI_USAGE;
                }
        const char *query = q.data ? q.data : "";

        json_t *resp, *h;
        int rc = fd_cli_call(cli, json_pack("{s:s,s:s,s:I,s:I}", "op", "search", "q", query, "offset",
                                            (json_int_t)offset, "limit", (json_int_t)limit),
                             &resp);
        if (resp) {
                json_int_t total = json_integer_value(json_object_get(resp, "total"));
                size_t i;
                printf("%lld record%s match '%s'\n", (long long)total, total == 1 ? "" : "s", query);
                json_array_foreach(json_object_get(resp, "hits"), i, h) {
                        printf("%3zu. %s\n     %s", (size_t)offset + i + 1, fd_cli_str(h, "title"),
                               fd_cli_str(h, "id"));
                        if (*fd_cli_str(h, "doi"))
                                printf("  doi:%s", fd_cli_str(h, "doi"));
                        if (json_integer_value(json_object_get(h, "year")))
                                printf("  %lld", (long long)json_integer_value(json_object_get(h, "year")));
                        printf("\n");
                }
                json_decref(resp);
        }
        fd_buf_release(&q);
        return rc;
}

static void print_values(const char *label, json_t *arr, const char *key) {
        json_t *v;
        size_t i;
        json_array_foreach(arr, i, v) {
                const char *s = key ? fd_cli_str(v, key) : json_string_value(v);
                if (s && *s)
                        printf("%-14s %s\n", i == 0 ? label : "", s);
        }
}

static void print_field(const char *label, json_t *r, const char *key) {
        if (*fd_cli_str(r, key))
                printf("%-14s %s\n", label, fd_cli_str(r, key));
}

int fd_cli_get(struct fd_cli *cli, int argc, char **argv) {
        if (argc != 2)
                return usage_error("get", "ID");

        json_t *resp;
        int rc = fd_cli_call(cli, json_pack("{s:s,s:s}", "op", "get", "id", argv[1]), &resp);
        if (!resp)
                return rc;

        json_t *r = json_object_get(resp, "record"), *fair = json_object_get(r, "fair"), *ind;
        size_t i;
        print_field("id", r, "id");
        print_field("source", r, "source");
        print_values("title", json_object_get(r, "titles"), "value");
        print_values("creator", json_object_get(r, "creators"), "name");
        print_field("doi", r, "doi");
        print_field("type", r, "resource_type");
        print_values("license", json_object_get(r, "licenses"), "spdx");
        print_field("access", r, "access");
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
                        if (strcmp(fd_cli_str(ind, "outcome"), "pass") != 0 && *fd_cli_str(ind, "hint"))
                                printf("%-14s %s: %s\n", "  to improve", fd_cli_str(ind, "id"),
                                       fd_cli_str(ind, "hint"));
                }
        }
        json_decref(resp);
        return rc;
}

int fd_cli_status(struct fd_cli *cli, int argc, char **argv) {
        if (argc != 1)
                return usage_error("status", "");

        json_t *resp, *s;
        size_t i;
        int rc = fd_cli_call(cli, json_pack("{s:s}", "op", "status"), &resp);
        if (!resp)
                return rc;
        printf("fairdexd %s: %lld records\n\n", fd_cli_str(resp, "version"),
               (long long)json_integer_value(json_object_get(resp, "records")));
        printf("%-20s %-8s %-8s %9s  %-20s %s\n", "SOURCE", "TYPE", "STATE", "RECORDS", "LAST END", "LAST ERROR");
        json_array_foreach(json_object_get(resp, "sources"), i, s) {
                printf("%-20s %-8s %-8s %9lld  %-20s %s\n", fd_cli_str(s, "name"), fd_cli_str(s, "type"),
                       fd_cli_str(s, "state"), (long long)json_integer_value(json_object_get(s, "records")),
                       *fd_cli_str(s, "last_end") ? fd_cli_str(s, "last_end") : "-", fd_cli_str(s, "last_error"));
        }
        json_decref(resp);
        return rc;
}
