"""Embedded storage (SQLite by default)."""

from newsweave.store.sqlite import MIGRATIONS, SCHEMA_VERSION, Store

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "Store"]
