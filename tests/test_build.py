"""framing build: every output, byte-identical across runs and job counts, written atomically."""

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from framing import io
from framing.cli import main

EXPECTED = {"overview.png", "loaded_terms.png", "label_choice.png", "contrasts_log_odds.png",
            "contrasts_tfidf.png", "actor_sentiment.png", "actor_sentiment_heatmap.png",
            "report.png", "fightin_words_majalla.png", "fightin_words_al_fassel.png",
            "fightin_words_iranwire.png", "fightin_words_asharq_al_awsat.png",
            "fightin_words_the_defense_post.png",
            "tables/overview.csv", "tables/cleaning_report.csv", "tables/loaded_terms.csv",
            "tables/label_shares.csv", "tables/contrasts.csv", "tables/mentions.csv",
            "tables/actor_sentiment.csv", "tables/sentiment_evidence.csv"}


def digests(folder: Path):
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    a = tmp_path_factory.mktemp("a")
    b = tmp_path_factory.mktemp("b")
    assert main(["build", "--out", str(a), "--quiet", "--jobs", "1"]) == 0
    assert main(["build", "--out", str(b), "--quiet", "--jobs", "2"]) == 0
    return a, b


def test_build_writes_every_figure_and_table(two_builds):
    a, _ = two_builds
    assert set(digests(a)) == EXPECTED


def test_builds_are_byte_identical_for_any_jobs(two_builds):
    a, b = two_builds
    assert digests(a) == digests(b)


def test_tables_trace_to_their_rows(two_builds):
    a, _ = two_builds
    rates = pd.read_csv(a / "tables" / "loaded_terms.csv")
    mentions = pd.read_csv(a / "tables" / "mentions.csv")
    sent = pd.read_csv(a / "tables" / "actor_sentiment.csv")
    # every mean in the sentiment table is the mean of its rows in mentions.csv
    for r in sent.sample(10, random_state=0).itertuples():
        rows = mentions[(mentions.outlet == r.outlet) & (mentions.actor == r.actor) &
                        (mentions.method == r.method)]
        assert len(rows) == r.n
        assert rows.score.mean() == pytest.approx(r.mean, abs=1e-5)
    cell = rates[(rates.outlet == "Majalla") & (rates.term == "regime") & (rates.voice == "own")]
    assert int(cell.n.iloc[0]) == 13


def test_only_builds_a_subset(tmp_path):
    assert main(["build", "--out", str(tmp_path), "--quiet", "--only", "terms"]) == 0
    got = set(digests(tmp_path))
    assert "loaded_terms.png" in got and "report.png" not in got
    assert main(["build", "--out", str(tmp_path), "--quiet", "--only", "nope"]) == 2


def test_config_file_changes_settings(tmp_path):
    cfg = tmp_path / "cfg.toml"
    cfg.write_text('[measures]\nbootstrap = 50\n[outlets.colors]\n"Majalla" = "#000000"\n')
    assert main(["build", "--out", str(tmp_path / "o"), "--quiet", "--only", "overview",
                 "--config", str(cfg)]) == 0
    cfg.write_text('[measures]\nbootstrapp = 50\n')
    assert main(["build", "--out", str(tmp_path / "o"), "--quiet", "--config", str(cfg)]) == 2


def test_interrupted_write_leaves_nothing_half_written(tmp_path):
    target = tmp_path / "table.csv"
    target.write_text("old complete table\n")

    def crash(tmp):
        Path(tmp).write_text("half a ta")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        io._atomic(target, crash)
    assert target.read_text() == "old complete table\n"
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]
