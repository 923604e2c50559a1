"""The English entity stage on our own samples and the user's page."""

from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


def by_name(article):
    return {e.name: e for e in article.entities}


@pytest.mark.slow
def test_sample_entities(full_analyzer) -> None:
    a = full_analyzer.analyze((SAMPLES / "en_trade_talks.txt").read_bytes())
    e = by_name(a)
    assert e["Canada"].iso == "CA" and e["Japan"].iso == "JP"
    assert any(m.form == "demonym" and m.text == "Canadian" for m in e["Canada"].mentions)
    assert e["Daniel Okafor"].label == "PERSON" and [m.text for m in e["Daniel Okafor"].mentions] == ["Daniel Okafor", "Okafor"]
    assert e["Kenji Watanabe"].count == 2
    assert e["Maria Lopez"].label == "PERSON"  # the byline's author
    assert e["World Trade Organization"].label == "ORG"
    assert a.invalid_spans() == []


@pytest.mark.slow
def test_seed_page_entities(shared, full_analyzer) -> None:
    a = full_analyzer.analyze((shared / "articles" / "seed_article.txt").read_bytes())
    e = by_name(a)
    for person in ("Xi Jinping", "Volodymyr Zelenskyy", "Vladimir Putin", "Pavlo Riabikin", "Kevin Zhang"):
        assert e[person].label == "PERSON", person
    assert {m.text for m in e["Xi Jinping"].mentions} == {"Xi Jinping", "Xi"}
    assert {m.text for m in e["Volodymyr Zelenskyy"].mentions} == {"Volodymyr Zelenskyy", "Zelenskyy"}
    assert e["Vladimir Putin"].count == 2
    for name, iso, demonym in (("China", "CN", "Chinese"), ("Ukraine", "UA", "Ukrainian"), ("Russia", "RU", "Russian")):
        assert e[name].label == "COUNTRY" and e[name].iso == iso
        assert any(m.text == demonym and m.form == "demonym" for m in e[name].mentions)
    assert e["UN Security Council"].label == "ORG"
    assert e["Moscow"].label == "LOCATION"
    assert "Twitter" not in e and "Telegram" not in e  # platforms used as a medium
    assert all(not any(m.text == "Zelenskyy" for m in ent.mentions) for ent in a.entities if ent.label != "PERSON")


@pytest.mark.slow
def test_a_middle_name_alone_is_the_same_person(full_analyzer) -> None:
    a = full_analyzer.analyze((SAMPLES / "mixed_summit.txt").read_bytes())
    lula = by_name(a)["Luiz Inacio Lula da Silva"]
    assert [m.text for m in lula.mentions] == ["Luiz Inacio Lula da Silva", "Lula"]
    said = next(q for q in a.quotes if q.speaker is not None and q.speaker.text == "Lula")
    assert said.speaker.entity == lula.id


@pytest.mark.slow
def test_a_quoted_title_names_no_one(full_analyzer) -> None:
    a = full_analyzer.analyze(
        "Donald Trump went on to promote “Celebrity Apprentice,” the show he hosted for years. "
        "Susan Sarandon, star of “Thelma and Louise,” said she would not vote for Hillary Clinton. "
        "Ben Carson told reporters: “Trump is wrong about this.”", lang="en")
    names = {e.name: e.label for e in a.entities}
    assert names.get("Donald Trump") == "PERSON" and names.get("Hillary Clinton") == "PERSON"
    assert "Celebrity Apprentice" not in names and "Louise" not in names
    # a name inside a longer quotation (a sentence, not a title) is still found
    assert any(m.text == "Trump" for e in a.entities if e.label == "PERSON" for m in e.mentions if m.start > 200)


@pytest.mark.slow
def test_parties_groups_roles_buildings_and_outlets(full_analyzer) -> None:
    a = full_analyzer.analyze(
        "Ted Cruz said Republican party leaders met in Ohio on Monday. Donald Trump lost the Latino vote, "
        "said Ann Coulter. "
        "Breitbart News Executive Chairman Stephen Bannon spoke on Sirius XM. "
        "Trump had just bought the Old Post Office building in Washington. "
        "Obama might use an Executive Order to change the law. He leads, according to a CNN tally.", lang="en")
    names = {e.name: e.label for e in a.entities}
    assert names.get("Republican party") == "ORG"  # a party named with a small p
    assert "Latino" not in names  # a group, no one person
    assert names.get("Breitbart News") == "ORG" and "Breitbart News Executive" not in names
    assert names.get("Old Post Office") != "ORG"  # a building: a place, not an organisation
    assert "Executive Order" not in names
    assert names.get("Stephen Bannon") == "PERSON" and names.get("Ann Coulter") == "PERSON"
    assert names.get("CNN") == "ORG"  # a news outlet, even where NER passes it by


@pytest.mark.slow
def test_a_name_keeps_the_bracket_it_opens(full_analyzer) -> None:
    # Made-up results lines: an edge bracket is trimmed only when the name did not open it.
    a = full_analyzer.analyze("Borac Cacak 1 Mladost (L) 2 on Sunday, said John Smith (the coach).", lang="en")
    mentions = {m.text for e in a.entities for m in e.mentions}
    assert "Mladost (L)" in mentions and "Mladost (L" not in mentions
    assert "John Smith" in mentions and not any(t.endswith(")") and "(" not in t for t in mentions)
