"""The communicator's lexicon editor (R4.1, policy as data): every saved entry is a new,
immutable policy version with who, when and why; versions are compared and rolled back
(as a new version). A draft entry can be tried on a text before saving."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kanalvakt.core.views_access import requires
from kanalvakt.moderation import actions
from kanalvakt.moderation import policy_lexicon as lex
from kanalvakt.moderation.detectors import screen
from kanalvakt.moderation.models import Category, PolicyVersion
from kanalvakt.moderation.policy import current_policy
from kanalvakt.organisation import access

VIEW = "moderation.view_moderationcase"
CHANGE = actions.CHANGE_POLICY
MAX_TEST_TEXT = 5000


@requires(VIEW)
def lexicon(request):
    current = current_policy()
    terms, allow = lex.entries_of(current)
    edited = current.lexicon or {}
    context = {
        "current": current,
        "terms": sorted(terms.values(), key=lambda e: (e.cls, e.key)),
        "allow": sorted(allow.values(), key=lambda e: e.key),
        "edited_terms": set(edited.get(lex.TERMS, {})),
        "edited_allow": set(edited.get(lex.ALLOW, {})),
        "can_change": access.can(request.user, CHANGE),
    }
    return render(request, "moderation/lexicon.html", context)


def _entry_form_data(post) -> dict:
    return {
        "forms": post.get("forms", ""),
        "class": post.get("class", ""),
        "severity": post.get("severity", ""),
        "comment": post.get("comment", ""),
        "enabled": post.get("enabled") == "on",
    }


def _initial(kind: str, entry) -> dict:
    if entry is None:
        return {"forms": "", "class": "", "severity": "2", "comment": "", "enabled": True}
    row = lex.term_row(entry) if kind == lex.TERMS else lex.allow_row(entry)
    return {**row, "severity": str(row.get("severity", ""))}


@requires(CHANGE)
def lexicon_entry(request):
    """GET ?typ=terms|allow[&nyckel=KEY]: the form (no key = a new entry). POST: save
    (a new version) or try the draft on a text ("test")."""
    kind = request.GET.get("typ", lex.TERMS)
    if kind not in (lex.TERMS, lex.ALLOW):
        raise Http404
    key = request.GET.get("nyckel") or None
    current = current_policy()
    entries = lex.entries_of(current)[0 if kind == lex.TERMS else 1]
    if key is not None and key not in entries:
        raise Http404
    data, note, test_text, error, comparison = _initial(kind, entries.get(key)), "", "", "", None
    if request.method == "POST":
        data = _entry_form_data(request.POST)
        note = request.POST.get("note", "")
        test_text = request.POST.get("test_text", "")[:MAX_TEST_TEXT]
        if request.POST.get("do") == "test":
            comparison, error = _compare(current, kind, key, data, test_text)
        else:
            try:
                version = actions.change_lexicon_entry(
                    request.user, kind=kind, key=key, data=data, note=note
                )
            except ValidationError as problem:
                error = " ".join(problem.messages)
            else:
                messages.success(
                    request, _("Policy version %(n)s is in force.") % {"n": version.number}
                )
                return redirect("moderation:lexicon")
    context = {
        "kind": kind,
        "key": key,
        "data": data,
        "note": note,
        "error": error,
        "test_text": test_text,
        "comparison": comparison,
        "classes": lex.term_classes(),
        "current": current,
    }
    return render(request, "moderation/lexicon_entry.html", context, status=400 if error else 200)


def _compare(current, kind, key, data, text):
    """(rows, error): the flags of ``text`` with the current version and with the draft."""
    try:
        clean = lex.clean_term if kind == lex.TERMS else lex.clean_allow
        key, row = clean(current, key, data)
    except ValidationError as problem:
        return None, " ".join(problem.messages)
    draft = lex.lexicon_from_overlay(lex.overlay_with(current, kind, key, row))
    names = dict(Category.objects.values_list("id", "name"))
    return {
        "current": _described(screen(text, lexicon=lex.lexicon_for(current)), text, names),
        "draft": _described(screen(text, lexicon=draft), text, names),
    }, ""


def _described(flags, text, names) -> list[dict]:
    return [
        {
            "category": names.get(f.category, f.category),
            "rule": f.rule,
            "severity": f.severity,
            "evidence": ", ".join(text[a:b] for a, b in f.spans),
        }
        for f in flags
    ]


@requires(VIEW)
def version_detail(request, number):
    version = get_object_or_404(PolicyVersion, number=number)
    against = request.GET.get("mot", "")
    if against.isdigit():
        other = get_object_or_404(PolicyVersion, number=int(against))
    else:
        other = PolicyVersion.objects.filter(number__lt=number).order_by("-number").first()
    context = {
        "version": version,
        "other": other,
        "rows": lex.diff(other, version) if other else [],
        "versions": PolicyVersion.objects.all(),
        "current": current_policy(),
        "can_change": access.can(request.user, CHANGE),
    }
    return render(request, "moderation/policy_version.html", context)


@requires(CHANGE)
@require_POST
def rollback(request, number):
    version = get_object_or_404(PolicyVersion, number=number)
    if not access.can(request.user, CHANGE):
        raise PermissionDenied(CHANGE)
    try:
        new = actions.rollback_policy(request.user, to=version, note=request.POST.get("note", ""))
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
        return redirect("moderation:policy_version", number=number)
    messages.success(
        request,
        _("Version %(new)s is in force: the same as version %(old)s.")
        % {"new": new.number, "old": version.number},
    )
    return redirect("moderation:policy_version", number=new.number)
