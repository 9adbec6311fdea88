"""The migrate stops when the section functions and the list or the table disagree: a generated
file not regenerated after the list changed, or a section without its column."""

from __future__ import annotations

import psycopg
import pytest

from tools.package_map import ROOT
from tools.section_sql import SOURCE, Section, read_sections, render

Conn = psycopg.Connection[tuple[object, ...]]
LIST_FILE = (ROOT / SOURCE).read_text("utf-8")
SECTIONS = read_sections(LIST_FILE)


def test_the_generated_file_and_the_list_apply_together(admin_conn: Conn) -> None:
    with admin_conn.transaction(force_rollback=True):
        admin_conn.execute(render(SECTIONS) + LIST_FILE)


def test_a_generated_file_older_than_the_list_stops_the_migrate(admin_conn: Conn) -> None:
    stale = render(SECTIONS[:-1])  # made before the last section was listed
    with pytest.raises(psycopg.errors.RaiseException), admin_conn.transaction():
        admin_conn.execute(stale + LIST_FILE)


def test_a_section_without_its_column_stops_the_migrate(admin_conn: Conn) -> None:
    with pytest.raises(psycopg.errors.RaiseException), admin_conn.transaction():
        admin_conn.execute(render([*SECTIONS, Section("quiz", ("array", "null"))]))


def test_a_section_whose_column_has_another_type_stops_the_migrate(admin_conn: Conn) -> None:
    retyped = [Section(s.name, ("string",)) if s.name == "script" else s for s in SECTIONS]
    with pytest.raises(psycopg.errors.RaiseException), admin_conn.transaction():
        admin_conn.execute(render(retyped))
