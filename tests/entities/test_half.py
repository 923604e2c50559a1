"""float16 weights are widened to float32 on load."""

from __future__ import annotations

import numpy as np
import pytest


def test_widen_half_params_on_a_blank_pipeline() -> None:
    spacy = pytest.importorskip("spacy")
    from newsnlp.entities.half import widen_half_params

    nlp = spacy.blank("en")
    nlp.add_pipe("tok2vec")
    nlp.initialize()
    model = nlp.get_pipe("tok2vec").model
    halved = 0
    for node in model.walk():
        for name in node.param_names:
            if node.has_param(name):
                node.set_param(name, node.get_param(name).astype(np.float16))
                halved += 1
    assert halved and widen_half_params(nlp) == halved
    assert all(node.get_param(name).dtype == np.float32 for node in model.walk()
               for name in node.param_names if node.has_param(name))
    assert widen_half_params(nlp) == 0


@pytest.mark.slow
def test_the_shipped_chinese_ner_runs_in_float32() -> None:
    from newsnlp.entities.chinese import default_zh_ner_path, load_zh_ner

    nlp = load_zh_ner(str(default_zh_ner_path()))
    dtypes = {node.get_param(name).dtype for _, pipe in nlp.pipeline if hasattr(pipe, "model")
              for node in pipe.model.walk() for name in node.param_names if node.has_param(name)}
    assert dtypes == {np.dtype("float32")}
    doc = nlp("国务院总理李强在北京会见了巴西总统卢拉。")
    assert {(e.text, e.label_) for e in doc.ents} >= {("李强", "PERSON"), ("北京", "LOC")}
