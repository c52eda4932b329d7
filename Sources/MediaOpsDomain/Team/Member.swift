import Foundation

public enum AppLocale: String, CaseIterable, Sendable, Codable {
    case zhHans = "zh-Hans"
    case en = "en"

    /// Reads loose spellings (zh, zh-CN, en-US …) as they come from browsers and forms.
    public init?(loose value: String) {
        let lowered = value.lowercased()
        if lowered.hasPrefix("zh") { self = .zhHans } else if lowered.hasPrefix("en") { self = .en } else { return nil }
    }

    /// The catalog language a browser's Accept-Language prefers most, by q value
    /// ("en-US,en;q=0.9,zh-CN;q=0.8" → en); nil when it names neither.
    public init?(acceptLanguage header: String) {
        var best: (q: Double, index: Int, locale: AppLocale)?
        for (index, part) in header.split(separator: ",").prefix(20).enumerated() {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first, let locale = AppLocale(loose: tag) else { continue }
            var q = 1.0
            for parameter in pieces.dropFirst() where parameter.hasPrefix("q=") {
                q = Double(parameter.dropFirst(2)) ?? 0
            }
            guard q > 0 else { continue }
            if best == nil || q > best!.q { best = (q, index, locale) }
        }
        guard let best else { return nil }
        self = best.locale
    }
}

public struct Member: Sendable, Equatable {
    public var id: String
    public var email: String
    public var name: String
    public var roleKeys: [String]
    public var locale: AppLocale?
    public var isActive: Bool
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, email: String, name: String, roleKeys: [String], locale: AppLocale?, isActive: Bool, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.email = email
        self.name = name
        self.roleKeys = roleKeys
        self.locale = locale
        self.isActive = isActive
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

public struct Workspace: Sendable, Equatable {
    public var name: String
    public var timeZone: String
    public var defaultLocale: AppLocale
    public var createdAt: Date

    public init(name: String, timeZone: String, defaultLocale: AppLocale, createdAt: Date) {
        self.name = name
        self.timeZone = timeZone
        self.defaultLocale = defaultLocale
        self.createdAt = createdAt
    }
}

extension Member {
    /// How the audit log names a member: "王雨桐 <wang@example.com>".
    public var label: String { "\(name) <\(email)>" }
}
