"""Ingesting files in batches: each file is read and analysed first (no database), then a batch
is written in one transaction — one insert per document and its signatures (later documents of
the batch look for copies among them), the extracted items, the clusters' best copies and the
audit records in bulk at the end. The organisation names come from an index built once per
state of the tree (`alias_index`); copies are looked up through indexed signatures, reading a
few candidates in order rather than every document sharing a band.

`ingest` (one file: the web page, the API) and `ingest_many` (the command, back-fills, the
benchmark) are the same path; the same file twice is a no-op returning the first copy."""

from __future__ import annotations

import datetime as dt
import gc
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils.translation import gettext as _

from reformtrack.core import fast_insert
from reformtrack.core.models.audit import AuditAction
from reformtrack.core.scoping import granted_paths
from reformtrack.core.services import audit

from . import alias_index, storage
from .models import Cluster, Document, Extraction, Review, Signature
from .ownership import owner_for
from .page_address import clean_address
from .pipeline import Processed, checksum, process
from .text.digest import outlet_of, split_digest
from .text.fingerprint import band_values, key_overlap, key_values, similarity
from .text.readers import UnreadableDocument, kind_of

BATCH = 100  # files per transaction: one commit, bulk items and audit records
CHUNK = 16  # candidate copies read at a time, earliest first (the first copy usually matches)
FIRST = 48  # candidates of each document of a batch read at once (some lie outside its dates)
SAME_TEXT = 0.5  # MinHash similarity of copies in one script (spun copies included)
SAME_FACTS = 0.6  # share of numbers and organisations of copies in other languages
DATE_WINDOW = dt.timedelta(days=10)
OFFICIAL = ("国资委", "國資委", "gov.cn", "SASAC")
# What telling a copy and ranking copies reads of a candidate (never its texts).
CANDIDATE_FIELDS = ("parent", "published_on", "script", "minhash", "keys", "cluster", "spun",
                    "language", "source")  # fmt: skip
RANK_FIELDS = ("spun", "language", "source", "published_on")


@dataclass
class Ingested:
    """The outcome for one file: its document (new or the copy already there), or an error."""

    file: str
    document: Document | None = None
    created: bool = False
    error: str = ""
    address: str = ""  # the page the file was fetched from, as given


def ingest(
    *, user, data: bytes, filename: str, owner=None, address: str = ""
) -> tuple[Document, bool]:
    """(document, created): the same file twice is a no-op returning the first copy the user
    reads. The document belongs to `owner` (on which the user needs `report`), by default the
    user's office, or for the operator (user None) the top supervisor: public policies.
    `address`: the page's URL (its date serves when the text states none); a bad one is
    refused as the `address` field's error before anything is read or written."""
    try:
        address = clean_address(address)
    except ValidationError as exc:
        raise ValidationError({"address": exc.messages}) from None
    files = [(data, filename, address)]
    (result,) = ingest_many(user=user, files=files, owner=owner, settle=False)
    if result.error:
        raise ValidationError({"file": result.error})
    return result.document, result.created


def ingest_many(
    *, user, files: Iterable[tuple], owner=None, batch: int = BATCH, settle: bool = True
) -> Iterator[Ingested]:
    """One `Ingested` per (data, file name[, page address]), in order, as each batch commits.
    A file that cannot be read, or whose address is not one, is an error of its own; the
    others of its batch are written. `settle`: a batch process (command, job) freezes what
    analysis loaded after its first batch (`_settle`); `ingest`, inside a web request, does
    not, or the request itself would be frozen with it."""
    if user is not None and not granted_paths(user, "report"):
        raise PermissionDenied(_("Uploading documents needs a business role."))
    owner = owner_for(user, "report", owner)
    chunk: list[tuple] = []
    for item in files:
        chunk.append(item)
        if len(chunk) >= batch:
            yield from _batch(chunk, user=user, owner=owner, settle=settle)
            chunk = []
    if chunk:
        yield from _batch(chunk, user=user, owner=owner, settle=settle)


@dataclass
class _Work:
    """One new file between analysis and writing."""

    result: Ingested
    data: bytes
    done: Processed
    entries: list  # (digest entry, its Processed)


