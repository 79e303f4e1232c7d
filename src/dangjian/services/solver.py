"""Suggested assignments that fill the service gaps: each unit without an officer gets one nearby, no officer goes
above the limit of their kind, and loads stay even.

Officers based at the same spot (a town office) are interchangeable for distance, so the problem is a
transportation problem between units and spots: unit u may go to one of its nearest spots (cost: the distance in
km), and a spot's k-th unit at load level ℓ costs λ·ℓ more (λ, rule services.balance_km_per_unit, says how many
kilometres one more unit on an officer is worth), the levels being the officers' free places. A unit may also
stay unassigned at a prohibitive cost, so a solution always exists. It is a linear programme over a network
matrix, so its optimal vertex (HiGHS dual simplex, scipy's ``linprog``) is whole: a real assignment, not a
rounding. Each spot's units then go to its officers lowest load first, which is what the levels priced.
"""
import heapq
from dataclasses import dataclass

import numpy as np

from dangjian.core.geo import project_km

UNASSIGNED = 1e6


@dataclass
class Place:
    """A unit or an officer on the map (lng/lat in degrees)."""

    id: int
    lng: float
    lat: float


@dataclass
class Suggestion:
    unit_id: int
    officer_id: int
    km: float
    load_before: int  # the officer's units before this suggestion's batch


def _xy(places, lat0: float) -> np.ndarray:
    return np.array([project_km(p.lng, p.lat, lat0) for p in places], dtype=float)


def suggest(units: list[Place], officers: list[Place], loads: dict[int, int], limits: dict[int, int],
            balance_km: float = 2.0, candidates: int = 5) -> list[Suggestion]:
    """One officer for as many ``units`` as capacity allows, each within its ``candidates`` nearest officer
    spots. ``loads``: each officer's current units; ``limits``: the most each may have. Units that cannot be
    placed are left out of the result."""
    # scipy loads on first use: imported with the module it would add to every process's start.
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix
    from scipy.spatial import cKDTree

    base = {o.id: loads.get(o.id, 0) for o in officers}
    officers = [o for o in officers if limits[o.id] > base[o.id]]
    if not units or not officers:
        return []
    lat0 = sum(u.lat for u in units) / len(units)
    unit_xy, officer_xy = _xy(units, lat0), _xy(officers, lat0)
    spots, spot_of = np.unique(np.round(officer_xy, 2), axis=0, return_inverse=True)  # 10 m apart = same spot
    spot_of = spot_of.reshape(-1)
    n_units, n_spots = len(units), len(spots)
    k = min(candidates, n_spots)
    km, near = cKDTree(spots).query(unit_xy, k=k)
    km, near = km.reshape(n_units, k), near.reshape(n_units, k)

    # Free places per spot and load level: level ℓ is free at as many of the spot's officers as have it.
    top = max(limits[o.id] for o in officers)
    free = np.zeros((n_spots, top))
    for i, o in enumerate(officers):
        free[spot_of[i], base[o.id]:limits[o.id]] += 1
    level_spot, level = np.nonzero(free)

    # Variables: x[unit, candidate] | y[spot, level] | skip[unit]. Rows: each unit once; per spot, units = places used.
    nx, ny = n_units * k, len(level_spot)
    cost = np.concatenate([km.reshape(-1), balance_km * level, np.full(n_units, UNASSIGNED)])
    rows = np.concatenate([np.repeat(np.arange(n_units), k), n_units + near.reshape(-1), n_units + level_spot,
                           np.arange(n_units)])
    cols = np.concatenate([np.arange(nx), np.arange(nx), nx + np.arange(ny), nx + ny + np.arange(n_units)])
    values = np.concatenate([np.ones(2 * nx), -np.ones(ny), np.ones(n_units)])
    matrix = coo_matrix((values, (rows, cols)), shape=(n_units + n_spots, nx + ny + n_units)).tocsr()
    bounds = np.zeros((nx + ny + n_units, 2))
    bounds[:, 1] = 1
    bounds[nx:nx + ny, 1] = free[level_spot, level]
    result = linprog(cost, A_eq=matrix, b_eq=np.concatenate([np.ones(n_units), np.zeros(n_spots)]), bounds=bounds,
                     method="highs-ds")
    if result.status != 0:
        raise RuntimeError(f"assignment solver: {result.message}")
    chosen = result.x[:nx].reshape(n_units, k) > 0.5

    # Within a spot, the nearest units first go to whoever has the fewest units (and a free place).
    heaps = {}
    for i, o in enumerate(officers):
        heaps.setdefault(spot_of[i], []).append((base[o.id], i))
    for heap in heaps.values():
        heapq.heapify(heap)
    unit_rows, picks = np.nonzero(chosen)
    out = []
    for r, j in sorted(zip(unit_rows, picks), key=lambda rj: km[rj[0], rj[1]]):
        heap = heaps[near[r, j]]
        load, i = heapq.heappop(heap)
        o = officers[i]
        if load + 1 < limits[o.id]:
            heapq.heappush(heap, (load + 1, i))
        out.append(Suggestion(units[r].id, o.id, round(float(np.hypot(*(unit_xy[r] - officer_xy[i]))), 1), base[o.id]))
    out.sort(key=lambda s: (s.officer_id, s.km))
    return out
