#!/usr/bin/env python3
"""Generate data/sample/repository.xml, the bundled OAI-PMH Static Repository.

The records are synthetic: titles, abstracts, people, identifiers and grant
numbers are composed from per-discipline and per-language templates and name
lists with a fixed random seed, so every run writes the same bytes.  They are
meant to look and misbehave like the oai_dc a harvester meets in European
repositories (Zenodo, PANGAEA, 4TU, DANS, DSpace, EPrints, HAL, DiVA...), not
to describe real objects.  See README.md next to this file for the quirks.

Python 3 standard library only.  Usage:

    python3 data/sample/gen_sample.py            # writes repository.xml
    python3 data/sample/gen_sample.py -o FILE    # writes FILE instead
    python3 data/sample/gen_sample.py --check    # only checks an existing file
    python3 data/sample/gen_sample.py --quirks   # lists the records with each quirk

After writing, the file is parsed again and checked against the Static
Repository rules (one ListRecords per format, no setSpec, no status, day
granularity, unique OAI identifiers, earliestDatestamp) and a summary is
printed.
"""

import argparse
import json
import os
import random
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from xml.sax.saxutils import escape

SEED = 20240315
N_RECORDS = 300
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "repository.xml")

REPO_NAME = "fairdex sample repository (synthetic records)"
# A Static Repository's baseURL is the gateway URL followed by the file's
# URL without its scheme; both hosts are reserved example names.
BASE_URL = "http://gateway.example.org/oai/sample.fairdex.example.org/repository.xml"
ADMIN_EMAIL = "fairdex-sample@example.org"
OAI_PREFIX = "oai:sample.fairdex.org:"
LAST_DAY = (2025, 5, 31)          # no date in the file is later than this

NS_SR = "http://www.openarchives.org/OAI/2.0/static-repository"
NS_OAI = "http://www.openarchives.org/OAI/2.0/"
NS_OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
NS_DC = "http://purl.org/dc/elements/1.1/"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"


class Raw(str):
    """Text written to the file as is (already well-formed XML)."""


# ---------------------------------------------------------------------------
# Vocabulary: the name lists, word lists, templates and hand-written records
# live in vocab/*.json (vocab/README.md says what each key holds).  JSON has
# no tuples, so the pairs the code below unpacks or tests with isinstance
# (a value and its weight, an original and its English, a date) become
# tuples here; nothing else is changed.
# ---------------------------------------------------------------------------

VOCAB = os.path.join(HERE, "vocab")


def _load(name):
    with open(os.path.join(VOCAB, name + ".json"), encoding="utf-8") as f:
        return json.load(f)


def _tuples(items):
    return [tuple(x) for x in items]


def _slots(v):
    """A template's slot values: plain values or (original, English) pairs;
    _y1range is the (first, last) range of a {y1} slot."""
    return {k: tuple(x) if k == "_y1range" else [tuple(e) if isinstance(e, list) else e for e in x]
            for k, x in v.items()}


def D(key, **kw):
    kw["ddc"] = tuple(kw["ddc"])
    kw["journals"] = _tuples(kw["journals"])
    kw["repos"] = _tuples(kw["repos"])
    kw.setdefault("img", [])
    kw.setdefault("dnote", [])
    kw.setdefault("types", {})
    kw["v"] = _slots(kw.get("v", {}))
    return kw


def L(d, kinds, t, en, a, ae, kw, v=None, acc=None):
    return dict(d=d, kinds=kinds, t=t, en=en, a=a, ae=ae, kw=kw, v=_slots(v or {}), acc=acc)


# name, host (under example.org), platform, handle prefix, URN prefix, own DOI pattern
def U(name, host, platform, handle=None, urn=None, doi=None):
    return dict(name=name, host=host, platform=platform, handle=handle, urn=urn, doi=doi)


_people = _load("people")
NAMES = {lang: [tuple(p.split("|")) for p in names] for lang, names in _people["names"].items()}
EN_POOL_WEIGHTS = _tuples(_people["en_pool_weights"])  # which pools English records draw their people from
ORGS, FUNDERS, ACRONYMS = _people["orgs"], _people["funders"], _people["acronyms"]

_languages = _load("languages")
LANG_CODES = {lang: _tuples(codes) for lang, codes in _languages["lang_codes"].items()}
XML_LANG, NUM_SEP = _languages["xml_lang"], _languages["num_sep"]

_disciplines = _load("disciplines")
DISC = {key: D(key, **d) for key, d in _disciplines["disc"].items()}
DISC_WEIGHTS = _disciplines["disc_weights"]  # relative weight of each discipline among English records
KIND_WEIGHTS = _disciplines["kind_weights"]

_local = _load("local")
LOCAL = {lang: [L(**e) for e in entries] for lang, entries in _local["local"].items()}
LOCAL_COUNTS = _local["local_counts"]  # how many records each language contributes (English fills the rest)
LOCAL_TYPES = _local["local_types"]  # local wording for some fields, used now and then instead of the English one
LOCAL_LICENSES, CLOSED_RIGHTS_LOCAL = _local["local_licenses"], _local["closed_rights_local"]

_records = _load("records")
FIXED_RECORD = dict(_records["fixed_record"], elements=_tuples(_records["fixed_record"]["elements"]))
FIXED_ID = FIXED_RECORD["oai_id"]
CLUSTER = [dict(c, titles=_tuples(c["titles"]), descs=_tuples(c["descs"])) for c in _records["cluster"]]

_sources = _load("sources")
UNIS = {lang: [U(**u) for u in unis] for lang, unis in _sources["unis"].items()}
UNI_LANG_WEIGHTS = _tuples(_sources["uni_lang_weights"])
DATA_REPOS = _sources["data_repos"]
ALPHA, CANON = _sources["alpha"], _sources["canon"]
PLATFORM_ORDER = {platform: {"alpha": ALPHA, "canon": CANON}[order]
                  for platform, order in _sources["platform_order"].items()}
ZENODO_RANGES = {int(year): tuple(r) for year, r in _sources["zenodo_ranges"].items()}
DOI_FORMS, HDL_FORMS = _tuples(_sources["doi_forms"]), _tuples(_sources["hdl_forms"])

_fields = _load("fields")
LIC, CLOSED_RIGHTS = _fields["lic"], _fields["closed_rights"]
ACCESS, ACCESS_TEXT = _fields["access"], _fields["access_text"]
TYPES = {kind: _tuples(types) for kind, types in _fields["types"].items()}
VERSION_TYPES, CONF_NAMES = _fields["version_types"], _fields["conf_names"]
PLANGS, FEATURES, COMMUNITIES = _tuples(_fields["plangs"]), _fields["features"], _fields["communities"]
DATE_STYLES = _tuples(_fields["date_styles"])
BATCH_DATES = _tuples(_fields["batch_dates"])  # bulk re-indexing days


# ---------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------

def orcid(rng):
    base = "0000000" + str(rng.randint(1, 3)) + "".join(str(rng.randint(0, 9)) for _ in range(7))
    total = 0
    for c in base:
        total = (total + int(c)) * 2
    res = (12 - total % 11) % 11
    check = "X" if res == 10 else str(res)
    s = base + check
    return "-".join(s[i:i + 4] for i in range(0, 16, 4))


def initials(given):
    out = []
    for part in given.split(" "):
        if "-" in part:
            out.append("-".join(p[0] + "." for p in part.split("-")))
        else:
            out.append(part[0] + ".")
    return " ".join(out)


PARTICLES = ("van den ", "van der ", "van ", "de ")


def fmt_person(fam, given, style, rng):
    if style == "gf":
        return f"{given} {fam}"
    if style == "fi":
        return f"{fam}, {initials(given)}"
    if style == "nl_dspace":
        for p in PARTICLES:
            if fam.startswith(p):
                return f"{fam[len(p):]}, {given} {p.strip()}"
        return f"{fam}, {given}"
    if style == "orcid":
        return f"{fam}, {given} (https://orcid.org/{orcid(rng)})"
    return f"{fam}, {given}"


def pick_people(rng, lang, n, exclude=()):
    people = []
    seen = set(exclude)
    tries = 0
    while len(people) < n and tries < 200:
        tries += 1
        if lang == "en":
            pool = rng.choices([p for p, _ in EN_POOL_WEIGHTS], [w for _, w in EN_POOL_WEIGHTS])[0]
        else:
            r = rng.random()
            if lang == "el" and r < 0.35:
                pool = "el_script"
            elif r < 0.72:
                pool = lang
            else:
                pool = rng.choices([p for p, _ in EN_POOL_WEIGHTS], [w for _, w in EN_POOL_WEIGHTS])[0]
        p = rng.choice(NAMES[pool])
        if p in seen:
            continue
        seen.add(p)
        people.append(p)
    return people


def wchoice(rng, pairs):
    return rng.choices([p for p, _ in pairs], [w for _, w in pairs])[0]


# ---------------------------------------------------------------------------
# Slot filling
# ---------------------------------------------------------------------------

SLOT = re.compile(r"\{(\w+)\}")


