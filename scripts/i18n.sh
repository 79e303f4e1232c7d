#!/usr/bin/env bash
# Update and compile the English translation (src/dangjian/locale/en/LC_MESSAGES/django.po/.mo).
#
#   bash scripts/i18n.sh            extract new msgids (makemessages -l en), compile (compilemessages),
#                                   then list the entries that still need an English msgstr
#   bash scripts/i18n.sh --check    change nothing; only report (exit 1 if anything is untranslated,
#                                   fuzzy, or the .mo is older than the .po)
#
# The msgids are the Chinese UI strings (`_("单位名称")`, `{% translate "单位" %}`). After a run that
# reports untranslated entries: fill in their msgstr in django.po (terms: docs glossary), remove any
# "#, fuzzy" flag after checking the guess, and run this script again. The .mo files are committed:
# nothing compiles them at install time.
#
# Idempotent: when no msgid changed, the .po (and so the .mo) stays byte-for-byte the same
# (makemessages' new POT-Creation-Date alone does not count as a change).
# Needs GNU gettext (msgmerge, msgfmt, msgattrib): apt-get install gettext.
#
# Quick look at what is missing, without this script:
#   msgattrib --untranslated --no-obsolete src/dangjian/locale/en/LC_MESSAGES/django.po
#   msgattrib --only-fuzzy --no-obsolete src/dangjian/locale/en/LC_MESSAGES/django.po
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APP="$REPO_ROOT/src/dangjian"
PO="$APP/locale/en/LC_MESSAGES/django.po"
MO="${PO%.po}.mo"
PYTHON="${PYTHON:-$REPO_ROOT/.venv/bin/python}"

for tool in msgmerge msgfmt msgattrib xgettext; do
    command -v "$tool" >/dev/null || { echo "ERROR: $tool not found: install GNU gettext (apt-get install gettext)" >&2; exit 2; }
done
[ -x "$PYTHON" ] || { echo "ERROR: $PYTHON not found: run scripts/test.sh or scripts/demo.sh once to create .venv" >&2; exit 2; }

# Django needs a data dir for its generated secrets; do not create one inside the source tree.
TMP="$(mktemp -d -t dangjian-i18n.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT
export DJANGO_SETTINGS_MODULE=dangjian.settings
export DANGJIAN_DATA_DIR="${DANGJIAN_DATA_DIR:-$TMP/data}"

# report: print the entries without a usable English msgstr; return 1 if there are any.
report() {
    local total untranslated fuzzy
    total="$(msgattrib --no-obsolete --no-wrap "$PO" | grep -c '^msgid ' || true)"
    total=$((total - 1)) # the header entry
    untranslated="$(msgattrib --untranslated --no-obsolete --no-wrap "$PO" | grep -c '^msgid ' || true)"
    fuzzy="$(msgattrib --only-fuzzy --no-obsolete --no-wrap "$PO" | grep -c '^msgid ' || true)"
    # msgattrib keeps the header entry in its output when it has any entry to show.
    [ "$untranslated" -gt 0 ] && untranslated=$((untranslated - 1))
    [ "$fuzzy" -gt 0 ] && fuzzy=$((fuzzy - 1))
    echo "django.po: $total msgids, $untranslated untranslated, $fuzzy fuzzy"
    if [ "$untranslated" -gt 0 ] || [ "$fuzzy" -gt 0 ]; then
        echo
        echo "Entries to translate (or to check and un-fuzzy) in ${PO#"$REPO_ROOT"/}:"
        { msgattrib --untranslated --no-obsolete --no-wrap "$PO"; msgattrib --only-fuzzy --no-obsolete --no-wrap "$PO"; } |
            grep -E '^(#:|msgid )' | grep -v '^msgid ""$' || true
        return 1
    fi
    return 0
}

if [ "${1:-}" = "--check" ]; then
    status=0
    report || status=1
    if [ ! -f "$MO" ] || [ "$PO" -nt "$MO" ]; then
        echo "django.mo is missing or older than django.po: run bash scripts/i18n.sh"
        status=1
    fi
    exit "$status"
fi

cd "$APP"
old=""
if [ -f "$PO" ]; then
    old="$TMP/django.po.old"
    cp -p "$PO" "$old"
fi

echo "Extracting messages (makemessages -l en)"
"$PYTHON" -m django makemessages -l en -i "node_modules/*" -i ".venv/*" -i "static/vendor/*" --no-obsolete --verbosity 0

if [ -n "$old" ] && diff -q <(grep -v '^"POT-Creation-Date:' "$old") <(grep -v '^"POT-Creation-Date:' "$PO") >/dev/null; then
    cp -p "$old" "$PO" # nothing but the date changed: keep the file (and its .mo) as it was
    echo "No msgid changed"
fi

echo "Compiling (compilemessages)"
"$PYTHON" -m django compilemessages -l en -i "node_modules" -i ".venv" --verbosity 0
touch "$MO" # a restored .po keeps its old mtime; the .mo must not look older than it

report
