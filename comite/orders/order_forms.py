"""Input shapes of the purchase order page."""

from __future__ import annotations

from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from comite.core.forms import PlausibleDate, PostForm
from comite.dossiers.forms import FrenchDecimalField
from comite.orders.forms import text_field


class OrderDetailsForm(PostForm):
    beneficiary_administration = text_field("Administration bénéficiaire", 200, None)
    beneficiary_service = text_field(
        "Service bénéficiaire", 200, None, "La direction ou le bureau qui porte la startup."
    )
    financial_centre = text_field(
        "Centre financier", 40, None, "Imputation Chorus, par exemple 0216-CDBR-DNUM."
    )
    functional_domain = text_field("Domaine fonctionnel", 40, None, "Par exemple 0216-05.")
    activity = text_field("Activité", 40, None, "Code d'activité Chorus, 12 chiffres.")


class ConsumptionForm(PostForm):
    line = SelectField("Ligne", coerce=int, validators=[InputRequired("Choisissez la ligne.")])
    days = FrenchDecimalField(
        "Jours réalisés",
        description="Négatif pour corriger une déclaration (motif obligatoire).",
        validators=[InputRequired("Indiquez le nombre de jours.")],
    )
    period_end = DateField(
        "Fin de la période déclarée",
        validators=[InputRequired("Indiquez la fin de la période."), PlausibleDate()],
    )
    comment = TextAreaField(
        "Commentaire",
        validators=[Length(max=2000, message="2000 caractères au plus.")],
        render_kw={"rows": 2},
    )


class EngageForm(PostForm):
    legal_commitment = StringField(
        "Numéro d'engagement juridique (Chorus)",
        description="10 chiffres.",
        validators=[Length(max=20)],
    )


class CancelForm(PostForm):
    reason = TextAreaField(
        "Motif de l'annulation",
        validators=[Length(max=2000, message="Le motif tient en 2 000 caractères au plus.")],
        render_kw={"rows": 2},
    )
