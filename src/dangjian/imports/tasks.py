"""Background tasks (django-tasks; the database backend's worker runs them under `dangjian serve`)."""
from django_tasks import task

from dangjian.imports import jobs


@task()
def validate_import(job_id: int) -> None:
    jobs.run_validation(job_id)


@task()
def commit_import(job_id: int) -> None:
    jobs.run_commit(job_id)
