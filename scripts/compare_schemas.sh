#!/usr/bin/env bash
# Compare the database the migrations of an older commit build with the one this working
# tree's migrations build: the schema (pg_dump --schema-only) and the reference data.
#
#   scripts/compare_schemas.sh [-v] [OLD_COMMIT]
#
# OLD_COMMIT defaults to 2d7731b, the last commit before the migrations were squashed.
# Both databases are built from nothing on the project's PostgreSQL server (DATABASE_URL,
# or the project-local cluster through scripts/with-db), in databases of their own that
# are dropped at the end; the old tree is extracted with git archive into a temporary
# folder and migrated with this project's .venv.
#
# Schema: pg_dump's objects are compared by name and type, each object's SQL against its
# namesake's. A table's columns are compared as a set: their order is the order they were
# added in, which a squash changes without changing the table. `-v` prints the SQL of each
# object that differs.
#
# Data: every row of the reference tables (ARRS roles, maximum amounts, caps, allocation
# rates, ring-fenced sums, service specifications, requirements, Care Home Premium rates),
# and the content types and permissions, without ids (a foreign key is shown as the code
# it points to). Prints the rows on one side only.
#
# Exit status: 0 when the schema and the data are the same, 1 when they differ.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${DATABASE_URL:-}" ]; then
  exec scripts/with-db "$0" "$@"
fi

verbose=0
if [ "${1:-}" = "-v" ]; then
  verbose=1
  shift
fi
old_ref=${1:-2d7731b}
py=$PWD/.venv/bin/python
work=$(mktemp -d)

# The server's URL for another database name.
url_for() {
  "$py" - "$1" <<'PY'
import os, sys, urllib.parse as u
url = u.urlsplit(os.environ["DATABASE_URL"])
print(u.urlunsplit(url._replace(path="/" + sys.argv[1])))
PY
}
admin=$(url_for postgres)
old_db=compare_schemas_old
new_db=compare_schemas_new

cleanup() {
  for db in "$old_db" "$new_db"; do
    psql "$admin" -X -q -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

build() { # build DB TREE: migrate a fresh database with the tree's migrations, dump it
  local db=$1 tree=$2 url
  url=$(url_for "$db")
  psql "$admin" -X -q -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" 2>/dev/null
  echo "Migrating $db from $tree …"
  (cd "$tree" && DEBUG=true DATABASE_URL=$url "$py" manage.py migrate --noinput) \
    >"$work/$db.log" 2>&1 || {
    cat "$work/$db.log" >&2
    exit 1
  }
  pg_dump --schema-only --no-owner "$url" >"$work/$db.sql"
  psql "$url" -X -q -At -F ' ' >"$work/$db.data.unsorted" <<'SQL'
SELECT 'arrs role', to_jsonb(t) - 'id' FROM workforce_arrsrole t;
SELECT 'maximum amount', to_jsonb(t) - 'id' - 'role_id' || jsonb_build_object('role', r.code)
  FROM workforce_maximumamount t JOIN workforce_arrsrole r ON r.id = t.role_id;
SELECT 'role cap', to_jsonb(t) - 'id' - 'role_id' || jsonb_build_object('role', r.code)
  FROM workforce_rolecap t JOIN workforce_arrsrole r ON r.id = t.role_id;
SELECT 'allocation rate', to_jsonb(t) - 'id' FROM workforce_allocationrate t;
SELECT 'ring-fenced sum', to_jsonb(t) - 'id' - 'role_id' || jsonb_build_object('role', r.code)
  FROM workforce_ringfencedsum t JOIN workforce_arrsrole r ON r.id = t.role_id;
SELECT 'specification', to_jsonb(t) - 'id' FROM services_servicespecification t;
SELECT 'requirement', to_jsonb(t) - 'id' - 'specification_id'
    || jsonb_build_object('specification', s.code)
  FROM services_requirement t JOIN services_servicespecification s ON s.id = t.specification_id;
SELECT 'care home premium rate', to_jsonb(t) - 'id' FROM services_carehomepremiumrate t;
SELECT 'content type', app_label || '.' || model FROM django_content_type;
SELECT 'permission', c.app_label || '.' || p.codename || ' (' || p.name || ')'
  FROM auth_permission p JOIN django_content_type c ON c.id = p.content_type_id;
SQL
  LC_ALL=C sort "$work/$db.data.unsorted" >"$work/$db.data"
}

mkdir "$work/old"
git archive "$old_ref" | tar -x -C "$work/old"
build "$old_db" "$work/old"
build "$new_db" "$PWD"

echo
echo "Migration files (lines): $old_ref $(cd "$work/old" && cat -- */migrations/[0-9_]*.py | wc -l) in" \
  "$(cd "$work/old" && ls -- */migrations/[0-9]*.py | wc -l) migrations;" \
  "this tree $(cat -- */migrations/[0-9_]*.py | wc -l) in $(ls -- */migrations/[0-9]*.py | wc -l) migrations" \
  "(counting the frozen reference data beside them)."
echo
differ=0
"$py" - "$work/$old_db.sql" "$work/$new_db.sql" "$verbose" <<'PY' || differ=1
import difflib
import re
import sys

HEADER = re.compile(r"^--\n-- (Name: .*?; Type: [^;]*); Schema: .*?; Owner: .*\n--\n", re.M)


def objects(path):
    """{'Name: …; Type: …': its SQL} from a pg_dump file."""
    parts = HEADER.split(open(path).read())
    found = {}
    for header, body in zip(parts[1::2], parts[2::2]):
        lines = [
            line
            for line in body.splitlines()
            # Comments, session settings and pg_dump's per-run \restrict keys are not schema.
            if line.strip() and not line.startswith(("--", "SET ", "SELECT pg_catalog", "\\"))
        ]
        if header.endswith("Type: TABLE"):
            lines = [lines[0], *sorted(c.rstrip(",") for c in lines[1:-1]), lines[-1]]
        found[header] = lines
    return found


old, new = objects(sys.argv[1]), objects(sys.argv[2])
verbose = sys.argv[3] == "1"
only_old, only_new = sorted(old.keys() - new.keys()), sorted(new.keys() - old.keys())
changed = sorted(k for k in old.keys() & new.keys() if old[k] != new[k])
print(f"Schema: {len(old)} objects in the old database, {len(new)} in the new; "
      f"{len(old.keys() & new.keys()) - len(changed)} identical.")
for title, keys, side in [("Only in the old", only_old, old), ("Only in the new", only_new, new)]:
    if keys:
        print(f"\n{title} ({len(keys)}):")
        for key in keys:
            print(f"  {key}")
            if verbose:
                print("\n".join(f"      {line}" for line in side[key]))
if changed:
    print(f"\nIn both but different ({len(changed)}):")
    for key in changed:
        print(f"  {key}")
        if verbose:
            for line in difflib.unified_diff(old[key], new[key], "old", "new", lineterm=""):
                print(f"      {line}")
if not (only_old or only_new or changed):
    print("The schemas are the same.")
sys.exit(1 if only_old or only_new or changed else 0)
PY
echo
echo "Data: $(wc -l <"$work/$old_db.data") rows in the old database, $(wc -l <"$work/$new_db.data") in the new."
if diff -q "$work/$old_db.data" "$work/$new_db.data" >/dev/null; then
  echo "The reference data, content types and permissions are the same."
else
  differ=1
  echo "Rows on one side only (< old, > new):"
  diff "$work/$old_db.data" "$work/$new_db.data" | grep '^[<>]' | sed 's/^/  /' || true
fi
exit "$differ"
