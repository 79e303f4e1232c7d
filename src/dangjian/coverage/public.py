"""What other apps may use of coverage (the capability apps talk to each other only through these modules; the
import-linter contracts in pyproject.toml check it): the party-building instructor's work link to a unit, kept by
the services app's assignments."""
from dangjian.coverage.models import WorkLink, WorkLinkKind


def open_instructor_link(unit, user, person_name, start) -> None:
    """An open instructor work link from ``user`` to ``unit``, unless there is one already."""
    if not WorkLink.objects.filter(unit=unit, kind=WorkLinkKind.INSTRUCTOR, user=user, end__isnull=True).exists():
        WorkLink.objects.create(unit=unit, kind=WorkLinkKind.INSTRUCTOR, person_name=person_name, user=user,
                                start=start)


def close_instructor_links(unit, user, end) -> None:
    """End ``user``'s open instructor work links to ``unit`` on ``end``."""
    WorkLink.objects.filter(unit=unit, kind=WorkLinkKind.INSTRUCTOR, user=user, end__isnull=True).update(end=end)
