"""The part of an import every entity shares: cells -> values -> unsaved objects + errors.

An entity importer (entities/*.py) supplies the spec, the look-ups it needs (prefetch), how
to build one unsaved object from a row's values (build, which calls the app's clean_*
action so the rules are the same as for a single record), and how to write the objects
(commit, inside the caller's transaction).
"""
import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connections, models, router
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.cells import QUOTE, unescape
from dangjian.imports import cells
from dangjian.imports.cells import CellError, Formula, is_blank, text

BATCH_SIZE = 2000


@dataclass
class Row:
    number: int  # the Excel row number the user sees
    raw: dict
    values: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)  # column key ('' = whole row) -> first message

    def error(self, key: str, message) -> None:
        self.errors.setdefault(key, str(message))

    def has_error(self, key: str) -> bool:
        return key in self.errors


@dataclass(frozen=True)
class Issue:
    row: int | None
    column: str
    message: str


class BaseImporter:
    spec = None
    _unchecked = None  # model fields clean_fields() skips (computed once per importer class)

    def __init__(self, actor=None):
        self.actor = actor
        self._seen: dict[tuple, int] = {}
        self._example = {c.key: text(c.example) for c in self.spec.columns if c.example not in ("", None)}
        self._example_key = next(iter(self._example), None)

    # -- cells -----------------------------------------------------------------------------
    def parse(self, number: int, raw: dict) -> Row:
        row = Row(number, raw)
        if self._is_example(raw):
            row.error("", _("这是模板中的示例行，请删除后再导入"))
        values = row.values
        for column in self.spec.columns:
            key = column.key
            value = raw.get(key)
            if value.__class__ is str:
                value = value.strip()
                if value.startswith(QUOTE):  # text our exports escaped (core.cells) imports as it was
                    value = unescape(value).strip()
                if not value:
                    value = None
                elif column.parse is text:  # the common case, without a call
                    values[key] = value
                    continue
            elif value.__class__ is Formula:
                values[key] = None
                row.error(key, _("“%(h)s”是公式（%(f)s），不能导入：请在 Excel 或 WPS 中复制该列，“选择性粘贴”为数值后再导入")
                          % {"h": column.header, "f": str(value)[:50]})
                continue
            if value is None:
                values[key] = None
                if column.required:
                    row.error(key, _("请填写“%(h)s”") % {"h": column.header})
                continue
            try:
                values[key] = column.parse(value)
            except CellError as exc:
                values[key] = None
                row.error(key, exc)
        return row

    def _is_example(self, raw: dict) -> bool:
        example = self._example
        if not example or text(raw.get(self._example_key) or "") != example[self._example_key]:
            return False
        filled = {k: text(v) for k, v in raw.items() if not is_blank(v)}
        return filled == example

    # -- helpers for build() ----------------------------------------------------------------
    def resolve(self, row: Row, key: str, resolver):
        """Run a look-up for a filled, parsed cell; a CellError becomes that cell's error."""
        value = row.values.get(key)
        if value is None:
            return None
        try:
            return resolver(value)
        except CellError as exc:
            row.error(key, exc)
            return None

    def duplicate(self, row: Row, key: str, value, label=None) -> bool:
        """Mark the row if an earlier row of the file had the same value in this column."""
        if value in (None, ""):
            return False
        first = self._seen.setdefault((key, value), row.number)
        if first != row.number:
            header = label or self.spec.header_of(key)
            row.error(key, _("与第%(row)d行重复（%(h)s相同）") % {"row": first, "h": header})
            return True
        return False

    def apply(self, row: Row, exc: ValidationError) -> None:
        """Put a clean_*/clean_fields ValidationError onto the row, by column."""
        if not hasattr(exc, "error_dict"):
            row.error("", "；".join(exc.messages))
            return
        for name, messages in exc.message_dict.items():
            key = "" if name == NON_FIELD_ERRORS else self.column_for_field(name)
            row.error(key, messages[0])

    def column_for_field(self, name: str) -> str:
        return name if any(c.key == name for c in self.spec.columns) else ""

    def clean_fields(self, row: Row, obj, exclude=()) -> None:
        """Model field checks (lengths, digits) without the per-row queries of full_clean().

        Only the fields filled from free-form columns are checked: choices, dates and yes/no
        cells were already turned into valid values by their parsers.
        """
        if self._unchecked is None:
            free = {c.key for c in self.spec.columns
                    if c.choices is None and c.parse not in (cells.date, cells.month, cells.boolean)}
            fields = obj._meta.fields  # relations are resolved by the look-ups (a query each here)
            type(self)._unchecked = {f.name for f in fields} - {f.name for f in fields if f.name in free and not f.is_relation}
        exclude = self._unchecked | set(exclude) | {k for k in row.errors if k}
        try:
            obj.clean_fields(exclude=exclude)
        except ValidationError as exc:
            self.apply(row, exc)

    # -- entity-specific --------------------------------------------------------------------
    # True: prefetch()/build() may run chunk by chunk while the file is still being read;
    # False: prefetch() gets every row at once, after reading (e.g. parents named in later rows).
    incremental = False

    def prefetch(self, rows: list[Row]) -> None:
        """Fetch what build() needs for these rows (called once per chunk if incremental)."""
        raise NotImplementedError

    def build(self, row: Row):
        raise NotImplementedError

    def finish(self, rows: list[Row], objects: list) -> list:
        """Checks across rows after every row is built; returns what commit() will write."""
        return [obj for obj, row in zip(objects, rows) if obj is not None and not row.errors]

    def commit(self, objects: list, progress=None) -> int:
        raise NotImplementedError

    def warnings(self, objects: list) -> list[str]:
        return []


