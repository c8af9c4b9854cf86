#!/usr/bin/env python3
"""Writes tests/data/recorded/shapes.json: the shape of responses recorded from real orgs in
other projects' test suites, for tests/integration/recorded_shapes_test.cpp to replay.

Source: SFDO-Tooling/CumulusCI VCR cassettes (cumulusci/**/cassettes/*.yaml; BSD-3-Clause,
copyright (c) 2021 Salesforce.com, Inc.). Only facts are kept: each GET request's path and
each response's status and shape -- for JSON objects the keys in their recorded order with the
shape of each value, for arrays the shape of the first element, for scalars the JSON kind
(string, number, boolean, null). No values, no code.

Usage: scripts/extract_recorded_shapes.py --cassettes <git dir of CumulusCI> [--out FILE]
"""

import argparse
import json
import re
import subprocess

import yaml

# Requests the local org can answer as a real org would (REST GETs of describe and records).
WANTED = re.compile(r"^/services/data/v[^/]+/(sobjects(/[A-Za-z0-9_]+(/describe|/[A-Za-z0-9]{15,18})?)?/?)$")


def git(repo, *args):
    return subprocess.run(["git", "--git-dir", repo, *args], check=True, capture_output=True,
                          text=True).stdout


def shape(v):
    if isinstance(v, dict):
        return [[k, shape(x)] for k, x in v.items()]
    if isinstance(v, list):
        out = {"array": shape(v[0]) if v else None}
        if v and isinstance(v[0], dict) and isinstance(v[0].get("name"), str):
            out["first"] = v[0]["name"]  # compared with the element of that name
        return out
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"
    return "string"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cassettes", required=True)
    ap.add_argument("--out", default="tests/data/recorded/shapes.json")
    args = ap.parse_args()
    repo = args.cassettes
    head = git(repo, "rev-parse", "HEAD").strip()
    out = []
    for path in sorted(git(repo, "ls-tree", "-r", "--name-only", "HEAD").split()):
        if "/cassettes/" not in path and "/shared_cassettes/" not in path:
            continue
        if not path.endswith(".yaml"):
            continue
        doc = yaml.safe_load(git(repo, "show", f"HEAD:{path}"))
        if not isinstance(doc, dict):
            continue
        interactions = doc.get("interactions") or ([doc] if "request" in doc else [])
        for it in interactions:
            req, resp = it.get("request") or {}, it.get("response") or {}
            if req.get("method") != "GET":
                continue
            url = re.sub(r"^https://[^/]+", "", req.get("uri", ""))
            if not WANTED.match(url):
                continue
            body = (resp.get("body") or {}).get("string")
            if not isinstance(body, str):
                continue
            try:
                data = json.loads(body)
            except ValueError:
                continue
            # The cassettes elide the request's version (vxx.0); the body's own urls often
            # keep it. Without one the test uses its default.
            m = re.search(r"/services/data/v(\d+\.\d)/", body)
            entry = {"cassette": path, "method": "GET", "path": url,
                     "version": m.group(1) if m else None,
                     "status": resp["status"]["code"], "shape": shape(data)}
            if isinstance(data, dict) and "childRelationships" in data:
                # Content facts of a describe: its fields' names and its named child
                # relationships (name, child object, field).
                entry["fields"] = [f["name"] for f in data["fields"]]
                entry["childRelationships"] = [
                    [c["relationshipName"], c["childSObject"], c["field"]]
                    for c in data["childRelationships"] if c["relationshipName"]]
            out.append(entry)
    with open(args.out, "w") as fh:
        json.dump({"source": "SFDO-Tooling/CumulusCI @ " + head,
                   "licence": "BSD-3-Clause, copyright (c) 2021 Salesforce.com, Inc.; facts only",
                   "recordings": out}, fh, indent=1)
        fh.write("\n")
    print(f"{len(out)} recorded responses -> {args.out}")


if __name__ == "__main__":
    main()
