"""Make a synthetic corpus of N articles across M outlets by resampling sentences.

    python benchmarks/generate.py --articles 10000 --outlets 5 --out /tmp/bench/10k.jsonl

Sentences are drawn (with replacement, seeded) from a source corpus (the seeds by default;
any corpus folder or table), after cleaning and segmentation, and joined into paragraphs of
one to three sentences. Article lengths follow the source articles' sentence counts. The
output is a JSON Lines table (``article_id, outlet, title, text``) that `framing build
--corpus` reads. Deterministic for a given --seed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def source_sentences(corpus):
    import framing
    articles = framing.read_corpus(corpus)
    sents = framing.sentences(articles)
    lengths = sents.groupby("article_id").size().to_numpy()
    return sents["text"].tolist(), lengths


def generate(n_articles, n_outlets, out, *, corpus=ROOT / "seeds", seed=0):
    texts, lengths = source_sentences(corpus)
    rng = np.random.default_rng(seed)
    outlets = [f"Outlet {chr(65 + k)}" if k < 26 else f"Outlet {k}" for k in range(n_outlets)]
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    n_bytes = 0
    with out.open("w", encoding="utf-8") as fh:
        for i in range(n_articles):
            n = int(rng.choice(lengths))
            idx = rng.integers(0, len(texts), n)
            paras, k = [], 0
            while k < n:
                step = int(rng.integers(1, 4))
                paras.append(" ".join(texts[j] for j in idx[k:k + step]))
                k += step
            text = "\n\n".join(paras)
            n_bytes += len(text.encode("utf-8"))
            fh.write(json.dumps({"article_id": f"a{i:07d}", "outlet": outlets[i % n_outlets],
                                 "title": f"Article {i}", "text": text},
                                ensure_ascii=False) + "\n")
    return n_bytes


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--articles", type=int, required=True)
    p.add_argument("--outlets", type=int, default=5)
    p.add_argument("--corpus", default=str(ROOT / "seeds"))
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", required=True)
    a = p.parse_args(argv)
    n = generate(a.articles, a.outlets, a.out, corpus=a.corpus, seed=a.seed)
    print(f"wrote {a.out}: {a.articles} articles, {n / 1e6:.1f} MB of text", file=sys.stderr)


if __name__ == "__main__":
    main()
