/* test_record.c: the record module: identifier, license, access, language,
 * date and resource type normalization, the adders and the JSON encoding.
 *
 * The normalizers are tested on the spellings real sources write: the
 * tables below, tests/fixtures/record/real_values.tsv (values copied from
 * the real files of shared/fixtures/oai and from bench/gen_corpus.py), and,
 * when shared/ is there, the real files themselves, scanned for the values
 * each quirk is about (those checks are not run, saying so, without it).
 */
#include <check.h>
#include <jansson.h>

#include "fd_test.h"
#include "fd_test_shared.h"

#include "fd_record.h"
#include "record-private.h"

/* ---- helpers ------------------------------------------------------------- */

static const char *source_root(void) {
        const char *r = getenv("FD_SOURCE_ROOT");
        return r && *r ? r : ".";
}

static char *slurp(const char *path) {
        _fd_cleanup_(fd_file_freep) FILE *f = fopen(path, "rb");
        if (!f)
                return NULL;
        if (fseek(f, 0, SEEK_END) != 0)
                return NULL;
        long n = ftell(f);
        if (n < 0 || fseek(f, 0, SEEK_SET) != 0)
                return NULL;
        char *buf = malloc((size_t)n + 1);
        if (!buf)
                return NULL;
        if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
                free(buf);
                return NULL;
        }
        buf[n] = '\0';
        return buf;
}

/* A file of shared/fixtures/oai.  Its checks run only when that directory
 * is there (see the suite), so a file missing from it is a failure. */
static char *shared_fixture(const char *name) {
        char path[1024];
        snprintf(path, sizeof path, "%s/../shared/fixtures/oai/%s", source_root(), name);
        char *s = slurp(path);
        ck_assert_msg(s != NULL, "shared fixture %s missing", path);
        return s;
}

static void check_pid(const char *in, enum fd_pid_scheme hint, enum fd_pid_scheme want, const char *expect,
                      int line) {
        char out[512];
        enum fd_pid_scheme got = fd_pid_normalize(in, hint, out, sizeof out);
        ck_assert_msg(got == want && strcmp(out, expect) == 0,
                      "line %d: pid '%s' (hint %s): got %s '%s', want %s '%s'", line, in ? in : "(null)",
                      fd_pid_scheme_name(hint), fd_pid_scheme_name(got), out, fd_pid_scheme_name(want), expect);
}
#define PID(in, hint, want, expect) check_pid(in, FD_PID_##hint, FD_PID_##want, expect, __LINE__)

static void check_lic(const char *in, const char *want, int line) {
        const char *got = fd_license_spdx(in);
        ck_assert_msg((!got && !want) || (got && want && strcmp(got, want) == 0), "line %d: license '%s': got %s, want %s",
                      line, in ? in : "(null)", got ? got : "NULL", want ? want : "NULL");
}
#define LIC(in, want) check_lic(in, want, __LINE__)

static void check_lang(const char *in, const char *want, int line) {
        char out[64];
        bool ok = fd_lang_normalize(in, out, sizeof out);
        ck_assert_msg(want ? ok && strcmp(out, want) == 0 : !ok && out[0] == '\0',
                      "line %d: lang '%s': got %d '%s', want %s", line, in ? in : "(null)", ok, out,
                      want ? want : "false");
}
#define LANG(in, want) check_lang(in, want, __LINE__)

static void check_date(const char *in, enum fd_date_precision want, const char *expect, int line) {
        char out[64];
        enum fd_date_precision got = fd_date_normalize(in, out, sizeof out);
        ck_assert_msg(got == want && strcmp(out, expect) == 0, "line %d: date '%s': got %d '%s', want %d '%s'", line,
                      in ? in : "(null)", got, out, want, expect);
}
#define DATE(in, p, expect) check_date(in, FD_DATE_##p, expect, __LINE__)

static struct fd_arena *arena;
static struct fd_record *rec;

static void setup(void) {
        arena = fd_arena_new(1 << 20);
        ck_assert_ptr_nonnull(arena);
        rec = fd_record_new_in(arena);
        ck_assert_ptr_nonnull(rec);
}

static void teardown(void) {
        fd_arena_free(arena);
        arena = NULL;
        rec = NULL;
}

static const char *type_of(const char *value) {
        struct fd_record *r = fd_record_new_in(arena);
        ck_assert_ptr_nonnull(r);
        ck_assert_int_eq(fd_record_set_type(r, arena, value), FD_OK);
        return r->resource_type;
}

/* ---- persistent identifiers -------------------------------------------- */

START_TEST(test_pid_doi) {
        PID("https://doi.org/10.1234/ABC", NONE, DOI, "10.1234/abc");
        PID("http://doi.org/10.1234/abc", NONE, DOI, "10.1234/abc");
        PID("https://dx.doi.org/10.1234/abc", NONE, DOI, "10.1234/abc");
        PID("http://dx.doi.org/10.1000/XYZ.1", NONE, DOI, "10.1000/xyz.1");
        PID("HTTPS://DOI.ORG/10.1234/ABC", NONE, DOI, "10.1234/abc");
        PID("https://www.doi.org/10.1234/abc", NONE, DOI, "10.1234/abc");
        PID("doi.org/10.1234/abc", NONE, DOI, "10.1234/abc");
        PID("doi:10.5061/dryad.ABC", NONE, DOI, "10.5061/dryad.abc");
        PID("DOI:10.5061/dryad.abc", NONE, DOI, "10.5061/dryad.abc");
        PID("DOI: 10.1234/X", NONE, DOI, "10.1234/x");
        PID("doi 10.1234/x", NONE, DOI, "10.1234/x");
        PID("10.1234/abc", NONE, DOI, "10.1234/abc");
        PID("10.1000.10/123", NONE, DOI, "10.1000.10/123");
        PID("  10.1234/abc\n", NONE, DOI, "10.1234/abc");
        PID("info:eu-repo/semantics/altIdentifier/doi/10.15479/AT:ISTA:92", NONE, DOI, "10.15479/at:ista:92");
        PID("https://doi.org/10.1000%2Fabc%2Fdef", NONE, DOI, "10.1000/abc/def");
        PID("https://doi.org/10.1000/a%3Cb%3E", NONE, DOI, "10.1000/a<b>");
        PID("https://doi.org/10.1234/abc?utm_source=x#top", NONE, DOI, "10.1234/abc");
        /* a DOI behind the Handle proxy or "hdl:" is a DOI */
        PID("https://hdl.handle.net/10.1234/abc", NONE, DOI, "10.1234/abc");
        PID("hdl:10.1234/ABC", HANDLE, DOI, "10.1234/abc");
        PID("10.1234/abc", HANDLE, DOI, "10.1234/abc");
        /* a declared URL that is a doi.org URL is a DOI */
        PID("https://doi.org/10.17199/BRIGHTNESS/V200111", URL, DOI, "10.17199/brightness/v200111");
        /* not DOIs */
        PID("10.1234", NONE, NONE, "");
        PID("10./abc", NONE, NONE, "");
        PID("10.1234/", NONE, NONE, "");
        PID("10.1234/a b", NONE, NONE, "");
        PID("doi:", NONE, NONE, "");
        PID("doi:11.1234/x", NONE, NONE, "");
        PID("https://doi.org/10.1234/a%20b", NONE, URL, "https://doi.org/10.1234/a%20b");
}
END_TEST

START_TEST(test_pid_handle) {
        PID("hdl:20.500.12345/678", NONE, HANDLE, "20.500.12345/678");
        PID("HDL: 20.500.12345/678", NONE, HANDLE, "20.500.12345/678");
        PID("https://hdl.handle.net/20.500.11800/42", NONE, HANDLE, "20.500.11800/42");
        PID("http://hdl.handle.net/1765/1163", NONE, HANDLE, "1765/1163");
        PID("http://hdl.handle.net/11858/00-1735-0000-0001-2F3A-8?locatt=view:master", NONE, HANDLE,
            "11858/00-1735-0000-0001-2F3A-8");
        PID("hdl.handle.net/2027/mdp.39015", NONE, HANDLE, "2027/mdp.39015");
        /* bare: only with the hint, or with a prefix only Handle services use */
        PID("20.500.12345/678", NONE, HANDLE, "20.500.12345/678");
        PID("21.11151/74ix-jvpa", NONE, HANDLE, "21.11151/74ix-jvpa");
        PID("21.T11148/abc", NONE, HANDLE, "21.T11148/abc");
        PID("1234/5678", NONE, NONE, "");
        PID("1234/5678", HANDLE, HANDLE, "1234/5678");
        PID("10013/epic.10033", HANDLE, HANDLE, "10013/epic.10033");
        PID("20.5/100", NONE, NONE, "");
        PID("hdl:", NONE, NONE, "");
        PID("hdl:abc", NONE, NONE, "");
        PID("/5678", HANDLE, NONE, "");
}
END_TEST

START_TEST(test_pid_orcid) {
        PID("https://orcid.org/0000-0002-1825-0097", NONE, ORCID, "0000-0002-1825-0097");
        PID("http://orcid.org/0000-0002-1825-0097", NONE, ORCID, "0000-0002-1825-0097");
        PID("https://orcid.org/0000-0002-1825-0097/", NONE, ORCID, "0000-0002-1825-0097");
        PID("https://www.orcid.org/0000-0002-1825-0097", NONE, ORCID, "0000-0002-1825-0097");
        PID("orcid.org/0000-0002-1825-0097", NONE, ORCID, "0000-0002-1825-0097");
        PID("0000-0002-1825-0097", NONE, ORCID, "0000-0002-1825-0097");
        PID(" https://orcid.org/0000-0001-5727-2427", ORCID, ORCID, "0000-0001-5727-2427");
        PID("ORCID: 0000-0001-5109-3700", NONE, ORCID, "0000-0001-5109-3700");
        /* X check digit, in either case */
        PID("https://orcid.org/0000-0002-1694-233X", NONE, ORCID, "0000-0002-1694-233X");
        PID("0000-0002-1694-233x", NONE, ORCID, "0000-0002-1694-233X");
        /* with the hint: no hyphens, or spaces */
        PID("0000000218250097", ORCID, ORCID, "0000-0002-1825-0097");
        PID("0000 0002 1825 0097", ORCID, ORCID, "0000-0002-1825-0097");
        /* a wrong check digit is rejected, whatever the spelling */
        PID("0000-0002-1825-0098", NONE, NONE, "");
        PID("0000-0002-1825-0098", ORCID, NONE, "");
        PID("https://orcid.org/0000-0002-1825-0098", NONE, NONE, "");
        PID("https://orcid.org/0000-0002-1694-2330", NONE, NONE, "");
        PID("0000000218250097", NONE, NONE, "");
        PID("0000-0002-1825-009", ORCID, NONE, "");
        PID("Josiah Carberry", ORCID, NONE, "");
        PID("https://orcid.org/", NONE, NONE, "");

        ck_assert(fd_orcid_valid("0000-0002-1825-0097"));
        ck_assert(fd_orcid_valid("0000-0001-5727-2427"));
        ck_assert(fd_orcid_valid("0000-0002-1694-233X"));
        ck_assert(fd_orcid_valid("0000-0003-1983-9378"));
        ck_assert(!fd_orcid_valid("0000-0002-1825-0098"));
        ck_assert(!fd_orcid_valid("0000-0002-1825-00970"));
        ck_assert(!fd_orcid_valid("000000021825009"));
        ck_assert(!fd_orcid_valid("0000-0002-1825-X097"));
        ck_assert(!fd_orcid_valid(" 0000-0002-1825-0097"));
        ck_assert(!fd_orcid_valid(""));
        ck_assert(!fd_orcid_valid(NULL));
}
END_TEST

START_TEST(test_pid_ror) {
        PID("https://ror.org/05dxps055", NONE, ROR, "05dxps055");
        PID("http://ror.org/05dxps055", NONE, ROR, "05dxps055");
        PID("https://ror.org/05dxps055/", NONE, ROR, "05dxps055");
        PID("ror.org/05dxps055", NONE, ROR, "05dxps055");
        PID("https://ror.org/05DXPS055", NONE, ROR, "05dxps055");
        PID("05dxps055", NONE, ROR, "05dxps055");
        PID("05dxps055", ROR, ROR, "05dxps055");
        PID(" https://ror.org/03yrm5c26", NONE, ROR, "03yrm5c26");
        PID("https://ror.org/04z8jg394", NONE, ROR, "04z8jg394");
        PID("013meh722", NONE, ROR, "013meh722");
        /* checksum, alphabet, shape */
        PID("05dxps056", NONE, NONE, "");
        PID("https://ror.org/05dxps056", NONE, NONE, "");
        PID("05dxpu055", ROR, NONE, "");
        PID("15dxps055", ROR, NONE, "");
        PID("05dxps05", ROR, NONE, "");
        PID("05dxps0555", ROR, NONE, "");
        /* nine digits are an accession number unless declared a ROR id */
        PID("000000000", NONE, NONE, "");
}
END_TEST

START_TEST(test_pid_ark_urn) {
        PID("ark:/13030/tqb3kh97gh8w", NONE, ARK, "ark:/13030/tqb3kh97gh8w");
        PID("ark:12345/x", NONE, ARK, "ark:/12345/x");
        PID("ARK:/12345/X7k9", NONE, ARK, "ark:/12345/X7k9");
        PID("https://n2t.net/ark:/13030/tqb3kh97gh8w", NONE, ARK, "ark:/13030/tqb3kh97gh8w");
        PID("http://n2t.net/ark:12345/x", NONE, ARK, "ark:/12345/x");
        PID("https://gallica.bnf.fr/ark:/12148/bpt6k5619759j", NONE, ARK, "ark:/12148/bpt6k5619759j");
        PID("https://example.org/ark:/99999/fk4?info", NONE, ARK, "ark:/99999/fk4");
        PID("12345/x", ARK, ARK, "ark:/12345/x");
        PID("ark:/12345", NONE, NONE, "");
        PID("ark:/12345/", NONE, NONE, "");
        PID("ark:", NONE, NONE, "");

        PID("urn:nbn:de:101:1-201102033592", NONE, URN, "urn:nbn:de:101:1-201102033592");
        PID("URN:NBN:de:bsz:25-opus-12345", NONE, URN, "urn:nbn:de:bsz:25-opus-12345");
        PID("urn:NBN:fi-fe2019", NONE, URN, "urn:nbn:fi-fe2019");
        PID("https://nbn-resolving.org/urn:nbn:de:bsz:25-opus-12345", NONE, URN, "urn:nbn:de:bsz:25-opus-12345");
        PID("http://nbn-resolving.de/urn:nbn:de:0001-1234", NONE, URN, "urn:nbn:de:0001-1234");
        PID("https://nbn-resolving.de/urn/resolver.pl?urn=urn:nbn:de:0001-1234&x=1", NONE, URN,
            "urn:nbn:de:0001-1234");
        PID("https://nbn-resolving.org/urn%3Anbn%3Ade%3A0001-1234", NONE, URN, "urn:nbn:de:0001-1234");
        PID("http://urn.fi/URN:NBN:fi:jyu-201101191200", NONE, URN, "urn:nbn:fi:jyu-201101191200");
        PID("nbn:de:0001-1234", URN, URN, "urn:nbn:de:0001-1234");
        /* other URN namespaces only when declared */
        PID("urn:lsid:ubio.org:namebank:11815", NONE, NONE, "");
        PID("URN:LSID:ubio.org:namebank:11815", URN, URN, "urn:lsid:ubio.org:namebank:11815");
        PID("urn:nbn:", NONE, NONE, "");
}
END_TEST

START_TEST(test_pid_url_none) {
        char out[32];

        PID("https://example.org/landing ", NONE, URL, "https://example.org/landing");
        PID("http://europepmc.org/articles/PMC5574022", URL, URL, "http://europepmc.org/articles/PMC5574022");
        PID("HTTP://Example.org/A?b=c#d", NONE, URL, "HTTP://Example.org/A?b=c#d");
        PID("https://doi.org/", NONE, URL, "https://doi.org/");
        PID("https://example.org/a b", NONE, NONE, "");
        PID("https:///path", NONE, NONE, "");
        PID("http:http://182.93.84.135/sp1/subjects/guide.php?id=1", NONE, NONE, "");
        PID("ftp://example.org/file", NONE, NONE, "");
        PID("www.example.org", URL, NONE, "");
        PID("ZA-No.: ZA8535", NONE, NONE, "");
        PID("ISBN 978-3-905673-82-1", NONE, NONE, "");
        PID("info:eu-repo/grantAgreement/EC/FP7/246686", NONE, NONE, "");
        PID("info:eu-repo/semantics/altIdentifier/pmid/12345", NONE, NONE, "");
        PID("", NONE, NONE, "");
        PID("   ", NONE, NONE, "");
        PID(NULL, NONE, NONE, "");

        /* out too small: NONE and out empty */
        ck_assert_int_eq(fd_pid_normalize("https://example.org/a/long/path/here", FD_PID_NONE, out, 16),
                         FD_PID_NONE);
        ck_assert_str_eq(out, "");
        ck_assert_int_eq(fd_pid_normalize("10.1234/abc", FD_PID_NONE, out, 11), FD_PID_NONE);
        ck_assert_str_eq(out, "");
        ck_assert_int_eq(fd_pid_normalize("10.1234/abc", FD_PID_NONE, out, 12), FD_PID_DOI);
        ck_assert_str_eq(out, "10.1234/abc");
        ck_assert_int_eq(fd_pid_normalize("10.1234/abc", FD_PID_NONE, NULL, 0), FD_PID_NONE);
}
END_TEST

START_TEST(test_pid_resolver_url) {
        char out[128];

        ck_assert(fd_pid_url(FD_PID_DOI, "10.1234/abc", out, sizeof out));
        ck_assert_str_eq(out, "https://doi.org/10.1234/abc");
        ck_assert(fd_pid_url(FD_PID_DOI, "10.1000/a#b?c d", out, sizeof out));
        ck_assert_str_eq(out, "https://doi.org/10.1000/a%23b%3Fc%20d");
        ck_assert(fd_pid_url(FD_PID_HANDLE, "20.500.12345/678", out, sizeof out));
        ck_assert_str_eq(out, "https://hdl.handle.net/20.500.12345/678");
        ck_assert(fd_pid_url(FD_PID_ORCID, "0000-0002-1825-0097", out, sizeof out));
        ck_assert_str_eq(out, "https://orcid.org/0000-0002-1825-0097");
        ck_assert(fd_pid_url(FD_PID_ROR, "05dxps055", out, sizeof out));
        ck_assert_str_eq(out, "https://ror.org/05dxps055");
        ck_assert(fd_pid_url(FD_PID_ARK, "ark:/13030/tqb3kh97gh8w", out, sizeof out));
        ck_assert_str_eq(out, "https://n2t.net/ark:/13030/tqb3kh97gh8w");
        ck_assert(fd_pid_url(FD_PID_URN, "urn:nbn:de:0001-1234", out, sizeof out));
        ck_assert_str_eq(out, "https://nbn-resolving.org/urn:nbn:de:0001-1234");
        ck_assert(fd_pid_url(FD_PID_URL, "https://example.org/x", out, sizeof out));
        ck_assert_str_eq(out, "https://example.org/x");

        ck_assert(!fd_pid_url(FD_PID_URN, "urn:lsid:ubio.org:namebank:11815", out, sizeof out));
        ck_assert_str_eq(out, "");
        ck_assert(!fd_pid_url(FD_PID_NONE, "whatever", out, sizeof out));
        ck_assert(!fd_pid_url(FD_PID_DOI, NULL, out, sizeof out));
        ck_assert(!fd_pid_url(FD_PID_DOI, "10.1234/abc", out, 20));
        ck_assert_str_eq(out, "");
        ck_assert(fd_pid_url(FD_PID_DOI, "10.1234/abc", out, 28));

        /* round trip: the resolver URL normalizes back to the same value */
        char back[128];
        ck_assert(fd_pid_url(FD_PID_DOI, "10.1000/a#b?c", out, sizeof out));
        ck_assert_int_eq(fd_pid_normalize(out, FD_PID_NONE, back, sizeof back), FD_PID_DOI);
        ck_assert_str_eq(back, "10.1000/a#b?c");
}
END_TEST

START_TEST(test_pid_scheme_names) {
        ck_assert_str_eq(fd_pid_scheme_name(FD_PID_NONE), "none");
        ck_assert_str_eq(fd_pid_scheme_name(FD_PID_DOI), "doi");
        ck_assert_str_eq(fd_pid_scheme_name(FD_PID_HANDLE), "handle");
        ck_assert_str_eq(fd_pid_scheme_name(FD_PID_ARK), "ark");
        ck_assert_str_eq(fd_pid_scheme_name(FD_PID_URN), "urn");
        ck_assert_str_eq(fd_pid_scheme_name(FD_PID_ORCID), "orcid");
        ck_assert_str_eq(fd_pid_scheme_name(FD_PID_ROR), "ror");
        ck_assert_str_eq(fd_pid_scheme_name(FD_PID_URL), "url");
        ck_assert_str_eq(fd_pid_scheme_name(FD_PID_SCHEME_COUNT), "none");
        ck_assert_str_eq(fd_pid_scheme_name((enum fd_pid_scheme)-1), "none");
}
END_TEST

