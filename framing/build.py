"""`framing build`: the whole analysis once, as named stages writing figures and tables.

The corpus streams through :mod:`framing.stream` (chunks, all cores); every stage after that
works on merged counts, so the build handles corpora far larger than memory.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import io, schema
from .config import Config, load_config
from .errors import FramingError


@dataclass
class Context:
    """Everything the stages share: inputs, configuration, output folder, tables made."""

    corpus: Path
    out: Path
    config: Config
    quiet: bool = False
    jobs: int = 1
    tables: dict = field(default_factory=dict)
    written: list = field(default_factory=list)
    seconds: dict = field(default_factory=dict)

    def say(self, msg):
        if not self.quiet:
            print(msg, file=sys.stderr, flush=True)

    @property
    def dpi(self):
        return self.config["build"]["dpi"]

    def table(self, name, df):
        self.tables[name] = df
        self.written.append(io.write_csv(df, self.out / "tables" / f"{name}.csv"))

    pending: list = field(default_factory=list)

    def figure(self, name, builder, **kwargs):
        """Queue a figure: ``builder(**kwargs)`` returns a matplotlib Figure. All queued
        figures are drawn at the end of the build, in parallel (:func:`render_figures`)."""
        self.pending.append((name, builder, kwargs))

    def add_seconds(self, stage, s):
        self.seconds[stage] = self.seconds.get(stage, 0.0) + s


def fingerprint(digests, config: Config) -> str:
    """A short hash of the inputs (per-article hashes of id, outlet and raw text, in corpus
    order) and every setting."""
    h = hashlib.sha256()
    for d in digests:
        h.update(d.encode())
    h.update(json.dumps(config.fingerprint_data(), sort_keys=True, default=str).encode())
    return h.hexdigest()[:16]


class _ReportWriter:
    """Writes the cleaning report chunk by chunk to a temporary file, moved into place at the
    end, so an interrupted build leaves no half-written report."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part",
                                        dir=path.parent)
        self.fh = os.fdopen(fd, "w", encoding="utf-8", newline="")
        self.path = path
        self.header = True

    def __call__(self, df):
        df.to_csv(self.fh, index=False, header=self.header, lineterminator="\n")
        self.header = False

    def close(self, ok: bool):
        if self.header:  # no chunk at all: still a valid, empty table
            pd.DataFrame(columns=schema.CLEANING_REPORT).to_csv(self.fh, index=False,
                                                                lineterminator="\n")
        self.fh.close()
        if ok:
            os.replace(self.tmp, self.path)
        elif os.path.exists(self.tmp):
            os.unlink(self.tmp)


# --------------------------------------------------------------------------------------------
# stages
# --------------------------------------------------------------------------------------------

def stage_analyse(ctx: Context, wanted):
    from .stream import Options, run, survey
    cfg = ctx.config
    sent = cfg["sentiment"]
    methods = ()
    if wanted & {"sentiment", "report"}:
        methods = (sent["method"],) + tuple(m for m in sent["compare_methods"]
                                            if m != sent["method"])
    sv = survey(ctx.corpus, cfg)  # one cheap pass: size and outlets; manifest validated
    total = sv.total
    big = total is None or total > cfg["build"]["max_articles_detailed"]
    if big and len(methods) > 1:
        ctx.say(f"note: {total or 'unknown number of'} articles: scoring only the "
                f"'{methods[0]}' sentiment method (comparison methods run up to "
                f"{cfg['build']['max_articles_detailed']} articles)")
        methods = methods[:1]
    options = Options(contrasts=bool(wanted & {"contrasts", "report"}),
                      article_ngrams=not big, methods=methods,
                      evidence_k=cfg["measures"]["evidence_per_cell"],
                      outlet_names=sv.outlets if cfg["contrasts"]["drop_outlet_names"]
                      else (), window_words=sent["window_words"])
    writer = _ReportWriter(ctx.out / "tables" / "cleaning_report.csv")
    ok = False
    try:
        merged = run(ctx.corpus, cfg, options, jobs=ctx.jobs,
                     chunk_articles=_chunk_size(total, ctx.jobs, cfg), quiet=ctx.quiet,
                     report_sink=writer, surveyed=sv)
        ok = True
    finally:
        writer.close(ok)
    ctx.written.append(writer.path)
    ctx.tables["merged"] = merged
    ctx.tables["articles"] = merged.articles
    ctx.tables["fingerprint"] = fingerprint(merged.articles["digest"], cfg)
    for stage, s in merged.seconds.items():
        ctx.add_seconds(stage, s)
    from .figures.style import outlet_colors
    ctx.tables["colors"] = outlet_colors(merged.articles["outlet"], cfg.settings)
    from .measures.overview import overview_from_articles
    ctx.table("overview", overview_from_articles(merged.articles))


