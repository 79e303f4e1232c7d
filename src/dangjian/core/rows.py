"""Rows of aggregate queries read without Django's per-value converters: on dashboards over thousands of rows
those cost more than the query itself. The SQL is still the ORM's (scoped, portable); only the reading differs."""
import datetime as dt


def plain_rows(queryset) -> list:
    """The rows of a values_list() query without Django's per-value converters, which cost more than the query
    itself on a dashboard's thousands of rows. Datetimes come as the driver gives them: naive UTC on SQLite
    (Django stores UTC there), aware on PostgreSQL; see ``db_time``."""
    from django.core.exceptions import EmptyResultSet
    from django.db import connections

    try:
        sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:  # a filter that can match nothing (e.g. a scope without these rows): no SQL to run
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def db_time(moment: dt.datetime, aware: bool) -> dt.datetime:
    """An aware moment in the form ``plain_rows`` returns datetimes in, so that the two compare."""
    return moment if aware else moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
