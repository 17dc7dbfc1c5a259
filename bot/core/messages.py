"""The few fixed sentences the core says, in the question's language (German or English)."""

from ingest.language import language_name


def no_answer(language: str, documents: int, unmatched_names: list[str] | None = None) -> str:
    names = ", ".join(unmatched_names or [])
    if language == "de":
        why = f" Keine passende Stelle erwähnt {names}." if names else ""
        return (
            f"Dazu finde ich im Korpus keine Antwort ({documents} Dokumente durchsucht).{why} "
            "Formulieren Sie die Frage anders, oder nehmen Sie Artikel auf, "
            "die das Thema behandeln."
        )
    why = f" None of the closest passages mentions {names}." if names else ""
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
