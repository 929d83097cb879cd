"""Calendar arithmetic shared by the policies that count in months (custody, screenshots)."""

import calendar
from datetime import datetime


def add_months(moment: datetime, months: int) -> datetime:
    """The same wall-clock moment `months` calendar months later (negative: earlier), the day
    clamped to the target month's last day (31 January + 1 month → 28/29 February)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)
