"""The printable annex: every question, every condition in words, for paper.

Modelled on LimeSurvey's printable version, with what it left out added: group
conditions, every variant of dynamic wording, computed values in words.
"""

from qengine_renderers.printable.renderer import PrintableRenderer

__all__ = ["PrintableRenderer"]
