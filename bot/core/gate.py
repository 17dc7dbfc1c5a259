"""Does the corpus answer the question at all? Near-misses look like answers: a passage about
Amazon's tablets is close to "How much did Amazon pay for Zappos?", a passage naming Facebook and
WhatsApp is close to "How much did Facebook pay for WhatsApp?". What gives them away is in the
question's names and in the type of answer it wants, so the gate checks, in this order:

1. every name the question asks about occurs somewhere in the corpus (the keyword index, so a
   name is found in any language without translating it);
2. the names occur together in one passage;
3. a deal question asking for an amount or a stake finds a value of that type next to its names
   (a subscription price next to two company names is not the price of a takeover).

German capitalises every noun, so a German question's capitalised words count only when they
are name-shaped, cued ("Firma X") or known; the others help ranking but never refuse. Across
languages a capitalised word may be translated (Empire / Reich, Rhine / Rhein, Warsaw /
Warschau): when no retrieved passage is in the question's language, only names that keep their
form in every language count (acronyms, camel case, names with digits). Measured on XQuAD
en->de, counting every English name there refused 27% of answerable questions.
"""

from collections.abc import Sequence

from bot.core.models import Gap
from bot.core.ports import Retriever
from bot.core.typed import carries_value, sentences_with_neighbours
from ingest.text import Name, QuestionAnalysis, Strength, mention_strength
from vectorstore.models import SearchHit

_DEAL_TRIGGERS = ("buy", "invest", "bid", "merge")
"""Company deals, which have a price; a product's sale price ("verkaufen ... zu welchem Preis")
is a unit price and no deal value."""


def counted_names(analysis: QuestionAnalysis, hits: Sequence[SearchHit]) -> list[Name]:
    """The names a refusal may rest on (see the module docstring)."""
    if not any(hit.language == analysis.language for hit in hits):
        return [n for n in analysis.names if n.distinct]
    if analysis.language == "de":
        return [n for n in analysis.names if n.basis != "capital"]
    return list(analysis.names)


def _mentioned(text: str, name: str) -> bool:
    """A name counts as mentioned by its last word too ("Lacroix" for "Christian Lacroix",
    "Dommermuth" for "Ralph Dommermuth"): articles shorten names after the first mention."""
    return mention_strength(text, name) >= Strength.PARTIAL


def _text(hit: SearchHit) -> str:
    return f"{hit.title}\n{hit.text}"


def find_gap(
    analysis: QuestionAnalysis, hits: Sequence[SearchHit], retriever: Retriever
) -> tuple[Gap | None, list[SearchHit]]:
    """The gap that stops the corpus from answering, if any, and passages that mention all of
    the question's names although retrieval ranked them out (they are worth answering from)."""
    names = [n.text for n in counted_names(analysis, hits)]
    if not names:
        return None, []
    found = {name: [hit for hit in hits if _mentioned(_text(hit), name)] for name in names}
    for name in names:
        if not found[name]:
            found[name] = retriever.chunks_mentioning([name], k=50)
    never = [name for name in names if not found[name]]
    if never:
        return Gap("never", tuple(never)), []
    documents = set.intersection(*({hit.doc_id for hit in found[n]} for n in names))
    together = [hit for hit in hits if hit.doc_id in documents]
    extra: list[SearchHit] = []
    if not together and len(names) > 1:
        extra = retriever.chunks_mentioning(names, k=3)
        extra = extra or [hit for hit in found[names[0]] if hit.doc_id in documents][:3]
        if not extra:
            return Gap("apart", tuple(names)), []
    if analysis.trigger in _DEAL_TRIGGERS and analysis.answer_type in ("amount", "stake"):
        pool = together + extra
        if not any(
            carries_value(analysis, sentence, around, hit.language)
            and any(_mentioned(around, n) for n in names)
            for hit in pool
            for sentence, around in sentences_with_neighbours(hit)
        ):
            return Gap("no_value", analysis.name_texts, analysis.answer_type), extra
    return None, extra
