"""The English translation: complete, compiled, and actually used by the pages, the CLI and the validators.

The msgids are the Chinese UI strings; src/dangjian/locale/en holds their English. `bash scripts/i18n.sh`
extracts new msgids and compiles the .mo; these tests fail when a string is missing, untranslated,
fuzzy, has lost a placeholder, or when the committed .mo no longer matches the .po.
"""
import ast
import gettext
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation.template import templatize

from dangjian.core.validators import validate_citizen_id, validate_credit_code, validate_phone
from dangjian.members.models import Member
from dangjian.organizations.models import Organization
from dangjian.regions.models import Region
from dangjian.units.industry import DIVISIONS, SECTIONS
from dangjian.units.models import Unit

SRC = Path(settings.REPO_ROOT) / "src" / "dangjian"
PO = SRC / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrs%]")


# ---------------------------------------------------------------- a small .po reader


def read_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (str, or list for plurals), flags."""
    entries, entry, field = [], None, None

    def finish():
        if entry and "msgid" in entry:
            entries.append(entry)

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if not line:
            finish()
            entry, field = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "obsolete": False, "msgstr": None}
        if line.startswith("#~"):
            entry["obsolete"] = True
            continue
        if line.startswith("#,"):
            entry["flags"] |= {f.strip() for f in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$', line)
        if match:
            keyword, index, text = match.groups()
            value = ast.literal_eval(text)
            if index is not None:
                entry["msgstr"] = entry["msgstr"] or []
                entry["msgstr"].append(value)
                field = ("msgstr", int(index))
            else:
                entry[keyword] = value
                field = (keyword, None)
            continue
        assert line.startswith('"'), f"unexpected line in {path.name}: {line!r}"
        keyword, index = field
        if index is None:
            entry[keyword] += ast.literal_eval(line)
        else:
            entry["msgstr"][index] += ast.literal_eval(line)
    return entries


@pytest.fixture(scope="module")
def po_entries():
    entries = [e for e in read_po(PO) if not e["obsolete"] and e["msgid"]]
    assert len(entries) > 500, "the English .po looks empty"
    return entries


def _key(entry):
    return (entry.get("msgctxt"), entry["msgid"])


# ---------------------------------------------------------------- the catalogue itself


def test_po_header_is_english_with_english_plural_rule():
    header = next(e for e in read_po(PO) if e["msgid"] == "")
    assert "fuzzy" not in header["flags"]
    assert "Language: en\n" in header["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["msgstr"]


def test_every_msgid_has_an_english_translation(po_entries):
    problems = []
    for e in po_entries:
        if "fuzzy" in e["flags"]:
            problems.append(("fuzzy", e["msgid"]))
        strings = e["msgstr"] if isinstance(e["msgstr"], list) else [e["msgstr"]]
        if "msgid_plural" in e and len(strings) != 2:
            problems.append(("needs 2 plural forms", e["msgid"]))
        if any(not s for s in strings):
            problems.append(("empty", e["msgid"]))
        elif any(CJK.search(s) for s in strings) and not _cjk_allowed(e["msgid"], strings):
            problems.append(("still Chinese", e["msgid"]))
    assert not problems, "run `bash scripts/i18n.sh` and translate:\n" + "\n".join(map(str, problems))


def _cjk_allowed(msgid, strings):
    """Chinese is fine where the English must quote Chinese input (import formats, examples, native names)."""
    if msgid == "简体中文":
        return True
    return all(CJK.search(s) is None or any(x in msgid for x in CJK.findall(s)) for s in strings)


def test_placeholders_survive_translation(po_entries):
    wrong = []
    for e in po_entries:
        wanted = sorted(PLACEHOLDER.findall(e["msgid"]))
        strings = e["msgstr"] if isinstance(e["msgstr"], list) else [e["msgstr"]]
        for s in strings:
            if sorted(PLACEHOLDER.findall(s)) != wanted:
                wrong.append((e["msgid"], s))
    assert not wrong, "\n".join(f"{m!r} -> {s!r}" for m, s in wrong)


def test_compiled_mo_matches_the_po(po_entries):
    with MO.open("rb") as fh:
        mo = gettext.GNUTranslations(fh)
    stale = []
    for e in po_entries:
        if "msgid_plural" in e:
            got = [mo.ngettext(e["msgid"], e["msgid_plural"], n) for n in (1, 2)]
            if e.get("msgctxt"):
                got = [mo.npgettext(e["msgctxt"], e["msgid"], e["msgid_plural"], n) for n in (1, 2)]
        elif e.get("msgctxt"):
            got = mo.pgettext(e["msgctxt"], e["msgid"])
        else:
            got = mo.gettext(e["msgid"])
        if got != e["msgstr"]:
            stale.append(e["msgid"])
    assert not stale, f"django.mo is stale ({len(stale)} entries); run `bash scripts/i18n.sh`: {stale[:5]}"


# ---------------------------------------------------------------- every marked string is in the catalogue

STRING = r"""u?(?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")"""
TEMPLATE_CALLS = [
    (re.compile(rf"\b(?:gettext|_)\(\s*({STRING})\s*\)"), lambda m: (None, m[1])),
    (re.compile(rf"\bngettext\(\s*({STRING})\s*,\s*{STRING}\s*,\s*count\s*\)"), lambda m: (None, m[1])),
    (re.compile(rf"\bpgettext\(\s*({STRING})\s*,\s*({STRING})\s*\)"), lambda m: (m[1], m[2])),
    (re.compile(rf"\bnpgettext\(\s*({STRING})\s*,\s*({STRING})\s*,\s*{STRING}\s*,\s*count\s*\)"), lambda m: (m[1], m[2])),
]
# xgettext's keywords for Python plus Django's and this project's (_lazy: see core/management/commands/makemessages.py)
PY_KEYWORDS = {"_", "_lazy", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
PY_CONTEXT_KEYWORDS = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}


def _source_files(suffix):
    for path in SRC.rglob(f"*{suffix}"):
        parts = path.relative_to(SRC).parts
        if parts[0] in ("static", "locale") or "node_modules" in parts:
            continue
        yield path


def _template_msgids(path):
    out = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    for pattern, pick in TEMPLATE_CALLS:
        for match in pattern.finditer(out):
            context, msgid = pick(match)
            yield (ast.literal_eval(context) if context else None), ast.literal_eval(msgid)


def _python_msgids(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args]
        if name in PY_KEYWORDS and args[0]:
            yield None, args[0]
        elif name in PY_CONTEXT_KEYWORDS and len(args) > 1 and args[0] and args[1]:
            yield args[0], args[1]


def test_every_marked_ui_string_is_translated(po_entries):
    translated = {_key(e) for e in po_entries if e["msgstr"] and "fuzzy" not in e["flags"]}
    found = {}
    for path in _source_files(".html"):
        for key in _template_msgids(path):
            found.setdefault(key, path.relative_to(SRC))
    for path in _source_files(".py"):
        for key in _python_msgids(path):
            found.setdefault(key, path.relative_to(SRC))
    assert len(found) > 500, "the source scan found too few strings: is the scanner broken?"
    missing = sorted((str(where), msgid) for (ctx, msgid), where in found.items() if (ctx, msgid) not in translated)
    assert not missing, "not in the English .po (run `bash scripts/i18n.sh`, then translate):\n" + "\n".join(
        f"  {where}: {msgid!r}" for where, msgid in missing
    )


# ---------------------------------------------------------------- pages in English

# Reference data that is Chinese in every language: GB/T 4754 industry names, plus the language's own name.
REFERENCE_DATA = [*SECTIONS.values(), *DIVISIONS.values(), "简体中文"]


def chinese_ui_left(html: str) -> list[str]:
    """Chinese text left on a page once the records' own names (Chinese data) are taken out."""
    data = [
        *Region.objects.values_list("name", flat=True), *Unit.objects.values_list("name", flat=True),
        *Organization.objects.values_list("name", flat=True), *Member.objects.values_list("name", flat=True),
        *Member.objects.values_list("ethnicity", flat=True), *REFERENCE_DATA,
    ]
    for name in sorted({d for d in data if d}, key=len, reverse=True):
        html = html.replace(name, "")
    html = re.sub(r"<!--.*?-->", "", html, flags=re.S)
    return CJK.findall(html)


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_login_page_follows_accept_language(client, db):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    assert '<html lang="en">' in html
    for text in ("Log in to the Smart Party-Building Platform", "Username", "Password", ">Log in</button>"):
        assert text in html
    assert chinese_ui_left(html) == []

    chinese = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "登录智慧党建平台" in chinese and "Username" not in chinese


def test_failed_login_is_explained_in_english(client, world):
    response = client.post(reverse("login"), {"username": "qu", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Please enter a correct username and password" in html
    assert chinese_ui_left(html) == []


def test_unit_list_in_english(english, world):
    english.force_login(world.users.district)
    response = english.get(reverse("units:list"))
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Unit name", "Employees", ">Coverage<", "Party organisations", "Log out", "Filter"):
        assert text in html, text
    for text in ("单位名称", "从业人员", "两个覆盖", "退出", "筛选"):
        assert text not in html, text
    assert world.units.jia.name in html  # the data stays as entered
    assert chinese_ui_left(html) == []


def test_coverage_dashboard_in_english(english, world):
    english.force_login(world.users.district)
    response = english.get(reverse("coverage:dashboard"))
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Two coverages", "Organisational coverage rate", "Work coverage rate", "Blank spots",
                 "Operating units (denominator)", "Export to Excel", "Send a party-building instructor"):
        assert text in html, text
    for text in ("两个覆盖", "组织覆盖率", "空白点", "在营单位", "导出 Excel", "选派党建指导员"):
        assert text not in html, text
    assert chinese_ui_left(html) == []


def test_language_selector_switches_the_session_to_english(client, world):
    client.force_login(world.users.district)
    assert "两个覆盖" in client.get(reverse("coverage:dashboard")).content.decode()  # Chinese by default
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("units:list")}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("units:list")
    assert "Unit name" in html and "单位名称" not in html
    assert "Two coverages" in client.get(reverse("coverage:dashboard")).content.decode()


# ---------------------------------------------------------------- the CLI and the validators

DANGJIAN = Path(sys.executable).with_name("dangjian")


def run_cli(args, tmp_path, **env):
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DANGJIAN_LANG", "LANG")}
    base.update(DANGJIAN_DATA_DIR=str(tmp_path), **env)
    return subprocess.run([str(DANGJIAN), *args], env=base, capture_output=True, text=True, timeout=120)


def test_cli_help_in_english(tmp_path):
    result = run_cli(["--help"], tmp_path, DANGJIAN_LANG="en")
    assert result.returncode == 0, result.stderr
    assert "Usage: dangjian <command>" in result.stdout
    assert "Start the web server (gunicorn) and the background task worker" in result.stdout
    assert "Compute the “two coverages” statistics and list blank spots" in result.stdout
    assert CJK.findall(result.stdout) == []


@pytest.mark.parametrize("name", ["demo", "serve", "import", "export", "coverage"])
def test_cli_subcommand_help_in_english(tmp_path, name):
    result = run_cli([name, "--help"], tmp_path, LANG="en_GB.UTF-8")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: dangjian {name}")
    # Chinese may only appear quoted from the Chinese data or formats the command accepts
    leftovers = [w for w in CJK.findall(result.stdout) if w not in ("梁平", "涪陵")]
    assert leftovers == [], result.stdout


def test_cli_errors_in_english(tmp_path):
    result = run_cli(["frobnicate"], tmp_path, DANGJIAN_LANG="en")
    assert result.returncode == 2
    assert "unknown command “frobnicate”" in result.stderr
    assert CJK.findall(result.stderr) == []


@pytest.mark.parametrize(
    "check, value, english",
    [
        (validate_credit_code, "91500155", "The unified social credit code must have 18 characters, not 8"),
        (validate_credit_code, "91500155MA5UABCD1I", "contains the invalid character “I”"),
        (validate_citizen_id, "50015519900517001", "The ID card number must have 18 characters, not 17"),
        (validate_citizen_id, "500155199005170010", "The check digit of the ID card number is wrong"),
        (validate_citizen_id, "509999199001010111", "The area code 509999 in the ID card number does not exist"),
        (validate_citizen_id, "512224199501010114", "area code 512224 in the ID card number no longer existed in or "
                                                    "after the birth year 1995"),
        (validate_phone, "12345", "Invalid phone number"),
    ],
)
def test_validation_messages_in_english(check, value, english):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        check(value)
    message = caught.value.messages[0]
    assert english in message
    assert not CJK.search(message)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        check(value)
    assert CJK.search(caught.value.messages[0])  # the same check still speaks Chinese by default
