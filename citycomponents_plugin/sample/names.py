"""Names and reference values for the sample district (old Beijing Dongcheng, about 2013).

Kept apart from the generator so the geometry code stays readable. The names are plausible, not an
official gazetteer: the street offices are the real ten of old Dongcheng, the committee and road
names are drawn from real places of each area, and a few are invented to reach the paper's counts.
"""

from __future__ import annotations


def _names(text: str) -> tuple[str, ...]:
    """Space-separated names (keeps the long Chinese lists readable and within the line length)."""
    return tuple(text.split())


# The ten street offices of old Dongcheng, in code order 110101001..010 (SPEC / domain README).
STREET_NAMES: tuple[str, ...] = ("东华门", "景山", "交道口", "安定门", "北新桥", "东四", "朝阳门", "建国门", "东直门",
                                 "和平里")

# Committees per street office (13+10+11+12+14+12+13+15+14+12 = 126). The list order is the order of
# the committees' 3-digit serials; the two big committees (split into two supervisor areas each) are
# last in their street, which puts them in the east / north-east of it.
COMMITTEE_NAMES: dict[str, tuple[str, ...]] = {
    "东华门": _names("多福巷 银闸 东厂 智德 南池子 灯市口 正义路 韶九 台基厂 霞公府 北河沿 翠花"
                  " 王府井"),
    "景山": _names("隆福寺 吉祥 黄化门 钟鼓 魏家 汪芝麻 景山东街 三眼井 嵩祝院 沙滩"),
    "交道口": _names("交东 福祥 大兴 府学 鼓楼苑 菊儿 南锣鼓巷 板厂 东不压桥 蓑衣 圆恩寺"),
    "安定门": _names("交北头条 北锣鼓巷 国子监 钟楼湾 宝钞南 五道营 分司厅 方家 箭厂 华丰 戏楼"
                  " 大经厂"),
    "北新桥": _names("九道湾 北新桥三条 民安 前永康 藏经馆 门楼 草园 北官厅 海运仓 东四北 新太仓"
                  " 青龙 雍和宫 香饵"),
    "东四": _names("东四 东四六条 东四七条 豆瓣 北宽 东四南 钱粮 本司 灯草 八条 十条 大取灯"),
    "朝阳门": _names("史家 内务 演乐 礼士 朝西 竹杆 大方家 新鲜 南竹杆 东堂子 干面 朝内南 小牌坊"),
    "建国门": _names("赵堂子 西总布 东总布 大雅宝 崇内 什方院 金宝街 外交部街 贡院 北京站 苏州胡同"
                  " 船板 建国门内 西裱褙 站东街"),
    "东直门": _names("新中街 清水苑 香河园 东外 北小街 东直门内 察慈 胡家园 十字坡 新中西里 东环"
                  " 东内北 南馆 瓷器库"),
    "和平里": _names("和平里北街 和平里东街 和平里中街 和平里西街 小黄庄 化工 青年湖 地坛 交林 民旺"
                  " 兴化 航星"),
}

# The two committees the paper names as too large for one supervisor; (street, name, split axis,
# names of the two halves: first = west / south half, second = east / north half).
SPLIT_COMMITTEES: tuple[tuple[str, str, str, tuple[str, str]], ...] = (
    ("东华门", "王府井", "x", ("王府井西", "王府井东")),
    ("建国门", "站东街", "y", ("站东街南", "站东街北")),
)

