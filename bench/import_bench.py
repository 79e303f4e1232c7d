"""(c) Importing 60,000 members from an .xlsx file vs only parsing that file with openpyxl.

The file is made here: every row valid (citizen IDs from make_citizen_id with an area code that
existed in the birth year, none already registered, none repeated; branches of the fuling
district whose names are unique; employers by credit code), in the import template's columns.
Each timed import runs the real command (``call_command("import_data", "members", FILE,
user="qu_admin")``, i.e. ``dangjian import members FILE --user qu_admin``) in a separate process
(import_worker.py) on a fresh copy of the benchmark database, which is thrown away afterwards:
the benchmark database itself is never written. The baseline reads every row of the same file
with openpyxl in read-only mode (values only) and does nothing else.
"""
import datetime as dt
import json
import random
import shutil
import subprocess
import sys
import zipfile

from bench_common import ADMIN, BENCH_DIR, DATA_DIR, OUT_DIR, SEED, Figure, Section, Stopwatch, log, median, p95

ROWS = 60_000
TARGET_RPS = 3000
IMPORT_DIR = OUT_DIR / "import-data"
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏"
            "吕丁任沈姚卢钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文")
GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红"
         "建国志文利民辉林德云海燕鹏宇浩晨欣怡梓涵子轩雨婷佳琪思远博文嘉俊")
JOBS = ("技术员", "工程师", "会计", "销售经理", "车间主任", "质检员", "快递员", "店员", "教师", "社工", "经营者",
        "职员")
PLACES = ("重庆市涪陵区", "重庆市丰都县", "重庆市垫江县", "重庆市忠县", "四川省成都市", "重庆市渝中区")


def xlsx_path(rows: int = ROWS):
    return OUT_DIR / f"members-{rows}.xlsx"


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def make_file(rows: int = ROWS, seed: int = SEED):
    """Write the member file (every row valid for qu_admin on the benchmark database)."""
    from bench_data import admin_user
    from cov_bench import district_of
    from django.db.models import Count
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    from dangjian.core import pii
    from dangjian.core.validators import make_citizen_id
    from dangjian.demo.identifiers import code_valid_in
    from dangjian.demo.profiles import get_profile
    from dangjian.imports.entities.members import SPEC
    from dangjian.members.actions import BRANCH_KINDS
    from dangjian.members.models import Category, Education, Gender, Member, MemberStatus
    from dangjian.organizations.models import Organization, OrgStatus
    from dangjian.units.models import Unit

    district = district_of(admin_user())
    under = {"region__path__startswith": district.path}
    names = Organization.objects.values("name").annotate(n=Count("id")).filter(n=1)
    unique_names = set(names.values_list("name", flat=True))
    branches = sorted(n for n in Organization.objects.filter(**under, kind__in=BRANCH_KINDS, status=OrgStatus.ACTIVE)
                      .values_list("name", flat=True) if n in unique_names)
    employers = sorted(Unit.objects.filter(**under).exclude(credit_code="").values_list("credit_code", flat=True))
    registered = set(Member.objects.values_list("id_number_hash", flat=True))
    profile = get_profile("fuling")
    codes = profile.home_codes + profile.other_codes
    today = dt.date.today()
    rng = random.Random(seed)
    issued = set()
    label = {k: str(v) for choices in (Gender.choices, Education.choices, Category.choices, MemberStatus.choices)
             for k, v in choices}
    educations = [e for e, _l in Education.choices]

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SPEC.sheet)
    keys = [c.key for c in SPEC.columns]
    ws.append(SPEC.headers)
    for _ in range(rows):
        male = rng.random() < 0.7
        birth = dt.date(rng.randint(1950, 2004), 1, 1) + dt.timedelta(days=rng.randrange(365))
        areas = [c for c in codes if code_valid_in(c, birth.year)]
        while True:
            number = make_citizen_id(rng.choice(areas), birth, rng.randrange(500) * 2 + (1 if male else 0))
            if number not in issued and pii.blind_index(number) not in registered:
                issued.add(number)
                break
        adult = _years_after(birth, 18)
        formal = rng.random() < 0.92 and adult < today - dt.timedelta(days=400)
        if formal:
            join = adult + dt.timedelta(days=rng.randrange(max(1, (today - dt.timedelta(days=400) - adult).days)))
            confirm = join + dt.timedelta(days=365)
        else:
            join = max(adult, today - dt.timedelta(days=rng.randrange(30, 330)))
            confirm = None
        values = {
            "name": rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
            "gender": label[Gender.MALE if male else Gender.FEMALE],
            "id_number": number,
            "ethnicity": "汉族" if rng.random() < 0.95 else "土家族",
            "birth_date": birth,
            "education": label[rng.choice(educations)],
            "category": label[Category.FORMAL if formal else Category.PROBATIONARY],
            "organization": rng.choice(branches),
            "join_date": join,
            "confirm_date": confirm,
            "job": rng.choice(JOBS),
            "phone": "1" + rng.choice("3578") + "".join(rng.choice("0123456789") for _ in range(9)),
            "household_registration": rng.choice(PLACES),
            "residence": rng.choice(PLACES) + rng.choice(("敦仁街道", "崇义街道", "荔枝街道", "李渡街道")),
            "status": label[MemberStatus.NORMAL],
            "is_mobile": "是" if rng.random() < 0.05 else "否",
            "employer": rng.choice(employers) if rng.random() < 0.6 else None,
            "dues_standard": rng.choice((2, 5, 10, 12.5, 20, 36, 50)),
            "dues_paid_until": f"{today.year - 1}-{rng.randint(1, 12):02d}",
        }
        ws.append([values.get(k) for k in keys])
    path = xlsx_path(rows)
    tmp = path.with_suffix(".tmp.xlsx")
    wb.save(tmp)
    add_dimension(tmp, f"A1:{get_column_letter(len(keys))}{rows + 1}")
    tmp.replace(path)
    return path, {"branches": len(branches), "employers": len(employers)}


