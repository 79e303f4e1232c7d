"""One timed member import, in its own process: import_worker.py DATA_DIR FILE USERNAME [--profile]

Runs the real `dangjian import members FILE --user USERNAME` (call_command("import_data", ...))
against DATA_DIR (a throw-away copy made by import_bench.py) and prints one JSON line: seconds,
the validate / commit split (timed around the pipeline functions the command calls), the members
added, and with --profile where the time went.
"""
import io
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_data import prepare_environment  # noqa: E402


def main(data_dir: str, path: str, username: str, with_profile: bool) -> dict:
    prepare_environment(Path(data_dir))
    import django

    django.setup()
    from django.core.management import CommandError, call_command

    from dangjian.imports import pipeline
    from dangjian.members.models import Member

    phases = {"validate": 0.0, "commit": 0.0}

    def timed(name, fn):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                phases[name] += time.perf_counter() - started
        return wrapper

    pipeline.validate = timed("validate", pipeline.validate)  # the command calls pipeline.validate / .commit
    pipeline.commit = timed("commit", pipeline.commit)
    before = Member.objects.count()
    out, err = io.StringIO(), io.StringIO()

    def command():
        call_command("import_data", "members", path, user=username, stdout=out, stderr=err)

    started = time.perf_counter()
    report = ""
    try:
        if with_profile:
            from bench_profile import format_stats, run_profiled

            stats = run_profiled(command)
            report = (format_stats(stats, top=25) + "\n\n"
                      + format_stats(stats, top=15, only="", by="own"))
        else:
            command()
    except CommandError as exc:
        return {"error": str(exc), "stderr": err.getvalue()}
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "validate_seconds": phases["validate"], "commit_seconds": phases["commit"],
            "added": Member.objects.count() - before, "output": out.getvalue().strip(), "profile": report}


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 3:
        sys.exit(__doc__)
    print(json.dumps(main(*args, with_profile="--profile" in sys.argv), ensure_ascii=False))
