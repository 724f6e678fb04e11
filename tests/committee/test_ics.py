"""The séance's invitation: an iCalendar file read back with the library."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import icalendar

from comite.auth.roles import Role
from comite.committee.invitation import meeting_calendar


def test_the_calendar_is_one_event_in_utc_folded_and_escaped():
    meeting = SimpleNamespace(
        id=7,
        title="Comité de novembre, séance plénière",
        starts_at=dt.datetime(2026, 11, 26, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        place="Salle 101; 20 avenue de Ségur, Paris",
        video_link="https://webinaire.numerique.gouv.fr/comite-novembre",
    )
    body = meeting_calendar(
        meeting,
        uid_domain="comite.example.gouv.fr",
        url="https://comite.example.gouv.fr/seances/7",
        agenda=["Cantine Locale – Fiche produit, version 1", "Aides Faciles – Bilan, version 2"],
        now=dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC),
    )
    raw = body.decode()
    assert all(len(line.encode()) <= 75 for line in raw.split("\r\n"))
    assert "DTSTART:20261126T093000Z" in raw
    assert "LOCATION:Salle 101\\; 20 avenue de Ségur\\, Paris" in raw
    event = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
    assert event["UID"] == "seance-7@comite.example.gouv.fr"
    assert event.decoded("DTSTART") == dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.UTC)
    assert event.decoded("DURATION") == dt.timedelta(hours=2)
    assert str(event["SUMMARY"]) == meeting.title
    description = str(event["DESCRIPTION"])
    assert "Visioconférence : https://webinaire.numerique.gouv.fr/comite-novembre" in description
    assert "1. Cantine Locale – Fiche produit, version 1\n2. Aides Faciles" in description


def test_a_convened_member_downloads_the_invitation(client, login_as, seance):
    login_as(user=seance["members"][1])
    meeting = seance["meeting"]
    response = client.get(f"/seances/{meeting.id}/invitation.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert (
        response.headers["Content-Disposition"] == f'attachment; filename="seance-{meeting.id}.ics"'
    )
    calendar = icalendar.Calendar.from_ical(response.data)
    event = calendar.walk("VEVENT")[0]
    assert event.decoded("DTSTART") == dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.UTC)
    assert str(event["LOCATION"]) == "Salle 101"
    assert "Cantine Locale" in str(event["DESCRIPTION"])
    assert str(event["URL"]).endswith(f"/seances/{meeting.id}")


def test_the_secretariat_downloads_it_and_others_get_a_french_403(client, login_as, seance):
    url = f"/seances/{seance['meeting'].id}/invitation.ics"
    login_as(user=seance["admin"])
    assert client.get(url).status_code == 200
    login_as(Role.MEMBER)
    response = client.get(url)
    assert response.status_code == 403
    assert "Cette séance est réservée aux membres qui y sont convoqués." in response.text
