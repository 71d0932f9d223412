"""LimeSurvey's texts (HTML with `{…}` tailoring) as QDL texts (plain, with
`{expression}` parts).

The `{…}` parts are found the way ExpressionManager finds them
(`asSplitStringOnExpressions`): a `{` followed by a blank is literal (room for
inline JavaScript and CSS), braces inside quoted strings of an expression do not
count, `\\{` is a literal brace. The HTML around them is read as a browser shows it
(paragraphs and line breaks become line breaks, list items lines that start with
"- ", entities decoded, other markup dropped), with each expression kept in place.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table",
           "blockquote", "pre", "hr"}
_KEPT_MARKUP = _BLOCKS | {"span", "b", "strong", "i", "em", "u", "font", "tbody", "thead", "td", "th"}
_MARK = "\ue000"  # a private-use character stands for each expression while the HTML is read


def split_tailoring(source: str) -> list[tuple[str, str]]:
    """The parts of a LimeSurvey text: ("text", html) and ("expr", expression)."""
    if "{" not in source and "\\" not in source:
        return [("text", source)] if source else []
    parts: list[tuple[str, str]] = []
    literal: list[str] = []
    i, n = 0, len(source)
    while i < n:
        ch = source[i]
        if ch == "\\" and i + 1 < n and source[i + 1] in "{}":
            literal.append(source[i + 1])
            i += 2
            continue
        if ch == "{" and i + 1 < n and not source[i + 1].isspace():
            end = _closing(source, i + 1)
            if end is not None:
                if literal:
                    parts.append(("text", "".join(literal)))
                    literal = []
                parts.append(("expr", source[i + 1:end]))
                i = end + 1
                continue
        literal.append(ch)
        i += 1
    if literal:
        parts.append(("text", "".join(literal)))
    return parts


def _closing(source: str, start: int) -> int | None:
    depth, quote, i = 0, None, start
    while i < len(source):
        ch = source[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "{":
            depth += 1
        elif ch == "}":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    return None


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.dropped: set[str] = set()

    def handle_starttag(self, tag, attrs):
        if tag == "li":
            self.out.append("\n- ")
        elif tag in _BLOCKS:
            self.out.append("\n")
        elif tag in ("td", "th"):
            self.out.append(" ")
        if tag not in _KEPT_MARKUP:
            self.dropped.add(tag)

    def handle_endtag(self, tag):
        if tag in _BLOCKS and tag != "li":
            self.out.append("\n")

    def handle_data(self, data):
        self.out.append(data)


def html_to_text(source: str) -> tuple[str, set[str]]:
    """The text a browser shows for `source`, and the HTML elements dropped that
    carried more than layout (images, links...)."""
    if "<" not in source and "&" not in source:
        return _tidy(source), set()
    reader = _Reader()
    reader.feed(source)
    reader.close()
    return _tidy("".join(reader.out)), reader.dropped


def _tidy(text: str) -> str:
    text = text.replace("\xa0", " ").replace("\r\n", "\n")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if out and out[-1] == "-" and line:  # a list item whose text is a paragraph
            out[-1] = f"- {line}"
        elif line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def convert(source: str) -> tuple[list[str | tuple[str]], set[str]]:
    """A LimeSurvey text as parts: plain strings, and `(expression,)` tuples for
    the `{…}` parts (their HTML entities decoded, as LimeSurvey decodes them)."""
    parts = split_tailoring(source or "")
    expressions = [html.unescape(p) for kind, p in parts if kind == "expr"]
    counter = iter(range(len(expressions)))
    marked = "".join(p if kind == "text" else f"{_MARK}{next(counter)}{_MARK}" for kind, p in parts)
    text, dropped = html_to_text(marked)
    out: list[str | tuple[str]] = []
    for i, piece in enumerate(text.split(_MARK)):
        if i % 2 == 0:
            if piece:
                out.append(piece)
        else:
            out.append((expressions[int(piece)],))
    return out, dropped
