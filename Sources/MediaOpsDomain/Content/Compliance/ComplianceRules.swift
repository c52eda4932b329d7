import Foundation

// The built-in rule table. Patterns run over normalised visible text: Latin is
// lower-case and half-width, and ！？，；：％ appear as ASCII. Each rule matches a
// claim in context rather than a bare character, so 最近, 第一次, 唯一的办法 …
// stay quiet. Sources: 广告法 第九条、第十六条、第十七条、第二十五条、第五十七条;
// 市场监管总局《广告绝对化用语执法指南》(2023 年第 6 号公告).
//
// Deliberate choices:
// - 国家级 + an official designation (自然保护区, 非物质文化遗产, 高新技术企业, …奖)
//   is a verifiable fact, not a claim, and is not reported; 国家级 elsewhere blocks.
//   Likewise 最大/最高 + a geographic or official noun (中国最大的淡水湖, 最高人民法院).
// - Warn only: 极致, 独家, 首发, 首创/独创, 领先 (with a scope or object: 行业领先,
//   领先的技术 — bare 领先 as in 比分领先 is silent), 顶尖/尖端, 终极, 至尊, 极品,
//   完美/巅峰 + quality nouns, 永久, 万能, 首选 (blocking when scoped: 行业首选),
//   销冠, XX之王, 我用过最X的 (first-person superlatives), 前所未有/史无前例 +
//   benefit nouns, weight-loss guarantees, all superstition and diversion (diversion
//   blocks on the platforms that punish it; WeChat pointers are silent on WeChat).
// - Property appreciation promises (升值潜力) are financial guarantees with article
//   广告法第二十六条.
// - Education guarantees (保过, 通过率100%) are reported as absolute terms with
//   article 广告法第二十四条, as the category list has no education entry.
// - Reported speech and real questions are not claims: 号称/据说/所谓 before a match,
//   or a sentence ending in ？ with 哪/什么/谁/吗 (世界第一的产区在哪里？).
// - Not reported at all: 最新, 最近, 最后, 最多/最少, 最爱, 最美, 最快, 最早, 卓越,
//   极佳, 绝版, 珍稀, 星级/5A (official ratings), 百万级/千万级 (quantities),
//   100%纯棉 (composition), 全场最低 N 折 (a range floor), 无效退款 (a money-back
//   promise; only the medical-ad ban on efficacy guarantees would catch it), 增强免疫力 (an approved health-food
//   function), 防脱发 (a registered special cosmetic claim), 央视/CCTV 推荐 (not a
//   state organ in law; a person has to check whether it is true), images of the
//   national flag (text only is checked).

private func alt(_ items: [String]) -> String {
    "(?:" + items.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }.joined(separator: "|") + ")"
}

/// One character that stays inside a clause.
private let inClause = #"[^,.。!?;:\n、]"#

// Scopes that turn a superlative into a market claim.
private let scopeMarket = ["全网", "史上", "行业", "业内", "业界", "同类", "同类产品", "同价位", "同级别", "同级", "市面上", "品类", "类目", "全平台", "全渠道", "国货", "网红"]
private let scopeGeo = ["全国", "全球", "全世界", "世界", "中国", "国内", "亚洲", "全省", "全市", "全城", "宇宙", "全宇宙", "地表", "地球上", "全亚洲", "全县", "全区", "全镇", "全村", "全街", "整条街", "方圆百里"]

// Evaluative adjectives after 最 in a scoped claim (全网最低价, 国内最专业).
private let evaluative = [
    "好", "佳", "优质", "优秀", "优", "低价", "低", "便宜", "划算", "实惠", "强", "全", "火", "红", "热销", "畅销",
    "受欢迎", "专业", "权威", "正宗", "好用", "好吃", "好喝", "舒适", "舒服", "安全", "耐用", "先进", "牛",
    "值", "省", "新鲜", "高端", "顶级", "火爆", "靠谱", "有效", "健康", "纯正", "地道", "时尚", "流行", "受好评", "低廉",
]
// Nouns that make 最大/最高/最长 a geographic or natural fact (中国最大的淡水湖).
private let geography = ["湖", "岛", "沙漠", "河", "江", "海", "山", "峰", "平原", "盆地", "瀑布", "城市", "港口", "冰川", "峡谷", "草原", "森林", "火山", "湿地", "高原", "洞穴", "古城", "宫殿", "佛像", "水库", "半岛", "群岛", "楼", "塔", "大厦", "建筑", "桥", "隧道", "摩天轮", "雕像", "法院", "检察院", "气温", "温度", "海拔", "学历", "荣誉", "奖项", "级别", "规格", "权力", "机构", "纪录", "峰值", "降雨量", "降水量", "水位"]
// Classifiers and ordinal nouns after 第一 that make it "the first X", not a ranking.
private let ordinalFollowers = "(?![0-9]|[次届批期季轮阶段章节课回天步代个位座所例部条年名艘架辆台颗枚家款只件项本首份场集幕]|时间|时刻|产业|线)"

// Sentence markers for medical rules.
private let productStrong = ["本品", "本产品", "这款", "此款", "该款", "这盏", "这台", "这支", "这瓶", "这盒", "这套", "这件", "我们的", "我家", "下单", "购买", "入手", "拍下", "直播间", "链接", "包邮", "秘方", "疗程", "一盒", "一瓶", "只需", "限时", "特价", "旗舰店", "店铺", "到手价", "¥", "元/", "宝宝们", "姐妹们", "家人们", "代理"]
private let productWeak = ["喝", "吃", "服用", "涂", "抹", "使用", "用了", "用完", "用过", "用后", "胶囊", "口服液", "冲剂", "软糖", "含片", "神器", "坚持", "一杯", "一包", "配方", "茶", "精油", "面膜", "膏", "贴", "汤", "冲泡", "每天", "每日", "天然", "产品", "偏方", "药酒", "方子", "药方", "万能方", "足浴", "泡脚", "按摩", "理疗"]
private let newsMarkers = ["研究", "临床", "试验", "医生", "医师", "专家", "医院", "患者", "据", "报道", "指南", "卫健委", "药监局", "获批", "科学家", "论文", "新药", "记者", "发布会", "疾控", "世卫", "科普", "调查", "数据显示", "接受治疗"]
private let medicalDisclaimers = ["不能代替", "不能替代", "不可代替", "不可替代", "不得代替", "代替药物", "替代药物", "不具有", "不能治疗", "并非药品", "非药品", "不是药", "不具备", "不能用于治疗"]
private let diseases = [
    "糖尿病", "高血压", "高血脂", "高血糖", "三高", "癌症", "癌细胞", "肿瘤", "癌", "失眠", "便秘", "湿疹", "关节炎", "颈椎病", "腰椎病",
    "胃炎", "胃病", "胃溃疡", "鼻炎", "咽炎", "近视", "抑郁症", "焦虑症", "哮喘", "痛风", "白癜风", "牛皮癣", "银屑病", "痔疮",
    "前列腺炎", "前列腺", "肝病", "脂肪肝", "乙肝", "冠心病", "心脏病", "心脑血管疾病", "中风", "脑梗", "痤疮", "妇科病", "妇科炎症",
    "不孕不育", "不孕", "阳痿", "骨质疏松", "贫血", "感冒", "肺炎", "炎症", "甲亢", "结石", "风湿", "老年痴呆", "阿尔茨海默",
    "帕金森", "疾病", "慢性病", "口腔溃疡", "脚气", "灰指甲", "皮炎", "荨麻疹", "疱疹", "偏头痛", "痘痘", "青春痘", "粉刺", "暗疮", "肾虚", "肾炎", "痛经", "静脉曲张", "黄褐斑", "老年斑", "腰椎间盘突出", "肩周炎", "手脚冰凉", "腰痛", "腰疼",
]

