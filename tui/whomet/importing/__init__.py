"""Other people's timelines and spreadsheets, read into records. No user interface."""

from .common import ImportReport, Importer, html_text
from .spreadsheet import import_csv
from .timelinejs import import_timelinejs, slide_date

__all__ = ["ImportReport", "Importer", "html_text", "import_csv", "import_timelinejs", "slide_date"]
