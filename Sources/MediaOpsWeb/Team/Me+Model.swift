import Foundation
import MediaOpsDomain

extension MeController {
    struct TokenRow { var id: String; var revokeAction: String; var name: String; var prefix: String; var created: String; var lastUsed: String; var expires: String; var revoked: Bool; var expired: Bool }

    struct MePage {
        var name: String
        var email: String
        var roles: [String]
        var locales: [SelectOption]
        var errors: [String: String]
        var summary: String?
        var tokens: [TokenRow]
        var newToken: String?
        var minPassword: Int
        var expiryOptions: [SelectOption]
    }
}
