"""The application's own errors: services raise them, the API and the pages map them once."""

from django.core.exceptions import ValidationError


class AppError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class NotFound(AppError):
    """Missing and not-yours are the same answer, so existence never leaks across tenants."""

    status = 404
    code = "not_found"

    def __init__(self, message: str = "Not found.", **kwargs: str | None) -> None:
        super().__init__(message, **kwargs)


class Forbidden(AppError):
    status = 403
    code = "forbidden"


class Conflict(AppError):
    status = 409
    code = "conflict"


class Gone(AppError):
    """The row is there but what it names is not, and will not come back by retrying."""

    status = 410
    code = "gone"


class TooManyRequests(AppError):
    """Answered with Retry-After: the whole seconds until the next try can succeed."""

    status = 429
    code = "too_many_requests"

    def __init__(self, message: str, *, retry_after: int, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.retry_after = max(1, retry_after)


class PreconditionFailed(AppError):
    status = 412
    code = "stale_version"

    def __init__(
        self, message: str = "The object changed since you read it; reload and retry."
    ) -> None:
        super().__init__(message)


def field_error(field: str, message: str, code: str = "invalid") -> ValidationError:
    """A ValidationError for one field, understood by both forms and the API."""
    return ValidationError({field: ValidationError(message, code=code)})
