"""Strong–weak pairs: each weak organisation gets one strong partner, each strong organisation takes one or two,
by a minimum-cost assignment (scipy's ``linear_sum_assignment``) on distance and industry: a strong partner in
another industry costs as much as one ``INDUSTRY_KM`` further away."""
from dataclasses import dataclass

import numpy as np

from dangjian.core.geo import haversine_km

INDUSTRY_KM = 15.0
MAX_WEAK_PER_STRONG = 2


@dataclass
class Side:
    id: int
    lng: float
    lat: float
    industry: str
    taken: int = 0  # current pairs (a strong organisation already helping one has one place left)


@dataclass
class Proposal:
    strong_id: int
    weak_id: int
    km: float
    same_industry: bool


def _km(a: Side, b: Side) -> float:
    return haversine_km(a.lng, a.lat, b.lng, b.lat)


def propose(strong: list[Side], weak: list[Side]) -> list[Proposal]:
    """As many weak organisations paired as places allow, at the least total cost."""
    from scipy.optimize import linear_sum_assignment  # on first use, not at every process's start

    places = [s for s in strong for _ in range(max(0, MAX_WEAK_PER_STRONG - s.taken))]
    if not places or not weak:
        return []
    cost = np.array([[_km(w, s) + (INDUSTRY_KM if w.industry != s.industry else 0.0) for s in places]
                     for w in weak])
    rows, cols = linear_sum_assignment(cost)
    out = [Proposal(places[c].id, weak[r].id, round(_km(weak[r], places[c]), 1),
                    weak[r].industry == places[c].industry) for r, c in zip(rows, cols)]
    return sorted(out, key=lambda p: (p.strong_id, p.km))
