"""Deployment settings: read once from the environment, validated before any construct exists.

Why here and not in the constructs: a bad value caught inside jsii surfaces as a Node stack trace a platform
engineer cannot act on. Every rule below produces one line that names the setting, the value and what is allowed.
This module imports nothing from cdktf, so validation costs milliseconds and runs before the provider loads.
"""

from __future__ import annotations

import dataclasses
import difflib
import fnmatch
import glob
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Literal, TypeVar

from cdktf_out.outdir import DEFAULT as OUTDIR
from handlers.contract import DEFAULT_MAX_AMOUNT

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# What `make clean` deletes (the Makefile's clean target; tests/payment_settings/test_settings.py holds the two
# equal) and the synth output, which every synth rewrites: Terraform state kept inside either would be lost without
# a word.
REMOVED_BY_MAKE_CLEAN = (
    OUTDIR, f".{OUTDIR}.tmp-*", "state-bucket.out", ".state-bucket.out.tmp-*", ".pytest_cache",
)
DEFAULT_STATE_DIR = "terraform-state"

# CloudWatch Logs PutRetentionPolicy accepts only these values. "Never expire" (no policy) is not offered: every
# group gets a retention policy (checkov CKV_AWS_66), and ten years (3653) is the longest CloudWatch Logs keeps.
LOG_RETENTION_DAYS = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
)
NEVER_EXPIRE = "0"

# Regions where CloudWatch Logs, KMS, Lambda and Step Functions are all offered (aws, aws-us-gov and aws-cn).
AWS_REGIONS = frozenset({
    "us-east-1", "us-east-2", "us-west-1", "us-west-2",
    "af-south-1",
    "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2",
    "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7",
    "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
    "ca-central-1", "ca-west-1",
    "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3",
    "eu-south-1", "eu-south-2", "eu-north-1",
    "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1",
    "us-gov-east-1", "us-gov-west-1",
    "cn-north-1", "cn-northwest-1",
})
SUGGESTED_REGIONS = 3  # a mistyped region is answered with this many codes, not the whole list

# Outside dev, payment logs are audit evidence: at least a year (PCI DSS 10.5.1 keeps audit logs 12 months).
MIN_AUDIT_RETENTION_DAYS = 365
DEV_ENVIRONMENT = "dev"
# Reserved concurrency caps what a burst can do to the ledger and guarantees the functions capacity; an account
# must keep 10 unreserved, so a new account (limit 10) cannot reserve any: dev reserves none by default.
MAX_RESERVED_CONCURRENCY = 1000

KEY_DELETION_WINDOW_DAYS = range(7, 31)  # KMS ScheduleKeyDeletion: PendingWindowInDays 7–30.

# Bounds of the wait for KMS policy propagation: AWS documents "up to five minutes" for a key association; more than
# an hour is a typo, not a precaution.
MIN_PROPAGATION_SECONDS = 1.0
MAX_PROPAGATION_SECONDS = 3600.0

ENVIRONMENT_MAX_LENGTH = 20  # keeps "lambda-payment-processing-<env>-role" under IAM's 64-character role name limit

# The deployment settings an environment file may hold (everything Settings reads but the environment's own name,
# which is the file's name). Tool switches are read by the tools, never by the app's constructs: they change how the
# output is made or judged, not what is deployed, so a shell may set them in any environment.
DEPLOYMENT_SETTINGS = (
    "PAYMENT_AWS_REGION", "PAYMENT_AWS_ACCOUNT_ID", "PAYMENT_LOG_RETENTION_DAYS", "PAYMENT_KMS_PROPAGATION_WAIT",
    "PAYMENT_KEY_DELETION_WINDOW_DAYS", "PAYMENT_LEDGER_DELETION_PROTECTION", "PAYMENT_MAX_AMOUNT",
    "PAYMENT_RESERVED_CONCURRENCY", "PAYMENT_ALERT_EMAIL", "PAYMENT_CONFIG_RECORDER", "PAYMENT_OPERATOR_ROLE_ARNS",
    "PAYMENT_STATE_BACKEND", "PAYMENT_STATE_DIR", "PAYMENT_STATE_BUCKET", "PAYMENT_STATE_REGION",
    "PAYMENT_STATE_KEY_PREFIX",
)
TOOL_SWITCHES = (
    "PAYMENT_CDK_ENGINE", "PAYMENT_SYNTH_OPTIMIZATIONS", "PAYMENT_LAZY_JSII_CACHE", "PAYMENT_REVIEW_ALLOW_REPLACE",
)
ENVIRONMENT_SETTING = "PAYMENT_ENVIRONMENT"

