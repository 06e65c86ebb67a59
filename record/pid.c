/* pid.c: persistent identifier detection and normal forms.
 *
 * Sources write one identifier in many ways: resolver URLs old and new
 * (https://doi.org/, http://dx.doi.org/, hdl.handle.net), "doi:" and "hdl:"
 * prefixes, info:eu-repo altIdentifiers, bare values, stray white space.
 * The value's own form decides its scheme; the declared type (the hint)
 * only decides how a bare value without a tell-tale form is read, so a
 * DataCite identifierType="URL" holding https://doi.org/10.… is a DOI.
 *
 * Rules worth knowing:
 * - anything that starts with "10.<digits>/" is a DOI, even behind
 *   hdl.handle.net or "hdl:" (DOIs are handles, we call them DOIs);
 * - DOIs are lowercased (they are case-insensitive); doi.org URL paths are
 *   percent-decoded and lose their query and fragment;
 * - a bare Handle needs hint FD_PID_HANDLE unless its prefix is one only
 *   Handle services use (20.500.N, 21.N, 21.TN);
 * - ORCID iDs must pass the ISO 7064 11,2 check; a wrong check digit gives
 *   FD_PID_NONE even inside an orcid.org URL; ROR ids must pass their
 *   ISO 7064 97-10 checksum (98 - (n * 100 mod 97), n the base32 number);
 * - a bare ROR id needs a letter in it (or hint FD_PID_ROR), so that
 *   nine-digit accession numbers are not taken for one;
 * - URLs are kept as written (trimmed) but must not contain white space
 *   or control characters.
 *
 * Everything works on bounded stack copies with byte comparisons: no regex
 * and no allocation, cheap enough for every field of every record.
 */
#include "record-private.h"

/* Longest input we look at; identifiers are far shorter. */
#define PID_MAX 2048

static const char *const scheme_names[FD_PID_SCHEME_COUNT] = {
        [FD_PID_NONE] = "none", [FD_PID_DOI] = "doi",     [FD_PID_HANDLE] = "handle", [FD_PID_ARK] = "ark",
        [FD_PID_URN] = "urn",   [FD_PID_ORCID] = "orcid", [FD_PID_ROR] = "ror",       [FD_PID_URL] = "url",
};

const char *fd_pid_scheme_name(enum fd_pid_scheme s) {
        if ((unsigned)s >= FD_PID_SCHEME_COUNT)
                return "none";
        return scheme_names[s];
}

/* ---- small helpers ---------------------------------------------------- */

static bool clean_bytes(const char *s, size_t n) {
        for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char)s[i];
                if (c <= 0x20 || c == 0x7f)
                        return false;
        }
        return true;
}

static bool put(char *out, size_t outsz, const char *pre, const char *s, size_t n, bool lower) {
        size_t pl = pre ? strlen(pre) : 0;
        if (pl + n + 1 > outsz)
                return false;
        if (pl)
                memcpy(out, pre, pl);
        for (size_t i = 0; i < n; i++)
                out[pl + i] = lower ? fd_ascii_lower(s[i]) : s[i];
        out[pl + n] = '\0';
        return true;
}

static int hexval(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        c = fd_ascii_lower(c);
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        return -1;
}

/* Percent-decodes s[0..n) into out (size >= n + 1); a '%' not followed by
 * two hex digits stays as is.  Returns the decoded length. */
static size_t pct_decode(const char *s, size_t n, char *out) {
        size_t o = 0;
        for (size_t i = 0; i < n; i++) {
                int hi, lo;
                if (s[i] == '%' && i + 2 < n && (hi = hexval(s[i + 1])) >= 0 && (lo = hexval(s[i + 2])) >= 0) {
                        out[o++] = (char)(hi * 16 + lo);
                        i += 2;
                } else
                        out[o++] = s[i];
        }
        out[o] = '\0';
        return o;
}

/* Length of s[0..n) up to the first '?' or '#'. */
static size_t cut_query(const char *s, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (s[i] == '?' || s[i] == '#')
                        return i;
        return n;
}

