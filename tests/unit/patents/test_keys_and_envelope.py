"""Keys, signatures, nonces and time: who may write, and what can never be replayed or forged."""

from __future__ import annotations

from datetime import timedelta

import pytest

from industry_brain._core.errors import ConflictError, IntegrityError
from industry_brain.patents import State, generate_party_key, prepare_entry
from industry_brain.patents._entries import Signature


def refused(world, error, rule, type_, body, signers):  # type: ignore[no-untyped-def]
    size = world.state.size
    with pytest.raises(error) as info:
        world.submit(type_, body, signers)
    assert info.value.details["rule"] == rule
    assert set(info.value.details["reason"]) == {"zh", "en"}
    assert world.state.size == size, "a refused entry must not change the state"
    return info.value


def test_genesis_sets_the_office_root_key(world) -> None:  # type: ignore[no-untyped-def]
    led = world.led
    assert led.office == "ipo"
    assert led.parties["ipo"].role == "office"
    assert led.keys[world.key("ipo").key_id].status == "active"


def test_first_entry_must_be_genesis_and_only_first() -> None:
    state = State()
    alice = generate_party_key("alice")
    entry = prepare_entry({"type": "key_register", "body": {"party": "alice", "public_key": alice.public_b64}}, [alice])
    with pytest.raises(ConflictError) as info:
        state.apply(entry)
    assert info.value.details["rule"] == "genesis_missing"


def test_second_genesis_refused(world) -> None:  # type: ignore[no-untyped-def]
    key = world.key("ipo2")
    refused(world, ConflictError, "genesis_misplaced", "genesis",
            {"office": "ipo2", "name": "x", "public_key": key.public_b64}, [key])


def test_register_needs_office_and_proof_of_possession(world) -> None:  # type: ignore[no-untyped-def]
    key = world.key("frank")
    body = {"party": "frank", "public_key": key.public_b64}
    refused(world, IntegrityError, "signature_missing", "key_register", body, ["ipo"])
    refused(world, IntegrityError, "signature_missing", "key_register", body, [key])
    world.submit("key_register", body, ["ipo", key])
    refused(world, ConflictError, "key_exists", "key_register", body, ["ipo", key])


def test_unknown_key_refused(world) -> None:  # type: ignore[no-untyped-def]
    stranger = world.key("alice", generation=7)  # claims to be alice, never registered
    refused(world, IntegrityError, "key_unknown", "evidence",
            {"submitter": "alice", "file_sha256": "ab" * 32, "size_bytes": 1, "description": "d"}, [stranger])


def test_key_of_another_party_refused(world) -> None:  # type: ignore[no-untyped-def]
    bob_key = world.key("bob")
    entry = world.draft("evidence", {"submitter": "alice", "file_sha256": "ab" * 32, "size_bytes": 1,
                                     "description": "d"}, [bob_key])
    forged = entry.with_signatures([Signature(party="alice", key_id=bob_key.key_id, sig=entry.sigs[0].sig)])
    with pytest.raises(IntegrityError) as info:
        world.state.apply(forged)
    assert info.value.details["rule"] == "key_wrong_party"


def test_wrong_signature_refused(world) -> None:  # type: ignore[no-untyped-def]
    entry = world.draft("evidence", {"submitter": "alice", "file_sha256": "ab" * 32, "size_bytes": 1,
                                     "description": "真实描述"}, ["alice"])
    other = world.draft("evidence", {"submitter": "alice", "file_sha256": "cd" * 32, "size_bytes": 1,
                                     "description": "篡改后"}, ["alice"])
    tampered = other.with_signatures(list(entry.sigs))  # alice's signature over a different body
    with pytest.raises(IntegrityError) as info:
        world.state.apply(tampered)
    assert info.value.details["rule"] == "signature_invalid"


