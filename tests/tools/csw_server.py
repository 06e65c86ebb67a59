#!/usr/bin/env python3
"""A small OGC CSW 2.0.2 catalogue for tests: GetRecords over KVP GET.

usage: csw_server.py --port 0 --records N --template FILE [--fail-first]

It serves N ISO 19139 records made from the first gmd:MD_Metadata of FILE
(an OAI-PMH response or a bare record): record i gets the fileIdentifier
"csw-rec-<i>", the title "<title> #<i>" and the dateStamp 2024-01-<i%28+1>.
Responses have the shape GeoNetwork and pycsw give (csw:GetRecordsResponse,
csw:SearchStatus, csw:SearchResults with numberOfRecordsMatched,
numberOfRecordsReturned, elementSet and nextRecord, 0 on the last page; the
gmd and gco namespaces declared on the root element, not on the records).
A request that is no GetRecords of outputSchema ISO 19139 with
resultType=results gets an ows:ExceptionReport. --fail-first answers the
first request 503 (the fetch policy retries). /stats (JSON) counts the
requests and lists their startPositions. Prints "serving URL" once ready.
"""
import argparse
import json
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

GMD = "http://www.isotc211.org/2005/gmd"
STATS = {"requests": 0, "starts": []}
LOCK = threading.Lock()


def exception(code, text):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows" version="1.2.0">'
            f'<ows:Exception exceptionCode="{code}"><ows:ExceptionText>{text}</ows:ExceptionText>'
            '</ows:Exception></ows:ExceptionReport>')


def make_records(template, n):
    body = re.search(r"<gmd:MD_Metadata\b.*?</gmd:MD_Metadata>", template, re.S).group(0)
    # the namespaces go on the response's root element
    body = re.sub(r'\s+xmlns:(gmd|gco)="[^"]+"', "", body, count=2)
    title = re.search(r"<gmd:title>\s*<gco:CharacterString>(.*?)</gco:CharacterString>", body, re.S).group(1)
    out = []
    for i in range(1, n + 1):
        r = re.sub(r"(<gmd:fileIdentifier>\s*<gco:CharacterString>).*?(</gco:CharacterString>)",
                   rf"\g<1>csw-rec-{i}\g<2>", body, count=1, flags=re.S)
        r = r.replace(f"<gco:CharacterString>{title}</gco:CharacterString>",
                      f"<gco:CharacterString>{title} #{i}</gco:CharacterString>", 1)
        stamp = f"<gmd:dateStamp><gco:Date>2024-01-{i % 28 + 1:02d}</gco:Date></gmd:dateStamp>"
        r = re.sub(r"<gmd:dateStamp>.*?</gmd:dateStamp>", "", r, flags=re.S)
        r = r.replace("</gmd:language>", "</gmd:language>" + stamp, 1) if "</gmd:language>" in r else r
        out.append(r)
    return out


class Handler(BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        pass

    def send(self, code, body, ctype="application/xml"):
        data = body.encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        u = urlparse(self.path)
        if u.path == "/stats":
            with LOCK:
                return self.send(200, json.dumps(STATS), "application/json")
        q = {k.lower(): v[0] for k, v in parse_qs(u.query).items()}
        with LOCK:
            STATS["requests"] += 1
            first = STATS["requests"] == 1
        if first and self.server.fail_first:
            return self.send(503, "busy", "text/plain")
        if q.get("service") != "CSW" or q.get("request") != "GetRecords" or q.get("version") != "2.0.2":
            return self.send(400, exception("OperationNotSupported", "only GetRecords of CSW 2.0.2"))
        if q.get("outputschema") != GMD or q.get("resulttype") != "results":
            return self.send(400, exception("InvalidParameterValue", "outputSchema ISO 19139, resultType=results"))
        try:
            start = int(q.get("startposition", "1"))
            size = int(q.get("maxrecords", "10"))
        except ValueError:
            return self.send(400, exception("InvalidParameterValue", "startPosition"))
        with LOCK:
            STATS["starts"].append(start)
        recs = self.server.records
        page = recs[start - 1:start - 1 + size]
        nxt = start + len(page)
        nxt = 0 if nxt > len(recs) else nxt
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<csw:GetRecordsResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" '
                f'xmlns:gmd="{GMD}" xmlns:gco="http://www.isotc211.org/2005/gco" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" version="2.0.2" '
                'xsi:schemaLocation="http://www.opengis.net/cat/csw/2.0.2 '
                'http://schemas.opengis.net/csw/2.0.2/CSW-discovery.xsd">\n'
                '  <csw:SearchStatus timestamp="2026-12-07T10:00:00Z"/>\n'
                f'  <csw:SearchResults numberOfRecordsMatched="{len(recs)}" '
                f'numberOfRecordsReturned="{len(page)}" elementSet="full" nextRecord="{nxt}">\n'
                + "\n".join(page) + "\n  </csw:SearchResults>\n</csw:GetRecordsResponse>\n")
        self.send(200, body)


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--records", type=int, default=10)
    ap.add_argument("--template", required=True)
    ap.add_argument("--fail-first", action="store_true")
    o = ap.parse_args(argv)
    with open(o.template, encoding="utf-8") as f:
        records = make_records(f.read(), o.records)
    srv = ThreadingHTTPServer(("127.0.0.1", o.port), Handler)
    srv.records = records
    srv.fail_first = o.fail_first
    print(f"serving http://127.0.0.1:{srv.server_address[1]}/csw", flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
