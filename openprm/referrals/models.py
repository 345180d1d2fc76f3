"""Co-sell referrals and solution assessment deals (SPEC D1 to D10).

A referral IS a row of crm's opportunities table (kind co_sell or solution_assessment, for the
partner that works it); `Referral` holds what only a referral has, one-to-one. Its name and
estimated value live on the opportunity, so goals and dashboards read them without this app.
Every move of its lifecycle is a `ReferralTransition` row; the stage table, the solution types
and the response time are program data the program admin edits in Program settings.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from openprm.accounts.roles import Role
from openprm.accounts.scoping import OrganizationScopedManager, OrganizationScopedQuerySet
from openprm.core.models import TimestampedModel, VersionedModel
from openprm.crm.models import external_ids_once


class ReferralProgram(models.Model):
    """The program's referral configuration: one row (pk 1), edited in Program settings."""

    response_days = models.PositiveIntegerField(
        _("days to answer a received referral"),
        default=14,
        help_text=_("A received referral not accepted or declined in this time expires."),
    )
    fast_win_hours = models.PositiveIntegerField(
        _("fast win (hours)"),
        default=72,
        help_text=_("A deal won sooner than this after its creation is flagged to the reviewer."),
    )

    class Meta:
        verbose_name = _("referral program")
        verbose_name_plural = _("referral program")

    def __str__(self) -> str:
        return str(_("Referral program"))

    @classmethod
    def current(cls) -> "ReferralProgram":
        program, _created = cls.objects.get_or_create(pk=1)
        return program


class SolutionType(models.Model):
    """A solution assessment type (D2 step 5); only eligible types can be registered (D10)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    registration_eligible = models.BooleanField(_("registration eligible"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AssessmentVetting(TimestampedModel):
    """The vendor vetted this partner for solution assessments (D1): only they create them."""

    organization = models.OneToOneField(
        "accounts.Organization",
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="assessment_vetting",
    )
    vetted_on = models.DateField(_("vetted on"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("solution assessment vetting")

    def __str__(self) -> str:
        return str(self.organization)


class SalesStage(models.Model):
    """The standard sales stages with their fixed percentages (D6), loaded by a migration."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    percentage = models.PositiveSmallIntegerField(_("percentage"))
    position = models.PositiveSmallIntegerField(_("position"), unique=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.label} ({self.percentage} %)"

    @property
    def label(self) -> str:
        """The stage's name in the user's language when it is one of the standard stages."""
        return str(STAGE_LABELS.get(self.code, self.name))


STAGE_LABELS = {
    "created": pgettext_lazy("sales stage", "Created"),
    "accepted": _("Accepted"),
    "secure_loe": _("Secure customer LOE"),
    "gather_data": _("Gather data"),
    "prepare_report": _("Prepare assessment report"),
    "present": _("Present to customer"),
    "won": _("Won"),
}

# The stages the lifecycle itself marks: on creation or acceptance, and by closing as won.
CREATED = "created"
ACCEPTED = "accepted"
WON = "won"
AUTOMATIC_STAGES = frozenset({CREATED, ACCEPTED, WON})


class Direction(models.TextChoices):
    INBOUND = "inbound", _("Inbound")
    OUTBOUND = "outbound", _("Outbound")


class Status(models.TextChoices):
    NEW = "new", _("New")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class Substatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")


STATUS_OF = {
    Substatus.PENDING: Status.NEW,
    Substatus.RECEIVED: Status.NEW,
    Substatus.ACCEPTED: Status.ACTIVE,
    Substatus.WON: Status.CLOSED,
    Substatus.LOST: Status.CLOSED,
    Substatus.DECLINED: Status.CLOSED,
    Substatus.EXPIRED: Status.CLOSED,
}
CLOSED_SUBSTATUSES = frozenset(s for s, status in STATUS_OF.items() if status == Status.CLOSED)


class PurchaseTimeframe(models.TextChoices):
    ONE_MONTH = "1m", _("Within 1 month")
    THREE_MONTHS = "3m", _("1 to 3 months")
    SIX_MONTHS = "6m", _("3 to 6 months")
    TWELVE_MONTHS = "12m", _("6 to 12 months")
    LATER = "later", _("More than 12 months")


