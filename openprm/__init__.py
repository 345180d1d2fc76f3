"""OpenPRM: open-source partner relationship management."""
