"""Offset-preserving re-casing (training augmentation and re-cased evaluation copies)."""

import pytest

from newsnlp.entities.casing import is_all_caps, lower_case, title_case, upper_case


@pytest.mark.parametrize("text", ["Straße in Köln", "İstanbul's ﬁnest", "O'Neill met Xi Jinping.", "华为 Mate 60"])
def test_every_recasing_keeps_the_length(text: str) -> None:
    for fn in (upper_case, lower_case, title_case):
        assert len(fn(text)) == len(text)


def test_title_case_capitalises_words_not_letters_after_digits() -> None:
    assert title_case("city council approves 2nd bike lane") == "City Council Approves 2nd Bike Lane"
    assert title_case("the rule of law", keep_minor=True) == "The Rule of Law"
    assert title_case("NATO and the eu") == "NATO And The Eu"


def test_upper_keeps_characters_whose_capital_is_two_letters() -> None:
    assert upper_case("straße") == "STRAßE"
    assert is_all_caps("DESPITE ZIKA SCARE, 3 DIE") and not is_all_caps("Despite Zika")
