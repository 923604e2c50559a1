"""The notebooks run top to bottom, their plots are real pictures, and git holds them without outputs."""

from __future__ import annotations

import base64
from pathlib import Path

import matplotlib
import nbformat
import pytest

matplotlib.use("Agg")

import matplotlib.image as mpimg  # noqa: E402

pytestmark = pytest.mark.slow

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
# notebook → the least number of figures it must draw
EXPECTED_FIGURES = {"01_tour.ipynb": 4, "02_train_topics.ipynb": 1}


@pytest.mark.parametrize("name", sorted(EXPECTED_FIGURES))
def test_notebook_is_stored_without_outputs(name: str) -> None:
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{name}: clear the outputs"


@pytest.mark.parametrize("name", sorted(EXPECTED_FIGURES))
def test_notebook_runs_and_draws_its_figures(name: str, tmp_path: Path) -> None:
    from nbclient import NotebookClient

    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    NotebookClient(notebook, timeout=1200, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()  # raises on any cell error
    figures = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            png = output.get("data", {}).get("image/png")
            if png:
                path = tmp_path / f"figure{len(figures)}.png"
                path.write_bytes(base64.b64decode(png))
                figures.append(path)
    assert len(figures) >= EXPECTED_FIGURES[name]
    for path in figures:
        pixels = mpimg.imread(path)
        assert path.stat().st_size > 3000 and pixels.std() > 0.05, f"{name}: {path.name} is empty"
