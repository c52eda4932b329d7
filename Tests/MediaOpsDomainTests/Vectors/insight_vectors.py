#!/usr/bin/env python3
"""Expected values for Tests/MediaOpsDomainTests/InsightTests.swift.

Documentation only: CI never runs this (Package.swift excludes this folder).
To regenerate:

    pip install scipy statsmodels
    python3 Tests/MediaOpsDomainTests/Vectors/insight_vectors.py

and paste the printed literals over the matching ones in InsightTests.swift.
Produced with SciPy 1.17.1 and statsmodels 0.15.0.

1. "Each category against the rest": Welch's t-test of each category's
   engagement rates against all other posts, then Holm's adjustment of the
   four p-values (statsmodels multipletests(method="holm")).
2. The required sample size per group for 80 % power at alpha = 0.05,
   two-sided: n = 2 (z_0.975 + z_0.8)^2 s_p^2 / delta^2 with the pooled SD
   s_p^2 = ((nA-1) sA^2 + (nB-1) sB^2) / (nA + nB - 2), rounded up.
"""
import math

import numpy as np
from scipy import stats
from statsmodels.stats.multitest import multipletests

Z975 = stats.norm.ppf(0.975)
Z80 = stats.norm.ppf(0.8)

GROUPS = {
    "emotional": [0.061, 0.072, 0.058, 0.080, 0.069, 0.075],
    "industry": [0.052, 0.049, 0.060, 0.055, 0.047, 0.058],
    "user_story": [0.055, 0.062, 0.050, 0.066, 0.053],
    "product_insight": [0.057, 0.051, 0.063, 0.049, 0.059],
}
# The order of ContentCategory.allCases, as the comparisons are listed.
ORDER = ["industry", "user_story", "product_insight", "emotional"]


def required(a, b):
    a, b = np.array(a), np.array(b)
    delta = a.mean() - b.mean()
    sp2 = ((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1)) / (len(a) + len(b) - 2)
    return math.ceil(2 * (Z975 + Z80) ** 2 * sp2 / delta ** 2)


raw = []
for level in ORDER:
    rest = [v for other in ORDER if other != level for v in GROUPS[other]]
    raw.append(stats.ttest_ind(GROUPS[level], rest, equal_var=False).pvalue)
adjusted = multipletests(raw, method="holm")[1]
print("static let eachRaw: [Double] = [" + ", ".join(repr(float(p)) for p in raw) + "]")
print("static let eachHolm: [Double] = [" + ", ".join(repr(float(p)) for p in adjusted) + "]")
print("static let eachSignificant: [Bool] = [" + ", ".join("true" if p < 0.05 else "false" for p in adjusted) + "]")
for level in ORDER:
    rest = [v for other in ORDER if other != level for v in GROUPS[other]]
    print(level, "required per group vs rest:", required(GROUPS[level], rest))
print("user_story vs product_insight required:", required(GROUPS["user_story"], GROUPS["product_insight"]))
print("pooled sd(0.02, 10, 0.03, 20) =", repr(math.sqrt((9 * 0.02 ** 2 + 19 * 0.03 ** 2) / 28)))
print("required(delta=0.01, sp=0.02) =", math.ceil(2 * (Z975 + Z80) ** 2 * 0.02 ** 2 / 0.01 ** 2))
print("required(delta=-3, sp=10) =", math.ceil(2 * (Z975 + Z80) ** 2 * 10 ** 2 / 3 ** 2))
