"""Writes that go to the database together: one round trip, one transaction.

A hot write path (an online signature: its row, a counter shard, the audit entry and the task
row) spent most of its time going through the ORM statement by statement, each a round trip
between ``BEGIN`` and ``COMMIT``. ``Batch`` keeps the ORM for everything it knows: each
statement is compiled by Django's own insert and update compilers (the same SQL and values as
``save()`` and ``QuerySet.update()``), and ``pre_save``/``post_save`` are sent as ``save()``
sends them. On PostgreSQL the statements then travel as one message, which the server runs as
one implicit transaction, all or nothing (or inside the caller's transaction, under a
savepoint). Elsewhere (SQLite) they run one by one inside ``transaction.atomic()``.

Only for plain rows: no multi-table inheritance, and the caller checks what ``save()`` would
(``full_clean`` is not called by ``save()`` either).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, models, router, transaction
from django.db.models import sql
from django.db.models.signals import post_save, pre_save

from glas.core.compiled import Compiled

# The INSERT the compiler wrote for a model (per database, and whether it returns the new
# primary key), reused for its later rows: compiling costs more than running it.
_INSERT_SQL: dict[tuple[type[models.Model], str, bool], tuple[str, bool]] = {}


@dataclass
class _Statement:
    sql: str
    params: tuple[Any, ...]
    obj: models.Model | None = None  # an insert: its row
    returns_pk: bool = False  # the statement ends with RETURNING the new primary key


@dataclass
class Batch:
    """Inserts and updates to run together, in the order they were added."""

    using: str = "default"
    statements: list[_Statement] = field(default_factory=list)
    callbacks: list[Callable[[], Any]] = field(default_factory=list)

    def insert(self, obj: models.Model) -> None:
        """``obj.save()`` (a new row), to be run with the batch."""
        model = type(obj)
        if model._meta.parents:
            raise ValueError("Batch does not insert rows of inherited models.")
        pre_save.send(sender=model, instance=obj, raw=False, using=self.using, update_fields=None)
        meta = obj._meta
        returns_pk = obj.pk is None
        fields = [
            f for f in meta.local_concrete_fields if not f.generated and not (returns_pk and f is meta.auto_field)
        ]
        values = [field.pre_save(obj, add=True) for field in fields]  # as the insert compiler does
        key = (model, self.using, returns_pk)
        known = _INSERT_SQL.get(key)
        if known is None or any(hasattr(value, "resolve_expression") for value in values):
            text, params, returns_pk = self._compile_insert(obj, fields, returns_pk)
            if not any(
                hasattr(value, "resolve_expression") or getattr(f, "get_placeholder", None)
                for f, value in zip(fields, values, strict=True)
            ):
                _INSERT_SQL[key] = (text, returns_pk)
        else:
            # The statement the compiler wrote for the first row of this model, with this
            # row's values prepared as the compiler prepares them (``get_db_prep_save``).
            text, returns_pk = known
            connection = connections[self.using]
            params = tuple(
                field.get_db_prep_save(value, connection) for field, value in zip(fields, values, strict=True)
            )
        self.statements.append(_Statement(text, params, obj, returns_pk))

    def _compile_insert(
        self, obj: models.Model, fields: list[models.Field[Any, Any]], returns_pk: bool
    ) -> tuple[str, tuple[Any, ...], bool]:
        query = sql.InsertQuery(type(obj))
        query.insert_values(fields, [obj])
        compiler = query.get_compiler(using=self.using)
        compiler.returning_fields = [obj._meta.pk] if returns_pk else None
        [(text, params)] = compiler.as_sql()
        return text, tuple(params), returns_pk and compiler.connection.features.can_return_columns_from_insert

    def update(self, queryset: models.QuerySet[Any], **values: Any) -> None:
        """``queryset.update(**values)``, to be run with the batch."""
        query: Any = queryset.query.chain(sql.UpdateQuery)
        query.add_update_values(values)
        statement, params = query.get_compiler(using=self.using).as_sql()
        self.statements.append(_Statement(statement, tuple(params)))

    def execute(self, statement: Compiled, *keys: Any) -> None:
        """A statement compiled once (``glas.core.compiled``), with these keys."""
        self.statements.append(_Statement(statement.sql, tuple(statement.params_for(*keys))))

    def after(self, callback: Callable[[], Any]) -> None:
        """Call ``callback`` once the batch is committed (with the caller's transaction, if
        there is one)."""
        self.callbacks.append(callback)

    def run(self) -> list[int]:
        """Run every statement; returns the number of rows each touched. Raises what the
        database raised (``IntegrityError`` for a unique constraint), having written nothing."""
        connection = connections[self.using]
        if connection.vendor == "postgresql":
            counts = self._run_together(connection)
        else:
            counts = self._run_one_by_one(connection)
        for statement in self.statements:
            if statement.obj is not None:
                statement.obj._state.adding = False
                statement.obj._state.db = self.using
                post_save.send(
                    sender=type(statement.obj),
                    instance=statement.obj,
                    created=True,
                    update_fields=None,
                    raw=False,
                    using=self.using,
                )
        for callback in self.callbacks:
            transaction.on_commit(callback, using=self.using)
        return counts

    def _run_together(self, connection: Any) -> list[int]:
        text = ";\n".join(s.sql for s in self.statements)
        params = [p for s in self.statements for p in s.params]
        # Alone, the message is its own implicit transaction; in the caller's transaction a
        # savepoint lets the caller carry on after an error.
        outer = transaction.atomic(using=self.using) if connection.in_atomic_block else nullcontext()
        counts = []
        with outer, _client_binding_cursor(connection) as cursor:
            cursor.execute(text, params)
            raw = cursor.cursor
            for position, statement in enumerate(self.statements):
                if position:
                    raw.nextset()
                counts.append(raw.rowcount)
                if statement.returns_pk:
                    statement.obj.pk = raw.fetchone()[0]  # type: ignore[union-attr]
        return counts

    def _run_one_by_one(self, connection: Any) -> list[int]:
        counts = []
        with transaction.atomic(using=self.using), connection.cursor() as cursor:
            for statement in self.statements:
                cursor.execute(statement.sql, statement.params)
                # An insert that did not raise wrote its one row (SQLite counts the rows of an
                # INSERT … RETURNING only once they are all fetched).
                counts.append(1 if statement.obj is not None else cursor.rowcount)
                if statement.returns_pk:
                    statement.obj.pk = cursor.fetchone()[0]  # type: ignore[union-attr]
                elif statement.obj is not None and statement.obj.pk is None:
                    statement.obj.pk = connection.ops.last_insert_id(
                        cursor, statement.obj._meta.db_table, statement.obj._meta.pk.column
                    )
        return counts


def _client_binding_cursor(connection: Any) -> Any:
    """A cursor that binds the parameters on the client. Only the simple query protocol takes
    several statements in one message; with server-side binding (``settings.DATABASES``) the
    ordinary cursor uses the extended protocol, which takes one. It is Django's own client
    cursor class, wrapped as ``connection.cursor()`` wraps one (``_prepare_cursor``), so the
    statement is logged, counted by tests and its errors translated as usual."""
    from django.db.backends.postgresql.base import Cursor  # type: ignore[attr-defined]

    connection.ensure_connection()
    with connection.wrap_database_errors:
        return connection._prepare_cursor(Cursor(connection.connection))


def batch_for(model: type[models.Model]) -> Batch:
    """A batch on the database the router picks for writing ``model``."""
    return Batch(using=router.db_for_write(model))
