"""Saving and loading topic models as plain data, never pickles.

A model folder holds ``model.json`` (format name and version, labels, per-language parameters,
metadata and the sha256 of the arrays) and ``arrays.npz`` (vocabularies as UTF-8 bytes, IDF vectors,
weights and the optional short-text parts). Loading reads the arrays with
``np.load(..., allow_pickle=False)`` and checks the hash and every array's dtype and shape against
``model.json`` before use, so a foreign, tampered or truncated folder is refused with
``TopicModelError``.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .encoder import TextEncoder, encoder_from_arrays
from .features import AnalyzerSpec
from .linear import LangModel, split_coefficients
from .neural import NeuralHead, dequantize_rows, quantize_rows
from .short import FineLinear
from newsnlp.errors import ModelFormatError

FORMAT_NAME = "newsnlp-topic-model"
# 2 added the optional neural head, 3 the fine-label linear part, 4 the encoder, 5 stores the linear
# coefficients in int8 with a scale per feature (half the size; the same predictions); all still load
FORMAT_VERSION = 5
SUPPORTED_VERSIONS = (1, 2, 3, 4, 5)
MODEL_FILE = "model.json"
ARRAYS_FILE = "arrays.npz"
LANGUAGES = ("en", "zh")


class TopicModelError(ModelFormatError, ValueError):
    """A topic model could not be trained, saved or loaded (bad folder, format or content)."""


def sha256(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_model(folder: Path, labels: list[str], models: dict[str, LangModel], metadata: dict[str, Any]) -> Path:
    """Write ``model.json`` and ``arrays.npz`` for ``models`` into ``folder`` (created if needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray] = {"labels": np.array(labels, dtype=str)}
    langs_json: dict[str, Any] = {}
    for lang, m in models.items():
        p = f"{lang}."
        arrays[p + "labels"] = np.array(m.labels, dtype=str)
        arrays[p + "coef_q"], arrays[p + "coef_scale"] = quantize_rows(np.concatenate([m.coef, m.coef_long], axis=1))
        arrays[p + "intercept"] = m.intercept.astype(np.float32)
        arrays[p + "long_bias"] = m.long_bias.astype(np.float32)
        for k, spec in enumerate(m.specs):
            if any("\n" in term for term in spec.vocabulary):
                raise TopicModelError("vocabulary terms must not contain newlines")
            arrays[f"{p}vocab{k}"] = np.frombuffer("\n".join(spec.vocabulary).encode("utf-8"), dtype=np.uint8)
            arrays[f"{p}idf{k}"] = spec.idf.astype(np.float32)
        head = m.neural
        if head is not None:
            arrays.update(head.to_arrays(p + "nn_"))
        fine = m.fine
        if fine is not None:
            arrays.update(fine.to_arrays(p + "fl_"))
        langs_json[lang] = {
            "labels": m.labels,
            "analyzers": [dict(s.params(), vocab_size=len(s.vocabulary)) for s in m.specs],
            "temperature": m.temperature,
            "long_chars": m.long_chars,
            "max_chars": m.max_chars,
            "info": m.info,
        }
        if head is not None:
            langs_json[lang]["neural"] = {"fine_labels": head.fine_labels, "dim": int(head.b1.shape[0]),
                                          "temperature": head.temperature, "weight": head.weight,
                                          "max_chars": head.max_chars}
        if m.encoder is not None:
            arrays.update(m.encoder.to_arrays(p + "enc_"))
            langs_json[lang]["encoder"] = m.encoder.params()
        if fine is not None:
            langs_json[lang]["fine_linear"] = {"fine_labels": fine.fine_labels, "temperature": fine.temperature,
                                               "weight": fine.weight, "max_chars": fine.max_chars}
    _write_npz(folder / ARRAYS_FILE, arrays)
    doc = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "labels": labels,
        "languages": langs_json,
        "arrays_sha256": sha256(folder / ARRAYS_FILE),
        "metadata": metadata,
    }
    (folder / MODEL_FILE).write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return folder


