"""e家 learning for a demo district: a library (articles, 25-minute micro lectures, videos, documents, with
series, tags and quizzes), two months of pushes (district-wide, couriers only, by town), learning records of
the members who study, and the points ledger they earned within the daily caps."""
import datetime as dt
import random
from collections import defaultdict

from django.db import connection

from dangjian.demo.build_orglife import insert_rows
from dangjian.learning.actions import publish_replay
from dangjian.learning.models import Content, LearningRecord, PointEntry, Push, Question, Series, Tag
from dangjian.learning.points import capped, event_rule
from dangjian.members.models import Member, MemberStatus
from dangjian.orglife.models import Attendance, Meeting
from dangjian.regions.models import Region
from dangjian.units.industry import COURIER_DIVISION

CHUNK = 5000
TOPICS = ["学习贯彻党的二十大精神", "党章党规党纪", "新就业群体党员的责任担当", "快递小哥安全骑行与文明服务", "非公企业党建工作实务",
          "党员先锋岗事迹", "三会一课怎么开", "党费交纳知识问答", "乡村振兴中的党员力量", "网格党建与社区治理",
          "党史故事", "廉洁从业教育", "劳动者权益保障", "新业态从业人员政策解读", "红色家风"]
SERIES = ["快递小哥微党课", "非公党建实务", "党史天天学"]
TAGS = ["党章", "党史", "快递物流", "安全生产", "志愿服务", "政策解读"]
QUESTIONS = [("党员应当按月交纳党费吗？", ["应当", "不必"], 0), ("主题党日一般定在每月几日？", ["10日", "31日", "不固定"], 0),
             ("党支部党员大会多久至少召开一次？", ["每季度", "每年"], 0), ("预备党员有表决权吗？", ["没有", "有"], 0)]


