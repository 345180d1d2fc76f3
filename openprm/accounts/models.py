"""Organizations, their locations, users and memberships, invitations and API tokens."""

import hashlib
import secrets
from functools import cached_property
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from openprm.accounts.roles import PARTNER_ROLES, VENDOR_ROLES, OrganizationKind, Role
from openprm.core.models import TimestampedModel, VersionedModel
from openprm.core.search import fold


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def partners(self) -> "OrganizationQuerySet":
        return self.filter(kind=OrganizationKind.PARTNER)

    def for_user(self, user: Any) -> "OrganizationQuerySet":
        """Partners see themselves; vendor staff see the partners their role covers."""
        if not user.is_authenticated or user.organization is None:
            return self.none()
        if user.is_vendor_staff:
            if user.role == Role.PDM:
                return self.filter(Q(pdm=user) | Q(pk=user.organization.pk))
            return self.all()
        return self.filter(pk=user.organization.pk)


class Organization(VersionedModel):
    name = models.CharField(_("name"), max_length=200)
    search_name = models.CharField(max_length=200, editable=False, db_index=True)
    slug = models.SlugField(unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    country = CountryField(_("country"), blank=True)
    market = CountryField(
        _("market"), blank=True, help_text=_("The customer country the partner mainly sells in.")
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    website = models.URLField(_("website"), blank=True)
    pdm = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("partner development manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_partners",
    )
    pdm_description = models.TextField(_("PDM introduction"), blank=True)
    tier = models.CharField(
        _("credited tier"),
        max_length=50,
        blank=True,
        editable=False,
        help_text=_("Set by the scheduled tier evaluation, which records every change."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=Q(kind="vendor"), name="one_vendor_organization"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    @property
    def is_vendor(self) -> bool:
        return self.kind == OrganizationKind.VENDOR


class Location(TimestampedModel):
    """A partner's office in a country: referrals and user scopes are by location country."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="locations"
    )
    name = models.CharField(_("name"), max_length=120)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=120, blank=True)
    code = models.CharField(
        _("location ID"),
        max_length=40,
        blank=True,
        help_text=_("The vendor's own id for this location, unique in the program."),
    )

    class Meta:
        ordering = ["organization", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="location_name_unique"),
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="location_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("Django admin access"), default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    language = models.CharField(_("language"), max_length=10, blank=True)
    timezone = models.CharField(_("timezone"), max_length=64, default="UTC")
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.strip().lower()
        # Set by set_password only, by whatever path: the settings page, a reset, the admin,
        # `manage changepassword` (a hash upgrade at sign-in leaves it unset).
        password_changed = getattr(self, "_password", None) is not None
        super().save(*args, **kwargs)
        if password_changed:
            self.after_password_change()

    def after_password_change(self) -> None:
        """A new password ends what the old one allowed: every API token issued under it, and
        the sign-in wait of whoever was guessing it."""
        now = timezone.now()
        self.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=now, updated_at=now)
        SignInFailures.objects.filter(email=self.email).delete()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @cached_property
    def membership(self) -> "Membership | None":
        try:
            return Membership.objects.select_related("organization").get(user=self)
        except Membership.DoesNotExist:
            return None

    @property
    def organization(self) -> Organization | None:
        return self.membership.organization if self.membership else None

    @property
    def role(self) -> str | None:
        return self.membership.role if self.membership else None

    @property
    def is_vendor_staff(self) -> bool:
        return self.role in VENDOR_ROLES

    @property
    def is_program_admin(self) -> bool:
        return self.role == Role.PROGRAM_ADMIN

    @property
    def is_partner(self) -> bool:
        return self.role in PARTNER_ROLES

    @property
    def is_partner_admin(self) -> bool:
        return self.role == Role.PARTNER_ADMIN

    @property
    def scope_countries(self) -> list[str] | None:
        """The countries a partner user works in; None means every location (global scope)."""
        membership = self.membership
        if membership is None or membership.role != Role.PARTNER_USER or membership.global_scope:
            return None
        return list(membership.countries)


class Membership(VersionedModel):
    """A user's place in one organization; versioned because admins edit role and scope."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    global_scope = models.BooleanField(_("global scope"), default=True)
    countries = models.JSONField(_("location scope"), default=list, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class Invitation(TimestampedModel):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email"))
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    global_scope = models.BooleanField(_("global scope"), default=True)
    countries = models.JSONField(_("location scope"), default=list, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_email",
            )
        ]

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(TimestampedModel):
    """A personal bearer token; only its hash is kept, the secret is shown once."""

    PREFIX = "oprm_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_prefix = models.CharField(max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @classmethod
    def new_secret(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)


class SignInFailures(models.Model):
    """Failed passwords for one attempted email, from any address; unknown emails get a row
    too, so they wait exactly like known ones (see openprm.accounts.lockout)."""

    email = models.CharField(max_length=254, unique=True)
    count = models.PositiveIntegerField(default=0)
    last_failed_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.email}: {self.count}"


# Registered with the accounts app; the module lives with the rest of two-factor sign-in.
from openprm.accounts.two_factor.models import TwoFactorRequirement  # noqa: E402, F401
