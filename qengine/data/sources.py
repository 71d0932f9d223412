"""The one loader of responses, whatever they come from.

Inputs, each read one response at a time:

- the server's database (`sqlite:///FILE`, `postgresql://…`, or an SQLite file):
  the records `qengine serve` stored;
- JSON lines (`FILE.jsonl`): one record a line, as `qengine responses --format
  jsonl` writes them (`{"id", "status", "response", …}`; only `response` is needed);
- a folder (`DIR`): one response a `*.json` file: a record, what `qengine play
  --json` prints, or the bare response the HTML form downloads;
- a LimeSurvey results CSV ("question codes" heading), read by `limesurvey`.

Every response is then replayed with the Session (`replay`): who was asked what is
what the survey's conditions say for those answers, never the presence of a value.
A response answered under an earlier version of the survey (the server records each
version's text) is replayed with that version, since its conditions decided what the
respondent was asked; its values then go into the current survey's columns, and what
those columns cannot hold (a question or an option the current version lacks) is a
problem, said once per question. A record naming a version whose text the source
does not hold is replayed with the current survey, and that is said too.
A value the survey could not have taken (an unknown code, a value outside the
options, an answer to a question that was not asked, a submission the survey would
have refused) is a `Problem` with its file and line: nothing is dropped without a
word, and `strict` makes any problem fatal.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from qengine.data import DataError
from qengine.errors import AnswerError, EvaluationError
from qengine.export import version_of
from qengine.kinds.registry import kind_of
from qengine.model import Survey
from qengine.runtime.session import Session

#: the record's own fields, beside `response`
FIELDS = ("id", "version", "status", "started_at", "submitted_at", "page_durations")
#: one JSON line or file at most (a response of the largest survey is far smaller)
MAX_LINE = 10_000_000


@attrs.frozen
class Problem:
    """Something wrong with one response (or one column): where, and what."""

    where: str  # "results.csv:14", "responses.jsonl:3", "DIR/x.json"
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@attrs.frozen
class Replayed:
    """A response as the survey replays it: `asked` the questions shown when the
    respondent submitted (and the equations computed), `response` their values
    (None: asked, no answer), `problems` what did not fit."""

    asked: frozenset[str]
    response: Mapping[str, Any]
    problems: tuple[str, ...]
    row: Any = attrs.field(default=None, eq=False)  # the table's row, filled by `columns` (shared by copies)


@attrs.define
class Record:
    """One response: where it came from, the record's fields, and its replay."""

    where: str
    replayed: Replayed
    id: Any = None
    version: str | None = None
    status: str = "complete"
    started_at: str | None = None
    submitted_at: str | None = None
    page_durations: Mapping[str, float] | None = None

    @property
    def duration(self) -> float | None:
        """Seconds spent on the pages, in all (None when not known)."""
        if not self.page_durations:
            return None
        return float(sum(v for v in self.page_durations.values() if isinstance(v, int | float)))

    def to_json(self) -> dict:
        return {"id": self.id, "version": self.version, "status": self.status, "started_at": self.started_at,
                "submitted_at": self.submitted_at, "page_durations": self.page_durations,
                "response": dict(self.replayed.response)}


@attrs.define
class Loaded:
    """The responses read, in order, and every problem met."""

    survey: Survey
    records: list[Record]
    problems: list[Problem]
    partial_left_out: int = 0
    distinct: int = 0  # distinct responses replayed (the others were copies)


@attrs.frozen
class Version:
    """What a reader says before the records of an earlier version: the survey they
    were answered under."""

    version: str
    survey: Survey


# ---------------------------------------------------------------- replay
class Replayer:
    """Replays responses to one survey; identical responses are replayed once (a
    replay costs about a millisecond; 100,000 responses often hold far fewer
    distinct ones)."""

    def __init__(self, survey: Survey):
        self.survey = survey
        self._done: dict[str, Replayed] = {}

    @property
    def distinct(self) -> int:
        return len(self._done)

    def replay(self, response: Mapping[str, Any], *, partial: bool = False) -> Replayed:
        try:
            key = json.dumps(response, sort_keys=True, ensure_ascii=False) + ("#p" if partial else "")
        except (TypeError, ValueError):
            key = None
        if key is not None and key in self._done:
            return self._done[key]
        out = replay(self.survey, response, partial=partial)
        if key is not None:
            self._done[key] = out
        return out


