"""Permission-matrix rows kept beside the views they cover, one module per area.

Each module defines ``ROWS: list[Row]``; tests/test_permission_matrix.py adds them all to its
matrix, so every persona is tried on every row and an unlisted URL still fails the suite.
"""

from __future__ import annotations

from tests.matrix_rows import family, family_reader, meetings, scoping

ROWS = [*meetings.ROWS, *family.ROWS, *family_reader.ROWS, *scoping.ROWS]