# Roads and hutongs per street office: addresses, reference objects and POIs use them.
ROADS: dict[str, tuple[str, ...]] = {
    "东华门": _names("王府井大街 东华门大街 南河沿大街 北河沿大街 东安门大街 灯市口大街 东厂胡同"
                  " 翠花胡同 多福巷 韶九胡同 台基厂大街 正义路 南池子大街 大甜水井胡同"),
    "景山": _names("景山东街 景山后街 沙滩北街 五四大街 嵩祝院北巷 吉祥胡同 大佛寺东街 魏家胡同"
                  " 汪芝麻胡同 黄化门街 三眼井胡同 美术馆后街"),
    "交道口": _names("交道口南大街 交道口东大街 南锣鼓巷 帽儿胡同 雨儿胡同 东棉花胡同 北兵马司胡同"
                  " 菊儿胡同 前圆恩寺胡同 后圆恩寺胡同 黑芝麻胡同 沙井胡同 板厂胡同 炒豆胡同 福祥胡同"
                  " 蓑衣胡同"),
    "安定门": _names("安定门内大街 国子监街 五道营胡同 箭厂胡同 北锣鼓巷 宝钞胡同 钟楼湾胡同 大经厂胡同"
                  " 小经厂胡同 方家胡同 分司厅胡同 交道口北头条 净土胡同"),
    "北新桥": _names("雍和宫大街 东四北大街 北新桥三条 九道湾胡同 藏经馆胡同 前永康胡同 后永康胡同"
                  " 香饵胡同 门楼胡同 草园胡同 北官厅胡同 海运仓胡同 新太仓胡同"),
    "东四": _names("东四北大街 东四南大街 东四头条 东四三条 东四四条 东四六条 东四七条 东四八条"
                  " 东四十条 钱粮胡同 本司胡同 灯草胡同 隆福寺街 豆瓣胡同"),
    "朝阳门": _names("朝阳门内大街 朝阳门北小街 朝阳门南小街 史家胡同 内务部街 演乐胡同 礼士胡同"
                  " 干面胡同 东堂子胡同 新鲜胡同 竹竿胡同 大方家胡同"),
    "建国门": _names("建国门内大街 北京站街 崇文门内大街 东单北大街 西总布胡同 东总布胡同 大雅宝胡同"
                  " 小雅宝胡同 赵堂子胡同 外交部街 贡院西街 金宝街 苏州胡同 船板胡同 站东街"),
    "东直门": _names("东直门内大街 东直门北小街 东直门南小街 新中街 香河园路 东直门外斜街 察慈胡同"
                  " 胡家园 十字坡街 瓷器库南巷 南馆胡同 东中街"),
    "和平里": _names("和平里东街 和平里西街 和平里中街 和平里北街 和平里南街 安定门外大街 青年湖南街"
                  " 小黄庄路 地坛北里 民旺胡同 兴化路 樱花西街"),
}

SURNAMES: tuple[str, ...] = ("王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡",
                             "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹")
GIVEN_NAMES: tuple[str, ...] = ("建国", "志强", "秀英", "丽华", "海燕", "立新", "红梅", "军", "伟", "静", "磊", "洋",
                                "艳", "勇", "杰", "娟", "涛", "明", "超", "霞", "平", "刚", "桂英", "玉兰", "建华",
                                "文", "斌", "宇", "浩", "凯", "秀兰", "国强", "淑珍", "建军", "晓东", "春生")

# Component types of the sample (60 of the CSV's subclasses, by `name`) with a relative frequency and
# a spatial theme that shapes where they are (see sample_district._grid_weights).
COMPONENT_TYPES: tuple[tuple[str, float, str], ...] = (
    ("上水井盖", 15000, "uniform"), ("污水井盖", 14000, "uniform"),
    ("雨水井盖", 6000, "road"), ("雨水箅子", 13000, "road"), ("电力井盖", 8000, "uniform"),
    ("路灯井盖", 3500, "road"), ("通讯井盖", 9000, "uniform"),
    ("电视井盖", 2500, "uniform"), ("网络井盖", 1500, "commercial"),
    ("热力井盖", 3000, "uniform"), ("燃气井盖", 4500, "hutong"), ("公安井盖", 1200, "road"),
    ("消防设施", 2200, "uniform"), ("无主井盖", 2000, "hutong"),
    ("通讯交接箱", 1500, "uniform"), ("电力设施", 2500, "uniform"), ("立杆", 6000, "road"),
    ("路灯", 16000, "road"), ("地灯", 800, "commercial"),
    ("景观灯", 1500, "commercial"), ("报刊亭", 250, "commercial"),
    ("电话亭", 600, "road"), ("邮筒", 200, "road"), ("信息亭", 80, "commercial"),
    ("自动售货机", 150, "commercial"), ("健身设施", 900, "residential"),
    ("中水井盖", 600, "residential"), ("变压器(箱)", 700, "uniform"),
    ("燃气调压站(箱)", 150, "residential"), ("监控电子眼", 1200, "road"),
    ("售货亭", 120, "commercial"), ("治安岗亭", 60, "road"),
    ("停车场", 300, "commercial"), ("停车咪表", 400, "commercial"),
    ("公交站亭", 350, "road"), ("出租车站牌", 80, "commercial"), ("过街天桥", 20, "road"),
    ("地下通道", 25, "road"), ("交通标志牌", 4500, "road"), ("交通信号灯", 600, "road"),
    ("交通护栏", 3500, "road"), ("存车支架", 1500, "road"), ("路名牌", 1800, "road"),
    ("交通岗亭", 50, "road"), ("公共厕所", 700, "hutong"), ("化粪池", 500, "hutong"),
    ("公厕指示牌", 600, "hutong"), ("垃圾间(楼)", 200, "residential"),
    ("垃圾箱", 7000, "road"), ("灯箱霓虹灯", 1500, "commercial"),
    ("广告牌匾", 6000, "commercial"), ("古树名木", 900, "heritage"),
    ("行道树", 22000, "road"), ("护树设施", 5000, "road"),
    ("花架花钵", 1500, "commercial"), ("绿地", 800, "residential"),
    ("雕塑", 100, "commercial"), ("街头坐椅", 1200, "residential"),
    ("宣传栏", 900, "residential"), ("工地", 40, "uniform"),
)

