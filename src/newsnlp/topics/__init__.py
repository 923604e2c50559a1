"""Topic classification: the shipped bilingual model, and models trained on your own labels.

Example:
    >>> import newsnlp.topics
    >>> records = [{"text": t, "label": l, "lang": "en"} for t, l in [
    ...     ("striker scores twice in cup final", "sport"), ("coach praises goalkeeper after win", "sport"),
    ...     ("central bank raises interest rates", "money"), ("shares fall as inflation rises", "money")] * 3]
    >>> model = newsnlp.topics.train(records)
    >>> model.predict(["goalkeeper saves penalty in the final"])
    ['sport']
    >>> round(newsnlp.topics.evaluate(model, records)["accuracy"], 2)
    1.0
"""

# Eager on purpose: ``newsnlp.topics.train`` must stay the function even once the ``train``
# submodule is imported (a lazy attribute would be shadowed by the submodule).
from newsnlp.topics.model import TopicModel, TopicModelError
from newsnlp.topics.train import evaluate, format_report, train

__all__ = ["TopicModel", "TopicModelError", "evaluate", "format_report", "train"]
