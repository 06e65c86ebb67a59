#!/usr/bin/env python3
"""linked.py: the cost of issue 16's filters, facets, sorts and op.

Builds (once, kept in --workdir) an index of --n records harvested in
oai_datacite from tests/tools/oai_server.py --generate N (the items with a
DOI: gen_corpus.py's creators with ORCIDs and RORs, funding, relations,
points), then, with fairdexd serving it, runs the query mix of
gen_corpus.py --format queries once per variant, the variants interleaved
query by query (in a shuffled order for each query) so that every variant
sees the same machine load:

  base          {"op":"search","q":Q,"limit":20}
  bbox          + "filters":{"bbox":[-10,35,30,60]}        (Europe)
  bbox-cross    + "filters":{"bbox":[170,-50,-170,0]}      (across the antimeridian)
  bbox-half     + "filters":{"bbox":[-180,-90,0,90]}       (the western hemisphere)
  during        + "filters":{"during":{"from":"2015","to":"2019-06"}}
  during-open   + "filters":{"during":{"from":"1900"}}
  version       + "collapse":"version"
  near          + "sort":"near","near":[48.2,16.4]
  facet X       + "facets":[X] for affiliation, funder, discipline, and
                  subject (an existing list facet, for reference)
  P:            Q with " P:V" added (a filter), for P orcid, ror, funder,
                award, related and discipline: V taken in turn from the
                values records of the index hold (ORCIDs, awards and
                related identifiers of --sample records read with `get`;
                the most frequent RORs, funders and disciplines of the
                facets, the costliest filters)

and `related` on --related random record ids (the records' source
configured, so that `related` looks for its re3data description).  Prints p50/p99 (us) per
variant and its p50 over base's p50, --passes times (the machine is
shared: read the spread).  Goals (issue 16): filters <= 1.5 x base,
related p50 <= 2 ms.

  python3 bench/linked.py [--n 100000] [--queries 500] [--related 1000] [--passes 3] [--sample 300]
                          [--build build] [--workdir /tmp/fairdex-bench-linked]
"""
import argparse
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from query import ROOT, connect, index_and_queries, pct, run_queries, serve, to_fairdex  # noqa: E402

VARIANTS = [
    ("base", {}),
    ("bbox", {"filters": {"bbox": [-10, 35, 30, 60]}}),
    ("bbox-cross", {"filters": {"bbox": [170, -50, -170, 0]}}),
    ("bbox-half", {"filters": {"bbox": [-180, -90, 0, 90]}}),
    ("during", {"filters": {"during": {"from": "2015", "to": "2019-06"}}}),
    ("during-open", {"filters": {"during": {"from": "1900"}}}),
    ("version", {"collapse": "version"}),
    ("near", {"sort": "near", "near": [48.2, 16.4]}),
    ("facet subject", {"facets": ["subject"]}),
    ("facet affiliation", {"facets": ["affiliation"]}),
    ("facet funder", {"facets": ["funder"]}),
    ("facet discipline", {"facets": ["discipline"]}),
]


PREFIXES = ("orcid", "ror", "funder", "award", "related", "discipline")


def call(f, c, req):
    c.sendall(json.dumps(req).encode() + b"\n")
    return json.loads(f.readline())


def prefix_values(sock, ids, sample):
    """prefix -> values records of the index hold: from the records of
    ids (at most sample of them) and, for the facets, their top values."""
    c = connect(sock)
    f = c.makefile("rb")
    vals = {p: [] for p in PREFIXES}
    for i in ids[:sample]:
        rec = call(f, c, {"op": "get", "id": i}).get("record", {})
        vals["orcid"] += [a["orcid"] for a in rec.get("creators", []) if a.get("orcid")]
        vals["award"] += [x["award"] for x in rec.get("funding", []) if x.get("award")]
        vals["related"] += [x["value"] for x in rec.get("related", []) if x.get("value")]
    facets = call(f, c, {"op": "search", "q": "", "limit": 0, "facet_limit": 20,
                         "facets": ["affiliation", "funder", "discipline"]})["facets"]
    c.close()
    vals["ror"] = [v["value"] for v in facets["affiliation"]]
    vals["funder"] = [v["value"] for v in facets["funder"]]
    vals["discipline"] = [v["value"] for v in facets["discipline"]]
    return {p: sorted(set(v)) for p, v in vals.items() if v}


