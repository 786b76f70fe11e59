"""Actor sentiment: masking, windows, the shipped model, evaluation on a hand-made fixture."""

import json

import numpy as np
import pandas as pd
import pytest

from framing.cli import main
from framing.errors import FramingError
from framing.measures.sentiment import (TrainedModel, _mask, actor_sentiment, evaluate,
                                        evidence, macro_f1, read_newsmtsc, score_items,
                                        score_mentions, window_text)

S = "Israeli strikes killed seven Revolutionary Guard members; Russia welcomed the deal."


def span(text, word):
    i = text.index(word)
    return i, i + len(word)


def test_masking_target_and_others():
    t = span(S, "Israeli")
    others = [span(S, "Revolutionary Guard"), span(S, "Russia")]
    masked, s, e = _mask(S, *t, others)
    assert masked == "TGT strikes killed seven ENT members; ENT welcomed the deal."
    assert masked[s:e] == "TGT"


def test_each_actor_gets_its_own_clause_bounded_window():
    isr, irgc, rus = span(S, "Israeli"), span(S, "Revolutionary Guard"), span(S, "Russia")
    assert window_text(S, *isr, [irgc, rus], 8) == ("", "strikes killed seven members")
    assert window_text(S, *rus, [isr, irgc], 8) == ("", "welcomed the deal.")
    assert window_text(S, *irgc, [isr, rus], 2) == ("killed seven", "members")


def fixture_file(tmp_path):
    # VADER compound: praised/wonderful > 0, killed/horrible < 0, the other two 0;
    # Dave's sentence is labelled positive, so the sentence method gets it wrong
    rows = [("Alice praised the wonderful new plan.", "Alice", 6.0),
            ("Bob was killed in a horrible attack.", "Bob", 2.0),
            ("Carol met the committee on Tuesday.", "Carol", 4.0),
            ("Dave attended the meeting on Monday.", "Dave", 6.0)]
    p = tmp_path / "mini.jsonl"
    with p.open("w") as fh:
        for k, (sent, who, pol) in enumerate(rows):
            fh.write(json.dumps({"primary_gid": f"g{k}", "sentence_normalized": sent,
                                 "targets": [{"Input.gid": f"g{k}", "from": 0,
                                              "to": len(who), "mention": who,
                                              "polarity": pol}]}) + "\n")
    return p


def test_evaluation_on_hand_made_fixture(tmp_path):
    res = evaluate(fixture_file(tmp_path), ["sentence", "window", "trained"])
    sent = res["methods"]["sentence"]
    # predictions +1, -1, 0, 0 against truth +1, -1, 0, +1: accuracy 3/4;
    # F1: negative 1, neutral 2*(1/2*1)/(1/2+1) = 2/3, positive 2*(1*1/2)/(1+1/2) = 2/3
    assert sent == {"accuracy": 0.75, "macro_f1": round((1 + 2 / 3 + 2 / 3) / 3, 4), "n": 4}
    assert set(res["methods"]) == {"sentence", "window", "trained"}
    assert res["default"] == "trained"


