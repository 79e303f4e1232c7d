"""A year of organisational life for a demo district, read from the saved registry (so it can also be added to
a district generated before meetings existed): meetings at each kind's frequency with a realistic compliance mix,
attendance with leave and make-up study, minutes, votes, last year's appraisal and heart-to-heart talks.
Attendance rows (two million for Fuling) are written with executemany, not model instances."""
import datetime as dt
import math
import random
from collections import defaultdict

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from dangjian.core.rules import rule
from dangjian.members.models import Category, Member, MemberStatus
from dangjian.organizations.models import CommitteeMember, Organization, OrgStatus
from dangjian.orglife import structure
from dangjian.orglife.models import Appraisal, Attendance, HeartTalk, Meeting, MinutesRevision, Vote
from dangjian.orglife.periods import frequency, period_of, required_kinds, theme_day
from dangjian.orglife.rules import count_vote, max_excellent
from dangjian.orglife.review import talk_kind

CHUNK = 5000
TITLES = {
    "general_meeting": ["第{q}季度支部党员大会", "学习贯彻党的二十届三中全会精神党员大会", "讨论发展党员工作党员大会"],
    "committee": ["{m}月支委会", "研究{m}月支部工作支委会"],
    "lecture": ["书记讲党课：做合格的新就业群体党员", "专题党课：党章党规学习", "微党课：身边的榜样"],
    "theme_day": ["{m}月主题党日：志愿服务进社区", "{m}月主题党日：重温入党誓词", "{m}月主题党日：学习先进典型"],
    "life_meeting": ["{y}年度组织生活会"],
    "appraisal": ["{y}年度民主评议党员大会"],
    "group": ["{m}月党小组学习会", "党小组会：交流学习体会"],
}
LEAVE_REASONS = ["外出送件", "值班", "出差", "家中有事", "身体不适", "加班赶工期"]
PLACES = ["党群服务中心会议室", "公司三楼会议室", "园区党建活动室", "社区党群服务站"]
# Share of owed periods an organisation skips: most keep up, a few are patchy, a few far behind (so the
# behind list holds a few dozen of Liangping's 645 organisations, as the articles describe).
HABITS = ((0.92, 0.0), (0.97, 0.2), (1.01, 0.6))


def _day_in(rng, kind: str, period, founded, today: dt.date) -> dt.date | None:
    if kind == "theme_day":
        day = theme_day(period.start.year, period.start.month)
    elif kind in ("life_meeting", "appraisal"):  # usually in the fourth quarter or January
        day = period.start.replace(month=12, day=rng.randint(5, 28)) if period.end.month == 12 else period.start
    else:
        day = period.start + dt.timedelta(days=rng.randint(0, min(25, (period.end - period.start).days)))
    if founded and day < founded:
        return None
    return day


