#!/usr/bin/env python3
"""Expected values for Tests/MediaOpsDomainTests/SignificanceTests.swift.

Documentation only: CI never runs this. The Swift tests hold its output as
literals, and Package.swift excludes this folder from the test target. To
regenerate:

    pip install scipy statsmodels
    python3 Tests/MediaOpsDomainTests/Vectors/significance_vectors.py > /tmp/vectors.swift

and paste each printed block over the matching one in SignificanceTests.swift.
Produced with SciPy 1.17.1, statsmodels 0.15.0, NumPy 2.x on CPython 3.11.

The large samples come from a 64-bit LCG that SignificanceTests.swift
implements identically (IEEE arithmetic only, so both languages produce the
same doubles):

    state = (state * 6364136223846793005 + 1442695040888963407) mod 2**64
    u     = (state >> 11) / 2**53                      # in [0, 1)
    normalish(seed, count, center, scale): center + scale * (u1 + u2 + u3 + u4 - 2.0)
    skewed(seed, count, scale):            floor(scale * u * u)   (view-count-like, with ties)
"""
import math

import numpy as np
from scipy import stats
from statsmodels.stats.multitest import multipletests

Z975 = 1.959963984540054  # stats.norm.ppf(0.975)
Z80 = 0.8416212335729143  # stats.norm.ppf(0.8)
MASK = 2**64 - 1


class LCG:
    def __init__(self, seed):
        self.state = seed

    def next(self):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) & MASK
        return (self.state >> 11) / 9007199254740992.0


def normalish(seed, count, center, scale):
    g = LCG(seed)
    out = []
    for _ in range(count):
        u1, u2, u3, u4 = g.next(), g.next(), g.next(), g.next()
        out.append(center + scale * (u1 + u2 + u3 + u4 - 2.0))
    return out


def skewed(seed, count, scale):
    g = LCG(seed)
    out = []
    for _ in range(count):
        u = g.next()
        out.append(float(math.floor(scale * u * u)))
    return out


class Sample:
    """A sample and the Swift expression that makes it."""

    def __init__(self, values, swift):
        self.values = values
        self.swift = swift


def values(*xs):
    xs = [float(x) for x in xs]
    return Sample(xs, ".values([" + ", ".join(repr(x) for x in xs) + "])")


def gen_normalish(seed, count, center, scale):
    return Sample(normalish(seed, count, center, scale),
                  f".normalish(seed: {seed}, count: {count}, center: {center!r}, scale: {scale!r})")


def gen_skewed(seed, count, scale):
    return Sample(skewed(seed, count, scale), f".skewed(seed: {seed}, count: {count}, scale: {scale!r})")


def required(n, na, nb):
    """SampleSizeEstimate as Significance.estimate computes it."""
    req = max(2, min(math.ceil(n), 10**12))
    return f"SampleSize({req}, {max(0, req - na)}, {max(0, req - nb)})"


def swift_opt(x):
    return "nil" if x is None else repr(float(x))


def welch_cases():
    return [
        ("n=2 against n=2", values(1, 2), values(3, 5)),
        ("n=3 against n=3", values(1.5, 2.5, 4.0), values(0.2, 0.1, 0.5)),
        ("n=2 against n=3", values(10, 14), values(9, 11, 10.5)),
        ("unequal sizes and spreads", values(3.1, 2.9, 3.3, 3.0, 3.2),
         values(1, 8, 2, 9, 4, 6, 3, 7, 5, 10, 0, 12)),
        ("negative numbers", values(-3.2, -1.1, -4.5, -2.2), values(-0.5, 1.2, -1.0, 0.3, 0.0)),
        ("one sample without spread", values(5, 5, 5), values(1, 2, 3, 4)),
        ("identical means", values(1, 2, 3), values(3, 2, 1)),
        ("nearly identical means", values(10.0, 12.0, 11.0, 13.0), values(10.001, 12.0, 11.0, 13.0)),
        ("a tiny p-value", values(100.0, 100.1, 99.9, 100.05, 99.95, 100.02),
         values(0.0, 0.1, -0.1, 0.05, -0.05)),
        ("500 against 500, a small shift", gen_normalish(1, 500, 10.0, 3.0), gen_normalish(2, 500, 10.3, 3.0)),
        ("500 against 300, unequal spreads", gen_normalish(3, 500, 50.0, 10.0), gen_normalish(4, 300, 48.0, 25.0)),
        ("500 against 500, an extreme p-value", gen_normalish(5, 500, 1.0, 1.0), gen_normalish(6, 500, 1.8, 1.0)),
        ("view counts in the millions", values(1.2e6, 3.4e6, 2.2e6, 5.1e6, 0.9e6), values(0.8e6, 1.1e6, 0.7e6, 1.5e6)),
        ("rates as fractions", values(0.0123, 0.0145, 0.0101, 0.0167, 0.0139, 0.0121),
         values(0.0098, 0.0111, 0.0087, 0.0125, 0.0104)),
        ("skewed counts, 200 against 150", gen_skewed(7, 200, 1000.0), gen_skewed(8, 150, 1300.0)),
    ]


