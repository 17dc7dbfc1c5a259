"""Deal records: the quote check refuses what a quote does not state, the JSON is the contract,
merging keeps every source and every conflicting amount, and ids survive re-ingest."""

import json
import random
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from ingest.chunk import chunk_document
from ingest.deals import (
    Amount,
    Deal,
    DealFields,
    DealSource,
    deal_from_sources,
    deal_id,
    extract_deals,
    merge_deals,
)
from ingest.models import Document

QUOTE = "Verizon has won a takeover battle for MCI with a bid worth $6.8bn (£3.6bn), reports say."


def source(quote: str = QUOTE, published: date | None = None, **fields: Any) -> DealSource:
    return DealSource(
        source=f"bbc/{quote[:8]}", title="t", published=published, quote=quote,
        fields=DealFields(**fields), chunk_id="c1", language="en",
    )  # fmt: skip


@pytest.mark.parametrize(
    "fields",
    [
        {"buyer": "Qwest"},
        {"target": "WorldCom"},
        {"amount": Amount(value=6.75e9, currency="USD", text="$6.8bn")},
        {"amount": Amount(value=6.8e9, currency="EUR", text="$6.8bn")},
        {"amount": Amount(value=1e9, currency="USD", text="$1bn")},
        {"amount": Amount(value=None, currency=None, text="$6.8bn")},
        {"stake_percent": 20.0},
        {"kind": "merger"},
        {"status": "blocked"},
        {"announced": date(2005, 2, 14)},
    ],
    ids=lambda f: next(iter(f)),
)
def test_a_field_its_quote_does_not_state_is_refused(fields: dict[str, Any]) -> None:
    """Names not written in the quote, amounts that read otherwise, absent percentages, kinds,
    statuses and dates are refused when the source is built."""
    with pytest.raises(ValidationError, match="does not state"):
        source(**fields)


def test_every_field_the_quote_states_is_accepted() -> None:
    """A quote that states buyer, target, kind, amount and status backs all of them."""
    stated = source(
        buyer="Verizon", target="MCI", kind="acquisition", status="rumoured",
        amount=Amount(value=6.8e9, currency="USD", text="$6.8bn"),
    )  # fmt: skip
    assert stated.fields.buyer == "Verizon"


def test_the_announcement_may_be_the_articles_date() -> None:
    """`announced` is stated by the article's publication date even when the quote has none."""
    assert source(published=date(2005, 2, 14), announced=date(2005, 2, 14)).fields.announced


def test_checked_keeps_what_the_quote_states_and_names_what_it_refuses() -> None:
    """For extractors that may guess, a source keeps its stated fields and lists the others."""
    kept, refused = DealSource.checked(
        DealFields(buyer="Qwest", target="MCI", stake_percent=20.0),
        source="bbc/162", title="t", quote=QUOTE,
    )  # fmt: skip
    assert kept is not None and kept.fields.stated() == {"target": "MCI"}
    assert refused == ["buyer", "stake_percent"]


def test_checked_gives_nothing_when_no_field_is_stated() -> None:
    """A source whose every field is refused is not built at all."""
    kept, refused = DealSource.checked(
        DealFields(buyer="Qwest"), source="s", title="t", quote="Nothing here."
    )
    assert (kept, refused) == (None, ["buyer"])


def test_a_deal_value_no_source_states_is_refused() -> None:
    """The deal's own fields must each be the value some source states."""
    with pytest.raises(ValidationError, match="no source states"):
        Deal(id="x", kind="acquisition", buyer="Qwest", target="MCI",
             sources=[source(buyer="Verizon", target="MCI", kind="acquisition")])  # fmt: skip


def test_json_is_exactly_the_contract() -> None:
    """Top-level keys, source keys and stated-only fields; the chunk id stays out of the JSON."""
    deal = deal_from_sources(
        [source(buyer="Verizon", target="MCI", kind="acquisition",
                amount=Amount(value=6.8e9, currency="USD", text="$6.8bn"))]
    )  # fmt: skip
    data = json.loads(deal.model_dump_json())
    assert list(data) == [
        "id", "kind", "buyer", "target", "seller", "amount", "stake_percent", "status",
        "announced", "sources",
    ]  # fmt: skip
    assert data["amount"] == {"value": 6.8e9, "currency": "USD", "text": "$6.8bn"}
    assert list(data["sources"][0]) == ["source", "title", "published", "quote", "fields"]
    assert data["sources"][0]["fields"] == {
        "kind": "acquisition", "buyer": "Verizon", "target": "MCI",
        "amount": {"value": 6.8e9, "currency": "USD", "text": "$6.8bn"},
    }  # fmt: skip
    assert Deal.model_validate_json(deal.model_dump_json()).buyer == "Verizon"