class OrglifeBuilder:
    def __init__(self, district, seed: int, today: dt.date, progress=None):
        self.district, self.today = district, today
        self.rng = random.Random(f"dangjian-demo-orglife/{district.code}/{seed}")
        self.progress = progress or (lambda *a: None)
        under = Q(region__path__startswith=district.path)
        rows = list(Organization.objects.filter(under, status=OrgStatus.ACTIVE).order_by("path")
                    .values_list("id", "kind", "founded", "formation", "path"))
        self.orgs = [r[:4] for r in rows]
        self.members = defaultdict(list)
        for pk, org_id, category in Member.objects.filter(organization__in=[o[0] for o in self.orgs],
                                                          status=MemberStatus.NORMAL).order_by("id") \
                .values_list("id", "organization_id", "category"):
            self.members[org_id].append((pk, category == Category.FORMAL))
        self.committee = defaultdict(set)
        for org_id, member_id in CommitteeMember.objects.filter(organization__in=[o[0] for o in self.orgs],
                                                                end__isnull=True).values_list("organization_id",
                                                                                              "member_id"):
            self.committee[org_id].add(member_id)
        self._borrow_members(rows)

    def _borrow_members(self, rows) -> None:
        """Organisations without members of their own meet too: a party group with its share of the parent
        branch's members, a party committee or general branch with its committee."""
        by_path = {r[4]: r[0] for r in rows}
        groups = defaultdict(list)
        for org_id, _kind, _f, _fm, path in rows:
            if self.members[org_id]:
                continue
            parent = by_path.get(path[:-Organization.steplen])
            if _kind in ("party_group", "grid_group") and parent:
                groups[parent].append(org_id)
            elif self.committee[org_id]:
                self.members[org_id] = [(pk, True) for pk in sorted(self.committee[org_id])]
        for parent, ids in groups.items():
            for i, org_id in enumerate(ids):
                self.members[org_id] = self.members[parent][i::len(ids)]

    def _first_day(self) -> dt.date:
        """About the last 11 months; in the first quarter all of last year too (its year-end report is made then)."""
        first = period_of(self.today.replace(day=1) - dt.timedelta(days=330), "month").start
        return min(first, dt.date(self.today.year - 1, 1, 1)) if self.today.month <= 3 else first

    def _meetings(self) -> list[Meeting]:
        rng, today = self.rng, self.today
        first = self._first_day()
        # What each organisation owes follows its structure (no 支委会 without a committee), as compliance counts it.
        months = period_of(first, frequency(structure.COMMITTEE))
        starts = []
        while months.start <= today:
            starts.append(months.start)
            months = months.next()
        struct = structure.load(Q(organization__region__path__startswith=self.district.path), starts)
        meetings = []
        for org_id, org_kind, founded, formation in self.orgs:
            if not self.members[org_id]:
                continue
            roll = rng.random()
            skip = next(s for limit, s in HABITS if roll < limit)
            online_share = 0.4 if formation == "joint" else 0.08
            for kind in required_kinds(org_kind):
                period = period_of(first, frequency(kind))
                while period.start <= today:
                    day = _day_in(rng, kind, period, founded, today)
                    if day is not None and day >= first and struct.owes(org_id, org_kind, kind, period) \
                            and rng.random() >= skip:
                        meetings.append(self._meeting(org_id, kind, day, online_share))
                    period = period.next()
        return meetings

    def _meeting(self, org_id, kind, day, online_share) -> Meeting:
        rng, today = self.rng, self.today
        hour, minute = rng.choice([(9, 0), (14, 30), (19, 30)])
        starts = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=timezone.get_default_timezone())
        online = rng.random() < online_share
        title = rng.choice(TITLES[kind]).format(m=day.month, q=(day.month - 1) // 3 + 1, y=day.year)
        held = day < today or (day == today and hour < 12)
        if not held and day > today + dt.timedelta(days=14):
            held = None  # too far ahead to be planned yet
        m = Meeting(organization_id=org_id, kind=kind, title=title, starts_at=starts, online=online,
                    place="" if online else rng.choice(PLACES), agenda="1. 学习\n2. 讨论\n3. 部署下阶段工作",
                    status="held" if held else "notified", held_on=day if held else None,
                    replay_url=f"https://intranet.example/replay/{org_id}/{day:%Y%m%d}" if online and held else "",
                    decisions="会议一致同意上述事项。" if held and kind in ("general_meeting", "committee") else "",
                    signin_secret=f"{rng.getrandbits(128):032x}")
        m.skip = held is None
        return m

    def build(self) -> dict:
        meetings = [m for m in self._meetings() if not m.skip]
        total = 0
        for i in range(0, len(meetings), CHUNK):  # per chunk: simulate attendance, save meetings, then their rows
            chunk = meetings[i:i + CHUNK]
            rows = [self._simulate(m) for m in chunk]
            Meeting.objects.bulk_create(chunk)
            if chunk[0].pk is None:  # a database that does not return ids from bulk inserts
                ids = dict(Meeting.objects.filter(signin_secret__in=[m.signin_secret for m in chunk])
                           .values_list("signin_secret", "pk"))
                for m in chunk:
                    m.pk = ids[m.signin_secret]
            total += insert_rows(Attendance, ATTENDANCE_COLUMNS,
                                 [(m.pk, *row) for m, people in zip(chunk, rows) for row in people])
            self.progress("orglife", i + len(chunk), len(meetings))
        insert_rows(MinutesRevision, ["meeting_id", "text", "at"],
                    [(m.pk, f"{m.title}。与会党员认真学习，结合岗位实际作了交流发言。",
                      connection.ops.adapt_datetimefield_value(m.starts_at + dt.timedelta(hours=2)))
                     for m in meetings if m.status == "held"])
        votes = self._votes(meetings)
        appraisals, talks = self._appraisals(), self._talks()
        return {"meetings": len(meetings), "attendances": total, "votes": votes, "appraisals": appraisals,
                "talks": talks}

    def _simulate(self, m) -> list[tuple]:
        """The invited members' rows (without the meeting id) and the meeting's counters."""
        rng, adapt = self.rng, connection.ops.adapt_datetimefield_value
        starts = adapt(m.starts_at)
        people = self.members[m.organization_id]
        if m.kind == "committee":
            people = [p for p in people if p[0] in self.committee[m.organization_id]] or people[:3]
        rows, present, leave, made_up, voters_present = [], 0, 0, 0, 0
        for member_id, formal in people:
            reply, reason, presence, signed, method, made_at, note = "", "", "", None, "", None, ""
            if m.status == "held":
                roll = rng.random()
                if roll < 0.86:
                    presence, signed, method = "present", starts, "qr" if rng.random() < 0.75 else "marked"
                    reply = "signed_up" if rng.random() < 0.7 else ""
                else:
                    presence = "absent"
                    if roll < 0.93:
                        reply, reason = "leave", rng.choice(LEAVE_REASONS)
                    if rng.random() < 0.45:
                        presence, made_at = "made_up", adapt(m.starts_at + dt.timedelta(days=rng.randint(1, 12)))
                        note = "观看了会议回放，学习了会议精神。"
            elif rng.random() < 0.5:
                reply = "signed_up"
            present += presence == "present"
            leave += reply == "leave" and presence == "absent"
            made_up += presence == "made_up"
            voters_present += formal and presence == "present"
            rows.append((member_id, "member", formal, reply, reason, presence, signed, method, made_at, note))
        m.expected_count, m.present_count, m.leave_count, m.made_up_count = len(people), present, leave, made_up
        m.voters = (sum(1 for _p, f in people if f), voters_present)
        return rows

    def _votes(self, meetings) -> int:
        votes = []
        for m in meetings:
            if m.status != "held" or m.kind != "general_meeting" or self.rng.random() > 0.25:
                continue
            entitled, attending = m.voters
            result = count_vote(entitled, attending, attending)
            if not result.quorum:
                continue
            no = min(attending, self.rng.choice([0, 0, 0, 1]))
            yes = attending - no
            votes.append(Vote(meeting_id=m.pk, subject="接收预备党员", entitled=entitled, attending=attending, yes=yes,
                              no=no, abstain=0, written_yes=0, written_no=0,
                              passed=count_vote(entitled, attending, yes).passed))
        Vote.objects.bulk_create(votes, batch_size=CHUNK)
        return len(votes)

    def _appraisals(self) -> int:
        year, rows = self.today.year - 1, []
        # Probationary at that year's end (still, or confirmed since): appraised, never 优秀 unless the rules allow.
        barred = set() if rule("orglife.probationary_may_be_excellent") else set(
            Member.objects.filter(organization__in=[o[0] for o in self.orgs])
            .filter(Q(category=Category.PROBATIONARY) | Q(confirm_date__gt=dt.date(year, 12, 31)))
            .values_list("pk", flat=True))
        for org_id, org_kind, founded, _f in self.orgs:
            people = self.members[org_id]
            if "appraisal" not in required_kinds(org_kind) or not people or (founded and founded.year > year):
                continue
            limit = max_excellent(len(people))
            excellent = math.floor(limit * self.rng.uniform(0.5, 1.0))
            for member_id, _formal in self.rng.sample(people, len(people)):
                best = excellent > 0 and member_id not in barred
                excellent -= best
                grade = "excellent" if best else ("basic" if self.rng.random() < 0.03 else "qualified")
                rows.append(Appraisal(organization_id=org_id, year=year, member_id=member_id, grade=grade))
        Appraisal.objects.bulk_create(rows, batch_size=CHUNK)
        return len(rows)

    def _talks(self) -> int:
        """This year's talks: every committee pair, and most members with a committee member."""
        rows, days_this_year = [], max(1, (self.today - self.today.replace(month=1, day=1)).days)
        for org_id, _k, _f, _fm in self.orgs:
            committee, people = self.committee[org_id], [p for p, _f in self.members[org_id]]
            if not committee or self.rng.random() < 0.3:
                continue
            leaders = sorted(committee)
            pairs = [(a, b) for i, a in enumerate(leaders) for b in leaders[i + 1:]]
            pairs += [(self.rng.choice(leaders), p) for p in people if p not in committee and self.rng.random() < 0.7]
            for a, b in pairs:
                a, b = sorted((a, b))
                day = self.today - dt.timedelta(days=self.rng.randint(1, days_this_year))
                rows.append(HeartTalk(organization_id=org_id, date=day, first_id=a, second_id=b,
                                      kind=talk_kind(a, b, committee), notes="谈思想、谈工作、谈困难。"))
        HeartTalk.objects.bulk_create(rows, batch_size=CHUNK)
        return len(rows)


ATTENDANCE_COLUMNS = ["meeting_id", "member_id", "role", "can_vote", "reply", "leave_reason", "presence",
                      "signed_in_at", "sign_in_method", "made_up_at", "made_up_note"]


def insert_rows(model, columns: list[str], rows: list[tuple]) -> int:
    """Plain INSERTs by executemany: for millions of rows, model instances cost more than the database."""
    if not rows:
        return 0
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
    with connection.cursor() as cursor:
        for i in range(0, len(rows), CHUNK * 4):
            cursor.executemany(sql, rows[i:i + CHUNK * 4])
    return len(rows)


def build_orglife(district, seed: int, today: dt.date, progress=None) -> dict:
    return OrglifeBuilder(district, seed, today, progress).build()
