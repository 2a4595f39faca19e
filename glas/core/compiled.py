"""Statements on a hot path whose SQL the ORM writes once per process.

Building a query (cloning the queryset, resolving lookups, compiling) costs several times what
running a simple one costs: about 0.8 ms of CPU against 0.2 ms for a one-row read by key on the
reference machine. A path that makes the same statement for every request (signing reads the
initiative and the signer's verification, and moves a counter shard) asks ``compiled()`` for the
SQL the ORM wrote the first time, and runs it with new keys. A read of model rows gives them
back as the ORM builds them, following ``select_related`` (the bureau's case page reads a case
and its messages, deadlines and referrals this way); a read of ``values_list()`` gives its rows
converted as the ORM converts them, a page at a time when asked (the bureau's queue).

``build(*keys)`` returns the queryset; the keys are the values that change from one call to the
next, each passed through its field's ``get_db_prep_value`` as a lookup would. Every other
parameter is a constant of the queryset. To find where each key goes, the first compilation is
made with ``samples``: values that must each appear exactly once among the parameters (choose
ones no constant can equal, such as ids far beyond any real one; a value outside an integer
field's range would make the ORM give up on the query). The tests compare each compiled
statement with the ORM's own answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections, models, router
from django.db.models import sql
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]  # Django has no stub for it


@dataclass(frozen=True)
class Compiled:
    sql: str
    params: tuple[Any, ...]
    key_fields: tuple[models.Field[Any, Any], ...]
    key_positions: tuple[int, ...]
    using: str
    # For a read of model rows: the converters per column, where in a row the model's own
    # columns are and their attributes, and Django's populator for each select_related relation.
    model: type[models.Model] | None = None
    attnames: tuple[str, ...] = ()
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...] = ()
    model_columns: tuple[int, int] = (0, 0)
    related: tuple[Any, ...] = ()
    # For a read of model rows with ``annotate()``: each annotation's name and column.
    annotations: tuple[tuple[str, int], ...] = ()
    # A queryset sliced when it was built has its LIMIT in the SQL; ``rows`` cannot add one.
    sliced: bool = False

    def params_for(self, *keys: Any) -> list[Any]:
        """The parameters, with each key prepared for the database in its place."""
        connection = connections[self.using]
        params = list(self.params)
        for position, field, key in zip(self.key_positions, self.key_fields, keys, strict=True):
            params[position] = field.get_db_prep_value(key, connection, prepared=False)
        return params

    def fetchone(self, *keys: Any) -> tuple[Any, ...] | None:
        """The first row, as the database driver returns it."""
        with connections[self.using].cursor() as cursor:
            cursor.execute(self.sql, self.params_for(*keys))
            return cursor.fetchone()

    def instance(self, *keys: Any) -> models.Model | None:
        """The first row as a model instance, as the ORM would build it (the columns it did not
        select are deferred, the relations it follows are set)."""
        row = self.fetchone(*keys)
        return None if row is None else self._build(row)

    def instances(self, *keys: Any) -> list[Any]:
        """Every row as a model instance (bound the query with a slice when it is built)."""
        with connections[self.using].cursor() as cursor:
            cursor.execute(self.sql, self.params_for(*keys))
            rows = cursor.fetchall()
        return [self._build(row) for row in rows]

    def rows(self, *keys: Any, limit: int | None = None, offset: int = 0) -> list[tuple[Any, ...]]:
        """Every row of a ``values_list()`` or ``aggregate``-like read, each value converted as
        the ORM converts it (dates from SQLite's text, for example). ``limit`` and ``offset``
        page through a queryset that was built without a slice (both databases write
        ``LIMIT … OFFSET …``), so that one statement serves every page."""
        text, params = self.sql, self.params_for(*keys)
        if limit is not None:
            if self.sliced:
                raise ValueError("this statement was built with a slice; it has its own LIMIT")
            text, params = f"{text} LIMIT %s OFFSET %s", [*params, limit, offset]
        with connections[self.using].cursor() as cursor:
            cursor.execute(text, params)
            rows = cursor.fetchall()
        if not self.converters:
            return [tuple(row) for row in rows]
        connection = connections[self.using]
        converted = []
        for row in rows:
            values = list(row)
            for position, functions, expression in self.converters:
                for function in functions:
                    values[position] = function(values[position], expression, connection)
            converted.append(tuple(values))
        return converted

    def _build(self, row: Sequence[Any]) -> Any:
        if self.model is None:
            raise TypeError("this statement does not read model rows")
        values = list(row)
        connection = connections[self.using]
        for position, functions, expression in self.converters:
            for function in functions:
                values[position] = function(values[position], expression, connection)
        start, end = self.model_columns
        instance = self.model.from_db(self.using, self.attnames, values[start:end])
        for populator in self.related:
            populator.populate(values, instance)
        for name, position in self.annotations:
            setattr(instance, name, values[position])
        return instance


_COMPILED: dict[tuple[str, str], Compiled] = {}


def compiled(
    name: str,
    build: Callable[..., models.QuerySet[Any]],
    *,
    key_fields: Sequence[models.Field[Any, Any]],
    samples: Sequence[Any],
    update: dict[str, Any] | None = None,
    model: type[models.Model] | None = None,
) -> Compiled:
    """The SQL of ``build(*keys)`` (a read, or with ``update`` its ``.update(**update)``),
    compiled once per process and database. ``model`` picks the database when there may be no
    keys (a read that is the same for everyone)."""
    model = model or key_fields[0].model
    using = router.db_for_write(model) if update else router.db_for_read(model)
    found = _COMPILED.get((name, using))
    if found is None:
        found = _COMPILED[(name, using)] = _compile(name, build(*samples).using(using), key_fields, samples, update)
    return found


def _compile(
    name: str,
    queryset: models.QuerySet[Any],
    key_fields: Sequence[models.Field[Any, Any]],
    samples: Sequence[Any],
    update: dict[str, Any] | None,
) -> Compiled:
    using = queryset.db
    connection = connections[using]
    model: type[models.Model] | None = None
    attnames: tuple[str, ...] = ()
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...] = ()
    model_columns, related = (0, 0), ()
    annotations: tuple[tuple[str, int], ...] = ()
    if update is not None:
        query: Any = queryset.query.chain(sql.UpdateQuery)
        query.add_update_values(update)
        text, params = query.get_compiler(using=using).as_sql()
    else:
        compiler = queryset.query.get_compiler(using=using)
        text, params = compiler.as_sql()
        columns = [column for column, _sql, _alias in compiler.select]
        rows_of_model = getattr(queryset, "_fields", None) is None  # not values() or values_list()
        if rows_of_model and not queryset.query.extra_select:
            # As ModelIterable reads a row: the model's own columns, then each relation's, then
            # the annotations, set as attributes.
            model = queryset.model
            selected = compiler.klass_info["select_fields"]
            model_columns = (selected[0], selected[-1] + 1)
            attnames = tuple(column.target.attname for column in columns[model_columns[0] : model_columns[1]])
            related = tuple(get_related_populators(compiler.klass_info, compiler.select, using))
            annotations = tuple(compiler.annotation_col_map.items())
        # The converters of every column (a read of values converts them all, as the ORM does).
        found = compiler.get_converters(columns)
        converters = tuple(
            (position, tuple(functions), expression) for position, (functions, expression) in found.items()
        )
    positions = []
    for field, sample in zip(key_fields, samples, strict=True):
        prepared = field.get_db_prep_value(sample, connection, prepared=False)
        places = [i for i, param in enumerate(params) if param == prepared]
        if len(places) != 1:
            raise ValueError(f"{name}: each sample must be exactly one parameter of the query.")
        positions.append(places[0])
    return Compiled(
        text,
        tuple(params),
        tuple(key_fields),
        tuple(positions),
        using,
        model,
        attnames,
        converters,
        model_columns,
        related,
        annotations,
        sliced=update is None and queryset.query.is_sliced,
    )
