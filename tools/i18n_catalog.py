"""Message catalogs: list the message ids in the code, compile .po files to .mo.

    python tools/i18n_catalog.py check     # ids in the code without a Vietnamese translation
    python tools/i18n_catalog.py compile   # write locale/*/LC_MESSAGES/vanthu.mo
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

SRC = Path(__file__).resolve().parent.parent / "src" / "vanthu"
LOCALE = SRC / "locale"


def message_ids() -> set[str]:
    """String literals passed to _() or N_() anywhere in the package."""
    found = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "N_")
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.add(node.args[0].value)
    for path in SRC.rglob("templates/*.html"):  # the web application's Jinja templates: {{ _("…") }}
        text = path.read_text(encoding="utf-8")
        found.update(m.group(2) for m in re.finditer(r"""\b_\((["'])(.*?)\1\)""", text))
    return found


def catalog(lang: str):
    with open(LOCALE / lang / "LC_MESSAGES" / "vanthu.po", "rb") as handle:
        return read_po(handle, locale=lang)


def compiled_bytes(lang: str) -> bytes:
    import io

    buffer = io.BytesIO()
    write_mo(buffer, catalog(lang), use_fuzzy=False)
    return buffer.getvalue()


def main(command: str) -> int:
    if command == "check":
        vi = catalog("vi")
        ids = message_ids()
        missing = sorted(m for m in ids if not (vi.get(m) and vi.get(m).string))
        obsolete = sorted(m.id for m in vi if m.id and m.id not in ids)
        for message in missing:
            print(message)
        for message in obsolete:
            print(f"obsolete: {message}")
        return 1 if missing or obsolete else 0
    if command == "compile":
        for po in sorted(LOCALE.glob("*/LC_MESSAGES/vanthu.po")):
            lang = po.parent.parent.name
            po.with_suffix(".mo").write_bytes(compiled_bytes(lang))
            print(f"compiled {po.with_suffix('.mo')}")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else ""))