static const char *find_ci(const char *s, size_t n, const char *needle) {
        size_t m = strlen(needle);
        for (size_t i = 0; i + m <= n; i++)
                if (fd_prefix_ci(s + i, needle) == m)
                        return s + i;
        return NULL;
}

/* ---- DOI ---------------------------------------------------------------- */

/* "10." registrant (digits and dots) "/" suffix, no white space. */
static bool doi_shape(const char *s, size_t n) {
        size_t i = 3;

        if (n < 6 || s[0] != '1' || s[1] != '0' || s[2] != '.' || !fd_ascii_digit(s[3]))
                return false;
        while (i < n && (fd_ascii_digit(s[i]) || s[i] == '.'))
                i++;
        if (i >= n || s[i] != '/' || s[i - 1] == '.' || i + 1 >= n)
                return false;
        return clean_bytes(s, n);
}

static enum fd_pid_scheme emit_doi(const char *s, size_t n, char *out, size_t outsz) {
        if (!doi_shape(s, n) || !put(out, outsz, NULL, s, n, true))
                return FD_PID_NONE;
        return FD_PID_DOI;
}

/* ---- Handle ------------------------------------------------------------- */

/* prefix "/" suffix.  strict: the prefix must be one that only Handle
 * services use (20.500.N, 21.N, 21.TN), for values without a hint. */
static bool handle_shape(const char *s, size_t n, bool strict) {
        size_t i = 0;
        bool digit = false;

        while (i < n && (fd_ascii_alnum(s[i]) || s[i] == '.')) {
                digit |= fd_ascii_digit(s[i]);
                i++;
        }
        if (i == 0 || !digit || i >= n || s[i] != '/' || i + 1 >= n || !clean_bytes(s, n))
                return false;
        if (strict) {
                size_t j;
                if (i > 7 && memcmp(s, "20.500.", 7) == 0)
                        j = 7;
                else if (i > 3 && memcmp(s, "21.", 3) == 0)
                        j = (s[3] == 'T' || s[3] == 't') ? 4 : 3;
                else
                        return false;
                if (j >= i)
                        return false;
                for (; j < i; j++)
                        if (!fd_ascii_digit(s[j]))
                                return false;
        }
        return true;
}

/* What follows "hdl:" or hdl.handle.net/: a DOI when it looks like one. */
static enum fd_pid_scheme emit_handle(const char *s, size_t n, char *out, size_t outsz) {
        if (doi_shape(s, n))
                return emit_doi(s, n, out, outsz);
        if (!handle_shape(s, n, false) || !put(out, outsz, NULL, s, n, false))
                return FD_PID_NONE;
        return FD_PID_HANDLE;
}

/* ---- ORCID -------------------------------------------------------------- */

static char orcid_check(const char *digits15) {
        int total = 0;
        for (int i = 0; i < 15; i++)
                total = (total + (digits15[i] - '0')) * 2;
        int r = (12 - total % 11) % 11;
        return r == 10 ? 'X' : (char)('0' + r);
}

/* Reads an ORCID body: "dddd-dddd-dddd-dddC" exactly, or with loose any
 * mix of hyphens and spaces between 16 characters.  Writes the 19-char
 * form with an uppercase X; false when malformed or the check fails. */
static bool orcid_read(const char *s, size_t n, bool loose, char ret[20]) {
        char d[16];
        size_t k = 0;

        if (!loose && n != 19)
                return false;
        for (size_t i = 0; i < n; i++) {
                char c = s[i];
                if (!loose && (i == 4 || i == 9 || i == 14)) {
                        if (c != '-')
                                return false;
                        continue;
                }
                if (loose && (c == '-' || c == ' '))
                        continue;
                if (k >= 16)
                        return false;
                if (fd_ascii_digit(c) || (k == 15 && (c == 'X' || c == 'x')))
                        d[k++] = fd_ascii_upper(c);
                else
                        return false;
        }
        if (k != 16 || orcid_check(d) != d[15])
                return false;
        for (int g = 0, o = 0; g < 4; g++) {
                memcpy(ret + o, d + g * 4, 4);
                o += 4;
                ret[o++] = g < 3 ? '-' : '\0';
        }
        return true;
}

