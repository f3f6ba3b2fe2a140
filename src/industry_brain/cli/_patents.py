"""``ib patents``: patent rights on the tamper-evident log (priority, transfers, licences, trading, royalties)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from industry_brain.cli._output import JsonOpt, emit

app = typer.Typer(no_args_is_help=True, help="专利权利记录 (patent rights on the ledger)")

LogOpt = Annotated[Path, typer.Option("--log", help="The log directory (tlog-tiles).")]
KeysOpt = Annotated[
    Path | None, typer.Option("--keys", help="Folder of private keys (default <IB_HOME>/keys).")
]
LogKeyOpt = Annotated[
    Path | None,
    typer.Option("--log-key", help="The log operator's signer key file (default <IB_HOME>/keys/log.skey)."),
]


def _keys_dir(keys: Path | None) -> Path:
    from industry_brain._core.settings import get_settings

    return keys if keys is not None else get_settings().home / "keys"


def _read_text(path: Path) -> str:
    from industry_brain._core.errors import InputError

    try:
        return path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {str(path)!r}: {exc}", file=str(path)) from None


def _read_bytes(path: Path) -> bytes:
    from industry_brain._core.errors import InputError

    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {str(path)!r}: {exc.strerror}", file=str(path)) from None


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _dump(payload: Any) -> str:
    from industry_brain.cli._output import dumps

    return dumps(payload) + "\n"


def _open(log: Path, log_key: Path | None = None, writer: bool = False) -> Any:
    from industry_brain.patents import PatentBook

    skey = _read_text(log_key or _keys_dir(None) / "log.skey") if writer else None
    return PatentBook.open(log, log_signer_key=skey)


@app.command("init")
def init(
    log: LogOpt,
    keys: KeysOpt = None,
    office: Annotated[str, typer.Option(help="The IP office's party id (root of trust).")] = "ipo",
    office_name: Annotated[str, typer.Option("--office-name", help="Its display name.")] = "知识产权局",
    origin: Annotated[str | None, typer.Option(help="The log's origin line (its key name).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """创建专利日志：日志签名密钥、知识产权局根密钥与创世条目 (create a patent log and the office's root key)."""
    import os

    from industry_brain.ledger import generate_key
    from industry_brain.patents import DEFAULT_ORIGIN, PatentBook, generate_party_key, write_key_files

    folder = _keys_dir(keys)
    name = origin or DEFAULT_ORIGIN
    skey, vkey = generate_key(name)
    office_key = generate_party_key(office)
    skey_path, vkey_path = folder / "log.skey", folder / "log.vkey"
    folder.mkdir(parents=True, exist_ok=True)
    if skey_path.exists():
        from industry_brain._core.errors import ConflictError

        raise ConflictError(f"key file {str(skey_path)!r} already exists; not overwriting", file=str(skey_path))
    private, public = write_key_files(office_key, folder)
    fd = os.open(skey_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(skey + "\n")
    _write(vkey_path, vkey + "\n")
    with PatentBook.create(log, log_signer_key=skey, office=office_key, office_name=office_name, origin=name) as book:
        size = book.size
    payload = {"log": str(log), "origin": name, "size": size, "verifier_key": vkey, "office": office,
               "office_key_id": office_key.key_id, "files": {"log_signer_key": str(skey_path),
               "log_verifier_key": str(vkey_path), "office_key": str(private), "office_public_key": str(public)}}
    emit(payload, as_json, lambda c: c.print(
        f"已创建日志 created log {log} (origin {name})\n日志验证公钥 verifier key: {vkey}\n"
        f"知识产权局根密钥 office key: {private}"))


@app.command("keygen")
def keygen(
    party: Annotated[str, typer.Argument(help="Party id: lowercase ASCII, digits, _.:@-")],
    out: Annotated[Path | None, typer.Option("--out", file_okay=False, help="Folder for <party>.key and <party>.pub.")] = None,
    name: Annotated[str | None, typer.Option(help="Display name for the registration draft.")] = None,
    uscc: Annotated[str | None, typer.Option(help="统一社会信用代码 of an enterprise party.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """生成当事人签名密钥及登记草稿 (generate a party's Ed25519 key and its key_register draft)."""
    from industry_brain.patents import generate_party_key, write_key_files

    key = generate_party_key(party)
    private, public = write_key_files(key, _keys_dir(out))
    body: dict[str, Any] = {"party": party, "public_key": key.public_b64}
    if name:
        body["name"] = name
    if uscc:
        body["uscc"] = uscc
    payload = {"party": party, "key_id": key.key_id, "private_key_file": str(private),
               "public_key_file": str(public), "register_draft": {"type": "key_register", "body": body}}
    emit(payload, as_json, lambda c: c.print(f"{party}: key {key.key_id}\n  {private}\n  {public}"))


def _draft(file: Path) -> dict[str, Any]:
    from industry_brain.patents import parse_draft

    return parse_draft(_read_bytes(file), file=str(file))


@app.command("sign")
def sign(
    file: Annotated[Path, typer.Argument(help="A JSON entry draft (type, body; optional nonce, at, sigs).")],
    key: Annotated[list[Path], typer.Option("--key", help="Private key file (repeatable).")],
    out: Annotated[Path | None, typer.Option("-o", "--out", dir_okay=False, help="Write the signed draft here (default: stdout).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """为草稿签名（各方可分别签署同一草稿）(add signatures to a draft; parties can sign one by one)."""
    from industry_brain.patents import load_key, prepare_entry

    entry = prepare_entry(_draft(file), [load_key(k) for k in key])
    text = _dump(entry.to_dict())
    if out is not None:
        _write(out, text)
    if out is None or as_json:
        typer.echo(text, nl=False)


@app.command("submit")
def submit(
    file: Annotated[Path, typer.Argument(help="A JSON entry draft; it is completed, signed and canonicalised.")],
    log: LogOpt,
    key: Annotated[list[Path] | None, typer.Option("--key", help="Private key file (repeatable).")] = None,
    log_key: LogKeyOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """检查规则并写入日志 (check every rule and append; a refused entry never enters the log)."""
    from industry_brain.patents import fill_distribution, load_key, prepare_entry

    keys = [load_key(k) for k in key or []]
    with _open(log, log_key, writer=True) as book:
        entry = prepare_entry(fill_distribution(book.state(), _draft(file)), keys)
        result = book.submit(entry)

    def render(c: Any) -> None:
        c.print(f"已写入 appended #{result.index} ({result.entry.type})")
        for w in result.warnings:
            c.print(f"[yellow]预警 warning[/yellow]: {w['message']['zh']} / {w['message']['en']}")

    emit(result.to_dict(), as_json, render)


def _resolve(book: Any, value: str) -> tuple[str, Any]:
    from industry_brain._core.errors import NotFoundError
    from industry_brain.patents import MESSAGES

    state = book.state()
    if value.isdigit():
        return "entry", int(value)
    if value in state.ledger.patents:
        return "patent", value
    raise NotFoundError(MESSAGES.t("id_unknown", value=value), field="id", value=value)


@app.command("show")
def show(
    id_: Annotated[str, typer.Argument(metavar="ID", help="An entry number or a patent number.")],
    log: LogOpt,
    as_json: JsonOpt = False,
) -> None:
    """显示条目或专利的当前状态 (show an entry, or a patent's current owners, licences and trades)."""
    from industry_brain.patents import entry_status, patent_view

    with _open(log) as book:
        kind, key = _resolve(book, id_)
        state = book.state()
        if kind == "entry":
            payload = {"index": key, "entry": book.entry(key).to_dict(), "status": entry_status(state, key)}
        else:
            payload = patent_view(state, key)

    def render(c: Any) -> None:
        if kind == "entry":
            c.print(f"#{key} {payload['entry']['type']} @ {payload['entry']['at']}")
            c.print(_dump(payload["entry"]["body"]))
            return
        c.print(f"{payload['patent_no']} 《{payload['title']}》 IPC {' '.join(payload['ipc'])}")
        c.print("权利人 owners: " + ", ".join(f"{o['party']} {o['share_bp'] / 100:.2f}%" for o in payload["owners"]))
        for lic in payload["licences"]:
            c.print(f"许可 licence #{lic['entry']} {lic['kind']} → {lic['licensee']} {lic['start']}–{lic['end']} "
                    f"({lic['status']})")

    emit(payload, as_json, render)


@app.command("history")
def history_(
    id_: Annotated[str, typer.Argument(metavar="ID", help="A patent number.")],
    log: LogOpt,
    as_json: JsonOpt = False,
) -> None:
    """专利的全部相关条目（按日志顺序）(every entry concerning a patent, in log order)."""
    from industry_brain.patents import history

    with _open(log) as book:
        kind, key = _resolve(book, id_)
        state = book.state()
        if kind == "entry":
            from industry_brain.patents import entry_status

            numbers = [key]
            patents = entry_status(state, key)["patents"]
            if patents:
                numbers = history(state, patents[0])
        else:
            numbers = history(state, key)
        rows = [{"index": i, "type": (e := book.entry(i)).type, "at": e.at,
                 "signers": [s.party for s in e.sigs]} for i in numbers]

    def render(c: Any) -> None:
        for r in rows:
            c.print(f"#{r['index']:>5}  {r['at']}  {r['type']:<22} {', '.join(r['signers'])}")

    emit(rows, as_json, render)


@app.command("state")
def state_(log: LogOpt, as_json: JsonOpt = False) -> None:
    """当前状态：当事人与密钥、专利权属、余额、进行中的交易 (parties and keys, owners, balances, open trades)."""
    from industry_brain.patents import summary

    with _open(log) as book:
        payload = summary(book.state())

    def render(c: Any) -> None:
        c.print(f"条目 entries: {payload['size']}  知识产权局 office: {payload['office']}")
        for p in payload["patents"]:
            c.print(f"{p['patent_no']} {p['title']}: " + ", ".join(f"{o['party']} {o['share_bp']}bp" for o in p["owners"]))
        for b in payload["balances"]:
            c.print(f"余额 balance {b['party']}: 收 received {b['received_fen'] / 100:.2f} 元, 付 paid {b['paid_fen'] / 100:.2f} 元")
        for t in payload["open_trades"]:
            c.print(f"进行中 open trade #{t['entry']} {t['kind']} ({len(t['bids'])} bids)")

    emit(payload, as_json, render)


@app.command("quality")
def quality_(log: LogOpt, as_json: JsonOpt = False) -> None:
    """OECD 专利质量指标（同申请年×领域内归一）(OECD patent-quality indicators from citation entries)."""
    from rich.table import Table

    from industry_brain.patents import quality

    with _open(log) as book:
        rows = quality(book.state())

    def render(c: Any) -> None:
        table = Table("专利 patent", "队列 cohort", "5年被引 fwd5", "引用 bwd", "通用性 gen", "原创性 orig",
                      "激进性 rad", "综合 composite")

        def fmt(v: float | None) -> str:
            return "—" if v is None else f"{v:.3f}"

        for r in rows:
            table.add_row(r.patent_no, f"{r.cohort_year}×{r.cohort_field}", str(r.forward_5y), str(r.backward),
                          fmt(r.generality), fmt(r.originality), fmt(r.radicalness), fmt(r.composite))
        c.print(table)

    emit([r.to_dict() for r in rows], as_json, render)


@app.command("warnings")
def warnings_(
    log: LogOpt,
    text: Annotated[str | None, typer.Option(help="Also compare this product/record text with in-force patents.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """预警：疑似抢注的优先权主张激增；与有效专利相似的文本 (bursts of priority claims; similar texts)."""
    from industry_brain.patents import priority_bursts, similar_patents

    with _open(log) as book:
        state = book.state()
        payload = {"bursts": [b.to_dict() for b in priority_bursts(state)],
                   "similar": [s.to_dict() for s in similar_patents(state, text)] if text else []}

    def render(c: Any) -> None:
        for b in payload["bursts"]:
            c.print(f"抢注预警 burst: {b['party']} {b['count']} claims {b['window_start']}–{b['window_end']}")
        for s in payload["similar"]:
            c.print(f"相似 similar: {s['patent_no']} 《{s['title']}》 {s['score']:.2f}")
        if not payload["bursts"] and not payload["similar"]:
            c.print("无预警 no warnings")

    emit(payload, as_json, render)


@app.command("evidence")
def evidence(
    file: Annotated[Path, typer.Argument(help="The evidence file (it stays with you; only its hash is recorded).")],
    submitter: Annotated[str, typer.Option(help="Party id of the submitter.")],
    description: Annotated[str, typer.Option(help="What the file shows.")],
    patent: Annotated[str | None, typer.Option("--patent", help="The patent concerned.")] = None,
    out: Annotated[Path | None, typer.Option("-o", "--out", dir_okay=False, help="Write the draft here.")] = None,
    log: Annotated[Path | None, typer.Option("--log", help="Submit to this log at once (with --key).")] = None,
    key: Annotated[list[Path] | None, typer.Option("--key", help="Private key file to sign with.")] = None,
    log_key: LogKeyOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """证据存证：计算文件哈希并生成证据条目 (hash an evidence file into an evidence entry draft, or submit it)."""
    from industry_brain.patents import evidence_draft, load_key, prepare_entry

    draft = evidence_draft(file, submitter=submitter, description=description, patent_no=patent)
    if out is not None:
        _write(out, _dump(draft))
    payload: dict[str, Any] = {"draft": draft}
    if log is not None:
        entry = prepare_entry(draft, [load_key(k) for k in key or []])
        with _open(log, log_key, writer=True) as book:
            payload["submitted"] = book.submit(entry).to_dict()
    emit(payload, as_json, lambda c: c.print(
        f"SHA-256 {draft['body']['file_sha256']}" + (f" → #{payload['submitted']['index']}" if log else "")))


@app.command("commit")
def commit(
    file: Annotated[Path, typer.Argument(help="The disclosure (kept secret; only a salted hash is recorded).")],
    claimant: Annotated[list[str], typer.Option("--claimant", help="Party id of a claimant (repeatable).")],
    secret_out: Annotated[Path, typer.Option("--secret-out", dir_okay=False, help="Where to keep the salt for the later reveal.")],
    out: Annotated[Path | None, typer.Option("-o", "--out", dir_okay=False, help="Write the priority-claim draft here.")] = None,
    label: Annotated[str | None, typer.Option(help="A public label (no secrets).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """优先权主张草稿：加盐哈希承诺，日后披露可证 (a priority-claim draft: salted commitment; keep the secret)."""
    import os

    from industry_brain.patents import priority_draft

    draft, secret = priority_draft(file, claimants=claimant, label=label)
    secret_out.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(secret_out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(_dump(secret))
    if out is not None:
        _write(out, _dump(draft))
    emit({"draft": draft, "secret_file": str(secret_out)}, as_json,
         lambda c: c.print(f"commitment {draft['body']['commitment']} (secret in {secret_out})"))


@app.command("prove")
def prove(
    id_: Annotated[int, typer.Argument(metavar="ID", help="The entry number.")],
    log: LogOpt,
    out: Annotated[Path, typer.Option("-o", "--out", dir_okay=False, help="Write the proof bundle here.")],
    as_json: JsonOpt = False,
) -> None:
    """生成离线证明包（第三方用 ib ledger verify-proof 核验）(an offline proof bundle for one entry)."""
    with _open(log) as book:
        entry = book.entry(id_)
        data = book.prove(id_)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    emit({"index": id_, "type": entry.type, "bundle": str(out), "bytes": len(data)}, as_json,
         lambda c: c.print(f"证明包 bundle for #{id_} ({entry.type}) → {out}"))


@app.command("check-evidence")
def check_evidence(
    bundle: Annotated[Path, typer.Argument(help="A proof bundle of an evidence entry.")],
    file: Annotated[Path, typer.Argument(help="The evidence file to compare.")],
    vkey: Annotated[str, typer.Option("--vkey", help="The log's verifier key, or a file holding it.")],
    as_json: JsonOpt = False,
) -> None:
    """核验证据：证明包有效且文件哈希与证据条目一致 (a bundle proves the entry; the file matches it)."""
    from industry_brain.patents import check_evidence_bundle

    key = vkey.strip() if "+" in vkey and not Path(vkey).exists() else _read_text(Path(vkey))
    result = check_evidence_bundle(_read_bytes(bundle), file, key)
    emit(result, as_json, lambda c: c.print(
        f"一致 match: {file} = entry #{result['index']} by {result['submitter']} at {result['at']}"))


@app.command("verify")
def verify(log: LogOpt, as_json: JsonOpt = False) -> None:
    """在重放中重新检查每条规则 (re-check every patent rule over the whole log)."""
    from industry_brain.patents import verify_rules

    report = verify_rules(log)
    emit(report.to_dict(), as_json, lambda c: c.print(
        f"规则核验 rules: {report.applied}/{report.size} entries ok"
        + "".join(f"\n#{p.index} {p.rule}: {p.reason['zh']}" for p in report.problems)))
    if not report.ok:
        first = report.problems[0]
        typer.echo(f"error: {len(report.problems)} entries break a rule; first #{first.index}: {first.reason['en']}",
                   err=True)
        raise typer.Exit(3)