def _batch(files: list[tuple], *, user, owner, settle: bool) -> list[Ingested]:
    results = [Ingested(file=name, address=address) for _data, name, address in map(_triple, files)]
    readable = []
    for result, (data, filename, *_address) in zip(results, files, strict=True):
        try:
            kind_of(filename)
            result.address = clean_address(result.address)
        except UnreadableDocument as exc:
            result.error = str(exc)
            continue
        except ValidationError as exc:  # the message names the page address
            result.error = exc.messages[0]
            continue
        readable.append((result, data, checksum(data)))
    existing = _existing(user, owner, {digest for *_, digest in readable})
    index = alias_index.current() if readable else None
    work: list[_Work] = []
    first: dict[str, Ingested] = {}  # the same file twice in one batch: the second is the first
    repeats: list[tuple[Ingested, Ingested]] = []
    for result, data, digest in readable:
        if digest in existing:
            result.document = existing[digest]
        elif digest in first:
            repeats.append((result, first[digest]))
        else:
            first[digest] = result
            try:
                work.append(_analyse(result, data, index))
            except UnreadableDocument as exc:
                result.error = str(exc)
    if work:
        if settle:
            _settle()
        _write(work, user=user, owner=owner)
    for result, original in repeats:
        result.document, result.error = original.document, original.error
    return results


_settled = False


def _settle() -> None:
    """Once per process, after its first analysis has loaded what analysis reads for as long
    as the process lives (jieba's dictionaries and tag tables, LAC's vocabulary, the lexicons,
    the decoders' tables: ≈ 265,000 objects the collector tracks): they are collected once and
    the rest frozen (`gc.freeze`), so the collector's full passes, triggered as analysis makes
    and drops objects, no longer walk them (≈ 125 ms a pass; 0.8 ms a document of 300 new
    ones). Nothing changes but what the cyclic collector visits: objects alive now are freed
    as before when nothing refers to them, only cycles among them would stay."""
    global _settled
    if not _settled:
        _settled = True
        gc.collect()
        gc.freeze()


def _triple(item: tuple) -> tuple[bytes, str, str]:
    """(data, file name, page address): a pair has no address."""
    return (*item, "") if len(item) == 2 else item


def _existing(user, owner, checksums: set[str]) -> dict[str, Document]:
    """The copy of each file already ingested that the user reads (the operator: the owner's)."""
    if not checksums:
        return {}
    copies = Document.objects.filter(checksum__in=checksums)
    if user is None:
        copies = copies.filter(owner=owner)
    else:
        copies = copies.visible_to(user, "view").order_by("owner__depth", "pk")
    found: dict[str, Document] = {}
    for document in copies:
        found.setdefault(document.checksum, document)
    return found


def _analyse(result: Ingested, data: bytes, index) -> _Work:
    """The pipeline for the file and, for a digest, for each of its entries (no database)."""
    filename = result.file
    done = process(data, filename, org_names=index, address=result.address)
    done.meta["address"] = result.address  # the digest's own; its entries have none
    if done.meta["source"] in index:  # a publisher inferred from the text: its name, not code
        done.meta["source"] = index.display_name(done.meta["source"])
    entries = []
    for entry in split_digest(done.text):
        text = f"{entry.title}\n{entry.body}"
        name = f"{filename[:255]}#{entry.part}-{entry.number}.txt"
        reference = done.meta["published_on"]
        part = process(text.encode(), name, org_names=index, reference_date=reference)
        if part.meta["source"] in index:  # its own publisher inferred: the name, not the code
            part.meta["source"] = index.display_name(part.meta["source"])
        entries.append((entry, part))
    return _Work(result=result, data=data, done=done, entries=entries)


def _write(work: list[_Work], *, user, owner) -> None:
    written: list[str] = []  # the files exist only together with their committed rows
    try:
        with transaction.atomic():
            writer = _Writer(user=user, owner=owner, written=written)
            for item in work:
                document = writer.add(item.done, filename=item.result.file, data=item.data)
                for entry, done in item.entries:
                    _entry_meta(done, entry, digest=document)
                    name = f"{document.filename}#{entry.part}-{entry.number}.txt"
                    writer.add(done, filename=name, data=None, parent=document,
                               part=entry.part, analysis=entry.analysis)  # fmt: skip
                item.result.document, item.result.created = document, True
            writer.write()
    except BaseException:  # an error, an interrupt or SIGTERM (see `docs ingest`): no orphan
        storage.remove(written)
        for item in work:
            item.result.document, item.result.created = None, False
        raise


