import Foundation

/// Publishing failure reasons are stored as a code with its detail
/// ("rate_limited: HTTP 429", "retries_exhausted: server_error"); people read
/// the code's sentence from the catalogs, and the raw text stays one click away.
public enum FailureReasons {
    /// A failure reason in plain language. Engine reasons are codes with
    /// details ("rate_limited: HTTP 429", "retries_exhausted: server_error",
    /// "wechat_publish_status_3"); the leading code picks the sentence.
    public static func sentence(_ raw: String, _ t: Localizer) -> String {
        var rest = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        var wrappers: [String] = []
        for _ in 0..<3 {
            guard let prefix = ["retries_exhausted", "needs_human"].first(where: { rest.hasPrefix($0 + ":") }) else { break }
            wrappers.append(prefix)
            rest = String(rest.dropFirst(prefix.count + 1)).trimmingCharacters(in: .whitespaces)
        }
        let code = reasonCode(rest)
        var text = code.isEmpty ? t.t("publishing.reason_other") : (t.optional("publishing.reason_\(code)") ?? t.t("publishing.reason_other"))
        for wrapper in wrappers.reversed() { text = t.t("publishing.reason_\(wrapper)", ["reason": text]) }
        return text
    }

    /// "wechat_publish_status_3" → "wechat_publish_status"; "notSent(…)" → "not_sent".
    static func reasonCode(_ text: String) -> String {
        var code = ""
        for character in text {
            if character.isLetter, character.isASCII {
                if character.isUppercase, !code.isEmpty { code += "_" }
                code += character.lowercased()
            } else if character == "_" {
                code.append(character)
            } else {
                break
            }
        }
        while code.hasSuffix("_") { code.removeLast() }
        return code
    }

}
