"""Input shapes of the secretariat's séance pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    StringField,
    TimeField,
    URLField,
    ValidationError,
)
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional

from comite.committee.services import MeetingDetails
from comite.committee.workflow import MEETING_TRANSITIONS, TieBreak
from comite.core.formatting import DISPLAY_TIMEZONE
from comite.core.forms import CheckboxesField, PostForm

PARIS = ZoneInfo(DISPLAY_TIMEZONE)

# Bounds that keep absurd input from overflowing: dates a séance can have, ids a row can have.
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2100, 12, 31)
MAX_ID = 2**31 - 1


def _user_id(value: str | None) -> int | None:
    """A user id as typed in the form, or None when it is not a possible id."""
    if value is None or not value.isdecimal():
        return None
    user_id = int(value)
    return user_id if 1 <= user_id <= MAX_ID else None


def _within_years(form, field) -> None:
    if field.data is not None and not FIRST_DAY <= field.data <= LAST_DAY:
        raise ValidationError("Saisissez une date entre 2000 et 2100.")


def _strip(value: str | None) -> str | None:
    return value.strip() if value else value


class MeetingForm(PostForm):
    title = StringField(
        "Titre",
        description="Par exemple « Comité d'investissement de novembre ».",
        validators=[
            DataRequired("Saisissez le titre de la séance."),
            Length(max=200, message="200 caractères au plus."),
        ],
        filters=[_strip],
    )
    day = DateField(
        "Date",
        description="Au format jj/mm/aaaa.",
        validators=[InputRequired("Saisissez la date de la séance."), _within_years],
    )
    time = TimeField(
        "Heure de début",
        description="Heure de Paris, par exemple 09:30.",
        validators=[InputRequired("Saisissez l'heure de début de la séance.")],
    )
    place = StringField(
        "Lieu",
        description="Facultatif : salle et adresse.",
        validators=[Optional(), Length(max=300, message="300 caractères au plus.")],
        filters=[_strip],
    )
    video_link = URLField(
        "Lien de visioconférence",
        description="Facultatif : une adresse complète, commençant par https://.",
        validators=[
            Optional(),
            Length(max=500, message="500 caractères au plus."),
            URL(
                schemes=("http", "https"),
                message="Saisissez une adresse web complète, commençant par https://.",
            ),
        ],
        filters=[_strip],
    )
    secret_ballot = BooleanField(
        "Vote à bulletin secret",
        description="Les choix de chacun ne figurent ni au journal ni au relevé de décisions.",
    )
    quorum = IntegerField(
        "Quorum (en %)",
        description="Plus de ce pourcentage des membres convoqués non déportés doivent voter.",
        default=50,
        validators=[
            InputRequired("Saisissez le quorum, en pourcentage."),
            NumberRange(min=1, max=99, message="Saisissez un pourcentage entre 1 et 99."),
        ],
    )
    tie_break = RadioField(
        "En cas d'égalité",
        choices=[SelectChoice(rule.value, rule.label) for rule in TieBreak],
        default=TieBreak.PRESIDENT.value,
        validators=[InputRequired("Choisissez la règle en cas d'égalité.")],
    )

    @classmethod
    def for_meeting(cls, meeting) -> MeetingForm:
        local = meeting.starts_at.astimezone(PARIS)
        return cls(
            data={
                "title": meeting.title,
                "day": local.date(),
                "time": local.time().replace(second=0, microsecond=0),
                "place": meeting.place,
                "video_link": meeting.video_link,
                "secret_ballot": meeting.secret_ballot,
                "quorum": int(meeting.quorum * 100),
                "tie_break": meeting.tie_break.value,
            }
        )

    def details(self) -> MeetingDetails:
        """The séance as the services take it: its start in aware UTC."""
        starts_at = dt.datetime.combine(self.day.data, self.time.data, tzinfo=PARIS)
        return MeetingDetails(
            title=self.title.data,
            starts_at=starts_at.astimezone(dt.UTC),
            place=self.place.data or "",
            video_link=self.video_link.data or "",
            secret_ballot=bool(self.secret_ballot.data),
            quorum=Decimal(self.quorum.data) / 100,
            tie_break=TieBreak(self.tie_break.data),
        )


class ConveneForm(PostForm):
    """Members and president by user id; the service says who may be convened."""

    members = CheckboxesField(
        "Membres convoqués",
        description="Les membres du comité appelés à voter lors de cette séance.",
        validate_choice=False,
    )
    president = RadioField(
        "Président de séance",
        description="L'un des membres convoqués ; il conduit la séance avec le secrétariat.",
        validate_choice=False,
        validators=[InputRequired("Désignez le président de séance.")],
    )

    def set_candidates(self, candidates) -> None:
        choices = [SelectChoice(str(user.id), user.full_name) for user in candidates]
        self.members.choices = choices
        self.president.choices = choices

    def member_ids(self) -> list[int] | None:
        """The ids ticked, each once, or None when one is not a possible id."""
        ids = []
        for value in self.members.data or []:
            user_id = _user_id(value)
            if user_id is None:
                return None
            ids.append(user_id)
        return list(dict.fromkeys(ids))

    def president_id(self) -> int | None:
        return _user_id(self.president.data)


class AgendaForm(PostForm):
    version_id = HiddenField(validators=[InputRequired()])


class TransitionForm(PostForm):
    verb = HiddenField(validators=[InputRequired()])

    def validate_verb(self, field) -> None:
        if field.data not in MEETING_TRANSITIONS:
            raise ValidationError("Action inconnue.")
