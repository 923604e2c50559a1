from newsnlp.chars import fold_char
from newsnlp.preprocess.normalize import is_traditional, normalized_view, to_simplified
from newsnlp.preprocess.textview import TextView


def _check(source: str, view: TextView) -> None:
    for i in range(len(view.text)):
        s, e = view.to_source(i, i + 1)
        assert 0 <= s < e <= len(source)


def test_identity_view_for_plain_ascii() -> None:
    text = "xx Plain text."
    view = normalized_view(text, 3, len(text))
    assert view.is_identity and view.text == "Plain text." and view.to_source(0, 5) == (3, 8)


def test_fullwidth_nbsp_zero_width_soft_hyphen() -> None:
    text = "Ｍｏｂｉｌｅ\u00a0net\u200bworks co\u00adoperate"
    view = normalized_view(text, 0, len(text))
    assert view.text == "Mobile networks cooperate"
    s, e = view.to_source(7, 15)
    assert text[s:e] == "net\u200bworks"
    _check(text, view)


def test_stray_tags_and_entities() -> None:
    text = "<p>Tom &amp; Jerry</p>"
    view = normalized_view(text, 0, len(text))
    assert view.text.strip() == "Tom & Jerry"
    start = view.text.index("&")
    assert text[slice(*view.to_source(start, start + 1))] == "&amp;"


def test_traditional_folds_one_for_one() -> None:
    text = "國務院總理溫家寶說"
    view = normalized_view(text, 0, len(text), simplify=True)
    assert view.text == "国务院总理温家宝说"
    assert view.to_source(5, 8) == (5, 8)
    assert is_traditional(text) and not is_traditional("国务院总理温家宝说")
    assert len(to_simplified(text)) == len(text)


def test_fold_char_keeps_single_characters() -> None:
    assert fold_char("Ａ") == "A"
    assert fold_char("\u3000") == " "
    assert fold_char("…") == "…"  # NFKC would give three characters: kept as is
    assert fold_char("\u200b") == ""


def test_concat_maps_each_part() -> None:
    text = "Title\n\nBody text"
    v = TextView.concat([normalized_view(text, 0, 5), normalized_view(text, 7, 16)])
    assert v.text == "Title\n\nBody text"
    assert v.to_source(7, 11) == (7, 11)
    assert v.to_source(0, 5) == (0, 5)
