"""Appointments of a case and open consultation hours (seed 001 L134 "Terminabsprachen",
"offene Sprechstunde"): planned, taken place as a contact, or a no-show; today's in my day."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from lotse_platform.auth import COORDINATOR
from lotse_platform.testing import days_ago, days_ahead, today

from lotse.casework.v1 import events_pb2 as ev

from casework_steps import ok
from casework_support import open_test_case

pytestmark = pytest.mark.integration


def appointment(**overrides) -> dict:
    body = {"kind": "appointment", "on": days_ago(0), "at": "09:30", "duration_minutes": 90,
            "place": "Kreishaus Höxter, Raum 112", "with_whom": "Klientin und Ehemann",
            "interpreter_needed": True}
    body.update(overrides)
    return body


def test_appointments_are_planned_taken_place_as_contacts_or_missed_and_listed_in_my_day(
        casework, tenant, as_user, superuser):
    # 001 L134: "Das Case Management funktioniert in der Regel mit Terminabsprachen."
    lea = as_user("cm-lea")
    case_id = open_test_case(casework, tenant, "cm-lea")
    first = ok(lea.post(f"/cases/{case_id}/appointments", appointment()), 201)["id"]
    missed = ok(lea.post(f"/cases/{case_id}/appointments", appointment(at="14:00")), 201)["id"]
    later = ok(lea.post(f"/cases/{case_id}/appointments", appointment(on=days_ahead(3))),
               201)["id"]
    past = lea.post(f"/cases/{case_id}/appointments", appointment(on=days_ago(1)))
    assert past.status_code == 422 and past.get_json()["errors"][0]["field"] == "on"
    assert lea.post(f"/cases/{case_id}/appointments", appointment(place="")
                    ).get_json()["errors"][0]["field"] == "place"

    day = ok(lea.get("/my-day"), 200)
    assert [(a["appointment_id"], a["at"], a["interpreter_needed"]) for a in day["appointments"]
            ] == [(first, "09:30:00", True), (missed, "14:00:00", True)], "today's, by time"
    assert "Raum 112" not in str(day), "place and company stay in the case file"

    contact_id = ok(lea.post(f"/cases/{case_id}/contacts", {
        "type": "appointment", "occurred_on": days_ago(0), "duration_minutes": 80,
        "topics": ["residence"], "appointment_id": first}), 201)["id"]
    ok(lea.post(f"/cases/{case_id}/appointments/{missed}/no-show"))
    early = lea.post(f"/cases/{case_id}/appointments/{later}/no-show")
    assert early.status_code == 409, "a no-show is recorded on its day or later"
    ok(lea.post(f"/cases/{case_id}/appointments/{later}/cancel"))

    listed = {a["id"]: a for a in ok(lea.get(f"/cases/{case_id}/appointments"), 200)}
    assert listed[first]["status"] == "took_place" and listed[first]["contact_id"] == contact_id
    assert listed[missed]["status"] == "no_show" and listed[later]["status"] == "cancelled"
    assert listed[first]["place"] == "Kreishaus Höxter, Raum 112"
    contacts = ok(lea.get(f"/cases/{case_id}/contacts"), 200)["contacts"]
    assert contacts[0]["appointment_id"] == first
    mismatch = ok(lea.post(f"/cases/{case_id}/appointments", appointment(at="16:00")), 201)["id"]
    wrong = lea.post(f"/cases/{case_id}/contacts", {
        "type": "phone_call", "occurred_on": days_ago(0), "duration_minutes": 10,
        "appointment_id": mismatch})
    assert wrong.status_code == 422 and wrong.get_json()["errors"][0]["field"] == "type"

    with superuser.connect() as connection:
        [payload] = connection.execute(sa.text(
            "SELECT payload FROM outbox WHERE event_type = 'casework.appointment.missed.v1' "
            "AND aggregate_id = :a"), {"a": str(case_id)}).scalars().all()
    no_show = ev.AppointmentMissed.FromString(payload)
    assert (no_show.appointment_id, no_show.kind, no_show.appointment_on) == (
        missed, ev.CONTACT_TYPE_APPOINTMENT, days_ago(0)), "no-shows are counted from events"
    assert b"Raum 112" not in payload

    sevda = as_user("cm-sevda")
    assert sevda.get(f"/cases/{case_id}/appointments").status_code == 404
    assert sevda.post(f"/cases/{case_id}/appointments/{first}/no-show").status_code == 404


def test_open_consultation_hours_belong_to_a_case_manager_and_a_place(casework, tenant, as_user):
    # 001 L134: "Für Terminfragen oder kurze Klärungen … kann die offene Sprechstunde einzelner
    # CM genutzt werden"
    lea, coordinator = as_user("cm-lea"), as_user("ks-koch", roles=(COORDINATOR,))
    weekday = today().weekday()
    hours = ok(lea.post("/consultation-hours", {
        "place": "Rathaus Brakel", "weekday": weekday, "starts": "08:00", "ends": "10:00"}),
        201)["id"]
    ok(lea.post("/consultation-hours", {"place": "Kreishaus Höxter",
                                        "weekday": (weekday + 1) % 7, "starts": "14:00",
                                        "ends": "16:00"}), 201)
    backwards = lea.post("/consultation-hours", {"place": "Rathaus", "weekday": weekday,
                                                 "starts": "10:00", "ends": "09:00"})
    assert backwards.status_code == 422 and backwards.get_json()["errors"][0]["field"] == "ends"

    assert [h["place"] for h in ok(lea.get("/my-day"), 200)["consultation_hours"]] == [
        "Rathaus Brakel"]
    listed = ok(coordinator.get("/consultation-hours"), 200)
    assert {(h["case_manager_id"], h["place"]) for h in listed} == {
        ("cm-lea", "Rathaus Brakel"), ("cm-lea", "Kreishaus Höxter")}
    assert as_user("cm-sevda").post(f"/consultation-hours/{hours}/end").status_code == 404
    ok(lea.post(f"/consultation-hours/{hours}/end"))
    assert ok(lea.get("/my-day"), 200)["consultation_hours"] == []