def add_dimension(path, ref: str) -> None:
    """Give the sheet the <dimension> element that Excel and WPS always write.

    openpyxl's write-only mode cannot know the size up front and leaves it out; without it,
    openpyxl's read-only loader (the baseline here) parses the whole sheet once just to find its
    size, which a file saved by Excel never costs. The import's reader does not (it only looks
    for <dimension> before <sheetData> and estimates an unsized sheet's rows from its size).
    """
    name = "xl/worksheets/sheet1.xml"
    rewritten = path.with_suffix(".dim.xlsx")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == name:
                if b"<dimension" in data or b"<sheetViews>" not in data:
                    raise SystemExit(f"unexpected sheet XML in {path}")
                data = data.replace(b"<sheetViews>", f'<dimension ref="{ref}" /><sheetViews>'.encode(), 1)
            target.writestr(item, data)
    rewritten.replace(path)


def parse_only(path) -> int:
    """The baseline: every row read with openpyxl (read-only, values only), nothing else done."""
    from openpyxl import load_workbook

    from dangjian.imports.entities.members import SPEC

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = wb[SPEC.sheet].iter_rows(min_row=2, values_only=True)
        count = sum(1 for row in rows if any(v is not None for v in row))
    finally:
        wb.close()
    return count


def import_once(path, rows: int, profile: bool = False) -> dict:
    """One real import in import_worker.py on a throw-away copy of the benchmark database."""
    from bench_data import snapshot_database

    if IMPORT_DIR.exists():
        shutil.rmtree(IMPORT_DIR)
    IMPORT_DIR.mkdir(parents=True)
    for name in ("secret_key", "pii_key"):  # the same keys: the blind index of IDs must match
        shutil.copy2(DATA_DIR / name, IMPORT_DIR / name)
    snapshot_database(IMPORT_DIR / "dangjian.sqlite3")
    command = [sys.executable, str(BENCH_DIR / "import_worker.py"), str(IMPORT_DIR), str(path), ADMIN]
    if profile:
        command.append("--profile")
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=900)
    finally:
        shutil.rmtree(IMPORT_DIR, ignore_errors=True)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"the import worker failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    result = json.loads(lines[-1])
    if result.get("error"):
        raise SystemExit(f"the import was refused: {result['error']}\n{result.get('stderr', '')[:4000]}")
    if result["added"] != rows:
        raise SystemExit(f"the import added {result['added']} members, expected {rows}")
    return result


def run(repeat: int = 3, reuse: bool = False, rows: int = ROWS) -> Section:
    path = xlsx_path(rows)
    made = {}
    if not (reuse and path.exists()):
        log(f"import: writing {rows} member rows to {path} ...")
        with Stopwatch() as w:
            path, made = make_file(rows)
        log(f"import: file written in {w.seconds:.1f} s ({path.stat().st_size // 1024} KiB)")
    parse_times, import_results = [], []
    for i in range(repeat):
        with Stopwatch() as s:
            count = parse_only(path)
        if count != rows:
            raise SystemExit(f"{path} has {count} data rows, expected {rows}")
        parse_times.append(s.seconds)
        result = import_once(path, rows)
        import_results.append(result)
        log(f"import: run {i + 1}: parse {s.seconds:.1f} s; import {result['seconds']:.1f} s "
            f"(validate {result['validate_seconds']:.1f} s, commit {result['commit_seconds']:.1f} s)")
    times = [r["seconds"] for r in import_results]
    imp, parse = median(times), median(parse_times)
    rps = rows / imp
    figure = Figure(
        f"import {rows:,} members (xlsx)",
        f"{rps:,.0f} rows/s ({imp:.1f} s; p95 {p95(times):.1f} s)",
        f"{rows / parse:,.0f} rows/s openpyxl parse only ({parse:.1f} s)",
        f"{imp / parse:.2f}× parse time", f"≥ {TARGET_RPS:,} rows/s", rps >= TARGET_RPS,
        {"import_seconds": times, "parse_seconds": parse_times,
         "validate_seconds": [r["validate_seconds"] for r in import_results],
         "commit_seconds": [r["commit_seconds"] for r in import_results], **made},
    )
    phases = (f"validate {median(figure.details['validate_seconds']):.1f} s, "
              f"commit {median(figure.details['commit_seconds']):.1f} s")
    method = (
        f"A generated {rows:,}-row member file ({path.stat().st_size / 1e6:.1f} MB, all rows valid, new citizen IDs, "
        f"existing branches and employers of the fuling district). Each run imports it with "
        f"`call_command('import_data', 'members', FILE, user='qu_admin')` in a fresh process on a fresh copy of "
        f"the benchmark database (copied with SQLite's backup API, discarded afterwards) and checks that {rows:,} "
        f"members were added; the time covers the whole command (median run: {phases}). Baseline: reading every "
        f"row of the same file with openpyxl `load_workbook(read_only=True)` / `iter_rows(values_only=True)`. "
        f"{repeat} runs of each; medians reported."
    )
    notes = ""
    if not figure.passed:
        log("import: profiling one more import ...")
        report = import_once(path, rows, True)["profile"]
        notes = f"**Where the time goes** (cProfile of one import):\n\n```\n{report}\n```\n"
    return Section("import", "Member import from Excel", [figure], method, notes)
