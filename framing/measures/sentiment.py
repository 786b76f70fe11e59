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
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import FramingError

METHODS = ("sentence", "window", "trained")
LABELS = {-1: "negative", 0: "neutral", 1: "positive"}
_CLAUSE = re.compile(r"[;:—–()\[\]{}\"“”]")
TARGET, OTHER = "TGT", "ENT"  # placeholders of the window method


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
# the trained method: target-aware linear features that decompose over tokens
# --------------------------------------------------------------------------------------------
#
# Every feature is a token or adjacent-pair lookup, a sum over a range of tokens, or a function
# of such sums, so one pass over a chunk's token array scores every mention with numpy
# (:class:`TrainedModel`), while training builds the same features as strings
# (:func:`reference_features`); the tests check that both give the same scores.
#
# Features of one mention, in the sentence with the target as TGT and every other actor
# mention as ENT (clause punctuation ; : dashes brackets quotes is the token '|'):
#   s:   every token of the sentence        s2:  every adjacent pair
#   l:   the W tokens left of the target    r:   the W tokens right of it
#   l2:  adjacent pairs inside l            r2:  adjacent pairs inside r
#   aL:  the token just left                aR:  the token just right, aR2: the pair right
#   pos: min(position, 10) // 3
# each valued count x idf, and all divided by sqrt(sum of idf^2 over the feature occurrences)
# (the l2 norm when no feature repeats); plus dense VADER-lexicon features: the squashed
# valence sum x / sqrt(x^2 + 15) of the sentence, of the clause-bounded WV words left and right
# of the target and of both, and the sentence's positive and negative valence per sqrt(length).
# Valences follow VADER's lexicon with its booster words, negation within three words (x -0.74)
# and 'but' (before x 0.5, after x 1.5).

TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*|[!?]|[;:—–()\[\]\"“”]")
_CLAUSE_TOK = set(';:—–()[]"“”')
TGT, ENT, CLAUSE = "<tgt>", "<ent>", "|"
_NT = ("don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "weren't", "won't",
       "wouldn't", "can't", "couldn't", "shouldn't", "hasn't", "haven't", "hadn't", "mustn't",
       "mightn't", "needn't", "ain't", "shan't")
NEGATIONS = frozenset({"not", "no", "never", "nothing", "nobody", "none", "neither", "nor",
                       "without", "cannot", "nowhere", "hardly"} | set(_NT) |
                      {w.replace("'", "’") for w in _NT})
BOOSTERS = {w: 0.293 for w in ("very", "extremely", "highly", "really", "so", "totally",
                                "completely", "deeply", "greatly", "hugely", "particularly")}
BOOSTERS.update({w: -0.293 for w in ("barely", "hardly", "slightly", "somewhat", "marginally")})
W_CONTEXT, W_VALENCE = 6, 8
FAMILIES_1 = ("s", "l", "r", "aL", "aR")
FAMILIES_2 = ("s2", "l2", "r2", "aR2")


def _tok(piece):
    return [CLAUSE if t in _CLAUSE_TOK else t.lower() for t in TOKEN.findall(piece)]


def masked_tokens(sentence, spans, target=None):
    """Tokens of ``sentence`` with each span in ``spans`` (non-overlapping, sorted) replaced by
    ENT, or TGT for ``spans[target]``. Returns (tokens, position of each span's token)."""
    toks, pos, at = [], [], 0
    for k, (s, e) in enumerate(spans):
        toks += _tok(sentence[at:s])
        pos.append(len(toks))
        toks.append(TGT if k == target else ENT)
        at = e
    toks += _tok(sentence[at:])
    return toks, pos


def resolve_spans(start, end, others):
    """The spans of one item as the model sees them: the target, and the other mentions that
    do not overlap it (leftmost first where others overlap each other). Returns (spans,
    target index)."""
    cand = sorted([(s, e, False) for s, e in others if e <= start or s >= end] +
                  [(start, end, True)])
    spans, target, last = [], None, -1
    for s, e, is_t in cand:
        if s < last:
            continue
        if is_t:
            target = len(spans)
        spans.append((s, e))
        last = e
    return spans, target


