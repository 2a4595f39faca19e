"""Views of the bureau: public pages (public.py) and the work of advisors (work.py)."""
