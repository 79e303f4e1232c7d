"""Read an import workbook: find the sheet and the header row, then stream the data rows.

The workbook is opened with openpyxl in read-only mode (shared strings, styles, date formats,
sheet list all come from openpyxl). The rows themselves are parsed by a lean loop over the
sheet XML that yields only the values of the mapped columns: openpyxl's generic read-only
row parser builds a dict and a descriptor-checked object per cell, which alone took longer
than the whole validation of a 60,000-row member file. `tests/imports/test_reader.py` checks
that this loop reads the same values as openpyxl's own ``iter_rows(values_only=True)``.

Before anything is parsed, the archive is checked for zip bombs (``archive.inspect``). A
workbook bigger than a few MB once inflated is then parsed only in the reader process
(``reader_process``), which has a memory limit; smaller ones are read here. For big files the
rows can also come from a reader process so that, on a machine with several cores, checking
the rows already read overlaps with reading the rest.
"""
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import DIMENSION_TAG, _cast_number
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from dangjian.imports import archive
from dangjian.imports.cells import Formula, is_blank, text

_ROW = f"{{{SHEET_MAIN_NS}}}row"
_VALUE = f"{{{SHEET_MAIN_NS}}}v"
_FORMULA = f"{{{SHEET_MAIN_NS}}}f"
_INLINE = f"{{{SHEET_MAIN_NS}}}is"
_TEXT = f"{{{SHEET_MAIN_NS}}}t"
_RUN_TEXT = f"{{{SHEET_MAIN_NS}}}r/{{{SHEET_MAIN_NS}}}t"
_SHEET_DATA = f"{{{SHEET_MAIN_NS}}}sheetData"
HEADER_SEARCH_ROWS = 10
HEADER_COLUMNS = 200  # the header row is looked for in this many columns; data rows read only mapped ones
_columns_cache: dict[str, int] = {}


class FileProblem(Exception):
    """The file as a whole cannot be imported (not an xlsx, wrong sheet, missing columns...)."""


def _column_index(ref: str) -> int:
    letters = ref.rstrip("0123456789")
    index = _columns_cache.get(letters)
    if index is None:
        index = _columns_cache[letters] = column_index_from_string(letters)
    return index


def normalize_header(value) -> str:
    header = text(value).replace("（", "(").replace("）", ")").replace("＊", "*")
    header = re.sub(r"\s+", "", header).replace("(必填)", "").strip("*")
    return header.lower()


def _sniff(source) -> None:
    """Refuse what is clearly not an .xlsx before openpyxl tries (and fails less clearly)."""
    if hasattr(source, "read"):
        position = source.tell()
        head = source.read(8)
        source.seek(position)
    else:
        with open(source, "rb") as fh:
            head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem(_("这是旧版 Excel（.xls）文件，请在 Excel 或 WPS 中“另存为”.xlsx 格式后再导入"))
    if not head.startswith(b"PK"):
        raise FileProblem(_("文件不是 Excel（.xlsx）格式，请使用下载的导入模板填写"))


@dataclass
class Sheet:
    title: str
    header_row: int
    positions: dict  # column key -> 1-based column index
    warnings: list = field(default_factory=list)
    max_row: int | None = None  # from <dimension>; None when the sheet does not state its size
    max_column: int | None = None
    workbook: object = None  # opened here ...
    worksheet: object = None
    process: object = None  # ... or in a ReaderProcess (big workbooks)
    estimate: int | None = None  # rows of an unsized sheet, as the reader process estimated them
    path: str | None = None  # set when the file is on disk
    cleanup: object = None  # removes a temporary copy of the file

    @property
    def sized(self) -> bool:
        """Whether the sheet states its size (<dimension>; absent in files written by openpyxl's write-only mode)."""
        return bool(self.max_row)

    @property
    def estimated_rows(self) -> int | None:
        """Data rows according to the sheet's stored dimension, else estimated from the sheet's size."""
        if self.max_row:
            return max(0, self.max_row - self.header_row)
        rows = self.estimate if self.worksheet is None else _estimate_rows(self.worksheet)
        return None if rows is None else max(0, rows - self.header_row)

    def close(self):
        try:
            if self.process is not None:
                self.process.close()
            if self.workbook is not None:
                self.workbook.close()
        finally:
            if self.cleanup:
                self.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def rows(self, in_child: bool = False):
        """(Excel row number, {column key: raw value}) for each non-blank row below the header.

        in_child: parse the XML in a reader process (needs self.path), so that checking the
        rows already read overlaps with reading the rest on a machine with several cores.
        """
        wanted = {index: key for key, index in self.positions.items()}
        if self.process is not None:
            source = self.process.rows(wanted, self.header_row + 1)
        elif in_child and self.path:
            source = _rows_from_child(self.path, self.title, wanted, self.header_row + 1)
        else:
            source = _iter_cells(self.worksheet, wanted, self.header_row + 1)
        for number, cells in source:
            if any(not is_blank(v) for v in cells.values()):
                yield number, cells


