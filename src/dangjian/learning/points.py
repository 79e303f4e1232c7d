"""The points ledger's only writer. Events (study completed, quiz passed, meeting attended, make-up done)
earn the rule set's points (rules ``learning.points``) up to a per-day cap per event kind; each source
(e.g. "meeting:5") pays once. Manual awards by staff (``award_manual``) are capped per member per day and
per year (rules ``learning.manual_award``), need a reason, and never go to the awarding person themselves."""
import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.identity import same_person
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


def award(member, event: str, source: str, *, day: dt.date | None = None, recorded_by=None) -> PointEntry | None:
    """Credit ``member`` for ``event`` from ``source``. Returns the entry, or None when the source has
    already paid or today's cap is reached. ``recorded_by`` is the user whose act earned the points (e.g. the
    secretary who marked the member present); None for the system."""
    if event not in PointEvent.values or event == PointEvent.MANUAL:
        raise ValidationError({"event": _("未知的积分事项")})
    base, cap = event_rule(event)
    day = day or timezone.localdate()
    with transaction.atomic():
        if PointEntry.objects.filter(member=member, event=event, source=source).exists():
            return None
        earned = PointEntry.objects.filter(member=member, event=event, day=day).aggregate(n=Sum("points"))["n"] or 0
        credit = capped(base, earned, cap)
        if credit == 0 and base != 0:
            return None
        try:
            with transaction.atomic():
                return PointEntry.objects.create(member=member, event=event, points=credit, day=day, source=source,
                                                 recorded_by=recorded_by)
        except IntegrityError:  # the same source paid in a concurrent request
            return None


def manual_given(member, since: dt.date, until: dt.date) -> int:
    """Points manually awarded to ``member`` between the two days (deductions left out: they gain nothing)."""
    return PointEntry.objects.filter(member=member, event=PointEvent.MANUAL, points__gt=0, day__gte=since,
                                     day__lte=until).aggregate(n=Sum("points"))["n"] or 0


def _check_manual(actor, member, points, reason: str) -> None:
    spec = rule("learning.manual_award")
    most = int(spec["max_points"])
    errors = {}
    if actor is None:
        errors["__all__"] = [_("人工奖励须由工作人员登记")]
    if points is None or points == 0 or not -most <= points <= most:
        errors["points"] = [_("积分须是-%(m)d到%(m)d之间的非零整数") % {"m": most}]
    if spec["reason_required"] and not reason:
        errors["reason"] = [_("请写明奖励事由")]
    elif len(reason) > PointEntry._meta.get_field("reason").max_length:
        errors["reason"] = [_("事由不能超过%(n)d字") % {"n": PointEntry._meta.get_field("reason").max_length}]
    if errors:
        raise ValidationError(errors)
    if same_person(actor, member):
        raise ValidationError({"member": _("不能给自己加积分：“%(name)s”是您本人的党员记录") % {"name": member.name}})


def _check_caps(member, points: int, day: dt.date) -> None:
    if points <= 0:
        return
    spec = rule("learning.manual_award")
    for cap, since, message in (
        (int(spec["daily_cap"]), day,
         _("超过每日上限：“%(name)s”%(when)s已获人工奖励%(got)d分，每人每天最多%(cap)d分，本次最多还能奖励%(left)d分")),
        (int(spec["yearly_cap"]), day.replace(month=1, day=1),
         _("超过年度上限：“%(name)s”%(when)s已获人工奖励%(got)d分，每人每年最多%(cap)d分，本次最多还能奖励%(left)d分")),
    ):
        if cap <= 0:
            continue
        got = manual_given(member, since, day)
        if got + points > cap:
            when = day.isoformat() if since == day else _("%(y)d年") % {"y": day.year}
            raise ValidationError({"points": message % {"name": member.name, "when": when, "got": got, "cap": cap,
                                                        "left": max(0, cap - got)}})


def award_manual(actor, member, points: int, reason: str, *, day: dt.date | None = None) -> PointEntry:
    """Staff reward (or deduct from) a member. Refused, with nothing written, without a reason, to the
    awarding person's own member record, or above the member's daily or yearly cap of manual awards."""
    from dangjian.members.models import Member

    reason = (reason or "").strip()
    _check_manual(actor, member, points, reason)
    day = day or timezone.localdate()
    with transaction.atomic():
        # One award to a member at a time, so two concurrent awards cannot both slip under the cap.
        list(Member.objects.select_for_update().filter(pk=member.pk).values_list("pk"))
        _check_caps(member, points, day)
        return PointEntry.objects.create(member=member, event=PointEvent.MANUAL, points=points, day=day,
                                         source=f"manual:{uuid.uuid4().hex}", reason=reason, recorded_by=actor)
