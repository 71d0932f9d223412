"""The question kinds by name, found through the `qengine.kinds` entry point group.

Each kind is registered in the `qengine.kinds` group of its distribution, qengine's
own included (pyproject.toml):

    [project.entry-points."qengine.kinds"]
    single = "qengine.kinds.single:SingleKind"

The entry point's name is the QDL keyword, and names a callable taking no argument
that returns the kind: usually its class. The kinds are read once per process, when
the first survey is loaded (the grammar's `KIND` terminal is made of their names).

A plugin that cannot be imported, fails while being built, does not follow the
protocol, or shares its name with another kind is left out, and the reason kept:
a survey using that word is told why it is not a kind (`problem`), while the
other kinds keep working. Nothing here raises at a survey's author.
"""

from __future__ import annotations

import functools
import re
from importlib.metadata import EntryPoint, entry_points
from types import MappingProxyType

import attrs

from qengine.kinds.base import SHAPES, WIDGETS, Kind
from qengine.model import Question

GROUP = "qengine.kinds"
_NAME = re.compile(r"[a-z][a-z0-9]*\Z")


@attrs.frozen
class Registry:
    """The kinds that loaded, and why the others did not (by name)."""

    kinds: MappingProxyType[str, Kind]
    broken: MappingProxyType[str, str]


@functools.cache
def registry() -> Registry:
    """The kinds of the installed distributions (read once per process)."""
    from qengine.syntax.parser import WORDS
    from qengine.syntax.transformer import STATEMENTS

    found: dict[str, list[EntryPoint]] = {}
    for ep in entry_points(group=GROUP):
        if ep.value not in (e.value for e in found.get(ep.name, [])):
            found.setdefault(ep.name, []).append(ep)
    kinds: dict[str, Kind] = {}
    broken: dict[str, str] = {}
    for name, eps in sorted(found.items()):
        if len(eps) > 1:
            targets = " and ".join(ep.value for ep in eps)
            broken[name] = f"two plugins register the question kind '{name}': {targets}; uninstall one"
            continue
        ep = eps[0]
        try:
            kind = ep.load()()
        except Exception as err:  # a third party's plugin may fail in any way: say which one
            broken[name] = (f"the question kind '{name}' ({ep.value}) cannot be loaded: "
                            f"{type(err).__name__}: {err}")
            continue
        problem = _protocol_problem(name, kind, frozenset(STATEMENTS), frozenset(WORDS))
        if problem:
            broken[name] = f"the question kind '{name}' ({ep.value}) {problem}"
        else:
            kinds[name] = kind
    return Registry(MappingProxyType(kinds), MappingProxyType(broken))


def _protocol_problem(name: str, kind: object, statements: frozenset[str], words: frozenset[str]) -> str | None:
    """What keeps a plugin's object from being the kind `name`, or None."""
    if not isinstance(kind, Kind):
        return "is not a qengine.kinds.Kind"
    if not _NAME.match(name) or name in words:
        return "has a name QDL cannot use (lower-case letters and digits, not a keyword)"
    if kind.name != name:
        return f"calls itself '{kind.name}'"
    if not (isinstance(kind.model, type) and issubclass(kind.model, Question)):
        return "builds no qengine.model.Question"
    if kind.shape not in SHAPES or kind.widget.name not in WIDGETS:
        return f"has an unknown shape or widget ({kind.shape}, {kind.widget.name})"
    unknown = set(kind.attributes) - statements
    if unknown:
        return f"accepts statements QDL does not have: {', '.join(sorted(unknown))}"
    if "en" not in kind.words:
        return "has no words in English"
    return None


def kinds() -> MappingProxyType[str, Kind]:
    """The kinds by QDL keyword, in alphabetical order."""
    return registry().kinds


def kind_named(name: str) -> Kind:
    """The kind of keyword `name` (a question's `kind`, a view's)."""
    return registry().kinds[name]


def kind_of(question: Question) -> Kind:
    """The kind of a question: ask it rather than test the question's class."""
    return registry().kinds[question.kind]


def problem(name: str) -> str | None:
    """Why `name` is not a question kind although a plugin registers it, or None."""
    return registry().broken.get(name)
