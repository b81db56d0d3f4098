"""A new aggregate from its created event, built directly for bulk imports; and the
garbage collector paused while a batch is saved.

Calling an aggregate class whose ``__init__`` is decorated with ``@event`` goes through
eventsourcing's generic machinery: the arguments are coerced to keyword arguments, the
event's fields are filtered against the signatures of ``__base_init__`` and ``__init__``
(``filter_kwargs_for_method_params``) each time, and the topic is resolved back to the
class: about two thirds of the cost of building a relationship. ``create`` takes the
same steps as ``Aggregate._create`` and ``CanInitAggregate.mutate`` with what they look
up cached per class, so the event, the aggregate's state and its pending events are
those the class call gives (``tests/domain/test_bulk_create.py``).
"""

from __future__ import annotations

import gc
import inspect
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any, TypeVar
from uuid import UUID, uuid4

from eventsourcing.utils import get_topic

from domain.base import CivicAggregate

A = TypeVar("A", bound=CivicAggregate)


@cache
def _init_parameters(cls: type[CivicAggregate]) -> tuple[str, ...]:
    """The names ``mutate`` passes to the class's own ``__init__`` (the decorated function)."""
    parameters = inspect.signature(cls.__init__).parameters
    return tuple(name for name in parameters if name != "self")


def create(
    cls: type[A], event_class: type[CivicAggregate.Created], *, id: UUID | None = None, **fields: Any
) -> A:
    """A new ``cls`` created by an ``event_class`` event with ``fields``, the event pending.

    ``fields`` are the event's own fields (the event class checks them), which are the
    parameters of the aggregate's ``__init__``, as for the class call.
    """
    originator_id = uuid4() if id is None else id
    created = event_class(
        originator_topic=get_topic(cls),
        originator_id=originator_id,
        originator_version=cls.INITIAL_VERSION,
        timestamp=event_class.create_timestamp(),
        **fields,
    )
    aggregate = cls.__new__(cls)
    aggregate.__base_init__(originator_id, cls.INITIAL_VERSION, created.timestamp)
    state = {**fields, "id": originator_id}
    aggregate.__init__(**{name: state[name] for name in _init_parameters(cls)})  # type: ignore[misc]
    created.apply(aggregate)
    aggregate.pending_events.append(created)
    return aggregate


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused, if it runs, and then running again.

    Saving a batch allocates several objects per event (the JSON, the stored event, the
    notification, the recording), none of them garbage in a cycle; each collection of the
    oldest generation they trigger walks every object of the process, the rows being
    imported too: about 9% of an import of 10,000 stakeholders. Collections resume after
    the batch, as they were.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
