"""Other people's timelines, entities and spreadsheets, read into records. No user interface."""

from .common import ImportReport, Importer, html_text
from .ftm import import_ftm
from .spreadsheet import import_csv
from .timelinejs import import_timelinejs, slide_date

__all__ = ["ImportReport", "Importer", "html_text", "import_csv", "import_ftm", "import_timelinejs", "slide_date"]
