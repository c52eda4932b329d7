import Foundation
import MediaOpsDomain

/// What an insight asks, read from the page's query string or the API's JSON:
/// which posts (scope and period), grouped how, compared how, on which
/// metric with which test. Every broken rule is collected before throwing,
/// so the form shows them all at once and the API lists them.
struct InsightQuestion: Sendable, Equatable {
    enum Scope: Sendable, Equatable {
        case workspace
        case group(String)
        case account(String)
    }

    enum Mode: String, CaseIterable, Sendable {
        /// Group A against group B (or against the rest when B is empty).
        case pair
        /// Every level against the rest.
        case each
    }

    var scope: Scope
    var period: ReportingPeriod
    var dimension: InsightDimension
    var mode: Mode
    var comparison: InsightComparison
    var metric: InsightMetric
    var test: SignificanceTest

    static let maxLevelLength = 40
    static let maxPostIDLength = 64
    /// Period kinds offered here (a calendar month has no meaning for "the last posts").
    static let defaultPeriod = "90d"

    enum Problem: String, CaseIterable {
        /// Group B is the same as group A.
        case sameGroups = "insight_same_groups"
        /// A hand-picked post is in both groups.
        case postInBothGroups = "insight_post_in_both_groups"
        /// Too many hand-picked posts in a group.
        case tooManyPosts = "insight_too_many_posts"
        /// The account or group of the scope does not exist.
        case unknownScope = "insight_unknown_scope"
        /// A level that is not one of the dimension's (`choices`).
        case unknownLevel = "insight_unknown_level"
    }

    /// The fields a reader reads, whatever the transport.
    struct Source {
        var string: (String) throws -> String?
        /// A list: a JSON array of strings, or a text box with one id per line / comma / space.
        var list: (String) throws -> [String]?
    }

