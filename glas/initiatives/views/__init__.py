"""Views of the initiatives app: public pages, the committee's pages and the council's."""
