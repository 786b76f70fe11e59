"""Loaded terms, label choice and kwic, with counts checked by hand on the cleaned seeds."""

import numpy as np
import pandas as pd
import pytest

from framing.cli import main
from framing.lexicon import Matcher, actors_table, lexicon_table, validate
from framing.errors import FramingError
from framing.measures.loaded import kwic, label_shares, term_rates
from framing.measures.stats import ratio_interval, resample_weights, rng_for, wilson


@pytest.fixture(scope="module")
def rates(analysis, config):
    return term_rates(analysis.hits, analysis.sentences, lexicon=config.lexicon, n_boot=200,
                      seed=7)


def cell(rates, outlet, term, voice):
    r = rates[(rates.outlet == outlet) & (rates.term == term) & (rates.voice == voice)]
    assert len(r) == 1
    return r.iloc[0]


# 'regime' counted by hand in the cleaned text (whole word, not inside 'pro-regime' or
# 'regime-controlled'); quoted = inside the quotations of Muhammad Fawzi in Majalla
REGIME = {"Majalla": (13, 6), "IranWire": (10, 0), "Asharq Al-Awsat": (5, 0),
          "The Defense Post": (2, 0), "Al-Fassel": (0, 0)}


@pytest.mark.parametrize("outlet", list(REGIME))
def test_regime_per_outlet_and_voice(rates, outlet):
    own, quoted = REGIME[outlet]
    assert cell(rates, outlet, "regime", "own")["n"] == own
    assert cell(rates, outlet, "regime", "quoted")["n"] == quoted
    assert cell(rates, outlet, "regime", "all")["n"] == own + quoted


def test_government_only_in_defense_post(rates):
    # Syrian government (x2), U.S. government, Iraqi government, 'from the government'
    assert cell(rates, "The Defense Post", "government", "all")["n"] == 5
    assert rates[(rates.term == "government") & (rates.voice == "all")]["n"].sum() == 5


def test_occupation_in_majalla_only_quoted(rates):
    assert cell(rates, "Majalla", "occupation", "own")["n"] == 0
    assert cell(rates, "Majalla", "occupation", "quoted")["n"] == 1
    assert rates[(rates.term == "occupation") & (rates.voice == "all")]["n"].sum() == 1


def test_rate_is_count_over_words(rates, analysis):
    r = cell(rates, "Majalla", "regime", "own")
    s = analysis.sentences[analysis.sentences.outlet == "Majalla"]
    words = int((s.n_words - s.n_words_quoted).sum())
    assert r["n_words"] == words
    assert r["rate_per_1k"] == pytest.approx(13 / words * 1000)
    assert r["ci_low"] <= r["rate_per_1k"] <= r["ci_high"]
    assert r["resampled"] == "sentence"  # one article per outlet: sentences are resampled


def test_counts_add_up(rates, analysis):
    own = rates[rates.voice == "own"].groupby("outlet")["n"].sum()
    quoted = rates[rates.voice == "quoted"].groupby("outlet")["n"].sum()
    total = rates[rates.voice == "all"].groupby("outlet")["n"].sum()
    pd.testing.assert_series_equal(own + quoted, total)
    assert total.sum() == len(analysis.hits)


def test_kataib_hezbollah_is_not_hezbollah(analysis):
    m = analysis.mentions
    hz = m[m.actor == "hezbollah"].groupby("outlet").size().to_dict()
    # by hand: Asharq 21 'Hezbollah' + 2 'Iran-backed party'; Majalla 19; Defense Post 2;
    # Al-Fassel's only one is 'Kataib Hizbullah', IranWire's only one 'Iraqi Hezbollah'
    assert hz == {"Asharq Al-Awsat": 23, "Majalla": 19, "The Defense Post": 2}
    kh = m[m.alias.str.lower().isin(["kataib hezbollah", "kataib hizbullah"])]
    assert set(kh.actor) == {"iraqi_groups"} and len(kh) == 2


def test_whole_words_longest_first():
    m = Matcher({"regime": "r", "pro-regime": "p", "terror group": "t", "terror": "x"})
    text = "The regimen. pro-regime; Regime’s terror  group, terror."
    got = [(text[s:e], p) for s, e, _, p in m.finditer(text)]
    assert got == [("pro-regime", "p"), ("Regime", "r"), ("terror  group", "t"),
                   ("terror", "x")]


