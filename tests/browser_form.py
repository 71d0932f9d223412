"""A respondent at the HTML form, in Debian's Chromium through Playwright: the helpers
the browser tests share (and benchmarks or screenshots may use)."""

from __future__ import annotations

import json
import os
import shutil
import warnings
from contextlib import contextmanager
from pathlib import Path

import pytest

import qengine
from qengine.renderers import RenderWarning, load_renderer

CHROMIUM = "/usr/bin/chromium"


def chromium_or_skip() -> str:
    """Debian's Chromium; a missing one skips locally and fails under CI."""
    if not Path(CHROMIUM).exists() or shutil.which("node") is None:
        if os.environ.get("CI"):
            pytest.fail(f"the browser tests need {CHROMIUM} and node")
        pytest.skip("Chromium is not installed")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("the browser tests need the playwright package")
        pytest.skip("playwright is not installed")
    return CHROMIUM


@contextmanager
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # The background-networking flags keep Chromium from calling home on a closed network.
        b = p.chromium.launch(executable_path=chromium_or_skip(),
                              args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                                    "--no-first-run", "--disable-background-networking",
                                    "--disable-component-update", "--disable-sync"])
        try:
            yield b
        finally:
            b.close()


def render_form(survey_path_or_text, directory: Path, name: str = "form.html", **options) -> Path:
    survey = qengine.load(survey_path_or_text)
    with warnings.catch_warnings():
        # Without post_url the form warns that it sends nothing: the tests download instead.
        warnings.simplefilter("ignore", RenderWarning)
        html = load_renderer("html").render(survey, "html", **options)
    out = directory / name
    out.write_text(html, encoding="utf-8")
    return out


class Respondent:
    """Drives one page of the form the way a person does: clicks, ticks and types."""

    def __init__(self, page):
        self.page = page

    # -------------------------------------------------------------- looking
    def shown(self) -> list[str]:
        """Codes of the questions on screen now (shown and on the current page)."""
        return self.page.eval_on_selector_all(
            "[data-question]",
            "els => els.filter(e => e.offsetParent !== null).map(e => e.dataset.question)")

    def text(self, code: str) -> str:
        return self.page.text_content(f"[data-question={code}] [data-text=text]")

    def hidden(self, code: str) -> bool:
        return self.page.get_attribute(f"[data-question={code}]", "hidden") is not None

    def errors(self, code: str) -> list[str]:
        return self.page.eval_on_selector(
            f"[data-question={code}] .qe-errors", "e => Array.from(e.children).map(p => p.textContent)")

    def summary(self) -> list[str]:
        """The questions listed in the problem summary, when it is shown."""
        if self.page.get_attribute("#qe-summary", "hidden") is not None:
            return []
        return self.page.eval_on_selector_all("#qe-summary li a", "as => as.map(a => a.hash.slice(6))")

    def screen(self) -> str:
        for name in ("welcome", "end"):
            el = self.page.query_selector(f"#qe-{name}")
            if el is not None and el.is_visible():
                return name
        return "form"

    # -------------------------------------------------------------- answering
    def start(self):
        if self.screen() == "welcome":
            self.page.click("#qe-start")

    def answer(self, code: str, value) -> None:
        """Give `value` (answers-file form) to question `code` through its inputs."""
        box = f"[data-question={code}]"
        widget = self.page.get_attribute(box, "data-widget")  # as the form draws it, whatever the kind
        if widget == "choice":
            self.page.check(f"{box} input[name={code}][value='{value}']")
        elif widget == "choices":
            for cb in self.page.query_selector_all(f"{box} input[type=checkbox]"):
                wanted = cb.get_attribute("name")[len(code) + 1:] in value
                if cb.is_visible() and cb.is_checked() != wanted:
                    cb.click()
        elif widget == "choice_table":
            for row, col in value.items():
                self.page.check(f"{box} input[name={code}_{row}][value='{col}']")
        elif widget == "number_table":
            for row, cells in value.items():
                for col, number in cells.items():
                    self.type(f"{box} input[name={code}_{row}_{col}]", "" if number is None else str(number))
        else:
            self.type(f"{box} [name={code}]", str(value))

    def type(self, selector: str, text: str) -> None:
        self.page.fill(selector, text)
        self.page.dispatch_event(selector, "change")

    def fill_page(self, answers: dict, after=None) -> None:
        """Answer every question on screen that has an answer, including those the
        answers make appear, as `qengine play` does; `after(code)` follows each answer."""
        tried: set[str] = set()
        while True:
            todo = [c for c in self.shown() if c not in tried and c in answers]
            if not todo:
                return
            for code in todo:
                tried.add(code)
                if not self.hidden(code):
                    self.answer(code, answers[code])
                    if after is not None:
                        after(code)

    def next(self) -> None:
        self.page.click("#qe-next")

    def play(self, answers: dict, max_pages: int = 40) -> str:
        """Fill page after page until the end screen ("end") or a page that cannot be
        left ("blocked")."""
        self.start()
        for _ in range(max_pages):
            if self.screen() == "end":
                return "end"
            self.fill_page(answers)
            self.next()
            if self.screen() != "end" and self.summary():
                return "blocked"
        raise AssertionError("the form never ended")

    def download(self) -> dict:
        with self.page.expect_download() as info:
            self.page.click("#qe-download")
        return json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
