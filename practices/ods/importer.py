"""Applying ODS and NHS England files to the database: one transaction, in bulk.

Files are read first (readers.py validates every row), then applied in an order where each
step can rely on the one before:

1. the commissioning hierarchy — regions, ICBs and Sub-ICB locations — from the practice
   map file (names and ONS codes), epraccur (which ICB and region each practice's
   commissioner sits in) and ePCN (Sub-ICB codes and names);
2. practices, from epraccur: English GP practices (prescribing setting 4), and any other
   English prescribing cost centre a membership names;
3. networks, from ePCN, with their lead commissioner and open and close dates;
4. membership spells, from ePCN: every published spell kept, ended ones closed, never
   deleted; overlaps ODS itself published resolved by practices.spells and reported; a
   spell entered in the portal that ODS contradicts gives way to ODS and is reported;
5. list sizes, from the "patients registered at a GP practice" totals file;
6. weighted populations, from NHS Payments to General Practice (practice level) and from
   a simple file of practice code, date and weighted patients.

Records people entered in the portal (clinical directors, posts, notes, …) are never
touched. A value that already matches is not written, so a second run of the same files
changes nothing. Any error aborts the whole import, leaving the database as it was.
"""

from dataclasses import dataclass, field
from pathlib import Path

import pghistory
from django.apps import apps
from django.db import DataError, IntegrityError, connection, transaction
from django.utils import timezone

from networks.models import (
    ImportedExtract,
    IntegratedCareBoard,
    PrimaryCareNetwork,
    Region,
    SubICBLocation,
)
from practices.models import (
    ListSize,
    Membership,
    MembershipSource,
    Practice,
    PrescribingSetting,
    WeightedPopulation,
    WeightedSource,
)
from practices.ods import readers
from practices.ods.sync import Outcome, sync
from practices.spells import Spell, give_way, targets

ENGLAND_EXCLUDED_GROUPINGS = ("W",)  # epraccur national grouping W00: Wales


class ImportAborted(Exception):
    """An import that could not be applied; nothing was changed."""


def constraint_message(name):
    """The message a model gives for the database constraint called `name`."""
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if constraint.name == name:
                return constraint.get_violation_error_message()
    return "The files would break a rule the database keeps."


@dataclass
class ImportResult:
    files: list
    dry_run: bool
    outcomes: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)

    def outcome(self, kind):
        return self.outcomes.setdefault(kind, Outcome(kind))

    @property
    def changed(self):
        return sum(o.changed for o in self.outcomes.values())


