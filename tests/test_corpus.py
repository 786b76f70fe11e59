"""The seed corpus: reading, splitting, cleaning; bad input gives one line and exit 2."""

import hashlib

import pandas as pd
import pytest

import framing
from framing.cli import main
from framing.errors import FramingError

from conftest import SEEDS, write_corpus

TITLES = [
    "Disagreements over Smuggling between Regime Forces, Iranian Militias in Syria",
    "Iran-aligned militias mass on Iraq-Syria border",
    'Russia Squares Up to Iran in Syria as Part of "Pact" With Israel',
    "Iran Trims Military Presence in Syria",
    "Hezbollah’s ‘Statelet’ in Syria’s Qusayr Under Israeli Fire",
    "Pro-Syrian regime forces and Iran-backed militias sweep Syria-Iraq border for ISIS cells",
]

# first and last body sentence of every article, read off the captured pages
BODY = {
    "000_53c231bac5003ad6": (
        "Despite the relative calm that the various Syrian regions are experiencing",
        "They also transported two shipments to the eastern desert of Homs."),
    "001_629ec98bd1675e8a": (
        "The militias seek to secure safe passage for their weapons and fighters",
        "due to the militias' harassment.\""),
    "002_16ac2bcf511168a6": (
        "Iran is on the defensive against joint efforts by Israel, Russia, and the United States",
        "no longer worth keeping troops in places vulnerable to the ongoing Israeli airstrikes."),
    "003_9bb1f79484496d4a#1": (
        "Iranian forces have pulled out of bases in Damascus and southern Syria",
        "Iran still has forces in Aleppo (north) and Deir Ezzor (east), key areas of its "
        "influence in Syria."),
    "003_9bb1f79484496d4a#2": (
        "Israel has expanded its strikes against Hezbollah in Syria by targeting the al-Qusayr",
        "stressing that Israel has its eyes focused deep inside Syria, not just the border."),
    "004_326578f41702adf3": (
        "Pro-Syrian regime forces are carrying out a joint operation with Iraq’s Hashd al-Shaabi",
        "Members of the NDF militias receive salaries and equipment from the government."),
}

# every line of page furniture in the seeds (read off the files)
FURNITURE = [
    "Photo credit: AP", "font change", "Related Articles", "Jiwan Soz is a researcher",
    "By Anas al-Bar", "Do you like this article?", "Captcha", "close button",
    "Switch to Iranwire Light?", "It looks like you’re having trouble", "July 21, 2020",
    "6 min read", "Ahmad Salloum", "Syria and Iran have a long history, but Iran has recently "
    "started to shift its strategic focus in the country\n",
    "Student Executed in Iran on Espionage Charges", "Hannah Somerville", "4 min read",
    "File photo of Iranian military leaders", "TT", "Smoke billows from al-Qusayr",
    "Home / Iraq", "syrian national defense Forces", "Check Also", "Assad Regime Tries To Gain",
    "War can be dirty", "Leave a Reply", "Your email address will not be published",
    "[Iraqi Border Guard Command]", "comments", "Features", "\nSecurity\n",
]


def test_seeds_have_six_articles_from_five_outlets(seeds):
    assert len(seeds) == 6
    assert seeds["outlet"].nunique() == 5
    assert sorted(seeds["outlet"].unique()) == [
        "Al-Fassel", "Asharq Al-Awsat", "IranWire", "Majalla", "The Defense Post"]
    assert list(seeds["title"]) == TITLES
    assert list(seeds["article_id"]) == list(BODY)
    assert seeds["article_id"].is_unique


def test_manifest_columns_kept(seeds):
    row = seeds.set_index("article_id").loc["001_629ec98bd1675e8a"]
    assert row["author"] == "Anas al-Bar"
    assert row["date"] == "2024-03-27"
    assert row["file"] == "001_629ec98bd1675e8a.txt"


def test_split_file_holds_the_right_text(seeds):
    a = seeds.set_index("article_id")
    first, second = a.loc["003_9bb1f79484496d4a#1"], a.loc["003_9bb1f79484496d4a#2"]
    assert "Qusayr" not in first["text"]
    assert "Zahedi" not in second["text"]
    assert first["raw_text"].startswith("Iran Trims Military Presence in Syria")
    assert second["raw_text"].startswith("Hezbollah’s ‘Statelet’")


