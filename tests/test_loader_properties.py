"""Property tests: whatever bytes or TOML a record file holds, loading gives problems, never exceptions."""

from __future__ import annotations

import tempfile
from pathlib import Path

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import SMALL_CASE, write_casefile
from whomet.model import KINDS
from whomet.store import load

FOLDERS = [cls.folder for cls in KINDS.values()]
FIELD_NAMES = sorted({name for cls in KINDS.values() for name in cls.model_fields} | {"bogus", "id"})

scalars = st.one_of(
    st.text(max_size=30), st.integers(-10**6, 10**6), st.booleans(), st.floats(allow_nan=False),
    st.sampled_from(["2016", "2016-09", "2016-02-30", "2016-04-16/2016-04-30", "ann-lee", "daily-report",
                     "2016-09-lee-ray", "bo-ray", "denies", "confirmed", "[bold]x[/]", "../x"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(FIELD_NAMES), inner, max_size=4)),
    max_leaves=12,
)
records = st.dictionaries(st.sampled_from(FIELD_NAMES), values, max_size=8)


def load_with(folder_name: str, file_name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        folder = write_casefile(Path(temporary) / "case", {**SMALL_CASE, f"{folder_name}/{file_name}": data})
        casefile = load(folder)
        # every valid record of the small case is still there, unless the new file took its id
        assert len(casefile.records) >= len(SMALL_CASE) - 1
        for problem in casefile.problems:
            assert problem.path.is_relative_to(folder) and problem.message and problem.code


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FOLDERS), records)
def test_generated_toml_records_give_problems_not_exceptions(folder_name, record):
    try:
        data = tomli_w.dumps(record).encode()
    except (TypeError, ValueError):
        return  # not expressible as TOML (a list mixing tables and values)
    load_with(folder_name, "generated.toml", data)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(FOLDERS), st.binary(max_size=400))
def test_random_bytes_give_problems_not_exceptions(folder_name, data):
    load_with(folder_name, "random.toml", data)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(FOLDERS), st.text(max_size=300))
def test_random_text_gives_problems_not_exceptions(folder_name, text):
    load_with(folder_name, "text.toml", text.encode("utf-8", "surrogatepass"))