def read_model(folder: Path) -> tuple[list[str], dict[str, LangModel], dict[str, Any]]:
    """The labels, per-language models and metadata saved in ``folder``.

    Refuses (``TopicModelError``) anything missing, unknown, malformed or tampered with.
    """
    doc = _read_model_json(folder)
    arrays_path = folder / ARRAYS_FILE
    if not arrays_path.is_file():
        raise TopicModelError(f"{arrays_path}: missing file")
    if sha256(arrays_path) != doc.get("arrays_sha256"):
        raise TopicModelError(f"{arrays_path}: sha256 does not match model.json (file changed or corrupt)")
    try:
        with np.load(arrays_path, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except (ValueError, OSError) as exc:
        raise TopicModelError(f"{arrays_path}: unreadable arrays ({exc})") from exc
    labels = doc.get("labels")
    if not isinstance(labels, list) or labels != sorted(set(labels)) or not labels:
        raise TopicModelError("model.json: 'labels' must be a non-empty sorted list of distinct labels")
    if arrays.get("labels") is None or arrays["labels"].tolist() != labels:
        raise TopicModelError("label list in arrays.npz does not match model.json")
    models = {}
    langs = doc.get("languages")
    if not isinstance(langs, dict) or not langs or not set(langs) <= set(LANGUAGES):
        raise TopicModelError(f"model.json: 'languages' must map some of {LANGUAGES} to parameters")
    for lang, params in langs.items():
        models[lang] = _build_lang_model(lang, params, arrays, labels)
    return labels, models, doc.get("metadata") or {}


def _write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Like ``np.savez_compressed``, but the int8 neural embeddings and encoder weights are stored uncompressed.

    They barely compress (about 1%) and inflating them would nearly double the load time. The
    result is an ordinary ``.npz`` file (a zip of ``.npy`` files) that ``np.load`` reads.
    """
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for key, arr in arrays.items():
            info = zipfile.ZipInfo(key + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            stored = key.endswith(".nn_emb") or (".enc_" in key and key.endswith("_q"))
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            with zf.open(info, "w", force_zip64=True) as f:
                np.lib.format.write_array(f, np.asanyarray(arr), allow_pickle=False)


def _linear_coefficients(arrays: dict[str, np.ndarray], p: str, n_feat: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The short-text and long-text coefficient matrices: int8 rows (format 5) or float16 (1-4)."""
    if p + "coef_q" not in arrays:
        return (_array(arrays, p + "coef", np.float16, (n_feat, k)).astype(np.float32),
                _array(arrays, p + "coef_long", np.float16, (n_feat, k)).astype(np.float32))
    return split_coefficients(dequantize_rows(_array(arrays, p + "coef_q", np.int8, (n_feat, 2 * k)),
                                              _array(arrays, p + "coef_scale", np.float32, (n_feat,))), k)


def _read_model_json(folder: Path) -> dict[str, Any]:
    path = folder / MODEL_FILE
    if not path.is_file():
        raise TopicModelError(f"{path}: missing file (not a topic model folder?)")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise TopicModelError(f"{path}: not valid JSON ({exc})") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT_NAME:
        raise TopicModelError(f"{path}: unknown format {doc.get('format') if isinstance(doc, dict) else None!r}; "
                              f"expected {FORMAT_NAME!r}")
    if doc.get("format_version") not in SUPPORTED_VERSIONS:
        raise TopicModelError(f"{path}: unsupported format_version {doc.get('format_version')!r}; "
                              f"this newsnlp reads versions {', '.join(map(str, SUPPORTED_VERSIONS))}")
    return doc


def _array(arrays: dict[str, np.ndarray], key: str, dtype: Any, shape: tuple[int, ...]) -> np.ndarray:
    arr = arrays.get(key)
    if arr is None:
        raise TopicModelError(f"arrays.npz: missing array {key!r}")
    if arr.dtype != np.dtype(dtype) or arr.shape != shape:
        raise TopicModelError(f"arrays.npz: {key!r} has dtype {arr.dtype} and shape {arr.shape}; "
                              f"expected {np.dtype(dtype)} and {shape}")
    return arr


def _build_lang_model(lang: str, params: dict[str, Any], arrays: dict[str, np.ndarray], labels: list[str]) -> LangModel:
    p = f"{lang}."
    try:
        lang_labels = list(params["labels"])
        specs = []
        for k, a in enumerate(params["analyzers"]):
            raw = arrays.get(f"{p}vocab{k}")
            if raw is None or raw.dtype != np.uint8 or raw.ndim != 1:
                raise TopicModelError(f"arrays.npz: missing or malformed {p}vocab{k}")
            vocab = raw.tobytes().decode("utf-8").split("\n") if raw.size else []
            if len(vocab) != a["vocab_size"]:
                raise TopicModelError(f"arrays.npz: {p}vocab{k} has {len(vocab)} terms, model.json says {a['vocab_size']}")
            idf = _array(arrays, f"{p}idf{k}", np.float32, (len(vocab),))
            specs.append(AnalyzerSpec(a["kind"], tuple(a["ngram_range"]), a["min_df"], a["max_features"], vocab, idf))
        temperature, long_chars, max_chars = float(params["temperature"]), int(params["long_chars"]), int(params["max_chars"])
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, TopicModelError):
            raise
        raise TopicModelError(f"model.json: bad parameters for language {lang!r} ({exc!r})") from exc
    if not lang_labels or not set(lang_labels) <= set(labels):
        raise TopicModelError(f"model.json: labels of {lang!r} are not a subset of the model's labels")
    if (arrays.get(p + "labels") is None) or arrays[p + "labels"].tolist() != lang_labels:
        raise TopicModelError(f"label list of {lang!r} in arrays.npz does not match model.json")
    n_feat = sum(len(s.vocabulary) for s in specs) if any(s.vocabulary for s in specs) else 0
    k = len(lang_labels)
    neural = _build_head(lang, params.get("neural"), arrays, n_feat, k)
    coef, coef_long = _linear_coefficients(arrays, p, n_feat, k)
    fine = _build_fine(lang, params.get("fine_linear"), arrays, n_feat, k)
    encoder = _build_encoder(lang, params.get("encoder"), arrays, n_feat, k)
    return LangModel(
        labels=lang_labels,
        specs=specs,
        coef=coef,
        coef_long=coef_long,
        intercept=_array(arrays, p + "intercept", np.float32, (k,)),
        long_bias=_array(arrays, p + "long_bias", np.float32, (k,)),
        temperature=temperature,
        long_chars=long_chars,
        max_chars=max_chars,
        info=dict(params.get("info") or {}),
        neural=neural,
        fine=fine,
        encoder=encoder,
    )


