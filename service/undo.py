"""A mutation whose response carries no result changes nothing (SPEC §8)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from strawberry.extensions import SchemaExtension

from schema.context import Context

log = logging.getLogger("memberlens.undo")


async def take_back(context: Context) -> None:
    """Run the context's undo steps, newest first, once."""
    steps = list(reversed(context.undo))
    context.undo.clear()
    for step in steps:
        try:
            await step()
        except Exception:  # one failed step must not keep the others from running
            log.exception("request %s: could not take back a mutation", context.request_id)


class UndoUnanswered(SchemaExtension):
    """Takes back what the operation's mutations saved when its ``data`` is null: a
    non-null field failed after a save, so the client never learns what was saved."""

    async def on_operation(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context.context
        result = self.execution_context.result
        if isinstance(context, Context) and result is not None and result.data is None:
            await take_back(context)
