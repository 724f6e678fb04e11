"""Base forms: WTForms' own messages in French, CSRF on every POST form."""

import datetime as dt

from flask_wtf import FlaskForm
from wtforms import DateField, FieldList, Form, FormField, SelectMultipleField, ValidationError
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from comite.core.errors import DomainError
from comite.extensions import db

FRENCH = ("fr_FR", "fr")


def without_nul(value):
    """NUL characters mean nothing in text, and PostgreSQL refuses them: they go."""
    return value.replace("\x00", "") if isinstance(value, str) else value


class ComiteMeta:
    """French messages, and every field's text rid of NUL characters."""

    locales = FRENCH

    def bind_field(self, form, unbound_field, options):
        # Lists and sub-forms take no filters: their own fields get it.
        if not issubclass(unbound_field.field_class, FieldList | FormField):
            options["filters"] = [without_nul, *unbound_field.kwargs.get("filters", ())]
        return unbound_field.bind(form=form, **options)


class PostForm(FlaskForm):
    """A form that changes something: CSRF-protected, messages in French."""

    class Meta(ComiteMeta):
        pass


class GetForm(Form):
    """A bookmarkable GET form (search, filters): no CSRF token, messages in French."""

    class Meta(ComiteMeta):
        pass


class ButtonForm(PostForm):
    """Only the CSRF token: a button that changes something (deactivate, remove…)."""


class CheckboxesField(SelectMultipleField):
    """Several choices as DSFR checkboxes in a fieldset (rendered by dsfr_field)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def refuse_in_form(form: Form, error: DomainError) -> None:
    """A refusal undoes what the request did and shows next to its field (or, without
    one, in the error summary)."""
    db.session.rollback()
    field = getattr(form, error.field, None) if error.field else None
    if field is None:
        form.form_errors.append(error.message)
    else:
        field.errors = [*field.errors, error.message]


class PlausibleDate:
    """A calendar day between 2000 and 2100: anything else is a typing mistake."""

    def __call__(self, form: Form, field) -> None:
        if field.data is not None and not (
            dt.date(2000, 1, 1) <= field.data <= dt.date(2100, 12, 31)
        ):
            raise ValidationError("Saisissez une date entre 2000 et 2100.")


class PeriodForm(GetForm):
    start = DateField("Du", validators=[Optional(), PlausibleDate()])
    end = DateField("Au", validators=[Optional(), PlausibleDate()])

    def validate_end(self, field) -> None:
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError("La date de fin doit suivre la date de début.")

    def filters(self) -> dict[str, str | None]:
        return {
            "start": self.start.data.isoformat() if self.start.data else None,
            "end": self.end.data.isoformat() if self.end.data else None,
        }
