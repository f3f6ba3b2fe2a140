"""Say clearly which system packages the tests need and are missing (`make test` runs this first).

Browser tests need Debian's ``chromium``, Chinese charts need ``fonts-noto-cjk`` and the PDF checks read
reports back with ``poppler-utils``. Outside CI a missing one is a
warning and the tests that need it are skipped with that reason; in CI (``CI=true``) it is an error.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

NEEDS = {
    "chromium": ("headless browser for end-to-end page tests", lambda: shutil.which("chromium") is not None),
    "fonts-noto-cjk": (
        "Chinese font for maps, charts and PDF reports",
        lambda: "Noto Sans CJK" in subprocess.run(["fc-list"], capture_output=True, text=True).stdout
        if shutil.which("fc-list") else False,
    ),
    "poppler-utils": (
        "pdftotext and pdffonts, to read generated PDF reports back in tests",
        lambda: shutil.which("pdftotext") is not None and shutil.which("pdffonts") is not None,
    ),
}


def main() -> int:
    missing = [(name, why) for name, (why, present) in NEEDS.items() if not present()]
    if not missing:
        return 0
    for name, why in missing:
        print(f"missing system package {name!r}: {why}", file=sys.stderr)
    print("install with: apt-get update && apt-get install -y " + " ".join(n for n, _ in missing), file=sys.stderr)
    if os.environ.get("CI"):
        return 1
    print("continuing: the tests that need them will be skipped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
