"""Processing provider "citycomponents": thin wrappers around citycomponents_plugin.core."""
