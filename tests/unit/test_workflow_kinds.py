"""One concept, one list: the kind types (wire model, API parameter, SDK) are tutopanda.workflows'
lists, and the API and the SDK use those types rather than spelling the kinds again."""

from __future__ import annotations

from typing import get_args

from tutopanda.workflows import ASSET_SECTIONS, STARTABLE_KINDS, AssetKind, StartableKind


def test_the_startable_kind_type_is_the_startable_workflows() -> None:
    assert get_args(StartableKind) == STARTABLE_KINDS


def test_the_asset_kind_type_is_the_regenerable_asset_kinds() -> None:
    assert get_args(AssetKind) == tuple(ASSET_SECTIONS)