def slot_value(base, vocab, ch, rng, lang):
    if base in vocab:
        v = rng.choice(vocab[base])
        if isinstance(v, str) and "{" in v:
            v = fill(v, {k: x for k, x in vocab.items() if k != base}, ch, rng, lang)
        return v
    if base in ("y1", "y2"):
        lo1, hi1 = vocab.get("_y1range", (1950, 2012))
        y1 = rng.randint(lo1, hi1)
        if rng.random() < 0.5:
            y1 -= y1 % 5
        y2 = rng.randint(max(y1 + 5, 2010), 2023)
        if "y1" not in ch:
            ch["y1"] = y1
        if "y2" not in ch:
            ch["y2"] = y2
        return ch[base]
    if base in ("h1", "h2"):
        h1 = rng.randint(1380, 1820)
        h1 -= h1 % 10
        ch.setdefault("h1", h1)
        ch.setdefault("h2", h1 + rng.choice([30, 40, 50, 75, 100, 120]))
        return ch[base]
    if base == "n":
        return rng.randint(12, 950)
    if base == "n2":
        return rng.randint(3, 60)
    if base == "k":
        return rng.randint(2, 9)
    if base == "pct":
        return rng.randint(6, 48)
    if base == "y":
        return rng.randint(2008, 2023)
    if base == "ver":
        return f"{rng.randint(0, 3)}.{rng.randint(0, 12)}.{rng.randint(0, 9)}"
    if base == "nbig":
        v = rng.randint(12000, 260000)
        en = f"{v:,}"
        return (en.replace(",", NUM_SEP.get(lang, ",")), en)
    raise KeyError(f"unknown slot {base!r}")


def fill(tmpl, vocab, ch, rng, lang="en"):
    def rep(m):
        name = m.group(1)
        cap = name.endswith("_cap")
        base = name[:-4] if cap else name
        en = base.endswith("_en")
        if en:
            base = base[:-3]
        if base not in ch:
            ch[base] = slot_value(base, vocab, ch, rng, lang)
        v = ch[base]
        if isinstance(v, tuple):
            v = v[1] if en else v[0]
        v = str(v)
        if cap:
            v = v[0].upper() + v[1:]
        return v
    return SLOT.sub(rep, tmpl)


def split_group(t):
    """'A|text' -> ('A', 'text'); 'text' -> (None, 'text')."""
    if len(t) > 2 and t[1] == "|" and t[0].isupper():
        return t[0], t[2:]
    return None, t


FREE_SLOTS = {"n", "n2", "k", "pct", "y", "y1", "y2", "h1", "h2", "nbig", "ver"}


def slot_base(name):
    for suffix in ("_cap", "_en"):
        if name.endswith(suffix):
            name = name[:-len(suffix)]
    return name


def fits(sentence, ch):
    """A sentence fits when each topical slot in it was already chosen (by the title)."""
    return all(slot_base(s) in ch or slot_base(s) in FREE_SLOTS for s in SLOT.findall(sentence))


def kw_filter(pool, group):
    out = []
    for w in pool:
        g, text = split_group(w)
        if g in (None, group):
            out.append(text)
    return out


def pick_grouped(rng, items, group, k=1, ch=None):
    ok = [s for s in items if split_group(s)[0] in (None, group) and (ch is None or fits(split_group(s)[1], ch))]
    if not ok:
        return []
    k = min(k, len(ok))
    return [split_group(s)[1] for s in rng.sample(ok, k)]


# ---------------------------------------------------------------------------
# Identifiers and dates
# ---------------------------------------------------------------------------

def digits(rng, n):
    return "".join(str(rng.randint(0, 9)) for _ in range(n))


def alnum(rng, n, alphabet="0123456789abcdefghjkmnpqrstvwxyz"):
    return "".join(rng.choice(alphabet) for _ in range(n))


def fill_pattern(rng, pat, year):
    def rep(m):
        key = m.group(1)
        if key == "Y":
            return str(year)
        if key.startswith("d"):
            return digits(rng, int(key[1:]))
        raise KeyError(key)
    return re.sub(r"\{(\w+)\}", rep, pat)


def uuid4(rng):
    h = "".join(rng.choice("0123456789abcdef") for _ in range(32))
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{rng.choice('89ab')}{h[17:20]}-{h[20:32]}"


def isbn13(rng, prefix):
    """A valid ISBN-13 that starts with prefix (given with its hyphens)."""
    head = prefix.replace("-", "")
    rest = digits(rng, 12 - len(head))
    body = head + rest
    s = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(body))
    return f"{prefix}-{rest}-{(10 - s % 10) % 10}"


def days_in(y, m):
    if m == 2:
        return 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28
    return 30 if m in (4, 6, 9, 11) else 31


def add_days(date, n):
    y, m, d = date
    d += n
    while d > days_in(y, m):
        d -= days_in(y, m)
        m += 1
        if m > 12:
            m, y = 1, y + 1
    return (y, m, d)


def clamp(date):
    return min(date, LAST_DAY)


def fmt_date(rng, date, style):
    y, m, d = date
    if style == "y":
        return f"{y}"
    if style == "ym":
        return f"{y}-{m:02d}"
    if style == "dmy":
        return f"{d:02d}/{m:02d}/{y}"
    if style == "dmy_dot":
        return f"{d:02d}.{m:02d}.{y}"
    if style == "iso":
        return f"{y}-{m:02d}-{d:02d}T{rng.randint(6, 22):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z"
    return f"{y}-{m:02d}-{d:02d}"


def pick_year(rng, lo=2006):
    years = list(range(lo, 2026))
    return rng.choices(years, [1 + (y - 2006) * 0.7 for y in years])[0]


