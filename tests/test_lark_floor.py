"""The oldest Lark that pyproject.toml admits is the one tested here (issue #15).

The installed Lark is the newest the resolver picked; the floor is installed beside
it into a folder of its own, and every survey of the repository (and the syntax
errors of a broken one) must come out the same under both. A machine that cannot
download the floor fails this test: the floor would otherwise be a guess.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]

_PROBE = r"""
import glob, json, sys
import lark, qengine
from qengine.export import survey_json as export
from qengine.errors import QdlError
out = {"lark": lark.__version__}
for path in sorted(glob.glob("surveys/**/*.qdl", recursive=True)):
    out[path] = export(qengine.load(path))
try:
    qengine.load('survey s "S"\ngroup g "G"\n  single q "Q?"\n    when when\n  whenx\n')
except QdlError as err:
    out["broken"] = [(d.code, d.message, d.span.start) for d in err.diagnostics]
print(json.dumps(out, sort_keys=True))
"""


def _floor() -> str:
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]
    (lark,) = [d for d in dependencies if re.match(r"lark\b", d)]
    return re.search(r">=\s*([\w.]+)", lark).group(1)


def _probe(*path: Path) -> dict:
    env = {"PYTHONPATH": ":".join(str(p) for p in path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def floor_lark(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("lark-floor")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
                    str(target), f"lark=={_floor()}"], check=True, capture_output=True, timeout=300)
    return target


def test_the_oldest_admitted_lark_reads_every_survey_as_the_newest_does(floor_lark):
    oldest = _probe(floor_lark, ROOT, ROOT / "renderers")
    newest = _probe(ROOT, ROOT / "renderers")
    assert oldest.pop("lark") == _floor()
    newest.pop("lark")
    assert oldest == newest
    assert oldest["broken"], "the broken survey is refused"
