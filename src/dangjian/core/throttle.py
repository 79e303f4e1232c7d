"""Per-user rate limits on look-ups that could reveal records outside the user's scope.

Counts live in the database (core.ThrottleHit), so every gunicorn worker sees the same numbers. A limit
counts distinct subjects (keyed hashes) within a sliding window: asking twice about the same number costs
once, probing many numbers is what runs out. Check ``allows()`` before the look-up: once the allowance is
used up every new subject is refused, hit or miss, so that the refusal says nothing about it.
Two requests of one user racing may overshoot the limit by one each; the limit is a brake, not a ledger.
"""
import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from dangjian.core.models import ThrottleHit
from dangjian.core.rules import rule

UNLIMITED = 10**9  # the operator at the command line (no user) is not limited


class TooManyRequests(ValidationError):
    """A ValidationError (forms show it next to the field); the JSON API answers it with 429."""


class Throttle:
    def __init__(self, name: str, rule_path: str):
        self.name = name
        self.rule_path = rule_path  # a rule-set table with ``limit`` and ``window_minutes``

    @property
    def limit(self) -> int:
        return int(rule(f"{self.rule_path}.limit"))

    @property
    def window(self) -> dt.timedelta:
        return dt.timedelta(minutes=rule(f"{self.rule_path}.window_minutes"))

    def remaining(self, user) -> int:
        if not getattr(user, "pk", None):
            return UNLIMITED
        since = timezone.now() - self.window
        used = (ThrottleHit.objects.filter(name=self.name, user=user, at__gt=since)
                .values("subject").distinct().count())
        return max(0, self.limit - used)

    def counted(self, user, subjects) -> set[str]:
        """Which of these subjects the user's window already counts."""
        if not getattr(user, "pk", None):
            return set()
        since = timezone.now() - self.window
        subjects, found = list(subjects), set()
        for start in range(0, len(subjects), 500):  # a whole import file's worth stays within SQLite's parameters
            found.update(ThrottleHit.objects.filter(name=self.name, user=user, at__gt=since,
                                                    subject__in=subjects[start:start + 500])
                         .values_list("subject", flat=True))
        return found

    def allows(self, user, subject: str) -> bool:
        """Whether a look-up of ``subject`` may go ahead: allowance left, or a subject already counted in the
        window (asking again reveals nothing new, and re-checking a form must not run the allowance out)."""
        return self.remaining(user) > 0 or bool(self.counted(user, [subject]))

    def spend(self, user, subjects) -> None:
        """Count these subjects (keyed hashes) against the user's allowance."""
        subjects = set(filter(None, subjects))
        if not getattr(user, "pk", None) or not subjects:
            return
        now = timezone.now()
        ThrottleHit.objects.filter(name=self.name, at__lte=now - self.window).delete()
        ThrottleHit.objects.bulk_create(ThrottleHit(name=self.name, user=user, subject=s, at=now) for s in subjects)