/* ---- licenses and access ------------------------------------------------ */

START_TEST(test_license_cc_urls) {
        LIC("https://creativecommons.org/licenses/by/4.0/", "CC-BY-4.0");
        LIC("http://creativecommons.org/licenses/by/4.0/", "CC-BY-4.0");
        LIC("http://creativecommons.org/licenses/by/4.0", "CC-BY-4.0");
        LIC("https://www.creativecommons.org/licenses/by/4.0/", "CC-BY-4.0");
        LIC("https://creativecommons.org/licenses/by/4.0/legalcode", "CC-BY-4.0");
        LIC("https://creativecommons.org/licenses/by/4.0/legalcode.de", "CC-BY-4.0");
        LIC("https://creativecommons.org/licenses/by/4.0/deed.en", "CC-BY-4.0");
        LIC("https://creativecommons.org/licenses/by/4.0/?ref=chooser-v1", "CC-BY-4.0");
        LIC("creativecommons.org/licenses/by/4.0/", "CC-BY-4.0");
        LIC("HTTPS://CreativeCommons.org/Licenses/BY-SA/4.0/", "CC-BY-SA-4.0");
        LIC("https://creativecommons.org/licenses/by-sa/4.0/", "CC-BY-SA-4.0");
        LIC("https://creativecommons.org/licenses/by-nd/4.0/", "CC-BY-ND-4.0");
        LIC("https://creativecommons.org/licenses/by-nc/4.0/", "CC-BY-NC-4.0");
        LIC("https://creativecommons.org/licenses/by-nc-sa/4.0/", "CC-BY-NC-SA-4.0");
        LIC("https://creativecommons.org/licenses/by-nc-nd/4.0/", "CC-BY-NC-ND-4.0");
        LIC("https://creativecommons.org/licenses/by/3.0/", "CC-BY-3.0");
        LIC("https://creativecommons.org/licenses/by/2.5/", "CC-BY-2.5");
        LIC("https://creativecommons.org/licenses/by/2.0/", "CC-BY-2.0");
        LIC("https://creativecommons.org/licenses/by/1.0/", "CC-BY-1.0");
        LIC("https://creativecommons.org/licenses/by-nd-nc/1.0/", "CC-BY-NC-ND-1.0");
        LIC("https://creativecommons.org/licenses/sa/1.0/", "CC-SA-1.0");
        /* ports: the SPDX id when SPDX has one, else the unported one */
        LIC("http://creativecommons.org/licenses/by/3.0/de/", "CC-BY-3.0-DE");
        LIC("http://creativecommons.org/licenses/by/3.0/de/legalcode", "CC-BY-3.0-DE");
        LIC("http://creativecommons.org/licenses/by-sa/3.0/at/", "CC-BY-SA-3.0-AT");
        LIC("http://creativecommons.org/licenses/by/3.0/igo/", "CC-BY-3.0-IGO");
        LIC("http://creativecommons.org/licenses/by-nc-sa/2.0/uk/", "CC-BY-NC-SA-2.0-UK");
        LIC("http://creativecommons.org/licenses/by-sa/2.1/jp/", "CC-BY-SA-2.1-JP");
        LIC("http://creativecommons.org/licenses/by/3.0/fr/", "CC-BY-3.0");
        LIC("http://creativecommons.org/licenses/by-nc/3.0/es/", "CC-BY-NC-3.0");
        /* public domain tools */
        LIC("http://creativecommons.org/publicdomain/zero/1.0", "CC0-1.0");
        LIC("https://creativecommons.org/publicdomain/zero/1.0/", "CC0-1.0");
        LIC("https://creativecommons.org/publicdomain/zero/1.0/legalcode", "CC0-1.0");
        LIC("https://creativecommons.org/publicdomain/mark/1.0/", "CC-PDM-1.0");
        LIC("https://creativecommons.org/licenses/publicdomain/", "CC-PDDC");
        /* no version, unknown element or version, other pages */
        LIC("https://creativecommons.org/licenses/by/", NULL);
        LIC("https://creativecommons.org/licenses/", NULL);
        LIC("https://creativecommons.org/licenses/by-xx/4.0/", NULL);
        LIC("https://creativecommons.org/licenses/by/5.0/", NULL);
        LIC("https://creativecommons.org/licenses/by-nd-sa/4.0/", NULL);
        LIC("https://creativecommons.org/about/", NULL);
}
END_TEST

START_TEST(test_license_cc_names) {
        LIC("CC BY 4.0", "CC-BY-4.0");
        LIC("CC-BY-4.0", "CC-BY-4.0");
        LIC("cc-by-4.0", "CC-BY-4.0");
        LIC("CC BY-4.0", "CC-BY-4.0");
        LIC("CC-BY 4.0", "CC-BY-4.0");
        LIC("CC BY 4", "CC-BY-4.0");
        LIC("CC BY 2.0", "CC-BY-2.0");
        LIC("Creative Commons Attribution 4.0 International", "CC-BY-4.0");
        LIC("Creative Commons Attribution 4.0 International License", "CC-BY-4.0");
        LIC("Creative Commons Attribution 4.0 International (CC BY 4.0)", "CC-BY-4.0");
        LIC("Licensed under CC BY 4.0", "CC-BY-4.0");
        LIC("CC BY-SA 4.0", "CC-BY-SA-4.0");
        LIC("CC BY-NC-SA 3.0 DE", "CC-BY-NC-SA-3.0-DE");
        LIC("Creative Commons Attribution 3.0 Deutschland", "CC-BY-3.0-DE");
        LIC("Creative Commons Attribution-ShareAlike 4.0 International Public License", "CC-BY-SA-4.0");
        LIC("Creative Commons Attribution-NonCommercial-NoDerivatives 4.0 International License", "CC-BY-NC-ND-4.0");
        LIC("Creative Commons Attribution-NonCommercial-NoDerivs 3.0 Unported", "CC-BY-NC-ND-3.0");
        LIC("Creative Commons Attribution-Non Commercial 4.0", "CC-BY-NC-4.0");
        LIC("Attribution-NonCommercial 4.0", "CC-BY-NC-4.0");
        LIC("Creative Commons \xe2\x80\x94 Attribution 4.0 International \xe2\x80\x94 CC BY 4.0", "CC-BY-4.0");
        LIC("Creative Commons Namensnennung 4.0 International", "CC-BY-4.0");
        LIC("Creative Commons Namensnennung - Weitergabe unter gleichen Bedingungen 4.0 International",
            "CC-BY-SA-4.0");
        LIC("Attribution - Pas d\xe2\x80\x99Utilisation Commerciale 4.0 International", "CC-BY-NC-4.0");
        LIC("Creative Commons Zero v1.0 Universal", "CC0-1.0");
        LIC("CC0 1.0 Universal", "CC0-1.0");
        LIC("CC0", "CC0-1.0");
        LIC("CC0-1.0", "CC0-1.0");
        LIC("Creative Commons CC0 1.0 Universal Public Domain Dedication.", "CC0-1.0");
        LIC("Public Domain Mark 1.0", "CC-PDM-1.0");
        LIC("CC PDM 1.0", "CC-PDM-1.0");
        /* ambiguous or not a license */
        LIC("CC-BY", NULL);
        LIC("CC BY", NULL);
        LIC("CC BY-NC-ND", NULL);
        LIC("Creative Commons Attribution\xe2\x80\x90NonCommercial", NULL);
        LIC("Creative Commons", NULL);
        LIC("Creative Commons Public Domain", NULL);
        LIC("By 4.0", NULL);
        LIC("CC BY 4.0 and CC0", NULL);
        LIC("CC BY 4.0 or CC BY 3.0", NULL);
        LIC("CC BY-ND-SA 4.0", NULL);
        LIC("CC0 2.0", NULL);
        LIC("Mark", NULL);
}
END_TEST

START_TEST(test_license_software) {
        LIC("MIT", "MIT");
        LIC("mit", "MIT");
        LIC("MIT License", "MIT");
        LIC("The MIT License", "MIT");
        LIC("https://opensource.org/licenses/MIT", "MIT");
        LIC("https://opensource.org/licenses/mit-license.php", "MIT");
        LIC("https://opensource.org/license/mit/", "MIT");
        LIC("https://choosealicense.com/licenses/mit/", "MIT");
        LIC("https://spdx.org/licenses/MIT.html", "MIT");
        LIC("https://spdx.org/licenses/MIT.json", "MIT");
        LIC("https://spdx.org/licenses/CC-BY-4.0", "CC-BY-4.0");
        LIC("Apache-2.0", "Apache-2.0");
        LIC("apache-2.0", "Apache-2.0");
        LIC("Apache 2.0", "Apache-2.0");
        LIC("Apache 2", "Apache-2.0");
        LIC("Apache License 2.0", "Apache-2.0");
        LIC("Apache License, Version 2.0", "Apache-2.0");
        LIC("Apache Software License 2.0", "Apache-2.0");
        LIC("https://www.apache.org/licenses/LICENSE-2.0", "Apache-2.0");
        LIC("http://www.apache.org/licenses/LICENSE-2.0.html", "Apache-2.0");
        LIC("https://opensource.org/licenses/Apache-2.0", "Apache-2.0");
        /* GNU: -only unless "or later" or "+" is said */
        LIC("GPL-3.0", "GPL-3.0-only");
        LIC("GPLv3", "GPL-3.0-only");
        LIC("GPL v3", "GPL-3.0-only");
        LIC("GPL 3", "GPL-3.0-only");
        LIC("GNU General Public License v3.0", "GPL-3.0-only");
        LIC("GNU General Public License, version 3", "GPL-3.0-only");
        LIC("GPL-3.0-only", "GPL-3.0-only");
        LIC("GPL-3.0+", "GPL-3.0-or-later");
        LIC("GPLv3+", "GPL-3.0-or-later");
        LIC("GPL-3.0-or-later", "GPL-3.0-or-later");
        LIC("GNU General Public License v3.0 or later", "GPL-3.0-or-later");
        LIC("GNU GPL version 3 or any later version", "GPL-3.0-or-later");
        LIC("GPL-2.0", "GPL-2.0-only");
        LIC("GNU GPL v2", "GPL-2.0-only");
        LIC("LGPL-2.1", "LGPL-2.1-only");
        LIC("LGPLv2.1", "LGPL-2.1-only");
        LIC("GNU Lesser General Public License v2.1 or later", "LGPL-2.1-or-later");
        LIC("GNU Library General Public License v2", "LGPL-2.0-only");
        LIC("AGPL-3.0", "AGPL-3.0-only");
        LIC("GNU Affero General Public License v3.0", "AGPL-3.0-only");
        LIC("GNU Free Documentation License v1.3", "GFDL-1.3-only");
        LIC("https://www.gnu.org/licenses/gpl-3.0.en.html", "GPL-3.0-only");
        LIC("https://www.gnu.org/licenses/old-licenses/gpl-2.0.html", "GPL-2.0-only");
        LIC("https://opensource.org/licenses/GPL-3.0", "GPL-3.0-only");
        LIC("GPL", NULL);
        LIC("GNU GPL", NULL);
        LIC("GPL-3.0 only or later", NULL);
        LIC("GPL-4.0", NULL);
        LIC("BSD-3-Clause", "BSD-3-Clause");
        LIC("BSD 3-Clause License", "BSD-3-Clause");
        LIC("3-Clause BSD License", "BSD-3-Clause");
        LIC("New BSD License", "BSD-3-Clause");
        LIC("BSD 2-Clause \"Simplified\" License", "BSD-2-Clause");
        LIC("BSD License", NULL);
        LIC("Mozilla Public License 2.0", "MPL-2.0");
        LIC("MPL-2.0", "MPL-2.0");
        LIC("ISC License", "ISC");
        LIC("The Unlicense", "Unlicense");
        LIC("Eclipse Public License 2.0", "EPL-2.0");
}
END_TEST

START_TEST(test_license_data) {
        LIC("ODbL-1.0", "ODbL-1.0");
        LIC("odbl-1.0", "ODbL-1.0");
        LIC("ODbL", "ODbL-1.0");
        LIC("Open Database License", "ODbL-1.0");
        LIC("Open Database License (ODbL) v1.0", "ODbL-1.0");
        LIC("Open Data Commons Open Database License (ODbL)", "ODbL-1.0");
        LIC("http://opendatacommons.org/licenses/odbl/", "ODbL-1.0");
        LIC("https://opendatacommons.org/licenses/odbl/1-0/", "ODbL-1.0");
        LIC("https://opendatacommons.org/licenses/odbl/1.0/", "ODbL-1.0");
        LIC("ODC-By-1.0", "ODC-By-1.0");
        LIC("ODC-BY", "ODC-By-1.0");
        LIC("Open Data Commons Attribution License (ODC-By) v1.0", "ODC-By-1.0");
        LIC("https://opendatacommons.org/licenses/by/1-0/", "ODC-By-1.0");
        LIC("https://opendatacommons.org/licenses/by/summary/", "ODC-By-1.0");
        LIC("PDDL-1.0", "PDDL-1.0");
        LIC("Open Data Commons Public Domain Dedication and License (PDDL) v1.0", "PDDL-1.0");
        LIC("https://opendatacommons.org/licenses/pddl/1-0/", "PDDL-1.0");
        LIC("https://opendatacommons.org/licenses/odbl/2.0/", NULL);
        LIC("EUPL-1.2", "EUPL-1.2");
        LIC("EUPL v1.2", "EUPL-1.2");
        LIC("European Union Public Licence v. 1.2", "EUPL-1.2");
        LIC("https://joinup.ec.europa.eu/collection/eupl/eupl-text-eupl-12", "EUPL-1.2");
        LIC("https://eupl.eu/1.2/en/", "EUPL-1.2");
        LIC("Licence Ouverte 2.0", "etalab-2.0");
        LIC("Licence Ouverte / Open Licence version 2.0", "etalab-2.0");
        LIC("Licence Ouverte v2.0 (Etalab)", "etalab-2.0");
        LIC("etalab-2.0", "etalab-2.0");
        LIC("https://www.etalab.gouv.fr/licence-ouverte-open-licence", "etalab-2.0");
        LIC("https://github.com/etalab/licence-ouverte/blob/master/LO.md", "etalab-2.0");
        LIC("Licence Ouverte", NULL);
        LIC("dl-de/by-2-0", "DL-DE-BY-2.0");
        LIC("DL-DE->BY-2.0", "DL-DE-BY-2.0");
        LIC("https://www.govdata.de/dl-de/by-2-0", "DL-DE-BY-2.0");
        LIC("Datenlizenz Deutschland \xe2\x80\x93 Namensnennung \xe2\x80\x93 Version 2.0", "DL-DE-BY-2.0");
        LIC("dl-de/zero-2-0", "DL-DE-ZERO-2.0");
        LIC("https://www.govdata.de/dl-de/zero-2-0", "DL-DE-ZERO-2.0");
        LIC("Datenlizenz Deutschland \xe2\x80\x93 Zero \xe2\x80\x93 Version 2.0", "DL-DE-ZERO-2.0");
        LIC("OGL-UK-3.0", "OGL-UK-3.0");
        LIC("Open Government Licence v3.0", "OGL-UK-3.0");
        LIC("https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/", "OGL-UK-3.0");
        LIC("http://www.nationalarchives.gov.uk/doc/open-government-licence/version/2/", "OGL-UK-2.0");
        LIC("Open Government Licence - Canada 2.0", "OGL-Canada-2.0");
        LIC("NLOD-2.0", "NLOD-2.0");
        LIC("Norwegian Licence for Open Government Data (NLOD) 2.0", "NLOD-2.0");
        LIC("https://data.norge.no/nlod/en/2.0", "NLOD-2.0");
        LIC("CDLA-Permissive-2.0", "CDLA-Permissive-2.0");
        LIC("https://cdla.dev/permissive-2-0/", "CDLA-Permissive-2.0");
}
END_TEST

START_TEST(test_license_not_licenses) {
        char long_text[600];

        LIC("info:eu-repo/semantics/openAccess", NULL);
        LIC("info:eu-repo/semantics/embargoedAccess", NULL);
        LIC("info:eu-repo/semantics/closedAccess", NULL);
        LIC("http://purl.org/coar/access_right/c_abf2", NULL);
        LIC("Open Access", NULL);
        LIC("OpenAccess", NULL);
        LIC("All rights reserved", NULL);
        LIC("(c) Universiteit of Twente", NULL);
        LIC("Copyright 2020 Foo", NULL);
        LIC("Public Domain", NULL);
        LIC("Download", NULL);
        LIC("A - Data and documents are released for academic research and teaching.", NULL);
        LIC("http://rightsstatements.org/vocab/InC/1.0/", NULL);
        LIC("https://example.org/licenses/by/4.0/", NULL);
        LIC("", NULL);
        LIC("   ", NULL);
        LIC(NULL, NULL);
        /* a long statement that mentions a license is not a license name */
        LIC("All metadata from GESIS DBK are available free of restriction under the Creative Commons CC0 1.0 "
            "Universal Public Domain Dedication. However, GESIS requests that you actively acknowledge and give "
            "attribution to all metadata sources.",
            NULL);
        memset(long_text, 'a', sizeof long_text - 1);
        long_text[sizeof long_text - 1] = '\0';
        LIC(long_text, NULL);
        /* SPDX ids in any case */
        LIC("cc-by-nc-nd-4.0", "CC-BY-NC-ND-4.0");
        LIC("  CC-BY-SA-4.0  ", "CC-BY-SA-4.0");
        LIC("bsd-3-clause", "BSD-3-Clause");
        LIC("0bsd", "0BSD");
}
END_TEST

START_TEST(test_access) {
        ck_assert_int_eq(fd_access_parse("info:eu-repo/semantics/openAccess"), FD_ACCESS_OPEN);
        ck_assert_int_eq(fd_access_parse("info:eu-repo/semantics/embargoedAccess"), FD_ACCESS_EMBARGOED);
        ck_assert_int_eq(fd_access_parse("info:eu-repo/semantics/restrictedAccess"), FD_ACCESS_RESTRICTED);
        ck_assert_int_eq(fd_access_parse("info:eu-repo/semantics/closedAccess"), FD_ACCESS_CLOSED);
        ck_assert_int_eq(fd_access_parse("INFO:EU-REPO/SEMANTICS/OPENACCESS"), FD_ACCESS_OPEN);
        ck_assert_int_eq(fd_access_parse(" info:eu-repo/semantics/openAccess\n"), FD_ACCESS_OPEN);
        ck_assert_int_eq(fd_access_parse("http://purl.org/coar/access_right/c_abf2"), FD_ACCESS_OPEN);
        ck_assert_int_eq(fd_access_parse("https://purl.org/coar/access_right/c_abf2/"), FD_ACCESS_OPEN);
        ck_assert_int_eq(fd_access_parse("http://purl.org/coar/access_right/c_f1cf"), FD_ACCESS_EMBARGOED);
        ck_assert_int_eq(fd_access_parse("http://purl.org/coar/access_right/c_16ec"), FD_ACCESS_RESTRICTED);
        ck_assert_int_eq(fd_access_parse("http://purl.org/coar/access_right/c_14cb"), FD_ACCESS_CLOSED);
        ck_assert_int_eq(fd_access_parse("http://publications.europa.eu/resource/authority/access-right/PUBLIC"),
                         FD_ACCESS_OPEN);
        ck_assert_int_eq(fd_access_parse("http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC"),
                         FD_ACCESS_CLOSED);
        ck_assert_int_eq(fd_access_parse("http://publications.europa.eu/resource/authority/access-right/RESTRICTED"),
                         FD_ACCESS_RESTRICTED);
        ck_assert_int_eq(fd_access_parse("http://purl.org/eprint/accessRights/OpenAccess"), FD_ACCESS_OPEN);
        ck_assert_int_eq(fd_access_parse("open access"), FD_ACCESS_OPEN);
        ck_assert_int_eq(fd_access_parse("Open Access"), FD_ACCESS_OPEN);
        ck_assert_int_eq(fd_access_parse("openAccess"), FD_ACCESS_OPEN);
        ck_assert_int_eq(fd_access_parse("open_access"), FD_ACCESS_OPEN);
        ck_assert_int_eq(fd_access_parse("Embargoed Access"), FD_ACCESS_EMBARGOED);
        ck_assert_int_eq(fd_access_parse("embargo"), FD_ACCESS_EMBARGOED);
        ck_assert_int_eq(fd_access_parse("Restricted Access"), FD_ACCESS_RESTRICTED);
        ck_assert_int_eq(fd_access_parse("metadata only access"), FD_ACCESS_CLOSED);
        ck_assert_int_eq(fd_access_parse("closed"), FD_ACCESS_CLOSED);
        ck_assert_int_eq(fd_access_parse("CC BY 4.0"), FD_ACCESS_UNKNOWN);
        ck_assert_int_eq(fd_access_parse("info:eu-repo/semantics/article"), FD_ACCESS_UNKNOWN);
        ck_assert_int_eq(fd_access_parse("http://purl.org/coar/access_right/c_0000"), FD_ACCESS_UNKNOWN);
        ck_assert_int_eq(fd_access_parse("open access after 2025"), FD_ACCESS_UNKNOWN);
        ck_assert_int_eq(fd_access_parse(""), FD_ACCESS_UNKNOWN);
        ck_assert_int_eq(fd_access_parse(NULL), FD_ACCESS_UNKNOWN);

        ck_assert_str_eq(fd_access_name(FD_ACCESS_UNKNOWN), "unknown");
        ck_assert_str_eq(fd_access_name(FD_ACCESS_OPEN), "open");
        ck_assert_str_eq(fd_access_name(FD_ACCESS_EMBARGOED), "embargoed");
        ck_assert_str_eq(fd_access_name(FD_ACCESS_RESTRICTED), "restricted");
        ck_assert_str_eq(fd_access_name(FD_ACCESS_CLOSED), "closed");
        ck_assert_str_eq(fd_access_name(FD_ACCESS_COUNT), "unknown");
}
END_TEST

