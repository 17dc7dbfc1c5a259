"""The project's one error hierarchy. Every error a user can act on is a `DealdeskError`: front
ends print its message as one sentence and keep the traceback for `-v`."""


class DealdeskError(Exception):
    """Base of every error we expect and explain."""


class IngestError(DealdeskError):
    """One input could not be ingested; the run goes on with the others."""


class StoreError(DealdeskError):
    """The store cannot be opened or written."""


class StoreMissingError(StoreError):
    """A read command found no store: there is nothing to answer from, so it must not make one."""


class StoreBusyError(StoreError):
    """Another process holds the store's writer lock and the caller chose not to wait."""


class ModelMismatchError(StoreError):
    """The index was built with another embedding model; mixing vectors would give nonsense."""


class LLMConfigError(DealdeskError):
    """The configured model cannot be used as configured; the message says what to set."""


class FrontEndStartError(DealdeskError):
    """A chat front end could not start (bad token, unreachable API); the message says why."""


class QuestionError(DealdeskError):
    """The question cannot be asked as given (empty, for instance); the message says why."""