def welch_block():
    lines = []
    for name, a, b in welch_cases():
        r = stats.ttest_ind(a.values, b.values, equal_var=False)
        ci = r.confidence_interval(0.95)
        ma, mb = np.mean(a.values), np.mean(b.values)
        sa, sb = np.std(a.values, ddof=1), np.std(b.values, ddof=1)
        diff = ma - mb
        size = "nil" if diff == 0 else required(2 * ((Z975 + Z80) * math.sqrt((sa**2 + sb**2) / 2) / diff) ** 2,
                                                  len(a.values), len(b.values))
        lines.append(f'        WelchCase("{name}", {a.swift}, {b.swift},\n'
                     f'                  t: {float(r.statistic)!r}, p: {float(r.pvalue)!r}, df: {float(r.df)!r}, '
                     f'difference: {float(diff)!r}, ci: ({float(ci.low)!r}, {float(ci.high)!r}), size: {size}),')
    return "\n".join(lines)


def mann_whitney_cases():
    return [
        ("n=2 against n=2", values(1, 2), values(3, 5)),
        ("n=3 against n=3", values(1.5, 2.5, 4.0), values(0.2, 0.1, 0.5)),
        ("n=2 against n=3 with a tie across", values(10, 14), values(9, 10, 10.5)),
        ("ties inside and across", values(1, 2, 2, 3, 3, 3, 4), values(2, 3, 3, 4, 4, 5)),
        ("negative numbers", values(-3.2, -1.1, -4.5, -2.2), values(-0.5, 1.2, -1.0, 0.3, 0.0)),
        ("each sample constant, the two apart", values(5, 5, 5), values(1, 1, 1, 1)),
        ("the same values in both", values(1, 2, 3), values(3, 2, 1)),
        ("complete separation, 10 against 12",
         values(20, 21, 22, 23, 24, 25, 26, 27, 28, 29), values(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)),
        ("interleaved, 8 against 7", values(1, 4, 5, 8, 9, 12, 13, 16), values(2, 3, 6, 7, 10, 11, 14)),
        ("mostly zeros (posts without a comment)", values(0, 0, 0, 0, 1, 0, 2, 0, 0, 3), values(0, 0, 1, 0, 0, 0, 0, 0, 0)),
        ("500 against 500, a small shift", gen_normalish(1, 500, 10.0, 3.0), gen_normalish(2, 500, 10.3, 3.0)),
        ("500 against 300, unequal spreads", gen_normalish(3, 500, 50.0, 10.0), gen_normalish(4, 300, 48.0, 25.0)),
        ("500 against 500, an extreme p-value", gen_normalish(5, 500, 1.0, 1.0), gen_normalish(6, 500, 1.8, 1.0)),
        ("skewed counts with ties, 500 against 400", gen_skewed(9, 500, 100.0), gen_skewed(10, 400, 120.0)),
        ("heavy ties, 300 against 300", gen_skewed(11, 300, 6.0), gen_skewed(12, 300, 5.0)),
    ]


