# ruff: noqa: E501 - the Swedish demo texts read best on one line each
"""Captured posts and comments on Osby's demo channels, put through the same ingest as
polling (no network). Some comments are there for moderation and dialog to find: an insult,
a personnummer, spam, a threat-like outburst, besides fair criticism and real questions."""

from datetime import timedelta

from django.utils import timezone

from kanalvakt.archive.ingest import ingest
from kanalvakt.capture.models import ChannelConnection
from kanalvakt.capture.types import CapturedItem
from kanalvakt.registry.models import Channel

# channel (platform, handle) → (account id, [(post id, hours ago, text, [comments])])
# comment: (id, minutes after the post, author id, author name, text, parent id or None)
CONTENT = {
    ("facebook", "osbykommun"): (
        "104857600012345",
        [
            (
                "1001",
                30,
                "Från och med måndag 2 mars stängs Storgatan mellan Västra Storgatan och "
                "Järnvägsgatan för ledningsarbete. Omledning sker via Kyrkogatan. Arbetet "
                "beräknas pågå i sex veckor.",
                [
                    (
                        "c1",
                        12,
                        "u101",
                        "Karin Svensson",
                        "Hur tar man sig till vårdcentralen med rullator under tiden?",
                        None,
                    ),
                    (
                        "c2",
                        40,
                        "104857600012345",
                        "Osby kommun",
                        "Hej Karin! Trottoaren på norra sidan är öppen hela tiden, och färdtjänsten kan köra ända fram. /Sara, kommunikatör",
                        "c1",
                    ),
                    (
                        "c3",
                        55,
                        "u102",
                        "Jonas Berg",
                        "Sex veckor?! Ni kunde väl ha gjort det här i somras när ingen var här. Dålig planering igen.",
                        None,
                    ),
                    (
                        "c4",
                        70,
                        "u103",
                        "Per Olsson",
                        "Ni på kommunen är ena jävla idioter allihop, lägg ner hela skiten.",
                        None,
                    ),
                    (
                        "c5",
                        95,
                        "u104",
                        "Snabba Lån Direkt",
                        "Behöver du pengar snabbt? Låna upp till 50 000 kr utan UC! Klicka här: http://snabbalan-direkt.example/osby",
                        None,
                    ),
                ],
            ),
            (
                "1002",
                26,
                "Nu är det dags att söka sommarjobb! Alla ungdomar födda 2008–2010 som är "
                "skrivna i Osby kommun kan söka fram till 31 mars.",
                [
                    (
                        "c6",
                        20,
                        "u105",
                        "Amina Yusuf",
                        "Min son fyller 16 i augusti, kan han söka ändå?",
                        None,
                    ),
                    (
                        "c7",
                        33,
                        "u106",
                        "Lena Holm",
                        "Jag har skickat in min dotters ansökan men inte fått något svar. Hennes personnummer är 20080412-2386 om ni vill kolla upp det.",
                        None,
                    ),
                    (
                        "c8",
                        51,
                        "u107",
                        "Mats Lindqvist",
                        "Bra initiativ! Min dotter hade jobb i parkförvaltningen förra året och trivdes jättebra.",
                        None,
                    ),
                ],
            ),
        ],
    ),
    ("instagram", "osbybibliotek"): (
        "17841400000000101",
        [
            (
                "18000000000000201",
                50,
                "Veckans boktips: 'Kristallvägen' av Elin Persson 📚 Finns att låna nu! #osbybibliotek",
                [
                    (
                        "18000000000000301",
                        15,
                        "20001",
                        "bokmalen_osby",
                        "Åh den har jag väntat på! Hur många är före i kön?",
                        None,
                    ),
                    (
                        "18000000000000302",
                        45,
                        "20002",
                        "lisa.andersson",
                        "Varför har ni stängt på lördagar nu? Det är den enda dagen jag kan komma.",
                        None,
                    ),
                    (
                        "18000000000000303",
                        80,
                        "20003",
                        "gratis_iphone_2026",
                        "🎁 Du har vunnit en iPhone! Skicka DM till oss för att hämta ut din vinst 🎁",
                        None,
                    ),
                ],
            ),
        ],
    ),
    ("facebook", "raddningstjanstenosby"): (
        "104857600099999",
        [
            (
                "2001",
                8,
                "Eldningsförbud råder i hela Osby kommun från och med idag på grund av "
                "den stora brandrisken. Grillning är tillåten på anordnade grillplatser.",
                [
                    (
                        "c21",
                        25,
                        "u201",
                        "Sven Karlsson",
                        "Gäller förbudet även gasolgrill på egen tomt?",
                        None,
                    ),
                    (
                        "c22",
                        61,
                        "u202",
                        "Anders Nilsson",
                        "Om ni kommer hit och klagar på min grill igen så ska ni få se vad som händer. Ni vet var jag bor.",
                        None,
                    ),
                    (
                        "c23",
                        90,
                        "u203",
                        "Eva Åberg",
                        "Tack för informationen! Skönt att ni håller koll.",
                        None,
                    ),
                ],
            ),
        ],
    ),
}


def load(actor):
    now = timezone.now()
    for (platform, handle), (account_id, posts) in CONTENT.items():
        channel = Channel.objects.filter(platform__key=platform, handle_key=handle).first()
        if channel is None or channel.items.exists():
            continue
        ChannelConnection.objects.get_or_create(
            channel=channel,
            defaults={
                "connector": platform,
                "account_id": account_id,
                # Switched off: the demo has no platform tokens, so nothing is polled.
                "state": ChannelConnection.State.DISABLED,
                "last_success_at": now - timedelta(minutes=4),
            },
        )
        ingest(channel, _items(platform, account_id, posts, now), source="demo", now=now)


def _items(platform, account_id, posts, now):
    for post_id, hours_ago, text, comments in posts:
        external = f"{account_id}_{post_id}" if platform == "facebook" else post_id
        posted = now - timedelta(hours=hours_ago)
        yield _item(
            platform, external, "post", None, external, account_id, None, True, text, posted
        )
        for comment_id, minutes, author, name, body, parent in comments:
            cid = f"{post_id}_{comment_id}" if platform == "facebook" else comment_id
            parent_id = (
                (f"{post_id}_{parent}" if platform == "facebook" else parent)
                if parent
                else external
            )
            yield _item(
                platform,
                cid,
                "reply" if parent else "comment",
                parent_id,
                external,
                author,
                name,
                author == account_id,
                body,
                posted + timedelta(minutes=minutes),
            )


def _item(platform, external_id, kind, parent, root, author, name, own, text, created):
    return CapturedItem(
        platform=platform,
        external_id=external_id,
        kind=kind,
        parent_external_id=parent,
        root_external_id=root,
        author_external_id=author,
        author_display_name=name if platform == "facebook" else None,
        author_handle=None if platform == "facebook" else name,
        author_is_owner=own,
        text=text,
        language="sv",
        created_at=created,
        raw={
            "id": external_id,
            "message": text,
            "from": {"id": author, "name": name},
            "demo": True,
        },
    )
