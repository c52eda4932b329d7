import Foundation
import MediaOpsApp
import MediaOpsDomain
import MediaOpsStore

/// What the tea-drink team has written down: a dozen lessons, playbooks,
/// creative notes and templates, written by the people whose work they come
/// from and linked to the demo pieces they are about; and the courses the
/// team took this year and last. The assessment standards stay built-in.
enum DemoKnowledge {
    struct Entry {
        var kind: KnowledgeKind
        var author: String
        var title: String
        var body: String
        var tags: [String]
        var platforms: [Platform]
        /// Titles of demo content items the entry is linked to.
        var links: [String] = []
    }

    static let entries: [Entry] = [
        // Lessons (经验教训)
        Entry(kind: .lesson, author: "sunhao@mediaops.local", title: "新品首发别只押一条抖音视频",
              body: "桂花乌龙拿铁回归那天，抖音只发了一条视频，前两小时播放不到两千，后面再补发已经错过了门店的午高峰。\n\n下次首发至少准备三条不同开头的视频，早 7 点、午 11 点、晚 8 点各一条，哪条起量就追投 DOU+。",
              tags: ["新品", "复盘", "DOU+"], platforms: [.douyin], links: ["冬日限定：桂花乌龙拿铁回归"]),
        Entry(kind: .lesson, author: "chenjing@mediaops.local", title: "“全网最低价”被拦下的那一次",
              body: "年终囤茶攻略的初稿写了“全网最低价”，合规检查直接拦下。广告法不允许这类绝对化用语，平台也会限流。\n\n改成“会员价比日常低 20%”这样可以核实的说法，转化并没有变差。",
              tags: ["合规", "广告法", "复盘"], platforms: [.wechatOA, .weibo]),
        Entry(kind: .lesson, author: "zhaomin@mediaops.local", title: "社群抽奖别在周一晚上开",
              body: "十月两次社群抽奖，周一晚上那场参与率只有 12%，周五晚上那场到了 31%。\n\n周一大家在加班，群消息刷不动。以后抽奖放在周五或周六晚上 8 点。",
              tags: ["社群", "抽奖", "复盘"], platforms: [.wechatOA]),
        Entry(kind: .lesson, author: "wujia@mediaops.local", title: "掉粉预警先看是不是清理了僵尸粉",
              body: "11 月那次“粉丝日减超 500”预警，查下来是微博在清理异常账号，同行账号同一天也在掉。\n\n遇到掉粉先对比竞品同一天的数，再决定要不要复盘内容。",
              tags: ["数据", "预警", "微博"], platforms: [.weibo]),
        Entry(kind: .lesson, author: "liuyang@mediaops.local", title: "标题里的数字要能在正文里找到",
              body: "“12 个版本”这篇标题点击很好，但评论里有人问“哪 12 个”，正文只写了 3 个。\n\n标题承诺的东西正文要兑现，否则收藏率会掉，还会被说标题党。",
              tags: ["标题", "公众号", "文案"], platforms: [.wechatOA, .bilibili], links: ["幕后：新品试饮会的 12 个版本"]),
        Entry(kind: .lesson, author: "zhengnan@mediaops.local", title: "小红书封面字要大到手机上一眼能读",
              body: "市集那篇笔记的封面字号太小，缩略图里看不清，点击率只有平时一半。\n\n封面主标题不少于画面宽度的八分之一，最多两行。",
              tags: ["封面", "设计", "小红书"], platforms: [.xiaohongshu], links: ["周末市集见！青禾快闪摊位地图"]),
        Entry(kind: .lesson, author: "maxiao@mediaops.local", title: "KOL 合作先要过往三个月的真实数据",
              body: "上次合作的探店博主报价按 10 万粉算，结果视频播放只有 3 千，后台一看粉丝多半不活跃。\n\n以后合作前要求对方提供近三个月的后台截图，看平均播放和互动，而不是粉丝数。",
              tags: ["KOL", "投放", "复盘"], platforms: [.douyin, .xiaohongshu]),
        Entry(kind: .lesson, author: "wangyutong@mediaops.local", title: "热点文要在两小时内发出",
              body: "降温那篇热点文等了一下午审核，发出时同类文章已经刷屏，阅读只有平时的六成。\n\n热点选题提前和审核约好快速通道，两小时内发出。",
              tags: ["热点", "审核", "时效"], platforms: [.weibo, .wechatOA], links: ["热点｜降温了，这样喝茶更暖胃"]),
        Entry(kind: .lesson, author: "hechang@mediaops.local", title: "渠道互推要写清楚谁先发",
              body: "和本地生活号互推时没约定发布时间，对方先发了，我们的推文晚了一天，带来的关注少了一半。\n\n互推前确认同一时段发布，并互相在后台留截图。",
              tags: ["渠道", "互推"], platforms: [.wechatOA]),
        Entry(kind: .lesson, author: "huanglei@mediaops.local", title: "服务号菜单改动要先在测试号上试",
              body: "一次直接改正式号的菜单，跳转链接写错，半天里有两百多人点到空白页。\n\n菜单和自动回复先在测试号上改好、点一遍，再同步到正式号。",
              tags: ["服务号", "技术"], platforms: [.wechatOA]),
        Entry(kind: .lesson, author: "zhouhang@mediaops.local", title: "半年目标要按阶段拆，不能平均分到每个月",
              body: "服务号半年 5 万粉的目标，前两个月按平均数考核，大家压力很大，其实冷启动期本来就慢。\n\n按初始用户期、品牌推广期分别定目标，后期再加码。",
              tags: ["目标", "管理"], platforms: [.wechatOA]),
        Entry(kind: .lesson, author: "liuyang@mediaops.local", title: "会员日规则要在第一屏说完",
              body: "会员日推文把规则放在最后，评论区一半的问题都是“外卖能不能用”。\n\n规则类推文第一屏就写清楚时间、渠道和限制。",
              tags: ["会员", "活动", "文案"], platforms: [.wechatOA, .weibo], links: ["会员日：第二杯半价规则说明"]),
        // Playbooks (打法)
        Entry(kind: .playbook, author: "sunhao@mediaops.local", title: "门店新品上市七天打法",
              body: "D-3：公众号和小红书预告，放出杯型和颜色，不说口味。\nD-1：微博话题预热，发起“猜口味”互动。\nD0：三平台同步首发，抖音三条视频分时段发。\nD1–D3：收集评论里的喝法，做成合集。\nD7：复盘数据，把有效做法写进经验库。",
              tags: ["新品", "上市", "节奏"], platforms: [.wechatOA, .xiaohongshu, .weibo, .douyin], links: ["冬日限定：桂花乌龙拿铁回归"]),
        Entry(kind: .playbook, author: "zhaomin@mediaops.local", title: "社群裂变：邀请 3 人进群领券",
              body: "1. 海报只写一个利益点：邀请 3 位好友进群，领 5 元券。\n2. 群里用机器人自动统计邀请数，满 3 人私信发券。\n3. 第二天在群里公布前十名，再发一次海报。\n4. 活动结束一周内做一次群内复购提醒。",
              tags: ["社群", "裂变", "拉新"], platforms: [.wechatOA]),
        Entry(kind: .playbook, author: "wangyutong@mediaops.local", title: "公众号每周排期的固定节奏",
              body: "周一：茶知识干货。周三：门店或用户故事。周五：新品或活动。周日：轻松的互动话题。\n\n每周四前把下周排期填满，留一个热点空位。",
              tags: ["排期", "公众号"], platforms: [.wechatOA]),
        Entry(kind: .playbook, author: "chenjing@mediaops.local", title: "差评出现后的 30 分钟处理流程",
              body: "10 分钟内：截图留存，判断是产品问题还是服务问题。\n20 分钟内：用统一话术公开回复，并私信要联系方式。\n30 分钟内：同步门店店长，当天给出处理结果。\n\n不删评，不在评论区争论。",
              tags: ["舆情", "客服", "流程"], platforms: [.weibo, .xiaohongshu, .douyin]),
        Entry(kind: .playbook, author: "wujia@mediaops.local", title: "月报怎么写：三个数字一个结论",
              body: "每个平台只放三个数：粉丝净增、篇均阅读（或播放）、互动率。\n最后一页只写一个结论和一个下月要试的做法，并注明依据的检验结果。",
              tags: ["数据", "月报"], platforms: []),
        Entry(kind: .playbook, author: "maxiao@mediaops.local", title: "达人探店合作的五步",
              body: "1. 看近三个月真实数据。\n2. 给出品牌要点但不给逐字稿。\n3. 约定发布时间和评论区置顶。\n4. 发布后三天内追踪播放和到店核销。\n5. 结算后写进合作名单，标注是否再合作。",
              tags: ["KOL", "探店", "合作"], platforms: [.douyin, .xiaohongshu]),
        Entry(kind: .playbook, author: "zhengnan@mediaops.local", title: "一套主视觉改出五个平台的尺寸",
              body: "先出 3:4 的小红书版作母版，再裁 1:1 给微博、9:16 给抖音和视频号、2.35:1 给公众号头图。\n文字单独一层，裁切后重新排，不直接缩放。",
              tags: ["设计", "尺寸", "效率"], platforms: [.xiaohongshu, .weibo, .douyin, .wechatOA, .wechatChannels]),
        Entry(kind: .playbook, author: "liuyang@mediaops.local", title: "知乎回答的写法：先给结论再讲原因",
              body: "第一段直接回答问题，第二段讲原理，第三段给一个能马上试的方法，最后自然地提到门店或产品。\n不要一上来就讲品牌故事。",
              tags: ["知乎", "文案"], platforms: [.zhihu], links: ["茶汤为什么会变色？"]),
        Entry(kind: .playbook, author: "hechang@mediaops.local", title: "异业合作谈判清单",
              body: "谈之前准备：双方粉丝画像是否重合、各自能给的曝光位、活动时间、核销方式、数据怎么互看。\n谈完当天发邮件确认，附上排期表。",
              tags: ["渠道", "异业", "合作"], platforms: []),
        Entry(kind: .playbook, author: "huanglei@mediaops.local", title: "抽奖小程序上线前检查",
              body: "奖品库存、中奖概率、每人次数限制、活动结束时间、兑奖说明、客服入口，六项逐一点测。\n上线后第一小时盯后台错误日志。",
              tags: ["技术", "抽奖", "上线"], platforms: [.wechatOA]),
        Entry(kind: .playbook, author: "zhouhang@mediaops.local", title: "季度复盘会的议程",
              body: "1. 目标完成情况（十分钟）。\n2. 每个岗位一个做得好的、一个要改的（每人三分钟）。\n3. 下季度目标和人手。\n4. 会后一周内，每人至少往经验库写一条。",
              tags: ["复盘", "管理", "会议"], platforms: []),
        Entry(kind: .playbook, author: "wangyutong@mediaops.local", title: "B站视频的前 15 秒",
              body: "前 15 秒要出现要讲的问题和画面最好的镜头，片头 logo 放到结尾。\n字幕全程加，弹幕高峰处补一句互动提问。",
              tags: ["B站", "视频", "开头"], platforms: [.bilibili], links: ["幕后：新品试饮会的 12 个版本"]),
        // Creative notes (创意笔记)
        Entry(kind: .creativeNote, author: "liuyang@mediaops.local", title: "节气茶单：二十四节气各配一杯",
              body: "每个节气推荐一杯茶，配一句节气谚语和门店小卡片。可以做成一年的固定栏目，年底出合集。",
              tags: ["节气", "栏目", "灵感"], platforms: [.wechatOA, .xiaohongshu]),
        Entry(kind: .creativeNote, author: "zhengnan@mediaops.local", title: "杯套上印用户留言",
              body: "从评论区挑 20 条最暖的留言印在冬季杯套上，拿到印有自己留言的用户会主动晒图。",
              tags: ["UGC", "周边", "灵感"], platforms: [.xiaohongshu, .weibo], links: ["用户来信：在异乡喝到家乡的茶"]),
        Entry(kind: .creativeNote, author: "wangyutong@mediaops.local", title: "“店长的一天”Vlog 系列",
              body: "跟拍不同城市的店长各一天，从凌晨备料到打烊。第一期可以从凌晨五点的备料间开始。",
              tags: ["Vlog", "门店", "系列"], platforms: [.wechatChannels, .bilibili, .douyin], links: ["店长手记：凌晨五点的备料间"]),
        Entry(kind: .creativeNote, author: "sunhao@mediaops.local", title: "冷泡茶挑战：一瓶水一包茶",
              body: "发起“冷泡 8 小时”挑战，用户晒出自己的冷泡颜色，按颜色深浅排一个色卡。",
              tags: ["挑战", "冷泡", "灵感"], platforms: [.douyin, .xiaohongshu]),
        Entry(kind: .creativeNote, author: "zhaomin@mediaops.local", title: "社群里的“今日一杯”打卡",
              body: "每天早上机器人发一张茶饮图，群友回复自己今天喝的，连续打卡 7 天送一张券。",
              tags: ["社群", "打卡"], platforms: [.wechatOA]),
        Entry(kind: .creativeNote, author: "maxiao@mediaops.local", title: "和本地书店做“茶与书”周末",
              body: "书店提供阅读角，我们提供限定茶饮，买书送茶券、买茶送书签，双方各发一条。",
              tags: ["异业", "线下"], platforms: [.weibo, .xiaohongshu]),
        Entry(kind: .creativeNote, author: "liuyang@mediaops.local", title: "水温小测验",
              body: "做一个 5 道题的小测验：哪种茶用多少度的水。答对全部送饮品券，顺便把干货文再推一遍。",
              tags: ["互动", "茶知识"], platforms: [.wechatOA], links: ["一杯好茶的水温，差 5 度就不一样"]),
        Entry(kind: .creativeNote, author: "wujia@mediaops.local", title: "用数据讲故事：一年卖出多少杯桂花乌龙",
              body: "年底把销量、最常点的甜度、最早的一单时间做成一张长图，配上几条用户留言。",
              tags: ["年终", "数据", "长图"], platforms: [.weibo, .wechatOA]),
        Entry(kind: .creativeNote, author: "zhengnan@mediaops.local", title: "新品包装的开箱 ASMR",
              body: "瓶装茶换新包装时拍一条开箱 ASMR，只有声音和手，没有旁白。",
              tags: ["ASMR", "视频", "瓶装茶"], platforms: [.douyin, .bilibili], links: ["瓶装茶新配方：少糖不少味"]),
        Entry(kind: .creativeNote, author: "hechang@mediaops.local", title: "写字楼下午茶团购",
              body: "和园区物业合作，每周三下午 3 点前下单满 10 杯送到楼下，物业公众号帮我们发。",
              tags: ["渠道", "团购"], platforms: [.wechatOA]),
        Entry(kind: .creativeNote, author: "chenjing@mediaops.local", title: "海外账号讲中国茶的小知识",
              body: "X 和 Mastodon 上每周一条 Tea Fact，配一张茶叶特写，用简单英文讲一个冷知识。",
              tags: ["海外", "茶知识"], platforms: [.x, .mastodon], links: ["Winter menu: osmanthus oolong latte is back"]),
        Entry(kind: .creativeNote, author: "sunhao@mediaops.local", title: "市集摊位做“盲盒茶”",
              body: "摊位上卖三种口味的盲盒茶，杯子上不写名字，喝完扫码猜口味，猜对下次半价。",
              tags: ["市集", "活动", "灵感"], platforms: [.xiaohongshu, .douyin], links: ["周末市集见！青禾快闪摊位地图"]),
        // Templates (模板)
        Entry(kind: .template, author: "liuyang@mediaops.local", title: "新品上市公众号推文",
              body: "【开头】一句话说清上新了什么，配一个场景：天冷了 / 下午犯困时……\n\n【产品】三个卖点，每个一句话：茶底、口感、推荐喝法。\n\n【渠道】门店和小程序的上架时间，限量就写清数量。\n\n【互动】留言说说你最想在什么时候喝它。",
              tags: ["新品", "公众号", "推文"], platforms: [.wechatOA], links: ["冬日限定：桂花乌龙拿铁回归"]),
        Entry(kind: .template, author: "liuyang@mediaops.local", title: "活动规则说明",
              body: "活动时间：____ 至 ____\n\n参与方式：____\n\n适用渠道：门店 / 小程序（外卖平台是否参与要写明）\n\n注意事项：每人限 __ 次；最终解释以小程序页面为准。",
              tags: ["活动", "规则"], platforms: [.wechatOA, .weibo], links: ["会员日：第二杯半价规则说明"]),
        Entry(kind: .template, author: "zhaomin@mediaops.local", title: "社群欢迎语",
              body: "欢迎来到青禾茶饮的小茶馆！\n\n这里每周三有新品试饮名额，每周五有抽奖。\n\n有问题直接@群主，我们工作日 10 点到 22 点都在。",
              tags: ["社群", "欢迎语"], platforms: [.wechatOA]),
        Entry(kind: .template, author: "chenjing@mediaops.local", title: "差评公开回复话术",
              body: "您好，非常抱歉这次没有让您满意。我们已经把情况转给门店店长，会在今天内联系您处理。\n\n方便的话请私信留下联系方式和门店，我们马上跟进。",
              tags: ["客服", "话术", "舆情"], platforms: [.weibo, .xiaohongshu, .douyin]),
        Entry(kind: .template, author: "wangyutong@mediaops.local", title: "小红书探店笔记",
              body: "标题：__ 城隐藏菜单｜这杯 __ 真的绝了\n\n第一段：在哪、怎么去、几点人少。\n\n第二段：点了什么，口感用两个具体的词。\n\n第三段：价格和一个小建议。\n\n标签：#城市探店 #新式茶饮 #__",
              tags: ["小红书", "探店"], platforms: [.xiaohongshu]),
        Entry(kind: .template, author: "sunhao@mediaops.local", title: "抖音新品口播脚本",
              body: "0–3 秒：手举杯子，“今天只做一件事，告诉你这杯怎么喝最好喝。”\n\n3–15 秒：特写茶底和加料过程。\n\n15–25 秒：两种喝法对比。\n\n25–30 秒：“门店和小程序都有，评论区告诉我你选哪种。”",
              tags: ["抖音", "脚本", "新品"], platforms: [.douyin]),
        Entry(kind: .template, author: "wujia@mediaops.local", title: "周报开头三句话",
              body: "本周粉丝净增 __，篇均阅读 __，互动率 __%。\n\n最好的一条是《__》，原因可能是 __。\n\n下周要试：__。",
              tags: ["周报", "数据"], platforms: []),
        Entry(kind: .template, author: "maxiao@mediaops.local", title: "媒体邀约函",
              body: "__ 老师您好：\n\n青禾茶饮将于 __ 月 __ 日在 __ 举办 __，诚邀您到场体验。\n\n现场安排：____\n\n如方便，请在 __ 日前回复是否出席。",
              tags: ["媒介", "邀约"], platforms: []),
        Entry(kind: .template, author: "hechang@mediaops.local", title: "互推合作确认邮件",
              body: "双方账号：__ 与 __\n\n发布时间：__ 月 __ 日 __ 点，同一时段发布\n\n内容：各自推荐对方一次，篇幅不少于 __ 字\n\n数据：发布后三天互看后台截图",
              tags: ["渠道", "互推", "邮件"], platforms: [.wechatOA]),
        Entry(kind: .template, author: "zhengnan@mediaops.local", title: "设计需求单",
              body: "用途：__（封面 / 海报 / 长图）\n\n平台与尺寸：__\n\n必须出现的文字：__\n\n参考图：__\n\n交付时间：__",
              tags: ["设计", "需求"], platforms: []),
        Entry(kind: .template, author: "liuyang@mediaops.local", title: "知乎专业回答结构",
              body: "结论：____\n\n原因：____（引用一条可查的资料）\n\n方法：____\n\n顺带一提：____",
              tags: ["知乎", "回答"], platforms: [.zhihu], links: ["为什么我们坚持用原叶茶"]),
        Entry(kind: .template, author: "wangyutong@mediaops.local", title: "热点借势短评",
              body: "今天大家都在聊 __。\n\n我们想说的是：__（和茶有关的一个角度）\n\n一个小建议：__\n\n你怎么看？",
              tags: ["热点", "短评"], platforms: [.weibo], links: ["热点｜降温了，这样喝茶更暖胃"]),
    ]