def test_label_shares(analysis, config):
    s = label_shares(analysis.mentions, actors=config.actors)
    dp = s[(s.outlet == "The Defense Post") & (s.actor == "syrian_state") & (s.n > 0)]
    # 'Syrian government' x2, 'Syrian Arab Army' x2 (the bracketed '[Arab]' in a quote is
    # neither own voice nor matched)
    assert dict(zip(dp.label, dp.n)) == {"government": 2, "army": 2}
    assert set(dp.n_actor) == {4} and dp.share.sum() == pytest.approx(1)
    mj = s[(s.outlet == "Majalla") & (s.actor == "syrian_state")]
    assert mj.set_index("label").loc["regime", "n"] == 12
    assert mj.set_index("label").loc["government", "n"] == 0


def test_bootstrap_interval_tiny_corpus():
    # two units of 10 words, with 1 and 0 hits: a resample holds (u1,u1) -> 100 per 1k with
    # p=1/4, (u1,u2) -> 50 with p=1/2, (u2,u2) -> 0 with p=1/4; so the 95% interval is [0, 100]
    counts = np.array([[1.0], [0.0]])
    words = np.array([10.0, 10.0])
    w = resample_weights(2, 4000, rng_for(1, "x"))
    lo, hi = ratio_interval(counts, words, w)
    assert (lo[0], hi[0]) == (0.0, 100.0)
    rates = (w @ counts)[:, 0] / (w @ words) * 1000
    assert np.mean(rates == 50) == pytest.approx(0.5, abs=0.03)
    assert np.mean(rates == 100) == pytest.approx(0.25, abs=0.03)


def test_wilson_known_value():
    lo, hi = wilson(np.array([5]), np.array([10]))
    assert lo[0] == pytest.approx(0.2366, abs=1e-4) and hi[0] == pytest.approx(0.7634, abs=1e-4)


def test_unknown_lexicon_key_is_an_error(tmp_path):
    with pytest.raises(FramingError, match="unknown key 'term'"):
        validate("lexicon", {"categories": {"x": {"term": ["a"]}}}, "my.toml")
    user = tmp_path / "lex.toml"
    user.write_text('[categories.mine]\nterms = ["junta"]\ncolour = "red"\n')
    cfg = tmp_path / "cfg.toml"
    cfg.write_text('lexicon = "lex.toml"\n')
    from framing.config import load_config
    with pytest.raises(FramingError, match=r"lex.toml: unknown key 'colour'"):
        load_config(cfg)


def test_user_lexicon_extends_and_replaces(tmp_path):
    from framing.config import load_config
    (tmp_path / "lex.toml").write_text('[categories.mine]\nterms = ["junta", "Juntas"]\n')
    (tmp_path / "ext.toml").write_text('lexicon = "lex.toml"\n')
    (tmp_path / "rep.toml").write_text('lexicon = "lex.toml"\nlexicon_mode = "replace"\n')
    ext = lexicon_table(load_config(tmp_path / "ext.toml").lexicon)
    rep = lexicon_table(load_config(tmp_path / "rep.toml").lexicon)
    assert "junta" in set(ext.term) and "regime" in set(ext.term)
    assert list(rep.term) == ["junta", "Juntas"]


def test_kwic_matches_the_table(seeds, analysis, rates):
    rows = kwic(seeds, analysis, "regime", outlet="Majalla")
    assert len(rows) == cell(rates, "Majalla", "regime", "all")["n"] == 19
    assert rows.in_quote.sum() == 6
    assert set(rows["match"].str.lower()) == {"regime"}
    assert list(rows.columns[:9]) == ["outlet", "article_id", "sentence_id", "term", "category",
                                      "in_quote", "left", "match", "right"]


def test_kwic_cli_csv(capsys):
    assert main(["kwic", "regime", "--outlet", "Majalla", "--csv"]) == 0
    out = capsys.readouterr().out
    df = pd.read_csv(__import__("io").StringIO(out))
    assert len(df) == 19 and df.in_quote.sum() == 6
    assert main(["kwic", "Hezbollah", "--outlet", "The Defense Post"]) == 0
    assert "-- 2 hits" in capsys.readouterr().out


def test_actor_aliases_expand_patterns(config):
    t = actors_table(config.actors)
    row = t[t.alias == "Iran-backed militias"].iloc[0]
    assert (row.actor, row.label) == ("iran_aligned_militias", "militias")
    assert t.alias.str.lower().duplicated().sum() == 0
