"""The reader process: a workbook parsed by a separate Python process with a memory limit.

Started as ``python -m`` this module (not multiprocessing: nothing of the parent, its __main__,
database connections or threads is copied or re-imported). Its address space is capped with
RLIMIT_AS before the workbook is opened, so a file that passed the archive checks but still
inflates into too much (millions of strings, a huge row) ends the reader with a MemoryError,
not the web or task worker; its memory is returned to the system when it exits.

Protocol (pickles on the reader's stdout, one JSON line on its stdin):
  reader -> {"title", "header_row", "header", "max_row", "max_column", "estimate"}
  parent -> {"wanted": {column index: key}, "first_row": n}    (or closes stdin: done)
  reader -> [(row number, {key: value}), ...] batches, then None
Any failure is ("error", kind, detail) with kind "memory", "file" or "other"; the parent turns
it into a FileProblem in the user's language.
"""
import json
import os
import pickle
import resource
import subprocess
import sys
import zipfile

from django.utils.translation import gettext as _
from openpyxl.utils.exceptions import InvalidFileException

from dangjian.imports.reader import FileProblem, _estimate_rows, _iter_cells, find_header, load_workbook

BATCH = 1000
MB = 1024 * 1024
LOAD_ERRORS = (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError)


class ReaderProcess:
    """The parent's end: start the reader on ``path``; ``info`` is the sheet it chose and its header row."""

    def __init__(self, path: str, sheet: str, memory_mb: int):
        self.memory_mb = memory_mb
        spec = json.dumps({"path": path, "sheet": sheet, "memory_mb": memory_mb})
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        self.process = subprocess.Popen([sys.executable, "-m", __name__, spec], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        try:
            self.info = self._receive()
        except BaseException:
            self.close()
            raise

    def _receive(self):
        try:
            message = pickle.load(self.process.stdout)
        except EOFError:
            code = self.process.wait(timeout=10)
            raise FileProblem(_("读取文件时出错：读取进程意外退出（代码%(code)s），文件可能过大或已损坏，未导入任何数据")
                              % {"code": code}) from None
        if isinstance(message, tuple) and message[:1] == ("error",):
            raise self._problem(*message[1:])
        return message

    def _problem(self, kind: str, detail: str) -> FileProblem:
        if kind == "memory":
            return FileProblem(_("文件内容解压后过大，读取时超出了内存上限（%(mb)d MB），未导入任何数据：请分成几个较小的文件导入")
                               % {"mb": self.memory_mb})
        if kind == "file":
            return FileProblem(_("无法打开文件：不是有效的 Excel（.xlsx）文件，或文件已损坏"))
        return FileProblem(_("读取文件时出错：%(e)s") % {"e": detail})

    def rows(self, wanted: dict, first_row: int):
        """(row number, {key: value}) of the non-empty rows from first_row on, for the columns wanted."""
        try:
            self.process.stdin.write(json.dumps({"wanted": wanted, "first_row": first_row}).encode() + b"\n")
            self.process.stdin.close()
        except OSError:
            pass  # the reader has gone: _receive() says why
        while (batch := self._receive()) is not None:
            yield from batch

    def close(self) -> None:
        for pipe in (self.process.stdin, self.process.stdout):
            try:
                pipe.close()
            except OSError:
                pass
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)


def _serve(spec: dict, out, inp) -> None:
    try:
        workbook = load_workbook(spec["path"])
    except LOAD_ERRORS:
        pickle.dump(("error", "file", ""), out)
        return
    names = workbook.sheetnames
    ws = workbook[spec["sheet"]] if spec["sheet"] in names else workbook[names[0]]
    header_row, header = find_header(ws)
    pickle.dump({"title": ws.title, "header_row": header_row, "header": header, "max_row": ws.max_row,
                 "max_column": ws.max_column, "estimate": None if ws.max_row else _estimate_rows(ws)}, out)
    out.flush()
    line = inp.readline()
    if not line:
        return
    request = json.loads(line)
    wanted = {int(k): v for k, v in request["wanted"].items()}
    batch = []
    for number, cells in _iter_cells(ws, wanted, request["first_row"]):
        if cells:
            batch.append((number, cells))
            if len(batch) >= BATCH:
                pickle.dump(batch, out, pickle.HIGHEST_PROTOCOL)
                batch = []
    pickle.dump(batch, out, pickle.HIGHEST_PROTOCOL)
    pickle.dump(None, out)


def main(spec: dict, out, inp) -> None:
    if spec.get("memory_mb"):
        limit = spec["memory_mb"] * MB
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    failure = None
    try:
        _serve(spec, out, inp)
    except MemoryError:  # reported after the except block, once the traceback (and the parsed data) is freed
        failure = ("error", "memory", "")
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises FileProblem
        kind = "memory" if "memory" in str(exc).lower() else "other"
        failure = ("error", kind, f"{type(exc).__name__}: {exc}")
    try:
        if failure:
            pickle.dump(failure, out)
        out.flush()
    except (BrokenPipeError, MemoryError):
        pass  # the parent stopped listening, or no memory left to say why: it sees the reader exit


if __name__ == "__main__":
    main(json.loads(sys.argv[1]), sys.stdout.buffer, sys.stdin.buffer)
