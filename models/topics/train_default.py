#!/usr/bin/env python3
"""Recipe for the default newsnlp topic model.

    OMP_NUM_THREADS=1 python models/topics/train_default.py --shared ../shared \\
        --encoders build/encoders --final-encoders build/encoders-all -o models/topics/default

Trains on ``shared/data/topics/{en/train,en/train_extra,zh/train}.jsonl`` (never on dev or
articles), then measures the dev sets, the labelled full articles in ``shared/articles`` and
speed/size/load time, prints everything and stores the numbers in the model's metadata.
Deterministic: fixed seed, single-threaded solver.
Hyper-parameters are ``newsnlp.topics.linear.DEFAULT_CONFIGS`` (v2: Chinese averages LinearSVC and
NB-SVM weights, ``nb_mix=0.5``; v3: a neural head over the records' ``source_label`` fine labels is
blended in for short texts, see ``newsnlp.topics.neural``; v4: the linear model is also trained on those
fine labels and its summed fine-label probabilities are blended in for short texts, see
``newsnlp.topics.linear.FineLinear``); v5 (``--encoders DIR``, from ``train_encoder.py``): fine-tuned
transformer encoders are blended in for short texts instead of the neural head, see
``newsnlp.topics.encoder``. The model card ``models/topics/README.md`` records the measurements.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import time
from dataclasses import replace
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from newsnlp.topics.encoder import TextEncoder, load_encoder, split_fingerprint  # noqa: E402
from newsnlp.topics.linear import DEFAULT_CONFIGS, calibration_split  # noqa: E402
from newsnlp.topics.model import TopicModel  # noqa: E402
from newsnlp.topics.train import evaluate, format_report, train  # noqa: E402

SEED = 20261128
TRAIN_FILES = ("data/topics/en/train.jsonl", "data/topics/en/train_extra.jsonl", "data/topics/zh/train.jsonl")
ENCODER_OVERRIDES = {"en": {"fine_rows": 100_000}}


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def article_records(shared: Path, lang: str) -> list[dict]:
    """Labelled full articles (title line, blank line, body) as evaluation records."""
    index = read_jsonl(shared / "articles" / lang / "index.jsonl")
    return [{"text": (shared / "articles" / r["file"]).read_text(encoding="utf-8"), "label": r["label"], "lang": lang}
            for r in index]


def load_encoders(folder: Path, records: list[dict], final: bool = False) -> dict[str, tuple[TextEncoder, dict]]:
    """The encoders in ``folder/{en,zh}``, each checked to be fine-tuned on this run's fitting split
    (``final``: on all of this run's texts, ``train_encoder.py --all-data``)."""
    out = {}
    for lang in ("en", "zh"):
        if not (folder / lang / "encoder.json").is_file():
            continue
        encoder, meta = load_encoder(folder / lang)
        labels = [r["label"] for r in records if r.get("lang") == lang]
        fit_idx, cal_idx = calibration_split(labels, DEFAULT_CONFIGS[lang].calibration_fraction, SEED)
        if meta.get("split") != split_fingerprint(labels, fit_idx, cal_idx, SEED):
            raise SystemExit(f"{folder / lang}: encoder was trained on another split of the training data")
        if (meta.get("trained_on", "fitting") == "all") != final:
            raise SystemExit(f"{folder / lang}: expected an encoder trained on {'all texts' if final else 'the fitting split'}"
                             f", got one trained on {meta.get('trained_on', 'fitting')}")
        out[lang] = (encoder, meta)
        seen = " (it trained on these texts: the blend is fitted with the --encoders one)" if final else ""
        print(f"{'final ' if final else ''}encoder {lang}: {meta.get('pretrained')}, "
              f"held-out accuracy {meta.get('held_out_accuracy')}{seen}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("--shared", type=Path, default=Path("../shared"), help="the shared data folder")
    ap.add_argument("-o", "--output", type=Path, default=Path("models/topics/default"))
    ap.add_argument("--encoders", type=Path, default=None,
                    help="folder with en/ and zh/ encoders from train_encoder.py (default: none)")
    ap.add_argument("--final-encoders", type=Path, default=None,
                    help="folder with en/ and/or zh/ encoders from train_encoder.py --all-data: they replace "
                         "the --encoders ones after the blend is fitted (default: none)")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")

    records = [r for f in TRAIN_FILES for r in read_jsonl(args.shared / f)]
    print(f"training on {len(records)} records from {', '.join(TRAIN_FILES)}")
    encoders = load_encoders(args.encoders, records) if args.encoders else {}
    finals = load_encoders(args.final_encoders, records, final=True) if args.final_encoders else {}
    if set(finals) - set(encoders):
        raise SystemExit(f"--final-encoders {sorted(set(finals) - set(encoders))} need --encoders for the same language")
    t0 = time.perf_counter()
    # With an encoder, a language drops the small neural head (the encoder does its job better, and
    # both together would not fit the 60 MB budget); English keeps fewer fine-label weight rows.
    configs = {lang: replace(DEFAULT_CONFIGS[lang], neural=None, **ENCODER_OVERRIDES.get(lang, {}))
               for lang in encoders}
    model = train(records, seed=SEED, configs=configs, encoders={lang: enc for lang, (enc, _) in encoders.items()},
                  final_encoders={lang: enc for lang, (enc, _) in finals.items()}, metadata={
        "name": "newsnlp-topics-default",
        "training_data": list(TRAIN_FILES),
        "recipe": "models/topics/train_default.py",
        "encoders": {lang: finals[lang][1] if lang in finals else meta for lang, (_, meta) in encoders.items()},
        "blend_fitted_with": {lang: meta for lang, (_, meta) in encoders.items() if lang in finals},
    })
    print(f"trained in {time.perf_counter() - t0:.0f} s")

    model.save(args.output)  # saved again below with the metrics in its metadata
    metrics: dict = {}
    for lang in ("en", "zh"):
        dev = read_jsonl(args.shared / "eval" / "topics" / lang / "dev.jsonl")
        res = evaluate(model, dev)
        print(f"\n== dev {lang} ==\n{format_report(res)}")
        arts = article_records(args.shared, lang)
        ares = evaluate(model, arts)
        print(f"\n== articles {lang} ==\n{format_report(ares)}")
        texts = [r["text"] for r in arts]
        fresh = TopicModel.load(args.output)  # a cold model, as a user gets it
        c0 = time.process_time()
        fresh.predict_proba(texts[::2], [lang] * len(texts[::2]))
        cold = len(texts[::2]) / (time.process_time() - c0)
        # Then articles it has not seen (the featurizer caches per word, so repeats would flatter it).
        t1, c1 = time.perf_counter(), time.process_time()
        fresh.predict_proba(texts[1::2], [lang] * len(texts[1::2]))
        speed = len(texts[1::2]) / (time.process_time() - c1)
        wall = len(texts[1::2]) / (time.perf_counter() - t1)
        print(f"speed {lang}: {speed:.0f} full articles per CPU-second, {wall:.0f}/s wall clock (one process; "
              f"a fresh model's first call {cold:.0f} per CPU-second)")
        metrics[lang] = {"dev_accuracy": round(res["accuracy"], 4), "dev_macro_f1": round(res["macro_f1"], 4),
                         "dev_n": res["n"], "articles_accuracy": round(ares["accuracy"], 4),
                         "articles_n": ares["n"], "articles_per_cpu_second": round(speed),
                         "first_call_articles_per_cpu_second": round(cold),
                         "articles_per_second_wall": round(wall)}
    model.metadata["metrics"] = metrics
    model.save(args.output)
    size = sum(p.stat().st_size for p in args.output.iterdir())
    t2 = time.perf_counter()
    again = TopicModel.load(args.output)
    load_s = time.perf_counter() - t2
    assert again.predict(["test"]) == model.predict(["test"])
    print(f"\nsaved to {args.output}: {size / 1e6:.1f} MB, load {load_s:.2f} s")
    print(json.dumps(metrics, indent=1))


if __name__ == "__main__":
    main()
