"""Taking back a mutation's save when the response carries no result (SPEC §8: such a
response changed nothing)."""

from __future__ import annotations

from schema.context import Info


def take_back_with(info: Info, statement: str, *arguments: object) -> None:
    """Register one statement that undoes what the calling mutation just saved; it runs
    only when the operation's ``data`` ends up null. Write it so that it changes a row
    only while the row is still as the mutation left it."""
    pool = info.context.pool

    async def step() -> None:
        await pool.execute(statement, *arguments)

    info.context.undo.append(step)
