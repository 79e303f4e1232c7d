"""A second district, 涪陵区, with one of everything, beside the world fixture's 梁平区.

No role of the world fixture has any grant in it, so every object here is out of every world user's scope.
Every name carries MARK so a page or an answer that shows one is caught by a plain substring search.
"""
import datetime as dt
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.alliances.models import (Alliance, Expert, Item, LinkGroup, LinkMember, Pair, PairAction, PairKind,
                                       Post, Scheme, SixAction)
from dangjian.core.models import Notification
from dangjian.imports.models import ImportJob
from dangjian.learning.models import Content, Push, Question
from dangjian.orglife.models import (Appraisal, Attendance, HeartTalk, HostedMember, Meeting, MeetingFile, MeetingKind,
                                     MeetingStatus)
from dangjian.organizations.models import Formation, Organization, OrgKind, OrgUnit
from dangjian.regions.models import Region, RegionKind
from dangjian.services.models import (Assignment, Department, Idea, Officer, OfficerKind, Request, State, Visit)
from dangjian.units.models import Unit, UnitKind
from tests.fixtures import add_member, credit_code, user_with_role

MARK = "涪陵"  # in every name below, and nowhere in the world fixture


def build_elsewhere(django_user_model) -> SimpleNamespace:
    today = timezone.localdate()
    district = Region.objects.add_root(instance=Region(name="涪陵区", kind=RegionKind.DISTRICT, code="500102",
                                                       code_year=2023))
    town = Region.objects.add_child(district, dict(name="涪陵崇义街道", kind=RegionKind.STREET, code="500102001",
                                                   code_year=2023))
    village = Region.objects.add_child(town, dict(name="涪陵龙桥社区", kind=RegionKind.COMMUNITY,
                                                  code="500102001001", code_year=2023))
    for region in (district, town):
        region.refresh_from_db()

    def unit(n, name, **kw):
        return Unit.objects.create(name=name, credit_code=credit_code(n), kind=UnitKind.ENTERPRISE,
                                   industry_section="C", industry_division="23", employees=kw.pop("employees", 40),
                                   region=kw.pop("region", town), lng=107.39, lat=29.70, **kw)

    factory = unit(901, "涪陵榨菜集团有限公司", employees=300)
    mill = unit(902, "涪陵页岩气有限公司", employees=12)
    org = Organization.objects.add_root(instance=Organization(
        name="涪陵榨菜集团有限公司党支部", kind=OrgKind.BRANCH, formation=Formation.OWN, region=town,
        founded=dt.date(2017, 5, 1)))
    weak = Organization.objects.add_root(instance=Organization(
        name="涪陵页岩气有限公司党支部", kind=OrgKind.BRANCH, formation=Formation.OWN, region=town,
        founded=dt.date(2021, 5, 1)))
    OrgUnit.objects.bulk_create([OrgUnit(organization=org, unit=factory), OrgUnit(organization=weak, unit=mill)])
    member = add_member(org, "涪陵党员甲", factory)
    second = add_member(org, "涪陵党员乙", factory)
    mobile = add_member(weak, "涪陵流动党员", mill)

    admin = user_with_role(django_user_model, "fuling_qu", Role.DISTRICT_ADMIN, region=district)
    contact = user_with_role(django_user_model, "fuling_qiye", Role.ENTERPRISE, unit=factory)
    member_user = user_with_role(django_user_model, "fuling_dangyuan", Role.MEMBER, member=member)

    meeting = Meeting.objects.create(organization=org, kind=MeetingKind.GENERAL_MEETING, title="涪陵党员大会",
                                     starts_at=timezone.now() + dt.timedelta(days=2), place="涪陵会议室",
                                     signin_secret="fuling-secret", created_by=admin)
    held = Meeting.objects.create(organization=org, kind=MeetingKind.LECTURE, title="涪陵党课",
                                  starts_at=timezone.now() - dt.timedelta(days=3), status=MeetingStatus.HELD,
                                  held_on=today - dt.timedelta(days=3), signin_secret="fuling-held", created_by=admin)
    Attendance.objects.create(meeting=meeting, member=member)
    Attendance.objects.create(meeting=held, member=member)
    appraisal = Appraisal.objects.create(organization=org, year=today.year - 1, member=member, grade="qualified",
                                         recorded_by=admin)
    talk = HeartTalk.objects.create(organization=org, date=today - dt.timedelta(days=5), first=member, second=second,
                                    kind="mm", notes="涪陵谈话要点", recorded_by=admin)
    hosted = HostedMember.objects.create(organization=org, member=mobile, since=today - dt.timedelta(days=30))

    content = Content.objects.create(kind="article", title="涪陵学习材料", body="涪陵正文", created_by=admin,
                                     region=district)
    question = Question.objects.create(content=content, text="涪陵测试题", options=["是", "否"], answer=0)
    push = Push.objects.create(content=content, date=today, note="涪陵推送", created_by=admin)
    push.organizations.add(org)
    push.regions.add(town)

    department = Department.objects.create(code="fuling-hrss", name="涪陵区人力社保局", region=district)
    officer_user = user_with_role(django_user_model, "fuling_zhuqi", Role.OFFICER, region=town)
    officer = Officer.objects.create(user=officer_user, name="涪陵服务员", kind=OfficerKind.SERVICE,
                                     department=department, region=town)
    assignment = Assignment.objects.create(officer=officer, unit=factory, organization=org,
                                           start=today - dt.timedelta(days=60))
    visit = Visit.objects.create(officer=officer, unit=factory, date=today - dt.timedelta(days=10),
                                 purpose="涪陵走访", created_by=officer_user)
    request = Request.objects.create(unit=factory, channel="enterprise", category="recruitment", title="涪陵招工难",
                                     description="涪陵需要招聘", raised_by=contact, officer=officer,
                                     department=department, state=State.SUBMITTED, submitted_at=timezone.now(),
                                     deadline=today + dt.timedelta(days=10))
    idea = Idea.objects.create(unit=factory, kind="suggestion", text="涪陵好建议", staff_name="涪陵员工",
                               created_by=contact)

    scheme = Scheme.objects.create(name="涪陵联动组方案", region=town, year=today.year, created_by=admin)
    group = LinkGroup.objects.create(scheme=scheme, number=1, name="涪陵第一联动组", leader=factory)
    LinkMember.objects.create(group=group, scheme=scheme, unit=factory)
    LinkMember.objects.create(group=group, scheme=scheme, unit=mill)
    pair = Pair.objects.create(kind=PairKind.STRONG_WEAK, region=town, strong=org, weak=weak,
                               start=today - dt.timedelta(days=100), outcome="涪陵成效")
    alliance = Alliance.objects.create(name="涪陵榨菜产业党建联盟", region=district, industry="涪陵食品")
    alliance.units.add(factory)
    need = Item.objects.create(kind="need", unit=factory, alliance=alliance, title="涪陵需要包装材料",
                               description="涪陵需求说明", category="products", valid_until=today + dt.timedelta(days=60),
                               contact="涪陵联系人", created_by=contact)
    resource = Item.objects.create(kind="resource", unit=mill, title="涪陵提供物流车辆", description="涪陵资源说明",
                                   category="products", valid_until=today + dt.timedelta(days=60),
                                   contact="涪陵联系人", created_by=contact)
    expert = Expert.objects.create(name="涪陵专家", skills="涪陵食品工艺", unit=factory)
    # A file on every kind of object the file view serves, so a 404 there means "out of scope", not "no file".
    def pdf(name):
        return ContentFile(b"%PDF-1.4\n% " + name.encode() + b"\n%%EOF\n", name=f"{name}.pdf")

    held.replay_file.save("涪陵回放.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42", name="涪陵回放.mp4"))
    meeting_file = MeetingFile.objects.create(meeting=held, kind="attachment", file=pdf("涪陵会议材料"),
                                              name="涪陵会议材料.pdf", size=40, uploaded_by=admin)
    request.attachment.save("涪陵附件.pdf", pdf("涪陵附件"))
    visit.photo.save("涪陵走访.pdf", pdf("涪陵走访"))
    group.agreement.save("涪陵协议.pdf", pdf("涪陵协议"))
    post = Post.objects.create(group=group, text="涪陵通知栏", file=pdf("涪陵通知附件"), author=admin)
    evidence = PairAction.objects.create(pair=pair, action=SixAction.AGREEMENT, date=today, evidence=pdf("涪陵佐证"))
    content.file.save("涪陵课件.pdf", pdf("涪陵课件"))
    job = ImportJob.objects.create(entity="members", user=admin, file_name="涪陵党员.xlsx", status="invalid")
    notification = Notification.objects.create(user=admin, text="涪陵通知", link="/")
    return SimpleNamespace(
        district=district, town=town, village=village, unit=factory, mill=mill, org=org, weak=weak, member=member,
        second=second, mobile=mobile, admin=admin, contact=contact, member_user=member_user, meeting=meeting,
        held=held, appraisal=appraisal, talk=talk, hosted=hosted, content=content, question=question, push=push,
        department=department, officer=officer, officer_user=officer_user, assignment=assignment, visit=visit,
        request=request, idea=idea, scheme=scheme, group=group, pair=pair, alliance=alliance, need=need,
        resource=resource, expert=expert, job=job, notification=notification, meeting_file=meeting_file, post=post,
        evidence=evidence,
    )
