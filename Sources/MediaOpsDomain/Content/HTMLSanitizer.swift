import Foundation

/// Makes rich text from editors and imports safe to store and show: a small
/// allow-list of formatting tags and attributes, no scripts, styles, frames or
/// event handlers, and only http(s)/mailto/relative links. Text is re-escaped,
/// and tags left open are closed, so the output is always well formed.
public enum HTMLSanitizer {
    static let allowedTags: Set<String> = [
        "p", "br", "hr", "strong", "b", "em", "i", "u", "s", "del", "ins", "sub", "sup", "blockquote", "code", "pre",
        "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "span", "div", "section", "figure", "figcaption",
        "table", "thead", "tbody", "tr", "th", "td", "a", "img",
    ]
    static let voidTags: Set<String> = ["br", "hr", "img"]
    /// Dropped together with everything inside them.
    static let droppedWithContent: Set<String> = [
        "script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math", "form", "textarea", "select", "button", "head", "title",
    ]
    static let allowedAttributes: [String: Set<String>] = [
        "a": ["href", "title"],
        "img": ["src", "alt", "width", "height"],
        "td": ["colspan", "rowspan"],
        "th": ["colspan", "rowspan"],
    ]

    public static func sanitize(_ html: String) -> String {
        var output = ""
        var stack: [String] = []
        var skipping: String?  // inside a dropped-with-content element
        var index = html.startIndex

        while index < html.endIndex {
            let character = html[index]
            if character == "<" {
                // Comments and declarations vanish.
                if html[index...].hasPrefix("<!--") {
                    if let end = html.range(of: "-->", range: html.index(index, offsetBy: 4)..<html.endIndex) { index = end.upperBound } else { index = html.endIndex }
                    continue
                }
                if html[index...].hasPrefix("<!") || html[index...].hasPrefix("<?") {
                    index = html[index...].firstIndex(of: ">").map { html.index(after: $0) } ?? html.endIndex
                    continue
                }
                if let tag = parseTag(html, from: index) {
                    index = tag.end
                    if let skip = skipping {
                        if tag.isEnd && tag.name == skip { skipping = nil }
                        continue
                    }
                    if droppedWithContent.contains(tag.name) {
                        if !tag.isEnd && !tag.selfClosing { skipping = tag.name }
                        continue
                    }
                    guard allowedTags.contains(tag.name) else { continue }
                    if tag.isEnd {
                        guard let position = stack.lastIndex(of: tag.name) else { continue }
                        for open in stack[position...].reversed() { output += "</\(open)>" }
                        stack.removeSubrange(position...)
                    } else {
                        output += "<" + tag.name + renderAttributes(tag.attributes, for: tag.name) + ">"
                        if !voidTags.contains(tag.name) { stack.append(tag.name) }
                    }
                    continue
                }
                // A "<" that starts no tag is text.
                if skipping == nil { output += "&lt;" }
                index = html.index(after: index)
                continue
            }
            if skipping == nil { output += escapeText(character, in: html, at: index) }
            index = html.index(after: index)
        }
        for open in stack.reversed() { output += "</\(open)>" }
        return output
    }

