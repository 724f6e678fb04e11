"""A séance as an iCalendar invitation (RFC 5545), for the members' calendars."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from icalendar import Calendar, Event

from comite.committee.models import Meeting

DURATION = dt.timedelta(hours=2)
PRODUCT_ID = "-//Comité//Séances du comité d'investissement//FR"


def meeting_calendar(
    meeting: Meeting,
    *,
    uid_domain: str,
    url: str,
    agenda: Sequence[str],
    now: dt.datetime,
) -> bytes:
    """One event, in UTC, lasting two hours; the library folds lines and escapes text.
    `agenda` lists the items the person may read (empty while unpublished)."""
    lines = []
    if meeting.video_link:
        lines.append(f"Visioconférence : {meeting.video_link}")
    if agenda:
        lines.append("Ordre du jour :")
        lines.extend(f"{position}. {entry}" for position, entry in enumerate(agenda, start=1))
    else:
        lines.append("Ordre du jour : à paraître.")
    lines.append(f"Séance dans Comité : {url}")

    event = Event()
    event.add("uid", f"seance-{meeting.id}@{uid_domain}")
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(dt.UTC))
    event.add("duration", DURATION)
    event.add("summary", meeting.title)
    if meeting.place:
        event.add("location", meeting.place)
    event.add("description", "\n".join(lines))
    event.add("url", url)

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add_component(event)
    return calendar.to_ical()
