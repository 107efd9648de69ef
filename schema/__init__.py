"""GraphQL types. The enums are registered first, so every type shares one definition."""

from schema import enums as enums
