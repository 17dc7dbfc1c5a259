"""The name check of the no-answer gate: which words are names, and when passages cover them."""

import pytest

from bot.core.names import question_names, unmatched_names

MICROSOFT_GIANT = "Microsoft has bought Giant Company Software, which makes anti-spyware tools."


@pytest.mark.parametrize(
    ("question", "language", "names"),
    [
        ("How much did Microsoft spend on buying LinkedIn?", "en", ["Microsoft", "LinkedIn"]),
        ("How is Lenovo doing ahead of buying IBM's PC arm?", "en", ["Lenovo", "IBM", "PC"]),
        ("Why did Alibaba invest in Amblin?", "en", ["Alibaba", "Amblin"]),
        ("Wie viel zahlt Verizon für die Übernahme von MCI?", "de", ["MCI"]),
        ("Wann hat Disney die Lucasfilm-Studios übernommen?", "de", ["Lucasfilm"]),
        ("Mit wem arbeitet Motorola für ein Handy mit iTunes zusammen?", "de", ["iTunes"]),
        ("what is the recipe for apple crumble?", "en", []),
        ("What can I read about Netflix?", "en", ["Netflix"]),
    ],
)
def test_english_capitals_and_german_name_shapes_count_as_names(
    question: str, language: str, names: list[str]
) -> None:
    assert question_names(question, language) == names


def test_same_language_passages_must_mention_every_name() -> None:
    passages = [("en", MICROSOFT_GIANT)]
    assert unmatched_names("How much did Microsoft pay for LinkedIn?", "en", passages) == [
        "LinkedIn"
    ]
    assert unmatched_names("Which anti-spyware firm did Microsoft buy?", "en", passages) == []


def test_names_match_across_inflection_case_and_hyphens() -> None:
    passages = [("en", MICROSOFT_GIANT)]
    question = "Welche Firma für Anti-Spyware-Software hat Microsoft übernommen?"
    assert unmatched_names(question, "de", passages) == []
    norse = [("en", "The Norman settlers were of Norwegian and Danish origin.")]
    assert unmatched_names("Did the Normans come from Norway?", "en", norse) == []


def test_across_languages_only_names_that_keep_their_form_must_occur() -> None:
    """Capitalised English words translate (Empire -> Reich); acronyms and camel case do not."""
    german = [("de", "Die Normannen kämpften in Italien gegen das Byzantinische Reich.")]
    question = "Who was the Normans' main enemy in Italy, the Byzantine Empire?"
    assert unmatched_names(question, "en", german) == []
    assert unmatched_names("Did the Normans fight the NFL?", "en", german) == ["NFL"]
    english = [("en", "Disney backs Sony's Blu-ray format for high-definition DVDs.")]
    lucas = "Wann hat Disney die Lucasfilm-Studios übernommen?"
    assert unmatched_names(lucas, "de", english) == ["Lucasfilm"]


def test_no_passages_means_no_name_to_report() -> None:
    """An empty corpus says it has no answer; it does not claim a name is missing."""
    assert unmatched_names("Why did Alibaba invest in Amblin?", "en", []) == []
