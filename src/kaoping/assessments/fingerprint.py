"""The fingerprint of a year's results: SHA-256 over their canonical JSON, so a printed copy can be checked."""

import hashlib

from kaoping.audit.chain import canonical_json
from kaoping.campaigns.models import Campaign
from kaoping.scoring.outcome import CampaignOutcome, outcome_to_json

from .results import results_stored

SHORT = 12  # hex digits shown on the page, in the workbook and in the notice


def outcome_fingerprint(outcome: CampaignOutcome) -> str:
    """SHA-256 of `kaoping results --json` in canonical form (sorted keys, no spaces)."""
    return hashlib.sha256(canonical_json(outcome_to_json(outcome)).encode("utf-8")).hexdigest()


def results_fingerprint(campaign: Campaign) -> str:
    return outcome_fingerprint(results_stored(campaign))
