"""The network that added each partner organisation (blank: a national record), so the
partners list says whose each is and only national admins change a shared one.

Partners already held get their network from the audit history: a partner a network added
on its partners page was made in the same change as that network's collaboration with it
(networks.actions.add_collaboration), so the two insert events share a context, and that
change added no other collaboration. Any other partner (made in admin, by the demo or
national data sets, which add many collaborations in one change, or before the history)
stays national."""

import django.db.models.deletion
import pghistory
from django.db.models import Count, OuterRef, Subquery
import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models


def added_by_network(apps, schema_editor):
    Partner = apps.get_model("networks", "PartnerOrganisation")
    PartnerEvent = apps.get_model("networks", "PartnerOrganisationEvent")
    CollaborationEvent = apps.get_model("networks", "CollaborationEvent")
    added = CollaborationEvent.objects.filter(pgh_label="insert")
    # A change that added one collaboration, with this partner: a page's, not a seed's or
    # an import's, which add many under one context.
    lone = (
        added.filter(pgh_context_id=OuterRef("pgh_context_id"))
        .order_by()
        .values("pgh_context_id")
        .annotate(n=Count("pk"))
        .filter(n=1)
        .values("pgh_context_id")
    )
    made_with = added.filter(
        partner_id=OuterRef("pgh_obj_id"),
        pgh_context_id=OuterRef("pgh_context_id"),
        pgh_context_id__in=lone,
    ).values("pcn_id")[:1]
    found = (
        PartnerEvent.objects.filter(pgh_label="insert", pgh_context_id__isnull=False)
        .annotate(network=Subquery(made_with))
        .filter(network__isnull=False)
        .values_list("pgh_obj_id", "network")
    )
    with pghistory.context(process="manage.py migrate (networks 0003: who added each partner)"):
        for partner, network in found:
            Partner.objects.filter(pk=partner).update(added_by_pcn_id=network)


class Migration(migrations.Migration):

    dependencies = [
        ('networks', '0002_initial'),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name='partnerorganisation',
            name='insert_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='partnerorganisation',
            name='update_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='partnerorganisation',
            name='delete_delete',
        ),
        migrations.AddField(
            model_name='partnerorganisation',
            name='added_by_pcn',
            field=models.ForeignKey(blank=True, help_text='The network that added it; blank for a national record.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='partners_added', to='networks.primarycarenetwork', verbose_name='added by network'),
        ),
        migrations.AddField(
            model_name='partnerorganisationevent',
            name='added_by_pcn',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='The network that added it; blank for a national record.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='networks.primarycarenetwork', verbose_name='added by network'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='partnerorganisation',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "networks_partnerorganisationevent" ("added_by_pcn_id", "id", "kind", "name", "ods_code", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id") VALUES (NEW."added_by_pcn_id", NEW."id", NEW."kind", NEW."name", NEW."ods_code", _pgh_attach_context(), NOW(), \'insert\', NEW."id"); RETURN NULL;', hash='d70431bb6ce215e0f6bbbb00ff26674618ccc328', operation='INSERT', pgid='pgtrigger_insert_insert_740b6', table='networks_partnerorganisation', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='partnerorganisation',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "networks_partnerorganisationevent" ("added_by_pcn_id", "id", "kind", "name", "ods_code", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id") VALUES (NEW."added_by_pcn_id", NEW."id", NEW."kind", NEW."name", NEW."ods_code", _pgh_attach_context(), NOW(), \'update\', NEW."id"); RETURN NULL;', hash='687120cbef81b364edee65a5df5c581371a3ca95', operation='UPDATE', pgid='pgtrigger_update_update_c5b5d', table='networks_partnerorganisation', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='partnerorganisation',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "networks_partnerorganisationevent" ("added_by_pcn_id", "id", "kind", "name", "ods_code", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id") VALUES (OLD."added_by_pcn_id", OLD."id", OLD."kind", OLD."name", OLD."ods_code", _pgh_attach_context(), NOW(), \'delete\', OLD."id"); RETURN NULL;', hash='3f107277ca97c92ef9618a4f0f7093c81b3cb3cc', operation='DELETE', pgid='pgtrigger_delete_delete_d02ae', table='networks_partnerorganisation', when='AFTER')),
        ),
        migrations.RunPython(added_by_network, migrations.RunPython.noop),
    ]
