"""`reformtrack chains …`: `list`, `show CODE` (links, items, resilience summary), `snapshot CODE
--year Y` (store the year's resilience figures), `firsts` (green-channel count and volume by
year), `export CODE FILE` and `import FILE [--dry-run]` (Excel, all or nothing). `--json` on each;
`--user NAME` acts within that user's scope (without it: the operator, unscoped)."""

from __future__ import annotations

from pathlib import Path

from django.utils import timezone

from reformtrack.core.management.base import CommandError, ReformtrackCommand

from ...exporters import chain_xlsx
from ...importers import ChainImporter
from ...models import Chain
from ...selectors import chain_json, firsts_summary
from ...services import take_snapshot


class Command(ReformtrackCommand):
    help = (
        "Industrial chains: list, show CODE, snapshot CODE, firsts, export CODE FILE, import FILE."
    )
    json_option = False

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        parsers = {
            "list": sub.add_parser("list", help="chains (in the user's scope)"),
            "show": sub.add_parser("show", help="a chain's links, items and resilience summary"),
            "snapshot": sub.add_parser("snapshot", help="store a chain's resilience for a year"),
            "firsts": sub.add_parser("firsts", help="green-channel count and volume by year"),
            "export": sub.add_parser("export", help="write a chain to an .xlsx file"),
            "import": sub.add_parser("import", help="load links and items from an .xlsx file"),
        }
        for name in ("show", "snapshot", "export"):
            parsers[name].add_argument("code", help="chain code")
        parsers["show"].add_argument("--year", type=int, help="summary year (default: this year)")
        parsers["snapshot"].add_argument("--year", type=int, required=True)
        parsers["export"].add_argument("file")
        parsers["export"].add_argument("--lang", choices=["zh", "en"], default="zh")
        parsers["import"].add_argument("file")
        parsers["import"].add_argument("--dry-run", action="store_true", help="validate only")
        for p in parsers.values():
            p.add_argument("--user", help="act as this user, within their scope")
            p.add_argument("--json", action="store_true", help="machine-readable output")

    def handle(self, *args, sub, **options):
        self.user = self.acting_user(options.get("user"))
        self.json = options["json"]
        getattr(self, f"do_{sub}")(options)

    def _chains(self, action: str = "view"):
        if self.user is None:
            return Chain.objects.select_related("leader", "supervisor")
        return Chain.objects.visible_to(self.user, action).select_related("leader", "supervisor")

    def _chain(self, code: str, action: str = "view") -> Chain:
        chain = self._chains(action).filter(code=code.strip().upper()).first()
        if chain is None:
            raise CommandError(f"No chain {code.upper()} in scope.")
        return chain

    def out(self, data, text: str) -> None:
        if self.json:
            self.emit_json(data)
        else:
            self.stdout.write(text)

    def do_list(self, options):
        rows = [
            {"code": c.code, "name": c.name, "leader": c.leader.code, "batch": c.batch}
            for c in self._chains()
        ]
        self.out(rows, "\n".join(f"{r['code']:<16}{r['name']}  ({r['leader']})" for r in rows))

    def do_show(self, options):
        chain = self._chain(options["code"])
        data = chain_json(chain, options["year"] or timezone.now().year)
        r = data["resilience"]
        lines = [f"{data['code']} {chain.name} · {data['leader']}"]
        for link in data["links"]:
            up = ",".join(link["upstream"]) or "-"
            lines.append(f"  {link['code']:<8}{link['stage']:<11}{link['name']}  ← {up}")
            for item in link["items"]:
                tasks = ", ".join(f"{t['code']} {t['status']}" for t in item["tasks"])
                lines.append(f"      {item['status']:<14}{item['name']}  {tasks}")
        lines.append(
            f"bottlenecks {r['bottlenecks']} · single-source {r['single_source']} · links with "
            f"≥2 domestic suppliers {r['links_two_domestic']}/{r['links']} "
            f"({r['share_two_domestic']}%)"
        )
        self.out(data, "\n".join(lines))

    def do_snapshot(self, options):
        chain = self._chain(options["code"], "change")
        snap = take_snapshot(user=self.user, chain=chain, year=options["year"])
        data = {
            "chain": chain.code, "year": snap.year, "bottlenecks": snap.bottlenecks,
            "single_source": snap.single_source, "share_two_domestic": snap.share_two_domestic,
        }  # fmt: skip
        self.out(data, f"{chain.code} {snap.year}: snapshot stored")

    def do_firsts(self, options):
        data = firsts_summary(self.user)
        result = {"enterprises_with_channel": data["enterprises_with_channel"],
                  "trend": data["trend"]}  # fmt: skip
        lines = [f"enterprises with a green channel: {result['enterprises_with_channel']}"]
        lines += [
            f"  {t['year']}: {t['enterprises_with_channel']} channels, "
            f"{t['volume_green']:,} of {t['volume_total']:,} 元 through them"
            for t in result["trend"]
        ]
        self.out(result, "\n".join(lines))

    def do_export(self, options):
        chain = self._chain(options["code"])
        Path(options["file"]).write_bytes(chain_xlsx(chain, options["lang"]))
        self.out({"chain": chain.code, "file": options["file"]}, f"written {options['file']}")

    def do_import(self, options):
        result = ChainImporter(user=self.user).run(options["file"], dry_run=options["dry_run"])
        if self.json:
            self.emit_json({**result.as_dict(), "dry_run": result.dry_run})
        elif result.errors:
            for e in result.errors:
                self.stderr.write(f"row {e.row or '-'} · {e.column or '-'}: {e.message}")
        else:
            self.stdout.write(f"{result.counts['links']} link(s), {result.counts['items']} item(s)")
        if result.errors:
            raise CommandError(f"{len(result.errors)} error(s); nothing was written.")
