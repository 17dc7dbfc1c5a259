"""One deal, one record: merge what several sentences and articles say about the same deal.

Two reports are one deal when their kinds belong to one family (a bid, an acquisition and the
seller's sale are one takeover; stakes and cooperations stay apart), their targets name the same
company ("Alibaba Group"/"Alibaba", "Amblin Partners"/"Amblin", "News Corp"/"News
Corporation", "SBC"/"SBC Communications"), and their buyers and sellers do not contradict each
other (a report without a buyer joins the one deal of that target that has one, never two).
For symmetric kinds (mergers, partnerships) the two parties may come in either order.

The merged record keeps every source, latest first, and takes each field from its sources:
names as most sources write them, the latest amount and stake, the latest status (the most
advanced one when the sources are undated), the earliest announcement. Its id hashes the kind's
family and the normalised parties, so it is the same on every re-ingest of the same articles,
whatever their order.
"""

import re
from collections import Counter
from collections.abc import Iterable
from datetime import date
from functools import lru_cache

from ingest.deals.lexicon import FAMILY, KINDS, SYMMETRIC, Kind, Status
from ingest.deals.models import Deal, DealSource
from ingest.deals.parties import looks_descriptive
from ingest.models import stable_hash
from ingest.text import Strength, match_strength, name_key

_PROGRESS: tuple[Status, ...] = ("rumoured", "bid", "agreed", "completed", "withdrawn", "blocked")


def same_party(a: str | None, b: str | None) -> bool:
    """Two spellings of one party: the same normalised key ("Alibaba Group"/"Alibaba", "News
    Corp"/"News Corporation"), or a one-word name that is the other's first or last word
    ("SBC"/"SBC Communications")."""
    return a is not None and b is not None and _same_name(a, b)


def one_party(a: str, b: str) -> bool:
    """Certainly the same party: one key, or full words of one name ("LSE" / "London Stock
    Exchange"); a deal never has it on both sides."""
    return name_key(a) == name_key(b) or match_strength(a, b) is Strength.FULL


@lru_cache(maxsize=65536)
def _same_name(a: str, b: str) -> bool:
    return name_key(a) == name_key(b) or match_strength(a, b) >= Strength.PARTIAL


def deal_id(kind: Kind, buyer: str | None, target: str | None, seller: str | None) -> str:
    """Stable: the kind's family and the normalised parties, never the order of ingest."""
    keys = [name_key(buyer or ""), name_key(target or "")]
    if kind in SYMMETRIC:
        keys.sort()
    if not buyer and seller:
        keys.append("from:" + name_key(seller))
    return stable_hash("deal", FAMILY[kind], *keys, length=16)


def _compatible(a: Deal, b: Deal) -> bool:
    if FAMILY[a.kind] != FAMILY[b.kind]:
        return False
    described = looks_descriptive(a.target or "") or looks_descriptive(b.target or "")
    if described and not {s.source for s in a.sources} & {s.source for s in b.sources}:
        return False
    if a.kind in SYMMETRIC or b.kind in SYMMETRIC:
        pa, pb = (a.buyer, a.target), (b.buyer, b.target)
        straight = same_party(pa[0], pb[0]) and same_party(pa[1], pb[1])
        crossed = same_party(pa[0], pb[1]) and same_party(pa[1], pb[0])
        if straight or crossed:
            return True
    if not (same_party(a.target, b.target) or _apposed(a, b) or _apposed(b, a)):
        return False
    if a.buyer and b.buyer and not same_party(a.buyer, b.buyer):
        return False
    return not (a.seller and b.seller and not same_party(a.seller, b.seller))


def _apposed(a: Deal, b: Deal) -> bool:
    """One article calls the target by a description and, in apposition, by its name:
    "Anteile an Steven Spielbergs Firma „Amblin Partners“"."""
    if a.target is None or b.target is None:
        return False
    articles = {s.source for s in a.sources}
    together = _together(a.target, b.target)
    return any(s.source in articles and together.search(s.quote) for s in b.sources)


@lru_cache(maxsize=4096)
def _together(first: str, second: str) -> re.Pattern[str]:
    return re.compile(re.escape(first) + r"\W{0,4}" + re.escape(second))


def _published(source: DealSource) -> date:
    return source.published or date.min


def _combined_sources(sources: Iterable[DealSource]) -> list[DealSource]:
    """One entry per quote (two triggers of one sentence give one), latest first."""
    by_quote: dict[tuple[str, str], DealSource] = {}
    for source in sources:
        key = (source.source, source.quote)
        if key not in by_quote:
            by_quote[key] = source
            continue
        old = by_quote[key]
        update = {k: v for k, v in source.fields.stated().items() if getattr(old.fields, k) is None}
        by_quote[key] = old.model_copy(update={"fields": old.fields.model_copy(update=update)})
    ordered = list(by_quote.values())
    return sorted(ordered, key=_published, reverse=True)


def _written(values: list[str]) -> str | None:
    """A name before a description ("Amblin Partners" before "Steven Spielbergs Firma"), then
    the form most sources write, then the fuller name."""
    if not values:
        return None
    counts = Counter(values)
    return max(counts, key=lambda v: (not looks_descriptive(v), counts[v], len(v), v))


