# ruff: noqa: E501 - the Swedish rules read best on one line each
"""Default data of the registry: the platforms Osby uses (R1.1), editable afterwards.

Installed by migration 0002 and, when the table is empty, after every migrate or test-database
flush (post_migrate), never overwriting what the central office has edited."""

# key, name, url template, handle pattern, rule shown when a handle is refused, case-sensitive,
# longest post
PLATFORMS = [
    (
        "facebook",
        "Facebook",
        "https://www.facebook.com/{handle}",
        r"^[A-Za-z0-9.]{5,50}$",
        "Facebook-namn får bara innehålla bokstäver a–z, siffror och punkt, 5–50 tecken.",
        False,
        63206,
    ),
    (
        "instagram",
        "Instagram",
        "https://www.instagram.com/{handle}/",
        r"^(?!.*\.\.)(?!\.)(?!.*\.$)[A-Za-z0-9._]{1,30}$",
        "Instagram-namn får bara innehålla bokstäver a–z, siffror, punkt och understreck, högst 30 tecken, och får inte börja eller sluta med punkt.",
        False,
        2200,
    ),
    (
        "linkedin",
        "LinkedIn",
        "https://www.linkedin.com/company/{handle}/",
        r"^[A-Za-z0-9-]{2,100}$",
        "LinkedIn-namn får bara innehålla bokstäver a–z, siffror och bindestreck, 2–100 tecken.",
        False,
        3000,
    ),
    (
        "youtube",
        "YouTube",
        "https://www.youtube.com/@{handle}",
        r"^[A-Za-z0-9._-]{3,30}$",
        "YouTube-handtag får bara innehålla bokstäver a–z, siffror, punkt, bindestreck och understreck, 3–30 tecken.",
        False,
        10000,
    ),
    (
        "x",
        "X",
        "https://x.com/{handle}",
        r"^[A-Za-z0-9_]{1,15}$",
        "X-namn får bara innehålla bokstäver a–z, siffror och understreck, högst 15 tecken.",
        False,
        280,
    ),
    (
        "tiktok",
        "TikTok",
        "https://www.tiktok.com/@{handle}",
        r"^(?!.*\.$)[A-Za-z0-9._]{2,24}$",
        "TikTok-namn får bara innehålla bokstäver a–z, siffror, punkt och understreck, 2–24 tecken, och får inte sluta med punkt.",
        False,
        2200,
    ),
    (
        "mastodon",
        "Mastodon",
        "https://{handle}",
        r"^[A-Za-z0-9.-]+\.[A-Za-z]{2,}/@[A-Za-z0-9_]{1,30}$",
        "Mastodon-konton anges som server/@namn, till exempel mastodon.nu/@osbykommun.",
        False,
        500,
    ),
    (
        "bluesky",
        "Bluesky",
        "https://bsky.app/profile/{handle}",
        r"^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,}$",
        "Bluesky-namn är ett domännamn, till exempel osbykommun.bsky.social eller bsky.osby.se.",
        False,
        300,
    ),
    (
        "blog",
        "Blogg",
        "{handle}",
        r"^https://\S+$",
        "En blogg anges med sin fullständiga adress som börjar med https://.",
        True,
        None,
    ),
    (
        "forum",
        "Diskussionsforum",
        "{handle}",
        r"^https://\S+$",
        "Ett forum anges med sin fullständiga adress som börjar med https://.",
        True,
        None,
    ),
    (
        "chat",
        "Chatt",
        "{handle}",
        r"^https://\S+$",
        "En chatt anges med adressen där den nås, som börjar med https://.",
        True,
        None,
    ),
    (
        "other",
        "Annat",
        "{handle}",
        r"^https://\S+$",
        "Ange kontots fullständiga adress som börjar med https://.",
        True,
        None,
    ),
]


def install_default_platforms(platform_model=None, **kwargs) -> int:
    if platform_model is None:
        from kanalvakt.registry.models import Platform as platform_model
    if platform_model.objects.exists():
        return 0
    for order, (key, name, url, pattern, rule, case, longest) in enumerate(PLATFORMS):
        platform_model.objects.create(
            key=key,
            name=name,
            url_template=url,
            handle_pattern=pattern,
            handle_rule=rule,
            handle_case_sensitive=case,
            max_post_length=longest,
            sort_order=order * 10,
        )
    return len(PLATFORMS)
