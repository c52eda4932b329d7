import Foundation
import MediaOpsDomain

extension AuthController {
    struct SetupPage {
        var values: [String: String]
        var errors: [String: String]
        var summary: String?
        var timeZones: [SelectGroup]
        var locales: [SelectOption]
    }
}
