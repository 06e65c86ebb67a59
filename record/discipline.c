/* discipline.c: subjects to the OECD Fields of Science and Technology.
 *
 * The tables are data (the TSV files of data/disciplines/, each naming its
 * source), turned into disciplines_data.c at build time.  Nothing is
 * guessed: a subject maps when its scheme is FOS, when it is an ANZSRC
 * Fields of Research code (2008: the ABS correspondence table; 2020:
 * fairdex's own table, no copy of the ABS's 2020 correspondences being at
 * hand), when it is a DFG subject id (re3data's scheme; DataCite's DFG
 * table, where one id may give several fields), when it is a DDC notation
 * (a published DDC to ANZSRC 2008 division mapping, composed with the ABS
 * table at build time), when it is an EU data theme or an LCSH heading
 * that names a discipline (fairdex's own tables: no published crosswalk
 * from either to FOS was found), or when a keyword is a FOS label
 * exactly.  Each table names its source and, when it is fairdex's own,
 * what it leaves unmapped and why.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fd_record.h"
#include "record-private.h"

const char *fd_fos_label(const char *id) {
        for (size_t i = 0; id && i < fd_fos_table_n; i++)
                if (strcmp(fd_fos_table[i].key, id) == 0)
                        return fd_fos_table[i].value;
        return NULL;
}

const char *fd_fos_id(const char *s) {
        if (!s)
                return NULL;
        while (fd_ascii_space(*s))
                s++;
        if (strncasecmp(s, "FOS:", 4) == 0)
                for (s += 4; fd_ascii_space(*s); s++)
                        ;
        for (size_t i = 0; i < fd_fos_table_n; i++)
                if (strcmp(fd_fos_table[i].key, s) == 0 || strcasecmp(fd_fos_table[i].value, s) == 0)
                        return fd_fos_table[i].key;
        return NULL;
}

static int by_key(const void *a, const void *b) {
        return strcmp(((const struct fd_fos_entry *)a)->key, ((const struct fd_fos_entry *)b)->key);
}

static const char *table_lookup(const struct fd_fos_entry *table, size_t n, const char *code) {
        const struct fd_fos_entry key = {code, NULL};
        const struct fd_fos_entry *e = bsearch(&key, table, n, sizeof key, by_key);
        return e ? e->value : NULL;
}

/* The digits a subject's code starts with, else those its value starts
 * with ("0401 Atmospheric Sciences"), at most 7, into code; their number. */
static size_t leading_code(const struct fd_subject *s, char code[8]) {
        const char *p = s->code && *s->code ? s->code : s->value;
        size_t n = 0;

        while (p && fd_ascii_digit(p[n]) && n < 7)
                n++;
        memcpy(code, p ? p : "", n);
        code[n] = '\0';
        return n;
}

/* The last segment of a subject's URI ("…/anzsrc-for/2020/3401": "3401",
 * "…/data-theme/ENVI": "ENVI"), else NULL. */
static const char *uri_segment(const struct fd_subject *s) {
        const char *slash = s->uri ? strrchr(s->uri, '/') : NULL;
        return slash && slash[1] ? slash + 1 : NULL;
}

/* True when the subject's scheme, or its URI before the last segment,
 * names the edition ("ANZSRC FoR 2020", "…/anzsrc-for/2008/0401"). */
static bool names_year(const struct fd_subject *s, const char *year) {
        const char *seg = uri_segment(s), *at = s->uri ? strstr(s->uri, year) : NULL;
        return (s->scheme && strstr(s->scheme, year)) || (at && seg && at < seg);
}

/* An ANZSRC Fields of Research code: the subject's code, else its URI's
 * last segment when that is all digits (a FoR concept), else the digits
 * its value starts with; 2 (a division), 4 (a group) or 6 (a field)
 * digits.  Looked up in the edition the scheme or URI names, else in the
 * one its division belongs to (01–22: 2008, 30–52: 2020): a field as
 * written, else as its group. */
