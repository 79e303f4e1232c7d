"""makemessages that also extracts strings marked with `_lazy("…")`.

Some modules import gettext_lazy under the name `_lazy` (next to `gettext as _`); xgettext only
knows Django's standard names, so without this their strings would never reach the .po file.
"""
from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_lazy"]
