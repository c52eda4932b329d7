import Foundation
import MediaOpsDomain

extension AccountsController {
    struct FieldInput {
        var name: String
        var label: String
        var value: String
        var required: Bool
        var isURL: Bool
        var error: String?
        var help: String
    }

    struct SecretInput {
        var name: String
        var key: String
        var label: String
        var isSet: Bool
        var error: String?
    }

    struct PlatformSection {
        var key: String
        var label: String
        var selected: Bool
        var capabilities: [Chip]
        var kinds: [SelectOption]
        var hasKinds: Bool
        var fields: [FieldInput]
        var secrets: [SecretInput]
        var hasAny: Bool
        var assisted: Bool
    }

    struct GroupOption { var id: String; var name: String; var checked: Bool }

    struct FormPage {
        var isNew: Bool
        var id: String?
        var action: String
        var healthHref: String?
        var retireAction: String?
        var values: [String: String]
        var errors: [String: String]
        var summary: String?
        var platforms: [PlatformSection]
        var currentPlatform: String
        var groups: [GroupOption]
        var owners: [SelectOption]
        var states: [SelectOption]
        var editable: Bool
        var retired: Bool
        var history: [AuditRow]
        var showHistory: Bool
        var defaultBestTime: String
    }
}
