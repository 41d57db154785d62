"""The statistics the throughput benchmark prints (benchmarks/throughput.py)."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def throughput():
    spec = importlib.util.spec_from_file_location("throughput_bench", ROOT / "benchmarks" / "throughput.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("n, ranks", [(5, None), (6, (1, 6)), (10, (2, 9)), (24, (7, 18)), (50, (18, 33))])
def test_median_interval_takes_the_sign_test_order_statistics(throughput, n, ranks):
    """The 95% interval of the median is (x_(k), x_(n-k+1)) with the ranks of the binomial
    tables (Conover 1999, section 3.2): n=6 -> 1..6, n=10 -> 2..9, n=24 -> 7..18, n=50 -> 18..33;
    none for n=5 (even min..max covers the median only 93.75% of the time)."""
    values = [10.0 * i for i in range(n, 0, -1)]  # reversed: the function sorts
    got = throughput.median_interval(values)
    if ranks is None:
        assert got is None
    else:
        assert got == (10.0 * ranks[0], 10.0 * ranks[1])


def test_median_interval_covers_the_median_of_a_skewed_distribution(throughput):
    """Seeded samples of 12 from a lognormal (median exactly 1.0): the interval holds the true
    median in at least 95% of 4,000 samples and is not needlessly wide (under 99.5%)."""
    rng = np.random.default_rng(7)
    hits = 0
    for _ in range(4000):
        low, high = throughput.median_interval(list(rng.lognormal(0.0, 0.5, 12)))
        hits += low <= 1.0 <= high
    assert 0.95 <= hits / 4000 < 0.995
