"""Personal data sealed with a key per person, so that erasure destroys the key
(crypto-shredding) and the append-only log never has to be rewritten."""

from __future__ import annotations

import json
from base64 import b64decode, b64encode
from collections.abc import Iterable, Iterator
from typing import Protocol
from uuid import UUID

from eventsourcing.cryptography import AESCipher
from eventsourcing.utils import Environment

KEY_BYTES = 32


class KeyStore(Protocol):
    """Where the per-person keys live: beside the log, but deletable."""

    def put(self, subject: UUID, key: str) -> None: ...

    def get(self, subject: UUID) -> str | None: ...

    def destroy(self, subject: UUID) -> bool: ...

    def items(self) -> Iterator[tuple[UUID, str]]:
        """Every key still held, with its subject (for backups)."""
        ...

    def put_many(self, keys: Iterable[tuple[UUID, str]]) -> None:
        """Store many keys at once (for restores)."""
        ...


class MemoryKeyStore:
    """Keys in a dict: for tests and throwaway stores."""

    def __init__(self) -> None:
        self._keys: dict[UUID, str] = {}

    def put(self, subject: UUID, key: str) -> None:
        self._keys[subject] = key

    def get(self, subject: UUID) -> str | None:
        return self._keys.get(subject)

    def destroy(self, subject: UUID) -> bool:
        return self._keys.pop(subject, None) is not None

    def items(self) -> Iterator[tuple[UUID, str]]:
        return iter(list(self._keys.items()))

    def put_many(self, keys: Iterable[tuple[UUID, str]]) -> None:
        self._keys.update(keys)


class PersonalData:
    """Seals and unseals the personal fields of one subject with that subject's key."""

    def __init__(self, keys: KeyStore) -> None:
        self.keys = keys

    def seal(self, subject: UUID, fields: dict[str, str]) -> str:
        key = self.keys.get(subject)
        if key is None:
            key = AESCipher.create_key(KEY_BYTES)
            self.keys.put(subject, key)
        plain = json.dumps(fields, sort_keys=True).encode()
        return b64encode(_cipher(key).encrypt(plain)).decode()

    def unseal(self, subject: UUID, sealed: str) -> dict[str, str] | None:
        """The fields, or None when the subject's key was destroyed (erased)."""
        key = self.keys.get(subject)
        if key is None or not sealed:
            return None
        fields: dict[str, str] = json.loads(_cipher(key).decrypt(b64decode(sealed)))
        return fields

    def erase(self, subject: UUID) -> bool:
        return self.keys.destroy(subject)


def _cipher(key: str) -> AESCipher:
    return AESCipher(Environment(env={AESCipher.CIPHER_KEY: key}))
