"""The value objects of coverage (两个覆盖): a rate that states its inputs, and the counts behind it.

A rate whose denominator is zero is *missing* (``None``, shown as "—"), never 0 %.
"""
from dataclasses import asdict, dataclass, field
from datetime import date

MISSING = "—"


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def ratio(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def percent(self) -> float | None:
        return None if self.ratio is None else round(100 * self.ratio, 2)

    @property
    def display(self) -> str:
        return MISSING if self.percent is None else f"{self.percent:.2f}%"

    @property
    def inputs(self) -> str:
        return f"{self.numerator}/{self.denominator}"

    def __str__(self) -> str:
        return self.display

    def as_dict(self) -> dict:
        return {"numerator": self.numerator, "denominator": self.denominator, "percent": self.percent}


@dataclass
class Figures:
    """Counts over operating units: the denominator and the three numerators.

    ``joint`` and ``fallback`` split ``covered`` by the strongest formation a unit has
    (own > joint > fallback), so own + joint + fallback == covered.
    """

    units: int = 0
    covered: int = 0
    own: int = 0
    joint: int = 0
    fallback: int = 0
    work: int = 0

    @classmethod
    def from_counts(cls, counts: dict, **extra):
        own, covered = counts.get("own") or 0, counts.get("covered") or 0
        joint = counts.get("joint") or 0
        return cls(
            units=counts.get("units") or 0, covered=covered, own=own, joint=joint,
            fallback=covered - own - joint, work=counts.get("work") or 0, **extra,
        )

    @property
    def uncovered(self) -> int:
        return self.units - self.covered

    @property
    def coverage_rate(self) -> Rate:
        return Rate(self.covered, self.units)

    @property
    def own_rate(self) -> Rate:
        return Rate(self.own, self.units)

    @property
    def work_rate(self) -> Rate:
        return Rate(self.work, self.units)

    def add(self, other: "Figures") -> None:
        for name in ("units", "covered", "own", "joint", "fallback", "work"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict:
        data = {k: v for k, v in asdict(self).items()}
        data.update(
            uncovered=self.uncovered,
            coverage_rate=self.coverage_rate.as_dict(),
            own_rate=self.own_rate.as_dict(),
            work_rate=self.work_rate.as_dict(),
        )
        return data


@dataclass
class Summary(Figures):
    """Figures for a whole scope, plus the units left out of the denominator and why."""

    closed: int = 0
    suspended: int = 0
    as_of: date | None = None


@dataclass
class Row(Figures):
    """One line of a breakdown: a region, an industry section, a unit kind or a size band."""

    key: str = ""
    label: str = ""
    region_id: int | None = None


@dataclass
class Breakdown:
    by: str
    rows: list[Row] = field(default_factory=list)
    region: object = None  # the parent Region for by="region", else the filter region (or None)

    @property
    def total(self) -> Figures:
        total = Figures()
        for row in self.rows:
            total.add(row)
        return total