START_TEST(test_tables_sorted) {
        ck_assert(fd_license_tables_ok());
        ck_assert(fd_lang_tables_ok());
        ck_assert(fd_record_tables_ok());
        ck_assert_uint_gt(fd_spdx_ids_count, 600);
}
END_TEST

/* ---- languages -------------------------------------------------------------- */

START_TEST(test_lang_codes) {
        LANG("en", "en");
        LANG("EN", "en");
        LANG("eng", "en");
        LANG("ENG", "en");
        LANG(" en ", "en");
        LANG("deu", "de");
        LANG("ger", "de");
        LANG("fre", "fr");
        LANG("fra", "fr");
        LANG("nor", "no");
        LANG("nob", "nb");
        LANG("nno", "nn");
        LANG("ice", "is");
        LANG("isl", "is");
        LANG("cat", "ca");
        LANG("baq", "eu");
        LANG("eus", "eu");
        LANG("glg", "gl");
        LANG("wel", "cy");
        LANG("cym", "cy");
        LANG("srp", "sr");
        LANG("ukr", "uk");
        LANG("rus", "ru");
        LANG("tur", "tr");
        LANG("lat", "la");
        LANG("chi", "zh");
        LANG("zho", "zh");
        LANG("jpn", "ja");
        LANG("ara", "ar");
        /* every EU official language, by 639-1, 639-2/B and 639-2/T */
        static const char *const eu[][3] = {
                {"bg", "bul", "bul"}, {"hr", "hrv", "hrv"}, {"cs", "cze", "ces"}, {"da", "dan", "dan"},
                {"nl", "dut", "nld"}, {"en", "eng", "eng"}, {"et", "est", "est"}, {"fi", "fin", "fin"},
                {"fr", "fre", "fra"}, {"de", "ger", "deu"}, {"el", "gre", "ell"}, {"hu", "hun", "hun"},
                {"ga", "gle", "gle"}, {"it", "ita", "ita"}, {"lv", "lav", "lav"}, {"lt", "lit", "lit"},
                {"mt", "mlt", "mlt"}, {"pl", "pol", "pol"}, {"pt", "por", "por"}, {"ro", "rum", "ron"},
                {"sk", "slo", "slk"}, {"sl", "slv", "slv"}, {"es", "spa", "spa"}, {"sv", "swe", "swe"},
        };
        for (size_t i = 0; i < FD_ELEMENTSOF(eu); i++)
                for (size_t k = 0; k < 3; k++)
                        LANG(eu[i][k], eu[i][0]);
        /* withdrawn codes and 639-2 languages without a 639-1 code */
        LANG("iw", "he");
        LANG("scc", "sr");
        LANG("mol", "ro");
        LANG("grc", "grc");
        LANG("mul", "mul");
}
END_TEST

START_TEST(test_lang_names) {
        LANG("English", "en");
        LANG("english", "en");
        LANG("ENGLISH", "en");
        LANG("German", "de");
        LANG("Deutsch", "de");
        LANG("French", "fr");
        LANG("français", "fr");
        LANG("Français", "fr");
        LANG("FRANÇAIS", "fr");
        LANG("francais", "fr");
        LANG("Spanish", "es");
        LANG("Castilian", "es");
        /* ISO 639-2's joined names of one language */
        LANG("Spanish, Castilian", "es");
        LANG("Spanish; Castilian", "es");
        LANG("Dutch; Flemish", "nl");
        LANG(" dutch ,  flemish ", "nl");
        LANG("English, French", NULL);  /* two languages, not one */
        LANG("Spanish, Klingon", NULL);
        LANG(",", NULL);
        LANG("español", "es");
        LANG("Italian", "it");
        LANG("Dutch", "nl");
        LANG("Flemish", "nl");
        LANG("Nederlands", "nl");
        LANG("Norwegian", "no");
        LANG("Norwegian Bokmål", "nb");
        LANG("Bokmål", "nb");
        LANG("Norwegian Nynorsk", "nn");
        LANG("nynorsk", "nn");
        LANG("Icelandic", "is");
        LANG("íslenska", "is");
        LANG("Catalan", "ca");
        LANG("Valencian", "ca");
        LANG("català", "ca");
        LANG("Basque", "eu");
        LANG("euskara", "eu");
        LANG("Galician", "gl");
        LANG("galego", "gl");
        LANG("Welsh", "cy");
        LANG("Cymraeg", "cy");
        LANG("Serbian", "sr");
        LANG("српски", "sr");
        LANG("Ukrainian", "uk");
        LANG("українська", "uk");
        LANG("Russian", "ru");
        LANG("Русский", "ru");
        LANG("Turkish", "tr");
        LANG("Türkçe", "tr");
        LANG("Latin", "la");
        LANG("Chinese", "zh");
        LANG("中文", "zh");
        LANG("Japanese", "ja");
        LANG("日本語", "ja");
        LANG("Arabic", "ar");
        LANG("العربية", "ar");
        LANG("Greek", "el");
        LANG("Greek, Modern (1453-)", "el");
        LANG("ελληνικά", "el");
        LANG("ΕΛΛΗΝΙΚΑ", "el");
        LANG("Czech", "cs");
        LANG("čeština", "cs");
        LANG("ČEŠTINA", "cs");
        LANG("Polish", "pl");
        LANG("polski", "pl");
        LANG("Slovenian", "sl");
        LANG("Slovene", "sl");
        LANG("slovenščina", "sl");
        LANG("Irish", "ga");
        LANG("Gaeilge", "ga");
        LANG("Maltese", "mt");
        LANG("Romanian", "ro");
        LANG("română", "ro");
        LANG("Swedish", "sv");
        LANG("svenska", "sv");
        LANG("Finnish", "fi");
        LANG("suomi", "fi");
        LANG("Hungarian", "hu");
        LANG("magyar", "hu");
        LANG("Estonian", "et");
        LANG("Latvian", "lv");
        LANG("Lithuanian", "lt");
        LANG("Croatian", "hr");
        LANG("Bulgarian", "bg");
        LANG("български", "bg");
        LANG("Danish", "da");
        LANG("Portuguese", "pt");
        LANG("português", "pt");
        LANG("Slovak", "sk");
        LANG("  English  ", "en");
        LANG("Ancient Greek", "grc");
}
END_TEST

START_TEST(test_lang_tags) {
        LANG("en-GB", "en-GB");
        LANG("en_GB", "en-GB");
        LANG("en-gb", "en-GB");
        LANG("en_gb", "en-GB");
        LANG("EN-GB", "en-GB");
        LANG("en_US", "en-US");
        LANG("eng-GB", "en-GB");
        LANG("zh-Hans", "zh-Hans");
        LANG("zh-hans", "zh-Hans");
        LANG("zh-HANS-cn", "zh-Hans-CN");
        LANG("sr-Latn", "sr-Latn");
        LANG("sr_latn_rs", "sr-Latn-RS");
        LANG("pt-BR", "pt-BR");
        LANG("pt-br", "pt-BR");
        LANG("es-419", "es-419");
        LANG("de-DE-1996", "de-DE-1996");
        LANG("sl-rozaj", "sl-rozaj");
        LANG("zh-yue", "zh-yue");
        LANG("en-x-Foo", "en-x-foo");
        LANG("de-CH-x-phonebk", "de-CH-x-phonebk");
}
END_TEST

START_TEST(test_lang_rejects) {
        char out[4];

        LANG("und", NULL);
        LANG("zxx", NULL);
        LANG("xx", NULL);
        LANG("other", NULL);
        LANG("English (UK)", NULL);
        LANG("eng; ger", NULL);
        LANG("en-", NULL);
        LANG("-en", NULL);
        LANG("en--GB", NULL);
        LANG("en-GB-US", NULL);
        LANG("en-toolongsubtag", NULL);
        LANG("x-default", NULL);
        LANG("e", NULL);
        LANG("", NULL);
        LANG(NULL, NULL);
        LANG("Klingon", NULL);
        ck_assert(fd_lang_normalize("en", out, sizeof out));
        ck_assert(!fd_lang_normalize("en-GB", out, sizeof out));
        ck_assert_str_eq(out, "");
        ck_assert(!fd_lang_normalize("en", out, 0));
}
END_TEST

/* ---- dates ------------------------------------------------------------------ */

START_TEST(test_date_iso) {
        DATE("2019", YEAR, "2019");
        DATE("2019-03", MONTH, "2019-03");
        DATE("2019-03-14", DAY, "2019-03-14");
        DATE(" 2019-03-14\n", DAY, "2019-03-14");
        DATE("2019/03/14", DAY, "2019-03-14");
        DATE("2019.03.14", DAY, "2019-03-14");
        DATE("2019-3-4", DAY, "2019-03-04");
        DATE("2019/03", MONTH, "2019-03");
        DATE("20190314", DAY, "2019-03-14");
        DATE("0001", YEAR, "0001");
        DATE("0001-01-01", DAY, "0001-01-01");
        DATE("9999-12-31", DAY, "9999-12-31");
        DATE("2020-02-29", DAY, "2020-02-29");
        DATE("2000-02-29", DAY, "2000-02-29");
}
END_TEST

START_TEST(test_date_day_first) {
        DATE("14/03/2019", DAY, "2019-03-14");
        DATE("14.03.2019", DAY, "2019-03-14");
        DATE("14-03-2019", DAY, "2019-03-14");
        DATE("1.3.2019", DAY, "2019-03-01");
        DATE("01/02/2019", DAY, "2019-02-01");
        /* only one reading is possible */
        DATE("03/14/2019", DAY, "2019-03-14");
        DATE("03/2019", MONTH, "2019-03");
        DATE("3.2019", MONTH, "2019-03");
        DATE("14/03/2019 10:20:30", SECOND, "2019-03-14T10:20:30Z");
        DATE("14/13/2019", NONE, "");
        DATE("14/03.2019", NONE, "");
        DATE("14/03/19", NONE, "");
}
END_TEST

START_TEST(test_date_times) {
        DATE("2019-03-14 10:20:30", SECOND, "2019-03-14T10:20:30Z");
        DATE("2011-03-26 19:16:19", SECOND, "2011-03-26T19:16:19Z");
        DATE("2019-03-14T10:20:30Z", SECOND, "2019-03-14T10:20:30Z");
        DATE("2019-03-14t10:20:30z", SECOND, "2019-03-14T10:20:30Z");
        DATE("2019-03-14T10:20:30.123Z", SECOND, "2019-03-14T10:20:30Z");
        DATE("2019-03-14T10:20:30,5Z", SECOND, "2019-03-14T10:20:30Z");
        DATE("2019-03-14T10:20:30.123456+01:00", SECOND, "2019-03-14T09:20:30Z");
        DATE("2019-03-14T10:20:30+01:00", SECOND, "2019-03-14T09:20:30Z");
        DATE("2019-03-14T10:20:30+0100", SECOND, "2019-03-14T09:20:30Z");
        DATE("2019-03-14T10:20:30+01", SECOND, "2019-03-14T09:20:30Z");
        DATE("2019-03-14T10:20:30-05:00", SECOND, "2019-03-14T15:20:30Z");
        DATE("2019-03-14T10:20:30+05:30", SECOND, "2019-03-14T04:50:30Z");
        DATE("2023-03-30T16:02:12+05:45", SECOND, "2023-03-30T10:17:12Z");
        DATE("2019-03-14 10:20:30 UTC", SECOND, "2019-03-14T10:20:30Z");
        DATE("2019-03-14T10:20", SECOND, "2019-03-14T10:20:00Z");
        /* the offset moves the date across day, month, year and leap day */
        DATE("2019-03-14T00:20:30+01:00", SECOND, "2019-03-13T23:20:30Z");
        DATE("2019-01-01T00:30:00+01:00", SECOND, "2018-12-31T23:30:00Z");
        DATE("2018-12-31T23:30:00-01:00", SECOND, "2019-01-01T00:30:00Z");
        DATE("2020-03-01T00:00:00+00:01", SECOND, "2020-02-29T23:59:00Z");
        DATE("2016-12-31T23:59:60Z", SECOND, "2016-12-31T23:59:59Z");
        DATE("0001-01-01T00:30:00+01:00", NONE, "");
        DATE("9999-12-31T23:30:00-01:00", NONE, "");
        DATE("2019-03-14T24:00:00Z", NONE, "");
        DATE("2019-03-14T10:60:00Z", NONE, "");
        DATE("2019-03-14T10:20:30+19:00", NONE, "");
        DATE("2019-03-14T", NONE, "");
        DATE("2019-03-14T10", NONE, "");
        DATE("2019-03-14T10:20:30.Z", NONE, "");
        DATE("2019-03-14T10:20:30Zjunk", NONE, "");
}
END_TEST

START_TEST(test_date_names) {
        DATE("March 2019", MONTH, "2019-03");
        DATE("Mar 2019", MONTH, "2019-03");
        DATE("Mar. 2019", MONTH, "2019-03");
        DATE("march, 2019", MONTH, "2019-03");
        DATE("SEPT 2019", MONTH, "2019-09");
        DATE("14 March 2019", DAY, "2019-03-14");
        DATE("14 Mar 2019", DAY, "2019-03-14");
        DATE("14-Mar-2019", DAY, "2019-03-14");
        DATE("March 14, 2019", DAY, "2019-03-14");
        DATE("14. März 2019", DAY, "2019-03-14");
        DATE("1er mars 2019", NONE, "");
        DATE("1 mars 2019", DAY, "2019-03-01");
        DATE("31 décembre 2019", DAY, "2019-12-31");
        DATE("30 February 2019", NONE, "");
        DATE("Smarch 2019", NONE, "");
        DATE("March", NONE, "");
        DATE("March 19", NONE, "");
}
END_TEST

START_TEST(test_date_ranges) {
        DATE("2016-06-14T06:00:00Z/2016-07-05T06:18:54Z", SECOND, "2016-06-14T06:00:00Z");
        DATE("2016-06-14T06:00:00Z/2016-07-05", SECOND, "2016-06-14T06:00:00Z");
        DATE("2024-01-01/2024-12-31", DAY, "2024-01-01");
        DATE("1987-10-01/2016-10-01", DAY, "1987-10-01");
        DATE("2019/..", YEAR, "2019");
        DATE("1850 - 1975", YEAR, "1850");
        DATE("1850 \xe2\x80\x93 1975", YEAR, "1850");
        DATE("2019-03-14--2019-04-01", DAY, "2019-03-14");
        DATE("2010-2012", YEAR, "2010");
        DATE("2012-2010", NONE, "");
        DATE("/2", NONE, "");
        DATE("/2019", NONE, "");
}
END_TEST

START_TEST(test_date_invalid) {
        char out[32];

        DATE("0000", NONE, "");
        DATE("2019-13", NONE, "");
        DATE("2019-00", NONE, "");
        DATE("2019-03-32", NONE, "");
        DATE("2019-03-00", NONE, "");
        DATE("2019-02-30", NONE, "");
        DATE("2019-02-29", NONE, "");
        DATE("1900-02-29", NONE, "");
        DATE("2019-04-31", NONE, "");
        DATE("2019-03-14 junk", NONE, "");
        DATE("2019-03/14", MONTH, "2019-03"); /* a range: its first part */
        DATE("201", NONE, "");
        DATE("12345", NONE, "");
        DATE("2019-", NONE, "");
        DATE("yesterday", NONE, "");
        DATE("", NONE, "");
        DATE(NULL, NONE, "");
        /* out too small for the result */
        ck_assert_int_eq(fd_date_normalize("2019-03-14", out, 10), FD_DATE_NONE);
        ck_assert_str_eq(out, "");
        ck_assert_int_eq(fd_date_normalize("2019-03-14", out, 11), FD_DATE_DAY);
        ck_assert_int_eq(fd_date_normalize("2019-03-14T10:20:30Z", out, 20), FD_DATE_NONE);
        ck_assert_int_eq(fd_date_normalize("2019-03-14T10:20:30Z", out, 21), FD_DATE_SECOND);
        ck_assert_int_eq(fd_date_normalize("2019", NULL, 0), FD_DATE_NONE);
}
END_TEST

/* ---- the fixture of real values ----------------------------------------- */

static enum fd_pid_scheme scheme_by_name(const char *s) {
        for (int i = 0; i < FD_PID_SCHEME_COUNT; i++)
                if (strcmp(fd_pid_scheme_name((enum fd_pid_scheme)i), s) == 0)
                        return (enum fd_pid_scheme)i;
        ck_abort_msg("unknown scheme '%s'", s);
        return FD_PID_NONE;
}

static void unescape(char *s) {
        char *o = s;
        for (char *p = s; *p; p++) {
                if (p[0] == '\\' && p[1] == 'n') {
                        *o++ = '\n';
                        p++;
                } else
                        *o++ = *p;
        }
        *o = '\0';
}

START_TEST(test_real_values) {
        char path[1024];
        snprintf(path, sizeof path, "%s/tests/fixtures/record/real_values.tsv", source_root());
        _fd_free_ char *text = slurp(path);
        ck_assert_msg(text != NULL, "cannot read %s (set FD_SOURCE_ROOT)", path);
        static const char *const precision[] = {"none", "year", "month", "day", "second"};
        int lines = 0;
        char *save = NULL;

        setup();
        for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char *f[4] = {0}, *s2 = NULL, out[512];
                int k = 0;
                if (line[0] == '#' || !line[0])
                        continue;
                for (char *t = strtok_r(line, "\t", &s2); t && k < 4; t = strtok_r(NULL, "\t", &s2))
                        f[k++] = t;
                ck_assert_msg(k == 4, "fixture line with %d fields: %s", k, line);
                unescape(f[1]);
                lines++;
                if (strcmp(f[0], "pid") == 0) {
                        enum fd_pid_scheme got = fd_pid_normalize(f[1], scheme_by_name(f[2]), out, sizeof out);
                        char have[600];
                        snprintf(have, sizeof have, got ? "%s %s" : "%s", fd_pid_scheme_name(got), out);
                        ck_assert_msg(strcmp(have, f[3]) == 0, "pid '%s': got '%s', want '%s'", f[1], have, f[3]);
                } else if (strcmp(f[0], "license") == 0) {
                        const char *got = fd_license_spdx(f[1]);
                        ck_assert_msg(strcmp(got ? got : "NULL", f[3]) == 0, "license '%s': got %s, want %s", f[1],
                                      got ? got : "NULL", f[3]);
                } else if (strcmp(f[0], "access") == 0) {
                        const char *got = fd_access_name(fd_access_parse(f[1]));
                        ck_assert_msg(strcmp(got, f[3]) == 0, "access '%s': got %s, want %s", f[1], got, f[3]);
                } else if (strcmp(f[0], "lang") == 0) {
                        bool ok = fd_lang_normalize(f[1], out, sizeof out);
                        ck_assert_msg(strcmp(ok ? out : "NULL", f[3]) == 0, "lang '%s': got %s, want %s", f[1],
                                      ok ? out : "NULL", f[3]);
                } else if (strcmp(f[0], "date") == 0) {
                        enum fd_date_precision p = fd_date_normalize(f[1], out, sizeof out);
                        char have[600];
                        snprintf(have, sizeof have, p ? "%s %s" : "%s", precision[p], out);
                        ck_assert_msg(strcmp(have, f[3]) == 0, "date '%s': got '%s', want '%s'", f[1], have, f[3]);
                } else if (strcmp(f[0], "type") == 0) {
                        const char *got = type_of(f[1]);
                        ck_assert_msg(strcmp(got ? got : "NULL", f[3]) == 0, "type '%s': got %s, want %s", f[1],
                                      got ? got : "NULL", f[3]);
                } else
                        ck_abort_msg("unknown kind '%s'", f[0]);
        }
        teardown();
        ck_assert_int_ge(lines, 90);
}
END_TEST

/* ---- the real files themselves (not run without shared/) ------------------- */

/* The next element <tag …>value</tag> after *pos: its attributes and value
 * (not entity-decoded) in caller buffers.  False at the end. */
