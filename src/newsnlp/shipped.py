"""Where the shipped models live: inside the installed package, or in the source tree's ``models/``.

A wheel (``pip install .``, ``pip wheel``) carries each model's weights as package data under
``newsnlp/_models/<name>``; an editable install or a source checkout reads them from
``<repository>/models/<folder>``, where each model's recipe and card live. Nothing here reads the
environment: :class:`~newsnlp.config.Settings` does that.

Example:
    >>> model_dir("topics").name in ("topics", "default")
    True
"""

from __future__ import annotations

from pathlib import Path

#: Shipped model name → its folder under the repository's ``models/``.
SHIPPED_MODELS: dict[str, str] = {
    "en_ner": "en_ner/model",
    "zh_ner": "zh_ner/model",
    "topics": "topics/default",
    "pages": "pages/model",
}


def model_dir(name: str) -> Path:
    """The folder of the shipped model ``name`` (it may be missing: loaders say so clearly)."""
    if name not in SHIPPED_MODELS:
        raise KeyError(f"no shipped model {name!r}; known: {sorted(SHIPPED_MODELS)}")
    packaged = Path(__file__).resolve().parent / "_models" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "models" / SHIPPED_MODELS[name]


__all__ = ["SHIPPED_MODELS", "model_dir"]
