"""Zip bombs (issue 12, finding 4): the archive is checked before parsing, and what passes the checks but still
inflates too much is parsed in a reader process with a memory limit. Every refusal is a clear Chinese message
(on the upload form, or a failed job), never a 500, and the worker's own memory does not grow."""
import io
import resource
import time
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from dangjian.imports import archive, jobs, pipeline
from dangjian.imports.models import ImportJob, JobStatus
from dangjian.imports.reader import FileProblem
from dangjian.members.models import Member
from tests.imports.conftest import member_row, workbook_bytes
from tests.imports.test_web import upload

SHEET = "xl/worksheets/sheet1.xml"
NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
HEADER = ["姓名", "性别", "身份证号码", "出生日期", "人员类别", "所在党支部", "入党日期", "转正日期", "联系电话"]
# A valid header row in shared strings 0..8, so that only the size of the rest decides.
HEADER_ROW = b'<row r="1">' + b"".join(b'<c r="%s1" t="s"><v>%d</v></c>' % (bytes([65 + i]), i)
                                       for i in range(len(HEADER))) + b"</row>"


def xlsx(sheet_data: bytes = b"", strings: int = 0, extra_entries: int = 0) -> bytes:
    """A members workbook whose sheet holds ``sheet_data`` after the header row, with ``strings`` more shared strings."""
    base = zipfile.ZipFile(io.BytesIO(workbook_bytes([member_row()])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for item in base.namelist():
            data = base.read(item)
            if item == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            elif item == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.'
                                    b'org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                                    b"</Relationships>")
            elif item == SHEET:
                continue
            dst.writestr(item, data)
        dst.writestr(SHEET, b"<worksheet " + NS + b"><sheetData>" + HEADER_ROW + sheet_data + b"</sheetData></worksheet>")
        table = "".join(f"<si><t>{h}</t></si>" for h in HEADER).encode() + b"<si><t>ab</t></si>" * strings
        dst.writestr(archive.SHARED_STRINGS, b"<sst " + NS + b">" + table + b"</sst>")
        for n in range(extra_entries):
            dst.writestr(f"xl/media/image{n}.png", b"x")
    return out.getvalue()


def refused(content: bytes, tmp_path) -> str:
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(content)
    with pytest.raises(FileProblem) as info:
        pipeline.validate("members", path, None)
    return str(info.value)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_the_harmless_skeleton_imports(world, tmp_path):
    """The bomb builder makes a real workbook: without the bomb its header maps (and it has no data rows)."""
    message = refused(xlsx(), tmp_path)
    assert message.startswith("文件中没有数据行")


def test_two_million_shared_strings_are_refused_before_parsing(world, tmp_path):
    content = xlsx(strings=2_000_000)  # the bomb: under 1 MB, 2 million strings
    assert len(content) < 1024 * 1024
    before, start = peak_mb(), time.monotonic()
    message = refused(content, tmp_path)
    assert "sharedStrings.xml" in message and "压缩炸弹" in message
    assert time.monotonic() - start < 10 and peak_mb() - before < 50


def test_the_string_count_is_checked_even_when_the_ratio_passes(world, tmp_path, settings):
    settings.DANGJIAN_IMPORT_LIMITS = {"ratio": 10 ** 6, "strings": 1000}
    assert refused(xlsx(strings=1000), tmp_path) == "文件中的不同文字超过1000条，超过单次导入上限，请分成几个文件导入"
    settings.DANGJIAN_IMPORT_LIMITS = {"ratio": 10 ** 6, "strings_bytes": 1000}
    assert refused(xlsx(strings=100), tmp_path).startswith("文件中的文字表解压后有0.0 MB，超过上限0.0 MB")


def test_entry_count_entry_size_and_total_size_are_limited(world, tmp_path, settings):
    assert refused(xlsx(extra_entries=300), tmp_path).startswith("文件内部包含310个部件，超过上限200个")
    settings.DANGJIAN_IMPORT_LIMITS = {"ratio": 10 ** 6, "entry_bytes": 2 * archive.MB}
    filler = b"<!--" + b" " * 3 * archive.MB + b"-->"
    assert refused(xlsx(filler), tmp_path) == (
        f"文件内部的“{SHEET}”解压后有3.0 MB，超过上限2.0 MB，请分成几个文件导入")
    settings.DANGJIAN_IMPORT_LIMITS = {"ratio": 10 ** 6, "total_bytes": 2 * archive.MB}
    assert refused(xlsx(filler), tmp_path).startswith("文件解压后共有3.0 MB，超过上限2.0 MB")


def test_a_bomb_that_passes_the_checks_fails_in_the_reader_process_not_the_worker(world, settings):
    """One row of 2 million empty cells: 8 MB of XML (kilobytes zipped) that takes the parser past 220 MB (the
    reader starts at about 170 MB of address space)."""
    settings.DANGJIAN_IMPORT_LIMITS = {"ratio": 10 ** 6, "reader_memory_mb": 220}
    bomb = xlsx(b'<row r="2">' + b"<c/>" * 2_000_000 + b"</row>")
    job = ImportJob.objects.create(entity="members", user=world.users.district, file_name="bomb.xlsx",
                                   file=ContentFile(bomb, name="bomb.xlsx"))
    before, start = peak_mb(), time.monotonic()
    jobs.run_validation(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and not job.file
    assert job.problem == "文件内容解压后过大，读取时超出了内存上限（220 MB），未导入任何数据：请分成几个较小的文件导入"
    assert time.monotonic() - start < 30 and peak_mb() - before < 50
    assert not Member.objects.filter(name="测试党员").exists()


def test_the_upload_form_refuses_a_bomb_with_a_message(world, client):
    client.force_login(world.users.shuanggui)
    response = upload(client, xlsx(strings=2_000_000))
    assert response.status_code == 400 and "疑似“压缩炸弹”" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_big_workbook_is_read_in_the_reader_process_like_a_small_one(world, tmp_path, settings):
    rows = [member_row(姓名=f"大文件{i}") for i in range(3)]
    path = tmp_path / "m.xlsx"
    path.write_bytes(workbook_bytes(rows))
    here = pipeline.validate("members", path, None)
    settings.DANGJIAN_IMPORT_LIMITS = {"in_process_bytes": 0}  # every workbook goes to the reader process
    there = pipeline.validate("members", path, None)
    assert there.ok and [o.name for o in there.objects] == [o.name for o in here.objects] == ["大文件0", "大文件1", "大文件2"]
    with open(path, "rb") as fh:  # an upload held in memory is copied to a temporary file for the reader
        assert pipeline.validate("members", fh, None).total == 3
