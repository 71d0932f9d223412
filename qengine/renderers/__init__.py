"""Rendering surveys into documents through pluggable renderers.

    from qengine.render import render
    pdf = render(qengine.load("survey.qdl"), "printable", "pdf")

See `qengine.render.plugins` for the protocol and how renderers are found, and
docs/renderers.md for writing one.
"""

from qengine.render.errors import RenderError, RenderWarning, UnknownRenderer
from qengine.render.plugins import GROUP, Renderer, format_for, load_renderer, render, renderer_names

__all__ = ["GROUP", "RenderError", "RenderWarning", "Renderer", "UnknownRenderer", "format_for",
           "load_renderer", "render", "renderer_names"]
