/* lang.c: languages to BCP 47 with an ISO 639-1 primary subtag.
 *
 * Sources write a language as an ISO 639-1 code ("en", "EN"), an ISO 639-2
 * bibliographic or terminology code ("ger", "deu"), a BCP 47 tag in any
 * case or with an underscore ("en_gb", "zh-hans"), or a name in English or
 * in the language itself ("German", "Deutsch", "français").  Codes go
 * through one sorted table (every ISO 639-2 code that has a 639-1 code,
 * both /B and /T, plus a few withdrawn ones like "iw" and a few 639-2
 * languages without a 639-1 code such as "grc"), names through another
 * (the ISO 639-2 English names from Debian's iso-codes, plus native and a
 * few German/French/Italian exonyms), both bsearched.  Names are compared
 * after lowercasing, including the accented Latin, Greek and Cyrillic
 * capitals ("Français", "ČEŠTINA").  Subtags after the primary one get
 * their BCP 47 casing: script "Hans", region "GB" or "419", variants and
 * extensions lowercase.  "und", "zxx" and anything else unknown give false,
 * except a code the source marks as ISO 639-3 ("ISO639-3:lnh"), kept as it
 * is (BCP 47 takes any 639-3 code as a primary subtag).
 */
#include <stddef.h>

#include "record-private.h"

#define LANG_MAX 64

struct lang_entry {
        const char *key, *code;
};

/* Generated from iso-codes' iso_639-2.json (and the lists above); sorted
 * by strcmp, test_record checks the order. */
