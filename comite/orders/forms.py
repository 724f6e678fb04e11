"""Input shapes of the catalogue pages: contracts, unit prices, UO types."""

from __future__ import annotations

from decimal import Decimal

from wtforms import DateField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from comite.core.forms import PlausibleDate, PostForm
from comite.dossiers.forms import FrenchDecimalField


def _strip(value):
    return value.strip() if value else value


def text_field(label: str, size: int, required: str | None, description: str = "") -> StringField:
    return StringField(
        label,
        description=description,
        validators=[
            InputRequired(required) if required else Optional(),
            Length(max=size, message=f"{size} caractères au plus."),
        ],
        filters=[_strip],
    )


class ContractForm(PostForm):
    reference = text_field(
        "Référence du marché", 64, "Saisissez la référence du marché.", "Par exemple 2026-DSAF-01."
    )
    title = text_field("Intitulé", 300, "Saisissez l'intitulé du marché.")
    holder_name = text_field("Titulaire", 200, "Saisissez le nom du titulaire.")
    holder_siret = text_field(
        "SIRET du titulaire",
        20,
        "Saisissez le numéro SIRET du titulaire.",
        "14 chiffres, les espaces sont acceptés.",
    )
    starts_on = DateField(
        "Début du marché",
        validators=[InputRequired("Saisissez la date de début du marché."), PlausibleDate()],
    )
    ends_on = DateField(
        "Fin du marché",
        validators=[InputRequired("Saisissez la date de fin du marché."), PlausibleDate()],
    )
    vat_rate_percent = FrenchDecimalField(
        "Taux de TVA (%)",
        description="Par exemple 20 ou 5,5.",
        validators=[InputRequired("Saisissez le taux de TVA.")],
        default=Decimal(20),
    )


class PriceForm(PostForm):
    work_unit_type = SelectField(
        "Type d'UO",
        coerce=int,
        validators=[InputRequired("Choisissez un type d'UO.")],
    )
    price_ht = FrenchDecimalField(
        "Prix unitaire HT (€)",
        description="Le prix d'une UO hors taxes, par exemple 12 500,50.",
        validators=[InputRequired("Saisissez le prix unitaire HT.")],
    )
    valid_from = DateField(
        "Applicable à partir du",
        description="Le prix en vigueur jusque-là s'arrêtera la veille.",
        validators=[
            InputRequired("Saisissez la date à partir de laquelle le prix s'applique."),
            PlausibleDate(),
        ],
    )


class WorkUnitTypeForm(PostForm):
    code = text_field(
        "Code",
        32,
        "Saisissez le code du type d'UO.",
        "Lettres majuscules, chiffres et tirets, par exemple DEVOPS-SENIOR. "
        "Il ne pourra plus changer.",
    )
    label = text_field("Libellé", 120, "Saisissez le libellé du type d'UO.")
    profile = text_field("Profil", 200, None, "Facultatif : l'expérience attendue, le rôle.")


class RenameWorkUnitTypeForm(PostForm):
    label = text_field("Libellé", 120, "Saisissez le libellé du type d'UO.")
    profile = text_field("Profil", 200, None, "Facultatif : l'expérience attendue, le rôle.")
