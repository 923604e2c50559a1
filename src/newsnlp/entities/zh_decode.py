"""Greedy decoding of the Chinese NER's transition model in numpy, all states of a batch at once.

spaCy's ``EntityRecognizer`` decodes one character at a time in compiled code, but its compiled
validity checks take Python's GIL for every action of every state (Cython's error checks around
C++ calls): on this model that loop, not the network, was half of the entity stage. This module
runs the same greedy BILUO decoding over the same precomputed network outputs, one numpy step
per character position for all the paragraphs of a batch together:

* features of a state, as spaCy's ``set_context_tokens`` for NER: the next character, the first
  character of the open entity, the character before the next one (the last two only while an
  entity is open); summed from the lower layer's precomputed rows in spaCy's order, plus the
  bias, maxout, then the upper layer;
* valid actions, as ``ner.pyx`` for documents without preset entities or sentence starts (the
  entity stage's documents; anything else goes back to spaCy): no B or I on the last character,
  no B or U on whitespace, I and L only with the open entity's label, O only with none open;
* the best valid action (first of equal scores), then the entities of each paragraph are read
  off its actions (B…L, U).

The network runs through the same thinc layers as in spaCy (so the same numbers); only the small
upper product (hidden → 13 action scores) goes through numpy's BLAS instead of blis, whose sums
may differ in the last bit. The card of ``models/zh_ner`` gives the check: the same entities
as spaCy's decoder on every ner-zh dev sentence.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

_BEGIN, _IN, _LAST, _UNIT, _OUT = range(5)
_KINDS = {"B": _BEGIN, "I": _IN, "L": _LAST, "U": _UNIT}


class GreedyEntityDecoder:
    """The decoding of one spaCy ``ner`` component (greedy, BILUO, with an upper layer)."""

    def __init__(self, ner: Any) -> None:
        self.ner = ner
        model = ner.model
        self.tok2vec = model.get_ref("tok2vec")
        self.lower = model.get_ref("lower")
        self.upper_w = model.get_ref("upper").get_param("W")
        self.upper_b = model.get_ref("upper").get_param("b")
        kinds, labels = [], []
        self.label_names: list[str] = [""]
        for i in range(ner.moves.n_moves):
            name = ner.moves.get_class_name(i)
            kind, _, label = name.partition("-")
            kinds.append(_KINDS.get(kind, _OUT) if name != "O" else _OUT)
            if label and label not in self.label_names:
                self.label_names.append(label)
            labels.append(self.label_names.index(label) if label else 0)
        self.kinds = np.array(kinds)
        self.labels = np.array(labels)
        self._valid = self._validity_table()

    @classmethod
    def usable(cls, ner: Any) -> bool:
        """Whether this decoder reproduces ``ner``'s: greedy, no unseen classes, known actions."""
        model = ner.model
        try:
            names = [ner.moves.get_class_name(i) for i in range(ner.moves.n_moves)]
            return (ner.cfg.get("beam_width", 1) == 1 and model.attrs.get("has_upper")
                    and not model.attrs.get("unseen_classes") and model.get_ref("lower").get_dim("nF") == 3
                    and all(n == "O" or n[:2] in ("B-", "I-", "L-", "U-") for n in names))
        except (AttributeError, KeyError, ValueError):
            return False

    def _validity_table(self) -> np.ndarray:
        """Valid actions per state kind: rows 0-3 closed (last?, space?), then per open label (last?)."""
        kinds, labels, n_labels = self.kinds, self.labels, len(self.label_names)
        named = labels != 0
        rows = []
        for last in (False, True):
            for space in (False, True):
                rows.append(((kinds == _BEGIN) & named & (not last) & (not space))
                            | ((kinds == _UNIT) & named & (not space)) | (kinds == _OUT))
        for label in range(n_labels):
            for last in (False, True):
                rows.append(((kinds == _IN) & (labels == label) & named & (not last))
                            | ((kinds == _LAST) & (labels == label) & named))
        return np.array(rows)

    def __call__(self, docs: Sequence[Any]) -> list[list[tuple[int, int, str]]]:
        """Entities (start token, end token, label) of each doc, as spaCy's ``ner`` would set them."""
        lengths = np.array([len(doc) for doc in docs])
        out: list[list[tuple[int, int, str]]] = [[] for _ in docs]
        if not lengths.any():
            return out
        from spacy.attrs import ENT_IOB, IS_SPACE, SENT_START

        attrs = [doc.to_array([IS_SPACE, SENT_START, ENT_IOB]) for doc in docs]
        if any((a[1:, 1] == 1).any() or a[:, 2].any() for a in attrs if len(a)):
            raise ValueError("preset entities or sentence starts: decode with spaCy")
        cached = self.lower.predict(self.tok2vec.predict(list(docs)))
        n_feats, width = cached.shape[1], cached.shape[2] * cached.shape[3]
        table = cached.reshape(len(cached), n_feats, width)
        first, middle, before = table[:, 0], table[:, 1], table[:, 2]
        bias = self.lower.get_param("b").reshape(width)
        pieces = cached.shape[3]
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        order = np.argsort(-lengths, kind="stable")  # active states are always a prefix
        lengths_o, offsets_o = lengths[order], offsets[order]
        space = np.concatenate([a.reshape(-1, 3)[:, 0] for a in attrs]).astype(bool)
        n_states = int((lengths_o > 0).sum())
        is_open = np.zeros(n_states, dtype=bool)
        ent_start = np.zeros(n_states, dtype=np.int64)
        ent_label = np.zeros(n_states, dtype=np.int64)
        actions = np.zeros((n_states, int(lengths_o[0])), dtype=np.int64)
        upper_t = np.ascontiguousarray(self.upper_w.T)
        for step in range(int(lengths_o[0])):
            while n_states and lengths_o[n_states - 1] <= step:
                n_states -= 1
            states = slice(0, n_states)
            position = offsets_o[states] + step  # the next character, in the batch's rows
            opened = is_open[states]
            row_start = np.where(opened, offsets_o[states] + ent_start[states] + 1, 0)
            row_before = np.where(opened, position, 0)  # the character before the next (+1 - 1)
            unmaxed = first[position + 1] + middle[row_start] + before[row_before] + bias
            hidden = unmaxed[:, 0::pieces]  # maxout: the pieces of a unit are adjacent
            for piece in range(1, pieces):
                hidden = np.maximum(hidden, unmaxed[:, piece::pieces])
            scores = hidden @ upper_t + self.upper_b
            last = lengths_o[states] - 1 == step
            kind = np.where(opened, 4 + 2 * ent_label[states] + last, 2 * last + space[position])
            scores[~self._valid[kind]] = -np.inf
            guess = scores.argmax(axis=1)
            actions[states, step] = guess
            kinds, labels = self.kinds[guess], self.labels[guess]
            begin = kinds == _BEGIN
            ent_start[states][begin] = step  # (basic slices are views: these write through)
            ent_label[states][begin] = labels[begin]
            is_open[states] = (opened | begin) & ~(kinds == _LAST)
        for state, doc_index in enumerate(order[: int((lengths_o > 0).sum())]):
            out[doc_index] = self._entities(actions[state, : lengths_o[state]])
        return out

    def _entities(self, actions: np.ndarray) -> list[tuple[int, int, str]]:
        kinds = self.kinds[actions]
        found, start = [], 0
        for i in np.flatnonzero(kinds != _OUT).tolist():
            kind = kinds[i]
            if kind == _BEGIN:
                start = i
            elif kind == _LAST:
                found.append((start, i + 1, self.label_names[self.labels[actions[i]]]))
            elif kind == _UNIT:
                found.append((i, i + 1, self.label_names[self.labels[actions[i]]]))
        return found
