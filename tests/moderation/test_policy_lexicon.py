"""Policy as data (R4.1): the communicator edits lexicon and allow-list entries in the UI;
every save is a new immutable policy version (who, when, why), screening uses it and
records it on the flags, versions are compared and rolled back; bad input stores nothing."""

import pytest

from kanalvakt.audit.models import AuditEvent
from kanalvakt.moderation import policy_lexicon
from kanalvakt.moderation.models import ModerationCase, ModerationFlag, PolicyVersion
from kanalvakt.moderation.policy import current_policy
from kanalvakt.organisation.roles import Role

pytestmark = pytest.mark.django_db
LEXICON = "/intern/moderering/policy/lexikon/"
ENTRY = LEXICON + "post/"
NEW_TERM = {
    "forms": "tjosan,tjosan*",
    "class": "swear",
    "severity": "1",
    "enabled": "on",
    "note": "Svordom som ofta används i våra kanaler",
}


@pytest.fixture
def communicator(make_user, client):
    user = make_user(Role.COMMUNICATOR)
    client.force_login(user)
    return user


def _add_term(client, **changes):
    return client.post(f"{ENTRY}?typ=terms", {**NEW_TERM, **changes})


def _flagged(items) -> bool:
    return ModerationCase.objects.filter(item__in=items).exists()


@pytest.mark.req("R4.1")
def test_a_term_added_in_the_ui_flags_after_save_and_rollback_removes_it(
    channel, capture, communicator, client
):
    assert not _flagged(capture(channel, "Tjosan vad fint det blev."))
    response = _add_term(client)
    assert response.status_code == 302
    v2 = current_policy()
    assert v2.number == 2 and v2.created_by_label and v2.note == NEW_TERM["note"]
    (item,) = capture(channel, "Tjosan vad fint det blev på torget.")
    flag = ModerationFlag.objects.get(item=item)
    assert flag.category_id == "profanity_obscene"
    assert flag.policy_version == v2

    # The version page shows who, when, why and the entry as the difference from v1.
    page = client.get(f"/intern/moderering/policy/version/{v2.number}/")
    assert page.status_code == 200
    rows = page.context["rows"]
    assert [(r["what"], r["key"], r["before"]) for r in rows] == [("terms", "tjosan|swear", "")]
    assert NEW_TERM["note"] in page.content.decode()

    response = client.post(
        "/intern/moderering/policy/version/1/aterstall/", {"note": "Ordet gav för många träffar"}
    )
    assert response.status_code == 302
    v3 = current_policy()
    assert (
        v3.number == 3
        and v3.lexicon == {}
        and v3.overrides == PolicyVersion.objects.get(number=1).overrides
    )
    assert policy_lexicon.diff(PolicyVersion.objects.get(number=1), v3) == []
    assert not _flagged(capture(channel, "Tjosan, vilken fin dag på torget."))
    # History is kept: v2 and the flag that names it are untouched.
    assert PolicyVersion.objects.filter(number=2).exists()
    flag.refresh_from_db()
    assert flag.policy_version == v2
    actions = list(
        AuditEvent.objects.filter(action__startswith="moderation.policy.").values_list(
            "action", "payload"
        )
    )
    assert [a for a, _p in actions] == [
        "moderation.policy.lexicon_entry",
        "moderation.policy.rollback",
    ]
    assert actions[0][1]["after"]["forms"] == "tjosan,tjosan*"
    assert actions[1][1]["rolled_back_to"] == 1


