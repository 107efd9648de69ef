"""A shop's channels: every code of a channel kind, in vocabulary order."""

from __future__ import annotations

from resolvers.catalogue import ChannelKind
from resolvers.shop_fields import ShopRoot, shop_key
from schema.channel import Channel
from schema.labels import Bilingual
from vocabulary import CHANNEL_LABELS


def resolve_shop_channels(root: ShopRoot, kind: ChannelKind) -> list[Channel]:
    """``Shop.channels``: the same list for every shop, so that dashboards get a stable set
    of rows whether or not a channel has data."""
    shop = shop_key(root)
    return [
        Channel(kind=kind, code=code, shop=shop, label_text=Bilingual(zh=zh, en=en))
        for code, (zh, en) in CHANNEL_LABELS[kind.name].items()
    ]
