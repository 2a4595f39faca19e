"""Columns for the analysis: numbers (float, NaN = missing) and factors (integer codes).

The engine reads a rectangular table once and keeps every column as a numpy array:
numeric columns as ``float64`` with NaN for a missing value, text columns as a
:class:`Factor` (codes into sorted level labels, ``-1`` for missing). A numeric column used
as a factor (a stratum number, a district code) is factorised on demand; its labels are the
numbers written without a trailing ``.0``, so ``"1"`` names the level 1 in a specification.

Missing values are ``NA`` or an empty cell in a CSV file (R's ``read.csv`` convention, which
the reference data in ``shared/data`` follows) and ``None`` in a stored survey's response table.
A CSV column is numeric when every non-missing cell parses as a number.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from django.utils.translation import gettext as _

from .errors import AnalysisError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

MISSING_TEXT = frozenset({"", "NA"})


@dataclass(frozen=True)
class Factor:
    """A categorical column: ``codes[i]`` indexes ``levels`` (sorted), ``-1`` when missing."""

    codes: IntArray
    levels: tuple[str, ...]

    @property
    def missing(self) -> BoolArray:
        return self.codes < 0

    def code_of(self, label: object) -> int | None:
        """The code of a level given as text or as a number (``1`` and ``"1"`` are the same)."""
        wanted = level_label(label)
        try:
            return self.levels.index(wanted)
        except ValueError:
            return None


def level_label(value: object) -> str:
    """How a level is written: numbers without a trailing ``.0``, text as it is."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | Decimal | float | np.floating | np.integer):
        number = float(value)
        if math.isfinite(number) and number.is_integer():
            return str(int(number))
        return repr(number)
    return str(value)


def _factor_from_text(values: npt.NDArray[np.object_]) -> Factor:
    present = np.array([value is not None for value in values], dtype=bool)
    codes = np.full(len(values), -1, dtype=np.int64)
    if present.any():
        levels, inverse = np.unique(values[present].astype(str), return_inverse=True)
        codes[present] = inverse
        return Factor(codes, tuple(str(level) for level in levels))
    return Factor(codes, ())


def _factor_from_numbers(values: FloatArray) -> Factor:
    present = ~np.isnan(values)
    codes = np.full(len(values), -1, dtype=np.int64)
    known = values[present]
    if len(known) and np.array_equal(known, np.floor(known)) and known.max() - known.min() <= 4 * len(known) + 1024:
        lowest = known.min()
        inverse, used = dense_codes((known - lowest).astype(np.int64), int(known.max() - lowest) + 1)
        levels = used.astype(np.float64) + lowest
    else:
        levels, inverse = np.unique(known, return_inverse=True)
    codes[present] = inverse
    return Factor(codes, tuple(level_label(level) for level in levels))


def dense_codes(values: IntArray, size: int) -> tuple[IntArray, IntArray]:
    """Renumber non-negative integers below ``size`` to ``0..k-1`` in increasing order, in
    linear time (``np.unique`` sorts): returns the new codes and the values that occur."""
    if size > 4 * len(values) + 1024:
        used, inverse = np.unique(values, return_inverse=True)
        return inverse.astype(np.int64), used.astype(np.int64)
    seen = np.bincount(values, minlength=size) > 0
    mapping = np.cumsum(seen, dtype=np.int64) - 1
    return mapping[values], np.flatnonzero(seen).astype(np.int64)


def _as_numbers(column: list[Any]) -> FloatArray | None:
    """The column as floats (NaN for None or ""), or None when a value is not a number."""
    result = np.full(len(column), math.nan)
    for index, value in enumerate(column):
        if value is None or value == "":
            continue
        if isinstance(value, bool | int | float | Decimal):
            result[index] = float(value)
            continue
        try:
            result[index] = float(str(value))
        except ValueError:
            return None
    return result


