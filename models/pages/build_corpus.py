"""Rebuild ``models/pages/corpus/trafilatura/`` from a snapshot of trafilatura's evaluation pages.

    python models/pages/build_corpus.py --repo /work/.mirror/adbar+trafilatura/repo [--out models/pages/corpus/trafilatura]

Source: ``adbar/trafilatura`` at commit :data:`COMMIT` (Apache-2.0 for the repository; the saved pages
are their publishers'). ``tests/evaldata.json`` gives, per URL, the saved page (``tests/cache`` or
``tests/eval``), human-annotated metadata (``title``, ``author``, ``date``) and a few text chunks that
must be in the main text (``with``) or must not (``without``). It has no complete body: the dev part
measures title, author and date; ``train.py --corpus`` can train on the lines of the train part that
the partial gold settles (``partial_labels``); the shipped model does not (see the model card).

Kept: English pages (the page's ``<html lang>`` when given, and the stop words of the chunks and
title) whose gold title is a line of the page
as ``render_text`` gives it and whose ``with`` chunks are mostly in it. Left out: every file named by a
bare 32-digit hex id (29 files of an imported set whose origin the repository does not state: they
could come from a held-back benchmark). The author is kept only when it occurs in the rendered page.
Split by site (SHA-1 of the host; about a quarter of the sites to ``dev``): never train on ``dev``.

Output per split: ``NNNN.html`` (UTF-8, charset declarations rewritten) and ``index.jsonl`` in the
format of ``../shared/data/pages`` (``file, lang, url, title, body, author?, date?, site, source``) plus
``with`` / ``without``; ``body`` is only the ``with`` chunks (``"partial_body": true``), so body F1 from
``score_pages.py`` means nothing on these pages: score title, author and date.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import re
import subprocess
import unicodedata
from pathlib import Path
from urllib.parse import urlparse

COMMIT = "e90b0ef51ab026fdb905fb6c5b3c84dd3d784fd5"
ROOT = Path(__file__).resolve().parents[2]
_HEX_NAME = re.compile(r"^[0-9a-f]{32}\.html")
_EN_STOP = set("the of and to in is that for on with was as by it at from".split())
_DE_STOP = set("der die und das ist nicht mit von den zu auf ein eine sich für im des dem".split())
_CHARSET = re.compile(rb"""(<meta[^>]*?charset\s*=\s*["']?)([\w-]+)""", re.I)


def _git(repo: Path, *args: str) -> bytes:
    return subprocess.run(["git", f"--git-dir={repo}", *args], check=True, capture_output=True).stdout


def _decode(raw: bytes) -> str:
    """The page as text: its declared charset, else UTF-8, else cp1252."""
    declared = _CHARSET.search(raw[:4000])
    for encoding in ([declared.group(2).decode("ascii", "ignore")] if declared else []) + ["utf-8", "cp1252"]:
        try:
            return raw.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return raw.decode("utf-8", "replace")


def _utf8_page(raw: bytes) -> str:
    text = _decode(raw).replace("\r\n", "\n").replace("\x00", "")
    text = re.sub(r"""(<meta[^>]*?charset\s*=\s*["']?)[\w-]+""", r"\1utf-8", text, flags=re.I)
    return re.sub(r"""(<\?xml[^>]*?)\s+encoding=["'][^"']*["']""", r"\1", text)


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\u3000", " ")
    return re.sub(r"\s+", " ", text).strip()


def _english(page: str, gold_text: str) -> bool:
    """English: the page's ``<html lang>`` (when it has one) and the stop words of the gold text agree."""
    declared = re.search(r"<html[^>]*?\blang\s*=\s*[\"']?([a-zA-Z]{2})", page[:5000], re.I)
    if declared and declared.group(1).lower() != "en":
        return False
    words = re.findall(r"[a-zäöüß]+", gold_text.lower())
    english = sum(w in _EN_STOP for w in words)
    german = sum(w in _DE_STOP for w in words)
    return english > 0.08 * max(1, len(words)) and english > 2 * german


def _site(url: str) -> str:
    url = re.sub(r"^https?://web\.archive\.org/web/\d+[a-z_]*/", "", url)
    host = urlparse(url).netloc.lower()
    return host[4:] if host.startswith("www.") else host


def _author(value) -> str:
    """The first name listed: our Article holds the byline's names as printed ("A and B"), and the scorer
    checks that the gold name is contained in ours. "Unknown" is no author."""
    names = [_norm(n) for n in (value if isinstance(value, list) else re.split(r";\s*", value or ""))]
    names = [n for n in names if n and n.lower() not in ("unknown", "admin", "anonymous")]
    return names[0] if names else ""


def _scorer():
    path = ROOT.parent / "shared" / "eval" / "score_pages.py"
    spec = importlib.util.spec_from_file_location("score_pages", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def build(repo: Path, out: Path) -> dict[str, int]:
    scorer = _scorer()
    evaldata = json.loads(_git(repo, "show", f"{COMMIT}:tests/evaldata.json"))
    tree = set(_git(repo, "ls-tree", "-r", "--name-only", COMMIT, "tests/cache", "tests/eval").decode().split("\n"))
    records: dict[str, list[dict]] = {"train": [], "dev": []}
    for url in sorted(evaldata):
        item = evaldata[url]
        name = item.get("file", "")
        if _HEX_NAME.match(name) or not item.get("title"):
            continue
        path = next((p for p in (f"tests/cache/{name}", f"tests/eval/{name}") if p in tree), None)
        if path is None:
            continue
        page = _utf8_page(_git(repo, "show", f"{COMMIT}:{path}"))
        if not _english(page, " ".join(item.get("with", []) + [item["title"]])):
            continue
        text = scorer.render_text(page)
        lines = {scorer.fold(line) for line in text.split("\n\n")}
        title = _norm(item["title"])
        withs = [_norm(c) for c in item.get("with", [])]
        flat = _norm(text)
        if scorer.fold(title) not in lines or sum(c in flat for c in withs) < max(1, len(withs) * 0.6):
            continue
        record = {"lang": "en", "url": url, "title": title, "body": "\n\n".join(withs), "partial_body": True,
                  "with": withs, "without": [_norm(c) for c in item.get("without", [])],
                  "site": _site(url), "source": f"adbar/trafilatura:{path}"}
        author = _author(item.get("author"))
        if author and author in flat:
            record["author"] = author
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(item.get("date", ""))):
            record["date"] = item["date"]
        split = "dev" if int(hashlib.sha1(record["site"].encode()).hexdigest(), 16) % 4 == 0 else "train"
        record["html"] = page
        records[split].append(record)
    counts = {}
    for split, recs in records.items():
        write_pages(out / split, recs)
        counts[split] = len(recs)
        counts[split + "_author"] = sum("author" in r for r in recs)
        counts[split + "_sites"] = len({r["site"] for r in recs})
    return counts


def write_pages(folder: Path, records: list[dict]) -> None:
    """A folder ``score_pages.py`` reads: ``0001.html``… (each record's ``html``) and ``index.jsonl``."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "index.jsonl").open("w", encoding="utf-8") as index:
        for n, record in enumerate(records, 1):
            record = {"file": f"{n:04d}.html", **record}
            (folder / record["file"]).write_text(record.pop("html"), "utf-8")
            index.write(json.dumps(record, ensure_ascii=False) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repo", type=Path, required=True, help="git directory of an adbar/trafilatura snapshot")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "corpus" / "trafilatura")
    a = ap.parse_args()
    print(build(a.repo, a.out))


if __name__ == "__main__":
    main()


def partial_labels(page: dict, scorer, body: bool = False) -> list[str | None]:
    """Roles of the lines the partial gold settles; ``None`` for the rest (left out of training).

    Title: the line equal to the gold title (the one nearest the first ``with`` line). Body (only with
    ``body``; off in the recipe: body lines amid unlabelled neighbours taught the labeller to call
    short listing lines body): lines of 8+ words holding a ``with`` chunk; boilerplate: lines holding
    a ``without`` chunk. Byline / date: a short line
    near the title holding the gold author (first name listed) / a date of the gold day. (Labelling
    the lines above the title boilerplate was tried: title accuracy fell on the tuning half.)
    """
    from newsnlp.preprocess.dates import find_date

    text, spans = page["text"], page["spans"]
    segments = [_norm(text[s:e]) for s, e in spans]
    labels: list[str | None] = [None] * len(segments)
    for i, seg in enumerate(segments):
        # A short line holding a chunk may be a list item or a heading: left unlabelled (the fully
        # labelled pages call a short line body only between body lines).
        if any(chunk in seg for chunk in page.get("with", [])):
            labels[i] = "body" if body and len(scorer.tokens(seg)) >= 8 else None
        elif body and any(chunk in seg for chunk in page.get("without", [])):
            labels[i] = "boilerplate"
    first_body = next((i for i, lab in enumerate(labels) if lab == "body"), len(labels))
    gold_title = scorer.fold(page["title"])
    hits = [i for i, seg in enumerate(segments) if scorer.fold(seg) == gold_title and labels[i] is None]
    if not hits:
        return labels
    title = min(hits, key=lambda i: abs(first_body - i))
    labels[title] = "title"
    author, date = page.get("author"), page.get("date")
    for i in range(max(0, title - 4), min(len(labels), title + 12)):
        seg = segments[i]
        if labels[i] is not None or len(seg) > 150:
            continue
        if author and author.split(", ")[0] in seg:
            labels[i] = "byline"
        elif date and len(seg) <= 80 and (found := find_date(seg, more=False)) and found[2].startswith(date):
            labels[i] = "date"
    return labels
