"""Build ``models/pages/corpus/goose3/train/``: goose3's English test pages with a title line, for the
title ranker only (``train.py --title-corpus models/pages/corpus/goose3``; git-ignored, never committed).

    python models/pages/build_goose.py --repo /work/.mirror/goose3+goose3/repo [--out models/pages/corpus/goose3]

Source: ``goose3/goose3`` at commit :data:`COMMIT` (Apache-2.0, the repository's ``LICENSE.txt``; the
saved pages are their publishers'): ``tests/data/**/<name>.html`` with ``<name>.json``, whose
``expected.title`` is goose3's expected title (its ``<title>``-based extraction, often with the site
name: "... - CNN.com"). Most fixtures expect no title; for those the page's own ``og:title`` /
``twitter:title`` or ``<title>`` is read instead (``title_from`` says which). The title line is the
rendered line (``render_text`` of ``../shared/eval/score_pages.py``) equal, after the scorer's folding,
to that title or to it without a site name cut off at a separator (" - ", " | ", " :: ", " — ");
pages without such a line are left out, as are pages that are not English (``meta_lang`` or the stop
words of the rendered text), the synthetic fixtures (example.com, exemple.com, foo.bar, go.com) and
copies of the same page, and pages whose publisher has pages in the dev sets (``../shared/data/pages/dev``, the trafilatura
corpus's ``dev``), so that nothing learned from them is measured there. No body gold: ``partial_body``.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
from pathlib import Path
from urllib.parse import urlparse

from build_corpus import _scorer, _utf8_page, write_pages

COMMIT = "c5a8902eed0c4592a1ff5ec51a0277cf73a3aca7"
ROOT = Path(__file__).resolve().parents[2]
_SYNTHETIC = ("example.com", "exemple.com", "foo.bar", "go.com", "somenews.com")
_SEPARATORS = re.compile(r"\s+(?:-|\||::|—|–|«|»)\s+")
_META = re.compile(r"""<meta[^>]+(?:property|name)\s*=\s*["'](?:og:title|twitter:title)["'][^>]*>""", re.I)
_CONTENT = re.compile(r"""content\s*=\s*(["'])(.*?)\1""", re.I | re.S)
_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_EN_STOP = set("the of and to in is that for on with was as by it at from".split())


def _git(repo: Path, *args: str) -> bytes:
    return subprocess.run(["git", f"--git-dir={repo}", *args], check=True, capture_output=True).stdout


def site_of(host: str) -> str:
    """The publisher's registered domain (``newyork.cbslocal.com`` -> ``cbslocal.com``, ``bbc.co.uk``)."""
    parts = host.lower().removeprefix("www.").split(".")
    keep = 3 if len(parts) >= 3 and parts[-2] in ("co", "com", "org", "net", "ac", "gov") else 2
    return ".".join(parts[-keep:])


def _unescape(text: str) -> str:
    import html
    return " ".join(html.unescape(text).split())


def _titles(expected: str | None, page: str) -> list[tuple[str, str]]:
    """(title, where from): goose3's expected title, else og/twitter:title, else <title>."""
    out = []
    if expected:
        out.append((expected, "goose3 expected"))
    else:
        for tag in _META.findall(page):
            found = _CONTENT.search(tag)
            if found and found.group(2).strip():
                out.append((_unescape(found.group(2)), "og:title"))
        tag = _TITLE_TAG.search(page)
        if tag and tag.group(1).strip():
            out.append((_unescape(tag.group(1)), "<title>"))
    return out


def _variants(title: str) -> list[str]:
    """The title, then its parts around separators, longest first (a site name cut off)."""
    parts = _SEPARATORS.split(title)
    out = [title]
    for n in range(len(parts) - 1, 0, -1):
        for i in range(len(parts) - n + 1):
            out.append(" - ".join(parts[i:i + n]) if n > 1 else parts[i])
    return [v for v in out if len(v.split()) >= 2]


def build(repo: Path, out: Path) -> dict[str, int]:
    scorer = _scorer()
    held = set()
    for index in (ROOT.parent / "shared" / "data" / "pages" / "dev" / "index.jsonl",
                  Path(__file__).resolve().parent / "corpus" / "trafilatura" / "dev" / "index.jsonl"):
        if index.is_file():
            held |= {site_of(json.loads(line)["site"]) for line in index.read_text("utf-8").splitlines() if line.strip()}
    if "theguardian.com" in held:  # one publisher, two hosts
        held.add("guardian.co.uk")
    names = _git(repo, "ls-tree", "-r", "--name-only", COMMIT, "tests/data").decode().split("\n")
    records, seen = [], set()
    counts = {"pages": 0, "not_english": 0, "synthetic": 0, "dev_site": 0, "no_title_line": 0, "duplicate": 0}
    for name in sorted(n for n in names if n.endswith(".json") and n[:-5] + ".html" in names):
        spec = json.loads(_git(repo, "show", f"{COMMIT}:{name}"))
        expected = spec.get("expected") or {}
        url = spec.get("url") or expected.get("final_url") or ""
        host = expected.get("domain") or urlparse(url).netloc
        counts["pages"] += 1
        if not host or any(host.endswith(s) for s in _SYNTHETIC):
            counts["synthetic"] += 1
            continue
        site = site_of(host)
        if site in held:
            counts["dev_site"] += 1
            continue
        page = _utf8_page(_git(repo, "show", f"{COMMIT}:{name[:-5]}.html"))
        text = scorer.render_text(page)
        words = re.findall(r"[a-z]+", text.lower())
        lang = expected.get("meta_lang")
        if (lang and lang != "en") or not words or sum(w in _EN_STOP for w in words) / len(words) < 0.08:
            counts["not_english"] += 1
            continue
        lines = {scorer.fold(line): line for line in text.split("\n\n")}
        found = None
        for title, where in _titles(expected.get("title"), page):
            found = next(((lines[scorer.fold(v)], where) for v in _variants(title) if scorer.fold(v) in lines), None)
            if found:
                break
        if not found:
            counts["no_title_line"] += 1
            continue
        if (site, scorer.fold(found[0])) in seen:  # the same page saved twice (gizmodo1-3, businessWeek1/4)
            counts["duplicate"] += 1
            continue
        seen.add((site, scorer.fold(found[0])))
        records.append({"lang": "en", "url": url, "title": found[0].strip(), "title_from": found[1], "body": "",
                        "partial_body": True, "site": site, "source": f"goose3/goose3:{name[:-5]}.html", "html": page})
    write_pages(out / "train", records)
    counts["kept"] = len(records)
    counts["kept_sites"] = len({r["site"] for r in records})
    counts["goose3_expected"] = sum(r["title_from"] == "goose3 expected" for r in records)
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repo", type=Path, required=True, help="git directory of a goose3/goose3 snapshot")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "corpus" / "goose3")
    a = ap.parse_args()
    print(build(a.repo, a.out))


if __name__ == "__main__":
    main()
