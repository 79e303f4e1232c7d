"""Request attachments and visit photos: downloaded through the scoped file view by whoever sees the request or
the visit, 404 for anyone else; the request page links to the view."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse

from dangjian.services import actions
from dangjian.services.models import Request, Visit
from tests import samples


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DANGJIAN_X_ACCEL = False


@pytest.fixture
def with_attachment(svc, media):
    return actions.raise_request(svc.users.qiye, svc.world.units.jia, "recruitment", "招工难", "需要招聘 30 名普工。",
                                 attachment=samples.upload("招聘计划.docx", samples.docx_bytes()))


def test_an_attachment_is_downloaded_in_scope_and_404_outside(svc, login, with_attachment):
    url = reverse("file", args=["request-attachment", with_attachment.pk])
    for user in (svc.users.qiye, svc.world.users.district, svc.world.users.shuanggui):
        r = login(user).get(url)
        assert samples.downloaded(r) == samples.docx_bytes()
        assert r["Content-Type"].endswith("wordprocessingml.document")
        assert r["Content-Disposition"].startswith("attachment; filename*=utf-8''")  # a document downloads
    for user in (svc.users.qiye_ding, svc.world.users.lirang, svc.world.users.member):
        assert login(user).get(url).status_code == 404


def test_the_request_page_links_to_the_file_view(svc, login, with_attachment):
    page = login(svc.users.qiye).get(reverse("services:request", args=[with_attachment.pk])).content.decode()
    assert reverse("file", args=["request-attachment", with_attachment.pk]) in page and "/media/" not in page


def test_a_program_named_like_a_pdf_is_not_attached(svc, media):
    with pytest.raises(ValidationError) as exc:
        actions.raise_request(svc.users.qiye, svc.world.units.jia, "recruitment", "招工难", "附件见后。",
                              attachment=samples.upload("evil.exe.pdf", samples.exe_bytes()))
    assert "“evil.exe.pdf”是可执行程序" in exc.value.message_dict["attachment"][0]


def test_a_visit_photo_is_downloaded_in_scope_and_404_outside(svc, login, media):
    visit = Visit.objects.create(officer=svc.officer, unit=svc.world.units.jia, date=dt.date(2026, 11, 20),
                                 purpose="了解招工", photo=ContentFile(samples.image_bytes("JPEG"), name="走访.jpg"))
    url = reverse("file", args=["visit-photo", visit.pk])
    r = login(svc.world.users.shuanggui).get(url)
    assert samples.downloaded(r) == samples.image_bytes("JPEG") and r["Content-Type"] == "image/jpeg"
    assert login(svc.users.qiye_ding).get(url).status_code == 404
    assert login(svc.world.users.lirang).get(url).status_code == 404


def test_the_request_form_names_a_disguised_program_and_keeps_nothing(svc, login, media, tmp_path):
    r = login(svc.users.qiye).post(reverse("services:request_create"), {
        "unit": svc.world.units.jia.pk, "category": "recruitment", "title": "招工难", "description": "缺普工",
        "attachment": samples.upload("evil.exe.pdf", samples.exe_bytes())})
    assert r.status_code == 200 and "“evil.exe.pdf”是可执行程序，不能上传" in r.content.decode()
    assert not Request.objects.exists() and not any(tmp_path.rglob("*.*"))