def test_replayed_nonce_refused(world) -> None:  # type: ignore[no-untyped-def]
    entry = world.draft("evidence", {"submitter": "alice", "file_sha256": "ab" * 32, "size_bytes": 1,
                                     "description": "d"}, ["alice"])
    world.state.apply(entry)
    with pytest.raises(ConflictError) as info:
        world.state.apply(entry)
    assert info.value.details["rule"] == "nonce_replayed"


def test_unexpected_and_duplicate_signers_refused(world) -> None:  # type: ignore[no-untyped-def]
    body = {"submitter": "alice", "file_sha256": "ab" * 32, "size_bytes": 1, "description": "d"}
    refused(world, ConflictError, "signer_unexpected", "evidence", body, ["alice", "bob"])
    entry = world.draft("evidence", body, ["alice"])
    with pytest.raises(ConflictError) as info:
        world.state.apply(entry.with_signatures([*entry.sigs, *entry.sigs]))
    assert info.value.details["rule"] == "signature_duplicate"


def test_office_only_entries(world) -> None:  # type: ignore[no-untyped-def]
    body = {"patent_no": "CN201910000009.X", "title": "t", "ipc": ["G06F"], "filed_on": "2019-01-01",
            "expires_on": "2039-01-01", "owners": [{"party": "alice", "share_bp": 10000}], "inventors": ["alice"]}
    refused(world, ConflictError, "signer_unexpected", "patent_record", body, ["alice"])


def test_time_cannot_go_backwards_or_into_the_future(world) -> None:  # type: ignore[no-untyped-def]
    body = {"submitter": "alice", "file_sha256": "ab" * 32, "size_bytes": 1, "description": "d"}
    early = prepare_entry({"type": "evidence", "body": body}, [world.keys["alice"]], now=world.now - timedelta(days=1))
    with pytest.raises(ConflictError) as info:
        world.state.apply(early)
    assert info.value.details["rule"] == "time_backwards"
    late = prepare_entry({"type": "evidence", "body": body}, [world.keys["alice"]], now=world.now + timedelta(hours=1))
    with pytest.raises(ConflictError) as info:
        world.state.apply(late, now=world.now)
    assert info.value.details["rule"] == "time_future"


def test_rotation_retires_the_old_key(world) -> None:  # type: ignore[no-untyped-def]
    old, new = world.key("alice"), world.key("alice", generation=1)
    body = {"party": "alice", "old_key_id": old.key_id, "new_public_key": new.public_b64}
    refused(world, IntegrityError, "signature_missing", "key_rotate", body, [old])  # new key must sign too
    world.submit("key_rotate", body, [old, new])
    assert world.led.keys[old.key_id].status == "rotated"
    evidence = {"submitter": "alice", "file_sha256": "ab" * 32, "size_bytes": 1, "description": "d"}
    error = refused(world, IntegrityError, "key_revoked", "evidence", evidence, [old])
    assert "rotated" in error.details["reason"]["en"]
    world.submit("evidence", evidence, [new])


def test_revoked_key_refused(world) -> None:  # type: ignore[no-untyped-def]
    key = world.key("bob")
    world.submit("key_revoke", {"party": "bob", "key_id": key.key_id, "reason": "私钥泄露"}, ["ipo"])
    refused(world, IntegrityError, "key_revoked", "evidence",
            {"submitter": "bob", "file_sha256": "ab" * 32, "size_bytes": 1, "description": "d"}, ["bob"])
    refused(world, IntegrityError, "key_revoked", "key_revoke",
            {"party": "bob", "key_id": key.key_id, "reason": "again"}, ["ipo"])


def test_party_may_revoke_own_key_but_not_anothers(world) -> None:  # type: ignore[no-untyped-def]
    carol = world.key("carol")
    refused(world, ConflictError, "signer_unexpected", "key_revoke",
            {"party": "carol", "key_id": carol.key_id, "reason": "x"}, ["dave"])
    world.submit("key_revoke", {"party": "carol", "key_id": carol.key_id, "reason": "lost"}, ["carol"])
