"""The browser runtime in one long-lived Node process, for the tests that compare it
with Python (tests/js/harness.js is the other end of the pipe)."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from qengine_renderers.html.to_js import runtime

HARNESS = Path(__file__).parent / "js" / "harness.js"


def node_or_skip() -> str:
    """The node executable; a missing one skips locally and fails under CI."""
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("node is required for the JavaScript tests")
        pytest.skip("node is not installed")
    return node


def decode(value):
    """Numbers JSON cannot hold come back from Node as {"$num": "inf"}."""
    if isinstance(value, dict):
        if set(value) == {"$num"}:
            return {"inf": math.inf, "-inf": -math.inf, "nan": math.nan}[value["$num"]]
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def encode(value):
    """The Python side of the same convention, for values compared with Node's."""
    if isinstance(value, float) and not math.isfinite(value):
        return {"$num": "nan" if value != value else "inf" if value > 0 else "-inf"}
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    return value


class NodeRuntime:
    def __init__(self):
        node = node_or_skip()
        # The harness requires the runtime the form ships, from a file.
        self.folder = tempfile.TemporaryDirectory(prefix="qengine-js-")
        source = Path(self.folder.name) / "qengine.js"
        source.write_text(runtime(), encoding="utf-8")
        self.process = subprocess.Popen([node, str(HARNESS), str(source)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, encoding="utf-8", bufsize=1)
        self.loaded: dict[str, str] = {}

    def request(self, **payload):
        self.process.stdin.write(json.dumps(payload, ensure_ascii=False) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the Node harness stopped")
        answer = json.loads(line)
        if isinstance(answer, dict) and "crash" in answer:
            raise RuntimeError("the Node harness failed:\n" + answer["crash"])
        return answer  # numbers JSON cannot hold still encoded: see decode()

    def load(self, key: str, module: str) -> None:
        if self.loaded.get(key) != module:
            self.request(op="load", id=key, module=module)
            self.loaded[key] = module

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=10)
        self.folder.cleanup()
