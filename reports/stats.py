"""Plain arithmetic for the compliance report: no Django, tested without a database.

Percentiles follow PostgreSQL's ``percentile_cont`` (linear interpolation between the two nearest
ranks), so the SQLite path, which computes them here from a histogram, gives the same figures as
the PostgreSQL path, which asks the database."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """``percentile_cont(fraction)`` of ``values`` (any order); None when there are none."""
    if not 0 <= fraction <= 1:
        raise ValueError("fraction must be within 0..1")
    ordered = sorted(values)
    if not ordered:
        return None
    return _interpolate(lambda i: ordered[i], len(ordered), fraction)


def percentile_from_histogram(histogram: Iterable[tuple[float, int]], fraction: float) -> float | None:
    """The same, from ``(value, how many times)`` pairs: the database sends one row per distinct
    duration instead of one per event, and durations are whole minutes, so there are few."""
    if not 0 <= fraction <= 1:
        raise ValueError("fraction must be within 0..1")
    pairs = sorted((value, count) for value, count in histogram if count > 0)
    total = sum(count for _, count in pairs)
    if not total:
        return None
    cumulative = []
    running = 0
    for value, count in pairs:
        running += count
        cumulative.append((running, value))

    def at(rank: int) -> float:
        for upto, value in cumulative:
            if rank < upto:
                return value
        raise IndexError(rank)

    return _interpolate(at, total, fraction)


def _interpolate(at, n: int, fraction: float) -> float:
    position = fraction * (n - 1)
    low = math.floor(position)
    high = math.ceil(position)
    low_value = at(low)
    if high == low:
        return float(low_value)
    return float(low_value + (at(high) - low_value) * (position - low))


def share(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` as a percentage (0–100); None when there is nothing to share."""
    if not whole:
        return None
    return 100.0 * part / whole


def rounded(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(float(value), digits)