class ODSImport:
    def __init__(
        self, paths, *, dry_run=False, progress=None, process="import_ods", allow_older=False
    ):
        self.paths = [Path(p) for p in paths]
        self.process = process
        self.dry_run = dry_run
        self.allow_older = allow_older
        self.progress = progress or (lambda message: None)
        self.result = ImportResult(files=[p.name for p in self.paths], dry_run=dry_run)

    # --- reading ----------------------------------------------------------------------

    def read(self):
        """Read and validate every file before anything is written."""
        reporting = readers.ROW_PROGRESS.set(self.progress)
        try:
            return self.read_files()
        finally:
            readers.ROW_PROGRESS.reset(reporting)

    def read_files(self):
        kinds = {}
        for path in self.paths:
            kind = readers.detect_kind(path)
            if kind in kinds:
                raise ImportAborted(
                    f"{path.name}: a second {kind} file in one import ({kinds[kind].name} "
                    "is the first); import them one at a time, oldest first."
                )
            kinds[kind] = path
        csv_pair = [kinds.pop(k, None) for k in (readers.EPCN_PCNS_CSV, readers.EPCN_PARTNERS_CSV)]
        files = {}
        if any(csv_pair):
            if not all(csv_pair) or readers.EPCN in kinds:
                raise ImportAborted(
                    "An ePCN import takes the workbook, or both of its CSV exports (PCN "
                    "details and core partner details) together."
                )
            self.progress(f"Reading {csv_pair[0].name} and {csv_pair[1].name} (ePCN)")
            files[readers.EPCN] = (csv_pair[1], readers.read_epcn_csv(*csv_pair))
        for kind, path in kinds.items():
            self.progress(f"Reading {path.name} ({kind})")
            files[kind] = (path, readers.read(path, kind))
        self.result.warnings += readers.encoding_notes(self.paths)
        return files

    # --- applying ---------------------------------------------------------------------

    def run(self):
        files = self.read()
        process = f"{self.process} {' '.join(self.result.files)}"
        try:
            with transaction.atomic():
                with pghistory.context(process=process):
                    with connection.cursor() as cursor:
                        # Spells are rewritten together; their no-overlap rule holds at commit.
                        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                    self.apply(files)
                    with connection.cursor() as cursor:
                        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                if self.dry_run:
                    transaction.set_rollback(True)
        except IntegrityError as error:
            # The importer resolves every conflict it knows of; anything else is reported
            # in the database's own words rather than as a crash.
            diag = getattr(error.__cause__, "diag", None)
            name = getattr(diag, "constraint_name", None)
            detail = getattr(diag, "message_detail", None) or str(error).strip()
            raise ImportAborted(
                f"{', '.join(self.result.files)}: {constraint_message(name)} "
                f"(rule {name or 'unknown'}: {detail})"
            ) from error
        except DataError as error:
            # The readers check every value against its column; this is the last guard.
            raise ImportAborted(
                f"{', '.join(self.result.files)}: the database refused a value "
                f"({readers.shown(str(error).strip(), 200)})"
            ) from error
        return self.result

    def apply(self, files):
        practice_map = files.get(readers.PRACTICE_MAP)
        epraccur = files.get(readers.EPRACCUR)
        epcn = files.get(readers.EPCN)
        list_sizes = files.get(readers.LIST_SIZES)

        self.progress("Saving the commissioning hierarchy")
        self.apply_hierarchy(practice_map, epraccur, epcn)
        if epraccur or epcn:
            self.progress("Saving practices")
            self.apply_practices(epraccur, epcn)
        if epcn:
            self.check_extract_age(epcn)
            self.progress("Saving networks")
            self.apply_networks(epcn)
            self.progress("Saving membership spells")
            self.apply_memberships(epcn)
            ImportedExtract.objects.get_or_create(
                file_name=epcn[0].name,
                latest_open_date=latest_open_date(epcn[1]),
                defaults={"process": self.process},
            )
        if list_sizes:
            self.progress("Saving list sizes")
            self.apply_list_sizes(list_sizes)
        for kind, source in (
            (readers.PAYMENTS_GP, WeightedSource.PAYMENTS_TO_GP),
            (readers.WEIGHTED, WeightedSource.WEIGHTED_CSV),
        ):
            if kind in files:
                self.progress("Saving weighted populations")
                self.apply_weighted(files[kind], source)

    def check_extract_age(self, epcn):
        """An ePCN file is ODS's whole history as of its extract, so applying an older one
        over a newer one would withdraw what the newer one publishes: refused unless asked
        for."""
        path, data = epcn
        newest = ImportedExtract.objects.order_by(*ImportedExtract._meta.ordering).first()
        age = latest_open_date(data)
        if self.allow_older or newest is None or age is None or age >= newest.latest_open_date:
            return
        raise ImportAborted(
            f"{path.name} is an older ePCN extract than the one already imported: its latest "
            f"open date is {age:%d %b %Y}, and {newest.file_name}, imported "
            f"{timezone.localtime(newest.imported_at):%d %b %Y}, has "
            f"{newest.latest_open_date:%d %b %Y}. "
            "Importing it would withdraw the spells only the newer extract publishes. "
            "To import it all the same, run import_ods with --allow-older."
        )

    # 1. hierarchy

    def apply_hierarchy(self, practice_map, epraccur, epcn):
        regions, icbs, sub_icbs = {}, {}, {}
        if practice_map:
            for row in practice_map[1]:
                regions[row.region_code] = {
                    "name": row.region_name,
                    "ons_code": row.region_ons_code,
                }
                icbs[row.icb_code] = {
                    "name": row.icb_name,
                    "ons_code": row.icb_ons_code,
                    "region": row.region_code,
                }
                sub_icbs[row.sub_icb_code] = {
                    "name": row.sub_icb_name,
                    "ons_code": row.sub_icb_ons_code,
                    "icb": row.icb_code,
                }
        if epraccur:
            for row in epraccur[1]:
                # Only open GP practices say where today's commissioners sit; closed ones
                # and other prescribing settings carry codes of older organisations.
                if (
                    self.is_welsh(row)
                    or row.status_code != "A"
                    or row.prescribing_setting != PrescribingSetting.GP_PRACTICE
                    or not row.commissioner_code
                ):
                    continue
                regions.setdefault(row.national_grouping, {})
                icbs.setdefault(row.high_level_health_geography, {}).setdefault(
                    "region", row.national_grouping
                )
                sub_icbs.setdefault(row.commissioner_code, {}).setdefault(
                    "icb", row.high_level_health_geography
                )
        if epcn:
            data = epcn[1]
            for pcn in data.pcns:
                sub_icbs.setdefault(pcn.sub_icb_code, {}).setdefault("name", pcn.sub_icb_name)
            for spell in data.memberships:
                for code, name in (
                    (spell.practice_sub_icb_code, spell.practice_sub_icb_name),
                    (spell.pcn_sub_icb_code, spell.pcn_sub_icb_name),
                ):
                    if code:
                        sub_icbs.setdefault(code, {}).setdefault("name", name)

        if not (regions or icbs or sub_icbs):
            self.sub_icbs = {}
            return
        region_objs = self.upsert_organisations(Region, "Regions", regions)
        icb_objs = self.upsert_organisations(
            IntegratedCareBoard, "ICBs", icbs, parent=("region", region_objs)
        )
        self.sub_icbs = self.upsert_organisations(
            SubICBLocation, "Sub-ICB locations", sub_icbs, parent=("icb", icb_objs)
        )

    def upsert_organisations(self, model, kind, rows, parent=None):
        """Fill in what the files say about each organisation, never blanking a value a
        file does not carry."""
        existing = {o.code: o for o in model.objects.filter(code__in=list(rows))}
        values = {}
        for code, row in rows.items():
            obj = existing.get(code)
            target = {}
            for name in ("name", "ons_code"):
                if row.get(name):
                    target[name] = row[name]
                elif obj is None:
                    target[name] = code if name == "name" else ""
            if parent:
                parent_field, parents = parent
                parent_code = row.get(parent_field)
                if parent_code and parent_code in parents:
                    target[parent_field] = parents[parent_code]
            values[code] = target
        fields = ["name", "ons_code"] + ([parent[0]] if parent else [])
        outcome = self.result.outcome(kind)
        result = {}
        # Rows differ in which fields they carry: sync each shape on its own.
        by_shape = {}
        for code, target in values.items():
            by_shape.setdefault(tuple(sorted(target)), {})[code] = target
        for shape, shaped in by_shape.items():
            result.update(
                sync(
                    model,
                    "code",
                    shaped,
                    outcome,
                    fields=[f for f in fields if f in shape],
                    existing=existing,
                    describe=lambda code, v: f"{code} {v.get('name', '')}".strip(),
                )
            )
        return result

    # 2. practices

    def is_welsh(self, row):
        return row.national_grouping.startswith(ENGLAND_EXCLUDED_GROUPINGS)

    def apply_practices(self, epraccur, epcn):
        named_by_spells = set()
        spell_names = {}
        if epcn:
            for spell in epcn[1].memberships:
                named_by_spells.add(spell.practice_code)
                spell_names.setdefault(spell.practice_code, spell)
        named_by_spells |= set(
            Membership.objects.values_list("practice__code", flat=True).distinct()
        )
        rows = {}
        if epraccur:
            for row in epraccur[1]:
                if self.is_welsh(row):
                    continue
                if row.prescribing_setting != PrescribingSetting.GP_PRACTICE and (
                    row.code not in named_by_spells
                ):
                    continue
                rows[row.code] = {
                    "name": row.name,
                    "address_line_1": row.address_line_1,
                    "address_line_2": row.address_line_2,
                    "address_line_3": row.address_line_3,
                    "address_line_4": row.address_line_4,
                    "address_line_5": row.address_line_5,
                    "postcode": row.postcode,
                    "phone": row.phone,
                    "open_date": row.open_date,
                    "close_date": row.close_date,
                    "status": row.status_code,
                    "prescribing_setting": row.prescribing_setting,
                    "commissioner": self.sub_icbs.get(row.commissioner_code),
                }
        outcome = self.result.outcome("Practices")
        existing = {
            p.code: p for p in Practice.objects.filter(code__in=list(rows) + list(spell_names))
        }
        self.practices = sync(
            Practice,
            "code",
            rows,
            outcome,
            fields=list(next(iter(rows.values()))) if rows else [],
            existing=existing,
            describe=lambda code, v: f"{code} {v['name']}",
        )
        # Practices a membership names but epraccur does not (or no epraccur given).
        outcome.unchanged += sum(1 for c in spell_names if c not in rows and c in existing)
        missing = {
            code: {
                "name": spell.practice_name,
                "commissioner": self.sub_icbs.get(spell.practice_sub_icb_code),
            }
            for code, spell in spell_names.items()
            if code not in self.practices and code not in existing
        }
        self.practices.update(
            sync(
                Practice,
                "code",
                missing,
                outcome,
                fields=["name", "commissioner"],
                existing={},
                describe=lambda code, v: f"{code} {v['name']}",
            )
        )
        self.practices.update({c: p for c, p in existing.items() if c not in self.practices})

    # 3. networks

    def apply_networks(self, epcn):
        path, data = epcn
        rows = {}
        for pcn in data.pcns:
            rows[pcn.code] = {
                "name": pcn.name,
                "lead_commissioner": self.sub_icbs[pcn.sub_icb_code],
                "open_date": pcn.open_date,
                "close_date": pcn.close_date,
                "address_line_1": pcn.address_line_1,
                "address_line_2": pcn.address_line_2,
                "address_line_3": pcn.address_line_3,
                "address_line_4": pcn.address_line_4,
                "address_line_5": pcn.address_line_5,
                "postcode": pcn.postcode,
            }
        self.pcns = sync(
            PrimaryCareNetwork,
            "code",
            rows,
            self.result.outcome("Networks"),
            fields=list(next(iter(rows.values()))) if rows else [],
            describe=lambda code, v: f"{code} {v['name']}",
            closing=lambda old, changes: (
                "close_date" in changes
                and old.close_date is None
                and changes["close_date"] is not None
            ),
        )
        for spell in data.memberships:
            if spell.pcn_code not in self.pcns:
                raise readers.ODSFileError(
                    path.name,
                    spell.sheet,
                    spell.row,
                    "PCN Code",
                    f'"{spell.pcn_code}" is not a network defined in the PCN details sheet',
                )

    # 4. memberships

    def apply_memberships(self, epcn):
        """Bring the spells from ODS in line with the file, which is ODS's whole history
        as of its extract: every published spell kept with its published dates, each day
        given to one network (practices.spells), spells the file no longer publishes
        withdrawn; portal-entered spells give way where ODS publishes the same days."""
        path, data = epcn
        outcome = self.result.outcome("Membership spells")
        published = {}
        for record in data.memberships:
            spell = Spell(record.pcn_code, record.start_date, record.end_date)
            published.setdefault(record.practice_code, {})[(spell.pcn_code, spell.start)] = spell

        # Every spell is read (a national file names nearly every practice); codes come
        # from id maps rather than joined rows, which keeps an unchanged re-import cheap.
        practice_codes = dict(Practice.objects.values_list("pk", "code"))
        pcn_codes = dict(PrimaryCareNetwork.objects.values_list("pk", "code"))
        stored = {}
        for m in Membership.objects.all():
            stored.setdefault(practice_codes[m.practice_id], []).append(m)

        plan = MembershipPlan(path.name, self.result.warnings)
        for practice_code in sorted(set(published) | set(stored)):
            rows = stored.get(practice_code, [])
            ods_rows = {
                (pcn_codes[m.pcn_id], m.published_start_date, m.start_date): m
                for m in rows
                if m.source == MembershipSource.ODS
            }
            portal_rows = [m for m in rows if m.source == MembershipSource.PORTAL]
            spells = published.get(practice_code, {})
            wanted = targets(practice_code, spells.values())
            for target in wanted:
                if target.adjustment and target.adjustment not in self.result.warnings:
                    self.result.warnings.append(target.adjustment)
                spell = target.spell
                m = ods_rows.pop((spell.pcn_code, spell.start, target.start), None)
                if m is None:
                    m = adopt_portal_row(portal_rows, spell, pcn_codes)
                plan.target(m, practice_code, target, self)
            for m in ods_rows.values():
                plan.withdraw(m, practice_code, pcn_codes[m.pcn_id], spells)
            for m in portal_rows:
                plan.give_way(m, practice_code, pcn_codes[m.pcn_id], wanted, self.result)
        plan.apply(outcome)

    # 5. list sizes

    def apply_list_sizes(self, list_sizes):
        path, rows = list_sizes
        outcome = self.result.outcome("List sizes")
        practices = dict(Practice.objects.values_list("code", "pk"))
        records = {}
        unknown = set()
        for row in rows:
            if row.practice_code not in practices:
                unknown.add(row.practice_code)
                continue
            records[(practices[row.practice_code], row.extract_date)] = row.registered_patients
        if unknown:
            self.result.warnings.append(
                f"{path.name}: {len(unknown)} practices are not in the portal and their list "
                f"sizes were skipped (e.g. {', '.join(sorted(unknown)[:5])}); import epraccur "
                "or ePCN first"
            )
        dates = {d for _, d in records}
        existing = {
            (s.practice_id, s.extract_date): s
            for s in ListSize.objects.filter(extract_date__in=dates)
        }
        to_create, to_update = [], []
        for key, patients in records.items():
            size = existing.get(key)
            if size is None:
                to_create.append(
                    ListSize(practice_id=key[0], extract_date=key[1], registered_patients=patients)
                )
                outcome.created += 1
            elif size.registered_patients != patients:
                size.registered_patients = patients
                to_update.append(size)
                outcome.updated += 1
            else:
                outcome.unchanged += 1
        ListSize.objects.bulk_create(to_create, batch_size=5000)
        ListSize.objects.bulk_update(to_update, ["registered_patients"], batch_size=2000)

    # 6. weighted populations

    def apply_weighted(self, weighted, source):
        """Each practice's weighted population on a date, with the file it came from."""
        path, rows = weighted
        outcome = self.result.outcome("Weighted populations")
        practices = dict(Practice.objects.values_list("code", "pk"))
        records, unknown = {}, set()
        for row in rows:
            if row.practice_code not in practices:
                unknown.add(row.practice_code)
                continue
            records[(practices[row.practice_code], row.on)] = row.weighted_patients
        if unknown:
            self.result.warnings.append(
                f"{path.name}: {len(unknown)} practices are not in the portal and their "
                f"weighted populations were skipped (e.g. {', '.join(sorted(unknown)[:5])}); "
                "import epraccur or ePCN first"
            )
        existing = {
            (w.practice_id, w.on): w
            for w in WeightedPopulation.objects.filter(on__in={on for _, on in records})
        }
        to_create, to_update = [], []
        for (practice_id, on), figure in records.items():
            stored = existing.get((practice_id, on))
            if stored is None:
                to_create.append(
                    WeightedPopulation(
                        practice_id=practice_id,
                        on=on,
                        weighted_patients=figure,
                        source=source,
                        file_name=path.name,
                    )
                )
                outcome.created += 1
            elif (stored.weighted_patients, stored.source, stored.file_name) != (
                figure,
                source,
                path.name,
            ):
                stored.weighted_patients, stored.source, stored.file_name = (
                    figure,
                    source,
                    path.name,
                )
                to_update.append(stored)
                outcome.updated += 1
            else:
                outcome.unchanged += 1
        WeightedPopulation.objects.bulk_create(to_create, batch_size=5000)
        WeightedPopulation.objects.bulk_update(
            to_update, ["weighted_patients", "source", "file_name"], batch_size=2000
        )