bool fd_orcid_valid(const char *s) {
        char tmp[20];
        return s && orcid_read(s, strlen(s), false, tmp);
}

static enum fd_pid_scheme emit_orcid(const char *s, size_t n, bool loose, char *out, size_t outsz) {
        char id[20];
        if (!orcid_read(s, n, loose, id) || !put(out, outsz, NULL, id, 19, false))
                return FD_PID_NONE;
        return FD_PID_ORCID;
}

/* ---- ROR ---------------------------------------------------------------- */

static int crockford(char c) {
        static const char alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
        c = fd_ascii_lower(c);
        for (int i = 0; i < 32; i++)
                if (alphabet[i] == c)
                        return i;
        return -1;
}

/* "0" + six Crockford base32 characters + two checksum digits. */
static bool ror_valid(const char *s, size_t n, bool need_letter) {
        long v = 0;
        bool letter = false;

        if (n != 9 || s[0] != '0' || !fd_ascii_digit(s[7]) || !fd_ascii_digit(s[8]))
                return false;
        for (int i = 1; i < 7; i++) {
                int d = crockford(s[i]);
                if (d < 0)
                        return false;
                letter |= d >= 10;
                v = v * 32 + d;
        }
        if (need_letter && !letter)
                return false;
        return 98 - (v * 100) % 97 == (s[7] - '0') * 10 + (s[8] - '0');
}

static enum fd_pid_scheme emit_ror(const char *s, size_t n, bool need_letter, char *out, size_t outsz) {
        if (!ror_valid(s, n, need_letter) || !put(out, outsz, NULL, s, n, true))
                return FD_PID_NONE;
        return FD_PID_ROR;
}

/* ---- ARK and URN ------------------------------------------------------ */

/* s starts after "ark:" (with or without the slash): NAAN "/" name. */
static enum fd_pid_scheme emit_ark_body(const char *s, size_t n, char *out, size_t outsz) {
        size_t i = 0;

        if (n && s[0] == '/') {
                s++;
                n--;
        }
        while (i < n && fd_ascii_alnum(s[i]))
                i++;
        if (i == 0 || i >= n || s[i] != '/' || i + 1 >= n || !clean_bytes(s, n))
                return FD_PID_NONE;
        if (!put(out, outsz, "ark:/", s, i, true))
                return FD_PID_NONE;
        size_t used = strlen(out);
        if (!put(out + used, outsz - used, NULL, s + i, n - i, false)) {
                out[0] = '\0';
                return FD_PID_NONE;
        }
        return FD_PID_ARK;
}

/* s starts with "urn:" (any case).  urn:nbn always; other namespaces only
 * when the source said the value is a URN. */
static enum fd_pid_scheme emit_urn(const char *s, size_t n, bool any_nid, char *out, size_t outsz) {
        size_t i = 4;

        if (!clean_bytes(s, n))
                return FD_PID_NONE;
        if (fd_prefix_ci(s, "urn:nbn:")) {
                if (n <= 8 || !put(out, outsz, "urn:nbn:", s + 8, n - 8, false))
                        return FD_PID_NONE;
                return FD_PID_URN;
        }
        if (!any_nid)
                return FD_PID_NONE;
        while (i < n && (fd_ascii_alnum(s[i]) || s[i] == '-'))
                i++;
        if (i == 4 || i - 4 > 32 || i >= n || s[i] != ':' || i + 1 >= n)
                return FD_PID_NONE;
        if (!put(out, outsz, NULL, s, i, true))
                return FD_PID_NONE;
        if (!put(out + i, outsz - i, NULL, s + i, n - i, false)) {
                out[0] = '\0';
                return FD_PID_NONE;
        }
        return FD_PID_URN;
}

