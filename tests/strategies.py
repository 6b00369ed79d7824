"""Kept for imports written before the strategies became public: use :mod:`aidrules.testing`."""

from aidrules.testing import *  # noqa: F403
from aidrules.testing import __all__  # noqa: F401
