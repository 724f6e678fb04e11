"""Demo data: two incubators, startups in every phase, one demo user (or more) per role."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from comite.auth.models import User, UserRole
from comite.auth.roles import Role
from comite.auth.services import DEMO_EMAIL_DOMAIN
from comite.committee import services as committee_services
from comite.committee.models import Meeting
from comite.committee.workflow import Choice
from comite.dossiers import services as dossier_services
from comite.dossiers.content import BudgetLine, Indicator, ProductSheetContent
from comite.dossiers.workflow import DossierKind
from comite.orders import services as order_services
from comite.orders.models import FrameworkContract, PurchaseOrder, WorkUnitType
from comite.startups.models import Incubator, Membership, PhaseChange, Startup
from comite.startups.workflow import MemberRole, Phase, StartupStatus

INCUBATORS = [
    ("incubateur-interministeriel", "Incubateur interministériel"),
    ("fabrique-solidarites", "Fabrique numérique des solidarités"),
]

# email local part, given name, usual name, roles in Comité
USERS = [
    ("claire.dubois", "Claire", "Dubois", [Role.ADMIN]),
    ("marc.lefevre", "Marc", "Lefèvre", [Role.MEMBER]),
    ("sophie.martin", "Sophie", "Martin", [Role.MEMBER]),
    ("karim.benali", "Karim", "Benali", [Role.MEMBER]),
    ("julie.moreau", "Julie", "Moreau", [Role.INTRAPRENEUR]),
    ("hugo.laurent", "Hugo", "Laurent", [Role.INTRAPRENEUR]),
    ("elise.roux", "Élise", "Roux", [Role.INTRAPRENEUR]),
    ("thomas.bernard", "Thomas", "Bernard", [Role.SPONSOR]),
    ("nadia.petit", "Nadia", "Petit", [Role.FINANCE]),
]


@dataclass(frozen=True)
class DemoStartup:
    slug: str
    name: str
    pitch: str
    administration: str
    incubator: str
    # (phase, date it started), oldest first; the last one is the current phase
    timeline: tuple[tuple[Phase, dt.date], ...]
    status: StartupStatus = StartupStatus.ACTIVE


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


INV, CONS = Phase.INVESTIGATION, Phase.CONSTRUCTION
ACC, CSL = Phase.ACCELERATION, Phase.CONSOLIDATION

STARTUPS = [
    DemoStartup(
        "dossier-etudiant",
        "Dossier Étudiant Simplifié",
        "Aider les étudiants à constituer un dossier de logement complet du premier coup.",
        "Ministère de l'Enseignement supérieur et de la Recherche",
        "incubateur-interministeriel",
        ((INV, _d("2026-10-05")),),
    ),
    DemoStartup(
        "aides-velo",
        "Aides Vélo",
        "Permettre à chacun de connaître en deux minutes les aides à l'achat d'un vélo.",
        "Ministère de la Transition écologique",
        "incubateur-interministeriel",
        ((INV, _d("2026-09-14")),),
    ),
    DemoStartup(
        "carte-grise-en-ligne",
        "Carte Grise en Ligne",
        "Réduire les démarches papier des changements de titulaire d'un véhicule.",
        "Ministère de l'Intérieur",
        "incubateur-interministeriel",
        ((INV, _d("2025-11-03")), (CONS, _d("2026-01-12"))),
    ),
    DemoStartup(
        "signal-logement",
        "Signal Logement",
        "Permettre aux locataires de signaler un logement indigne et d'en suivre le traitement.",
        "Ministère du Logement",
        "fabrique-solidarites",
        ((INV, _d("2025-09-01")), (CONS, _d("2025-11-17"))),
    ),
    DemoStartup(
        "emploi-inclusif",
        "Emploi Inclusif",
        "Rapprocher les structures d'insertion et les employeurs qui recrutent.",
        "Ministère du Travail",
        "fabrique-solidarites",
        ((INV, _d("2024-03-04")), (CONS, _d("2024-05-13")), (ACC, _d("2025-06-02"))),
    ),
    DemoStartup(
        "cantine-locale",
        "Cantine Locale",
        "Aider les gestionnaires de restauration collective à servir des produits durables.",
        "Ministère de l'Agriculture et de la Souveraineté alimentaire",
        "incubateur-interministeriel",
        ((INV, _d("2024-01-08")), (CONS, _d("2024-03-18")), (ACC, _d("2025-04-07"))),
    ),
    DemoStartup(
        "declaration-chantier",
        "Déclaration Chantier",
        "Simplifier la déclaration préalable de travaux pour les particuliers.",
        "Ministère de la Transition écologique",
        "incubateur-interministeriel",
        (
            (INV, _d("2022-09-05")),
            (CONS, _d("2022-11-14")),
            (ACC, _d("2023-11-06")),
            (CSL, _d("2025-01-13")),
        ),
    ),
    DemoStartup(
        "permis-rapide",
        "Permis Rapide",
        "Raccourcir l'attente d'une place à l'examen du permis de conduire.",
        "Ministère de l'Intérieur",
        "fabrique-solidarites",
        (
            (INV, _d("2022-04-04")),
            (CONS, _d("2022-06-13")),
            (ACC, _d("2023-07-03")),
            (CSL, _d("2024-09-02")),
        ),
    ),
    DemoStartup(
        "suivi-justice",
        "Suivi Justice",
        "Aider les conseillers de probation à suivre les personnes placées sous main de justice.",
        "Ministère de la Justice",
        "fabrique-solidarites",
        (
            (INV, _d("2020-02-03")),
            (CONS, _d("2020-04-13")),
            (ACC, _d("2021-05-03")),
            (CSL, _d("2022-06-07")),
            (Phase.TRANSFERRED, _d("2023-09-01")),
        ),
        StartupStatus.TRANSFERRED,
    ),
    DemoStartup(
        "annuaire-collectivites",
        "Annuaire des Collectivités",
        "Tenir à jour les coordonnées des services des collectivités territoriales.",
        "Ministère de l'Aménagement du territoire",
        "incubateur-interministeriel",
        (
            (INV, _d("2019-10-07")),
            (CONS, _d("2019-12-16")),
            (ACC, _d("2021-01-11")),
            (Phase.OPERATED, _d("2022-03-01")),
        ),
    ),
    DemoStartup(
        "registre-ruchers",
        "Registre des Ruchers",
        "Faciliter la déclaration annuelle des ruchers par les apiculteurs.",
        "Ministère de l'Agriculture et de la Souveraineté alimentaire",
        "fabrique-solidarites",
        ((INV, _d("2025-02-03")), (Phase.STOPPED_AFTER_INVESTIGATION, _d("2025-04-14"))),
        StartupStatus.STOPPED,
    ),
    DemoStartup(
        "archives-ouvertes",
        "Archives Ouvertes",
        "Rendre consultables en ligne les délibérations des petites communes.",
        "Ministère de la Culture",
        "incubateur-interministeriel",
        ((INV, _d("2023-03-06")), (CONS, _d("2023-05-15")), (Phase.STOPPED, _d("2024-01-15"))),
        StartupStatus.STOPPED,
    ),
]

# (user local part, startup slug, role in the startup)
MEMBERSHIPS = [
    ("julie.moreau", "carte-grise-en-ligne", MemberRole.INTRAPRENEUR),
    ("julie.moreau", "cantine-locale", MemberRole.INTRAPRENEUR),
    ("hugo.laurent", "carte-grise-en-ligne", MemberRole.TEAM),
    ("hugo.laurent", "signal-logement", MemberRole.INTRAPRENEUR),
    ("elise.roux", "carte-grise-en-ligne", MemberRole.COACH),
    ("elise.roux", "emploi-inclusif", MemberRole.COACH),
    ("thomas.bernard", "carte-grise-en-ligne", MemberRole.SPONSOR),
    ("thomas.bernard", "permis-rapide", MemberRole.SPONSOR),
]


def demo_email(local_part: str) -> str:
    return f"{local_part}@{DEMO_EMAIL_DOMAIN}"


def _get_or_create(session: Session, model: type, lookup: dict, **values):
    instance = session.scalar(sa.select(model).filter_by(**lookup))
    if instance is None:
        instance = model(**lookup, **values)
        session.add(instance)
        session.flush()
    return instance


def seed_demo(session: Session) -> dict[str, int]:
    """Load the demo data; running it again adds nothing and changes nothing."""
    before = {model.__name__: _count(session, model) for model in (Incubator, Startup, User)}

    incubators = {
        slug: _get_or_create(session, Incubator, {"slug": slug}, name=name)
        for slug, name in INCUBATORS
    }
    users = {}
    for local_part, given_name, usual_name, roles in USERS:
        user = _get_or_create(
            session,
            User,
            {"email": demo_email(local_part)},
            given_name=given_name,
            usual_name=usual_name,
        )
        for role in roles:
            if role not in user.roles:
                user.role_grants.append(UserRole(role=role))
        users[local_part] = user

    startups = {}
    for demo in STARTUPS:
        startup = session.scalar(sa.select(Startup).filter_by(slug=demo.slug))
        if startup is None:
            phase, started_on = demo.timeline[-1]
            startup = Startup(
                slug=demo.slug,
                name=demo.name,
                pitch=demo.pitch,
                sponsoring_administration=demo.administration,
                incubator=incubators[demo.incubator],
                phase=phase,
                phase_started_on=started_on,
                status=demo.status,
                phase_history=[PhaseChange(phase=p, started_on=d) for p, d in demo.timeline],
            )
            session.add(startup)
        startups[demo.slug] = startup
    session.flush()

    for local_part, slug, role in MEMBERSHIPS:
        _get_or_create(
            session,
            Membership,
            {"user_id": users[local_part].id, "startup_id": startups[slug].id, "role": role},
        )
    session.flush()
    if session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == 0:
        _seed_committee(session, users, startups)
    if _count(session, FrameworkContract) == 0:
        _seed_contract(session, users["claire.dubois"])
    if _count(session, PurchaseOrder) == 0:
        _seed_decided_dossier(session, users, startups)
    return {
        name: _count(session, model) - before[name]
        for name, model in (("Incubator", Incubator), ("Startup", Startup), ("User", User))
    }


def _count(session: Session, model: type) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


DEMO_SHEET = ProductSheetContent(
    problem=(
        "Changer le titulaire d'un véhicule demande encore des pièces papier et, souvent, "
        "un déplacement.\nUn tiers des dossiers arrivent incomplets."
    ),
    users="Particuliers qui vendent ou achètent un véhicule d'occasion ; agents des préfectures.",
    solution="Une démarche en ligne de bout en bout, avec vérification immédiate des pièces.",
    success_conditions="L'accès aux données du système d'immatriculation ; un référent métier.",
    indicators=[
        Indicator("Dossiers déposés en ligne", "%", "5", "60", "Statistiques de la démarche"),
        Indicator("Dossiers complets au premier envoi", "%", "66", "90", "Tableau de bord"),
        Indicator("Délai de traitement", "jours", "21", "7", "Tableau de bord des agents"),
    ],
    organisation="Une intrapreneure à temps plein, quatre personnes du marché, un coach.",
    actors="Ministère de l'Intérieur, ANTS, deux préfectures pilotes.",
    skills="Développement, design, déploiement, produit.",
    requested_phase=Phase.ACCELERATION.value,
    budget_lines=[
        BudgetLine("DEVOPS-SENIOR", Decimal("12"), dt.date(2027, 1, 1), dt.date(2027, 6, 30)),
        BudgetLine("DESIGN-CONFIRME", Decimal("6"), dt.date(2027, 1, 1), dt.date(2027, 6, 30)),
        BudgetLine("PM", Decimal("6"), dt.date(2027, 1, 1), dt.date(2027, 6, 30)),
    ],
)


def _seed_committee(session: Session, users: dict, startups: dict) -> None:
    """A submitted fiche on the published agenda of an upcoming séance."""
    julie, claire = users["julie.moreau"], users["claire.dubois"]
    dossier = dossier_services.create_dossier(
        session, startups["carte-grise-en-ligne"], DossierKind.PRODUCT_SHEET, julie
    )
    version = dossier.latest
    dossier_services.save_draft(session, version, DEMO_SHEET, version.revision, julie)
    dossier_services.submit(session, version, julie)
    meeting = committee_services.create_meeting(
        session,
        committee_services.MeetingDetails(
            title="Comité d'investissement de décembre",
            starts_at=dt.datetime(2026, 12, 10, 13, 0, tzinfo=dt.UTC),
            place="DINUM, 20 avenue de Ségur, Paris – salle 4.12",
            video_link="https://webinaire.numerique.gouv.fr/",
        ),
        claire,
    )
    members = [users["marc.lefevre"], users["sophie.martin"], users["karim.benali"]]
    committee_services.convene(session, meeting, members, members[0], claire)
    committee_services.add_to_agenda(session, meeting, version, claire)
    committee_services.advance_meeting(session, meeting, "publish_agenda", claire)


# Real unit prices are not public (each holder's bordereau de prix): these are made up.
DEMO_PRICES_HT = {
    "DEVOPS-JUNIOR": Decimal("9000.00"),
    "DEVOPS-CONFIRME": Decimal("11500.00"),
    "DEVOPS-SENIOR": Decimal("13500.00"),
    "DESIGN-JUNIOR": Decimal("8500.00"),
    "DESIGN-CONFIRME": Decimal("11000.00"),
    "BIZDEV-CS": Decimal("9500.00"),
    "PM-JUNIOR": Decimal("9000.00"),
    "PM": Decimal("12000.00"),
    "REVERSIBILITE": Decimal("12500.00"),
}


def _seed_contract(session: Session, admin: User) -> None:
    """One example framework contract with an example price for each UO type."""
    contract = order_services.create_contract(
        session,
        order_services.ContractDetails(
            reference="AC-EXEMPLE-2026",
            title="Accord-cadre de réalisation de services numériques – exemple "
            "(prix fictifs, donnés à titre d'exemple)",
            holder_name="Titulaire exemple",
            holder_siret="12345678900015",
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2029, 12, 31),
            vat_rate=Decimal("0.20"),
        ),
        admin,
    )
    types = session.scalars(sa.select(WorkUnitType).where(WorkUnitType.is_active))
    for work_unit_type in types:
        if work_unit_type.code in DEMO_PRICES_HT:
            order_services.set_price(
                session,
                contract,
                work_unit_type,
                DEMO_PRICES_HT[work_unit_type.code],
                contract.starts_on,
                admin,
            )


def _seed_decided_dossier(session: Session, users: dict, startups: dict) -> None:
    """A séance of October, its decision with a budget, and the purchase order it gave, sent
    to the DSAF and waiting for its legal commitment (EJ)."""
    hugo, claire = users["hugo.laurent"], users["claire.dubois"]
    members = [users["marc.lefevre"], users["sophie.martin"], users["karim.benali"]]
    dossier = dossier_services.create_dossier(
        session, startups["signal-logement"], DossierKind.PRODUCT_SHEET, hugo
    )
    version = dossier.latest
    sheet = dataclasses.replace(
        DEMO_SHEET,
        budget_lines=[
            BudgetLine("DEVOPS-SENIOR", Decimal("6"), dt.date(2026, 11, 1), dt.date(2027, 4, 30)),
            BudgetLine("PM", Decimal("2.5"), dt.date(2026, 11, 1), dt.date(2027, 4, 30)),
        ],
    )
    dossier_services.save_draft(session, version, sheet, version.revision, hugo)
    dossier_services.submit(session, version, hugo)
    meeting = committee_services.create_meeting(
        session,
        committee_services.MeetingDetails(
            title="Comité d'investissement d'octobre",
            starts_at=dt.datetime(2026, 10, 14, 12, 0, tzinfo=dt.UTC),
            place="DINUM, 20 avenue de Ségur, Paris – salle 4.12",
            video_link="",
        ),
        claire,
    )
    committee_services.convene(session, meeting, members, members[0], claire)
    item = committee_services.add_to_agenda(session, meeting, version, claire)
    for verb in ("publish_agenda", "start"):
        committee_services.advance_meeting(session, meeting, verb, claire)
    committee_services.open_item(session, item, claire)
    for member in members:
        committee_services.cast_vote(session, item, member, member, Choice.CONTINUE)
    decided_on = dt.date(2026, 10, 14)
    decision = committee_services.close_item(session, item, claire, decided_on)
    committee_services.publish_decision(session, decision, claire, decided_on)
    committee_services.advance_meeting(session, meeting, "close", claire)
    for order in order_services.generate_orders(session, decision, claire, decided_on):
        order_services.update_order(
            session,
            order,
            claire,
            {
                "beneficiary_administration": order.beneficiary_administration,
                "beneficiary_service": "Direction de l'habitat, de l'urbanisme et des paysages",
                "financial_centre": "0135-CDBR-DHUP",
                "functional_domain": "0135-01",
                "activity": "013501010101",
            },
        )
        order_services.send_order(session, order, claire)