static bool next_element(const char *doc, const char *tag, size_t *pos, char *attrs, size_t asz, char *value,
                         size_t vsz) {
        size_t tl = strlen(tag);
        const char *p = doc + *pos;

        while ((p = strchr(p, '<'))) {
                p++;
                if (strncmp(p, tag, tl) != 0 || (p[tl] != ' ' && p[tl] != '>' && p[tl] != '/')) {
                        continue;
                }
                const char *gt = strchr(p, '>');
                if (!gt)
                        return false;
                size_t al = (size_t)(gt - (p + tl));
                bool empty = gt > p && gt[-1] == '/';
                snprintf(attrs, asz, "%.*s", (int)al, p + tl);
                value[0] = '\0';
                if (!empty) {
                        char close[64];
                        snprintf(close, sizeof close, "</%s>", tag);
                        const char *end = strstr(gt + 1, close);
                        if (!end)
                                return false;
                        snprintf(value, vsz, "%.*s", (int)(end - gt - 1), gt + 1);
                }
                *pos = (size_t)(gt + 1 - doc);
                return true;
        }
        return false;
}

/* The value of attribute name in attrs, or NULL. */
static const char *attr(const char *attrs, const char *name, char *out, size_t outsz) {
        char key[64];
        snprintf(key, sizeof key, " %s=\"", name);
        const char *p = strstr(attrs, key);
        if (!p)
                return NULL;
        p += strlen(key);
        const char *q = strchr(p, '"');
        if (!q)
                return NULL;
        snprintf(out, outsz, "%.*s", (int)(q - p), p);
        return out;
}

START_TEST(test_shared_datacite_full) {
        _fd_free_ char *doc = shared_fixture("datacite_kernel4_full_example_all_properties.xml");
        char attrs[1024], value[1024], a1[256], a2[256], out[256];
        size_t pos = 0;
        int orcids = 0, spaced = 0, rors = 0, related = 0;

        setup();
        while (next_element(doc, "nameIdentifier", &pos, attrs, sizeof attrs, value, sizeof value)) {
                const char *scheme = attr(attrs, "nameIdentifierScheme", a1, sizeof a1);
                if (scheme && strcmp(scheme, "ORCID") == 0) {
                        spaced += value[0] == ' ';
                        ck_assert_int_eq(fd_pid_normalize(value, FD_PID_ORCID, out, sizeof out), FD_PID_ORCID);
                        ck_assert_str_eq(out, "0000-0001-5727-2427");
                        ck_assert_int_eq(fd_record_add_agent(rec, arena, true, "ExampleFamilyName, ExampleGivenName",
                                                             value, NULL, NULL, NULL),
                                         FD_OK);
                        orcids++;
                } else if (scheme && strcmp(scheme, "ROR") == 0) {
                        ck_assert_int_eq(fd_pid_normalize(value, FD_PID_ROR, out, sizeof out), FD_PID_ROR);
                        rors++;
                }
        }
        ck_assert_int_ge(orcids, 10);
        ck_assert_int_ge(spaced, 10);
        ck_assert_int_ge(rors, 3);
        /* the same person in many roles without a role here: one agent */
        ck_assert_uint_eq(rec->contributors.n, 1);
        ck_assert_str_eq(rec->contributors.v[0].orcid, "0000-0001-5727-2427");

        pos = 0;
        while (next_element(doc, "affiliation", &pos, attrs, sizeof attrs, value, sizeof value))
                if (attr(attrs, "affiliationIdentifier", a1, sizeof a1))
                        ck_assert_int_eq(fd_pid_normalize(a1, FD_PID_ROR, out, sizeof out), FD_PID_ROR);

        /* declared related identifier types of the schemes we know */
        pos = 0;
        while (next_element(doc, "relatedIdentifier", &pos, attrs, sizeof attrs, value, sizeof value)) {
                const char *type = attr(attrs, "relatedIdentifierType", a1, sizeof a1);
                enum fd_pid_scheme want = FD_PID_NONE;
                if (!type)
                        continue;
                if (strcmp(type, "DOI") == 0)
                        want = FD_PID_DOI;
                else if (strcmp(type, "ARK") == 0)
                        want = FD_PID_ARK;
                else if (strcmp(type, "Handle") == 0)
                        want = FD_PID_HANDLE;
                else if (strcmp(type, "URN") == 0)
                        want = FD_PID_URN;
                else if (strcmp(type, "URL") == 0 || strcmp(type, "PURL") == 0)
                        want = FD_PID_URL;
                if (want == FD_PID_NONE)
                        continue;
                ck_assert_msg(fd_pid_normalize(value, want, out, sizeof out) == want, "%s '%s'", type, value);
                related++;
        }
        ck_assert_int_ge(related, 20);

        pos = 0;
        ck_assert(next_element(doc, "rights", &pos, attrs, sizeof attrs, value, sizeof value));
        ck_assert_str_eq(fd_license_spdx(attr(attrs, "rightsURI", a1, sizeof a1)), attr(attrs, "rightsIdentifier", a2,
                                                                                        sizeof a2));
        ck_assert_str_eq(fd_license_spdx(value), "CC-BY-4.0");

        pos = 0;
        while (next_element(doc, "date", &pos, attrs, sizeof attrs, value, sizeof value))
                ck_assert_msg(fd_date_normalize(value, out, sizeof out) == FD_DATE_DAY, "date '%s'", value);
        pos = 0;
        while (next_element(doc, "relatedItem", &pos, attrs, sizeof attrs, value, sizeof value)) {
                const char *g = attr(attrs, "relatedItemType", a1, sizeof a1);
                ck_assert_str_eq(type_of(g), "Text");
        }
        teardown();
}
END_TEST

START_TEST(test_shared_oai_dc_quirks) {
        char attrs[1024], value[4096], a1[64], out[256];
        size_t pos = 0;

        {
                _fd_free_ char *doc = shared_fixture("b2find_inrae_dataverse_getrecord_oai_datacite_kernel41.xml");
                setup();
                while (next_element(doc, "rights", &pos, attrs, sizeof attrs, value, sizeof value))
                        ck_assert_int_eq(fd_record_add_rights(rec, arena, value,
                                                              attr(attrs, "rightsURI", a1, sizeof a1)),
                                         FD_OK);
                ck_assert_int_eq(rec->access, FD_ACCESS_OPEN);
                ck_assert_uint_eq(rec->licenses.n, 1);
                ck_assert_str_eq(rec->licenses.v[0].spdx, "CC-BY-2.0");
                ck_assert_str_eq(rec->licenses.v[0].text, "CC BY 2.0");
                pos = 0;
                ck_assert(next_element(doc, "identifier", &pos, attrs, sizeof attrs, value, sizeof value));
                ck_assert_int_eq(fd_record_add_identifier(rec, arena, value, FD_PID_NONE), FD_OK);
                ck_assert_str_eq(rec->doi, "10.15454/zzzxk8");
                teardown();
        }
        {
                _fd_free_ char *doc = shared_fixture("openaire_lit_v4_journalarticle_sample.xml");
                pos = 0;
                ck_assert(next_element(doc, "datacite:title", &pos, attrs, sizeof attrs, value, sizeof value));
                ck_assert(fd_lang_normalize(attr(attrs, "xml:lang", a1, sizeof a1), out, sizeof out));
                ck_assert_str_eq(out, "en");
                pos = 0;
                ck_assert(next_element(doc, "dc:language", &pos, attrs, sizeof attrs, value, sizeof value));
                ck_assert(fd_lang_normalize(value, out, sizeof out));
                ck_assert_str_eq(out, "en");
                pos = 0;
                ck_assert(next_element(doc, "licenseCondition", &pos, attrs, sizeof attrs, value, sizeof value));
                ck_assert_str_eq(fd_license_spdx(attr(attrs, "uri", a1, sizeof a1)), "CC-BY-NC-4.0");
                ck_assert_ptr_null(fd_license_spdx(value));
                pos = 0;
                ck_assert(next_element(doc, "datacite:rights", &pos, attrs, sizeof attrs, value, sizeof value));
                ck_assert_int_eq(fd_access_parse(attr(attrs, "rightsURI", a1, sizeof a1)), FD_ACCESS_OPEN);
                ck_assert_int_eq(fd_access_parse(value), FD_ACCESS_OPEN);
                pos = 0;
                ck_assert(next_element(doc, "resourceType", &pos, attrs, sizeof attrs, value, sizeof value));
                setup();
                ck_assert_str_eq(type_of(attr(attrs, "uri", a1, sizeof a1)), "JournalArticle");
                ck_assert_str_eq(type_of(value), "JournalArticle");
                teardown();
        }
        {
                _fd_free_ char *doc = shared_fixture("b2find_dara_gesis_oai_dc_multilang_de_en.xml");
                pos = 0;
                ck_assert(next_element(doc, "dc:language", &pos, attrs, sizeof attrs, value, sizeof value));
                ck_assert(fd_lang_normalize(value, out, sizeof out));
                ck_assert_str_eq(out, "de");
                setup();
                pos = 0;
                while (next_element(doc, "dc:identifier", &pos, attrs, sizeof attrs, value, sizeof value))
                        ck_assert_int_eq(fd_record_add_identifier(rec, arena, value, FD_PID_NONE), FD_OK);
                ck_assert_str_eq(rec->doi, "10.4232/1.11727");
                ck_assert_uint_eq(rec->identifiers.n, 2);
                ck_assert_int_eq(rec->identifiers.v[1].scheme, FD_PID_NONE);
                /* long rights statements mentioning CC0 are kept as text, no SPDX id */
                pos = 0;
                while (next_element(doc, "dc:rights", &pos, attrs, sizeof attrs, value, sizeof value))
                        ck_assert_int_eq(fd_record_add_rights(rec, arena, value, NULL), FD_OK);
                for (size_t i = 0; i < rec->licenses.n; i++)
                        ck_assert_ptr_null(rec->licenses.v[i].spdx);
                teardown();
        }
        {
                _fd_free_ char *doc = shared_fixture("vufindharvest_subjectsplus_listrecords_tz_offset_bad_baseurl.xml");
                pos = 0;
                ck_assert(next_element(doc, "dc:date", &pos, attrs, sizeof attrs, value, sizeof value));
                ck_assert_int_eq(fd_date_normalize(value, out, sizeof out), FD_DATE_SECOND);
                ck_assert_str_eq(out, "2011-03-26T19:16:19Z");
                pos = 0;
                ck_assert(next_element(doc, "responseDate", &pos, attrs, sizeof attrs, value, sizeof value));
                ck_assert_int_eq(fd_date_normalize(value, out, sizeof out), FD_DATE_SECOND);
                ck_assert_str_eq(out, "2023-03-30T10:17:12Z");
        }
        {
                _fd_free_ char *doc = shared_fixture("dataverse_datacite45_unav_placeholder_title.xml");
                setup();
                pos = 0;
                ck_assert(next_element(doc, "title", &pos, attrs, sizeof attrs, value, sizeof value));
                ck_assert_str_eq(value, ":unav");
                ck_assert_int_eq(fd_record_add_title(rec, arena, value, NULL), FD_OK);
                ck_assert_uint_eq(rec->titles.n, 0);
                pos = 0;
                while (next_element(doc, "rights", &pos, attrs, sizeof attrs, value, sizeof value))
                        ck_assert_int_eq(fd_record_add_rights(rec, arena, value,
                                                              attr(attrs, "rightsURI", a1, sizeof a1)),
                                         FD_OK);
                ck_assert_int_eq(rec->access, FD_ACCESS_OPEN);
                ck_assert_uint_eq(rec->licenses.n, 1);
                ck_assert_str_eq(rec->licenses.v[0].spdx, "CC0-1.0");
                ck_assert_str_eq(rec->licenses.v[0].url, "http://creativecommons.org/publicdomain/zero/1.0");
                teardown();
        }
        {
                _fd_free_ char *doc = shared_fixture("b2find_hzb_datacite45_missing_namespace.xml");
                setup();
                pos = 0;
                while (next_element(doc, "rights", &pos, attrs, sizeof attrs, value, sizeof value))
                        ck_assert_int_eq(fd_record_add_rights(rec, arena, value, NULL), FD_OK);
                /* the name and the URL (between newlines) are one license */
                ck_assert_uint_eq(rec->licenses.n, 1);
                ck_assert_str_eq(rec->licenses.v[0].spdx, "CC0-1.0");
                ck_assert_str_eq(rec->licenses.v[0].text, "Creative Commons Zero v1.0 Universal");
                ck_assert_str_eq(rec->licenses.v[0].url, "https://creativecommons.org/publicdomain/zero/1.0/");
                /* the resource's identifier, not the OAI header's UUID */
                pos = 0;
                do
                        ck_assert(next_element(doc, "identifier", &pos, attrs, sizeof attrs, value,
                                               sizeof value));
                while (!attr(attrs, "identifierType", a1, sizeof a1));
                ck_assert_str_eq(a1, "Handle");
                ck_assert_int_eq(fd_record_add_identifier(rec, arena, value, FD_PID_HANDLE), FD_OK);
                ck_assert_int_eq(rec->identifiers.v[0].scheme, FD_PID_HANDLE);
                ck_assert_ptr_null(rec->doi);
                pos = 0;
                while (next_element(doc, "contributorName", &pos, attrs, sizeof attrs, value, sizeof value))
                        ck_assert_int_eq(fd_record_add_agent(rec, arena, true, value, NULL, NULL, NULL, "Other"),
                                         FD_OK);
                ck_assert_uint_eq(rec->contributors.n, 5);
                ck_assert_str_eq(rec->contributors.v[1].name, "Tucker, Gregory");
                ck_assert_str_eq(rec->contributors.v[4].name,
                                 "Helmholtz-Zentrum Berlin f\xc3\xbcr Materialien und Energie");
                teardown();
        }
}
END_TEST

/* ---- the record and its adders ------------------------------------------ */

START_TEST(test_clean_in) {
        ck_assert_str_eq(fd_text_clean_in(arena, "  a  b\t\nc  "), "a b c");
        ck_assert_str_eq(fd_text_clean_in(arena, "x"), "x");
        /* the already-clean fast path, and what must leave it */
        ck_assert_str_eq(fd_text_clean_in(arena, "one two three"), "one two three");
        ck_assert_str_eq(fd_text_clean_in(arena, "trailing "), "trailing");
        ck_assert_str_eq(fd_text_clean_in(arena, "a b  c"), "a b c");
        ck_assert_str_eq(fd_text_clean_in(arena, "a b\tc"), "a b c");
        ck_assert_str_eq(fd_text_clean_in(arena, "a \xc2\xa0" "b"), "a b");
        ck_assert_str_eq(fd_text_clean_in(arena, "Gr\xc3\xbc\xc3\x9f" "e \xc3\x82" "ge"), "Gr\xc3\xbc\xc3\x9f" "e \xc3\x82" "ge");
        ck_assert_str_eq(fd_text_clean_in(arena, "\xc2\xa0 no\xc2\xa0" "break \xc2\xa0"), "no break");
        ck_assert_str_eq(fd_text_clean_in(arena, "ctl\x01\x1b" "chars"), "ctl chars");
        ck_assert_str_eq(fd_text_clean_in(arena, "Kreyßig,  Andreas"), "Kreyßig, Andreas");
        ck_assert_ptr_null(fd_text_clean_in(arena, ""));
        ck_assert_ptr_null(fd_text_clean_in(arena, " \t\r\n "));
        ck_assert_ptr_null(fd_text_clean_in(arena, NULL));
        /* the result lives in the arena */
        size_t before = fd_arena_used(arena);
        ck_assert_ptr_nonnull(fd_text_clean_in(arena, "abc"));
        ck_assert_uint_gt(fd_arena_used(arena), before);
}
END_TEST

START_TEST(test_add_texts) {
        ck_assert_int_eq(fd_record_add_title(rec, arena, "  Example\n  Title ", "EN"), FD_OK);
        ck_assert_int_eq(fd_record_add_title(rec, arena, "Example Title", "en"), FD_OK);  /* duplicate */
        ck_assert_int_eq(fd_record_add_title(rec, arena, "Example Title", "eng"), FD_OK); /* same after normalizing */
        ck_assert_int_eq(fd_record_add_title(rec, arena, "Example Title", "fr"), FD_OK);  /* other language */
        ck_assert_int_eq(fd_record_add_title(rec, arena, "Example Title", NULL), FD_OK);
        ck_assert_int_eq(fd_record_add_title(rec, arena, "Titre", "klingon"), FD_OK); /* language dropped */
        static const char *const junk[] = {
                ":unav", ":unkn", ":none", ":null", ":tba", ":etal", ":UNAV", "(:unav)", "(:unas)", " :unkn ",
                "", "   ", "-", "...", NULL,
        };
        for (size_t i = 0; i < FD_ELEMENTSOF(junk); i++)
                ck_assert_int_eq(fd_record_add_title(rec, arena, junk[i], "en"), FD_OK);
        ck_assert_uint_eq(rec->titles.n, 4);
        ck_assert_str_eq(rec->titles.v[0].value, "Example Title");
        ck_assert_str_eq(rec->titles.v[0].lang, "en");
        ck_assert_str_eq(rec->titles.v[1].lang, "fr");
        ck_assert_ptr_null(rec->titles.v[2].lang);
        ck_assert_str_eq(rec->titles.v[3].value, "Titre");
        ck_assert_ptr_null(rec->titles.v[3].lang);
        /* a placeholder inside real text is text */
        ck_assert_int_eq(fd_record_add_title(rec, arena, ":unav draft", NULL), FD_OK);
        ck_assert_uint_eq(rec->titles.n, 5);

        ck_assert_int_eq(fd_record_add_description(rec, arena, "Abstract.", "de-de"), FD_OK);
        ck_assert_int_eq(fd_record_add_description(rec, arena, "Abstract.", "de-DE"), FD_OK);
        ck_assert_uint_eq(rec->descriptions.n, 1);
        ck_assert_str_eq(rec->descriptions.v[0].lang, "de-DE");
}
END_TEST

START_TEST(test_add_agents) {
        ck_assert_int_eq(fd_record_add_agent(rec, arena, false, " Ritter,  Sylvester ", " https://orcid.org/0000-0002-1825-0097",
                                             "WWF", "https://ror.org/05dxps055", NULL),
                         FD_OK);
        ck_assert_uint_eq(rec->creators.n, 1);
        ck_assert_str_eq(rec->creators.v[0].name, "Ritter, Sylvester");
        ck_assert_str_eq(rec->creators.v[0].orcid, "0000-0002-1825-0097");
        ck_assert_str_eq(rec->creators.v[0].affiliation, "WWF");
        ck_assert_str_eq(rec->creators.v[0].ror, "05dxps055");
        ck_assert_ptr_null(rec->creators.v[0].role);
        /* the same again in another spelling: a duplicate */
        ck_assert_int_eq(fd_record_add_agent(rec, arena, false, "Ritter, Sylvester", "0000-0002-1825-0097", "WWF",
                                             "05dxps055", NULL),
                         FD_OK);
        ck_assert_uint_eq(rec->creators.n, 1);
        /* invalid ORCID and non-ROR affiliation id dropped, the agent kept */
        ck_assert_int_eq(fd_record_add_agent(rec, arena, false, "Smith, Taylor", "0000-0002-1825-0098", ":unav",
                                             "https://isni.org/isni/0000000121032683", NULL),
                         FD_OK);
        ck_assert_uint_eq(rec->creators.n, 2);
        ck_assert_ptr_null(rec->creators.v[1].orcid);
        ck_assert_ptr_null(rec->creators.v[1].affiliation);
        ck_assert_ptr_null(rec->creators.v[1].ror);
        /* no usable name: dropped */
        ck_assert_int_eq(fd_record_add_agent(rec, arena, false, ":unav", "0000-0002-1825-0097", NULL, NULL, NULL),
                         FD_OK);
        ck_assert_int_eq(fd_record_add_agent(rec, arena, false, "  ", NULL, NULL, NULL, NULL), FD_OK);
        ck_assert_int_eq(fd_record_add_agent(rec, arena, false, NULL, NULL, NULL, NULL, NULL), FD_OK);
        ck_assert_uint_eq(rec->creators.n, 2);
        /* contributors are their own list; roles tell them apart */
        ck_assert_int_eq(fd_record_add_agent(rec, arena, true, "INRA", NULL, NULL, NULL, "Distributor"), FD_OK);
        ck_assert_int_eq(fd_record_add_agent(rec, arena, true, "INRA", NULL, NULL, NULL, "ContactPerson"), FD_OK);
        ck_assert_int_eq(fd_record_add_agent(rec, arena, true, "INRA", NULL, NULL, NULL, "Distributor"), FD_OK);
        ck_assert_uint_eq(rec->contributors.n, 2);
        ck_assert_str_eq(rec->contributors.v[1].role, "ContactPerson");
        ck_assert_uint_eq(rec->creators.n, 2);
}
END_TEST