_ACCOUNT_ID = re.compile(r"[0-9]{12}")
# IAM identifiers (IAM API reference, CreateRole): a role name is 1-64 of letters, digits and _+=,.@- (a comma cannot
# be listed here, the list's separator), unique in the account ignoring case; a path is "/" or "/.../" of ASCII
# characters from ! to DEL, at most 512.
_ROLE_ARN = re.compile(r"arn:(?P<partition>[a-z-]+):iam::(?P<account>[^:]*):role(?P<path>/(?:.*/)?)(?P<name>[^/]*)")
_ROLE_NAME = re.compile(r"[A-Za-z0-9_+=.@-]{1,64}")
_ROLE_PATH = re.compile(r"/(?:[\x21-\x7f]{1,510}/)?")

# Every pattern spells its digits [0-9]: in Python, \d, str.isdigit() and int() also take "１０００", "٣" or "²", which
# would pass here and then fail (or be written into the JSON) downstream. Values are ASCII before any parser sees them.
_ENVIRONMENT = re.compile(r"[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*")
_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")  # bounded: int() of a 5,000-digit string raises its own ValueError
# time_sleep takes a Go duration (time.ParseDuration): a sequence of decimal numbers with units.
_GO_DURATION_PART = re.compile(r"([0-9]{1,12}(?:\.[0-9]{0,12})?|\.[0-9]{1,12})(ns|us|µs|ms|s|m|h)")
_GO_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
# S3 general purpose bucket naming rules (Amazon S3 user guide, "General purpose bucket naming rules"): 3-63
# characters of lower-case letters, digits, dots and hyphens, beginning and ending with a letter or digit; no two
# adjacent periods; not formatted as an IP address; reserved prefixes and suffixes below.
_S3_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_S3_IP_ADDRESS = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,3}){3}")
_S3_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_S3_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")
# A label between dots must begin and end with a letter or digit too: "a.-b" and "a-.b" are refused by S3.
_S3_BAD_NEIGHBOURS = ("..", ".-", "-.")
_S3_KEY_PREFIX = re.compile(r"[A-Za-z0-9!_.*'()/-]{1,200}")

# An address SNS can mail: local@domain.tld in printable ASCII, no spaces, at most 254 characters (RFC 5321's path
# limit). Deliberately simpler than RFC 5322: a typo should fail synth, an exotic but valid address is rare here.
_EMAIL_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@" + _EMAIL_LABEL + r"(?:\." + _EMAIL_LABEL + ")+")
EMAIL_MAX_LENGTH = 254

_PLAIN_DECIMAL = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,3})?")
_BOOLEANS = {"true": True, "false": False}

# A bad value is echoed in its error, cut to this many characters: a 100,000-character value is not a message, and
# a real path or bucket name fits.
SHOWN_VALUE_CHARACTERS = 100

BackendKind = Literal["local", "s3"]


class SettingsError(ValueError):
    """One or more settings are invalid; each line of the message names a setting, its value and what is allowed."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class LocalBackendSettings:
    """Terraform state in local files, one per stack, in a folder outside cdktf.out (which synth rewrites)."""

    state_dir: Path
    kind: BackendKind = "local"


@dataclass(frozen=True)
class S3BackendSettings:
    """Terraform state in S3, one key per stack and environment, locked with S3's native lock file."""

    bucket: str
    region: str
    key_prefix: str
    kind: BackendKind = "s3"


