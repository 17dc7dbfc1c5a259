"""The composition root: the one place that builds a `DealDesk` from settings. Front ends, the
CLI, evaluation and benchmarks call `build_desk`; the core never constructs its own parts."""

from bot.core.answerers import Answerer
from bot.core.service import DealDesk
from config import Settings
from vectorstore.store import Store


def build_desk(
    settings: Settings, store: Store | None = None, answerer: Answerer | None = None
) -> DealDesk:
    """A desk over `store` (default: the store in the configured data dir) answering with
    `answerer` (default: the configured provider)."""
    return DealDesk(settings, store=store, answerer=answerer)
