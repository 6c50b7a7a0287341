"""Target-group matching as pure rules: conditions, scope, validity — no database."""

from __future__ import annotations

from datetime import date

import pytest

from lotse_intake.domain.errors import InvalidField
from lotse_intake.domain.target_groups import (
    Conditions,
    ScreeningFacts,
    TargetGroup,
    age_on,
    matching_groups,
)
from lotse_intake.domain.vocabulary import RegionOfOrigin, ResidenceStatus
from lotse_intake.service_layer.seed_target_groups import hoexter_target_groups

DAY = date(2024, 6, 3)


def group(conditions: Conditions, **kw) -> TargetGroup:
    return TargetGroup.define("g", conditions, kw.pop("valid_from", date(2021, 1, 1)), **kw)


def test_age_counts_completed_years_including_on_the_birthday():
    assert age_on(date(1996, 6, 3), DAY) == 28
    assert age_on(date(1996, 6, 4), DAY) == 27
    assert age_on(date(2000, 2, 29), date(2024, 2, 28)) == 23


@pytest.mark.parametrize("age, matches", [(27, False), (28, True), (None, False)])
def test_older_than_27_is_min_age_28_and_an_unknown_age_never_matches(age, matches):
    tolerated_over_27 = Conditions(residence_statuses=(ResidenceStatus.DULDUNG,), min_age=28)
    facts = ScreeningFacts(residence_statuses=(ResidenceStatus.DULDUNG,))

    assert tolerated_over_27.hold_for(facts, age, DAY) is matches


@pytest.mark.parametrize("arrived, matches", [
    (date(2019, 6, 4), True), (date(2019, 6, 3), False), (None, False)])
def test_fewer_than_five_years_in_germany_counts_from_the_arrival(arrived, matches):
    recent = Conditions(years_in_germany_under=5)

    assert recent.hold_for(ScreeningFacts(arrived_in_germany_on=arrived), 30, DAY) is matches


def test_every_set_condition_must_hold_and_unset_facts_hold_none():
    fifth = Conditions(min_age=18, years_in_germany_under=5,
                       multiple_support_need_established=True)
    facts = ScreeningFacts(arrived_in_germany_on=date(2022, 1, 1))

    assert not fifth.hold_for(facts, 30, DAY)
    assert not fifth.hold_for(ScreeningFacts(arrived_in_germany_on=date(2022, 1, 1),
                                             multiple_support_need_established=True), 30, DAY)
    assert fifth.hold_for(ScreeningFacts(arrived_in_germany_on=date(2022, 1, 1),
                                         multiple_support_need_established=True,
                                         multiple_support_need_established_by="org-fbs"),
                          30, DAY)


def test_a_group_matches_only_within_its_validity_and_scope():
    south_east = Conditions(regions_of_origin=(RegionOfOrigin.SOUTH_EAST_EUROPE,))
    limited = group(south_east, valid_from=date(2023, 5, 10), valid_until=date(2024, 12, 31),
                    area_ids=["hilden"])
    facts = ScreeningFacts(region_of_origin=RegionOfOrigin.SOUTH_EAST_EUROPE)

    assert limited.matches(facts, 30, "hilden", date(2024, 12, 31))
    assert not limited.matches(facts, 30, "hilden", date(2025, 1, 1))
    assert not limited.matches(facts, 30, "hilden", date(2023, 5, 9))
    assert not limited.matches(facts, 30, "velbert", DAY)


def test_a_group_for_the_whole_tenant_applies_to_every_area():
    assert group(Conditions()).applies_to("any-town")


def test_a_group_ending_before_it_starts_is_refused_naming_valid_until():
    with pytest.raises(InvalidField) as refused:
        group(Conditions(), valid_from=date(2024, 1, 1), valid_until=date(2023, 12, 31))

    assert refused.value.field == "valid_until"


def test_a_minimum_age_above_the_maximum_is_refused():
    with pytest.raises(InvalidField):
        Conditions(min_age=30, max_age=20)


def test_hoexter_groups_cover_each_town_as_the_concept_says():
    groups = [TargetGroup.define(c.name, c.conditions, c.valid_from, area_ids=c.area_ids)
              for c in hoexter_target_groups(lambda town: town, "admin")]
    tolerated = ScreeningFacts(residence_statuses=(ResidenceStatus.DULDUNG,))
    recognised = ScreeningFacts(residence_statuses=(ResidenceStatus.RECOGNISED_REFUGEE,))
    asylum = ScreeningFacts(residence_statuses=(ResidenceStatus.GESTATTUNG,))

    def towns(facts):
        return sorted(t for t in ("borgentreich", "bad-driburg", "nieheim", "marienmuenster",
                                  "steinheim", "warburg", "willebadessen", "brakel",
                                  "beverungen", "hoexter")
                      if matching_groups(groups, facts, 30, t, DAY))

    assert towns(recognised) == ["bad-driburg", "borgentreich", "hoexter"]
    assert towns(asylum) == ["beverungen", "brakel", "marienmuenster", "nieheim", "steinheim",
                             "warburg", "willebadessen"]
    assert towns(tolerated) == sorted(towns(asylum) + ["hoexter"])
