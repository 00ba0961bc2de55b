"""Agency profiles (vanthu.toml): the agencies, their signers, drafting units and defaults, named
by key so that a record says `co_quan: sct` and `nguoi_ky: pho-giam-doc` and inherits the rest.

TOML rather than YAML: Python reads it without a dependency (tomllib), and a profile is
configuration, not a record — a vanthu.yaml beside the records would be taken for one by every
`vanthu generate records/`.

A record's own field always wins over the profile's; a key the profile does not have is an
error naming the keys it has.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigurationError, Problem
from ..i18n import _
from .source import RawRecord, dotted

PROFILE_NAME = "vanthu.toml"
KEY_FIELD = "ho_so"  # in a mapping (an Excel row): the profile key, with the row's own fields over it

AGENCY_FIELDS = ("ten", "viet_tat", "chu_quan", "ten_goi")
DEFAULT_FIELDS = ("dia_danh", "lien_he", "noi_nhan", "luu", "so_ban_luu")
SIGNER_FIELDS = ("quyen_han", "thay_mat", "chuc_vu", "ho_ten")
TABLE_FIELDS = (*AGENCY_FIELDS, *DEFAULT_FIELDS, "ma_dinh_danh", "nguoi_ky", "don_vi", "so_dang_ky")


@dataclass(frozen=True)
class Profile:
    path: Path
    agencies: dict[str, dict[str, Any]]
    digest: str = ""

    def signer_keys(self) -> list[str]:
        return sorted({k for a in self.agencies.values() for k in a.get("nguoi_ky", {})})


def find_profile(folder: Path) -> Path | None:
    """vanthu.toml in the folder or the nearest folder above it."""
    for candidate in [folder.resolve(), *folder.resolve().parents]:
        path = candidate / PROFILE_NAME
        if path.is_file():
            return path
    return None


def _fail(path: Path, message: str) -> ConfigurationError:
    return ConfigurationError(_("{path}: {message}").format(path=path, message=message))


def load_profile(path: Path) -> Profile:
    try:
        data = path.read_bytes()
        parsed = tomllib.loads(data.decode("utf-8"))
    except OSError as exc:
        raise ConfigurationError(_("cannot read {path}: {detail}").format(path=path, detail=exc.strerror)) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise _fail(path, _("not a valid TOML file: {detail}").format(detail=exc)) from None
    unknown = sorted(set(parsed) - {"co_quan"})
    if unknown:
        raise _fail(path, _("unknown sections {keys}; a profile has [co_quan.KEY] tables").format(
            keys=", ".join(unknown)))
    agencies = parsed.get("co_quan") or {}
    if not isinstance(agencies, dict) or not agencies:
        raise _fail(path, _("no agency: add a [co_quan.KEY] table (vanthu init writes one)"))
    for key, agency in agencies.items():
        if not isinstance(agency, dict):
            raise _fail(path, _("co_quan.{key} is not a table").format(key=key))
        extra = sorted(set(agency) - set(TABLE_FIELDS))
        if extra:
            raise _fail(path, _("co_quan.{key}: unknown keys {keys}; the keys are {known}").format(
                key=key, keys=", ".join(extra), known=", ".join(TABLE_FIELDS)))
        for required in ("ten", "viet_tat"):
            if not str(agency.get(required, "")).strip():
                raise _fail(path, _("co_quan.{key} needs {field}").format(key=key, field=required))
        groups = agency.get("so_dang_ky") or {}
        if not isinstance(groups, dict) or not all(isinstance(v, list) for v in groups.values()):
            raise _fail(path, _("co_quan.{key}.so_dang_ky: each sequence names a list of types, e.g. "
                                "\"QĐ\" = [\"quyet_dinh\"]").format(key=key))
        for signer_key, signer in (agency.get("nguoi_ky") or {}).items():
            if not isinstance(signer, dict) or not str(signer.get("ho_ten", "")).strip():
                raise _fail(path, _("co_quan.{key}.nguoi_ky.{signer} needs ho_ten").format(key=key, signer=signer_key))
            extra = sorted(set(signer) - set(SIGNER_FIELDS))
            if extra:
                raise _fail(path, _("co_quan.{key}.nguoi_ky.{signer}: unknown keys {keys}; the keys are {known}")
                            .format(key=key, signer=signer_key, keys=", ".join(extra), known=", ".join(SIGNER_FIELDS)))
    return Profile(path, agencies, hashlib.sha256(data).hexdigest())


class Profiles:
    """The profile each record file uses — `explicit` (--profile), else the nearest vanthu.toml
    from the file's folder upward — found and read once per folder, however many files it holds."""

    def __init__(self, explicit: Path | None = None):
        self.explicit = explicit
        self._by_folder: dict[Path, Profile | None] = {}
        self._by_path: dict[Path, Profile] = {}

    def for_file(self, path: Path) -> Profile | None:
        """ConfigurationError when the profile cannot be read (that file fails, saying why)."""
        folder = path.parent.resolve()
        if folder not in self._by_folder:
            found = self.explicit or find_profile(folder)
            if found is not None and found not in self._by_path:
                self._by_path[found] = load_profile(found)
            self._by_folder[folder] = self._by_path[found] if found is not None else None
        return self._by_folder[folder]

    def loaded(self) -> list[Profile]:
        return list(self._by_path.values())


