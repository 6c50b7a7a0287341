"""The directory of the referral network (Open Referral HSDS 3.0 vocabulary, ADR 0083): its
maintenance (the coordinating office, an organisation's administrator for her own entries), the
search a case manager uses in a conversation, the tenant's public switch — and the read-only
public directory a municipality's website or an Integreat-style app reads without a token.

Organisational data only (partners, services, places, opening hours, a department's phone):
nothing here is about a person, so reads are not audited; every change is.
"""

from __future__ import annotations

import uuid
from typing import Any

import marshmallow as ma
from flask.views import MethodView
from lotse_platform.http import Blueprint
from lotse_platform.auth import COORDINATOR, current_principal, public, requires
from lotse_platform.errors import NotFound
from lotse_platform.http.text import Email, Line, Text, Url
from lotse_platform.service import current_service, handle, request_uow

from ...domain.directory import (
    LOCATION_TYPES,
    MAX_AGE,
    MAX_PAGE_SIZE,
    SERVICE_STATUSES,
    STATUS_LABELS,
    WEEKDAY_LABELS,
    WEEKDAYS,
    Contact,
    DirectoryService,
    Location,
    Organization,
    SaveLocation,
    SaveOrganization,
    SaveService,
    Schedule,
    ServicePage,
    ServiceSearch,
    SetPublicDirectory,
)
from ...domain.vocabulary import LEGAL_AREAS, SERVICE_KINDS, TOPIC_AREAS, label
from ...service_layer.directory import MAINTAINERS, READERS, search
from ...service_layer.unit_of_work import NetworkUnitOfWork

blp = Blueprint("network-directory", __name__, url_prefix="/",
                description="The directory of the referral network (Open Referral HSDS 3.0): "
                            "organisations, locations, services; search")
public_blp = Blueprint("network-public-directory", __name__, url_prefix="/public",
                       description="The read-only public directory of a county (no token; "
                                   "switched on by the coordinating office)")

ID = ma.validate.Length(min=1, max=100)
#: an id that no replica checks is held to its form (intake's target groups are UUIDs)
UUID_ID = ma.validate.Regexp(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
    error="must be a UUID")
NAME = ma.validate.Length(min=1, max=200)
TEXT = ma.validate.Length(min=1, max=4000)
# BCP 47 language tags as people use them: "ar", "fa-AF", "ku-Latn"
LANGUAGE = ma.validate.Regexp(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
                              error="a language tag such as 'ar', 'ti' or 'fa-AF'")
TIME = ma.validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", error="a time HH:MM")
CLOSING = ma.validate.Regexp(r"^(([01]\d|2[0-3]):[0-5]\d|24:00)$",
                             error="a time HH:MM (24:00: the end of the day)")


def _codes(codes: tuple[str, ...]) -> str:
    return "; ".join(f"`{c}` ({label(c)})" for c in codes)


def one_of(codes: tuple[str, ...], **kwargs: Any) -> Line:
    return Line(validate=ma.validate.OneOf(codes), metadata={
        "description": f"{kwargs.pop('description', '')} Values: {_codes(codes)}".strip()},
        **kwargs)


# -- schemas: organisations and locations ------------------------------------------------------------
class OrganizationInSchema(ma.Schema):
    name = Line(required=True, validate=NAME, metadata={"description": "HSDS organization.name"})
    description = Text(required=True, validate=TEXT)
    identity_org_id = Line(load_default=None, allow_none=True, validate=ID, metadata={
        "description": "the Lotse organisation (identity) whose administrator maintains the "
                       "entry; none for a partner without Lotse users"})
    email = Email(load_default=None, allow_none=True, validate=ma.validate.Length(max=254))
    website = Url(load_default=None, allow_none=True, validate=ma.validate.Length(max=500))


class OrganizationSchema(OrganizationInSchema):
    id = ma.fields.UUID(required=True)
    version = ma.fields.Integer(required=True)
    updated_at = ma.fields.AwareDateTime(required=True)


class LocationInSchema(ma.Schema):
    organization_id = ma.fields.UUID(required=True)
    name = Line(required=True, validate=NAME)
    location_type = Line(load_default="physical", validate=ma.validate.OneOf(LOCATION_TYPES),
                         metadata={"description": "HSDS location_type: physical, postal, virtual"})
    address_1 = Line(required=True, validate=NAME, metadata={"description": "street, number"})
    postal_code = Line(required=True, validate=ma.validate.Regexp(
        r"^[0-9A-Za-z -]{3,10}$", error="a postal code"))
    city = Line(required=True, validate=ma.validate.Length(min=1, max=100))
    municipality_id = Line(required=True, validate=ID, metadata={
        "description": "the town (identity area id) the location lies in"})