START_TEST(test_add_subjects_dates) {
        ck_assert_int_eq(fd_record_add_subject(rec, arena, "Snow", NULL, NULL), FD_OK);
        ck_assert_int_eq(fd_record_add_subject(rec, arena, " Snow ", NULL, NULL), FD_OK);
        ck_assert_int_eq(fd_record_add_subject(rec, arena, "620", "DDC", "https://www.oclc.org/de/dewey.html"), FD_OK);
        ck_assert_int_eq(fd_record_add_subject(rec, arena, "620", NULL, NULL), FD_OK);
        ck_assert_int_eq(fd_record_add_subject(rec, arena, ":unav", "DDC", NULL), FD_OK);
        ck_assert_uint_eq(rec->subjects.n, 3);
        ck_assert_str_eq(rec->subjects.v[1].scheme, "DDC");
        ck_assert_str_eq(rec->subjects.v[1].uri, "https://www.oclc.org/de/dewey.html");

        ck_assert_int_eq(fd_record_add_date(rec, arena, "2018", "Issued"), FD_OK);
        ck_assert_int_eq(fd_record_add_date(rec, arena, "2017-05-08", "Created"), FD_OK);
        ck_assert_int_eq(fd_record_add_date(rec, arena, "08.05.2017", "created"), FD_OK); /* duplicate */
        ck_assert_int_eq(fd_record_add_date(rec, arena, "2020-07-27T13:01:09+02:00", "Submitted"), FD_OK);
        ck_assert_int_eq(fd_record_add_date(rec, arena, "/2", "Available"), FD_OK);     /* dropped */
        ck_assert_int_eq(fd_record_add_date(rec, arena, ":unav", "Available"), FD_OK);  /* dropped */
        ck_assert_int_eq(fd_record_add_date(rec, arena, "2019-06-01", NULL), FD_OK);
        ck_assert_int_eq(fd_record_add_date(rec, arena, "2019-06-01", ":unav"), FD_OK); /* duplicate */
        ck_assert_int_eq(fd_record_add_date(rec, arena, NULL, "Issued"), FD_OK);
        ck_assert_uint_eq(rec->dates.n, 4);
        ck_assert_str_eq(rec->dates.v[0].value, "2018");
        ck_assert_str_eq(rec->dates.v[0].type, "issued");
        ck_assert_int_eq(rec->dates.v[0].precision, FD_DATE_YEAR);
        ck_assert_str_eq(rec->dates.v[1].type, "created");
        ck_assert_int_eq(rec->dates.v[1].precision, FD_DATE_DAY);
        ck_assert_str_eq(rec->dates.v[2].value, "2020-07-27T11:01:09Z");
        ck_assert_int_eq(rec->dates.v[2].precision, FD_DATE_SECOND);
        ck_assert_ptr_null(rec->dates.v[3].type);

        /* OpenAIRE's embargo end date */
        ck_assert_int_eq(fd_record_add_date(rec, arena, "info:eu-repo/date/embargoEnd/2025-01-31", NULL), FD_OK);
        ck_assert_int_eq(fd_record_add_date(rec, arena, "info:eu-repo/date/embargoEnd/2026-01-31", NULL), FD_OK);
        ck_assert_str_eq(rec->embargo_end, "2025-01-31");
        ck_assert_uint_eq(rec->dates.n, 4);
}
END_TEST

START_TEST(test_add_identifiers) {
        ck_assert_int_eq(fd_record_add_identifier(rec, arena, "https://research.example.org/record/5580", FD_PID_NONE),
                         FD_OK);
        ck_assert_ptr_null(rec->doi);
        ck_assert_int_eq(fd_record_add_identifier(rec, arena, "https://doi.org/10.15479/AT:ISTA:92", FD_PID_NONE),
                         FD_OK);
        ck_assert_str_eq(rec->doi, "10.15479/at:ista:92");
        /* the same DOI in other spellings: duplicates */
        ck_assert_int_eq(fd_record_add_identifier(rec, arena, "doi:10.15479/at:ista:92", FD_PID_NONE), FD_OK);
        ck_assert_int_eq(fd_record_add_identifier(
                                 rec, arena, "info:eu-repo/semantics/altIdentifier/doi/10.15479/AT:ISTA:92", FD_PID_NONE),
                         FD_OK);
        /* a second DOI does not replace the first */
        ck_assert_int_eq(fd_record_add_identifier(rec, arena, "10.1000/other", FD_PID_DOI), FD_OK);
        ck_assert_str_eq(rec->doi, "10.15479/at:ista:92");
        /* unrecognized values are kept raw, placeholders and junk dropped */
        ck_assert_int_eq(fd_record_add_identifier(rec, arena, "  ZA-No.:  ZA8535 ", FD_PID_NONE), FD_OK);
        ck_assert_int_eq(fd_record_add_identifier(rec, arena, ":unav", FD_PID_DOI), FD_OK);
        ck_assert_int_eq(fd_record_add_identifier(rec, arena, "-", FD_PID_NONE), FD_OK);
        ck_assert_int_eq(fd_record_add_identifier(rec, arena, "0000-0002-1825-0098", FD_PID_NONE), FD_OK);
        ck_assert_uint_eq(rec->identifiers.n, 5);
        ck_assert_int_eq(rec->identifiers.v[0].scheme, FD_PID_URL);
        ck_assert_int_eq(rec->identifiers.v[1].scheme, FD_PID_DOI);
        ck_assert_ptr_eq(rec->identifiers.v[1].value, rec->doi);
        ck_assert_int_eq(rec->identifiers.v[2].scheme, FD_PID_DOI);
        ck_assert_str_eq(rec->identifiers.v[3].value, "ZA-No.: ZA8535");
        ck_assert_int_eq(rec->identifiers.v[3].scheme, FD_PID_NONE);
        ck_assert_str_eq(rec->identifiers.v[4].value, "0000-0002-1825-0098");
        ck_assert_int_eq(rec->identifiers.v[4].scheme, FD_PID_NONE);
}
END_TEST

START_TEST(test_add_rights) {
        /* inrae: access URI alone, then free text */
        ck_assert_int_eq(fd_record_add_rights(rec, arena, NULL, "info:eu-repo/semantics/openAccess"), FD_OK);
        ck_assert_int_eq(rec->access, FD_ACCESS_OPEN);
        ck_assert_uint_eq(rec->licenses.n, 0);
        ck_assert_int_eq(fd_record_add_rights(rec, arena, "CC BY 2.0", NULL), FD_OK);
        ck_assert_uint_eq(rec->licenses.n, 1);
        ck_assert_str_eq(rec->licenses.v[0].spdx, "CC-BY-2.0");
        ck_assert_str_eq(rec->licenses.v[0].text, "CC BY 2.0");
        ck_assert_ptr_null(rec->licenses.v[0].url);
        /* the first access right wins */
        ck_assert_int_eq(fd_record_add_rights(rec, arena, "Embargoed Access", NULL), FD_OK);
        ck_assert_int_eq(rec->access, FD_ACCESS_OPEN);
        ck_assert_uint_eq(rec->licenses.n, 1);
        /* text and URI of one license */
        ck_assert_int_eq(fd_record_add_rights(rec, arena, "Creative Commons Attribution 4.0 International",
                                              "https://creativecommons.org/licenses/by/4.0/"),
                         FD_OK);
        ck_assert_uint_eq(rec->licenses.n, 2);
        ck_assert_str_eq(rec->licenses.v[1].url, "https://creativecommons.org/licenses/by/4.0/");
        ck_assert_str_eq(rec->licenses.v[1].spdx, "CC-BY-4.0");
        ck_assert_str_eq(rec->licenses.v[1].text, "Creative Commons Attribution 4.0 International");
        /* the same license again in other words: no second entry */
        ck_assert_int_eq(fd_record_add_rights(rec, arena, "CC-BY-4.0", NULL), FD_OK);
        ck_assert_int_eq(fd_record_add_rights(rec, arena, NULL, "http://creativecommons.org/licenses/by/4.0"), FD_OK);
        ck_assert_uint_eq(rec->licenses.n, 2);
        /* no SPDX id: kept as text, or as url when it is one */
        ck_assert_int_eq(fd_record_add_rights(rec, arena, "All rights reserved", NULL), FD_OK);
        ck_assert_int_eq(fd_record_add_rights(rec, arena, "All  rights reserved", NULL), FD_OK);
        ck_assert_int_eq(fd_record_add_rights(rec, arena, NULL, "http://rightsstatements.org/vocab/InC/1.0/"), FD_OK);
        ck_assert_uint_eq(rec->licenses.n, 4);
        ck_assert_ptr_null(rec->licenses.v[2].spdx);
        ck_assert_str_eq(rec->licenses.v[2].text, "All rights reserved");
        ck_assert_ptr_null(rec->licenses.v[2].url);
        ck_assert_str_eq(rec->licenses.v[3].url, "http://rightsstatements.org/vocab/InC/1.0/");
        ck_assert_ptr_null(rec->licenses.v[3].text);
        /* access URI with a license text: access set elsewhere, the text is a license */
        ck_assert_int_eq(fd_record_add_rights(rec, arena, "CC0 1.0 Universal", "info:eu-repo/semantics/openAccess"),
                         FD_OK);
        ck_assert_uint_eq(rec->licenses.n, 5);
        ck_assert_str_eq(rec->licenses.v[4].spdx, "CC0-1.0");
        ck_assert_ptr_null(rec->licenses.v[4].url);
        /* an SPDX id written as the URI */
        ck_assert_int_eq(fd_record_add_rights(rec, arena, NULL, "MIT"), FD_OK);
        ck_assert_str_eq(rec->licenses.v[5].spdx, "MIT");
        ck_assert_str_eq(rec->licenses.v[5].text, "MIT");
        ck_assert_ptr_null(rec->licenses.v[5].url);
        /* nothing usable */
        ck_assert_int_eq(fd_record_add_rights(rec, arena, NULL, NULL), FD_OK);
        ck_assert_int_eq(fd_record_add_rights(rec, arena, ":unav", " "), FD_OK);
        ck_assert_uint_eq(rec->licenses.n, 6);
}
END_TEST

START_TEST(test_add_rights_access_only) {
        struct fd_record *r = fd_record_new_in(arena);
        ck_assert_int_eq(fd_record_add_rights(r, arena, "OpenAccess", "info:eu-repo/semantics/openAccess"), FD_OK);
        ck_assert_int_eq(r->access, FD_ACCESS_OPEN);
        ck_assert_uint_eq(r->licenses.n, 0);
        r = fd_record_new_in(arena);
        ck_assert_int_eq(fd_record_add_rights(r, arena, "open access", "http://purl.org/coar/access_right/c_abf2"),
                         FD_OK);
        ck_assert_int_eq(r->access, FD_ACCESS_OPEN);
        ck_assert_uint_eq(r->licenses.n, 0);
        r = fd_record_new_in(arena);
        ck_assert_int_eq(fd_record_add_rights(r, arena, "Embargoed Access", NULL), FD_OK);
        ck_assert_int_eq(fd_record_add_rights(r, arena, NULL, "info:eu-repo/semantics/openAccess"), FD_OK);
        ck_assert_int_eq(r->access, FD_ACCESS_EMBARGOED);
        r = fd_record_new_in(arena);
        ck_assert_int_eq(fd_record_add_rights(r, arena, NULL,
                                              "http://publications.europa.eu/resource/authority/access-right/RESTRICTED"),
                         FD_OK);
        ck_assert_int_eq(r->access, FD_ACCESS_RESTRICTED);
        ck_assert_uint_eq(r->licenses.n, 0);
}
END_TEST

START_TEST(test_add_strs) {
        ck_assert_int_eq(fd_record_add_language(rec, arena, "eng"), FD_OK);
        ck_assert_int_eq(fd_record_add_language(rec, arena, "English"), FD_OK);
        ck_assert_int_eq(fd_record_add_language(rec, arena, "en"), FD_OK);
        ck_assert_int_eq(fd_record_add_language(rec, arena, "German"), FD_OK);
        ck_assert_int_eq(fd_record_add_language(rec, arena, "en_GB"), FD_OK);
        ck_assert_int_eq(fd_record_add_language(rec, arena, "other"), FD_OK);
        ck_assert_int_eq(fd_record_add_language(rec, arena, NULL), FD_OK);
        ck_assert_uint_eq(rec->languages.n, 3);
        ck_assert_str_eq(rec->languages.v[0], "en");
        ck_assert_str_eq(rec->languages.v[1], "de");
        ck_assert_str_eq(rec->languages.v[2], "en-GB");

        ck_assert_int_eq(fd_record_add_format(rec, arena, "application/zip"), FD_OK);
        ck_assert_int_eq(fd_record_add_format(rec, arena, " application/zip "), FD_OK);
        ck_assert_int_eq(fd_record_add_format(rec, arena, "PDF"), FD_OK);
        ck_assert_int_eq(fd_record_add_format(rec, arena, ":unav"), FD_OK);
        ck_assert_uint_eq(rec->formats.n, 2);

        ck_assert_int_eq(fd_record_add_url(rec, arena, "https://example.org/landing", false), FD_OK);
        ck_assert_int_eq(fd_record_add_url(rec, arena, "https://example.org/landing ", false), FD_OK);
        ck_assert_int_eq(fd_record_add_url(rec, arena, "https://example.org/file.zip", true), FD_OK);
        ck_assert_int_eq(fd_record_add_url(rec, arena, "ftp://example.org/file.zip", true), FD_OK);
        ck_assert_int_eq(fd_record_add_url(rec, arena, "http:http://182.93.84.135/sp1/guide.php?id=1", false), FD_OK);
        ck_assert_int_eq(fd_record_add_url(rec, arena, "https://example.org/a b", false), FD_OK);
        ck_assert_int_eq(fd_record_add_url(rec, arena, "landing page", false), FD_OK);
        ck_assert_uint_eq(rec->urls.n, 1);
        ck_assert_uint_eq(rec->download_urls.n, 2);
        ck_assert_str_eq(rec->download_urls.v[1], "ftp://example.org/file.zip");
}
END_TEST

START_TEST(test_add_related_funding) {
        ck_assert_int_eq(fd_record_add_related(rec, arena, "10.5194/tc-11-2329-2017", FD_PID_DOI, "IsSupplementTo"),
                         FD_OK);
        ck_assert_int_eq(fd_record_add_related(rec, arena, "https://doi.org/10.5194/TC-11-2329-2017", FD_PID_NONE,
                                               "IsSupplementTo"),
                         FD_OK);
        ck_assert_int_eq(fd_record_add_related(rec, arena, "10.5194/tc-11-2329-2017", FD_PID_DOI, "Cites"), FD_OK);
        ck_assert_int_eq(fd_record_add_related(rec, arena, "0947-6539", FD_PID_NONE, "IsPartOf"), FD_OK);
        ck_assert_int_eq(fd_record_add_related(rec, arena, "ark:/13030/tqb3kh97gh8w", FD_PID_ARK, NULL), FD_OK);
        ck_assert_int_eq(fd_record_add_related(rec, arena, ":unav", FD_PID_DOI, "Cites"), FD_OK);
        ck_assert_uint_eq(rec->related.n, 4);
        ck_assert_str_eq(rec->related.v[0].value, "10.5194/tc-11-2329-2017");
        ck_assert_str_eq(rec->related.v[1].relation, "Cites");
        ck_assert_int_eq(rec->related.v[2].scheme, FD_PID_NONE);
        ck_assert_int_eq(rec->related.v[3].scheme, FD_PID_ARK);
        ck_assert_ptr_null(rec->related.v[3].relation);
        /* related identifiers are not the record's DOI */
        ck_assert_ptr_null(rec->doi);

        ck_assert_int_eq(fd_record_add_funding(rec, arena, "European Commission", "http://dx.doi.org/10.13039/501100000780",
                                               "660668", "ACT against AMR"),
                         FD_OK);
        ck_assert_int_eq(fd_record_add_funding(rec, arena, "European Commission", "10.13039/501100000780", "660668",
                                               "ACT against AMR"),
                         FD_OK);
        ck_assert_int_eq(fd_record_add_funding(rec, arena, "Example Funder", "501100000780", " 12345 ", NULL), FD_OK);
        ck_assert_int_eq(fd_record_add_funding(rec, arena, "Univ", "https://ror.org/05dxps055", NULL, NULL), FD_OK);
        ck_assert_int_eq(fd_record_add_funding(rec, arena, ":unav", "", NULL, "  "), FD_OK);
        ck_assert_uint_eq(rec->funding.n, 3);
        ck_assert_str_eq(rec->funding.v[0].funder_id, "https://doi.org/10.13039/501100000780");
        ck_assert_str_eq(rec->funding.v[1].funder_id, "501100000780");
        ck_assert_str_eq(rec->funding.v[1].award, "12345");
        ck_assert_ptr_null(rec->funding.v[1].award_title);
        ck_assert_str_eq(rec->funding.v[2].funder_id, "https://ror.org/05dxps055");
}
END_TEST

START_TEST(test_set_type) {
        static const char *const general[] = {
                "Audiovisual", "Book", "BookChapter", "Collection", "ComputationalNotebook", "ConferencePaper",
                "ConferenceProceeding", "DataPaper", "Dataset", "Dissertation", "Event", "Image", "Instrument",
                "InteractiveResource", "Journal", "JournalArticle", "Model", "OutputManagementPlan", "PeerReview",
                "PhysicalObject", "Preprint", "Report", "Service", "Software", "Sound", "Standard",
                "StudyRegistration", "Text", "Workflow", "Other",
        };
        for (size_t i = 0; i < FD_ELEMENTSOF(general); i++) {
                ck_assert_pstr_eq(type_of(general[i]), general[i]);
                char lower[64];
                size_t k;
                for (k = 0; general[i][k]; k++)
                        lower[k] = (char)(general[i][k] | 0x20);
                lower[k] = '\0';
                ck_assert_pstr_eq(type_of(lower), general[i]);
        }
        static const char *const map[][2] = {
                /* DCMI Type */
                {"text", "Text"}, {"Dataset", "Dataset"}, {"image", "Image"}, {"StillImage", "Image"},
                {"MovingImage", "Audiovisual"}, {"Sound", "Sound"}, {"Software", "Software"},
                {"Collection", "Collection"}, {"Event", "Event"}, {"InteractiveResource", "InteractiveResource"},
                {"Service", "Service"}, {"PhysicalObject", "PhysicalObject"},
                {"http://purl.org/dc/dcmitype/StillImage", "Image"}, {"http://purl.org/dc/dcmitype/Text", "Text"},
                {"dcmitype:Dataset", "Dataset"},
                /* info:eu-repo/semantics */
                {"info:eu-repo/semantics/article", "JournalArticle"},
                {"info:eu-repo/semantics/doctoralThesis", "Dissertation"},
                {"info:eu-repo/semantics/masterThesis", "Dissertation"},
                {"info:eu-repo/semantics/bachelorThesis", "Dissertation"},
                {"info:eu-repo/semantics/book", "Book"}, {"info:eu-repo/semantics/bookPart", "BookChapter"},
                {"info:eu-repo/semantics/conferenceObject", "ConferencePaper"},
                {"info:eu-repo/semantics/report", "Report"}, {"info:eu-repo/semantics/preprint", "Preprint"},
                {"info:eu-repo/semantics/workingPaper", "Preprint"}, {"info:eu-repo/semantics/lecture", "Text"},
                {"info:eu-repo/semantics/review", "Text"}, {"info:eu-repo/semantics/other", "Other"},
                {"INFO:EU-REPO/SEMANTICS/ARTICLE", "JournalArticle"},
                /* COAR */
                {"http://purl.org/coar/resource_type/c_6501", "JournalArticle"},
                {"http://purl.org/coar/resource_type/c_ddb1", "Dataset"},
                {"https://purl.org/coar/resource_type/c_5ce6", "Software"},
                {"http://purl.org/coar/resource_type/c_46ec", "Dissertation"},
                {"http://purl.org/coar/resource_type/c_db06", "Dissertation"},
                {"http://purl.org/coar/resource_type/c_2f33", "Book"},
                {"http://purl.org/coar/resource_type/c_3248", "BookChapter"},
                {"http://purl.org/coar/resource_type/c_5794", "ConferencePaper"},
                {"http://purl.org/coar/resource_type/c_93fc", "Report"},
                {"http://purl.org/coar/resource_type/c_816b", "Preprint"},
                {"http://purl.org/coar/resource_type/c_1843", "Other"},
                {"http://purl.org/coar/resource_type/c_beb9", "DataPaper"},
                {"http://purl.org/coar/resource_type/c_ddb1/", "Dataset"},
                {"http://purl.org/coar/resource_type/FF4C-28RK", "Dataset"},
                /* DINI and English phrases */
                {"doc-type:ResearchData", "Dataset"}, {"doc-type:article", "JournalArticle"},
                {"Journal article", "JournalArticle"}, {"journal-article", "JournalArticle"}, {"Article", "JournalArticle"},
                {"Thesis", "Dissertation"}, {"PhD thesis", "Dissertation"}, {"Data set", "Dataset"},
                {"Working Paper", "Preprint"}, {"Technical Report", "Report"}, {"Book chapter", "BookChapter"},
                {"literature", "Text"},
                /* nothing */
                {"Reviewed", NULL}, {"Final", NULL}, {"Physical Object ", "PhysicalObject"},
                {"info:eu-repo/semantics/", NULL}, {"http://purl.org/coar/resource_type/c_zzzz", NULL},
        };
        for (size_t i = 0; i < FD_ELEMENTSOF(map); i++)
                ck_assert_msg((type_of(map[i][0]) == NULL && map[i][1] == NULL) ||
                                      (type_of(map[i][0]) && map[i][1] && strcmp(type_of(map[i][0]), map[i][1]) == 0),
                              "type '%s': got %s, want %s", map[i][0], type_of(map[i][0]) ? type_of(map[i][0]) : "NULL",
                              map[i][1] ? map[i][1] : "NULL");
}
END_TEST

