"""`dealdesk eval --deals`: how well deals are extracted, beside a naive baseline in the same run.

Three measurements (docs/benchmarks/deals.md explains each):
- Reuters acquisition stories: per-slot precision, recall and F1, strict and lenient, on the
  development half (odd ids, the only ones looked at while writing rules) and the held-out half
  (even ids). A story's template is its first deal (the lead sentence's, usually); targets of
  other deals in that same sentence with the same buyer are added ("the acquisitions of A and B").
- The 41 BBC deals: found with both parties right (bot/evaluation/data/bbc_deal_parties.tsv).
- The seed article: Alibaba takes a stake in Amblin Partners, quoted in German.

The baseline takes, in the first sentence with a deal word, the name before the word as the
buyer, the name after it as the target and the sentence's first amount.
"""

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.evaluation.deal_data import BBCDeal, Story, load_bbc_deals, load_reuters, load_seed
from bot.evaluation.deal_metrics import TemplateScores, matches
from ingest.deals import Deal, extract_deals
from ingest.deals.amounts import amounts_in
from ingest.deals.checks import flat
from ingest.deals.extract import find_triggers
from ingest.deals.lexicon import HEARSAY, STATUS_CUES
from ingest.deals.merge import same_party
from ingest.models import Chunk, Document
from ingest.sentences import split_sentences
from ingest.text import names_in

METHODS = ("dealdesk", "baseline")
SCORED = ("PURCHASER", "ACQUIRED", "SELLER", "DLRAMT", "STATUS")
Template = dict[str, list[str]]


def _position(document: Document, deal: Deal) -> tuple[int, int]:
    """Where the deal is first stated: its sentence, then its parties within the sentence."""
    spots = []
    for source in deal.sources:
        sentence = source.quote.split(" … ")[-1]
        where = document.text.find(sentence)
        if where >= 0:
            named = [sentence.find(n) for n in (deal.buyer, deal.target) if n and n in sentence]
            spots.append((where, min(named, default=len(sentence))))
    return min(spots, default=(len(document.text), 0))


def status_phrase(deal: Deal) -> str | None:
    """The words that gave the deal its status, up to the deal word they govern ("agreed in
    principle to acquire"), for comparison with the templates' STATUS phrases."""
    source = deal.quote_for("status")
    if source is None or deal.status is None:
        return None
    cue = STATUS_CUES[deal.status].search(source.quote) or HEARSAY.search(source.quote)
    if cue is None:
        return None
    hits = [h for h in find_triggers(source.quote, "en") if 0 <= h.start - cue.end() <= 40]
    return source.quote[cue.start() : hits[0].end if hits else cue.end()]


def template_of(document: Document, deals: Sequence[Deal]) -> Template:
    """The story's deal as a template: its first deal, plus the other targets that the same
    sentence gives the same buyer."""
    if not deals:
        return {}
    ordered = sorted(deals, key=lambda d: _position(document, d))
    main = ordered[0]
    targets = [main.target] if main.target else []
    first_quotes = {flat(s.quote) for s in main.sources}
    for other in ordered[1:]:
        same_sentence = any(flat(s.quote) in first_quotes for s in other.sources)
        if same_sentence and other.target and same_party(other.buyer, main.buyer):
            targets.append(other.target)
    phrase = status_phrase(main)
    return {
        "PURCHASER": [main.buyer] if main.buyer else [],
        "ACQUIRED": targets,
        "SELLER": [main.seller] if main.seller else [],
        "DLRAMT": [main.amount.text] if main.amount else [],
        "STATUS": [phrase] if phrase else [],
    }


def baseline_template(document: Document, chunks: Sequence[Chunk]) -> Template:
    """The first two names around the first deal word, and the first amount beside them."""
    for sentence in [document.title, *(s for c in chunks for s in split_sentences(c.text))]:
        hits = find_triggers(sentence, document.language)
        if not hits:
            continue
        names = names_in(sentence, document.language)
        before = [n.text for n in names if n.end <= hits[0].start]
        after = [n.text for n in names if n.start >= hits[0].end]
        money = amounts_in(sentence, document.language)
        return {
            "PURCHASER": before[-1:],
            "ACQUIRED": after[:1],
            "DLRAMT": [money[0].text] if money else [],
        }
    return {}


