import Foundation

// A pure-Swift checker for Chinese marketing copy: Advertising Law (广告法) terms,
// medical and financial claims, off-platform traffic diversion, and the
// workspace's own word lists. The built-in rules live in ComplianceRules.swift.
//
// How a check runs:
// 1. The input (plain text or sanitised HTML) becomes a "visible" text: tags are
//    dropped (inline tags such as <b> are transparent, block tags such as <p>
//    become a line break), entities are decoded, zero-width characters vanish,
//    full-width Latin and digits become half-width, Latin is lower-cased. Every
//    visible character remembers which code points of the original it came from.
// 2. Each rule is a regular expression over the visible text with look-arounds
//    for the words that make or break a claim, plus sentence-level gates
//    (e.g. a disease name counts only next to a product, not in a news report)
//    and a negation check (没有无风险的投资 is a warning, not a promise).
// 3. Overlapping matches are resolved (blocking before warning, longer before
//    shorter) and findings are returned in text order with offsets into the
//    original string.

/// What kind of problem a finding is.
public enum ComplianceCategory: String, CaseIterable, Sendable, Codable {
    /// 广告法第九条第三项 (“国家级”“最高级”“最佳”) and terms of the same meaning
    /// per 市场监管总局《广告绝对化用语执法指南》(2023).
    case absoluteTerm = "absolute_term"
    /// 广告法第十六条 (medical ads' forbidden claims) and 第十七条 (no treatment
    /// claims or medical terms outside medical, drug and device ads).
    case medicalClaim = "medical_claim"
    /// 广告法第二十五条: no guaranteed returns, 保本, 无风险 in investment ads.
    case financialGuarantee = "financial_guarantee"
    /// 广告法第九条第一项 (national flag, anthem, emblem …) and 第二项 (name or image
    /// of state organs and their staff).
    case falseAuthority = "false_authority"
    /// 广告法第九条第八项 (迷信内容). Built-in rules only warn.
    case superstition = "superstition"
    /// The workspace's banned-word list.
    case banned = "banned"
    /// The workspace's sensitive-word list.
    case sensitive = "sensitive"
    /// The workspace's competitor names.
    case competitor = "competitor"
    /// 导流: WeChat IDs, phone numbers, QR-code groups; platforms punish it.
    case trafficDiversion = "traffic_diversion"
}

public enum ComplianceSeverity: String, Sendable, Codable {
    /// Must be fixed before publishing.
    case block
    /// Worth a second look; may be fine with evidence or in context.
    case warn
}

public struct ComplianceFinding: Sendable, Equatable, Codable {
    /// Offset in Unicode code points (`text.unicodeScalars`) of the original input, inclusive.
    public var start: Int
    /// Offset in code points, exclusive.
    public var end: Int
    /// The matched text exactly as it appears in the input (inline tags included
    /// when a match spans them).
    public var term: String
    public var category: ComplianceCategory
    /// The statute the rule rests on, e.g. "广告法第九条第三项"; nil for workspace lists
    /// and for platform rules (traffic diversion).
    public var article: String?
    public var severity: ComplianceSeverity
    public var suggestionZh: String
    public var suggestionEn: String
    /// Stable id of the rule that matched ("abs.best", "list.competitor" …).
    public var ruleID: String

    public init(start: Int, end: Int, term: String, category: ComplianceCategory, article: String?, severity: ComplianceSeverity, suggestionZh: String, suggestionEn: String, ruleID: String) {
        self.start = start
        self.end = end
        self.term = term
        self.category = category
        self.article = article
        self.severity = severity
        self.suggestionZh = suggestionZh
        self.suggestionEn = suggestionEn
        self.ruleID = ruleID
    }
}

/// A word list kept by the workspace (banned words, sensitive words, competitor
/// names, extra diversion phrases). Terms match case- and width-insensitively;
/// Latin terms only as whole words.
public struct ComplianceWordList: Sendable, Equatable {
    public var category: ComplianceCategory
    public var terms: [String]
    public var severity: ComplianceSeverity

    public init(category: ComplianceCategory, terms: [String], severity: ComplianceSeverity) {
        self.category = category
        self.terms = terms
        self.severity = severity
    }
}

