"""pysim's modules import each other without a cycle, counting every import anywhere in a module
(a function-level `from . import io` too): each module can be read before the ones that use it."""
import ast
from pathlib import Path

import pysim

PACKAGE = Path(pysim.__file__).parent


def imports(path: Path) -> set[str]:
    """The pysim modules a module imports, anywhere in it: `from . import x`, `from .x import y`,
    `import pysim.x`, `from pysim import x`, `from pysim.x import y`."""
    modules = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__"}
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("pysim.")}
        elif isinstance(node, ast.ImportFrom):
            relative = node.level == 1
            if relative and node.module:                        # from .x import y
                found.add(node.module.split(".")[0])
            elif relative or node.module == "pysim":            # from . import x / from pysim
                found |= {a.name for a in node.names if a.name in modules}
            elif node.module and node.module.startswith("pysim."):  # from pysim.x import y
                found.add(node.module.split(".")[1])
    return found & modules


def graph() -> dict[str, set[str]]:
    return {p.stem: imports(p) for p in sorted(PACKAGE.glob("*.py"))}


def cycle(edges: dict[str, set[str]]) -> list[str]:
    """One import cycle as [a, b, ..., a], or [] when there is none (depth-first search)."""
    state, path = {}, []  # state: 1 on the current path, 2 done

    def visit(node):
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        state[node] = 2
        path.pop()
        return []

    for node in sorted(edges):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return []


def test_the_finder_sees_function_level_and_absolute_imports(tmp_path):
    edges = graph()
    assert "live" in edges["session"]         # `from .live import Training` inside a method
    assert {"model", "io"} <= edges["__init__"]
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": {"c"}, "d": {"a", "c"}}) == []
    src = tmp_path / "m.py"
    src.write_text("import pysim.model\nfrom pysim import io, not_a_module\n"
                   "def f():\n    from pysim.tasks import make\n    from .words import reads\n")
    assert imports(src) == {"model", "io", "tasks", "words"}


def test_pysim_imports_have_no_cycle():
    found = cycle(graph())
    assert found == [], "import cycle: " + " -> ".join(found)
