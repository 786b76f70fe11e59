"""Write notebooks/*.ipynb (stored without outputs). Run after changing a notebook's cells."""

from pathlib import Path

import nbformat as nbf

HERE = Path(__file__).resolve().parents[1] / "notebooks"

SETUP = """import matplotlib.pyplot as plt
import pandas as pd
import framing
from framing import figures
pd.set_option("display.max_colwidth", 90)
CORPUS = "../seeds"   # any corpus folder or table works here"""

NOTEBOOKS = {
    "01_quickstart.ipynb": [
        ("md", "# framing quickstart\n\nLoad the seed corpus (five outlets writing about "
               "Iran-backed militias in Syria and Iraq) and draw one figure of each measure. "
               "Every step is a call into `framing` that returns a tidy table; every figure "
               "is drawn from one of those tables."),
        ("code", SETUP),
        ("code", "articles = framing.read_corpus(CORPUS)\n"
                 "articles[['article_id', 'outlet', 'title', 'date', 'n_lines_removed']]"),
        ("md", "Cleaning removed page furniture; the report says which line went and why."),
        ("code", "framing.cleaning_report(articles).head(10)"),
        ("code", "an = framing.analyze(articles)\n"
                 "ov = framing.overview(articles, an.sentences)\nov"),
        ("code", "figures.plot_overview(ov);"),
        ("md", "## Loaded terms (own voice)"),
        ("code", "rates = framing.term_rates(an.hits, an.sentences)\n"
                 "fig, ax = plt.subplots(figsize=(12, 4))\n"
                 "figures.plot_term_heatmap(rates, voice='own', ax=ax);"),
        ("md", "## Which label for the Syrian state?"),
        ("code", "shares = framing.label_shares(an.mentions)\n"
                 "figures.plot_label_shares(shares, 'syrian_state');"),
        ("md", "## Words that set each outlet apart (weighted log-odds, one outlet vs the rest)"),
        ("code", "counts = framing.ngram_counts(articles, an.sentences)\n"
                 "lo = framing.log_odds(counts)\n"
                 "fig, axes = plt.subplots(1, 5, figsize=(16, 5), layout='constrained')\n"
                 "for ax, outlet in zip(axes, sorted(articles.outlet.unique())):\n"
                 "    figures.plot_contrast_bars(lo, outlet, top=8, ax=ax)"),
        ("md", "## Sentiment toward each actor"),
        ("code", "scored = framing.score_mentions(an.mentions, an.sentences, 'trained')\n"
                 "sent = framing.actor_sentiment(scored)\n"
                 "fig, ax = plt.subplots(figsize=(10, 8), layout='constrained')\n"
                 "figures.plot_actor_dots(sent, ax=ax);"),
    ],
    "02_loaded_terms.ipynb": [
        ("md", "# Loaded terms and labels\n\nCounts and rates per 1,000 words of every "
               "lexicon term, in the outlet's own voice and inside quotations, with 95% "
               "bootstrap intervals; which label each outlet uses for each actor; and the "
               "hits behind every number."),
        ("code", SETUP),
        ("code", "articles = framing.read_corpus(CORPUS)\nan = framing.analyze(articles)\n"
                 "rates = framing.term_rates(an.hits, an.sentences)\n"
                 "rates[rates.term.isin(['regime', 'government'])].pivot_table(\n"
                 "    index=['term', 'outlet'], columns='voice', values='n')"),
        ("md", "Rates with their intervals. `resampled` says what the bootstrap draws: "
               "sentences within an outlet here, because outlets have one or two articles."),
        ("code", "rates[(rates.term == 'regime') & (rates.voice == 'own')]"),
        ("code", "fig, ax = plt.subplots(figsize=(12, 4))\n"
                 "figures.plot_term_heatmap(rates, voice='own', ax=ax)\n"
                 "fig, ax = plt.subplots(figsize=(7, 3.5))\n"
                 "figures.plot_voice_split(rates, ax=ax);"),
        ("md", "## The evidence: every hit of 'regime' in Majalla (Q = inside a quotation)"),
        ("code", "hits = framing.kwic(articles, an, 'regime', outlet='Majalla')\n"
                 "print(len(hits), 'hits,', hits.in_quote.sum(), 'quoted')\n"
                 "hits[['in_quote', 'left', 'match', 'right']]"),
        ("md", "'occupation' appears in Majalla only inside a quotation:"),
        ("code", "framing.kwic(articles, an, 'occupation')[['outlet', 'in_quote', 'left', "
                 "'match', 'right']]"),
        ("md", "## Label choice per actor"),
        ("code", "shares = framing.label_shares(an.mentions)\n"
                 "shares[(shares.actor == 'syrian_state') & (shares.n > 0)]"),
        ("code", "fig, axes = plt.subplots(1, 2, figsize=(14, 3.5), layout='constrained')\n"
                 "figures.plot_label_shares(shares, 'syrian_state', ax=axes[0])\n"
                 "figures.plot_label_shares(shares, 'iran_aligned_militias', ax=axes[1]);"),
    ],
    "03_contrasts.ipynb": [
        ("md", "# Contrasts: the words that set each outlet apart\n\nWeighted log-odds "
               "with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008) and "
               "TF-IDF, from n-gram counts per article that add up per outlet. Outlet names "
               "('told Majalla') are masked so they cannot rank."),
        ("code", SETUP),
        ("code", "articles = framing.read_corpus(CORPUS)\nan = framing.analyze(articles)\n"
                 "counts = framing.ngram_counts(articles, an.sentences)\ncounts.head()"),
        ("code", "lo = framing.log_odds(counts)\n"
                 "top = lo[(lo.measure == 'log_odds_z') & (lo['rank'] <= 8)]\n"
                 "top.pivot(index='rank', columns='outlet', values='term')"),
        ("md", "A chosen pair: Majalla against The Defense Post. Swapping the pair flips "
               "every sign (the measure is antisymmetric)."),
        ("code", "ab = framing.log_odds(counts, pairs=[('Majalla', 'The Defense Post')])\n"
                 "ba = framing.log_odds(counts, pairs=[('The Defense Post', 'Majalla')])\n"
                 "z = lambda t: t[t.measure == 'log_odds_z'].set_index('term').score.sort_index()\n"
                 "print('max |A vs B + B vs A| =', (z(ab) + z(ba)).abs().max())\n"
                 "ab[ab.measure == 'log_odds_z'].head(10)"),
        ("code", "fig, ax = plt.subplots(figsize=(9, 5.5), layout='constrained')\n"
                 "figures.plot_fightin_words(lo, 'Majalla', ax=ax);"),
        ("md", "TF-IDF with each outlet pooled as one document. With five documents idf "
               "takes only five values, so it ranks coarsely (see the README)."),
        ("code", "tf = framing.tfidf(counts)\n"
                 "tf[tf['rank'] <= 8].pivot(index='rank', columns='outlet', values='term')"),
    ],
    "04_actor_sentiment.ipynb": [
        ("md", "# Sentiment toward each actor\n\nMentions of each actor, scored by three "
               "methods (sentence VADER, a masked VADER window, and a model trained on "
               "NewsMTSC), averaged per outlet with 95% bootstrap intervals, with the "
               "sentences behind each number. The last cells evaluate the methods on a "
               "NewsMTSC file if one is available."),
        ("code", SETUP + "\nimport os\nfrom pathlib import Path\n"
                 "# parameter: a NewsMTSC test file (skipped when absent)\n"
                 "NEWSMTSC = os.environ.get('FRAMING_NEWSMTSC', "
                 "'../../shared/benchmarks/newsmtsc/newsmtsc-rw/test.jsonl')"),
        ("code", "articles = framing.read_corpus(CORPUS)\nan = framing.analyze(articles)\n"
                 "an.mentions.groupby(['actor_name', 'outlet']).size().unstack(fill_value=0)"),
        ("code", "scored = pd.concat([framing.score_mentions(an.mentions, an.sentences, m)\n"
                 "                    for m in ['trained', 'sentence', 'window']])\n"
                 "sent = framing.actor_sentiment(scored)\n"
                 "sent[sent.actor == 'hezbollah']"),
        ("code", "fig, ax = plt.subplots(figsize=(10, 8), layout='constrained')\n"
                 "figures.plot_actor_dots(sent, method='trained', ax=ax)\n"
                 "fig, ax = plt.subplots(figsize=(13, 4), layout='constrained')\n"
                 "figures.plot_actor_heatmap(sent, method='trained', ax=ax);"),
        ("md", "## The evidence behind Hezbollah's score in Majalla"),
        ("code", "ev = framing.evidence(scored[scored.method == 'trained'], actor='hezbollah',"
                 " outlet='Majalla', k=3)\n"
                 "for r in ev.itertuples():\n"
                 "    print(f'{r.direction:8s} {r.score:+.2f}  {r.sentence}\\n')"),
        ("md", "## Evaluation on NewsMTSC (skipped when the file is absent)"),
        ("code", "if Path(NEWSMTSC).is_file():\n"
                 "    res = framing.evaluate(NEWSMTSC)\n"
                 "    display(pd.DataFrame(res['methods']).T)\n"
                 "else:\n"
                 "    print('NewsMTSC file not found, evaluation skipped:', NEWSMTSC)"),
    ],
}


def main():
    HERE.mkdir(exist_ok=True)
    for name, cells in NOTEBOOKS.items():
        nb = nbf.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
        nb.cells = [nbf.v4.new_markdown_cell(src) if kind == "md" else
                    nbf.v4.new_code_cell(src) for kind, src in cells]
        for k, c in enumerate(nb.cells):
            c["id"] = f"cell-{k:02d}"
        nbf.write(nb, HERE / name)
        print("wrote", HERE / name)


if __name__ == "__main__":
    main()