static const struct lang_entry lang_codes[] = {
        {"aa", "aa"}, {"aar", "aa"}, {"ab", "ab"}, {"abk", "ab"}, {"ae", "ae"}, {"af", "af"}, {"afr", "af"},
        {"ak", "ak"}, {"aka", "ak"}, {"alb", "sq"}, {"am", "am"}, {"amh", "am"}, {"an", "an"}, {"ang", "ang"},
        {"ar", "ar"}, {"ara", "ar"}, {"arg", "an"}, {"arm", "hy"}, {"as", "as"}, {"asm", "as"}, {"av", "av"},
        {"ava", "av"}, {"ave", "ae"}, {"ay", "ay"}, {"aym", "ay"}, {"az", "az"}, {"aze", "az"}, {"ba", "ba"},
        {"bak", "ba"}, {"bam", "bm"}, {"baq", "eu"}, {"be", "be"}, {"bel", "be"}, {"ben", "bn"}, {"bg", "bg"},
        {"bh", "bh"}, {"bi", "bi"}, {"bih", "bh"}, {"bis", "bi"}, {"bm", "bm"}, {"bn", "bn"}, {"bo", "bo"},
        {"bod", "bo"}, {"bos", "bs"}, {"br", "br"}, {"bre", "br"}, {"bs", "bs"}, {"bul", "bg"}, {"bur", "my"},
        {"ca", "ca"}, {"cat", "ca"}, {"ce", "ce"}, {"ces", "cs"}, {"ch", "ch"}, {"cha", "ch"}, {"che", "ce"},
        {"chi", "zh"}, {"chu", "cu"}, {"chv", "cv"}, {"co", "co"}, {"cor", "kw"}, {"cos", "co"}, {"cr", "cr"},
        {"cre", "cr"}, {"cs", "cs"}, {"cu", "cu"}, {"cv", "cv"}, {"cy", "cy"}, {"cym", "cy"}, {"cze", "cs"},
        {"da", "da"}, {"dan", "da"}, {"de", "de"}, {"deu", "de"}, {"div", "dv"}, {"dsb", "dsb"},
        {"dut", "nl"}, {"dv", "dv"}, {"dz", "dz"}, {"dzo", "dz"}, {"ee", "ee"}, {"el", "el"}, {"ell", "el"},
        {"en", "en"}, {"eng", "en"}, {"enm", "enm"}, {"eo", "eo"}, {"epo", "eo"}, {"es", "es"}, {"est", "et"},
        {"et", "et"}, {"eu", "eu"}, {"eus", "eu"}, {"ewe", "ee"}, {"fa", "fa"}, {"fao", "fo"}, {"fas", "fa"},
        {"ff", "ff"}, {"fi", "fi"}, {"fij", "fj"}, {"fin", "fi"}, {"fj", "fj"}, {"fo", "fo"}, {"fr", "fr"},
        {"fra", "fr"}, {"fre", "fr"}, {"frm", "frm"}, {"fro", "fro"}, {"fry", "fy"}, {"ful", "ff"},
        {"fy", "fy"}, {"ga", "ga"}, {"gd", "gd"}, {"geo", "ka"}, {"ger", "de"}, {"gl", "gl"}, {"gla", "gd"},
        {"gle", "ga"}, {"glg", "gl"}, {"glv", "gv"}, {"gmh", "gmh"}, {"gn", "gn"}, {"goh", "goh"},
        {"grc", "grc"}, {"gre", "el"}, {"grn", "gn"}, {"gsw", "gsw"}, {"gu", "gu"}, {"guj", "gu"},
        {"gv", "gv"}, {"ha", "ha"}, {"hat", "ht"}, {"hau", "ha"}, {"he", "he"}, {"heb", "he"}, {"her", "hz"},
        {"hi", "hi"}, {"hin", "hi"}, {"hmo", "ho"}, {"ho", "ho"}, {"hr", "hr"}, {"hrv", "hr"}, {"hsb", "hsb"},
        {"ht", "ht"}, {"hu", "hu"}, {"hun", "hu"}, {"hy", "hy"}, {"hye", "hy"}, {"hz", "hz"}, {"ia", "ia"},
        {"ibo", "ig"}, {"ice", "is"}, {"id", "id"}, {"ido", "io"}, {"ie", "ie"}, {"ig", "ig"}, {"ii", "ii"},
        {"iii", "ii"}, {"ik", "ik"}, {"iku", "iu"}, {"ile", "ie"}, {"ina", "ia"}, {"ind", "id"}, {"io", "io"},
        {"ipk", "ik"}, {"is", "is"}, {"isl", "is"}, {"it", "it"}, {"ita", "it"}, {"iu", "iu"}, {"iw", "he"},
        {"ja", "ja"}, {"jav", "jv"}, {"ji", "yi"}, {"jpn", "ja"}, {"jv", "jv"}, {"jw", "jv"}, {"ka", "ka"},
        {"kal", "kl"}, {"kan", "kn"}, {"kas", "ks"}, {"kat", "ka"}, {"kau", "kr"}, {"kaz", "kk"},
        {"kg", "kg"}, {"khm", "km"}, {"ki", "ki"}, {"kik", "ki"}, {"kin", "rw"}, {"kir", "ky"}, {"kj", "kj"},
        {"kk", "kk"}, {"kl", "kl"}, {"km", "km"}, {"kn", "kn"}, {"ko", "ko"}, {"kom", "kv"}, {"kon", "kg"},
        {"kor", "ko"}, {"kr", "kr"}, {"ks", "ks"}, {"ku", "ku"}, {"kua", "kj"}, {"kur", "ku"}, {"kv", "kv"},
        {"kw", "kw"}, {"ky", "ky"}, {"la", "la"}, {"lao", "lo"}, {"lat", "la"}, {"lav", "lv"}, {"lb", "lb"},
        {"lg", "lg"}, {"li", "li"}, {"lim", "li"}, {"lin", "ln"}, {"lit", "lt"}, {"ln", "ln"}, {"lo", "lo"},
        {"lt", "lt"}, {"ltz", "lb"}, {"lu", "lu"}, {"lub", "lu"}, {"lug", "lg"}, {"lv", "lv"}, {"mac", "mk"},
        {"mah", "mh"}, {"mal", "ml"}, {"mao", "mi"}, {"mar", "mr"}, {"may", "ms"}, {"mg", "mg"}, {"mh", "mh"},
        {"mi", "mi"}, {"mk", "mk"}, {"mkd", "mk"}, {"ml", "ml"}, {"mlg", "mg"}, {"mlt", "mt"}, {"mn", "mn"},
        {"mol", "ro"}, {"mon", "mn"}, {"mr", "mr"}, {"mri", "mi"}, {"ms", "ms"}, {"msa", "ms"}, {"mt", "mt"},
        {"mul", "mul"}, {"my", "my"}, {"mya", "my"}, {"na", "na"}, {"nau", "na"}, {"nav", "nv"}, {"nb", "nb"},
        {"nbl", "nr"}, {"nd", "nd"}, {"nde", "nd"}, {"ndo", "ng"}, {"nds", "nds"}, {"ne", "ne"},
        {"nep", "ne"}, {"ng", "ng"}, {"nl", "nl"}, {"nld", "nl"}, {"nn", "nn"}, {"nno", "nn"}, {"no", "no"},
        {"nob", "nb"}, {"nor", "no"}, {"nr", "nr"}, {"nv", "nv"}, {"ny", "ny"}, {"nya", "ny"}, {"oc", "oc"},
        {"oci", "oc"}, {"oj", "oj"}, {"oji", "oj"}, {"om", "om"}, {"or", "or"}, {"ori", "or"}, {"orm", "om"},
        {"os", "os"}, {"oss", "os"}, {"pa", "pa"}, {"pan", "pa"}, {"per", "fa"}, {"pi", "pi"}, {"pl", "pl"},
        {"pli", "pi"}, {"pol", "pl"}, {"por", "pt"}, {"ps", "ps"}, {"pt", "pt"}, {"pus", "ps"}, {"qu", "qu"},
        {"que", "qu"}, {"rm", "rm"}, {"rn", "rn"}, {"ro", "ro"}, {"roh", "rm"}, {"ron", "ro"}, {"ru", "ru"},
        {"rum", "ro"}, {"run", "rn"}, {"rus", "ru"}, {"rw", "rw"}, {"sa", "sa"}, {"sag", "sg"}, {"san", "sa"},
        {"sc", "sc"}, {"scc", "sr"}, {"scr", "hr"}, {"sd", "sd"}, {"se", "se"}, {"sg", "sg"}, {"si", "si"},
        {"sin", "si"}, {"sk", "sk"}, {"sl", "sl"}, {"slk", "sk"}, {"slo", "sk"}, {"slv", "sl"}, {"sm", "sm"},
        {"sma", "sma"}, {"sme", "se"}, {"smj", "smj"}, {"smn", "smn"}, {"smo", "sm"}, {"sms", "sms"},
        {"sn", "sn"}, {"sna", "sn"}, {"snd", "sd"}, {"so", "so"}, {"som", "so"}, {"sot", "st"}, {"spa", "es"},
        {"sq", "sq"}, {"sqi", "sq"}, {"sr", "sr"}, {"srd", "sc"}, {"srp", "sr"}, {"ss", "ss"}, {"ssw", "ss"},
        {"st", "st"}, {"su", "su"}, {"sun", "su"}, {"sv", "sv"}, {"sw", "sw"}, {"swa", "sw"}, {"swe", "sv"},
        {"ta", "ta"}, {"tah", "ty"}, {"tam", "ta"}, {"tat", "tt"}, {"te", "te"}, {"tel", "te"}, {"tg", "tg"},
        {"tgk", "tg"}, {"tgl", "tl"}, {"th", "th"}, {"tha", "th"}, {"ti", "ti"}, {"tib", "bo"}, {"tir", "ti"},
        {"tk", "tk"}, {"tl", "tl"}, {"tn", "tn"}, {"to", "to"}, {"ton", "to"}, {"tr", "tr"}, {"ts", "ts"},
        {"tsn", "tn"}, {"tso", "ts"}, {"tt", "tt"}, {"tuk", "tk"}, {"tur", "tr"}, {"tw", "tw"}, {"twi", "tw"},
        {"ty", "ty"}, {"ug", "ug"}, {"uig", "ug"}, {"uk", "uk"}, {"ukr", "uk"}, {"ur", "ur"}, {"urd", "ur"},
        {"uz", "uz"}, {"uzb", "uz"}, {"ve", "ve"}, {"ven", "ve"}, {"vi", "vi"}, {"vie", "vi"}, {"vo", "vo"},
        {"vol", "vo"}, {"wa", "wa"}, {"wel", "cy"}, {"wln", "wa"}, {"wo", "wo"}, {"wol", "wo"}, {"xh", "xh"},
        {"xho", "xh"}, {"yi", "yi"}, {"yid", "yi"}, {"yo", "yo"}, {"yor", "yo"}, {"za", "za"}, {"zh", "zh"},
        {"zha", "za"}, {"zho", "zh"}, {"zu", "zu"}, {"zul", "zu"},
};

