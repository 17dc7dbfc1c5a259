"""The deal evaluation: template parsing, strict and lenient slot matching, the naive baseline,
and `dealdesk eval --deals` on the shared data (skipped when ../shared/data is absent)."""

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.evaluation.deal_data import load_bbc_deals, load_reuters, load_seed, parse_key, unwrap
from bot.evaluation.deal_metrics import SlotScore, matches
from bot.evaluation.deals import baseline_template, parties_right, run_deal_eval, template_of
from ingest.chunk import chunk_document
from ingest.deals import extract_deals, merge_deals
from ingest.models import Document
from tests.conftest import shared_data

KEY = """TEXT: 10025
ACQUIRED: "Shelard Bancshares Inc"
ACQLOC: "Minnesota" / "Minneapolis-St. Paul"
DLRAMT: "about 25 mln dlrs"
PURCHASER: "HENKEL KGAA" / "Henkel KGaA of"
SELLER: ---
STATUS: ---
"""


def test_a_template_keeps_fillers_and_their_alternatives() -> None:
    """Slots hold fillers, each a tuple of its " / " alternatives; `---` is empty."""
    slots = parse_key(KEY)
    assert slots["ACQUIRED"] == [("Shelard Bancshares Inc",)]
    assert slots["PURCHASER"] == [("HENKEL KGAA", "Henkel KGaA of")]
    assert slots["SELLER"] == [] and slots["STATUS"] == []


def test_wire_copy_is_unwrapped_into_paragraphs() -> None:
    """Hard-wrapped lines join; an indented line starts a paragraph; the trailer goes."""
    text = "\n\nFirst Wisconsin Corp said it\nplans to acquire Shelard.\n    It said more.\n Reuter"
    assert unwrap(text) == "First Wisconsin Corp said it plans to acquire Shelard.\nIt said more."


@pytest.mark.parametrize(
    ("predicted", "gold", "strict", "lenient"),
    [
        ("First Wisconsin Corp", "First Wisconsin Corp", True, True),
        ("first wisconsin corp.", "First Wisconsin Corp", True, True),
        ("First Wisconsin", "First Wisconsin Corp", False, True),
        ("25 mln dlrs", "about 25 mln dlrs", False, True),
        ("an undisclosed sum", "undisclosed", False, True),
        ("AMR Corp's American Airlines", "American Airlines", False, True),
        ("Wisconsin Energy", "First Wisconsin Corp", False, False),
        ("Inc", "Shelard Bancshares Inc", False, False),
    ],
)
def test_strict_is_equality_and_lenient_is_containment_of_normalised_words(
    predicted: str, gold: str, strict: bool, lenient: bool
) -> None:
    """Strict ignores case and edge punctuation; lenient drops suffixes and articles and lets
    one side's words be a run of the other's, never an empty run."""
    assert (matches(predicted, gold, False), matches(predicted, gold, True)) == (strict, lenient)


def test_slot_scores_count_predictions_and_fillers_apart() -> None:
    """Precision counts right predictions, recall matched fillers, as in MUC scoring."""
    score = SlotScore()
    score.add(["Shelard"], [("Shelard Bancshares Inc",), ("Other Co",)], lenient=True)
    score.add(["Nobody"], [], lenient=True)
    assert (score.precision, score.recall) == (0.5, 0.5)
    assert round(score.f1, 3) == 0.5


def _document(text: str) -> Document:
    return Document(source="t", title="", text=text, language="en")


def test_the_baseline_takes_the_names_around_the_first_deal_word() -> None:
    """Name before the word, name after it, first amount: wrong roles in a passive."""
    document = _document("PeopleSoft was acquired by Oracle for $10.3bn.")
    template = baseline_template(document, chunk_document(document))
    assert template == {"PURCHASER": ["PeopleSoft"], "ACQUIRED": ["Oracle"], "DLRAMT": ["$10.3bn"]}


def test_the_template_is_the_first_deal_with_its_coordinated_targets() -> None:
    """A story's template is its first deal; another target of the same buyer in the same
    sentence is a second ACQUIRED filler."""
    document = _document(
        "Key Centurion Bancshares Inc said it has completed the acquisitions of Union Bancorp "
        "Inc and the takeover of Wayne Bancorp Inc. Later, Rank sold Deluxe to Carlyle."
    )
    template = template_of(document, extract_deals(document, chunk_document(document)))
    assert template["PURCHASER"] == ["Key Centurion Bancshares Inc"]
    assert template["ACQUIRED"] == ["Union Bancorp Inc", "Wayne Bancorp Inc"]
    assert template["STATUS"] == ["completed the acquisitions"]


