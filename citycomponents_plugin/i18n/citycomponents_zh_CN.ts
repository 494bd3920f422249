<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
    <context>
        <name>CityComponentsAlgorithm</name>
        <message>
            <location filename="../processing_provider/district_parameters.py" line="71" />
            <location filename="../processing_provider/district_parameters.py" line="75" />
            <source> [auto-detected if empty]</source>
            <translation>［留空则自动识别］</translation>
        </message>
        <message>
            <location filename="../processing_provider/booklet_algorithm.py" line="86" />
            <source>A5 (148 x 210 mm)</source>
            <translation>A5（148 × 210 毫米）</translation>
        </message>
        <message>
            <location filename="../processing_provider/booklet_algorithm.py" line="86" />
            <source>A6 (105 x 148 mm, pocket)</source>
            <translation>A6（105 × 148 毫米，口袋本）</translation>
        </message>
        <message>
            <location filename="../processing_provider/compare_editions_algorithm.py" line="155" />
            <source>Added {0}, removed {1}, moved {2}, changed {3}, unchanged {4}.</source>
            <translation>新增 {0}，删除 {1}，移位 {2}，变更 {3}，未变 {4}。</translation>
        </message>
        <message>
            <location filename="../processing_provider/district_parameters.py" line="61" />
            <source>Addresses / reference objects / POIs (地址查询)</source>
            <translation>地址查询（门址、参照物、兴趣点）</translation>
        </message>
        <message>
            <location filename="../processing_provider/district_parameters.py" line="77" />
            <source>Assign components to grids</source>
            <translation>部件落入网格的方式</translation>
        </message>
        <message>
            <location filename="../processing_provider/audit_algorithm.py" line="107" />
            <source>Audit record (audit.json)</source>
            <translation>检查记录 (audit.json)</translation>
        </message>
        <message>
            <location filename="../processing_provider/audit_algorithm.py" line="106" />
            <source>Audit workbook (audit.xlsx)</source>
            <translation>检查工作簿 (audit.xlsx)</translation>
        </message>
        <message>
            <location filename="../processing_provider/batch_export_algorithm.py" line="47" />
            <source>Batch export (批量导出)</source>
            <translation>批量导出</translation>
        </message>
        <message>
            <location filename="../processing_provider/booklet_algorithm.py" line="99" />
            <source>Booklet files (one path per line)</source>
            <translation>手册文件（每行一个路径）</translation>
        </message>
        <message>
            <location filename="../processing_provider/booklet_algorithm.py" line="52" />
            <source>Booklets</source>
            <translation>手册</translation>
        </message>
        <message>
            <location filename="../processing_provider/booklet_algorithm.py" line="104" />
            <location filename="../processing_provider/booklet_algorithm.py" line="117" />
            <source>Booklets are made per supervisor area: choose the supervisor area layer (SUPERVISORS, 监督员责任区).</source>
            <translation>手册按监督员责任区制作：请选择监督员责任区图层（SUPERVISORS）。</translation>
        </message>
        <message>
            <location filename="../processing_provider/booklet_algorithm.py" line="98" />
            <source>Booklets written</source>
            <translation>已生成的手册</translation>
        </message>
        <message>
            <location filename="../processing_provider/district_parameters.py" line="78" />
            <source>By location (point in grid)</source>
            <translation>按位置（点落在网格内）</translation>
        </message>
        <message>
            <location filename="../processing_provider/district_parameters.py" line="78" />
            <source>By stored grid code (所在单元网格)</source>
            <translation>按属性中的所在单元网格编码</translation>
        </message>
        <message>
            <location filename="../processing_provider/compare_editions_algorithm.py" line="94" />
            <source>Changes (变更)</source>
            <translation>变更</translation>
        </message>
        <message>
            <location filename="../processing_provider/audit_algorithm.py" line="75" />
            <source>Checks the data behind the numbers: components outside every grid, without geometry, inside several grids, within EDGE_TOLERANCE (metres, default 1 cm) of a grid edge, or with a stored grid code (所在单元网格) that differs from their location; duplicate and malformed 标识码 (for CODE_PROFILE) and 部件状态 outside the vocabulary; duplicate and malformed grid codes (GRID_CODE_PROFILE), overlapping grids and gaps between them, grid codes that disagree with their regions, grids without a region or covered less than 50%; overlapping regions, regions without grids and supervisor areas that cut a committee.

Writes audit.xlsx (a summary sheet, then one sheet per check) and audit.json into OUTPUT_FOLDER, and returns a point layer of the problem components and a polygon layer of the problem regions, each row with its check id and explanation. Booklets and batch exports of the same inputs later carry the audit's counts.</source>
            <translation>检查统计数字背后的数据：不在任何网格内、无几何、位于多个网格内、距网格边不到 EDGE_TOLERANCE（米，默认 1 厘米）或所在单元网格与位置不符的部件；重复或不符合编码规则（CODE_PROFILE）的标识码，以及不在状态词表中的部件状态；重复或格式错误的网格编码（GRID_CODE_PROFILE）、相互重叠的网格和网格间的缝隙、与所在区域不符的网格编码、没有所属区域或覆盖不足 50% 的网格；相互重叠的区域、没有网格的区域，以及切分社区的监督员责任区。

在 OUTPUT_FOLDER 中写出 audit.xlsx（一张汇总表，然后每项检查一张表）和 audit.json，并返回问题部件点图层和问题区域面图层，每行带检查编号和说明。之后对同一输入做的批量导出和手册会注明本次检查的结果。</translation>
        </message>
        <message>
            <location filename="../processing_provider/audit_algorithm.py" line="118" />
            <location filename="../processing_provider/batch_export_algorithm.py" line="116" />
            <source>Choose an output folder (OUTPUT_FOLDER).</source>
            <translation>请选择输出文件夹（OUTPUT_FOLDER）。</translation>
        </message>
        <message>
            <location filename="../processing_provider/batch_export_algorithm.py" line="125" />
            <source>Choose at least one file format (FORMATS).</source>
            <translation>请至少选择一种文件格式（FORMATS）。</translation>
        </message>
        <message>
            <location filename="../processing_provider/district_parameters.py" line="71" />
            <source>Committee code field (社区编码)</source>
            <translation>社区编码字段 (社区编码)</translation>
        </message>
        <message>
            <location filename="../processing_provider/district_parameters.py" line="71" />
            <source>Committee name field</source>
            <translation>社区居委会名称字段</translation>
        </message>
        <message>
            <location filename="../processing_provider/batch_export_algorithm.py" line="75" />
            <location filename="../processing_provider/region_statistics_algorithm.py" line="70" />
            <source>Community committee (社区居委会)</source>
            <translation>社区居委会</translation>
        </message>
        <message>
            <location filename="../processing_provider/district_parameters.py" line="53" />
            <source>Community committees (社区居委会)</source>
            <translation>社区居委会</translation>
        </message>
        <message>
            <location filename="../processing_provider/compare_editions_algorithm.py" line="53" />
            <source>Compare editions (部件变更对比)</source>
            <translation>部件变更对比</translation>
        </message>
        <message>
            <location filename="../processing_provider/compare_editions_algorithm.py" line="62" />
            <source>Compares an earlier edition of the city components with the current one (COMPONENTS) by 标识码 and tells, per street, supervisor area, committee and grid, what was added (新增), removed (删除; a 部件状态 of 废弃 or 移除 counts as removed), moved (移位: to another grid, or further than MOVE_TOLERANCE metres) and changed (变更: which attributes, old and new values).

The earlier edition is either its component layers (EARLIER) or the folder of a batch export that recorded its edition (EARLIER_FOLDER). Repeated and malformed 标识码 are reported and matched as well as they can be (repeated ones nearest first), never dropped.

OUTPUT_FOLDER receives 变更.xlsx (a summary sheet per level, per type, every change, the 标识码 problems) and changes.json; CHANGES is a point layer of the changes and MOVES a line layer from each moved component's old position to its new one.</source>
            <translation>按标识码将部件的早期版本与当前版本（COMPONENTS）对比，按街道、监督员责任区、社区和网格给出新增、删除（部件状态为废弃或移除也算删除）、移位（移到其他网格，或移动距离超过 MOVE_TOLERANCE 米）和变更（哪些属性，原值和新值）。

早期版本可以是它的部件图层（EARLIER），也可以是记录了版本的批量导出文件夹（EARLIER_FOLDER）。重复和格式错误的标识码会被报告，并尽可能配对（重复的按距离最近配对），从不丢弃。

OUTPUT_FOLDER 中写出 变更.xlsx（每个层级一张汇总表、按类型汇总、全部变更明细、标识码问题）和 changes.json；CHANGES 为变更点图层，MOVES 为每个移位部件从原位置到新位置的线图层。</translation>
        </message>
        <message>
            <location filename="../processing_provider/district_parameters.py" line="75" />
            <source>Component id field (标识码)</source>
            <translation>部件标识码字段</translation>
        </message>
        <message>
            <location filename="../processing_provider/district_parameters.py" line="59" />
            <source>Component layers (城市部件)</source>
            <translation>城市部件图层</translation>
        </message>
        <message>
            <location filename="../processing_provider/batch_export_algorithm.py" line="81" />
            <location filename="../processing_provider/region_statistics_algorithm.py" line="73" />
            <source>Component types (empty: all)</source>
            <translation>部件类型（留空为全部）</translation>
        </message>
        <message>
            <location filename="../processing_provider/district_parameters.py" line="61" />
            <source>Components (部件查询)</source>
            <translation>部件查询</translation>
        </message>
        <message>
            <location filename="../processing_provider/batch_export_algorithm.py" line="93" />
            <source>Components assigned to a grid</source>
            <translation>落入网格的部件数</translation>
        </message>
        <message>
            <location filename="../processing_provider/batch_export_algorithm.py" line="94" />
            <location filename="../processing_provider/region_statistics_algorithm.py" line="86" />
            <source>Components in no grid</source>
            <translation>未落入网格的部件数</translation>
        </message>
        <message>
            <location filename="../processing_provider/region_statistics_algorithm.py" line="82" />
            <source>Components in the region</source>
            <translation>区域内的部件数</translation>
        </message>
        <message>
            <location filename="../processing_provider/batch_export_algorithm.py" line="92" />
            <location filename="../processing_provider/region_statistics_algorithm.py" line="85" />
            <source>Components read</source>
            <translation>读取的部件数</translation>
        </message>
        <message>
            <location filename="../processing_provider/district_parameters.py" line="171" />
            <source>Components read: {0}; assigned to a grid: {1}; in no grid: {2}</source>
            <translation>读取部件 {0} 个；落入网格 {1} 个；未落入任何网格 {2} 个</translation>
        </message>
        <message>
            <location filename="../processing_provider/compare_editions_algorithm.py" line="102" />
            <source>Count per class (JSON)</source>
            <translation>各类变更数量（JSON）</translation>
        </message>
        <message>
            <location filename="../processing_provider/region_statistics_algorithm.py" line="84" />
            <source>Count per type (JSON)</source>
            <translation>各类型数量（JSON）</translation>
        </message>
        <message>
            <location filename="../processing_provider/region_statistics_algorithm.py" line="52" />
            <source>Counts the city components of one region (a street office, supervisor area, community committee or unit grid) by type, and lists them.

Every component is assigned to exactly one unit grid (a point on a shared edge or vertex goes to the grid with the smallest code); every grid belongs to the street, committee and supervisor area that covers most of its area, so hand-drawn boundaries that do not match the grids exactly still give exact counts.

REGION is the region's name (or grid code). TYPES optionally restricts the component types (names separated by commas). STATISTICS is a table of 部件名称 and 部件总数, most numerous first; DETAILS is a point layer of the components (标识码, 名称, 单元网格), ordered by grid code and 标识码. Both are optional: skip the one you do not need (from the command line or Python, only the outputs given are written); TOTAL and BY_TYPE are always returned.</source>
            <translation>按类型统计并列出一个区域（街道办事处、监督员责任区、社区居委会或单元网格）内的城市部件。

每个部件只归入一个单元网格（落在公共边或公共顶点上的点归入编码最小的网格）；每个网格归属于覆盖其面积最多的街道、社区居委会和监督员责任区，因此手工勾绘、与网格边界不完全吻合的区域边界也能得到准确的统计。

