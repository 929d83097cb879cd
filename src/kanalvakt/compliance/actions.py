from kanalvakt.core.actions import action


@action("compliance.policy_document.add", permission="compliance.add_policydocument")
def add_policy_document(ctx, *, form):
    document = form.save(commit=False)
    document.uploaded_by = ctx.actor
    document.save()
    ctx.audit(
        document,
        {
            "title": document.title,
            "url": document.url,
            "file": document.file.name if document.file else "",
        },
    )
    return document
