"""Shared deals and registrations.

A shared deal IS a row of crm's opportunities table (kind shared_deal); `Deal` holds what only
a shared deal has, one-to-one. `Registration` is one model for both kinds of registration (the
lead registration of a shared deal, and the won-referral registration of the referrals app),
reviewed in one vendor queue; every move of its lifecycle is a `RegistrationTransition` row.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from openprm.accounts.roles import Role
from openprm.accounts.scoping import OrganizationScopedQuerySet
from openprm.core.models import TimestampedModel, VersionedModel
from openprm.crm.models import OpportunityState, external_ids_once


class Side(models.TextChoices):
    PARTNER = "partner", _("Partner")
    VENDOR = "vendor", _("Vendor")


def side_of(user: Any) -> str:
    return Side.VENDOR if getattr(user, "is_vendor_staff", False) else Side.PARTNER


class DealProgram(models.Model):
    """The program's shared-deal configuration: one row (pk 1), edited in Program settings."""

    exclusivity_days = models.PositiveIntegerField(
        _("exclusivity period (days)"),
        default=90,
        help_text=_("An unconverted registration expires after this and frees the customer."),
    )
    fallback_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("fallback owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Gets the deals that no assignment rule matches."),
    )

    class Meta:
        verbose_name = _("shared deal program")
        verbose_name_plural = _("shared deal program")

    def __str__(self) -> str:
        return str(_("Shared deal program"))

    @classmethod
    def current(cls) -> "DealProgram":
        program, _created = cls.objects.get_or_create(pk=1)
        return program


class PipelineStage(models.Model):
    """A stage of the shared-deal pipeline (C10); its outcome says what it means for the deal."""

    name = models.CharField(_("name"), max_length=80)
    position = models.PositiveIntegerField(_("position"), default=0)
    outcome = models.CharField(
        _("outcome"),
        max_length=10,
        choices=OpportunityState.choices,
        default=OpportunityState.OPEN,
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class AssignmentRule(models.Model):
    """Ordered: the first rule whose country and product match takes the deal (C2)."""

    position = models.PositiveIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=120)
    country = CountryField(_("customer country"), blank=True)
    product = models.ForeignKey(
        "crm.Product",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    reps = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("sales reps"), related_name="+"
    )
    next_index = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class PartnerLeadRecipient(models.Model):
    """Who of a partner gets its lead notifications (C8); none chosen means its admins."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="lead_recipient_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.organization_id}"


class DealQuerySet(OrganizationScopedQuerySet):
    def visible_to_vendor(self, user: Any) -> "DealQuerySet":
        """Reviewers and the program admin see every deal, a PDM their partners', a rep theirs."""
        if user.role in (Role.PROGRAM_ADMIN, Role.REVIEWER):
            return self.all()
        if user.role == Role.PDM:
            return self.filter(organization__pdm=user)
        return self.filter(assigned_rep=user)

    def worked_by(self, user: Any) -> "DealQuerySet":
        """The deals a user may change (C5, C6): the partner's people its own; on the vendor side
        the sales rep it is assigned to, and the program admin. A reviewer decides registrations
        and a PDM coaches the partner: both only read the deal."""
        visible = self.for_user(user)
        if not getattr(user, "is_vendor_staff", False) or user.role == Role.PROGRAM_ADMIN:
            return visible
        return visible.filter(assigned_rep=user)


class Deal(VersionedModel):
    """What a shared deal has beyond its opportunity row."""

    opportunity = models.OneToOneField(
        "crm.Opportunity", on_delete=models.CASCADE, related_name="shared_deal"
    )
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    contact = models.ForeignKey(
        "crm.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    close_date = models.DateField(_("close date"))
    introduction_note = models.TextField(_("Introduction note"), blank=True)
    pain = models.TextField(_("Specific pain/opportunity defined"), blank=True)
    next_steps = models.TextField(_("Next steps"), blank=True)
    stage = models.ForeignKey(
        PipelineStage, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sales rep"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    compensation_eligible = models.BooleanField(
        _("partner compensation eligibility"), default=False
    )
    partner_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("partner owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    vendor_crm_id = models.CharField(_("Vendor CRM ID"), max_length=100, blank=True)
    partner_crm_id = models.CharField(_("Partner CRM ID"), max_length=100, blank=True)
    history = HistoricalRecords()

    objects = DealQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = external_ids_once("deal")
        # The program's deal list, newest first, reads the first page off this index.
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="deal_newest"),
            # The sweep's commission statements look only at deals saved since their last run.
            models.Index(fields=["updated_at"], name="deal_changed"),
        ]

    def __str__(self) -> str:
        return self.opportunity.name


class RegistrationKind(models.TextChoices):
    LEAD = "lead", _("Lead registration")
    WON_REFERRAL = "won_referral", _("Won referral registration")


class RegistrationState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW_CONFLICT = "in_review_conflict", _("In review (conflict)")
    MORE_INFO_REQUESTED = "more_info_requested", _("More information requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired")


