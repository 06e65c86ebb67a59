/* cmd_fair.c: `fairdex fair [SOURCE] [--worst N] [--html FILE]`, the FAIR
 * report of one source or of all of them.
 *
 * The daemon computes the report (the `fair` op); this prints it as
 * tables, or writes it as a self-contained HTML page (report_html.c) a
 * steward can open or mail.  --html asks the daemon for JSON whatever
 * --json says, since the page is drawn from it.
 */
#include <getopt.h>

#include "cli-private.h"

#define FAIR_ARGS "[SOURCE] [--worst N] [--html FILE]"

static const char *const scores[] = { "overall", "F", "A", "I", "R" };

static double num(json_t *o, const char *key) {
        return json_number_value(json_object_get(o, key));
}

static long long count(json_t *o, const char *key) {
        return (long long)json_integer_value(json_object_get(o, key));
}

static void print_scores(json_t *rep) {
        json_t *s = json_object_get(rep, "scores");

        printf("\n%-8s %6s %7s %7s %7s %7s\n", "score", "mean", "0-25", "25-50", "50-75", "75-100");
        for (size_t i = 0; i < FD_ELEMENTSOF(scores); i++) {
                json_t *sc = json_object_get(s, scores[i]);
                json_t *bands = json_object_get(sc, "bands");
                printf("%-8s %6.1f", scores[i], num(sc, "mean"));
                for (size_t b = 0; b < 4; b++)
                        printf(" %7lld", (long long)json_integer_value(json_array_get(bands, b)));
                printf("\n");
        }
}

static void print_indicators(json_t *rep) {
        json_t *ind;
        size_t i;

        printf("\nindicators, by the mean score fixing them would add:\n");
        printf("%-18s %-3s %7s %8s %6s  %s\n", "id", "", "fail", "partial", "lift", "what it tests");
        json_array_foreach(json_object_get(rep, "indicators"), i, ind) {
                printf("%-18s %-3s %6.1f%% %7.1f%% %6.1f  %s\n", fd_cli_str(ind, "id"), fd_cli_str(ind, "principle"),
                       100.0 * num(ind, "fail_share"), 100.0 * num(ind, "partial_share"), num(ind, "lift"),
                       fd_cli_str(ind, "title"));
        }
}

static void print_rest(json_t *rep) {
        json_t *e, *v;
        size_t i;
        const char *key;

        if (json_array_size(json_object_get(rep, "worst")) > 0) {
                printf("\nlowest scores:\n");
                json_array_foreach(json_object_get(rep, "worst"), i, e) {
                        json_t *fix = json_object_get(e, "fix");
                        printf("%4lld  %s  %s\n", count(e, "overall"), fd_cli_str(e, "id"), fd_cli_str(e, "title"));
                        if (json_is_object(fix))
                                printf("      fix first: %s: %s\n", fd_cli_str(fix, "id"), fd_cli_str(fix, "hint"));
                }
        }
        if (json_array_size(json_object_get(rep, "unrecognised_licenses")) > 0) {
                printf("\nlicences that do not resolve to an SPDX id:\n");
                json_array_foreach(json_object_get(rep, "unrecognised_licenses"), i, e)
                        printf("%7lld  %s\n", count(e, "count"), fd_cli_str(e, "value"));
        }
        if (json_object_size(json_object_get(rep, "rubrics")) > 1) {
                printf("\nrecords per rubric version (older ones await `fairdex rescore`):\n");
                json_object_foreach(json_object_get(rep, "rubrics"), key, v)
                        printf("%7lld  %s\n", (long long)json_integer_value(v), key);
        }
        if (json_array_size(json_object_get(rep, "history")) > 0) {
                printf("\nhistory (one line per completed harvest):\n%-20s %8s %6s\n", "time", "records", "mean");
                json_array_foreach(json_object_get(rep, "history"), i, e)
                        printf("%-20s %8lld %6.1f\n", fd_cli_str(e, "time"), count(e, "records"), num(e, "mean"));
        }
        if (json_array_size(json_object_get(rep, "sources")) > 0) {
                printf("\n%-24s %8s %6s %6s %6s %6s %6s\n", "source", "records", "mean", "F", "A", "I", "R");
                json_array_foreach(json_object_get(rep, "sources"), i, e)
                        printf("%-24s %8lld %6.1f %6.1f %6.1f %6.1f %6.1f\n", fd_cli_str(e, "name"),
                               count(e, "records"), num(e, "mean"), num(e, "F"), num(e, "A"), num(e, "I"),
                               num(e, "R"));
        }
}

int fd_cli_fair(struct fd_cli *cli, int argc, char **argv) {
        static const struct option longopts[] = {
                {"html", required_argument, NULL, 'H'},
                {"worst", required_argument, NULL, 'w'},
                {"json", no_argument, NULL, 'j'},
                {0},
        };
        const char *html = NULL, *source = NULL;
        long worst = 10;
        json_t *req, *resp = NULL;
        int c, rc;

        while ((c = getopt_long(argc, argv, "H:w:j", longopts, NULL)) != -1) {
                switch (c) {
                case 'H':
                        html = optarg;
                        break;
                case 'w': {
                        char *end;
                        worst = strtol(optarg, &end, 10);
                        if (!*optarg || *end || worst < 0 || worst > 100) {
                                fprintf(stderr, "fairdex: --worst takes a number from 0 to 100, not '%s'\n", optarg);
                                return FD_CLI_USAGE;
                        }
                        break;
                }
                case 'j':
                        cli->json = true;
                        break;
                default:
                        return fd_cli_usage("fair", FAIR_ARGS);
                }
        }
        if (optind < argc)
                source = argv[optind++];
        if (optind < argc)
                return fd_cli_usage("fair", FAIR_ARGS);

        req = json_pack("{s:s,s:I}", "op", "fair", "worst", (json_int_t)worst);
        if (req && source && json_object_set_new(req, "source", json_string(source)) < 0) {
                json_decref(req);
                req = NULL;
        }
        if (html) {
                struct fd_cli raw = *cli;
                struct fd_error err = {0};

                raw.json = false;
                rc = fd_cli_call(&raw, req, &resp);
                if (!resp)
                        return rc;
                if (fd_report_html_write(resp, html, &err) != FD_OK) {
                        fprintf(stderr, "fairdex: %s\n", err.msg);
                        json_decref(resp);
                        return FD_CLI_DAEMON_ERROR;
                }
                if (!cli->json)
                        printf("FAIR report of %s written to '%s'\n", source ? source : "all sources", html);
                json_decref(resp);
                return FD_CLI_OK;
        }
        rc = fd_cli_call(cli, req, &resp);
        if (!resp)
                return rc;
        if (source)
                printf("FAIR report of source '%s' (rubric %s): %lld records\n", source, fd_cli_str(resp, "rubric"),
                       count(resp, "records"));
        else
                printf("FAIR report of all sources (rubric %s): %lld records\n", fd_cli_str(resp, "rubric"),
                       count(resp, "records"));
        if (count(resp, "records") > 0) {
                print_scores(resp);
                print_indicators(resp);
        }
        print_rest(resp);
        json_decref(resp);
        return FD_CLI_OK;
}