// Sentence markers for finance rules.
private let financeMarkers = ["投资", "理财", "收益", "回报", "本金", "利息", "年化", "基金", "股票", "股市", "加盟", "项目", "资金", "入股", "分红", "币", "存款", "保险", "资产", "期货", "黄金", "房产", "楼盘", "商铺", "铺位", "赚钱", "收入", "盈利", "利润"]
private let scamWarnings = ["骗局", "陷阱", "诈骗", "骗子", "警惕", "谨防", "套路", "非法集资", "传销", "警方", "公安", "提醒", "识破", "揭秘", "防范", "上当"]
private let incomeMarkers = ["加盟", "代理", "投资", "入股", "项目", "招商", "合伙", "兼职", "宝妈", "在家", "躺", "轻松", "零基础", "副业", "名额", "开店", "手机就能", "动动手指"]

enum BuiltinComplianceRules {
    // MARK: ComplianceAdvice

    static let absPenalty = "违反广告法第九条第三项的，依第五十七条可处二十万元以上一百万元以下罚款。"
    static let absPenaltyEn = "Under Article 57 the fine for breaching Article 9(3) is 200,000 to 1,000,000 yuan."

    static let superlative = ComplianceAdvice(
        zh: "“最……”属于绝对化用语（广告法第九条第三项）。请改为客观、可证实的描述，如“深受用户喜爱”“回购率高”。" + absPenalty,
        en: "Superlatives like 'the best' are absolute terms banned by Advertising Law Art. 9(3). Use an objective, verifiable description such as 'loved by many users' instead. " + absPenaltyEn)
    static let lowestPrice = ComplianceAdvice(
        zh: "“最低价”“史上最低”属于绝对化用语（广告法第九条第三项），也难以证实。请直接写明具体价格和活动期限，如“限时特价 99 元”。" + absPenalty,
        en: "'Lowest price ever' is an absolute term under Art. 9(3) and hard to prove. State the actual price and the offer period, e.g. 'special price 99 yuan until Friday'. " + absPenaltyEn)
    static let ranking = ComplianceAdvice(
        zh: "“第一”“NO.1”“TOP1”等排名用语属于绝对化用语（广告法第九条第三项）。如确有排名，请写明数据来源、统计范围和时间，例如“据某机构 2024 年统计，某品类销量位居前列”；无法证实的请删除。" + absPenalty,
        en: "Rankings such as 'No. 1' or 'TOP1' are absolute terms under Art. 9(3). If a ranking is real, name the source, scope and period; otherwise remove it. " + absPenaltyEn)
    static let unique = ComplianceAdvice(
        zh: "“唯一”“独一无二”等排他性表述属于绝对化用语（广告法第九条第三项）。请改为“特色”“专属设计”等描述，或写明可核实的授权信息。" + absPenalty,
        en: "Exclusive claims like 'the only' or 'one of a kind' are absolute terms under Art. 9(3). Say 'distinctive' or 'specially designed', or cite a verifiable licence. " + absPenaltyEn)
    static let level = ComplianceAdvice(
        zh: "“国家级”“世界级”等级别用语是广告法第九条第三项明文禁止的。如产品确有资质或奖项，请写明颁发机构、名称和年份，不要用级别来概括。" + absPenalty,
        en: "'National-level' or 'world-class' is expressly banned by Art. 9(3). If the product holds a real certificate or award, name the issuer, title and year instead. " + absPenaltyEn)
    static let topGrade = ComplianceAdvice(
        zh: "“顶级”“最高级”等用语属于绝对化用语（广告法第九条第三项）。请改为具体说明原料、工艺或参数，如“选用新疆长绒棉”。" + absPenalty,
        en: "'Top-grade' and similar are absolute terms under Art. 9(3). Describe the material, process or specification instead. " + absPenaltyEn)
    static let absoluteEffect = ComplianceAdvice(
        zh: "“绝对”“100%有效”等保证性说法属于绝对化用语（广告法第九条第三项），效果因人而异。请删除保证，改为有数据支撑的说法，如“经 30 人 28 天试用，多数人反馈……”。" + absPenalty,
        en: "'Absolutely' or '100% effective' are absolute guarantees under Art. 9(3); results vary. Drop the guarantee and give evidence-backed wording instead. " + absPenaltyEn)
    static let peerless = ComplianceAdvice(
        zh: "“无与伦比”“无人能及”等用语与“最佳”同义，属于绝对化用语（广告法第九条第三项）。请删除，改为描述产品的具体特点。" + absPenalty,
        en: "'Unrivalled' or 'unmatched' mean the same as 'best' and are absolute terms under Art. 9(3). Describe concrete features instead. " + absPenaltyEn)
    static let firstChoice = ComplianceAdvice(
        zh: "“首选”暗示优于其他所有同类产品，执法中常被认定为绝对化用语（广告法第九条第三项）。建议改为“值得考虑”“送礼佳品”等。",
        en: "'First choice' implies being better than every alternative and is often treated as an absolute term (Art. 9(3)). Prefer 'worth considering' or 'a good gift'.")
    static let exclusive = ComplianceAdvice(
        zh: "“独家”“首发”“首创”只有在能证明时才可使用（广告法第九条第三项、第四条）。请保留证明材料（授权书、首发记录），或改为“新品上市”“特别推出”。",
        en: "'Exclusive', 'first release' or 'pioneered' may be used only when provable (Art. 9(3), Art. 4). Keep the evidence (licence, launch record) or say 'new arrival' instead.")
    static let leading = ComplianceAdvice(
        zh: "“领先”“遥遥领先”缺少比较对象和依据时容易被认定为绝对化或虚假用语。请写明比较范围和数据来源，或改为描述具体的技术参数。",
        en: "'Leading' without a stated comparison and evidence is easily judged absolute or misleading. Give the comparison and source, or describe the actual specification.")
    static let hype = ComplianceAdvice(
        zh: "“极致”“顶尖”“终极”“完美”等夸张用语在执法中常被视为“最佳”的近义词（广告法第九条第三项）。建议改为“用心打造”“精致体验”等更克制的说法。",
        en: "Hype words like 'ultimate', 'top-notch' or 'perfect' are often read as synonyms of 'best' (Art. 9(3)). Prefer restrained wording such as 'carefully made'.")
    static let forever = ComplianceAdvice(
        zh: "“永久”“万能”属于无法兑现的绝对化承诺（广告法第九条第三项）。请写明具体期限或适用范围，如“质保 3 年”“适用于大多数家用场景”。",
        en: "'Forever' or 'works for everything' are absolute promises that cannot be kept (Art. 9(3)). State the actual period or scope, e.g. '3-year warranty'.")
    static let examGuarantee = ComplianceAdvice(
        zh: "教育、培训广告不得对升学、通过考试、取得证书或培训效果作出明示或暗示的保证性承诺（广告法第二十四条）。请删除“保过”“通过率100%”等表述，可如实介绍课程内容和师资。",
        en: "Education and training ads may not promise, openly or by implication, admission, passing an exam, a certificate or a learning result (Advertising Law Art. 24). Remove 'guaranteed pass' or '100% pass rate' and describe the course and teachers instead.")
    static let medical16 = ComplianceAdvice(
        zh: "医疗、药品、医疗器械广告不得对功效、安全性作断言或保证，不得说明治愈率或有效率（广告法第十六条）；其他商品更不能这样说。请删除，并以审查批准的广告内容为准。",
        en: "Medical, drug and device ads may not assert or guarantee efficacy or safety, nor state cure or success rates (Advertising Law Art. 16); other products even less so. Remove it and use only approved ad wording.")
    static let medical17 = ComplianceAdvice(
        zh: "除医疗、药品、医疗器械广告外，广告不得涉及疾病治疗功能，也不得使用医疗用语或易与药品混淆的用语（广告法第十七条）。请删除疾病名称和治疗说法，只描述成分、口感或使用感受。",
        en: "Outside medical, drug and device ads, advertising may not mention treating diseases or use medical terms (Advertising Law Art. 17). Remove disease names and treatment claims; describe ingredients, taste or feel instead.")
    static let weightLoss = ComplianceAdvice(
        zh: "“不反弹”“月瘦 10 斤”等是对效果的保证，普通食品和服务不能这样宣传（广告法第十七条、第四条）。请删除保证，改为“搭配运动和均衡饮食”等说明。",
        en: "'No rebound' or 'lose 5 kg a month' guarantee an effect that ordinary foods and services may not claim (Art. 17, Art. 4). Remove the guarantee and describe the product plainly.")
    static let finance = ComplianceAdvice(
        zh: "有投资回报预期的广告不得对收益作保证性承诺，不得明示或暗示保本、无风险或保收益（广告法第二十五条），并应当提示风险。请删除，并加上“投资有风险，过往业绩不代表未来表现”。",
        en: "Ads for anything with an expected investment return may not promise returns or state or imply capital protection or no risk (Advertising Law Art. 25), and must warn of risk. Remove it and add 'Investing involves risk; past performance does not guarantee future results'.")
    static let income = ComplianceAdvice(
        zh: "招商、加盟、兼职类广告承诺“月入过万”“日赚 500”属于对收益的保证性承诺（广告法第二十五条）。请删除具体收益承诺，如实说明经营风险。",
        en: "Promising 'over 10,000 a month' in franchise or side-job ads is a guaranteed-return claim (Art. 25). Remove the income promise and state the business risks honestly.")
    static let property = ComplianceAdvice(
        zh: "房地产广告不得含有升值或者投资回报的承诺（广告法第二十六条）。请删除“升值潜力大”等说法，改为如实介绍户型、配套和交付时间。",
        en: "Property ads may not promise appreciation or investment returns (Advertising Law Art. 26). Remove 'great appreciation potential' and describe the layout, amenities and handover date instead.")
    static let authority = ComplianceAdvice(
        zh: "广告不得使用或变相使用国家机关、国家机关工作人员的名义或形象（广告法第九条第二项）。“特供”“某机关指定”“领导人同款”等请删除。",
        en: "Ads may not use, directly or indirectly, the name or image of state organs or their staff (Advertising Law Art. 9(2)). Remove 'special supply', 'designated by …' or 'as used by leaders'.")
    static let nationalSymbol = ComplianceAdvice(
        zh: "广告不得使用或变相使用国旗、国歌、国徽，军旗、军歌、军徽（广告法第九条第一项）。请删除相关图案和表述。",
        en: "Ads may not use the national flag, anthem or emblem, or military flags, songs or emblems (Advertising Law Art. 9(1)). Remove them.")
    static let superstition = ComplianceAdvice(
        zh: "广告不得含有迷信内容（广告法第九条第八项）。“转运”“招财”“开光”等请删除，可改为描述材质、寓意或工艺，如“寓意吉祥的传统纹样”。",
        en: "Ads may not contain superstitious content (Advertising Law Art. 9(8)). Remove 'luck-changing', 'wealth-attracting' or 'consecrated'; describe material, craft or traditional meaning instead.")
    static let diversion = ComplianceAdvice(
        zh: "在站内内容里留微信号、手机号、群二维码属于站外导流，违反多数平台的社区规范，可能被限流、删帖或封号。请改用平台提供的私信、粉丝群或店铺功能。",
        en: "Leaving WeChat IDs, phone numbers or group QR codes in a post is off-platform traffic diversion; most platforms' community rules forbid it and may throttle, delete or ban. Use the platform's own messages, fan groups or shop features.")

