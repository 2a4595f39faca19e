"""The database itself refuses to change an audit entry (UPDATE), whatever the client."""

from django.db import migrations


def create_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            "CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry "
            "BEGIN SELECT RAISE(ABORT, 'audit entries are immutable'); END;"
        )
    elif vendor == "postgresql":
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION core_auditentry_immutable() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'audit entries are immutable'; END; $$ LANGUAGE plpgsql;"
        )
        schema_editor.execute(
            "CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry "
            "FOR EACH ROW EXECUTE FUNCTION core_auditentry_immutable();"
        )


def drop_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS core_auditentry_no_update;")
    elif vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS core_auditentry_no_update ON core_auditentry;")
        schema_editor.execute("DROP FUNCTION IF EXISTS core_auditentry_immutable();")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(create_trigger, drop_trigger)]
