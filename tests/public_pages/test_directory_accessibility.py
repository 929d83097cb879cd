"""The directory page passes axe-core (WCAG 2.1 AA) in a real browser, with many channels."""

import pytest

from factories import OrgUnitFactory
from kanalvakt.organisation.models import OrgUnit
from kanalvakt.registry.models import Channel, LinkedChannel, Platform
from registry.helpers import make_channel

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLATFORMS = ["facebook", "instagram", "youtube", "linkedin", "x", "tiktok"]


@pytest.fixture
def many_channels():
    administrations = [OrgUnitFactory(name=f"Förvaltning {n}") for n in range(4)]
    units = administrations + [
        OrgUnitFactory(
            name=f"Verksamhet {n}", kind=OrgUnit.Kind.ACTIVITY, parent=administrations[n % 4]
        )
        for n in range(3)
    ]
    for index in range(24):
        make_channel(
            org_unit=units[index % len(units)],
            platform=PLATFORMS[index % len(PLATFORMS)],
            handle=f"osby_konto_{index}",
            display_name=f"Osby konto {index}",
        )
    make_channel(Channel.Status.CLOSED, display_name="Stängt konto")
    for party in ("Partiet A", "Partiet B"):
        LinkedChannel.objects.create(
            platform=Platform.objects.get(key="facebook"),
            url=f"https://www.facebook.com/{party.replace(' ', '').lower()}",
            title=f"{party} i Osby",
            owner=party,
        )


@pytest.mark.req("R6.1", "R2.5")
def test_directory_page_has_no_axe_violations(live_server, page, axe_check, many_channels):
    page.goto(live_server.url + "/kanaler/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Officiella konton i sociala medier"
    )
    assert page.locator(".kanalvakt-unit a").count() == 24
    linked = page.get_by_role(
        "region", name="Politiska partiers och förtroendevaldas egna kanaler – inte kommunens"
    )
    assert linked.get_by_role("link").count() == 2
    assert axe_check(page) == []


def test_empty_directory_page_has_no_axe_violations(live_server, page, axe_check):
    page.goto(live_server.url + "/kanaler/")
    assert axe_check(page) == []
