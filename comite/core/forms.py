"""Base forms: WTForms' own messages in French, CSRF on every POST form."""

from flask_wtf import FlaskForm
from wtforms import Form

FRENCH = ("fr_FR", "fr")


class PostForm(FlaskForm):
    """A form that changes something: CSRF-protected, messages in French."""

    class Meta:
        locales = FRENCH


class GetForm(Form):
    """A bookmarkable GET form (search, filters): no CSRF token, messages in French."""

    class Meta:
        locales = FRENCH
