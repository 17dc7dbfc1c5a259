"""Evaluation data: corpora of documents and the questions asked of them, with their answers.

The corpora live in ../shared/data (research-only texts that must not enter the repo); only our
own questions are bundled, in bot/evaluation/data.
"""

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ingest.load import make_document
from ingest.models import Document
from ingest.sentences import split_sentences

BUNDLED = Path(__file__).resolve().parent / "data"
BBC_CATEGORIES = ("business", "entertainment", "tech")


def default_data_dir() -> Path:
    """../shared/data beside the checkout, where the project keeps research-only corpora."""
    return Path(__file__).resolve().parents[3] / "shared" / "data"


@dataclass(frozen=True)
class Question:
    """A question and the sources that answer it; no sources means the corpus has no answer.
    `answers` are gold answer spans as the source words them (empty where none was written)."""

    qid: str
    text: str
    language: str
    expected: frozenset[str]
    answers: tuple[str, ...] = ()
    answer_type: str = ""

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


class _Asked(NamedTuple):
    question: str
    source: str
    answers: tuple[str, ...]


def _xquad(data_dir: Path, language: str) -> tuple[list[Document], dict[str, _Asked]]:
    """Each paragraph becomes one document titled by its article; returns the documents and
    question id -> (question, source, gold answer spans)."""
    raw = json.loads(_require(data_dir / "xquad" / f"xquad.{language}.json").read_text("utf-8"))
    documents: list[Document] = []
    questions: dict[str, _Asked] = {}
    for article in raw["data"]:
        title = article["title"].replace("_", " ")
        for paragraph in article["paragraphs"]:
            source = f"xquad/{language}/{len(documents):03d}"
            documents.append(make_document(source, title, paragraph["context"], language=language))
            for qa in paragraph["qas"]:
                spans = tuple(dict.fromkeys(a["text"] for a in qa["answers"]))
                questions[qa["id"]] = _Asked(qa["question"], source, spans)
    return documents, questions


def _xquad_task(
    corpus: Corpus,
    asked: dict[str, _Asked],
    gold: dict[str, _Asked],
    language: str,
    no_answer: list[Question],
    limit: int | None,
    check_grounding: bool,
) -> Task:
    """`asked` words the questions, `gold` holds the corpus's source and answer spans (the
    German paragraph's span for an English question over German paragraphs)."""
    ids = sorted(gold)[:limit]
    questions = [
        Question(i, asked[i].question, language, frozenset({gold[i].source}), gold[i].answers)
        for i in ids
    ]
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


def _bundled_questions(path: Path, twins: dict[str, set[str]] | None = None) -> list[Question]:
    """Our own questions: id, language, question, expected sources, and for answerable ones
    the gold `answers` and their `type`; a twin of an expected source counts as expected."""
    questions = []
    for row in _read_jsonl(path):
        expected = {str(p) for p in row["expected"]}  # type: ignore[attr-defined]
        expected |= {t for p in expected for t in (twins or {}).get(p, set())}
        answers = tuple(str(a) for a in row.get("answers", ()))  # type: ignore[attr-defined]
        questions.append(
            Question(
                str(row["id"]),
                str(row["question"]),
                str(row["language"]),
                frozenset(expected),
                answers,
                str(row.get("type", "")),
            )
        )
    return questions


def _language_tasks(
    suite: str, corpus: Corpus, target: str, questions: list[Question], limit: int | None
) -> list[Task]:
    """One task per question language, answerable questions first, then no-answer ones;
    `target` is the corpus's language, for the task's name."""
    tasks = []
    for language in ("en", "de"):
        asked = [q for q in questions if q.language == language]
        answerable = [q for q in asked if q.answerable][:limit]
        unanswerable = [q for q in asked if not q.answerable][:limit]
        tasks.append(Task(suite, f"{language}->{target}", corpus, answerable + unanswerable, True))
    return tasks


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
    questions = _bundled_questions(BUNDLED / "bbc_deal_questions.jsonl", twins)
    return _language_tasks("bbc", corpus, "en", questions, limit)


GNAD_TITLE_CHARS = 150


def gnad_title(text: str) -> str:
    """10kGNAD stores title and body as one text without a boundary, and what comes first is
    derStandard's one-sentence teaser, so the first sentence serves as the title (cut at a
    word before GNAD_TITLE_CHARS characters). The body keeps it: facts live there too."""
    first = next(iter(split_sentences(text)), text)
    if len(first) <= GNAD_TITLE_CHARS:
        return first
    return first[:GNAD_TITLE_CHARS].rsplit(" ", 1)[0].rstrip(",;:–-") + " …"


def read_gnad(path: Path) -> list[Document]:
    """Every row of a 10kGNAD file (`label;'title+text'`) as a German document whose source
    is its row number, `10kgnad/0042`."""
    with _require(path).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";", quotechar="'"))
    return [
        make_document(f"10kgnad/{i:04d}", gnad_title(text), text, language="de")
        for i, (_label, text) in enumerate(rows)
    ]


def load_gnad(data_dir: Path, limit: int | None = None) -> list[Task]:
    """Our English and German deal, media and tech questions over the 1,028 German 10kGNAD
    test articles (derStandard, 2015-16), a quarter of them no-answer traps."""
    corpus = Corpus("10kgnad", read_gnad(data_dir / "10kgnad" / "test.csv"))
    questions = _bundled_questions(BUNDLED / "gnad_deal_questions.jsonl")
    return _language_tasks("gnad", corpus, "de", questions, limit)
