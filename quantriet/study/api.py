"""API of the study cascade: plans, conferences, check-in codes and check-in."""

from ninja import Router

router = Router(tags=["study"])
