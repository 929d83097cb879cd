"""Osby's accounts for the demo: a dozen channels in realistic states, one request waiting
for its manager, one flagged because its deputy was elected. Built through the same actions
as the UI, by the people who would do each step."""

from datetime import time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from kanalvakt.organisation import actions as org_actions
from kanalvakt.organisation.models import OrgUnit, Person
from kanalvakt.registry import actions
from kanalvakt.registry.models import Channel, LinkedChannel, Platform

# display name, platform, handle, unit, responsible, deputy, final state, days since last post
CHANNELS = [
    ("Osby kommun", "facebook", "osbykommun", "Kommunikation", "sara", "erik", "active", 1),
    ("Osby kommun", "instagram", "osbykommun", "Kommunikation", "erik", "sara", "active", 2),
    ("Osby kommun", "linkedin", "osby-kommun", "Kommunikation", "sara", "erik", "active", 6),
    (
        "Biblioteket i Osby",
        "instagram",
        "osbybibliotek",
        "Biblioteket",
        "anna",
        "omar",
        "active",
        3,
    ),
    (
        "Fritidsgårdarna i Osby",
        "tiktok",
        "osbyfritid",
        "Fritidsgårdar",
        "omar",
        "anna",
        "active",
        4,
    ),
    (
        "Räddningstjänsten Osby",
        "facebook",
        "raddningstjanstenosby",
        "Räddningstjänst",
        "goran",
        "erik",
        "active",
        2,
    ),
    (
        "Musikskolan i Osby",
        "youtube",
        "osbymusikskola",
        "Musikskolan",
        "linnea",
        "ingrid",
        "active",
        40,
    ),
    ("Hemtjänsten i Osby", "facebook", "hemtjanstenosby", "Hemtjänst", "lars", "maja", "active", 5),
    (
        "Företagsamma Osby",
        "linkedin",
        "foretagsamma-osby",
        "Näringsliv",
        "sara",
        "erik",
        "paused",
        90,
    ),
    (
        "Osby kommun på Mastodon",
        "mastodon",
        "mastodon.nu/@osbykommun",
        "Kommunikation",
        "erik",
        "sara",
        "approved",
        None,
    ),
    (
        "Kultur i Osby",
        "bluesky",
        "kultur.osby.se",
        "Biblioteket",
        "anna",
        "omar",
        "requested",
        None,
    ),
    (
        "Osbyfestivalen 2019",
        "facebook",
        "osbyfestivalen",
        "Kultur och fritid",
        "per",
        "anna",
        "closed",
        900,
    ),
]

EXTRA_PEOPLE = [
    ("lars", "Lars Nyberg", "Enhetschef hemtjänst", "Hemtjänst", "kd"),
    ("maja", "Maja Lind", "Undersköterska", "Hemtjänst", "lars"),
]

LINKED = [
    (
        "facebook",
        "https://www.facebook.com/exempelpartiet.osby",
        "Exempelpartiet i Osby",
        "Exempelpartiet, lokalavdelning Osby",
    ),
    (
        "instagram",
        "https://www.instagram.com/kommunalrad_exempel/",
        "Kommunalrådets konto",
        "Bengt Olsson, kommunstyrelsens ordförande",
    ),
]


def _plan(name, days):
    return {
        "description": f"{name}: nyheter, evenemang och dialog med invånarna.",
        "purpose_and_goals": "Snabb information till invånarna och svar på frågor inom en "
        "arbetsdag.",
        "target_group": "Invånare i Osby kommun och besökare.",
        "watched_weekdays": [0, 1, 2, 3, 4],
        "watch_start": time(8, 0),
        "watch_end": time(16, 30),
        "check_interval_hours": 2,
        "update_interval_days": 14 if days and days > 30 else 7,
        "holiday_cover": "Kommunikationsenheten bevakar under semestrar.",
        "monitoring_notes": "",
        "high_traffic": name == "Osby kommun",
    }


def load(actor):
    if Channel.objects.exists():
        return
    users = {u.username: u for u in get_user_model().objects.select_related("person")}
    people = {name: u.person for name, u in users.items() if hasattr(u, "person")}
    units = {u.name: u for u in OrgUnit.objects.all()}
    for key, name, title, unit, manager in EXTRA_PEOPLE:
        people[key] = Person.objects.filter(name=name).first() or org_actions.create_person(
            actor,
            name=name,
            title=title,
            email=f"{name.lower().replace(' ', '.')}@osby.se",
            org_unit=units[unit],
            manager=people[manager],
        )

    from kanalvakt.custody.actions import deposit_credentials

    now = timezone.now()
    for name, platform_key, handle, unit, responsible, deputy, state, days in CHANNELS:
        platform = Platform.objects.get(key=platform_key)
        requester = people[responsible]
        channel = actions.request_channel(
            actor,
            platform=platform,
            handle=handle,
            display_name=name,
            org_unit=units[unit],
            responsible=people[responsible],
            deputies=[people[deputy]],
            requested_by=requester,
            purposes=["communicate", "civic_dialogue"] if "kommun" in name else ["communicate"],
            follows_graphic_profile=state != "paused",
            plan=_plan(name, days),
        )
        if state == "requested":
            continue
        manager_user = requester.manager.user or actor
        actions.decide_request(
            manager_user, channel, approve=True, comment="Godkänt enligt riktlinjerna."
        )
        actions.record_consultation(
            users["sara"],
            channel,
            advice="Använd kommunens logotyp och namnformen "
            "'Osby kommun'. Svara inom en arbetsdag.",
        )
        if state == "approved":
            continue
        deposit_credentials(
            actor,
            channel,
            login=f"{handle}@osby.se",
            password=f"demo-{handle}-lösenord",
            second_factor_holder="Tjänstetelefon kommunikation",
            platform_admins=["sara.nilsson@osby.se"],
        )
        actions.activate_channel(users["klk"], channel)
        if days is not None:
            actions.update_channel(actor, channel, last_own_post_at=now - timedelta(days=days))
        if state == "paused":
            actions.pause_channel(users["klk"], channel, comment="Vilande under omorganisation.")
        if state == "closed":
            actions.close_channel(users["klk"], channel, comment="Festivalen har upphört.")

    # As if the website link check had run: every live account is linked from osby.se except
    # the fire service's, which the website forgot (a violation of R6.1 for the demo).
    directory_page = "https://www.osby.se/kommun-och-politik/sociala-medier"
    live = Channel.objects.filter(status=Channel.Status.ACTIVE)
    live.update(
        website_linked=True, website_link_found_on=directory_page, website_link_checked_at=now
    )
    live.filter(handle="raddningstjanstenosby").update(
        website_linked=False, website_link_found_on=""
    )

    # Maja, deputy of the home-care page, is elected to the council: the page is flagged.
    org_actions.update_person(actor, people["maja"], is_elected_official=True)

    for platform_key, url, title, owner in LINKED:
        LinkedChannel.objects.get_or_create(
            url=url,
            defaults={
                "platform": Platform.objects.get(key=platform_key),
                "title": title,
                "owner": owner,
            },
        )
