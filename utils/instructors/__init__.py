"""Tools for people who edit the course, run from the command line or by ``make``.

- ``notebook_hygiene.py``: strip outputs except checked cells; run a notebook to refresh them
  (``make strip``);
- ``make_exercises.py``: derive ``exercises/`` from ``solutions/`` (``make exercises``);
- ``course_map.py``: the lesson list, the README's course map and every setup cell
  (``make course-map``).
"""
