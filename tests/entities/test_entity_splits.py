"""The fixed tuning/report split of the entity dev sets (benchmarks/entity_splits.py)."""

import importlib.util
from pathlib import Path

import pytest

PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "entity_splits.py"


@pytest.fixture(scope="module")
def splits():
    spec = importlib.util.spec_from_file_location("entity_splits", PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_hash_split_is_fixed_and_keeps_articles_together(splits) -> None:
    rows = [{"id": f"d{d}-s{s}", "doc_id": f"d{d}", "text": "x", "entities": []} for d in range(40) for s in range(3)]
    parts = splits.split_rows("ner-en", rows)
    assert sorted(r["id"] for p in parts.values() for r in p) == sorted(r["id"] for r in rows)
    for part, members in parts.items():
        assert all(splits.part_of(r["doc_id"]) == part for r in members)
    reordered = splits.split_rows("ner-en", rows[::-1])
    assert all(sorted(r["id"] for r in parts[p]) == sorted(r["id"] for r in reordered[p]) for p in parts)
    assert 0 < len(parts["report"]) < len(rows)


def test_entities_split_deals_each_language_out_in_turn(splits) -> None:
    rows = [{"id": f"{lang}{i}", "lang": lang, "text": "x", "entities": []} for lang in ("en", "zh") for i in range(5)]
    parts = splits.split_rows("entities", rows)
    for lang in ("en", "zh"):
        assert [len([r for r in parts[p] if r["lang"] == lang]) for p in ("tune", "report")] == [3, 2]


def test_recased_copy_keeps_offsets(splits) -> None:
    text = "Straße talks: Xi met Biden in Köln."
    row = {"id": "a", "text": text,
           "entities": [{"start": text.index(n), "end": text.index(n) + len(n), "label": "X", "text": n}
                        for n in ("Xi", "Köln")]}
    for kind in ("title", "upper"):
        copy = splits.recased(row, kind)
        assert copy["id"] == f"a#{kind}" and len(copy["text"]) == len(row["text"])
        assert [copy["text"][e["start"]:e["end"]].lower() for e in copy["entities"]] == ["xi", "köln"]


def test_real_dev_sets_split_into_two_nonempty_parts(shared, splits, tmp_path) -> None:
    for task in ("ner-en", "ner-zh", "entities"):
        files = splits.split_files(shared, task, tmp_path)
        sizes = {name: len(path.read_text("utf-8").splitlines()) for name, path in files.items()}
        assert sizes["tune"] > 0 and sizes["report"] > 0, (task, sizes)