class LocationSchema(LocationInSchema):
    id = ma.fields.UUID(required=True)
    version = ma.fields.Integer(required=True)
    updated_at = ma.fields.AwareDateTime(required=True)


# -- schemas: services -------------------------------------------------------------------------------
class ScheduleSchema(ma.Schema):
    """Weekly opening hours (HSDS schedule, freq WEEKLY), the tenant's local time."""

    weekday = Line(required=True, validate=ma.validate.OneOf(WEEKDAYS), metadata={
        "description": "HSDS byday: " + "; ".join(f"`{d}` ({n})" for d, n in
                                                  WEEKDAY_LABELS.items())})
    opens_at = Line(required=True, validate=TIME)
    closes_at = Line(required=True, validate=CLOSING)
    valid_from = ma.fields.Date(load_default=None, allow_none=True)
    valid_to = ma.fields.Date(load_default=None, allow_none=True)
    location_id = ma.fields.UUID(load_default=None, allow_none=True, metadata={
        "description": "one of the service's locations, when the hours are of one place"})
    description = Line(load_default=None, allow_none=True,
                       validate=ma.validate.Length(max=200),
                       metadata={"description": "e.g. 'offene Sprechstunde'"})

    @ma.post_load
    def to_schedule(self, data: dict[str, Any], **_: Any) -> Schedule:
        return Schedule(**data)


class ContactSchema(ma.Schema):
    """A role or department to reach (organisational contact data, never a client)."""

    title = Line(load_default=None, allow_none=True, validate=ma.validate.Length(max=200),
                 metadata={"description": "the role, e.g. 'Migrationsberatung'"})
    department = Line(load_default=None, allow_none=True, validate=ma.validate.Length(max=200))
    phone = Line(load_default=None, allow_none=True, validate=ma.validate.Regexp(
        r"^\+?[0-9 ()/-]{3,40}$", error="a phone number"))
    email = Email(load_default=None, allow_none=True, validate=ma.validate.Length(max=254))

    @ma.post_load
    def to_contact(self, data: dict[str, Any], **_: Any) -> Contact:
        return Contact(**data)


class ServiceInSchema(ma.Schema):
    organization_id = ma.fields.UUID(required=True)
    name = Line(required=True, validate=NAME)
    description = Text(required=True, validate=TEXT)
    kind = one_of(SERVICE_KINDS, required=True, description="the kind of service (Angebotsart).")
    status = Line(load_default="active", validate=ma.validate.OneOf(SERVICE_STATUSES),
                  metadata={"description": "; ".join(f"`{s}` ({n})"
                                                     for s, n in STATUS_LABELS.items())})
    topic_areas = ma.fields.List(one_of(TOPIC_AREAS), load_default=list, validate=ma.validate.Length(max=11),
                                 metadata={"description": f"Themenbereiche: {_codes(TOPIC_AREAS)}"})
    legal_areas = ma.fields.List(one_of(LEGAL_AREAS), load_default=list, validate=ma.validate.Length(max=12),
                                 metadata={"description": f"Rechtskreise: {_codes(LEGAL_AREAS)}"})
    fees_description = Text(load_default=None, allow_none=True,
                            validate=ma.validate.Length(max=1000),
                            metadata={"description": "e.g. 'kostenlos'"})
    target_group_ids = ma.fields.List(Line(validate=UUID_ID), load_default=list,
                                      validate=ma.validate.Length(max=50), metadata={
            "description": "eligibility: the tenant's target groups (intake) served"})
    minimum_age = ma.fields.Integer(load_default=None, allow_none=True,
                                    validate=ma.validate.Range(min=0, max=MAX_AGE))
    maximum_age = ma.fields.Integer(load_default=None, allow_none=True,
                                    validate=ma.validate.Range(min=0, max=MAX_AGE))
    languages = ma.fields.List(Line(validate=LANGUAGE), load_default=list,
                               validate=ma.validate.Length(max=40),
                               metadata={"description": "languages offered (BCP 47 tags)"})
    service_area_ids = ma.fields.List(Line(validate=ID), load_default=list,
                                      validate=ma.validate.Length(max=100), metadata={
            "description": "the towns or districts served (identity area ids)"})
    location_ids = ma.fields.List(ma.fields.UUID(), load_default=list,
                                  validate=ma.validate.Length(max=50))
    schedules = ma.fields.List(ma.fields.Nested(ScheduleSchema), load_default=list,
                               validate=ma.validate.Length(max=100))
    contacts = ma.fields.List(ma.fields.Nested(ContactSchema), load_default=list,
                              validate=ma.validate.Length(max=20))
    url = Url(load_default=None, allow_none=True, validate=ma.validate.Length(max=500))
    email = Email(load_default=None, allow_none=True, validate=ma.validate.Length(max=254))

    @ma.post_load
    def to_service(self, data: dict[str, Any], **_: Any) -> DirectoryService:
        for name in ("topic_areas", "legal_areas", "target_group_ids", "languages",
                     "service_area_ids", "location_ids", "schedules", "contacts"):
            data[name] = tuple(dict.fromkeys(data[name]))
        return DirectoryService(**data)


