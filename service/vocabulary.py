"""The code lists the benchmark scripts read from here; they live in ``vocabulary``."""

from vocabulary import BENEFIT_KINDS, CROWDS, ENTRIES, REACH_CHANNELS

__all__ = ["BENEFIT_KINDS", "CROWDS", "ENTRIES", "REACH_CHANNELS"]
