from django import template
from django.utils.translation import gettext_lazy as _

from missions.models import Mission

register = template.Library()


@register.simple_tag
def mission_statuses() -> list[tuple[str, str]]:
    """The statuses the timelines tell apart by shape, for their legends."""
    Status = Mission.Status
    return [
        (Status.COMPLETED, Status.COMPLETED.label),
        (Status.OPERATING, Status.OPERATING.label),
        (Status.PLANNED, _("Planned or in development")),
        (Status.FAILED, Status.FAILED.label),
    ]
