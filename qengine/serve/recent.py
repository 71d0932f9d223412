"""Responses a worker served a moment ago, kept to spare rebuilding and reading them.

Rebuilding a respondent's session from the stored answers and playing those
answers through (`qengine play`) is most of a request's work. A worker keeps the
last few hundred responses it read or wrote: the row as it stood then, with the
session and `play` of its answers. Any change to a row bumps its revision, so:

- a row read from the database uses the session kept for it only if the revision
  kept is the one read (`known`): a session can be missing, never stale;
- a change may start from the row kept, without reading it first (`get`), because
  the write is guarded by the revision it was computed from
  (`Store.update_response`): if another worker changed the row in between, the
  write does not happen, and the change starts again from the database.

Nothing here is needed: any worker serves any request from the database alone.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import attrs

from qengine.runtime import Session
from qengine.runtime.play import PlayResult
from qengine.serve.replay import Mark
from qengine.serve.storage import ResponseRow

SIZE = 512


@attrs.frozen
class Known:
    session: Session  # never changed: take a copy to work on
    result: PlayResult  # `play` for the session's answers
    mark: Mark | None = None  # where that `play` may be resumed from


@attrs.frozen
class Recalled:
    row: ResponseRow  # as this worker last read or wrote it
    known: Known  # of its answers


class Recent:
    """Kept by token selector (what a request names a response by)."""

    def __init__(self, size: int = SIZE):
        self.size = size
        self._entries: OrderedDict[str, Recalled] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, selector: str) -> Recalled | None:
        with self._lock:
            recalled = self._entries.get(selector)
            if recalled is not None:
                self._entries.move_to_end(selector)
            return recalled

    def known(self, row: ResponseRow) -> Known | None:
        """The session kept for `row` as read from the database, if it is of that
        very revision."""
        recalled = self.get(row.selector)
        if recalled is None or recalled.row.id != row.id or recalled.row.revision != row.revision:
            return None
        return recalled.known

    def put(self, row: ResponseRow, known: Known) -> None:
        with self._lock:
            self._entries[row.selector] = Recalled(row, known)
            self._entries.move_to_end(row.selector)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
