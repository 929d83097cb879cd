"""The public directory of official accounts (R6.1, R1.2) with linked party channels kept
apart (R2.5): page, JSON and embeddable fragment; caching that never goes stale."""

import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from factories import OrgUnitFactory
from kanalvakt.organisation.models import OrgUnit
from kanalvakt.public import directory
from kanalvakt.registry import workflow
from kanalvakt.registry.models import Channel, LinkedChannel, Platform
from registry.helpers import make_channel

pytestmark = pytest.mark.django_db

PAGE = reverse("public:directory")
JSON = reverse("public:directory_json")
EMBED = reverse("public:directory_embed")
LINKED_LABEL = "Politiska partiers och förtroendevaldas egna kanaler – inte kommunens"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def listing():
    """Two administrations (one with an activity), channels in every status."""
    culture = OrgUnitFactory(name="Kultur- och fritidsförvaltningen")
    library = OrgUnitFactory(name="Biblioteket", kind=OrgUnit.Kind.ACTIVITY, parent=culture)
    school = OrgUnitFactory(name="Barn- och skolförvaltningen")
    channels = {
        "library_ig": make_channel(
            org_unit=library, handle="osbybibliotek", display_name="Osby bibliotek"
        ),
        "library_fb": make_channel(
            org_unit=library,
            platform="facebook",
            handle="osbybibliotek",
            display_name="Osby bibliotek",
        ),
        "culture_yt": make_channel(
            org_unit=culture, platform="youtube", handle="kulturosby", display_name="Kultur i Osby"
        ),
        "school_ig": make_channel(
            org_unit=school, handle="osbyskolor", display_name="Osbys skolor"
        ),
        "paused": make_channel(
            Channel.Status.PAUSED, org_unit=school, handle="pausad", display_name="Pausat konto"
        ),
        "closed": make_channel(
            Channel.Status.CLOSED, org_unit=school, handle="stangd", display_name="Stängt konto"
        ),
        "requested": make_channel(
            Channel.Status.REQUESTED, org_unit=school, handle="begard", display_name="Begärt konto"
        ),
        "approved": make_channel(
            Channel.Status.APPROVED, org_unit=school, handle="godkand", display_name="Godkänt konto"
        ),
    }
    LinkedChannel.objects.create(
        platform=Platform.objects.get(key="facebook"),
        url="https://www.facebook.com/partiet.osby",
        title="Partiet i Osby",
        owner="Partiet, Osbyavdelningen",
    )
    LinkedChannel.objects.create(
        platform=Platform.objects.get(key="x"),
        url="https://x.com/dolt_parti",
        title="Dolt parti",
        owner="Dolda partiet",
        listed=False,
    )
    return channels


def names_in(text: str, channels: dict) -> set[str]:
    return {key for key, channel in channels.items() if channel.url in text}


@pytest.mark.req("R6.1")
def test_page_lists_only_active_official_channels(client, listing):
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert names_in(html, listing) == {"library_ig", "library_fb", "culture_yt", "school_ig"}
    for hidden in ("Pausat konto", "Stängt konto", "Begärt konto", "Godkänt konto"):
        assert hidden not in html


@pytest.mark.req("R6.1")
def test_page_groups_by_org_unit_then_platform(client, listing):
    html = client.get(PAGE).content.decode()
    # Administrations alphabetically, an activity right after its administration.
    order = [
        "<h2>Barn- och skolförvaltningen</h2>",
        "<h2>Kultur- och fritidsförvaltningen</h2>",
        "<h2>Biblioteket (Kultur- och fritidsförvaltningen)</h2>",
    ]
    positions = [html.index(heading) for heading in order]
    assert positions == sorted(positions)
    library = html[positions[2] :]
    # Platforms in the platform list's order (Facebook before Instagram), as h3.
    assert library.index("<h3>Facebook</h3>") < library.index("<h3>Instagram</h3>")
    assert html.count("<h3>YouTube</h3>") == 1


@pytest.mark.req("R2.5")
def test_linked_party_channels_are_separate_and_labelled(client, listing):
    html = client.get(PAGE).content.decode()
    label_at = html.index(LINKED_LABEL)
    assert 'class="kanalvakt-linked"' in html
    assert html.index("https://www.facebook.com/partiet.osby") > label_at
    # Every official channel comes before the separate section, never inside it.
    assert all(
        html.index(c.url) < label_at
        for k, c in listing.items()
        if c.status == Channel.Status.ACTIVE
    )
    assert "dolt_parti" not in html  # not listed


@pytest.mark.req("R1.2")
def test_page_links_back_to_the_municipality_website(client, listing, settings):
    settings.KANALVAKT_MUNICIPALITY_WEBSITE = "https://www.osby.se"
    html = client.get(PAGE).content.decode()
    assert html.count('href="https://www.osby.se"') >= 2  # the text and the footer
    assert 'aria-current="page">Kanaler<' in html


