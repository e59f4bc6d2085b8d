"""Compatibility: ``helpglot.checks.base`` is :mod:`helpglot.qa.checks.base`."""

from helpglot.qa.checks.base import *  # noqa: F403
from helpglot.qa.checks.base import ERROR, WARNING, Check, Finding, Pair  # noqa: F401
