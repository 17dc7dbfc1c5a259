"""Gold-span matching: fair across languages, number styles and quote boundaries, and strict
about whole words and values."""

import pytest

from bot.evaluation.spans import found_in, gold_span, tokens


@pytest.mark.parametrize(
    ("gold", "text"),
    [
        ("Falic Group", "Sold to the FALIC group, a US investor."),
        ("Daily Mail & General Trust", "Daily Mail and General Trust erwägt eine Übernahme."),
        ("Audi, BMW und Daimler", "talks with Audi, BMW and Daimler"),
        ("115 Millionen Dollar", "Telia Sonera invested $115m in Spotify [1]."),
        ("115 Millionen Dollar", "Telia Sonera investierte 115 Mio. US-Dollar."),
        ("1,4 Prozent", "for a 1.4% stake"),
        ("1,4 Prozent", "einen Anteil von 1,4 %"),
        ("33,24 Prozent", "33.24 per cent of Casinos Austria"),
        ("1,2 Mrd. Euro", "a deal worth €1.2bn"),
        ("2,5 Mrd. Euro", "more than 2.5 billion euros"),
        ("Zwei Milliarden US-Dollar", "Facebook paid $2 billion for Oculus VR."),
        ("$6.75bn", "Verizon zahlt 6,75 Milliarden Dollar für MCI."),
        ("£3.6bn", "3,6 Mrd. Pfund"),
        ("eine halbe Milliarde Dollar", "half a billion dollars"),
        ("1.200", "1,200 employees are affected"),
        ("1.200", "1200 Mitarbeiter"),
        ("12,800", "rund 12.800 Stellen"),
        ("zehn Prozent", "a 10% stake"),
        ("zehn Jahre", "für 10 Jahre"),
        ("zehn Jahre", "a deal for ten years"),
        ("7. Februar 2016", "on February 7, 2016"),
        ("18. April", "bids are due by 18 April"),
        ("März 2014", "in March 2014"),
        ("Jänner", "im Januar"),
        ("im Jahr 2010", "seit dem Jahr 2010"),
        ("die Falic Group", "the Falic Group"),
        ("Apple", "Apples Chef Tim Cook"),
        ("Lucasfilm", "die Lucasfilm-Studios"),
        ("Murdoch's", "Murdochs Medienimperium"),
        ("Übernahme", "die Ubernahme"),
        ("Zilien", "kammartige Zilienbänder"),
        ("globale Klima", "dem globalen Klimamodell"),
    ],
)
def test_gold_span_is_found_however_the_answer_spells_it(gold: str, text: str) -> None:
    """Case, accents, punctuation, number style, scale words, currency, percent and date
    order do not decide whether an answer holds the gold span."""
    assert found_in([text], gold_span(gold))


@pytest.mark.parametrize(
    ("gold", "text"),
    [
        ("Sky", "Skype was bought by eBay."),
        ("Revolutionärer Ungehorsam", "Nichtrevolutionärer Ungehorsam"),
        ("Klima Modell", "Klimamodell"),
        ("3", "in 1930 it had 13 staff"),
        ("115 Millionen Dollar", "115 Millionen Euro"),
        ("115 Millionen Dollar", "115 Milliarden Dollar"),
        ("1,4 Prozent", "14 Prozent"),
        ("1,4 Prozent", "1,4 Millionen"),
        ("Falic Group", "Falic hat eine Group"),
        ("18. April", "18. Mai"),
        ("Rhein", "the Rhine"),
        ("100 m", "100 million"),
        ("zehn Jahre", "ten months"),
        ("Jahre", "years"),
    ],
)
def test_gold_span_is_not_found_in_a_different_fact(gold: str, text: str) -> None:
    """Only whole words match (a compound counts only when the span's last word opens it),
    values and currencies must agree, and nothing is translated beyond numbers, currencies,
    percent, months and units of time."""
    assert not found_in([text], gold_span(gold))


def test_gold_span_split_over_two_quotes_counts() -> None:
    """A span that a sentence splitter cut in two counts when one quote ends with its first
    part and another starts with the rest, in either order."""
    gold = gold_span("bis weit ins 19. Jahrhundert hinein")
    assert found_in(["Jahrhundert hinein blieb es so.", "Es galt bis weit ins 19."], gold)
    assert not found_in(["Es galt bis weit ins 19.", "Ein anderer Satz."], gold)


def test_gold_span_parts_must_sit_at_the_quote_boundary() -> None:
    """Two halves of the span in the middle of two quotes are not the span."""
    gold = gold_span("Falic Group")
    assert not found_in(["the Falic family sold", "its Group label"], gold)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$115m", [frozenset({115e6}), "usd"]),
        ("1,2 Mrd. Euro", [frozenset({1.2e9}), "eur"]),
        ("einer halben Milliarde Dollar", [frozenset({5e8}), "usd"]),
        ("1.200", [frozenset({1200.0, 1.2})]),
        ("2,345,678", [frozenset({2345678.0})]),
        ("1.200,50", [frozenset({1200.5})]),
        ("February 7", [frozenset({7.0}), "month:2"]),
        ("may be", ["may", "be"]),
        ("1080p", ["1080p"]),
    ],
)
def test_tokens_spell_numbers_currencies_and_months_one_way(
    text: str, expected: list[object]
) -> None:
    """Numbers carry every value their spelling allows; a word that only might be a month
    stays a word unless a number stands next to it."""
    assert tokens(text) == expected


def test_leading_articles_and_prepositions_are_optional_but_one_token_stays() -> None:
    """ "die Falic Group" needs "Falic Group"; a span that is only an article stays whole."""
    assert gold_span("die Falic Group").needle == ("falic", "group")
    assert gold_span("die").needle == ("die",)
