"""The only place that writes files: atomic, deterministic CSV and PNG output."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt


def _atomic(path: Path, write):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def write_csv(df, path):
    """Write a table as CSV atomically, with stable float formatting and line endings."""
    return _atomic(path, lambda tmp: df.to_csv(tmp, index=False, float_format="%.6g",
                                               lineterminator="\n"))


def write_png(fig, path, dpi=110):
    """Save a figure atomically without metadata that changes between runs, then close it."""
    def save(tmp):
        fig.savefig(tmp, format="png", dpi=dpi, metadata={"Software": None})
    try:
        return _atomic(path, save)
    finally:
        plt.close(fig)


def write_text(text, path):
    def save(tmp):
        Path(tmp).write_text(text, encoding="utf-8")
    return _atomic(path, save)
