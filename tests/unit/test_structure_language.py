from pathlib import Path

import pytest

from newsnlp.preprocess.language import article_language, detect_language
from newsnlp.preprocess.structure import find_structure, split_blocks

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


def roles(text: str) -> list[tuple[str, str]]:
    s = find_structure(text)
    return [(b.role, text[b.start:b.end]) for b in s.blocks]


def test_scraped_page_structure() -> None:
    text = (SAMPLES / "scraped_page.txt").read_text("utf-8")
    s = find_structure(text)
    assert text[slice(*s.title)] == "City Council Approves New Bike Lanes"
    assert text[slice(*s.author)] == "Tom Becker"
    assert text[slice(*s.dateline)] == "SPRINGFIELD"
    body = [text[b.start:b.end] for b in s.blocks if b.role == "body"]
    assert len(body) == 3 and body[0].startswith("SPRINGFIELD") and body[-1].startswith("Council member")
    boiler = " ".join(text[b.start:b.end] for b in s.blocks if b.role == "boilerplate")
    for piece in ("Sponsored", "Home /", "Share this", "About Tom Becker", "Related Posts", "Leave a Reply", "Required fields"):
        assert piece in boiler


def test_chinese_boilerplate_and_inline_editor_note() -> None:
    text = "标题在这里\n\n正文第一段，内容很长很长。（责任编辑：张三）\n\n分享到：微博 微信\n\n相关新闻\n\n另一条新闻标题"
    found = roles(text)
    assert found[0] == ("title", "标题在这里")
    assert ("body", "正文第一段，内容很长很长。") in found
    assert ("boilerplate", "（责任编辑：张三）") in found
    assert all(role == "boilerplate" for role, t in found if t in ("分享到：微博 微信", "相关新闻", "另一条新闻标题"))


def test_hard_wrapped_block_is_one_paragraph() -> None:
    lines = [
        "The committee met on Monday to discuss the budget for the coming",
        "year and agreed that spending on roads should rise by a tenth while",
        "spending on parks would stay where it is for the time being, members",
        "said after the meeting.",
    ]
    text = "Budget agreed\n\n" + "\n".join(lines)
    assert len(split_blocks(text)) == 2


def test_no_title_when_first_block_is_long_prose() -> None:
    text = "This is a long paragraph of body text. " * 10
    assert find_structure(text).title is None


@pytest.mark.parametrize(
    "text, lang",
    [
        ("China’s Xi Jinping Calls Ukraine’s Zelenskyy", "en"),
        ("The minister said on Tuesday that the talks would resume.", "en"),
        ("中国国务院总理李强星期五在北京会见了巴西总统。", "zh"),
        ("火箭队新任主帅的候选又多了一个人，他是NBA名宿的儿子", "zh"),
        ("Der Minister sagte, dass die Gespräche nicht fortgesetzt werden und dass es keine Einigung gibt.", "other"),
        ("東京で会議が開かれました。", "other"),
        ("2024 — 12:30", "und"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_article_language_mixed() -> None:
    assert article_language([("en", 300), ("zh", 100)]) == "mixed"
    assert article_language([("en", 3000), ("zh", 10)]) == "en"
    assert article_language([], hint="zh") == "zh"