@lru_cache(maxsize=1)
def _lexicon():
    return vader().lexicon


def valences(toks):
    """VADER-lexicon valence of each token of one sentence, with boosters, negation and
    'but' (the reference definition; :func:`valences_core` computes it for many sentences)."""
    lex = _lexicon()
    n = len(toks)
    return valences_core(np.array([lex.get(t, 0.0) for t in toks], dtype=float),
                         np.array([BOOSTERS.get(t, 0.0) for t in toks], dtype=float),
                         np.array([t in NEGATIONS for t in toks], dtype=bool),
                         np.array([t == "but" for t in toks], dtype=bool),
                         np.array([0]), np.array([n]))


def valences_batch(tokens, starts, ends):
    """:func:`valences` of many sentences at once (tokens concatenated, sentence i being
    ``tokens[starts[i]:ends[i]]``)."""
    lex = _lexicon()
    return valences_core(np.array([lex.get(t, 0.0) for t in tokens], dtype=float),
                         np.array([BOOSTERS.get(t, 0.0) for t in tokens], dtype=float),
                         np.array([t in NEGATIONS for t in tokens], dtype=bool),
                         np.array([t == "but" for t in tokens], dtype=bool),
                         np.asarray(starts), np.asarray(ends))


def valences_core(v, b, neg, is_but, starts, ends):
    """Valences from per-token lexicon values ``v``, booster values ``b``, negation and 'but'
    flags, for the sentences ``[starts[i], ends[i])`` of the concatenated arrays: a booster adds
    to the next word's magnitude; a negation within three words before multiplies by -0.74;
    words before a sentence's first 'but' count half, words after it one and a half."""
    n = len(v)
    v = v.astype(float).copy()
    if n == 0:
        return v
    sizes = np.asarray(ends) - np.asarray(starts)
    pos = np.arange(n) - np.repeat(starts, sizes)
    v[1:] = v[1:] + np.where(pos[1:] >= 1, np.sign(v[1:]) * b[:-1], 0.0)
    for k in (1, 2, 3):
        hit = np.zeros(n, dtype=bool)
        hit[k:] = neg[:-k] & (pos[k:] >= k)
        v = np.where(hit, v * -0.74, v)
    if is_but.any():
        idx = np.where(is_but, np.arange(n), n)
        nonempty = sizes > 0
        first = np.full(len(sizes), n)
        first[nonempty] = np.minimum.reduceat(idx, np.asarray(starts)[nonempty])
        first = np.where(first < np.asarray(ends), first, n)
        f = np.repeat(first, sizes)
        has = f < n
        at = np.arange(n)
        v = np.where(has & (at < f), v * 0.5, v)
        v = np.where(has & (at > f), v * 1.5, v)
    return v


def _squash(x):
    return x / np.sqrt(x * x + 15.0)


def _dense(v, p, clause_left, clause_right):
    n = len(v)
    lw = v[max(clause_left, p - W_VALENCE):p].sum()
    rw = v[p + 1:min(clause_right, p + 1 + W_VALENCE)].sum()
    root = np.sqrt(n)
    return np.array([_squash(v.sum()), _squash(lw), _squash(rw), _squash(lw + rw),
                     np.clip(v, 0, None).sum() / root, np.clip(v, None, 0).sum() / root])


