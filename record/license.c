/* license.c: access rights and licenses to SPDX ids.
 *
 * A license arrives as a URL (Creative Commons in all its spellings,
 * spdx.org, opensource.org, gnu.org, opendatacommons.org, govdata.de…), as
 * an SPDX id in any case, or as a name ("CC BY 4.0", "Creative Commons
 * Attribution-ShareAlike 4.0 International", "GPLv3+", "Licence Ouverte
 * 2.0").  URLs are read by host and path segments.  Names are split into
 * lowercase tokens (a letter/digit change splits too, so "GPLv3" and
 * "CC0" read as "gpl 3" and "cc 0"; filler words such as "license" and
 * "version" are dropped; a lone small integer becomes "N.0") and then read
 * by three small grammars in turn: Creative Commons, the GNU family, and a
 * sorted table of other names, with the SPDX table itself as the last try
 * ("bsd 3 clause" -> "BSD-3-Clause").  A grammar accepts only when every
 * token is one it knows, so free text that merely mentions a license
 * resolves to nothing rather than to a guess.
 *
 * Choices: a GNU license without "or later"/"+" is "-only"; a Creative
 * Commons port ("/3.0/de/") is its SPDX id when SPDX has one, else the
 * unported id; a Creative Commons name or URL without a version is NULL
 * (ambiguous); the Public Domain Mark is CC-PDM-1.0 (in SPDX since 3.23),
 * never PDDL-1.0; access rights (info:eu-repo/semantics/openAccess, COAR,
 * "Open Access") are never licenses.
 */
#include <strings.h>

#include "record-private.h"

/* Longer text is a rights statement, not a license name. */
#define LIC_MAX 256
#define TOK_MAX 32

static const char *const access_names[FD_ACCESS_COUNT] = {
        [FD_ACCESS_UNKNOWN] = "unknown",       [FD_ACCESS_OPEN] = "open",     [FD_ACCESS_EMBARGOED] = "embargoed",
        [FD_ACCESS_RESTRICTED] = "restricted", [FD_ACCESS_CLOSED] = "closed",
};

const char *fd_access_name(enum fd_access a) {
        if ((unsigned)a >= FD_ACCESS_COUNT)
                return "unknown";
        return access_names[a];
}

/* ---- access rights ------------------------------------------------------ */

/* Keys: the word after any known prefix, lowercased, without spaces,
 * hyphens and underscores.  Sorted by strcmp. */
static const struct {
        const char *key;
        enum fd_access access;
} access_words[] = {
        {"c14cb", FD_ACCESS_CLOSED},       /* COAR metadata only access */
        {"c16ec", FD_ACCESS_RESTRICTED},   /* COAR restricted access */
        {"cabf2", FD_ACCESS_OPEN},         /* COAR open access */
        {"cf1cf", FD_ACCESS_EMBARGOED},    /* COAR embargoed access */
        {"closed", FD_ACCESS_CLOSED},
        {"closedaccess", FD_ACCESS_CLOSED},
        {"embargo", FD_ACCESS_EMBARGOED},
        {"embargoed", FD_ACCESS_EMBARGOED},
        {"embargoedaccess", FD_ACCESS_EMBARGOED},
        {"metadataonly", FD_ACCESS_CLOSED},
        {"metadataonlyaccess", FD_ACCESS_CLOSED},
        {"nonpublic", FD_ACCESS_CLOSED},   /* EU access-right NON_PUBLIC */
        {"open", FD_ACCESS_OPEN},
        {"openaccess", FD_ACCESS_OPEN},
        {"public", FD_ACCESS_OPEN},        /* EU access-right PUBLIC */
        {"restricted", FD_ACCESS_RESTRICTED},
        {"restrictedaccess", FD_ACCESS_RESTRICTED},
};

static const char *const access_prefixes[] = {
        "info:eu-repo/semantics/",
        "http://purl.org/coar/access_right/",
        "https://purl.org/coar/access_right/",
        "http://publications.europa.eu/resource/authority/access-right/",
        "https://publications.europa.eu/resource/authority/access-right/",
        "http://purl.org/eprint/accessrights/",
        "https://purl.org/eprint/accessrights/",
};

static int access_cmp(const void *k, const void *e) {
        return strcmp(k, *(const char *const *)e);
}

enum fd_access fd_access_parse(const char *s) {
        char key[48];
        const char *p;
        size_t n, o = 0;

