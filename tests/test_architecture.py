"""The architecture holds: no import cycles, imports run down the layers, small modules and functions."""

from __future__ import annotations

from tests.architecture import ROOT, cycles, import_graph, imported_names, long_functions, modules

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
MAX_TOP_LEVEL_MODULES = 10

# What each part of `interview/` may import besides itself (see docs/ARCHITECTURE.md); `interview` is the bare
# package. The eval drives everything, so it may import any of it.
ALLOWED = {
    "core": set(),
    "understanding": set(),  # sentence vectors and classifiers: knows nothing of interviews
    "problems": {"core", "understanding"},
    "whiteboard": {"core", "problems"},
    "providers": {"core"},
    "store": {"core"},
    "transcripts": {"core", "whiteboard"},
    "feedback": {"core", "problems", "whiteboard", "providers", "store"},
    "dialogue": {"core", "problems", "whiteboard", "feedback", "providers", "transcripts"},
}


def _part(name: str) -> str:
    parts = name.split(".")
    return parts[1] if parts[0] == "interview" and len(parts) > 1 else parts[0]


def test_the_cycle_finder_finds_a_loop_and_nothing_else() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles() -> None:
    assert cycles(import_graph()) == []


def test_imports_run_down_the_layers() -> None:
    wrong = []
    for name, targets in import_graph().items():
        part = _part(name)
        if part not in ALLOWED:
            continue
        for target in targets:
            other = _part(target)
            if target != "interview" and other != part and other not in ALLOWED[part]:
                wrong.append(f"{name} imports {target}")
    assert wrong == []


def test_the_domain_imports_no_streamlit() -> None:
    found = [
        m.name
        for m in modules().values()
        if m.name.startswith("interview") and any(name.split(".")[0] == "streamlit" for name in imported_names(m))
    ]
    assert found == []


def test_no_module_is_over_the_limit() -> None:
    assert [(m.name, m.lines) for m in modules().values() if m.lines > MAX_MODULE_LINES] == []


def test_no_function_is_over_the_limit() -> None:
    assert [f for m in modules().values() for f in long_functions(m, MAX_FUNCTION_LINES)] == []


def test_the_top_of_the_package_stays_small() -> None:
    top = sorted(path.name for path in (ROOT / "interview").glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL_MODULES, top