public struct ComplianceChecker: Sendable {
    private let lists: [CompiledComplianceRule]

    public init(wordLists: [ComplianceWordList] = []) {
        lists = wordLists.enumerated().compactMap { index, list in CompiledComplianceRule(list: list, order: index) }
    }

    /// Findings in text order, without overlaps. `platform` tunes diversion rules:
    /// pointing readers to WeChat is not diversion on WeChat itself, and the
    /// platforms that punish diversion hardest get `.block` instead of `.warn`.
    public func check(_ text: String, platform: Platform? = nil) -> [ComplianceFinding] {
        let prepared = CompliancePreparedText(text)
        if prepared.visible.isEmpty { return [] }
        var candidates: [ComplianceCandidate] = []
        for rule in lists { rule.collect(in: prepared, platform: platform, into: &candidates) }
        for rule in CompiledComplianceRule.builtin { rule.collect(in: prepared, platform: platform, into: &candidates) }
        return Self.resolve(candidates, in: prepared)
    }

    /// How many rules the built-in table holds.
    public static var builtinRuleCount: Int { CompiledComplianceRule.builtin.count }

    /// Ids of the built-in rules, in table order.
    public static var builtinRuleIDs: [String] { CompiledComplianceRule.builtin.map(\.spec.id) }

    /// Counts findings by severity.
    public static func summary(_ findings: [ComplianceFinding]) -> (blocking: Int, warnings: Int) {
        let blocking = findings.filter { $0.severity == .block }.count
        return (blocking, findings.count - blocking)
    }

    /// Keeps the strongest of overlapping matches: blocking before warning, then
    /// the longer match, then the earlier one, then workspace lists before built-ins.
    private static func resolve(_ candidates: [ComplianceCandidate], in text: CompliancePreparedText) -> [ComplianceFinding] {
        let ranked = candidates.sorted { a, b in
            if a.severity != b.severity { return a.severity == .block }
            if a.length != b.length { return a.length > b.length }
            if a.start != b.start { return a.start < b.start }
            return a.order < b.order
        }
        var kept: [ComplianceCandidate] = []
        for candidate in ranked where !kept.contains(where: { $0.start < candidate.end && candidate.start < $0.end }) {
            kept.append(candidate)
        }
        kept.sort { $0.start < $1.start }
        return kept.map { c in
            ComplianceFinding(
                start: c.start, end: c.end, term: text.original(c.start, c.end),
                category: c.spec.category, article: c.spec.article, severity: c.severity,
                suggestionZh: c.spec.advice.zh, suggestionEn: c.spec.advice.en, ruleID: c.spec.id
            )
        }
    }
}

// MARK: - Matching

struct ComplianceCandidate {
    var start: Int   // original code points
    var end: Int
    var severity: ComplianceSeverity
    var spec: ComplianceRuleSpec
    var order: Int
    var length: Int { end - start }
}

/// NSRegularExpression is immutable and documented as safe to share between
/// threads; the box only states that for toolchains that do not mark it Sendable.
final class ComplianceRegexBox: @unchecked Sendable {
    let regex: NSRegularExpression
    init(_ regex: NSRegularExpression) { self.regex = regex }
}

struct CompiledComplianceRule: Sendable {
    let spec: ComplianceRuleSpec
    let box: ComplianceRegexBox
    let order: Int

    static let builtin: [CompiledComplianceRule] = BuiltinComplianceRules.all.enumerated().map { index, spec in
        do {
            return CompiledComplianceRule(spec: spec, box: ComplianceRegexBox(try NSRegularExpression(pattern: spec.pattern)), order: 1000 + index)
        } catch {
            preconditionFailure("compliance rule \(spec.id) has an invalid pattern: \(error)")
        }
    }

    init(spec: ComplianceRuleSpec, box: ComplianceRegexBox, order: Int) {
        self.spec = spec
        self.box = box
        self.order = order
    }

