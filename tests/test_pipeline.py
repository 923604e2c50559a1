"""The pipeline on our own samples: structure, languages, sentences, tokens, batching, processes."""

from pathlib import Path

import pytest

import newsnlp
from newsnlp.errors import ConfigError, EmptyInputError, NewsNLPError

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


@pytest.mark.slow
def test_english_sample(preprocessor) -> None:
    a = preprocessor.analyze(sample("en_trade_talks.txt"), id="en")
    assert a.lang == "en" and a.title.text == "Canada and Japan Agree to Resume Trade Talks"
    assert a.author.text == "Maria Lopez" and a.dateline.text == "OTTAWA (Newsnlp Wire)"
    assert a.invalid_spans() == []
    # Sentences never cross paragraphs, and the title is its own sentence.
    for s in a.sentences:
        p = a.paragraphs[s.paragraph]
        assert p.start <= s.start and s.end <= p.end
    assert a.sentences[0].text == a.title.text
    assert any(t.text == "Okafor" and t.pos == "PROPN" for t in a.tokens)


def test_chinese_sample(preprocessor) -> None:
    a = preprocessor.analyze(sample("zh_science.txt"))
    assert a.lang == "zh" and a.dateline.text == "新华社青岛5月12日电"
    assert {"科研", "团队", "深海"} <= {t.text for t in a.tokens}
    # The quote with its closing mark stays in one sentence.
    assert any(s.text.startswith("“我们在六千米") and s.text.endswith("他说。") for s in a.sentences)


def test_mixed_sample_routes_each_paragraph(blank_preprocessor) -> None:
    a = blank_preprocessor.analyze(sample("mixed_summit.txt"))
    assert a.lang == "mixed"
    langs = [p.lang for p in a.body]
    assert langs == ["en", "zh", "en", "zh"]
    zh_para = a.body[1]
    zh_tokens = [t for t in a.tokens if zh_para.start <= t.start < zh_para.end]
    assert all(t.pos == "" for t in zh_tokens) and "李强" in [t.text for t in zh_tokens]


def test_traditional_gives_same_tokens_as_simplified(preprocessor) -> None:
    simp = preprocessor.analyze("国务院总理温家宝今天在北京会见了美国国务卿。")
    trad = preprocessor.analyze("國務院總理溫家寶今天在北京會見了美國國務卿。")
    assert trad.paragraphs[0].script == "traditional"
    assert [(t.start, t.end) for t in trad.tokens] == [(t.start, t.end) for t in simp.tokens]


def test_boilerplate_is_kept_but_not_analysed(blank_preprocessor) -> None:
    a = blank_preprocessor.analyze(sample("scraped_page.txt"))
    assert any("Leave a Reply" in p.text for p in a.boilerplate)
    assert not any("Leave a Reply" in s.text for s in a.sentences)
    assert "Leave a Reply" in a.text


def test_html_page(blank_preprocessor) -> None:
    page = (
        "<!DOCTYPE html><html><head><title>Rates rise</title></head><body>"
        "<nav><a href='/'>Home</a> | <a href='/b'>Business</a></nav><div class='ad'>Buy now!</div>"
        "<article><h1>Rates rise</h1><p>The central bank raised interest rates on Thursday, "
        "the third rise this year, saying inflation was still too high.</p>"
        "<p>Economists had expected the move after prices rose faster than forecast in the spring.</p>"
        "</article><footer>© 2024 Example News</footer><script>track()</script></body></html>"
    )
    a = blank_preprocessor.analyze(page.encode("utf-8"))
    assert a.meta["source_format"] == "html" and a.title.text == "Rates rise"
    assert "Buy now" not in a.text and "track()" not in a.text and "central bank" in a.text


def test_html_page_that_opens_with_a_style_sheet(blank_preprocessor) -> None:
    # Some saved pages put a long <style> block before <html>: still a page, not text full of CSS.
    css = "<style>" + ".nav { margin: 0; padding: 0 }\n" * 300 + "</style>\n"
    page = (
        css + "<html><head><title>Rates rise</title></head><body><article><h1>Rates rise</h1>"
        "<p>The central bank raised interest rates on Thursday, the third rise this year.</p>"
        "<p>Economists had expected the move after prices rose faster than forecast.</p></article></body></html>"
    )
    a = blank_preprocessor.analyze(page.encode("utf-8"))
    assert a.meta["source_format"] == "html" and "margin" not in a.text and "central bank" in a.text


@pytest.mark.parametrize("content", ["", "   \n\t\u3000", b"", b"   \n"])
def test_empty_input_is_the_same_typed_error_from_str_and_bytes(preprocessor, content) -> None:
    with pytest.raises(EmptyInputError):
        preprocessor.analyze(content)


@pytest.mark.slow
def test_import_loads_no_model() -> None:
    import subprocess
    import sys

    code = "import sys, newsnlp; print(any(m.startswith(('spacy', 'jieba', 'sklearn', 'trafilatura')) for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.slow
def test_analyze_many_batches_and_keeps_order() -> None:
    texts = [f"Story {i}\n\nThe council met on day {i} and voted." for i in range(7)]
    articles = list(newsnlp.analyze_many(texts, batch_size=3, stages=()))
    assert [a.title.text for a in articles] == [f"Story {i}" for i in range(7)]


@pytest.mark.slow
def test_analyze_many_errors_raise_or_skip() -> None:
    records = [{"id": "a", "text": "Fine text here."}, {"id": "b", "text": ""}, {"id": "c", "text": "More text."}]
    with pytest.raises(NewsNLPError, match="b"):
        list(newsnlp.analyze_many(records, stages=()))
    assert [a.id for a in newsnlp.analyze_many(records, errors="skip", stages=())] == ["a", "c"]


@pytest.mark.slow
def test_analyze_many_two_processes_match_one() -> None:
    texts = [(SAMPLES / n).read_text("utf-8") for n in sorted(p.name for p in SAMPLES.iterdir())]
    one = list(newsnlp.analyze_many(texts, batch_size=2, stages=()))
    two = list(newsnlp.analyze_many(texts, batch_size=2, n_process=2, stages=()))
    assert one == two


def test_unknown_stage_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown stage"):
        newsnlp.analyze("x", stages=("nope",))


def test_partition_accepts_a_dataframe() -> None:
    import pandas as pd

    from newsnlp.config import Settings
    from newsnlp.partition import annotate_partition

    frame = pd.DataFrame({"id": ["x", "y"], "text": ["One story here.", "  "]})
    out = annotate_partition(frame, Settings(stages=()))
    assert out[0]["id"] == "x" and out[1]["error"]["type"] == "EmptyInputError"


@pytest.mark.slow
def test_all_stages_in_two_processes_match_one_process() -> None:
    texts = [(SAMPLES / n).read_text("utf-8") for n in sorted(p.name for p in SAMPLES.iterdir())]
    one = list(newsnlp.analyze_many(texts, batch_size=2))
    two = list(newsnlp.analyze_many(texts, batch_size=2, n_process=2))
    assert one == two
    assert all(a.topics for a in one) and any(a.quotes for a in one) and all(a.entities for a in one)
