"""Open Badges 2.0: hosted JSON-LD, baked images, import and export."""
