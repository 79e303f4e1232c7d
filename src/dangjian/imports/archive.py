"""Look inside an .xlsx (a zip archive) before anything parses it: refuse zip bombs.

A 799 KB file with 2 million shared strings took a web worker to 626 MB: the upload limit
bounds only the compressed size. Here the archive's own directory is checked (entry count,
each entry's and the total uncompressed size, the compression ratio of big entries) and the
shared strings are counted by streaming through them in small pieces, so the check itself
needs little memory. Python's zipfile never inflates an entry beyond the size its directory
states, so a directory that lies about sizes gains nothing.

What passes may still be large: ``reader.open_sheet`` parses anything bigger than
``in_process_bytes`` in a separate process with a memory limit.
"""
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

MB = 1024 * 1024
SHARED_STRINGS = "xl/sharedStrings.xml"
RATIO_MIN_BYTES = MB  # smaller entries are not judged by their ratio (tiny files compress oddly)
_PIECE = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    entries: int = 200  # an Excel workbook has a dozen or two; many sheets or images make more
    entry_bytes: int = 400 * MB  # one sheet of 200,000 member rows is about 300 MB of XML
    total_bytes: int = 600 * MB
    ratio: int = 100  # Excel/WPS sheets compress 5-20 times; a bomb hundreds of times
    strings: int = 1_000_000  # shared strings: about 5 distinct texts per row at the row limit
    strings_bytes: int = 100 * MB
    # Bigger archives are parsed in the reader process. Parsing can take many times the XML's size (a row of
    # a million empty cells <c/> is 4 MB of XML but a million elements), so this stays small.
    in_process_bytes: int = 2 * MB
    reader_memory_mb: int = 1024  # address space of the reader process

    @classmethod
    def from_settings(cls) -> "Limits":
        """Defaults above, each replaceable by settings.DANGJIAN_IMPORT_LIMITS = {"entries": ..., ...}."""
        return cls(**getattr(settings, "DANGJIAN_IMPORT_LIMITS", {}))


@dataclass(frozen=True)
class Contents:
    total_bytes: int  # uncompressed size of every entry
    strings: int  # shared strings (0 when the workbook has none)


class ArchiveProblem(Exception):
    """The archive is refused; the message says why, in the user's language."""


def _mb(size: int) -> str:
    return f"{size / MB:.1f}"


def inspect(source, limits: Limits | None = None) -> Contents:
    """Check the .xlsx at ``source`` (a path or a seekable binary file) against the limits, or raise ArchiveProblem.

    A file that is not a zip archive passes through: the workbook loader reports it.
    """
    limits = limits or Limits.from_settings()
    position = source.tell() if hasattr(source, "tell") else None
    try:
        with zipfile.ZipFile(source) as archive:
            return _check(archive, limits)
    except zipfile.BadZipFile:
        return Contents(0, 0)
    finally:
        if position is not None:
            source.seek(position)


def _check(archive: zipfile.ZipFile, limits: Limits) -> Contents:
    entries = archive.infolist()
    if len(entries) > limits.entries:
        raise ArchiveProblem(_("文件内部包含%(n)d个部件，超过上限%(max)d个，不像是正常的 Excel 文件，未导入")
                             % {"n": len(entries), "max": limits.entries})
    total = 0
    for entry in entries:
        size = entry.file_size
        if size > limits.entry_bytes:
            raise ArchiveProblem(
                _("文件内部的“%(name)s”解压后有%(size)s MB，超过上限%(max)s MB，请分成几个文件导入")
                % {"name": entry.filename, "size": _mb(size), "max": _mb(limits.entry_bytes)})
        if size >= RATIO_MIN_BYTES and size > limits.ratio * max(entry.compress_size, 1):
            raise ArchiveProblem(
                _("文件内部的“%(name)s”压缩了%(ratio)d倍（%(size)s MB 压缩成 %(packed)s MB），疑似“压缩炸弹”，未导入")
                % {"name": entry.filename, "ratio": size // max(entry.compress_size, 1), "size": _mb(size),
                   "packed": _mb(entry.compress_size)})
        total += size
    if total > limits.total_bytes:
        raise ArchiveProblem(_("文件解压后共有%(size)s MB，超过上限%(max)s MB，请分成几个文件导入")
                             % {"size": _mb(total), "max": _mb(limits.total_bytes)})
    return Contents(total, _count_strings(archive, limits))


def _count_strings(archive: zipfile.ZipFile, limits: Limits) -> int:
    """Shared strings (<si> elements), counted piece by piece; the declared count attribute may lie."""
    try:
        entry = archive.getinfo(SHARED_STRINGS)
    except KeyError:
        return 0
    if entry.file_size > limits.strings_bytes:
        raise ArchiveProblem(_("文件中的文字表解压后有%(size)s MB，超过上限%(max)s MB，请分成几个文件导入")
                             % {"size": _mb(entry.file_size), "max": _mb(limits.strings_bytes)})
    count, tail = 0, b""
    with archive.open(entry) as stream:
        while piece := stream.read(_PIECE):
            data = tail + piece
            count += data.count(b"<si")  # no other tag of the string table starts so
            tail = data[-2:]  # a tag cut between two pieces is counted with the next one
            if count > limits.strings:
                raise ArchiveProblem(_("文件中的不同文字超过%(max)d条，超过单次导入上限，请分成几个文件导入")
                                     % {"max": limits.strings})
    return count