REGION 为区域名称（或网格编码）。TYPES 可限定部件类型（多个名称用逗号分隔）。STATISTICS 为“部件名称、部件总数”统计表，数量多的在前；DETAILS 为部件点图层（标识码、名称、单元网格），按网格编码和标识码排序。两者都是可选输出：不需要的可以跳过（在命令行或 Python 中只写出给定的输出）；TOTAL 和 BY_TYPE 总会返回。</translation>
        </message>
        <message>
            <location filename="../processing_provider/audit_algorithm.py" line="66" />
            <source>Data check (数据检查)</source>
            <translation>数据检查</translation>
        </message>
        <message>
            <location filename="../processing_provider/compare_editions_algorithm.py" line="84" />
            <source>Date of the earlier edition</source>
            <translation>早期版本日期</translation>
        </message>
        <message>
            <location filename="../processing_provider/compare_editions_algorithm.py" line="86" />
            <source>Date of the later edition</source>
            <translation>后期版本日期</translation>
        </message>
        <message>
            <location filename="../processing_provider/batch_export_algorithm.py" line="84" />
            <source>Date of this edition (empty: today)</source>
            <translation>本版本日期（留空为今天）</translation>
        </message>
        <message>
            <location filename="../processing_provider/region_statistics_algorithm.py" line="79" />
            <source>Details (明细)</source>
            <translation>明细</translation>
        </message>
        <message>
            <location filename="../processing_provider/compare_editions_algorithm.py" line="82" />
            <source>Earlier edition: batch-export folder</source>
            <translation>早期版本：批量导出文件夹</translation>
        </message>
        <message>
            <location filename="../processing_provider/compare_editions_algorithm.py" line="80" />
            <source>Earlier edition: component layers</source>
            <translation>早期版本：部件图层</translation>
        </message>
        <message>
            <location filename="../processing_provider/audit_algorithm.py" line="99" />
            <source>Edge tolerance (metres)</source>
            <translation>网格边容差（米）</translation>
        </message>
        <message>
            <location filename="../processing_provider/batch_export_algorithm.py" line="77" />
            <source>File formats</source>
            <translation>文件格式</translation>
        </message>
        <message>
            <location filename="../processing_provider/batch_export_algorithm.py" line="91" />
            <source>Files written</source>
            <translation>已写出的文件</translation>
        </message>
        <message>
            <location filename="../processing_provider/district_parameters.py" line="71" />
            <source>Grid code field (网格编码)</source>
            <translation>网格编码字段</translation>
        </message>
        <message>
            <location filename="../processing_provider/audit_algorithm.py" line="96" />
            <source>Grid code layout</source>
            <translation>网格编码规则</translation>
        </message>
        <message>
            <location filename="../processing_provider/district_parameters.py" line="200" />
            <source>Layer '{0}': {1} feature(s) have no geometry: {2}.</source>
            <translation>图层“{0}”：{1} 个要素没有几何图形：{2}。</translation>
        </message>
        <message>
            <location filename="../processing_provider/district_parameters.py" line="193" />
            <source>Layer '{0}': {1} invalid polygon(s) were repaired for this run (feature ids {2}); fix them in the data with Vector &gt; Geometry Tools &gt; Fix Geometries.</source>
            <translation>图层“{0}”：本次运行修复了 {1} 个无效多边形（要素编号 {2}）；请用“矢量 &gt; 几何工具 &gt; 修复几何图形”在数据中修正。</translation>
        </message>
        <message>
            <location filename="../processing_provider/region_statistics_algorithm.py" line="70" />
            <source>Level</source>
            <translation>层级</translation>
        </message>
        <message>
            <location filename="../processing_provider/batch_export_algorithm.py" line="75" />
            <source>Levels to export (empty: all levels given)</source>
            <translation>导出的层级（留空为已提供的全部层级）</translation>
        </message>
        <message>
            <location filename="../processing_provider/batch_export_algorithm.py" line="90" />
            <source>Manifest (manifest.json)</source>
            <translation>清单（manifest.json）</translation>
        </message>
        <message>
            <location filename="../processing_provider/compare_editions_algorithm.py" line="88" />
            <source>Move tolerance (m)</source>
            <translation>移位容差（米）</translation>
        </message>
        <message>
            <location filename="../processing_provider/compare_editions_algorithm.py" line="97" />
            <source>Moves, old to new (移位)</source>
            <translation>移位（原位置到新位置）</translation>
        </message>
        <message>
            <location filename="../processing_provider/audit_algorithm.py" line="101" />
            <location filename="../processing_provider/batch_export_algorithm.py" line="89" />
            <location filename="../processing_provider/booklet_algorithm.py" line="91" />
            <source>Output folder</source>
            <translation>输出文件夹</translation>
        </message>
        <message>
            <location filename="../processing_provider/batch_export_algorithm.py" line="82" />
            <location filename="../processing_provider/compare_editions_algorithm.py" line="91" />
            <source>Overwrite existing results</source>
            <translation>覆盖已有结果</translation>
        </message>
        <message>
            <location filename="../processing_provider/booklet_algorithm.py" line="86" />
            <source>Page size</source>
            <translation>纸张大小</translation>
        </message>
        <message>
            <location filename="../processing_provider/booklet_algorithm.py" line="89" />
            <source>Previous edition: a batch-export folder (marks what is new or changed)</source>
            <translation>上一版本：批量导出文件夹（标出新增或变更的部件）</translation>
        </message>
        <message>
            <location filename="../processing_provider/batch_export_algorithm.py" line="87" />
            <source>Previous edition: an earlier batch-export folder (adds the changes)</source>
            <translation>上一版本：较早的批量导出文件夹（加上变更）</translation>
        </message>
        <message>
            <location filename="../processing_provider/audit_algorithm.py" line="103" />
            <source>Problem components</source>
            <translation>问题部件</translation>
        </message>
        <message>
            <location filename="../processing_provider/audit_algorithm.py" line="105" />
            <source>Problem regions</source>
            <translation>问题区域</translation>
        </message>
        <message>
            <location filename="../processing_provider/audit_algorithm.py" line="108" />
            <source>Problems found (all checks)</source>
            <translation>发现的问题（全部检查）</translation>
        </message>
        <message>
            <location filename="../processing_provider/district_parameters.py" line="61" />
            <source>Query object</source>
            <translation>查询对象</translation>
        </message>
        <message>
            <location filename="../processing_provider/region_statistics_algorithm.py" line="83" />
            <source>Region key</source>
            <translation>区域标识</translation>
        </message>
        <message>
            <location filename="../processing_provider/region_statistics_algorithm.py" line="72" />
            <source>Region name or grid code</source>
            <translation>区域名称或网格编码</translation>
        </message>
        <message>
            <location filename="../processing_provider/region_statistics_algorithm.py" line="43" />
            <source>Region statistics (区域部件统计)</source>
            <translation>区域部件统计</translation>
        </message>
        <message>
            <location filename="../processing_provider/booklet_algorithm.py" line="92" />
            <source>Replace existing booklets</source>
            <translation>替换已有的手册</translation>
        </message>
        <message>
            <location filename="../processing_provider/audit_algorithm.py" line="69" />
            <location filename="../processing_provider/batch_export_algorithm.py" line="50" />
            <location filename="../processing_provider/compare_editions_algorithm.py" line="56" />
            <source>Statistics</source>
            <translation>统计</translation>
        </message>
        <message>
            <location filename="../processing_provider/region_statistics_algorithm.py" line="76" />
            <source>Statistics (统计结果)</source>
            <translation>统计结果</translation>
        </message>
        <message>
            <location filename="../processing_provider/district_parameters.py" line="75" />
            <source>Stored grid code field (所在单元网格)</source>
            <translation>所在单元网格字段</translation>
        </message>
        <message>
            <location filename="../processing_provider/district_parameters.py" line="71" />
            <source>Street code field (街道编码)</source>
            <translation>街道编码字段 (街道编码)</translation>
        </message>
        <message>
            <location filename="../processing_provider/district_parameters.py" line="71" />
            <source>Street name field</source>
            <translation>街道名称字段</translation>
        </message>
        <message>
            <location filename="../processing_provider/batch_export_algorithm.py" line="75" />
            <location filename="../processing_provider/region_statistics_algorithm.py" line="70" />
            <source>Street office (街道)</source>
            <translation>街道</translation>
        </message>
        <message>
            <location filename="../processing_provider/district_parameters.py" line="55" />
            <source>Street offices (街道办事处)</source>
            <translation>街道办事处</translation>
        </message>
        <message>
            <location filename="../processing_provider/batch_export_algorithm.py" line="75" />
            <location filename="../processing_provider/region_statistics_algorithm.py" line="70" />
            <source>Supervisor area (监督员责任区)</source>
            <translation>监督员责任区</translation>
        </message>
        <message>
            <location filename="../processing_provider/district_parameters.py" line="71" />
            <source>Supervisor area code field (责任区编码)</source>
            <translation>监督员责任区编码字段 (责任区编码)</translation>
        </message>
        <message>
            <location filename="../processing_provider/district_parameters.py" line="71" />
            <source>Supervisor area name field</source>
            <translation>监督员责任区名称字段</translation>
        </message>
        <message>
            <location filename="../processing_provider/booklet_algorithm.py" line="85" />
            <source>Supervisor areas (names separated by commas; empty: all)</source>
            <translation>监督员责任区（名称用逗号分隔；留空为全部）</translation>
        </message>
        <message>
            <location filename="../processing_provider/district_parameters.py" line="57" />
            <source>Supervisor areas (监督员责任区)</source>
            <translation>监督员责任区</translation>
        </message>
        <message>
            <location filename="../processing_provider/booklet_algorithm.py" line="49" />
            <source>Supervisor booklets (监督员手册)</source>
            <translation>监督员手册</translation>
        </message>
        <message>
            <location filename="../processing_provider/batch_export_algorithm.py" line="79" />
            <source>Text file encoding (txt/csv)</source>
            <translation>文本文件编码（txt/csv）</translation>
        </message>
        <message>
            <location filename="../processing_provider/district_parameters.py" line="75" />
            <source>Type name field (名称)</source>
            <translation>类型名称字段（名称）</translation>
        </message>
        <message>
            <location filename="../processing_provider/batch_export_algorithm.py" line="75" />
            <location filename="../processing_provider/region_statistics_algorithm.py" line="70" />
            <source>Unit grid (单元网格)</source>
            <translation>单元网格</translation>
        </message>
        <message>
            <location filename="../processing_provider/district_parameters.py" line="52" />
            <source>Unit grids (万米单元网格)</source>
            <translation>万米单元网格</translation>
        </message>
        <message>
            <location filename="../processing_provider/booklet_algorithm.py" line="94" />
            <source>Worker processes (0: one per processor core)</source>
            <translation>工作进程数（0：每个处理器核心一个）</translation>
        </message>
        <message>
            <location filename="../processing_provider/booklet_algorithm.py" line="61" />
            <source>Writes one pocket booklet (PDF) per supervisor area (监督员责任区) into OUTPUT_FOLDER, named &lt;area name&gt;.pdf.

Each booklet has a cover (area, supervisor, date, totals per major class), the statistics (部件名称, 部件总数, most numerous first), a grid index with page numbers, then a page per unit grid in grid code order: a map of the grid (neighbouring grids faded, components drawn by major class and numbered) and the table of its components (序号, 标识码, 名称, short grid code), continued on as many pages as needed. Every component of the area appears exactly once; text stays searchable.

SUPERVISORS is required. SUPERVISOR_AREAS optionally limits the booklets to some areas (names separated by commas or semicolons; 、 belongs to names such as 东四六条、东四七条); empty means every area. Existing PDFs are only replaced when OVERWRITE is set.

PREVIOUS_EDITION (the folder of an earlier batch export) marks the components that are new (新), changed (变) or moved (移) since then on the grid pages, and the cover gives the area's counts.</source>
            <translation>为每个监督员责任区在 OUTPUT_FOLDER 中生成一本口袋手册（PDF），文件名为“&lt;责任区名称&gt;.pdf”。

每本手册包括封面（责任区、监督员、日期、各大类合计）、统计表（部件名称、部件总数，数量多的在前）、带页码的网格索引，然后按网格编码顺序每个单元网格一页：网格地图（相邻网格淡化显示，部件按大类绘制并编号）和该网格的部件表（序号、标识码、名称、短网格码），内容多时续页。责任区内每个部件恰好出现一次；文字可检索。

必须提供 SUPERVISORS。SUPERVISOR_AREAS 可只为部分责任区制作手册（名称用逗号或分号分隔；顿号“、”属于名称的一部分，如“东四六条、东四七条”），留空为全部责任区。只有勾选 OVERWRITE 时才替换已有的 PDF。

PREVIOUS_EDITION（一次较早的批量导出文件夹）在网格页上标出此后新增（新）、变更（变）或移位（移）的部件，封面给出本责任区的变更数量。</translation>
        </message>
        <message>
            <location filename="../processing_provider/batch_export_algorithm.py" line="56" />
            <source>Writes the statistics (部件名称, 部件总数) and the detail list (标识码, 名称, 单元网格) of every region of the chosen levels into OUTPUT_FOLDER: one sub-folder per level (街道, 监督员责任区, 社区居委会, 单元网格) with &lt;name&gt;.xlsx, &lt;name&gt;.txt and &lt;name&gt;统计结果.txt per region, plus 汇总.xlsx (a cross-tab per level and the components in no grid), 部件总表.csv (every component with its grid and regions) and manifest.json (what was written, with the counts).

LEVELS: empty means every level whose layer was given. FORMATS: xlsx and txt by default; csv is optional. ENCODING applies to the txt/csv files (UTF-8 with BOM, or GBK for older software; characters GBK cannot hold are written as '?' and reported). TYPES optionally restricts the component types.

Files are written under a temporary name and renamed when complete; existing results are kept unless OVERWRITE is set. Codes are text cells in Excel, and values such as '=1+2' stay text.</source>
            <translation>将所选层级每个区域的统计表（部件名称、部件总数）和明细表（标识码、名称、单元网格）写入 OUTPUT_FOLDER：每个层级一个子文件夹（街道、监督员责任区、社区居委会、单元网格），每个区域生成 &lt;名称&gt;.xlsx、&lt;名称&gt;.txt 和 &lt;名称&gt;统计结果.txt；另有 汇总.xlsx（各层级的交叉统计表和未落入网格的部件）、部件总表.csv（每个部件及其所在网格和各级区域）和 manifest.json（写出的内容及数量）。

LEVELS：留空为已提供图层的全部层级。FORMATS：默认 xlsx 和 txt，csv 可选。ENCODING 用于 txt/csv 文件（带 BOM 的 UTF-8，或供旧软件使用的 GBK；GBK 无法表示的字符写为“?”并报告）。TYPES 可限定部件类型。

