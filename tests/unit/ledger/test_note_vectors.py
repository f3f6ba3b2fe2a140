"""Signed notes, key strings, checkpoints and Ed25519 against published vectors.

Sources (see ../shared/vectors/ledger/README.md): C2SP signed-note example, Go sumdb/note sign/open tests,
a real sum.golang.org checkpoint, transparency-dev/formats test key pairs, RFC 8032 §7.1, Wycheproof
ed25519_test.json (151 cases).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from industry_brain._core.errors import IntegrityError, ParseError
from industry_brain.ledger._checkpoint import open_checkpoint, parse_checkpoint_body
from industry_brain.ledger._note import (
    ALG_ED25519,
    Signer,
    Verifier,
    generate_key,
    parse_note,
    parse_signer,
    parse_verifier,
    sign_note,
    verify_note,
)


@pytest.fixture
def vectors(shared: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    data = json.loads((shared / "vectors/ledger/signed_note/signed_note_vectors.json").read_text())
    return {v["id"]: v for v in data["vectors"]}


def test_c2sp_example_verifies(vectors: dict) -> None:  # type: ignore[type-arg]
    v = vectors["c2sp-signed-note-example"]
    note, good = verify_note(v["signed_note"], [v["vkey"]])
    assert note.text == "This is an example message.\n"
    assert [g.name for g in good] == ["example.com/foo"]
    assert note.to_text() == v["signed_note"]


def test_go_sign_is_byte_exact(vectors: dict) -> None:  # type: ignore[type-arg]
    v = vectors["go-sumdb-note-sign"]
    signer = parse_signer(v["skey"])
    assert signer.verifier.to_string() == v["vkey"]
    assert signer.to_string() == v["skey"]
    assert sign_note(v["text"], v["skey"]).to_text() == v["expected_signed_note"]


def test_two_signers_and_unknown_signer_ignored(vectors: dict) -> None:  # type: ignore[type-arg]
    v = vectors["go-sumdb-note-two-signers"]
    _, good = verify_note(v["signed_note"], v["vkeys"])
    assert sorted(g.name for g in good) == ["EnochRoot", "PeterNeumann"]
    _, good = verify_note(v["signed_note"], v["vkeys"][:1])
    assert [g.name for g in good] == ["PeterNeumann"]
    with pytest.raises(IntegrityError, match="no signature from a known key"):
        verify_note(v["signed_note"], [vectors["formats-test-keypairs"]["key_pairs"][0]["vkey"]])


def test_bad_signature_from_known_key_rejects(vectors: dict) -> None:  # type: ignore[type-arg]
    v = vectors["go-sumdb-note-bad-sig (derived)"]
    with pytest.raises(IntegrityError, match="does not verify"):
        verify_note(v["signed_note"], [v["vkey"]])


def test_real_sumdb_checkpoint(vectors: dict) -> None:  # type: ignore[type-arg]
    v = vectors["sumdb-real-checkpoint"]
    with pytest.raises(IntegrityError, match="origin"):  # the checksum database's origin is not its key name
        open_checkpoint(v["signed_note"], v["vkey"])
    cp = open_checkpoint(v["signed_note"], v["vkey"], origin="go.sum database tree")
    assert (cp.origin, cp.size) == ("go.sum database tree", 6476701)
    assert cp.body() == parse_note(v["signed_note"]).text


def test_formats_key_pairs_derive(vectors: dict) -> None:  # type: ignore[type-arg]
    for pair in vectors["formats-test-keypairs"]["key_pairs"]:
        assert parse_signer(pair["skey"]).verifier == parse_verifier(pair["vkey"])
        assert parse_verifier(pair["vkey"]).to_string() == pair["vkey"]


def test_key_strings_with_plus_in_base64(vectors: dict) -> None:  # type: ignore[type-arg]
    pair = vectors["formats-test-keypairs"]["key_pairs"][3]  # Unknown+fdbb2e08+AWgRIYZ+8x1Vl+1Q+...
    assert parse_verifier(pair["vkey"]).name == "Unknown"
    assert parse_signer(pair["skey"]).name == "Unknown"


def test_key_id_mismatch_rejected(vectors: dict) -> None:  # type: ignore[type-arg]
    vkey = vectors["go-sumdb-note-sign"]["vkey"].replace("c74f20a3", "c74f20a4")
    with pytest.raises(ParseError, match="does not match"):
        parse_verifier(vkey)


def test_generated_keys_round_trip() -> None:
    skey, vkey = generate_key("ipo.example.cn/patents")
    s, v = parse_signer(skey), parse_verifier(vkey)
    assert s.verifier == v and s.alg == v.alg == ALG_ED25519
    assert "PRIVATE" not in repr(s) and skey.split("+")[-1] not in repr(s)
    note = sign_note("hello\n", s)
    assert verify_note(note.to_text(), [v])[1] == [v]
    with pytest.raises(IntegrityError):
        verify_note(note.to_text().replace("hello", "hellO"), [v])


def test_checkpoint_body_rules() -> None:
    root = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
    cp = parse_checkpoint_body(f"o\n5\n{root}\next one\n")
    assert (cp.origin, cp.size, cp.extensions) == ("o", 5, ("ext one",))
    for bad in (
        f"o\n05\n{root}\n",
        f"o\n-1\n{root}\n",
        "o\n1\nAAAA\n",
        f"\n1\n{root}\n",
        f"o\n1\n{root}",
        f"o\n1\n{root}\n\n",
        "o\n1\n",
        f"o\n1\u0661\n{root}\n",
    ):
        with pytest.raises(ParseError):
            parse_checkpoint_body(bad)


def test_rfc8032_section_7_1(shared: Path) -> None:
    data = json.loads((shared / "vectors/ledger/rfc8032/ed25519_rfc8032_7_1.json").read_text())
    assert len(data["vectors"]) == 3
    for v in data["vectors"]:
        signer = Signer("rfc8032", ALG_ED25519, bytes.fromhex(v["secret_key"]))
        assert signer.verifier.public.hex() == v["public_key"]
        message = bytes.fromhex(v["message"])
        assert signer.sign(message).hex() == v["signature"]
        assert signer.verifier.verify(message, bytes.fromhex(v["signature"]))


def test_wycheproof_ed25519(shared: Path) -> None:
    data = json.loads((shared / "vectors/ledger/wycheproof/ed25519_test.json").read_text())
    count = 0
    for group in data["testGroups"]:
        verifier = Verifier("w", ALG_ED25519, bytes.fromhex(group["publicKey"]["pk"]))
        for case in group["tests"]:
            got = verifier.verify(bytes.fromhex(case["msg"]), bytes.fromhex(case["sig"]))
            assert got == (case["result"] == "valid"), case["tcId"]
            count += 1
    assert count == data["numberOfTests"] == 151
