"""Read a corpus (a folder with manifest.csv, or a table) into the tidy ``articles`` table,
and clean captured web pages of their furniture with a report of every removed line.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import schema
from .errors import FramingError

MANIFEST = "manifest.csv"
REQUIRED = ("file", "outlet")
OPTIONAL = ("title", "author", "date", "url", "note")
TABLE_SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
                  ".parquet": "parquet", ".pq": "parquet"}


# --------------------------------------------------------------------------------------------
# reading
# --------------------------------------------------------------------------------------------

def read_corpus(path, *, clean=True, text_column="text", outlet_column="outlet", config=None):
    """Read a corpus into the tidy ``articles`` table.

    Parameters
    ----------
    path : str or Path
        A folder holding ``manifest.csv`` (columns ``file``, ``outlet``; optional ``title``,
        ``author``, ``date``, ``url``, ``note``; other columns are kept), or a CSV, JSON Lines or
        Parquet table with one article per row.
    clean : bool
        Remove page furniture (see :func:`clean_articles`). The raw text is kept in ``raw_text``.
    text_column, outlet_column : str
        Column names for table input.
    config : Config, optional
        Supplies the cleaning rules; the packaged defaults otherwise.

    Returns
    -------
    articles : DataFrame
        One row per article: ``article_id, outlet, title, author, date, url, note, file, text``,
        then any extra manifest columns, ``raw_text`` and ``n_lines_removed``.
        ``article_id`` is the file name without suffix, with ``#k`` appended when one file holds
        several articles (table input: ``<table stem>:<row number>`` or its own ``article_id``).
    """
    path = Path(path)
    if path.is_dir():
        raw = _read_folder(path)
    elif path.is_file():
        raw = _read_table(path, text_column, outlet_column)
    else:
        raise FramingError(path, "no such corpus folder or table")
    if not clean:
        out = raw.copy()
        out["text"] = out["raw_text"]
        out["n_lines_removed"] = 0
        return _order(out)
    if config is None:
        from .config import load_config
        config = load_config()
    articles, _ = clean_articles(raw, config.cleaning)
    return articles


def _order(df: pd.DataFrame) -> pd.DataFrame:
    first = [c for c in schema.ARTICLES if c in df.columns]
    rest = [c for c in df.columns if c not in first and c not in ("raw_text", "n_lines_removed",
                                                                  "line_offset")]
    tail = [c for c in ("raw_text", "n_lines_removed", "line_offset") if c in df.columns]
    return df[first + rest + tail].reset_index(drop=True)


def _decode(path: Path, data: bytes) -> str:
    if not data.strip():
        raise FramingError(path, "file is empty")
    if b"\x00" in data[:8192]:
        raise FramingError(path, "looks like a binary file (contains NUL bytes), expected UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FramingError(path, f"not valid UTF-8 (byte {exc.start})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_manifest(folder: Path):
    """Validate ``folder/manifest.csv`` and every file it lists (existence, place).

    Returns
    -------
    groups : list of (file, rows)
        the manifest rows grouped by file, in manifest order; each row a dict of its columns
        plus ``_line`` (its line number in the manifest).
    """
    folder = Path(folder)
    manifest = folder / MANIFEST
    if not manifest.is_file():
        raise FramingError(folder, f"no {MANIFEST} in this folder (it must list each file and "
                                   f"its outlet)")
    text = _decode(manifest, manifest.read_bytes())
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise FramingError(manifest, "manifest is empty") from None
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise FramingError(manifest, f"missing required column(s): {', '.join(missing)} "
                                     f"(found: {', '.join(header)})", row=1)
    dup_cols = {h for h in header if header.count(h) > 1}
    if dup_cols:
        raise FramingError(manifest, f"duplicate column name(s): {', '.join(sorted(dup_cols))}",
                           row=1)
    rows = []
    seen: dict[tuple, int] = {}
    root = folder.resolve()
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            raise FramingError(manifest, f"expected {len(header)} fields, found {len(record)}",
                               row=line)
        row = {h: v.strip() for h, v in zip(header, record)}
        if not row["file"]:
            raise FramingError(manifest, "blank 'file'", row=line)
        if not row["outlet"]:
            raise FramingError(manifest, f"missing or blank outlet for {row['file']}", row=line)
        rel = Path(row["file"])
        if rel.is_absolute() or ".." in rel.parts or re.match(r"^[A-Za-z]:", row["file"]):
            raise FramingError(manifest, f"'{row['file']}' points outside the corpus folder "
                                         f"(absolute paths and '..' are not allowed)", row=line)
        target = (folder / rel).resolve()
        if not target.is_relative_to(root):
            raise FramingError(manifest, f"'{row['file']}' points outside the corpus folder "
                                         f"(through a link)", row=line)
        key = (row["file"], row.get("title", ""))
        if key in seen:
            what = f"'{row['file']}'" + (f" with title '{key[1]}'" if key[1] else "")
            raise FramingError(manifest, f"duplicate row: {what} is already listed on line "
                                         f"{seen[key]}", row=line)
        seen[key] = line
        if not target.is_file():
            raise FramingError(manifest, f"listed file '{row['file']}' does not exist", row=line)
        row["_line"] = line
        rows.append(row)
    if not rows:
        raise FramingError(manifest, "manifest lists no files")
    by_file: dict[str, list[dict]] = {}
    for row in rows:
        by_file.setdefault(row["file"], []).append(row)
    return list(by_file.items())


def load_file_group(folder: Path, file: str, group: list) -> list:
    """Read one listed file and split it into its articles: a list of article records."""
    folder = Path(folder)
    fpath = folder / file
    text = _decode(fpath, fpath.read_bytes())
    stem = Path(file).stem
    records = []
    if len(group) == 1:
        row = dict(group[0])
        row.update(article_id=stem, raw_text=text, line_offset=0)
        records.append(row)
    else:
        for k, (row, piece, offset) in enumerate(
                _split_by_titles(fpath, text, group, folder / MANIFEST), start=1):
            row = dict(row)
            row.update(article_id=f"{stem}#{k}", raw_text=piece, line_offset=offset)
            records.append(row)
    for r in records:
        r.pop("_line", None)
    return records


def records_frame(records) -> pd.DataFrame:
    df = pd.DataFrame.from_records(records)
    for col in OPTIONAL:
        if col not in df.columns:
            df[col] = ""
    return _order(df)


def _read_folder(folder: Path) -> pd.DataFrame:
    records = []
    for file, group in read_manifest(folder):
        records.extend(load_file_group(folder, file, group))
    return records_frame(records)


_FOLD = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "`": "'", "´": "'",
                       "“": '"', "”": '"', "„": '"', "‟": '"', "‐": "-", "‑": "-",
                       "‒": "-", "–": "-", "—": "-"})
_NOT_WORD = re.compile(r"[^\w'\"-]+")


def normalize_line(line: str) -> str:
    """Fold case, quotes, dashes and spacing so a headline matches its capture."""
    if not line.isascii():
        line = unicodedata.normalize("NFKC", line).translate(_FOLD)
    return " ".join(_NOT_WORD.sub(" ", line.lower()).split())


def _split_by_titles(fpath: Path, text: str, group: list[dict], manifest: Path):
    lines = text.split("\n")
    norm = [normalize_line(x) for x in lines]
    starts = []
    for row in group:
        title = row.get("title", "")
        if not title:
            raise FramingError(manifest, f"'{row['file']}' is listed on several rows, so each "
                                         f"row needs a title to split it", row=row["_line"])
        want = normalize_line(title)
        after = starts[-1] + 1 if starts else 0
        found = next((i for i in range(after, len(lines)) if norm[i] == want), None)
        if found is None:
            raise FramingError(fpath, f"title '{title}' (manifest line {row['_line']}) not found "
                                      f"as a line in the file after the previous article")
        starts.append(found)
    ends = starts[1:] + [len(lines)]
    return [(row, "\n".join(lines[s:e]), s) for row, s, e in zip(group, starts, ends)]


def _table_kind(path: Path) -> str:
    kind = TABLE_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise FramingError(path, f"unknown table type '{path.suffix}' (use a folder with "
                                 f"{MANIFEST}, or .csv, .jsonl or .parquet)")
    return kind


def iter_table_chunks(path: Path, chunk_rows: int):
    """Yield (first row number, DataFrame) chunks of a CSV, JSON Lines or Parquet table."""
    path = Path(path)
    kind = _table_kind(path)
    try:
        if kind == "csv":
            with path.open("rb") as fh:
                head = fh.read(8192)
            if not head.strip():
                raise FramingError(path, "file is empty")
            reader = pd.read_csv(path, dtype=str, keep_default_na=False, chunksize=chunk_rows,
                                 encoding="utf-8")
            first = 0
            for df in reader:
                yield first, df
                first += len(df)
        elif kind == "jsonl":
            first, lines = 0, []
            with path.open("rb") as fh:
                for k, raw in enumerate(fh, start=1):
                    lines.append((k, raw))
                    if len(lines) >= chunk_rows:
                        yield first, _parse_jsonl(path, lines)
                        first += len(lines)
                        lines = []
            if lines:
                yield first, _parse_jsonl(path, lines)
            elif first == 0:
                raise FramingError(path, "file is empty")
        else:
            try:
                import pyarrow.parquet as pq
            except ImportError:
                raise FramingError(path, "reading Parquet needs pyarrow: pip install "
                                         "'framing[parquet]'") from None
            first = 0
            for batch in pq.ParquetFile(path).iter_batches(batch_size=chunk_rows):
                df = batch.to_pandas()
                yield first, df
                first += len(df)
    except FramingError:
        raise
    except UnicodeDecodeError as exc:
        raise FramingError(path, f"not valid UTF-8 ({exc.reason})") from None
    except Exception as exc:  # pandas and pyarrow raise many kinds; name file and reason
        raise FramingError(path, f"cannot read as {kind}: {str(exc).splitlines()[0]}") from None


def _parse_jsonl(path, lines):
    import json
    rows, numbers = [], []
    for k, raw in lines:
        if not raw.strip():
            continue
        numbers.append(k)
        try:
            rows.append(json.loads(raw.decode("utf-8")))
        except UnicodeDecodeError as exc:
            raise FramingError(path, f"not valid UTF-8 (byte {exc.start})", row=k) from None
        except ValueError as exc:
            raise FramingError(path, f"not valid JSON: {exc}", row=k) from None
        if not isinstance(rows[-1], dict):
            raise FramingError(path, "each line must be a JSON object", row=k)
    df = pd.DataFrame(rows)
    df.attrs["lines"] = numbers  # source line of each row, for error messages
    return df


def count_table_rows(path: Path):
    """Number of articles in a table, cheaply where the format allows (None for CSV)."""
    kind = _table_kind(Path(path))
    if kind == "jsonl":
        with open(path, "rb") as fh:
            return sum(1 for line in fh if line.strip())
    if kind == "parquet":
        try:
            import pyarrow.parquet as pq
            return pq.ParquetFile(path).metadata.num_rows
        except Exception:
            return None
    return None


def normalize_table(df: pd.DataFrame, path: Path, text_column: str, outlet_column: str,
                    first_row: int = 0, header_lines: int = 1) -> pd.DataFrame:
    """Check one chunk of a table and give it the articles table's columns.

    Rows are reported by their line in the file: ``df.attrs["lines"]`` when the reader knows
    them (JSON Lines), else first_row + position + 1 + header_lines."""
    lines = df.attrs.get("lines") or [first_row + i + 1 + header_lines for i in range(len(df))]
    for col in (text_column, outlet_column):
        if col not in df.columns:
            raise FramingError(path, f"missing column '{col}' (found: "
                                     f"{', '.join(map(str, df.columns))})")
    df = df.rename(columns={text_column: "raw_text", outlet_column: "outlet"})
    df["outlet"] = df["outlet"].astype("string").fillna("").str.strip()
    df["raw_text"] = df["raw_text"].astype("string").fillna("")
    for i, (outlet, text) in enumerate(zip(df["outlet"], df["raw_text"])):
        if not outlet:
            raise FramingError(path, "missing or blank outlet", row=lines[i])
        if not text.strip():
            raise FramingError(path, "empty text", row=lines[i])
    if "article_id" in df.columns:
        ids = df["article_id"].astype(str)
        dup = ids[ids.duplicated()]
        if len(dup):
            raise FramingError(path, f"duplicate article_id '{dup.iloc[0]}'")
        df["article_id"] = ids.astype(object)
    else:
        df["article_id"] = [f"{path.stem}:{first_row + i + 1}" for i in range(len(df))]
    for col in OPTIONAL:
        if col not in df.columns:
            df[col] = ""
        df[col] = df[col].astype("string").fillna("").astype(object)
    df["file"] = path.name
    df["line_offset"] = 0
    df["raw_text"] = [t.replace("\r\n", "\n").replace("\r", "\n") for t in df["raw_text"]]
    df["outlet"] = df["outlet"].astype(object)
    return _order(df)


def _read_table(path: Path, text_column: str, outlet_column: str) -> pd.DataFrame:
    kind = _table_kind(path)
    header = 0 if kind in ("jsonl", "parquet") else 1
    parts = [normalize_table(df, path, text_column, outlet_column, first, header)
             for first, df in iter_table_chunks(path, 100_000)]
    df = pd.concat(parts, ignore_index=True)
    dup = df["article_id"][df["article_id"].duplicated()]
    if len(dup):
        raise FramingError(path, f"duplicate article_id '{dup.iloc[0]}'")
    return df


# --------------------------------------------------------------------------------------------
# cleaning
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CleaningRules:
    """Compiled cleaning rules (see framing/data/cleaning.toml): all patterns in one regex
    with a named group per rule, so a line is tested once."""

    combined: re.Pattern | None   # (?P<r0>...)|(?P<r1>...) …, case-insensitive
    names: dict                   # group name -> rule name
    end_marker: re.Pattern | None
    max_preamble_lines: int

    @classmethod
    def from_data(cls, data: dict, source="cleaning rules") -> "CleaningRules":
        parts, names = [], {}
        for name, items in data.get("patterns", {}).items():
            for p in items:
                try:
                    re.compile(p)
                except re.error as exc:
                    raise FramingError(source, f"rule '{name}': bad regex {p!r}: {exc}") from None
                g = f"r{len(parts)}"
                names[g] = name
                parts.append(f"(?P<{g}>(?:{p})$)")
        ends = []
        for p in data.get("end_markers", []):
            try:
                re.compile(p)
            except re.error as exc:
                raise FramingError(source, f"end marker: bad regex {p!r}: {exc}") from None
            ends.append(f"(?:(?:{p})$)")
        combined = re.compile("|".join(parts), re.IGNORECASE) if parts else None
        end = re.compile("|".join(ends), re.IGNORECASE) if ends else None
        return cls(combined, names, end, int(data.get("max_preamble_lines", 12)))

    def rule(self, line: str):
        """The first rule (in file order) whose pattern matches the whole line, or None."""
        if self.combined is None:
            return None
        m = self.combined.match(line)
        if m is None:
            return None
        for g, v in m.groupdict().items():  # the first alternative that matched
            if v is not None:
                return self.names[g]
        return None

    def is_end(self, line: str) -> bool:
        return self.end_marker is not None and self.end_marker.match(line) is not None


_BLANK = re.compile(r"^[\s\u00a0\u200b\ufeff]*$")


def clean_text(raw: str, *, title: str = "", author: str = "", rules: CleaningRules):
    """Clean one captured page.

    Returns
    -------
    text : str
        kept lines, stripped, joined by blank lines (one paragraph per kept line)
    removed : list of (line_index, rule, line)
        every non-blank removed line with the rule that removed it (blank lines carry no text
        and are not listed)
    """
    lines = raw.split("\n")
    n = len(lines)
    stripped = [ln.strip(" \t\u00a0\u200b\ufeff") for ln in lines]
    nonblank = [i for i in range(n) if not _BLANK.match(lines[i])]
    norm = {i: normalize_line(stripped[i]) for i in nonblank}
    counts: dict[str, int] = {}
    for i in nonblank:
        counts[norm[i]] = counts.get(norm[i], 0) + 1
    want_title = normalize_line(title) if title else ""
    want_author = normalize_line(author) if author else ""

    # position: the headline within the first lines marks where the article starts
    title_at = None
    if want_title:
        for i in nonblank[: rules.max_preamble_lines]:
            if norm[i] == want_title:
                title_at = i
                break
    # position: the first end marker after some body ends the article
    end_at = None
    for i in nonblank:
        if title_at is not None and i <= title_at:
            continue
        if rules.is_end(stripped[i]):
            end_at = i
            break

    rule_of: dict[int, str] = {}
    for i in nonblank:
        line = stripped[i]
        rule = None
        if end_at is not None and i == end_at:
            rule = "end_marker"
        elif end_at is not None and i > end_at:
            rule = "after_end_marker"
        else:
            rule = rules.rule(line)
        if rule is None and want_title and norm[i] == want_title:
            rule = "headline"
        if rule is None and counts[norm[i]] > 1:
            rule = "repeated_line"
        if rule is None and want_author and norm[i] == want_author:
            rule = "byline"
        if rule is None and title_at is not None and i < title_at:
            rule = "before_headline"
        if rule is not None:
            rule_of[i] = rule
    kept = [stripped[i] for i in nonblank if i not in rule_of]
    removed = [(i, rule_of[i], stripped[i]) for i in nonblank if i in rule_of]
    return "\n\n".join(kept), removed


def clean_articles(articles: pd.DataFrame, rules: dict | CleaningRules | None = None):
    """Remove page furniture from ``raw_text``.

    Parameters
    ----------
    articles : DataFrame
        articles with ``raw_text`` (as from ``read_corpus(..., clean=False)``); not modified.
    rules : dict or CleaningRules, optional
        the cleaning data (framing/data/cleaning.toml by default).

    Returns
    -------
    articles : DataFrame
        a copy with ``text`` (cleaned) and ``n_lines_removed``
    report : DataFrame
        the cleaning report, one row per removed line: ``article_id, outlet, file, line, rule,
        text`` (``line`` is the 1-based line number in the source file)
    """
    if rules is None:
        from .config import load_config
        rules = load_config().cleaning
    if isinstance(rules, dict):
        rules = CleaningRules.from_data(rules)
    texts, n_removed, report = [], [], []
    n = len(articles)

    def col(name, default=""):
        return articles[name].tolist() if name in articles else [default] * n

    for aid, outlet, file, raw, title, author, offset in zip(
            col("article_id"), col("outlet"), col("file"), col("raw_text"), col("title"),
            col("author"), col("line_offset", 0)):
        text, removed = clean_text(raw, title=str(title or ""), author=str(author or ""),
                                   rules=rules)
        texts.append(text)
        n_removed.append(len(removed))
        for i, rule, line in removed:
            report.append((aid, outlet, file, int(offset) + i + 1, rule, line))
    out = articles.copy()
    out["text"] = texts
    out["n_lines_removed"] = n_removed
    return _order(out), pd.DataFrame(report, columns=schema.CLEANING_REPORT)


def cleaning_report(articles: pd.DataFrame, config=None) -> pd.DataFrame:
    """The cleaning report for articles read with :func:`read_corpus` (recomputed from raw_text)."""
    if config is None:
        from .config import load_config
        config = load_config()
    return clean_articles(articles, config.cleaning)[1]
