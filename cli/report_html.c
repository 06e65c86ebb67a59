/* report_html.c: the FAIR report as one self-contained HTML page.
 *
 * Drawn from the `fair` op's JSON alone, so what the page shows is what
 * the protocol says.  Everything is inline (CSS, SVG charts, no script, no
 * font, no image, no link to fetch) so the file can be mailed and opened
 * offline.  Every string from the report is HTML-escaped: record titles
 * and licence strings come from harvested sources.  The page is written to
 * a temporary file and renamed, so a reader never sees half a report.
 */
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "cli-private.h"

#define W 640

static const char *const score_keys[] = { "overall", "F", "A", "I", "R" };
static const char *const score_titles[] = { "Overall", "Findable", "Accessible", "Interoperable", "Reusable" };

static void esc(FILE *f, const char *s) {
        for (; s && *s; s++) {
                switch (*s) {
                case '&': fputs("&amp;", f); break;
                case '<': fputs("&lt;", f); break;
                case '>': fputs("&gt;", f); break;
                case '"': fputs("&quot;", f); break;
                case '\'': fputs("&#39;", f); break;
                default: fputc(*s, f); break;
                }
        }
}

static const char *str(json_t *o, const char *key) {
        return fd_cli_str(o, key);
}

static double num(json_t *o, const char *key) {
        return json_number_value(json_object_get(o, key));
}

static long long integer(json_t *o, const char *key) {
        return (long long)json_integer_value(json_object_get(o, key));
}

/* A colour for a 0–100 score: red, amber, green. */
static const char *score_colour(double v) {
        return v < 25 ? "#c0392b" : v < 50 ? "#e67e22" : v < 75 ? "#f1c40f" : "#27ae60";
}

static void header(FILE *f, json_t *rep) {
        const char *source = json_is_string(json_object_get(rep, "source")) ? str(rep, "source") : NULL;
        char now[32];

        fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n", f);
        fputs("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>FAIR report: ", f);
        esc(f, source ? source : "all sources");
        fputs("</title>\n<style>\n"
              "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2em auto;max-width:60em;"
              "padding:0 1em;color:#222}\n"
              "h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd}\n"
              ".meta{color:#555}.cards{display:flex;gap:1em;flex-wrap:wrap;margin:1.5em 0}\n"
              ".card{border:1px solid #ddd;border-radius:6px;padding:.6em 1em;min-width:7em}\n"
              ".card .v{font-size:1.8em;font-weight:600}.card .k{color:#555;font-size:.9em}\n"
              "table{border-collapse:collapse;width:100%;font-size:.92em}th,td{text-align:left;padding:.3em .5em;"
              "border-bottom:1px solid #eee;vertical-align:top}td.n,th.n{text-align:right}\n"
              "svg text{font-family:inherit;font-size:12px;fill:#333}.note{color:#666;font-size:.9em}\n"
              "</style>\n</head>\n<body>\n", f);
        fputs("<h1 id=\"title\">FAIR report: ", f);
        esc(f, source ? source : "all sources");
        fprintf(f, "</h1>\n<p class=\"meta\"><span id=\"records\">%lld</span> records &middot; rubric ",
                integer(rep, "records"));
        esc(f, str(rep, "rubric"));
        fprintf(f, " &middot; generated %s by fairdex</p>\n", fd_time_iso(fd_time_now(), now, sizeof now));
        fputs("<p class=\"note\">Scores are 0&ndash;100 from fairdex's offline rubric (metadata only); they are "
              "not F-UJI scores.</p>\n", f);
}

static void cards(FILE *f, json_t *rep) {
        json_t *scores = json_object_get(rep, "scores");

        fputs("<div class=\"cards\">\n", f);
        for (size_t i = 0; i < FD_ELEMENTSOF(score_keys); i++) {
                double m = num(json_object_get(scores, score_keys[i]), "mean");
                fprintf(f, "<div class=\"card\" id=\"mean-%s\"><div class=\"v\" style=\"color:%s\">%.1f</div>"
                           "<div class=\"k\">%s</div></div>\n",
                        score_keys[i], score_colour(m), m, score_titles[i]);
        }
        fputs("</div>\n", f);
}

