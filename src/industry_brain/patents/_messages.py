"""zh-CN / en messages of the patents context, and the two ways a submission is refused.

Every refusal carries a stable ASCII ``rule`` code (pinned by tests), the message in both languages, and the
entry it concerns. A rule broken by the *content* of a submission is a :class:`ConflictError`; a signature,
key or hash that does not check is an :class:`IntegrityError`.
"""

from __future__ import annotations

from typing import Any

from industry_brain._core.errors import ConflictError, IntegrityError, ParseError
from industry_brain._core.i18n import Catalog

MESSAGES = Catalog(
    {
        # parsing
        "entry_not_json": ("条目不是有效的 UTF-8 JSON：{detail}", "entry is not valid UTF-8 JSON: {detail}"),
        "entry_invalid": ("条目字段无效：{detail}", "invalid entry fields: {detail}"),
        "entry_type_unknown": (
            "未知的条目类型 {value!r}，应为 {expected}",
            "unknown entry type {value!r}, expected one of {expected}",
        ),
        "entry_version_unknown": (
            "条目 {type} 的版本 {value!r} 不受支持，应为 {expected}",
            "entry {type} has unsupported schema version {value!r}, expected {expected}",
        ),
        "entry_not_canonical": (
            "条目字节不是 RFC 8785 规范 JSON",
            "entry bytes are not RFC 8785 canonical JSON",
        ),
        "draft_not_object": ("草稿 {file} 应为 JSON 对象", "draft {file} must be a JSON object"),
        # keys and signatures
        "key_file_invalid": ("密钥文件 {file} 无效：{detail}", "key file {file} is invalid: {detail}"),
        "key_unknown": ("未登记的密钥 {key_id!r}（当事人 {party!r}）", "unknown key {key_id!r} (party {party!r})"),
        "key_revoked": (
            "密钥 {key_id!r} 已于条目 #{at} 失效（{state}），不能再签名",
            "key {key_id!r} was {state} at entry #{at} and may no longer sign",
        ),
        "key_wrong_party": (
            "密钥 {key_id!r} 属于 {owner!r}，不属于 {party!r}",
            "key {key_id!r} belongs to {owner!r}, not {party!r}",
        ),
        "signature_invalid": (
            "当事人 {party!r} 的签名（密钥 {key_id!r}）验证失败",
            "signature of {party!r} (key {key_id!r}) does not verify",
        ),
        "signature_missing": (
            "缺少当事人 {missing} 的签名（{type} 需要 {required} 签名）",
            "missing signature of {missing} ({type} needs signatures of {required})",
        ),
        "signer_unexpected": (
            "当事人 {party!r} 不是 {type} 的签署方（应为 {required}）",
            "party {party!r} is not a signer of {type} (expected {required})",
        ),
        "signature_duplicate": ("当事人 {party!r} 重复签名", "party {party!r} signed twice"),
        "nonce_replayed": (
            "随机数 {nonce!r} 已在条目 #{at} 使用：疑为重放",
            "nonce {nonce!r} was already used by entry #{at}: replay refused",
        ),
        "time_backwards": (
            "条目时间 {at} 早于上一条目的时间 {last}",
            "entry time {at} is earlier than the previous entry's time {last}",
        ),
        "time_future": ("条目时间 {at} 晚于当前时间 {now}", "entry time {at} is later than now ({now})"),
        "genesis_misplaced": (
            "创世条目只能是日志的第一条（此处为 #{index}）",
            "the genesis entry must be the log's first entry (this is #{index})",
        ),
        "genesis_missing": (
            "日志的第一条必须是创世条目（知识产权局根密钥），实为 {type}",
            "the log's first entry must be the genesis entry (the IP office's root key), found {type}",
        ),
        "party_exists": ("当事人 {party!r} 已登记（条目 #{at}）", "party {party!r} is already registered (entry #{at})"),
        "party_unknown": ("当事人 {party!r} 未登记", "party {party!r} is not registered"),
        "key_exists": ("公钥 {key_id!r} 已登记（条目 #{at}）", "public key {key_id!r} is already registered (entry #{at})"),
        "key_public_invalid": ("公钥不是 32 字节 Ed25519 公钥：{detail}", "not a 32-byte Ed25519 public key: {detail}"),
        "office_only": ("{type} 只能由知识产权局签署", "{type} may be signed by the IP office only"),
        # priority
        "claim_duplicate": (
            "该承诺值已在条目 #{at} 主张优先权",
            "this commitment already claimed priority at entry #{at}",
        ),
        "claim_unknown": ("条目 #{claim} 不是优先权主张", "entry #{claim} is not a priority claim"),
        "claim_revealed": ("优先权主张 #{claim} 已在条目 #{at} 披露", "priority claim #{claim} was revealed at entry #{at}"),
        "reveal_mismatch": (
            "披露内容与优先权主张 #{claim} 的承诺值不符",
            "the revealed disclosure does not match the commitment of priority claim #{claim}",
        ),
        "tsa_token_invalid": ("RFC 3161 时间戳令牌无效：{detail}", "invalid RFC 3161 timestamp token: {detail}"),
        "tsa_token_mismatch": (
            "时间戳令牌的消息摘要 {imprint} 与承诺值 {commitment} 不符",
            "timestamp token imprint {imprint} does not match the commitment {commitment}",
        ),
        # patents, owners
        "patent_exists": ("专利 {patent_no!r} 已登记（条目 #{at}）", "patent {patent_no!r} is already recorded (entry #{at})"),
        "patent_unknown": ("专利 {patent_no!r} 未登记", "patent {patent_no!r} is not recorded"),
        "patent_lapsed": (
            "专利 {patent_no!r} 已于 {expires_on} 期满失效",
            "patent {patent_no!r} lapsed on {expires_on}",
        ),
        "shares_not_100": (
            "{what} 份额合计 {total} 个基点，应为 10000（100%）",
            "{what} shares sum to {total} basis points, expected 10000 (100 %)",
        ),
        "party_repeated": ("当事人 {party!r} 在 {what} 中重复出现", "party {party!r} appears twice in {what}"),
        "dates_reversed": ("{what}：结束日 {end} 不晚于开始日 {start}", "{what}: end {end} is not after start {start}"),
        "claim_not_inventor": (
            "优先权主张 #{claim} 的主张人 {party!r} 不是该专利的发明人或权利人",
            "claimant {party!r} of priority claim #{claim} is neither inventor nor owner of the patent",
        ),
        # assignment
        "assignor_not_owner": (
            "转让人 {party!r} 不是专利 {patent_no!r} 的权利人",
            "assignor {party!r} is not an owner of patent {patent_no!r}",
        ),
        "assignor_share_short": (
            "转让人 {party!r} 仅持有专利 {patent_no!r} 的 {held} 个基点，不能转让 {wanted} 个基点",
            "assignor {party!r} holds {held} basis points of {patent_no!r}, cannot assign {wanted}",
        ),
        "already_transferred": (
            "专利 {patent_no!r} 中 {party!r} 的份额已由条目 #{at} 转让（待确认或已生效），不能再次转让",
            "the share of {party!r} in {patent_no!r} was already transferred by entry #{at} (pending or effective)",
        ),
        "assignment_unbalanced": (
            "转让份额 {given} 与受让份额 {taken} 不相等",
            "assigned shares {given} and acquired shares {taken} differ",
        ),
        "assignment_self": ("{party!r} 不能既是转让人又是受让人", "{party!r} cannot be both assignor and assignee"),
        "target_unknown": ("条目 #{target} 不是待确认的转让或许可", "entry #{target} is not a pending assignment or licence"),
        "target_settled": ("条目 #{target} 已在条目 #{at} {state}", "entry #{target} was already {state} at entry #{at}"),
        # licences
        "licensors_not_owners": (
            "许可人 {licensors} 必须是专利 {patent_no!r} 的全体权利人 {owners}",
            "licensors {licensors} must be all owners {owners} of patent {patent_no!r}",
        ),
        "licence_expired": (
            "许可期限 {start}–{end} 已于 {today} 前届满",
            "licence term {start}–{end} had ended by {today}",
        ),
        "licence_beyond_patent": (
            "许可期限结束日 {end} 晚于专利期满日 {expires_on}",
            "licence term ends {end}, after the patent lapses on {expires_on}",
        ),
        "licence_overlap": (
            "与条目 #{other} 的{other_kind}许可在地域 {territory} × 领域 {field} × 期限 {start}–{end} 上重叠",
            "overlaps the {other_kind} licence of entry #{other} in territory {territory} × field {field} × term {start}–{end}",
        ),
        "licence_unknown": ("条目 #{licence} 不是已生效的许可", "entry #{licence} is not an effective licence"),
        "payer_not_licensee": (
            "付款人 {party!r} 不是许可 #{licence} 的被许可人 {licensee!r}",
            "payer {party!r} is not the licensee {licensee!r} of licence #{licence}",
        ),
        "period_outside_licence": (
            "付款期间 {start}–{end} 超出许可期限 {lstart}–{lend}（许可已届满或尚未开始）",
            "payment period {start}–{end} lies outside the licence term {lstart}–{lend} (expired or not yet started)",
        ),
        "distribution_mismatch": (
            "分配方案 {given} 与按份额的最大余额法结果 {expected} 不符",
            "distribution {given} differs from the largest-remainder split by shares {expected}",
        ),
        "no_agreement": (
            "专利 {patent_no!r} 没有发明人贡献份额协议，不能按贡献分配",
            "patent {patent_no!r} has no co-inventor contribution agreement to split by",
        ),
        # contributions
        "contributor_not_inventor": (
            "{party!r} 不是 {subject} 的发明人/主张人",
            "{party!r} is not an inventor/claimant of {subject}",
        ),
        "contribution_missing": (
            "{party!r} 没有关于 {subject} 的贡献记录",
            "{party!r} has no contribution record for {subject}",
        ),
        "subject_missing": ("贡献记录必须指明专利号或优先权主张", "a contribution must name a patent or a priority claim"),
        # trading
        "trade_unknown": ("条目 #{target} 不是交易（要约、拍卖或招标）", "entry #{target} is not a trade (offer, auction or tender)"),
        "trade_closed": (
            "交易 #{target} 已于 {closes_at} 截止（或已授予）",
            "trade #{target} closed at {closes_at} (or was awarded)",
        ),
        "trade_open": ("交易 #{target} 尚未截止（{closes_at}）", "trade #{target} is still open until {closes_at}"),
        "bid_too_low": (
            "出价 {amount} 分低于最低可接受价 {minimum} 分",
            "bid of {amount} fen is below the lowest acceptable {minimum} fen",
        ),
        "bid_mode": ("交易 #{target} 的方式为 {mode}，不接受 {type}", "trade #{target} is a {mode}; {type} is not accepted"),
        "bid_by_seller": ("卖方 {party!r} 不能对自己的交易出价", "seller {party!r} cannot bid on their own trade"),
        "bid_unknown": ("条目 #{bid} 不是交易 #{target} 的出价", "entry #{bid} is not a bid on trade #{target}"),
        "seal_duplicate": ("{party!r} 已在条目 #{at} 提交密封出价", "{party!r} already sealed a bid at entry #{at}"),
        "reveal_window": (
            "密封出价只能在 {closes_at} 至 {reveal_until} 之间揭示",
            "sealed bids are revealed between {closes_at} and {reveal_until} only",
        ),
        "seal_mismatch": ("揭示的出价与密封承诺 #{bid} 不符", "revealed bid does not match the sealed commitment #{bid}"),
        "award_not_best": (
            "{mode} 必须授予最高有效出价 #{best}（{amount} 分），而非 #{bid}",
            "a {mode} must be awarded to the best valid bid #{best} ({amount} fen), not #{bid}",
        ),
        "award_no_bids": ("交易 #{target} 没有有效出价", "trade #{target} has no valid bid"),
        "award_mismatch": (
            "成交 #{award} 的中标人/标的与本条目不符：{detail}",
            "award #{award} does not match this entry: {detail}",
        ),
        "tender_patent": (
            "投标人 {party!r} 不是投标专利 {patent_no!r} 的权利人",
            "bidder {party!r} does not own the tendered patent {patent_no!r}",
        ),
        "offer_not_owner": (
            "卖方 {party!r} 不持有专利 {patent_no!r} 的足够份额",
            "seller {party!r} does not hold enough of patent {patent_no!r}",
        ),
        "bid_over_budget": (
            "投标价 {amount} 分超过招标预算 {budget} 分",
            "tender bid of {amount} fen exceeds the budget of {budget} fen",
        ),
        "award_used": ("成交 #{award} 已由条目 #{at} 执行", "award #{award} was already executed by entry #{at}"),
        "offer_terms": ("要约条款不完整：{detail}", "incomplete offer terms: {detail}"),
        # evidence, citations, access
        "evidence_duplicate": ("{party!r} 已在条目 #{at} 提交同一证据", "{party!r} already filed the same evidence at entry #{at}"),
        "citation_self": ("专利 {patent_no!r} 不能引用自己", "patent {patent_no!r} cannot cite itself"),
        "citation_duplicate": ("引用 {citing} → {cited} 已在条目 #{at} 记录", "citation {citing} → {cited} already recorded at entry #{at}"),
        "citation_later": (
            "被引专利 {cited} 的申请日 {cited_on} 晚于施引专利的申请日 {citing_on}",
            "cited patent {cited} was filed {cited_on}, after the citing patent ({citing_on})",
        ),
        "citation_external": (
            "被引专利 {cited!r} 不在日志上，须给出 cited_ipc 和 cited_filed_on",
            "cited patent {cited!r} is not on the log: give cited_ipc and cited_filed_on",
        ),
        "item_not_protected": (
            "条目 #{item} 不是可受保护的项目（优先权主张、证据或贡献记录）",
            "entry #{item} is not a protected item (priority claim, evidence or contribution)",
        ),
        "request_unknown": ("条目 #{request} 不是查阅申请", "entry #{request} is not an access request"),
        "grantor_not_holder": (
            "{party!r} 不是项目 #{item} 的持有人 {holders}",
            "{party!r} is not a holder {holders} of item #{item}",
        ),
        "request_granted": ("查阅申请 #{request} 已在条目 #{at} 获准", "access request #{request} was granted at entry #{at}"),
        "grant_unknown": ("条目 #{grant} 不是查阅许可", "entry #{grant} is not an access grant"),
        "grant_expired": ("查阅许可 #{grant} 已于 {expires_at} 过期", "access grant #{grant} expired at {expires_at}"),
        "accessor_not_requester": (
            "{party!r} 不是查阅许可 #{grant} 的申请人 {requester!r}",
            "{party!r} is not the requester {requester!r} of access grant #{grant}",
        ),
        # verification over a log
        "entry_at": ("条目 #{index}：{reason}", "entry #{index}: {reason}"),
        "evidence_hash_mismatch": (
            "文件 {file} 的 SHA-256 {actual} 与证据条目中的 {expected} 不符",
            "file {file} has SHA-256 {actual}, the evidence entry says {expected}",
        ),
        "bundle_not_evidence": ("证明包中的条目是 {type}，不是证据", "the bundle's entry is a {type}, not evidence"),
        "id_unknown": (
            "{value!r} 既不是条目编号，也不是已登记的专利号",
            "{value!r} is neither an entry number nor a recorded patent number",
        ),
        "log_empty": ("日志 {log} 没有专利条目，请先 ib patents init", "log {log} has no patent entries: run ib patents init"),
        # warnings
        "warn_similar": (
            "与有效专利 {patent_no!r}《{title}》相似度 {score:.2f}",
            "similar ({score:.2f}) to in-force patent {patent_no!r} ({title})",
        ),
        "warn_burst": (
            "{party!r} 在 {days} 天内提交了 {count} 件优先权主张（阈值 {threshold}）：疑似抢注",
            "{party!r} filed {count} priority claims within {days} days (threshold {threshold}): possible mass pre-registration",
        ),
    }
)


def _message(code: str, values: dict[str, Any]) -> tuple[str, dict[str, str]]:
    return MESSAGES.t(code, **values), MESSAGES.both(code, **values)


def conflict(code: str, /, **values: Any) -> ConflictError:
    """A refusal: the submission breaks a rule of the state."""
    text, both = _message(code, values)
    return ConflictError(text, rule=code, reason=both)


def integrity(code: str, /, **values: Any) -> IntegrityError:
    """A refusal: a signature, key, hash or proof does not check."""
    text, both = _message(code, values)
    return IntegrityError(text, rule=code, reason=both)


def parse_error(code: str, /, **values: Any) -> ParseError:
    """Bytes or a draft that are not a well-formed entry."""
    text, both = _message(code, values)
    return ParseError(text, rule=code, reason=both)