def _entry_meta(done: Processed, entry, *, digest: Document) -> None:
    """One policy or news item of a digest: its own document (searchable, clustered) with its
    own source (stated, the outlet its title names, or inferred from it; never the digest
    compiler's) and the digest's period."""
    done.checksum = checksum(f"{digest.checksum}#{entry.part}-{entry.number}".encode())
    done.meta["title"] = entry.title
    if outlet := outlet_of(entry.title):  # the item's own source, never the digest's compiler
        done.meta["source"], done.meta["source_inferred"], done.meta["source_basis"] = (
            outlet, False, "")  # fmt: skip
    done.meta["period_start"], done.meta["period_end"] = digest.period_start, digest.period_end
    if entry.part == "news" or not done.meta["published_on"]:
        done.meta["published_on"] = None  # a news item carries no date of its own here


def _document(done: Processed, *, user, owner, filename, parent, part, analysis) -> Document:
    meta = done.meta
    return Document(
        checksum=done.checksum,
        filename=filename[:255],
        original_text=done.original,
        text=done.text,
        search_text=done.search_text,
        tokens=done.tokens,
        language=done.language,
        script=done.script,
        title=meta["title"][:300],
        published_on=meta["published_on"],
        period_start=meta["period_start"],
        period_end=meta["period_end"],
        source=meta["source"][:200],
        source_inferred=meta["source_inferred"],
        source_basis=meta["source_basis"],
        author=meta["author"][:200],
        authority=meta["authority"][:200],
        doc_number=meta["doc_number"][:100],
        links=meta["links"],
        address=meta.get("address", ""),
        spun=done.spun,
        spun_confidence=done.spun_confidence,
        changes=done.changes,
        repairs=done.repairs,
        minhash=done.minhash,
        keys=done.keys,
        uploaded_by=user,
        owner=owner,
        parent=parent,
        part=part,
        analysis=analysis,
    )


def _extraction(document: Document, i: dict) -> dict:
    """The item's row as column values (`fast_insert` with dicts: no model instance built), as a
    new `Extraction` would have them. Every plain column is named (a new item's review state
    with its defaults' values), so `fast_insert` reads them in one call rather than preparing
    each; `reviewed_at` takes its default."""
    kind, value = i["kind"], i["value"]
    named = value.get("code", "") if kind == "organisation" else value.get("organisation", "")
    return {
        "document_id": document.pk,
        "kind": kind,
        "text": i["text"][:500],
        "start": i["start"],
        "end": i["end"],
        "method": i["method"],
        "value": value,
        "org_code": named,
        "programme_code": value.get("programme", "") if kind == "programme" else "",
        "review": _PROPOSED,
        "reviewed_by_id": None,
        "promoted_to": "",
    }


_PROPOSED = str(Review.PROPOSED)  # the stored value of the default, as a plain string


_UNREAD = object()


class _Fresh:
    """A cluster created by this batch (its id once inserted)."""

    __slots__ = ("cluster",)

    def __init__(self):
        self.cluster = Cluster()