def reference_features(sentence, start, end, others=()):
    """Raw feature counts (``{feature: count}``) and dense values of one mention: the
    definition the model is trained on."""
    spans, t = resolve_spans(start, end, others)
    toks, pos = masked_tokens(sentence, spans, t)
    p, n = pos[t], len(toks)
    f = {}

    def add(k):
        f[k] = f.get(k, 0) + 1

    for a in toks:
        add("s:" + a)
    for a, b in zip(toks, toks[1:]):
        add("s2:" + a + "_" + b)
    left, right = toks[max(0, p - W_CONTEXT):p], toks[p + 1:p + 1 + W_CONTEXT]
    for a in left:
        add("l:" + a)
    for a in right:
        add("r:" + a)
    for a, b in zip(left, left[1:]):
        add("l2:" + a + "_" + b)
    for a, b in zip(right, right[1:]):
        add("r2:" + a + "_" + b)
    if p > 0:
        add("aL:" + toks[p - 1])
    if p + 1 < n:
        add("aR:" + toks[p + 1])
    if p + 2 < n:
        add("aR2:" + toks[p + 1] + "_" + toks[p + 2])
    add(f"pos:{min(p, 10) // 3}")
    clauses = [i for i, a in enumerate(toks) if a == CLAUSE]
    cl = max([i for i in clauses if i < p], default=-1) + 1
    cr = min([i for i in clauses if i > p], default=n)
    return f, _dense(valences(toks), p, cl, cr)


def reference_matrix(feats_list, dense_list, vocabulary, idf, dense_scale):
    """Training matrix: count x idf, divided by sqrt(sum of idf^2 x count), next to the
    scaled dense features."""
    from scipy import sparse
    rows, cols, vals = [], [], []
    for i, feats in enumerate(feats_list):
        js, cs = [], []
        for k, c in feats.items():
            j = vocabulary.get(k)
            if j is not None:
                js.append(j)
                cs.append(c)
        if not js:
            continue
        js, cs = np.array(js), np.array(cs, float)
        norm = np.sqrt(np.sum(idf[js] ** 2 * cs))
        rows += [i] * len(js)
        cols += js.tolist()
        vals += (cs * idf[js] / norm).tolist()
    n = len(feats_list)
    xs = sparse.csr_matrix((vals, (rows, cols)), shape=(n, len(vocabulary)))
    xd = sparse.csr_matrix(np.asarray(dense_list, float).reshape(n, -1) * dense_scale)
    return sparse.hstack([xs, xd]).tocsr()


