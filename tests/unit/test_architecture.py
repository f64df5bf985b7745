"""The house: no module of the project imports itself back through others, the package roots
included (`lint-imports` checks the layers and the cycles between siblings; this checks every
module, with the import graph import-linter builds on)."""

import grimp


def _cycles(graph) -> list[list[str]]:
    """The groups of modules that import each other, directly or through others (the strongly
    connected groups of the import graph with more than one module)."""
    edges = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}

    def reachable(start: str) -> set[str]:
        seen: set[str] = set()
        todo = list(edges[start])
        while todo:
            m = todo.pop()
            if m not in seen:
                seen.add(m)
                todo.extend(edges[m])
        return seen

    reach = {m: reachable(m) for m in edges}
    looped = [m for m in edges if m in reach[m]]
    groups = {frozenset(n for n in looped if n in reach[m] and m in reach[n]) for m in looped}
    return sorted(sorted(g) for g in groups)


def test_the_cycle_finder_finds_a_cycle():
    class Graph:
        modules = {"a", "b", "c", "d"}

        @staticmethod
        def find_modules_directly_imported_by(m):
            return {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}[m]

    assert _cycles(Graph()) == [["a", "b", "c"]]


def test_no_import_cycles_anywhere():
    graph = grimp.build_graph("thermal", "geometry", "power", include_external_packages=False)
    assert _cycles(graph) == []
