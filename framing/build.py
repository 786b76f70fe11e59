"""`framing build`: the whole analysis once, as named stages writing figures and tables."""

from __future__ import annotations

import hashlib
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import io
from .analyze import Analyzer
from .config import Config, load_config
from .corpus import clean_articles, read_corpus
from .measures.overview import overview


@dataclass
class Context:
    """Everything the stages share: inputs, configuration, output folder and the tables made."""

    corpus: Path
    out: Path
    config: Config
    quiet: bool = False
    jobs: int = 1
    tables: dict = field(default_factory=dict)
    figures: dict = field(default_factory=dict)
    written: list = field(default_factory=list)

    def say(self, msg):
        if not self.quiet:
            print(msg, file=sys.stderr, flush=True)

    @property
    def dpi(self):
        return self.config["build"]["dpi"]

    def table(self, name, df):
        self.tables[name] = df
        self.written.append(io.write_csv(df, self.out / "tables" / f"{name}.csv"))

    def figure(self, name, fig):
        self.written.append(io.write_png(fig, self.out / f"{name}.png", dpi=self.dpi))


def fingerprint(articles: pd.DataFrame, config: Config) -> str:
    """A short hash of the inputs (ids, outlets, raw text) and the settings."""
    h = hashlib.sha256()
    for aid, outlet, raw in zip(articles["article_id"], articles["outlet"], articles["raw_text"]):
        for part in (aid, outlet, raw):
            h.update(str(part).encode("utf-8"))
            h.update(b"\x00")
    h.update(json.dumps(config.fingerprint_data(), sort_keys=True, default=str).encode())
    return h.hexdigest()[:16]


# --------------------------------------------------------------------------------------------
# stages
# --------------------------------------------------------------------------------------------

def stage_corpus(ctx: Context):
    raw = read_corpus(ctx.corpus, clean=False,
                      text_column=ctx.config["corpus"]["text_column"],
                      outlet_column=ctx.config["corpus"]["outlet_column"])
    articles, report = clean_articles(raw, ctx.config.cleaning)
    ctx.tables["articles"] = articles
    ctx.table("cleaning_report", report)
    ctx.tables["fingerprint"] = fingerprint(articles, ctx.config)


def stage_segment(ctx: Context):
    from .parallel import analyze_parallel
    analysis = analyze_parallel(ctx.tables["articles"], ctx.config, jobs=ctx.jobs,
                                quiet=ctx.quiet)
    ctx.tables["sentences"] = analysis.sentences
    ctx.tables["hits"] = analysis.hits
    ctx.tables["mentions"] = analysis.mentions
    ctx.table("overview", overview(ctx.tables["articles"], analysis.sentences))


def stage_overview_figure(ctx: Context):
    from .figures.plots import plot_overview
    from .figures.style import style
    import matplotlib.pyplot as plt
    ov = ctx.tables["overview"]
    with style():
        fig, ax = plt.subplots(figsize=(8, 0.55 * len(ov) + 1.6), layout="constrained")
        plot_overview(ov, ax=ax, colors=ctx.tables["colors"])
        ctx.figure("overview", fig)


def stage_terms(ctx: Context):
    import matplotlib.pyplot as plt
    from .figures.plots import plot_label_shares, plot_term_heatmap, plot_voice_split
    from .figures.style import style
    from .measures.loaded import label_shares, term_rates
    m = ctx.config["measures"]
    rates = term_rates(ctx.tables["hits"], ctx.tables["sentences"], lexicon=ctx.config.lexicon,
                       unit=m["resample"], n_boot=m["bootstrap"], seed=m["seed"],
                       confidence=m["confidence"],
                       min_articles=m["min_articles_for_article_bootstrap"])
    ctx.table("loaded_terms", rates)
    shares = label_shares(ctx.tables["mentions"], actors=ctx.config.actors, voice="own",
                          confidence=m["confidence"])
    ctx.table("label_shares", shares)
    with style():
        fig = loaded_terms_figure(rates, colors=ctx.tables["colors"], top=m["heatmap_terms"],
                                  exclude=m["heatmap_exclude_categories"])
        ctx.figure("loaded_terms", fig)
        fig = label_choice_figure(shares)
        ctx.figure("label_choice", fig)


