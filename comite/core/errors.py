"""Domain errors, and the French error pages for what HTTP refuses."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    """A rule refused an action; the message is French and meant for the user."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def flush_or_refuse(session: Session, message: str, field: str) -> None:
    """Flush in a SAVEPOINT: a unique constraint another request won becomes a field error."""
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as error:
        raise DomainError(message, field=field) from error


ERROR_TITLES = {
    400: "Requête incorrecte",
    403: "Accès refusé",
    404: "Page non trouvée",
    405: "Action non autorisée",
    410: "Plus disponible",
    413: "Fichier trop volumineux",
    422: "Données incorrectes",
    429: "Trop de requêtes",
    500: "Erreur inattendue",
}

ERROR_TEXTS = {
    400: "La requête envoyée n'a pas pu être comprise.",
    403: "Vous n'avez pas les droits nécessaires pour accéder à cette page.",
    404: "La page que vous cherchez est introuvable. Excusez-nous pour la gêne occasionnée.",
    405: "Cette action n'est pas possible à cette adresse.",
    410: "Cette ressource a existé mais n'est plus disponible.",
    413: "Le fichier envoyé dépasse la taille autorisée.",
    422: "Les données envoyées ne sont pas valides.",
    429: "Vous avez envoyé trop de requêtes. Réessayez dans quelques instants.",
    500: "Le service a rencontré un problème. Réessayez plus tard ; "
    "si le problème persiste, contactez le secrétariat du comité.",
}

CSRF_TEXT = (
    "Le formulaire a expiré ou ne provient pas de Comité. Rechargez la page "
    "et envoyez-le de nouveau."
)


def _render_error(code: int, detail: str | None = None):
    title = ERROR_TITLES.get(code, "Erreur")
    text = detail or ERROR_TEXTS.get(code, ERROR_TEXTS[500])
    return render_template("errors/error.html", code=code, title=title, text=text), code


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        if request.method != "POST" or not request.form:
            return _render_error(400, CSRF_TEXT)
        # Nothing typed is lost: the page shows it and sends it again, with a fresh token,
        # once the person has checked it (files cannot be kept by a browser).
        typed = [
            (name, value)
            for name, values in request.form.lists()
            if name != "csrf_token"
            for value in values
        ]
        page = render_template(
            "errors/csrf.html",
            typed=typed,
            shown=[value for _, value in typed if value.strip()],
            action=request.full_path if request.query_string else request.path,
            had_files=bool(request.files),
        )
        return page, 400

    @app.errorhandler(RateLimitExceeded)
    def too_many_requests(error: RateLimitExceeded):
        if request.headers.get("HX-Request"):
            # Above the panel the request targets, which stays as it was.
            fragment = render_template("errors/_too_many_requests.html", text=ERROR_TEXTS[429])
            response = app.make_response((fragment, 429))
            response.headers["HX-Reswap"] = "beforebegin"
        else:
            response = app.make_response(_render_error(429))
        # The limit's window: the longest wait before the next request is accepted.
        response.headers["Retry-After"] = str(error.limit.limit.get_expiry())
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        # Werkzeug's own English descriptions stay out of a French page.
        custom = error.description if error.description != type(error).description else None
        response_body, status = _render_error(code, custom)
        response = app.make_response((response_body, status))
        if error.code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(500)
    def internal_error(error: Exception):
        from comite.extensions import db

        db.session.rollback()
        return _render_error(500)