def _key_of(value: Any) -> tuple[str | None, dict]:
    """A profile key and the record's own fields over it: 'sct', or {ho_so: sct, ten: …}."""
    if isinstance(value, str):
        return value.strip(), {}
    if isinstance(value, dict) and value.get(KEY_FIELD) not in (None, ""):
        own = {k: v for k, v in value.items() if k != KEY_FIELD and v not in (None, "")}
        return str(value[KEY_FIELD]).strip(), own
    if isinstance(value, dict):
        return None, {k: v for k, v in value.items() if k != KEY_FIELD}
    return None, value


def _as_list(value: Any) -> tuple[list, bool]:
    return (value, True) if isinstance(value, list) else ([value], False)


def apply_profile(raw: RawRecord, profile: Profile | None, searched: Path | None = None) -> RawRecord:
    """The record with the profile's agencies, signers and defaults filled in where it names them;
    a key the profile lacks (or a key with no profile) is a problem of the record."""
    data = raw.data
    if not isinstance(data, dict) or not _names_a_key(data):
        return raw
    out = dict(data)
    problems: list[Problem] = []

    def problem(path: tuple, message: str) -> None:
        problems.append(Problem(raw.origin(path), dotted(path), message))

    agencies, was_list = _as_list(data.get("co_quan"))
    resolved: list[dict[str, Any] | None] = []
    for i, item in enumerate(agencies):
        key, own = _key_of(item)
        if key is None:
            resolved.append(None)
            continue
        where = ("co_quan", i) if was_list else ("co_quan",)
        if profile is None:
            problem(where, _("'{key}' names an agency of a profile ({name}), but there is none in {folder} or "
                             "above it; give --profile FILE, or write the agency out (ten, viet_tat …)").format(
                key=key, name="vanthu.toml", folder=searched or "."))
            resolved.append(None)
            continue
        agency = profile.agencies.get(key)
        if agency is None:
            problem(where, _("'{key}' is not an agency of {path}; its agencies are: {keys}").format(
                key=key, path=profile.path.name, keys=", ".join(sorted(profile.agencies))))
            resolved.append(None)
            continue
        resolved.append(agency)
        agencies[i] = {**{f: agency[f] for f in AGENCY_FIELDS if agency.get(f) not in (None, "")}, **own}
    if any(r is not None for r in resolved) or any(isinstance(a, dict) for a in agencies):
        out["co_quan"] = agencies if was_list else agencies[0]
    lead = resolved[0] if resolved else None
    if lead is not None:
        for name in DEFAULT_FIELDS:
            if out.get(name) in (None, "", []) and lead.get(name) not in (None, "", []):
                out[name] = lead[name]
        units = lead.get("don_vi") or {}
        unit = out.get("don_vi_soan_thao")
        if isinstance(unit, str) and unit.strip() in units:
            out["don_vi_soan_thao"] = units[unit.strip()]
    signers, signers_list = _as_list(data.get("nguoi_ky"))
    for i, item in enumerate(signers):
        key, own = _key_of(item)
        if key is None:
            continue
        where = ("nguoi_ky", i) if signers_list else ("nguoi_ky",)
        if profile is None:
            if not problems:
                problem(where, _("'{key}' names a signer of a profile ({name}), but there is none in {folder} or "
                                 "above it").format(key=key, name="vanthu.toml", folder=searched or "."))
            continue
        agency_key, _dot, signer_key = key.rpartition(".")
        if agency_key:
            agency = profile.agencies.get(agency_key)
        else:
            agency = resolved[i] if i < len(resolved) and resolved[i] is not None else lead
        choices = agency.get("nguoi_ky", {}) if agency else {}
        found = choices.get(signer_key)
        if found is None:
            known = ", ".join(sorted(choices)) or "-"
            problem(where, _("'{key}' is not a signer of {agency} in {path}; its signers are: {keys}").format(
                key=key, agency=(agency or {}).get("ten", agency_key or "?"), path=profile.path.name, keys=known))
            continue
        signers[i] = {**{f: found[f] for f in SIGNER_FIELDS if found.get(f) not in (None, "")}, **own}
    if data.get("nguoi_ky") is not None:
        out["nguoi_ky"] = signers if signers_list else signers[0]
    return RawRecord(out, raw.located, raw.file, raw.index, [*raw.problems, *problems], raw.in_list, raw.locate)


