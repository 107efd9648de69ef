"""The rule language's dataset, loaded into an emptied database."""

from __future__ import annotations

import asyncpg
import pytest

from tests.resolvers.segments import rule_fixture


@pytest.fixture
async def data(db: asyncpg.Pool) -> asyncpg.Pool:
    """The pool over ``rule_fixture``'s dataset."""
    await rule_fixture.load(db)
    return db
