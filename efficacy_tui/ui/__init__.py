"""The Textual app: screens, widgets and stylesheets. Asks the store for data and the coach for
meaning."""
