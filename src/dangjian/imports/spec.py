"""What an import file for one entity looks like: its columns, in template order.

Headers are part of the file format, so they stay Chinese whatever the UI language; the
English aliases (the column key and an English label) are accepted too. The descriptions
for the notes sheet go through gettext like any UI text.
"""
from dataclasses import dataclass, field
from typing import Any, Callable

from dangjian.imports import cells
from dangjian.imports.reader import normalize_header


@dataclass(frozen=True)
class Column:
    key: str  # the field (or pseudo-field) the value goes to; also the English alias and JSON key
    header: str  # the Chinese column header
    english: str  # an accepted English header
    parse: Callable = cells.text
    required: bool = False
    help: Any = ""  # what to fill in, for the notes sheet (lazy translation)
    allowed: Any = ""  # format or allowed values, for the notes sheet
    choices: cells.Choices | None = None  # drop-down values in the template
    example: Any = ""
    width: int = 14
    kind: str = "text"  # text | date | month | number: the template cell format

    def __post_init__(self):
        if self.choices is not None and self.parse is cells.text:
            object.__setattr__(self, "parse", self.choices)


@dataclass(frozen=True)
class Spec:
    entity: str
    label: Any  # 单位 / 党组织 / 党员 (lazy)
    sheet: str  # title of the data sheet in the template
    columns: tuple[Column, ...]
    model_label: str  # app_label.model, for the audit log
    _lookup: dict = field(default_factory=dict, compare=False, repr=False)

    def header_lookup(self) -> dict:
        if not self._lookup:
            for column in self.columns:
                for name in (column.header, column.key, column.english):
                    self._lookup[normalize_header(name)] = column
        return self._lookup

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def header_of(self, key: str) -> str:
        """The column header for a field name in a ValidationError ('' = the row as a whole)."""
        for column in self.columns:
            if column.key == key:
                return column.header
        return ""

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]