static const char *for_fos(const struct fd_subject *s) {
        struct fd_subject bare = *s;
        const char *seg = uri_segment(s);
        char code[8];

        if ((!s->code || !*s->code) && seg && strspn(seg, "0123456789") == strlen(seg))
                bare.code = seg;
        size_t n = leading_code(&bare, code);
        if (n != 2 && n != 4 && n != 6)
                return NULL;
        int division = (code[0] - '0') * 10 + (code[1] - '0');
        const struct fd_fos_entry *table;
        size_t len;
        if (division >= 1 && division <= 22 && !names_year(s, "2020")) {
                table = fd_for_fos_table;
                len = fd_for_fos_table_n;
        } else if (division >= 30 && division <= 52 && !names_year(s, "2008")) {
                table = fd_for2020_fos_table;
                len = fd_for2020_fos_table_n;
        } else {
                return NULL;
        }
        const char *fos = n == 6 ? table_lookup(table, len, code) : NULL;
        code[n == 6 ? 4 : n] = '\0';
        return fos ? fos : table_lookup(table, len, code);
}

/* An EU data theme: its URI's last segment, else the value, as a code
 * ("ENVI", any case), else the value as the theme's English label
 * ("Environment", any case). */
static const char *theme_fos(const struct fd_subject *s) {
        const char *code = s->uri && strstr(s->uri, "/data-theme/") ? uri_segment(s) : s->value;

        for (size_t i = 0; code && i < fd_eu_theme_fos_table_n; i++)
                if (strcasecmp(fd_eu_theme_fos_table[i].key, code) == 0)
                        return fd_eu_theme_fos_table[i].value;
        for (size_t i = 0; s->value && i < fd_eu_theme_label_table_n; i++)
                if (strcasecmp(fd_eu_theme_label_table[i].key, s->value) == 0)
                        return fd_eu_theme_label_table[i].value;
        return NULL;
}

/* An LCSH heading: the value up to its first subdivision ("--"), without
 * the blanks around it and a final period, in lower case. */
static const char *lcsh_fos(const struct fd_subject *s) {
        const char *v = s->value, *dashes = v ? strstr(v, "--") : NULL;
        char key[96];
        size_t n;

        if (!v)
                return NULL;
        fd_trim_span(v, &v, &n);
        if (dashes && dashes >= v)
                n = (size_t)(dashes - v);
        while (n > 0 && (fd_ascii_space(v[n - 1]) || v[n - 1] == '.'))
                n--;
        if (n == 0 || n >= sizeof key)
                return NULL;
        for (size_t i = 0; i < n; i++)
                key[i] = fd_ascii_lower(v[i]);
        key[n] = '\0';
        return table_lookup(fd_lcsh_fos_table, fd_lcsh_fos_table_n, key);
}

/* The leading digits of a DFG subject ("31302 Oceanography", or the code):
 * 3-digit review boards and 5-digit subject areas are in the table; the
 * 1- and 2-digit groups above them are too broad and are not. */
static size_t dfg_fos(const struct fd_subject *s, const char **out) {
        char code[8];
        size_t n = leading_code(s, code), k = 0;

        if (n != 3 && n != 5)
                return 0;
        const struct fd_fos_entry key = {code, NULL};
        const struct fd_fos_entry *e =
                bsearch(&key, fd_dfg_fos_table, fd_dfg_fos_table_n, sizeof key, by_key);
        while (e && e > fd_dfg_fos_table && strcmp(e[-1].key, code) == 0)
                e--;
        for (; e && e < fd_dfg_fos_table + fd_dfg_fos_table_n && strcmp(e->key, code) == 0 && k < 4; e++)
                out[k++] = e->value;
        return k;
}

/* The DDC notation a subject without scheme writes with its scheme in
 * front ("ddc:610", OpenAIRE's "info:eu-repo/classification/ddc/550"),
 * else NULL. */
