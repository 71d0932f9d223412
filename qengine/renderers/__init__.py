"""Rendering surveys into documents through pluggable renderers.

    from qengine.renderers import render
    pdf = render(qengine.load("survey.qdl"), "printable", "pdf")

See `qengine.renderers.plugins` for the protocol and how renderers are found, and
docs/renderers.md for writing one.
"""

from qengine.renderers.errors import RenderError, RenderWarning, UnknownRenderer
from qengine.renderers.plugins import GROUP, Renderer, format_for, load_renderer, render, renderer_names

__all__ = ["GROUP", "RenderError", "RenderWarning", "Renderer", "UnknownRenderer", "format_for",
           "load_renderer", "render", "renderer_names"]