@pytest.mark.parametrize("aid", list(BODY))
def test_first_and_last_body_sentence_kept(seeds, aid):
    text = seeds.set_index("article_id").loc[aid, "text"]
    first, last = BODY[aid]
    paragraphs = text.split("\n\n")
    # the body starts at the first paragraph (or right after a standfirst/dek) and ends last
    assert first in "\n\n".join(paragraphs[:2])
    assert paragraphs[-1].endswith(last)


def test_no_furniture_survives(seeds):
    texts = "\n\n".join(seeds["text"])
    for line in FURNITURE:
        assert line not in "\n" + texts + "\n", line
    # headlines are removed from the body (the title is in its own column)
    for aid, title in zip(seeds["article_id"], seeds["title"]):
        assert title not in seeds.set_index("article_id").loc[aid, "text"]


def test_cleaning_report_names_each_removed_line(seeds, config):
    report = framing.cleaning_report(seeds, config)
    assert list(report.columns) == ["article_id", "outlet", "file", "line", "rule", "text"]
    got = dict(zip(zip(report["file"], report["line"]), report["rule"]))
    assert got[("002_16ac2bcf511168a6.txt", 1)] == "interface"          # close button
    assert got[("002_16ac2bcf511168a6.txt", 10)] == "read_time"         # 6 min read
    assert got[("002_16ac2bcf511168a6.txt", 74)] == "after_end_marker"  # teaser
    assert got[("003_9bb1f79484496d4a.txt", 70)] == "interface"         # TT, second article
    assert got[("004_326578f41702adf3.txt", 1)] == "breadcrumb"
    assert got[("000_53c231bac5003ad6.txt", 86)] == "author_bio"
    # every removed line is accounted for, and counts match the articles table
    assert report.groupby("article_id").size().to_dict() == dict(
        zip(seeds["article_id"], seeds["n_lines_removed"]))
    assert len(report) == 55


def test_sentence_counts(analysis):
    # counted by reading the cleaned articles: one sentence per line of 001 (28 paragraphs,
    # each a single sentence), and the three lists printed and read sentence by sentence
    counts = analysis.sentences.groupby("article_id").size().to_dict()
    assert counts["001_629ec98bd1675e8a"] == 28
    assert counts["003_9bb1f79484496d4a#1"] == 35
    assert counts["003_9bb1f79484496d4a#2"] == 29
    assert counts["004_326578f41702adf3"] == 27


def test_user_input_not_modified(tmp_path):
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in SEEDS.iterdir()}
    assert main(["build", "--out", str(tmp_path / "o"), "--only", "overview", "--quiet"]) == 0
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in SEEDS.iterdir()}
    assert before == after


# ---------------------------------------------------------------------------------- bad input

GOOD = "file,outlet,title\na.txt,Outlet A,Title A\n"


def _bad(tmp_path, files, manifest):
    folder = write_corpus(tmp_path / "c", files, manifest)
    with pytest.raises(FramingError) as info:
        framing.read_corpus(folder)
    return str(info.value)


def test_missing_manifest(tmp_path):
    (tmp_path / "c").mkdir()
    with pytest.raises(FramingError, match="no manifest.csv"):
        framing.read_corpus(tmp_path / "c")


def test_listed_file_missing(tmp_path):
    msg = _bad(tmp_path, {}, GOOD)
    assert "manifest.csv, line 2" in msg and "'a.txt' does not exist" in msg


def test_empty_file(tmp_path):
    assert "a.txt: file is empty" in _bad(tmp_path, {"a.txt": "  \n"}, GOOD)


def test_binary_file(tmp_path):
    assert "binary" in _bad(tmp_path, {"a.txt": b"\x89PNG\x00\x00\x01"}, GOOD)


def test_invalid_utf8(tmp_path):
    msg = _bad(tmp_path, {"a.txt": b"caf\xe9 latte\n"}, GOOD)
    assert "a.txt: not valid UTF-8 (byte 3)" in msg


def test_split_title_not_found(tmp_path):
    man = "file,outlet,title\na.txt,A,First\na.txt,A,Second\n"
    msg = _bad(tmp_path, {"a.txt": "First\n\nbody one.\n\nThird\n\nbody.\n"}, man)
    assert "a.txt" in msg and "title 'Second'" in msg and "not found" in msg


def test_duplicate_rows(tmp_path):
    man = GOOD + "a.txt,Outlet A,Title A\n"
    msg = _bad(tmp_path, {"a.txt": "Body."}, man)
    assert "line 3" in msg and "duplicate row" in msg and "line 2" in msg


