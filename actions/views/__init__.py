"""The action plan's pages, one module a page family: ``plan`` (a review's action plan and its
recommendations), ``action`` (one action, its progress and evidence), ``clocks`` (the statutory
clocks), ``board`` (the board dashboard, its exports and themes) and ``my_actions`` (the agency
view). Each view: access helper (actions.permissions) → form → service or selector → response."""
