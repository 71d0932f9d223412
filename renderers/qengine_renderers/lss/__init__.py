"""LimeSurvey export: a QDL survey as a `.lss` that LimeSurvey 6 imports.

The other direction of `qengine import` (qengine/lss/): see docs/limesurvey.md.
"""

from qengine_renderers.lss.renderer import LssRenderer

__all__ = ["LssRenderer"]
