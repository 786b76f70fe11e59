"""Measure tables: one module per family (overview, loaded terms and labels, contrasts,
actor sentiment)."""
