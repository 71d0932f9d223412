"""The rule modules; importing this package fills the registry, in documentation
order (load errors, reachability, values, design)."""

from qengine.lint.rules import design, load, reach, values  # noqa: F401
