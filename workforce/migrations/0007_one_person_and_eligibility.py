"""One person paid once, who a role may fund, and three fixes to the maximum amounts.

Schema: a post's answers to the eligibility rules (CCT date, locum, already a GP before the
role became reimbursable, employed here in the previous 12 months, a more senior nursing
role), two kinds of rule row for them, and an index on the registration number as
workforce.rules compares it (the same person in every network's register).

Data, each change made only to a row still as it was shipped (a row a national admin
changed is kept, and the migration says so):

- DOMAIN.md Appendix A.1, 2024/25 first half: the clinical pharmacist's £62,340 and the
  pharmacy technician's £40,159 carried on from 1 July 2023 to 30 September 2024 (The
  Pharmacist, Sep 2024: the 1 October 2024 amounts were 5.6% and 5.7% more than before;
  the amounts themselves are The Pharmacist's of July 2023). National only: no London
  figure is given for that half year.
- The GP's one London rate (A.3 rule 3: GPs have one "London" rate) in both London
  columns in 2025/26, as it already is in 2024/25 (it was in outer London only).
- The advanced practitioner band 7 row (2025/26, outer London £72,327, from one public
  GitHub source only) is removed: the role is on band 8a in every source that quotes NHS
  England (§3.2, A.1, A.3 rule 5, where "level 7" is the level of advanced practice, not a
  pay band), so no post can be on band 7 and the row can never be used. Kept if an admin
  changed the row or gave the role band 7.
- Rule rows: the 12-month rule of the 2025/26 nurse and support roles (A.3 rule 11)
  becomes the kind the portal checks; the GP eligibility rule (§3.1, A.3 rule 10) is
  added from 1 October 2024 to 31 March 2026 (its two-year limit was removed for 2026/27,
  Surrey & Sussex LMCs); the 2019/20 one-WTE entitlements note that networks over 100,000
  patients had more (A.2), which no source quantifies, so the portal warns instead of
  refusing for them.
"""


import datetime

import django.db.models.functions.text
import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models


D = datetime.date
PROCESS = "migrate: one person paid once, eligibility rules, A.1 fixes"
ONE_AMOUNT_A_YEAR_NOTE = (
    "The amount from 1 July 2023, which still applied until 30 September 2024: The "
    "Pharmacist (Sep 2024) says the 1 October 2024 amount was 5.6% (clinical pharmacist) or "
    "5.7% (pharmacy technician) more than before. A reading of that article, not a figure "
    "it states. No London figures are given for this half year."
)
UNKNOWN = {"national": None, "outer_london": None, "inner_london": None, "unknown": True}
REVISIONS = [
    {
        "role": "clinical-pharmacist",
        "afc_band": "",
        "period_start": D(2024, 4, 1),
        "was": {**UNKNOWN, "period_end": D(2024, 9, 30)},
        "now": {**UNKNOWN, "unknown": False, "national": 62340, "period_end": D(2024, 9, 30),
                "notes": ONE_AMOUNT_A_YEAR_NOTE, "source": "A.S14, A.S17"},
    },
    {
        "role": "pharmacy-technician",
        "afc_band": "",
        "period_start": D(2024, 4, 1),
        "was": {**UNKNOWN, "period_end": D(2024, 9, 30)},
        "now": {**UNKNOWN, "unknown": False, "national": 40159, "period_end": D(2024, 9, 30),
                "notes": ONE_AMOUNT_A_YEAR_NOTE, "source": "A.S14, A.S17"},
    },
    {
        "role": "gp",
        "afc_band": "",
        "period_start": D(2025, 4, 1),
        "was": {"national": 105882, "outer_london": 108680, "inner_london": None,
                "unknown": False, "period_end": D(2026, 3, 31)},
        "now": {"national": 105882, "outer_london": 108680, "inner_london": 108680,
                "unknown": False, "period_end": D(2026, 3, 31),
                "notes": "Salary element 82,418. GPs have one London rate (Pulse PCN, Sep "
                "2024), shown in both London columns; its figure is from one public GitHub "
                "source only (probably the single London rate): unverified.",
                "source": "A.S25, A.S26, A.S27, A.S19"},
    },
]  # fmt: skip

AP_BAND_7 = {
    "period_start": D(2025, 4, 1),
    "period_end": D(2026, 3, 31),
    "national": None,
    "outer_london": 72327,
    "inner_london": None,
    "unknown": False,
}

