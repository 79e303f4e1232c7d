"""Daily work of service to enterprises (django-tasks; `dangjian serve` enqueues the daily tasks)."""
from django_tasks import task

from dangjian.services.actions import escalate_overdue


@task()
def escalate_overdue_requests() -> int:
    """Overdue requests are escalated to the department head and the district office, once each."""
    return escalate_overdue()