def replay(survey: Survey, response: Mapping[str, Any], *, partial: bool = False) -> Replayed:
    """The response replayed with the Session. For a partial response (not
    submitted), only the questions it holds were presented: the others count as
    not asked even where the survey would have shown them later."""
    problems: list[str] = []
    given: dict[str, Any] = {}
    for code, value in response.items():
        q = survey.by_code.get(code) if isinstance(code, str) else None
        if q is None:
            problems.append(f"{_quote(code)} is no question of the survey: ignored")
            continue
        if not q.is_input or value is None:  # equations are computed anew; display texts hold nothing
            continue
        try:
            kind_of(q).coerce(q, value)
        except AnswerError as err:
            problems.append(f"{code}: {err.message}: left out")
            continue
        given[code] = value
    try:
        session = Session.from_json(survey, {"qengine": "session/1", "survey": survey.code, "answers": given})
        for code, value in given.items():
            if not session.is_visible(code):
                problems.append(f"{code}: answered, but the survey does not ask it after these answers "
                                "(its condition is false): left out")
                continue
            try:
                session.answer(code, value)  # the same value: refused if the question as shown refuses it
            except AnswerError as err:
                problems.append(f"{code}: {err.message} (kept)")
        if not partial:
            refused: dict[str, list[str]] = {}
            for p in session.all_problems():
                if p.question is None:  # a session's problems are each about a question
                    continue
                if not any(x.startswith(f"{p.question}:") for x in problems):
                    refused.setdefault(p.message, []).append(p.question)
            problems += [f"{', '.join(codes)}: the survey would not have accepted this submission: {message}"
                         for message, codes in refused.items()]
        answers = session.response().answers
    except EvaluationError as err:
        return Replayed(frozenset(), {}, (*problems, f"the survey failed while replaying it: {err}"))
    except AnswerError as err:  # pragma: no cover - every value was checked above
        return Replayed(frozenset(), {}, (*problems, str(err)))
    if partial:
        answers = {c: v for c, v in answers.items() if c in response}
    return Replayed(frozenset(answers), dict(answers), tuple(problems))