class ScheduleOutSchema(ma.Schema):
    weekday = ma.fields.String(required=True)
    opens_at = ma.fields.String(required=True)
    closes_at = ma.fields.String(required=True)
    valid_from = ma.fields.Date(allow_none=True)
    valid_to = ma.fields.Date(allow_none=True)
    location_id = ma.fields.UUID(allow_none=True)
    description = ma.fields.String(allow_none=True)


class ContactOutSchema(ma.Schema):
    title = ma.fields.String(allow_none=True)
    department = ma.fields.String(allow_none=True)
    phone = ma.fields.String(allow_none=True)
    email = ma.fields.String(allow_none=True)


class PlaceSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    name = ma.fields.String(required=True)
    address_1 = ma.fields.String(required=True)
    postal_code = ma.fields.String(required=True)
    city = ma.fields.String(required=True)
    municipality_id = ma.fields.String(required=True)


class ServicePublicSchema(ma.Schema):
    """A service as the public directory shows it: organisational data only."""

    id = ma.fields.UUID(required=True)
    organization_id = ma.fields.UUID(required=True)
    organization_name = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    description = ma.fields.String(required=True)
    kind = ma.fields.String(required=True)
    kind_label = ma.fields.String(required=True, metadata={"description": "German label"})
    status = ma.fields.String(required=True)
    topic_areas = ma.fields.List(ma.fields.String(), required=True)
    legal_areas = ma.fields.List(ma.fields.String(), required=True)
    own_case_management = ma.fields.Boolean(required=True, metadata={
        "description": "runs its own case management: a referral, not a takeover"})
    fees_description = ma.fields.String(allow_none=True)
    target_group_ids = ma.fields.List(ma.fields.String(), required=True)
    minimum_age = ma.fields.Integer(allow_none=True)
    maximum_age = ma.fields.Integer(allow_none=True)
    languages = ma.fields.List(ma.fields.String(), required=True)
    service_area_ids = ma.fields.List(ma.fields.String(), required=True)
    locations = ma.fields.List(ma.fields.Nested(PlaceSchema), required=True)
    schedules = ma.fields.List(ma.fields.Nested(ScheduleOutSchema), required=True)
    contacts = ma.fields.List(ma.fields.Nested(ContactOutSchema), required=True)
    url = ma.fields.String(allow_none=True)
    email = ma.fields.String(allow_none=True)
    version = ma.fields.Integer(required=True)


class ServiceSchema(ServicePublicSchema):
    location_ids = ma.fields.List(ma.fields.UUID(), required=True)
    updated_at = ma.fields.AwareDateTime(required=True)
    updated_by = ma.fields.String(allow_none=True, metadata={"description": "user id"})


class SearchSchema(ma.Schema):
    q = Line(validate=ma.validate.Length(min=1, max=200), metadata={
        "description": "free text (German full-text search), ranked by the match"})
    topic_area = one_of(TOPIC_AREAS)
    area_id = Line(validate=ID, metadata={
        "description": "a town or district (identity area id): served there or located there"})
    language = Line(validate=LANGUAGE, metadata={"description": "offered in (BCP 47)"})
    target_group_id = Line(validate=UUID_ID, metadata={"description": "a target group "
                                                                     "(intake) served"})
    kind = one_of(SERVICE_KINDS)
    open_now = ma.fields.Boolean(load_default=False, metadata={
        "description": "open now by its weekly hours, on the county's clock"})
    include_inactive = ma.fields.Boolean(load_default=False)
    limit = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1,
                                                                          max=MAX_PAGE_SIZE))
    offset = ma.fields.Integer(load_default=0, validate=ma.validate.Range(min=0, max=100_000))


class PublicSearchSchema(SearchSchema):
    class Meta:
        exclude = ("include_inactive",)


class ServicePageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ServiceSchema), required=True)
    total = ma.fields.Integer(required=True)
    limit = ma.fields.Integer(required=True)
    offset = ma.fields.Integer(required=True)
    next_offset = ma.fields.Integer(allow_none=True, metadata={
        "description": "the offset of the next page; null on the last"})


