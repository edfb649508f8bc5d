"""A held line (no maximum amount known) is never part of a submitted or approved claim: each
line kept at £0 on one moves to a draft supplementary claim for its month, naming the claim it
was held out of, as submitting a claim does from now on. The amounts of the claims it leaves
do not change (a held line claimed £0); the move is in the lines' history."""

import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
import pgtrigger
from django.db import migrations, models
from django.db.models import Max

SEALED = ("submitted", "approved")


def hold_lines_out(apps, schema_editor):
    Claim = apps.get_model("workforce", "Claim")
    ClaimLine = apps.get_model("workforce", "ClaimLine")
    held = ClaimLine.objects.filter(
        claim__status__in=SEALED, maximum_amount__isnull=True, corrects__isnull=True
    ).select_related("claim")
    by_claim = {}
    for line in held:
        by_claim.setdefault(line.claim, []).append(line)
    # The sealed claims' lines are moved once, here, as submit_claim now does before it
    # seals a claim; the database refuses any other change to them.
    with pgtrigger.ignore("workforce.ClaimLine:sealed_claim_line"):
        for claim, lines in by_claim.items():
            month = Claim.objects.filter(pcn_id=claim.pcn_id, month=claim.month)
            last = month.aggregate(n=Max("supplement"))["n"]
            later = Claim.objects.create(
                pcn_id=claim.pcn_id, month=claim.month, supplement=last + 1,
                synthetic=claim.synthetic,
            )  # fmt: skip
            for line in lines:
                line.claim = later
                line.held_from = claim
            ClaimLine.objects.bulk_update(lines, ["claim", "held_from"])