static const struct lang_entry lang_names[] = {
        {"abkhazian", "ab"}, {"afar", "aa"}, {"afrikaans", "af"}, {"akan", "ak"}, {"albanian", "sq"},
        {"aleman", "de"}, {"alemán", "de"}, {"allemand", "de"}, {"amharic", "am"}, {"ancient greek", "grc"},
        {"anglais", "en"}, {"arabic", "ar"}, {"aragonese", "an"}, {"armenian", "hy"}, {"assamese", "as"},
        {"avaric", "av"}, {"avestan", "ae"}, {"aymara", "ay"}, {"azerbaijani", "az"},
        {"bahasa indonesia", "id"}, {"bambara", "bm"}, {"bashkir", "ba"}, {"basque", "eu"},
        {"belarusian", "be"}, {"bengali", "bn"}, {"bihari languages", "bh"}, {"bislama", "bi"},
        {"bokmal", "nb"}, {"bokmål", "nb"}, {"bokmål, norwegian", "nb"}, {"bosanski", "bs"},
        {"bosnian", "bs"}, {"breton", "br"}, {"brezhoneg", "br"}, {"bulgarian", "bg"}, {"burmese", "my"},
        {"castellano", "es"}, {"castilian", "es"}, {"catala", "ca"}, {"catalan", "ca"}, {"català", "ca"},
        {"central khmer", "km"}, {"cesky", "cs"}, {"cestina", "cs"}, {"chamorro", "ch"}, {"chechen", "ce"},
        {"chewa", "ny"}, {"chichewa", "ny"}, {"chinese", "zh"}, {"chuang", "za"}, {"church slavic", "cu"},
        {"church slavonic", "cu"}, {"chuvash", "cv"}, {"cornish", "kw"}, {"corsican", "co"}, {"cree", "cr"},
        {"croatian", "hr"}, {"cymraeg", "cy"}, {"czech", "cs"}, {"danish", "da"}, {"dansk", "da"},
        {"deutsch", "de"}, {"dhivehi", "dv"}, {"divehi", "dv"}, {"dutch", "nl"}, {"dzongkha", "dz"},
        {"eesti", "et"}, {"eesti keel", "et"}, {"englisch", "en"}, {"english", "en"}, {"espagnol", "es"},
        {"espanol", "es"}, {"español", "es"}, {"esperanto", "eo"}, {"estonian", "et"}, {"euskara", "eu"},
        {"euskera", "eu"}, {"ewe", "ee"}, {"faroese", "fo"}, {"farsi", "fa"}, {"fijian", "fj"},
        {"finnish", "fi"}, {"flemish", "nl"}, {"francais", "fr"}, {"frances", "fr"}, {"francese", "fr"},
        {"francés", "fr"}, {"franzosisch", "fr"}, {"französisch", "fr"}, {"français", "fr"}, {"french", "fr"},
        {"frysk", "fy"}, {"fulah", "ff"}, {"føroyskt", "fo"}, {"gaeilge", "ga"}, {"gaelic", "gd"},
        {"galego", "gl"}, {"galician", "gl"}, {"ganda", "lg"}, {"georgian", "ka"}, {"german", "de"},
        {"gikuyu", "ki"}, {"greek", "el"}, {"greek, modern", "el"}, {"greek, modern (1453-)", "el"},
        {"greenlandic", "kl"}, {"guarani", "gn"}, {"gujarati", "gu"}, {"gàidhlig", "gd"}, {"haitian", "ht"},
        {"haitian creole", "ht"}, {"hausa", "ha"}, {"hebrew", "he"}, {"herero", "hz"}, {"hindi", "hi"},
        {"hiri motu", "ho"}, {"hrvatski", "hr"}, {"hungarian", "hu"}, {"icelandic", "is"}, {"ido", "io"},
        {"igbo", "ig"}, {"indonesian", "id"}, {"ingles", "en"}, {"inglese", "en"}, {"inglés", "en"},
        {"interlingua", "ia"}, {"interlingua (international auxiliary language association)", "ia"},
        {"interlingue", "ie"}, {"inuktitut", "iu"}, {"inupiaq", "ik"}, {"irish", "ga"},
        {"irish gaelic", "ga"}, {"islenska", "is"}, {"italian", "it"}, {"italiano", "it"}, {"italien", "it"},
        {"italienisch", "it"}, {"japanese", "ja"}, {"javanese", "jv"}, {"kalaallisut", "kl"},
        {"kannada", "kn"}, {"kanuri", "kr"}, {"kashmiri", "ks"}, {"kazakh", "kk"}, {"kikuyu", "ki"},
        {"kinyarwanda", "rw"}, {"kirghiz", "ky"}, {"komi", "kv"}, {"kongo", "kg"}, {"korean", "ko"},
        {"kuanyama", "kj"}, {"kurdish", "ku"}, {"kwanyama", "kj"}, {"kyrgyz", "ky"}, {"lao", "lo"},
        {"latin", "la"}, {"latina", "la"}, {"latinum", "la"}, {"latvian", "lv"}, {"latviesu", "lv"},
        {"latviešu", "lv"}, {"latviešu valoda", "lv"}, {"letzeburgesch", "lb"}, {"lietuviu", "lt"},
        {"lietuvių", "lt"}, {"lietuvių kalba", "lt"}, {"limburgan", "li"}, {"limburger", "li"},
        {"limburgish", "li"}, {"lingala", "ln"}, {"lithuanian", "lt"}, {"low german", "nds"},
        {"luba-katanga", "lu"}, {"luxembourgish", "lb"}, {"lëtzebuergesch", "lb"}, {"macedonian", "mk"},
        {"magyar", "hu"}, {"malagasy", "mg"}, {"malay", "ms"}, {"malayalam", "ml"}, {"maldivian", "dv"},
        {"maltese", "mt"}, {"malti", "mt"}, {"mandarin", "zh"}, {"manx", "gv"}, {"maori", "mi"},
        {"marathi", "mr"}, {"marshallese", "mh"}, {"middle english", "enm"}, {"modern greek", "el"},
        {"moldavian", "ro"}, {"moldovan", "ro"}, {"mongolian", "mn"}, {"multilingual", "mul"},
        {"multiple languages", "mul"}, {"nauru", "na"}, {"navaho", "nv"}, {"navajo", "nv"},
        {"ndebele, north", "nd"}, {"ndebele, south", "nr"}, {"ndonga", "ng"}, {"nederlands", "nl"},
        {"nepali", "ne"}, {"niederländisch", "nl"}, {"norsk", "no"}, {"norsk bokmal", "nb"},
        {"norsk bokmål", "nb"}, {"norsk nynorsk", "nn"}, {"north ndebele", "nd"}, {"northern sami", "se"},
        {"norwegian", "no"}, {"norwegian bokmal", "nb"}, {"norwegian bokmål", "nb"},
        {"norwegian nynorsk", "nn"}, {"nuosu", "ii"}, {"nyanja", "ny"}, {"nynorsk", "nn"},
        {"nynorsk, norwegian", "nn"}, {"occidental", "ie"}, {"occitan", "oc"}, {"occitan (post 1500)", "oc"},
        {"ojibwa", "oj"}, {"old bulgarian", "cu"}, {"old church slavonic", "cu"}, {"old english", "ang"},
        {"old slavonic", "cu"}, {"oriya", "or"}, {"oromo", "om"}, {"ossetian", "os"}, {"ossetic", "os"},
        {"pali", "pi"}, {"panjabi", "pa"}, {"pashto", "ps"}, {"persian", "fa"}, {"plattdeutsch", "nds"},
        {"polish", "pl"}, {"polski", "pl"}, {"portugiesisch", "pt"}, {"portugues", "pt"},
        {"portuguese", "pt"}, {"português", "pt"}, {"provençal", "oc"}, {"punjabi", "pa"}, {"pushto", "ps"},
        {"quechua", "qu"}, {"romana", "ro"}, {"romanian", "ro"}, {"romansh", "rm"}, {"românește", "ro"},
        {"română", "ro"}, {"rumantsch", "rm"}, {"rundi", "rn"}, {"russian", "ru"}, {"russisch", "ru"},
        {"samoan", "sm"}, {"sango", "sg"}, {"sanskrit", "sa"}, {"sardinian", "sc"}, {"schwedisch", "sv"},
        {"scottish gaelic", "gd"}, {"serbian", "sr"}, {"shona", "sn"}, {"shqip", "sq"}, {"sichuan yi", "ii"},
        {"sindhi", "sd"}, {"sinhala", "si"}, {"sinhalese", "si"}, {"slovak", "sk"}, {"slovencina", "sk"},
        {"slovene", "sl"}, {"slovenian", "sl"}, {"slovenscina", "sl"}, {"slovenčina", "sk"},
        {"slovenščina", "sl"}, {"somali", "so"}, {"sotho", "st"}, {"sotho, southern", "st"},
        {"south ndebele", "nr"}, {"spanisch", "es"}, {"spanish", "es"}, {"srpski", "sr"}, {"sundanese", "su"},
        {"suomi", "fi"}, {"svenska", "sv"}, {"swahili", "sw"}, {"swati", "ss"}, {"swedish", "sv"},
        {"swiss german", "gsw"}, {"tagalog", "tl"}, {"tahitian", "ty"}, {"tajik", "tg"}, {"tamil", "ta"},
        {"tatar", "tt"}, {"tedesco", "de"}, {"telugu", "te"}, {"thai", "th"}, {"tibetan", "bo"},
        {"tigrinya", "ti"}, {"tiếng việt", "vi"}, {"tonga", "to"}, {"tonga (tonga islands)", "to"},
        {"tsonga", "ts"}, {"tswana", "tn"}, {"turkce", "tr"}, {"turkish", "tr"}, {"turkmen", "tk"},
        {"twi", "tw"}, {"türkçe", "tr"}, {"uighur", "ug"}, {"ukrainian", "uk"}, {"urdu", "ur"},
        {"uyghur", "ug"}, {"uzbek", "uz"}, {"valencian", "ca"}, {"venda", "ve"}, {"vietnamese", "vi"},
        {"vlaams", "nl"}, {"volapük", "vo"}, {"walloon", "wa"}, {"welsh", "cy"}, {"western frisian", "fy"},
        {"wolof", "wo"}, {"xhosa", "xh"}, {"yiddish", "yi"}, {"yoruba", "yo"}, {"zhuang", "za"},
        {"zulu", "zu"}, {"íslenska", "is"}, {"česky", "cs"}, {"čeština", "cs"}, {"ελληνικά", "el"},
        {"ελληνικα", "el"}, {"беларуская", "be"}, {"български", "bg"}, {"македонски", "mk"},
        {"русский", "ru"}, {"српски", "sr"}, {"українська", "uk"}, {"հայերեն", "hy"}, {"עברית", "he"},
        {"العربية", "ar"}, {"فارسی", "fa"}, {"ქართული", "ka"}, {"中文", "zh"}, {"日本語", "ja"}, {"汉语", "zh"},
        {"漢語", "zh"}, {"한국어", "ko"},
};

