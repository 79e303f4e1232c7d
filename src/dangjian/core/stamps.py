"""Change stamps: exact list counts without counting every request.

A list's total (``count``) over tens of thousands of members costs more than the page itself.
Each stamped table carries a row in ``core_changestamp`` whose version a database trigger sets
to a fresh random number on every insert, update or delete — whatever wrote (actions, imports,
the admin, raw SQL). A count is cached per process under its SQL, parameters and the versions
of every table the SQL reads, so it is reused until one of those tables changes. Random rather
than incrementing versions keep a rolled-back transaction's version from being reused.
"""
import re
import threading
from collections import OrderedDict

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections, migrations

CACHE_SIZE = 2048
_TABLES = re.compile(r'(?:FROM|JOIN)\s+"(\w+)"')
_cache: OrderedDict = OrderedDict()
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


def cached_count(queryset) -> int:
    """``queryset.count()``, answered from this process's cache while the tables it reads are unchanged."""
    connection = connections[queryset.db]
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except (EmptyResultSet, FullResultSet):  # e.g. an empty scope: Django answers without SQL
        return queryset.count()
    tables = tuple(sorted(set(_TABLES.findall(sql))))
    versions = _versions(connection, tables) if tables else None
    if versions is None:
        return queryset.count()
    key = (connection.alias, connection.settings_dict["NAME"], sql, tuple(map(repr, params)), tables, versions)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    # A write committed between reading the versions and counting gives its tables new versions, so
    # this entry is only ever seen by requests that started before that write: no stale total outlives it.
    count = queryset.count()
    with _lock:
        _cache[key] = count
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return count
