"""Deal extraction from short invented English and German sentences: every trigger, voice,
status and amount form, and the roles of the parties around them."""

import pytest

from ingest.chunk import chunk_document
from ingest.deals import Deal, extract_deals, find_triggers
from ingest.models import Document


def deals_in(text: str, language: str = "en", title: str = "") -> list[Deal]:
    document = Document(source="test", title=title, text=text, language=language)
    return extract_deals(document, chunk_document(document))


def only(text: str, language: str = "en", title: str = "") -> Deal:
    found = deals_in(text, language, title)
    assert len(found) == 1, [d.model_dump(exclude={"sources"}) for d in found]
    return found[0]


@pytest.mark.parametrize(
    ("text", "kind", "buyer", "target", "seller"),
    [
        ("Oracle has bought PeopleSoft for $10.3bn.", "acquisition", "Oracle", "PeopleSoft", None),
        ("PeopleSoft was acquired by Oracle last year.", "acquisition", "Oracle", "PeopleSoft",
         None),
        ("SBC's $16bn takeover of AT&T was approved.", "acquisition", "SBC", "AT&T", None),
        ("The takeover of MCI by Verizon is complete.", "acquisition", "Verizon", "MCI", None),
        ("Microsoft has taken over Giant Company Software.", "acquisition", "Microsoft",
         "Giant Company Software", None),
        ("Yahoo snapped up Stata Labs.", "acquisition", "Yahoo", "Stata Labs", None),
        ("Bertelsmann said it had agreed to sell Napster to Roxio for $5m.", "acquisition",
         "Roxio", "Napster", "Bertelsmann"),
        ("AOL Europe was sold to Bertelsmann.", "acquisition", "Bertelsmann", "AOL Europe", None),
        ("Bertelsmann has completed the sale of Napster to Roxio.", "acquisition", "Roxio",
         "Napster", "Bertelsmann"),
        ("Shanda has bought a 20% stake in Sina.", "stake", "Shanda", "Sina", None),
        ("Google invested $5m in Keyhole.", "stake", "Google", "Keyhole", None),
        ("Qwest made a $9.75bn offer for MCI.", "acquisition", "Qwest", "MCI", None),
        ("Verizon and MCI agreed to merge.", "merger", "Verizon", "MCI", None),
        ("Hitachi and Matsushita are joining forces.", "partnership", "Hitachi", "Matsushita",
         None),
        ("Electronic Arts signed an exclusive licensing deal with the NFL.", "licensing",
         "Electronic Arts", "NFL", None),
        ("News Corp formed a joint venture with Phoenix.", "joint venture", "News Corp",
         "Phoenix", None),
        ("Microsoft bought Lookout, a unit of Intel, for $20m.", "acquisition", "Microsoft",
         "Lookout", "Intel"),
        ("Virgin sold Mobile Tunes, owned by Richard Branson, to Sony.", "acquisition", "Sony",
         "Mobile Tunes", "Virgin"),
        ("Leisure group Rank plans to sell its media business.", "divestment", None,
         "media business", "Rank"),
        ("Ball Corp agreed to acquire the plastic container business of Monsanto Co.",
         "acquisition", "Ball Corp", "plastic container business", "Monsanto Co"),
        ("Cronus said it agreed to sell its equipment business, Southwestern Engineering Co, to "
         "Senior Engineering Group.", "acquisition", "Senior Engineering Group",
         "Southwestern Engineering Co", "Cronus"),
        ("ESPN sold EA the rights to its TV branding.", "acquisition", "EA", "rights", "ESPN"),
        ("Skype raised $18.8m in a funding round led by Index Ventures.", "funding round",
         "Index Ventures", "Skype", None),
        ("Bebo closed a second funding round of $15m from Benchmark Capital.", "funding round",
         "Benchmark Capital", "Bebo", None),
    ],
)  # fmt: skip
def test_english_parties_take_their_roles_from_voice_and_prepositions(
    text: str, kind: str, buyer: str | None, target: str, seller: str | None
) -> None:
    """Active and passive verbs, deal nouns, sales "to" a buyer and owners in apposition give
    each party its role."""
    deal = only(text)
    assert (deal.kind, deal.buyer, deal.target, deal.seller) == (kind, buyer, target, seller)


