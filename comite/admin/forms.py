"""Input shapes of the administration pages."""

from __future__ import annotations

from wtforms import EmailField, SearchField, SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from comite.auth.accounts import NO_ROLE
from comite.auth.queries import WAITING
from comite.auth.roles import Role
from comite.core.forms import CheckboxesField, GetForm, PostForm
from comite.core.slugs import SLUG_HINT, SLUG_PATTERN

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
EMAIL_MESSAGE = "Saisissez une adresse électronique valide, par exemple prenom.nom@exemple.gouv.fr."


def role_choices() -> list[SelectChoice]:
    return [SelectChoice(role.value, role.label) for role in Role]


class UserSearchForm(GetForm):
    """A GET form: bookmarkable, so no CSRF token."""

    q = SearchField(
        "Rechercher une personne",
        description="Une partie du nom ou de l'adresse électronique.",
        validators=[Optional(), Length(max=100, message="100 caractères au plus.")],
    )
    role = SelectField(
        "Rôle",
        choices=[
            SelectChoice("", "Tous les comptes"),
            SelectChoice(WAITING, "En attente d'un rôle"),
            *role_choices(),
        ],
        default="",
    )


def roles_field(message: str) -> CheckboxesField:
    return CheckboxesField(
        "Rôles dans Comité",
        description="Une personne peut avoir plusieurs rôles.",
        choices=role_choices(),
        validators=[InputRequired(message)],
    )


def selected_roles(field: CheckboxesField) -> set[Role]:
    return {Role(value) for value in field.data or []}


class RolesForm(PostForm):
    roles = roles_field(NO_ROLE)


class InviteUserForm(PostForm):
    email = EmailField(
        "Adresse électronique",
        description="Celle du compte ProConnect de la personne, "
        "par exemple prenom.nom@exemple.gouv.fr.",
        validators=[
            InputRequired("Saisissez l'adresse électronique de la personne."),
            Length(max=254, message="254 caractères au plus."),
            Regexp(EMAIL_PATTERN, message=EMAIL_MESSAGE),
        ],
        filters=[lambda value: value.strip() if value else value],
    )
    given_name = StringField(
        "Prénom",
        description="Facultatif : ProConnect le donnera à la première connexion.",
        validators=[Optional(), Length(max=120, message="120 caractères au plus.")],
    )
    usual_name = StringField(
        "Nom",
        description="Facultatif.",
        validators=[Optional(), Length(max=120, message="120 caractères au plus.")],
    )
    roles = roles_field("Choisissez au moins un rôle.")


class IncubatorForm(PostForm):
    name = StringField(
        "Nom",
        validators=[
            InputRequired("Saisissez le nom de l'incubateur."),
            Length(max=200, message="200 caractères au plus."),
        ],
        filters=[lambda value: value.strip() if value else value],
    )
    slug = StringField(
        "Adresse courte",
        description=SLUG_HINT + " Laissée vide, elle est tirée du nom.",
        validators=[
            Optional(),
            Length(max=80, message="80 caractères au plus."),
            Regexp(SLUG_PATTERN, message=SLUG_HINT),
        ],
        filters=[lambda value: value.strip() if value else value],
    )