class DeclineReason(models.TextChoices):
    NOT_A_FIT = "not_a_fit", _("Not a fit for our solutions")
    NO_CAPACITY = "no_capacity", _("No capacity at the moment")
    OUTSIDE_LOCATION = "outside_location", _("Outside our locations")
    ALREADY_ENGAGED = "already_engaged", _("Already working with this customer")
    CUSTOMER_NOT_INTERESTED = "customer_not_interested", _("Customer not interested")
    OTHER = "other", _("Other")


class LostReason(models.TextChoices):
    PRICE = "price", _("Price")
    COMPETITOR = "competitor", _("Lost to a competitor")
    NO_BUDGET = "no_budget", _("No budget")
    NO_DECISION = "no_decision", _("No decision")
    TIMING = "timing", _("Timing")
    OTHER = "other", _("Other")


# The customer contact's fields an erasure blanks; the consent record (who recorded the consent,
# and when) stays as the fact that it was given.
CONTACT_PERSONAL_FIELDS = ("contact_name", "contact_phone", "contact_email")


def contact_holds_personal_data() -> Q:
    """The referrals (current rows or history copies) an erasure still has to blank."""
    return ~Q(**dict.fromkeys(CONTACT_PERSONAL_FIELDS, ""))


class ReferralQuerySet(OrganizationScopedQuerySet):
    """D3 visibility, the one place it is decided."""

    def for_user(self, user: Any) -> "ReferralQuerySet":
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        organization = user.organization
        if organization is None:
            return self.none()
        if user.is_vendor_staff:
            return self.visible_to_vendor(user)
        countries = user.scope_countries
        if countries is None:
            return self.filter(Q(organization=organization) | Q(sender_organization=organization))
        on_team = Exists(ReferralTeamMember.objects.filter(referral=OuterRef("pk"), user=user))
        in_scope = Q(organization=organization, location__country__in=countries) & (
            Q(substatus=Substatus.RECEIVED) | Q(on_team)
        )
        return self.filter(in_scope | Q(sent_by=user))

    def visible_to_vendor(self, user: Any) -> "ReferralQuerySet":
        if user.role == Role.PROGRAM_ADMIN:
            return self.all()
        if user.role == Role.PDM:
            return self.filter(organization__pdm=user)
        if user.role == Role.SALES_REP:
            return self.filter(sent_by=user)
        if user.role == Role.REVIEWER:
            return self.filter(registration__isnull=False)
        return self.none()


# D9: the referral's CRM ids; the partner's is the wizard's "CRM ID" (D2 step 3).
REFERRAL_EXTERNAL_ID_FIELDS = ("vendor_crm_id", "crm_id")


