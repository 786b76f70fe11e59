"""Axes-level plot functions, one per measure table."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from .style import GREY, outlet_colors

__all__ = ["plot_overview", "plot_term_heatmap", "plot_voice_split", "plot_label_shares",
           "pick_terms", "plot_contrast_bars", "plot_fightin_words",
           "plot_actor_dots", "plot_actor_heatmap"]


def _ax(ax, size=(6, 4)):
    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def plot_overview(overview, *, ax=None, colors=None):
    """Articles and words per outlet (the ``overview`` table): words as bars, n articles printed.

    Returns the Axes.
    """
    ax = _ax(ax)
    colors = colors or outlet_colors(overview["outlet"])
    df = overview.sort_values("outlet", ascending=False)
    y = np.arange(len(df))
    ax.barh(y, df["n_words"], color=[colors[o] for o in df["outlet"]])
    ax.set_yticks(y, df["outlet"])
    xmax = float(df["n_words"].max() or 1)
    for yi, (w, n, s) in enumerate(zip(df["n_words"], df["n_articles"], df["n_sentences"])):
        ax.text(w + xmax * 0.01, yi, f"{w:,} words · {n} article{'s' if n != 1 else ''} · "
                f"{s} sentences", va="center", fontsize=8.5)
    ax.set_xlim(0, xmax * 1.55)
    ax.set_xlabel("words after cleaning")
    ax.set_title("Corpus: words and articles per outlet")
    return ax


def _outlet_label(outlet, n_articles):
    if n_articles is None:
        return outlet
    return f"{outlet}\n({n_articles} article{'s' if n_articles != 1 else ''})"


def pick_terms(rates, voice="own", top=18):
    """The terms worth a column: most frequent in ``voice`` across outlets, by category."""
    r = rates[rates["voice"] == voice]
    tot = r.groupby(["category", "term"])["n"].sum().reset_index()
    tot = tot[tot["n"] > 0].sort_values(["n", "term"], ascending=[False, True]).head(top)
    cat_order = list(dict.fromkeys(rates["category"]))
    tot["_c"] = tot["category"].map({c: i for i, c in enumerate(cat_order)})
    return list(tot.sort_values(["_c", "n", "term"], ascending=[True, False, True])["term"])


def plot_term_heatmap(rates, *, voice="own", terms=None, top=18, exclude=("attribution",),
                      ax=None):
    """Outlets x terms: colour is the rate per 1,000 words in ``voice``, the cell text its raw
    count. Reads the ``term_rates`` table; categories in ``exclude`` are left out."""
    ax = _ax(ax, (11, 4))
    rates = rates[~rates["category"].isin(exclude)]
    terms = terms or pick_terms(rates, voice, top)
    r = rates[(rates["voice"] == voice) & rates["term"].isin(terms)]
    outlets = sorted(r["outlet"].unique())
    rate = r.pivot(index="outlet", columns="term", values="rate_per_1k").reindex(
        index=outlets, columns=terms)
    n = r.pivot(index="outlet", columns="term", values="n").reindex(index=outlets, columns=terms)
    im = ax.imshow(rate.to_numpy(float), aspect="auto", cmap="Reds", vmin=0)
    vmax = np.nanmax(rate.to_numpy(float)) if rate.size else 1
    for i in range(len(outlets)):
        for j in range(len(terms)):
            v = n.iat[i, j]
            if np.isnan(v):
                continue
            dark = rate.iat[i, j] > 0.55 * vmax
            ax.text(j, i, f"{int(v)}", ha="center", va="center", fontsize=8.5,
                    color="white" if dark else ("#333333" if v else "#bbbbbb"))
    words = r.groupby("outlet")["n_words"].first().reindex(outlets)
    arts = r.groupby("outlet")["n_articles"].first().reindex(outlets)
    ax.set_yticks(range(len(outlets)),
                  [f"{o}  ({int(w):,} words, {int(a)} art.)" for o, w, a in
                   zip(outlets, words, arts)])
    cats = r.drop_duplicates("term").set_index("term")["category"].reindex(terms)
    ax.set_xticks(range(len(terms)), terms, rotation=40, ha="right")
    for j, c in enumerate(cats):
        if j == 0 or cats.iloc[j - 1] != c:
            ax.axvline(j - 0.5, color="white", lw=3)
            ax.text(j - 0.45, -0.55, c, fontsize=8, color="#555555", va="bottom",
                    fontstyle="italic")
    ax.set_ylim(len(outlets) - 0.5, -0.5)
    ax.spines[:].set_visible(False)
    ax.tick_params(length=0)
    cb = ax.figure.colorbar(im, ax=ax, fraction=0.025, pad=0.01)
    cb.set_label(f"rate per 1,000 words ({voice} voice)")
    ax.set_title(f"Loaded terms per outlet, {voice} voice (numbers: raw counts)", pad=24)
    return ax


def plot_voice_split(rates, *, category="delegitimising", ax=None, colors=None):
    """Per outlet: hits of a term category in the outlet's own voice vs inside quotations."""
    ax = _ax(ax, (6, 3.5))
    r = rates[rates["category"] == category]
    g = r.groupby(["outlet", "voice"])["n"].sum().unstack("voice").fillna(0)
    g = g.reindex(sorted(g.index, reverse=True))
    colors = colors or outlet_colors(g.index)
    y = np.arange(len(g))
    own, quoted = g["own"].to_numpy(), g["quoted"].to_numpy()
    ax.barh(y, own, color=[colors[o] for o in g.index], label="own voice")
    ax.barh(y, quoted, left=own, color=[colors[o] for o in g.index], alpha=0.35,
            hatch="///", edgecolor="white", label="inside quotations")
    xmax = float((own + quoted).max() or 1)
    for yi, (a, b) in enumerate(zip(own, quoted)):
        tot = a + b
        share = f"{b / tot:.0%} quoted" if tot else "none"
        ax.text(tot + xmax * 0.015, yi, f"{int(a)} own + {int(b)} quoted ({share})",
                va="center", fontsize=8.5)
    ax.set_yticks(y, g.index)
    ax.set_xlim(0, xmax * 1.7)
    ax.set_xlabel(f"'{category}' terms (count)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2)
    ax.set_title(f"Own voice or quoted? '{category}' terms")
    return ax


def plot_label_shares(shares, actor, *, ax=None, cmap="tab20"):
    """Stacked shares of each label an outlet uses for ``actor``; n mentions on each bar.
    Reads the ``label_shares`` table."""
    ax = _ax(ax, (6, 3))
    s = shares[shares["actor"] == actor]
    outlets = sorted(s["outlet"].unique(), reverse=True)
    labels = list(s.groupby("label")["n"].sum().sort_values(ascending=False, kind="stable").index)
    labels = [lab for lab in labels if s.loc[s["label"] == lab, "n"].sum() > 0]
    palette = plt.get_cmap(cmap)
    lab_color = {lab: palette(i % 20) for i, lab in enumerate(labels)}
    y = np.arange(len(outlets))
    left = np.zeros(len(outlets))
    for lab in labels:
        vals = np.array([s[(s["outlet"] == o) & (s["label"] == lab)]["share"].fillna(0).sum()
                         for o in outlets])
        ax.barh(y, vals, left=left, color=lab_color[lab], label=lab, edgecolor="white")
        for yi, (l0, v) in enumerate(zip(left, vals)):
            if v >= 0.04 + 0.017 * len(lab):
                ax.text(l0 + v / 2, yi, lab, ha="center", va="center", fontsize=7.5)
        left += vals
    n_actor = [int(s[s["outlet"] == o]["n_actor"].max()) for o in outlets]
    for yi, n in enumerate(n_actor):
        ax.text(1.02, yi, f"n={n}", va="center", fontsize=8.5,
                color="#333333" if n else GREY)
    ax.set_yticks(y, outlets)
    ax.set_xlim(0, 1.13)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1], ["0", "25%", "50%", "75%", "100%"])
    name = s["actor_name"].iloc[0] if len(s) else actor
    ax.set_title(name, loc="left")
    ax.legend(loc="upper left", bbox_to_anchor=(1.1, 1.0), fontsize=8, title="label",
              title_fontsize=8)
    return ax


