"""``ib ledger``: the tamper-evident log — init, keygen, append, verify, prove, verify-proof, witness.

Keys are given either as the key string itself or as the path of a file holding it (``ib ledger keygen
--out NAME`` writes ``NAME.key`` with mode 0600 and ``NAME.pub``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from industry_brain.cli._output import JsonOpt, emit

app = typer.Typer(no_args_is_help=True, help="防篡改日志 (tamper-evident log)")

LogOpt = Annotated[Path, typer.Option("--log", help="Log directory (tlog-tiles layout).")]
KeyOpt = Annotated[str, typer.Option("--key", help="Signer key string PRIVATE+KEY+... or a file holding it.")]
VkeyOpt = Annotated[
    str, typer.Option("--vkey", help="The log's verifier key name+id+base64, or a file holding it.")
]
WitnessOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--witness-vkey", help="A trusted witness's verifier key (repeatable), or a file holding it."
    ),
]


def _key(value: str) -> str:
    """A key string given literally or as a file path."""
    from industry_brain._core.errors import InputError

    if value.startswith("PRIVATE+KEY+") or ("+" in value and not Path(value).exists()):
        return value.strip()
    path = Path(value)
    try:
        return path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            f"key {value!r} is neither a key string nor a readable key file", file=value
        ) from exc


@app.command("keygen")
def keygen(
    name: Annotated[str, typer.Argument(help="Key name, e.g. the log origin ipo.example.cn/patents.")],
    witness: Annotated[bool, typer.Option("--witness", help="A witness (cosigner, type 0x04) key.")] = False,
    out: Annotated[Path | None, typer.Option("--out", help="Write OUT.key (0600) and OUT.pub.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """生成 Ed25519 密钥对 (generate a signer/verifier key pair)."""
    import os

    from industry_brain.ledger import generate_key
    from industry_brain.ledger._messages import MESSAGES

    skey, vkey = generate_key(name, cosigner=witness)
    payload: dict[str, object] = {"name": name, "witness": witness, "verifier_key": vkey}
    if out is not None:
        key_path, pub_path = Path(f"{out}.key"), Path(f"{out}.pub")
        fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(skey + "\n")
        pub_path.write_text(vkey + "\n", encoding="utf-8")
        payload.update(signer_key_file=str(key_path), verifier_key_file=str(pub_path))
    else:
        payload["signer_key"] = skey

    def render(c):  # type: ignore[no-untyped-def]
        if out is None:
            c.print(MESSAGES.t("keygen"))
            c.print(skey)
        c.print(vkey)

    emit(payload, as_json, render)


@app.command("init")
def init(
    log: LogOpt,
    key: KeyOpt,
    origin: Annotated[str | None, typer.Option(help="Checkpoint origin (default: the key name).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """创建空日志 (create an empty log)."""
    from industry_brain.ledger import Log, parse_signer
    from industry_brain.ledger._messages import MESSAGES

    signer = parse_signer(_key(key))
    lg = Log.create(log, origin=origin or signer.name, signer_key=signer)
    cp = lg.checkpoint()
    lg.close()
    emit(
        {"directory": str(log), **cp.to_dict()},
        as_json,
        lambda c: c.print(MESSAGES.t("created", origin=cp.origin, directory=log)),
    )


@app.command("append")
def append(
    log: LogOpt,
    key: KeyOpt,
    files: Annotated[
        list[Path] | None, typer.Argument(help="Files whose bytes become one entry each.")
    ] = None,
    lines: Annotated[
        bool, typer.Option("--lines", help="Read stdin; each line (without newline) is an entry.")
    ] = False,
    batch: Annotated[int, typer.Option(help="Entries per batch (one signed checkpoint per batch).")] = 1024,
    stream: Annotated[
        bool,
        typer.Option(
            "--stream",
            help="With --lines: append while stdin is still open, and report each batch as soon as it is "
            "durable (one line per batch; JSON lines with --json).",
        ),
    ] = False,
    max_wait: Annotated[
        float,
        typer.Option("--max-wait", help="With --stream: seconds a line may wait for its batch to fill."),
    ] = 0.25,
    as_json: JsonOpt = False,
) -> None:
    """追加条目（分批落盘、签名） (append entries in durable, signed batches)."""
    from industry_brain._core.errors import InputError
    from industry_brain.ledger import Log
    from industry_brain.ledger._messages import MESSAGES

    if batch < 1:
        raise InputError(f"batch {batch!r} must be >= 1", field="batch")
    if stream:
        if not lines or files:
            raise InputError(
                "--stream reads entries from stdin: use it with --lines and no files", field="stream"
            )
        if not 0 <= max_wait <= 3600:
            raise InputError(f"max wait {max_wait!r} must be 0..3600 seconds", field="max_wait")
        _append_stream(log, _key(key), batch, max_wait, as_json)
        return
    entries: list[bytes] = []
    for f in files or []:
        try:
            entries.append(f.read_bytes())
        except OSError as exc:
            raise InputError(f"cannot read {str(f)!r}: {exc.strerror}", file=str(f)) from exc
    if lines:
        entries.extend(line.rstrip(b"\r\n") for line in sys.stdin.buffer if line.strip())
    indexes: list[int] = []
    with Log.open(log, signer_key=_key(key)) as lg:
        for start in range(0, len(entries), batch):
            indexes.extend(lg.append_many(entries[start : start + batch]))
        size = lg.size
        cp = lg.checkpoint()
    payload = {"indexes": indexes, "size": size, "checkpoint": cp.signed_text()}

    def render(c):  # type: ignore[no-untyped-def]
        if indexes:
            c.print(MESSAGES.t("appended", count=len(indexes), first=indexes[0], last=indexes[-1], size=size))
        else:
            c.print(MESSAGES.t("appended_none"))

    emit(payload, as_json, render)


def _stdin_batches(batch: int, max_wait: float):  # type: ignore[no-untyped-def]
    """Batches of stdin lines: full ones at once, a partial one when its first line has waited ``max_wait``."""
    import os
    import select
    import time

    fd = sys.stdin.fileno()
    rest = b""
    pending: list[bytes] = []
    deadline = 0.0
    while True:
        timeout = max(0.0, deadline - time.monotonic()) if pending else None
        ready, _, _ = select.select([fd], [], [], timeout)
        if ready:
            chunk = os.read(fd, 1 << 16)
            if not chunk:  # end of input
                if rest.strip():
                    pending.append(rest.rstrip(b"\r"))
                if pending:
                    yield pending
                return
            *complete, rest = (rest + chunk).split(b"\n")
            for line in complete:
                if not line.strip():
                    continue
                if not pending:
                    deadline = time.monotonic() + max_wait
                pending.append(line.rstrip(b"\r"))
                if len(pending) == batch:
                    yield pending
                    pending = []
        if pending and time.monotonic() >= deadline:
            yield pending
            pending = []


def _append_stream(log: Path, key: str, batch: int, max_wait: float, as_json: bool) -> None:
    import json

    from industry_brain.ledger import Log
    from industry_brain.ledger._messages import MESSAGES

    with Log.open(log, signer_key=key) as lg:
        for entries in _stdin_batches(batch, max_wait):
            indexes = lg.append_many(entries)
            # acknowledged: the batch is durable once append_many has returned
            if as_json:
                line = json.dumps(
                    {"first": indexes[0], "last": indexes[-1], "count": len(indexes), "size": lg.size}
                )
            else:
                line = MESSAGES.t(
                    "appended", count=len(indexes), first=indexes[0], last=indexes[-1], size=lg.size
                )
            sys.stdout.write(line + "\n")
            sys.stdout.flush()


@app.command("verify")
def verify(log: LogOpt, vkey: VkeyOpt, witness_vkey: WitnessOpt = None, as_json: JsonOpt = False) -> None:
    """校验整个日志：条目、瓦片哈希、签名检查点（失败退出码 3） (verify a whole log; exit 3 on failure)."""
    from industry_brain.ledger import verify_log
    from industry_brain.ledger._messages import MESSAGES

    report = verify_log(log, _key(vkey), [_key(w) for w in witness_vkey or []])

    def render(c):  # type: ignore[no-untyped-def]
        if report.ok:
            c.print(
                MESSAGES.t(
                    "verify_ok",
                    origin=report.origin,
                    size=report.size,
                    root=report.root,
                    files=report.files_checked,
                )
            )
        if report.leftovers:
            c.print(MESSAGES.t("leftovers", count=len(report.leftovers)))

    emit(report.to_dict(), as_json, render)
    if not report.ok:
        first = report.problems[0]
        typer.echo(
            MESSAGES.t("verify_failed", count=len(report.problems), file=first.file, message=first.message),
            err=True,
        )
        for p in report.problems[1:10]:
            typer.echo(f"  {p.file}: {p.message}", err=True)
        raise typer.Exit(3)


@app.command("prove")
def prove(
    log: LogOpt,
    index: Annotated[int, typer.Option("--index", help="Entry index (0-based).")],
    out: Annotated[
        Path | None, typer.Option("--out", dir_okay=False, help="Write the bundle here (default: stdout).")
    ] = None,
    timestamp: Annotated[
        list[Path] | None,
        typer.Option("--timestamp", help="RFC 3161 response (.tsr) over the entry (repeatable)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """生成离线证明包（条目 + 包含证明 + 检查点 + 副签） (write an offline proof bundle)."""
    from industry_brain._core.errors import InputError
    from industry_brain.ledger import Log, make_proof_bundle
    from industry_brain.ledger._messages import MESSAGES

    tokens: list[bytes] = []
    for t in timestamp or []:
        try:
            tokens.append(t.read_bytes())
        except OSError as exc:
            raise InputError(f"cannot read {str(t)!r}: {exc.strerror}", file=str(t)) from exc
    lg = Log.open(log)
    data = make_proof_bundle(lg, index, timestamps=tokens)
    if out is None:
        sys.stdout.write(data.decode("utf-8"))
        return
    out.write_bytes(data)
    import json

    size = json.loads(data)["tree_size"]
    emit(
        {"path": str(out), "index": index, "tree_size": size},
        as_json,
        lambda c: c.print(MESSAGES.t("bundle_written", path=out, index=index, size=size)),
    )


@app.command("verify-proof")
def verify_proof(
    file: Annotated[Path, typer.Argument(help="A proof bundle written by ib ledger prove.")],
    vkey: VkeyOpt,
    witness_vkey: WitnessOpt = None,
    quorum: Annotated[
        int | None, typer.Option(help="Witness cosignatures required (default: all given).")
    ] = None,
    tsa_chain: Annotated[
        Path | None, typer.Option("--tsa-chain", help="PEM chain of the trusted TSA.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """离线校验证明包（失败退出码 3） (verify a proof bundle offline; exit 3 on failure)."""
    from industry_brain._core.errors import InputError
    from industry_brain.ledger import verify_proof_bundle
    from industry_brain.ledger._messages import MESSAGES

    try:
        data = file.read_bytes()
        chain = tsa_chain.read_bytes() if tsa_chain else None
    except OSError as exc:
        raise InputError(f"cannot read {exc.filename!r}: {exc.strerror}", file=str(exc.filename)) from exc
    report = verify_proof_bundle(
        data, _key(vkey), [_key(w) for w in witness_vkey or []], quorum=quorum, tsa_chain_pem=chain
    )
    emit(
        report.to_dict(),
        as_json,
        lambda c: c.print(
            MESSAGES.t(
                "bundle_ok",
                index=report.index,
                origin=report.origin,
                size=report.tree_size,
                cosigs=len(report.cosignatures),
                stamps=len(report.timestamps) + report.timestamps_unchecked,
            )
        ),
    )


@app.command("witness")
def witness(
    log: LogOpt,
    key: Annotated[
        str, typer.Option("--key", help="The witness's cosigner key (keygen --witness), or its file.")
    ],
    state: Annotated[Path, typer.Option("--state", help="The witness's own state directory.")],
    vkey: Annotated[
        str | None,
        typer.Option("--vkey", help="The log's verifier key (needed on the first run; then pinned)."),
    ] = None,
    print_only: Annotated[
        bool, typer.Option("--print", help="Print the cosigned checkpoint instead of storing it in the log.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """见证：检查日志只增不改并副签检查点 (witness: check consistency, cosign the checkpoint)."""
    from industry_brain.ledger import witness_checkpoint
    from industry_brain.ledger._messages import MESSAGES

    result = witness_checkpoint(
        log, _key(key), state, log_vkey=_key(vkey) if vkey else None, store=not print_only
    )

    def render(c):  # type: ignore[no-untyped-def]
        if print_only:
            sys.stdout.write(result.cosigned)
        else:
            c.print(
                MESSAGES.t(
                    "witnessed",
                    witness=result.witness,
                    origin=result.origin,
                    size=result.new_size,
                    old=result.old_size if result.old_size is not None else "-",
                )
            )

    emit(result.to_dict(), as_json, render)
