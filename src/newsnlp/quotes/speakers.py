"""Speakers linked to entities: names, pronouns, "the president", anonymous sources.

Example:
    >>> from newsnlp.model import Entity, Mention
    >>> linker = SpeakerLinker([Entity("e0", "PERSON", "Volodymyr Zelenskyy", (Mention(0, 9, "Zelenskyy"),))])
    >>> linker.link(30, 32, 30, 32, "He").name
    'Volodymyr Zelenskyy'
"""

from __future__ import annotations

import bisect
import json
import re
from functools import lru_cache
from importlib import resources
from typing import Sequence

from newsnlp.model import Entity, Speaker

PRONOUNS_PERSON = {"he", "she", "him", "her", "his", "他", "她"}
# Which gender a pronoun asks of its antecedent ("f"/"m"); others take the nearest person.
_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "himself": "m", "she": "f", "her": "f", "hers": "f",
                   "herself": "f", "他": "m", "她": "f"}
_TITLE_GENDER = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "sir": "m", "madam": "f", "lady": "f", "lord": "m"}
_TITLE_BEFORE = re.compile(r"\b(Mr|Mrs|Ms|Miss|Sir|Madam|Lady|Lord)\.?\s+$")
_SPEAKER_LABELS = ("PERSON", "ORG", "COUNTRY")


@lru_cache(maxsize=1)
def given_names() -> dict[str, str]:
    """First name (lower case) → "f"/"m", from ``resources/given_names_en.json``."""
    data = json.loads(resources.files("newsnlp.resources").joinpath("given_names_en.json").read_text("utf-8"))
    return {**{n: "f" for n in data["female"]}, **{n: "m" for n in data["male"]}}


def person_gender(entity: Entity, text: str = "") -> str | None:
    """"f", "m" or None: a courtesy title before any mention ("Mrs. Clinton") wins, else the
    canonical name's first word in the given-name list."""
    for mention in entity.mentions:
        title = _TITLE_BEFORE.search(text[max(0, mention.start - 8):mention.start]) if text else None
        if title:
            return _TITLE_GENDER[title.group(1).lower()]
    first = entity.name.split()[0].lower().strip(".,") if entity.name.split() else ""
    return given_names().get(first)


class SpeakerLinker:
    """Resolves speaker spans (source offsets) to the article's entities."""

    def __init__(self, entities: Sequence[Entity], roles: frozenset[str] = frozenset(), text: str = "") -> None:
        self.text = text
        self._genders: dict[str, str | None] = {}
        self.mentions = sorted(
            ((m.start, m.end, e) for e in entities if e.label in _SPEAKER_LABELS for m in e.mentions),
            key=lambda item: item[0],
        )
        self.starts = [m[0] for m in self.mentions]
        self.roles = roles

    def _inside(self, start: int, end: int) -> list[tuple[int, int, Entity]]:
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end)
        return [m for m in self.mentions[lo:hi] if m[1] <= end]

    def _gender(self, entity: Entity) -> str | None:
        if entity.id not in self._genders:
            self._genders[entity.id] = person_gender(entity, self.text)
        return self._genders[entity.id]

    def _before(self, position: int, label: str = "PERSON", gender: str | None = None) -> Entity | None:
        """The nearest ``label`` entity mentioned before ``position``; with ``gender``, the nearest
        one not known to be of the other gender ('she' never resolves to Donald Trump)."""
        index = bisect.bisect_left(self.starts, position) - 1
        while index >= 0:
            entity = self.mentions[index][2]
            if entity.label == label and (gender is None or self._gender(entity) in (None, gender)):
                return entity
            index -= 1
        return None

    def link(self, start: int, end: int, head_start: int, head_end: int, text: str, head_text: str | None = None,
             determiner: str | None = None) -> Speaker:
        """A :class:`Speaker` for ``text[start:end]`` whose head word is at ``[head_start, head_end)``."""
        head = (head_text or text).lower()
        entity: Entity | None = None
        covering = [m for m in self._inside(min(start, head_start), max(end, head_end))
                    if m[0] <= head_start and head_end <= m[1] or m[0] >= head_start and m[1] <= head_end]
        if covering:
            # 外交部发言人汪文斌: the person named last in the phrase, before any organisation in it.
            rank = {label: i for i, label in enumerate(_SPEAKER_LABELS)}
            entity = min(covering, key=lambda m: (rank[m[2].label], -m[0]))[2]
        else:
            inside = self._inside(start, end)
            for label in _SPEAKER_LABELS:
                entity = next((m[2] for m in inside if m[2].label == label), None)
                if entity:
                    break
        if entity is None and head in PRONOUNS_PERSON:
            entity = self._before(start, gender=_PRONOUN_GENDER.get(head))
        elif entity is None and head in self.roles and (determiner or "").lower() in ("the", "this", "that", ""):
            entity = self._before(start)
        name = entity.name if entity else None
        return Speaker(start, end, text, name, entity.id if entity else None)
