"""Model weights stored in half precision, widened to float32 when a spaCy pipeline loads.

The Chinese NER's hash-embedding tables hold most of its size; stored as float16 they take half
the space in the wheel (``models/zh_ner/halve.py`` writes them, its card gives the measurement:
the same entities on every dev sentence). spaCy reads float16 arrays as they are, and thinc's
layers compute in float32, so a loaded pipeline is widened once, right after ``spacy.load``.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def widen_half_params(nlp: Any) -> int:
    """Turn every float16 parameter of ``nlp``'s components into float32; return how many."""
    widened = 0
    for _, component in nlp.components:
        model = getattr(component, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for node in model.walk():
            for name in node.param_names:
                if node.has_param(name):
                    value = node.get_param(name)
                    if getattr(value, "dtype", None) == np.float16:
                        node.set_param(name, value.astype(np.float32))
                        widened += 1
    return widened


__all__ = ["widen_half_params"]
