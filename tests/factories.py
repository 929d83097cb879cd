"""factory_boy factories shared across the suite."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from kanalvakt.organisation.models import OrgUnit, Person
from kanalvakt.organisation.roles import Role


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    name = factory.Sequence(lambda n: f"Förvaltning {n}")
    kind = OrgUnit.Kind.ADMINISTRATION


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@osby.se")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Testsson{n}")
    password = factory.PostGenerationMethodCall("set_password", "test-password-123")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=[Role(r).value for r in extracted]))
        if create:
            self.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person Personsson {n}")
    title = "Handläggare"
    email = factory.Sequence(lambda n: f"person{n}@osby.se")
    org_unit = factory.SubFactory(OrgUnitFactory)