@dataclass(frozen=True)
class Settings:
    environment: str
    region: str
    log_retention_days: int
    kms_propagation_wait: str
    key_deletion_window_days: int
    ledger_deletion_protection: bool
    max_payment_amount: str
    reserved_concurrency: int
    backend: LocalBackendSettings | S3BackendSettings
    alert_email: str | None = None  # subscribed to the alerts topic; None: nothing subscribed
    config_recorder: bool = False  # create an AWS Config recorder (accounts without one; see config_recorder.py)
    aws_account_id: str | None = None  # the only account the AWS provider may act in; None (dev only): any
    operator_role_arns: tuple[str, ...] = ()  # roles of this account that may start and inspect executions

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read every PAYMENT_* variable, report every bad one at once, or return the validated settings."""
        return cls.read(environ)[0]

    @classmethod
    def read(
        cls, environ: Mapping[str, str] | None = None, origins: Mapping[str, str] | None = None
    ) -> tuple[Settings, tuple[SettingUse, ...]]:
        """The settings, and each value read with where it came from. `origins` names where a variable of
        `environ` was written ("environments/prod.env:4"); a bad value from there is reported with that place."""
        env = os.environ if environ is None else environ
        reader = _Reader(env, origins or {})
        region = reader.read("PAYMENT_AWS_REGION", "us-east-1", _region)
        environment = reader.read(ENVIRONMENT_SETTING, DEV_ENVIRONMENT, _environment)
        is_dev = environment == DEV_ENVIRONMENT
        # Losing the ledger loses the record of who was charged: only a dev table may be deleted without ceremony.
        protect_by_default = "false" if is_dev else "true"
        settings = cls(
            environment=environment,
            region=region,
            log_retention_days=reader.read(
                "PAYMENT_LOG_RETENTION_DAYS",
                "1" if is_dev else str(MIN_AUDIT_RETENTION_DAYS),
                _retention if is_dev or environment is None else _audit_retention(environment),
            ),
            kms_propagation_wait=reader.read("PAYMENT_KMS_PROPAGATION_WAIT", "30s", _propagation_wait),
            key_deletion_window_days=reader.read("PAYMENT_KEY_DELETION_WINDOW_DAYS", "7", _deletion_window),
            ledger_deletion_protection=reader.read(
                "PAYMENT_LEDGER_DELETION_PROTECTION", protect_by_default, _boolean
            ),
            max_payment_amount=reader.read("PAYMENT_MAX_AMOUNT", DEFAULT_MAX_AMOUNT, _max_amount),
            reserved_concurrency=reader.read(
                "PAYMENT_RESERVED_CONCURRENCY",
                "0" if is_dev else "20",
                _concurrency if is_dev or environment is None else _reserved_concurrency(environment),
            ),
            backend=_backend(reader, default_region=region or "us-east-1", synth_outdir=env.get("CDKTF_OUTDIR")),
            alert_email=reader.read("PAYMENT_ALERT_EMAIL", "", _alert_email),
            config_recorder=reader.read("PAYMENT_CONFIG_RECORDER", "false", _boolean),
        )
        account = reader.read("PAYMENT_AWS_ACCOUNT_ID", "", _account_id(environment, is_dev or environment is None))
        operators = reader.read(
            "PAYMENT_OPERATOR_ROLE_ARNS", "", _operator_roles(account, partition_of(region or "us-east-1"))
        )
        if reader.problems:
            raise SettingsError(reader.problems)
        return dataclasses.replace(settings, aws_account_id=account, operator_role_arns=operators), tuple(
            reader.used.values()
        )


@dataclass(frozen=True)
class SettingUse:
    """One setting as a synth read it: its value, and where that came from ("default", "shell" or "<file>:<line>")."""

    name: str
    value: str
    origin: str


T = TypeVar("T")


class _Reader:
    """Reads variables, collecting problems instead of stopping at the first, so one run reports them all, and
    recording where each value came from."""

    def __init__(self, env: Mapping[str, str], origins: Mapping[str, str]) -> None:
        self._env = env
        self._origins = origins
        self.problems: list[str] = []
        self.used: dict[str, SettingUse] = {}

    def read(self, name: str, default: str, parse: Callable[[str], T]) -> T:
        raw = self._env.get(name, default)
        origin = self._origins.get(name, SHELL) if name in self._env else DEFAULT
        self.used[name] = SettingUse(name, raw, origin)
        try:
            if not raw.isascii():
                raise ValueError("has non-ASCII characters; settings are ASCII only (digits 0-9)")
            return parse(raw)
        except ValueError as allowed:
            place = "" if origin in (SHELL, DEFAULT) else f"{origin}: "
            self.problems.append(f"{place}{name}={shown(raw)} {allowed}")
            return None  # type: ignore[return-value]  # never returned to a caller: problems raise first


SHELL = "shell"
DEFAULT = "default"


def shown(raw: str) -> str:
    """The value as an error message quotes it: repr(), cut after SHOWN_VALUE_CHARACTERS with its length said."""
    if len(raw) <= SHOWN_VALUE_CHARACTERS:
        return repr(raw)
    return f"{raw[:SHOWN_VALUE_CHARACTERS]!r}… ({len(raw)} characters)"


def _whole_number(raw: str) -> int | None:
    return int(raw) if _WHOLE_NUMBER.fullmatch(raw) else None


def is_environment_name(raw: str) -> bool:
    """A name the settings accept for an environment (and so a safe file name: no dots, no slashes)."""
    return bool(_ENVIRONMENT.fullmatch(raw)) and len(raw) <= ENVIRONMENT_MAX_LENGTH


def _environment(raw: str) -> str:
    if not is_environment_name(raw):
        raise ValueError(
            "is not an environment name; use a lower-case slug of letters, digits and single hyphens, starting with "
            f"a letter, at most {ENVIRONMENT_MAX_LENGTH} characters (e.g. dev, staging, prod-eu)"
        )
    return raw


def _region(raw: str) -> str:
    if raw not in AWS_REGIONS:
        raise ValueError(f"is not an AWS region code; {_closest_regions(raw)} (all {len(AWS_REGIONS)}: AWS_REGIONS in "
                         "payment_settings/settings.py)")
    return raw


def _closest_regions(raw: str) -> str:
    """The codes nearest to a typo (difflib's similarity, case aside), so the line stays short: the whole list is 37."""
    closest = difflib.get_close_matches(raw.lower(), sorted(AWS_REGIONS), n=SUGGESTED_REGIONS)
    if not closest:
        return "use one such as us-east-1 or eu-west-1"
    return f"the closest are {', '.join(closest)}"


def _retention(raw: str) -> int:
    allowed = ", ".join(str(d) for d in LOG_RETENTION_DAYS)
    if raw == NEVER_EXPIRE:
        raise ValueError(f"(never expire) is refused: every log group gets a retention policy; use one of {allowed} "
                         "(3653 = ten years, the longest)")
    if _whole_number(raw) not in LOG_RETENTION_DAYS:
        raise ValueError(f"is not a CloudWatch Logs retention; use one of {allowed}")
    return int(raw)


def _audit_retention(environment: str) -> Callable[[str], int]:
    """A retention outside dev: a valid one, and a year or more."""

    def parse(raw: str) -> int:
        days = _retention(raw)
        if days < MIN_AUDIT_RETENTION_DAYS:
            longer = ", ".join(str(d) for d in LOG_RETENTION_DAYS if d >= MIN_AUDIT_RETENTION_DAYS)
            raise ValueError(
                f"is too short for environment {environment!r}; outside dev, payment logs are kept at least "
                f"{MIN_AUDIT_RETENTION_DAYS} days: use one of {longer}"
            )
        return days

    return parse


def _concurrency(raw: str) -> int:
    number = _whole_number(raw)
    if number is None or number > MAX_RESERVED_CONCURRENCY:
        raise ValueError(
            f"is not a reserved concurrency; use 0 (none reserved) or a whole number up to {MAX_RESERVED_CONCURRENCY}"
        )
    return int(raw)


def _reserved_concurrency(environment: str) -> Callable[[str], int]:
    """Reserved concurrency outside dev: at least 1, so a burst can neither take the account nor flood the ledger."""

    def parse(raw: str) -> int:
        reserved = _concurrency(raw)
        if reserved == 0:
            # Lambda reads a reserved concurrency of 0 as "throttle every invoke"; this project's 0 means "reserve
            # none", which outside dev leaves the functions uncapped (checkov CKV_AWS_115).
            raise ValueError(
                f"reserves no concurrency, which environment {environment!r} does not allow: outside dev each function "
                f"reserves capacity and caps a burst on the ledger; use a whole number from 1 to "
                f"{MAX_RESERVED_CONCURRENCY}"
            )
        return reserved

    return parse


def go_duration_seconds(raw: str) -> float:
    """Seconds in a Go duration string such as "30s", "1m30s" or "1.5m"; ValueError when it is not one."""
    position, total = 0, 0.0
    for part in _GO_DURATION_PART.finditer(raw):
        if part.start() != position:
            break
        total += float(part.group(1)) * _GO_UNIT_SECONDS[part.group(2)]
        position = part.end()
    if not raw or position != len(raw):
        raise ValueError("is not a Go duration")
    return total


def _propagation_wait(raw: str) -> str:
    allowed = (f"use a Go duration from {MIN_PROPAGATION_SECONDS:g}s to {MAX_PROPAGATION_SECONDS / 60:g}m "
               "(e.g. 30s, 2m, 1m30s)")
    try:
        seconds = go_duration_seconds(raw)
    except ValueError:
        raise ValueError(f"is not a Go duration; {allowed}") from None
    if not MIN_PROPAGATION_SECONDS <= seconds <= MAX_PROPAGATION_SECONDS:
        raise ValueError(f"is out of range; {allowed}")
    return raw


def _deletion_window(raw: str) -> int:
    if _whole_number(raw) not in KEY_DELETION_WINDOW_DAYS:
        raise ValueError("is not a KMS key deletion window; use a whole number of days from 7 to 30")
    return int(raw)


def _boolean(raw: str) -> bool:
    if raw not in _BOOLEANS:
        raise ValueError("is not a boolean; use true or false")
    return _BOOLEANS[raw]


def _max_amount(raw: str) -> str:
    """The validation handler's ceiling, in currency units; checked here so a typo fails synth, not payments."""
    allowed = "use a positive decimal with at most 12 digits before and 3 after the point (e.g. 1000000.00)"
    try:
        valid = bool(_PLAIN_DECIMAL.fullmatch(raw)) and Decimal(raw) > 0
    except InvalidOperation:
        valid = False
    if not valid:
        raise ValueError(f"is not a payment amount; {allowed}")
    return raw


def _alert_email(raw: str) -> str | None:
    if raw == "":
        return None
    if len(raw) > EMAIL_MAX_LENGTH or not _EMAIL.fullmatch(raw):
        raise ValueError(
            f"is not an e-mail address; use name@example.com (ASCII, at most {EMAIL_MAX_LENGTH} characters), "
            "or leave it unset to subscribe no one"
        )
    return raw


def _backend_kind(raw: str) -> BackendKind:
    if raw not in ("local", "s3"):
        raise ValueError("is not a state backend; use local or s3")
    return raw  # type: ignore[return-value]


def _state_dir(synth_outdir: str | None) -> Callable[[str], Path]:
    """A folder for local state that neither `make clean` nor a synth can delete, however the path is spelled.

    Checked both as written (made absolute, ``..`` folded) and with symlinks resolved, against both forms of each
    doomed folder: a symlink into cdktf.out, or cdktf.out itself a symlink, must not slip through.
    """
    literal = [name for name in REMOVED_BY_MAKE_CLEAN if not glob.has_magic(name)]
    patterns = [name for name in REMOVED_BY_MAKE_CLEAN if glob.has_magic(name)]
    doomed = {name: _both_forms(PROJECT_ROOT / name) for name in literal}
    roots = _both_forms(PROJECT_ROOT)
    if synth_outdir:
        doomed[f"CDKTF_OUTDIR={shown(synth_outdir)}"] = _both_forms(_from_project_root(synth_outdir))
    rule = "use a folder outside the synth output and what make clean deletes (default terraform-state)"

    def parse(raw: str) -> Path:
        if not raw.strip():
            raise ValueError("is empty; use a folder path for local state files")
        path = _from_project_root(raw)
        forms = _both_forms(path)
        if forms & _both_forms(PROJECT_ROOT):
            raise ValueError(f"is the repository folder itself; {rule}")
        for name, removed in doomed.items():
            if any(form == folder or folder in form.parents for form in forms for folder in removed):
                raise ValueError(f"is inside {name}, which make clean or the next synth deletes; {rule}")
        # A glob of `make clean` (a killed synth's leftovers) deletes whatever top-level folder its name matches.
        for pattern in patterns:
            if any(
                folder.parent in roots and fnmatch.fnmatchcase(folder.name, pattern)
                for form in forms
                for folder in (form, *form.parents)
            ):
                raise ValueError(f"is inside {pattern}, which make clean or the next synth deletes; {rule}")
        return path

    return parse


def _from_project_root(raw: str) -> Path:
    path = Path(raw)
    return path if path.is_absolute() else PROJECT_ROOT / path


def _both_forms(path: Path) -> set[Path]:
    """The path as written (absolute, with ``..`` folded lexically) and as the file system resolves it."""
    return {Path(os.path.normpath(path)), path.resolve()}


def _bucket(raw: str) -> str:
    rule = (
        "is not an S3 bucket name; use 3-63 lower-case letters, digits, dots and hyphens, beginning and ending with a "
        "letter or digit"
    )
    if not _S3_BUCKET.fullmatch(raw):
        raise ValueError(rule)
    if any(pair in raw for pair in _S3_BAD_NEIGHBOURS):
        raise ValueError(f"{rule}, with no '..', '.-' or '-.'")
    if _S3_IP_ADDRESS.fullmatch(raw):
        raise ValueError("is not an S3 bucket name; S3 refuses names formatted as an IP address")
    if raw.startswith(_S3_RESERVED_PREFIXES) or raw.endswith(_S3_RESERVED_SUFFIXES):
        reserved = ", ".join([f"{p}…" for p in _S3_RESERVED_PREFIXES] + [f"…{s}" for s in _S3_RESERVED_SUFFIXES])
        raise ValueError(f"is not an S3 bucket name; S3 reserves the prefixes and suffixes {reserved}")
    return raw


def _key_prefix(raw: str) -> str:
    if not _S3_KEY_PREFIX.fullmatch(raw) or raw.startswith("/") or raw.endswith("/"):
        raise ValueError("is not an S3 key prefix; use 1-200 characters of letters, digits and !_.*'()/-, "
                         "not starting or ending with /")
    return raw


def _backend(
    reader: _Reader, default_region: str, synth_outdir: str | None
) -> LocalBackendSettings | S3BackendSettings:
    kind = reader.read("PAYMENT_STATE_BACKEND", "local", _backend_kind)
    if kind == "s3":
        return S3BackendSettings(
            bucket=reader.read("PAYMENT_STATE_BUCKET", "", _bucket),
            region=reader.read("PAYMENT_STATE_REGION", default_region, _region),
            key_prefix=reader.read("PAYMENT_STATE_KEY_PREFIX", "payment-workflow", _key_prefix),
        )
    return LocalBackendSettings(
        state_dir=reader.read("PAYMENT_STATE_DIR", DEFAULT_STATE_DIR, _state_dir(synth_outdir))
    )


def partition_of(region: str) -> str:
    """The AWS partition a region belongs to: ARNs of this deployment start with arn:<partition>:."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def _account_id(environment: str | None, is_dev: bool) -> Callable[[str], str | None]:
    """The one account the AWS provider may act in (its allowed_account_ids): required outside dev, so Terraform
    itself refuses credentials of any other account."""

    def parse(raw: str) -> str | None:
        if raw == "" and is_dev:
            return None
        if raw == "":
            raise ValueError(
                f"is required outside dev: set it to the 12-digit ID of the AWS account environment {environment!r} "
                "deploys to (Terraform then refuses any other account)"
            )
        if not _ACCOUNT_ID.fullmatch(raw):
            raise ValueError("is not an AWS account ID; use its 12 digits, e.g. 111122223333")
        return raw

    return parse


def _operator_roles(account: str | None, partition: str) -> Callable[[str], tuple[str, ...]]:
    """Role ARNs of this account, comma-separated, each granted what starting and inspecting executions needs."""
    example = f"arn:{partition}:iam::{account or '111122223333'}:role/payments-operator"

    def parse(raw: str) -> tuple[str, ...]:
        if raw.strip() == "":
            return ()
        arns = [part.strip() for part in raw.split(",")]
        names: dict[str, str] = {}
        for arn in arns:
            matched = _ROLE_ARN.fullmatch(arn)
            if matched is None:
                raise ValueError(f"has {shown(arn)}, which is not an IAM role ARN; list role ARNs separated by "
                                 f"commas, e.g. {example}")
            if matched["partition"] != partition:
                raise ValueError(f"has {shown(arn)} in partition {matched['partition']!r}, but the region is in "
                                 f"{partition!r}; use arn:{partition}:iam::...")
            if account is None:
                raise ValueError("names roles, but PAYMENT_AWS_ACCOUNT_ID is not set (or not valid): set the "
                                 "account, so the roles can be checked to be its own")
            if matched["account"] != account:
                raise ValueError(f"has {shown(arn)} of account {matched['account']!r}; operators must be roles of "
                                 f"this account, {account} (PAYMENT_AWS_ACCOUNT_ID)")
            if not _ROLE_PATH.fullmatch(matched["path"]):
                raise ValueError(f"has {shown(arn)}, whose path is not an IAM path: '/' or '/a/b/' of ASCII "
                                 "characters from ! through DEL, at most 512")
            if not _ROLE_NAME.fullmatch(matched["name"]):
                raise ValueError(f"has {shown(arn)}, whose name is not an IAM role name: 1-64 letters, digits "
                                 "and _+=.@-")
            earlier = names.setdefault(matched["name"].lower(), arn)
            if earlier != arn:
                raise ValueError(f"names the role {matched['name']!r} twice ({earlier}, {arn}); IAM role names "
                                 "are unique in an account, whatever their path or case")
        return tuple(arns)

    return parse
