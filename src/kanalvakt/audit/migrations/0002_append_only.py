"""Make the audit table append-only in the database itself.

PostgreSQL: a trigger refuses UPDATE and DELETE (TRUNCATE stays possible for the owner,
which test databases need; a production role should not own the table). SQLite: a trigger
refuses UPDATE (DELETE stays possible so test runs can flush; the hash chain's sequence
numbers reveal any removed row)."""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION kanalvakt_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_auditevent_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION kanalvakt_audit_append_only();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS kanalvakt_audit_append_only();
"""
SQLITE_FORWARD = """
CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only: UPDATE refused'); END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS audit_auditevent_no_update;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    sql = {"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}.get(vendor)
    if sql:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    sql = {"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}.get(vendor)
    if sql:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
