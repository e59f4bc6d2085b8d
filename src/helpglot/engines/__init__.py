"""Compatibility: the old import path of the engine interface.

Engines live in :mod:`helpglot.drafting.engines`; third-party engines written against
``helpglot.engines.base`` (before the package was grouped by stage) keep importing.
"""
