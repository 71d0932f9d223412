"""The wheel is self-contained: built from the checkout, installed into a fresh
virtual environment, it checks a survey from another directory with its own
grammar and schema, not the checkout's."""

from __future__ import annotations

import configparser
import json
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
TUTORIAL = ROOT / "surveys/examples/tutorial.qdl"


def _run(*args, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # No isolation: the build backend (hatchling) comes with the [test] extra
    # (test_the_test_extra_installs_the_build_backend), and the machine may have
    # no network beyond the package registries.
    _run(sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", out, ROOT)
    (built,) = out.glob("qengine_survey-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(tmp_path_factory, wheel) -> Path:
    """A fresh environment that sees the installed dependencies but gets qengine
    itself only from the wheel."""
    env = tmp_path_factory.mktemp("venv")
    _run(sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", env)
    # When the tests run in a virtual environment, the dependencies are there, not in
    # the system's site: the new one reads them from it too (a .pth line adds a path
    # without reading that path's own .pth files, so an editable qengine stays out).
    own = _run(env / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    outer = dict.fromkeys(sysconfig.get_paths()[k] for k in ("purelib", "platlib"))
    (Path(own.stdout.strip()) / "_tests_outer_site.pth").write_text("\n".join(outer) + "\n", encoding="utf-8")
    _run(sys.executable, "-m", "pip", "--python", env / "bin" / "python", "install",
         "--no-deps", "--force-reinstall", "--no-index", "--quiet", wheel)
    return env


def test_wheel_contents(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "qengine/grammars/qdl.lark" in names
    assert "qengine/schemas/survey.schema.json" in names
    assert "qengine/__init__.py" in names and "qengine/cli/check.py" in names
    assert any(n.startswith("qengine_renderers/") and n.endswith("__init__.py") for n in names)
    assert not [n for n in names if n.startswith(("tests/", "surveys/", "benchmarks/", "docs/", "grammars/"))]
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    grammar = zipfile.ZipFile(wheel).read("qengine/grammars/qdl.lark").decode()
    assert grammar == (ROOT / "grammars/qdl.lark").read_text("utf-8")


def test_wheel_metadata(wheel):
    archive = zipfile.ZipFile(wheel)
    info = next(n for n in archive.namelist() if n.endswith(".dist-info/entry_points.txt"))
    entry_points = configparser.ConfigParser()
    entry_points.read_string(archive.read(info).decode())
    assert entry_points["console_scripts"]["qengine"] == "qengine.cli:main"
    metadata = archive.read(info.replace("entry_points.txt", "METADATA")).decode()
    assert "Requires-Python: >=3.11" in metadata and "Requires-Dist: lark" in metadata


def test_installed_wheel_is_imported_from_the_venv(venv, tmp_path):
    code = ("import importlib.resources, qengine, qengine_renderers; "
            "print(qengine.__file__); print(qengine_renderers.__file__); "
            "print(importlib.resources.files('qengine').joinpath('grammars/qdl.lark').is_file())")
    out = _run(venv / "bin" / "python", "-c", code, cwd=tmp_path).stdout.splitlines()
    assert all(Path(p).is_relative_to(venv) for p in out[:2]), out
    assert out[2] == "True"


def test_installed_qengine_checks_a_survey_from_another_directory(venv, tmp_path):
    survey = tmp_path / "tutorial.qdl"
    survey.write_text(TUTORIAL.read_text("utf-8"), "utf-8")
    result = _run(venv / "bin" / "qengine", "check", "tutorial.qdl", cwd=tmp_path)
    assert result.stdout == "tutorial.qdl: ok (5 questions in 1 group)\n"
    bad = tmp_path / "bad.qdl"
    bad.write_text('survey s "S"\ngroup g "G"\n  display d "{nope}"\n', "utf-8")
    failed = subprocess.run([venv / "bin" / "qengine", "check", "bad.qdl"], cwd=tmp_path,
                            capture_output=True, text=True)
    assert failed.returncode == 1 and "bad.qdl:3:15: error[E210]" in failed.stdout


def test_installed_qengine_exports_with_its_own_schema(venv, tmp_path):
    result = _run(venv / "bin" / "qengine", "export", TUTORIAL, cwd=tmp_path)
    assert json.loads(result.stdout)["code"] == "tutorial"
    code = "from qengine.export import survey_schema; print(survey_schema()['title'])"
    assert _run(venv / "bin" / "python", "-c", code, cwd=tmp_path).stdout == "qengine survey export\n"
