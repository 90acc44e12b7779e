"""Session fixtures for the real embedded model, loaded as a plugin by the tests that need the 1.1 GB file."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from interview.providers import model_files


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory) -> Iterator[Path]:
    """The model assembled from the installed parts once per session into a temporary cache, then verified."""
    directory = tmp_path_factory.getbasetemp() / "embedded-model-cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("INTERVIEW_CACHE_DIR", str(directory))
        patch.delenv("INTERVIEW_LOCAL_MODEL_PATH", raising=False)
        path = model_files.ensure_model()
    yield path
    shutil.rmtree(directory, ignore_errors=True)  # 1.1 GB: do not leave it in pytest's kept temp dirs


@pytest.fixture
def use_cache(model_cache, monkeypatch) -> Path:
    """Point this test's environment at the session's assembled model."""
    monkeypatch.setenv("INTERVIEW_CACHE_DIR", str(model_cache.parent))
    monkeypatch.delenv("INTERVIEW_LOCAL_MODEL_PATH", raising=False)
    return model_cache