/* The 10-point histogram of the overall score. */
static void chart_distribution(FILE *f, json_t *rep) {
        json_t *overall = json_object_get(json_object_get(rep, "scores"), "overall");
        json_t *hist = json_object_get(overall, "histogram");
        json_t *bands = json_object_get(overall, "bands");
        const int h = 220, top = 20, bottom = 40, left = 50, bw = (W - left - 10) / 10;
        long long max = 1;

        for (size_t i = 0; i < 10; i++)
                if (json_integer_value(json_array_get(hist, i)) > max)
                        max = json_integer_value(json_array_get(hist, i));
        fputs("<h2>Distribution of the overall score</h2>\n", f);
        fprintf(f, "<svg id=\"chart-distribution\" role=\"img\" aria-label=\"histogram of overall scores\" "
                   "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" xmlns=\"http://www.w3.org/2000/svg\">\n",
                W, h, W, h);
        fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>\n", left, h - bottom, W - 10,
                h - bottom);
        for (int i = 0; i < 10; i++) {
                long long n = json_integer_value(json_array_get(hist, (size_t)i));
                int bh = (int)((double)n * (h - top - bottom) / (double)max);
                int x = left + i * bw;
                fprintf(f, "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\">"
                           "<title>%d&ndash;%d: %lld records</title></rect>\n",
                        x + 2, h - bottom - bh, bw - 4, bh, score_colour(i * 10 + 5), i * 10, i * 10 + 10, n);
                fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%lld</text>\n", x + bw / 2,
                        h - bottom - bh - 4, n);
                fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d&ndash;%d</text>\n", x + bw / 2,
                        h - bottom + 16, i * 10, i * 10 + 10);
        }
        fprintf(f, "<text x=\"%d\" y=\"%d\">records</text>\n", 0, top);
        fputs("</svg>\n", f);
        fputs("<table id=\"bands\"><tr><th>band</th><th class=\"n\">0&ndash;25</th><th class=\"n\">25&ndash;50</th>"
              "<th class=\"n\">50&ndash;75</th><th class=\"n\">75&ndash;100</th></tr>\n<tr><td>records</td>", f);
        for (size_t b = 0; b < 4; b++)
                fprintf(f, "<td class=\"n\">%lld</td>", (long long)json_integer_value(json_array_get(bands, b)));
        fputs("</tr></table>\n", f);
}

static void chart_principles(FILE *f, json_t *rep) {
        json_t *scores = json_object_get(rep, "scores");
        const int row = 30, left = 110, h = 4 * row + 20, bar = W - left - 60;

        fputs("<h2>Mean score per principle</h2>\n", f);
        fprintf(f, "<svg id=\"chart-principles\" role=\"img\" aria-label=\"mean score per FAIR principle\" "
                   "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" xmlns=\"http://www.w3.org/2000/svg\">\n",
                W, h, W, h);
        for (int i = 1; i <= 4; i++) {
                double m = num(json_object_get(scores, score_keys[i]), "mean");
                int y = 10 + (i - 1) * row;
                fprintf(f, "<text x=\"0\" y=\"%d\">%s</text>\n", y + 16, score_titles[i]);
                fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"20\" fill=\"#eee\"/>\n", left, y, bar);
                fprintf(f, "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"20\" fill=\"%s\"/>\n", left, y,
                        (int)(m * bar / 100.0), score_colour(m));
                fprintf(f, "<text x=\"%d\" y=\"%d\">%.1f</text>\n", left + bar + 6, y + 15, m);
        }
        fputs("</svg>\n", f);
}

