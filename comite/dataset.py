"""A realistic dataset for trying Comité at scale: ten years of a comité d'investissement,
from December 2016 to November 2026, deterministic for a given seed.

At scale 1: 15 incubators, 300 startups, 400 people, 240 closed séances of about 25 items
each, a published decision per item with about ten votes, one framework contract and about
3,000 purchase orders. The scale multiplies every count but the ten years.

Rows are written without the ORM (COPY on PostgreSQL, executemany on SQLite) with ids chosen
here, so that children name their parents without a round trip. The services are bypassed:
this module keeps their invariants itself, and builds what they would have stored (dossier
contents through comite.dossiers.content, decision records as close_item freezes them, vote
results through comite.committee.rules.tally)."""

from __future__ import annotations

import bisect
import datetime as dt
import json
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from psycopg import sql
from sqlalchemy.orm import Session

import comite.models  # noqa: F401 (every table in the metadata, for the insertion order)
from comite.auth.roles import Role
from comite.auth.services import DEMO_EMAIL_DOMAIN
from comite.committee.rules import VotingRule, tally
from comite.committee.workflow import Choice, Outcome, TieBreak
from comite.core import audit
from comite.core.errors import DomainError
from comite.core.models import Base
from comite.core.slugs import slugify
from comite.demo import DEMO_PRICES_HT
from comite.dossiers.content import (
    BudgetLine,
    ImpactReviewContent,
    Indicator,
    IndicatorReport,
    ProductSheetContent,
    Risk,
)
from comite.dossiers.workflow import DossierKind, VersionState
from comite.orders import rules as order_rules
from comite.startups.workflow import MemberRole, Phase, StartupStatus

WINDOW_START = dt.date(2016, 12, 1)
WINDOW_END = dt.date(2026, 11, 30)
# The dataset's present: nothing it holds happens later (an order sent on 28 November is not
# engaged yet).
DATASET_NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
PARIS = ZoneInfo("Europe/Paris")
SIX_MONTHS = relativedelta(months=6)
QUORUM = Decimal("0.50")
VAT_RATE = Decimal("0.2000")
TIE_BREAK = TieBreak.PRESIDENT


class DatasetRefused(DomainError):
    """The dataset is only generated into a database that holds no startup."""


@dataclass(frozen=True)
class Sizes:
    """How many of each thing a scale gives; at least one of everything."""

    incubators: int
    startups: int
    meetings: int
    admins: int
    members: int
    finance: int
    sponsors: int
    teams: int
    convened: int

    @classmethod
    def for_scale(cls, scale: float) -> Sizes:
        def count(base: int, minimum: int = 1) -> int:
            return max(minimum, round(base * scale))

        admins, members, finance, sponsors = count(3), count(40, 5), count(4), count(45)
        teams = max(3, count(400) - admins - members - finance - sponsors)
        return cls(
            incubators=count(15),
            startups=count(300),
            meetings=count(240),
            admins=admins,
            members=members,
            finance=finance,
            sponsors=sponsors,
            teams=teams,
            convened=min(10, members),
        )


# -- words ---------------------------------------------------------------------------------

# name, e-mail domain, budget programme, service that signs the orders
ADMINISTRATIONS = [
    ("Ministère de la Transition écologique", "developpement-durable.gouv.fr", "0217", "DGALN"),
    ("Ministère du Travail", "travail.gouv.fr", "0155", "DGEFP"),
    ("Ministère de l'Intérieur", "interieur.gouv.fr", "0216", "DNUM"),
    ("Ministère de la Justice", "justice.gouv.fr", "0310", "SNUM"),
    ("Ministère des Solidarités", "social.gouv.fr", "0124", "DGCS"),
    ("Ministère de la Santé", "sante.gouv.fr", "0204", "DGS"),
    ("Ministère de l'Éducation nationale", "education.gouv.fr", "0214", "DNE"),
    (
        "Ministère de l'Enseignement supérieur et de la Recherche",
        "enseignementsup.gouv.fr",
        "0150",
        "DGESIP",
    ),
    ("Ministère de la Culture", "culture.gouv.fr", "0224", "SG"),
    (
        "Ministère de l'Agriculture et de la Souveraineté alimentaire",
        "agriculture.gouv.fr",
        "0215",
        "SNUM",
    ),
    ("Ministère de l'Économie et des Finances", "finances.gouv.fr", "0218", "DGE"),
    ("Ministère des Armées", "intradef.gouv.fr", "0212", "DGNUM"),
    ("Ministère du Logement", "logement.gouv.fr", "0135", "DHUP"),
    ("Ministère des Sports", "sports.gouv.fr", "0219", "DS"),
    ("Ministère de l'Aménagement du territoire", "territoires.gouv.fr", "0112", "ANCT"),
    ("Services du Premier ministre", "pm.gouv.fr", "0129", "DINUM"),
]
TE, TRAVAIL, INT, JUS, SOL, SAN, EDU, ESR, CUL, AGRI, ECO, ARM, LOG, SPO, TER, PM = range(16)

# word of the name, what the service is about, for whom, administration
TOPICS = [
    ("Vélo", "l'achat d'un vélo", "les cyclistes", TE),
    ("Logement", "un logement indigne", "les locataires", LOG),
    ("Emploi", "une offre d'emploi de proximité", "les demandeurs d'emploi", TRAVAIL),
    ("Santé", "un parcours de soins", "les patients", SAN),
    ("Cantine", "la restauration collective durable", "les gestionnaires de cantine", AGRI),
    ("Chantier", "une déclaration préalable de travaux", "les particuliers", TE),
    ("Permis", "l'examen du permis de conduire", "les candidats au permis", INT),
    ("Justice", "une mesure de probation", "les conseillers de probation", JUS),
    ("Retraite", "un départ à la retraite", "les futurs retraités", SOL),
    ("Handicap", "une demande de compensation du handicap", "les personnes handicapées", SOL),
    ("Entreprise", "la création d'une entreprise", "les créateurs d'entreprise", ECO),
    ("École", "l'inscription scolaire", "les familles", EDU),
    ("Mobilité", "les trajets domicile-travail", "les salariés", TE),
    ("Énergie", "la rénovation énergétique d'un logement", "les propriétaires", LOG),
    ("Eau", "la qualité de l'eau du robinet", "les élus locaux", TE),
    ("Forêt", "la gestion d'une forêt privée", "les propriétaires forestiers", AGRI),
    ("Culture", "l'accès aux pratiques culturelles", "les jeunes de 15 à 18 ans", CUL),
    ("Sport", "l'inscription dans un club sportif", "les familles modestes", SPO),
    ("Apprentissage", "un contrat d'apprentissage", "les apprentis", TRAVAIL),
    ("Stage", "la recherche d'un stage de troisième", "les collégiens", EDU),
    ("Formation", "une formation qualifiante", "les salariés en reconversion", TRAVAIL),
    ("Aidants", "l'accompagnement d'un proche dépendant", "les aidants", SOL),
    ("Déchets", "le tri des déchets", "les collectivités", TE),
    ("Climat", "l'adaptation au changement climatique", "les collectivités", TE),
    ("Installation", "une installation en agriculture", "les jeunes agriculteurs", AGRI),
    ("Pêche", "la déclaration des captures", "les pêcheurs professionnels", AGRI),
    ("Patrimoine", "la restauration d'un monument protégé", "les propriétaires", CUL),
    ("Associations", "la vie d'une association", "les bénévoles", TER),
    ("Transport", "le transport scolaire", "les familles rurales", TER),
    ("Copropriété", "la gestion d'une copropriété", "les syndics bénévoles", LOG),
    ("Crèche", "la recherche d'une place en crèche", "les jeunes parents", SOL),
    ("Jeunesse", "l'engagement de service civique", "les jeunes", EDU),
    ("Commerce", "l'ouverture d'un commerce", "les commerçants", ECO),
    ("Export", "les premières ventes à l'export", "les PME", ECO),
    ("Douane", "le dédouanement d'une marchandise", "les transporteurs", ECO),
    ("Impôts", "une réclamation fiscale", "les contribuables", ECO),
    ("Famille", "le versement d'une pension alimentaire", "les parents séparés", SOL),
    ("Tourisme", "l'accueil des visiteurs", "les offices de tourisme", ECO),
    ("Ruralité", "l'accès aux services publics en zone rurale", "les habitants", TER),
    ("Prévention", "la prévention des risques professionnels", "les employeurs", TRAVAIL),
    ("Vaccination", "la prise d'un rendez-vous de vaccination", "les patients", SAN),
    ("Nutrition", "une alimentation équilibrée", "les élèves", SAN),
    ("Inclusion", "l'insertion professionnelle", "les structures d'insertion", TRAVAIL),
    ("Bénévolat", "une mission de bénévolat", "les associations", TER),
    ("Covoiturage", "le covoiturage du quotidien", "les salariés", TE),
    ("Subventions", "une demande de subvention", "les associations", TER),
    ("Marchés", "la réponse à un marché public", "les PME", ECO),
    ("Archives", "la consultation des archives", "les chercheurs", CUL),
    ("Élections", "l'inscription sur les listes électorales", "les électeurs", INT),
    ("Droits", "l'accès aux droits sociaux", "les allocataires", SOL),
    ("Médecin", "la recherche d'un médecin traitant", "les patients", SAN),
    ("Plainte", "un dépôt de plainte", "les victimes", INT),
    ("Inondation", "la prévention des inondations", "les communes", TE),
    ("Biodiversité", "un inventaire de la biodiversité", "les naturalistes", TE),
    ("Réserve", "l'engagement dans la réserve opérationnelle", "les réservistes", ARM),
    ("Étudiant", "un dossier de logement étudiant", "les étudiants", ESR),
    ("Bourse", "une demande de bourse", "les étudiants", ESR),
    ("Recherche", "le financement d'un projet de recherche", "les laboratoires", ESR),
    ("Numérique", "l'accompagnement au numérique", "les conseillers numériques", PM),
    ("Démarches", "la dématérialisation d'une démarche", "les agents publics", PM),
]

