"""Problem documents of the APIs become German messages at the fields and a summary."""

from lotse_console.domain.field_errors import from_problem


def test_a_missing_field_is_named_at_its_field_in_german():
    errors = from_problem(422, {"errors": [
        {"field": "person.family_name", "message": "Missing data for required field."}]})
    assert errors.at("person.family_name") == ["Bitte ausfüllen – diese Angabe ist Pflicht."]
    assert errors.summary() == [("person.family_name",
                                 "Familienname: Bitte ausfüllen – diese Angabe ist Pflicht.")]


def test_a_concern_without_its_youth_office_asks_for_the_office_in_german():
    errors = from_problem(422, {"errors": [{
        "field": "youth_office_org_id",
        "message": "a concern for a child's wellbeing names the youth office (Jugendamt) it "
                   "goes to"}]})
    assert errors.summary() == [("youth_office_org_id", "Zuständiges Jugendamt: Bei einer Sorge "
                                 "um das Kindeswohl bitte das Jugendamt wählen, an das sie "
                                 "gemeldet wird.")]


def test_an_error_inside_a_list_is_shown_at_the_list():
    errors = from_problem(422, {"errors": [{"field": "topic_areas.1",
                                            "message": "Must be one of: residence, language."}]})
    assert errors.at("topic_areas") == ["Bitte einen Eintrag aus der Liste wählen."]


def test_an_admission_conflict_names_the_missing_consents_in_german():
    errors = from_problem(409, {"errors": [{"field": "consents.counselling_agreement",
                                            "message": "missing"},
                                           {"field": "screening", "message": "missing"}]})
    lines = [line for _, line in errors.summary()]
    assert lines == ["Beratungsvereinbarung: Es fehlt eine gültige Beratungsvereinbarung.",
                     "Screening: Das Screening ist noch nicht abgeschlossen."]


def test_an_unknown_english_message_never_reaches_the_page():
    errors = from_problem(422, {"errors": [{"field": "note", "message": "Contains a tab"}]})
    assert errors.at("note") == ["Diese Angabe wurde nicht angenommen – bitte prüfen."]


def test_a_problem_without_fields_gives_a_general_german_line():
    errors = from_problem(409, {"detail": "already admitted"})
    assert errors.summary() == [("", "Das geht im jetzigen Stand nicht.")]


def test_a_step_without_its_text_asks_for_the_reason():
    errors = from_problem(422, {"errors": [{"field": "text",
                                            "message": "a declined step states it"}]})
    assert errors.summary() == [("text", "Begründung / Rückmeldung: Bitte ausfüllen – diese "
                                         "Angabe ist Pflicht.")]


def test_a_goal_that_is_not_smart_is_explained_letter_by_letter():
    errors = from_problem(422, {"errors": [
        {"field": "indicator", "message": "missing (measurable: how reaching it will be seen)"},
        {"field": "due_on", "message": "must not be in the past"}]})
    assert errors.at("indicator") == [
        "Messbar: Woran wird man erkennen, dass das Ziel erreicht ist?"]
    assert errors.at("due_on") == [
        "Terminiert: Das Datum darf nicht in der Vergangenheit liegen."]


def test_a_step_of_another_phase_says_so_in_german():
    errors = from_problem(409, {"detail": "setting a goal belongs to the phases goal_agreement, "
                                          "reassessment; the case is in monitoring"})
    assert errors.summary() == [("", "Das gehört zu einer anderen Phase des Falls; die "
                                     "Fallakte zeigt, in welcher Phase er gerade ist.")]


def test_a_missing_release_is_named_at_the_partner_and_the_topic_area_in_german():
    from lotse_console.domain.field_errors import missing_releases
    from lotse_console.domain.vocabulary import TOPIC_AREAS

    problem = {"status": 409, "detail": "no valid release of confidentiality",
               "missing": [{"partner_org_id": "p1", "partner_name": "Diakonie Paderborn-Höxter",
                            "topic_area": "housing"}]}
    errors = missing_releases(problem, TOPIC_AREAS)
    assert errors.at("partner_org_id") == [
        "Für Diakonie Paderborn-Höxter liegt keine gültige Schweigepflichtentbindung für den "
        "Themenbereich „Wohnen“ vor."]
    assert "„Wohnen“" in errors.at("topic_area")[0]
    assert [field for field, _ in errors.summary()] == ["partner_org_id", "topic_area"]
    # a partner whose name has not arrived yet is still named as a partner, never by its id
    unnamed = missing_releases({"missing": [{"partner_org_id": "p1", "partner_name": None,
                                              "topic_area": "language"}]}, TOPIC_AREAS)
    assert "p1" not in unnamed.at("partner_org_id")[0]
    assert "diese Partnerorganisation" in unnamed.at("partner_org_id")[0]


def test_the_networks_missing_field_is_german_at_its_field():
    errors = from_problem(422, {"errors": [{"field": "reason", "message": "missing"}]})
    assert errors.at("reason") == ["Bitte ausfüllen – diese Angabe ist Pflicht."]


def test_a_goals_reason_stands_at_the_field_of_the_form_that_was_sent():
    from lotse_console.domain.field_errors import renamed

    problem = {"errors": [{"field": "reason", "message": "missing"}]}
    errors = from_problem(422, renamed(problem, {"reason": "dropped_reason"}))
    assert errors.summary() == [("dropped_reason", "Warum das Ziel aufgegeben wird: Bitte "
                                                   "ausfüllen – diese Angabe ist Pflicht.")]
    closed = from_problem(409, {"detail": "the goal is reached"})
    assert "schon abgeschlossen" in closed.summary()[0][1]


def test_a_language_level_and_a_conference_person_are_named_by_their_rows():
    from lotse_console.domain.field_errors import renamed

    problem = {"errors": [
        {"field": "language_levels.0.assessed_on", "message": "not in the future"},
        {"field": "persons.1.client_agreed", "message": "a person without an organisation "
         "takes part only with the client's agreement (no release of confidentiality covers "
         "them)"}]}
    errors = from_problem(422, renamed(problem, {"language_levels.0": "language_levels.r2",
                                                 "persons.1": "persons.r2"}))
    assert errors.summary() == [
        ("language_levels.r2.assessed_on", "Sprachniveaus – Zeile 2: festgestellt am: Das "
                                           "Datum darf nicht in der Zukunft liegen."),
        ("persons.r2.client_agreed", "weitere Teilnehmende – Zeile 2: Zustimmung der Person: "
                                     "Nur mit Zustimmung der Person: Bitte bestätigen, dass "
                                     "sie der Teilnahme zugestimmt hat.")]


def test_identitys_refusals_of_a_new_user_are_german():
    errors = from_problem(422, {"errors": [
        {"field": "username", "message": "lower-case letters, digits and . _ @ - (2 to 100)"},
        {"field": "password", "message": "the password is shorter than 12 characters; a "
                                         "passphrase of several words is easier"}]})
    assert errors.at("username")[0].startswith("Nur Kleinbuchstaben, Ziffern")
    assert errors.at("password") == ["Zu kurz: mindestens 12 Zeichen."]
    taken = from_problem(409, {"errors": [{"field": "username",
                                           "message": "this username is taken"}]})
    assert taken.summary() == [("username", "Benutzername: Dieser Benutzername ist schon "
                                            "vergeben.")]
