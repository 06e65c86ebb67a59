/* cmd_records.c: search, related, get and status — reading records and the
 * daemon's state.  Each command parses its own options, builds one request
 * and prints the answer readably (or as JSON with --json, in fd_cli_call).
 * search turns its options into the request's filters and asks for the
 * facets a reader wants to narrow by, printed under the hits; the cursor
 * for the next page comes last, to paste into the same command. */
#include <getopt.h>

#include "cli-private.h"

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

#define SEARCH_ARGS                                                                                  \
        "[--offset N] [--limit N] [--lang L] [--type T] [--source S] [--license L] [--access A]\n"   \
        "       [--year FROM..TO] [--fair FROM..TO] [--sort relevance|date|fair] [--asc]\n"          \
        "       [--facets LIST|none] [--snippets] [--cursor CURSOR] [--bbox W,S,E,N]\n"         \
        "       [--during FROM..TO] [--near LAT,LON] [--collapse version] QUERY..."

/* Adds value to the list filter name of filters. */
static bool add_list_filter(json_t *filters, const char *name, const char *value) {
        json_t *list = json_object_get(filters, name);
        if (!list) {
                list = json_array();
                if (!list || json_object_set_new(filters, name, list) < 0)
                        return false;
        }
        return json_array_append_new(list, json_string(value)) == 0;
}

/* One end of a range: n bytes at s, a whole number when numeric (NULL
 * when it is not one), else the text. */
static json_t *range_end(const char *s, size_t n, bool numeric) {
        char *end;
        long v;

        if (!numeric)
                return json_stringn(s, n);
        v = strtol(s, &end, 10);
        return n && end == s + n ? json_integer(v) : NULL;
}

/* "FROM..TO", "FROM..", "..TO" or one value (both ends) into the range
 * filter name: numbers for --year and --fair ("2015..2020"), dates for
 * --during ("1990..2000-06"). */
static bool add_range_filter(json_t *filters, const char *name, const char *text, bool numeric) {
        const char *dots = strstr(text, ".."), *to = dots ? dots + 2 : text;
        size_t from_n = dots ? (size_t)(dots - text) : strlen(text);
        json_t *range = json_object(), *v;

        if (!range)
                return false;
        if ((!dots || from_n) && (!(v = range_end(text, from_n, numeric)) || json_object_set_new(range, "from", v)))
                goto bad;
        if ((!dots || *to) && (!(v = range_end(to, strlen(to), numeric)) || json_object_set_new(range, "to", v)))
                goto bad;
        return json_object_set_new(filters, name, range) == 0;
bad:
        fprintf(stderr, "fairdex: --%s wants FROM..TO, FROM.., ..TO or one %s, not '%s'\n", name,
                numeric ? "number" : "date", text);
        json_decref(range);
        return false;
}

/* "W,S,E,N" (degrees) into the bbox filter, "LAT,LON" into near. */
static json_t *numbers(const char *opt, const char *text, size_t n) {
        json_t *list = json_array();
        const char *p = text;
        char *end;

        for (size_t i = 0; list && i < n; i++) {
                double v = strtod(p, &end);
                if (end == p || (i + 1 < n ? *end != ',' : *end != '\0')) {
                        fprintf(stderr, "fairdex: --%s wants %zu numbers separated by commas, not '%s'\n", opt, n,
                                text);
                        json_decref(list);
                        return NULL;
                }
                json_array_append_new(list, json_real(v));
                p = end + 1;
        }
        return list;
}

static void print_hits(json_t *resp, long offset) {
        json_t *h, *src;
        size_t i, k;

        json_array_foreach(json_object_get(resp, "hits"), i, h) {
                printf("%3zu. %s\n     %s", (size_t)offset + i + 1, fd_cli_str(h, "title"), fd_cli_str(h, "id"));
                if (*fd_cli_str(h, "doi"))
                        printf("  doi:%s", fd_cli_str(h, "doi"));
                if (json_integer_value(json_object_get(h, "year")))
                        printf("  %lld", (long long)json_integer_value(json_object_get(h, "year")));
                if (json_is_integer(json_object_get(h, "fair")))
                        printf("  FAIR %lld", (long long)json_integer_value(json_object_get(h, "fair")));
                printf("\n");
                src = json_object_get(h, "sources");
                if (json_array_size(src) > 1) {
                        printf("     in %zu sources: ", json_array_size(src));
                        for (k = 0; k < json_array_size(src); k++)
                                printf("%s%s", k ? ", " : "", json_string_value(json_array_get(src, k)));
                        printf("\n");
                }
                json_t *vers = json_object_get(h, "versions");
                if (json_array_size(vers)) {
                        printf("     %zu other version%s: ", json_array_size(vers), json_array_size(vers) == 1 ? "" : "s");
                        for (k = 0; k < json_array_size(vers); k++)
                                printf("%s%s", k ? ", " : "", json_string_value(json_array_get(vers, k)));
                        printf("\n");
                }
                json_t *sn = json_object_get(h, "snippets");
                if (*fd_cli_str(sn, "description"))
                        printf("     %s\n", fd_cli_str(sn, "description"));
        }
}

