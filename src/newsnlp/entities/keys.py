"""Corpus-level entity keys: one stable, language-neutral key per referent, across articles.

An :class:`~newsnlp.model.Entity` is per article; its ``key`` lets a corpus count the same
referent in every article and both languages. The rule, first that applies:

1. a ``COUNTRY`` (or a ``LOCATION`` whose name is a country's) → its ISO 3166-1 code: ``CN`` for
   China, 中国, 中方 and the Chinese alike;
2. a name in the maintained alias table ``resources/entity_aliases.json`` (frequent people,
   places and organisations written in both scripts: 北京/Beijing, 卢拉/Lula, 联合国/UN) →
   ``LABEL:`` + the table's key (``LOCATION:beijing``, ``PERSON:luiz inacio lula da silva``);
3. a Chinese ``PERSON`` or ``LOCATION`` name → ``LABEL:`` + its pinyin (习近平 → ``PERSON:xi jinping``,
   the way English news writes Chinese names; 四川 → ``LOCATION:sichuan``); a Chinese person
   linked in its article to an English name has that name as its own, and is keyed by it. Names
   pinyin would confuse keep their characters: one character (毛, 奥), nicknames (小希, 老王),
   doubled pet names (毛毛), names over four characters (transliterated foreign names);
4. anything else → ``LABEL:`` + the name normalised: NFKC, traditional → simplified, accents and
   case dropped, apostrophes and dots removed, hyphens as spaces, a leading "the" dropped
   (``ORG:federal bureau of investigation``).

Limits: a key is only as good as the canonical name. Pinyin has no tones, so two Chinese names
that sound alike share a key (孙俪 the actress, 孙利 a reporter); pinyin links a Chinese name to its English
spelling only for mainland names (Taiwanese and Hong Kong names are spelt otherwise: 马英九 is
Ma Ying-jeou, hence the table); a foreign name transliterated into Chinese (默克尔) links only
through the table; two people with the same name share a key; an organisation named differently
in the two languages (新华社/Xinhua) links only through the table; a place spelt like a country
(Georgia, the US state) is keyed as the country. A surname alone ("Trump") keeps
its own key here; :func:`newsnlp.frames.corpus_entities` merges it into a full name of the same
corpus when only one full name fits.

Example:
    >>> entity_key("COUNTRY", "中国", iso="CN"), entity_key("LOCATION", "北京"), entity_key("LOCATION", "Beijing")
    ('CN', 'LOCATION:beijing', 'LOCATION:beijing')
    >>> entity_key("PERSON", "卢拉") == entity_key("PERSON", "Lula da Silva")
    True
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources

from newsnlp.chars import HAN_RE
from newsnlp.entities.zh_names import pinyin_name

_DROP = re.compile(r"[.'’‘`´\"“”()\[\]{},;:!?]")
_SPACES = re.compile(r"[\s\-‐‑–—_/·•・]+")


def normalise_name(name: str) -> str:
    """A name as keys compare it: simplified, accentless, lower case, no dots or apostrophes."""
    text = unicodedata.normalize("NFKC", name).strip()
    if HAN_RE.search(text):
        text = _simplified(text)
        return _SPACES.sub("", _DROP.sub("", text)).lower()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = _SPACES.sub(" ", _DROP.sub("", text.casefold())).strip()
    return text.removeprefix("the ").strip()


def entity_key(label: str, name: str, *, iso: str | None = None, aliases: tuple[str, ...] = ()) -> str:
    """The corpus key of an entity (see the module docstring for the rule).

    ``aliases`` (the entity's other names) are accepted for callers that pass a whole entity;
    the key does not depend on them.
    """
    if iso:
        return iso
    if label in ("LOCATION", "COUNTRY"):
        country = _country_iso(name)
        if country:
            return country
    base = _alias_table().get(normalise_name(name))
    if base is None and HAN_RE.search(name):
        # Not the entity's pinyin alias: it is made for every name, nicknames too (a Chinese name
        # linked to an English one in its article already has that English name as its own).
        if label == "PERSON":
            base = _pinyin_person(_simplified(name))
        elif label == "LOCATION":
            base = _pinyin_place(_simplified(name))
    if base is None:
        base = normalise_name(name)
        if label == "LOCATION" and base.endswith(" province"):  # Sichuan Province, as 四川省 is keyed
            base = base.removesuffix(" province")
    return f"{label}:{base}"


@lru_cache(maxsize=1)
def _alias_table() -> dict[str, str]:
    """Normalised name → key, from ``resources/entity_aliases.json`` (both scripts)."""
    raw = json.loads(resources.files("newsnlp.resources").joinpath("entity_aliases.json").read_text("utf-8"))
    table: dict[str, str] = {}
    for entry in raw["entities"]:
        for name in (*entry.get("en", ()), *entry.get("zh", ()), entry["key"]):
            table.setdefault(normalise_name(name), entry["key"])
    return table


def _country_iso(name: str) -> str | None:
    from newsnlp.entities.gazetteer import country_gazetteer

    gazetteer = country_gazetteer()
    return gazetteer.name_iso(name.strip()) or gazetteer.name_iso(_simplified(name.strip()))


@lru_cache(maxsize=65536)
def _simplified(text: str) -> str:
    if not HAN_RE.search(text):
        return text
    from newsnlp.preprocess.normalize import to_simplified

    return to_simplified(text)


@lru_cache(maxsize=65536)
def _pinyin_person(name: str) -> str:
    """习近平 → ``xi jinping``: surname, then the given name in one word (how English news spells them)."""
    bare = _SPACES.sub("", name)
    if not bare or not all(HAN_RE.match(c) for c in bare):
        return normalise_name(name)
    # Pinyin only for what English writes as pinyin: not a lone surname (毛 is many people), a
    # nickname (小希 and 小锡 sound alike), a doubled pet name (毛毛) or a transliterated foreign
    # name (阿尔贝托·藤森); those keep their characters.
    if not 2 <= len(bare) <= 4 or bare[0] in "小老阿" or bare[0] == bare[1]:
        return normalise_name(name)
    return normalise_name(pinyin_name(bare))


@lru_cache(maxsize=65536)
def _pinyin_place(name: str) -> str:
    """四川 → ``sichuan``, 四川省 → ``sichuan``: the place's pinyin without its administrative suffix."""
    from pypinyin import lazy_pinyin

    bare = _SPACES.sub("", name)
    if len(bare) < 2 or not all(HAN_RE.match(c) for c in bare):
        return normalise_name(name)  # 奥 and 澳 (Austria, Australia) sound alike: one character says too little
    for suffix in ("自治区", "特别行政区", "省", "市", "县"):
        if bare.endswith(suffix) and len(bare) - len(suffix) >= 2:
            bare = bare[:-len(suffix)]
            break
    return "".join(lazy_pinyin(bare)).lower()
