"""What the runs of a row add up to: its median rate, and how fast one row
is against another. (Not named `statistics`: that would shadow the standard
library's module, which this one uses, for every module in bench/.)"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field


@dataclass
class Result:
    name: str
    op: str
    rates: list[float] = field(default_factory=list)
    # Of every attempt, kept or not.
    token_requests: list[int] = field(default_factory=list)
    # The share of CPU time stolen during each kept run.
    steal: list[float] = field(default_factory=list)
    attempts: int = 0

    @property
    def rate(self) -> float:
        return statistics.median(self.rates)


# Every row's result, by (contender name, operation).
Results = dict[tuple[str, str], Result]


def ratio(results: Results, a: str, b: str, op: str) -> float:
    """How fast row a is against row b: the median, over the runs, of their
    ratio within each run. Both rows of a run ran close together in time
    (two sequential rows: in alternating slices), so a slow spell of the
    host counts against both; the ratio of the two medians would mix runs
    taken minutes apart."""
    return ratio_to_fastest(results, a, (b,), op)


def ratio_to_fastest(results: Results, a: str, others: tuple[str, ...], op: str) -> float:
    """`ratio` against the fastest of `others` within each run."""
    xs = results[(a, op)].rates
    columns = [results[(b, op)].rates for b in others]
    assert all(len(ys) == len(xs) for ys in columns), (a, others, op)
    return statistics.median(x / max(ys) for x, *ys in zip(xs, *columns))


def ratio_to_rate(results: Results, a: str, rate: float, op: str) -> float:
    """The median, over the runs, of row a's rate against a fixed rate."""
    return statistics.median(x / rate for x in results[(a, op)].rates)
