"""Statements on a hot path whose SQL the ORM writes once per process.

Building a query (cloning the queryset, resolving lookups, compiling) costs several times what
running a simple one costs: about 0.8 ms of CPU against 0.2 ms for a one-row read by key on the
reference machine. A path that makes the same statement for every request (signing reads the
initiative and the signer's verification, and moves a counter shard) asks ``compiled()`` for the
SQL the ORM wrote the first time, and runs it with new keys.

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


@dataclass(frozen=True)
class Compiled:
    sql: str
    params: tuple[Any, ...]
    key_fields: tuple[models.Field[Any, Any], ...]
    key_positions: tuple[int, ...]
    using: str
    # For a read of model rows: the attributes in column order and the converters per column.
    model: type[models.Model] | None = None
    attnames: tuple[str, ...] = ()
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...] = ()

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
        select are deferred)."""
        row = self.fetchone(*keys)
        if row is None or self.model is None:
            return None
        values = list(row)
        connection = connections[self.using]
        for position, functions, expression in self.converters:
            for function in functions:
                values[position] = function(values[position], expression, connection)
        return self.model.from_db(self.using, self.attnames, values)


_COMPILED: dict[tuple[str, str], Compiled] = {}


def compiled(
    name: str,
    build: Callable[..., models.QuerySet[Any]],
    *,
    key_fields: Sequence[models.Field[Any, Any]],
    samples: Sequence[Any],
    update: dict[str, Any] | None = None,
) -> Compiled:
    """The SQL of ``build(*keys)`` (a read, or with ``update`` its ``.update(**update)``),
    compiled once per process and database."""
    using = router.db_for_write(key_fields[0].model) if update else router.db_for_read(key_fields[0].model)
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
    if update is not None:
        query: Any = queryset.query.chain(sql.UpdateQuery)
        query.add_update_values(update)
        text, params = query.get_compiler(using=using).as_sql()
    else:
        compiler = queryset.query.get_compiler(using=using)
        text, params = compiler.as_sql()
        rows_of_model = getattr(queryset, "_fields", None) is None  # not values() or values_list()
        if rows_of_model and not (queryset.query.select_related or queryset.query.annotation_select):
            model = queryset.model
            columns = [column for column, _sql, _alias in compiler.select]
            attnames = tuple(column.target.attname for column in columns)
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
    return Compiled(text, tuple(params), tuple(key_fields), tuple(positions), using, model, attnames, converters)
