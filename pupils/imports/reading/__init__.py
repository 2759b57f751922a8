"""Reading a pupil list exported from a school's MIS: a CSV or a Common Transfer File.

This package only reads: bytes in, checked rows out, no database. Comparing the rows
with the school's roll and applying them are the layers above it. `read_roll` is the
entry point; the types it returns are in `rows`.
"""

from pupils.imports.reading.files import check_size
from pupils.imports.reading.roll import read_roll
from pupils.imports.reading.rows import PupilRow, RollFile, RollFileRefused, RowProblem

__all__ = ["PupilRow", "RollFile", "RollFileRefused", "RowProblem", "check_size", "read_roll"]
