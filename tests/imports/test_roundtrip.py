"""Exports import back: every registry of a demo district, exported unmasked with `dangjian export`, imports in
order into an empty database with `dangjian import` without a single error, and exporting again gives the same
files (CSV byte for byte; xlsx cell by cell, since an xlsx carries the time it was written)."""
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.demo import generate
from dangjian.imports import exporting
from dangjian.members.models import Member
from dangjian.regions.models import Region

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 12, 4, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
ENTITIES = list(exporting.MODELS)  # regions, units, organizations, members: each refers only to earlier ones
KEEP = ("django_content_type", "auth_permission")  # what `migrate` puts into an empty database


def export_all(folder, tag: str) -> dict:
    files = {}
    for entity in ENTITIES:
        for fmt in ("xlsx", "csv"):
            path = folder / f"{tag}-{entity}.{fmt}"
            call_command("export_data", entity, "--format", fmt, "--unmask", "-o", str(path))
            files[entity, fmt] = path
    return files


def cells(path) -> list[tuple]:
    workbook = load_workbook(path, read_only=True)
    try:
        return list(workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()


def empty_database() -> None:
    """Every row of every table gone (inside the test's transaction, which is rolled back afterwards)."""
    with connection.cursor() as cursor:
        for table in connection.introspection.django_table_names(only_existing=True):
            if table not in KEEP:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")


@pytest.mark.parametrize("profile,scale", [("liangping", 1.0), ("fuling", 0.02)])
@time_machine.travel(TODAY, tick=False)
def test_every_registry_of_a_demo_district_exports_and_imports_back(profile, scale, tmp_path, capsys):
    generate(profile, scale=scale)
    first = export_all(tmp_path, "first")
    sizes = {entity: len(cells(first[entity, "xlsx"])) - 1 for entity in ENTITIES}
    assert sizes["members"] == Member.objects.count() and sizes["regions"] == Region.objects.count()
    empty_database()
    assert not Region.objects.exists() and not Member.objects.exists()
    capsys.readouterr()
    for entity in ENTITIES:
        call_command("import_data", entity, str(first[entity, "xlsx"]))
        out = capsys.readouterr().out
        assert f"已导入{sizes[entity]}条" in out, out
    again = export_all(tmp_path, "again")
    for entity in ENTITIES:
        assert again[entity, "csv"].read_bytes() == first[entity, "csv"].read_bytes(), entity
        assert cells(again[entity, "xlsx"]) == cells(first[entity, "xlsx"]), entity


@time_machine.travel(dt.datetime(2026, 12, 4, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_export_file_names_carry_the_local_date_and_time():
    export = exporting.prepare("units", "csv", None, operator=True)
    assert export.filename() == "units-20261204-0030.csv"
    with timezone.override("Europe/London"):  # the user's active time zone, not the server process's
        assert export.filename() == "units-20261203-1630.csv"
