"""The integrated chronology: every agency's entries merged into one order, with suggested links
(links.py), gaps in agency contact (gaps.py), key practice episodes and a timeline picture
(timeline.py, timeline_svg.py). build.py is the build task's work; services.py the writes;
selectors.py the pages' reads; views.py the pages. Its exports are chronology.exports."""