@pytest.mark.req("R6.1", "R2.5")
def test_json_has_a_stable_documented_schema(client, listing):
    response = client.get(JSON)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    data = json.loads(response.content)
    assert set(data) == {
        "schema",
        "version",
        "updated_at",
        "municipality",
        "directory_url",
        "official_channels",
        "linked_party_channels",
    }
    assert (data["schema"], data["version"]) == ("kanalvakt-directory", 1)
    assert set(data["municipality"]) == {"name", "website"}
    assert data["directory_url"].endswith("/kanaler/")
    official = data["official_channels"]
    assert {c["url"] for c in official} == {
        listing[k].url for k in ("library_ig", "library_fb", "culture_yt", "school_ig")
    }
    assert set(official[0]) == {
        "id",
        "official",
        "name",
        "platform",
        "handle",
        "url",
        "org_unit",
    }
    assert set(official[0]["platform"]) == {"key", "name"}
    assert set(official[0]["org_unit"]) == {"id", "name", "parent", "website_url"}
    assert all(c["official"] is True for c in official)
    library = next(c for c in official if c["id"] == listing["library_ig"].pk)
    assert library["org_unit"]["parent"] == "Kultur- och fritidsförvaltningen"
    [linked] = data["linked_party_channels"]
    assert linked == {
        "id": linked["id"],
        "official": False,
        "title": "Partiet i Osby",
        "owner": "Partiet, Osbyavdelningen",
        "platform": {"key": "facebook", "name": "Facebook"},
        "url": "https://www.facebook.com/partiet.osby",
    }


@pytest.mark.req("R6.1", "R2.5")
def test_embed_is_a_fragment_without_scripts_or_styles(client, listing):
    response = client.get(EMBED, {"level": 3, "lang": "en"})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Language"] == "en"
    html = response.content.decode()
    assert html.startswith('<div class="kanalvakt-directory" lang="en">')
    for forbidden in ("<html", "<script", "<style", "style=", "csrfmiddlewaretoken"):
        assert forbidden not in html
    assert "<h3>Barn- och skolförvaltningen</h3>" in html and "<h4>Instagram</h4>" in html
    assert f'href="{listing["school_ig"].url}" rel="me"' in html
    assert "Political parties' and elected officials' own channels – not the municipality's" in html
    assert "http://testserver/kanaler/" in html or "/kanaler/" in html
    swedish = client.get(EMBED).content.decode()
    assert LINKED_LABEL in swedish and "<h2>" in swedish


@pytest.mark.req("R6.1")
def test_activation_and_close_show_at_once(client, listing):
    client.get(PAGE), client.get(JSON), client.get(EMBED)  # fill the caches
    approved = listing["approved"]
    workflow.transition(approved, "activate", actor_label="test")
    workflow.transition(listing["school_ig"], "close", actor_label="test")
    for url in (PAGE, JSON, EMBED):
        body = client.get(url).content.decode()
        assert approved.url in body, url
        assert listing["school_ig"].url not in body, url


@pytest.mark.req("R2.5")
def test_editing_a_linked_channel_shows_at_once(client, listing):
    assert "Partiet i Osby" in client.get(PAGE).content.decode()
    LinkedChannel.objects.filter(title="Partiet i Osby").update(title="Nya partiet")
    assert "Nya partiet" in client.get(PAGE).content.decode()
    LinkedChannel.objects.update(listed=False)
    html = client.get(PAGE).content.decode()
    assert LINKED_LABEL not in html


@pytest.mark.req("R6.1")
@pytest.mark.parametrize("url", [PAGE, JSON, EMBED])
def test_conditional_get_answers_304_until_something_changes(client, listing, url):
    first = client.get(url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert "no-cache" in first["Cache-Control"]
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304 and again["ETag"] == etag
    assert client.get(url, headers={"if-modified-since": modified}).status_code == 304
    workflow.transition(listing["paused"], "resume", actor_label="test")
    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_only_safe_methods(client, listing):
    assert client.post(JSON).status_code == 405


@pytest.mark.req("R6.1")
def test_queries_do_not_grow_with_the_number_of_channels(
    client, listing, django_assert_num_queries
):
    for index in range(15):
        make_channel(platform=["instagram", "facebook", "x"][index % 3])
    # A cold cache: the version (channel stats + linked channels) and the listing.
    with django_assert_num_queries(3):
        assert client.get(JSON).status_code == 200
    with django_assert_num_queries(3):
        assert client.get(PAGE).status_code == 200
    # A warm cache: only the version.
    with django_assert_num_queries(2):
        client.get(PAGE)
    with django_assert_num_queries(2):
        client.get(JSON)


def test_display_handles():
    assert (
        directory.display_handle(
            Channel(
                platform=Platform(key="mastodon", url_template="https://{handle}"),
                handle="mastodon.nu/@osbykommun",
            )
        )
        == "@osbykommun@mastodon.nu"
    )
    assert (
        directory.display_handle(
            Channel(
                platform=Platform(key="blog", url_template="{handle}"),
                handle="https://blogg.osby.se/",
                url="https://blogg.osby.se/",
            )
        )
        == "blogg.osby.se"
    )
    assert (
        directory.display_handle(
            Channel(platform=Platform(key="instagram", url_template="x{handle}"), handle="osby")
        )
        == "@osby"
    )


def test_empty_directory(client):
    html = client.get(PAGE).content.decode()
    assert "Just nu finns inga officiella konton" in html
    assert json.loads(client.get(JSON).content)["official_channels"] == []


def test_the_cached_page_carries_each_visitors_own_working_csrf_token(listing):
    from django.test import Client

    tokens = []
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        html = visitor.get(PAGE).content.decode()
        assert "kanalvakt-csrf-placeholder" not in html
        token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        tokens.append(token)
        response = visitor.post(
            reverse("set_language"),
            {"csrfmiddlewaretoken": token, "language": "en", "next": PAGE},
        )
        assert response.status_code == 302
        assert "Official social media accounts" in visitor.get(PAGE).content.decode()
    assert tokens[0] != tokens[1]


def test_a_query_string_still_gets_the_page(client, listing):
    response = client.get(PAGE, {"utm_source": "osby.se"})
    assert response.status_code == 200
    assert listing["school_ig"].url in response.content.decode()