        if (!s)
                return FD_ACCESS_UNKNOWN;
        fd_trim_span(s, &p, &n);
        for (size_t i = 0; i < FD_ELEMENTSOF(access_prefixes); i++) {
                size_t k = fd_prefix_ci(p, access_prefixes[i]);
                if (k) {
                        p += k;
                        n -= k;
                        break;
                }
        }
        while (n && p[n - 1] == '/')
                n--;
        for (size_t i = 0; i < n; i++) {
                char c = p[i];
                if (c == ' ' || c == '-' || c == '_')
                        continue;
                if (!fd_ascii_alnum(c) || o + 1 >= sizeof key)
                        return FD_ACCESS_UNKNOWN;
                key[o++] = fd_ascii_lower(c);
        }
        key[o] = '\0';
        if (o == 0)
                return FD_ACCESS_UNKNOWN;
        const void *hit = bsearch(key, access_words, FD_ELEMENTSOF(access_words), sizeof access_words[0],
                                  access_cmp);
        return hit ? ((const __typeof__(access_words[0]) *)hit)->access : FD_ACCESS_UNKNOWN;
}

/* ---- the SPDX table ------------------------------------------------------ */

static int spdx_cmp(const void *k, const void *e) {
        return strcasecmp(k, *(const char *const *)e);
}

/* The canonical (static) id for s in any case, or NULL. */
static const char *spdx_lookup(const char *s) {
        const char *const *hit = bsearch(s, fd_spdx_ids, fd_spdx_ids_count, sizeof fd_spdx_ids[0], spdx_cmp);
        return hit ? *hit : NULL;
}

static const char *spdx_lookup_n(const char *s, size_t n) {
        char buf[LIC_MAX + 1];
        if (n > LIC_MAX)
                return NULL;
        memcpy(buf, s, n);
        buf[n] = '\0';
        return spdx_lookup(buf);
}

/* ---- tokens ------------------------------------------------------------- */

struct toks {
        char buf[2 * LIC_MAX + 2];
        char extra[TOK_MAX * 8];
        const char *v[TOK_MAX];
        size_t n;
};

static bool all_digits(const char *s) {
        if (!*s)
                return false;
        for (; *s; s++)
                if (!fd_ascii_digit(*s))
                        return false;
        return true;
}

static bool is_version(const char *s) {
        return fd_ascii_digit(s[0]) && s[1] == '.' && fd_ascii_digit(s[2]) && s[3] == '\0';
}

static const char *const fillers[] = {
        "licence", "licences", "licencia", "licens", "license", "licensed", "licenses",
        "licentie", "licenza", "lizenz", "the", "v", "ver", "version",
};

static bool is_filler(const char *t) {
        for (size_t i = 0; i < FD_ELEMENTSOF(fillers); i++)
                if (strcmp(t, fillers[i]) == 0)
                        return true;
        return false;
}

/* Splits s into lowercase ASCII/UTF-8 words, digit runs (with inner dots:
 * "4.0") and "+".  UTF-8 dashes, quotes and no-break spaces separate. */
static bool tokenize(const char *s, size_t n, struct toks *t) {
        size_t o = 0;
        int prev = 0; /* class of the open token: 0 none, 1 letters, 2 digits */

        t->n = 0;
        for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char)s[i];
                int cls = 0;

                if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
                    (((unsigned char)s[i + 2] >= 0x90 && (unsigned char)s[i + 2] <= 0x9F) ||
                     (unsigned char)s[i + 2] == 0xAF)) {
                        i += 2;
                } else if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) {
                        i += 1;
                } else if (fd_ascii_digit((char)c)) {
                        cls = 2;
                } else if (fd_ascii_alpha((char)c) || c >= 0x80) {
                        cls = 1;
                } else if (c == '.' && prev == 2 && i + 1 < n && fd_ascii_digit(s[i + 1])) {
                        t->buf[o++] = '.';
                        continue;
                }
                if (prev && cls != prev) {
                        t->buf[o++] = '\0';
                        prev = 0;
                }
                if (c == '+') {
                        if (t->n >= TOK_MAX)
                                return false;
                        t->v[t->n++] = t->buf + o;
                        t->buf[o++] = '+';
                        t->buf[o++] = '\0';
                        continue;
                }
                if (!cls)
                        continue;
                if (!prev) {
                        if (t->n >= TOK_MAX)
                                return false;
                        t->v[t->n++] = t->buf + o;
                        prev = cls;
                }
                t->buf[o++] = fd_ascii_lower((char)c);
        }
        if (prev)
                t->buf[o++] = '\0';

        /* "gplv" before "3" is "gpl" "v": drop the v; then drop fillers
         * and make versions canonical */
        size_t k = 0, x = 0;
        for (size_t i = 0; i + 1 < t->n; i++) {
                size_t l = strlen(t->v[i]);
                if (l > 1 && t->v[i][l - 1] == 'v' && fd_ascii_digit(t->v[i + 1][0]))
                        ((char *)t->v[i])[l - 1] = '\0';
        }
        for (size_t i = 0; i < t->n; i++)
                if (!is_filler(t->v[i]))
                        t->v[k++] = t->v[i];
        t->n = k;
        k = 0;
        for (size_t i = 0; i < t->n; i++) {
                const char *a = t->v[i], *b = i + 1 < t->n ? t->v[i + 1] : NULL;
                size_t al = strlen(a);
                if (all_digits(a) && al <= 2 && b && all_digits(b) && strlen(b) == 1) {
                        /* "2-0" as in dl-de/by-2-0 */
                        snprintf(t->extra + x, 8, "%s.%s", a, b);
                        t->v[k++] = t->extra + x;
                        x += 8;
                        i++;
                } else if (all_digits(a) && al <= 2 && a[0] != '0' && !(b && strcmp(b, "clause") == 0)) {
                        snprintf(t->extra + x, 8, "%s.0", a);
                        t->v[k++] = t->extra + x;
                        x += 8;
                } else
                        t->v[k++] = a;
        }
        t->n = k;
        return t->n > 0;
}

