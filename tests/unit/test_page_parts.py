"""Dates, bylines, page features and the labeller's decoding, on inputs written for these tests."""

from __future__ import annotations

import numpy as np
import pytest

from newsnlp.preprocess.bylines import author_span
from newsnlp.preprocess.dates import date_in_text, find_date
from newsnlp.preprocess.page_features import (
    FEATURES,
    LABELS,
    context_features,
    line_features,
    window_features,
)
from newsnlp.preprocess.page_rules import page_spans
from newsnlp.preprocess.structure import label_structure


@pytest.mark.parametrize(
    "text, iso",
    [
        ("March 4, 2024", "2024-03-04"),
        ("Mar. 4th, 2024", "2024-03-04"),
        ("4 March 2024", "2024-03-04"),
        ("Published: Mon 4 Mar 2024 10:30 GMT", "2024-03-04T10:30"),
        ("Updated 9:05 PM EST, Tue March 5, 2024", "2024-03-05T21:05"),
        ("2024年3月4日 10:30", "2024-03-04T10:30"),
        ("2024年03月04日", "2024-03-04"),
        ("来源：新华网 2024-03-04 08:15:00", "2024-03-04T08:15"),
        ("2024-03-04", "2024-03-04"),
        ("2024/3/4", "2024-03-04"),
        ("Posted on September 30, 2023 at 12:00 am", "2023-09-30T00:00"),
        ("21.10.2019", "2019-10-21"),
        ("12/30/2019 05:03 AM EST", "2019-12-30T05:03"),
        ("30/12/2019", "2019-12-30"),
        ("31. October, 2023", "2023-10-31"),
        ("Original Research7 April 2020", "2020-04-07"),
    ],
)
def test_dates_in_both_languages(text: str, iso: str) -> None:
    assert date_in_text(text) == iso


@pytest.mark.parametrize("text", ["© 2024 Example News", "Copyright 2003-2024 Example", "2024年", "In 2024 the town grew.",
                                  "2023-02-30", "Call 555-2024-12"])
def test_no_date_from_a_year_or_an_impossible_day(text: str) -> None:
    assert date_in_text(text) is None


def test_numeric_dates_in_the_order_the_page_writes() -> None:
    from newsnlp.preprocess.dates import slash_day_first

    assert find_date("02/10/2020")[2] == "2020-02-10"  # month first by default
    assert find_date("02/10/2020", day_first=True)[2] == "2020-10-02"
    assert find_date("02/10/2020", day_first=None) is None  # order unknown: no guess
    assert find_date("30/12/2019", day_first=None)[2] == "2019-12-30"
    assert slash_day_first("Posted 12/04/2020\n\nComment 14/04/2020 at 3:00 pm") is True
    assert slash_day_first("12/30/2019") is False and slash_day_first("12/04/2020") is None
    # The labeller's features keep the forms it was trained with.
    assert find_date("21.10.2019", more=False) is None and find_date("31. October, 2023", more=False) is None


def test_date_span_points_at_the_date() -> None:
    line = "Posted by Ann Lee on March 4, 2024"
    start, end, iso = find_date(line)
    assert line[start:end] == "March 4, 2024" and iso == "2024-03-04"


@pytest.mark.parametrize(
    "line, name",
    [
        ("By Ann Lee", "Ann Lee"),
        ("BY ANN LEE", "ANN LEE"),
        ("Analysis by Ben Ortiz, Senior Legal Analyst", "Ben Ortiz"),
        ("By Ann Lee and Bo Chen", "Ann Lee and Bo Chen"),
        ("By Carla de la Cruz | Staff Writer", "Carla de la Cruz"),
        ("本报记者 王小明", "王小明"),
        ("记者 李华 张伟 北京报道", "李华 张伟"),
        ("（责任编辑：赵六）", "赵六"),
        ("原创 王小明 江城晚报 2024-03-04 10:30 发表于湖北", "王小明"),  # WeChat: author, then the account
        ("Dana Cole, Senior Staff Writer", "Dana Cole"),  # a name and the writer's job
        ("Dana Cole, Senior Staff Writer at large in the valley", None),
        ("原创 江城晚报 2024-03-04 10:30", None),  # only the account
        ("The council met on Monday.", None),
    ],
)
def test_author_names_in_bylines(line: str, name: str | None) -> None:
    found = author_span(line)
    assert (line[found[0]:found[1]] if found else None) == name


def test_features_have_one_row_per_paragraph() -> None:
    text = "Menu\n\nHome | World | Sport\n\nA Headline Here\n\nBy Ann Lee\n\n" + "The council met and voted on the plan. " * 6
    spans = page_spans(text)
    rows = line_features(text, spans)
    assert rows.shape == (5, len(FEATURES))
    column = FEATURES.index
    assert rows[1, column("separators")] > 0 and rows[3, column("byline")] == 1
    assert rows[4, column("long")] == 1 and rows[:4, column("before_first_long")].all()