/* ---- URLs ----------------------------------------------------------------- */

struct url {
        const char *host; /* without "www." and port */
        size_t hostlen;
        const char *path; /* from the '/' after the host, may be empty */
        size_t pathlen;
};

/* Splits "[user@]host[:port]/path" (the scheme already skipped). */
static bool url_split(const char *s, size_t n, struct url *u) {
        size_t i = 0, start = 0;

        while (i < n && s[i] != '/' && s[i] != '?' && s[i] != '#') {
                if (s[i] == '@')
                        start = i + 1;
                i++;
        }
        u->host = s + start;
        u->hostlen = i - start;
        for (size_t j = 0; j < u->hostlen; j++)
                if (u->host[j] == ':') {
                        u->hostlen = j;
                        break;
                }
        if (u->hostlen > 4 && fd_prefix_ci(u->host, "www.")) {
                u->host += 4;
                u->hostlen -= 4;
        }
        u->path = s + i;
        u->pathlen = n - i;
        return u->hostlen > 0;
}

static bool host_is(const struct url *u, const char *name) {
        size_t m = strlen(name);
        return u->hostlen == m && fd_prefix_ci(u->host, name) == m;
}

static const char *const nbn_resolvers[] = {
        "nbn-resolving.org", "nbn-resolving.de", "urn.fi", "urn.kb.se", "persistent-identifier.nl",
        "urn.nb.no", "resolver.obvsg.at", "nbn.depositolegale.it",
};

static enum fd_pid_scheme from_url(const struct url *u, bool has_scheme, const char *whole, size_t wn, char *out,
                                   size_t outsz) {
        char buf[PID_MAX + 1];
        const char *p = u->path;
        size_t pn = u->pathlen;
        size_t body = pn && p[0] == '/' ? 1 : 0;
        size_t bn = cut_query(p + body, pn - body);

        if (host_is(u, "doi.org") || host_is(u, "dx.doi.org")) {
                size_t dn = pct_decode(p + body, bn, buf);
                if (doi_shape(buf, dn))
                        return emit_doi(buf, dn, out, outsz);
        } else if (host_is(u, "hdl.handle.net")) {
                size_t dn = pct_decode(p + body, bn, buf);
                enum fd_pid_scheme s = emit_handle(buf, dn, out, outsz);
                if (s != FD_PID_NONE)
                        return s;
        } else if (host_is(u, "orcid.org")) {
                size_t on = bn;
                if (on && p[body + on - 1] == '/')
                        on--;
                return emit_orcid(p + body, on, false, out, outsz);
        } else if (host_is(u, "ror.org")) {
                size_t rn = bn;
                if (rn && p[body + rn - 1] == '/')
                        rn--;
                return emit_ror(p + body, rn, false, out, outsz);
        }

        /* any resolver: n2t.net, gallica.bnf.fr/ark:/…, a repository's own */
        const char *ark = find_ci(p, pn, "/ark:");
        if (ark) {
                size_t an = cut_query(ark + 5, pn - (size_t)(ark + 5 - p));
                enum fd_pid_scheme s = emit_ark_body(ark + 5, an, out, outsz);
                if (s != FD_PID_NONE)
                        return s;
        }

        bool resolver = fd_prefix_ci(p, "/urn:nbn:") > 0;
        for (size_t i = 0; !resolver && i < FD_ELEMENTSOF(nbn_resolvers); i++)
                resolver = host_is(u, nbn_resolvers[i]);
        if (resolver) {
                size_t dn = pct_decode(p, pn, buf);
                const char *urn = find_ci(buf, dn, "urn:nbn:");
                if (urn) {
                        size_t un = 0, rest = dn - (size_t)(urn - buf);
                        while (un < rest && urn[un] != '&' && urn[un] != '#')
                                un++;
                        enum fd_pid_scheme s = emit_urn(urn, un, false, out, outsz);
                        if (s != FD_PID_NONE)
                                return s;
                }
        }

        if (!has_scheme || !clean_bytes(whole, wn) || !put(out, outsz, NULL, whole, wn, false))
                return FD_PID_NONE;
        return FD_PID_URL;
}

