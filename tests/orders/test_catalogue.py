"""The secretariat's catalogue: framework contracts, unit prices with validity dates, UO types."""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal

import pytest
import sqlalchemy as sa

from comite.auth.roles import Role
from comite.core.audit import AuditEvent
from comite.core.errors import DomainError
from comite.orders import services
from comite.orders.models import FrameworkContract, UnitPrice, WorkUnitType

D = dt.date

CONTRACT_FORM = {
    "reference": "2026-DSAF-01",
    "title": "Accord-cadre de réalisation de services numériques",
    "holder_name": "Coopérative Numérique",
    "holder_siret": "123 456 789 00015",
    "starts_on": "2026-01-01",
    "ends_on": "2029-12-31",
    "vat_rate_percent": "20",
}


def events(db_session, action):
    return db_session.scalars(sa.select(AuditEvent).filter_by(action=action)).all()


# Access


@pytest.mark.parametrize(
    "url",
    ["/catalogue", "/catalogue/marches/nouveau", "/catalogue/uo"],
)
def test_only_the_secretariat_opens_the_catalogue(client, login_as, url):
    login_as(Role.FINANCE)
    response = client.get(url)
    assert response.status_code == 403
    assert "Cette page est réservée aux rôles suivants" in html.unescape(response.text)


def test_anonymous_people_are_sent_to_the_login_page(client, make_contract):
    contract = make_contract()
    for url in ("/catalogue", f"/catalogue/marches/{contract.id}", "/catalogue/uo"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/connexion" in response.location
    response = client.post(f"/catalogue/marches/{contract.id}/prix", data={})
    assert response.status_code == 302


def test_the_admin_home_links_to_the_catalogue(client, login_as):
    login_as(Role.ADMIN)
    assert 'href="/catalogue"' in client.get("/admin").text


def test_an_unknown_contract_is_a_french_404(client, login_as):
    login_as(Role.ADMIN)
    response = client.get("/catalogue/marches/999999")
    assert response.status_code == 404
    assert "Ce marché n'existe pas." in html.unescape(response.text)


# Contracts


def test_admin_creates_a_contract(client, login_as, db_session):
    admin = login_as(Role.ADMIN)
    response = client.post("/catalogue/marches/nouveau", data=CONTRACT_FORM)
    assert response.status_code == 303
    contract = db_session.scalars(
        sa.select(FrameworkContract).filter_by(reference="2026-DSAF-01")
    ).one()
    assert response.location == f"/catalogue/marches/{contract.id}"
    assert contract.holder_siret == "12345678900015"
    assert contract.vat_rate == Decimal("0.2")
    assert contract.starts_on == D(2026, 1, 1)
    [event] = events(db_session, "contract.created")
    assert event.actor_id == admin.id
    assert event.details["vat_rate"] == "0.2"
    page = html.unescape(client.get(response.location).text)
    assert "Coopérative Numérique" in page
    assert "20 %" in page
    assert "2026-DSAF-01" in html.unescape(client.get("/catalogue").text)


def test_new_contract_form_proposes_a_vat_rate_of_20_percent(client, login_as):
    login_as(Role.ADMIN)
    page = client.get("/catalogue/marches/nouveau").text
    assert 'name="vat_rate_percent"' in page
    assert 'value="20"' in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"reference": ""}, "reference", "Saisissez la référence du marché."),
        ({"holder_siret": "12345678900016"}, "holder_siret", "Ce numéro SIRET n'est pas valide"),
        ({"holder_siret": "1234"}, "holder_siret", "Ce numéro SIRET n'est pas valide"),
        (
            {"starts_on": "2027-01-01", "ends_on": "2026-12-31"},
            "ends_on",
            "La date de fin doit être postérieure ou égale à la date de début.",
        ),
        ({"reference": "ac-existant"}, "reference", "Un marché porte déjà cette référence."),
        ({"vat_rate_percent": "100"}, "vat_rate_percent", "Le taux de TVA doit être compris"),
        ({"vat_rate_percent": "vingt"}, "vat_rate_percent", "Saisissez un nombre"),
        ({"starts_on": ""}, "starts_on", "Saisissez la date de début du marché."),
    ],
)
def test_invalid_contract_is_refused_next_to_its_field(
    client, login_as, make_contract, db_session, changes, field, message
):
    login_as(Role.ADMIN)
    make_contract("AC-EXISTANT")
    response = client.post("/catalogue/marches/nouveau", data={**CONTRACT_FORM, **changes})
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert "<title>Erreur : Nouveau marché – Comité</title>" in page
    assert f'id="{field}-error-1">{message}' in page
    assert f'href="#{field}"' in page
    assert db_session.scalar(sa.select(sa.func.count()).select_from(FrameworkContract)) == 1
    assert events(db_session, "contract.created") == []


