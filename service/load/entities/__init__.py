"""The interchange files, each with its columns, checks and merge statements."""

from __future__ import annotations

from typing import Final

from service.load.entities.benefits import BENEFITS
from service.load.entities.campaigns import CAMPAIGNS
from service.load.entities.creators import CREATORS
from service.load.entities.events import EVENTS
from service.load.entities.orders import ORDERS
from service.load.entities.products import PRODUCTS
from service.load.entities.reach import REACH
from service.load.entities.shops import SHOPS
from service.load.entities.stints import FANS, MEMBERS
from service.load.entities.users import USERS
from service.load.spec import Entity

ENTITIES: Final[dict[str, Entity]] = {
    entity.file: entity
    for entity in (
        SHOPS,
        USERS,
        CREATORS,
        PRODUCTS,
        BENEFITS,
        CAMPAIGNS,
        MEMBERS,
        FANS,
        ORDERS,
        EVENTS,
        REACH,
    )
}