class _Writer:
    """Writes one batch inside its transaction with a fixed number of statements, whatever
    its size: the copies already stored are looked up for every document at once, copies
    within the batch in memory (the same candidates, in the same order, as the database
    would give one document after another: a stored document precedes every new one); then
    the new clusters, the documents, their signatures, items, the clusters' best copies and
    the audit records are each written in bulk, in the order one-by-one writes would take
    (the same ids, the same records in the same order)."""

    def __init__(self, *, user, owner, written: list[str]):
        self.user, self.owner, self.written = user, owner, written
        self.docs: list[Document] = []
        self.done: list[Processed] = []
        self.parents: list[int | None] = []  # a digest entry's parent: its place in `docs`
        self.items: list[dict] = []  # Extraction rows
        self.records: list[dict] = []
        self.best: dict[int, Document | None] = {}  # cluster → its best copy (rank fields)
        self.changed: dict[int, int] = {}  # cluster → new best, written at the end
        self.empty: set[int] = set()  # clusters created for a document not stored yet
        self.kept: dict[int, Document | None] = {}  # stored clusters → their kept best
        self.members: dict[int, list[Document]] = {}  # clusters without one → their copies

    def add(self, done, *, filename, data, parent=None, part="", analysis="") -> Document:
        """A document of the batch, its file written (rows at `write`)."""
        document = _document(done, user=self.user, owner=self.owner, filename=filename,
                             parent=parent, part=part, analysis=analysis)  # fmt: skip
        if data is not None:
            document.file.save(filename.rsplit("/", 1)[-1], ContentFile(data), save=False)
            self.written.append(document.file.name)
        else:
            document.file = parent.file.name
        self.parents.append(None if parent is None else self._place(parent))
        self.docs.append(document)
        self.done.append(done)
        return document

    def _place(self, document: Document) -> int:
        for place in range(len(self.docs) - 1, -1, -1):
            if self.docs[place] is document:
                return place
        raise ValueError(document)

    def write(self) -> None:
        if connection.vendor == "postgresql":
            with connection.execute_wrapper(_rows_at_once):
                self._write()
        else:
            self._write()

    def _write(self) -> None:
        docs = self.docs
        values = [bands + keys for bands, keys in map(_values, docs)]
        stored = _stored_copies(docs)
        fresh: list[_Fresh | None] = [None] * len(docs)  # the cluster a document created
        joined: list[Document | None] = [None] * len(docs)  # a stored copy it put in one
        clusters: list = []  # each document's cluster: a stored id or a _Fresh
        into: dict[int, _Fresh] = {}  # stored copy without a cluster → the one it joined
        held: dict[str, list[int]] = {}  # signature value → documents of the batch with it
        for k in range(len(docs)):
            match = stored.get(k)
            if match is not None:
                cluster = into.get(match.pk) or match.cluster_id
            else:
                cluster = self._batch_copy(k, values[k], held, clusters)
            if not cluster:
                cluster = fresh[k] = _Fresh()
                if match is not None:  # an earlier copy whose cluster was deleted joins it
                    into[match.pk], joined[k] = cluster, match
            clusters.append(cluster)
            for value in values[k]:
                held.setdefault(value, []).append(k)
        made = [f for f in fresh if f is not None]
        _insert_many([f.cluster for f in made])
        for k, match in enumerate(joined):
            if match is not None:
                Document.objects.filter(pk=match.pk).update(cluster=fresh[k].cluster)
        self._read_kept({c for c in clusters if isinstance(c, int)})
        for document, cluster in zip(docs, clusters, strict=True):
            document.cluster_id = cluster.cluster.pk if isinstance(cluster, _Fresh) else cluster
        self._insert_documents()
        _insert_signatures([(d.pk, v) for d, vs in zip(docs, values, strict=True) for v in vs])
        for k, document in enumerate(docs):  # the records and best copies, in one-by-one order
            if fresh[k] is not None:
                self._created(fresh[k].cluster, joined[k])
            self._record(AuditAction.CREATE, document, {"after": _snapshot(document)})
            self._update_best(document.cluster_id, document)
            self.items += [_extraction(document, i) for i in self.done[k].items]
        self._flush()

    def _batch_copy(self, k: int, values: list[str], held: dict, clusters: list):
        """The cluster of the first earlier document of the batch that is a copy of the k-th
        (None: none is): the candidates the signature lookup would give, earliest first."""
        document, parent = self.docs[k], self.parents[k]
        bands, keys = map(set, _values(document))
        found: set[int] = set()
        shared: dict[int, int] = {}
        for value in bands:
            found.update(held.get(value, ()))
        for value in keys:
            for j in held.get(value, ()):
                shared[j] = shared.get(j, 0) + 1
        found.update(j for j, n in shared.items() if n >= 2)
        for j in sorted(found):
            if parent is not None and (j == parent or self.parents[j] == parent):
                continue  # a digest's entries are different stories, and parts of the digest
            if _alike(document, self.docs[j]):
                return clusters[j]
        return None

    def _created(self, cluster: Cluster, match: Document | None) -> None:
        self._record(AuditAction.CREATE, cluster, {"after": _snapshot(cluster)})
        self.best[cluster.pk] = None
        if match is None:
            self.empty.add(cluster.pk)
        else:
            self._record(AuditAction.UPDATE, match,
                         {"cluster_id": {"before": None, "after": cluster.pk}})  # fmt: skip
            match.cluster_id = cluster.pk
            self.members[cluster.pk] = [match]

    def _read_kept(self, clusters: set[int]) -> None:
        """The kept best copy of every stored cluster the batch joins, in one statement; the
        copies of a cluster that keeps none."""
        if not clusters:
            return
        self.kept = dict.fromkeys(clusters)
        for part in _parts(sorted(clusters), 1):
            marks = ", ".join(["%s"] * len(part))
            for best in Document.objects.raw(_best_sql().format(marks=marks), part).iterator():
                self.kept[best.cluster_ref] = best
        for cluster in sorted(c for c, best in self.kept.items() if best is None):
            self.members[cluster] = list(
                Document.objects.filter(cluster_id=cluster).only(*RANK_FIELDS)
            )

    def _insert_documents(self) -> None:
        """The documents in order, many to a statement; a digest's entries after it (they
        name it)."""
        pending: list[Document] = []
        for document, parent in zip(self.docs, self.parents, strict=True):
            if parent is not None:
                if self.docs[parent].pk is None:
                    _insert_many(pending)
                    pending = []
                document.parent_id = self.docs[parent].pk
            pending.append(document)
        _insert_many(pending)

    def _flush(self) -> None:
        fast_insert.insert(Extraction, self.items, dicts=True)
        if self.changed:  # one prepared UPDATE for every cluster whose best copy changed
            with connection.cursor() as cursor:
                cursor.executemany(_best_update_sql(), [(b, c) for c, b in self.changed.items()])
        _record_many(self.records)

    def _record(self, action: str, instance, changes: dict) -> None:
        self.records.append({"action": action, "instance": instance, "changes": changes})

    def _update_best(self, cluster_id: int, document: Document) -> None:
        """Best copy of the cluster: the kept best against the newcomer (the ranking is a total
        order); the cluster's copies when no best is kept yet."""
        kept = self.best.get(cluster_id, _UNREAD)
        if kept is _UNREAD:
            kept = self.kept[cluster_id]
        if kept is not None:
            best = min(kept, document, key=_rank)
        elif cluster_id in self.empty:  # created for this document: its only copy
            best = document
        else:  # the copies stored before this batch, and the newcomer
            best = min([*self.members[cluster_id], document], key=_rank)
        self.empty.discard(cluster_id)
        self.best[cluster_id] = best
        before = kept.pk if kept is not None else None
        if before != best.pk:
            self.changed[cluster_id] = best.pk
            self._record(AuditAction.UPDATE, Cluster(pk=cluster_id),
                         {"best_id": {"before": before, "after": best.pk}})  # fmt: skip


