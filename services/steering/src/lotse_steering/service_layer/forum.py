"""The coordinating office's verbs for the participation forum, its invitation list, the
information events and the links from themes to county-level case conferences; and the reads,
the invitation list's audited.

The invitation list is personal data (ADR 0098): every entry shown, exported, added or erased
leaves an audit entry with the entry's id and a code — never a name, number or address. Nothing
of the forum is published as an event.
"""

from __future__ import annotations

import uuid

from lotse_platform import clock
from lotse_platform.audit import CREATE, DELETE, EXPORT, READ, UPDATE
from lotse_platform.errors import NotFound

from ..domain import forum as forum_rules
from ..domain import information_events as event_rules
from ..domain.conference_links import ConferenceLink, relink
from ..domain.cycle import ThemeInCycle, cycle
from ..domain.forum import Forum, ForumSession, ForumStatement, UnknownStatements
from ..domain.forum_commands import (
    AddInvitee,
    AttachForumStatements,
    ChangeInformationEvent,
    EraseInvitee,
    LinkConferences,
    PlanInformationEvent,
    RecordForumSession,
    RecordStatement,
    SetUpForum,
    WithdrawInvitationConsent,
)
from ..domain.information_events import InformationEvent
from ..domain.invitations import Invitee, new_invitee, to_csv
from ..domain.reconstructions import Theme
from .forum_access import authorize_invitation_keeper, authorize_office
from .unit_of_work import SteeringUnitOfWork

#: the audit trail's record type of an invitation list entry
INVITEE = "forum_invitee"


def _forum(uow: SteeringUnitOfWork, forum_id: uuid.UUID) -> Forum:
    found = uow.forum.forum(forum_id)
    if found is None:
        raise NotFound("no such forum")
    return found


def _theme(uow: SteeringUnitOfWork, theme_id: uuid.UUID) -> Theme:
    found = uow.get_theme(theme_id)
    if found is None:
        raise NotFound("no such theme")
    return found


# -- forums, sessions, statements ---------------------------------------------------------------


def set_up_forum(cmd: SetUpForum, uow: SteeringUnitOfWork) -> Forum:
    with uow:
        authorize_office(uow.principal)
        forum = forum_rules.new_forum(cmd.name, cmd.description, uow.today())
        uow.forum.add(forum)
        uow.audit(CREATE, "forum", forum.id)
        uow.commit()
    return forum


def record_forum_session(cmd: RecordForumSession, uow: SteeringUnitOfWork) -> ForumSession:
    with uow:
        authorize_office(uow.principal)
        session = forum_rules.new_session(_forum(uow, cmd.forum_id), cmd.held_on, cmd.place,
                                          cmd.topic, cmd.participants, uow.today())
        uow.forum.add(session)
        uow.audit(CREATE, "forum_session", session.id, reason=f"forum {cmd.forum_id}")
        uow.commit()
    return session


def record_statement(cmd: RecordStatement, uow: SteeringUnitOfWork) -> ForumStatement:
    """An anonymous statement of a session held (409 before its day)."""
    with uow:
        authorize_office(uow.principal)
        session = uow.forum.session(cmd.session_id)
        if session is None:
            raise NotFound("no such forum session")
        statement = forum_rules.new_statement(session, cmd.text, cmd.topic_area, uow.today())
        uow.forum.add(statement)
        uow.audit(CREATE, "forum_statement", statement.id, reason=f"session {session.id}")
        uow.commit()
    return statement


def attach_forum_statements(cmd: AttachForumStatements, uow: SteeringUnitOfWork) -> Theme:
    """Statements become evidence of a theme; an unknown one is a 422 naming
    ``statement_ids.<i>``, one of another theme a 409 — nothing attached either way."""
    with uow:
        authorize_office(uow.principal)
        theme = _theme(uow, cmd.theme_id)
        found = [uow.forum.statement(s) for s in cmd.statement_ids]
        missing = [i for i, statement in enumerate(found) if statement is None]
        if missing:
            raise UnknownStatements(missing)
        forum_rules.attach(theme, [s for s in found if s is not None], uow.today())
        uow.audit(UPDATE, "theme", theme.id, reason="evidence:forum_statement")
        uow.commit()
    return theme