@pytest.mark.req("R4.1")
def test_disabling_a_shipped_entry_and_editing_the_allow_list(
    channel, capture, communicator, client
):
    data = {"forms": "satan,satans*,*satan", "class": "swear", "severity": "2", "note": "Av"}
    response = client.post(f"{ENTRY}?typ=terms&nyckel=satan|swear", data)  # enabled unticked
    assert response.status_code == 302
    assert not _flagged(capture(channel, "Satan vad kallt det är idag."))
    assert _flagged(capture(channel, "Vad fan håller ni på med."))
    allow = {"forms": "fan club", "comment": "klubbnamn", "enabled": "on", "note": "Klubben"}
    assert client.post(f"{ENTRY}?typ=allow", allow).status_code == 302
    assert not _flagged(capture(channel, "Hälsningar från Fan Club Osby!"))
    assert current_policy().number == 3
    listing = client.get(LEXICON)
    assert listing.status_code == 200 and "fan club" in listing.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"forms": "  "}, "Ange minst en ordform"),
        ({"forms": "fa*n"}, "är ingen giltig form"),
        ({"forms": "fann", "class": "swear"}, "står på undantagslistan"),
        ({"forms": "dålig*", "class": "insult_adj"}, "vanlig kritik"),
        ({"forms": "inkompetent"}, "vanlig kritik"),
        ({"forms": "fan"}, "finns redan"),
        ({"severity": "7"}, "allvarlighetsgrad"),
        ({"class": "nonsense"}, "Välj en klass"),
        ({"note": " "}, "vad som ändrades och varför"),
    ],
)
@pytest.mark.req("R4.1")
def test_invalid_entries_give_a_swedish_error_and_store_nothing(
    communicator, client, changes, message
):
    response = _add_term(client, **changes)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert PolicyVersion.objects.count() == 1
    assert not AuditEvent.objects.filter(action__startswith="moderation.policy.").exists()


def test_an_allow_entry_that_is_itself_a_term_is_refused(communicator, client):
    data = {"forms": "skit", "comment": "", "enabled": "on", "note": "x"}
    response = client.post(f"{ENTRY}?typ=allow", data)
    assert response.status_code == 400
    assert "avaktivera termen" in response.content.decode()
    assert PolicyVersion.objects.count() == 1


def test_test_a_text_compares_the_draft_with_the_current_version(communicator, client):
    response = client.post(
        f"{ENTRY}?typ=terms", {**NEW_TERM, "do": "test", "test_text": "Tjosan och fan."}
    )
    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert [f["evidence"] for f in comparison["current"]] == ["fan"]
    assert [f["evidence"] for f in comparison["draft"]] == ["Tjosan, fan"]
    assert PolicyVersion.objects.count() == 1


@pytest.mark.req("R4.1")
@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ACCOUNT_OWNER, Role.AUDITOR])
def test_only_the_communicator_edits_the_lexicon(make_user, client, role):
    client.force_login(make_user(role))
    assert client.get(LEXICON).status_code == 200  # everyone with the queue reads
    assert client.get("/intern/moderering/policy/version/1/").status_code == 200
    assert client.get(f"{ENTRY}?typ=terms").status_code == 403
    assert _add_term(client).status_code == 403
    response = client.post("/intern/moderering/policy/version/1/aterstall/", {"note": "x"})
    assert response.status_code == 403
    assert PolicyVersion.objects.count() == 1


def test_the_compiled_lexicon_is_cached_per_version(monkeypatch):
    from kanalvakt.moderation.actions import change_lexicon_entry
    from kanalvakt.moderation.detectors import terms
    from kanalvakt.organisation.access import SystemActor

    v1 = current_policy()
    assert policy_lexicon.lexicon_for(v1) is None  # the shipped lexicon, as evaluated
    data = {"forms": "tjosan", "class": "swear", "severity": "1", "enabled": True}
    v2 = change_lexicon_entry(SystemActor("test"), kind="terms", key=None, data=data, note="n")
    built = []
    original = terms.Lexicon
    monkeypatch.setattr(terms, "_COMPILED", type(terms._COMPILED)())
    monkeypatch.setattr(terms, "Lexicon", lambda *a: built.append(1) or original(*a))
    monkeypatch.setattr(policy_lexicon, "Lexicon", terms.Lexicon)
    first = policy_lexicon.lexicon_for(PolicyVersion.objects.get(pk=v2.pk))
    second = policy_lexicon.lexicon_for(PolicyVersion.objects.get(pk=v2.pk))
    assert first is second and len(built) == 1


def test_a_policy_version_cannot_be_changed():
    version = current_policy()
    version.note = "rewritten"
    with pytest.raises(ValueError, match="immutable"):
        version.save()


def test_changing_the_target_keeps_the_lexicon_edits(communicator, client):
    assert _add_term(client).status_code == 302
    response = client.post("/intern/moderering/policy/", {"target_hours": "6", "note": "6 h"})
    assert response.status_code == 302
    v3 = current_policy()
    assert v3.number == 3 and v3.target_hours == 6
    assert "tjosan|swear" in v3.lexicon["terms"]
    page = client.get("/intern/moderering/policy/version/3/?mot=1")
    rows = {(r["what"], r["key"]) for r in page.context["rows"]}
    assert rows == {("target", ""), ("terms", "tjosan|swear")}
