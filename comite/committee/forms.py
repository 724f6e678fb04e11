"""Input shapes of the members' séance pages."""

from __future__ import annotations

from wtforms import IntegerField, RadioField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from comite.committee.workflow import Choice
from comite.core.forms import PostForm

TEXT_LIMIT = 4000


class VoteForm(PostForm):
    # Whose vote: the member's own, or the one of the member whose proxy they hold.
    voter = IntegerField(validators=[InputRequired()])
    choice = RadioField(
        "Votre vote",
        choices=[SelectChoice(choice.value, choice.label) for choice in Choice],
        validators=[InputRequired("Choisissez continuer, arrêter ou abstention.")],
    )
    comment = TextAreaField(
        "Commentaire (facultatif)",
        validators=[Length(max=2000, message="2 000 caractères au plus.")],
        render_kw={"rows": 2},
    )


class RecusalForm(PostForm):
    reason = TextAreaField(
        "Raison du conflit d'intérêts",
        description="Par exemple : ancien employeur de l'intrapreneur.",
        validators=[
            DataRequired("Indiquez la raison du conflit d'intérêts."),
            Length(max=TEXT_LIMIT, message="La raison tient en 4 000 caractères au plus."),
        ],
        render_kw={"rows": 2},
    )


class ProxyForm(PostForm):
    holder = SelectField(
        "Membre qui portera votre pouvoir",
        validate_choice=True,
        validators=[DataRequired("Choisissez le membre qui portera votre pouvoir.")],
    )


class QuestionForm(PostForm):
    text = TextAreaField(
        "Votre question à l'équipe",
        validators=[DataRequired(), Length(max=TEXT_LIMIT)],
        render_kw={"rows": 3},
    )


class AnswerForm(PostForm):
    text = TextAreaField(
        "Réponse de l'équipe",
        validators=[DataRequired(), Length(max=TEXT_LIMIT)],
        render_kw={"rows": 3},
    )
