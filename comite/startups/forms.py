"""Input shapes of the startup pages."""

from __future__ import annotations

from wtforms import SearchField, SelectChoice, SelectField
from wtforms.validators import Length, Optional

from comite.core.forms import GetForm
from comite.startups.queries import SORTS
from comite.startups.workflow import Phase


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