文件先以临时名称写出，完成后再改名；除非勾选 OVERWRITE，否则保留已有结果。编码在 Excel 中为文本单元格，“=1+2”之类的值保持为文本。</translation>
        </message>
        <message>
            <location filename="../processing_provider/booklet_algorithm.py" line="133" />
            <source>Writing booklets</source>
            <translation>正在生成手册</translation>
        </message>
        <message>
            <location filename="../processing_provider/compare_editions_algorithm.py" line="101" />
            <source>changes.json</source>
            <translation>changes.json</translation>
        </message>
        <message>
            <location filename="../processing_provider/region_statistics_algorithm.py" line="122" />
            <source>{0} '{1}': {2} component(s) of {3} type(s).</source>
            <translation>{0}“{1}”：{3} 类共 {2} 个部件。</translation>
        </message>
        <message>
            <location filename="../processing_provider/booklet_algorithm.py" line="144" />
            <source>{0} booklet(s) written to {1}</source>
            <translation>已将 {0} 本手册写入 {1}</translation>
        </message>
        <message>
            <location filename="../processing_provider/district_parameters.py" line="177" />
            <source>{0} component(s) could not be transformed to the grid layer's CRS (coordinates outside that CRS's area); they are counted as not in any grid.</source>
            <translation>{0} 个部件的坐标无法转换到网格图层的坐标系（超出该坐标系的适用范围），按未落入任何网格计。</translation>
        </message>
        <message>
            <location filename="../processing_provider/district_parameters.py" line="184" />
            <source>{0} component(s) have a stored grid code that differs from their location.</source>
            <translation>{0} 个部件的所在单元网格属性与其位置不符。</translation>
        </message>
        <message>
            <location filename="../processing_provider/district_parameters.py" line="174" />
            <source>{0} component(s) have no geometry (counted as not in any grid).</source>
            <translation>{0} 个部件没有几何图形（计为未落入任何网格）。</translation>
        </message>
        <message>
            <location filename="../processing_provider/district_parameters.py" line="182" />
            <source>{0} duplicate component id(s), e.g. {1}.</source>
            <translation>{0} 个重复的部件标识码，例如 {1}。</translation>
        </message>
        <message>
            <location filename="../processing_provider/district_parameters.py" line="206" />
            <source>{0} grid(s) are covered less than 50% by any {1} region, e.g. {2}.</source>
            <translation>{0} 个网格被任一{1}区域覆盖的面积都不足 50%，例如 {2}。</translation>
        </message>
        <message>
            <location filename="../processing_provider/district_parameters.py" line="187" />
            <source>{0} multipoint feature(s) have several points; each is counted once, at its first point.</source>
            <translation>{0} 个多点要素含有多个点；每个只按第一个点计一次。</translation>
        </message>
        <message>
            <location filename="../processing_provider/compare_editions_algorithm.py" line="158" />
            <source>{0} repeated, empty or malformed 标识码 (see 变更.xlsx, sheet 标识码问题).</source>
            <translation>{0} 个重复、为空或格式错误的标识码（见 变更.xlsx 的“标识码问题”表）。</translation>
        </message>
        <message>
            <location filename="../processing_provider/audit_algorithm.py" line="154" />
            <source>{0}: {1}</source>
            <translation>{0}：{1}</translation>
        </message>
        <message>
            <location filename="../processing_provider/compare_editions_algorithm.py" line="100" />
            <source>变更.xlsx</source>
            <translation>变更.xlsx</translation>
        </message>
        <message>
            <location filename="../processing_provider/audit_algorithm.py" line="94" />
            <source>标识码 layout (code profile)</source>
            <translation>标识码编码规则</translation>
        </message>
        <message>
            <source>Cancelled: the manifest lists only the files that were finished.</source>
            <translation type="vanished">已取消：清单（manifest）只列出已完成的文件。</translation>
        </message>
        <message>
            <source>Cancelled: {0} booklet(s) were completed; no partial file was left.</source>
            <translation type="vanished">已取消：已完成 {0} 本手册，未留下不完整的文件。</translation>
        </message>
        <message>
            <source>Counts the city components of one region (a street office, supervisor area, community committee or unit grid) by type, and lists them.

Every component is assigned to exactly one unit grid (a point on a shared edge or vertex goes to the grid with the smallest code); every grid belongs to the street, committee and supervisor area that covers most of its area, so hand-drawn boundaries that do not match the grids exactly still give exact counts.

REGION is the region's name (or grid code). TYPES optionally restricts the component types (names separated by commas). STATISTICS is a table of 部件名称 and 部件总数, most numerous first; DETAILS is a point layer of the components (标识码, 名称, 单元网格), ordered by grid code and 标识码.</source>
            <translation type="vanished">按类型统计并列出一个区域（街道办事处、监督员责任区、社区居委会或单元网格）内的城市部件。

每个部件只归入一个单元网格（落在公共边或公共顶点上的点归入编码最小的网格）；每个网格归属于覆盖其面积最多的街道、社区居委会和监督员责任区，因此手工勾绘、与网格边界不完全吻合的区域边界也能得到准确的统计。

REGION 为区域名称（或网格编码）。TYPES 可限定部件类型（多个名称用逗号分隔）。STATISTICS 为“部件名称、部件总数”统计表，数量多的在前；DETAILS 为部件点图层（标识码、名称、单元网格），按网格编码和标识码排序。</translation>
        </message>
        <message>
            <source>Writes one pocket booklet (PDF) per supervisor area (监督员责任区) into OUTPUT_FOLDER, named &lt;area name&gt;.pdf.

Each booklet has a cover (area, supervisor, date, totals per major class), the statistics (部件名称, 部件总数, most numerous first), a grid index with page numbers, then a page per unit grid in grid code order: a map of the grid (neighbouring grids faded, components drawn by major class and numbered) and the table of its components (序号, 标识码, 名称, short grid code), continued on as many pages as needed. Every component of the area appears exactly once; text stays searchable.

SUPERVISORS is required. SUPERVISOR_AREAS optionally limits the booklets to some areas (names separated by commas or semicolons; 、 belongs to names such as 东四六条、东四七条); empty means every area. Existing PDFs are only replaced when OVERWRITE is set.</source>
            <translation type="vanished">为每个监督员责任区在 OUTPUT_FOLDER 中生成一本口袋手册（PDF），文件名为“&lt;责任区名称&gt;.pdf”。

每本手册包括封面（责任区、监督员、日期、各大类合计）、统计表（部件名称、部件总数，数量多的在前）、带页码的网格索引，然后按网格编码顺序每个单元网格一页：网格地图（相邻网格淡化显示，部件按大类绘制并编号）和该网格的部件表（序号、标识码、名称、短网格码），内容多时续页。责任区内每个部件恰好出现一次；文字可检索。

必须提供 SUPERVISORS。SUPERVISOR_AREAS 可只为部分责任区制作手册（名称用逗号或分号分隔；顿号“、”属于名称的一部分，如“东四六条、东四七条”），留空为全部责任区。只有勾选 OVERWRITE 时才替换已有的 PDF。</translation>
        </message>
        <message>
            <source>Writes one pocket booklet (PDF) per supervisor area (监督员责任区) into OUTPUT_FOLDER, named &lt;area name&gt;.pdf.

Each booklet has a cover (area, supervisor, date, totals per major class), the statistics (部件名称, 部件总数, most numerous first), a grid index with page numbers, then a page per unit grid in grid code order: a map of the grid (neighbouring grids faded, components drawn by major class and numbered) and the table of its components (序号, 标识码, 名称, short grid code), continued on as many pages as needed. Every component of the area appears exactly once; text stays searchable.

SUPERVISORS is required. SUPERVISOR_AREAS optionally limits the booklets to some areas (names separated by commas); empty means every area. Existing PDFs are only replaced when OVERWRITE is set.</source>
            <translation type="vanished">为每个监督员责任区在 OUTPUT_FOLDER 中生成一本口袋手册（PDF），文件名为“&lt;责任区名称&gt;.pdf”。

每本手册包括封面（责任区、监督员、日期、各大类合计）、统计表（部件名称、部件总数，数量多的在前）、带页码的网格索引，然后按网格编码顺序每个单元网格一页：网格地图（相邻网格淡化显示，部件按大类绘制并编号）和该网格的部件表（序号、标识码、名称、短网格码），内容多时续页。责任区内每个部件恰好出现一次；文字可检索。

