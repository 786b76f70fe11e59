"""Errors that reach the user as one line, never as a traceback."""

from __future__ import annotations

from pathlib import Path


class FramingError(Exception):
    """Bad input or configuration: the message names the file (and row) and the problem."""

    def __init__(self, path: str | Path | None, problem: str, *, row: int | None = None):
        self.path = None if path is None else str(path)
        self.row = row
        self.problem = problem
        where = self.path or "input"
        if row is not None:
            where += f", line {row}"
        super().__init__(f"{where}: {problem}")