@pytest.mark.parametrize(
    ("text", "kind", "buyer", "target", "seller"),
    [
        ("Google übernimmt YouTube.", "acquisition", "Google", "YouTube", None),
        ("YouTube wird von Google übernommen.", "acquisition", "Google", "YouTube", None),
        ("Google hat YouTube für 1,65 Milliarden Dollar gekauft.", "acquisition", "Google",
         "YouTube", None),
        ("Microsoft kaufte Skype im Jahr 2011.", "acquisition", "Microsoft", "Skype", None),
        ("Microsoft erwirbt einen Anteil von 1,6 Prozent an Facebook.", "stake", "Microsoft",
         "Facebook", None),
        ("Alibaba beteiligt sich mit 20 Prozent an Amblin.", "stake", "Alibaba", "Amblin", None),
        ("Alibaba hat sich an Amblin beteiligt.", "stake", "Alibaba", "Amblin", None),
        ("Alibaba steigt bei Amblin ein.", "stake", "Alibaba", "Amblin", None),
        ("Die Beteiligung von Alibaba an Amblin wurde bestätigt.", "stake", "Alibaba", "Amblin",
         None),
        ("Die Übernahme von MCI durch Verizon ist perfekt.", "acquisition", "Verizon", "MCI",
         None),
        ("Bertelsmann verkauft Napster an Roxio.", "acquisition", "Roxio", "Napster",
         "Bertelsmann"),
        ("Sat.1 und ProSieben fusionieren.", "merger", "Sat.1", "ProSieben", None),
        ("Die Fusion von Sony und BMG wurde genehmigt.", "merger", "Sony", "BMG", None),
        ("Der Springer-Konzern bietet 4 Milliarden Euro für ProSiebenSat.1.", "acquisition",
         "Springer", "ProSiebenSat.1", None),
        ("Das Gebot von Springer für ProSiebenSat.1 liegt bei 4 Milliarden Euro.", "acquisition",
         "Springer", "ProSiebenSat.1", None),
    ],
)  # fmt: skip
def test_german_parties_take_their_roles_from_word_order_and_prepositions(
    text: str, kind: str, buyer: str, target: str, seller: str | None
) -> None:
    """Verb-second and verb-last clauses, "wird von ... übernommen", "an"/"bei" for stakes and
    "an" for a sale's buyer give each party its role."""
    deal = only(text, "de")
    assert (deal.kind, deal.buyer, deal.target, deal.seller) == (kind, buyer, target, seller)


@pytest.mark.parametrize(
    ("text", "language", "status"),
    [
        ("Oracle has bought PeopleSoft.", "en", "completed"),
        ("Oracle completed its takeover of PeopleSoft on 7 January 2005.", "en", "completed"),
        ("Disney agreed to buy Pixar for $7.4bn.", "en", "agreed"),
        ("Warner Music is buying EMI in a $4.6bn deal.", "en", "agreed"),
        ("Verizon is in talks to buy MCI.", "en", "rumoured"),
        ("Sony is reportedly set to buy MGM for $5bn.", "en", "rumoured"),
        ("Qwest made a $9.75bn offer for MCI.", "en", "bid"),
        ("Qwest withdrew its $8bn bid for MCI.", "en", "withdrawn"),
        ("Regulators blocked Sony's takeover of MGM.", "en", "blocked"),
        ("Vivendi soll Universal erworben haben.", "de", "rumoured"),
        ("Berichten zufolge will Sky den Sender Premiere kaufen.", "de", "rumoured"),
        ("Google hat YouTube gekauft.", "de", "completed"),
        ("Das Kartellamt untersagte die Übernahme von ProSiebenSat.1 durch Springer.", "de",
         "blocked"),
        ("Die Fusion von Daimler und Chrysler ist gescheitert.", "de", "withdrawn"),
    ],
)  # fmt: skip
def test_status_comes_from_the_words_around_the_deal(text: str, language: str, status: str) -> None:
    """Vetoes and withdrawals, hearsay and modals, past tenses, agreements and bids each give
    their status."""
    assert only(text, language).status == status


@pytest.mark.parametrize(
    ("text", "language", "value", "currency", "written"),
    [
        ("Oracle has bought PeopleSoft for $10.3bn.", "en", 10.3e9, "USD", "$10.3bn"),
        ("Verizon has won a takeover battle for MCI with a bid worth $6.8bn (£3.6bn).", "en", 6.8e9,
         "USD",
         "$6.8bn"),
        ("Simon Fuller sold 19 Entertainment to CKX in a $156m deal.", "en", 156e6, "USD",
         "$156m"),
        ("First Wisconsin Corp said it plans to acquire Shelard Bancshares Inc for about 25 mln "
         "dlrs in cash.", "en", 25e6, "USD", "25 mln dlrs"),
        ("Union Miniere SA has acquired an eight pct interest in Pancontinental Mining Ltd for a "
         "sum equivalent to 1.2 billion Belgian francs.", "en", 1.2e9, "BEF",
         "1.2 billion Belgian francs"),
        ("Google kauft YouTube für 1,65 Milliarden Dollar.", "de", 1.65e9, "USD",
         "1,65 Milliarden Dollar"),
        ("Tradestar Corp said it acquired Image Video Inc for an undisclosed sum.", "en", None,
         None, "an undisclosed sum"),
    ],
)  # fmt: skip
def test_the_deal_value_is_read_with_currency_and_scale(
    text: str, language: str, value: float | None, currency: str | None, written: str
) -> None:
    """Symbols, wire-service "mln dlrs", German scale words and undisclosed prices become
    {value, currency, text}; a conversion in brackets is not the value."""
    amount = only(text, language).amount
    assert amount is not None
    assert (amount.value, amount.currency, amount.text) == (value, currency, written)


