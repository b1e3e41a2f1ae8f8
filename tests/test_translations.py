"""The zh-TW catalogue is complete and compiled: every message in django.po has a translation in django.mo."""

import gettext
import re
from pathlib import Path

import civicplan

LOCALE = Path(civicplan.__file__).parent / "locale" / "zh_Hant" / "LC_MESSAGES"


def _po_entries(text: str) -> dict[str, str]:
    """msgid → msgstr from a .po file (multi-line strings joined)."""
    entries, key, current = {}, None, {"msgid": "", "msgstr": ""}
    for line in text.splitlines() + [""]:
        match = re.match(r'^(msgid|msgstr) "(.*)"$', line)
        if match:
            key = match.group(1)
            if key == "msgid" and current["msgid"]:
                entries[current["msgid"]] = current["msgstr"]
                current = {"msgid": "", "msgstr": ""}
            current[key] = match.group(2)
        elif line.startswith('"') and key:
            current[key] += line[1:-1]
        elif not line.strip() and current["msgid"]:
            entries[current["msgid"]] = current["msgstr"]
            current, key = {"msgid": "", "msgstr": ""}, None
    return {_unescape(k): _unescape(v) for k, v in entries.items()}


def _unescape(text: str) -> str:
    return text.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")


def test_every_message_is_translated_and_compiled():
    entries = _po_entries((LOCALE / "django.po").read_text("utf-8"))
    assert len(entries) > 200
    untranslated = [k for k, v in entries.items() if not v]
    assert not untranslated, untranslated[:10]
    with open(LOCALE / "django.mo", "rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    stale = [k for k, v in entries.items() if catalog.gettext(k) != v]
    assert not stale, f"django.mo is older than django.po: run `civicplan compilemessages` ({stale[:5]})"
