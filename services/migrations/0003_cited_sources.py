"""Specifications, requirements and Care Home Premium rates cite Source records (the
public documents) instead of a text of the notebook's keys: each row's keys are read and its
`sources` set, then the old column goes. The keys themselves never reach a user."""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models


def link(apps, schema_editor):
    from networks.migrations._sources_0003 import KEYS
    from networks.sources import cite

    for name in ("ServiceSpecification", "Requirement", "CareHomePremiumRate"):
        for row in apps.get_model("services", name).objects.all():
            cite(apps, row, row.source, KEYS)


class Migration(migrations.Migration):

    dependencies = [
        ('networks', '0004_source'),
        ('services', '0002_national_reference_data'),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name='carehomepremiumrate',
            name='insert_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='carehomepremiumrate',
            name='update_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='carehomepremiumrate',
            name='delete_delete',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='requirement',
            name='insert_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='requirement',
            name='update_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='requirement',
            name='delete_delete',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='servicespecification',
            name='insert_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='servicespecification',
            name='update_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='servicespecification',
            name='delete_delete',
        ),
        migrations.RemoveField(
            model_name='carehomepremiumrate',
            name='source',
        ),
        migrations.RemoveField(
            model_name='carehomepremiumrateevent',
            name='source',
        ),
        migrations.RemoveField(
            model_name='requirement',
            name='source',
        ),
        migrations.RemoveField(
            model_name='requirementevent',
            name='source',
        ),
        migrations.RemoveField(
            model_name='servicespecification',
            name='source',
        ),
        migrations.RemoveField(
            model_name='servicespecificationevent',
            name='source',
        ),
        migrations.AddField(
            model_name='carehomepremiumrate',
            name='section',
            field=models.CharField(blank=True, help_text='Where in the documents, for example “Table 2” or “Annex B paragraph 3”.', max_length=200, verbose_name='section or table'),
        ),
        migrations.AddField(
            model_name='carehomepremiumrate',
            name='sources',
            field=models.ManyToManyField(blank=True, help_text='The public documents the figures come from.', related_name='+', to='networks.source'),
        ),
        migrations.AddField(
            model_name='carehomepremiumrateevent',
            name='section',
            field=models.CharField(blank=True, help_text='Where in the documents, for example “Table 2” or “Annex B paragraph 3”.', max_length=200, verbose_name='section or table'),
        ),
        migrations.AddField(
            model_name='requirement',
            name='section',
            field=models.CharField(blank=True, help_text='Where in the documents, for example “Table 2” or “Annex B paragraph 3”.', max_length=200, verbose_name='section or table'),
        ),
        migrations.AddField(
            model_name='requirement',
            name='sources',
            field=models.ManyToManyField(blank=True, help_text='The public documents the figures come from.', related_name='+', to='networks.source'),
        ),
        migrations.AddField(
            model_name='requirementevent',
            name='section',
            field=models.CharField(blank=True, help_text='Where in the documents, for example “Table 2” or “Annex B paragraph 3”.', max_length=200, verbose_name='section or table'),
        ),
        migrations.AddField(
            model_name='servicespecification',
            name='section',
            field=models.CharField(blank=True, help_text='Where in the documents, for example “Table 2” or “Annex B paragraph 3”.', max_length=200, verbose_name='section or table'),
        ),
        migrations.AddField(
            model_name='servicespecification',
            name='sources',
            field=models.ManyToManyField(blank=True, help_text='The public documents the figures come from.', related_name='+', to='networks.source'),
        ),
        migrations.AddField(
            model_name='servicespecificationevent',
            name='section',
            field=models.CharField(blank=True, help_text='Where in the documents, for example “Table 2” or “Annex B paragraph 3”.', max_length=200, verbose_name='section or table'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='carehomepremiumrate',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "services_carehomepremiumrateevent" ("financial_year", "id", "note", "payable_from", "per_bed_for_year", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "section") VALUES (NEW."financial_year", NEW."id", NEW."note", NEW."payable_from", NEW."per_bed_for_year", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."section"); RETURN NULL;', hash='c9cf172a9d5fe546da6b52d878ae2bcc1a0e587d', operation='INSERT', pgid='pgtrigger_insert_insert_0df35', table='services_carehomepremiumrate', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='carehomepremiumrate',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "services_carehomepremiumrateevent" ("financial_year", "id", "note", "payable_from", "per_bed_for_year", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "section") VALUES (NEW."financial_year", NEW."id", NEW."note", NEW."payable_from", NEW."per_bed_for_year", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."section"); RETURN NULL;', hash='43992eebd3dfb7c6157cc9bec32d26bcdd2447e2', operation='UPDATE', pgid='pgtrigger_update_update_afd7f', table='services_carehomepremiumrate', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='carehomepremiumrate',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "services_carehomepremiumrateevent" ("financial_year", "id", "note", "payable_from", "per_bed_for_year", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "section") VALUES (OLD."financial_year", OLD."id", OLD."note", OLD."payable_from", OLD."per_bed_for_year", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."section"); RETURN NULL;', hash='45408cac6c212bba3106c76437d1279899fd2373', operation='DELETE', pgid='pgtrigger_delete_delete_18027', table='services_carehomepremiumrate', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='requirement',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "services_requirementevent" ("code", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "section", "specification_id", "text", "valid_from", "valid_until") VALUES (NEW."code", NEW."id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."section", NEW."specification_id", NEW."text", NEW."valid_from", NEW."valid_until"); RETURN NULL;', hash='de0a8b627b65fe94084c6fc0a828d2ce056f5cd5', operation='INSERT', pgid='pgtrigger_insert_insert_ff27b', table='services_requirement', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='requirement',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "services_requirementevent" ("code", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "section", "specification_id", "text", "valid_from", "valid_until") VALUES (NEW."code", NEW."id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."section", NEW."specification_id", NEW."text", NEW."valid_from", NEW."valid_until"); RETURN NULL;', hash='48fa9b4dd0c134766906f99a2e1d8e5d8cc0692c', operation='UPDATE', pgid='pgtrigger_update_update_8f348', table='services_requirement', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='requirement',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "services_requirementevent" ("code", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "section", "specification_id", "text", "valid_from", "valid_until") VALUES (OLD."code", OLD."id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."section", OLD."specification_id", OLD."text", OLD."valid_from", OLD."valid_until"); RETURN NULL;', hash='270283d77a28243b25bbb034349e1a799cd60bf5', operation='DELETE', pgid='pgtrigger_delete_delete_21ef6', table='services_requirement', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='servicespecification',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "services_servicespecificationevent" ("code", "end_date", "fate", "id", "kind", "name", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "section", "start_date") VALUES (NEW."code", NEW."end_date", NEW."fate", NEW."id", NEW."kind", NEW."name", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."section", NEW."start_date"); RETURN NULL;', hash='ebb849188b18f93a87e84b600add9426433f210b', operation='INSERT', pgid='pgtrigger_insert_insert_f9dc9', table='services_servicespecification', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='servicespecification',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "services_servicespecificationevent" ("code", "end_date", "fate", "id", "kind", "name", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "section", "start_date") VALUES (NEW."code", NEW."end_date", NEW."fate", NEW."id", NEW."kind", NEW."name", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."section", NEW."start_date"); RETURN NULL;', hash='1625b0f30dd6777feb4f06752249edebc29438fb', operation='UPDATE', pgid='pgtrigger_update_update_b8e06', table='services_servicespecification', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='servicespecification',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "services_servicespecificationevent" ("code", "end_date", "fate", "id", "kind", "name", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "section", "start_date") VALUES (OLD."code", OLD."end_date", OLD."fate", OLD."id", OLD."kind", OLD."name", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."section", OLD."start_date"); RETURN NULL;', hash='341b37aabb9a5e06947842b88a72817070574d9f', operation='DELETE', pgid='pgtrigger_delete_delete_1b1cf', table='services_servicespecification', when='AFTER')),
        ),
    ]


def _in_order(operations):
    """The new fields first, then the keys read into them, then the old column removed (the
    history triggers are taken off before and put back after, as generated)."""
    rank = {pgtrigger.migrations.RemoveTrigger: 0, migrations.AddField: 1}
    ordered = sorted(operations, key=lambda op: rank.get(type(op), 3 if isinstance(op, migrations.RemoveField) else 4))
    first_removal = next(i for i, op in enumerate(ordered) if isinstance(op, migrations.RemoveField))
    ordered.insert(first_removal, migrations.RunPython(link, migrations.RunPython.noop))
    return ordered


Migration.operations = _in_order(Migration.operations)