    // MARK: Table

    static let all: [ComplianceRuleSpec] = [absoluteRules, medicalRules, financialRules, authorityRules, superstitionRules, diversionRules].flatMap { $0 }

    static let absoluteRules: [ComplianceRuleSpec] = {
        let art = "广告法第九条第三项"
        func rule(_ id: String, _ pattern: String, _ advice: ComplianceAdvice, _ severity: ComplianceSeverity = .block, gate: ComplianceContextGate = .none) -> ComplianceRuleSpec {
            ComplianceRuleSpec(id: "abs." + id, category: .absoluteTerm, article: art, severity: severity, pattern: pattern, advice: advice, gate: gate)
        }
        let scopes = alt(scopeMarket + scopeGeo)
        return [
            // 全网最低价, 国内最专业, 史上最强 (最大/最高/最长 handled below).
            rule("scoped_superlative", scopes + "(?:中|里|上|内)?(?:的)?最" + alt(evaluative), superlative),
            // Any other quality after a scope (全球最薄, 全市最嫩, 全宇宙最可爱): a scope
            // turns 最 into a market claim unless a geographic or record noun follows.
            rule("scoped_any", scopes + "(?:中|里|上|内)?(?:的)?最(?!" + alt(["大", "高", "长", "多", "少", "早", "晚", "后", "近", "新", "先", "低气温", "冷", "热", "深", "远", "小", "美"]) + ")" + inClause + "{1,3}?(?=的|[,.!~。！]|$|" + inClause + ")(?!的?" + inClause + "{0,3}" + alt(geography) + ")", superlative),
            rule("scoped_biggest", scopes + "(?:中|里|上|内)?(?:的)?最(?:大|高)(?!的?" + inClause + "{0,3}" + alt(geography) + ")", superlative),
            // 最好的面膜, not 最好的办法是 / 你最好提前预约.
            rule("best_attributive", "最好(?=的)(?!的" + alt(["办法", "方法", "出路", "朋友", "伙伴", "时光", "时候", "时机", "时代", "年纪", "年华", "年龄", "安排", "结果", "答案", "例子", "证明", "回忆", "纪念", "状态", "自己", "我们", "祝福", "陪伴", "爱", "解释", "建议", "季节", "机会", "一面", "那个", "一次", "做法"]) + ")(?!的" + inClause + "{1,4}是)", superlative),
            rule("best_tasting", "最好(?:吃|喝|用|看|玩|穿|听|闻)(?=的|[!。~～]|$)", superlative),
            rule("noun_best", alt(["效果", "质量", "品质", "口碑", "性价比", "手感", "口感", "服务", "体验", "做工", "音质", "画质", "续航", "味道"]) + "最好(?![吃喝用看玩穿听])", superlative),
            rule("best_jia", "最佳(?!" + alt(["赏味期", "食用期", "饮用期", "观赏期", "观赏时间", "观赏季", "观赏", "时间", "时机", "时期", "季节", "状态", "位置", "拍摄", "实践", "男主角", "女主角", "男配角", "女配角", "男演员", "女演员", "影片", "导演", "编剧", "新人", "球员", "阵容", "射手", "纪录片", "歌曲", "专辑", "拍档", "搭档", "人选", "路线"]) + ")(?!" + inClause + "{0,6}奖)", superlative),
            rule("best_you", "最优(?!解|化|路径|策略|控制|算法|估计|子结构)", superlative),
            rule("lowest_price", "最低(?:价格|价|折扣|售价|报价|团购价|价位)", lowestPrice),
            rule("finest", "最(?:上等|上乘|优良|精良|顶配)", superlative),
            rule("cheapest", "最(?:便宜|划算|实惠|超值|省钱|低廉)", lowestPrice),
            rule("highest_grade", "最(?:高级(?!别)|高端|高档|顶级|顶尖|奢侈|奢华|尊贵)", topGrade),
            rule("most_advanced", "最(?:先进|尖端|前沿|领先)", superlative),
            rule("most_authoritative", "最(?:权威|专业|正宗|地道|纯正)", superlative),
            rule("most_popular", "最(?:受欢迎|畅销|热销|火爆|抢手|热卖|受好评|火|红)", superlative),
            rule("strongest", "最(?:强|牛)(?!大脑|王者|音|烈|降雨|降水|台风|寒潮|冷空气|暴雨|高温|沙尘|风暴|对手)", superlative),
            rule("most_valuable", "最具(?:性价比|投资价值|价值|竞争力|实力|口碑|人气)", superlative),
            rule("tried_best", "(?:用|买|吃|喝|穿|试|涂|擦|戴|入手|住)过(?:的)?(?:最)(?!难|差|贵|烂|丑|坑|失望|糟|不|失败|后悔|早|久|多|少)" + "[^ ,.。!?;:\\n、的]{1,3}", superlative, .warn),
            ComplianceRuleSpec(id: "abs.exam_guarantee", category: .absoluteTerm, article: "广告法第二十四条", severity: .block, pattern: "(?:(?:通过|过关|录取|提分|升学|上岸)率(?:高达|达到?|为)? ?(?:100 ?%|百分之百|百分百)|保过|包过|不过(?:全额)?(?:退费|退款|包退)|保证" + inClause + "{0,6}?(?:通过|录取|提分|提高|提升|考上|考进|上岸|及格|拿证)|包录取|保录取|稳过|必过)", advice: examGuarantee, gate: ComplianceContextGate(requireAny: ["课", "培训", "辅导", "考", "成绩", "学员", "孩子", "老师", "班", "学", "证书", "分"])),
            rule("closest_to", "最(?:接近|像)(?:母乳|人乳|真皮|原装)", superlative),
            rule("king_of", alt(["性价比", "销量", "销售", "人气", "口碑", "续航", "拍照", "颜值", "品类", "行业", "网红", "国货", "爆款", "平价"]) + "之王", superlative, .warn),
            rule("safest", "最(?:安全|有效|健康|环保|天然|纯净|耐用|舒适|新鲜|好用|保湿|美白|持久)(?!的?(?:做法|方法|办法|方式|途径|手段|选择是))", superlative),
            rule("biggest_brand", "最大的?" + alt(["品牌", "厂家", "生产商", "供应商", "经销商", "制造商", "生产基地", "连锁", "平台", "电商", "工厂", "源头工厂", "批发商", "代理商"]), superlative),
            rule("best_earning", "最(?:赚钱|赚|值得(?:买|入手|信赖|拥有|购买|拥有))", superlative),
            rule("trendiest", "最(?:时尚|流行|潮)", superlative),
            // 销量第一, 行业第一, 连续五年销量第一.
            rule("market_first", alt(["销量", "销售额", "销售量", "排名", "排行", "行业", "品类", "类目", "同类", "市场占有率", "占有率", "市场份额", "份额", "口碑", "人气", "好评率", "好评", "业内", "业界", "全网", "全平台", "天猫", "京东", "淘宝", "拼多多", "抖音", "榜单", "出货量", "装机量", "复购率", "回购率", "销售"]) + "(?:均|都|稳居|位居|位列|排名|排行|荣登|蝉联|连续[0-9一二三四五六七八九十]+年)?" + "(?:全国|全球|世界|全网|行业)?第(?:一|1)" + ordinalFollowers, ranking),
            // 全国第一, 世界第一 — but not 全国第一次人口普查, 中国第一代航天员, 全国第一名 (a contest).
            rule("geo_first", alt(scopeGeo) + "第(?:一|1)" + ordinalFollowers + "(?!大?" + inClause + "{0,3}" + alt(geography) + ")", ranking),
            rule("first_brand", "第(?:一|1)(?:大)?(?:品牌|名牌|民族品牌|选择|品质|口碑|厂家|供应商)", ranking),
            rule("no1", "(?<![a-z0-9])(?:no|№) ?[.:#]? ?1(?![0-9])(?! ?" + alt(["任务", "目标", "大事", "要务", "心愿", "愿望", "待办", "梦想", "粉丝", "球迷"]) + ")|(?<![a-z0-9])top ?[.:#-]? ?(?:1|one)(?![0-9a-z])|number ?one", ranking),
            rule("sales_champion", alt(["销量", "销售", "品类", "行业", "全网", "类目"]) + "冠军", ranking),
            rule("sales_crown", "销冠", ranking, .warn),
            rule("only_authorised", "唯一(?:指定|授权|认证|认可|正品|官方|品牌|厂家|专利|渠道|供应商|代理|经销商|合作)", unique),
            rule("only_one_doing", "唯一(?:一家|一个|一款)?(?:坚持|拥有|获得|通过|具备|采用|掌握|标配|搭载|配备|支持)", unique, gate: ComplianceContextGate(requireAny: ["我们", "本店", "小店", "本品", "这款", "品牌", "我家", "本公司", "门店", "厂家", "同级", "同类", "同价位", "车型", "机型"])),
            rule("scoped_only", alt(["全网", "全国", "全球", "行业", "业内", "业界", "市场上", "市面上", "国内", "中国", "世界", "亚洲"]) + "唯一", unique),
            rule("one_of_a_kind", "独一无二", unique, gate: ComplianceContextGate(clauseVetoAny: ["每个", "每一个", "每一位", "每位", "每个人", "我们都是", "你是", "你就是"])),
            // 开创者, 缔造者, 鼻祖: a claim to have started a market.
            rule("pioneer_title", "(?:" + alt(["开创者", "缔造者", "开山鼻祖", "鼻祖", "开山之作", "奠基者", "引领者", "领导者", "始创者", "开拓者"]) + ")", exclusive, .warn,
                 gate: ComplianceContextGate(requireAny: ["品牌", "我们", "本店", "本品", "产品", "公司", "企业", "行业", "茶饮", "这款", "标准", "品类", "门店", "厂"])),
            rule("only_shop", alt(["仅此一家", "只此一家", "独此一家", "别无分店", "此外无他", "独一份"]), unique),
            rule("only_able", "唯一(?:能|可以|敢|真正)", unique,
                 gate: ComplianceContextGate(requireAny: ["我们", "本店", "小店", "本品", "这款", "品牌", "我家", "本公司", "门店", "厂家", "同级", "同类", "同价位"] + productStrong)),
            // 稀缺 group of the published lists: scarcity claims about the goods on sale.
            rule("scarcity", alt(["稀世珍宝", "千金难求", "万里挑一", "仅此一次", "绝版好货", "错过再无"]), peerless, .warn,
                 gate: ComplianceContextGate(requireAny: ["这款", "本品", "本店", "我们", "下单", "价", "元", "抢", "买", "入手", "链接", "直播间", "库存", "限量"])),
            rule("endorsed_only", "(?<=认证的|授权的|指定的|认可的|推荐的)唯一", unique),
            rule("peerless", alt(["无与伦比", "无人能及", "举世无双", "绝无仅有", "空前绝后", "无可匹敌", "无可比拟", "天下第一", "无出其右"]), peerless),
            rule("unprecedented", alt(["前所未有", "史无前例"]) + "的?" + inClause + "{0,3}?" + alt(["体验", "享受", "效果", "优惠", "低价", "品质", "口感", "折扣", "力度", "福利", "价格", "低", "便宜", "划算", "实惠"]), peerless, .warn),
            rule("national_level", "国家级(?!" + alt(["自然保护区", "保护区", "风景名胜区", "风景区", "景区", "旅游度假区", "度假区", "非物质文化遗产", "非遗", "新区", "开发区", "高新区", "经开区", "高新技术企业", "专精特新", "贫困县", "重点实验室", "实验室", "工程技术研究中心", "技术中心", "研究中心", "历史文化名城", "历史文化名镇", "历史文化名村", "湿地公园", "森林公园", "地质公园", "公园", "示范区", "试验区", "保护动物", "重点保护", "一级保护", "二级保护", "文物保护单位", "重点文物", "运动员", "裁判", "教练", "传承人", "代表性传承人", "课题", "项目", "奖项", "奖", "荣誉", "出版社", "期刊", "一级", "二级", "考试", "比赛", "赛事", "媒体", "园区", "保护地", "水产种质"]) + ")(?!" + inClause + "{0,4}奖)", level),
            rule("world_level", "(?:世界级|国际级|全球级|宇宙级)(?!" + alt(["难题", "难度", "遗产", "赛事", "比赛", "大赛", "会议", "展会", "博览会", "球星", "运动员", "港口", "机场", "城市群", "湾区", "都市圈", "交通枢纽", "枢纽", "旅游目的地", "科学家", "工程", "挑战"]) + ")", level),
            rule("hype_level", "(?:殿堂|神|天花板|封神|王炸|宗师|至臻|顶流)级(?!" + alt(["人物", "演员", "歌手", "球员", "选手", "大神"]) + ")", hype, .warn),
            rule("highest_level_of", "最高级别的?" + alt(["安全", "防护", "保护", "认证", "标准", "品质", "配置", "材料", "工艺", "守护", "服务", "待遇", "享受"]), topGrade),
            rule("top_grade", "顶级(?!" + alt(["联赛", "赛事", "期刊", "会议", "域名", "球队", "球星", "俱乐部", "高校", "学府", "科学家", "学者", "棋手", "运动员", "黑客", "掠食者", "捕食者", "选手", "战队"]) + ")(?!的?(?:厨师|大厨|医生|律师|专家|人才|学者|运动员|玩家|高手|大佬|球员))", topGrade),
            rule("absolutely", "绝对(?:是)?(?:正品|领先|安全|有效|优势|第一|好用|放心|保证|无害|值得|划算|物超所值|不会后悔|低价|最|纯天然|靠谱|好吃)", absoluteEffect),
            rule("hundred_percent", "(?:100|百分之百|百分百) ?%? ?(?:有效|见效|安全|无害|无副作用|成功(?!率)|治愈|纯天然|不反弹|保证|不过敏|去除|清除|杀灭|消除|除菌|杀菌|祛除|除醛|去甲醛|阻隔|过滤|满意|正品|好评|回本|通过)", absoluteEffect),
            // One use and it works: 一次见效, 一贴见效, 一喷就好.
            rule("instant_effect", "(?:一次|一贴|一用|一喝|一抹|一喷|一涂|一吃|一片|一粒|一剂|一针|一敷)(?:就|即|立刻|马上)?(?:见效|生效|根除|痊愈|全好|就好|去根)", absoluteEffect),
            // 永不褪色, 绝对不会过敏, 保证不起球: a promise that something never happens.
            rule("never_fails", "(?:永不|永远不会?|绝对不会?|保证不会?|100 ?%不会?|百分百不会?|百分之百不会?|终身不)" + alt(["褪色", "掉色", "变色", "变形", "生锈", "起球", "缩水", "过敏", "反弹", "磨损", "开裂", "脱落", "氧化", "掉毛", "坏", "伤肤", "伤手", "刺激", "卡顿", "漏水", "断", "发黄", "发霉", "过时", "掉漆", "起皮", "失效", "长胖", "复发"]), absoluteEffect),
            rule("forever", "(?<!非)永久(?!" + alt(["居民", "居留", "居住", "冻土", "性", "磁", "牌", "自行车", "地址", "链接", "产权", "基本农田", "保存", "关闭", "删除", "封禁", "封号", "停业", "吊销", "禁止", "禁赛", "禁入", "失效", "停用", "注销", "标识", "地离开"]) + ")", forever, .warn),
            rule("cures_all", alt(["百试百灵", "万试万灵", "屡试不爽", "一用就灵", "一步到位解决所有"]), absoluteEffect),
            rule("universal", "万能(?!" + alt(["胶", "表", "充", "钥匙", "青年", "扳手", "插座", "遥控", "公式", "模板", "角色", "的上帝", "工具箱"]) + ")", forever, .warn),
            rule("first_choice_scoped", "(?:" + alt(["行业", "全国", "全球", "全网", "中国", "国内", "业内", "专家", "明星", "医生"]) + "首选|首选品牌)", firstChoice),
            rule("first_choice", "首选(?!" + alt(["项", "方案", "志愿", "目标", "专业", "设置"]) + ")", firstChoice, .warn),
            rule("exclusive", "独家(?!" + alt(["专访", "报道", "采访", "新闻", "消息", "爆料", "解读", "对话", "记忆", "回应", "冠名", "赞助", "获悉", "披露", "了解到", "获得消息", "证实", "视频", "直播间专访"]) + ")", exclusive, .warn, gate: ComplianceContextGate(vetoAny: ["记者", "本报", "本台", "新华社", "通讯员"])),
            rule("pioneered", "(?:独创|首创)(?!性|精神)", exclusive, .warn),
            rule("scoped_first_release", alt(["全国", "全球", "全网", "行业", "国内", "中国", "世界", "亚洲", "业内"]) + "(?:首家|首个|首款|首发|首台|首部|第一家|第一款)", exclusive, .warn),
            rule("first_feature", "(?:首个|首款|首台|首家|第一款|第一个|第一家)(?:支持|搭载|采用|实现|拥有|配备|具备|推出|获得|通过|获|做|研发|打造|引进|量产|上市)", exclusive, .warn,
                 gate: ComplianceContextGate(vetoAny: ["他是", "她是", "他们是", "作家", "运动员", "选手", "科学家", "宇航员", "航天员", "女性", "男性", "华人", "学者", "球员", "导演"])),
            rule("scoped_first_one", alt(["全国", "全球", "全网", "行业", "国内", "中国", "世界", "亚洲", "业内", "全省", "全市"]) + "第一个" + inClause + "{0,10}(?:品牌|产品|企业|公司|机构|门店|平台|店)", exclusive, .warn),
            rule("true_first", "(?:首款|第一款|首个|第一个|首台|第一台)真正(?:意义上)?的?", exclusive, .warn),
            rule("first_release", "首发(?!" + alt(["阵容", "球员", "出场", "式", "位置", "站", "车", "班", "航班", "列车", "仪式", "登场", "名单", "上场", "当天", "当日", "日", "首日", "以来"]) + ")", exclusive, .warn),
            rule("leading", "(?:" + alt(["遥遥", "行业", "全球", "国际", "国内", "世界", "业内", "业界", "绝对", "技术", "科技", "销量", "销售", "市场", "份额"]) + "领先|领先(?:的)?(?:技术|水平|地位|优势|科技|工艺)|领先的?" + inClause + "{0,4}?(?:品牌|企业|厂商|厂家))", leading, .warn),
            rule("leader_brand", "(?:领导|领袖|领军|领跑)品牌", leading, .warn),
            rule("ultimate", "(?<!做到|做到了|追求|追求着|发挥到|发挥到了|推向|推到|演绎到|做到了一种)极致(?!主义)", hype, .warn),
            rule("top_notch", "(?:顶尖|尖端)(?!" + alt(["高手", "学府", "高校", "大学", "学者", "科学家", "运动员", "选手", "球员", "人才"]) + ")", hype, .warn),
            rule("premium_slang", "极品(?!飞车|室友|亲戚|同事|男友|女友)", hype, .warn),
            rule("final", "终极(?!" + alt(["目标", "一战", "对决", "意义", "关怀", "挑战", "boss", "奥义", "理想", "问题"]) + ")", hype, .warn),
            rule("supreme", "至尊(?!宝)", hype, .warn),
            rule("peak_perfect", "(?:巅峰|完美)(?:品质|之作|工艺|性能|体验|享受|口感|配置|效果|解决|去除|祛除|修复|遮瑕|无瑕|替代|适配|贴合|音质|画质|音效|操控|手感|动力|颜值|续航|做工|性价比|品控)", hype, .warn),
        ]
    }()

