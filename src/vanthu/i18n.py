"""Messages in Vietnamese first, English on request (gettext catalogs in vanthu/locale).

The message ids are English; `vi` is the default language. `--lang en` or an English
LANG / LC_ALL / LC_MESSAGES switches to English.
"""

from __future__ import annotations

import gettext
import os
from importlib import resources

DOMAIN = "vanthu"
LANGUAGES = ("vi", "en")
_current: gettext.NullTranslations | None = None
_current_lang = "vi"


def language_from_environment() -> str:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "en" if value.lower().startswith("en") else "vi"
    return "vi"


def set_language(lang: str | None = None) -> str:
    """Choose the catalog for all later messages; returns the language in force."""
    global _current, _current_lang
    lang = lang or language_from_environment()
    if lang not in LANGUAGES:
        lang = "vi"
    if _current is not None and lang == _current_lang:
        return lang  # the catalog in force already: reading it again is a few ms of every process
    localedir = str(resources.files("vanthu").joinpath("locale"))
    _current = gettext.translation(DOMAIN, localedir=localedir, languages=[lang], fallback=True)
    _current_lang = lang
    return lang


def current_language() -> str:
    return _current_lang


def _(message: str) -> str:
    """Translate a message id."""
    if _current is None:
        set_language()
    assert _current is not None
    return _current.gettext(message)


def N_(message: str) -> str:
    """Mark a message id for the catalog without translating it yet."""
    return message