class Ctx:
    """Everything shared between records: the random generator, used DOIs and titles."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.dois = {"10.5072/zenodo.1234567"}
        self.titles = set()
        self.numeric_id = 10000

    def unique_doi(self, make):
        for _ in range(50):
            d = make()
            if d.lower() not in self.dois:
                self.dois.add(d.lower())
                return d
        raise RuntimeError("could not make a unique DOI")

    def next_id(self):
        self.numeric_id += self.rng.choice([1, 1, 1, 1, 2, 3, 7])
        return OAI_PREFIX + str(self.numeric_id)


def fmt_doi(rng, doi):
    return wchoice(rng, DOI_FORMS).format(doi)


def doi_url(rng, doi):
    return rng.choice(["https://doi.org/{}", "https://doi.org/{}", "http://dx.doi.org/{}"]).format(doi)


def find_uni(lang, name):
    for u in UNIS[lang]:
        if u["name"] == name:
            return u
    raise KeyError(name)


# ---------------------------------------------------------------------------
# Building one record
# ---------------------------------------------------------------------------

LOCAL_PLACE_OK = {"stadt", "land", "humedal", "landskap", "regione", "sito", "citta", "ort", "ciudad", "stad",
                  "reg", "comarca"}
COVERAGE_SLOTS = ["region", "tregion", "mregion", "gregion", "sea", "river", "place", "site", "aregion", "country", "land", "stadt", "gebiet",
                  "mer", "humedal", "area", "regio", "stad", "miejsce", "cidade", "landskap", "reka", "topos",
                  "zona", "comarca", "ciudad", "regione", "sito", "citta", "reg", "ort", "ville"]


class Rec:
    def __init__(self, oai_id, disc, kind, lang, quality):
        self.oai_id = oai_id
        self.disc, self.kind, self.lang, self.quality = disc, kind, lang, quality
        self.el = []            # (name, value, attrs)
        self.datestamp = None
        self.platform = "zenodo"
        self.quirks = []
        self.doi = None
        self.min_stamp = (1900, 1, 1)   # e.g. Zenodo did not exist before 2013

    def add(self, name, value, lang=None):
        self.el.append((name, value, {"xml:lang": lang} if lang else None))

    def values(self, name):
        return [v for n, v, _ in self.el if n == name]


def choose_repo(ctx, disc, kind, lang, quality):
    rng = ctx.rng
    if kind == "thesis":
        r = "uni"
    elif kind in ("article", "conference", "report"):
        r = "uni" if rng.random() < 0.72 else "zenodo"
    elif kind == "software":
        r = "zenodo" if rng.random() < 0.85 else "uni"
    elif kind == "image":
        r = "zenodo" if rng.random() < 0.45 else "uni"
    else:
        r = wchoice(rng, DISC[disc]["repos"])
        if lang != "en" and rng.random() < 0.3:
            r = "uni"
    if quality == "poor" and r != "uni" and rng.random() < 0.6:
        r = "uni"
    if r == "uni":
        ul = lang if lang in UNIS and lang != "en" else wchoice(rng, UNI_LANG_WEIGHTS)
        return ("uni", rng.choice(UNIS[ul]))
    return (r, None)


def parse_repo(spec):
    if spec.startswith("uni:"):
        _, lang, name = spec.split(":", 2)
        return ("uni", find_uni(lang, name))
    return (spec, None)


def journal_doi(ctx, disc, year):
    rng = ctx.rng
    j = rng.choice(DISC[disc]["journals"])
    doi = ctx.unique_doi(lambda: fill_pattern(rng, j[1], year))
    return j, doi


def citation_source(rng, j, year):
    vol = max(1, year - rng.randint(1960, 2005))
    form = rng.random()
    if form < 0.45:
        p = rng.randint(1, 1800)
        return f"{j[0]}, {vol}({rng.randint(1, 12)}), {p}-{p + rng.randint(7, 32)}"
    if form < 0.75:
        return f"{j[0]} {vol}: {rng.randint(100000, 199999)}"
    if form < 0.9:
        return f"{j[0]}, vol. {vol}, {year}"
    return j[0]


def add_identifiers(ctx, r, repo, uni, year, title, people):
    """Identifiers, publisher, source and some relations, as the platform would give them."""
    rng = ctx.rng
    q, kind, disc = r.quality, r.kind, r.disc
    ids, rels = [], []
    publisher = None
    doi = None
    journal = None
    if kind == "article":
        journal, jdoi = journal_doi(ctx, disc, year)
    if repo == "uni":
        r.platform = uni["platform"]
        scheme = "http" if (q == "poor" and rng.random() < 0.7) else "https"
        base = f"{scheme}://{uni['host']}.example.org"
        p = uni["platform"]
        if q == "poor" and rng.random() < 0.6:
            ids.append(f"http://{uni['host']}.example.org/{rng.randint(100, 29999)}/")
        elif p == "dspace":
            h = f"{uni['handle']}/{rng.randint(1000, 299999)}"
            ids.append(wchoice(rng, HDL_FORMS).format(h))
            if rng.random() < 0.35:
                ids.append(f"{base}/items/{uuid4(rng)}" if rng.random() < 0.4 else f"{base}/handle/{h}")
        elif p == "opus":
            n = rng.randint(1000, 250000)
            ids.append(f"{uni['urn']}{n}{rng.randint(0, 9)}")
            ids.append(f"{base}/frontdoor/index/index/docId/{n}")
        elif p == "eprints":
            n = rng.randint(100, 99999)
            ids.append(f"{base}/id/eprint/{n}/")
            if kind in ("article", "thesis", "report", "conference") and rng.random() < 0.4:
                slug = re.sub(r"[^a-z0-9]+", "_", title.lower())[:24].strip("_")
                ids.append(f"{base}/id/eprint/{n}/1/{slug}.pdf")
            if kind == "article" and q != "poor" and rng.random() < 0.6 and people:
                fam, given = people[0]
                etal = " et al." if len(people) > 1 else ""
                ids.append(f"{fam}, {initials(given)}{etal} ({year}) {title}. {journal[0]}.")
                r.quirks.append("citation-in-identifier")
        elif p == "hal":
            hal = f"hal-0{rng.randint(1000000, 4999999)}"
            if rng.random() < 0.6:
                ids.append(hal)
            ids.append(f"https://{uni['host']}.example.org/{hal}")
            if rng.random() < 0.4:
                ids.append(f"https://hal.example.org/{hal}/document")
        elif p == "diva":
            urn = f"{uni['urn']}{rng.randint(100000, 999999)}"
            ids.append(urn)
            if rng.random() < 0.5:
                ids.append(f"http://urn.kb.example.org/resolve?urn={urn}")
        if uni.get("urn") and p == "dspace" and kind == "thesis" and rng.random() < 0.7:
            ids.append(f"{uni['urn']}{year}{digits(rng, 8)}")
        if uni.get("doi") and kind in ("dataset", "image", "thesis", "report") and q != "poor" and rng.random() < 0.6:
            doi = ctx.unique_doi(lambda: fill_pattern(rng, uni["doi"], year))
            ids.append(fmt_doi(rng, doi))
        if kind in ("thesis", "report", "dataset", "image"):
            publisher = uni["name"]
    else:
        r.platform = repo
        publisher = DATA_REPOS.get(repo)
        if repo == "zenodo":
            up = max(year, rng.randint(2014, 2016)) if year < 2014 else year
            lo, hi = ZENODO_RANGES[min(up, 2025)]
            doi = ctx.unique_doi(lambda: f"10.5281/zenodo.{rng.randint(lo, hi)}")
            n = doi.rsplit(".", 1)[1]
            r.min_stamp = (up, 1, 1)
            if kind != "article":
                ids.append(fmt_doi(rng, doi))
            if rng.random() < 0.6 or kind == "article":
                ids.append(f"https://zenodo.example.org/{'records' if year >= 2023 or rng.random() < 0.5 else 'record'}/{n}")
            if rng.random() < 0.12:
                rels.append(f"https://zenodo.example.org/communities/{rng.choice(COMMUNITIES)}")
            if kind == "article":
                doi = None
        elif repo == "pangaea":
            mid = min(700000 + (max(year, 2006) - 2008) * 16000, 962000)
            doi = ctx.unique_doi(lambda: f"10.1594/PANGAEA.{rng.randint(mid - 7000, mid + 7000)}")
            ids.append(fmt_doi(rng, doi))
            if rng.random() < 0.4:
                ids.append(f"https://doi.pangaea.example.org/{doi}")
        elif repo == "gfz":
            doi = ctx.unique_doi(lambda: f"10.5880/GFZ.{rng.randint(1, 5)}.{rng.randint(1, 8)}.{year}.{digits(rng, 3)}")
            ids.append(fmt_doi(rng, doi))
            if rng.random() < 0.4:
                ids.append(f"https://dataservices.gfz.example.org/panmetaworks/showshort.php?id={alnum(rng, 32, '0123456789abcdef')}")
        elif repo == "4tu":
            u = uuid4(rng)
            if year < 2020:
                doi = ctx.unique_doi(lambda: f"10.4121/uuid:{uuid4(rng)}")
            else:
                doi = ctx.unique_doi(lambda: f"10.4121/{rng.randint(12000000, 25999999)}.v{rng.randint(1, 3)}")
            ids.append(fmt_doi(rng, doi))
            if rng.random() < 0.5:
                ids.append(f"https://data.4tu.example.org/datasets/{u}/{rng.randint(1, 3)}")
        elif repo == "mendeley":
            v = rng.randint(1, 4)
            doi = ctx.unique_doi(lambda: f"10.17632/{alnum(rng, 10, 'abcdefghijklmnopqrstuvwxyz0123456789')}.{v}")
            ids.append(fmt_doi(rng, doi))
            if rng.random() < 0.5:
                ids.append(f"https://data.mendeley.example.org/datasets/{doi.split('/')[1].split('.')[0]}/{v}")
        elif repo == "dryad":
            doi = ctx.unique_doi(lambda: f"10.5061/dryad.{alnum(rng, 9)}")
            ids.append(fmt_doi(rng, doi))
            if rng.random() < 0.5:
                ids.append(f"https://datadryad.example.org/stash/dataset/doi:{doi}")
        elif repo == "dans":
            doi = ctx.unique_doi(lambda: f"10.17026/dans-{alnum(rng, 3)}-{alnum(rng, 4)}")
            ids.append(fmt_doi(rng, doi))
            if rng.random() < 0.5:
                ids.append(f"urn:nbn:nl:ui:13-{alnum(rng, 4)}-{alnum(rng, 2)}")
            if rng.random() < 0.4:
                ids.append(f"https://ssh.datastations.example.org/dataset.xhtml?persistentId=doi:{doi}")
        elif repo == "seanoe":
            doi = ctx.unique_doi(lambda: f"10.17882/{rng.randint(40000, 99999)}")
            ids.append(fmt_doi(rng, doi))
            if rng.random() < 0.5:
                ids.append(f"https://www.seanoe.example.org/data/00{digits(rng, 3)}/{doi.split('/')[1]}/")
        elif repo == "gesis":
            doi = ctx.unique_doi(lambda: f"10.4232/1.{rng.randint(10000, 14999)}")
            za = f"ZA{rng.randint(4000, 8999)}"
            ids.append(fmt_doi(rng, doi))
            if rng.random() < 0.6:
                ids.append(za)
            if rng.random() < 0.4:
                ids.append(f"https://search.gesis.example.org/research_data/{za}")
    # kind-specific additions
    source = None
    if kind == "article":
        place = rng.random()
        if repo != "uni" or place < 0.55:
            ids.insert(0, fmt_doi(rng, jdoi))
        elif place < 0.85:
            rels.append(f"info:eu-repo/semantics/altIdentifier/doi/{jdoi}")
        if q != "poor" and rng.random() < 0.85:
            publisher = journal[2]
        if q != "poor" and rng.random() < (0.85 if q == "rich" else 0.55):
            source = citation_source(rng, journal, year)
        doi = jdoi
    elif kind == "conference":
        conf = DISC[disc]["conf"]
        if conf == "EGU":
            if year >= 2019:
                cdoi = ctx.unique_doi(lambda: f"10.5194/egusphere-egu{year % 100}-{digits(rng, 5)}")
                ids.insert(0, fmt_doi(rng, cdoi))
                doi = doi or cdoi
                source = f"EGU General Assembly {year}"
                publisher = publisher if repo != "uni" else "Copernicus GmbH"
            else:
                source = f"Geophysical Research Abstracts, Vol. {year - 1998}, EGU{year}-{rng.randint(1000, 19999)}"
        elif conf == "LNCS":
            cdoi = ctx.unique_doi(lambda: f"10.1007/978-3-031-{digits(rng, 5)}-{digits(rng, 1)}_{rng.randint(1, 40)}")
            ids.insert(0, fmt_doi(rng, cdoi))
            doi = doi or cdoi
            source = f"Lecture Notes in Computer Science, vol. {rng.randint(13000, 14999)}"
            publisher = "Springer"
        else:
            source = f"{conf} {year}" if rng.random() < 0.7 else f"Proceedings of the {conf} {year}"
    elif kind == "report" and rng.random() < 0.3 and q != "poor":
        rdoi = ctx.unique_doi(lambda: f"10.2760/{digits(rng, 6)}")
        ids.append(fmt_doi(rng, rdoi))
        doi = doi or rdoi
        ids.append(rng.choice([f"JRC{digits(rng, 6)}", "ISBN " + isbn13(rng, "978-92-76"), "ISSN 1831-9424"]))
        publisher = "Publications Office of the European Union"
    elif kind == "thesis" and q != "poor":
        prefix = {"fi": "978-951-51", "sv": "978-91-513", "nl": "978-94-6375", "de": "978-3-8439",
                  "en": "978-1-80356", "it": "978-88-3381", "es": "978-84-09"}.get(r.lang)
        if prefix and rng.random() < 0.3:
            ids.append(rng.choice(["ISBN ", "ISBN: ", "urn:isbn:", ""]) + isbn13(rng, prefix))
    if kind == "software" and q != "poor" and rng.random() < 0.12:
        ids.append("swh:1:rel:" + alnum(rng, 40, "0123456789abcdef"))
    if q == "poor":
        ids = ids[:1]
        if rng.random() < 0.7:
            publisher = None
        source = None
        rels = []
    for i in ids:
        r.add("identifier", i)
    r.doi = doi
    return publisher, source, rels, journal


def pick_access(rng, r, acc):
    if acc:
        return acc
    if r.kind == "software":
        return "open" if rng.random() < 0.95 else None
    w = [("open", 72), ("embargoed", 8), ("restricted", 9), ("closed", 5), (None, 6)]
    if r.disc == "medicine" and r.kind == "dataset":
        w = [("open", 45), ("restricted", 40), ("embargoed", 5), ("closed", 5), (None, 5)]
    if r.kind == "thesis":
        w = [("open", 75), ("embargoed", 12), ("closed", 6), (None, 7)]
    return wchoice(rng, w)


def add_rights(rng, r, acc, issued):
    q = r.quality
    if q == "poor":
        x = rng.random()
        if x < 0.12:
            r.add("rights", rng.choice(["All rights reserved", "Copyright (c) the authors"]))
        elif x < 0.25:
            r.add("rights", rng.choice(["http://creativecommons.org/licenses/by/4.0/", "CC-BY", "Open Access"]))
        return
    access = pick_access(rng, r, acc)
    if access == "closed":
        lic_key = None
        text = CLOSED_RIGHTS_LOCAL.get(r.lang) if rng.random() < 0.4 else None
        lic = text or rng.choice(CLOSED_RIGHTS)
    elif access == "restricted":
        x = rng.random()
        lic = None if x < 0.5 else (rng.choice(LIC["cc-by-nc"]) if x < 0.8 else
                                     "Access restricted to research use; see the data access agreement.")
    else:
        if r.kind == "software":
            lic_key = wchoice(rng, [("mit", 35), ("apache", 20), ("gpl3", 25), ("bsd3", 10), ("eupl", 10)])
        elif r.kind in ("dataset", "image"):
            lic_key = wchoice(rng, [("cc-by", 55), ("cc0", 24), ("cc-by-sa", 7), ("odbl", 4), ("cc-by-nc", 10)])
        else:
            lic_key = wchoice(rng, [("cc-by", 58), ("cc-by-nc-nd", 15), ("cc-by-nc", 10), ("cc-by-sa", 5), ("inc", 12)])
        lic = rng.choice(LIC[lic_key])
        if lic_key == "cc-by" and r.lang in LOCAL_LICENSES and rng.random() < 0.25:
            lic = rng.choice(LOCAL_LICENSES[r.lang])
        if q == "normal" and rng.random() < 0.12:
            lic = None
    out = []
    if lic:
        out.append(lic)
    if access and (q == "rich" or rng.random() < 0.75):
        a = ACCESS[access] if rng.random() < 0.93 else rng.choice(ACCESS_TEXT[access])
        if rng.random() < 0.3:
            out.insert(0, a)
        else:
            out.append(a)
    for v in out:
        r.add("rights", v)
    if access == "embargoed":
        end = clamp(add_days(issued, rng.choice([183, 365, 365, 548, 730])))
        r.add("date", f"info:eu-repo/date/embargoEnd/{end[0]}-{end[1]:02d}-{end[2]:02d}")


def add_types(rng, r):
    kind, q = r.kind, r.quality
    if q == "poor" and rng.random() < 0.45:
        return
    lt = LOCAL_TYPES.get(r.lang, {}).get(kind)
    if lt and rng.random() < 0.35:
        vals = list(rng.choice(lt))
    else:
        vals = list(wchoice(rng, TYPES[kind]))
    if kind == "article" and q != "poor" and rng.random() < 0.3:
        vals.append(rng.choice(VERSION_TYPES))
    for v in vals:
        r.add("type", v)


def add_formats(rng, r):
    kind, q = r.kind, r.quality
    if q == "poor":
        return
    if kind == "dataset":
        fm = DISC[r.disc]["formats"]
        chosen = []
        for f in rng.sample(fm, min(len(fm), rng.choice([1, 1, 2]))):
            if f not in chosen:
                chosen.append(f)
        for f in chosen:
            r.add("format", f)
        if q == "rich" and rng.random() < 0.3:
            r.add("format", f"{rng.randint(1, 999)}.{rng.randint(0, 9)} {rng.choice(['kB', 'MB', 'MB', 'GB'])}")
    elif kind == "software":
        if rng.random() < 0.6:
            r.add("format", rng.choice(["application/zip", "application/zip", "application/gzip", "application/x-tar"]))
    elif kind == "image":
        r.add("format", rng.choice(["image/jpeg", "image/tiff", "image/png", "image/jpeg"]))
        if rng.random() < 0.3:
            r.add("format", f"{rng.randint(12, 900)} images")
    else:
        x = rng.random()
        if x < 0.7:
            r.add("format", "application/pdf")
        elif x < 0.8:
            r.add("format", "PDF")
        elif x < 0.85:
            r.add("format", "pdf")
        if q == "rich" and kind == "thesis" and rng.random() < 0.4:
            r.add("format", f"{rng.randint(120, 340)} p.")


def creator_style(rng, r):
    x = rng.random()
    if r.quality == "poor":
        return "gf" if x < 0.35 else ("fi" if x < 0.5 else "fg")
    if x < 0.06:
        return "fi"
    if x < 0.11:
        return "gf"
    if r.quality == "rich" and x < 0.2:
        return "orcid"
    return "fg"


def add_people(rng, r, people):
    if r.kind == "dataset" and r.quality != "poor" and rng.random() < 0.06:
        r.add("creator", rng.choice(ORGS))          # an organisation as (first) creator
    style = creator_style(rng, r)
    nl_dspace = r.platform == "dspace" and rng.random() < 0.6
    for fam, given in people:
        s = style
        if s == "orcid" and rng.random() < 0.5:
            s = "fg"
        if nl_dspace and fam.startswith(PARTICLES):
            s = "nl_dspace"
        r.add("creator", fmt_person(fam, given, s, rng))


def n_creators(rng, r):
    if r.quality == "poor" or r.kind == "thesis":
        return 1
    if r.quality == "normal":
        return rng.choice([1, 1, 2, 2, 3, 3, 4])
    return rng.choice([2, 3, 3, 4, 5, 6, 8])


def add_contributors(rng, r, people):
    if r.quality == "poor":
        return
    if r.kind == "thesis":
        for fam, given in pick_people(rng, r.lang, rng.choice([1, 1, 2]), exclude=people):
            r.add("contributor", f"{fam}, {given}")
    elif r.quality == "rich" and rng.random() < 0.45:
        for fam, given in pick_people(rng, r.lang, rng.choice([1, 2]), exclude=people):
            r.add("contributor", f"{fam}, {given}")
    if r.quality == "rich" and rng.random() < 0.15:
        r.add("contributor", rng.choice(FUNDERS))


def grant_relation(rng):
    x = rng.random()
    if x < 0.35:
        return f"info:eu-repo/grantAgreement/EC/H2020/{rng.randint(633000, 965999)}/"
    if x < 0.6:
        return f"info:eu-repo/grantAgreement/EC/HE/101{digits(rng, 6)}/"
    if x < 0.7:
        return f"info:eu-repo/grantAgreement/EC/FP7/{rng.randint(200000, 339999)}/"
    if x < 0.85:
        acr = rng.choice(ACRONYMS)
        return f"info:eu-repo/grantAgreement/EC/H2020/{rng.randint(633000, 965999)}/EU/{acr}/{acr}"
    return rng.choice([f"info:eu-repo/grantAgreement/DFG//{digits(rng, 9)}/",
                       f"info:eu-repo/grantAgreement/SNSF/Project funding/{rng.randint(150000, 219999)}/",
                       f"info:eu-repo/grantAgreement/NWO/VIDI/{digits(rng, 3)}.{digits(rng, 3)}.{digits(rng, 3)}/"])


def add_relations(ctx, r, rels, ch, year):
    rng = ctx.rng
    q = r.quality
    p = 0.6 if q == "rich" else (0.2 if q == "normal" else 0)
    if rng.random() < p:
        rels.append(grant_relation(rng))
    if r.kind == "dataset" and q != "poor" and rng.random() < (0.4 if q == "rich" else 0.15):
        _, jdoi = journal_doi(ctx, r.disc, year)
        rels.append(doi_url(rng, jdoi) if rng.random() < 0.8 else f"info:eu-repo/semantics/isSupplementTo/doi/{jdoi}")
    if r.kind == "software" and q != "poor":
        pkg = ch.get("pkg", "code")
        rels.append(f"https://github.example.org/{rng.choice(['fairlab', 'eu-science', 'rse-group', 'opensci'])}/{pkg}"
                    + (f"/tree/v{ch['ver']}" if "ver" in ch and rng.random() < 0.6 else ""))
    if r.disc == "genomics" and r.kind == "dataset" and q != "poor" and rng.random() < 0.6:
        acc = f"PRJEB{rng.randint(30000, 69999)}"
        rels.append(rng.choice([f"ENA:{acc}", f"https://www.ebi.example.org/ena/browser/view/{acc}"]))
    for v in rels:
        r.add("relation", v)


def add_dates(rng, r, issued):
    if r.quality == "poor":
        r.add("date", str(issued[0]))
        return
    style = wchoice(rng, DATE_STYLES)
    if r.lang == "de" and rng.random() < 0.25:
        style = "dmy_dot"
    if r.platform == "zenodo":
        style = "ymd"
    r.add("date", fmt_date(rng, issued, style))
    if r.quality == "rich" and rng.random() < 0.3:
        created = (issued[0] - rng.randint(0, 2), rng.randint(1, 12), rng.randint(1, 28))
        r.add("date", fmt_date(rng, min(created, issued), rng.choice(["y", "ymd", "ym"])))


def add_language(rng, r, also_en=False):
    q = r.quality
    if q == "poor" and rng.random() < 0.7:
        return
    if q == "normal" and rng.random() < 0.12:
        return
    r.add("language", wchoice(rng, LANG_CODES[r.lang]))
    if also_en and rng.random() < 0.35:
        r.add("language", wchoice(rng, LANG_CODES["en"]))


def add_subjects(rng, r, kw_pool, extra_en=None, group=None):
    q = r.quality
    kw_pool = kw_filter(kw_pool, group)
    extra_en = kw_filter(extra_en, None) if extra_en else None
    if q == "poor":
        if rng.random() < 0.2 and kw_pool:
            r.add("subject", rng.choice(kw_pool))
        return
    k = rng.randint(2, 4) if q == "normal" else rng.randint(3, 5)
    kws = rng.sample(kw_pool, min(k, len(kw_pool)))
    if extra_en and rng.random() < 0.3:
        kws.append(rng.choice(extra_en))
    if r.platform == "zenodo" and rng.random() < 0.3:
        kws = [w[0].upper() + w[1:] for w in kws]
    for w in kws:
        r.add("subject", w)
    d = DISC[r.disc]
    if q == "rich" and rng.random() < 0.6 or q == "normal" and rng.random() < 0.15:
        r.add("subject", d["fos"])
    if q == "rich" and rng.random() < 0.4 or q == "normal" and rng.random() < 0.1:
        code, label = d["ddc"]
        r.add("subject", rng.choice([f"ddc:{code}", code, f"info:eu-repo/classification/ddc/{code}",
                                     f"{code} {label}"]))


def add_coverage(rng, r, ch, local):
    if r.quality != "rich" or rng.random() < 0.5:
        return
    for s in COVERAGE_SLOTS:
        if s in ch:
            v = ch[s]
            if isinstance(v, tuple):
                # inflected or prepositional forms ("w Wieliczce", "dei Campi Flegrei") are no place names
                v = v[0] if local and s in LOCAL_PLACE_OK else v[1]
            r.add("coverage", str(v))
            break
    if "y1" in ch and rng.random() < 0.5:
        r.add("coverage", rng.choice([f"{ch['y1']}-{ch['y2']}", f"{ch['y1']}/{ch['y2']}"]))
    elif "h1" in ch and rng.random() < 0.5:
        r.add("coverage", f"{ch['h1']}-{ch['h2']}")


# nothing can be published before the thing it names existed
MIN_YEAR = {"Gaia DR3": 2022, "TESS": 2019, "Sentinel-2": 2016, "Sentinel-1": 2015, "EURO-CORDEX": 2013,
            "CMIP6": 2019, "ERA5-Land": 2019, "CERRA": 2022, "EU AI Act": 2021, "Digital Services Act": 2021,
            "GDPR": 2016, "RGPD": 2018, "large language models": 2020, "transformer models": 2018, "KATRIN": 2019,
            "LOFAR": 2012, "MUSE": 2015, "European Green Deal": 2020, "single-cell RNA-seq": 2014,
            "platform work regulation": 2022, "Run 2": 2017, "DigCompEdu": 2018, "Common Voice": 2019,
            "Urgenda": 2019, "HOMER": 2012, "serverless": 2016, "Kubernetes": 2016, "ICESat-2": 2019,
            "PacBio HiFi": 2020, "BUSCO": 2016, "federated learning": 2018, "ArcticDEM": 2018,
            "GermanSL 1.5": 2014, "MEI 4.0": 2019, "NA61/SHINE": 2010, "CNO neutrinos": 2020,
            "hybrid high-order": 2015, "Universal Dependencies": 2016, "FAIR": 2017}


def issued_date(rng, ch, year_min=2006):
    y = pick_year(rng, year_min)
    if "y2" in ch and isinstance(ch["y2"], int):
        y = max(y, min(ch["y2"] + 1, 2025))
    if "y" in ch and isinstance(ch["y"], int):
        y = max(y, min(ch["y"] + 1, 2025))
    last_month = LAST_DAY[1] if y == LAST_DAY[0] else 12
    return (y, rng.randint(1, last_month), rng.randint(1, 28))


def datestamp_for(rng, issued, quality):
    if rng.random() < 0.12:
        later = [b for b in BATCH_DATES if b >= issued]
        if later:
            return rng.choice(later)
    delta = rng.randint(0, 60) if rng.random() < 0.6 else rng.randint(60, 900)
    ds = add_days(issued, delta)
    while ds > LAST_DAY:                     # stay before the last day without piling up on it
        delta //= 2
        ds = add_days(issued, delta)
    return ds


def assemble(ctx, r, titles, descs, kw_pool, ch, repo_spec=None, acc=None, year_min=2006,
             people=None, extra_en_kw=None, local=False, coverage=None):
    """Fill a Rec with everything but the content given (titles, descriptions, keywords)."""
    rng = ctx.rng
    if repo_spec:
        repo, uni = parse_repo(repo_spec)
    else:
        repo, uni = choose_repo(ctx, r.disc, r.kind, r.lang, r.quality)
    text = " ".join(t for t, _ in titles) + " " + " ".join(str(t) for t, _ in descs)
    year_min = max([year_min] + [y for k, y in MIN_YEAR.items() if k in text])
    issued = issued_date(rng, ch, year_min)
    people = people or pick_people(rng, r.lang, n_creators(rng, r))
    for text, lang in titles:
        r.add("title", text, lang)
    publisher, source, rels, _ = add_identifiers(ctx, r, repo, uni, issued[0], titles[0][0], people)
    add_people(rng, r, people)
    add_contributors(rng, r, people)
    add_dates(rng, r, issued)
    for text, lang in descs:
        r.add("description", text, lang)
    add_subjects(rng, r, kw_pool, extra_en_kw, ch.get("_group"))
    add_types(rng, r)
    add_formats(rng, r)
    add_language(rng, r, also_en=local and len(titles) > 1)
    if publisher and (r.quality != "poor" or rng.random() < 0.3):
        r.add("publisher", publisher)
    if source:
        r.add("source", source)
    add_relations(ctx, r, rels, ch, issued[0])
    add_rights(rng, r, acc, issued)
    add_coverage(rng, r, ch, local)
    for c in coverage or []:
        r.add("coverage", c)
    ds = datestamp_for(rng, issued, r.quality)
    if ds < r.min_stamp:
        ds = add_days(r.min_stamp, rng.randint(0, 300))
    r.datestamp = clamp(ds)
    return r


# ---------------------------------------------------------------------------
# Content: titles and abstracts
# ---------------------------------------------------------------------------

GENERIC_SENTENCE = {"dataset": "A README file describes the variables, units and processing steps.",
                    "text": "Implications for research and practice are discussed."}


def compose_abstract(rng, sentences_by_role, target):
    """Keep the order context, method(s), result, note; drop sentences until target is met."""
    seq = [s for s in sentences_by_role if s]
    while len(seq) > target:
        # never drop the last result sentence first; prefer dropping extra methods and notes
        idx = [i for i, (role, _) in enumerate(seq) if role not in ("res", "keep")]
        if not idx:
            break
        seq.pop(rng.choice(idx))
    return " ".join(text for _, text in seq)


def english_content(ctx, disc, kind, quality):
    rng = ctx.rng
    d = DISC[disc]
    for _ in range(40):
        ch = {}
        vocab = d["v"]
        if kind == "software":
            i = rng.randrange(len(d["pkgs"]))
            pkg, task = d["pkgs"][i], d["soft"][i]
            plang = wchoice(rng, PLANGS)
            ch.update(pkg=pkg, task=task, plang=plang)
            ver = slot_value("ver", {}, ch, rng, "en")
            ch["ver"] = ver
            art = "an" if plang == "R" else "a"
            title = rng.choice([f"{pkg}: {art} {plang} package for {task}", f"{pkg} v{ver}",
                                f"{pkg}: {task}", f"{pkg} – tools for {task}"])
            if title in ctx.titles:
                continue
            sents = [("keep", f"{pkg} is an open-source {plang} package for {task}."),
                     ("meth", f"It was developed for research on {d['label'].lower()} and is used in several ongoing projects."),
                     ("meth", "It provides a command-line interface and a documented API and is tested against published reference data."),
                     ("res", f"This release adds {rng.choice(FEATURES)} and fixes several bugs."),
                     ("note", "Please cite the accompanying paper when you use the software.")]
            ctx.titles.add(title)
            target = 2 if quality == "normal" else rng.randint(3, 4)
            return title, compose_abstract(rng, sents, target), ch
        if kind == "image":
            tmpl = rng.choice(d["img"])
        elif kind == "dataset":
            tmpl = rng.choice(d["text"]) if rng.random() < 0.1 else rng.choice(d["data"])
        else:
            tmpl = rng.choice(d["text"])
        group, t = split_group(tmpl)
        title = fill(t, vocab, ch, rng)
        ch["_group"] = group
        if kind == "dataset" and tmpl in d["text"]:
            title = rng.choice(["Data for: ", "Data from: ", "Replication data for: "]) + title
        elif kind == "report" and rng.random() < 0.35:
            title = rng.choice([f"Deliverable D{rng.randint(1, 7)}.{rng.randint(1, 6)}: {title}",
                                f"{title}: final report", f"{title} (working paper)"])
        if title in ctx.titles:
            continue
        ctx.titles.add(title)
        sents = []
        c = pick_grouped(rng, d["ctx"], group, ch=ch)
        if c:
            sents.append(("ctx", fill(c[0], vocab, ch, rng)))
        if kind == "image":
            sents.append(("res", fill("The collection contains {n} images; acquisition dates and settings "
                                      "are listed in an accompanying CSV file.", vocab, ch, rng)))
            sents.append(("note", rng.choice(["Images are provided as full-resolution TIFF files and JPEG previews.",
                                              "Images may be reused with attribution; EXIF metadata have been kept."])))
        else:
            for m in pick_grouped(rng, d["meth"], group, 2, ch=ch):
                sents.append(("meth", fill(m, vocab, ch, rng)))
        res = pick_grouped(rng, d["res"], group, ch=ch)
        if res and kind != "image":
            sents.append(("res", fill(res[0], vocab, ch, rng)))
        if kind == "dataset":
            notes = pick_grouped(rng, d["dnote"], group, ch=ch)
            if notes:
                sents.append(("note", fill(notes[0], vocab, ch, rng)))
        if len(sents) < 2:
            sents.append(("note", GENERIC_SENTENCE["dataset" if kind in ("dataset", "image") else "text"]))
        target = rng.randint(2, 3) if quality == "normal" else rng.randint(3, 4)
        return title, compose_abstract(rng, sents, target), ch
    raise RuntimeError(f"no unique title for {disc}/{kind}")


def pick_disc(rng, kind):
    cands = []
    for k, w in DISC_WEIGHTS.items():
        d = DISC[k]
        mult = d["types"].get(kind, 1.0)
        if kind == "image" and not d["img"]:
            mult = 0
        if mult > 0:
            cands.append((k, w * mult))
    return wchoice(rng, cands)


QUALITY_SHARE = {"poor": 15, "normal": 55, "rich": 30}


def bag(rng, shares, total):
    """A shuffled list of total items with the given percentage shares (largest remainders)."""
    s = sum(shares.values())
    exact = {k: total * v / s for k, v in shares.items()}
    counts = {k: int(x) for k, x in exact.items()}
    for k in sorted(exact, key=lambda k: exact[k] - counts[k], reverse=True)[:total - sum(counts.values())]:
        counts[k] += 1
    items = [k for k, n in counts.items() for _ in range(n)]
    rng.shuffle(items)
    return items


def bag_counts(shares, total):
    s = sum(shares.values())
    exact = [total * v / s for v in shares.values()]
    counts = [int(x) for x in exact]
    order = sorted(range(len(exact)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in order[:total - sum(counts)]:
        counts[i] += 1
    return counts


def pick_quality(ctx):
    return ctx.quality_bag.pop()


def title_lang(rng, r, lang):
    p = {"poor": 0.05, "normal": 0.3, "rich": 0.6}[r.quality]
    return rng.choice(XML_LANG[lang]) if rng.random() < p else None


def make_english(ctx):
    rng = ctx.rng
    kind = ctx.kind_bag.pop()
    disc = pick_disc(rng, kind)
    quality = pick_quality(ctx)
    r = Rec(ctx.next_id(), disc, kind, "en", quality)
    title, abstract, ch = english_content(ctx, disc, kind, quality)
    titles = [(title, title_lang(rng, r, "en"))]
    descs = []
    if quality != "poor":
        descs.append((abstract, rng.choice(XML_LANG["en"]) if rng.random() < (0.3 if quality == "normal" else 0.6) else None))
    return assemble(ctx, r, titles, descs, DISC[disc]["kw"], ch)


def make_local(ctx, lang, entry):
    rng = ctx.rng
    ch = {}
    vocab = entry["v"]
    t_loc = fill(entry["t"], vocab, ch, rng, lang)
    t_en = fill(entry["en"], vocab, ch, rng, lang)
    if t_loc in ctx.titles:
        return None
    ctx.titles.add(t_loc)
    quality = pick_quality(ctx)
    # prefer the kinds still short of their share
    kind = wchoice(rng, [(k, 1 + max(0, ctx.kind_left.get(k, 0))) for k in entry["kinds"]])
    ctx.kind_left[kind] -= 1
    r = Rec(ctx.next_id(), entry["d"], kind, lang, quality)
    dual = quality != "poor" and rng.random() < (0.35 if quality == "normal" else 0.65)
    tagged = rng.random() < 0.9
    if dual:
        titles = [(t_loc, rng.choice(XML_LANG[lang]) if tagged else None),
                  (t_en, rng.choice(XML_LANG["en"]) if tagged else None)]
    else:
        titles = [(t_loc, title_lang(rng, r, lang))]
    descs = []
    if quality != "poor":
        n = rng.randint(2, 3) if quality == "normal" else len(entry["a"])
        text = " ".join(fill(s, vocab, ch, rng, lang) for s in entry["a"][:max(2, n)])
        both = quality == "rich" and rng.random() < 0.5
        tag = both or rng.random() < 0.35
        descs.append((text, rng.choice(XML_LANG[lang]) if tag else None))
        if both:
            descs.append((" ".join(fill(s, vocab, ch, rng, lang) for s in entry["ae"]), rng.choice(XML_LANG["en"])))
    return assemble(ctx, r, titles, descs, entry["kw"], ch, acc=entry["acc"] if rng.random() < 0.7 else None,
                    extra_en_kw=DISC[entry["d"]]["kw"], local=True)


def make_cluster(ctx, spec):
    rng = ctx.rng
    r = Rec(ctx.next_id(), spec["disc"], spec["kind"], spec["lang"], spec["quality"])
    ctx.titles.add(spec["titles"][0][0])
    kw = spec["kw"] or DISC[spec["disc"]]["kw"]
    people = None
    if spec["quality"] == "poor":
        people = pick_people(rng, spec["lang"], 1)
    return assemble(ctx, r, spec["titles"], spec["descs"], kw, {}, repo_spec=spec.get("repo"),
                    acc=spec.get("acc"), year_min=spec["year"], people=people,
                    local=spec["lang"] != "en", coverage=spec.get("coverage"))


def make_fixed():
    r = Rec(FIXED_RECORD["oai_id"], FIXED_RECORD["disc"], FIXED_RECORD["kind"], FIXED_RECORD["lang"],
            FIXED_RECORD["quality"])
    r.platform = "fixed"
    r.datestamp = tuple(int(x) for x in FIXED_RECORD["datestamp"].split("-"))
    r.el = list(FIXED_RECORD["elements"])
    r.doi = "10.5281/zenodo.1234567"
    return r


# ---------------------------------------------------------------------------
# Extra records: a new version of a dataset, and one object registered twice
# ---------------------------------------------------------------------------

def make_new_version(ctx, records):
    rng = ctx.rng
    cands = [r for r in records if r.platform == "zenodo" and r.kind == "dataset" and r.lang == "en"
             and r.quality in ("normal", "rich") and r.doi and r.values("description")]
    old = rng.choice(cands)
    new = Rec(ctx.next_id(), old.disc, old.kind, old.lang, old.quality)
    new.platform = old.platform
    doi = ctx.unique_doi(lambda: f"10.5281/zenodo.{rng.randint(*ZENODO_RANGES[2025])}")
    for name, value, attrs in old.el:
        if name == "identifier":
            if old.doi in value:
                value = value.replace(old.doi, doi)
            elif "zenodo.example.org" in value:
                value = f"https://zenodo.example.org/records/{doi.rsplit('.', 1)[1]}"
        elif name == "description":
            value = "Version 2: adds data for a further year and corrects station coordinates. " + value
        elif name == "date" and not value.startswith("info:"):
            value = f"{LAST_DAY[0] - rng.randint(0, 1)}-{rng.randint(1, 4):02d}-{rng.randint(1, 28):02d}"
        new.el.append((name, value, attrs))
    new.add("relation", f"https://doi.org/{old.doi}")
    new.doi = doi
    new.datestamp = clamp(add_days(max(old.datestamp, (LAST_DAY[0] - 1, 6, 1)), rng.randint(1, 200)))
    new.quirks.append("new-version-of-" + old.oai_id)
    return new


def make_duplicate(ctx, records):
    """The same object (same DOI) under a second OAI identifier, as after a migration."""
    rng = ctx.rng
    cands = [r for r in records if r.kind == "dataset" and r.doi and r.quality == "normal"
             and r.platform in ("pangaea", "gfz", "dryad", "mendeley")]
    old = rng.choice(cands)
    dup = Rec(ctx.next_id(), old.disc, old.kind, old.lang, "poor")
    dup.platform = "eprints"
    dup.add("title", old.values("title")[0].rstrip() + ".")
    dup.add("creator", old.values("creator")[0])
    dates = [d for d in old.values("date") if not d.startswith("info:")]
    dup.add("date", re.match(r".*?(\d{4})", dates[0]).group(1))
    dup.add("identifier", f"http://dx.doi.org/{old.doi}")
    dup.add("type", "Dataset")
    dup.doi = old.doi
    dup.datestamp = BATCH_DATES[-1] if BATCH_DATES[-1] >= old.datestamp else old.datestamp
    dup.quirks.append("same-doi-as-" + old.oai_id)
    old.quirks.append("same-doi-as-" + dup.oai_id)
    return dup


# ---------------------------------------------------------------------------
# Quirks: what real oai_dc does to harvesters, applied to chosen records
# ---------------------------------------------------------------------------

def apply_quirks(ctx, records):
    rng = ctx.rng
    pool = [r for r in records if r.platform != "fixed"]
    counts = Counter()

    def pick(pred, k, tag):
        c = [r for r in pool if pred(r) and tag not in r.quirks]
        chosen = rng.sample(c, min(k, len(c)))
        for r in chosen:
            r.quirks.append(tag)
            counts[tag] += 1
        return chosen

    def edit(r, name, fn, first_only=True):
        for i, (n, v, a) in enumerate(r.el):
            if n == name:
                nv = fn(v, a)
                if isinstance(nv, tuple):
                    r.el[i] = (n, nv[0], nv[1])
                else:
                    r.el[i] = (n, nv, a)
                if first_only:
                    return

    def has(r, name, cond=lambda v: True):
        return any(n == name and not isinstance(v, Raw) and cond(v) for n, v, _ in r.el)

    # Zenodo serves descriptions as (escaped) HTML
    for r in pool:
        if r.platform == "zenodo" and has(r, "description") and rng.random() < 0.45:
            def html(v, a):
                parts = v.split(". ", 1)
                if len(parts) == 2 and rng.random() < 0.5:
                    return f"<p>{parts[0]}.</p>\n<p>{parts[1]}</p>"
                return f"<p>{v}</p>"
            edit(r, "description", html, first_only=False)
            r.quirks.append("html-description")
            counts["html-description"] += 1
    for r in pick(lambda r: has(r, "description") and "html-description" not in r.quirks and r.lang == "en", 2, "cdata"):
        edit(r, "description", lambda v, a: Raw("<![CDATA[" + v.replace("]]>", "") + "<br/>]]>"))
    for r in pick(lambda r: has(r, "title", lambda v: "–" in v), 2, "char-ref"):
        edit(r, "title", lambda v, a: Raw(escape(v).replace("–", "&#8211;")))
    for r in pick(lambda r: has(r, "title", lambda v: ": " in v), 3, "title-whitespace"):
        edit(r, "title", lambda v, a: "\n          " + v.replace(": ", ":\n          ", 1) + "\n        ")
    for r in pick(lambda r: r.quality == "poor", 2, "empty-element"):
        r.add(rng.choice(["description", "subject"]), "")
    for r in pick(lambda r: len(r.values("subject")) >= 2, 2, "duplicate-subject"):
        r.add("subject", r.values("subject")[0])
    for r in pick(lambda r: len(r.values("subject")) >= 3 and r.quality == "normal", 4, "joined-subjects"):
        subs = r.values("subject")[:3]
        r.el = [e for e in r.el if not (e[0] == "subject" and e[1] in subs)]
        r.add("subject", "; ".join(subs))
    for r in pick(lambda r: r.quality == "poor" and r.lang == "en", 2, "all-caps-title"):
        edit(r, "title", lambda v, a: v.upper())
    for r in pick(lambda r: r.quality == "poor", 1, "undated"):
        edit(r, "date", lambda v, a: rng.choice(["s.d.", "n.d."]))
    for r in pick(lambda r: any(unicodedata.normalize("NFD", c) != c for c in "".join(r.values("creator"))), 2, "nfd-name"):
        edit(r, "creator", lambda v, a: unicodedata.normalize("NFD", v), first_only=False)
    for r in pick(lambda r: len(r.values("creator")) >= 2 and r.quality == "normal", 2, "joined-creators"):
        names = r.values("creator")
        first = True
        new = []
        for e in r.el:
            if e[0] == "creator":
                if first:
                    new.append(("creator", "; ".join(names), None))
                    first = False
                continue
            new.append(e)
        r.el = new
    for r in pick(lambda r: r.kind == "dataset" and r.quality == "normal", 1, "title-suffix"):
        edit(r, "title", lambda v, a: v + " [Dataset]")
    for r in pick(lambda r: r.quality == "normal" and r.platform == "dspace" and has(r, "title"), 2, "title-period"):
        edit(r, "title", lambda v, a: v + ".")
    for r in pick(lambda r: has(r, "description", lambda v: " and " in v and "<" not in v), 1, "double-escaped"):
        edit(r, "description", lambda v, a: v.replace(" and ", " &amp; ", 1))
    for r in pick(lambda r: r.doi and has(r, "identifier", lambda v: r.doi in v), 2, "uppercase-doi"):
        edit(r, "identifier", lambda v, a: v.replace(r.doi, r.doi.upper()) if r.doi in v else v, first_only=False)
    for r in pick(lambda r: has(r, "identifier", lambda v: v.startswith("https://doi.org/")), 1, "trailing-space"):
        edit(r, "identifier", lambda v, a: v + " ")
    for r in pick(lambda r: any(n == "title" and a and a.get("xml:lang") == "en" for n, _, a in r.el), 1, "uppercase-lang"):
        edit(r, "title", lambda v, a: (v, {"xml:lang": "EN"}))
    for r in pick(lambda r: r.lang == "de" and has(r, "language"), 1, "joined-languages"):
        edit(r, "language", lambda v, a: "eng; ger")
    return counts


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------

def ymd(d):
    return f"{d[0]:04d}-{d[1]:02d}-{d[2]:02d}"


def ser_value(v):
    return str(v) if isinstance(v, Raw) else escape(v)


# platforms whose records carry their own namespace declarations and schemaLocation
FULL_DC_HEADER = {"fixed", "zenodo", "dspace", "hal", "mendeley", "dryad"}


def ser_record(r, out):
    order = PLATFORM_ORDER.get(r.platform)
    els = r.el if not order else sorted(r.el, key=lambda e: order.index(e[0]))
    out.append("  <oai:record>")
    out.append("    <oai:header>")
    out.append(f"      <oai:identifier>{escape(r.oai_id)}</oai:identifier>")
    out.append(f"      <oai:datestamp>{ymd(r.datestamp)}</oai:datestamp>")
    out.append("    </oai:header>")
    out.append("    <oai:metadata>")
    if r.platform in FULL_DC_HEADER:
        out.append(f'      <oai_dc:dc xmlns:oai_dc="{NS_OAI_DC}" xmlns:dc="{NS_DC}" '
                   f'xsi:schemaLocation="{NS_OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd">')
    else:
        out.append("      <oai_dc:dc>")
    for name, value, attrs in els:
        a = "".join(f' {k}="{escape(v, {chr(34): "&quot;"})}"' for k, v in (attrs or {}).items())
        if value == "":
            out.append(f"        <dc:{name}{a}/>")
        else:
            out.append(f"        <dc:{name}{a}>{ser_value(value)}</dc:{name}>")
    out.append("      </oai_dc:dc>")
    out.append("    </oai:metadata>")
    out.append("  </oai:record>")


def serialise(records):
    earliest = min(r.datestamp for r in records)
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f"<!-- Synthetic sample records written by data/sample/gen_sample.py (seed {SEED}).",
           "     Do not edit by hand: change the generator and run it again.",
           "     Names, titles, identifiers and grant numbers are made up; do not resolve them. -->",
           f'<Repository xmlns="{NS_SR}"',
           f'            xmlns:oai="{NS_OAI}"',
           f'            xmlns:xsi="{NS_XSI}"',
           f'            xmlns:oai_dc="{NS_OAI_DC}"',
           f'            xmlns:dc="{NS_DC}"',
           f'            xsi:schemaLocation="{NS_SR} http://www.openarchives.org/OAI/2.0/static-repository.xsd">',
           "  <Identify>",
           f"    <oai:repositoryName>{escape(REPO_NAME)}</oai:repositoryName>",
           f"    <oai:baseURL>{escape(BASE_URL)}</oai:baseURL>",
           "    <oai:protocolVersion>2.0</oai:protocolVersion>",
           f"    <oai:adminEmail>{ADMIN_EMAIL}</oai:adminEmail>",
           f"    <oai:earliestDatestamp>{ymd(earliest)}</oai:earliestDatestamp>",
           "    <oai:deletedRecord>no</oai:deletedRecord>",
           "    <oai:granularity>YYYY-MM-DD</oai:granularity>",
           "  </Identify>",
           "  <ListMetadataFormats>",
           "    <oai:metadataFormat>",
           "      <oai:metadataPrefix>oai_dc</oai:metadataPrefix>",
           "      <oai:schema>http://www.openarchives.org/OAI/2.0/oai_dc.xsd</oai:schema>",
           f"      <oai:metadataNamespace>{NS_OAI_DC}</oai:metadataNamespace>",
           "    </oai:metadataFormat>",
           "  </ListMetadataFormats>",
           '  <ListRecords metadataPrefix="oai_dc">']
    for r in records:
        ser_record(r, out)
    out.append("  </ListRecords>")
    out.append("</Repository>")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------
# Checking the written file
# ---------------------------------------------------------------------------

OAI_ID_RE = re.compile(r"^oai:[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+:[a-zA-Z0-9\-_.!~*'();/?:@&=+$,%]+$")
TYPE_KIND = [("thesis", "thesis"), ("dissert", "thesis"), ("tesi", "thesis"), ("tese", "thesis"),
             ("rozprawa", "thesis"), ("thèse", "thesis"), ("väitöskirja", "thesis"), ("értekezés", "thesis"), ("disertační", "thesis"),
             ("conference", "conference"), ("poster", "conference"), ("software", "software"),
             ("image", "image"), ("photo", "image"), ("report", "report"), ("workingpaper", "report"),
             ("bericht", "report"), ("rapport", "report"), ("dataset", "dataset"), ("data set", "dataset"),
             ("article", "article"), ("artikel", "article"), ("artículo", "article"), ("artigo", "article"),
             ("articolo", "article"), ("artykuł", "article"), ("tijdschriftartikel", "article")]
LANG_OF_CODE = {code.lower(): key for key, codes in LANG_CODES.items() for code, _ in codes}


def classify_type(values):
    joined = " ".join(v.lower() for v in values)
    for needle, kind in TYPE_KIND:
        if needle in joined:
            return kind
    return "untyped" if not values else "other"


def check(path):
    problems = []
    tree = ET.parse(path)
    root = tree.getroot()
    q = lambda tag: f"{{{NS_OAI}}}{tag}"
    if root.tag != f"{{{NS_SR}}}Repository":
        problems.append(f"root element is {root.tag}")
    ident = root.find(f"{{{NS_SR}}}Identify")
    need = {"repositoryName": None, "baseURL": None, "protocolVersion": "2.0", "adminEmail": None,
            "earliestDatestamp": None, "deletedRecord": "no", "granularity": "YYYY-MM-DD"}
    for tag, want in need.items():
        el = ident.find(q(tag)) if ident is not None else None
        if el is None or not (el.text or "").strip():
            problems.append(f"Identify lacks oai:{tag}")
        elif want and el.text != want:
            problems.append(f"Identify oai:{tag} is {el.text!r}, want {want!r}")
    earliest = ident.find(q("earliestDatestamp")).text
    fmts = [e.text for e in root.iter(q("metadataPrefix"))]
    if fmts != ["oai_dc"]:
        problems.append(f"metadata formats {fmts}")
    lists = root.findall(f"{{{NS_SR}}}ListRecords")
    if len(lists) != 1 or lists[0].get("metadataPrefix") != "oai_dc":
        problems.append("want exactly one ListRecords metadataPrefix=oai_dc")
    ids, stamps = set(), []
    langs, kinds, no_lang = Counter(), Counter(), 0
    for rec in root.iter(q("record")):
        h = rec.find(q("header"))
        i = h.find(q("identifier")).text
        ds = h.find(q("datestamp")).text
        if h.get("status") is not None:
            problems.append(f"{i}: header has a status attribute")
        if h.find(q("setSpec")) is not None:
            problems.append(f"{i}: header has a setSpec (not allowed in a Static Repository)")
        if not OAI_ID_RE.match(i):
            problems.append(f"{i}: not an oai-identifier")
        if i in ids:
            problems.append(f"{i}: duplicate identifier")
        ids.add(i)
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", ds):
            problems.append(f"{i}: datestamp {ds!r} is not YYYY-MM-DD")
        stamps.append(ds)
        md = rec.find(q("metadata"))
        dcs = list(md) if md is not None else []
        if len(dcs) != 1 or dcs[0].tag != f"{{{NS_OAI_DC}}}dc":
            problems.append(f"{i}: metadata is not one oai_dc:dc")
            continue
        dc = dcs[0]
        if not [t for t in dc.findall(f"{{{NS_DC}}}title") if (t.text or "").strip()]:
            problems.append(f"{i}: no title")
        for child in dc:
            if not child.tag.startswith(f"{{{NS_DC}}}"):
                problems.append(f"{i}: element {child.tag} outside dc")
        lv = [e.text or "" for e in dc.findall(f"{{{NS_DC}}}language")]
        if lv:
            langs[LANG_OF_CODE.get(lv[0].strip().lower(), lv[0])] += 1
        else:
            no_lang += 1
        kinds[classify_type([e.text or "" for e in dc.findall(f"{{{NS_DC}}}type")])] += 1
    if stamps and min(stamps) != earliest:
        problems.append(f"earliestDatestamp {earliest} but earliest record datestamp {min(stamps)}")
    if len(ids) > 5000:
        problems.append("a Static Repository holds at most 5000 records")
    return problems, len(ids), langs, no_lang, kinds


# ---------------------------------------------------------------------------

def generate():
    ctx = Ctx(SEED)
    rng = ctx.rng
    records = []
    n_gen = N_RECORDS - 1 - len(CLUSTER) - 2          # fixed record, clusters, version + duplicate
    ctx.quality_bag = bag(rng, QUALITY_SHARE, n_gen)
    ctx.kind_left = {k: v for k, v in zip(KIND_WEIGHTS, bag_counts(KIND_WEIGHTS, N_RECORDS))}
    ctx.kind_left["dataset"] -= 3                     # fixed record, version, duplicate
    for spec in CLUSTER:
        records.append(make_cluster(ctx, spec))
        ctx.kind_left[spec["kind"]] -= 1
    for lang, count in LOCAL_COUNTS.items():
        entries = LOCAL[lang]
        start = rng.randrange(len(entries))
        made, i = 0, 0
        while made < count:
            if i > 50 * count:
                raise RuntimeError(f"cannot make {count} distinct records in {lang}")
            r = make_local(ctx, lang, entries[(start + i) % len(entries)])
            i += 1
            if r:
                records.append(r)
                made += 1
    n_en = N_RECORDS - 3 - len(records)     # 3 = the fixed record, a new version and a duplicate
    left = {k: max(0, v) for k, v in ctx.kind_left.items()}
    ctx.kind_bag = bag(rng, left, n_en)
    while len(records) < N_RECORDS - 3:
        records.append(make_english(ctx))
    records.append(make_new_version(ctx, records))
    records.append(make_duplicate(ctx, records))
    counts = apply_quirks(ctx, records)
    # Mix the records up and number them in their new order (with the gaps
    # deleted items would leave); the README's fixed record comes first.
    old_to_new = {}
    rng.shuffle(records)
    ctx.numeric_id = 10000
    for r in records:
        new = ctx.next_id()
        old_to_new[r.oai_id] = new
        r.oai_id = new
    for r in records:
        r.quirks = [re.sub(r"oai:\S+", lambda m: old_to_new.get(m.group(0), m.group(0)), t) for t in r.quirks]
    records.insert(0, make_fixed())
    return records, counts


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-o", "--output", default=OUT, help="file to write (default: %(default)s)")
    ap.add_argument("--check", action="store_true", help="only check the existing file")
    ap.add_argument("--quirks", action="store_true",
                    help="list which records carry which deliberate quirk (writes nothing)")
    args = ap.parse_args(argv)
    if args.quirks:
        records, _ = generate()
        by_tag = {}
        for r in records:
            for t in r.quirks:
                tag = re.sub(r"-oai:.*", "", t)
                by_tag.setdefault(tag, []).append(r.oai_id + (" " + t[len(tag) + 1:] if t != tag else ""))
        for tag in sorted(by_tag):
            print(f"{tag}:")
            for i in by_tag[tag]:
                print(f"  {i}")
        return 0
    if not args.check:
        records, counts = generate()
        text = serialise(records)
        with open(args.output, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        print(f"wrote {args.output}: {len(records)} records, {len(text.encode('utf-8'))} bytes")
        print("  primary language:", ", ".join(f"{k} {v}" for k, v in Counter(r.lang for r in records).most_common()))
        print("  kind:", ", ".join(f"{k} {v}" for k, v in Counter(r.kind for r in records).most_common()))
        print("  quality:", ", ".join(f"{k} {v}" for k, v in Counter(r.quality for r in records).most_common()))
        print("  with two titles:", sum(1 for r in records if len(r.values("title")) > 1))
        print("  quirks:", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        for r in records:
            for t in r.quirks:
                if t.startswith(("same-doi", "new-version")):
                    print(f"  {r.oai_id}: {t}")
    problems, n, langs, no_lang, kinds = check(args.output)
    print(f"checked {args.output}: {n} records")
    print("  dc:language (first value, normalised):",
          ", ".join(f"{k} {v}" for k, v in langs.most_common()), f"| none {no_lang}")
    print("  dc:type (classified):", ", ".join(f"{k} {v}" for k, v in kinds.most_common()))
    for p in problems:
        print("  PROBLEM:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