/* Joins the tokens with sep into out; false when it does not fit. */
static bool join(const struct toks *t, char sep, char *out, size_t outsz) {
        size_t o = 0;
        for (size_t i = 0; i < t->n; i++) {
                size_t l = strlen(t->v[i]);
                if (o + l + 2 > outsz)
                        return false;
                if (i)
                        out[o++] = sep;
                memcpy(out + o, t->v[i], l);
                o += l;
        }
        out[o] = '\0';
        return true;
}

/* Phrases of a grammar: up to five tokens and what they mean. */
struct phrase {
        const char *w[5];
        int role;
};

/* Length of the longest phrase matching at t->v[i] (0 if none), its role
 * in *ret_role. */
static size_t match_phrase(const struct toks *t, size_t i, const struct phrase *ph, size_t nph, int *ret_role) {
        size_t best = 0;
        for (size_t p = 0; p < nph; p++) {
                size_t k = 0;
                while (k < 5 && ph[p].w[k] && i + k < t->n && strcmp(t->v[i + k], ph[p].w[k]) == 0)
                        k++;
                if (k > best && (k == 5 || !ph[p].w[k])) {
                        best = k;
                        *ret_role = ph[p].role;
                }
        }
        return best;
}

/* ---- Creative Commons ------------------------------------------------- */

enum { CC_FILLER, CC_CC, CC_BY, CC_NC, CC_ND, CC_SA, CC_ZERO, CC_MARK };

static const struct phrase cc_phrases[] = {
        {{"creative", "commons"}, CC_CC},
        {{"cc"}, CC_CC},
        {{"attribution"}, CC_BY},
        {{"by"}, CC_BY},
        {{"namensnennung"}, CC_BY},
        {{"noncommercial"}, CC_NC},
        {{"non", "commercial"}, CC_NC},
        {{"nc"}, CC_NC},
        {{"nichtkommerziell"}, CC_NC},
        {{"nicht", "kommerziell"}, CC_NC},
        {{"pas", "d", "utilisation", "commerciale"}, CC_NC},
        {{"sharealike"}, CC_SA},
        {{"share", "alike"}, CC_SA},
        {{"sa"}, CC_SA},
        {{"weitergabe", "unter", "gleichen", "bedingungen"}, CC_SA},
        {{"partage", "dans", "les", "mêmes", "conditions"}, CC_SA},
        {{"partage", "dans", "les", "memes", "conditions"}, CC_SA},
        {{"noderivatives"}, CC_ND},
        {{"noderivs"}, CC_ND},
        {{"no", "derivatives"}, CC_ND},
        {{"no", "derivs"}, CC_ND},
        {{"no", "derivative", "works"}, CC_ND},
        {{"nd"}, CC_ND},
        {{"keine", "bearbeitungen"}, CC_ND},
        {{"keine", "bearbeitung"}, CC_ND},
        {{"pas", "de", "modification"}, CC_ND},
        {{"zero"}, CC_ZERO},
        {{"0"}, CC_ZERO},
        {{"public", "domain", "mark"}, CC_MARK},
        {{"pdm"}, CC_MARK},
        {{"mark"}, CC_MARK},
        {{"public", "domain", "dedication"}, CC_FILLER},
        {{"public", "domain"}, CC_FILLER},
        {{"public"}, CC_FILLER},
        {{"dedication"}, CC_FILLER},
        {{"waiver"}, CC_FILLER},
        {{"international"}, CC_FILLER},
        {{"intl"}, CC_FILLER},
        {{"unported"}, CC_FILLER},
        {{"generic"}, CC_FILLER},
        {{"universal"}, CC_FILLER},
        {{"deed"}, CC_FILLER},
        {{"legalcode"}, CC_FILLER},
        {{"legal", "code"}, CC_FILLER},
        {{"under"}, CC_FILLER},
};

