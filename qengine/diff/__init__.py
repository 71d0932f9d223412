"""`qengine diff`: which respondents' experience changes between two versions of a
survey, proved with lint's solver translation and shown by replaying a witness on
both versions (docs/diff.md).

    report = diff(qengine.load("old.qdl"), qengine.load("new.qdl"), {"oldcode": "newcode"})
    report.exit_code  # 0: no respondent can tell the versions apart
"""

from qengine.diff.changes import CHANGED, SAME, UNDECIDED, Change, Report, Witness
from qengine.diff.compare import diff
from qengine.diff.matching import RenameError, parse_renames

__all__ = ["CHANGED", "SAME", "UNDECIDED", "Change", "RenameError", "Report", "Witness", "diff", "parse_renames"]
