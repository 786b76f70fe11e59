"""Which words set each outlet apart: TF-IDF and weighted log-odds with an informative
Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words", Political Analysis 16:372-403).

Both start from n-gram counts per article that add up per outlet (:func:`ngram_counts`).

**What idf means with few outlets.** At outlet level each outlet's text is pooled into one
document, so with five outlets idf can take only five values: ``idf = ln((1 + 5) / (1 + df)) + 1``
where df is the number of outlets using the term. A term used by every outlet is not
down-weighted to zero, only to 1, and any term used by a single outlet gets the same maximum
boost whether it occurs once or fifty times. TF-IDF therefore ranks by "frequent here, rare
elsewhere" coarsely; the weighted log-odds accounts for how much evidence there is, which is
why it is the default contrast. Article-level TF-IDF (each article a document, averaged per
outlet) has a finer idf but is dominated by long articles' topics when outlets have few
articles.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd

from ..lexicon import Matcher
from ..segment import WORD

CONTRAST_COLUMNS = ["outlet", "vs", "term", "n", "n_vs", "measure", "score", "rank"]


class NgramCounter:
    """Turn cleaned article text into n-gram counts.

    Lower-cased words (hyphenated compounds kept whole, possessive 's removed, numbers
    dropped), stop words removed; bigrams join two adjacent kept words of one sentence, so no
    bigram spans a removed stop word, a sentence end or a masked outlet name. Mentions of the
    outlets' own names ('told Majalla') are masked: an outlet's name is not a framing choice.
    """

    def __init__(self, *, ngram_range=(1, 2), stop_words="english", mask=()):
        self.ngram_range = tuple(ngram_range)
        if stop_words == "english":
            from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
            stop_words = ENGLISH_STOP_WORDS
        self.stop_words = frozenset(stop_words or ())
        names = {}
        for name in mask:
            names[name] = True
            if name.lower().startswith("the "):
                names[name[4:]] = True
        self._mask = Matcher(names) if names else None

    def tokens(self, text, spans):
        """Lists of kept tokens (None marks a break) for each (start, end) sentence span."""
        low = text.lower()
        if len(low) != len(text):  # keep offsets: fold only characters that stay one char
            low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        low = _POSSESSIVE.sub("  ", low)  # "iran's" -> "iran  ": same length, same offsets
        masked = [] if self._mask is None else [(s, e) for s, e, _, _ in
                                                self._mask.finditer(text)]
        stop = self.stop_words
        findall = WORD.findall
        out = []
        for s0, e0 in spans:
            pieces = [(s0, e0)]
            if masked:  # cut the sentence around masked names, leaving a break
                pieces, at = [], s0
                for ms, me in masked:
                    if me <= s0 or ms >= e0:
                        continue
                    pieces.append((at, max(at, ms)))
                    at = max(at, me)
                pieces.append((at, e0))
            seq = []
            for k, (a, b) in enumerate(pieces):
                if k:
                    seq.append(None)
                seq += [None if w in stop or (w[0].isdigit() and
                                             w.translate(_SEPARATORS).isdigit()) else w
                        for w in findall(low, a, b)]
            out.append(seq)
        return out

    def count(self, text, spans, into: Counter | None = None) -> Counter:
        lo, hi = self.ngram_range
        c = Counter() if into is None else into
        for seq in self.tokens(text, spans):
            if lo <= 1 <= hi:
                c.update([w for w in seq if w is not None])
            if hi >= 2:
                c.update([a + " " + b for a, b in zip(seq, seq[1:])
                          if a is not None and b is not None])
        return c


_SEPARATORS = str.maketrans("", "", ".-'’")
_POSSESSIVE = re.compile(r"(?<=[^\W_])['’]s(?![^\W_])")


def ngram_counts(articles, sentences, *, counter: NgramCounter | None = None,
                 outlet_names=True) -> pd.DataFrame:
    """n-gram counts per article: ``article_id, outlet, term, n`` (sums give outlet counts)."""
    if counter is None:
        counter = NgramCounter(mask=sorted(articles["outlet"].unique()) if outlet_names else ())
    spans = {aid: list(zip(g["start"], g["end"])) for aid, g in
             sentences.groupby("article_id", sort=False)}
    rows = []
    for aid, outlet, text in zip(articles["article_id"], articles["outlet"], articles["text"]):
        for term, n in sorted(counter.count(text, spans.get(aid, [])).items()):
            rows.append((aid, outlet, term, n))
    return pd.DataFrame(rows, columns=["article_id", "outlet", "term", "n"])


def outlet_term_matrix(counts: pd.DataFrame, min_count=1):
    """Outlet x term count matrix (dense ndarray), outlets and terms sorted."""
    tot = counts.groupby("term")["n"].sum()
    keep = tot[tot >= min_count].index
    c = counts[counts["term"].isin(keep)]
    m = c.pivot_table(index="outlet", columns="term", values="n", aggfunc="sum", fill_value=0)
    m = m.sort_index().sort_index(axis=1)
    return m.index.to_list(), m.columns.to_list(), m.to_numpy(dtype=float)


def _rank(df, by="score"):
    df = df.sort_values(["outlet", "vs", "measure", by, "term"],
                        ascending=[True, True, True, False, True], kind="stable")
    df["rank"] = df.groupby(["outlet", "vs", "measure"]).cumcount() + 1
    return df.reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# TF-IDF
# --------------------------------------------------------------------------------------------

def tfidf(counts: pd.DataFrame, *, min_count=3, level="outlet") -> pd.DataFrame:
    """TF-IDF per outlet with scikit-learn's ``TfidfTransformer`` (smooth idf, l2 norm).

    ``level="outlet"``: each outlet's text pooled as one document (measure ``tfidf``).
    ``level="article"``: each article a document, the vectors averaged per outlet (measure
    ``tfidf_article``). See the module docstring for what idf means with few outlets.

    Returns
    -------
    DataFrame
        ``outlet, vs, term, n, n_vs, measure, score, rank`` with ``vs = "corpus"``.
    """
    from scipy import sparse  # scikit-learn and scipy load only when TF-IDF is computed
    from sklearn.feature_extraction.text import TfidfTransformer
    outlets, terms, m = outlet_term_matrix(counts, min_count)
    tot = m.sum(axis=0)
    if level == "outlet":
        x = TfidfTransformer().fit_transform(sparse.csr_matrix(m)).toarray()
        measure = "tfidf"
    else:
        c = counts[counts["term"].isin(set(terms))]
        art = c.pivot_table(index=["outlet", "article_id"], columns="term", values="n",
                            aggfunc="sum", fill_value=0).reindex(columns=terms, fill_value=0)
        a = TfidfTransformer().fit_transform(sparse.csr_matrix(art.to_numpy(float))).toarray()
        x = pd.DataFrame(a, index=art.index.get_level_values(0)).groupby(level=0).mean()
        x = x.reindex(outlets).to_numpy()
        measure = "tfidf_article"
    rows = []
    for i, o in enumerate(outlets):
        nz = np.nonzero(m[i])[0]
        for j in nz:
            rows.append((o, "corpus", terms[j], int(m[i, j]), int(tot[j] - m[i, j]), measure,
                         float(x[i, j])))
    return _rank(pd.DataFrame(rows, columns=CONTRAST_COLUMNS[:-1]))


# --------------------------------------------------------------------------------------------
# weighted log-odds, informative Dirichlet prior
# --------------------------------------------------------------------------------------------

def log_odds_dirichlet(y_i, y_j, alpha):
    """Weighted log-odds-ratio of each word between groups i and j (Monroe et al. 2008, 3.5.3).

    Notation of the paper, topic subscript k dropped: ``y_i``, ``y_j`` word counts in groups
    i and j; ``alpha`` the Dirichlet prior's pseudo-counts alpha_w, alpha_0 = sum_w alpha_w.
    Equation numbers as transcribed by tidylo (``bind_log_odds``).

    Returns (delta, sigma2, z), arrays over words.
    """
    y_i = np.asarray(y_i, float)
    y_j = np.asarray(y_j, float)
    alpha = np.asarray(alpha, float)
    n_i, n_j, alpha_0 = y_i.sum(), y_j.sum(), alpha.sum()
    # eqn 15: log-odds of w in i minus log-odds in j, each smoothed by the prior
    delta = (np.log((y_i + alpha) / (n_i + alpha_0 - y_i - alpha))
             - np.log((y_j + alpha) / (n_j + alpha_0 - y_j - alpha)))
    # eqn 18: approximate variance of delta
    sigma2 = 1.0 / (y_i + alpha) + 1.0 / (y_j + alpha)
    # eqn 21: z-score
    z = delta / np.sqrt(sigma2)
    return delta, sigma2, z


def prior_alpha(background_counts: np.ndarray, alpha0=0.0, floor=0.01):
    """Prior pseudo-counts alpha_w from background counts.

    ``alpha0 = 0`` uses the background counts themselves (alpha_w = y_w, the usual choice);
    otherwise alpha_w = alpha0 * y_w / sum(y), a prior worth alpha0 words. Words absent from a
    background corpus get ``floor`` so no log(0) occurs.
    """
    b = np.asarray(background_counts, float)
    a = b if not alpha0 else alpha0 * b / b.sum()
    return np.maximum(a, floor)


def log_odds(counts: pd.DataFrame, *, min_count=3, pairs=None, background=None,
             alpha0=0.0) -> pd.DataFrame:
    """Weighted log-odds z-scores, each outlet against the rest (``vs = "rest"``), or for the
    given ``pairs`` of outlets (``vs`` = the other outlet).

    Parameters
    ----------
    counts : DataFrame
        ``ngram_counts`` of the corpus.
    background : DataFrame, optional
        ``ngram_counts``-shaped counts (``term, n``) of a background corpus for the prior;
        the whole corpus by default.

    Returns
    -------
    DataFrame
        ``outlet, vs, term, n, n_vs, measure, score, rank``: measure ``log_odds_z`` (the
        z-score) and ``log_odds`` (delta), one row per term with corpus count >= min_count.
    """
    outlets, terms, m = outlet_term_matrix(counts, min_count)
    total = m.sum(axis=0)
    if background is None:
        prior = total
    else:
        bg = background.groupby("term")["n"].sum()
        prior = bg.reindex(terms, fill_value=0).to_numpy(float)
    alpha = prior_alpha(prior, alpha0)
    idx = {o: i for i, o in enumerate(outlets)}
    if pairs is None:
        jobs = [(o, "rest", m[idx[o]], total - m[idx[o]]) for o in outlets]
    else:
        jobs = [(a, b, m[idx[a]], m[idx[b]]) for a, b in pairs]
    frames = []
    for o, vs, y_i, y_j in jobs:
        delta, _, z = log_odds_dirichlet(y_i, y_j, alpha)
        for measure, score in (("log_odds_z", z), ("log_odds", delta)):
            frames.append(pd.DataFrame({"outlet": o, "vs": vs, "term": terms,
                                        "n": y_i.astype("int64"), "n_vs": y_j.astype("int64"),
                                        "measure": measure, "score": score}))
    return _rank(pd.concat(frames, ignore_index=True))


def contrasts(counts, *, min_count=3, alpha0=0.0, background=None, pairs=None,
              article_counts=None):
    """All contrasts in one table: log-odds (z and delta), outlet-level TF-IDF, and
    article-level TF-IDF when per-article counts are given (``counts`` itself if it has an
    ``article_id`` column). ``counts`` may be outlet-level: ``outlet, term, n``."""
    if article_counts is None and "article_id" in counts.columns:
        article_counts = counts
    parts = [log_odds(counts, min_count=min_count, alpha0=alpha0, background=background,
                      pairs=pairs),
             tfidf(counts, min_count=min_count, level="outlet")]
    if article_counts is not None:
        parts.append(tfidf(article_counts, min_count=min_count, level="article"))
    return pd.concat(parts, ignore_index=True)[CONTRAST_COLUMNS]
