"""Anomaly flags: more than 3 × 1.4826 × MAD from the median of the 7 points before.

Most cases use the history 8, 9, 10, 10, 10, 11, 12: median 10, absolute deviations
2, 1, 0, 0, 0, 1, 2, so MAD = 1 and the threshold is 3 × 1.4826 × 1 = 4.4478.
"""

from __future__ import annotations

from decimal import Decimal

from resolvers.series import flag_anomalies, is_anomalous

HISTORY = [Decimal(n) for n in (8, 9, 10, 10, 10, 11, 12)]


def test_fewer_than_seven_earlier_points_are_never_anomalous() -> None:
    assert not is_anomalous(HISTORY[1:], Decimal(1000))
    assert not is_anomalous([], Decimal(1000))


def test_a_point_exactly_at_the_threshold_is_not_anomalous() -> None:
    assert not is_anomalous(HISTORY, Decimal("14.4478"))
    assert not is_anomalous(HISTORY, Decimal("5.5522"))


def test_a_point_just_above_the_threshold_is_anomalous() -> None:
    assert is_anomalous(HISTORY, Decimal("14.4479"))


def test_a_negative_outlier_is_anomalous() -> None:
    assert is_anomalous(HISTORY, Decimal("5.5521"))
    assert is_anomalous(HISTORY, Decimal(-3))


def test_mad_zero_is_never_anomalous() -> None:
    # Median 10; deviations 0, 0, 0, 0, 0, 1, 2: MAD 0 although two points differ.
    flat = [Decimal(n) for n in (10, 10, 10, 10, 10, 11, 12)]
    assert not is_anomalous(flat, Decimal(1000))


def test_only_the_seven_points_just_before_count() -> None:
    # The 1000 is the eighth point back: the window is still HISTORY.
    assert is_anomalous([Decimal(1000), *HISTORY], Decimal(15))
    assert not is_anomalous([Decimal(1000), *HISTORY], Decimal(14))


def test_a_null_point_or_a_null_in_the_window_is_not_anomalous() -> None:
    assert not is_anomalous(HISTORY, None)
    assert not is_anomalous([*HISTORY[:6], None], Decimal(1000))
    # A null before the last seven does not matter.
    assert is_anomalous([None, *HISTORY], Decimal(1000))


def test_the_threshold_is_exact_at_28_digit_ratios() -> None:
    # m ± d and m ± 2d with d = 0.111… (28 digits): median m, MAD d. 4.4478 × d needs 32
    # digits: at the default 28-digit precision both sides of the comparison round to
    # 0.4942 and the point just above the threshold would not be flagged.
    d = Decimal("0.1111111111111111111111111111")
    m = Decimal("0.3333333333333333333333333333")
    history = [m - 2 * d, m - d, m, m, m, m + d, m + 2 * d]
    at_threshold = Decimal("0.82753333333333333333333333325058")  # m + 4.4478 d, exactly
    assert not is_anomalous(history, at_threshold)
    assert is_anomalous(history, Decimal("0.82753333333333333333333333325059"))


def test_flags_judge_each_point_against_the_points_before_it() -> None:
    values: list[Decimal | None] = [*HISTORY, Decimal(100), Decimal(10), None, Decimal(0)]
    # 100: median 10, MAD 1. 10: window 9…12, 100, median 10, MAD 1, deviation 0. None: not.
    # 0: window holds the null, so not judged.
    assert flag_anomalies(values) == [False] * 7 + [True, False, False, False]
