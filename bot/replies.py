"""What every front end says the same way, before its own markup: the fixed sentences of the
chat commands and the corpus summary. Formatters add HTML, mrkdwn or nothing."""

import math

from vectorstore.models import StoreStats

NO_SOURCES = "No sources yet: ask a question first."
RESET_DONE = "Conversation forgotten. Ask something new."


def slow_down(wait_s: float, language: str = "en") -> str:
    """The reply to a user over the rate limit, in the language of their question."""
    seconds = max(1, math.ceil(wait_s))
    if language == "de":
        return f"Bitte etwas langsamer: Versuchen Sie es in {seconds} s noch einmal."
    return f"Slow down, please: try again in {seconds} s."


def corpus_rows(stats: StoreStats, with_store: bool = True) -> list[tuple[str, str]]:
    """The corpus summary as (label, value) rows. Chat front ends leave out where the store
    lives: the server's layout is nobody's business in a chat."""
    languages = ", ".join(f"{code}: {n}" for code, n in sorted(stats.languages.items())) or "-"
    rows = [
        ("Documents", str(stats.documents)),
        ("Passages", str(stats.chunks)),
        ("Languages", languages),
        ("Embedding model", f"{stats.embedding_model} ({stats.dimension} dimensions)"),
    ]
    if with_store:
        rows.append(("Store", f"{stats.location} ({stats.chroma_mode})"))
    return rows
