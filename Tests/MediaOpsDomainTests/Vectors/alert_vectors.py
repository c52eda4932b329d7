#!/usr/bin/env python3
"""Expected values for Tests/MediaOpsDomainTests/AlertRuleTests.swift.

Documentation only: CI never runs this. The Swift tests hold its output as
literals, and Package.swift excludes this folder from the test target. To
regenerate:

    pip install numpy scipy
    python3 Tests/MediaOpsDomainTests/Vectors/alert_vectors.py

and paste each printed block over the matching one in AlertRuleTests.swift.
Produced with NumPy 2.4.6 and SciPy 1.17.1 on CPython 3.11.

Percentiles are numpy.percentile's default method ("linear", Hyndman & Fan
type 7); the MAD is scipy.stats.median_abs_deviation, unscaled and with
scale="normal" (÷ Φ⁻¹(3/4), i.e. × 1.4826). The 30-value sample comes from the
64-bit LCG that significance_vectors.py documents:

    state = (state * 6364136223846793005 + 1442695040888963407) mod 2**64
    u     = (state >> 11) / 2**53
    views(seed, count): floor(20000 * u * u)
"""
import math

import numpy as np
from scipy import stats

MASK = 2**64 - 1


def lcg(seed):
    state = seed
    while True:
        state = (state * 6364136223846793005 + 1442695040888963407) & MASK
        yield (state >> 11) / 9007199254740992.0


def views(seed, count):
    g = lcg(seed)
    return [float(math.floor(20000 * u * u)) for u, _ in zip(g, range(count))]


def swift_list(values):
    return "[" + ", ".join(repr(float(v)) for v in values) + "]"


SAMPLES = {
    "one": [7.0],
    "two": [10.0, 20.0],
    "unsorted": [15.0, 3.0, 9.0, 1.0, 12.0],
    "ties": [5.0, 5.0, 5.0, 8.0, 8.0, 100.0],
    "negative": [-500.0, -120.5, 0.0, 33.25, -7.0, 410.0, -0.1],
    "fractions": [0.0441, 0.0312, 0.0587, 0.0299, 0.0713, 0.0388, 0.0402, 0.0501],
    "views30": views(7, 30),
}
PERCENTS = [1.0, 10.0, 25.0, 33.3, 50.0, 75.0, 90.0, 99.0]

print("// percentile vectors: (name, values, [(percent, numpy.percentile)])")
for name, values in SAMPLES.items():
    pairs = ", ".join(f"({p!r}, {float(np.percentile(values, p))!r})" for p in PERCENTS)
    print(f'("{name}", {swift_list(values)}, [{pairs}]),')

print("// median and MAD vectors: (name, median, MAD, MAD × 1.4826)")
for name, values in SAMPLES.items():
    print(f'("{name}", {float(np.median(values))!r}, '
          f'{float(stats.median_abs_deviation(values))!r}, '
          f'{float(stats.median_abs_deviation(values, scale="normal"))!r}),')

# The weekly anomaly band for one day, computed independently of the Swift
# code: 28 earlier days (offset 1 = yesterday), the judged day at offset 0.
# Day offsets that are multiples of 7 share the judged day's weekday.
g = lcg(11)
window = {}
for offset in range(1, 29):
    weekday_factor = 0.6 if offset % 7 in (1, 2) else 1.0  # two quiet days a week
    window[offset] = float(round(1000 * weekday_factor * (1 + 0.2 * (next(g) - 0.5))))
missing = {3, 17}
for offset in missing:
    del window[offset]
groups = {}
for offset, value in window.items():
    groups.setdefault(offset % 7, []).append(value)
reference = groups[0]
residuals = []
for values in groups.values():
    if len(values) < 2:
        continue
    for i, value in enumerate(values):
        others = values[:i] + values[i + 1:]
        residuals.append(value - float(np.median(others)))
median = float(np.median(reference))
mad = float(stats.median_abs_deviation(residuals))
sigma = float(stats.median_abs_deviation(residuals, scale="normal"))
print("// weekly anomaly window: offsets 1...28 without", sorted(missing))
print(f"let window: [Int: Double] = [{', '.join(f'{o}: {window[o]!r}' for o in sorted(window))}]")
print(f"median {median!r} mad {mad!r} sigma {sigma!r} residuals {len(residuals)} reference {len(reference)}")
print(f"upper (k 3.5) {median + max(3.5 * sigma, 10, 0.1 * abs(median))!r} "
      f"lower {median - max(3.5 * sigma, 10, 0.1 * abs(median))!r}")