def forums(uow: SteeringUnitOfWork) -> list[Forum]:
    with uow:
        return uow.forum.forums()


def forum(uow: SteeringUnitOfWork, forum_id: uuid.UUID) -> Forum:
    with uow:
        return _forum(uow, forum_id)


def forum_sessions(uow: SteeringUnitOfWork, forum_id: uuid.UUID) -> list[ForumSession]:
    with uow:
        _forum(uow, forum_id)
        return uow.forum.sessions(forum_id)


def statements(uow: SteeringUnitOfWork, session_id: uuid.UUID) -> list[ForumStatement]:
    with uow:
        if uow.forum.session(session_id) is None:
            raise NotFound("no such forum session")
        return uow.forum.statements(session_id)


# -- the invitation list (personal data, ADR 0098) ----------------------------------------------


def add_invitee(cmd: AddInvitee, uow: SteeringUnitOfWork) -> Invitee:
    with uow:
        authorize_invitation_keeper(uow.principal)
        forum = _forum(uow, cmd.forum_id)
        invitee = new_invitee(forum.id, cmd.name, cmd.phone, cmd.email, cmd.consent,
                              uow.today(), clock.now())
        uow.forum.add(invitee)
        uow.audit(CREATE, INVITEE, invitee.id, reason=f"forum {forum.id}")
        uow.commit()
    return invitee


def _shown(uow: SteeringUnitOfWork, forum_id: uuid.UUID, action: str,
           reason: str) -> list[Invitee]:
    """The forum's list, each entry shown audited in the same transaction."""
    with uow:
        authorize_invitation_keeper(uow.principal)
        _forum(uow, forum_id)
        found = uow.forum.invitees(forum_id)
        for invitee in found:
            uow.audit(action, INVITEE, invitee.id, reason=reason)
        uow.commit()
    return found


def invitees(uow: SteeringUnitOfWork, forum_id: uuid.UUID) -> list[Invitee]:
    """The forum's invitation list for the office; one ``read`` entry per person shown."""
    return _shown(uow, forum_id, READ, "list")


def invitation_csv(uow: SteeringUnitOfWork, forum_id: uuid.UUID) -> bytes:
    """The list as CSV for sending invitations; one ``export`` entry per person in it."""
    return to_csv(_shown(uow, forum_id, EXPORT, "csv:invitations"))


def _erase(uow: SteeringUnitOfWork, forum_id: uuid.UUID, invitee_id: uuid.UUID,
           reason: str) -> None:
    with uow:
        authorize_invitation_keeper(uow.principal)
        _forum(uow, forum_id)
        invitee = uow.forum.invitee(forum_id, invitee_id)
        if invitee is None:
            raise NotFound("no such entry on the forum's invitation list")
        uow.forum.erase(invitee)
        uow.audit(DELETE, INVITEE, invitee_id, reason=reason)
        uow.commit()


def erase_invitee(cmd: EraseInvitee, uow: SteeringUnitOfWork) -> None:
    """Delete the entry: the row is gone; the trail keeps its id and ``erasure``."""
    _erase(uow, cmd.forum_id, cmd.invitee_id, "erasure")


def withdraw_invitation_consent(cmd: WithdrawInvitationConsent, uow: SteeringUnitOfWork) -> None:
    """The person withdrew her consent: the entry is erased at once (no list of withdrawn people
    is kept — it would be personal data without a purpose)."""
    _erase(uow, cmd.forum_id, cmd.invitee_id, "consent_withdrawn")


# -- information events -------------------------------------------------------------------------


