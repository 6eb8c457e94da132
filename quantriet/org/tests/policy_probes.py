"""Probes of the org app's actions for the permission matrix driven by the policy
(quantriet/tests/test_policy_matrix.py): restructuring the tree (`org.restructure`, on the unit
a page changes), keeping the roster and positions (`roster.manage`, on the member's cell or the
unit; on both units of a transfer request; on some unit for the list of requests) and uploading
a roster (`roster.import`, on some unit: the form offers the units where it is held).

Pages that only need scope (the tree, a unit, a member, the export, the API) are covered by
test_permissions.py; so are the roster jobs, which are their uploader's alone.
"""

from django.urls import reverse

from quantriet.org.models import Member, Organization, Position, TransferRequest
from quantriet.tests.policy import Probe


def _seen(model, obj):
    """Whether OBJ is in a user's scope (MODEL's gate)."""
    return lambda user: model.objects.visible_to(user).filter(pk=obj.pk).exists()


def _anyone(user):
    """A page about no one object: whoever lacks the right on every unit gets the action's 403."""
    return True


def probes(users) -> list[Probe]:
    commune1, cell = users["xa1.bithu"].grants.get().org, users["dangvien1"].member.cell
    commune2 = users["xa2.bithu"].grants.get().org
    member, other = users["dangvien1"].member, Member.objects.in_subtree(commune2).order_by("id").first()
    position = Position.objects.filter(org=cell).first()
    request = TransferRequest.objects.create(member=other, number="x", to_cell=cell, requested_by=users["xa1.bithu"])

    def restructure(name, org):
        return Probe("org.restructure", reverse(f"org:{name}", args=[org.pk]), org, _seen(Organization, org))

    def manage(name, obj, org, model, **kwargs):
        return Probe("roster.manage", reverse(f"org:{name}", args=[obj.pk]), org, _seen(model, obj), **kwargs)

    def position_seen(user):
        return Organization.objects.visible_to(user).filter(pk=position.org_id).exists()

    return [
        *(restructure(name, commune1) for name in ["org_create", "org_edit", "org_move", "org_merge"]),
        restructure("org_edit", cell),
        restructure("org_create", commune2),
        manage("member_create", cell, cell, Organization),
        manage("position_assign", commune1, commune1, Organization),
        manage("member_edit", member, cell, Member),
        manage("member_transfer", member, cell, Member),
        manage("member_edit", other, other.cell, Member),
        Probe(
            "roster.manage",
            reverse("org:position_end", args=[position.pk]),
            cell,
            position_seen,
            "post",
            {"end": ""},  # refused by the form after the check: the position stays
            ok=302,
        ),
        # Checked on both units; no persona holds the right on one of them only.
        manage("transfer_request_decide", request, other.cell, TransferRequest, method="post", data={}, ok=302),
        Probe("roster.manage", reverse("org:transfer_requests"), None, _anyone, anywhere=True),
        Probe("roster.import", reverse("org:roster_import"), None, _anyone, anywhere=True),
    ]
