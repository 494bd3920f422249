"""Core engine: no qgis.gui or Qt widget imports here."""
