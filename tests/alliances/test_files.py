"""Agreements, notice-board files and pair evidence: downloaded through the scoped file view by whoever sees the
group or the pair, 404 for anyone else; the group and pair pages link to the view, never to /media/."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangjian.alliances import actions
from dangjian.alliances.models import LinkGroup, PairKind, SixAction
from tests import samples

DAY = dt.date(2026, 12, 4)  # pinned (the clock too): the pair starts and its action is done that day


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DANGJIAN_X_ACCEL = False


@pytest.fixture
def groups(al, media):
    """jia's group (its agreement and a post with a file) and the group jia is not in."""
    w = al.world
    u = w.units
    scheme = actions.propose_scheme(w.users.district, w.district, [u.jia.pk, u.yi.pk, u.bing.pk, u.ding.pk, u.wu.pk,
                                                                   u.geng.pk], 2, seed=1)
    mine = LinkGroup.objects.get(scheme=scheme, members__unit=u.jia)
    other = scheme.groups.exclude(pk=mine.pk).get()
    assert other.members.filter(unit=u.ding).exists()  # qiye_ding is outside jia's group
    actions.upload_agreement(w.users.district, mine, samples.upload("资源共享协议.pdf", samples.pdf_bytes()))
    post = actions.post(al.qiye, mine, "本月活动安排", samples.upload("安排.xlsx", samples.xlsx_bytes()))
    return mine, other, post


def test_a_groups_agreement_and_post_file_are_served_to_its_readers(al, login, groups):
    mine, other, post = groups
    agreement, board = reverse("file", args=["group-agreement", mine.pk]), reverse("file", args=["post-file", post.pk])
    with mine.agreement.open("rb") as f:
        agreement_bytes = f.read()
    with post.file.open("rb") as f:
        post_bytes = f.read()
    for user in (al.world.users.district, al.qiye):  # the region's staff, a member unit of the group
        client = login(user)
        r = client.get(agreement)
        assert samples.downloaded(r) == agreement_bytes and r["Content-Type"] == "application/pdf"
        assert r["Content-Disposition"] == "inline; filename*=utf-8''%E8%B5%84%E6%BA%90%E5%85%B1%E4%BA%AB%E5%8D%8F%E8%AE%AE.pdf"
        assert samples.downloaded(client.get(board)) == post_bytes
    for user in (al.qiye_ding, al.world.users.lirang, al.world.users.member):
        client = login(user)
        assert client.get(agreement).status_code == 404 and client.get(board).status_code == 404


def test_the_group_page_links_to_the_file_view(al, login, groups):
    mine, _, post = groups
    page = login(al.qiye).get(reverse("alliances:group", args=[mine.pk])).content.decode()
    assert reverse("file", args=["group-agreement", mine.pk]) in page
    assert reverse("file", args=["post-file", post.pk]) in page and "/media/" not in page


def test_pair_evidence_is_served_to_the_regions_staff_only(al, login, media, pin):
    pin(dt.date(2026, 12, 4))
    w = al.world
    pair = actions.create_pair(w.users.district, w.district, PairKind.VILLAGE, DAY, unit=w.units.ding,
                               village=w.community)
    done = actions.record_action(w.users.district, pair, SixAction.SURVEY, DAY,
                                 samples.upload("调研.png", samples.image_bytes("PNG")))
    url = reverse("file", args=["pair-evidence", done.pk])
    r = login(w.users.district).get(url)
    assert samples.downloaded(r) == samples.image_bytes("PNG")
    for user in (w.users.lirang, al.qiye_ding, w.users.secretary):
        assert login(user).get(url).status_code == 404
    page = login(w.users.district).get(reverse("alliances:pair", args=[pair.pk])).content.decode()
    assert url in page and "/media/" not in page


def test_evidence_that_is_a_program_is_refused(al, media, pin):
    pin(dt.date(2026, 12, 4))
    w = al.world
    pair = actions.create_pair(w.users.district, w.district, PairKind.VILLAGE, DAY, unit=w.units.ding,
                               village=w.community)
    with pytest.raises(ValidationError) as exc:
        actions.record_action(w.users.district, pair, SixAction.SURVEY, DAY,
                              samples.upload("evil.exe.pdf", samples.exe_bytes()))
    assert "是可执行程序" in exc.value.message_dict["evidence"][0] and not pair.actions.exists()
