"""Proposed linkage groups: K groups of units that keep neighbours together, put similar industries together,
mix strong and weak organisations, and stay of even size ("by neighbouring area, similar industry, strong with
weak").

The objective, per unit and lower is better, is a weighted sum of four terms that each update in O(1) when one
unit moves, which is what makes local search fast at 20,000 units:
- distance: the groups' squared distance to their centre (k-means' sum of squares), divided by the spread of
  all units, so 0 is "all at one spot" and 1 is "no better than one group for all";
- industry: the chance that two of a group's members are of different industry sections (1 − Herfindahl);
- mix: how far a group's share of strong units is from the overall share, plus a penalty for a group without
  any strong unit or any weak one (when there are enough of each to go round);
- size: the squared difference from the even size, relative to it.
Start: k-means++ seeds (seeded random, so a seed always gives the same proposal), units dealt to the nearest
seed with room; then passes of best-improving moves to the nearest other groups until none helps.
"""
import math
import random
from dataclasses import dataclass, field

import numpy as np

STRONG, WEAK = 0.6, 0.35  # strength at or above / below: strong / weak


@dataclass
class Member:
    id: int
    x: float  # km
    y: float
    town: str
    industry: str
    strength: float  # 0–1

    @property
    def strong(self) -> bool:
        return self.strength >= STRONG

    @property
    def weak(self) -> bool:
        return self.strength < WEAK


@dataclass
class Weights:
    distance: float = 1.0
    industry: float = 0.4
    mix: float = 0.6
    size: float = 2.0


@dataclass
class GroupStats:
    n: int = 0
    sx: float = 0.0
    sy: float = 0.0
    sq: float = 0.0  # Σ (x² + y²)
    strong: int = 0
    weak: int = 0
    industries: dict = field(default_factory=dict)
    hh: int = 0  # Σ over industries of count²

    def sse(self) -> float:
        return self.sq - (self.sx * self.sx + self.sy * self.sy) / self.n if self.n else 0.0

    def change(self, m: Member, sign: int) -> None:
        c = self.industries.get(m.industry, 0)
        self.hh += (c + sign) ** 2 - c * c
        self.industries[m.industry] = c + sign
        self.n += sign
        self.sx += sign * m.x
        self.sy += sign * m.y
        self.sq += sign * (m.x * m.x + m.y * m.y)
        self.strong += sign * m.strong
        self.weak += sign * m.weak


class Problem:
    def __init__(self, members: list[Member], k: int, weights: Weights | None = None):
        if not 1 <= k <= len(members):
            raise ValueError("k")
        self.members, self.k, self.w = members, k, weights or Weights()
        n = len(members)
        xs, ys = [m.x for m in members], [m.y for m in members]
        mx, my = sum(xs) / n, sum(ys) / n
        self.spread = max(1e-9, sum((x - mx) ** 2 + (y - my) ** 2 for x, y in zip(xs, ys)))
        self.target = n / k
        self.strong_share = sum(m.strong for m in members) / n
        # Require a strong and a weak unit in every group only when there are enough of each to go round.
        self.need_strong = sum(m.strong for m in members) >= k
        self.need_weak = sum(m.weak for m in members) >= k

    def group_cost(self, g: GroupStats) -> float:
        """The group's share of the objective (already multiplied out by its size where per unit)."""
        if g.n == 0:
            return self.w.size * self.target  # an empty group is as bad as it is far from even
        w = self.w
        cost = w.distance * g.sse() * len(self.members) / self.spread
        cost += w.industry * (g.n - g.hh / g.n)
        cost += w.mix * g.n * (g.strong / g.n - self.strong_share) ** 2
        cost += w.mix * self.target * ((self.need_strong and g.strong == 0) + (self.need_weak and g.weak == 0))
        cost += w.size * (g.n - self.target) ** 2 / self.target
        return cost


@dataclass
class Result:
    assignment: list[int]  # group index per member
    cost: float
    terms: dict  # per-unit averages of each term, for the page
    passes: int


def evaluate(problem: Problem, assignment: list[int]) -> tuple[list[GroupStats], float]:
    groups = [GroupStats() for _ in range(problem.k)]
    for m, g in zip(problem.members, assignment):
        groups[g].change(m, +1)
    return groups, sum(problem.group_cost(g) for g in groups)


def terms(problem: Problem, groups: list[GroupStats]) -> dict:
    """The objective's parts in plain figures: what a user can compare between two proposals."""
    n = len(problem.members)
    filled = [g for g in groups if g.n]
    return {
        "distance": round(sum(g.sse() for g in filled) / problem.spread, 3),
        "industry": round(sum(g.n - g.hh / g.n for g in filled) / n, 3),
        "groups_with_strong": sum(1 for g in filled if g.strong),
        "groups_with_weak": sum(1 for g in filled if g.weak),
        "smallest": min((g.n for g in groups), default=0),
        "largest": max((g.n for g in groups), default=0),
    }


def _tree(points):
    from scipy.spatial import cKDTree  # scipy on first use, not at every process's start

    return cKDTree(points)


