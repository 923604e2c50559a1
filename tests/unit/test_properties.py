"""Property tests: arbitrary Unicode, mixed scripts and control characters never break offsets."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsnlp.model import Article
from newsnlp.preprocess.normalize import normalized_view

PIECES = st.sampled_from([
    "The minister said", " ", "\n", "\n\n", "。", "中国", "習近平說", "“", "”", "\"", "'", "’", "Ｆｕｌｌ",
    "\u00a0", "\u200b", "\u00ad", "\ufeff", "<b>", "</p>", "&amp;", "&bogus;", "\t", "\r\n", "\x00", "\x07",
    "By John Smith", "Home / News / X", "Leave a Reply", "责任编辑：张三", "😀", "é", "\u0301", "Ǆ", "ﬁ",
])
TEXTS = st.one_of(st.text(max_size=300), st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40).map("".join))


@given(TEXTS)
@settings(max_examples=300, deadline=None)
def test_views_map_inside_the_source(text: str) -> None:
    for simplify in (False, True):
        view = normalized_view(text, 0, len(text), simplify=simplify)
        for i in range(len(view.text)):
            s, e = view.to_source(i, i + 1)
            assert 0 <= s <= e <= len(text)


@given(TEXTS)
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
def test_analyze_never_crashes_and_offsets_hold(blank_preprocessor, text: str) -> None:
    from newsnlp.errors import EmptyInputError

    try:
        article = blank_preprocessor.analyze(text)
    except EmptyInputError:  # the one refusal a text can get: nothing but whitespace (issue 23)
        assert not text.removeprefix("\ufeff").strip()
        return
    assert article.invalid_spans() == []
    assert Article.from_json(article.to_json()) == article
    assert article.lang in ("en", "zh", "mixed", "other", "und")


@given(st.binary(max_size=400))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_arbitrary_bytes_give_an_article_or_a_typed_error(blank_preprocessor, data: bytes) -> None:
    from newsnlp.errors import NewsNLPError

    try:
        article = blank_preprocessor.analyze(data)
    except NewsNLPError:
        return
    assert article.invalid_spans() == []
