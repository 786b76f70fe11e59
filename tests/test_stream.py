"""The streamed build: any chunking gives the same counts; tables stream too; bad lines fail
with their line number."""

import json

import numpy as np
import pandas as pd
import pytest

import framing
from framing.cli import main
from framing.errors import FramingError
from framing.stream import Options, run

from conftest import SEEDS


@pytest.fixture(scope="module")
def seeds_jsonl(tmp_path_factory, seeds):
    p = tmp_path_factory.mktemp("t") / "seeds.jsonl"
    with p.open("w", encoding="utf-8") as fh:
        for r in seeds.itertuples():
            fh.write(json.dumps({"article_id": r.article_id, "outlet": r.outlet,
                                 "title": r.title, "author": r.author,
                                 "text": r.raw_text}) + "\n")
    return p


def test_chunking_does_not_change_counts(config):
    opts = Options(methods=("trained",), outlet_names=("Majalla",), article_ngrams=True)
    one = run(SEEDS, config, opts, jobs=1, chunk_articles=100, quiet=True)
    many = run(SEEDS, config, opts, jobs=1, chunk_articles=1, quiet=True)
    for name in ("sentences", "hits", "mentions"):
        np.testing.assert_array_equal(getattr(one, name), getattr(many, name))
    np.testing.assert_array_equal(one.scores["trained"][0], many.scores["trained"][0])
    assert one.ngrams == many.ngrams
    pd.testing.assert_frame_equal(one.evidence, many.evidence)
    pd.testing.assert_frame_equal(one.articles, many.articles)


def test_stream_matches_in_memory_analysis(config, analysis):
    m = run(SEEDS, config, Options(methods=()), jobs=1, chunk_articles=2, quiet=True)
    assert len(m.mentions) == len(analysis.mentions)
    assert int(m.hits[:, 4].sum()) == len(analysis.hits)
    assert m.articles["n_words"].sum() == analysis.sentences["n_words"].sum()
    assert m.articles["n_words_quoted"].sum() == analysis.sentences["n_words_quoted"].sum()


def test_jsonl_corpus_builds_like_the_folder(seeds_jsonl, tmp_path):
    # the same raw pages as a table: titles let the cleaner find the headline as before
    assert main(["build", "--corpus", str(seeds_jsonl), "--out", str(tmp_path / "t"),
                 "--quiet", "--only", "terms"]) == 0
    assert main(["build", "--out", str(tmp_path / "f"), "--quiet", "--only", "terms"]) == 0
    a = pd.read_csv(tmp_path / "t" / "tables" / "overview.csv")
    b = pd.read_csv(tmp_path / "f" / "tables" / "overview.csv")
    pd.testing.assert_frame_equal(a, b)
    ra = pd.read_csv(tmp_path / "t" / "tables" / "loaded_terms.csv")
    rb = pd.read_csv(tmp_path / "f" / "tables" / "loaded_terms.csv")
    pd.testing.assert_frame_equal(ra, rb)


def test_bad_jsonl_line_names_the_line(tmp_path, capsys):
    p = tmp_path / "bad.jsonl"
    p.write_text('{"outlet": "A", "text": "Fine."}\n{"outlet": "B", "text": \n')
    assert main(["build", "--corpus", str(p), "--out", str(tmp_path / "o"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "bad.jsonl, line 2: not valid JSON" in err and "Traceback" not in err
    p.write_text('{"outlet": "A", "text": "Fine."}\n{"outlet": " ", "text": "x"}\n')
    assert main(["build", "--corpus", str(p), "--out", str(tmp_path / "o"), "--quiet"]) == 2
    assert "line 2: missing or blank outlet" in capsys.readouterr().err
    assert not (tmp_path / "o" / "tables" / "cleaning_report.csv").exists()


def test_errors_cross_process_boundaries():
    import pickle
    e = FramingError("corpus.jsonl", "not valid JSON", row=7)
    back = pickle.loads(pickle.dumps(e))
    assert str(back) == "corpus.jsonl, line 7: not valid JSON" and back.row == 7


def test_csv_rows_are_reported_by_line(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("outlet,text\nA,Fine.\nB,\n")
    with pytest.raises(FramingError, match=r"t.csv, line 3: empty text"):
        framing.read_corpus(p)
    p2 = tmp_path / "t.jsonl"
    p2.write_text('{"outlet": "A", "text": "x"}\n\n{"outlet": "", "text": "y"}\n')
    with pytest.raises(FramingError, match=r"t.jsonl, line 3: missing or blank outlet"):
        framing.read_corpus(p2)


def test_survey_counts_rows_and_reads_outlets(tmp_path, config):
    from framing.stream import survey
    p = tmp_path / "t.jsonl"
    p.write_text('{"text": "x", "outlet": "Daily \\"X\\""}\n{"outlet":"Y Times","text":"y"}\n'
                 '\n{"outlet": " Y Times ", "text": "z"}\n')
    sv = survey(p, config)
    assert sv.total == 3 and sv.outlets == ('Daily "X"', "Y Times")
    sv = survey(SEEDS, config)
    assert sv.total == 6 and len(sv.outlets) == 5 and len(sv.groups) == 5
