"""Screening on capture (R4.1): every third-party item is screened as it is archived,
flags name their category, rule, evidence and policy version; criticism passes (R3.4)."""

import pytest

from kanalvakt.moderation.models import Category, ModerationCase, ModerationFlag, PolicyVersion
from kanalvakt.moderation.policy import current_policy, new_version
from kanalvakt.moderation.screening import screen_items

pytestmark = pytest.mark.django_db

EXAMPLES = [
    ("R4.2a", "defamation_insult", "Du är en jävla idiot, Per Olsson."),
    ("R4.2b", "hate_harassment", "Alla invandrare är parasiter som borde kastas ut."),
    ("R4.2c", "violence_pornography", "Gratis porr här: https://pornhub.com/view_video"),
    ("R4.2d", "crime_incitement", "Jag ska döda dig och hela din familj."),
    ("R4.2e", "copyright", "Se hela filmen gratis här: https://thepiratebay.org/torrent/123"),
    ("R4.2f", "profanity_obscene", "Vad fan håller ni på med, jävla skit."),
    ("R4.2g", "commercial", "Köp solglasögon, 99 kr! Rabattkod OSBY50 på shop.example"),
    ("R7.6", "confidential", "Min granne Eva har personnummer 19121212-1212 och är sjukskriven."),
]


def _params():
    return [
        pytest.param(category, text, marks=pytest.mark.req(clause), id=category)
        for clause, category, text in EXAMPLES
    ]


def test_the_osby_policy_is_installed():
    assert set(Category.objects.values_list("id", flat=True)) == {c for _r, c, _t in EXAMPLES}
    policy = PolicyVersion.objects.get()
    assert policy.number == 1 and policy.target_hours == 4
    assert Category.objects.get(id="confidential").default_action == "remove_and_register"


@pytest.mark.req("R4.1")
@pytest.mark.parametrize(("category", "text"), _params())
def test_each_category_is_screened_on_capture_and_queued(channel, capture, category, text):
    (item,) = capture(channel, text)
    case = ModerationCase.objects.get(item=item)  # opened by the capture signal itself
    assert case.state == "open"
    flag = case.flags.get(category_id=category)
    assert flag.explanation and flag.rule.split(".")[0]
    assert flag.policy_version == current_policy()
    assert case.priority == max(case.flags.values_list("severity", flat=True))
    assert case.captured_at == item.captured_at
    for start, end in flag.spans:
        assert 0 <= start < end <= len(item.display_text)


@pytest.mark.req("R3.4")
def test_criticism_opens_no_case(channel, capture):
    items = capture(
        channel,
        "Sex veckor?! Ni kunde väl ha gjort det här i somras. Dålig planering igen.",
        "Kommunens hantering av skolskjutsarna är under all kritik, skäms på er politiker.",
        "Varför har ni stängt biblioteket på lördagar? Det är den enda dag jag kan.",
        "Jag tycker kommunstyrelsen fattat ett dåligt beslut och borde avgå.",
    )
    assert len(items) == 4
    assert not ModerationCase.objects.filter(item__in=items).exists()


def test_the_municipalitys_own_posts_are_not_screened(channel, capture):
    capture(channel)  # only the owner post
    from kanalvakt.archive.models import Item

    post = Item.objects.get(author_is_owner=True)
    assert screen_items([post.pk]) == 0


def test_rescreening_is_idempotent_and_batched(channel, capture):
    items = capture(channel, "Du är en jävla idiot.", "Köp billiga klockor 99 kr, DM för pris!")
    before = ModerationFlag.objects.count()
    assert screen_items([i.pk for i in items]) == 2
    assert ModerationCase.objects.count() == 2
    assert ModerationFlag.objects.count() == before


def test_a_disabled_category_in_a_new_policy_version_is_not_flagged(channel, capture):
    new_version({"target_hours": 2, "categories": {"profanity_obscene": {"disabled": True}}}, "t")
    (item,) = capture(channel, "Vad fan, det var ju skit.")
    case = ModerationCase.objects.filter(item=item).first()
    assert case is None or not case.flags.filter(category_id="profanity_obscene").exists()


def test_flags_record_the_policy_version_used(channel, capture):
    policy = new_version({"target_hours": 8}, "kommunikatör", note="längre mål")
    (item,) = capture(channel, "Du är en jävla idiot.")
    case = ModerationCase.objects.get(item=item)
    assert set(case.flags.values_list("policy_version", flat=True)) == {policy.pk}
    assert case.target_hours == 8


def test_train_command_learns_from_decisions_and_screening_uses_it(
    channel, capture, settings, tmp_path, capsys
):
    """The classifier adds flags the rules miss; it never replaces the rules."""
    from kanalvakt.cli import main
    from kanalvakt.moderation.models import TrainingExample
    from kanalvakt.moderation.training import current_model

    settings.VAR_DIR = tmp_path
    spam = ["Tjäna pengar hemifrån med kryptobotten", "Kryptobotten ger dig pengar hemifrån"]
    for i in range(4):
        TrainingExample.objects.create(text=f"{spam[i % 2]} nr {i}", labels=["commercial"])
        TrainingExample.objects.create(text=f"Tack för infon om biblioteket {i}", labels=[])
    assert main(["moderation", "train"]) == 0
    assert "Trained on 8 examples" in capsys.readouterr().out
    assert current_model() is not None
