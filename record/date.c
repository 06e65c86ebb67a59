/* date.c: dates as sources write them to ISO 8601, keeping their precision.
 *
 * A hand-written scanner (no sscanf, no strptime, no locale) over the
 * trimmed value.  The exact rules of fd_date_normalize:
 *
 * - Year first: "YYYY" (year), "YYYY-MM" (month), "YYYY-MM-DD" (day), with
 *   "-", "/" or "." as the separator (the same one twice); month and day
 *   may have one digit; "YYYYMMDD" (eight digits) is a day; a three-digit
 *   year is read in "YYY-M-D" only ("300-1-1" is 0300-01-01).
 * - Day first, as European sources write it: "DD/MM/YYYY", "DD.MM.YYYY",
 *   "DD-MM-YYYY" (one or two digits for day and month).  When the second
 *   number cannot be a month (> 12) and the first can, the value is read
 *   month first ("03/14/2019"), since that reading is then the only one.
 *   "MM/YYYY" and "MM.YYYY" are a month.
 * - A time may follow a day, after "T" or spaces: "hh:mm", "hh:mm:ss",
 *   with a fraction (".123", ",5", dropped), then optionally "Z", "UTC",
 *   "GMT" or an offset "+hh:mm", "+hhmm", "+hh" (or "-").  The result is
 *   converted to UTC and has second precision: "YYYY-MM-DDThh:mm:ssZ".
 *   A time without a zone is taken as UTC.  A leap second 60 becomes 59.
 * - Month names (English full and three-letter or "Sept" abbreviations,
 *   German and French full names; any case; dots and commas ignored):
 *   "March 2019", "Mar. 2019" (month), "14 March 2019", "14. März 2019",
 *   "March 14, 2019", "14-Mar-2019" (day).
 * - A range gives its first date: the part before the first "/" (when the
 *   whole value is not a date, so "14/03/2019" stays a day), " - ", " – ",
 *   "--" or ".."; "YYYY-YYYY" with the second year not before the first
 *   gives the first year.
 * - Validation: years 0001 to 9999 (any four digits but 0000), months 1 to
 *   12, days within their month with Gregorian leap years (no 30 February,
 *   29 February only in leap years), hours 0 to 23, minutes 0 to 59,
 *   offsets up to 18:00.  Anything else, trailing text included, is
 *   FD_DATE_NONE with out empty; so is an out smaller than the result.
 */
#include "record-private.h"

#define DATE_MAX 64

struct dt {
        int y, mo, d, h, mi, s;
        int tz_min;
        enum fd_date_precision p;
};

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int y, int m) {
        static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        return m == 2 && leap(y) ? 29 : dim[m - 1];
}

/* Reads up to max digits at s[*i]; returns how many, the value in *ret. */
static int digits(const char *s, size_t n, size_t *i, int max, int *ret) {
        int k = 0, v = 0;
        while (*i < n && k < max && fd_ascii_digit(s[*i])) {
                v = v * 10 + (s[*i] - '0');
                (*i)++;
                k++;
        }
        *ret = v;
        return k;
}

/* The optional time after a day, up to the end of the value. */
static bool parse_time(const char *s, size_t n, size_t i, struct dt *d) {
        int v;

        if (i == n)
                return true;
        if (s[i] == 'T' || s[i] == 't')
                i++;
        else if (s[i] == ' ') {
                while (i < n && s[i] == ' ')
                        i++;
        } else
                return false;
        if (digits(s, n, &i, 2, &d->h) != 2 || i >= n || s[i++] != ':' || digits(s, n, &i, 2, &d->mi) != 2)
                return false;
        if (i < n && s[i] == ':') {
                i++;
                if (digits(s, n, &i, 2, &d->s) != 2)
                        return false;
                if (i < n && (s[i] == '.' || s[i] == ',')) {
                        i++;
                        if (digits(s, n, &i, 12, &v) == 0)
                                return false;
                        while (i < n && fd_ascii_digit(s[i]))
                                i++;
                }
        }
        if (d->h > 23 || d->mi > 59 || d->s > 60)
                return false;
        if (d->s == 60)
                d->s = 59;
        while (i < n && s[i] == ' ')
                i++;
        if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
                i++;
        } else if (i + 3 <= n && (fd_prefix_ci(s + i, "utc") || fd_prefix_ci(s + i, "gmt"))) {
                i += 3;
        } else if (i < n && (s[i] == '+' || s[i] == '-')) {
                int sign = s[i++] == '-' ? -1 : 1, oh, om = 0;
                if (digits(s, n, &i, 2, &oh) != 2)
                        return false;
                if (i < n && s[i] == ':')
                        i++;
                if (i < n && digits(s, n, &i, 2, &om) != 2)
                        return false;
                if (oh > 18 || om > 59 || oh * 60 + om > 18 * 60)
                        return false;
                d->tz_min = sign * (oh * 60 + om);
        }
        if (i != n)
                return false;
        d->p = FD_DATE_SECOND;
        return true;
}

