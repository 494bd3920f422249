"""The audit's checks: id, what each finds (one sentence), what to do, and the columns of its sheet.

Why a table: audit.xlsx, audit.json, the map layers and the panel all list the same checks in the same
order with the same words; the sentences are translation sources (QT_TRANSLATE_NOOP) in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "CityComponentsAudit"
COMPONENT, REGION = "component", "region"
# The default edge tolerance (metres: 1 cm); here, with the checks, so the algorithm can show it without
# importing the audit run.
DEFAULT_EDGE_TOLERANCE = 0.01


@dataclass(frozen=True)
class Check:
    """One check: `scope` says whether its items are components (key `id`) or regions (key `key`)."""

    id: str
    scope: str
    title: str
    explanation: str
    action: str
    columns: tuple  # item fields after the key, in sheet order

    @property
    def label(self) -> str:
        """The check's Chinese name in outputs (the xlsx summary, the booklet cover), like every header."""
        return LABELS[self.id]


# Item fields and their sheet headers (the domain's Chinese labels).
HEADERS = {
    "id": "标识码", "key": "对象", "layer": "图层", "fid": "fid", "stored_grid": "所在单元网格",
    "grid": "所在网格", "grids": "相关网格", "reason": "问题", "status": "部件状态", "count": "个数",
    "features": "要素", "level": "层级", "region": "区域", "region_code": "区域编码", "segment": "编码段",
    "share": "覆盖比例", "area": "面积", "x": "X", "y": "Y", "grid_a": "网格甲", "grid_b": "网格乙",
    "region_a": "区域甲", "region_b": "区域乙", "committee": "社区居委会", "type": "名称",
}

LABELS = {
    "outside_grids": "区外部件", "null_geometry": "空几何", "untransformable": "坐标无法转换",
    "multiple_grids": "位于多个网格", "near_edge": "靠近网格边", "stored_grid_mismatch": "网格不符",
    "duplicate_id": "重复标识码", "malformed_id": "标识码格式错误", "unknown_status": "部件状态未知",
    "duplicate_grid_code": "重复网格编码", "malformed_grid_code": "网格编码格式错误", "grid_overlap": "网格重叠",
    "grid_gap": "网格缝隙", "grid_code_region_mismatch": "网格编码与区域不符", "grid_without_region": "网格无所属区域",
    "grid_weakly_covered": "网格覆盖不足", "region_overlap": "区域重叠", "region_without_grid": "区域无网格",
    "supervisor_cuts_committee": "责任区切分社区",
}

