"""Data out: the responses of a survey as tables, a codebook and a report.

One loader reads every input (`sources`): the server's database, JSON lines, a
folder of response files, a LimeSurvey results CSV. Each response is replayed with
the `Session` (`replay`), which says who was asked what: a question counts as asked
when it was visible when the respondent submitted, never because a value is there.
The variables of a survey (`columns`) turn a replayed response into one row; the
formats (`export`), the codebook (`codebook`) and the report (`report`, `stats`)
read those rows.

pandas, pyreadstat, openpyxl, pyarrow, matplotlib and scipy live in the `data`
extra (`pip install 'qengine-survey[data]'`): they are imported when a function
needs them, so that `import qengine` stays light; `require()` says what is missing.
"""

from __future__ import annotations

import importlib.util

#: what the data tools import, by the name pip installs
EXTRA = {"pandas": "pandas", "pyreadstat": "pyreadstat", "openpyxl": "openpyxl", "pyarrow": "pyarrow",
         "matplotlib": "matplotlib", "scipy": "scipy"}


class DataError(Exception):
    """An input or an output that cannot be used at all (the message says why);
    problems of single rows are `sources.Problem`s instead."""


class MissingExtra(DataError):
    """A module of the `data` extra is not installed."""


def require(*modules: str) -> None:
    """MissingExtra naming what to install when one of `modules` is missing."""
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        raise MissingExtra(f"this needs {', '.join(missing)}: pip install 'qengine-survey[data]'")
