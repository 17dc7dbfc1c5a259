"""The text-analysis extractors over one English/German table: names, money, percentages,
counts, dates and numbers, each rendered as "span=value" so a row reads like the text.

Snippets are invented or paraphrased after patterns seen in the BBC, 10kGNAD and seed articles.
"""

from collections.abc import Callable, Sequence

import pytest

from ingest.text import (
    Count,
    DateMention,
    Mention,
    Money,
    Name,
    Number,
    Percent,
    counts_in,
    dates_in,
    money_in,
    names_in,
    numbers_in,
    percents_in,
)


def _render(m: Mention) -> str:
    if isinstance(m, Money):
        out = f"{m.text}={m.value} {m.currency}"
        out += f" to {m.high}" if m.high is not None else ""
        out += f" {m.qualifier}" if m.qualifier else ""
        return out + (f" per {m.per}" if m.per else "")
    if isinstance(m, Percent):
        out = (
            f"{m.text}={m.value}%" + (" stake" if m.stake else "") + (" points" if m.points else "")
        )
        return out + (f" {m.qualifier}" if m.qualifier else "")
    if isinstance(m, Count):
        return f"{m.text}={m.value} {m.noun}"
    if isinstance(m, DateMention):
        return f"{m.text}={m.date.isoformat()} {m.precision}"
    if isinstance(m, Number):
        return f"{m.text}={m.value}"
    assert isinstance(m, Name)
    return m.text if m.kind == "other" else f"{m.text}/{m.kind}"


_EXTRACTORS: dict[str, Callable[[str, str | None], Sequence[Mention]]] = {
    "money": money_in,
    "percent": percents_in,
    "count": counts_in,
    "date": lambda text, _language: dates_in(text),
    "number": numbers_in,
    "name": names_in,
}

