"""RFC 3161 timestamp tokens attached to log entries, verified with ``rfc3161-client``.

A token (a DER ``TimeStampResp`` as a TSA returns it) says that a trusted time-stamping authority saw the
hash of some bytes at ``gen_time``. Attached to a log entry it dates the entry independently of the log
operator: the token's message imprint must be the hash (SHA-256/384/512) of the entry's bytes, and its
signature must chain to the TSA certificates the verifier trusts (a PEM bundle: the TSA's own certificate
first, then intermediates, the root last).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from industry_brain._core.errors import InputError, IntegrityError, ParseError

_HASHES = {
    "2.16.840.1.101.3.4.2.1": "sha256",
    "2.16.840.1.101.3.4.2.2": "sha384",
    "2.16.840.1.101.3.4.2.3": "sha512",
}


@dataclass(frozen=True)
class TimestampInfo:
    """What a verified token states."""

    gen_time: datetime
    policy: str
    hash_algorithm: str
    serial_number: int

    def to_dict(self) -> dict[str, object]:
        return {
            "gen_time": self.gen_time.isoformat(),
            "policy": self.policy,
            "hash_algorithm": self.hash_algorithm,
            "serial_number": str(self.serial_number),
        }


def _load_chain(chain_pem: bytes) -> list[object]:
    from cryptography import x509

    try:
        certs = x509.load_pem_x509_certificates(chain_pem)
    except (ValueError, TypeError) as exc:
        raise ParseError(f"TSA certificate chain is not a PEM bundle: {exc}", field="tsa_chain") from exc
    if not certs:
        raise ParseError("TSA certificate chain holds no certificate", field="tsa_chain")
    return list(certs)


def read_timestamp(token: bytes) -> TimestampInfo:
    """Decode a token without verifying it. Raises :class:`ParseError`."""
    import rfc3161_client

    if not isinstance(token, bytes | bytearray):
        raise ParseError(f"timestamp token must be bytes, got {type(token).__name__}", field="timestamp")
    try:
        resp = rfc3161_client.decode_timestamp_response(bytes(token))
        info = resp.tst_info
        oid = info.message_imprint.hash_algorithm.dotted_string
        return TimestampInfo(
            info.gen_time, info.policy.dotted_string, _HASHES.get(oid, oid), info.serial_number
        )
    except Exception as exc:  # the Rust decoder raises ValueError and others; all mean "not a token"
        raise ParseError(
            f"not an RFC 3161 timestamp response: {type(exc).__name__}: {exc}", field="timestamp"
        ) from exc


def verify_timestamp(token: bytes, data: bytes, chain_pem: bytes) -> TimestampInfo:
    """Verify that ``token`` timestamps ``data`` and chains to ``chain_pem``; returns what it states.

    Raises :class:`ParseError` (not a token / not a PEM chain) or :class:`IntegrityError` (wrong data, bad
    signature, untrusted chain).
    """
    import rfc3161_client

    info = read_timestamp(token)
    if info.hash_algorithm not in ("sha256", "sha384", "sha512"):
        raise IntegrityError(
            f"timestamp uses the unsupported hash {info.hash_algorithm!r}", field="timestamp"
        )
    certs = _load_chain(chain_pem)
    resp = rfc3161_client.decode_timestamp_response(bytes(token))
    builder = rfc3161_client.VerifierBuilder(
        tsa_certificate=certs[0] if len(certs) > 1 else None,  # type: ignore[arg-type]
        intermediates=certs[1:-1],  # type: ignore[arg-type]
        roots=[certs[-1]],  # type: ignore[list-item]
    )
    digest = hashlib.new(info.hash_algorithm, data).digest()
    try:
        builder.build().verify(resp, digest)
    except rfc3161_client.VerificationError as exc:
        raise IntegrityError(f"timestamp does not verify: {str(exc)[:200]}", field="timestamp") from exc
    except ValueError as exc:
        raise InputError(f"timestamp verification could not run: {exc}", field="timestamp") from exc
    return info
