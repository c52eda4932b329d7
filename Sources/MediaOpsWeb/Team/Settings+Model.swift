import Foundation
import MediaOpsDomain

extension SettingsController {
    struct SettingsPage {
        var values: [String: String]
        var errors: [String: String]
        var summary: String?
        var timeZones: [SelectGroup]
        var locales: [SelectOption]
    }
}
