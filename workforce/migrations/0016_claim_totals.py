"""Each claim keeps what it asks for as submitted (claimed_total, gp_total), set by
workforce.actions.submit_claim from now on, so an area's figures as of a date sum claims by
the days they were submitted and decided rather than some 400,000 claim lines a year; a
decision cannot change them (the sealed_claim_update trigger).

Every claim ever submitted (any status but draft) is given its totals here, from its lines
as they are: a sealed claim's lines have not changed since its submission; a rejected claim
edited since its rejection gets its lines of today. The rule is workforce.models.kept_totals
as shipped with this migration, frozen here in SQL. The backfill is a figure worked out
from the records, not a change anyone made: it writes no history event per claim."""

import pgtrigger.compiler
import pgtrigger.migrations
import pgtrigger
from django.db import migrations, models

BACKFILL = """
    UPDATE workforce_claim c
    SET claimed_total = t.claimed_total, gp_total = t.gp_total
    FROM (
        SELECT
            claim.id,
            coalesce(sum(l.reimbursable_amount), 0) AS claimed_total,
            coalesce(sum(l.reimbursable_amount) FILTER (WHERE r.id IS NOT NULL), 0) AS gp_total
        FROM workforce_claim claim
        LEFT JOIN workforce_claimline l ON l.claim_id = claim.id
        LEFT JOIN workforce_post p ON p.id = l.post_id
        LEFT JOIN workforce_ringfencedsum r ON r.role_id = p.role_id
            AND r.financial_year = (EXTRACT(YEAR FROM claim.month - interval '3 months'))::integer
        WHERE claim.status <> 'draft'
        GROUP BY claim.id
    ) t
    WHERE c.id = t.id
"""


