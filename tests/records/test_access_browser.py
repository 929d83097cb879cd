"""An access request driven in Chromium from the public form to a delivered, masked PDF,
with axe-core on every page; the PDF's text layer is read back with pdftotext."""

import pytest
from playwright.sync_api import expect

from kanalvakt.organisation.roles import Role
from kanalvakt.records.access_models import AccessRequest
from pdf_text import pdf_text
from records.test_access_requests import make_items

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.req("R7.3")
@pytest.mark.req("R7.6")
def test_request_from_the_public_form_to_a_masked_pdf(
    live_server, page, axe_check, log_in, make_user, tmp_path
):
    masked_item, released_item, _school = make_items()
    registrar = make_user(Role.REGISTRAR)

    # The requester: no login, no identity.
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Begär ut allmänna handlingar").click()
    expect(page.get_by_role("heading", name="Begär ut allmänna handlingar")).to_be_visible()
    assert axe_check(page) == []
    page.get_by_label("Vad vill du ta del av?").fill("Kommentarer om bostad och biblioteket")
    page.get_by_role("button", name="Skicka begäran").click()
    expect(page.get_by_role("heading", name="Din begäran har kommit in")).to_be_visible()
    assert axe_check(page) == []
    request = AccessRequest.objects.get()
    expect(page.locator(".reference")).to_have_text(request.reference)

    # The registrar: finds it in the list, selects items, masks a snippet, delivers.
    log_in(registrar)
    page.goto(f"{live_server.url}/intern/")
    menu = page.get_by_role("navigation", name="Huvudmeny")
    menu.get_by_role("link", name="Begäran om handlingar").click()
    assert axe_check(page) == []
    page.get_by_role("link", name="Registrera en begäran").click()
    assert axe_check(page) == []  # the staff intake form
    page.go_back()
    page.get_by_role("link", name=request.reference).click()
    page.get_by_label("Sökord").fill("bostad")
    page.get_by_role("button", name="Sök", exact=True).click()
    page.get_by_label("Hej! Kalle Svensson", exact=False).check()
    page.get_by_role("button", name="Lägg till de valda inläggen").click()
    page.get_by_label("Sökord").fill("biblioteket")
    page.get_by_role("button", name="Sök", exact=True).click()
    page.get_by_label("Biblioteket har öppet", exact=False).check()
    page.get_by_role("button", name="Lägg till de valda inläggen").click()
    assert axe_check(page) == []
    masked_row = request.items.get(item=masked_item)
    released_row = request.items.get(item=released_item)
    page.locator(f"#snippets-{masked_row.pk}").fill("Kalle Svensson\nStorgatan 5")
    page.locator(f"#mask-{masked_row.pk}-provision").select_option("OSL 26 kap. 1 §")
    page.locator(f"form[action$='/post/{masked_row.pk}/maskera/']").get_by_role(
        "button", name="Maskera i en kopia"
    ).click()
    expect(page.get_by_text("Texten maskerades i en kopia")).to_be_visible()
    released_form = page.locator(f"form[action$='/post/{released_row.pk}/prova/']")
    released_form.get_by_label("Lämna ut", exact=True).check()
    released_form.get_by_role("button", name="Spara prövningen").click()
    page.get_by_role("button", name="Gör leveransen").click()
    expect(page.get_by_text("Leveransen är klar.")).to_be_visible()
    assert axe_check(page) == []
    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF").click()
    pdf_path = tmp_path / "leverans.pdf"
    download_info.value.save_as(pdf_path)

    text = " ".join(pdf_text(pdf_path.read_bytes()).split())
    assert "Biblioteket har öppet till klockan 19 på torsdagar." in text
    assert "behöver hjälp med bostad" in text
    assert "[maskerat – OSL 26 kap. 1 §]" in text
    assert "Kalle" not in text and "Svensson" not in text and "Storgatan" not in text
    assert pdf_path.read_bytes().find(b"Kalle") == -1
