"""The data map of steering (Art. 30 GDPR, ADR 0100): every column of the service's own tables
with its class of data, purpose, retention class and legal basis. The platform's shared tables
(outbox, inbox, audit log, …) are classified in :mod:`lotse_platform.datamap.platform_map`.
``make data-map`` writes ``docs/data-map/steering.md`` from it; a test fails when a column of the
mapped schema is missing here or one named here is gone.

Ids of a person's record (an intake's, a case's, a user's) are personal data: pseudonymous, but
this service can tell whose they are. Free text is special-category data: a case manager may
write anything into it."""

from __future__ import annotations

from lotse_platform.datamap import NOT_PERSONAL, PERSONAL, DataMap, Table, not_personal, personal, special
from lotse_platform.subject_rights import Contacts, Derived, SubjectKeys

DATA_MAP = DataMap([
    Table("case_records", "Pseudonyme Fallfakten für die Themenfindung (aus casework)",
          "pseudonymous case facts for finding themes (from casework)",
          "case_record", "task_sgb", {
              "tenant_id": NOT_PERSONAL,
              "case_id":
                  personal(note="casework's pseudonymous id: personal, casework can tell whose"),
              "area_id": PERSONAL,
              "case_manager_id": PERSONAL,
              "topic_areas":
                  special("health", note="a pseudonymous person's topic areas include health"),
              "legal_areas": special("residence"),
              "opened_on": PERSONAL,
              "transferred_on": PERSONAL,
              "status": PERSONAL,
              "phases": PERSONAL,
              "goals_set": PERSONAL,
              "goals_ended": PERSONAL,
              "organisations": PERSONAL,
              "contacts": PERSONAL,
              "facts_sequence": NOT_PERSONAL,
              "intake_id":
                  personal(note="the person's intake id from the case's opening: how a "
                                "subject-access request finds her case facts (ADR 0108)"),
          }),
    Table("forum_invitees", "Einladungsliste des Beteiligungsforums (mit Einwilligung)",
          "the participation forum's invitation list (with consent)",
          "consent", "consent", {
              "id": PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "forum_id": NOT_PERSONAL,
              "name": PERSONAL,
              "phone": PERSONAL,
              "email": PERSONAL,
              "consent_given_on": PERSONAL,
              "consent_how": PERSONAL,
              "consent_purpose": PERSONAL,
              "recorded_at": PERSONAL,
          }),
    Table("forum_sessions", "Sitzungen des Beteiligungsforums",
          "sessions of the participation forum",
          "planning", "public_task", {
              "id": NOT_PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "forum_id": NOT_PERSONAL,
              "held_on": NOT_PERSONAL,
              "place": NOT_PERSONAL,
              "topic": NOT_PERSONAL,
              "participants": NOT_PERSONAL,
          }),
    Table("forum_statements", "Anonyme Aussagen aus dem Forum",
          "anonymous statements from the forum",
          "planning", "public_task", {
              "id": NOT_PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "session_id": NOT_PERSONAL,
              "forum_id": NOT_PERSONAL,
              "text":
                  special("free_text", note="recorded anonymously, but free text: a speaker may have named herself"),
              "topic_area": NOT_PERSONAL,
              "recorded_on": NOT_PERSONAL,
              "theme_id": NOT_PERSONAL,
          }),
    Table("forums", "Beteiligungsforen",
          "participation forums",
          "planning", "public_task", {
              "id": NOT_PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "name": NOT_PERSONAL,
              "description": NOT_PERSONAL,
              "created_on": NOT_PERSONAL,
          }),
    Table("goal_systems", "Zielsysteme der Projektgruppen",
          "the project groups' goal systems",
          "planning", "public_task", {
              "group_id": NOT_PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "nodes": NOT_PERSONAL,
              "version": NOT_PERSONAL,
              "updated_at": NOT_PERSONAL,
              "updated_by": PERSONAL,
          }),
    Table("information_events", "Informationsveranstaltungen",
          "information events",
          "planning", "public_task", {
              "id": NOT_PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "held_on": NOT_PERSONAL,
              "topic": NOT_PERSONAL,
              "audience": NOT_PERSONAL,
              "speaker_organisation": NOT_PERSONAL,
              "status": NOT_PERSONAL,
              "attendance": NOT_PERSONAL,
              "theme_id": NOT_PERSONAL,
              "decision_id": NOT_PERSONAL,
          }),
    Table("project_group_meetings", "Sitzungen der Projektgruppen",
          "the project groups' meetings",
          "planning", "public_task", {
              "id": NOT_PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "group_id": NOT_PERSONAL,
              "held_on": NOT_PERSONAL,
              "duration_minutes": NOT_PERSONAL,
              "topics": NOT_PERSONAL,
              "notes": special("free_text"),
              "recorded_at": NOT_PERSONAL,
          }),
    Table("project_group_members", "Mitglieder der Projektgruppen (Nutzende)",
          "the project groups' members (users)",
          "planning", "public_task", {
              "tenant_id": NOT_PERSONAL,
              "group_id": NOT_PERSONAL,
              "user_id": PERSONAL,
              "organisation_id": NOT_PERSONAL,
              "role": PERSONAL,
              "position": NOT_PERSONAL,
          }),
    Table("project_group_results", "Ergebnisse der Projektgruppen",
          "the project groups' results",
          "planning", "public_task", {
              "group_id": NOT_PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "summary": NOT_PERSONAL,
              "presented_on": NOT_PERSONAL,
              "presented_by": PERSONAL,
          }),
    Table("project_groups", "Projektgruppen: Auftrag, Zusammensetzung, Ergebnis",
          "project groups: mandate, composition, expected result",
          "planning", "public_task", {
              "id": NOT_PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "theme_id": NOT_PERSONAL,
              "decision_id": NOT_PERSONAL,
              "subject": NOT_PERSONAL,
              "objective": NOT_PERSONAL,
              "composition":
                  not_personal("organisations and functions, by the steering group's rule"),
              "working_form": NOT_PERSONAL,
              "expected_result": NOT_PERSONAL,
              "special_requirements": NOT_PERSONAL,
              "mandated_on": NOT_PERSONAL,
              "status": NOT_PERSONAL,
          }),
    Table("reconstructions", "Fallrekonstruktionen (pseudonyme Fälle)",
          "case reconstructions (pseudonymous cases)",
          "planning", "public_task", {
              "id": NOT_PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "held_on": NOT_PERSONAL,
              "moderator_id": PERSONAL,
              "cases":
                  personal(note="pseudonymous case ids with what was found"),
              "theme_ids": NOT_PERSONAL,
              "recorded_at": NOT_PERSONAL,
          }),
    Table("reported_topics", "Gemeldete Themen aus den Zweiwochenberichten (ohne Text, ohne Person)",
          "topics flagged in the two-week reports (no text, no person)",
          "planning", "public_task", {
              "tenant_id": NOT_PERSONAL,
              "candidate_id": NOT_PERSONAL,
              "period": NOT_PERSONAL,
              "topic_area": NOT_PERSONAL,
              "flagged_on": NOT_PERSONAL,
              "theme_id": NOT_PERSONAL,
          }),
    Table("service_chains", "Dienstleistungsketten",
          "service chains",
          "planning", "public_task", {
              "id": NOT_PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "group_id": NOT_PERSONAL,
              "title": NOT_PERSONAL,
              "description": NOT_PERSONAL,
              "goal_key": NOT_PERSONAL,
              "steps": NOT_PERSONAL,
              "version": NOT_PERSONAL,
              "updated_at": NOT_PERSONAL,
              "updated_by": PERSONAL,
          }),
    Table("theme_conference_links", "Verknüpfung Thema – Fallkonferenz",
          "link of a theme to a case conference",
          "planning", "public_task", {
              "tenant_id": NOT_PERSONAL,
              "theme_id": NOT_PERSONAL,
              "conference_id": NOT_PERSONAL,
              "linked_on": NOT_PERSONAL,
          }),
    Table("themes", "Themen der Planung mit Belegen",
          "planning themes with their evidence",
          "planning", "public_task", {
              "id": NOT_PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "title": NOT_PERSONAL,
              "description": NOT_PERSONAL,
              "status": NOT_PERSONAL,
              "evidence": NOT_PERSONAL,
              "proposed_on": NOT_PERSONAL,
          }),
    Table("decision_proposals", "Beschlussvorlagen der Lenkungsgruppe",
          "the steering group's decision proposals",
          "planning", "public_task", {
              "id": NOT_PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "subject": NOT_PERSONAL,
              "text": NOT_PERSONAL,
              "kind": NOT_PERSONAL,
              "created_on": NOT_PERSONAL,
              "created_by": personal(note="the coordinating office's user who put it"),
              "theme_id": NOT_PERSONAL,
              "reference": NOT_PERSONAL,
              "attachments": NOT_PERSONAL,
              "mandate": NOT_PERSONAL,
              "target_group_change": NOT_PERSONAL,
              "outcome": NOT_PERSONAL,
              "decided_on": NOT_PERSONAL,
              "tally": NOT_PERSONAL,
              "project_group_id": NOT_PERSONAL,
          }),
    Table("decision_votes", "Stimmen der Mitglieder der Lenkungsgruppe",
          "the steering group members' votes",
          "planning", "public_task", {
              "proposal_id": NOT_PERSONAL,
              "member_id": personal(note="a seat of a person in the steering group"),
              "tenant_id": NOT_PERSONAL,
              "vote": personal(note="how a member voted"),
              "cast_by": PERSONAL,
              "as_deputy": PERSONAL,
              "cast_at": PERSONAL,
          }),
    Table("steering_meetings", "Sitzungen der Lenkungsgruppe",
          "the steering group's meetings",
          "planning", "public_task", {
              "id": NOT_PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "held_on": NOT_PERSONAL,
              "agenda": NOT_PERSONAL,
              "minutes": NOT_PERSONAL,
              "minutes_recorded_at": NOT_PERSONAL,
              "minutes_recorded_by": PERSONAL,
          }),
    Table("steering_members", "Mitglieder der Lenkungsgruppe (Nutzende)",
          "the steering group's members (users)",
          "planning", "public_task", {
              "id": NOT_PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "organisation_id": NOT_PERSONAL,
              "user_id": PERSONAL,
              "voting": PERSONAL,
              "deputy_id": PERSONAL,
          }),
    Table("steering_quorum_rules", "Regel der Beschlussfähigkeit je Kreis",
          "the quorum rule of a county",
          "planning", "public_task", {
              "tenant_id": NOT_PERSONAL,
              "min_participation_percent": NOT_PERSONAL,
              "majority": NOT_PERSONAL,
          }),
    Table("theme_transitions", "Statuswechsel der Themen",
          "the themes' changes of status",
          "planning", "public_task", {
              "id": NOT_PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "theme_id": NOT_PERSONAL,
              "from_status": NOT_PERSONAL,
              "to_status": NOT_PERSONAL,
              "changed_on": NOT_PERSONAL,
              "decision_id": NOT_PERSONAL,
              "changed_by": PERSONAL,
              "write_up": NOT_PERSONAL,
          }),
])

