"""The `framing` command line: main(argv=None) -> int."""

from __future__ import annotations

import argparse
import sys

from .errors import FramingError

DESCRIPTION = """\
Comparative media-framing analysis across outlets: loaded terms and actor labels (own voice vs.
quotations), distinctive terms (TF-IDF, weighted log-odds), and sentiment toward each actor.
Start with `framing build`, which reads seeds/ and writes every figure and table to figures/."""


def _add_corpus(p, default="seeds"):
    p.add_argument("--corpus", default=default,
                   help="corpus folder with manifest.csv, or a CSV/JSON Lines/Parquet table "
                        "(default: %(default)s)")
    p.add_argument("--config", default=None,
                   help="TOML file overriding settings, lexicons and actors (see README)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="framing", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    from . import __version__
    parser.add_argument("--version", action="version", version=f"framing {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    b = sub.add_parser("build", help="run the whole analysis: figures, tables, report",
                       description="Run the whole analysis once and write every figure (PNG), "
                                   "every table behind them (CSV, in tables/), the cleaning "
                                   "report and report.png into the output folder.")
    _add_corpus(b)
    b.add_argument("--out", default="figures", help="output folder (default: %(default)s)")
    b.add_argument("--only", default=None,
                   help="comma-separated stages to build (the corpus is always analysed); "
                        "see `framing build --list`")
    b.add_argument("--list", action="store_true", help="list the stages and exit")
    b.add_argument("--jobs", type=int, default=None,
                   help="worker processes for the per-article work (default: all cores)")
    b.add_argument("--quiet", action="store_true", help="no progress output")
    b.add_argument("--timings", default=None, metavar="FILE",
                   help="write the seconds spent per stage as JSON (for benchmarks)")
    k = sub.add_parser("kwic", help="every hit of a term or actor with its context",
                       description="Print every hit of TERM (a lexicon term, or an actor id, "
                                   "name or alias) with its context, outlet and article: "
                                   "exactly the rows the measures count.")
    k.add_argument("term")
    _add_corpus(k)
    k.add_argument("--outlet", default=None, help="only this outlet")
    k.add_argument("--voice", choices=["all", "own", "quoted"], default="all")
    k.add_argument("--width", type=int, default=60, help="characters of context each side")
    k.add_argument("--csv", action="store_true", help="write the rows as CSV to standard output")
    t = sub.add_parser("terms", help="the terms that set an outlet apart",
                       description="Print the top distinctive terms per outlet: weighted "
                                   "log-odds with an informative Dirichlet prior (default) or "
                                   "TF-IDF; each outlet against the rest unless --vs names "
                                   "the other outlet.")
    _add_corpus(t)
    t.add_argument("--outlet", default=None, help="only this outlet (default: every outlet)")
    t.add_argument("--vs", default=None, help="compare against this outlet instead of the rest")
    t.add_argument("--measure", choices=["log_odds", "tfidf", "tfidf_article"],
                   default="log_odds")
    t.add_argument("--top", type=int, default=15)
    t.add_argument("--background", default=None,
                   help="corpus (folder or table) whose counts form the log-odds prior "
                        "(default: the corpus itself)")
    t.add_argument("--csv", action="store_true", help="write the table rows as CSV to stdout")
    e = sub.add_parser("eval-sentiment", help="accuracy and macro-F1 on NewsMTSC-format data",
                       description="Score every target of a NewsMTSC JSON Lines file with each "
                                   "sentiment method and print accuracy and macro-F1.")
    e.add_argument("path", help="NewsMTSC JSON Lines, e.g. newsmtsc-rw/test.jsonl")
    e.add_argument("--method", action="append", choices=["sentence", "window", "trained"],
                   help="only this method (repeatable; default: all)")
    e.add_argument("--model", default=None, help="a model JSON other than the shipped one")
    e.add_argument("--json", action="store_true", help="print the result as JSON")

    v = sub.add_parser("evidence", help="the sentences behind an actor's sentiment",
                       description="Print the most negative and most positive sentences "
                                   "mentioning ACTOR (actor id, name or alias), per outlet.")
    v.add_argument("actor")
    _add_corpus(v)
    v.add_argument("--outlet", default=None)
    v.add_argument("--method", choices=["sentence", "window", "trained"], default=None)
    v.add_argument("-k", type=int, default=3, help="sentences per direction (default 3)")
    v.add_argument("--csv", action="store_true")

    r = sub.add_parser("train-sentiment", help="rebuild the shipped sentiment model",
                       description="Train the `trained` method on NewsMTSC train.jsonl "
                                   "(C tuned on the dev files) and write the model JSON.")
    r.add_argument("data_dir", help="NewsMTSC folder with train.jsonl and newsmtsc-*/dev.jsonl")
    r.add_argument("--out", default=None, help="where to write (default: the packaged model)")
    return parser


def _cmd_eval(args) -> int:
    import json
    from .measures.sentiment import METHODS, evaluate
    from .config import load_config
    methods = args.method or list(METHODS)
    default = load_config()["sentiment"]["method"]
    res = evaluate(args.path, methods, model_path=args.model, default=default)
    if args.json:
        print(json.dumps(res, indent=2))
        return 0
    print(f"{'method':10s} {'accuracy':>9s} {'macro-F1':>9s} {'n':>6s}")
    for m, r in res["methods"].items():
        star = "  (default)" if m == default else ""
        print(f"{m:10s} {r['accuracy']:9.3f} {r['macro_f1']:9.3f} {r['n']:6d}{star}")
    return 0


def _resolve_actor(name, config):
    from .lexicon import actors_table, normalize_term
    t = actors_table(config.actors)
    t = t[t["actor"] != ""]
    want = normalize_term(name).lower()
    for col in ("actor", "actor_name", "alias"):
        hit = t[t[col].str.lower() == want]
        if len(hit):
            return hit["actor"].iloc[0]
    raise FramingError(None, f"unknown actor '{name}' (actors: "
                             f"{', '.join(dict.fromkeys(t['actor']))})")


def _cmd_evidence(args) -> int:
    from .measures.sentiment import evidence, score_mentions
    config, articles, analysis = _load(args)
    actor = _resolve_actor(args.actor, config)
    outlet = _find_outlet(args.outlet, sorted(articles["outlet"].unique()), args.corpus)
    method = args.method or config["sentiment"]["method"]
    m = analysis.mentions[analysis.mentions["actor"] == actor]
    scored = score_mentions(m, analysis.sentences, method,
                            window_words=config["sentiment"]["window_words"])
    rows = evidence(scored, k=args.k, actor=actor, outlet=outlet)

    def pretty(df):
        for o, g in df.groupby("outlet", sort=True):
            sub = scored[scored["outlet"] == o]
            print(f"== {o}: {actor} ({method}), mean {sub['score'].mean():+.2f} over "
                  f"{len(sub)} mentions")
            for r in g.itertuples(index=False):
                q = " [quoted]" if r.in_quote else ""
                print(f"  {r.direction[:3]} {r.score:+.2f}{q}  {r.sentence}")
    _emit(rows, args.csv, pretty)
    return 0


def _cmd_train(args) -> int:
    from . import train_sentiment
    argv = [args.data_dir] + (["--out", args.out] if args.out else [])
    return train_sentiment.main(argv)


def _find_outlet(name, outlets, where):
    if name is None:
        return None
    for o in outlets:
        if o.lower() == name.lower():
            return o
    raise FramingError(where, f"no outlet '{name}' (outlets: {', '.join(sorted(outlets))})")


def _cmd_terms(args) -> int:
    from .measures.contrasts import NgramCounter, log_odds, ngram_counts, tfidf
    from .corpus import read_corpus
    config, articles, analysis = _load(args)
    outlets = sorted(articles["outlet"].unique())
    outlet = _find_outlet(args.outlet, outlets, args.corpus)
    vs = _find_outlet(args.vs, outlets, args.corpus)
    if vs and not outlet:
        raise FramingError(None, "--vs needs --outlet")
    c = config["contrasts"]
    counter = NgramCounter(ngram_range=(c["ngram_min"], c["ngram_max"]),
                           stop_words=c["stop_words"],
                           mask=outlets if c["drop_outlet_names"] else ())
    counts = ngram_counts(articles, analysis.sentences, counter=counter)
    if args.measure == "log_odds":
        background = None
        if args.background:
            from .analyze import analyze
            bg = read_corpus(args.background, config=config)
            background = ngram_counts(bg, analyze(bg, config).sentences)
        table = log_odds(counts, min_count=c["min_count"], alpha0=c["alpha0"],
                         background=background, pairs=[(outlet, vs)] if vs else None)
        table = table[table["measure"] == "log_odds_z"]
    else:
        if vs:
            raise FramingError(None, "--vs works with --measure log_odds")
        table = tfidf(counts, min_count=c["min_count"],
                      level="outlet" if args.measure == "tfidf" else "article")
    if outlet:
        table = table[table["outlet"] == outlet]
    table = table[table["rank"] <= args.top].reset_index(drop=True)

    def pretty(df):
        for (o, v), g in df.groupby(["outlet", "vs"], sort=True):
            print(f"== {o} vs {v} ({g['measure'].iloc[0]})")
            for r in g.itertuples(index=False):
                print(f"  {r.rank:3d}. {r.term:28s} {r.score:8.3f}   n={r.n} (vs {r.n_vs})")
    _emit(table, args.csv, pretty)
    return 0


def _load(args):
    from .analyze import analyze
    from .config import load_config
    from .corpus import read_corpus
    config = load_config(args.config)
    articles = read_corpus(args.corpus, config=config,
                           text_column=config["corpus"]["text_column"],
                           outlet_column=config["corpus"]["outlet_column"])
    return config, articles, analyze(articles, config)


def _emit(df, as_csv, pretty):
    if as_csv:
        df.to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        pretty(df)


def _cmd_kwic(args) -> int:
    from .measures.loaded import kwic
    config, articles, analysis = _load(args)
    rows = kwic(articles, analysis, args.term, outlet=args.outlet, width=args.width)
    if args.voice != "all":
        rows = rows[rows["in_quote"] == (args.voice == "quoted")]
    if args.outlet and args.outlet.lower() not in {o.lower() for o in articles["outlet"]}:
        raise FramingError(args.corpus, f"no outlet '{args.outlet}' (outlets: "
                                        f"{', '.join(sorted(articles['outlet'].unique()))})")

    def pretty(df):
        w = args.width
        for r in df.itertuples(index=False):
            q = "Q" if r.in_quote else " "
            print(f"{r.outlet[:16]:16s} {r.article_id[:24]:24s} {r.sentence_id:4d} {q} "
                  f"{r.left[-w:]:>{w}s} [{r.match}] {r.right[:w]}")
        n_q = int(df["in_quote"].sum())
        print(f"-- {len(df)} hits of '{args.term}' ({len(df) - n_q} own voice, {n_q} quoted; "
              f"Q = inside a quotation)")
    _emit(rows[[c for c in rows.columns if c not in ("start", "end")]] if not args.csv
          else rows, args.csv, pretty)
    return 0


def _cmd_build(args) -> int:
    from .build import STAGES, run_build
    from .config import load_config
    if args.list:
        print(f"{'analyse':12s} read, clean, segment, match, count, score (always)")
        for name, (desc, _) in STAGES.items():
            print(f"{name:12s} {desc}")
        return 0
    only = [s.strip() for s in args.only.split(",") if s.strip()] if args.only else None
    ctx = run_build(args.corpus, args.out, config=load_config(args.config), only=only,
                    quiet=args.quiet, jobs=args.jobs)
    if args.timings:
        import json
        from pathlib import Path
        Path(args.timings).write_text(json.dumps(
            {"stages": ctx.seconds, "wall": ctx.wall_seconds, "jobs": ctx.jobs,
             "articles": int(len(ctx.tables["articles"]))}, indent=1), encoding="utf-8")
    return 0


COMMANDS = {"build": _cmd_build, "kwic": _cmd_kwic, "terms": _cmd_terms,
            "eval-sentiment": _cmd_eval, "evidence": _cmd_evidence,
            "train-sentiment": _cmd_train}


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 0
    if args.command == "build" or getattr(args, "figures", False):
        import matplotlib
        matplotlib.use("Agg")
    try:
        return COMMANDS[args.command](args)
    except FramingError as exc:
        print(f"framing: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("framing: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
