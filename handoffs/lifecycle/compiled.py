"""Querysets built and compiled once per process, then run with the values of the moment.

Building and compiling a queryset with subqueries costs Django more CPU than the database
spends running it: about 2 ms for a claim's choice of tenant, next to a tenth of a millisecond
in PostgreSQL. The queries run on every claim and every webhook are therefore built once per
process and cap, with sentinel values where the moment, the tenant or the key go, and compiled
by the ORM; each run sends that SQL with the real values in the sentinels' places, and the same
compiler converts the rows. A worker's CPU per handoff fell from about 16 ms to 8 ms (measured
in one process) with the claim's three queries compiled once.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import DateTimeField, Model, QuerySet
from django.db.models.sql.compiler import SQLCompiler

# A moment no real query carries.
SENTINEL_NOW = datetime(2001, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)


def _as_parameter(value: Any) -> Any:
    """A value as the database driver is handed it (a moment: a string on SQLite)."""
    if isinstance(value, datetime):
        return DateTimeField().get_db_prep_value(value, connection)
    return value


# The CompiledQuery objects of the process (the modules' own, for as long as they exist).
_ALL: weakref.WeakSet[CompiledQuery] = weakref.WeakSet()


class CompiledQuery:
    """A queryset of rows (values_list) built by `build(**sentinels)`, compiled once.

    `sentinels` name the values that change from run to run (the moment, a tenant, a key), each
    given as a value no real query carries; rows(**values) puts the real ones in their places.
    Rows come back as the queryset would give them: the ORM's converters (JSON, encrypted
    fields, SQLite's dates) are applied by the compiler that wrote the SQL.
    """

    def __init__(self, build: Callable[..., QuerySet], **sentinels: Any) -> None:
        self.build = build
        self.sentinels = sentinels
        self._compiled: dict[tuple, tuple[SQLCompiler, str, list, dict[str, list[int]]]] = {}
        _ALL.add(self)

    def _sql(self) -> tuple[SQLCompiler, str, list, dict[str, list[int]]]:
        # Per database engine and cap (the SQL carries it). The compiler refers to
        # django.db.connection, which stands for each thread's own connection.
        key = (connection.vendor, _cap())
        compiled = self._compiled.get(key)
        if compiled is None:
            compiler = self.build(**self.sentinels).query.get_compiler(connection=connection)
            sql, params = compiler.as_sql()
            params = list(params)
            places = {}
            for name, sentinel in self.sentinels.items():
                expected = _as_parameter(sentinel)
                places[name] = [i for i, value in enumerate(params) if value == expected]
                if not places[name]:
                    raise ValueError(f"the query built by {self.build.__name__} ignores {name}")
            compiled = self._compiled[key] = (compiler, sql, params, places)
        return compiled

    def rows(self, **values: Any) -> list[tuple]:
        """The query's rows for these values (one for each sentinel)."""
        compiler, sql, template, places = self._sql()
        params = list(template)
        for name, indexes in places.items():
            value = _as_parameter(values[name])
            for index in indexes:
                params[index] = value
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        return [tuple(row) for row in compiler.results_iter(results=[fetched])]


def compile_all() -> int:
    """Compile every query now, so that no handoff of this process waits for it; how many.

    A task worker does this as it starts (handoffs.apps): compiling the claims' queries the
    first time costs milliseconds of CPU, more while a burst keeps the CPUs busy, and would
    otherwise be paid by the first handoff each worker process takes.
    """
    # The ORM compiles a FOR UPDATE query only inside a transaction, where it has them.
    locks = connection.features.has_select_for_update
    with transaction.atomic() if locks else contextlib.nullcontext():
        queries = list(_ALL)
        for query in queries:
            query._sql()
    return len(queries)


def columns(model: type[Model], path: str = "") -> list[str]:
    """The names to select every concrete column of `model`, reached through `path`."""
    return [f"{path}{field.attname}" for field in model._meta.concrete_fields]


def instance(model: type[Model], values: Sequence[Any]) -> Model:
    """A model instance from the values of columns(model), as the ORM builds one."""
    return model.from_db(connection.alias, columns(model), values)


def _cap() -> int:
    return settings.TENANT_MAX_CONCURRENT_HANDOFFS