# (主管部门, 权属单位 choices, 养护单位) by type name; "{street}" is replaced by the street office.
_WATER = ("北京市水务局", ("北京城市排水集团有限责任公司",), "北京城市排水集团东城管网分公司")
_POWER = ("北京市城市管理委员会", ("国网北京市电力公司",), "国网北京城区供电公司")
_LIGHT = ("东城区城市管理委员会", ("北京市城市照明管理中心", "东城区城市管理委员会"), "东城区路灯管理所")
_TELECOM = ("北京市通信管理局", ("中国联通北京市分公司", "中国电信北京分公司", "中国移动北京公司"), "{owner}")
_POLICE = ("北京市公安局东城分局", ("北京市公安局东城分局",), "北京市公安局东城分局")
_TRAFFIC = ("北京市公安局公安交通管理局", ("东城交通支队",), "北京市交通设施管理所")
_SANITATION = ("东城区城市管理委员会", ("东城区环境卫生服务中心",), "东城区环境卫生服务中心")
_GREEN = ("东城区园林绿化局", ("东城区园林绿化局",), "东城区园林绿化服务中心")
_SHOP = ("东城区城市管理委员会", ("沿街商户", "东城区商务委员会"), "{owner}")
_STREET = ("{street}街道办事处", ("{street}街道办事处",), "{street}街道办事处")
DEPARTMENTS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "上水井盖": ("北京市水务局", ("北京市自来水集团有限责任公司",), "北京市自来水集团东城分公司"),
    "污水井盖": _WATER, "雨水井盖": _WATER, "雨水箅子": _WATER, "中水井盖": _WATER,
    "电力井盖": _POWER, "电力设施": _POWER, "变压器(箱)": _POWER, "立杆": _POWER,
    "路灯井盖": _LIGHT, "路灯": _LIGHT, "地灯": _LIGHT, "景观灯": _LIGHT,
    "通讯井盖": _TELECOM, "网络井盖": _TELECOM, "通讯交接箱": _TELECOM, "电话亭": _TELECOM,
    "电视井盖": ("北京市广播电视局", ("北京歌华有线电视网络股份有限公司",), "歌华有线东城分公司"),
    "热力井盖": ("北京市城市管理委员会", ("北京市热力集团有限责任公司",), "北京市热力集团东城分公司"),
    "燃气井盖": ("北京市城市管理委员会", ("北京市燃气集团有限责任公司",), "北京市燃气集团第一分公司"),
    "燃气调压站(箱)": ("北京市城市管理委员会", ("北京市燃气集团有限责任公司",), "北京市燃气集团第一分公司"),
    "公安井盖": _POLICE, "监控电子眼": _POLICE, "治安岗亭": _POLICE,
    "消防设施": ("北京市公安局消防局", ("东城区消防支队",), "东城区消防支队"),
    "无主井盖": ("东城区城市管理委员会", ("权属不明",), "东城区城市管理委员会"),
    "报刊亭": ("东城区城市管理委员会", ("北京市报刊零售公司",), "北京市报刊零售公司"),
    "邮筒": ("北京市邮政管理局", ("中国邮政集团公司北京市分公司",), "东城区邮政局"),
    "信息亭": _SHOP, "自动售货机": _SHOP, "售货亭": _SHOP, "灯箱霓虹灯": _SHOP, "广告牌匾": _SHOP,
    "健身设施": ("东城区体育局", ("东城区体育局",), "{street}街道办事处"),
    "停车场": ("东城区交通委员会", ("北京静态交通投资运营有限公司", "东城区停车管理中心"), "{owner}"),
    "停车咪表": ("东城区交通委员会", ("东城区停车管理中心",), "东城区停车管理中心"),
    "公交站亭": ("北京市交通委员会", ("北京公共交通控股(集团)有限公司",), "北京公交集团站务中心"),
    "出租车站牌": ("北京市交通委员会", ("北京市出租汽车管理局",), "北京市出租汽车管理局"),
    "过街天桥": ("北京市交通委员会", ("北京市市政市容管理委员会",), "北京市市政路桥管理养护集团"),
    "地下通道": ("北京市交通委员会", ("北京市市政市容管理委员会",), "北京市市政路桥管理养护集团"),
    "交通标志牌": _TRAFFIC, "交通信号灯": _TRAFFIC, "交通护栏": _TRAFFIC, "路名牌": _TRAFFIC, "交通岗亭": _TRAFFIC,
    "存车支架": ("东城区城市管理委员会", ("{street}街道办事处",), "{street}街道办事处"),
    "公共厕所": _SANITATION, "化粪池": _SANITATION, "公厕指示牌": _SANITATION, "垃圾间(楼)": _SANITATION,
    "垃圾箱": _SANITATION,
    "古树名木": ("东城区园林绿化局", ("东城区园林绿化局", "故宫博物院", "国子监管理处"), "东城区园林绿化局"),
    "行道树": _GREEN, "护树设施": _GREEN, "花架花钵": _GREEN, "绿地": _GREEN, "雕塑": _GREEN,
    "街头坐椅": _GREEN, "宣传栏": _STREET,
    "工地": ("东城区住房和城乡建设委员会", ("建设单位",), "施工单位"),
}

