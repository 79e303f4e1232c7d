"""The results: a table on the terminal, and docs/performance.md's generated part.

docs/performance.md keeps anything written by hand outside the markers
``<!-- bench:begin -->`` / ``<!-- bench:end -->``. Inside them each benchmark has its own block
(``<!-- bench:KEY:begin -->`` ... ``<!-- bench:KEY:end -->``); a run replaces only the blocks of
the benchmarks it ran (``--only``), so later benchmarks can add blocks of their own.
"""
import re

from bench_common import REPO_ROOT, Section

DOC = REPO_ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
ORDER = ("coverage", "api", "import", "orglife", "services", "alliances")
HEADERS = ["figure", "measured", "baseline", "ratio", "target", "result"]

INTRO = """# Performance

What the platform must sustain on one small server (a district on SQLite), how it is measured,
and the latest figures. Run the benchmarks with `.venv/bin/python bench/run.py` (see
`bench/README.md`); they are not part of the test run. Each figure is compared with a baseline
measured in the same run on the same machine, because these machines are shared and noisy:
the ratio travels better than the absolute number.

The part between the markers below is written by `bench/run.py`; edit outside it.
"""


def table(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def section_markdown(section: Section) -> str:
    m = section.machine
    machine = (f"Run {m['date']} on {m['platform']}: {m['nproc']} cores, Python {m['python']}, SQLite {m['sqlite']}; "
               f"load average {' / '.join(map(str, m['loadavg_at_start']))} at the start of the run"
               f" (other work on this shared machine adds noise).")
    data = m.get("data")
    if data:
        machine += (f" Data: demo profile `fuling`, seed 2026 — {data['units']:,} units, {data['organizations']:,} "
                    f"organisations, {data['members']:,} members.")
    parts = [f"<!-- bench:{section.key}:begin -->", f"### {section.title}", "", machine, "",
             table([f.row() for f in section.figures]), "", "**How:** " + section.method, ""]
    if section.notes:
        parts += [section.notes.rstrip(), ""]
    parts.append(f"<!-- bench:{section.key}:end -->")
    return "\n".join(parts)


def write_doc(sections: list[Section]) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else INTRO
    if BEGIN not in text or END not in text:
        text = text.rstrip() + f"\n\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    inside, tail = rest.split(END, 1)
    block = re.compile(r"<!-- bench:([\w-]+):begin -->.*?<!-- bench:\1:end -->", re.S)
    blocks = {m.group(1): m.group(0) for m in block.finditer(inside)}
    for section in sections:
        blocks[section.key] = section_markdown(section)
    ordered = [k for k in ORDER if k in blocks] + sorted(k for k in blocks if k not in ORDER)
    body = "\n## Latest benchmark results\n\n" + "\n\n".join(blocks[k] for k in ordered) + "\n"
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(head + BEGIN + "\n" + body + END + tail, encoding="utf-8")


def print_summary(sections: list[Section]) -> None:
    rows = [f.row() for s in sections for f in s.figures]
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(HEADERS)]
    line = "  ".join(h.ljust(w) for h, w in zip(HEADERS, widths))
    print(line)
    print("-" * len(line))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)))
