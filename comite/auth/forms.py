"""Input shapes of the login pages."""

from wtforms import HiddenField, IntegerField
from wtforms.validators import InputRequired, NumberRange

from comite.core.forms import PostForm


class DevLoginForm(PostForm):
    # Each demo user's button submits its own id under this name.
    user_id = IntegerField(
        "Utilisateur",
        validators=[
            InputRequired("Choisissez un utilisateur."),
            NumberRange(1, 2**31 - 1, "Cet utilisateur n'existe pas."),
        ],
    )
    next = HiddenField()


class ProConnectLoginForm(PostForm):
    """The ProConnect button: only the page to come back to, and the CSRF token."""

    next = HiddenField()


class LogoutForm(PostForm):
    """Only the CSRF token: logging out is a POST."""
