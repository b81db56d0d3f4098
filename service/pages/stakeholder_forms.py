"""The forms that change stakeholders: register, edit details, change sector, record and
retire assets, merge a duplicate, archive. A form with an error comes back (422) with
what was typed and the error beside its field; nothing is written."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response

from domain.application import Receipt
from domain.errors import StaleVersionError
from domain.stakeholder import Stakeholder
from domain.vocabulary import AssetCategory, StakeholderKind
from service.pages.access import Place, ReadPlace, WritePlace, sector_labels
from service.pages.forms import Errors, attempt, form_day, require_writer, text_values
from service.pages.records import uuid_or_none
from service.pages.session import FormDep
from service.pages.web import PageRoute, redirect, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)

KINDS = [(k.value, k.value.capitalize()) for k in StakeholderKind]
CATEGORIES = [(c.value, c.value.capitalize()) for c in AssetCategory]
# Register


@router.get("/l/{slug}/stakeholders/new")
def register_form(request: Request, place: ReadPlace) -> Response:
    """The form to register a stakeholder."""
    require_writer(place)
    values = {"kind": "organisation", "sector": "", "name": "", "contact": "", "notes": "", "since": ""}
    return _register_page(request, place, values, {})


def _register_page(
    request: Request, place: Place, values: dict[str, str], errors: Errors, status: int = 200
) -> Response:
    sectors = list(sector_labels(place.state()).items())
    return render(
        request,
        "stakeholder_new.html",
        status=status,
        title="Register a stakeholder",
        section="stakeholders",
        values=values,
        errors=errors,
        kinds=KINDS,
        sectors=sectors,
    )


@router.post("/l/{slug}/stakeholders/new")
def register(request: Request, place: WritePlace, form: FormDep) -> Response:
    """Register an organisation, group or person."""
    values = text_values(form, "kind", "sector", "name", "contact", "notes", "since")
    errors: Errors = {}
    if not values["name"].strip():
        errors["name"] = "enter the name"
    if values["sector"] not in sector_labels(place.state()):
        errors["sector"] = "choose a sector"
    since = form_day(values["since"], "since", errors)
    receipt = attempt(
        errors,
        lambda: place.runtime.app.register_stakeholder(
            place.slug,
            kind=values["kind"],
            sector=values["sector"],
            name=values["name"],
            contact=values["contact"],
            notes=values["notes"],
            since=since,
            actor=place.actor,
        ),
    )
    if receipt is None:
        return _register_page(request, place, values, errors, status=422)
    place.runtime.written(receipt)
    return redirect(place.url("stakeholders", str(receipt.id)) + "?done=registered")


# Edit: details, sector, assets


def _stakeholder(place: Place, stakeholder_id: UUID) -> Stakeholder:
    return place.runtime.app.load(Stakeholder, stakeholder_id, locality=place.slug)


@router.get("/l/{slug}/stakeholders/{stakeholder_id}/edit")
def edit_form(request: Request, place: ReadPlace, stakeholder_id: UUID) -> Response:
    """The forms to change a stakeholder's details, sector and assets."""
    require_writer(place)
    return _edit_page(request, place, stakeholder_id, {}, {})


def _edit_page(
    request: Request,
    place: Place,
    stakeholder_id: UUID,
    values: dict[str, str],
    errors: Errors,
    status: int = 200,
    problem: str = "",
) -> Response:
    aggregate = _stakeholder(place, stakeholder_id)
    details = place.runtime.app.stakeholder_details(aggregate)
    shown = {"sector": aggregate.sector, "since": "", "category": "", "description": "", **details, **values}
    return render(
        request,
        "stakeholder_edit.html",
        status=status,
        title=f"Change {details['name']}",
        section="stakeholders",
        stakeholder=aggregate,
        values=shown,
        errors=errors,
        problem=problem,
        sectors=list(sector_labels(place.state()).items()),
        categories=CATEGORIES,
        assets=sorted(aggregate.assets.items(), key=lambda item: item[1]),
    )


def _back(place: Place, stakeholder_id: UUID, receipt: Receipt, done: str) -> Response:
    place.runtime.written(receipt)
    return redirect(place.url("stakeholders", str(stakeholder_id)) + f"?done={done}")


@router.post("/l/{slug}/stakeholders/{stakeholder_id}/edit")
def edit(request: Request, place: WritePlace, stakeholder_id: UUID, form: FormDep) -> Response:
    """Change the name, contact details and notes."""
    values = text_values(form, "name", "contact", "notes", "version")
    errors: Errors = {}
    if not values["name"].strip():
        errors["name"] = "enter the name"
    version = int(values["version"]) if values["version"].isdigit() else None
    try:
        receipt = attempt(
            errors,
            lambda: place.runtime.app.change_stakeholder_details(
                place.slug,
                stakeholder_id,
                name=values["name"],
                contact=values["contact"],
                notes=values["notes"],
                actor=place.actor,
                expected_version=version,
            ),
        )
    except StaleVersionError:
        problem = "Someone changed this stakeholder since you opened the form: check the details below and save again."
        return _edit_page(request, place, stakeholder_id, {}, {}, status=409, problem=problem)
    if receipt is None:
        return _edit_page(request, place, stakeholder_id, values, errors, status=422)
    return _back(place, stakeholder_id, receipt, "changed")