static bool parse_numeric(const char *s, size_t n, struct dt *d) {
        size_t i = 0;
        int a, b, c, la, lb;
        char sep;

        la = digits(s, n, &i, 8, &a);
        if (la == 8 && i == n) {
                d->y = a / 10000;
                d->mo = a / 100 % 100;
                d->d = a % 100;
                d->p = FD_DATE_DAY;
                return true;
        }
        if (la == 4) {
                d->y = a;
                d->p = FD_DATE_YEAR;
                if (i == n)
                        return true;
                sep = s[i++];
                if ((sep != '-' && sep != '/' && sep != '.') || digits(s, n, &i, 2, &b) < 1)
                        return false;
                d->mo = b;
                d->p = FD_DATE_MONTH;
                if (i == n)
                        return true;
                if (s[i++] != sep || digits(s, n, &i, 2, &c) < 1)
                        return false;
                d->d = c;
                d->p = FD_DATE_DAY;
                return parse_time(s, n, i, d);
        }
        if (la == 3) {
                /* a three-digit year written "YYY-M-D" (eSbírky's "300-1-1") */
                if (i >= n || s[i] != '-')
                        return false;
                i++;
                if (digits(s, n, &i, 2, &b) < 1 || i >= n || s[i++] != '-' || digits(s, n, &i, 2, &c) < 1)
                        return false;
                d->y = a;
                d->mo = b;
                d->d = c;
                d->p = FD_DATE_DAY;
                return parse_time(s, n, i, d);
        }
        if (la != 1 && la != 2)
                return false;
        if (i >= n)
                return false;
        sep = s[i++];
        if (sep != '-' && sep != '/' && sep != '.')
                return false;
        lb = digits(s, n, &i, 4, &b);
        if (lb == 4) {
                if (i != n)
                        return false;
                d->mo = a;
                d->y = b;
                d->p = FD_DATE_MONTH;
                return true;
        }
        if (lb < 1 || lb > 2 || i >= n || s[i++] != sep || digits(s, n, &i, 4, &c) != 4)
                return false;
        if (b > 12 && a <= 12) {
                d->mo = a;
                d->d = b;
        } else {
                d->d = a;
                d->mo = b;
        }
        d->y = c;
        d->p = FD_DATE_DAY;
        return parse_time(s, n, i, d);
}

/* ---- month names -------------------------------------------------------- */

static const struct {
        const char *name;
        int month;
} month_names[] = {
        {"january", 1},    {"jan", 1},       {"february", 2},  {"feb", 2},      {"march", 3},
        {"mar", 3},        {"april", 4},     {"apr", 4},       {"may", 5},      {"june", 6},
        {"jun", 6},        {"july", 7},      {"jul", 7},       {"august", 8},   {"aug", 8},
        {"september", 9},  {"sept", 9},      {"sep", 9},       {"october", 10}, {"oct", 10},
        {"november", 11},  {"nov", 11},      {"december", 12}, {"dec", 12},     {"januar", 1},
        {"jänner", 1},     {"februar", 2},   {"märz", 3},      {"maerz", 3},    {"mai", 5},
        {"juni", 6},       {"juli", 7},      {"oktober", 10},  {"dezember", 12}, {"janvier", 1},
        {"février", 2},    {"fevrier", 2},   {"mars", 3},      {"avril", 4},    {"juin", 6},
        {"juillet", 7},    {"août", 8},      {"aout", 8},      {"septembre", 9}, {"octobre", 10},
        {"novembre", 11},  {"décembre", 12}, {"decembre", 12},
};