def test_windows_and_context_line_up() -> None:
    rows = np.arange(6, dtype=np.float32).reshape(3, 2)
    windows = window_features(rows, 1)
    assert windows.tolist()[0] == [0, 0, 0, 1, 2, 3]  # nothing before the first line
    probs = np.full((4, len(LABELS)), 0.2, dtype=np.float32)
    assert context_features(probs, 1).shape[0] == 4


def _probs(rows: list[str]) -> np.ndarray:
    out = np.full((len(rows), len(LABELS)), 0.01, dtype=np.float32)
    for i, role in enumerate(rows):
        out[i, LABELS.index(role)] = 0.96
    return out


def test_decoding_gives_title_author_date_and_body() -> None:
    text = "Sport | News\n\nTeam Wins Final\n\nBy Ann Lee\n\nMarch 4, 2024\n\nLONDON - The team won.\n\nShare this"
    spans = page_spans(text)
    found = label_structure(text, spans, _probs(["boilerplate", "title", "byline", "date", "body", "boilerplate"]))
    assert text[slice(*found.title)] == "Team Wins Final"
    assert text[slice(*found.author)] == "Ann Lee"
    assert text[slice(*found.dateline)] == "LONDON"
    assert found.published == "2024-03-04"
    assert [b.role for b in found.blocks] == ["boilerplate", "title", "byline", "date", "body", "boilerplate"]


def test_decoding_keeps_one_title_and_reads_long_meta_lines_as_text() -> None:
    long_line = "By the time the vote came, " + "the members had talked for hours. " * 8
    text = f"First Headline\n\nSecond Headline\n\n{long_line}"
    probs = _probs(["title", "title", "byline"])
    probs[0, 0] = 0.9
    probs[2, LABELS.index("body")] = 0.5
    found = label_structure(text, page_spans(text), probs)
    assert text[slice(*found.title)] == "Second Headline"  # the higher title probability wins
    assert [b.role for b in found.blocks] == ["body", "title", "body"] or found.blocks[0].role == "boilerplate"
    assert found.blocks[2].role == "body" and found.author is None


def test_known_title_wins() -> None:
    text = "Teaser Line\n\nReal Title\n\nThe body text of the story."
    found = label_structure(text, page_spans(text), _probs(["title", "boilerplate", "body"]), known_title="Real Title")
    assert text[slice(*found.title)] == "Real Title"


# -- the shipped labeller on pages written for these tests ---------------------------------------------


def shipped_structure_finder():
    """``find_structure`` with the shipped labeller (the test is skipped when it is not installed)."""
    from newsnlp.preprocess.structure import default_labeller, find_structure

    if default_labeller() is None:
        pytest.skip("models/pages/model is not installed")
    return find_structure


@pytest.mark.slow
def test_shipped_labeller_finds_the_parts_of_a_scraped_page() -> None:
    find_structure = shipped_structure_finder()
    menu = ["Home", "World", "Business", "Sport", "Weather", "Sign in", "Subscribe"]
    body = [
        ("HALIFAX - The harbour authority said on Tuesday that it would build a second container terminal on the "
         "eastern shore, doubling the port's capacity by the end of the decade."),
        ("The plan, which still needs approval from the province, would cost about $900 million and create some "
         "1,200 construction jobs, the authority's chief executive, Dana Price, told reporters."),
        ("Shipping lines have complained for years that ships wait too long to unload at the existing terminal, "
         "which was built in the 1970s and has been extended twice since then."),
        ("Residents of the eastern shore said they had not been consulted and worried about traffic on the "
         "narrow roads that lead to the site, which is now mostly woodland."),
    ]
    tail = ["Share this article", "Facebook Twitter Email", "Related Stories", "Ferry fares to rise in spring",
            "New bridge opens to traffic", "© 2024 Harbour News Ltd. All rights reserved."]
    lines = menu + ["Port to Double in Size With New Terminal", "By Sam Okoro", "Published: Tue 5 Mar 2024 10:30 GMT"] + body + tail
    text = "\n\n".join(lines)
    found = find_structure(text)
    assert text[slice(*found.title)] == "Port to Double in Size With New Terminal"
    assert text[slice(*found.author)] == "Sam Okoro"
    assert found.published == "2024-03-05T10:30"
    assert text[slice(*found.dateline)] == "HALIFAX"
    got_body = [text[b.start:b.end] for b in found.blocks if b.role == "body"]
    assert got_body == body


