"""The renderers shipped with qengine.

Each module here is a plugin like any third party's: it is found through the
`qengine.renderers` entry point group declared in qengine's pyproject.toml, never
imported by name from qengine itself.
"""
