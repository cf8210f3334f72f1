"""The bootstrap interval the accuracy benchmarks share: resample whole groups (policies, services) with replacement."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

T = TypeVar("T")


def bootstrap(items: Sequence[T], group: Callable[[T], Hashable], stat: Callable[[Sequence[T]], float],
              n: int = 2000, seed: int = 13) -> tuple[float, float]:
    """A 95 % percentile interval of `stat(items)`, resampling the groups of items with replacement (fixed seed);
    resamples where the statistic is undefined (NaN) are left out."""
    by_group: dict[Hashable, list[T]] = defaultdict(list)
    for item in items:
        by_group[group(item)].append(item)
    groups = sorted(by_group, key=str)
    rng = random.Random(seed)
    values = sorted(v for v in (stat([i for g in rng.choices(groups, k=len(groups)) for i in by_group[g]])
                                for _ in range(n)) if v == v)
    return values[int(0.025 * len(values))], values[int(0.975 * len(values)) - 1]
