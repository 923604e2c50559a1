"""Headlines in Title Case or ALL CAPS are read as headlines, not as rows of names."""

import pytest


def mentions(analyzer, text: str) -> list[tuple[str, str]]:
    article = analyzer.analyze(text)
    assert article.invalid_spans() == []
    return sorted((m.text, e.label) for e in article.entities for m in e.mentions if m.form == "name")


@pytest.fixture(scope="module")
def analyzer():
    from newsnlp.pipeline import Analyzer

    return Analyzer(stages=("entities",))


@pytest.mark.slow
@pytest.mark.parametrize("headline", ["City Council Approves New Bike Lanes", "CITY COUNCIL APPROVES NEW BIKE LANES"])
def test_a_headline_is_not_one_long_name(analyzer, headline: str) -> None:
    # "City Council" may be read as the council of the city in the story; the verb and the rest
    # of the headline are no part of any name.
    assert all(len(text.split()) <= 2 for text, _ in mentions(analyzer, headline))


@pytest.mark.slow
@pytest.mark.parametrize("headline", ["Ted Cruz Refuses To Endorse Rival", "TED CRUZ REFUSES TO ENDORSE RIVAL"])
def test_a_name_in_a_headline_ends_where_the_name_ends(analyzer, headline: str) -> None:
    assert mentions(analyzer, headline) == [(headline[:8], "PERSON")]


@pytest.mark.slow
def test_profile_is_recorded(analyzer) -> None:
    assert analyzer.analyze("Angela Merkel visited Paris.").meta["profile"] == "fast"
