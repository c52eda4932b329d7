import Foundation

/// One <option> of a <select>, the shape every filter and form menu renders.
struct SelectOption {
    var value: String
    var label: String
    var selected: Bool
}

extension SelectOption {
    /// IANA time zones for the setup and settings forms: UTC first, then
    /// Area/City names (the Etc/ aliases only confuse people).
    static func timeZones(selected: String) -> [SelectOption] {
        let zones = ["UTC"] + TimeZone.knownTimeZoneIdentifiers.filter { $0.contains("/") && !$0.hasPrefix("Etc/") }.sorted()
        return zones.map { SelectOption(value: $0, label: $0, selected: $0 == selected) }
    }
}
