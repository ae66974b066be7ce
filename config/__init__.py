"""Project configuration: settings from the environment, gunicorn's config, and the word lists."""
