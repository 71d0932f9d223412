"""The renderer protocol and the discovery of renderers through entry points.

A renderer is an object; qengine never imports one by name. Each is registered in
the `qengine.renderers` entry point group of its distribution, qengine's own
included:

    [project.entry-points."qengine.renderers"]
    printable = "qengine_renderers.printable:PrintableRenderer"

The entry point names a callable taking no argument that returns the renderer:
usually the class itself, or a plain function. The entry point's name is the
renderer's name (`qengine render --to printable`). Plugins are imported only when
asked for, so a broken third-party plugin cannot stop the others from working.
"""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points
from pathlib import PurePath
from typing import Protocol, runtime_checkable

from qengine.errors import did_you_mean
from qengine.model import Survey
from qengine.renderers.errors import RenderError, UnknownRenderer

GROUP = "qengine.renderers"


@runtime_checkable
class Renderer(Protocol):
    """Turns a survey into one document.

    `formats` lists the formats written, as file suffixes without the dot, the
    default first (e.g. `("html", "pdf")`). `render` returns text (`str`) or bytes,
    and raises `RenderError` for a survey or format it cannot handle.
    """

    summary: str
    formats: tuple[str, ...]

    def render(self, survey: Survey, format: str) -> str | bytes: ...


def _entry_points() -> dict[str, list[EntryPoint]]:
    found: dict[str, list[EntryPoint]] = {}
    for ep in entry_points(group=GROUP):
        if ep.value not in (e.value for e in found.get(ep.name, [])):
            found.setdefault(ep.name, []).append(ep)
    return found


def renderer_names() -> list[str]:
    """The names of the installed renderers, without importing any of them."""
    return sorted(_entry_points())


def load_renderer(name: str) -> Renderer:
    """The renderer registered under `name`, imported and built."""
    registered = _entry_points()
    if name not in registered:
        raise UnknownRenderer(name, sorted(registered), did_you_mean(name, registered))
    if len(registered[name]) > 1:
        targets = " and ".join(ep.value for ep in registered[name])
        raise RenderError(f"two plugins register the renderer '{name}': {targets}; uninstall one")
    ep = registered[name][0]
    try:
        factory = ep.load()
        renderer = factory()
    except Exception as err:  # a third party's plugin may fail in any way: say which one
        raise RenderError(f"the renderer '{name}' ({ep.value}) cannot be loaded: "
                          f"{type(err).__name__}: {err}") from err
    if not isinstance(renderer, Renderer):
        raise RenderError(f"the renderer '{name}' ({ep.value}) does not follow the renderer "
                          "protocol: it needs `summary`, `formats` and `render(survey, format)`")
    return renderer


def format_for(renderer: Renderer, output: str | PurePath | None) -> str:
    """The format to write to `output`: told by its suffix, else the default one."""
    suffix = PurePath(output).suffix.lower().lstrip(".") if output not in (None, "-") else ""
    if not suffix:
        return renderer.formats[0]
    suffix = {"htm": "html"}.get(suffix, suffix)
    if suffix not in renderer.formats:
        raise RenderError(f"this renderer writes {' or '.join(renderer.formats)}, not .{suffix}")
    return suffix


def render(survey: Survey, to: str | Renderer, format: str | None = None) -> str | bytes:
    """Render `survey` with a renderer given by name or as an object."""
    renderer = load_renderer(to) if isinstance(to, str) else to
    fmt = format or renderer.formats[0]
    if fmt not in renderer.formats:
        raise RenderError(f"this renderer writes {' or '.join(renderer.formats)}, not {fmt}")
    return renderer.render(survey, fmt)