static int entry_cmp(const void *k, const void *e) {
        return strcmp(k, ((const struct lang_entry *)e)->key);
}

static const char *lookup(const struct lang_entry *t, size_t n, const char *key) {
        const struct lang_entry *e = bsearch(key, t, n, sizeof *t, entry_cmp);
        return e ? e->code : NULL;
}

/* The lowercase of a code point of ASCII, Latin-1, Latin Extended-A, basic
 * Greek or basic Cyrillic (every capital of the names in lang_names). */
static unsigned lower_cp(unsigned cp) {
        if (cp >= 'A' && cp <= 'Z')
                return cp + 32;
        if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
                return cp + 32;
        if (cp >= 0x100 && cp <= 0x137 && !(cp & 1))
                return cp + 1;
        if (cp >= 0x139 && cp <= 0x148 && (cp & 1))
                return cp + 1;
        if (cp >= 0x14A && cp <= 0x177 && !(cp & 1))
                return cp + 1;
        if (cp == 0x178)
                return 0xFF;
        if (cp >= 0x179 && cp <= 0x17E && (cp & 1))
                return cp + 1;
        if (cp == 0x386)
                return 0x3AC;
        if (cp >= 0x388 && cp <= 0x38A)
                return cp + 37;
        if (cp == 0x38C)
                return 0x3CC;
        if (cp == 0x38E || cp == 0x38F)
                return cp + 63;
        if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2)
                return cp + 32;
        if (cp >= 0x400 && cp <= 0x40F)
                return cp + 80;
        if (cp >= 0x410 && cp <= 0x42F)
                return cp + 32;
        return cp;
}