static void print_facets(json_t *facets) {
        const char *name;
        json_t *list, *v;
        size_t i;

        if (!json_object_size(facets))
                return;
        printf("\n");
        json_object_foreach(facets, name, list) {
                printf("%-8s ", name);
                json_array_foreach(list, i, v) {
                        if (i == 8) {
                                printf(", …");
                                break;
                        }
                        /* affiliation, funder: the identifier and its name */
                        printf("%s%s%s%s%s (%lld)", i ? ", " : "", fd_cli_str(v, "value"), *fd_cli_str(v, "label") ? " \"" : "",
                               fd_cli_str(v, "label"), *fd_cli_str(v, "label") ? "\"" : "",
                               (long long)json_integer_value(json_object_get(v, "count")));
                }
                printf("\n");
        }
}

int fd_cli_search(struct fd_cli *cli, int argc, char **argv) {
        static const struct option longopts[] = {
                {"offset", required_argument, NULL, 'o'}, {"limit", required_argument, NULL, 'l'},
                {"lang", required_argument, NULL, 'L'},   {"type", required_argument, NULL, 'T'},
                {"source", required_argument, NULL, 'S'}, {"license", required_argument, NULL, 'C'},
                {"access", required_argument, NULL, 'A'}, {"year", required_argument, NULL, 'Y'},
                {"fair", required_argument, NULL, 'F'},   {"sort", required_argument, NULL, 'r'},
                {"asc", no_argument, NULL, 'a'},          {"facets", required_argument, NULL, 'f'},
                {"snippets", no_argument, NULL, 'n'},     {"json", no_argument, NULL, 'j'},
                {"cursor", required_argument, NULL, 'c'}, {"help", no_argument, NULL, 'h'},
                {"bbox", required_argument, NULL, 'B'},   {"during", required_argument, NULL, 'D'},
                {"near", required_argument, NULL, 'N'},   {"collapse", required_argument, NULL, 'V'},
                {0},
        };
        long offset = 0, limit = 10;
        const char *lang = NULL, *sort = NULL, *facets = "source,type,lang,year,fair,access,affiliation,funder,discipline";
        const char *cursor = NULL, *collapse = NULL;
        _fd_cleanup_(fd_json_freep) json_t *near = NULL, *filters = json_object();
        json_t *box;
        bool asc = false, snippets = false, ok = true;
        struct fd_buf q;
        int c;

        if (!filters)
                return FD_CLI_USAGE;
        while (ok && (c = getopt_long(argc, argv, "o:l:j", longopts, NULL)) != -1) {
                switch (c) {
                case 'o': ok = parse_count(optarg, &offset); break;
                case 'l': ok = parse_count(optarg, &limit); break;
                case 'L': lang = optarg; break;
                case 'T': ok = add_list_filter(filters, "type", optarg); break;
                case 'S': ok = add_list_filter(filters, "source", optarg); break;
                case 'C': ok = add_list_filter(filters, "license", optarg); break;
                case 'A': ok = add_list_filter(filters, "access", optarg); break;
                case 'Y': ok = add_range_filter(filters, "year", optarg, true); break;
                case 'F': ok = add_range_filter(filters, "fair", optarg, true); break;
                case 'r': sort = optarg; break;
                case 'a': asc = true; break;
                case 'f': facets = optarg; break;
                case 'n': snippets = true; break;
                case 'c': cursor = optarg; break;
                case 'B':
                        ok = (box = numbers("bbox", optarg, 4)) && json_object_set_new(filters, "bbox", box) == 0;
                        break;
                case 'D': ok = add_range_filter(filters, "during", optarg, false); break;
                case 'N':
                        json_decref(near);
                        ok = (near = numbers("near", optarg, 2)) != NULL;
                        sort = "near";
                        break;
                case 'V': collapse = optarg; break;
                case 'j': cli->json = true; break;
                case 'h':
                        printf("usage: fairdex search %s\n"
                               "--type, --source, --license, --access may repeat (any of them matches);\n"
                               "--facets takes names from source,type,license,access,lang,year,fair,subject,\n"
                               "affiliation,funder,discipline;\n"
                               "--bbox keeps records whose place meets the box (west > east crosses the\n"
                               "antimeridian); --during keeps records whose temporal coverage meets the period\n"
                               "(dates as 1990, 2000-06, 2000-06-14; an end may be left out); --near sorts by\n"
                               "distance from a point; --collapse version shows one hit per work;\n"
                               "--cursor takes the cursor a page ends with and gives the next page of the\n"
                               "same search (same query, filters and sort; no --offset)\n",
                               SEARCH_ARGS);
                        return FD_CLI_OK;
                default:
                        return fd_cli_usage("search", SEARCH_ARGS);
                }
        }
        if (!ok)
                return FD_CLI_USAGE;
        fd_buf_init(&q, 60 * 1024);
        for (int i = optind; i < argc; i++)
                if (fd_buf_printf(&q, "%s%s", i > optind ? " " : "", argv[i]) != FD_OK) {
                        fd_buf_release(&q);
                        fprintf(stderr, "fairdex: query too long\n");
                        return FD_CLI_USAGE;
                }
        const char *query = q.data ? q.data : "";

        json_t *req = json_pack("{s:s,s:s,s:I,s:I}", "op", "search", "q", query, "offset", (json_int_t)offset,
                                "limit", (json_int_t)limit);
        if (req && json_object_size(filters))
                json_object_set(req, "filters", filters);
        if (req && lang)
                json_object_set_new(req, "lang", json_string(lang));
        if (req && sort)
                json_object_set_new(req, "sort", json_string(sort));
        if (req && asc)
                json_object_set_new(req, "order", json_string("asc"));
        if (req && snippets)
                json_object_set_new(req, "snippets", json_true());
        if (req && near)
                json_object_set(req, "near", near);
        if (req && collapse)
                json_object_set_new(req, "collapse", json_string(collapse));
        /* json_string refuses text that is not UTF-8: no cursor is. */
        if (req && cursor && json_object_set_new(req, "cursor", json_string(cursor)) < 0) {
                fprintf(stderr, "fairdex: --cursor is not UTF-8 text, so not a cursor (pass the one a page ends with)\n");
                json_decref(req);
                fd_buf_release(&q);
                return FD_CLI_USAGE;
        }
        if (req && strcmp(facets, "none") != 0) {
                json_t *list = json_array();
                char buf[256];
                snprintf(buf, sizeof buf, "%s", facets);
                for (char *save = NULL, *f = strtok_r(buf, ",", &save); f; f = strtok_r(NULL, ",", &save))
                        json_array_append_new(list, json_string(f));
                json_object_set_new(req, "facets", list);
        }

        json_t *resp;
        int rc = fd_cli_call(cli, req, &resp);
        if (resp) {
                json_int_t total = json_integer_value(json_object_get(resp, "total"));
                printf("%s%lld record%s match '%s'\n", json_is_false(json_object_get(resp, "total_exact")) ? "about " : "",
                       (long long)total, total == 1 ? "" : "s", query);
                if (*fd_cli_str(resp, "did_you_mean"))
                        printf("did you mean: %s\n", fd_cli_str(resp, "did_you_mean"));
                print_hits(resp, offset);
                print_facets(json_object_get(resp, "facets"));
                if (*fd_cli_str(resp, "next_cursor"))
                        printf("\nnext page: the same search with --cursor %s\n", fd_cli_str(resp, "next_cursor"));
                json_decref(resp);
        }
        fd_buf_release(&q);
        return rc;
}