def keep_totals(apps, schema_editor):
    # A sealed claim is refused any change but this one, made once here.
    ignored = ["sealed_claim_update", "insert_insert", "update_update", "delete_delete"]
    with pgtrigger.ignore(*(f"workforce.Claim:{name}" for name in ignored)):
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(BACKFILL)


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0005_source_titles_readers_can_read"),
        ("workforce", "0015_backdated_arrears"),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name="claim",
            name="insert_insert",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="claim",
            name="update_update",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="claim",
            name="delete_delete",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="claim",
            name="sealed_claim_update",
        ),
        migrations.AddField(
            model_name="claim",
            name="claimed_total",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                editable=False,
                help_text="The reimbursable amounts of the claim's lines when it was submitted.",
                max_digits=12,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="claim",
            name="gp_total",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                editable=False,
                help_text="The part of the claimed total on the year's ring-fenced sum (2024/25's GP lines on the GP sum); 0 in a year without one.",
                max_digits=12,
                null=True,
                verbose_name="GP total",
            ),
        ),
        migrations.AddField(
            model_name="claimevent",
            name="claimed_total",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                editable=False,
                help_text="The reimbursable amounts of the claim's lines when it was submitted.",
                max_digits=12,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="claimevent",
            name="gp_total",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                editable=False,
                help_text="The part of the claimed total on the year's ring-fenced sum (2024/25's GP lines on the GP sum); 0 in a year without one.",
                max_digits=12,
                null=True,
                verbose_name="GP total",
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="claim",
            trigger=pgtrigger.compiler.Trigger(
                name="sealed_claim_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    declare="DECLARE sealed_status text; sealed_month date; sealed_pcn integer; sealed_network text;",
                    func="\n    IF NEW IS NOT DISTINCT FROM OLD THEN\n        RETURN NEW;\n    END IF;\n    IF NEW.status IN ('submitted', 'approved') AND EXISTS (\n        SELECT 1 FROM workforce_claimline l\n        WHERE l.claim_id = NEW.id AND l.maximum_amount IS NULL\n    ) THEN\n        RAISE EXCEPTION USING ERRCODE = 'check_violation', MESSAGE = format(\n            'The claim for %s still has lines without a maximum amount: a held line is '\n            'never submitted or approved. Submit the claim from the portal, which moves them '\n            'to a supplementary claim for the month.', to_char(NEW.month, 'FMMonth YYYY'));\n    END IF;\n    IF OLD.status = 'submitted'\n        AND NEW.status IN ('approved', 'rejected')\n        AND (NEW.id, NEW.pcn_id, NEW.month, NEW.submitted_by_id, NEW.submitted_at,\n             NEW.claimed_total, NEW.gp_total, NEW.synthetic)\n            IS NOT DISTINCT FROM\n            (OLD.id, OLD.pcn_id, OLD.month, OLD.submitted_by_id, OLD.submitted_at,\n             OLD.claimed_total, OLD.gp_total, OLD.synthetic)\n    THEN\n        RETURN NEW;\n    END IF;\n    \n        SELECT c.status, c.month, c.pcn_id INTO sealed_status, sealed_month, sealed_pcn\n        FROM workforce_claim c WHERE c.id = OLD.id;\n        IF sealed_status IN ('submitted', 'approved') THEN\n            SELECT regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(initcap(p.name), '\\mApms\\M', 'APMS', 'g'), '\\mCcg\\M', 'CCG', 'g'), '\\mCic\\M', 'CIC', 'g'), '\\mGms\\M', 'GMS', 'g'), '\\mGp\\M', 'GP', 'g'), '\\mGps\\M', 'GPS', 'g'), '\\mIcb\\M', 'ICB', 'g'), '\\mIcs\\M', 'ICS', 'g'), '\\mIi\\M', 'II', 'g'), '\\mIii\\M', 'III', 'g'), '\\mIv\\M', 'IV', 'g'), '\\mLlp\\M', 'LLP', 'g'), '\\mNhs\\M', 'NHS', 'g'), '\\mOoh\\M', 'OOH', 'g'), '\\mPcn\\M', 'PCN', 'g'), '\\mPcns\\M', 'PCNS', 'g'), '\\mPlc\\M', 'PLC', 'g'), '\\mPms\\M', 'PMS', 'g'), '\\mStp\\M', 'STP', 'g'), '\\mUk\\M', 'UK', 'g'), '\\mUtc\\M', 'UTC', 'g'), '(.)\\mAnd\\M', '\\1and', 'g'), '(.)\\mAt\\M', '\\1at', 'g'), '(.)\\mBy\\M', '\\1by', 'g'), '(.)\\mFor\\M', '\\1for', 'g'), '(.)\\mIn\\M', '\\1in', 'g'), '(.)\\mOf\\M', '\\1of', 'g'), '(.)\\mOn\\M', '\\1on', 'g'), '(.)\\mThe\\M', '\\1the', 'g'), '(.)\\mUnder\\M', '\\1under', 'g'), '(.)\\mUpon\\M', '\\1upon', 'g'), '(.)\\mWith\\M', '\\1with', 'g'), '''S\\M', '''s', 'g') INTO sealed_network\n            FROM networks_primarycarenetwork p WHERE p.id = sealed_pcn;\n            RAISE EXCEPTION USING ERRCODE = '23S01', MESSAGE = format(\n                'The claim of %s for %s is %s, so it cannot be changed: a submitted or approved claim '\n                'is kept as it is for audit. Put a mistake right with an adjustment line '\n                'in a later claim.',\n                sealed_network, to_char(sealed_month, 'FMMonth YYYY'), sealed_status\n            );\n        END IF;\n    \n    RETURN NEW;\n",
                    hash="9c7e27ce17e0c8f2176b665869fb5761bcf881bf",
                    operation="UPDATE",
                    pgid="pgtrigger_sealed_claim_update_8de99",
                    table="workforce_claim",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="claim",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "workforce_claimevent" ("claimed_total", "decided_at", "decided_by_id", "decision_note", "gp_total", "id", "month", "pcn_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "status", "submitted_at", "submitted_by_id", "supplement", "synthetic") VALUES (NEW."claimed_total", NEW."decided_at", NEW."decided_by_id", NEW."decision_note", NEW."gp_total", NEW."id", NEW."month", NEW."pcn_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."status", NEW."submitted_at", NEW."submitted_by_id", NEW."supplement", NEW."synthetic"); RETURN NULL;',
                    hash="16029755fd19839715f7d23357dc745f5d09c369",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_032f3",
                    table="workforce_claim",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="claim",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                    func='INSERT INTO "workforce_claimevent" ("claimed_total", "decided_at", "decided_by_id", "decision_note", "gp_total", "id", "month", "pcn_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "status", "submitted_at", "submitted_by_id", "supplement", "synthetic") VALUES (NEW."claimed_total", NEW."decided_at", NEW."decided_by_id", NEW."decision_note", NEW."gp_total", NEW."id", NEW."month", NEW."pcn_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."status", NEW."submitted_at", NEW."submitted_by_id", NEW."supplement", NEW."synthetic"); RETURN NULL;',
                    hash="b5144161fbb600c93ffbb36a4ee5c97e7800193e",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_ddf87",
                    table="workforce_claim",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="claim",
            trigger=pgtrigger.compiler.Trigger(
                name="delete_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "workforce_claimevent" ("claimed_total", "decided_at", "decided_by_id", "decision_note", "gp_total", "id", "month", "pcn_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "status", "submitted_at", "submitted_by_id", "supplement", "synthetic") VALUES (OLD."claimed_total", OLD."decided_at", OLD."decided_by_id", OLD."decision_note", OLD."gp_total", OLD."id", OLD."month", OLD."pcn_id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."status", OLD."submitted_at", OLD."submitted_by_id", OLD."supplement", OLD."synthetic"); RETURN NULL;',
                    hash="739b6dc06b6a4fc24aec017fce08bb11986f0003",
                    operation="DELETE",
                    pgid="pgtrigger_delete_delete_702bc",
                    table="workforce_claim",
                    when="AFTER",
                ),
            ),
        ),
        migrations.RunPython(keep_totals, migrations.RunPython.noop, elidable=False),
        # After the backfill, so that it does not write the index row by row.
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                condition=models.Q(("status", "draft"), _negated=True),
                fields=["month"],
                include=(
                    "pcn",
                    "status",
                    "submitted_at",
                    "decided_at",
                    "claimed_total",
                    "gp_total",
                ),
                name="claims_submitted_by_month",
            ),
        ),
    ]
