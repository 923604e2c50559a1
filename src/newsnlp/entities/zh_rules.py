"""News-aware rules over the Chinese NER model's mentions: conventions the model cannot know.

* A country word and a government body are one ORG (美国国会) unless the article also names the body
  alone (then 美国 + 国务院); a minister's ministry too (委内瑞拉能矿部长 → 委内瑞拉能矿部).
* A country word opening a named place is part of it (中国美术馆, 朝鲜半岛: LOCATION).
* Names as sports and showbiz pages write them: 勒布朗-詹姆斯 is one person, 任茜茜 魏梅竹 two, and
  person-shaped places (格林伍德路, 花莲市) are places.

Mentions are ``(start, end, label, iso)`` tuples in a paragraph view's offsets.

Example:
    >>> _person_shapes("勒布朗-詹姆斯得分", [(0, 3, "PERSON", None), (4, 7, "PERSON", None)])
    [(0, 7, 'PERSON', None)]
"""

from __future__ import annotations

import re

from newsnlp.chars import HAN_BASIC
from newsnlp.document import Work

Found = list[tuple[int, int, str, str | None]]

GOV_BODY = re.compile(r"(.{2,6}?)(国务院|外交部|国防部|财政部|商务部|政府|大使馆|驻华大使馆|使馆|议会|国会|参议院|众议院|总统府|内阁)$")
# '委内瑞拉能矿部长': the ministry of a minister named after a country.
_MINISTRY = re.compile(rf"((?:(?!助理|副|部)[{HAN_BASIC}]){{1,6}}?部)(?=长)")  # not 助理国防部长, 国防部副部长
# Heads of the names of places and facilities: such a name is a LOCATION, never an ORG (博爱交汇处,
# 中国美术馆); a country word opening a named one is part of it (香港新机场, 印度次大陆, 朝鲜半岛), not
# one of the generic kind (香港 + 口岸, 香港 + 元朗公路).
_NAMED_PLACE_HEADS = "博物馆|纪念馆|展览馆|图书馆|美术馆|机场|大厦|大桥|次大陆|广场|公园|体育馆|体育场|半岛|海峡|运河"
_PLACE_NAME = re.compile(rf"([{HAN_BASIC}]{{0,8}}?)({_NAMED_PLACE_HEADS})")
FACILITY = re.compile(rf"(?:{_NAMED_PLACE_HEADS}|交汇处|交界处|路口|隧道|公路|大道|码头|车站|大楼|口岸)$")
# Words that make the stretch a phrase, not a name (中国的博物馆, 美国第一座大桥).
_NOT_IN_NAMES = frozenset("的在就等和与对第首大最是为把被向从将已也都而及或一个各该这那些今明昨年月日")
_NAME_JOINERS = frozenset("-－‐•・‧·")
_NON_SPACE = re.compile(r"\S+")
_PLACE_SUFFIXES = frozenset("市县省路街湾镇村")


def named_alone(work: Work, name: str, cut: int) -> bool:
    """Whether the article also names the body of ``name`` without its country (国务院 beside 美国国务院):
    only then is the country a modifier to split off (美国 + 国务院); 美国国会 alone stays one ORG."""
    body = name[cut:]
    text = "\n".join(para.view.text for para in work.zh)
    return text.count(body) > text.count(name)


def _country_bodies(work: Work, text: str, found: Found) -> Found:
    """A country word and the government body it opens, when the article never names that body alone,
    make one ORG, as when the model finds it whole: 爱沙尼亚 + 外交部 → 爱沙尼亚外交部, and the
    ministry of a minister, 委内瑞拉能矿部(长)."""
    ends = {s: (e, label) for s, e, label, _ in found}
    out: Found = []
    skip: set[tuple[int, int]] = set()
    for start, end, label, iso in found:
        if (start, end) in skip:
            continue
        if label == "COUNTRY" and end - start >= 2:
            body_end = None
            nxt = ends.get(end)
            if nxt is not None and nxt[1] == "ORG" and GOV_BODY.match(text[start:nxt[0]]):
                body_end = nxt[0]
            elif (nxt is None and (ministry := _MINISTRY.match(text, end)) and not set(ministry.group(1)) & _NOT_IN_NAMES
                  and all(e <= end or s >= ministry.end() for s, e, _, _ in found)):
                body_end = ministry.end()
            if body_end is not None and not named_alone(work, text[start:body_end], end - start):
                out.append((start, body_end, "ORG", None))
                skip.add((end, body_end))
                continue
        out.append((start, end, label, iso))
    return out


def _person_shapes(text: str, found: Found) -> Found:
    """Names in the shapes sports and showbiz pages write them: 勒布朗-詹姆斯 (given and family name
    joined by a hyphen or a dot) is one person; 任茜茜 魏梅竹 (two names a space apart) are two; 格林伍德路
    and 花莲市 end as places do, so they are places."""
    out: Found = []
    for start, end, label, iso in sorted(found):
        if label != "PERSON":
            out.append((start, end, label, iso))
            continue
        if out and out[-1][2] == "PERSON" and out[-1][1] + 1 == start and text[out[-1][1]] in _NAME_JOINERS:
            out[-1] = (out[-1][0], end, "PERSON", None)
            continue
        while end - start > 1 and text[end - 1] in _NAME_JOINERS:
            end -= 1  # 乔治· cut before the family name
        pieces = [(start + m.start(), start + m.end()) for m in _NON_SPACE.finditer(text[start:end])]
        for s, e in pieces:
            if e - s >= 2 or len(pieces) == 1:
                out.append((s, e, "LOCATION" if e - s >= 3 and text[e - 1] in _PLACE_SUFFIXES else "PERSON", None))
    return out


def _country_places(text: str, found: Found) -> Found:
    """A country word that opens a place's name is part of it (中国美术馆, 朝鲜半岛: one LOCATION),
    not a mention of the country."""
    out: Found = []
    for start, end, label, iso in found:
        if label == "COUNTRY" and end - start >= 2:
            place = _PLACE_NAME.match(text, end)
            if (place is not None and not set(place.group(1)) & _NOT_IN_NAMES
                    and all(e <= end or s >= place.end() for s, e, _, _ in found)):
                out.append((start, place.end(), "LOCATION", None))
                continue
        out.append((start, end, label, iso))
    return out


def apply_rules(work: Work, text: str, found: Found) -> Found:
    """All the rules, in order, over one paragraph's mentions."""
    return _person_shapes(text, _country_bodies(work, text, _country_places(text, found)))
