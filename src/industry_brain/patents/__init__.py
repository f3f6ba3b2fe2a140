"""Patent rights on the tamper-evident log (专利权利记录): priority, transfers, licences, trading, royalties.

The magazine's design (区块链技术在专利运营中的应用探讨) as entries on a :mod:`industry_brain.ledger` log. Each
entry is RFC 8785 canonical JSON with a type, a schema version, a nonce and a time, signed with Ed25519 by the
parties' registered keys; the IP office's key, set by the first (``genesis``) entry, is the root of trust::

    from industry_brain.ledger import generate_key
    from industry_brain.patents import PatentBook, generate_party_key, prepare_entry

    log_skey, log_vkey = generate_key("ipo.example.cn/patents")
    office = generate_party_key("ipo")
    book = PatentBook.create("var/patents", log_signer_key=log_skey, office=office, office_name="知识产权局",
                             origin="ipo.example.cn/patents")
    alice = generate_party_key("alice")
    book.submit(prepare_entry({"type": "key_register", "body": {"party": "alice",
                                "public_key": alice.public_b64}}, [office, alice]))
    state = book.state()          # owners, licences, balances, open trades, key states
    verify_rules(book.log)        # re-check every rule over the whole log

Entry types (``ENTRY_TYPES``): genesis, key_register / key_rotate / key_revoke, priority_claim /
priority_reveal, patent_record, contribution / contribution_agreement, assignment, licence, confirm / decline
(by the office), royalty_payment (with its distribution by the largest-remainder method), offer / tender /
bid / sealed_bid / bid_reveal / award (contract, English and sealed-bid auctions, tender), evidence,
citation, access_request / access_grant / access.

A submission that breaks a rule raises :class:`~industry_brain._core.errors.ConflictError` (a rule of the
state) or :class:`~industry_brain._core.errors.IntegrityError` (a key, signature or hash), with ``details``
``rule`` (a stable code) and ``reason`` (zh/en), and never enters the log.
"""

from __future__ import annotations

from industry_brain.patents._book import (
    DEFAULT_ORIGIN,
    PatentBook,
    Submitted,
    check_evidence_bundle,
    check_evidence_file,
    evidence_draft,
    fill_distribution,
    prepare_entry,
    priority_bursts,
    priority_draft,
    sha256_file,
    similar_patents,
    verify_rules,
)
from industry_brain.patents._entries import ENTRY_TYPES, Entry, parse_draft, parse_entry
from industry_brain.patents._keys import PartyKey, load_key, write_key_files
from industry_brain.patents._keys import generate_key as generate_party_key
from industry_brain.patents._market import seal_commitment
from industry_brain.patents._messages import MESSAGES
from industry_brain.patents._quality import PatentFacts, QualityRow, quality_indicators
from industry_brain.patents._royalty import split_amount
from industry_brain.patents._rules import priority_commitment
from industry_brain.patents._signals import claim_bursts, similar_texts
from industry_brain.patents._state import RuleReport, State, replay
from industry_brain.patents._views import (
    enterprise_view,
    entry_status,
    history,
    patent_view,
    quality,
    summary,
)

__all__ = [
    "DEFAULT_ORIGIN",
    "ENTRY_TYPES",
    "MESSAGES",
    "Entry",
    "PartyKey",
    "PatentBook",
    "PatentFacts",
    "QualityRow",
    "RuleReport",
    "State",
    "Submitted",
    "check_evidence_bundle",
    "check_evidence_file",
    "claim_bursts",
    "enterprise_view",
    "entry_status",
    "evidence_draft",
    "fill_distribution",
    "generate_party_key",
    "history",
    "load_key",
    "parse_draft",
    "parse_entry",
    "patent_view",
    "prepare_entry",
    "priority_bursts",
    "priority_commitment",
    "priority_draft",
    "quality",
    "quality_indicators",
    "replay",
    "seal_commitment",
    "sha256_file",
    "similar_patents",
    "similar_texts",
    "split_amount",
    "summary",
    "verify_rules",
    "write_key_files",
]
