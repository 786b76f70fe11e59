"""Sentences, words and quotation spans, offline, with character offsets into the cleaned text.

A careful regex splitter rather than NLTK's Punkt: Punkt needs a downloaded model and runs at
about 3 MB/s; this one needs nothing and runs at tens of MB/s. It does not break after the
abbreviations listed in defaults.toml (Gen., Brig., Mr., U.S. …), after single-letter initials,
or before the closing quote mark of a quoted sentence. Paragraphs (blank-line separated, as the
cleaner writes them) always end a sentence.

Quotation spans pair double quotes (straight and curly) by context, so a quote opened with '"'
and closed with '”' is still one quotation, and a quote that runs over several sentences is one
span. A paragraph that ends inside an open quote closes it, unless the next paragraph opens with
a quote mark (the convention for multi-paragraph quotations). Curly single quotes ‘…’ outside a
double quotation count as quotation too; straight single quotes are apostrophes.
"""

from __future__ import annotations

import re
from bisect import bisect_right

import numpy as np
import pandas as pd

from . import schema

WORD = re.compile(r"[^\W_]+(?:(?:\.?[-'’]|\.)[^\W_]+)*", re.UNICODE)
_PARA = re.compile(r"\n\s*\n")
# candidate sentence end: terminal punctuation, closing quotes/brackets, then space
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]*[A-Z0-9])")
_DQ = set('"“”„‟')
_QCHAR = re.compile('["“”„‟]')


def _default_abbreviations():
    from .config import load_config
    return load_config()["segment"]["abbreviations"]


class Segmenter:
    """Split cleaned article text into sentences, words and quotation spans."""

    def __init__(self, abbreviations=None):
        if abbreviations is None:
            abbreviations = _default_abbreviations()
        self.abbreviations = frozenset(a.lower().rstrip(".") for a in abbreviations)

    # -- sentences ---------------------------------------------------------------------------
    def _is_abbreviation(self, text: str, dot: int) -> bool:
        """Is the '.' at ``dot`` the end of an abbreviation or initial?"""
        j = dot
        while j > 0 and not text[j - 1].isspace() and text[j - 1] not in "(\"“‘[":
            j -= 1
        word = text[j:dot].lower()
        if not word:
            return False
        if word in self.abbreviations:
            return True
        if len(word) == 1 and word.isalpha():  # an initial: 'J. Smith'
            return True
        if re.fullmatch(r"(?:[a-z]\.)+[a-z]", word):  # U.S, e.g, a.m
            return True
        return False

    def sentence_spans(self, text: str):
        """Yield (paragraph_index, start, end) for each sentence."""
        for p, para in enumerate(_iter_paragraphs(text)):
            start, end = para
            seg_start = start
            for m in _END.finditer(text, start, end):
                punct_end = m.start() + len(m.group(0).rstrip("\"'”’)]"))
                last = punct_end - 1
                if text[last] == "." and text[m.start():punct_end] == "." and \
                        self._is_abbreviation(text, m.start()):
                    continue
                s, e = _strip_span(text, seg_start, m.end())
                if e > s:
                    yield p, s, e
                seg_start = m.end()
            s, e = _strip_span(text, seg_start, end)
            if e > s:
                yield p, s, e

    # -- quotations --------------------------------------------------------------------------
    def quote_spans(self, text: str):
        """List of (start, end) character spans of quotations, quote marks included."""
        spans = []
        paras = list(_iter_paragraphs(text))
        open_at = None
        for k, (ps, pe) in enumerate(paras):
            if open_at is not None and ps < len(text) and text[ps] not in _DQ:
                # a quote carried over from the previous paragraph goes on only if this one
                # opens with a quote mark (which then continues it)
                spans.append((open_at, paras[k - 1][1]))
                open_at = None
            for m in _QCHAR.finditer(text, ps, pe):
                i = m.start()
                ch = text[i]
                if open_at is not None and i == ps and k > 0:
                    continue  # continuation mark of a multi-paragraph quote
                role = _quote_role(text, i, ps, pe)
                if open_at is None:
                    if role != "close" or ch == "“":
                        open_at = i
                else:
                    if role != "open" or ch == "”":
                        spans.append((open_at, i + 1))
                        open_at = None
            if open_at is not None and (k + 1 >= len(paras) or text[paras[k + 1][0]] not in _DQ):
                spans.append((open_at, pe))
                open_at = None
        # curly single quotes outside double quotes
        for m in re.finditer(r"(?<![\w])‘([^‘’\n]{1,300}?)’(?![\w])", text):
            if not any(s <= m.start() < e for s, e in spans):
                spans.append((m.start(), m.end()))
        return sorted(spans)


