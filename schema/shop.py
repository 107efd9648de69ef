"""The shop (tenant) type."""

from __future__ import annotations

import strawberry

from schema.pagination import Connection


@strawberry.type(description="A shop: one tenant of the service.")
class Shop:
    id: strawberry.ID
    name: str
    industry: str = strawberry.field(description="Industry code, e.g. apparel, beauty.")
    tier: int = strawberry.field(description="Size layer, 1 (smallest) to 7.")


ShopConnection = Connection[Shop]