TABLE: list[tuple[str, str | None, str, list[str]]] = [
    # money, English
    ("money", "en", "Verizon paid $6.75bn for MCI.", ["$6.75bn=6750000000 USD"]),
    ("money", "en", "a deal worth £3.6bn", ["£3.6bn=3600000000 GBP"]),
    ("money", "en", "It raised €1.2 billion.", ["€1.2 billion=1200000000 EUR"]),
    ("money", "en", "bought for US$ 50m in cash", ["US$ 50m=50000000 USD"]),
    ("money", "en", "a market worth $1.5 trillion", ["$1.5 trillion=1500000000000 USD"]),
    ("money", "en", "an offer of $40 a share", ["$40=40 USD per share"]),
    ("money", "en", "valued at $1bn-$2bn", ["$1bn-$2bn=1000000000 USD to 2000000000"]),
    ("money", "en", "valued at $1-2bn", ["$1-2bn=1000000000 USD to 2000000000"]),
    ("money", "en", "for more than $2bn", ["$2bn=2000000000 USD more"]),
    ("money", "en", "half a billion dollars", ["half a billion dollars=500000000 USD"]),
    ("money", "en", "10 million dollars in fees", ["10 million dollars=10000000 USD"]),
    ("money", "en", "Shares fell to $42.12.", ["$42.12=42.12 USD"]),
    ("money", "en", "a £12,700 salary", ["£12,700=12700 GBP"]),
    ("money", "en", "profits of $186.3m", ["$186.3m=186300000 USD"]),
    ("money", "en", "it costs $10 a month", ["$10=10 USD per month"]),
    ("money", "en", "about $800m in debt", ["$800m=800000000 USD about"]),
    ("money", "en", "up to £160m", ["£160m=160000000 GBP up_to"]),
    ("money", "en", "nearly $18.4bn", ["$18.4bn=18400000000 USD less"]),
    ("money", "en", "EUR 5m upfront", ["EUR 5m=5000000 EUR"]),
    ("money", "en", "Revenue grew 12% to 3,000 units.", []),
    ("money", "en", "In 2004 it had 200 staff.", []),
    # money, German
    ("money", "de", "Telia Sonera zahlte 115 Millionen Dollar.",
     ["115 Millionen Dollar=115000000 USD"]),
    ("money", "de", "mit mehr als einer halben Milliarde Dollar",
     ["einer halben Milliarde Dollar=500000000 USD more"]),
    ("money", "de", "ein Umsatz von 1,2 Mrd. Euro", ["1,2 Mrd. Euro=1200000000 EUR"]),
    ("money", "de", "Die Strafe betrug 500.000 Euro.", ["500.000 Euro=500000 EUR"]),
    ("money", "de", "Der Verlust lag bei 2,3 Milliarden Franken.",
     ["2,3 Milliarden Franken=2300000000 CHF"]),
    ("money", "de", "Das Budget: 120 Mio. €", ["120 Mio. €=120000000 EUR"]),
    ("money", "de", "Sie bieten 40 Dollar je Aktie.", ["40 Dollar=40 USD per share"]),
    ("money", "de", "ein Paket um 9,99 Euro im Monat", ["9,99 Euro=9.99 EUR per month"]),
    ("money", "de", "rund 211 Millionen Euro", ["211 Millionen Euro=211000000 EUR about"]),
    ("money", "de", "knapp 44 Euro pro Stück", ["44 Euro=44 EUR less per unit"]),
    ("money", "de", "mindestens 60 Millionen Dollar",
     ["60 Millionen Dollar=60000000 USD at_least"]),
    ("money", "de", "eine Billion Dollar Schulden", ["eine Billion Dollar=1000000000000 USD"]),
    ("money", "de", "zwei Millionen Euro Förderung", ["zwei Millionen Euro=2000000 EUR"]),
    ("money", "de", "zwischen 1 bis 2 Milliarden Euro",
     ["zwischen 1 bis 2 Milliarden Euro=1000000000 EUR to 2000000000"]),
    ("money", "de", "Strafen zwischen 1.000 und 4.000 Euro",
     ["zwischen 1.000 und 4.000 Euro=1000 EUR to 4000"]),
    ("money", "de", "50 Mio. US-Dollar", ["50 Mio. US-Dollar=50000000 USD"]),
    ("money", "de", "bis zu 800 Dollar", ["800 Dollar=800 USD up_to"]),
    ("money", "de", "im Jahr 2015 zahlte er 30 Euro", ["30 Euro=30 EUR"]),
    ("money", None, "6.800 Euro", ["6.800 Euro=6800 EUR"]),
    ("money", None, "$6.75bn", ["$6.75bn=6750000000 USD"]),
    ("money", "de", "Die Aktie stieg um 3 Prozent.", []),
    # percentages
    ("percent", "de", "ein Anteil von 1,4 Prozent", ["1,4 Prozent=1.4% stake"]),
    ("percent", "en", "Sales rose 20%.", ["20%=20%"]),
    ("percent", "en", "up 20 per cent", ["20 per cent=20%"]),
    ("percent", "de", "zwölf Prozent der Stimmen", ["zwölf Prozent=12%"]),
    ("percent", "en", "Alibaba took a 49% stake.", ["49%=49% stake"]),
    ("percent", "de", "Alibaba ist mit 20 Prozent an Amblin beteiligt.", ["20 Prozent=20% stake"]),
    ("percent", "de", "Die Quote stieg um 2,5 Prozentpunkte.", ["2,5 Prozentpunkte=2.5% points"]),
    ("percent", "en", "inflation of 1.5 percent", ["1.5 percent=1.5%"]),
    ("percent", "de", "knapp 44 Prozent der Befragten", ["44 Prozent=44% less"]),
    ("percent", "en", "more than 60% of parcels", ["60%=60% more"]),
    ("percent", "de", "Er hält 10,5 Prozent der Aktien.", ["10,5 Prozent=10.5% stake"]),
    ("percent", "en", "a 3.5 percentage point rise", ["3.5 percentage point=3.5% points"]),
    ("percent", "de", "Der Umsatz: 48,7 Prozent mehr.", ["48,7 Prozent=48.7%"]),
    ("percent", "en", "a market share of 12 percent", ["12 percent=12%"]),
    ("percent", "en", "Profits were $2bn.", []),
    # counts
    ("count", "de", "Die Firma hat 1.200 Angestellte.", ["1.200 Angestellte=1200 Angestellte"]),
    ("count", "en", "It will cut 3,000 jobs.", ["3,000 jobs=3000 jobs"]),
    ("count", "de", "zwei Millionen Abonnenten", ["zwei Millionen Abonnenten=2000000 Abonnenten"]),
    ("count", "en", "10 million subscribers", ["10 million subscribers=10000000 subscribers"]),
    ("count", "en", "adding 3,000 new jobs", ["3,000 new jobs=3000 jobs"]),
    ("count", "de", "50 Millionen aktive Nutzer", ["50 Millionen aktive Nutzer=50000000 Nutzer"]),
    ("count", "en", "its 28,000 staff", ["28,000 staff=28000 staff"]),
    ("count", "en", "lost 464,000 subscribers", ["464,000 subscribers=464000 subscribers"]),
    ("count", "de", "rund 400 Mitarbeiter", ["400 Mitarbeiter=400 Mitarbeiter"]),
    ("count", "de", "100 Millionen Kunden weltweit", ["100 Millionen Kunden=100000000 Kunden"]),
    ("count", "en", "sold 1.5 million copies", ["1.5 million copies=1500000 copies"]),
    ("count", "de", "8.000 Arbeitsplätze fallen weg", ["8.000 Arbeitsplätze=8000 Arbeitsplätze"]),
    ("count", "en", "It made $3bn.", []),
    ("count", "de", "Sie gewann einen Kunden und eine Million Nutzer.",
     ["eine Million Nutzer=1000000 Nutzer"]),
    # dates
    ("date", "en", "It was founded in 2016.", ["2016=2016-01-01 year"]),
    ("date", "de", "im Jahr 2015 gegründet", ["2015=2015-01-01 year"]),
    ("date", "en", "in March 2005", ["March 2005=2005-03-01 month"]),
    ("date", "de", "im März 2016", ["März 2016=2016-03-01 month"]),
    ("date", "de", "am 3. März 2016", ["3. März 2016=2016-03-03 day"]),
    ("date", "en", "on 2016-03-03", ["2016-03-03=2016-03-03 day"]),
    ("date", "en", "on 3 March 2016", ["3 March 2016=2016-03-03 day"]),
    ("date", "en", "on March 3, 2016", ["March 3, 2016=2016-03-03 day"]),
    ("date", "de", "Am 3.3.2016 wurde bekannt", ["3.3.2016=2016-03-03 day"]),
    ("date", "de", "seit Jänner 2014", ["Jänner 2014=2014-01-01 month"]),
    ("date", "en", "by Dec. 2004", ["Dec. 2004=2004-12-01 month"]),
    ("date", "de", "gestern und letztes Jahr", []),
    ("date", "en", "last year and yesterday", []),
    ("date", "en", "They may buy it.", []),
    ("date", "de", "1.200 Mitarbeiter und 2016 Euro", []),
    ("date", "en", "between 1998 and 2004", ["1998=1998-01-01 year", "2004=2004-01-01 year"]),
    # numbers
    ("number", "de", "6.800 und 1,5", ["6.800=6800", "1,5=1.5"]),
    ("number", "en", "6.8 and 3,000", ["6.8=6.8", "3,000=3000"]),
    ("number", "de", "zwölf Monate", ["zwölf=12"]),
    ("number", "en", "twelve months and a half", ["twelve=12", "half=0.5"]),
    ("number", "en", "as passage [2] says, 60 %", ["60=60"]),
    ("number", "en", "$6.75bn", ["6.75=6.75"]),
    ("number", "de", "ProSiebenSat.1 wächst", []),
    # names, English
    ("name", "en", "Shares in Time Warner rose.", ["Time Warner"]),
    ("name", "en", "The deal was struck by MGM.", ["MGM"]),
    ("name", "en", "eBay bought PayPal; AT&T and iTunes followed.",
     ["eBay", "PayPal", "AT&T", "iTunes"]),
    ("name", "en", "YouTube was sold to Google.", ["YouTube", "Google"]),
    ("name", "en", "However, Alibaba's stake in Amblin Partners is small.",
     ["Alibaba", "Amblin Partners/company"]),
    ("name", "en", "The Christian Lacroix label went to the Falic Group.",
     ["Christian Lacroix", "Falic Group/company"]),
    ("name", "en", "Telia Sonera invested in Spotify.", ["Telia Sonera", "Spotify"]),
    ("name", "en", "Analysts at Goldman Sachs said so on Monday.", ["Goldman Sachs"]),
    ("name", "en", "Mr Fuller founded 19 Entertainment.", ["Fuller/person", "19 Entertainment"]),
    ("name", "en", "The Walt Disney Company owns Lucasfilm.",
     ["Walt Disney Company/company", "Lucasfilm"]),
    ("name", "en", "Time Warner's shares fell.", ["Time Warner"]),
    ("name", "en", "Bank of America lent money in May.", ["Bank of America"]),
    ("name", "en", "Vivendi Universal SA sold it.", ["Vivendi Universal SA/company"]),
    ("name", "en", "the chief executive of ProSiebenSat.1", ["ProSiebenSat.1"]),
    # names, German
    ("name", "de", "Der Musikdienst Spotify wächst.", ["Spotify/company"]),
    ("name", "de", "Disney übernahm die Lucasfilm-Studios.", ["Disney", "Lucasfilm"]),
    ("name", "de", "Der Spotify-Gründer sprach mit dem Alibaba-Chef.", ["Spotify", "Alibaba"]),
    ("name", "de", "Alibabas Beteiligung freut Alibaba.", ["Alibaba", "Alibaba"]),
    ("name", "de", "Die Übernahme durch den Konzern ist abgeschlossen.", []),
    ("name", "de", "Das Label Christian Lacroix gehört LVMH.",
     ["Christian Lacroix/company", "LVMH"]),
    ("name", "de", "Die Deutsche Bank berät die Österreichische Post.",
     ["Deutsche Bank", "Österreichische Post"]),
    ("name", "de", "Der Preis von ProSiebenSat.1 und YouTube stieg.",
     ["ProSiebenSat.1", "YouTube"]),
    ("name", "de", "Hat Microsoft LinkedIn gekauft?", ["Microsoft", "LinkedIn"]),
    ("name", "de", "Firmenchef Wolfgang Katzian lobte die Gewerkschaft.",
     ["Wolfgang Katzian/person"]),
    ("name", "de", "Der Medienkonzern erhöhte die Preise für Kunden.", []),
    ("name", "de", "Allerdings sank der Umsatz im Quartal.", []),
    ("name", "de", "Die Telekom Austria AG meldete Gewinne.", ["Telekom Austria AG/company"]),
    ("name", "de", "Apple und Samsung streiten in Wien.", ["Apple", "Samsung", "Wien"]),
    ("name", "de", "115 Millionen Dollar", []),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "language", "text", "expected"), TABLE)
