"""Benchmarks of the real code paths, each against a baseline measured in the same run.

    .venv/bin/python bench/run.py [--only coverage,api,import] [--reuse]

  coverage  GET /coverage/ as the district admin vs hand-written SQL for its data (cube + blank-spot page)
  api       GET /api/v1/members pages under 20 concurrent clients vs a bare JSON view, same gunicorn
  import    `dangjian import members` of a 60,000-row xlsx vs parsing that file with openpyxl
  orglife   the district compliance roll-up vs its raw SQL; today's study page for 50 members at once
  services  an assignment suggestion for every unit from scratch (time, memory); the request dashboard vs its SQL
  alliances linkage-group proposals for 158 and ~20,000 units; matching one need against 10,000 resources

Uses its own data dir, bench/out/data (DANGJIAN_DATA_DIR; DATABASE_URL is ignored): migrates and
builds the `fuling` demo district there (~1 min), or with --reuse keeps the one already there.
Writes docs/performance.md (between its bench markers), bench/out/results.json, and prints a
summary table. Exit status 0 even when a target is missed (it is a measurement, not a test);
1 when a benchmark could not run. See bench/README.md.
"""
import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_common import OUT_DIR, log, machine  # noqa: E402

BENCHMARKS = ("coverage", "api", "import", "orglife", "services", "alliances")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=",".join(BENCHMARKS),
                        help="comma-separated benchmarks to run: coverage, api, import, orglife, services, alliances (default: all)")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the data (and the generated xlsx) in bench/out/ from an earlier run")
    parser.add_argument("--no-doc", action="store_true", help="do not update docs/performance.md")
    args = parser.parse_args(argv)
    args.only = [x.strip() for x in args.only.split(",") if x.strip()]
    unknown = set(args.only) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}; choose from {', '.join(BENCHMARKS)}")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    facts = machine()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    from bench_data import build

    data = build(args.reuse)
    facts["data"] = {k: data[k] for k in ("units", "organizations", "members")}
    sections = []
    for name in args.only:
        log(f"== {name} ==")
        if name == "coverage":
            import cov_bench

            section = cov_bench.run()
        elif name == "api":
            import api_bench

            section = api_bench.run()
        elif name == "orglife":
            import orglife_bench

            section = orglife_bench.run()
        elif name == "services":
            import services_bench

            section = services_bench.run()
        elif name == "alliances":
            import alliances_bench

            section = alliances_bench.run()
        else:
            import import_bench

            section = import_bench.run(reuse=args.reuse and not data["created"])
        section.machine = facts
        sections.append(section)

    from bench_report import DOC, print_summary, write_doc

    (OUT_DIR / "results.json").write_text(json.dumps(
        {"machine": facts, "data": data, "sections": [
            {"key": s.key, "title": s.title, "figures": [f.as_dict() for f in s.figures]} for s in sections]},
        ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    if not args.no_doc:
        write_doc(sections)
    print()
    print_summary(sections)
    print(f"\n{sum(f.passed for s in sections for f in s.figures)} of {sum(len(s.figures) for s in sections)} "
          f"targets met; total {time.perf_counter() - started:.0f} s"
          + ("" if args.no_doc else f"; written to {DOC.relative_to(DOC.parents[1])}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
