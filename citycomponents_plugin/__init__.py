"""City Components (城市部件档案统计): QGIS plugin entry point."""


def classFactory(iface):  # noqa: N802 - QGIS looks this name up
    """Create the plugin instance QGIS asks for."""
    from citycomponents_plugin.plugin import CityComponentsPlugin

    return CityComponentsPlugin(iface)
