"""Errors a user can act on; front ends print their message, never a traceback."""


class DealdeskError(Exception):
    """Base of every error we expect and explain."""


class IngestError(DealdeskError):
    """One input could not be ingested; the run goes on with the others."""