必须提供 SUPERVISORS。SUPERVISOR_AREAS 可只为部分责任区制作手册（名称用逗号分隔），留空为全部责任区。只有勾选 OVERWRITE 时才替换已有的 PDF。</translation>
        </message>
    </context>
    <context>
        <name>CityComponentsAudit</name>
        <message>
            <location filename="../core/audit/checks.py" line="85" />
            <source>Check that each is in the grid it belongs to; move it inside if not.</source>
            <translation>逐个核对是否在应属网格内；不在则移入该网格。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="72" />
            <source>Check the layer's CRS and the coordinates of these points.</source>
            <translation>检查图层的坐标系和这些点的坐标。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="170" />
            <source>Check the region's boundary and the grids it should hold, or delete the region.</source>
            <translation>检查区域边界及其应包含的网格，或删除该区域。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="125" />
            <source>Correct each code, or choose the right GRID_CODE_PROFILE.</source>
            <translation>逐个改正编码，或选择正确的 GRID_CODE_PROFILE。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="106" />
            <source>Correct each 标识码 (the 问题 column says what is wrong), or choose the right CODE_PROFILE.</source>
            <translation>逐个改正标识码（“问题”列说明错在哪里），或选择正确的 CODE_PROFILE。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="146" />
            <source>Correct the grid code or the region's boundary, whichever is wrong.</source>
            <translation>改正网格编码或区域边界中错误的一方。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="92" />
            <source>Correct the stored code or move the point, whichever is wrong.</source>
            <translation>改正所存编码或移动点位，以错误的一方为准。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="66" />
            <source>Digitize the point of each component.</source>
            <translation>为每个部件采集点位。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="117" />
            <source>Duplicate grid code</source>
            <translation>重复网格编码</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="95" />
            <source>Duplicate 标识码</source>
            <translation>重复标识码</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="153" />
            <source>Extend a region of that level over the grid.</source>
            <translation>把该层级的某个区域扩展到覆盖此网格。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="138" />
            <source>Extend the neighbouring grids over the gap (snapping on).</source>
            <translation>打开捕捉，把相邻网格扩展到覆盖缝隙。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="79" />
            <source>Fix the overlapping grids (see grid_overlap).</source>
            <translation>修正相互重叠的网格（见 grid_overlap）。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="134" />
            <source>Gap between grids</source>
            <translation>网格缝隙</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="98" />
            <source>Give each component its own 标识码, or delete the copy.</source>
            <translation>给每个部件一个独有的标识码，或删除重复的部件。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="120" />
            <source>Give each grid its own code, or merge the copies.</source>
            <translation>给每个网格一个独有的编码，或合并重复的网格。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="142" />
            <source>Grid code disagrees with region</source>
            <translation>网格编码与区域不符</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="155" />
            <source>Grid weakly covered</source>
            <translation>网格覆盖不足</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="149" />
            <source>Grid without region</source>
            <translation>网格无所属区域</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="75" />
            <source>Inside several grids</source>
            <translation>位于多个网格内</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="122" />
            <source>Malformed grid code</source>
            <translation>网格编码格式错误</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="101" />
            <source>Malformed 标识码</source>
            <translation>标识码格式错误</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="60" />
            <source>Move each point into its grid, or draw the missing grid.</source>
            <translation>把点移入其网格，或补画缺少的网格。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="81" />
            <source>Near a grid edge</source>
            <translation>靠近网格边</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="63" />
            <source>No geometry</source>
            <translation>无几何</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="168" />
            <source>No grid was placed in these regions, so they always count zero.</source>
            <translation>这些区域中没有任何网格，统计结果永远为零。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="150" />
            <source>No region of this level covers these grids at all; their components count under (不属于任何...).</source>
            <translation>该层级没有任何区域覆盖这些网格；其中的部件计入“(不属于任何…)”。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="68" />
            <source>Not transformable</source>
            <translation>坐标无法转换</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="57" />
            <source>Outside every grid</source>
            <translation>不在任何网格内</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="128" />
            <source>Overlapping grids</source>
            <translation>网格重叠</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="161" />
            <source>Overlapping regions</source>
            <translation>区域重叠</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="158" />
            <source>Redraw the region boundary along the grid edges.</source>
            <translation>沿网格边重新勾画区域边界。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="165" />
            <source>Redraw the shared boundary so the regions only touch.</source>
            <translation>重新勾画公共边界，使区域只相接、不重叠。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="132" />
            <source>Redraw the shared edge so the grids only touch.</source>
            <translation>重新勾画公共边，使网格只相接、不重叠。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="178" />
            <source>Redraw the supervisor area along the committee boundary.</source>
            <translation>沿社区边界重新勾画监督员责任区。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="167" />
            <source>Region without grid</source>
            <translation>区域无网格</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="96" />
            <source>Several components, in one layer or across layers, share these 标识码.</source>
            <translation>同一图层内或不同图层间有多个部件使用这些标识码。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="118" />
            <source>Several grids carry these codes; only the first is used, the others count nothing.</source>
            <translation>多个网格使用这些编码；只用第一个，其余网格不计任何部件。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="88" />
            <source>Stored grid differs</source>
            <translation>所在单元网格不符</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="174" />
            <source>Supervisor area cuts a committee</source>
            <translation>责任区切分社区</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="156" />
            <source>The region these grids were placed in covers less than half of each grid.</source>
            <translation>这些网格所归入的区域覆盖网格面积不到一半。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="89" />
            <source>The stored grid code (所在单元网格) of these components differs from the grid they lie in.</source>
            <translation>这些部件记录的所在单元网格与其实际所在网格不同。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="143" />
            <source>The street or community part of these grid codes is not the code of the region the grid lies in.</source>
            <translation>这些网格编码中的街道段或社区段与网格所在区域的编码不一致。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="111" />
            <source>The 部件状态 of these components is not in the status vocabulary.</source>
            <translation>这些部件的部件状态不在状态词表中。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="64" />
            <source>These components have a NULL or empty geometry, so they cannot be placed in a grid.</source>
            <translation>这些部件的几何为空，无法归入网格。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="58" />
            <source>These components lie in no unit grid, so no region counts them.</source>
            <translation>这些部件不在任何单元网格内，任何区域都不统计它们。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="76" />
            <source>These components lie strictly inside two or more grids, which overlap there; only the smallest grid code counts them.</source>
            <translation>这些部件严格位于两个或更多相互重叠的网格内，只计入编码最小的网格。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="82" />
            <source>These components lie within the edge tolerance of a grid edge, where a CRS round trip or a small edit can move them into the neighbouring grid.</source>
            <translation>这些部件距网格边不到容差，坐标转换往返或微小编辑就可能使其落入相邻网格。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="123" />
            <source>These grid codes are empty or do not fit the grid-code profile (length, digits).</source>
            <translation>这些网格编码为空或不符合网格编码规则（位数、数字）。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="135" />
            <source>These holes inside the district belong to no grid, so components there count nowhere.</source>
            <translation>辖区内这些空洞不属于任何网格，其中的部件不计入任何地方。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="129" />
            <source>These pairs of grids overlap by more than 1% of the smaller one, so components there belong to both.</source>
            <translation>这些网格两两重叠超过较小网格面积的 1%，重叠处的部件同属两个网格。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="162" />
            <source>These pairs of regions of one level overlap by more than 1% of the smaller one (beyond the slivers of hand-drawn boundaries).</source>
            <translation>同一层级的这些区域两两重叠超过较小区域面积的 1%（超出手绘边界的细缝）。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="69" />
            <source>These points could not be transformed to the grid layer's CRS, so they count in no grid.</source>
            <translation>这些点无法转换到网格图层的坐标系，不计入任何网格。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="175" />
            <source>These supervisor areas take part of a committee's grids while also holding grids of other committees; a committee split into areas of its own is expected.</source>
            <translation>这些责任区占了某社区的一部分网格，同时又含有其他社区的网格；社区被拆分为只属于它自己的几个责任区则属正常。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="102" />
            <source>These 标识码 do not fit the code profile: wrong length, characters that are not digits, another district's prefix, an unknown subclass, or a name that is not the code's subclass.</source>
            <translation>这些标识码不符合编码规则：位数不对、含非数字字符、区划代码不是本区的、小类未知，或名称与编码的小类不符。</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="110" />
            <source>Unknown 部件状态</source>
            <translation>部件状态未知</translation>
        </message>
        <message>
            <location filename="../core/audit/checks.py" line="113" />
            <source>Use one of the vocabulary's statuses, or add the status to component_statuses.csv.</source>
            <translation>改用词表中的状态，或把该状态加入 component_statuses.csv。</translation>
        </message>
    </context>
    <context>
        <name>CityComponentsDialog</name>
        <message>
            <location filename="../gui/region_picker.py" line="133" />
            <source>(all)</source>
            <translation>（全部）</translation>
        </message>
        <message>
            <location filename="../gui/region_picker.py" line="129" />
            <source>(no layer)</source>
            <translation>（无图层）</translation>
        </message>
        <message>
            <location filename="../gui/region_picker.py" line="129" />
            <source>(not read yet)</source>
            <translation>（尚未读取）</translation>
        </message>
        <message>
            <location filename="../gui/batch_panel.py" line="137" />
            <source>A batch run is still going: wait for it or cancel it.</source>
            <translation>批量任务仍在运行：请等待完成或取消。</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="111" />
            <source>A data check is still running: wait for it or cancel it.</source>
            <translation>数据检查仍在运行：请等待或取消。</translation>
        </message>
        <message>
            <location filename="../gui/batch_panel.py" line="64" />
            <source>A5</source>
            <translation>A5</translation>
        </message>
        <message>
            <location filename="../gui/batch_panel.py" line="63" />
            <source>A6 pocket size</source>
            <translation>A6 口袋本</translation>
        </message>
        <message>
            <location filename="../gui/result_tables.py" line="24" />
            <source>Address</source>
            <translation>地址</translation>
        </message>
        <message>
            <location filename="../gui/statistics_panel.py" line="384" />
            <source>Address code field</source>
            <translation>门址编码字段</translation>
        </message>
        <message>
            <location filename="../gui/layer_panel.py" line="57" />
            <source>By location (point in grid)</source>
            <translation>按位置（点落在网格内）</translation>
        </message>
        <message>
            <location filename="../gui/layer_panel.py" line="58" />
            <source>By stored grid code</source>
            <translation>按所在单元网格编码</translation>
        </message>
        <message>
            <location filename="../gui/batch_panel.py" line="59" />
            <source>CSV (.csv)</source>
            <translation>CSV（.csv）</translation>
        </message>
        <message>
            <location filename="../gui/statistics_panel.py" line="743" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <location filename="../gui/batch_panel.py" line="175" />
            <location filename="../gui/tasks.py" line="146" />
            <source>Cancelled.</source>
            <translation>已取消。</translation>
        </message>
        <message>
            <location filename="../gui/statistics_panel.py" line="513" />
            <source>Cancelled: click Count to read the layers again.</source>
            <translation>已取消：点击“统计”重新读取图层。</translation>
        </message>
        <message>
            <location filename="../gui/batch_panel.py" line="177" />
            <source>Cancelled: only complete files were kept in {0}</source>
            <translation>已取消：{0} 中只保留了完整的文件</translation>
        </message>
        <message>
            <location filename="../gui/batch_panel.py" line="185" />
            <source>Cancelling...</source>
            <translation>正在取消……</translation>
        </message>
        <message>
            <location filename="../gui/statistics_panel.py" line="383" />
            <source>Categories</source>
            <translation>类别</translation>
        </message>
        <message>
            <location filename="../gui/result_tables.py" line="24" />
            <location filename="../gui/result_tables.py" line="85" />
            <location filename="../gui/type_tree.py" line="61" />
            <source>Category</source>
            <translation>类别</translation>
        </message>
        <message>
            <location filename="../gui/statistics_panel.py" line="385" />
            <source>Category field</source>
            <translation>类别字段</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="74" />
            <source>Check</source>
            <translation>检查</translation>
        </message>
        <message>
            <location filename="../gui/statistics_panel.py" line="590" />
            <source>Check at least one type to count (the type tree on the Query tab).</source>
            <translation>请至少勾选一种类型再统计（“查询”页上的类型树）。</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="127" />
            <source>Checking...</source>
            <translation>正在检查…</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="123" />
            <source>Checking... {0}%</source>
            <translation>正在检查… {0}%</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="115" />
            <source>Choose a folder for the data check first (Data check tab).</source>
            <translation>请先选择数据检查的输出文件夹（“数据检查”页）。</translation>
        </message>
        <message>
            <location filename="../gui/statistics_panel.py" line="585" />
            <source>Choose a street office, supervisor area, committee or grid first (the region lists on the Query tab).</source>
            <translation>请先选择街道、监督员责任区、社区居委会或单元网格（“查询”页上的区域列表）。</translation>
        </message>
        <message>
            <location filename="../gui/region_picker.py" line="153" />
            <source>Choose a street office, supervisor area, committee or grid.</source>
            <translation>请选择街道、监督员责任区、社区居委会或单元网格。</translation>
        </message>
        <message>
            <location filename="../gui/batch_panel.py" line="140" />
            <source>Choose an output folder first (Batch tab).</source>
            <translation>请先选择输出文件夹（“批量”页）。</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="118" />
            <location filename="../gui/batch_panel.py" line="143" />
            <location filename="../gui/statistics_panel.py" line="452" />
            <source>Choose the unit grid layer and the point layers first (Layers tab).</source>
            <translation>请先选择单元网格图层和要统计的点图层（“图层”页）。</translation>
        </message>
        <message>
            <location filename="../gui/messages.py" line="65" />
            <location filename="../gui/statistics_panel.py" line="115" />
            <source>City Components Statistics</source>
            <translation>城市部件档案统计</translation>
        </message>
        <message>
            <location filename="../gui/database_count.py" line="23" />
            <source>City Components: counting in the database</source>
            <translation>城市部件档案统计：数据库统计中</translation>
        </message>
        <message>
            <location filename="../gui/index_cache.py" line="71" />
            <source>City Components: reading the grids and regions</source>
            <translation>城市部件档案统计：读取网格和区域</translation>
        </message>
        <message>
            <location filename="../gui/index_cache.py" line="72" />
            <source>City Components: reading the layers</source>
            <translation>城市部件档案统计：读取图层</translation>
        </message>
        <message>
            <location filename="../gui/tasks.py" line="113" />
            <source>City Components: {0}</source>
            <translation>城市部件：{0}</translation>
        </message>
        <message>
            <location filename="../gui/region_cascade.py" line="23" />
            <source>Community committee</source>
            <translation>社区居委会</translation>
        </message>
        <message>
            <location filename="../gui/result_tables.py" line="86" />
            <source>Component name</source>
            <translation>部件名称</translation>
        </message>
        <message>
            <location filename="../gui/type_tree.py" line="61" />
            <source>Component type</source>
            <translation>部件类型</translation>
        </message>
        <message>
            <location filename="../gui/statistics_panel.py" line="390" />
            <source>Component types</source>
            <translation>部件类型</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="74" />
            <location filename="../gui/result_tables.py" line="85" />
            <location filename="../gui/type_tree.py" line="62" />
            <source>Count</source>
            <translation>数量</translation>
        </message>
        <message>
            <location filename="../gui/statistics_panel.py" line="615" />
            <source>Counting in the database...</source>
            <translation>正在由数据库统计……</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="70" />
            <location filename="../gui/statistics_panel.py" line="156" />
            <source>Data check</source>
            <translation>数据检查</translation>
        </message>
        <message>
            <location filename="../gui/layer_panel.py" line="104" />
            <source>Detected: {0}</source>
            <translation>自动识别：{0}</translation>
        </message>
        <message>
            <location filename="../gui/batch_panel.py" line="172" />
            <source>Done.</source>
            <translation>完成。</translation>
        </message>
        <message>
            <location filename="../gui/batch_panel.py" line="59" />
            <source>Excel (.xlsx)</source>
            <translation>Excel（.xlsx）</translation>
        </message>
        <message>
            <location filename="../gui/statistics_panel.py" line="723" />
            <source>Excel workbook and text files (*.xlsx)</source>
            <translation>Excel 工作簿和文本文件 (*.xlsx)</translation>
        </message>
        <message>
            <location filename="../gui/statistics_panel.py" line="724" />
            <source>Excel workbook only (*.xlsx)</source>
            <translation>仅 Excel 工作簿 (*.xlsx)</translation>
        </message>
        <message>
            <location filename="../gui/batch_panel.py" line="130" />
            <source>Exporting every region...</source>
            <translation>正在导出全部区域……</translation>
        </message>
        <message>
            <location filename="../gui/batch_panel.py" line="179" />
            <source>Failed.</source>
            <translation>失败。</translation>
        </message>
        <message>
            <location filename="../gui/statistics_panel.py" line="386" />
            <source>Filter categories or layers</source>
            <translation>筛选类别或图层</translation>
        </message>
        <message>
            <location filename="../gui/statistics_panel.py" line="395" />
            <source>Filter the list (code, name or grid); double-click a row to show it on the map</source>
            <translation>筛选列表（标识码、名称或网格）；双击一行可在地图上显示</translation>
        </message>
        <message>
            <location filename="../gui/statistics_panel.py" line="388" />
            <source>Filter the list (name, category or address); double-click a row to show it on the map</source>
            <translation>筛选列表（名称、类别或地址）；双击一行可在地图上显示</translation>
        </message>
        <message>
            <location filename="../gui/statistics_panel.py" line="393" />
            <source>Filter types</source>
            <translation>筛选类型</translation>
        </message>
        <message>
            <location filename="../gui/batch_panel.py" line="173" />
            <source>Finished: the files are in {0}</source>
            <translation>完成：文件在 {0}</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="67" />
            <source>Folder for audit.xlsx and audit.json</source>
            <translation>audit.xlsx 和 audit.json 的文件夹</translation>
        </message>
        <message>
            <location filename="../gui/batch_panel.py" line="62" />
            <source>GBK (older Chinese software)</source>
            <translation>GBK（旧版中文软件）</translation>
        </message>
        <message>
            <location filename="../gui/message_area.py" line="55" />
            <source>Hide this message</source>
            <translation>隐藏此消息</translation>
        </message>
        <message>
            <location filename="../gui/result_tables.py" line="23" />
            <source>Identifier code</source>
            <translation>标识码</translation>
        </message>
        <message>
            <location filename="../gui/statistics_panel.py" line="391" />
            <source>Identifier field</source>
            <translation>标识码字段</translation>
        </message>
        <message>
            <location filename="../gui/batch_panel.py" line="133" />
            <source>Making the booklets...</source>
            <translation>正在生成手册……</translation>
        </message>
        <message>
            <location filename="../gui/result_tables.py" line="23" />
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <location filename="../gui/layer_panel.py" line="105" />
            <source>No field detected: choose one</source>
            <translation>未能自动识别字段：请选择</translation>
        </message>
        <message>
            <location filename="../gui/statistics_panel.py" line="750" />
            <source>Nothing to save yet: click Count first.</source>
            <translation>还没有可保存的结果：请先点击“统计”。</translation>
        </message>
        <message>
            <location filename="../gui/batch_panel.py" line="173" />
            <location filename="../gui/statistics_panel.py" line="765" />
            <source>Open folder</source>
            <translation>打开文件夹</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="79" />
            <location filename="../gui/batch_panel.py" line="57" />
            <source>Output folder</source>
            <translation>输出文件夹</translation>
        </message>
        <message>
            <location filename="../gui/region_picker.py" line="306" />
            <source>Pick on the map: click a region of this level</source>
            <translation>在地图上点选：单击此层级的一个区域</translation>
        </message>
        <message>
            <location filename="../gui/region_picker.py" line="155" />
            <source>Query: {0} {1}</source>
            <translation>查询：{0} {1}</translation>
        </message>
        <message>
            <location filename="../gui/statistics_panel.py" line="492" />
            <source>Reading the components; meanwhile each count is made by the database.</source>
            <translation>正在读取部件；读取完成前，统计由数据库完成。</translation>
        </message>
        <message>
            <location filename="../gui/statistics_panel.py" line="461" />
            <source>Reading the layers...</source>
            <translation>正在读取图层……</translation>
        </message>
        <message>
            <location filename="../gui/statistics_panel.py" line="742" />
            <source>Replace</source>
            <translation>替换</translation>
        </message>
        <message>
            <location filename="../gui/messages.py" line="37" />
            <source>Replace existing files on the Batch tab</source>
            <translation>“批量”页上的“替换已有文件”</translation>
        </message>
        <message>
            <location filename="../gui/statistics_panel.py" line="187" />
            <source>Results</source>
            <translation>结果</translation>
        </message>
        <message>
            <location filename="../gui/statistics_panel.py" line="726" />
            <location filename="../gui/statistics_panel.py" line="739" />
            <source>Save result</source>
            <translation>保存结果</translation>
        </message>
        <message>
            <location filename="../gui/statistics_panel.py" line="764" />
            <source>Saved {0}.</source>
            <translation>已保存 {0}。</translation>
        </message>
        <message>
            <location filename="../gui/result_tables.py" line="85" />
            <location filename="../gui/result_tables.py" line="86" />
            <source>Since the previous edition</source>
            <translation>较上一版本</translation>
        </message>
        <message>
            <location filename="../gui/region_cascade.py" line="22" />
            <source>Street office</source>
            <translation>街道</translation>
        </message>
        <message>
            <location filename="../gui/region_cascade.py" line="22" />
            <source>Supervisor area</source>
            <translation>监督员责任区</translation>
        </message>
        <message>
            <location filename="../gui/batch_panel.py" line="59" />
            <source>Text (.txt)</source>
            <translation>文本（.txt）</translation>
        </message>
        <message>
            <location filename="../gui/statistics_panel.py" line="725" />
            <source>Text files only, like the original tool (*.txt)</source>
            <translation>仅文本文件，与原工具相同 (*.txt)</translation>
        </message>
        <message>
            <location filename="../gui/tasks.py" line="95" />
            <source>The algorithm {0} is not available: is the City Components plugin's Processing provider enabled?</source>
            <translation>算法 {0} 不可用：城市部件插件的处理工具提供者是否已启用？</translation>
        </message>
        <message>
            <location filename="../gui/statistics_panel.py" line="430" />
            <source>The layers changed: click Count again.</source>
            <translation>图层已变化：请重新点击“统计”。</translation>
        </message>
        <message>
            <location filename="../gui/statistics_panel.py" line="505" />
            <location filename="../gui/statistics_panel.py" line="508" />
            <source>The layers could not be read: see the message above.</source>
            <translation>无法读取图层：请见上方的消息。</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="197" />
            <source>The problem layer {0} could not be opened.</source>
            <translation>无法打开问题图层 {0}。</translation>
        </message>
        <message>
            <location filename="../gui/tasks.py" line="149" />
            <source>The run failed; see the Processing log for details.</source>
            <translation>运行失败；详情见处理工具日志。</translation>
        </message>
        <message>
            <location filename="../gui/region_picker.py" line="197" />
            <source>The short code {0} names {1} grids: {2}. Choose the street office first, or pick one of them in the Unit grid list.</source>
            <translation>短编码 {0} 对应 {1} 个网格：{2}。请先选择街道，或在“单元网格”列表中选择其中一个。</translation>
        </message>
        <message>
            <location filename="../gui/statistics_panel.py" line="740" />
            <source>These files exist already:
{0}