static void chart_indicators(FILE *f, json_t *rep) {
        json_t *inds = json_object_get(rep, "indicators"), *ind;
        const int row = 26, left = 130, bar = 250;
        const int h = (int)json_array_size(inds) * row + 30;
        size_t i;

        fputs("<h2>What to fix first</h2>\n<p class=\"note\">Share of records failing (red) or partly passing "
              "(amber) each indicator, sorted by how much the mean overall score would rise if every record "
              "passed it (lift).</p>\n",
              f);
        fprintf(f, "<svg id=\"chart-indicators\" role=\"img\" aria-label=\"indicator failure shares\" "
                   "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" xmlns=\"http://www.w3.org/2000/svg\">\n",
                W, h, W, h);
        json_array_foreach(inds, i, ind) {
                double fail = num(ind, "fail_share"), part = num(ind, "partial_share");
                int y = 10 + (int)i * row;
                int fw = (int)(fail * bar), pw = (int)(part * bar);
                fputs("<text x=\"0\" y=\"", f);
                fprintf(f, "%d\">", y + 14);
                esc(f, str(ind, "id"));
                fputs("</text>\n", f);
                fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"18\" fill=\"#eee\"/>\n", left, y, bar);
                fprintf(f, "<rect class=\"bar fail\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"18\" fill=\"#c0392b\"/>\n",
                        left, y, fw);
                fprintf(f, "<rect class=\"bar partial\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"18\" "
                           "fill=\"#e67e22\"/>\n",
                        left + fw, y, pw);
                fprintf(f, "<text x=\"%d\" y=\"%d\">fail %.1f%% &middot; partial %.1f%% &middot; lift %.1f</text>\n",
                        left + bar + 6, y + 14, 100.0 * fail, 100.0 * part, num(ind, "lift"));
        }
        fputs("</svg>\n", f);

        fputs("<table id=\"indicators\"><tr><th>indicator</th><th>what it tests</th><th>F-UJI</th><th>RDA</th>"
              "<th class=\"n\">fail</th><th class=\"n\">partial</th><th class=\"n\">pass</th><th class=\"n\">n/a</th>"
              "<th class=\"n\">lift</th></tr>\n",
              f);
        json_array_foreach(inds, i, ind) {
                fputs("<tr><td>", f);
                esc(f, str(ind, "id"));
                fputs("</td><td>", f);
                esc(f, str(ind, "title"));
                fputs("</td><td>", f);
                esc(f, str(ind, "fuji"));
                fputs("</td><td>", f);
                esc(f, str(ind, "rda"));
                fprintf(f, "</td><td class=\"n\">%.1f%%</td><td class=\"n\">%.1f%%</td><td class=\"n\">%lld</td>"
                           "<td class=\"n\">%lld</td><td class=\"n\">%.1f</td></tr>\n",
                        100.0 * num(ind, "fail_share"), 100.0 * num(ind, "partial_share"), integer(ind, "pass"),
                        integer(ind, "na"), num(ind, "lift"));
        }
        fputs("</table>\n", f);
}

static void chart_history(FILE *f, json_t *rep) {
        json_t *hist = json_object_get(rep, "history"), *e;
        const int h = 200, left = 50, top = 15, bottom = 35, right = 20;
        size_t n = json_array_size(hist), i;

        if (!json_is_array(hist))
                return;
        fputs("<h2>History</h2>\n", f);
        if (n == 0) {
                fputs("<p class=\"note\" id=\"history-empty\">No completed harvest recorded yet.</p>\n", f);
                return;
        }
        fprintf(f, "<svg id=\"chart-history\" role=\"img\" aria-label=\"mean overall score per harvest\" "
                   "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" xmlns=\"http://www.w3.org/2000/svg\">\n",
                W, h, W, h);
        for (int g = 0; g <= 100; g += 25) {
                int y = h - bottom - g * (h - top - bottom) / 100;
                fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#eee\"/>"
                           "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d</text>\n",
                        left, y, W - right, y, left - 6, y + 4, g);
        }
        fputs("<polyline class=\"line\" fill=\"none\" stroke=\"#2c7fb8\" stroke-width=\"2\" points=\"", f);
        json_array_foreach(hist, i, e) {
                int x = left + (n > 1 ? (int)(i * (size_t)(W - left - right) / (n - 1)) : (W - left - right) / 2);
                int y = h - bottom - (int)(num(e, "mean") * (h - top - bottom) / 100.0);
                fprintf(f, "%s%d,%d", i ? " " : "", x, y);
        }
        fputs("\"/>\n", f);
        json_array_foreach(hist, i, e) {
                int x = left + (n > 1 ? (int)(i * (size_t)(W - left - right) / (n - 1)) : (W - left - right) / 2);
                int y = h - bottom - (int)(num(e, "mean") * (h - top - bottom) / 100.0);
                fprintf(f, "<circle class=\"point\" cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"#2c7fb8\"><title>", x, y);
                esc(f, str(e, "time"));
                fprintf(f, ": mean %.1f, %lld records</title></circle>\n", num(e, "mean"), integer(e, "records"));
        }
        fputs("<text x=\"", f);
        fprintf(f, "%d\" y=\"%d\">", left, h - 8);
        esc(f, str(json_array_get(hist, 0), "time"));
        fputs("</text>\n", f);
        if (n > 1) {
                fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", W - right, h - 8);
                esc(f, str(json_array_get(hist, n - 1), "time"));
                fputs("</text>\n", f);
        }
        fputs("</svg>\n<table id=\"history\"><tr><th>harvest finished</th><th class=\"n\">records</th>"
              "<th class=\"n\">mean</th><th>rubric</th></tr>\n",
              f);
        json_array_foreach(hist, i, e) {
                fputs("<tr><td>", f);
                esc(f, str(e, "time"));
                fprintf(f, "</td><td class=\"n\">%lld</td><td class=\"n\">%.1f</td><td>", integer(e, "records"),
                        num(e, "mean"));
                esc(f, str(e, "rubric"));
                fputs("</td></tr>\n", f);
        }
        fputs("</table>\n", f);
}

