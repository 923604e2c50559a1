"""Character classes and folds (newsnlp.chars): the two Han classes and the two folds differ on purpose."""

from __future__ import annotations

import re

from newsnlp.chars import HAN, HAN_BASIC, fold_char, han_count, has_han, is_cjk_codepoint, is_han_basic, nfkc_char, nfkc_same_length


def test_han_classes_nest() -> None:
    # Extension A (㐀) and a compatibility ideograph (豈) are Han but not basic; the basic block is in both.
    for char, basic in (("中", True), ("\u3400", False), ("\uf900", False)):
        assert has_han(char)
        assert is_han_basic(char) is basic
    assert not has_han("abc，。") and han_count("新华社 Xinhua 北京") == 5


def test_is_han_basic_needs_every_character() -> None:
    assert is_han_basic("李鹏乔石")
    assert not is_han_basic("李鹏A") and not is_han_basic("")


def test_class_bodies_expand_inline() -> None:
    # Patterns built from the constants read the same as the ranges written inline.
    assert re.compile(rf"[{HAN_BASIC}]{{2}}").pattern == r"[\u4e00-\u9fff]{2}"
    assert re.fullmatch(f"[{HAN}]+", "㐀中豈")


def test_cjk_codepoint_covers_plane_two() -> None:
    assert is_cjk_codepoint(ord("中")) and is_cjk_codepoint(0x20000)
    assert not is_cjk_codepoint(ord("a")) and not is_cjk_codepoint(ord("。"))


def test_view_fold_drops_and_spaces() -> None:
    assert fold_char("Ａ") == "A" and fold_char("\u3000") == " " and fold_char("\u00a0") == " "
    assert fold_char("\u200b") == "" and fold_char("…") == "…"  # NFKC would give three characters


def test_nfkc_same_length_never_drops() -> None:
    text = "ＡＢＣ１２３…\u3000①中文\u200b"
    folded = nfkc_same_length(text)
    assert len(folded) == len(text)
    assert folded == "".join(nfkc_char(c) for c in text) == "ABC123… 1中文\u200b"
