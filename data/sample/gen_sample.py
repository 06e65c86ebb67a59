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
# People
# ---------------------------------------------------------------------------

def _names(s):
    return [tuple(p.strip().split("|")) for p in s.split(";") if p.strip()]


NAMES = {
    "de": _names("""Müller|Jonas; Schmidt|Anna; Schneider|Lukas; Fischer|Lena; Weber|Felix;
        Meyer|Sophie; Wagner|Maximilian; Becker|Katharina; Schulz|Jürgen; Hoffmann|Ulrike;
        Krüger|Björn; Böhm|Jörg; Weiß|Sabine; Groß|Tobias; Schäfer|Miriam; Köhler|Henrik;
        Hofer|Verena; Gruber|Florian; Steiner|Theresa; Brändli|Urs; Zürcher|Nadine"""),
    "fr": _names("""Dubois|Camille; Lefèvre|Étienne; Moreau|Hélène; Girard|Théo; Rousseau|Léa;
        Fontaine|François; Lemaître|Amélie; Chevalier|Benoît; Gauthier|Chloé; Bonnet|Jérôme;
        Mercier|Inès; Faure|Clément; Legrand|Solène; Perrin|Jean-Baptiste; Roussel|Maëlle"""),
    "es": _names("""García-Pérez|José Luis; Martínez|María; López|Lucía; Fernández|Javier;
        Sánchez|Nuria; Rodríguez|Álvaro; Gómez|Marta; Ruiz|Sergio; Díaz|Begoña;
        Moreno Jiménez|Íñigo; Muñoz|Ainhoa; Álvarez|Pilar; Iglesias|Tomás; Castaño|Rocío"""),
    "ca": _names("""Puig|Jordi; Ferrer|Montserrat; Vidal|Núria; Soler|Pere; Serra|Mireia;
        Roig|Joan; Pujol|Laia; Casals|Arnau; Font|Mercè; Vilà|Oriol; Bosch i Pons|Marta"""),
    "it": _names("""Rossi|Giulia; Russo|Marco; Ferrari|Francesca; Esposito|Alessandro;
        Bianchi|Chiara; Romano|Matteo; Colombo|Federica; Ricci|Lorenzo; Marino|Niccolò;
        De Luca|Ilaria; Conti|Davide; Galli|Elisa; Fabbri|Tommaso; Lombardi|Beatrice"""),
    "nl": _names("""de Vries|Daan; Jansen|Sanne; van den Berg|Pieter; Bakker|Femke;
        Visser|Joris; Smit|Anouk; Meijer|Thijs; de Jong|Marloes; van Dijk|Bram;
        Mulder|Eline; Dekker|Ruben; van der Linden|Lotte; Peeters|Wouter; Claes|Liesbeth"""),
    "pl": _names("""Nowak|Katarzyna; Kowalski|Piotr; Wiśniewska|Agnieszka; Łukasiewicz|Tomasz;
        Zieliński|Michał; Wójcik|Małgorzata; Kamińska|Joanna; Lewandowski|Paweł;
        Dąbrowski|Krzysztof; Szymańska|Ewa; Woźniak|Grzegorz; Jankowska|Zofia"""),
    "cs": _names("""Dvořák|Jan; Novotná|Petra; Svoboda|Tomáš; Černá|Lucie; Procházka|Jiří;
        Kučerová|Markéta; Veselý|Ondřej; Horáková|Zuzana; Němec|Vojtěch; Růžičková|Kateřina"""),
    "hu": _names("""Kovács|Péter; Nagy|Eszter; Tóth|Gábor; Szabó|Zsófia; Horváth|László;
        Varga|Réka; Kiss|Balázs; Molnár|Katalin; Németh|Ádám; Farkas|Orsolya; Balogh|Dániel"""),
    "el": _names("""Papadopoulos|Nikolaos; Georgiou|Maria; Dimitriou|Konstantinos;
        Nikolaidou|Eleni; Karagiannis|Ioannis; Oikonomou|Sofia; Vasileiou|Dimitrios;
        Christodoulou|Athina; Papadaki|Katerina"""),
    "el_script": _names("""Παπαδόπουλος|Νικόλαος; Γεωργίου|Μαρία; Οικονόμου|Σοφία;
        Καραγιάννης|Ιωάννης; Δημητρίου|Ελένη; Αλεξίου|Γεώργιος"""),
    "fi": _names("""Häkkinen|Liisa; Virtanen|Mikko; Korhonen|Aino; Mäkinen|Juha;
        Nieminen|Sanna; Mäkelä|Tuomas; Järvinen|Elina; Lehtonen|Antti; Heikkilä|Päivi;
        Kärkkäinen|Ville"""),
    "sv": _names("""Andersson|Karin; Johansson|Erik; Lindqvist|Maja; Nyström|Oskar;
        Åberg|Linnea; Bergström|Anders; Sjöberg|Ingrid; Öberg|Henrik; Lundén|Elsa;
        Ekström|Gustav"""),
    "pt": _names("""Silva|João; Santos|Ana; Ferreira|Rui; Pereira|Inês; Gonçalves|Tiago;
        Conceição|Mariana; Magalhães|Luís; Araújo|Beatriz; Simões|Sérgio"""),
    "en": _names("""O'Brien|Siobhán; Murphy|Ciarán; Smith|Rachel; Jones|Owen; Williams|Hannah;
        Taylor|James; MacDonald|Fiona; Evans|Rhys; Ní Bhriain|Aoife; Ó Súilleabháin|Seán;
        Clarke|Imogen; Walsh|Declan; Hughes|Bethan"""),
    "intl": _names("""Nguyễn|Thị Lan; Nguyễn|Văn Minh; Wang|Li; Zhang|Wei; Kumar|Priya;
        Yılmaz|Elif; Öztürk|Mehmet; Ivanova|Olga; Popescu|Andrei; Ionescu|Ioana;
        Petrović|Marko; Novak|Špela; Jensen|Mette; Nielsen|Søren; Kask|Kadri;
        Kalniņa|Ilze; Jankauskas|Tomas; Hansen|Ingrid; Al-Khatib|Rania; Horvat|Ivana"""),
}

# which pools English-language records draw their people from
EN_POOL_WEIGHTS = [("en", 14), ("de", 14), ("fr", 9), ("it", 8), ("es", 8), ("nl", 8),
                   ("pl", 6), ("intl", 14), ("sv", 4), ("fi", 4), ("cs", 4), ("hu", 3),
                   ("el", 3), ("pt", 3), ("ca", 2)]

ORGS = ["ICOS Ocean Thematic Centre", "EUMETNET", "Copernicus Climate Change Service",
        "Bundesanstalt für Gewässerkunde", "Met Éireann", "EMODnet Chemistry",
        "Swiss Federal Institute for Forest, Snow and Landscape Research WSL"]

FUNDERS = ["European Commission", "Deutsche Forschungsgemeinschaft (DFG)",
           "Nederlandse Organisatie voor Wetenschappelijk Onderzoek (NWO)",
           "Schweizerischer Nationalfonds (SNF)", "Agence Nationale de la Recherche (ANR)",
           "Fundação para a Ciência e a Tecnologia (FCT)", "Narodowe Centrum Nauki",
           "Vetenskapsrådet", "Research Council of Finland", "European Research Council (ERC)"]

ACRONYMS = ["ALPCLIM", "BIOSHIFT", "HYDROFLUX", "EPIDEMIA", "OCEANSENSE", "MATFAT",
            "SOCLINK", "ARCHEODIET", "LINGVAR", "ENERGYCOOP", "AGRISOIL", "MUSICAE",
            "EUROLEX", "TEACHDIG", "QUANTCOR", "GENADAPT", "ASTROSURV", "CATFLOW"]


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


# ---------------------------------------------------------------------------
# Languages
# ---------------------------------------------------------------------------

LANG_CODES = {
    "en": [("en", 40), ("eng", 25), ("English", 12), ("en_US", 4), ("en-GB", 4)],
    "de": [("de", 35), ("deu", 20), ("ger", 20), ("German", 8), ("Deutsch", 7)],
    "fr": [("fr", 35), ("fre", 25), ("fra", 20), ("French", 8), ("français", 5)],
    "es": [("es", 40), ("spa", 35), ("Spanish", 10), ("español", 5)],
    "it": [("it", 45), ("ita", 45), ("Italian", 10)],
    "nl": [("nl", 45), ("dut", 25), ("nld", 25)],
    "pl": [("pl", 50), ("pol", 45), ("Polish", 5)],
    "pt": [("pt", 50), ("por", 45), ("pt_PT", 5)],
    "sv": [("sv", 50), ("swe", 50)],
    "fi": [("fi", 50), ("fin", 50)],
    "cs": [("cs", 40), ("cze", 35), ("ces", 25)],
    "el": [("el", 45), ("gre", 30), ("ell", 25)],
    "hu": [("hu", 50), ("hun", 50)],
    "ca": [("ca", 55), ("cat", 45)],
}
XML_LANG = {"en": ["en", "en", "en", "en-GB", "en-US"], "de": ["de", "de", "de-DE", "de-AT"],
            "fr": ["fr", "fr", "fr-FR"], "es": ["es", "es", "es-ES"], "it": ["it"],
            "nl": ["nl", "nl", "nl-NL", "nl-BE"], "pl": ["pl"], "pt": ["pt", "pt-PT"],
            "sv": ["sv"], "fi": ["fi"], "cs": ["cs"], "el": ["el"], "hu": ["hu"], "ca": ["ca"]}
NUM_SEP = {"en": ",", "de": ".", "nl": ".", "it": ".", "es": ".", "pt": ".", "el": ".",
           "ca": ".", "fr": " ", "pl": " ", "cs": " ", "fi": " ", "sv": " ", "hu": " "}


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
# Disciplines: English vocabulary and templates
#
# Title templates are drawn by kind ("data" for datasets, "text" for articles,
# theses, conference papers and reports, "img" for images).  A template or a
# sentence may start with "X|": it then only combines with templates and
# sentences of the same group X (or of no group), so abstracts stay on topic.
# ---------------------------------------------------------------------------

DISC = {}


def D(key, **kw):
    kw.setdefault("img", [])
    kw.setdefault("dnote", [])
    kw.setdefault("types", {})
    kw.setdefault("v", {})
    DISC[key] = kw


D("climate", label="Climate science",
  fos="FOS: Earth and related environmental sciences", ddc=("551.6", "Climatology and weather"),
  kw=["climate change", "precipitation", "air temperature", "reanalysis", "regional climate model",
      "extreme events", "drought", "homogenisation", "EURO-CORDEX", "climate services"],
  v={"region": ["Alpine region", "Iberian Peninsula", "Carpathian Basin", "Po Valley", "Danube basin",
                "western Mediterranean", "British Isles", "Baltic Sea region", "Pyrenees",
                "Scandinavian mountains", "Massif Central", "Pannonian Plain"],
     "var": ["daily precipitation and temperature", "snow depth", "sub-daily precipitation",
             "near-surface wind speed", "sunshine duration", "relative humidity",
             "daily maximum temperature"],
     "model": ["EURO-CORDEX", "ERA5-Land", "E-OBS", "CMIP6", "CERRA"],
     "extreme": ["heatwaves", "heavy precipitation events", "compound drought and heat events",
                 "cold spells", "flash droughts", "tropical nights"]},
  data=["T|{var_cap} observations from {n} stations in the {region}, {y1}–{y2}",
        "P|Bias-adjusted {model} projections of {var} for the {region} at 1 km resolution",
        "T|Homogenised monthly temperature series for the {region}, {y1}–{y2}",
        "T|Gridded {var} for the {region} ({y1}–{y2}) interpolated from station records",
        "E|Catalogue of {extreme} in the {region}, {y1}–{y2}",
        "E|{model} evaluation statistics for {extreme} over the {region}"],
  text=["P|Changes in {extreme} over the {region} under 1.5 °C and 2 °C of global warming",
        "E|Attribution of recent {extreme} in the {region} to anthropogenic climate change",
        "P|How well does {model} reproduce {var} in the {region}?",
        "T|Trends in {var} across the {region} since {y1}",
        "P|Added value of convection-permitting simulations for {extreme} in the {region}",
        "T|Elevation-dependent warming in the {region}: evidence from {n} stations"],
  ctx=["T|Long and homogeneous climate records are essential for detecting change and evaluating models in the {region}.",
       "E|{extreme_cap} have become more frequent across Europe in recent decades, with large impacts on agriculture, health and infrastructure.",
       "P|Regional climate information at high resolution is increasingly requested by adaptation planners in the {region}."],
  meth=["P|We combine station observations with {model} data and apply quantile mapping to correct systematic biases.",
        "T|All series were quality-controlled and homogenised with HOMER, using neighbouring stations as references.",
        "T|Trends were estimated with the Theil–Sen estimator and their significance assessed with a modified Mann–Kendall test.",
        "E|Events were identified with a percentile-based threshold relative to the 1991–2020 reference period."],
  res=["E|The intensity of {extreme} increases significantly, with the largest changes in summer and at low elevations.",
       "P|The ensemble median projects a warming of 2.1 to 4.3 °C by the end of the century, depending on the emission scenario.",
       "T|Station density and elevation strongly affect how well {var} is represented in gridded products.",
       "T|Warming is strongest at high elevations and in spring, exceeding 0.4 °C per decade at some stations."],
  dnote=["Values are provided as daily NetCDF files following the CF-1.8 conventions.",
         "Missing values are coded as -9999; station metadata are given in a separate CSV file."],
  soft=["computing climate extreme indices from station data", "bias-adjusting regional climate model output",
        "homogenising daily temperature series"],
  pkgs=["climdex-eu", "qmap-tools", "homogenr"],
  journals=[("Journal of Climate", "10.1175/JCLI-D-{d2}-{d4}.1", "American Meteorological Society"),
            ("Climate Dynamics", "10.1007/s00382-0{d2}-0{d4}-{d1}", "Springer"),
            ("International Journal of Climatology", "10.1002/joc.{d4}", "Wiley"),
            ("Earth System Dynamics", "10.5194/esd-{d2}-{d3}-{Y}", "Copernicus Publications")],
  conf="EGU",
  formats=["application/x-netcdf", "application/x-netcdf", "text/csv", "application/zip"],
  repos=[("zenodo", 20), ("pangaea", 25), ("gfz", 10), ("mendeley", 4), ("uni", 12)])

D("earth", label="Earth sciences",
  fos="FOS: Earth and related environmental sciences", ddc=("550", "Earth sciences"),
  kw=["S|seismology", "I|landslides", "H|groundwater", "I|InSAR", "G|geochemistry", "H|sediment transport",
      "H|hydrology", "natural hazards", "I|GNSS", "S|tectonics", "G|mining legacy", "H|floods"],
  v={"tregion": ["Apennines", "Eastern Alps", "Upper Rhine Graben", "Hellenic subduction zone",
                 "Icelandic rift zone", "Gulf of Corinth rift", "Vrancea seismic zone"],
     "mregion": ["Eastern Alps", "Tatra Mountains", "Central Pyrenees", "Dolomites", "Northern Apennines",
                 "Norwegian fjords"],
     "gregion": ["Bohemian Massif", "Ore Mountains", "Harz Mountains", "Iberian Pyrite Belt", "Bergslagen district"],
     "river": ["Rhine", "Danube", "Elbe", "Po", "Ebro", "Loire", "Vistula", "Rhône", "Oder", "Tagus"]},
  data=["S|Seismic waveform data from a temporary broadband network in the {tregion}, {y1}–{y2}",
        "H|Groundwater level time series from {n} monitoring wells in the {river} catchment",
        "I|Sentinel-1 InSAR ground deformation time series for the {mregion}",
        "H|Suspended sediment concentrations and discharge of the {river}, {y1}–{y2}",
        "G|Geochemical composition of {n} stream sediment samples from the {gregion}",
        "I|Landslide inventory of the {mregion} mapped from aerial imagery"],
  text=["S|Crustal structure beneath the {tregion} from receiver function analysis",
        "H|Hydrometeorological drivers of the {y} flood on the {river}",
        "I|Rock glacier kinematics in the {mregion} revealed by multi-temporal InSAR",
        "I|A revised landslide susceptibility model for the {mregion}",
        "H|Groundwater recharge in the {river} basin under changing land use",
        "H|Sediment budget of the lower {river} over the past {n2} years"],
  img=["I|Field photographs of landslide scarps in the {mregion}",
       "G|Thin-section micrographs of metamorphic rocks from the {gregion}"],
  ctx=["S|Earthquakes in the {tregion} pose a significant hazard to the local population.",
       "I|Slope instabilities in the {mregion} threaten settlements and transport infrastructure.",
       "H|Quantifying water and sediment fluxes in the {river} basin is essential for river management and flood protection.",
       "G|Regional geochemical baselines are needed to distinguish natural from anthropogenic element enrichment."],
  meth=["I|We processed Sentinel-1 acquisitions with a persistent scatterer approach and calibrated the results with GNSS stations.",
        "G|Samples were analysed by X-ray fluorescence and ICP-MS after total digestion.",
        "S|We deployed {n2} broadband seismometers and recorded continuously at 100 Hz.",
        "H|Daily discharge and turbidity were recorded at gauging stations and converted to sediment loads with rating curves."],
  res=["I|Deformation rates reach up to 3 cm per year in the most active sectors.",
       "H|Recharge decreased by about {pct} % after {y1}, mainly due to urbanisation and irrigation.",
       "S|The results reveal a pronounced Moho step beneath the central part of the {tregion}.",
       "G|Arsenic and lead concentrations exceed background values downstream of historical mining districts."],
  dnote=["Coordinates are given in ETRS89 / UTM.",
         "S|Waveforms are provided in miniSEED format with StationXML metadata."],
  soft=["processing InSAR time series", "computing rating curves from gauging data",
        "locating earthquakes with double-difference methods"],
  pkgs=["insartools", "ratingcurve", "hypodd-py"],
  journals=[("Natural Hazards and Earth System Sciences", "10.5194/nhess-{d2}-{d4}-{Y}", "Copernicus Publications"),
            ("Geophysical Journal International", "10.1093/gji/ggac{d3}", "Oxford University Press"),
            ("Journal of Hydrology", "10.1016/j.jhydrol.{Y}.{d6}", "Elsevier"),
            ("Hydrology and Earth System Sciences", "10.5194/hess-{d2}-{d4}-{Y}", "Copernicus Publications")],
  conf="EGU",
  formats=["text/csv", "application/zip", "image/tiff", "application/x-netcdf"],
  repos=[("zenodo", 18), ("gfz", 22), ("pangaea", 12), ("4tu", 8), ("uni", 14)])