    static let medicalRules: [ComplianceRuleSpec] = {
        let art16 = "广告法第十六条"
        let art17 = "广告法第十七条"
        func rule(_ id: String, _ article: String, _ pattern: String, _ advice: ComplianceAdvice, _ severity: ComplianceSeverity = .block, gate: ComplianceContextGate = .none) -> ComplianceRuleSpec {
            ComplianceRuleSpec(id: "med." + id, category: .medicalClaim, article: article, severity: severity, pattern: pattern, advice: advice, gate: gate)
        }
        let newsGate = ComplianceContextGate(strongAny: productStrong, newsAny: newsMarkers, vetoAny: medicalDisclaimers)
        let productGate = ComplianceContextGate(requireAny: productWeak, strongAny: productStrong, newsAny: newsMarkers, vetoAny: medicalDisclaimers)
        return [
            rule("cure_rate", art16, "(?:治愈|有效|痊愈|康复|好转|显效)率(?:达到?|高达|为|超过?|接近|近| ?[0-9百九])", medical16, gate: ComplianceContextGate(vetoAny: scamWarnings)),
            rule("radical_cure", art16, "根治(?!" + alt(["欠薪", "拖欠", "乱象", "问题", "隐患", "污染", "顽疾", "黑臭", "水患", "沙患", "拥堵", "痼疾"]) + ")", medical16, gate: ComplianceContextGate(vetoAny: medicalDisclaimers + scamWarnings)),
            rule("miracle_cure", art16, alt(["药到病除", "包治百病", "百病全消", "百病不侵", "永不复发", "不再复发", "一次治愈", "一次根治", "彻底治愈", "彻底根除", "起死回生", "灵丹妙药"]), medical16, gate: ComplianceContextGate(vetoAny: scamWarnings + ["世上没有", "不存在"])),
            rule("no_side_effects", art16, "(?:无|零|没有任何?|不含任何|毫无|不会有任何?)(?:毒)?副作用", medical16, gate: ComplianceContextGate(vetoAny: ["研究", "临床", "试验"])),
            rule("treats_special", art17, "(?:专治|包治)(?!各种不服|不服)", medical17, gate: ComplianceContextGate(vetoAny: medicalDisclaimers)),
            rule("treats_strong", art17, "(?:能治|可治|治好了?|医治)(?!疗)" + inClause + "{0,6}" + alt(diseases + ["病"]), medical17, gate: ComplianceContextGate(vetoAny: medicalDisclaimers + ["医院", "医生", "科室", "诊所", "吗", "?"])),
            rule("chief_cure", art17, "主治(?!医生|医师|大夫|医)" + inClause + "{0,6}" + alt(diseases), medical17, gate: newsGate),
            rule("cures_disease", art17, alt(["治愈", "告别", "根除", "消除", "赶走", "摆脱"]) + inClause + "{0,4}?" + alt(diseases + ["脱发"]), medical17, gate: newsGate),
            rule("readings_improved", art17, "(?:血压|血糖|血脂|尿酸)" + inClause + "{0,3}?(?:降下来|降了|稳定|正常|平稳|不高)", medical17, gate: productGate),
            rule("treats_disease", art17, alt(["治疗", "预防", "缓解", "改善", "调理", "远离", "抑制", "对抗", "抗", "防", "辅助治疗", "帮助治疗", "降低"]) + inClause + "{0,4}?" + alt(diseases), medical17, gate: productGate),
            rule("disease_gone", art17, alt(diseases) + "[^。!?;\\n]{0,4}?(?:统统|全都|都|再也|从此|一并|一次|立刻|马上|全)?(?:不怕|不再犯|不复发|好了|没了|消失|不见了|拜拜|一扫光|跑光光?|不疼|不痛|搞定|去掉|去除|不来烦|不犯|痊愈|除根|就好了?|全好了?)", medical17, gate: ComplianceContextGate(requireAny: productWeak, strongAny: productStrong, newsAny: newsMarkers + ["药", "医"], vetoAny: medicalDisclaimers)),
            rule("medical_jargon", art17, alt(["疗效", "消炎(?!药)", "抗炎", "活血化瘀", "排毒养颜", "清肠排毒", "排毒瘦身", "排出毒素", "杀灭病毒", "祛风除湿", "排宿便", "清宿便", "清除宿便", "排出宿便"]), medical17, gate: ComplianceContextGate(strongAny: productStrong, newsAny: newsMarkers + ["药", "抗生素"], vetoAny: medicalDisclaimers)),
            rule("drug_confusion", art17, alt(["药效", "药妆", "医学护肤品", "医用级护肤"]), medical17, gate: productGate),
            rule("lowers_readings", art17, alt(["降三高", "降血压", "降血糖", "降血脂", "降尿酸", "补肾壮阳", "壮阳", "护肝", "养肝", "清血管", "软化血管", "疏通血管"]), medical17, gate: productGate),
            rule("weight_loss_guarantee", art17, "(?:不反弹|(?:月|周|天|一个月|一周|七天|7天)(?:就能|轻松|狂)?(?:瘦|减|掉)(?:了)? ?[0-9一二三四五六七八九十]+ ?(?:斤|公斤|kg)|躺着(?:就能)?瘦)", weightLoss, .warn),
        ]
    }()