CHECKS = (
    Check("outside_grids", COMPONENT, QT_TRANSLATE_NOOP("CityComponentsAudit", "Outside every grid"),
          QT_TRANSLATE_NOOP("CityComponentsAudit",
                            "These components lie in no unit grid, so no region counts them."),
          QT_TRANSLATE_NOOP("CityComponentsAudit",
                            "Move each point into its grid, or draw the missing grid."),
          ("layer", "fid", "type", "stored_grid")),
    Check("null_geometry", COMPONENT, QT_TRANSLATE_NOOP("CityComponentsAudit", "No geometry"),
          QT_TRANSLATE_NOOP("CityComponentsAudit",
                            "These components have a NULL or empty geometry, so they cannot be placed in a grid."),
          QT_TRANSLATE_NOOP("CityComponentsAudit", "Digitize the point of each component."),
          ("layer", "fid", "type", "stored_grid")),
    Check("untransformable", COMPONENT, QT_TRANSLATE_NOOP("CityComponentsAudit", "Not transformable"),
          QT_TRANSLATE_NOOP("CityComponentsAudit",
                            "These points could not be transformed to the grid layer's CRS, so they count in "
                            "no grid."),
          QT_TRANSLATE_NOOP("CityComponentsAudit",
                            "Check the layer's CRS and the coordinates of these points."),
          ("layer", "fid", "type")),
    Check("multiple_grids", COMPONENT, QT_TRANSLATE_NOOP("CityComponentsAudit", "Inside several grids"),
          QT_TRANSLATE_NOOP("CityComponentsAudit",
                            "These components lie strictly inside two or more grids, which overlap there; only "
                            "the smallest grid code counts them."),
          QT_TRANSLATE_NOOP("CityComponentsAudit", "Fix the overlapping grids (see grid_overlap)."),
          ("layer", "fid", "type", "grid", "grids")),
    Check("near_edge", COMPONENT, QT_TRANSLATE_NOOP("CityComponentsAudit", "Near a grid edge"),
          QT_TRANSLATE_NOOP("CityComponentsAudit",
                            "These components lie within the edge tolerance of a grid edge, where a CRS round "
                            "trip or a small edit can move them into the neighbouring grid."),
          QT_TRANSLATE_NOOP("CityComponentsAudit",
                            "Check that each is in the grid it belongs to; move it inside if not."),
          ("layer", "fid", "type", "grid", "stored_grid")),
    Check("stored_grid_mismatch", COMPONENT, QT_TRANSLATE_NOOP("CityComponentsAudit", "Stored grid differs"),
          QT_TRANSLATE_NOOP("CityComponentsAudit",
                            "The stored grid code (所在单元网格) of these components differs from the grid they "
                            "lie in."),
          QT_TRANSLATE_NOOP("CityComponentsAudit",
                            "Correct the stored code or move the point, whichever is wrong."),
          ("layer", "fid", "type", "stored_grid", "grid")),
    Check("duplicate_id", COMPONENT, QT_TRANSLATE_NOOP("CityComponentsAudit", "Duplicate 标识码"),
          QT_TRANSLATE_NOOP("CityComponentsAudit",
                            "Several components, in one layer or across layers, share these 标识码."),
          QT_TRANSLATE_NOOP("CityComponentsAudit",
                            "Give each component its own 标识码, or delete the copy."),
          ("count", "features")),
    Check("malformed_id", COMPONENT, QT_TRANSLATE_NOOP("CityComponentsAudit", "Malformed 标识码"),
          QT_TRANSLATE_NOOP("CityComponentsAudit",
                            "These 标识码 do not fit the code profile: wrong length, characters that are not "
                            "digits, another district's prefix, an unknown subclass, or a name that is not the "
                            "code's subclass."),
          QT_TRANSLATE_NOOP("CityComponentsAudit",
                            "Correct each 标识码 (the 问题 column says what is wrong), or choose the right "
                            "CODE_PROFILE."),
          ("layer", "fid", "type", "reason")),
    Check("unknown_status", COMPONENT, QT_TRANSLATE_NOOP("CityComponentsAudit", "Unknown 部件状态"),
          QT_TRANSLATE_NOOP("CityComponentsAudit",
                            "The 部件状态 of these components is not in the status vocabulary."),
          QT_TRANSLATE_NOOP("CityComponentsAudit",
                            "Use one of the vocabulary's statuses, or add the status to "
                            "component_statuses.csv."),
          ("layer", "fid", "type", "status")),
    Check("duplicate_grid_code", REGION, QT_TRANSLATE_NOOP("CityComponentsAudit", "Duplicate grid code"),
          QT_TRANSLATE_NOOP("CityComponentsAudit",
                            "Several grids carry these codes; only the first is used, the others count nothing."),
          QT_TRANSLATE_NOOP("CityComponentsAudit", "Give each grid its own code, or merge the copies."),
          ("count", "features")),
    Check("malformed_grid_code", REGION, QT_TRANSLATE_NOOP("CityComponentsAudit", "Malformed grid code"),
          QT_TRANSLATE_NOOP("CityComponentsAudit",
                            "These grid codes are empty or do not fit the grid-code profile (length, digits)."),
          QT_TRANSLATE_NOOP("CityComponentsAudit",
                            "Correct each code, or choose the right GRID_CODE_PROFILE."),
          ("fid", "reason")),
    Check("grid_overlap", REGION, QT_TRANSLATE_NOOP("CityComponentsAudit", "Overlapping grids"),
          QT_TRANSLATE_NOOP("CityComponentsAudit",
                            "These pairs of grids overlap by more than 1% of the smaller one, so components "
                            "there belong to both."),
          QT_TRANSLATE_NOOP("CityComponentsAudit", "Redraw the shared edge so the grids only touch."),
          ("grid_a", "grid_b", "area", "share")),
    Check("grid_gap", REGION, QT_TRANSLATE_NOOP("CityComponentsAudit", "Gap between grids"),
          QT_TRANSLATE_NOOP("CityComponentsAudit",
                            "These holes inside the district belong to no grid, so components there count "
                            "nowhere."),
          QT_TRANSLATE_NOOP("CityComponentsAudit",
                            "Extend the neighbouring grids over the gap (snapping on)."),
          ("area", "x", "y")),
    Check("grid_code_region_mismatch", REGION,
          QT_TRANSLATE_NOOP("CityComponentsAudit", "Grid code disagrees with region"),
          QT_TRANSLATE_NOOP("CityComponentsAudit",
                            "The street or community part of these grid codes is not the code of the region "
                            "the grid lies in."),
          QT_TRANSLATE_NOOP("CityComponentsAudit",
                            "Correct the grid code or the region's boundary, whichever is wrong."),
          ("level", "segment", "region", "region_code")),
    Check("grid_without_region", REGION, QT_TRANSLATE_NOOP("CityComponentsAudit", "Grid without region"),
          QT_TRANSLATE_NOOP("CityComponentsAudit",
                            "No region of this level covers these grids at all; their components count under "
                            "(不属于任何...)."),
          QT_TRANSLATE_NOOP("CityComponentsAudit", "Extend a region of that level over the grid."),
          ("level",)),
    Check("grid_weakly_covered", REGION, QT_TRANSLATE_NOOP("CityComponentsAudit", "Grid weakly covered"),
          QT_TRANSLATE_NOOP("CityComponentsAudit",
                            "The region these grids were placed in covers less than half of each grid."),
          QT_TRANSLATE_NOOP("CityComponentsAudit",
                            "Redraw the region boundary along the grid edges."),
          ("level", "region", "share")),
    Check("region_overlap", REGION, QT_TRANSLATE_NOOP("CityComponentsAudit", "Overlapping regions"),
          QT_TRANSLATE_NOOP("CityComponentsAudit",
                            "These pairs of regions of one level overlap by more than 1% of the smaller one "
                            "(beyond the slivers of hand-drawn boundaries)."),
          QT_TRANSLATE_NOOP("CityComponentsAudit", "Redraw the shared boundary so the regions only touch."),
          ("level", "region_a", "region_b", "area", "share")),
    Check("region_without_grid", REGION, QT_TRANSLATE_NOOP("CityComponentsAudit", "Region without grid"),
          QT_TRANSLATE_NOOP("CityComponentsAudit",
                            "No grid was placed in these regions, so they always count zero."),
          QT_TRANSLATE_NOOP("CityComponentsAudit",
                            "Check the region's boundary and the grids it should hold, or delete the region."),
          ("level",)),
    Check("supervisor_cuts_committee", REGION,
          QT_TRANSLATE_NOOP("CityComponentsAudit", "Supervisor area cuts a committee"),
          QT_TRANSLATE_NOOP("CityComponentsAudit",
                            "These supervisor areas take part of a committee's grids while also holding grids "
                            "of other committees; a committee split into areas of its own is expected."),
          QT_TRANSLATE_NOOP("CityComponentsAudit",
                            "Redraw the supervisor area along the committee boundary."),
          ("committee", "grids")),
)
CHECK_BY_ID = {c.id: c for c in CHECKS}


def say(text: str) -> str:
    """A check's sentence in the UI language."""
    return QCoreApplication.translate(CONTEXT, text)
