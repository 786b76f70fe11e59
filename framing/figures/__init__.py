"""Plot functions: ``plot_<table>(table, *, ax=None, ...) -> Axes``. They draw from the table
only, never save, show or change global matplotlib state."""

from .plots import *  # noqa: F401,F403
