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
                   help="comma-separated stages to build (the corpus is always read); "
                        "see `framing build --list`")
    b.add_argument("--list", action="store_true", help="list the stages and exit")
    b.add_argument("--jobs", type=int, default=None,
                   help="worker processes for the per-article work (default: all cores)")
    b.add_argument("--quiet", action="store_true", help="no progress output")
    return parser


def _cmd_build(args) -> int:
    from .build import STAGES, run_build
    from .config import load_config
    if args.list:
        for name, (desc, _, req) in STAGES.items():
            print(f"{name:12s} {desc}{' (always)' if req else ''}")
        return 0
    only = [s.strip() for s in args.only.split(",") if s.strip()] if args.only else None
    run_build(args.corpus, args.out, config=load_config(args.config), only=only,
              quiet=args.quiet, jobs=args.jobs)
    return 0


COMMANDS = {"build": _cmd_build}


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
