"""Segments (SPEC §6): the rule language's validation, JSON form and SQL compiler."""
