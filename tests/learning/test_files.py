"""Study documents and videos: downloaded through the file view by whoever the library shows them to (published
material for everyone logged in, drafts for staff only); the content page links to the view, never to /media/."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangjian.learning import actions
from tests import samples


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DANGJIAN_X_ACCEL = False


def document(world, published=True):
    return actions.create_content(world.users.district, kind="document", title="党章学习资料", published=published,
                                  upload=samples.upload("党章.docx", samples.docx_bytes()))


def test_a_published_document_is_downloaded_by_members(world, login, media):
    content = document(world)
    url = reverse("file", args=["content-file", content.pk])
    r = login(world.users.member).get(url)
    assert samples.downloaded(r) == samples.docx_bytes()
    assert r["Content-Disposition"] == "attachment; filename*=utf-8''%E5%85%9A%E7%AB%A0.docx"
    page = login(world.users.member).get(reverse("learning:content", args=[content.pk])).content.decode()
    assert url in page and "/media/" not in page


def test_a_draft_is_served_to_staff_only(world, login, media):
    url = reverse("file", args=["content-file", document(world, published=False).pk])
    assert login(world.users.member).get(url).status_code == 404
    assert samples.downloaded(login(world.users.district).get(url)) == samples.docx_bytes()


def test_a_video_page_plays_it_through_the_file_view(world, login, media):
    video = actions.create_content(world.users.district, kind="video", title="微党课",
                                   upload=samples.upload("微党课.mp4", samples.mp4_bytes()))
    url = reverse("file", args=["content-file", video.pk])
    page = login(world.users.member).get(reverse("learning:content", args=[video.pk])).content.decode()
    assert f'src="{url}"' in page and "/media/" not in page
    r = login(world.users.member).get(url)
    assert samples.downloaded(r) == samples.mp4_bytes() and r["Content-Disposition"].startswith("inline;")


def test_a_document_whose_bytes_are_not_its_type_is_refused(world, media):
    with pytest.raises(ValidationError) as exc:
        actions.create_content(world.users.district, kind="document", title="伪装文档",
                               upload=samples.upload("资料.docx", samples.pdf_bytes()))
    assert "“资料.docx”的内容不是 DOCX 文件" in exc.value.message_dict["file"][0]
