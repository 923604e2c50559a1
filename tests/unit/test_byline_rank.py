"""The byline ranker's candidates and features, and the shipped ranker on pages written for these tests."""

from __future__ import annotations

import numpy as np
import pytest

from newsnlp.preprocess.byline_rank import (
    BYLINE_INPUTS,
    CANDIDATE_FEATURES,
    byline_candidates,
    candidate_features,
    rank_bylines,
)
from newsnlp.preprocess.page_features import LABELS, line_features
from newsnlp.preprocess.page_rules import page_spans

BODY = ("The harbour authority said on Tuesday that it would build a second container terminal on the eastern "
        "shore, doubling the port's capacity by the end of the decade.")


def _candidates(lines: list[str], title: int, main: tuple[int, int]) -> list[str]:
    text = "\n\n".join(lines)
    spans = page_spans(text)
    rows = line_features(text, spans)
    found = byline_candidates(text, spans, title, main, list(range(main[0], main[1] + 1)), rows)
    return [text[spans[c.line][0] + c.start:spans[c.line][0] + c.end] for c in found]


@pytest.mark.parametrize(
    "line, name",
    [
        ("ByAlex Bozarjian", "Alex Bozarjian"),  # "By" glued to the name
        ("Marwan H. Adwan1", "Marwan H. Adwan"),  # a footnote mark after the name
        ("Copyright (c) 2012- Gregory Szorc. All rights reserved.", "Gregory Szorc"),
        ("© Copyright 2007 Brandon Sun All Rights Reserved.", "Brandon Sun"),
        ("Author: Jacopo Cascioli", "Jacopo Cascioli"),
    ],
)
def test_candidate_forms(line: str, name: str) -> None:
    assert name in _candidates(["Port to Double in Size", line, BODY, BODY], 0, (2, 3))


def test_name_after_a_posted_by_line_and_closing_credit() -> None:
    lines = ["Port to Double in Size", BODY, BODY, "Posted by", "T. V. Raman"]
    assert "T. V. Raman" in _candidates(lines, 0, (1, 2))
    zh = ["港口扩建", "正文第一段，内容很长很长，说的是港口的扩建计划和它的成本。" * 3,
          "正文第二段，内容也很长，说的是居民的意见和交通问题。（记者 张倩）"]
    assert "张倩" in _candidates(zh, 0, (1, 2))


def test_title_line_is_no_candidate_and_features_line_up() -> None:
    lines = ["Big Win", "Ann Lee", "March 4, 2024", BODY]
    assert _candidates(lines, 0, (3, 3)) == ["Ann Lee"]
    text = "\n\n".join(lines)
    spans = page_spans(text)
    rows = line_features(text, spans)
    probs = np.full((len(spans), len(LABELS)), 0.2, dtype=np.float32)
    found = byline_candidates(text, spans, 0, (3, 3), [3], rows)
    features = candidate_features(text, spans, probs, 0, (3, 3), found, rows)
    assert features.shape == (1, len(CANDIDATE_FEATURES))
    assert features[0, CANDIDATE_FEATURES.index("date_next")] == 1.0
    assert features[0, CANDIDATE_FEATURES.index("title_next")] == 1.0


def test_nobody_wins_with_its_weight() -> None:
    lines = ["Big Win", "Ann Lee", BODY]
    text = "\n\n".join(lines)
    spans = page_spans(text)
    rows = line_features(text, spans)
    probs = np.full((len(spans), len(LABELS)), 0.2, dtype=np.float32)
    weights = np.zeros(BYLINE_INPUTS + 1, dtype=np.float32)
    weights[-2] = 5.0  # the "nobody" column
    assert rank_bylines(text, spans, probs, 0, weights, rows) is None
    weights[-2] = -5.0
    assert rank_bylines(text, spans, probs, 0, weights, rows) == (1, 0, 7)


@pytest.mark.slow
def test_shipped_ranker_reads_a_bare_name_under_the_headline() -> None:
    from newsnlp.preprocess.structure import default_labeller, find_structure

    labeller = default_labeller()
    if labeller is None or labeller.byline_weights is None:
        pytest.skip("models/pages/model (with its byline ranker) is not installed")
    menu = ["Home", "News", "Travel", "Credit Cards", "Sign in"]
    body = [BODY, ("The plan, which still needs approval from the province, would cost about $900 million and create "
                   "some 1,200 construction jobs, the authority's chief executive told reporters."),
            ("Shipping lines have complained for years that ships wait too long to unload at the existing terminal, "
             "which was built in the 1970s and has been extended twice since then.")]
    lines = menu + ["Port to Double in Size With New Terminal", "Edward Russell", "Oct 13, 2020"] + body + [
        "Share this article", "Related Stories", "Ferry fares to rise in spring"]
    text = "\n\n".join(lines)
    found = find_structure(text)
    assert found.author is not None and text[slice(*found.author)] == "Edward Russell"
    assert found.published == "2020-10-13"


def test_date_beside_the_author_line() -> None:
    from newsnlp.preprocess.page_rules import Block
    from newsnlp.preprocess.structure import _published

    text = "\n\n".join(["Port to Double in Size", BODY, "Author: Ann Lee", "Published:", "03 December 2019", "Share"])
    blocks = tuple(Block(s, e, "body" if i == 1 else "boilerplate") for i, (s, e) in enumerate(page_spans(text)))
    assert _published(text, blocks, 0) is None  # no date or byline line
    assert _published(text, blocks, 0, author_line=2) == "2019-12-03"