def _quote(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "…'"


# ---------------------------------------------------------------- inputs
@attrs.frozen
class Source:
    """Where responses come from: `kind` one of db, jsonl, dir, limesurvey."""

    kind: str
    location: str

    @classmethod
    def guess(cls, text: str | os.PathLike) -> Source:
        """The source a path or URL names: a database URL or SQLite file, a folder,
        a `.csv` (LimeSurvey), anything else JSON lines."""
        text = os.fspath(text)
        if "://" in text:
            return cls("db", text)
        path = Path(text)
        if path.is_dir():
            return cls("dir", text)
        if path.suffix.lower() in (".sqlite", ".sqlite3", ".db"):
            return cls("db", text)
        if path.suffix.lower() == ".csv":
            return cls("limesurvey", text)
        return cls("jsonl", text)


def load(survey: Survey, source: Source, *, partial: bool = False, strict: bool = False) -> Loaded:
    """Every response of `source`, replayed. Raises DataError when the source
    cannot be read at all, or (with `strict`) at the first problem."""
    current = Replayer(survey)
    versions = Versions(survey, current)
    loaded = Loaded(survey, [], [])
    reader = {"db": _database, "jsonl": _jsonl, "dir": _folder, "limesurvey": _limesurvey}[source.kind]
    for item in reader(survey, source.location):
        if isinstance(item, Problem):
            _problem(loaded, item, strict)
            continue
        if isinstance(item, Version):
            versions.add(item)
            continue
        where, data = item
        record = _record(where, data, loaded, strict)
        if record is None:
            continue
        is_partial = record.status not in ("complete", "submitted")
        if is_partial and not partial:
            loaded.partial_left_out += 1
            continue
        record.replayed = versions.replay(record, partial=is_partial)
        for message in record.replayed.problems:
            _problem(loaded, Problem(where, message), strict)
        loaded.records.append(record)
    for problem in versions.problems():
        _problem(loaded, problem, strict)
    loaded.distinct = sum(r.distinct for r in versions.replayers.values())
    return loaded


class Versions:
    """The replayer of each version of the survey met, and what the current
    survey's columns could not hold of the earlier ones."""

    def __init__(self, survey: Survey, current: Replayer):
        self.survey = survey
        self.current = version_of(survey)
        self.replayers: dict[str, Replayer] = {self.current: current}
        self.unknown: dict[str, int] = {}  # version → records replayed with the current survey
        self.dropped: dict[tuple[str, str, str], int] = {}  # (version, question, why) → records

    def add(self, item: Version) -> None:
        self.replayers.setdefault(item.version, Replayer(item.survey))

    def replay(self, record: Record, *, partial: bool) -> Replayed:
        version = record.version
        if version is None or version == self.current:
            return self.replayers[self.current].replay(record.replayed.response, partial=partial)
        if version not in self.replayers:
            self.unknown[version] = self.unknown.get(version, 0) + 1
            return self.replayers[self.current].replay(record.replayed.response, partial=partial)
        replayed = self.replayers[version].replay(record.replayed.response, partial=partial)
        return self._fitted(version, replayed)

    def _fitted(self, version: str, replayed: Replayed) -> Replayed:
        """An earlier version's replay, kept to what the current survey's columns can
        hold: a question it lacks, or a value it would refuse, is left out (and said)."""
        asked, response = set(replayed.asked), dict(replayed.response)
        for code in sorted(asked):
            q = self.survey.by_code.get(code)
            why = None
            if q is None:
                why = "a question this version of the survey no longer has"
            elif response.get(code) is not None and q.is_input:
                try:
                    kind_of(q).coerce(q, response[code])
                except AnswerError as err:
                    why = f"a value this version of the question refuses ({err.message})"
            if why is None:
                continue
            key = (version, code, why)
            self.dropped[key] = self.dropped.get(key, 0) + 1
            if q is None:
                asked.discard(code)
            response.pop(code, None)
        if len(asked) == len(replayed.asked) and len(response) == len(replayed.response):
            return replayed
        return Replayed(frozenset(asked), response, replayed.problems)

    def problems(self) -> Iterator[Problem]:
        for version, n in self.unknown.items():
            yield Problem(f"version {version}", f"{_responses(n)} answered under a version of the survey this "
                                                f"source does not hold: replayed with the current version "
                                                f"({self.current}), whose conditions say who was asked what")
        for (version, code, why), n in self.dropped.items():
            yield Problem(f"version {version}", f"{code}: {why}: left out of {_responses(n)}")


def _responses(n: int) -> str:
    return f"{n} response{'s' if n != 1 else ''}"


def _problem(loaded: Loaded, problem: Problem, strict: bool) -> None:
    loaded.problems.append(problem)
    if strict:
        raise DataError(f"{problem} (--strict: stopped at the first problem)")


def _record(where: str, data: Any, loaded: Loaded, strict: bool) -> Record | None:
    """A record from a parsed JSON value: a record (`response` inside), what
    `qengine play --json` prints, or a bare response."""
    if not isinstance(data, dict):
        _problem(loaded, Problem(where, f"expected a JSON object, got {type(data).__name__}: left out"), strict)
        return None
    if "response" in data and isinstance(data["response"], dict) and "response" not in loaded.survey.by_code:
        fields = {f: data.get(f) for f in FIELDS}
        status = fields["status"]
        if status is None:
            status = "complete" if data.get("complete", True) is not False else "partial"
        if not isinstance(status, str):
            _problem(loaded, Problem(where, f"status must be a string, not {_quote(status)}: read as complete"),
                     strict)
            status = "complete"
        durations = fields["page_durations"] if isinstance(fields["page_durations"], dict) else None
        return Record(where, Replayed(frozenset(), data["response"], ()), id=fields["id"],
                      version=_text(fields["version"]), status=status, started_at=_text(fields["started_at"]),
                      submitted_at=_text(fields["submitted_at"]), page_durations=durations)
    if "response" in data and "response" not in loaded.survey.by_code:
        _problem(loaded, Problem(where, "response must be a JSON object: left out"), strict)
        return None
    return Record(where, Replayed(frozenset(), data, ()))


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _jsonl(survey: Survey, location: str) -> Iterator[tuple[str, Any] | Problem]:
    path = Path(location)
    name = path.name
    try:
        stream = path.open("r", encoding="utf-8", errors="strict", newline="")
    except OSError as err:
        raise DataError(f"{location}: cannot read: {err.strerror or err}") from None
    with stream:
        number = 0
        try:
            for number, line in enumerate(stream, 1):  # noqa: B007 - kept for the error below
                if not line.strip():
                    continue
                if len(line) > MAX_LINE:
                    yield Problem(f"{name}:{number}", f"a line of {len(line):,} characters (at most "
                                                      f"{MAX_LINE:,}): left out")
                    continue
                try:
                    yield f"{name}:{number}", json.loads(line)
                except (json.JSONDecodeError, RecursionError) as err:
                    yield Problem(f"{name}:{number}", f"not JSON ({getattr(err, 'msg', 'nested too deep')}, "
                                                      f"column {getattr(err, 'colno', '?')}): left out")
        except UnicodeDecodeError:
            raise DataError(f"{location}:{number + 1}: not UTF-8 text") from None


def _folder(survey: Survey, location: str) -> Iterator[tuple[str, Any] | Problem]:
    folder = Path(location)
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".json", ".jsonl") and p.is_file())
    if not files:
        raise DataError(f"{location}: no .json or .jsonl file in this folder")
    for path in files:
        where = f"{folder.name}/{path.name}"
        if path.suffix.lower() == ".jsonl":
            yield from _jsonl(survey, str(path))
            continue
        try:
            if path.stat().st_size > MAX_LINE:
                yield Problem(where, f"a file over {MAX_LINE:,} bytes: left out")
                continue
            yield where, json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as err:
            yield Problem(where, f"cannot read: {getattr(err, 'strerror', None) or err}: left out")
        except (json.JSONDecodeError, RecursionError) as err:
            yield Problem(where, f"not JSON ({getattr(err, 'msg', 'nested too deep')}, line "
                                 f"{getattr(err, 'lineno', '?')}): left out")