    /// A workspace list as one alternation, longest terms first; nil when empty.
    init?(list: ComplianceWordList, order: Int) {
        let terms = Set(list.terms.map { CompliancePreparedText.normalizedTerm($0) }.filter { !$0.isEmpty })
        guard !terms.isEmpty else { return nil }
        let alternatives = terms.sorted { $0.unicodeScalars.count != $1.unicodeScalars.count ? $0.unicodeScalars.count > $1.unicodeScalars.count : $0 < $1 }.map { term -> String in
            var pattern = NSRegularExpression.escapedPattern(for: term)
            if let first = term.unicodeScalars.first, first.isComplianceWordCharacter { pattern = "(?<![a-z0-9_])" + pattern }
            if let last = term.unicodeScalars.last, last.isComplianceWordCharacter { pattern += "(?![a-z0-9_])" }
            return pattern
        }
        guard let regex = try? NSRegularExpression(pattern: alternatives.joined(separator: "|")) else { return nil }
        let advice = ComplianceAdvice.forList(list.category)
        spec = ComplianceRuleSpec(id: "list.\(list.category.rawValue)", category: list.category, article: nil, severity: list.severity, pattern: "", advice: advice, negatable: false)
        box = ComplianceRegexBox(regex)
        self.order = order
    }

    func collect(in text: CompliancePreparedText, platform: Platform?, into candidates: inout [ComplianceCandidate]) {
        guard let severity = spec.platformPolicy.severity(spec.severity, platform: platform) else { return }
        let matches = box.regex.matches(in: text.visible, range: NSRange(location: 0, length: text.utf16Count))
        for match in matches {
            let from = text.visibleIndex(utf16: match.range.location)
            let to = text.visibleIndex(utf16: match.range.location + match.range.length)
            guard from < to, spec.gate.admits(text: text, from: from, to: to) else { continue }
            if spec.negatable, text.isNegated(before: from) || text.isHearsayOrQuestion(from: from, to: to) { continue }
            let (start, end) = text.originalRange(from: from, to: to)
            candidates.append(ComplianceCandidate(start: start, end: end, severity: severity, spec: spec, order: order))
        }
    }
}

fileprivate extension Unicode.Scalar {
    var isComplianceWordCharacter: Bool {
        (value >= 0x30 && value <= 0x39) || (value >= 0x61 && value <= 0x7A) || (value >= 0x41 && value <= 0x5A) || value == 0x5F
    }
}

// MARK: - Rule description

struct ComplianceAdvice: Sendable {
    var zh: String
    var en: String
}

/// Sentence-level conditions around a match. A sentence ends at 。！？；or a line break.
struct ComplianceContextGate: Sendable {
    /// The sentence must contain one of these (or one of `strongAny`).
    var requireAny: [String] = []
    /// Markers of a sales pitch; when present they satisfy `requireAny` and override `newsAny`.
    var strongAny: [String] = []
    /// Markers of reporting or advice; the match is skipped unless a strong marker is present.
    var newsAny: [String] = []
    /// The match is skipped when the sentence contains one of these.
    var vetoAny: [String] = []
    /// The match is skipped when its clause (up to a comma) contains one of these.
    var clauseVetoAny: [String] = []

    static let none = ComplianceContextGate()

    func admits(text: CompliancePreparedText, from: Int, to: Int) -> Bool {
        if requireAny.isEmpty, strongAny.isEmpty, newsAny.isEmpty, vetoAny.isEmpty, clauseVetoAny.isEmpty { return true }
        if !clauseVetoAny.isEmpty {
            let clause = text.span(around: from, to: to, breakingAtCommas: true)
            if clauseVetoAny.contains(where: clause.contains) { return false }
        }
        let sentence = text.span(around: from, to: to, breakingAtCommas: false)
        if vetoAny.contains(where: sentence.contains) { return false }
        let strong = strongAny.contains(where: sentence.contains)
        if !requireAny.isEmpty, !strong, !requireAny.contains(where: sentence.contains) { return false }
        if !strong, newsAny.contains(where: sentence.contains) { return false }
        return true
    }
}

/// How a rule's severity depends on the target platform.
enum CompliancePlatformPolicy: Sendable {
    /// Same everywhere.
    case fixed
    /// Diversion to WeChat: not reported on WeChat's own surfaces, blocking where
    /// platforms punish off-site contact hardest.
    case wechatDiversion
    /// Other diversion (phone numbers, QQ, groups): blocking on strict platforms.
    case diversion

    static let strict: Set<Platform> = [.xiaohongshu, .douyin, .kuaishou, .bilibili, .weibo, .zhihu, .toutiao]

