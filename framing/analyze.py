"""One pass over each article: sentences, quotation spans, loaded-term hits, actor mentions.

This is the per-article unit of work that :mod:`framing.build` streams in chunks and spreads
over processes; every measure is computed from the tables it returns.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

import pandas as pd

from . import schema
from .lexicon import actor_matcher, term_matcher
from .segment import Segmenter, segment_article


PROGRESS_MIN_ARTICLES = 200  # smaller corpora finish before a bar would help


@dataclass
class Analysis:
    """Tables of one analysed corpus (or chunk): ``sentences``, ``hits``, ``mentions``."""

    sentences: pd.DataFrame
    hits: pd.DataFrame
    mentions: pd.DataFrame


class Analyzer:
    """Holds the compiled segmenter and matchers for one configuration."""

    def __init__(self, config):
        self.config = config
        self.segmenter = Segmenter(config["segment"]["abbreviations"])
        self.terms = term_matcher(config.lexicon)
        self.actors = actor_matcher(config.actors)

    def matches(self, matcher, text, sent_rows, quote_spans):
        """Yield (start, end, payload, sentence_id, in_quote) for each match of ``matcher``
        in an article, dropping [ignore] phrases (an actor payload whose id is empty)."""
        starts = [r[4] for r in sent_rows]
        qs = [s for s, _ in quote_spans]
        qe = [e for _, e in quote_spans]
        for s, e, _, payload in matcher.finditer(text):
            if matcher is self.actors and not payload[0]:
                continue  # an [ignore] phrase: matched so it cannot count, then dropped
            k = bisect_right(qs, s) - 1
            yield s, e, payload, bisect_right(starts, s) - 1, k >= 0 and s < qe[k]

    def article(self, article_id, outlet, text):
        sent_rows, quote_spans = segment_article(article_id, outlet, text, self.segmenter)
        hits = [(article_id, sid, outlet, term, cat, text[s:e], s, e, q)
                for s, e, (term, cat), sid, q in
                self.matches(self.terms, text, sent_rows, quote_spans)]
        mentions = [(article_id, sid, outlet, actor, name, label, alias, s, e, q)
                    for s, e, (actor, name, label, alias), sid, q in
                    self.matches(self.actors, text, sent_rows, quote_spans)]
        return sent_rows, hits, mentions

    def run(self, articles: pd.DataFrame, progress=None) -> Analysis:
        from tqdm.auto import tqdm
        sents, hits, ments = [], [], []
        show = len(articles) >= PROGRESS_MIN_ARTICLES if progress is None else progress
        rows = zip(articles["article_id"], articles["outlet"], articles["text"])
        for aid, outlet, text in tqdm(rows, total=len(articles), desc="analysing",
                                      unit="art", disable=not show, leave=False):
            s, h, m = self.article(aid, outlet, text)
            sents.extend(s)
            hits.extend(h)
            ments.extend(m)
        return Analysis(_frame(sents, schema.SENTENCES), _frame(hits, schema.HITS),
                        _frame(ments, schema.MENTIONS))


def _frame(rows, columns):
    df = pd.DataFrame(rows, columns=columns)
    for col in ("sentence_id", "paragraph_id", "start", "end", "n_words", "n_words_quoted"):
        if col in df.columns:
            df[col] = df[col].astype("int64")
    if "in_quote" in df.columns:
        df["in_quote"] = df["in_quote"].astype(bool)
    return df


def analyze(articles: pd.DataFrame, config=None, *, progress=None) -> Analysis:
    """Segment and match every article, with a progress bar (in a terminal or a notebook)
    from 200 articles on, or as ``progress`` says.

    Returns
    -------
    Analysis
        ``sentences`` (see :func:`framing.segment.sentences`), ``hits`` (``article_id,
        sentence_id, outlet, term, category, match, start, end, in_quote``: one row per
        loaded-term occurrence) and ``mentions`` (``article_id, sentence_id, outlet, actor,
        actor_name, label, alias, start, end, in_quote``: one row per actor mention).
    """
    if config is None:
        from .config import load_config
        config = load_config()
    return Analyzer(config).run(articles, progress=progress)
