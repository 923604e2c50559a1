"""Chinese quote gold on real news (tests/quotes/gold_zh): the stored annotations and the quality gate.

The gate pins the **report** part (20 articles the rules were never tuned on) at the level measured
when it was last set (issue 25, third round, December 2026): end-to-end direct F1 0.833, all kinds
0.724, speaker accuracy 0.923 (scorer: ../shared/eval/score_quotes.py, overlap matching; the second
round had 0.833 / 0.696 / 0.919, the first 0.816 / 0.675 / 0.917). The floors sit a little below,
so that a real loss fails and noise does not. The issue asks for 0.85 / 0.70 / 0.85: the direct
target is not reached on this part. The fourth round (speakers of quotations, tuned on a blind
part of direct quotations, 0241-0299) left the report part where it was, so the floors stay.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from zh_gold import ANNOTATIONS, DIRECT, EXTRA, load, split_of  # noqa: E402  (found through sys.path)

KINDS = {"direct", "mixed", "indirect"}


def rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def test_split_is_fixed_by_file_name_hash() -> None:
    annotated = rows(ANNOTATIONS)
    names = [r["file"] for r in annotated]
    assert names == [f"{i:04d}.txt" for i in range(1, 80, 2)]  # the first 40 files, none picked by hand
    assert Counter(r["split"] for r in annotated) == {"tuning": 20, "report": 20}
    assert all(split_of(r["file"], names) == r["split"] for r in annotated)
    assert all(r["split"] == "extra" and r["file"] not in names for r in rows(EXTRA))


def test_annotations_are_offsets_only() -> None:
    direct = rows(DIRECT)
    assert [r["file"] for r in direct] == [f"{i:04d}.txt" for i in range(241, 300, 2)]  # every file, none picked
    assert all(r["split"] == "direct" and all(q["kind"] == "direct" for q in r["quotes"]) for r in direct)
    for row in rows(ANNOTATIONS) + rows(EXTRA) + direct:
        assert set(row) == {"file", "sha256", "split", "quotes"} and len(row["sha256"]) == 64
        for q in row["quotes"]:
            assert q["kind"] in KINDS
            spans = [q["quote"]] + [q[k] for k in ("speaker", "cue") if q[k] is not None]
            assert all(0 <= s < e for s, e in spans)
            assert (q["speaker"] is None) == (q["speaker_text"] is None)
            assert "text" not in q  # no article text is stored


def test_gold_rebuilds_against_the_shared_texts(shared) -> None:
    records = load(shared / "articles" / "zh")
    assert len(records) == 40 and sum(len(r["quotes"]) for r in records) >= 200
    for record in records:
        text = record["text"]
        for q in record["quotes"]:
            quote = text[q["quote"][0]:q["quote"][1]]
            assert quote.strip() and "\n\n" not in quote
            if q["kind"] == "direct":
                assert quote[0] in "“「\"" , quote
            if q["speaker"] is not None:
                assert text[q["speaker"][0]:q["speaker"][1]].strip()


@pytest.mark.slow
def test_report_part_quality_gate(shared, full_analyzer) -> None:
    sys.path.insert(0, str(shared / "eval"))
    import score_quotes

    gold = {r["id"]: r for r in load(shared / "articles" / "zh", "report")}
    system = {}
    for doc_id, record in gold.items():
        article = full_analyzer.analyze(record["text"], id=doc_id, lang="zh")
        system[doc_id] = {"id": doc_id, "quotes": [
            {"quote": [q.start, q.end], "kind": q.kind,
             "speaker": [q.speaker.start, q.speaker.end] if q.speaker else None,
             "speaker_text": (q.speaker.name or q.speaker.text) if q.speaker else None,
             "cue": [q.cue.start, q.cue.end] if q.cue else None} for q in article.quotes]}
    direct = score_quotes.score(gold, system, {"direct"})["overlap"]
    every = score_quotes.score(gold, system)["overlap"]
    assert direct["e2e_f1"] >= 0.80, direct
    assert every["e2e_f1"] >= 0.70, every
    assert every["speaker_acc"] >= 0.90, every