def hodges_lehmann(a, b):
    d = np.subtract.outer(np.array(a), np.array(b)).ravel()
    d.sort()
    mn = len(d)
    est = d[(mn + 1) // 2 - 1] if mn % 2 == 1 else (d[mn // 2 - 1] + d[mn // 2]) / 2
    n1, n2 = float(len(a)), float(len(b))
    n = n1 + n2
    spread = math.sqrt(n1 * n2 * (n + 1) / 12)
    k = math.floor(float(mn) / 2 + 0.5 - Z975 * spread)
    ci = (d[k - 1], d[mn - k]) if k >= 1 else None
    return est, ci


def mann_whitney_block():
    lines = []
    for name, a, b in mann_whitney_cases():
        r = stats.mannwhitneyu(a.values, b.values, alternative="two-sided", method="asymptotic", use_continuity=True)
        est, ci = hodges_lehmann(a.values, b.values)
        n1, n2 = len(a.values), len(b.values)
        shift = float(r.statistic) / (n1 * n2) - 0.5
        size = "nil" if shift == 0 else required((Z975 + Z80) ** 2 / (6 * shift * shift), n1, n2)
        ci_swift = "nil" if ci is None else f"({float(ci[0])!r}, {float(ci[1])!r})"
        lines.append(f'        MannWhitneyCase("{name}", {a.swift}, {b.swift},\n'
                     f'                        u: {float(r.statistic)!r}, p: {float(r.pvalue)!r}, '
                     f'shift: {float(est)!r}, ci: {ci_swift}, '
                     f'medians: ({float(np.median(a.values))!r}, {float(np.median(b.values))!r}), size: {size}),')
    return "\n".join(lines)


def proportion_cases():
    return [
        ("none in A", 0, 100, 5, 100),
        ("none in B", 7, 40, 0, 60),
        ("equal proportions", 10, 100, 20, 200),
        ("equal counts and trials", 3, 9, 3, 9),
        ("one trial each", 1, 1, 0, 1),
        ("small groups", 2, 5, 4, 6),
        ("every trial a success in A", 50, 50, 45, 50),
        ("a click rate, 100,000 impressions each", 4500, 100000, 4700, 100000),
        ("a tiny difference on large groups", 30001, 1000000, 30000, 1000000),
        ("an extreme p-value", 900, 1000, 100, 1000),
        ("unequal group sizes", 12, 80, 40, 150),
        ("a borderline difference", 30, 100, 18, 100),
        ("large unequal groups", 1234, 56789, 987, 54321),
        ("rare events", 1, 10000, 9, 10000),
        ("near-certain events", 995, 1000, 980, 1000),
    ]


def proportions_block():
    lines = []
    for name, s1, n1, s2, n2 in proportion_cases():
        stat, p, dof, _ = stats.chi2_contingency([[s1, n1 - s1], [s2, n2 - s2]], correction=False)
        p1, p2 = s1 / n1, s2 / n2
        diff = p1 - p2
        se = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
        var = p1 * (1 - p1) + p2 * (1 - p2)
        size = "nil" if diff == 0 else required((Z975 + Z80) ** 2 * var / diff**2, n1, n2)
        lines.append(f'        ProportionCase("{name}", {s1}, {n1}, {s2}, {n2},\n'
                     f'                       chi2: {float(stat)!r}, p: {float(p)!r}, difference: {diff!r}, '
                     f'ci: ({diff - Z975 * se!r}, {diff + Z975 * se!r}), size: {size}),')
    return "\n".join(lines)


def holm_block():
    vectors = [
        [0.01, 0.04, 0.03, 0.005],
        [0.5],
        [0.2, 0.2, 0.2],
        [0.01, 0.01, 0.04, 0.04],
        [0.9, 0.8, 0.7, 0.6],
        [1e-12, 0.049, 0.0125, 0.3, 0.02],
        [0.0, 1.0],
        [0.04, 0.03, 0.02, 0.01, 0.001, 0.5, 0.6, 0.7, 0.8, 0.9],
    ]
    lines = []
    for v in vectors:
        adj = multipletests(v, method="holm")[1]
        lines.append(f"        ([{', '.join(repr(x) for x in v)}],\n"
                     f"         [{', '.join(repr(float(x)) for x in adj)}]),")
    return "\n".join(lines)


def distributions_block():
    lines = []
    for t, df in [(0.5, 1.0), (2.0, 3.0), (1.96, 10.0), (2.5, 7.3), (4.0, 30.0), (3.0, 250.0), (8.0, 2.0), (12.0, 40.0)]:
        lines.append(f"        ({t!r}, {df!r}, {float(2 * stats.t.sf(t, df))!r}),")
    lines.append("        // quantiles: (probability, df, t.ppf)")
    for q, df in [(0.975, 1.0), (0.975, 1.5), (0.975, 2.0), (0.975, 4.7), (0.975, 30.0), (0.975, 998.0), (0.995, 12.0), (0.025, 5.0)]:
        lines.append(f"        ({q!r}, {df!r}, {float(stats.t.ppf(q, df))!r}),")
    return "\n".join(lines)


if __name__ == "__main__":
    print("    // welch")
    print(welch_block())
    print("    // mann-whitney")
    print(mann_whitney_block())
    print("    // two proportions")
    print(proportions_block())
    print("    // holm")
    print(holm_block())
    print("    // distributions: (t, df, 2 * t.sf(t, df))")
    print(distributions_block())