def _article(source_name: str, text: str, published: date | None = None) -> list[Deal]:
    document = Document(source=source_name, title="", text=text, language="en", published=published)
    return extract_deals(document, chunk_document(document))


def test_reports_of_one_deal_in_several_articles_become_one_record() -> None:
    """Spellings of one company ("Alibaba Group", "Alibaba") and sources from every article
    end in one record."""
    deals = [
        *_article("a", "Alibaba Group bought a stake in Amblin Partners."),
        *_article("b", "Alibaba has bought a stake in Amblin."),
    ]
    merged = merge_deals(deals)
    assert len(merged) == 1
    assert {s.source for s in merged[0].sources} == {"a", "b"}


def test_conflicting_amounts_are_all_kept_latest_first() -> None:
    """The deal's amount is the latest source's; the earlier amount stays in its source."""
    early = _article("a", "Verizon agreed to buy MCI for $6.75bn.", date(2005, 2, 14))
    late = _article("b", "Verizon agreed to buy MCI for $8.4bn.", date(2005, 5, 2))
    merged = merge_deals(early + late)
    assert len(merged) == 1
    deal = merged[0]
    assert deal.amount is not None and deal.amount.value == 8.4e9
    assert [s.published for s in deal.sources] == [date(2005, 5, 2), date(2005, 2, 14)]
    amounts = [s.fields.amount.value for s in deal.sources if s.fields.amount]
    assert amounts == [8.4e9, 6.75e9]


def test_undated_statuses_merge_to_the_furthest() -> None:
    """Without dates, a deal that one source calls agreed and another completed is completed."""
    deals = [
        *_article("a", "Disney agreed to buy Pixar."),
        *_article("b", "Disney has bought Pixar."),
    ]
    assert merge_deals(deals)[0].status == "completed"


def test_different_buyers_of_one_target_stay_apart() -> None:
    """Qwest's bid and Verizon's takeover of MCI are two deals."""
    deals = [*_article("a", "Verizon agreed to buy MCI."), *_article("b", "Qwest bid for MCI.")]
    assert sorted(d.buyer or "" for d in merge_deals(deals)) == ["Qwest", "Verizon"]


def test_a_stake_and_a_takeover_of_one_company_stay_apart() -> None:
    """A 20% stake in Sina and a takeover of Sina are different deals."""
    deals = [
        *_article("a", "Shanda bought a 20% stake in Sina."),
        *_article("b", "Shanda agreed to buy Sina."),
    ]
    assert sorted(d.kind for d in merge_deals(deals)) == ["acquisition", "stake"]


def test_ids_do_not_depend_on_order_or_spelling() -> None:
    """The same articles in any order give the same ids; "Verizon Communications" and
    "Verizon" give one id."""
    deals = [
        *_article("a", "Verizon agreed to buy MCI for $6.75bn."),
        *_article("b", "Verizon Communications has bought MCI Inc."),
        *_article("c", "Qwest made a $9.75bn offer for MCI."),
    ]
    first = {d.id for d in merge_deals(deals)}
    shuffled = deals[:]
    random.Random(7).shuffle(shuffled)
    assert {d.id for d in merge_deals(shuffled)} == first
    assert len(first) == 2


def test_ids_come_from_the_normalised_parties_and_kind() -> None:
    """Suffixes and case do not change an id; a different party or kind family does; a
    merger's parties may come in either order."""
    assert deal_id("acquisition", "Alibaba Group", "Amblin Partners", None) == deal_id(
        "bid", "alibaba", "Amblin", None
    )
    assert deal_id("acquisition", "Alibaba", "Amblin", None) != deal_id(
        "stake", "Alibaba", "Amblin", None
    )
    assert deal_id("merger", "Sony", "BMG", None) == deal_id("merger", "BMG", "Sony", None)


def test_re_extracting_an_article_gives_the_same_ids() -> None:
    """Extraction is deterministic, so a re-ingest keeps every deal's id."""
    text = "Oracle has completed its $10.3bn takeover of PeopleSoft. Rank sold Deluxe to Carlyle."
    assert [d.id for d in _article("a", text)] == [d.id for d in _article("a", text)]