class TrainedModel:
    """The trained method's logistic regression, loaded from plain JSON, scoring with numpy.

    ``features`` are the feature strings, ``idf`` their idf, ``coef`` (classes x (features +
    dense)) and ``intercept`` the fitted parameters, ``dense_scale`` the dense features'
    scaling.
    """

    def __init__(self, features, idf, coef, intercept, classes, dense_scale, meta=None):
        self.features = list(features)
        self.vocabulary = {f: i for i, f in enumerate(self.features)}
        self.idf = np.asarray(idf, float)
        self.coef = np.asarray(coef, float)
        self.intercept = np.asarray(intercept, float)
        self.classes = np.asarray(classes, int)
        self.dense_scale = np.asarray(dense_scale, float)
        self.meta = meta or {}
        self._build_tables()

    # ---- storage ------------------------------------------------------------------------
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
            if d.get("format") != "framing-sentiment-linear/2":
                raise ValueError(f"format {d.get('format')!r}")
            return cls(d["features"], d["idf"], d["coef"], d["intercept"], d["classes"],
                       d["dense_scale"], d.get("meta"))
        except (ValueError, KeyError, TypeError) as exc:
            raise FramingError(where, f"not a framing sentiment model: {exc}") from None

    def to_json(self) -> str:
        return json.dumps({"format": "framing-sentiment-linear/2", "meta": self.meta,
                           "classes": self.classes.tolist(), "features": self.features,
                           "idf": [round(x, 6) for x in self.idf.tolist()],
                           "coef": [[round(x, 6) for x in row] for row in self.coef.tolist()],
                           "intercept": [round(x, 6) for x in self.intercept.tolist()],
                           "dense_scale": [round(x, 6) for x in self.dense_scale.tolist()]},
                          separators=(",", ":"))

    # ---- lookup tables ------------------------------------------------------------------
    def _build_tables(self):
        tokens = {TGT: 0, ENT: 1, CLAUSE: 2}
        unigram, bigram = [], []
        for j, f in enumerate(self.features):
            fam, _, rest = f.partition(":")
            if fam in FAMILIES_1:
                tokens.setdefault(rest, len(tokens))
                unigram.append((fam, rest, j))
            elif fam in FAMILIES_2:
                a, _, b = rest.partition("_")  # tokens never contain '_'
                tokens.setdefault(a, len(tokens))
                tokens.setdefault(b, len(tokens))
                bigram.append((fam, a, b, j))
        for t in list(_lexicon()) + list(BOOSTERS) + sorted(NEGATIONS) + ["but"]:
            tokens.setdefault(t, len(tokens))
        self.tokens = tokens
        v = len(tokens) + 1  # id v-1 = unknown token
        lex = _lexicon()
        names = [None] * v
        for t, i in tokens.items():
            names[i] = t
        self.t_lex = np.array([lex.get(t, 0.0) if t else 0.0 for t in names])
        self.t_boost = np.array([BOOSTERS.get(t, 0.0) if t else 0.0 for t in names])
        self.t_neg = np.array([t in NEGATIONS if t else False for t in names])
        self.t_but = np.array([t == "but" for t in names])
        self.unknown = v - 1
        k = len(self.classes)
        w_sparse = self.coef[:, :len(self.features)] * self.idf  # weight per occurrence
        self.w1 = {fam: np.zeros((v, k)) for fam in FAMILIES_1}
        self.n1 = {fam: np.zeros(v) for fam in FAMILIES_1}
        for fam, tok, j in unigram:
            t = tokens[tok]
            self.w1[fam][t] = w_sparse[:, j]
            self.n1[fam][t] = self.idf[j] ** 2
        self.w2, self.n2, self.keys2 = {}, {}, {}
        for fam in FAMILIES_2:
            items = sorted((tokens[a] * v + tokens[b], j) for f2, a, b, j in bigram if f2 == fam)
            self.keys2[fam] = np.array([x for x, _ in items], dtype=np.int64)
            js = np.array([j for _, j in items], dtype=int)
            self.w2[fam] = w_sparse[:, js].T if len(js) else np.zeros((0, k))
            self.n2[fam] = self.idf[js] ** 2 if len(js) else np.zeros(0)
        self.pos_w = np.zeros((4, k))
        self.pos_n = np.zeros(4)
        for b in range(4):
            j = self.vocabulary.get(f"pos:{b}")
            if j is not None:
                self.pos_w[b] = w_sparse[:, j]
                self.pos_n[b] = self.idf[j] ** 2
        self.w_dense = self.coef[:, len(self.features):] * self.dense_scale
        self.vocab_size = v

    def _pair(self, fam, a, b):
        """Weights (n x k) and idf^2 (n) of the adjacent pairs (a, b)."""
        keys = self.keys2[fam]
        k = len(self.classes)
        if len(keys) == 0:
            return np.zeros((len(a), k)), np.zeros(len(a))
        q = a.astype(np.int64) * self.vocab_size + b
        i = np.searchsorted(keys, q)
        i = np.minimum(i, len(keys) - 1)
        hit = keys[i] == q
        w = np.where(hit[:, None], self.w2[fam][i], 0.0)
        n = np.where(hit, self.n2[fam][i], 0.0)
        return w, n

    # ---- scoring --------------------------------------------------------------------------
    BATCH_SENTENCES = 2000  # sentences per numpy pass: bounds the arrays over their tokens

    def score_sentences(self, sentences, spans_list):
        """Score every mention of every sentence, each as the target with the sentence's other
        mentions as ENT. ``spans_list[i]`` are sentence i's mention spans (sorted,
        non-overlapping). Returns probabilities, one row per mention, in input order."""
        sentences, spans_list = list(sentences), list(spans_list)
        b = self.BATCH_SENTENCES
        if len(sentences) > b:
            return np.concatenate([self._score_batch(sentences[k:k + b], spans_list[k:k + b])
                                   for k in range(0, len(sentences), b)])
        return self._score_batch(sentences, spans_list)

    def _score_batch(self, sentences, spans_list):
        all_toks, s_starts, s_ends, starts, ends, pos = [], [], [], [], [], []
        offset = 0
        tok = self.tokens
        unk = self.unknown
        for sentence, spans in zip(sentences, spans_list):
            toks, p = masked_tokens(sentence, spans)
            n = len(toks)
            all_toks += toks
            s_starts.append(offset)
            s_ends.append(offset + n)
            pos.extend(offset + q for q in p)
            starts.extend([offset] * len(p))
            ends.extend([offset + n] * len(p))
            offset += n
        k = len(self.classes)
        if not pos:
            return np.zeros((0, k))
        get = tok.get
        T = np.fromiter((get(t, unk) for t in all_toks), np.int64, len(all_toks))
        V = valences_core(self.t_lex[T], self.t_boost[T], self.t_neg[T], self.t_but[T],
                          np.array(s_starts, dtype=np.int64), np.array(s_ends, dtype=np.int64))
        g = np.array(pos)
        st = np.array(starts)
        en = np.array(ends)
        n_tok = len(T)
        tgt, ent = tok[TGT], tok[ENT]

        def cum(x):  # prefix sums with a leading zero row
            z = np.zeros((1,) + x.shape[1:])
            return np.concatenate([z, np.cumsum(x, axis=0)])

        # sentence totals with every mention as ENT, then the target swapped in
        ws, ns = self.w1["s"][T], self.n1["s"][T]
        Cws, Cns = cum(ws), cum(ns)
        logit = Cws[en] - Cws[st] - self.w1["s"][ent] + self.w1["s"][tgt]
        norm2 = Cns[en] - Cns[st] - self.n1["s"][ent] + self.n1["s"][tgt]
        # adjacent pairs, valid when both tokens are in one sentence
        a, b = T[:-1], T[1:]
        ends_all = np.zeros(n_tok + 1, dtype=bool)
        ends_all[en] = True
        same = ~ends_all[1:n_tok]
        w2, n2 = self._pair("s2", a, b)
        w2 = w2 * same[:, None]
        n2 = n2 * same
        Cw2, Cn2 = cum(w2), cum(n2)
        logit += Cw2[en - 1] - Cw2[st]
        norm2 += Cn2[en - 1] - Cn2[st]
        has_l, has_r = g > st, g + 1 < en
        left_tok = np.where(has_l, T[np.maximum(g - 1, 0)], unk)
        right_tok = np.where(has_r, T[np.minimum(g + 1, n_tok - 1)], unk)
        # pairs touching the target: (left, ENT) -> (left, TGT), (ENT, right) -> (TGT, right)
        for has, x_ent, x_tgt in ((has_l, (left_tok, np.full_like(g, ent)),
                                   (left_tok, np.full_like(g, tgt))),
                                  (has_r, (np.full_like(g, ent), right_tok),
                                   (np.full_like(g, tgt), right_tok))):
            we, ne = self._pair("s2", *x_ent)
            wt, nt = self._pair("s2", *x_tgt)
            logit += (wt - we) * has[:, None]
            norm2 += (nt - ne) * has
        # windows: W tokens either side (other mentions stay ENT)
        lo = np.maximum(st, g - W_CONTEXT)
        hi = np.minimum(en, g + 1 + W_CONTEXT)
        for fam, a0, a1 in (("l", lo, g), ("r", g + 1, hi)):
            Cw, Cn = cum(self.w1[fam][T]), cum(self.n1[fam][T])
            logit += Cw[a1] - Cw[np.minimum(a0, a1)]
            norm2 += Cn[a1] - Cn[np.minimum(a0, a1)]
        n_pairs = max(n_tok - 1, 0)
        for fam, a0, a1 in (("l2", lo, g - 1), ("r2", g + 1, hi - 1)):
            w, n = self._pair(fam, a, b)
            w = w * same[:, None]
            n = n * same
            Cw, Cn = cum(w), cum(n)
            # pairs i with a0 <= i < a1; empty (and clamped) when the window has < 2 tokens
            a0c = np.minimum(a0, n_pairs)
            a1c = np.minimum(np.maximum(a1, a0), n_pairs)
            logit += Cw[a1c] - Cw[a0c]
            norm2 += Cn[a1c] - Cn[a0c]
        for fam, t, has in (("aL", left_tok, has_l), ("aR", right_tok, has_r)):
            logit += self.w1[fam][t] * has[:, None]
            norm2 += self.n1[fam][t] * has
        has_r2 = g + 2 < en
        right2 = np.where(has_r2, T[np.minimum(g + 2, n_tok - 1)], unk)
        w, n = self._pair("aR2", right_tok, right2)
        logit += w * has_r2[:, None]
        norm2 += n * has_r2
        bucket = np.minimum(g - st, 10) // 3
        logit += self.pos_w[bucket]
        norm2 += self.pos_n[bucket]
        logit = logit / np.sqrt(np.maximum(norm2, 1e-12))[:, None]
        # dense valence features
        CV = np.concatenate([[0.0], np.cumsum(V)])
        CP = np.concatenate([[0.0], np.cumsum(np.clip(V, 0, None))])
        CN = np.concatenate([[0.0], np.cumsum(np.clip(V, None, 0))])
        is_clause = T == tok[CLAUSE]
        idx = np.arange(n_tok)
        last_clause = np.maximum.accumulate(np.where(is_clause, idx, -1))
        next_clause = np.minimum.accumulate(np.where(is_clause, idx, n_tok)[::-1])[::-1]
        cl = np.maximum(np.where(g > 0, last_clause[np.maximum(g - 1, 0)], -1), st - 1) + 1
        cl = np.where(g > st, cl, st)
        cr = np.where(g + 1 < n_tok, next_clause[np.minimum(g + 1, n_tok - 1)], n_tok)
        cr = np.minimum(np.where(g + 1 < en, cr, en), en)
        a0 = np.maximum(cl, g - W_VALENCE)
        lw = CV[g] - CV[np.minimum(a0, g)]
        b1 = np.minimum(cr, g + 1 + W_VALENCE)
        rw = CV[np.maximum(b1, g + 1)] - CV[g + 1]
        tot = CV[en] - CV[st]
        root = np.sqrt(en - st)
        dense = np.stack([_squash(tot), _squash(lw), _squash(rw), _squash(lw + rw),
                          (CP[en] - CP[st]) / root, (CN[en] - CN[st]) / root], axis=1)
        logit = logit + dense @ self.w_dense.T + self.intercept
        logit -= logit.max(axis=1, keepdims=True)
        prob = np.exp(logit)
        return prob / prob.sum(axis=1, keepdims=True)

    def score_items(self, sentences, starts, ends, others):
        """Probabilities for items (sentence, target span, other spans); items sharing a
        sentence and span set are scored in one pass."""
        group_of, groups, where = {}, [], []
        for s, a, b, o in zip(sentences, starts, ends, others):
            spans, t = resolve_spans(int(a), int(b), [tuple(x) for x in o])
            key = (s, tuple(spans))
            if key not in group_of:
                group_of[key] = len(groups)
                groups.append(key)
            where.append((group_of[key], t))
        probs = self.score_sentences([k[0] for k in groups], [list(k[1]) for k in groups])
        # score_sentences returns mentions sentence by sentence, span by span
        first = np.cumsum([0] + [len(k[1]) for k in groups])
        return np.array([probs[first[g] + t] for g, t in where]).reshape(-1, len(self.classes))


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
    if len(items) == 0:
        return np.zeros(0), np.zeros(0, int)
    p = model.score_items(items["sentence"], items["start"], items["end"], others)
    cls = dict(zip(model.classes.tolist(), range(len(model.classes))))
    return p[:, cls[1]] - p[:, cls[-1]], model.classes[p.argmax(axis=1)]


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
                     "ci_low", "ci_high", "ci_method", "share_negative", "share_neutral",
                     "share_positive", "n_articles"]


