"""Import in the browser: a file with errors shows every error by row and column, and imports nothing."""
import pytest

from dangjian.imports.models import ImportJob, JobStatus
from dangjian.members.models import Member
from tests.e2e.conftest import login, shot
from tests.imports.conftest import member_row, new_id, workbook_bytes

pytestmark = pytest.mark.e2e
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def immediate_tasks(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


def test_upload_with_errors_lists_them_by_row_and_column(page, live_server, world):
    good_id = new_id()
    rows = [
        member_row(姓名="赵一", 身份证号码=good_id),
        member_row(姓名="钱二", 身份证号码=good_id[:-1] + ("0" if good_id[-1] != "0" else "1")),
        member_row(姓名="孙三", 人员类别="党员"),
        member_row(姓名="李四", 所在党支部="丁机械有限公司党支部"),
        member_row(姓名="周五", 身份证号码=good_id),
        member_row(姓名="吴六", 入党日期="2015年13月1日"),
    ]
    before = Member.objects.count()
    login(page, live_server, "shuanggui", world.password)
    page.goto(f"{live_server.url}/imports/")
    page.select_option("#id_entity", "members")

    # A file that is not .xlsx is refused before it is even sent.
    page.set_input_files("#id_file", files=[{"name": "名单.csv", "mimeType": "text/csv", "buffer": "a,b\n".encode()}])
    assert page.locator("#dj-file-client-error").inner_text().startswith("只能导入 Excel（.xlsx）文件")
    shot(page, "import-index")

    page.set_input_files("#id_file", files=[{"name": "党员名单.xlsx", "mimeType": XLSX, "buffer": workbook_bytes(rows)}])
    with page.expect_navigation():
        page.get_by_role("button", name="上传并校验").click()
    page.wait_for_selector("#dj-job[data-status=invalid]")
    assert "发现 5 处错误，未导入任何数据" in page.locator(".alert-danger").inner_text()

    expected = {
        ("3", "身份证号码"): "身份证号码校验位错误",
        ("4", "人员类别"): "“党员”不是有效的选项，可选：正式党员、预备党员",
        ("5", "所在党支部"): "“丁机械有限公司党支部”不在您的管理范围内",
        ("6", "身份证号码"): "与第2行重复（身份证号码相同）",
        ("7", "入党日期"): "日期“2015年13月1日”不存在，请检查年月日",
    }
    table = page.locator("#dj-issues tbody tr")
    assert table.count() == len(expected)
    for (row, column), message in expected.items():
        cells = page.locator(f'#dj-issues tr[data-row="{row}"][data-column="{column}"] td')
        assert [cells.nth(i).inner_text() for i in range(3)] == [row, column, message]
    assert page.get_by_role("button", name="确认导入").count() == 0
    shot(page, "import-preview-errors")

    assert Member.objects.count() == before
    assert ImportJob.objects.get().status == JobStatus.INVALID
