"""Decree 30/2020/NĐ-CP as data and small pure functions.

Every rule of the decree that vanthu uses is defined once here; templates, the renderer
and the checker import it. Nothing in this package touches XML.
"""