START_TEST(test_set_type_precedence) {
        /* the IST oai_dc record: other, an unknown word, text, then COAR dataset */
        ck_assert_int_eq(fd_record_set_type(rec, arena, "info:eu-repo/semantics/other"), FD_OK);
        ck_assert_str_eq(rec->resource_type, "Other");
        ck_assert_str_eq(rec->resource_type_raw, "info:eu-repo/semantics/other");
        ck_assert_int_eq(fd_record_set_type(rec, arena, "Reviewed"), FD_OK);
        ck_assert_str_eq(rec->resource_type_raw, "info:eu-repo/semantics/other");
        ck_assert_int_eq(fd_record_set_type(rec, arena, "text"), FD_OK);
        ck_assert_str_eq(rec->resource_type, "Text");
        ck_assert_int_eq(fd_record_set_type(rec, arena, "http://purl.org/coar/resource_type/c_ddb1"), FD_OK);
        ck_assert_str_eq(rec->resource_type, "Dataset");
        ck_assert_str_eq(rec->resource_type_raw, "http://purl.org/coar/resource_type/c_ddb1");
        /* a specific type is not replaced by another one */
        ck_assert_int_eq(fd_record_set_type(rec, arena, "Software"), FD_OK);
        ck_assert_int_eq(fd_record_set_type(rec, arena, "Text"), FD_OK);
        ck_assert_str_eq(rec->resource_type, "Dataset");

        struct fd_record *r = fd_record_new_in(arena);
        ck_assert_int_eq(fd_record_set_type(r, arena, "  Article in monograph - proceedings "), FD_OK);
        ck_assert_ptr_null(r->resource_type);
        ck_assert_str_eq(r->resource_type_raw, "Article in monograph - proceedings");
        ck_assert_int_eq(fd_record_set_type(r, arena, "Final"), FD_OK);
        ck_assert_str_eq(r->resource_type_raw, "Article in monograph - proceedings");
        ck_assert_int_eq(fd_record_set_type(r, arena, ":unav"), FD_OK);
        ck_assert_int_eq(fd_record_set_type(r, arena, NULL), FD_OK);
        ck_assert_ptr_null(r->resource_type);
}
END_TEST

START_TEST(test_title_year) {
        ck_assert_ptr_null(fd_record_title(rec));
        ck_assert_int_eq(fd_record_year(rec), 0);
        rec->datestamp = "2021-08-08T06:17:13Z";
        ck_assert_int_eq(fd_record_year(rec), 2021);
        ck_assert_int_eq(fd_record_add_title(rec, arena, "Titel", "de"), FD_OK);
        ck_assert_str_eq(fd_record_title(rec), "Titel");
        ck_assert_int_eq(fd_record_add_title(rec, arena, "Title", NULL), FD_OK);
        ck_assert_str_eq(fd_record_title(rec), "Title");
        ck_assert_int_eq(fd_record_add_date(rec, arena, "2017-05-08", "Created"), FD_OK);
        ck_assert_int_eq(fd_record_year(rec), 2017);
        ck_assert_int_eq(fd_record_add_date(rec, arena, "March 2018", "Issued"), FD_OK);
        ck_assert_int_eq(fd_record_year(rec), 2018);
}
END_TEST

/* The title and description record/ picks, for every reader. */
START_TEST(test_title_description_pick) {
        ck_assert_ptr_null(fd_record_description(rec));
        ck_assert_int_eq(fd_record_add_description(rec, arena, "Beschreibung", "de"), FD_OK);
        ck_assert_str_eq(fd_record_description(rec), "Beschreibung");
        ck_assert_int_eq(fd_record_add_description(rec, arena, "Description", NULL), FD_OK);
        ck_assert_str_eq(fd_record_description(rec), "Description");
        /* a text without a value (a damaged stored record) does not count */
        ck_assert_int_eq(fd_record_add_title(rec, arena, "Titre", "fr"), FD_OK);
        ck_assert_ptr_nonnull(FD_PUSH(arena, rec->titles));
        ck_assert_str_eq(fd_record_title(rec), "Titre");

        /* a stored record's text read back, as the index reads it */
        struct fd_record *r = NULL;
        struct fd_error err = {0};
        static const char stored[] = "{\"id\":\"s:1\",\"titles\":[{\"value\":\"Tag\",\"lang\":\"de\"},"
                                     "{\"value\":\"Day\"}],\"fair\":{}}";
        ck_assert_int_eq(fd_record_from_json_text(stored, strlen(stored), arena, &r, &err), FD_OK);
        ck_assert_str_eq(fd_record_title(r), "Day");
        ck_assert_int_eq(fd_record_from_json_text(stored, 5, arena, &r, &err), FD_E_PARSE);
        ck_assert_msg(strstr(err.msg, "not JSON"), "%s", err.msg);
        ck_assert_int_eq(fd_record_from_json_text("[]", 2, arena, &r, &err), FD_E_PARSE);
}
END_TEST

/* A record for the exports: every field a format maps. */
static void export_record(void) {
        rec->id = "zenodo:oai:zenodo.org:{1}";
        rec->source = "zenodo";
        ck_assert_int_eq(fd_record_add_title(rec, arena, "Meeresdaten", "de"), FD_OK);
        ck_assert_int_eq(fd_record_add_title(rec, arena, "Ocean {data}\nnew line", NULL), FD_OK);
        ck_assert_int_eq(fd_record_add_description(rec, arena, "Buoys, 2010 to 2019", "en"), FD_OK);
        ck_assert_int_eq(fd_record_add_agent(rec, arena, false, "Müller, Anna", "0000-0002-1825-0097", NULL, NULL,
                                             NULL), FD_OK);
        ck_assert_int_eq(fd_record_add_agent(rec, arena, false, "Smith, John", NULL, NULL, NULL, NULL), FD_OK);
        ck_assert_int_eq(fd_record_add_subject(rec, arena, "Oceanography", "FOS", NULL), FD_OK);
        ck_assert_int_eq(fd_record_add_date(rec, arena, "2018-01-02", "created"), FD_OK);
        ck_assert_int_eq(fd_record_add_date(rec, arena, "2019-03-14", "issued"), FD_OK);
        ck_assert_int_eq(fd_record_add_identifier(rec, arena, "https://doi.org/10.5281/ZENODO.1", FD_PID_NONE), FD_OK);
        rec->publisher = "Zenodo";
        ck_assert_int_eq(fd_record_set_type(rec, arena, "Dataset"), FD_OK);
        ck_assert_int_eq(fd_record_add_rights(rec, arena, NULL, "https://creativecommons.org/licenses/by/4.0/"),
                         FD_OK);
        ck_assert_int_eq(fd_record_add_rights(rec, arena, NULL, "info:eu-repo/semantics/openAccess"), FD_OK);
        ck_assert_int_eq(fd_record_add_language(rec, arena, "eng"), FD_OK);
        ck_assert_int_eq(fd_record_add_url(rec, arena, "https://zenodo.org/record/1", false), FD_OK);
}

static char *export_text(enum fd_export_format f) {
        struct fd_buf b;
        char *out;

        fd_buf_init(&b, 1 << 20);
        ck_assert_int_eq(fd_record_export_text(rec, f, &b), FD_OK);
        ck_assert_int_eq(fd_buf_append(&b, "", 1), FD_OK);
        out = strdup(b.data);
        fd_buf_release(&b);
        return out;
}

static char *export_json(enum fd_export_format f) {
        json_t *o = fd_record_export_json(rec, f);
        char *out;

        ck_assert_ptr_nonnull(o);
        out = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(o);
        return out;
}

START_TEST(test_export_formats) {
        enum fd_export_format f;
        _fd_free_ char *bib = NULL, *ris = NULL, *dc = NULL, *so = NULL;

        ck_assert(fd_export_format_parse("ris", &f) && f == FD_EXPORT_RIS);
        ck_assert(!fd_export_format_parse("marc", &f));
        ck_assert_str_eq(fd_export_format_name(FD_EXPORT_SCHEMAORG), "schemaorg");
        export_record();
        bib = export_text(FD_EXPORT_BIBTEX);
        ck_assert_str_eq(bib, "@dataset{zenodo:oai:zenodo.org:_1_,\n"
                              "  title = {Ocean \\{data\\} new line},\n"
                              "  author = {Müller, Anna and Smith, John},\n"
                              "  year = {2019},\n"
                              "  publisher = {Zenodo},\n"
                              "  doi = {10.5281/zenodo.1},\n"
                              "  url = {https://zenodo.org/record/1},\n"
                              "  abstract = {Buoys, 2010 to 2019},\n"
                              "}\n\n");
        ris = export_text(FD_EXPORT_RIS);
        ck_assert_str_eq(ris, "TY  - DATA\nTI  - Ocean {data} new line\nAU  - Müller, Anna\nAU  - Smith, John\n"
                              "PY  - 2019\nDA  - 2019-03-14\nPB  - Zenodo\nDO  - 10.5281/zenodo.1\n"
                              "UR  - https://zenodo.org/record/1\nKW  - Oceanography\nAB  - Buoys, 2010 to 2019\n"
                              "ID  - zenodo:oai:zenodo.org:{1}\nER  - \n\n");
        dc = export_json(FD_EXPORT_DATACITE);
        ck_assert_str_eq(dc, "{\"doi\":\"10.5281/zenodo.1\",\"creators\":[{\"name\":\"Müller, Anna\","
                             "\"nameIdentifiers\":[{\"nameIdentifier\":\"0000-0002-1825-0097\","
                             "\"nameIdentifierScheme\":\"ORCID\"}]},{\"name\":\"Smith, John\"}],"
                             "\"titles\":[{\"title\":\"Meeresdaten\",\"lang\":\"de\"},"
                             "{\"title\":\"Ocean {data} new line\",\"lang\":null}],\"publisher\":\"Zenodo\","
                             "\"publicationYear\":\"2019\",\"types\":{\"resourceTypeGeneral\":\"Dataset\"},"
                             "\"subjects\":[{\"subject\":\"Oceanography\",\"subjectScheme\":\"FOS\"}],"
                             "\"descriptions\":[{\"description\":\"Buoys, 2010 to 2019\",\"lang\":\"en\","
                             "\"descriptionType\":\"Abstract\"}],\"rightsList\":[{\"rightsUri\":"
                             "\"https://creativecommons.org/licenses/by/4.0/\",\"rightsIdentifier\":\"CC-BY-4.0\"}],"
                             "\"language\":\"en\",\"url\":\"https://zenodo.org/record/1\"}");
        so = export_json(FD_EXPORT_SCHEMAORG);
        ck_assert_str_eq(so, "{\"@context\":\"https://schema.org\",\"@type\":\"Dataset\","
                             "\"@id\":\"https://doi.org/10.5281/zenodo.1\","
                             "\"identifier\":\"https://doi.org/10.5281/zenodo.1\",\"name\":\"Ocean {data} new line\","
                             "\"description\":\"Buoys, 2010 to 2019\",\"creator\":[{\"@type\":\"Person\","
                             "\"name\":\"Müller, Anna\",\"@id\":\"https://orcid.org/0000-0002-1825-0097\"},"
                             "{\"@type\":\"Person\",\"name\":\"Smith, John\"}],\"keywords\":[\"Oceanography\"],"
                             "\"datePublished\":\"2019-03-14\",\"publisher\":{\"@type\":\"Organization\","
                             "\"name\":\"Zenodo\"},\"license\":\"https://creativecommons.org/licenses/by/4.0/\","
                             "\"inLanguage\":\"en\",\"isAccessibleForFree\":true,"
                             "\"url\":\"https://zenodo.org/record/1\"}");
        /* a text format has no JSON form and the other way round */
        ck_assert_ptr_null(fd_record_export_json(rec, FD_EXPORT_RIS));
}
END_TEST

START_TEST(test_relation_inverse) {
        ck_assert_str_eq(fd_relation_inverse("IsSupplementTo"), "IsSupplementedBy");
        ck_assert_str_eq(fd_relation_inverse("issupplementedby"), "IsSupplementTo");
        ck_assert_str_eq(fd_relation_inverse("Cites"), "IsCitedBy");
        ck_assert_str_eq(fd_relation_inverse("IsNewVersionOf"), "IsPreviousVersionOf");
        ck_assert_str_eq(fd_relation_inverse("IsIdenticalTo"), "IsIdenticalTo");
        ck_assert_str_eq(fd_relation_inverse("ServesDataset"), "HasAccessService");
        ck_assert_ptr_null(fd_relation_inverse("IsPublishedIn"));
        ck_assert_ptr_null(fd_relation_inverse(NULL));
}
END_TEST

/* A record with the one subject (value, scheme, URI, code) maps to the FOS
 * id fos, or to nothing when fos is NULL. */
static void expect_discipline(const char *value, const char *scheme, const char *uri, const char *code,
                              const char *fos) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = fd_arena_new(1 << 12);
        struct fd_record *r = a ? fd_record_new_in(a) : NULL;
        const char *ids[8];

        ck_assert_ptr_nonnull(r);
        ck_assert_int_eq(fd_record_add_subject(r, a, value, scheme, uri), FD_OK);
        r->subjects.v[0].code = code;
        size_t n = fd_record_disciplines(r, ids, 8);
        if (!fos)
                ck_assert_msg(n == 0, "'%s' (%s, %s) maps to %s", value, scheme, uri, n ? ids[0] : "");
        else
                ck_assert_msg(n == 1 && strcmp(ids[0], fos) == 0, "'%s' (%s, %s): %s, not %s", value, scheme, uri,
                              n ? ids[0] : "nothing", fos);
}

START_TEST(test_disciplines) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = fd_arena_new(1 << 16);
        struct fd_record *r = fd_record_new_in(a);
        const char *ids[8];
        static const char *const subjects[][3] = {
                /* value, scheme, code */
                { "FOS: Earth and related environmental sciences", "Fields of Science and Technology (FOS)", NULL },
                { "0405 Oceanography", "ANZSRC Fields of Research", NULL },       /* 1.5 again */
                { "Conservation and Biodiversity", "ANZSRC FOR", "050202" },      /* a 6-digit exception */
                { "Bioinformatics", "ANZSRC", "060102" },                          /* 1.2, not 0601's 1.6 */
                { "Mathematics", NULL, NULL },                                     /* a free keyword, 1.1 */
                { "3708 Oceanography", "ANZSRC Fields of Research 2020", NULL },   /* 2020: 1.5 again */
                { "37 Earth Sciences", "ANZSRC Fields of Research", NULL },        /* 2020 division: 1.5 */
                { "551.46", "ddc", NULL },                                         /* 1.5 again */
                { "Environment", "eu-data-theme", NULL },                          /* ENVI: 1.5 again */
                { "mathematics and statistics", NULL, NULL },                      /* not a label */
                { "Chemistry", "LCSH", NULL },                                     /* 1.4 */
        };

        for (size_t i = 0; i < FD_ELEMENTSOF(subjects); i++) {
                ck_assert_int_eq(fd_record_add_subject(r, a, subjects[i][0], subjects[i][1], NULL), FD_OK);
                r->subjects.v[r->subjects.n - 1].code = subjects[i][2];
        }
        ck_assert_uint_eq(fd_record_disciplines(r, ids, 8), 5);
        ck_assert_str_eq(ids[0], "1.5");
        ck_assert_str_eq(ids[1], "1.6");
        ck_assert_str_eq(ids[2], "1.2");
        ck_assert_str_eq(ids[3], "1.1");
        ck_assert_str_eq(ids[4], "1.4");
        ck_assert_uint_eq(fd_record_disciplines(r, ids, 2), 2);
        ck_assert_str_eq(fd_fos_label("2.10"), "Nanotechnology");
        ck_assert_str_eq(fd_fos_label("6"), "Humanities");
        ck_assert_ptr_null(fd_fos_label("7"));
        ck_assert_str_eq(fd_fos_id("fos: basic MEDICINE"), "3.1");
        ck_assert_str_eq(fd_fos_id("4.3"), "4.3");
        ck_assert_ptr_null(fd_fos_id("Medicine"));
}
END_TEST

/* re3data's DFG subjects: a review board or subject area may give several
 * FOS fields (DataCite's table, in its order); the broad 1- and 2-digit
 * groups give none. */
START_TEST(test_disciplines_dfg) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = fd_arena_new(1 << 16);
        struct fd_record *r = fd_record_new_in(a);
        const char *ids[8];
        static const char *const subjects[][2] = {
                { "3 Natural Sciences", "DFG" },                    /* too broad */
                { "32 Physics", "DFG" },                            /* too broad */
                { "31302 Oceanography", "DFG" },                    /* 1.5 */
                { "20604 Systemic Neuroscience", "dfg" },           /* 1.6, 3.1, 1.2 */
                { "41006 Geotechnics, Hydraulic Engineering", "DFG" }, /* the table's last row */
                { "99999 Nothing", "DFG" },
                { "31302 Oceanography", NULL },                     /* no scheme: a keyword */
        };

        for (size_t i = 0; i < FD_ELEMENTSOF(subjects); i++)
                ck_assert_int_eq(fd_record_add_subject(r, a, subjects[i][0], subjects[i][1], NULL), FD_OK);
        ck_assert_uint_eq(fd_record_disciplines(r, ids, 8), 5);
        ck_assert_str_eq(ids[0], "1.5");
        ck_assert_str_eq(ids[1], "1.6");
        ck_assert_str_eq(ids[2], "3.1");
        ck_assert_str_eq(ids[3], "1.2");
        ck_assert_str_eq(ids[4], "2.7");
        ck_assert_uint_eq(fd_record_disciplines(r, ids, 2), 2);
        r->subjects.n = 0;
        ck_assert_int_eq(fd_record_add_subject(r, a, "Ancient Cultures", "DFG", NULL), FD_OK);
        r->subjects.v[0].code = "101";
        ck_assert_uint_eq(fd_record_disciplines(r, ids, 8), 2);
        ck_assert_str_eq(ids[0], "6.1");
        ck_assert_str_eq(ids[1], "6.2");
}
END_TEST

/* DDC notations reach FOS through the ANZSRC 2008 divisions: the longest
 * prefix of the table wins, a division spread over FOS majors gives
 * nothing. */
START_TEST(test_disciplines_ddc) {
        static const char *const cases[][4] = {
                /* value, scheme, code, FOS id or NULL */
                { "551.46", "ddc", NULL, "1.5" },                   /* 55: division 04 */
                { "DDC 530 Physics", "Dewey Decimal Classification", NULL, "1.3" },
                { "ddc 616", "DDC", NULL, "3" },                    /* 61: division 11, FOS major 3 */
                { "Engineering", "dewey", "620", "2" },             /* the code, division 09 */
                { "150 Psychology", "DDC", NULL, "5.1" },           /* 15 before 1x's 22 */
                { "200", "DDC", NULL, "6.3" },
                { "577.7", "DDC", NULL, NULL },                     /* 577: division 05, two majors */
                { "570", "DDC", NULL, "1.6" },                      /* 57 */
                { "912", "DDC", NULL, "1.5" },                      /* the 3-digit exception */
                { "004", "DDC", NULL, NULL },                       /* division 08: 1.2 and 5.8 */
                { "92", "DDC", NULL, NULL },                        /* not a notation */
                { "050", "DDC", NULL, NULL },                       /* unmapped by the source */
                { "ddc:610", NULL, NULL, "3" },                     /* the scheme in the value */
                { "info:eu-repo/classification/ddc/551.6", NULL, NULL, "1.5" }, /* OpenAIRE's spelling */
                { "info:eu-repo/classification/udc/551", NULL, NULL, NULL },
                { "ddc 551", "DDC 2020", NULL, "1.5" },             /* a year in the scheme is no FoR edition */
        };

        for (size_t i = 0; i < FD_ELEMENTSOF(cases); i++)
                expect_discipline(cases[i][0], cases[i][1], NULL, cases[i][2], cases[i][3]);
}
END_TEST

/* ANZSRC FoR codes from the subject's code, its URI or its value, in the
 * edition the scheme or URI names, else the one the division belongs to:
 * 2008 through the ABS table, 2020 through fairdex's; a division maps
 * where its groups agree. */