# first word of the name, and the pitch it gives ({object}, {audience})
PREFIXES = [
    ("Aides", "Aider {audience} à trouver en deux minutes les aides pour {object}."),
    ("Signal", "Permettre de signaler {object} et d'en suivre le traitement, pour {audience}."),
    ("Dossier", "Constituer un dossier complet du premier coup pour {object}, pour {audience}."),
    ("Suivi", "Suivre pas à pas {object}, pour {audience} comme pour les agents."),
    ("Annuaire", "Trouver le bon interlocuteur pour {object}, pour {audience}."),
    ("Registre", "Tenir à jour un registre fiable sur {object}, partagé avec {audience}."),
    ("Simulateur", "Aider {audience} à estimer leurs droits avant {object}."),
    ("Guichet", "Un guichet unique en ligne pour {object}, pensé avec {audience}."),
    ("Alerte", "Prévenir {audience} au bon moment sur {object}."),
    ("Pass", "Un accès simplifié à {object} pour {audience}."),
    ("Diagnostic", "Aider {audience} à faire le point sur {object} en dix questions."),
    ("Objectif", "Accompagner {audience} jusqu'au bout pour {object}."),
    ("Boussole", "Orienter {audience} vers les bonnes démarches pour {object}."),
    ("Carnet", "Un carnet numérique qui réunit tout ce qui concerne {object}, pour {audience}."),
    ("Parcours", "Simplifier le parcours de {audience} pour {object}."),
    ("Relais", "Outiller les agents qui accompagnent {audience} pour {object}."),
    ("Radar", "Repérer plus tôt les difficultés liées à {object}, pour {audience}."),
    ("Rendez-vous", "Obtenir rapidement un rendez-vous pour {object}, pour {audience}."),
    ("Espace", "Un espace en ligne pour {audience} autour de {object}."),
    ("Portail", "Réunir en un seul endroit les démarches liées à {object}, pour {audience}."),
    ("Comparateur", "Comparer les offres disponibles pour {object}, pour {audience}."),
    ("Tableau de bord", "Donner aux décideurs une vue à jour sur {object}."),
    ("Déclic", "Déclencher le premier pas de {audience} vers {object}."),
    ("Trajectoire", "Mesurer et améliorer les résultats obtenus sur {object}."),
    ("Info", "Informer {audience} clairement et au bon moment sur {object}."),
    ("Service", "Un service public numérique simple pour {object}."),
    ("Observatoire", "Publier des données ouvertes et fiables sur {object}."),
    ("Mes Droits", "Aider {audience} à connaître et faire valoir leurs droits pour {object}."),
]
REGIONS = [
    "Bretagne",
    "Occitanie",
    "Grand Est",
    "Hauts-de-France",
    "Normandie",
    "Outre-mer",
    "Île-de-France",
    "Nouvelle-Aquitaine",
    "Provence",
    "Auvergne",
    "Bourgogne",
    "Centre",
    "Corse",
]

INCUBATORS = [
    "Incubateur interministériel",
    "Fabrique numérique des solidarités",
    "Fabrique numérique du ministère de l'Intérieur",
    "Incubateur des territoires",
    "Fabrique des mobilités",
    "Fabrique numérique de la Justice",
    "Incubateur de la DGFiP",
    "Lab Santé",
    "Incubateur de l'Éducation nationale",
    "Atelier numérique de la Culture",
    "Fabrique numérique de l'Agriculture",
    "Incubateur de la transition écologique",
    "Incubateur du Travail et de l'Emploi",
    "Incubateur de l'Enseignement supérieur",
    "Fabrique défense",
]

# Word lists kept as text: one line holds many names.
GIVEN_NAMES = (  # noqa: SIM905
    "Claire Marc Sophie Karim Julie Hugo Élise Thomas Nadia Camille Léa Manon Chloé Inès Sarah "
    "Emma Louise Jeanne Alice Lucie Mathilde Pauline Anaïs Marion Céline Aurélie Amandine Laure "
    "Hélène Nathalie Isabelle Sandrine Fatima Yasmine Aïcha Mélanie Agathe Clémence Margaux "
    "Nicolas Julien Antoine Maxime Alexandre Romain Guillaume Pierre Paul Louis Arthur Jules "
    "Lucas Théo Baptiste Mathieu Olivier François Jean-Baptiste Sébastien Vincent Benoît "
    "Mehdi Samir Youssef Rachid Kevin Florian Quentin Adrien Bastien Cédric Damien Étienne "
    "Fabien Grégoire Jérôme Laurent Lionel Rémi Simon Tristan Xavier Yann Anne-Sophie "
    "Marie-Laure Jean-Marc Gaëlle Solène Maëlle Noémie Ophélie Victor Gabriel Raphaël"
).split()
SURNAMES = (  # noqa: SIM905
    "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent "
    "Lefèvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Lefebvre "
    "Mercier Dupont Lambert Bonnet François Martinez Legrand Garnier Faure Rousseau Blanc "
    "Guérin Muller Henry Roussel Nicolas Perrin Morin Mathieu Clément Gauthier Dumont Lopez "
    "Fontaine Chevalier Robin Masson Sanchez Gérard Nguyen Boyer Denis Lemaire Duval Joly "
    "Gautier Roger Roche Roy Noël Meyer Lucas Meunier Jean Perez Marchand Dufour Blanchard "
    "Marie Barbier Brun Dumas Brunet Schmitt Leroux Colin Fernandez Pierre Renard Arnaud "
    "Rolland Caron Aubert Giraud Leclerc Vidal Bourgeois Renaud Lemoine Picard Gaillard "
    "Philippe Leclercq Lacroix Fabre Dupuis Olivier Rodriguez Hubert Louis Charles "
    "Guillot Rivière Guillaume Adam Rey Moulin Gonzalez Berger Lecomte Ménard "
    "Fleury Deschamps Carpentier Julien Benoît Paris Maillard Marchal Aubry Vasseur "
    "Renault Jacquet Collet Prévost Poirier Charpentier Royer Huet Baron Dupuy Pons Paul "
    "Laine Carré Breton Rémy Schneider Perrot Guyot Barre Marty Cousin Benali Haddad Diallo "
    "Traoré Mendy Kaci Amrani Bensaïd Cohen Lévy Nguyen-Van Tran Pham Kerbrat"
).split()
SURNAMES += ["Da Silva", "Le Gall", "Le Roux", "Le Goff"]