static int month_of(const char *w) {
        for (size_t i = 0; i < FD_ELEMENTSOF(month_names); i++)
                if (strcmp(w, month_names[i].name) == 0)
                        return month_names[i].month;
        return 0;
}

/* "March 2019", "14 March 2019", "March 14, 2019", "14-Mar-2019". */
static bool parse_named(const char *s, size_t n, struct dt *d) {
        char words[4][16];
        int num[4], len[4], month[4], k = 0;

        for (size_t i = 0; i < n;) {
                char c = s[i];
                if (c == ' ' || c == ',' || c == '.' || c == '-') {
                        i++;
                        continue;
                }
                if (k == 4)
                        return false;
                if (fd_ascii_digit(c)) {
                        len[k] = digits(s, n, &i, 5, &num[k]);
                        if (i < n && fd_ascii_digit(s[i]))
                                return false;
                        month[k] = 0;
                } else if (fd_ascii_alpha(c) || (unsigned char)c >= 0x80) {
                        size_t w = 0;
                        while (i < n && (fd_ascii_alpha(s[i]) || (unsigned char)s[i] >= 0x80)) {
                                if (w + 1 >= sizeof words[k])
                                        return false;
                                words[k][w++] = fd_ascii_lower(s[i++]);
                        }
                        words[k][w] = '\0';
                        len[k] = 0;
                        if (!(month[k] = month_of(words[k])))
                                return false;
                } else
                        return false;
                k++;
        }
        if (k == 2 && month[0] && len[1] == 4) {
                d->mo = month[0];
                d->y = num[1];
                d->p = FD_DATE_MONTH;
                return true;
        }
        if (k == 3 && len[0] >= 1 && len[0] <= 2 && month[1] && len[2] == 4) {
                d->d = num[0];
                d->mo = month[1];
                d->y = num[2];
                d->p = FD_DATE_DAY;
                return true;
        }
        if (k == 3 && month[0] && len[1] >= 1 && len[1] <= 2 && len[2] == 4) {
                d->mo = month[0];
                d->d = num[1];
                d->y = num[2];
                d->p = FD_DATE_DAY;
                return true;
        }
        return false;
}

/* ---- validation and output ------------------------------------------- */

static bool valid(const struct dt *d) {
        if (d->y < 1 || d->y > 9999)
                return false;
        if (d->p >= FD_DATE_MONTH && (d->mo < 1 || d->mo > 12))
                return false;
        if (d->p >= FD_DATE_DAY && (d->d < 1 || d->d > days_in_month(d->y, d->mo)))
                return false;
        return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int64_t y, int m, int d) {
        y -= m <= 2;
        int64_t era = (y >= 0 ? y : y - 399) / 400;
        int64_t yoe = y - era * 400;
        int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *ret_y, int *ret_m, int *ret_d) {
        z += 719468;
        int64_t era = (z >= 0 ? z : z - 146096) / 146097;
        int64_t doe = z - era * 146097;
        int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        int64_t mp = (5 * doy + 2) / 153;
        int d = (int)(doy - (153 * mp + 2) / 5 + 1);
        int m = (int)(mp < 10 ? mp + 3 : mp - 9);
        *ret_y = (int)(yoe + era * 400 + (m <= 2));
        *ret_m = m;
        *ret_d = d;
}

/* Applies the offset: local time minus offset is UTC. */
static bool to_utc(struct dt *d) {
        if (d->tz_min == 0)
                return true;
        int64_t t = days_from_civil(d->y, d->mo, d->d) * 86400 + d->h * 3600 + d->mi * 60 + d->s -
                    (int64_t)d->tz_min * 60;
        int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
        int64_t rem = t - days * 86400;
        civil_from_days(days, &d->y, &d->mo, &d->d);
        d->h = (int)(rem / 3600);
        d->mi = (int)(rem / 60 % 60);
        d->s = (int)(rem % 60);
        d->tz_min = 0;
        return d->y >= 1 && d->y <= 9999;
}

