"""民主评议 and 谈心谈话 under /api/v1/orglife: the year's grades and talks of an organisation, and talk coverage."""
import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.responses import Status

from dangjian.core.schemas import Ref, choice, errors
from dangjian.core.schemas import Id, Year
from dangjian.core.scoping import Access
from dangjian.members.models import Member
from dangjian.organizations.models import Organization
from dangjian.orglife import review
from dangjian.orglife.models import Appraisal, Grade, HeartTalk, HostedMember
from dangjian.orglife.queries_review import talk_summary

router = Router(tags=["orglife"])


class AppraisalOut(Schema):
    member: Ref
    year: int
    grade: str
    grade_label: str

    @staticmethod
    def resolve_grade_label(obj):
        return obj.get_grade_display()


class AppraisalIn(Schema):
    year: Year
    grades: dict[Id, choice(Grade)] = Field(description="member id → grade")


class TalkOut(Schema):
    id: int
    date: dt.date
    first: Ref
    second: Ref
    kind: str
    kind_label: str
    notes: str

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()


class TalkIn(Schema):
    date: dt.date
    first: Id = Field(description="member id (of this organisation)")
    second: Id = Field(description="member id (of this organisation)")
    notes: str = ""


class TalkCoverageOut(Schema):
    year: int
    committee_pairs_required: int
    committee_pairs_done: int
    members_required: int = Field(description="members (not on the committee) who need a talk with a committee member")
    members_done: int
    rate: float
    missing_members: list[Ref]


def _org(request, org_id, for_write: bool | Access = False):
    return Organization.objects.get_for_user(org_id, request.auth, for_write)


def _reviewed_org(request, org_id):
    """Grades and talk notes: only the organisation's own secretary or clerk and party staff above (accounts.reads);
    to anyone else the organisation's reviews answer 404, whatever else of it they read."""
    return _org(request, org_id, Access.REVIEW)


@router.get("/organizations/{int:org_id}/appraisals", response={200: list[AppraisalOut], **errors(404)},
            summary="民主评议结果")
def list_appraisals(request: HttpRequest, org_id: Id, year: Year | None = None):
    org = _reviewed_org(request, org_id)
    year = year or timezone.localdate().year
    return list(Appraisal.objects.filter(organization=org, year=year).select_related("member").order_by("member__name"))


@router.post("/organizations/{int:org_id}/appraisals", response={200: list[AppraisalOut], **errors(404, 422)},
             summary="登记民主评议等次")
def post_appraisals(request: HttpRequest, org_id: Id, payload: AppraisalIn):
    """All grades or none: 优秀 at most a third of the year's appraised members (domain-rules §2)."""
    org = _org(request, org_id, for_write=True)
    return review.record_appraisal(request.auth, org, payload.year, payload.grades)


@router.get("/organizations/{int:org_id}/talks", response={200: list[TalkOut], **errors(404)}, summary="谈心谈话记录")
def list_talks(request: HttpRequest, org_id: Id, year: Year | None = None):
    org = _reviewed_org(request, org_id)
    year = year or timezone.localdate().year
    return list(HeartTalk.objects.filter(organization=org, date__year=year).select_related("first", "second"))


@router.post("/organizations/{int:org_id}/talks", response={201: TalkOut, **errors(404, 422)}, summary="登记谈心谈话")
def post_talk(request: HttpRequest, org_id: Id, payload: TalkIn):
    org = _org(request, org_id, for_write=True)
    people = {m.pk: m for m in Member.objects.filter(organization=org, pk__in=[payload.first, payload.second])}
    talk = review.record_talk(request.auth, org, payload.date, people.get(payload.first), people.get(payload.second),
                              payload.notes)
    return Status(201, talk)


@router.get("/organizations/{int:org_id}/talks/coverage", response={200: TalkCoverageOut, **errors(404)},
            summary="谈心谈话覆盖情况")
def get_talk_coverage(request: HttpRequest, org_id: Id, year: Year | None = None):
    org = _reviewed_org(request, org_id)
    s = talk_summary(org, year or timezone.localdate().year)
    c = s["coverage"]
    return {"year": s["year"], "committee_pairs_required": c["cc_required"], "committee_pairs_done": c["cc_done"],
            "members_required": c["cm_required"], "members_done": c["cm_done"], "rate": c["rate"],
            "missing_members": s["missing_members"]}


class HostedIn(Schema):
    id_number: str = Field(description="the mobile member's citizen ID number (as presented)")
    since: dt.date | None = Field(None, description="defaults to today")


class HostedOut(Schema):
    id: int
    member: Ref
    home_organization: Ref
    since: dt.date
    until: dt.date | None

    @staticmethod
    def resolve_home_organization(obj):
        return obj.member.organization


@router.get("/organizations/{int:org_id}/hosted", response={200: list[HostedOut], **errors(404)},
            summary="在本组织参加组织生活的流动党员")
def list_hosted(request: HttpRequest, org_id: Id):
    org = _org(request, org_id, Access.PERSONAL)  # who is a mobile member is personal: not to a roster reader
    return list(HostedMember.objects.filter(organization=org).select_related("member", "member__organization"))


@router.post("/organizations/{int:org_id}/hosted", response={201: HostedOut, **errors(404, 422, 429)},
             summary="登记流动党员")
def post_hosted(request: HttpRequest, org_id: Id, payload: HostedIn):
    """Found by ID number (keyed hash); invited to this organisation's meetings as a guest without vote.
    One answer (422) for every number that is not a mobile member who may be hosted here; every look-up is
    audited, and too many in a short time answer 429."""
    org = _org(request, org_id, for_write=True)
    member = review.find_mobile_member(request.auth, org, payload.id_number)
    return Status(201, review.host_member(request.auth, org, member, payload.since or timezone.localdate()))