INDICATORS = [
    ("Démarches réalisées en ligne", "%", "5", "60", "Statistiques de la démarche"),
    ("Dossiers complets au premier envoi", "%", "60", "90", "Tableau de bord des agents"),
    ("Délai moyen de traitement", "jours", "30", "10", "Tableau de bord des agents"),
    ("Usagers actifs par mois", "usagers", "0", "5000", "Page /stats du service"),
    ("Taux de recours aux droits", "%", "40", "65", "Enquête annuelle"),
    ("Satisfaction des usagers", "note sur 10", "5", "8", "Questionnaire en fin de parcours"),
    ("Appels évités au centre de contact", "appels par mois", "0", "2000", "Centre de contact"),
    ("Agents utilisateurs", "agents", "0", "800", "Comptes actifs"),
    ("Territoires couverts", "départements", "1", "40", "Suivi du déploiement"),
    ("Temps passé par dossier", "minutes", "45", "15", "Mesure auprès des agents"),
    ("Demandes abouties", "%", "50", "85", "Statistiques de la démarche"),
    ("Coût par dossier traité", "euros", "35", "12", "Contrôle de gestion"),
]
PROBLEMS = [
    "Les usagers abandonnent souvent la démarche avant la fin : près d'un dossier sur trois "
    "reste incomplet.",
    "Les informations sont dispersées entre plusieurs sites et les usagers ne savent pas à qui "
    "s'adresser.",
    "Les agents ressaisissent à la main des informations que l'administration possède déjà.",
    "Le délai de traitement dépasse souvent deux mois, ce qui décourage les demandes.",
    "Une partie du public concerné ne connaît pas ses droits et n'y recourt pas.",
    "Les pièces justificatives arrivent par courrier, incomplètes, et doivent être réclamées.",
]
SOLUTIONS = [
    "Un service en ligne de bout en bout, avec vérification immédiate des pièces.",
    "Un parcours simple, testé chaque semaine avec de vrais usagers.",
    "Une interface pour les agents qui réutilise les données déjà connues.",
    "Des notifications au bon moment et un suivi de la demande en temps réel.",
    "Une API ouverte pour que les acteurs du territoire réutilisent les données.",
]
SUCCESS_CONDITIONS = [
    "L'accès aux données des systèmes existants ; un référent métier disponible.",
    "Le soutien de la direction métier et un terrain d'expérimentation volontaire.",
    "Une équipe stable et l'accord de la CNIL sur le traitement des données.",
    "Des agents de terrain associés dès les premières semaines.",
]
ORGANISATIONS = [
    "Une intrapreneure à temps plein, trois personnes du marché, un coach.",
    "Un intrapreneur à mi-temps, une équipe de quatre personnes, un coach.",
    "Deux intrapreneurs en binôme, une équipe produit de cinq personnes.",
]
ACTORS = [
    "La direction métier, deux services déconcentrés pilotes, les associations d'usagers.",
    "Les collectivités volontaires, l'opérateur national, la DINUM.",
    "Les agents de terrain, la DNUM du ministère, deux préfectures pilotes.",
]
SKILLS = [
    "Développement, design, déploiement, produit.",
    "Développement, design de service, données.",
    "Développement, produit, accompagnement au déploiement.",
]
ACHIEVEMENTS = [
    "Le service est ouvert dans {n} départements pilotes.",
    "Plus de {n} démarches ont été réalisées en ligne sur la période.",
    "Le parcours a été simplifié : deux étapes sur cinq ont été supprimées.",
    "Une API a été ouverte et réutilisée par deux partenaires.",
    "La connexion avec ProConnect et FranceConnect est en production.",
    "Les agents pilotes utilisent l'outil au quotidien.",
    "Une campagne de communication a été menée avec les réseaux d'accompagnement.",
    "La déclaration d'accessibilité a été publiée après un audit.",
]
LEARNINGS = [
    "Les usagers attendent surtout de savoir où en est leur demande.",
    "L'adoption dépend plus de l'accompagnement des agents que des fonctionnalités.",
    "Le principal frein est l'accès aux données d'une autre administration.",
    "Les usagers les plus éloignés du numérique passent par un intermédiaire.",
    "Mesurer l'impact demande un travail avec le service statistique du ministère.",
    "Les pilotes ont montré des usages que l'équipe n'avait pas prévus.",
]
OBJECTIVES = [
    "Étendre le service à {n} nouveaux départements.",
    "Mesurer l'impact sur le délai de traitement avec le service statistique.",
    "Préparer la reprise du service par l'administration.",
    "Ouvrir le parcours aux professionnels qui accompagnent les usagers.",
    "Atteindre l'équilibre entre démarches en ligne et démarches papier.",
    "Stabiliser l'équipe et documenter le code pour la reprise.",
]
RISKS = [
    ("Dépendance à une API d'une autre administration", "moyen"),
    ("Départ de l'intrapreneur avant la fin de la phase", "eleve"),
    ("Financement de la suite non encore identifié", "eleve"),
    ("Adoption lente par les agents", "moyen"),
    ("Hébergement à migrer vers le cloud de l'État", "faible"),
    ("Volume de support en hausse", "faible"),
    ("Données personnelles sensibles", "moyen"),
]
CONDITIONS = [
    "Présenter au prochain comité les mesures d'impact consolidées.",
    "Identifier d'ici trois mois l'administration qui reprendra le service.",
    "Recruter un développeur confirmé avant la fin du trimestre.",
    "Publier la page /stats du service avant le prochain bilan.",
    "Associer la direction métier à chaque revue de sprint.",
]
STOP_CONDITIONS = [
    "Organiser la fin du service et l'archivage des données d'ici trois mois.",
    "Rédiger un retour d'expérience partagé avec l'incubateur.",
]
RETURN_COMMENTS = [
    "Merci de préciser les indicateurs et leur source.",
    "Le budget demandé ne précise pas les périodes.",
    "Complétez la partie sur les risques, s'il vous plaît.",
]
RECUSAL_REASONS = [
    "J'ai travaillé avec l'équipe de cette startup l'an dernier.",
    "Mon service est partenaire de la startup.",
    "Un proche fait partie de l'équipe.",
]
QUESTIONS = [
    (
        "Comment mesurez-vous le nombre d'usagers actifs ?",
        "Par les connexions mensuelles, publiées sur notre page /stats.",
    ),
    (
        "Qui reprendra le service à la fin de la phase ?",
        "La direction métier s'est engagée par écrit ; la reprise est prévue dans un an.",
    ),
    (
        "Pourquoi le budget de design augmente-t-il ?",
        "Nous ouvrons le parcours aux agents : il faut concevoir leur interface.",
    ),
    (
        "Quels retours avez-vous des agents pilotes ?",
        "Ils gagnent en moyenne vingt minutes par dossier ; nous joignons l'enquête.",
    ),
]
VOTE_COMMENTS = [
    "Impact bien documenté.",
    "Réserve sur la reprise du service.",
    "Équipe solide, à suivre.",
    "Le budget me paraît élevé.",
]
CANCEL_REASONS = [
    "Budget non disponible sur l'exercice.",
    "Commande remplacée par un bon de commande rectifié.",
    "Arrêt de la startup décidé avant l'engagement.",
]
SERVICES = [
    "Direction du numérique",
    "Sous-direction des systèmes d'information",
    "Bureau de la modernisation",
    "Mission innovation",
]
PLACES = [
    "DINUM, 20 avenue de Ségur, Paris – salle 4.12",
    "DINUM, 20 avenue de Ségur, Paris – salle Laroque",
    "Visioconférence",
]
MONTHS = (  # noqa: SIM905
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
).split()

