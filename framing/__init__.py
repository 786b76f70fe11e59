"""framing: comparative media-framing analysis across outlets.

The flow is one of tidy tables::

    articles = framing.read_corpus("seeds")                 # articles (cleaned text)
    an = framing.analyze(articles)                          # sentences, hits, mentions
    rates = framing.term_rates(an.hits, an.sentences)       # loaded terms per outlet & voice
    shares = framing.label_shares(an.mentions)              # label choice per actor
    counts = framing.ngram_counts(articles, an.sentences)   # n-gram counts per article
    lo = framing.log_odds(counts)                           # weighted log-odds z
    scored = framing.score_mentions(an.mentions, an.sentences)
    sent = framing.actor_sentiment(scored)                  # per outlet x actor

Every figure has a ``framing.figures.plot_*`` function that draws from one of these tables.
"""

__version__ = "0.1.0"

from .analyze import Analysis, analyze
from .config import load_config
from .corpus import clean_articles, cleaning_report, read_corpus
from .errors import FramingError
from .measures.contrasts import log_odds, ngram_counts, tfidf
from .measures.loaded import kwic, label_shares, term_rates
from .measures.overview import overview
from .measures.sentiment import actor_sentiment, evaluate, evidence, score_mentions
from .segment import quotes, sentences, tokens

__all__ = ["read_corpus", "clean_articles", "cleaning_report", "analyze", "Analysis",
           "load_config", "sentences", "tokens", "quotes", "overview", "term_rates",
           "label_shares", "kwic", "ngram_counts", "log_odds", "tfidf", "score_mentions",
           "actor_sentiment", "evidence", "evaluate", "FramingError"]
