"""Draft purchase orders: generated from a published decision, read by the secretariat and
the DSAF."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from comite.auth.permissions import permission_required
from comite.auth.services import acting_user
from comite.committee.models import Decision
from comite.core.errors import DomainError
from comite.core.formatting import number, today_in_paris
from comite.core.forms import ButtonForm, refuse_in_form
from comite.extensions import db
from comite.orders import services
from comite.orders.follow_up import budget_follow_up, order_follow_up
from comite.orders.models import OrderState, PurchaseOrder
from comite.orders.order_forms import CancelForm, ConsumptionForm, EngageForm, OrderDetailsForm
from comite.orders.permissions import (
    can_cancel_orders,
    can_declare_consumption,
    can_draft_orders,
    can_engage_orders,
    can_read_orders,
)
from comite.orders.rules import DAYS_PER_UO, line_total, order_totals
from comite.startups.queries import startup_by_slug

bp = Blueprint("orders", __name__)


@bp.post("/decisions/<int:decision_id>/commandes")
@permission_required(can_draft_orders)
def generate_orders(decision_id: int):
    decision = db.session.get(Decision, decision_id) or abort(404)
    ButtonForm().validate()
    try:
        orders = services.generate_orders(db.session, decision, acting_user(), today_in_paris())
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("decisions.show_decision", decision_id=decision.id), 303)
    db.session.commit()
    numbers = ", ".join(order.number for order in orders)
    flash(f"Projet(s) de bon de commande créé(s) : {numbers}.", "success")
    return redirect(url_for("orders.show_order", order_id=orders[0].id), 303)


@bp.get("/commandes/<int:order_id>")
@permission_required(can_read_orders)
def show_order(order_id: int):
    order = order_with_lines_or_404(order_id)
    form = _consumption_form(order) if _may_declare(order) else None
    return _render_order(order, consumption_form=form)


@bp.get("/commandes/numero/<number>")
@permission_required(can_read_orders)
def find_order(number: str):
    order_id = db.session.scalar(sa.select(PurchaseOrder.id).where(PurchaseOrder.number == number))
    if order_id is None:
        abort(404, description="Aucun bon de commande ne porte ce numéro.")
    return redirect(url_for("orders.show_order", order_id=order_id))


def order_with_lines_or_404(order_id: int) -> PurchaseOrder:
    """The order with its lines and contract (its page and its workbook show them)."""
    order = db.session.scalar(
        sa.select(PurchaseOrder)
        .where(PurchaseOrder.id == order_id)
        .options(selectinload(PurchaseOrder.lines), selectinload(PurchaseOrder.contract))
    )
    if order is None:
        abort(404, description="Ce bon de commande n'existe pas.")
    return order


def _may_declare(order: PurchaseOrder) -> bool:
    return order.state is OrderState.COMMITTED and bool(can_declare_consumption(current_user))


def _consumption_form(order: PurchaseOrder) -> ConsumptionForm:
    form = ConsumptionForm()
    form.line.choices = [
        SelectChoice(line.id, f"{line.work_unit_code} – {line.work_unit_label}")
        for line in order.lines
    ]
    return form


def _render_order(
    order: PurchaseOrder,
    consumption_form: ConsumptionForm | None,
    engage_form: EngageForm | None = None,
):
    total_ht, vat, total_ttc = order_totals(
        [(line.quantity, line.unit_price_ht) for line in order.lines], order.vat_rate
    )
    page = render_template(
        "orders/order.html",
        order=order,
        line_totals=[line_total(line.quantity, line.unit_price_ht) for line in order.lines],
        follow_up=order_follow_up(db.session, order),
        days_per_uo=DAYS_PER_UO,
        total_ht=total_ht,
        vat=vat,
        total_ttc=total_ttc,
        button=ButtonForm(),
        can_edit=order.state is OrderState.DRAFT and bool(can_draft_orders(current_user)),
        engage_form=engage_form or (EngageForm() if can_engage_orders(current_user) else None),
        cancel_form=CancelForm() if can_cancel_orders(current_user) else None,
        consumption_form=consumption_form,
        can_send=bool(can_draft_orders(current_user)),
    )
    refused = any(form is not None and form.errors for form in (consumption_form, engage_form))
    return page, 422 if refused else 200


@bp.route("/commandes/<int:order_id>/modifier", methods=["GET", "POST"])
@permission_required(can_draft_orders)
def edit_order(order_id: int):
    order = _order_or_404(order_id)
    form = OrderDetailsForm(obj=order)
    if form.validate_on_submit():
        try:
            changed = services.update_order(db.session, order, acting_user(), form.data)
        except DomainError as error:
            if error.field is None:
                return _refused(error, order)
            refuse_in_form(form, error)
        else:
            db.session.commit()
            if changed:
                flash(f"Le bon de commande {order.number} est complété.", "success")
            return redirect(url_for("orders.show_order", order_id=order.id), 303)
    elif request.method == "POST" and order.state is not OrderState.DRAFT:
        return _refused(DomainError("Seul un brouillon se modifie."), order)
    page = render_template("orders/order_form.html", form=form, order=order)
    return page, 422 if form.errors else 200


@bp.post("/commandes/<int:order_id>/service-fait")
@permission_required(can_declare_consumption)
def declare_consumption(order_id: int):
    order = order_with_lines_or_404(order_id)
    form = _consumption_form(order)
    if form.validate_on_submit():
        line = next(line for line in order.lines if line.id == form.line.data)
        try:
            services.declare_consumption(
                db.session,
                line,
                acting_user(),
                form.days.data,
                form.period_end.data,
                form.comment.data or "",
            )
        except DomainError as error:
            if error.field is None:
                return _refused(error, order)
            refuse_in_form(form, error)
        else:
            db.session.commit()
            return _after(
                order, f"{number(form.days.data)} jours déclarés sur {line.work_unit_code}."
            )
    return _render_order(order, consumption_form=form)


@bp.get("/startups/<slug>/budget")
@permission_required(can_read_orders)
def startup_budget(slug: str):
    startup = db.session.scalar(startup_by_slug(slug)) or abort(
        404, description="Cette startup n'existe pas."
    )
    orders = db.session.scalars(
        sa.select(PurchaseOrder)
        .where(PurchaseOrder.startup_id == startup.id)
        .order_by(PurchaseOrder.number.desc())
    ).all()
    return render_template(
        "orders/startup_budget.html",
        startup=startup,
        follow_up=budget_follow_up(db.session, startup_id=startup.id),
        orders=orders,
    )


def orders_of(decision: Decision) -> list[PurchaseOrder]:
    return list(
        db.session.scalars(
            sa.select(PurchaseOrder)
            .where(PurchaseOrder.decision_id == decision.id)
            .order_by(PurchaseOrder.number)
        )
    )


def _order_or_404(order_id: int) -> PurchaseOrder:
    order = db.session.get(PurchaseOrder, order_id)
    if order is None:
        abort(404, description="Ce bon de commande n'existe pas.")
    return order


def _after(order: PurchaseOrder, message: str):
    flash(message, "success")
    return redirect(url_for("orders.show_order", order_id=order.id), 303)


def _refused(error: DomainError, order: PurchaseOrder):
    db.session.rollback()
    flash(error.message, "error")
    return redirect(url_for("orders.show_order", order_id=order.id), 303)


@bp.post("/commandes/<int:order_id>/transmission")
@permission_required(can_draft_orders)
def send_order(order_id: int):
    order = _order_or_404(order_id)
    ButtonForm().validate()
    try:
        services.send_order(db.session, order, acting_user())
    except DomainError as error:
        return _refused(error, order)
    db.session.commit()
    return _after(order, f"Le bon de commande {order.number} est transmis à la DSAF.")


@bp.post("/commandes/<int:order_id>/engagement")
@permission_required(can_engage_orders)
def engage_order(order_id: int):
    order = _order_or_404(order_id)
    form = EngageForm()  # the service checks the number itself (10 digits)
    try:
        services.engage_order(db.session, order, acting_user(), form.legal_commitment.data or "")
    except DomainError as error:
        if error.field is None:
            return _refused(error, order)
        # A mistyped number stays in its field, the reason beside it.
        refuse_in_form(form, error)
        return _render_order(order_with_lines_or_404(order_id), None, engage_form=form)
    db.session.commit()
    return _after(order, f"Engagement juridique {order.legal_commitment} enregistré.")


@bp.post("/commandes/<int:order_id>/annulation")
@permission_required(can_cancel_orders)
def cancel_order(order_id: int):
    order = _order_or_404(order_id)
    form = CancelForm()
    if not form.validate():
        return _refused(DomainError(form.reason.errors[0]), order)
    try:
        services.cancel_order(db.session, order, acting_user(), form.reason.data or "")
    except DomainError as error:
        return _refused(error, order)
    db.session.commit()
    return _after(order, f"Le bon de commande {order.number} est annulé.")
