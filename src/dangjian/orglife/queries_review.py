"""Reads for 民主评议 and 谈心谈话 pages and API: the year's grades, talks and their coverage."""
import datetime as dt

from django.db.models import Count

from dangjian.orglife.models import Appraisal, Grade, HeartTalk
from dangjian.orglife.people import committee_ids
from dangjian.orglife.review import appraisal_members
from dangjian.orglife.rules import max_excellent, may_be_excellent, talk_coverage


def talk_summary(org, year: int) -> dict:
    members = list(appraisal_members(org).order_by("name", "pk"))
    day = min(dt.date(year, 12, 31), dt.date.today())
    committee = committee_ids(org, day)
    talks = HeartTalk.objects.filter(organization=org, date__year=year)
    coverage = talk_coverage(committee, [m.pk for m in members], talks.values_list("first_id", "second_id"))
    return {"year": year, "coverage": coverage, "committee": committee,
            "missing_members": [m for m in members if m.pk in coverage["missing_members"]]}


def appraisal_summary(org, year: int) -> dict:
    members = list(appraisal_members(org).order_by("name", "pk"))
    grades = dict(Appraisal.objects.filter(organization=org, year=year).values_list("member_id", "grade"))
    counts = dict(Appraisal.objects.filter(organization=org, year=year).values_list("grade").annotate(n=Count("pk")))
    for m in members:
        m.grade = grades.get(m.pk, "")
        m.may_be_excellent = may_be_excellent(m.category, m.confirm_date, year)
    return {"year": year, "members": members, "counts": {g: counts.get(g, 0) for g in Grade.values},
            "max_excellent": max_excellent(len(members)), "Grade": Grade}
