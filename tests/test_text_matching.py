"""Name matching, grouping keys and the shared stopword lists."""

import pytest

from ingest.text import (
    STOPWORDS,
    Strength,
    is_question_word,
    is_stopword,
    match_strength,
    mention_strength,
    mentions,
    name_key,
    same_name,
)

PAIRS: list[tuple[str, str, Strength]] = [
    ("Alibaba", "Alibabas", Strength.FULL),
    ("Alibaba", "Alibaba's", Strength.FULL),
    ("Chinese", "chinesischen", Strength.FULL),
    ("Italy", "Italien", Strength.FULL),
    ("Norway", "Norwegen", Strength.FULL),
    ("Instagram", "Intel", Strength.NONE),
    ("Microsoft", "Micron", Strength.NONE),
    ("Sony", "Sonera", Strength.NONE),
    ("Lebedev", "Lebedew", Strength.FULL),
    ("Gorbachev", "Gorbatschow", Strength.FULL),
    ("Tchaikovsky", "Tschaikowski", Strength.FULL),
    ("Khodorkovsky", "Chodorkowski", Strength.FULL),
    ("Yeltsin", "Jelzin", Strength.FULL),
    ("Zurich", "Zürich", Strength.FULL),
    ("Munich", "München", Strength.FULL),
    ("Vienna", "Wien", Strength.FULL),
    ("Time Warner", "Time Warner's", Strength.FULL),
    ("Warner", "Time Warner", Strength.PARTIAL),
    ("Alibaba Group", "Alibaba", Strength.FULL),
    ("Amblin Partners", "Amblin", Strength.FULL),
    ("Vivendi Universal SA", "Vivendi Universal", Strength.FULL),
    ("IBM", "International Business Machines", Strength.FULL),
    ("MGM", "Metro-Goldwyn-Mayer", Strength.FULL),
    ("AOL", "America Online", Strength.NONE),
    ("eBay", "Ebay", Strength.FULL),
    ("Empire", "Reich", Strength.NONE),
]


@pytest.mark.parametrize(("a", "b", "strength"), PAIRS)
def test_name_matching_tolerates_inflection_and_transliteration_only(
    a: str, b: str, strength: Strength
) -> None:
    """Spellings of one name match both ways; different names that share a start do not."""
    assert match_strength(a, b) is strength
    assert match_strength(b, a) is strength
    assert same_name(a, b) is (strength is Strength.FULL)


@pytest.mark.parametrize(
    ("names", "same"),
    [
        (["Alibaba Group", "Alibaba", "Alibabas", "Alibaba's"], True),
        (["Amblin Partners", "Amblin"], True),
        (["The Walt Disney Co.", "Walt Disney Company", "Walt Disney Corp"], True),
        (["Deutsche Telekom AG", "Deutsche Telekom"], True),
        (["Time Warner Inc", "Time Warner Holdings"], True),
        (["Sony", "Sony BMG"], False),
    ],
)
def test_name_key_groups_spellings_of_one_company(names: list[str], same: bool) -> None:
    """Corporate suffixes, articles, possessives and the German genitive do not split a group."""
    assert (len({name_key(n) for n in names}) == 1) is same


@pytest.mark.parametrize(
    ("text", "name", "strength"),
    [
        ("Der Spotify-Gründer Daniel Ek sprach.", "Spotify", Strength.FULL),
        ("Time Warner's profits rose.", "Time Warner", Strength.FULL),
        ("Warner Music grew.", "Time Warner", Strength.PARTIAL),
        ("Alibabas Einstieg bei Amblin", "Alibaba", Strength.FULL),
        ("Michail Gorbatschow traf Jelzin.", "Gorbachev", Strength.FULL),
        ("Intel reported results.", "Instagram", Strength.NONE),
        ("International Business Machines sold its PC arm.", "IBM", Strength.FULL),
        ("Die Telekom Austria AG wächst.", "Telekom Austria", Strength.FULL),
    ],
)
def test_mentions_finds_names_inside_text(text: str, name: str, strength: Strength) -> None:
    """A text mentions a name in full, inflected, transliterated or inside a German compound."""
    assert mention_strength(text, name) is strength
    assert mentions(text, name) is (strength is Strength.FULL)


def test_stopwords_cover_both_languages_and_their_question_words() -> None:
    """One list per language; the question words of each are stopwords too."""
    assert is_stopword("The") and is_stopword("und") and not is_stopword("Alibaba")
    assert is_stopword("die", "de") and not is_stopword("die", "en")
    assert {"wer", "warum", "welche", "wann"} <= STOPWORDS["de"]
    assert {"who", "why", "which", "when"} <= STOPWORDS["en"]
    assert is_question_word("Wieso") and not is_question_word("Amblin")