def test_admin_edits_a_contract_and_the_change_is_audited(
    client, login_as, make_contract, db_session
):
    admin = login_as(Role.ADMIN)
    contract = make_contract("AC-1")
    page = client.get(f"/catalogue/marches/{contract.id}/modifier").text
    assert 'value="20"' in page
    response = client.post(
        f"/catalogue/marches/{contract.id}/modifier",
        data={**CONTRACT_FORM, "reference": "AC-1", "vat_rate_percent": "5,5"},
    )
    assert response.status_code == 303
    db_session.refresh(contract)
    assert contract.vat_rate == Decimal("0.055")
    assert contract.holder_name == "Coopérative Numérique"
    [event] = events(db_session, "contract.updated")
    assert event.actor_id == admin.id
    assert event.details["changes"]["vat_rate"][1] == "0.055"
    assert event.details["changes"]["holder_name"] == [
        "Titulaire de test",
        "Coopérative Numérique",
    ]


def test_editing_a_contract_to_another_ones_reference_is_refused(client, login_as, make_contract):
    login_as(Role.ADMIN)
    make_contract("AC-1")
    other = make_contract("AC-2")
    response = client.post(
        f"/catalogue/marches/{other.id}/modifier", data={**CONTRACT_FORM, "reference": "AC-1"}
    )
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert "<title>Erreur : Modifier le marché AC-2 – Comité</title>" in page
    assert 'id="reference-error-1">Un marché porte déjà cette référence.' in page


# Prices


def test_setting_a_price_closes_the_previous_one_the_day_before(
    client, login_as, make_contract, work_unit, db_session
):
    admin = login_as(Role.ADMIN)
    contract = make_contract()
    senior = work_unit("DEVOPS-SENIOR")
    for price, day in (("12 500,50", "2026-01-01"), ("13 000", "2027-01-01")):
        response = client.post(
            f"/catalogue/marches/{contract.id}/prix",
            data={"work_unit_type": senior.id, "price_ht": price, "valid_from": day},
        )
        assert response.status_code == 303, response.text
    prices = db_session.scalars(
        sa.select(UnitPrice).filter_by(contract_id=contract.id).order_by(UnitPrice.valid_from)
    ).all()
    assert [(p.price_ht, p.valid_from, p.valid_until) for p in prices] == [
        (Decimal("12500.50"), D(2026, 1, 1), D(2026, 12, 31)),
        (Decimal("13000.00"), D(2027, 1, 1), None),
    ]
    first, second = events(db_session, "contract.price_set")
    assert first.actor_id == second.actor_id == admin.id
    assert second.details == {
        "work_unit": "DEVOPS-SENIOR",
        "price_ht": "13000.00",
        "valid_from": "2027-01-01",
        "closed_previous": {"price_ht": "12500.50", "valid_until": "2026-12-31"},
    }