def with_prefix(q, prefix, value):
    value = '"' + value.replace('"', '""') + '"'
    return f"({q}) {prefix}:{value}" if q.strip() else f"{prefix}:{value}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100000)
    ap.add_argument("--queries", type=int, default=500)
    ap.add_argument("--related", type=int, default=1000)
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--sample", type=int, default=300)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--workdir", default="/tmp/fairdex-bench-linked")
    args = ap.parse_args()

    fairdexd, state, _, queries = index_and_queries(args, "oai_datacite")
    queries = [to_fairdex(q) for q in queries]

    # the records' source configured (at a file that is not there, so that it is never harvested):
    # `related` then looks for its re3data description as it would in a daemon harvesting it
    d, sock = serve(args.workdir, fairdexd, state, "file:///nonexistent/fairdex-bench-linked.xml")
    try:
        # the ids to follow: a page of every fifth query's hits
        ids = []
        c = connect(sock)
        f = c.makefile("rb")
        for q in queries[::5]:
            c.sendall(json.dumps({"op": "search", "q": q, "limit": 20}).encode() + b"\n")
            ids += [h["id"] for h in json.loads(f.readline())["hits"]]
            if len(ids) >= args.related:
                break
        c.close()
        values = prefix_values(sock, ids, args.sample)
        counts = {}
        for name, extra in VARIANTS:
            c = connect(sock)
            f = c.makefile("rb")
            c.sendall(json.dumps(dict({"op": "search", "q": "", "limit": 0}, **extra)).encode() + b"\n")
            counts[name] = json.loads(f.readline()).get("total")
            c.close()
        print(f"index: {args.n} items generated, {len(queries)} queries, {len(ids)} ids for related, "
              f"{os.cpu_count()} cores; records matched by each variant alone: {counts}; "
              f"values per prefix: { {p: len(v) for p, v in values.items()} }")
        reqs = {name: [json.dumps(dict({"op": "search", "q": q, "limit": 20}, **extra)).encode() + b"\n"
                       for q in queries] for name, extra in VARIANTS}
        for p, v in values.items():
            reqs[p + ":"] = [json.dumps({"op": "search", "q": with_prefix(q, p, v[k % len(v)]), "limit": 20}).encode()
                             + b"\n" for k, q in enumerate(queries)]
        rel = [json.dumps({"op": "related", "id": i}).encode() + b"\n" for i in ids]
        for name in reqs:  # warm
            run_queries(sock, reqs[name])
        run_queries(sock, rel)
        rng = random.Random(16)
        for p in range(args.passes):
            lat = {name: [] for name in reqs}
            bad = {name: 0 for name in reqs}
            for k in range(len(queries)):
                # each query's variants in a shuffled order: a variant run after a costly one (a
                # facet evicting caches) would otherwise always pay for it
                names = list(reqs)
                rng.shuffle(names)
                for name in names:
                    l, b = run_queries(sock, [reqs[name][k]])
                    lat[name] += l
                    bad[name] += b
            rl, rb = run_queries(sock, rel)
            base = pct(lat["base"], .5)
            print(f"\npass {p + 1}: {'':18} {'p50 us':>9} {'p99 us':>9} {'p50/base':>9}")
            for name in reqs:
                print(f"  {name:24} {pct(lat[name], .5):9.0f} {pct(lat[name], .99):9.0f} "
                      f"{pct(lat[name], .5) / base:9.2f}" + (f"  ({bad[name]} errors)" if bad[name] else ""))
            print(f"  {'related':24} {pct(rl, .5):9.0f} {pct(rl, .99):9.0f}" + (f"  ({rb} errors)" if rb else ""))
    finally:
        d.terminate()
        d.wait()


if __name__ == "__main__":
    main()
