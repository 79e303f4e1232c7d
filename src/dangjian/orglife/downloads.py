"""Meeting files and replays, served by core.files to whoever the meeting page shows them to."""
from dangjian.core.files import register
from dangjian.orglife.models import Meeting, MeetingFile


def _meeting_file(user, pk):
    # The page lists a meeting's photos and attachments to those who manage the meeting only.
    return MeetingFile.objects.get_for_user(pk, user, for_write=True)


def _replay(user, pk):
    return Meeting.objects.get_for_user(pk, user)


register("meeting-file", "file", _meeting_file, filename=lambda f: f.name)
register("meeting-replay", "replay_file", _replay)
