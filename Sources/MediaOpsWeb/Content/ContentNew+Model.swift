import Foundation
import MediaOpsDomain

extension ContentController {
    struct NewPage {
        var values: [String: String]
        var errors: [String: String]
        var fieldWarnings: [String: String]
        var summary: String?
        var categories: [SelectOption]
        var groups: [SelectOption]
        var owners: [SelectOption]
        var covers: [SelectOption]
        var timeZone: String
    }
}