    struct Course { var member: String; var course: String; var provider: String; var daysAgo: Int; var hours: Double; var result: TrainingResult; var score: Double? }

    static let courses: [Course] = [
        Course(member: "wangyutong@mediaops.local", course: "公众号内容策划进阶", provider: "平台官方课程", daysAgo: 40, hours: 6, result: .passed, score: 88),
        Course(member: "wangyutong@mediaops.local", course: "短视频剪辑入门", provider: "公司内训", daysAgo: 150, hours: 4, result: .attended, score: nil),
        Course(member: "liuyang@mediaops.local", course: "广告法与内容合规", provider: "公司内训", daysAgo: 25, hours: 3, result: .passed, score: 95),
        Course(member: "liuyang@mediaops.local", course: "爆款标题写作工作坊", provider: "行业协会", daysAgo: 200, hours: 8, result: .passed, score: 82),
        Course(member: "zhaomin@mediaops.local", course: "社群运营与用户分层", provider: "平台官方课程", daysAgo: 60, hours: 6, result: .passed, score: 79),
        Course(member: "zhaomin@mediaops.local", course: "广告法与内容合规", provider: "公司内训", daysAgo: 25, hours: 3, result: .failed, score: 54),
        Course(member: "sunhao@mediaops.local", course: "抖音直播运营进阶", provider: "平台官方课程", daysAgo: 12, hours: 6, result: .pending, score: nil),
        Course(member: "sunhao@mediaops.local", course: "活动预算与复盘", provider: "公司内训", daysAgo: 95, hours: 2.5, result: .passed, score: 90),
        Course(member: "wujia@mediaops.local", course: "A/B 检验与显著性", provider: "在线课程", daysAgo: 70, hours: 10, result: .passed, score: 93),
        Course(member: "zhengnan@mediaops.local", course: "品牌视觉规范", provider: "公司内训", daysAgo: 110, hours: 3, result: .attended, score: nil),
        Course(member: "huanglei@mediaops.local", course: "公众号接口与菜单配置", provider: "平台官方课程", daysAgo: 80, hours: 5, result: .passed, score: 86),
        Course(member: "hechang@mediaops.local", course: "商务谈判基础", provider: "外部培训机构", daysAgo: 130, hours: 12, result: .passed, score: 77),
        Course(member: "maxiao@mediaops.local", course: "舆情应对与危机沟通", provider: "外部培训机构", daysAgo: 45, hours: 8, result: .passed, score: 84),
        Course(member: "chenjing@mediaops.local", course: "新媒体团队管理", provider: "行业协会", daysAgo: 160, hours: 16, result: .passed, score: 91),
        Course(member: "chenjing@mediaops.local", course: "广告法与内容合规", provider: "公司内训", daysAgo: 25, hours: 3, result: .passed, score: 97),
        Course(member: "zhouhang@mediaops.local", course: "目标管理与团队规划", provider: "外部培训机构", daysAgo: 400, hours: 12, result: .passed, score: 89),
    ]

