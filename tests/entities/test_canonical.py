from newsnlp.entities.canonical import Candidate, group_entities
from newsnlp.entities.gazetteer import country_gazetteer


def names(entities):
    return {(e.label, e.name): [m.text for m in e.mentions] for e in entities}


def test_person_short_forms_join_the_full_name() -> None:
    found = names(group_entities([
        Candidate(0, 10, "Xi Jinping", "PERSON"), Candidate(30, 32, "Xi", "PERSON"),
        Candidate(40, 59, "Volodymyr Zelenskyy", "PERSON"), Candidate(70, 79, "Zelenskyy", "PERSON"),
    ]))
    assert found == {("PERSON", "Xi Jinping"): ["Xi Jinping", "Xi"],
                     ("PERSON", "Volodymyr Zelenskyy"): ["Volodymyr Zelenskyy", "Zelenskyy"]}


def test_shared_surname_stays_apart_and_goes_to_the_nearest_full_name() -> None:
    entities = group_entities([
        Candidate(0, 8, "Jeb Bush", "PERSON"), Candidate(20, 24, "Bush", "PERSON"),
        Candidate(50, 64, "George W. Bush", "PERSON"), Candidate(80, 84, "Bush", "PERSON"),
    ])
    found = names(entities)
    assert found[("PERSON", "Jeb Bush")] == ["Jeb Bush", "Bush"]
    assert found[("PERSON", "George W. Bush")] == ["George W. Bush", "Bush"]


def test_acronym_joins_its_long_form() -> None:
    found = names(group_entities([
        Candidate(0, 31, "Federal Bureau of Investigation", "ORG"), Candidate(40, 43, "FBI", "ORG"),
        Candidate(50, 69, "UN Security Council", "ORG"), Candidate(80, 96, "Security Council", "ORG"),
    ]))
    assert found[("ORG", "Federal Bureau of Investigation")] == ["Federal Bureau of Investigation", "FBI"]
    assert found[("ORG", "UN Security Council")] == ["UN Security Council", "Security Council"]


def test_countries_group_by_iso_with_fullest_name() -> None:
    g = country_gazetteer()
    entities = group_entities([
        Candidate(0, 4, "U.S.", "COUNTRY", iso="US"), Candidate(10, 23, "United States", "COUNTRY", iso="US"),
        Candidate(30, 38, "American", "COUNTRY", "demonym", iso="US"), Candidate(40, 47, "Chinese", "COUNTRY", "demonym", iso="CN"),
    ], gazetteer_name=g.common_name)
    found = {(e.name, e.iso): [m.form for m in e.mentions] for e in entities}
    assert found == {("United States", "US"): ["name", "name", "demonym"], ("China", "CN"): ["demonym"]}
    assert [e.id for e in entities] == ["e0", "e1"]


def test_chinese_given_names_and_org_short_forms_join_their_full_names() -> None:
    ms = [Candidate(0, 3, "吴伯雄", "PERSON"), Candidate(10, 12, "伯雄", "PERSON"), Candidate(20, 22, "王毅", "PERSON"),
          Candidate(30, 34, "湖南大学", "ORG"), Candidate(40, 42, "湖大", "ORG"),
          Candidate(50, 57, "国家禁毒委员会", "ORG"), Candidate(60, 65, "国家禁毒委", "ORG"),
          Candidate(70, 76, "中国建设银行", "ORG"), Candidate(80, 82, "建行", "ORG"), Candidate(90, 94, "中国银行", "ORG"),
          Candidate(100, 103, "国务院", "ORG"), Candidate(110, 116, "国务院办公厅", "ORG")]
    groups = {e.name: sorted(m.text for m in e.mentions) for e in group_entities(ms)}
    assert groups["吴伯雄"] == ["伯雄", "吴伯雄"] and groups["王毅"] == ["王毅"]
    assert groups["湖南大学"] == ["湖南大学", "湖大"]
    assert groups["国家禁毒委员会"] == ["国家禁毒委", "国家禁毒委员会"]
    assert groups["中国建设银行"] == ["中国建设银行", "建行"] and groups["中国银行"] == ["中国银行"]
    assert groups["国务院"] == ["国务院"] and groups["国务院办公厅"] == ["国务院办公厅"]  # a unit of its own


def test_a_name_in_a_capitals_headline_is_named_as_the_body_writes_it() -> None:
    found = names(group_entities([
        Candidate(0, 8, "TED CRUZ", "PERSON"), Candidate(40, 48, "Ted Cruz", "PERSON"),
        Candidate(60, 68, "MICROSOFT", "ORG"), Candidate(70, 79, "Microsoft", "ORG"),
        Candidate(110, 119, "ELON MUSK", "PERSON"),
    ]))
    assert found[("PERSON", "Ted Cruz")] == ["TED CRUZ", "Ted Cruz"]
    assert found[("ORG", "Microsoft")] == ["MICROSOFT", "Microsoft"]
    assert ("PERSON", "ELON MUSK") in found  # no other spelling to take