def _role(sources: list[DealSource], role: str, target: str | None = None) -> str | None:
    """The role's name as the sources write it, never the target's own name."""
    values = [getattr(s.fields, role) for s in sources if getattr(s.fields, role)]
    return _written([v for v in values if target is None or not one_party(v, target)])


def _kind(sources: list[DealSource], has_buyer: bool) -> Kind:
    kinds = Counter(s.fields.kind for s in sources if s.fields.kind)
    if has_buyer and kinds.get("acquisition") and "divestment" in kinds:
        kinds.pop("divestment")
    return max(kinds, key=lambda k: (kinds[k], -KINDS.index(k)))


def _status(sources: list[DealSource]) -> Status | None:
    dated = [s for s in sources if s.fields.status and s.published]
    if dated:
        return dated[0].fields.status
    statuses = [s.fields.status for s in sources if s.fields.status]
    return max(statuses, key=_PROGRESS.index) if statuses else None


def _merged(group: list[Deal]) -> Deal:
    return deal_from_sources([s for deal in group for s in deal.sources])


def deal_from_sources(quoted: list[DealSource]) -> Deal:
    """The record that these sources (one deal's) make together; see the module docstring."""
    sources = _combined_sources(quoted)
    directional = [s for s in sources if s.fields.kind and s.fields.kind not in SYMMETRIC]
    named = directional or sources
    target = _role(named, "target")
    buyer = _role(named, "buyer", target)
    seller = _role(named, "seller", target)
    kind = _kind(sources, buyer is not None)
    if kind in SYMMETRIC or (
        seller and name_key(seller) in {name_key(buyer or ""), name_key(target or "")}
    ):
        seller = None
    numeric = [s for s in sources if s.fields.amount and s.fields.amount.value is not None]
    amounts = numeric or [s for s in sources if s.fields.amount]
    stakes = [s.fields.stake_percent for s in sources if s.fields.stake_percent is not None]
    announced = [s.fields.announced for s in sources if s.fields.announced]
    return Deal(
        id=deal_id(kind, _canonical(named, "buyer"), _canonical(named, "target"),
                   _canonical(named, "seller")),
        kind=kind, buyer=buyer, target=target, seller=seller,
        amount=amounts[0].fields.amount if amounts else None,
        stake_percent=stakes[0] if stakes else None,
        status=_status(sources),
        announced=min(announced) if announced else None,
        sources=sources,
    )  # fmt: skip


def _canonical(sources: list[DealSource], role: str) -> str | None:
    """The shortest normalised spelling of a role: the core name, which a fuller later
    spelling ("Verizon Communications") does not change."""
    values = [getattr(s.fields, role) for s in sources if getattr(s.fields, role)]
    return min(values, key=lambda v: (len(name_key(v)), name_key(v))) if values else None


def _sort_key(deal: Deal) -> tuple[str, str, str]:
    first = deal.sources[0]
    return (first.source, first.quote, deal.id)


def merge_deals(deals: Iterable[Deal]) -> list[Deal]:
    """Merge records of the same deal (see the module docstring); the result does not depend on
    the order of `deals`. A target known only by description ("its media business") merges
    within its own article only: across articles "unit" or "business" names nothing."""
    ordered = sorted(deals, key=_sort_key)
    clusters = _Clusters()
    for deal in (d for d in ordered if d.buyer or d.kind in SYMMETRIC):
        matches = [i for i in clusters.candidates(deal) if _compatible(clusters.merged[i], deal)]
        clusters.add(deal, matches[0] if matches else None)
    for deal in (d for d in ordered if not (d.buyer or d.kind in SYMMETRIC)):
        matches = [i for i in clusters.candidates(deal) if _compatible(clusters.merged[i], deal)]
        if len(matches) <= 1:
            clusters.add(deal, matches[0] if matches else None)
    return clusters.merged


def _blocks(deal: Deal) -> set[str]:
    """Keys that any deal it may merge with shares: per kind family, the first letters of the
    target's first and last word and its initials (for acronyms), of the buyer's too for
    symmetric kinds, and each article (for names in apposition)."""
    family = FAMILY[deal.kind]
    names = [deal.target, deal.buyer if deal.kind in SYMMETRIC else None]
    keys = {f"{family}:doc:{s.source}" for s in deal.sources}
    for name in names:
        words = name_key(name or "").split()
        if words:
            keys |= {f"{family}:{w[:4]}" for w in (words[0], words[-1])}
            keys.add(f"{family}:{''.join(w[0] for w in words)}")
    return keys


class _Clusters:
    """Groups of one deal's records, found through shared blocking keys: merging stays near
    linear in the number of records instead of comparing every pair."""

    def __init__(self) -> None:
        self.groups: list[list[Deal]] = []
        self.merged: list[Deal] = []
        self.index: dict[str, set[int]] = {}

    def candidates(self, deal: Deal) -> list[int]:
        return sorted({i for key in _blocks(deal) for i in self.index.get(key, ())})

    def add(self, deal: Deal, group: int | None) -> None:
        if group is None:
            group = len(self.groups)
            self.groups.append([])
            self.merged.append(deal)
        self.groups[group].append(deal)
        self.merged[group] = _merged(self.groups[group])
        for key in _blocks(deal):
            self.index.setdefault(key, set()).add(group)
