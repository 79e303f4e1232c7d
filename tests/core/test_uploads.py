"""Uploads are checked by their bytes, not only by their names: a program named ``evil.exe.pdf`` is refused."""
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from dangjian.core.uploads import check_upload
from tests import samples


def refusal(name, content, types=None) -> str:
    with pytest.raises(ValidationError) as exc:
        check_upload(samples.upload(name, content), "file", types)
    return " ".join(exc.value.message_dict["file"])


@pytest.mark.parametrize("name, make", [
    ("会议纪要.pdf", samples.pdf_bytes), ("会场.png", lambda: samples.image_bytes("PNG")),
    ("合影.jpg", lambda: samples.image_bytes("JPEG")), ("合影.JPEG", lambda: samples.image_bytes("JPEG")),
    ("协议.docx", samples.docx_bytes), ("名单.xlsx", samples.xlsx_bytes), ("旧协议.doc", samples.doc_bytes),
    ("旧名单.xls", samples.doc_bytes), ("回放.mp4", samples.mp4_bytes),
])
def test_real_files_of_each_allowed_type_are_accepted(name, make):
    content = make()
    upload = samples.upload(name, content)
    assert check_upload(upload, "file") == name.rsplit(".", 1)[1].lower()
    assert upload.read() == content  # left at the start for storage


@pytest.mark.parametrize("name", ["evil.exe.pdf", "会场.jpg", "协议.docx", "回放.mp4"])
def test_a_windows_program_is_refused_under_any_name(name):
    assert "是可执行程序" in refusal(name, samples.exe_bytes())


def test_a_linux_program_is_refused():
    assert "是可执行程序" in refusal("run.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 40)


@pytest.mark.parametrize("name, make, ext", [
    ("照片.pdf", lambda: samples.image_bytes("PNG"), "PDF"),  # right kind of file, wrong name
    ("网页.pdf", lambda: b"<html><script>alert(1)</script></html>", "PDF"),
    ("名单.docx", samples.xlsx_bytes, "DOCX"),  # a spreadsheet is not a Word file
    ("协议.xlsx", samples.docx_bytes, "XLSX"),
    ("旧名单.xlsx", samples.doc_bytes, "XLSX"),
    ("照片.png", lambda: samples.image_bytes("JPEG"), "PNG"),
    ("空.pdf", lambda: b"", "PDF"),
    ("视频.mp4", samples.pdf_bytes, "MP4"),
])
def test_bytes_that_do_not_match_the_extension_are_refused(name, make, ext):
    message = refusal(name, make())
    assert f"“{name}”的内容不是 {ext} 文件" in message


def test_a_zip_that_is_not_an_office_package_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a document")
    assert "的内容不是 DOCX 文件" in refusal("协议.docx", buffer.getvalue())
    assert "的内容不是 DOCX 文件" in refusal("断.docx", samples.docx_bytes()[:40])  # a truncated package


def test_an_oversized_content_types_part_is_not_read():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:  # 64 MB of zeros: a small zip bomb
        archive.writestr("[Content_Types].xml", b"\x00" * (64 * 1024 * 1024))
    assert "的内容不是 DOCX 文件" in refusal("炸弹.docx", buffer.getvalue())


def test_a_type_the_table_cannot_check_is_refused(settings, tmp_path):
    rules = tmp_path / "local.toml"
    rules.write_text('[orglife]\nallowed_file_types = ["pdf", "txt"]\n', encoding="utf-8")
    settings.DANGJIAN_RULES_FILE = str(rules)  # a local rule set that allows a type the table has no check for
    assert "无法核对“txt”文件的内容" in refusal("说明.txt", b"hello")
