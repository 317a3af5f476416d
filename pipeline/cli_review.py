"""The reviewer-facing commands of `evidence`: the self-contained HTML report and the local evidence
browser. Standalone click commands; the main group registers them."""

from __future__ import annotations

from pathlib import Path

import click
from click.core import ParameterSource

from index.durable import replace_text
from ingest.errors import OutputError
from pipeline.cli_options import data_option, friendly
from pipeline.cli_reviewing import reviewer_option, unreviewed_option
from pipeline.output import emit, output_options


@click.command()
@unreviewed_option
@click.option("--codebook", default=None, help="Only this codebook's themes [default: every codebook].")
@click.option("--k", type=click.IntRange(min=1, max=100), default=5, show_default=True,
              help="Quotations shown per theme.")
@click.option("--out", "out_path", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="HTML file to write.")
@data_option
@output_options
@friendly
def report(codebook: str | None, k: int, out_path: Path, data_dir: Path, as_json: bool, as_csv: bool) -> None:
    """Write one self-contained HTML page: per theme its description and top quotations (with
    respondent, facets, document, section, page and surrounding paragraphs), a theme x document
    heat map, and filters by document, study and facet. No network access is needed to view it."""
    from queries.exports.report import gather_report, render_report

    gathered = gather_report(data_dir, codebook, k)
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        replace_text(out_path, render_report(gathered))
    except OSError as error:
        raise OutputError(f"cannot write {out_path}: {error.strerror or error}") from None
    emit([{"path": str(out_path), "themes": len(gathered.themes), "quotations": gathered.quotation_count}],
         as_json, as_csv)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Only loopback unless you pass another address here explicitly.")
@click.option("--port", type=click.IntRange(min=0, max=65535), default=8000, show_default=True,
              help="Port to listen on.")
@click.option("--allow-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="Another name clients may use for this server in their Host header (besides loopback "
                   "names and the --host address); repeatable.")
@click.option("--token", default=None,
              help="Token every change must carry (open /login?token=TOKEN once) [default: none on loopback, "
                   "a fresh random one printed at start on any other address].")
@reviewer_option
@data_option
@friendly
def serve(host: str, port: int, allowed_hosts: tuple[str, ...], token: str | None, reviewer: str,
          data_dir: Path) -> None:
    """Browse the evidence locally: a search page for codebook themes or free text with the
    same filters as the CLI, and JSON endpoints mirroring `evidence theme/search/quotes --json`
    (OpenAPI at /docs and /openapi.json)."""
    import secrets

    from pipeline.server import check_bind_address, create_app, is_loopback

    explicit = click.get_current_context().get_parameter_source("host") == ParameterSource.COMMANDLINE
    check_bind_address(host, explicit)
    import uvicorn

    if token is None and not is_loopback(host):
        token = secrets.token_urlsafe(24)
    app = create_app(data_dir, allowed_hosts=(host, *allowed_hosts), token=token, reviewer=reviewer)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Serving the evidence in {data_dir} at http://{shown}:{port}/ (Ctrl-C stops)", err=True)
    if token is not None:
        click.echo(f"Changes need the token: open http://{shown}:{port}/login?token={token} once", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
