# Registration requests (the R7.6 stop-gap) become pending records.Registration rows,
# confidential and masked, then the model goes.

from django.db import migrations


def move_requests(apps, schema_editor):
    RegistrationRequest = apps.get_model("moderation", "RegistrationRequest")
    Registration = apps.get_model("records", "Registration")
    RegistrationItem = apps.get_model("records", "RegistrationItem")
    for request in RegistrationRequest.objects.select_related("item__channel"):
        registered = bool(request.case_number)
        registration = Registration.objects.create(
            state="registered" if registered else "pending",
            case_number=request.case_number,
            registered_at=request.registered_at if registered else None,
            received_on=request.requested_at.date(),
            direction="received",
            sender=request.item.author_display_name,
            description="Kommentar med sekretessbelagda uppgifter, borttagen från sociala medier",
            masked=True,
            osl_provision="OSL 21 kap. 7 §",
            confidential_marked_at=request.requested_at,
            confidential_marked_by="system:moderation",
            reason=request.reason,
            origin=f"moderation:{request.case_id}",
            requested_at=request.requested_at,
            requested_by="system:moderation",
        )
        RegistrationItem.objects.create(
            registration=registration, item=request.item, case_number=request.case_number
        )


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0002_policy_lexicon_watched_deadline"),
        ("records", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(move_requests, migrations.RunPython.noop),
        migrations.DeleteModel(name="RegistrationRequest"),
    ]
