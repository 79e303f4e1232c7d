"""Change stamps: exact list counts and pages without scanning the list on every request.

A list's total (``count``) over tens of thousands of members costs more than the page itself,
and so does skipping to a deep page (OFFSET reads every row before it). Each stamped table
carries a row in ``core_changestamp`` whose version a database trigger sets to a fresh random
number on every insert, update or delete — whatever wrote (actions, imports, the admin, raw
SQL). A count, or a list's ids in order, is cached per process under its SQL, parameters and
the versions of every table the SQL reads, so it is reused until one of those tables changes.
Random rather than incrementing versions keep a rolled-back transaction's version from being
reused.
"""
import re
import threading
from array import array
from collections import OrderedDict

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections, migrations

CACHE_SIZE = 2048  # entries
CACHE_IDS = 2_000_000  # ids held by all cached id lists together (8 bytes each)
_TABLES = re.compile(r'(?:FROM|JOIN)\s+"(\w+)"')
_cache: OrderedDict = OrderedDict()  # key -> (value, weight)
_held = 0  # total weight in _cache
_lock = threading.Lock()

_SQLITE_TRIGGER = """
CREATE TRIGGER {table}_stamp_{event} AFTER {event} ON "{table}"
BEGIN UPDATE core_changestamp SET version = random() WHERE table_name = '{table}'; END
"""
# PostgreSQL: once per statement, so a bulk insert bumps the version once.
_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION core_bump_changestamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE core_changestamp SET version = floor(random() * 9.2e18)::bigint WHERE table_name = TG_TABLE_NAME;
  RETURN NULL;
END $$
"""
_PG_TRIGGER = """
CREATE TRIGGER {table}_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}"
FOR EACH STATEMENT EXECUTE FUNCTION core_bump_changestamp()
"""
EVENTS = ("INSERT", "UPDATE", "DELETE")


def _add_stamp(table):
    def forward(apps, schema_editor):
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("INSERT INTO core_changestamp (table_name, version) VALUES (%s, 0)", [table])
            if schema_editor.connection.vendor == "postgresql":
                cursor.execute(_PG_FUNCTION)
                cursor.execute(_PG_TRIGGER.format(table=table))
            else:
                for event in EVENTS:
                    cursor.execute(_SQLITE_TRIGGER.format(table=table, event=event))

    def backward(apps, schema_editor):
        with schema_editor.connection.cursor() as cursor:
            if schema_editor.connection.vendor == "postgresql":
                cursor.execute(f'DROP TRIGGER IF EXISTS {table}_stamp ON "{table}"')
            else:
                for event in EVENTS:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_stamp_{event}")
            cursor.execute("DELETE FROM core_changestamp WHERE table_name = %s", [table])

    return forward, backward


def stamp_table(table: str) -> migrations.RunPython:
    """Migration operation: keep ``table``'s change stamp current from now on."""
    forward, backward = _add_stamp(table)
    return migrations.RunPython(forward, backward, elidable=False)


def _versions(connection, tables: tuple[str, ...]):
    """{table: version} for the stamped ones among ``tables``; None if any isn't stamped."""
    with connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(tables))
        cursor.execute(f"SELECT table_name, version FROM core_changestamp WHERE table_name IN ({marks})", tables)
        found = dict(cursor.fetchall())
    return tuple(found[t] for t in tables) if len(found) == len(tables) else None


def stamped(key: tuple, tables: tuple[str, ...], compute, *, using: str = "default", weight=lambda value: 0):
    """``compute()``, answered from this process's cache under ``key`` while ``tables`` are unchanged.

    ``key`` must name everything else the value depends on. Computed every time if a table has no stamp.
    ``weight`` counts a value against CACHE_IDS (an id list's length).
    """
    connection = connections[using]
    versions = _versions(connection, tables) if tables else None
    if versions is None:
        return compute()
    key = (connection.alias, connection.settings_dict["NAME"], key, tables, versions)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key][0]
    # A write committed between reading the versions and computing gives its tables new versions, so
    # this entry is only ever seen by requests that started before that write: nothing stale outlives it.
    value = compute()
    _store(key, value, weight(value))
    return value


def _store(key, value, weight: int) -> None:
    global _held
    with _lock:
        if key in _cache:
            _held -= _cache.pop(key)[1]
        _cache[key] = (value, weight)
        _held += weight
        while len(_cache) > CACHE_SIZE or _held > CACHE_IDS:
            _held -= _cache.popitem(last=False)[1][1]


def _by_sql(kind: str, queryset, compute, weight=lambda value: 0):
    """``compute()`` cached under ``queryset``'s SQL and parameters while the tables it reads are unchanged."""
    try:
        sql, params = queryset.query.sql_with_params()
    except (EmptyResultSet, FullResultSet):  # e.g. an empty scope: Django answers without SQL
        return compute()
    tables = tuple(sorted(set(_TABLES.findall(sql))))
    return stamped((kind, sql, tuple(map(repr, params))), tables, compute, using=queryset.db, weight=weight)


def cached_count(queryset) -> int:
    """``queryset.count()``, answered from this process's cache while the tables it reads are unchanged."""
    return _by_sql("count", queryset.order_by().values("pk"), queryset.count)


def cached_ids(queryset) -> array | None:
    """The (integer) pks of ``queryset`` in its order, cached like ``cached_count`` (a page is a slice of
    them); None when there are more than CACHE_IDS, too many to hold."""
    ordered = queryset.values_list("pk", flat=True)

    def fetch():
        ids = array("q", ordered[:CACHE_IDS + 1])
        return ids if len(ids) <= CACHE_IDS else None

    return _by_sql("ids", ordered, fetch, weight=lambda ids: 0 if ids is None else len(ids))