START_TEST(test_disciplines_anzsrc) {
        static const char *const cases[][5] = {
                /* value, scheme, URI, code, FOS id or NULL */
                { "Analytical chemistry", NULL, "https://linked.data.gov.au/def/anzsrc-for/2020/3401", NULL, "1.4" },
                { "Analytical chemistry", "ANZSRC Fields of Research",
                  "https://vocabs.ardc.edu.au/repository/api/lda/anzsrc-2020-for/resource?uri="
                  "https://linked.data.gov.au/def/anzsrc-for/2020/340101", NULL, "1.4" },
                { "Oceanography", NULL, "http://purl.org/au-research/vocabulary/anzsrc-for/2008/0405", NULL, "1.5" },
                { "Climate change processes", "ANZSRC Fields of Research", NULL, "370201", "1.5" },
                { "370201 Climate change processes", "ANZSRC 2020 FoR", NULL, NULL, "1.5" },
                { "49 Mathematical sciences", "ANZSRC FoR (2020)", NULL, NULL, "1.1" },
                { "4206 Public health", "ANZSRC FoR", NULL, NULL, "3.3" },
                { "3204 Immunology", "ANZSRC FoR", NULL, NULL, "3" },        /* FOS 3.1, the ABS's 1107 3.2 */
                { "3301 Architecture", "ANZSRC FoR", NULL, NULL, NULL },      /* 2.1 and 6.4: none */
                { "520203 Psychophysiology", "ANZSRC FoR", NULL, NULL, NULL }, /* 5202: 5.1 and 3.1 */
                { "52 Psychology", "ANZSRC FoR", NULL, NULL, "5.1" },        /* the groups that map agree */
                { "33 Built environment and design", "ANZSRC FoR", NULL, NULL, NULL },
                { "31 Biological sciences", "ANZSRC FoR", NULL, NULL, NULL }, /* 3106 is 2.9 */
                { "46 Information and computing sciences", "ANZSRC FoR", NULL, NULL, NULL },
                { "04 Earth Sciences", "ANZSRC FoR 2008", NULL, NULL, "1.5" }, /* a 2008 division */
                { "08 Information and Computing Sciences", "ANZSRC FoR", NULL, NULL, NULL },
                { "3708 Oceanography", "ANZSRC Fields of Research 2008", NULL, NULL, NULL }, /* no 2008 code */
                { "0405 Oceanography", "ANZSRC Fields of Research 2020", NULL, NULL, NULL }, /* no 2020 code */
                { "Oceanography", NULL, "http://purl.org/au-research/vocabulary/anzsrc-for/2020/0405", NULL, NULL },
                { "2999 Nothing", "ANZSRC FoR", NULL, NULL, NULL },          /* no division 29 */
                { "3", "ANZSRC FoR", NULL, NULL, NULL },
                { "Oceanography", "ANZSRC FoR", "https://linked.data.gov.au/def/anzsrc-for/2020/", NULL, NULL },
        };

        for (size_t i = 0; i < FD_ELEMENTSOF(cases); i++)
                expect_discipline(cases[i][0], cases[i][1], cases[i][2], cases[i][3], cases[i][4]);
        /* every group of fairdex's 2020 table is found as a 6-digit field too */
        for (size_t i = 0; i < fd_for2020_fos_table_n; i++) {
                char field[8];
                snprintf(field, sizeof field, "%s01", fd_for2020_fos_table[i].key);
                if (strlen(fd_for2020_fos_table[i].key) == 4)
                        expect_discipline(field, "ANZSRC FoR", NULL, NULL, fd_for2020_fos_table[i].value);
                expect_discipline(fd_for2020_fos_table[i].key, "ANZSRC FoR", NULL, NULL,
                                  fd_for2020_fos_table[i].value);
        }
}
END_TEST

/* EU data themes by URI, code or English label (fairdex's table: AGRI,
 * ECON, ENVI, GOVE, HEAL, REGI, SOCI); LCSH headings that name a
 * discipline, subdivisions and a final period aside; other LCSH headings
 * give nothing. */
START_TEST(test_disciplines_themes_lcsh) {
        static const char *const cases[][4] = {
                /* value, scheme, URI, FOS id or NULL */
                { "ENVI", "eu-data-theme", "http://publications.europa.eu/resource/authority/data-theme/ENVI", "1.5" },
                { "Umwelt", NULL, "http://publications.europa.eu/resource/authority/data-theme/ENVI", "1.5" },
                { "Environment", "http://publications.europa.eu/resource/authority/data-theme", NULL, "1.5" },
                { "heal", "EU data theme", NULL, "3" },
                { "Agriculture, fisheries, forestry and food", "eu-data-theme", NULL, "4" },
                { "Economy and finance", "eu-data-theme", NULL, "5.2" },
                { "Education, culture and sport", "eu-data-theme", NULL, NULL },
                { "TECH", "eu-data-theme", "http://publications.europa.eu/resource/authority/data-theme/TECH", NULL },
                { "Environment", NULL, NULL, NULL },                /* a keyword, no FOS label */
                { "Chemistry", "LCSH", NULL, "1.4" },
                { "Chemistry--Research--History.", "lcsh", NULL, "1.4" },
                { " oceanography. ", "Library of Congress Subject Headings (LCSH)", NULL, "1.5" },
                { "Oceanography", "http://id.loc.gov/authorities/subjects", NULL, "1.5" },
                { "Economics", NULL, "https://id.loc.gov/authorities/subjects/sh85040850.html", "5.2" },
                { "Immunology", "LCSH", NULL, "3.1" },
                { "Medicine", "LCSH", NULL, "3" },
                { "Climate change mitigation", "LCSH", NULL, NULL },
                { "Architecture", "LCSH", NULL, NULL },
                { "--Chemistry", "LCSH", NULL, NULL },
                { "Chemistry", "MeSH", NULL, NULL },
        };

        for (size_t i = 0; i < FD_ELEMENTSOF(cases); i++)
                expect_discipline(cases[i][0], cases[i][1], cases[i][2], NULL, cases[i][3]);
        /* every heading of the table is found (the table is sorted as bsearch needs) */
        for (size_t i = 0; i < fd_lcsh_fos_table_n; i++)
                expect_discipline(fd_lcsh_fos_table[i].key, "LCSH", NULL, NULL, fd_lcsh_fos_table[i].value);
}
END_TEST

/* A bare record exports only what it has; a full buffer is FD_E_LIMIT. */
START_TEST(test_export_bare_and_full) {
        struct fd_buf b;
        _fd_free_ char *dc = NULL, *so = NULL;

        rec->id = "x:1";
        dc = export_json(FD_EXPORT_DATACITE);
        ck_assert_str_eq(dc, "{\"doi\":null,\"creators\":[],\"titles\":[],\"types\":{\"resourceTypeGeneral\":"
                             "\"Other\"},\"subjects\":[],\"descriptions\":[],\"rightsList\":[],\"url\":null}");
        so = export_json(FD_EXPORT_SCHEMAORG);
        ck_assert_str_eq(so, "{\"@context\":\"https://schema.org\",\"@type\":\"Dataset\",\"creator\":[],"
                             "\"keywords\":[],\"isAccessibleForFree\":false}");
        fd_buf_init(&b, 17);
        ck_assert_int_eq(fd_record_export_text(rec, FD_EXPORT_BIBTEX, &b), FD_OK);
        ck_assert_str_eq(b.data, "@dataset{x:1,\n}\n\n");
        ck_assert_int_eq(fd_record_export_text(rec, FD_EXPORT_RIS, &b), FD_E_LIMIT);
        fd_buf_release(&b);
}
END_TEST

/* The OAI-PMH payloads of export_record() plus a related identifier, a
 * typed description, a size and formats: markup in values escaped,
 * attributes only when set. */
START_TEST(test_export_xml) {
        static const char *const want[FD_XML_COUNT] = {
                [FD_XML_OAI_DC] =
                        "<oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" "
                        "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
                        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                        "xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/oai_dc/ "
                        "http://www.openarchives.org/OAI/2.0/oai_dc.xsd\"><dc:title xml:lang=\"de\">"
                        "Meeresdaten</dc:title><dc:title>Ocean {data} new line</dc:title><dc:creator>Müller, "
                        "Anna</dc:creator><dc:creator>Smith, John</dc:creator><dc:subject>"
                        "Oceanography</dc:subject><dc:description xml:lang=\"en\">Buoys, 2010 to "
                        "2019</dc:description><dc:description>a &quot;b&quot; &amp; c</dc:description>"
                        "<dc:publisher>Zenodo</dc:publisher><dc:date>2018-01-02</dc:date><dc:date>"
                        "2019-03-14</dc:date><dc:type>Dataset</dc:type><dc:format>text/csv</dc:format>"
                        "<dc:format>application/x-netcdf</dc:format><dc:identifier>"
                        "https://doi.org/10.5281/zenodo.1</dc:identifier><dc:identifier>"
                        "https://zenodo.org/record/1</dc:identifier><dc:language>en</dc:language>"
                        "<dc:relation>https://doi.org/10.1234/%3Cb%3E</dc:relation><dc:relation>"
                        "https://example.org/a?x=1&amp;y=2</dc:relation><dc:rights>"
                        "https://creativecommons.org/licenses/by/4.0/</dc:rights><dc:rights>"
                        "info:eu-repo/semantics/openAccess</dc:rights></oai_dc:dc>",
                [FD_XML_OAI_DATACITE] =
                        "<resource xmlns=\"http://datacite.org/schema/kernel-4\" "
                        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                        "xsi:schemaLocation=\"http://datacite.org/schema/kernel-4 "
                        "http://schema.datacite.org/meta/kernel-4/metadata.xsd\"><identifier "
                        "identifierType=\"DOI\">10.5281/zenodo.1</identifier><creators><creator><creatorName>"
                        "Müller, Anna</creatorName><nameIdentifier nameIdentifierScheme=\"ORCID\" "
                        "schemeURI=\"https://orcid.org\">0000-0002-1825-0097</nameIdentifier></creator>"
                        "<creator><creatorName>Smith, John</creatorName></creator></creators><titles><title "
                        "xml:lang=\"de\">Meeresdaten</title><title>Ocean {data} new line</title></titles>"
                        "<publisher>Zenodo</publisher><publicationYear>2019</publicationYear><resourceType "
                        "resourceTypeGeneral=\"Dataset\">Dataset</resourceType><subjects><subject "
                        "subjectScheme=\"FOS\">Oceanography</subject></subjects><dates><date "
                        "dateType=\"Created\">2018-01-02</date><date dateType=\"Issued\">2019-03-14</date>"
                        "</dates><language>en</language><alternateIdentifiers></alternateIdentifiers>"
                        "<relatedIdentifiers><relatedIdentifier relatedIdentifierType=\"DOI\" "
                        "relationType=\"IsSupplementTo\">10.1234/&lt;b&gt;</relatedIdentifier>"
                        "<relatedIdentifier relatedIdentifierType=\"URL\" relationType=\"References\">"
                        "https://example.org/a?x=1&amp;y=2</relatedIdentifier></relatedIdentifiers><sizes>"
                        "<size>6 MB</size></sizes><formats><format>text/csv</format><format>"
                        "application/x-netcdf</format></formats><rightsList><rights "
                        "rightsURI=\"https://creativecommons.org/licenses/by/4.0/\">CC-BY-4.0</rights><rights "
                        "rightsURI=\"info:eu-repo/semantics/openAccess\"/></rightsList><descriptions>"
                        "<description descriptionType=\"Abstract\" xml:lang=\"en\">Buoys, 2010 to "
                        "2019</description><description descriptionType=\"Methods\">a &quot;b&quot; &amp; "
                        "c</description></descriptions></resource>",
                [FD_XML_OAI_OPENAIRE] =
                        "<oaire:resource xmlns:oaire=\"http://namespace.openaire.eu/schema/oaire/\" "
                        "xmlns:datacite=\"http://datacite.org/schema/kernel-4\" "
                        "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
                        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                        "xsi:schemaLocation=\"http://namespace.openaire.eu/schema/oaire/ "
                        "https://www.openaire.eu/schema/repo-lit/4.0/openaire.xsd\"><datacite:titles>"
                        "<datacite:title xml:lang=\"de\">Meeresdaten</datacite:title><datacite:title>Ocean "
                        "{data} new line</datacite:title></datacite:titles><datacite:creators>"
                        "<datacite:creator><datacite:creatorName>Müller, Anna</datacite:creatorName>"
                        "<datacite:nameIdentifier nameIdentifierScheme=\"ORCID\" schemeURI=\"https://orcid.org\">"
                        "0000-0002-1825-0097</datacite:nameIdentifier></datacite:creator><datacite:creator>"
                        "<datacite:creatorName>Smith, John</datacite:creatorName></datacite:creator>"
                        "</datacite:creators><datacite:identifier identifierType=\"DOI\">"
                        "10.5281/zenodo.1</datacite:identifier><datacite:rights "
                        "rightsURI=\"http://purl.org/coar/access_right/c_abf2\">open access</datacite:rights>"
                        "<oaire:licenseCondition uri=\"https://creativecommons.org/licenses/by/4.0/\">"
                        "CC-BY-4.0</oaire:licenseCondition><datacite:subjects><datacite:subject "
                        "subjectScheme=\"FOS\">Oceanography</datacite:subject></datacite:subjects>"
                        "<dc:description xml:lang=\"en\">Buoys, 2010 to 2019</dc:description><dc:description>a "
                        "&quot;b&quot; &amp; c</dc:description><dc:publisher>Zenodo</dc:publisher>"
                        "<dc:language>en</dc:language><datacite:dates><datacite:date dateType=\"Created\">"
                        "2018-01-02</datacite:date><datacite:date dateType=\"Issued\">"
                        "2019-03-14</datacite:date></datacite:dates><oaire:resourceType "
                        "resourceTypeGeneral=\"dataset\" uri=\"http://purl.org/coar/resource_type/c_ddb1\">"
                        "dataset</oaire:resourceType><dc:format>text/csv</dc:format><dc:format>"
                        "application/x-netcdf</dc:format></oaire:resource>",
        };
        struct fd_buf b;

        export_record();
        ck_assert_int_eq(fd_record_add_related(rec, arena, "10.1234/<b>", FD_PID_DOI, "IsSupplementTo"), FD_OK);
        ck_assert_int_eq(fd_record_add_related(rec, arena, "https://example.org/a?x=1&y=2", FD_PID_NONE, NULL),
                         FD_OK);
        ck_assert_ptr_nonnull(FD_PUSH(arena, rec->descriptions));
        rec->descriptions.v[rec->descriptions.n - 1] = (struct fd_text){"a \"b\" & c", NULL, "Methods"};
        ck_assert_int_eq(fd_record_add_size(rec, arena, "6 MB"), FD_OK);
        ck_assert_int_eq(fd_record_add_format(rec, arena, "text/csv"), FD_OK);
        ck_assert_int_eq(fd_record_add_format(rec, arena, "application/x-netcdf"), FD_OK);
        for (int f = 0; f < FD_XML_COUNT; f++) {
                fd_buf_init(&b, 1 << 20);
                ck_assert_int_eq(fd_record_export_xml(rec, (enum fd_xml_format)f, &b), FD_OK);
                ck_assert_int_eq(fd_buf_append(&b, "", 1), FD_OK);
                ck_assert_str_eq(b.data, want[f]);
                fd_buf_release(&b);
        }
}
END_TEST

START_TEST(test_arena_cap) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *small = fd_arena_new(4096);
        struct fd_record *r = fd_record_new_in(small);
        char big[2048];
        enum fd_status s = FD_OK;
        int added = 0;

        ck_assert_ptr_nonnull(r);
        memset(big, 'x', sizeof big - 1);
        big[sizeof big - 1] = '\0';
        for (int i = 0; i < 100 && s == FD_OK; i++) {
                big[0] = (char)('a' + i % 26);
                big[1] = (char)('a' + i / 26);
                s = fd_record_add_description(r, small, big, NULL);
                added += s == FD_OK;
        }
        ck_assert_int_eq(s, FD_E_LIMIT);
        ck_assert_uint_eq(r->descriptions.n, (size_t)added);
        for (size_t i = 0; i < r->descriptions.n; i++)
                ck_assert_uint_eq(strlen(r->descriptions.v[i].value), sizeof big - 1);
        ck_assert_int_eq(fd_record_add_identifier(r, small, big, FD_PID_NONE), FD_E_LIMIT);
        ck_assert_int_eq(fd_record_add_subject(r, small, big, NULL, NULL), FD_E_LIMIT);
        ck_assert_ptr_null(fd_text_clean_in(small, big));
        ck_assert_ptr_null(fd_record_new_in(NULL));
        /* the record stays usable after FD_E_LIMIT */
        ck_assert_int_eq(fd_record_add_title(r, small, ":unav", NULL), FD_OK);
        ck_assert_int_eq(fd_record_add_date(r, small, "not a date", NULL), FD_OK);
        ck_assert_int_eq(fd_record_add_title(r, small, "t", NULL), FD_OK);
        ck_assert_uint_eq(r->titles.n, 1);
        ck_assert_uint_eq(r->descriptions.n, (size_t)added);
}
END_TEST

/* ---- JSON ----------------------------------------------------------------- */

