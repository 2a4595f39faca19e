"""Encryption at rest for integrity reports (the `cryptography` library; no home-made primitives).

* Each report has its own random 256-bit **data key**. The report's content, the reporter's
  identity, every message and every file are sealed with AES-256-GCM under that key, with the
  report's public id and the field's name as associated data (a ciphertext moved to another
  report or field does not open).
* The data key is stored only **wrapped** for each designated integrity officer and for the
  municipality's **recovery key**: X25519 key agreement with a fresh ephemeral key, HKDF-SHA256,
  then AES-256-GCM (an ECIES construction). The server keeps public keys only.
* An officer's X25519 private key is stored encrypted under a key derived with scrypt from the
  officer's own integrity passphrase (separate from the login password, so that resetting a
  password by e-mail cannot open reports). Without the passphrase the database and the files
  are unreadable, also to administrators.
* The recovery private key is printed once when it is created (``manage.py
  integrity_recovery_key``) and kept offline; see docs/integrity.md for the procedure.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

NONCE = 12
KEY = 32
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1


class CryptoError(Exception):
    """A ciphertext did not open: wrong key or passphrase, or the data was altered."""


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def unseal(key: bytes, blob: bytes, aad: bytes) -> bytes:
    if len(blob) < NONCE + 16:
        raise CryptoError("ciphertext too short")
    try:
        return AESGCM(key).decrypt(blob[:NONCE], blob[NONCE:], aad)
    except InvalidTag:
        raise CryptoError("ciphertext does not open") from None


def _wrapping_key(shared: bytes, ephemeral: bytes, recipient: bytes, context: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY, salt=ephemeral + recipient, info=b"glas-wrap|" + context).derive(
        shared
    )


def wrap_key(data_key: bytes, recipient_public: bytes, context: bytes) -> bytes:
    """The data key sealed for the holder of ``recipient_public`` (32 raw X25519 bytes)."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_public))
    key = _wrapping_key(shared, ephemeral_public, recipient_public, context)
    return ephemeral_public + seal(key, data_key, context)


def unwrap_key(wrapped: bytes, private_key: X25519PrivateKey, context: bytes) -> bytes:
    ephemeral_public, sealed = wrapped[:KEY], wrapped[KEY:]
    recipient = private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    try:
        shared = private_key.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
    except ValueError:
        raise CryptoError("bad wrapped key") from None
    return unseal(_wrapping_key(shared, ephemeral_public, recipient, context), sealed, context)


@dataclass(frozen=True)
class ProtectedKeyPair:
    public_key: bytes
    protected_private_key: bytes
    salt: bytes


def _passphrase_key(passphrase: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=KEY, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P).derive(passphrase.encode("utf-8"))


def generate_protected_keypair(passphrase: str) -> ProtectedKeyPair:
    private = X25519PrivateKey.generate()
    salt = os.urandom(16)
    raw = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return ProtectedKeyPair(
        public_key=private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw),
        protected_private_key=seal(_passphrase_key(passphrase, salt), raw, b"glas-officer-key"),
        salt=salt,
    )


def unlock_private_key(protected: bytes, salt: bytes, passphrase: str) -> bytes:
    """The raw private key bytes (32), or ``CryptoError`` for a wrong passphrase."""
    return unseal(_passphrase_key(passphrase, salt), protected, b"glas-officer-key")


def private_key_from_raw(raw: bytes) -> X25519PrivateKey:
    try:
        return X25519PrivateKey.from_private_bytes(raw)
    except ValueError:
        raise CryptoError("not a private key") from None


def generate_recovery_keypair() -> tuple[bytes, bytes]:
    """(public, private) raw bytes of a new recovery key pair."""
    private = X25519PrivateKey.generate()
    raw = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw), raw


def fingerprint(public_key: bytes) -> str:
    digest = hashlib.sha256(public_key).hexdigest()[:20].upper()
    return " ".join(digest[i : i + 4] for i in range(0, 20, 4))
