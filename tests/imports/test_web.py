"""The import page: upload -> background job (immediate in tests) -> preview -> confirm -> commit."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.core.models import AuditLog
from dangjian.imports.models import ImportJob, JobStatus
from dangjian.members.models import Member
from tests.imports.conftest import member_row, new_id, workbook_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, content: bytes, name="党员.xlsx", entity="members"):
    file = SimpleUploadedFile(name, content, content_type=XLSX)
    return client.post(reverse("imports:upload"), {"entity": entity, "file": file})


@pytest.fixture
def admin(client, world):
    client.force_login(world.users.shuanggui)
    return client


def test_upload_preview_confirm_commits_all_rows(admin, world):
    before = Member.objects.count()
    response = upload(admin, workbook_bytes([member_row(姓名="网页一"), member_row(姓名="网页二")]))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:job", args=[job.pk])
    assert job.status == JobStatus.READY and (job.total_rows, job.valid_rows, job.error_count) == (2, 2, 0)
    page = admin.get(response.url)
    assert "全部 2 行校验通过" in page.content.decode()
    assert Member.objects.count() == before  # nothing written before the confirmation
    assert admin.post(reverse("imports:confirm", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.created_count == 2 and not job.file
    assert Member.objects.count() == before + 2
    assert AuditLog.objects.filter(action="import").get().changes["job"] == job.pk
    # a second confirmation (double click) imports nothing more
    admin.post(reverse("imports:confirm", args=[job.pk]))
    assert Member.objects.count() == before + 2


def test_errors_are_listed_by_row_and_column_and_nothing_is_imported(admin, world):
    before = Member.objects.count()
    rows = [member_row(), member_row(身份证号码="110101199005171230"), member_row(人员类别="群众")]
    upload(admin, workbook_bytes(rows))
    job = ImportJob.objects.get()
    assert job.status == JobStatus.INVALID and job.error_count == 2 and not job.file
    html = admin.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert 'data-row="3" data-column="身份证号码"' in html and "身份证号码校验位错误" in html
    assert 'data-row="4" data-column="人员类别"' in html and "“群众”不是有效的选项" in html
    assert "确认导入" not in html
    assert admin.post(reverse("imports:confirm", args=[job.pk])).status_code == 302
    assert Member.objects.count() == before


def test_confirm_revalidates_and_refuses_when_the_database_changed(admin, world):
    row = member_row(姓名="后来者")
    upload(admin, workbook_bytes([row]))
    job = ImportJob.objects.get()
    assert job.status == JobStatus.READY
    # meanwhile someone registers the same person by hand
    clash = world.members.wang
    clash.set_id_number(row["身份证号码"])
    clash.save()
    admin.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.INVALID and "预览之后数据发生了变化" in job.problem
    assert job.issues.get().message == "该身份证号码已登记为党员（甲印务有限公司党支部）"
    assert not Member.objects.filter(name="后来者").exists()
    assert not AuditLog.objects.filter(action="import").exists()


@pytest.mark.parametrize("name, content, message", [
    ("名单.csv", "姓名,身份证号码\n张三,1\n".encode(), "只能导入 Excel（.xlsx）文件"),
    ("名单.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100, "旧版 Excel（.xls）"),
    ("伪装.xlsx", b"not a zip at all", "文件不是 Excel（.xlsx）格式"),
])
def test_non_xlsx_files_are_refused_on_the_form(admin, world, name, content, message):
    response = upload(admin, content, name=name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_wrong_headers_name_the_missing_column(admin, world):
    row = member_row()
    del row["身份证号码"]
    response = upload(admin, workbook_bytes([row]))
    assert response.status_code == 400
    assert "缺少列“身份证号码”" in response.content.decode()
    # a units file offered as members
    response = upload(admin, workbook_bytes([{"单位名称": "x", "所在区域": "500155"}], sheet="单位"))
    assert "缺少列“姓名”、“身份证号码”、“人员类别”、“所在党支部”、“入党日期”" in response.content.decode()


def test_file_size_limit(admin, world, settings):
    settings.DANGJIAN_IMPORT_MAX_BYTES = 1024
    response = upload(admin, workbook_bytes([member_row()] * 20))
    assert response.status_code == 400 and "超过上限" in response.content.decode()


def test_readers_cannot_import_and_jobs_are_private(client, world):
    client.force_login(world.users.instructor)
    assert upload(client, workbook_bytes([member_row()])).status_code == 403
    assert "只能查看数据，不能导入" in client.get(reverse("imports:index")).content.decode()
    client.force_login(world.users.shuanggui)
    upload(client, workbook_bytes([member_row()]))
    job = ImportJob.objects.get()
    client.force_login(world.users.lirang)
    assert client.get(reverse("imports:job", args=[job.pk])).status_code == 404
    assert client.post(reverse("imports:confirm", args=[job.pk])).status_code == 404


def test_running_job_page_polls_every_second(admin, world):
    job = ImportJob.objects.create(entity="members", user=world.users.shuanggui, file_name="x.xlsx",
                                   status=JobStatus.VALIDATING, phase="checking", total_rows=200, done_rows=50)
    html = admin.get(reverse("imports:job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in html and "第 50 / 200 行" in html and "<html" not in html
    assert 'aria-valuenow="25"' in html  # members are read and checked in one pass
    job.entity, job.phase, job.done_rows = "organizations", "reading", 100
    job.save()
    html = admin.get(reverse("imports:job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'aria-valuenow="20"' in html and "正在读取文件" in html  # reading: the first 40% of the bar


def test_template_has_header_example_notes_and_dropdowns(admin, world):
    response = admin.get(reverse("imports:template", args=["members"]))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["党员", "填写说明", "选项"]
    ws = wb["党员"]
    headers = [c.value for c in ws[1]]
    assert headers[:3] == ["姓名", "性别", "身份证号码"] and "所在党支部" in headers
    assert ws["A2"].value == "张三"
    formulas = {dv.formula1 for dv in ws.data_validations.dataValidation}
    options = wb["选项"]
    choices = {options.cell(row=1, column=c).value: [options.cell(row=r, column=c).value for r in range(2, 4)]
               for c in range(1, options.max_column + 1)}
    assert choices["人员类别"] == ["正式党员", "预备党员"]
    assert any("选项" in f for f in formulas) and len(formulas) >= 5
    notes = "\n".join(str(c.value) for row in wb["填写说明"].iter_rows() for c in row if c.value)
    assert "身份证号码" in notes and "必填" in notes and "可选：正式党员、预备党员" in notes
    # the untouched template is refused with a clear message instead of importing "张三"
    upload(admin, response.content)
    job = ImportJob.objects.get()
    assert job.issues.filter(row=2, message="这是模板中的示例行，请删除后再导入").exists()


@pytest.mark.parametrize("entity", ["regions", "units", "organizations"])
def test_other_templates_download(admin, world, entity):
    response = admin.get(reverse("imports:template", args=[entity]))
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames[0] in ("区域", "单位", "党组织") and wb.worksheets[0]["A1"].value in ("区域名称", "单位名称", "党组织名称")


def test_pagination_of_many_errors(admin, world):
    rows = [member_row(身份证号码=new_id()[:-1] + "Y") for _ in range(230)]
    upload(admin, workbook_bytes(rows))
    job = ImportJob.objects.get()
    assert job.error_count == 230
    first = admin.get(reverse("imports:job", args=[job.pk])).content.decode()
    second = admin.get(reverse("imports:job", args=[job.pk]) + "?page=2").content.decode()
    assert first.count("data-row=") == 200 and second.count("data-row=") == 30
    assert 'data-row="231"' in second and "第 2 / 2 页" in second


def test_a_job_without_progress_for_long_stops_polling_and_can_be_discarded(admin, world):
    import datetime as dt

    from django.utils import timezone

    job = ImportJob.objects.create(entity="members", user=world.users.shuanggui, file_name="x.xlsx")
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=11))
    html = admin.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' not in html and "后台任务进程可能没有运行" in html
    admin.post(reverse("imports:discard", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.DISCARDED


def test_joint_branch_over_the_unit_limit_is_a_warning_not_an_error(admin, world):
    from dangjian.units.models import Unit
    from tests.imports.test_units_orgs_import import code

    units = [Unit.objects.create(name=f"联合{n}", credit_code=code(200 + n), industry_section="C", region=world.shuanggui)
             for n in range(6)]
    row = {"党组织名称": "六家联合党支部", "党组织类别": "联合党支部", "所在区域": "500155001",
           "覆盖单位统一社会信用代码": "、".join(u.credit_code for u in units)}
    upload(admin, workbook_bytes([row], sheet="党组织"), name="党组织.xlsx", entity="organizations")
    job = ImportJob.objects.get()
    assert job.status == JobStatus.READY
    assert job.warnings == ["第2行：联合党支部覆盖6家单位，超过一般不超过5家的要求"]
    assert "超过一般不超过5家的要求" in admin.get(reverse("imports:job", args=[job.pk])).content.decode()