@pytest.mark.parametrize("outlet", ["", "   "])
def test_blank_outlet(tmp_path, outlet):
    msg = _bad(tmp_path, {"a.txt": "Body."}, f"file,outlet\na.txt,{outlet}\n")
    assert "line 2" in msg and "blank outlet" in msg


def test_missing_outlet_column(tmp_path):
    msg = _bad(tmp_path, {"a.txt": "Body."}, "file,title\na.txt,T\n")
    assert "missing required column(s): outlet" in msg


@pytest.mark.parametrize("entry", ["../secret.txt", "/etc/passwd", "sub/../../x.txt"])
def test_entry_outside_corpus(tmp_path, entry):
    (tmp_path / "secret.txt").write_text("private", encoding="utf-8")
    msg = _bad(tmp_path, {}, f"file,outlet\n{entry},A\n")
    assert "points outside the corpus folder" in msg and "line 2" in msg


def test_symlink_outside_corpus(tmp_path):
    (tmp_path / "secret.txt").write_text("private", encoding="utf-8")
    folder = write_corpus(tmp_path / "c", {}, "file,outlet\nlink.txt,A\n")
    (folder / "link.txt").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(FramingError, match="through a link"):
        framing.read_corpus(folder)


def test_cli_bad_input_exit_2_one_line(tmp_path, capsys):
    folder = write_corpus(tmp_path / "c", {}, GOOD)
    code = main(["build", "--corpus", str(folder), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert err[-1].startswith("framing: error: ") and "a.txt" in err[-1]
    assert "Traceback" not in "\n".join(err)
    assert not (tmp_path / "o" / "overview.png").exists()


# ---------------------------------------------------------------------------- other corpora

def test_other_corpus_folder(tmp_path):
    files = {
        "x1.txt": "Home / World / Storm\n\nStorm hits coast\n\nThe storm hit the coast on "
                  "Monday. Gen. Smith said the army was ready.\n\nRelated Articles\n\nOther",
        "x2.txt": "Rain returns\n\nRain returned to the valley. Farmers were glad.",
        "y1.txt": "Storm coverage\n\nOfficials told reporters the storm was weaker.",
    }
    man = ("file,outlet,title,date,section,reach\nx1.txt,Daily X,Storm hits coast,2024-01-02,"
           "weather,5\nx2.txt,Daily X,Rain returns,2024-01-03,weather,2\ny1.txt,Y Times,Storm "
           "coverage,2024-01-02,news,9\n")
    folder = write_corpus(tmp_path / "c", files, man)
    arts = framing.read_corpus(folder)
    assert list(arts["article_id"]) == ["x1", "x2", "y1"]
    assert list(arts["section"]) == ["weather", "weather", "news"]  # extra columns kept
    assert arts.loc[0, "text"] == ("The storm hit the coast on Monday. Gen. Smith said the army "
                                   "was ready.")
    out = tmp_path / "out"
    assert main(["build", "--corpus", str(folder), "--out", str(out), "--quiet",
                 "--only", "overview"]) == 0
    ov = pd.read_csv(out / "tables" / "overview.csv")
    assert ov.to_dict("list") == {
        "outlet": ["Daily X", "Y Times"], "n_articles": [2, 1], "n_sentences": [4, 1],
        "n_words": [22, 7], "n_lines_removed": [5, 1]}  # 7+7, 5+3 words
    assert (out / "overview.png").stat().st_size > 10_000


def test_table_input(tmp_path):
    df = pd.DataFrame({"body": ["One. Two.", "Three."], "source": ["A", "B"],
                       "title": ["t1", "t2"]})
    df.to_csv(tmp_path / "t.csv", index=False)
    arts = framing.read_corpus(tmp_path / "t.csv", text_column="body", outlet_column="source")
    assert list(arts["article_id"]) == ["t:1", "t:2"]
    assert list(arts["outlet"]) == ["A", "B"]
    df.to_json(tmp_path / "t.jsonl", orient="records", lines=True)
    assert list(framing.read_corpus(tmp_path / "t.jsonl", text_column="body",
                                    outlet_column="source")["text"]) == ["One. Two.", "Three."]
    pytest.importorskip("pyarrow")
    df.to_parquet(tmp_path / "t.parquet")
    assert len(framing.read_corpus(tmp_path / "t.parquet", text_column="body",
                                   outlet_column="source")) == 2
    with pytest.raises(FramingError, match="missing column 'text'"):
        framing.read_corpus(tmp_path / "t.csv")


def test_help_explains_itself(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "framing build" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    assert "--corpus" in capsys.readouterr().out