def _quote_role(text, i, ps, pe):
    before = text[i - 1] if i > ps else " "
    after = text[i + 1] if i + 1 < pe else " "
    ch = text[i]
    if ch == "“":
        return "open"
    if ch == "”":
        return "close"
    opens = before.isspace() or before in "([{—–-/" or i == ps
    closes = after.isspace() or after in ".,;:!?)]}—–-" or i + 1 == pe
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return "either"


def _iter_paragraphs(text: str):
    start = 0
    for m in _PARA.finditer(text):
        yield start, m.start()
        start = m.end()
    yield start, len(text)


def _strip_span(text, s, e):
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _in_spans(starts, ends, pos):
    k = bisect_right(starts, pos) - 1
    return k >= 0 and pos < ends[k]


# --------------------------------------------------------------------------------------------
# table functions
# --------------------------------------------------------------------------------------------

def segment_article(article_id, outlet, text, segmenter):
    """Segment one article. Returns (sentence rows, quote spans).

    A word is quoted when it starts inside a quotation span; words are counted with C-level
    ``findall`` over each sentence and each quotation's part of it.
    """
    quotes = segmenter.quote_spans(text)
    qs = [s for s, _ in quotes]
    rows = []
    findall = WORD.findall
    for k, (p, s, e) in enumerate(segmenter.sentence_spans(text)):
        n = len(findall(text, s, e))
        nq = 0
        if quotes:
            j = max(bisect_right(qs, s) - 1, 0)
            while j < len(quotes) and quotes[j][0] < e:
                a, b = max(s, quotes[j][0]), min(e, quotes[j][1])
                if a < b:
                    nq += len(findall(text, a, b))
                j += 1
        rows.append((article_id, k, outlet, p, s, e, n, nq, text[s:e]))
    return rows, quotes


def sentences(articles: pd.DataFrame, *, segmenter: Segmenter | None = None) -> pd.DataFrame:
    """Split articles into sentences.

    Returns
    -------
    sentences : DataFrame
        ``article_id, sentence_id, outlet, paragraph_id, start, end, n_words, n_words_quoted,
        text``; ``sentence_id`` counts from 0 within each article; ``start``/``end`` are offsets
        into the article's cleaned ``text``; ``n_words_quoted`` counts words inside quotations.
    """
    segmenter = segmenter or Segmenter()
    rows = []
    for aid, outlet, text in zip(articles["article_id"], articles["outlet"], articles["text"]):
        rows.extend(segment_article(aid, outlet, text, segmenter)[0])
    df = pd.DataFrame(rows, columns=schema.SENTENCES)
    for col in ("sentence_id", "paragraph_id", "start", "end", "n_words", "n_words_quoted"):
        df[col] = df[col].astype("int64")
    return df


def quotes(articles: pd.DataFrame, *, segmenter: Segmenter | None = None) -> pd.DataFrame:
    """Quotation spans: ``article_id, quote_id, start, end`` (offsets into cleaned text)."""
    segmenter = segmenter or Segmenter()
    rows = []
    for aid, text in zip(articles["article_id"], articles["text"]):
        for k, (s, e) in enumerate(segmenter.quote_spans(text)):
            rows.append((aid, k, s, e))
    return pd.DataFrame(rows, columns=schema.QUOTES)


def tokens(articles: pd.DataFrame, *, segmenter: Segmenter | None = None) -> pd.DataFrame:
    """Words with offsets. Hyphenated compounds ('Iran-backed') and possessives stay one token.

    Returns
    -------
    tokens : DataFrame
        ``article_id, sentence_id, outlet, token_id, token, start, end, in_quote``
    """
    segmenter = segmenter or Segmenter()
    rows = []
    for aid, outlet, text in zip(articles["article_id"], articles["outlet"], articles["text"]):
        spans = segmenter.quote_spans(text)
        qs = [s for s, _ in spans]
        qe = [e for _, e in spans]
        t = 0
        for k, (_, s, e) in enumerate(segmenter.sentence_spans(text)):
            for m in WORD.finditer(text, s, e):
                rows.append((aid, k, outlet, t, m.group(0), m.start(), m.end(),
                             _in_spans(qs, qe, m.start())))
                t += 1
    return pd.DataFrame(rows, columns=schema.TOKENS)


def in_quote_mask(starts, quote_spans) -> np.ndarray:
    """For each offset in ``starts``, is it inside one of ``quote_spans``?"""
    qs = [s for s, _ in quote_spans]
    qe = [e for _, e in quote_spans]
    return np.array([_in_spans(qs, qe, p) for p in starts], dtype=bool)