def _seed_centres(members, k, rng) -> list[int]:
    """k-means++: each next centre drawn with probability proportional to its squared distance."""
    xy = np.array([[m.x, m.y] for m in members])
    first = rng.randrange(len(members))
    centres = [first]
    d2 = ((xy - xy[first]) ** 2).sum(axis=1)
    for _ in range(1, k):
        total = float(d2.sum())
        if total <= 0:
            rest = [i for i in range(len(members)) if i not in set(centres)]
            centres.append(rest[rng.randrange(len(rest))])
            continue
        pick = rng.random() * total
        i = int(np.searchsorted(np.cumsum(d2), pick))
        i = min(i, len(members) - 1)
        centres.append(i)
        d2 = np.minimum(d2, ((xy - xy[i]) ** 2).sum(axis=1))
    return centres


def _initial(problem: Problem, rng) -> list[int]:
    members, k = problem.members, problem.k
    xy = np.array([[m.x, m.y] for m in members])
    centres = xy[_seed_centres(members, k, rng)]
    room = [math.ceil(problem.target)] * k
    near = _tree(centres).query(xy, k=min(k, 8))[1].reshape(len(members), -1)
    assignment = [-1] * len(members)
    order = list(range(len(members)))
    rng.shuffle(order)
    for i in order:
        for g in near[i]:
            if room[g] > 0:
                assignment[i], room[g] = int(g), room[g] - 1
                break
        else:
            g = max(range(k), key=lambda j: room[j])
            assignment[i], room[g] = g, room[g] - 1
    return assignment


def solve(members: list[Member], k: int, seed: int = 1, weights: Weights | None = None,
          max_passes: int = 30, candidates: int = 5) -> Result:
    """Group ``members`` into ``k`` groups; the same seed gives the same groups. Each pass tries, for every unit,
    the best move to one of the nearest other groups, or else a swap with a unit there of another industry."""
    problem = Problem(members, k, weights)
    rng = random.Random(seed)
    assignment = _initial(problem, rng)
    groups, _cost = evaluate(problem, assignment)
    cost_of = [problem.group_cost(g) for g in groups]
    inside = [set() for _ in range(k)]
    for i, g in enumerate(assignment):
        inside[g].add(i)
    order = list(range(len(members)))
    passes = 0

    def move(i, a, b):
        members_i = members[i]
        groups[a].change(members_i, -1)
        groups[b].change(members_i, +1)
        inside[a].discard(i)
        inside[b].add(i)
        assignment[i] = b

    for passes in range(1, max_passes + 1):
        centres = np.array([[g.sx / g.n, g.sy / g.n] if g.n else [1e9, 1e9] for g in groups])
        near = _tree(centres).query([[m.x, m.y] for m in members], k=min(k, candidates + 1))[1]
        near = np.asarray(near).reshape(len(members), -1)
        rng.shuffle(order)
        changed = 0
        for i in order:
            m, a = members[i], assignment[i]
            ga = groups[a]
            ga.change(m, -1)
            without_a = problem.group_cost(ga)
            best, best_gain = a, 1e-9
            for b in near[i]:
                b = int(b)
                if b == a:
                    continue
                gb = groups[b]
                gb.change(m, +1)
                gain = cost_of[a] + cost_of[b] - without_a - problem.group_cost(gb)
                gb.change(m, -1)
                if gain > best_gain:
                    best, best_gain = b, gain
            ga.change(m, +1)
            if best != a:
                move(i, a, best)
                cost_of[a], cost_of[best] = problem.group_cost(groups[a]), problem.group_cost(groups[best])
                changed += 1
                continue
            # No single move helps: try swapping with a unit of another industry in a nearby group.
            for b in near[i][1:2]:
                b = int(b)
                if b == a:
                    continue
                others = [j for j in inside[b] if members[j].industry != m.industry]
                for j in rng.sample(others, min(2, len(others))):
                    move(i, a, b)
                    move(j, b, a)
                    new_a, new_b = problem.group_cost(groups[a]), problem.group_cost(groups[b])
                    if cost_of[a] + cost_of[b] - new_a - new_b > 1e-9:
                        cost_of[a], cost_of[b] = new_a, new_b
                        changed += 1
                        break
                    move(j, a, b)
                    move(i, b, a)
                else:
                    continue
                break
        if not changed:
            break
    return Result(assignment, sum(cost_of), terms(problem, groups), passes)


def reasons(problem: Problem, assignment: list[int], i: int) -> dict:
    """Why member i is in its group: its distance to the group's centre, who shares its town and industry, and
    its part in the group's strong/weak mix."""
    m, g = problem.members[i], assignment[i]
    mates = [o for j, o in enumerate(problem.members) if assignment[j] == g and j != i]
    cx = sum(o.x for o in mates + [m]) / (len(mates) + 1)
    cy = sum(o.y for o in mates + [m]) / (len(mates) + 1)
    return {"km": round(math.hypot(m.x - cx, m.y - cy), 1), "same_town": sum(o.town == m.town for o in mates),
            "same_industry": sum(o.industry == m.industry for o in mates),
            "role": "strong" if m.strong else ("weak" if m.weak else "middle"),
            "strong_mates": sum(o.strong for o in mates), "weak_mates": sum(o.weak for o in mates)}
