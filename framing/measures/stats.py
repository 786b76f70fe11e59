"""Shared statistics: seeded bootstrap over units, Wilson intervals."""

from __future__ import annotations

import zlib

import numpy as np


def rng_for(seed: int, *keys) -> np.random.Generator:
    """A generator seeded by the run seed and stable keys (outlet, actor): results do not
    depend on the order in which outlets are processed."""
    return np.random.default_rng([int(seed)] + [zlib.crc32(str(k).encode()) for k in keys])


def resample_weights(n_units: int, n_boot: int, rng) -> np.ndarray:
    """How often each unit is drawn in each bootstrap resample (n_boot x n_units)."""
    if n_units == 0:
        return np.zeros((n_boot, 0))
    return rng.multinomial(n_units, np.full(n_units, 1.0 / n_units), size=n_boot).astype(float)


def ratio_interval(counts, words, weights, confidence=0.95, per=1000.0):
    """Percentile interval of sum(counts)/sum(words)*per over bootstrap weights.

    counts : (n_units, n_terms); words : (n_units,); weights : (n_boot, n_units), or a
    callable yielding such blocks (see :func:`weight_batches`).
    Returns (low, high), each (n_terms,). NaN where no words.
    """
    blocks = weights() if callable(weights) else [weights]
    rs = []
    for w in blocks:
        num = w @ counts
        den = (w @ words)[:, None]
        with np.errstate(invalid="ignore", divide="ignore"):
            rs.append(np.where(den > 0, num / np.where(den > 0, den, 1) * per, np.nan))
    r = np.concatenate(rs)
    a = (1 - confidence) / 2
    if np.all(np.isnan(r)):
        nan = np.full(counts.shape[1], np.nan)
        return nan, nan
    return np.nanquantile(r, a, axis=0), np.nanquantile(r, 1 - a, axis=0)


def weight_batches(n_units: int, n_boot: int, seed: int, *keys, batch=100):
    """A callable yielding the bootstrap weights in blocks of ``batch`` resamples, the same
    blocks on every call (so each voice sees the same resamples), with bounded memory."""
    def gen():
        rng = rng_for(seed, *keys)
        done = 0
        while done < n_boot:
            b = min(batch, n_boot - done)
            yield resample_weights(n_units, b, rng)
            done += b
    return gen


BOOTSTRAP_MAX_N = 20_000


def mean_interval(values, n_boot, rng, confidence=0.95):
    """Percentile bootstrap interval of the mean of ``values`` (resampling the values).

    Above ``BOOTSTRAP_MAX_N`` values the normal approximation mean +- z * sd / sqrt(n) is used
    instead (the bootstrap distribution of a mean is normal there to within rounding, and
    resampling millions of values a thousand times costs minutes); see :func:`mean_ci_method`.
    """
    values = np.asarray(values, dtype=float)
    n = len(values)
    if n == 0:
        return np.nan, np.nan
    if n == 1:
        return values[0], values[0]
    if n > BOOTSTRAP_MAX_N:
        from statistics import NormalDist
        z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
        half = z * values.std(ddof=1) / np.sqrt(n)
        return float(values.mean() - half), float(values.mean() + half)
    means = np.empty(n_boot)
    step = max(1, 2_000_000 // n)  # resamples per batch: about 2M drawn indices at a time
    for k in range(0, n_boot, step):
        b = min(step, n_boot - k)
        means[k:k + b] = values[rng.integers(0, n, size=(b, n))].mean(axis=1)
    a = (1 - confidence) / 2
    return float(np.quantile(means, a)), float(np.quantile(means, 1 - a))


def wilson(k, n, confidence=0.95):
    """Wilson score interval for a proportion k/n (vectorised)."""
    from statistics import NormalDist
    z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        den = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / den
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return centre - half, centre + half


def mean_ci_method(n: int) -> str:
    return "normal" if n > BOOTSTRAP_MAX_N else "bootstrap"
