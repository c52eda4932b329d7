import Foundation

/// One <option> of a <select>, the shape every filter and form menu renders.
struct SelectOption {
    var value: String
    var label: String
    var selected: Bool
}

/// An <optgroup> of options.
struct SelectGroup {
    var label: String
    var options: [SelectOption]
}

extension SelectOption {
    /// The zones most teams here work in, first and named in the reader's language.
    static let commonTimeZones = ["Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Singapore", "Asia/Tokyo", "Asia/Seoul",
                                  "Europe/London", "Europe/Berlin", "America/New_York", "America/Los_Angeles", "Australia/Sydney", "UTC"]

    /// IANA time zones for the setup and settings forms: the common ones first,
    /// then every Area/City name (the Etc/ aliases only confuse people), each
    /// with its current UTC offset so a search for "+8" or "Shanghai" finds it.
    static func timeZones(selected: String, _ t: Localizer) -> [SelectGroup] {
        func label(_ id: String) -> String {
            let offset = TimeZone(identifier: id).map { zone -> String in
                let seconds = zone.secondsFromGMT()
                let sign = seconds < 0 ? "−" : "+"
                let minutes = abs(seconds) / 60
                return minutes % 60 == 0 ? "UTC\(sign)\(minutes / 60)" : String(format: "UTC%@%d:%02d", sign, minutes / 60, minutes % 60)
            } ?? "UTC"
            let name = t.optional("timezone.\(id.replacingOccurrences(of: "/", with: "_"))")
            return name.map { t.t("settings.zone_named", ["name": $0, "id": id, "offset": offset]) }
                ?? t.t("settings.zone_plain", ["id": id, "offset": offset])
        }
        let all = TimeZone.knownTimeZoneIdentifiers.filter { $0.contains("/") && !$0.hasPrefix("Etc/") }.sorted()
        let common = commonTimeZones.filter { $0 == "UTC" || all.contains($0) }
        return [
            SelectGroup(label: t.t("settings.zones_common"), options: common.map { SelectOption(value: $0, label: label($0), selected: $0 == selected) }),
            SelectGroup(label: t.t("settings.zones_all"), options: all.filter { !common.contains($0) }.map { SelectOption(value: $0, label: label($0), selected: $0 == selected) }),
        ]
    }
}