/* Country names that sources write after the version of a ported license. */
static const struct {
        const char *name, *code;
} cc_ports[] = {
        {"australia", "au"}, {"austria", "at"}, {"deutschland", "de"}, {"france", "fr"},
        {"germany", "de"},   {"japan", "jp"},   {"netherlands", "nl"}, {"österreich", "at"},
};

static const char *cc_port(const char *t) {
        size_t l = strlen(t);
        if ((l == 2 || (l == 3 && strcmp(t, "igo") == 0)) && fd_ascii_alpha(t[0]) && fd_ascii_alpha(t[1]))
                return t;
        for (size_t i = 0; i < FD_ELEMENTSOF(cc_ports); i++)
                if (strcmp(t, cc_ports[i].name) == 0)
                        return cc_ports[i].code;
        return NULL;
}

/* Builds "CC-BY[-NC][-ND|-SA]-<version>[-<PORT>]" and returns the SPDX
 * id, trying the unported license when SPDX has no such port. */
static const char *cc_compose(bool nc, bool nd, bool sa, const char *version, const char *port) {
        char id[48];
        const char *hit = NULL;

        if (nd && sa)
                return NULL;
        if (port) {
                char up[4] = {0};
                for (size_t i = 0; i < 3 && port[i]; i++)
                        up[i] = fd_ascii_upper(port[i]);
                snprintf(id, sizeof id, "CC-BY%s%s%s-%s-%s", nc ? "-NC" : "", nd ? "-ND" : "", sa ? "-SA" : "",
                         version, up);
                hit = spdx_lookup(id);
        }
        if (!hit) {
                snprintf(id, sizeof id, "CC-BY%s%s%s-%s", nc ? "-NC" : "", nd ? "-ND" : "", sa ? "-SA" : "",
                         version);
                hit = spdx_lookup(id);
        }
        return hit;
}

static const char *cc_parse(const struct toks *t) {
        bool cc = false, by = false, nc = false, nd = false, sa = false, zero = false, mark = false;
        bool pd_mark = false;
        const char *version = NULL, *port = NULL;

        for (size_t i = 0; i < t->n;) {
                int role = 0;
                size_t k = match_phrase(t, i, cc_phrases, FD_ELEMENTSOF(cc_phrases), &role);
                if (k) {
                        switch (role) {
                        case CC_CC: cc = true; break;
                        case CC_BY: by = true; break;
                        case CC_NC: nc = true; break;
                        case CC_ND: nd = true; break;
                        case CC_SA: sa = true; break;
                        case CC_ZERO: zero = true; break;
                        case CC_MARK:
                                mark = true;
                                pd_mark |= k == 3;
                                break;
                        default: break;
                        }
                        i += k;
                        continue;
                }
                if (is_version(t->v[i])) {
                        if (version && strcmp(version, t->v[i]) != 0)
                                return NULL;
                        version = t->v[i];
                } else if (version && !port && cc_port(t->v[i]))
                        port = cc_port(t->v[i]);
                else
                        return NULL;
                i++;
        }
        if (mark) {
                if ((!cc && !pd_mark) || by || zero || (version && strcmp(version, "1.0") != 0))
                        return NULL;
                return spdx_lookup("CC-PDM-1.0");
        }
        if (zero) {
                if (!cc || by || nc || nd || sa || (version && strcmp(version, "1.0") != 0))
                        return NULL;
                return spdx_lookup("CC0-1.0");
        }
        if (!version || !(by || sa))
                return NULL;
        /* without "CC"/"Creative Commons" only "Attribution…" names */
        if (!cc && strcmp(t->v[0], "attribution") != 0)
                return NULL;
        if (!by) /* CC-SA-1.0, the only license without attribution in SPDX */
                return (sa && !nc && !nd && strcmp(version, "1.0") == 0) ? spdx_lookup("CC-SA-1.0") : NULL;
        return cc_compose(nc, nd, sa, version, port);
}

/* ---- GNU licenses --------------------------------------------------------- */

enum { GNU_FILLER, GNU_GPL, GNU_LGPL, GNU_AGPL, GNU_FDL, GNU_LATER, GNU_ONLY };

static const struct phrase gnu_phrases[] = {
        {{"gnu"}, GNU_FILLER},
        {{"public"}, GNU_FILLER},
        {{"general", "public"}, GNU_GPL},
        {{"gpl"}, GNU_GPL},
        {{"general"}, GNU_GPL},
        {{"lesser"}, GNU_LGPL},
        {{"library"}, GNU_LGPL},
        {{"lgpl"}, GNU_LGPL},
        {{"affero"}, GNU_AGPL},
        {{"agpl"}, GNU_AGPL},
        {{"free", "documentation"}, GNU_FDL},
        {{"fdl"}, GNU_FDL},
        {{"gfdl"}, GNU_FDL},
        {{"or", "later"}, GNU_LATER},
        {{"or", "any", "later"}, GNU_LATER},
        {{"any", "later"}, GNU_LATER},
        {{"later"}, GNU_LATER},
        {{"+"}, GNU_LATER},
        {{"only"}, GNU_ONLY},
};

