"""Offline proof bundles, witness cosignatures (tlog-cosignature) and RFC 3161 tokens on entries.

RFC 3161 fixtures: ../shared/vectors/ledger/rfc3161_client_fixtures (trailofbits/rfc3161-client test data:
Sigstore staging TSA tokens over the bytes ``hello``).
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest

from industry_brain._core.errors import InputError, IntegrityError, ParseError
from industry_brain.ledger import (
    Log,
    cosign,
    generate_key,
    make_proof_bundle,
    open_checkpoint,
    parse_verifier,
    read_timestamp,
    verify_cosignatures,
    verify_log,
    verify_proof_bundle,
    verify_timestamp,
    witness_checkpoint,
)
from industry_brain.ledger._checkpoint import add_cosignature

ORIGIN = "ipo.example.cn/patents"
FIXTURES = "vectors/ledger/rfc3161_client_fixtures/test/fixtures"


@pytest.fixture
def setup(tmp_path: Path) -> dict[str, object]:
    skey, vkey = generate_key(ORIGIN)
    w1 = generate_key("court.example.cn/witness", cosigner=True)
    w2 = generate_key("notary.example.cn/witness", cosigner=True)
    log = Log.create(tmp_path / "log", origin=ORIGIN, signer_key=skey)
    log.append_many([b"hello", b"world", b"third"])
    return {
        "dir": tmp_path / "log",
        "log": log,
        "skey": skey,
        "vkey": vkey,
        "w1": w1,
        "w2": w2,
        "state": tmp_path / "witness-state",
    }


def test_cosignature_format(setup) -> None:  # type: ignore[no-untyped-def]
    """cosignature/v1: key ID over type 0x04, 8-byte big-endian time, Ed25519 over the timestamped message."""
    log, (wskey, wvkey) = setup["log"], setup["w1"]
    v = parse_verifier(wvkey)
    assert v.alg == 0x04
    sig = cosign(log.checkpoint(), wskey, 1_700_000_000)
    assert sig.key_id == v.key_id and struct.unpack(">Q", sig.signature[:8])[0] == 1_700_000_000
    message = b"cosignature/v1\ntime 1700000000\n" + log.checkpoint().body().encode()
    assert v.verify(message, sig.signature[8:])
    cp = add_cosignature(log.checkpoint(), sig)
    assert [c.timestamp for c in verify_cosignatures(cp, [wvkey])] == [1_700_000_000]
    assert verify_cosignatures(cp, [setup["w2"][1]]) == []  # unknown witness: ignored
    reopened = open_checkpoint(cp.signed_text(), setup["vkey"])  # the log's key still opens the note
    blob = sig.to_line().split()[-1]
    altered = blob[:40] + ("B" if blob[40] != "B" else "C") + blob[41:]  # inside the Ed25519 signature
    forged = open_checkpoint(reopened.signed_text().replace(blob, altered), setup["vkey"])
    with pytest.raises(IntegrityError, match="does not verify"):
        verify_cosignatures(forged, [wvkey])
    renamed = open_checkpoint(reopened.signed_text().replace(blob, "A" * 8 + blob[8:]), setup["vkey"])
    assert verify_cosignatures(renamed, [wvkey]) == []  # another key ID: not this witness, ignored


def test_witness_checks_consistency_and_cosigns(setup) -> None:  # type: ignore[no-untyped-def]
    d, log, state = setup["dir"], setup["log"], setup["state"]
    first = witness_checkpoint(d, setup["w1"][0], state, log_vkey=setup["vkey"], now=1000)
    assert (first.old_size, first.new_size) == (None, 3)
    log.append_many([b"four", b"five"])
    second = witness_checkpoint(d, setup["w1"][0], state, now=2000)  # log key pinned on first use
    assert (second.old_size, second.new_size, second.timestamp) == (3, 5, 2000)
    stored = Path(second.stored_at or "")
    cp = open_checkpoint(stored.read_bytes(), setup["vkey"])
    assert [c.witness for c in verify_cosignatures(cp, [setup["w1"][1]])] == ["court.example.cn/witness"]
    report = verify_log(d, setup["vkey"], [setup["w1"][1]])
    assert report.ok and report.cosignatures[0]["size"] == 5
    again = witness_checkpoint(d, setup["w1"][0], state, now=10)  # clock went back: time never decreases
    assert again.timestamp == 2000


def test_witness_refuses_a_rewritten_log(setup, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    d, state = setup["dir"], setup["state"]
    witness_checkpoint(d, setup["w1"][0], state, log_vkey=setup["vkey"])
    setup["log"].close()
    # the operator rebuilds the log with different history under the same key: a fork
    import shutil

    shutil.rmtree(d)
    forked = Log.create(d, origin=ORIGIN, signer_key=setup["skey"])
    forked.append_many([b"hello", b"WORLD", b"third", b"four"])
    with pytest.raises(IntegrityError, match="consistency proof"):
        witness_checkpoint(d, setup["w1"][0], state)
    forked.close()
    shutil.rmtree(d)
    shrunk = Log.create(d, origin=ORIGIN, signer_key=setup["skey"])
    shrunk.append_many([b"hello"])
    with pytest.raises(IntegrityError, match="rollback"):
        witness_checkpoint(d, setup["w1"][0], state)
    with pytest.raises(IntegrityError, match="pinned"):
        witness_checkpoint(d, setup["w1"][0], state, log_vkey=generate_key(ORIGIN)[1])


def test_witness_needs_a_cosigner_key_and_a_log_key(setup) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError, match="cosigner"):
        witness_checkpoint(setup["dir"], setup["skey"], setup["state"], log_vkey=setup["vkey"])
    with pytest.raises(InputError, match="vkey"):
        witness_checkpoint(setup["dir"], setup["w1"][0], setup["state"])


def test_bundle_round_trip_with_two_witnesses(setup) -> None:  # type: ignore[no-untyped-def]
    d, log, state = setup["dir"], setup["log"], setup["state"]
    witness_checkpoint(d, setup["w1"][0], state / "1", log_vkey=setup["vkey"])
    witness_checkpoint(d, setup["w2"][0], state / "2", log_vkey=setup["vkey"])
    log.append(b"after the witnesses")  # the bundle uses the newest cosigned checkpoint covering the entry
    bundle = make_proof_bundle(log, 1)
    doc = json.loads(bundle)
    assert doc["tree_size"] == 3 and doc["checkpoint"].count("\u2014 ") == 3
    witnesses = [setup["w1"][1], setup["w2"][1]]
    report = verify_proof_bundle(bundle, setup["vkey"], witnesses)
    assert (report.index, report.tree_size, report.entry) == (1, 3, b"world")
    assert len(report.cosignatures) == 2
    assert make_proof_bundle(log, 3)  # not covered by a cosigned checkpoint: the current one is used
    with pytest.raises(IntegrityError, match="witness cosignatures"):
        verify_proof_bundle(make_proof_bundle(log, 3), setup["vkey"], witnesses)
    assert verify_proof_bundle(make_proof_bundle(log, 3), setup["vkey"], witnesses, quorum=0).index == 3


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("entry", "d29ybGQh", IntegrityError),  # another entry
        ("index", 2, IntegrityError),
        ("tree_size", 4, IntegrityError),
        ("inclusion_proof", [], IntegrityError),
        ("inclusion_proof", ["AAAA"], IntegrityError),
        ("inclusion_proof", [1], ParseError),
        ("entry", "not base64!", ParseError),
        ("index", "1", ParseError),
        ("index", True, ParseError),
        ("format", "other/v9", ParseError),
        ("checkpoint", "garbage\n", ParseError),
        ("origin", "other.example", IntegrityError),
        ("extra", 1, ParseError),
    ],
)
def test_altered_bundles_fail(setup, field: str, value: object, error: type) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(make_proof_bundle(setup["log"], 1))
    doc[field] = value
    with pytest.raises(error):
        verify_proof_bundle(json.dumps(doc), setup["vkey"])


def test_bundle_from_another_log_key_fails(setup) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError):
        verify_proof_bundle(make_proof_bundle(setup["log"], 0), generate_key(ORIGIN)[1])


@pytest.mark.parametrize("name", ["response-sha256.tsr", "response-sha384.tsr", "response-sha512.tsr"])
def test_rfc3161_token_on_an_entry(setup, shared: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    fixtures = shared / FIXTURES / "sigstage"
    token, chain = (fixtures / name).read_bytes(), (fixtures / "ts_chain.pem").read_bytes()
    bundle = make_proof_bundle(setup["log"], 0, timestamps=[token])  # entry 0 is b"hello"
    report = verify_proof_bundle(bundle, setup["vkey"], tsa_chain_pem=chain)
    assert len(report.timestamps) == 1
    stamp = report.timestamps[0]
    assert stamp.gen_time.isoformat().startswith("2025-05-09T11:58:5")
    assert stamp.policy == "1.3.6.1.4.1.57264.2" and stamp.hash_algorithm == name[9:15]
    unchecked = verify_proof_bundle(bundle, setup["vkey"])
    assert unchecked.timestamps == [] and unchecked.timestamps_unchecked == 1
    other = make_proof_bundle(setup["log"], 1, timestamps=[token])  # entry 1 is b"world": wrong imprint
    with pytest.raises(IntegrityError, match="timestamp"):
        verify_proof_bundle(other, setup["vkey"], tsa_chain_pem=chain)


def test_rfc3161_fixture_failures(shared: Path) -> None:
    fixtures = shared / FIXTURES
    chain = (fixtures / "sigstage/ts_chain.pem").read_bytes()
    with pytest.raises(IntegrityError):
        verify_timestamp((fixtures / "sigstage/response-invalid-signature.tsr").read_bytes(), b"hello", chain)
    ok = verify_timestamp((fixtures / "sigstage/response-no-embedded-cert.tsr").read_bytes(), b"hello", chain)
    assert ok.hash_algorithm == "sha256"
    other_chain = (fixtures / "test_tsa/ts_chain.pem").read_bytes()
    with pytest.raises(IntegrityError):  # a token from a TSA we do not trust
        verify_timestamp((fixtures / "sigstage/response-sha256.tsr").read_bytes(), b"hello", other_chain)
    with pytest.raises(ParseError):
        read_timestamp(b"\x30\x03\x02\x01\x00")
    with pytest.raises(ParseError):
        verify_timestamp((fixtures / "sigstage/response-sha256.tsr").read_bytes(), b"hello", b"not pem")


def test_bundle_refuses_non_token(setup) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ParseError):
        make_proof_bundle(setup["log"], 0, timestamps=[b"not a token"])
