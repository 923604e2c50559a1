#!/usr/bin/env python3
"""Recipe for ``src/newsnlp/resources/zh_surnames.json``: how often each common surname opens a
person name in the Chinese NER training data, how long given names are, and which characters are
almost only used to transliterate foreign names (特, 尔, 斯) rather than in Chinese given names.

Only counts are written (no text of the training data). The surnames considered are the common
Chinese surnames listed below (general knowledge: the most frequent surnames of the mainland's
population statistics), minus characters that more often open transliterated foreign names
(阿, 斯, 哈, 克, 布 ...), which are left out so that 内塔尼亚胡 is never cut into "names".
Used by ``newsnlp.entities.zh_names`` to split runs of names written without separators.

    python models/zh_ner/name_stats.py [--train ../shared/data/ner/zh/train.jsonl]
"""
from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
OUT = REPO / "src" / "newsnlp" / "resources" / "zh_surnames.json"
COMMON_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛阎闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温"
    "康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂"
    "成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党"
    "宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝官封谈匡鞠"
    "惠荆乐冀郁胥班储栗燕楚鄢劳谌奚皮粟冼蔺楼闻厉阚权帅屠朴盖练廉禹井祖漆支卿狄计宣晋初扈晁芮浦戈鹿薄邸雍辜"
    "裘修邰赫杭况宿鲜印逯隆茹诸战慕危亢嵇湛宾戎勾茅揭尉檀信展阴昝幸奉衡富尧萧")
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
                     "司徒", "令狐", "夏侯")
# A surname must open at least this share of the names it appears in (else it is mostly a given-name
# or transliteration character in this data): 克 opens 克林顿, 波 sits inside 波黑 names...
MIN_OPEN_SHARE = 0.2
# A character is a transliteration character when at least this share of the names using it are
# foreign (with a '·', or 4+ characters not opening with a common surname) rather than the given
# name of a Chinese name, over at least MIN_FOREIGN foreign names.
FOREIGN_SHARE, MIN_FOREIGN = 0.8, 5


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--train", type=Path, default=REPO.parent / "shared" / "data" / "ner" / "zh" / "train.jsonl")
    a = ap.parse_args()
    opens: Counter[str] = Counter()
    inside: Counter[str] = Counter()
    given: Counter[int] = Counter()
    names: list[str] = []
    with open(a.train, encoding="utf-8") as f:
        for line in f:
            for e in json.loads(line)["entities"]:
                if e["label"] in ("PERSON", "PER") and all("\u4e00" <= c <= "\u9fff" or c == "·" for c in e["text"]):
                    names.append(e["text"])
    for name in (n for n in names if "·" not in n):
        surname = name[:2] if name[:2] in COMPOUND_SURNAMES else name[0]
        if 2 <= len(name) <= 4 and 1 <= len(name) - len(surname) <= 2:
            opens[surname] += 1
            if surname in COMPOUND_SURNAMES or surname in COMMON_SURNAMES:
                given[len(name) - len(surname)] += 1
        for c in name[1:]:
            inside[c] += 1
    surnames = {s: opens[s] for s in list(COMMON_SURNAMES) + list(COMPOUND_SURNAMES)
                if opens[s] >= 2 and opens[s] / (opens[s] + inside[s]) >= MIN_OPEN_SHARE}
    foreign: Counter[str] = Counter()
    chinese_given: Counter[str] = Counter()
    for name in names:
        if "·" in name or (len(name) >= 4 and name[0] not in surnames and name[:2] not in surnames):
            foreign.update(set(name.replace("·", "")))
        elif 2 <= len(name) <= 3 and name[0] in surnames:
            chinese_given.update(set(name[1:]))
    transliteration = sorted((c for c, n in foreign.items()
                              if n >= MIN_FOREIGN and n / (n + chinese_given[c]) >= FOREIGN_SHARE),
                             key=lambda c: -foreign[c])
    out = {"source": "person names of the Chinese NER training data (models/zh_ner/README.md); counts only",
           "surnames": dict(sorted(surnames.items(), key=lambda x: -x[1])),
           "given_name_lengths": {str(k): v for k, v in sorted(given.items())},
           "transliteration_chars": "".join(transliteration)}
    OUT.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(surnames)} surnames, given-name lengths {dict(given)}, "
          f"{len(transliteration)} transliteration characters -> {OUT}")


if __name__ == "__main__":
    main()
