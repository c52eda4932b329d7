import Foundation

/// How a platform counts the length of a text.
public enum TextCounting: String, Sendable, Codable {
    /// One per user-perceived character (汉字, letter, emoji alike): how WeChat,
    /// Weibo, Xiaohongshu and Bilibili describe "字".
    case characters
    /// twitter-text v3 weighting: most Latin counts 1, CJK and emoji count 2,
    /// every URL counts 23, limit 280 (≈140 汉字).
    case xWeighted

    public func count(_ text: String) -> Int {
        switch self {
        case .characters: return text.count
        case .xWeighted: return Self.xWeightedLength(text)
        }
    }

    /// Weighted length per twitter-text config v3: code points in the listed
    /// ranges weigh 100, all others 200, on a scale of 100; URLs weigh 23.
    static func xWeightedLength(_ text: String) -> Int {
        var total = 0
        var remainder = Substring(text)
        // URLs count as 23 whatever their length.
        let urlPattern = try? NSRegularExpression(pattern: #"https?://[^\s\u3000，。！？、]+"#)
        var withoutURLs = String(remainder)
        if let urlPattern {
            let matches = urlPattern.matches(in: withoutURLs, range: NSRange(withoutURLs.startIndex..., in: withoutURLs))
            total += matches.count * 23
            for match in matches.reversed() {
                if let range = Range(match.range, in: withoutURLs) { withoutURLs.removeSubrange(range) }
            }
        }
        remainder = Substring(withoutURLs)
        for character in remainder {
            // An emoji sequence is one character of weight 2.
            if character.unicodeScalars.count > 1 || character.unicodeScalars.first.map({ $0.properties.isEmojiPresentation }) == true {
                total += 2
                continue
            }
            let value = character.unicodeScalars.first!.value
            let light = (0x0000...0x10FF).contains(value) || (0x2000...0x200D).contains(value)
                || (0x2010...0x201F).contains(value) || (0x2032...0x2037).contains(value)
            total += light ? 1 : 2
        }
        return total
    }
}

/// Each platform's limits on one post, in one table. Sources: CONTENT-RULES.md §5
/// (official API documents where they exist, otherwise consistent third-party
/// tools). Platforms without a published figure get conservative values noted
/// as such, so the check warns rather than blocks on them.
public struct PlatformLimits: Sendable, Equatable {
    public var titleMax: Int?
    public var bodyMax: Int?
    public var summaryMax: Int?
    public var tagsMax: Int?
    public var imagesMax: Int?
    public var videoSecondsMax: Int?
    public var counting: TextCounting
    /// The platform shows a title separate from the body.
    public var hasTitle: Bool
    /// True when the figures come from official documentation.
    public var official: Bool