    static func read(query: FormData, today: LocalDate, catalogs: Catalogs) throws -> InsightQuestion {
        let text = { (name: String) -> String? in
            guard let value = query[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
            return value
        }
        let source = Source(string: { text($0) }, list: { name in
            text(name).map { $0.split(whereSeparator: { $0 == "," || $0 == "，" || $0.isWhitespace }).map(String.init) }
        })
        // The page's one "scope" select: "", "group:ID" or "account:ID".
        var scopeField: (group: String?, account: String?) = (nil, nil)
        if let scope = text("scope") {
            if scope.hasPrefix("group:") { scopeField.group = String(scope.dropFirst(6)) } else if scope.hasPrefix("account:") { scopeField.account = String(scope.dropFirst(8)) } else {
                throw ValidationError(field: "scope", code: Problem.unknownScope.rawValue)
            }
        }
        return try read(source, today: today, catalogs: catalogs, group: scopeField.group, account: scopeField.account, scopeField: "scope")
    }

    static func read(json input: JSONInput, today: LocalDate, catalogs: Catalogs) throws -> InsightQuestion {
        let source = Source(string: { try input.string($0) }, list: { try input.strings($0) })
        var collector = ValidationCollector()
        let group = try collector.check { try input.string("group_id") } ?? nil
        let account = try collector.check { try input.string("account_id") } ?? nil
        try collector.finish()
        if group != nil && account != nil { throw ValidationError(field: "group_id", code: "insight_one_scope") }
        return try read(source, today: today, catalogs: catalogs, group: group, account: account, scopeField: account != nil ? "account_id" : "group_id")
    }

    static func read(_ source: Source, today: LocalDate, catalogs: Catalogs, group: String?, account: String?, scopeField: String) throws -> InsightQuestion {
        var collector = ValidationCollector()
        let period = try collector.check { () throws -> ReportingPeriod in
            let kind = try source.string("period") ?? defaultPeriod
            if kind == ReportingPeriod.Kind.month.rawValue {
                throw ValidationError(field: "period", code: "invalid_choice", params: ["choices": "7d, 30d, 90d, custom"])
            }
            return try ReportingPeriod.parse(period: kind, month: nil, from: try source.string("from"), to: try source.string("to"), today: today)
        }
        let dimension = try collector.check { () throws -> InsightDimension in
            guard let raw = try source.string("dimension") else { return .category }
            guard let dimension = InsightDimension(rawValue: raw) else {
                throw ValidationError(field: "dimension", code: "invalid_choice", params: ["choices": InsightDimension.allCases.map(\.rawValue).joined(separator: ", ")])
            }
            return dimension
        }
        let metric = try collector.check { () throws -> InsightMetric in
            guard let raw = try source.string("metric") else { return .default }
            guard let metric = InsightMetric(rawValue: raw) else {
                throw ValidationError(field: "metric", code: "invalid_choice", params: ["choices": InsightMetric.allCases.map(\.rawValue).joined(separator: ", ")])
            }
            return metric
        }
        let test = try collector.check { () throws -> SignificanceTest in
            guard let raw = try source.string("test") else { return .welch }
            guard let test = SignificanceTest(rawValue: raw), test != .twoProportions else {
                throw ValidationError(field: "test", code: "invalid_choice", params: ["choices": "welch, mann_whitney"])
            }
            return test
        }
        let mode = try collector.check { () throws -> Mode in
            guard let raw = try source.string("comparison") else { return .pair }
            guard let mode = Mode(rawValue: raw) else {
                throw ValidationError(field: "comparison", code: "invalid_choice", params: ["choices": Mode.allCases.map(\.rawValue).joined(separator: ", ")])
            }
            return mode
        }
        var comparison: InsightComparison?
        if let dimension, let mode {
            if dimension == .posts {
                let a = try collector.check { try picked(source.list("a_posts"), field: "a_posts") }
                let b = try collector.check { try picked(source.list("b_posts"), field: "b_posts") }
                if let a, let b {
                    if let shared = a.first(where: Set(b).contains) {
                        collector.add(ValidationError(field: "b_posts", code: Problem.postInBothGroups.rawValue, params: ["id": String(shared.prefix(maxPostIDLength))]))
                    } else {
                        comparison = .posts(a: a, b: b)
                    }
                }
            } else if mode == .each {
                comparison = .eachAgainstRest
            } else {
                let a = try collector.check { () throws -> String in
                    guard let raw = try source.string("group_a") else { throw ValidationError(field: "group_a", code: "required") }
                    return try level(raw, dimension: dimension, field: "group_a", catalogs: catalogs)
                }
                let b = try collector.check { () throws -> String? in
                    guard let raw = try source.string("group_b") else { return nil }
                    return try level(raw, dimension: dimension, field: "group_b", catalogs: catalogs)
                } ?? nil
                if let a {
                    if let b, b == a { collector.add(ValidationError(field: "group_b", code: Problem.sameGroups.rawValue)) } else { comparison = .pair(a: a, b: b) }
                }
            }
        }
        try collector.finish()
        guard let period, let dimension, let mode, let metric, let test, let comparison else { throw ValidationError(field: "dimension", code: "required") }
        let scope: Scope = account.map { .account($0) } ?? group.map { .group($0) } ?? .workspace
        return InsightQuestion(scope: scope, period: period, dimension: dimension, mode: mode, comparison: comparison, metric: metric, test: test)
    }

    /// A level as its code ("emotional", "21", "3") or, for people typing, as
    /// either language's label ("情感共鸣", "21 点", "周三", "Wed").
    static func level(_ raw: String, dimension: InsightDimension, field: String, catalogs: Catalogs) throws -> String {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard text.unicodeScalars.count <= maxLevelLength else { throw ValidationError(field: field, code: "too_long", params: ["max": String(maxLevelLength)]) }
        guard let levels = dimension.fixedLevels else { return text }  // a tag is whatever the team wrote
        if levels.contains(text) { return text }
        if let known = InsightLabels.level(forLabel: text, dimension: dimension, catalogs: catalogs) { return known }
        throw ValidationError(field: field, code: Problem.unknownLevel.rawValue, params: ["choices": levels.joined(separator: ", ")])
    }

    static func picked(_ ids: [String]?, field: String) throws -> [String] {
        guard let ids, !ids.isEmpty else { throw ValidationError(field: field, code: "required") }
        guard ids.count <= Insights.maximumPicked else {
            throw ValidationError(field: field, code: Problem.tooManyPosts.rawValue, params: ["max": String(Insights.maximumPicked)])
        }
        for id in ids where id.unicodeScalars.count > maxPostIDLength {
            throw ValidationError(field: field, code: "too_long", params: ["max": String(maxPostIDLength)])
        }
        var seen = Set<String>()
        return ids.filter { seen.insert($0).inserted }
    }
}

/// Names of levels in both languages, for reading what people type and for
/// showing a level. Kept beside the catalogs' keys: `InsightLabels.key`.
enum InsightLabels {
    /// The catalog key of a fixed level's label (nil for tags and hand-picked groups).
    static func key(_ level: String, dimension: InsightDimension) -> String? {
        switch dimension {
        case .category: "content.category_\(level)"
        case .platform: "platform.\(level).short"
        case .format: "analytics.insights.format.\(level)"
        case .length: "analytics.insights.length.\(level)"
        case .cover: "analytics.insights.cover.\(level)"
        case .weekday: "analytics.insights.weekday.\(level)"
        case .hour: nil
        case .tag, .posts: nil
        }
    }

    /// The level a label names, in either language ("情感共鸣", "emotional" → emotional; "21 点" → 21).
    static func level(forLabel label: String, dimension: InsightDimension, catalogs: Catalogs) -> String? {
        let lowered = label.lowercased()
        if dimension == .hour {
            var digits = lowered.replacingOccurrences(of: "点", with: "").replacingOccurrences(of: ":00", with: "").trimmingCharacters(in: .whitespaces)
            if digits.hasPrefix("0"), digits.count == 2 { digits.removeFirst() }
            guard digits.count <= 2 else { return nil }
            return Int(digits).flatMap { (0..<24).contains($0) ? String($0) : nil }
        }
        for level in dimension.fixedLevels ?? [] {
            guard let key = key(level, dimension: dimension) else { continue }
            for locale in AppLocale.allCases where catalogs.string(key, locale)?.lowercased() == lowered { return level }
        }
        return nil
    }
}