PRIOR_EMPLOYMENT_ROLES = (
    "new-to-general-practice-nurse",
    "experienced-general-practice-nurse",
    "consultant-nurse",
    "healthcare-support-worker",
)
PRIOR_EMPLOYMENT_RULE = (
    "Not reimbursable for anyone employed by the network or its member practices in the "
    "previous 12 months, unless recruited to a more senior or specialist nursing role."
)
RECENT_GP = {
    "valid_from": D(2024, 10, 1),
    "valid_until": D(2026, 3, 31),
    "kind": "recent_gp",
    "rule": "Only GPs within two years of their Certificate of Completion of Training when "
    "the post starts, not locums, and not already employed as GPs before 1 October 2024. "
    "The two-year limit was removed for 2026/27.",
    "source": "S78, S79, S80, A.S19, A.S21, A.S26, A.S31",
}
ENTITLEMENT_2019 = {
    "clinical-pharmacist": "At most 1 WTE clinical pharmacist per network in 2019/20.",
    "social-prescribing-link-worker": "At most 1 WTE social prescribing link worker per "
    "network in 2019/20.",
}
OVER_100K = 100_001  # "more for PCNs over 100k" (DOMAIN.md A.2 2019/20): over, not at


def load(apps, schema_editor):
    import pghistory

    from workforce.reference import cite_entry, revise_maximum_amounts

    messages = revise_maximum_amounts(apps, REVISIONS, process=PROCESS)
    with pghistory.context(process=PROCESS):
        messages += _remove_ap_band_7(apps)
        messages += _rule_rows(apps, cite_entry)
    if schema_editor is not None:  # a migration run, not a test reloading the data
        for message in messages:
            print(f"  {message}")


def _remove_ap_band_7(apps):
    MaximumAmount = apps.get_model("workforce", "MaximumAmount")
    row = MaximumAmount.objects.filter(
        role__code="advanced-practitioner", afc_band="7", period_start=D(2025, 4, 1)
    ).select_related("role").first()
    if row is None:
        return []
    as_shipped = all(getattr(row, k) == v for k, v in AP_BAND_7.items())
    if not as_shipped or "7" in row.role.afc_bands.replace("8a", ""):
        return ["Kept as it is: advanced practitioner band 7 from 01 Apr 2025: changed since it "
                "was loaded, or the role now has band 7."]  # fmt: skip
    row.delete()
    return ["Removed: advanced practitioner band 7 from 01 Apr 2025 (no post can be on band 7)."]


def _rule_rows(apps, cite_entry):
    ARRSRole = apps.get_model("workforce", "ARRSRole")
    RoleCap = apps.get_model("workforce", "RoleCap")
    messages = []
    for code in PRIOR_EMPLOYMENT_ROLES:
        changed = RoleCap.objects.filter(
            role__code=code, valid_from=D(2025, 4, 1), kind="other", rule=PRIOR_EMPLOYMENT_RULE
        ).update(kind="prior_employment")
        if not changed:
            messages.append(f"Kept as it is: the 12-month rule of {code} (changed since loaded).")
    gp = ARRSRole.objects.filter(code="gp").first()
    if gp is not None and not RoleCap.objects.filter(role=gp, kind="recent_gp").exists():
        row = RoleCap.objects.create(
            role=gp, **{k: v for k, v in RECENT_GP.items() if k != "source"}
        )
        cite_entry(apps, row, RECENT_GP["source"])
        messages.append("Added: the GP eligibility rule from 01 Oct 2024 to 31 Mar 2026.")
    for code, rule in ENTITLEMENT_2019.items():
        changed = RoleCap.objects.filter(
            role__code=code, valid_from=D(2019, 7, 1), kind="max_wte", rule=rule,
            population_threshold__isnull=True, max_count_above_threshold__isnull=True,
        ).update(
            population_threshold=OVER_100K,
            rule=rule + " Networks over 100,000 patients were entitled to more; no source "
            "the portal holds says how much.",
        )  # fmt: skip
        if not changed:
            messages.append(f"Kept as it is: the 2019/20 entitlement of {code}.")
    return messages