START_TEST(test_json_round) {
        rec->id = "inrae:doi:10.15454/ZZZXK8";
        rec->source = "inrae";
        rec->local_id = "doi:10.15454/ZZZXK8";
        rec->format = "oai_datacite";
        rec->datestamp = "2021-08-08T06:17:13Z";
        rec->publisher = "Portail Data INRAE";
        rec->version = "3.0";
        ck_assert_int_eq(fd_record_add_title(rec, arena, "IPK:Beta vulgaris:BETA 465", "eng"), FD_OK);
        ck_assert_int_eq(fd_record_add_description(rec, arena, "Abstract: AKER_1544.", NULL), FD_OK);
        ck_assert_int_eq(fd_record_add_agent(rec, arena, false, "GnpIS", NULL, NULL, NULL, NULL), FD_OK);
        ck_assert_int_eq(fd_record_add_agent(rec, arena, true, "Smith, Taylor", "0000-0002-6763-7204",
                                             "Universitat Potsdam", "https://ror.org/03bnmw459", "Researcher"),
                         FD_OK);
        ck_assert_int_eq(fd_record_add_subject(rec, arena, "Genetic Resource", "keyword", "https://example.org/c/1"),
                         FD_OK);
        ck_assert_int_eq(fd_record_add_date(rec, arena, "2018", "Issued"), FD_OK);
        ck_assert_int_eq(fd_record_add_date(rec, arena, "2019-09-18 10:00:00", "Updated"), FD_OK);
        ck_assert_int_eq(fd_record_add_identifier(rec, arena, "doi:10.15454/ZZZXK8", FD_PID_DOI), FD_OK);
        ck_assert_int_eq(fd_record_add_identifier(rec, arena, "Local 12345", FD_PID_NONE), FD_OK);
        ck_assert_int_eq(fd_record_set_type(rec, arena, "Dataset"), FD_OK);
        ck_assert_int_eq(fd_record_add_rights(rec, arena, NULL, "info:eu-repo/semantics/openAccess"), FD_OK);
        ck_assert_int_eq(fd_record_add_rights(rec, arena, "CC BY 2.0", NULL), FD_OK);
        ck_assert_int_eq(fd_record_add_language(rec, arena, "English"), FD_OK);
        ck_assert_int_eq(fd_record_add_format(rec, arena, "application/zip"), FD_OK);
        ck_assert_int_eq(fd_record_add_url(rec, arena, "https://data.inrae.fr/dataset.xhtml?id=1", false), FD_OK);
        ck_assert_int_eq(fd_record_add_url(rec, arena, "https://data.inrae.fr/file/1", true), FD_OK);
        ck_assert_int_eq(fd_record_add_related(rec, arena, "10.1002/admt.202000160", FD_PID_DOI, "IsSupplementTo"),
                         FD_OK);
        ck_assert_int_eq(fd_record_add_funding(rec, arena, "European Commission", "10.13039/501100000780", "660668",
                                               "ACT against AMR"),
                         FD_OK);
        const char **set = FD_PUSH(arena, rec->sets);
        ck_assert_ptr_nonnull(set);
        *set = "openaire_data";
        rec->embargo_end = "2030-01-01";

        _fd_cleanup_(fd_json_freep) json_t *j = fd_record_to_json(rec);
        ck_assert_ptr_nonnull(j);
        /* through text and back, as the server and the CLI see it */
        _fd_free_ char *text = json_dumps(j, JSON_COMPACT);
        ck_assert_ptr_nonnull(text);
        json_error_t jerr;
        _fd_cleanup_(fd_json_freep) json_t *o = json_loads(text, 0, &jerr);
        ck_assert_msg(o != NULL, "%s", jerr.text);
        ck_assert(json_equal(j, o));

        ck_assert_str_eq(json_string_value(json_object_get(o, "id")), "inrae:doi:10.15454/ZZZXK8");
        ck_assert_str_eq(json_string_value(json_object_get(o, "source")), "inrae");
        ck_assert_str_eq(json_string_value(json_object_get(o, "local_id")), "doi:10.15454/ZZZXK8");
        ck_assert_str_eq(json_string_value(json_object_get(o, "format")), "oai_datacite");
        ck_assert_str_eq(json_string_value(json_object_get(o, "datestamp")), "2021-08-08T06:17:13Z");
        ck_assert(json_is_false(json_object_get(o, "deleted")));
        json_t *titles = json_object_get(o, "titles");
        ck_assert_uint_eq(json_array_size(titles), 1);
        ck_assert_str_eq(json_string_value(json_object_get(json_array_get(titles, 0), "value")),
                         "IPK:Beta vulgaris:BETA 465");
        ck_assert_str_eq(json_string_value(json_object_get(json_array_get(titles, 0), "lang")), "en");
        json_t *desc0 = json_array_get(json_object_get(o, "descriptions"), 0);
        ck_assert_ptr_null(json_object_get(desc0, "lang"));
        ck_assert_uint_eq(json_object_size(desc0), 1);
        json_t *creator = json_array_get(json_object_get(o, "creators"), 0);
        ck_assert_str_eq(json_string_value(json_object_get(creator, "name")), "GnpIS");
        ck_assert_uint_eq(json_object_size(creator), 1);
        json_t *contrib = json_array_get(json_object_get(o, "contributors"), 0);
        ck_assert_str_eq(json_string_value(json_object_get(contrib, "name")), "Smith, Taylor");
        ck_assert_str_eq(json_string_value(json_object_get(contrib, "orcid")), "0000-0002-6763-7204");
        ck_assert_str_eq(json_string_value(json_object_get(contrib, "affiliation")), "Universitat Potsdam");
        ck_assert_str_eq(json_string_value(json_object_get(contrib, "ror")), "03bnmw459");
        ck_assert_str_eq(json_string_value(json_object_get(contrib, "role")), "Researcher");
        json_t *subj = json_array_get(json_object_get(o, "subjects"), 0);
        ck_assert_str_eq(json_string_value(json_object_get(subj, "value")), "Genetic Resource");
        ck_assert_str_eq(json_string_value(json_object_get(subj, "scheme")), "keyword");
        ck_assert_str_eq(json_string_value(json_object_get(subj, "uri")), "https://example.org/c/1");
        json_t *dates = json_object_get(o, "dates");
        ck_assert_uint_eq(json_array_size(dates), 2);
        ck_assert_str_eq(json_string_value(json_object_get(json_array_get(dates, 0), "value")), "2018");
        ck_assert_str_eq(json_string_value(json_object_get(json_array_get(dates, 0), "type")), "issued");
        ck_assert_str_eq(json_string_value(json_object_get(json_array_get(dates, 0), "precision")), "year");
        ck_assert_str_eq(json_string_value(json_object_get(json_array_get(dates, 1), "value")), "2019-09-18T10:00:00Z");
        ck_assert_str_eq(json_string_value(json_object_get(json_array_get(dates, 1), "precision")), "second");
        json_t *ids = json_object_get(o, "identifiers");
        ck_assert_uint_eq(json_array_size(ids), 2);
        ck_assert_str_eq(json_string_value(json_object_get(json_array_get(ids, 0), "value")), "10.15454/zzzxk8");
        ck_assert_str_eq(json_string_value(json_object_get(json_array_get(ids, 0), "scheme")), "doi");
        ck_assert_str_eq(json_string_value(json_object_get(json_array_get(ids, 1), "scheme")), "none");
        ck_assert_str_eq(json_string_value(json_object_get(o, "doi")), "10.15454/zzzxk8");
        ck_assert_str_eq(json_string_value(json_object_get(o, "publisher")), "Portail Data INRAE");
        ck_assert_str_eq(json_string_value(json_object_get(o, "resource_type")), "Dataset");
        ck_assert_str_eq(json_string_value(json_object_get(o, "resource_type_raw")), "Dataset");
        json_t *lic = json_array_get(json_object_get(o, "licenses"), 0);
        ck_assert_str_eq(json_string_value(json_object_get(lic, "spdx")), "CC-BY-2.0");
        ck_assert_str_eq(json_string_value(json_object_get(lic, "text")), "CC BY 2.0");
        ck_assert_ptr_null(json_object_get(lic, "url"));
        ck_assert_str_eq(json_string_value(json_object_get(o, "access")), "open");
        ck_assert_str_eq(json_string_value(json_object_get(o, "embargo_end")), "2030-01-01");
        ck_assert_str_eq(json_string_value(json_array_get(json_object_get(o, "languages"), 0)), "en");
        ck_assert_str_eq(json_string_value(json_array_get(json_object_get(o, "formats"), 0)), "application/zip");
        ck_assert_str_eq(json_string_value(json_array_get(json_object_get(o, "sets"), 0)), "openaire_data");
        ck_assert_str_eq(json_string_value(json_array_get(json_object_get(o, "urls"), 0)),
                         "https://data.inrae.fr/dataset.xhtml?id=1");
        ck_assert_str_eq(json_string_value(json_array_get(json_object_get(o, "download_urls"), 0)),
                         "https://data.inrae.fr/file/1");
        json_t *rel = json_array_get(json_object_get(o, "related"), 0);
        ck_assert_str_eq(json_string_value(json_object_get(rel, "value")), "10.1002/admt.202000160");
        ck_assert_str_eq(json_string_value(json_object_get(rel, "scheme")), "doi");
        ck_assert_str_eq(json_string_value(json_object_get(rel, "relation")), "IsSupplementTo");
        json_t *fund = json_array_get(json_object_get(o, "funding"), 0);
        ck_assert_str_eq(json_string_value(json_object_get(fund, "funder")), "European Commission");
        ck_assert_str_eq(json_string_value(json_object_get(fund, "funder_id")),
                         "https://doi.org/10.13039/501100000780");
        ck_assert_str_eq(json_string_value(json_object_get(fund, "award")), "660668");
        ck_assert_str_eq(json_string_value(json_object_get(fund, "award_title")), "ACT against AMR");
        ck_assert_str_eq(json_string_value(json_object_get(o, "version")), "3.0");
        /* every member of the struct, nothing else */
        ck_assert_uint_eq(json_object_size(o), 28);
}
END_TEST

START_TEST(test_json_empty) {
        rec->deleted = true;
        rec->id = "src:oai:x:1";
        _fd_cleanup_(fd_json_freep) json_t *o = fd_record_to_json(rec);
        ck_assert_ptr_nonnull(o);
        /* absent and empty members are left out; deleted and access are always there */
        ck_assert_uint_eq(json_object_size(o), 3);
        ck_assert_str_eq(json_string_value(json_object_get(o, "id")), "src:oai:x:1");
        ck_assert(json_is_true(json_object_get(o, "deleted")));
        ck_assert_str_eq(json_string_value(json_object_get(o, "access")), "unknown");
        ck_assert_ptr_null(json_object_get(o, "titles"));
        ck_assert_ptr_null(json_object_get(o, "doi"));
        ck_assert_ptr_null(fd_record_to_json(NULL));
}
END_TEST

START_TEST(test_json_bad_utf8) {
        /* a mapper may hand over bytes that are not UTF-8: they are repaired, not lost */
        rec->publisher = "Universit\xe4t \xc3\xbc ok \xed\xa0\x80 \xf0\x9f\x98\x80 end\xc3";
        ck_assert_int_eq(fd_record_add_title(rec, arena, "Bad \xff\xfe title", NULL), FD_OK);
        _fd_cleanup_(fd_json_freep) json_t *o = fd_record_to_json(rec);
        ck_assert_ptr_nonnull(o);
        ck_assert_str_eq(json_string_value(json_object_get(o, "publisher")),
                         "Universit\xef\xbf\xbdt \xc3\xbc ok \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd \xf0\x9f\x98\x80 "
                         "end\xef\xbf\xbd");
        ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(o, "titles"), 0), "value")),
                         "Bad \xef\xbf\xbd\xef\xbf\xbd title");
}
END_TEST

/* fd_record_from_json: a rich record through to_json, from_json and to_json
 * again gives the same JSON; a stored "fair" member is ignored; damaged
 * documents are FD_E_PARSE naming the member. */
START_TEST(test_json_read_round_trip) {
        struct fd_geo g = {.place = "Potsdam", .has_point = true, .lat = 52.39, .lon = 13.06, .has_box = true,
                           .west = 12.9, .east = 13.2, .south = 52.3, .north = 52.5};
        struct fd_error err = {0};
        struct fd_record *back = NULL;
        json_error_t jerr;

        rec->id = "inrae:doi:10.15454/ZZZXK8";
        rec->source = "inrae";
        rec->local_id = "doi:10.15454/ZZZXK8";
        rec->format = "oai_datacite";
        rec->datestamp = "2021-08-08T06:17:13Z";
        rec->publisher = "Portail Data INRAE";
        rec->publisher_id = "05dxps055";
        rec->version = "3.0";
        rec->embargo_end = "2030-01-01";
        ck_assert_int_eq(fd_record_add_title(rec, arena, "IPK:Beta vulgaris:BETA 465", "eng"), FD_OK);
        ck_assert_int_eq(fd_record_add_title(rec, arena, "Betterave", "fr"), FD_OK);
        rec->titles.v[1].type = "TranslatedTitle";
        ck_assert_int_eq(fd_record_add_description(rec, arena, "Abstract: AKER_1544.", NULL), FD_OK);
        ck_assert_int_eq(fd_record_add_agent(rec, arena, false, "GnpIS", NULL, NULL, NULL, NULL), FD_OK);
        ck_assert_int_eq(fd_record_add_agent(rec, arena, true, "Smith, Taylor", "0000-0002-6763-7204",
                                             "Universitat Potsdam", "https://ror.org/03bnmw459", "Researcher"),
                         FD_OK);
        ck_assert_int_eq(fd_record_add_subject(rec, arena, "Genetic Resource", "keyword", "https://example.org/c/1"),
                         FD_OK);
        rec->subjects.v[0].code = "GR-1";
        ck_assert_int_eq(fd_record_add_date(rec, arena, "2018", "Issued"), FD_OK);
        ck_assert_int_eq(fd_record_add_date(rec, arena, "2019-03", NULL), FD_OK);
        ck_assert_int_eq(fd_record_add_date(rec, arena, "2019-09-18 10:00:00", "Updated"), FD_OK);
        ck_assert_int_eq(fd_record_add_identifier(rec, arena, "doi:10.15454/ZZZXK8", FD_PID_DOI), FD_OK);
        ck_assert_int_eq(fd_record_add_identifier(rec, arena, "hdl:20.500.12345/678", FD_PID_NONE), FD_OK);
        ck_assert_int_eq(fd_record_add_identifier(rec, arena, "Local 12345", FD_PID_NONE), FD_OK);
        ck_assert_int_eq(fd_record_set_type(rec, arena, "Dataset"), FD_OK);
        ck_assert_int_eq(fd_record_add_rights(rec, arena, NULL, "info:eu-repo/semantics/embargoedAccess"), FD_OK);
        ck_assert_int_eq(fd_record_add_rights(rec, arena, "CC BY 2.0", NULL), FD_OK);
        ck_assert_int_eq(fd_record_add_rights(rec, arena, "our own terms", "https://example.org/terms"), FD_OK);
        ck_assert_int_eq(fd_record_add_language(rec, arena, "English"), FD_OK);
        ck_assert_int_eq(fd_record_add_language(rec, arena, "de"), FD_OK);
        ck_assert_int_eq(fd_record_add_format(rec, arena, "application/zip"), FD_OK);
        ck_assert_int_eq(fd_record_add_url(rec, arena, "https://data.inrae.fr/dataset.xhtml?id=1", false), FD_OK);
        ck_assert_int_eq(fd_record_add_url(rec, arena, "https://data.inrae.fr/file/1", true), FD_OK);
        ck_assert_int_eq(fd_record_add_related(rec, arena, "10.1002/admt.202000160", FD_PID_DOI, "IsSupplementTo"),
                         FD_OK);
        ck_assert_int_eq(fd_record_add_related(rec, arena, "https://example.org/x", FD_PID_NONE, NULL), FD_OK);
        ck_assert_int_eq(fd_record_add_funding(rec, arena, "European Commission", "10.13039/501100000780", "660668",
                                               "ACT against AMR"),
                         FD_OK);
        rec->funding.v[0].funder_id_type = "Crossref Funder ID";
        ck_assert_int_eq(fd_record_add_geo(rec, arena, &g), FD_OK);
        g = (struct fd_geo){.place = "Nowhere in particular"};
        ck_assert_int_eq(fd_record_add_geo(rec, arena, &g), FD_OK);
        ck_assert_int_eq(fd_record_add_size(rec, arena, "15 pages"), FD_OK);
        ck_assert_int_eq(fd_record_add_checksum(rec, arena, "SHA256", "9f86d081884c7d65"), FD_OK);
        ck_assert_int_eq(fd_record_add_checksum(rec, arena, "md5", " "), FD_OK);  /* nothing */
        ck_assert_int_eq(rec->checksums.n, 1);
        ck_assert_str_eq(rec->checksums.v[0], "sha256:9f86d081884c7d65");
        ck_assert_int_eq(fd_record_add_legislation(rec, arena, "http://data.europa.eu/eli/reg_impl/2023/138/oj"),
                         FD_OK);
        rec->frequency = "ANNUAL";
        const char **set = FD_PUSH(arena, rec->sets);
        ck_assert_ptr_nonnull(set);
        *set = "openaire_data";

        _fd_cleanup_(fd_json_freep) json_t *first = fd_record_to_json(rec);
        ck_assert_ptr_nonnull(first);
        /* every list and optional member is there, so the round trip covers them all */
        ck_assert_uint_eq(json_object_size(first), 34);
        _fd_free_ char *text = json_dumps(first, JSON_COMPACT | JSON_SORT_KEYS);
        ck_assert_ptr_nonnull(text);
        _fd_cleanup_(fd_json_freep) json_t *stored = json_loads(text, 0, &jerr);
        ck_assert_ptr_nonnull(stored);
        json_object_set_new(stored, "fair", json_pack("{s:s,s:i}", "rubric", "0.1", "overall", 40));

        _fd_cleanup_(fd_arena_freep) struct fd_arena *a2 = fd_arena_new(1 << 20);
        ck_assert_ptr_nonnull(a2);
        ck_assert_int_eq(fd_record_from_json(stored, a2, &back, &err), FD_OK);
        ck_assert_ptr_nonnull(back);
        ck_assert_str_eq(back->doi, "10.15454/zzzxk8");
        ck_assert_int_eq(back->access, FD_ACCESS_EMBARGOED);
        ck_assert_int_eq(back->identifiers.v[1].scheme, FD_PID_HANDLE);
        ck_assert_int_eq(back->dates.v[1].precision, FD_DATE_MONTH);
        ck_assert(back->geo_locations.v[0].has_box && !back->geo_locations.v[1].has_point);
        ck_assert_str_eq(back->frequency, "ANNUAL");
        ck_assert_str_eq(back->legislation.v[0], "http://data.europa.eu/eli/reg_impl/2023/138/oj");
        _fd_cleanup_(fd_json_freep) json_t *second = fd_record_to_json(back);
        ck_assert_ptr_nonnull(second);
        _fd_free_ char *text2 = json_dumps(second, JSON_COMPACT | JSON_SORT_KEYS);
        ck_assert_str_eq(text2, text);

        /* a deleted record keeps its flag */
        json_object_set_new(stored, "deleted", json_true());
        ck_assert_int_eq(fd_record_from_json(stored, a2, &back, &err), FD_OK);
        ck_assert(back->deleted);

        /* damaged documents: told, naming the member, *ret untouched */
        struct fd_record *untouched = NULL;
        json_object_set_new(stored, "titles", json_string("not a list"));
        ck_assert_int_eq(fd_record_from_json(stored, a2, &untouched, &err), FD_E_PARSE);
        ck_assert_ptr_nonnull(strstr(err.msg, "'titles'"));
        ck_assert_ptr_null(untouched);
        json_object_del(stored, "titles");
        json_object_set_new(stored, "access", json_string("sometimes"));
        ck_assert_int_eq(fd_record_from_json(stored, a2, &untouched, &err), FD_E_PARSE);
        ck_assert_ptr_nonnull(strstr(err.msg, "'access'"));
        json_object_set_new(stored, "access", json_string("open"));
        json_array_append_new(json_object_get(stored, "identifiers"), json_pack("{s:s,s:s}", "value", "x",
                                                                                "scheme", "isbn"));
        ck_assert_int_eq(fd_record_from_json(stored, a2, &untouched, &err), FD_E_PARSE);
        ck_assert_ptr_nonnull(strstr(err.msg, "'identifiers'"));
        json_object_del(stored, "id");
        ck_assert_int_eq(fd_record_from_json(stored, a2, &untouched, &err), FD_E_PARSE);
        _fd_cleanup_(fd_json_freep) json_t *arr = json_array();
        ck_assert_int_eq(fd_record_from_json(arr, a2, &untouched, &err), FD_E_PARSE);
        ck_assert_ptr_null(untouched);

        /* an arena too small for the record: FD_E_LIMIT, not a crash */
        _fd_cleanup_(fd_arena_freep) struct fd_arena *tiny = fd_arena_new(256);
        ck_assert_ptr_nonnull(tiny);
        ck_assert_int_eq(fd_record_from_json(first, tiny, &untouched, &err), FD_E_LIMIT);
}
END_TEST

static Suite *record_suite(void) {
        Suite *s = suite_create("record");
        TCase *t;

        t = tcase_create("pid");
        tcase_add_test(t, test_pid_doi);
        tcase_add_test(t, test_pid_handle);
        tcase_add_test(t, test_pid_orcid);
        tcase_add_test(t, test_pid_ror);
        tcase_add_test(t, test_pid_ark_urn);
        tcase_add_test(t, test_pid_url_none);
        tcase_add_test(t, test_pid_resolver_url);
        tcase_add_test(t, test_pid_scheme_names);
        suite_add_tcase(s, t);

        t = tcase_create("license");
        tcase_add_test(t, test_license_cc_urls);
        tcase_add_test(t, test_license_cc_names);
        tcase_add_test(t, test_license_software);
        tcase_add_test(t, test_license_data);
        tcase_add_test(t, test_license_not_licenses);
        tcase_add_test(t, test_access);
        tcase_add_test(t, test_tables_sorted);
        suite_add_tcase(s, t);

        t = tcase_create("lang");
        tcase_add_test(t, test_lang_codes);
        tcase_add_test(t, test_lang_names);
        tcase_add_test(t, test_lang_tags);
        tcase_add_test(t, test_lang_rejects);
        suite_add_tcase(s, t);

        t = tcase_create("date");
        tcase_add_test(t, test_date_iso);
        tcase_add_test(t, test_date_day_first);
        tcase_add_test(t, test_date_times);
        tcase_add_test(t, test_date_names);
        tcase_add_test(t, test_date_ranges);
        tcase_add_test(t, test_date_invalid);
        suite_add_tcase(s, t);

        t = tcase_create("fixtures");
        tcase_add_test(t, test_real_values);
        suite_add_tcase(s, t);

        struct shared_case sh = shared_case_new(s, "record", "shared", "../shared/fixtures/oai");
        shared_case_add_test(&sh, test_shared_datacite_full);
        shared_case_add_test(&sh, test_shared_oai_dc_quirks);
        shared_case_finish(&sh);

        t = tcase_create("record");
        tcase_add_checked_fixture(t, setup, teardown);
        tcase_add_test(t, test_clean_in);
        tcase_add_test(t, test_add_texts);
        tcase_add_test(t, test_add_agents);
        tcase_add_test(t, test_add_subjects_dates);
        tcase_add_test(t, test_add_identifiers);
        tcase_add_test(t, test_add_rights);
        tcase_add_test(t, test_add_rights_access_only);
        tcase_add_test(t, test_add_strs);
        tcase_add_test(t, test_add_related_funding);
        tcase_add_test(t, test_set_type);
        tcase_add_test(t, test_set_type_precedence);
        tcase_add_test(t, test_title_year);
        tcase_add_test(t, test_arena_cap);
        suite_add_tcase(s, t);

        t = tcase_create("json");
        tcase_add_checked_fixture(t, setup, teardown);
        tcase_add_test(t, test_json_round);
        tcase_add_test(t, test_json_empty);
        tcase_add_test(t, test_json_bad_utf8);
        tcase_add_test(t, test_json_read_round_trip);
        tcase_add_test(t, test_title_description_pick);
        tcase_add_test(t, test_export_formats);
        tcase_add_test(t, test_export_bare_and_full);
        tcase_add_test(t, test_export_xml);
        tcase_add_test(t, test_relation_inverse);
        tcase_add_test(t, test_disciplines);
        tcase_add_test(t, test_disciplines_dfg);
        tcase_add_test(t, test_disciplines_ddc);
        tcase_add_test(t, test_disciplines_anzsrc);
        tcase_add_test(t, test_disciplines_themes_lcsh);
        suite_add_tcase(s, t);
        return s;
}

FD_TEST_MAIN(record_suite)
