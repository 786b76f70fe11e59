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

    def __reduce__(self):
        # rebuilt from its arguments, so an error raised in a worker process reaches the
        # command line intact
        return (type(self), (self.path, self.problem), {"row": self.row, "args": self.args})

    def __setstate__(self, state):
        self.row = state["row"]
        self.args = state["args"]
