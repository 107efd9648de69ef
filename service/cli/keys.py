"""``memberlens keys create|list|revoke``: API key management."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import asyncpg

from service.cli.common import run_with_pool
from service.keys import SCOPES, create_key, list_keys, revoke_key
from service.settings import Settings


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("keys", help="create, list and revoke API keys")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="create a key and print it (shown only once)")
    create.add_argument("--scope", required=True, choices=SCOPES)
    create.add_argument("--shops", default="", help="comma-separated shop ids (read and write)")
    create.add_argument("--name", default="", help="a note to recognise the key by")
    create.set_defaults(run=run_create)
    listing = actions.add_parser("list", help="list keys (never their secrets)")
    listing.set_defaults(run=run_list)
    revoke = actions.add_parser("revoke", help="revoke a key by its id")
    revoke.add_argument("key_id", metavar="ID")
    revoke.set_defaults(run=run_revoke)


def run_create(args: argparse.Namespace, settings: Settings) -> int:
    shops = tuple(part.strip() for part in args.shops.split(",") if part.strip()) or None

    async def work(pool: asyncpg.Pool) -> str:
        key, secret = await create_key(pool, scope=args.scope, shops=shops, name=args.name)
        reach = ", ".join(key.shops) if key.shops else "every shop"
        print(f"created key {key.key_id} ({key.scope}; {reach}); it is shown only once:")
        return secret

    try:
        secret = run_with_pool(settings, work)
    except ValueError as exc:
        print(f"memberlens keys create: {exc}", file=sys.stderr)
        return 2
    print(secret)
    return 0


def run_list(args: argparse.Namespace, settings: Settings) -> int:
    keys = run_with_pool(settings, list_keys)
    print(f"{'ID':<14}{'SCOPE':<7}{'STATE':<9}{'CREATED':<27}{'SHOPS':<30}NAME")
    for key in keys:
        state = "revoked" if key.revoked_at else "active"
        shops = ",".join(key.shops) if key.shops else "*"
        created = key.created_at.isoformat(timespec="seconds")
        print(f"{key.key_id:<14}{key.scope:<7}{state:<9}{created:<27}{shops:<30}{key.name}")
    return 0


def run_revoke(args: argparse.Namespace, settings: Settings) -> int:
    async def work(pool: asyncpg.Pool) -> bool:
        return await revoke_key(pool, key_id=args.key_id)

    if not run_with_pool(settings, work):
        print(f"memberlens keys revoke: no key {args.key_id!r}", file=sys.stderr)
        return 1
    print(f"revoked key {args.key_id}")
    return 0