class Maker:
    """Unsaved instances built positionally: Model.__init__'s fast path (the one from_db uses),
    about 2.5 times quicker than keyword arguments, which counts at 60,000 rows.

    Values are given by attname; other fields get their default. Only for models without
    callable defaults (a default would be evaluated once and shared).
    """

    def __init__(self, model):
        self.model = model
        self.order = [(f.attname, f.get_default()) for f in model._meta.concrete_fields]
        if any(f.has_default() and callable(f.default) for f in model._meta.concrete_fields):
            raise TypeError(f"{model.__name__} has a callable default; build it with keyword arguments")

    def __call__(self, values: dict):
        return self.model(*[values.get(name, default) for name, default in self.order])


# Field classes whose get_db_prep_save() returns a value of this type unchanged on every backend
# (CharField/TextField: to_python() of a str is the str; BooleanField: of a bool the bool).
# Exact classes only: a subclass may prepare its values differently.
_UNCHANGED = {models.CharField: str, models.TextField: str, models.BooleanField: bool}
_INT_KEYS = ("AutoField", "BigAutoField", "IntegerField", "BigIntegerField", "SmallAutoField", "SmallIntegerField")


def _auto_stamped(field) -> bool:
    return getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)


def _preparer(field, connection):
    """value -> what the database gets for this field, as Model.save()/bulk_create() would prepare it.

    The common cases (a str for a CharField, an int for an integer foreign key, None) skip the
    generic call chain, which at 60,000 rows x 20 fields is most of the cost of a bulk insert;
    everything else goes through the field's own get_db_prep_save().
    """
    prep = field.get_db_prep_save
    if type(field) is models.DateField:  # a date's get_prep_value() is the date itself
        adapt = connection.ops.adapt_datefield_value
        return lambda value: (None if value is None else adapt(value) if value.__class__ is dt.date
                              else prep(value, connection))
    same = _UNCHANGED.get(type(field))
    if same is None and type(field) is models.ForeignKey and field.target_field.get_internal_type() in _INT_KEYS:
        same = int
    if same is None:
        return lambda value: None if value is None else prep(value, connection)
    return lambda value: value if value is None or value.__class__ is same else prep(value, connection)


def _constant(stored):
    return lambda value: stored


def insert_all(model, objects: list, progress=None, batch: int = BATCH_SIZE) -> int:
    """INSERT every unsaved object with one prepared statement (cursor.executemany), in batches.

    Runs in the caller's transaction. Much cheaper than bulk_create(), whose statements SQLite
    caps at 999 parameters (~50 members each) and which prepares every value through the
    compiler. The values are what bulk_create() would store: auto_now/auto_now_add fields get
    the time of the insert (one for the whole call, also set on the objects), fields with their
    own pre_save() what it returns, every value prepared by its field. No signals are sent (as
    with bulk_create()), and the objects' primary keys are not read back.
    """
    opts = model._meta
    if not objects:
        return 0
    if opts.auto_field is None or any(obj.pk is not None for obj in objects):
        raise ValueError("insert_all() writes new objects of a model with an automatic primary key")
    alias = router.db_for_write(model)
    connection = connections[alias]
    fields = [f for f in opts.concrete_fields if f is not opts.auto_field and not f.generated]
    now, today = timezone.now(), dt.date.today()
    stamps, getters = [], []
    for f in fields:
        if _auto_stamped(f):
            stamp = now if isinstance(f, models.DateTimeField) else today
            stamps.append((f.attname, stamp))
            getters.append((f.attname, _constant(f.get_db_prep_save(stamp, connection))))
        else:
            getters.append((f.attname, _preparer(f, connection)))
    # Fields whose pre_save() computes the value (DateField's only handles auto_now, done above).
    computed = [f for f in fields if not _auto_stamped(f) and not isinstance(f, models.DateField)
                and type(f).pre_save is not models.Field.pre_save]
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    total = len(objects)
    with connection.cursor() as cursor:
        for start in range(0, total, batch):
            chunk = objects[start:start + batch]
            params = []
            for obj in chunk:
                for name, stamp in stamps:
                    setattr(obj, name, stamp)
                for field in computed:
                    setattr(obj, field.attname, field.pre_save(obj, True))
                values = obj.__dict__
                params.append([prepare(values[name]) for name, prepare in getters])
                obj._state.adding, obj._state.db = False, alias
            cursor.executemany(sql, params)
            if progress:
                progress(start + len(chunk), total)
    return total


def issues_of(spec, rows) -> list[Issue]:
    order = {c.key: i for i, c in enumerate(spec.columns)}
    issues = []
    for row in rows:
        for key in sorted(row.errors, key=lambda k: order.get(k, -1)):
            issues.append(Issue(row.number, spec.header_of(key), row.errors[key]))
    return issues
