"""HTML rendering: entities by label, quotes with speakers, well-formed for any overlap."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import SAMPLES

import newsnlp
from newsnlp.model import Article, Entity, Mention, Paragraph, Quote, Span, Speaker

_BADGE = re.compile(r'<span class="nn-(?:label|qno)[^"]*">[^<]*</span>')


class _Checker(HTMLParser):
    """Collects text and fails on a closing tag that does not match the open one."""

    VOID = {"meta", "br"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list) -> None:  # type: ignore[type-arg]
        if tag not in self.VOID:
            self.stack.append(tag)
        self.in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack.pop() == tag, f"unbalanced </{tag}>"
        self.in_style = False

    def handle_data(self, data: str) -> None:
        if not self.in_style:
            self.text.append(data)


def _check(html: str) -> str:
    checker = _Checker()
    checker.feed(_BADGE.sub("", html))
    checker.close()
    assert checker.stack == []
    return "".join(checker.text)


def _marked(html: str, attribute: str) -> list[str]:
    return re.findall(rf'{attribute}="([^"]+)"', html)


@pytest.mark.slow
def test_seed_page_marks_entities_quotes_and_speakers(full_analyzer, shared) -> None:  # type: ignore[no-untyped-def]
    article = full_analyzer.analyze((shared / "articles" / "seed_article.txt").read_bytes())
    html = newsnlp.render(article)
    assert html == article._repr_html_()
    _check(html)
    analysed = [p for p in article.paragraphs if p.analysed]
    in_text = [m for e in article.entities for m in e.mentions if any(p.start <= m.start < p.end for p in analysed)]
    assert len(_marked(html, "data-entity")) >= len(in_text) > 20
    for label in ("PERSON", "COUNTRY", "ORG", "LOCATION"):
        assert f'class="nn-ent nn-{label}"' in html
    assert sorted(set(map(int, _marked(html, "data-quote")))) == list(range(1, len(article.quotes) + 1))
    assert len(article.quotes) == 8 and len(set(_marked(html, "data-speaker-of"))) == 8
    assert re.search(r'title="speaker of Q\d+: Volodymyr Zelenskyy" data-speaker-of="\d+">He<', html)
    nuclear = next(i for i, q in enumerate(article.quotes, 1) if "nuclear" in q.text)
    assert f'title="Q{nuclear} direct · Xi Jinping"' in html
    assert "Who said what" in html and "Leave a Reply" in html  # boilerplate shown, greyed
    assert 'class="nn-boilerplate"' in html


@pytest.mark.slow
def test_chinese_article_renders_with_speakers(full_analyzer) -> None:  # type: ignore[no-untyped-def]
    article = full_analyzer.analyze((SAMPLES / "zh_science.txt").read_bytes())
    html = newsnlp.render(article, boilerplate=False)
    text = _check(html)
    assert "深海探测" in text and 'lang="zh"' in html
    assert 'title="PERSON 李明"' in html
    assert re.search(r'title="speaker of Q\d+: 李明" data-speaker-of="\d+">他<', html)


_KINDS = st.sampled_from(["entity", "quote", "speaker", "cue"])


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet="ab <&>“”中", min_size=1, max_size=40), raw=st.lists(
    st.tuples(st.integers(0, 40), st.integers(0, 40), _KINDS), max_size=8))
def test_any_overlap_gives_balanced_html_and_keeps_the_text(text: str, raw: list) -> None:  # type: ignore[type-arg]
    n = len(text)
    spans = [(min(a, b) % (n + 1), max(a, b) % (n + 1), kind) for a, b, kind in raw]
    spans = [(a, b, kind) for a, b, kind in spans if b > a]
    entities, quotes = [], []
    for i, (a, b, kind) in enumerate(spans):
        if kind == "entity":
            entities.append(Entity(f"e{i}", "PERSON", text[a:b], (Mention(a, b, text[a:b]),)))
        else:
            speaker = Speaker(a, b, text[a:b], "X") if kind == "speaker" else None
            cue = Span(a, b, text[a:b]) if kind == "cue" else None
            quotes.append(Quote(a, b, text[a:b], "direct", speaker, cue))
    article = Article(text=text, lang="en", paragraphs=(Paragraph(0, n, text, "en", "body"),),
                      entities=tuple(entities), quotes=tuple(quotes))
    html = newsnlp.render(article, panel=False)
    body = _check(html)
    assert body.split("\n")[-2] == text and "lang en" in body
