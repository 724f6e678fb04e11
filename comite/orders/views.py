"""The secretariat's catalogue: framework contracts, their unit prices, the UO types."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from sqlalchemy.orm import selectinload

from comite.auth.permissions import permission_required
from comite.auth.services import acting_user
from comite.core.errors import DomainError
from comite.core.formatting import date_fr, today_in_paris
from comite.core.forms import ButtonForm, refuse_in_form
from comite.extensions import db
from comite.orders import rules, services
from comite.orders.forms import ContractForm, PriceForm, RenameWorkUnitTypeForm, WorkUnitTypeForm
from comite.orders.models import FrameworkContract, UnitPrice, WorkUnitType
from comite.orders.permissions import can_manage_catalogue

bp = Blueprint("catalogue", __name__, url_prefix="/catalogue")

HUNDRED = Decimal(100)


def _work_unit_types(active_only: bool = False) -> list[WorkUnitType]:
    query = sa.select(WorkUnitType).order_by(WorkUnitType.id)
    if active_only:
        query = query.where(WorkUnitType.is_active)
    return list(db.session.scalars(query))


@bp.get("")
@permission_required(can_manage_catalogue)
def index():
    contracts = db.session.scalars(
        sa.select(FrameworkContract).order_by(
            FrameworkContract.starts_on.desc(), FrameworkContract.reference
        )
    ).all()
    return render_template(
        "orders/index.html", contracts=contracts, work_unit_types=_work_unit_types()
    )


# Framework contracts


def _contract_or_404(contract_id: int) -> FrameworkContract:
    contract = db.session.scalar(
        sa.select(FrameworkContract)
        .where(FrameworkContract.id == contract_id)
        .options(selectinload(FrameworkContract.prices).selectinload(UnitPrice.work_unit_type))
    )
    return contract or abort(404, description="Ce marché n'existe pas.")


def _details(form: ContractForm) -> services.ContractDetails:
    return services.ContractDetails(
        reference=form.reference.data,
        title=form.title.data,
        holder_name=form.holder_name.data,
        holder_siret=form.holder_siret.data,
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        vat_rate=form.vat_rate_percent.data / HUNDRED,
    )


def _render_contract_form(form: ContractForm, contract: FrameworkContract | None):
    return render_template(
        "orders/contract_form.html", form=form, contract=contract
    ), 422 if form.errors else 200


def _refuse_contract(form: ContractForm, error: DomainError) -> None:
    if error.field == "vat_rate":
        error.field = "vat_rate_percent"
    refuse_in_form(form, error)


@bp.route("/marches/nouveau", methods=["GET", "POST"])
@permission_required(can_manage_catalogue)
def create_contract():
    form = ContractForm()
    if form.validate_on_submit():
        try:
            contract = services.create_contract(db.session, _details(form), acting_user())
        except DomainError as error:
            _refuse_contract(form, error)
        else:
            db.session.commit()
            flash(f"Le marché {contract.reference} est créé.", "success")
            return redirect(url_for("catalogue.show_contract", contract_id=contract.id), 303)
    return _render_contract_form(form, None)


@bp.route("/marches/<int:contract_id>/modifier", methods=["GET", "POST"])
@permission_required(can_manage_catalogue)
def edit_contract(contract_id: int):
    contract = _contract_or_404(contract_id)
    form = ContractForm(obj=contract, vat_rate_percent=(contract.vat_rate * HUNDRED).normalize())
    if form.validate_on_submit():
        try:
            changed = services.update_contract(db.session, contract, _details(form), acting_user())
        except DomainError as error:
            _refuse_contract(form, error)
        else:
            db.session.commit()
            if changed:
                flash(f"Le marché {contract.reference} est modifié.", "success")
            return redirect(url_for("catalogue.show_contract", contract_id=contract.id), 303)
    return _render_contract_form(form, contract)


@bp.get("/marches/<int:contract_id>")
@permission_required(can_manage_catalogue)
def show_contract(contract_id: int):
    contract = _contract_or_404(contract_id)
    today = today_in_paris()
    priced_types = {price.work_unit_type for price in contract.prices}
    grid = []
    for work_unit_type in _work_unit_types():
        if not work_unit_type.is_active and work_unit_type not in priced_types:
            continue
        prices = [p for p in contract.prices if p.work_unit_type is work_unit_type]
        current = rules.price_on(prices, today)
        grid.append(
            (
                work_unit_type,
                current,
                rules.price_ttc(current.price_ht, contract.vat_rate) if current else None,
            )
        )
    history = sorted(contract.prices, key=lambda p: (p.work_unit_type_id, p.valid_from))
    return render_template(
        "orders/contract.html",
        contract=contract,
        grid=grid,
        history=[(p, rules.price_ttc(p.price_ht, contract.vat_rate)) for p in history],
        today=today,
    )


@bp.route("/marches/<int:contract_id>/prix", methods=["GET", "POST"])
@permission_required(can_manage_catalogue)
def set_price(contract_id: int):
    contract = _contract_or_404(contract_id)
    types = _work_unit_types(active_only=True)
    form = PriceForm()
    form.work_unit_type.choices = [(0, "Choisir un type d'UO")] + [
        (t.id, f"{t.code} – {t.label}") for t in types
    ]
    if form.validate_on_submit():
        by_id = {t.id: t for t in types}
        work_unit_type = by_id.get(form.work_unit_type.data)
        if work_unit_type is None:
            form.work_unit_type.errors = ["Choisissez un type d'UO."]
        else:
            try:
                price = services.set_price(
                    db.session,
                    contract,
                    work_unit_type,
                    form.price_ht.data,
                    form.valid_from.data,
                    acting_user(),
                )
            except DomainError as error:
                refuse_in_form(form, error)
            else:
                db.session.commit()
                flash(
                    f"Le prix de l'UO {work_unit_type.label} est enregistré à partir du "
                    f"{date_fr(price.valid_from)}.",
                    "success",
                )
                return redirect(url_for("catalogue.show_contract", contract_id=contract.id), 303)
    return render_template(
        "orders/price_form.html", form=form, contract=contract
    ), 422 if form.errors else 200


# UO types


def _render_work_unit_types(form: WorkUnitTypeForm, status: int = 200):
    return render_template(
        "orders/work_unit_types.html",
        form=form,
        button=ButtonForm(),
        work_unit_types=_work_unit_types(),
    ), status


@bp.route("/uo", methods=["GET", "POST"])
@permission_required(can_manage_catalogue)
def list_work_unit_types():
    form = WorkUnitTypeForm()
    if form.validate_on_submit():
        try:
            work_unit_type = services.add_work_unit_type(
                db.session, form.code.data, form.label.data, form.profile.data or "", acting_user()
            )
        except DomainError as error:
            refuse_in_form(form, error)
        else:
            db.session.commit()
            flash(f"Le type d'UO {work_unit_type.code} est ajouté.", "success")
            return redirect(url_for("catalogue.list_work_unit_types"), 303)
    return _render_work_unit_types(form, 422 if form.errors else 200)


def _work_unit_type_or_404(work_unit_type_id: int) -> WorkUnitType:
    return db.session.get(WorkUnitType, work_unit_type_id) or abort(
        404, description="Ce type d'UO n'existe pas."
    )


@bp.route("/uo/<int:work_unit_type_id>/modifier", methods=["GET", "POST"])
@permission_required(can_manage_catalogue)
def edit_work_unit_type(work_unit_type_id: int):
    work_unit_type = _work_unit_type_or_404(work_unit_type_id)
    form = RenameWorkUnitTypeForm(obj=work_unit_type)
    if form.validate_on_submit():
        changed = services.rename_work_unit_type(
            db.session, work_unit_type, form.label.data, form.profile.data or "", acting_user()
        )
        db.session.commit()
        if changed:
            flash(f"Le type d'UO {work_unit_type.code} est renommé.", "success")
        return redirect(url_for("catalogue.list_work_unit_types"), 303)
    return render_template(
        "orders/work_unit_type_form.html", form=form, work_unit_type=work_unit_type
    ), 422 if form.errors else 200


def _toggle_work_unit_type(work_unit_type_id: int, verb, message: str):
    work_unit_type = _work_unit_type_or_404(work_unit_type_id)
    if not ButtonForm().validate():
        abort(400)
    try:
        verb(db.session, work_unit_type, acting_user())
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "info")
    else:
        db.session.commit()
        flash(message.format(code=work_unit_type.code), "success")
    return redirect(url_for("catalogue.list_work_unit_types"), 303)


@bp.post("/uo/<int:work_unit_type_id>/desactiver")
@permission_required(can_manage_catalogue)
def deactivate_work_unit_type(work_unit_type_id: int):
    return _toggle_work_unit_type(
        work_unit_type_id,
        services.deactivate_work_unit_type,
        "Le type d'UO {code} est désactivé : il n'est plus proposé.",
    )


@bp.post("/uo/<int:work_unit_type_id>/reactiver")
@permission_required(can_manage_catalogue)
def reactivate_work_unit_type(work_unit_type_id: int):
    return _toggle_work_unit_type(
        work_unit_type_id,
        services.reactivate_work_unit_type,
        "Le type d'UO {code} est réactivé.",
    )
