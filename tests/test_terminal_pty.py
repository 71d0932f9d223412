"""`qengine run` through a real pseudo-terminal: keystrokes in, screen out.

The program runs in a pty (stdlib `pty.fork`); what it writes is fed to `pyte`, a
VT100 emulator, whose screen the tests read. A robot respondent answers from an
answers file, keeping an in-process `Session` in lockstep: before each question it
checks that the terminal shows the question the runtime says comes next, with the
runtime's wording, then types the keys for the answer. The response written must
equal `qengine play --json`'s for the same answers.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pyte
import pytest
from click.testing import CliRunner
from qengine_renderers.terminal.text import clean

import qengine
from qengine.cli import main

ROOT = Path(__file__).resolve().parent.parent
GP_BACKUP = ROOT / "surveys" / "gp_backup.qdl"
HOUSEHOLD = ROOT / "surveys" / "examples" / "household.qdl"
COLS, ROWS = 100, 30

KEY = {"up": b"\x1b[A", "down": b"\x1b[B", "right": b"\x1b[C", "left": b"\x1b[D", "enter": b"\r",
       "space": b" ", "tab": b"\t", "esc": b"\x1b", "delete": b"\x1b[3~", "ctrl-u": b"\x15",
       "ctrl-x": b"\x18", "backspace": b"\x7f", "pgdn": b"\x1b[6~"}


class Terminal:
    """A program in a pseudo-terminal of COLS x ROWS, its screen emulated."""

    def __init__(self, *args: str, cwd: Path, cols: int = COLS, rows: int = ROWS):
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.output = b""
        self.status: int | None = None
        pid, fd = pty.fork()
        if pid == 0:  # the child: size its terminal, then become `qengine`
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
                os.chdir(cwd)
                env = {**os.environ, "TERM": "xterm-256color"}
                env.pop("NO_COLOR", None)
                os.execve(sys.executable, [sys.executable, "-c", "from qengine.cli import main; main()",
                                           *args], env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd

    @property
    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def _pump(self, timeout: float) -> bool:
        """Read what is there within `timeout`; False once the program is gone."""
        if not select.select([self.fd], [], [], timeout)[0]:
            return True
        try:
            data = os.read(self.fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            data = b""
        if not data:
            return False
        self.output += data
        self.stream.feed(data)
        return True

    def wait_for(self, predicate, timeout: float = 10.0) -> str:
        """Read until `predicate(screen text)` (or a string) holds on the screen."""
        check = (lambda text: predicate in text) if isinstance(predicate, str) else predicate
        deadline = time.monotonic() + timeout
        while not check(self.text):
            if time.monotonic() > deadline or not self._pump(0.05):
                if check(self.text):
                    break
                raise AssertionError(f"timed out waiting for {predicate!r}; screen:\n{self.text}")
        return self.text

    def press(self, *keys: str) -> None:
        for key in keys:
            os.write(self.fd, KEY.get(key, key.encode() if len(key) == 1 else b""))
            if key == "esc":  # a lone Esc is told from a sequence by a pause
                time.sleep(0.15)

    def type(self, text: str) -> None:
        os.write(self.fd, text.encode())

    def settle(self, quiet: float = 0.2) -> str:
        """Read until the program has been quiet for `quiet` seconds."""
        while select.select([self.fd], [], [], quiet)[0]:
            if not self._pump(0):
                break
        return self.text

    def finish(self, timeout: float = 10.0) -> int:
        deadline = time.monotonic() + timeout
        while self._pump(0.05) and time.monotonic() < deadline:
            pass
        _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        self.status = os.waitstatus_to_exitcode(status)
        return self.status

    def kill(self) -> None:
        if self.status is None:
            try:
                os.kill(self.pid, 9)
                os.waitpid(self.pid, 0)
                os.close(self.fd)
            except OSError:
                pass


@pytest.fixture
def term(tmp_path):
    started: list[Terminal] = []

    def start(*args, **kw):
        t = Terminal(*args, cwd=tmp_path, **kw)
        started.append(t)
        return t

    yield start
    for t in started:
        t.kill()


def _snippet(text: str) -> str:
    """The start of a wording as the screen shows it (first words, cleaned)."""
    return " ".join(clean(text).split()[:4])


class Robot:
    """Answers like a respondent, from an answers file, with a Session in lockstep."""

    def __init__(self, terminal: Terminal, survey, answers: dict):
        self.t = terminal
        self.answers = answers
        self.mirror = survey.start(format="question")

    def expect_question(self):
        view = self.mirror.questions()[0]
        self.t.wait_for(lambda text: f"{view.number}. {_snippet(view.text)}" in " ".join(text.split()))
        return view

    def answer_page(self) -> None:
        view = self.expect_question()
        value = self.answers.get(view.code)
        keys = getattr(self, f"_{view.kind}")(view, value)
        if value is not None:
            self.mirror.answer(view.code, value)
        self.t.press(*keys)
        assert self.mirror.next(), self.mirror.last_problems

    def run(self) -> None:
        while not self.mirror.finished:
            self.answer_page()

    @staticmethod
    def _moves(start: int, target: int) -> list[str]:
        return ["down"] * (target - start) if target >= start else ["up"] * (start - target)

    def _single(self, view, value):
        codes = [o.code for o in view.options] + ([] if view.mandatory else [None])
        current = self.mirror.current_value(view.code)
        if current is None and value is None:
            return ["enter"]  # nothing highlighted: Enter goes on without answering
        start = -1 if current is None else codes.index(current)  # -1: no cursor, down goes to the first
        return [*self._moves(start, codes.index(value)), "enter"]

    def _multiple(self, view, value):
        codes = [o.code for o in view.options]
        current = set(self.mirror.current_value(view.code) or ())
        wanted = set(value or ())
        toggles = [c for c in codes if c in current - wanted] + [c for c in codes if c in wanted - current]
        keys, cursor = [], 0
        for code in toggles:
            keys += [*self._moves(cursor, codes.index(code)), "space"]
            cursor = codes.index(code)
        return [*keys, "enter"]

    def _array(self, view, value):
        columns = [c.code for c in view.columns]
        current = self.mirror.current_value(view.code) or {}
        keys = []
        for row in view.rows:  # the cursor is on the line's answer, or on no column (-1)
            col = columns.index(current[row.code]) if row.code in current else -1
            target = columns.index(value[row.code])
            keys += ["right"] * (target - col) + ["left"] * (col - target) + ["enter"]
        return keys

    def _grid(self, view, value):
        keys = []
        for row in view.rows:
            for col in view.columns:
                cell = (value or {}).get(row.code, {}).get(col.code)
                keys += ["delete"] if cell is None else list(str(cell))
                keys.append("enter")
        return keys

    def _integer(self, view, value):
        return ["ctrl-u", *("" if value is None else str(value)), "enter"]

    _decimal = _integer

    def _text(self, view, value):
        return ["ctrl-u", *(value or ""), "enter"]

    def _display(self, view, value):
        return ["enter"]


def play_json(survey_path: Path, answers: dict, tmp_path: Path) -> dict:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    result = CliRunner().invoke(main, ["play", str(survey_path), "--answers", str(path), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


# A general practitioner in a group practice whose data was lost once: the
# loss group, the backup methods with the grid of supports, restoration and archives.
GP_PROFILE = {
    "sexe": "F", "age": "age2", "anciennete": ["anc2"], "solo": "solog", "territoire": "rur",
    "reseau": "rescs", "progicielpartage": "o", "cloud": "cldn", "progicielseul": "n",
    "sauvegarde": "o", "responsabilite": {"sans": "o", "avec": "nsp"}, "machine": "o",
    "chemin": "n", "horsprogiciel": "nsp", "confiance": {"securite": "4"},
    "competence": {"realisation": "3", "restauration": "2"}, "perte": "o",
    "pertecauses": ["materiel", "humaine"], "pertejours": 3, "pertesauvegarde": "o",
    "perterestauree": "o", "perterestaureetotal": "n", "pertedefinitive": 1, "pertefonctionnement": 2,
    "sauvegardeauto": "sao", "sauvegardequi": ["moi", "tiersctr"], "sauveprogiciel": "n",
    "sauvegardemethode": ["tiers"], "sauvegardecloud": "scn",
    "sauvegardesupports": {"susb": {"slocal": 1, "sext": 0}, "sopt": {"slocal": 0, "sext": 0},
                           "sddext": {"slocal": 2, "sext": 1}, "sssd": {"slocal": 0, "sext": 0},
                           "snas": {"slocal": 0, "sext": 0}},
    "chiffrement": "partie", "verification": ["oui", "journal"], "restaurationtestee": "o",
    "restaurationfrequence": "moinsan", "restaurationmachine": ["hors"],
    "plans": {"continuite": "n", "restauration": "o"}, "archives": "o", "archivesduree": 20,
    "archivessupport": ["hdd", "mdisc"], "archiveslieu": ["hors"], "archivesrecopie": "o",
    "archivesfrequence": 5,
}


def test_gp_backup_end_to_end_equals_play(term, tmp_path):
    survey = qengine.load(GP_BACKUP)
    t = term("run", str(GP_BACKUP), "-o", "response.json")
    t.wait_for("Appuyez sur Entrée pour commencer")
    t.press("enter")
    robot = Robot(t, survey, GP_PROFILE)
    robot.run()
    t.wait_for("Vos réponses ont été enregistrées")
    assert "La réponse est dans response.json." in t.text
    t.press("enter")
    assert t.finish() == 0
    written = json.loads((tmp_path / "response.json").read_text(encoding="utf-8"))
    played = play_json(GP_BACKUP, GP_PROFILE, tmp_path)
    assert played["complete"]
    assert written == played["response"]


HOUSEHOLD_PROFILE = {
    "adults": 2, "children": 1, "devices": ["tv", "computer", "tablet", "console", "kidtablet"],
    "counts": {"tv": {"all": 1, "recent": 0}, "computer": {"all": 2, "recent": 2},
               "tablet": {"all": 2, "recent": 1}, "console": {"all": 1, "recent": 0}},
    "agree": {"toomuch": "4", "rules": "2", "kids": "5"},
    "rooms": {"bedroom": "no", "kidsroom": "no", "kitchen": "yes"},
    "hours": 7.5, "postcode": "SW1A 1AA",
}


def test_household_end_to_end_equals_play(term, tmp_path):
    survey = qengine.load(HOUSEHOLD)
    answers = {k: v for k, v in HOUSEHOLD_PROFILE.items() if k in survey.by_code}
    t = term("run", str(HOUSEHOLD), "-o", "response.json")
    t.wait_for("Press Enter to start")
    t.press("enter")
    Robot(t, survey, answers).run()
    t.wait_for("Your answers have been recorded")
    t.press("x")
    assert t.finish() == 0
    written = json.loads((tmp_path / "response.json").read_text(encoding="utf-8"))
    assert written == play_json(HOUSEHOLD, answers, tmp_path)["response"]


SMALL = '''
survey small "A small survey"
language en
welcome "Three questions."
end "Thank you."

group g "The questions"
  single fruit "Which fruit?"
    mandatory
    - apple "Apple"
    - pear "Pear"
  integer count "How many a week?"
    mandatory
    min 0
    max 50
  multiple when "When?"
    - morning "Morning"
    - evening "Evening"
    - never "Never" exclusive
'''


@pytest.fixture
def small(tmp_path):
    path = tmp_path / "small.qdl"
    path.write_text(SMALL, encoding="utf-8")
    return path


def test_validation_blocks_back_keeps_answers_and_the_footer_shows_the_keys(term, small, tmp_path):
    t = term("run", str(small), "-o", "out.json")
    t.wait_for("Press Enter to start")
    t.press("enter", "enter")  # nothing highlighted: Enter chooses nothing
    t.wait_for("✗ This question is mandatory.")
    assert "1. Which fruit? *" in t.text and "(•)" not in t.text
    t.press("down", "enter")  # Apple, highlighted now
    t.wait_for("2. How many a week? *")
    assert "Enter  next" in t.text and "Esc  back" in t.text and "Ctrl-X  save and quit" in t.text
    t.press("enter")
    t.wait_for("✗ This question is mandatory.")
    t.type("99")
    t.press("enter")
    t.wait_for("✗ The value must be at most 50.")
    t.press("esc")
    t.wait_for("1. Which fruit?")
    assert "(•) Apple" in t.text
    t.press("down", "enter")
    t.wait_for("2. How many a week?")
    assert "✗" not in t.text  # problems are shown after trying to go on, not before
    t.press("ctrl-u")
    t.type("7")
    t.press("enter")
    t.wait_for("3. When?")
    t.press("space", "down", "space", "down", "space")  # Never unticks the others
    t.wait_for(lambda text: "[x] Never" in text and "[ ] Morning" in text)
    t.press("enter")
    t.wait_for("Thank you.")
    t.press("enter")
    assert t.finish() == 0
    response = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert response == {"fruit": "pear", "count": 7, "when": ["never"]}


def test_quit_and_save_then_resume(term, small, tmp_path):
    t = term("run", str(small), "-o", "out.json", "--save", "state.json")
    t.wait_for("Press Enter to start")
    t.press("down")  # scrolls nothing, starts nothing
    t.press("enter", "down", "down", "enter")
    t.wait_for("2. How many a week?")
    t.type("12")
    t.press("ctrl-x")
    assert t.finish() == 1
    out = t.output.decode()
    assert "answers saved in state.json" in out
    assert f"qengine run {small} --resume state.json -o out.json" in out
    saved = json.loads((tmp_path / "state.json").read_text(encoding="utf-8"))
    assert saved["answers"] == {"fruit": "pear", "count": 12}  # the typed number was kept
    assert not (tmp_path / "out.json").exists()

    t = term("run", str(small), "--resume", "state.json", "-o", "out.json")
    t.wait_for("Welcome back")
    assert "2. How many a week?" in t.text and "12" in t.text
    t.press("enter")
    t.wait_for("3. When?")
    t.press("esc")
    t.wait_for("2. How many a week?")
    t.press("ctrl-x")  # quitting again saves to the file resumed from
    assert t.finish() == 1
    assert json.loads((tmp_path / "state.json").read_text(encoding="utf-8"))["page"] == 1

    t = term("run", str(small), "--resume", "state.json", "-o", "out.json")
    t.wait_for("Welcome back")
    t.press("enter", "enter")
    t.wait_for("Thank you.")
    t.press("enter")
    assert t.finish() == 0
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8")) == \
        {"fruit": "pear", "count": 12, "when": None}
    assert not (tmp_path / "state.json").exists()  # submitted: the saved answers are not left behind
    assert "the saved session state.json was removed" in t.output.decode()


def test_default_save_file_does_not_overwrite_an_earlier_one(term, small, tmp_path):
    (tmp_path / "small.session.json").write_text("earlier", encoding="utf-8")
    t = term("run", str(small))
    t.wait_for("Press Enter to start")
    t.press("ctrl-x")
    assert t.finish() == 1
    assert (tmp_path / "small.session.json").read_text(encoding="utf-8") == "earlier"
    assert json.loads((tmp_path / "small.session-2.json").read_text(encoding="utf-8"))["survey"] == "small"


def test_response_goes_to_standard_output_without_o(term, small):
    t = term("run", str(small))
    t.wait_for("Press Enter to start")
    t.press("enter", "down", "enter")
    t.wait_for("2. How many")
    t.type("3")
    t.press("enter", "enter")
    t.wait_for("Thank you.")
    t.press("enter")
    assert t.finish() == 0
    assert '"count": 3' in t.output.decode()


def test_resize_redraws_at_the_new_width(term, small):
    t = term("run", str(small))
    t.wait_for("Press Enter to start")
    t.press("enter")
    t.wait_for("1. Which fruit?")
    assert t.text.splitlines()[2] == "─" * COLS
    t.screen.resize(24, 60)
    fcntl.ioctl(t.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 60, 0, 0))
    t.wait_for(lambda text: text.splitlines()[2] == "─" * 60)
    t.press("ctrl-x")
    assert t.finish() == 1


def test_hostile_survey_text_does_not_reach_the_terminal(term, tmp_path):
    path = tmp_path / "h.qdl"
    path.write_text('survey h "Safe\x1b]0;pwned\x07"\ngroup g "G"\n'
                    '  single q "Pick \x1b[2J\x1b[31mone"\n    - a "A\x1b[8m"\n', encoding="utf-8")
    t = term("run", str(path))
    t.wait_for("Press Enter to start")
    t.press("enter")
    t.wait_for("1. Pick")
    assert "\\x1b[2J\\x1b[31mone" in t.text and "A\\x1b[8m" in t.text
    for attack in (b"\x1b]0;", b"\x07", b"\x1b[2J\x1b[31mone", b"\x1b[8m"):
        assert attack not in t.output
    t.press("ctrl-x")
    assert t.finish() == 1


def test_no_terminal_exits_2_with_a_hint(small, tmp_path):
    result = subprocess.run([sys.executable, "-c", "from qengine.cli import main; main()", "run", str(small)],
                            stdin=subprocess.DEVNULL, capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.returncode == 2
    assert "qengine run needs a terminal" in result.stderr and "Traceback" not in result.stderr


def test_hang_up_saves_the_answers(term, small, tmp_path):
    t = term("run", str(small), "--save", "state.json")
    t.wait_for("Press Enter to start")
    t.press("enter", "down", "down", "enter")
    t.wait_for("2. How many a week?")
    os.kill(t.pid, signal.SIGHUP)
    assert t.finish() == 1
    saved = json.loads((tmp_path / "state.json").read_text(encoding="utf-8"))
    assert saved["answers"] == {"fruit": "pear"} and saved["page"] == 1


OWNED = '''
survey own "Own"
language en
group g "G"
  multiple owned "Which do you own?"
    - car "A car"
    - bike "A bike"
  array use "How often do you use it?"
    column daily "Daily"
    column weekly "Weekly"
    row car "Your car" when owned_car == "Y"
    row bike "Your bike" when owned_bike == "Y"
  single best "Your favourite?"
    - car "The car" when owned_car == "Y"
    - neither "Neither" when count(owned) == 0
'''


def test_an_array_with_every_line_filtered_away_is_passed(term, tmp_path):
    (tmp_path / "own.qdl").write_text(OWNED, encoding="utf-8")  # docs/qdl.md's example
    t = term("run", "own.qdl", "-o", "out.json")
    t.wait_for("Press Enter to start")
    t.press("enter", "enter")  # nothing ticked
    t.wait_for("Nothing to answer here.")
    t.press("right", "space", "enter")
    t.wait_for("3. Your favourite?")
    t.press("down", "enter")
    t.wait_for("Your answers have been recorded")
    t.press("enter")
    assert t.finish() == 0
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8")) == \
        {"owned": None, "use": None, "best": "neither"}


def test_a_failing_wording_shows_the_defect_saves_and_exits_1(term, tmp_path):
    (tmp_path / "d.qdl").write_text('survey d "D"\nlanguage en\ngroup g "G"\n  text t "Name?"\n'
                                    '  single q "Plus one: {t + 1}"\n    - a "A"\n', encoding="utf-8")
    t = term("run", "d.qdl")
    t.wait_for("Press Enter to start")
    t.press("enter")
    t.wait_for("1. Name?")
    t.type("abc")
    t.press("enter")
    t.wait_for("This questionnaire has a defect and cannot go on:")
    assert "d.qdl:5:24: 'abc' is not a number" in t.text
    t.press("x")
    assert t.finish() == 1
    out = t.output.decode()
    assert "error: the survey failed while running: d.qdl:5:24: 'abc' is not a number" in out
    assert "answers saved in d.session.json" in out and "Traceback" not in out
    assert json.loads((tmp_path / "d.session.json").read_text(encoding="utf-8"))["answers"] == {"t": "abc"}


SURVEYS = sorted((ROOT / "surveys").rglob("*.qdl"))


@pytest.mark.parametrize("path", SURVEYS, ids=lambda p: p.name)
def test_every_shipped_survey_opens_goes_on_and_saves(term, path, tmp_path):
    t = term("run", str(path), "--save", "state.json")
    t.wait_for("Ctrl-X")  # the welcome screen's footer
    t.press("enter", *["pgdn", "enter"] * 4)
    t.settle()
    t.press("ctrl-x")
    assert t.finish() == 1
    assert b"Traceback" not in t.output
    assert json.loads((tmp_path / "state.json").read_text(encoding="utf-8"))["survey"] == qengine.load(path).code