ESTIMATE_SAMPLE = 256 * 1024  # bytes of sheet XML read to learn the length of a row


def _estimate_rows(worksheet) -> int | None:
    """Rows (header included) of an unsized sheet, from its uncompressed XML size and the length of its first rows.

    For a progress bar only (a few hundred KB read instead of the whole sheet parsed)."""
    try:
        size = worksheet.parent._archive.getinfo(worksheet._worksheet_path).file_size
        with worksheet._get_source() as source:
            head = source.read(ESTIMATE_SAMPLE)
    except (KeyError, OSError, ValueError, zipfile.BadZipFile):
        return None
    start = head.find(b"<sheetData")
    rows = head.count(b"<row", start) if start >= 0 else 0
    if not rows:
        return None
    if len(head) >= size:  # the whole sheet was read
        return rows
    last = head.rfind(b"<row")  # rows - 1 whole rows lie between the first <row and the last
    return round((size - start) * (rows - 1) / (last - start)) if rows > 1 else None


def _rows_from_child(path: str, title: str, wanted: dict, first_row: int):
    """The rows of a workbook this process has opened too, read again by a reader process."""
    from dangjian.imports.reader_process import ReaderProcess  # it imports this module

    process = ReaderProcess(path, title, archive.Limits.from_settings().reader_memory_mb)
    try:
        yield from process.rows(wanted, first_row)
    finally:
        process.close()


def _iter_cells(ws, wanted: dict, first_row: int = 1):
    """Yield (row number, {key: value}) for each row >= first_row; keys from wanted[column index]."""
    shared = ws._shared_strings
    date_formats = ws.parent._date_formats
    timedelta_formats = ws.parent._timedelta_formats
    epoch = ws.parent.epoch
    number = 0
    with ws._get_source() as source:
        for _event, element in iterparse(source):
            if element.tag != _ROW:
                continue
            ref = element.get("r")
            number = int(ref) if ref else number + 1
            if number < first_row:
                element.clear()
                continue
            cells = {}
            column = 0
            for cell in element:
                ref = cell.get("r")
                column = _column_index(ref) if ref else column + 1
                key = wanted.get(column)
                if key is None:
                    continue
                kind = cell.get("t", "n")
                if kind == "inlineStr":
                    inline = cell.find(_INLINE)
                    if inline is None:
                        continue
                    plain = inline.find(_TEXT)
                    if plain is not None:
                        value = plain.text or ""
                    else:
                        value = "".join(t.text or "" for t in inline.iterfind(_RUN_TEXT))
                else:
                    raw = cell.findtext(_VALUE)
                    if len(cell) > 1 or (not raw and len(cell)):  # more than a <v>: a formula (<f>)?
                        formula = cell.find(_FORMULA)
                        if formula is not None:
                            cells[key] = Formula(formula.text or "")
                            continue
                    if not raw:
                        continue
                    if kind == "n":
                        value = _cast_number(raw)
                        style = cell.get("s")
                        if style and int(style) in date_formats:
                            value = from_excel(value, epoch, timedelta=int(style) in timedelta_formats)
                    elif kind == "s":
                        value = shared[int(raw)]
                    elif kind == "b":
                        value = bool(int(raw))
                    elif kind == "d":
                        value = from_ISO8601(raw)
                    else:  # "str" (formula result), "e" (error such as #N/A)
                        value = raw
                cells[key] = value
            element.clear()
            yield number, cells


class _LazySheet(ReadOnlyWorksheet):
    """openpyxl's read-only sheet, but sized from the <dimension> element only.

    openpyxl looks for <dimension> with an iterparse that stops at the *end* of <sheetData>: in a
    file without one (openpyxl's own write-only output, our exports) it parses the whole sheet
    just to learn its size, on every load. Here the search stops where <sheetData> starts; an
    unsized sheet keeps max_row None and the rows are counted as they are read.
    """

    def _get_size(self):
        with self._get_source() as source:
            for _event, element in iterparse(source, events=("start",)):
                if element.tag == DIMENSION_TAG:
                    boundaries = SheetDimension.from_tree(element).boundaries
                    if boundaries is not None:
                        self._min_column, self._min_row, self._max_column, self._max_row = boundaries
                    return
                if element.tag == _SHEET_DATA:
                    return


class _Reader(ExcelReader):
    def read_worksheets(self):
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files:
                continue
            if "chartsheet" in rel.Type:
                self.read_chartsheet(sheet, rel)
                continue
            worksheet = _LazySheet(self.wb, sheet.name, rel.target, self.shared_strings)
            worksheet.sheet_state = sheet.state
            self.wb._sheets.append(worksheet)


