"""Sentences, words and quotation spans."""

from framing.segment import Segmenter, WORD


def split(text):
    seg = Segmenter()
    return [text[s:e] for _, s, e in seg.sentence_spans(text)]


def quoted(text):
    return [text[s:e] for s, e in Segmenter().quote_spans(text)]


def test_no_break_after_titles_initials_and_us():
    t = ("Gen. Morteza Qorbani spoke. Brig. Gen. Saeed Al-Qazah agreed with Mr. J. R. Smith "
         "on the U.S. position. The U.S. Army left. Done.")
    assert split(t) == ["Gen. Morteza Qorbani spoke.",
                        "Brig. Gen. Saeed Al-Qazah agreed with Mr. J. R. Smith on the U.S. "
                        "position.", "The U.S. Army left.", "Done."]


def test_no_break_before_closing_quote():
    t = 'He said: "Stop now." Then he left. She wrote, “It is over.” Nobody answered!'
    assert split(t) == ['He said: "Stop now."', "Then he left.", "She wrote, “It is over.”",
                        "Nobody answered!"]


def test_paragraphs_always_end_sentences():
    assert split("A heading\n\nBody text here. More text") == [
        "A heading", "Body text here.", "More text"]


def test_hyphenated_compounds_are_one_word():
    words = WORD.findall("Iran-backed and pro-regime forces; Hezbollah’s men, U.S.-led troops")
    assert words == ["Iran-backed", "and", "pro-regime", "forces", "Hezbollah’s", "men",
                     "U.S.-led", "troops"]


def test_quote_over_several_sentences_and_mixed_marks():
    t = 'Fawzi said, "First sentence. Second sentence.” Then the outlet spoke.'
    assert quoted(t) == ['"First sentence. Second sentence.”']


def test_scare_quotes_and_curly():
    t = 'They call it a new "occupation," and “statelet” is used.'
    assert quoted(t) == ['"occupation,"', "“statelet”"]


def test_multi_paragraph_quote():
    t = '"First paragraph of the quote.\n\n"Second paragraph," he said.\n\nOwn voice.'
    assert quoted(t) == ['"First paragraph of the quote.\n\n"Second paragraph,"']


def test_unclosed_quote_closes_at_paragraph_end():
    t = 'He said "this never closes.\n\nOwn voice here.'
    assert quoted(t) == ['"this never closes.']


def test_apostrophes_are_not_quotes():
    assert quoted("Iran's and Hezbollah’s fighters didn't go.") == []


def test_offsets_point_into_text(seeds, analysis):
    text = seeds.set_index("article_id")["text"]
    for row in analysis.sentences.itertuples():
        assert text[row.article_id][row.start:row.end] == row.text
