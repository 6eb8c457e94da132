"""API of action programmes and commitments: the programmes of a plan's tree with their concreteness."""

from ninja import Router

from quantriet.core.api import TAGS

router = Router(tags=[TAGS["plans"]])

from . import api_commitments  # noqa: E402, F401 (its operations join this router)