# UO a team asks for, by the phase it asks them for: (code, quantities to pick from)
BUDGET_PROFILES = {
    Phase.CONSTRUCTION: [
        ("DEVOPS-CONFIRME", ("3", "4.5", "6")),
        ("DEVOPS-JUNIOR", ("3", "6")),
        ("DESIGN-JUNIOR", ("2", "3")),
        ("PM-JUNIOR", ("2.5", "3", "6")),
    ],
    Phase.ACCELERATION: [
        ("DEVOPS-SENIOR", ("6", "9", "12")),
        ("DEVOPS-CONFIRME", ("6", "12")),
        ("DESIGN-CONFIRME", ("3", "6")),
        ("BIZDEV-CS", ("3", "6")),
        ("PM", ("3", "6")),
    ],
    Phase.CONSOLIDATION: [
        ("DEVOPS-SENIOR", ("6", "9")),
        ("DEVOPS-CONFIRME", ("6", "9")),
        ("BIZDEV-CS", ("3", "6", "9")),
        ("PM", ("3", "6")),
    ],
    Phase.OPERATED: [
        ("DEVOPS-CONFIRME", ("3", "6")),
        ("BIZDEV-CS", ("2", "3")),
        ("PM-JUNIOR", ("1.5", "3")),
    ],
    Phase.TRANSFERRED: [("REVERSIBILITE", ("0.5", "1")), ("DEVOPS-CONFIRME", ("1", "2"))],
}
# Price revisions of the framework contract: (first day, factor on the example prices)
PRICE_PERIODS = [
    (dt.date(2016, 10, 1), Decimal("0.90")),
    (dt.date(2020, 1, 1), Decimal("0.95")),
    (dt.date(2023, 1, 1), Decimal("1.00")),
]
CONTRACT_ENDS_ON = dt.date(2027, 12, 31)
DEFAULT_PRICE = Decimal("10000.00")


# -- what the lives of the startups are made of --------------------------------------------


@dataclass
class _Startup:
    id: int
    name: str
    slug: str
    topic: tuple[str, str, str, int]
    administration: int
    incubator_id: int
    started_on: dt.date
    intrapreneur: int
    indicators: list[Indicator]
    passages: list[_Passage] = field(default_factory=list)


@dataclass
class _Passage:
    """One startup before one séance: its dossier, the decision the vote will carry."""

    startup: _Startup
    meeting: int  # index in the schedule
    kind: DossierKind
    phase_before: Phase
    outcome: Outcome
    next_phase: Phase
    requested: list[BudgetLine]
    period_start: dt.date  # what an impact review reports on starts here
    review_number: int  # 0 for the fiche produit
    published_on: dt.date
    conditions: str


@dataclass
class _Decision:
    id: int
    startup: _Startup
    published_at: dt.datetime
    lines: list[tuple[int, BudgetLine]]  # (work unit type id, line)


class _Rows:
    """Rows to insert, per table, with ids given from the table's current maximum."""

    def __init__(self, first_ids: dict[str, int]):
        self.tables: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._next_id = dict(first_ids)

    def add(self, table: str, **values: Any) -> int:
        if table in self._next_id and "id" not in values:
            values = {"id": self._next_id[table], **values}
            self._next_id[table] += 1
        self.tables[table].append(values)
        return values.get("id", 0)


