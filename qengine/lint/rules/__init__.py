"""The rule modules; importing this package fills the registry, in documentation
order (load errors, reachability, values, design; within a family, in the order
of the modules: `bounds` last)."""

from qengine.lint.rules import design, load, reach, values  # noqa: F401

# isort: split
from qengine.lint.rules import bounds, expect  # noqa: F401