# Waiting for a reviewer: a decision on the registration, or on its extension request.
PENDING_STATES = (RegistrationState.SUBMITTED, RegistrationState.IN_REVIEW_CONFLICT)
PENDING = Q(state__in=PENDING_STATES) | Q(extension_requested_at__isnull=False)


class RegistrationQuerySet(OrganizationScopedQuerySet):
    def visible_to_vendor(self, user: Any) -> "RegistrationQuerySet":
        if user.role in (Role.PROGRAM_ADMIN, Role.REVIEWER):
            return self.all()
        if user.role == Role.PDM:
            return self.filter(organization__pdm=user)
        return self.filter(opportunity__shared_deal__assigned_rep=user)


# Holders not warned of the registration's current expiry yet: an extension or a shorter period
# moves `expires_at` off the one they were warned of.
EXPIRY_UNWARNED = (
    Q(expiry_warned_for__isnull=True)
    | Q(expiry_warned_for__lt=F("expires_at"))
    | Q(expiry_warned_for__gt=F("expires_at"))
)


class Registration(VersionedModel):
    """A partner's claim on a customer and products for the exclusivity period."""

    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RegistrationKind.choices)
    opportunity = models.ForeignKey(
        "crm.Opportunity", on_delete=models.CASCADE, related_name="registrations"
    )
    customer = models.ForeignKey("crm.Customer", on_delete=models.PROTECT, related_name="+")
    products = models.ManyToManyField("crm.Product", blank=True, related_name="+")
    state = models.CharField(
        _("state"),
        max_length=30,
        choices=RegistrationState.choices,
        default=RegistrationState.SUBMITTED,
    )
    exclusive = models.BooleanField(_("exclusive"), default=True)
    expires_at = models.DateTimeField(_("expires"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    info_request = models.TextField(_("information requested"), blank=True)
    partner_answer = models.TextField(_("answer"), blank=True)
    extension_requested_at = models.DateTimeField(_("extension requested"), null=True, blank=True)
    extension_reason = models.TextField(_("why an extension"), blank=True)
    # The `expires_at` its holders were last warned about: the sweep warns once per period.
    expiry_warned_for = models.DateTimeField(null=True, blank=True, editable=False)
    # PENDING as a column the database keeps, so the queue's query names the partial index's
    # condition itself ("WHERE awaiting_review"): SQLite uses a partial index only when the
    # query holds its condition word for word, never a condition with bound parameters.
    awaiting_review = models.GeneratedField(
        expression=Case(When(PENDING, then=Value(True)), default=Value(False)),
        output_field=models.BooleanField(),
        db_persist=True,
    )
    history = HistoricalRecords(excluded_fields=["awaiting_review"])

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "expires_at"], name="registration_due"),
            # The sweep's expiry looks only at registrations saved since its last run.
            models.Index(fields=["updated_at"], name="registration_changed"),
            # The sweep's warnings read the unwarned ones only, not every one expiring soon.
            models.Index(
                fields=["state", "expires_at"],
                condition=EXPIRY_UNWARNED,
                name="registration_unwarned",
            ),
            # The vendor's registrations queue, newest first.
            models.Index(fields=["-created_at", "-id"], name="registration_newest"),
            # The queue's pending registrations by submission, either way round.
            models.Index(
                fields=["created_at", "id"],
                condition=Q(awaiting_review=True),
                name="registration_pending",
            ),
            # The queue filtered by one decided state (approved, rejected…), by submission.
            models.Index(fields=["state", "created_at", "id"], name="registration_state_submitted"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.opportunity_id}"


class RegistrationTransition(models.Model):
    """Every move of a registration, as a row: who, when, from what to what, and why."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="transitions"
    )
    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state} -> {self.to_state}"


class DealNote(TimestampedModel):
    """A shared message (both sides) or a private note (only the author's side)."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="notes")
    side = models.CharField(max_length=10, choices=Side.choices)
    shared = models.BooleanField(default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("note"))

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["deal", "shared", "side"], name="deal_note_visible")]

    def __str__(self) -> str:
        return self.body[:60]


def visible_notes_filter(side: str) -> Q:
    """The one rule of C6: shared notes for both sides, private ones for their own side."""
    return Q(shared=True) | Q(side=side)


class NoteComment(TimestampedModel):
    note = models.ForeignKey(DealNote, on_delete=models.CASCADE, related_name="comments")
    side = models.CharField(max_length=10, choices=Side.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("comment"))

    class Meta:
        ordering = ["created_at", "id"]


class NoteAttachment(TimestampedModel):
    note = models.ForeignKey(DealNote, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="deal-attachments/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class DealViewQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> "DealViewQuerySet":
        """A saved view is its owner's alone: anyone else's is missing."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(user=user)


class DealView(TimestampedModel):
    """C7: a saved deal view: a name and the deal list's filters, for the person who saved it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deal_views"
    )
    name = models.CharField(_("view name"), max_length=80)
    state = models.CharField(
        _("state"), max_length=10, choices=OpportunityState.choices, blank=True
    )
    min_active_registrations = models.PositiveIntegerField(
        _("Number of active deal registrations (at least)"), null=True, blank=True
    )

    objects = DealViewQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="deal_view_name_once")]

    def __str__(self) -> str:
        return self.name
