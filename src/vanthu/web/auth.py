"""Who may do what: roles and their permissions (as data), password hashes, tokens, sessions."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ..errors import ConfigurationError
from ..i18n import N_, _
from .store import User, WebStore, now

# the office's roles, as `vanthu users add --role` names them
ROLES = {
    "chuyen-vien": N_("Specialist (chuyên viên)"),
    "lanh-dao": N_("Leader (lãnh đạo)"),
    "van-thu": N_("Records clerk (văn thư)"),
    "quan-tri": N_("Administrator (quản trị)"),
}

# every action a route performs, and the roles allowed it: one table, checked by every route
PERMISSIONS: dict[str, frozenset[str]] = {
    "view": frozenset(ROLES),
    "draft": frozenset({"chuyen-vien", "van-thu"}),
    "submit": frozenset({"chuyen-vien", "van-thu"}),
    "approve": frozenset({"lanh-dao"}),
    "return": frozenset({"lanh-dao"}),
    "issue": frozenset({"van-thu"}),
    "register": frozenset({"van-thu", "lanh-dao", "quan-tri"}),
    "archive": frozenset({"van-thu"}),
    "audit": frozenset({"quan-tri"}),
}

# what the audit log's actions are called on its pages
ACTIONS = {
    "login": N_("logged in"), "logout": N_("logged out"), "login-throttled": N_("login refused (too many failures)"),
    "draft": N_("saved a draft"), "submit": N_("submitted"), "approve": N_("approved"), "return": N_("returned"),
    "issue": N_("issued"), "sign": N_("signed on the server"), "sign-agency": N_("added the agency's signature"),
    "upload-signed": N_("sent a signed PDF"), "edxml": N_("made the edXML package"), "archive": N_("archived"),
    "user-add": N_("added a user"), "token": N_("made an API token"),
}

SESSION_HOURS = 8
THROTTLE_MINUTES = 15
THROTTLE_FAILURES = 5  # failed logins for one name within THROTTLE_MINUTES
# from one address: higher, as a whole office may reach the server through one proxy
THROTTLE_ADDRESS_FAILURES = 50
_hasher = PasswordHasher()


def allowed(user: User, action: str) -> bool:
    return user.role in PERMISSIONS[action]


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ConfigurationError(_("--role {role}: give one of {roles}").format(role=role, roles=", ".join(ROLES)))
    return role


def hash_password(password: str) -> str:
    if len(password) < 8:
        raise ConfigurationError(_("a password needs at least 8 characters"))
    return _hasher.hash(password)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.cache
def _dummy_hash() -> str:
    """A hash to verify against when the name is unknown, so that both cases take as long (made
    on the first login, not when `vanthu users` imports this module)."""
    return _hasher.hash(secrets.token_urlsafe(16))


def login(store: WebStore, name: str, password: str, address: str) -> User | None:
    """The user, if the password is theirs; None otherwise (and the failure counted)."""
    found = store.user_by_name(name)
    try:
        _hasher.verify(found[1] if found else _dummy_hash(), password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        store.add_login_failure(name, address)
        return None
    if found is None:
        store.add_login_failure(name, address)
        return None
    user, stored = found
    if _hasher.check_needs_rehash(stored):
        store.set_password_hash(user, _hasher.hash(password))
    store.clear_login_failures(name)
    return user


def throttled(store: WebStore, name: str, address: str) -> bool:
    since = now() - dt.timedelta(minutes=THROTTLE_MINUTES)
    for_name, from_address = store.login_failures_since(since, name, address)
    return for_name >= THROTTLE_FAILURES or from_address >= THROTTLE_ADDRESS_FAILURES


def new_session(store: WebStore, user: User) -> str:
    """A session cookie's value; only its hash is kept."""
    token = secrets.token_urlsafe(32)
    store.add_session(sha256(token), user, secrets.token_urlsafe(32), now() + dt.timedelta(hours=SESSION_HOURS))
    return token


def session_user(store: WebStore, token: str | None) -> tuple[User, str] | None:
    """The user and the session's CSRF token."""
    return store.session(sha256(token)) if token else None


def new_api_token(store: WebStore, user: User) -> str:
    token = "vt_" + secrets.token_urlsafe(32)
    store.add_token(user, sha256(token))
    return token


def token_user(store: WebStore, token: str) -> User | None:
    return store.user_by_token(sha256(token)) if token else None


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))
