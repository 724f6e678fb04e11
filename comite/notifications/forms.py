from __future__ import annotations

from comite.core.forms import CheckboxesField, PostForm
from comite.notifications.models import Notification


class PreferencesForm(PostForm):
    notifications = CheckboxesField(
        "Je reçois un courriel",
        description="Décochez ce que vous ne voulez plus recevoir.",
        choices=[],
    )

    def offer(self, kinds: list[Notification]) -> PreferencesForm:
        self.notifications.choices = [(kind.value, kind.label) for kind in kinds]
        return self

    @property
    def wanted(self) -> set[Notification]:
        return {Notification(value) for value in self.notifications.data or []}