D("ecology", label="Ecology and biodiversity",
  fos="FOS: Biological sciences", ddc=("577", "Ecology"),
  kw=["biodiversity", "B|pollinators", "B|species distribution", "M|camera traps", "M|large carnivores",
      "B|vegetation", "forest ecology", "B|invasive species", "citizen science", "B|environmental DNA", "land use"],
  v={"_y1range": (1970, 2012),
     "taxon": ["wild bees", "carabid beetles", "breeding birds", "bats", "vascular plants", "butterflies",
               "amphibians", "freshwater macroinvertebrates", "soil fungi", "hoverflies"],
     "habitat": ["calcareous grasslands", "lowland beech forests", "alpine meadows", "raised bogs",
                 "Mediterranean shrublands", "urban green spaces", "floodplain forests", "coastal dunes"],
     "region": ["Central Europe", "the Bohemian Forest", "the Scottish Highlands", "Białowieża Forest",
                "the Camargue", "the Swabian Jura", "southern Sweden", "the Dutch dunes",
                "the Bavarian Forest", "Sardinia"]},
  data=["B|Occurrence records of {taxon} in {habitat} of {region}, {y1}–{y2}",
        "M|Camera-trap detections of mammals in {region}, {y}",
        "B|Functional traits of {n} species of {taxon} from {region}",
        "B|eDNA metabarcoding of {taxon} in {habitat}",
        "B|Long-term monitoring of {taxon} on {n2} permanent plots in {region}"],
  text=["B|Land-use intensity drives the decline of {taxon} in {habitat}",
        "B|Climate warming shifts the elevational distribution of {taxon} in {region}",
        "B|Urbanisation filters the functional diversity of {taxon}",
        "B|Effects of grazing abandonment on {taxon} in {habitat}",
        "B|Citizen science data reveal phenological shifts of {taxon} across {region}",
        "M|Recolonisation of {region} by large carnivores: evidence from camera traps"],
  img=["M|Camera-trap photographs of wildlife in {region}, {y}",
       "B|Reference photographs of {taxon} from {region}"],
  ctx=["Biodiversity loss in European landscapes is driven by land-use change, climate change and nitrogen deposition.",
       "B|{taxon_cap} are sensitive indicators of ecosystem condition in {habitat}.",
       "M|Large mammals are returning to many European landscapes after decades of absence."],
  meth=["B|We surveyed {n2} sites along a gradient of land-use intensity using standardised transect walks.",
        "B|Data were analysed with generalised linear mixed models including site and year as random effects.",
        "B|Sampling followed the national monitoring protocol and was repeated annually.",
        "M|Cameras were deployed at {n2} locations on a 2 × 2 km grid, and images were classified by trained volunteers."],
  res=["B|Species richness declined by {pct} % over the study period, while generalist species became more abundant.",
       "B|Warm-adapted species expanded their range upslope by about 40 m per decade.",
       "B|Habitat heterogeneity at the landscape scale buffered the negative effects of management intensity.",
       "M|Red deer and wild boar were detected most often; lynx were recorded at {k} locations."],
  dnote=["B|Taxonomy follows the GBIF backbone; each record includes coordinates with their uncertainty.",
         "Data are formatted according to the Darwin Core standard."],
  soft=["fitting occupancy models to detection data", "cleaning Darwin Core occurrence data",
        "classifying camera-trap images"],
  pkgs=["occumod", "dwc-clean", "trapnet"],
  journals=[("Journal of Ecology", "10.1111/1365-2745.{d5}", "Wiley"),
            ("Ecology Letters", "10.1111/ele.{d5}", "Wiley"),
            ("Biological Conservation", "10.1016/j.biocon.{Y}.{d6}", "Elsevier"),
            ("Global Change Biology", "10.1111/gcb.{d5}", "Wiley")],
  conf="EGU",
  formats=["text/csv", "text/csv", "image/jpeg", "application/zip"],
  repos=[("zenodo", 18), ("dryad", 25), ("pangaea", 6), ("mendeley", 6), ("uni", 12)])

D("medicine", label="Medicine and epidemiology",
  fos="FOS: Health sciences", ddc=("610", "Medicine and health"),
  kw=["epidemiology", "C|cohort study", "T|randomised controlled trial", "T|nursing", "public health",
      "primary care", "C|register data", "C|health inequalities"],
  v={"_y1range": (1977, 2010),
     "condition": ["type 2 diabetes", "atrial fibrillation", "chronic kidney disease", "hip fracture",
                   "sepsis", "major depression", "asthma", "tuberculosis", "heart failure"],
     "pop": ["older adults", "pregnant women", "children under five", "primary care patients",
             "nursing home residents", "adolescents"],
     "country": ["Denmark", "Scotland", "the Netherlands", "Catalonia", "Sweden", "Estonia",
                 "Slovenia", "Portugal", "Norway"],
     "exposure": ["long-term air pollution", "night shift work", "statin use", "physical activity",
                  "social isolation", "antibiotic prescribing", "proton pump inhibitor use"]},
  data=["C|Aggregated incidence of {condition} by region, sex and age group in {country}, {y1}–{y2}",
        "C|Analysis code and synthetic data for a cohort study of {exposure} and {condition}",
        "C|De-identified baseline data from a cohort of {n} {pop} in {country}",
        "T|Trial protocol, statistical analysis plan and outcome data for a nurse-led intervention in {condition}"],
  text=["C|{exposure_cap} and risk of {condition} in {pop}: a nationwide cohort study from {country}",
        "C|Incidence of {condition} among {pop} in {country}, {y1}–{y2}: a register-based study",
        "T|Effectiveness of a nurse-led intervention for {condition} in {pop}: a cluster randomised trial",
        "C|Socioeconomic inequalities in {condition} among {pop} in {country}",
        "C|Cost-effectiveness of screening for {condition} in {pop}"],
  ctx=["{condition_cap} is a major cause of morbidity and health-care use in Europe.",
       "C|Evidence on the role of {exposure} in {pop} remains limited."],
  meth=["C|We used linked national registers covering all residents of {country} between {y1} and {y2}.",
        "C|Hazard ratios were estimated with Cox regression adjusted for age, sex, education and comorbidity.",
        "T|General practices were randomised in a 1:1 ratio and outcomes were assessed after 12 months."],
  res=["C|Among {n} participants, {exposure} was associated with a {pct} % higher risk of {condition}.",
       "C|Incidence declined over the study period, but inequalities between educational groups persisted.",
       "T|The intervention did not significantly change the primary outcome but improved patient-reported quality of life."],
  dnote=["Individual-level data cannot be shared under the GDPR; access requires approval from the data controller.",
         "The dataset contains aggregated counts only; cells with fewer than five observations are suppressed."],
  soft=["analysing linked health registers", "simulating disease transmission in contact networks",
        "computing standardised incidence ratios"],
  pkgs=["regilink", "epinet", "sirtools"],
  journals=[("BMJ Open", "10.1136/bmjopen-{Y}-0{d5}", "BMJ Publishing Group"),
            ("European Journal of Epidemiology", "10.1007/s10654-0{d2}-00{d3}-{d1}", "Springer"),
            ("The Lancet Regional Health – Europe", "10.1016/j.lanepe.{Y}.{d6}", "Elsevier"),
            ("PLOS ONE", "10.1371/journal.pone.0{d6}", "Public Library of Science")],
  conf="European Congress of Epidemiology",
  formats=["text/csv", "application/x-stata-dta", "application/pdf", "application/x-spss-sav"],
  repos=[("zenodo", 25), ("dryad", 12), ("uni", 20)],
  types={"dataset": 0.6})

D("genomics", label="Genomics",
  fos="FOS: Biological sciences", ddc=("572.8", "Biochemical genetics"),
  kw=["genome assembly", "RNA-seq", "single-cell sequencing", "population genomics", "local adaptation",
      "GWAS", "transcriptomics", "structural variation"],
  v={"organism": ["Arabidopsis thaliana", "Atlantic salmon", "bread wheat", "honey bee", "brown trout",
                  "Norway spruce", "Drosophila melanogaster", "barley", "grapevine", "European eel"],
     "stress": ["heat stress", "drought", "salt stress", "fungal infection", "cold acclimation", "hypoxia"],
     "method": ["long-read sequencing", "single-cell RNA-seq", "ATAC-seq", "Hi-C", "RNA-seq"]},
  data=["A|Chromosome-level genome assembly for {organism}",
        "E|{method_cap} data for {organism} under {stress}",
        "P|Whole-genome resequencing of {n} {organism} individuals from {n2} European populations",
        "E|Transcriptome profiles of {organism} under {stress}"],
  text=["P|Genomic signatures of local adaptation in {organism} across Europe",
        "E|Regulatory variation underlying the response to {stress} in {organism}",
        "A|A pan-genome of {organism} reveals extensive structural variation",
        "P|Population genomics of {organism} reveals post-glacial recolonisation routes"],
  ctx=["Understanding the genetic basis of adaptation is central to predicting how species respond to environmental change.",
       "Genomic resources for {organism} are still limited compared with classical model species."],
  meth=["E|We generated {method} data from {n2} samples and mapped reads to the current reference genome.",
        "P|Variants were called with GATK and filtered for quality, depth and missingness.",
        "E|Differential expression was tested with DESeq2 at a false discovery rate of 5 %.",
        "A|The assembly combines PacBio HiFi reads with Hi-C scaffolding."],
  res=["E|We identified {n} candidate genes, many of them involved in stress signalling and membrane transport.",
       "P|Genetic diversity was highest in southern populations, consistent with glacial refugia.",
       "A|The final assembly spans 98 % of the estimated genome size with a BUSCO completeness of 97.2 %."],
  dnote=["Raw reads have been deposited in the European Nucleotide Archive; this record contains processed files.",
         "Files are provided in FASTA, GFF3 and VCF formats."],
  soft=["calling structural variants from long reads", "annotating plant genomes",
        "scanning genomes for selection signatures"],
  pkgs=["svcaller", "phytoannot", "selscan-lite"],
  journals=[("Molecular Ecology", "10.1111/mec.{d5}", "Wiley"),
            ("Genome Biology and Evolution", "10.1093/gbe/evac{d3}", "Oxford University Press"),
            ("Nature Communications", "10.1038/s41467-0{d2}-{d5}-{d1}", "Springer Nature"),
            ("G3: Genes, Genomes, Genetics", "10.1093/g3journal/jkac{d3}", "Oxford University Press")],
  conf="ESEB Congress",
  formats=["application/gzip", "text/plain", "text/tab-separated-values", "application/zip"],
  repos=[("zenodo", 22), ("dryad", 25), ("mendeley", 6), ("uni", 12)])

D("physics", label="Physics",
  fos="FOS: Physical sciences", ddc=("530", "Physics"),
  kw=["C|condensed matter physics", "H|particle physics", "C|quantum optics", "C|superconductivity",
      "H|LHC", "H|neutrino physics", "spectroscopy", "C|quantum materials", "H|Standard Model"],
  v={"system": ["twisted bilayer graphene", "ultracold rubidium atoms", "superconducting transmon qubits",
                "topological insulator thin films", "perovskite nanocrystals", "spin ice materials"],
     "qs": ["thermal conductivity of spin ice materials", "spin relaxation times in perovskite nanocrystals",
            "photoluminescence of perovskite nanocrystals", "superconductivity in twisted bilayer graphene",
            "magnetoresistance of topological insulator thin films", "coherence times of superconducting transmon qubits",
            "collective excitations in ultracold rubidium atoms"],
     "hep": ["top-quark pair production in proton–proton collisions at 13 TeV with the ATLAS detector",
             "rare B-meson decays with the LHCb detector",
             "jet quenching in lead–lead collisions with ALICE",
             "Higgs boson decays to b quarks with the CMS experiment",
             "the effective electron antineutrino mass with KATRIN",
             "solar CNO neutrinos with Borexino"]},
  data=["C|Measurements of {qs}",
        "C|Numerical simulation data for {system} at finite temperature",
        "H|Open data for the measurement of {hep}",
        "C|Raw spectroscopy data on {system}"],
  text=["H|Measurement of {hep}",
        "C|Anomalous {qs}",
        "C|Ultrafast dynamics in {system} probed by pump–probe spectroscopy",
        "C|Disorder effects on {qs}"],
  ctx=["C|Systems such as {system} provide a versatile platform for studying correlated quantum phenomena.",
       "H|Precision measurements test the Standard Model and constrain possible new physics."],
  meth=["C|Samples were characterised by low-temperature transport measurements down to 20 mK.",
        "H|The analysis uses the full Run 2 dataset and a profile-likelihood fit to extract the signal.",
        "C|We performed density-functional and tight-binding calculations to interpret the measurements."],
  res=["H|The measured values agree with Standard Model predictions within uncertainties.",
       "C|The measured values change markedly below 40 K, in agreement with model calculations."],
  dnote=["Data are stored in HDF5 files; a Jupyter notebook reproduces all figures of the paper."],
  soft=["fitting spectroscopic line shapes", "simulating open quantum systems", "unfolding detector-level distributions"],
  pkgs=["lineshape", "qdynamics", "unfoldpy"],
  journals=[("Physical Review B", "10.1103/PhysRevB.{d3}.{d6}", "American Physical Society"),
            ("Physical Review Letters", "10.1103/PhysRevLett.{d3}.{d6}", "American Physical Society"),
            ("Journal of High Energy Physics", "10.1007/JHEP0{d1}({Y}){d3}", "Springer"),
            ("New Journal of Physics", "10.1088/1367-2630/ac{d4}", "IOP Publishing")],
  conf="EPS Conference on High Energy Physics",
  formats=["application/x-hdf5", "text/plain", "application/zip"],
  repos=[("zenodo", 30), ("uni", 20), ("mendeley", 8)])

D("chemistry", label="Chemistry",
  fos="FOS: Chemical sciences", ddc=("540", "Chemistry and allied sciences"),
  kw=["catalysis", "crystallography", "NMR spectroscopy", "DFT", "electrochemistry", "polymers",
      "green chemistry", "coordination chemistry"],
  v={"compound": ["copper(II) complexes", "metal–organic frameworks", "bio-based polyesters",
                  "N-heterocyclic carbene complexes", "ionic liquids", "lignin-derived aromatics",
                  "supported palladium nanoparticles", "covalent organic frameworks"],
     "reaction": ["CO2 hydrogenation", "C–H activation", "the oxygen evolution reaction",
                  "ring-opening polymerisation", "Suzuki–Miyaura coupling", "nitrate reduction"],
     "method": ["single-crystal X-ray diffraction", "solid-state NMR", "in situ Raman spectroscopy",
                "DFT calculations", "operando X-ray absorption spectroscopy"]},
  data=["Crystallographic data for {n2} {compound}",
        "Raw NMR and mass spectra for the synthesis of {compound}",
        "{method_cap} data on {compound} during {reaction}",
        "DFT-computed reaction energies for {reaction} on {n} catalyst models"],
  text=["{compound_cap} as efficient catalysts for {reaction}",
        "Mechanistic insight into {reaction} from {method}",
        "Sustainable synthesis of {compound} under mild conditions",
        "Tuning the stability of {compound} through ligand design"],
  img=["Electron micrographs of {compound}"],
  ctx=["Replacing fossil feedstocks and scarce metals is a central goal of sustainable chemistry.",
       "{reaction_cap} is a key step in many industrially relevant processes."],
  meth=["All compounds were characterised by NMR spectroscopy, elemental analysis and {method}.",
        "Reaction pathways were computed at the PBE0-D3/def2-TZVP level of theory.",
        "Catalytic tests were performed in a continuous-flow reactor at pressures up to 40 bar."],
  res=["The best catalyst reached a turnover frequency of {n} h⁻¹ with excellent selectivity.",
       "Structural analysis reveals an unusual coordination geometry that explains the observed reactivity."],
  dnote=["Spectra are provided in JCAMP-DX and in the original instrument formats.",
         "CIF files have been checked with checkCIF."],
  soft=["processing NMR spectra", "screening catalysts with DFT workflows", "parsing CIF files"],
  pkgs=["nmrflow", "catscreen", "cifkit"],
  journals=[("Journal of the American Chemical Society", "10.1021/jacs.{d1}c{d5}", "American Chemical Society"),
            ("Chemical Science", "10.1039/d{d1}sc0{d4}", "Royal Society of Chemistry"),
            ("ChemSusChem", "10.1002/cssc.20{d7}", "Wiley-VCH"),
            ("Dalton Transactions", "10.1039/d{d1}dt0{d4}", "Royal Society of Chemistry")],
  conf="EuChemS Chemistry Congress",
  formats=["chemical/x-cif", "text/plain", "application/zip", "application/pdf"],
  repos=[("zenodo", 22), ("4tu", 8), ("mendeley", 14), ("uni", 18)])