    static func load(database: Database, content: ContentService, owner: Principal, now: Date = Date()) async throws {
        let members = try await MemberRepository(database.sql).all()
        let byEmail = Dictionary(members.map { ($0.email, $0) }, uniquingKeysWith: { first, _ in first })
        let items = try await content.list(filter: ContentFilter(), page: PageRequest(page: 1, perPage: 200)).items
        let itemIDs = Dictionary(items.map { ($0.title, $0.id) }, uniquingKeysWith: { first, _ in first })
        let knowledge = KnowledgeService.standard(database: database, content: content)
        func principal(_ email: String) -> Principal {
            guard let member = byEmail[email] else { return owner }
            // Each entry is written by the person whose work it comes from.
            return Principal(memberID: member.id, name: member.name, roleKeys: member.roleKeys, permissions: Set(Permission.allCases))
        }
        for (index, entry) in entries.enumerated() {
            // Written over the past months, oldest first.
            let written = now.addingTimeInterval(-Double(entries.count - index) * 2.5 * 86_400)
            let author = principal(entry.author)
            let saved = try await knowledge.create(KnowledgeEntry(id: "", kind: entry.kind, title: entry.title, body: entry.body, tags: entry.tags,
                                                                  platforms: entry.platforms), by: author, now: written)
            for title in entry.links {
                guard let id = itemIDs[title] else { continue }
                try await knowledge.link(entryID: saved.id, kind: .content, targetID: id, by: author, now: written)
            }
            // A few entries were improved by a colleague later: their history shows two versions.
            if index % 7 == 3 {
                var edited = saved
                edited.tags.append("已验证")
                _ = try await knowledge.update(edited, expectedVersion: saved.version, by: principal("chenjing@mediaops.local"),
                                               now: written.addingTimeInterval(86_400))
            }
        }
        let training = TrainingService(database: database)
        let today = LocalDate(now, timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        let recorder = principal("chenjing@mediaops.local")
        for course in courses {
            guard let member = byEmail[course.member] else { continue }
            // The manager records her team; the director's and her own courses the director records.
            let by = course.member == "chenjing@mediaops.local" || course.member == "zhouhang@mediaops.local" ? principal("zhouhang@mediaops.local") : recorder
            _ = try await training.create(TrainingRecord(id: "", memberID: member.id, course: course.course, provider: course.provider,
                                                         day: today.adding(days: -course.daysAgo), hours: course.hours, result: course.result, score: course.score),
                                          by: by, now: now)
        }
    }

    /// Entries the team reads before working on its goal and some of its tasks,
    /// linked once goals and tasks exist, so 相关经验 shows on their pages too.
    static let workLinks: [(entry: String, goal: Bool, tasks: [String])] = [
        ("半年目标要按阶段拆，不能平均分到每个月", true, ["季度复盘提纲"]),
        ("渠道互推要写清楚谁先发", true, []),
        ("季度复盘会的议程", false, ["季度复盘提纲"]),
        ("达人探店合作的五步", false, ["门店探店视频脚本"]),
        ("抖音新品口播脚本", false, ["门店探店视频脚本"]),
        ("差评出现后的 30 分钟处理流程", false, ["整理上周评论区高频问题"]),
        ("一套主视觉改出五个平台的尺寸", false, ["新品海报三个尺寸"]),
        ("周报开头三句话", false, ["周报：上周数据复盘"]),
    ]

    static func linkWork(components: AppComponents, owner: Principal, now: Date = Date()) async throws {
        let database = components.database
        let content = ContentService(database: database)
        let goals = GoalService(database: database, team: components.team, analytics: AnalyticsService(database: database))
        let knowledge = KnowledgeService.standard(database: database, content: content, goals: goals, tasks: components.tasks)
        let entries = try await knowledge.list(filter: KnowledgeFilter(), page: PageRequest(page: 1, perPage: 200)).items
        let entryIDs = Dictionary(entries.map { ($0.title, $0.id) }, uniquingKeysWith: { first, _ in first })
        let goalID = try await goals.options().first(where: { $0.name == "服务号半年涨粉 5 万" })?.id
        let tasks = try await components.tasks.list(TaskFilter(), page: PageRequest(page: 1, perPage: 200)).items
        let taskIDs = Dictionary(tasks.map { ($0.title, $0.id) }, uniquingKeysWith: { first, _ in first })
        for link in workLinks {
            guard let entryID = entryIDs[link.entry] else { continue }
            if link.goal, let goalID { try await knowledge.link(entryID: entryID, kind: .goal, targetID: goalID, by: owner, now: now) }
            for title in link.tasks {
                guard let taskID = taskIDs[title] else { continue }
                try await knowledge.link(entryID: entryID, kind: .task, targetID: taskID, by: owner, now: now)
            }
        }
    }
}
