"""Deals as records, extracted offline at ingest from English and German news.

    from ingest.deals import extract_deals, merge_deals
    deals = extract_deals(document, chunks)      # one article's deals, each field quoted
    catalog = merge_deals(deals_of_all_articles)  # one record per deal, all its sources

`Deal.model_dump_json()` is the JSON contract of `dealdesk deals --json` (see models.py).

Seams for storage and front ends: a document's deals depend only on that document and its
chunks, and every source carries its `chunk_id`; so a store can keep each document's
`extract_deals` result beside its chunks (written, replaced and removed in the same
transaction) and build the catalog with `merge_deals` over what it holds, whose ids do not
depend on order. A model that re-extracts fields goes through `DealSource.checked`, which keeps
only what the quote states and names what it refused.
"""

from ingest.deals.extract import extract_deals, find_triggers
from ingest.deals.lexicon import KINDS, STATUSES, Kind, Status
from ingest.deals.merge import deal_from_sources, deal_id, merge_deals, same_party
from ingest.deals.models import Amount, Deal, DealFields, DealSource, UnsupportedFieldError

__all__ = [
    "KINDS",
    "STATUSES",
    "Amount",
    "Deal",
    "DealFields",
    "DealSource",
    "Kind",
    "Status",
    "UnsupportedFieldError",
    "deal_from_sources",
    "deal_id",
    "extract_deals",
    "find_triggers",
    "merge_deals",
    "same_party",
]