def _names_a_key(data: dict) -> bool:
    for name in ("co_quan", "nguoi_ky"):
        items, _was = _as_list(data.get(name))
        if any(isinstance(i, str) or (isinstance(i, dict) and KEY_FIELD in i) for i in items):
            return True
    return False


def organ_id(data: object, profile: Profile | None) -> str:
    """The mã định danh of the agency a record names by key (for edXML), or ''."""
    if profile is None or not isinstance(data, dict):
        return ""
    items, _was = _as_list(data.get("co_quan"))
    key, _own = _key_of(items[0]) if items else (None, {})
    agency = profile.agencies.get(key or "")
    return str(agency.get("ma_dinh_danh", "")).strip() if agency else ""


def _toml(value: Any) -> str:
    """A TOML value: JSON's strings and arrays are TOML's."""
    import json

    return json.dumps(value, ensure_ascii=False)


def _toml_key(key: str) -> str:
    import re

    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml(key)


def profile_toml(key: str, agency: dict[str, Any], signers: dict[str, dict[str, str]], units: dict[str, str],
                 contacts: dict[str, str]) -> str:
    """A profile of one agency, commented for the clerk who will edit it."""
    lines = ["# vanthu agency profile (docs/profiles.md). Records name an agency and a signer by key:",
             f"#   co_quan: {key}",
             f"#   nguoi_ky: {next(iter(signers), 'giam-doc')}",
             "# and inherit everything they do not set themselves; a record's own field always wins.",
             "# Add more agencies (a Sở and its units) as more [co_quan.KEY] tables.", "",
             f"[co_quan.{_toml_key(key)}]"]
    for name in (*AGENCY_FIELDS, "dia_danh", "ma_dinh_danh", "noi_nhan", "luu"):
        if agency.get(name) not in (None, "", []):
            lines.append(f"{name} = {_toml(agency[name])}")
    if contacts:
        lines += ["", f"[co_quan.{_toml_key(key)}.lien_he]"] + [f"{k} = {_toml(v)}" for k, v in contacts.items() if v]
    for signer_key, signer in signers.items():
        lines += ["", f"[co_quan.{_toml_key(key)}.nguoi_ky.{_toml_key(signer_key)}]"]
        lines += [f"{k} = {_toml(v)}" for k, v in signer.items() if v]
    if units:
        lines += ["", "# drafting units: a record's don_vi_soan_thao names one by key (or gives the abbreviation)",
                  f"[co_quan.{_toml_key(key)}.don_vi]"] + [f"{_toml_key(k)} = {_toml(v)}" for k, v in units.items()]
    return "\n".join(lines) + "\n"
