import Foundation
import MediaOpsDomain

extension SettingsController {
    struct AuditPage {
        var rows: [AuditRow]
        var actors: [SelectOption]
        var entityTypes: [SelectOption]
        var actions: [SelectOption]
        var from: String
        var to: String
        var pagination: Pagination
        var filtered: Bool
        var timeZone: String
    }
}
