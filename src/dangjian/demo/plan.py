"""Which operating units are covered, and how (domain-rules §1 and §6).

Sets on every operating unit:
  unit.cover      "own" | "joint" | "fallback" | None (a blank spot)
  unit.structure  for own: "committee" (>100 members), "general" (50–100) or "branch" (3–49)
  unit.n_members  members employed there (0 for fallback-covered micro units)
and returns the joint branches as groups of units (2–5 each; `oversized_joint` of 6).
The number of covered units is exact: the profile's `covered` (or rate × operating).
"""
import math

from dangjian.demo.build_units import _split
from dangjian.demo.context import Ctx
from dangjian.units.models import UnitKind, UnitStatus

JOINT_MAX = 5


def committee_children(unit) -> int:
    """Branches under a firm's own committee or general branch (each ≤ 50 members)."""
    if unit.structure == "committee":
        return math.ceil(unit.n_members / 45)
    if unit.structure == "general":
        return 2 if unit.n_members < 75 else 3
    return 1


def _own_members(rng, unit) -> None:
    if unit.anchor == "big":
        unit.structure, unit.n_members = "committee", rng.randint(110, 260)
    elif unit.anchor == "mid":
        unit.structure, unit.n_members = "general", rng.randint(52, 98)
    else:
        unit.structure = "branch"
        unit.n_members = min(unit.employees, max(3, min(45, round(unit.employees * rng.uniform(0.06, 0.22)))))


def _group_sizes(rng, j: int, groups: int | None, oversized: int) -> list[int]:
    """Sizes of joint branches covering j units: `oversized` of 6, the rest 2–5."""
    while True:
        rest = j - 6 * oversized
        if groups is not None:
            n = groups - oversized
        else:
            n = max(1, round(rest / 3.8)) if rest > 0 else 0
            n = max(math.ceil(rest / JOINT_MAX), min(n, rest // 2))
        if rest >= 0 and 2 * n <= rest <= JOINT_MAX * n:
            break
        if oversized == 0:
            raise ValueError(f"cannot split {j} units into {groups} joint branches of 2–5")
        oversized -= 1
    sizes = [2] * n
    for _ in range(rest - 2 * n):
        sizes[rng.choice([i for i, s in enumerate(sizes) if s < JOINT_MAX])] += 1
    sizes += [6] * oversized
    rng.shuffle(sizes)
    return sizes


def plan_zone(ctx: Ctx, zone, units, covered: int, *, branches: int | None = None, oversized: int = 0):
    p, rng = ctx.profile, ctx.rng
    for u in units:
        u.cover, u.structure, u.n_members = None, "", 0
        u.propensity = math.log(u.employees + 1) + rng.gauss(0, 0.7)
    anchors = [u for u in units if u.anchor]
    candidates = sorted((u for u in units if not u.anchor and u.kind != UnitKind.INDIVIDUAL_BUSINESS
                         and u.employees >= 8), key=lambda u: -u.propensity)
    for u in anchors:
        _own_members(rng, u)
    share = p.park_own_share if zone.is_park else p.own_share
    o0 = max(len(anchors), min(covered, round(covered * share)))
    fallback_share = 0 if zone.is_park else p.fallback_share

    def own_units(o):
        chosen = anchors + candidates[: o - len(anchors)]
        return chosen if len(chosen) == o else None

    if branches is not None:  # the park: exactly `branches` branch-level organisations
        for o in sorted(range(len(anchors), covered + 1), key=lambda o: abs(o - o0)):
            own = own_units(o)
            if own is None:
                continue
            g = branches - sum(committee_children(u) for u in anchors) - (o - len(anchors))
            j = covered - o
            if g >= 1 and 2 * g <= j <= JOINT_MAX * g:
                break
        else:
            raise ValueError(f"{zone.region.name}: no own/joint split gives {branches} branches")
    else:
        own = own_units(min(o0, len(anchors) + len(candidates)))
        g = None
    for u in own:
        u.cover = "own"
        if not u.anchor:
            _own_members(rng, u)
    rest = [u for u in units if u.cover is None]
    micro = [u for u in rest if u.village is not None and u.employees < 10]
    f = min(len(micro), round(covered * fallback_share))
    j = covered - len(own) - f
    if j == 1:  # a joint branch needs two units: shift one unit between fallback, joint and own
        if f < len(micro):
            f, j = f + 1, 0
        elif f > 0:
            f, j = f - 1, 2
        else:
            extra = max([u for u in rest if u.employees >= 3] or rest, key=lambda u: u.propensity)
            extra.cover = "own"
            _own_members(rng, extra)
            rest.remove(extra)
            micro = [u for u in micro if u is not extra]
            j = 0
    for u in rng.sample(micro, f):
        u.cover = "fallback"
    rest = [u for u in rest if u.cover is None]
    rest.sort(key=lambda u: -(u.propensity + rng.gauss(0, 0.8)))
    joint = rest[:j]
    joint.sort(key=lambda u: (u.place.name if u.place else "", u.industry_division != "60", u.industry_section,
                              u.industry_division, rng.random()))
    groups, start = [], 0
    for size in (_group_sizes(rng, j, g, oversized) if j else []):
        group = joint[start:start + size]
        start += size
        for u in group:
            u.cover = "joint"
            u.n_members = min(u.employees, rng.choices([0, 1, 2], weights=[30, 45, 25])[0])
        while sum(u.n_members for u in group) < 3:
            rng.choice([u for u in group if u.n_members < 2]).n_members += 1
        groups.append(group)
    for u in units:
        if u.cover is None and not zone.villages:
            continue  # no village/community organisation nearby to hold their membership
        if u.cover is None:
            roll = rng.random()
            if roll < 0.05 and u.employees >= 5:
                u.n_members = rng.randint(3, min(5, u.employees))  # should form its own branch
            elif roll < 0.2:
                u.n_members = min(u.employees, rng.randint(1, 2))
    for u in units:
        u.employees = max(u.employees, u.n_members)  # a member works there, so it employs at least them
    return groups


def plan_coverage(ctx: Ctx) -> list[list]:
    """Plan every zone; return all joint branches (lists of units)."""
    p = ctx.profile
    operating = [[u for u in z.units if u.status == UnitStatus.OPERATING] for z in ctx.zones]
    total = sum(map(len, operating))
    target = p.covered if p.covered is not None else round(total * p.covered_rate)
    if target > total:
        raise ValueError("more covered units than operating units")
    park_units = operating[-1]
    park_covered = min(len(park_units), round(len(park_units) * p.park_covered_rate))
    per_zone = _split(target - park_covered, [len(us) for us in operating[:-1]]) + [park_covered]
    # The deliberately oversized joint branches go to the zones with the most joint work.
    oversized = {i: 0 for i in range(len(ctx.zones))}
    for i in sorted(range(len(ctx.zones) - 1), key=lambda i: -per_zone[i])[: p.oversized_joint]:
        oversized[i] = 1
    groups = []
    for i, (zone, units) in enumerate(zip(ctx.zones, operating)):
        branches = p.park_branches if zone.is_park else None
        groups += plan_zone(ctx, zone, units, per_zone[i], branches=branches, oversized=oversized[i])
    return groups
