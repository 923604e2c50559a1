"""The country gazetteer: ISO 3166-1 names from pycountry plus our own alias lists.

Our maintained lists (``resources/country_aliases.json``, also reachable as
``data/gazetteers/``) add the short forms news uses (U.S., Britain, PRC), English demonyms
(Chinese, Ukrainians) and Chinese names and short forms (中国, 美方). pycountry adds every
official English name and its zh_CN translation.

Example:
    >>> g = country_gazetteer()
    >>> g.name_iso("U.S."), g.demonym_iso("Ukrainian"), g.name_iso("中方"), g.common_name("CN")
    ('US', 'UA', 'CN', 'China')
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class CountryGazetteer:
    """Surface form → ISO code tables (case-sensitive English, plus all-caps forms)."""

    names_en: dict[str, str]
    demonyms_en: dict[str, str]
    names_zh: dict[str, str]
    common_en: dict[str, str]
    common_zh: dict[str, str]
    ambiguous_en: frozenset[str]
    # Chinese short forms listed under several countries (巴方: Pakistan or Brazil), all their codes.
    shared_zh: dict[str, tuple[str, ...]]

    def name_iso(self, text: str) -> str | None:
        """ISO code of a country name or short form (English or Chinese), else ``None``."""
        return self.names_en.get(text) or self.names_zh.get(text)

    def demonym_iso(self, text: str) -> str | None:
        """ISO code of an English demonym (Chinese, Americans), else ``None``."""
        return self.demonyms_en.get(text)

    def common_name(self, iso: str, lang: str = "en") -> str:
        """The everyday name of a country (``China``, ``中国``)."""
        table = self.common_zh if lang == "zh" else self.common_en
        return table.get(iso, iso)


def _add(table: dict[str, str], form: str, iso: str, *, caps: bool = True) -> None:
    form = form.removeprefix("the ").removeprefix("The ")  # "the" stays outside spans
    table.setdefault(form, iso)
    if caps and form.upper() != form:
        table.setdefault(form.upper(), iso)


@lru_cache(maxsize=1)
def country_gazetteer() -> CountryGazetteer:
    """The gazetteer, built once per process."""
    import gettext

    import pycountry

    raw = json.loads(resources.files("newsnlp.resources").joinpath("country_aliases.json").read_text("utf-8"))
    names_en: dict[str, str] = {}
    demonyms_en: dict[str, str] = {}
    names_zh: dict[str, str] = {}
    common_en: dict[str, str] = {}
    common_zh: dict[str, str] = {}
    owners_zh: dict[str, list[str]] = {}
    for iso, entry in raw["countries"].items():
        for name in entry["en"]:
            _add(names_en, name, iso)
        for demonym in entry["demonyms"]:
            _add(demonyms_en, demonym, iso)
        for name in entry["zh"]:
            if len(name) >= 2:  # one-character abbreviations only count inside compounds
                names_zh.setdefault(name, iso)
                owners_zh.setdefault(name, []).append(iso)
        common_en[iso] = entry["en"][0]
        if entry["zh"]:
            common_zh[iso] = entry["zh"][0]
    try:
        zh = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    except OSError:  # pragma: no cover - pycountry always ships its locales
        zh = None
    for country in pycountry.countries:
        iso = country.alpha_2
        for attr in ("name", "common_name", "official_name"):
            name = getattr(country, attr, None)
            if name and "," not in name:
                _add(names_en, name, iso)
        common_en.setdefault(iso, getattr(country, "common_name", None) or country.name)
        if zh is not None:
            translated = zh.gettext(country.name)
            if translated != country.name:
                names_zh.setdefault(translated, iso)
                common_zh.setdefault(iso, translated)
    ambiguous = frozenset(raw.get("ambiguous_en", {}))
    shared = {name: tuple(isos) for name, isos in owners_zh.items() if len(isos) > 1}
    return CountryGazetteer(names_en, demonyms_en, names_zh, common_en, common_zh, ambiguous, shared)


@lru_cache(maxsize=1)
def zh_abbreviations() -> dict[str, str]:
    """One-character Chinese country abbreviations (中, 美, 华 …) → ISO code."""
    raw = json.loads(resources.files("newsnlp.resources").joinpath("country_aliases.json").read_text("utf-8"))
    out: dict[str, str] = {}
    for iso, entry in raw["countries"].items():
        for name in entry["zh"]:
            if len(name) == 1:
                out.setdefault(name, iso)
    return out
