"""Corpus overview: outlet, articles, sentences, words, removed lines."""

from __future__ import annotations

import pandas as pd

from .. import schema


def overview_from_articles(articles: pd.DataFrame) -> pd.DataFrame:
    """Per outlet: ``outlet, n_articles, n_sentences, n_words, n_lines_removed``, summed from
    per-article counts (columns ``n_sentences, n_words, n_lines_removed``), so chunks of a
    corpus add up."""
    out = articles.groupby("outlet", sort=True).agg(
        n_articles=("article_id", "size"), n_sentences=("n_sentences", "sum"),
        n_words=("n_words", "sum"), n_lines_removed=("n_lines_removed", "sum")).reset_index()
    for c in schema.OVERVIEW[1:]:
        out[c] = out[c].astype("int64")
    return out[schema.OVERVIEW]


def overview(articles: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """The overview table from the articles and their ``sentences`` table."""
    per_article = sentences.groupby("article_id").agg(n_sentences=("sentence_id", "size"),
                                                      n_words=("n_words", "sum"))
    a = articles[["article_id", "outlet", "n_lines_removed"]].merge(
        per_article, left_on="article_id", right_index=True, how="left").fillna(0)
    return overview_from_articles(a)
