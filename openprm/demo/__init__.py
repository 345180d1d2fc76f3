"""The demo program behind `openprm demo`: a vendor, its partners and two years of history.

`generator.load()` is the entry point; `catalog` holds the fixed cast and the world it lives in.
"""
