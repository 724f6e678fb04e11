"""Input shapes of the dossier pages. A draft accepts anything within the bounds below;
what a submission requires is checked by comite.dossiers.rules."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from wtforms import (
    DateField,
    FieldList,
    FileField,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, InputRequired, Length, Optional

from comite.core.forms import ComiteMeta, PlausibleDate, PostForm
from comite.dossiers.content import (
    MAX_ROWS,
    RISK_LEVELS,
    BudgetLine,
    ImpactReviewContent,
    Indicator,
    IndicatorReport,
    ProductSheetContent,
    Risk,
)
from comite.startups.workflow import Phase

LONG_TEXT = 5000


def long_text(label: str, description: str = "") -> TextAreaField:
    return TextAreaField(
        label,
        description=description,
        validators=[Length(max=LONG_TEXT, message=f"{LONG_TEXT} caractères au plus.")],
        render_kw={"rows": 5},
    )


def short_text(label: str, size: int, description: str = "") -> StringField:
    return StringField(
        label,
        description=description,
        validators=[Length(max=size, message=f"{size} caractères au plus.")],
    )


MAX_NUMBER = Decimal("999999.99")


class FrenchDecimalField(StringField):
    """A number typed the French way (2,5 or 2.5, spaces allowed), read as a Decimal."""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        self.raw_text = text
        self.data = None
        if not text:
            return
        cleaned = text.replace("\u202f", "").replace("\xa0", "").replace(" ", "")
        try:
            value = Decimal(cleaned.replace(",", "."))
        except InvalidOperation:
            raise ValueError("Saisissez un nombre, par exemple 2,5.") from None
        if not value.is_finite():
            raise ValueError("Saisissez un nombre, par exemple 2,5.")
        # Compared by magnitude first: an absurd exponent would overflow any arithmetic.
        if value.adjusted() > MAX_NUMBER.adjusted() or abs(value) > MAX_NUMBER:
            raise ValueError("Ce nombre est trop grand (999 999,99 au plus).")
        if value.as_tuple().exponent < -2 and value != value.quantize(Decimal("0.01")):
            raise ValueError("Deux décimales au plus (par exemple 2,5).")
        self.data = value

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else format(self.data, "f").replace(".", ",")


class RowForm(Form):
    class Meta(ComiteMeta):
        pass


class IndicatorForm(RowForm):
    name = short_text("Indicateur", 200)
    unit = short_text("Unité", 50, "Par exemple : démarches par mois, %.")
    baseline = short_text("Valeur de départ", 100)
    target = short_text("Cible", 100)
    measurement = short_text("Mode de mesure", 500)


class BudgetLineForm(RowForm):
    work_unit_code = SelectField("Unité d'œuvre", default="")
    quantity = FrenchDecimalField(
        "Quantité (UO)", description="1 UO = un profil à temps plein pendant un mois (20 jours)."
    )
    period_start = DateField("Début", validators=[Optional(), PlausibleDate()])
    period_end = DateField("Fin", validators=[Optional(), PlausibleDate()])


class IndicatorReportForm(RowForm):
    name = short_text("Indicateur", 200)
    target = short_text("Cible", 100)
    actual = short_text("Réalisé", 100)
    source_url = URLField(
        "Source",
        description="Lien vers la mesure, par exemple la page /stats de la startup.",
        validators=[Optional(), URL(message="Saisissez une adresse web complète (https://…).")],
    )


class RiskForm(RowForm):
    description = short_text("Risque", 500)
    level = SelectField(
        "Niveau",
        choices=[SelectChoice("", "Choisir")]
        + [SelectChoice(code, label) for code, label in RISK_LEVELS.items()],
        default="",
    )


class DraftForm(PostForm):
    """Fields shared by both kinds: the revision the page was loaded at."""

    revision = HiddenField()

    def revision_number(self) -> int:
        try:
            return int(self.revision.data or 0)
        except ValueError:
            return 0


class ProductSheetForm(DraftForm):
    problem = long_text("Problème à résoudre", "Quel problème, pour qui, avec quelles preuves ?")
    users = long_text("Usagers concernés")
    solution = long_text("Solution et nature du produit")
    success_conditions = long_text("Conditions de succès")
    indicators = FieldList(FormField(IndicatorForm), max_entries=MAX_ROWS)
    organisation = long_text("Modalités d'organisation")
    actors = long_text("Acteurs associés", "Administration porteuse, partenaires.")
    skills = long_text("Compétences à mobiliser")
    requested_phase = SelectField(
        "Phase demandée",
        choices=[SelectChoice("", "Choisir une phase")]
        + [SelectChoice(phase.value, phase.label) for phase in Phase],
        default="",
    )
    budget_lines = FieldList(FormField(BudgetLineForm), max_entries=MAX_ROWS)

    def to_content(self) -> ProductSheetContent:
        return ProductSheetContent(
            problem=self.problem.data or "",
            users=self.users.data or "",
            solution=self.solution.data or "",
            success_conditions=self.success_conditions.data or "",
            indicators=[Indicator(**_row(entry)) for entry in self.indicators],
            organisation=self.organisation.data or "",
            actors=self.actors.data or "",
            skills=self.skills.data or "",
            requested_phase=self.requested_phase.data or "",
            budget_lines=[BudgetLine(**_row(entry)) for entry in self.budget_lines],
        )


class ImpactReviewForm(DraftForm):
    period_start = DateField("Début de la période", validators=[Optional(), PlausibleDate()])
    period_end = DateField("Fin de la période", validators=[Optional(), PlausibleDate()])
    indicator_reports = FieldList(FormField(IndicatorReportForm), max_entries=MAX_ROWS)
    achievements = long_text("Ce qui a été réalisé")
    learnings = long_text("Ce qui a été appris")
    risks = FieldList(FormField(RiskForm), max_entries=MAX_ROWS)
    next_objectives = long_text("Objectifs de la période suivante")
    budget_lines = FieldList(FormField(BudgetLineForm), max_entries=MAX_ROWS)

    def to_content(self) -> ImpactReviewContent:
        return ImpactReviewContent(
            period_start=self.period_start.data,
            period_end=self.period_end.data,
            indicator_reports=[IndicatorReport(**_row(e)) for e in self.indicator_reports],
            achievements=self.achievements.data or "",
            learnings=self.learnings.data or "",
            risks=[Risk(**_row(entry)) for entry in self.risks],
            next_objectives=self.next_objectives.data or "",
            budget_lines=[BudgetLine(**_row(entry)) for entry in self.budget_lines],
        )


def _row(entry) -> dict:
    return {
        name: (value if value is not None else "") if name not in _TYPED else value
        for name, value in entry.form.data.items()
    }


# Row fields whose empty value is None rather than "".
_TYPED = {"quantity", "period_start", "period_end"}


class ReturnForm(PostForm):
    comment = TextAreaField(
        "Ce que l'équipe doit compléter",
        validators=[
            InputRequired("Dites à l'équipe ce qu'il faut compléter."),
            Length(max=LONG_TEXT, message=f"{LONG_TEXT} caractères au plus."),
        ],
        render_kw={"rows": 4},
    )


class AttachmentForm(PostForm):
    file = FileField(
        "Pièce jointe", description="PDF, ODP, ODT, ODS, PPTX, DOCX, XLSX, PNG ou JPEG."
    )


class CreateDossierForm(PostForm):
    kind = HiddenField()


class VersionForm(PostForm):
    """A POST button about one version (submit, new version)."""

    version = IntegerField(validators=[Optional()])