def test_extractor_finds_typed_spans_in_english_and_german(
    kind: str, language: str | None, text: str, expected: list[str]
) -> None:
    """Each extractor returns exactly the expected spans with their values, in text order."""
    found = _EXTRACTORS[kind](text, language)
    assert [_render(m) for m in found] == expected
    assert all(text[m.start : m.end] == m.text for m in found)


def test_table_has_both_languages_and_enough_rows() -> None:
    """The table covers every extractor in both languages, as the brief asks (~120 rows)."""
    assert len(TABLE) >= 120
    for kind in _EXTRACTORS:
        assert {row[1] for row in TABLE if row[0] == kind} >= {"en", "de"}


def test_known_names_count_in_german_even_when_they_look_like_nouns() -> None:
    """A name the caller knows from elsewhere is found although the noun lexicon knows it
    too (the German newspaper "Standard")."""
    text = "Der Standard berichtet über Apple."
    assert [n.text for n in names_in(text, "de")] == ["Apple"]
    assert [n.text for n in names_in(text, "de", known={"Standard"})] == ["Standard", "Apple"]


def test_name_basis_says_why_a_word_is_a_name() -> None:
    """Acronyms and camel case are name-shaped (kept across languages); cues and capitals not."""
    found = {n.text: n for n in names_in("Die Firma Amblin und MGM und Spotify.", "de")}
    assert found["MGM"].distinct and found["MGM"].basis == "shape"
    assert found["Amblin"].basis == "cue" and found["Amblin"].kind == "company"
    assert found["Spotify"].basis == "capital" and not found["Spotify"].distinct


def test_unknown_language_reads_a_lone_group_of_three_both_ways() -> None:
    """ "6.800" is 6800 in German and 6.8 in English; unknown, both values are kept."""
    (number,) = numbers_in("6.800")
    assert number.value == 6800
    assert {str(v) for v in number.values} == {"6.8", "6.8E+3"}
    (english,) = numbers_in("6.800", "en")
    assert str(english.value) == "6.8"


def test_dates_without_a_year_need_the_callers_year() -> None:
    """ "am 3. März" is a date only when the caller knows the article's year."""
    assert dates_in("am 3. März kaufte er") == []
    (mention,) = dates_in("am 3. März kaufte er", year=2016)
    assert mention.date.isoformat() == "2016-03-03" and mention.precision == "day"
    (month,) = dates_in("Seit März wächst es.", year=2016)
    assert month.date.isoformat() == "2016-03-01" and month.precision == "month"
