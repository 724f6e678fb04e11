"""The DSAF's files, re-opened with openpyxl: one order, the registers, their CSV twins."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
import sqlalchemy as sa

from comite.auth.roles import Role
from comite.committee.workflow import DecisionState, Outcome
from comite.core.audit import AuditEvent
from comite.exports import tasks
from comite.exports.models import ExportJob, ExportState
from comite.exports.services import purge_expired
from comite.orders.models import OrderState
from tests.exports.conftest import data_rows, open_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AWKWARD = (
    ("PM", "0.33", "12345.67"),
    ("DESIGN-CONFIRME", "1.5", "999.99"),
    ("DEVOPS-SENIOR", "2.25", "13500.01"),
)


def test_one_order_as_a_formatted_workbook_with_totals_to_the_cent(client, login_as, make_order):
    order = make_order(
        AWKWARD,
        beneficiary_administration="Ministère de la Culture",
        financial_centre="0361-CDBR-DGPAT",
        activity="036101010101",
    )
    login_as(Role.FINANCE)
    response = client.get(f"/commandes/{order.id}.xlsx")
    assert response.status_code == 200
    assert response.mimetype == XLSX
    assert f'filename="{order.number}.xlsx"' in response.headers["Content-Disposition"]
    sheet = open_workbook(response.data)[order.number]
    assert sheet["A1"].value == f"Projet de bon de commande {order.number}"
    assert sheet["A1"].font.b
    facts = {
        sheet.cell(row, column).value: sheet.cell(row, column + 1)
        for row in range(4, 12)
        for column in (1, 4)
    }
    assert facts["Administration bénéficiaire"].value == "Ministère de la Culture"
    assert facts["Centre financier"].value == "0361-CDBR-DGPAT"
    # An activity code keeps its leading zero: it is text, not a number.
    assert facts["Activité"].value == "036101010101" and facts["Activité"].data_type == "s"
    assert facts["Début d'exécution"].value == dt.datetime(2026, 11, 1)
    assert facts["Début d'exécution"].number_format == "dd/mm/yyyy"
    assert facts["Taux de TVA"].value == pytest.approx(0.2)
    assert facts["Taux de TVA"].number_format == "0.00%"

    header_row = next(r for r in range(1, 30) if sheet.cell(r, 1).value == "Code UO")
    assert [sheet.cell(header_row, c).value for c in range(1, 7)] == [
        "Code UO",
        "Unité d'œuvre",
        "Quantité (UO)",
        "Jours",
        "Prix unitaire HT",
        "Total HT",
    ]
    assert all(sheet.cell(header_row, c).font.b for c in range(1, 7))
    assert sheet.freeze_panes == f"A{header_row + 1}"
    assert sheet.auto_filter.ref == f"A{header_row}:F{header_row + 3}"
    lines = [[sheet.cell(header_row + i, c).value for c in range(1, 7)] for i in (1, 2, 3)]
    assert [line[0] for line in lines] == ["PM", "DESIGN-CONFIRME", "DEVOPS-SENIOR"]
    assert [Decimal(str(line[2])) for line in lines] == [
        Decimal("0.33"),
        Decimal("1.5"),
        Decimal("2.25"),
    ]
    assert [Decimal(str(line[3])) for line in lines] == [
        Decimal("6.6"),
        Decimal("30"),
        Decimal("45"),
    ]
    assert [Decimal(str(line[5])) for line in lines] == [
        Decimal("4074.07"),
        Decimal("1499.99"),
        Decimal("30375.02"),
    ]
    assert sheet.cell(header_row + 1, 6).number_format == '#,##0.00 "€"'
    totals = {
        sheet.cell(row, 5).value: sheet.cell(row, 6)
        for row in range(header_row + 4, header_row + 7)
    }
    assert Decimal(str(totals["Total HT"].value)) == Decimal("35949.08")
    assert Decimal(str(totals["TVA"].value)) == Decimal("7189.82")
    assert Decimal(str(totals["Total TTC"].value)) == Decimal("43138.90")
    assert totals["Total TTC"].data_type == "n"


def test_the_order_page_offers_the_workbook(client, login_as, make_order):
    order = make_order()
    login_as(Role.FINANCE)
    assert f"/commandes/{order.id}.xlsx" in client.get(f"/commandes/{order.id}").get_data(
        as_text=True
    )


def test_only_the_secretariat_and_the_dsaf_download(client, login_as, make_order):
    order = make_order()
    login_as(Role.MEMBER)
    assert client.get(f"/commandes/{order.id}.xlsx").status_code == 403
    assert client.get("/exports/decisions.xlsx").status_code == 403
    assert client.get("/exports").status_code == 403


def test_decisions_register_filtered_by_period_incubator_and_outcome(
    client, login_as, make_decision, make_startup, make_incubator
):
    north = make_incubator("Incubateur du Nord")
    kept = make_decision(
        startup=make_startup("Dossier Facile", incubator=north),
        budget=(("DEVOPS-SENIOR", "6"), ("PM", "2.5")),
        conditions="Mesurer l'impact",
        published_at=dt.datetime(2026, 10, 15, 22, 30, tzinfo=dt.UTC),  # 16 Oct in Paris
    )
    make_decision(startup=make_startup(incubator=north), outcome=Outcome.STOP)
    make_decision(published_at=dt.datetime(2026, 10, 15, 10, 0, tzinfo=dt.UTC))
    make_decision(
        startup=make_startup(incubator=north),
        published_at=dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC),
    )
    make_decision(startup=make_startup(incubator=north), state=DecisionState.DRAFT)
    login_as(Role.FINANCE)
    query = f"start=2026-10-16&end=2026-10-31&incubator={north.id}&outcome=continue"
    response = client.get(f"/exports/decisions.xlsx?{query}")
    assert response.status_code == 200
    workbook = open_workbook(response.data)
    sheet = workbook.active
    assert sheet.title == "Registre des décisions du comit"[:31]
    assert sheet["A1"].value == "Registre des décisions du comité d'investissement"
    assert sheet["A2"].value.startswith("Export du ")
    assert sheet["A3"].value == (
        "Filtres : Période : du 16/10/2026 au 31/10/2026 ; Incubateur : Incubateur du Nord ; "
        "Décision : Continuer"
    )
    assert sheet.freeze_panes == "A6"
    assert sheet["A5"].value == "N° de décision" and sheet["A5"].font.b
    assert sheet.auto_filter.ref == "A5:L6"
    assert sheet.column_dimensions["D"].width == 30
    [row] = data_rows(sheet)
    assert row[0] == kept.id
    assert row[1] == dt.datetime(2026, 10, 16, 0, 30)  # Paris wall-clock time (CEST)
    assert row[3:8] == (
        "Dossier Facile",
        "Incubateur du Nord",
        "Ministère de l'Exemple",
        "Continuer",
        "Construction",
    )
    assert row[8] == dt.datetime(2027, 4, 15)
    assert Decimal(str(row[9])) == Decimal("8.5")
    assert row[10:] == ("Publiée", "Mesurer l'impact")
    assert sheet.cell(6, 10).number_format == "#,##0.00"
    assert sheet.cell(6, 2).number_format == "dd/mm/yyyy hh:mm"


def test_orders_register_filtered_by_status_and_holder_with_totals(client, login_as, make_order):
    engaged = make_order(
        AWKWARD,
        state=OrderState.COMMITTED,
        holder="Octo Technology",
        legal_commitment="1300012345",
        committed_at=dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC),
    )
    make_order(state=OrderState.DRAFT, holder="Octo Technology")
    make_order(state=OrderState.COMMITTED, holder="Autre titulaire")
    login_as(Role.FINANCE)
    response = client.get("/exports/commandes.xlsx?state=committed&holder=Octo+Technology")
    sheet = open_workbook(response.data).active
    assert sheet["A3"].value == "Filtres : Statut : Engagé ; Titulaire : Octo Technology"
    [row] = data_rows(sheet)
    headers = [cell.value for cell in sheet[5]]
    values = dict(zip(headers, row, strict=True))
    assert values["Numéro"] == engaged.number
    assert values["Statut"] == "Engagé"
    assert Decimal(str(values["UO commandées"])) == Decimal("4.08")
    assert Decimal(str(values["Jours"])) == Decimal("81.6")
    assert Decimal(str(values["Total HT"])) == Decimal("35949.08")
    assert Decimal(str(values["TVA"])) == Decimal("7189.82")
    assert Decimal(str(values["Total TTC"])) == Decimal("43138.90")
    assert values["EJ Chorus"] == "1300012345"
    assert values["Engagé le"] == dt.datetime(2026, 11, 20, 10, 0)


def test_budget_register_per_startup(client, login_as, make_decision, make_order):
    decision = make_decision(budget=(("DEVOPS-SENIOR", "6"), ("PM", "2.5")))
    make_order((("DEVOPS-SENIOR", "4", "13500.00"),), decision=decision)
    login_as(Role.FINANCE)
    sheet = open_workbook(client.get("/exports/budget.xlsx").data).active
    rows = {row[1]: row for row in data_rows(sheet)}
    devops = rows["DEVOPS-SENIOR"]
    assert devops[0] == decision.startup.name
    assert [Decimal(str(value)) for value in devops[3:9]] == [
        Decimal("6"),
        Decimal("4"),
        Decimal("2"),
        Decimal("80"),
        Decimal("0"),
        Decimal("80"),
    ]
    assert Decimal(str(rows["PM"][5])) == Decimal("2.5")


def test_registers_as_french_csv(client, login_as, make_order):
    make_order(AWKWARD, state=OrderState.SENT)
    login_as(Role.FINANCE)
    response = client.get("/exports/commandes.csv")
    assert response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    header, row = rows
    values = dict(zip(header, row, strict=True))
    assert values["Total HT"] == "35949,08"
    assert values["Total TTC"] == "43138,90"
    assert values["Début d'exécution"] == "01/11/2026"
    assert values["Statut"] == "Transmis à la DSAF"


FORMULAS = [
    "=1+1",
    '=HYPERLINK("http://exemple.invalid","clic")',
    "+33 1 23 45 67 89",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1",
    "\r=1",
    "=cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("text", FORMULAS)
def test_typed_text_never_becomes_a_formula(client, login_as, make_decision, make_startup, text):
    make_decision(startup=make_startup(name=f"Startup {text}"), conditions=text)
    login_as(Role.FINANCE)
    sheet = open_workbook(client.get("/exports/decisions.xlsx").data).active
    conditions = sheet.cell(6, 12)
    assert conditions.data_type == "s"
    assert conditions.value == text.replace("\r", "\n")
    assert sheet.cell(6, 4).data_type == "s"
    [_, row] = list(
        csv.reader(
            io.StringIO(client.get("/exports/decisions.csv").data.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert row[11] == "'" + text


def test_the_page_counts_rows_before_download_and_htmx_updates_it(client, login_as, make_decision):
    for _ in range(3):
        make_decision()
    make_decision(outcome=Outcome.STOP)
    login_as(Role.FINANCE)
    page = client.get("/exports/decisions").get_data(as_text=True)
    assert "Le fichier contiendra 4 lignes." in page
    assert 'hx-get="/exports/decisions"' in page
    fragment = client.get(
        "/exports/decisions?outcome=stop", headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="synthese"')
    assert "Le fichier contiendra 1 ligne." in fragment
    assert "/exports/decisions.xlsx?outcome=stop" in fragment


def test_bad_filters_are_explained_in_french(client, login_as):
    login_as(Role.FINANCE)
    response = client.get("/exports/decisions?start=2026-10-31&end=2026-10-01")
    assert response.status_code == 422
    assert "La date de fin doit suivre la date de début." in response.get_data(as_text=True)
    wrong = client.get("/exports/commandes?start=31/02/2026&state=inconnu")
    assert wrong.status_code == 422
    assert client.get("/exports/decisions.xlsx?end=n'importe").status_code == 303
    assert client.get("/exports/inconnu").status_code == 404
    assert client.get("/exports/decisions.pdf").status_code == 404


def test_a_large_export_is_built_in_the_background(
    app, client, login_as, make_decision, db_session, monkeypatch
):
    monkeypatch.setitem(app.config, "EXPORT_BACKGROUND_ROWS", 2)
    for _ in range(3):
        make_decision(conditions="=1+1")
    finance = login_as(Role.FINANCE)
    page = client.get("/exports/decisions").get_data(as_text=True)
    assert "Préparer le fichier Excel (.xlsx)" in page
    # A direct link never holds a web worker for a large file.
    refused = client.get("/exports/decisions.xlsx")
    assert refused.status_code == 303
    response = client.post(
        "/exports/decisions/preparation?outcome=continue", data={"format": "xlsx"}
    )
    assert response.status_code == 303
    job = db_session.scalars(sa.select(ExportJob)).one()
    assert (job.state, job.total_rows, job.filters["outcome"]) == (
        ExportState.PENDING,
        3,
        "continue",
    )
    assert (
        db_session.scalars(
            sa.select(AuditEvent.action).where(AuditEvent.actor_id == finance.id)
        ).all()[-1]
        == "export.requested"
    )
    waiting = client.get(response.location).get_data(as_text=True)
    assert "<progress" in waiting and 'http-equiv="refresh"' in waiting
    assert 'hx-trigger="every 2s"' in waiting

    tasks.run_export(job.id)

    db_session.expire_all()
    ready = client.get(response.location).get_data(as_text=True)
    assert "Le fichier est prêt" in ready and 'http-equiv="refresh"' not in ready
    download = client.get(f"{response.location}/fichier")
    assert download.status_code == 200
    sheet = open_workbook(download.data).active
    assert len(data_rows(sheet)) == 3 and sheet.cell(6, 12).data_type == "s"

    client.post("/deconnexion")
    login_as(Role.FINANCE)
    assert client.get(f"{response.location}/fichier").status_code == 404

    assert purge_expired(db_session, job.expires_at + dt.timedelta(seconds=1)) == 1
    client.post("/deconnexion")
    login_as(user=finance)
    assert client.get(f"{response.location}/fichier").status_code == 410
    assert "Fichier expiré" in client.get(response.location).get_data(as_text=True)


def test_a_failed_background_export_says_so(app, client, login_as, db_session, monkeypatch):
    finance = login_as(Role.FINANCE)
    job = ExportJob(
        register="commandes", file_format="xlsx", filters={"state": "nope"}, created_by=finance
    )
    db_session.add(job)
    db_session.commit()
    tasks.run_export(job.id)
    db_session.expire_all()
    assert db_session.get(ExportJob, job.id).state is ExportState.FAILED
    page = client.get(f"/exports/taches/{job.id}").get_data(as_text=True)
    assert "L'export a échoué" in page


def test_the_orders_preview_links_each_order(client, login_as, make_order):
    order = make_order()
    login_as(Role.FINANCE)
    page = client.get("/exports/commandes").get_data(as_text=True)
    assert f'href="/commandes/numero/{order.number}"' in page
    assert client.get(f"/commandes/numero/{order.number}").location == f"/commandes/{order.id}"
    assert client.get("/commandes/numero/BC-1999-0001").status_code == 404


def test_going_back_to_the_register_keeps_the_filters_as_typed(client, login_as, app, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_BACKGROUND_ROWS", -1)
    login_as(Role.FINANCE)
    response = client.get("/exports/decisions.xlsx?outcome=stop&_external=1&_anchor=x")
    assert response.status_code == 303
    assert response.location == "/exports/decisions?outcome=stop&_external=1&_anchor=x"