def _chunk_size(total, jobs, cfg):
    cap = cfg["build"]["chunk_articles"]
    if not total:
        return cap
    return int(max(1, min(cap, -(-total // (4 * jobs)))))


def stage_overview_figure(ctx: Context):
    ctx.figure("overview", overview_figure, overview=ctx.tables["overview"],
               colors=ctx.tables["colors"])


def overview_figure(overview, colors):
    import matplotlib.pyplot as plt
    from .figures.plots import plot_overview
    fig, ax = plt.subplots(figsize=(8, 0.55 * len(overview) + 1.6), layout="constrained")
    plot_overview(overview, ax=ax, colors=colors)
    return fig


def _mention_frame(ctx, with_positions=False):
    """The merged mentions as a table (actor, label, alias from the actors table)."""
    from .lexicon import actors_table
    m = ctx.tables["merged"]
    at = actors_table(ctx.config.actors)
    arts = m.articles
    art_i = m.mentions[:, 0]
    al = m.mentions[:, 2]

    def cat(values, index):  # categorical built from the small table, indexed per mention
        codes, cats = pd.factorize(values, sort=True)
        return pd.Categorical.from_codes(codes[index], cats)

    df = pd.DataFrame({
        "article_index": art_i,
        "sentence_id": m.mentions[:, 1],
        "outlet": cat(arts["outlet"], art_i),
        "actor": cat(at["actor"], al),
        "actor_name": cat(at["actor_name"], al),
        "label": cat(at["label"], al),
        "in_quote": m.mentions[:, 3].astype(bool),
    })
    if with_positions:
        df.insert(0, "article_id", arts["article_id"].to_numpy()[art_i])
        df["alias"] = at["alias"].to_numpy()[al]
        df["start"] = m.mentions[:, 4]
        df["end"] = m.mentions[:, 5]
    return df


def stage_terms(ctx: Context):
    from .lexicon import lexicon_table
    from .measures.loaded import choose_unit, label_shares, rates_from_units
    t0 = time.perf_counter()
    m, cfg = ctx.tables["merged"], ctx.config["measures"]
    arts = m.articles
    n_art = arts.groupby("outlet")["article_id"].size()
    unit = choose_unit(n_art, cfg["resample"], cfg["min_articles_for_article_bootstrap"])
    lex = lexicon_table(ctx.config.lexicon)
    outlet_of = arts["outlet"].to_numpy()
    if unit == "article":
        words = pd.DataFrame({"outlet": outlet_of, "unit_id": np.arange(len(arts)),
                              "n_words_own": arts["n_words"] - arts["n_words_quoted"],
                              "n_words_quoted": arts["n_words_quoted"]})
        keys = m.hits[:, 0]
    else:
        s = m.sentences
        stride = int(s[:, 1].max()) + 1 if len(s) else 1  # one id per (article, sentence)
        words = pd.DataFrame({"outlet": outlet_of[s[:, 0]],
                              "unit_id": s[:, 0].astype(np.int64) * stride + s[:, 1],
                              "n_words_own": s[:, 2] - s[:, 3], "n_words_quoted": s[:, 3]})
        keys = m.hits[:, 0].astype(np.int64) * stride + m.hits[:, 1]
    counts = pd.DataFrame({"outlet": outlet_of[m.hits[:, 0]], "unit_id": keys,
                           "term": pd.Categorical.from_codes(m.hits[:, 2], lex["term"]),
                           "in_quote": m.hits[:, 3].astype(bool), "n": m.hits[:, 4]})
    rates = rates_from_units(words, counts, lex, n_art, unit, n_boot=cfg["bootstrap"],
                             seed=cfg["seed"], confidence=cfg["confidence"])
    ctx.table("loaded_terms", rates)
    shares = label_shares(_mention_frame(ctx), actors=ctx.config.actors, voice="own",
                          confidence=cfg["confidence"])
    ctx.table("label_shares", shares)
    ctx.add_seconds("loaded terms", time.perf_counter() - t0)
    ctx.figure("loaded_terms", loaded_terms_figure, rates=rates, colors=ctx.tables["colors"],
               top=cfg["heatmap_terms"], exclude=cfg["heatmap_exclude_categories"])
    ctx.figure("label_choice", label_choice_figure, shares=shares)


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


def stage_contrasts(ctx: Context):
    from .measures.contrasts import contrasts
    t0 = time.perf_counter()
    m, c = ctx.tables["merged"], ctx.config["contrasts"]
    counts = pd.DataFrame([(o, t, n) for o in sorted(m.ngrams)
                           for t, n in sorted(m.ngrams[o].items())],
                          columns=["outlet", "term", "n"])
    article_counts = None
    if m.article_ngrams is not None:
        arts = m.articles
        article_counts = pd.DataFrame(
            [(aid, o, t, n) for aid, o, cnt in zip(arts["article_id"], arts["outlet"],
                                                   m.article_ngrams)
             for t, n in sorted(cnt.items())], columns=["article_id", "outlet", "term", "n"])
    else:
        ctx.say("note: article-level TF-IDF skipped for a corpus this large (outlet-level "
                "TF-IDF and log-odds are complete)")
    table = contrasts(counts, min_count=c["min_count"], alpha0=c["alpha0"],
                      article_counts=article_counts)
    ctx.table("contrasts", table)
    ctx.add_seconds("contrasts", time.perf_counter() - t0)
    colors = ctx.tables["colors"]
    ctx.figure("contrasts_log_odds", contrasts_figure, table=table, colors=colors,
               measure="log_odds_z", top=c["top"])
    ctx.figure("contrasts_tfidf", contrasts_figure, table=table, colors=colors,
               measure="tfidf", top=c["top"])
    lo = table[table["measure"] == "log_odds_z"]
    for outlet in sorted(table["outlet"].unique()):
        ctx.figure(f"fightin_words_{slug(outlet)}", fightin_words_figure,
                   table=lo[lo["outlet"] == outlet], outlet=outlet, colors=colors)


def fightin_words_figure(table, outlet, colors):
    import matplotlib.pyplot as plt
    from .figures.plots import plot_fightin_words
    fig, ax = plt.subplots(figsize=(9, 5.5), layout="constrained")
    plot_fightin_words(table, outlet, ax=ax, colors=colors)
    return fig


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
    from .measures.sentiment import EVIDENCE_COLUMNS, actor_sentiment
    t0 = time.perf_counter()
    m, cfg = ctx.tables["merged"], ctx.config
    mc, sc = cfg["measures"], cfg["sentiment"]
    n_rows = len(m.mentions) * max(len(m.scores), 1)
    write_rows = n_rows <= cfg["build"]["max_mention_rows"]
    base = _mention_frame(ctx, with_positions=write_rows)
    if not write_rows:
        base["article_id"] = base["article_index"]  # counted, never written
    frames = []
    for method, (score, pol) in m.scores.items():
        f = base.copy()
        f["method"] = method
        f["score"] = score.astype(float)
        f["polarity"] = pol.astype(int)
        frames.append(f)
    scored = pd.concat(frames, ignore_index=True) if frames else base.assign(
        method=[], score=[], polarity=[])
    table = actor_sentiment(scored, n_boot=mc["bootstrap"], seed=mc["seed"],
                            confidence=mc["confidence"])
    ctx.table("actor_sentiment", table)
    if write_rows:
        cols = ["article_id", "sentence_id", "outlet", "actor", "actor_name", "label", "alias",
                "start", "end", "in_quote", "method", "score", "polarity"]
        ctx.table("mentions", scored[cols])
    else:
        ctx.say(f"note: {len(scored):,} scored mentions: tables/mentions.csv not written "
                f"(limit [build] max_mention_rows); counts and means are exact, and "
                f"tables/sentiment_evidence.csv keeps the strongest sentences per cell")
    ev = m.evidence.copy()
    ev["article_id"] = m.articles["article_id"].to_numpy()[ev["article_index"].to_numpy(int)] \
        if len(ev) else []
    ev["rank"] = ev.groupby(["outlet", "actor", "method", "direction"]).cumcount() + 1
    ctx.table("sentiment_evidence", ev[EVIDENCE_COLUMNS].reset_index(drop=True))
    ctx.add_seconds("actor sentiment", time.perf_counter() - t0)
    ctx.figure("actor_sentiment", sentiment_figure, table=table, method=sc["method"],
               min_mentions=mc["min_mentions"], colors=ctx.tables["colors"])
    ctx.figure("actor_sentiment_heatmap", sentiment_heatmap_figure, table=table,
               method=sc["method"], min_mentions=mc["min_mentions"])


def sentiment_heatmap_figure(table, method, min_mentions):
    import matplotlib.pyplot as plt
    from .figures.plots import plot_actor_heatmap
    fig, ax = plt.subplots(figsize=(13, 1.6 + 0.55 * table["outlet"].nunique()),
                           layout="constrained")
    plot_actor_heatmap(table, method=method, min_mentions=min_mentions, ax=ax)
    return fig


def sentiment_figure(table, *, method, min_mentions, colors, fig=None):
    import matplotlib.pyplot as plt
    from .figures.plots import plot_actor_dots
    n_act = table["actor"].nunique()
    fig = fig or plt.figure(figsize=(11, 1.2 + 0.5 * n_act), layout="constrained")
    ax = fig.add_subplot()
    plot_actor_dots(table, method=method, min_mentions=min_mentions, ax=ax, colors=colors)
    return fig


def stage_report(ctx: Context):
    from .report import ReportInputs, build_report
    ctx.figure("report", build_report, inputs=ReportInputs.from_context(ctx))


def _render(job):
    """Draw and save one queued figure (in a worker process or in this one)."""
    import matplotlib
    matplotlib.use("Agg")
    from .figures.style import style
    name, builder, kwargs, path, dpi = job
    with style():
        fig = builder(**kwargs)
        io.write_png(fig, path, dpi=dpi)
    return path


def render_figures(ctx: Context):
    """Draw every queued figure, on ``ctx.jobs`` processes. Each figure depends only on its
    inputs, so the PNG bytes are the same for any number of jobs. The processes are forked
    (they start with the plotting libraries loaded); the build frees its merged counts first,
    so what they share copy-on-write is little more than the libraries."""
    import multiprocessing as mp
    jobs = [(name, b, kw, ctx.out / f"{name}.png", ctx.dpi) for name, b, kw in ctx.pending]
    ctx.pending = []
    t = time.perf_counter()
    if ctx.jobs > 1 and len(jobs) > 1 and "fork" in mp.get_all_start_methods():
        from concurrent.futures import ProcessPoolExecutor
        mpc = mp.get_context("fork")
        # the largest figures first, so the pool is not left waiting on one at the end
        order = sorted(range(len(jobs)), key=lambda i: jobs[i][0] != "report")
        with ProcessPoolExecutor(max_workers=ctx.jobs, mp_context=mpc) as ex:
            paths = dict(zip(order, ex.map(_render, [jobs[i] for i in order])))
        ctx.written.extend(paths[i] for i in range(len(jobs)))
    else:
        ctx.written.extend(_render(j) for j in jobs)
    ctx.add_seconds("figures and report", time.perf_counter() - t)


# name -> (description, function); "analyse" always runs first
STAGES = {
    "overview": ("overview figure", stage_overview_figure),
    "terms": ("loaded terms and labels", stage_terms),
    "contrasts": ("contrasts (log-odds, TF-IDF)", stage_contrasts),
    "sentiment": ("actor sentiment", stage_sentiment),
    "report": ("report.png", stage_report),
}


def run_build(corpus="seeds", out="figures", *, config: Config | None = None, only=None,
              quiet=False, jobs=None):
    """Run the build. Returns the Context with every table, the files written and the
    seconds spent per stage (worker CPU seconds for the streamed work, wall seconds for the
    rest)."""
    config = config or load_config()
    if not jobs:
        jobs = config["build"]["jobs"] or os.cpu_count() or 1
    ctx = Context(Path(corpus), Path(out), config, quiet=quiet, jobs=int(jobs))
    wanted = set(STAGES) if not only else set(only)
    unknown = wanted - set(STAGES)
    if unknown:
        raise FramingError(None, f"unknown stage(s) for --only: {', '.join(sorted(unknown))} "
                                 f"(choose from {', '.join(STAGES)})")
    if "report" in wanted:  # the report shows every measure
        wanted |= {"overview", "terms", "contrasts", "sentiment"}
    names = [n for n in STAGES if n in wanted]
    t_all = time.perf_counter()
    steps = [("analyse", "read, clean, segment, match, count, score")] + \
        [(n, STAGES[n][0]) for n in names]
    # stages compute their tables and queue their figures; the figures are drawn last
    n_steps = len(steps) + 1
    for k, (name, desc) in enumerate(steps, start=1):
        t = time.perf_counter()
        ctx.say(f"[{k}/{n_steps}] {desc} ...")
        if name == "analyse":
            stage_analyse(ctx, wanted)
        else:
            STAGES[name][1](ctx)
        ctx.say(f"[{k}/{n_steps}] {desc}: done in {time.perf_counter() - t:.1f} s")
    ctx.tables.pop("merged", None)  # counts are in the tables now; free them before drawing
    import gc
    gc.collect()
    t = time.perf_counter()
    ctx.say(f"[{n_steps}/{n_steps}] drawing {len(ctx.pending)} figures ...")
    render_figures(ctx)
    ctx.say(f"[{n_steps}/{n_steps}] figures: done in {time.perf_counter() - t:.1f} s")
    ctx.wall_seconds = time.perf_counter() - t_all
    ctx.say(f"wrote {len(ctx.written)} files to {ctx.out} in {ctx.wall_seconds:.1f} s")
    return ctx