/* Lowercases s[0..n) into out, collapsing white space; false when out is
 * too small. */
static bool lower_utf8(const char *s, size_t n, char *out, size_t outsz) {
        size_t o = 0;
        bool space = false;

        for (size_t i = 0; i < n;) {
                unsigned char c = (unsigned char)s[i];
                if (fd_ascii_space((char)c)) {
                        space = o > 0;
                        i++;
                        continue;
                }
                if (space) {
                        if (o + 2 > outsz)
                                return false;
                        out[o++] = ' ';
                        space = false;
                }
                if (c < 0x80) {
                        if (o + 2 > outsz)
                                return false;
                        out[o++] = fd_ascii_lower((char)c);
                        i++;
                        continue;
                }
                if ((c & 0xE0) == 0xC0 && i + 1 < n && ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
                        unsigned cp = lower_cp(((c & 0x1Fu) << 6) | ((unsigned char)s[i + 1] & 0x3Fu));
                        if (o + 3 > outsz)
                                return false;
                        if (cp < 0x80)
                                out[o++] = (char)cp;
                        else {
                                out[o++] = (char)(0xC0 | (cp >> 6));
                                out[o++] = (char)(0x80 | (cp & 0x3F));
                        }
                        i += 2;
                        continue;
                }
                if (o + 2 > outsz)
                        return false;
                out[o++] = (char)c; /* 3- and 4-byte characters as they are */
                i++;
        }
        out[o] = '\0';
        return true;
}