def adopt_portal_row(portal_rows, spell, pcn_codes):
    """A spell entered in the portal that ODS now publishes as it is (same network and
    start): it becomes the ODS spell rather than a second copy of it."""
    for m in portal_rows:
        if pcn_codes[m.pcn_id] == spell.pcn_code and m.start_date == spell.start:
            portal_rows.remove(m)
            return m
    return None


class MembershipPlan:
    """The membership rows an import creates, updates and withdraws, written in bulk."""

    FIELDS = [
        "start_date",
        "end_date",
        "published_start_date",
        "published_end_date",
        "in_force",
        "adjustment",
        "source",
    ]

    def __init__(self, file_name, warnings):
        self.file_name = file_name
        self.warnings = warnings
        self.to_create, self.to_update, self.to_withdraw = [], [], []
        self.outcome = None
        self.notes = []  # (kind, text) until an Outcome is known

    def note(self, kind, text):
        self.notes.append((kind, text))

    def target(self, m, practice_code, target, importer):
        spell = target.spell
        values = {
            "start_date": target.start,
            "end_date": target.end,
            "published_start_date": spell.start,
            "published_end_date": spell.end,
            "in_force": target.in_force,
            "adjustment": target.adjustment,
            "source": MembershipSource.ODS,
        }
        label = f"{practice_code} {spell.describe()}"
        if m is None:
            self.to_create.append(
                Membership(
                    practice=importer.practices[practice_code],
                    pcn=importer.pcns[spell.pcn_code],
                    **values,
                )
            )
            self.note("created", f"created {label}")
            return
        changes = {f: v for f, v in values.items() if getattr(m, f) != v}
        if not changes:
            self.note("unchanged", "")
            return
        if "end_date" in changes and m.end_date is None and changes["end_date"] is not None:
            self.note("closed", f"closed {label}")
        else:
            self.note("updated", f"updated {label}: {', '.join(changes)}")
        for f, v in changes.items():
            setattr(m, f, v)
        self.to_update.append(m)

    def withdraw(self, m, practice_code, pcn_code, published):
        """An ODS spell the file no longer publishes (or a piece of one the rule now cuts
        differently): removed, with the reason written on it first so that the audit
        history of its removal says why."""
        spell = Spell(pcn_code, m.published_start_date or m.start_date, m.published_end_date)
        if (pcn_code, spell.start) in published:
            reason = f"{practice_code}: the overlap rule now gives this spell other days"
            self.note("updated", f"updated {practice_code} {spell.describe()}: its days")
        else:
            restated = [
                s
                for (code, _), s in published.items()
                if code == pcn_code and s.start != spell.start
            ]
            reason = (
                f"{practice_code}: ODS no longer publishes the spell {spell.describe()} "
                f"in {self.file_name}; withdrawn"
            )
            if restated:
                reason += (
                    " (ODS publishes the practice "
                    + " and ".join(s.describe() for s in restated)
                    + ")"
                )
            self.note("withdrawn", reason)
            self.warnings.append(reason)
        m.adjustment = reason
        self.to_withdraw.append(m)

    def give_way(self, m, practice_code, pcn_code, ods_rows, result):
        """A spell entered in the portal: ODS, the record of membership, wins the days it
        publishes; the portal spell ends the day before the first of them."""
        if not m.in_force:
            return
        entered = Spell(pcn_code, m.start_date, m.end_date)
        outcome = give_way(practice_code, entered, ods_rows)  # practices.spells
        if outcome is None:
            result.warnings.append(
                f"{practice_code}: the spell {entered.describe()} was entered in the portal "
                "and is not in ODS; check it"
            )
            return
        result.warnings.append(outcome.reason)
        m.in_force, m.end_date, m.adjustment = outcome.in_force, outcome.end, outcome.reason
        self.note("updated", f"updated {practice_code} in {pcn_code} (entered in the portal)")
        self.to_update.append(m)

    def apply(self, outcome):
        for kind, text in self.notes:
            setattr(outcome, kind, getattr(outcome, kind) + 1)
            if text:
                outcome.note(text)
        if self.to_withdraw:
            # The reason first, so the removal's history row carries it.
            Membership.objects.bulk_update(self.to_withdraw, ["adjustment"], batch_size=2000)
            Membership.objects.filter(pk__in=[m.pk for m in self.to_withdraw]).delete()
        Membership.objects.bulk_update(self.to_update, self.FIELDS, batch_size=2000)
        Membership.objects.bulk_create(self.to_create, batch_size=2000)


def latest_open_date(epcn_data):
    """The age of an ePCN extract: the latest open date of a network or a spell in it."""
    dates = [p.open_date for p in epcn_data.pcns if p.open_date]
    dates += [m.start_date for m in epcn_data.memberships]
    return max(dates, default=None)


def import_files(paths, *, dry_run=False, progress=None, process="import_ods", allow_older=False):
    """Import files, all or nothing. process names the import in the audit history;
    allow_older applies an ePCN extract older than the newest already imported."""
    return ODSImport(
        paths, dry_run=dry_run, progress=progress, process=process, allow_older=allow_older
    ).run()