def _max_params() -> int:
    """Parameters one statement may carry (SQLite's limit; PostgreSQL's protocol's)."""
    return min(connection.features.max_query_params or 65535, 30000)


def _parts(rows: list, width: int) -> Iterator[list]:
    """`rows` in slices whose parameters (`width` each) fit one statement."""
    size = max(1, _max_params() // max(1, width))
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _insert_many(instances: list) -> None:
    """`bulk_create(instances)` of one model, ids read back: each column's value as
    bulk_create prepares it, many rows to an INSERT written once per model and row count.
    The ids are given in the rows' order (read sorted, as the rows took them)."""
    if not instances:
        return
    model = type(instances[0])
    sql, fields = _insert_sql(model)
    if sql is None:  # a database that cannot return the ids from its INSERT
        model.objects.bulk_create(instances)
        return
    if _bulk():
        _copy_new(model, instances, fields)
        return
    for part in _parts(instances, len(fields)):
        values = [f.get_db_prep_save(f.pre_save(i, True), connection) for i in part for f in fields]
        with connection.cursor() as cursor:
            cursor.execute(_rows_sql(model, len(part)), values)
            ids = sorted(row[0] for row in cursor.fetchall())
        for instance, pk in zip(part, ids, strict=True):
            instance.pk = pk
            instance._state.adding, instance._state.db = False, connection.alias


def _copy_new(model, instances: list, fields: list) -> None:
    """PostgreSQL: the rows' ids taken from the table's sequence in order (as INSERTs one
    after another would take them), then the rows with their ids by one executemany, which
    `_rows_at_once` sends as a COPY."""
    quote = connection.ops.quote_name
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [quote(table), pk, len(instances)],
        )
        ids = sorted(row[0] for row in cursor.fetchall())
        rows = [(pk_value, *(f.get_db_prep_save(f.pre_save(i, True), connection) for f in fields))
                for pk_value, i in zip(ids, instances, strict=True)]  # fmt: skip
        columns = ", ".join(quote(c) for c in (pk, *(f.column for f in fields)))
        marks = ", ".join(["%s"] * (len(fields) + 1))
        cursor.executemany(f"INSERT INTO {quote(table)} ({columns}) VALUES ({marks})", rows)
    for instance, pk_value in zip(instances, ids, strict=True):
        instance.pk = pk_value
        instance._state.adding, instance._state.db = False, connection.alias