    func severity(_ base: ComplianceSeverity, platform: Platform?) -> ComplianceSeverity? {
        switch self {
        case .fixed:
            return base
        case .wechatDiversion:
            if platform == .wechatOA || platform == .wechatChannels { return nil }
            return platform.map { Self.strict.contains($0) } == true ? .block : base
        case .diversion:
            return platform.map { Self.strict.contains($0) } == true ? .block : base
        }
    }
}

struct ComplianceRuleSpec: Sendable {
    var id: String
    var category: ComplianceCategory
    var article: String?
    var severity: ComplianceSeverity
    /// ICU regular expression over the visible, normalised text (lower-case,
    /// half-width; ！？，；： appear as ASCII).
    var pattern: String
    var advice: ComplianceAdvice
    var gate: ComplianceContextGate = .none
    /// Skip the match when a negation or warning word directly precedes it.
    var negatable: Bool = true
    var platformPolicy: CompliancePlatformPolicy = .fixed
}

// MARK: - Text preparation

/// The input with markup removed and characters normalised, keeping a map from
/// every visible character back to the code points it came from.
struct CompliancePreparedText {
    let original: [Unicode.Scalar]
    let scalars: [Unicode.Scalar]       // visible, normalised
    let starts: [Int]                   // per visible scalar: first original code point
    let ends: [Int]                     // per visible scalar: one past its last code point
    let visible: String
    let utf16Count: Int
    private let utf16ToVisible: [Int]

    private static let inlineTags: Set<String> = [
        "a", "abbr", "b", "bdi", "bdo", "cite", "code", "del", "dfn", "em", "font", "i", "ins", "kbd",
        "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "u", "var", "wbr",
    ]
    private static let rawTextTags: Set<String> = ["script", "style", "textarea", "title"]
    private static let sentenceBreaks: Set<Unicode.Scalar> = ["。", "!", "?", ";", "\n", "\r", "…"]
    private static let clauseBreaks: Set<Unicode.Scalar> = [",", "、", ":", "。", "!", "?", ";", "\n", "\r", "…"]

    init(_ text: String) {
        let source = Array(text.unicodeScalars)
        var scalars: [Unicode.Scalar] = []
        var starts: [Int] = []
        var ends: [Int] = []
        scalars.reserveCapacity(source.count)
        func emit(_ scalar: Unicode.Scalar, _ from: Int, _ to: Int) {
            guard let normal = Self.normalize(scalar) else { return }
            scalars.append(normal)
            starts.append(from)
            ends.append(to)
        }
        var i = 0
        while i < source.count {
            let c = source[i]
            if c == "<", let tag = Self.tag(in: source, at: i) {
                if !Self.inlineTags.contains(tag.name) { emit("\n", i, tag.end) }
                i = tag.end
                if !tag.closing, Self.rawTextTags.contains(tag.name) {
                    // Skip the raw text up to the closing tag.
                    let close = Self.find("</" + tag.name, in: source, from: i) ?? source.count
                    i = close
                }
                continue
            }
            if c == "&", let (decoded, length) = Self.entity(in: source, at: i) {
                emit(decoded, i, i + length)
                i += length
                continue
            }
            emit(c, i, i + 1)
            i += 1
        }
        // Spaces and dots between two Chinese characters carry no meaning and are a
        // common way to dodge filters (加 微 信, 全·网·最·低), so they are dropped.
        var kept = [Bool](repeating: true, count: scalars.count)
        for index in scalars.indices where Self.spacers.contains(scalars[index]) && index > 0 {
            var next = index + 1
            while next < scalars.count, Self.spacers.contains(scalars[next]) { next += 1 }
            if next < scalars.count, Self.isHan(scalars[index - 1]), Self.isHan(scalars[next]) { kept[index] = false }
        }
        if kept.contains(false) {
            let indices = scalars.indices.filter { kept[$0] }
            scalars = indices.map { scalars[$0] }
            starts = indices.map { starts[$0] }
            ends = indices.map { ends[$0] }
        }
        self.original = source
        self.scalars = scalars
        self.starts = starts
        self.ends = ends
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        visible = String(view)
        var map: [Int] = []
        map.reserveCapacity(scalars.count + 8)
        for (index, scalar) in scalars.enumerated() {
            map.append(index)
            if scalar.value > 0xFFFF { map.append(index) }
        }
        map.append(scalars.count)
        utf16ToVisible = map
        utf16Count = map.count - 1
    }