def _short_part(lang: str, params: Any, arrays: dict[str, np.ndarray], n_feat: int, n_labels: int, *, entry: str,
                prefix: str, extra: Sequence[str] = ()) -> dict[str, Any] | None:
    """Checked parameters of one short-text part of ``lang`` (the ``entry`` of model.json, arrays
    ``lang.prefix*``): fine labels, their coarse ``label_map``, temperature, weight, max_chars and the
    integer ``extra`` parameters; None if the model has no such part."""
    p = f"{lang}."
    if params is None:
        if any(key.startswith(p + prefix) for key in arrays):
            raise TopicModelError(f"arrays.npz: {prefix}* arrays for {lang!r} but no {entry!r} entry in model.json")
        return None
    try:
        part: dict[str, Any] = {"fine_labels": [str(f) for f in params["fine_labels"]], "temperature": float(params["temperature"]),
                "weight": float(params["weight"]), "max_chars": int(params["max_chars"])}
        part.update({name: int(params[name]) for name in extra})
    except (KeyError, TypeError, ValueError) as exc:
        raise TopicModelError(f"model.json: bad {entry} parameters for language {lang!r} ({exc!r})") from exc
    fine = part["fine_labels"]
    if (len(fine) < 2 or len(set(fine)) != len(fine) or not 0.0 <= part["weight"] <= 1.0 or n_feat == 0
            or any(part[name] <= 0 for name in extra)):
        raise TopicModelError(f"model.json: bad {entry} parameters for language {lang!r}")
    label_map = _array(arrays, p + prefix + "map", np.int32, (len(fine),))
    if label_map.min() < 0 or label_map.max() >= n_labels:
        raise TopicModelError(f"arrays.npz: {p}{prefix}map points outside the labels of {lang!r}")
    part["label_map"] = label_map
    return part


def _build_fine(lang: str, params: Any, arrays: dict[str, np.ndarray], n_feat: int, n_labels: int) -> FineLinear | None:
    """The fine-label linear part of ``lang`` (format version 3), or None if it has none."""
    part = _short_part(lang, params, arrays, n_feat, n_labels, entry="fine_linear", prefix="fl_")
    if part is None:
        return None
    p, n_fine = f"{lang}.", len(part["fine_labels"])
    return FineLinear(coef_q=_array(arrays, p + "fl_coef", np.int8, (n_feat, n_fine)),
                      coef_scale=_array(arrays, p + "fl_scale", np.float32, (n_feat,)),
                      intercept=_array(arrays, p + "fl_intercept", np.float32, (n_fine,)), **part)


def _build_head(lang: str, params: Any, arrays: dict[str, np.ndarray], n_feat: int, n_labels: int) -> NeuralHead | None:
    """The neural head of ``lang`` from model.json parameters and arrays, or None if it has none."""
    part = _short_part(lang, params, arrays, n_feat, n_labels, entry="neural", prefix="nn_", extra=("dim",))
    if part is None:
        return None
    p, n_fine, dim = f"{lang}.", len(part["fine_labels"]), part.pop("dim")
    return NeuralHead(emb_q=_array(arrays, p + "nn_emb", np.int8, (n_feat, dim)),
                      emb_scale=_array(arrays, p + "nn_scale", np.float32, (n_feat,)),
                      b1=_array(arrays, p + "nn_b1", np.float32, (dim,)),
                      w2=_array(arrays, p + "nn_w2", np.float32, (dim, n_fine)),
                      b2=_array(arrays, p + "nn_b2", np.float32, (n_fine,)), **part)


def _build_encoder(lang: str, params: Any, arrays: dict[str, np.ndarray], n_feat: int, n_labels: int
                   ) -> TextEncoder | None:
    """The fine-tuned encoder of ``lang`` (format version 4), or None if it has none."""
    part = _short_part(lang, params, arrays, n_feat, n_labels, entry="encoder", prefix="enc_",
                       extra=("layers", "heads", "width", "inner", "max_len", "vocab_size"))
    if part is None:
        return None
    part["lowercase"], part["strip_accents"] = bool(params.get("lowercase")), bool(params.get("strip_accents"))
    try:
        return encoder_from_arrays(part, arrays, f"{lang}.enc_", lambda key, dtype, shape: _array(arrays, key, dtype, shape))
    except (ValueError, UnicodeDecodeError) as exc:
        if isinstance(exc, TopicModelError):
            raise
        raise TopicModelError(f"arrays.npz: bad encoder for {lang!r} ({exc})") from exc
