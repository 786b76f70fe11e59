"""Sentiment toward each actor, target-aware.

Three methods, each scoring one mention (a target span in a sentence) on [-1, 1]:

``sentence``
    VADER compound of the whole sentence (the usual baseline; blind to the target).
``window``
    VADER compound of a window of words either side of the mention, bounded at clause
    punctuation (; : dashes, brackets, quote marks), with the target and every other actor
    mention masked, so each actor sharing a sentence gets its own window. Bounding at commas
    too was tried and lowered dev macro-F1 (0.548 -> 0.536 rw, 0.530 -> 0.513 mt).
``trained``
    a multinomial logistic regression trained on NewsMTSC (Hamborg & Donnay 2021) train.jsonl
    over target-aware features: the sentence with the target masked, its left and right
    context, the words next to the target, and VADER scores of the sentence and of each side.
    Its score is P(positive) - P(negative). The model ships as plain JSON (no pickle, so loading
    it cannot run code); ``framing train-sentiment DATA_DIR`` rebuilds it.

Classes: a score below -0.05 is negative, above 0.05 positive, neutral otherwise (VADER's
convention); the trained model's class is its most probable one.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import FramingError

METHODS = ("sentence", "window", "trained")
LABELS = {-1: "negative", 0: "neutral", 1: "positive"}
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*|[!?]")
_CLAUSE = re.compile(r"[;:—–()\[\]{}\"“”]")
TARGET, OTHER = "TGT", "ENT"


@lru_cache(maxsize=1)
def vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=65536)
def polarity(text: str) -> dict:
    """VADER scores, cached: the same sentence is scored once however many actors it names."""
    return vader().polarity_scores(text)


def compound(text: str) -> float:
    return polarity(text)["compound"] if text.strip() else 0.0


def to_class(score, threshold=0.05):
    s = np.asarray(score, float)
    return np.where(s > threshold, 1, np.where(s < -threshold, -1, 0))


def _mask(sentence, start, end, others):
    """The sentence with the target replaced by TGT and other mentions by ENT; returns
    (masked text, target start, target end) in the masked text."""
    spans = sorted([(s, e, OTHER) for s, e in others if e <= start or s >= end] +
                   [(start, end, TARGET)])
    out, pos, t0 = [], 0, 0
    for s, e, tag in spans:
        if s < pos:
            continue
        out.append(sentence[pos:s])
        if tag == TARGET:
            t0 = sum(len(x) for x in out)
        out.append(tag)
        pos = e
    out.append(sentence[pos:])
    text = "".join(out)
    return text, t0, t0 + len(TARGET)


def window_text(sentence, start, end, others=(), n_words=8):
    """Left and right window around the mention, clause-bounded, names masked (removed)."""
    masked, s, e = _mask(sentence, start, end, others)
    left, right = masked[:s], masked[e:]
    cut = [m.end() for m in _CLAUSE.finditer(left)]
    if cut:
        left = left[cut[-1]:]
    m = _CLAUSE.search(right)
    if m:
        right = right[:m.start()]
    lw = [w for w in left.split() if w not in (TARGET, OTHER)][-n_words:]
    rw = [w for w in right.split() if w not in (TARGET, OTHER)][:n_words]
    return " ".join(lw), " ".join(rw)


# --------------------------------------------------------------------------------------------
# target-aware features, shared by training and inference
# --------------------------------------------------------------------------------------------

def _toks(text):
    return [t.lower() for t in _TOKEN.findall(text)]


def features(sentence, start, end, others=(), n_words=6):
    """(sparse feature strings, dense vector) for one mention."""
    masked, s, e = _mask(sentence, start, end, others)
    toks = _toks(masked)
    feats = []
    feats += ["s:" + t for t in toks]
    feats += ["s2:" + a + "_" + b for a, b in zip(toks, toks[1:])]
    left = _toks(masked[:s])
    right = _toks(masked[e:])
    lw, rw = left[-n_words:], right[:n_words]
    feats += ["l:" + t for t in lw]
    feats += ["r:" + t for t in rw]
    feats += ["l2:" + a + "_" + b for a, b in zip(lw, lw[1:])]
    feats += ["r2:" + a + "_" + b for a, b in zip(rw, rw[1:])]
    if lw:
        feats.append("adjL:" + lw[-1])
    if rw:
        feats.append("adjR:" + rw[0])
        feats.append("adjR2:" + "_".join(rw[:2]))
    feats.append(f"pos:{min(len(left), 10) // 3}")
    wl, wr = window_text(sentence, start, end, others, 8)
    ps = polarity(sentence)
    pl = polarity(wl) if wl else {"compound": 0.0, "neg": 0.0, "pos": 0.0}
    pr = polarity(wr) if wr else {"compound": 0.0, "neg": 0.0, "pos": 0.0}
    pw = polarity((wl + " " + wr).strip() or ".")
    dense = np.array([ps["compound"], ps["neg"], ps["pos"], pl["compound"], pr["compound"],
                      pw["compound"], pw["neg"], pw["pos"]], dtype=float)
    return feats, dense


class TrainedModel:
    """A logistic regression over :func:`features`, loaded from plain JSON."""

    def __init__(self, vocabulary, idf, coef, intercept, classes, dense_scale, meta=None):
        self.vocabulary = vocabulary
        self.idf = np.asarray(idf, float)
        self.coef = np.asarray(coef, float)
        self.intercept = np.asarray(intercept, float)
        self.classes = np.asarray(classes, int)
        self.dense_scale = np.asarray(dense_scale, float)
        self.meta = meta or {}

    @classmethod
    def load(cls, path=None) -> "TrainedModel":
        if path is None:
            text = resources.files("framing.data").joinpath("models/sentiment.json").read_text(
                encoding="utf-8")
            where = "framing/data/models/sentiment.json"
        else:
            where = str(path)
            try:
                text = Path(path).read_text(encoding="utf-8")
            except OSError as exc:
                raise FramingError(path, f"cannot read model: {exc.strerror}") from None
        try:
            d = json.loads(text)
            return cls(d["vocabulary"], d["idf"], d["coef"], d["intercept"], d["classes"],
                       d["dense_scale"], d.get("meta"))
        except (ValueError, KeyError) as exc:
            raise FramingError(where, f"not a framing sentiment model: {exc}") from None

    def to_json(self) -> str:
        return json.dumps({"format": "framing-sentiment-logreg/1", "meta": self.meta,
                           "classes": self.classes.tolist(), "vocabulary": self.vocabulary,
                           "idf": [round(x, 6) for x in self.idf.tolist()],
                           "coef": [[round(x, 6) for x in row] for row in self.coef.tolist()],
                           "intercept": self.intercept.tolist(),
                           "dense_scale": self.dense_scale.tolist()}, separators=(",", ":"))

    def matrix(self, feats_list, dense_list):
        from scipy import sparse
        return featurize_matrix(feats_list, dense_list, self.vocabulary, self.idf,
                                self.dense_scale)

    def predict_proba(self, feats_list, dense_list):
        x = self.matrix(feats_list, dense_list)
        logits = x @ self.coef.T + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)


def featurize_matrix(feats_list, dense_list, vocabulary, idf, dense_scale):
    """Sublinear tf-idf of the sparse features (l2-normalised) next to scaled dense ones."""
    from scipy import sparse
    rows, cols, vals = [], [], []
    for i, feats in enumerate(feats_list):
        counts = {}
        for f in feats:
            j = vocabulary.get(f)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        if not counts:
            continue
        js = np.fromiter(counts, int)
        v = (1 + np.log(np.fromiter(counts.values(), float))) * idf[js]
        v /= np.linalg.norm(v)
        rows += [i] * len(js)
        cols += js.tolist()
        vals += v.tolist()
    n = len(feats_list)
    xs = sparse.csr_matrix((vals, (rows, cols)), shape=(n, len(vocabulary)))
    xd = sparse.csr_matrix(np.asarray(dense_list, float).reshape(n, -1) * dense_scale)
    return sparse.hstack([xs, xd]).tocsr()


@lru_cache(maxsize=4)
def _model(path=None):
    return TrainedModel.load(path)


# --------------------------------------------------------------------------------------------
# scoring items (sentence, start, end, others)
# --------------------------------------------------------------------------------------------

def score_items(items: pd.DataFrame, method: str, *, window_words=8, model_path=None):
    """Score each row of ``items`` (columns ``sentence, start, end`` and optionally
    ``others``: a list of (start, end) spans of other actor mentions in the sentence).

    Returns (score in [-1, 1], class in {-1, 0, 1}) arrays.
    """
    if method not in METHODS:
        raise FramingError(None, f"unknown sentiment method '{method}' (choose from "
                                 f"{', '.join(METHODS)})")
    others = items["others"] if "others" in items else [()] * len(items)
    if method == "sentence":
        cache = {}
        s = np.array([cache.setdefault(t, compound(t)) for t in items["sentence"]])
        return s, to_class(s)
    if method == "window":
        s = []
        for t, a, b, o in zip(items["sentence"], items["start"], items["end"], others):
            left, right = window_text(t, a, b, o, window_words)
            s.append(compound((left + " " + right).strip()))
        s = np.array(s, float)
        return s, to_class(s)
    model = _model(model_path)
    fl, dl = [], []
    for t, a, b, o in zip(items["sentence"], items["start"], items["end"], others):
        f, d = features(t, a, b, o)
        fl.append(f)
        dl.append(d)
    if not fl:
        return np.zeros(0), np.zeros(0, int)
    p = model.predict_proba(fl, dl)
    cls = dict(zip(model.classes.tolist(), range(len(model.classes))))
    score = p[:, cls[1]] - p[:, cls[-1]]
    return score, model.classes[p.argmax(axis=1)]


# --------------------------------------------------------------------------------------------
# NewsMTSC evaluation
# --------------------------------------------------------------------------------------------

def read_newsmtsc(path) -> pd.DataFrame:
    """NewsMTSC JSON Lines -> one row per target: ``sentence, start, end, mention, label,
    others`` (label -1/0/1 from polarity 2/4/6; others = the sentence's other targets)."""
    path = Path(path)
    if not path.is_file():
        raise FramingError(path, "no such file (expected NewsMTSC JSON Lines)")
    rows = []
    with path.open(encoding="utf-8") as fh:
        for k, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                sent = d["sentence_normalized"]
                targets = d["targets"]
                spans = [(t["from"], t["to"]) for t in targets]
                for t in targets:
                    pol = float(t["polarity"])
                    if pol not in (2.0, 4.0, 6.0):
                        raise ValueError(f"polarity {pol} is not 2, 4 or 6")
                    rows.append((sent, int(t["from"]), int(t["to"]), t["mention"],
                                 int((pol - 4) / 2),
                                 tuple(s for s in spans if s != (t["from"], t["to"]))))
            except (ValueError, KeyError, TypeError) as exc:
                raise FramingError(path, f"not a NewsMTSC record: {exc}", row=k) from None
    if not rows:
        raise FramingError(path, "no targets found")
    return pd.DataFrame(rows, columns=["sentence", "start", "end", "mention", "label",
                                       "others"])


def macro_f1(y_true, y_pred, labels=(-1, 0, 1)) -> float:
    f = []
    for c in labels:
        tp = np.sum((y_pred == c) & (y_true == c))
        fp = np.sum((y_pred == c) & (y_true != c))
        fn = np.sum((y_pred != c) & (y_true == c))
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f.append(2 * p * r / (p + r) if p + r else 0.0)
    return float(np.mean(f))


def evaluate(path, methods=METHODS, *, model_path=None, default="trained") -> dict:
    """Accuracy and macro-F1 of each method on a NewsMTSC file.

    Returns ``{"default": method, "methods": {method: {"accuracy", "macro_f1", "n"}}}``.
    """
    items = read_newsmtsc(path)
    y = items["label"].to_numpy()
    out = {}
    for m in methods:
        _, pred = score_items(items, m, model_path=model_path)
        out[m] = {"accuracy": round(float(np.mean(pred == y)), 4),
                  "macro_f1": round(macro_f1(y, pred), 4), "n": int(len(y))}
    return {"default": default, "methods": out}


# --------------------------------------------------------------------------------------------
# the corpus: mentions -> scores -> per outlet x actor
# --------------------------------------------------------------------------------------------

def mention_items(mentions: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Each mention with its sentence text, offsets relative to the sentence, and the spans of
    the other actor mentions in that sentence."""
    s = sentences[["article_id", "sentence_id", "start", "text"]].rename(
        columns={"start": "sent_start", "text": "sentence"})
    m = mentions.merge(s, on=["article_id", "sentence_id"], how="left", validate="many_to_one")
    rel_s = (m["start"] - m["sent_start"]).to_numpy()
    rel_e = (m["end"] - m["sent_start"]).to_numpy()
    groups = {}
    for i, key in enumerate(zip(m["article_id"], m["sentence_id"])):
        groups.setdefault(key, []).append(i)
    others = [()] * len(m)
    for idx in groups.values():
        for i in idx:
            others[i] = tuple((int(rel_s[j]), int(rel_e[j])) for j in idx if j != i)
    out = m.copy()
    out["start_rel"], out["end_rel"], out["others"] = rel_s, rel_e, others
    return out


def score_mentions(mentions, sentences, method="trained", *, window_words=8,
                   model_path=None) -> pd.DataFrame:
    """The mentions table with ``method, score, polarity, sentence`` added."""
    items = mention_items(mentions, sentences)
    it = pd.DataFrame({"sentence": items["sentence"], "start": items["start_rel"],
                       "end": items["end_rel"], "others": items["others"]})
    score, cls = score_items(it, method, window_words=window_words, model_path=model_path)
    out = mentions.copy()
    out["method"] = method
    out["score"] = score
    out["polarity"] = cls.astype(int) if len(cls) else np.zeros(0, int)
    out["sentence"] = items["sentence"].to_numpy()
    return out


SENTIMENT_COLUMNS = ["outlet", "actor", "actor_name", "method", "n", "n_quoted", "mean",
                     "ci_low", "ci_high", "share_negative", "share_neutral", "share_positive",
                     "n_articles"]


def actor_sentiment(scored: pd.DataFrame, *, n_boot=1000, seed=0, confidence=0.95,
                    voice="all") -> pd.DataFrame:
    """Per outlet x actor x method: mean score with a 95% bootstrap interval (mentions
    resampled), number of mentions, and shares negative / neutral / positive.

    Returns
    -------
    DataFrame
        ``outlet, actor, actor_name, method, n, n_quoted, mean, ci_low, ci_high,
        share_negative, share_neutral, share_positive, n_articles``
    """
    from .stats import mean_interval, rng_for
    s = scored
    if voice == "own":
        s = s[~s["in_quote"]]
    elif voice == "quoted":
        s = s[s["in_quote"]]
    rows = []
    for (outlet, actor, method), g in s.groupby(["outlet", "actor", "method"], sort=True):
        v = g["score"].to_numpy(float)
        lo, hi = mean_interval(v, n_boot, rng_for(seed, outlet, actor, method), confidence)
        p = g["polarity"].to_numpy()
        rows.append((outlet, actor, g["actor_name"].iloc[0], method, len(v),
                     int(g["in_quote"].sum()), float(v.mean()), lo, hi, float(np.mean(p == -1)),
                     float(np.mean(p == 0)), float(np.mean(p == 1)),
                     int(g["article_id"].nunique())))
    return pd.DataFrame(rows, columns=SENTIMENT_COLUMNS)


EVIDENCE_COLUMNS = ["outlet", "actor", "method", "direction", "rank", "score", "in_quote",
                    "article_id", "sentence_id", "alias", "sentence"]


def evidence(scored: pd.DataFrame, *, k=3, actor=None, outlet=None) -> pd.DataFrame:
    """The k most negative and k most positive mentions per outlet x actor x method, with
    their sentences: the rows behind each mean. Ties broken by article and position."""
    s = scored
    if actor is not None:
        s = s[s["actor"] == actor]
    if outlet is not None:
        s = s[s["outlet"] == outlet]
    rows = []
    for (o, a, m), g in s.groupby(["outlet", "actor", "method"], sort=True):
        g = g.sort_values(["score", "article_id", "start"], kind="stable")
        # one row per sentence: its strongest mention in each direction
        neg = g[g["score"] < 0].drop_duplicates(["article_id", "sentence_id"], keep="first")
        pos = g[g["score"] > 0].iloc[::-1].drop_duplicates(["article_id", "sentence_id"],
                                                           keep="first")
        for direction, part in (("negative", neg.head(k)), ("positive", pos.head(k))):
            for r, row in enumerate(part.itertuples(index=False), start=1):
                rows.append((o, a, m, direction, r, float(row.score), bool(row.in_quote),
                             row.article_id, int(row.sentence_id), row.alias, row.sentence))
    return pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)
