"""Suggested assignments that fill the service gaps: each unit without an officer gets one nearby, no officer goes
above the limit of their kind, and loads stay even.

A minimum-cost bipartite matching (scipy's LAPJVsp, ``min_weight_full_bipartite_matching``) between the units
and the officers' free places. Officer o's k-th extra unit costs distance + λ·(current load + k): the growing
price of a place spreads the work; λ (rule services.balance_km_per_unit) says how many kilometres one more
unit on an officer is worth. Each unit is joined to its nearest officers only (a sparse graph: 20,000 units ×
10 officers × their places), plus one costly "leave unassigned" place of its own, so a matching always exists.
"""
import math
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching
from scipy.spatial import cKDTree

KM_PER_DEGREE = 111.32
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
    """Equirectangular projection in km: accurate to a few per cent within a district or a province."""
    scale = math.cos(math.radians(lat0))
    return np.array([[p.lng * KM_PER_DEGREE * scale, p.lat * KM_PER_DEGREE] for p in places], dtype=float)


def suggest(units: list[Place], officers: list[Place], loads: dict[int, int], limits: dict[int, int],
            balance_km: float = 2.0, candidates: int = 10) -> list[Suggestion]:
    """One officer for as many ``units`` as capacity allows. ``loads``: each officer's current units;
    ``limits``: the most each may have. Units left out (no free place near enough) are simply not returned."""
    free = {o.id: max(0, limits[o.id] - loads.get(o.id, 0)) for o in officers}
    officers = [o for o in officers if free[o.id] > 0]
    if not units or not officers:
        return []
    lat0 = sum(u.lat for u in units) / len(units)
    unit_xy, officer_xy = _xy(units, lat0), _xy(officers, lat0)
    k = min(candidates, len(officers))
    km, nearest = cKDTree(officer_xy).query(unit_xy, k=k)
    km, nearest = km.reshape(len(units), k), nearest.reshape(len(units), k)
    # Column layout: officer i's places are columns first[i] .. first[i] + free - 1.
    caps = np.array([free[o.id] for o in officers])
    first = np.concatenate([[0], np.cumsum(caps)[:-1]])
    base = np.array([loads.get(o.id, 0) for o in officers])
    rows, cols, costs = [], [], []
    width = int(caps.max())
    slot = np.arange(width)
    for j in range(k):  # one vectorised pass per candidate rank
        o = nearest[:, j]
        usable = slot[None, :] < caps[o][:, None]  # units × width: which places officer o has
        r, s = np.nonzero(usable)
        rows.append(r)
        cols.append(first[o[r]] + s)
        # +1 keeps every real edge strictly positive (a zero would vanish from the sparse matrix).
        costs.append(km[r, j] + balance_km * (base[o[r]] + s) + 1.0)
    n_places = int(caps.sum())
    rows.append(np.arange(len(units)))
    cols.append(n_places + np.arange(len(units)))
    costs.append(np.full(len(units), UNASSIGNED))
    graph = csr_matrix((np.concatenate(costs), (np.concatenate(rows), np.concatenate(cols))),
                       shape=(len(units), n_places + len(units)))
    matched_rows, matched_cols = min_weight_full_bipartite_matching(graph)
    owner = np.repeat(np.arange(len(officers)), caps)
    out = []
    for r, c in zip(matched_rows, matched_cols):
        if c >= n_places:
            continue
        i = owner[c]
        dist = float(np.hypot(*(unit_xy[r] - officer_xy[i])))
        out.append(Suggestion(units[r].id, officers[i].id, round(dist, 1), int(base[i])))
    out.sort(key=lambda s: (s.officer_id, s.km))
    return out
