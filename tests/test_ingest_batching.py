"""Ingest embeds across files: many small files share encoder calls, and progress counts chunks."""

from pathlib import Path

from tests.conftest import make_settings
from vectorstore.embeddings import Encoder, Matrix, USEEncoder
from vectorstore.indexer import ingest_paths
from vectorstore.store import Store


class CountingEncoder(Encoder):
    """The real USE encoder, counting the calls and texts that reach it."""

    def __init__(self, inner: USEEncoder) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.calls: list[int] = []

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def encode(self, texts: list[str]) -> Matrix:
        self.calls.append(len(texts))
        return self.inner.encode(texts)


class RecordingBar:
    """A progress display that remembers what it was told, as tqdm would show it."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self.closed = False

    def update(self, n: int) -> None:
        self.done += n

    def close(self) -> None:
        self.closed = True


def _small_files(folder: Path, count: int) -> list[Path]:
    folder.mkdir()
    paths = []
    for i in range(count):
        path = folder / f"note-{i:02}.txt"
        path.write_text(f"Deal {i}\n\nStudio {i} agreed to buy label {i} for {i} million.\n")
        paths.append(path)
    return paths


def test_many_small_files_share_one_encoder_call(tmp_path: Path, encoder: USEEncoder) -> None:
    """Twenty one-chunk files are embedded in a single batch, not one call per file."""
    counting = CountingEncoder(encoder)
    settings = make_settings(tmp_path / "data")
    store = Store.open_writer(settings, counting)
    _small_files(tmp_path / "notes", 20)
    report = ingest_paths(store, [tmp_path / "notes"], settings.ingest)
    assert report.count("added") == 20
    assert counting.calls == [20]
    assert store.stats().chunks == 20
    store.close()


def test_batches_follow_batch_chunks_and_progress_counts_every_chunk(
    tmp_path: Path, encoder: USEEncoder
) -> None:
    """With batch_chunks=8, 20 chunks take three calls, each committed, and the progress
    display is opened with the total and advanced to it."""
    counting = CountingEncoder(encoder)
    settings = make_settings(tmp_path / "data", ingest={"batch_chunks": 8})
    store = Store.open_writer(settings, counting)
    _small_files(tmp_path / "notes", 20)
    bars: list[RecordingBar] = []

    def progress(total: int) -> RecordingBar:
        bars.append(RecordingBar(total))
        return bars[-1]

    ingest_paths(store, [tmp_path / "notes"], settings.ingest, progress=progress)
    assert counting.calls == [8, 8, 4]
    assert len(bars) == 1 and bars[0].total == bars[0].done == 20 and bars[0].closed
    store.close()