def loaded_terms_figure(rates, *, colors, top=18, exclude=("attribution",), fig=None):
    import matplotlib.pyplot as plt
    from .figures.plots import plot_term_heatmap, plot_voice_split
    n_out = rates["outlet"].nunique()
    fig = fig or plt.figure(figsize=(13, 2.2 + 0.9 * n_out), layout="constrained")
    gs = fig.add_gridspec(1, 2, width_ratios=[3.2, 1.3])
    plot_term_heatmap(rates, voice="own", top=top, exclude=exclude, ax=fig.add_subplot(gs[0]))
    plot_voice_split(rates, ax=fig.add_subplot(gs[1]), colors=colors)
    return fig


def label_choice_figure(shares, *, fig=None):
    import matplotlib.pyplot as plt
    from .figures.plots import plot_label_shares
    actors = [a for a in dict.fromkeys(shares["actor"])
              if shares.loc[shares["actor"] == a, "n"].sum() > 0]
    n_out = shares["outlet"].nunique()
    ncol = 2
    nrow = max(1, -(-len(actors) // ncol))
    fig = fig or plt.figure(figsize=(13, nrow * (0.42 * n_out + 1.3) + 0.6),
                            layout="constrained")
    axes = fig.subplots(nrow, ncol, squeeze=False).ravel()
    for ax, actor in zip(axes, actors):
        plot_label_shares(shares, actor, ax=ax)
    for ax in axes[len(actors):]:
        ax.set_visible(False)
    fig.suptitle("Which label does each outlet use for each actor? (own voice; share of "
                 "mentions, n = mentions)", fontweight="bold")
    return fig


def contrast_counts(ctx: Context):
    from .measures.contrasts import NgramCounter, ngram_counts
    c = ctx.config["contrasts"]
    counter = NgramCounter(ngram_range=(c["ngram_min"], c["ngram_max"]),
                           stop_words=c["stop_words"],
                           mask=sorted(ctx.tables["articles"]["outlet"].unique())
                           if c["drop_outlet_names"] else ())
    return ngram_counts(ctx.tables["articles"], ctx.tables["sentences"], counter=counter)


def stage_contrasts(ctx: Context):
    import matplotlib.pyplot as plt
    from .figures.plots import plot_fightin_words
    from .figures.style import style
    from .measures.contrasts import contrasts
    c = ctx.config["contrasts"]
    counts = ctx.tables.get("ngram_counts")
    if counts is None:
        counts = contrast_counts(ctx)
    table = contrasts(counts, min_count=c["min_count"], alpha0=c["alpha0"])
    ctx.table("contrasts", table)
    with style():
        ctx.figure("contrasts_log_odds", contrasts_figure(table, colors=ctx.tables["colors"],
                                                          measure="log_odds_z", top=c["top"]))
        ctx.figure("contrasts_tfidf", contrasts_figure(table, colors=ctx.tables["colors"],
                                                       measure="tfidf", top=c["top"]))
        for outlet in sorted(table["outlet"].unique()):
            fig, ax = plt.subplots(figsize=(9, 5.5), layout="constrained")
            plot_fightin_words(table, outlet, ax=ax, colors=ctx.tables["colors"])
            ctx.figure(f"fightin_words_{slug(outlet)}", fig)


def slug(name: str) -> str:
    import re
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def contrasts_figure(table, *, colors, measure="log_odds_z", top=12, fig=None):
    import matplotlib.pyplot as plt
    from .figures.plots import plot_contrast_bars
    outlets = sorted(table["outlet"].unique())
    ncol = min(len(outlets), 5)
    nrow = -(-len(outlets) // ncol)
    rows_per = top + (top // 2 if measure.startswith("log_odds") else 0)
    fig = fig or plt.figure(figsize=(3.3 * ncol, nrow * (0.2 * rows_per + 1.2) + 0.5),
                            layout="constrained")
    axes = fig.subplots(nrow, ncol, squeeze=False).ravel()
    for ax, o in zip(axes, outlets):
        plot_contrast_bars(table, o, measure=measure, top=top, ax=ax, colors=colors,
                           vs="rest" if measure.startswith("log_odds") else "corpus")
    for ax in axes[len(outlets):]:
        ax.set_visible(False)
    what = ("weighted log-odds z, each outlet vs the rest (grey: used less; count in "
            "brackets; dotted: |z| = 1.96)" if measure.startswith("log_odds") else
            "TF-IDF, each outlet's text pooled as one document (count in brackets)")
    fig.suptitle(f"Distinctive terms per outlet: {what}", fontweight="bold")
    return fig


def stage_sentiment(ctx: Context):
    import matplotlib.pyplot as plt
    from .figures.plots import plot_actor_dots, plot_actor_heatmap
    from .figures.style import style
    from .measures.sentiment import actor_sentiment, evidence, score_mentions
    cfg, m = ctx.config["sentiment"], ctx.config["measures"]
    methods = [cfg["method"]] + [x for x in cfg["compare_methods"] if x != cfg["method"]]
    scored = pd.concat([score_mentions(ctx.tables["mentions"], ctx.tables["sentences"], meth,
                                       window_words=cfg["window_words"]) for meth in methods],
                       ignore_index=True)
    ctx.tables["scored_mentions"] = scored
    ctx.table("mentions", scored.drop(columns=["sentence"]))
    table = actor_sentiment(scored, n_boot=m["bootstrap"], seed=m["seed"],
                            confidence=m["confidence"])
    ctx.table("actor_sentiment", table)
    ctx.table("sentiment_evidence", evidence(scored, k=m["evidence_per_cell"]))
    with style():
        ctx.figure("actor_sentiment", sentiment_figure(table, method=cfg["method"],
                                                       min_mentions=m["min_mentions"],
                                                       colors=ctx.tables["colors"]))
        n_out = table["outlet"].nunique()
        fig, ax = plt.subplots(figsize=(13, 1.6 + 0.55 * n_out), layout="constrained")
        plot_actor_heatmap(table, method=cfg["method"], min_mentions=m["min_mentions"], ax=ax)
        ctx.figure("actor_sentiment_heatmap", fig)


def sentiment_figure(table, *, method, min_mentions, colors, fig=None):
    import matplotlib.pyplot as plt
    from .figures.plots import plot_actor_dots
    n_act = table["actor"].nunique()
    fig = fig or plt.figure(figsize=(11, 1.2 + 0.5 * n_act), layout="constrained")
    ax = fig.add_subplot()
    plot_actor_dots(table, method=method, min_mentions=min_mentions, ax=ax, colors=colors)
    return fig


def stage_report(ctx: Context):
    from .figures.style import style
    from .report import build_report
    with style():
        ctx.figure("report", build_report(ctx))


# name -> (description, function, required); required stages always run
STAGES = {
    "corpus": ("read and clean", stage_corpus, True),
    "segment": ("segment and match", stage_segment, True),
    "overview": ("overview figure", stage_overview_figure, False),
    "terms": ("loaded terms and labels", stage_terms, False),
    "contrasts": ("contrasts (log-odds, TF-IDF)", stage_contrasts, False),
    "sentiment": ("actor sentiment", stage_sentiment, False),
    "report": ("report.png", stage_report, False),
}


def run_build(corpus="seeds", out="figures", *, config: Config | None = None, only=None,
              quiet=False, jobs=None):
    """Run the build. Returns the Context with every table and the list of written files."""
    config = config or load_config()
    if jobs is None or jobs == 0:
        jobs = config["build"]["jobs"]
    if not jobs:
        import os
        jobs = os.cpu_count() or 1
    ctx = Context(Path(corpus), Path(out), config, quiet=quiet, jobs=int(jobs))
    wanted = set(STAGES) if not only else set(only)
    unknown = wanted - set(STAGES)
    if unknown:
        from .errors import FramingError
        raise FramingError(None, f"unknown stage(s) for --only: {', '.join(sorted(unknown))} "
                                 f"(choose from {', '.join(STAGES)})")
    names = [n for n, (_, _, req) in STAGES.items() if req or n in wanted]
    t0 = time.perf_counter()
    for k, name in enumerate(names, start=1):
        desc, fn, _ = STAGES[name]
        t = time.perf_counter()
        ctx.say(f"[{k}/{len(names)}] {desc} ...")
        fn(ctx)
        if name == "corpus":
            from .figures.style import outlet_colors
            ctx.tables["colors"] = outlet_colors(ctx.tables["articles"]["outlet"],
                                                 config.settings)
        ctx.say(f"[{k}/{len(names)}] {desc}: done in {time.perf_counter() - t:.1f} s")
    ctx.say(f"wrote {len(ctx.written)} files to {ctx.out} in {time.perf_counter() - t0:.1f} s")
    return ctx
