"""Evidence, citations and selective disclosure (who asked to see what, who granted it, each access)."""

from __future__ import annotations

import pytest

from industry_brain._core.errors import ConflictError
from industry_brain.patents._entries import format_instant

PN = "CN201910000001.1"


def refused(world, error, rule, type_, body, signers):  # type: ignore[no-untyped-def]
    size = world.state.size
    with pytest.raises(error) as info:
        world.submit(type_, body, signers)
    assert info.value.details["rule"] == rule, info.value.message
    assert world.state.size == size


def test_evidence(world) -> None:  # type: ignore[no-untyped-def]
    body = {"submitter": "alice", "file_sha256": "ab" * 32, "size_bytes": 10, "description": "侵权产品照片"}
    world.submit("evidence", body, ["alice"])
    refused(world, ConflictError, "evidence_duplicate", "evidence", body, ["alice"])
    refused(world, ConflictError, "patent_unknown", "evidence", {**body, "file_sha256": "cd" * 32, "patent_no": PN},
            ["alice"])


def test_citations(world) -> None:  # type: ignore[no-untyped-def]
    world.patent(filed_on="2019-01-10")
    world.patent("CN201810000005.5", filed_on="2018-05-01")
    refused(world, ConflictError, "citation_self", "citation", {"citing": PN, "cited": PN}, ["ipo"])
    refused(world, ConflictError, "patent_unknown", "citation", {"citing": "CN999999", "cited": PN}, ["ipo"])
    refused(world, ConflictError, "citation_external", "citation", {"citing": PN, "cited": "US9999999B2"}, ["ipo"])
    refused(world, ConflictError, "citation_later", "citation", {"citing": "CN201810000005.5", "cited": PN}, ["ipo"])
    world.submit("citation", {"citing": PN, "cited": "CN201810000005.5"}, ["ipo"])
    refused(world, ConflictError, "citation_duplicate", "citation", {"citing": PN, "cited": "CN201810000005.5"}, ["ipo"])
    world.submit("citation", {"citing": PN, "cited": "US9999999B2", "cited_ipc": ["G06F"],
                              "cited_filed_on": "2015-01-01", "source": "applicant"}, ["ipo"])
    refused(world, ConflictError, "signer_unexpected", "citation",
            {"citing": PN, "cited": "US8888888B2", "cited_ipc": ["G06F"], "cited_filed_on": "2015-01-01"}, ["alice"])


def test_selective_disclosure(world) -> None:  # type: ignore[no-untyped-def]
    claim = world.submit("priority_claim", {"claimants": ["alice", "bob"], "commitment": "aa" * 32}, ["alice", "bob"])
    evidence = world.submit("evidence", {"submitter": "carol", "file_sha256": "bb" * 32, "size_bytes": 1,
                                         "description": "d"}, ["carol"])
    refused(world, ConflictError, "item_not_protected", "access_request",
            {"requester": "dave", "item": 1, "purpose": "尽职调查"}, ["dave"])
    request = world.submit("access_request", {"requester": "dave", "item": claim, "purpose": "尽职调查"}, ["dave"])
    expires = format_instant(world.now.replace(day=world.now.day + 1))
    refused(world, ConflictError, "grantor_not_holder", "access_grant",
            {"request": request, "grantor": "carol", "expires_at": expires}, ["carol"])
    refused(world, ConflictError, "request_unknown", "access_grant",
            {"request": evidence, "grantor": "carol", "expires_at": expires}, ["carol"])
    refused(world, ConflictError, "grant_expired", "access_grant",
            {"request": request, "grantor": "bob", "expires_at": format_instant(world.now)}, ["bob"])
    grant = world.submit("access_grant", {"request": request, "grantor": "bob", "expires_at": expires}, ["bob"])
    refused(world, ConflictError, "request_granted", "access_grant",
            {"request": request, "grantor": "alice", "expires_at": expires}, ["alice"])
    refused(world, ConflictError, "accessor_not_requester", "access", {"grant": grant, "accessor": "erin"}, ["erin"])
    refused(world, ConflictError, "grant_unknown", "access", {"grant": request, "accessor": "dave"}, ["dave"])
    world.submit("access", {"grant": grant, "accessor": "dave"}, ["dave"])
    world.submit("access", {"grant": grant, "accessor": "dave"}, ["dave"])
    assert len(world.led.access[request].accesses) == 2
    world.tick(days=2)
    refused(world, ConflictError, "grant_expired", "access", {"grant": grant, "accessor": "dave"}, ["dave"])