    static let financialRules: [ComplianceRuleSpec] = {
        let art = "广告法第二十五条"
        func rule(_ id: String, _ pattern: String, _ advice: ComplianceAdvice = finance, gate: ComplianceContextGate) -> ComplianceRuleSpec {
            ComplianceRuleSpec(id: "fin." + id, category: .financialGuarantee, article: art, severity: .block, pattern: pattern, advice: advice, gate: gate)
        }
        let plain = ComplianceContextGate(vetoAny: scamWarnings)
        let inFinance = ComplianceContextGate(requireAny: financeMarkers, vetoAny: scamWarnings, clauseVetoAny: ["吗", "?", "么"])
        return [
            rule("sure_win", alt(["稳赚不赔", "只赚不赔", "稳赚", "包赚", "保赚", "躺赚", "躺着(?:也能|就能|都能|也可以)?(?:赚钱|收钱|赚)", "坐等收钱", "坐享收益", "只涨不跌", "稳涨", "必涨", "一本万利", "包赔本", "亏了全赔", "亏损全赔"]), gate: plain),
            rule("no_risk", "(?:零风险|无风险|没有风险|毫无风险|风险为零)", gate: inFinance),
            rule("capital_guaranteed", "(?:保本保息|保本保收益|本金保障|保障本金|本金安全|保本(?!价|点|线|经营|微利)|保息|保收益|保底收益|保证收益|收益保证|收益有保障|稳定收益|稳定高收益|高额回报|超高回报|收益翻倍|翻倍收益|本金无忧|本息无忧|本息全保|刚性兑付|刚兑|稳拿收益)", gate: inFinance),
            rule("rate_promise", alt(["年化", "收益率", "收益", "回报率", "回报", "利率", "利息", "月息", "日息", "分红"]) + inClause + "{0,8}?[0-9]+(?:\\.[0-9]+)? ?%[^。!?;\\n]{0,6}?" + alt(["保证", "保底", "稳拿", "稳赚", "承诺", "确保", "无风险", "零风险", "稳定", "不低于", "至少", "稳稳", "到手"]), gate: plain),
            rule("promise_rate", alt(["保证", "确保", "承诺", "保底", "稳拿", "锁定"]) + inClause + "{0,6}?" + alt(["年化", "收益", "回报", "利息", "分红"]), gate: ComplianceContextGate(vetoAny: scamWarnings + ["农民", "种粮", "农户", "政策", "政府", "部门", "国务院", "会议", "记者", "职工", "工资"])),
            rule("payback_promise", "(?:保证|包|确保|稳)回本|[0-9一二三四五六七八九十两]+个?月(?:就能|即可|保证)?回本", gate: plain),
            ComplianceRuleSpec(id: "fin.property_appreciation", category: .financialGuarantee, article: "广告法第二十六条", severity: .block, pattern: "(?:升值潜力|升值空间|增值潜力|保值增值|稳定升值|必定升值|稳升值|坐等升值|只升不降|买了就升值)", advice: property, gate: ComplianceContextGate(requireAny: ["房", "楼盘", "商铺", "铺位", "公寓", "户型", "小区", "地段", "学区", "置业", "车位"], vetoAny: scamWarnings)),
            rule("wealth_freedom", "(?:实现|轻松|早日|提前)财务自由", income, gate: ComplianceContextGate(requireAny: incomeMarkers + ["个月", "年内", "天"], vetoAny: scamWarnings)),
            rule("income_promise", "(?:月入|月赚|日赚|日入|日结|周赚|年入|年赚|一天赚|一个月赚) ?(?:过万|上万|[0-9]+ ?[万千wk]?\\+?|[一二三四五六七八九十百千两]{2,}[万千]?|[一二三四五六七八九十两][万千])", income, gate: ComplianceContextGate(requireAny: incomeMarkers, vetoAny: scamWarnings)),
        ]
    }()