static const char *gnu_parse(const struct toks *t) {
        bool gpl = false, lgpl = false, agpl = false, fdl = false, later = false, only = false;
        const char *version = NULL, *family;
        char id[48];

        for (size_t i = 0; i < t->n;) {
                int role = 0;
                size_t k = match_phrase(t, i, gnu_phrases, FD_ELEMENTSOF(gnu_phrases), &role);
                if (k) {
                        switch (role) {
                        case GNU_GPL: gpl = true; break;
                        case GNU_LGPL: lgpl = true; break;
                        case GNU_AGPL: agpl = true; break;
                        case GNU_FDL: fdl = true; break;
                        case GNU_LATER: later = true; break;
                        case GNU_ONLY: only = true; break;
                        default: break;
                        }
                        i += k;
                        continue;
                }
                if (!is_version(t->v[i]) || (version && strcmp(version, t->v[i]) != 0))
                        return NULL;
                version = t->v[i];
                i++;
        }
        if (!version || (later && only))
                return NULL;
        if (agpl)
                family = "AGPL";
        else if (lgpl)
                family = "LGPL";
        else if (fdl)
                family = "GFDL";
        else if (gpl)
                family = "GPL";
        else
                return NULL;
        snprintf(id, sizeof id, "%s-%s-%s", family, version, later ? "or-later" : "only");
        return spdx_lookup(id);
}

/* ---- other names ---------------------------------------------------------- */

/* Canonical token strings (fillers dropped, versions "N.M") of names that
 * neither grammar nor the SPDX table knows.  Sorted by strcmp. */
static const struct {
        const char *name, *spdx;
} license_names[] = {
        {"2 clause bsd", "BSD-2-Clause"},
        {"3 clause bsd", "BSD-3-Clause"},
        {"apache software 2.0", "Apache-2.0"},
        {"asl 2.0", "Apache-2.0"},
        {"boost software 1.0", "BSL-1.0"},
        {"bsd 2 clause simplified", "BSD-2-Clause"},
        {"bsd 3 clause new or revised", "BSD-3-Clause"},
        {"data germany attribution 2.0", "DL-DE-BY-2.0"},
        {"data germany zero 2.0", "DL-DE-ZERO-2.0"},
        {"datenlizenz deutschland namensnennung 2.0", "DL-DE-BY-2.0"},
        {"datenlizenz deutschland zero 2.0", "DL-DE-ZERO-2.0"},
        {"eclipse public 1.0", "EPL-1.0"},
        {"eclipse public 2.0", "EPL-2.0"},
        {"etalab ouverte 2.0", "etalab-2.0"},
        {"european union public 1.0", "EUPL-1.0"},
        {"european union public 1.1", "EUPL-1.1"},
        {"european union public 1.2", "EUPL-1.2"},
        {"expat", "MIT"},
        {"freebsd", "BSD-2-Clause"},
        {"modified bsd", "BSD-3-Clause"},
        {"mozilla public 1.1", "MPL-1.1"},
        {"mozilla public 2.0", "MPL-2.0"},
        {"new bsd", "BSD-3-Clause"},
        {"norwegian for open government data 1.0", "NLOD-1.0"},
        {"norwegian for open government data 2.0", "NLOD-2.0"},
        {"odbl", "ODbL-1.0"},
        {"odc by", "ODC-By-1.0"},
        {"odc odbl", "ODbL-1.0"},
        {"odc odbl 1.0", "ODbL-1.0"},
        {"odc open database", "ODbL-1.0"},
        {"odc pddl", "PDDL-1.0"},
        {"odc pddl 1.0", "PDDL-1.0"},
        {"ogl 3.0", "OGL-UK-3.0"},
        {"open data commons attribution", "ODC-By-1.0"},
        {"open data commons attribution 1.0", "ODC-By-1.0"},
        {"open data commons open database", "ODbL-1.0"},
        {"open data commons open database 1.0", "ODbL-1.0"},
        {"open data commons public domain dedication and", "PDDL-1.0"},
        {"open data commons public domain dedication and 1.0", "PDDL-1.0"},
        {"open database", "ODbL-1.0"},
        {"open database 1.0", "ODbL-1.0"},
        {"open government 1.0", "OGL-UK-1.0"},
        {"open government 2.0", "OGL-UK-2.0"},
        {"open government 3.0", "OGL-UK-3.0"},
        {"open government canada 2.0", "OGL-Canada-2.0"},
        {"open government uk 3.0", "OGL-UK-3.0"},
        {"ouverte 2.0", "etalab-2.0"},
        {"ouverte etalab 2.0", "etalab-2.0"},
        {"ouverte open 2.0", "etalab-2.0"},
        {"pddl", "PDDL-1.0"},
        {"revised bsd", "BSD-3-Clause"},
        {"simplified bsd", "BSD-2-Clause"},
        {"uk open government 3.0", "OGL-UK-3.0"},
};

