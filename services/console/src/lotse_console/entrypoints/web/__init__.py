"""The console's pages (blueprints) and the app that serves them."""
