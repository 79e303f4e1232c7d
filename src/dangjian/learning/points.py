"""The points ledger's only writer. Events (study completed, quiz passed, meeting attended, make-up done)
earn the rule set's points (rules ``learning.points``) up to a per-day cap per event kind; each source
(e.g. "meeting:5") pays once. Nobody can award points to themselves."""
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.rules import rule
from dangjian.learning.models import PointEntry, PointEvent


def event_rule(event: str) -> tuple[int, int]:
    """(points, daily cap) for an event kind; a cap of 0 means none."""
    spec = rule("learning.points").get(event, {})
    return int(spec.get("points", 0)), int(spec.get("daily_cap", 0))


def capped(points: int, earned_today: int, cap: int) -> int:
    """What may still be credited today: never more than the cap allows, never negative."""
    if cap <= 0 or points <= 0:
        return points
    return max(0, min(points, cap - earned_today))


def award(member, event: str, source: str, *, day: dt.date | None = None, actor=None, points: int | None = None,
          reason: str = "") -> PointEntry | None:
    """Credit ``member`` for ``event`` from ``source``. Returns the entry, or None when the source has
    already paid or today's cap is reached. ``actor`` is the user who triggers a manual award; the system
    passes None. ``points`` overrides the rule (manual awards only)."""
    if event not in PointEvent.values:
        raise ValidationError({"event": _("未知的积分事项")})
    if actor is not None and _is_self(actor, member):
        raise ValidationError({"member": _("不能给自己加积分")})
    if event == PointEvent.MANUAL:
        if actor is None or points is None:
            raise ValidationError({"points": _("人工奖励须写明积分和奖励人")})
        if not reason:
            raise ValidationError({"reason": _("请写明奖励事由")})
    base, cap = event_rule(event)
    wanted = points if points is not None and event == PointEvent.MANUAL else base
    day = day or timezone.localdate()
    with transaction.atomic():
        if PointEntry.objects.filter(member=member, event=event, source=source).exists():
            return None
        earned = PointEntry.objects.filter(member=member, event=event, day=day).aggregate(n=Sum("points"))["n"] or 0
        credit = capped(wanted, earned, cap)
        if credit == 0 and wanted != 0:
            return None
        try:
            with transaction.atomic():
                return PointEntry.objects.create(member=member, event=event, points=credit, day=day, source=source,
                                                 reason=reason, awarded_by=actor)
        except IntegrityError:  # the same source paid in a concurrent request
            return None


def _is_self(user, member) -> bool:
    from dangjian.accounts.models import RoleAssignment

    return RoleAssignment.objects.filter(user=user, member=member).exists()
