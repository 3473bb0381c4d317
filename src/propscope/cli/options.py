"""Options several commands share, so each is parsed and explained the same way."""

from __future__ import annotations

import argparse

SENSITIVITY_HELP = (
    "how readily spans and paragraph labels are given: precise (about a quarter of the spans, "
    "surer ones), balanced (the calibrated thresholds), broad (two to three times the spans, "
    "for review), exhaustive (four to six times the spans, nearly all wrong), or a shift of every "
    "threshold in logits from -3 to 3; genre and frames are not affected")


def _sensitivity(value: str) -> str:
    from propscope.errors import SettingError
    from propscope.models.sensitivity import resolve_sensitivity

    try:
        resolve_sensitivity(value)
    except SettingError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value


def add_sensitivity(parser: argparse.ArgumentParser, default: str | None = None) -> None:
    """``--sensitivity LEVEL``, checked while parsing (a typo is a usage error); ``None``
    leaves the level to the settings (``PROPSCOPE_SENSITIVITY``, default balanced)."""
    parser.add_argument("--sensitivity", type=_sensitivity, metavar="LEVEL", default=default,
                        help=SENSITIVITY_HELP + " (default: balanced, or PROPSCOPE_SENSITIVITY)")