    func visibleIndex(utf16 offset: Int) -> Int { utf16ToVisible[min(max(offset, 0), utf16ToVisible.count - 1)] }

    func originalRange(from: Int, to: Int) -> (Int, Int) { (starts[from], ends[to - 1]) }

    func original(_ start: Int, _ end: Int) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: original[start..<end])
        return String(view)
    }

    /// The sentence (or clause) of visible text containing [from, to).
    func span(around from: Int, to: Int, breakingAtCommas: Bool) -> String {
        let breaks = breakingAtCommas ? Self.clauseBreaks : Self.sentenceBreaks
        var lower = from
        while lower > 0, !breaks.contains(scalars[lower - 1]) { lower -= 1 }
        var upper = to
        while upper < scalars.count, !breaks.contains(scalars[upper]) { upper += 1 }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[lower..<upper])
        return String(view)
    }

    /// Characters put between Chinese characters only to break a word apart.
    static let spacers: Set<Unicode.Scalar> = [" ", "·", "•", "・", "∙", "*", "丨", "|", "_", "/"]

    private static let negators = ["没有", "没", "不是", "并不", "并非", "绝非", "不", "非", "无法", "从未", "谨防", "警惕", "小心", "杜绝", "严禁", "禁止", "禁用", "拒绝", "别信", "勿信", "不存在", "远离", "避免", "所谓", "不敢说", "不敢称", "不敢说是", "称不上", "算不上", "谈不上"]
    private static let fillers = ["可以", "能够", "一定", "任何", "所谓的", "所谓", "什么", "用于", "使用", "出现", "宣传", "承诺", "号称", "能", "可", "会", "要", "来", "去", "的", "再", "都", "就", "也", "说", "是", "写", "用", "有", " ", "\"", "'", "“", "”", "「", "」", "《", "》", "(", "（"]

    /// True when the words right before `index` (same clause) negate or warn
    /// against what follows: 没有无风险的投资, 不能治疗疾病, 谨防“稳赚不赔”.
    func isNegated(before index: Int) -> Bool {
        var lower = index
        while lower > 0, index - lower < 10, !Self.clauseBreaks.contains(scalars[lower - 1]) { lower -= 1 }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[lower..<index])
        var window = String(view)
        var changed = true
        while changed, !window.isEmpty {
            changed = false
            if Self.negators.contains(where: window.hasSuffix) { return true }
            for filler in Self.fillers where window.hasSuffix(filler) {
                window.removeLast(filler.count)
                changed = true
                break
            }
        }
        return false
    }

    private static let hearsay = ["号称", "自称", "据说", "传说", "听说", "所谓"]
    private static let whWords = ["哪", "什么", "谁", "多少", "怎么", "为什么", "为何", "是否", "是不是"]

    /// True when the claim is reported rather than made (号称全城最好吃, 据说能招财)
    /// or sits in a real question (世界第一的产区在哪里？).
    func isHearsayOrQuestion(from: Int, to: Int) -> Bool {
        var lower = from
        while lower > 0, !Self.clauseBreaks.contains(scalars[lower - 1]) { lower -= 1 }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[lower..<from])
        let before = String(view)
        if Self.hearsay.contains(where: before.contains) { return true }
        var upper = to
        while upper < scalars.count, !Self.sentenceBreaks.contains(scalars[upper]) { upper += 1 }
        guard upper < scalars.count, scalars[upper] == "?" else { return false }
        let sentence = span(around: from, to: to, breakingAtCommas: false)
        return Self.whWords.contains(where: sentence.contains) || sentence.hasSuffix("吗") || sentence.hasSuffix("么")
    }

    // MARK: normalisation

    /// Full-width ASCII → half-width, Latin lower-case, odd spaces → space,
    /// zero-width characters dropped (nil).
    static func normalize(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        var value = scalar.value
        switch value {
        case 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD: return nil
        case 0x3000, 0x00A0, 0x2002...0x200A, 0x202F, 0x205F: return " "
        case 0xFF01...0xFF5E: value -= 0xFEE0
        default: break
        }
        if value >= 0x41, value <= 0x5A { value += 0x20 }
        return Unicode.Scalar(value) ?? scalar
    }

    static func normalizedTerm(_ term: String) -> String {
        var view = String.UnicodeScalarView()
        for scalar in term.unicodeScalars { if let n = normalize(scalar) { view.append(n) } }
        return String(view).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    // MARK: markup

    struct Tag {
        var name: String
        var closing: Bool
        var end: Int   // one past ">"
    }

    /// A tag starting at `i` ("<p>", "</a>", "<!-- … -->", "<br/>"); nil when "<" is
    /// just a character (e.g. "价格<100元").
    static func tag(in s: [Unicode.Scalar], at i: Int) -> Tag? {
        guard i + 1 < s.count else { return nil }
        let next = s[i + 1]
        if next == "!" {
            if i + 3 < s.count, s[i + 2] == "-", s[i + 3] == "-" {
                guard let close = find("-->", in: s, from: i + 4) else { return nil }
                return Tag(name: "!--", closing: false, end: close + 3)
            }
        } else if !(next == "/" || next == "?" || isASCIILetter(next)) {
            return nil
        }
        var j = i + 1
        let closing = next == "/"
        if closing { j += 1 }
        var name = ""
        while j < s.count, isASCIILetter(s[j]) || (s[j].value >= 0x30 && s[j].value <= 0x39) {
            name.unicodeScalars.append(Unicode.Scalar(s[j].value | 0x20) ?? s[j])
            j += 1
        }
        if name.isEmpty, next != "!", next != "?" { return nil }
        var quote: Unicode.Scalar?
        while j < s.count {
            let c = s[j]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == ">" {
                return Tag(name: name, closing: closing, end: j + 1)
            } else if c == "<" {
                return nil
            }
            j += 1
        }
        return nil
    }

    static func isHan(_ c: Unicode.Scalar) -> Bool {
        (0x4E00...0x9FFF).contains(c.value) || (0x3400...0x4DBF).contains(c.value) || (0xF900...0xFAFF).contains(c.value)
    }

    static func isASCIILetter(_ c: Unicode.Scalar) -> Bool {
        (c.value >= 0x41 && c.value <= 0x5A) || (c.value >= 0x61 && c.value <= 0x7A)
    }

    /// Case-insensitive (ASCII) search for `needle` from `from`.
    static func find(_ needle: String, in s: [Unicode.Scalar], from: Int) -> Int? {
        let n = Array(needle.unicodeScalars)
        guard !n.isEmpty, s.count >= n.count, from <= s.count - n.count else { return nil }
        outer: for i in from...(s.count - n.count) {
            for k in 0..<n.count {
                let a = s[i + k].value, b = n[k].value
                let la = (a >= 0x41 && a <= 0x5A) ? a + 0x20 : a
                if la != b { continue outer }
            }
            return i
        }
        return nil
    }

    private static let namedEntities: [String: Unicode.Scalar] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ",
        "ldquo": "“", "rdquo": "”", "lsquo": "‘", "rsquo": "’", "hellip": "…", "middot": "·", "mdash": "—",
    ]

    /// A character reference at `i` ("&amp;", "&#26368;", "&#x6700;") and its length.
    static func entity(in s: [Unicode.Scalar], at i: Int) -> (Unicode.Scalar, Int)? {
        var j = i + 1
        var body = ""
        while j < s.count, j - i <= 10, s[j] != ";" {
            body.unicodeScalars.append(s[j])
            j += 1
        }
        guard j < s.count, s[j] == ";", !body.isEmpty else { return nil }
        let length = j - i + 1
        if body.hasPrefix("#") {
            let digits = body.dropFirst()
            let value: UInt32?
            if digits.hasPrefix("x") || digits.hasPrefix("X") {
                value = UInt32(digits.dropFirst(), radix: 16)
            } else {
                value = UInt32(digits, radix: 10)
            }
            guard let v = value, let scalar = Unicode.Scalar(v) else { return nil }
            return (scalar, length)
        }
        guard let scalar = namedEntities[body.lowercased()] else { return nil }
        return (scalar, length)
    }
}
