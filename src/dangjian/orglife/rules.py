"""Counting rules of domain-rules §2 as pure functions: votes, the appraisal quota and grades, talk pairs."""
import datetime as dt
import math
from dataclasses import dataclass
from itertools import combinations

from dangjian.core.rules import rule
from dangjian.members.models import Category


@dataclass(frozen=True)
class VoteCount:
    quorum: bool  # more than half of those entitled to vote attend
    passed: bool  # yes (with absentees' written yes) from more than half of ALL entitled, not of those present
    yes_total: int
    needed: int  # the least number of yes votes that passes


def count_vote(entitled: int, attending: int, yes: int, written_yes: int = 0) -> VoteCount:
    needed = entitled // 2 + 1
    quorum = entitled > 0 and attending * 2 > entitled
    total = yes + written_yes
    return VoteCount(quorum=quorum, passed=quorum and total * 2 > entitled, yes_total=total, needed=needed)


def max_excellent(appraised: int) -> int:
    """优秀 may be at most a third of those appraised (rounded down: 4 members → 1, 6 → 2)."""
    return math.floor(appraised * float(rule("orglife.excellent_max_share")) + 1e-9)


def probationary_in(category: str, confirm_date, year: int) -> bool:
    """Was a member probationary at the end of an appraisal year? Still probationary, or confirmed after it."""
    return category == Category.PROBATIONARY or (confirm_date is not None and confirm_date > dt.date(year, 12, 31))


def may_be_excellent(category: str, confirm_date, year: int) -> bool:
    """Probationary members are appraised, but graded 优秀 only where the rule set allows it."""
    return bool(rule("orglife.probationary_may_be_excellent")) or not probationary_in(category, confirm_date, year)


def required_pairs(committee_ids, member_ids) -> tuple[set, set]:
    """Talks an organisation owes each year: every pair of committee members, and each other member with
    at least one committee member (member–member talks are recorded but not required).
    Returns (committee pairs as sorted tuples, members who need a committee talk)."""
    committee = set(committee_ids)
    pairs = {tuple(sorted(p)) for p in combinations(sorted(committee), 2)}
    return pairs, set(member_ids) - committee


def talk_coverage(committee_ids, member_ids, talks) -> dict:
    """How many required talks of the year took place; ``talks`` are (first_id, second_id) pairs."""
    committee = set(committee_ids)
    pairs, others = required_pairs(committee, member_ids)
    done = {tuple(sorted(t)) for t in talks}
    talked = {a for a, b in done if b in committee} | {b for a, b in done if a in committee}
    cc_done = len(pairs & done)
    cm_done = len(others & talked)
    required = len(pairs) + len(others)
    return {
        "cc_required": len(pairs), "cc_done": cc_done,
        "cm_required": len(others), "cm_done": cm_done,
        "missing_members": others - talked,
        "missing_pairs": pairs - done,
        "rate": (cc_done + cm_done) / required if required else 1.0,
    }