class PublicServicePageSchema(ServicePageSchema):
    items = ma.fields.List(ma.fields.Nested(ServicePublicSchema), required=True)


class DirectorySettingsSchema(ma.Schema):
    public_api = ma.fields.Boolean(required=True, metadata={
        "description": "the read-only public directory API answers (off by default)"})


# -- presenting a service ----------------------------------------------------------------------------
def present_all(uow: NetworkUnitOfWork, services: list[DirectoryService]) -> list[dict[str, Any]]:
    """The services as the API shows them: with their organisation's name and their places
    (two queries for a whole page)."""
    names = uow.organizations_by_id(s.organization_id for s in services)
    places = uow.locations_by_id(i for s in services for i in s.location_ids)
    return [{**vars(s), "organization_name": names[s.organization_id].name
             if s.organization_id in names else "",
             "kind_label": label(s.kind), "own_case_management": s.own_case_management,
             "locations": [places[i] for i in s.location_ids if i in places]}
            for s in services]


def present(uow: NetworkUnitOfWork, service: DirectoryService) -> dict[str, Any]:
    return present_all(uow, [service])[0]


def present_page(uow: NetworkUnitOfWork, page: ServicePage) -> dict[str, Any]:
    return {"items": present_all(uow, page.items), "total": page.total,
            "limit": page.limit, "offset": page.offset, "next_offset": page.next_offset}


def _search_of(query: dict[str, Any]) -> ServiceSearch:
    return ServiceSearch(q=query.get("q"), topic_area=query.get("topic_area"),
                         area_id=query.get("area_id"), language=query.get("language"),
                         target_group_id=query.get("target_group_id"), kind=query.get("kind"),
                         include_inactive=query.get("include_inactive", False),
                         limit=query["limit"], offset=query["offset"])


# -- organisations -----------------------------------------------------------------------------------
@blp.route("/directory/organizations")
class Organizations(MethodView):
    @blp.response(200, OrganizationSchema(many=True))
    @requires(*READERS)
    def get(self):
        """The directory's organisations (partners), by name."""
        with request_uow(current_principal()) as uow:
            return uow.list_organizations()

    @blp.arguments(OrganizationInSchema)
    @blp.response(201, OrganizationSchema)
    @requires(*MAINTAINERS)
    def post(self, body):
        """Add a partner (the coordinating office; an organisation's administrator for her own
        organisation)."""
        principal = current_principal()
        organization_id = handle(SaveOrganization(Organization(**body)), principal)
        with request_uow(principal) as uow:
            return uow.get_organization(organization_id)


@blp.route("/directory/organizations/<uuid:organization_id>")
class OrganizationById(MethodView):
    @blp.response(200, OrganizationSchema)
    @requires(*READERS)
    def get(self, organization_id: uuid.UUID):
        """One directory organisation."""
        with request_uow(current_principal()) as uow:
            organization = uow.get_organization(organization_id)
        if organization is None:
            raise NotFound("no such directory organisation")
        return organization

    @blp.arguments(OrganizationInSchema)
    @blp.response(200, OrganizationSchema)
    @requires(*MAINTAINERS)
    def put(self, body, organization_id: uuid.UUID):
        """Replace a directory organisation (its next version)."""
        principal = current_principal()
        handle(SaveOrganization(Organization(**body), organization_id), principal)
        with request_uow(principal) as uow:
            return uow.get_organization(organization_id)


# -- locations ---------------------------------------------------------------------------------------
class LocationQuerySchema(ma.Schema):
    organization_id = ma.fields.UUID()


@blp.route("/directory/locations")
class Locations(MethodView):
    @blp.arguments(LocationQuerySchema, location="query")
    @blp.response(200, LocationSchema(many=True))
    @requires(*READERS)
    def get(self, query):
        """The directory's locations (of one organisation), by name."""
        with request_uow(current_principal()) as uow:
            return uow.list_locations(query.get("organization_id"))

    @blp.arguments(LocationInSchema)
    @blp.response(201, LocationSchema)
    @requires(*MAINTAINERS)
    def post(self, body):
        """Add a location of a directory organisation."""
        principal = current_principal()
        location_id = handle(SaveLocation(Location(**body)), principal)
        with request_uow(principal) as uow:
            return uow.get_location(location_id)


