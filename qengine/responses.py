"""The responses to a survey as a pandas DataFrame (the `data` extra).

    import qengine.responses
    frame = qengine.responses.load("gp_backup.qdl", "responses.jsonl")

`source` is a JSON lines file, a folder of response files, a LimeSurvey results
CSV (`.csv`), or the server's database (a URL, or an `.sqlite` file); see
docs/data.md. Columns: id, version, status, started_at, submitted_at, duration,
then one column a variable (LimeSurvey-style codes: `sexe`, `pertecauses_materiel`,
`sauvegardesupports_susb_slocal`), then one `QUESTION__asked` column a question.
A missing value is NA; `QUESTION__asked` says whether it is "not asked" (False) or
"asked, no answer" (True). `frame.attrs["qengine"]` holds the labels, and
`frame.attrs["problems"]` the problems met in the input (`strict=True` raises
`qengine.data.DataError` at the first instead).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from qengine.model import Survey

if TYPE_CHECKING:
    import pandas

__all__ = ["load"]


def load(survey: Survey | str | os.PathLike, source: str | os.PathLike, *, partial: bool = False,
         strict: bool = False) -> pandas.DataFrame:
    """The responses of `source` to `survey` (a loaded Survey or a .qdl path),
    each replayed by the survey to know who was asked what."""
    from qengine.data import require
    from qengine.data.export import Table
    from qengine.data.sources import Source
    from qengine.data.sources import load as read
    from qengine.syntax.loader import load as load_survey

    require("pandas")
    if not isinstance(survey, Survey):
        survey = load_survey(survey)
    loaded = read(survey, Source.guess(source), partial=partial, strict=strict)
    frame = Table(loaded).frame()
    frame.attrs["problems"] = [str(p) for p in loaded.problems]
    return frame
