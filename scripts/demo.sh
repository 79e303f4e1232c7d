#!/usr/bin/env bash
# Install what the platform needs (only what is missing), then start the demo:
#   bash scripts/demo.sh [--profile liangping|fuling] [--no-serve] [--host H] [--port P]
# Arguments are passed on to `dangjian demo`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
cd "$REPO_ROOT"

section "Setting up (Debian fonts, Python venv, front-end assets)"
# Chinese fonts for the PDF record books and reports.
ensure_debian_packages fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0  # PDF record books (WeasyPrint)
ensure_venv
ensure_node_modules

section "Starting the demo"
exec "$VENV/bin/dangjian" demo "$@"
