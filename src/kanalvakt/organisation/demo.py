"""Osby kommun's organisation for the demo: administrations, activities, people, logins.

The names are invented; the structure is that of a Swedish municipality of Osby's size."""

from kanalvakt.demo import DEMO_PASSWORD
from kanalvakt.organisation import actions
from kanalvakt.organisation.models import OrgUnit, Person
from kanalvakt.organisation.roles import Role

ADMINISTRATION, ACTIVITY = OrgUnit.Kind.ADMINISTRATION, OrgUnit.Kind.ACTIVITY

STRUCTURE = {
    "Kommunledningskontoret": ["Kommunikation", "Kansli", "HR", "Näringsliv"],
    "Barn och utbildning": ["Förskola", "Grundskola", "Musikskolan"],
    "Vård och omsorg": ["Hemtjänst", "Särskilt boende", "Individ- och familjeomsorg"],
    "Samhällsbyggnad": ["Gata och park", "Bygg och miljö", "Räddningstjänst"],
    "Kultur och fritid": ["Biblioteket", "Fritidsgårdar", "Idrott och anläggningar"],
}

# (username or None, name, title, unit, manager username, roles, elected official)
PEOPLE = [
    (
        "kd",
        "Helena Åkesson",
        "Kommundirektör",
        "Kommunledningskontoret",
        None,
        [Role.MANAGER],
        False,
    ),
    (
        "klk",
        "Karin Lindqvist",
        "Kanslichef",
        "Kansli",
        "kd",
        [Role.CENTRAL_OFFICE, Role.MANAGER],
        False,
    ),
    (
        "sara",
        "Sara Nilsson",
        "Kommunikatör",
        "Kommunikation",
        "klk",
        [Role.COMMUNICATOR, Role.MODERATOR],
        False,
    ),
    ("lena", "Lena Ek", "Registrator", "Kansli", "klk", [Role.REGISTRAR], False),
    ("johan", "Johan Ström", "Arkivarie", "Kansli", "klk", [Role.ARCHIVIST], False),
    ("maria", "Maria Svensson", "Revisionskonsult", "Kansli", "klk", [Role.AUDITOR], False),
    ("erik", "Erik Sandberg", "Webbredaktör", "Kommunikation", "klk", [Role.MODERATOR], False),
    (
        "per",
        "Per Holm",
        "Kultur- och fritidschef",
        "Kultur och fritid",
        "kd",
        [Role.MANAGER],
        False,
    ),
    ("anna", "Anna Berg", "Bibliotekarie", "Biblioteket", "per", [Role.ACCOUNT_OWNER], False),
    ("omar", "Omar Haddad", "Fritidsledare", "Fritidsgårdar", "per", [Role.ACCOUNT_OWNER], False),
    ("ingrid", "Ingrid Persson", "Skolchef", "Barn och utbildning", "kd", [Role.MANAGER], False),
    ("linnea", "Linnea Johansson", "Lärare", "Musikskolan", "ingrid", [Role.ACCOUNT_OWNER], False),
    (
        "goran",
        "Göran Mattsson",
        "Räddningschef",
        "Räddningstjänst",
        "kd",
        [Role.MANAGER, Role.ACCOUNT_OWNER],
        False,
    ),
    (None, "Bengt Olsson", "Kommunstyrelsens ordförande", "Kommunledningskontoret", None, [], True),
]


def load(actor):
    units = {}
    for admin_name, activities in STRUCTURE.items():
        unit = OrgUnit.objects.filter(name=admin_name, parent=None).first()
        units[admin_name] = unit or actions.create_org_unit(
            actor,
            name=admin_name,
            kind=ADMINISTRATION,
            website_url=f"https://www.osby.se/{_slug(admin_name)}",
        )
        for activity in activities:
            existing = OrgUnit.objects.filter(name=activity, parent=units[admin_name]).first()
            units[activity] = existing or actions.create_org_unit(
                actor, name=activity, kind=ACTIVITY, parent=units[admin_name]
            )

    people = {}
    for username, name, title, unit, manager, roles, elected in PEOPLE:
        email = f"{_slug(name).replace('-', '.')}@osby.se"
        person = Person.objects.filter(email=email).first() or actions.create_person(
            actor,
            name=name,
            title=title,
            email=email,
            org_unit=units[unit],
            manager=people.get(manager),
            is_elected_official=elected,
        )
        if username:
            people[username] = person
            if person.user_id is None:
                actions.create_login(
                    actor, person, username=username, password=DEMO_PASSWORD, roles=roles
                )


def _slug(text: str) -> str:
    table = str.maketrans({"å": "a", "ä": "a", "ö": "o", "Å": "a", "Ä": "a", "Ö": "o", " ": "-"})
    return text.lower().translate(table)
