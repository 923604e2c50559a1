"""The shipped models: where they live, what they are, and whether they are whole.

A wheel (``pip install .``, ``pip wheel``) carries each model's weights as package data under
``newsnlp/_models/<name>``; an editable install or a source checkout reads them from
``<repository>/models/<folder>``, where each model's recipe and card live. Each shipped folder
holds a stamp, ``newsnlp-model.json`` (written by ``models/stamp.py``): the model's name, version,
data terms, and the size and sha256 of every file, with one sha256 over them all. Nothing here
reads the environment: :class:`~newsnlp.config.Settings` does that.

Example:
    >>> model_dir("topics").name in ("topics", "default")
    True
    >>> model_info("topics").name
    'topics'
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from newsnlp.errors import ModelFormatError, ModelNotFoundError

#: Shipped model name → its folder under the repository's ``models/``.
SHIPPED_MODELS: dict[str, str] = {
    "en_ner": "en_ner/model",
    "en_ner_accurate": "en_ner_accurate/model",
    "zh_ner": "zh_ner/model",
    "topics": "topics/default",
    "quotes_en": "quotes_en/model",
    "pages": "pages/model",
}
#: The models only the accurate profile loads (by the entity stage).
ACCURATE_MODELS: tuple[str, ...] = ("en_ner_accurate",)
#: The override of each shipped model: its ``Settings`` field and environment variable.
OVERRIDES: dict[str, tuple[str, str]] = {
    "en_ner": ("en_ner_model", "NEWSNLP_EN_NER_MODEL"),
    "en_ner_accurate": ("en_ner_accurate_model", "NEWSNLP_EN_NER_ACCURATE_MODEL"),
    "zh_ner": ("zh_ner_model", "NEWSNLP_ZH_NER_MODEL"),
    "topics": ("topic_model", "NEWSNLP_TOPIC_MODEL"),
}
STAMP = "newsnlp-model.json"
_FIX = ("reinstall newsnlp (pip install --force-reinstall newsnlp, or from a checkout: pip install .), "
        "or point {setting} / ${env} at a model folder; Settings(allow_missing_models=True) runs without it")


@dataclass(frozen=True)
class ModelInfo:
    """What a model folder is: name, version, data terms, sha256 (of the stamp's file list)."""

    name: str
    path: Path
    version: str = "unknown"
    sha256: str | None = None
    terms: str = ""
    shipped: bool = True

    def to_dict(self) -> dict[str, Any]:
        """The short record kept in ``Article.meta["models"]``."""
        return {"name": self.name, "version": self.version, "sha256": self.sha256}


def model_dir(name: str) -> Path:
    """The folder of the shipped model ``name`` (it may be missing: :func:`check_model` says so)."""
    if name not in SHIPPED_MODELS:
        raise KeyError(f"no shipped model {name!r}; known: {sorted(SHIPPED_MODELS)}")
    packaged = Path(__file__).resolve().parent / "_models" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "models" / SHIPPED_MODELS[name]


def file_digests(folder: Path) -> dict[str, list[Any]]:
    """``{relative path: [size, sha256]}`` of every file in ``folder`` but the stamp."""
    out: dict[str, list[Any]] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != STAMP):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        out[path.relative_to(folder).as_posix()] = [path.stat().st_size, digest]
    return out


def digest_of(files: dict[str, list[Any]]) -> str:
    """One sha256 over a folder's file list (paths, sizes and digests)."""
    return hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()


@lru_cache(maxsize=32)
def _read_stamp(folder: Path) -> dict[str, Any] | None:
    path = folder / STAMP
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise ModelFormatError(f"unreadable model stamp: {error}", source=str(path)) from error
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        raise ModelFormatError("model stamp without a file list", source=str(path))
    return data


def model_info(name: str, folder: Path | str | None = None) -> ModelInfo:
    """The :class:`ModelInfo` of shipped model ``name`` (or of ``folder``, a replacement)."""
    path = Path(folder) if folder is not None else model_dir(name)
    stamp = _read_stamp(path.resolve()) if path.is_dir() else None
    if stamp is None:
        return ModelInfo(name, path, shipped=folder is None)
    return ModelInfo(name, path, str(stamp.get("version", "unknown")), stamp.get("sha256"),
                     str(stamp.get("terms", "")), shipped=folder is None)


def check_model(name: str, folder: Path | str | None = None, *, full: bool = False) -> ModelInfo:
    """Check that a model folder is there and whole; return its :class:`ModelInfo`.

    Every file of the stamp must be present with its size (cheap: run at start-up); with
    ``full=True`` its sha256 is checked too. A replacement folder without a stamp (a model of
    your own) is only checked to exist.

    Raises:
        ModelNotFoundError: the folder is missing or empty, naming the model and the fix.
        ModelFormatError: a file is missing, truncated or (``full``) changed.
    """
    info = model_info(name, folder)
    setting, env = OVERRIDES.get(name, ("", ""))
    fix = _FIX.format(setting=f"Settings.{setting}" if setting else "its setting", env=env or "its variable")
    if not info.path.is_dir() or not any(info.path.iterdir()):
        raise ModelNotFoundError(f"the {name} model is missing from {info.path}: {fix}", source=name)
    stamp = _read_stamp(info.path.resolve())
    if stamp is None:
        if info.shipped:
            raise ModelFormatError(f"the {name} model in {info.path} has no {STAMP}: {fix}", source=name)
        return info
    for relative, (size, digest) in stamp["files"].items():
        path = info.path / relative
        if not path.is_file() or path.stat().st_size != size:
            raise ModelFormatError(f"the {name} model is damaged ({relative} is missing or has the wrong size): "
                                   f"{fix}", source=name)
        if full and hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            raise ModelFormatError(f"the {name} model is damaged ({relative} changed): {fix}", source=name)
    return info


__all__ = ["ACCURATE_MODELS", "OVERRIDES", "SHIPPED_MODELS", "STAMP", "ModelInfo", "check_model", "digest_of", "file_digests",
           "model_dir", "model_info"]
