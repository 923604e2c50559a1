"""Canonical entities: mentions of one referent grouped under one name, for any language.

* PERSON: a short form (surname, first name, 温 for 温总理) joins the full name containing it
  (the nearest one before it when two full names share it); the canonical name is the fullest.
* PERSON (Chinese): a two-character given name joins the three-character name it ends (伯雄 → 吴伯雄).
* ORG: acronyms join the name they abbreviate (FBI → Federal Bureau of Investigation); a
  multi-word name joins a longer one it ends (Security Council → UN Security Council); a Chinese
  short form joins the name whose characters it keeps in order (湖大 → 湖南大学, 人社部 →
  人力资源和社会保障部, 国家禁毒委 → 国家禁毒委员会), but not a name of its own kind (中国银行 is
  not 中国建设银行).
* COUNTRY: one entity per ISO code, named by the fullest name used, else the common name.
* LOCATION and others: one entity per surface form.

Each entity gets its corpus-level ``key`` (:func:`newsnlp.entities.keys.entity_key`).

Example:
    >>> ms = [Candidate(0, 10, "Xi Jinping", "PERSON"), Candidate(20, 22, "Xi", "PERSON")]
    >>> [(e.name, len(e.mentions)) for e in group_entities(ms)]
    [('Xi Jinping', 2)]
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from newsnlp.chars import HAN_BASIC_RE
from newsnlp.entities.keys import entity_key
from newsnlp.model import Entity, Mention

_STOP = {"of", "the", "and", "for", "on", "in", "de", "&", "at", "to"}


@dataclass(frozen=True)
class Candidate:
    """A mention before grouping: source offsets, label, form and (countries) ISO code.

    ``key`` overrides the text used to group it (e.g. 温 for 温总理, a simplified form of a
    traditional name).
    """

    start: int
    end: int
    text: str
    label: str
    form: str = "name"
    iso: str | None = None
    key: str | None = None
    aliases: tuple[str, ...] = field(default=())

    @property
    def name(self) -> str:
        return self.key or self.text


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("’", "'").strip()


def _words(text: str) -> list[str]:
    if HAN_BASIC_RE.search(text):
        return [text]
    return [w for w in re.split(r"\s+", _fold(text)) if w]


def _acronym(text: str) -> str:
    words = [w for w in re.split(r"[\s\-]+", text) if w and w.lower() not in _STOP]
    return "".join(w[0] for w in words if w[0].isalpha()).upper()


# Suffixes that end a full organisation name: a short form ending in one is a name of its own.
_ZH_ORG_SUFFIXES = ("银行", "大学", "学院", "公司", "集团", "委员会", "协会", "联合会", "研究院", "研究所", "医院",
                    "中心", "政府", "法院", "检察院", "电视台", "日报", "晚报", "基金会", "证券", "保险")


def _zh_abbreviates(short: str, full: str) -> bool:
    """Whether the Chinese org name ``short`` abbreviates ``full`` (湖大 → 湖南大学, 建行 → 中国建设银行)."""
    if not (2 <= len(short) < len(full)) or not HAN_BASIC_RE.match(short) or short[0] not in full[:3]:
        return False
    if full.endswith(short):
        return False  # 国务院 in 美国国务院: a country's own body, kept apart (see the entity stage)
    if full.startswith(short):
        # 清华 → 清华大学, 国家禁毒委 → 国家禁毒委员会; not 国务院 → 国务院办公厅, a unit of its own.
        rest = full[len(short):]
        return rest in _ZH_ORG_SUFFIXES or any(x.startswith(short[-1] + rest) for x in _ZH_ORG_SUFFIXES)
    if any(short.endswith(x) and full.endswith(x) for x in _ZH_ORG_SUFFIXES) or short[-1] not in full[-3:]:
        return False
    chars = iter(full)
    return all(c in chars for c in short)


def _is_acronym(text: str) -> bool:
    bare = text.replace(".", "").replace("&", "")
    return 2 <= len(bare) <= 7 and bare.isupper() and bare.isalpha()


def group_entities(candidates: list[Candidate], *, gazetteer_name=None) -> list[Entity]:  # type: ignore[no-untyped-def]
    """Group candidate mentions into entities with canonical names, ordered by first mention.

    Args:
        candidates: Non-overlapping mentions in any order.
        gazetteer_name: ``f(iso) -> str`` naming a country known only by demonyms.
    """
    ordered = sorted(candidates, key=lambda c: (c.start, c.end))
    clusters: list[list[Candidate]] = []
    by_key: dict[tuple[str, str], int] = {}

    def join(key: tuple[str, str], cand: Candidate) -> None:
        if key in by_key:
            clusters[by_key[key]].append(cand)
        else:
            by_key[key] = len(clusters)
            clusters.append([cand])

    persons = [c for c in ordered if c.label == "PERSON"]
    _group_people(persons, clusters, by_key)
    orgs = [c for c in ordered if c.label == "ORG"]
    _group_orgs(orgs, clusters, by_key)
    for cand in ordered:
        if cand.label == "COUNTRY" and cand.iso:
            join(("COUNTRY", cand.iso), cand)
        elif cand.label not in ("PERSON", "ORG"):
            join((cand.label, _fold(cand.name).lower()), cand)

    entities = []
    for members in clusters:
        members.sort(key=lambda c: c.start)
        label = members[0].label
        iso = members[0].iso if label == "COUNTRY" else None
        name = _canonical(members, label, iso, gazetteer_name)
        aliases = tuple(dict.fromkeys(a for m in members for a in m.aliases))
        mentions = tuple(Mention(m.start, m.end, m.text, m.form) for m in members)
        entities.append((members[0].start, label, name, mentions, iso, aliases))
    entities.sort(key=lambda e: e[0])
    return [Entity(f"e{i}", label, name, mentions, iso, aliases, entity_key(label, name, iso=iso, aliases=aliases))
            for i, (_, label, name, mentions, iso, aliases) in enumerate(entities)]


def _is_full_name(name: str, given_names: set[str]) -> bool:
    if HAN_BASIC_RE.search(name):
        return len(name) >= 2 and name not in given_names
    return len(_words(name)) >= 2


def _group_people(persons: list[Candidate], clusters: list[list[Candidate]], by_key: dict) -> None:
    # 伯雄 after 吴伯雄: a Chinese given name used alone is a short form, like a surname.
    given_names = {c.name[1:] for c in persons if len(c.name) == 3 and all(HAN_BASIC_RE.match(ch) for ch in c.name)}
    full: list[tuple[int, list[str], int]] = []  # (start, words, cluster index)
    for cand in persons:
        words = _words(cand.name)
        if _is_full_name(cand.name, given_names):
            key = ("PERSON", " ".join(words).lower())
            # "Vladimir Putin" joins an earlier "Vladimir Vladimirovich Putin" and vice versa.
            match = next((idx for _, w, idx in full if len(words) >= 2 and len(w) >= 2
                          and w[0].lower() == words[0].lower() and w[-1].lower() == words[-1].lower()), None)
            if key in by_key:
                clusters[by_key[key]].append(cand)
            elif match is not None:
                by_key[key] = match
                clusters[match].append(cand)
            else:
                by_key[key] = len(clusters)
                clusters.append([cand])
            full.append((cand.start, words, by_key[key]))
    for cand in persons:
        if _is_full_name(cand.name, given_names):
            continue
        short = cand.name.lower()
        owners = [(start, idx) for start, w, idx in full
                  if (short in {x.lower() for x in w if x[:1].isupper()} if len(w) >= 2
                      else w[0].startswith(cand.name) or (len(w[0]) == 3 and w[0][1:] == cand.name))]
        if owners:
            before = [o for o in owners if o[0] <= cand.start]
            idx = max(before)[1] if before else min(owners)[1]
            clusters[idx].append(cand)
            continue
        key = ("PERSON", short)
        if key not in by_key:
            by_key[key] = len(clusters)
            clusters.append([])
        clusters[by_key[key]].append(cand)


def _group_orgs(orgs: list[Candidate], clusters: list[list[Candidate]], by_key: dict) -> None:
    long_forms: dict[str, str] = {}
    for cand in sorted(orgs, key=lambda c: -len(c.name)):
        folded = _fold(cand.name).lower().removeprefix("the ")
        if _is_acronym(cand.name):
            continue
        key = ("ORG", folded)
        if key in by_key:
            clusters[by_key[key]].append(cand)
            continue
        # A multi-word name that ends a longer one already seen ("Security Council"), a Chinese short form.
        parent = next((k for k in long_forms if len(folded.split()) >= 2 and k.endswith(" " + folded)), None)
        if parent is None and HAN_BASIC_RE.match(folded):
            parent = next((k for k in long_forms if _zh_abbreviates(folded, k)), None)
        if parent is not None:
            by_key[key] = by_key[("ORG", parent)]
            clusters[by_key[key]].append(cand)
            continue
        by_key[key] = len(clusters)
        clusters.append([cand])
        long_forms[folded] = _acronym(cand.name)
    for cand in orgs:
        if not _is_acronym(cand.name):
            continue
        bare = cand.name.replace(".", "").upper()
        key = ("ORG", bare.lower())
        parent = next((k for k, acr in long_forms.items() if acr == bare), None)
        if key in by_key:
            clusters[by_key[key]].append(cand)
        elif parent is not None:
            by_key[key] = by_key[("ORG", parent)]
            clusters[by_key[key]].append(cand)
        else:
            by_key[key] = len(clusters)
            clusters.append([cand])


def _canonical(members: list[Candidate], label: str, iso: str | None, gazetteer_name) -> str:  # type: ignore[no-untyped-def]
    names = [m for m in members if m.form == "name"] or members
    if label == "COUNTRY":
        # 中, 中方, 华 are abbreviations: a country known only by them takes its common name.
        names = [m for m in names if m.form == "name" and len(m.name) > 1 and not (HAN_BASIC_RE.search(m.name) and m.name.endswith("方"))]
        if not names and gazetteer_name and iso:
            return gazetteer_name(iso)
        names = names or members
        best = max(names, key=lambda m: (len(_words(m.name)), len(m.name)))
        return _fold(_as_written(best, names).name)
    if label == "ORG":
        full = [m for m in names if not _is_acronym(m.name)] or names
        best = max(full, key=lambda m: (len(m.name), -m.start))
        return re.sub(r"^(?:the|The)\s+", "", _fold(_as_written(best, full).name))
    best = max(names, key=lambda m: (len(_words(m.name)), len(m.name), -m.start))
    return _fold(_as_written(best, names).name)


def _as_written(best: Candidate, names: list[Candidate]) -> Candidate:
    """The same name as the body writes it when the chosen mention is in capitals (a headline).

    >>> from types import SimpleNamespace as M
    >>> _as_written(M(name="TED CRUZ"), [M(name="TED CRUZ"), M(name="Ted Cruz")]).name
    'Ted Cruz'
    """
    if not best.name.isupper() or len(best.name) <= 4:  # NATO, US: acronyms are written in capitals
        return best
    folded = best.name.casefold()
    return next((m for m in names if m.name.casefold() == folded and not m.name.isupper()), best)