def _bulk() -> bool:
    """PostgreSQL with psycopg 3: a batch's rows go by COPY (`_rows_at_once`, `_copy_new`) and
    the copy lookup's values as one JSON value (`_first_candidates_sql`)."""
    return connection.vendor == "postgresql" and _psycopg3()


@cache
def _psycopg3() -> bool:
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    return is_psycopg3


@cache
def _rows_sql(model, count: int) -> str:
    """`_insert_sql` for `count` rows."""
    sql, fields = _insert_sql(model)
    head, tail = sql.split(" VALUES ")
    row, returning = tail.split(" RETURNING ")
    return f"{head} VALUES {', '.join([row] * count)} RETURNING {returning}"


def _insert_signatures(rows: list[tuple[int, str]]) -> None:
    """The batch's signature rows in order, by one prepared INSERT run for every row."""
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(_signature_sql(), rows)


def _rows_at_once(execute, sql, params, many, context):
    """An INSERT run for many rows (PostgreSQL) sent as one COPY of its rows (psycopg 3, plain
    values), else as INSERTs of many rows each: the server would parse and plan every row's
    statement of an executemany, and psycopg's default cursor writes every value into the SQL
    text on the client (most of a batch's writing time). The same rows, in the same order
    (the ids they take)."""
    if not many or not sql.startswith("INSERT INTO ") or " RETURNING " in sql:
        return execute(sql, params, many, context)
    head, row = sql.split(" VALUES ", 1)
    rows = [tuple(values) for values in params]
    if not rows:
        return None
    cursor = context["cursor"].cursor  # the driver's: `execute` here is the executemany
    with context["connection"].wrap_database_errors:
        if _bulk() and row == f"({', '.join(['%s'] * len(rows[0]))})":
            with cursor.copy(f"COPY {head.removeprefix('INSERT INTO ')} FROM STDIN") as copy:
                for values in rows:
                    copy.write_row(values)
            return None
        for part in _parts(rows, len(rows[0])):
            values = [value for values in part for value in values]
            cursor.execute(f"{head} VALUES {', '.join([row] * len(part))}", values)
    return None


def _insert(instance) -> None:
    """`type(instance).objects.bulk_create([instance])`: each column's value as bulk_create
    prepares it (the field's `pre_save` then `get_db_prep_save`), in one INSERT written once
    per model rather than composed for every row; the new id read back as bulk_create does."""
    model = type(instance)
    sql, fields = _insert_sql(model)
    if sql is None:  # a database that cannot return the id from its INSERT
        model.objects.bulk_create([instance])
        return
    values = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        (instance.pk,) = cursor.fetchone()
    instance._state.adding, instance._state.db = False, connection.alias


@cache
def _insert_sql(model) -> tuple[str | None, list]:
    """(INSERT … RETURNING id, the fields in its column order)."""
    if not connection.features.can_return_columns_from_insert:
        return None, []
    quote = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    return f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING {pk}", fields


@cache
def _signature_sql() -> str:
    """INSERT of one signature row (its two columns are plain values: the document's id and a
    string), written once rather than composed for every document."""
    quote = connection.ops.quote_name
    table = quote(Signature._meta.db_table)
    document, value = (quote(Signature._meta.get_field(f).column) for f in ("document", "value"))
    return f"INSERT INTO {table} ({document}, {value}) VALUES (%s, %s)"


@cache
def _best_update_sql() -> str:
    """`Cluster.objects.filter(pk=…).update(best=…)` as one statement written once."""
    quote = connection.ops.quote_name
    best, pk = (quote(Cluster._meta.get_field(f).column) for f in ("best", "id"))
    return f"UPDATE {quote(Cluster._meta.db_table)} SET {best} = %s WHERE {pk} = %s"


@cache
def _best_sql() -> str:
    """The kept best copies of the clusters `{marks}` names, with the fields that rank them and
    their cluster (`cluster_ref`): a cluster keeping none has no row."""
    quote = connection.ops.quote_name
    doc, cluster = quote(Document._meta.db_table), quote(Cluster._meta.db_table)
    pk, cluster_pk = quote(Document._meta.pk.column), quote(Cluster._meta.pk.column)
    columns = ", ".join(
        f"{doc}.{quote(Document._meta.get_field(f).column)}" for f in ("id", *RANK_FIELDS)
    )
    best = quote(Cluster._meta.get_field("best").column)
    return (
        f"SELECT {columns}, {cluster}.{cluster_pk} AS cluster_ref FROM {cluster}"
        f" JOIN {doc} ON {doc}.{pk} = {cluster}.{best}"
        f" WHERE {cluster}.{cluster_pk} IN ({{marks}})"
    )


