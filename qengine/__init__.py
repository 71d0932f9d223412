"""qengine: conditional questionnaires written in QDL.

    survey = qengine.load("survey.qdl")
    session = qengine.Session(survey)
"""

from qengine.errors import AnswerError, Diagnostic, EvaluationError, QdlError
from qengine.model import Survey
from qengine.runtime import Session
from qengine.syntax.loader import load

__version__ = "0.1.0"

__all__ = ["AnswerError", "Diagnostic", "EvaluationError", "QdlError", "Session", "Survey", "__version__", "load"]