def _paris(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A time of day in Paris, as the aware UTC datetime stored."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS).astimezone(dt.UTC)


def _paris_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(PARIS).date()


def _full_name(given: str, usual: str) -> str:
    return f"{given} {usual}".strip()


class _Builder:
    """Builds every row in memory, keeping the services' invariants."""

    def __init__(
        self, session: Session, rng: random.Random, sizes: Sizes, first_ids: dict[str, int]
    ):
        self.rng = rng
        self.sizes = sizes
        self.rows = _Rows(first_ids)
        self.emails = {
            email.lower() for email in session.scalars(sa.text('SELECT email FROM "user"'))
        }
        self.incubator_names = set(session.scalars(sa.text("SELECT name FROM incubator")))
        self.incubator_slugs = set(session.scalars(sa.text("SELECT slug FROM incubator")))
        self.references = set(session.scalars(sa.text("SELECT reference FROM framework_contract")))
        self.counters = dict(
            session.execute(sa.text("SELECT year, last_number FROM order_counter")).tuples().all()
        )
        self.units = {
            code: (unit_id, label)
            for unit_id, code, label in session.execute(
                sa.text("SELECT id, code, label FROM work_unit_type WHERE is_active ORDER BY id")
            ).tuples()
        }
        if not self.units:
            raise DatasetRefused(
                "Le catalogue ne compte aucun type d'UO actif : appliquez les migrations "
                "(flask --app comite db upgrade) avant de générer le jeu de données."
            )
        self.names: dict[int, str] = {}
        self.decisions: list[_Decision] = []
        self.counter_updates: dict[int, int] = {}

    # -- people ----------------------------------------------------------------------------

    def _user(self, roles: Sequence[Role], domain: str, demo: bool = False) -> int:
        given, usual = self.rng.choice(GIVEN_NAMES), self.rng.choice(SURNAMES)
        local = f"{slugify(given)}.{slugify(usual)}"
        email, number = f"{local}@{DEMO_EMAIL_DOMAIN if demo else domain}", 1
        while email.lower() in self.emails:
            number += 1
            email = f"{local}{number}@{DEMO_EMAIL_DOMAIN if demo else domain}"
        self.emails.add(email.lower())
        # Before the first startup starts (at the earliest 84 days before the first séance).
        created = _paris(WINDOW_START - dt.timedelta(days=self.rng.randint(100, 180)), 9)
        user_id = self.rows.add(
            "user",
            email=email,
            given_name=given,
            usual_name=usual,
            proconnect_sub=None,
            siret=None,
            is_active=True,
            created_at=created,
        )
        for role in roles:
            self.rows.add("user_role", user_id=user_id, role=role.value)
        self.names[user_id] = _full_name(given, usual)
        return user_id

    def users(self) -> None:
        """Secretariat, committee members, DSAF, sponsors and the people of the teams; the
        first of each role has a demo address, so that the development login offers it."""
        sizes, domains = self.sizes, [admin[1] for admin in ADMINISTRATIONS]
        self.admins = [
            self._user([Role.ADMIN], "numerique.gouv.fr", demo=i == 0) for i in range(sizes.admins)
        ]
        self.members = [
            self._user([Role.MEMBER], self.rng.choice(domains), demo=i == 0)
            for i in range(sizes.members)
        ]
        # A few members preside in turn.
        self.presidents = self.members[: max(1, min(3, len(self.members)))]
        self.finance = [
            self._user([Role.FINANCE], "pm.gouv.fr", demo=i == 0) for i in range(sizes.finance)
        ]
        self.sponsors = [
            self._user([Role.SPONSOR], self.rng.choice(domains), demo=i == 0)
            for i in range(sizes.sponsors)
        ]
        self.teams = [
            self._user([Role.INTRAPRENEUR], self.rng.choice(["beta.gouv.fr", *domains]), i == 0)
            for i in range(sizes.teams)
        ]

    # -- incubators, contract ----------------------------------------------------------------

    def incubators(self) -> None:
        self.incubator_ids = []
        candidates = INCUBATORS + [f"Incubateur {region}" for region in REGIONS]
        number = 0
        while len(self.incubator_ids) < self.sizes.incubators:
            if number < len(candidates):
                name = candidates[number]
            else:
                name = f"Incubateur n° {number - len(candidates) + 1}"
            number += 1
            slug = slugify(name)
            if name in self.incubator_names or slug in self.incubator_slugs:
                continue
            self.incubator_names.add(name)
            self.incubator_slugs.add(slug)
            self.incubator_ids.append(self.rows.add("incubator", name=name, slug=slug))

    def contract(self) -> None:
        """One framework contract over the ten years, with example prices revised twice."""
        reference, number = "AC-JEU-DE-DONNEES-2016", 1
        while reference in self.references:
            number += 1
            reference = f"AC-JEU-DE-DONNEES-2016-{number}"
        starts_on = PRICE_PERIODS[0][0]
        self.contract_id = self.rows.add(
            "framework_contract",
            reference=reference,
            title="Accord-cadre de réalisation de services numériques – jeu de données "
            "(prix fictifs, donnés à titre d'exemple)",
            holder_name="Titulaire exemple",
            holder_siret="12345678900015",
            starts_on=starts_on,
            ends_on=CONTRACT_ENDS_ON,
            vat_rate=VAT_RATE,
            created_at=_paris(starts_on - dt.timedelta(days=30), 10),
        )
        # (valid_from, valid_until, price) per UO code, oldest first
        self.prices: dict[str, list[tuple[dt.date, dt.date | None, Decimal]]] = {}
        for code, (unit_id, _label) in self.units.items():
            base = DEMO_PRICES_HT.get(code, DEFAULT_PRICE)
            periods = []
            for index, (valid_from, factor) in enumerate(PRICE_PERIODS):
                last = index == len(PRICE_PERIODS) - 1
                valid_until = None if last else PRICE_PERIODS[index + 1][0] - dt.timedelta(1)
                price = order_rules.money(base * factor)
                periods.append((valid_from, valid_until, price))
                self.rows.add(
                    "unit_price",
                    contract_id=self.contract_id,
                    work_unit_type_id=unit_id,
                    price_ht=price,
                    valid_from=valid_from,
                    valid_until=valid_until,
                    created_at=_paris(valid_from - dt.timedelta(days=20), 10),
                )
            self.prices[code] = periods

    def _price_on(self, code: str, day: dt.date) -> Decimal:
        for valid_from, valid_until, price in self.prices[code]:
            if valid_from <= day and (valid_until is None or day <= valid_until):
                return price
        return self.prices[code][0][2]

    # -- séances schedule ----------------------------------------------------------------

    def schedule(self) -> None:
        """Séances spread evenly over the ten years, on weekdays."""
        count, days = self.sizes.meetings, (WINDOW_END - WINDOW_START).days + 1
        self.meeting_days = []
        for index in range(count):
            day = WINDOW_START + dt.timedelta(days=int(days * (index + 0.5) / count))
            if day.weekday() == 5:
                day -= dt.timedelta(days=1)
            elif day.weekday() == 6:
                day += dt.timedelta(days=1)
            self.meeting_days.append(day)
        # Moving weekends to weekdays may swap close séances at large scales.
        self.meeting_days.sort()

    def _meeting_on_or_after(self, day: dt.date) -> int | None:
        index = bisect.bisect_left(self.meeting_days, day)
        return index if index < len(self.meeting_days) else None

    # -- startups and their lives ------------------------------------------------------------

    def _startup_names(self) -> list[tuple[str, tuple[str, str, str, int], str]]:
        """(name, topic, pitch template), all names different."""
        combos = [(prefix, topic) for prefix in PREFIXES for topic in TOPICS]
        self.rng.shuffle(combos)
        names = []
        for index in range(self.sizes.startups):
            (prefix, template), topic = combos[index % len(combos)]
            name = f"{prefix} {topic[0]}"
            round_ = index // len(combos)
            if round_:
                name += f" {REGIONS[(round_ - 1) % len(REGIONS)]}"
                if round_ > len(REGIONS):
                    name += f" {round_}"
            names.append((name, topic, template))
        return names

    def startups(self) -> None:
        """Most startups start in the first six months and come back twice a year; a few
        arrive later. Each has a team, a sponsor, a phase history and its passages."""
        slugs: set[str] = set()
        self.startup_list: list[_Startup] = []
        cohort_end = WINDOW_START + dt.timedelta(days=182)
        first_cohort = [i for i, day in enumerate(self.meeting_days) if day < cohort_end] or [0]
        later = [i for i, day in enumerate(self.meeting_days) if day >= cohort_end] or [0]
        for name, topic, template in self._startup_names():
            slug = base = slugify(name)
            number = 1
            while slug in slugs:
                number += 1
                slug = f"{base}-{number}"
            slugs.add(slug)
            late = self.rng.random() < 0.08
            first_meeting = self.rng.choice(later if late else first_cohort)
            started_on = self.meeting_days[first_meeting] - dt.timedelta(
                days=self.rng.randint(49, 84)
            )
            team = self.rng.sample(self.teams, min(len(self.teams), self.rng.randint(2, 5)))
            startup = _Startup(
                id=0,
                name=name,
                slug=slug,
                topic=topic,
                administration=topic[3],
                incubator_id=self.rng.choice(self.incubator_ids),
                started_on=started_on,
                intrapreneur=team[0],
                indicators=[
                    Indicator(*row) for row in self.rng.sample(INDICATORS, self.rng.randint(2, 3))
                ],
            )
            self._plan(startup, first_meeting)
            self._startup_rows(startup, template, team)
            self.startup_list.append(startup)

    def _plan(self, startup: _Startup, first_meeting: int) -> None:
        """The passages of one startup: its fiche at the end of investigation, then an
        impact review every six months until it stops, is transferred or the ten years end."""
        phase, in_phase, meeting = Phase.INVESTIGATION, 0, first_meeting
        period_start, review = startup.started_on, 0
        while meeting is not None:
            outcome, next_phase = self._decide(phase, in_phase)
            kind = DossierKind.PRODUCT_SHEET if review == 0 else DossierKind.IMPACT_REVIEW
            meeting_day = self.meeting_days[meeting]
            asked_phase = (
                (next_phase if outcome is Outcome.CONTINUE else phase)
                if review
                else Phase.CONSTRUCTION
            )
            startup.passages.append(
                _Passage(
                    startup=startup,
                    meeting=meeting,
                    kind=kind,
                    phase_before=phase,
                    outcome=outcome,
                    next_phase=next_phase,
                    requested=self._budget(asked_phase, meeting_day, must=review == 0),
                    period_start=period_start,
                    review_number=review,
                    published_on=meeting_day + dt.timedelta(days=self.rng.randint(0, 4)),
                    conditions=self._conditions(outcome),
                )
            )
            if outcome is Outcome.STOP or next_phase is Phase.TRANSFERRED:
                return
            in_phase = in_phase + 1 if next_phase is phase else 0
            phase, period_start, review = next_phase, meeting_day, review + 1
            due = meeting_day + SIX_MONTHS - dt.timedelta(days=self.rng.randint(0, 14))
            meeting = self._meeting_on_or_after(max(due, meeting_day + dt.timedelta(days=1)))

    def _decide(self, phase: Phase, in_phase: int) -> tuple[Outcome, Phase]:
        """Mostly continue, sometimes stop; phases move on after a few reviews."""
        draw = self.rng.random()
        if phase is Phase.INVESTIGATION:
            if draw < 0.05:
                return Outcome.STOP, Phase.STOPPED_AFTER_INVESTIGATION
            return Outcome.CONTINUE, Phase.CONSTRUCTION
        stop_risk = {Phase.CONSTRUCTION: 0.02, Phase.ACCELERATION: 0.01}.get(phase, 0.004)
        if draw < stop_risk:
            return Outcome.STOP, Phase.STOPPED
        draw = self.rng.random()
        if phase is Phase.CONSTRUCTION and (in_phase >= 2 or (in_phase == 1 and draw < 0.5)):
            return Outcome.CONTINUE, Phase.ACCELERATION
        if phase is Phase.ACCELERATION and (in_phase >= 3 or (in_phase >= 1 and draw < 0.4)):
            return Outcome.CONTINUE, Phase.CONSOLIDATION
        if phase is Phase.CONSOLIDATION and in_phase >= 2:
            if draw < 0.02:
                return Outcome.CONTINUE, Phase.TRANSFERRED
            if draw < 0.15:
                return Outcome.CONTINUE, Phase.OPERATED
        if phase is Phase.OPERATED and draw < 0.005:
            return Outcome.CONTINUE, Phase.TRANSFERRED
        return Outcome.CONTINUE, phase

    def _budget(self, phase: Phase, meeting_day: dt.date, must: bool) -> list[BudgetLine]:
        """One to three UO lines for the six months after the séance; some reviews ask for
        nothing (more often once the service is run by the network)."""
        if not must and self.rng.random() < (0.3 if phase is Phase.OPERATED else 0.08):
            return []
        profile = [
            (code, quantities)
            for code, quantities in BUDGET_PROFILES.get(phase, BUDGET_PROFILES[Phase.CONSTRUCTION])
            if code in self.units
        ] or [(code, ("3", "6")) for code in self.units]
        start = meeting_day.replace(day=1) + relativedelta(months=1)
        end = start + SIX_MONTHS - dt.timedelta(days=1)
        chosen = self.rng.sample(profile, min(len(profile), self.rng.randint(1, 3)))
        return [
            BudgetLine(code, Decimal(self.rng.choice(quantities)), start, end)
            for code, quantities in chosen
        ]

    def _conditions(self, outcome: Outcome) -> str:
        if outcome is Outcome.STOP:
            return self.rng.choice(STOP_CONDITIONS)
        return self.rng.choice(CONDITIONS) if self.rng.random() < 0.35 else ""

    def _startup_rows(self, startup: _Startup, template: str, team: list[int]) -> None:
        _word, subject, audience, administration = startup.topic
        phase, day = Phase.INVESTIGATION, startup.started_on
        changes = [(phase, day)]
        for passage in startup.passages:
            if passage.next_phase is not passage.phase_before:
                changes.append((passage.next_phase, passage.published_on))
        phase, day = changes[-1]
        status = StartupStatus.ACTIVE
        if phase in (Phase.STOPPED, Phase.STOPPED_AFTER_INVESTIGATION):
            status = StartupStatus.STOPPED
        elif phase is Phase.TRANSFERRED:
            status = StartupStatus.TRANSFERRED
        startup.id = self.rows.add(
            "startup",
            name=startup.name,
            slug=startup.slug,
            pitch=template.format(object=subject, audience=audience),
            sponsoring_administration=ADMINISTRATIONS[administration][0],
            incubator_id=startup.incubator_id,
            phase=phase.value,
            phase_started_on=day,
            status=status.value,
            created_at=_paris(startup.started_on, 9, 30),
        )
        for changed_phase, started_on in changes:
            self.rows.add(
                "phase_change",
                startup_id=startup.id,
                phase=changed_phase.value,
                started_on=started_on,
            )
        roles = [MemberRole.INTRAPRENEUR] + [MemberRole.TEAM] * (len(team) - 1)
        if len(team) > 2 and self.rng.random() < 0.5:
            roles[-1] = MemberRole.COACH
        for user_id, role in zip(team, roles, strict=True):
            self.rows.add("membership", user_id=user_id, startup_id=startup.id, role=role.value)
        self.rows.add(
            "membership",
            user_id=self.rng.choice(self.sponsors),
            startup_id=startup.id,
            role=MemberRole.SPONSOR.value,
        )

    # -- séances -------------------------------------------------------------------------

    def committee(self) -> None:
        """Every séance closed: members convened, a president, proxies, recusals, questions,
        votes, and a published decision per item."""
        by_meeting: dict[int, list[_Passage]] = defaultdict(list)
        for startup in self.startup_list:
            for passage in startup.passages:
                by_meeting[passage.meeting].append(passage)
        self.rule = VotingRule(quorum=QUORUM, tie_break=TIE_BREAK)
        self.rule_text = self.rule.describe()
        for index, day in enumerate(self.meeting_days):
            passages = by_meeting.get(index)
            if passages:  # a séance is closed only with an agenda
                self._meeting(day, passages)

    def _meeting(self, day: dt.date, passages: list[_Passage]) -> None:
        rng = self.rng
        starts_at = _paris(day, rng.choice((9, 14)), rng.choice((0, 30)))
        place = rng.choice(PLACES)
        title = f"Comité d'investissement du {day.day} {MONTHS[day.month - 1]} {day.year}"
        secret = rng.random() < 0.08
        meeting_id = self.rows.add(
            "meeting",
            title=title,
            starts_at=starts_at,
            place=place,
            video_link="https://webinaire.numerique.gouv.fr/meeting/comite"
            if place == "Visioconférence" or rng.random() < 0.3
            else "",
            state="closed",
            secret_ballot=secret,
            quorum=QUORUM,
            tie_break=TIE_BREAK.value,
            created_at=starts_at - dt.timedelta(days=rng.randint(21, 40)),
        )
        president = rng.choice(self.presidents)
        others = rng.sample(
            [member for member in self.members if member != president], self.sizes.convened - 1
        )
        convened = sorted([president, *others])
        for user_id in convened:
            self.rows.add(
                "meeting_member",
                meeting_id=meeting_id,
                user_id=user_id,
                is_president=user_id == president,
            )
        # Some members are absent; a few of them give their proxy to a present member.
        absent = [m for m in others if rng.random() < 0.08][: max(0, (len(convened) - 1) // 3)]
        present = [m for m in convened if m not in absent]
        proxies: dict[int, int] = {}
        for giver in absent:
            holders = [m for m in present if m not in proxies.values()]
            if holders and rng.random() < 0.35:
                proxies[giver] = rng.choice(holders)
                self.rows.add(
                    "proxy",
                    meeting_id=meeting_id,
                    giver_id=giver,
                    holder_id=proxies[giver],
                    given_at=starts_at - dt.timedelta(days=1, hours=rng.randint(0, 8)),
                )
        rng.shuffle(passages)
        recusals = {
            position: rng.choice([m for m in present if m != president] or present)
            for position in range(1, len(passages) + 1)
            if rng.random() < 0.07
        }
        attending = set(recusals.values())  # a declared recusal is a presence
        for position, passage in enumerate(passages, start=1):
            version = self._dossier(passage, starts_at)
            opened = starts_at + dt.timedelta(minutes=7 * (position - 1) + 1)
            self._item(
                passage,
                meeting_id=meeting_id,
                starts_at=starts_at,
                title=title,
                secret=secret,
                position=position,
                version=version,
                opened=opened,
                convened=convened,
                president=president,
                absent=absent,
                proxies=proxies,
                recused=recusals.get(position),
                attending=attending,
            )

    def _item(
        self,
        passage: _Passage,
        *,
        meeting_id: int,
        starts_at: dt.datetime,
        title: str,
        secret: bool,
        position: int,
        version: tuple[int, int, int],
        opened: dt.datetime,
        convened: list[int],
        president: int,
        absent: list[int],
        proxies: dict[int, int],
        recused: int | None,
        attending: set[int],
    ) -> None:
        rng = self.rng
        voters = [m for m in convened if m != recused and (m not in absent or m in proxies)]
        ballots = self._ballots(passage.outcome, voters, convened, recused, president)
        result = tally(ballots, convened, {recused} if recused else set(), president, self.rule)
        closed = opened + dt.timedelta(minutes=5)
        dossier_id, version_number, version_id = version
        item_id = self.rows.add(
            "agenda_item",
            meeting_id=meeting_id,
            position=position,
            dossier_version_id=version_id,
            state="closed",
            opened_at=opened,
            closed_at=closed,
            outcome=result.outcome.value,
            result_text=result.explain(),
        )
        recusal_rows = []
        if recused:
            reason = rng.choice(RECUSAL_REASONS)
            self.rows.add(
                "recusal",
                item_id=item_id,
                user_id=recused,
                reason=reason,
                declared_at=starts_at - dt.timedelta(days=1),
            )
            recusal_rows.append({"name": self.names[recused], "reason": reason})
        if rng.random() < 0.15:
            question, answer = rng.choice(QUESTIONS)
            asked = starts_at - dt.timedelta(days=rng.randint(3, 7), hours=rng.randint(0, 6))
            self.rows.add(
                "question",
                item_id=item_id,
                author_id=rng.choice(convened),
                text=question,
                asked_at=asked,
                answer=answer,
                answered_by_id=passage.startup.intrapreneur,
                answered_at=asked + dt.timedelta(days=1),
            )
        votes = []
        for offset, (voter, choice) in enumerate(ballots.items()):
            caster = proxies.get(voter, voter)
            attending.add(caster)
            self.rows.add(
                "vote",
                item_id=item_id,
                voter_id=voter,
                cast_by_id=caster,
                choice=choice.value,
                comment=rng.choice(VOTE_COMMENTS) if rng.random() < 0.04 else "",
                cast_at=opened + dt.timedelta(seconds=15 + 20 * offset),
            )
            votes.append(
                {
                    "voter": self.names[voter],
                    "cast_by": self.names[caster],
                    "choice": choice.value,
                }
            )
        startup = passage.startup
        record = {
            "meeting": {"id": meeting_id, "title": title, "starts_at": starts_at.isoformat()},
            "dossier": {
                "id": dossier_id,
                "kind": passage.kind.value,
                "version": version_number,
                "version_id": version_id,
            },
            "convened": [
                {"id": m, "name": self.names[m], "president": m == president} for m in convened
            ],
            "present": [self.names[m] for m in sorted(attending)],
            "proxies": [
                {"giver": self.names[giver], "holder": self.names[holder]}
                for giver, holder in proxies.items()
            ],
            "recused": recusal_rows,
            "secret": secret,
            "votes": None if secret else votes,
            "counts": {choice.value: count for choice, count in result.counts.items()},
            "rule": self.rule_text,
            "quorum_reached": result.quorum_reached,
            "tie": result.tie,
            "tie_broken_by_president": result.tie_broken_by_president,
            "outcome": result.outcome.value,
            "result": result.explain(),
        }
        admin = rng.choice(self.admins)
        # Published on the planned day (at the earliest half an hour after the vote).
        published_at = max(
            _paris(passage.published_on, 10, rng.randint(0, 59)), closed + dt.timedelta(minutes=30)
        )
        decision_id = self.rows.add(
            "decision",
            startup_id=startup.id,
            agenda_item_id=item_id,
            state="published",
            outcome=result.outcome.value,
            next_phase=passage.next_phase.value,
            conditions=passage.conditions,
            next_review_on=_paris_day(starts_at) + SIX_MONTHS
            if result.outcome is Outcome.CONTINUE
            else None,
            record=record,
            supersedes_id=None,
            created_at=closed,
            created_by_id=admin,
            published_at=published_at,
            published_by_id=admin,
        )
        lines = []
        if result.outcome is Outcome.CONTINUE:
            for position_, line in enumerate(passage.requested, start=1):
                unit_id = self.units[line.work_unit_code][0]
                lines.append((unit_id, line))
                self.rows.add(
                    "decision_budget_line",
                    decision_id=decision_id,
                    position=position_,
                    work_unit_type_id=unit_id,
                    quantity=line.quantity,
                    period_start=line.period_start,
                    period_end=line.period_end,
                )
        if lines:
            self.decisions.append(_Decision(decision_id, startup, published_at, lines))

    def _ballots(
        self,
        outcome: Outcome,
        voters: list[int],
        convened: list[int],
        recused: int | None,
        president: int,
    ) -> dict[int, Choice]:
        """Ballots that carry the planned outcome under the séance's rule."""
        weights = (85, 5, 10) if outcome is Outcome.CONTINUE else (20, 70, 10)
        excluded = {recused} if recused else set()
        for _attempt in range(20):
            ballots = {voter: self.rng.choices(list(Choice), weights)[0] for voter in voters}
            if tally(ballots, convened, excluded, president, self.rule).outcome is outcome:
                return ballots
        unanimous = Choice.CONTINUE if outcome is Outcome.CONTINUE else Choice.STOP
        return dict.fromkeys(voters, unanimous)

    # -- dossiers ------------------------------------------------------------------------

    def _dossier(self, passage: _Passage, starts_at: dt.datetime) -> tuple[int, int, int]:
        """The dossier the item examines and its versions; returns the dossier's id, and the
        number and id of the version voted on."""
        rng, startup = self.rng, passage.startup
        author = startup.intrapreneur
        meeting_day = _paris_day(starts_at)
        submitted_on = meeting_day - dt.timedelta(days=rng.randint(8, 20))
        submitted = _paris(submitted_on, 17, rng.randint(0, 59))
        returned_first = rng.random() < 0.06
        first_submitted = submitted - dt.timedelta(days=rng.randint(6, 10))
        created = (first_submitted if returned_first else submitted) - dt.timedelta(
            days=rng.randint(10, 30)
        )
        # A fiche is written once the startup exists.
        created = max(created, _paris(startup.started_on + dt.timedelta(days=1), 10))
        dossier_id = self.rows.add(
            "dossier",
            startup_id=startup.id,
            kind=passage.kind.value,
            created_at=created,
            created_by_id=author,
        )
        content = self._content(passage, submitted_on, complete=True)
        number = 1
        if returned_first:
            returned = first_submitted + dt.timedelta(days=2)
            admin = rng.choice(self.admins)
            self.rows.add(
                "dossier_version",
                dossier_id=dossier_id,
                number=1,
                state=VersionState.RETURNED.value,
                content=self._content(passage, submitted_on, complete=False),
                revision=rng.randint(3, 6),
                created_at=created,
                created_by_id=author,
                updated_at=first_submitted - dt.timedelta(hours=1),
                updated_by_id=author,
                submitted_at=first_submitted,
                submitted_by_id=author,
                returned_at=returned,
                returned_by_id=admin,
                return_comment=rng.choice(RETURN_COMMENTS),
            )
            number, created = 2, returned + dt.timedelta(hours=2)
        version_id = self.rows.add(
            "dossier_version",
            dossier_id=dossier_id,
            number=number,
            state=VersionState.DECIDED.value,
            content=content,
            revision=rng.randint(4, 12),
            created_at=created,
            created_by_id=author,
            updated_at=submitted - dt.timedelta(minutes=rng.randint(5, 600)),
            updated_by_id=author,
            submitted_at=submitted,
            submitted_by_id=author,
            returned_at=None,
            returned_by_id=None,
            return_comment="",
        )
        return dossier_id, number, version_id

    def _sentences(self, choices: Sequence[str], count: int, complete: bool) -> str:
        picked = self.rng.sample(choices, min(count, len(choices)))
        if not complete and len(picked) > 1:
            picked = picked[:-1]
        number = self.rng.choice((3, 5, 8, 12, 20))
        return " ".join(sentence.format(n=number) for sentence in picked)

    def _content(self, passage: _Passage, submitted_on: dt.date, complete: bool) -> dict:
        """The version's content as comite.dossiers.content snapshots it."""
        rng, startup = self.rng, passage.startup
        _word, subject, audience, administration = startup.topic
        if passage.kind is DossierKind.PRODUCT_SHEET:
            return ProductSheetContent(
                problem=f"{self._sentences(PROBLEMS, 2, True)}\nPérimètre : {subject}.",
                users=f"{audience[0].upper()}{audience[1:]} ; les agents qui les accompagnent.",
                solution=self._sentences(SOLUTIONS, 2, complete),
                success_conditions=rng.choice(SUCCESS_CONDITIONS),
                indicators=list(startup.indicators),
                organisation=rng.choice(ORGANISATIONS),
                actors=f"{ADMINISTRATIONS[administration][0]}. {rng.choice(ACTORS)}",
                skills=rng.choice(SKILLS),
                requested_phase=Phase.CONSTRUCTION.value,
                budget_lines=passage.requested,
            ).to_json()
        progress = min(Decimal(1), Decimal(passage.review_number) / 6)
        reports = []
        for indicator in startup.indicators:
            baseline, target = Decimal(indicator.baseline), Decimal(indicator.target)
            noise = Decimal(rng.randint(85, 110)) / 100
            actual = (baseline + (target - baseline) * progress * noise).quantize(Decimal(1))
            reports.append(
                IndicatorReport(
                    name=indicator.name,
                    target=indicator.target,
                    actual=str(actual),
                    source_url=f"https://{startup.slug}.beta.gouv.fr/stats",
                )
            )
        return ImpactReviewContent(
            period_start=passage.period_start,
            period_end=submitted_on,
            indicator_reports=reports,
            achievements=self._sentences(ACHIEVEMENTS, 3, complete),
            learnings=self._sentences(LEARNINGS, 2, True),
            risks=[Risk(*risk) for risk in rng.sample(RISKS, rng.randint(1, 3))],
            next_objectives=self._sentences(OBJECTIVES, 2, True),
            budget_lines=passage.requested,
        ).to_json()

    # -- purchase orders -------------------------------------------------------------------

    def orders(self) -> None:
        """About seven budgets in ten become an order, numbered without gaps in the year it
        was drafted; older orders are engaged (or cancelled), recent ones still moving."""
        rng, drafts = self.rng, []
        for decision in self.decisions:
            if rng.random() >= 0.7:
                continue
            created = decision.published_at + dt.timedelta(
                days=rng.randint(0, 10), hours=rng.randint(0, 5)
            )
            if created < DATASET_NOW:
                drafts.append((created, decision))
        drafts.sort(key=lambda draft: (draft[0], draft[1].id))
        numbers: dict[int, int] = {}
        for created, decision in drafts:
            year = _paris_day(created).year
            numbers[year] = numbers.get(year, self.counters.get(year, 0)) + 1
            self._order(created, decision, order_rules.order_number(year, numbers[year]))
        for year, last in sorted(numbers.items()):
            if year in self.counters:
                self.counter_updates[year] = last
            else:
                self.rows.add("order_counter", year=year, last_number=last)

    def _order(self, created: dt.datetime, decision: _Decision, number: str) -> None:
        rng, startup = self.rng, decision.startup
        age = (DATASET_NOW - created).days
        draw = rng.random()
        if age > 120:
            state = "committed" if draw < 0.9 else "cancelled" if draw < 0.97 else "sent"
        elif age > 30:
            state = "committed" if draw < 0.6 else "sent" if draw < 0.9 else "cancelled"
        else:
            state = "draft" if draw < 0.5 else "sent" if draw < 0.9 else "committed"
        sent_at = created + dt.timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 6))
        committed_at = sent_at + dt.timedelta(days=rng.randint(2, 20))
        cancelled_at = created + dt.timedelta(days=rng.randint(1, 30))
        if state == "committed" and committed_at >= DATASET_NOW:
            state = "sent"
        if state == "cancelled" and cancelled_at >= DATASET_NOW:
            state = "draft"
        if state == "sent" and sent_at >= DATASET_NOW:
            state = "draft"
        # A cancelled order was sometimes sent to the DSAF first.
        was_sent = state in ("sent", "committed") or (
            state == "cancelled" and sent_at < cancelled_at and rng.random() < 0.5
        )
        name, _domain, programme, service = ADMINISTRATIONS[startup.administration]
        imputed = state != "draft" or rng.random() < 0.5
        lines = decision.lines
        order_id = self.rows.add(
            "purchase_order",
            number=number,
            decision_id=decision.id,
            startup_id=startup.id,
            contract_id=self.contract_id,
            state=state,
            beneficiary_administration=name,
            beneficiary_service=f"{service} – {rng.choice(SERVICES)}" if imputed else "",
            financial_centre=f"{programme}-CDBR-{service}" if imputed else "",
            functional_domain=f"{programme}-0{rng.randint(1, 4)}" if imputed else "",
            activity=f"{programme}0101{rng.randint(10, 99)}01" if imputed else "",
            period_start=min(line.period_start for _, line in lines),
            period_end=max(line.period_end for _, line in lines),
            vat_rate=VAT_RATE,
            created_at=created,
            created_by_id=rng.choice(self.admins),
            sent_at=sent_at if was_sent else None,
            legal_commitment=f"13{rng.randint(0, 99_999_999):08d}" if state == "committed" else "",
            committed_at=committed_at if state == "committed" else None,
            cancel_reason=rng.choice(CANCEL_REASONS) if state == "cancelled" else "",
            cancelled_at=cancelled_at if state == "cancelled" else None,
        )
        for position, (_unit_id, line) in enumerate(lines, start=1):
            line_id = self.rows.add(
                "purchase_order_line",
                order_id=order_id,
                position=position,
                work_unit_code=line.work_unit_code,
                work_unit_label=self.units[line.work_unit_code][1],
                quantity=line.quantity,
                unit_price_ht=self._price_on(line.work_unit_code, line.period_start),
            )
            if state == "committed":
                self._consumptions(line_id, line, committed_at)

    def _consumptions(self, line_id: int, line: BudgetLine, committed_at: dt.datetime) -> None:
        """Days declared done every two months of the period, never more than ordered."""
        assert line.quantity is not None and line.period_start and line.period_end
        ordered = line.quantity * order_rules.DAYS_PER_UO
        length = (line.period_end - line.period_start).days + 1
        declared, boundary = Decimal(0), line.period_start
        while boundary < line.period_end:
            boundary = min(boundary + relativedelta(months=2), line.period_end)
            declared_at = _paris(boundary + dt.timedelta(days=self.rng.randint(2, 8)), 11)
            if declared_at >= DATASET_NOW:
                return
            if declared_at <= committed_at:
                continue
            share = Decimal((boundary - line.period_start).days + 1) / length
            share *= Decimal(self.rng.randint(85, 100)) / 100
            days = min(ordered, (ordered * share * 2).quantize(Decimal(1)) / 2) - declared
            if days > 0:
                declared += days
                self.rows.add(
                    "consumption",
                    line_id=line_id,
                    days=days,
                    period_end=boundary,
                    comment="",
                    created_at=declared_at,
                    created_by_id=self.rng.choice(self.admins + self.finance),
                )


# -- writing -------------------------------------------------------------------------------


def _write(session: Session, tables: dict[str, list[dict[str, Any]]]) -> None:
    """Parents first; COPY on PostgreSQL (then each id sequence moved past the new rows),
    one executemany per table elsewhere."""
    postgres = session.get_bind().dialect.name == "postgresql"
    written = [table for table in Base.metadata.sorted_tables if tables.get(table.name)]
    if not postgres:
        for table in written:
            session.execute(sa.insert(table), tables[table.name])
        return
    driver = session.connection().connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor:
        for table in written:
            rows = tables[table.name]
            columns = list(rows[0])
            json_columns = {c for c in columns if isinstance(table.c[c].type, sa.JSON)}
            statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
                sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, columns))
            )
            with cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(
                        [
                            json.dumps(row[c], ensure_ascii=False) if c in json_columns else row[c]
                            for c in columns
                        ]
                    )
        for table in written:
            if "id" in table.c:
                cursor.execute(
                    sql.SQL(
                        "SELECT setval(pg_get_serial_sequence({}, 'id'), (SELECT max(id) FROM {}))"
                    ).format(
                        sql.Literal(sql.Identifier(table.name).as_string(cursor)),
                        sql.Identifier(table.name),
                    )
                )


