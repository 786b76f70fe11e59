"""The PNG report: one tall image composed from the same figure functions as the single
figures (each section is a matplotlib subfigure handed to them), with a sentence on how to
read each figure, its main caveat, and a footer with the corpus fingerprint."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Callable

import matplotlib.pyplot as plt

from . import __version__


@dataclass
class Section:
    title: str
    read: str            # how to read the figure, one plain sentence
    caveat: str          # its main caveat
    height: float        # inches
    draw: Callable       # draw(subfigure)


def corpus_summary(articles, overview) -> str:
    dates = sorted(d for d in articles.get("date", []) if isinstance(d, str) and d.strip())
    span = f"{dates[0]} to {dates[-1]}" if dates else "no dates given"
    return (f"{overview['n_articles'].sum()} articles from {len(overview)} outlets "
            f"({', '.join(overview['outlet'])}); {overview['n_words'].sum():,} words after "
            f"cleaning ({overview['n_lines_removed'].sum()} lines of page furniture removed); "
            f"dates: {span}.")


def single_article_caveat(overview) -> str:
    one = overview[overview["n_articles"] == 1]["outlet"].tolist()
    if not one:
        return ""
    if len(one) == len(overview):
        return ("Every outlet has one article: differences may reflect the story, not the "
                "outlet.")
    return (f"{len(one)} of {len(overview)} outlets ({', '.join(one)}) have one article: "
            f"differences may reflect the story, not the outlet.")


def _header(sf, title, read, caveat, width=150):
    sf.text(0.01, 0.92, title, fontsize=15, fontweight="bold", va="top")
    body = textwrap.fill("How to read it: " + read, width)
    sf.text(0.01, 0.58, body, fontsize=10.5, va="top")
    if caveat:
        sf.text(0.01, 0.58 - 0.2 * (body.count("\n") + 1), textwrap.fill("Caveat: " + caveat,
                                                                         width),
                fontsize=10.5, va="top", color="#a33")


def compose(sections, *, title, subtitle, footer, width=15.0):
    head_h, foot_h = 1.3, 0.5
    heights = [head_h] + [1.25 + s.height for s in sections] + [foot_h]
    fig = plt.figure(figsize=(width, sum(heights)), layout="constrained")
    subs = fig.subfigures(len(heights), 1, height_ratios=heights)
    subs[0].text(0.01, 0.8, title, fontsize=22, fontweight="bold", va="top")
    subs[0].text(0.01, 0.35, textwrap.fill(subtitle, 140), fontsize=11.5, va="top")
    for sf, sec in zip(subs[1:-1], sections):
        top, body = sf.subfigures(2, 1, height_ratios=[1.25, sec.height])
        _header(top, sec.title, sec.read, sec.caveat)
        sec.draw(body)
    subs[-1].text(0.01, 0.5, footer, fontsize=9, color="#555555", va="center")
    return fig


def benchmark_sentence(meta) -> str:
    t = (meta or {}).get("test_macro_f1")
    if not t:
        return "The sentiment model's benchmark scores are not recorded in the model file."
    return (f"Trained method on NewsMTSC test sets (Hamborg & Donnay 2021): macro-F1 "
            f"{t['rw']['trained']:.3f} (rw) and {t['mt']['trained']:.3f} (mt), against "
            f"{t['rw']['sentence']:.3f} and {t['mt']['sentence']:.3f} for sentence-level VADER.")


@dataclass
class ReportInputs:
    """What the report needs from a build: its tables and settings (small and picklable)."""

    tables: dict
    config: object

    @classmethod
    def from_context(cls, ctx):
        keep = ("articles", "overview", "loaded_terms", "label_shares", "contrasts",
                "actor_sentiment", "colors", "fingerprint")
        t = {k: ctx.tables[k] for k in keep if k in ctx.tables}
        t["articles"] = t["articles"][["article_id", "outlet", "date"]]
        return cls(t, ctx.config)


def build_report(inputs: ReportInputs):
    """The report figure for a finished build."""
    from .build import (contrasts_figure, label_choice_figure, loaded_terms_figure,
                        sentiment_figure)
    from .figures.plots import plot_overview
    from .measures.sentiment import TrainedModel
    ctx = inputs
    t = ctx.tables
    m, cfg = ctx.config["measures"], ctx.config["sentiment"]
    ov = t["overview"]
    one = single_article_caveat(ov)
    sections = [Section(
        "The corpus", "each bar is the words an outlet contributes after cleaning; the label "
        "gives its articles and sentences.", one, 0.5 * len(ov) + 1.2,
        lambda sf: plot_overview(ov, ax=sf.subplots(), colors=t["colors"]))]
    if "loaded_terms" in t:
        sections.append(Section(
            "Loaded terms", "left: how often each outlet uses each term in its own voice "
            "(colour = rate per 1,000 words, number = raw count); right: how many "
            "delegitimising terms are the outlet's own words and how many sit inside "
            "quotations.", one or "rates from few words are noisy; see the intervals in "
            "tables/loaded_terms.csv.", 1.0 + 0.75 * len(ov),
            lambda sf: loaded_terms_figure(t["loaded_terms"], colors=t["colors"],
                                           top=m["heatmap_terms"],
                                           exclude=m["heatmap_exclude_categories"], fig=sf)))
        shares = t["label_shares"]
        n_act = sum(shares.groupby("actor")["n"].sum() > 0)
        sections.append(Section(
            "Which label for which actor", "each bar splits an outlet's own-voice mentions of "
            "an actor by the label used ('regime' or 'government' …); n is the number of "
            "mentions.", "bars with small n rest on a handful of mentions; a label is matched "
            "by phrase and can be wrong (check it with `framing kwic`).",
            -(-n_act // 2) * (0.42 * len(ov) + 1.3),
            lambda sf: label_choice_figure(shares, fig=sf)))
    if "contrasts" in t:
        sections.append(Section(
            "Words that set each outlet apart", "bars are weighted log-odds z-scores with an "
            "informative Dirichlet prior (Monroe et al. 2008), each outlet against all the "
            "others; coloured bars are words it uses more, grey ones words it uses less.",
            one or "distinctive words often reflect the stories covered, not only framing.",
            0.2 * (ctx.config["contrasts"]["top"] * 1.5) + 1.4,
            lambda sf: contrasts_figure(t["contrasts"], colors=t["colors"],
                                        measure="log_odds_z",
                                        top=ctx.config["contrasts"]["top"], fig=sf)))
    if "actor_sentiment" in t:
        meta = TrainedModel.load().meta if cfg["method"] == "trained" else {}
        tab = t["actor_sentiment"]
        sections.append(Section(
            "Sentiment toward each actor", "each dot is an outlet's mean sentiment toward "
            "an actor (-1 negative to +1 positive) with its 95% bootstrap interval; grey dots "
            f"rest on fewer than {m['min_mentions']} mentions. " + benchmark_sentence(meta),
            "NewsMTSC labels sentiment toward persons in US news while these actors are states "
            "and armed groups; read the evidence sentences (tables/sentiment_evidence.csv, "
            "`framing evidence ACTOR`) before trusting a difference.",
            1.2 + 0.5 * tab["actor"].nunique(),
            lambda sf: sentiment_figure(tab, method=cfg["method"],
                                        min_mentions=m["min_mentions"], colors=t["colors"],
                                        fig=sf)))
    title = "How do these outlets frame the conflict?"
    subtitle = corpus_summary(t["articles"], ov)
    footer = (f"framing {__version__} · corpus fingerprint {t['fingerprint']} (hash of the input "
              f"texts and all settings) · settings: {ctx.config.sources.get('settings', 'defaults')}"
              f" · tables behind every figure: tables/*.csv")
    return compose(sections, title=title, subtitle=subtitle, footer=footer)
