"""Contrasts: weighted log-odds checked by hand and against an independent transcription."""

import math

import numpy as np
import pandas as pd
import pytest

from framing.cli import main
from framing.measures.contrasts import NgramCounter, log_odds, ngram_counts, tfidf

from monroe_reference import fightin_words


def toy_counts():
    # outlet A: x x y ; outlet B: x y y y
    rows = [("a1", "A", "x", 2), ("a1", "A", "y", 1), ("b1", "B", "x", 1), ("b1", "B", "y", 3)]
    return pd.DataFrame(rows, columns=["article_id", "outlet", "term", "n"])


def test_two_outlets_by_hand():
    # prior = corpus counts: alpha_x = 3, alpha_y = 4, alpha_0 = 7; n_A = 3, n_B = 4
    # delta_x = log((2+3)/(3+7-2-3)) - log((1+3)/(4+7-1-3)) = log(1) - log(4/7) = log(7/4)
    # var_x = 1/(2+3) + 1/(1+3) = 0.45
    # delta_y = log((1+4)/(3+7-1-4)) - log((3+4)/(4+7-3-4)) = log(1) - log(7/4)
    # var_y = 1/(1+4) + 1/(3+4)
    t = log_odds(toy_counts(), min_count=1, pairs=[("A", "B")])
    z = t[t.measure == "log_odds_z"].set_index("term")["score"]
    d = t[t.measure == "log_odds"].set_index("term")["score"]
    assert d["x"] == pytest.approx(math.log(7 / 4), abs=1e-12)
    assert z["x"] == pytest.approx(math.log(7 / 4) / math.sqrt(0.45), abs=1e-12)
    assert d["y"] == pytest.approx(-math.log(7 / 4), abs=1e-12)
    assert z["y"] == pytest.approx(-math.log(7 / 4) / math.sqrt(1 / 5 + 1 / 7), abs=1e-12)


def test_background_prior_by_hand():
    # the same counts with a background corpus (x once, y once) as the prior: alpha = (1, 1),
    # alpha_0 = 2; delta_x = log((2+1)/(3+2-2-1)) - log((1+1)/(4+2-1-1)) = log(3/2) - log(1/2)
    # = log 3; var_x = 1/(2+1) + 1/(1+1). A prior taken from the corpus instead, or a variance
    # without the prior, gives other numbers.
    bg = pd.DataFrame({"term": ["x", "y"], "n": [1, 1]})
    t = log_odds(toy_counts(), min_count=1, pairs=[("A", "B")], background=bg)
    d = t[t.measure == "log_odds"].set_index("term")["score"]
    z = t[t.measure == "log_odds_z"].set_index("term")["score"]
    assert d["x"] == pytest.approx(math.log(3), abs=1e-12)
    assert z["x"] == pytest.approx(math.log(3) / math.sqrt(1 / 3 + 1 / 2), abs=1e-12)


def test_antisymmetry(analysis, seeds):
    c = ngram_counts(seeds, analysis.sentences)
    ab = log_odds(c, pairs=[("Majalla", "IranWire")])
    ba = log_odds(c, pairs=[("IranWire", "Majalla")])
    for m in ("log_odds_z", "log_odds"):
        x = ab[ab.measure == m].set_index("term")["score"].sort_index()
        y = ba[ba.measure == m].set_index("term")["score"].sort_index()
        np.testing.assert_allclose(x.to_numpy(), -y.to_numpy(), atol=1e-12)


def test_agrees_with_independent_transcription(analysis, seeds):
    c = ngram_counts(seeds, analysis.sentences)
    ours = log_odds(c, min_count=3)
    tot = c.groupby("term")["n"].sum()
    prior = {w: float(n) for w, n in tot.items() if n >= 3}
    per = {o: g.groupby("term")["n"].sum().to_dict() for o, g in c.groupby("outlet")}
    checked = 0
    for outlet in per:
        yi = {w: n for w, n in per[outlet].items() if w in prior}
        yj = {w: prior[w] - yi.get(w, 0) for w in prior}
        ref = fightin_words(yi, yj, prior)
        mine = ours[(ours.outlet == outlet)]
        for measure, k in (("log_odds", 0), ("log_odds_z", 1)):
            s = mine[mine.measure == measure].set_index("term")["score"]
            for w, v in ref.items():
                assert abs(s[w] - v[k]) < 1e-9
                checked += 1
    assert checked > 1000


def test_outlet_names_are_masked(analysis, seeds):
    c = ngram_counts(seeds, analysis.sentences)
    terms = set(c.term)
    for name in ("majalla", "al-fassel", "iranwire", "told majalla", "defense post", "post"):
        assert name not in terms
    assert "defense" in terms  # 'National Defense Forces' stays


def test_ngram_counter_rules():
    counter = NgramCounter(mask=["The Daily"])
    text = "Iran’s proxies told The Daily that the 2024 border wall works."
    got = counter.count(text, [(0, len(text))])
    assert got == {"iran": 1, "proxies": 1, "told": 1, "iran proxies": 1, "proxies told": 1,
                   "border": 1, "wall": 1, "works": 1, "border wall": 1, "wall works": 1}


def test_tfidf_outlet_level_by_hand():
    # A: x x ; B: x y y y. x is in both outlets (df=2), y in B only (df=1);
    # smooth idf = ln((1+n)/(1+df)) + 1 with n = 2 outlets, then each row l2-normalised
    counts = pd.DataFrame({"article_id": ["a1", "b1", "b1"], "outlet": ["A", "B", "B"],
                           "term": ["x", "x", "y"], "n": [2, 1, 3]})
    t = tfidf(counts, min_count=1)
    idf_x, idf_y = math.log(3 / 3) + 1, math.log(3 / 2) + 1
    b = np.array([1 * idf_x, 3 * idf_y])
    b = b / np.linalg.norm(b)
    got = t[t.outlet == "B"].set_index("term")["score"]
    assert got["x"] == pytest.approx(b[0]) and got["y"] == pytest.approx(b[1])
    assert t[t.outlet == "A"].set_index("term")["score"]["x"] == pytest.approx(1.0)


def test_seed_top_terms_are_readable(analysis, seeds):
    c = ngram_counts(seeds, analysis.sentences)
    t = log_odds(c)
    top = {o: set(g.head(12).term) for o, g in
           t[t.measure == "log_odds_z"].groupby("outlet")}
    assert {"border", "residents"} <= top["Al-Fassel"]
    assert {"russia", "convoys"} <= top["IranWire"]
    assert {"coalition", "government", "isis"} <= top["The Defense Post"]
    assert {"qusayr", "hezbollah", "israel"} <= top["Asharq Al-Awsat"]
    assert {"countryside", "headquarters"} <= top["Majalla"]


def test_terms_cli(capsys):
    assert main(["terms", "--outlet", "IranWire", "--top", "3", "--csv"]) == 0
    df = pd.read_csv(__import__("io").StringIO(capsys.readouterr().out))
    assert list(df.term) == ["russia", "al-zour", "deir al-zour"]
    assert set(df.columns) >= {"outlet", "term", "n", "measure", "score"}
    assert main(["terms", "--outlet", "nope"]) == 2
