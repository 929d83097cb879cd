"""Response-time report per channel and month: table, SVG chart, CSV (R3.1, R3.4)."""

from __future__ import annotations

import csv
from datetime import date

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.compliance.report import month_bounds
from kanalvakt.core.views_access import requires
from kanalvakt.dialog import reports
from kanalvakt.dialog.actions import VIEW
from kanalvakt.organisation import access

BAR_HEIGHT, BAR_GAP, LABEL_WIDTH, BAR_WIDTH = 22, 10, 260, 400


def _month(request) -> date:
    value = request.GET.get("manad", "")
    try:
        year, month = (int(p) for p in value.split("-"))
        return date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


def _chart(figs):
    """Bars of the share answered within target; the value is written on each bar and the
    bar is hatched, so the chart reads without colour."""
    bars = []
    for index, fig in enumerate(figs):
        share = fig.share_within_target or 0
        bars.append(
            {
                "y": index * (BAR_HEIGHT + BAR_GAP),
                "text_y": index * (BAR_HEIGHT + BAR_GAP) + BAR_HEIGHT - 6,
                "width": round(BAR_WIDTH * share / 100),
                "value_x": LABEL_WIDTH + round(BAR_WIDTH * share / 100) + 6,
                "label": fig.channel.display_name,
                "share": share,
            }
        )
    return {
        "bars": bars,
        "height": max(1, len(bars)) * (BAR_HEIGHT + BAR_GAP),
        "width": LABEL_WIDTH + BAR_WIDTH + 60,
        "label_width": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
        "target_x": LABEL_WIDTH + BAR_WIDTH * 9 // 10,
    }


@requires(VIEW)
def report(request):
    month = _month(request)
    start, end = month_bounds(month)
    figs = reports.figures(start, end, access.visible_channels(request.user, VIEW))
    headers = [_(h) for h in reports.HEADERS]
    table = reports.rows(figs)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="fragor-{month:%Y-%m}.csv"'
        writer = csv.writer(response)
        writer.writerow(headers)
        writer.writerows(table)
        return response
    return render(
        request,
        "dialog/report.html",
        {"month": month, "headers": headers, "table": table, "chart": _chart(figs)},
    )