def plan_information_event(cmd: PlanInformationEvent, uow: SteeringUnitOfWork) -> InformationEvent:
    with uow:
        authorize_office(uow.principal)
        event = event_rules.check(InformationEvent(
            held_on=cmd.held_on, topic=cmd.topic.strip(), audience=cmd.audience.strip(),
            speaker_organisation=cmd.speaker_organisation.strip(), status=cmd.status,
            attendance=cmd.attendance, theme_id=cmd.theme_id, decision_id=cmd.decision_id),
            uow.today())
        _check_theme(uow, event.theme_id)
        uow.forum.add(event)
        uow.audit(CREATE, "information_event", event.id)
        uow.commit()
    return event


def _check_theme(uow: SteeringUnitOfWork, theme_id: uuid.UUID | None) -> None:
    if theme_id is not None and uow.get_theme(theme_id) is None:
        raise forum_rules.InvalidForumInput("theme_id", "no theme of this tenant has this id")


def change_information_event(cmd: ChangeInformationEvent,
                             uow: SteeringUnitOfWork) -> InformationEvent:
    """Change an event (e.g. held, with its attendance); a held event stays held (409)."""
    with uow:
        authorize_office(uow.principal)
        event = uow.forum.information_event(cmd.event_id)
        if event is None:
            raise NotFound("no such information event")
        event_rules.change(event, cmd.changes, uow.today())
        _check_theme(uow, event.theme_id)
        uow.audit(UPDATE, "information_event", event.id, reason=f"status {event.status}")
        uow.commit()
    return event


def information_events(uow: SteeringUnitOfWork) -> list[InformationEvent]:
    with uow:
        return uow.forum.information_events()


def information_event(uow: SteeringUnitOfWork, event_id: uuid.UUID) -> InformationEvent:
    with uow:
        found = uow.forum.information_event(event_id)
    if found is None:
        raise NotFound("no such information event")
    return found


# -- links to county-level case conferences; the cycle view ------------------------------------


def link_conferences(cmd: LinkConferences, uow: SteeringUnitOfWork) -> list[ConferenceLink]:
    """The theme links exactly these conferences afterwards (ids; nothing of them copied)."""
    with uow:
        authorize_office(uow.principal)
        theme = _theme(uow, cmd.theme_id)
        existing = uow.forum.conference_links(theme.id)
        added, removed = relink(theme.id, existing, list(cmd.conference_ids), uow.today())
        for link in removed:
            uow.forum.unlink(link)
        for link in added:
            uow.forum.add(link)
        uow.audit(UPDATE, "theme", theme.id,
                  reason=f"conference_links +{len(added)} -{len(removed)}")
        uow.commit()
    return sorted([link for link in existing if link not in removed] + added,
                  key=lambda link: (link.linked_on, str(link.conference_id)))


def conference_links(uow: SteeringUnitOfWork, theme_id: uuid.UUID) -> list[ConferenceLink]:
    with uow:
        _theme(uow, theme_id)
        return uow.forum.conference_links(theme_id)


def planning_cycle(uow: SteeringUnitOfWork) -> list[ThemeInCycle]:
    """Every theme of the county where it stands in steps 1–6."""
    with uow:
        themes = uow.list_themes()
        moves = {str(t.id): [step.changed_on for step in uow.theme_transitions(t.id)]
                 for t in themes}
        return cycle(themes, uow.forum.links_by_theme(), moves)


FORUM_COMMAND_HANDLERS = {
    SetUpForum: set_up_forum,
    RecordForumSession: record_forum_session,
    RecordStatement: record_statement,
    AttachForumStatements: attach_forum_statements,
    AddInvitee: add_invitee,
    EraseInvitee: erase_invitee,
    WithdrawInvitationConsent: withdraw_invitation_consent,
    PlanInformationEvent: plan_information_event,
    ChangeInformationEvent: change_information_event,
    LinkConferences: link_conferences,
}
