"""The answer to a write, encoded by the route itself.

A route that returns a plain value has FastAPI validate it against the route's
``response_model`` and serialize it: for a ``def`` route, the validation is a second
hop to a worker thread after the route's own, and together with the serializing it
cost a write more than its use case. The answer to a write is four plain values, so
the route encodes it here and FastAPI sends it as it is; the ``response_model`` stays
on the route for the OpenAPI document (``tests/service/test_api_writes.py`` checks
that the two agree).
"""

from __future__ import annotations

import orjson
from fastapi import Response, status

from domain.usecases.core import Receipt
from service.runtime import Runtime


def written(runtime: Runtime, receipt: Receipt, *, created: bool = False, **extra: object) -> Response:
    """The receipt of a write, once the views include it (``Runtime.written``), with the
    new version as ``ETag``; ``created``: 201 rather than 200; ``extra``: more fields."""
    body = runtime.written(receipt)
    body.update(extra)
    return Response(
        orjson.dumps(body),
        status_code=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        media_type="application/json",
        headers={"ETag": f'"{receipt.version}"'},
    )