def _snapshot(instance) -> dict:
    return audit.snapshot(instance, audit._TRACKED.get(type(instance), frozenset()))


def _record_many(entries: list[dict]) -> None:
    """The batch's audit records in one append where the audit offers it, else one by one."""
    if not entries:
        return
    many = getattr(audit, "record_many", None)
    if many is not None:
        many(entries)
    else:
        for entry in entries:
            audit.record(**entry)


def _values(document: Document) -> tuple[list[str], list[str]]:
    """A new document's MinHash band values and figure keys (its signature rows), made once
    (the batch's lookups, copies and rows all read them)."""
    found = document.__dict__.get("_signature_values")
    if found is None:
        found = (band_values(document.minhash), key_values(document.keys))
        document.__dict__["_signature_values"] = found
    return found


def _alike(a: Document, b: Document) -> bool:
    """Whether b is a copy of the new document a (neither a part nor an entry of the digest a
    belongs to: the caller leaves those out; a stored document never is one of a new one's)."""
    if a.published_on and b.published_on and abs(a.published_on - b.published_on) > DATE_WINDOW:
        return False
    same_script = a.script == b.script or {a.script, b.script} <= {"Hans", "Hant"}
    if same_script and similarity(a.minhash, b.minhash) >= SAME_TEXT:
        return True
    undated = not (a.published_on and b.published_on)  # stronger evidence needed
    return key_overlap(a.keys, b.keys, undated=undated) >= SAME_FACTS


def _rank(d: Document):
    """Best copy first: not spun, original language (Chinese), official, earliest."""
    official = any(mark in d.source for mark in OFFICIAL)
    return (
        d.spun,
        not d.language.startswith("zh"),
        not official,
        d.published_on or dt.date.max,
        d.pk,
    )


def _candidates_sql(document: Document) -> tuple[str, list]:
    """Documents sharing a MinHash band, or two figures, with this one, earliest first: the
    signatures are matched in the database (indexed values), and only the fields that tell a
    copy are read. One statement, written once here rather than composed by the ORM for every
    document (that took longer than running it); `%s` last is the id to read after."""
    ops = connection.ops
    quote = ops.quote_name
    doc, sig = quote(Document._meta.db_table), quote(Signature._meta.db_table)
    pk, of, value = quote(Document._meta.pk.column), quote("document_id"), quote("value")
    published = quote(Document._meta.get_field("published_on").column)
    columns = ", ".join(
        f"{doc}.{quote(Document._meta.get_field(f).column)}" for f in ("id", *CANDIDATE_FIELDS)
    )
    bands, keys = _values(document)
    params: list = list(bands)
    marks = ", ".join(["%s"] * len(bands))
    # One list of ids (a UNION, not two INs joined by OR): SQLite then reads the documents in
    # the list's order and stops at the LIMIT, rather than reading every candidate to sort them.
    found = f"SELECT {of} FROM {sig} WHERE {value} IN ({marks})"
    if keys:
        found += (
            f" UNION SELECT {of} FROM {sig} WHERE {value} IN"
            f" ({', '.join(['%s'] * len(keys))}) GROUP BY {of} HAVING COUNT(*) >= 2"
        )
        params += keys
    where = f"{doc}.{pk} IN ({found})"
    if document.published_on:
        day = f"{doc}.{published}"
        where += f" AND ({day} IS NULL OR ({day} >= %s AND {day} <= %s))"
        params += [
            ops.adapt_datefield_value(document.published_on - DATE_WINDOW),
            ops.adapt_datefield_value(document.published_on + DATE_WINDOW),
        ]
    sql = f"SELECT {columns} FROM {doc} WHERE {where} AND {doc}.{pk} > %s"
    sql += f" ORDER BY {doc}.{pk} LIMIT {CHUNK}"
    return sql, params


