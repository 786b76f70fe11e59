"""Rebuild the shipped sentiment model from NewsMTSC.

    framing train-sentiment DATA_DIR [--out framing/data/models/sentiment.json]

DATA_DIR holds NewsMTSC's train.jsonl and newsmtsc-rw/dev.jsonl, newsmtsc-mt/dev.jsonl. The
model is trained on train.jsonl only; the regularisation strength C is chosen on the two dev
files (mean macro-F1). Once the model is fixed, its macro-F1 on the test files (if present) is
recorded in the model's metadata for reports; the test files choose nothing.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import numpy as np

from .measures.sentiment import (TrainedModel, macro_f1, read_newsmtsc, reference_features,
                                 reference_matrix, score_items)

C_GRID = (1.0, 2.0, 4.0, 8.0)
MIN_DF = 2
DENSE_SCALE = 1.0  # dense features are standardised, then multiplied by this


def _featurize(items):
    fl, dl = [], []
    for t, a, b, o in zip(items["sentence"], items["start"], items["end"], items["others"]):
        f, d = reference_features(t, a, b, o)
        fl.append(f)
        dl.append(d)
    return fl, np.array(dl)


def train(data_dir, *, quiet=False, record_test=True):
    from sklearn.linear_model import LogisticRegression
    data_dir = Path(data_dir)
    train_items = read_newsmtsc(data_dir / "train.jsonl")
    devs = {k: read_newsmtsc(data_dir / f"newsmtsc-{k}" / "dev.jsonl") for k in ("rw", "mt")}
    fl, dl = _featurize(train_items)
    df = {}
    for feats in fl:
        for f in feats:
            df[f] = df.get(f, 0) + 1
    features = sorted(f for f, n in df.items() if n >= MIN_DF)
    vocabulary = {f: i for i, f in enumerate(features)}
    n = len(fl)
    idf = np.array([math.log((1 + n) / (1 + df[f])) + 1 for f in features])
    scale = DENSE_SCALE / np.maximum(dl.std(axis=0), 1e-6)
    x = reference_matrix(fl, dl, vocabulary, idf, scale)
    y = train_items["label"].to_numpy()
    dev_x = {k: reference_matrix(*_featurize(v), vocabulary, idf, scale)
             for k, v in devs.items()}
    best = None
    for c in C_GRID:
        clf = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
        clf.fit(x, y)
        f1 = {k: macro_f1(devs[k]["label"].to_numpy(), clf.predict(dev_x[k])) for k in devs}
        mean = float(np.mean(list(f1.values())))
        if not quiet:
            print(f"C={c}: dev macro-F1 rw={f1['rw']:.3f} mt={f1['mt']:.3f}", file=sys.stderr)
        if best is None or mean > best[0]:
            best = (mean, c, clf, f1)
    _, c, clf, f1 = best
    meta = {"trained_on": "NewsMTSC train.jsonl", "n_train": int(n), "C": c,
            "dev_macro_f1": {k: round(v, 4) for k, v in f1.items()}, "min_df": MIN_DF,
            "reference": "Hamborg & Donnay (2021), NewsMTSC, EACL"}
    model = TrainedModel(features, idf, clf.coef_, clf.intercept_, clf.classes_, scale, meta)
    tests = {k: data_dir / f"newsmtsc-{k}" / "test.jsonl" for k in ("rw", "mt")}
    if record_test and all(p.is_file() for p in tests.values()):
        res = {}
        for k, p in tests.items():
            items = read_newsmtsc(p)
            y = items["label"].to_numpy()
            res[k] = {}
            for method in ("sentence", "window"):
                res[k][method] = round(macro_f1(y, score_items(items, method)[1]), 4)
            probs = model.score_items(items["sentence"], items["start"], items["end"],
                                      items["others"])
            res[k]["trained"] = round(macro_f1(y, model.classes[probs.argmax(axis=1)]), 4)
        meta["test_macro_f1"] = res
    return model, clf, x


def main(argv=None):
    p = argparse.ArgumentParser(prog="framing train-sentiment", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("data_dir")
    p.add_argument("--out", default=str(Path(__file__).parent / "data" / "models" /
                                        "sentiment.json"))
    args = p.parse_args(argv)
    model, _, _ = train(args.data_dir)
    Path(args.out).write_text(model.to_json(), encoding="utf-8")
    print(f"wrote {args.out} (C={model.meta['C']}, dev {model.meta['dev_macro_f1']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
