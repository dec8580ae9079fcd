"""The research API: versioned JSON, CSV, GeoJSON and JSON-LD under /api/v1/ (Django REST framework)."""