/* The primary subtag: a code of 2 or 3 ASCII letters. */
static const char *primary(const char *s, size_t n) {
        char key[4];
        if (n < 2 || n > 3)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                if (!fd_ascii_alpha(s[i]))
                        return NULL;
                key[i] = fd_ascii_lower(s[i]);
        }
        key[n] = '\0';
        return lookup(lang_codes, FD_ELEMENTSOF(lang_codes), key);
}

static bool all_alpha(const char *s, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (!fd_ascii_alpha(s[i]))
                        return false;
        return true;
}

static bool all_digit(const char *s, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (!fd_ascii_digit(s[i]))
                        return false;
        return true;
}

static bool all_alnum(const char *s, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (!fd_ascii_alnum(s[i]))
                        return false;
        return true;
}

/* A tag with subtags ("en_gb", "zh-hans-cn", "sr-Latn"): writes it with
 * BCP 47 casing. */
static bool tag(const char *s, size_t n, char *out, size_t outsz) {
        char buf[LANG_MAX + 1];
        size_t o = 0, i = 0, pos = 0;
        bool script = false, region = false, ext = false;

        while (i <= n) {
                size_t j = i;
                while (j < n && s[j] != '-' && s[j] != '_')
                        j++;
                const char *sub = s + i;
                size_t len = j - i;
                if (len == 0 || len > 8 || !all_alnum(sub, len))
                        return false;
                if (pos == 0) {
                        const char *code = primary(sub, len);
                        if (!code)
                                return false;
                        o = strlen(code);
                        memcpy(buf, code, o);
                } else {
                        if (o + 1 + len + 1 > sizeof buf)
                                return false;
                        buf[o++] = '-';
                        for (size_t k = 0; k < len; k++)
                                buf[o + k] = fd_ascii_lower(sub[k]);
                        if (ext) {
                                /* extension or private use: lowercase as is */
                        } else if (len == 1) {
                                ext = true;
                        } else if (pos == 1 && len == 3 && all_alpha(sub, len)) {
                                /* extended language subtag ("zh-yue") */
                        } else if (len == 4 && all_alpha(sub, len) && !script && !region) {
                                buf[o] = fd_ascii_upper(sub[0]);
                                script = true;
                        } else if (((len == 2 && all_alpha(sub, len)) || (len == 3 && all_digit(sub, len))) &&
                                   !region) {
                                buf[o] = fd_ascii_upper(sub[0]);
                                buf[o + 1] = fd_ascii_upper(sub[1]);
                                region = true;
                        } else if (!((len >= 5) || (len == 4 && fd_ascii_digit(sub[0])))) {
                                return false;
                        }
                        o += len;
                }
                pos++;
                i = j + 1;
        }
        buf[o] = '\0';
        if (o + 1 > outsz)
                return false;
        memcpy(out, buf, o + 1);
        return true;
}

