"""Rules of service to enterprises: the request state table, working-day deadlines, the satisfaction and
on-time formulas, and the assignment solver."""
import datetime as dt
import itertools
import random

import pytest

from dangjian.services import solver, states
from dangjian.services.models import State
from dangjian.services.queries import Figures, day_ends, request_values
from dangjian.services.workdays import add_working_days, is_working_day

D, DEPT, E = states.DISPATCHER, states.DEPARTMENT, states.ENTERPRISE
ALLOWED = {  # (action, from state, who) -> to state: every allowed transition, and nothing else
    ("accept", State.SUBMITTED, D): State.ACCEPTED,
    **{("assign", s, D): State.ASSIGNED for s in (State.ACCEPTED, State.ASSIGNED, State.IN_PROGRESS, State.RETURNED,
                                                   State.REOPENED)},
    **{("start", s, DEPT): State.IN_PROGRESS for s in (State.ASSIGNED, State.RETURNED)},
    **{("reply", s, DEPT): State.REPLIED for s in (State.ASSIGNED, State.IN_PROGRESS, State.RETURNED)},
    **{("return", State.REPLIED, who): State.RETURNED for who in (E, D)},
    **{("confirm", State.REPLIED, who): State.CLOSED for who in (E, D)},
    ("reopen", State.CLOSED, E): State.REOPENED,
}


@pytest.mark.parametrize("action,state,who", list(itertools.product(states.STEPS, State.values, (D, DEPT, E))))
def test_every_transition_is_allowed_or_refused_as_the_table_says(action, state, who):
    assert states.allowed(action, state, {who}) == ((action, state, who) in ALLOWED)
    if (action, state, who) in ALLOWED:
        assert states.STEPS[action].target == ALLOWED[(action, state, who)]


def test_unknown_action_and_no_role_are_refused():
    assert not states.allowed("delete", State.SUBMITTED, {D, DEPT, E})
    assert states.available(State.SUBMITTED, set()) == []
    assert states.available(State.REPLIED, {E}) == ["return", "confirm"]


def test_weekends_and_holidays_are_days_off_and_make_up_weekends_are_working_days():
    assert is_working_day(dt.date(2026, 11, 27))  # Friday
    assert not is_working_day(dt.date(2026, 11, 28))  # Saturday
    assert not is_working_day(dt.date(2026, 10, 1))  # National Day, a Thursday
    assert is_working_day(dt.date(2026, 10, 10))  # Saturday worked for the National Day week


@pytest.mark.parametrize("start,days,due", [
    (dt.date(2026, 11, 27), 1, dt.date(2026, 11, 30)),  # Friday + 1 → Monday
    (dt.date(2026, 11, 23), 5, dt.date(2026, 11, 30)),  # Monday + 5 → next Monday
    (dt.date(2026, 11, 28), 1, dt.date(2026, 11, 30)),  # accepted on a Saturday: Monday is the first day
    (dt.date(2026, 9, 30), 1, dt.date(2026, 10, 8)),  # over the National Day holiday
    (dt.date(2026, 10, 9), 1, dt.date(2026, 10, 10)),  # the make-up Saturday counts
    (dt.date(2026, 12, 31), 1, dt.date(2027, 1, 4)),  # New Year 2027 is a statutory holiday, then a weekend
    (dt.date(2026, 11, 27), 0, dt.date(2026, 11, 27)),
])
def test_deadlines_count_working_days(start, days, due):
    assert add_working_days(start, days) == due