/* Resolver hosts that sources also write without "https://". */
static const char *const bare_hosts[] = {
        "doi.org/", "dx.doi.org/", "www.doi.org/", "hdl.handle.net/", "orcid.org/", "www.orcid.org/",
        "ror.org/", "n2t.net/", "nbn-resolving.org/", "nbn-resolving.de/",
};

/* ---- detection -------------------------------------------------------- */

static enum fd_pid_scheme detect(const char *s, size_t n, enum fd_pid_scheme hint, char *out, size_t outsz,
                                 int depth);

static size_t skip_spaces(const char *s, size_t n, size_t i) {
        while (i < n && fd_ascii_space(s[i]))
                i++;
        return i;
}

static enum fd_pid_scheme alt_identifier(const char *s, size_t n, char *out, size_t outsz, int depth) {
        static const struct {
                const char *name;
                enum fd_pid_scheme scheme;
        } kinds[] = {
                {"doi/", FD_PID_DOI},    {"handle/", FD_PID_HANDLE}, {"hdl/", FD_PID_HANDLE},
                {"urn/", FD_PID_URN},    {"ark/", FD_PID_ARK},       {"url/", FD_PID_URL},
                {"orcid/", FD_PID_ORCID},
        };
        for (size_t i = 0; i < FD_ELEMENTSOF(kinds); i++) {
                size_t k = fd_prefix_ci(s, kinds[i].name);
                if (k)
                        return detect(s + k, n - k, kinds[i].scheme, out, outsz, depth + 1);
        }
        return FD_PID_NONE;
}

static enum fd_pid_scheme detect(const char *s, size_t n, enum fd_pid_scheme hint, char *out, size_t outsz,
                                 int depth) {
        size_t k;
        struct url u;

        if (n == 0 || depth > 1)
                return FD_PID_NONE;

        if ((k = fd_prefix_ci(s, "info:eu-repo/semantics/altidentifier/")))
                return alt_identifier(s + k, n - k, out, outsz, depth);
        if ((k = fd_prefix_ci(s, "doi")) && k < n && (s[k] == ':' || s[k] == ' ')) {
                k = skip_spaces(s, n, k + 1);
                return emit_doi(s + k, n - k, out, outsz);
        }
        if ((k = fd_prefix_ci(s, "hdl:"))) {
                k = skip_spaces(s, n, k);
                return emit_handle(s + k, n - k, out, outsz);
        }
        if ((k = fd_prefix_ci(s, "orcid:"))) {
                k = skip_spaces(s, n, k);
                return emit_orcid(s + k, n - k, true, out, outsz);
        }
        if ((k = fd_prefix_ci(s, "ark:")))
                return emit_ark_body(s + k, n - k, out, outsz);
        if (fd_prefix_ci(s, "urn:")) {
                /* "URN:URN:NBN:…" (dLib's dc:identifier): the scheme written twice */
                if (fd_prefix_ci(s + 4, "urn:"))
                        s += 4, n -= 4;
                return emit_urn(s, n, hint == FD_PID_URN, out, outsz);
        }
        if ((k = fd_prefix_ci(s, "https://")) || (k = fd_prefix_ci(s, "http://"))) {
                if (!url_split(s + k, n - k, &u))
                        return FD_PID_NONE;
                return from_url(&u, true, s, n, out, outsz);
        }
        for (size_t i = 0; i < FD_ELEMENTSOF(bare_hosts); i++)
                if (fd_prefix_ci(s, bare_hosts[i])) {
                        if (!url_split(s, n, &u))
                                return FD_PID_NONE;
                        return from_url(&u, false, s, n, out, outsz);
                }

        /* bare values */
        if (doi_shape(s, n))
                return emit_doi(s, n, out, outsz);
        if (n == 19 && s[4] == '-' && s[9] == '-' && s[14] == '-')
                return emit_orcid(s, n, false, out, outsz);
        if (hint == FD_PID_ORCID)
                return emit_orcid(s, n, true, out, outsz);
        if (n == 9 && s[0] == '0')
                return emit_ror(s, n, hint != FD_PID_ROR, out, outsz);
        if (hint == FD_PID_URN && (k = fd_prefix_ci(s, "nbn:")) && n > k) {
                if (!clean_bytes(s, n) || !put(out, outsz, "urn:nbn:", s + k, n - k, false))
                        return FD_PID_NONE;
                return FD_PID_URN;
        }
        if (hint == FD_PID_ARK)
                return emit_ark_body(s, n, out, outsz);
        if (handle_shape(s, n, hint != FD_PID_HANDLE)) {
                if (!put(out, outsz, NULL, s, n, false))
                        return FD_PID_NONE;
                return FD_PID_HANDLE;
        }
        return FD_PID_NONE;
}

