"""Compatibility: the old import path of the check interface.

Checks live in :mod:`helpglot.qa.checks`; third-party checks written against
``helpglot.checks.base`` (before the package was grouped by stage) keep importing.
"""
