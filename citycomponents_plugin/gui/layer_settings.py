"""The dialog's layer choices and field mapping: guessed from the project, saved in it, turned into engine inputs.

Layers are remembered by id and fields by name in the project file (scope "citycomponents"), so reopening
the project restores the dialog; an empty field means "auto-detect", exactly like the algorithms' parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from qgis.core import QgsMapLayer, QgsProject, QgsVectorLayer

from citycomponents_plugin.core import compat
from citycomponents_plugin.core.engine import fields as fd
from citycomponents_plugin.core.engine.inputs import KIND_ADDRESSES, KIND_COMPONENTS, DistrictInputs

SCOPE = "citycomponents"
REGION_ROLES = ("streets", "supervisors", "committees", "grids")
FIELD_ROLES = ("grid_code_field", "committee_name_field", "street_name_field", "supervisor_name_field",
               "id_field", "type_field", "grid_attr_field")
COMPONENT_FIELD_ROLES = ("id_field", "type_field", "grid_attr_field")
# Field role -> the shared Processing parameter it fills (SPEC section 5).
FIELD_PARAMETERS = {"grid_code_field": "GRID_CODE_FIELD", "committee_name_field": "COMMITTEE_NAME_FIELD",
                    "street_name_field": "STREET_NAME_FIELD", "supervisor_name_field": "SUPERVISOR_NAME_FIELD",
                    "id_field": "ID_FIELD", "type_field": "TYPE_FIELD", "grid_attr_field": "GRID_ATTR_FIELD"}
LAYER_PARAMETERS = {"grids": "GRIDS", "committees": "COMMITTEES", "streets": "STREETS",
                    "supervisors": "SUPERVISORS"}
REGION_FIELD_OF = {"grids": "grid_code_field", "committees": "committee_name_field",
                   "streets": "street_name_field", "supervisors": "supervisor_name_field"}
# Words in layer names that say which role a layer plays (Chinese names first: that is what operators use).
NAME_HINTS = {
    "grids": ("单元网格", "网格", "grid", "wg"),
    "committees": ("居委会", "社区", "committee", "community", "sq"),
    "streets": ("街道", "办事处", "street", "jd"),
    "supervisors": ("责任区", "监督员", "supervisor", "zrq"),
}
ADDRESS_HINTS = ("门址", "地址", "参照物", "兴趣点", "poi", "address", "reference")
SPECIFIC_ID_FIELDS = ("标识码", "部件标识码", "OBJID", "OBJ_ID", "OBJCODE", "OBJ_CODE", "部件编码", "BSM")


def _is_vector(layer: Optional[QgsMapLayer], geometry: int) -> bool:
    return (isinstance(layer, QgsVectorLayer) and layer.isValid()
            and layer.geometryType() == geometry)


def polygon_layers(project: QgsProject) -> list:
    return [lyr for lyr in project.mapLayers().values() if _is_vector(lyr, compat.POLYGON_GEOMETRY)]


def point_layers(project: QgsProject) -> list:
    """Point layers in the order of the layer tree (what the operator sees in the Layers panel)."""
    ordered = [n.layer() for n in project.layerTreeRoot().findLayers()]
    seen = {lyr.id() for lyr in ordered if lyr is not None}
    ordered += [lyr for lid, lyr in project.mapLayers().items() if lid not in seen]
    return [lyr for lyr in ordered if _is_vector(lyr, compat.POINT_GEOMETRY)]


def field_candidates(role: str, kind: int) -> list:
    """The names field_detection tries for a role (what the engine would pick when the field is left empty)."""
    if role == "type_field" and kind == KIND_ADDRESSES:
        return fd.POI_TYPE_CANDIDATES
    return {"grid_code_field": fd.GRID_CODE_CANDIDATES, "committee_name_field": fd.COMMITTEE_NAME_CANDIDATES,
            "street_name_field": fd.STREET_NAME_CANDIDATES, "supervisor_name_field": fd.SUPERVISOR_NAME_CANDIDATES,
            "id_field": fd.COMPONENT_ID_CANDIDATES, "type_field": fd.COMPONENT_TYPE_CANDIDATES,
            "grid_attr_field": fd.GRID_ATTR_CANDIDATES}[role]


def detect(layer: Optional[QgsVectorLayer], role: str, kind: int = KIND_COMPONENTS) -> str:
    """The field the engine auto-detects for a role on a layer ('' when none)."""
    if layer is None:
        return ""
    return fd.detect_field(layer.fields().names(), field_candidates(role, kind)) or ""


@dataclass
class LayerSettings:
    """Layer ids per role, component layer ids per query object, field overrides ('' = auto-detect)."""

    kind: int = KIND_COMPONENTS
    assign_by: int = 0
    layers: dict = field(default_factory=lambda: {role: "" for role in REGION_ROLES})
    components: dict = field(default_factory=lambda: {KIND_COMPONENTS: [], KIND_ADDRESSES: []})
    fields: dict = field(default_factory=lambda: {role: "" for role in FIELD_ROLES})

    # ----- layers ---------------------------------------------------------------------------------
    def layer(self, role: str, project: Optional[QgsProject] = None) -> Optional[QgsVectorLayer]:
        lid = self.layers.get(role) or ""
        lyr = (project or QgsProject.instance()).mapLayer(lid) if lid else None
        return lyr if isinstance(lyr, QgsVectorLayer) else None

    def component_layers(self, project: Optional[QgsProject] = None) -> list:
        project = project or QgsProject.instance()
        found = [project.mapLayer(lid) for lid in self.components.get(self.kind, [])]
        return [lyr for lyr in found if isinstance(lyr, QgsVectorLayer)]

    def layer_ids(self) -> list:
        """Every layer the settings use (to watch them for changes)."""
        return [lid for lid in self.layers.values() if lid] + list(self.components.get(self.kind, []))

    def key(self) -> tuple:
        """Hashable identity of everything that changes the district index."""
        return (self.kind, self.assign_by, tuple(self.layers[r] for r in REGION_ROLES),
                tuple(self.components.get(self.kind, [])), tuple(self.fields[r] for r in FIELD_ROLES))

    # ----- engine and algorithms ------------------------------------------------------------------
    def to_inputs(self, project: Optional[QgsProject] = None) -> DistrictInputs:
        """The same DistrictInputs the algorithms build from their parameters."""
        project = project or QgsProject.instance()
        return DistrictInputs(
            grids=self.layer("grids", project),
            components=self.component_layers(project),
            committees=self.layer("committees", project),
            streets=self.layer("streets", project),
            supervisors=self.layer("supervisors", project),
            kind=self.kind,
            assign_by=self.assign_by,
            transform_context=project.transformContext(),
            **{role: (self.fields[role] or None) for role in FIELD_ROLES},
        )

    def processing_parameters(self) -> dict:
        """The shared parameters (SPEC section 5) for running an algorithm on the same inputs."""
        params: dict = {"KIND": self.kind, "ASSIGN_BY": self.assign_by,
                        "COMPONENTS": list(self.components.get(self.kind, []))}
        for role, name in LAYER_PARAMETERS.items():
            if self.layers.get(role):
                params[name] = self.layers[role]
        for role, name in FIELD_PARAMETERS.items():
            if self.fields.get(role):
                params[name] = self.fields[role]
        return params

    # ----- project file ---------------------------------------------------------------------------
    def write(self, project: QgsProject) -> None:
        project.writeEntry(SCOPE, "saved", True)
        project.writeEntry(SCOPE, "kind", int(self.kind))
        project.writeEntry(SCOPE, "assign_by", int(self.assign_by))
        for role in REGION_ROLES:
            project.writeEntry(SCOPE, f"layers/{role}", self.layers.get(role) or "")
        for kind in (KIND_COMPONENTS, KIND_ADDRESSES):
            project.writeEntry(SCOPE, f"layers/components_{kind}", list(self.components.get(kind, [])))
        for role in FIELD_ROLES:
            project.writeEntry(SCOPE, f"fields/{role}", self.fields.get(role) or "")

    @classmethod
    def read(cls, project: QgsProject) -> Optional[LayerSettings]:
        """Settings saved in the project, or None when it has none."""
        _saved, ok = project.readBoolEntry(SCOPE, "saved", False)
        if not ok:
            return None
        s = cls()
        s.kind = project.readNumEntry(SCOPE, "kind", 0)[0]
        s.assign_by = project.readNumEntry(SCOPE, "assign_by", 0)[0]
        for role in REGION_ROLES:
            s.layers[role] = project.readEntry(SCOPE, f"layers/{role}", "")[0]
        for kind in (KIND_COMPONENTS, KIND_ADDRESSES):
            s.components[kind] = [v for v in project.readListEntry(SCOPE, f"layers/components_{kind}", [])[0] if v]
        for role in FIELD_ROLES:
            s.fields[role] = project.readEntry(SCOPE, f"fields/{role}", "")[0]
        return s


def _hint_score(layer: QgsVectorLayer, hints: tuple) -> int:
    name = layer.name().casefold()
    for rank, word in enumerate(hints):
        if word.casefold() in name:
            return 100 - rank
    return 0


def guess(project: QgsProject) -> LayerSettings:
    """A first configuration from layer names and fields, so the dialog opens ready on a typical project."""
    s = LayerSettings()
    taken: set = set()
    for role in ("grids", "supervisors", "committees", "streets"):
        best, best_score = None, 0
        for lyr in polygon_layers(project):
            if lyr.id() in taken:
                continue
            score = _hint_score(lyr, NAME_HINTS[role])
            if score and detect(lyr, REGION_FIELD_OF[role]):
                score += 10
            if role == "grids" and not score and fd.detect_field(lyr.fields().names(), fd.GRID_CODE_CANDIDATES[:9]):
                score = 5
            if score > best_score:
                best, best_score = lyr, score
        if best is not None:
            s.layers[role] = best.id()
            taken.add(best.id())
    for lyr in point_layers(project):
        names = lyr.fields().names()
        address_like = _hint_score(lyr, ADDRESS_HINTS) > 0
        component_like = fd.detect_field(names, SPECIFIC_ID_FIELDS) is not None and not address_like
        s.components[KIND_COMPONENTS if component_like else KIND_ADDRESSES].append(lyr.id())
    return s
