"""A batch and the register: before rendering, every record that asks for a number (so: auto)
or types one gets it from the register, for the whole batch in one short transaction; the
workers then put the numbers into the records they render.

A record's register identity is its `ma` when it gives one, else its file and position (the
same key the rerun state uses, less the mail-merge recipient: every letter of a mail merge is
one document with one number).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem
from ..i18n import _
from ..model import AUTO_NUMBER
from ..records.merge import Recipient, merged
from ..records.reading import WORKBOOK_SUFFIXES, read_records
from ..records.source import RawRecord
from ..records.validate import validate_record

_AUTO_IN_YAML = re.compile(rb"^[ \t-]*so[ \t]*:[ \t]*[\"']?auto\b", re.IGNORECASE | re.MULTILINE)


def asks_for_numbers(files: list[Path]) -> bool:
    """Whether any record of these files says `so: auto` (read cheaply, without parsing)."""
    for path in files:
        try:
            if path.suffix.lower() in WORKBOOK_SUFFIXES:
                with zipfile.ZipFile(path) as archive:
                    for name in archive.namelist():
                        if name == "xl/sharedStrings.xml" or name.startswith("xl/worksheets/"):
                            if re.search(rb">\s*auto\s*<", archive.read(name), re.IGNORECASE):
                                return True
            elif _file_matches(path, _AUTO_IN_YAML):
                return True
        except (OSError, zipfile.BadZipFile):
            continue  # the batch says what is wrong with the file
    return False


def _file_matches(path: Path, pattern: re.Pattern[bytes], chunk: int = 1 << 20) -> bool:
    """Whether a line of the file matches, read a megabyte at a time in whole lines: a big
    record file is not held in memory only to be searched."""
    carry = b""
    with path.open("rb") as handle:
        while block := handle.read(chunk):
            block = carry + block
            cut = block.rfind(b"\n") + 1
            if pattern.search(block, 0, cut or len(block)):
                return True
            carry = block[cut:] if cut else block
    return bool(carry) and pattern.search(carry) is not None


def record_key(raw: RawRecord, path: Path) -> str:
    """The record's identity in the register."""
    if isinstance(raw.data, dict) and isinstance(raw.data.get("ma"), str | int) and str(raw.data["ma"]).strip():
        return "ma:" + " ".join(str(raw.data["ma"]).split())
    position = raw.file.split(":")[-1] if path.suffix.lower() in WORKBOOK_SUFFIXES else str(raw.index)
    return f"file:{path.resolve()}#{position}"


def _is_auto(value: object) -> bool:
    return isinstance(value, str) and value.strip().casefold() == AUTO_NUMBER


@dataclass(frozen=True)
class Numbered:
    """What the register gave a record: its number and date, or why it refused."""

    so: int | None = None
    ngay: str = ""  # dd/mm/yyyy
    so_ky_hieu: str = ""
    refusal: str = ""
    voided: str = ""


def plan(files: list[Path], register, *, merge_recipients: list[Recipient] | None, strict: bool,
         today: dt.date | None = None, profile: Path | None = None) -> dict[str, Numbered]:
    """Allocate (or register) the numbers of every valid record of the batch that has one (its
    profile's agencies and signers filled in, as the workers will)."""
    from ..records.profile import Profiles, apply_profile
    from ..register.allocate import Allocation, Request, allocate

    requests: list[Request] = []
    profiles = Profiles(profile)
    duplicates: dict[str, Numbered] = {}
    keys: dict[str, str] = {}
    for path in files:
        try:
            records, _problems = read_records(path)
            chosen = profiles.for_file(path)
        except Exception:  # the batch reports an unreadable file (or profile) itself
            continue
        for raw in records:
            raw = apply_profile(raw, chosen, path.parent)
            if not isinstance(raw.data, dict) or raw.data.get("so") in (None, ""):
                continue
            key = record_key(raw, path)
            if key in keys:
                duplicates[key] = Numbered(refusal=_(
                    "the mã '{key}' is given to two records ({first} and {second}): a mã names one document").format(
                    key=key.removeprefix("ma:"), first=keys[key], second=raw.label))
                continue
            keys[key] = raw.label
            auto = _is_auto(raw.data.get("so"))
            probe = RawRecord({**raw.data, "so": 1} if auto else raw.data, None, raw.file, raw.index,
                              list(raw.problems), in_list=raw.in_list, locate=lambda raw=raw: raw.origins)
            if merge_recipients:
                probe = merged(probe, merge_recipients[0])
            doc, problems = validate_record(probe)
            if doc is None or (strict and problems):
                continue  # a record with an error is never written, and takes no number
            requests.append(Request.of(doc, key, raw.label, auto))
    _profile_sequences(register, profiles.loaded())
    results = allocate(register, requests, today)
    out: dict[str, Numbered] = dict(duplicates)
    for result in results:
        if isinstance(result, Allocation):
            out[result.key] = Numbered(result.so, result.ngay.strftime("%d/%m/%Y"), result.so_ky_hieu,
                                       voided=result.voided)
        else:
            out[result.key] = Numbered(refusal=result.message)
    for key in duplicates:  # the first record with that mã keeps nothing either: which one is meant?
        out[key] = duplicates[key]
    return out


def _profile_sequences(register, profiles: list) -> None:
    """Each profile agency's register sequences (so_dang_ky: {group: [types]}, Điều 15.1.c), set in
    the register before it numbers: the head of the agency's choice, kept with the agency."""
    from ..register.allocate import agency_key, ensure_agency
    from ..register.book import Agency, set_sequence_groups

    for loaded in profiles:
        for agency in loaded.agencies.values():
            groups = agency.get("so_dang_ky")
            if not groups:
                continue
            key = agency_key(agency["ten"], agency.get("chu_quan"))
            register.write(lambda conn, a=agency, k=key: ensure_agency(conn, k, a["ten"], a.get("chu_quan"),
                                                                        a["viet_tat"]))
            set_sequence_groups(register, Agency(key, agency["ten"], agency.get("chu_quan"), agency["viet_tat"]),
                                {str(name): [str(t) for t in types] for name, types in groups.items()})


def numbered(raw: RawRecord, path: Path, numbers: dict[str, Numbered]) -> tuple[RawRecord, str, list[Problem]]:
    """The record with the register's number and date put in; its register key; what to say."""
    if not isinstance(raw.data, dict) or raw.data.get("so") in (None, ""):
        return raw, "", []
    key = record_key(raw, path)
    given = numbers.get(key)
    auto = _is_auto(raw.data.get("so"))
    if given is None:
        if not auto:
            return raw, "", []
        # no number: the record has errors of its own (said by validation); 'auto' adds nothing
        data = {**raw.data, "so": None}
        return RawRecord(data, raw.located, raw.file, raw.index, raw.problems, in_list=raw.in_list,
                         locate=raw.locate), "", []
    origin = raw.origin(("so",))
    if given.refusal:
        return raw, key, [Problem(origin, "so", given.refusal)]
    data = dict(raw.data)
    data["so"] = given.so
    if data.get("ngay") in (None, ""):
        data["ngay"] = given.ngay  # the date of issue is the allocation date (Điều 15: in order of issue)
    notes = []
    if given.voided:
        notes.append(Problem(origin, "so", _("the record's earlier number {old} is void now (it moved to another "
                                             "year, sequence or agency, or types its own); it has {new}").format(
            old=given.voided, new=given.so_ky_hieu), "warning"))
    return RawRecord(data, raw.located, raw.file, raw.index, raw.problems + notes, in_list=raw.in_list,
                     locate=raw.locate), key, []