static bool parse_one(const char *s, size_t n, struct dt *d) {
        memset(d, 0, sizeof *d);
        if (n == 0)
                return false;
        if (!parse_numeric(s, n, d)) {
                memset(d, 0, sizeof *d);
                if (!parse_named(s, n, d))
                        return false;
        }
        return valid(d) && (d->p != FD_DATE_SECOND || to_utc(d));
}

static bool parse_range(const char *s, size_t n, struct dt *d) {
        static const char *const seps[] = {"/", " - ", " \xe2\x80\x93 ", "--", ".."};

        for (size_t k = 0; k < FD_ELEMENTSOF(seps); k++) {
                size_t m = strlen(seps[k]);
                for (size_t i = 1; i + m <= n; i++)
                        if (memcmp(s + i, seps[k], m) == 0) {
                                size_t l = i;
                                while (l && s[l - 1] == ' ')
                                        l--;
                                return parse_one(s, l, d);
                        }
        }
        /* "2010-2012" */
        if (n == 9 && s[4] == '-') {
                size_t i = 0, j = 5;
                int a, b;
                if (digits(s, n, &i, 4, &a) == 4 && i == 4 && digits(s, n, &j, 4, &b) == 4 && b >= a) {
                        memset(d, 0, sizeof *d);
                        d->y = a;
                        d->p = FD_DATE_YEAR;
                        return valid(d);
                }
        }
        return false;
}

enum fd_date_precision fd_date_normalize(const char *in, char *out, size_t outsz) {
        const char *s;
        size_t n;
        struct dt d;
        int w = -1;

        if (!out || outsz == 0)
                return FD_DATE_NONE;
        out[0] = '\0';
        if (!in)
                return FD_DATE_NONE;
        fd_trim_span(in, &s, &n);
        if (n == 0 || n > DATE_MAX)
                return FD_DATE_NONE;
        if (!parse_one(s, n, &d) && !parse_range(s, n, &d))
                return FD_DATE_NONE;
        switch (d.p) {
        case FD_DATE_YEAR:
                w = snprintf(out, outsz, "%04d", d.y);
                break;
        case FD_DATE_MONTH:
                w = snprintf(out, outsz, "%04d-%02d", d.y, d.mo);
                break;
        case FD_DATE_DAY:
                w = snprintf(out, outsz, "%04d-%02d-%02d", d.y, d.mo, d.d);
                break;
        case FD_DATE_SECOND:
                w = snprintf(out, outsz, "%04d-%02d-%02dT%02d:%02d:%02dZ", d.y, d.mo, d.d, d.h, d.mi, d.s);
                break;
        case FD_DATE_NONE:
                break;
        }
        if (w < 0 || (size_t)w >= outsz) {
                out[0] = '\0';
                return FD_DATE_NONE;
        }
        return d.p;
}

int fd_date_day(const char *date, bool end) {
        int y = 0, m = 0, d = 0;

        if (!date || !fd_ascii_digit(date[0]) || !fd_ascii_digit(date[1]) || !fd_ascii_digit(date[2]) ||
            !fd_ascii_digit(date[3]))
                return -1;
        y = (date[0] - '0') * 1000 + (date[1] - '0') * 100 + (date[2] - '0') * 10 + (date[3] - '0');
        if (date[4] == '-' && fd_ascii_digit(date[5]) && fd_ascii_digit(date[6])) {
                m = (date[5] - '0') * 10 + (date[6] - '0');
                if (date[7] == '-' && fd_ascii_digit(date[8]) && fd_ascii_digit(date[9]))
                        d = (date[8] - '0') * 10 + (date[9] - '0');
        }
        if (m > 12 || d > 31)
                return -1;
        if (!m)
                m = end ? 12 : 1;
        if (!d)
                d = end ? 31 : 1;
        return y * 10000 + m * 100 + d;
}