    static let authorityRules: [ComplianceRuleSpec] = {
        func rule(_ id: String, _ article: String, _ pattern: String, _ advice: ComplianceAdvice, gate: ComplianceContextGate = .none) -> ComplianceRuleSpec {
            ComplianceRuleSpec(id: "auth." + id, category: .falseAuthority, article: article, severity: .block, pattern: pattern, advice: advice, gate: gate)
        }
        let art2 = "广告法第九条第二项"
        let organs = ["国家机关", "政府机关", "政府部门", "政府", "国务院", "卫健委", "卫生部", "药监局", "市场监管局", "质检总局", "质监局", "工商局", "公安部", "教育部", "农业部", "部委", "人民大会堂", "中南海", "军委", "部队", "军队", "解放军", "武警", "国家质检"]
        return [
            rule("organ_endorsement", art2, alt(organs) + "(?:的)?(?:领导|官员|专家|工作人员)?(?:亲自|联合|一致|特别)?" + alt(["指定", "推荐", "特供", "专供", "监制", "专用", "御用", "背书", "力荐", "首推", "同款", "特批", "认证(?=的)", "认定(?=的)"]), authority, gate: ComplianceContextGate(vetoAny: ["记者", "报道", "通知", "公告", "疫情", "隔离", "防控", "采购", "招标"])),
            rule("special_supply", art2, "特供(?!版)(?:酒|茶|烟|米|产品|商品|品)?", authority, gate: ComplianceContextGate(vetoAny: scamWarnings + ["查处", "整治", "严禁", "禁止"])),
            rule("state_banquet", art2, "(?:国宴(?:用酒|特供|专用|品质|级|同款)|国礼(?:级|品质|同款))", authority),
            rule("leader_endorsement", art2, "(?:国家)?(?:领导人|首长)(?:同款|推荐|专用|都在用|指定|特供)", authority),
            rule("national_symbol", "广告法第九条第一项", "(?:国旗|国徽|国歌|军旗|军徽|军歌)(?:图案|元素|同款|造型|印花|款)", nationalSymbol),
        ]
    }()

