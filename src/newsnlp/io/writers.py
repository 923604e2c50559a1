"""Outputs written atomically: a temporary file beside the target, renamed when complete.

A run that is killed leaves the previous output (or none), never a half-written file.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from types import TracebackType
from typing import IO, Any


class AtomicJsonlWriter:
    """Write JSON lines to ``path`` atomically (``-`` writes to standard output directly).

    Example:
        >>> import tempfile, pathlib
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.jsonl"
        >>> with AtomicJsonlWriter(target) as out:
        ...     out.write({"id": 1})
        >>> target.read_text()
        '{"id": 1}\\n'
    """

    def __init__(self, path: str | Path) -> None:
        self.path = None if str(path) == "-" else Path(path)
        self.count = 0
        self._tmp: str | None = None
        self._handle: IO[str] | None = None

    def __enter__(self) -> "AtomicJsonlWriter":
        if self.path is None:
            self._handle = sys.stdout
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self._tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        self._handle = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        return self

    def write(self, record: dict[str, Any]) -> None:
        assert self._handle is not None, "use AtomicJsonlWriter as a context manager"
        self._handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.count += 1

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if self.path is None or self._handle is None:
            if self._handle is not None:
                self._handle.flush()
            return
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        assert self._tmp is not None
        if kind is None or kind is KeyboardInterrupt:
            os.replace(self._tmp, self.path)
        else:
            os.unlink(self._tmp)