class LearningBuilder:
    def __init__(self, district, seed: int, today: dt.date, progress=None):
        self.district, self.today = district, today
        self.rng = random.Random(f"dangjian-demo-learning/{district.code}/{seed}")
        self.progress = progress or (lambda *a: None)

    def library(self) -> list[Content]:
        rng = self.rng
        series = [Series.objects.get_or_create(name=n)[0] for n in SERIES]
        tags = [Tag.objects.get_or_create(name=n)[0] for n in TAGS]
        contents = []
        for i in range(60):
            topic = TOPICS[i % len(TOPICS)]
            kind = rng.choices(["article", "micro_lecture", "video", "document"], [40, 30, 20, 10])[0]
            minutes = {"article": 0, "micro_lecture": 25, "video": rng.choice([10, 15, 20, 30]), "document": 0}[kind]
            contents.append(Content(
                kind=kind, title=f"{topic}（{i // len(TOPICS) + 1}）" if i >= len(TOPICS) else topic,
                summary=f"{topic}，适合利用碎片时间学习。", minutes=minutes,
                body=f"{topic}。\n\n本文结合非公企业和新就业群体党员的实际，介绍相关要求和做法。" if kind != "video" else "",
                url=f"https://intranet.example/learning/{i}" if kind in ("micro_lecture", "video") else "",
                series=series[0] if "快递" in topic or kind == "micro_lecture" else rng.choice(series + [None]),
                region=self.district,  # the district's library: its staff edit it
            ))
        Content.objects.bulk_create(contents)
        for c in contents:
            c.tags.set(rng.sample(tags, rng.randint(1, 2)))
            c.created_at = dt.datetime.combine(self.today - dt.timedelta(days=rng.randint(61, 150)), dt.time(9),
                                               tzinfo=dt.timezone.utc)
        Content.objects.bulk_update(contents, ["created_at"])  # a library built up over months, not in a day
        replays = Meeting.objects.filter(organization__region__path__startswith=self.district.path, online=True,
                                         status="held").select_related("organization").order_by("-held_on", "pk")[:8]
        for meeting in replays:  # as a secretary's "publish the replay" would
            publish_replay(None, meeting)
        questions = [Question(content=c, text=t, options=o, answer=a, order=k)
                     for c in contents[::3] for k, (t, o, a) in enumerate(rng.sample(QUESTIONS, 3))]
        Question.objects.bulk_create(questions)
        self.quizzed = {q.content_id for q in questions}
        return contents

    def pushes(self, contents) -> list[Push]:
        rng, today = self.rng, self.today
        towns = list(Region.objects.filter(path__startswith=self.district.path, depth=self.district.depth + 1))
        pushes = []
        for back in range(60, -1, -1):
            day = today - dt.timedelta(days=back)
            if back % 2 == 0:
                pushes.append((Push(content=rng.choice(contents), date=day, note="今日学习，请按时完成"), [self.district]))
            if back % 7 == 0:
                lectures = [c for c in contents if c.kind == "micro_lecture"] or contents
                pushes.append((Push(content=rng.choice(lectures), date=day, group="couriers",
                                    note="快递小哥25分钟微党课，送件间隙也能学"), [self.district]))
            if back % 10 == 5 and towns:
                pushes.append((Push(content=rng.choice(contents), date=day), [rng.choice(towns)]))
        Push.objects.bulk_create([p for p, _r in pushes])
        for p, regions in pushes:
            p.regions.set(regions)
            p.district_wide = regions == [self.district]
        return [p for p, _r in pushes]

    def records(self, pushes) -> tuple[int, int]:
        """Half the members study; each completes most district-wide pushes of the last month (couriers also
        theirs), earning points within the daily caps; plus points for the meetings they attended lately."""
        rng, today = self.rng, self.today
        members = list(Member.objects.filter(organization__region__path__startswith=self.district.path,
                                             status=MemberStatus.NORMAL).values_list("id", "employer__industry_division"))
        recent = [p for p in pushes if p.date >= today - dt.timedelta(days=30) and p.district_wide]
        records, points, earned = [], [], defaultdict(int)
        adapt_day, adapt_time = connection.ops.adapt_datefield_value, connection.ops.adapt_datetimefield_value
        rules = {e: event_rule(e) for e in ("study_completed", "quiz_passed", "meeting_attended", "makeup_done")}

        def pay(member_id, event, source, day):
            base, cap = rules[event]
            credit = capped(base, earned[(member_id, event, day)], cap)
            if credit:
                earned[(member_id, event, day)] += credit
                at = adapt_time(dt.datetime.combine(day, dt.time(21, 0), tzinfo=dt.timezone.utc))
                points.append((member_id, event, credit, adapt_day(day), source, "", at))

        for member_id, division in members:
            if rng.random() > 0.5:
                continue
            seen = set()
            for p in recent:
                if p.content_id in seen or (p.group == "couriers" and division != COURIER_DIVISION) or rng.random() > 0.8:
                    continue
                seen.add(p.content_id)
                minutes = p.content.minutes
                done = rng.random() < 0.8
                when = adapt_time(dt.datetime.combine(p.date, dt.time(12, 0), tzinfo=dt.timezone.utc))
                score = rng.choice([60, 67, 100, 100, 33]) if p.content_id in self.quizzed and done else None
                records.append((member_id, p.content_id, when, int(max(120, minutes * 60 * (1 if done else 0.3))),
                                when if done else None, score))
                if done:
                    pay(member_id, "study_completed", f"content:{p.content_id}", p.date)
                if score is not None and score >= 60:
                    pay(member_id, "quiz_passed", f"quiz:{p.content_id}", p.date)
        since = today - dt.timedelta(days=90)
        for member_id, meeting_id, presence, held_on in Attendance.objects.filter(
                meeting__organization__region__path__startswith=self.district.path, meeting__held_on__gte=since,
                presence__in=["present", "made_up"]).values_list("member_id", "meeting_id", "presence", "meeting__held_on") \
                .iterator(chunk_size=CHUNK):
            if presence == "present":
                pay(member_id, "meeting_attended", f"meeting:{meeting_id}", held_on)
            else:
                pay(member_id, "makeup_done", f"makeup:{meeting_id}", held_on)
        insert_rows(LearningRecord, ["member_id", "content_id", "opened_at", "seconds", "completed_at", "quiz_score"],
                    records)
        insert_rows(PointEntry, ["member_id", "event", "points", "day", "source", "reason", "at"], points)
        self.progress("learning", len(points), len(points))
        return len(records), len(points)

    def build(self) -> dict:
        contents = self.library()
        pushes = self.pushes(contents)
        records, points = self.records(pushes)
        return {"contents": len(contents), "pushes": len(pushes), "records": records, "points": points}


def build_learning(district, seed: int, today: dt.date, progress=None) -> dict:
    return LearningBuilder(district, seed, today, progress).build()
