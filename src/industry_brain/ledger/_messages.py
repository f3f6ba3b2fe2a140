"""zh-CN / en messages of the ledger shown to people (the CLI's human output)."""

from __future__ import annotations

from industry_brain._core.i18n import Catalog

MESSAGES = Catalog(
    {
        "created": (
            "已创建日志 {origin}（目录 {directory}），大小 0",
            "created log {origin} in {directory}, size 0",
        ),
        "appended": (
            "已追加 {count} 条（序号 {first}–{last}），日志大小 {size}，检查点已签名并落盘",
            "appended {count} entries ({first}-{last}); log size {size}; checkpoint signed and durable",
        ),
        "appended_none": ("没有可追加的条目", "nothing to append"),
        "verify_ok": (
            "日志完整：{origin}，{size} 条，根哈希 {root}，检查了 {files} 个文件",
            "log verifies: {origin}, {size} entries, root {root}, {files} files checked",
        ),
        "verify_failed": (
            "日志校验失败（{count} 处问题）：{file}：{message}",
            "log does not verify ({count} problem(s)): {file}: {message}",
        ),
        "leftovers": (
            "另有 {count} 个未提交的残留文件（中断的批次，下次写入时清理）",
            "{count} uncommitted leftover file(s) from an interrupted batch (removed by the next writer)",
        ),
        "bundle_written": (
            "证明包已写入 {path}（条目 {index}，树大小 {size}）",
            "proof bundle written to {path} (entry {index}, tree size {size})",
        ),
        "bundle_ok": (
            "证明有效：条目 {index} 在 {origin} 大小 {size} 的树中；见证副签 {cosigs} 个；时间戳 {stamps} 个",
            "proof verifies: entry {index} is in {origin} at size {size}; {cosigs} cosignature(s); "
            "{stamps} timestamp(s)",
        ),
        "witnessed": (
            "见证方 {witness} 已副签 {origin} 大小 {size}（上次 {old}）",
            "witness {witness} cosigned {origin} at size {size} (previously {old})",
        ),
        "keygen": ("签名私钥（保密）与验证公钥：", "signer key (keep secret) and verifier key:"),
    }
)
