"""Loaded terms per outlet (own voice, quoted voice, both) and label choice per actor."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..lexicon import actors_table, lexicon_table, normalize_term
from .stats import ratio_interval, weight_batches, wilson

VOICES = ("own", "quoted", "all")
RATE_COLUMNS = ["outlet", "category", "term", "voice", "n", "n_words", "rate_per_1k", "ci_low",
                "ci_high", "n_articles", "resampled", "n_units"]


def choose_unit(articles_per_outlet: pd.Series, resample: str, min_articles: int) -> str:
    """'article' or 'sentence' (see ``[measures] resample`` in defaults.toml)."""
    if resample in ("article", "sentence"):
        return resample
    return "article" if articles_per_outlet.min() >= min_articles else "sentence"


def unit_counts(hits: pd.DataFrame, sentences: pd.DataFrame, unit: str):
    """Per resampling unit: words in each voice and hits per term in each voice.

    These are sums over sentences, so they add up from chunks of a corpus.

    Returns
    -------
    words : DataFrame
        ``outlet, unit_id, n_words_own, n_words_quoted``
    counts : DataFrame
        ``outlet, unit_id, term, in_quote, n``
    """
    key = ["article_id"] if unit == "article" else ["article_id", "sentence_id"]
    s = sentences.assign(n_words_own=sentences["n_words"] - sentences["n_words_quoted"])
    words = s.groupby(["outlet"] + key, sort=True)[["n_words_own", "n_words_quoted"]].sum()
    words = words.reset_index()
    words["unit_id"] = words[key].astype(str).agg(":".join, axis=1) if unit == "sentence" \
        else words["article_id"]
    h = hits.copy()
    h["unit_id"] = h[key].astype(str).agg(":".join, axis=1) if unit == "sentence" \
        else h["article_id"]
    counts = h.groupby(["outlet", "unit_id", "term", "in_quote"], sort=True).size()
    counts = counts.rename("n").reset_index()
    return words[["outlet", "unit_id", "n_words_own", "n_words_quoted"]], counts


def term_rates(hits: pd.DataFrame, sentences: pd.DataFrame, *, lexicon=None, unit="auto",
               n_boot=1000, seed=0, confidence=0.95, min_articles=10) -> pd.DataFrame:
    """Count and rate per 1,000 words of every lexicon term, per outlet and voice.

    The 95% interval is a percentile bootstrap: the units named in ``resampled`` (articles, or
    sentences when outlets have few articles) are drawn with replacement within each outlet,
    and the rate is recomputed as hits / words of the resample, so the interval reflects how
    unevenly a term is spread over an outlet's text.

    Parameters
    ----------
    hits, sentences : DataFrame
        from :func:`framing.analyze.analyze`.
    lexicon : dict or DataFrame, optional
        the lexicon (all its terms get a row, zero counts included).
    unit : {"auto", "article", "sentence"}

    Returns
    -------
    DataFrame
        ``outlet, category, term, voice, n, n_words, rate_per_1k, ci_low, ci_high, n_articles,
        resampled, n_units``; ``voice`` is ``own`` (outside quotations), ``quoted`` or ``all``;
        ``n_words`` is the number of words in that voice behind the rate.
    """
    if lexicon is None:
        from ..config import load_config
        lexicon = load_config().lexicon
    lex = lexicon if isinstance(lexicon, pd.DataFrame) else lexicon_table(lexicon)
    n_art = sentences.groupby("outlet")["article_id"].nunique()
    unit = choose_unit(n_art, unit, min_articles)
    words, counts = unit_counts(hits, sentences, unit)
    return rates_from_units(words, counts, lex, n_art, unit, n_boot=n_boot, seed=seed,
                            confidence=confidence)


def rates_from_units(words, counts, lex, n_articles, unit, *, n_boot=1000, seed=0,
                     confidence=0.95) -> pd.DataFrame:
    """The rates table from per-unit counts (see :func:`unit_counts`), which may come from a
    streamed corpus: ``words`` (outlet, unit_id, n_words_own, n_words_quoted) and ``counts``
    (outlet, unit_id, term, in_quote, n)."""
    terms = list(lex["term"])
    cats = list(lex["category"])
    t_index = pd.Index(terms)
    rows = []
    for outlet, w in words.groupby("outlet", sort=True):
        uids = pd.Index(w["unit_id"])
        c = counts[counts["outlet"] == outlet]
        H = {q: np.zeros((len(uids), len(terms))) for q in (False, True)}
        ui, ti = uids.get_indexer(c["unit_id"]), t_index.get_indexer(c["term"])
        qq = c["in_quote"].to_numpy(bool)
        for q in (False, True):
            m = qq == q
            np.add.at(H[q], (ui[m], ti[m]), c["n"].to_numpy(float)[m])
        wv = {"own": w["n_words_own"].to_numpy(float),
              "quoted": w["n_words_quoted"].to_numpy(float)}
        wv["all"] = wv["own"] + wv["quoted"]
        hv = {"own": H[False], "quoted": H[True], "all": H[False] + H[True]}
        weights = weight_batches(len(uids), n_boot, seed, outlet)
        n_a = int(n_articles.get(outlet, 0))
        for voice in VOICES:
            total_w = wv[voice].sum()
            n = hv[voice].sum(axis=0)
            rate = n / total_w * 1000 if total_w > 0 else np.full(len(terms), np.nan)
            lo, hi = ratio_interval(hv[voice], wv[voice], weights, confidence)
            rows.extend(zip([outlet] * len(terms), cats, terms, [voice] * len(terms),
                            n.astype(int).tolist(), [int(total_w)] * len(terms), rate, lo, hi,
                            [n_a] * len(terms), [unit] * len(terms), [len(uids)] * len(terms)))
    return pd.DataFrame(rows, columns=RATE_COLUMNS)


LABEL_COLUMNS = ["outlet", "actor", "actor_name", "label", "voice", "n", "n_actor", "share",
                 "ci_low", "ci_high"]


def label_shares(mentions: pd.DataFrame, *, actors=None, voice="own", confidence=0.95,
                 only_compared=True) -> pd.DataFrame:
    """Which label each outlet uses for each actor.

    Returns
    -------
    DataFrame
        ``outlet, actor, actor_name, label, voice, n, n_actor, share, ci_low, ci_high``: ``n``
        mentions of the actor under this label, ``n_actor`` all its mentions in that outlet and
        voice; the interval is Wilson's for the share. Labels an outlet never uses get n = 0.
    """
    if actors is None:
        from ..config import load_config
        actors = load_config().actors
    table = actors if isinstance(actors, pd.DataFrame) else actors_table(actors)
    table = table[table["actor"] != ""]
    if only_compared:
        table = table[table["compare_labels"]]
    m = mentions[mentions["actor"].isin(set(table["actor"]))]
    if voice == "own":
        m = m[~m["in_quote"]]
    elif voice == "quoted":
        m = m[m["in_quote"]]
    labels = table.drop_duplicates(["actor", "label"])[["actor", "actor_name", "label"]]
    outlets = sorted(mentions["outlet"].unique())
    grid = labels.merge(pd.DataFrame({"outlet": outlets}), how="cross")
    n = m.groupby(["outlet", "actor", "label"]).size().rename("n").reset_index()
    out = grid.merge(n, on=["outlet", "actor", "label"], how="left").fillna({"n": 0})
    out["n"] = out["n"].astype("int64")
    out["n_actor"] = out.groupby(["outlet", "actor"])["n"].transform("sum").astype("int64")
    out["share"] = np.where(out["n_actor"] > 0, out["n"] / out["n_actor"].where(
        out["n_actor"] > 0, 1), np.nan)
    lo, hi = wilson(out["n"], out["n_actor"], confidence)
    out["ci_low"], out["ci_high"] = lo, hi
    out["voice"] = voice
    order = {a: i for i, a in enumerate(dict.fromkeys(table["actor"]))}
    out["_o"] = out["actor"].map(order)
    out = out.sort_values(["_o", "outlet", "n", "label"], ascending=[True, True, False, True])
    return out[LABEL_COLUMNS].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# evidence
# --------------------------------------------------------------------------------------------

KWIC_COLUMNS = ["outlet", "article_id", "sentence_id", "term", "category", "in_quote", "left",
                "match", "right", "start", "end"]


def kwic(articles: pd.DataFrame, analysis, term: str, *, outlet=None, width=60,
         lexicon=None, actors=None) -> pd.DataFrame:
    """Every hit of ``term`` with its context: the rows behind the counts.

    ``term`` is looked up as the measures count it: a lexicon term (exactly the hits counted
    as that term), else an actor id, actor name, label or alias (its mentions).

    Returns
    -------
    DataFrame
        ``outlet, article_id, sentence_id, term, category, in_quote, left, match, right,
        start, end``; for an actor, ``term`` is the actor id and ``category`` the label.
    """
    want = normalize_term(term).lower()
    hits = analysis.hits
    sel = hits[hits["term"].str.lower() == want]
    if sel.empty:
        m = analysis.mentions
        keys = [m["actor"].str.lower(), m["actor_name"].str.lower(), m["alias"].str.lower()]
        mask = np.zeros(len(m), dtype=bool)
        for k in keys:
            mask |= (k == want).to_numpy()
        if not mask.any():
            mask = (m["label"].str.lower() == want).to_numpy()
        sel = m[mask].rename(columns={"actor": "term", "label": "category"})
    if outlet is not None:
        sel = sel[sel["outlet"].str.lower() == str(outlet).lower()]
    text = dict(zip(articles["article_id"], articles["text"]))
    rows = []
    for r in sel.itertuples(index=False):
        t = text[r.article_id]
        left = " ".join(t[max(0, r.start - width):r.start].split())
        right = " ".join(t[r.end:r.end + width].split())
        rows.append((r.outlet, r.article_id, r.sentence_id, r.term, r.category, bool(r.in_quote),
                     left, t[r.start:r.end], right, r.start, r.end))
    df = pd.DataFrame(rows, columns=KWIC_COLUMNS)
    return df.sort_values(["outlet", "article_id", "start"], kind="stable").reset_index(drop=True)
