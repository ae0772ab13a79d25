"""Landing folder -> raw.* in the warehouse (orchestration/ingest does the work).
Partitioned by force; a run over several partitions ingests them in one step."""

import duckdb
from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    Backoff,
    BackfillPolicy,
    Config,
    MaterializeResult,
    MetadataValue,
    RetryPolicy,
    multi_asset,
)

from .. import paths
from ..cards import render_card
from ..failures import retry_only_if_transient
from ..ingest.load import ingest_landing
from ..partitions import force_partitions, force_slug, partition_key

# Reading cards attached to a partition's raw/returns materialization: each is capped
# (cards.MAX_CARD_CHARS); past this many per force, the published cards have the rest.
CARDS_PER_PARTITION = 10

# Everything that opens the warehouse (ingestion, dbt, checks, publish) shares this pool,
# limited to 1 in dagster_home/dagster.yaml: DuckDB allows one writing process and then
# no other process at all.
POOL = "warehouse"

# A DuckDB lock held by a process outside Dagster (an analyst opening the warehouse
# read-write), an I/O error or a full disk is transient: retry with backoff rather than
# fail the run. Every step raises anything else as Failure(allow_retries=False), which this
# policy does not retry (orchestration/failures.py): a failing test fails at once.
WRITER_RETRY = RetryPolicy(max_retries=3, delay=5, backoff=Backoff.EXPONENTIAL)

landing = AssetSpec(
    key=AssetKey(["landing", "returns"]),
    description="FOI returns as received, one folder per force under data/landing/ (never modified).",
    group_name="landing",
    kinds={"file"},
)

RAW_KEYS = {name: AssetKey(["raw", name]) for name in ("returns", "tables", "rows")}


class IngestConfig(Config):
    reparse: bool = False  # parse every file again even when its sha256 is already stored


@multi_asset(
    specs=[
        AssetSpec(RAW_KEYS["returns"], deps=[landing], description="One row per ingested file version: sha256, status, quarantine reason.", kinds={"duckdb"}, group_name="raw"),
        AssetSpec(RAW_KEYS["tables"], deps=[landing], description="Tables found in each return: header row, shape, column roles.", kinds={"duckdb"}, group_name="raw"),
        AssetSpec(RAW_KEYS["rows"], deps=[landing], description="Every row of every loaded return, cells as text, with provenance.", kinds={"duckdb"}, group_name="raw"),
    ],
    partitions_def=force_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    pool=POOL,
    retry_policy=WRITER_RETRY,
)
def raw_returns(context: AssetExecutionContext, config: IngestConfig):
    """Ingest new and changed files of the selected forces; identical files (same sha256)
    are skipped, files gone from a force's folder are retired."""
    forces = {force_slug(k) for k in context.partition_keys}
    paths.warehouse_path().parent.mkdir(parents=True, exist_ok=True)
    # Ingestion only appends: DuckDB need not keep the written pages cached (its default
    # cache may grow to 80% of memory). Measured at 10M records: 1.89 -> 1.65 GB peak, same time.
    with retry_only_if_transient("ingestion"), \
            duckdb.connect(str(paths.warehouse_path()), config={"memory_limit": "512MB"}) as con:
        summary = ingest_landing(con, paths.landing_dir(), forces, reparse=config.reparse)
        counts = dict(con.execute(
            "select 'returns', count(*) from raw.returns where is_current union all "
            "select 'tables', count(*) from raw.tables join raw.returns using (return_id) where is_current union all "
            "select 'rows', count(*) from raw.rows join raw.returns using (return_id) where is_current"
        ).fetchall())
        cards = _reading_cards(context, con, forces)
    for reason in summary.quarantined.values():
        context.log.warning(f"quarantined: {reason}")
    for warning in summary.warnings:
        context.log.warning(warning)
    for key, entries in cards.items():  # before the materializations are yielded, which carry them
        if key in context.partition_keys:
            context.add_asset_metadata(entries, asset_key=RAW_KEYS["returns"], partition_key=key)
    for name, key in RAW_KEYS.items():
        yield MaterializeResult(
            asset_key=key,
            metadata={
                "current_rows_all_forces": counts[name],
                "returns_ingested": len(summary.ingested),
                "returns_unchanged": len(summary.unchanged),
                "returns_retired": len(summary.retired),
                "quarantined": "\n".join(summary.quarantined.values()) or "none",
                "personal_data_warnings": "\n".join(summary.warnings) or "none",
            },
        )


def _reading_cards(context: AssetExecutionContext, con: duckdb.DuckDBPyConnection,
                   forces: set[str]) -> dict[str, dict[str, MetadataValue]]:
    """Partition key -> {'card: <file>': reading card} for every current return of the forces
    in this run, ingested now or unchanged, so a partition's latest materialization always
    shows its cards. The reader's view: dbt has not run on this ingestion yet. A card that
    cannot be rendered says why instead of failing the ingestion."""
    cards: dict[str, dict[str, MetadataValue]] = {}
    current = con.execute("select return_id, force_slug, source_file from raw.returns "
                          "where is_current and list_contains(?, force_slug) order by source_file",
                          [sorted(forces)]).fetchall()
    for rid, slug, source_file in current:
        entries = cards.setdefault(partition_key(slug or ""), {})
        if len(entries) == CARDS_PER_PARTITION:
            entries["card: more"] = MetadataValue.md("This force has more returns: their cards are in "
                                                     "data/published/cards/ after the publish.")
        if len(entries) >= CARDS_PER_PARTITION:
            continue
        try:
            entries[f"card: {source_file}"] = MetadataValue.md(render_card(con, rid, dbt=False))
        except Exception as exc:  # the card is a report: never fail an ingestion that succeeded
            context.log.warning(f"reading card of {rid} could not be rendered: {exc!r}")
            entries[f"card: {source_file}"] = MetadataValue.md(f"The reading card could not be rendered: `{exc!r}`")
    return cards