@router.post("/l/{slug}/stakeholders/{stakeholder_id}/sector")
def change_sector(request: Request, place: WritePlace, stakeholder_id: UUID, form: FormDep) -> Response:
    """Record that the stakeholder is now in another sector (from a date)."""
    values = text_values(form, "sector", "since")
    errors: Errors = {}
    on = form_day(values["since"], "since", errors)
    receipt = attempt(
        errors,
        lambda: place.runtime.app.change_sector(
            place.slug, stakeholder_id, values["sector"], actor=place.actor, on=on
        ),
    )
    if receipt is None:
        return _edit_page(request, place, stakeholder_id, values, errors, status=422)
    return _back(place, stakeholder_id, receipt, "sector")


@router.post("/l/{slug}/stakeholders/{stakeholder_id}/assets")
def record_asset(request: Request, place: WritePlace, stakeholder_id: UUID, form: FormDep) -> Response:
    """Record an asset the stakeholder brings."""
    values = text_values(form, "category", "description")
    errors: Errors = {}
    if not values["description"].strip():
        errors["description"] = "say what the asset is"
    receipt = attempt(
        errors,
        lambda: place.runtime.app.record_asset(
            place.slug,
            stakeholder_id,
            category=values["category"],
            description=values["description"],
            actor=place.actor,
        ),
    )
    if receipt is None:
        return _edit_page(request, place, stakeholder_id, values, errors, status=422)
    return _back(place, stakeholder_id, receipt, "asset")


@router.post("/l/{slug}/stakeholders/{stakeholder_id}/assets/{asset_id}/retire")
def retire_asset(
    request: Request, place: WritePlace, stakeholder_id: UUID, asset_id: UUID, form: FormDep
) -> Response:
    """Retire an asset the stakeholder no longer brings."""
    field = f"reason-{asset_id}"
    values = {field: str(form.get("reason") or "")}
    errors: Errors = {}
    if not values[field].strip():
        errors[field] = "say why the asset is retired"
    receipt = attempt(
        errors,
        lambda: place.runtime.app.retire_asset(
            place.slug, stakeholder_id, asset_id, reason=values[field], actor=place.actor
        ),
    )
    if receipt is None:
        return _edit_page(request, place, stakeholder_id, values, errors, status=422)
    return _back(place, stakeholder_id, receipt, "retired")


# Merge and archive


@router.get("/l/{slug}/stakeholders/{stakeholder_id}/merge")
def merge_form(request: Request, place: ReadPlace, stakeholder_id: UUID) -> Response:
    """The form to merge a duplicate into the stakeholder it duplicates."""
    require_writer(place)
    return _end_page(request, place, stakeholder_id, "merge", {"into": "", "reason": ""}, {})


@router.get("/l/{slug}/stakeholders/{stakeholder_id}/archive")
def archive_form(request: Request, place: ReadPlace, stakeholder_id: UUID) -> Response:
    """The form to archive a stakeholder."""
    require_writer(place)
    return _end_page(request, place, stakeholder_id, "archive", {"reason": ""}, {})


def _end_page(
    request: Request,
    place: Place,
    stakeholder_id: UUID,
    action: str,
    values: dict[str, str],
    errors: Errors,
    status: int = 200,
) -> Response:
    aggregate = _stakeholder(place, stakeholder_id)
    name = place.runtime.app.stakeholder_details(aggregate)["name"]
    state = place.state()
    others = sorted(
        (
            (s.id, s.name)
            for s in state.stakeholders.values()
            if s.status == "active" and s.id != str(stakeholder_id)
        ),
        key=lambda item: item[1].lower(),
    )
    title = f"Merge {name} into another stakeholder" if action == "merge" else f"Archive {name}"
    return render(
        request,
        "stakeholder_end.html",
        status=status,
        title=title,
        section="stakeholders",
        stakeholder=aggregate,
        name=name,
        action=action,
        values=values,
        errors=errors,
        others=others,
    )


@router.post("/l/{slug}/stakeholders/{stakeholder_id}/merge")
def merge(request: Request, place: WritePlace, stakeholder_id: UUID, form: FormDep) -> Response:
    """Merge a duplicate into the stakeholder it duplicates."""
    values = text_values(form, "into", "reason")
    errors: Errors = {}
    into = uuid_or_none(values["into"])
    if into is None:
        errors["into"] = "choose the stakeholder to merge into"
    if not values["reason"].strip():
        errors["reason"] = "say why (e.g. registered twice)"

    def write() -> Receipt:
        assert into is not None  # attempt() writes only when there are no errors
        return place.runtime.app.merge_stakeholder(
            place.slug, stakeholder_id, into, reason=values["reason"], actor=place.actor
        )

    receipt = attempt(errors, write)
    if receipt is None:
        errors = {"into" if k == "target_id" else k: v for k, v in errors.items()}
        return _end_page(request, place, stakeholder_id, "merge", values, errors, status=422)
    return _back(place, stakeholder_id, receipt, "merged")


@router.post("/l/{slug}/stakeholders/{stakeholder_id}/archive")
def archive(request: Request, place: WritePlace, stakeholder_id: UUID, form: FormDep) -> Response:
    """Archive a stakeholder who is no longer part of the network."""
    values = text_values(form, "reason")
    errors: Errors = {}
    if not values["reason"].strip():
        errors["reason"] = "say why the stakeholder is archived"
    receipt = attempt(
        errors,
        lambda: place.runtime.app.archive_stakeholder(
            place.slug, stakeholder_id, reason=values["reason"], actor=place.actor
        ),
    )
    if receipt is None:
        return _end_page(request, place, stakeholder_id, "archive", values, errors, status=422)
    return _back(place, stakeholder_id, receipt, "archived")
