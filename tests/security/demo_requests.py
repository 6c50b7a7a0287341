"""A valid request for every operation that takes a body, built from the demo county and the
records the security tests make for themselves (:func:`make_records`): what the authorisation
matrix sends, and what the canary walk fills one string field at a time.

``BODIES`` maps an operation (``"POST /api/v1/casework/cases/{case_id}/contacts"``) to a
function of the records giving a fresh body (a new username each time, dates from the tenant's
today): a JSON document, or a :class:`~.embedded.Multipart` for an upload. Path parameters are
named in ``authorisation_matrix.yaml`` by record name.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from lotse_demo import COUNTY
from lotse_platform.testing import days_ago, days_ahead

from .embedded import API, Embedded, Multipart, demo

Records = dict[str, str]


def _user(username: str) -> str:
    return str(COUNTY.user(username).id)


def _org(key: str) -> str:
    return demo(f"org:{key}")


HOEXTER = demo("area:hoexter")
TENANT = str(COUNTY.tenant_id)


def person() -> dict:
    return {"given_name": "Amina", "family_name": "Haddad", "date_of_birth": "1990-04-12",
            "contact": {"phone": "+49 5271 123456", "email": "amina@example.org",
                        "address": "Markt 1, Höxter"},
            "languages": ["ar", "de"], "interpreter_needed": True}


#: a signed form as a scanner writes it (a PDF is told by its first bytes)
SIGNED_PDF = b"%PDF-1.7\n% unterschriebenes Formular\n%%EOF\n"


def signed_copy(form: str) -> Multipart:
    return Multipart({"form": form}, {"file": (SIGNED_PDF, "application/pdf")})


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def _all_criteria() -> list[dict]:
    return [{"criterion": c, "met": True, "note": "gesehen"} for c in (
        "multiple_dimensions", "several_actors", "long_term_need",
        "standard_care_insufficient", "own_resources_insufficient")]


def _directory_location(name: str = "AWO Treff Höxter-Nord") -> dict:
    return {"organization_id": demo("directory:organization:awo"), "name": name,
            "address_1": "Möllingerstraße 9", "postal_code": "37671", "city": "Höxter",
            "municipality_id": HOEXTER}


def _directory_service(name: str) -> dict:
    return {"organization_id": demo("directory:organization:awo"), "name": name,
            "description": "Beratung zu Aufenthalt, Sprachkursen, Arbeit und Wohnen.",
            "kind": "migration_counselling_adults", "topic_areas": ["residence", "language"],
            "legal_areas": [], "languages": ["de", "ar"], "service_area_ids": [HOEXTER],
            "location_ids": [demo("directory:location:awo-hoexter")],
            "fees_description": "kostenlos",
            "schedules": [{"weekday": "MO", "opens_at": "09:00", "closes_at": "12:00",
                           "description": "offene Sprechstunde"}],
            "contacts": [{"title": "Migrationsberatung", "department": "Beratung",
                          "phone": "+49 5271 6944-0", "email": "beratung@example.org"}]}


BODIES: dict[str, Callable[[Records], Any]] = {
    # -- reporting: a case manager's 2-week report (ADR 0089) ------------------------------------
    "PUT /api/v1/reporting/period-reports/mine/{period}": lambda r: {
        "topics": [{"topic_area": "housing", "text": "Wenig Wohnraum", "theme_candidate": True}],
        "network_minutes": 30},
    # -- network: referrals (ADR 0084) ----------------------------------------------------------
    # Rania Khalil's case (demo person 1) to the immigration office, under her release for
    # residence (consent 3), confirmed with intake
    "POST /api/v1/network/referrals": lambda r: {
        "case_id": demo("case:intake-1"), "intake_id": demo("intake:1"),
        "partner_org_id": _org("abh"), "mode": "warm_handover", "topic_area": "residence",
        "reason": "Verlängerung der Aufenthaltserlaubnis, gemeinsames Gespräch",
        "urgency": "normal",
        "shared": [{"category": "contact", "content": "Termine über die Fallmanagerin"},
                   {"category": "residence_status", "content": "§ 25 Abs. 2 AufenthG"}]},
    "POST /api/v1/network/referrals/{referral_id}/steps": lambda r: {"step": "accepted"},
    # the network's directory (ADR 0083): AWO's entries, which its administrator maintains
    "POST /api/v1/network/directory/organizations": lambda r: {
        "name": "AWO Ortsverein Beverungen", "description": "Ehrenamtliche Beratung",
        "identity_org_id": _org("awo")},
    "PUT /api/v1/network/directory/organizations/{organization_id}": lambda r: {
        "name": "AWO Kreisverband Höxter e. V.",
        "description": "Wohlfahrtsverband: Migrationsberatung und Jugendmigrationsdienst.",
        "identity_org_id": _org("awo")},
    "POST /api/v1/network/directory/locations": lambda r: _directory_location(),
    "PUT /api/v1/network/directory/locations/{location_id}": lambda r: _directory_location(
        "AWO-Zentrum Höxter"),
    "POST /api/v1/network/services": lambda r: _directory_service("Sprachcafé der AWO"),
    "PUT /api/v1/network/services/{service_id}": lambda r: _directory_service(
        "Migrationsberatung für erwachsene Zugewanderte (MBE) Höxter"),
    "PUT /api/v1/network/directory/settings": lambda r: {"public_api": True},
    # HSDS import (ADR 0088): an empty document, which changes nothing
    "POST /api/v1/network/directory/import": lambda r: [],
    # -- casework --------------------------------------------------------------------------------
    "POST /api/v1/casework/cases/{case_id}/signed-copies": lambda r: signed_copy(
        "counselling_agreement"),
    "POST /api/v1/casework/cases/{case_id}/phase": lambda r: {
        "to": "reassessment", "note": "Lage hat sich geändert"},
    "PUT /api/v1/casework/cases/{case_id}/topics": lambda r: {
        "topic_areas": ["residence", "housing", "language"], "legal_areas": ["residence_law"]},
    "PATCH /api/v1/casework/cases/{case_id}/settings": lambda r: {
        "motto_goal": "Ankommen in Höxter", "risk_flagged": False},
    "POST /api/v1/casework/cases/{case_id}/closure": lambda r: {"reason": "moved_away"},
    "POST /api/v1/casework/cases/{case_id}/shares": lambda r: {
        "colleague_id": _user("cm.beverungen"), "kind": "deputy", "valid_from": days_ago(0),
        "valid_until": days_ahead(30)},
    "POST /api/v1/casework/team-discussions": lambda r: {
        "kind": "case_discussion", "held_on": days_ago(1),
        "participant_ids": [_user("cm.hoexter"), _user("cm.beverungen")],
        "topics": ["housing"], "minutes": "Fallbesprechung im Team"},
    "POST /api/v1/casework/cases/{case_id}/transfers": lambda r: {
        "to_case_manager_id": _user("cm.beverungen"), "to_area_id": demo("area:beverungen"),
        "note": "Umzug nach Beverungen"},
    "POST /api/v1/casework/federation/transfers": lambda r: {
        "transfer_id": str(uuid.uuid4()), "from_tenant_id": r["other_tenant"],
        "to_tenant_id": TENANT, "to_area_id": HOEXTER, "from_case_id": str(uuid.uuid4()),
        "callback_url": "http://127.0.0.1:9/api/v1/casework", "topic_areas": ["residence"],
        "legal_areas": ["residence_law"], "phase": "assessment", "offered_on": days_ago(0)},
    "POST /api/v1/casework/federation/transfers/{transfer_id}/accepted": lambda r: {
        "from_tenant_id": TENANT, "accepted_by": str(uuid.uuid4())},
    "POST /api/v1/casework/federation/transfers/{transfer_id}/cancelled": lambda r: {
        "from_tenant_id": r["other_tenant"], "to_tenant_id": TENANT},
    "POST /api/v1/casework/federation/transfers/{transfer_id}/erasure": lambda r: {
        "from_tenant_id": r["other_tenant"], "to_tenant_id": TENANT,
        "erasure_id": str(uuid.uuid4())},
    "POST /api/v1/casework/cases/{case_id}/assessments": lambda r: {
        "life_areas": [{"area": "housing", "client_view": "zu eng",
                        "case_manager_view": "zu eng", "disagreement": "keine"}],
        "resources": [{"kind": "personal", "description": "zuverlässig"}],
        "network": [{"label": "Beratungsstelle", "kind": "professionals",
                     "relation": "Beratung", "quality": "supportive", "intensity": "monthly",
                     "organisation_id": _org("abh")}]},
    "POST /api/v1/casework/cases/{case_id}/goals": lambda r: {
        "topic_area": "housing", "statement": "Eigene Wohnung ist angemietet",
        "indicator": "Mietvertrag unterschrieben", "responsible": "partner_organisation",
        "responsible_org_id": _org("abh"), "realism_note": "erreichbar",
        "due_on": days_ahead(60)},
    "POST /api/v1/casework/cases/{case_id}/goals/{goal_id}/revise": lambda r: {
        "reason": "neue Lage", "topic_area": "residence", "statement": "Antrag ist gestellt",
        "indicator": "Eingangsbestätigung", "responsible": "partner_organisation",
        "responsible_org_id": _org("abh"), "realism_note": "erreichbar",
        "due_on": days_ahead(30)},
    "POST /api/v1/casework/cases/{case_id}/goals/{goal_id}/reach": lambda r: {
        "reason": "erreicht"},
    "POST /api/v1/casework/cases/{case_id}/goals/{goal_id}/drop": lambda r: {
        "reason": "nicht mehr nötig"},
    "POST /api/v1/casework/cases/{case_id}/help-plans": lambda r: {
        "monitoring": {"every_days": 14, "contact_types": ["appointment", "phone_call"]},
        "changes": "Kontakt alle zwei Wochen", "reason": "Fortschreibung"},
    "POST /api/v1/casework/cases/{case_id}/steps": lambda r: {
        "goal_id": r["goal"], "description": "Unterlagen zusammenstellen",
        "responsible": "partner_organisation", "responsible_org_id": _org("abh"),
        "due_on": days_ahead(7)},
    "POST /api/v1/casework/cases/{case_id}/appointments": lambda r: {
        "kind": "appointment", "on": days_ahead(3), "at": "10:00", "duration_minutes": 60,
        "place": "Rathaus Höxter, Raum 12", "interpreter_needed": True},
    "POST /api/v1/casework/cases/{case_id}/contacts": lambda r: {
        "type": "appointment", "occurred_on": days_ago(1), "duration_minutes": 45,
        "topics": ["housing"], "purpose": "counselling", "notes": "Gespräch zur Wohnung",
        "client_agreement": True, "second_staff_id": _user("cm.beverungen"),
        "risk_seen": False},
    "POST /api/v1/casework/household-contacts": lambda r: {
        "members": [{"case_id": r["case"]}, {"case_id": r["closure_case"]}],
        "type": "appointment", "occurred_on": days_ago(1), "duration_minutes": 60,
        "topics": ["housing"], "purpose": "counselling", "notes": "Gespräch mit der Familie",
        "children_present": True},
    "POST /api/v1/casework/cases/{case_id}/conferences": lambda r: {
        "planned_on": days_ahead(7), "topics": ["residence"], "agenda": "Stand der Hilfe",
        "participants": [{"organisation_id": _org("abh"), "role": "Fachberatung"}]},
    "POST /api/v1/casework/cases/{case_id}/conferences/{conference_id}/participants":
        lambda r: {"organisation_id": _org("abh"), "role": "Sachbearbeitung"},
    "POST /api/v1/casework/cases/{case_id}/conferences/{conference_id}/persons": lambda r: {
        "role": "volunteer", "name": "Frau Ehrenamt", "client_agreed": True},
    "POST /api/v1/casework/conference-rounds": lambda r: {
        "case_manager_id": _user("cm.hoexter"), "planned_on": days_ahead(30),
        "topics": ["residence"], "agenda": "Quartalsbesprechung",
        "organisation_ids": [_org("abh")]},
    "POST /api/v1/casework/cases/{case_id}/conferences/{conference_id}/held": lambda r: {
        "held_on": days_ago(0), "minutes": "Absprachen getroffen",
        "actions": [{"action": "Rückmeldung an die CM", "responsible": "partner_organisation",
                     "responsible_org_id": _org("abh"), "due_on": days_ahead(14)}]},
    # the demo's own values again: only who may set them is under test
    "PUT /api/v1/casework/case-managers/{user_id}": lambda r: {
        "organisation_id": _org("stadt-hoexter"), "fte": 1.0, "areas": [HOEXTER],
        "active": True},
    # -- example ---------------------------------------------------------------------------------
    "POST /api/v1/example/notes": lambda r: {"area_id": HOEXTER, "text": "Sprechstunde"},
    # -- identity --------------------------------------------------------------------------------
    "PATCH /api/v1/identity/tenants/{tenant_id}": lambda r: {"name": COUNTY.name},
    "POST /api/v1/identity/organisations": lambda r: {
        "name": _unique("Verein Ankommen"), "kind": "welfare_provider",
        "parent_id": _org("kreis"), "area_id": HOEXTER},
    "PATCH /api/v1/identity/organisations/{organisation_id}": lambda r: {
        "name": COUNTY.organisation("awo").name},
    "POST /api/v1/identity/areas": lambda r: {
        "name": _unique("Ortsteil"), "kind": "district", "parent_id": HOEXTER},
    "PATCH /api/v1/identity/areas/{area_id}": lambda r: {
        "name": COUNTY.area("hoexter").name, "kind": "town"},
    "POST /api/v1/identity/users": lambda r: {
        "username": _unique("sec.awo"), "display_name": "Hanna Beispiel",
        "email": "hanna.beispiel@example.org", "organisation_id": _org("awo"),
        "roles": ["provider_staff"], "area_ids": [HOEXTER], "fte": 0.5,
        "password": "ein-langes-passwort-fuer-hanna"},
    "PATCH /api/v1/identity/users/{user_id}": lambda r: {
        "display_name": "Hanna Beispiel", "email": "hanna.beispiel@example.org", "fte": 0.5},
    "PUT /api/v1/identity/users/{user_id}/roles": lambda r: {"roles": ["provider_staff"]},
    "PUT /api/v1/identity/users/{user_id}/areas": lambda r: {"area_ids": [HOEXTER]},
    "PUT /api/v1/identity/users/{user_id}/organisation": lambda r: {
        "organisation_id": _org("awo")},
    "PUT /api/v1/identity/users/{user_id}/password": lambda r: {
        "password": "noch-ein-langes-passwort-fuer-hanna"},
    "POST /api/v1/identity/users/{user_id}/external-identities": lambda r: {
        "issuer": "https://login.kreis-hoexter.example/realms/kim",
        "subject": _unique("kim-user")},
    "POST /api/v1/identity/clients": lambda r: {
        "client_id": _unique("sec-client"), "name": "AWO Fachverfahren",
        "kind": "confidential", "organisation_id": _org("awo"),
        "grant_types": ["client_credentials"], "roles": ["provider_staff"],
        "area_ids": [HOEXTER], "redirect_uris": ["https://awo.example/callback"]},
    "POST /api/v1/identity/trainings": lambda r: {
        "key": _unique("schulung"), "label_de": "Interkulturelle Kompetenz",
        "label_en": "Intercultural competence", "mandatory": False},
    "PATCH /api/v1/identity/trainings/{training_id}": lambda r: {
        "label_de": "Interkulturelle Kompetenz (Aufbau)",
        "label_en": "Intercultural competence (advanced)"},
    "POST /api/v1/identity/users/{user_id}/qualifications": lambda r: {
        "training_id": r["training"], "completed_on": days_ago(14),
        "reference": "Teilnahmebescheinigung im Personalordner"},
    # -- intake ----------------------------------------------------------------------------------
    "POST /api/v1/intake/anonymous-contacts": lambda r: {
        "kind": "short_query", "area_id": HOEXTER, "held_on": days_ago(1),
        "topic_areas": ["housing"], "languages": ["ar"], "duration_minutes": 15, "people": 1},
    "POST /api/v1/intake/households": lambda r: {
        "kind": "single_parent", "note": "gemeinsame Wohnung",
        "members": [{"intake_id": r["household_member"], "relation": "applicant"}]},
    "POST /api/v1/intake/households/{household_id}/members": lambda r: {
        "intake_id": r["household_child"], "relation": "child"},
    "POST /api/v1/intake/intakes": lambda r: {
        "person": person(), "access_path": "partner_referral", "referring_org_id": _org("awo"),
        "area_id": HOEXTER, "contact_date": days_ago(3), "note": "kam mit der Nachbarin"},
    "PUT /api/v1/intake/intakes/{intake_id}/screening": lambda r: {
        "criteria": _all_criteria(), "topic_areas": ["residence", "housing"], "crisis": False,
        "facts": {"residence_statuses": ["recognised_refugee"],
                  "arrived_in_germany_on": "2019-05-01", "region_of_origin": "middle_east",
                  "disadvantaged": False},
        "screened_on": days_ago(2), "target_group_ids": [demo("target-group:recognised-refugees")],
        "target_group_note": "passt"},
    "POST /api/v1/intake/subject-access-requests": lambda r: {
        "person_id": r["intake"], "reference": "Art. 15 DSGVO, Az. DS-2026-17"},
    # a first contact of its own, recorded for it: the matrix erases her, never a demo person
    "POST /api/v1/intake/erasure-requests": lambda r: {
        "person_id": r["erasure_intake"], "reference": "Art. 17 Abs. 1 lit. a DSGVO, Az. DS-1"},
    "PUT /api/v1/intake/retention-policy/{record_kind}": lambda r: {
        "months": 9, "legal_basis": "§ 84 Abs. 2 SGB X, Art. 17 Abs. 1 lit. a DSGVO"},
    "POST /api/v1/intake/intakes/{intake_id}/decisions": lambda r: {
        "depth": "case_management", "decided_on": days_ago(1), "note": "mehrere Rechtskreise"},
    "POST /api/v1/intake/intakes/{intake_id}/signed-copies": lambda r: signed_copy(
        "data_protection_consent"),
    "POST /api/v1/intake/intakes/{intake_id}/consents": lambda r: {
        "kind": "release_of_confidentiality", "given_on": days_ago(1),
        "valid_from": days_ago(1), "valid_until": days_ahead(365), "language": "ar",
        "partner_org_id": _org("abh"), "topic_areas": ["residence"]},
    "POST /api/v1/intake/intakes/{intake_id}/admission": lambda r: {
        "case_manager_id": _user("cm.hoexter"), "case_manager_org_id": _org("stadt-hoexter"),
        "admitted_on": days_ago(0),
        "target_group_ids": [demo("target-group:recognised-refugees")],
        "justification": "Einzelfallentscheidung der KS"},
    "POST /api/v1/intake/target-groups": lambda r: {
        "name": _unique("Geduldete in Ausbildung"), "description": "Beschluss der Lenkungsgruppe",
        "conditions": {"residence_statuses": ["duldung"], "min_age": 16, "max_age": 27,
                       "years_in_germany_under": 5, "unaccompanied_minor_at_entry": False,
                       "regions_of_origin": ["middle_east"],
                       "multiple_support_need_established": True, "disadvantaged": False},
        "area_ids": [HOEXTER], "valid_from": "2026-01-01", "valid_until": "2027-12-31",
        "steering_decision_ref": "LG-2026-04"},
    "PATCH /api/v1/intake/target-groups/{target_group_id}": lambda r: {
        "valid_until": days_ahead(400)},
    "POST /api/v1/intake/case-proposals": lambda r: {
        "person": person(), "area_id": HOEXTER, "contact_date": days_ago(2),
        "topic_areas": ["residence", "work_training"],
        "reason": "Aufenthalt und Ausbildung hängen voneinander ab"},
    "POST /api/v1/intake/case-proposals/{proposal_id}/decision": lambda r: {
        "outcome": "accepted", "case_manager_id": _user("cm.brakel"),
        "case_manager_org_id": _org("stadt-brakel"), "decided_on": days_ago(0),
        "note": "passt in Brakel"},
    # -- network: cooperation agreements, bodies and meetings, knowledge base (ADR 0085) ---
    "POST /api/v1/network/agreements": lambda r: {
        "title": "Kooperationsvereinbarung Fallweitergabe KIM – AWO",
        "party_org_ids": [_org("kreis"), _org("awo")], "other_parties": ["Tafel Höxter e. V."],
        "target_group_ids": [demo("target-group:recognised-refugees")],
        "topic_areas": ["housing", "residence"], "area_ids": [HOEXTER],
        "cases_taken": "Fälle mit mehreren Handlungsbedarfen übernimmt die CMS.",
        "data_handling": "Nur mit Einwilligung und Schweigepflichtentbindung.",
        "valid_from": days_ago(30), "valid_until": days_ahead(365), "status": "signed",
        "basis": "Lenkungsgruppe 10.05.2023", "signed_on": days_ago(31),
        "document_ref": "KI-HX 50.2/2026-001"},
    "PATCH /api/v1/network/agreements/{agreement_id}": lambda r: {
        "valid_until": days_ahead(700), "data_handling": "Einwilligung schriftlich",
        "document_ref": "KI-HX 50.2/2026-002"},
    "POST /api/v1/network/agreements/{agreement_id}/signed-copies": lambda r: signed_copy(
        "signed_agreement"),
    "POST /api/v1/network/bodies": lambda r: {
        "name": "Austauschtreffen Case Management", "kind": "case_manager_exchange",
        "member_org_ids": [_org("kreis"), _org("awo")], "area_id": HOEXTER,
        "rhythm": "monthly", "weekday": 2, "nth": 3, "starts_at": "14:00"},
    "POST /api/v1/network/bodies/{body_id}/meetings": lambda r: {
        "held_on": days_ago(1), "participant_org_ids": [_org("kreis"), _org("awo")],
        "contributions": [{"org_id": _org("awo"), "target_group": "Zugewanderte",
                           "offers": "Migrationsberatung", "agreements": "Fallweitergabe"}],
        "minutes": "Angebote vorgestellt",
        "follow_ups": [{"what": "Vereinbarung entwerfen", "owner_org_id": _org("kreis"),
                        "due_on": days_ahead(30)}]},
    "POST /api/v1/network/articles": lambda r: {
        "title": "Beschäftigungsduldung beantragen", "body": "Zuständig ist die ABH.",
        "topic_areas": ["residence"], "entry_ids": [r["directory_service"]]},
    "PUT /api/v1/network/articles/{article_id}": lambda r: {
        "title": "Beschäftigungsduldung beantragen", "body": "Zuständig ist die ABH. Neu.",
        "topic_areas": ["residence", "work_training"], "entry_ids": []},
    # -- reporting: the coordinating office's administration ---------------------------------
    "POST /api/v1/reporting/administration/posts": lambda r: {
        "building_block": "case_management", "function": "case_manager",
        "employer_org_id": _org("stadt-hoexter"), "area_id": HOEXTER, "fte": "0.50",
        "filled_fte": "0.50", "valid_from": days_ago(30), "label": "CMS Höxter 2"},
    "PUT /api/v1/reporting/administration/posts/{post_id}": lambda r: {
        "building_block": "case_management", "function": "case_manager",
        "employer_org_id": _org("stadt-hoexter"), "area_id": HOEXTER, "fte": "0.50",
        "filled_fte": "0.00", "valid_from": days_ago(30), "label": "CMS Höxter 2"},
    "PUT /api/v1/reporting/administration/funding/{year}": lambda r: {
        "applied_on": "2025-10-15", "requested": "1200000.00", "notice_on": "2026-01-20",
        "granted": "1150000.00", "granted_fte": {"coordination": "4.00"}},
    "PUT /api/v1/reporting/administration/funding/{year}/calls/{half}": lambda r: {
        "due_on": "2026-03-31", "amount": "575000.00", "called_on": "2026-03-16"},
    "POST /api/v1/reporting/administration/forwarding-contracts": lambda r: {
        "year": 2026, "recipient_org_id": _org("stadt-brakel"),
        "building_block": "case_management", "fte": "1.00", "amount": "64000.00",
        "signed_on": "2026-02-01", "transfers": {"1": "2026-04-30"}},
    "PUT /api/v1/reporting/administration/forwarding-contracts/{contract_id}": lambda r: {
        "year": 2026, "recipient_org_id": _org("stadt-brakel"),
        "building_block": "case_management", "fte": "1.00", "amount": "64000.00",
        "signed_on": "2026-02-01", "transfers": {"1": "2026-04-30", "2": "2026-10-31"}},
    # -- steering: topics of 2-week reports attached to a theme (an unknown one: 422) ---------
    "POST /api/v1/steering/themes/{theme_id}/reported-topics": lambda r: {
        "candidate_ids": [str(uuid.uuid4())]},
    # -- steering: the participation forum, its invitation list, information events (ADR 0098) --
    "POST /api/v1/steering/forums": lambda r: {
        "name": _unique("Beteiligungsforum"), "description": "Nord- und Südkreis"},
    "POST /api/v1/steering/forums/{forum_id}/sessions": lambda r: {
        "held_on": days_ago(30), "place": "Bürgerhaus Hilden",
        "topic": "Erfahrungen mit Behörden", "participants": 8},
    "POST /api/v1/steering/forum-sessions/{session_id}/statements": lambda r: {
        "text": "Für große Familien gibt es kaum Wohnungen", "topic_area": "housing"},
    "POST /api/v1/steering/themes/{theme_id}/forum-statements": lambda r: {
        "statement_ids": [r["forum_statement"]]},
    "POST /api/v1/steering/forums/{forum_id}/invitations": lambda r: {
        "name": "Amina Haddad", "phone": "0171 2345678", "email": "amina@example.org",
        "consent": {"given_on": days_ago(90), "how": "written",
                    "purpose": "Einladungen zu weiteren Beteiligungsforen per SMS und E-Mail"}},
    "POST /api/v1/steering/information-events": lambda r: {
        "held_on": days_ahead(21), "topic": "Aufenthaltssicherung durch Ausbildung",
        "audience": "Beratungsakteure", "speaker_organisation": "Ausländerbehörde",
        "decision_id": str(uuid.uuid5(uuid.NAMESPACE_URL, "decision"))},
    "PATCH /api/v1/steering/information-events/{event_id}": lambda r: {
        "audience": "Beratungsakteure und Ehrenamtliche"},
    "PUT /api/v1/steering/themes/{theme_id}/conference-links": lambda r: {
        "conference_ids": [r["conference"]]},
    # -- steering: the steering group and its decisions (ADR 0095) ------------------------------
    "POST /api/v1/steering/steering-group/members": lambda r: {
        "organisation_id": _org("jobcenter"), "user_id": _user("lenkung.jobcenter"),
        "voting": True},
    "PUT /api/v1/steering/steering-group/members/{member_id}": lambda r: {
        "organisation_id": _org("kreis"), "user_id": _user("lenkung.bamf"), "voting": False,
        "deputy_id": None},
    "PUT /api/v1/steering/steering-group/quorum-rule": lambda r: {
        "min_participation_percent": 50, "majority": "simple"},
    "POST /api/v1/steering/steering-group/meetings": lambda r: {
        "held_on": days_ahead(30), "agenda": [{"title": "Bericht der Projektarbeitsgruppe"}]},
    "PUT /api/v1/steering/steering-group/meetings/{meeting_id}/minutes": lambda r: {
        "minutes": "TOP 1 zur Kenntnis genommen."},
    "POST /api/v1/steering/decision-proposals": lambda r: {
        "subject": "Austauschformat mit der Bildungskoordination", "kind": "other",
        "text": "Die Koordinierende Stelle initiiert ein Austauschformat.",
        "attachments": [{"title": "Protokoll der Projektarbeitsgruppe", "reference": "PAG-3"}]},
    "POST /api/v1/steering/decision-proposals/{proposal_id}/votes": lambda r: {"vote": "yes"},
    "POST /api/v1/steering/decision-proposals/{proposal_id}/decision": lambda r: {},
    "POST /api/v1/steering/themes/{theme_id}/escalation": lambda r: {
        "write_up": "Kein kreisweiter Konsens über die Zuständigkeit; das Land möge klären."},
    # -- steering: a case reconstruction (organisational facts; cases as pseudonymous ids) -------
    "POST /api/v1/steering/reconstructions": lambda r: {
        "held_on": days_ago(14),
        "cases": [{"case_id": case_id, "presented_by": _user("cm.hoexter"),
                   "planned_minutes": 120, "actors": ["Jobcenter", "Ausländerbehörde"],
                   "process_steps": [{"actor": "Ausländerbehörde", "step": "Termin vergeben"}],
                   "interfaces": ["ABH → Jobcenter"], "synergies": ["gemeinsame Sprechstunde"],
                   "duplicate_structures": ["zwei Erstgespräche"]}
                  for case_id in (r["case"], r["transfer_case"], r["unknown"],
                                  str(uuid.uuid5(uuid.NAMESPACE_URL, r["case"])))],
        "themes": [{"title": "Übergang ABH–Jobcenter", "description": "Wartezeiten",
                    "case_ids": [r["case"]]}]},
    # -- steering: a project group's work (ADR 0096; ids and organisational facts only) --------
    "PUT /api/v1/steering/project-groups/{group_id}/members": lambda r: {
        "members": [{"user_id": _user("cm.hoexter"), "organisation_id": _org("stadt-hoexter"),
                     "role": "chair"},
                    {"user_id": _user("abh.lotsin"), "organisation_id": _org("abh")},
                    {"user_id": _user("awo.beratung"), "organisation_id": _org("awo")}]},
    "POST /api/v1/steering/project-groups/{group_id}/meetings": lambda r: {
        "held_on": days_ago(3), "duration_minutes": 180, "topics": ["Zielsystem"],
        "notes": "Ergebnisziele abgestimmt"},
    "PUT /api/v1/steering/project-groups/{group_id}/goal-system": lambda r: {"nodes": [
        {"key": "L", "level": "principle", "title": "Aufenthalt und Arbeit sind abgestimmt.",
         "indicators": ["Anteil der Fälle"]},
        {"key": "R", "parent": "L", "level": "framework", "title": "Beratung ist abgestimmt.",
         "indicators": ["Verfahrensbeschreibung"]},
        {"key": "E", "parent": "R", "level": "result", "title": "Eine Vereinbarung besteht.",
         "indicators": ["Unterzeichnung"], "sources": ["Register"],
         "assumptions": ["Die Leitungen tragen sie mit"]},
        {"key": "A", "parent": "E", "level": "activity", "title": "Entwurf abstimmen",
         "responsible_organisation_id": _org("abh")}]},
    "POST /api/v1/steering/project-groups/{group_id}/service-chains": lambda r: _chain(),
    "PUT /api/v1/steering/project-groups/{group_id}/service-chains/{chain_id}":
        lambda r: _chain(),
    "POST /api/v1/steering/project-groups/{group_id}/result/presentation": lambda r: {
        "summary": "Zielsystem und Dienstleistungskette zur Beschlussfassung"},
}


def _chain() -> dict[str, Any]:
    return {"title": "Vom Arbeitsangebot zur Erlaubnis", "steps": [
        {"order": 1, "organisation_id": _org("awo"), "activity": "Unterlagen prüfen",
         "standards": ["Checkliste"], "handover": "vollständige Unterlagen"},
        {"order": 2, "organisation_id": _org("abh"), "activity": "Erlaubnis erteilen",
         "responsibility": "Sachbearbeitung Aufenthalt"}]}


#: the valid body to start from when a field lies in a part the default body leaves out, or
#: excludes another: (operation, the field's first name) -> body
BODIES_FOR_FIELD: dict[tuple[str, str], Callable[[Records], Any]] = {
    # a tandem with a partner's specialist names the partner (issue 10)
    ("POST /api/v1/casework/cases/{case_id}/shares", "partner_org_id"): lambda r: {
        "colleague_id": _user("cm.beverungen"), "kind": "tandem", "valid_from": days_ago(0),
        "valid_until": days_ahead(30), "partner_org_id": _org("caritas"),
        "topics": ["housing"]},
    ("POST /api/v1/intake/intakes", "other_services"): lambda r: {
        **BODIES["POST /api/v1/intake/intakes"](r),
        "other_services": [{"org_id": _org("awo"), "kind": "migration_counselling"}]},
    ("POST /api/v1/casework/cases/{case_id}/transfers", "to_tenant_id"): lambda r: {
        "to_tenant_id": r["other_tenant"], "to_area_id": HOEXTER, "note": "Umzug"},
    ("POST /api/v1/intake/intakes/{intake_id}/decisions", "referral"): lambda r: {
        "depth": "referral", "decided_on": days_ago(1), "note": "Beratung bei der AWO",
        "referral": {"org_id": _org("awo"), "topic": "residence"}},
    # a target-group change names the county's areas (checked against the directory)
    ("POST /api/v1/steering/decision-proposals", "target_group_change"): lambda r: {
        "subject": "Zielgruppe befristet erweitern", "kind": "change_target_groups",
        "text": "Die Lenkungsgruppe erweitert die Zielgruppen.",
        "target_group_change": {"change": "create", "name": "Neu Zugewanderte",
                                "criteria": "weniger als ein Jahr im Kreis",
                                "valid_from": days_ahead(1), "area_ids": [HOEXTER]}},
    ("POST /api/v1/steering/decision-proposals", "mandate"): lambda r: {
        "subject": "Projektarbeitsgruppe beauftragen", "kind": "mandate_project_group",
        "text": "Die Lenkungsgruppe beauftragt eine Projektarbeitsgruppe.",
        "theme_id": r["steering_theme"],
        "mandate": {"subject": "Übergang ABH–Jobcenter", "objective": "abgestimmte Verfahren",
                    "composition": "ABH, Jobcenter, Case Management"}},
    ("POST /api/v1/intake/case-proposals/{proposal_id}/decision", "referral"): lambda r: {
        "outcome": "referred", "decided_on": days_ago(0), "note": "zur AWO",
        "referral": {"org_id": _org("awo"), "topic": "residence"}},
}


def make_records(embedded: Embedded, *, spare: int = 0) -> Records:
    """The records the matrix and the canary walk address: demo ids, and records made here
    through the API by their owners (a case manager's conference, share and transfer, an AWO
    user and client, a fresh first contact, a target group, a note). ``spare`` picks another
    of the case manager's cases to close, for a second set after the first closed its own."""
    def created(caller: str, path: str, body: dict | Multipart, status: int = 201) -> dict:
        answer = embedded.request("POST", f"{API}{path}", embedded.token(caller), body=body)
        assert answer.status_code == status, (path, answer.get_data(as_text=True))
        return answer.get_json()

    case, transfer_case = demo("case:intake-1"), demo("case:intake-2")
    cases = embedded.request("GET", f"{API}/casework/cases",
                             embedded.token("cm.hoexter")).get_json()
    others = [c["id"] for c in cases if c["id"] not in (case, transfer_case)
              and c["phase"] != "closed"
              and not c["consent_withdrawn"]]
    case_file = embedded.request("GET", f"{API}/casework/cases/{case}",
                                 embedded.token("cm.hoexter")).get_json()
    goals = [g["id"] for g in case_file["goals"] if g.get("status", "open") == "open"]
    while len(goals) < 3:  # one to revise and plan for, one to reach, one to drop
        goals.append(embedded.request(
            "POST", f"{API}/casework/cases/{case}/goals", embedded.token("cm.hoexter"),
            body=BODIES["POST /api/v1/casework/cases/{case_id}/goals"]({})).get_json()["id"])
    steps = [s["id"] for s in case_file.get("steps", []) if not s.get("done_on")]
    records: Records = {
        "case": case, "closure_case": others[spare % len(others)],
        # a case whose intake knows its consents: a transfer asks intake (ADR 0053)
        "transfer_case": transfer_case,
        "goal": goals[0], "goal_to_reach": goals[1], "goal_to_drop": goals[-1],
        "step": steps[0] if steps else str(uuid.uuid4()),
        "intake": demo("intake:1"), "withdrawn_intake": demo("intake:3"),
        "withdrawn_consent": demo("intake:3:consent:3"), "release": demo("intake:1:consent:3"),
        "proposal": demo("case-proposal:1"), "demo_target_group":
            demo("target-group:recognised-refugees"),
        "tenant": TENANT, "awo": _org("awo"), "hoexter": HOEXTER,
        "directory_organization": demo("directory:organization:awo"),
        "directory_location": demo("directory:location:awo-hoexter"),
        "directory_service": demo("directory:service:mbe-awo-hoexter"),
        "cm_hoexter": _user("cm.hoexter"), "unknown": str(uuid.uuid4()),
        # a past 2-week period (reporting, ADR 0089)
        "period": "2026-W47",
        "other_tenant": str(embedded.other_tenant),
        # a figure of reporting's monthly time series (ADR 0090)
        "figure": "access_paths",
    }
    # a county conference, convened by the coordinating office: its case manager and the office
    # both run it (ADR 0078)
    records["conference"] = created(
        "ks.koch", f"/casework/cases/{case}/conferences",
        BODIES["POST /api/v1/casework/cases/{case_id}/conferences"](records))["id"]
    records["share"] = created(
        "cm.hoexter", f"/casework/cases/{case}/shares",
        BODIES["POST /api/v1/casework/cases/{case_id}/shares"](records))["id"]
    for earlier in embedded.transfers:  # a case has one pending transfer at a time
        embedded.request("POST", f"{API}/casework/transfers/{earlier}/cancel",
                         embedded.token("cm.hoexter"))
    records["transfer"] = created(
        "cm.hoexter", f"/casework/cases/{records['transfer_case']}/transfers",
        BODIES["POST /api/v1/casework/cases/{case_id}/transfers"](records))["id"]
    embedded.transfers.append(records["transfer"])
    records["awo_user"] = created("admin", "/identity/users",
                                  BODIES["POST /api/v1/identity/users"](records))["id"]
    records["awo_client"] = created("admin", "/identity/clients",
                                    BODIES["POST /api/v1/identity/clients"](records))["id"]
    records["training"] = created("ks.koch", "/identity/trainings",
                                  BODIES["POST /api/v1/identity/trainings"](records))["id"]
    records["qualification"] = created(
        "ks.assistenz", f"/identity/users/{records['awo_user']}/qualifications",
        BODIES["POST /api/v1/identity/users/{user_id}/qualifications"](records))["id"]
    records["fresh_intake"] = created("cm.hoexter", "/intake/intakes",
                                      BODIES["POST /api/v1/intake/intakes"](records))["id"]
    # a household of cm.hoexter's (001 L562) with its applicant, and two more people of hers
    for name in ("household_intake", "household_member", "household_child"):
        records[name] = created("cm.hoexter", "/intake/intakes",
                                BODIES["POST /api/v1/intake/intakes"](records))["id"]
    records["household"] = created("cm.hoexter", "/intake/households", {
        "kind": "family", "members": [{"intake_id": records["household_intake"],
                                       "relation": "applicant"}]})["id"]
    records["target_group"] = created("ks.koch", "/intake/target-groups",
                                      BODIES["POST /api/v1/intake/target-groups"](records))["id"]
    records["referral"] = created("cm.hoexter", "/network/referrals",
                                  BODIES["POST /api/v1/network/referrals"](records))["id"]
    records["intake_signed_copy"] = created(
        "cm.hoexter", f"/intake/intakes/{records['intake']}/signed-copies",
        BODIES["POST /api/v1/intake/intakes/{intake_id}/signed-copies"](records))["id"]
    records["case_signed_copy"] = created(
        "cm.hoexter", f"/casework/cases/{case}/signed-copies",
        BODIES["POST /api/v1/casework/cases/{case_id}/signed-copies"](records))["id"]
    # a subject-access request of the data-protection officer about the first intake's person
    # (ADR 0103)
    records["subject_access_request"] = created(
        "datenschutz", "/intake/subject-access-requests",
        BODIES["POST /api/v1/intake/subject-access-requests"](records), status=202)["id"]
    # an erasure (ADR 0106) of a first contact recorded for it, and a retention class
    records["erasure_intake"] = created("cm.hoexter", "/intake/intakes",
                                        BODIES["POST /api/v1/intake/intakes"](records))["id"]
    records["erasure"] = created(
        "datenschutz", "/intake/erasure-requests",
        BODIES["POST /api/v1/intake/erasure-requests"](records), status=202)["id"]
    records["retention_class"] = "intake_without_admission"
    records["note"] = created("cm.hoexter", "/example/notes",
                              BODIES["POST /api/v1/example/notes"](records))["id"]
    # the network's agreement between the county and the AWO, a body with a meeting and its
    # follow-up, a knowledge article (ADR 0085)
    records["agreement"] = created(
        "ks.koch", "/network/agreements", BODIES["POST /api/v1/network/agreements"](records))["id"]
    records["agreement_signed_copy"] = created(
        "ks.koch", f"/network/agreements/{records['agreement']}/signed-copies",
        BODIES["POST /api/v1/network/agreements/{agreement_id}/signed-copies"](records))["id"]
    records["body"] = created("ks.koch", "/network/bodies",
                              BODIES["POST /api/v1/network/bodies"](records))["id"]
    meeting = created("ks.koch", f"/network/bodies/{records['body']}/meetings",
                      BODIES["POST /api/v1/network/bodies/{body_id}/meetings"](records))
    records["meeting"], records["follow_up"] = meeting["id"], meeting["follow_ups"][0]["id"]
    records["article"] = created("cm.hoexter", "/network/articles",
                                 BODIES["POST /api/v1/network/articles"](records))["id"]
    # the coordinating office's administration: a post, a funding year, a forwarding contract
    records["admin_post"] = created(
        "ks.koch", "/reporting/administration/posts",
        BODIES["POST /api/v1/reporting/administration/posts"](records))["id"]
    records["funding_year"], records["fund_call_half"] = "2026", "1"
    records["forwarding_contract"] = created(
        "ks.koch", "/reporting/administration/forwarding-contracts",
        BODIES["POST /api/v1/reporting/administration/forwarding-contracts"](records))["id"]
    reconstruction = created("ks.koch", "/steering/reconstructions",
                             BODIES["POST /api/v1/steering/reconstructions"](records))
    records["reconstruction"] = reconstruction["id"]
    records["steering_theme"] = reconstruction["theme_ids"][0]
    # the steering group (ADR 0095): the advisory seat to change and end, a meeting, a proposal
    # open for the members' votes
    seats = embedded.request("GET", f"{API}/steering/steering-group/members",
                             embedded.token("ks.koch")).get_json()
    advisory = [s["id"] for s in seats if s["user_id"] == _user("lenkung.bamf")]
    # a second set (``spare``) finds it ended by the first: appointed again
    records["steering_seat"] = advisory[0] if advisory else created(
        "ks.koch", "/steering/steering-group/members",
        BODIES["PUT /api/v1/steering/steering-group/members/{member_id}"](records))["id"]
    records["steering_meeting"] = created(
        "ks.koch", "/steering/steering-group/meetings",
        BODIES["POST /api/v1/steering/steering-group/meetings"](records))["id"]
    records["decision_proposal"] = created(
        "ks.koch", "/steering/decision-proposals",
        BODIES["POST /api/v1/steering/decision-proposals"](records))["id"]
    # the demo county's project group (seeded) and its service chain
    group = embedded.request("GET", f"{API}/steering/project-groups",
                             embedded.token("ks.koch")).get_json()[0]["id"]
    records["project_group"] = group
    records["service_chain"] = embedded.request(
        "GET", f"{API}/steering/project-groups/{group}/service-chains",
        embedded.token("ks.koch")).get_json()[0]["id"]
    # the participation forum: a session held with a statement, two entries of its invitation
    # list (one to erase, one whose consent is withdrawn), an information event (ADR 0098)
    records["steering_forum"] = created("ks.koch", "/steering/forums",
                                        BODIES["POST /api/v1/steering/forums"](records))["id"]
    records["forum_session"] = created(
        "ks.koch", f"/steering/forums/{records['steering_forum']}/sessions",
        BODIES["POST /api/v1/steering/forums/{forum_id}/sessions"](records))["id"]
    records["forum_statement"] = created(
        "ks.koch", f"/steering/forum-sessions/{records['forum_session']}/statements",
        BODIES["POST /api/v1/steering/forum-sessions/{session_id}/statements"](records))["id"]
    for name in ("forum_invitee", "forum_invitee_withdrawing"):
        records[name] = created(
            "ks.koch", f"/steering/forums/{records['steering_forum']}/invitations",
            BODIES["POST /api/v1/steering/forums/{forum_id}/invitations"](records))["id"]
    records["information_event"] = created(
        "ks.koch", "/steering/information-events",
        BODIES["POST /api/v1/steering/information-events"](records))["id"]
    return records