/* ISO 639-2's names of one language joined ("Spanish; Castilian", "Dutch,
 * Flemish"): the code all its named parts agree on, NULL when a part is
 * another language ("English, French": two languages, not one) or none is
 * known.  low is lowercased and cut in place. */
static const char *synonyms(char *low) {
        const char *code = NULL;

        if (!strpbrk(low, ",;"))
                return NULL;
        for (char *save = NULL, *part = strtok_r(low, ",;", &save); part; part = strtok_r(NULL, ",;", &save)) {
                const char *s;
                size_t n;
                fd_trim_span(part, &s, &n);
                if (n == 0)
                        continue;
                part[(s - part) + (ptrdiff_t)n] = '\0';
                const char *c = lookup(lang_names, FD_ELEMENTSOF(lang_names), s);
                if (!c || (code && strcmp(code, c) != 0))
                        return NULL;
                code = c;
        }
        return code;
}

bool fd_lang_normalize(const char *in, char *out, size_t outsz) {
        const char *s, *code;
        size_t n;
        char low[LANG_MAX * 2 + 1];

        if (!out || outsz == 0)
                return false;
        out[0] = '\0';
        if (!in)
                return false;
        fd_trim_span(in, &s, &n);
        if (n == 0 || n > LANG_MAX)
                return false;
        if (n == 12 && fd_prefix_ci(s, "iso639-3:") && all_alpha(s + 9, 3) && !(code = primary(s + 9, 3))) {
                /* a code the source says is ISO 639-3 ("ISO639-3:lnh", IMDI and
                 * CMDI): a BCP 47 primary subtag as it is, unless it says no
                 * language ("und", "zxx", "mul", "mis") */
                char c3[4] = {fd_ascii_lower(s[9]), fd_ascii_lower(s[10]), fd_ascii_lower(s[11]), '\0'};
                if (!strcmp(c3, "und") || !strcmp(c3, "zxx") || !strcmp(c3, "mul") || !strcmp(c3, "mis") ||
                    outsz < 4)
                        return false;
                memcpy(out, c3, 4);
                return true;
        }
        if (n > 9 && fd_prefix_ci(s, "iso639-3:"))
                s += 9, n -= 9;
        if ((code = primary(s, n))) {
                if (strlen(code) + 1 > outsz)
                        return false;
                memcpy(out, code, strlen(code) + 1);
                return true;
        }
        if ((memchr(s, '-', n) || memchr(s, '_', n)) && tag(s, n, out, outsz))
                return true;
        if (!lower_utf8(s, n, low, sizeof low))
                return false;
        if (!(code = lookup(lang_names, FD_ELEMENTSOF(lang_names), low)) && !(code = synonyms(low)))
                return false;
        if (strlen(code) + 1 > outsz)
                return false;
        memcpy(out, code, strlen(code) + 1);
        return true;
}

bool fd_lang_tables_ok(void) {
        for (size_t i = 1; i < FD_ELEMENTSOF(lang_codes); i++)
                if (strcmp(lang_codes[i - 1].key, lang_codes[i].key) >= 0)
                        return false;
        for (size_t i = 1; i < FD_ELEMENTSOF(lang_names); i++)
                if (strcmp(lang_names[i - 1].key, lang_names[i].key) >= 0)
                        return false;
        return true;
}
