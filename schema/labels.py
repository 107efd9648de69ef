"""Bilingual text as stored on types: the field picks the language asked for."""

from __future__ import annotations

from dataclasses import dataclass

from resolvers.catalogue import Lang


@dataclass(frozen=True)
class Bilingual:
    """One text in Chinese and English."""

    zh: str
    en: str

    def pick(self, lang: Lang | None) -> str:
        """The text in ``lang``; Chinese when null."""
        return self.en if lang is Lang.EN else self.zh