def test_eval_cli_json(tmp_path, capsys):
    assert main(["eval-sentiment", str(fixture_file(tmp_path)), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"default", "methods"}
    assert set(out["methods"]["window"]) == {"accuracy", "macro_f1", "n"}


def test_bad_newsmtsc_file(tmp_path):
    p = tmp_path / "bad.jsonl"
    p.write_text('{"sentence_normalized": "x", "targets": [{"from": 0, "to": 1, '
                 '"mention": "x", "polarity": 5.0}]}\n')
    with pytest.raises(FramingError, match=r"bad.jsonl, line 1: .*polarity 5.0"):
        read_newsmtsc(p)
    assert main(["eval-sentiment", str(tmp_path / "missing.jsonl")]) == 2


def test_macro_f1_by_hand():
    y = np.array([1, 1, 0, -1])
    p = np.array([1, 0, 0, 0])
    # pos: P=1 R=1/2 F=2/3; neu: P=1/3 R=1 F=1/2; neg: F=0
    assert macro_f1(y, p) == pytest.approx((2 / 3 + 1 / 2 + 0) / 3)


def test_model_is_plain_json_and_loads():
    from importlib import resources
    raw = resources.files("framing.data").joinpath("models/sentiment.json").read_bytes()
    d = json.loads(raw)  # plain JSON: loading it cannot run code
    assert d["format"] == "framing-sentiment-linear/2"
    assert d["meta"]["trained_on"] == "NewsMTSC train.jsonl"
    m = TrainedModel.load()
    assert m.coef.shape == (3, len(m.features) + len(m.dense_scale))
    assert list(m.classes) == [-1, 0, 1]


def _reference_probs(model, items):
    """Score items the slow, explicit way: string features -> matrix -> softmax."""
    from framing.measures.sentiment import reference_features, reference_matrix
    fl, dl = [], []
    for s, a, b, o in zip(items["sentence"], items["start"], items["end"], items["others"]):
        f, d = reference_features(s, a, b, o)
        fl.append(f)
        dl.append(d)
    x = reference_matrix(fl, dl, model.vocabulary, model.idf, model.dense_scale)
    logit = x @ model.coef.T + model.intercept
    logit -= logit.max(axis=1, keepdims=True)
    p = np.exp(logit)
    return p / p.sum(axis=1, keepdims=True)


def test_vectorised_scorer_equals_reference_features(analysis):
    from framing.measures.sentiment import mention_items
    model = TrainedModel.load()
    it = mention_items(analysis.mentions, analysis.sentences)
    items = pd.DataFrame({"sentence": it["sentence"], "start": it["start_rel"],
                          "end": it["end_rel"], "others": it["others"]})
    extra = pd.DataFrame({  # edge cases: target first/last, overlaps, clause marks, 'but'
        "sentence": ["Iran", "Russia praised Iran; but Israel (angrily) hit Iran's allies!",
                     "The United States and the US-led coalition struck.",
                     "Not a good day for Hezbollah, said the very angry Assad."],
        "start": [0, 15, 4, 19], "end": [4, 19, 17, 28],
        "others": [(), ((0, 6), (29, 35), (48, 52)), ((0, 17), (26, 42)), ((47, 52),)]})
    last = pd.DataFrame({"sentence": ["They struck Iran"], "start": [12], "end": [16],
                         "others": [()]})  # a target that is the last token of the batch
    items = pd.concat([items, extra, last], ignore_index=True)
    fast = model.score_items(items["sentence"], items["start"], items["end"], items["others"])
    np.testing.assert_allclose(fast, _reference_probs(model, items), atol=1e-9)
    assert len(items) > 380


def test_bad_model_file(tmp_path):
    p = tmp_path / "m.json"
    p.write_text('{"vocabulary": {}}')
    with pytest.raises(FramingError, match="not a framing sentiment model"):
        TrainedModel.load(p)


def test_trained_model_separates_clear_cases():
    items = pd.DataFrame({"sentence": ["Smith was praised for his brave and generous work.",
                                       "Smith was accused of fraud and corruption."],
                          "start": [0, 0], "end": [5, 5]})
    score, cls = score_items(items, "trained")
    assert score[0] > 0.2 and score[1] < -0.2
    assert list(cls) == [1, -1]


def test_scores_and_table(analysis):
    m = analysis.mentions
    scored = score_mentions(m[m.actor == "hezbollah"], analysis.sentences, "sentence")
    # the sentence method gives every mention its sentence's VADER compound
    from framing.measures.sentiment import compound
    assert np.allclose(scored.score, [compound(s) for s in scored.sentence])
    t = actor_sentiment(scored, n_boot=200, seed=3)
    mj = t[t.outlet == "Majalla"].iloc[0]
    assert mj["n"] == 19 and mj["n_quoted"] == 4
    assert mj["mean"] == pytest.approx(scored[scored.outlet == "Majalla"].score.mean())
    assert mj["ci_low"] <= mj["mean"] <= mj["ci_high"]
    assert mj[["share_negative", "share_neutral", "share_positive"]].sum() == pytest.approx(1)
    ev = evidence(scored, k=2, outlet="Majalla")
    neg = ev[ev.direction == "negative"]
    assert list(neg.score) == sorted(neg.score)
    assert neg.score.iloc[0] == scored[scored.outlet == "Majalla"].score.min()
    assert not ev.duplicated(["direction", "article_id", "sentence_id"]).any()


def test_iran_backed_militias_are_not_iran(analysis):
    m = analysis.mentions
    ib = m[m.alias.str.lower() == "iran-backed militias"]
    assert len(ib) > 0 and set(ib.actor) == {"iran_aligned_militias"}
    assert not ((m.actor == "iran") & m.alias.str.lower().str.contains("backed")).any()


def test_evidence_cli(capsys):
    assert main(["evidence", "Hezbollah", "--outlet", "Majalla", "-k", "2"]) == 0
    out = capsys.readouterr().out
    assert "mean" in out and "19 mentions" in out
    assert main(["evidence", "Atlantis"]) == 2


def test_batch_valences_equal_per_sentence():
    from framing.measures.sentiment import masked_tokens, valences, valences_batch
    sents = ["I am not very happy but they are extremely good", "", "but good",
             "no no no bad", "Hezbollah barely won, but not well", "good"]
    toks = [masked_tokens(s, [])[0] for s in sents]
    starts = np.cumsum([0] + [len(t) for t in toks[:-1]])
    ends = starts + np.array([len(t) for t in toks])
    batch = valences_batch([t for ts in toks for t in ts], starts, ends)
    expect = np.concatenate([valences(t) for t in toks])
    np.testing.assert_allclose(batch, expect, atol=1e-12)
    assert expect[0:11].any()  # the case exercises boosters, negation and 'but'