REFERENCE_KINDS: tuple[tuple[str, str], ...] = (  # (类别, name pattern)
    ("路口", "{road}与{road2}交叉口"), ("公交站", "{road}公交站"), ("地铁出入口", "{place}地铁站{gate}口"),
    ("桥梁", "{road}过街天桥"), ("大厦", "{place}大厦"), ("学校", "{place}小学"), ("公园", "{place}公园"),
    ("文物古迹", "{place}遗址"), ("医院", "{place}社区卫生服务站"), ("牌楼", "{road}牌楼"),
)
POI_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (  # (类别, brands)
    ("餐饮", _names("庆丰包子铺 护国寺小吃 东来顺饭庄 全聚德烤鸭店 金鼎轩 吉野家 肯德基 麦当劳"
                  " 嘉和一品 四季民福烤鸭店 姚记炒肝店 老北京炸酱面馆")),
    ("银行", _names("中国工商银行 中国银行 中国建设银行 中国农业银行 交通银行 北京银行 招商银行 中国邮政储蓄银行")),
    ("医院", _names("社区卫生服务站 中医门诊部 口腔诊所 社区卫生服务中心")),
    ("药店", _names("同仁堂药店 金象大药房 嘉事堂药店 永安堂药店")),
    ("超市", _names("物美超市 京客隆超市 华联超市 超市发")),
    ("便利店", _names("好邻居便利店 快客便利店 7-ELEVEn便利店 全时便利店")),
    ("宾馆", _names("如家酒店 汉庭酒店 7天连锁酒店 锦江之星 四合院宾馆")),
    ("学校", _names("小学 中学 幼儿园")),
    ("政府机关", _names("街道办事处 派出所 工商所 税务所")),
    ("邮局", _names("邮政支局 邮政所")),
    ("写字楼", _names("商务中心 大厦 写字楼")),
)
