"""Corpus overview: outlet, articles, sentences, words, removed lines."""

from __future__ import annotations

import pandas as pd

from .. import schema


def overview(articles: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Per outlet: ``outlet, n_articles, n_sentences, n_words, n_lines_removed``.

    Sums of per-article counts, so chunks of a corpus add up.
    """
    per_article = sentences.groupby("article_id").agg(n_sentences=("sentence_id", "size"),
                                                      n_words=("n_words", "sum"))
    a = articles[["article_id", "outlet", "n_lines_removed"]].merge(
        per_article, left_on="article_id", right_index=True, how="left").fillna(0)
    out = a.groupby("outlet", sort=True).agg(
        n_articles=("article_id", "size"), n_sentences=("n_sentences", "sum"),
        n_words=("n_words", "sum"), n_lines_removed=("n_lines_removed", "sum")).reset_index()
    for c in schema.OVERVIEW[1:]:
        out[c] = out[c].astype("int64")
    return out[schema.OVERVIEW]
