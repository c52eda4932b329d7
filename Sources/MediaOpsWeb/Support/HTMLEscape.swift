/// Escaping for the few pieces of HTML and SVG written in Swift rather than
/// through a template (charts, the dashboards' figures): what Mustache's
/// `{{…}}` does, so `{{{…}}}` stays safe for them.
enum HTMLEscape {
    static func text(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for character in value {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    static func attribute(_ value: String) -> String { text(value) }
}
