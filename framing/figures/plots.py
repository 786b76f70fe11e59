"""Axes-level plot functions, one per measure table."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .style import GREY, outlet_colors

__all__ = ["plot_overview"]


def _ax(ax, size=(6, 4)):
    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def plot_overview(overview, *, ax=None, colors=None):
    """Articles and words per outlet (the ``overview`` table): words as bars, n articles printed.

    Returns the Axes.
    """
    ax = _ax(ax)
    colors = colors or outlet_colors(overview["outlet"])
    df = overview.sort_values("outlet", ascending=False)
    y = np.arange(len(df))
    ax.barh(y, df["n_words"], color=[colors[o] for o in df["outlet"]])
    ax.set_yticks(y, df["outlet"])
    xmax = float(df["n_words"].max() or 1)
    for yi, (w, n, s) in enumerate(zip(df["n_words"], df["n_articles"], df["n_sentences"])):
        ax.text(w + xmax * 0.01, yi, f"{w:,} words · {n} article{'s' if n != 1 else ''} · "
                f"{s} sentences", va="center", fontsize=8.5)
    ax.set_xlim(0, xmax * 1.55)
    ax.set_xlabel("words after cleaning")
    ax.set_title("Corpus: words and articles per outlet")
    return ax