@blp.route("/directory/locations/<uuid:location_id>")
class LocationById(MethodView):
    @blp.response(200, LocationSchema)
    @requires(*READERS)
    def get(self, location_id: uuid.UUID):
        """One location."""
        with request_uow(current_principal()) as uow:
            location = uow.get_location(location_id)
        if location is None:
            raise NotFound("no such directory location")
        return location

    @blp.arguments(LocationInSchema)
    @blp.response(200, LocationSchema)
    @requires(*MAINTAINERS)
    def put(self, body, location_id: uuid.UUID):
        """Replace a location (its next version)."""
        principal = current_principal()
        handle(SaveLocation(Location(**body), location_id), principal)
        with request_uow(principal) as uow:
            return uow.get_location(location_id)


# -- services ----------------------------------------------------------------------------------------
@blp.route("/services")
class Services(MethodView):
    @blp.arguments(SearchSchema, location="query")
    @blp.response(200, ServicePageSchema)
    @requires(*READERS)
    def get(self, query):
        """Search the directory in a conversation: by topic area, town, language, target group,
        kind, open now (the county's clock) and free text; ranked by the text match, then by
        name; one page (``limit`` at most 100, ``offset``)."""
        uow = request_uow(current_principal())
        page = search(uow, _search_of(query), open_now=query["open_now"])
        with uow:
            return present_page(uow, page)

    @blp.arguments(ServiceInSchema)
    @blp.response(201, ServiceSchema)
    @requires(*MAINTAINERS)
    def post(self, draft: DirectoryService):
        """Add a service of a directory organisation; audited and published
        (``network.service.changed.v1``)."""
        principal = current_principal()
        service_id = handle(SaveService(draft), principal)
        with request_uow(principal) as uow:
            return present(uow, _found(uow.get_service(service_id)))


@blp.route("/services/<uuid:service_id>")
class ServiceById(MethodView):
    @blp.response(200, ServiceSchema)
    @requires(*READERS)
    def get(self, service_id: uuid.UUID):
        """One service with its locations, hours and contacts."""
        with request_uow(current_principal()) as uow:
            return present(uow, _found(uow.get_service(service_id)))

    @blp.arguments(ServiceInSchema)
    @blp.response(200, ServiceSchema)
    @requires(*MAINTAINERS)
    def put(self, draft: DirectoryService, service_id: uuid.UUID):
        """Replace a service (its next version); audited and published with the fields that
        changed."""
        principal = current_principal()
        handle(SaveService(draft, service_id), principal)
        with request_uow(principal) as uow:
            return present(uow, _found(uow.get_service(service_id)))


def _found(service: DirectoryService | None) -> DirectoryService:
    if service is None:
        raise NotFound("no such directory service")
    return service


# -- the public switch -------------------------------------------------------------------------------
@blp.route("/directory/settings")
class Settings(MethodView):
    @blp.response(200, DirectorySettingsSchema)
    @requires(*READERS)
    def get(self):
        """Whether the county's public directory API is on."""
        with request_uow(current_principal()) as uow:
            return uow.directory_settings()

    @blp.arguments(DirectorySettingsSchema)
    @blp.response(200, DirectorySettingsSchema)
    @requires(COORDINATOR)
    def put(self, body):
        """Switch the public directory API on or off (the coordinating office)."""
        return handle(SetPublicDirectory(body["public_api"]), current_principal())


# -- the public directory ----------------------------------------------------------------------------
def _public_uow(tenant_id: uuid.UUID) -> NetworkUnitOfWork:
    """A unit of work of the tenant in the path, without a principal; 404 unless the county
    switched its public directory on (an unknown tenant looks the same)."""
    uow: NetworkUnitOfWork = current_service().uow(tenant_id)
    with uow:
        if not uow.directory_settings().public_api:
            raise NotFound("no public directory here")
    return uow


# function views: the platform reads ``@public`` off the view function itself
@public_blp.route("/<uuid:tenant_id>/services", methods=["GET"])
@public_blp.arguments(PublicSearchSchema, location="query")
@public_blp.response(200, PublicServicePageSchema)
@public
def public_services(query, tenant_id: uuid.UUID):
    """The county's active services (no token): the same filters as the case managers'
    search; organisational data only. 404 while the county has it switched off."""
    uow = _public_uow(tenant_id)
    page = search(uow, _search_of(query), open_now=query["open_now"])
    with uow:
        return present_page(uow, page)


@public_blp.route("/<uuid:tenant_id>/services/<uuid:service_id>", methods=["GET"])
@public_blp.response(200, ServicePublicSchema)
@public
def public_service(tenant_id: uuid.UUID, service_id: uuid.UUID):
    """One active service of the county (no token)."""
    uow = _public_uow(tenant_id)
    with uow:
        service = uow.get_service(service_id)
        if service is None or not service.active:
            raise NotFound("no such directory service")
        return present(uow, service)
