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
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any, TypeVar
from uuid import UUID, uuid4

from eventsourcing.utils import get_topic

from domain.base import CivicAggregate

A = TypeVar("A", bound=CivicAggregate)


@cache
def _initialiser(cls: type[CivicAggregate]) -> tuple[Callable[..., None], bool]:
    """The function the class's ``@event`` decorates as ``__init__``, and whether it takes
    the aggregate's ``id`` (which ``mutate`` then gives it)."""
    function: Callable[..., None] = cls.__init__  # the decorator returns it from the class
    return function, "id" in inspect.signature(function).parameters


def create(
    cls: type[A], event_class: type[CivicAggregate.Created], *, id: UUID | None = None, **fields: Any
) -> A:
    """A new ``cls`` created by an ``event_class`` event with ``fields``, the event pending.

    ``fields`` are the event's own fields (the event class checks them), which are the
    parameters of the aggregate's ``__init__`` (besides ``id``), as for the class call.
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
    initialise, takes_id = _initialiser(cls)
    if takes_id:
        initialise(aggregate, id=originator_id, **fields)
    else:
        initialise(aggregate, **fields)
    created.apply(aggregate)
    aggregate.pending_events.append(created)
    return aggregate


def random_ids(per_draw: int = 1024) -> Iterator[UUID]:
    """Random (version 4) UUIDs, made as ``uuid4`` makes them, from ``os.urandom``, but
    drawn ``per_draw`` at a time: ``uuid4`` makes a system call for each id (about a
    tenth of building an import's relationships), and gives up the interpreter for it."""
    while True:
        data = os.urandom(16 * per_draw)
        for start in range(0, len(data), 16):
            yield UUID(bytes=data[start : start + 16], version=4)


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
