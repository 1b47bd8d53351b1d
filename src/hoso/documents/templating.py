"""Templates of papers: a sandbox, plain values, and a check of what a template may name.

An uploaded Word template is national configuration, written by an administrator and printed
by every clerk: it is code, so it is treated as untrusted code.

1. Every paper template (Word through docxtpl, and the HTML for PDF) is compiled by
   `Sandbox`: Jinja's immutable sandbox with no globals (no `lipsum`, `cycler`, `range` ...)
   and a short list of filters and tests.
2. Compiling walks the syntax tree and refuses, by name, anything outside the documented
   variables: unknown names, attribute access (only `loop.index` and its kin), subscripts
   other than a number, calls, and every tag but `for` and `if`. The same check runs at
   upload and again before each print, so a file swapped on disk is refused too.
3. The context holds plain values only (`require_plain`), so even a traversal the check
   missed would lead to a string, never to a model, a queryset or a manager.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

# What a template may apply to a value: text shaping only (no `attr`, `map`, `format`, `safe`).
FILTERS = frozenset(
    {"capitalize", "center", "default", "d", "e", "escape", "first", "join", "last", "length",
     "lower", "replace", "title", "trim", "truncate", "upper", "wordwrap"}
)  # fmt: skip
TESTS = frozenset({"defined", "undefined", "none", "string", "number", "sequence", "even", "odd"})
LOOP_ATTRIBUTES = frozenset({"index", "index0", "revindex", "revindex0", "first", "last", "length"})
# The syntax a paper needs; a node of any other type is refused under its type name.
NODES: tuple[type[nodes.Node], ...] = (
    nodes.Template, nodes.Output, nodes.TemplateData, nodes.Name, nodes.Const, nodes.For,
    nodes.If, nodes.Filter, nodes.Test, nodes.Compare, nodes.Operand, nodes.And, nodes.Or,
    nodes.Not, nodes.Concat, nodes.CondExpr, nodes.Getitem, nodes.Getattr, nodes.Keyword,
)  # fmt: skip
PLAIN = (str, int, float, bool, dt.date, type(None))


class TemplateRefused(ValueError):
    """The template names something it may not; `names` lists each offending expression."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(", ".join(names))
        self.names = names


def describe(node: nodes.Node) -> str:
    """A short source-like spelling of an expression, for the refusal message."""
    if isinstance(node, nodes.Name):
        return str(node.name)
    if isinstance(node, nodes.Const):
        return repr(node.value)
    if isinstance(node, nodes.Getattr):
        return f"{describe(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        return f"{describe(node.node)}[{describe(node.arg)}]"
    if isinstance(node, nodes.Call):
        return f"{describe(node.node)}()"
    return type(node).__name__


def _problem(
    node: nodes.Node, allowed: frozenset[str], bound: set[str], filters: frozenset[str]
) -> str | None:
    """Why `node` is refused, or None. Loop targets are bound names."""
    if not isinstance(node, NODES):
        return describe(node)
    if isinstance(node, nodes.Name) and node.ctx == "load":
        return None if node.name in allowed | bound | {"loop"} else str(node.name)
    if isinstance(node, nodes.Getattr):
        is_loop = isinstance(node.node, nodes.Name) and node.node.name == "loop"
        return None if is_loop and node.attr in LOOP_ATTRIBUTES else describe(node)
    if isinstance(node, nodes.Getitem):
        index = isinstance(node.arg, nodes.Const) and type(node.arg.value) is int
        return None if index else describe(node)
    if isinstance(node, nodes.Filter) and node.name not in filters:
        return f"|{node.name}"
    if isinstance(node, nodes.Test) and node.name not in TESTS:
        return f"is {node.name}"
    return None


def problems(
    tree: nodes.Template, allowed: Iterable[str], filters: Iterable[str] = FILTERS
) -> list[str]:
    """Every offending expression of a parsed template, in order, each once."""
    allowed, filters = frozenset(allowed), frozenset(filters)
    bound = {n.name for n in tree.find_all(nodes.Name) if n.ctx == "store"}
    found: list[str] = []
    for node in _walk(tree):
        problem = _problem(node, allowed, bound, filters)
        if problem is not None and problem not in found:
            found.append(problem)
    return found


def _walk(node: nodes.Node) -> Iterator[nodes.Node]:
    yield node
    for child in node.iter_child_nodes():
        yield from _walk(child)


class Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox every paper template is compiled in; refuses what `problems` finds."""

    def __init__(self, variables: Iterable[str], **filters: Any) -> None:
        super().__init__(autoescape=True)
        self.globals.clear()
        self.filters = {name: f for name, f in self.filters.items() if name in FILTERS}
        self.filters.update(filters)
        self.tests = {name: t for name, t in self.tests.items() if name in TESTS}
        self.variables = frozenset(variables)

    # Jinja compiles every template (from_string, a loader, docxtpl's parts) through _parse:
    # checking here means no template reaches the code generator unchecked.
    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        found = problems(tree, self.variables, self.filters)
        if found:
            raise TemplateRefused(found)
        return tree


def require_plain(context: Mapping[str, Any], path: str = "") -> None:
    """Refuse a context holding anything but strings, numbers, dates, lists and dicts of them."""
    for key, value in context.items():
        _require_plain_value(value, f"{path}{key}")


def _require_plain_value(value: Any, path: str) -> None:
    if isinstance(value, PLAIN):
        return
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _require_plain_value(item, f"{path}[{index}]")
    elif isinstance(value, dict):
        require_plain(value, f"{path}.")
    else:
        raise TypeError(f"template context {path!r} is a {type(value).__name__}, not plain data")
