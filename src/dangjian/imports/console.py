"""Terminal output shared by the import and export commands: progress and the error table."""
import time
import unicodedata

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from dangjian.imports.models import Phase


def phase_label(phase) -> str:
    return {Phase.READING: _("读取文件"), Phase.CHECKING: _("校验数据"), Phase.WRITING: _("写入数据库")}.get(phase, "")


class ProgressPrinter:
    """On a terminal one line updating in place; otherwise a line per 10% (for logs and pipes)."""

    def __init__(self, stream, interval: float = 0.2):
        self.stream = stream
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.interval = interval
        self._last_time = 0.0
        self._last_step: dict = {}
        self._open_line = False

    def __call__(self, phase, done: int, total: int | None) -> None:
        label = phase_label(phase)
        if total:
            percent = min(100, int(100 * done / total))
            line = _("%(label)s：%(p)3d%%（%(done)d/%(total)d 行）") % {
                "label": label, "p": percent, "done": done, "total": total}
        else:
            percent = None
            line = _("%(label)s：已处理 %(done)d 行") % {"label": label, "done": done}
        finished = bool(total) and done >= total
        if self.tty:
            now = time.monotonic()
            if finished or now - self._last_time >= self.interval:
                self._last_time = now
                self._write("\r" + line + ("\n" if finished else ""))
                self._open_line = not finished
            return
        step = percent // 10 if percent is not None else done // 10_000
        if step > self._last_step.get(phase, -1) and (done or finished):
            self._last_step[phase] = step
            self._write(line + "\n")

    def _write(self, text: str) -> None:
        self.stream.write(text, ending="") if hasattr(self.stream, "style_func") else self.stream.write(text)
        self.stream.flush()

    def close(self) -> None:
        if self._open_line:
            self._write("\n")
            self._open_line = False


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def issue_table(issues) -> str:
    """行 列 错误, aligned for CJK terminals."""
    head = (_("行"), _("列"), _("错误"))
    rows = [(str(i.row or ""), i.column or "—", i.message) for i in issues]
    w_row = max(display_width(r[0]) for r in rows + [head])
    w_col = max(display_width(r[1]) for r in rows + [head])
    lines = [f"{pad(head[0], w_row)}  {pad(head[1], w_col)}  {head[2]}",
             f"{'-' * w_row}  {'-' * w_col}  {'-' * 8}"]
    lines += [f"{pad(r[0], w_row)}  {pad(r[1], w_col)}  {r[2]}" for r in rows]
    return "\n".join(lines)


def get_user(username: str | None):
    """--user USERNAME -> the user (None when not given: the operator, acting on everything)."""
    if not username:
        return None
    User = get_user_model()
    try:
        user = User.objects.get(username=username)
    except User.DoesNotExist:
        raise CommandError(_("找不到用户“%(u)s”") % {"u": username}) from None
    if not user.is_active:
        raise CommandError(_("用户“%(u)s”已停用") % {"u": username})
    return user