def _database(survey: Survey, location: str) -> Iterator[tuple[str, Any] | Problem | Version]:
    """The records `qengine serve` stored (read only: nothing is migrated)."""
    try:
        import sqlalchemy as sa

        from qengine.serve.records import records
        from qengine.serve.storage import StorageError, Store, create_engine, database_url
        from qengine.serve.versions import recorded
    except ImportError as err:
        raise DataError(f"reading the server's database needs the server's modules ({err.name}): "
                        "pip install 'qengine-survey[serve]'") from None
    try:
        url = database_url(location)
    except StorageError as err:
        raise DataError(str(err)) from None
    if url.get_backend_name() == "sqlite" and not Path(url.database or "").is_file():
        raise DataError(f"no database at {url.database}")
    engine = create_engine(url, pool_size=1)
    try:
        store = Store(engine, survey.code)
        current, met = version_of(survey), set()
        for r in records(store, survey, current, partial=True):
            version = r["version"]
            if version not in met and version != current:
                met.add(version)
                earlier = recorded(store, version)
                if earlier is not None:
                    yield Version(version, earlier)
            yield f"response {r['id']}", r
    except sa.exc.SQLAlchemyError as err:
        first = str(getattr(err, "orig", None) or err).strip().splitlines()
        raise DataError(f"cannot read the database: {first[0] if first else type(err).__name__}") from None
    finally:
        engine.dispose()


def _limesurvey(survey: Survey, location: str) -> Iterator[tuple[str, Any] | Problem]:
    from qengine.data.limesurvey import read

    yield from read(survey, location)


def records_of(items: Iterable[Record]) -> list[dict]:
    return [r.to_json() for r in items]
