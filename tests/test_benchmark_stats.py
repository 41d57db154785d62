"""The statistics the throughput benchmark prints (benchmarks/throughput.py)."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from conftest import ROOT


def _benchmark(name: str):
    """The script ``benchmarks/NAME.py`` loaded as a module (benchmarks are not a package)."""
    spec = importlib.util.spec_from_file_location(f"{name}_bench", ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def throughput():
    return _benchmark("throughput")


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


@pytest.fixture(scope="module")
def rewrite_bench():
    return _benchmark("rewrite")


def _recall_at_precision_by_counting(pos, neg, target):
    """The definition, counted directly: every distinct score as threshold (``score >= th``)."""
    best = (0.0, float("nan"))
    for th in sorted(set(pos) | set(neg)):
        tp = sum(x >= th for x in pos)
        fp = sum(x >= th for x in neg)
        if tp and tp / (tp + fp) >= target and tp / len(pos) > best[0]:
            best = (tp / len(pos), th)
    return best


def test_recall_at_precision_on_a_small_hand_checked_case(rewrite_bench):
    """Positives 0.9, 0.8, 0.3; negatives 0.7, 0.2. At >= 0.8 precision is 1 and recall 2/3; at
    >= 0.3 the negative 0.7 gets in (precision 3/4): so 2/3 at precision 0.95, 1.0 at 0.75."""
    assert rewrite_bench.recall_at_precision([0.9, 0.8, 0.3], [0.7, 0.2], 0.95) == pytest.approx((2 / 3, 0.8))
    assert rewrite_bench.recall_at_precision([0.9, 0.8, 0.3], [0.7, 0.2], 0.75) == pytest.approx((1.0, 0.3))
    recall, threshold = rewrite_bench.recall_at_precision([0.1], [0.5, 0.9], 0.95)
    assert recall == 0.0 and threshold != threshold  # nan: no threshold reaches the precision


def test_recall_at_precision_agrees_with_counting_on_seeded_scores(rewrite_bench):
    """Seeded scores with ties (rounded to 2 places): scikit-learn's curve gives the same best
    recall and threshold as counting every threshold."""
    rng = np.random.default_rng(3)
    for _ in range(200):
        pos = list(np.round(rng.beta(3, 2, rng.integers(1, 30)), 2))
        neg = list(np.round(rng.beta(2, 3, rng.integers(0, 30)), 2))
        for target in (0.9, 0.95):
            got = rewrite_bench.recall_at_precision(pos, neg, target)
            want = _recall_at_precision_by_counting(pos, neg, target)
            assert got[0] == pytest.approx(want[0])
            if want[0] > 0:
                assert got[1] == pytest.approx(want[1])
