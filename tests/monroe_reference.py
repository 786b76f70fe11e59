"""An independent transcription of Monroe, Colaresi & Quinn (2008), section 3.5.3, kept apart
from framing's code: plain loops over dicts, written from the paper's formulas.

    delta_w^(i-j) = log[(y_w^i + a_w) / (n^i + a_0 - y_w^i - a_w)]
                  - log[(y_w^j + a_w) / (n^j + a_0 - y_w^j - a_w)]
    var(delta_w)  ~ 1 / (y_w^i + a_w) + 1 / (y_w^j + a_w)
    z_w           = delta_w / sqrt(var)
"""

import math


def fightin_words(counts_i: dict, counts_j: dict, prior: dict) -> dict:
    n_i = sum(counts_i.values())
    n_j = sum(counts_j.values())
    a_0 = sum(prior.values())
    out = {}
    for w, a_w in prior.items():
        yi = counts_i.get(w, 0)
        yj = counts_j.get(w, 0)
        li = math.log((yi + a_w) / (n_i + a_0 - yi - a_w))
        lj = math.log((yj + a_w) / (n_j + a_0 - yj - a_w))
        d = li - lj
        var = 1 / (yi + a_w) + 1 / (yj + a_w)
        out[w] = (d, d / math.sqrt(var))
    return out
