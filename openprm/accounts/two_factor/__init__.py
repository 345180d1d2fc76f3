"""Two-factor sign-in: a time-based code (TOTP) from an authenticator app after the password,
recovery codes for a lost phone, an optional "remember this device", and the organization's
requirement to enrol. Devices and codes are django-otp's; the rules are here."""
