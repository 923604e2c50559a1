"""The Chinese entity stage: model + gazetteer, traditional input, cross-lingual links."""

from pathlib import Path

import pytest

from newsnlp.entities.chinese import default_zh_ner_path
from newsnlp.entities.zh_names import pinyin_name

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
needs_model = pytest.mark.skipif(not (default_zh_ner_path() / "meta.json").is_file(), reason="no Chinese NER model")


def names(article):
    return {e.name: e for e in article.entities}


def test_pinyin_names() -> None:
    assert pinyin_name("习近平") == "Xi Jinping"
    assert pinyin_name("欧阳修") == "Ouyang Xiu"


@needs_model
@pytest.mark.slow
def test_countries_abbreviations_and_titles(full_analyzer) -> None:
    a = full_analyzer.analyze("国务院总理温家宝昨天在北京会见美国国务卿。温总理表示，中美关系十分重要。中方愿同美方加强合作。")
    e = names(a)
    assert [m.text for m in e["温家宝"].mentions] == ["温家宝", "温"]
    assert e["中国"].iso == "CN" and {m.text for m in e["中国"].mentions} == {"中", "中方"}
    assert e["美国"].iso == "US" and {m.text for m in e["美国"].mentions} == {"美国", "美", "美方"}
    assert e["北京"].label == "LOCATION"
    assert e["国务院"].label == "ORG"


@needs_model
@pytest.mark.slow
def test_traditional_gives_the_same_entities(full_analyzer) -> None:
    simplified = full_analyzer.analyze("国务院总理温家宝昨天在北京会见了美国国务卿和日本外相。")
    traditional = full_analyzer.analyze("國務院總理溫家寶昨天在北京會見了美國國務卿和日本外相。")
    assert [(e.label, e.name, e.iso) for e in traditional.entities] == [(e.label, e.name, e.iso) for e in simplified.entities]


@needs_model
@pytest.mark.slow
def test_mixed_article_links_across_languages(full_analyzer) -> None:
    a = full_analyzer.analyze((SAMPLES / "mixed_summit.txt").read_bytes())
    e = names(a)
    china = e["China"]
    assert china.iso == "CN" and {"China", "中国"} <= {m.text for m in china.mentions}
    li = e["Li Qiang"]
    assert {"Li Qiang", "李强"} <= {m.text for m in li.mentions} and "李强" in li.aliases
    assert a.invalid_spans() == []


@needs_model
@pytest.mark.slow
def test_messy_traditional_files_match_their_simplified_entities(shared, full_analyzer) -> None:
    from newsnlp.preprocess.normalize import to_simplified

    for name in ("m05_zh_big5_traditional.txt", "m07_zh_traditional_s2twp.txt"):
        article = full_analyzer.analyze((shared / "articles" / "messy" / name).read_bytes())
        simplified = full_analyzer.analyze(to_simplified(article.text))
        assert {(e.label, e.name) for e in article.entities} == {(e.label, e.name) for e in simplified.entities}, name


@pytest.mark.slow
def test_public_bodies_and_bare_colleges(full_analyzer) -> None:
    a = full_analyzer.analyze("地政总署发言人表示，消防处和卫生防护中心正在调查。化工学院的学生参加了活动。", lang="zh")
    orgs = {e.name for e in a.entities if e.label == "ORG"}
    assert {"地政总署", "消防处", "卫生防护中心"} <= orgs
    assert "化工学院" not in orgs  # a sub-college named without its university


@pytest.mark.slow
def test_a_shared_short_form_goes_to_the_country_the_article_names(full_analyzer) -> None:
    brazil = full_analyzer.analyze("巴西总统卢拉访问北京。巴方表示愿意加强合作。", lang="zh")
    pakistan = full_analyzer.analyze("巴基斯坦总理访问北京。巴方表示愿意加强合作。", lang="zh")
    for article, iso in ((brazil, "BR"), (pakistan, "PK")):
        [country] = [e for e in article.countries if any(m.text == "巴方" for m in e.mentions)]
        assert country.iso == iso


@pytest.mark.slow
def test_bylines_facilities_funds_and_names_running_into_places(full_analyzer) -> None:
    text = ("华西都市报讯 (记者 王小明) 昨日，嘉实主题、金鹰优选等基金小幅下跌。\n\n"
            "新华社记者李斌岳麓山下报道，车辆在博爱交汇处发生事故。")
    a = full_analyzer.analyze(text, lang="zh")
    by_label = {(e.label, e.name) for e in a.entities}
    assert ("ORG", "华西都市报") in by_label  # the paper of the byline
    assert not any(name in ("嘉实", "金鹰") for _, name in by_label)  # fund names, not people or companies
    assert ("ORG", "博爱交汇处") not in by_label  # a junction is a place
    assert not any(label == "PERSON" and name.startswith("李斌岳") for label, name in by_label)


@pytest.mark.slow
def test_country_words_in_bodies_and_places(full_analyzer) -> None:
    # The body is named alone too: the country is a modifier (美国 + 国务院, apart from China's 国务院).
    a = full_analyzer.analyze("美国国务院发表声明。国务院总理李强当天会见了来宾。", lang="zh")
    assert {("COUNTRY", "美国"), ("ORG", "国务院")} <= {(e.label, e.name) for e in a.entities}
    # Never named alone: one organisation; a minister's ministry too; a place opening with a country word.
    a = full_analyzer.analyze("美国国会通过法案。委内瑞拉能矿部长阿列塔表示，中国美术馆将展出油画。", lang="zh")
    found = {(e.label, e.name) for e in a.entities}
    assert {("ORG", "美国国会"), ("ORG", "委内瑞拉能矿部"), ("LOCATION", "中国美术馆")} <= found, found
    assert not any(label == "COUNTRY" for label, _ in found), found


@pytest.mark.slow
def test_person_name_shapes(full_analyzer) -> None:
    text = "热火队的勒布朗-詹姆斯得到30分。记者任茜茜 魏梅竹报道，车队沿格林伍德路前往罗纳德·里根大厦。"
    found = {(e.label, e.name) for e in full_analyzer.analyze(text, lang="zh").entities}
    assert ("PERSON", "勒布朗-詹姆斯") in found, found  # given and family name joined by a hyphen: one person
    assert not any(label == "PERSON" and " " in name for label, name in found), found  # two names, a space apart
    assert not any(label == "PERSON" and name.endswith(("路", "大厦")) for label, name in found), found