static int name_cmp(const void *k, const void *e) {
        return strcmp(k, *(const char *const *)e);
}

static const char *from_text(const char *s, size_t n, int depth) {
        struct toks t;
        char joined[2 * LIC_MAX + 2];
        const char *hit;

        if (n == 0 || n > LIC_MAX)
                return NULL;
        if ((hit = spdx_lookup_n(s, n)))
                return hit;
        if (tokenize(s, n, &t)) {
                if ((hit = cc_parse(&t)) || (hit = gnu_parse(&t)))
                        return hit;
                if (join(&t, ' ', joined, sizeof joined)) {
                        const void *e = bsearch(joined, license_names, FD_ELEMENTSOF(license_names),
                                                sizeof license_names[0], name_cmp);
                        if (e)
                                return ((const __typeof__(license_names[0]) *)e)->spdx;
                }
                if (join(&t, '-', joined, sizeof joined) && (hit = spdx_lookup(joined)))
                        return hit;
        }
        /* "Open Data Commons Attribution License (ODC-By) v1.0": try without
         * the parenthesis */
        const char *open = memchr(s, '(', n);
        if (open && depth == 0) {
                const char *close = memchr(open, ')', n - (size_t)(open - s));
                char buf[LIC_MAX + 1];
                size_t a = (size_t)(open - s), b = close ? (size_t)(close + 1 - s) : n;
                memcpy(buf, s, a);
                memcpy(buf + a, s + b, n - b);
                return from_text(buf, a + n - b, depth + 1);
        }
        return NULL;
}

/* ---- URLs ----------------------------------------------------------------- */

#define SEG_MAX 8

struct segs {
        char buf[LIC_MAX + 1];
        const char *v[SEG_MAX];
        size_t n;
};

/* Lowercased path segments of p[0..n) (query and fragment cut off). */
static void split_path(const char *p, size_t n, struct segs *sg) {
        size_t o = 0;

        sg->n = 0;
        for (size_t i = 0; i < n && p[i] != '?' && p[i] != '#';) {
                while (i < n && p[i] == '/')
                        i++;
                if (i >= n || p[i] == '?' || p[i] == '#' || sg->n >= SEG_MAX)
                        break;
                sg->v[sg->n++] = sg->buf + o;
                while (i < n && p[i] != '/' && p[i] != '?' && p[i] != '#')
                        sg->buf[o++] = fd_ascii_lower(p[i++]);
                sg->buf[o++] = '\0';
        }
}