def load_workbook(source):
    """openpyxl.load_workbook(source, read_only=True, data_only=True) without sizing unsized sheets."""
    reader = _Reader(source, read_only=True, data_only=True)
    reader.read()
    return reader.wb


def _load(source):
    _sniff(source)
    try:
        return load_workbook(source)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError):
        raise FileProblem(_("无法打开文件：不是有效的 Excel（.xlsx）文件，或文件已损坏")) from None


def open_sheet(source, spec) -> Sheet:
    """Check the archive, open the workbook and map its header row onto the spec's columns, or raise FileProblem.

    A workbook bigger than ``in_process_bytes`` once inflated is opened by a reader process
    with a memory limit (from a file on disk: an upload in memory is copied to a temporary file).
    """
    _sniff(source)
    limits = archive.Limits.from_settings()
    try:
        contents = archive.inspect(source, limits)
    except archive.ArchiveProblem as exc:
        raise FileProblem(str(exc)) from None
    if contents.total_bytes <= limits.in_process_bytes:
        return _open_here(source, spec)
    return _open_in_reader(source, spec, limits)


def _open_here(source, spec) -> Sheet:
    workbook = _load(source)
    try:
        names = workbook.sheetnames
        worksheet = workbook[spec.sheet] if spec.sheet in names else workbook[names[0]]
        header_row, header = find_header(worksheet)
        positions, warnings = _map_header(spec, worksheet.title, header_row, header)
    except BaseException:
        workbook.close()
        raise
    path = os.fspath(source) if isinstance(source, (str, os.PathLike)) else None
    return Sheet(worksheet.title, header_row, positions, warnings, worksheet.max_row, worksheet.max_column,
                 workbook=workbook, worksheet=worksheet, path=path)


def _open_in_reader(source, spec, limits) -> Sheet:
    from dangjian.imports.reader_process import ReaderProcess  # it imports this module

    path, cleanup = _on_disk(source)
    process = None
    try:
        process = ReaderProcess(path, spec.sheet, limits.reader_memory_mb)
        info = process.info
        positions, warnings = _map_header(spec, info["title"], info["header_row"], info["header"])
        return Sheet(info["title"], info["header_row"], positions, warnings, info["max_row"], info["max_column"],
                     process=process, estimate=info["estimate"], path=path, cleanup=cleanup)
    except BaseException:
        if process is not None:
            process.close()
        if cleanup:
            cleanup()
        raise


def _on_disk(source) -> tuple[str, object]:
    """A path to the file, and what removes it afterwards (None when it was on disk already)."""
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source), None
    if hasattr(source, "temporary_file_path"):  # Django's upload kept in a temporary file
        return source.temporary_file_path(), None
    source.seek(0)
    with tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False) as copy:
        shutil.copyfileobj(source, copy)
    source.seek(0)
    return copy.name, lambda: os.unlink(copy.name)


def find_header(worksheet) -> tuple[int | None, dict]:
    """The first non-blank row among the first HEADER_SEARCH_ROWS: (its number, {column index: value})."""
    everything = {i: i for i in range(1, HEADER_COLUMNS + 1)}
    for number, cells in _iter_cells(worksheet, everything):
        if number > HEADER_SEARCH_ROWS:
            break
        if any(not is_blank(v) for v in cells.values()):
            return number, cells
    return None, {}


def _map_header(spec, title: str, header_row: int | None, header: dict) -> tuple[dict, list]:
    """{column key: column index} and warnings, or FileProblem for an empty sheet or missing/doubled columns."""
    if header_row is None:
        raise FileProblem(_("工作表“%(sheet)s”是空的，没有列名和数据") % {"sheet": title})
    lookup = spec.header_lookup()
    positions, ignored = {}, []
    for index in sorted(header):
        raw = header[index]
        if is_blank(raw):
            continue
        column = lookup.get(normalize_header(raw))
        if column is None:
            ignored.append(text(raw))
            continue
        if column.key in positions:
            raise FileProblem(
                _("列“%(h)s”出现了两次（第%(a)s列和第%(b)s列），请删除其中一列")
                % {"h": column.header, "a": get_column_letter(positions[column.key]), "b": get_column_letter(index)}
            )
        positions[column.key] = index
    missing = [c.header for c in spec.columns if c.required and c.key not in positions]
    if missing:
        raise FileProblem(
            _("缺少列%(cols)s（工作表“%(sheet)s”第%(row)d行应为列名，请使用“%(entity)s”导入模板）")
            % {"cols": "、".join(f"“{h}”" for h in missing), "sheet": title, "row": header_row,
               "entity": spec.label}
        )
    warnings = []
    if ignored:
        warnings.append(_("以下列不属于导入模板，已忽略：%(cols)s") % {"cols": "、".join(ignored)})
    return positions, warnings