@pytest.mark.parametrize(
    ("valid_from", "message"),
    [
        ("2026-01-01", "Un prix de cette UO s'applique déjà à partir du 1 janvier 2026"),
        ("2025-12-01", "Le prix doit prendre effet pendant le marché"),
    ],
)
def test_an_overlapping_price_is_refused(
    client, login_as, make_contract, work_unit, db_session, valid_from, message
):
    admin = login_as(Role.ADMIN)
    contract = make_contract()
    pm = work_unit("PM")
    services.set_price(db_session, contract, pm, Decimal("10000"), D(2026, 1, 1), admin)
    db_session.commit()
    response = client.post(
        f"/catalogue/marches/{contract.id}/prix",
        data={"work_unit_type": pm.id, "price_ht": "11000", "valid_from": valid_from},
    )
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert "<title>Erreur : Fixer un prix unitaire" in page
    assert f'id="valid_from-error-1">{message}' in page
    assert len(events(db_session, "contract.price_set")) == 1


def test_a_price_before_a_closed_period_ends_is_refused(
    make_contract, work_unit, make_user, db_session
):
    admin = make_user(Role.ADMIN)
    contract = make_contract()
    pm = work_unit("PM")
    services.set_price(db_session, contract, pm, Decimal("100"), D(2026, 1, 1), admin)
    services.set_price(db_session, contract, pm, Decimal("110"), D(2027, 1, 1), admin)
    with pytest.raises(DomainError) as refusal:
        services.set_price(db_session, contract, pm, Decimal("105"), D(2026, 6, 1), admin)
    assert "du 1 janvier 2026 au 31 décembre 2026" in refusal.value.message
    assert refusal.value.field == "valid_from"


def test_prices_of_other_uo_and_contracts_do_not_interfere(
    make_contract, work_unit, make_user, db_session
):
    admin = make_user(Role.ADMIN)
    first, second = make_contract(), make_contract()
    services.set_price(db_session, first, work_unit("PM"), Decimal("100"), D(2026, 1, 1), admin)
    services.set_price(
        db_session, first, work_unit("BIZDEV-CS"), Decimal("90"), D(2026, 1, 1), admin
    )
    services.set_price(db_session, second, work_unit("PM"), Decimal("120"), D(2026, 1, 1), admin)
    assert all(price.valid_until is None for price in first.prices + second.prices)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"price_ht": ""}, "price_ht", "Saisissez le prix unitaire HT."),
        ({"price_ht": "12,345"}, "price_ht", "Deux décimales au plus"),
        ({"price_ht": "0"}, "price_ht", "Le prix doit être supérieur à zéro."),
        ({"valid_from": ""}, "valid_from", "Saisissez la date à partir de laquelle"),
        ({"work_unit_type": "0"}, "work_unit_type", "Choisissez un type d'UO."),
    ],
)
def test_invalid_price_is_refused_next_to_its_field(
    client, login_as, make_contract, work_unit, data, field, message
):
    login_as(Role.ADMIN)
    contract = make_contract()
    form = {"work_unit_type": work_unit("PM").id, "price_ht": "100", "valid_from": "2026-02-01"}
    response = client.post(f"/catalogue/marches/{contract.id}/prix", data={**form, **data})
    assert response.status_code == 422
    assert f'id="{field}-error-1">{message}' in html.unescape(response.text)


def test_contract_page_shows_current_prices_ht_and_ttc_and_their_history(
    client, login_as, make_contract, work_unit, db_session
):
    admin = login_as(Role.ADMIN)
    contract = make_contract(vat_rate=Decimal("0.20"), starts_on=D(2020, 1, 1))
    senior = work_unit("DEVOPS-SENIOR")
    services.set_price(db_session, contract, senior, Decimal("10.03"), D(2020, 1, 1), admin)
    services.set_price(db_session, contract, senior, Decimal("12500.50"), D(2026, 1, 1), admin)
    db_session.commit()
    page = html.unescape(client.get(f"/catalogue/marches/{contract.id}").text)
    grid = page[page.index("Prix unitaires en vigueur") : page.index("Historique des prix")]
    history = page[page.index("Historique des prix") :]
    # 12 500,50 × 1,20 = 15 000,60 ; 10,03 × 1,20 = 12,036 → 12,04 (half up)
    assert "12\u202f500,50\xa0€" in grid and "15\u202f000,60\xa0€" in grid
    assert "Aucun prix en vigueur" in grid  # the other UO types
    assert "10,03\xa0€" in history and "12,04\xa0€" in history
    assert "31 décembre 2025" in history
    assert "sans date de fin" in history


