"""Spread the per-article analysis over processes, in chunks, with a progress bar.

Chunks are merged in their original order, so the result is identical for any number of jobs.
"""

from __future__ import annotations

import sys
from concurrent.futures import ProcessPoolExecutor

import pandas as pd

from .analyze import Analysis, Analyzer, _frame
from . import schema

_WORKER = {}


def _init(config):
    _WORKER["analyzer"] = Analyzer(config)


def _run_chunk(records):
    an = _WORKER["analyzer"]
    s, h, m = [], [], []
    for aid, outlet, text in records:
        a, b, c = an.article(aid, outlet, text)
        s.extend(a)
        h.extend(b)
        m.extend(c)
    return s, h, m


def _progress(total, quiet, desc):
    from tqdm.auto import tqdm
    return tqdm(total=total, desc=desc, unit="art", disable=quiet or None,
                file=sys.stderr, leave=False)


def analyze_parallel(articles: pd.DataFrame, config, *, jobs=1, quiet=False,
                     chunk=None) -> Analysis:
    chunk = chunk or max(1, min(config["build"]["chunk_articles"], len(articles) // (jobs * 4) or 1))
    records = list(zip(articles["article_id"], articles["outlet"], articles["text"]))
    chunks = [records[i:i + chunk] for i in range(0, len(records), chunk)]
    s, h, m = [], [], []
    bar = _progress(len(records), quiet, "segment+match")
    if jobs <= 1 or len(chunks) <= 1:
        _init(config)
        results = map(_run_chunk, chunks)
        for part, c in zip(results, chunks):
            s.extend(part[0]); h.extend(part[1]); m.extend(part[2])
            bar.update(len(c))
    else:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init,
                                 initargs=(config,)) as ex:
            for part, c in zip(ex.map(_run_chunk, chunks), chunks):
                s.extend(part[0]); h.extend(part[1]); m.extend(part[2])
                bar.update(len(c))
    bar.close()
    return Analysis(_frame(s, schema.SENTENCES), _frame(h, schema.HITS),
                    _frame(m, schema.MENTIONS))
