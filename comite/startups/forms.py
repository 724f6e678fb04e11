"""Input shapes of the startup pages."""

from __future__ import annotations

from wtforms import (
    DateField,
    EmailField,
    RadioField,
    SearchField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, Regexp

from comite.core.forms import GetForm, PlausibleDate, PostForm
from comite.core.slugs import SLUG_HINT, SLUG_PATTERN
from comite.startups.queries import SORTS
from comite.startups.workflow import MemberRole, Phase, StartupStatus


def _strip(value: str | None) -> str | None:
    return value.strip() if value else value


class StartupSearchForm(GetForm):
    """A GET form: bookmarkable, so no CSRF token."""

    q = SearchField(
        "Rechercher une startup",
        description="Une partie du nom, par exemple « aides ».",
        validators=[Optional(), Length(max=100, message="100 caractères au plus.")],
    )
    phase = SelectField(
        "Phase",
        choices=[SelectChoice("", "Toutes les phases")]
        + [SelectChoice(phase.value, phase.label) for phase in Phase],
        default="",
    )
    incubateur = SelectField("Incubateur", default="")
    tri = SelectField(
        "Trier par",
        choices=[SelectChoice(key, sort.label) for key, sort in SORTS.items()],
        default="nom",
    )

    def __init__(self, formdata, incubators, **kwargs):
        super().__init__(formdata, **kwargs)
        self.incubateur.choices = [SelectChoice("", "Tous les incubateurs")] + [
            SelectChoice(incubator.slug, incubator.name) for incubator in incubators
        ]
        if not self.tri.data:
            self.tri.data = "nom"


class StartupForm(PostForm):
    """What the secretariat writes about a startup; the incubators come from the database."""

    name = StringField(
        "Nom",
        validators=[
            InputRequired("Saisissez le nom de la startup."),
            Length(max=200, message="200 caractères au plus."),
        ],
        filters=[_strip],
    )
    slug = StringField(
        "Adresse courte",
        description=SLUG_HINT + " Laissée vide, elle est tirée du nom.",
        validators=[
            Optional(),
            Length(max=80, message="80 caractères au plus."),
            Regexp(SLUG_PATTERN, message=SLUG_HINT),
        ],
        filters=[_strip],
    )
    pitch = TextAreaField(
        "Présentation",
        description="En une ou deux phrases : le problème et pour qui.",
        validators=[Optional(), Length(max=2000, message="2 000 caractères au plus.")],
        filters=[_strip],
    )
    sponsoring_administration = StringField(
        "Administration porteuse",
        description="Par exemple « Ministère de l'Intérieur ».",
        validators=[Optional(), Length(max=200, message="200 caractères au plus.")],
        filters=[_strip],
    )
    incubator = SelectField("Incubateur", coerce=int)
    phase = SelectField(
        "Phase",
        choices=[SelectChoice(phase.value, phase.label) for phase in Phase],
        default=Phase.INVESTIGATION.value,
    )
    phase_started_on = DateField(
        "Début de la phase",
        description="Un changement de phase ajoute une étape au parcours de la startup.",
        validators=[InputRequired("Saisissez la date de début de la phase."), PlausibleDate()],
    )
    status = RadioField(
        "Statut",
        choices=[SelectChoice(status.value, status.label) for status in StartupStatus],
        default=StartupStatus.ACTIVE.value,
        validators=[InputRequired("Choisissez un statut.")],
    )

    def __init__(self, incubators, **kwargs):
        super().__init__(**kwargs)
        self.incubator.choices = [
            SelectChoice(incubator.id, incubator.name) for incubator in incubators
        ]


class MembershipForm(PostForm):
    email = EmailField(
        "Adresse électronique de la personne",
        description="La personne doit déjà avoir un compte dans Comité.",
        validators=[
            InputRequired("Saisissez l'adresse électronique de la personne."),
            Length(max=254, message="254 caractères au plus."),
        ],
        filters=[_strip],
    )
    role = SelectField(
        "Rôle dans la startup",
        choices=[SelectChoice(role.value, role.label) for role in MemberRole],
        default=MemberRole.TEAM.value,
    )