@pytest.mark.parametrize(
    "text",
    [
        "Viacom offered $40 a share for Blockbuster.",
        "Shelard has total assets of 168 mln dlrs; First Wisconsin agreed to buy Shelard.",
        "MTS Acquisition started a tender offer for Caesars World at 28 dlrs each.",
    ],
)
def test_prices_per_share_and_figures_of_assets_are_no_deal_value(text: str) -> None:
    """A price of one share or a balance-sheet figure never becomes the deal's amount."""
    assert all(d.amount is None for d in deals_in(text))


def test_stake_size_is_kept_with_a_stake() -> None:
    """The percentage of a stake is its stake_percent, in English and German."""
    assert only("Time Warner bought a 5% stake in Google for $100m.").stake_percent == 5.0
    german = "Microsoft erwirbt einen Anteil von 1,6 Prozent an Facebook."
    assert only(german, "de").stake_percent == 1.6


def test_a_date_in_the_sentence_is_the_announcement() -> None:
    """A day named in the deal sentence is its announcement date."""
    deal = only("Oracle completed its takeover of PeopleSoft on 7 January 2005.")
    assert deal.announced is not None and deal.announced.isoformat() == "2005-01-07"


def test_the_company_resolves_to_the_article_subject_with_its_sentence_quoted() -> None:
    """ "The company" takes the name of the company the article is about, and the quote shows
    the sentence that names it."""
    deal = only("Yahoo is growing fast. The company bought Stata Labs for $10m.")
    assert (deal.buyer, deal.target) == ("Yahoo", "Stata Labs")
    assert deal.sources[0].quote.startswith("Yahoo is growing fast. … The company bought")


def test_german_description_resolves_to_the_name_before_it() -> None:
    """ "Der Internetriese" is the company named before it, not a place."""
    text = "Alibaba wächst. Sein Ziel heißt Hollywood. Der Internetriese hat Amblin gekauft."
    deal = only(text, "de")
    assert (deal.buyer, deal.target) == ("Alibaba", "Amblin")


def test_sentences_of_one_article_about_one_deal_become_one_record() -> None:
    """Two sentences and the title about the same deal merge into one record with all quotes."""
    text = (
        "Verizon has won a takeover battle for MCI with a bid worth $6.8bn.\n"
        "The takeover of MCI by Verizon is expected to close in March."
    )
    deal = only(text, title="Verizon seals takeover of MCI")
    assert (deal.buyer, deal.target, len(deal.sources)) == ("Verizon", "MCI", 3)


def test_a_price_given_in_the_next_sentence_is_kept_with_its_own_quote() -> None:
    """ "Terms were not disclosed" after a deal sentence is its amount, quoted on its own."""
    deal = only("Tradestar Corp said it acquired Image Video. Terms were not disclosed.")
    assert deal.amount is not None and deal.amount.value is None
    stated = deal.quote_for("amount")
    assert stated is not None and stated.quote == "Terms were not disclosed."


def test_buyer_and_target_named_in_different_sentences_make_one_deal() -> None:
    """An article naming only "a buyout by Verizon" and "a takeover of MCI" reports Verizon's
    takeover of MCI."""
    text = "Shareholders want to halt a $6.75bn buyout by Verizon. A takeover of MCI is near."
    deal = only(text)
    assert (deal.buyer, deal.target) == ("Verizon", "MCI")


@pytest.mark.parametrize(
    "text",
    [
        "Shares in Sony rose 5% on Tuesday.",
        "Regulators met in Washington.",
        "Die Aktie von Siemens stieg um 3 Prozent.",
        "Microsoft sells software in Europe and Asia.",
        "Nintendo has sold almost 4m DS consoles.",
        "Air India is considering to buy 50 new aircraft from Boeing.",
        "The film Alexander has failed in its bid to conquer the box office.",
        "Howard Stringer took over as chief executive of Sony.",
        "Tim Ghriskey, chief investment officer of Solaris Asset Management, was cautious.",
        "Sony Takeover rumour lifts shares",
    ],
)
def test_sentences_without_a_deal_give_none(text: str) -> None:
    """Rising shares, goods sold, figurative bids, posts taken over, deal words modifying
    other nouns and headlines alone are no deals."""
    language = "de" if "Aktie" in text else "en"
    assert deals_in(text, language) == []


@pytest.mark.parametrize(
    ("text", "language", "words"),
    [
        ("Oracle acquired PeopleSoft", "en", ["acquired"]),
        ("the purchase of Rexnord", "en", ["purchase"]),
        ("Alibaba steigt bei Amblin ein", "de", ["steigt"]),
        ("Die Aktie steigt", "de", []),
        ("the acquired company", "en", []),
        ("Die Übernahme von MCI", "de", ["Übernahme"]),
    ],
)
def test_trigger_words_are_found_in_their_forms(text: str, language: str, words: list[str]) -> None:
    """Inflected verbs and nouns are triggers; "steigt" only with "ein", a participle after an
    article is an adjective."""
    assert [text[h.start : h.end] for h in find_triggers(text, language)] == words