#: how a person is found in steering (ADR 0108): her pseudonymous case facts by the intake id
#: casework's ``case.opened`` event carries (``case_records.intake_id``; cases opened before
#: steering kept it are not found), and on the forum's invitation list (ADR 0098) by the phone
#: number or e-mail address the data-protection officer adds to the request. An erasure deletes
#: her rows on the invitation list and keeps her case facts as they are: pseudonymous
#: statistics the theme finding counts (no name, no text; ``ERASURE_RETAINS``, as reporting's,
#: Art. 17(3)(d) GDPR), reported back as kept.
SUBJECT_KEYS = SubjectKeys(
    [Derived("case_id", table="case_records", column="case_id", by="intake_id")],
    contacts=Contacts("forum_invitees", phone="phone", email="email"))

#: what an erasure leaves as it is (counted as kept): the pseudonymous case facts
ERASURE_RETAINS = ("case_records",)

_CASE_CODES = ("codes from the closed lists of topic areas and legal areas of a pseudonymous "
               "case, not anyone's words: the theme finding counts and selects cases by them, "
               "and casework's events carry the same codes")

#: special-category columns stored without field encryption, and why (ADR 0104); every other
#: special-category column of steering is encrypted with the tenant's keys, and so are the
#: invitation list's name, phone number and e-mail address (personal, not special category)
NOT_ENCRYPTED = {
    "case_records.legal_areas": _CASE_CODES,
    "case_records.topic_areas": _CASE_CODES,
}
