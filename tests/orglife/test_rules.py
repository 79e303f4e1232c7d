"""Counting rules of domain-rules §2: votes, the appraisal quota, heart-to-heart talk pairs, sign-in codes."""
import pytest

from dangjian.orglife import signin
from dangjian.orglife.rules import count_vote, max_excellent, talk_coverage


@pytest.mark.parametrize("entitled, attending, quorum", [(10, 5, False), (10, 6, True), (9, 5, True), (9, 4, False),
                                                         (1, 1, True), (0, 0, False)])
def test_quorum_is_more_than_half_of_those_entitled(entitled, attending, quorum):
    assert count_vote(entitled, attending, 0).quorum is quorum


def test_yes_votes_count_against_all_entitled_not_those_present():
    # 10 entitled, 6 present, all 6 say yes: 6 > 5 passes; 5 yes of 6 present is a majority of those present
    # but not of all entitled, so it fails.
    assert count_vote(10, 6, 6).passed
    assert not count_vote(10, 6, 5).passed
    assert count_vote(10, 6, 5).needed == 6


def test_absentees_written_yes_counts():
    assert count_vote(10, 6, 5, written_yes=1).passed
    assert count_vote(10, 6, 5, written_yes=1).yes_total == 6


def test_no_quorum_never_passes():
    assert not count_vote(10, 5, 5, written_yes=5).passed


@pytest.mark.parametrize("appraised, limit", [(0, 0), (1, 0), (2, 0), (3, 1), (4, 1), (6, 2), (9, 3), (10, 3)])
def test_excellent_is_at_most_a_third(appraised, limit):
    assert max_excellent(appraised) == limit


def test_talk_coverage_counts_committee_pairs_and_members_reached():
    committee, members = {1, 2, 3}, {1, 2, 3, 4, 5}
    result = talk_coverage(committee, members, [(1, 2), (2, 1), (1, 4), (4, 5)])
    assert (result["cc_required"], result["cc_done"]) == (3, 1)
    assert (result["cm_required"], result["cm_done"]) == (2, 1)  # 5 talked only with another member
    assert result["missing_members"] == {5}
    assert result["missing_pairs"] == {(1, 3), (2, 3)}
    assert result["rate"] == pytest.approx(2 / 5)


class FakeMeeting:
    signin_secret = "s3cret"


def test_signin_code_rotates_and_the_previous_window_is_grace():
    m, size = FakeMeeting(), signin.window_seconds()
    t = 1_800_000_000 - 1_800_000_000 % size  # start of a window
    code, left = signin.current_code(m, t)
    assert len(code) == 6 and code.isdigit() and left == size
    assert signin.is_valid(m, code, t + size - 1)
    assert signin.is_valid(m, code, t + size + 5)  # just after it changed
    assert not signin.is_valid(m, code, t + 2 * size)  # two windows later: expired
    assert signin.current_code(m, t + size)[0] != code


@pytest.mark.parametrize("forged", ["", "12345", "abcdef", "1234567", None])
def test_signin_rejects_malformed_codes(forged):
    assert not signin.is_valid(FakeMeeting(), forged, 1_800_000_000)


def test_signin_code_depends_on_the_meeting_secret():
    other = FakeMeeting()
    other.signin_secret = "other"
    size = signin.window_seconds()
    same = sum(signin.current_code(FakeMeeting(), t * size)[0] == signin.current_code(other, t * size)[0]
               for t in range(30_000_000, 30_000_020))
    assert same <= 1  # a one-in-a-million coincidence at most
