"""Writes of the learning library (the learning helper extends this module)."""
from django.db import transaction

from dangjian.core import audit
from dangjian.learning.models import Content, ContentKind


@transaction.atomic
def publish_replay(actor, meeting) -> Content:
    """A meeting's replay becomes learning content (created once, kept in step with the meeting)."""
    content = Content.objects.filter(meeting=meeting).first() or Content(meeting=meeting, kind=ContentKind.REPLAY,
                                                                         created_by=actor)
    content.title = f"{meeting.get_kind_display()}：{meeting.title}"[:200]
    content.summary = f"{meeting.organization.name} {meeting.held_on or meeting.starts_at.date()}"[:300]
    content.url = meeting.replay_url
    if meeting.replay_file:
        content.file = meeting.replay_file.name
    content.published = True
    creating = content.pk is None
    content.save()
    audit.record(actor, audit.Action.CREATE if creating else audit.Action.UPDATE, content, audit.snapshot(content))
    return content
