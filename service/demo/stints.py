"""Membership and follow stints of one shop, started in time order so they never overlap."""

from __future__ import annotations

import random


class Stints:
    """The latest stint of each user: a new one may start only after the last has ended."""

    def __init__(self) -> None:
        # user index -> end of the user's latest stint (None: still open)
        self._until: dict[int, int | None] = {}

    def holds(self, user: int, second: int) -> bool:
        """Whether ``user`` is inside a stint at ``second``."""
        if user not in self._until:
            return False
        until = self._until[user]
        return until is None or second < until

    def may_start(self, user: int, second: int) -> bool:
        """Whether a stint of ``user`` may start at ``second`` (the last one has ended)."""
        if user not in self._until:
            return True
        until = self._until[user]
        return until is not None and second >= until

    def start(self, user: int, second: int, until: int | None) -> None:
        """Record a stint ``[second, until)``; the caller checked :meth:`may_start`."""
        if not self.may_start(user, second) or (until is not None and until < second):
            raise ValueError(f"stint of user {user} at {second} would overlap or run backwards")
        self._until[user] = until

    def current(self, second: int) -> list[int]:
        """Users inside a stint at ``second``, in the order they first started one."""
        return [user for user, until in self._until.items() if until is None or second < until]


def join_channel(
    rng: random.Random, carrier: str, entry: str, creator: str, *, outreach: bool, ordered: bool
) -> str:
    """The join channel of a membership begun in a session with this context."""
    if ordered and rng.random() < 0.6:
        return "order_page"
    if outreach:
        return "campaign"
    if rng.random() < 0.06:
        return "other"
    if creator and rng.random() < 0.5:
        return "creator"
    if carrier == "product_card":
        return "shop_page" if entry == "shop_page" else "product_card"
    return carrier
