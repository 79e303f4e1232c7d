"""The life of a request (诉求) as a table: each action, the states it may start from, where it leads, and
who may take it. Anything not in the table is refused."""
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from dangjian.services.models import State

DISPATCHER, DEPARTMENT, ENTERPRISE = "dispatcher", "department", "enterprise"


@dataclass(frozen=True)
class Step:
    label: str
    sources: frozenset
    target: str
    actors: frozenset
    needs_note: bool = False


STEPS = {
    "accept": Step(_("受理"), frozenset({State.SUBMITTED}), State.ACCEPTED, frozenset({DISPATCHER})),
    "assign": Step(_("交办"), frozenset({State.ACCEPTED, State.ASSIGNED, State.IN_PROGRESS, State.RETURNED,
                                          State.REOPENED}), State.ASSIGNED, frozenset({DISPATCHER})),
    "start": Step(_("开始办理"), frozenset({State.ASSIGNED, State.RETURNED}), State.IN_PROGRESS,
                  frozenset({DEPARTMENT})),
    "reply": Step(_("答复"), frozenset({State.ASSIGNED, State.IN_PROGRESS, State.RETURNED}), State.REPLIED,
                  frozenset({DEPARTMENT}), needs_note=True),
    "return": Step(_("退回重办"), frozenset({State.REPLIED}), State.RETURNED, frozenset({ENTERPRISE, DISPATCHER}),
                   needs_note=True),
    "confirm": Step(_("确认办结"), frozenset({State.REPLIED}), State.CLOSED, frozenset({ENTERPRISE, DISPATCHER})),
    "reopen": Step(_("重新办理"), frozenset({State.CLOSED}), State.REOPENED, frozenset({ENTERPRISE}),
                   needs_note=True),
}


def allowed(action: str, state: str, roles: set) -> bool:
    step = STEPS.get(action)
    return bool(step and state in step.sources and step.actors & roles)


def available(state: str, roles: set) -> list[str]:
    """The actions a user holding ``roles`` may take on a request in ``state``, in the table's order."""
    return [a for a in STEPS if allowed(a, state, roles)]
