"""An order as a member's order list shows it."""

from __future__ import annotations

from datetime import datetime

import strawberry

from schema.pagination import Connection


@strawberry.type(description="One order paid at the shop, as loaded from orders.csv.")
class Order:
    id: strawberry.ID = strawberry.field(description="The order id.")
    product_id: strawberry.ID
    quantity: int
    amount: float = strawberry.field(description="What the buyer paid, in yuan.")
    paid_at: datetime
    carrier: str = strawberry.field(description="live, short_video or product_card.")
    traffic_type: str = strawberry.field(description="organic or paid.")
    entry: str | None = strawberry.field(
        description="Product-card entry (search, shop_page, …); null for other carriers."
    )
    creator_id: strawberry.ID | None = strawberry.field(
        description="The creator who sold it; null when none did."
    )
    benefit_id: strawberry.ID | None = strawberry.field(
        description="The member benefit used; null when none was."
    )
    refund_amount: float | None = strawberry.field(
        description="Refunded yuan; null when nothing was refunded."
    )
    refunded_at: datetime | None


OrderConnection = Connection[Order]