    public static func of(_ platform: Platform) -> PlatformLimits {
        switch platform {
        case .wechatOA:
            // draft/add: title ≤ 32 字, digest ≤ 128 字, content < 20,000 chars.
            return PlatformLimits(titleMax: 32, bodyMax: 20_000, summaryMax: 128, tagsMax: nil, imagesMax: 20, videoSecondsMax: nil,
                                  counting: .characters, hasTitle: true, official: true)
        case .weibo:
            // statuses/share: ≤ 140 汉字 (long-text API up to 2000), ≤ 9 pictures.
            return PlatformLimits(titleMax: nil, bodyMax: 2_000, summaryMax: nil, tagsMax: nil, imagesMax: 9, videoSecondsMax: nil,
                                  counting: .characters, hasTitle: false, official: true)
        case .douyin:
            // Video ≤ 15 min; creator-centre title ≤ 30 字 (third-party).
            return PlatformLimits(titleMax: 30, bodyMax: 1_000, summaryMax: nil, tagsMax: 5, imagesMax: 35, videoSecondsMax: 15 * 60,
                                  counting: .characters, hasTitle: true, official: false)
        case .xiaohongshu:
            // Title ≤ 20 字, body ≤ 1000 字, 1–18 images (third-party, consistent).
            return PlatformLimits(titleMax: 20, bodyMax: 1_000, summaryMax: nil, tagsMax: 10, imagesMax: 18, videoSecondsMax: 15 * 60,
                                  counting: .characters, hasTitle: true, official: false)
        case .bilibili:
            // Title ≤ 80, description ≤ 2000, tags 1–10 (bilibili-api source).
            return PlatformLimits(titleMax: 80, bodyMax: 2_000, summaryMax: nil, tagsMax: 10, imagesMax: 9, videoSecondsMax: nil,
                                  counting: .characters, hasTitle: true, official: false)
        case .x:
            // 280 weighted, ≤ 4 photos, video ≤ 20 min (twitter-text v3, X docs).
            return PlatformLimits(titleMax: nil, bodyMax: 280, summaryMax: nil, tagsMax: nil, imagesMax: 4, videoSecondsMax: 20 * 60,
                                  counting: .xWeighted, hasTitle: false, official: true)
        case .wechatChannels:
            return PlatformLimits(titleMax: 16, bodyMax: 1_000, summaryMax: nil, tagsMax: nil, imagesMax: 18, videoSecondsMax: 60 * 60,
                                  counting: .characters, hasTitle: true, official: false)
        case .kuaishou:
            return PlatformLimits(titleMax: nil, bodyMax: 500, summaryMax: nil, tagsMax: 5, imagesMax: 31, videoSecondsMax: 15 * 60,
                                  counting: .characters, hasTitle: false, official: false)
        case .zhihu:
            return PlatformLimits(titleMax: 100, bodyMax: 100_000, summaryMax: nil, tagsMax: 5, imagesMax: nil, videoSecondsMax: nil,
                                  counting: .characters, hasTitle: true, official: false)
        case .toutiao:
            return PlatformLimits(titleMax: 30, bodyMax: 50_000, summaryMax: nil, tagsMax: 5, imagesMax: 30, videoSecondsMax: nil,
                                  counting: .characters, hasTitle: true, official: false)
        case .facebook:
            return PlatformLimits(titleMax: nil, bodyMax: 63_206, summaryMax: nil, tagsMax: nil, imagesMax: 10, videoSecondsMax: 240 * 60,
                                  counting: .characters, hasTitle: false, official: false)
        case .instagram:
            return PlatformLimits(titleMax: nil, bodyMax: 2_200, summaryMax: nil, tagsMax: 30, imagesMax: 10, videoSecondsMax: 15 * 60,
                                  counting: .characters, hasTitle: false, official: false)
        case .linkedin:
            return PlatformLimits(titleMax: nil, bodyMax: 3_000, summaryMax: nil, tagsMax: nil, imagesMax: 9, videoSecondsMax: 15 * 60,
                                  counting: .characters, hasTitle: false, official: false)
        case .mastodon:
            return PlatformLimits(titleMax: nil, bodyMax: 500, summaryMax: nil, tagsMax: nil, imagesMax: 4, videoSecondsMax: nil,
                                  counting: .characters, hasTitle: false, official: false)
        case .telegram:
            // A message is ≤ 4096 characters; a media caption ≤ 1024.
            return PlatformLimits(titleMax: nil, bodyMax: 4_096, summaryMax: nil, tagsMax: nil, imagesMax: 10, videoSecondsMax: nil,
                                  counting: .characters, hasTitle: false, official: true)
        case .webhook:
            return PlatformLimits(titleMax: 200, bodyMax: 100_000, summaryMax: nil, tagsMax: nil, imagesMax: nil, videoSecondsMax: nil,
                                  counting: .characters, hasTitle: true, official: false)
        }
    }
}

/// One way a variant breaks its platform's limits.
public struct LimitViolation: Sendable, Equatable, Codable {
    public var field: String   // title, body, summary, tags, images, video
    public var limit: Int
    public var actual: Int

    public init(field: String, limit: Int, actual: Int) {
        self.field = field
        self.limit = limit
        self.actual = actual
    }
}

/// What a variant holds, for measuring.
public struct VariantMeasure: Sendable, Equatable {
    public var title: String
    /// Plain text of the body (tags stripped).
    public var bodyText: String
    public var summary: String
    public var tags: [String]
    public var imageCount: Int
    public var videoSeconds: Int?

    public init(title: String, bodyText: String, summary: String = "", tags: [String] = [], imageCount: Int = 0, videoSeconds: Int? = nil) {
        self.title = title
        self.bodyText = bodyText
        self.summary = summary
        self.tags = tags
        self.imageCount = imageCount
        self.videoSeconds = videoSeconds
    }
}

extension PlatformLimits {
    /// Every limit the variant exceeds, counted the platform's way.
    public func violations(_ variant: VariantMeasure) -> [LimitViolation] {
        var found: [LimitViolation] = []
        func check(_ field: String, _ limit: Int?, _ actual: Int) {
            if let limit, actual > limit { found.append(LimitViolation(field: field, limit: limit, actual: actual)) }
        }
        check("title", titleMax, counting.count(variant.title))
        check("body", bodyMax, counting.count(variant.bodyText))
        check("summary", summaryMax, counting.count(variant.summary))
        check("tags", tagsMax, variant.tags.count)
        check("images", imagesMax, variant.imageCount)
        if let seconds = variant.videoSeconds { check("video", videoSecondsMax, seconds) }
        return found
    }
}