def actor_sentiment(scored: pd.DataFrame, *, n_boot=1000, seed=0, confidence=0.95,
                    voice="all") -> pd.DataFrame:
    """Per outlet x actor x method: mean score with a 95% bootstrap interval (mentions
    resampled), number of mentions, and shares negative / neutral / positive.

    Returns
    -------
    DataFrame
        ``outlet, actor, actor_name, method, n, n_quoted, mean, ci_low, ci_high, ci_method,
        share_negative, share_neutral, share_positive, n_articles``; ``ci_method`` is
        ``bootstrap``, or ``normal`` above 20,000 mentions (see ``stats.mean_interval``).
    """
    from .stats import mean_ci_method, mean_interval, rng_for
    s = scored
    if voice == "own":
        s = s[~s["in_quote"]]
    elif voice == "quoted":
        s = s[s["in_quote"]]
    rows = []
    for (outlet, actor, method), g in s.groupby(["outlet", "actor", "method"], sort=True,
                                                observed=True):
        v = g["score"].to_numpy(float)
        lo, hi = mean_interval(v, n_boot, rng_for(seed, outlet, actor, method), confidence)
        p = g["polarity"].to_numpy()
        rows.append((outlet, actor, g["actor_name"].iloc[0], method, len(v),
                     int(g["in_quote"].sum()), float(v.mean()), lo, hi, mean_ci_method(len(v)),
                     float(np.mean(p == -1)),
                     float(np.mean(p == 0)), float(np.mean(p == 1)),
                     int(g["article_id"].nunique())))
    return pd.DataFrame(rows, columns=SENTIMENT_COLUMNS)


