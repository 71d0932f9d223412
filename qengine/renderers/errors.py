"""What can go wrong between asking for a renderer and holding its output."""

from __future__ import annotations


class RenderError(Exception):
    """A survey could not be rendered: unknown renderer, a plugin that fails to load,
    an output format the renderer does not write, or a failure inside it."""


class RenderWarning(UserWarning):
    """The document was written but may not do what its author expects (an HTML form
    with nowhere to send the answers). Raised with `warnings.warn`; `qengine render`
    prints it on standard error."""


class UnknownRenderer(RenderError):
    """No installed plugin registers this name in the `qengine.renderers` group."""

    def __init__(self, name: str, known: list[str], hint: str | None = None):
        self.name = name
        self.known = known
        listed = ", ".join(known) if known else "none is installed"
        message = f"no renderer named '{name}' (available: {listed})"
        super().__init__(message + (f"; {hint}" if hint else ""))
