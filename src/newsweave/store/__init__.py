"""Embedded storage (SQLite by default)."""

from newsweave.store.migrations import MIGRATIONS, SCHEMA_VERSION
from newsweave.store.sqlite import Store

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "Store"]
