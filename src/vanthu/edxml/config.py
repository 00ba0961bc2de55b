"""What an edXML package needs that records do not say: the sending agency's identifier and
contacts, the receivers' identifiers, the exchange's document-type codes — from --config
FILE.yaml over the shipped defaults (defaults.yaml)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import ConfigurationError
from ..i18n import _
from .organ import valid_organ_id

DEFAULTS = Path(__file__).resolve().parent / "defaults.yaml"
ORGAN_FIELDS = ("organ_id", "organization_in_charge", "name", "address", "email", "telephone", "fax", "website")


@dataclass
class Organ:
    organ_id: str = ""
    organization_in_charge: str = ""
    name: str = ""
    address: str = ""
    email: str = ""
    telephone: str = ""
    fax: str = ""
    website: str = ""


@dataclass
class ExchangeConfig:
    sender: Organ = field(default_factory=Organ)
    receivers: dict[str, Organ] = field(default_factory=dict)  # by the name a record gives (Kính gửi)
    type_codes: dict[str, str] = field(default_factory=dict)
    type_detail: str = "0"
    sphere_of_promulgation: str = ""
    steering_type: int = 1
    bussiness_doc_type: int = 0
    bussiness_doc_reason: str = ""


def _organ(data: object, where: str) -> Organ:
    if not isinstance(data, dict):
        raise ConfigurationError(_("{where}: expected a mapping of {fields}").format(
            where=where, fields=", ".join(ORGAN_FIELDS)))
    unknown = sorted(set(data) - set(ORGAN_FIELDS))
    if unknown:
        raise ConfigurationError(_("{where}: unknown keys {keys}; the keys are {fields}").format(
            where=where, keys=", ".join(map(str, unknown)), fields=", ".join(ORGAN_FIELDS)))
    organ = Organ(**{k: "" if v is None else str(v).strip() for k, v in data.items()})
    if organ.organ_id and not valid_organ_id(organ.organ_id):
        raise ConfigurationError(_("{where}: '{id}' is not an organ identifier in a form QĐ 20/2020/QĐ-TTg or "
                                   "QĐ 09/2025/QĐ-TTg allows (e.g. 000.00.00.H41, H01.151)").format(
            where=where, id=organ.organ_id))
    return organ


def load_config(path: Path | None, organ_id: str | None = None) -> ExchangeConfig:
    data = yaml.safe_load(DEFAULTS.read_text(encoding="utf-8"))
    if path is not None:
        try:
            own = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigurationError(_("cannot read {path}: {detail}").format(path=path, detail=exc)) from None
        if not isinstance(own, dict):
            raise ConfigurationError(_("{path}: expected a mapping").format(path=path))
        known = {"sender", "receivers", *data}
        unknown = sorted(set(own) - known)
        if unknown:
            raise ConfigurationError(_("{path}: unknown keys {keys}; the keys are {known}").format(
                path=path, keys=", ".join(map(str, unknown)), known=", ".join(sorted(known))))
        codes = {**data.get("type_codes", {}), **(own.pop("type_codes", None) or {})}
        data.update(own)
        data["type_codes"] = codes
    where = str(path) if path else "--organ-id"
    sender = _organ(data.get("sender") or {}, f"{where}: sender")
    if organ_id is not None:
        sender = _organ({**sender.__dict__, "organ_id": organ_id}, "--organ-id")
    receivers = {str(name): _organ(value, f"{where}: receivers: {name}")
                 for name, value in (data.get("receivers") or {}).items()}
    return ExchangeConfig(sender, receivers, {str(k): str(v) for k, v in (data.get("type_codes") or {}).items()},
                          str(data.get("type_detail", "0")), str(data.get("sphere_of_promulgation", "")),
                          int(data.get("steering_type", 1)), int(data.get("bussiness_doc_type", 0)),
                          str(data.get("bussiness_doc_reason", "")))
