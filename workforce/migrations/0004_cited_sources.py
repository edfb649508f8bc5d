"""Reference rows cite Source records (the public documents, with a section or table)
instead of a text of the notebook's keys: each row's keys are read and its `sources` set,
then the old column goes. The keys themselves never reach a user."""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models


def link(apps, schema_editor):
    from networks.migrations._sources_0003 import KEYS
    from workforce.reference import cite_entry

    for name in ("ARRSRole", "MaximumAmount", "RoleCap", "AllocationRate", "RingFencedSum"):
        for row in apps.get_model("workforce", name).objects.all():
            cite_entry(apps, row, row.source, KEYS)


class Migration(migrations.Migration):

    dependencies = [
        ('networks', '0004_source'),
        ('workforce', '0003_arrs_hours_one_rebuild_per_network'),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name='allocationrate',
            name='insert_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='allocationrate',
            name='update_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='allocationrate',
            name='delete_delete',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='arrsrole',
            name='insert_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='arrsrole',
            name='update_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='arrsrole',
            name='delete_delete',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='maximumamount',
            name='insert_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='maximumamount',
            name='update_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='maximumamount',
            name='delete_delete',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='ringfencedsum',
            name='insert_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='ringfencedsum',
            name='update_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='ringfencedsum',
            name='delete_delete',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='rolecap',
            name='insert_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='rolecap',
            name='update_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='rolecap',
            name='delete_delete',
        ),
        migrations.RemoveField(
            model_name='allocationrate',
            name='source',
        ),
        migrations.RemoveField(
            model_name='allocationrateevent',
            name='source',
        ),
        migrations.RemoveField(
            model_name='arrsrole',
            name='source',
        ),
        migrations.RemoveField(
            model_name='arrsroleevent',
            name='source',
        ),
        migrations.RemoveField(
            model_name='maximumamount',
            name='source',
        ),
        migrations.RemoveField(
            model_name='maximumamountevent',
            name='source',
        ),
        migrations.RemoveField(
            model_name='ringfencedsum',
            name='source',
        ),
        migrations.RemoveField(
            model_name='ringfencedsumevent',
            name='source',
        ),
        migrations.RemoveField(
            model_name='rolecap',
            name='source',
        ),
        migrations.RemoveField(
            model_name='rolecapevent',
            name='source',
        ),
        migrations.AddField(
            model_name='allocationrate',
            name='section',
            field=models.CharField(blank=True, help_text='Where in the documents, for example “Table 2” or “Annex B paragraph 3”.', max_length=200, verbose_name='section or table'),
        ),
        migrations.AddField(
            model_name='allocationrate',
            name='sources',
            field=models.ManyToManyField(blank=True, help_text='The public documents the figures come from.', related_name='+', to='networks.source'),
        ),
        migrations.AddField(
            model_name='allocationrateevent',
            name='section',
            field=models.CharField(blank=True, help_text='Where in the documents, for example “Table 2” or “Annex B paragraph 3”.', max_length=200, verbose_name='section or table'),
        ),
        migrations.AddField(
            model_name='arrsrole',
            name='section',
            field=models.CharField(blank=True, help_text='Where in the documents, for example “Table 2” or “Annex B paragraph 3”.', max_length=200, verbose_name='section or table'),
        ),
        migrations.AddField(
            model_name='arrsrole',
            name='sources',
            field=models.ManyToManyField(blank=True, help_text='The public documents the figures come from.', related_name='+', to='networks.source'),
        ),
        migrations.AddField(
            model_name='arrsroleevent',
            name='section',
            field=models.CharField(blank=True, help_text='Where in the documents, for example “Table 2” or “Annex B paragraph 3”.', max_length=200, verbose_name='section or table'),
        ),
        migrations.AddField(
            model_name='maximumamount',
            name='section',
            field=models.CharField(blank=True, help_text='Where in the documents, for example “Table 2” or “Annex B paragraph 3”.', max_length=200, verbose_name='section or table'),
        ),
        migrations.AddField(
            model_name='maximumamount',
            name='sources',
            field=models.ManyToManyField(blank=True, help_text='The public documents the figures come from.', related_name='+', to='networks.source'),
        ),
        migrations.AddField(
            model_name='maximumamountevent',
            name='section',
            field=models.CharField(blank=True, help_text='Where in the documents, for example “Table 2” or “Annex B paragraph 3”.', max_length=200, verbose_name='section or table'),
        ),
        migrations.AddField(
            model_name='ringfencedsum',
            name='section',
            field=models.CharField(blank=True, help_text='Where in the documents, for example “Table 2” or “Annex B paragraph 3”.', max_length=200, verbose_name='section or table'),
        ),
        migrations.AddField(
            model_name='ringfencedsum',
            name='sources',
            field=models.ManyToManyField(blank=True, help_text='The public documents the figures come from.', related_name='+', to='networks.source'),
        ),
        migrations.AddField(
            model_name='ringfencedsumevent',
            name='section',
            field=models.CharField(blank=True, help_text='Where in the documents, for example “Table 2” or “Annex B paragraph 3”.', max_length=200, verbose_name='section or table'),
        ),
        migrations.AddField(
            model_name='rolecap',
            name='section',
            field=models.CharField(blank=True, help_text='Where in the documents, for example “Table 2” or “Annex B paragraph 3”.', max_length=200, verbose_name='section or table'),
        ),
        migrations.AddField(
            model_name='rolecap',
            name='sources',
            field=models.ManyToManyField(blank=True, help_text='The public documents the figures come from.', related_name='+', to='networks.source'),
        ),
        migrations.AddField(
            model_name='rolecapevent',
            name='section',
            field=models.CharField(blank=True, help_text='Where in the documents, for example “Table 2” or “Annex B paragraph 3”.', max_length=200, verbose_name='section or table'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='allocationrate',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "workforce_allocationrateevent" ("financial_year", "id", "national_total", "notes", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "population_basis", "pounds_per_weighted_patient", "section") VALUES (NEW."financial_year", NEW."id", NEW."national_total", NEW."notes", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."population_basis", NEW."pounds_per_weighted_patient", NEW."section"); RETURN NULL;', hash='b855e47c184121edf9ecb2bb16041bafffa6746a', operation='INSERT', pgid='pgtrigger_insert_insert_c9fd5', table='workforce_allocationrate', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='allocationrate',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "workforce_allocationrateevent" ("financial_year", "id", "national_total", "notes", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "population_basis", "pounds_per_weighted_patient", "section") VALUES (NEW."financial_year", NEW."id", NEW."national_total", NEW."notes", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."population_basis", NEW."pounds_per_weighted_patient", NEW."section"); RETURN NULL;', hash='ff2b003393a0bf6097cd335ad4573ba71e963fcb', operation='UPDATE', pgid='pgtrigger_update_update_5cc9f', table='workforce_allocationrate', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='allocationrate',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "workforce_allocationrateevent" ("financial_year", "id", "national_total", "notes", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "population_basis", "pounds_per_weighted_patient", "section") VALUES (OLD."financial_year", OLD."id", OLD."national_total", OLD."notes", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."population_basis", OLD."pounds_per_weighted_patient", OLD."section"); RETURN NULL;', hash='24bcb6197b5188a233cc1d8b5ce4ca56d1b3a8a6', operation='DELETE', pgid='pgtrigger_delete_delete_e80c2', table='workforce_allocationrate', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='arrsrole',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "workforce_arrsroleevent" ("afc_bands", "code", "id", "name", "notes", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "reimbursable_from", "reimbursable_until", "section") VALUES (NEW."afc_bands", NEW."code", NEW."id", NEW."name", NEW."notes", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."reimbursable_from", NEW."reimbursable_until", NEW."section"); RETURN NULL;', hash='7007a9e19cb981f51c180c7b438fe3812a6472b8', operation='INSERT', pgid='pgtrigger_insert_insert_5b2e3', table='workforce_arrsrole', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='arrsrole',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "workforce_arrsroleevent" ("afc_bands", "code", "id", "name", "notes", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "reimbursable_from", "reimbursable_until", "section") VALUES (NEW."afc_bands", NEW."code", NEW."id", NEW."name", NEW."notes", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."reimbursable_from", NEW."reimbursable_until", NEW."section"); RETURN NULL;', hash='a9a45bdbc29a615c6a798e43e9463026ea127300', operation='UPDATE', pgid='pgtrigger_update_update_34d55', table='workforce_arrsrole', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='arrsrole',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "workforce_arrsroleevent" ("afc_bands", "code", "id", "name", "notes", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "reimbursable_from", "reimbursable_until", "section") VALUES (OLD."afc_bands", OLD."code", OLD."id", OLD."name", OLD."notes", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."reimbursable_from", OLD."reimbursable_until", OLD."section"); RETURN NULL;', hash='a266ed4f20925e8d51bd7b6cac8d7e663e75097a', operation='DELETE', pgid='pgtrigger_delete_delete_18153', table='workforce_arrsrole', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='maximumamount',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "workforce_maximumamountevent" ("afc_band", "id", "inner_london", "national", "notes", "outer_london", "period_end", "period_start", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "role_id", "section", "unknown") VALUES (NEW."afc_band", NEW."id", NEW."inner_london", NEW."national", NEW."notes", NEW."outer_london", NEW."period_end", NEW."period_start", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."role_id", NEW."section", NEW."unknown"); RETURN NULL;', hash='da7d88df174daec410301c18d9659b2189d1cab6', operation='INSERT', pgid='pgtrigger_insert_insert_b31d3', table='workforce_maximumamount', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='maximumamount',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "workforce_maximumamountevent" ("afc_band", "id", "inner_london", "national", "notes", "outer_london", "period_end", "period_start", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "role_id", "section", "unknown") VALUES (NEW."afc_band", NEW."id", NEW."inner_london", NEW."national", NEW."notes", NEW."outer_london", NEW."period_end", NEW."period_start", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."role_id", NEW."section", NEW."unknown"); RETURN NULL;', hash='327ec1ca08c1a3894db6ad8ee6445c103b5177e3', operation='UPDATE', pgid='pgtrigger_update_update_c646d', table='workforce_maximumamount', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='maximumamount',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "workforce_maximumamountevent" ("afc_band", "id", "inner_london", "national", "notes", "outer_london", "period_end", "period_start", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "role_id", "section", "unknown") VALUES (OLD."afc_band", OLD."id", OLD."inner_london", OLD."national", OLD."notes", OLD."outer_london", OLD."period_end", OLD."period_start", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."role_id", OLD."section", OLD."unknown"); RETURN NULL;', hash='a3eb0744cc183a4c7cd1df609a69c79f3779bd33', operation='DELETE', pgid='pgtrigger_delete_delete_95a00', table='workforce_maximumamount', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='ringfencedsum',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "workforce_ringfencedsumevent" ("financial_year", "first_day", "id", "last_day", "notes", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "pounds_per_weighted_patient", "role_id", "section") VALUES (NEW."financial_year", NEW."first_day", NEW."id", NEW."last_day", NEW."notes", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."pounds_per_weighted_patient", NEW."role_id", NEW."section"); RETURN NULL;', hash='3dd872103f94070287319af690077ecb90099f84', operation='INSERT', pgid='pgtrigger_insert_insert_6ffb0', table='workforce_ringfencedsum', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='ringfencedsum',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "workforce_ringfencedsumevent" ("financial_year", "first_day", "id", "last_day", "notes", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "pounds_per_weighted_patient", "role_id", "section") VALUES (NEW."financial_year", NEW."first_day", NEW."id", NEW."last_day", NEW."notes", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."pounds_per_weighted_patient", NEW."role_id", NEW."section"); RETURN NULL;', hash='07097eddfe51ae156cc33f92339d808349e897e0', operation='UPDATE', pgid='pgtrigger_update_update_60aee', table='workforce_ringfencedsum', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='ringfencedsum',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "workforce_ringfencedsumevent" ("financial_year", "first_day", "id", "last_day", "notes", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "pounds_per_weighted_patient", "role_id", "section") VALUES (OLD."financial_year", OLD."first_day", OLD."id", OLD."last_day", OLD."notes", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."pounds_per_weighted_patient", OLD."role_id", OLD."section"); RETURN NULL;', hash='5ec27aa2d129146399de74277248b0220d5def04', operation='DELETE', pgid='pgtrigger_delete_delete_19c1f', table='workforce_ringfencedsum', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='rolecap',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "workforce_rolecapevent" ("id", "kind", "max_count", "max_count_above_threshold", "notes", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "population_threshold", "refuses", "role_id", "rule", "section", "share", "valid_from", "valid_until") VALUES (NEW."id", NEW."kind", NEW."max_count", NEW."max_count_above_threshold", NEW."notes", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."population_threshold", NEW."refuses", NEW."role_id", NEW."rule", NEW."section", NEW."share", NEW."valid_from", NEW."valid_until"); RETURN NULL;', hash='ef7dff07a4c4c0b236cf96b9f860548a0cbcaa34', operation='INSERT', pgid='pgtrigger_insert_insert_69d26', table='workforce_rolecap', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='rolecap',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "workforce_rolecapevent" ("id", "kind", "max_count", "max_count_above_threshold", "notes", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "population_threshold", "refuses", "role_id", "rule", "section", "share", "valid_from", "valid_until") VALUES (NEW."id", NEW."kind", NEW."max_count", NEW."max_count_above_threshold", NEW."notes", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."population_threshold", NEW."refuses", NEW."role_id", NEW."rule", NEW."section", NEW."share", NEW."valid_from", NEW."valid_until"); RETURN NULL;', hash='fa607494387df211c789c72753952eb4ae636095', operation='UPDATE', pgid='pgtrigger_update_update_fa5f9', table='workforce_rolecap', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='rolecap',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "workforce_rolecapevent" ("id", "kind", "max_count", "max_count_above_threshold", "notes", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "population_threshold", "refuses", "role_id", "rule", "section", "share", "valid_from", "valid_until") VALUES (OLD."id", OLD."kind", OLD."max_count", OLD."max_count_above_threshold", OLD."notes", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."population_threshold", OLD."refuses", OLD."role_id", OLD."rule", OLD."section", OLD."share", OLD."valid_from", OLD."valid_until"); RETURN NULL;', hash='313bb6550afa1c824c1bf8aad92dbd25385cb6aa', operation='DELETE', pgid='pgtrigger_delete_delete_1e817', table='workforce_rolecap', when='AFTER')),
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
