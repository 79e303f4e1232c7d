"""`dangjian coverage`: table (aligned for Chinese), json, xlsx; clear errors with a non-zero exit."""
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from dangjian.coverage.management.commands.coverage import pad, text_width


def run(*args) -> str:
    out = StringIO()
    call_command("coverage", *args, stdout=out)
    return out.getvalue()


def test_text_width_counts_chinese_as_two_columns():
    assert text_width("abc") == 3
    assert text_width("礼让镇") == 6
    assert text_width("（1）") == 5
    assert pad("镇", 4) == "镇  " and pad("7", 3, right=True) == "  7"


def test_table_output_is_aligned(world):
    out = run()
    assert "组织覆盖率：66.67% (4/6)" in out
    assert "在营单位（分母）：6（不计入：注销/吊销 1，停业 0）" in out
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("区域"))
    block = lines[start:start + 6]  # header, rule, 3 regions, total
    assert block[-1].startswith("合计")
    assert len({text_width(line) for line in block}) == 1, block
    # the 在营单位 column ends at the same display column on every line
    ends = {text_width(line[: line.index(str(n)) + 1]) for line, n in zip(block[2:], [1, 3, 2, 6])}
    assert len(ends) == 1
    assert "庚科技有限公司" in out and "选派党建指导员" in out


def test_table_by_size_for_one_region(world):
    out = run("--region", "500155101", "--by", "size")
    assert "两个覆盖统计 · 礼让镇" in out
    assert "10–49人" in out and "合计" in out


def test_region_by_full_name_when_it_has_no_code(world):
    assert "两个覆盖统计 · 高新区" in run("--region", "高新区")


def test_json_output(world):
    data = json.loads(run("--format", "json", "--by", "industry"))
    assert data["summary"]["coverage_rate"] == {"numerator": 4, "denominator": 6, "percent": 66.67}
    assert data["breakdown"]["rows"][0]["key"] == "C"
    assert [b["name"] for b in data["blank_spots"]] == ["庚科技有限公司", "戊食品有限公司"]


def test_xlsx_output(world, tmp_path):
    target = tmp_path / "覆盖率.xlsx"
    assert "已导出到" in run("--format", "xlsx", "-o", str(target))
    wb = load_workbook(target)
    assert "空白点" in wb.sheetnames
    assert [r[1] for r in wb["概况"].iter_rows(values_only=True) if r[0] == "在营单位数（分母）"] == [6]


def test_xlsx_needs_an_output_file(world):
    with pytest.raises(CommandError, match="-o"):
        run("--format", "xlsx")


def test_user_scope(world, tmp_path):
    data = json.loads(run("--format", "json", "--user", "shuanggui"))
    assert data["summary"]["units"] == 3
    with pytest.raises(CommandError, match="不在用户“shuanggui”的管理范围内"):
        run("--user", "shuanggui", "--region", "500155101")
    with pytest.raises(CommandError, match="不存在或已停用"):
        run("--user", "nobody")


def test_output_to_a_file(world, tmp_path):
    target = tmp_path / "out.txt"
    run("-o", str(target))
    assert "组织覆盖率" in target.read_text(encoding="utf-8")


def test_backfill(world):
    from dangjian.coverage.models import CoverageSnapshot

    assert "已生成 2 个月的快照" in run("--backfill", "2")
    assert CoverageSnapshot.objects.filter(region=world.district).count() == 2


def test_unknown_region_code_is_a_clear_error_with_a_non_zero_exit(world, capsys):
    from dangjian.cli import main

    with pytest.raises(CommandError, match="区域“999999”不存在"):
        run("--region", "999999")
    with pytest.raises(SystemExit) as exit_info:  # through the `dangjian` console script
        main(["coverage", "--region", "999999"])
    assert exit_info.value.code != 0
    assert "区域“999999”不存在" in capsys.readouterr().err
