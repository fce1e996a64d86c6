"""Keep Alembic's schema comparison away from the engines' own structures.

The FTS5 table (and its shadow tables) on SQLite and the ``tsvector`` columns
and GIN indexes on PostgreSQL are created by DDL attached to ``search_document``
and by the search migration, not declared as SQLAlchemy objects: they exist on
one database only, and FTS5 cannot be described as a ``Table``. Alembic would
therefore report them as "removed" on every comparison, both in
``flask db migrate`` and in tests/core/test_migrations.py.

This registers a comparator in Alembic's global registry (the extension point
third-party plugins use; every comparison copies it) that runs last and drops
those reports. Nothing else is filtered: a real difference in
``search_document`` itself is still reported.
"""

from __future__ import annotations

from alembic.autogenerate.api import AutogenContext
from alembic.autogenerate.compare import comparators
from alembic.operations import ops
from alembic.util import DispatchPriority, PriorityDispatchResult

from portal.search.engines import ENGINES

PRIVATE_NAMES = frozenset().union(*(e.private_names for e in ENGINES.values()))


def is_private(operation: ops.MigrateOperation, table: str | None = None) -> bool:
    """Whether ``operation`` (inside ``table``'s changes) is about an engine's own
    object; columns are named ``table.column``."""
    if isinstance(operation, ops.DropTableOp | ops.CreateTableOp):
        return operation.table_name in PRIVATE_NAMES
    if isinstance(operation, ops.DropColumnOp):
        return f"{table}.{operation.column_name}" in PRIVATE_NAMES
    if isinstance(operation, ops.AddColumnOp):
        return f"{table}.{operation.column.name}" in PRIVATE_NAMES
    if isinstance(operation, ops.DropIndexOp | ops.CreateIndexOp):
        return operation.index_name in PRIVATE_NAMES
    return False


def _without_private(
    operations: list[ops.MigrateOperation], table: str | None = None
) -> list[ops.MigrateOperation]:
    kept: list[ops.MigrateOperation] = []
    for operation in operations:
        if isinstance(operation, ops.ModifyTableOps):
            if operation.table_name in PRIVATE_NAMES:
                continue
            operation.ops = _without_private(operation.ops, operation.table_name)
            if operation.is_empty():
                continue
        elif is_private(operation, table):
            continue
        kept.append(operation)
    return kept


@comparators.dispatch_for("autogenerate", priority=DispatchPriority.LAST)
def _forget_engine_structures(
    autogen_context: AutogenContext, upgrade_ops: ops.UpgradeOps
) -> PriorityDispatchResult:
    upgrade_ops.ops = _without_private(upgrade_ops.ops)
    return PriorityDispatchResult.CONTINUE
