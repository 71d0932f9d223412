"""Sessions a worker served a moment ago, kept to spare rebuilding them.

Rebuilding a respondent's session from the stored answers and playing those
answers through (`qengine play`) is most of a request's work. A worker keeps the
last few hundred it made, each under the response's id *and revision*: a request
reads the row first, and an entry is used only if the row's revision is the one it
was made for. Any change by another worker bumps the revision, so an entry can be
missing but never stale. Nothing here is needed: any worker serves any request
from the database alone.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import attrs

from qengine.runtime import Session
from qengine.runtime.play import PlayResult
from qengine.serve.replay import Mark

SIZE = 512


@attrs.frozen
class Known:
    session: Session  # never changed: take a copy to work on
    result: PlayResult  # `play` for the session's answers
    mark: Mark | None = None  # where that `play` may be resumed from


class Recent:
    def __init__(self, size: int = SIZE):
        self.size = size
        self._entries: OrderedDict[tuple[int, int], Known] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, response_id: int, revision: int) -> Known | None:
        with self._lock:
            known = self._entries.get((response_id, revision))
            if known is not None:
                self._entries.move_to_end((response_id, revision))
            return known

    def put(self, response_id: int, revision: int, known: Known) -> None:
        with self._lock:
            self._entries[(response_id, revision)] = known
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