/* One table cell holding s, escaped. */
static void cell(FILE *f, const char *s) {
        fputs("<td>", f);
        esc(f, s);
        fputs("</td>", f);
}

/* The data.europa.eu MQA over the source's DCAT records (`fair` with a
 * source answers "mqa"; nothing when it is null or absent). */
static void mqa_section(FILE *f, json_t *rep) {
        static const char *const dims[] = {"findability", "accessibility", "interoperability", "reusability",
                                           "contextuality"};
        json_t *mqa = json_object_get(rep, "mqa"), *e, *v;
        const char *k;
        size_t i;

        if (!json_is_object(mqa))
                return;
        fputs("<h2>data.europa.eu quality (MQA)</h2>\n<p class=\"note\" id=\"mqa-summary\">", f);
        fprintf(f, "Mean over %lld DCAT records: <b>%.1f</b> of the %lld points that can be judged offline (",
                integer(mqa, "records"), num(mqa, "points"), integer(mqa, "max_points"));
        esc(f, str(mqa, "rating"));
        fputs(" on the MQA's scale). Not assessed (needs the network): ", f);
        json_array_foreach(json_object_get(mqa, "not_assessed"), i, e) {
                fputs(i ? ", " : "", f);
                esc(f, json_string_value(e));
        }
        fputs(".</p>\n<table id=\"mqa-dimensions\"><tr><th>dimension</th><th class=\"n\">mean points</th>"
              "<th class=\"n\">of</th></tr>\n",
              f);
        for (size_t d = 0; d < FD_ELEMENTSOF(dims); d++) {
                json_t *o = json_object_get(json_object_get(mqa, "dimensions"), dims[d]);
                fprintf(f, "<tr><td>%s</td><td class=\"n\">%.1f</td><td class=\"n\">%lld</td></tr>\n", dims[d],
                        num(o, "points"), integer(o, "max_points"));
        }
        fputs("</table>\n<table id=\"mqa-indicators\"><tr><th>indicator</th><th>dimension</th>"
              "<th class=\"n\">passing</th><th class=\"n\">mean points</th><th class=\"n\">of</th>"
              "<th>what to fix</th></tr>\n",
              f);
        json_array_foreach(json_object_get(mqa, "indicators"), i, e) {
                fputs("<tr>", f);
                cell(f, str(e, "id"));
                cell(f, str(e, "dimension"));
                fprintf(f, "<td class=\"n\">%.1f%%</td><td class=\"n\">%.1f</td><td class=\"n\">%lld</td>",
                        100.0 * num(e, "pass_share"), num(e, "points"), integer(e, "max_points"));
                cell(f, str(e, "hint"));
                fputs("</tr>\n", f);
        }
        fputs("</table>\n<table id=\"mqa-dcat-ap\"><tr><th>DCAT-AP 3 property</th><th>obligation</th>"
              "<th class=\"n\">records without it</th></tr>\n",
              f);
        json_t *dcat_ap = json_object_get(mqa, "dcat_ap");
        for (int rec = 0; rec < 2; rec++)
                json_object_foreach(json_object_get(dcat_ap, rec ? "recommended_missing" : "mandatory_missing"), k, v) {
                        fputs("<tr>", f);
                        cell(f, k);
                        fprintf(f, "<td>%s</td><td class=\"n\">%lld</td></tr>\n",
                                rec ? "recommended" : "mandatory", (long long)json_integer_value(v));
                }
        fputs("</table>\n", f);
}

