"""One place for style: the outlet palette and the rc settings used inside `with` blocks."""

from __future__ import annotations

import contextlib

import matplotlib as mpl

RC = {
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "svg.hashsalt": "framing",
}
GREY = "#bbbbbb"
NEUTRAL = "#888888"


@contextlib.contextmanager
def style():
    with mpl.rc_context(RC):
        yield


def outlet_colors(outlets, settings=None) -> dict:
    """A fixed colour per outlet: the configured one, else the palette in sorted order."""
    if settings is None:
        from ..config import load_config
        settings = load_config().settings
    fixed = {k: v for k, v in settings["outlets"]["colors"].items() if k != "__open__"}
    palette = settings["outlets"]["palette"]
    out = {}
    k = 0
    used = set(fixed.values())
    free = [c for c in palette if c not in used] or palette
    for o in sorted(set(outlets)):
        if o in fixed:
            out[o] = fixed[o]
        else:
            out[o] = free[k % len(free)]
            k += 1
    return out
