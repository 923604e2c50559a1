"""Typed error hierarchy.

Every error newsnlp raises on purpose derives from :class:`NewsNLPError`, so a
pipeline can catch the whole family in one place. Each carries a short,
actionable message and, where known, the file or record it concerns.

Example:
    >>> from newsnlp.errors import BinaryInputError, InputError, NewsNLPError
    >>> issubclass(BinaryInputError, InputError) and issubclass(InputError, NewsNLPError)
    True
"""

from __future__ import annotations


class NewsNLPError(Exception):
    """Base class of all newsnlp errors.

    Args:
        message: What went wrong and what to do about it.
        source: The file, record id or other origin the error concerns, if known.
    """

    code: str = "E000"

    def __init__(self, message: str, *, source: str | None = None) -> None:
        self.message = message
        self.source = source
        super().__init__(f"{source}: {message}" if source else message)


class ConfigError(NewsNLPError):
    """A setting is invalid or names something that is not installed."""

    code = "E001"


class ModelNotFoundError(ConfigError):
    """A model (spaCy pipeline, shipped newsnlp model) cannot be found offline."""

    code = "E002"


class ModelFormatError(NewsNLPError):
    """A model folder is malformed, of an unknown format, or was tampered with."""

    code = "E003"


class InputError(NewsNLPError):
    """An input cannot be turned into text to analyse."""

    code = "E100"


class EmptyInputError(InputError):
    """The input is empty or holds only whitespace."""

    code = "E101"


class BinaryInputError(InputError):
    """The input is binary data (an image, an archive, a compressed file...), not text."""

    code = "E102"


class DecodingError(InputError):
    """No supported text encoding decodes the input."""

    code = "E103"


class InputTooLargeError(InputError):
    """The input is larger than the configured ``max_bytes``."""

    code = "E104"


class RecordError(InputError):
    """A JSONL/CSV record is malformed (bad JSON, missing text field, wrong type)."""

    code = "E105"


class StageError(NewsNLPError):
    """An analysis stage failed on a document."""

    code = "E200"


def error_from_dict(error: dict[str, object] | None, *, source: str | None = None) -> NewsNLPError:
    """The typed error an error record describes (``{"type", "code", "message"}``), e.g. coming back
    from a worker process: :class:`EmptyInputError` stays an ``EmptyInputError``; an error of a
    type outside newsnlp becomes a :class:`NewsNLPError` naming that type in its message."""
    error = error or {}
    name = str(error.get("type", "NewsNLPError"))
    message = str(error.get("message", "failed"))
    kind = {k.__name__: k for k in _subclasses(NewsNLPError)}.get(name)  # subclasses of other modules too
    if kind is None:
        return NewsNLPError(message if message.startswith(name) else f"{name}: {message}", source=source)
    return kind(message, source=source)


def _subclasses(kind: type[NewsNLPError]) -> list[type[NewsNLPError]]:
    return [kind] + [sub for child in kind.__subclasses__() for sub in _subclasses(child)]


__all__ = [
    "BinaryInputError",
    "ConfigError",
    "DecodingError",
    "EmptyInputError",
    "InputError",
    "InputTooLargeError",
    "ModelFormatError",
    "ModelNotFoundError",
    "NewsNLPError",
    "RecordError",
    "StageError",
    "error_from_dict",
]