# UO types


def test_admin_adds_a_uo_type(client, login_as, db_session):
    admin = login_as(Role.ADMIN)
    response = client.post(
        "/catalogue/uo",
        data={"code": "data-senior", "label": "UO Data – Senior", "profile": "8 ans et plus"},
    )
    assert response.status_code == 303
    added = db_session.scalars(sa.select(WorkUnitType).filter_by(code="DATA-SENIOR")).one()
    assert added.is_active
    [event] = events(db_session, "work_unit_type.created")
    assert event.actor_id == admin.id
    assert "UO Data – Senior" in html.unescape(client.get("/catalogue/uo").text)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"code": "PM", "label": "Doublon"}, "code", "Un type d'UO porte déjà ce code."),
        ({"code": "DÉJÀ VU", "label": "X"}, "code", "Lettres majuscules sans accent"),
        ({"code": "NEUF", "label": ""}, "label", "Saisissez le libellé du type d'UO."),
    ],
)
def test_invalid_uo_type_is_refused_next_to_its_field(client, login_as, data, field, message):
    login_as(Role.ADMIN)
    response = client.post("/catalogue/uo", data=data)
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert "<title>Erreur : Types d'UO – Comité</title>" in page
    assert f'id="{field}-error-1">{message}' in page


def test_admin_renames_a_uo_type_but_not_its_code(client, login_as, work_unit, db_session):
    admin = login_as(Role.ADMIN)
    pm = work_unit("PM")
    response = client.post(
        f"/catalogue/uo/{pm.id}/modifier",
        data={"label": "UO Product Management – Confirmé", "profile": "> 3 ans", "code": "X"},
    )
    assert response.status_code == 303
    db_session.refresh(pm)
    assert (pm.code, pm.label) == ("PM", "UO Product Management – Confirmé")
    [event] = events(db_session, "work_unit_type.renamed")
    assert event.actor_id == admin.id
    assert event.details["changes"]["label"] == [
        "UO Product Management",
        "UO Product Management – Confirmé",
    ]


def test_a_deactivated_uo_type_gets_no_new_price_until_reactivated(
    client, login_as, work_unit, make_contract, db_session
):
    admin = login_as(Role.ADMIN)
    contract = make_contract()
    design = work_unit("DESIGN-JUNIOR")
    assert client.post(f"/catalogue/uo/{design.id}/desactiver").status_code == 303
    db_session.refresh(design)
    assert not design.is_active
    price_page = client.get(f"/catalogue/marches/{contract.id}/prix").text
    assert f'<option value="{design.id}"' not in price_page
    assert f'<option value="{work_unit("PM").id}"' in price_page
    response = client.post(
        f"/catalogue/marches/{contract.id}/prix",
        data={"work_unit_type": design.id, "price_ht": "100", "valid_from": "2026-02-01"},
    )
    assert response.status_code == 422
    assert "Désactivé" in client.get("/catalogue/uo").text
    assert client.post(f"/catalogue/uo/{design.id}/reactiver").status_code == 303
    db_session.refresh(design)
    assert design.is_active
    actions = [e.action for e in db_session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))]
    assert actions[-2:] == ["work_unit_type.deactivated", "work_unit_type.reactivated"]
    assert all(
        e.actor_id == admin.id
        for e in db_session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action.like("work_unit_type.%"))
        )
    )
