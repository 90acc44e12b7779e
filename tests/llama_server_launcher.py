"""`python -m llama_cpp.server` with the model loaded as the embedded provider loads it (no AMX repacking where it faults)."""

import runpy
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import llama_cpp.llama_cpp as low_level  # noqa: E402

from interview.providers.embedded import safe_model_params  # noqa: E402

if __name__ == "__main__":
    with safe_model_params(low_level):
        runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)