D("materials", label="Materials science",
  fos="FOS: Materials engineering", ddc=("620.11", "Engineering materials"),
  kw=["M|additive manufacturing", "M|steel", "C|composites", "M|corrosion", "B|batteries", "M|fatigue",
      "microstructure", "mechanical testing", "B|solid-state batteries", "C|construction materials", "C|timber engineering"],
  v={"material": ["Ti-6Al-4V", "316L stainless steel", "high-entropy alloys", "Inconel 718", "AlSi10Mg"],
     "process": ["laser powder bed fusion", "friction stir welding", "wire arc additive manufacturing", "cold spraying"],
     "property": ["fatigue life", "creep resistance", "fracture toughness", "corrosion resistance"],
     "bmat": ["sulfide solid electrolytes", "garnet-type solid electrolytes", "NMC cathode materials", "silicon anodes"],
     "bprop": ["ionic conductivity", "capacity retention", "interfacial stability"],
     "cmat": ["cross-laminated timber", "ultra-high performance concrete", "carbon-fibre reinforced polymers",
              "recycled aggregate concrete"],
     "cprop": ["moisture durability", "fire resistance", "long-term creep", "bond strength"]},
  data=["M|Mechanical test data for {material} produced by {process}",
        "M|Micro-CT scans of {material} specimens after {process}",
        "M|EBSD maps of {material} processed by {process}",
        "B|{bprop_cap} of {bmat}: experimental dataset",
        "C|Long-term monitoring of {cprop} in {cmat} structures"],
  text=["M|Effect of {process} parameters on the {property} of {material}",
        "M|Microstructure–property relationships in {material} produced by {process}",
        "B|Predicting the {bprop} of {bmat} with machine learning",
        "B|Degradation mechanisms of {bmat} during long-term cycling",
        "C|{cprop_cap} of {cmat}: experiments and modelling",
        "C|Design values for the {cprop} of {cmat}"],
  img=["M|Scanning electron micrographs of {material} fracture surfaces",
       "B|Cross-sectional SEM images of {bmat} after cycling"],
  ctx=["M|{process_cap} enables complex geometries but introduces defects that limit structural applications.",
       "M|Reliable data on the {property} of {material} are scarce.",
       "B|Solid-state batteries promise higher energy density and safety than cells with liquid electrolytes.",
       "C|{cmat_cap} are increasingly used in load-bearing structures, yet long-term data remain limited."],
  meth=["M|Specimens were produced by {process} and tested in accordance with ASTM E466.",
        "Microstructures were characterised by SEM, EBSD and X-ray computed tomography.",
        "B|A gradient-boosting model was trained on {n} data points compiled from the literature.",
        "B|Cells were cycled at C/10 for up to 500 cycles and characterised by impedance spectroscopy.",
        "C|Full-scale specimens were tested under controlled climate conditions for {k} years."],
  res=["M|Post-processing by hot isostatic pressing improved the {property} by up to {pct} %.",
       "M|Porosity near the surface was identified as the main crack initiation site.",
       "B|Interfacial degradation, not bulk transport, limits the performance of the cells.",
       "C|The measured values are within the range assumed in Eurocode design, except under cyclic wetting."],
  dnote=["M|Raw force–displacement curves are provided as CSV files, one per specimen.",
         "Each file is documented in the accompanying README."],
  soft=["segmenting micro-CT volumes", "analysing EBSD orientation maps", "predicting fatigue life"],
  pkgs=["ctseg", "ebsdkit", "fatiguenet"],
  journals=[("Materials & Design", "10.1016/j.matdes.{Y}.{d6}", "Elsevier"),
            ("Additive Manufacturing", "10.1016/j.addma.{Y}.{d6}", "Elsevier"),
            ("Acta Materialia", "10.1016/j.actamat.{Y}.{d6}", "Elsevier"),
            ("Materials", "10.3390/ma{d2}{d6}", "MDPI")],
  conf="EUROMAT",
  formats=["text/csv", "image/tiff", "application/zip",
           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
  repos=[("zenodo", 15), ("4tu", 25), ("mendeley", 12), ("uni", 15)])


D("cs", label="Computer science",
  fos="FOS: Computer and information sciences", ddc=("004", "Computer science"),
  kw=["N|machine learning", "N|natural language processing", "W|distributed systems", "S|software engineering",
      "N|deep learning", "W|cloud computing", "S|research software", "benchmarking", "W|energy efficiency",
      "S|open source"],
  v={"task": ["named entity recognition in historical newspapers", "anomaly detection in network traffic",
              "source code summarisation", "semantic segmentation of aerial imagery",
              "machine translation for low-resource languages", "question answering over knowledge graphs",
              "entity linking in scholarly metadata"],
     "model": ["transformer models", "graph neural networks", "self-supervised models", "gradient-boosted trees"],
     "sys": ["Kubernetes clusters", "edge devices", "HPC systems", "serverless platforms"]},
  data=["N|Benchmark dataset for {task}",
        "N|Annotated gold-standard corpus for {task}",
        "W|Energy consumption traces of scientific workflows on {sys}",
        "N|Replication package for 'Evaluating {model} for {task}'"],
  text=["N|Evaluating {model} for {task}",
        "W|Scalable scheduling of scientific workflows on {sys}",
        "W|Energy-aware resource management for {sys}",
        "S|A systematic mapping study of research software sustainability",
        "W|Privacy-preserving federated learning on {sys}",
        "N|Robustness of {model} for {task} under distribution shift"],
  ctx=["N|Reproducible evaluation remains a challenge for {task}.",
       "W|Research infrastructures increasingly rely on {sys} to process large volumes of data.",
       "S|Research software is essential to science but often lacks long-term maintenance."],
  meth=["N|We compare {n2} systems on a common benchmark with identical hardware and hyperparameter budgets.",
        "N|The data were annotated by three experts; inter-annotator agreement reached a Cohen's kappa of 0.82.",
        "W|We implemented a prototype and evaluated it with traces from a production environment.",
        "S|We screened {n} publications and classified them along eight dimensions."],
  res=["N|Fine-tuned {model} outperform the strongest baseline by {pct} points in F1.",
       "W|The proposed scheduler reduces energy consumption by {pct} % without increasing the makespan.",
       "S|Most studies focus on development practices, while funding and governance receive little attention."],
  dnote=["The archive contains the data splits, evaluation scripts and a README with instructions."],
  soft=["scheduling scientific workflows", "evaluating named entity recognition systems",
        "harvesting and deduplicating scholarly metadata"],
  pkgs=["flowsched", "nereval", "metadedup"],
  journals=[("Empirical Software Engineering", "10.1007/s10664-0{d2}-10{d3}-{d1}", "Springer"),
            ("Transactions of the Association for Computational Linguistics", "10.1162/tacl_a_00{d3}", "MIT Press"),
            ("PeerJ Computer Science", "10.7717/peerj-cs.{d4}", "PeerJ"),
            ("Future Generation Computer Systems", "10.1016/j.future.{Y}.{d2}.0{d2}", "Elsevier")],
  conf="LNCS",
  formats=["application/zip", "application/json", "text/csv", "application/pdf"],
  repos=[("zenodo", 35), ("4tu", 8), ("uni", 18)])

D("math", label="Mathematics",
  fos="FOS: Mathematics", ddc=("510", "Mathematics"),
  kw=["G|algebraic geometry", "G|probability theory", "N|partial differential equations", "G|combinatorics",
      "N|numerical analysis", "N|finite element methods", "G|number theory", "N|preconditioning"],
  v={"object": ["moduli spaces of stable curves", "random regular graphs", "elliptic curves over function fields",
                "Schubert varieties", "Coxeter groups", "Gaussian multiplicative chaos"],
     "prop": ["rationality", "spectral gap", "Hausdorff dimension", "cohomology", "mixing time"],
     "numeth": ["discontinuous Galerkin methods", "multigrid solvers", "hybrid high-order methods",
                "Krylov subspace methods"],
     "pde": ["parabolic problems", "the Helmholtz equation", "mean-field games", "the Stokes problem",
             "porous medium flow"]},
  data=["G|Computational data on {object}",
        "N|Numerical experiments for 'Convergence analysis of {numeth} for {pde}'"],
  text=["G|On the {prop} of {object}", "G|A note on {object}", "G|Sharp estimates for {object}",
        "N|Convergence analysis of {numeth} for {pde}", "N|Robust preconditioning of {numeth} for {pde}",
        "G|Asymptotic behaviour of {object}"],
  ctx=["G|This paper is concerned with {object}.", "N|We consider {numeth} for {pde}."],
  meth=["G|Our approach combines probabilistic coupling arguments with spectral estimates.",
        "N|The proof relies on a new a priori estimate that is uniform in the mesh size.",
        "G|We use a degeneration argument together with a careful analysis of boundary strata."],
  res=["G|We prove that the {prop} is bounded below by an explicit constant.",
       "N|Numerical experiments confirm the optimal convergence rates predicted by the theory."],
  soft=["computing with Schubert calculus", "assembling high-order finite element systems"],
  pkgs=["schubertlib", "hhofem"],
  journals=[("Journal of the European Mathematical Society", "10.4171/JEMS/{d4}", "EMS Press"),
            ("Mathematische Annalen", "10.1007/s00208-0{d2}-0{d4}-{d1}", "Springer"),
            ("Numerische Mathematik", "10.1007/s00211-0{d2}-0{d4}-{d1}", "Springer"),
            ("Compositio Mathematica", "10.1112/S0010437X2{d7}", "Cambridge University Press")],
  conf="European Congress of Mathematics",
  formats=["application/pdf", "text/plain"],
  repos=[("zenodo", 20), ("uni", 40)],
  types={"dataset": 0.15, "article": 2.0, "image": 0.0})

D("economics", label="Economics",
  fos="FOS: Economics and business", ddc=("330", "Economics"),
  kw=["L|labour economics", "inflation", "L|wages", "inequality", "H|housing market",
      "L|productivity", "L|employment", "administrative data", "H|house prices", "regional economics"],
  v={"_y1range": (1995, 2012),
     "country": ["Germany", "Italy", "Poland", "Spain", "the euro area", "Ireland", "Czechia", "Austria"],
     "topic": ["minimum wage increases", "remote work", "energy price shocks", "monetary policy tightening",
               "housing supply constraints", "import tariffs", "automation", "youth unemployment schemes"]},
  data=["L|Firm-level survey on {topic} in {country}, {y}",
        "H|Monthly regional house price indices for {country}, {y1}–{y2}",
        "L|Replication data for: The employment effects of {topic} in {country}"],
  text=["The employment effects of {topic}: evidence from {country}",
        "{topic_cap} and inflation expectations in {country}",
        "Who bears the cost of {topic}? Evidence from administrative data",
        "Regional effects of {topic} in {country}"],
  ctx=["The distributional consequences of {topic} are at the centre of the policy debate in {country}.",
       "Existing evidence on {topic} relies mostly on aggregate data."],
  meth=["L|We exploit regional variation in exposure and estimate difference-in-differences models.",
        "L|Our analysis uses linked employer–employee data covering the years {y1} to {y2}.",
        "L|We combine a household survey with a structural model of labour supply.",
        "H|Indices are computed with a hedonic method from {n} thousand online listings and notarial deeds."],
  res=["L|Employment effects are small, while wages at the bottom of the distribution rise by about {pct} %.",
       "L|Effects are concentrated in small firms and in regions with low union density.",
       "H|Prices rose fastest in metropolitan regions, while many rural regions saw stagnating prices."],
  dnote=["L|Replication code in Stata and R is included; confidential source data must be requested from the statistical office.",
         "H|Indices are normalised to 2015 = 100 and published at NUTS-3 level."],
  soft=["estimating difference-in-differences models with staggered adoption", "deflating regional price series"],
  pkgs=["staggerdid", "regdeflate"],
  journals=[("European Economic Review", "10.1016/j.euroecorev.{Y}.{d6}", "Elsevier"),
            ("Labour Economics", "10.1016/j.labeco.{Y}.{d6}", "Elsevier"),
            ("Journal of the European Economic Association", "10.1093/jeea/jvac0{d2}", "Oxford University Press"),
            ("Empirica", "10.1007/s10663-0{d2}-09{d3}-{d1}", "Springer")],
  conf="EEA-ESEM Congress",
  formats=["application/pdf", "application/x-stata-dta", "text/csv"],
  repos=[("zenodo", 20), ("gesis", 15), ("uni", 25)],
  types={"dataset": 0.6, "report": 2.5, "image": 0.0})

D("sociology", label="Sociology",
  fos="FOS: Sociology", ddc=("301", "Sociology and anthropology"),
  kw=["survey research", "migration", "social inequality", "family", "social trust", "qualitative interviews",
      "European Social Survey", "life course"],
  v={"_y1range": (1995, 2012),
     "group": ["young adults", "migrant workers", "single parents", "older people living alone",
               "rural residents", "platform workers"],
     "topic": ["social trust", "loneliness", "residential mobility", "political participation",
               "intergenerational solidarity", "discrimination in hiring"],
     "country": ["Germany", "Poland", "the Netherlands", "Italy", "Sweden", "Spain", "Hungary", "Ireland"]},
  data=["Survey data on {topic} among {group} in {country}, {y}",
        "Anonymised interview transcripts on {topic} among {group}",
        "Harmonised panel data on {topic} in {n2} European countries, {y1}–{y2}"],
  text=["{topic_cap} among {group} in {country}: a mixed-methods study",
        "Does {topic} differ between urban and rural areas? Evidence from {country}",
        "Precarity and {topic} among {group}",
        "Measuring {topic} in cross-national surveys: a measurement invariance analysis"],
  ctx=["{topic_cap} has become a key concern of social policy in Europe.",
       "Little is known about how {group} experience {topic}."],
  meth=["We analyse survey data from {n} respondents using multilevel regression models.",
        "We conducted {n2} semi-structured interviews and analysed them thematically.",
        "Measurement invariance was tested with multi-group confirmatory factor analysis."],
  res=["Levels of {topic} differ markedly by education and employment status.",
       "Respondents describe strong reliance on informal networks when public support is lacking."],
  dnote=["The data have been anonymised; a codebook and questionnaire are included."],
  soft=["weighting survey data", "coding qualitative interviews"],
  pkgs=["svyweights", "qualcode"],
  journals=[("European Sociological Review", "10.1093/esr/jcac0{d2}", "Oxford University Press"),
            ("Journal of Ethnic and Migration Studies", "10.1080/1369183X.{Y}.{d7}", "Taylor & Francis"),
            ("Social Science Research", "10.1016/j.ssresearch.{Y}.{d6}", "Elsevier"),
            ("Kölner Zeitschrift für Soziologie und Sozialpsychologie", "10.1007/s11577-0{d2}-00{d3}-{d1}", "Springer VS")],
  conf="ESA Conference",
  formats=["application/x-spss-sav", "application/pdf", "text/csv"],
  repos=[("zenodo", 12), ("gesis", 20), ("dans", 15), ("uni", 22)])

D("history", label="History",
  fos="FOS: History and archaeology", ddc=("940", "History of Europe"),
  kw=["digital humanities", "early modern history", "archives", "social history", "economic history",
      "TEI", "prosopography", "urban history"],
  v={"source": ["notarial records", "parish registers", "ship manifests", "merchant letters", "court records",
                "tax registers", "guild records"],
     "place": ["Antwerp", "Venice", "Gdańsk", "Lyon", "Seville", "Bruges", "Lübeck", "Kraków",
               "Amsterdam", "Barcelona"],
     "group": ["merchants", "printers", "notaries", "guild masters", "university students"],
     "century": ["fifteenth", "sixteenth", "seventeenth", "eighteenth"]},
  data=["Transcribed {source} from {place}, {h1}–{h2}",
        "Prosopographical database of {group} in {place}, {h1}–{h2}",
        "Structured data from the {source} of {place} ({century} century)"],
  text=["Credit networks among {group} in {century}-century {place}",
        "Women, work and {source} in early modern {place}",
        "Reading {source} from {place}: methods for quantitative history",
        "Plague, migration and labour in {place}, {h1}–{h2}"],
  img=["Digitised {source} of {place} ({century} century)",
       "Photographs of historical town plans of {place}"],
  ctx=["The {source} of {place} are among the richest sources for the social history of the period.",
       "Historians have long debated the role of {group} in the economy of {place}."],
  meth=["We transcribed and encoded {n} documents in TEI-XML and linked persons to authority files.",
        "Entries were coded by occupation, place of origin and family relationships.",
        "Network analysis was applied to {n} recorded transactions."],
  res=["The results show dense ties between {group} and the urban elite.",
       "Migration from the surrounding countryside increased sharply after epidemic years."],
  dnote=["Transcriptions follow diplomatic conventions; abbreviations are expanded in a separate layer."],
  soft=["encoding historical documents in TEI", "linking historical persons to authority files"],
  pkgs=["teitools", "prosolink"],
  journals=[("The Economic History Review", "10.1111/ehr.{d5}", "Wiley"),
            ("Continuity and Change", "10.1017/S02684160{d8}", "Cambridge University Press"),
            ("Urban History", "10.1017/S09639268{d8}", "Cambridge University Press"),
            ("Journal of Early Modern History", "10.1163/15700658-bja10{d3}", "Brill")],
  conf="Digital Humanities Conference",
  formats=["application/xml", "image/jpeg", "application/pdf", "text/csv"],
  repos=[("zenodo", 15), ("dans", 22), ("uni", 25)])

D("linguistics", label="Linguistics",
  fos="FOS: Languages and literature", ddc=("410", "Linguistics"),
  kw=["corpus linguistics", "dialectology", "phonetics", "language acquisition", "language contact",
      "historical linguistics", "Universal Dependencies"],
  v={"lang": ["Basque", "West Frisian", "Northern Sámi", "Welsh", "Romansh", "Sardinian", "Upper Sorbian",
              "Irish", "Estonian", "Galician"],
     "phen": ["vowel reduction", "code-switching", "evidential marking", "word order variation",
              "prosodic phrasing", "verb-second order"],
     "speakers": ["bilingual children", "heritage speakers", "older rural speakers", "adult learners"]},
  data=["Annotated corpus of spoken {lang}",
        "Speech recordings of {speakers} of {lang}",
        "Acoustic measurements of {phen} in {lang}",
        "Treebank of {lang} in Universal Dependencies format"],
  text=["{phen_cap} in {lang}: a corpus-based study",
        "The acquisition of {phen} by {speakers} of {lang}",
        "Language contact and {phen} in {lang}",
        "Documenting endangered varieties of {lang}"],
  ctx=["{lang} is a minority language with a rich but under-documented range of varieties.",
       "{phen_cap} is a central topic in the study of language variation and change."],
  meth=["The corpus contains {n2} hours of recordings with time-aligned transcriptions.",
        "Formant values were extracted automatically and checked manually in Praat.",
        "We fitted mixed-effects models with speaker and item as random effects."],
  res=["Younger speakers show significantly more {phen} than older speakers.",
       "The results point to contact-induced change rather than internal drift."],
  dnote=["Annotation follows the CHAT and Universal Dependencies guidelines.",
         "Audio is provided as 16-bit WAV; transcriptions in ELAN format."],
  soft=["forced alignment of minority-language speech", "converting ELAN files to CoNLL-U"],
  pkgs=["minalign", "elan2conllu"],
  journals=[("Journal of Phonetics", "10.1016/j.wocn.{Y}.{d6}", "Elsevier"),
            ("Language Variation and Change", "10.1017/S09543945{d8}", "Cambridge University Press"),
            ("Linguistics", "10.1515/ling-{Y}-0{d3}", "De Gruyter"),
            ("Glossa: a journal of general linguistics", "10.16995/glossa.{d4}", "Open Library of Humanities")],
  conf="LREC",
  formats=["audio/x-wav", "application/xml", "text/plain", "application/zip"],
  repos=[("zenodo", 18), ("dans", 15), ("uni", 25)])

D("archaeology", label="Archaeology",
  fos="FOS: History and archaeology", ddc=("930.1", "Archaeology"),
  kw=["excavation", "radiocarbon dating", "zooarchaeology", "stable isotopes", "ancient DNA", "GIS",
      "Bronze Age", "Neolithic", "Roman period"],
  v={"period": ["Neolithic", "Bronze Age", "Iron Age", "Roman", "Early Medieval", "Mesolithic"],
     "site": ["Must Farm", "Hallstatt", "Vinča-Belo Brdo", "Skara Brae", "Los Millares", "Biskupin",
              "Newgrange", "Vix", "the Heuneburg", "Knossos"],
     "material": ["animal bones", "ceramics", "lithic assemblages", "human remains",
                  "charred plant remains", "glass beads"],
     "imaterial": ["human remains", "animal bones", "charred cereal grains"],
     "aregion": ["Central Europe", "Iberia", "southern Scandinavia", "the Balkans", "the British Isles"]},
  data=["Radiocarbon dates from {site}",
        "Zooarchaeological data from {site}",
        "3D models of {material} from {site}",
        "Excavation records and finds database of {site}",
        "Stable isotope analyses of {imaterial} from {period} {aregion}"],
  text=["Diet and mobility in {period} {aregion} from stable isotopes",
        "A new radiocarbon chronology for {site}",
        "Craft production at {site}: evidence from {material}",
        "Ancient DNA from {period} burials in {aregion}"],
  img=["Photogrammetric images of {material} from {site}",
       "Photographs of the {y} excavation campaign at {site}"],
  ctx=["{site} is one of the key sites for understanding the {period} of {aregion}.",
       "Questions of diet and mobility are central to current research on the {period} of {aregion}."],
  meth=["We obtained {n2} new radiocarbon dates and modelled them in a Bayesian framework with OxCal.",
        "Carbon, nitrogen and strontium isotope ratios were measured on {n} samples.",
        "All finds were recorded with total station coordinates and documented photogrammetrically."],
  res=["The new chronology shortens the main occupation phase to about two centuries.",
       "Isotope values indicate a diet dominated by terrestrial protein and limited mobility."],
  dnote=["The finds database is provided as CSV and as a GeoPackage with excavation plans."],
  soft=["Bayesian modelling of radiocarbon dates", "processing photogrammetric models of finds"],
  pkgs=["c14model", "photofinds"],
  journals=[("Journal of Archaeological Science", "10.1016/j.jas.{Y}.{d6}", "Elsevier"),
            ("Antiquity", "10.15184/aqy.{Y}.{d2}", "Cambridge University Press"),
            ("European Journal of Archaeology", "10.1017/eaa.{Y}.{d2}", "Cambridge University Press"),
            ("Radiocarbon", "10.1017/RDC.{Y}.{d2}", "Cambridge University Press")],
  conf="EAA Annual Meeting",
  formats=["text/csv", "image/jpeg", "model/gltf-binary", "application/zip"],
  repos=[("zenodo", 15), ("dans", 22), ("uni", 20)])

D("musicology", label="Musicology",
  fos="FOS: Arts (arts, history of arts, performing arts, music)", ddc=("780", "Music"),
  kw=["music history", "music manuscripts", "ethnomusicology", "music information retrieval",
      "MEI", "performance practice", "early music"],
  v={"comp": ["Hildegard von Bingen", "Josquin des Prez", "Heinrich Schütz", "Barbara Strozzi",
              "Jan Dismas Zelenka", "Francesca Caccini", "Fanny Hensel", "Carl Nielsen"],
     "genre": ["folk songs", "Gregorian chant", "string quartets", "organ music", "lute tablatures",
               "brass band music"],
     "place": ["Bohemia", "the Basque Country", "Flanders", "Sardinia", "Transylvania", "Norway"],
     "century": ["sixteenth", "seventeenth", "eighteenth", "nineteenth"]},
  data=["C|MEI encodings of works by {comp}",
        "G|Field recordings of {genre} from {place}",
        "G|Symbolic corpus of {genre} from {place}",
        "G|Audio features of {n} recordings of {genre}"],
  text=["G|Performance practice in {genre} of {place}",
        "C|Rediscovering {comp}: sources and reception",
        "G|Computational analysis of melodic patterns in {genre} from {place}",
        "G|Patronage and repertoire: {genre} in {century}-century {place}"],
  img=["C|Digitised music manuscripts of works by {comp}"],
  ctx=["G|{genre_cap} from {place} have received little systematic attention.",
       "C|The music of {comp} has been rediscovered by performers and scholars in recent decades."],
  meth=["G|We encoded {n} pieces in MEI and analysed recurring melodic patterns.",
        "C|All known sources were collated and described according to RISM guidelines.",
        "G|Recordings were segmented and annotated with tempo, tuning and instrumentation."],
  res=["G|The analysis reveals regional styles that cut across political borders.",
       "C|Several works previously considered lost were identified in private collections."],
  dnote=["Encodings follow MEI 4.0; audio files are provided as MP3 for listening."],
  soft=["pattern discovery in symbolic music", "aligning audio recordings with scores"],
  pkgs=["meipattern", "scorealign"],
  journals=[("Early Music", "10.1093/em/caac0{d2}", "Oxford University Press"),
            ("Music Analysis", "10.1111/musa.{d5}", "Wiley"),
            ("Transactions of the International Society for Music Information Retrieval", "10.5334/tismir.{d3}", "Ubiquity Press"),
            ("Journal of the Royal Musical Association", "10.1017/rma.{Y}.{d2}", "Cambridge University Press")],
  conf="ISMIR",
  formats=["application/xml", "audio/mpeg", "image/tiff", "application/pdf"],
  repos=[("zenodo", 30), ("uni", 30)])

D("law", label="Law",
  fos="FOS: Law", ddc=("340", "Law"),
  kw=["EU law", "data protection", "human rights", "competition law", "environmental law",
      "constitutional law", "CJEU", "case law"],
  v={"topic": ["the GDPR", "the Digital Services Act", "the EU AI Act", "the European Green Deal",
               "State aid rules", "the European Arrest Warrant", "platform work regulation",
               "climate litigation"],
     "ltopic": ["the GDPR", "State aid", "the European Arrest Warrant", "climate change", "asylum",
                "consumer protection"],
     "directive": ["Whistleblower Directive", "Copyright in the Digital Single Market Directive",
                   "Pay Transparency Directive", "Adequate Minimum Wages Directive"],
     "court": ["the Court of Justice of the EU", "the European Court of Human Rights",
               "national constitutional courts"]},
  data=["Database of judgments of {court} on {ltopic}",
        "Coded dataset of national measures transposing the {directive}"],
  text=["{topic_cap} and the limits of EU competence",
        "Enforcing {topic}: the role of {court}",
        "Fundamental rights review of {topic}",
        "Between harmonisation and autonomy: {topic} in the Member States"],
  ctx=["{topic_cap} has raised difficult questions about the division of competences in the EU.",
       "The case law of {court} on {topic} is still developing."],
  meth=["The article analyses {n2} judgments and the relevant legislative history.",
        "We coded {n} decisions along twelve doctrinal variables."],
  res=["It argues that {court} has adopted an increasingly deferential standard of review.",
       "National approaches diverge considerably, undermining the uniform application of EU law."],
  dnote=["Each judgment is identified by its ECLI; the codebook is included."],
  soft=["retrieving and parsing ECLI-identified case law"],
  pkgs=["ecliparse"],
  journals=[("Common Market Law Review", "10.54648/cola{Y}0{d2}", "Kluwer Law International"),
            ("European Law Journal", "10.1111/eulj.{d5}", "Wiley"),
            ("International Data Privacy Law", "10.1093/idpl/ipac0{d2}", "Oxford University Press"),
            ("Maastricht Journal of European and Comparative Law", "10.1177/1023263X2{d7}", "SAGE Publications")],
  conf="ESIL Annual Conference",
  formats=["application/pdf", "text/csv"],
  repos=[("zenodo", 15), ("uni", 40)],
  types={"dataset": 0.3, "software": 0.2, "image": 0.0, "report": 1.5})

D("education", label="Educational sciences",
  fos="FOS: Educational sciences", ddc=("370", "Education"),
  kw=["teacher education", "early childhood education", "digital learning", "inclusive education",
      "higher education", "PISA", "mathematics education"],
  v={"_y1range": (2000, 2012),
     "topic": ["formative assessment", "reading interventions", "digital competence frameworks",
               "inclusive education", "dropout prevention programmes", "whole-school wellbeing programmes",
               "bilingual instruction"],
     "level": ["primary schools", "lower secondary schools", "vocational education", "universities",
               "early childhood education settings"],
     "country": ["Finland", "Germany", "Ireland", "Portugal", "Estonia", "the Netherlands", "Austria", "Croatia"]},
  data=["Teacher survey on {topic} in {level} in {country}, {y}",
        "Classroom observation data on {topic} in {level}",
        "Student achievement data linked to {topic} ({country}, {y1}–{y2})"],
  text=["{topic_cap} in {level}: a systematic review",
        "Effects of {topic} on student outcomes in {level}: a quasi-experimental study in {country}",
        "Teachers' beliefs about {topic} in {level}",
        "Implementing {topic} in {level} in {country}: a multiple case study"],
  ctx=["{topic_cap} is a policy priority in many European education systems.",
       "Evidence on how {topic} works in {level} is fragmented."],
  meth=["We surveyed {n} teachers and linked their responses to school-level administrative data.",
        "Following PRISMA guidelines, we screened {n} studies published since {y1}.",
        "Lessons were video-recorded and coded with a standardised observation protocol."],
  res=["Effects were small but positive, and larger for students from disadvantaged backgrounds.",
       "Teachers reported high support for {topic} but limited time and training."],
  dnote=["Variables and scales are documented in the enclosed codebook."],
  soft=["scoring classroom observation protocols"],
  pkgs=["obscode"],
  journals=[("Computers & Education", "10.1016/j.compedu.{Y}.{d6}", "Elsevier"),
            ("Teaching and Teacher Education", "10.1016/j.tate.{Y}.{d6}", "Elsevier"),
            ("European Journal of Psychology of Education", "10.1007/s10212-0{d2}-00{d3}-{d1}", "Springer"),
            ("Zeitschrift für Erziehungswissenschaft", "10.1007/s11618-0{d2}-01{d3}-{d1}", "Springer VS")],
  conf="ECER",
  formats=["application/pdf", "application/x-spss-sav", "text/csv"],
  repos=[("zenodo", 15), ("gesis", 15), ("uni", 30)])

D("agriculture", label="Agricultural sciences",
  fos="FOS: Agriculture, forestry, and fisheries", ddc=("630", "Agriculture"),
  kw=["crop yield", "soil organic carbon", "precision agriculture", "agroforestry", "cover crops",
      "nitrogen use efficiency", "organic farming", "field trials"],
  v={"_y1range": (1985, 2012),
     "crop": ["winter wheat", "maize", "sugar beet", "grapevine", "potato", "oilseed rape",
              "durum wheat", "spring barley"],
     "practice": ["cover crops", "reduced tillage", "agroforestry", "organic fertilisation",
                  "variable-rate nitrogen application", "intercropping"],
     "region": ["northern France", "the Pannonian Plain", "Lower Saxony", "Emilia-Romagna", "Jutland",
                "the Po Valley", "Flanders", "Castilla y León"]},
  data=["Field trial data on {practice} in {crop}, {region}, {y1}–{y2}",
        "Soil organic carbon measurements under {practice} at {n2} sites",
        "UAV multispectral imagery of {crop} fields in {region}",
        "Yield and grain quality of {n2} {crop} varieties in {region}"],
  text=["{practice_cap} increases soil organic carbon in {crop} systems of {region}",
        "Yield stability of {crop} under {practice}: results from a long-term experiment",
        "Farmers' adoption of {practice} in {region}",
        "Nitrogen use efficiency of {crop} under {practice}"],
  img=["UAV orthophotos of {crop} trials in {region}, {y}"],
  ctx=["Sustainable intensification requires practices that maintain yields while reducing environmental impacts.",
       "{practice_cap} is promoted under the EU Common Agricultural Policy, but its effects vary between sites."],
  meth=["A randomised complete block design with four replicates was maintained at {k} sites.",
        "Soil samples were taken to 60 cm depth and analysed for organic carbon by dry combustion.",
        "We interviewed {n2} farmers and analysed adoption with a mixed logit model."],
  res=["{practice_cap} increased topsoil organic carbon by {pct} % without significant yield penalties.",
       "Yields were more stable under {practice} in dry years."],
  dnote=["Plot-level data are provided in long format; management operations are documented in a separate table."],
  soft=["processing UAV multispectral imagery", "simulating crop growth"],
  pkgs=["uavindex", "cropsim-lite"],
  journals=[("Field Crops Research", "10.1016/j.fcr.{Y}.{d6}", "Elsevier"),
            ("Agriculture, Ecosystems & Environment", "10.1016/j.agee.{Y}.{d6}", "Elsevier"),
            ("European Journal of Agronomy", "10.1016/j.eja.{Y}.{d6}", "Elsevier"),
            ("Agronomy", "10.3390/agronomy{d2}{d6}", "MDPI")],
  conf="EGU",
  formats=["text/csv", "image/tiff", "application/vnd.ms-excel"],
  repos=[("zenodo", 18), ("4tu", 8), ("mendeley", 8), ("dryad", 5), ("uni", 20)])

D("ocean", label="Ocean science",
  fos="FOS: Earth and related environmental sciences", ddc=("551.46", "Oceanography"),
  kw=["oceanography", "CTD", "Argo floats", "marine heatwaves", "ocean acidification", "phytoplankton",
      "dissolved oxygen", "sea level"],
  v={"sea": ["North Sea", "Baltic Sea", "Bay of Biscay", "Adriatic Sea", "Norwegian Sea", "Aegean Sea",
             "Celtic Sea", "Gulf of Lion", "Skagerrak"],
     "var": ["temperature and salinity", "dissolved oxygen", "carbonate chemistry", "chlorophyll a",
             "nutrient concentrations", "microplastic concentrations"],
     "cruise": ["RV Poseidon cruise POS5{n2}", "RV Belgica cruise 20{n2}/1{k}",
                "RV Maria S. Merian cruise MSM{n2}", "RV Pelagia cruise 64PE{n}", "RV Celtic Explorer cruise CE2{n}"]},
  data=["O|{var_cap} from {cruise} in the {sea}",
        "O|Physical oceanography during {cruise}",
        "O|Time series of {var} at a coastal station in the {sea}, {y1}–{y2}",
        "O|Argo-based estimates of {var} in the {sea}"],
  text=["H|Marine heatwaves in the {sea}: drivers and ecological impacts",
        "O|Deoxygenation trends in the {sea} since {y1}",
        "O|Seasonal cycle of {var} in the {sea}",
        "M|Transport of microplastics in the {sea}: a modelling study"],
  ctx=["The {sea} is warming faster than the global ocean average.",
       "Coastal seas such as the {sea} are hotspots of biogeochemical change."],
  meth=["H|Heatwaves were detected with a 90th-percentile threshold on daily satellite sea surface temperature.",
        "O|Profiles were measured with a Sea-Bird SBE 911plus CTD and calibrated against bottle samples.",
        "H|We combined Argo float profiles with satellite sea surface temperature.",
        "M|A three-dimensional hydrodynamic model was coupled with a Lagrangian particle-tracking module."],
  res=["O|Bottom-water oxygen decreased by {pct} % over the observation period.",
       "M|Most particles released at river mouths are retained within 50 km of the coast.",
       "H|Marine heatwave frequency has doubled since the 1980s."],
  dnote=["O|Data are flagged following the SeaDataNet quality-control scheme."],
  soft=["processing CTD casts", "detecting marine heatwaves in SST records"],
  pkgs=["ctdproc", "mhwdetect"],
  journals=[("Ocean Science", "10.5194/os-{d2}-{d4}-{Y}", "Copernicus Publications"),
            ("Journal of Geophysical Research: Oceans", "10.1029/{Y}JC0{d5}", "American Geophysical Union"),
            ("Progress in Oceanography", "10.1016/j.pocean.{Y}.{d6}", "Elsevier"),
            ("Frontiers in Marine Science", "10.3389/fmars.{Y}.{d7}", "Frontiers Media SA")],
  conf="EGU",
  formats=["application/x-netcdf", "text/tab-separated-values", "text/csv"],
  repos=[("pangaea", 30), ("seanoe", 14), ("zenodo", 12), ("4tu", 5), ("uni", 8)])

D("astronomy", label="Astronomy and astrophysics",
  fos="FOS: Physical sciences", ddc=("520", "Astronomy"),
  kw=["astrophysics", "exoplanets", "galaxies", "radio astronomy", "Gaia", "solar physics",
      "stellar populations", "spectroscopy"],
  v={"obj": ["nearby M dwarfs", "open clusters", "dwarf galaxies in the Local Group", "Type Ia supernova hosts",
             "fast radio burst host galaxies", "hot Jupiters", "Milky Way globular clusters"],
     "instr": ["Gaia DR3", "VLT/MUSE", "GTC/OSIRIS", "CARMENES", "XMM-Newton", "TESS", "LOFAR"]},
  data=["{instr} observations of {obj}",
        "Catalogue of {n} {obj} from {instr}",
        "Spectra of {obj} obtained with {instr}",
        "S|Spectropolarimetric observations of solar active regions with the Swedish Solar Telescope, {y}"],
  text=["Stellar populations of {obj} from {instr} data",
        "A survey of {obj} with {instr}",
        "Constraints on the origin of {obj}",
        "Kinematics of {obj} revealed by {instr}",
        "S|Magnetic field evolution in solar active regions from high-resolution spectropolarimetry"],
  img=["Images of {obj} from {instr}",
       "S|High-resolution images of solar active regions from the Swedish Solar Telescope, {y}"],
  ctx=["S|Solar active regions are the source of flares and coronal mass ejections.",
       "{obj_cap} are key laboratories for testing models of stellar and galactic evolution.",
       "Large surveys have transformed our view of {obj}."],
  meth=["S|Observations were obtained with the CRISP imaging spectropolarimeter and reconstructed with MOMFBD.",
        "We analysed {instr} data for {n} targets with a Bayesian fitting pipeline.",
        "Spectra were reduced with the standard ESO pipeline and corrected for telluric absorption."],
  res=["We find evidence for two distinct populations with different kinematics.",
       "The derived rates are consistent with previous estimates but have smaller uncertainties."],
  dnote=["Catalogue columns are described in the ReadMe following the CDS standard."],
  soft=["reducing integral-field spectroscopy", "fitting transit light curves"],
  pkgs=["ifured", "transitfit"],
  journals=[("Astronomy & Astrophysics", "10.1051/0004-6361/20{d5}", "EDP Sciences"),
            ("Monthly Notices of the Royal Astronomical Society", "10.1093/mnras/stac{d4}", "Oxford University Press"),
            ("The Astrophysical Journal", "10.3847/1538-4357/ac{d4}", "IOP Publishing")],
  conf="EAS Annual Meeting",
  formats=["application/fits", "text/plain", "application/zip"],
  repos=[("zenodo", 35), ("uni", 25)])

D("energy", label="Energy research",
  fos="FOS: Environmental engineering", ddc=("333.79", "Energy"),
  kw=["renewable energy", "energy transition", "M|power systems", "M|energy system modelling",
      "S|energy policy", "S|survey", "P|time series", "P|wind and solar power", "M|flexibility"],
  v={"_y1range": (2005, 2015),
     "tech": ["offshore wind farms", "rooftop photovoltaics", "heat pumps", "green hydrogen electrolysers",
              "battery storage", "district heating networks"],
     "topic": ["grid congestion", "demand response", "sector coupling", "curtailment"],
     "gtech": ["offshore wind farms", "onshore wind farms", "rooftop photovoltaics", "run-of-river hydropower"],
     "htopic": ["energy poverty", "heat pump adoption", "willingness to pay for green electricity",
                "participation in demand response"],
     "country": ["Germany", "Denmark", "Spain", "Poland", "Italy", "Ireland", "Portugal", "Greece"],
     "region": ["northern Europe", "the Iberian Peninsula", "the Baltic states", "central Europe",
                "the North Sea region"]},
  data=["P|Hourly generation profiles of {gtech} in {country}, {y1}–{y2}",
        "M|Open power system model of {region}",
        "S|Household survey on {htopic} in {country}",
        "M|Techno-economic parameters of {tech}"],
  text=["M|The role of {tech} in a climate-neutral {country}",
        "M|{topic_cap} in distribution grids with high shares of {tech}",
        "M|Cost-optimal deployment of {tech} in {region}",
        "S|Social acceptance of {tech}: evidence from {country}",
        "S|{htopic_cap} and the energy transition: evidence from {country}"],
  ctx=["Reaching climate neutrality requires a rapid expansion of {tech}.",
       "M|{topic_cap} is becoming a bottleneck of the energy transition in {country}.",
       "S|{htopic_cap} has moved to the centre of energy policy in {country}."],
  meth=["M|We use an open-source capacity expansion model with hourly resolution.",
        "S|The survey covers {n} households and was fielded in {y}.",
        "P|Profiles were derived from reanalysis weather data and validated against metered output."],
  res=["M|Costs fall by {pct} % when flexibility from {tech} is fully exploited.",
       "S|Support is high in general but drops for installations close to residential areas.",
       "P|Capacity factors vary strongly between years, which underlines the need for multi-year data."],
  dnote=["All model inputs are provided under an open licence; time is given in UTC."],
  soft=["capacity expansion modelling of power systems", "generating renewable feed-in time series"],
  pkgs=["powerplan", "feedin-ts"],
  journals=[("Applied Energy", "10.1016/j.apenergy.{Y}.{d6}", "Elsevier"),
            ("Energy Policy", "10.1016/j.enpol.{Y}.{d6}", "Elsevier"),
            ("Joule", "10.1016/j.joule.{Y}.{d2}.0{d2}", "Cell Press"),
            ("Energies", "10.3390/en{d2}{d6}", "MDPI")],
  conf="European Energy Market Conference",
  formats=["text/csv", "application/zip", "application/x-hdf5"],
  repos=[("zenodo", 25), ("4tu", 15), ("uni", 18)])

# relative weight of each discipline among English records
DISC_WEIGHTS = {"climate": 10, "earth": 9, "ecology": 10, "medicine": 10, "genomics": 7, "physics": 7,
                "chemistry": 6, "materials": 6, "cs": 9, "math": 4, "economics": 6, "sociology": 6,
                "history": 6, "linguistics": 5, "archaeology": 5, "musicology": 3, "law": 4,
                "education": 5, "agriculture": 6, "ocean": 7, "astronomy": 5, "energy": 7}

KIND_WEIGHTS = {"dataset": 40, "article": 24, "thesis": 8, "software": 7, "conference": 8,
                "report": 7, "image": 6}


# ---------------------------------------------------------------------------
# Records in other languages: per-language topics with the original title,
# its English translation, an abstract in the language (sentences in order)
# and a short English abstract.  Slot values are (original, English) pairs.
# ---------------------------------------------------------------------------

def L(d, kinds, t, en, a, ae, kw, v=None, acc=None):
    return dict(d=d, kinds=kinds, t=t, en=en, a=a, ae=ae, kw=kw, v=v or {}, acc=acc)


LOCAL = {}

LOCAL["de"] = [
    L("energy", ["thesis", "article", "report"],
      "Die Rolle kommunaler Energiegenossenschaften in der Energiewende: eine Fallstudie aus {land}",
      "The role of community energy cooperatives in the energy transition: a case study from {land_en}",
      ["Die Arbeit untersucht, welchen Beitrag Energiegenossenschaften in {land} zur dezentralen Stromerzeugung leisten.",
       "Grundlage sind {n2} leitfadengestützte Interviews mit Vorständen, Mitgliedern und Vertreterinnen der Kommunalverwaltung sowie eine Auswertung von Geschäftsberichten.",
       "Die Ergebnisse zeigen, dass die Umstellung auf Ausschreibungen im EEG die Gründungsdynamik deutlich gebremst hat.",
       "Abschließend werden Handlungsempfehlungen für Kommunen und Landespolitik formuliert."],
      ["This study examines how energy cooperatives in {land_en} contribute to decentralised electricity generation, based on interviews and annual reports.",
       "It shows that the switch to auctions under the Renewable Energy Sources Act has slowed the founding of new cooperatives."],
      ["Energiewende", "Energiegenossenschaften", "Bürgerenergie", "Kommunalpolitik", "erneuerbare Energien"],
      {"land": [("Baden-Württemberg", "Baden-Württemberg"), ("Niedersachsen", "Lower Saxony"),
                ("Bayern", "Bavaria"), ("Schleswig-Holstein", "Schleswig-Holstein"), ("Thüringen", "Thuringia")]}),
    L("ecology", ["dataset"],
      "Vegetationsaufnahmen von Trockenrasen {gebiet}, {y1}–{y2}",
      "Vegetation relevés of dry grasslands {gebiet_en}, {y1}–{y2}",
      ["Der Datensatz enthält {n} Vegetationsaufnahmen nach Braun-Blanquet mit vollständigen Artenlisten und Deckungsgraden.",
       "Die Aufnahmen wurden auf dauerhaft markierten Flächen wiederholt, um Veränderungen durch Nutzungsaufgabe und Stickstoffeinträge zu dokumentieren.",
       "Die Nomenklatur folgt der Referenzliste GermanSL 1.5."],
      ["The dataset contains {n} vegetation relevés (Braun-Blanquet) with full species lists and cover values, resurveyed on permanent plots."],
      ["Vegetationsökologie", "Trockenrasen", "Dauerbeobachtung", "Biodiversität"],
      {"gebiet": [("am Kaiserstuhl", "at the Kaiserstuhl"), ("im Kyffhäuser", "in the Kyffhäuser hills"),
                  ("im Unteren Odertal", "in the Lower Oder Valley"), ("auf der Schwäbischen Alb", "on the Swabian Jura")]}),
    L("history", ["dataset", "thesis"],
      "Ratsprotokolle der Stadt {stadt} ({h1}–{h2}): digitale Edition",
      "Council minutes of the town of {stadt_en} ({h1}–{h2}): a digital edition",
      ["Die Edition erschließt die im Stadtarchiv {stadt} überlieferten Ratsprotokolle vollständig.",
       "Alle Einträge wurden transkribiert, mit Normdaten der GND verknüpft und in TEI-XML kodiert.",
       "Ein Personen- und Ortsregister ermöglicht prosopographische Auswertungen.",
       "Die Edition richtet sich an Forschende der Stadt-, Rechts- und Wirtschaftsgeschichte."],
      ["A full transcription of the council minutes kept in the {stadt_en} town archive, encoded in TEI-XML and linked to GND authority data."],
      ["Stadtgeschichte", "Frühe Neuzeit", "Digitale Edition", "TEI", "Ratsprotokolle"],
      {"stadt": [("Lüneburg", "Lüneburg"), ("Görlitz", "Görlitz"), ("Nördlingen", "Nördlingen"),
                 ("Stralsund", "Stralsund"), ("Regensburg", "Regensburg")],
       "h1": [1450, 1480, 1500, 1520], "h2": [1580, 1600, 1620, 1648]}),
    L("medicine", ["article", "thesis"],
      "Einfluss von Hitzewellen auf Notaufnahmebesuche in {stadt}: eine retrospektive Kohortenstudie",
      "Impact of heatwaves on emergency department visits in {stadt_en}: a retrospective cohort study",
      ["Wir analysierten {nbig} Notaufnahmebesuche in {stadt} aus den Jahren {y1} bis {y2}.",
       "An Tagen mit einer Höchsttemperatur über 30 °C stieg die Zahl der Vorstellungen von Patientinnen und Patienten über 75 Jahre signifikant an.",
       "Besonders betroffen waren Menschen mit Herz-Kreislauf- und Nierenerkrankungen.",
       "Die Ergebnisse unterstreichen die Bedeutung kommunaler Hitzeaktionspläne."],
      ["We analysed {nbig_en} emergency department visits in {stadt_en} between {y1} and {y2}.",
       "On days above 30 °C, visits by patients older than 75 increased significantly."],
      ["Hitzewellen", "Notfallmedizin", "Klimawandel und Gesundheit", "Kohortenstudie"],
      {"stadt": [("Berlin", "Berlin"), ("Köln", "Cologne"), ("München", "Munich"),
                 ("Frankfurt am Main", "Frankfurt am Main"), ("Wien", "Vienna")],
       "_y1range": (2010, 2015)}),
    L("linguistics", ["dataset"],
      "Korpus gesprochener Alltagssprache aus {region}: Transkripte und Audioaufnahmen",
      "Corpus of everyday spoken German from {region_en}: transcripts and audio recordings",
      ["Das Korpus umfasst {n2} Stunden Gesprächsaufnahmen mit {n} Sprecherinnen und Sprechern unterschiedlichen Alters.",
       "Die Transkription folgt den GAT-2-Konventionen; alle personenbezogenen Angaben wurden pseudonymisiert.",
       "Der Zugang ist aus Datenschutzgründen auf wissenschaftliche Zwecke beschränkt."],
      ["The corpus contains {n2} hours of conversational recordings transcribed according to GAT 2; access is restricted to research use."],
      ["Gesprochene Sprache", "Korpuslinguistik", "Regionalsprache", "Dialektologie"],
      {"region": [("dem Ruhrgebiet", "the Ruhr area"), ("Ostfriesland", "East Frisia"),
                  ("der Oberlausitz", "Upper Lusatia"), ("dem Saarland", "Saarland"), ("Vorarlberg", "Vorarlberg")]},
      acc="restricted"),
    L("materials", ["thesis", "article"],
      "Ermüdungsverhalten additiv gefertigter Ti-6Al-4V-Proben unter zyklischer Belastung",
      "Fatigue behaviour of additively manufactured Ti-6Al-4V specimens under cyclic loading",
      ["In dieser Arbeit wird das Ermüdungsverhalten von Ti-6Al-4V-Proben untersucht, die mittels Laserstrahlschmelzen hergestellt wurden.",
       "Der Einfluss von Oberflächenrauheit, Porosität und Wärmebehandlung wird an insgesamt {n} Proben systematisch analysiert.",
       "Heißisostatisches Pressen erhöht die Dauerfestigkeit deutlich, während die Oberflächenrauheit der dominierende Faktor bleibt."],
      ["The fatigue behaviour of laser powder bed fused Ti-6Al-4V is investigated with respect to surface roughness, porosity and heat treatment."],
      ["Additive Fertigung", "Werkstoffermüdung", "Titanlegierungen", "Laserstrahlschmelzen"]),
    L("education", ["article", "report", "dataset"],
      "Digitale Medien im Mathematikunterricht der Sekundarstufe I: Ergebnisse einer Lehrkräftebefragung in {land}",
      "Digital media in lower secondary mathematics teaching: results of a teacher survey in {land_en}",
      ["Im Rahmen der Studie wurden {n} Mathematiklehrkräfte in {land} online befragt.",
       "Erhoben wurden Nutzungshäufigkeit, Einstellungen und wahrgenommene Unterstützung beim Einsatz digitaler Medien.",
       "Die Ergebnisse zeigen große Unterschiede zwischen Schulformen und einen hohen Fortbildungsbedarf."],
      ["An online survey of {n} mathematics teachers in {land_en} on the use of digital media, attitudes and perceived support."],
      ["Mathematikdidaktik", "Digitalisierung", "Lehrkräftebefragung", "Sekundarstufe I"],
      {"land": [("Nordrhein-Westfalen", "North Rhine-Westphalia"), ("Sachsen", "Saxony"),
                ("Hessen", "Hesse"), ("Österreich", "Austria")]}),
]

LOCAL["fr"] = [
    L("ocean", ["dataset"],
      "Observations de température et de salinité de surface en mer {mer}, {y1}–{y2}",
      "Sea surface temperature and salinity observations in the {mer_en}, {y1}–{y2}",
      ["Ce jeu de données rassemble les mesures acquises par un thermosalinographe installé sur un navire d'opportunité.",
       "Les données ont été contrôlées et qualifiées selon les procédures du centre de données Coriolis.",
       "Elles sont fournies au format NetCDF conforme aux conventions CF."],
      ["Underway thermosalinograph measurements from a ship of opportunity, quality-controlled following Coriolis procedures and provided as CF-compliant NetCDF."],
      ["océanographie", "température de surface", "salinité", "thermosalinographe"],
      {"mer": [("Méditerranée", "Mediterranean Sea"), ("d'Iroise", "Iroise Sea"), ("Ligure", "Ligurian Sea"),
               ("du Nord", "North Sea")]}),
    L("sociology", ["article", "thesis"],
      "Les trajectoires résidentielles des jeunes adultes dans les villes moyennes {region}",
      "Residential trajectories of young adults in medium-sized towns of {region_en}",
      ["Cet article analyse les trajectoires résidentielles de jeunes adultes âgés de 18 à 29 ans à partir de {n2} entretiens biographiques.",
       "Il montre que le retour dans la ville d'origine constitue souvent une stratégie face à la précarité de l'emploi.",
       "Nous discutons enfin les implications de ces résultats pour les politiques locales du logement."],
      ["Based on {n2} biographical interviews, the article shows that returning to one's home town is often a strategy against job insecurity."],
      ["sociologie urbaine", "jeunesse", "mobilité résidentielle", "villes moyennes"],
      {"region": [("de Bretagne", "Brittany"), ("d'Occitanie", "Occitania"), ("du Grand Est", "the Grand Est region"),
                  ("de Nouvelle-Aquitaine", "Nouvelle-Aquitaine")]}),
    L("archaeology", ["report"],
      "Fouilles archéologiques du site gallo-romain {site} : rapport final d'opération",
      "Archaeological excavations at the Gallo-Roman site of {site_en}: final report",
      ["Le rapport présente les résultats de la campagne de fouille menée en {y} sur une surface de {n} m².",
       "Les structures mises au jour comprennent un bâtiment thermal, plusieurs fosses et un réseau de fossés.",
       "Le mobilier céramique permet de dater l'occupation principale entre le Ier et le IIIe siècle apr. J.-C."],
      ["Results of the {y} excavation campaign, which uncovered a bath building, pits and ditches dated to the 1st–3rd centuries AD."],
      ["archéologie", "époque gallo-romaine", "fouille préventive", "céramique"],
      {"site": [("de Jublains", "Jublains"), ("de Vieille-Toulouse", "Vieille-Toulouse"), ("d'Alésia", "Alesia"),
                ("de Mandeure", "Mandeure")]}),
    L("cs", ["thesis"],
      "Apprentissage profond pour la segmentation d'images satellitaires : application à la cartographie des zones humides",
      "Deep learning for satellite image segmentation: application to wetland mapping",
      ["Cette thèse propose une méthode de segmentation sémantique fondée sur des réseaux de neurones convolutifs.",
       "La méthode est évaluée sur des séries temporelles Sentinel-2 couvrant {region}.",
       "Les résultats montrent un gain de précision de {pct} points par rapport aux méthodes de référence."],
      ["A convolutional neural network method for semantic segmentation of Sentinel-2 time series, evaluated on wetlands in {region_en}."],
      ["apprentissage profond", "télédétection", "zones humides", "Sentinel-2"],
      {"region": [("la Camargue", "the Camargue"), ("le Marais poitevin", "the Marais poitevin"), ("la Brenne", "the Brenne")]}),
    L("law", ["article"],
      "La protection des données personnelles dans la recherche en santé : le RGPD à l'épreuve des entrepôts de données",
      "Personal data protection in health research: the GDPR and health data warehouses",
      ["Les entrepôts de données de santé se multiplient dans les établissements hospitaliers français.",
       "Cet article examine leur encadrement juridique au regard du RGPD et de la loi Informatique et Libertés.",
       "Il met en évidence les tensions entre réutilisation des données, information des patients et intérêt public."],
      ["The article examines the legal framework for hospital health data warehouses under the GDPR and French data protection law."],
      ["droit de la santé", "RGPD", "données personnelles", "entrepôts de données"]),
    L("musicology", ["image", "dataset"],
      "Manuscrits musicaux de la cathédrale {ville} (XVIIe–XVIIIe siècles) : inventaire et numérisation",
      "Music manuscripts of {ville_en} Cathedral (17th–18th centuries): inventory and digitisation",
      ["Ce corpus réunit {n} images numérisées des manuscrits musicaux conservés dans le fonds de la maîtrise de la cathédrale {ville}.",
       "Chaque manuscrit est décrit selon les normes du RISM.",
       "Les images sont diffusées via le protocole IIIF."],
      ["{n} digitised images of the music manuscripts of the {ville_en} Cathedral choir school, described according to RISM."],
      ["musicologie", "manuscrits musicaux", "maîtrise", "patrimoine numérisé"],
      {"ville": [("de Rouen", "Rouen"), ("d'Auch", "Auch"), ("de Chartres", "Chartres"), ("de Toulouse", "Toulouse")]}),
]

LOCAL["es"] = [
    L("agriculture", ["article", "dataset"],
      "Efecto del riego deficitario controlado en el rendimiento del olivar en {region}",
      "Effect of regulated deficit irrigation on olive orchard yield in {region_en}",
      ["Se evaluó el efecto de tres estrategias de riego deficitario controlado sobre la producción y la calidad del aceite durante {k} campañas.",
       "El ensayo se realizó en una finca comercial de olivar intensivo en {region}.",
       "Las estrategias con un aporte del 60 % de la evapotranspiración no redujeron significativamente el rendimiento.",
       "Los resultados apoyan el uso de esta técnica en zonas con escasez de agua."],
      ["Three regulated deficit irrigation strategies were tested over {k} seasons in an intensive olive orchard; applying 60 % of evapotranspiration did not reduce yield significantly."],
      ["riego deficitario", "olivar", "eficiencia en el uso del agua", "agronomía"],
      {"region": [("Andalucía", "Andalusia"), ("Extremadura", "Extremadura"),
                  ("Castilla-La Mancha", "Castilla-La Mancha"), ("Cataluña", "Catalonia")]}),
    L("economics", ["article", "report"],
      "Desigualdad salarial y negociación colectiva en España, {y1}–{y2}",
      "Wage inequality and collective bargaining in Spain, {y1}–{y2}",
      ["Este trabajo analiza la evolución de la desigualdad salarial en España a partir de la Muestra Continua de Vidas Laborales.",
       "Se estima el efecto de la reforma laboral de 2012 sobre la cobertura de los convenios colectivos.",
       "Los resultados indican que la descentralización de la negociación aumentó la dispersión salarial en la parte baja de la distribución."],
      ["Using Spanish social security records, the paper finds that the decentralisation of collective bargaining after 2012 increased wage dispersion at the bottom."],
      ["economía laboral", "desigualdad", "negociación colectiva", "salarios"],
      {"_y1range": (2000, 2006)}),
    L("ecology", ["dataset"],
      "Censos de aves acuáticas invernantes en {humedal}, {y1}–{y2}",
      "Counts of wintering waterbirds in {humedal_en}, {y1}–{y2}",
      ["El conjunto de datos recoge los censos de enero de aves acuáticas realizados en {humedal}.",
       "Incluye {n} registros de {n2} especies con el número de individuos por unidad de censo.",
       "Los datos siguen el estándar Darwin Core y se han publicado también en GBIF."],
      ["January waterbird counts: {n} records of {n2} species, formatted as Darwin Core."],
      ["aves acuáticas", "humedales", "censos", "seguimiento de biodiversidad"],
      {"humedal": [("el Delta del Ebro", "the Ebro Delta"), ("Doñana", "Doñana"),
                   ("las Tablas de Daimiel", "Las Tablas de Daimiel"), ("la Albufera de Valencia", "the Albufera of Valencia")]}),
    L("education", ["thesis"],
      "Competencia digital docente en la formación inicial del profesorado: un estudio en universidades de {region}",
      "Teachers' digital competence in initial teacher education: a study in universities of {region_en}",
      ["Esta tesis doctoral analiza el nivel de competencia digital del alumnado de los grados de Educación.",
       "Se aplicó un cuestionario basado en el marco DigCompEdu a {n} estudiantes de {k} universidades.",
       "Los resultados muestran niveles intermedios y diferencias significativas según la especialidad.",
       "Se proponen líneas de mejora para los planes de estudio."],
      ["A DigCompEdu-based questionnaire answered by {n} student teachers shows intermediate levels of digital competence."],
      ["competencia digital", "formación del profesorado", "DigCompEdu", "educación superior"],
      {"region": [("Andalucía", "Andalusia"), ("Galicia", "Galicia"), ("la Comunidad de Madrid", "the Community of Madrid"),
                  ("Castilla y León", "Castile and León")]}),
    L("energy", ["dataset"],
      "Potencial fotovoltaico en cubiertas de edificios públicos de {ciudad}",
      "Rooftop photovoltaic potential of public buildings in {ciudad_en}",
      ["Se estima el potencial de generación fotovoltaica de {n} cubiertas de edificios públicos a partir de datos LiDAR del PNOA.",
       "Para cada cubierta se proporcionan la superficie útil, la orientación, la irradiación anual y la producción estimada.",
       "Los datos se distribuyen en formato GeoPackage y CSV."],
      ["Photovoltaic potential of {n} public-building roofs estimated from national LiDAR data."],
      ["energía solar", "fotovoltaica", "LiDAR", "autoconsumo"],
      {"ciudad": [("Sevilla", "Seville"), ("Valencia", "Valencia"), ("Zaragoza", "Zaragoza"), ("Murcia", "Murcia")]}),
]

LOCAL["it"] = [
    L("earth", ["dataset", "article"],
      "Monitoraggio interferometrico delle deformazioni del suolo nell'area {area}, {y1}–{y2}",
      "Interferometric monitoring of ground deformation in the {area_en} area, {y1}–{y2}",
      ["Il lavoro presenta le serie temporali di deformazione del suolo ottenute dall'elaborazione di immagini Sentinel-1 con tecnica SBAS.",
       "Le velocità medie di sollevamento raggiungono alcuni centimetri all'anno nella zona centrale.",
       "I risultati sono confrontati con le misure GNSS della rete di monitoraggio dell'INGV."],
      ["Ground deformation time series from Sentinel-1 SBAS processing, compared with GNSS measurements."],
      ["InSAR", "deformazione del suolo", "vulcanologia", "Sentinel-1"],
      {"area": [("dei Campi Flegrei", "Campi Flegrei"), ("dell'Etna", "Mount Etna"), ("del Vesuvio", "Vesuvius"),
                ("di Ischia", "Ischia")],
       "y1": [2015, 2016], "y2": [2021, 2022, 2023]}),
    L("history", ["dataset"],
      "Lettere mercantili dell'archivio Datini di Prato ({h1}–{h2}): trascrizione e indicizzazione",
      "Merchant letters from the Datini archive in Prato ({h1}–{h2}): transcription and indexing",
      ["Il dataset contiene la trascrizione di {n} lettere commerciali conservate nell'Archivio di Stato di Prato.",
       "Per ciascuna lettera sono indicati mittente, destinatario, luogo e data di spedizione e di arrivo.",
       "I dati consentono di ricostruire le reti commerciali e i tempi di percorrenza della posta nel Mediterraneo tardo-medievale."],
      ["Transcriptions of {n} merchant letters with sender, recipient, places and dates of dispatch and arrival."],
      ["storia economica", "Medioevo", "mercanti", "epistolari"],
      {"h1": [1383, 1385, 1390], "h2": [1400, 1405, 1410]}),
    L("archaeology", ["article", "dataset"],
      "Analisi archeometriche della ceramica a vernice nera da {sito}",
      "Archaeometric analyses of black-glazed pottery from {sito_en}",
      ["Sono stati analizzati {n2} frammenti di ceramica a vernice nera mediante XRF, XRD e microscopia ottica in sezione sottile.",
       "I risultati permettono di distinguere produzioni locali e importazioni.",
       "Il confronto con i gruppi di riferimento indica un'origine campana per la maggior parte dei campioni."],
      ["XRF, XRD and thin-section analyses of {n2} black-glazed sherds distinguish local production from imports."],
      ["archeometria", "ceramica", "età ellenistica", "provenienza"],
      {"sito": [("Pompei", "Pompeii"), ("Paestum", "Paestum"), ("Populonia", "Populonia"), ("Cuma", "Cumae")]}),
    L("medicine", ["article"],
      "Aderenza terapeutica nei pazienti con diabete di tipo 2 in medicina generale: studio osservazionale in {regione}",
      "Treatment adherence in patients with type 2 diabetes in general practice: an observational study in {regione_en}",
      ["Lo studio ha coinvolto {n} pazienti con diabete di tipo 2 seguiti da {n2} medici di medicina generale in {regione}.",
       "L'aderenza è stata misurata come proporzione di giorni coperti dalla terapia.",
       "Solo il {pct}% dei pazienti risultava pienamente aderente dopo un anno."],
      ["Adherence, measured as proportion of days covered, was low among {n} patients followed in general practice."],
      ["diabete di tipo 2", "aderenza terapeutica", "medicina generale", "farmacoepidemiologia"],
      {"regione": [("Lombardia", "Lombardy"), ("Emilia-Romagna", "Emilia-Romagna"), ("Toscana", "Tuscany"),
                   ("Puglia", "Apulia")]}),
    L("musicology", ["thesis"],
      "Il repertorio polifonico della cappella musicale del Duomo di {citta} nel Cinquecento",
      "The polyphonic repertoire of the music chapel of {citta_en} Cathedral in the sixteenth century",
      ["La tesi ricostruisce il repertorio polifonico della cappella musicale del Duomo di {citta} attraverso lo studio dei libri corali e dei documenti d'archivio.",
       "Particolare attenzione è dedicata alle messe e ai mottetti di autori locali.",
       "In appendice si fornisce il catalogo delle fonti e l'edizione di {k} composizioni inedite."],
      ["A reconstruction of the polyphonic repertoire of the cathedral chapel from choirbooks and archival documents."],
      ["musicologia", "polifonia", "Rinascimento", "cappelle musicali"],
      {"citta": [("Milano", "Milan"), ("Padova", "Padua"), ("Treviso", "Treviso"), ("Verona", "Verona")]}),
]

LOCAL["nl"] = [
    L("earth", ["dataset"],
      "Bodemdaling {regio}: GNSS- en waterpasmetingen, {y1}–{y2}",
      "Land subsidence {regio_en}: GNSS and levelling measurements, {y1}–{y2}",
      ["Deze dataset bevat tijdreeksen van bodembeweging gemeten met {n2} permanente GNSS-stations en herhaalde waterpassingen.",
       "De metingen zijn gecorrigeerd voor seizoenseffecten en omgerekend naar het NAP.",
       "De gegevens worden gebruikt om de bijdrage van gaswinning en veenoxidatie aan de bodemdaling te scheiden."],
      ["Time series of land subsidence from {n2} permanent GNSS stations and repeated levelling, referenced to NAP."],
      ["bodemdaling", "geodesie", "GNSS", "gaswinning"],
      {"regio": [("in de provincie Groningen", "in the province of Groningen"), ("in het Groene Hart", "in the Green Heart region"),
                 ("in Friesland", "in Friesland"), ("langs de Waddenkust", "along the Wadden Sea coast")],
       "_y1range": (1995, 2012)}),
    L("sociology", ["article", "report"],
      "Eenzaamheid onder ouderen in {stad}: een mixed-methods onderzoek",
      "Loneliness among older people in {stad_en}: a mixed-methods study",
      ["In dit onderzoek combineren we een enquête onder {n} thuiswonende 75-plussers met {n2} diepte-interviews.",
       "Ruim een derde van de respondenten rapporteert gevoelens van sociale eenzaamheid.",
       "Buurtvoorzieningen en vrijwilligerswerk blijken belangrijke beschermende factoren."],
      ["A survey of {n} community-dwelling people aged 75+ combined with in-depth interviews; over a third report social loneliness."],
      ["eenzaamheid", "ouderen", "sociale cohesie", "welzijn"],
      {"stad": [("Rotterdam", "Rotterdam"), ("Utrecht", "Utrecht"), ("Eindhoven", "Eindhoven"), ("Groningen", "Groningen")]}),
    L("law", ["article"],
      "De Urgenda-uitspraak en de rol van de rechter in het klimaatbeleid",
      "The Urgenda ruling and the role of the courts in climate policy",
      ["In de Urgenda-zaak droeg de Hoge Raad de Staat op de uitstoot van broeikasgassen sneller te verminderen.",
       "Dit artikel analyseert de uitspraak in het licht van de trias politica en het EVRM.",
       "Betoogd wordt dat de rechter hiermee binnen de grenzen van zijn constitutionele taak is gebleven."],
      ["An analysis of the Dutch Supreme Court's Urgenda ruling in light of the separation of powers and the ECHR."],
      ["klimaatrecht", "staatsrecht", "EVRM", "rechterlijke macht"]),
    L("agriculture", ["dataset"],
      "Stikstof- en broeikasgasemissies van melkveebedrijven op veengrond, {y1}–{y2}",
      "Nitrogen and greenhouse gas emissions from dairy farms on peat soils, {y1}–{y2}",
      ["De dataset bevat maandelijkse metingen van ammoniak-, lachgas- en CO2-emissies op {k} melkveebedrijven in het veenweidegebied.",
       "Daarnaast zijn grondwaterstanden, bemesting en beweiding geregistreerd.",
       "De gegevens zijn verzameld in het kader van een praktijkproef met onderwaterdrainage."],
      ["Monthly ammonia, nitrous oxide and CO2 emission measurements on {k} dairy farms on peat soils."],
      ["stikstof", "melkveehouderij", "veenweide", "emissies"],
      {"_y1range": (2012, 2017)}),
    L("history", ["dataset"],
      "Scheepsjournalen van de VOC, {h1}–{h2}: gestructureerde gegevens over reizen en bemanning",
      "Logbooks of the Dutch East India Company (VOC), {h1}–{h2}: structured data on voyages and crews",
      ["Op basis van scheepsjournalen en soldijboeken uit het Nationaal Archief zijn gegevens over {n} reizen gestructureerd vastgelegd.",
       "Per reis zijn onder meer vertrek- en aankomstdata, route, bemanningsomvang en sterfte opgenomen.",
       "De dataset is bruikbaar voor onderzoek naar maritieme arbeid en migratie."],
      ["Structured data on {n} VOC voyages from logbooks and pay ledgers: dates, routes, crew size and mortality."],
      ["maritieme geschiedenis", "VOC", "vroegmoderne tijd", "migratie"],
      {"h1": [1700, 1710, 1720], "h2": [1760, 1780, 1795]}),
]

LOCAL["pl"] = [
    L("ecology", ["dataset"],
      "Zmiany liczebności i rozmieszczenia żubra w Puszczy Białowieskiej w latach {y1}–{y2}",
      "Changes in the abundance and distribution of European bison in the Białowieża Forest, {y1}–{y2}",
      ["Zbiór danych zawiera wyniki corocznych zimowych inwentaryzacji żubrów prowadzonych w polskiej części Puszczy Białowieskiej.",
       "Dla każdego roku podano liczebność, strukturę płci i wieku oraz lokalizacje stad.",
       "Dane mogą służyć do oceny skuteczności działań ochronnych."],
      ["Annual winter census results for European bison in the Polish part of the Białowieża Forest."],
      ["żubr", "ochrona przyrody", "Puszcza Białowieska", "monitoring"],
      {"_y1range": (1990, 2005)}),
    L("history", ["dataset"],
      "Księgi metrykalne parafii w {miejsce} z XVIII wieku: indeks osób",
      "Eighteenth-century parish registers of {miejsce_en}: index of persons",
      ["Indeks obejmuje {n} wpisów chrztów, ślubów i pogrzebów z ksiąg metrykalnych parafii w {miejsce}.",
       "Nazwiska i miejscowości podano w formie oryginalnej oraz znormalizowanej.",
       "Źródła przechowywane są w Archiwum Diecezjalnym."],
      ["An index of {n} baptism, marriage and burial entries with original and normalised names."],
      ["genealogia", "demografia historyczna", "księgi metrykalne", "XVIII wiek"],
      {"miejsce": [("Wieliczce", "Wieliczka"), ("Tarnowie", "Tarnów"), ("Łowiczu", "Łowicz"), ("Sandomierzu", "Sandomierz")]}),
    L("energy", ["thesis"],
      "Prognozowanie zapotrzebowania na energię elektryczną z wykorzystaniem sieci neuronowych LSTM",
      "Forecasting electricity demand using LSTM neural networks",
      ["W rozprawie zaproponowano model prognozowania krótkoterminowego zapotrzebowania na moc w krajowym systemie elektroenergetycznym.",
       "Model wykorzystuje sieci LSTM oraz dane meteorologiczne i kalendarzowe.",
       "W porównaniu z modelami referencyjnymi błąd MAPE zmniejszył się o {pct}%."],
      ["An LSTM model for short-term load forecasting in the Polish power system using weather and calendar data."],
      ["prognozowanie", "energetyka", "sieci neuronowe", "uczenie maszynowe"]),
    L("linguistics", ["dataset"],
      "Korpus tekstów gwarowych {region}: nagrania i transkrypcje",
      "Corpus of dialect texts {region_en}: recordings and transcriptions",
      ["Korpus zawiera {n2} godzin nagrań rozmów z najstarszymi mieszkańcami wsi.",
       "Transkrypcje przygotowano w zapisie półfonetycznym i opatrzono anotacją morfologiczną.",
       "Dostęp do nagrań audio wymaga rejestracji."],
      ["{n2} hours of dialect recordings with semi-phonetic transcriptions and morphological annotation."],
      ["dialektologia", "gwary", "korpus mówiony", "język polski"],
      {"region": [("z Podhala", "from Podhale"), ("z Kaszub", "from Kashubia"),
                  ("ze Śląska Cieszyńskiego", "from Cieszyn Silesia"), ("z Kurpiów", "from the Kurpie region")]},
      acc="restricted"),
    L("chemistry", ["article"],
      "Synteza i charakterystyka nanocząstek srebra otrzymanych metodą zielonej chemii",
      "Synthesis and characterisation of silver nanoparticles obtained by green chemistry",
      ["Nanocząstki srebra otrzymano z wykorzystaniem ekstraktu z liści pokrzywy jako reduktora.",
       "Produkty scharakteryzowano metodami UV-Vis, TEM i DLS.",
       "Otrzymane nanocząstki wykazały aktywność przeciwbakteryjną wobec szczepów E. coli i S. aureus."],
      ["Silver nanoparticles were synthesised with nettle leaf extract and showed antibacterial activity."],
      ["nanocząstki", "zielona chemia", "srebro", "aktywność przeciwbakteryjna"]),
]

LOCAL["pt"] = [
    L("ocean", ["dataset"],
      "Variabilidade do afloramento costeiro ao largo da costa portuguesa entre {y1} e {y2}",
      "Variability of coastal upwelling off the Portuguese coast between {y1} and {y2}",
      ["Este conjunto de dados reúne índices diários de afloramento costeiro calculados a partir de dados de vento de reanálise.",
       "Foram também incluídas temperaturas da superfície do mar obtidas por satélite.",
       "Os resultados evidenciam uma intensificação do afloramento no verão na costa ocidental."],
      ["Daily coastal upwelling indices from reanalysis winds together with satellite sea surface temperature."],
      ["afloramento costeiro", "oceanografia", "temperatura da superfície do mar", "costa portuguesa"],
      {"_y1range": (1979, 1995)}),
    L("history", ["image"],
      "Azulejaria barroca nas igrejas {cidade}: levantamento fotográfico",
      "Baroque azulejo tiles in the churches of {cidade_en}: a photographic survey",
      ["O levantamento documenta {n} painéis de azulejo em {n2} igrejas {cidade}.",
       "As fotografias foram obtidas em alta resolução e acompanhadas de fichas descritivas.",
       "O acervo destina-se à investigação em história da arte e à conservação do património."],
      ["High-resolution photographs of {n} azulejo panels in {n2} churches with descriptive records."],
      ["azulejaria", "barroco", "património cultural", "história da arte"],
      {"cidade": [("de Lisboa", "Lisbon"), ("do Porto", "Porto"), ("de Évora", "Évora"), ("de Coimbra", "Coimbra")]}),
    L("medicine", ["article"],
      "Prevalência de obesidade infantil em crianças do 1.º ciclo do ensino básico no {reg}",
      "Prevalence of childhood obesity among primary school children in the {reg_en}",
      ["Foi realizado um estudo transversal com {n} crianças entre os 6 e os 10 anos.",
       "A obesidade foi definida segundo os critérios da Organização Mundial da Saúde.",
       "A prevalência de excesso de peso foi de {pct}%, com diferenças significativas entre meio urbano e rural."],
      ["A cross-sectional study of {n} children aged 6–10 years using WHO criteria."],
      ["obesidade infantil", "saúde pública", "epidemiologia", "nutrição"],
      {"reg": [("Alentejo", "Alentejo"), ("Algarve", "Algarve"), ("Minho", "Minho")]}),
    L("agriculture", ["thesis"],
      "Qualidade do vinho e alterações climáticas na Região Demarcada do Douro",
      "Wine quality and climate change in the Douro Demarcated Region",
      ["Esta tese analisa a relação entre variáveis climáticas e a qualidade das vindimas na Região Demarcada do Douro entre {y1} e {y2}.",
       "Foram utilizados índices bioclimáticos e dados de produção fornecidos pelo Instituto dos Vinhos do Douro e do Porto.",
       "As projeções indicam um aumento do stress hídrico e uma antecipação da vindima."],
      ["The thesis relates bioclimatic indices to vintage quality in the Douro region and projects earlier harvests."],
      ["viticultura", "alterações climáticas", "Douro", "índices bioclimáticos"]),
]

LOCAL["sv"] = [
    L("ecology", ["article", "dataset"],
      "Effekter av hyggesfritt skogsbruk på marklevande skalbaggar i {landskap}",
      "Effects of continuous-cover forestry on ground-dwelling beetles in {landskap_en}",
      ["Vi jämförde förekomsten av jordlöpare i {n2} bestånd med hyggesfritt skogsbruk och trakthyggesbruk.",
       "Insamlingen gjordes med fallfällor under två säsonger.",
       "Artsammansättningen i hyggesfria bestånd liknade i högre grad den i äldre naturskog."],
      ["Carabid beetles were pitfall-trapped in {n2} stands under continuous-cover and clear-cut forestry."],
      ["skogsbruk", "biologisk mångfald", "jordlöpare", "hyggesfritt"],
      {"landskap": [("Västerbotten", "Västerbotten"), ("Småland", "Småland"), ("Värmland", "Värmland"),
                    ("Hälsingland", "Hälsingland")]}),
    L("education", ["report"],
      "Nyanlända elevers skolgång i svenska kommuner: en registerstudie",
      "Schooling of newly arrived pupils in Swedish municipalities: a register study",
      ["Rapporten följer {n} elever som kom till Sverige i grundskoleåldern.",
       "Med hjälp av registerdata analyseras behörighet till gymnasieskolan och skillnader mellan kommuner.",
       "Resultaten visar att mottagandets organisering har stor betydelse för elevernas studieresultat."],
      ["Register data on {n} newly arrived pupils show large differences between municipalities in eligibility for upper secondary school."],
      ["nyanlända elever", "skolsegregation", "registerdata", "utbildningspolitik"]),
    L("climate", ["dataset"],
      "Datum för isläggning och islossning i svenska sjöar, {y1}–{y2}",
      "Ice freeze-up and break-up dates for Swedish lakes, {y1}–{y2}",
      ["Datasetet innehåller observerade datum för isläggning och islossning i {n2} sjöar.",
       "Observationerna har kvalitetsgranskats och kompletterats med uppgifter om sjöarnas läge och storlek.",
       "Serierna visar en tydlig trend mot kortare isperioder."],
      ["Observed freeze-up and break-up dates for {n2} Swedish lakes, showing a clear trend towards shorter ice seasons."],
      ["sjöis", "klimatförändringar", "fenologi", "limnologi"],
      {"y1": [1871, 1900, 1920], "y2": [2020, 2021, 2022]}),
    L("history", ["dataset"],
      "Bouppteckningar från {ort}, {h1}–{h2}: transkriberade uppgifter",
      "Probate inventories from {ort_en}, {h1}–{h2}: transcribed data",
      ["Databasen omfattar {n} bouppteckningar med uppgifter om tillgångar, skulder och hushållets sammansättning.",
       "Materialet har hämtats från Riksarkivet och transkriberats enligt en gemensam mall.",
       "Uppgifterna möjliggör studier av förmögenhetsfördelning och konsumtion i det förindustriella Sverige."],
      ["Transcribed data from {n} probate inventories on assets, debts and household composition."],
      ["ekonomisk historia", "bouppteckningar", "förmögenhet", "1700-talet"],
      {"ort": [("Uppsala", "Uppsala"), ("Linköping", "Linköping"), ("Falun", "Falun"), ("Västerås", "Västerås")],
       "h1": [1750, 1760], "h2": [1850, 1860]}),
]

LOCAL["fi"] = [
    L("climate", ["dataset"],
      "Lumensyvyys ja lumipeitteen kesto Lapissa {y1}–{y2}",
      "Snow depth and snow cover duration in Finnish Lapland, {y1}–{y2}",
      ["Aineisto sisältää päivittäiset lumensyvyyshavainnot {n2} havaintoasemalta.",
       "Havainnoista on laskettu lumipeitteen alkamis- ja päättymispäivät sekä talven suurin lumensyvyys.",
       "Aineisto on tuotettu osana ilmastonmuutoksen vaikutuksia tutkivaa hanketta."],
      ["Daily snow depth observations from {n2} stations with derived start and end dates of the snow cover."],
      ["lumi", "ilmastonmuutos", "Lappi", "havaintoaineisto"]),
    L("education", ["thesis"],
      "Oppimisen tuki perusopetuksessa: opettajien näkemyksiä kolmiportaisesta tuesta",
      "Learning support in basic education: teachers' views on the three-tier support model",
      ["Väitöskirjassa tarkastellaan, miten opettajat kokevat kolmiportaisen tuen toteutumisen perusopetuksessa.",
       "Tutkimusaineisto koostuu {n} opettajan kyselyvastauksista ja {n2} haastattelusta.",
       "Tulosten mukaan resurssien puute ja tuen byrokraattisuus heikentävät mallin toimivuutta."],
      ["Survey and interview data show that lack of resources and bureaucracy weaken the three-tier support model."],
      ["perusopetus", "oppimisen tuki", "inkluusio", "opettajat"]),
    L("linguistics", ["dataset"],
      "{murre} äänitearkisto: litteroinnit ja metatiedot",
      "Sound archive of {murre_en}: transcriptions and metadata",
      ["Arkisto sisältää {n2} tuntia 1960- ja 1970-luvuilla tallennettuja murrehaastatteluja.",
       "Nauhoitteet on digitoitu ja litteroitu karkeatarkkeisesti.",
       "Käyttö edellyttää tutkimuslupaa."],
      ["{n2} hours of dialect interviews recorded in the 1960s and 1970s, digitised and transcribed."],
      ["murteet", "suomen kieli", "äänitearkisto", "kielitiede"],
      {"murre": [("Savolaismurteiden", "Savonian dialects"), ("Pohjalaismurteiden", "Ostrobothnian dialects"),
                 ("Kaakkoismurteiden", "southeastern Finnish dialects")]},
      acc="restricted"),
    L("agriculture", ["article"],
      "Ojitettujen turvemaiden metsien hiilitase",
      "Carbon balance of forests on drained peatlands",
      ["Tutkimuksessa mitattiin hiilidioksidin vaihtoa {k} ojitetulla turvemaalla Pohjois-Suomessa.",
       "Maaperän hiilihäviö oli suurinta ravinteikkailla kasvupaikoilla.",
       "Tulokset tarkentavat kasvihuonekaasuinventaarion päästökertoimia."],
      ["CO2 exchange measured on {k} drained peatland forest sites; soil carbon loss was largest on fertile sites."],
      ["turvemaat", "metsät", "hiilitase", "kasvihuonekaasut"]),
]

LOCAL["cs"] = [
    L("history", ["dataset"],
      "Urbáře a pozemkové knihy {region} ({h1}–{h2}): databáze",
      "Urbaria and land registers {region_en} ({h1}–{h2}): a database",
      ["Databáze obsahuje údaje z {n2} urbářů a pozemkových knih.",
       "Zaznamenány jsou poddanské usedlosti, výměra půdy a povinnosti vůči vrchnosti.",
       "Data umožňují studium hospodářských a sociálních poměrů venkova v raném novověku."],
      ["Data from {n2} urbaria and land registers on peasant holdings, land area and feudal obligations."],
      ["hospodářské dějiny", "raný novověk", "urbáře", "venkov"],
      {"region": [("z jižních Čech", "from South Bohemia"), ("ze severní Moravy", "from northern Moravia"),
                  ("ze Slezska", "from Silesia")],
       "h1": [1650, 1660, 1680], "h2": [1750, 1770]}),
    L("physics", ["thesis"],
      "Magnetické vlastnosti tenkých vrstev Heuslerových slitin",
      "Magnetic properties of Heusler alloy thin films",
      ["Disertační práce se zabývá přípravou a charakterizací tenkých vrstev Heuslerových slitin.",
       "Vrstvy byly připraveny magnetronovým naprašováním a studovány pomocí magnetooptických metod.",
       "Bylo zjištěno, že magnetická anizotropie silně závisí na teplotě žíhání."],
      ["Heusler alloy thin films were prepared by magnetron sputtering; their magnetic anisotropy depends strongly on the annealing temperature."],
      ["tenké vrstvy", "magnetismus", "Heuslerovy slitiny", "fyzika pevných látek"]),
    L("earth", ["dataset"],
      "Kvalita vody v povodí {reka} v letech {y1}–{y2}",
      "Water quality in the {reka_en} river basin, {y1}–{y2}",
      ["Datová sada obsahuje měsíční měření fyzikálně-chemických ukazatelů na {n2} profilech.",
       "Sledovány byly mimo jiné dusičnany, celkový fosfor a rozpuštěný kyslík.",
       "Data pocházejí z monitoringu státního podniku Povodí."],
      ["Monthly physico-chemical measurements at {n2} river profiles, including nitrate, total phosphorus and dissolved oxygen."],
      ["kvalita vody", "hydrologie", "monitoring", "povodí"],
      {"reka": [("Vltavy", "Vltava"), ("Moravy", "Morava"), ("Ohře", "Ohře"), ("Dyje", "Dyje")]}),
    L("musicology", ["image", "dataset"],
      "Hudební rukopisy z kůru kostela sv. Jakuba v Praze",
      "Music manuscripts from the choir of St James's Church in Prague",
      ["Soubor obsahuje digitalizované hudební rukopisy ze sbírky kůru.",
       "Každý rukopis je popsán podle pravidel RISM.",
       "Převážná část pramenů pochází z 18. století."],
      ["Digitised music manuscripts from the choir collection, described according to RISM; mostly 18th century."],
      ["hudební prameny", "muzikologie", "baroko", "digitalizace"]),
]

LOCAL["el"] = [
    L("archaeology", ["dataset"],
      "Ανασκαφικά δεδομένα από τον αρχαιολογικό χώρο της {topos}",
      "Excavation data from the archaeological site of {topos_en}",
      ["Το σύνολο δεδομένων περιλαμβάνει τις καταγραφές των ανασκαφικών περιόδων {y1}–{y2}.",
       "Περιέχει στρωματογραφικές μονάδες, ευρήματα και φωτογραφική τεκμηρίωση.",
       "Τα δεδομένα είναι οργανωμένα σε σχεσιακή βάση και συνοδεύονται από χάρτες GIS."],
      ["Records of the {y1}–{y2} excavation seasons: stratigraphic units, finds and photographs, with GIS maps."],
      ["αρχαιολογία", "ανασκαφή", "ΓΣΠ", "ελληνιστική περίοδος"],
      {"topos": [("Ολύνθου", "Olynthos"), ("Βεργίνας", "Vergina"), ("Μεσσήνης", "Messene"), ("Ελευσίνας", "Eleusis")],
       "y1": [2012, 2014, 2016], "y2": [2019, 2021, 2022]}),
    L("economics", ["article"],
      "Η επίδραση της οικονομικής κρίσης στην απασχόληση των νέων στην Ελλάδα",
      "The impact of the economic crisis on youth employment in Greece",
      ["Το άρθρο εξετάζει την εξέλιξη της ανεργίας των νέων στην Ελλάδα κατά την περίοδο {y1}–{y2}.",
       "Χρησιμοποιούνται μικροδεδομένα της Έρευνας Εργατικού Δυναμικού της ΕΛΣΤΑΤ.",
       "Τα αποτελέσματα δείχνουν ότι οι απόφοιτοι τριτοβάθμιας εκπαίδευσης επλήγησαν λιγότερο."],
      ["Labour Force Survey microdata show that tertiary graduates were less affected by the rise in youth unemployment."],
      ["οικονομική κρίση", "ανεργία", "νέοι", "αγορά εργασίας"],
      {"y1": [2008, 2009], "y2": [2016, 2018, 2019]}),
    L("earth", ["dataset"],
      "Σεισμική δραστηριότητα στον Κορινθιακό Κόλπο, {y1}–{y2}",
      "Seismic activity in the Gulf of Corinth, {y1}–{y2}",
      ["Ο κατάλογος περιλαμβάνει {n} σεισμικά γεγονότα που καταγράφηκαν από το τοπικό δίκτυο.",
       "Οι εστίες επαναπροσδιορίστηκαν με τη μέθοδο διπλών διαφορών.",
       "Τα δεδομένα αναδεικνύουν την ενεργό τεκτονική του δυτικού τμήματος του κόλπου."],
      ["A relocated catalogue of {n} earthquakes recorded by the local network."],
      ["σεισμολογία", "Κορινθιακός Κόλπος", "σεισμικός κατάλογος", "τεκτονική"],
      {"_y1range": (2000, 2012)}),
    L("medicine", ["article"],
      "Επιπολασμός της αρτηριακής υπέρτασης σε ενήλικες αγροτικών περιοχών της Κρήτης",
      "Prevalence of arterial hypertension among adults in rural areas of Crete",
      ["Πραγματοποιήθηκε συγχρονική μελέτη σε {n} ενήλικες από {n2} χωριά.",
       "Η αρτηριακή πίεση μετρήθηκε σύμφωνα με τις κατευθυντήριες οδηγίες της ESC.",
       "Ο επιπολασμός της υπέρτασης ανήλθε σε {pct}%, ενώ πολλοί ασθενείς δεν γνώριζαν τη διάγνωσή τους."],
      ["A cross-sectional study of {n} adults from {n2} villages; many hypertensive participants were unaware of their diagnosis."],
      ["υπέρταση", "επιδημιολογία", "πρωτοβάθμια φροντίδα", "Κρήτη"]),
]

LOCAL["hu"] = [
    L("agriculture", ["dataset"],
      "Az aszály hatása a kukorica terméshozamára az Alföldön, {y1}–{y2}",
      "Effect of drought on maize yield in the Great Hungarian Plain, {y1}–{y2}",
      ["Az adatállomány {n2} kísérleti parcella terméshozam- és talajnedvesség-adatait tartalmazza.",
       "A meteorológiai adatokat a legközelebbi mérőállomásról vettük át.",
       "Az aszályos években a terméscsökkenés elérte a {pct} százalékot."],
      ["Yield and soil moisture data from {n2} experimental plots; in drought years yields fell by up to {pct} %."],
      ["aszály", "kukorica", "terméshozam", "Alföld"],
      {"_y1range": (1995, 2010)}),
    L("history", ["article"],
      "Budapesti bérházak lakói a két világháború között",
      "Residents of Budapest tenement houses in the interwar period",
      ["A tanulmány {n} budapesti bérház lakóinak társadalmi összetételét vizsgálja lakcímjegyzékek és népszámlálási adatok alapján.",
       "Az eredmények a belső kerületek erős társadalmi vegyességére utalnak.",
       "Külön figyelmet kapnak a zsidó lakosság lakóhelyi mintázatai."],
      ["Address books and census data on the residents of {n} tenement houses reveal strong social mixing in the inner districts."],
      ["várostörténet", "Budapest", "társadalomtörténet", "két világháború közötti időszak"]),
    L("physics", ["thesis"],
      "Nehézion-ütközések vizsgálata a CERN NA61/SHINE kísérletében",
      "Study of heavy-ion collisions in the CERN NA61/SHINE experiment",
      ["A doktori értekezés a NA61/SHINE kísérletben mért töltött hadronok spektrumait elemzi.",
       "A mérések különböző ütközési energiákon és rendszerméretek mellett készültek.",
       "Az eredmények hozzájárulnak az erősen kölcsönható anyag fázisdiagramjának feltérképezéséhez."],
      ["An analysis of charged hadron spectra measured by NA61/SHINE at several collision energies and system sizes."],
      ["nehézion-fizika", "részecskefizika", "CERN", "hadronok"]),
    L("linguistics", ["article"],
      "A moldvai csángó nyelvjárások hangtani sajátosságai",
      "Phonological features of the Moldavian Csángó dialects",
      ["A tanulmány {k} csángó település nyelvjárási hangfelvételein alapul.",
       "Részletesen tárgyalja a magánhangzó-rendszer és a szibilánsok sajátosságait.",
       "Az eredményeket a román nyelvi kontaktus hatásaival összefüggésben értelmezzük."],
      ["Based on recordings from {k} Csángó villages, the article describes the vowel system and sibilants in the light of contact with Romanian."],
      ["dialektológia", "csángó", "fonológia", "nyelvi kontaktus"]),
]

LOCAL["ca"] = [
    L("ocean", ["dataset"],
      "Seguiment de les praderies de Posidonia oceanica {zona}, {y1}–{y2}",
      "Monitoring of Posidonia oceanica meadows {zona_en}, {y1}–{y2}",
      ["El conjunt de dades recull la densitat de feixos i la cobertura de les praderies en {n2} estacions de seguiment.",
       "Els mostratges es van fer anualment amb escafandre autònoma seguint un protocol estandarditzat.",
       "Les dades mostren una regressió de les praderies properes a ports i zones d'ancoratge."],
      ["Shoot density and cover of Posidonia oceanica meadows at {n2} monitoring stations, surveyed annually by SCUBA."],
      ["Posidonia oceanica", "ecologia marina", "seguiment", "Mediterrani"],
      {"zona": [("a la costa de Girona", "on the Girona coast"), ("a les Illes Balears", "in the Balearic Islands"),
                ("al Cap de Creus", "at Cap de Creus")],
       "_y1range": (2002, 2010)}),
    L("history", ["dataset", "article"],
      "La memòria oral de la Guerra Civil a les comarques de {comarca}",
      "Oral memory of the Spanish Civil War in the comarques of {comarca_en}",
      ["El projecte ha enregistrat {n2} entrevistes a persones que van viure la guerra i la postguerra.",
       "Les entrevistes s'han transcrit i indexat per temes, llocs i persones.",
       "L'accés a les gravacions íntegres està restringit per protegir la privacitat dels informants."],
      ["{n2} oral history interviews on the Civil War and post-war period, transcribed and indexed; full recordings are restricted."],
      ["història oral", "Guerra Civil", "memòria històrica", "postguerra"],
      {"comarca": [("les Terres de l'Ebre", "Terres de l'Ebre"), ("l'Alt Pirineu", "Alt Pirineu"), ("Lleida", "Lleida")]},
      acc="restricted"),
    L("cs", ["thesis"],
      "Reconeixement automàtic de la parla en català amb models de tipus transformador",
      "Automatic speech recognition for Catalan with transformer models",
      ["Aquesta tesi estudia l'adaptació de models de reconeixement de la parla basats en transformadors a la llengua catalana.",
       "S'han utilitzat dades de Common Voice i de corpus de ràdio i televisió.",
       "El millor sistema redueix la taxa d'error de paraula un {pct}% respecte del sistema de referència."],
      ["Transformer-based speech recognition adapted to Catalan with Common Voice and broadcast data."],
      ["reconeixement de la parla", "català", "aprenentatge profund", "tecnologies de la llengua"]),
    L("climate", ["dataset"],
      "Sèries homogeneïtzades de temperatura de l'Observatori Fabra ({y1}–{y2})",
      "Homogenised temperature series from the Fabra Observatory ({y1}–{y2})",
      ["Es presenten les sèries diàries de temperatura màxima i mínima de l'Observatori Fabra de Barcelona.",
       "Les sèries s'han homogeneïtzat amb el mètode HOMER utilitzant estacions de referència properes.",
       "L'escalfament observat des de 1950 és de prop de 0,3 °C per dècada."],
      ["Daily maximum and minimum temperature series from the Fabra Observatory in Barcelona, homogenised with HOMER."],
      ["climatologia", "temperatura", "homogeneïtzació", "Barcelona"],
      {"y1": [1913], "y2": [2020, 2021, 2022]}),
]

# how many records each language contributes (English fills the rest)
LOCAL_COUNTS = {"de": 13, "fr": 10, "es": 8, "it": 8, "nl": 8, "pl": 7, "pt": 6, "sv": 6, "fi": 5,
                "cs": 5, "el": 5, "hu": 5, "ca": 5}

# local wording for some fields, used now and then instead of the English one
LOCAL_TYPES = {
    "de": {"thesis": [["Dissertation"], ["doctoralThesis", "Text"]], "article": [["Zeitschriftenartikel"]],
           "report": [["Bericht"], ["Forschungsbericht"]]},
    "fr": {"thesis": [["Thèse"], ["info:eu-repo/semantics/doctoralThesis", "Thèse de doctorat"]],
           "article": [["info:eu-repo/semantics/article", "Article dans une revue"]],
           "report": [["Rapport"]]},
    "es": {"thesis": [["info:eu-repo/semantics/doctoralThesis", "Tesis doctoral"]], "article": [["artículo"]]},
    "it": {"thesis": [["Tesi di dottorato"]], "article": [["Articolo su rivista"]]},
    "nl": {"article": [["Tijdschriftartikel"]], "report": [["Rapport"]]},
    "pl": {"thesis": [["Rozprawa doktorska"]], "article": [["Artykuł"]]},
    "pt": {"thesis": [["info:eu-repo/semantics/doctoralThesis", "Tese de doutoramento"]],
           "article": [["info:eu-repo/semantics/article", "artigo"]]},
    "sv": {"report": [["Rapport"]], "article": [["Artikel i tidskrift"]]},
    "fi": {"thesis": [["Väitöskirja"], ["Doctoral dissertation"]]},
    "cs": {"thesis": [["Disertační práce"]]},
    "hu": {"thesis": [["Doktori értekezés"]]},
    "ca": {"thesis": [["info:eu-repo/semantics/doctoralThesis", "Tesi"]]},
}
LOCAL_LICENSES = {
    "de": ["Creative Commons Namensnennung 4.0 International", "Namensnennung 4.0 International (CC BY 4.0)"],
    "fr": ["Licence Creative Commons Attribution 4.0 International", "Licence Ouverte / Open Licence version 2.0"],
    "es": ["Reconocimiento 4.0 Internacional (CC BY 4.0)", "Attribution-NonCommercial-NoDerivatives 4.0 Internacional"],
    "it": ["Creative Commons Attribuzione 4.0 Internazionale"],
    "nl": ["Naamsvermelding 4.0 Internationaal (CC BY 4.0)"],
    "pt": ["Atribuição 4.0 Internacional (CC BY 4.0)"],
    "ca": ["Reconeixement 4.0 Internacional (CC BY 4.0)"],
}
CLOSED_RIGHTS_LOCAL = {"de": "Alle Rechte vorbehalten", "fr": "Tous droits réservés", "es": "Todos los derechos reservados",
                       "it": "Tutti i diritti riservati", "nl": "Alle rechten voorbehouden", "pt": "Todos os direitos reservados",
                       "ca": "Tots els drets reservats"}


# ---------------------------------------------------------------------------
# Topic clusters: hand-written records so that a demo search for "glacier" /
# "Gletscher" or "Covid-19" / "SARS-CoV-2" finds several hits in several
# languages.  Fields not given here are generated like everywhere else.
# ---------------------------------------------------------------------------

FIXED_ID = OAI_PREFIX + "glacier-mass-balance-alps"

# The record the README's example shows: every field is fixed.
FIXED_RECORD = {
    "oai_id": FIXED_ID,
    "datestamp": "2024-03-15",
    "disc": "climate", "kind": "dataset", "lang": "en", "quality": "rich",
    "elements": [
        ("creator", "Brunner, Katharina", None),
        ("creator", "Tschudi, Reto", None),
        ("date", "2024-03-15", None),
        ("description",
         "Annual and seasonal glacier-wide mass balance of glaciers in the European Alps, compiled from "
         "in-situ glaciological measurements (stakes and snow pits) and calibrated against repeated "
         "geodetic surveys. The longest series start in 1950 and all series are updated to the 2022/23 "
         "hydrological year. Values are given in metres water equivalent per year, with uncertainty "
         "estimates for each glacier and year.", None),
        ("format", "text/csv", None),
        ("identifier", "https://doi.org/10.5072/zenodo.1234567", None),
        ("language", "en", None),
        ("publisher", "Zenodo", None),
        ("rights", "https://creativecommons.org/licenses/by/4.0/", None),
        ("rights", "info:eu-repo/semantics/openAccess", None),
        ("subject", "glaciology", None),
        ("subject", "climate change", None),
        ("subject", "Alps", None),
        ("title", "Glacier mass balance measurements in the European Alps, 1950–2023", None),
        ("type", "Dataset", None),
    ],
}

CLUSTER = [
    # --- glaciers -----------------------------------------------------------
    dict(disc="climate", kind="dataset", lang="de", quality="rich", year=2018, repo="uni:de:ETH Zürich",
         titles=[("Gletscherinventar der Schweizer Alpen 2016 auf Basis von Orthofotos", "de"),
                 ("Swiss Alpine glacier inventory 2016 derived from orthophotos", "en")],
         descs=[("Das Inventar enthält die Umrisse von rund 1400 Gletschern der Schweizer Alpen, digitalisiert auf "
                 "Grundlage von Orthofotos der Jahre 2013 bis 2018. Für jeden Gletscher werden Fläche, Höhenbereich, "
                 "Exposition und Schuttbedeckung angegeben. Im Vergleich zum Inventar von 1973 hat die vergletscherte "
                 "Fläche um rund ein Drittel abgenommen.", "de"),
                ("Outlines of about 1400 glaciers in the Swiss Alps digitised from orthophotos acquired 2013–2018, "
                 "with area, elevation range, aspect and debris cover for each glacier.", "en")],
         kw=["Gletscher", "Gletscherinventar", "Fernerkundung", "Schweizer Alpen", "glaciers"],
         coverage=["Schweizer Alpen"]),
    dict(disc="climate", kind="dataset", lang="de", quality="normal", year=2023, repo="uni:de:Universität Wien",
         titles=[("Längenänderungen ausgewählter Gletscher der Ötztaler Alpen, 1890–2022", None)],
         descs=[("Jährliche Messungen der Lage der Gletscherzungen an 14 Gletschern der Ötztaler Alpen. "
                 "Die Messreihen werden im Rahmen des Gletschermessdienstes fortgeführt und zeigen seit 1980 "
                 "einen nahezu ununterbrochenen Rückzug.", None)],
         kw=["Gletscher", "Gletscherrückgang", "Ötztaler Alpen", "Klimawandel"]),
    dict(disc="climate", kind="article", lang="fr", quality="rich", year=2021, repo="uni:fr:Université Grenoble Alpes",
         titles=[("Évolution des glaciers du massif du Mont-Blanc depuis la fin du Petit Âge glaciaire", "fr"),
                 ("Evolution of the glaciers of the Mont Blanc massif since the end of the Little Ice Age", "en")],
         descs=[("Nous reconstituons l'extension des glaciers du massif du Mont-Blanc à partir de cartes anciennes, "
                 "de photographies aériennes et de moraines datées. Depuis 1850, la surface englacée a diminué "
                 "d'environ 40 %, avec une nette accélération après 1990. Les glaciers de petite taille ont perdu "
                 "proportionnellement le plus de surface.", "fr")],
         kw=["glaciers", "Petit Âge glaciaire", "massif du Mont-Blanc", "glaciologie", "changement climatique"]),
    dict(disc="climate", kind="dataset", lang="it", quality="normal", year=2022, repo="uni:it:Università degli Studi di Padova",
         titles=[("Ghiacciai dell'Ortles-Cevedale: bilancio di massa e variazioni frontali, 2005–2021", "it")],
         descs=[("Il dataset riporta i bilanci di massa annuali misurati con il metodo glaciologico su tre ghiacciai "
                 "del gruppo Ortles-Cevedale, insieme alle variazioni frontali rilevate ogni autunno. Tutti i ghiacciai "
                 "mostrano bilanci fortemente negativi, con perdite particolarmente elevate nel 2015 e nel 2017.", "it")],
         kw=["ghiacciai", "bilancio di massa", "Ortles-Cevedale", "glaciologia"]),
    dict(disc="climate", kind="dataset", lang="en", quality="rich", year=2023, repo="pangaea",
         titles=[("Surface velocities of the Great Aletsch Glacier from Sentinel-2 feature tracking, 2017–2022", None)],
         descs=[("Annual surface velocity fields of the Great Aletsch Glacier derived from pairs of cloud-free "
                 "Sentinel-2 images with normalised cross-correlation feature tracking. Velocities were filtered "
                 "for outliers and validated against GNSS measurements on the glacier tongue. Flow speeds at "
                 "Konkordiaplatz decreased by about 15 % over the period.", None)],
         kw=["glacier", "ice velocity", "Sentinel-2", "remote sensing", "Aletsch"], coverage=["Bernese Alps, Switzerland"]),
    dict(disc="climate", kind="article", lang="en", quality="normal", year=2022, repo="zenodo",
         titles=[("Accelerated glacier mass loss in Svalbard during the 2010s from repeat satellite altimetry", None)],
         descs=[("We combine repeat satellite altimetry with ArcticDEM elevation models to quantify glacier elevation "
                 "change in Svalbard between 2010 and 2020. Mass loss nearly doubled compared with the previous decade, "
                 "with the largest thinning on land-terminating glaciers in the south.", None)],
         kw=["glacier mass balance", "Svalbard", "altimetry", "Arctic"]),
    dict(disc="climate", kind="software", lang="en", quality="normal", year=2024, repo="zenodo",
         titles=[("glacierflow: a Python package for flowline modelling of mountain glaciers", None)],
         descs=[("glacierflow is an open-source Python package that simulates the evolution of mountain glaciers "
                 "along their central flowline under prescribed climate forcing. It includes a shallow-ice dynamical "
                 "core, a temperature-index mass-balance model and example set-ups for Alpine glaciers.", None)],
         kw=["glacier modelling", "Python", "ice dynamics"]),
    dict(disc="climate", kind="image", lang="en", quality="poor", year=2012, repo="uni:en:University of Edinburgh",
         titles=[("PHOTOGRAPHS OF THE RHONE GLACIER, 1970-1990", None)], descs=[], kw=[]),
    # --- Covid-19 -----------------------------------------------------------
    dict(disc="medicine", kind="article", lang="en", quality="rich", year=2021, repo="uni:it:Università degli Studi di Padova",
         titles=[("Seroprevalence of SARS-CoV-2 antibodies among healthcare workers in Lombardy during the first pandemic wave", None)],
         descs=[("We measured IgG antibodies against the SARS-CoV-2 spike protein in 4,312 healthcare workers of "
                 "three hospitals in Lombardy between April and June 2020. Overall seroprevalence was 11.4 %, "
                 "higher among staff of Covid-19 wards and among nurses than among administrative staff. "
                 "One third of seropositive workers reported no symptoms.", None)],
         kw=["SARS-CoV-2", "COVID-19", "seroprevalence", "healthcare workers", "Italy"]),
    dict(disc="medicine", kind="dataset", lang="en", quality="rich", year=2023, repo="zenodo",
         titles=[("COVID-19 hospital admissions and intensive care occupancy in 27 European countries, March 2020 – December 2022", None)],
         descs=[("Weekly numbers of new hospital admissions and intensive care occupancy for COVID-19, harmonised "
                 "from national public health sources for 27 European countries. Each series is documented with its "
                 "source, definition changes and reporting gaps. Counts are given per 100,000 population.", None)],
         kw=["COVID-19", "SARS-CoV-2", "hospital admissions", "intensive care", "Europe"]),
    dict(disc="medicine", kind="dataset", lang="es", quality="rich", year=2022, repo="uni:es:Consejo Superior de Investigaciones Científicas (CSIC)",
         titles=[("Vigilancia de SARS-CoV-2 en aguas residuales de Cataluña: secuencias genómicas y cargas virales", "es"),
                 ("Wastewater surveillance of SARS-CoV-2 in Catalonia: genome sequences and viral loads", "en")],
         descs=[("El conjunto de datos contiene las cargas virales de SARS-CoV-2 medidas semanalmente por RT-qPCR en "
                 "56 depuradoras de Cataluña y las secuencias genómicas obtenidas a partir de muestras seleccionadas. "
                 "Los datos permitieron detectar la llegada de nuevas variantes con una antelación de hasta dos semanas.", "es")],
         kw=["SARS-CoV-2", "aguas residuales", "epidemiología ambiental", "Covid-19", "secuenciación"]),
    dict(disc="medicine", kind="article", lang="de", quality="normal", year=2022, repo="uni:de:Albert-Ludwigs-Universität Freiburg",
         titles=[("Auswirkungen der COVID-19-Pandemie auf die psychische Gesundheit von Studierenden: Ergebnisse einer Längsschnittbefragung", "de")],
         descs=[("In drei Befragungswellen zwischen 2020 und 2021 wurden Studierende zu depressiven Symptomen, Angst "
                 "und Einsamkeit befragt. Während der Lockdowns stiegen depressive Symptome deutlich an, besonders bei "
                 "Studierenden, die allein lebten.", "de")],
         kw=["COVID-19", "psychische Gesundheit", "Studierende", "Längsschnittstudie"]),
    dict(disc="medicine", kind="article", lang="fr", quality="normal", year=2021, repo="uni:fr:Sorbonne Université",
         titles=[("Impact du confinement lié à la Covid-19 sur l'activité physique des adolescents en France", None)],
         descs=[("Cette étude compare l'activité physique mesurée par accéléromètre chez 420 collégiens avant et "
                 "pendant le premier confinement. Le temps d'activité modérée à vigoureuse a diminué de près de moitié, "
                 "surtout chez les filles.", None)],
         kw=["Covid-19", "confinement", "activité physique", "adolescents"]),
    dict(disc="medicine", kind="dataset", lang="en", quality="normal", year=2022, repo="zenodo",
         titles=[("Covid-19 lockdowns and urban air quality: daily NO2 and PM2.5 concentrations in 30 European cities, 2019–2021", None)],
         descs=[("Daily mean NO2 and PM2.5 concentrations from urban background and traffic stations in 30 European "
                 "cities, together with lockdown dates. NO2 at traffic stations fell by up to 50 % during the spring "
                 "2020 lockdowns, while PM2.5 changed little.", None)],
         kw=["COVID-19", "air quality", "NO2", "lockdown"]),
    dict(disc="sociology", kind="dataset", lang="nl", quality="rich", year=2022, repo="4tu", acc="restricted",
         titles=[("Mobiliteit tijdens de coronapandemie: geanonimiseerde smartphonegegevens", "nl"),
                 ("Mobility during the COVID-19 pandemic in the Netherlands: anonymised smartphone data", "en")],
         descs=[("Geaggregeerde verplaatsingen per gemeente en per dag, afgeleid uit locatiegegevens van smartphones "
                 "van ruim 200.000 deelnemers. De gegevens zijn geanonimiseerd en alleen beschikbaar onder een "
                 "gebruikersovereenkomst.", "nl"),
                ("Aggregated daily trips per municipality derived from smartphone location data; available under a "
                 "data use agreement.", "en")],
         kw=["COVID-19", "mobiliteit", "smartphonegegevens", "coronamaatregelen"]),
    dict(disc="medicine", kind="software", lang="en", quality="rich", year=2021, repo="zenodo",
         titles=[("covsim: an agent-based model of SARS-CoV-2 transmission in schools", None)],
         descs=[("covsim simulates the spread of SARS-CoV-2 in schools with an agent-based contact model calibrated "
                 "on classroom contact surveys. It can be used to compare testing, ventilation and quarantine "
                 "strategies. This release adds vaccination of staff and variant-specific transmissibility.", None)],
         kw=["SARS-CoV-2", "agent-based model", "schools", "COVID-19", "epidemic modelling"]),
    dict(disc="medicine", kind="report", lang="pl", quality="normal", year=2023, repo="uni:pl:Uniwersytet Warszawski",
         titles=[("Nadmiarowe zgony w Polsce w okresie pandemii COVID-19, 2020–2022", "pl"),
                 ("Excess deaths in Poland during the COVID-19 pandemic, 2020–2022", "en")],
         descs=[("Raport szacuje liczbę nadmiarowych zgonów w Polsce na podstawie tygodniowych danych GUS. "
                 "W latach 2020–2022 liczba zgonów była o około 200 tysięcy wyższa od oczekiwanej.", "pl")],
         kw=["COVID-19", "nadmiarowe zgony", "demografia", "zdrowie publiczne"]),
    dict(disc="medicine", kind="dataset", lang="en", quality="poor", year=2021, repo="uni:en:Trinity College Dublin",
         titles=[("Covid 19 survey data wave 3", None)], descs=[], kw=[]),
]


# ---------------------------------------------------------------------------
# Where records come from: data repositories and university repositories
# ---------------------------------------------------------------------------

# name, host (under example.org), platform, handle prefix, URN prefix, own DOI pattern
def U(name, host, platform, handle=None, urn=None, doi=None):
    return dict(name=name, host=host, platform=platform, handle=handle, urn=urn, doi=doi)


UNIS = {
    "en": [U("University of Edinburgh", "era.ed", "dspace", "1842", doi="10.7488/ds/{d4}"),
           U("Trinity College Dublin", "tara.tcd", "dspace", "2262"),
           U("University College London", "discovery.ucl", "eprints")],
    "de": [U("Albert-Ludwigs-Universität Freiburg", "freidok.uni-freiburg", "opus", urn="urn:nbn:de:bsz:25-freidok-"),
           U("Technische Universität München", "mediatum.ub.tum", "opus", urn="urn:nbn:de:bvb:91-diss-"),
           U("ETH Zürich", "research-collection.ethz", "dspace", "20.500.11850", doi="10.3929/ethz-b-000{d6}"),
           U("Universität Wien", "phaidra.univie", "eprints")],
    "fr": [U("Université Grenoble Alpes", "hal.univ-grenoble-alpes", "hal"),
           U("Sorbonne Université", "hal.sorbonne-universite", "hal"),
           U("Inria", "inria.hal", "hal")],
    "es": [U("Consejo Superior de Investigaciones Científicas (CSIC)", "digital.csic", "dspace", "10261",
             doi="10.20350/digitalCSIC/{d5}"),
           U("Universidad Complutense de Madrid", "docta.ucm", "dspace", "20.500.14352")],
    "ca": [U("Universitat de Barcelona", "diposit.ub", "dspace", "2445"),
           U("Universitat Politècnica de Catalunya", "upcommons.upc", "dspace", "2117")],
    "it": [U("Alma Mater Studiorum – Università di Bologna", "cris.unibo", "dspace", "11585",
             doi="10.6092/unibo/amsacta/{d4}"),
           U("Università degli Studi di Padova", "research.unipd", "dspace", "11577"),
           U("Politecnico di Milano", "re.public.polimi", "dspace", "11311")],
    "nl": [U("Universiteit Utrecht", "dspace.library.uu", "dspace", "1874"),
           U("Universiteit Leiden", "scholarlypublications.universiteitleiden", "dspace", "1887"),
           U("Wageningen University & Research", "research.wur", "eprints"),
           U("KU Leuven", "lirias.kuleuven", "eprints")],
    "pl": [U("Uniwersytet Jagielloński", "ruj.uj", "dspace", "11315"),
           U("Uniwersytet Warszawski", "repozytorium.uw", "dspace", "item")],
    "pt": [U("Universidade de Lisboa", "repositorio.ul", "dspace", "10451"),
           U("Universidade do Porto", "repositorio-aberto.up", "dspace", "10216")],
    "sv": [U("Uppsala universitet", "uu.diva-portal", "diva", urn="urn:nbn:se:uu:diva-"),
           U("Stockholms universitet", "su.diva-portal", "diva", urn="urn:nbn:se:su:diva-"),
           U("Lunds universitet", "lup.lub.lu", "eprints")],
    "fi": [U("Helsingin yliopisto", "helda.helsinki", "dspace", "10138", urn="URN:NBN:fi:hulib-"),
           U("Jyväskylän yliopisto", "jyx.jyu", "dspace", "123456789", urn="URN:NBN:fi:jyu-")],
    "cs": [U("Univerzita Karlova", "dspace.cuni", "dspace", "20.500.11956"),
           U("České vysoké učení technické v Praze", "dspace.cvut", "dspace", "10467")],
    "el": [U("Εθνικό και Καποδιστριακό Πανεπιστήμιο Αθηνών", "pergamos.lib.uoa", "eprints"),
           U("Aristotle University of Thessaloniki", "ikee.lib.auth", "eprints")],
    "hu": [U("Eötvös Loránd Tudományegyetem", "edit.elte", "dspace", "10831"),
           U("Debreceni Egyetem", "dea.lib.unideb", "dspace", "2437")],
}
UNI_LANG_WEIGHTS = [("en", 16), ("de", 14), ("nl", 10), ("fr", 8), ("it", 8), ("es", 7), ("sv", 6),
                    ("fi", 5), ("pl", 5), ("cs", 4), ("pt", 4), ("ca", 3), ("hu", 3), ("el", 2)]

DATA_REPOS = {
    "zenodo": "Zenodo", "pangaea": "PANGAEA", "gfz": "GFZ Data Services", "4tu": "4TU.ResearchData",
    "mendeley": "Mendeley Data", "dryad": "Dryad", "dans": "DANS Data Station Social Sciences and Humanities",
    "seanoe": "SEANOE", "gesis": "GESIS Data Archive",
}
# element order of each platform's oai_dc (Zenodo and DSpace sort alphabetically)
ALPHA = ["contributor", "coverage", "creator", "date", "description", "format", "identifier", "language",
         "publisher", "relation", "rights", "source", "subject", "title", "type"]
CANON = ["title", "creator", "subject", "description", "publisher", "contributor", "date", "type", "format",
         "identifier", "source", "language", "relation", "coverage", "rights"]
PLATFORM_ORDER = {"zenodo": ALPHA, "dspace": ALPHA, "pangaea": CANON, "gfz": CANON, "4tu": CANON,
                  "mendeley": ALPHA, "dryad": CANON, "dans": CANON, "seanoe": CANON, "gesis": CANON,
                  "opus": CANON, "eprints": CANON, "hal": CANON, "diva": CANON}

# Zenodo record numbers grow with time: roughly the range uploaded in each year
ZENODO_RANGES = {2014: (10000, 15000), 2015: (15000, 45000), 2016: (45000, 200000), 2017: (200000, 1100000),
                 2018: (1100000, 2500000), 2019: (2500000, 3600000), 2020: (3600000, 4400000),
                 2021: (4400000, 5800000), 2022: (5800000, 7500000), 2023: (7500000, 10400000),
                 2024: (10400000, 14500000), 2025: (14500000, 15600000)}
DOI_FORMS = [("https://doi.org/{}", 44), ("doi:{}", 15), ("{}", 14), ("http://dx.doi.org/{}", 10),
             ("http://doi.org/{}", 5), ("https://dx.doi.org/{}", 5), ("DOI: {}", 4), ("info:doi/{}", 3)]
HDL_FORMS = [("http://hdl.handle.net/{}", 45), ("https://hdl.handle.net/{}", 35), ("hdl:{}", 20)]

LIC = {
    "cc-by": ["http://creativecommons.org/licenses/by/4.0/", "https://creativecommons.org/licenses/by/4.0/",
              "https://creativecommons.org/licenses/by/4.0/legalcode", "CC BY 4.0",
              "Creative Commons Attribution 4.0 International", "cc-by-4.0", "CC-BY",
              "https://creativecommons.org/licenses/by/4.0/deed.en", "Attribution 4.0 International (CC BY 4.0)",
              "http://creativecommons.org/licenses/by/3.0/"],
    "cc-by-sa": ["https://creativecommons.org/licenses/by-sa/4.0/legalcode", "CC BY-SA 4.0",
                 "http://creativecommons.org/licenses/by-sa/3.0/", "https://creativecommons.org/licenses/by-sa/4.0/"],
    "cc-by-nc": ["https://creativecommons.org/licenses/by-nc/4.0/", "CC BY-NC 4.0",
                 "Creative Commons Attribution-NonCommercial 4.0 International"],
    "cc-by-nc-nd": ["http://creativecommons.org/licenses/by-nc-nd/4.0/", "https://creativecommons.org/licenses/by-nc-nd/3.0/de/",
                    "CC BY-NC-ND 4.0", "Attribution-NonCommercial-NoDerivatives 4.0 International"],
    "cc0": ["https://creativecommons.org/publicdomain/zero/1.0/", "CC0 1.0",
            "http://creativecommons.org/publicdomain/zero/1.0/legalcode", "Creative Commons Zero v1.0 Universal",
            "Public Domain Dedication (CC0 1.0)"],
    "odbl": ["https://opendatacommons.org/licenses/odbl/1-0/", "Open Data Commons Open Database License v1.0"],
    "inc": ["http://rightsstatements.org/vocab/InC/1.0/", "In Copyright"],
    "mit": ["MIT", "MIT License", "https://opensource.org/licenses/MIT"],
    "apache": ["Apache License 2.0", "https://www.apache.org/licenses/LICENSE-2.0", "Apache-2.0"],
    "gpl3": ["GPL-3.0-or-later", "GNU General Public License v3.0 or later", "https://www.gnu.org/licenses/gpl-3.0.html"],
    "bsd3": ["BSD-3-Clause", "BSD 3-Clause \"New\" or \"Revised\" License"],
    "eupl": ["EUPL-1.2", "European Union Public Licence 1.2"],
}
CLOSED_RIGHTS = ["All rights reserved", "© The Author(s). All rights reserved.", "Copyright (c) the authors",
                 "http://rightsstatements.org/vocab/InC/1.0/"]
ACCESS = {"open": "info:eu-repo/semantics/openAccess", "embargoed": "info:eu-repo/semantics/embargoedAccess",
          "restricted": "info:eu-repo/semantics/restrictedAccess", "closed": "info:eu-repo/semantics/closedAccess"}
ACCESS_TEXT = {"open": ["Open Access", "open access"], "restricted": ["Restricted access", "Access on request"],
               "embargoed": ["Embargoed access"], "closed": ["Closed access"]}

TYPES = {
    "dataset": [(["Dataset"], 35), (["info:eu-repo/semantics/other", "Dataset"], 20), (["dataset"], 15),
                (["Dataset", "info:eu-repo/semantics/other"], 8), (["http://purl.org/dc/dcmitype/Dataset"], 6),
                (["Data set"], 4), (["Dataset", "Text"], 3)],
    "article": [(["info:eu-repo/semantics/article"], 40), (["Article"], 15), (["Journal article"], 10),
                (["Text", "Article"], 8), (["article"], 7), (["info:eu-repo/semantics/article", "Peer reviewed"], 5)],
    "thesis": [(["info:eu-repo/semantics/doctoralThesis"], 45), (["Thesis"], 15),
               (["info:eu-repo/semantics/masterThesis"], 12), (["Text", "Thesis"], 8), (["Dissertation"], 8)],
    "software": [(["Software"], 60), (["info:eu-repo/semantics/other", "software"], 25), (["software"], 10),
                 (["http://purl.org/dc/dcmitype/Software"], 5)],
    "conference": [(["info:eu-repo/semantics/conferenceObject"], 45), (["Conference paper"], 20),
                   (["Text", "conferenceObject"], 10), (["Poster"], 10), (["Conference abstract"], 10)],
    "report": [(["info:eu-repo/semantics/report"], 40), (["Report"], 25), (["info:eu-repo/semantics/workingPaper"], 15),
               (["Technical report"], 10), (["Text"], 10)],
    "image": [(["Image"], 35), (["StillImage"], 20), (["info:eu-repo/semantics/other", "image-photo"], 15),
              (["Image", "Photograph"], 10), (["http://purl.org/dc/dcmitype/StillImage"], 10), (["image"], 10)],
}
VERSION_TYPES = ["info:eu-repo/semantics/publishedVersion", "info:eu-repo/semantics/acceptedVersion",
                 "info:eu-repo/semantics/submittedVersion"]
CONF_NAMES = {"EGU": "EGU General Assembly {Y}", "LNCS": "Lecture Notes in Computer Science"}
PLANGS = [("Python", 50), ("R", 20), ("Julia", 8), ("C++", 8), ("Rust", 5), ("Fortran", 4), ("MATLAB", 5)]
FEATURES = ["parallel processing", "NetCDF output", "support for Python 3.12", "cloud-optimised GeoTIFF input",
            "GPU acceleration", "a plugin interface", "improved documentation", "a Docker image"]
COMMUNITIES = ["eu", "openaire", "biodiversity", "dh-europe", "climate-services", "covid-19"]
DATE_STYLES = [("y", 22), ("ym", 9), ("ymd", 52), ("dmy", 8), ("iso", 5), ("dmy_dot", 4)]
BATCH_DATES = [(2019, 11, 5), (2021, 2, 18), (2023, 9, 4)]   # bulk re-indexing days


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
