"""Fixed tuning/report split of the entity dev sets, re-cased copies, and a scorer for each part.

The split (documented here, used by the quality gates in ``tests/test_quality_gates.py`` and by
the model cards):

* a record goes to the **report** part when the first 8 hex digits of ``sha1(key)`` read as an
  odd number, else to the **tuning** part;
* ``ner-en``: key = the record's ``doc_id`` (whole CoNLL-2003 articles stay together, so a
  document's repeated names cannot leak from one part to the other);
* ``ner-zh``: key = the record's ``id``;
* ``entities`` (only ~10 articles per language, where a plain hash split can put a whole language
  in one part): within each language the articles are ordered by ``sha1(id)`` and dealt out in
  turn, tuning first (tune, report, tune, ...).

Rules, thresholds and model choices are tuned on the tuning part only; gates are pinned on the
report part. ``ner-en`` also gets two re-cased copies of each part, **Title Case** (every
word capitalised, AP headline style) and **UPPER**; re-casing keeps every offset
(``newsnlp.entities.casing``), so the gold entities are unchanged. ``ner-zh`` gets a copy of each
part in traditional script (OpenCC ``s2t``, same length). The scorer's ``country_f1`` knows
simplified country names only, so it is not comparable on the traditional copies.

    python benchmarks/entity_splits.py [--shared ../shared] [--tasks ner-en ner-zh entities]
                                       [--work DIR] [--profile fast] [--stages entities] [--reuse] [--json OUT]

Annotates each dev set once with ``newsnlp annotate`` (the copies in the same run) and scores
every part with ``../shared/eval/evaluate.py --articles``. Split files are written to ``--work``
(default a temporary folder; never commit them: the texts belong to their publishers).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsnlp.entities.casing import title_case, upper_case

DEV_FILES = {"ner-en": "ner/en/dev.jsonl", "ner-zh": "ner/zh/dev.jsonl", "entities": "entities/dev.jsonl"}
PARTS = ("tune", "report")
RECASINGS = {"title": title_case, "upper": upper_case}
SUMMARY_KEYS = ("f1", "precision", "recall", "person_f1", "org_f1", "loc_f1", "country_f1", "entity_f1",
                "grouping_f1", "canonical_acc", "country_iso_acc")


def part_of(key: str) -> str:
    """``"report"`` or ``"tune"``: a fixed hash split (odd first 32 bits of sha1 → report)."""
    return "report" if int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:8], 16) % 2 else "tune"


def split_key(task: str, record: dict) -> str:
    """What a record is split by: its article for ner-en, its own id otherwise."""
    return record.get("doc_id") or record["id"] if task == "ner-en" else record["id"]


def split_rows(task: str, rows: list[dict]) -> dict[str, list[dict]]:
    """The tuning and report parts of a dev set (see the module's docstring)."""
    if task != "entities":
        return {p: [r for r in rows if part_of(split_key(task, r)) == p] for p in PARTS}
    parts: dict[str, list[dict]] = {p: [] for p in PARTS}
    for lang in sorted({r.get("lang", "") for r in rows}):
        ranked = sorted((r for r in rows if r.get("lang", "") == lang),
                        key=lambda r: hashlib.sha1(r["id"].encode("utf-8")).hexdigest())
        for rank, row in enumerate(ranked):
            parts[PARTS[rank % 2]].append(row)
    return parts


def recased(record: dict, kind: str) -> dict:
    """A copy of a gold record in another case, same offsets, id suffixed ``#kind``."""
    fn = RECASINGS[kind]
    text = fn(record["text"])
    assert len(text) == len(record["text"])
    ents = [dict(e, text=text[e["start"]:e["end"]]) for e in record.get("entities", [])]
    return dict(record, id=f"{record['id']}#{kind}", text=text, entities=ents)


def traditional(rows: list[dict]) -> list[dict]:
    """Copies in traditional script (OpenCC ``s2t``), id suffixed ``#traditional``; a record whose
    conversion changes its length is left out (none in the ner-zh dev set)."""
    import opencc

    convert = opencc.OpenCC("s2t").convert
    out = []
    for row in rows:
        text = convert(row["text"])
        if len(text) == len(row["text"]):
            ents = [dict(e, text=text[e["start"]:e["end"]]) for e in row.get("entities", [])]
            out.append(dict(row, id=f"{row['id']}#traditional", text=text, entities=ents))
    return out


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_jsonl(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def split_files(shared: Path, task: str, work: Path) -> dict[str, Path]:
    """Write the parts of one dev set (and ner-en's re-cased report copies) into ``work``.

    Returns:
        Part name (``tune``, ``report``; for ner-en also ``tune-title``, ``tune-upper``,
        ``report-title``, ``report-upper``; for ner-zh ``tune-traditional``,
        ``report-traditional``) → gold file.
    """
    rows = read_jsonl(shared / "eval" / DEV_FILES[task])
    parts = split_rows(task, rows)
    if task == "ner-en":
        for part in PARTS:
            for kind in RECASINGS:
                parts[f"{part}-{kind}"] = [recased(r, kind) for r in parts[part]]
    if task == "ner-zh":
        for part in PARTS:
            parts[f"{part}-traditional"] = traditional(parts[part])
    work.mkdir(parents=True, exist_ok=True)
    files = {}
    for name, part_rows in parts.items():
        files[name] = work / f"{task}.{name}.jsonl"
        write_jsonl(files[name], part_rows)
    return files


def annotate(files: dict[str, Path], out: Path, profile: str | None, stages: str | None = None) -> None:
    """One ``newsnlp annotate`` run over every part's records (ids are unique across parts)."""
    rows = [{k: r[k] for k in ("id", "text", "lang") if k in r} for f in files.values() for r in read_jsonl(f)]
    inp = out.with_suffix(".input.jsonl")
    write_jsonl(inp, rows)
    cmd = [sys.executable, "-m", "newsnlp", "annotate", str(inp), "-o", str(out)]
    if profile:
        cmd += ["--profile", profile]
    if stages:
        cmd += ["--stages", stages]
    subprocess.run(cmd, check=True)


def score(shared: Path, task: str, gold: Path, articles: Path, lang: str | None = None,
          minimum: list[str] | None = None) -> tuple[int, dict]:
    """Score ``articles`` against one part with the shared scorer; (exit status, metrics)."""
    cmd = [sys.executable, str(shared / "eval" / "evaluate.py"), task, "--gold", str(gold),
           "--articles", str(articles)]
    if lang:
        cmd += ["--lang", lang]
    for m in minimum or []:
        cmd += ["--min", m]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    last = (proc.stdout.strip().splitlines() or [""])[-1]
    metrics: dict = {}
    for item in last.partition(": ")[2].split("  BELOW")[0].split():
        key, _, value = item.partition("=")
        try:
            metrics[key] = float(value)
        except ValueError:
            metrics[key] = value
    if not metrics:
        metrics = {"error": (proc.stdout + proc.stderr)[-2000:]}
    return proc.returncode, metrics


def summary(result: dict) -> dict:
    return {k: v for k, v in result.items() if k in SUMMARY_KEYS} or result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--tasks", nargs="+", default=list(DEV_FILES), choices=list(DEV_FILES))
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument("--profile", default=None)
    ap.add_argument("--stages", default="entities", help="stages to run (default: entities only, faster)")
    ap.add_argument("--json", type=Path, default=None, help="write all results here")
    ap.add_argument("--reuse", action="store_true", help="score the output already in --work (no annotate)")
    a = ap.parse_args()
    work = a.work or Path(tempfile.mkdtemp(prefix="newsnlp-splits-"))
    results: dict[str, dict] = {}
    for task in a.tasks:
        files = split_files(a.shared, task, work)
        out = work / f"{task}.output.jsonl"
        if not (a.reuse and out.is_file()):
            annotate(files, out, a.profile, a.stages)
        langs = ["en", "zh"] if task == "entities" else [None]
        for name, gold in files.items():
            for lang in langs:
                label = f"{task}{'/' + lang if lang else ''} {name}"
                _, res = score(a.shared, task, gold, out, lang)
                results[label] = res
                print(f"{label:<28} " + " ".join(f"{k}={v}" for k, v in summary(res).items()), flush=True)
    if a.json:
        a.json.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
