"""Domain errors, mapped to HTTP in one place at the edge (service/errors.py).

::

    CivicWeaveError
     ├── NotFoundError            unknown id or slug                       -> 404
     ├── InvalidInputError        a field breaks a rule; says which, and   -> 422
     │                            what is allowed
     └── ConflictError            the change clashes with the record       -> 409
          ├── AlreadyExistsError  a natural key is taken
          ├── StaleVersionError   the aggregate moved on since it was read
          └── InvalidStateError   the change is not allowed in this state
"""

from __future__ import annotations

from uuid import UUID


class CivicWeaveError(Exception):
    """Base of every error the domain raises on purpose."""


class NotFoundError(CivicWeaveError):
    def __init__(self, what: str, key: UUID | str) -> None:
        self.what = what
        self.key = str(key)
        super().__init__(f"{what} {key} not found")


class InvalidInputError(CivicWeaveError):
    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class ConflictError(CivicWeaveError):
    """The change clashes with what the record already says."""


class AlreadyExistsError(ConflictError):
    pass


class StaleVersionError(ConflictError):
    def __init__(self, what: str, key: UUID, expected: int, actual: int) -> None:
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"{what} {key} is at version {actual}, not {expected}: "
            "it was changed since you read it; reload and try again"
        )


class InvalidStateError(ConflictError):
    pass