static bool ends_with(const char *s, const char *suffix) {
        size_t a = strlen(s), b = strlen(suffix);
        return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* "gpl-3.0.en.html" -> "gpl-3.0": drops web page extensions. */
static size_t strip_ext(const char *s) {
        static const char *const exts[] = {".en.html", ".html", ".htm", ".php", ".json", ".txt", ".md"};
        size_t n = strlen(s);
        for (size_t i = 0; i < FD_ELEMENTSOF(exts); i++)
                if (ends_with(s, exts[i]))
                        return n - strlen(exts[i]);
        return n;
}

static bool is_cc_version(const char *s) {
        static const char *const versions[] = {"1.0", "2.0", "2.1", "2.5", "3.0", "4.0"};
        for (size_t i = 0; i < FD_ELEMENTSOF(versions); i++)
                if (strcmp(s, versions[i]) == 0)
                        return true;
        return false;
}

static const char *cc_url(const struct segs *sg) {
        if (sg->n >= 2 && strcmp(sg->v[0], "publicdomain") == 0) {
                bool v1 = sg->n < 3 || strcmp(sg->v[2], "1.0") == 0 || !is_cc_version(sg->v[2]);
                if (strcmp(sg->v[1], "zero") == 0 && v1)
                        return spdx_lookup("CC0-1.0");
                if (strcmp(sg->v[1], "mark") == 0 && v1)
                        return spdx_lookup("CC-PDM-1.0");
                return NULL;
        }
        if (sg->n < 2 || strcmp(sg->v[0], "licenses") != 0)
                return NULL;
        if (strcmp(sg->v[1], "publicdomain") == 0)
                return spdx_lookup("CC-PDDC");
        if (sg->n < 3 || !is_cc_version(sg->v[2]))
                return NULL;

        const char *code = sg->v[1], *version = sg->v[2], *port = NULL;
        if (sg->n >= 4 && strncmp(sg->v[3], "legalcode", 9) != 0 && strncmp(sg->v[3], "deed", 4) != 0 &&
            strcmp(sg->v[3], "rdf") != 0 && cc_port(sg->v[3]))
                port = sg->v[3];
        if (strcmp(code, "sa") == 0)
                return strcmp(version, "1.0") == 0 ? spdx_lookup("CC-SA-1.0") : NULL;
        if (strncmp(code, "by", 2) != 0 || (code[2] && code[2] != '-'))
                return NULL;
        /* by, by-sa, by-nd, by-nc, by-nc-sa, by-nc-nd and 1.0's by-nd-nc */
        bool nc = false, nd = false, sa = false;
        for (const char *p = code + 2; *p;) {
                if (strncmp(p, "-nc", 3) == 0 && !nc)
                        nc = true;
                else if (strncmp(p, "-nd", 3) == 0 && !nd)
                        nd = true;
                else if (strncmp(p, "-sa", 3) == 0 && !sa)
                        sa = true;
                else
                        return NULL;
                p += 3;
        }
        return cc_compose(nc, nd, sa, version, port);
}

static const char *segment_text(const char *seg) {
        return from_text(seg, strip_ext(seg), 1);
}

static bool host_eq(const char *h, size_t hl, const char *name) {
        size_t m = strlen(name);
        return hl == m && fd_prefix_ci(h, name) == m;
}

static const char *from_url(const char *s, size_t n) {
        const char *h;
        size_t hl, i = 0;
        struct segs sg;

        while (i < n && s[i] != '/' && s[i] != '?' && s[i] != '#')
                i++;
        h = s;
        hl = i;
        for (size_t j = 0; j < hl; j++)
                if (h[j] == ':') {
                        hl = j;
                        break;
                }
        if (hl > 4 && fd_prefix_ci(h, "www.")) {
                h += 4;
                hl -= 4;
        }
        if (n - i > LIC_MAX)
                return NULL;
        split_path(s + i, n - i, &sg);

        if (host_eq(h, hl, "creativecommons.org"))
                return cc_url(&sg);
        if (host_eq(h, hl, "spdx.org")) {
                if (sg.n >= 2 && strcmp(sg.v[0], "licenses") == 0)
                        return segment_text(sg.v[1]);
                return NULL;
        }
        if (host_eq(h, hl, "opensource.org") || host_eq(h, hl, "choosealicense.com")) {
                if (sg.n < 2 || (strcmp(sg.v[0], "licenses") != 0 && strcmp(sg.v[0], "license") != 0))
                        return NULL;
                size_t l = strip_ext(sg.v[1]);
                if (l == 11 && strncmp(sg.v[1], "mit-license", l) == 0)
                        return spdx_lookup("MIT");
                if (l == 11 && strncmp(sg.v[1], "bsd-license", l) == 0)
                        return spdx_lookup("BSD-2-Clause");
                if (l == 9 && strncmp(sg.v[1], "apache2.0", l) == 0)
                        return spdx_lookup("Apache-2.0");
                return segment_text(sg.v[1]);
        }
        if (host_eq(h, hl, "apache.org")) {
                if (sg.n >= 2 && strcmp(sg.v[0], "licenses") == 0) {
                        size_t l = strip_ext(sg.v[1]);
                        if (l == 11 && strncmp(sg.v[1], "license-2.0", l) == 0)
                                return spdx_lookup("Apache-2.0");
                        if (l == 11 && strncmp(sg.v[1], "license-1.1", l) == 0)
                                return spdx_lookup("Apache-1.1");
                }
                return NULL;
        }
        if (host_eq(h, hl, "gnu.org")) {
                if (sg.n >= 2 && strcmp(sg.v[0], "licenses") == 0)
                        return segment_text(sg.v[sg.n - 1]);
                return NULL;
        }
        if (host_eq(h, hl, "opendatacommons.org")) {
                if (sg.n < 2 || strcmp(sg.v[0], "licenses") != 0)
                        return NULL;
                if (sg.n >= 3 && strcmp(sg.v[2], "1.0") != 0 && strcmp(sg.v[2], "1-0") != 0 &&
                    strncmp(sg.v[2], "summary", 7) != 0 && strncmp(sg.v[2], "index", 5) != 0)
                        return NULL;
                if (strcmp(sg.v[1], "odbl") == 0)
                        return spdx_lookup("ODbL-1.0");
                if (strcmp(sg.v[1], "by") == 0)
                        return spdx_lookup("ODC-By-1.0");
                if (strcmp(sg.v[1], "pddl") == 0)
                        return spdx_lookup("PDDL-1.0");
                return NULL;
        }
        if (host_eq(h, hl, "govdata.de")) {
                if (sg.n >= 2 && strcmp(sg.v[0], "dl-de") == 0) {
                        if (strcmp(sg.v[1], "by-2-0") == 0)
                                return spdx_lookup("DL-DE-BY-2.0");
                        if (strcmp(sg.v[1], "zero-2-0") == 0)
                                return spdx_lookup("DL-DE-ZERO-2.0");
                }
                return NULL;
        }
        if (host_eq(h, hl, "etalab.gouv.fr") ||
            (host_eq(h, hl, "github.com") && sg.n >= 2 && strcmp(sg.v[0], "etalab") == 0)) {
                for (size_t k = 0; k < sg.n; k++)
                        if (strstr(sg.v[k], "licence-ouverte") && !strstr(sg.v[k], "v1"))
                                return spdx_lookup("etalab-2.0");
                return NULL;
        }
        if (host_eq(h, hl, "nationalarchives.gov.uk")) {
                if (sg.n >= 4 && strcmp(sg.v[1], "open-government-licence") == 0 &&
                    strcmp(sg.v[2], "version") == 0) {
                        if (strcmp(sg.v[3], "3") == 0)
                                return spdx_lookup("OGL-UK-3.0");
                        if (strcmp(sg.v[3], "2") == 0)
                                return spdx_lookup("OGL-UK-2.0");
                        if (strcmp(sg.v[3], "1") == 0)
                                return spdx_lookup("OGL-UK-1.0");
                }
                return NULL;
        }
        if (host_eq(h, hl, "eupl.eu")) {
                if (sg.n >= 1 && (strcmp(sg.v[0], "1.2") == 0 || strcmp(sg.v[0], "1.1") == 0)) {
                        char id[16];
                        snprintf(id, sizeof id, "EUPL-%s", sg.v[0]);
                        return spdx_lookup(id);
                }
                return NULL;
        }
        if (host_eq(h, hl, "joinup.ec.europa.eu")) {
                for (size_t k = 0; k < sg.n; k++)
                        if (ends_with(sg.v[k], "eupl-12") || strcmp(sg.v[k], "eupl-text-eupl-12") == 0)
                                return spdx_lookup("EUPL-1.2");
                return NULL;
        }
        if (host_eq(h, hl, "data.norge.no")) {
                if (sg.n >= 3 && strcmp(sg.v[0], "nlod") == 0) {
                        if (strcmp(sg.v[2], "2.0") == 0)
                                return spdx_lookup("NLOD-2.0");
                        if (strcmp(sg.v[2], "1.0") == 0)
                                return spdx_lookup("NLOD-1.0");
                }
                return NULL;
        }
        if (host_eq(h, hl, "cdla.dev") || host_eq(h, hl, "cdla.io")) {
                if (sg.n >= 1 && strcmp(sg.v[0], "permissive-1-0") == 0)
                        return spdx_lookup("CDLA-Permissive-1.0");
                if (sg.n >= 1 && strcmp(sg.v[0], "permissive-2-0") == 0)
                        return spdx_lookup("CDLA-Permissive-2.0");
                if (sg.n >= 1 && strcmp(sg.v[0], "sharing-1-0") == 0)
                        return spdx_lookup("CDLA-Sharing-1.0");
                return NULL;
        }
        return NULL;
}

/* Hosts that sources write without a scheme. */
static const char *const bare_hosts[] = {
        "creativecommons.org/", "www.creativecommons.org/", "opensource.org/", "spdx.org/",
        "opendatacommons.org/",
};

const char *fd_license_spdx(const char *in) {
        const char *s;
        size_t n, k;

        if (!in)
                return NULL;
        fd_trim_span(in, &s, &n);
        if (n == 0 || n > LIC_MAX)
                return NULL;
        if (fd_prefix_ci(s, "info:") || fd_access_parse(s) != FD_ACCESS_UNKNOWN)
                return NULL;
        if ((k = fd_prefix_ci(s, "https://")) || (k = fd_prefix_ci(s, "http://")))
                return from_url(s + k, n - k);
        for (size_t i = 0; i < FD_ELEMENTSOF(bare_hosts); i++)
                if (fd_prefix_ci(s, bare_hosts[i]))
                        return from_url(s, n);
        return from_text(s, n, 0);
}

bool fd_license_tables_ok(void) {
        for (size_t i = 1; i < fd_spdx_ids_count; i++)
                if (strcasecmp(fd_spdx_ids[i - 1], fd_spdx_ids[i]) >= 0)
                        return false;
        for (size_t i = 1; i < FD_ELEMENTSOF(license_names); i++)
                if (strcmp(license_names[i - 1].name, license_names[i].name) >= 0)
                        return false;
        for (size_t i = 1; i < FD_ELEMENTSOF(access_words); i++)
                if (strcmp(access_words[i - 1].key, access_words[i].key) >= 0)
                        return false;
        return true;
}

const char *fd_license_url(const struct fd_license *l, char *buf, size_t n) {
        if (l->url)
                return l->url;
        if (l->spdx && (size_t)snprintf(buf, n, "https://spdx.org/licenses/%s", l->spdx) < n)
                return buf;
        return NULL;
}
