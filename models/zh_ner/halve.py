"""Store the Chinese NER's tok2vec weights in half precision (float16): the shipped size step.

    python models/zh_ner/halve.py models/zh_ner/model      # then: python models/stamp.py zh_ner

Rewrites ``tok2vec/model`` (thinc msgpack) with every float32 array as float16; newsnlp widens
them back to float32 on load (``newsnlp.entities.half.widen_half_params``). Measured on the
3,000 ``ner-zh`` dev sentences: the same entities, span for span (see README.md).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import srsly


def _halve(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _halve(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_halve(item) for item in value]
    if isinstance(value, np.ndarray) and value.dtype == np.float32:
        return value.astype(np.float16)
    return value


def halve(model_dir: Path) -> None:
    path = model_dir / "tok2vec" / "model"
    data = srsly.msgpack_loads(path.read_bytes())
    path.write_bytes(srsly.msgpack_dumps(_halve(data)))
    print(f"{path}: {path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    halve(Path(sys.argv[1] if len(sys.argv) > 1 else "models/zh_ner/model"))