@pytest.mark.slow
def test_shipped_labeller_keeps_a_clean_chinese_article_whole() -> None:
    find_structure = shipped_structure_finder()
    body = [
        "新华社北京3月4日电 记者从交通运输部获悉，今年一季度全国港口货物吞吐量同比增长百分之五，其中集装箱吞吐量增长较快。",
        "交通运输部有关负责人表示，下一步将继续推进港口基础设施建设，提升港口服务水平，保障产业链供应链稳定。",
        "业内人士认为，随着外贸形势逐步好转，港口行业有望保持平稳增长。",
    ]
    text = "\n\n".join(["一季度全国港口货物吞吐量同比增长", "2024年3月4日 10:30"] + body)
    found = find_structure(text)
    assert text[slice(*found.title)] == "一季度全国港口货物吞吐量同比增长"
    assert found.published == "2024-03-04T10:30"
    assert [text[b.start:b.end] for b in found.blocks if b.role == "body"] == body
    assert text[slice(*found.dateline)] == "新华社北京3月4日电"


@pytest.mark.parametrize(
    "line, kind",
    [
        ("4 min read", "line"), ("Most Popular", "line"), ("Email Dana Cole at dcole@example.com", "line"),
        ("Get the morning's headlines delivered to your inbox.", "line"), ("阅读量：5230", "line"),
        ("【字体：大 中 小】", "line"), ("相关稿件", "trailer"), ("预览时标签不可点", "trailer"),
    ],
)
def test_maintained_patterns_know_common_page_furniture(line: str, kind: str) -> None:
    from newsnlp.preprocess.page_rules import _matches

    assert _matches(kind, line)
    assert not _matches(kind, "The council met on Monday and approved the plan, the mayor said.")


@pytest.mark.slow
def test_shipped_labeller_reads_a_wechat_post() -> None:
    find_structure = shipped_structure_finder()
    body = [
        "3月4日，江城市商务局宣布，将于本周末发放新一轮消费券，首批覆盖餐饮、零售和文旅三个领域，总额达两亿元。",
        "据介绍，此次消费券通过多个平台同步发放，市民可在指定时间段内领取。市商务局相关负责人表示，消费券将重点支持中小商户。",
        "业内人士认为，消费券对拉动短期消费有明显作用，但长期效果仍需观察。",
    ]
    head = ["江城发布新一轮消费券 首批覆盖餐饮与零售", "原创 王小明 江城晚报 2024-03-04 10:30 发表于湖北"]
    # WeChat's own furniture under every post
    tail = ["预览时标签不可点", "微信扫一扫关注该公众号", "阅读原文", "喜欢此内容的人还喜欢", "关注我们，获取更多资讯", "在看", "写留言"]
    text = "\n\n".join(head + body + tail)
    found = find_structure(text)
    assert text[slice(*found.title)] == head[0]
    assert text[slice(*found.author)] == "王小明"
    assert found.published == "2024-03-04T10:30"
    assert [text[b.start:b.end] for b in found.blocks if b.role == "body"] == body


def test_a_labeller_of_other_features_is_refused(tmp_path) -> None:
    import json

    from newsnlp.errors import ModelFormatError
    from newsnlp.preprocess.structure import LineLabeller

    (tmp_path / "model.json").write_text(json.dumps({"features": ["length"], "labels": list(LABELS)}), "utf-8")
    np.savez(tmp_path / "model.npz", mean1=np.zeros(1))
    with pytest.raises(ModelFormatError, match="retrain"):
        LineLabeller.load(tmp_path)


def test_digit_class_counts_what_isdigit_counts() -> None:
    import sys

    from newsnlp.preprocess.page_features import _DIGIT

    assert [c for c in range(sys.maxunicode + 1) if bool(_DIGIT.match(chr(c))) != chr(c).isdigit()] == []


def test_title_context_counts_the_words_the_article_repeats() -> None:
    from newsnlp.preprocess.title_context import title_context

    lines = ["Home", "All news archive", "Port to Double in Size by 2030",
             "The port will double in size, the harbour authority said, with a second terminal on the eastern shore."]
    text = "\n\n".join(lines)
    spans = page_spans(text)
    probs = _probs(["boilerplate", "boilerplate", "title", "body"])
    found = title_context(text, spans, line_features(text, spans), probs, np.array([1, 2]))
    # "news archive": neither word in the text; port, double, size but not 2030: 3 of 4
    assert found[:, 0].tolist() == [0.0, pytest.approx(3 / 4)]


