"""Screenshots of the main pages of a running demo (for the README and for looking at what we build).

    .venv/bin/python scripts/screenshots.py [--base http://127.0.0.1:8000] [--out docs/screenshots]

Logs in as the demo accounts (`dangjian demo`) with Debian's Chromium in headless mode; phone-sized pages for
the member, desktop for staff.
"""
import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

PASSWORD = "Dangjian@2026"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1400, "height": 900}}
SHOTS = [  # (file, user, path, context)
    ("dashboard", "qu_admin", "/coverage/", DESKTOP),
    ("compliance", "qu_admin", "/orglife/compliance/", DESKTOP),
    ("meetings", "shuji", "/orglife/meetings/", DESKTOP),
    ("learning-library", "qu_admin", "/learning/", DESKTOP),
    ("learning-rankings", "qu_admin", "/learning/rankings/", DESKTOP),
    ("member-today", "dangyuan", "/learning/today/", PHONE),
    ("member-meetings", "dangyuan", "/orglife/mine/", PHONE),
    ("services-dashboard", "qu_admin", "/services/dashboard/", DESKTOP),
    ("services-coverage", "qu_admin", "/services/coverage/?propose=1#proposal", DESKTOP),
    ("services-workbench", "zhuqi", "/services/workbench/", DESKTOP),
    ("services-requests", "bumen", "/services/requests/", DESKTOP),
    ("enterprise-requests", "qiye", "/services/requests/", PHONE),
    ("alliances", "qu_admin", "/alliances/", DESKTOP),
    ("alliances-scheme", "qu_admin", "/alliances/schemes/1/", DESKTOP),
    ("alliances-pairs", "qu_admin", "/alliances/pairs/", DESKTOP),
    ("alliances-market", "qiye", "/alliances/market/", DESKTOP),
]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default="docs/screenshots", type=Path)
    parser.add_argument("--only", default="", help="comma-separated file names")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    only = {x for x in args.only.split(",") if x}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"])
        for name, user, path, options in SHOTS:
            if only and name not in only:
                continue
            context = browser.new_context(base_url=args.base, locale="zh-CN", **options)
            page = context.new_page()
            page.goto("/accounts/login/")
            page.fill("input[name=username]", user)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            page.goto(path)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(800)  # charts animate in
            page.screenshot(path=str(args.out / f"{name}.png"))
            print(f"{name}: {page.url}")
            context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
