"""The history filters: a GET form whose values live in the URL, and the queryset they select."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from handoffs import channels
from handoffs.models import HandoffSession, Tenant
from settings_ui.history.search import search_q

ANY = [("", "All")]
DEFAULT_SUMMARY_DAYS = 14
# A year of weekly bars is the most a chart can show readably; longer ranges keep the last year.
MAX_SUMMARY_DAYS = 366
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


class DateInput(forms.DateInput):
    input_type = "date"


def plausible_date(value: date) -> None:
    if not EARLIEST <= value <= LATEST:
        raise forms.ValidationError(
            f"{value:%Y-%m-%d} is out of range: pick a date between {EARLIEST} and {LATEST}."
        )


class HistoryFilterForm(forms.Form):
    """Channel, status, date range, search text and (from the summary) an error code."""

    channel = forms.ChoiceField(choices=ANY + channels.choices(), required=False)
    status = forms.ChoiceField(choices=ANY + list(HandoffSession.Status.choices), required=False)
    date_from = forms.DateField(
        label="From", required=False, widget=DateInput, validators=[plausible_date]
    )
    date_to = forms.DateField(
        label="To", required=False, widget=DateInput, validators=[plausible_date]
    )
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"placeholder": "Session id, ticket number, email or phone", "type": "search"}
        ),
    )
    error = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            # Both dates are dropped, so the page still lists everything and says why.
            del cleaned["date_from"], cleaned["date_to"]
            self.add_error(
                None,
                f"“From” ({start:%Y-%m-%d}) is after “To” ({end:%Y-%m-%d}): swap the two dates.",
            )
        return cleaned

    def value(self, name: str) -> object:
        """A filter's valid value, or None: invalid fields are shown with errors and ignored."""
        self.is_valid()
        return self.cleaned_data.get(name) or None

    def summary_days(self) -> tuple[date, date]:
        """The dates the summary covers: the chosen range (its last year at most), else 14 days."""
        start, end = self.value("date_from"), self.value("date_to")
        end = end or max(timezone.now().date(), start or date.min)
        start = start or end - timedelta(days=DEFAULT_SUMMARY_DAYS - 1)
        return max(start, end - timedelta(days=MAX_SUMMARY_DAYS - 1)), end


def day_start(day: date) -> datetime:
    """Midnight UTC at the start of `day` (the service keeps and shows times in UTC)."""
    return datetime.combine(day, time.min, tzinfo=UTC)


def in_days(queryset: QuerySet, start: date | None, end: date | None) -> QuerySet:
    """Sessions received on the days from `start` to `end`, both included."""
    if start:
        queryset = queryset.filter(received_at__gte=day_start(start))
    if end:
        queryset = queryset.filter(received_at__lt=day_start(end + timedelta(days=1)))
    return queryset


def filtered_sessions(tenant: Tenant, form: HistoryFilterForm) -> QuerySet[HandoffSession]:
    """The tenant's sessions matching every valid filter (not yet ordered or paginated)."""
    sessions = HandoffSession.objects.filter(tenant=tenant)
    for field in ("channel", "status"):
        if form.value(field):
            sessions = sessions.filter(**{field: form.value(field)})
    if form.value("error"):
        sessions = sessions.filter(last_error_code=form.value("error"))
    if form.value("q"):
        sessions = sessions.filter(search_q(form.value("q")))
    return in_days(sessions, form.value("date_from"), form.value("date_to"))
