"""Evaluation data: corpora of documents and the questions asked of them, with their answers.

The corpora live in ../shared/data (research-only texts that must not enter the repo); only our
own questions are bundled, in bot/evaluation/data.
"""

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from ingest.load import make_document
from ingest.models import Document

BUNDLED = Path(__file__).resolve().parent / "data"
BBC_CATEGORIES = ("business", "entertainment", "tech")


def default_data_dir() -> Path:
    """../shared/data beside the checkout, where the project keeps research-only corpora."""
    return Path(__file__).resolve().parents[3] / "shared" / "data"


@dataclass(frozen=True)
class Question:
    """A question and the sources that answer it; no sources means the corpus has no answer."""

    qid: str
    text: str
    language: str
    expected: frozenset[str]

    @property
    def answerable(self) -> bool:
        return bool(self.expected)


@dataclass(frozen=True)
class Corpus:
    name: str
    documents: list[Document]


@dataclass(frozen=True)
class Task:
    """One row of the report: questions in one language against one corpus."""

    suite: str
    name: str
    corpus: Corpus
    questions: list[Question]
    check_grounding: bool = field(default=False)


class MissingDataError(Exception):
    """The shared data folder is not there; the suite is skipped, not failed."""


def _require(path: Path) -> Path:
    if not path.exists():
        raise MissingDataError(f"{path} not found (the shared data folder sits beside the repo)")
    return path


def _read_jsonl(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _no_answer_questions(path: Path, prefix: str) -> list[Question]:
    return [
        Question(f"{prefix}:{row['id']}", str(row["question"]), str(row["language"]), frozenset())
        for row in _read_jsonl(path)
        if not row.get("expected")
    ]


def _xquad(data_dir: Path, language: str) -> tuple[list[Document], dict[str, tuple[str, str]]]:
    """Each paragraph becomes one document titled by its article; returns the documents and
    question id -> (question, source)."""
    raw = json.loads(_require(data_dir / "xquad" / f"xquad.{language}.json").read_text("utf-8"))
    documents: list[Document] = []
    questions: dict[str, tuple[str, str]] = {}
    for article in raw["data"]:
        title = article["title"].replace("_", " ")
        for paragraph in article["paragraphs"]:
            source = f"xquad/{language}/{len(documents):03d}"
            documents.append(make_document(source, title, paragraph["context"], language=language))
            for qa in paragraph["qas"]:
                questions[qa["id"]] = (qa["question"], source)
    return documents, questions


def _xquad_task(
    corpus: Corpus,
    asked: dict[str, tuple[str, str]],
    gold: dict[str, tuple[str, str]],
    language: str,
    no_answer: list[Question],
    limit: int | None,
    check_grounding: bool,
) -> Task:
    ids = sorted(gold)[:limit]
    questions = [Question(i, asked[i][0], language, frozenset({gold[i][1]})) for i in ids]
    unanswerable = [q for q in no_answer if q.language == language][:limit]
    return Task(
        "xquad",
        f"{language}->{corpus.name[-2:]}",
        corpus,
        questions + (unanswerable if check_grounding else []),
        check_grounding,
    )


def load_xquad(data_dir: Path, limit: int | None = None) -> list[Task]:
    """English and German questions over the 240 German paragraphs (question ids are shared
    across languages), and English over English as the monolingual reference."""
    de_docs, de_questions = _xquad(data_dir, "de")
    en_docs, en_questions = _xquad(data_dir, "en")
    german = Corpus("xquad-de", de_docs)
    english = Corpus("xquad-en", en_docs)
    no_answer = _no_answer_questions(BUNDLED / "xquad_no_answer.jsonl", "xquad-none")
    return [
        _xquad_task(german, en_questions, de_questions, "en", no_answer, limit, True),
        _xquad_task(german, de_questions, de_questions, "de", no_answer, limit, True),
        _xquad_task(english, en_questions, en_questions, "en", no_answer, limit, False),
    ]


def _bbc_document(root: Path, relative: str) -> Document:
    title, _, body = (root / relative).read_text("utf-8", errors="replace").partition("\n")
    return make_document(relative, title.strip(), body, language="en")


def load_bbc(data_dir: Path, limit: int | None = None) -> list[Task]:
    """Our deal questions (English and German) over BBC business, entertainment and tech; a
    duplicate article counts as the same answer as its original."""
    root = _require(data_dir / "bbc")
    with (root / "deal-articles.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    twins: dict[str, set[str]] = {}
    for row in rows:
        if row["duplicate_of"]:
            twins.setdefault(row["path"], set()).add(row["duplicate_of"])
            twins.setdefault(row["duplicate_of"], set()).add(row["path"])
    paths = sorted(
        f"{category}/{path.name}"
        for category in BBC_CATEGORIES
        for path in (root / category).glob("*.txt")
    )
    corpus = Corpus("bbc", [_bbc_document(root, p) for p in paths])
    questions: list[Question] = []
    for row in _read_jsonl(BUNDLED / "bbc_deal_questions.jsonl"):
        expected = {str(p) for p in row["expected"]}  # type: ignore[attr-defined]
        expected |= {t for p in expected for t in twins.get(p, set())}
        questions.append(
            Question(
                str(row["id"]), str(row["question"]), str(row["language"]), frozenset(expected)
            )
        )
    tasks = []
    for language in ("en", "de"):
        asked = [q for q in questions if q.language == language]
        answerable = [q for q in asked if q.answerable][:limit]
        unanswerable = [q for q in asked if not q.answerable][:limit]
        tasks.append(Task("bbc", f"{language}->en", corpus, answerable + unanswerable, True))
    return tasks
