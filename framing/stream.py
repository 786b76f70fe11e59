"""Streamed, parallel analysis of a corpus of any size.

The corpus is read in chunks of articles. Each chunk is cleaned, segmented, matched, counted
and scored in a worker process, which returns compact per-article and per-sentence counts, the
mention scores, and a bounded sample of evidence (the k strongest sentences per outlet x actor x
method and direction). The main process merges chunks in their original order, so results are
identical for any number of jobs or chunk size, and the corpus text is never held in memory at
once: only counts, and the text of the evidence sentences kept.
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .corpus import (CleaningRules, clean_articles, count_table_rows, iter_table_chunks,
                     load_file_group, normalize_table, read_manifest, records_frame)
from .errors import FramingError
from .measures.sentiment import top_evidence

STAGES = ("read and clean", "segment", "loaded terms", "contrasts", "actor sentiment")
EVIDENCE_COLUMNS = ["outlet", "actor", "method", "direction", "score", "in_quote",
                    "article_index", "sentence_id", "start", "alias", "sentence"]


# --------------------------------------------------------------------------------------------
# planning: the chunks of a corpus
# --------------------------------------------------------------------------------------------

@dataclass
class Survey:
    """What one cheap pass over a corpus tells before the stream: its size and outlets."""

    total: int | None          # number of articles (None if it cannot be known cheaply)
    outlets: tuple             # outlet names (for masking them in the n-gram counts)
    groups: list | None = None  # a folder's validated manifest rows, grouped by file


_OUTLET_FIELD = {}


def survey(corpus, config) -> Survey:
    """One pass: a folder's manifest (validated, so bad rows fail before any work), or a
    table's outlet column and row count. Problems inside a table are left to the stream,
    which reports them with their line."""
    corpus = Path(corpus)
    col = config["corpus"]["outlet_column"]
    if corpus.is_dir():
        groups = read_manifest(corpus)
        return Survey(sum(len(g) for _, g in groups),
                      tuple(sorted({r["outlet"] for _, g in groups for r in g})), groups)
    if not corpus.is_file():
        raise FramingError(corpus, "no such corpus folder or table")
    suffix = corpus.suffix.lower()
    names, total = set(), None
    try:
        if suffix in (".jsonl", ".ndjson", ".json"):
            import json
            import re
            field = _OUTLET_FIELD.setdefault(col, re.compile(
                rb'"' + re.escape(col.encode()) + rb'"\s*:\s*"((?:[^"\\]|\\.)*)"'))
            total = 0
            with corpus.open("rb") as fh:
                for line in fh:
                    if not line.strip():
                        continue
                    total += 1
                    m = field.search(line)
                    if m is not None and b"\\" not in m.group(1):
                        names.add(m.group(1).decode("utf-8").strip())
                    else:  # escapes, or the key not where the quick pattern looks
                        v = json.loads(line).get(col)
                        if isinstance(v, str):
                            names.add(v.strip())
        elif suffix == ".csv":
            total = 0
            for df in pd.read_csv(corpus, usecols=[col], dtype=str, keep_default_na=False,
                                  chunksize=200_000):
                names.update(df[col].str.strip())
                total += len(df)
        elif suffix in (".parquet", ".pq"):
            s = pd.read_parquet(corpus, columns=[col])[col]
            names.update(s.astype(str).str.strip())
            total = len(s)
    except (ValueError, KeyError, ImportError, UnicodeDecodeError, AttributeError):
        return Survey(None, ())  # the stream reports the file's problem with its line
    return Survey(total, tuple(sorted(n for n in names if n)))


def plan(corpus, config, chunk_articles, surveyed: Survey | None = None):
    """(number of articles or None if unknown, iterator of chunk payloads)."""
    corpus = Path(corpus)
    cc = config["corpus"]
    if corpus.is_dir():
        sv = surveyed if surveyed is not None and surveyed.groups is not None \
            else survey(corpus, config)
        groups = sv.groups

        def folder_chunks():
            batch, n = [], 0
            for file, group in groups:
                batch.append((file, group))
                n += len(group)
                if n >= chunk_articles:
                    yield ("folder", str(corpus), batch)
                    batch, n = [], 0
            if batch:
                yield ("folder", str(corpus), batch)
        return sv.total, folder_chunks()
    if not corpus.is_file():
        raise FramingError(corpus, "no such corpus folder or table")
    total = surveyed.total if surveyed is not None else count_table_rows(corpus)
    if corpus.is_file() and corpus.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        # raw lines go to the workers, which parse them: the main process only reads
        def jsonl_chunks():
            first, lines = 0, []
            with corpus.open("rb") as fh:
                for k, raw in enumerate(fh, start=1):
                    lines.append((k, raw))
                    if len(lines) >= chunk_articles:
                        yield ("jsonl", str(corpus), (first, lines, cc["text_column"],
                                                      cc["outlet_column"]))
                        first += len(lines)
                        lines = []
            if lines or first == 0:
                yield ("jsonl", str(corpus), (first, lines, cc["text_column"],
                                              cc["outlet_column"]))
        return total, jsonl_chunks()
    if corpus.is_file():
        header = 1 if corpus.suffix.lower() == ".csv" else 0

        def table_chunks():
            for first, df in iter_table_chunks(corpus, chunk_articles):
                yield ("table", str(corpus), (first, header, df, cc["text_column"],
                                              cc["outlet_column"]))
        return total, table_chunks()


# --------------------------------------------------------------------------------------------
# the worker
# --------------------------------------------------------------------------------------------

_W: dict = {}


@dataclass
class Options:
    contrasts: bool = True
    article_ngrams: bool = True          # keep per-article n-gram counts (article TF-IDF)
    methods: tuple = ("trained",)        # sentiment methods to score; () = none
    evidence_k: int = 3
    outlet_names: tuple = ()             # masked in the n-gram counts
    window_words: int = 8


def init_worker(config, options: Options):
    from .analyze import Analyzer
    from .lexicon import actors_table, lexicon_table
    _W.clear()
    _W["options"] = options
    _W["analyzer"] = Analyzer(config)
    _W["rules"] = CleaningRules.from_data(config.cleaning)
    _W["terms"] = {t: i for i, t in enumerate(lexicon_table(config.lexicon)["term"])}
    at = actors_table(config.actors)
    _W["alias"] = {(a, lab, al): i for i, (a, lab, al) in
                   enumerate(zip(at["actor"], at["label"], at["alias"]))}
    _W["alias_actor"] = np.array([a for a in at["actor"]], dtype=object)
    _W["alias_names"] = list(at["alias"])
    actors = sorted(set(at["actor"]) - {""})
    _W["actor_index"] = np.array([actors.index(a) if a else -1 for a in at["actor"]])
    _W["actors"] = actors
    if options.contrasts:
        from .measures.contrasts import NgramCounter
        c = config["contrasts"]
        _W["ngrams"] = NgramCounter(ngram_range=(c["ngram_min"], c["ngram_max"]),
                                    stop_words=c["stop_words"], mask=options.outlet_names)


@dataclass
class Chunk:
    """What one chunk adds up to; article indices are local to the chunk."""

    articles: pd.DataFrame   # meta and counts, one row per article
    report: pd.DataFrame     # cleaning report rows
    sentences: np.ndarray    # (article, sentence_id, n_words, n_words_quoted)
    hits: np.ndarray         # (article, sentence_id, term index, in_quote, n)
    mentions: np.ndarray     # (article, sentence_id, alias index, in_quote, start, end)
    scores: dict             # method -> (score float32[], polarity int8[]) per mention
    ngrams: dict             # outlet -> Counter
    article_ngrams: list     # per article Counter, or None
    evidence: list           # candidate rows (EVIDENCE_COLUMNS)
    seconds: dict = field(default_factory=dict)


def _raw_chunk(payload) -> pd.DataFrame:
    kind, where, body = payload
    if kind == "folder":
        records = []
        for file, group in body:
            records.extend(load_file_group(Path(where), file, group))
        return records_frame(records)
    if kind == "jsonl":
        from .corpus import _parse_jsonl
        first, lines, text_col, outlet_col = body
        if not lines:
            raise FramingError(where, "file is empty")
        return normalize_table(_parse_jsonl(Path(where), lines), Path(where), text_col,
                               outlet_col, first, 0)
    first, header, df, text_col, outlet_col = body
    return normalize_table(df, Path(where), text_col, outlet_col, first, header)


def process_chunk(payload) -> Chunk:
    from .segment import segment_article
    clock = time.process_time
    secs = dict.fromkeys(STAGES, 0.0)
    opts: Options = _W["options"]
    an = _W["analyzer"]
    terms, alias = _W["terms"], _W["alias"]

    t0 = clock()
    raw = _raw_chunk(payload)
    articles, report = clean_articles(raw, _W["rules"])
    ids, outlets, texts = (list(articles["article_id"]), list(articles["outlet"]),
                           list(articles["text"]))
    secs["read and clean"] += clock() - t0

    t0 = clock()
    segs = [segment_article(aid, o, text, an.segmenter) for aid, o, text in
            zip(ids, outlets, texts)]
    sent_rows = [(i, r[1], r[6], r[7]) for i, (rows, _) in enumerate(segs) for r in rows]
    secs["segment"] += clock() - t0

    t0 = clock()
    hit_rows, mention_rows = [], []
    for i, (text, (rows, quotes)) in enumerate(zip(texts, segs)):
        agg = Counter((sid, terms[term], q) for _, _, (term, _), sid, q in
                      an.matches(an.terms, text, rows, quotes))
        hit_rows.extend((i, sid, ti, q, n) for (sid, ti, q), n in agg.items())
        mention_rows.extend((i, sid, alias[(actor, label, al)], q, s, e)
                            for s, e, (actor, _, label, al), sid, q in
                            an.matches(an.actors, text, rows, quotes))
    secs["loaded terms"] += clock() - t0

    t0 = clock()
    ngrams, per_article = {}, ([] if opts.article_ngrams else None)
    if opts.contrasts:
        counter = _W["ngrams"]
        for o, text, (rows, _) in zip(outlets, texts, segs):
            spans = [(r[4], r[5]) for r in rows]
            if per_article is not None:
                c = counter.count(text, spans)
                ngrams.setdefault(o, Counter()).update(c)
                per_article.append(c)
            else:  # large corpora: count straight into the outlet's counter
                counter.count(text, spans, into=ngrams.setdefault(o, Counter()))
    secs["contrasts"] += clock() - t0

    t0 = clock()
    mentions = np.array(mention_rows, dtype=np.int32).reshape(-1, 6)
    scores, evidence = _score(mentions, texts, segs, outlets, opts)
    secs["actor sentiment"] += clock() - t0

    art = articles.drop(columns=["raw_text", "text", "line_offset"], errors="ignore")
    art = art.assign(n_sentences=[len(r) for r, _ in segs],
                     n_words=[sum(x[6] for x in r) for r, _ in segs],
                     n_words_quoted=[sum(x[7] for x in r) for r, _ in segs],
                     digest=[hashlib.sha256(f"{a}\x00{o}\x00{t}".encode("utf-8")).hexdigest()
                             for a, o, t in zip(ids, outlets, raw["raw_text"])])
    return Chunk(art, report, np.array(sent_rows, dtype=np.int32).reshape(-1, 4),
                 np.array(hit_rows, dtype=np.int32).reshape(-1, 5), mentions, scores, ngrams,
                 per_article, evidence, secs)


def _score(mentions, texts, segs, outlets, opts):
    """Score every mention with each method; collect evidence candidates."""
    from .measures.sentiment import score_items
    if not opts.methods or len(mentions) == 0:
        return {}, []
    # each mention with its sentence and the other mentions of that sentence
    by_sentence = {}
    for j, (i, sid, _, _, s, e) in enumerate(mentions.tolist()):
        by_sentence.setdefault((i, sid), []).append((j, s, e))
    rows = {}
    for (i, sid), ms in by_sentence.items():
        srow = segs[i][0][sid]
        spans = [(s - srow[4], e - srow[4]) for _, s, e in ms]
        for (j, _, _), span in zip(ms, spans):
            rows[j] = (srow[8], span[0], span[1], tuple(x for x in spans if x != span))
    items = pd.DataFrame([rows[j] for j in range(len(mentions))],
                         columns=["sentence", "start", "end", "others"])
    scores = {}
    for method in opts.methods:
        score, pol = score_items(items, method, window_words=opts.window_words)
        scores[method] = (score.astype(np.float32), pol.astype(np.int8))
    keys = list(by_sentence)
    sentences = [segs[i][0][sid][8] for i, sid in keys]
    return scores, _candidates(mentions, scores, outlets, sentences, keys, opts.evidence_k)


def _candidates(mentions, scores, outlets, sentences, keys, k):
    """Evidence candidates: per (outlet, actor, method) and direction, the first 4k mentions
    by strength (numpy), deduplicated by sentence to k (Python, on those few rows only)."""
    sent_of = dict(zip(keys, sentences))
    outlet_names = sorted(set(outlets))
    o_idx = np.array([outlet_names.index(o) for o in outlets])
    art, sid, al, q, start = (mentions[:, 0], mentions[:, 1], mentions[:, 2], mentions[:, 3],
                              mentions[:, 4])
    n_act = len(_W["actors"])
    cell = o_idx[art] * n_act + _W["actor_index"][al]
    rows = []
    for method, (score, _) in scores.items():
        for sign in (1, -1):  # negative side: ascending score; positive: descending
            sel = np.nonzero(score * sign < 0)[0]
            if not len(sel):
                continue
            order = sel[np.lexsort((start[sel], art[sel], score[sel] * sign, cell[sel]))]
            c = cell[order]
            bounds = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
            for b0 in bounds:
                take = order[b0:b0 + 4 * k]
                take = take[cell[take] == cell[order[b0]]]
                for j in take:
                    i = int(art[j])
                    rows.append((outlets[i], _W["alias_actor"][al[j]], method, float(score[j]),
                                 i, int(sid[j]), int(start[j]), bool(q[j]),
                                 _W["alias_names"][al[j]], sent_of[(i, int(sid[j]))]))
    return top_evidence(rows, k)


# --------------------------------------------------------------------------------------------
# merging
# --------------------------------------------------------------------------------------------

@dataclass
class Merged:
    """The whole corpus, as counts (article indices are global, in corpus order)."""

    articles: pd.DataFrame
    sentences: np.ndarray
    hits: np.ndarray
    mentions: np.ndarray
    scores: dict
    ngrams: dict
    article_ngrams: list
    evidence: pd.DataFrame
    seconds: dict
    wall_seconds: float
    n_report_rows: int


def run(corpus, config, options: Options, *, jobs=1, chunk_articles=2000, quiet=False,
        report_sink=None, surveyed: Survey | None = None) -> Merged:
    """Stream the corpus through the workers and merge the chunks in order.

    ``report_sink(df)`` receives the cleaning report chunk by chunk (so it can be written out
    without being held in memory).
    """
    from tqdm.auto import tqdm
    tqdm.monitor_interval = 0  # no monitor thread: worker processes are forked from here
    total, payloads = plan(corpus, config, chunk_articles, surveyed)
    bar = tqdm(total=total, unit="art", desc="analysing", disable=quiet or None,
               file=sys.stderr, leave=False, dynamic_ncols=True)
    parts = {k: [] for k in ("articles", "sentences", "hits", "mentions")}
    scores = {m: ([], []) for m in options.methods}
    ngrams, article_ngrams, evidence = {}, ([] if options.article_ngrams else None), []
    seconds = dict.fromkeys(STAGES, 0.0)
    seen_ids: set = set()
    offset = n_report = 0
    t0 = time.perf_counter()

    def absorb(ch: Chunk):
        nonlocal offset, n_report
        dup = [a for a in ch.articles["article_id"] if a in seen_ids]
        if dup:
            raise FramingError(corpus, f"duplicate article_id '{dup[0]}'")
        seen_ids.update(ch.articles["article_id"])
        parts["articles"].append(ch.articles)
        for name in ("sentences", "hits", "mentions"):
            arr = getattr(ch, name).copy()
            arr[:, 0] += offset
            parts[name].append(arr)
        for m, (s, p) in ch.scores.items():
            scores[m][0].append(s)
            scores[m][1].append(p)
        for o, c in ch.ngrams.items():
            ngrams.setdefault(o, Counter()).update(c)
        if article_ngrams is not None and ch.article_ngrams is not None:
            article_ngrams.extend(ch.article_ngrams)
        evidence.extend(r[:6] + (r[6] + offset,) + r[7:] for r in ch.evidence)
        for k, v in ch.seconds.items():
            seconds[k] += v
        if report_sink is not None:
            report_sink(ch.report)
        n_report += len(ch.report)
        offset += len(ch.articles)
        bar.update(len(ch.articles))

    try:
        if jobs <= 1:
            init_worker(config, options)
            for payload in payloads:
                absorb(process_chunk(payload))
        else:
            with ProcessPoolExecutor(max_workers=jobs, initializer=init_worker,
                                     initargs=(config, options)) as ex:
                # a bounded window of chunks in flight keeps memory flat
                pending = []
                for payload in payloads:
                    pending.append(ex.submit(process_chunk, payload))
                    if len(pending) >= 2 * jobs:
                        absorb(pending.pop(0).result())
                for f in pending:
                    absorb(f.result())
    finally:
        bar.close()
    if not parts["articles"]:
        raise FramingError(corpus, "the corpus holds no articles")
    articles = pd.concat(parts["articles"], ignore_index=True)
    cat = {k: np.concatenate(v) if v else np.zeros((0, 1), dtype=np.int32)
           for k, v in parts.items() if k != "articles"}
    merged_scores = {m: (np.concatenate(s) if s else np.zeros(0, np.float32),
                         np.concatenate(p) if p else np.zeros(0, np.int8))
                     for m, (s, p) in scores.items()}
    ev = top_evidence([(r[0], r[1], r[2], r[4], r[6], r[7], r[8], r[5], r[9], r[10])
                        for r in evidence], options.evidence_k)
    ev = pd.DataFrame(ev, columns=EVIDENCE_COLUMNS)
    return Merged(articles, cat["sentences"], cat["hits"], cat["mentions"], merged_scores,
                  ngrams, article_ngrams, ev, seconds, time.perf_counter() - t0, n_report)
