"""The secretariat's administration pages: users and roles, incubators."""
