"""Encryption at rest: keys wrapped per officer, passphrases, and tampering detected."""

from __future__ import annotations

import pytest

from glas.integrity import crypto


def test_a_wrapped_key_opens_only_with_the_recipients_private_key():
    public, private = crypto.generate_recovery_keypair()
    other_public, other_private = crypto.generate_recovery_keypair()
    data_key = crypto.new_data_key()
    wrapped = crypto.wrap_key(data_key, public, b"report-1|key")
    assert crypto.unwrap_key(wrapped, crypto.private_key_from_raw(private), b"report-1|key") == data_key
    with pytest.raises(crypto.CryptoError):
        crypto.unwrap_key(wrapped, crypto.private_key_from_raw(other_private), b"report-1|key")
    with pytest.raises(crypto.CryptoError):
        crypto.unwrap_key(wrapped, crypto.private_key_from_raw(private), b"report-2|key")
    del other_public


def test_a_sealed_text_moved_to_another_field_or_altered_does_not_open():
    key = crypto.new_data_key()
    blob = crypto.seal(key, b"secret", b"r|content")
    assert crypto.unseal(key, blob, b"r|content") == b"secret"
    with pytest.raises(crypto.CryptoError):
        crypto.unseal(key, blob, b"r|identity")
    with pytest.raises(crypto.CryptoError):
        crypto.unseal(key, blob[:-1] + bytes([blob[-1] ^ 1]), b"r|content")
    with pytest.raises(crypto.CryptoError):
        crypto.unseal(key, b"short", b"r|content")


def test_the_private_key_opens_only_with_the_passphrase():
    pair = crypto.generate_protected_keypair("a long enough passphrase")
    raw = crypto.unlock_private_key(pair.protected_private_key, pair.salt, "a long enough passphrase")
    assert crypto.private_key_from_raw(raw)
    with pytest.raises(crypto.CryptoError):
        crypto.unlock_private_key(pair.protected_private_key, pair.salt, "a long enough passphrasE")
    assert len(crypto.fingerprint(pair.public_key).split()) == 5