class Migration(migrations.Migration):

    dependencies = [
        ('networks', '0004_source'),
        ('workforce', '0006_budget_figures'),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name='post',
            name='insert_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='post',
            name='update_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='post',
            name='delete_delete',
        ),
        migrations.AddField(
            model_name='post',
            name='cct_date',
            field=models.DateField(blank=True, help_text='GP posts only. From 1 October 2024 to 31 March 2026 ARRS funds only GPs within two years of their CCT on the day the post starts.', null=True, verbose_name='date of the Certificate of Completion of Training (CCT)'),
        ),
        migrations.AddField(
            model_name='post',
            name='employed_here_in_previous_year',
            field=models.BooleanField(blank=True, help_text='New-to-general-practice nurse, experienced general practice nurse, consultant nurse and healthcare support worker posts from April 2025: ARRS does not fund someone employed by the network or its member practices in the 12 months before the post, unless recruited to a more senior or specialist nursing role.', null=True, verbose_name='employed by the network or a member practice in the 12 months before starting'),
        ),
        migrations.AddField(
            model_name='post',
            name='gp_before_scheme',
            field=models.BooleanField(blank=True, help_text='GP posts only. ARRS does not fund GPs who were already substantively employed as GPs before the GP role became reimbursable on 1 October 2024.', null=True, verbose_name='already employed as a GP before 1 October 2024'),
        ),
        migrations.AddField(
            model_name='post',
            name='locum',
            field=models.BooleanField(blank=True, help_text='GP posts only. ARRS does not fund locum GPs (from 1 October 2024 to 31 March 2026); the GP must be employed on salaried GP terms.', null=True, verbose_name='engaged as a locum'),
        ),
        migrations.AddField(
            model_name='post',
            name='more_senior_nursing_role',
            field=models.BooleanField(blank=True, help_text='Only when employed here in the previous 12 months: a move to a more senior or specialist nursing role is the one exception the contract allows.', null=True, verbose_name='recruited to a more senior or specialist nursing role'),
        ),
        migrations.AddField(
            model_name='postevent',
            name='cct_date',
            field=models.DateField(blank=True, help_text='GP posts only. From 1 October 2024 to 31 March 2026 ARRS funds only GPs within two years of their CCT on the day the post starts.', null=True, verbose_name='date of the Certificate of Completion of Training (CCT)'),
        ),
        migrations.AddField(
            model_name='postevent',
            name='employed_here_in_previous_year',
            field=models.BooleanField(blank=True, help_text='New-to-general-practice nurse, experienced general practice nurse, consultant nurse and healthcare support worker posts from April 2025: ARRS does not fund someone employed by the network or its member practices in the 12 months before the post, unless recruited to a more senior or specialist nursing role.', null=True, verbose_name='employed by the network or a member practice in the 12 months before starting'),
        ),
        migrations.AddField(
            model_name='postevent',
            name='gp_before_scheme',
            field=models.BooleanField(blank=True, help_text='GP posts only. ARRS does not fund GPs who were already substantively employed as GPs before the GP role became reimbursable on 1 October 2024.', null=True, verbose_name='already employed as a GP before 1 October 2024'),
        ),
        migrations.AddField(
            model_name='postevent',
            name='locum',
            field=models.BooleanField(blank=True, help_text='GP posts only. ARRS does not fund locum GPs (from 1 October 2024 to 31 March 2026); the GP must be employed on salaried GP terms.', null=True, verbose_name='engaged as a locum'),
        ),
        migrations.AddField(
            model_name='postevent',
            name='more_senior_nursing_role',
            field=models.BooleanField(blank=True, help_text='Only when employed here in the previous 12 months: a move to a more senior or specialist nursing role is the one exception the contract allows.', null=True, verbose_name='recruited to a more senior or specialist nursing role'),
        ),
        migrations.AlterField(
            model_name='rolecap',
            name='kind',
            field=models.CharField(choices=[('max_posts', 'Maximum posts per network'), ('max_wte', 'Maximum WTE per network'), ('reimbursement_share', 'Share of costs reimbursed'), ('band_cap', 'Reimbursed at a lower band'), ('recent_gp', 'Only recently qualified GPs'), ('prior_employment', 'Not for staff employed here in the previous 12 months'), ('other', 'Other rule')], max_length=30),
        ),
        migrations.AlterField(
            model_name='rolecapevent',
            name='kind',
            field=models.CharField(choices=[('max_posts', 'Maximum posts per network'), ('max_wte', 'Maximum WTE per network'), ('reimbursement_share', 'Share of costs reimbursed'), ('band_cap', 'Reimbursed at a lower band'), ('recent_gp', 'Only recently qualified GPs'), ('prior_employment', 'Not for staff employed here in the previous 12 months'), ('other', 'Other rule')], max_length=30),
        ),
        migrations.AddIndex(
            model_name='staffmember',
            index=models.Index(models.Func(models.Func(django.db.models.functions.text.Upper('professional_registration'), models.Value('[^A-Z0-9]'), models.Value(''), models.Value('g'), function='regexp_replace', output_field=models.CharField()), models.Value('^(GPHC|GMC|NMC|HCPC)(?=.)'), models.Value(''), function='regexp_replace', output_field=models.CharField()), condition=models.Q(('professional_registration', ''), _negated=True), name='staff_registration_number'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='post',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "workforce_postevent" ("afc_band", "annual_employer_ni", "annual_employer_pension", "annual_salary", "arrs_funded", "cct_date", "employed_here_in_previous_year", "employer_name", "employer_practice_id", "employer_type", "end_date", "gp_before_scheme", "id", "locum", "london_zone", "more_senior_nursing_role", "pcn_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "role_id", "staff_member_id", "start_date", "synthetic", "weekly_hours") VALUES (NEW."afc_band", NEW."annual_employer_ni", NEW."annual_employer_pension", NEW."annual_salary", NEW."arrs_funded", NEW."cct_date", NEW."employed_here_in_previous_year", NEW."employer_name", NEW."employer_practice_id", NEW."employer_type", NEW."end_date", NEW."gp_before_scheme", NEW."id", NEW."locum", NEW."london_zone", NEW."more_senior_nursing_role", NEW."pcn_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."role_id", NEW."staff_member_id", NEW."start_date", NEW."synthetic", NEW."weekly_hours"); RETURN NULL;', hash='14d03084923179db25315120fa6ff76f1fa151a6', operation='INSERT', pgid='pgtrigger_insert_insert_2fca3', table='workforce_post', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='post',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "workforce_postevent" ("afc_band", "annual_employer_ni", "annual_employer_pension", "annual_salary", "arrs_funded", "cct_date", "employed_here_in_previous_year", "employer_name", "employer_practice_id", "employer_type", "end_date", "gp_before_scheme", "id", "locum", "london_zone", "more_senior_nursing_role", "pcn_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "role_id", "staff_member_id", "start_date", "synthetic", "weekly_hours") VALUES (NEW."afc_band", NEW."annual_employer_ni", NEW."annual_employer_pension", NEW."annual_salary", NEW."arrs_funded", NEW."cct_date", NEW."employed_here_in_previous_year", NEW."employer_name", NEW."employer_practice_id", NEW."employer_type", NEW."end_date", NEW."gp_before_scheme", NEW."id", NEW."locum", NEW."london_zone", NEW."more_senior_nursing_role", NEW."pcn_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."role_id", NEW."staff_member_id", NEW."start_date", NEW."synthetic", NEW."weekly_hours"); RETURN NULL;', hash='263ca93bece4f07567433fd0480ee89d2d81726b', operation='UPDATE', pgid='pgtrigger_update_update_e7ce2', table='workforce_post', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='post',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "workforce_postevent" ("afc_band", "annual_employer_ni", "annual_employer_pension", "annual_salary", "arrs_funded", "cct_date", "employed_here_in_previous_year", "employer_name", "employer_practice_id", "employer_type", "end_date", "gp_before_scheme", "id", "locum", "london_zone", "more_senior_nursing_role", "pcn_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "role_id", "staff_member_id", "start_date", "synthetic", "weekly_hours") VALUES (OLD."afc_band", OLD."annual_employer_ni", OLD."annual_employer_pension", OLD."annual_salary", OLD."arrs_funded", OLD."cct_date", OLD."employed_here_in_previous_year", OLD."employer_name", OLD."employer_practice_id", OLD."employer_type", OLD."end_date", OLD."gp_before_scheme", OLD."id", OLD."locum", OLD."london_zone", OLD."more_senior_nursing_role", OLD."pcn_id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."role_id", OLD."staff_member_id", OLD."start_date", OLD."synthetic", OLD."weekly_hours"); RETURN NULL;', hash='cf0cb5859ad69ccd53e2a9df3c2e1b1a0b97cfc2', operation='DELETE', pgid='pgtrigger_delete_delete_7ea6f', table='workforce_post', when='AFTER')),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