    static let superstitionRules: [ComplianceRuleSpec] = {
        func rule(_ id: String, _ pattern: String, veto: [String] = [], requireAny: [String] = []) -> ComplianceRuleSpec {
            ComplianceRuleSpec(id: "sup." + id, category: .superstition, article: "广告法第九条第八项", severity: .warn, pattern: pattern, advice: superstition, gate: ComplianceContextGate(requireAny: requireAny, vetoAny: ["迷信", "骗局", "诈骗"] + veto))
        }
        return [
            rule("consecrated", "开光(?!仪式)"),
            rule("luck_change", "(?<!快递|物流|海外|国际|包裹|货物|集装箱|中|紧急|安全|患者|病人|伤员)(?:转运|改运|旺运|转好运)(?!中心|站|仓|公司|费|单|途中|场|码头|业务|服务|至|到|输|患者|病人|伤员|病患|物资|货物|乘客|旅客|游客|工作)"),
            rule("wealth_charm", "(?:招财(?!猫)|催财|旺财运|聚财|纳财)", veto: ["新年快乐", "春节快乐", "恭喜发财", "祝", "拜年"]),
            rule("ward_evil", alt(["辟邪", "驱邪", "化煞", "挡煞", "镇宅", "消灾解难", "消灾", "去晦气", "护身符", "风水宝地", "招桃花", "旺桃花", "算命", "改命"])),
            rule("fengshui", "风水(?!轮流转)"),
            rule("blessing", "(?:保佑|护佑|庇佑|保平安)", veto: ["老天", "上天"], requireAny: ["项链", "手串", "手链", "吊坠", "摆件", "佩戴", "戴上", "挂件", "饰品", "这款", "本品", "请回家", "供奉"]),
        ]
    }()

