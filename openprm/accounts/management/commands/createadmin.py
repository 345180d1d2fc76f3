"""Create the vendor organization (when missing) and a program admin who can sign in."""

import getpass
import os
import sys
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import slugify

from openprm.accounts.models import Membership, Organization, User
from openprm.accounts.roles import OrganizationKind, Role
from openprm.core.events import record_event


class Command(BaseCommand):
    help = (
        "Create a program admin (and the vendor organization if there is none). Values come from "
        "the options, else OPENPRM_ADMIN_EMAIL / OPENPRM_ADMIN_NAME / OPENPRM_ADMIN_PASSWORD / "
        "OPENPRM_VENDOR_NAME, else are asked for on a terminal."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", help="the admin's email (sign-in name)")
        parser.add_argument("--name", help="the admin's full name")
        parser.add_argument("--password", help="prefer OPENPRM_ADMIN_PASSWORD: not in history")
        parser.add_argument("--vendor", help="the vendor organization's name, when it is created")
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="never prompt"
        )

    def value(self, options: dict, option: str, variable: str, prompt: str,
              secret: bool = False) -> str:  # fmt: skip
        found = options.get(option) or os.environ.get(variable, "")
        if found:
            return found.strip() if not secret else found
        if not options["interactive"] or not sys.stdin.isatty():
            raise CommandError(f"Give --{option} or set {variable}.")
        return getpass.getpass(prompt) if secret else input(prompt).strip()

    def handle(self, *args: Any, **options: Any) -> None:
        email = self.value(options, "email", "OPENPRM_ADMIN_EMAIL", "Email: ").lower()
        try:
            validate_email(email)
        except ValidationError as exc:
            raise CommandError(f"{email!r} is not an email address.") from exc
        if User.objects.filter(email=email).exists():
            raise CommandError(f"A user with the email {email} already exists.")
        name = self.value(options, "name", "OPENPRM_ADMIN_NAME", "Full name: ")
        password = self.value(
            options, "password", "OPENPRM_ADMIN_PASSWORD", "Password: ", secret=True
        )
        candidate = User(email=email, full_name=name)
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        vendor_name = options.get("vendor") or os.environ.get("OPENPRM_VENDOR_NAME", "")
        user = self.create(email=email, name=name, password=password, vendor_name=vendor_name)
        self.stdout.write(f"Program admin {user.email} of {user.organization} created.")

    @transaction.atomic
    def create(self, *, email: str, name: str, password: str, vendor_name: str) -> User:
        vendor = Organization.objects.filter(kind=OrganizationKind.VENDOR).first()
        if vendor is None:
            vendor_name = vendor_name or "OpenPRM vendor"
            vendor = Organization(
                name=vendor_name, slug=slugify(vendor_name) or "vendor",
                kind=OrganizationKind.VENDOR,
            )  # fmt: skip
            vendor.full_clean()
            vendor.save()
            record_event(kind="organization.created", obj=vendor, organization=vendor)
        user = User(email=email, full_name=name, is_staff=True, is_superuser=True)
        user.set_password(password)
        user.full_clean()
        user.save()
        membership = Membership(user=user, organization=vendor, role=Role.PROGRAM_ADMIN)
        membership.full_clean()
        membership.save()
        record_event(
            kind="user.created", obj=user, organization=vendor, data={"role": "program_admin"}
        )
        return user
