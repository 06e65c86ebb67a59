/* record-private.h: what the files of record/ share and the unit test checks.
 *
 * Not part of the public contract: the lookup tables are sorted by hand (or
 * generated sorted) so that they can be bsearched without setup, and the
 * *_tables_ok() functions let test_record prove that they still are.
 */
#ifndef FD_RECORD_PRIVATE_H
#define FD_RECORD_PRIVATE_H

#include "fd_record.h"

/* disciplines_data.c (generated from data/disciplines/): the FOS 2007
 * ids and labels in the OECD's order; the ANZSRC 2008 and 2020 FoR codes
 * (divisions, groups, fields) with the FOS id each maps to, sorted by
 * code; the DFG subject ids with the FOS ids each maps to (one row each,
 * several rows for one id), sorted by id; the DDC prefixes (2 or 3
 * digits) with the FOS id each reaches, sorted by prefix; the EU data
 * themes by code (sorted) and by English label; LCSH headings in lower
 * case, sorted. */
struct fd_fos_entry {
        const char *key, *value;
};
#define FD_FOS_TABLE(name)                              \
        extern const struct fd_fos_entry name[];        \
        extern const size_t name##_n
FD_FOS_TABLE(fd_fos_table);
FD_FOS_TABLE(fd_for_fos_table);
FD_FOS_TABLE(fd_dfg_fos_table);
FD_FOS_TABLE(fd_ddc_fos_table);
FD_FOS_TABLE(fd_for2020_fos_table);
FD_FOS_TABLE(fd_eu_theme_fos_table);
FD_FOS_TABLE(fd_eu_theme_label_table);
FD_FOS_TABLE(fd_lcsh_fos_table);

/* spdx_ids.c: every current SPDX license id, sorted for strcasecmp. */
extern const char *const fd_spdx_ids[];
extern const size_t fd_spdx_ids_count;

/* license.c: the licence's URL, as given, else the spdx.org page of its
 * SPDX id (written into buf); NULL when it has neither or buf is too small.
 * What the exports (export.c, export_xml.c) link a licence to. */
const char *fd_license_url(const struct fd_license *l, char *buf, size_t n);

/* True when the static tables of each file are strictly sorted. */
bool fd_license_tables_ok(void);
bool fd_lang_tables_ok(void);
bool fd_record_tables_ok(void);

/* Small byte helpers shared by the normalizers (ASCII only, locale-free). */
static inline char fd_ascii_lower(char c) {
        return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static inline char fd_ascii_upper(char c) {
        return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

static inline bool fd_ascii_space(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static inline bool fd_ascii_digit(char c) { return c >= '0' && c <= '9'; }

static inline bool fd_ascii_alpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool fd_ascii_alnum(char c) { return fd_ascii_alpha(c) || fd_ascii_digit(c); }

/* Length of the prefix p (ASCII, lowercase) when s starts with it ignoring
 * case, else 0. */
static inline size_t fd_prefix_ci(const char *s, const char *p) {
        size_t i;
        for (i = 0; p[i]; i++)
                if (fd_ascii_lower(s[i]) != p[i])
                        return 0;
        return i;
}

/* Trims ASCII white space: *ret_start and *ret_len delimit the rest. */
static inline void fd_trim_span(const char *s, const char **ret_start, size_t *ret_len) {
        size_t n = strlen(s);
        while (n && fd_ascii_space(*s)) {
                s++;
                n--;
        }
        while (n && fd_ascii_space(s[n - 1]))
                n--;
        *ret_start = s;
        *ret_len = n;
}

#endif
