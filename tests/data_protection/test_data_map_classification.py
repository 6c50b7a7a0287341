"""The data map checked by the build (issue 15 point 3, ADR 0100): every column of every table of
every installed service — its own and the platform's shared ones — is classified, the map names
nothing the schema lacks, and the records in ``docs/data-map/`` are the ones the map writes.

Checked twice: against the mapped schema (SQLAlchemy metadata) and against the schema the
migrations build on the real PostgreSQL, so a column added by a migration alone cannot slip in
unclassified either."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import sqlalchemy as sa

from lotse_platform.datamap import (
    NOT_PERSONAL,
    PERSONAL,
    DataClass,
    DataMap,
    DataMapError,
    Table,
    as_json,
    differences,
    load_service_map,
    special,
)
from lotse_platform.data_map_docs import DATA_MAP_DIR, records
from lotse_platform.db.migrations import upgrade
from lotse_platform.service import installed_services

ROOT = Path(__file__).resolve().parents[2]
SERVICES = installed_services()
_numbers = itertools.count(1)


def _id(service) -> str:
    return service.name


@pytest.mark.parametrize("service", SERVICES, ids=_id)
def test_every_column_of_the_mapped_schema_is_classified_and_nothing_else(service):
    data_map = load_service_map(service.__module__, service.metadata)
    assert differences(service.metadata, data_map) == []


@pytest.mark.integration
@pytest.mark.parametrize("service", SERVICES, ids=_id)
def test_every_column_the_migrations_build_is_classified(service, databases):
    database = databases.create(f"datamap{next(_numbers)}")
    upgrade(service.migrations, database.owner_url)
    engine = sa.create_engine(database.owner_url, poolclass=sa.pool.NullPool)
    try:
        built = sa.MetaData()
        built.reflect(engine)
    finally:
        engine.dispose()
    built.remove(built.tables["alembic_version"])
    data_map = load_service_map(service.__module__, service.metadata)
    assert differences(built, data_map) == []


def test_the_records_in_docs_are_the_ones_the_maps_write():
    written = records()
    assert sorted(written) == sorted(s.name for s in SERVICES)
    stale = [name for name, text in written.items()
             if not (ROOT / DATA_MAP_DIR / f"{name}.md").is_file()
             or (ROOT / DATA_MAP_DIR / f"{name}.md").read_text(encoding="utf-8") != text]
    assert stale == [], "run `make data-map`"


def test_a_new_column_without_classification_and_a_classified_column_gone_are_named():
    metadata = sa.MetaData()
    sa.Table("persons", metadata, sa.Column("id", sa.Uuid), sa.Column("name", sa.String),
             sa.Column("nickname", sa.String))
    sa.Table("notes", metadata, sa.Column("id", sa.Uuid))
    data_map = DataMap([Table("persons", "Personen", "persons", "case_record", "task_sgb", {
        "id": PERSONAL, "name": PERSONAL, "maiden_name": PERSONAL})])
    assert differences(metadata, data_map) == [
        "table notes has no classification",
        "column persons.nickname has no classification",
        "column persons.maiden_name is classified but not in the schema",
    ]
    assert differences(sa.MetaData(), data_map) == [
        "table persons is classified but not in the schema"]


def test_a_map_naming_an_unknown_retention_kind_or_legal_basis_is_refused():
    with pytest.raises(DataMapError, match="retention"):
        Table("t", "de", "en", "forever", "task_sgb", {})
    with pytest.raises(DataMapError, match="legal basis"):
        Table("t", "de", "en", "case_record", "because", {})
    with pytest.raises(DataMapError, match="kind"):
        special("hobbies")
    with pytest.raises(DataMapError, match="twice"):
        DataMap([Table("t", "de", "en", "audit", "none"), Table("t", "de", "en", "audit", "none")])


def test_a_column_takes_what_its_table_says_unless_it_says_otherwise():
    table = Table("contacts", "Kontakte", "contacts", "case_record", "task_sgb", {
        "id": NOT_PERSONAL, "notes": special("free_text")})
    answer = as_json("casework", DataMap([table]))
    (mapped,) = answer["tables"]
    assert mapped["data_class"] == DataClass.special_category.value
    assert mapped["columns"][0] == {
        "name": "id", "data_class": "not_personal", "kind": None, "purpose_de": "Kontakte",
        "purpose_en": "contacts", "retention": "case_record", "legal_basis": "task_sgb",
        "note": None}
    assert mapped["columns"][1]["legal_basis"] == "task_sgb_special"
    assert [b["key"] for b in answer["legal_bases"]] == ["task_sgb", "task_sgb_special"]
    # a table whose basis covers Art. 9 data gives it to its special-category columns
    consented = Table("referrals", "Weiterleitungen", "referrals", "referral", "consent", {
        "shared": special("free_text")})
    assert consented.classified()[0].legal_basis == "consent"


def test_free_text_and_the_health_and_residence_facts_are_special_categories():
    """The fields the issue names: health notes, residence details, assessment texts."""
    by_service = {s.name: load_service_map(s.__module__, s.metadata) for s in SERVICES}
    expected = {("casework", "contacts", "notes"), ("casework", "assessments", "life_areas"),
                ("casework", "persons", "screening"), ("intake", "screenings", "facts"),
                ("intake", "intakes", "note"), ("casework", "goals", "statement")}
    for service, table, column in expected:
        mapped = by_service[service].tables[table].columns[column]
        assert mapped.data_class is DataClass.special_category, (service, table, column)
