/// Escaping for the few pieces of HTML and SVG written in Swift rather than
/// through a template (charts, the dashboards' figures): what Mustache's
/// `{{…}}` does, so `{{{…}}}` stays safe for them.
enum HTMLEscape {
    static func text(_ value: String) -> String {
        // Byte by byte: a multi-byte UTF-8 sequence never holds an ASCII byte, so
        // the five are found and replaced without walking characters (a dashboard
        // escapes thousands of figures). Most text has none and is returned as it is.
        guard value.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else { return value }
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count + 16)
        for byte in value.utf8 {
            switch byte {
            case 0x26: out += "&amp;".utf8
            case 0x3C: out += "&lt;".utf8
            case 0x3E: out += "&gt;".utf8
            case 0x22: out += "&quot;".utf8
            case 0x27: out += "&#39;".utf8
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func attribute(_ value: String) -> String { text(value) }
}
