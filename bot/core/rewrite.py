"""Rule-based rewriting of follow-up questions into standalone ones.

"And what does Spielberg get out of it?" after a question about Alibaba and Amblin must still
retrieve the Alibaba/Amblin article: the names of the last turn that the follow-up does not
repeat are carried over.
"""

import re

from bot.core.models import Turn
from ingest.language import detect_language
from ingest.text import names_in as find_names
from ingest.text import unique_names

_FOLLOW_UP_START = re.compile(
    r"^(and|but|also|what about|how about|und|aber|auch|was ist mit|wie steht es mit)\b",
    re.IGNORECASE,
)
_REFERS_BACK = re.compile(
    r"\b(it|its|they|them|their|that|this|those|he|she|him|her|the deal|the company|"
    r"es|sie|ihr|ihre|ihm|ihn|dies|diese|dieser|das|dabei|davon|daran|dafür|der deal|die firma)\b",
    re.IGNORECASE,
)


def names_in(text: str) -> list[str]:
    """The names a question or an earlier turn mentions, by the shared text analysis."""
    return [name.text for name in unique_names(find_names(text, detect_language(text)))]


def is_follow_up(question: str) -> bool:
    """Starts like a continuation, or leans on a pronoun without naming anything itself."""
    if _FOLLOW_UP_START.match(question.strip()):
        return True
    return bool(_REFERS_BACK.search(question)) and not names_in(question)


def rewrite_follow_up(question: str, history: list[Turn]) -> str:
    """The question with the previous turn's names appended when it leans on them."""
    if not history or not is_follow_up(question):
        return question
    own = {n.lower() for n in names_in(question)}
    carried = [n for n in names_in(history[-1].standalone_question) if n.lower() not in own]
    if not carried:
        return question
    return f"{question.rstrip()} ({', '.join(carried)})"
