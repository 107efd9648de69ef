"""Advisory lock keys: the work that must not run twice at once in one database."""

from __future__ import annotations

from typing import Final

# Loads wait for each other: the overlap and "known id" checks read what an earlier load
# may still be writing; a build step of the aggregates waits for loads too. The key is
# arbitrary but fixed ("mlload" in ASCII).
LOAD_LOCK_KEY: Final = 0x6D6C6C6F6164

# One build of the aggregates at a time ("mlbuild").
BUILD_LOCK_KEY: Final = 0x6D6C6275696C64