def _first_copy(document: Document, last: int = 0) -> Document | None:
    """The earliest stored candidate after id `last` that is a copy of `document`, read a few
    at a time (each made a model instance only when the ones before it were not copies: the
    first usually is)."""
    sql, params = _candidates_sql(document)
    while True:
        read = 0
        for candidate in Document.objects.raw(sql, [*params, last]).iterator():
            if _alike(document, candidate):
                return candidate
            read, last = read + 1, candidate.pk
        if read < CHUNK:
            return None


def _stored_copies(docs: list[Document]) -> dict[int, Document]:
    """For each new document (by its place), the earliest stored document that is a copy of
    it, as `_first_copy` finds it: the first FIRST candidates of every document by one
    statement, their fields by another, one model instance per stored document (a cluster
    given to one is seen by the others); a document whose first FIRST are no copies reads on
    with `_first_copy`."""
    found: dict[int, Document] = {}
    if not docs:
        return found
    ahead: dict[int, list[int]] = {}
    group: list[tuple[int, Document]] = []
    width = 0  # the group's parameters: three a signature value
    for k, document in enumerate(docs):
        own = 3 * sum(map(len, _values(document)))
        if group and width + own > _max_params():
            _read_candidates(group, ahead)
            group, width = [], 0
        group.append((k, document))
        width += own
    _read_candidates(group, ahead)
    wanted = sorted({pk for pks in ahead.values() for pk in pks})
    stored: dict[int, Document] = {}
    for part in _parts(wanted, 1):
        marks = ", ".join(["%s"] * len(part))
        for candidate in Document.objects.raw(_fields_sql().format(marks=marks), part):
            stored[candidate.pk] = candidate
    for k in sorted(ahead):
        pks = ahead[k]
        match = next((stored[pk] for pk in pks if _alike(docs[k], stored[pk])), None)
        if match is None and len(pks) == FIRST:
            match = _first_copy(docs[k], pks[-1])
            match = stored.setdefault(match.pk, match) if match is not None else None
        if match is not None:
            found[k] = match
    return found


def _read_candidates(group: list[tuple[int, Document]], ahead: dict[int, list[int]]) -> None:
    sql, params = _first_candidates_sql(group)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for k, pk in cursor.fetchall():
            ahead.setdefault(k, []).append(pk)


@cache
def _fields_sql() -> str:
    """The fields that tell a copy, of the documents `{marks}` names."""
    quote = connection.ops.quote_name
    doc, pk = quote(Document._meta.db_table), quote(Document._meta.pk.column)
    columns = ", ".join(
        quote(Document._meta.get_field(f).column) for f in ("id", *CANDIDATE_FIELDS)
    )
    return f"SELECT {columns} FROM {doc} WHERE {pk} IN ({{marks}})"


def _first_candidates_sql(docs: list[tuple[int, Document]]) -> tuple[str, list]:
    """(place, id) of the first FIRST stored candidates of each document: documents sharing a
    MinHash band, or two figures, with it, earliest first, as `_candidates_sql` selects them
    one document at a time but without its date window (a candidate outside it is no copy:
    `_alike` says so, and reading every candidate's row to leave it out cost more)."""
    quote = connection.ops.quote_name
    sig, of, value = quote(Signature._meta.db_table), quote("document_id"), quote("value")
    wanted = []
    for k, document in docs:
        bands, keys = _values(document)
        wanted += [(k, value, 1) for value in dict.fromkeys(bands)]
        wanted += [(k, value, 0) for value in dict.fromkeys(keys)]
    if _bulk():  # one JSON value: no placeholder for every value to write into the SQL
        sought = "SELECT * FROM json_to_recordset(%s::json) AS r(i int, v text, band int)"
        params = [json.dumps([{"i": k, "v": v, "band": band} for k, v, band in wanted])]
    else:
        sought = f"VALUES {', '.join(['(%s, %s, %s)'] * len(wanted))}"
        params = [v for row in wanted for v in row]
    sql = (
        f"WITH q(i, v, band) AS ({sought}),"
        f" hit AS (SELECT q.i AS i, s.{of} AS d FROM q JOIN {sig} s ON s.{value} = q.v"
        f" GROUP BY q.i, s.{of} HAVING MAX(q.band) = 1 OR SUM(1 - q.band) >= 2),"
        f" ranked AS (SELECT i, d, ROW_NUMBER() OVER (PARTITION BY i ORDER BY d) AS r FROM hit)"
        f" SELECT i, d FROM ranked WHERE r <= {FIRST} ORDER BY i, d"
    )
    return sql, params
