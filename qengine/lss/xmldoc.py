"""The XML of a `.lss` file, read safely, with the line of every element.

A `.lss` is a LimeSurvey "survey structure" export: a `<document>` holding tables
(`<questions><fields>…</fields><rows><row>…</row></rows></questions>`). It is read
with `defusedxml`, which refuses entity expansion and external references (a
hostile file cannot make the importer read local files or blow up in memory), by a
SAX handler that keeps each element's line so that every message can point into
the file.
"""

from __future__ import annotations

import io
import xml.sax
from collections.abc import Iterator
from typing import cast

import attrs
import defusedxml
import defusedxml.sax


class LssError(Exception):
    """A `.lss` file that cannot be used: `line` is where (0 when nowhere)."""

    def __init__(self, message: str, line: int = 0, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.hint = hint


@attrs.define
class Element:
    tag: str
    line: int
    text: str = ""
    children: list[Element] = attrs.field(factory=list)

    def child(self, tag: str) -> Element | None:
        return next((c for c in self.children if c.tag == tag), None)

    def child_text(self, tag: str) -> str | None:
        c = self.child(tag)
        return None if c is None else c.text


@attrs.frozen
class Row:
    """One row of a table: its fields' texts, and its line in the file."""

    fields: dict[str, str]
    line: int

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default)


class _Builder(xml.sax.ContentHandler):
    def __init__(self):
        super().__init__()
        self.stack: list[Element] = []
        self.texts: list[list[str]] = []
        self.root: Element | None = None
        self.locator = None

    def setDocumentLocator(self, locator):  # noqa: N802 (SAX's name)
        self.locator = locator

    def startElement(self, name, attrs):  # noqa: N802
        element = Element(name, self.locator.getLineNumber() if self.locator else 0)
        if self.stack:
            self.stack[-1].children.append(element)
        else:
            self.root = element
        self.stack.append(element)
        self.texts.append([])

    def characters(self, content):
        if self.texts:
            self.texts[-1].append(content)

    def endElement(self, name):  # noqa: N802
        element = self.stack.pop()
        element.text = "".join(self.texts.pop())


def parse(data: bytes) -> Element:
    """The root element, or LssError saying why and where the XML is broken."""
    handler = _Builder()
    parser = defusedxml.sax.make_parser()
    parser.setContentHandler(handler)
    parser.setFeature(xml.sax.handler.feature_namespaces, False)
    try:
        parser.parse(io.BytesIO(data))
    except xml.sax.SAXParseException as err:
        message = err.getMessage()
        hint = None
        if "no element found" in message or "unclosed token" in message:
            hint = "the file ends before its last element is closed: is it complete (not truncated)?"
        # expat always knows where
        line, column = cast(int, err.getLineNumber()), cast(int, err.getColumnNumber())
        raise LssError(f"the file is not well-formed XML: {message} (column {column + 1})",
                       line, hint) from None
    except defusedxml.DefusedXmlException as err:
        raise LssError(f"the file declares XML entities or external references, which a .lss never "
                       f"holds; refused for safety ({type(err).__name__})", handler.locator.getLineNumber()
                       if handler.locator else 0) from None
    if handler.root is None:
        raise LssError("the file holds no XML element")
    return handler.root


def table(root: Element, name: str) -> list[Row]:
    """The rows of the table `name` (none when the file has no such table)."""
    section = root.child(name)
    if section is None:
        return []
    rows = section.child("rows")
    return [] if rows is None else [Row({f.tag: f.text for f in r.children}, r.line) for r in rows.children
                                    if r.tag == "row"]


def elements(root: Element, *path: str) -> Iterator[Element]:
    """The elements at `path` below root (`languages`, `language`)."""
    current = [root]
    for tag in path:
        current = [c for e in current for c in e.children if c.tag == tag]
    yield from current
