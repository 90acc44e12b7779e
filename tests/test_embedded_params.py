"""Loading the embedded model where llama.cpp's AMX weight repacking would fault (no model needed)."""

from __future__ import annotations

from types import SimpleNamespace

from interview.providers.embedded import amx_advertised, safe_model_params


class LowLevel:
    """Stands in for llama_cpp.llama_cpp: a source of default model parameters."""

    def llama_model_default_params(self):
        return SimpleNamespace(use_extra_bufts=True)


def test_extra_buffers_are_off_while_loading_on_a_cpu_with_amx(tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("flags\t\t: fpu avx2 amx_bf16 amx_tile amx_int8\n")
    low = LowLevel()
    with safe_model_params(low, cpuinfo):
        assert low.llama_model_default_params().use_extra_bufts is False
    assert low.llama_model_default_params().use_extra_bufts is True, "restored after loading"


def test_extra_buffers_stay_on_elsewhere(tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("flags\t\t: fpu avx2 avx512f\n")
    low = LowLevel()
    with safe_model_params(low, cpuinfo):
        assert low.llama_model_default_params().use_extra_bufts is True
    assert not amx_advertised(tmp_path / "missing"), "an unreadable cpuinfo is no AMX"