EVIDENCE_COLUMNS = ["outlet", "actor", "method", "direction", "rank", "score", "in_quote",
                    "article_id", "sentence_id", "alias", "sentence"]


def evidence(scored: pd.DataFrame, *, k=3, actor=None, outlet=None) -> pd.DataFrame:
    """The k most negative and k most positive mentions per outlet x actor x method, one per
    sentence, with their sentences: the rows behind each mean (see :func:`top_evidence`)."""
    s = scored
    if actor is not None:
        s = s[s["actor"] == actor]
    if outlet is not None:
        s = s[s["outlet"] == outlet]
    order, ids = pd.factorize(s["article_id"])
    rows = list(zip(s["outlet"], s["actor"], s["method"], s["score"].astype(float), order,
                    s["sentence_id"].astype(int), s["start"].astype(int),
                    s["in_quote"].astype(bool), s["alias"], s["sentence"]))
    out = pd.DataFrame(top_evidence(rows, k), columns=["outlet", "actor", "method",
                                                        "direction", "score", "in_quote",
                                                        "article_index", "sentence_id",
                                                        "start", "alias", "sentence"])
    out["article_id"] = np.asarray(ids, dtype=object)[out["article_index"].to_numpy(int)] \
        if len(out) else []
    out["rank"] = out.groupby(["outlet", "actor", "method", "direction"]).cumcount() + 1
    return out[EVIDENCE_COLUMNS]


def top_evidence(rows, k):
    """Per (outlet, actor, method): the k most negative and k most positive mentions, one per
    sentence, ties broken by article order then position.

    ``rows``: (outlet, actor, method, score, article index, sentence_id, start, in_quote,
    alias, sentence). Returns rows (outlet, actor, method, direction, score, in_quote,
    article index, sentence_id, start, alias, sentence). A cell's top k is always among the
    top k of any part of it, so chunks can be reduced separately and then together."""
    out = []
    cells = {}
    for r in rows:
        cells.setdefault((r[0], r[1], r[2]), []).append(r)
    for key in sorted(cells):
        rs = sorted(cells[key], key=lambda r: (r[3], r[4], r[6]))  # score, article, start
        for direction, seq in (("negative", [r for r in rs if r[3] < 0]),
                               ("positive", sorted([r for r in rs if r[3] > 0],
                                                   key=lambda r: (-r[3], r[4], r[6])))):
            seen = set()
            for r in seq:
                if (r[4], r[5]) in seen:
                    continue
                seen.add((r[4], r[5]))
                out.append((r[0], r[1], r[2], direction, r[3], r[7], r[4], r[5], r[6], r[8],
                            r[9]))
                if len(seen) == k:
                    break
    return out
