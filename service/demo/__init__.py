"""A realistic, deterministic demo dataset in the interchange format."""

from __future__ import annotations

from service.demo.dataset import DEFAULT_DAYS, write_demo_data
from service.demo.shops import DEFAULT_SHOPS, make_shops

__all__ = ["DEFAULT_DAYS", "DEFAULT_SHOPS", "make_shops", "write_demo_data"]