def test_a_title_ranker_with_or_without_the_page_context_is_read(tmp_path) -> None:
    import json

    from newsnlp.errors import ModelFormatError
    from newsnlp.preprocess.page_features import TITLE_INPUTS
    from newsnlp.preprocess.structure import RANKER_INPUTS, LineLabeller, default_labeller

    shipped = default_labeller()
    if shipped is None:
        pytest.skip("models/pages/model is not installed")
    text = "\n\n".join(["Menu", "Port to Double in Size",
                        "The port will double in size, the harbour authority said on Tuesday, with a second terminal."])
    spans = page_spans(text)
    for inputs in (TITLE_INPUTS, RANKER_INPUTS):
        folder = tmp_path / str(inputs)
        folder.mkdir()
        arrays = {k: getattr(shipped, k) for k in ("mean1", "scale1", "weights1", "bias1", "mean2", "scale2",
                                                   "weights2", "bias2")}
        np.savez(folder / "model.npz", **arrays, title_weights=np.zeros(inputs + 1, dtype=np.float32))
        (folder / "model.json").write_text(json.dumps({"features": list(FEATURES), "labels": list(LABELS),
                                                      "width": shipped.width, "context": shipped.context}), "utf-8")
        probs = LineLabeller.load(folder).predict(text, spans)
        assert probs.shape == (3, len(LABELS))
    np.savez(folder / "model.npz", **arrays, title_weights=np.zeros(RANKER_INPUTS + 2, dtype=np.float32))
    with pytest.raises(ModelFormatError, match="retrain"):
        LineLabeller.load(folder)


def _context(lines: list[str], roles: list[str], names: tuple[str, ...]) -> np.ndarray:
    """The title context ``names`` of the first two lines of a made-up page with these roles."""
    from newsnlp.preprocess.title_context import title_context

    text = "\n\n".join(lines)
    spans = page_spans(text)
    return title_context(text, spans, line_features(text, spans), _probs(roles), np.array([0, 1]), names)


def test_matched_words_counts_article_words_not_page_furniture() -> None:
    lines = ["E-mail this to a friend", "Port to Double in Size by 2030",
             "The port will double in size, the harbour authority said, with a second terminal; e-mail your friend."]
    found = _context(lines, ["boilerplate", "title", "body"], ("main_overlap", "matched_words"))
    # The share counts "e-mail" and "friend" as the article's (1.0); the count of 4+ letter words that are
    # not furniture gives the share line nothing and the headline "port", "double", "size".
    assert found[:, 0].tolist() == [1.0, pytest.approx(3 / 4)]
    assert found[:, 1].tolist() == [0.0, pytest.approx(np.log1p(3))]


def test_a_title_ranker_reads_the_context_its_model_names(tmp_path) -> None:
    import json

    from newsnlp.errors import ModelFormatError
    from newsnlp.preprocess.page_features import TITLE_INPUTS
    from newsnlp.preprocess.structure import LineLabeller, default_labeller

    shipped = default_labeller()
    if shipped is None:
        pytest.skip("models/pages/model is not installed")
    arrays = {k: getattr(shipped, k) for k in ("mean1", "scale1", "weights1", "bias1", "mean2", "scale2",
                                               "weights2", "bias2")}
    config = {"features": list(FEATURES), "labels": list(LABELS), "width": shipped.width, "context": shipped.context,
              "title_context": ["matched_words"]}
    (tmp_path / "model.json").write_text(json.dumps(config), "utf-8")
    np.savez(tmp_path / "model.npz", **arrays, title_weights=np.zeros(TITLE_INPUTS + 2, dtype=np.float32))
    labeller = LineLabeller.load(tmp_path)
    assert labeller.title_context == ("matched_words",)
    text = "\n\n".join(["Menu", "Port to Double in Size",
                        "The port will double in size, the harbour authority said on Tuesday, with a second terminal."])
    assert labeller.predict(text, page_spans(text)).shape == (3, len(LABELS))
    (tmp_path / "model.json").write_text(json.dumps({**config, "title_context": ["no_such_feature"]}), "utf-8")
    with pytest.raises(ModelFormatError, match="retrain"):
        LineLabeller.load(tmp_path)


def test_matched_others_needs_another_body_line() -> None:
    # Made-up page: the only body paragraph is a candidate too; its words are its own, not "repeated".
    lines = ["Headline Without Shared Words", "Harbour traffic doubled this year, officials reported on Monday morning.",
             "Harbour officials expect traffic to keep growing next year."]
    found = _context(lines, ["title", "body", "body"], ("matched_words", "matched_others"))
    # Line 1 has eight words of 4+ letters, all in the body (itself); line 2 repeats four of them:
    # "harbour", "traffic", "officials", "year".
    assert found[1].tolist() == [pytest.approx(np.log1p(8)), pytest.approx(np.log1p(4))]
    assert found[0].tolist() == [0.0, 0.0]
