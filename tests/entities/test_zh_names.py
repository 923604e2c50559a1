"""Runs of Chinese person names printed without separators (lists of officials)."""

import pytest

from newsnlp.entities.chinese import default_zh_ner_path
from newsnlp.entities.zh_names import split_name_run

needs_model = pytest.mark.skipif(not (default_zh_ner_path() / "meta.json").is_file(), reason="no Chinese NER model")


def pieces(run: str) -> list[str] | None:
    cut = split_name_run(run)
    return None if cut is None else [run[s:e] for s, e in cut]


@pytest.mark.parametrize("names", [
    ["张明华", "王建国", "刘晓东", "陈丽华", "赵志强"],   # made-up three-character names
    ["孙立", "周文", "吴海峰", "郑小红"],                 # two- and three-character names mixed
    ["欧阳建明", "马丽", "林晓峰"],                       # a compound surname
])
def test_a_made_up_run_is_cut_into_its_names(names: list[str]) -> None:
    assert pieces("".join(names)) == names


@pytest.mark.parametrize("name", ["王建国", "司马相如", "内塔尼亚胡", "戈尔巴乔夫", "纳扎尔巴耶夫", "Obama", "李·明"])
def test_single_names_and_foreign_names_stay_whole(name: str) -> None:
    assert split_name_run(name) is None


@needs_model
@pytest.mark.slow
def test_the_entity_stage_gives_one_person_per_name(full_analyzer) -> None:
    text = "出席会议的有张明华王建国刘晓东陈丽华赵志强等同志。"
    people = [(m.start, m.end) for e in full_analyzer.analyze(text).entities if e.label == "PERSON" for m in e.mentions]
    expected = [(text.index(n), text.index(n) + len(n)) for n in ("张明华", "王建国", "刘晓东", "陈丽华", "赵志强")]
    assert sorted(people) == expected


@needs_model
@pytest.mark.slow
def test_traditional_runs_match_simplified(full_analyzer) -> None:
    simplified = full_analyzer.analyze("主席团成员张明华王建国刘晓东出席了大会。")
    traditional = full_analyzer.analyze("主席團成員張明華王建國劉曉東出席了大會。")
    spans = [sorted((m.start, m.end) for e in a.entities if e.label == "PERSON" for m in e.mentions)
             for a in (simplified, traditional)]
    assert spans[0] == spans[1] and len(spans[0]) == 3
