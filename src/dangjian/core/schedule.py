"""Recurring background work. `dangjian serve` enqueues these once at start and then daily;
the database task worker runs them. Each task must be safe to run more than once a day."""
from django.utils.module_loading import import_string

DAILY_TASKS = [
    "dangjian.coverage.tasks.monthly_snapshot",  # refreshes this month's and last month's figures
    "dangjian.orglife.tasks.send_reminders",  # meetings owed before the period ends; meetings tomorrow
    "dangjian.services.tasks.escalate_overdue_requests",  # requests past their deadline → head, district office
]
DAY_SECONDS = 24 * 3600


def enqueue_daily() -> list[str]:
    enqueued = []
    for path in DAILY_TASKS:
        import_string(path).enqueue()
        enqueued.append(path)
    return enqueued