@dataclass
class BBCResult:
    path: str
    found: dict[str, bool]
    parties: dict[str, str]


@dataclass
class DealEvalReport:
    reuters: dict[tuple[str, str], TemplateScores] = field(default_factory=dict)
    bbc: list[BBCResult] = field(default_factory=list)
    seed: dict[str, Any] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def _agrees(value: str | None, gold: tuple[str, ...]) -> bool:
    return value is not None and any(
        matches(value, g, lenient=True) or same_party(value, g) for g in gold
    )


def parties_right(template: Template | Deal, gold: BBCDeal) -> bool:
    """Directional deals: the target and one counterparty in its role (buyer or seller);
    symmetric ones: two different gold parties among the record's parties, in any roles."""
    if isinstance(template, Deal):
        buyer, target, seller = template.buyer, template.target, template.seller
    else:
        buyer = next(iter(template.get("PURCHASER", [])), None)
        target = next(iter(template.get("ACQUIRED", [])), None)
        seller = None
    if gold.symmetric:
        named = [{g for g in gold.buyers if _agrees(p, (g,))} for p in (buyer, target, seller)]
        return any(
            a != b for i, x in enumerate(named) for y in named[i + 1 :] for a in x for b in y
        )
    return _agrees(target, gold.targets) and (
        _agrees(buyer, gold.buyers) or _agrees(seller, gold.sellers)
    )


def _bbc(deals: list[BBCDeal], report: DealEvalReport) -> None:
    for gold in deals:
        extracted = extract_deals(gold.document, gold.chunks)
        right = [d for d in extracted if parties_right(d, gold)]
        baseline = baseline_template(gold.document, gold.chunks)
        shown = right[0] if right else (extracted[0] if extracted else None)
        report.bbc.append(
            BBCResult(
                gold.path,
                {"dealdesk": bool(right), "baseline": parties_right(baseline, gold)},
                {"dealdesk": _describe(shown), "baseline": _describe_template(baseline)},
            )
        )


def _describe(deal: Deal | None) -> str:
    if deal is None:
        return "-"
    seller = f" (from {deal.seller})" if deal.seller else ""
    return f"{deal.buyer or '?'} → {deal.target}{seller}, {deal.kind}"


def _describe_template(template: Template) -> str:
    if not template:
        return "-"
    return f"{(template.get('PURCHASER') or ['?'])[0]} → {(template.get('ACQUIRED') or ['?'])[0]}"


def _seed(report: DealEvalReport) -> None:
    document, chunks = load_seed()
    deals = extract_deals(document, chunks)
    hit = next(
        (d for d in deals if _agrees(d.buyer, ("Alibaba",)) and d.target
         and "Amblin" in d.target and d.kind == "stake"), None,
    )  # fmt: skip
    source = hit.quote_for("target") if hit else None
    report.seed = {
        "passed": hit is not None and source is not None and "Amblin Partners" in source.quote,
        "deal": _describe(hit),
        "status": hit.status if hit else None,
        "quote": source.quote if source else None,
    }


def run_deal_eval(
    data_dir: Path, limit: int | None = None, progress: Callable[[str], None] = lambda _: None
) -> DealEvalReport:
    """Run all three measurements; a missing data set raises MissingDataError."""
    report = DealEvalReport()
    stories: list[Story] = load_reuters(data_dir, limit)
    started = time.perf_counter()
    for story in stories:
        predicted = {
            "dealdesk": template_of(story.document, extract_deals(story.document, story.chunks)),
            "baseline": baseline_template(story.document, story.chunks),
        }
        for split in ("held-out" if story.held_out else "development", "all"):
            for method in METHODS:
                scores = report.reuters.setdefault((split, method), TemplateScores())
                scores.add(predicted[method], story.gold, SCORED)
    report.seconds["reuters"] = time.perf_counter() - started
    progress(f"reuters: {len(stories)} stories")
    _bbc(load_bbc_deals(data_dir), report)
    progress(f"bbc: {len(report.bbc)} deals")
    _seed(report)
    return report