static const char *ddc_prefixed(const char *value) {
        static const char *const prefixes[] = {"info:eu-repo/classification/ddc/", "ddc:"};

        for (size_t i = 0; value && i < FD_ELEMENTSOF(prefixes); i++)
                if (strncasecmp(value, prefixes[i], strlen(prefixes[i])) == 0)
                        return value + strlen(prefixes[i]);
        return NULL;
}

/* A DDC notation ("551.46", "550 Earth sciences", "ddc 551", or the
 * subject's code): its 3-digit section, else its 2-digit division, in
 * the DDC table (where "" is a prefix that maps to nothing); a notation
 * needs 3 digits. */
static const char *ddc_fos(const struct fd_subject *s) {
        struct fd_subject bare = *s;
        char code[8];

        if ((!s->code || !*s->code) && s->value && strncasecmp(s->value, "ddc", 3) == 0)
                for (bare.value = s->value + 3; *bare.value && !fd_ascii_digit(*bare.value); bare.value++)
                        ;
        if (leading_code(&bare, code) < 3)
                return NULL;
        code[3] = '\0';
        const char *fos = table_lookup(fd_ddc_fos_table, fd_ddc_fos_table_n, code);
        code[2] = '\0';
        if (!fos)
                fos = table_lookup(fd_ddc_fos_table, fd_ddc_fos_table_n, code);
        return fos && *fos ? fos : NULL;
}

static bool contains_ci(const char *s, const char *needle) {
        return s && strcasestr(s, needle);
}

static const char *subject_fos(const struct fd_subject *s) {
        const char *scheme = s->scheme;

        if (contains_ci(scheme, "ddc") || contains_ci(scheme, "dewey") || contains_ci(s->uri, "dewey"))
                return ddc_fos(s);
        if (contains_ci(scheme, "anzsrc") || contains_ci(scheme, "fields of research") ||
            (scheme && strcasecmp(scheme, "for") == 0) || contains_ci(s->uri, "anzsrc"))
                return for_fos(s);
        if (contains_ci(scheme, "lcsh") || contains_ci(scheme, "library of congress subject") ||
            contains_ci(scheme, "id.loc.gov/authorities/subjects") ||
            contains_ci(s->uri, "id.loc.gov/authorities/subjects"))
                return lcsh_fos(s);
        if (contains_ci(scheme, "data-theme") || contains_ci(scheme, "data theme") ||
            contains_ci(s->uri, "/authority/data-theme/"))
                return theme_fos(s);
        if (contains_ci(scheme, "fos") || contains_ci(scheme, "fields of science") ||
            (s->value && strncasecmp(s->value, "FOS:", 4) == 0))
                return fd_fos_id(s->value);
        if (!scheme || !*scheme || strcasecmp(scheme, "keyword") == 0 || strcasecmp(scheme, "keywords") == 0) {
                if (ddc_prefixed(s->value)) {
                        struct fd_subject notation = {.value = ddc_prefixed(s->value)};
                        return ddc_fos(&notation);
                }
                return s->value && !fd_ascii_digit(s->value[0]) ? fd_fos_id(s->value) : NULL;
        }
        return NULL;
}

size_t fd_record_disciplines(const struct fd_record *r, const char **out, size_t max) {
        size_t n = 0;

        for (size_t i = 0; i < r->subjects.n && n < max; i++) {
                const struct fd_subject *s = &r->subjects.v[i];
                const char *ids[4];
                size_t m = 0;

                if (contains_ci(s->scheme, "dfg"))
                        m = dfg_fos(s, ids);
                else if ((ids[0] = subject_fos(s)))
                        m = 1;
                for (size_t j = 0; j < m && n < max; j++) {
                        bool seen = false;
                        for (size_t k = 0; k < n; k++)
                                seen |= strcmp(out[k], ids[j]) == 0;
                        if (!seen)
                                out[n++] = ids[j];
                }
        }
        return n;
}
