"""A new aggregate from its created event, built directly for bulk imports; and the
garbage collector paused while a batch is saved.

Calling an aggregate class whose ``__init__`` is decorated with ``@event`` goes through
eventsourcing's generic machinery: the arguments are coerced to keyword arguments, the
event's fields are filtered against the signatures of ``__base_init__`` and ``__init__``
(``filter_kwargs_for_method_params``) each time, and the topic is resolved back to the
class: about two thirds of the cost of building a relationship. ``create`` takes the
same steps as ``Aggregate._create`` and ``CanInitAggregate.mutate`` with what they look
up cached per class, and sets the event's fields as its dataclass ``__init__`` would,
so the event, the aggregate's state and its pending events are those the class call
gives (``tests/domain/test_bulk_paths.py``).
"""

from __future__ import annotations

import dataclasses
import gc
import inspect
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any, TypeVar
from uuid import UUID, SafeUUID, uuid4

from eventsourcing.utils import get_topic

from domain.base import CivicAggregate

A = TypeVar("A", bound=CivicAggregate)
E = TypeVar("E", bound=CivicAggregate.Created)


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
    head = {
        "originator_id": originator_id,
        "originator_version": cls.INITIAL_VERSION,
        "timestamp": event_class.create_timestamp(),
        "originator_topic": get_topic(cls),
    }
    created = _event(event_class, head, fields)
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


# The fields an event class's dataclass ``__init__`` sets after the four of ``head``, in
# order, and as a set; None for a class whose ``__init__`` does something else.
_FIELDS: dict[type, tuple[tuple[str, ...], frozenset[str]] | None] = {}


def _event(event_class: type[E], head: dict[str, Any], fields: dict[str, Any]) -> E:
    """``event_class(**head, **fields)``, its attributes set directly in the order its
    dataclass ``__init__`` sets them (which the stored JSON follows), then its
    ``__post_init__``: the frozen dataclass's ``__init__`` sets each through
    ``object.__setattr__``, 2.4 against 0.9 µs for a tie's. Checked against the class
    call for the first event of each class; any call that does not give exactly the
    class's fields goes to the class, which refuses it as it would."""
    known = _FIELDS.get(event_class)
    if known is not None and len(known[0]) == len(fields) and fields.keys() == known[1]:
        state = dict(head)
        for name in known[0]:
            state[name] = fields[name]
        event: E = object.__new__(event_class)
        object.__setattr__(event, "__dict__", state)
        event.__post_init__()
        return event
    event = event_class(**head, **fields)
    if event_class not in _FIELDS:
        _FIELDS[event_class] = _set_directly(event_class, event, tuple(head))
    return event


def _set_directly(
    event_class: type[E], event: E, head: tuple[str, ...]
) -> tuple[tuple[str, ...], frozenset[str]] | None:
    """The fields after ``head``, if ``event``'s attributes are the class's fields in order."""
    names = tuple(field.name for field in dataclasses.fields(event_class))
    if names[: len(head)] != head or tuple(vars(event)) != names:
        return None
    return names[len(head) :], frozenset(names[len(head) :])


#: What ``UUID(..., version=4)`` clears and sets in the number: the variant (RFC 4122)
#: and the version.
_CLEAR = ~((0xC000 << 48) | (0xF000 << 64))
_SET = (0x8000 << 48) | (4 << 76)


def random_ids(per_draw: int = 1024) -> Iterator[UUID]:
    """Random (version 4) UUIDs, made as ``uuid4`` makes them, from ``os.urandom``, but
    drawn ``per_draw`` at a time: ``uuid4`` makes a system call for each id (about a
    tenth of building an import's relationships), and gives up the interpreter for it.
    Each is made from its number as ``UUID.__init__`` would make it, without the checks
    of its arguments that ``__init__`` makes (2.5 against 0.7 µs an id)."""
    new, set_attribute, unknown = object.__new__, object.__setattr__, SafeUUID.unknown
    while True:
        data = os.urandom(16 * per_draw)
        for start in range(0, len(data), 16):
            key = new(UUID)
            set_attribute(key, "int", (int.from_bytes(data[start : start + 16]) & _CLEAR) | _SET)
            set_attribute(key, "is_safe", unknown)
            yield key


#: The interpreter's switch interval while a batch is saved on a thread of its own.
QUICK_SWITCH_SECONDS = 0.0002
_handoffs = threading.Lock()
_quick = 0  # savers under way, in every import of the process
_usual = 0.005  # the interval before the first of them


@contextmanager
def quick_handoffs() -> Iterator[None]:
    """The interpreter handed to a waiting thread after 0.2 ms rather than 5, while a
    thread saves a batch beside the importer's: each time psycopg or SQLite hands the
    saving thread back a result, it waits for the interpreter the importer holds, up to
    the switch interval. On PostgreSQL, the importer waited for the saves 0.51 s of an
    import's 3.41, and 0.01 s at 0.2 ms (48,600 -> 50,900 events/s). The interval is
    the process's: it is lowered while any save of any import is under way, and then
    set back as it was."""
    global _quick, _usual
    with _handoffs:
        if _quick == 0:
            _usual = sys.getswitchinterval()
            sys.setswitchinterval(QUICK_SWITCH_SECONDS)
        _quick += 1
    try:
        yield
    finally:
        with _handoffs:
            _quick -= 1
            if _quick == 0:
                sys.setswitchinterval(_usual)


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
