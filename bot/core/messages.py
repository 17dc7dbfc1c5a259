"""The few fixed sentences the core says, in the question's language (German or English)."""

from bot.core.models import Gap
from ingest.language import language_name

_WANTED = {
    ("amount", "buy"): ("a purchase price", "keinen Kaufpreis"),
    ("amount", "invest"): ("an amount invested", "keinen investierten Betrag"),
    ("amount", "bid"): ("an offer price", "keinen gebotenen Preis"),
    ("stake", None): ("the size of a stake", "keine Größe eines Anteils"),
}


def _and(names: tuple[str, ...], language: str) -> str:
    joined = " und " if language == "de" else " and "
    return ", ".join(names[:-1]) + joined + names[-1] if len(names) > 1 else names[0]


def gap_reason(gap: Gap, language: str, trigger: str | None = None) -> str:
    """What the corpus lacks, in one sentence: the reader learns why there is no answer."""
    names = _and(gap.names, language)
    if gap.kind == "never":
        if language == "de":
            return f"Das Korpus erwähnt {names} nirgends."
        return f"The corpus never mentions {names}."
    if gap.kind == "apart":
        if language == "de":
            return f"Das Korpus erwähnt {names}, aber nie zusammen."
        return f"The corpus mentions {names}, but never together."
    english, german = _WANTED.get(
        (gap.answer_type or "", trigger if gap.answer_type == "amount" else None),
        ("an amount", "keinen Betrag"),
    )
    if language == "de":
        return f"Die gefundenen Artikel über {names} nennen {german}."
    return f"The articles found about {names} give {english}."


def no_answer(
    language: str, documents: int, gap: Gap | None = None, trigger: str | None = None
) -> str:
    why = f" {gap_reason(gap, language, trigger)}" if gap else ""
    if language == "de":
        return (
            f"Dazu finde ich im Korpus keine Antwort ({documents} Dokumente durchsucht).{why} "
            "Formulieren Sie die Frage anders, oder nehmen Sie Artikel auf, "
            "die das Thema behandeln."
        )
    return (
        f"I found no answer to that in the corpus ({documents} documents searched).{why} "
        "Try rephrasing, or ingest articles that cover it."
    )


def planted_instructions(language: str) -> str:
    if language == "de":
        return (
            "Eine Quelle enthielt Sätze, die wie Anweisungen an den Bot formuliert sind; sie "
            "wurden weder zitiert noch befolgt."
        )
    return (
        "A source contained sentences worded as instructions to the bot; they were neither "
        "quoted nor followed."
    )


def extractive_lead(language: str, sources: int) -> str:
    if language == "de":
        return f"Das sagen {sources} Quellen im Korpus:" if sources > 1 else "Das sagt die Quelle:"
    if sources > 1:
        return f"Here is what {sources} sources in the corpus say:"
    return "Here is what the source says:"


def language_label(passage_language: str, question_language: str) -> str:
    """ " (German)" after a quote whose language differs from the question's, else ""."""
    if passage_language in (question_language, "und"):
        return ""
    return f" ({language_name(passage_language, question_language)})"


def quote(text: str, language: str) -> str:
    return f"„{text}“" if language == "de" else f"“{text}”"
