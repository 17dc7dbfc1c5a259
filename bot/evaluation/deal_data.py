"""The data the deal extractor is measured on: the Reuters acquisition stories with their gold
templates, the 41 BBC deal articles with the parties we annotated, and the seed article.

Reuters (../shared/data/corp-acquisitions/dev, research-only, never copied here): one story and
one `.key` template per id; a slot line may repeat for several fillers, a filler lists its
alternatives separated by " / ", and `---` means empty. The stories are hard-wrapped wire copy
whose paragraphs start with an indent; they are unwrapped into paragraphs before extraction, as
an ingest of a wire feed would see them.
"""

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from bot.evaluation.datasets import BUNDLED, MissingDataError, _bbc_document
from ingest.chunk import chunk_document
from ingest.load import make_document
from ingest.models import Chunk, Document

SLOTS = ("PURCHASER", "ACQUIRED", "SELLER", "DLRAMT", "STATUS")
REUTERS_DIR = Path("corp-acquisitions") / "dev"
SEED = Path(__file__).resolve().parents[2] / "data" / "sample" / "alibaba-amblin.de.txt"
_SLOT_LINE = re.compile(r"^(?P<slot>[A-Z]+):\s*(?P<value>.*)$")
_TRAILER = re.compile(r"\s*\bReuter\b\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Story:
    """One Reuters story and its gold template: slot -> fillers, each a tuple of alternatives."""

    doc_id: str
    document: Document
    chunks: list[Chunk]
    gold: dict[str, list[tuple[str, ...]]]

    @property
    def held_out(self) -> bool:
        """Even ids are held out: rules were developed looking at odd ids only."""
        return int(self.doc_id) % 2 == 0


@dataclass(frozen=True)
class BBCDeal:
    """One of the 41 BBC deals: its article, its shape and the gold parties by role."""

    path: str
    symmetric: bool
    buyers: tuple[str, ...]
    targets: tuple[str, ...]
    sellers: tuple[str, ...]
    document: Document
    chunks: list[Chunk]


def _require(path: Path) -> Path:
    if not path.exists():
        raise MissingDataError(f"{path} not found (the shared data folder sits beside the repo)")
    return path


def unwrap(text: str) -> str:
    """Wire copy to paragraphs: a line that starts with white space starts a paragraph."""
    paragraphs: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if line[:1].isspace() or not paragraphs:
            paragraphs.append(line.strip())
        else:
            paragraphs[-1] += " " + line.strip()
    return _TRAILER.sub("", "\n".join(paragraphs))


def parse_key(text: str) -> dict[str, list[tuple[str, ...]]]:
    """A template's slots; `---` and slots not listed are empty."""
    slots: dict[str, list[tuple[str, ...]]] = {slot: [] for slot in SLOTS}
    for line in text.splitlines():
        m = _SLOT_LINE.match(line.strip())
        if m is None or m.group("slot") not in slots or m.group("value").strip() == "---":
            continue
        alternatives = tuple(
            a.strip().strip('"').strip() for a in m.group("value").split(" / ") if a.strip()
        )
        slots[m.group("slot")].append(alternatives)
    return slots


def _article(source: str, title: str, body: str, language: str) -> tuple[Document, list[Chunk]]:
    document = Document(source=source, title=title, text=body, language=language)
    return document, chunk_document(document)


def load_reuters(data_dir: Path, limit: int | None = None) -> list[Story]:
    root = _require(data_dir / REUTERS_DIR)
    docs, keys = root / "development-docs", root / "development-anskeys"
    stories = []
    for path in sorted(_require(docs).iterdir(), key=lambda p: int(p.name))[:limit]:
        body = unwrap(path.read_text("utf-8", errors="replace"))
        gold = parse_key((keys / f"{path.name}.key").read_text("utf-8", errors="replace"))
        document, chunks = _article(f"reuters/{path.name}", "", body, "en")
        stories.append(Story(path.name, document, chunks, gold))
    return stories


def _alternatives(cell: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in cell.split(" / ") if a.strip())


def load_bbc_deals(data_dir: Path) -> list[BBCDeal]:
    """The 41 listed deals with the parties in bot/evaluation/data/bbc_deal_parties.tsv."""
    root = _require(data_dir / "bbc")
    with (BUNDLED / "bbc_deal_parties.tsv").open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    deals = []
    for row in csv.DictReader(lines, delimiter="\t"):
        document = _bbc_document(root, row["path"])
        deals.append(
            BBCDeal(
                row["path"], row["shape"] == "symmetric", _alternatives(row["buyer"]),
                _alternatives(row["target"]), _alternatives(row["seller"] or ""), document,
                chunk_document(document),
            )
        )  # fmt: skip
    return deals


def load_seed() -> tuple[Document, list[Chunk]]:
    """The bundled German seed article (data/sample), cleaned as ingest cleans it."""
    title, _, body = SEED.read_text("utf-8").partition("\n")
    document = make_document(str(SEED), title.strip(), body)
    return document, chunk_document(document)