class Table:
    """Named columns of equal length; numeric columns as floats, text columns as factors."""

    def __init__(
        self,
        numeric: dict[str, FloatArray],
        text: dict[str, Factor],
        n_rows: int,
        integers: dict[str, IntArray] | None = None,
    ) -> None:
        self._numeric = numeric
        self._text = text
        self._factors: dict[str, Factor] = dict(text)
        self._integers = integers or {}  # integer columns as given, to factorise without floats
        self.n_rows = n_rows

    @property
    def names(self) -> list[str]:
        return [*self._numeric, *self._text]

    def has(self, name: str) -> bool:
        return name in self._numeric or name in self._text

    def _check(self, name: object) -> str:
        if not isinstance(name, str) or not self.has(name):
            raise AnalysisError(_("Unknown column “%(name)s”.") % {"name": name})
        return name

    def is_numeric(self, name: str) -> bool:
        return self._check(name) in self._numeric

    def numeric(self, name: object) -> FloatArray:
        """A numeric column (NaN = missing); an error for a text column."""
        key = self._check(name)
        if key not in self._numeric:
            raise AnalysisError(_("Column “%(name)s” is not numeric.") % {"name": key})
        return self._numeric[key]

    def factor(self, name: object) -> Factor:
        """Any column as a factor (numbers become levels "1", "2.5", ...)."""
        key = self._check(name)
        if key not in self._factors:
            integers = self._integers.get(key)
            if integers is not None and len(integers) and integers.max() - integers.min() <= 4 * len(integers) + 1024:
                lowest = int(integers.min())
                codes, used = dense_codes(integers - lowest, int(integers.max()) - lowest + 1)
                self._factors[key] = Factor(codes, tuple(str(int(value) + lowest) for value in used))
            else:
                self._factors[key] = _factor_from_numbers(self._numeric[key])
        return self._factors[key]

    @classmethod
    def from_arrays(cls, columns: dict[str, Any]) -> Table:
        """Build from numpy arrays or lists: float/int/bool arrays are numeric, anything else text
        (``None`` or NaN missing). The benchmark and the tests use this."""
        numeric: dict[str, FloatArray] = {}
        text: dict[str, Factor] = {}
        integers: dict[str, IntArray] = {}
        lengths = set()
        for name, values in columns.items():
            array = np.asarray(values)
            lengths.add(len(array))
            if array.dtype.kind in "iub":
                integers[name] = array.astype(np.int64, copy=False)
            if array.dtype.kind in "fiub":
                numeric[name] = array.astype(np.float64, copy=False)
            else:
                text[name] = _factor_from_text(array.astype(object))
        if len(lengths) > 1:
            raise AnalysisError(_("Columns have different lengths."))
        return cls(numeric, text, lengths.pop() if lengths else 0, integers)

    @classmethod
    def from_rows(cls, names: Sequence[str], rows: Iterable[Sequence[Any]]) -> Table:
        """Build from Python rows (a stored survey's response table): a column whose present
        values are all numbers, or text that reads as numbers (choice codes "1".."5" of a
        Likert scale), is numeric, as in a CSV file; otherwise text."""
        cells = [list(row) for row in rows]
        numeric: dict[str, FloatArray] = {}
        text: dict[str, Factor] = {}
        for index, name in enumerate(names):
            column = [row[index] for row in cells]
            numbers = _as_numbers(column)
            if numbers is not None:
                numeric[name] = numbers
            else:
                values = np.empty(len(column), dtype=object)
                values[:] = [None if value is None or value == "" else level_label(value) for value in column]
                text[name] = _factor_from_text(values)
        return cls(numeric, text, len(cells))

    @classmethod
    def from_csv(cls, path: Path) -> Table:
        """Read a CSV file with a header row; ``NA`` and empty cells are missing."""
        try:
            with path.open(newline="", encoding="utf-8-sig") as handle:
                reader = csv.reader(handle)
                header = next(reader, None)
                if not header:
                    raise AnalysisError(_("The data file is empty."))
                rows = list(reader)
        except (OSError, UnicodeDecodeError, csv.Error) as error:
            raise AnalysisError(_("Cannot read the data file: %(error)s") % {"error": error}) from error
        if len(set(header)) != len(header):
            raise AnalysisError(_("The data file repeats a column name."))
        for number, row in enumerate(rows, start=2):
            if len(row) != len(header):
                raise AnalysisError(
                    _("Line %(line)d of the data file has the wrong number of cells.") % {"line": number}
                )
        numeric: dict[str, FloatArray] = {}
        text: dict[str, Factor] = {}
        columns = list(zip(*rows, strict=True)) if rows else [() for _name in header]
        for name, column in zip(header, columns, strict=True):
            raw = np.array(column, dtype=object)
            missing = np.isin(raw, list(MISSING_TEXT))
            try:
                numbers = np.where(missing, "nan", raw).astype(np.float64)
            except ValueError:
                values = raw.copy()
                values[missing] = None
                text[name] = _factor_from_text(values)
            else:
                numeric[name] = numbers
        return cls(numeric, text, len(rows))


def group_sum(codes: IntArray, weights: FloatArray, size: int) -> FloatArray:
    """Sum of ``weights`` per code ``0..size-1`` (one ``np.bincount`` pass)."""
    return np.asarray(np.bincount(codes, weights=weights, minlength=size), dtype=np.float64)
