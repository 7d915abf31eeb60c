"""Validate the real-text annotation parts (and check addresses against the reserved list).

    python data/annotations/real/validate.py                 # every parts/*.jsonl
    python data/annotations/real/validate.py parts/a.jsonl   # one file
    python data/annotations/real/validate.py --url URL ...   # is an address reserved or already used?

Prints one line per problem (file:line: message) and a summary; exits 1 when any record is invalid.
The rules are those of ../shared/ANNOTATION.md; ids come from lexicon/*.yaml.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
RESERVED = REPO.parent / "shared" / "eval" / "reserved-urls.sha256"
STAGES = {"research", "pilot", "procurement", "adoption", "policy", "setback", "none"}
LANGS = {"nl", "en", "other"}
REQUIRED = ("id", "url", "site", "published", "lang", "text", "tech_required", "tech_acceptable",
            "domains_required", "stage", "emerging_terms", "municipal", "annotator")
MAX_TEXT = 1600


def reserved_hashes() -> set[str]:
    if not RESERVED.exists():
        return set()
    lines = RESERVED.read_text().splitlines()
    return {ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")}


def variants(url: str) -> set[str]:
    """The address and its trivial variants (scheme, www., trailing slash, query, fragment): a page
    reserved under one of them is reserved under all."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    bare = host_of(parts.netloc)
    hosts = {parts.netloc, parts.netloc.removeprefix("www."), "www." + parts.netloc.removeprefix("www."),
             bare, "www." + bare}
    paths = {parts.path, parts.path.rstrip("/"), parts.path.rstrip("/") + "/"}
    queries = {parts.query, ""}
    out = {url}
    for scheme in ("http", "https"):
        for host in hosts:
            for path in paths:
                for query in queries:
                    out.add(urlunsplit((scheme, host, path, query, "")))
    return out


def host_of(netloc: str) -> str:
    """The host in lower case, without `www.` and without a default port (`WWW.X.nl:443` -> `x.nl`)."""
    host = netloc.lower().removeprefix("www.")
    return host.removesuffix(":443").removesuffix(":80")


def page_key(url: str) -> str:
    """One key for an address and its spellings that name the same page (scheme, www., trailing slash,
    fragment); unlike `variants`, the query stays (`?id=1` and `?id=2` are two pages).

    >>> page_key("https://www.x.nl/a/?q=1#top") == page_key("http://x.nl/a?q=1")
    True
    """
    from urllib.parse import urlsplit

    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    return f"{host_of(parts.netloc)}{path}" + (f"?{parts.query}" if parts.query else "")


def is_reserved(url: str, reserved: set[str]) -> bool:
    return any(hashlib.sha256(v.encode("utf-8")).hexdigest() in reserved for v in variants(url))


def catalogue_ids() -> tuple[set[str], set[str]]:
    techs = yaml.safe_load((REPO / "lexicon" / "technologies.yaml").read_text())["technologies"]
    domains = yaml.safe_load((REPO / "lexicon" / "domains.yaml").read_text())["domains"]
    return {t["id"] for t in techs}, set(domains)


def check_record(rec: dict, techs: set[str], domains: set[str], reserved: set[str]) -> list[str]:
    """Every problem with one record, as short messages."""
    problems = [f"missing field {k!r}" for k in REQUIRED if k not in rec]
    if problems:
        return problems
    if not str(rec["url"]).startswith(("http://", "https://")):
        problems.append("url is not http(s)")
    if is_reserved(rec["url"], reserved):
        problems.append("url is RESERVED for evaluation: remove this record")
    if rec["lang"] not in LANGS:
        problems.append(f"lang {rec['lang']!r} not in {sorted(LANGS)}")
    text = rec["text"]
    if not isinstance(text, str) or len(text) < 40:
        problems.append("text shorter than 40 characters")
    elif len(text) > MAX_TEXT:
        problems.append(f"text has {len(text)} characters (max {MAX_TEXT})")
    for key in ("tech_required", "tech_acceptable"):
        bad = [t for t in rec[key] if t not in techs]
        if bad:
            problems.append(f"{key}: unknown technology ids {bad}")
    overlap = set(rec["tech_required"]) & set(rec["tech_acceptable"])
    if overlap:
        problems.append(f"ids both required and acceptable: {sorted(overlap)}")
    bad = [d for d in rec["domains_required"] if d not in domains]
    if bad:
        problems.append(f"unknown domains {bad}")
    if rec["stage"] not in STAGES:
        problems.append(f"stage {rec['stage']!r} not in {sorted(STAGES)}")
    if rec["stage"] != "none" and not rec["tech_required"] and not rec["tech_acceptable"]:
        problems.append("a stage other than 'none' needs a technology")
    for tech, stage in (rec.get("mention_stages") or {}).items():
        if tech not in rec["tech_required"]:
            problems.append(f"mention_stages names {tech!r}, which is not in tech_required")
        if stage not in STAGES:
            problems.append(f"mention_stages[{tech!r}] = {stage!r} is not a stage")
    if not isinstance(rec["municipal"], bool):
        problems.append("municipal must be true or false")
    if any(t != t.lower() for t in rec["emerging_terms"]):
        problems.append("emerging_terms must be lower case")
    pub = rec["published"]
    if pub is not None and not (isinstance(pub, str) and len(pub) >= 4 and pub[:4].isdigit()):
        problems.append("published must be null or an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return problems


def load(paths: list[Path]) -> list[tuple[Path, int, dict | None, str]]:
    rows = []
    for path in paths:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                rows.append((path, n, json.loads(line), ""))
            except json.JSONDecodeError as exc:
                rows.append((path, n, None, f"not JSON: {exc.msg}"))
    return rows


def main(argv: list[str]) -> int:
    reserved = reserved_hashes()
    parts = sorted((HERE / "parts").glob("*.jsonl"))
    if argv[:1] == ["--url"]:
        used = {page_key(r["url"]): p.name for p, _, r, _ in load(parts) if r and isinstance(r.get("url"), str)}
        for url in argv[1:]:
            key = page_key(url)
            state = "RESERVED" if is_reserved(url, reserved) else (f"used in {used[key]}" if key in used else "ok")
            print(f"{state}\t{url}")
        return 0
    paths = [Path(a) for a in argv] if argv else parts
    techs, domains = catalogue_ids()
    seen: dict[str, str] = {}
    bad = 0
    rows = load(paths)
    for path, n, rec, err in rows:
        problems = [err] if err else check_record(rec, techs, domains, reserved)
        key = page_key(rec["url"]) if rec and isinstance(rec.get("url"), str) else None
        if key in seen:
            problems.append(f"url already annotated at {seen[key]} (the same page, perhaps another spelling)")
        if key is not None:
            seen.setdefault(key, f"{path.name}:{n}")
        for p in problems:
            print(f"{path.name}:{n}: {p}")
        bad += bool(problems)
    print(f"{len(rows)} records, {bad} with problems, {len(seen)} distinct urls")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