int fd_cli_related(struct fd_cli *cli, int argc, char **argv) {
        json_t *resp, *l, *r;
        size_t i, k;

        if (argc != 2)
                return fd_cli_usage("related", "ID");
        int rc = fd_cli_call(cli, json_pack("{s:s,s:s}", "op", "related", "id", argv[1]), &resp);
        if (!resp)
                return rc;
        if (!json_array_size(json_object_get(resp, "links")))
                printf("no links\n");
        json_array_foreach(json_object_get(resp, "links"), i, l) {
                /* "out" reads "this IsSupplementTo X", "in" "this IsSupplementedBy X (stated by X)" */
                printf("%s %s %s%s\n", strcmp(fd_cli_str(l, "direction"), "in") == 0 ? "<-" : "->",
                       *fd_cli_str(l, "relation") ? fd_cli_str(l, "relation") : "(no relation type)",
                       fd_cli_str(l, "identifier"),
                       json_array_size(json_object_get(l, "records")) ? "" : "  (not in the index)");
                json_array_foreach(json_object_get(l, "records"), k, r)
                        printf("     %s  %s\n", fd_cli_str(r, "id"), fd_cli_str(r, "title"));
        }
        json_decref(resp);
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
                return fd_cli_usage("get", "ID");

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
                return fd_cli_usage("status", "");

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
