"""One-row ORM reads whose SQL is compiled once per process instead of once per call.

The application page and the JSON API read one row by its key on every request. Compiling that
queryset (a wide model, a deferred column) cost as much as the database round trip itself; the
SQL never changes, only its parameters. So the queryset is compiled once per database, with
marker values in place of the parameters, and each call runs the cached SQL with the real values.
Rows still go through the fields' own converters and ``Model.from_db``, as the ORM does.

On PostgreSQL the statement is also prepared, once per connection: with the table's many indexes,
planning the lookup cost more than running it (pgbench on this table: 148 us planned each time,
41 us prepared). Only these statements are prepared. Django's own queries stay unprepared (its
client-side cursors never prepare), so a search whose best plan depends on its parameters never
gets a generic plan.
"""

from collections.abc import Callable

from django.db import connections
from django.db.models import QuerySet

try:  # PostgreSQL's driver; absent on an SQLite-only install.
    from django.db.backends.postgresql.base import ServerBindingCursor
except ImportError:  # pragma: no cover - psycopg is a dependency of the project
    ServerBindingCursor = None


class CompiledGet:
    """``build(**params).first()`` for a queryset of one model with no joins, compiled once per alias."""

    def __init__(self, build: Callable[..., QuerySet], *param_names: str):
        self._build = build
        self._names = param_names
        self._plans = {}

    def first(self, *, using: str = "default", **params):
        plan = self._plans.get(using) or self._compile(using)
        connection = connections[using]
        with _cursor(connection) as cursor:
            cursor.execute(plan.sql, [params[name] for name in plan.order])
            row = cursor.fetchone()
        return None if row is None else plan.instance(row, using, connection)

    def _compile(self, using: str) -> "_Plan":
        markers = {name: f"\x1e{name}\x1f" for name in self._names}
        queryset = self._build(**markers).order_by()[:1]
        compiler, sql, marker_params = _compiled(queryset, using, markers.values(), "CompiledGet")
        by_marker = {marker: name for name, marker in markers.items()}
        plan = _Plan.of(compiler, sql, order=[by_marker[marker] for marker in marker_params])
        self._plans[using] = plan
        return plan


class CompiledInBulk:
    """``build().in_bulk(ids)`` for a queryset of one model with no joins, compiled once per alias
    and number of ids.

    A batch of background refreshes reads its rows so (CAMS_REFRESH_TASK_SIZE ids; fewer for the
    last batch, one for a retry): compiling the query cost ten times running it, and twice that
    again in a worker thread that had just sat waiting for CAMS, its caches cold.
    """

    def __init__(self, build: Callable[[], QuerySet]):
        self._build = build
        self._plans = {}

    def in_bulk(self, ids, *, using: str = "default") -> dict:
        ids = list(dict.fromkeys(ids))  # the ORM drops repeats too: one placeholder per distinct id
        if not ids:
            return {}
        plan = self._plans.get((using, len(ids))) or self._compile(using, len(ids))
        connection = connections[using]
        with _cursor(connection) as cursor:
            cursor.execute(plan.sql, ids)
            rows = cursor.fetchall()
        instances = (plan.instance(row, using, connection) for row in rows)
        return {instance.pk: instance for instance in instances}

    def _compile(self, using: str, count: int) -> "_Plan":
        # Ids that no row has stand in for the real ones: the SQL depends only on how many there are.
        markers = [-(2**40) - index for index in range(count)]
        queryset = self._build().filter(pk__in=markers).order_by()
        compiler, sql, _marker_params = _compiled(queryset, using, markers, "CompiledInBulk")
        plan = _Plan.of(compiler, sql, order=None)
        self._plans[(using, count)] = plan
        return plan


def _compiled(queryset, using: str, markers, kind: str):
    """(compiler, sql, params) of ``queryset``, whose params must be exactly ``markers``: a
    parameter of its own would be frozen into every later call, and a join's columns are not
    built into the row."""
    compiler = queryset.query.get_compiler(using=using)
    sql, params = compiler.as_sql()
    if sorted(params) != sorted(markers) or compiler.klass_info.get("related_klass_infos"):
        raise ValueError(f"{kind} takes a single-model queryset whose only parameters are its markers")
    return compiler, sql, params


def _cursor(connection):
    """A cursor that prepares what it runs on PostgreSQL, else the connection's usual one.

    Wrapped like any Django cursor, so the statement is logged, counted by query-count tests and
    its errors turn into Django's.
    """
    if connection.vendor != "postgresql" or ServerBindingCursor is None:
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    cursor = _PreparingCursor(connection.connection)
    return connection.make_debug_cursor(cursor) if connection.queries_logged else connection.make_cursor(cursor)


if ServerBindingCursor is not None:

    class _PreparingCursor(ServerBindingCursor):
        # Django's wrapper calls execute(sql, params); preparing is this cursor's whole point.
        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=binary)


class _Plan:
    """Compiled SQL and how to turn one of its rows into a model instance, as the ORM does."""

    __slots__ = ("sql", "order", "attnames", "converters", "model")

    def __init__(self, **values):
        for name, value in values.items():
            setattr(self, name, value)

    @classmethod
    def of(cls, compiler, sql: str, *, order) -> "_Plan":
        expressions = [column for column, _sql, _alias in compiler.select]
        return cls(
            sql=sql,
            order=order,
            attnames=[expression.target.attname for expression in expressions],
            converters=list(compiler.get_converters(expressions).items()),
            model=compiler.query.model,
        )

    def instance(self, row, using: str, connection):
        if self.converters:
            row = list(row)
            for position, (converters, expression) in self.converters:
                value = row[position]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[position] = value
        return self.model.from_db(using, self.attnames, row)
