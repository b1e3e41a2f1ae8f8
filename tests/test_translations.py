"""The zh-TW catalogue is complete and compiled: every message in django.po has a translation in django.mo."""

import gettext
import re
from pathlib import Path

import civicplan

LOCALE = Path(civicplan.__file__).parent / "locale" / "zh_Hant" / "LC_MESSAGES"


def _po_entries(text: str) -> dict[str, str]:
    """msgid → msgstr from a .po file (multi-line strings joined)."""
    entries, key, current = {}, None, {"msgid": "", "msgstr": ""}  # plural forms: msgstr[0] (zh has one form)
    for line in text.splitlines() + [""]:
        match = re.match(r'^(msgid|msgstr|msgid_plural|msgstr\[0\]) "(.*)"$', line)
        if match:
            key = {"msgstr[0]": "msgstr"}.get(match.group(1), match.group(1))
            if key == "msgid_plural":
                key = "plural"
                current[key] = match.group(2)
                continue
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
    stale = [k for k, v in entries.items() if catalog.gettext(k) != v and catalog.ngettext(k, k, 1) != v]
    assert not stale, f"django.mo is older than django.po: run `civicplan compilemessages` ({stale[:5]})"
