"""May this citizen ID number be registered by this user? The one answer every entry point gives.

A number already registered is refused. Where it is registered is said only when the existing record is
in the user's read scope (the district sees its members, a secretary their own branch); otherwise every
such number gets the same neutral sentence, so that the registry cannot be used to find out who is a
member where. Every look-up that hits an existing member is audited (who, when, which entry point, the
masked number, the result), and hits outside the scope count against a per-user limit (ID_LOOKUPS, from the
rule set). Once the limit is reached every look-up of a new number is refused, hit or not, so the refusal
reveals nothing.
"""
from dataclasses import dataclass

from django.utils.translation import gettext as _

from dangjian.core import audit, pii
from dangjian.core.throttle import Throttle, TooManyRequests
from dangjian.members.models import Member

# Entry points, as written in the audit log.
API, FORM, VALIDATE, IMPORT, HOSTED = "api", "form", "validate", "import", "hosted"
# Results, as written in the audit log.
NAMED, WITHHELD, LIMITED = "registered_in_scope", "registered_out_of_scope", "limit_reached"

# Shared by registering members and by hosting mobile members: one allowance per user.
ID_LOOKUPS = Throttle("id_lookup", "members.id_lookup")


@dataclass(frozen=True)
class Registered:
    member_id: int
    organization: str
    visible: bool  # the existing record is in the user's read scope: its organisation may be named


def find_registered(user, digests, exclude_pk=None) -> dict[str, Registered]:
    """The members already registered under these blind indexes (two queries); user None sees all."""
    found = Member.objects.filter(id_number_hash__in=[d for d in digests if d])
    if exclude_pk is not None:
        found = found.exclude(pk=exclude_pk)
    rows = list(found.values_list("id_number_hash", "pk", "organization__name"))
    if user is None:
        visible = {pk for _digest, pk, _org in rows}
    else:
        visible = set(Member.objects.scoped(user).filter(pk__in=[pk for _d, pk, _o in rows]).values_list("pk", flat=True))
    return {digest: Registered(pk, org, pk in visible) for digest, pk, org in rows}


def refusal(found: Registered) -> str:
    if found.visible:
        return _("该身份证号码已登记为党员（%(org)s）") % {"org": found.organization}
    return _("该身份证号码不能在此登记（已登记）")


def allowance() -> dict:
    return {"minutes": int(ID_LOOKUPS.window.total_seconds() // 60), "limit": ID_LOOKUPS.limit}


def limit_message() -> str:
    return _("按身份证号码查询过于频繁：每%(minutes)d分钟最多%(limit)d次，请稍后再试") % allowance()


def record(user, entry: str, masked: str, result: str, member_id=None, **extra) -> None:
    audit.record(user, audit.Action.LOOKUP, None, {"entry": entry, "id_number": masked, "result": result, **extra},
                 object_type="members.member", object_id=member_id or "")


def ensure_allowance(user, entry: str, masked: str, digest: str, field: str = "id_number") -> None:
    """Refuse (audited) before looking anything up when the user has used up the allowance."""
    if not ID_LOOKUPS.allows(user, digest):
        record(user, entry, masked, LIMITED)
        raise TooManyRequests({field: [limit_message()]}, code="too_many_lookups")


def check_number(user, number: str, digest: str, *, entry: str, exclude_pk=None) -> str | None:
    """None when no other member has this (valid, normalised) number; else the message to show.

    Raises TooManyRequests when the user's allowance is used up. Writes its audit record at once: call it
    outside a transaction that the refusal will roll back."""
    masked = pii.mask_citizen_id(number)
    ensure_allowance(user, entry, masked, digest)
    found = find_registered(user, [digest], exclude_pk).get(digest)
    if found is None:
        return None
    record(user, entry, masked, NAMED if found.visible else WITHHELD, found.member_id)
    if not found.visible:
        ID_LOOKUPS.spend(user, [digest])
    return refusal(found)


class BatchCheck:
    """The same answers for a batch (an import file): the registered numbers are fetched per chunk, the hits
    collected, and ``close()`` writes one audit record for the batch and counts its out-of-scope hits."""

    def __init__(self, user, entry: str = IMPORT):
        self.user, self.entry = user, entry
        self.found: dict[str, Registered] = {}
        self.hits: list[tuple[int | None, str, Registered, str]] = []  # row, masked number, record, digest

    def add(self, digests) -> None:
        self.found.update(find_registered(self.user, digests))

    def check(self, number: str, digest: str, row: int | None = None) -> str | None:
        found = self.found.get(digest)
        if found is None:
            return None
        self.hits.append((row, pii.mask_citizen_id(number), found, digest))
        return refusal(found)

    def withheld(self) -> set[str]:
        return {digest for _row, _masked, found, digest in self.hits if not found.visible}

    def close(self, **extra) -> bool:
        """Audit the batch's hits; True if it stays within the user's allowance (else it must be refused
        as a whole: its hits are still counted). A user with no allowance left is refused any batch: a file
        passing would tell that none of its numbers is registered elsewhere."""
        remaining = ID_LOOKUPS.remaining(self.user)
        withheld = self.withheld()
        new = withheld - ID_LOOKUPS.counted(self.user, withheld) if withheld else set()
        allowed = remaining > 0 and len(new) <= remaining
        if self.hits or not allowed:
            audit.record(self.user, audit.Action.LOOKUP, None, {
                "entry": self.entry, "result": "checked" if allowed else LIMITED, **extra,
                "hits": [{"row": row, "id_number": masked, "member": found.member_id,
                          "result": NAMED if found.visible else WITHHELD}
                         for row, masked, found, _digest in self.hits],
            }, object_type="members.member")
        ID_LOOKUPS.spend(self.user, withheld)
        return allowed