Replace them?</source>
            <translation>以下文件已存在：
{0}

是否替换？</translation>
        </message>
        <message>
            <location filename="../gui/statistics_panel.py" line="711" />
            <source>This feature has no geometry: it cannot be shown on the map.</source>
            <translation>该要素没有几何图形，无法在地图上显示。</translation>
        </message>
        <message>
            <location filename="../gui/result_tables.py" line="70" />
            <source>Total</source>
            <translation>合计</translation>
        </message>
        <message>
            <location filename="../gui/result_tables.py" line="86" />
            <source>Total count</source>
            <translation>部件总数</translation>
        </message>
        <message>
            <location filename="../gui/statistics_panel.py" line="392" />
            <source>Type field</source>
            <translation>类型字段</translation>
        </message>
        <message>
            <location filename="../gui/batch_panel.py" line="61" />
            <source>UTF-8 (Excel, WPS, Word)</source>
            <translation>UTF-8（Excel、WPS、Word）</translation>
        </message>
        <message>
            <location filename="../gui/messages.py" line="104" />
            <source>Unexpected error: {0}. The details are in the Log Messages panel ({1} tab).</source>
            <translation>意外错误：{0}。详情见“日志消息”面板（{1} 标签页）。</translation>
        </message>
        <message>
            <location filename="../gui/region_cascade.py" line="23" />
            <location filename="../gui/result_tables.py" line="23" />
            <source>Unit grid</source>
            <translation>单元网格</translation>
        </message>
        <message>
            <location filename="../gui/messages.py" line="41" />
            <source>WORKERS of the Supervisor booklets algorithm in the Processing Toolbox</source>
            <translation>处理工具箱中“监督员手册”算法的 WORKERS 参数</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="74" />
            <source>What it means</source>
            <translation>说明</translation>
        </message>
        <message>
            <location filename="../gui/batch_panel.py" line="67" />
            <source>every level</source>
            <translation>全部层级</translation>
        </message>
        <message>
            <location filename="../gui/batch_panel.py" line="68" />
            <source>every supervisor area</source>
            <translation>全部监督员责任区</translation>
        </message>
        <message>
            <location filename="../gui/messages.py" line="27" />
            <source>the Committees field box on the Layers tab</source>
            <translation>“图层”页上社区居委会的字段框</translation>
        </message>
        <message>
            <location filename="../gui/messages.py" line="22" />
            <source>the Committees layer box on the Layers tab</source>
            <translation>“图层”页上社区居委会的图层框</translation>
        </message>
        <message>
            <location filename="../gui/messages.py" line="36" />
            <source>the Folder box on the Batch tab</source>
            <translation>“批量”页上的“文件夹”框</translation>
        </message>
        <message>
            <location filename="../gui/messages.py" line="38" />
            <source>the Formats boxes on the Batch tab</source>
            <translation>“批量”页上的“格式”选项</translation>
        </message>
        <message>
            <location filename="../gui/messages.py" line="30" />
            <source>the Identifier field box on the Layers tab</source>
            <translation>“图层”页上的“标识码字段”框</translation>
        </message>
        <message>
            <location filename="../gui/messages.py" line="43" />
            <source>the Layers tab</source>
            <translation>“图层”页</translation>
        </message>
        <message>
            <location filename="../gui/messages.py" line="40" />
            <source>the Page size box on the Batch tab</source>
            <translation>“批量”页上的“页面大小”框</translation>
        </message>
        <message>
            <location filename="../gui/messages.py" line="35" />
            <source>the Query object buttons</source>
            <translation>“查询对象”按钮</translation>
        </message>
        <message>
            <location filename="../gui/messages.py" line="32" />
            <source>the Stored grid code field box on the Layers tab</source>
            <translation>“图层”页上的“所在单元网格字段”框</translation>
        </message>
        <message>
            <location filename="../gui/messages.py" line="28" />
            <source>the Street offices field box on the Layers tab</source>
            <translation>“图层”页上街道办事处的字段框</translation>
        </message>
        <message>
            <location filename="../gui/messages.py" line="23" />
            <source>the Street offices layer box on the Layers tab</source>
            <translation>“图层”页上街道办事处的图层框</translation>
        </message>
        <message>
            <location filename="../gui/messages.py" line="29" />
            <source>the Supervisor areas field box on the Layers tab</source>
            <translation>“图层”页上监督员责任区的字段框</translation>
        </message>
        <message>
            <location filename="../gui/messages.py" line="24" />
            <source>the Supervisor areas layer box on the Layers tab</source>
            <translation>“图层”页上监督员责任区的图层框</translation>
        </message>
        <message>
            <location filename="../gui/messages.py" line="39" />
            <source>the Text encoding box on the Batch tab</source>
            <translation>“批量”页上的“文本编码”框</translation>
        </message>
        <message>
            <location filename="../gui/messages.py" line="31" />
            <source>the Type field box on the Layers tab</source>
            <translation>“图层”页上的“类型字段”框</translation>
        </message>
        <message>
            <location filename="../gui/messages.py" line="26" />
            <source>the Unit grids field box on the Layers tab</source>
            <translation>“图层”页上单元网格的字段框</translation>
        </message>
        <message>
            <location filename="../gui/messages.py" line="21" />
            <source>the Unit grids layer box on the Layers tab</source>
            <translation>“图层”页上单元网格的图层框</translation>
        </message>
        <message>
            <location filename="../gui/messages.py" line="34" />
            <source>the component type tree on the Query tab</source>
            <translation>“查询”页上的部件类型树</translation>
        </message>
        <message>
            <location filename="../gui/messages.py" line="49" />
            <source>the file dialog of the Save result... button</source>
            <translation>“保存结果……”的文件对话框</translation>
        </message>
        <message>
            <location filename="../gui/messages.py" line="25" />
            <source>the point layer list on the Layers tab</source>
            <translation>“图层”页上的“要统计的点图层”列表</translation>
        </message>
        <message>
            <location filename="../gui/messages.py" line="33" />
            <source>the region lists on the Query tab</source>
            <translation>“查询”页上的区域列表</translation>
        </message>
        <message>
            <location filename="../gui/region_picker.py" line="75" />
            <source>type to filter</source>
            <translation>输入以筛选</translation>
        </message>
        <message>
            <location filename="../gui/statistics_panel.py" line="537" />
            <source>{0} features read: {1} in a grid, {2} in no grid.</source>
            <translation>读取要素 {0} 个：落入网格 {1} 个，未落入网格 {2} 个。</translation>
        </message>
        <message>
            <location filename="../gui/audit_panel.py" line="144" />
            <source>{0} problem(s) found; the files are in {1}</source>
            <translation>发现 {0} 个问题；文件在 {1}</translation>
        </message>
        <message>
            <location filename="../gui/region_picker.py" line="143" />
            <source>{0} to choose from; type part of a name or code to filter</source>
            <translation>共 {0} 项可选；输入名称或编码的一部分即可筛选</translation>
        </message>
        <message>
            <location filename="../gui/statistics_panel.py" line="670" />
            <source>{0} {1}: {2} addresses and points of interest in {3} categories.</source>
            <translation>{0} {1}：{3} 类共 {2} 个地址和兴趣点。</translation>
        </message>
        <message>
            <location filename="../gui/statistics_panel.py" line="671" />
            <source>{0} {1}: {2} components of {3} types.</source>
            <translation>{0} {1}：{3} 类共 {2} 个部件。</translation>
        </message>
        <message>
            <source>Check at least one type to count.</source>
            <translation type="vanished">请至少勾选一种类型再统计。</translation>
        </message>
        <message>
            <source>Choose a street office, supervisor area, committee or grid first.</source>
            <translation type="vanished">请先选择街道、监督员责任区、社区居委会或单元网格。</translation>
        </message>
        <message>
            <source>City Components</source>
            <translation type="vanished">城市部件</translation>
        </message>
        <message>
            <source>Close</source>
            <translation type="vanished">关闭</translation>
        </message>
        <message>
            <source>Excel workbook (.xlsx)</source>
            <translation type="vanished">Excel 工作簿（.xlsx）</translation>
        </message>
        <message>
            <source>Text, tab-separated (.txt)</source>
            <translation type="vanished">文本，制表符分隔（.txt）</translation>
        </message>
    </context>
    <context>
        <name>CityComponentsMessages</name>
        <message>
            <location filename="../core/messages.py" line="247" />
            <source>'{value}' in {control} is not a layer QGIS can open. Give one layer source per value, repeated or separated by commas (path|layername=layer).</source>
            <translation>{control}中的“{value}”不是 QGIS 能打开的图层。每个值给一个图层数据源，可重复该参数或用逗号分隔（路径|layername=图层名）。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="118" />
            <source>A booklet worker process stopped while writing the booklet of '{area}': {reason}. The booklets already written are complete; run again, or set {control} to 1 to write the booklets in QGIS's own process.</source>
            <translation>写入“{area}”的手册时，一个手册工作进程停止了：{reason}。已写好的手册都是完整的；请重新运行，或将{control}设为 1，在 QGIS 自身的进程中逐个写入手册。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="132" />
            <source>A table row is taller than a whole page; choose a larger page size with {control}.</source>
            <translation>有一行表格比整页还高；请在{control}中选择更大的页面。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="112" />
            <source>Booklets list city components: addresses, reference objects and POIs have no 标识码 to print. Choose components with {control}.</source>
            <translation>手册列出的是城市部件：门址、参照物和兴趣点没有可打印的标识码。请在{control}中选择部件。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="79" />
            <source>Cancelled while {step}.</source>
            <translation>已取消（{step}时）。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="156" />
            <source>Cancelled: {manifest} lists the {count} file(s) finished.</source>
            <translation>已取消：{manifest} 列出了已完成的 {count} 个文件。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="96" />
            <source>Cannot replace '{path}' ({reason}). Close it if it is open in another program (Excel, WPS, Word, a PDF viewer) and run again.</source>
            <translation>无法替换“{path}”（{reason}）。如果该文件已在其他程序（Excel、WPS、Word、PDF 阅读器）中打开，请关闭后重新运行。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="236" />
            <source>Component {id}: the value '{value}' is written as '{became}' in {target}.</source>
            <translation>部件 {id}：值“{value}”在{target}中写为“{became}”。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="93" />
            <source>Could not write '{path}': {reason}. Check that the folder is writable, or choose another folder with {control}.</source>
            <translation>无法写入“{path}”：{reason}。请检查文件夹是否可写，或在{control}中选择其他文件夹。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="90" />
            <source>Could not write '{path}': {reason}. The disk is full: free space or choose another folder with {control}.</source>
            <translation>无法写入“{path}”：{reason}。磁盘已满：请释放空间，或在{control}中选择其他文件夹。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="115" />
            <source>Could not write the booklet '{path}'. Check that the folder is writable and the disk is not full.</source>
            <translation>无法写入手册“{path}”。请检查文件夹是否可写、磁盘是否已满。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="286" />
            <source>Engine: local (a layer has unsaved edits the database does not see).</source>
            <translation>引擎：本地（有图层存在数据库看不到的未保存编辑）。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="284" />
            <source>Engine: local (a layer is an SQL query or has no single key column).</source>
            <translation>引擎：本地（有图层是 SQL 查询或没有单一主键列）。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="290" />
            <source>Engine: local (a layer's CRS was set by hand and differs from its table's SRID).</source>
            <translation>引擎：本地（有图层的坐标系是手动设置的，与其数据表的 SRID 不同）。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="288" />
            <source>Engine: local (a table's key column is not an integer).</source>
            <translation>引擎：本地（有数据表的主键列不是整数）。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="278" />
            <source>Engine: local (chosen with CITYCOMPONENTS_ENGINE=local).</source>
            <translation>引擎：本地（由 CITYCOMPONENTS_ENGINE=local 指定）。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="282" />
            <source>Engine: local (the Python module psycopg2 is not installed).</source>
            <translation>引擎：本地（未安装 Python 模块 psycopg2）。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="280" />
            <source>Engine: local (the layers are not all in one PostGIS database).</source>
            <translation>引擎：本地（图层不全在同一个 PostGIS 数据库中）。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="277" />
            <source>Engine: local.</source>
            <translation>引擎：本地。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="274" />
            <source>Engine: postgis (assignment and placement in the database '{database}', PostGIS {version}).</source>
            <translation>引擎：postgis（落格与归属在数据库“{database}”中计算，PostGIS {version}）。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="319" />
            <source>GDAL reported no error</source>
            <translation>GDAL 未报告错误</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="122" />
            <source>Internal layout error: a table shows {shown} of {expected} rows. Please report this.</source>
            <translation>内部排版错误：表格只显示了 {expected} 行中的 {shown} 行。请报告此问题。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="135" />
            <source>Internal layout error: the cover table does not fit. Please report this.</source>
            <translation>内部排版错误：封面表格放不下。请报告此问题。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="271" />
            <source>Layer '{layer}' (table {table} in database '{database}') could not be read. Check the connection in the Browser panel, or choose another layer with {control}.</source>
            <translation>无法读取图层“{layer}”（数据库“{database}”中的表 {table}）。请在浏览器面板中检查连接，或通过{control}选择其他图层。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="174" />
            <source>Layer '{layer}' ({crs}) cannot be transformed to the CRS of the unit grids ({grid_crs}). Set the right CRS of each layer with Layer Properties &gt; Source &gt; Assigned Coordinate Reference System (or Processing's Assign projection tool) and run again.</source>
            <translation>图层“{layer}”（{crs}）无法转换到单元网格的坐标参考系（{grid_crs}）。请用“图层属性 &gt; 源 &gt; 指定的坐标参考系”（或处理工具“指定投影”）为每个图层设置正确的坐标参考系，然后重新运行。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="66" />
            <source>Layer '{layer}' could not be opened from {source}.</source>
            <translation>无法从 {source} 打开图层“{layer}”。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="24" />
            <source>Layer '{layer}' could not be read from '{source}'. Check that the file exists and is readable, or choose another layer with {control}.</source>
            <translation>无法从“{source}”读取图层“{layer}”。请检查文件是否存在且可读，或在{control}中选择其他图层。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="36" />
            <source>Layer '{layer}' has no defined CRS ({crs}). Set it in QGIS with Layer Properties &gt; Source &gt; Assigned Coordinate Reference System (or Processing's Assign projection tool, which writes it to the file) and run again.</source>
            <translation>图层“{layer}”没有定义坐标参考系（{crs}）。请在 QGIS 中用“图层属性 &gt; 源 &gt; 指定的坐标参考系”设置（或用处理工具“指定投影”把它写入文件），然后重新运行。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="41" />
            <source>Layer '{layer}' has no features. Choose another layer with {control}.</source>
            <translation>图层“{layer}”没有要素。请在{control}中选择其他图层。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="48" />
            <source>Layer '{layer}' has no field '{field}' for the {role} (chosen with {control}). Its fields are: {fields}.</source>
            <translation>图层“{layer}”没有用作{role}的字段“{field}”（在{control}中选择）。该图层的字段有：{fields}。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="32" />
            <source>Layer '{layer}' has {geometry} geometries; component, address and POI layers must be point layers. Choose point layers with {control}.</source>
            <translation>图层“{layer}”的几何类型为{geometry}；部件、门址和兴趣点图层必须是点图层。请在{control}中选择点图层。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="28" />
            <source>Layer '{layer}' has {geometry} geometries; the {role} must be a polygon layer. Choose another with {control}.</source>
            <translation>图层“{layer}”的几何类型为{geometry}；{role}必须是面图层。请在{control}中选择其他图层。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="200" />
            <source>Layer '{layer}' is a shapefile without a .cpg file and {count} of its {checked} text values checked are not UTF-8 (for example in field {field}); it is probably GBK. Set its encoding in QGIS with Layer Properties &gt; Source &gt; Data source encoding (GBK), or open it with the ENCODING open option ('{source}|option:ENCODING=GBK'), or put a file '{cpg}' holding GBK beside it, and run again.</source>
            <translation>图层“{layer}”是没有 .cpg 文件的 Shapefile，检查的 {checked} 个文本值中有 {count} 个不是 UTF-8（例如字段 {field}），很可能是 GBK 编码。请在 QGIS 中用“图层属性 &gt; 源 &gt; 数据源编码”设为 GBK，或用 ENCODING 打开选项打开（“{source}|option:ENCODING=GBK”），或在旁边放一个内容为 GBK 的文件“{cpg}”，然后重新运行。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="169" />
            <source>Layer '{layer}' is a shapefile without its attribute table: '{dbf}' is missing, so the layer has no fields. Copy the .dbf file (and .cpg, .prj, .shx) beside the .shp and run again, or choose another layer with {control}.</source>
            <translation>图层“{layer}”是缺少属性表的 Shapefile：找不到“{dbf}”，因此该图层没有字段。请把 .dbf 文件（以及 .cpg、.prj、.shx）复制到 .shp 旁边后重新运行，或用{control}选择其他图层。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="63" />
            <source>Layer '{layer}': feature {fid} ({key}) could not be transformed to {crs} ({reason}). Check the layer's CRS.</source>
            <translation>图层“{layer}”：要素 {fid}（{key}）无法转换到 {crs}（{reason}）。请检查该图层的坐标参考系。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="206" />
            <source>Layer '{layer}': no field for the {role} could be detected, and its field names are not valid text ({fields}): it is a shapefile without a .cpg file, probably in GBK. Set its encoding with Layer Properties &gt; Source &gt; Data source encoding (GBK), or open it as '{source}|option:ENCODING=GBK', and run again.</source>
            <translation>图层“{layer}”：检测不到{role}字段，且其字段名不是有效文本（{fields}）：这是没有 .cpg 文件的 Shapefile，很可能是 GBK 编码。请用“图层属性 &gt; 源 &gt; 数据源编码”设为 GBK，或以“{source}|option:ENCODING=GBK”打开，然后重新运行。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="51" />
            <source>Layer '{layer}': no field for the {role} could be detected. Tried: {tried}. Its fields are: {fields}. Choose the field with {control}.</source>
            <translation>图层“{layer}”：未能识别{role}字段。已尝试：{tried}。该图层的字段有：{fields}。请在{control}中选择字段。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="159" />
            <source>Layer '{layer}': only {read} of its {expected} features could be read ({reason}). The file is probably damaged: check it with ogrinfo -al -so "{source}", restore it from a backup or repair it (for example copy the layer with ogr2ogr or Export &gt; Save Features As), and run again. Nothing was counted.</source>
            <translation>图层“{layer}”：其 {expected} 个要素中只读到 {read} 个（{reason}）。文件很可能已损坏：请用 ogrinfo -al -so "{source}" 检查，从备份恢复或修复（例如用 ogr2ogr 或“导出 &gt; 要素另存为”复制该图层），然后重新运行。本次未计入任何结果。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="164" />
            <source>Layer '{layer}': the geometries of {count} of its {read} features could not be read ({reason}). The file is probably damaged or cut short (a .shp copied half-way): check it with ogrinfo -al -so "{source}", restore it from a backup, and run again. Nothing was counted.</source>
            <translation>图层“{layer}”：其 {read} 个要素中有 {count} 个的几何无法读取（{reason}）。文件很可能已损坏或不完整（.shp 只复制了一半）：请用 ogrinfo -al -so "{source}" 检查，从备份恢复，然后重新运行。本次未计入任何结果。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="194" />
            <source>Layer '{layer}': the {role} field '{field}' is a number field ({type}); its values were read as digit strings (for example {example}). Codes belong in text fields: a number field loses leading zeros and cannot hold every long code. Convert it to a text field (Refactor Fields, or the Field Calculator with to_string()).</source>
            <translation>图层“{layer}”：{role}字段“{field}”是数值字段（{type}）；其值已按数字串读取（例如 {example}）。编码应存放在文本字段中：数值字段会丢失前导零，也无法准确保存所有长编码。请把它转换为文本字段（“重构字段”，或在字段计算器中使用 to_string()）。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="59" />
            <source>Layer '{layer}': {count} duplicate value(s) in field '{field}' ({role} must be unique): {examples}. Merge or rename those features, or choose another field with {control}.</source>
            <translation>图层“{layer}”：字段“{field}”中有 {count} 个重复值（{role}必须唯一）：{examples}。请合并或重命名这些要素，或在{control}中选择其他字段。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="55" />
            <source>Layer '{layer}': {count} feature(s) have an empty {role} in field '{field}' (feature ids {fids}). Fill them in, or choose another field with {control}.</source>
            <translation>图层“{layer}”：有 {count} 个要素的{role}（字段“{field}”）为空（要素编号 {fids}）。请补全，或在{control}中选择其他字段。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="43" />
            <source>No component layers were given. Choose one or more point layers with {control}.</source>
            <translation>没有指定部件图层。请在{control}中选择一个或多个点图层。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="138" />
            <source>No earlier edition was given. Choose its component layers or a batch-export folder that records an edition with {control}.</source>
            <translation>未提供早期版本。请用{control}选择它的部件图层，或记录了版本的批量导出文件夹。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="130" />
            <source>No output folder was given. Choose a folder for the booklets with {control}.</source>
            <translation>没有指定输出文件夹。请在{control}中为手册选择文件夹。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="68" />
            <source>No {level} layer was given: choose it with {control} to query this level.</source>
            <translation>没有指定{level}图层：请在{control}中选择，才能按此级别查询。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="70" />
            <source>No {level} named '{value}' in layer '{layer}'.</source>
            <translation>图层“{layer}”中没有名为“{value}”的{level}。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="72" />
            <source>No {level} named '{value}' in layer '{layer}'. Did you mean: {close}?</source>
            <translation>图层“{layer}”中没有名为“{value}”的{level}。您是否要找：{close}？</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="22" />
            <source>No {role} layer was given. Choose the polygon layer of the {role} with {control}.</source>
            <translation>没有指定{role}图层。请在{control}中选择{role}的面图层。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="179" />
            <source>Only {assigned} of {located} components with a location ({share}) lie in a unit grid. A wrong CRS is the likely cause: the unit grids '{grid_layer}' are in {grid_crs} with extent {grid_extent}; the component layers (CRS; extent in their CRS): {layers}. Check each layer's CRS (Layer Properties &gt; Source &gt; Assigned Coordinate Reference System).</source>
            <translation>有位置的 {located} 个部件中只有 {assigned} 个（{share}）落在单元网格内。很可能是坐标参考系有误：单元网格“{grid_layer}”的坐标参考系为 {grid_crs}，范围 {grid_extent}；部件图层（坐标参考系；按其自身坐标系的范围）：{layers}。请检查每个图层的坐标参考系（图层属性 &gt; 源 &gt; 指定的坐标参考系）。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="99" />
            <source>Refusing to write '{path}': it would be outside the output folder '{folder}'.</source>
            <translation>拒绝写入“{path}”：它会位于输出文件夹“{folder}”之外。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="228" />
            <source>Removed {count} temporary file(s) left in '{folder}' by an interrupted run.</source>
            <translation>已删除中断的运行留在“{folder}”中的 {count} 个临时文件。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="125" />
            <source>The batch export stopped: {reason}. The files listed in {manifest} (status failed) are complete.</source>
            <translation>批量导出已中止：{reason}。{manifest}（状态 failed）中列出的文件是完整的。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="45" />
            <source>The component layers ({layers}) have no features. Choose layers that hold components with {control}.</source>
            <translation>部件图层（{layers}）没有要素。请在{control}中选择包含部件的图层。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="266" />
            <source>The connection to the database '{database}' was lost during the run ({reason}). Nothing was written; run again when the server is back.</source>
            <translation>运行期间与数据库“{database}”的连接中断（{reason}）。没有写出任何文件；请在服务器恢复后重新运行。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="260" />
            <source>The database '{database}' has no PostGIS extension. Ask its administrator to run CREATE EXTENSION postgis, or export the layers to a GeoPackage.</source>
            <translation>数据库“{database}”没有 PostGIS 扩展。请数据库管理员执行 CREATE EXTENSION postgis，或将图层导出为 GeoPackage。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="257" />
            <source>The database '{database}' refused the login ({reason}). Check the user and password of the connection or its authentication configuration (Settings &gt; Options &gt; Authentication).</source>
            <translation>数据库“{database}”拒绝登录（{reason}）。请检查连接的用户名和密码或其认证配置（设置 &gt; 选项 &gt; 认证）。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="269" />
            <source>The database '{database}' reported an error: {reason}</source>
            <translation>数据库“{database}”报告错误：{reason}</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="254" />
            <source>The database server of '{database}' cannot be reached ({reason}). Check that it runs and that host and port of the connection are right, then run again.</source>
            <translation>无法连接数据库“{database}”的服务器（{reason}）。请确认服务器正在运行、连接的主机和端口正确，然后重新运行。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="263" />
            <source>The database user may not read table '{table}' in '{database}' ({reason}). Ask the administrator for SELECT on it, or choose another layer with {control}.</source>
            <translation>数据库用户无权读取“{database}”中的表“{table}”（{reason}）。请向管理员申请该表的 SELECT 权限，或通过{control}选择其他图层。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="141" />
            <source>The earlier edition was given twice (layers and a folder). Keep one of them, with {control}.</source>
            <translation>早期版本给了两次（图层和文件夹）。请用{control}只保留其中一个。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="293" />
            <source>The edge tolerance {value} is negative. Give a distance in metres of 0 or more with {control}.</source>
            <translation>网格边容差 {value} 为负数。请在{control}中给出 0 或更大的距离（米）。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="144" />
            <source>The folder '{folder}' does not record an edition ({reason}). Choose the folder of a batch export made with this version of the plugin with {control}.</source>
            <translation>文件夹“{folder}”没有记录版本（{reason}）。请用{control}选择本版本插件所做批量导出的文件夹。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="150" />
            <source>The move tolerance must be 0 m or more, not {value}. Set it with {control}.</source>
            <translation>移位容差必须不小于 0 米，而不是 {value}。请用{control}设置。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="240" />
            <source>The name '{value}' is written as '{became}' in {target}.</source>
            <translation>名称“{value}”在{target}中写为“{became}”。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="147" />
            <source>The output folder '{folder}' already holds a comparison ({files}). Allow replacing it with {control}, or choose another folder.</source>
            <translation>输出文件夹“{folder}”中已有对比结果（{files}）。请用{control}允许替换，或选择其他文件夹。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="101" />
            <source>The output folder '{folder}' already holds results of a batch export ({files}). Allow replacing them with {control}, or choose an empty folder.</source>
            <translation>输出文件夹“{folder}”中已有批量导出的结果（{files}）。请在{control}中允许替换，或选择一个空文件夹。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="84" />
            <source>The output folder '{folder}' cannot be created ({reason}). Choose a folder you can write to with {control}.</source>
            <translation>无法创建输出文件夹“{folder}”（{reason}）。请在{control}中选择一个可写的文件夹。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="81" />
            <source>The output folder '{folder}' is an existing file, not a folder. Choose a folder with {control}.</source>
            <translation>输出位置“{folder}”是一个已有的文件，不是文件夹。请在{control}中选择文件夹。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="221" />
            <source>The output folder '{folder}' is in use by another run ({tool}, process {pid} on {host}, started {started}). Wait for it to finish or choose another folder with {control}. If no such run is going on any more, delete the file {lock} in that folder.</source>
            <translation>输出文件夹“{folder}”正被另一次运行使用（{tool}，主机 {host} 上的进程 {pid}，开始于 {started}）。请等它结束，或在{control}中选择其他文件夹。如果那次运行已不存在，请删除该文件夹中的文件 {lock}。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="87" />
            <source>The output folder '{folder}' is not writable ({reason}). Choose a folder you can write to with {control}.</source>
            <translation>输出文件夹“{folder}”不可写（{reason}）。请在{control}中选择一个可写的文件夹。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="225" />
            <source>The output folder '{folder}' was held by a run that is no longer running (process {pid}, started {started}); this run took it over.</source>
            <translation>输出文件夹“{folder}”曾被一次已不在运行的运行占用（进程 {pid}，开始于 {started}）；本次运行已接管。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="233" />
            <source>The run was cancelled: {count} booklet(s) were completed in '{folder}'; no partial file was left.</source>
            <translation>运行已取消：已在“{folder}”中完成 {count} 本手册；没有留下不完整的文件。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="230" />
            <source>The run was cancelled: {manifest} (status cancelled) lists the {count} file(s) that were finished.</source>
            <translation>运行已取消：{manifest}（状态 cancelled）列出了已完成的 {count} 个文件。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="74" />
            <source>The short grid code '{value}' names {count} grids in layer '{layer}': {grids}. Give the whole grid code, or choose the street office first.</source>
            <translation>短网格编码“{value}”在图层“{layer}”中对应 {count} 个网格：{grids}。请给出完整的网格编码，或先选择街道。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="77" />
            <source>Unknown component type(s): {unknown}. Known types: {known}.</source>
            <translation>未知的部件类型：{unknown}。已有的类型：{known}。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="107" />
            <source>Unknown or no file format(s) {formats}: choose one or more of {known} with {control}.</source>
            <translation>未知或未选择的文件格式 {formats}：请在{control}中选择 {known} 中的一种或多种。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="110" />
            <source>Unknown page size {value}: use 0 (A6) or 1 (A5) with {control}.</source>
            <translation>未知的页面大小 {value}：请在{control}中使用 0（A6）或 1（A5）。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="128" />
            <source>Unknown text encoding '{value}': use UTF-8 or GBK with {control}.</source>
            <translation>未知的文本编码“{value}”：请在{control}中使用 UTF-8 或 GBK。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="245" />
            <source>Unknown value '{value}' for {control}. Choose from: {known}.</source>
            <translation>{control}的值“{value}”无法识别。可选：{known}。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="250" />
            <source>Unknown value '{value}' for {control}. Did you mean: {close}? Choose from: {known}.</source>
            <translation>{control}的值“{value}”无法识别。您是否指：{close}？可选：{known}。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="312" />
            <source>address</source>
            <translation>地址</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="318" />
            <source>assigning components to grids</source>
            <translation>将部件落入网格</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="310" />
            <source>category</source>
            <translation>类别</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="327" />
            <source>checking the data</source>
            <translation>检查数据</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="308" />
            <source>committee code</source>
            <translation>社区编码</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="305" />
            <source>community committee name</source>
            <translation>社区居委会名称</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="313" />
            <source>component identifier (标识码)</source>
            <translation>部件标识码</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="314" />
            <source>component type name</source>
            <translation>部件名称</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="325" />
            <source>file names (characters or names Windows does not allow)</source>
            <translation>文件名（Windows 不允许的字符或名称）</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="301" />
            <source>grid code</source>
            <translation>网格编码</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="302" />
            <source>grid code (网格编码)</source>
            <translation>网格编码</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="309" />
            <source>identifier</source>
            <translation>标识码</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="311" />
            <source>name</source>
            <translation>名称</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="317" />
            <source>placing grids in their regions</source>
            <translation>将网格归入区域</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="316" />
            <source>reading components</source>
            <translation>读取部件</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="315" />
            <source>stored grid code (所在单元网格)</source>
            <translation>所在单元网格</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="306" />
            <source>street code</source>
            <translation>街道编码</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="303" />
            <source>street office name</source>
            <translation>街道办事处名称</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="304" />
            <source>supervisor area name</source>
            <translation>监督员责任区名称</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="307" />
            <source>supervisor code</source>
            <translation>责任区编码</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="323" />
            <source>text files (characters the encoding lacks)</source>
            <translation>文本文件（该编码没有的字符）</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="379" />
            <source>the {0} parameter</source>
            <translation>参数 {0}</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="320" />
            <source>undefined</source>
            <translation>未定义</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="300" />
            <source>unit grids</source>
            <translation>单元网格</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="321" />
            <source>xlsx files (characters XML cannot hold)</source>
            <translation>xlsx 文件（XML 无法容纳的字符）</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="104" />
            <source>{count} booklet(s) already exist in '{folder}': {files}. Choose another folder, delete them, or allow replacing them with {control}.</source>
            <translation>“{folder}”中已有 {count} 本手册：{files}。请选择其他文件夹、删除它们，或在{control}中允许替换。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="217" />
            <source>{count} component(s) lie in grids that belong to no {level} region; {summary} lists them in a separate row.</source>
            <translation>有 {count} 个部件所在的网格不属于任何{level}；{summary} 将它们单列一行。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="185" />
            <source>{count} component(s) lie inside two or more unit grids of layer '{layer}' (grids that overlap or are duplicated); each was counted once, in the grid with the smallest code. For example: {examples}. Fix the grid layer so that grids do not overlap.</source>
            <translation>有 {count} 个部件位于图层“{layer}”中两个或更多单元网格之内（网格重叠或重复）；每个只计一次，计入编码最小的网格。例如：{examples}。请修正网格图层，使网格互不重叠。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="242" />
            <source>{count} more value(s) were replaced; manifest.json lists every one under "replacements".</source>
            <translation>另有 {count} 个值被替换；manifest.json 的 "replacements" 列出了全部替换。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="190" />
            <source>{count} pair(s) of unit grids in layer '{layer}' overlap by more than {tolerance} of the smaller grid. For example: {examples}. Fix the grid layer so that grids do not overlap.</source>
            <translation>图层“{layer}”中有 {count} 对单元网格的重叠超过较小网格面积的 {tolerance}。例如：{examples}。请修正网格图层，使网格互不重叠。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="153" />
            <source>{count} record(s) have characters {encoding} cannot encode; they were written as '?': {examples}. Choose UTF-8 with {control} to keep them.</source>
            <translation>有 {count} 条记录含有 {encoding} 无法编码的字符，已写为“?”：{examples}。请在{control}中选择 UTF-8 以保留它们。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="212" />
            <source>{count} unit grid(s) lie in no region of layer '{layer}' (for example {examples}); they are listed as the {level} region {pseudo}, with their {components} component(s), so the totals of every level still add up.</source>
            <translation>有 {count} 个单元网格不在图层“{layer}”的任何区域内（例如 {examples}）；它们连同其中的 {components} 个部件列为{level}区域 {pseudo}，因此各级合计仍然相符。</translation>
        </message>
        <message>
            <location filename="../core/messages.py" line="238" />
            <source>{level} '{region}': the value '{value}' is written as '{became}' in {target}.</source>
            <translation>{level}“{region}”：值“{value}”在{target}中写为“{became}”。</translation>
        </message>
        <message>
            <source>Layer '{layer}' has no defined CRS. Set its CRS (Layer Properties &gt; Source) and run again.</source>
            <translation type="vanished">图层“{layer}”没有定义坐标参考系。请在“图层属性 &gt; 源”中设置坐标参考系后重新运行。</translation>
        </message>
        <message>
            <source>Writing .xlsx files needs the Python package openpyxl, which is not installed in QGIS's Python. Install it (Debian/Ubuntu: sudo apt install python3-openpyxl; Windows: in the OSGeo4W Shell run python -m pip install openpyxl; macOS: /Applications/QGIS.app/Contents/MacOS/bin/pip3 install openpyxl), or choose only txt/csv with {control}.</source>
            <translation type="vanished">写入 .xlsx 文件需要 Python 包 openpyxl，但 QGIS 的 Python 中没有安装。请安装（Debian/Ubuntu：sudo apt install python3-openpyxl；Windows：在 OSGeo4W Shell 中运行 python -m pip install openpyxl；macOS：/Applications/QGIS.app/Contents/MacOS/bin/pip3 install openpyxl），或在{control}中只选择 txt/csv。</translation>
        </message>
        <message>
            <source>openpyxl is not installed: {summary} is not written (txt/csv files are).</source>
            <translation type="vanished">未安装 openpyxl：不写 {summary}（txt/csv 文件照常写出）。</translation>
        </message>
    </context>
    <context>
        <name>CityComponentsPlugin</name>
        <message>
            <location filename="../plugin.py" line="89" />
            <source>City Components</source>
            <translation>城市部件</translation>
        </message>
        <message>
            <location filename="../plugin.py" line="91" />
            <source>City Components Statistics</source>
            <translation>城市部件档案统计</translation>
        </message>
        <message>
            <location filename="../plugin.py" line="94" />
            <source>Count and list city components by street, supervisor area, committee or grid</source>
            <translation>按街道、监督员责任区、社区居委会或单元网格统计并列出城市部件</translation>
        </message>
    </context>
    <context>
        <name>EditionPanel</name>
        <message>
            <location filename="../gui/edition_panel.py" line="103" />
            <source>+{0} new</source>
            <translation>新增 {0}</translation>
        </message>
        <message>
            <location filename="../gui/edition_panel.py" line="38" />
            <source>Previous edition</source>
            <translation>上一版本</translation>
        </message>
        <message>
            <location filename="../gui/edition_panel.py" line="41" />
            <source>The folder of an earlier batch export: the statistics then show what changed per type since then</source>
            <translation>一次较早的批量导出文件夹：统计结果随即显示此后每类部件的变更</translation>
        </message>
        <message>
            <location filename="../gui/edition_panel.py" line="73" />
            <source>not an edition</source>
            <translation>不是版本记录</translation>
        </message>
        <message>
            <location filename="../gui/edition_panel.py" line="104" />
            <source>{0} changed</source>
            <translation>变更 {0}</translation>
        </message>
        <message>
            <location filename="../gui/edition_panel.py" line="103" />
            <source>{0} moved</source>
            <translation>移位 {0}</translation>
        </message>
        <message>
            <location filename="../gui/edition_panel.py" line="76" />
            <source>{0}, {1} components</source>
            <translation>{0}，{1} 个部件</translation>
        </message>
        <message>
            <location filename="../gui/edition_panel.py" line="103" />
            <source>−{0} removed</source>
            <translation>删除 {0}</translation>
        </message>
    </context>
    <context>
        <name>GenerateSampleAlgorithm</name>
        <message>
            <location filename="../processing_provider/generate_sample_algorithm.py" line="134" />
            <source>Addresses</source>
            <translation>门址</translation>
        </message>
        <message>
            <location filename="../processing_provider/generate_sample_algorithm.py" line="151" />
            <source>Cannot create the folder {0}: {1}</source>
            <translation>无法创建文件夹 {0}：{1}</translation>
        </message>
        <message>
            <location filename="../processing_provider/generate_sample_algorithm.py" line="123" />
            <source>Change rate (next census)</source>
            <translation>变更比例（下一次普查）</translation>
        </message>
        <message>
            <location filename="../processing_provider/generate_sample_algorithm.py" line="132" />
            <source>City components</source>
            <translation>城市部件</translation>
        </message>
        <message>
            <location filename="../processing_provider/generate_sample_algorithm.py" line="134" />
            <source>Community committees</source>
            <translation>社区居委会</translation>
        </message>
        <message>
            <location filename="../processing_provider/generate_sample_algorithm.py" line="80" />
            <source>Generate sample district</source>
            <translation>生成样例城区</translation>
        </message>
        <message>
            <location filename="../processing_provider/generate_sample_algorithm.py" line="156" />
            <source>Generating {0} components (scale {1}, seed {2}) into {3}</source>
            <translation>正在生成 {0} 个部件（比例 {1}，种子 {2}）到 {3}</translation>
        </message>
        <message>
            <location filename="../processing_provider/generate_sample_algorithm.py" line="131" />
            <source>GeoPackage (*.gpkg)</source>
            <translation>GeoPackage (*.gpkg)</translation>
        </message>
        <message>
            <location filename="../processing_provider/generate_sample_algorithm.py" line="120" />
            <source>Next census of this sample (optional)</source>
            <translation>为此样例生成下一次普查（可选）</translation>
        </message>
        <message>
            <location filename="../processing_provider/generate_sample_algorithm.py" line="116" />
            <source>One point layer per component type</source>
            <translation>每种部件类型一个点图层</translation>
        </message>
        <message>
            <location filename="../processing_provider/generate_sample_algorithm.py" line="134" />
            <source>Planted issues (answer-key rows)</source>
            <translation>预置的数据问题（答案表）</translation>
        </message>
        <message>
            <location filename="../processing_provider/generate_sample_algorithm.py" line="134" />
            <source>Points of interest</source>
            <translation>兴趣点</translation>
        </message>
        <message>
            <location filename="../processing_provider/generate_sample_algorithm.py" line="117" />
            <source>Random seed</source>
            <translation>随机种子</translation>
        </message>
        <message>
            <location filename="../processing_provider/generate_sample_algorithm.py" line="134" />
            <source>Reference objects</source>
            <translation>参照物</translation>
        </message>
        <message>
            <location filename="../processing_provider/generate_sample_algorithm.py" line="126" />
            <source>Replace the file if it exists</source>
            <translation>文件已存在时替换</translation>
        </message>
        <message>
            <location filename="../processing_provider/generate_sample_algorithm.py" line="130" />
            <source>Sample GeoPackage</source>
            <translation>样例 GeoPackage</translation>
        </message>
        <message>
            <location filename="../processing_provider/generate_sample_algorithm.py" line="83" />
            <source>Sample data</source>
            <translation>样例数据</translation>
        </message>
        <message>
            <location filename="../processing_provider/generate_sample_algorithm.py" line="111" />
            <source>Scale (1 = Dongcheng, 168,339 components)</source>
            <translation>比例（1 = 东城区，168,339 个部件）</translation>
        </message>
        <message>
            <location filename="../processing_provider/generate_sample_algorithm.py" line="134" />
            <source>Street offices</source>
            <translation>街道办事处</translation>
        </message>
        <message>
            <location filename="../processing_provider/generate_sample_algorithm.py" line="135" />
            <source>Summary (JSON)</source>
            <translation>摘要（JSON）</translation>
        </message>
        <message>
            <location filename="../processing_provider/generate_sample_algorithm.py" line="134" />
            <source>Supervisor areas</source>
            <translation>监督员责任区</translation>
        </message>
        <message>
            <location filename="../processing_provider/generate_sample_algorithm.py" line="134" />
            <source>Unit grids</source>
            <translation>单元网格</translation>
        </message>
        <message>
            <location filename="../processing_provider/generate_sample_algorithm.py" line="89" />
            <source>Writes a realistic, deterministic sample of a digital urban-management district (old Beijing Dongcheng, as in the 2013 paper) to a GeoPackage: 10 street offices (街道办事处), 126 community committees (社区居委会), 92 supervisor areas (监督员责任区) and 1,593 irregular unit grids (单元网格) in EPSG:4548; 168,339 city components (城市部件) of 60 types and addresses, reference objects and POIs (门址, 参照物, 兴趣点) as points in EPSG:4490.

SCALE multiplies the number of points (0.1 = a tenth); above 1 the district is repeated side by side (district codes 110101, 110102, ...; names suffixed -2, -3, ...) for benchmarks. PER_TYPE_LAYERS writes one point layer per component type, named after the type, instead of one 城市部件 layer. The same SEED always gives the same data.

Dirty data is planted on purpose and listed in the table 样例数据问题 (the answer key for audits): upper-level boundaries digitized with 0.05-1 m offsets from the grid edges, components on grid edges and vertices, outside the district, with a stored grid code (所在单元网格) that disagrees with the location, null geometries, duplicate and malformed 标识码.

With PREVIOUS_SAMPLE (a sample GeoPackage made here), writes its next census instead: the same district a year on, where CHANGE_RATE of the components were removed, retired (部件状态 废弃/移除), moved, changed or added (SEED chooses which), with every change listed in the table 样例变更 (the answer key for citycomponents:compareeditions).

An existing file is not replaced unless OVERWRITE is checked.</source>
            <translation>将一个逼真且可复现的数字城管样例城区（与 2013 年论文相同的北京原东城区）写入 GeoPackage：EPSG:4548 下的 10 个街道办事处、126 个社区居委会、92 个监督员责任区和 1,593 个不规则单元网格；EPSG:4490 下 60 类共 168,339 个城市部件，以及门址、参照物、兴趣点等点数据。

SCALE 按比例调整点的数量（0.1 = 十分之一）；大于 1 时城区并排重复（区划代码 110101、110102……；名称加后缀 -2、-3……），供性能测试使用。PER_TYPE_LAYERS 为每种部件类型写一个以类型命名的点图层，而不是一个“城市部件”图层。相同的 SEED 总是生成相同的数据。

样例中有意预置了脏数据，并列在“样例数据问题”表中（供核查使用的答案）：上级区域边界与网格边界有 0.05-1 米的勾绘偏差，部件落在网格边和顶点上、落在城区之外、所在单元网格属性与位置不符，以及空几何、重复和格式错误的标识码。

给出 PREVIOUS_SAMPLE（此处生成的样例 GeoPackage）时，改为写出它的下一次普查：一年后的同一城区，按 CHANGE_RATE 的比例删除、报废（部件状态 废弃/移除）、移位、变更或新增部件（由 SEED 决定具体哪些），每项变更都列在“样例变更”表中（供 citycomponents:compareeditions 核对的答案）。

除非勾选 OVERWRITE，否则不替换已有文件。</translation>
        </message>
        <message>
            <location filename="../processing_provider/generate_sample_algorithm.py" line="182" />
            <source>Wrote the next census of {0} to {1}; changes: {2}</source>
            <translation>已将 {0} 的下一次普查写入 {1}；变更：{2}</translation>
        </message>
        <message>
            <location filename="../processing_provider/generate_sample_algorithm.py" line="166" />
            <source>Wrote {0} in {1} s; planted issues: {2}</source>
            <translation>已写出 {0}，用时 {1} 秒；预置问题：{2}</translation>
        </message>
        <message>
            <source>Writes a realistic, deterministic sample of a digital urban-management district (old Beijing Dongcheng, as in the 2013 paper) to a GeoPackage: 10 street offices (街道办事处), 126 community committees (社区居委会), 92 supervisor areas (监督员责任区) and 1,593 irregular unit grids (单元网格) in EPSG:4548; 168,339 city components (城市部件) of 60 types and addresses, reference objects and POIs (门址, 参照物, 兴趣点) as points in EPSG:4490.

SCALE multiplies the number of points (0.1 = a tenth); above 1 the district is repeated side by side (district codes 110101, 110102, ...; names suffixed -2, -3, ...) for benchmarks. PER_TYPE_LAYERS writes one point layer per component type, named after the type, instead of one 城市部件 layer. The same SEED always gives the same data.

Dirty data is planted on purpose and listed in the table 样例数据问题 (the answer key for audits): upper-level boundaries digitized with 0.05-1 m offsets from the grid edges, components on grid edges and vertices, outside the district, with a stored grid code (所在单元网格) that disagrees with the location, null geometries, duplicate and malformed 标识码.

An existing file is not replaced unless OVERWRITE is checked.</source>
            <translation type="vanished">将一个逼真且可复现的数字城管样例城区（与 2013 年论文相同的北京原东城区）写入 GeoPackage：EPSG:4548 下的 10 个街道办事处、126 个社区居委会、92 个监督员责任区和 1,593 个不规则单元网格；EPSG:4490 下 60 类共 168,339 个城市部件，以及门址、参照物、兴趣点等点数据。

SCALE 按比例调整点的数量（0.1 = 十分之一）；大于 1 时城区并排重复（区划代码 110101、110102……；名称加后缀 -2、-3……），供性能测试使用。PER_TYPE_LAYERS 为每种部件类型写一个以类型命名的点图层，而不是一个“城市部件”图层。相同的 SEED 总是生成相同的数据。

样例中有意预置了脏数据，并列在“样例数据问题”表中（供核查使用的答案）：上级区域边界与网格边界有 0.05-1 米的勾绘偏差，部件落在网格边和顶点上、落在城区之外、所在单元网格属性与位置不符，以及空几何、重复和格式错误的标识码。

除非勾选 OVERWRITE，否则不替换已有文件。</translation>
        </message>
    </context>
    <context>
        <name>StatisticsDialog</name>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>&amp;Addresses</source>
            <translation>地址查询(&amp;A)</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>&amp;Components</source>
            <translation>部件查询(&amp;C)</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>&amp;Count</source>
            <translation>统计(&amp;C)</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>&amp;Save result...</source>
            <translation>保存结果(&amp;S)……</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>All</source>
            <translation>全选</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Assign to grids</source>
            <translation>落入网格方式</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Batch</source>
            <translation>批量</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Check every type</source>
            <translation>勾选全部类型</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Check the point layers to count: one layer per type, or one layer with a type field</source>
            <translation>勾选要统计的点图层：每种类型一个图层，或一个带类型字段的图层</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Choose a street office, supervisor area, committee or grid.</source>
            <translation>请选择街道、监督员责任区、社区居委会或单元网格。</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Choose the layers and fields again from the layer names and field names of the project</source>
            <translation>根据工程中的图层名称和字段名称重新选择图层和字段</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Committee</source>
            <translation>社区居委会</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Committees</source>
            <translation>社区居委会</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Component types</source>
            <translation>部件类型</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Count addresses, reference objects and points of interest</source>
            <translation>统计门址、参照物和兴趣点</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Count and list the components of the chosen region and types</source>
            <translation>统计并列出所选区域和类型的部件</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Count city components (manhole covers, street lamps, trees...)</source>
            <translation>统计城市部件（井盖、路灯、行道树……）</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Detect layers and fields</source>
            <translation>自动识别图层和字段</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Export all regions</source>
            <translation>导出全部区域</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Export every region</source>
            <translation>逐区域导出</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Filter the list (code, name or grid); double-click a row to show it on the map</source>
            <translation>筛选列表（标识码、名称或网格）；双击一行可在地图上显示</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Filter types</source>
            <translation>筛选类型</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Folder</source>
            <translation>文件夹</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Formats</source>
            <translation>格式</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Identifier field</source>
            <translation>标识码字段</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Layer</source>
            <translation>图层</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Layers</source>
            <translation>图层</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Levels</source>
            <translation>层级</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Make booklets</source>
            <translation>生成手册</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Name or code field</source>
            <translation>名称或编码字段</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>None</source>
            <translation>全不选</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>None checked: a booklet for every supervisor area</source>
            <translation>不勾选：为每个监督员责任区生成手册</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Output</source>
            <translation>输出</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Page size</source>
            <translation>纸张大小</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Point layers to count</source>
            <translation>要统计的点图层</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Query</source>
            <translation>查询</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Query object</source>
            <translation>查询对象</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Region</source>
            <translation>区域</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Region layers</source>
            <translation>区域图层</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Replace existing files</source>
            <translation>替换已有文件</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Save the statistics and the list as Excel and text files</source>
            <translation>将统计表和明细表保存为 Excel 和文本文件</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Stored grid code field</source>
            <translation>所在单元网格字段</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Street office</source>
            <translation>街道</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Street offices</source>
            <translation>街道办事处</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Supervisor area</source>
            <translation>监督员责任区</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Supervisor areas</source>
            <translation>监督员责任区</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Supervisor booklets</source>
            <translation>监督员手册</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Text encoding</source>
            <translation>文本编码</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Type field</source>
            <translation>类型字段</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Uncheck every type</source>
            <translation>取消勾选全部类型</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Unit grid</source>
            <translation>单元网格</translation>
        </message>
        <message>
            <location filename="../ui/statistics_panel.ui" />
            <source>Unit grids</source>
            <translation>单元网格</translation>
        </message>
        <message>
            <source>City Components Statistics</source>
            <translation type="vanished">城市部件档案统计</translation>
        </message>
    </context>
</TS>
