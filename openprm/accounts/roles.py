"""The roles of SPEC.md "Who uses it", on each side of the program."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    VENDOR = "vendor", _("Vendor")
    PARTNER = "partner", _("Partner")


class Role(models.TextChoices):
    PROGRAM_ADMIN = "program_admin", _("Program admin")
    PDM = "pdm", _("Partner development manager")
    SALES_REP = "sales_rep", _("Sales rep")
    REVIEWER = "reviewer", _("Registration reviewer")
    PARTNER_ADMIN = "partner_admin", _("Partner admin")
    PARTNER_USER = "partner_user", _("Partner user")


VENDOR_ROLES = frozenset({Role.PROGRAM_ADMIN, Role.PDM, Role.SALES_REP, Role.REVIEWER})
PARTNER_ROLES = frozenset({Role.PARTNER_ADMIN, Role.PARTNER_USER})

ROLES_BY_KIND = {OrganizationKind.VENDOR: VENDOR_ROLES, OrganizationKind.PARTNER: PARTNER_ROLES}
