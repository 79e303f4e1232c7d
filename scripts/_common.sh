# Shared set-up steps for scripts/demo.sh and scripts/test.sh (sourced, not run).
# Every step checks first and only installs what is missing, so a second run is fast
# and never disturbs a working tree (node_modules is only rebuilt when the lock changed).

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO_ROOT/.venv"
export PIP_DISABLE_PIP_VERSION_CHECK=1
export DEBIAN_FRONTEND=noninteractive

section() {
    printf '\n==== %s ====\n' "$*"
}

die() {
    printf 'ERROR: %s\n' "$*" >&2
    exit 1
}

_apt_updated=0

# ensure_debian_packages PKG...: install the Debian packages that are not installed yet.
ensure_debian_packages() {
    local missing=() pkg
    for pkg in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$pkg")
        fi
    done
    if [ ${#missing[@]} -eq 0 ]; then
        echo "Debian packages present: $*"
        return 0
    fi
    command -v apt-get >/dev/null || die "missing packages (${missing[*]}) and no apt-get: install them by hand"
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || die "missing packages (${missing[*]}): run as root or install them by hand"
        sudo=(sudo -E)
    fi
    echo "Installing Debian packages: ${missing[*]}"
    if [ "$_apt_updated" -eq 0 ]; then
        "${sudo[@]}" apt-get update -q
        _apt_updated=1
    fi
    "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# find_python: print the first python3 (>= 3.11) on PATH.
find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3 python3.13 python3.12 python3.11; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

# ensure_venv: .venv with requirements.lock and the project itself (editable).
ensure_venv() {
    if ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        local python
        python="$(find_python)" || die "Python >= 3.11 not found (set PYTHON=/path/to/python3)"
        echo "Creating $VENV with $python"
        if ! "$python" -m venv "$VENV" 2>/dev/null; then
            # Debian ships venv/ensurepip separately.
            rm -rf "$VENV"
            local minor
            minor="$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
            ensure_debian_packages "python${minor}-venv"
            "$python" -m venv "$VENV" || die "could not create $VENV"
        fi
    fi
    echo "Installing Python packages from requirements.lock"
    "$VENV/bin/python" -m pip install -q -r "$REPO_ROOT/requirements.lock"
    # The editable install only needs redoing when it points elsewhere (a moved or fresh clone).
    if ! (cd / && "$VENV/bin/python" - "$REPO_ROOT" <<'EOF'
import sys, pathlib, dangjian
sys.exit(pathlib.Path(dangjian.__file__).resolve().parents[2] != pathlib.Path(sys.argv[1]).resolve())
EOF
    ) 2>/dev/null || [ ! -x "$VENV/bin/dangjian" ]; then
        echo "Installing the dangjian package (editable)"
        "$VENV/bin/python" -m pip install -q --no-deps -e "$REPO_ROOT"
    fi
}

# ensure_node_modules: npm ci, unless node_modules already matches package-lock.json.
ensure_node_modules() {
    command -v npm >/dev/null || ensure_debian_packages nodejs npm
    if [ ! -f "$REPO_ROOT/package-lock.json" ]; then
        echo "No package-lock.json yet: resolving once with npm install"
        (cd "$REPO_ROOT" && npm install --no-audit --no-fund)
        return
    fi
    if "$VENV/bin/python" - "$REPO_ROOT" <<'EOF'
import json, pathlib, sys
root = pathlib.Path(sys.argv[1])
hidden = root / "node_modules" / ".package-lock.json"
if not hidden.exists():
    sys.exit(1)
want = json.loads((root / "package-lock.json").read_text())["packages"]
have = json.loads(hidden.read_text())["packages"]
want = {k: v.get("version") for k, v in want.items() if k}
have = {k: v.get("version") for k, v in have.items() if k}
sys.exit(want != have or not all((root / k).is_dir() for k in want))
EOF
    then
        echo "node_modules matches package-lock.json"
    else
        echo "Installing front-end assets (npm ci)"
        (cd "$REPO_ROOT" && npm ci --no-audit --no-fund)
    fi
}
