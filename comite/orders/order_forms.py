"""Input shapes of the purchase order page."""

from __future__ import annotations

from wtforms import StringField, TextAreaField
from wtforms.validators import Length

from comite.core.forms import PostForm


class EngageForm(PostForm):
    legal_commitment = StringField(
        "Numéro d'engagement juridique (Chorus)",
        description="10 chiffres.",
        validators=[Length(max=20)],
    )


class CancelForm(PostForm):
    reason = TextAreaField(
        "Motif de l'annulation", validators=[Length(max=2000)], render_kw={"rows": 2}
    )
