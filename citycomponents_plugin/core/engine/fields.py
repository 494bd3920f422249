"""Auto-detection of the key fields from the common Chinese and English names real systems use."""

from __future__ import annotations

from typing import Iterable, Optional, Sequence

from citycomponents_plugin.core.errors import CityComponentsError
from citycomponents_plugin.core.messages import term

# Candidates in order of preference; matching ignores case, spaces and underscores.
GRID_CODE_CANDIDATES = ["网格编码", "单元网格编码", "单元网格代码", "网格代码", "单元网格", "BGID", "BGCODE",
                        "GRIDCODE", "GRID_CODE", "GRID_ID", "GRIDID", "WGBM", "编码", "CODE"]
COMMITTEE_NAME_CANDIDATES = ["社区名称", "社区居委会", "居委会名称", "社区居委会名称", "居委会", "社区",
                             "COMMITTEE", "COMMUNITY", "SQMC", "NAME", "名称"]
STREET_NAME_CANDIDATES = ["街道名称", "街道办事处", "街道办事处名称", "街道", "STREET", "JDMC", "NAME", "名称"]
SUPERVISOR_NAME_CANDIDATES = ["责任区名称", "监督员责任区", "责任区", "监督员责任区名称", "AREA_NAME", "AREANAME",
                              "ZRQMC", "NAME", "名称", "监督员"]
# Region codes (代码 in outputs): specific names first; a bare 编码/CODE only where nothing else fits.
COMMITTEE_CODE_CANDIDATES = ["社区编码", "社区代码", "居委会编码", "社区居委会编码", "社区居委会代码", "SQBM",
                             "COMMITTEE_CODE", "COMMUNITY_CODE", "COMMUNITYCODE", "编码", "代码", "CODE"]
STREET_CODE_CANDIDATES = ["街道编码", "街道代码", "街道办事处编码", "街道办事处代码", "JDBM", "STREET_CODE",
                          "STREETCODE", "编码", "代码", "CODE"]
SUPERVISOR_CODE_CANDIDATES = ["责任区编码", "责任区代码", "监督员责任区编码", "监督员责任区代码", "ZRQBM",
                              "AREA_CODE", "AREACODE", "编码", "代码", "CODE"]
SUPERVISOR_PERSON_CANDIDATES = ["监督员", "监督员姓名", "SUPERVISOR", "INSPECTOR", "JDY"]
COMPONENT_ID_CANDIDATES = ["标识码", "部件标识码", "OBJID", "OBJ_ID", "OBJCODE", "OBJ_CODE", "部件编码", "BSM",
                           "门址编码", "编号", "编码", "ID", "CODE"]
COMPONENT_TYPE_CANDIDATES = ["部件名称", "名称", "OBJNAME", "OBJ_NAME", "部件类型", "部件小类", "小类名称",
                             "TYPENAME", "TYPE_NAME", "类型", "TYPE", "NAME"]
POI_NAME_CANDIDATES = ["名称", "门址名称", "门牌", "NAME", "MC"]
POI_TYPE_CANDIDATES = ["类别", "类型", "分类", "CATEGORY", "KIND", "TYPE", "LB"]
ADDRESS_CANDIDATES = ["地址", "详细地址", "门址", "ADDRESS", "ADDR", "DZ"]
GRID_ATTR_CANDIDATES = ["所在单元网格", "所属单元网格", "单元网格", "网格编码", "单元网格编码", "BGID", "BGCODE",
                        "GRIDCODE", "GRID_CODE", "SZDYWG"]


_ALL_NAMES = {name.replace(" ", "").replace("_", "").casefold() for names in (
    GRID_CODE_CANDIDATES, COMMITTEE_NAME_CANDIDATES, STREET_NAME_CANDIDATES, SUPERVISOR_NAME_CANDIDATES,
    COMMITTEE_CODE_CANDIDATES, STREET_CODE_CANDIDATES, SUPERVISOR_CODE_CANDIDATES, SUPERVISOR_PERSON_CANDIDATES,
    COMPONENT_ID_CANDIDATES, COMPONENT_TYPE_CANDIDATES, POI_NAME_CANDIDATES, POI_TYPE_CANDIDATES, ADDRESS_CANDIDATES,
    GRID_ATTR_CANDIDATES) for name in names}
# A DBF field name holds at most 10 bytes: a shapefile cuts longer names (所在单元网格 is 12 bytes in
# GBK, 18 in UTF-8), GDAL even in the middle of a UTF-8 character.
DBF_NAME_BYTES = 10
DBF_ENCODINGS = ("gbk", "utf-8")


def _norm(name: str) -> str:
    return name.replace(" ", "").replace("_", "").casefold()


def dbf_truncations(name: str) -> list:
    """The names a shapefile turns `name` into: its first 10 bytes in GBK and in UTF-8, cut back to a
    whole character; [] when it fits as it is. A cut that is itself a full candidate name of some
    role (监督员 from 监督员责任区编码) is left out: it means that role, not this one."""
    out = []
    for encoding in DBF_ENCODINGS:
        try:
            raw = name.encode(encoding)
        except UnicodeEncodeError:
            continue
        if len(raw) > DBF_NAME_BYTES:
            cut = raw[:DBF_NAME_BYTES].decode(encoding, "ignore")
            if cut and cut != name and cut not in out and _norm(cut) not in _ALL_NAMES:
                out.append(cut)
    return out


def _strip_broken_tail(name: str) -> str:
    """A field name without the replacement or surrogate characters left by a character cut in half."""
    end = len(name)
    while end and (name[end - 1] == "\ufffd" or "\udc80" <= name[end - 1] <= "\udcff"):
        end -= 1
    return name[:end]


def detect_field(available: Sequence[str], candidates: Iterable[str], dbf: bool = False) -> Optional[str]:
    """First candidate present in `available` (case/underscore-insensitive), else None.

    Full names win; then, for a DBF (`dbf`: a shapefile's table), the 10-byte truncations of the
    candidates, in candidate order (所在单元网 or 所在单 is 所在单元网格).
    """
    candidates = list(candidates)
    by_norm: dict = {}
    for name in available:
        by_norm.setdefault(_norm(name), name)
    for cand in candidates:
        hit = by_norm.get(_norm(cand))
        if hit is not None:
            return hit
    if not dbf:
        return None
    truncated: dict = {}
    for name in available:
        truncated.setdefault(_norm(_strip_broken_tail(name)), name)
    for cand in candidates:
        for cut in dbf_truncations(cand):
            hit = truncated.get(_norm(cut))
            if hit is not None:
                return hit
    return None


def resolve_field(available: Sequence[str], override: Optional[str], candidates: Sequence[str], *,
                  layer_name: str, role: str, parameter: str, required: bool = True,
                  dbf: bool = False) -> Optional[str]:
    """The field to use for a role: the override if given (must exist), else auto-detected.

    Raises an error naming the layer, the candidates tried and the parameter that fixes it.
    """
    if override:
        hit = detect_field(available, [override], dbf)
        if hit is None:
            raise CityComponentsError("field_not_found", parameter, layer=layer_name, field=override, role=term(role),
                                      fields=", ".join(available) or "-")
        return hit
    hit = detect_field(available, candidates, dbf)
    if hit is None and required:
        raise CityComponentsError("field_not_detected", parameter, layer=layer_name, role=term(role),
                                  tried=", ".join(candidates), fields=", ".join(available) or "-")
    return hit
