"""Shared fixtures: the shared folder (skip when absent) and session-wide analyzers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSNLP_SHARED", ROOT.parent / "shared"))
SAMPLES = ROOT / "data" / "samples"


@pytest.fixture(scope="session")
def shared() -> Path:
    """``../shared`` (read-only data we may not copy); tests using it skip when it is absent."""
    if not (SHARED / "articles").is_dir():
        pytest.skip("../shared is not available")
    return SHARED


@pytest.fixture(scope="session")
def preprocessor():
    """An analyzer running preprocessing and tokenization only (no analysis stages)."""
    from newsnlp.pipeline import Analyzer

    return Analyzer(stages=())


@pytest.fixture(scope="session")
def full_analyzer():
    """An analyzer with every default stage."""
    from newsnlp.pipeline import Analyzer

    return Analyzer()