def generate(session: Session, scale: float = 1, seed: int = 2026) -> dict[str, int]:
    """Fill a database that holds no startup with ten years of committee life; the same
    scale and seed give the same rows. Returns the rows added per table; only flushes."""
    if not scale > 0:
        raise DatasetRefused("L'échelle doit être un nombre strictement positif.")
    session.flush()
    startups = session.scalar(sa.text("SELECT count(*) FROM startup")) or 0
    if startups:
        raise DatasetRefused(
            f"La base contient déjà {startups} startup(s) : le jeu de données se génère dans "
            "une base sans startup. Créez une base neuve (puis flask --app comite db upgrade) "
            "ou videz celle-ci."
        )
    first_ids = {
        table.name: (session.scalar(sa.select(sa.func.max(table.c.id))) or 0) + 1
        for table in Base.metadata.sorted_tables
        if "id" in table.c
    }
    builder = _Builder(session, random.Random(seed), Sizes.for_scale(scale), first_ids)  # noqa: S311 (reproducible data, not secrets)  # nosec B311
    builder.counter_updates = {}
    builder.users()
    builder.incubators()
    builder.contract()
    builder.schedule()
    builder.startups()
    builder.committee()
    builder.orders()
    _write(session, builder.rows.tables)
    for year, last in builder.counter_updates.items():
        session.execute(
            sa.text("UPDATE order_counter SET last_number = :last WHERE year = :year"),
            {"last": last, "year": year},
        )
    counts = {name: len(rows) for name, rows in builder.rows.tables.items()}
    audit.record_about(
        session, "dataset.generated", "Dataset", str(seed), scale=scale, counts=counts
    )
    session.flush()
    return counts


