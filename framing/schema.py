"""Column names of the tidy tables, in one place.

Every stage returns a new table with these columns (extra columns a user supplies on the
articles table are kept after these).
"""

ARTICLES = ["article_id", "outlet", "title", "author", "date", "url", "note", "file", "text"]
SENTENCES = ["article_id", "sentence_id", "outlet", "paragraph_id", "start", "end",
             "n_words", "n_words_quoted", "text"]
TOKENS = ["article_id", "sentence_id", "outlet", "token_id", "token", "start", "end", "in_quote"]
QUOTES = ["article_id", "quote_id", "start", "end"]
CLEANING_REPORT = ["article_id", "outlet", "file", "line", "rule", "text"]
HITS = ["article_id", "sentence_id", "outlet", "term", "category", "match", "start", "end",
        "in_quote"]
MENTIONS = ["article_id", "sentence_id", "outlet", "actor", "actor_name", "label", "alias",
            "start", "end", "in_quote"]
OVERVIEW = ["outlet", "n_articles", "n_sentences", "n_words", "n_lines_removed"]
