"""Draft purchase orders: generated from a published decision, read by the secretariat and
the DSAF."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from comite.auth.permissions import permission_required
from comite.auth.services import acting_user
from comite.committee.models import Decision
from comite.core.errors import DomainError
from comite.core.formatting import today_in_paris
from comite.core.forms import ButtonForm
from comite.extensions import db
from comite.orders import services
from comite.orders.models import PurchaseOrder
from comite.orders.order_forms import CancelForm, EngageForm
from comite.orders.permissions import (
    can_cancel_orders,
    can_draft_orders,
    can_engage_orders,
    can_read_orders,
)
from comite.orders.rules import DAYS_PER_UO, line_total, order_totals

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
    order = db.session.scalar(
        sa.select(PurchaseOrder)
        .where(PurchaseOrder.id == order_id)
        .options(selectinload(PurchaseOrder.lines), selectinload(PurchaseOrder.contract))
    )
    if order is None:
        abort(404, description="Ce bon de commande n'existe pas.")
    total_ht, vat, total_ttc = order_totals(
        [(line.quantity, line.unit_price_ht) for line in order.lines], order.vat_rate
    )
    return render_template(
        "orders/order.html",
        order=order,
        line_totals=[line_total(line.quantity, line.unit_price_ht) for line in order.lines],
        days_per_uo=DAYS_PER_UO,
        total_ht=total_ht,
        vat=vat,
        total_ttc=total_ttc,
        button=ButtonForm(),
        engage_form=EngageForm() if can_engage_orders(current_user) else None,
        cancel_form=CancelForm() if can_cancel_orders(current_user) else None,
        can_send=bool(can_draft_orders(current_user)),
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
    form = EngageForm()
    form.validate()
    try:
        services.engage_order(db.session, order, acting_user(), form.legal_commitment.data or "")
    except DomainError as error:
        return _refused(error, order)
    db.session.commit()
    return _after(order, f"Engagement juridique {order.legal_commitment} enregistré.")


@bp.post("/commandes/<int:order_id>/annulation")
@permission_required(can_cancel_orders)
def cancel_order(order_id: int):
    order = _order_or_404(order_id)
    form = CancelForm()
    form.validate()
    try:
        services.cancel_order(db.session, order, acting_user(), form.reason.data or "")
    except DomainError as error:
        return _refused(error, order)
    db.session.commit()
    return _after(order, f"Le bon de commande {order.number} est annulé.")