    /// The text a reader sees: tags removed, block ends as line breaks, entities decoded.
    public static func plainText(_ html: String) -> String {
        var text = html
        for block in ["</p>", "<br>", "<br/>", "<br />", "</li>", "</h1>", "</h2>", "</h3>", "</h4>", "</blockquote>", "</div>", "</tr>"] {
            text = text.replacingOccurrences(of: block, with: block + "\n", options: .caseInsensitive)
        }
        text = text.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
        text = decodeEntities(text)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        return lines.joined(separator: "\n").replacingOccurrences(of: "\n{3,}", with: "\n\n", options: .regularExpression)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// What an editor's textarea should show: plain paragraphs when the HTML is
    /// nothing but paragraphs and line breaks (saving turns them back into the
    /// same HTML), the HTML itself when it carries richer formatting.
    public static func editableText(_ html: String) -> String {
        let tags = html.matches(of: /<\/?([a-zA-Z0-9]+)[^>]*>/).map { $0.output.1.lowercased() }
        guard tags.allSatisfy({ $0 == "p" || $0 == "br" }) else { return html }
        let paragraphs = html.components(separatedBy: "</p>").map { paragraph in
            decodeEntities(paragraph.replacingOccurrences(of: "<p>", with: "").replacingOccurrences(of: "<br>", with: "\n"))
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return paragraphs.filter { !$0.isEmpty }.joined(separator: "\n\n")
    }

    /// Wraps plain text (a textarea, an import) into paragraphs of escaped HTML.
    public static func paragraphs(fromPlainText text: String) -> String {
        text.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            .map { "<p>" + escape($0).replacingOccurrences(of: "\n", with: "<br>") + "</p>" }.joined()
    }

    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func decodeEntities(_ text: String) -> String {
        var result = text
        let named = ["&nbsp;": " ", "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#39;": "'", "&apos;": "'", "&ldquo;": "“", "&rdquo;": "”", "&hellip;": "…", "&mdash;": "—"]
        for (entity, value) in named { result = result.replacingOccurrences(of: entity, with: value) }
        if let regex = try? NSRegularExpression(pattern: "&#(x?)([0-9a-fA-F]+);") {
            let matches = regex.matches(in: result, range: NSRange(result.startIndex..., in: result)).reversed()
            for match in matches {
                guard let whole = Range(match.range, in: result), let digits = Range(match.range(at: 2), in: result) else { continue }
                let hex = match.range(at: 1).length > 0
                if let value = UInt32(result[digits], radix: hex ? 16 : 10), let scalar = Unicode.Scalar(value) {
                    result.replaceSubrange(whole, with: String(Character(scalar)))
                }
            }
        }
        return result.replacingOccurrences(of: "&amp;", with: "&")
    }

    // MARK: Tags

    struct Tag {
        var name: String
        var isEnd: Bool
        var selfClosing: Bool
        var attributes: [(String, String)]
        var end: String.Index
    }

    /// Parses the tag starting at `start` ("<"), or nil when it is not a tag.
    static func parseTag(_ html: String, from start: String.Index) -> Tag? {
        var index = html.index(after: start)
        guard index < html.endIndex else { return nil }
        var isEnd = false
        if html[index] == "/" { isEnd = true; index = html.index(after: index) }
        let nameStart = index
        while index < html.endIndex, html[index].isLetter || html[index].isNumber { index = html.index(after: index) }
        guard index > nameStart, html[nameStart].isASCII, html[nameStart].isLetter else { return nil }
        let name = html[nameStart..<index].lowercased()
        var attributes: [(String, String)] = []
        var selfClosing = false
        while index < html.endIndex {
            let character = html[index]
            if character == ">" { return Tag(name: name, isEnd: isEnd, selfClosing: selfClosing, attributes: attributes, end: html.index(after: index)) }
            if character == "/" { selfClosing = true; index = html.index(after: index); continue }
            if character.isWhitespace { index = html.index(after: index); continue }
            // Attribute name.
            let attributeStart = index
            while index < html.endIndex, !html[index].isWhitespace, html[index] != "=", html[index] != ">", html[index] != "/" {
                index = html.index(after: index)
            }
            let attributeName = html[attributeStart..<index].lowercased()
            var value = ""
            while index < html.endIndex, html[index].isWhitespace { index = html.index(after: index) }
            if index < html.endIndex, html[index] == "=" {
                index = html.index(after: index)
                while index < html.endIndex, html[index].isWhitespace { index = html.index(after: index) }
                if index < html.endIndex, html[index] == "\"" || html[index] == "'" {
                    let quote = html[index]
                    let valueStart = html.index(after: index)
                    let valueEnd = html[valueStart...].firstIndex(of: quote) ?? html.endIndex
                    value = String(html[valueStart..<valueEnd])
                    index = valueEnd < html.endIndex ? html.index(after: valueEnd) : valueEnd
                } else {
                    let valueStart = index
                    while index < html.endIndex, !html[index].isWhitespace, html[index] != ">" { index = html.index(after: index) }
                    value = String(html[valueStart..<index])
                }
            }
            if !attributeName.isEmpty { attributes.append((attributeName, value)) }
        }
        return nil  // never closed: not a tag
    }

    static func renderAttributes(_ attributes: [(String, String)], for tag: String) -> String {
        guard let allowed = allowedAttributes[tag] else { return "" }
        var out = ""
        var seen = Set<String>()
        for (name, raw) in attributes where allowed.contains(name) && !seen.contains(name) {
            let value = decodeEntities(raw).trimmingCharacters(in: .whitespacesAndNewlines)
            if name == "href" || name == "src" {
                guard isSafeURL(value, image: name == "src") else { continue }
            }
            if name == "width" || name == "height" || name == "colspan" || name == "rowspan" {
                guard let number = Int(value), number > 0, number < 10_000 else { continue }
            }
            seen.insert(name)
            out += " \(name)=\"\(escape(value))\""
        }
        return out
    }

    static func isSafeURL(_ value: String, image: Bool) -> Bool {
        // Control characters and whitespace inside the scheme are how "java\tscript:" sneaks past.
        // Browsers also read a backslash as a slash: "/\\evil.example" is another host.
        let compact = value.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F }.map(String.init).joined().lowercased()
            .replacingOccurrences(of: "\\", with: "/")
        if compact.hasPrefix("http://") || compact.hasPrefix("https://") { return WebAddress(compact) != nil }
        if compact.hasPrefix("/") && !compact.hasPrefix("//") { return true }
        if !image && (compact.hasPrefix("mailto:") || compact.hasPrefix("#")) { return true }
        if image, compact.hasPrefix("data:image/png;base64,") || compact.hasPrefix("data:image/jpeg;base64,")
            || compact.hasPrefix("data:image/gif;base64,") || compact.hasPrefix("data:image/webp;base64,") { return true }
        return false
    }

    static func escapeText(_ character: Character, in html: String, at index: String.Index) -> String {
        switch character {
        case ">": return "&gt;"
        case "\"": return "&quot;"
        case "&":
            // Keep well-formed entities; escape a bare ampersand.
            let rest = html[index...].prefix(12)
            if rest.range(of: #"^&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});"#, options: .regularExpression) != nil { return "&" }
            return "&amp;"
        default: return String(character)
        }
    }
}