def plot_contrast_bars(table, outlet, *, measure="log_odds_z", top=10, ax=None, colors=None,
                       vs="rest"):
    """Top terms of one outlet: bars to the right for terms it over-uses, and (for log-odds)
    to the left in grey for terms it under-uses relative to ``vs``. Reads the contrasts table."""
    ax = _ax(ax, (4, 4))
    colors = colors or outlet_colors(table["outlet"])
    t = table[(table["outlet"] == outlet) & (table["measure"] == measure) & (table["vs"] == vs)]
    pos = t.sort_values(["score", "term"], ascending=[False, True]).head(top)
    neg = t[t["score"] < 0].sort_values(["score", "term"]).head(top // 2) \
        if measure.startswith("log_odds") else t.iloc[0:0]
    d = pd.concat([pos, neg.iloc[::-1]])
    y = np.arange(len(d))[::-1]
    ax.barh(y, d["score"], color=[colors[outlet] if s > 0 else GREY for s in d["score"]])
    ax.set_yticks(y, [f"{tm} ({n})" for tm, n in zip(d["term"], d["n"])], fontsize=8)
    ax.axvline(0, color="#444444", lw=0.8)
    if measure == "log_odds_z":
        for x in (-1.96, 1.96):
            ax.axvline(x, color="#999999", lw=0.6, ls=":")
        ax.set_xlabel(f"z (log-odds, vs {vs})")
    else:
        ax.set_xlabel(measure)
    ax.set_title(outlet, color=colors[outlet])
    return ax


def _place_labels(ax, xs, ys, labels, fontsize=8):
    """Greedy label placement: nudge each label vertically until it overlaps no placed one."""
    ax.autoscale_view()
    renderer = ax.figure.canvas.get_renderer()  # text extents only: no full draw needed
    placed = []
    order = np.argsort(-np.abs(np.asarray(ys)))
    for k in order:
        x, y, lab = xs[k], ys[k], labels[k]
        for dy in (0, 8, -8, 16, -16, 24, -24, 32, -32, 40, -40, 48, -48):
            t = ax.annotate(lab, (x, y), xytext=(4, dy), textcoords="offset points",
                            fontsize=fontsize, va="center",
                            arrowprops=dict(arrowstyle="-", color="#999999", lw=0.5)
                            if dy else None)
            bb = t.get_window_extent(renderer).expanded(1.02, 1.1)
            if not any(bb.overlaps(p) for p in placed):
                placed.append(bb)
                break
            t.remove()
    return ax


def plot_fightin_words(table, outlet, *, vs="rest", label=12, ax=None, colors=None):
    """Fightin' Words plot: term frequency (x, log scale) against log-odds z (y); terms beyond
    |z| = 1.96 coloured, the most distinctive labelled without overlap."""
    ax = _ax(ax, (8, 5))
    colors = colors or outlet_colors(table["outlet"])
    t = table[(table["outlet"] == outlet) & (table["measure"] == "log_odds_z") &
              (table["vs"] == vs)]
    freq = (t["n"] + t["n_vs"]).to_numpy()
    z = t["score"].to_numpy()
    sig_pos, sig_neg = z > 1.96, z < -1.96
    rest = ~(sig_pos | sig_neg)
    ax.scatter(freq[rest], z[rest], s=8, color=GREY, alpha=0.6, lw=0)
    ax.scatter(freq[sig_pos], z[sig_pos], s=16, color=colors[outlet], lw=0,
               label=f"more in {outlet}")
    ax.scatter(freq[sig_neg], z[sig_neg], s=16, color="#555555", lw=0,
               label=f"more in {vs if vs != 'rest' else 'the other outlets'}")
    ax.set_xscale("log")
    plain = FuncFormatter(lambda v, _: f"{v:g}")
    ax.xaxis.set_major_formatter(plain)
    ax.xaxis.set_minor_formatter(FuncFormatter(
        lambda v, _: f"{v:g}" if str(f"{v:g}")[0] in "25" else ""))
    ax.axhline(0, color="#444444", lw=0.6)
    for yv in (-1.96, 1.96):
        ax.axhline(yv, color="#999999", lw=0.6, ls=":")
    top = np.argsort(-np.abs(z))[:label]
    _place_labels(ax, freq[top], z[top], [t["term"].iloc[k] for k in top])
    ax.set_xlabel("frequency in both groups (log scale)")
    ax.set_ylabel("weighted log-odds z")
    ax.set_title(f"Fightin' Words: {outlet} vs {vs if vs != 'rest' else 'the other outlets'}")
    ax.legend(loc="lower left")
    return ax


def _actor_order(table):
    tot = table.groupby("actor_name")["n"].sum().sort_values(ascending=False, kind="stable")
    return list(tot.index)


def plot_actor_dots(table, *, method="trained", min_mentions=3, ax=None, colors=None,
                    actors=None):
    """Dot plot: actors as rows, outlets as coloured points with 95% intervals; an outlet with
    fewer than ``min_mentions`` mentions of an actor is drawn grey and labelled with its n.
    Reads the ``actor_sentiment`` table."""
    ax = _ax(ax, (8, 6))
    t = table[table["method"] == method]
    colors = colors or outlet_colors(t["outlet"])
    actors = actors or _actor_order(t)
    outlets = sorted(t["outlet"].unique())
    k = len(outlets)
    offs = np.linspace(-0.32, 0.32, k) if k > 1 else np.zeros(1)
    for i, a in enumerate(actors):
        if i % 2 == 0:
            ax.axhspan(i - 0.5, i + 0.5, color="#f3f3f3", zorder=0, lw=0)
        for j, o in enumerate(outlets):
            r = t[(t["actor_name"] == a) & (t["outlet"] == o)]
            if r.empty:
                continue
            r = r.iloc[0]
            y = i + offs[j]
            few = r["n"] < min_mentions
            c = GREY if few else colors[o]
            ax.plot([r["ci_low"], r["ci_high"]], [y, y], color=c, lw=1.6, zorder=2)
            ax.scatter([r["mean"]], [y], color=c, s=26, zorder=3, edgecolor="white", lw=0.5)
            if few:
                ax.text(r["mean"], y, f"  n={int(r['n'])}", fontsize=7, color="#777777",
                        va="center")
    ax.axvline(0, color="#444444", lw=0.8)
    ax.set_yticks(range(len(actors)), actors)
    ax.set_ylim(len(actors) - 0.5, -0.5)
    ax.set_xlim(-1.05, 1.05)
    ax.set_xlabel(f"mean sentiment toward the actor ({method}; -1 negative, +1 positive), "
                  f"95% interval")
    handles = [plt.Line2D([], [], marker="o", ls="", color=colors[o], label=o)
               for o in outlets]
    handles.append(plt.Line2D([], [], marker="o", ls="", color=GREY,
                              label=f"fewer than {min_mentions} mentions"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.set_title("Sentiment toward each actor, by outlet")
    return ax


def plot_actor_heatmap(table, *, method="trained", min_mentions=3, ax=None, actors=None):
    """Outlets x actors: mean sentiment (diverging colour), each cell labelled with its mean
    and n; cells with fewer than ``min_mentions`` mentions grey."""
    ax = _ax(ax, (10, 4))
    t = table[table["method"] == method]
    actors = actors or _actor_order(t)
    outlets = sorted(t["outlet"].unique())
    mean = t.pivot(index="outlet", columns="actor_name", values="mean").reindex(
        index=outlets, columns=actors)
    n = t.pivot(index="outlet", columns="actor_name", values="n").reindex(
        index=outlets, columns=actors).fillna(0)
    vals = mean.to_numpy(float)
    shown = np.where(n.to_numpy() >= min_mentions, vals, np.nan)
    cmap = plt.get_cmap("RdBu").with_extremes(bad="#e6e6e6")
    im = ax.imshow(shown, cmap=cmap, vmin=-1, vmax=1, aspect="auto")
    for i in range(len(outlets)):
        for j in range(len(actors)):
            nn = int(n.iat[i, j])
            if nn == 0:
                txt, col = "", "#999999"
            elif nn < min_mentions:
                txt, col = f"n={nn}", "#888888"
            else:
                txt, col = f"{vals[i, j]:+.2f}\nn={nn}", "black" if abs(vals[i, j]) < 0.6 \
                    else "white"
            ax.text(j, i, txt, ha="center", va="center", fontsize=7.5, color=col)
    ax.set_xticks(range(len(actors)), actors, rotation=35, ha="right")
    ax.set_yticks(range(len(outlets)), outlets)
    ax.spines[:].set_visible(False)
    ax.tick_params(length=0)
    cb = ax.figure.colorbar(im, ax=ax, fraction=0.025, pad=0.01)
    cb.set_label(f"mean sentiment ({method})")
    ax.set_title(f"Sentiment toward actors (grey: fewer than {min_mentions} mentions)")
    return ax