@pytest.mark.shared
def test_the_seed_article_gives_alibabas_stake_in_amblin_with_its_german_quote() -> None:
    """The seed: Alibaba → Amblin Partners, a stake, rumoured, quoted in German."""
    shared_data()
    document, chunks = load_seed()
    deal = next(d for d in extract_deals(document, chunks) if d.target == "Amblin Partners")
    assert (deal.buyer, deal.kind, deal.status) == ("Alibaba", "stake", "rumoured")
    quote = deal.quote_for("target")
    assert quote is not None and "soll der Internetriese aus China Anteile an" in quote.quote
    assert quote.chunk_id in {c.chunk_id for c in chunks}


@pytest.mark.shared
def test_verizons_takeover_of_mci_merges_across_bbc_articles() -> None:
    """Verizon–MCI, reported by several BBC stories, is one record with all their sources."""
    shared_data("bbc")
    gold = {d.path: d for d in load_bbc_deals(shared_data())}
    deals = [
        d for path in ("business/162.txt", "business/202.txt", "business/251.txt")
        for d in extract_deals(gold[path].document, gold[path].chunks)
    ]  # fmt: skip
    verizon = [d for d in deals if d.buyer == "Verizon" and d.target == "MCI"]
    assert len(verizon) >= 2
    merged = [d for d in merge_deals(deals) if d.buyer == "Verizon" and d.target == "MCI"]
    assert len(merged) == 1
    assert {s.source for s in merged[0].sources} >= {"business/162.txt", "business/202.txt"}


@pytest.mark.shared
@pytest.mark.parametrize(
    ("path", "parties"),
    [
        ("business/460.txt", ("Oracle", "PeopleSoft")),
        ("business/208.txt", ("Shanda", "Sina")),
        ("business/325.txt", ("Independent News & Media", "Jagran")),
    ],
)
def test_bbc_deals_are_found_with_both_parties(path: str, parties: tuple[str, str]) -> None:
    """Listed BBC deals come out with buyer and target right."""
    shared_data("bbc")
    gold = next(d for d in load_bbc_deals(shared_data()) if d.path == path)
    right = [d for d in extract_deals(gold.document, gold.chunks) if parties_right(d, gold)]
    buyer, target = (right[0].buyer or "").lower(), (right[0].target or "").lower()
    assert parties[0].lower() in buyer and parties[1].lower() in target


@pytest.mark.shared
def test_reuters_stories_fill_their_templates() -> None:
    """Reuters story 10025 gives its purchaser, target and amount."""
    shared_data("corp-acquisitions")
    story = next(s for s in load_reuters(shared_data()) if s.doc_id == "10025")
    template = template_of(story.document, extract_deals(story.document, story.chunks))
    assert template["PURCHASER"] == ["First Wisconsin Corp"]
    assert template["ACQUIRED"] == ["Shelard Bancshares Inc"]
    assert template["DLRAMT"] == ["25 mln dlrs"]


@pytest.mark.shared
def test_the_evaluation_beats_its_baseline_on_a_sample() -> None:
    """On the first 60 Reuters stories dealdesk's lenient F1 beats the baseline's for buyer,
    target and amount, and the BBC and seed checks run."""
    shared_data("corp-acquisitions")
    report = run_deal_eval(shared_data(), limit=60)
    ours, naive = report.reuters[("all", "dealdesk")], report.reuters[("all", "baseline")]
    for slot in ("PURCHASER", "ACQUIRED", "DLRAMT"):
        assert ours.lenient[slot].f1 > naive.lenient[slot].f1
    assert len(report.bbc) == 41 and report.seed["passed"]


def test_eval_deals_without_data_says_so_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`dealdesk eval --deals` on a folder without the data prints one line and exits 1."""
    assert main(["eval", "--deals", "--data", str(tmp_path)]) == 1
    assert "corp-acquisitions" in capsys.readouterr().err


@pytest.mark.shared
def test_eval_deals_prints_json_with_every_slot(capsys: pytest.CaptureFixture[str]) -> None:
    """`--json` prints the per-slot scores of both methods, the BBC rows and the seed."""
    shared_data("corp-acquisitions")
    assert main(["eval", "--deals", "--json", "--limit", "10"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {r["method"] for r in data["reuters"]} == {"dealdesk", "baseline"}
    assert {r["slot"] for r in data["reuters"]} >= {"PURCHASER", "ACQUIRED", "DLRAMT"}
    assert len(data["bbc"]) == 41 and data["seed"]["passed"] is True