    static let diversionRules: [ComplianceRuleSpec] = {
        func rule(_ id: String, _ pattern: String, _ policy: CompliancePlatformPolicy) -> ComplianceRuleSpec {
            ComplianceRuleSpec(id: "div." + id, category: .trafficDiversion, article: nil, severity: .warn, pattern: pattern, advice: diversion, negatable: true, platformPolicy: policy)
        }
        let shortForm = "(?=[ :,.。!?;~]|$|[a-z0-9]|咨询|领|私|聊|备注|了解|获取|看|哦|呀|吧|哈|噢|呢)"
        let wechat = "(?:微信号?|v信|vx|wx|威信|薇信|绿泡泡|卫星号|微" + shortForm + "|薇" + shortForm + "|v(?![a-z0-9]|认证|用户|博主|标))"
        return [
            rule("add_wechat", "(?:加|添加|\\+|➕|私|找|联系|扣) ?(?:我|本人|小编|客服|老师|博主)?的? ?" + wechat, .wechatDiversion),
            rule("wechat_id", "(?<![a-z0-9])(?:微信号?|vx|wx|v信|薇信|威信) ?[:=]? ?[a-z][a-z0-9_-]{4,19}(?![a-z0-9_-])", .wechatDiversion),
            rule("qq", "(?<![a-z0-9])(?:qq群?号?|扣扣群?|企鹅号) ?[:=]? ?[0-9]{5,11}(?![0-9])", .diversion),
            rule("dm_for_goodies", "私信(?:我|小编|博主|主页)?(?:领取|获取|要|拿|咨询|了解|发你|免费领|送)", .diversion),
            rule("scan_to_join", "(?:扫码|扫描|扫一扫|长按|识别)[^,.。!?;:\\n]{0,6}?(?:进群|加群|添加|加好友|领取|关注|入群|咨询|加我)", .diversion),
            rule("join_group", "(?:拉你进|拉你入|进|加|入)(?:粉丝|福利|交流|读者|宝妈|内部|vip|学习|资料)?群(?!众|体|岛|山|落|居|星|英)", .diversion),
            rule("follow_account", "(?:关注|搜索|搜|添加|加)(?:我的|我们的|一下)?(?:微信)?(?:公众号|服务号|订阅号|视频号)", .wechatDiversion),
            rule("profile_contact", "(?:主页|简介|头像|置顶)(?:里|中)?(?:有|见|看|留了?)?(?:联系方式|联系电话|vx|wx|v信|微信|电话|二维码|v(?![a-z0-9]))", .diversion),
            rule("mobile_number", "(?<![0-9])1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4}(?![0-9])", .diversion),
            rule("qr_code", "(?:长按|扫描|扫一扫|扫)(?:识别)?(?:下方|上方|图中|文末|以下|左侧|右侧)?二维码|(?:下方|上方|文末|图中)二维码", .diversion),
            rule("service_number", "(?<![0-9])(?:[48]00[ -]?[0-9]{3}[ -]?[0-9]{4}|0[1-9][0-9]{1,2}[ -][0-9]{7,8})(?![0-9])", .diversion),
            rule("slang_ping", "(?:滴滴|dd|踢踢)(?:我|博主|小编)", .diversion),
        ]
    }()
}

extension ComplianceAdvice {
    /// ComplianceAdvice for a finding from a workspace word list.
    static func forList(_ category: ComplianceCategory) -> ComplianceAdvice {
        switch category {
        case .banned:
            return ComplianceAdvice(zh: "该词在团队禁用词表中，发布前请删除或替换。", en: "This word is on the workspace's banned list; remove or replace it before publishing.")
        case .sensitive:
            return ComplianceAdvice(zh: "该词在团队敏感词表中，可能触发平台审核或限流，请确认语境后再发布，必要时换一种说法。", en: "This word is on the workspace's sensitive list and may trigger platform review or throttling; check the context and rephrase if needed.")
        case .competitor:
            return ComplianceAdvice(zh: "文中出现竞品名称。广告不得贬低其他生产经营者的商品或服务（广告法第十三条），比较性内容还可能引发不正当竞争纠纷，建议删除或改用泛称。", en: "A competitor is named. Ads may not disparage other businesses' goods or services (Advertising Law Art. 13) and comparisons invite unfair-competition disputes; remove the name or use a generic term.")
        case .trafficDiversion:
            return BuiltinComplianceRules.diversion
        case .absoluteTerm:
            return BuiltinComplianceRules.superlative
        case .medicalClaim:
            return BuiltinComplianceRules.medical17
        case .financialGuarantee:
            return BuiltinComplianceRules.finance
        case .falseAuthority:
            return BuiltinComplianceRules.authority
        case .superstition:
            return BuiltinComplianceRules.superstition
        }
    }
}
