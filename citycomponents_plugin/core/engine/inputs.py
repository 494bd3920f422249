"""What the engine is given: layer roles and field choices (SPEC section 5 parameter names)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from qgis.core import QgsCoordinateTransformContext, QgsVectorLayer

from citycomponents_plugin.core.levels import Level

KIND_COMPONENTS = 0
KIND_ADDRESSES = 1
ASSIGN_BY_LOCATION = 0
ASSIGN_BY_STORED_CODE = 1


@dataclass
class DistrictInputs:
    """Layers and field overrides for one district; empty field names mean auto-detect."""

    grids: QgsVectorLayer
    components: list = field(default_factory=list)
    committees: Optional[QgsVectorLayer] = None
    streets: Optional[QgsVectorLayer] = None
    supervisors: Optional[QgsVectorLayer] = None
    kind: int = KIND_COMPONENTS
    grid_code_field: Optional[str] = None
    committee_name_field: Optional[str] = None
    street_name_field: Optional[str] = None
    supervisor_name_field: Optional[str] = None
    committee_code_field: Optional[str] = None
    street_code_field: Optional[str] = None
    supervisor_code_field: Optional[str] = None
    id_field: Optional[str] = None
    type_field: Optional[str] = None
    grid_attr_field: Optional[str] = None
    assign_by: int = ASSIGN_BY_LOCATION
    transform_context: Optional[QgsCoordinateTransformContext] = None

    def upper_layers(self) -> dict:
        """The optional upper-level layers that were given, by level."""
        layers = {Level.STREET: self.streets, Level.SUPERVISOR: self.supervisors, Level.COMMITTEE: self.committees}
        return {lvl: lyr for lvl, lyr in layers.items() if lyr is not None}

    def name_override(self, level: Level) -> Optional[str]:
        return {Level.STREET: self.street_name_field, Level.SUPERVISOR: self.supervisor_name_field,
                Level.COMMITTEE: self.committee_name_field}.get(level)

    def code_override(self, level: Level) -> Optional[str]:
        return {Level.STREET: self.street_code_field, Level.SUPERVISOR: self.supervisor_code_field,
                Level.COMMITTEE: self.committee_code_field}.get(level)
