"""Draft purchase orders: generated from a published decision, read by the secretariat and
the DSAF."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
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
from comite.orders.permissions import can_draft_orders, can_read_orders
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
    )


def orders_of(decision: Decision) -> list[PurchaseOrder]:
    return list(
        db.session.scalars(
            sa.select(PurchaseOrder)
            .where(PurchaseOrder.decision_id == decision.id)
            .order_by(PurchaseOrder.number)
        )
    )