class Migration(migrations.Migration):
    dependencies = [
        ("workforce", "0011_post_terms_from_a_day"),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name="claim",
            name="sealed_claim_update",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="claimline",
            name="claim_line_claimed_once_a_month",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="claimline",
            name="insert_insert",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="claimline",
            name="update_update",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="claimline",
            name="delete_delete",
        ),
        migrations.AddField(
            model_name="claimline",
            name="held_from",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                help_text="The claim of the month this line was held out of when it was submitted, no maximum amount being known for it then; blank for a line of its claim from the start.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="held_out_lines",
                to="workforce.claim",
            ),
        ),
        migrations.AddField(
            model_name="claimlineevent",
            name="held_from",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                help_text="The claim of the month this line was held out of when it was submitted, no maximum amount being known for it then; blank for a line of its claim from the start.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                related_query_name="+",
                to="workforce.claim",
            ),
        ),
        migrations.AlterField(
            model_name="claim",
            name="supplement",
            field=models.PositiveSmallIntegerField(
                db_default=0,
                default=0,
                editable=False,
                help_text="0 for the month's claim; 1, 2… for its supplementary claims, each holding the lines an earlier claim of the month left out because no maximum amount was known, to claim once it is.",
            ),
        ),
        migrations.AlterField(
            model_name="claimevent",
            name="supplement",
            field=models.PositiveSmallIntegerField(
                db_default=0,
                default=0,
                editable=False,
                help_text="0 for the month's claim; 1, 2… for its supplementary claims, each holding the lines an earlier claim of the month left out because no maximum amount was known, to claim once it is.",
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="claim",
            trigger=pgtrigger.compiler.Trigger(
                name="sealed_claim_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    declare="DECLARE sealed_status text; sealed_month date; sealed_network text;",
                    func="\n    IF NEW IS NOT DISTINCT FROM OLD THEN\n        RETURN NEW;\n    END IF;\n    IF NEW.status IN ('submitted', 'approved') AND EXISTS (\n        SELECT 1 FROM workforce_claimline l\n        WHERE l.claim_id = NEW.id AND l.maximum_amount IS NULL\n    ) THEN\n        RAISE EXCEPTION USING ERRCODE = 'check_violation', MESSAGE = format(\n            'The claim for %s still has lines without a maximum amount: a held line is '\n            'never submitted or approved. Submit the claim from the portal, which moves them '\n            'to a supplementary claim for the month.', to_char(NEW.month, 'FMMonth YYYY'));\n    END IF;\n    IF OLD.status = 'submitted'\n        AND NEW.status IN ('approved', 'rejected')\n        AND (NEW.id, NEW.pcn_id, NEW.month, NEW.submitted_by_id, NEW.submitted_at,\n             NEW.synthetic)\n            IS NOT DISTINCT FROM\n            (OLD.id, OLD.pcn_id, OLD.month, OLD.submitted_by_id, OLD.submitted_at,\n             OLD.synthetic)\n    THEN\n        RETURN NEW;\n    END IF;\n    \n        SELECT c.status, c.month, regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(initcap(p.name), '\\mApms\\M', 'APMS', 'g'), '\\mCcg\\M', 'CCG', 'g'), '\\mCic\\M', 'CIC', 'g'), '\\mGms\\M', 'GMS', 'g'), '\\mGp\\M', 'GP', 'g'), '\\mGps\\M', 'GPS', 'g'), '\\mIcb\\M', 'ICB', 'g'), '\\mIcs\\M', 'ICS', 'g'), '\\mIi\\M', 'II', 'g'), '\\mIii\\M', 'III', 'g'), '\\mIv\\M', 'IV', 'g'), '\\mLlp\\M', 'LLP', 'g'), '\\mNhs\\M', 'NHS', 'g'), '\\mOoh\\M', 'OOH', 'g'), '\\mPcn\\M', 'PCN', 'g'), '\\mPcns\\M', 'PCNS', 'g'), '\\mPlc\\M', 'PLC', 'g'), '\\mPms\\M', 'PMS', 'g'), '\\mStp\\M', 'STP', 'g'), '\\mUk\\M', 'UK', 'g'), '\\mUtc\\M', 'UTC', 'g'), '(.)\\mAnd\\M', '\\1and', 'g'), '(.)\\mAt\\M', '\\1at', 'g'), '(.)\\mBy\\M', '\\1by', 'g'), '(.)\\mFor\\M', '\\1for', 'g'), '(.)\\mIn\\M', '\\1in', 'g'), '(.)\\mOf\\M', '\\1of', 'g'), '(.)\\mOn\\M', '\\1on', 'g'), '(.)\\mThe\\M', '\\1the', 'g'), '(.)\\mUnder\\M', '\\1under', 'g'), '(.)\\mUpon\\M', '\\1upon', 'g'), '(.)\\mWith\\M', '\\1with', 'g'), '''S\\M', '''s', 'g')\n        INTO sealed_status, sealed_month, sealed_network\n        FROM workforce_claim c JOIN networks_primarycarenetwork p ON p.id = c.pcn_id\n        WHERE c.id = OLD.id;\n        IF sealed_status IN ('submitted', 'approved') THEN\n            RAISE EXCEPTION USING ERRCODE = '23S01', MESSAGE = format(\n                'The claim of %s for %s is %s, so it cannot be changed: a submitted or approved claim '\n                'is kept as it is for audit. Put a mistake right with an adjustment line '\n                'in a later claim.',\n                sealed_network, to_char(sealed_month, 'FMMonth YYYY'), sealed_status\n            );\n        END IF;\n    \n    RETURN NEW;\n",
                    hash="2a88530948ce0737032136677a106ab35da5ad7f",
                    operation="UPDATE",
                    pgid="pgtrigger_sealed_claim_update_8de99",
                    table="workforce_claim",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="claimline",
            trigger=pgtrigger.compiler.Trigger(
                name="claim_line_claimed_once_a_month",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    declare="DECLARE this_pcn integer; this_month date; this_supplement smallint;",
                    func="\n    SELECT pcn_id, month, supplement INTO this_pcn, this_month, this_supplement\n    FROM workforce_claim WHERE id = NEW.claim_id;\n    IF NEW.corrects_id IS NOT NULL THEN\n        RETURN NEW;  -- an adjustment corrects an approved line; it claims no month itself\n    END IF;\n    IF NEW.maximum_amount IS NOT NULL AND EXISTS (\n        SELECT 1 FROM workforce_claimline other\n        JOIN workforce_claim c ON c.id = other.claim_id\n        WHERE other.post_id = NEW.post_id AND other.id <> NEW.id\n          AND c.month = this_month AND other.maximum_amount IS NOT NULL\n          AND other.corrects_id IS NULL\n    ) THEN\n        RAISE EXCEPTION 'Post % is already claimed for the month of %: a post is claimed '\n            'once a month.', NEW.post_id, to_char(this_month, 'FMMonth YYYY')\n            USING ERRCODE = 'unique_violation';\n    END IF;\n    IF this_supplement > 0 AND NOT EXISTS (\n        SELECT 1 FROM workforce_claim c\n        WHERE c.id = NEW.held_from_id AND c.pcn_id = this_pcn AND c.month = this_month\n          AND c.supplement < this_supplement\n    ) THEN\n        RAISE EXCEPTION 'Post % was not held out of an earlier claim for %: a supplementary '\n            'claim claims only held lines.', NEW.post_id, to_char(this_month, 'FMMonth YYYY')\n            USING ERRCODE = 'check_violation';\n    END IF;\n    IF this_supplement = 0 AND NEW.held_from_id IS NOT NULL THEN\n        RAISE EXCEPTION 'A line held out of a claim goes to a supplementary claim for its '\n            'month, not to a month''s own claim.' USING ERRCODE = 'check_violation';\n    END IF;\n    RETURN NEW;\n",
                    hash="bda7ef8c15028cd9ee00452f1fb6f801a6a2e590",
                    operation='INSERT OR UPDATE OF "claim_id", "post_id", "maximum_amount", "corrects_id", "held_from_id"',
                    pgid="pgtrigger_claim_line_claimed_once_a_month_0b569",
                    table="workforce_claimline",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="claimline",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "workforce_claimlineevent" ("claim_id", "corrects_id", "employer_ni", "employer_pension", "held_from_id", "held_reason", "id", "maximum_amount", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "post_id", "reason", "reimbursable_amount", "salary", "synthetic", "weekly_hours") VALUES (NEW."claim_id", NEW."corrects_id", NEW."employer_ni", NEW."employer_pension", NEW."held_from_id", NEW."held_reason", NEW."id", NEW."maximum_amount", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."post_id", NEW."reason", NEW."reimbursable_amount", NEW."salary", NEW."synthetic", NEW."weekly_hours"); RETURN NULL;',
                    hash="bb5a1ea2c032e28d2a7921cdfe0d858b8360dee7",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_3dcd7",
                    table="workforce_claimline",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="claimline",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                    func='INSERT INTO "workforce_claimlineevent" ("claim_id", "corrects_id", "employer_ni", "employer_pension", "held_from_id", "held_reason", "id", "maximum_amount", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "post_id", "reason", "reimbursable_amount", "salary", "synthetic", "weekly_hours") VALUES (NEW."claim_id", NEW."corrects_id", NEW."employer_ni", NEW."employer_pension", NEW."held_from_id", NEW."held_reason", NEW."id", NEW."maximum_amount", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."post_id", NEW."reason", NEW."reimbursable_amount", NEW."salary", NEW."synthetic", NEW."weekly_hours"); RETURN NULL;',
                    hash="7f3eb19cf7c04adc0df5ed6241d1b0ca137d762a",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_9dddf",
                    table="workforce_claimline",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="claimline",
            trigger=pgtrigger.compiler.Trigger(
                name="delete_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "workforce_claimlineevent" ("claim_id", "corrects_id", "employer_ni", "employer_pension", "held_from_id", "held_reason", "id", "maximum_amount", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "post_id", "reason", "reimbursable_amount", "salary", "synthetic", "weekly_hours") VALUES (OLD."claim_id", OLD."corrects_id", OLD."employer_ni", OLD."employer_pension", OLD."held_from_id", OLD."held_reason", OLD."id", OLD."maximum_amount", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."post_id", OLD."reason", OLD."reimbursable_amount", OLD."salary", OLD."synthetic", OLD."weekly_hours"); RETURN NULL;',
                    hash="8889df70b966a2afc72911a090c87a805dd8ce19",
                    operation="DELETE",
                    pgid="pgtrigger_delete_delete_9a208",
                    table="workforce_claimline",
                    when="AFTER",
                ),
            ),
        ),
        migrations.RunPython(hold_lines_out, migrations.RunPython.noop, elidable=False),
    ]
