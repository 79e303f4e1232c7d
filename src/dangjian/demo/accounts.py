"""One demo login per role, bound to real nodes of the demo district (created or reset on each run)."""
from axes.utils import reset as reset_lockouts
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from dangjian.accounts.models import Role, RoleAssignment
from dangjian.coverage.models import WorkLink, WorkLinkKind
from dangjian.demo.generator import existing_district
from dangjian.demo.profiles import get_profile
from dangjian.members.models import Category, Member, MemberStatus
from dangjian.organizations.models import CommitteePost, Formation, Organization, OrgKind, OrgStatus
from dangjian.regions.models import Region, RegionKind
from dangjian.services.models import Department, Officer, OfficerKind

DEMO_PASSWORD = "Dangjian@2026"
# username, role, whether the account may see full ID numbers and phones (members.unmask_pii)
ACCOUNTS = (
    ("qu_admin", Role.DISTRICT_ADMIN, True),
    ("zhen_admin", Role.REGION_ADMIN, False),
    ("shuji", Role.SECRETARY, True),
    ("dangwu", Role.CLERK, False),
    ("dangyuan", Role.MEMBER, False),
    ("zhidaoyuan", Role.INSTRUCTOR, False),
    ("qiye", Role.ENTERPRISE, False),
    ("zhuqi", Role.OFFICER, False),
    ("bumen", Role.DEPARTMENT, False),
)


class DemoMissing(Exception):
    pass


def _with_members(qs):
    return qs.annotate(n=Count("members", filter=Q(members__status=MemberStatus.NORMAL))).filter(n__gte=3).order_by("path")


def anchors(district: Region) -> dict:
    """The nodes each demo account is bound to, chosen the same way on every run."""
    under = Q(region__path__startswith=district.path)
    towns = Region.objects.filter(path__startswith=district.path, kind__in=[RegionKind.STREET, RegionKind.TOWN]).order_by("code")
    park = Region.objects.filter(path__startswith=district.path, kind=RegionKind.PARK).order_by("path").first()
    own = _with_members(Organization.objects.filter(under, kind=OrgKind.BRANCH, formation=Formation.OWN,
                                                    status=OrgStatus.ACTIVE, unit_links__isnull=False))
    joint = _with_members(Organization.objects.filter(under, kind=OrgKind.JOINT_BRANCH, status=OrgStatus.ACTIVE))
    town = next((t for t in towns if own.filter(region__path__startswith=t.path).exists()), None)
    branch = own.filter(region__path__startswith=town.path).first() if town else own.first()
    clerk_branch = (joint.filter(region__path__startswith=town.path).first() if town else None) or joint.first()
    if branch is None or clerk_branch is None or park is None:
        raise DemoMissing(_("演示区县数据不完整（缺少党支部、联合党支部或园区），无法创建演示账号。"))
    secretaries = branch.committee.filter(post=CommitteePost.SECRETARY, end__isnull=True).values("member")
    member = (Member.objects.filter(organization=branch, category=Category.FORMAL, status=MemberStatus.NORMAL)
              .exclude(pk__in=secretaries).order_by("id").first())
    unit = branch.units.order_by("id").first()
    return {
        "qu_admin": {"region": district}, "zhen_admin": {"region": town or district},
        "shuji": {"organization": branch}, "dangwu": {"organization": clerk_branch},
        "dangyuan": {"member": member}, "zhidaoyuan": {"region": park}, "qiye": {"unit": unit},
    }


def demo_enterprise(district: Region):
    """The unit the enterprise login (qiye) will stand for, so the generated data can give it something to see;
    None for a district too small for the demo logins."""
    try:
        return anchors(district)["qiye"]["unit"]
    except DemoMissing:
        return None


def service_anchors(district: Region, unit) -> tuple[dict, dict]:
    """The officer serving the demo enterprise (for zhuqi), the park's first instructor (for zhidaoyuan), and
    the nodes of the service accounts."""
    serving = Officer.objects.filter(assignments__unit=unit, assignments__end__isnull=True).exclude(
        kind=OfficerKind.INSTRUCTOR).order_by("pk").first()
    instructor = Officer.objects.filter(region__path__startswith=district.path, kind=OfficerKind.INSTRUCTOR,
                                        assignments__unit__region__kind=RegionKind.PARK).order_by("pk").first()
    department = Department.objects.filter(region=district, code__endswith="-hrss").first()
    if serving is None or department is None:
        raise DemoMissing(_("演示区县缺少服务人员或部门数据，无法创建演示账号。"))
    return ({"zhuqi": {"region": serving.region}, "bumen": {"department": department}},
            {"zhuqi": serving, "zhidaoyuan": instructor})


@transaction.atomic
def ensure_accounts(profile: str) -> list[dict]:
    """Create or reset the demo logins; returns [{username, password, role, where}]."""
    p = get_profile(profile)
    district = existing_district(p)
    if district is None:
        raise DemoMissing(_("尚未生成演示区县“%(name)s”，请先运行 dangjian demo。") % {"name": p.district})
    bound = anchors(district)
    service_bound, officers = service_anchors(district, bound["qiye"]["unit"])
    bound.update(service_bound)
    users = get_user_model().objects
    unmask = Permission.objects.get(codename="unmask_pii", content_type__app_label="members")
    hashed = make_password(DEMO_PASSWORD)  # hashed once: hashing is deliberately slow, and all share it
    logins = []
    for username, role, may_unmask in ACCOUNTS:
        user = users.filter(username=username).first() or users.create_user(username=username)
        user.password = hashed  # demo only: set directly, not through the password validators
        user.first_name, user.is_active, user.is_staff, user.is_superuser = str(Role(role).label), True, False, False
        user.save()
        RoleAssignment.objects.filter(user=user).delete()
        assignment = RoleAssignment(user=user, role=role, **bound[username])
        assignment.full_clean()
        assignment.save()
        if may_unmask:
            user.user_permissions.add(unmask)
        else:
            user.user_permissions.remove(unmask)
        reset_lockouts(username=username)
        logins.append({"username": username, "password": DEMO_PASSWORD, "role": str(Role(role).label),
                       "where": str(assignment.anchor)})
    # Officer records behind the officer and instructor accounts (their workbench).
    for username, officer in officers.items():
        user = users.get(username=username)
        Officer.objects.filter(user=user).exclude(pk=getattr(officer, "pk", None)).update(user=None)
        if officer is not None:
            Officer.objects.filter(pk=officer.pk).update(user=user)
    # The park's instructor links become the instructor account's (one person, the first link's name).
    links = WorkLink.objects.filter(unit__region__path__startswith=bound["zhidaoyuan"]["region"].path,
                                    kind=WorkLinkKind.INSTRUCTOR).order_by("id")
    first = links.first()
    if first is not None:
        links.update(user=users.get(username="zhidaoyuan"), person_name=first.person_name)
    return logins
