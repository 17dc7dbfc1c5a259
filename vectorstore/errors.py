"""Store errors with messages that tell the user what to do."""

from ingest.errors import DealdeskError


class StoreError(DealdeskError):
    """The store cannot be opened or written."""


class ModelMismatchError(StoreError):
    """The index was built with another embedding model; mixing vectors would give nonsense."""