class Referral(VersionedModel):
    """What a referral has beyond its opportunity row (name and estimated value live there)."""

    opportunity = models.OneToOneField(
        "crm.Opportunity", on_delete=models.CASCADE, related_name="referral"
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="referrals",
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    substatus = models.CharField(
        _("status"), max_length=10, choices=Substatus.choices, db_index=True
    )
    stage = models.ForeignKey(
        SalesStage,
        verbose_name=_("sales stage"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sender_organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("sent by organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sent_referrals",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    location = models.ForeignKey(
        "accounts.Location", verbose_name=_("location"), on_delete=models.PROTECT, related_name="+"
    )
    solution_type = models.ForeignKey(
        SolutionType,
        verbose_name=_("solution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assessment_location = models.ForeignKey(
        "accounts.Location",
        verbose_name=_("assessment location"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contact_name = models.CharField(_("contact name"), max_length=150, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    specialist_memo = models.TextField(_("memo for the solution assessment specialist"), blank=True)
    vendor_help_requested = models.BooleanField(_("request vendor sales help"), default=False)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consent recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    consent_recorded_at = models.DateTimeField(_("consent recorded at"), null=True, blank=True)
    contact_erased_at = models.DateTimeField(
        _("contact's personal data erased"), null=True, blank=True
    )
    estimated_close_date = models.DateField(_("estimated close date"), null=True, blank=True)
    purchase_timeframe = models.CharField(
        _("purchase timeframe"), max_length=10, choices=PurchaseTimeframe.choices, blank=True
    )
    crm_id = models.CharField(_("CRM ID"), max_length=100, blank=True)  # the partner's (D2)
    vendor_crm_id = models.CharField(_("Vendor CRM ID"), max_length=100, blank=True)
    campaign_id = models.CharField(
        _("marketing campaign ID"), max_length=100, blank=True, db_index=True
    )
    notes = models.TextField(_("notes"), blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    decline_reason = models.CharField(
        _("decline reason"), max_length=30, choices=DeclineReason.choices, blank=True
    )
    decline_message = models.TextField(_("decline message"), blank=True)
    lost_reason = models.CharField(
        _("lost reason"), max_length=20, choices=LostReason.choices, blank=True
    )
    close_note = models.TextField(_("closing note"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "substatus"], name="referral_partner_status"),
            models.Index(fields=["substatus", "expires_at"], name="referral_due"),
            # The program's referral list, newest first, reads the first page off this index.
            models.Index(fields=["-created_at", "-id"], name="referral_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(substatus="received") | Q(expires_at__isnull=False),
                name="referral_received_expires",
            ),
            *external_ids_once("referral", REFERRAL_EXTERNAL_ID_FIELDS),
        ]

    def __str__(self) -> str:
        return self.opportunity.name

    @property
    def status(self) -> str:
        return STATUS_OF[Substatus(self.substatus)]

    @property
    def is_closed(self) -> bool:
        return self.substatus in CLOSED_SUBSTATUSES

    @property
    def is_solution_assessment(self) -> bool:
        return self.opportunity.kind == "solution_assessment"

    @property
    def has_consent(self) -> bool:
        return self.consent_recorded_at is not None

    @property
    def is_registrable(self) -> bool:
        """Registration eligibility is a property of the solution type (D10)."""
        return bool(self.solution_type and self.solution_type.registration_eligible)


class ReferralTransition(models.Model):
    """Every move of a referral, as a row: who, when, from what to what, and why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=20)
    from_substatus = models.CharField(max_length=10, blank=True)
    to_substatus = models.CharField(max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_substatus} -> {self.to_substatus}"


class ReferralStageMark(models.Model):
    """A stage marked complete on a referral; marking one marks every stage below it."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="stage_marks")
    stage = models.ForeignKey(SalesStage, on_delete=models.PROTECT, related_name="+")
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["stage__position"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "stage"], name="stage_marked_once")
        ]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.stage_id}"


# What a team member is given as, on every page and in the API.
TEAM_FIELDS = ("first_name", "last_name", "phone", "email")


class ReferralTeamMember(TimestampedModel):
    """Someone working the deal (D2 step 4), linked to a user of the partner by email."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="team_members")
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The deal's owner: one per team, never removed until another is named.
    is_owner = models.BooleanField(_("owner"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "email"], name="team_member_once"),
            models.UniqueConstraint(
                fields=["referral"], condition=Q(is_owner=True), name="team_one_owner"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class ReferralRegistration(TimestampedModel):
    """What the partner entered to register a won referral (D8); the review itself is the
    deals app's `Registration` (kind won_referral), in the one registrations queue."""

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="registration")
    registration = models.OneToOneField(
        "deals.Registration", on_delete=models.CASCADE, related_name="referral_details"
    )
    won_value_minor = models.BigIntegerField(_("won value"))
    currency = models.ForeignKey("crm.Currency", on_delete=models.PROTECT, related_name="+")
    closed_on = models.DateField(_("close date"))
    account_ids = models.CharField(_("vendor account or subscription ids"), max_length=500)
    proof = models.FileField(_("proof"), upload_to="referral-proofs/%Y/%m/")
    proof_name = models.CharField(max_length=200)
    proof_content_type = models.CharField(max_length=100)
    fast_win = models.BooleanField(
        _("won less than 72 hours after creation"),
        default=False,
        help_text=_("Flagged to the reviewer."),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(won_value_minor__gt=0), name="referral_registration_value_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.registration_id}"


class PartnerCrmStage(TimestampedModel):
    """A partner's own CRM stage name with its percentage (D9), mapped onto the standard ones."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="crm_stages"
    )
    name = models.CharField(_("stage name"), max_length=80)
    percentage = models.PositiveSmallIntegerField(_("percentage"))

    objects = OrganizationScopedManager()

    class Meta:
        ordering = ["organization", "percentage", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="crm_stage_name_once"),
            models.CheckConstraint(
                condition=Q(percentage__lte=100), name="crm_stage_percentage_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.percentage} %)"
