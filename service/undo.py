"""A mutation whose response carries no result changes nothing (SPEC §8)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from strawberry.extensions import SchemaExtension

log = logging.getLogger("memberlens.undo")


class UndoUnanswered(SchemaExtension):
    """Takes back what the operation's mutations saved when its ``data`` is null: a
    non-null field failed after a save, so the client never learns what was saved."""

    async def on_operation(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context.context
        steps = getattr(context, "undo", None)
        result = self.execution_context.result
        if not steps or result is None or getattr(result, "data", None) is not None:
            return
        request_id = getattr(context, "request_id", "-")
        for step in reversed(steps):
            try:
                await step()
            except Exception:  # one failed step must not keep the others from running
                log.exception("request %s: could not take back a mutation", request_id)
        steps.clear()
