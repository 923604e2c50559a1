"""Build hook: put the shipped models' weights into the wheel (metadata lives in pyproject.toml).

``models/`` is the home of each model's recipe and card; a wheel or a non-editable install needs
the weights inside the package, so ``build_py`` copies each folder named in
``src/newsnlp/shipped.py`` (``SHIPPED_MODELS``) to ``newsnlp/_models/<name>``, where
``newsnlp.shipped.model_dir`` finds them. An editable install reads ``models/`` in place.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


def _shipped_models() -> dict[str, str]:
    """``SHIPPED_MODELS`` read from the source without importing newsnlp (not installed yet)."""
    tree = ast.parse((ROOT / "src" / "newsnlp" / "shipped.py").read_text("utf-8"))
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", None) == "SHIPPED_MODELS":
            return dict(ast.literal_eval(node.value))  # type: ignore[arg-type]
    raise SystemExit("newsnlp build: SHIPPED_MODELS not found in src/newsnlp/shipped.py")


class BuildPyWithModels(build_py):
    """``build_py`` that also copies the model weights into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target_root = Path(self.build_lib) / "newsnlp" / "_models"
        for name, folder in _shipped_models().items():
            source = ROOT / "models" / folder
            if not (source.is_dir() and any(source.iterdir())):
                raise SystemExit(f"newsnlp build: the shipped model {name!r} is missing from {source}")
            target = target_root / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildPyWithModels})