LABELS = {
    "user": "utilisateurs",
    "user_role": "rôles",
    "incubator": "incubateurs",
    "startup": "startups",
    "phase_change": "changements de phase",
    "membership": "places dans les équipes",
    "framework_contract": "accords-cadres",
    "unit_price": "prix unitaires",
    "dossier": "dossiers",
    "dossier_version": "versions de dossiers",
    "meeting": "séances",
    "meeting_member": "convocations",
    "proxy": "pouvoirs",
    "agenda_item": "points à l'ordre du jour",
    "recusal": "déports",
    "question": "questions écrites",
    "vote": "votes",
    "decision": "décisions",
    "decision_budget_line": "lignes de budget accordé",
    "order_counter": "compteurs de bons de commande",
    "purchase_order": "bons de commande",
    "purchase_order_line": "lignes de bons de commande",
    "consumption": "déclarations de service fait",
}


def summary(counts: dict[str, int], seconds: float) -> str:
    """What the command prints: rows per table, then the time taken."""
    lines = [
        f"  {LABELS.get(table, table)} : {count:,}".replace(",", "\u202f")
        for table, count in counts.items()
    ]
    total = f"{sum(counts.values()):,}".replace(",", "\u202f")
    elapsed = f"{seconds:.1f}".replace(".", ",")
    return "\n".join(["Jeu de données généré :", *lines, f"{total} lignes en {elapsed} s."])