static void tables(FILE *f, json_t *rep) {
        json_t *e;
        size_t i;

        if (json_array_size(json_object_get(rep, "worst")) > 0) {
                fputs("<h2>Lowest-scoring records</h2>\n<table id=\"worst\"><tr><th class=\"n\">overall</th>"
                      "<th class=\"n\">F</th><th class=\"n\">A</th><th class=\"n\">I</th><th class=\"n\">R</th>"
                      "<th>record</th><th>title</th><th>fix first</th></tr>\n",
                      f);
                json_array_foreach(json_object_get(rep, "worst"), i, e) {
                        fprintf(f, "<tr><td class=\"n\">%lld</td><td class=\"n\">%lld</td><td class=\"n\">%lld</td>"
                                   "<td class=\"n\">%lld</td><td class=\"n\">%lld</td><td>",
                                integer(e, "overall"), integer(e, "F"), integer(e, "A"), integer(e, "I"),
                                integer(e, "R"));
                        esc(f, str(e, "id"));
                        fputs("</td><td>", f);
                        esc(f, str(e, "title"));
                        fputs("</td><td>", f);
                        if (json_is_object(json_object_get(e, "fix"))) {
                                fputs("<b>", f);
                                esc(f, str(json_object_get(e, "fix"), "id"));
                                fputs("</b>: ", f);
                                esc(f, str(json_object_get(e, "fix"), "hint"));
                        }
                        fputs("</td></tr>\n", f);
                }
                fputs("</table>\n<p class=\"note\">`fairdex get ID` shows each indicator's hint: what to add or "
                      "change, naming the field.</p>\n",
                      f);
        }
        if (json_array_size(json_object_get(rep, "unrecognised_licenses")) > 0) {
                fputs("<h2>Licences that do not resolve to an SPDX id</h2>\n<table id=\"licenses\"><tr>"
                      "<th class=\"n\">records</th><th>licence as written</th></tr>\n",
                      f);
                json_array_foreach(json_object_get(rep, "unrecognised_licenses"), i, e) {
                        fprintf(f, "<tr><td class=\"n\">%lld</td><td>", integer(e, "count"));
                        esc(f, str(e, "value"));
                        fputs("</td></tr>\n", f);
                }
                fputs("</table>\n", f);
        }
        if (json_array_size(json_object_get(rep, "sources")) > 0) {
                fputs("<h2>Sources</h2>\n<table id=\"sources\"><tr><th>source</th><th class=\"n\">records</th>"
                      "<th class=\"n\">mean</th><th class=\"n\">F</th><th class=\"n\">A</th><th class=\"n\">I</th>"
                      "<th class=\"n\">R</th></tr>\n",
                      f);
                json_array_foreach(json_object_get(rep, "sources"), i, e) {
                        fputs("<tr><td>", f);
                        esc(f, str(e, "name"));
                        fprintf(f, "</td><td class=\"n\">%lld</td><td class=\"n\">%.1f</td><td class=\"n\">%.1f</td>"
                                   "<td class=\"n\">%.1f</td><td class=\"n\">%.1f</td><td class=\"n\">%.1f</td></tr>\n",
                                integer(e, "records"), num(e, "mean"), num(e, "F"), num(e, "A"), num(e, "I"),
                                num(e, "R"));
                }
                fputs("</table>\n", f);
        }
}

enum fd_status fd_report_html_write(json_t *report, const char *path, struct fd_error *err) {
        struct fd_replace r;
        enum fd_status st;

        if (!json_is_object(report) || !path || !*path)
                return fd_error_set(err, FD_E_INVALID, "no report or no file name");
        if ((st = fd_replace_open(&r, path, err)))
                return st;
        header(r.f, report);
        cards(r.f, report);
        if (integer(report, "records") > 0) {
                chart_distribution(r.f, report);
                chart_principles(r.f, report);
                chart_indicators(r.f, report);
        }
        chart_history(r.f, report);
        mqa_section(r.f, report);
        tables(r.f, report);
        fputs("</body>\n</html>\n", r.f);
        return fd_replace_commit(&r, err);
}