def test_satisfaction_and_on_time_formulas():
    f, cutoffs = Figures(), day_ends()
    t0 = dt.datetime(2026, 11, 2, 9, tzinfo=dt.timezone.utc)
    for args in [(t0, t0 + dt.timedelta(days=2), t0 + dt.timedelta(days=3), dt.date(2026, 11, 6), 5),  # on time
                 (t0, t0 + dt.timedelta(days=10), t0 + dt.timedelta(days=12), dt.date(2026, 11, 6), 3),  # late
                 (t0, t0 + dt.timedelta(days=4), None, dt.date(2026, 11, 6), None),  # on the deadline day
                 (t0, None, None, None, None)]:  # still open
        f.add(*request_values(*args, cutoffs))
    # 23:30 in Chongqing on the deadline day is still on time; 00:30 the next day is late.
    local = dt.timezone(dt.timedelta(hours=8))
    assert request_values(t0, dt.datetime(2026, 11, 6, 23, 30, tzinfo=local), None, dt.date(2026, 11, 6), None,
                          cutoffs)[2] is True
    assert request_values(t0, dt.datetime(2026, 11, 7, 0, 30, tzinfo=local), None, dt.date(2026, 11, 6), None,
                          cutoffs)[2] is False
    assert f.requests == 4 and f.replied == 3 and f.on_time == 2 and f.closed == 2
    assert f.on_time_rate == pytest.approx(2 / 3)
    assert f.satisfaction == 80.0  # (5 + 3) / (2 × 5)
    assert f.median_reply_days == 4.0 and f.median_close_days == 7.5
    assert Figures().satisfaction is None and Figures().on_time_rate is None


def grid_units(n, seed=1):
    rng = random.Random(seed)
    return [solver.Place(i, 107.5 + rng.random() * 0.5, 30.5 + rng.random() * 0.4) for i in range(n)]


def test_solver_respects_limits_and_covers_every_unit_when_capacity_allows():
    units = grid_units(200)
    officers = [solver.Place(1000 + i, 107.5 + (i % 5) * 0.1, 30.5 + (i // 5) * 0.1) for i in range(20)]
    loads = {1000: 8, 1001: 10}
    limits = {o.id: 11 for o in officers}
    out = solver.suggest(units, officers, loads, limits)
    assert len(out) == 200 and len({s.unit_id for s in out}) == 200
    count = {o.id: loads.get(o.id, 0) for o in officers}
    for s in out:
        count[s.officer_id] += 1
    assert max(count.values()) <= 11


def test_solver_leaves_units_out_when_capacity_runs_short_and_balances_loads():
    units = grid_units(100, seed=2)
    officers = [solver.Place(1, 107.6, 30.6), solver.Place(2, 107.9, 30.8)]
    out = solver.suggest(units, officers, {}, {1: 30, 2: 30})
    assert len(out) == 60  # 40 units wait for more officers
    loads = {1: 0, 2: 0}
    for s in out:
        loads[s.officer_id] += 1
    assert loads == {1: 30, 2: 30}
    balanced = solver.suggest(units[:40], officers, {}, {1: 40, 2: 40}, balance_km=50)
    n1 = sum(s.officer_id == 1 for s in balanced)
    assert abs(n1 - 20) <= 2  # a heavy balance weight splits the work evenly


def test_solver_keeps_units_near_their_officer():
    west = [solver.Place(i, 107.50 + i * 0.001, 30.5) for i in range(5)]
    east = [solver.Place(10 + i, 108.00 + i * 0.001, 30.5) for i in range(5)]
    out = solver.suggest(west + east, [solver.Place(1, 107.5, 30.5), solver.Place(2, 108.0, 30.5)], {}, {1: 5, 2: 5})
    assert {s.unit_id for s in out if s.officer_id == 1} == {u.id for u in west}
    assert all(s.km < 1 for s in out)


def test_officers_based_at_the_same_spot_share_the_work():
    units = grid_units(300, seed=3)
    town = [solver.Place(100 + i, 107.75, 30.7) for i in range(25)]  # a whole town office at its centre
    other = [solver.Place(200 + i, 107.6, 30.55) for i in range(5)]
    out = solver.suggest(units, town + other, {}, {o.id: 10 for o in town + other})
    assert len(out) == 300  # 300 places in all: nobody is left out because the nearest few were full
    loads = {}
    for s in out:
        loads[s.officer_id] = loads.get(s.officer_id, 0) + 1
    assert max(loads.values()) == 10 and len(loads) == 30


def test_solver_with_nothing_to_do():
    assert solver.suggest([], [solver.Place(1, 107, 30)], {}, {1: 5}) == []
    assert solver.suggest(grid_units(3), [solver.Place(1, 107, 30)], {1: 5}, {1: 5}) == []