enum fd_pid_scheme fd_pid_normalize(const char *in, enum fd_pid_scheme hint, char *out, size_t outsz) {
        const char *s;
        size_t n;
        enum fd_pid_scheme scheme;

        if (!out || outsz == 0)
                return FD_PID_NONE;
        out[0] = '\0';
        if (!in)
                return FD_PID_NONE;
        fd_trim_span(in, &s, &n);
        if (n == 0 || n > PID_MAX)
                return FD_PID_NONE;
        scheme = detect(s, n, hint, out, outsz, 0);
        if (scheme == FD_PID_NONE)
                out[0] = '\0';
        return scheme;
}

/* ---- resolver URLs ------------------------------------------------------- */

/* Appends s percent-encoding what a URL path cannot carry as is. */
static bool put_escaped(char *out, size_t outsz, const char *base, const char *s) {
        static const char hex[] = "0123456789ABCDEF";
        size_t o = strlen(base);

        if (o + 1 > outsz)
                return false;
        memcpy(out, base, o);
        for (const char *p = s; *p; p++) {
                unsigned char c = (unsigned char)*p;
                bool esc = c <= 0x20 || c == 0x7f || strchr("%\"#?<>\\^`{|}", (char)c);
                if (o + (esc ? 3 : 1) + 1 > outsz)
                        return false;
                if (esc) {
                        out[o++] = '%';
                        out[o++] = hex[c >> 4];
                        out[o++] = hex[c & 15];
                } else
                        out[o++] = (char)c;
        }
        out[o] = '\0';
        return true;
}

bool fd_pid_url(enum fd_pid_scheme scheme, const char *normalized, char *out, size_t outsz) {
        bool ok = false;

        if (!out || outsz == 0)
                return false;
        out[0] = '\0';
        if (!normalized || !*normalized)
                return false;
        switch (scheme) {
        case FD_PID_DOI:
                ok = put_escaped(out, outsz, "https://doi.org/", normalized);
                break;
        case FD_PID_HANDLE:
                ok = put_escaped(out, outsz, "https://hdl.handle.net/", normalized);
                break;
        case FD_PID_ARK:
                ok = put_escaped(out, outsz, "https://n2t.net/", normalized);
                break;
        case FD_PID_URN:
                ok = fd_prefix_ci(normalized, "urn:nbn:") &&
                     put_escaped(out, outsz, "https://nbn-resolving.org/", normalized);
                break;
        case FD_PID_ORCID:
                ok = put_escaped(out, outsz, "https://orcid.org/", normalized);
                break;
        case FD_PID_ROR:
                ok = put_escaped(out, outsz, "https://ror.org/", normalized);
                break;
        case FD_PID_URL:
                ok = put(out, outsz, NULL, normalized, strlen(normalized), false);
                break;
        case FD_PID_NONE:
        case FD_PID_SCHEME_COUNT:
                break;
        }
        if (!ok)
                out[0] = '\0';
        return ok;
}
